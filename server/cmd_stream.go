package server

import (
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The stream commands, as Redis 7.0 implements them in t_stream.c. XREAD
// and XREADGROUP block as the list pops do (see cmd_list.go): a client
// waits in a queue per key, and a command that adds to a stream (XADD) or
// destroys a group serves the waiters after it.
//
// Where 7.0 and 8.2 differ in a reply (XINFO's extra fields of 7.2,
// XREADGROUP's unblocking on a deleted key), these commands answer as 7.0.

// Error replies only the stream commands give.
const (
	errStreamID            = "ERR Invalid stream ID specified as stream command argument"
	errStreamIDZero        = "ERR The ID specified in XADD must be greater than 0-0"
	errStreamIDSmall       = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	errStreamExhausted     = "ERR The stream has exhausted the last possible ID, unable to add more items"
	errStreamMaxlen        = "ERR The MAXLEN argument must be >= 0."
	errStreamLimit         = "ERR The LIMIT argument must be >= 0."
	errStreamLimitNoTrim   = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	errStreamXtrimNoTrim   = "ERR syntax error, XTRIM must be called with a trimming strategy"
	errStreamLimitNoApprox = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	errStreamBothTrims     = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	errStreamStartID       = "ERR invalid start ID for the interval"
	errStreamEndID         = "ERR invalid end ID for the interval"
	errStreamBusyGroup     = "BUSYGROUP Consumer Group name already exists"
	errStreamNeedsKey      = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	errStreamEntriesRead   = "ERR value for ENTRIESREAD must be positive or -1"
	errStreamGroupOnly     = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
	errStreamNoackOnly     = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
	errStreamMissingGroup  = "ERR Missing GROUP option for XREADGROUP"
	errStreamDollarGroup   = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."
	errStreamGtNoGroup     = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."
	errStreamTimeoutInt    = "ERR timeout is not an integer or out of range"
	errStreamGroupGone     = "NOGROUP the consumer group this client was blocked on no longer exists"
	errStreamCountPositive = "ERR COUNT must be > 0"
	errXsetidEntriesAdded  = "ERR entries_added must be positive"
	errXsetidMaxDeleted    = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
	errXsetidCurMaxDeleted = "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id"
	errXsetidSmall         = "ERR The ID specified in XSETID is smaller than the target stream top item"
	errXsetidEntriesSmall  = "ERR The entries_added specified in XSETID is smaller than the target stream length"
)

func streamCommands(s *Server) commandGroup {
	return commandGroup{
		{"xadd", s.cmdXadd, 0},
		{"xlen", s.cmdXlen, 0},
		{"xrange", s.cmdXrange, 0},
		{"xrevrange", s.cmdXrevrange, 0},
		{"xdel", s.cmdXdel, 0},
		{"xtrim", s.cmdXtrim, 0},
		{"xread", s.cmdXread, 0},
		{"xreadgroup", s.cmdXread, 0},
		{"xack", s.cmdXack, 0},
		{"xpending", s.cmdXpending, 0},
		{"xclaim", s.cmdXclaim, 0},
		{"xautoclaim", s.cmdXautoclaim, 0},
		{"xsetid", s.cmdXsetid, 0},
		{"xgroup", nil, 0},
		{"xgroup|create", s.cmdXgroup, 0},
		{"xgroup|setid", s.cmdXgroup, 0},
		{"xgroup|destroy", s.cmdXgroup, 0},
		{"xgroup|createconsumer", s.cmdXgroup, 0},
		{"xgroup|delconsumer", s.cmdXgroup, 0},
		{"xgroup|help", s.cmdXgroupHelp, 0},
		{"xinfo", nil, 0},
		{"xinfo|stream", s.cmdXinfo, 0},
		{"xinfo|groups", s.cmdXinfo, 0},
		{"xinfo|consumers", s.cmdXinfo, 0},
		{"xinfo|help", s.cmdXinfoHelp, 0},
	}
}

func streamLookupRead(c *Ctx, key []byte) (*Entry, bool) {
	return lookupTyped(c, key, TypeStream, false)
}

func streamLookupWrite(c *Ctx, key []byte) (*Entry, bool) {
	return lookupTyped(c, key, TypeStream, true)
}

// strtoull is string2ull: a long long as string2ll reads one if it is not
// negative, else what C's strtoull accepts whole (leading spaces, a sign,
// a negated value wrapping around).
func strtoull(s string) (uint64, bool) {
	if n, ok := resp.ParseIntString(s); ok {
		return uint64(n), n >= 0
	}
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d-'0'))/10 {
			return 0, false // ERANGE
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseStreamID is streamGenericParseIDOrReply without the reply: missing
// is the sequence of a bare <ms>; with seqGiven non-nil, <ms>-* is
// accepted and reported through it; strict refuses "-" and "+".
func parseStreamID(arg string, missing uint64, strict bool, seqGiven *bool) (streamID, bool) {
	if len(arg) > 127 {
		return streamID{}, false
	}
	if strict && (arg == "-" || arg == "+") {
		return streamID{}, false
	}
	if seqGiven != nil {
		*seqGiven = true
	}
	switch arg {
	case "-":
		return streamID{}, true
	case "+":
		return maxStreamID, true
	}
	// The C code stops at a NUL byte.
	if i := strings.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	msPart, seqPart, dot := strings.Cut(arg, "-")
	ms, ok := strtoull(msPart)
	if !ok {
		return streamID{}, false
	}
	seq := missing
	if dot {
		if seqGiven != nil && seqPart == "*" {
			seq, *seqGiven = 0, false
		} else if seq, ok = strtoull(seqPart); !ok {
			return streamID{}, false
		}
	}
	return streamID{ms, seq}, true
}

// streamIDArg is streamParseStrictIDOrReply / streamParseIDOrReply.
func streamIDArg(c *Ctx, arg []byte, missing uint64, strict bool) (streamID, bool) {
	id, ok := parseStreamID(string(arg), missing, strict, nil)
	if !ok {
		c.W.Error(errStreamID)
	}
	return id, ok
}

// intervalID is streamParseIntervalIDOrReply: "(" makes the bound
// exclusive (and the rest strict).
func intervalID(c *Ctx, arg []byte, missing uint64) (id streamID, exclusive, ok bool) {
	if len(arg) > 1 && arg[0] == '(' {
		id, ok = streamIDArg(c, arg[1:], missing, true)
		return id, true, ok
	}
	id, ok = streamIDArg(c, arg, missing, false)
	return id, false, ok
}

func writeStreamID(w *resp.Writer, id streamID) {
	var tmp [41]byte // two uint64s and the dash
	w.Bulk(id.appendTo(tmp[:0]))
}

func writeStreamEntry(w *resp.Writer, e *streamEntry) {
	w.Array(2)
	writeStreamID(w, e.id)
	w.StringArray(e.fields)
}

// longLongArg is getLongLongFromObjectOrReply, msg the error ("" for the
// default).
func longLongArg(c *Ctx, arg []byte, msg string) (int64, bool) {
	n, ok := resp.ParseInt(arg)
	if !ok {
		if msg == "" {
			msg = ErrNotInteger
		}
		c.W.Error(msg)
	}
	return n, ok
}

// parseTrimArgs is streamParseAddOrTrimArgsOrReply: the index where the ID
// (XADD) was read, or -1 after an error reply.
func (s *Server) parseTrimArgs(c *Ctx, args [][]byte, xadd bool) (i int, a trimArgs, id streamID, idGiven, seqGiven, noMk bool) {
	limitGiven := false
	for i = 2; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			goto done
		case resp.EqualFold(opt, "maxlen") && more > 0:
			if a.strategy != 0 {
				c.W.Error(errStreamBothTrims)
				return -1, a, id, false, false, false
			}
			a.approx = false
			if more >= 2 && string(args[i+1]) == "~" {
				a.approx = true
				i++
			} else if more >= 2 && string(args[i+1]) == "=" {
				i++
			}
			n, ok := longLongArg(c, args[i+1], "")
			if !ok {
				return -1, a, id, false, false, false
			}
			if n < 0 {
				c.W.Error(errStreamMaxlen)
				return -1, a, id, false, false, false
			}
			i++
			a.strategy, a.maxlen = 'm', n
		case resp.EqualFold(opt, "minid") && more > 0:
			if a.strategy != 0 {
				c.W.Error(errStreamBothTrims)
				return -1, a, id, false, false, false
			}
			a.approx = false
			if more >= 2 && string(args[i+1]) == "~" {
				a.approx = true
				i++
			} else if more >= 2 && string(args[i+1]) == "=" {
				i++
			}
			m, ok := streamIDArg(c, args[i+1], 0, true)
			if !ok {
				return -1, a, id, false, false, false
			}
			i++
			a.strategy, a.minid = 'i', m
		case resp.EqualFold(opt, "limit") && more > 0:
			n, ok := longLongArg(c, args[i+1], "")
			if !ok {
				return -1, a, id, false, false, false
			}
			if n < 0 {
				c.W.Error(errStreamLimit)
				return -1, a, id, false, false, false
			}
			a.limit, limitGiven = n, true
			i++
		case xadd && resp.EqualFold(opt, "nomkstream"):
			noMk = true
		case xadd:
			var ok bool
			if id, ok = parseStreamID(string(opt), 0, true, &seqGiven); !ok {
				c.W.Error(errStreamID)
				return -1, a, id, false, false, false
			}
			idGiven = true
			goto done
		default:
			c.W.Error(ErrSyntax)
			return -1, a, id, false, false, false
		}
	}
