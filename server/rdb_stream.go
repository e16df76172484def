package server

import (
	"encoding/binary"
	"strconv"
)

// Streams in DUMP and RESTORE: RDB_TYPE_STREAM_LISTPACKS_2, as Redis 7.0
// writes it (rdb.c) — the rax of listpack nodes, each keyed by its master
// ID, then the length, the last, first and max-deleted IDs, the entries
// added, and the consumer groups with their pending entries and consumers.
//
// A node's listpack is t_stream.c's: a master entry (live count, deleted
// count, the fields of the node's first entry, a 0), then each entry as
// flags, the ID's difference from the master ID, the values alone when the
// entry has the master's fields (SAMEFIELDS) or else the field count and
// the pairs, and the entry's element count. Deleted entries stay, flagged.
//
// The payload is redis-server's byte for byte while this server cuts the
// nodes where Redis does: it closes a node at stream-node-max-entries, but
// not at stream-node-max-bytes (not modelled, see stream.go), so a stream
// whose nodes would pass 4096 bytes is cut later than Redis cuts it: the
// same entries, in other listpacks.

const (
	streamItemDeleted    = 1
	streamItemSameFields = 2
)

func appendStreamID(b []byte, id streamID) []byte {
	b = binary.BigEndian.AppendUint64(b, id.ms)
	return binary.BigEndian.AppendUint64(b, id.seq)
}

// streamNodeListpack is a node's listpack.
func streamNodeListpack(n *streamNode) []byte {
	master := n.ents[0].fields
	nf := len(master) / 2
	b := make([]byte, lpHeaderSize, 256)
	count := 0
	num := func(v int64) { b = lpAppend(b, strconv.FormatInt(v, 10)); count++ }
	str := func(s string) { b = lpAppend(b, s); count++ }
	num(int64(n.live))
	num(int64(len(n.ents) - n.live))
	num(int64(nf))
	for i := 0; i < len(master); i += 2 {
		str(master[i])
	}
	num(0)
	for _, e := range n.ents {
		same := len(e.fields) == len(master)
		for i := 0; same && i < len(master); i += 2 {
			same = e.fields[i] == master[i]
		}
		flags := int64(0)
		if e.deleted {
			flags |= streamItemDeleted
		}
		if same {
			flags |= streamItemSameFields
		}
		num(flags)
		num(int64(e.id.ms - n.master.ms))
		num(int64(e.id.seq - n.master.seq))
		fields := int64(len(e.fields) / 2)
		if same {
			for i := 1; i < len(e.fields); i += 2 {
				str(e.fields[i])
			}
		} else {
			num(fields)
			for _, f := range e.fields {
				str(f)
			}
		}
		lpCount := fields + 3
		if !same {
			lpCount += fields + 1
		}
		num(lpCount)
	}
	return lpFinish(b, count)
}

func (s *Server) rdbSaveStream(w *rdbWriter, sv *streamValue) error {
	w.b = append(w.b, rdbTypeStreamListpacks2)
	w.length(uint64(sv.nodes.Len()))
	sv.nodes.Scan(func(n *streamNode) bool {
		w.str(string(appendStreamID(nil, n.master)))
		w.str(string(streamNodeListpack(n)))
		return true
	})
	w.length(uint64(sv.length))
	w.length(sv.lastID.ms)
	w.length(sv.lastID.seq)
	w.length(sv.firstID.ms)
	w.length(sv.firstID.seq)
	w.length(sv.maxDeleted.ms)
	w.length(sv.maxDeleted.seq)
	w.length(uint64(sv.entriesAdded))
	w.length(uint64(len(sv.groups)))
	for _, name := range sv.groupNames() { // a rax: bytewise order
		g := sv.groups[name]
		w.str(name)
		w.length(g.lastID.ms)
		w.length(g.lastID.seq)
		w.length(uint64(g.entriesRead))
		w.length(uint64(g.pel.Len()))
		g.pel.Scan(func(n *streamNACK) bool {
			w.b = appendStreamID(w.b, n.id)
			w.b = binary.LittleEndian.AppendUint64(w.b, uint64(n.deliveryTime))
			w.length(uint64(n.deliveryCount))
			return true
		})
		w.length(uint64(len(g.consumers)))
		for _, cn := range g.consumerNames() {
			c := g.consumers[cn]
			w.str(cn)
			w.b = binary.LittleEndian.AppendUint64(w.b, uint64(c.seenTime))
			w.length(uint64(c.pel.Len()))
			c.pel.Scan(func(n *streamNACK) bool {
				w.b = appendStreamID(w.b, n.id)
				return true
			})
		}
	}
	return nil
}

