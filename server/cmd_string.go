package server

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The string commands, as Redis 7.0 implements them in t_string.c: argument
// parsing order, error wording, reply shapes, encodings and keyspace events.

// Error replies only the string commands give.
const (
	errStrDecrOverflow = "ERR decrement would overflow"
)

func stringCommands(s *Server) commandGroup {
	return commandGroup{
		{"get", s.cmdGet, 0},
		{"set", s.cmdSet, 0},
		{"setnx", s.cmdSetnx, 0},
		{"setex", s.cmdSetex, 0},
		{"psetex", s.cmdPsetex, 0},
		{"getset", s.cmdGetset, 0},
		{"getdel", s.cmdGetdel, 0},
		{"getex", s.cmdGetex, 0},
		{"mget", s.cmdMget, 0},
		{"mset", s.cmdMset, 0},
		{"msetnx", s.cmdMsetnx, 0},
		{"incr", s.cmdIncr, 0},
		{"decr", s.cmdDecr, 0},
		{"incrby", s.cmdIncrby, 0},
		{"decrby", s.cmdDecrby, 0},
		{"incrbyfloat", s.cmdIncrbyfloat, 0},
		{"append", s.cmdAppend, 0},
		{"strlen", s.cmdStrlen, 0},
		{"getrange", s.cmdGetrange, 0},
		{"substr", s.cmdGetrange, 0},
		{"setrange", s.cmdSetrange, 0},
	}
}

// strFlags are the options of SET and GETEX (Redis' OBJ_SET_* flags).
type strFlags uint16

const (
	strNX strFlags = 1 << iota
	strXX
	strGet
	strKeepTTL
	strPersist
	strEX
	strPX
	strEXAT
	strPXAT

	strExpireFlags = strEX | strPX | strEXAT | strPXAT
)

// parseStrOptions parses the options of SET (forSet) or GETEX from args[from:]
// as Redis' parseExtendedStringArgumentsOrReply does: an option is accepted
// only where it does not conflict with those seen before (NX after XX,
// KEEPTTL after EX, EX after PX... are syntax errors, while repeating one,
// "EX 10 EX 20", is allowed and the last value wins); an expiry option
// without a value is a syntax error too. It returns the flags and the
// expiry argument, unparsed: its value is checked later.
func parseStrOptions(args [][]byte, from int, forSet bool) (flags strFlags, expire []byte, ok bool) {
	for j := from; j < len(args); j++ {
		opt := args[j]
		hasNext := j+1 < len(args)
		expireOpt := func(self strFlags) bool {
			return flags&(strKeepTTL|strPersist|(strExpireFlags&^self)) == 0 && hasNext
		}
		switch {
		case forSet && resp.EqualFold(opt, "nx") && flags&strXX == 0:
			flags |= strNX
		case forSet && resp.EqualFold(opt, "xx") && flags&strNX == 0:
			flags |= strXX
		case forSet && resp.EqualFold(opt, "get"):
			flags |= strGet
		case forSet && resp.EqualFold(opt, "keepttl") && flags&(strPersist|strExpireFlags) == 0:
			flags |= strKeepTTL
		case !forSet && resp.EqualFold(opt, "persist") && flags&(strKeepTTL|strExpireFlags) == 0:
			flags |= strPersist
		case resp.EqualFold(opt, "ex") && expireOpt(strEX):
			flags |= strEX
			j++
			expire = args[j]
		case resp.EqualFold(opt, "px") && expireOpt(strPX):
			flags |= strPX
			j++
			expire = args[j]
		case resp.EqualFold(opt, "exat") && expireOpt(strEXAT):
			flags |= strEXAT
			j++
			expire = args[j]
		case resp.EqualFold(opt, "pxat") && expireOpt(strPXAT):
			flags |= strPXAT
			j++
			expire = args[j]
		default:
			return 0, nil, false
		}
	}
	return flags, expire, true
}

// strExpireTime turns an expiry argument into a unix time in milliseconds as
// Redis' getExpireMillisecondsOrReply does, or replies with the error:
// not an integer, not positive, or overflowing once converted to an
// absolute time in milliseconds ("ERR invalid expire time in '<cmd>'
// command"). Expiry times already in the past are accepted.
func strExpireTime(c *Ctx, flags strFlags, arg []byte) (int64, bool) {
	ms, ok := resp.ParseInt(arg)
	if !ok {
		c.W.Error(ErrNotInteger)
		return 0, false
	}
	seconds := flags&(strEX|strEXAT) != 0
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		c.W.Error(fmt.Sprintf(ErrInvalidExpireFmt, c.Cmd.Name))
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if flags&(strEX|strPX) != 0 {
		// Redis adds the current time in C and checks for a wrap to a
		// negative number; Go's int64 addition wraps the same way.
		ms += c.now
	}
	if ms <= 0 {
		c.W.Error(fmt.Sprintf(ErrInvalidExpireFmt, c.Cmd.Name))
		return 0, false
	}
	return ms, true
}

