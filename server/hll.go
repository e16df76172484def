package server

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// A HyperLogLog is a string value in Redis' own representation
// (hyperloglog.c), so that GET, DUMP-less copies and PFCOUNT agree with a
// redis-server byte for byte:
//
//	"HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality
//	(8 bytes little endian; the top bit of the last byte set = stale) | registers
//
// 16384 registers (P = 14) of 6 bits. Dense: the registers packed least
// significant bit first, 12288 bytes. Sparse: run-length opcodes
//
//	00xxxxxx            ZERO: xxxxxx+1 zero registers (1..64)
//	01xxxxxx yyyyyyyy   XZERO: 14 bits + 1 zero registers (1..16384)
//	1vvvvvxx            VAL: xx+1 registers (1..4) of value vvvvv+1 (1..32)
//
// promoted to dense when a register exceeds 32 or the string would grow past
// hll-sparse-max-bytes. Elements are hashed with MurmurHash64A (seed
// 0xadc83b19); the estimate is Ertl's improved estimator (Redis 5.0 on, the
// one 7.0 and 8.2 use).
const (
	hllP          = 14
	hllQ          = 64 - hllP
	hllRegisters  = 1 << hllP
	hllPMask      = hllRegisters - 1
	hllBits       = 6
	hllRegMax     = 1<<hllBits - 1
	hllHdrSize    = 16
	hllDenseSize  = hllHdrSize + (hllRegisters*hllBits+7)/8
	hllDense      = 0
	hllSparse     = 1
	hllMaxEnc     = 1
	hllAlphaInf   = 0.721347520444481703680 // 0.5/ln(2)
	hllSeed       = 0xadc83b19
	hllValMax     = 32
	hllValMaxLen  = 4
	hllZeroMaxLen = 64
	hllXZeroMax   = 16384
)

// Error replies only the HyperLogLog commands give.
const (
	errHLLWrongType = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errHLLInvalid   = "INVALIDOBJ Corrupted HLL object detected"
)

// murmurHash64A is Austin Appleby's MurmurHash64A as Redis uses it (blocks
// read little endian on every platform).
func murmurHash64A(key []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ (uint64(len(key)) * m)
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * uint(i))
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// hllPatLen is the register an element goes to and the run length of zeros
// (plus one) of the remaining hash bits, 1..hllQ+1.
func hllPatLen(ele []byte) (int, uint8) {
	h := murmurHash64A(ele, hllSeed)
	idx := int(h & hllPMask)
	h >>= hllP
	h |= 1 << hllQ
	return idx, uint8(bits.TrailingZeros64(h) + 1)
}

// validHLL is isHLLObjectOrReply's check of a string.
func validHLL(s string) bool {
	if len(s) < hllHdrSize || s[:4] != "HYLL" || s[4] > hllMaxEnc {
		return false
	}
	return s[4] != hllDense || len(s) == hllDenseSize
}

func hllCacheValid(h []byte) bool { return h[15]&0x80 == 0 }
func hllInvalidate(h []byte)      { h[15] |= 0x80 }

// denseGet reads register i of the packed registers; the byte after the
// last one reads as 0 (Redis reads the string's terminator there).
func denseGet(regs []byte, i int) uint8 {
	b := i * hllBits / 8
	fb := uint(i*hllBits) & 7
	b0 := uint(regs[b])
	var b1 uint
	if b+1 < len(regs) {
		b1 = uint(regs[b+1])
	}
	return uint8((b0>>fb | b1<<(8-fb)) & hllRegMax)
}

func denseSet(regs []byte, i int, v uint8) {
	b := i * hllBits / 8
	fb := uint(i*hllBits) & 7
	regs[b] &^= byte(hllRegMax << fb)
	regs[b] |= byte(uint(v) << fb)
	if b+1 < len(regs) {
		regs[b+1] &^= byte(hllRegMax >> (8 - fb))
		regs[b+1] |= byte(uint(v) >> (8 - fb))
	}
}

// newHLL is createHLLObject: an empty sparse HLL (one XZERO of all the
// registers), cached cardinality 0.
func newHLL() []byte {
	h := make([]byte, hllHdrSize, hllHdrSize+2)
	copy(h, "HYLL")
	h[4] = hllSparse
	l := hllRegisters - 1
	return append(h, byte(l>>8)|0x40, byte(l))
}