func (r *rdbReader) streamID() (streamID, error) {
	p, err := r.bytes(16)
	if err != nil {
		return streamID{}, err
	}
	return streamID{binary.BigEndian.Uint64(p), binary.BigEndian.Uint64(p[8:])}, nil
}

func (r *rdbReader) lenID() (streamID, error) {
	ms, err := r.plainLength()
	if err != nil {
		return streamID{}, err
	}
	seq, err := r.plainLength()
	return streamID{ms, seq}, err
}

func (r *rdbReader) millis() (int64, error) {
	p, err := r.bytes(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(p)), nil
}

// parseStreamNode reads a node's listpack: its entries, which must follow
// prev in ID order (first: the stream's first node, no entry before).
func parseStreamNode(master streamID, lp []byte, prev *streamID, first bool) (*streamNode, bool) {
	el, ok := listpackElems(lp)
	if !ok || len(el) < 4 {
		return nil, false
	}
	i := 0
	next := func() (string, bool) {
		if i >= len(el) {
			return "", false
		}
		i++
		return el[i-1], true
	}
	num := func() (int64, bool) {
		s, ok := next()
		if !ok {
			return 0, false
		}
		return lpStringToInt(s)
	}
	live, ok1 := num()
	deleted, ok2 := num()
	nf, ok3 := num()
	if !ok1 || !ok2 || !ok3 || live <= 0 || deleted < 0 || nf < 0 || nf > int64(len(el)) {
		return nil, false
	}
	mfields := make([]string, nf)
	for k := range mfields {
		if mfields[k], ok = next(); !ok {
			return nil, false
		}
	}
	if z, ok := num(); !ok || z != 0 {
		return nil, false
	}
	n := &streamNode{master: master}
	for i < len(el) {
		start := i
		flags, ok1 := num()
		msd, ok2 := num()
		seqd, ok3 := num()
		if !ok1 || !ok2 || !ok3 || flags&^(streamItemDeleted|streamItemSameFields) != 0 {
			return nil, false
		}
		e := streamEntry{id: streamID{master.ms + uint64(msd), master.seq + uint64(seqd)}, deleted: flags&streamItemDeleted != 0}
		if flags&streamItemSameFields != 0 {
			e.fields = make([]string, 0, 2*nf)
			for _, f := range mfields {
				v, ok := next()
				if !ok {
					return nil, false
				}
				e.fields = append(e.fields, f, v)
			}
		} else {
			c, ok := num()
			if !ok || c < 0 || c > int64(len(el)) {
				return nil, false
			}
			e.fields = make([]string, 2*c)
			for k := range e.fields {
				if e.fields[k], ok = next(); !ok {
					return nil, false
				}
			}
		}
		if lc, ok := num(); !ok || lc != int64(i-start-1) {
			return nil, false
		}
		// IDs strictly ascend, from the master ID on; an entry has fields.
		if len(e.fields) == 0 || e.id.cmp(master) < 0 || (!first || len(n.ents) > 0) && e.id.cmp(*prev) <= 0 {
			return nil, false
		}
		*prev = e.id
		if !e.deleted {
			n.live++
		}
		n.ents = append(n.ents, e)
	}
	if int64(n.live) != live || int64(len(n.ents)-n.live) != deleted {
		return nil, false
	}
	return n, true
}