// strNotify reports a change of a key of the client's database.
func (s *Server) strNotify(c *Ctx, key, event string, class EventClass) {
	s.notifyKey(c.Client.db, key, event, class)
}

// strLookupRead and strLookupWrite look a key up for a reading or a
// writing command on a string value (see lookupTyped).
func strLookupRead(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeString, false) }

func strLookupWrite(c *Ctx, key []byte) (*Entry, bool) { return lookupTyped(c, key, TypeString, true) }

// strGetReply is Redis' getGenericCommand: it replies with the key's value
// (nil if missing) and reports false after a WRONGTYPE error.
func strGetReply(c *Ctx, key []byte) bool {
	e, ok := strLookupRead(c, key)
	switch {
	case !ok:
		return false
	case e == nil:
		c.W.Null()
	default:
		c.W.BulkString(e.str)
	}
	return true
}

// strSetKey stores a string as Redis' setKey does: any value of any type is
// replaced, an expired one being expired first (with its "expired" event),
// and the TTL is dropped unless keepTTL. expireAt, if not 0, becomes the new
// expiry. It fires "set" (and "expire" when an expiry is given).
func (s *Server) strSetKey(c *Ctx, key []byte, val string, keepTTL bool, expireAt int64) {
	s.strSetKeyOver(c, key, c.DB().lookupWrite(c, key), val, keepTTL, expireAt)
}

// strSetKeyOver is strSetKey where old is what lookupWrite found at key
// (nil if nothing), looked up by the caller.
func (s *Server) strSetKeyOver(c *Ctx, key []byte, old *Entry, val string, keepTTL bool, expireAt int64) {
	db := c.DB()
	k := string(key)
	if old != nil && old.typ == TypeString {
		// Overwriting a string: reuse its entry (one allocation less per SET).
		old.str, old.enc, old.appended = val, encAuto, nil
		// (An entry is in db.expires exactly when it has an expiry: one
		// without, staying without, needs no map update.)
		if (!keepTTL || expireAt != 0) && (old.expireAt != 0 || expireAt != 0) {
			db.setExpire(k, old, expireAt)
		}
	} else {
		e := newStringEntry(val, encAuto)
		e.expireAt = expireAt
		db.replace(k, e, keepTTL && expireAt == 0)
	}
	s.strNotify(c, k, "set", EventString)
	if expireAt != 0 {
		s.strNotify(c, k, "expire", EventGeneric)
	}
}

// strSetGeneric is Redis' setGenericCommand, shared by SET, SETNX, SETEX and
// PSETEX: okReply and abortReply answer a set done or skipped (NX/XX)
// unless GET replied already.
func (s *Server) strSetGeneric(c *Ctx, flags strFlags, key, val, expire []byte, okReply, abortReply func()) {
	var expireAt int64
	if expire != nil {
		var ok bool
		if expireAt, ok = strExpireTime(c, flags, expire); !ok {
			return
		}
	}
	if flags&strGet != 0 && !strGetReply(c, key) {
		return
	}
	old := c.DB().lookupWrite(c, key)
	found := old != nil
	if (flags&strNX != 0 && found) || (flags&strXX != 0 && !found) {
		if flags&strGet == 0 {
			abortReply()
		}
		return
	}
	// An expiry already in the past is stored as given: Redis 7.0 keeps the
	// key (and fires "set" and "expire"); it expires on its next access.
	s.strSetKeyOver(c, key, old, string(val), flags&strKeepTTL != 0, expireAt)
	if flags&strGet == 0 {
		okReply()
	}
}

func (s *Server) cmdGet(c *Ctx, args [][]byte) {
	strGetReply(c, args[1])
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]
func (s *Server) cmdSet(c *Ctx, args [][]byte) {
	flags, expire, ok := parseStrOptions(args, 3, true)
	if !ok {
		c.W.Error(ErrSyntax)
		return
	}
	s.strSetGeneric(c, flags, args[1], args[2], expire, c.W.OK, c.W.Null)
}

func (s *Server) cmdSetnx(c *Ctx, args [][]byte) {
	s.strSetGeneric(c, strNX, args[1], args[2], nil, func() { c.W.Int(1) }, func() { c.W.Int(0) })
}

func (s *Server) cmdSetex(c *Ctx, args [][]byte) {
	s.strSetGeneric(c, strEX, args[1], args[3], args[2], c.W.OK, nil)
}

func (s *Server) cmdPsetex(c *Ctx, args [][]byte) {
	s.strSetGeneric(c, strPX, args[1], args[3], args[2], c.W.OK, nil)
}