// sparse opcode helpers; at reads a missing byte as 0 (the terminator).
func at(s []byte, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func spIsZero(b byte) bool  { return b&0xc0 == 0 }
func spIsXZero(b byte) bool { return b&0xc0 == 0x40 }
func spZeroLen(b byte) int  { return int(b&0x3f) + 1 }
func spValValue(b byte) int { return int(b>>2&0x1f) + 1 }
func spValLen(b byte) int   { return int(b&3) + 1 }
func spVal(v, n int) byte   { return byte(0x80 | (v-1)<<2 | (n - 1)) }
func spXZeroLen(s []byte, p int) int {
	return (int(s[p]&0x3f)<<8 | int(at(s, p+1))) + 1
}

// appendZeros appends a ZERO or, past 64, an XZERO opcode of n registers.
func appendZeros(seq []byte, n int) []byte {
	if n > hllZeroMaxLen {
		return append(seq, byte((n-1)>>8)|0x40, byte(n-1))
	}
	return append(seq, byte(n-1))
}

// sparseToDense is hllSparseToDense: the dense form of a sparse HLL (the
// header, cached cardinality included, carried over), false if the opcodes
// do not describe exactly 16384 registers.
func sparseToDense(h []byte) ([]byte, bool) {
	if h[4] == hllDense {
		return h, true
	}
	d := make([]byte, hllDenseSize)
	copy(d, h[:hllHdrSize])
	d[4] = hllDense
	regs := d[hllHdrSize:]
	idx := 0
	for p := hllHdrSize; p < len(h); {
		b := h[p]
		switch {
		case spIsZero(b):
			idx += spZeroLen(b)
			p++
		case spIsXZero(b):
			idx += spXZeroLen(h, p)
			p += 2
		default:
			n, v := spValLen(b), spValValue(b)
			if idx+n > hllRegisters {
				return nil, false
			}
			for ; n > 0; n-- {
				denseSet(regs, idx, uint8(v))
				idx++
			}
			p++
		}
		if idx > hllRegisters {
			break
		}
	}
	if idx != hllRegisters {
		return nil, false
	}
	return d, true
}

// hllSet is hllDenseSet / hllSparseSet: raise register index to count if
// lower. It returns the (possibly reallocated or promoted) HLL and 1 if a
// register changed, 0 if not, -1 for a corrupt sparse HLL.
func hllSet(h []byte, index int, count uint8, maxSparse int64) ([]byte, int) {
	if h[4] == hllDense {
		regs := h[hllHdrSize:]
		if count > denseGet(regs, index) {
			denseSet(regs, index, count)
			return h, 1
		}
		return h, 0
	}
	if count > hllValMax {
		return hllPromote(h, index, count)
	}
	// Step 1: find the opcode covering index.
	end := len(h)
	p, prev := hllHdrSize, -1
	first, span := 0, 0
	for p < end {
		oplen := 1
		switch b := h[p]; {
		case spIsZero(b):
			span = spZeroLen(b)
		case !spIsXZero(b):
			span = spValLen(b)
		default:
			span = spXZeroLen(h, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return h, -1
	}
	b := h[p]
	isZero, isXZero := spIsZero(b), spIsXZero(b)
	isVal := !isZero && !isXZero
	var runlen int
	switch {
	case isZero:
		runlen = spZeroLen(b)
	case isXZero:
		runlen = spXZeroLen(h, p)
	default:
		runlen = spValLen(b)
	}
	// Step 2: the cases that update the opcode in place.
	if isVal {
		if spValValue(b) >= int(count) {
			return h, 0
		}
		if runlen == 1 {
			h[p] = spVal(int(count), 1)
			return hllSparseMerge(h, prev), 1
		}
	}
	if isZero && runlen == 1 {
		h[p] = spVal(int(count), 1)
		return hllSparseMerge(h, prev), 1
	}
	// Otherwise split the run into up to three opcodes.
	last := first + span - 1
	seq := make([]byte, 0, 5)
	if isVal {
		cur := spValValue(b)
		if index != first {
			seq = append(seq, spVal(cur, index-first))
		}
		seq = append(seq, spVal(int(count), 1))
		if index != last {
			seq = append(seq, spVal(cur, last-index))
		}
	} else {
		if index != first {
			seq = appendZeros(seq, index-first)
		}
		seq = append(seq, spVal(int(count), 1))
		if index != last {
			seq = appendZeros(seq, last-index)
		}
	}
	// Step 3: substitute the sequence for the opcode, or promote when the
	// string would grow past hll-sparse-max-bytes.
	oldlen := 1
	if isXZero {
		oldlen = 2
	}
	delta := len(seq) - oldlen
	if delta > 0 && int64(len(h)+delta) > maxSparse {
		return hllPromote(h, index, count)
	}
	out := make([]byte, 0, len(h)+delta+1)
	out = append(out, h[:p]...)
	out = append(out, seq...)
	out = append(out, h[min(p+oldlen, end):]...)
	out = out[:min(len(out), len(h)+delta)] // a truncated XZERO (corrupt) stays short, as in Redis
	return hllSparseMerge(out, prev), 1
}

// hllSparseMerge is Step 4 of hllSparseSet: merge adjacent VAL opcodes of
// the same value (up to 5 opcodes scanned from the one before the change)
// and invalidate the cached cardinality.
func hllSparseMerge(h []byte, prev int) []byte {
	p := prev
	if p < 0 {
		p = hllHdrSize
	}
	end := len(h)
	for scan := 5; p < end && scan > 0; scan-- {
		b := h[p]
		if spIsXZero(b) {
			p += 2
			continue
		}
		if spIsZero(b) {
			p++
			continue
		}
		if p+1 < end && h[p+1]&0x80 != 0 {
			v1, v2 := spValValue(b), spValValue(h[p+1])
			if n := spValLen(b) + spValLen(h[p+1]); v1 == v2 && n <= hllValMaxLen {
				h[p+1] = spVal(v1, n)
				copy(h[p:], h[p+1:])
				h = h[:end-1]
				end--
				continue
			}
		}
		p++
	}
	hllInvalidate(h)
	return h
}

func hllPromote(h []byte, index int, count uint8) ([]byte, int) {
	d, ok := sparseToDense(h)
	if !ok {
		return h, -1
	}
	denseSet(d[hllHdrSize:], index, count)
	return d, 1
}

// hllAdd adds an element.
func hllAdd(h []byte, ele []byte, maxSparse int64) ([]byte, int) {
	idx, count := hllPatLen(ele)
	return hllSet(h, idx, count, maxSparse)
}

// hllHisto counts the registers of each value; false for a sparse HLL
// whose opcodes do not cover exactly 16384 registers.
func hllHisto(h []byte) (histo [64]int, ok bool) {
	if h[4] == hllDense {
		regs := h[hllHdrSize:]
		for i := 0; i < hllRegisters; i++ {
			histo[denseGet(regs, i)]++
		}
		return histo, true
	}
	idx := 0
	for p := hllHdrSize; p < len(h); {
		b := h[p]
		switch {
		case spIsZero(b):
			n := spZeroLen(b)
			idx += n
			histo[0] += n
			p++
		case spIsXZero(b):
			n := spXZeroLen(h, p)
			idx += n
			histo[0] += n
			p += 2
		default:
			n := spValLen(b)
			idx += n
			histo[spValValue(b)] += n
			p++
		}
	}
	return histo, idx == hllRegisters
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		zp := z
		z += x * y
		y += y
		if zp == z {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zp := z
		y *= 0.5
		d := 1 - x
		z -= d * d * y
		if zp == z {
			return z / 3
		}
	}
}

// hllEstimate is hllCount's estimate from a register histogram (Ertl,
// "New cardinality estimation algorithms for HyperLogLog sketches").
func hllEstimate(histo *[64]int) uint64 {
	m := float64(hllRegisters)
	z := m * hllTau((m-float64(histo[hllQ+1]))/m)
	for j := hllQ; j >= 1; j-- {
		z += float64(histo[j])
		z *= 0.5
	}
	z += m * hllSigma(float64(histo[0])/m)
	e := math.Round(hllAlphaInf * m * m / z)
	if !(e < 1<<63) {
		// Redis' llroundl gives LLONG_MIN out of range, which PFCOUNT
		// prints as -9223372036854775808.
		return 1 << 63
	}
	return uint64(e)
}

// hllMergeInto is hllMerge: max[i] = max(max[i], register i); false for a
// corrupt sparse HLL.
func hllMergeInto(max *[hllRegisters]uint8, h []byte) bool {
	if h[4] == hllDense {
		regs := h[hllHdrSize:]
		for i := range max {
			if v := denseGet(regs, i); v > max[i] {
				max[i] = v
			}
		}
		return true
	}
	i := 0
	for p := hllHdrSize; p < len(h); {
		b := h[p]
		switch {
		case spIsZero(b):
			i += spZeroLen(b)
			p++
		case spIsXZero(b):
			i += spXZeroLen(h, p)
			p += 2
		default:
			n, v := spValLen(b), uint8(spValValue(b))
			if i+n > hllRegisters {
				return false
			}
			for ; n > 0; n-- {
				if v > max[i] {
					max[i] = v
				}
				i++
			}
			p++
		}
		if i > hllRegisters {
			return false
		}
	}
	return i == hllRegisters
}
