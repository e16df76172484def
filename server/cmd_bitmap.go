package server

import (
	"math/bits"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The bitmap commands on strings, as Redis 7.0 implements them in bitops.c:
// argument parsing order, error wording, replies, encodings and keyspace
// events. A bit write leaves the string raw-encoded, as Redis'
// dbUnshareStringValue does.

// Error replies only the bitmap commands give.
const (
	errBitOffset   = "ERR bit offset is not an integer or out of range"
	errBitValue    = "ERR bit is not an integer or out of range"
	errBitPosArg   = "ERR The bit argument must be 1 or 0."
	errBitOpNotOne = "ERR BITOP NOT must be called with a single source key."
)

func bitmapCommands(s *Server) commandGroup {
	return commandGroup{
		{"setbit", s.cmdSetbit, 0},
		{"getbit", s.cmdGetbit, 0},
		{"bitcount", s.cmdBitcount, 0},
		{"bitpos", s.cmdBitpos, 0},
		{"bitop", s.cmdBitop, 0},
	}
}

// bitOffset is Redis' getBitOffsetFromArgument (without the "#" form of
// BITFIELD): a non-negative integer whose byte lies within
// proto-max-bulk-len.
func bitOffset(c *Ctx, arg []byte) (int64, bool) {
	off, ok := resp.ParseInt(arg)
	if !ok || off < 0 || off>>3 >= c.srv.params.protoMaxBulkLen.Int() {
		c.W.Error(errBitOffset)
		return 0, false
	}
	return off, true
}

// bitAt reports the bit at offset (most significant bit of a byte first);
// bits past the end are 0.
func bitAt(str string, off int64) int {
	b := off >> 3
	if b >= int64(len(str)) {
		return 0
	}
	return int(str[b]>>(7-uint(off&7))) & 1
}

// SETBIT key offset value replies with the previous bit. A missing key is
// created, a short one zero-padded. As in Redis 7.0, the key is modified
// (event "setbit", WATCH touched) only if it was created, grew or the bit
// changed; it becomes raw-encoded in any case.
func (s *Server) cmdSetbit(c *Ctx, args [][]byte) {
	off, ok := bitOffset(c, args[2])
	if !ok {
		return
	}
	on, ok := resp.ParseInt(args[3])
	if !ok || on&^1 != 0 {
		c.W.Error(errBitValue)
		return
	}
	e, ok := strLookupWrite(c, args[1])
	if !ok {
		return
	}
	key := string(args[1])
	byteIdx := off >> 3
	var old string
	if e != nil {
		old = e.str
		e.enc = encRaw
	}
	prev := bitAt(old, off)
	dirty := e == nil || byteIdx >= int64(len(old)) || int64(prev) != on
	if dirty {
		buf := make([]byte, max(int64(len(old)), byteIdx+1))
		copy(buf, old)
		mask := byte(1) << (7 - uint(off&7))
		if on == 1 {
			buf[byteIdx] |= mask
		} else {
			buf[byteIdx] &^= mask
		}
		if e == nil {
			c.DB().add(key, newStringEntry(string(buf), encRaw))
		} else {
			e.str, e.appended = string(buf), nil
		}
		s.strNotify(c, key, "setbit", EventString)
	}
	c.W.Int(int64(prev))
}

// GETBIT key offset: 0 for a missing key or past the end.
func (s *Server) cmdGetbit(c *Ctx, args [][]byte) {
	off, ok := bitOffset(c, args[2])
	if !ok {
		return
	}
	e, ok := strLookupRead(c, args[1])
	switch {
	case !ok:
	case e == nil:
		c.W.Int(0)
	default:
		c.W.Int(int64(bitAt(e.str, off)))
	}
}

// bitRange turns BITCOUNT's and BITPOS' start and end into an inclusive
// range of bits of a string of n bytes, as bitops.c does: negative indexes
// count from the end, then are clamped to 0; end is clamped to the last
// byte (or bit). In byte units the range covers whole bytes. empty reports
// a range with no bits.
func bitRange(n, start, end int64, isBit bool) (first, last int64, empty bool) {
	total := n
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	if end >= total {
		end = total - 1
	}
	if start > end {
		return 0, 0, true
	}
	if isBit {
		return start, end, false
	}
	return start << 3, end<<3 + 7, false
}

// parseBitUnit parses BYTE or BIT (case-insensitive).
func parseBitUnit(arg []byte) (isBit, ok bool) {
	switch {
	case resp.EqualFold(arg, "bit"):
		return true, true
	case resp.EqualFold(arg, "byte"):
		return false, true
	}
	return false, false
}

// BITCOUNT key [start end [BYTE|BIT]]. Redis 7.0 looks the key up before
// parsing the range: a missing key answers 0 whatever the arguments.
func (s *Server) cmdBitcount(c *Ctx, args [][]byte) {
	e, ok := strLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	str := e.str
	n := int64(len(str))
	var first, last int64
	switch len(args) {
	case 2:
		if n == 0 {
			c.W.Int(0)
			return
		}
		first, last = 0, n<<3-1
	case 4, 5:
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
		if start < 0 && end < 0 && start > end {
			c.W.Int(0)
			return
		}
		isBit := false
		if len(args) == 5 {
			if isBit, ok = parseBitUnit(args[4]); !ok {
				c.W.Error(ErrSyntax)
				return
			}
		}
		var empty bool
		if first, last, empty = bitRange(n, start, end, isBit); empty {
			c.W.Int(0)
			return
		}
	default:
		c.W.Error(ErrSyntax)
		return
	}
	c.W.Int(bitCount(str, first, last))
}

// bitCount counts the set bits in the inclusive bit range [first, last].
func bitCount(str string, first, last int64) int64 {
	fb, lb := first>>3, last>>3
	var count int64
	for i := fb; i <= lb; i++ {
		b := str[i]
		if i == fb {
			b &= 0xff >> uint(first&7)
		}
		if i == lb {
			b &= 0xff << uint(7-last&7)
		}
		count += int64(bits.OnesCount8(b))
	}
	return count
}

// BITPOS key bit [start [end [BYTE|BIT]]]. A missing key is an endless run
// of zeros (0 for bit 0, -1 for bit 1), whatever the other arguments. With
// no end given, looking for a 0 in a string of ones answers the first bit
// past the string; with an end given it answers -1.
func (s *Server) cmdBitpos(c *Ctx, args [][]byte) {
	bit, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if bit != 0 && bit != 1 {
		c.W.Error(errBitPosArg)
		return
	}
	e, ok := strLookupRead(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(-bit)
		return
	}
	str := e.str
	n := int64(len(str))
	var first, last int64
	endGiven := false
	switch len(args) {
	case 3:
		if n == 0 {
			c.W.Int(-1)
			return
		}
		first, last = 0, n<<3-1
	case 4, 5, 6:
		start, ok := resp.ParseInt(args[3])
		if !ok {
			c.W.Error(ErrNotInteger)
			return
		}
		isBit := false
		if len(args) == 6 {
			if isBit, ok = parseBitUnit(args[5]); !ok {
				c.W.Error(ErrSyntax)
				return
			}
		}
		end := n - 1
		if len(args) >= 5 {
			if end, ok = resp.ParseInt(args[4]); !ok {
				c.W.Error(ErrNotInteger)
				return
			}
			endGiven = true
		}
		var empty bool
		if first, last, empty = bitRange(n, start, end, isBit); empty {
			c.W.Int(-1)
			return
		}
	default:
		c.W.Error(ErrSyntax)
		return
	}
	for i := first; i <= last; i++ {
		if int64(bitAt(str, i)) == bit {
			c.W.Int(i)
			return
		}
	}
	if bit == 1 || endGiven {
		c.W.Int(-1)
		return
	}
	c.W.Int(last + 1)
}

// BITOP AND|OR|XOR|NOT destkey key [key ...] stores the result (as long as
// the longest source, missing bytes and keys being zeros) and replies with
// its length. An empty result deletes destkey ("del" if it existed); a
// stored one replaces any value, dropping its TTL, raw-encoded ("set").
func (s *Server) cmdBitop(c *Ctx, args [][]byte) {
	op := args[1]
	var fn func(a, b byte) byte
	switch {
	case resp.EqualFold(op, "and"):
		fn = func(a, b byte) byte { return a & b }
	case resp.EqualFold(op, "or"):
		fn = func(a, b byte) byte { return a | b }
	case resp.EqualFold(op, "xor"):
		fn = func(a, b byte) byte { return a ^ b }
	case resp.EqualFold(op, "not"):
		if len(args) != 4 {
			c.W.Error(errBitOpNotOne)
			return
		}
	default:
		c.W.Error(ErrSyntax)
		return
	}
	srcs := make([]string, 0, len(args)-3)
	maxLen := 0
	db := c.DB()
	for _, key := range args[3:] {
		e := db.lookupRead(c, key)
		if e == nil {
			srcs = append(srcs, "")
			continue
		}
		if e.typ != TypeString {
			c.W.Error(ErrWrongType)
			return
		}
		srcs = append(srcs, e.str)
		maxLen = max(maxLen, len(e.str))
	}
	dest := string(args[2])
	if maxLen == 0 {
		if db.remove(dest) {
			s.strNotify(c, dest, "del", EventGeneric)
		}
		c.W.Int(0)
		return
	}
	res := make([]byte, maxLen)
	if fn == nil { // NOT
		for i := range res {
			res[i] = ^srcs[0][i]
		}
	} else {
		for i := range res {
			var acc byte
			for j, src := range srcs {
				var b byte
				if i < len(src) {
					b = src[i]
				}
				if j == 0 {
					acc = b
				} else {
					acc = fn(acc, b)
				}
			}
			res[i] = acc
		}
	}
	db.lookupWrite(c, args[2]) // expires destkey first, as setKey does
	db.replace(dest, newStringEntry(string(res), encRaw), false)
	s.strNotify(c, dest, "set", EventString)
	c.W.Int(int64(maxLen))
}