// GETSET replies with the old value and sets the new one, dropping the TTL.
func (s *Server) cmdGetset(c *Ctx, args [][]byte) {
	if strGetReply(c, args[1]) {
		s.strSetKey(c, args[1], string(args[2]), false, 0)
	}
}

func (s *Server) cmdGetdel(c *Ctx, args [][]byte) {
	e, ok := strLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Null()
		return
	}
	c.W.BulkString(e.str)
	c.DB().remove(string(args[1]))
	s.strNotify(c, string(args[1]), "del", EventGeneric)
}

// GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]. Unlike SET, a missing key
// (nil) and a wrong type win over an invalid expiry time.
func (s *Server) cmdGetex(c *Ctx, args [][]byte) {
	flags, expire, ok := parseStrOptions(args, 2, false)
	if !ok {
		c.W.Error(ErrSyntax)
		return
	}
	e, ok := strLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Null()
		return
	}
	var expireAt int64
	if expire != nil {
		if expireAt, ok = strExpireTime(c, flags, expire); !ok {
			return
		}
	}
	c.W.BulkString(e.str)
	key := string(args[1])
	db := c.DB()
	switch {
	case flags&(strEXAT|strPXAT) != 0 && expireAt <= c.now:
		// An absolute time already past deletes the key ("del", not
		// "expired"), as Redis does.
		db.remove(key)
		s.strNotify(c, key, "del", EventGeneric)
	case expire != nil:
		db.setExpire(key, e, expireAt)
		s.strNotify(c, key, "expire", EventGeneric)
	case flags&strPersist != 0 && e.expireAt != 0:
		db.setExpire(key, e, 0)
		s.strNotify(c, key, "persist", EventGeneric)
	}
}

// MGET answers nil for missing keys and for keys of another type.
func (s *Server) cmdMget(c *Ctx, args [][]byte) {
	db := c.DB()
	c.W.Array(len(args) - 1)
	for _, key := range args[1:] {
		if e := db.lookupRead(c, key); e != nil && e.typ == TypeString {
			c.W.BulkString(e.str)
		} else {
			c.W.Null()
		}
	}
}

func (s *Server) cmdMset(c *Ctx, args [][]byte) { s.strMset(c, args, false) }

func (s *Server) cmdMsetnx(c *Ctx, args [][]byte) { s.strMset(c, args, true) }

// strMset sets key/value pairs in order (a repeated key ends with its
// last value, with a "set" event each time). With nx nothing is set if any
// key exists, whatever its type.
func (s *Server) strMset(c *Ctx, args [][]byte, nx bool) {
	if len(args)%2 == 0 {
		c.W.Error(fmt.Sprintf(ErrWrongArgsFmt, c.Cmd.Name))
		return
	}
	if nx {
		for j := 1; j < len(args); j += 2 {
			if c.DB().lookupWrite(c, args[j]) != nil {
				c.W.Int(0)
				return
			}
		}
	}
	for j := 1; j < len(args); j += 2 {
		s.strSetKey(c, args[j], string(args[j+1]), false, 0)
	}
	if nx {
		c.W.Int(1)
	} else {
		c.W.OK()
	}
}

func (s *Server) cmdIncr(c *Ctx, args [][]byte) { s.strIncrDecr(c, args[1], 1) }

func (s *Server) cmdDecr(c *Ctx, args [][]byte) { s.strIncrDecr(c, args[1], -1) }

func (s *Server) cmdIncrby(c *Ctx, args [][]byte) {
	incr, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	s.strIncrDecr(c, args[1], incr)
}

func (s *Server) cmdDecrby(c *Ctx, args [][]byte) {
	decr, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	// -LLONG_MIN does not exist: Redis refuses it before looking at the key.
	if decr == math.MinInt64 {
		c.W.Error(errStrDecrOverflow)
		return
	}
	s.strIncrDecr(c, args[1], -decr)
}

// strIncrDecr adds incr to the integer stored at key (0 if missing), keeping
// its TTL; the result is int-encoded and fires "incrby".
func (s *Server) strIncrDecr(c *Ctx, key []byte, incr int64) {
	e, ok := strLookupWrite(c, key)
	if !ok {
		return
	}
	var value int64
	if e != nil {
		if value, ok = resp.ParseIntString(e.str); !ok {
			c.W.Error(ErrNotInteger)
			return
		}
	}
	if addOverflows(value, incr) {
		c.W.Error(ErrOverflow)
		return
	}
	value += incr
	s.strStoreNumber(c, key, e, strconv.FormatInt(value, 10), encAuto, "incrby")
	c.W.Int(value)
}

