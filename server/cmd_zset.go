package server

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/miniredis-search/miniredis-search/internal/strtod"
	"github.com/miniredis-search/miniredis-search/resp"
)

// The sorted set commands, as Redis 7.0 implements them in t_zset.c (see
// zset.go for the encodings). Scores are written with addReplyDouble:
// %.17g, "inf" and "-inf" (Redis 7.2 and later write the shortest form
// that reads back, "1.1" where 7.0 writes "1.1000000000000001"; the
// differential test runs 7.0, so this server follows 7.0).

// Error replies only the sorted set commands give.
const (
	errZaddXXNX        = "ERR XX and NX options at the same time are not compatible"
	errZaddGTLTNX      = "ERR GT, LT, and/or NX options at the same time are not compatible"
	errZaddIncrPair    = "ERR INCR option supports a single increment-element pair"
	errZsetNaN         = "ERR resulting score is not a number (NaN)"
	errZsetMinMaxFloat = "ERR min or max is not a float"
	errZsetMinMaxLex   = "ERR min or max not valid string range item"
	errZsetWeight      = "ERR weight value is not a float"
	errZrangeLimit     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZrangeLexScores = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
)

func zsetCommands(s *Server) commandGroup {
	return commandGroup{
		{"zadd", s.cmdZadd, 0},
		{"zincrby", s.cmdZincrby, 0},
		{"zcard", s.cmdZcard, 0},
		{"zscore", s.cmdZscore, 0},
		{"zmscore", s.cmdZmscore, 0},
		{"zrank", s.cmdZrank, 0},
		{"zrevrank", s.cmdZrevrank, 0},
		{"zcount", s.cmdZcount, 0},
		{"zlexcount", s.cmdZlexcount, 0},
		{"zrange", s.cmdZrange, 0},
		{"zrangestore", s.cmdZrangestore, 0},
		{"zrevrange", s.cmdZrevrange, 0},
		{"zrangebyscore", s.cmdZrangebyscore, 0},
		{"zrevrangebyscore", s.cmdZrevrangebyscore, 0},
		{"zrangebylex", s.cmdZrangebylex, 0},
		{"zrevrangebylex", s.cmdZrevrangebylex, 0},
		{"zrem", s.cmdZrem, 0},
		{"zremrangebyrank", s.cmdZremrangebyrank, 0},
		{"zremrangebyscore", s.cmdZremrangebyscore, 0},
		{"zremrangebylex", s.cmdZremrangebylex, 0},
		{"zunion", s.cmdZunion, 0},
		{"zinter", s.cmdZinter, 0},
		{"zdiff", s.cmdZdiff, 0},
		{"zunionstore", s.cmdZunionstore, 0},
		{"zinterstore", s.cmdZinterstore, 0},
		{"zdiffstore", s.cmdZdiffstore, 0},
		{"zintercard", s.cmdZintercard, 0},
		{"zpopmin", s.cmdZpopmin, 0},
		{"zpopmax", s.cmdZpopmax, 0},
		{"zmpop", s.cmdZmpop, 0},
		{"bzpopmin", s.cmdBzpopmin, 0},
		{"bzpopmax", s.cmdBzpopmax, 0},
		{"bzmpop", s.cmdBzmpop, 0},
		{"zrandmember", s.cmdZrandmember, 0},
		{"zscan", s.cmdZscan, 0},
	}
}

func zsetLookupRead(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeZset, false) }

func zsetLookupWrite(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeZset, true) }

func (s *Server) zsetLimits() (entries, value int64) {
	return s.params.zsetMaxListpackEntries.Int(), s.params.zsetMaxListpackValue.Int()
}

// zsetCreate adds an empty sorted set under key (which must not exist): a
// listpack unless the limits forbid one for the first member (as
// zaddGenericCommand decides).
func (s *Server) zsetCreate(db *DB, key string, first string) *Entry {
	z := NewZSet()
	entries, value := s.zsetLimits()
	if entries == 0 || value < int64(len(first)) {
		z.convert()
	}
	e := newZsetEntry(z)
	db.add(key, e)
	return e
}

// zsetRemoved fires event and deletes the key if the set is empty.
func (s *Server) zsetRemoved(db *DB, key string, e *Entry, event string) {
	s.notifyKey(db.id, key, event, EventZset)
	if e.zset().Len() == 0 {
		db.remove(key)
		s.notifyKey(db.id, key, "del", EventGeneric)
	}
}

// parseScore is getDoubleFromObject (ZADD, ZINCRBY, WEIGHTS).
func parseScore(b []byte) (float64, bool) { return resp.ParseFloat(b) }

// parseRangeScore is one end of a score range as zslParseRange reads it
// with plain strtod: leading spaces, overflow to ±inf and underflow to 0
// are accepted, NaN is not, and the empty string is 0.
func parseRangeScore(b []byte) (float64, bool) {
	for len(b) > 0 && (b[0] == ' ' || (b[0] >= '\t' && b[0] <= '\r')) {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, true
	}
	if f, ok := strtod.ParseFloat(b); ok {
		return f, true
	}
	if slices.Contains(b, '_') || slices.Contains(b, 'x') || slices.Contains(b, 'X') {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return f, true
	}
	return 0, false
}