done:
	if a.limit != 0 && a.strategy == 0 {
		c.W.Error(errStreamLimitNoTrim)
		return -1, a, id, false, false, false
	}
	if !xadd && a.strategy == 0 {
		c.W.Error(errStreamXtrimNoTrim)
		return -1, a, id, false, false, false
	}
	if limitGiven {
		if !a.approx {
			c.W.Error(errStreamLimitNoApprox)
			return -1, a, id, false, false, false
		}
	} else if a.approx {
		a.limit = 100 * s.params.streamNodeMaxEntries.Int()
		if a.limit <= 0 || a.limit > 1<<30 {
			a.limit = 10000
		}
	} else {
		a.limit = 0
	}
	return i, a, id, idGiven, seqGiven, noMk
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
func (s *Server) cmdXadd(c *Ctx, args [][]byte) {
	i, ta, id, idGiven, seqGiven, noMk := s.parseTrimArgs(c, args, true)
	if i < 0 {
		return
	}
	fieldPos := i + 1
	if n := len(args) - fieldPos; n < 2 || n%2 == 1 {
		c.W.Error(wrongArgs(c))
		return
	}
	if idGiven && seqGiven && id.isZero() {
		c.W.Error(errStreamIDZero)
		return
	}
	e, ok := streamLookupWrite(c, args[1])
	if !ok {
		return
	}
	key := string(args[1])
	db := c.DB()
	if e == nil {
		if noMk {
			c.W.Null()
			return
		}
		e = newStreamEntry(newStream())
		db.add(key, e)
	}
	sv := e.stream()
	if sv.lastID == maxStreamID {
		c.W.Error(errStreamExhausted)
		return
	}
	var newID streamID
	switch {
	case idGiven && seqGiven:
		newID = id
	case idGiven:
		if sv.lastID.ms == id.ms {
			if sv.lastID.seq == math.MaxUint64 {
				c.W.Error(errStreamIDSmall)
				return
			}
			newID = streamID{id.ms, sv.lastID.seq + 1}
		} else {
			newID = id
		}
	default:
		ms := uint64(time.Now().UnixMilli())
		if ms > sv.lastID.ms {
			newID = streamID{ms, 0}
		} else {
			newID, _ = sv.lastID.incr()
		}
	}
	if newID.cmp(sv.lastID) <= 0 {
		c.W.Error(errStreamIDSmall)
		return
	}
	// The fields and values are cut from one string (one allocation; they
	// live and die with the entry).
	size := 0
	for _, a := range args[fieldPos:] {
		size += len(a)
	}
	var all strings.Builder
	all.Grow(size)
	for _, a := range args[fieldPos:] {
		all.Write(a)
	}
	joined := all.String()
	fields := make([]string, len(args)-fieldPos)
	off := 0
	for j, a := range args[fieldPos:] {
		fields[j] = joined[off : off+len(a)]
		off += len(a)
	}
	sv.appendEntry(newID, fields, s.params.streamNodeMaxEntries.Int())
	writeStreamID(c.W, newID)
	s.notifyKey(db.id, key, "xadd", EventStream)
	if ta.strategy != 0 && sv.trim(&ta) > 0 {
		s.notifyKey(db.id, key, "xtrim", EventStream)
	}
	s.signalStreamReady(db.id, key)
}

func wrongArgs(c *Ctx) string {
	return "ERR wrong number of arguments for '" + strings.ToLower(c.Cmd.Name) + "' command"
}

func (s *Server) cmdXlen(c *Ctx, args [][]byte) {
	e, ok := streamLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	c.W.Int(e.stream().length)
}

func (s *Server) cmdXrange(c *Ctx, args [][]byte)    { s.xrange(c, args, false) }
func (s *Server) cmdXrevrange(c *Ctx, args [][]byte) { s.xrange(c, args, true) }

