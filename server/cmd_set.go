package server

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The set commands, as Redis 7.0 implements them in t_set.c (see set.go
// for the encodings). Where the order of a reply is a hash table's or
// random, ours differs from Redis' as any two runs of Redis may.

// Error replies only the set commands give.
const (
	errSetPositive      = "ERR value is out of range, must be positive"
	errSetRandCount     = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errSetNumkeys       = "ERR numkeys should be greater than 0"
	errSetNumkeysArgs   = "ERR Number of keys can't be greater than number of args"
	errSetLimitNegative = "ERR LIMIT can't be negative"
)

func setCommands(s *Server) commandGroup {
	return commandGroup{
		{"sadd", s.cmdSadd, 0},
		{"srem", s.cmdSrem, 0},
		{"scard", s.cmdScard, 0},
		{"sismember", s.cmdSismember, 0},
		{"smismember", s.cmdSmismember, 0},
		{"smembers", s.cmdSmembers, 0},
		{"spop", s.cmdSpop, 0},
		{"srandmember", s.cmdSrandmember, 0},
		{"smove", s.cmdSmove, 0},
		{"sinter", s.cmdSinter, 0},
		{"sinterstore", s.cmdSinterstore, 0},
		{"sintercard", s.cmdSintercard, 0},
		{"sunion", s.cmdSunion, 0},
		{"sunionstore", s.cmdSunionstore, 0},
		{"sdiff", s.cmdSdiff, 0},
		{"sdiffstore", s.cmdSdiffstore, 0},
		{"sscan", s.cmdSscan, 0},
	}
}

func setLookupRead(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeSet, false) }

func setLookupWrite(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeSet, true) }

func (s *Server) setMaxIntset() int64 { return s.params.setMaxIntsetEntries.Int() }

// setReply writes members as a set (RESP3) or an array (RESP2).
func setReply(w *resp.Writer, members []string) {
	w.Set(len(members))
	for _, m := range members {
		w.BulkString(m)
	}
}

// setDeleteIfEmpty deletes a set left empty, firing "del".
func (s *Server) setDeleteIfEmpty(c *Ctx, key string, e *Entry) {
	if e.set().Len() == 0 {
		c.DB().remove(key)
		s.notifyKey(c.Client.db, key, "del", EventGeneric)
	}
}

// SADD key member [member ...] answers the number of new members.
func (s *Server) cmdSadd(c *Ctx, args [][]byte) {
	e, ok := setLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		e = newSetEntry(newSetFor(string(args[2])))
		c.DB().add(string(args[1]), e)
	}
	var added int64
	maxIntset := s.setMaxIntset()
	for _, m := range args[2:] {
		if e.set().add(string(m), maxIntset) {
			added++
		}
	}
	if added > 0 {
		s.notifyKey(c.Client.db, string(args[1]), "sadd", EventSet)
	}
	c.W.Int(added)
}

// SREM key member [member ...] answers how many members it removed; the
// last one gone, the key is deleted ("srem" then "del").
func (s *Server) cmdSrem(c *Ctx, args [][]byte) {
	e, ok := setLookupWrite(c, args[1])
	if !ok {
		return
	}
	var removed int64
	if e != nil {
		for _, m := range args[2:] {
			if e.set().remove(string(m)) {
				removed++
				if e.set().Len() == 0 {
					break
				}
			}
		}
		if removed > 0 {
			key := string(args[1])
			s.notifyKey(c.Client.db, key, "srem", EventSet)
			s.setDeleteIfEmpty(c, key, e)
		}
	}
	c.W.Int(removed)
}

func (s *Server) cmdScard(c *Ctx, args [][]byte) {
	e, ok := setLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		c.W.Int(int64(e.set().Len()))
	}
}

func (s *Server) cmdSismember(c *Ctx, args [][]byte) {
	e, ok := setLookupRead(c, args[1])
	switch {
	case !ok:
	case e != nil && e.set().has(string(args[2])):
		c.W.Int(1)
	default:
		c.W.Int(0)
	}
}

