package server

import (
	"math"
	"math/bits"
	"strings"

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
		{"bitfield", s.cmdBitfield, 0},
		{"bitfield_ro", s.cmdBitfieldRO, 0},
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
	// Redis 8.2's operations (go-redis v9 has BitOpDiff…BitOpOne): DIFF
	// is X & ^(Y1|Y2…), DIFF1 ^X & (Y1|Y2…), ANDOR X & (Y1|Y2…), ONE the
	// bits set in exactly one source.
	case resp.EqualFold(op, "diff"), resp.EqualFold(op, "diff1"), resp.EqualFold(op, "andor"):
		if len(args) < 5 {
			c.W.Error("ERR BITOP " + strings.ToUpper(string(op)) + " must be called with at least two source keys.")
			return
		}
	case resp.EqualFold(op, "one"):
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
	byteAt := func(src string, i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}
	switch {
	case resp.EqualFold(op, "not"):
		for i := range res {
			res[i] = ^srcs[0][i]
		}
	case resp.EqualFold(op, "one"):
		for i := range res {
			var once, more byte
			for _, src := range srcs {
				b := byteAt(src, i)
				more |= once & b
				once ^= b
			}
			res[i] = once &^ more
		}
	case fn == nil: // DIFF, DIFF1, ANDOR: the first source against the others' OR
		for i := range res {
			var or byte
			for _, src := range srcs[1:] {
				or |= byteAt(src, i)
			}
			x := byteAt(srcs[0], i)
			switch {
			case resp.EqualFold(op, "diff"):
				res[i] = x &^ or
			case resp.EqualFold(op, "diff1"):
				res[i] = ^x & or
			default:
				res[i] = x & or
			}
		}
	default:
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

// BITFIELD overflow behaviours.
const (
	bfWrap = iota
	bfSat
	bfFail
)

// bitfieldOp is one GET, SET or INCRBY of BITFIELD.
type bitfieldOp struct {
	op     byte // 'g', 's', 'i'
	offset int64
	value  int64
	bits   uint
	signed bool
	ow     int
}

const errBitfieldType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."

// bitfieldType parses i1..i64 or u1..u63 (lower case only, as Redis).
func bitfieldType(c *Ctx, arg []byte) (signed bool, bits uint, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		c.W.Error(errBitfieldType)
		return false, 0, false
	}
	signed = arg[0] == 'i'
	n, ok := resp.ParseInt(arg[1:])
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		c.W.Error(errBitfieldType)
		return false, 0, false
	}
	return signed, uint(n), true
}

// bitfieldOffset is getBitOffsetFromArgument with the "#N" form (N times
// the type's width).
func bitfieldOffset(c *Ctx, arg []byte, bits uint) (int64, bool) {
	hash := len(arg) > 0 && arg[0] == '#'
	if hash {
		arg = arg[1:]
	}
	off, ok := resp.ParseInt(arg)
	if ok && hash {
		off *= int64(bits)
	}
	if !ok || off < 0 || off>>3 >= c.srv.params.protoMaxBulkLen.Int() {
		c.W.Error(errBitOffset)
		return 0, false
	}
	return off, true
}

func (s *Server) cmdBitfield(c *Ctx, args [][]byte) { s.bitfieldGeneric(c, args, false) }

func (s *Server) cmdBitfieldRO(c *Ctx, args [][]byte) { s.bitfieldGeneric(c, args, true) }