// xrange is XRANGE and XREVRANGE.
func (s *Server) xrange(c *Ctx, args [][]byte, rev bool) {
	startArg, endArg := args[2], args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ex, ok := intervalID(c, startArg, 0)
	if !ok {
		return
	}
	if ex {
		if start, ok = start.incr(); !ok {
			c.W.Error(errStreamStartID)
			return
		}
	}
	end, ex, ok := intervalID(c, endArg, math.MaxUint64)
	if !ok {
		return
	}
	if ex {
		if end, ok = end.decr(); !ok {
			c.W.Error(errStreamEndID)
			return
		}
	}
	count := int64(-1)
	for j := 4; j < len(args); j++ {
		if resp.EqualFold(args[j], "count") && j+1 < len(args) {
			if count, ok = longLongArg(c, args[j+1], ""); !ok {
				return
			}
			if count < 0 {
				count = 0
			}
			j++
		} else {
			c.W.Error(ErrSyntax)
			return
		}
	}
	e, ok := streamLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Array(0)
		return
	}
	if count == 0 {
		c.W.NullArray()
		return
	}
	if count < 0 {
		count = 0
	}
	writeEntries(c.W, collectRange(e.stream(), start, end, count, rev))
}

// collectRange is the live entries from start to end (end down to start
// if rev), at most count of them (0: all).
func collectRange(sv *streamValue, start, end streamID, count int64, rev bool) []*streamEntry {
	var out []*streamEntry
	if start.cmp(end) > 0 {
		return nil
	}
	fn := func(e *streamEntry) bool {
		out = append(out, e)
		return count == 0 || int64(len(out)) < count
	}
	if rev {
		sv.descend(start, end, fn)
	} else {
		sv.ascend(start, end, fn)
	}
	return out
}

func writeEntries(w *resp.Writer, ents []*streamEntry) {
	w.Array(len(ents))
	for _, e := range ents {
		writeStreamEntry(w, e)
	}
}