func (s *Server) rdbLoadStream(r *rdbReader, typ byte) (*Entry, error) {
	sv := newStream()
	nodes, err := r.count()
	if err != nil {
		return nil, err
	}
	var prev streamID
	var live int64
	for k := 0; k < nodes; k++ {
		key, err := r.str()
		if err != nil || len(key) != 16 {
			return nil, errBadData
		}
		master := streamID{binary.BigEndian.Uint64([]byte(key)), binary.BigEndian.Uint64([]byte(key[8:]))}
		lp, err := r.str()
		if err != nil {
			return nil, errBadData
		}
		n, ok := parseStreamNode(master, []byte(lp), &prev, k == 0)
		if !ok || n.ents[0].id != master {
			return nil, errBadData
		}
		sv.nodes.Set(n)
		live += int64(n.live)
	}
	length, err := r.plainLength()
	if err != nil || length != uint64(live) {
		return nil, errBadData
	}
	sv.length = live
	if sv.lastID, err = r.lenID(); err != nil {
		return nil, err
	}
	if nodes > 0 && sv.lastID.cmp(prev) < 0 {
		return nil, errBadData
	}
	if typ == rdbTypeStreamListpacks2 {
		if sv.firstID, err = r.lenID(); err != nil {
			return nil, err
		}
		if sv.maxDeleted, err = r.lenID(); err != nil {
			return nil, err
		}
		added, err := r.plainLength()
		if err != nil || added > 1<<63-1 {
			return nil, errBadData
		}
		sv.entriesAdded = int64(added)
	} else {
		// RDB_TYPE_STREAM_LISTPACKS (before 7.0): what 7.0 assumes.
		sv.firstID, _ = sv.edge(true)
		sv.entriesAdded = sv.length
	}
	groups, err := r.count()
	if err != nil {
		return nil, err
	}
	for k := 0; k < groups; k++ {
		name, err := r.str()
		if err != nil {
			return nil, err
		}
		last, err := r.lenID()
		if err != nil {
			return nil, err
		}
		var entriesRead int64
		if typ == rdbTypeStreamListpacks2 {
			v, err := r.plainLength()
			if err != nil {
				return nil, err
			}
			entriesRead = int64(v) // 2^64-1 is SCG_INVALID_ENTRIES_READ
		} else {
			entriesRead = sv.estimateDistance(last)
		}
		g := sv.createGroup(name, last, entriesRead)
		if g == nil {
			return nil, errBadData // a group twice
		}
		pending, err := r.count()
		if err != nil {
			return nil, err
		}
		for j := 0; j < pending; j++ {
			id, err := r.streamID()
			if err != nil {
				return nil, err
			}
			t, err := r.millis()
			if err != nil {
				return nil, err
			}
			dc, err := r.plainLength()
			if err != nil || dc > 1<<63-1 {
				return nil, errBadData
			}
			if _, dup := g.pel.Set(&streamNACK{id: id, deliveryTime: t, deliveryCount: int64(dc)}); dup {
				return nil, errBadData
			}
		}
		consumers, err := r.count()
		if err != nil {
			return nil, err
		}
		for j := 0; j < consumers; j++ {
			cn, err := r.str()
			if err != nil {
				return nil, err
			}
			seen, err := r.millis()
			if err != nil {
				return nil, err
			}
			if g.consumers[cn] != nil {
				return nil, errBadData // a consumer twice
			}
			c := &streamConsumer{name: cn, seenTime: seen, pel: newPEL()}
			g.consumers[cn] = c
			owned, err := r.count()
			if err != nil {
				return nil, err
			}
			for q := 0; q < owned; q++ {
				id, err := r.streamID()
				if err != nil {
					return nil, err
				}
				nack, ok := g.pel.Get(&streamNACK{id: id})
				if !ok || nack.consumer != nil {
					return nil, errBadData // not in the group's PEL, or owned twice
				}
				nack.consumer = c
				c.pel.Set(nack)
			}
		}
		// A pending entry without a consumer is corrupt (Redis checks
		// this with sanitize-dump-payload yes).
		orphan := false
		g.pel.Scan(func(n *streamNACK) bool { orphan = n.consumer == nil; return !orphan })
		if orphan {
			return nil, errBadData
		}
	}
	return newStreamEntry(sv), nil
}