// parseScoreRange is zslParseRange: "(" makes an end exclusive.
func parseScoreRange(minArg, maxArg []byte) (r ScoreRange, ok bool) {
	one := func(b []byte) (float64, bool, bool) {
		if len(b) > 0 && b[0] == '(' {
			f, ok := parseRangeScore(b[1:])
			return f, true, ok
		}
		f, ok := parseRangeScore(b)
		return f, false, ok
	}
	var ok1, ok2 bool
	r.Min, r.MinEx, ok1 = one(minArg)
	r.Max, r.MaxEx, ok2 = one(maxArg)
	return r, ok1 && ok2
}

// parseLexRange is zslParseLexRange: "-", "+", "(member" or "[member".
func parseLexRange(minArg, maxArg []byte) (r LexRange, ok bool) {
	one := func(b []byte) (lexBound, bool) {
		if len(b) == 0 {
			return lexBound{}, false
		}
		switch b[0] {
		case '+':
			return lexBound{pos: true}, len(b) == 1
		case '-':
			return lexBound{neg: true}, len(b) == 1
		case '(':
			return lexBound{s: string(b[1:]), ex: true}, true
		case '[':
			return lexBound{s: string(b[1:])}, true
		}
		return lexBound{}, false
	}
	var ok1, ok2 bool
	r.Min, ok1 = one(minArg)
	r.Max, ok2 = one(maxArg)
	return r, ok1 && ok2
}

// zaddFlags are ZADD's options.
type zaddFlags struct {
	nx, xx, gt, lt, ch, incr bool
}

// parseZaddFlags reads ZADD's options from args[2:], returning them and
// the index of the first score, or an error reply.
func parseZaddFlags(args [][]byte) (f zaddFlags, at int, errMsg string) {
	at = 2
	for ; at < len(args); at++ {
		a := args[at]
		switch {
		case resp.EqualFold(a, "nx"):
			f.nx = true
		case resp.EqualFold(a, "xx"):
			f.xx = true
		case resp.EqualFold(a, "gt"):
			f.gt = true
		case resp.EqualFold(a, "lt"):
			f.lt = true
		case resp.EqualFold(a, "ch"):
			f.ch = true
		case resp.EqualFold(a, "incr"):
			f.incr = true
		default:
			goto done
		}
	}
done:
	elements := len(args) - at
	switch {
	case elements%2 != 0 || elements == 0:
		return f, at, ErrSyntax
	case f.nx && f.xx:
		return f, at, errZaddXXNX
	case (f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt):
		return f, at, errZaddGTLTNX
	case f.incr && elements > 2:
		return f, at, errZaddIncrPair
	}
	return f, at, ""
}

// zsetAddResult is what zsetAdd did.
const (
	zaddNop = iota
	zaddAdded
	zaddUpdated
	zaddNaN
	zaddSame // processed: the score was already that
)

// zsetAdd is zsetAdd: it adds or updates m under the flags; with incr the
// score is an increment and newScore the result.
func (s *Server) zsetAdd(z *ZSet, m string, score float64, f zaddFlags) (result int, newScore float64) {
	cur, exists := z.Score(m)
	if exists {
		if f.nx {
			return zaddNop, cur
		}
		if f.incr {
			score += cur
			if math.IsNaN(score) {
				return zaddNaN, cur
			}
		}
		if (f.lt && score >= cur) || (f.gt && score <= cur) {
			return zaddNop, cur
		}
		if score != cur {
			entries, value := s.zsetLimits()
			z.Add(m, score, entries, value)
			return zaddUpdated, score
		}
		return zaddSame, score
	}
	if f.xx {
		return zaddNop, 0
	}
	entries, value := s.zsetLimits()
	z.Add(m, score, entries, value)
	return zaddAdded, score
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func (s *Server) cmdZadd(c *Ctx, args [][]byte) {
	f, at, msg := parseZaddFlags(args)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	s.zadd(c, args[1], args[at:], f)
}

// ZINCRBY key increment member is ZADD key INCR increment member.
func (s *Server) cmdZincrby(c *Ctx, args [][]byte) {
	s.zadd(c, args[1], args[2:], zaddFlags{incr: true})
}

func (s *Server) zadd(c *Ctx, keyArg []byte, pairs [][]byte, f zaddFlags) {
	scores := make([]float64, len(pairs)/2)
	for i := range scores {
		v, ok := parseScore(pairs[2*i])
		if !ok {
			c.W.Error(ErrNotFloat)
			return
		}
		scores[i] = v
	}
	e, ok := zsetLookupWrite(c, keyArg)
	if !ok {
		return
	}
	key := string(keyArg)
	if e == nil {
		if f.xx {
			if f.incr {
				c.W.Null()
			} else {
				c.W.Int(0)
			}
			return
		}
		e = s.zsetCreate(c.DB(), key, string(pairs[1]))
	}
	var added, updated, processed int64
	var last float64
	for i, score := range scores {
		r, ns := s.zsetAdd(e.zset(), string(pairs[2*i+1]), score, f)
		switch r {
		case zaddNaN:
			c.W.Error(errZsetNaN)
			s.zaddDone(c, key, e, added+updated > 0, f.incr)
			return
		case zaddAdded:
			added++
			processed++
		case zaddUpdated:
			updated++
			processed++
		case zaddSame:
			processed++
		}
		if r != zaddNop {
			last = ns
		}
	}
	s.zaddDone(c, key, e, added+updated > 0, f.incr)
	switch {
	case f.incr && processed > 0:
		c.W.Double(last)
	case f.incr:
		c.W.Null()
	case f.ch:
		c.W.Int(added + updated)
	default:
		c.W.Int(added)
	}
}

// zaddDone fires ZADD's event, and deletes a key a failed ZADD created
// empty.
func (s *Server) zaddDone(c *Ctx, key string, e *Entry, changed, incr bool) {
	if changed {
		ev := "zadd"
		if incr {
			ev = "zincr"
		}
		s.signalListReady(c.Client.db, key)
		s.notifyKey(c.Client.db, key, ev, EventZset)
	}
	if e.zset().Len() == 0 {
		c.DB().remove(key)
	}
}

func (s *Server) cmdZcard(c *Ctx, args [][]byte) {
	e, ok := zsetLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		c.W.Int(int64(e.zset().Len()))
	}
}