func (s *Server) cmdXdel(c *Ctx, args [][]byte) {
	e, ok := streamLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	ids := make([]streamID, 0, len(args)-2)
	for _, a := range args[2:] {
		id, ok := streamIDArg(c, a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	sv := e.stream()
	deleted, firstDeleted := int64(0), false
	for _, id := range ids {
		if sv.deleteEntry(id) {
			if id == sv.firstID {
				firstDeleted = true
			}
			if id.cmp(sv.maxDeleted) > 0 {
				sv.maxDeleted = id
			}
			deleted++
		}
	}
	if deleted > 0 {
		if sv.length == 0 {
			sv.firstID = streamID{}
		} else if firstDeleted {
			sv.firstID, _ = sv.edge(true)
		}
		s.notifyKey(c.Client.db, string(args[1]), "xdel", EventStream)
	}
	c.W.Int(deleted)
}

func (s *Server) cmdXtrim(c *Ctx, args [][]byte) {
	e, ok := streamLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	i, ta, _, _, _, _ := s.parseTrimArgs(c, args, false)
	if i < 0 {
		return
	}
	n := e.stream().trim(&ta)
	if n > 0 {
		s.notifyKey(c.Client.db, string(args[1]), "xtrim", EventStream)
	}
	c.W.Int(n)
}

// streamWaiter is a client blocked in XREAD or XREADGROUP.
type streamWaiter struct {
	bc       *BlockedClient
	db       int
	keys     []string
	ids      []streamID // per key: serve entries after this one
	count    int64
	group    string
	consumer string
	isGroup  bool
	noack    bool
}

// lookupConsumer is streamLookupConsumer (refresh: SLC_DEFAULT, the seen
// time is updated).
func lookupConsumer(g *streamGroup, name string, now int64, refresh bool) *streamConsumer {
	cons := g.consumers[name]
	if cons != nil && refresh {
		cons.seenTime = now
	}
	return cons
}

// createConsumer is streamCreateConsumer, with its event.
func (s *Server) createConsumer(g *streamGroup, name string, db int, key string, now int64) *streamConsumer {
	if g.consumers[name] != nil {
		return nil
	}
	cons := &streamConsumer{name: name, seenTime: now, pel: newPEL()}
	g.consumers[name] = cons
	s.notifyKeyKeepWatch(db, key, "xgroup-createconsumer", EventStream)
	return cons
}

// lookupOrCreateConsumer is what XREADGROUP and XCLAIM do: find the
// consumer or create it.
func (s *Server) lookupOrCreateConsumer(g *streamGroup, name string, db int, key string, now int64) *streamConsumer {
	if cons := lookupConsumer(g, name, now, true); cons != nil {
		return cons
	}
	return s.createConsumer(g, name, db, key, now)
}

// readGroupRange is streamReplyWithRange for a consumer group (or none):
// the entries after start, at most count (0: all), each recorded as
// pending for the consumer unless noack, the group's last ID advanced.
func readGroupRange(w *resp.Writer, sv *streamValue, start streamID, count int64, g *streamGroup, cons *streamConsumer, noack bool, now int64) {
	ents := collectRange(sv, start, maxStreamID, count, false)
	w.Array(len(ents))
	for _, e := range ents {
		if g != nil && e.id.cmp(g.lastID) > 0 {
			if g.entriesRead != invalidEntriesRead && !sv.hasTombstones(e.id) {
				g.entriesRead++
			} else if sv.entriesAdded != 0 {
				g.entriesRead = sv.estimateDistance(e.id)
			}
			g.lastID = e.id
		}
		writeStreamEntry(w, e)
		if g != nil && !noack {
			key := &streamNACK{id: e.id}
			if nack, ok := g.pel.Get(key); ok {
				nack.consumer.pel.Delete(nack)
				nack.consumer = cons
				nack.deliveryTime = now
				nack.deliveryCount = 1
				cons.pel.Set(nack)
			} else {
				nack := &streamNACK{id: e.id, deliveryTime: now, deliveryCount: 1, consumer: cons}
				g.pel.Set(nack)
				cons.pel.Set(nack)
			}
		}
	}
}

// readConsumerHistory is streamReplyWithRangeFromConsumerPEL.
func readConsumerHistory(w *resp.Writer, sv *streamValue, start streamID, count int64, cons *streamConsumer, now int64) {
	var nacks []*streamNACK
	cons.pel.Ascend(&streamNACK{id: start}, func(n *streamNACK) bool {
		if count != 0 && int64(len(nacks)) >= count {
			return false
		}
		nacks = append(nacks, n)
		return true
	})
	w.Array(len(nacks))
	for _, n := range nacks {
		if node, i, ok := sv.lookup(n.id); ok {
			writeStreamEntry(w, &node.ents[i])
			n.deliveryTime = now
			n.deliveryCount++
		} else {
			w.Array(2)
			writeStreamID(w, n.id)
			w.NullArray()
		}
	}
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
func (s *Server) cmdXread(c *Ctx, args [][]byte) {
	xreadgroup := len(args[0]) == 10
	timeout := int64(-1)
	var count int64
	streamsArg, nstreams := 0, 0
	var group, consumer []byte
	noack := false
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		o := args[i]
		switch {
		case resp.EqualFold(o, "block") && more > 0:
			i++
			n, ok := longLongArg(c, args[i], errStreamTimeoutInt)
			if !ok {
				return
			}
			if n < 0 {
				c.W.Error(errTimeoutNegative)
				return
			}
			if n > 0 && n > math.MaxInt64-c.now {
				c.W.Error(errTimeoutRange)
				return
			}
			timeout = n
		case resp.EqualFold(o, "count") && more > 0:
			i++
			n, ok := longLongArg(c, args[i], "")
			if !ok {
				return
			}
			count = max(n, 0)
		case resp.EqualFold(o, "streams") && more > 0:
			streamsArg = i + 1
			nstreams = len(args) - streamsArg
			if nstreams%2 != 0 {
				name, sym := "XREAD", "$"
				if xreadgroup {
					name, sym = "XREADGROUP", ">"
				}
				c.W.Error("ERR Unbalanced " + name + " list of streams: for each stream key an ID or '" + sym + "' must be specified.")
				return
			}
			nstreams /= 2
			i = len(args)
		case resp.EqualFold(o, "group") && more >= 2:
			if !xreadgroup {
				c.W.Error(errStreamGroupOnly)
				return
			}
			group, consumer = args[i+1], args[i+2]
			i += 2
		case resp.EqualFold(o, "noack"):
			if !xreadgroup {
				c.W.Error(errStreamNoackOnly)
				return
			}
			noack = true
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	if streamsArg == 0 {
		c.W.Error(ErrSyntax)
		return
	}
	if xreadgroup && group == nil {
		c.W.Error(errStreamMissingGroup)
		return
	}
	keys := args[streamsArg : streamsArg+nstreams]
	ids := make([]streamID, nstreams)
	groups := make([]*streamGroup, nstreams)
	db := c.DB()
	for j := range keys {
		idArg := args[streamsArg+nstreams+j]
		e, ok := streamLookupRead(c, keys[j])
		if !ok {
			return
		}
		if group != nil {
			var g *streamGroup
			if e != nil {
				g = e.stream().groups[string(group)]
			}
			if g == nil {
				c.W.Error("NOGROUP No such key '" + string(keys[j]) + "' or consumer group '" + string(group) + "' in XREADGROUP with GROUP option")
				return
			}
			groups[j] = g
		}
		switch string(idArg) {
		case "$":
			if xreadgroup {
				c.W.Error(errStreamDollarGroup)
				return
			}
			if e != nil {
				ids[j] = e.stream().lastID
			}
			continue
		case ">":
			if !xreadgroup {
				c.W.Error(errStreamGtNoGroup)
				return
			}
			ids[j] = maxStreamID
			continue
		}
		if ids[j], ok = streamIDArg(c, idArg, 0, true); !ok {
			return
		}
	}
	// Serve what can be served now; the reply is built aside as its
	// length is known at the end.
	w := resp.NewWriter(c.W.Proto())
	served := 0
	for j, k := range keys {
		e := db.lookupRead(c, k)
		if e == nil {
			continue
		}
		sv := e.stream()
		gt := ids[j]
		serve, history := false, false
		var cons *streamConsumer
		if group != nil {
			if gt != maxStreamID {
				serve, history = true, true
			} else if sv.length > 0 {
				if sv.lastValidID().cmp(groups[j].lastID) > 0 {
					serve = true
					gt = groups[j].lastID
				}
			}
			cons = s.lookupOrCreateConsumer(groups[j], string(consumer), db.id, string(k), c.now)
			cons.seenTime = c.now
		} else if sv.length > 0 && sv.lastValidID().cmp(gt) > 0 {
			serve = true
		}
		if !serve {
			continue
		}
		served++
		start, _ := gt.incr()
		if !w.Resp3() {
			w.Array(2)
		}
		w.Bulk(k)
		switch {
		case history:
			readConsumerHistory(w, sv, start, count, cons, c.now)
		case group != nil:
			readGroupRange(w, sv, start, count, groups[j], cons, noack, c.now)
		default:
			readGroupRange(w, sv, start, count, nil, nil, false, c.now)
		}
	}
	if served > 0 {
		if c.W.Resp3() {
			c.W.Map(served)
		} else {
			c.W.Array(served)
		}
		c.W.Raw(w.Bytes())
		return
	}
	if timeout < 0 || !c.CanBlock() {
		c.W.NullArray()
		return
	}
	sw := &streamWaiter{count: count, ids: ids, noack: noack, isGroup: group != nil,
		group: string(group), consumer: string(consumer)}
	if count == 0 {
		sw.count = 1000 // XREAD_BLOCKED_DEFAULT_COUNT
	}
	s.blockOnStreams(c, time.Duration(timeout)*time.Millisecond, sw, keys)
}

// blockOnStreams blocks the client on keys until served or timed out.
func (s *Server) blockOnStreams(c *Ctx, timeout time.Duration, w *streamWaiter, keys [][]byte) {
	deadline := time.Now().Add(timeout)
	if timeout == 0 {
		deadline = time.Now().Add(100 * 365 * 24 * time.Hour)
	}
	bc := newBlockedClient(c.Client.proto, deadline, func(rw *resp.Writer) { rw.NullArray() })
	w.bc = bc
	w.db = c.Client.db
	if s.streamWaiters == nil {
		s.streamWaiters = map[listKey][]*streamWaiter{}
	}
	for _, k := range keys {
		w.keys = append(w.keys, string(k))
		lk := listKey{w.db, string(k)}
		s.streamWaiters[lk] = append(s.streamWaiters[lk], w)
	}
	cl := c.Client
	cl.streamWait = w
	bc.cleanup = func() {
		cl.streamWait = nil
		s.removeStreamWaiter(w)
	}
	c.blocked = bc
}

func (s *Server) removeStreamWaiter(w *streamWaiter) {
	for _, k := range w.keys {
		lk := listKey{w.db, k}
		q := s.streamWaiters[lk]
		for i, x := range q {
			if x == w {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(s.streamWaiters, lk)
		} else {
			s.streamWaiters[lk] = q
		}
	}
}

// signalStreamReady notes that a stream may now serve blocked clients.
func (s *Server) signalStreamReady(db int, key string) {
	lk := listKey{db, key}
	if len(s.streamWaiters[lk]) == 0 || s.streamReadySet[lk] {
		return
	}
	if s.streamReadySet == nil {
		s.streamReadySet = map[listKey]bool{}
	}
	s.streamReadySet[lk] = true
	s.streamReady = append(s.streamReady, lk)
}

// serveStreamWaiters serves the clients blocked on streams that got
// entries (or lost a group), as serveClientsBlockedOnStreamKey does.
func (s *Server) serveStreamWaiters() {
	now := time.Now().UnixMilli()
	for len(s.streamReady) > 0 {
		lk := s.streamReady[0]
		s.streamReady = s.streamReady[1:]
		delete(s.streamReadySet, lk)
		db := s.dbs[lk.db]
		for _, w := range append([]*streamWaiter(nil), s.streamWaiters[lk]...) {
			e := db.Lookup(lk.key)
			if e == nil || e.typ != TypeStream {
				break
			}
			sv := e.stream()
			ki := 0
			for i, k := range w.keys {
				if k == lk.key {
					ki = i
				}
			}
			var g *streamGroup
			if w.isGroup {
				if g = sv.groups[w.group]; g == nil {
					if w.bc.claim() {
						s.removeStreamWaiter(w)
						w.bc.replyClaimed(func(rw *resp.Writer) { rw.Error(errStreamGroupGone) })
					}
					continue
				}
				w.ids[ki] = g.lastID
			}
			if sv.lastID.cmp(w.ids[ki]) <= 0 {
				continue
			}
			if !w.bc.claim() {
				continue
			}
			s.removeStreamWaiter(w)
			start, _ := w.ids[ki].incr()
			w.bc.replyClaimed(func(rw *resp.Writer) {
				var cons *streamConsumer
				if g != nil {
					cons = s.lookupOrCreateConsumer(g, w.consumer, lk.db, lk.key, now)
					cons.seenTime = now
				}
				if rw.Resp3() {
					rw.Map(1)
				} else {
					rw.Array(1)
					rw.Array(2)
				}
				rw.BulkString(lk.key)
				readGroupRange(rw, sv, start, w.count, g, cons, w.noack, now)
			})
		}
	}
	s.streamReady = nil
}

// nogroup is the -NOGROUP error of XPENDING, XCLAIM and XAUTOCLAIM.
func nogroup(key, group []byte) string {
	return "NOGROUP No such key '" + string(key) + "' or consumer group '" + string(group) + "'"
}

func (s *Server) cmdXack(c *Ctx, args [][]byte) {
	e, ok := streamLookupRead(c, args[1])
	if !ok {
		return
	}
	var g *streamGroup
	if e != nil {
		g = e.stream().groups[string(args[2])]
	}
	if g == nil {
		c.W.Int(0)
		return
	}
	ids := make([]streamID, 0, len(args)-3)
	for _, a := range args[3:] {
		id, ok := streamIDArg(c, a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	var n int64
	for _, id := range ids {
		if nack, ok := g.pel.Delete(&streamNACK{id: id}); ok {
			nack.consumer.pel.Delete(nack)
			n++
		}
	}
	c.W.Int(n)
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
func (s *Server) cmdXpending(c *Ctx, args [][]byte) {
	justInfo := len(args) == 3
	if len(args) != 3 && (len(args) < 6 || len(args) > 9) {
		c.W.Error(ErrSyntax)
		return
	}
	var start, end streamID
	var count, minIdle int64
	var consName []byte
	if len(args) >= 6 {
		si := 3
		var ok bool
		if resp.EqualFold(args[3], "idle") {
			if minIdle, ok = longLongArg(c, args[4], ""); !ok {
				return
			}
			if len(args) < 8 {
				c.W.Error(ErrSyntax)
				return
			}
			si += 2
		}
		if count, ok = longLongArg(c, args[si+2], ""); !ok {
			return
		}
		count = max(count, 0)
		var ex bool
		if start, ex, ok = intervalID(c, args[si], 0); !ok {
			return
		}
		if ex {
			if start, ok = start.incr(); !ok {
				c.W.Error(errStreamStartID)
				return
			}
		}
		if end, ex, ok = intervalID(c, args[si+1], math.MaxUint64); !ok {
			return
		}
		if ex {
			if end, ok = end.decr(); !ok {
				c.W.Error(errStreamEndID)
				return
			}
		}
		if si+3 < len(args) {
			consName = args[si+3]
		}
	}
	_, g, ok := lookupGroup(c, args[1], args[2])
	if !ok {
		return
	}
	if justInfo {
		c.W.Array(4)
		c.W.Int(int64(g.pel.Len()))
		if g.pel.Len() == 0 {
			c.W.Null()
			c.W.Null()
			c.W.NullArray()
			return
		}
		first, _ := g.pel.Min()
		last, _ := g.pel.Max()
		writeStreamID(c.W, first.id)
		writeStreamID(c.W, last.id)
		var names []string
		for _, n := range g.consumerNames() {
			if g.consumers[n].pel.Len() > 0 {
				names = append(names, n)
			}
		}
		c.W.Array(len(names))
		for _, n := range names {
			c.W.Array(2)
			c.W.BulkString(n)
			c.W.BulkInt(int64(g.consumers[n].pel.Len()))
		}
		return
	}
	pel := g.pel
	if consName != nil {
		cons := g.consumers[string(consName)]
		if cons == nil {
			c.W.Array(0)
			return
		}
		pel = cons.pel
	}
	var out []*streamNACK
	pel.Ascend(&streamNACK{id: start}, func(n *streamNACK) bool {
		if count == 0 || n.id.cmp(end) > 0 {
			return false
		}
		if minIdle != 0 && c.now-n.deliveryTime < minIdle {
			return true
		}
		out = append(out, n)
		count--
		return true
	})
	c.W.Array(len(out))
	for _, n := range out {
		c.W.Array(4)
		writeStreamID(c.W, n.id)
		c.W.BulkString(n.consumer.name)
		c.W.Int(max(c.now-n.deliveryTime, 0))
		c.W.Int(n.deliveryCount)
	}
}

// writeClaimed is XCLAIM's and XAUTOCLAIM's reply for a claimed entry.
func writeClaimed(w *resp.Writer, sv *streamValue, id streamID, justID bool) {
	if justID {
		writeStreamID(w, id)
		return
	}
	if n, i, ok := sv.lookup(id); ok {
		writeStreamEntry(w, &n.ents[i])
		return
	}
	w.Null()
}

// lookupGroup finds a stream's consumer group for XPENDING, XCLAIM and
// XAUTOCLAIM; false once the reply is written (WRONGTYPE, or NOGROUP for a
// missing key or group).
func lookupGroup(c *Ctx, key, group []byte) (*Entry, *streamGroup, bool) {
	e, ok := streamLookupRead(c, key)
	if !ok {
		return nil, nil, false
	}
	var g *streamGroup
	if e != nil {
		g = e.stream().groups[string(group)]
	}
	if g == nil {
		c.W.Error(nogroup(key, group))
		return nil, nil, false
	}
	return e, g, true
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
func (s *Server) cmdXclaim(c *Ctx, args [][]byte) {
	e, g, ok := lookupGroup(c, args[1], args[2])
	if !ok {
		return
	}
	minIdle, ok := longLongArg(c, args[4], "ERR Invalid min-idle-time argument for XCLAIM")
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	j := 5
	var ids []streamID
	for ; j < len(args); j++ {
		id, ok := parseStreamID(string(args[j]), 0, true, nil)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	now := c.now
	retry, delivery := int64(-1), int64(-1)
	force, justID := false, false
	var lastID streamID
	for ; j < len(args); j++ {
		more := len(args) - 1 - j
		opt := args[j]
		switch {
		case resp.EqualFold(opt, "force"):
			force = true
		case resp.EqualFold(opt, "justid"):
			justID = true
		case resp.EqualFold(opt, "idle") && more > 0:
			j++
			if delivery, ok = longLongArg(c, args[j], "ERR Invalid IDLE option argument for XCLAIM"); !ok {
				return
			}
			delivery = now - delivery
		case resp.EqualFold(opt, "time") && more > 0:
			j++
			if delivery, ok = longLongArg(c, args[j], "ERR Invalid TIME option argument for XCLAIM"); !ok {
				return
			}
		case resp.EqualFold(opt, "retrycount") && more > 0:
			j++
			if retry, ok = longLongArg(c, args[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM"); !ok {
				return
			}
		case resp.EqualFold(opt, "lastid") && more > 0:
			j++
			if lastID, ok = streamIDArg(c, args[j], 0, true); !ok {
				return
			}
		default:
			c.W.Error("ERR Unrecognized XCLAIM option '" + string(opt) + "'")
			return
		}
	}
	if lastID.cmp(g.lastID) > 0 {
		g.lastID = lastID
	}
	if delivery != -1 {
		if delivery < 0 || delivery > now {
			delivery = now
		}
	} else {
		delivery = now
	}
	sv := e.stream()
	key := string(args[1])
	var cons *streamConsumer
	w := resp.NewWriter(c.W.Proto())
	n := 0
	for _, id := range ids {
		nack, found := g.pel.Get(&streamNACK{id: id})
		if !sv.exists(id) {
			if found {
				g.pel.Delete(nack)
				nack.consumer.pel.Delete(nack)
			}
			continue
		}
		if force && !found {
			nack = &streamNACK{id: id, deliveryTime: now, deliveryCount: 1}
			g.pel.Set(nack)
			found = true
		}
		if !found {
			continue
		}
		if nack.consumer != nil && minIdle != 0 && now-nack.deliveryTime < minIdle {
			continue
		}
		if cons == nil {
			cons = s.lookupOrCreateConsumer(g, string(args[3]), c.Client.db, key, now)
		}
		if nack.consumer != cons && nack.consumer != nil {
			nack.consumer.pel.Delete(nack)
		}
		nack.deliveryTime = delivery
		if retry >= 0 {
			nack.deliveryCount = retry
		} else if !justID {
			nack.deliveryCount++
		}
		if nack.consumer != cons {
			cons.pel.Set(nack)
			nack.consumer = cons
		}
		writeClaimed(w, sv, id, justID)
		n++
	}
	c.W.Array(n)
	c.W.Raw(w.Bytes())
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
func (s *Server) cmdXautoclaim(c *Ctx, args [][]byte) {
	e, g, ok := lookupGroup(c, args[1], args[2])
	if !ok {
		return
	}
	minIdle, ok := longLongArg(c, args[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM")
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	start, ex, ok := intervalID(c, args[5], 0)
	if !ok {
		return
	}
	if ex {
		if start, ok = start.incr(); !ok {
			c.W.Error(errStreamStartID)
			return
		}
	}
	count, justID := int64(100), false
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case resp.EqualFold(args[j], "count") && more > 0:
			n, ok := resp.ParseInt(args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				c.W.Error(errStreamCountPositive)
				return
			}
			count = n
			j++
		case resp.EqualFold(args[j], "justid"):
			justID = true
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	sv := e.stream()
	key := string(args[1])
	now := c.now
	attempts := count * 10
	var cons *streamConsumer
	var deleted []streamID
	w := resp.NewWriter(c.W.Proto())
	n := 0
	pos, atEnd := start, false
	next := func() *streamNACK {
		if atEnd {
			return nil
		}
		var found *streamNACK
		g.pel.Ascend(&streamNACK{id: pos}, func(x *streamNACK) bool { found = x; return false })
		if found != nil {
			if pos, ok = found.id.incr(); !ok {
				atEnd = true
			}
		}
		return found
	}
	for attempts != 0 && count != 0 {
		attempts--
		nack := next()
		if nack == nil {
			break
		}
		if !sv.exists(nack.id) {
			g.pel.Delete(nack)
			nack.consumer.pel.Delete(nack)
			deleted = append(deleted, nack.id)
			count--
			continue
		}
		if minIdle != 0 && now-nack.deliveryTime < minIdle {
			continue
		}
		if cons == nil {
			cons = s.lookupOrCreateConsumer(g, string(args[3]), c.Client.db, key, now)
		}
		if nack.consumer != cons {
			nack.consumer.pel.Delete(nack)
		}
		nack.deliveryTime = now
		if !justID {
			nack.deliveryCount++
		}
		if nack.consumer != cons {
			cons.pel.Set(nack)
			nack.consumer = cons
		}
		writeClaimed(w, sv, nack.id, justID)
		n++
		count--
	}
	var cursor streamID
	if nx := next(); nx != nil {
		cursor = nx.id
	}
	c.W.Array(3)
	writeStreamID(c.W, cursor)
	c.W.Array(n)
	c.W.Raw(w.Bytes())
	c.W.Array(len(deleted))
	for _, id := range deleted {
		writeStreamID(c.W, id)
	}
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
func (s *Server) cmdXsetid(c *Ctx, args [][]byte) {
	id, ok := streamIDArg(c, args[2], 0, true)
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDel streamID
	for i := 3; i < len(args); i++ {
		more := len(args) - 1 - i
		switch {
		case resp.EqualFold(args[i], "entriesadded") && more > 0:
			if entriesAdded, ok = longLongArg(c, args[i+1], ""); !ok {
				return
			}
			if entriesAdded < 0 {
				c.W.Error(errXsetidEntriesAdded)
				return
			}
			i++
		case resp.EqualFold(args[i], "maxdeletedid") && more > 0:
			if maxDel, ok = streamIDArg(c, args[i+1], 0, true); !ok {
				return
			}
			if id.cmp(maxDel) < 0 {
				c.W.Error(errXsetidMaxDeleted)
				return
			}
			i++
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	e, ok := streamLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Error(ErrNoSuchKey)
		return
	}
	sv := e.stream()
	if sv.length > 0 {
		if id.cmp(sv.lastValidID()) < 0 {
			c.W.Error(errXsetidSmall)
			return
		}
		if entriesAdded != -1 && sv.length > entriesAdded {
			c.W.Error(errXsetidEntriesSmall)
			return
		}
	}
	if id.cmp(sv.maxDeleted) < 0 {
		c.W.Error(errXsetidCurMaxDeleted)
		return
	}
	sv.lastID = id
	if entriesAdded != -1 {
		sv.entriesAdded = entriesAdded
	}
	if !maxDel.isZero() {
		sv.maxDeleted = maxDel
	}
	s.notifyKeyKeepWatch(c.Client.db, string(args[1]), "xsetid", EventStream)
	c.W.OK()
}

// cmdXgroup is XGROUP CREATE, SETID, DESTROY, CREATECONSUMER and
// DELCONSUMER (xgroupCommand).
func (s *Server) cmdXgroup(c *Ctx, args [][]byte) {
	opt := strings.ToLower(string(args[1]))
	entriesRead := int64(invalidEntriesRead)
	mkstream := false
	if len(args) > 4 && opt == "create" {
		for i := 5; i < len(args); {
			switch {
			case resp.EqualFold(args[i], "mkstream"):
				mkstream = true
				i++
			case resp.EqualFold(args[i], "entriesread") && i+1 < len(args):
				n, ok := longLongArg(c, args[i+1], "")
				if !ok {
					return
				}
				if n < 0 && n != invalidEntriesRead {
					c.W.Error(errStreamEntriesRead)
					return
				}
				entriesRead = n
				i += 2
			default:
				s.xgroupSyntax(c, args)
				return
			}
		}
	}
	e, ok := streamLookupWrite(c, args[2])
	if !ok {
		return
	}
	var sv *streamValue
	if e != nil {
		sv = e.stream()
	}
	key := string(args[2])
	grp := string(args[3])
	var g *streamGroup
	if !mkstream {
		if sv == nil {
			c.W.Error(errStreamNeedsKey)
			return
		}
		if g = sv.groups[grp]; g == nil && (opt == "setid" || opt == "createconsumer" || opt == "delconsumer") {
			c.W.Error("NOGROUP No such consumer group '" + grp + "' for key name '" + key + "'")
			return
		}
	}
	db := c.DB()
	switch {
	case opt == "create" && len(args) >= 5 && len(args) <= 8:
		var id streamID
		if string(args[4]) == "$" {
			if sv != nil {
				id = sv.lastID
			}
		} else if id, ok = streamIDArg(c, args[4], 0, true); !ok {
			return
		}
		created := sv == nil
		if created {
			sv = newStream()
			db.add(key, newStreamEntry(sv))
		}
		if sv.createGroup(grp, id, entriesRead) == nil {
			c.W.Error(errStreamBusyGroup)
			return
		}
		c.W.OK()
		// Redis signals the key (WATCH) only when MKSTREAM created it.
		if created {
			s.notifyKey(db.id, key, "xgroup-create", EventStream)
		} else {
			s.notifyKeyKeepWatch(db.id, key, "xgroup-create", EventStream)
		}
	case opt == "setid" && (len(args) == 5 || len(args) == 7):
		var id streamID
		if string(args[4]) == "$" {
			id = sv.lastID
		} else if id, ok = streamIDArg(c, args[4], 0, false); !ok {
			return
		}
		if len(args) == 7 {
			if !resp.EqualFold(args[5], "entriesread") {
				s.xgroupSyntax(c, args)
				return
			}
			n, ok := longLongArg(c, args[6], "")
			if !ok {
				return
			}
			if n < 0 && n != invalidEntriesRead {
				c.W.Error(errStreamEntriesRead)
				return
			}
			entriesRead = n
		}
		g.lastID = id
		g.entriesRead = entriesRead
		c.W.OK()
		s.notifyKeyKeepWatch(db.id, key, "xgroup-setid", EventStream)
	case opt == "destroy" && len(args) == 4:
		if g == nil {
			c.W.Int(0)
			return
		}
		delete(sv.groups, grp)
		c.W.Int(1)
		s.notifyKeyKeepWatch(db.id, key, "xgroup-destroy", EventStream)
		s.signalStreamReady(db.id, key)
	case opt == "createconsumer" && len(args) == 5:
		if s.createConsumer(g, string(args[4]), db.id, key, c.now) != nil {
			c.W.Int(1)
		} else {
			c.W.Int(0)
		}
	case opt == "delconsumer" && len(args) == 5:
		var pending int64
		if cons := g.consumers[string(args[4])]; cons != nil {
			pending = int64(cons.pel.Len())
			cons.pel.Scan(func(n *streamNACK) bool { g.pel.Delete(n); return true })
			delete(g.consumers, cons.name)
			s.notifyKeyKeepWatch(db.id, key, "xgroup-delconsumer", EventStream)
		}
		c.W.Int(pending)
	default:
		s.xgroupSyntax(c, args)
	}
}

// xgroupSyntax is addReplySubcommandSyntaxError (XGROUP's and XINFO's).
func (s *Server) xgroupSyntax(c *Ctx, args [][]byte) {
	sub := string(args[1])
	if len(sub) > 128 {
		sub = sub[:128]
	}
	c.W.Error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " + strings.ToUpper(string(args[0])) + " HELP.")
}

func (s *Server) cmdXgroupHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "XGROUP", []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	})
}

func (s *Server) cmdXinfoHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "XINFO", []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	})
}

// writeLag writes a group's entries-read and lag fields' values.
func writeEntriesReadLag(w *resp.Writer, sv *streamValue, g *streamGroup) {
	w.BulkString("entries-read")
	if g.entriesRead != invalidEntriesRead {
		w.Int(g.entriesRead)
	} else {
		w.Null()
	}
	w.BulkString("lag")
	if lag, ok := sv.lag(g); ok {
		w.Int(lag)
	} else {
		w.Null()
	}
}

// cmdXinfo is XINFO STREAM, GROUPS and CONSUMERS.
func (s *Server) cmdXinfo(c *Ctx, args [][]byte) {
	opt := strings.ToLower(string(args[1]))
	e, ok := streamLookupRead(c, args[2])
	if !ok {
		return
	}
	if e == nil {
		c.W.Error(ErrNoSuchKey)
		return
	}
	sv := e.stream()
	w := c.W
	switch {
	case opt == "consumers" && len(args) == 4:
		g := sv.groups[string(args[3])]
		if g == nil {
			c.W.Error("NOGROUP No such consumer group '" + string(args[3]) + "' for key name '" + string(args[2]) + "'")
			return
		}
		now := time.Now().UnixMilli()
		names := g.consumerNames()
		w.Array(len(names))
		for _, n := range names {
			cons := g.consumers[n]
			w.Map(3)
			w.BulkString("name")
			w.BulkString(n)
			w.BulkString("pending")
			w.Int(int64(cons.pel.Len()))
			w.BulkString("idle")
			w.Int(max(now-cons.seenTime, 0))
		}
	case opt == "groups" && len(args) == 3:
		names := sv.groupNames()
		w.Array(len(names))
		for _, n := range names {
			g := sv.groups[n]
			w.Map(6)
			w.BulkString("name")
			w.BulkString(n)
			w.BulkString("consumers")
			w.Int(int64(len(g.consumers)))
			w.BulkString("pending")
			w.Int(int64(g.pel.Len()))
			w.BulkString("last-delivered-id")
			writeStreamID(w, g.lastID)
			writeEntriesReadLag(w, sv, g)
		}
	case opt == "stream":
		s.xinfoStream(c, args, sv)
	default:
		s.xgroupSyntax(c, args)
	}
}

// radixTreeKeys is the number of nodes.
func (sv *streamValue) radixTreeKeys() int64 { return int64(sv.nodes.Len()) }

// radixTreeNodes is the node count of the rax Redis keeps the nodes in,
// keyed by their master IDs as 16 big-endian bytes: a rax in its
// compressed form has a node per run of single-child bytes, per branching
// position and per key end (an empty rax is its root alone).
func (sv *streamValue) radixTreeNodes() int64 {
	keys := make([][16]byte, 0, sv.nodes.Len())
	sv.nodes.Scan(func(n *streamNode) bool {
		var k [16]byte
		binary.BigEndian.PutUint64(k[:8], n.master.ms)
		binary.BigEndian.PutUint64(k[8:], n.master.seq)
		keys = append(keys, k)
		return true
	})
	if len(keys) == 0 {
		return 1
	}
	return raxSubtree(keys, 0)
}

// raxSubtree counts the nodes under a position at depth d that keys (sorted,
// distinct, sharing their first d bytes) go through.
func raxSubtree(keys [][16]byte, d int) int64 {
	if len(keys) == 1 {
		if d == 16 {
			return 1 // the key's node
		}
		return 2 // a compressed node, then the key's node
	}
	l := 0
	for d+l < 16 && keys[0][d+l] == keys[len(keys)-1][d+l] {
		l++
	}
	var n int64
	if l > 0 {
		n++ // the compressed common run
	}
	n++ // the branching node
	at := d + l
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j][at] == keys[i][at] {
			j++
		}
		n += raxSubtree(keys[i:j], at+1)
		i = j
	}
	return n
}

func (s *Server) xinfoStream(c *Ctx, args [][]byte, sv *streamValue) {
	w := c.W
	full := false
	count := int64(10)
	rest := args[3:]
	if len(rest) > 0 {
		if !resp.EqualFold(rest[0], "full") {
			s.xgroupSyntax(c, args)
			return
		}
		full = true
		if len(rest) > 1 {
			if len(rest) != 3 || !resp.EqualFold(rest[1], "count") {
				s.xgroupSyntax(c, args)
				return
			}
			n, ok := longLongArg(c, rest[2], "")
			if !ok {
				return
			}
			if n < 0 {
				n = 10
			}
			count = n
		}
	}
	if full {
		w.Map(9)
	} else {
		w.Map(10)
	}
	w.BulkString("length")
	w.Int(sv.length)
	w.BulkString("radix-tree-keys")
	w.Int(sv.radixTreeKeys())
	w.BulkString("radix-tree-nodes")
	w.Int(sv.radixTreeNodes())
	w.BulkString("last-generated-id")
	writeStreamID(w, sv.lastID)
	w.BulkString("max-deleted-entry-id")
	writeStreamID(w, sv.maxDeleted)
	w.BulkString("entries-added")
	w.Int(sv.entriesAdded)
	if !full {
		w.BulkString("recorded-first-entry-id")
		writeStreamID(w, sv.firstID)
		w.BulkString("groups")
		w.Int(int64(len(sv.groups)))
		w.BulkString("first-entry")
		if ents := collectRange(sv, streamID{}, maxStreamID, 1, false); len(ents) > 0 {
			writeStreamEntry(w, ents[0])
		} else {
			w.Null()
		}
		w.BulkString("last-entry")
		if ents := collectRange(sv, streamID{}, maxStreamID, 1, true); len(ents) > 0 {
			writeStreamEntry(w, ents[0])
		} else {
			w.Null()
		}
		return
	}
	w.BulkString("recorded-first-entry-id")
	writeStreamID(w, sv.firstID)
	w.BulkString("entries")
	writeEntries(w, collectRange(sv, streamID{}, maxStreamID, count, false))
	w.BulkString("groups")
	names := sv.groupNames()
	w.Array(len(names))
	for _, n := range names {
		g := sv.groups[n]
		w.Map(7)
		w.BulkString("name")
		w.BulkString(n)
		w.BulkString("last-delivered-id")
		writeStreamID(w, g.lastID)
		writeEntriesReadLag(w, sv, g)
		w.BulkString("pel-count")
		w.Int(int64(g.pel.Len()))
		w.BulkString("pending")
		var nacks []*streamNACK
		g.pel.Scan(func(x *streamNACK) bool {
			if count != 0 && int64(len(nacks)) >= count {
				return false
			}
			nacks = append(nacks, x)
			return true
		})
		w.Array(len(nacks))
		for _, x := range nacks {
			w.Array(4)
			writeStreamID(w, x.id)
			w.BulkString(x.consumer.name)
			w.Int(x.deliveryTime)
			w.Int(x.deliveryCount)
		}
		w.BulkString("consumers")
		cnames := g.consumerNames()
		w.Array(len(cnames))
		for _, cn := range cnames {
			cons := g.consumers[cn]
			w.Map(4)
			w.BulkString("name")
			w.BulkString(cn)
			w.BulkString("seen-time")
			w.Int(cons.seenTime)
			w.BulkString("pel-count")
			w.Int(int64(cons.pel.Len()))
			w.BulkString("pending")
			var cn2 []*streamNACK
			cons.pel.Scan(func(x *streamNACK) bool {
				if count != 0 && int64(len(cn2)) >= count {
					return false
				}
				cn2 = append(cn2, x)
				return true
			})
			w.Array(len(cn2))
			for _, x := range cn2 {
				w.Array(3)
				writeStreamID(w, x.id)
				w.Int(x.deliveryTime)
				w.Int(x.deliveryCount)
			}
		}
	}
}