// INCRBYFLOAT computes in long double (see ldouble.go). The stored value is
// checked before the increment.
func (s *Server) cmdIncrbyfloat(c *Ctx, args [][]byte) {
	e, ok := strLookupWrite(c, args[1])
	if !ok {
		return
	}
	value := new(big.Float) // a missing key counts as 0
	if e != nil {
		if value, ok = parseLongDouble(e.str); !ok {
			c.W.Error(ErrNotFloat)
			return
		}
	}
	incr, ok := parseLongDouble(string(args[2]))
	if !ok {
		c.W.Error(ErrNotFloat)
		return
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		c.W.Error(ErrNaNOrInfinity)
		return
	}
	// The result is stored as text, never int-encoded ("3", not 3).
	str := formatLongDouble(sum)
	s.strStoreNumber(c, args[1], e, str, encNoInt, "incrbyfloat")
	c.W.BulkString(str)
}

// strStoreNumber stores the result of an increment, in place of e (keeping
// the TTL) or as a new key, and fires event.
func (s *Server) strStoreNumber(c *Ctx, key []byte, e *Entry, val string, enc strEncoding, event string) {
	if e != nil {
		e.str, e.enc = val, enc
	} else {
		c.DB().add(string(key), newStringEntry(val, enc))
	}
	s.strNotify(c, string(key), event, EventString)
}

// APPEND creates a missing key as SET would (so "APPEND k 12" is
// int-encoded); appending to an existing value, even nothing, makes it raw
// and always fires "append".
func (s *Server) cmdAppend(c *Ctx, args [][]byte) {
	e, ok := strLookupWrite(c, args[1])
	if !ok {
		return
	}
	key := string(args[1])
	if e == nil {
		e = newStringEntry(string(args[2]), encAuto)
		c.DB().add(key, e)
	} else {
		if !strCheckLength(c, int64(len(e.str)), int64(len(args[2]))) {
			return
		}
		// Another command may have set str since the last APPEND: extend
		// the builder only if str is still its content (same bytes, so the
		// comparison is a pointer check).
		if e.appended == nil || e.appended.String() != e.str {
			e.appended = &strings.Builder{}
			e.appended.Grow(2 * (len(e.str) + len(args[2])))
			e.appended.WriteString(e.str)
		}
		e.appended.Write(args[2])
		e.str = e.appended.String()
		e.enc = encRaw
	}
	s.strNotify(c, key, "append", EventString)
	c.W.Int(int64(len(e.str)))
}

// strCheckLength is Redis' checkStringLength: a string may not grow beyond
// proto-max-bulk-len.
func strCheckLength(c *Ctx, size, add int64) bool {
	total := size + add
	if total > c.srv.params.protoMaxBulkLen.Int() || total < size {
		c.W.Error(ErrStringTooLong)
		return false
	}
	return true
}

func (s *Server) cmdStrlen(c *Ctx, args [][]byte) {
	e, ok := strLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		c.W.Int(int64(len(e.str)))
	}
}

// GETRANGE (and its old name SUBSTR) parses both indexes before looking at
// the key, and answers an empty string, never nil.
func (s *Server) cmdGetrange(c *Ctx, args [][]byte) {
	start, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	end, ok := resp.ParseInt(args[3])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	e, ok := strLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.BulkString("")
		return
	}
	c.W.BulkString(strRange(e.str, start, end))
}

// strRange applies Redis 7.0's GETRANGE index rules. Negative indexes count
// from the end and are then clamped to 0, so a range entirely before the
// start ("-100 -90" on "hello") still gives the first byte; only a negative
// start greater than a negative end gives "".
func strRange(str string, start, end int64) string {
	n := int64(len(str))
	if start < 0 && end < 0 && start > end {
		return ""
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return ""
	}
	return str[start : end+1]
}

// SETRANGE key offset value: the gap is filled with zero bytes. Setting
// nothing neither creates the key nor changes it (nor checks the size):
// the reply is the current length.
func (s *Server) cmdSetrange(c *Ctx, args [][]byte) {
	offset, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if offset < 0 {
		c.W.Error(ErrOffsetRange)
		return
	}
	e, ok := strLookupWrite(c, args[1])
	if !ok {
		return
	}
	value := args[3]
	var old string
	if e != nil {
		old = e.str
	}
	if len(value) == 0 {
		c.W.Int(int64(len(old)))
		return
	}
	if !strCheckLength(c, offset, int64(len(value))) {
		return
	}
	size := max(int64(len(old)), offset+int64(len(value)))
	buf := make([]byte, size)
	copy(buf, old)
	copy(buf[offset:], value)
	key := string(args[1])
	if e == nil {
		e = newStringEntry(string(buf), encRaw)
		c.DB().add(key, e)
	} else {
		e.str, e.enc = string(buf), encRaw
	}
	s.strNotify(c, key, "setrange", EventString)
	c.W.Int(size)
}

// addOverflows reports whether value+incr overflows an int64 (INCRBY,
// HINCRBY: "increment or decrement would overflow").
func addOverflows(value, incr int64) bool {
	return (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value)
}