func (s *Server) cmdZscore(c *Ctx, args [][]byte) {
	e, ok := zsetLookupRead(c, args[1])
	if !ok {
		return
	}
	if e != nil {
		if v, found := e.zset().Score(string(args[2])); found {
			c.W.Double(v)
			return
		}
	}
	c.W.Null()
}

func (s *Server) cmdZmscore(c *Ctx, args [][]byte) {
	e, ok := zsetLookupRead(c, args[1])
	if !ok {
		return
	}
	c.W.Array(len(args) - 2)
	for _, m := range args[2:] {
		if e != nil {
			if v, found := e.zset().Score(string(m)); found {
				c.W.Double(v)
				continue
			}
		}
		c.W.Null()
	}
}

func (s *Server) cmdZrank(c *Ctx, args [][]byte)    { s.zrank(c, args, false) }
func (s *Server) cmdZrevrank(c *Ctx, args [][]byte) { s.zrank(c, args, true) }

// ZRANK key member: Redis 7.0 has no WITHSCORE (7.2 added it); the
// arity from the 7.0 metadata rejects it.
func (s *Server) zrank(c *Ctx, args [][]byte, rev bool) {
	e, ok := zsetLookupRead(c, args[1])
	if !ok {
		return
	}
	if e != nil {
		if r, found := e.zset().Rank(string(args[2]), rev); found {
			c.W.Int(int64(r))
			return
		}
	}
	c.W.Null()
}

// ZCOUNT key min max: the range is parsed before the key is looked up.
func (s *Server) cmdZcount(c *Ctx, args [][]byte) {
	r, ok := parseScoreRange(args[2], args[3])
	if !ok {
		c.W.Error(errZsetMinMaxFloat)
		return
	}
	e, ok := zsetLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		lo, hi := e.zset().scoreBounds(&r)
		c.W.Int(int64(hi - lo))
	}
}

func (s *Server) cmdZlexcount(c *Ctx, args [][]byte) {
	r, ok := parseLexRange(args[2], args[3])
	if !ok {
		c.W.Error(errZsetMinMaxLex)
		return
	}
	e, ok := zsetLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		lo, hi := e.zset().lexBounds(&r)
		c.W.Int(int64(hi - lo))
	}
}

// zrangeKind is what a range is over.
type zrangeKind int

const (
	zrangeAuto zrangeKind = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// zrangeSpec is a parsed ZRANGE family request.
type zrangeSpec struct {
	kind       zrangeKind
	rev        bool
	withScores bool
	offset     int64
	limit      int64 // -1: none
	start, end int64
	score      ScoreRange
	lex        LexRange
}

// parseZrange is zrangeGenericCommand's argument reading: args[at],
// args[at+1] are the range, options follow. kind and rev fixed by the
// old commands (dirFixed) are not accepted as options.
func parseZrange(args [][]byte, at int, kind zrangeKind, rev, dirFixed, store bool) (sp zrangeSpec, errMsg string) {
	sp.kind, sp.rev, sp.limit = kind, rev, -1
	limitSet := false
	for j := at + 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case !store && resp.EqualFold(a, "withscores"):
			sp.withScores = true
		case resp.EqualFold(a, "limit") && left >= 2:
			off, ok1 := resp.ParseInt(args[j+1])
			if !ok1 {
				return sp, ErrNotInteger
			}
			lim, ok2 := resp.ParseInt(args[j+2])
			if !ok2 {
				return sp, ErrNotInteger
			}
			sp.offset, sp.limit, limitSet = off, lim, true
			j += 2
		case !dirFixed && resp.EqualFold(a, "rev"):
			sp.rev = true
		case sp.kind == zrangeAuto && resp.EqualFold(a, "bylex"):
			sp.kind = zrangeLex
		case sp.kind == zrangeAuto && resp.EqualFold(a, "byscore"):
			sp.kind = zrangeScore
		default:
			return sp, ErrSyntax
		}
	}
	if sp.kind == zrangeAuto {
		sp.kind = zrangeRank
	}
	if limitSet && sp.kind == zrangeRank {
		return sp, errZrangeLimit
	}
	if sp.withScores && sp.kind == zrangeLex {
		return sp, errZrangeLexScores
	}
	minArg, maxArg := args[at], args[at+1]
	if sp.rev && sp.kind != zrangeRank {
		minArg, maxArg = maxArg, minArg
	}
	switch sp.kind {
	case zrangeRank:
		var ok bool
		if sp.start, ok = resp.ParseInt(minArg); !ok {
			return sp, ErrNotInteger
		}
		if sp.end, ok = resp.ParseInt(maxArg); !ok {
			return sp, ErrNotInteger
		}
	case zrangeScore:
		r, ok := parseScoreRange(minArg, maxArg)
		if !ok {
			return sp, errZsetMinMaxFloat
		}
		sp.score = r
	case zrangeLex:
		r, ok := parseLexRange(minArg, maxArg)
		if !ok {
			return sp, errZsetMinMaxLex
		}
		sp.lex = r
	}
	return sp, ""
}