// SMISMEMBER answers an array of 0 and 1, all 0 for a missing key.
func (s *Server) cmdSmismember(c *Ctx, args [][]byte) {
	e, ok := setLookupRead(c, args[1])
	if !ok {
		return
	}
	c.W.Array(len(args) - 2)
	for _, m := range args[2:] {
		if e != nil && e.set().has(string(m)) {
			c.W.Int(1)
		} else {
			c.W.Int(0)
		}
	}
}

// SMEMBERS answers a set (an empty one for a missing key).
func (s *Server) cmdSmembers(c *Ctx, args [][]byte) {
	e, ok := setLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Set(0)
	default:
		setReply(c.W, e.set().members())
	}
}

// SPOP key [count]. Without a count: a random member, nil for a missing
// key. A count (a non-negative integer, checked before the key) answers a
// set of that many distinct members (Redis 7.0 replies a RESP3 set; 7.2 and
// later reply an array): the whole set, in its order, when the count is
// not smaller, and the key is then deleted.
func (s *Server) cmdSpop(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.W.Error(ErrSyntax)
		return
	}
	if len(args) == 2 {
		e, ok := setLookupWrite(c, args[1])
		switch {
		case !ok:
		case e == nil:
			c.W.Null()
		default:
			m := e.set().at(rand.IntN(e.set().Len()))
			e.set().remove(m)
			key := string(args[1])
			s.notifyKey(c.Client.db, key, "spop", EventSet)
			s.setDeleteIfEmpty(c, key, e)
			c.W.BulkString(m)
		}
		return
	}
	// getPositiveLongFromObjectOrReply: one error for both.
	count, ok := resp.ParseInt(args[2])
	if !ok || count < 0 {
		c.W.Error(errSetPositive)
		return
	}
	e, ok := setLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil || count == 0 {
		c.W.Set(0)
		return
	}
	key := string(args[1])
	sv := e.set()
	size := int64(sv.Len())
	s.notifyKey(c.Client.db, key, "spop", EventSet)
	if count >= size {
		// Redis answers the union of the set alone: the order of the set
		// it builds (see setUnionDiff).
		setReply(c.W, s.setUnionDiff([]*setValue{sv}, false))
		c.DB().remove(key)
		s.notifyKey(c.Client.db, key, "del", EventGeneric)
		return
	}
	if count*5 <= size {
		// Few members: removed one by one.
		c.W.Set(int(count))
		for range count {
			m := sv.at(rand.IntN(sv.Len()))
			sv.remove(m)
			c.W.BulkString(m)
		}
		return
	}
	// Many members: Redis picks the members that remain, moves them to a
	// new set of the same encoding and answers the others in the set's
	// order.
	var kept []string
	for remaining := size - count; remaining > 0; remaining-- {
		m := sv.at(rand.IntN(sv.Len()))
		sv.remove(m)
		kept = append(kept, m)
	}
	setReply(c.W, sv.members())
	nsv := &setValue{}
	if sv.tab != nil {
		nsv.tab = newSetTable()
	}
	maxIntset := s.setMaxIntset()
	for _, m := range kept {
		nsv.add(m, maxIntset)
	}
	e.mod.v = nsv
}

// setRandMaxRepeat bounds SRANDMEMBER's negative counts, as
// hashRandMaxRepeat does HRANDFIELD's.
const setRandMaxRepeat = hashRandMaxRepeat

