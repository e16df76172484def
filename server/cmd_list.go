package server

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The list commands, as Redis 7.0 implements them in t_list.c, and the
// blocking ones (BLPOP...) as blocked.c serves them: a client blocked on
// keys waits in a queue per key, the first blocked served first, when a
// command leaves elements in a list it waits on.

// Error replies only the list commands give.
const (
	errListMustBePositive = "ERR value is out of range, must be positive"
	errListIndexRange     = "ERR index out of range"
	errListRankZero       = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errListCountNegative  = "ERR COUNT can't be negative"
	errListMaxlenNegative = "ERR MAXLEN can't be negative"
	errListNumkeys        = "ERR numkeys should be greater than 0"
	errListCount          = "ERR count should be greater than 0"
	errTimeoutNotFloat    = "ERR timeout is not a float or out of range"
	errTimeoutNegative    = "ERR timeout is negative"
	errTimeoutRange       = "ERR timeout is out of range"
)

func listCommands(s *Server) commandGroup {
	return commandGroup{
		{"lpush", s.cmdLpush, 0},
		{"rpush", s.cmdRpush, 0},
		{"lpushx", s.cmdLpushx, 0},
		{"rpushx", s.cmdRpushx, 0},
		{"lpop", s.cmdLpop, 0},
		{"rpop", s.cmdRpop, 0},
		{"llen", s.cmdLlen, 0},
		{"lrange", s.cmdLrange, 0},
		{"lindex", s.cmdLindex, 0},
		{"lset", s.cmdLset, 0},
		{"lrem", s.cmdLrem, 0},
		{"ltrim", s.cmdLtrim, 0},
		{"linsert", s.cmdLinsert, 0},
		{"lpos", s.cmdLpos, 0},
		{"lmove", s.cmdLmove, 0},
		{"rpoplpush", s.cmdRpoplpush, 0},
		{"lmpop", s.cmdLmpop, 0},
		{"blpop", s.cmdBlpop, 0},
		{"brpop", s.cmdBrpop, 0},
		{"blmove", s.cmdBlmove, 0},
		{"brpoplpush", s.cmdBrpoplpush, 0},
		{"blmpop", s.cmdBlmpop, 0},
	}
}

func listLookupRead(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeList, false) }

func listLookupWrite(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeList, true) }

// listCreate adds an empty list under key, which must not exist.
func listCreate(db *DB, key string) *Entry {
	e := &Entry{typ: TypeList, mod: &moduleValue{list: &listValue{}}}
	db.add(key, e)
	return e
}

// listRemoved fires the pop event and deletes the key if the list is empty.
func (s *Server) listRemoved(db *DB, key string, e *Entry, event string) {
	s.notifyKey(db.id, key, event, EventList)
	if e.list().Len() == 0 {
		db.remove(key)
		s.notifyKey(db.id, key, "del", EventGeneric)
	}
}

// parseListInt is getLongFromObjectOrReply.
func parseListInt(c *Ctx, arg []byte) (int64, bool) {
	n, ok := resp.ParseIntString(string(arg))
	if !ok {
		c.W.Error(ErrNotInteger)
	}
	return n, ok
}

// parseListWhere is getListPositionFromObjectOrReply: LEFT or RIGHT.
func parseListWhere(c *Ctx, arg []byte) (left, ok bool) {
	switch {
	case resp.EqualFold(arg, "left"):
		return true, true
	case resp.EqualFold(arg, "right"):
		return false, true
	}
	c.W.Error(ErrSyntax)
	return false, false
}

func whereEvent(left bool, pop bool) string {
	switch {
	case left && pop:
		return "lpop"
	case pop:
		return "rpop"
	case left:
		return "lpush"
	}
	return "rpush"
}

// listPush is LPUSH, RPUSH, LPUSHX and RPUSHX.
func (s *Server) listPush(c *Ctx, args [][]byte, left, onlyExisting bool) {
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	key := string(args[1])
	if e == nil {
		if onlyExisting {
			c.W.Int(0)
			return
		}
		e = listCreate(c.DB(), key)
	}
	for _, v := range args[2:] {
		e.list().push(string(v), left)
	}
	s.signalListReady(c.Client.db, key)
	s.notifyKey(c.Client.db, key, whereEvent(left, false), EventList)
	c.W.Int(int64(e.list().Len()))
}