// bitfieldGeneric is Redis 7.0's bitfieldGeneric: every operation is parsed
// before the key is looked at; a write creates the key and grows it to the
// farthest bit written; the key is modified ("setbit") only if a value
// changed or the string was created or grew.
func (s *Server) bitfieldGeneric(c *Ctx, args [][]byte, ro bool) {
	var ops []bitfieldOp
	ow := bfWrap
	readonly := true
	var highest int64
	for j := 2; j < len(args); j++ {
		rem := len(args) - j - 1
		sub := args[j]
		var op byte
		switch {
		case resp.EqualFold(sub, "get") && rem >= 2:
			op = 'g'
		case resp.EqualFold(sub, "set") && rem >= 3:
			op = 's'
		case resp.EqualFold(sub, "incrby") && rem >= 3:
			op = 'i'
		case resp.EqualFold(sub, "overflow") && rem >= 1:
			j++
			switch {
			case resp.EqualFold(args[j], "wrap"):
				ow = bfWrap
			case resp.EqualFold(args[j], "sat"):
				ow = bfSat
			case resp.EqualFold(args[j], "fail"):
				ow = bfFail
			default:
				c.W.Error("ERR Invalid OVERFLOW type specified")
				return
			}
			continue
		default:
			c.W.Error(ErrSyntax)
			return
		}
		signed, bits, ok := bitfieldType(c, args[j+1])
		if !ok {
			return
		}
		off, ok := bitfieldOffset(c, args[j+2], bits)
		if !ok {
			return
		}
		var v int64
		if op != 'g' {
			readonly = false
			highest = max(highest, off+int64(bits)-1)
			if v, ok = resp.ParseInt(args[j+3]); !ok {
				c.W.Error(ErrNotInteger)
				return
			}
		}
		ops = append(ops, bitfieldOp{op: op, offset: off, value: v, bits: bits, signed: signed, ow: ow})
		if op == 'g' {
			j += 2
		} else {
			j += 3
		}
	}
	key := string(args[1])
	var str string
	var e *Entry
	dirty := false
	if readonly {
		var ok bool
		if e, ok = strLookupRead(c, args[1]); !ok {
			return
		}
		if e != nil {
			str = e.str
		}
	} else {
		if ro {
			c.W.Error("ERR BITFIELD_RO only supports the GET subcommand")
			return
		}
		var ok bool
		if e, ok = strLookupWrite(c, args[1]); !ok {
			return
		}
		size := highest>>3 + 1
		if e == nil {
			e = newStringEntry(string(make([]byte, size)), encRaw)
			c.DB().add(key, e)
			dirty = true
		} else {
			e.enc = encRaw
			if int64(len(e.str)) < size {
				buf := make([]byte, size)
				copy(buf, e.str)
				e.str, e.appended = string(buf), nil
				dirty = true
			}
		}
		str = e.str
	}
	var buf []byte
	if !readonly {
		buf = []byte(str)
	}
	changes := 0
	c.W.Array(len(ops))
	for _, op := range ops {
		if op.op == 'g' {
			var u uint64
			if readonly {
				u = bitfieldGet(str, op.offset, op.bits)
			} else {
				u = bitfieldGet(buf, op.offset, op.bits)
			}
			if op.signed {
				c.W.Int(signExtend(u, op.bits))
			} else {
				c.W.Int(int64(u))
			}
			continue
		}
		oldU := bitfieldGet(buf, op.offset, op.bits)
		var newU uint64
		var reply int64
		var overflow bool
		if op.signed {
			old := signExtend(oldU, op.bits)
			var nv, wrapped int64
			if op.op == 'i' {
				overflow, wrapped = signedOverflow(old, op.value, op.bits, op.ow)
				nv = old + op.value
				if overflow {
					nv = wrapped
				}
				reply = nv
			} else {
				nv = op.value
				if overflow, wrapped = signedOverflow(nv, 0, op.bits, op.ow); overflow {
					nv = wrapped
				}
				reply = old
			}
			newU = uint64(nv)
		} else {
			var wrapped uint64
			if op.op == 'i' {
				overflow, wrapped = unsignedOverflow(oldU, op.value, op.bits, op.ow)
				newU = oldU + uint64(op.value)
				if overflow {
					newU = wrapped
				}
				reply = int64(newU)
			} else {
				newU = uint64(op.value)
				if overflow, wrapped = unsignedOverflow(newU, 0, op.bits, op.ow); overflow {
					newU = wrapped
				}
				reply = int64(oldU)
			}
		}
		if overflow && op.ow == bfFail {
			c.W.Null()
			continue
		}
		c.W.Int(reply)
		bitfieldSet(buf, op.offset, op.bits, newU)
		if dirty || bitfieldGet(buf, op.offset, op.bits) != oldU {
			changes++
		}
	}
	if !readonly {
		e.str, e.appended = string(buf), nil
	}
	if changes > 0 {
		s.strNotify(c, key, "setbit", EventString)
	}
}

// bitfieldGet reads an unsigned field of bits bits at offset, most
// significant bit first; bits past the end are 0.
func bitfieldGet[S string | []byte](str S, off int64, bits uint) uint64 {
	var v uint64
	for i := int64(0); i < int64(bits); i++ {
		p := off + i
		if p>>3 < int64(len(str)) {
			v = v<<1 | uint64(str[p>>3]>>(7-uint(p&7))&1)
		} else {
			v <<= 1
		}
	}
	return v
}

// bitfieldSet writes the low bits bits of v at offset (buf is long enough).
func bitfieldSet(buf []byte, off int64, bits uint, v uint64) {
	for i := int64(bits) - 1; i >= 0; i-- {
		p := off + i
		mask := byte(1) << (7 - uint(p&7))
		if v&1 != 0 {
			buf[p>>3] |= mask
		} else {
			buf[p>>3] &^= mask
		}
		v >>= 1
	}
}

func signExtend(u uint64, bits uint) int64 {
	if bits < 64 && u&(1<<(bits-1)) != 0 {
		u |= ^uint64(0) << bits
	}
	return int64(u)
}

// signedOverflow is Redis' checkSignedBitfieldOverflow.
func signedOverflow(value, incr int64, bits uint, ow int) (bool, int64) {
	maxv := int64(math.MaxInt64)
	if bits != 64 {
		maxv = int64(1)<<(bits-1) - 1
	}
	minv := -maxv - 1
	maxincr, minincr := maxv-value, minv-value
	wrap := func() int64 {
		c := uint64(value) + uint64(incr)
		if bits < 64 {
			mask := ^uint64(0) << bits
			if c&(uint64(1)<<(bits-1)) != 0 {
				c |= mask
			} else {
				c &^= mask
			}
		}
		return int64(c)
	}
	if value > maxv || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr) {
		if ow == bfWrap {
			return true, wrap()
		}
		return true, maxv
	}
	if value < minv || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr) {
		if ow == bfWrap {
			return true, wrap()
		}
		return true, minv
	}
	return false, 0
}

// unsignedOverflow is Redis' checkUnsignedBitfieldOverflow.
func unsignedOverflow(value uint64, incr int64, bits uint, ow int) (bool, uint64) {
	maxv := uint64(1)<<bits - 1
	maxincr, minincr := int64(maxv-value), int64(-value)
	wrap := func() uint64 { return (value + uint64(incr)) &^ (^uint64(0) << bits) }
	if value > maxv || (incr > 0 && incr > maxincr) {
		if ow == bfWrap {
			return true, wrap()
		}
		return true, maxv
	}
	if incr < 0 && incr < minincr {
		if ow == bfWrap {
			return true, wrap()
		}
		return true, 0
	}
	return false, 0
}