// SRANDMEMBER key [count]. Without a count: a random member, nil for a
// missing key. A count in [-LONG_MAX, LONG_MAX], checked before the key:
// positive, that many distinct members (the whole set, in its order, when
// it has no more); negative, -count members picked independently.
func (s *Server) cmdSrandmember(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.W.Error(ErrSyntax)
		return
	}
	if len(args) == 2 {
		e, ok := setLookupRead(c, args[1])
		switch {
		case !ok:
		case e == nil:
			c.W.Null()
		default:
			c.W.BulkString(e.set().at(rand.IntN(e.set().Len())))
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
	if count < -setRandMaxRepeat {
		c.W.Error(errHashRandCountRange)
		return
	}
	e, ok := setLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil || count == 0 {
		c.W.Array(0)
		return
	}
	sv := e.set()
	n := sv.Len()
	if count < 0 {
		c.W.Array(int(-count))
		for range -count {
			c.W.BulkString(sv.at(rand.IntN(n)))
		}
		return
	}
	if count >= int64(n) {
		c.W.StringArray(sv.members())
		return
	}
	// Distinct members: a random subset, in a random order.
	c.W.Array(int(count))
	if count*3 > int64(n) {
		for _, i := range rand.Perm(n)[:count] {
			c.W.BulkString(sv.at(i))
		}
		return
	}
	picked := map[int]bool{}
	for int64(len(picked)) < count {
		i := rand.IntN(n)
		if !picked[i] {
			picked[i] = true
			c.W.BulkString(sv.at(i))
		}
	}
}

// SMOVE source destination member. A missing source answers 0 before any
// type is checked; a source equal to the destination only tells whether
// the member is there.
func (s *Server) cmdSmove(c *Ctx, args [][]byte) {
	db := c.DB()
	src := db.lookupWrite(c, args[1])
	dst := db.lookupWrite(c, args[2])
	if src == nil {
		c.W.Int(0)
		return
	}
	if src.typ != TypeSet || (dst != nil && dst.typ != TypeSet) {
		c.W.Error(ErrWrongType)
		return
	}
	m := string(args[3])
	if src == dst {
		if src.set().has(m) {
			c.W.Int(1)
		} else {
			c.W.Int(0)
		}
		return
	}
	if !src.set().remove(m) {
		c.W.Int(0)
		return
	}
	srcKey, dstKey := string(args[1]), string(args[2])
	s.notifyKey(c.Client.db, srcKey, "srem", EventSet)
	s.setDeleteIfEmpty(c, srcKey, src)
	if dst == nil {
		dst = newSetEntry(newSetFor(m))
		db.add(dstKey, dst)
	}
	if dst.set().add(m, s.setMaxIntset()) {
		s.notifyKey(c.Client.db, dstKey, "sadd", EventSet)
	}
	c.W.Int(1)
}

// setOperands looks up the sets of an SINTER/SUNION/SDIFF family command:
// a missing key is a nil set; any other type is WRONGTYPE (every key is
// checked, even after a missing one).
func setOperands(c *Ctx, keys [][]byte, write bool) ([]*setValue, bool) {
	sets := make([]*setValue, len(keys))
	for i, k := range keys {
		e, ok := lookupTyped(c, k, TypeSet, write)
		if !ok {
			return nil, false
		}
		if e != nil {
			sets[i] = e.set()
		}
	}
	return sets, true
}

// setInter is the intersection of sets, none of them nil, iterating the
// smallest in its order; limit > 0 stops after that many members.
func setInter(sets []*setValue, limit int) []string {
	sorted := append([]*setValue(nil), sets...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Len() < sorted[j].Len() })
	var out []string
	sorted[0].each(func(m string) bool {
		for _, o := range sorted[1:] {
			if o != sorted[0] && !o.has(m) {
				return true
			}
		}
		out = append(out, m)
		return limit == 0 || len(out) < limit
	})
	return out
}

// setResult builds the set an operation's members form, as Redis 7.0
// does: starting from an intset, added to one by one.
func (s *Server) setResult(members []string) *setValue {
	sv := &setValue{}
	maxIntset := s.setMaxIntset()
	for _, m := range members {
		sv.add(m, maxIntset)
	}
	return sv
}

// setStore stores the result of an xSTORE command at dst (any type is
// overwritten, the TTL dropped; an empty result deletes dst) and answers
// its size.
func (s *Server) setStore(c *Ctx, dst []byte, members []string, event string) {
	db := c.DB()
	key := string(dst)
	old := db.lookupWrite(c, dst)
	if len(members) == 0 {
		if old != nil {
			db.remove(key)
			s.notifyKey(c.Client.db, key, "del", EventGeneric)
		}
		c.W.Int(0)
		return
	}
	sv := s.setResult(members)
	db.replace(key, newSetEntry(sv), false)
	c.W.Int(int64(sv.Len()))
	s.notifyKey(c.Client.db, key, event, EventSet)
}

func hasNilSet(sets []*setValue) bool {
	for _, sv := range sets {
		if sv == nil {
			return true
		}
	}
	return false
}