func (s *Server) cmdLpush(c *Ctx, args [][]byte)  { s.listPush(c, args, true, false) }
func (s *Server) cmdRpush(c *Ctx, args [][]byte)  { s.listPush(c, args, false, false) }
func (s *Server) cmdLpushx(c *Ctx, args [][]byte) { s.listPush(c, args, true, true) }
func (s *Server) cmdRpushx(c *Ctx, args [][]byte) { s.listPush(c, args, false, true) }

// listPop is LPOP and RPOP key [count].
func (s *Server) listPop(c *Ctx, args [][]byte, left bool) {
	if len(args) > 3 {
		c.W.Error(fmt.Sprintf(ErrWrongArgsFmt, c.Cmd.Name))
		return
	}
	hasCount, count := len(args) == 3, int64(0)
	if hasCount {
		n, ok := resp.ParseIntString(string(args[2]))
		if !ok || n < 0 {
			c.W.Error(errListMustBePositive)
			return
		}
		count = n
	}
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		if hasCount {
			c.W.NullArray()
		} else {
			c.W.Null()
		}
		return
	}
	if hasCount && count == 0 {
		c.W.Array(0)
		return
	}
	key := string(args[1])
	if !hasCount {
		c.W.BulkString(e.list().pop(left))
	} else {
		n := min(count, int64(e.list().Len()))
		c.W.Array(int(n))
		for range n {
			c.W.BulkString(e.list().pop(left))
		}
	}
	s.listRemoved(c.DB(), key, e, whereEvent(left, true))
}

func (s *Server) cmdLpop(c *Ctx, args [][]byte) { s.listPop(c, args, true) }
func (s *Server) cmdRpop(c *Ctx, args [][]byte) { s.listPop(c, args, false) }

func (s *Server) cmdLlen(c *Ctx, args [][]byte) {
	e, ok := listLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	c.W.Int(int64(e.list().Len()))
}

// listRange normalizes start and stop as LRANGE and LTRIM do: the
// inclusive range [start, stop], empty when start > stop.
func listRange(start, stop int64, n int) (int64, int64) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	if start < 0 {
		start = 0
	}
	if stop >= ln {
		stop = ln - 1
	}
	return start, stop
}

func (s *Server) cmdLrange(c *Ctx, args [][]byte) {
	start, ok := parseListInt(c, args[2])
	if !ok {
		return
	}
	stop, ok := parseListInt(c, args[3])
	if !ok {
		return
	}
	e, ok := listLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Array(0)
		return
	}
	start, stop = listRange(start, stop, e.list().Len())
	if start > stop || start >= int64(e.list().Len()) {
		c.W.Array(0)
		return
	}
	c.W.Array(int(stop - start + 1))
	for i := start; i <= stop; i++ {
		c.W.BulkString(e.list().Get(int(i)))
	}
}

// listIndex resolves a LINDEX/LSET index, false if out of range.
func listIndex(idx int64, n int) (int, bool) {
	if idx < 0 {
		idx += int64(n)
	}
	if idx < 0 || idx >= int64(n) {
		return 0, false
	}
	return int(idx), true
}

func (s *Server) cmdLindex(c *Ctx, args [][]byte) {
	e, ok := listLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Null()
		return
	}
	idx, ok := parseListInt(c, args[2])
	if !ok {
		return
	}
	if i, in := listIndex(idx, e.list().Len()); in {
		c.W.BulkString(e.list().Get(i))
		return
	}
	c.W.Null()
}

func (s *Server) cmdLset(c *Ctx, args [][]byte) {
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Error(ErrNoSuchKey)
		return
	}
	idx, ok := parseListInt(c, args[2])
	if !ok {
		return
	}
	i, in := listIndex(idx, e.list().Len())
	if !in {
		c.W.Error(errListIndexRange)
		return
	}
	e.list().set(i, string(args[3]))
	s.notifyKey(c.Client.db, string(args[1]), "lset", EventList)
	c.W.OK()
}

