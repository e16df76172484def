package server

import (
	"math"
	"sort"
	"strconv"

	"github.com/tidwall/btree"
)

// The stream type, as Redis 7.0 keeps one (t_stream.c): entries in ID order
// in nodes of at most stream-node-max-entries entries (live and deleted, as
// a listpack node counts them), the nodes in a B-tree by their first
// ("master") ID, so that XADD appends in O(log n) and XRANGE seeks a node
// then scans. A deleted entry is only flagged until its node is empty, as
// Redis flags it in the listpack; whole-node removal is what an approximate
// trim ("~") does, so node boundaries decide its result.
//
// Node size in bytes (stream-node-max-bytes) is not modelled: a node is
// closed by its entry count only, which decides the same boundaries unless
// entries are large (over ~40 bytes each at the defaults).

// streamID is an entry ID, <ms>-<seq>.
type streamID struct{ ms, seq uint64 }

var maxStreamID = streamID{math.MaxUint64, math.MaxUint64}

func (a streamID) cmp(b streamID) int {
	switch {
	case a.ms < b.ms:
		return -1
	case a.ms > b.ms:
		return 1
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func (a streamID) isZero() bool { return a.ms == 0 && a.seq == 0 }

func (a streamID) String() string { return string(a.appendTo(nil)) }

// appendTo appends the ID's text ("ms-seq") to b.
func (a streamID) appendTo(b []byte) []byte {
	b = strconv.AppendUint(b, a.ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, a.seq, 10)
}

// incr is streamIncrID: false for the last possible ID.
func (a streamID) incr() (streamID, bool) {
	switch {
	case a.seq < math.MaxUint64:
		return streamID{a.ms, a.seq + 1}, true
	case a.ms < math.MaxUint64:
		return streamID{a.ms + 1, 0}, true
	}
	return a, false
}

// decr is streamDecrID: false for 0-0.
func (a streamID) decr() (streamID, bool) {
	switch {
	case a.seq > 0:
		return streamID{a.ms, a.seq - 1}, true
	case a.ms > 0:
		return streamID{a.ms - 1, math.MaxUint64}, true
	}
	return a, false
}

// streamEntry is one entry: its ID and its field/value pairs, flat.
type streamEntry struct {
	id      streamID
	fields  []string
	deleted bool
}

// streamNode is a listpack node: entries in ID order, live ones counted.
type streamNode struct {
	master streamID
	ents   []streamEntry
	live   int
}

func (n *streamNode) last() streamID { return n.ents[len(n.ents)-1].id }

// find is the index of the first entry >= id.
func (n *streamNode) find(id streamID) int {
	return sort.Search(len(n.ents), func(i int) bool { return n.ents[i].id.cmp(id) >= 0 })
}

// streamNACK is a pending entry of a consumer group.
type streamNACK struct {
	id            streamID
	deliveryTime  int64
	deliveryCount int64
	consumer      *streamConsumer
}

func nackLess(a, b *streamNACK) bool { return a.id.cmp(b.id) < 0 }

func newPEL() *btree.BTreeG[*streamNACK] {
	return btree.NewBTreeGOptions(nackLess, btree.Options{NoLocks: true})
}

// streamConsumer is a consumer of a group.
type streamConsumer struct {
	name     string
	seenTime int64
	pel      *btree.BTreeG[*streamNACK]
}

// invalidEntriesRead is SCG_INVALID_ENTRIES_READ.
const invalidEntriesRead = -1

// streamGroup is a consumer group.
type streamGroup struct {
	name        string
	lastID      streamID
	entriesRead int64
	pel         *btree.BTreeG[*streamNACK]
	consumers   map[string]*streamConsumer
}

// consumerNames is the consumers in name order (a rax's order).
func (g *streamGroup) consumerNames() []string {
	names := make([]string, 0, len(g.consumers))
	for n := range g.consumers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// streamValue is a stream (TypeStream).
type streamValue struct {
	nodes        *btree.BTreeG[*streamNode]
	length       int64
	lastID       streamID
	firstID      streamID
	maxDeleted   streamID
	entriesAdded int64
	groups       map[string]*streamGroup
}

func nodeLess(a, b *streamNode) bool { return a.master.cmp(b.master) < 0 }

func newStream() *streamValue {
	return &streamValue{nodes: btree.NewBTreeGOptions(nodeLess, btree.Options{NoLocks: true})}
}

// groupNames is the groups in name order.
func (s *streamValue) groupNames() []string {
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// appendEntry adds an entry with an ID greater than the last one.
func (s *streamValue) appendEntry(id streamID, fields []string, maxEntries int64) {
	tail, ok := s.nodes.Max()
	if !ok || (maxEntries > 0 && int64(len(tail.ents)) >= maxEntries) {
		tail = &streamNode{master: id}
		s.nodes.Set(tail)
	}
	tail.ents = append(tail.ents, streamEntry{id: id, fields: fields})
	tail.live++
	s.length++
	s.entriesAdded++
	s.lastID = id
	if s.length == 1 {
		s.firstID = id
	}
}

// nodeFor is the node that would hold id: the last with master <= id.
func (s *streamValue) nodeFor(id streamID) *streamNode {
	var n *streamNode
	s.nodes.Descend(&streamNode{master: id}, func(x *streamNode) bool { n = x; return false })
	return n
}

// lookup finds a live entry.
func (s *streamValue) lookup(id streamID) (*streamNode, int, bool) {
	n := s.nodeFor(id)
	if n == nil {
		return nil, 0, false
	}
	i := n.find(id)
	if i < len(n.ents) && n.ents[i].id == id && !n.ents[i].deleted {
		return n, i, true
	}
	return nil, 0, false
}

func (s *streamValue) exists(id streamID) bool { _, _, ok := s.lookup(id); return ok }

// deleteEntry is streamDeleteItem.
func (s *streamValue) deleteEntry(id streamID) bool {
	n, i, ok := s.lookup(id)
	if !ok {
		return false
	}
	// The fields stay, as they stay in Redis' listpack, flagged deleted
	// (DUMP writes them).
	n.ents[i].deleted = true
	n.live--
	s.length--
	if n.live == 0 {
		s.nodes.Delete(n)
	}
	return true
}

// ascend calls fn with the live entries from start to end, in order, until
// fn returns false.
func (s *streamValue) ascend(start, end streamID, fn func(e *streamEntry) bool) {
	first := true
	pivot := s.nodeFor(start)
	if pivot == nil {
		pivot = &streamNode{master: start}
	}
	s.nodes.Ascend(pivot, func(n *streamNode) bool {
		i := 0
		if first {
			i = n.find(start)
			first = false
		}
		for ; i < len(n.ents); i++ {
			e := &n.ents[i]
			if e.id.cmp(end) > 0 {
				return false
			}
			if e.deleted {
				continue
			}
			if !fn(e) {
				return false
			}
		}
		return true
	})
}

// descend calls fn with the live entries from end down to start.
func (s *streamValue) descend(start, end streamID, fn func(e *streamEntry) bool) {
	first := true
	s.nodes.Descend(&streamNode{master: end}, func(n *streamNode) bool {
		i := len(n.ents) - 1
		if first {
			i = n.find(end)
			if i == len(n.ents) || n.ents[i].id != end {
				i--
			}
			first = false
		}
		for ; i >= 0; i-- {
			e := &n.ents[i]
			if e.id.cmp(start) < 0 {
				return false
			}
			if e.deleted {
				continue
			}
			if !fn(e) {
				return false
			}
		}
		return true
	})
}

// edge is the first or last live entry's ID (streamGetEdgeID), or 0-0 /
// max for an empty stream as Redis returns.
func (s *streamValue) edge(first bool) (streamID, bool) {
	var id streamID
	found := false
	if first {
		s.ascend(streamID{}, maxStreamID, func(e *streamEntry) bool { id, found = e.id, true; return false })
	} else {
		s.descend(streamID{}, maxStreamID, func(e *streamEntry) bool { id, found = e.id, true; return false })
	}
	return id, found
}

// lastValidID is streamLastValidID: the last live entry's ID, 0-0 if none.
func (s *streamValue) lastValidID() streamID {
	id, _ := s.edge(false)
	return id
}

// trimArgs are XADD's and XTRIM's trimming options.
type trimArgs struct {
	strategy byte // 0 none, 'm' MAXLEN, 'i' MINID
	approx   bool
	maxlen   int64
	minid    streamID
	limit    int64
}

// trim is streamTrim: whole nodes first; an exact trim then flags entries
// within the next node; the limit bounds the entries a trim may remove.
func (s *streamValue) trim(a *trimArgs) int64 {
	if a.strategy == 0 {
		return 0
	}
	var deleted int64
	for {
		if a.strategy == 'm' && s.length <= a.maxlen {
			break
		}
		n, ok := s.nodes.Min()
		if !ok {
			break
		}
		entries := int64(n.live)
		if a.limit > 0 && deleted+entries > a.limit {
			break
		}
		var remove bool
		if a.strategy == 'm' {
			remove = s.length-entries >= a.maxlen
		} else {
			remove = n.last().cmp(a.minid) < 0
		}
		if remove {
			s.nodes.Delete(n)
			s.length -= entries
			deleted += entries
			continue
		}
		if a.approx {
			break
		}
		for i := range n.ents {
			e := &n.ents[i]
			var stop bool
			if a.strategy == 'm' {
				stop = s.length <= a.maxlen
			} else {
				stop = e.id.cmp(a.minid) >= 0
			}
			if stop {
				break
			}
			if !e.deleted {
				e.deleted = true // the fields stay, as in deleteEntry
				n.live--
				s.length--
				deleted++
			}
		}
		break
	}
	if s.length == 0 {
		s.firstID = streamID{}
	} else {
		s.firstID, _ = s.edge(true)
	}
	return deleted
}

// estimateDistance is streamEstimateDistanceFromFirstEverEntry.
func (s *streamValue) estimateDistance(id streamID) int64 {
	if s.entriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.cmp(s.lastID) < 1 {
		return s.entriesAdded
	}
	switch c := id.cmp(s.lastID); {
	case c == 0:
		return s.entriesAdded
	case c > 0:
		return invalidEntriesRead
	}
	cmpFirst := id.cmp(s.firstID)
	if s.maxDeleted.isZero() || s.maxDeleted.cmp(s.firstID) < 0 {
		if cmpFirst < 0 {
			return s.entriesAdded - s.length
		} else if cmpFirst == 0 {
			return s.entriesAdded - s.length + 1
		}
	}
	return invalidEntriesRead
}

// hasTombstones is streamRangeHasTombstones from start to the end.
func (s *streamValue) hasTombstones(start streamID) bool {
	if s.length == 0 || s.maxDeleted.isZero() {
		return false
	}
	if s.firstID.cmp(s.maxDeleted) > 0 {
		return false
	}
	return start.cmp(s.maxDeleted) <= 0
}

// lag is a group's lag (streamReplyWithCGLag); false when unknown.
func (s *streamValue) lag(g *streamGroup) (int64, bool) {
	if s.entriesAdded == 0 {
		return 0, true
	}
	if g.entriesRead != invalidEntriesRead && !s.hasTombstones(g.lastID) {
		return s.entriesAdded - g.entriesRead, true
	}
	if r := s.estimateDistance(g.lastID); r != invalidEntriesRead {
		return s.entriesAdded - r, true
	}
	return 0, false
}

func (s *streamValue) createGroup(name string, id streamID, entriesRead int64) *streamGroup {
	if s.groups == nil {
		s.groups = map[string]*streamGroup{}
	}
	if s.groups[name] != nil {
		return nil
	}
	g := &streamGroup{name: name, lastID: id, entriesRead: entriesRead, pel: newPEL(), consumers: map[string]*streamConsumer{}}
	s.groups[name] = g
	return g
}

// copy duplicates the stream, its groups and their pending entries.
func (s *streamValue) copy() *streamValue {
	cp := *s
	cp.nodes = btree.NewBTreeGOptions(nodeLess, btree.Options{NoLocks: true})
	s.nodes.Scan(func(n *streamNode) bool {
		nn := &streamNode{master: n.master, ents: append([]streamEntry(nil), n.ents...), live: n.live}
		cp.nodes.Set(nn)
		return true
	})
	cp.groups = nil
	for name, g := range s.groups {
		ng := cp.createGroup(name, g.lastID, g.entriesRead)
		for cn, c := range g.consumers {
			ng.consumers[cn] = &streamConsumer{name: cn, seenTime: c.seenTime, pel: newPEL()}
		}
		g.pel.Scan(func(n *streamNACK) bool {
			nn := &streamNACK{id: n.id, deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount}
			if n.consumer != nil {
				nn.consumer = ng.consumers[n.consumer.name]
				nn.consumer.pel.Set(nn)
			}
			ng.pel.Set(nn)
			return true
		})
	}
	return &cp
}
