package server

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The hash commands, as Redis 7.0 implements them in t_hash.c for
// listpack-encoded hashes (the only kind this server has, see hash.go):
// fields in insertion order, HSCAN answering everything in one call.

// Error replies only the hash commands give.
const (
	errHashIncrNaNOrInf   = "ERR value is NaN or Infinity"
	errHashRandCountRange = "ERR value is out of range"
	// HRANDFIELD's count is parsed in the range [-LONG_MAX, LONG_MAX].
	errHashRandCountBounds = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)

// hashRandMaxRepeat bounds the count of HRANDFIELD with repetitions
// (negative counts). Redis 7.0 accepts any count down to -LONG_MAX without
// WITHVALUES and then runs out of memory building the reply; we refuse such
// counts with the error it gives for WITHVALUES counts beyond LONG_MAX/2.
const hashRandMaxRepeat = 1 << 27

func hashCommands(s *Server) commandGroup {
	return commandGroup{
		{"hset", s.cmdHset, 0},
		{"hmset", s.cmdHmset, 0},
		{"hsetnx", s.cmdHsetnx, 0},
		{"hget", s.cmdHget, 0},
		{"hmget", s.cmdHmget, 0},
		{"hgetall", s.cmdHgetall, 0},
		{"hkeys", s.cmdHkeys, 0},
		{"hvals", s.cmdHvals, 0},
		{"hdel", s.cmdHdel, 0},
		{"hlen", s.cmdHlen, 0},
		{"hexists", s.cmdHexists, 0},
		{"hstrlen", s.cmdHstrlen, 0},
		{"hincrby", s.cmdHincrby, 0},
		{"hincrbyfloat", s.cmdHincrbyfloat, 0},
		{"hrandfield", s.cmdHrandfield, 0},
		{"hscan", s.cmdHscan, 0},
	}
}

// hashLookupRead and hashLookupWrite look a key up for a reading or a
// writing command on a hash value (see lookupTyped).
// A hash with field TTLs first loses its fields whose time has passed (see
// hash_ttl.go), and reads as missing if none is left.
func hashLookupRead(c *Ctx, key []byte) (*Entry, bool) {
	e, ok := lookupTyped(c, key, TypeHash, false)
	if e != nil && e.mod != nil {
		e = expireFieldsOnLookup(c, key, e)
	}
	return e, ok
}

func hashLookupWrite(c *Ctx, key []byte) (*Entry, bool) {
	e, ok := lookupTyped(c, key, TypeHash, true)
	if e != nil && e.mod != nil {
		e = expireFieldsOnLookup(c, key, e)
	}
	return e, ok
}

// hashSet sets a field of the hash at key, creating the key (e == nil) if
// needed, and returns the entry and whether the field is new. It fires no
// event: the caller does, once per command.
func (s *Server) hashSet(c *Ctx, key []byte, e *Entry, field, value string) (*Entry, bool) {
	if e == nil {
		e, _ = hashCreate(c, key)
	}
	added := e.Hash().Set(field, value)
	// Redis converts a listpack for a long field or value even when the
	// field only changes, and for too many fields.
	e.noteHashSize(s.params.hashMaxListpackEntries.Int(), s.params.hashMaxListpackValue.Int(), field, value)
	return e, added
}

// hashCreate adds an empty hash under key, which must not exist, and
// returns it with the key as the keyspace holds it (the event can pass
// that string on instead of a copy of its own).
func hashCreate(c *Ctx, key []byte) (*Entry, string) {
	e := newHashEntry()
	k := string(key)
	c.DB().add(k, e)
	return e, k
}

// hashSetPairs is HSET and HMSET: field/value pairs from args[2:], an odd
// count being an arity error before anything else. It fires one "hset"
// and reports how many fields are new, or false after an error reply.
func (s *Server) hashSetPairs(c *Ctx, args [][]byte) (int64, bool) {
	if len(args)%2 != 0 {
		c.W.Error(fmt.Sprintf(ErrWrongArgsFmt, c.Cmd.Name))
		return 0, false
	}
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return 0, false
	}
	var key string
	if e == nil {
		e, key = hashCreate(c, args[1])
	} else {
		key = string(args[1])
	}
	// All the pairs at once: a packed hash is rewritten once.
	added := int64(e.Hash().setPairs(args[2:], &s.hashNames))
	if e.mod != nil { // HSET drops the TTL of a field it sets, as Redis 8 does
		for j := 2; j < len(args); j += 2 {
			e.dropFieldTTL(string(args[j]))
		}
	}
	// Redis converts a listpack for a long field or value, even when the
	// field only changes, and for too many fields.
	maxEntries, maxValue := s.params.hashMaxListpackEntries.Int(), s.params.hashMaxListpackValue.Int()
	for j := 2; j < len(args) && !e.hashBig; j += 2 {
		e.hashBig = int64(len(args[j])) > maxValue || int64(len(args[j+1])) > maxValue
	}
	if !e.hashBig {
		e.noteHashLens(maxEntries, maxValue, 0, 0) // the number of fields
	}
	s.notifyKey(c.Client.db, key, "hset", EventHash)
	return added, true
}