func (s *Server) cmdLrem(c *Ctx, args [][]byte) {
	count, ok := parseListInt(c, args[2])
	if !ok {
		return
	}
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	v := string(args[3])
	items := e.list().slice()
	keep := make([]bool, len(items))
	removed := int64(0)
	limit := count
	if limit < 0 {
		limit = -limit
	}
	if count >= 0 {
		for i := range items {
			keep[i] = true
			if items[i] == v && (limit == 0 || removed < limit) {
				keep[i] = false
				removed++
			}
		}
	} else {
		for i := len(items) - 1; i >= 0; i-- {
			keep[i] = true
			if items[i] == v && removed < limit {
				keep[i] = false
				removed++
			}
		}
	}
	if removed > 0 {
		out := make([]string, 0, len(items)-int(removed))
		for i, it := range items {
			if keep[i] {
				out = append(out, it)
			}
		}
		e.list().replaceAll(out)
		s.listRemoved(c.DB(), string(args[1]), e, "lrem")
	}
	c.W.Int(removed)
}

func (s *Server) cmdLtrim(c *Ctx, args [][]byte) {
	start, ok := parseListInt(c, args[2])
	if !ok {
		return
	}
	stop, ok := parseListInt(c, args[3])
	if !ok {
		return
	}
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.OK()
		return
	}
	n := e.list().Len()
	start, stop = listRange(start, stop, n)
	var out []string
	if start <= stop && start < int64(n) {
		out = append([]string(nil), e.list().slice()[start:stop+1]...)
	}
	e.list().replaceAll(out)
	s.listRemoved(c.DB(), string(args[1]), e, "ltrim")
	c.W.OK()
}

func (s *Server) cmdLinsert(c *Ctx, args [][]byte) {
	var after bool
	switch {
	case resp.EqualFold(args[2], "after"):
		after = true
	case resp.EqualFold(args[2], "before"):
	default:
		c.W.Error(ErrSyntax)
		return
	}
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	pivot := string(args[3])
	items := e.list().slice()
	for i, it := range items {
		if it != pivot {
			continue
		}
		at := i
		if after {
			at++
		}
		out := make([]string, 0, len(items)+1)
		out = append(out, items[:at]...)
		out = append(out, string(args[4]))
		out = append(out, items[at:]...)
		e.list().replaceAll(out)
		s.notifyKey(c.Client.db, string(args[1]), "linsert", EventList)
		c.W.Int(int64(len(out)))
		return
	}
	c.W.Int(-1)
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func (s *Server) cmdLpos(c *Ctx, args [][]byte) {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		switch {
		case resp.EqualFold(args[j], "rank") && more:
			n, ok := resp.ParseIntString(string(args[j+1]))
			if !ok {
				c.W.Error(ErrNotInteger)
				return
			}
			if n == 0 {
				c.W.Error(errListRankZero)
				return
			}
			rank = n
		case resp.EqualFold(args[j], "count") && more:
			n, ok := resp.ParseIntString(string(args[j+1]))
			if !ok || n < 0 {
				c.W.Error(errListCountNegative)
				return
			}
			count = n
		case resp.EqualFold(args[j], "maxlen") && more:
			n, ok := resp.ParseIntString(string(args[j+1]))
			if !ok || n < 0 {
				c.W.Error(errListMaxlenNegative)
				return
			}
			maxlen = n
		default:
			c.W.Error(ErrSyntax)
			return
		}
		j++
	}
	e, ok := listLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		if count != -1 {
			c.W.Array(0)
		} else {
			c.W.Null()
		}
		return
	}
	v := string(args[2])
	items := e.list().slice()
	var matches []int64
	skip := rank
	if skip < 0 {
		// -LONG_MIN stays LONG_MIN in Redis: the first match.
		skip = max(-skip, 1)
	}
	skip--
	want := count
	if want == -1 {
		want = 1
	}
	for k := 0; k < len(items); k++ {
		if maxlen != 0 && int64(k) >= maxlen {
			break
		}
		i := k
		if rank < 0 {
			i = len(items) - 1 - k
		}
		if items[i] != v {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		matches = append(matches, int64(i))
		if want != 0 && int64(len(matches)) >= want {
			break
		}
	}
	if count != -1 {
		c.W.Array(len(matches))
		for _, m := range matches {
			c.W.Int(m)
		}
		return
	}
	if len(matches) == 0 {
		c.W.Null()
		return
	}
	c.W.Int(matches[0])
}