// zrangeItems is the result of a range request on z.
func zrangeItems(z *ZSet, sp *zrangeSpec) []zitem {
	lo, hi := zrangeBounds(z, sp)
	out := make([]zitem, 0, hi-lo)
	z.rangeIndex(lo, hi, sp.rev, func(it zitem) bool { out = append(out, it); return true })
	return out
}

// zrangeBounds is the result of a range request on z as the ranks [lo, hi)
// in ascending order (lo == hi: nothing), to walk with rangeIndex.
func zrangeBounds(z *ZSet, sp *zrangeSpec) (lo, hi int) {
	n := int64(z.Len())
	switch sp.kind {
	case zrangeRank:
		start, end := sp.start, sp.end
		if start < 0 {
			start += n
		}
		if end < 0 {
			end += n
		}
		if start < 0 {
			start = 0
		}
		if start > end || start >= n {
			return 0, 0
		}
		if end >= n {
			end = n - 1
		}
		// Ranks count from the end when reversed.
		if sp.rev {
			lo, hi = int(n-1-end), int(n-start)
		} else {
			lo, hi = int(start), int(end+1)
		}
	case zrangeScore:
		lo, hi = z.scoreBounds(&sp.score)
	case zrangeLex:
		lo, hi = z.lexBounds(&sp.lex)
	}
	if sp.kind != zrangeRank {
		// LIMIT: a negative offset gives nothing, a negative count all.
		if sp.offset < 0 {
			return 0, 0
		}
		if sp.offset >= int64(hi-lo) {
			return 0, 0
		}
		if sp.rev {
			hi -= int(sp.offset)
		} else {
			lo += int(sp.offset)
		}
		if sp.limit >= 0 && sp.limit < int64(hi-lo) {
			if sp.rev {
				lo = hi - int(sp.limit)
			} else {
				hi = lo + int(sp.limit)
			}
		}
	}
	return lo, max(hi, lo)
}

// zitemsReply writes members, with their scores as pairs (RESP3) or
// flattened (RESP2).
func zitemsReply(w *resp.Writer, items []zitem, withScores bool) {
	if !withScores {
		w.Array(len(items))
		for _, it := range items {
			w.BulkString(it.member)
		}
		return
	}
	if w.Resp3() {
		w.Array(len(items))
		for _, it := range items {
			w.Array(2)
			w.BulkString(it.member)
			w.Double(it.score)
		}
		return
	}
	w.Array(2 * len(items))
	for _, it := range items {
		w.BulkString(it.member)
		w.Double(it.score)
	}
}

func (s *Server) zrange(c *Ctx, args [][]byte, kind zrangeKind, rev, dirFixed bool) {
	sp, msg := parseZrange(args, 2, kind, rev, dirFixed, false)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	e, ok := zsetLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Array(0)
	default:
		// The reply is written from the tree, without a slice of items.
		z, w := e.zset(), c.W
		lo, hi := zrangeBounds(z, &sp)
		pairs := sp.withScores && w.Resp3()
		switch {
		case !sp.withScores || pairs:
			w.Array(hi - lo)
		default:
			w.Array(2 * (hi - lo))
		}
		z.rangeIndex(lo, hi, sp.rev, func(it zitem) bool {
			if pairs {
				w.Array(2)
			}
			w.BulkString(it.member)
			if sp.withScores {
				w.Double(it.score)
			}
			return true
		})
	}
}