// HSET key field value [field value ...] answers the number of new fields.
func (s *Server) cmdHset(c *Ctx, args [][]byte) {
	if created, ok := s.hashSetPairs(c, args); ok {
		c.W.Int(created)
	}
}

// HMSET is HSET answering OK.
func (s *Server) cmdHmset(c *Ctx, args [][]byte) {
	if _, ok := s.hashSetPairs(c, args); ok {
		c.W.OK()
	}
}

// HSETNX sets the field only if it does not exist; nothing happens (no
// event) otherwise.
func (s *Server) cmdHsetnx(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e != nil && e.Hash().Has(string(args[2])) {
		c.W.Int(0)
		return
	}
	s.hashSet(c, args[1], e, string(args[2]), string(args[3]))
	s.notifyKey(c.Client.db, string(args[1]), "hset", EventHash)
	c.W.Int(1)
}

func (s *Server) cmdHget(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	if e != nil {
		if v, found := e.Hash().Get(string(args[2])); found {
			c.W.BulkString(v)
			return
		}
	}
	c.W.Null()
}

// HMGET answers nil for each missing field (all of them on a missing key).
func (s *Server) cmdHmget(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	c.W.Array(len(args) - 2)
	for _, field := range args[2:] {
		if e != nil {
			if v, found := e.Hash().Get(string(field)); found {
				c.W.BulkString(v)
				continue
			}
		}
		c.W.Null()
	}
}

// HGETALL answers a map in RESP3 (a flat array in RESP2).
func (s *Server) cmdHgetall(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Map(0)
		return
	}
	c.W.Map(e.Hash().Len())
	e.Hash().Each(func(field, value string) bool {
		c.W.BulkString(field)
		c.W.BulkString(value)
		return true
	})
}

func (s *Server) cmdHkeys(c *Ctx, args [][]byte) { hashListReply(c, args[1], true) }

func (s *Server) cmdHvals(c *Ctx, args [][]byte) { hashListReply(c, args[1], false) }

// hashListReply answers the fields (HKEYS) or the values (HVALS) of a hash,
// an empty array for a missing key.
func hashListReply(c *Ctx, key []byte, fields bool) {
	e, ok := hashLookupRead(c, key)
	if !ok {
		return
	}
	if e == nil {
		c.W.Array(0)
		return
	}
	c.W.Array(e.Hash().Len())
	e.Hash().Each(func(field, value string) bool {
		if fields {
			c.W.BulkString(field)
		} else {
			c.W.BulkString(value)
		}
		return true
	})
}

// HDEL answers how many fields it deleted. Deleting the last field deletes
// the key: "hdel" then "del" are fired.
func (s *Server) cmdHdel(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	var deleted int64
	for _, field := range args[2:] {
		if e.Hash().Delete(string(field)) {
			deleted++
		}
	}
	if deleted > 0 {
		key := string(args[1])
		s.notifyKey(c.Client.db, key, "hdel", EventHash)
		if e.Hash().Len() == 0 {
			c.DB().remove(key)
			s.notifyKey(c.Client.db, key, "del", EventGeneric)
		}
	}
	c.W.Int(deleted)
}

func (s *Server) cmdHlen(c *Ctx, args [][]byte) {
	// Redis 8 counts expired fields not yet reclaimed (hlenCommand:
	// hashTypeLength(o, 0); hash-field-expire.tcl "Lazy expire - HLEN does
	// count expired fields"): no field expiry here.
	e, ok := lookupTyped(c, args[1], TypeHash, false)
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		c.W.Int(int64(e.Hash().Len()))
	}
}

func (s *Server) cmdHexists(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	switch {
	case !ok:
	case e != nil && e.Hash().Has(string(args[2])):
		c.W.Int(1)
	default:
		c.W.Int(0)
	}
}

// HSTRLEN answers 0 for a missing field or key.
func (s *Server) cmdHstrlen(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	var n int
	if e != nil {
		v, _ := e.Hash().Get(string(args[2]))
		n = len(v)
	}
	c.W.Int(int64(n))
}

// HINCRBY parses the increment before looking at the key (so a bad
// increment wins over WRONGTYPE); a missing field counts as 0 and the stored
// value must be an integer as string2ll reads one.
func (s *Server) cmdHincrby(c *Ctx, args [][]byte) {
	incr, ok := resp.ParseInt(args[3])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	field := string(args[2])
	var value int64
	if e != nil {
		if old, found := e.Hash().Get(field); found {
			if value, ok = resp.ParseIntString(old); !ok {
				c.W.Error(ErrHashNotInteger)
				return
			}
		}
	}
	if addOverflows(value, incr) {
		c.W.Error(ErrOverflow)
		return
	}
	value += incr
	s.hashSet(c, args[1], e, field, strconv.FormatInt(value, 10))
	s.notifyKey(c.Client.db, string(args[1]), "hincrby", EventHash)
	c.W.Int(value)
}