// listMove pops from src (an existing non-empty list e) and pushes onto dst,
// answering the element; dst must be missing or a list.
func (s *Server) listMove(c *Ctx, db *DB, src string, e *Entry, dst string, d *Entry, from, to bool, w *resp.Writer) {
	v := e.list().pop(from)
	if d == nil {
		d = listCreate(db, dst)
	}
	d.list().push(v, to)
	s.signalListReady(db.id, dst)
	s.notifyKey(db.id, dst, whereEvent(to, false), EventList)
	s.listRemoved(db, src, e, whereEvent(from, true))
	w.BulkString(v)
}

// listMoveLookup looks up LMOVE's source and destination; ok false after
// an error reply.
func listMoveLookup(c *Ctx, src, dst []byte) (e, d *Entry, ok bool) {
	if e, ok = listLookupWrite(c, src); !ok || e == nil {
		return e, nil, ok
	}
	d, ok = listLookupWrite(c, dst)
	return e, d, ok
}

func (s *Server) lmove(c *Ctx, args [][]byte, from, to bool) {
	e, d, ok := listMoveLookup(c, args[1], args[2])
	if !ok {
		return
	}
	if e == nil {
		c.W.Null()
		return
	}
	s.listMove(c, c.DB(), string(args[1]), e, string(args[2]), d, from, to, c.W)
}

func (s *Server) cmdLmove(c *Ctx, args [][]byte) {
	from, ok := parseListWhere(c, args[3])
	if !ok {
		return
	}
	to, ok := parseListWhere(c, args[4])
	if !ok {
		return
	}
	s.lmove(c, args, from, to)
}

func (s *Server) cmdRpoplpush(c *Ctx, args [][]byte) { s.lmove(c, args, false, true) }

// parseMpop reads LMPOP's and BLMPOP's numkeys key... LEFT|RIGHT [COUNT n]
// from args[at:].
func parseMpop(c *Ctx, args [][]byte, at int) (keys [][]byte, left bool, count int64, ok bool) {
	n, isInt := resp.ParseIntString(string(args[at]))
	if !isInt || n < 1 {
		c.W.Error(errListNumkeys)
		return nil, false, 0, false
	}
	whereIdx := int64(at) + n + 1
	if whereIdx >= int64(len(args)) {
		c.W.Error(ErrSyntax)
		return nil, false, 0, false
	}
	if left, ok = parseListWhere(c, args[whereIdx]); !ok {
		return nil, false, 0, false
	}
	count = -1
	for j := int(whereIdx) + 1; j < len(args); j++ {
		if count == -1 && resp.EqualFold(args[j], "count") && j+1 < len(args) {
			j++
			v, isInt := resp.ParseIntString(string(args[j]))
			if !isInt || v < 1 {
				c.W.Error(errListCount)
				return nil, false, 0, false
			}
			count = v
			continue
		}
		c.W.Error(ErrSyntax)
		return nil, false, 0, false
	}
	if count == -1 {
		count = 1
	}
	return args[at+1 : whereIdx], left, count, true
}

