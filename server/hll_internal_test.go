package server

import (
	"math"
	"testing"
)

// hllSigma and hllTau against the series that define them (Ertl, "New
// cardinality estimation algorithms for HyperLogLog sketches", eq. 8 and
// 9), summed term by term here:
//
//	sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1)
//	tau(x)   = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3
func TestHLLSigmaTau(t *testing.T) {
	for _, x := range []float64{0.001, 0.1, 0.5, 0.9, 0.999} {
		s := x
		for k := 1; k < 60; k++ {
			s += math.Pow(x, math.Pow(2, float64(k))) * math.Pow(2, float64(k-1))
		}
		if got := hllSigma(x); math.Abs(got-s) > 1e-9*s {
			t.Errorf("sigma(%v) = %v, want %v", x, got, s)
		}
		u := 1 - x
		for k := 1; k < 60; k++ {
			d := 1 - math.Pow(x, math.Pow(2, -float64(k)))
			u -= d * d * math.Pow(2, -float64(k))
		}
		if got := hllTau(x); math.Abs(got-u/3) > 1e-12 {
			t.Errorf("tau(%v) = %v, want %v", x, got, u/3)
		}
	}
	if !math.IsInf(hllSigma(1), 1) || hllTau(0) != 0 || hllTau(1) != 0 {
		t.Error("sigma(1) must be +Inf, tau(0) and tau(1) 0")
	}
}

// Dense registers are 6 bits packed least significant bit first: register
// 0 is the low 6 bits of byte 0, register 1 the top 2 bits of byte 0 and
// the low 4 of byte 1 (hyperloglog.c's layout comment).
func TestHLLDenseLayout(t *testing.T) {
	regs := make([]byte, hllDenseSize-hllHdrSize)
	denseSet(regs, 0, 0x3f)
	denseSet(regs, 1, 0x21) // 100001: bits 6-7 of byte 0 = 01, low 4 of byte 1 = 1000
	if regs[0] != 0x7f || regs[1] != 0x08 {
		t.Fatalf("bytes %#x %#x, want 0x7f 0x08", regs[0], regs[1])
	}
	denseSet(regs, hllRegisters-1, 51)
	if got := denseGet(regs, hllRegisters-1); got != 51 {
		t.Fatalf("last register %d, want 51", got)
	}
	// an empty HLL estimates 0; one register at 1 estimates 1
	var histo [64]int
	histo[0] = hllRegisters
	if e := hllEstimate(&histo); e != 0 {
		t.Errorf("empty: %d", e)
	}
	histo[0], histo[1] = hllRegisters-1, 1
	if e := hllEstimate(&histo); e != 1 {
		t.Errorf("one register: %d", e)
	}
}

// Each sparse opcode form, as hyperloglog.c's comment describes them, and
// the merge of adjacent VALs of one value (up to a run of 4).
func TestHLLSparseSet(t *testing.T) {
	h := newHLL()
	if string(h[hllHdrSize:]) != "\x7f\xff" { // XZERO:16384
		t.Fatalf("empty: %x", h[hllHdrSize:])
	}
	h, r := hllSet(h, 1000, 3, 3000)
	// XZERO:1000 VAL:3,1 XZERO:15383
	want := []byte{0x40 | 999>>8, 999 & 0xff, 0x80 | 2<<2, 0x40 | 15382>>8, 15382 & 0xff}
	if r != 1 || string(h[hllHdrSize:]) != string(want) {
		t.Fatalf("after set: %d %x, want %x", r, h[hllHdrSize:], want)
	}
	if h, r = hllSet(h, 1000, 2, 3000); r != 0 {
		t.Fatalf("lower value changed the register")
	}
	h, _ = hllSet(h, 1001, 3, 3000)
	// XZERO:1000 VAL:3,2 XZERO:15382 (the two VAL:3,1 merged)
	want = []byte{0x40 | 999>>8, 999 & 0xff, 0x80 | 2<<2 | 1, 0x40 | 15381>>8, 15381 & 0xff}
	if string(h[hllHdrSize:]) != string(want) {
		t.Fatalf("after merge: %x, want %x", h[hllHdrSize:], want)
	}
	h, _ = hllSet(h, 999, 3, 3000)
	want = []byte{0x40 | 998>>8, 998 & 0xff, 0x80 | 2<<2 | 2, 0x40 | 15381>>8, 15381 & 0xff}
	if string(h[hllHdrSize:]) != string(want) {
		t.Fatalf("after merge on the left: %x, want %x", h[hllHdrSize:], want)
	}
	if h, r = hllSet(h, 5, 33, 3000); r != 1 || h[4] != hllDense || len(h) != hllDenseSize {
		t.Fatalf("a value over 32 must promote to dense")
	}
	for i, v := range map[int]uint8{5: 33, 999: 3, 1000: 3, 1001: 3, 998: 0, 1002: 0} {
		if got := denseGet(h[hllHdrSize:], i); got != v {
			t.Errorf("register %d = %d, want %d", i, got, v)
		}
	}
}

// FuzzHLLCorrupt feeds any sparse or dense body behind a valid header to
// every routine a command runs on a stored HLL: none may panic, and a
// sparse one the histogram accepts converts to dense.
func FuzzHLLCorrupt(f *testing.F) {
	f.Add(false, []byte("\x7f\xff"), uint16(3), uint8(5))
	f.Add(false, []byte("\x7f"), uint16(16383), uint8(1))
	f.Add(false, []byte("\x4f\xcf\x84\x00\x88\x70\x2c"), uint16(4049), uint8(3))
	f.Add(true, []byte{0xff}, uint16(16383), uint8(63))
	f.Fuzz(func(t *testing.T, dense bool, body []byte, idx uint16, count uint8) {
		h := []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80")
		if dense {
			h[4] = hllDense
			d := make([]byte, hllDenseSize-hllHdrSize)
			copy(d, body)
			body = d
		}
		h = append(h, body...)
		if !validHLL(string(h)) {
			t.Fatalf("not a valid HLL header")
		}
		var max [hllRegisters]uint8
		hllMergeInto(&max, h)
		_, histoOK := hllHisto(h)
		if _, ok := sparseToDense(h); histoOK && !ok {
			t.Fatalf("histogram accepts %x but the conversion fails", body)
		}
		count = count%64 + 1
		h2, _ := hllSet(append([]byte(nil), h...), int(idx)%hllRegisters, min(count, 51), 3000)
		hllHisto(h2)
		hllMergeInto(&max, h2)
	})
}