func (s *Server) cmdZrange(c *Ctx, args [][]byte) { s.zrange(c, args, zrangeAuto, false, false) }
func (s *Server) cmdZrevrange(c *Ctx, args [][]byte) {
	s.zrange(c, args, zrangeRank, true, true)
}
func (s *Server) cmdZrangebyscore(c *Ctx, args [][]byte) {
	s.zrange(c, args, zrangeScore, false, true)
}
func (s *Server) cmdZrevrangebyscore(c *Ctx, args [][]byte) {
	s.zrange(c, args, zrangeScore, true, true)
}
func (s *Server) cmdZrangebylex(c *Ctx, args [][]byte) { s.zrange(c, args, zrangeLex, false, true) }
func (s *Server) cmdZrevrangebylex(c *Ctx, args [][]byte) {
	s.zrange(c, args, zrangeLex, true, true)
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
func (s *Server) cmdZrangestore(c *Ctx, args [][]byte) {
	sp, msg := parseZrange(args, 3, zrangeAuto, false, false, true)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	e, ok := zsetLookupRead(c, args[2])
	if !ok {
		return
	}
	var items []zitem
	if e != nil {
		items = zrangeItems(e.zset(), &sp)
	}
	s.zsetStore(c, args[1], items, "zrangestore", false)
}

// zsetStore stores items at dst for a STORE command (any type is
// overwritten, the TTL dropped; nothing deletes dst) and answers the size.
// toListpack: the result is made a listpack if it fits
// (zsetConvertToListpackIfNeeded), else it grows as ZADD would.
func (s *Server) zsetStore(c *Ctx, dst []byte, items []zitem, event string, toListpack bool) {
	db := c.DB()
	key := string(dst)
	old := db.lookupWrite(c, dst)
	if len(items) == 0 {
		if old != nil {
			db.remove(key)
			s.notifyKey(c.Client.db, key, "del", EventGeneric)
		}
		c.W.Int(0)
		return
	}
	entries, value := s.zsetLimits()
	z := NewZSet()
	maxLen := 0
	for _, it := range items {
		maxLen = max(maxLen, len(it.member))
	}
	if toListpack {
		if !zsetFits(len(items), maxLen, entries, value) {
			z.convert()
		}
		for _, it := range items {
			z.Add(it.member, it.score, math.MaxInt64, math.MaxInt64)
		}
	} else {
		for _, it := range items {
			z.Add(it.member, it.score, entries, value)
		}
	}
	db.replace(key, newZsetEntry(z), false)
	c.W.Int(int64(z.Len()))
	s.notifyKey(c.Client.db, key, event, EventZset)
}

// ZREM key member [member ...]
func (s *Server) cmdZrem(c *Ctx, args [][]byte) {
	e, ok := zsetLookupWrite(c, args[1])
	if !ok {
		return
	}
	var removed int64
	if e != nil {
		for _, m := range args[2:] {
			if e.zset().Remove(string(m)) {
				removed++
				if e.zset().Len() == 0 {
					break
				}
			}
		}
		if removed > 0 {
			s.zsetRemoved(c.DB(), string(args[1]), e, "zrem")
		}
	}
	c.W.Int(removed)
}

func (s *Server) cmdZremrangebyrank(c *Ctx, args [][]byte) {
	s.zremrange(c, args, zrangeRank, "zremrangebyrank")
}
func (s *Server) cmdZremrangebyscore(c *Ctx, args [][]byte) {
	s.zremrange(c, args, zrangeScore, "zremrangebyscore")
}
func (s *Server) cmdZremrangebylex(c *Ctx, args [][]byte) {
	s.zremrange(c, args, zrangeLex, "zremrangebylex")
}

// zremrange is ZREMRANGEBY*: the range is parsed before the key is looked
// up.
func (s *Server) zremrange(c *Ctx, args [][]byte, kind zrangeKind, event string) {
	sp := zrangeSpec{kind: kind, limit: -1}
	switch kind {
	case zrangeRank:
		var ok bool
		if sp.start, ok = resp.ParseInt(args[2]); !ok {
			c.W.Error(ErrNotInteger)
			return
		}
		if sp.end, ok = resp.ParseInt(args[3]); !ok {
			c.W.Error(ErrNotInteger)
			return
		}
	case zrangeScore:
		r, ok := parseScoreRange(args[2], args[3])
		if !ok {
			c.W.Error(errZsetMinMaxFloat)
			return
		}
		sp.score = r
	case zrangeLex:
		r, ok := parseLexRange(args[2], args[3])
		if !ok {
			c.W.Error(errZsetMinMaxLex)
			return
		}
		sp.lex = r
	}
	e, ok := zsetLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	items := zrangeItems(e.zset(), &sp)
	for _, it := range items {
		e.zset().Remove(it.member)
	}
	if len(items) > 0 {
		s.zsetRemoved(c.DB(), string(args[1]), e, event)
	}
	c.W.Int(int64(len(items)))
}

// ---- ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD

type zsetOp int

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zsrc is an operand: a sorted set, a set (every score 1), or nothing.
type zsrc struct {
	z      *ZSet
	set    *setValue
	weight float64
}

func (o *zsrc) Len() int {
	switch {
	case o.z != nil:
		return o.z.Len()
	case o.set != nil:
		return o.set.Len()
	}
	return 0
}

func (o *zsrc) score(m string) (float64, bool) {
	switch {
	case o.z != nil:
		return o.z.Score(m)
	case o.set != nil:
		return 1, o.set.has(m)
	}
	return 0, false
}

func (o *zsrc) each(fn func(m string, score float64)) {
	switch {
	case o.z != nil:
		o.z.each(func(m string, s float64) bool { fn(m, s); return true })
	case o.set != nil:
		o.set.each(func(m string) bool { fn(m, 1); return true })
	}
}

const (
	aggSum = iota
	aggMin
	aggMax
)

func zaggregate(agg int, target *float64, v float64) {
	switch agg {
	case aggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggMin:
		*target = min(*target, v)
	case aggMax:
		*target = max(*target, v)
	}
}

// zsetOperation is zunionInterDiffGenericCommand: args[at] is numkeys.
// It answers the result (nil and false after an error reply). With
// cardOnly (ZINTERCARD) the options are LIMIT alone and the result is
// counted into *card.
func (s *Server) zsetOperation(c *Ctx, args [][]byte, at int, op zsetOp, store bool, cmdName string, cardOnly bool) (items []zitem, withScores bool, card int64, ok bool) {
	numkeys, isInt := resp.ParseInt(args[at])
	if !isInt {
		c.W.Error(ErrNotInteger)
		return nil, false, 0, false
	}
	if numkeys < 1 {
		c.W.Error("ERR at least 1 input key is needed for '" + cmdName + "' command")
		return nil, false, 0, false
	}
	if numkeys > int64(len(args)-at-1) {
		c.W.Error(ErrSyntax)
		return nil, false, 0, false
	}
	srcs := make([]zsrc, numkeys)
	j := at + 1
	for i := range srcs {
		var e *Entry
		if store {
			e = c.DB().lookupWrite(c, args[j])
		} else {
			e = c.DB().lookupRead(c, args[j])
		}
		if e != nil {
			switch e.typ {
			case TypeZset:
				srcs[i].z = e.zset()
			case TypeSet:
				srcs[i].set = e.set()
			default:
				c.W.Error(ErrWrongType)
				return nil, false, 0, false
			}
		}
		srcs[i].weight = 1
		j++
	}
	agg := aggSum
	var limit int64
	for j < len(args) {
		remaining := len(args) - j
		a := args[j]
		switch {
		case cardOnly && remaining >= 2 && resp.EqualFold(a, "limit"):
			n, isInt := resp.ParseInt(args[j+1])
			if !isInt || n < 0 {
				c.W.Error(errSetLimitNegative)
				return nil, false, 0, false
			}
			limit = n
			j += 2
		case !cardOnly && op != zopDiff && remaining >= int(numkeys)+1 && resp.EqualFold(a, "weights"):
			j++
			for i := range srcs {
				w, ok := parseScore(args[j])
				if !ok {
					c.W.Error(errZsetWeight)
					return nil, false, 0, false
				}
				srcs[i].weight = w
				j++
			}
		case !cardOnly && op != zopDiff && remaining >= 2 && resp.EqualFold(a, "aggregate"):
			switch {
			case resp.EqualFold(args[j+1], "sum"):
				agg = aggSum
			case resp.EqualFold(args[j+1], "min"):
				agg = aggMin
			case resp.EqualFold(args[j+1], "max"):
				agg = aggMax
			default:
				c.W.Error(ErrSyntax)
				return nil, false, 0, false
			}
			j += 2
		case !cardOnly && !store && resp.EqualFold(a, "withscores"):
			withScores = true
			j++
		default:
			c.W.Error(ErrSyntax)
			return nil, false, 0, false
		}
	}
	weighted := func(o *zsrc, v float64) float64 {
		r := o.weight * v
		if math.IsNaN(r) {
			return 0
		}
		return r
	}
	acc := map[string]float64{}
	var order []string
	switch op {
	case zopInter:
		// The smallest set drives, as Redis sorts the operands by size.
		sorted := make([]*zsrc, len(srcs))
		for i := range srcs {
			sorted[i] = &srcs[i]
		}
		slices.SortStableFunc(sorted, func(a, b *zsrc) int { return a.Len() - b.Len() })
		if sorted[0].Len() == 0 {
			break
		}
		sorted[0].each(func(m string, v float64) {
			if cardOnly && limit > 0 && card >= limit {
				return
			}
			score := weighted(sorted[0], v)
			for _, o := range sorted[1:] {
				ov, found := o.score(m)
				if !found {
					return
				}
				zaggregate(agg, &score, weighted(o, ov))
			}
			card++
			if !cardOnly {
				acc[m] = score
				order = append(order, m)
			}
		})
	case zopUnion:
		sorted := make([]*zsrc, len(srcs))
		for i := range srcs {
			sorted[i] = &srcs[i]
		}
		slices.SortStableFunc(sorted, func(a, b *zsrc) int { return a.Len() - b.Len() })
		for _, o := range sorted {
			o.each(func(m string, v float64) {
				score := weighted(o, v)
				if cur, found := acc[m]; found {
					zaggregate(agg, &cur, score)
					acc[m] = cur
				} else {
					acc[m] = score
					order = append(order, m)
				}
			})
		}
	case zopDiff:
		srcs[0].each(func(m string, v float64) {
			for i := 1; i < len(srcs); i++ {
				if _, found := srcs[i].score(m); found {
					return
				}
			}
			acc[m] = v
			order = append(order, m)
		})
	}
	items = make([]zitem, 0, len(order))
	for _, m := range order {
		items = append(items, zitem{acc[m], m})
	}
	slices.SortFunc(items, func(a, b zitem) int {
		switch {
		case zitemLess(a, b):
			return -1
		case zitemLess(b, a):
			return 1
		}
		return 0
	})
	return items, withScores, card, true
}

func (s *Server) zsetOpReply(c *Ctx, args [][]byte, op zsetOp, name string) {
	items, withScores, _, ok := s.zsetOperation(c, args, 1, op, false, name, false)
	if ok {
		zitemsReply(c.W, items, withScores)
	}
}

func (s *Server) zsetOpStore(c *Ctx, args [][]byte, op zsetOp, name string) {
	items, _, _, ok := s.zsetOperation(c, args, 2, op, true, name, false)
	if ok {
		s.zsetStore(c, args[1], items, name, true)
	}
}

func (s *Server) cmdZunion(c *Ctx, args [][]byte) { s.zsetOpReply(c, args, zopUnion, "zunion") }
func (s *Server) cmdZinter(c *Ctx, args [][]byte) { s.zsetOpReply(c, args, zopInter, "zinter") }
func (s *Server) cmdZdiff(c *Ctx, args [][]byte)  { s.zsetOpReply(c, args, zopDiff, "zdiff") }
func (s *Server) cmdZunionstore(c *Ctx, args [][]byte) {
	s.zsetOpStore(c, args, zopUnion, "zunionstore")
}
func (s *Server) cmdZinterstore(c *Ctx, args [][]byte) {
	s.zsetOpStore(c, args, zopInter, "zinterstore")
}
func (s *Server) cmdZdiffstore(c *Ctx, args [][]byte) {
	s.zsetOpStore(c, args, zopDiff, "zdiffstore")
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func (s *Server) cmdZintercard(c *Ctx, args [][]byte) {
	_, _, card, ok := s.zsetOperation(c, args, 1, zopInter, false, "zintercard", true)
	if ok {
		c.W.Int(card)
	}
}

// ---- pops

// zpop pops up to count members of e (count -1: one, the single form),
// writing the pairs; it fires the event and deletes an emptied key.
func (s *Server) zpop(db *DB, key string, e *Entry, max bool, count int64, w *resp.Writer, nested bool) {
	z := e.zset()
	n := int(min(count, int64(z.Len())))
	if count < 0 {
		n = 1
	}
	var items []zitem
	if max {
		items = z.deleteIndex(z.Len()-n, z.Len())
		slices.Reverse(items)
	} else {
		items = z.deleteIndex(0, n)
	}
	if nested {
		zitemsReply(w, items, true)
	} else {
		w.Array(2 * len(items))
		for _, it := range items {
			w.BulkString(it.member)
			w.Double(it.score)
		}
	}
	ev := "zpopmin"
	if max {
		ev = "zpopmax"
	}
	s.zsetRemoved(db, key, e, ev)
}

func (s *Server) cmdZpopmin(c *Ctx, args [][]byte) { s.zpopCmd(c, args, false) }
func (s *Server) cmdZpopmax(c *Ctx, args [][]byte) { s.zpopCmd(c, args, true) }

// ZPOPMIN key [count]: the count (a non-negative integer) is read before
// the key; with one, RESP3 answers pairs.
func (s *Server) zpopCmd(c *Ctx, args [][]byte, max bool) {
	if len(args) > 3 {
		c.W.Error(ErrSyntax)
		return
	}
	count := int64(-1)
	if len(args) == 3 {
		n, ok := resp.ParseInt(args[2])
		if !ok || n < 0 {
			c.W.Error(errSetPositive)
			return
		}
		count = n
	}
	e, ok := zsetLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil || count == 0 {
		c.W.Array(0)
		return
	}
	s.zpop(c.DB(), string(args[1]), e, max, count, c.W, count >= 0 && c.W.Resp3())
}

// parseZmpop reads ZMPOP's and BZMPOP's numkeys key... MIN|MAX [COUNT n]
// from args[at:].
func parseZmpop(c *Ctx, args [][]byte, at int) (keys [][]byte, max bool, count int64, ok bool) {
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
	switch {
	case resp.EqualFold(args[whereIdx], "min"):
	case resp.EqualFold(args[whereIdx], "max"):
		max = true
	default:
		c.W.Error(ErrSyntax)
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
	return args[at+1 : whereIdx], max, count, true
}

// zmpopReply answers [key, [[member, score]...]].
func (s *Server) zmpopReply(db *DB, key string, e *Entry, max bool, count int64, w *resp.Writer) {
	w.Array(2)
	w.BulkString(key)
	z := e.zset()
	n := int(min(count, int64(z.Len())))
	var items []zitem
	if max {
		items = z.deleteIndex(z.Len()-n, z.Len())
		slices.Reverse(items)
	} else {
		items = z.deleteIndex(0, n)
	}
	w.Array(len(items))
	for _, it := range items {
		w.Array(2)
		w.BulkString(it.member)
		w.Double(it.score)
	}
	ev := "zpopmin"
	if max {
		ev = "zpopmax"
	}
	s.zsetRemoved(db, key, e, ev)
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func (s *Server) cmdZmpop(c *Ctx, args [][]byte) {
	keys, max, count, ok := parseZmpop(c, args, 1)
	if !ok {
		return
	}
	for _, k := range keys {
		e, ok := zsetLookupWrite(c, k)
		if !ok {
			return
		}
		if e != nil {
			s.zmpopReply(c.DB(), string(k), e, max, count, c.W)
			return
		}
	}
	c.W.NullArray()
}

// zsetBlockingPop is BZPOPMIN, BZPOPMAX and BZMPOP once their arguments
// are read; blocked, they wait in the list commands' queues (a
// listWaiter of kind 'z' or 'Z').
func (s *Server) zsetBlockingPop(c *Ctx, keys [][]byte, timeoutArg []byte, w *listWaiter) {
	timeout, ok := parseBlockTimeout(c, timeoutArg)
	if !ok {
		return
	}
	for _, k := range keys {
		e, ok := zsetLookupWrite(c, k)
		if !ok {
			return
		}
		if e == nil {
			continue
		}
		s.zsetServeWaiter(c.DB(), string(k), e, w, c.W)
		return
	}
	if !c.CanBlock() {
		c.W.NullArray()
		return
	}
	s.blockOnLists(c, timeout, w, keys)
}

// zsetServeWaiter answers a blocking pop from e.
func (s *Server) zsetServeWaiter(db *DB, key string, e *Entry, w *listWaiter, rw *resp.Writer) {
	max := !w.left
	if w.kind == 'Z' {
		s.zmpopReply(db, key, e, max, w.count, rw)
		return
	}
	z := e.zset()
	var it zitem
	if max {
		it = z.deleteIndex(z.Len()-1, z.Len())[0]
	} else {
		it = z.deleteIndex(0, 1)[0]
	}
	rw.Array(3)
	rw.BulkString(key)
	rw.BulkString(it.member)
	rw.Double(it.score)
	ev := "zpopmin"
	if max {
		ev = "zpopmax"
	}
	s.zsetRemoved(db, key, e, ev)
}

func (s *Server) cmdBzpopmin(c *Ctx, args [][]byte) {
	s.zsetBlockingPop(c, args[1:len(args)-1], args[len(args)-1], &listWaiter{kind: 'z', left: true})
}

func (s *Server) cmdBzpopmax(c *Ctx, args [][]byte) {
	s.zsetBlockingPop(c, args[1:len(args)-1], args[len(args)-1], &listWaiter{kind: 'z'})
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func (s *Server) cmdBzmpop(c *Ctx, args [][]byte) {
	keys, max, count, ok := parseZmpop(c, args, 2)
	if !ok {
		return
	}
	s.zsetBlockingPop(c, keys, args[1], &listWaiter{kind: 'Z', left: !max, count: count})
}

// ---- ZRANDMEMBER, ZSCAN

// ZRANDMEMBER key [count [WITHSCORES]]: as SRANDMEMBER, the count is
// read before the key; negative counts are bounded as HRANDFIELD's are.
func (s *Server) cmdZrandmember(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		e, ok := zsetLookupRead(c, args[1])
		switch {
		case !ok:
		case e == nil:
			c.W.Null()
		default:
			m, _ := e.zset().At(rand.IntN(e.zset().Len()))
			c.W.BulkString(m)
		}
		return
	}
	count, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if count == math.MinInt64 {
		c.W.Error(errSetRandCount)
		return
	}
	withScores := false
	if len(args) > 4 || (len(args) == 4 && !resp.EqualFold(args[3], "withscores")) {
		c.W.Error(ErrSyntax)
		return
	}
	if len(args) == 4 {
		withScores = true
	}
	if (withScores && (count < -math.MaxInt64/2 || count > math.MaxInt64/2)) || count < -hashRandMaxRepeat {
		c.W.Error(errHashRandCountRange)
		return
	}
	e, ok := zsetLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil || count == 0 {
		c.W.Array(0)
		return
	}
	z := e.zset()
	n := z.Len()
	var items []zitem
	switch {
	case count < 0:
		// Picked with repetitions, written as they are picked (the count
		// may be 2^27).
		if withScores && c.W.Resp3() {
			c.W.Array(int(-count))
		} else if withScores {
			c.W.Array(int(-2 * count))
		} else {
			c.W.Array(int(-count))
		}
		for range -count {
			m, sc := z.At(rand.IntN(n))
			if withScores && c.W.Resp3() {
				c.W.Array(2)
			}
			c.W.BulkString(m)
			if withScores {
				c.W.Double(sc)
			}
		}
		return
	case count >= int64(n):
		// The whole set, in the order zuiNext walks it: from the tail.
		items = zrangeItems(z, &zrangeSpec{kind: zrangeRank, start: 0, end: -1, rev: true})
	default:
		for _, i := range rand.Perm(n)[:count] {
			m, sc := z.At(i)
			items = append(items, zitem{sc, m})
		}
	}
	zitemsReply(c.W, items, withScores)
}

// zscanScore is a score as ZSCAN shows it (d2string): -0, an integral
// value below 2^52 as an integer, else %.17g.
func zscanScore(v float64) string {
	if v == 0 && math.Signbit(v) {
		return "-0" // a skiplist's -0 (a listpack keeps 0)
	}
	if v > -4503599627370495 && v < 4503599627370496 && v == math.Trunc(v) {
		return strconv.FormatInt(int64(v), 10)
	}
	return string(resp.AppendDouble(nil, v))
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
func (s *Server) cmdZscan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.W.Error(ErrInvalidCursor)
		return
	}
	e, ok := zsetLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Array(2)
		c.W.BulkString("0")
		c.W.Array(0)
		return
	}
	opts, ok := parseScanOptions(c, args[3:], false)
	if !ok {
		return
	}
	var found []string
	next := e.zset().scan(cursor, opts.count, func(m string, v float64) {
		if !opts.usePattern || GlobMatch(opts.pattern, m, false) {
			found = append(found, m, zscanScore(v))
		}
	})
	c.W.Array(2)
	c.W.BulkString(strconv.FormatUint(next, 10))
	c.W.StringArray(found)
}