// popRangeWithKey answers [key, [elements...]] popping up to count.
func (s *Server) popRangeWithKey(db *DB, key string, e *Entry, left bool, count int64, w *resp.Writer) {
	n := min(count, int64(e.list().Len()))
	w.Array(2)
	w.BulkString(key)
	w.Array(int(n))
	for range n {
		w.BulkString(e.list().pop(left))
	}
	s.listRemoved(db, key, e, whereEvent(left, true))
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func (s *Server) cmdLmpop(c *Ctx, args [][]byte) {
	keys, left, count, ok := parseMpop(c, args, 1)
	if !ok {
		return
	}
	for _, k := range keys {
		e, ok := listLookupWrite(c, k)
		if !ok {
			return
		}
		if e == nil || e.list().Len() == 0 {
			continue
		}
		s.popRangeWithKey(c.DB(), string(k), e, left, count, c.W)
		return
	}
	c.W.NullArray()
}

// ---- blocking

// listKey names a key of a database.
type listKey struct {
	db  int
	key string
}

// listWaiter is a client blocked on list keys.
type listWaiter struct {
	bc    *BlockedClient
	db    int
	keys  []string
	kind  byte // 'p' BLPOP/BRPOP, 'm' BLMOVE/BRPOPLPUSH, 'M' BLMPOP, 'z' BZPOPMIN/BZPOPMAX, 'Z' BZMPOP
	left  bool
	dst   string
	to    bool
	count int64
}

// parseBlockTimeout is getTimeoutFromObjectOrReply in seconds: 0 blocks
// forever (returned as 0).
func parseBlockTimeout(c *Ctx, arg []byte) (time.Duration, bool) {
	f, ok := parseLongDouble(string(arg))
	if !ok {
		c.W.Error(errTimeoutNotFloat)
		return 0, false
	}
	// (long long)(ftval*1000.0): truncated toward zero; out of the range
	// of a long long, x86 gives LLONG_MIN.
	ms := new(big.Float).SetPrec(longDoublePrec).Mul(f, big.NewFloat(1000))
	var tval int64
	if ms.IsInf() {
		tval = math.MinInt64
	} else if v, acc := ms.Int64(); acc != big.Exact && (v == math.MaxInt64 || v == math.MinInt64) {
		tval = math.MinInt64
	} else {
		tval = v
	}
	if tval < 0 {
		c.W.Error(errTimeoutNegative)
		return 0, false
	}
	if tval > 0 && tval > math.MaxInt64-c.now {
		c.W.Error(errTimeoutRange)
		return 0, false
	}
	return time.Duration(min(tval, int64(100*365*24*time.Hour/time.Millisecond))) * time.Millisecond, true
}

// blockOnLists blocks the client on keys until served or timed out.
func (s *Server) blockOnLists(c *Ctx, timeout time.Duration, w *listWaiter, keys [][]byte) {
	deadline := time.Now().Add(timeout)
	if timeout == 0 {
		deadline = time.Now().Add(100 * 365 * 24 * time.Hour)
	}
	nullArray := w.kind != 'm'
	bc := newBlockedClient(c.Client.proto, deadline, func(rw *resp.Writer) {
		if nullArray {
			rw.NullArray()
		} else {
			rw.Null()
		}
	})
	w.bc = bc
	w.db = c.Client.db
	if s.listWaiters == nil {
		s.listWaiters = map[listKey][]*listWaiter{}
	}
	for _, k := range keys {
		w.keys = append(w.keys, string(k))
		lk := listKey{w.db, string(k)}
		s.listWaiters[lk] = append(s.listWaiters[lk], w)
	}
	cl := c.Client
	cl.listWait = w
	bc.cleanup = func() {
		cl.listWait = nil
		s.removeListWaiter(w)
	}
	c.blocked = bc
}

func (s *Server) removeListWaiter(w *listWaiter) {
	for _, k := range w.keys {
		lk := listKey{w.db, k}
		q := s.listWaiters[lk]
		for i, x := range q {
			if x == w {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(s.listWaiters, lk)
		} else {
			s.listWaiters[lk] = q
		}
	}
}

// signalListReady notes that key may now serve blocked clients.
func (s *Server) signalListReady(db int, key string) {
	lk := listKey{db, key}
	if len(s.listWaiters[lk]) == 0 || s.listReadySet[lk] {
		return
	}
	if s.listReadySet == nil {
		s.listReadySet = map[listKey]bool{}
	}
	s.listReadySet[lk] = true
	s.listReady = append(s.listReady, lk)
}

// serveListWaiters serves the clients blocked on the lists that got
// elements, as handleClientsBlockedOnKeys does after a command: key by key
// in the order they became ready, each key's clients first blocked first.
func (s *Server) serveListWaiters() {
	for len(s.listReady) > 0 {
		lk := s.listReady[0]
		s.listReady = s.listReady[1:]
		delete(s.listReadySet, lk)
		db := s.dbs[lk.db]
		for _, w := range append([]*listWaiter(nil), s.listWaiters[lk]...) {
			e := db.Lookup(lk.key)
			if e == nil {
				break
			}
			// A sorted set serves the blocked sorted set pops, a list the
			// list pops; the others stay blocked (Redis 7.0).
			if w.kind == 'z' || w.kind == 'Z' {
				if e.typ != TypeZset {
					continue
				}
			} else if e.typ != TypeList || e.list().Len() == 0 {
				continue
			}
			var d *Entry
			if w.kind == 'm' {
				d = db.Lookup(w.dst)
				if d != nil && d.typ != TypeList {
					continue // stays blocked, as Redis leaves it
				}
			}
			if !w.bc.claim() {
				continue
			}
			s.removeListWaiter(w)
			w.bc.replyClaimed(func(rw *resp.Writer) {
				switch w.kind {
				case 'p':
					rw.Array(2)
					rw.BulkString(lk.key)
					rw.BulkString(e.list().pop(w.left))
					s.listRemoved(db, lk.key, e, whereEvent(w.left, true))
				case 'm':
					s.listMove(nil, db, lk.key, e, w.dst, d, w.left, w.to, rw)
				case 'M':
					s.popRangeWithKey(db, lk.key, e, w.left, w.count, rw)
				case 'z', 'Z':
					s.zsetServeWaiter(db, lk.key, e, w, rw)
				}
			})
		}
	}
	s.listReady = nil
}

// blockingPop is BLPOP, BRPOP and BLMPOP once their arguments are read.
func (s *Server) blockingPop(c *Ctx, keys [][]byte, timeoutArg []byte, w *listWaiter) {
	timeout, ok := parseBlockTimeout(c, timeoutArg)
	if !ok {
		return
	}
	for _, k := range keys {
		e, ok := listLookupWrite(c, k)
		if !ok {
			return
		}
		if e == nil || e.list().Len() == 0 {
			continue
		}
		if w.kind == 'M' {
			s.popRangeWithKey(c.DB(), string(k), e, w.left, w.count, c.W)
			return
		}
		c.W.Array(2)
		c.W.Bulk(k)
		c.W.BulkString(e.list().pop(w.left))
		s.listRemoved(c.DB(), string(k), e, whereEvent(w.left, true))
		return
	}
	if !c.CanBlock() {
		c.W.NullArray()
		return
	}
	s.blockOnLists(c, timeout, w, keys)
}

func (s *Server) cmdBlpop(c *Ctx, args [][]byte) {
	s.blockingPop(c, args[1:len(args)-1], args[len(args)-1], &listWaiter{kind: 'p', left: true})
}

func (s *Server) cmdBrpop(c *Ctx, args [][]byte) {
	s.blockingPop(c, args[1:len(args)-1], args[len(args)-1], &listWaiter{kind: 'p'})
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func (s *Server) cmdBlmpop(c *Ctx, args [][]byte) {
	keys, left, count, ok := parseMpop(c, args, 2)
	if !ok {
		return
	}
	s.blockingPop(c, keys, args[1], &listWaiter{kind: 'M', left: left, count: count})
}

func (s *Server) blmove(c *Ctx, args [][]byte, from, to bool, timeoutArg []byte) {
	timeout, ok := parseBlockTimeout(c, timeoutArg)
	if !ok {
		return
	}
	e, ok := listLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e != nil {
		s.lmove(c, args, from, to)
		return
	}
	if !c.CanBlock() {
		c.W.Null()
		return
	}
	s.blockOnLists(c, timeout, &listWaiter{kind: 'm', left: from, dst: string(args[2]), to: to}, args[1:2])
}

func (s *Server) cmdBlmove(c *Ctx, args [][]byte) {
	from, ok := parseListWhere(c, args[3])
	if !ok {
		return
	}
	to, ok := parseListWhere(c, args[4])
	if !ok {
		return
	}
	s.blmove(c, args, from, to, args[5])
}

func (s *Server) cmdBrpoplpush(c *Ctx, args [][]byte) { s.blmove(c, args, false, true, args[3]) }