// HINCRBYFLOAT computes in long double (see ldouble.go). The increment is
// checked first (not a float, then infinite), then the key's type, then the
// stored value; a sum that overflows is refused.
func (s *Server) cmdHincrbyfloat(c *Ctx, args [][]byte) {
	incr, ok := parseLongDouble(string(args[3]))
	if !ok {
		c.W.Error(ErrNotFloat)
		return
	}
	if incr.IsInf() {
		c.W.Error(errHashIncrNaNOrInf)
		return
	}
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	field := string(args[2])
	value := new(big.Float) // a missing field counts as 0
	if e != nil {
		if old, found := e.Hash().Get(field); found {
			if value, ok = parseLongDouble(old); !ok {
				c.W.Error(ErrHashNotFloat)
				return
			}
		}
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		c.W.Error(ErrNaNOrInfinity)
		return
	}
	str := formatLongDouble(sum)
	s.hashSet(c, args[1], e, field, str)
	s.notifyKey(c.Client.db, string(args[1]), "hincrbyfloat", EventHash)
	c.W.BulkString(str)
}

// HRANDFIELD key [count [WITHVALUES]].
//
// Without a count: one random field, nil if the key is missing. With a
// count, parsed (and range-checked with WITHVALUES) before the key is looked
// at: a positive count asks for distinct fields (the whole hash, in order,
// when it has no more), a negative one for -count fields picked
// independently; a missing key or a count of 0 answers an empty array.
func (s *Server) cmdHrandfield(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		e, ok := hashLookupRead(c, args[1])
		switch {
		case !ok:
		case e == nil:
			c.W.Null()
		default:
			field, _ := e.Hash().At(rand.IntN(e.Hash().Len()))
			c.W.BulkString(field)
		}
		return
	}
	count, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if count == math.MinInt64 {
		c.W.Error(errHashRandCountBounds)
		return
	}
	withValues := len(args) == 4
	if len(args) > 4 || (withValues && !resp.EqualFold(args[3], "withvalues")) {
		c.W.Error(ErrSyntax)
		return
	}
	// With WITHVALUES the reply has twice as many elements: Redis refuses
	// counts beyond LONG_MAX/2 either way.
	if (withValues && (count < -math.MaxInt64/2 || count > math.MaxInt64/2)) || count < -hashRandMaxRepeat {
		c.W.Error(errHashRandCountRange)
		return
	}
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil || count == 0 {
		c.W.Array(0)
		return
	}
	h := e.Hash()
	n := h.Len()
	if count < 0 {
		hashPairsHeader(c.W, int(-count), withValues)
		for range -count {
			field, value := h.At(rand.IntN(n))
			hashPair(c.W, field, value, withValues)
		}
		return
	}
	want := int(min(count, int64(n)))
	hashPairsHeader(c.W, want, withValues)
	// Selection sampling (Knuth's algorithm S): every subset of want fields
	// is equally likely, and they come out in the hash's order, as Redis'
	// listpack sampling gives them.
	left := n
	h.Each(func(field, value string) bool {
		if rand.IntN(left) < want {
			hashPair(c.W, field, value, withValues)
			want--
		}
		left--
		return want > 0
	})
}

// hashPairsHeader starts a reply of n fields, with their values or not:
// with values, RESP3 gets an array of [field, value] arrays and RESP2 a flat
// array.
func hashPairsHeader(w *resp.Writer, n int, withValues bool) {
	if withValues && !w.Resp3() {
		n *= 2
	}
	w.Array(n)
}

// hashPair writes one element of a hashPairsHeader reply.
func hashPair(w *resp.Writer, field, value string, withValues bool) {
	if !withValues {
		w.BulkString(field)
		return
	}
	if w.Resp3() {
		w.Array(2)
	}
	w.BulkString(field)
	w.BulkString(value)
}

// HSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
// first; a missing key answers an empty scan and a wrong type WRONGTYPE
// before the options are parsed. A listpack hash is scanned in one call
// whatever the cursor and COUNT (still validated), so the next cursor is
// always 0. MATCH applies to field names.
func (s *Server) cmdHscan(c *Ctx, args [][]byte) {
	if _, ok := parseScanCursor(args[2]); !ok {
		c.W.Error(ErrInvalidCursor)
		return
	}
	e, ok := hashLookupRead(c, args[1])
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
	pattern, usePattern := opts.pattern, opts.usePattern
	var found []string
	e.Hash().Each(func(field, value string) bool {
		if !usePattern || GlobMatch(pattern, field, false) {
			found = append(found, field, value)
		}
		return true
	})
	c.W.Array(2)
	c.W.BulkString("0")
	c.W.StringArray(found)
}