func (s *Server) cmdSinter(c *Ctx, args [][]byte) {
	sets, ok := setOperands(c, args[1:], false)
	if !ok {
		return
	}
	if hasNilSet(sets) {
		c.W.Set(0)
		return
	}
	setReply(c.W, setInter(sets, 0))
}

func (s *Server) cmdSinterstore(c *Ctx, args [][]byte) {
	sets, ok := setOperands(c, args[2:], true)
	if !ok {
		return
	}
	var members []string
	if !hasNilSet(sets) {
		members = setInter(sets, 0)
	}
	s.setStore(c, args[1], members, "sinterstore")
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]: numkeys and the options
// are parsed before any key is looked up; LIMIT 0 is no limit.
func (s *Server) cmdSintercard(c *Ctx, args [][]byte) {
	numkeys, ok := resp.ParseInt(args[1])
	if !ok || numkeys < 1 {
		c.W.Error(errSetNumkeys)
		return
	}
	if numkeys > int64(len(args)-2) {
		c.W.Error(errSetNumkeysArgs)
		return
	}
	var limit int64
	for i := 2 + int(numkeys); i < len(args); i++ {
		if resp.EqualFold(args[i], "limit") && i+1 < len(args) {
			i++
			n, ok := resp.ParseInt(args[i])
			if !ok || n < 0 {
				c.W.Error(errSetLimitNegative)
				return
			}
			limit = n
		} else {
			c.W.Error(ErrSyntax)
			return
		}
	}
	sets, ok := setOperands(c, args[2:2+numkeys], false)
	if !ok {
		return
	}
	if hasNilSet(sets) {
		c.W.Int(0)
		return
	}
	c.W.Int(int64(len(setInter(sets, int(min(limit, math.MaxInt32))))))
}

// setUnionDiff is the union (or the difference from the first set) of
// sets, nil ones being empty, in the order of the result set Redis 7.0
// builds: an intset's (ascending) if every member is an integer and
// there are few enough, else a hash table's.
func (s *Server) setUnionDiff(sets []*setValue, diff bool) []string {
	var members []string
	seen := map[string]bool{}
	if diff {
		if sets[0] == nil {
			return nil
		}
		sets[0].each(func(m string) bool {
			for _, o := range sets[1:] {
				if o != nil && o.has(m) {
					return true
				}
			}
			members = append(members, m)
			return true
		})
	} else {
		for _, sv := range sets {
			if sv == nil {
				continue
			}
			sv.each(func(m string) bool {
				if !seen[m] {
					seen[m] = true
					members = append(members, m)
				}
				return true
			})
		}
	}
	return s.setResult(members).members()
}

func (s *Server) cmdSunion(c *Ctx, args [][]byte) { s.setUnionDiffReply(c, args[1:], false) }

func (s *Server) cmdSdiff(c *Ctx, args [][]byte) { s.setUnionDiffReply(c, args[1:], true) }

func (s *Server) setUnionDiffReply(c *Ctx, keys [][]byte, diff bool) {
	sets, ok := setOperands(c, keys, false)
	if !ok {
		return
	}
	setReply(c.W, s.setUnionDiff(sets, diff))
}

func (s *Server) cmdSunionstore(c *Ctx, args [][]byte) {
	s.setUnionDiffStore(c, args, false, "sunionstore")
}

func (s *Server) cmdSdiffstore(c *Ctx, args [][]byte) {
	s.setUnionDiffStore(c, args, true, "sdiffstore")
}

func (s *Server) setUnionDiffStore(c *Ctx, args [][]byte, diff bool, event string) {
	sets, ok := setOperands(c, args[2:], true)
	if !ok {
		return
	}
	s.setStore(c, args[1], s.setUnionDiff(sets, diff), event)
}

// SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
// first; a missing key answers an empty scan and a wrong type WRONGTYPE
// before the options are parsed. An intset is scanned whole in one call.
func (s *Server) cmdSscan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.W.Error(ErrInvalidCursor)
		return
	}
	e, ok := setLookupRead(c, args[1])
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
	next := e.set().scan(cursor, opts.count, func(m string) {
		if !opts.usePattern || GlobMatch(opts.pattern, m, false) {
			found = append(found, m)
		}
	})
	c.W.Array(2)
	c.W.BulkString(strconv.FormatUint(next, 10))
	c.W.StringArray(found)
}
