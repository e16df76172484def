package vecsim

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"testing"
)

// Blob builders: little-endian arrays, as documents hold them.

func f32Blob(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func f64Blob(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func u16Blob(v ...uint16) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return b
}

func flatOf(t ElemType, m Metric, dim, blockSize int) *flatIndex {
	return newFlat(&Params{Algo: Flat, Type: t, Dim: dim, Metric: m, BlockSize: blockSize})
}

func sameResults(t *testing.T, what string, got, want []Result) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		g, w := got[i], want[i]
		ok = g.Label == w.Label && (g.Dist == w.Dist || math.IsNaN(g.Dist) && math.IsNaN(w.Dist))
	}
	if !ok {
		t.Fatalf("%s:\n got %v\nwant %v", what, got, want)
	}
}

// The corpus of the hand-computed tests, FLOAT32 dim 2, added in this order
// (internal ids 0..4): label 1 (0,0), label 5 (1,0), label 2 (1,0),
// label 3 (0,2), label 4 (3,4). Labels 5 and 2 are copies.
func handCorpus(m Metric, blockSize int) *flatIndex {
	f := flatOf(Float32, m, 2, blockSize)
	f.Add(1, f32Blob(0, 0))
	f.Add(5, f32Blob(1, 0))
	f.Add(2, f32Blob(1, 0))
	f.Add(3, f32Blob(0, 2))
	f.Add(4, f32Blob(3, 4))
	return f
}

func TestFlatL2Hand(t *testing.T) {
	// Query (0,0): squared distances 1:0, 5:1, 2:1, 3:0+4=4, 4:9+16=25.
	for _, bs := range []int{1, 2, 3, 1024} { // one block per vector … one block
		f := handCorpus(L2, bs)
		q := f32Blob(0, 0)
		sameResults(t, "k=5", f.TopK(q, 5, SearchOpts{}, nil),
			[]Result{{1, 0}, {2, 1}, {5, 1}, {3, 4}, {4, 25}})
		// k=2: the heap is full with 1 and 5 (met first) when 2 comes
		// with the same distance 1; it enters only below the worst
		// (VecSim: score < upperBound), so 5 stays.
		sameResults(t, "k=2", f.TopK(q, 2, SearchOpts{}, nil),
			[]Result{{1, 0}, {5, 1}})
		sameResults(t, "k=10", f.TopK(q, 10, SearchOpts{}, nil),
			[]Result{{1, 0}, {2, 1}, {5, 1}, {3, 4}, {4, 25}})
		if got := f.TopK(q, 0, SearchOpts{}, nil); len(got) != 0 {
			t.Fatalf("k=0: %v", got)
		}
		// Range: distance <= radius; ties by label.
		sameResults(t, "range 1", f.Range(q, 1, SearchOpts{}, nil),
			[]Result{{1, 0}, {2, 1}, {5, 1}})
		sameResults(t, "range 0", f.Range(q, 0, SearchOpts{}, nil), []Result{{1, 0}})
		sameResults(t, "range 3.9", f.Range(q, 3.9, SearchOpts{}, nil),
			[]Result{{1, 0}, {2, 1}, {5, 1}})
		// A filter leaves out 1 and 5: the nearest are then 2, 3.
		odd := func(l uint64) bool { return l != 1 && l != 5 }
		sameResults(t, "filtered k=2", f.TopK(q, 2, SearchOpts{}, odd),
			[]Result{{2, 1}, {3, 4}})
		sameResults(t, "filtered range 4", f.Range(q, 4, SearchOpts{}, odd),
			[]Result{{2, 1}, {3, 4}})
		// Query (3,3): 1:18, 5:4+9=13, 2:13, 3:9+1=10, 4:0+1=1. With
		// k=3 the heap holds 1:18, 5:13, 2:13; 3:10 evicts (18,1); 4:1
		// evicts the top, the greater pair of the tie: (13,5), label 5
		// > 2. So at a tie the smaller label stays once both are in.
		sameResults(t, "query (3,3)", f.TopK(f32Blob(3, 3), 3, SearchOpts{}, nil),
			[]Result{{4, 1}, {3, 10}, {2, 13}})
		if d, ok := f.Distance(3, f32Blob(3, 3)); !ok || d != 10 {
			t.Fatalf("Distance(3) = %v %v, want 10", d, ok)
		}
		if _, ok := f.Distance(9, q); ok {
			t.Fatal("Distance of an absent label")
		}
	}
}

func TestFlatRangeRadiusInFloat32(t *testing.T) {
	// VecSim compares a FLOAT32 distance with DistType(radius): the
	// radius rounded to float32 first. (0,0) to (0.1,0): 0.1f² rounds to
	// 0x3c23d70b = 0.010000000707805157. The radius 0.0100000006 is below
	// it as a double, but its nearest float32 is 0x3c23d70b itself
	// (0x3c23d70a = 0.009999999776482582 is farther), so the vector is in
	// range.
	const radius = 0.0100000006
	f := flatOf(Float32, L2, 2, 0)
	f.Add(7, f32Blob(0.1, 0))
	d := float32(0.1) * float32(0.1)
	if math.Float32bits(d) != 0x3c23d70b || float64(d) <= radius || math.Float32bits(float32(radius)) != 0x3c23d70b {
		t.Fatalf("premise: 0.1f² = %#x, float32(radius) = %#x", math.Float32bits(d), math.Float32bits(float32(radius)))
	}
	if got := f.Range(f32Blob(0, 0), radius, SearchOpts{}, nil); len(got) != 1 || got[0].Label != 7 {
		t.Fatalf("range %v = %v, want label 7 (radius compared in float32)", radius, got)
	}
}

func TestFlatIPHand(t *testing.T) {
	// IP = 1 - dot. Query (1,1): 1: 1-0=1, 5: 1-1=0, 2: 0, 3: 1-2=-1,
	// 4: 1-7=-6.
	f := handCorpus(IP, 2)
	q := f32Blob(1, 1)
	sameResults(t, "IP", f.TopK(q, 5, SearchOpts{}, nil),
		[]Result{{4, -6}, {3, -1}, {2, 0}, {5, 0}, {1, 1}})
	sameResults(t, "IP range 0", f.Range(q, 0, SearchOpts{}, nil),
		[]Result{{4, -6}, {3, -1}, {2, 0}, {5, 0}})
}

func TestFlatCosineHand(t *testing.T) {
	// COSINE = 1 - dot of normalized vectors. Query (1,0) normalizes to
	// (1,0). (3,4): sum of squares 25 (double), norm float32(5), so
	// (3/5, 4/5) in float32 = (0.6f, 0.8f); dot with (1,0) = 0.6f =
	// 0.60000002384185791015625, and 1 - 0.6f = 0.39999997615814208984375
	// (exact: 0.6f is in [0.5, 1]). (1,0): 1 - 1 = 0; (0,2) → (0,1): 1.
	// (0,0) has norm 0 and normalizes to NaNs (0/0), as in VecSim: its
	// distance is NaN.
	const d4 = 0.39999997615814208984375
	if float32(1-float32(0.6)) != float32(d4) {
		t.Fatalf("premise: 1 - 0.6f = %v", 1-float32(0.6))
	}
	nan := math.NaN()
	f := handCorpus(Cosine, 2)
	q := f32Blob(1, 0)
	if d, _ := f.Distance(4, q); d != d4 {
		t.Fatalf("Distance(4) = %v, want %v", d, d4)
	}
	if d, _ := f.Distance(1, q); !math.IsNaN(d) {
		t.Fatalf("Distance(zero vector) = %v, want NaN", d)
	}
	// k=4 with the NaN of label 1 (id 0): VecSim's heap is a
	// std::priority_queue of (distance, label) pairs; NaN compares
	// neither below nor above, so std::pair's < falls to the labels.
	// Offers in id order (label:distance) 1:NaN 5:0 2:0 3:1 4:d4; one
	// enters while fewer than 4 are held or when below the top:
	//   (NaN,1)  [(NaN,1)]
	//   (0,5)    sifts above (NaN,1) (label 1 < 5): [(0,5) (NaN,1)]
	//   (0,2)    stays under (0,5) ((0,5) < (0,2) is false):
	//            [(0,5) (NaN,1) (0,2)]
	//   (1,3)    sifts past (NaN,1) (by label) and (0,5):
	//            [(1,3) (0,5) (0,2) (NaN,1)], top 1
	//   (d4,4)   d4 < 1: pushed under (0,5) and sifted past it:
	//            [(1,3) (d4,4) (0,2) (NaN,1) (0,5)]; 5 held > 4: pop.
	//            pop_heap takes the last, (0,5), out, moves the hole at
	//            the top down the greater child ((d4,4) over (0,2)) to
	//            slot 1, then into slot 3 (the only child, (NaN,1)),
	//            and sifts (0,5) up from slot 3 past (NaN,1) (by label):
	//            [(d4,4) (0,5) (0,2) (NaN,1)], top d4.
	// The reply is filled from its end by popping: (d4,4); then (0,5)
	// (the greater of (0,5) and (0,2)), leaving (0,2) above (NaN,1)
	// ((NaN,1) < (0,2) by label); then (0,2); then (NaN,1).
	sameResults(t, "k=4", f.TopK(q, 4, SearchOpts{}, nil),
		[]Result{{1, nan}, {2, 0}, {5, 0}, {4, d4}})
	// A range never holds NaN.
	sameResults(t, "range 1", f.Range(q, 1, SearchOpts{}, nil),
		[]Result{{2, 0}, {5, 0}, {4, d4}, {3, 1}})
	// A zero query: every distance NaN; the first k in id order fill the
	// heap and nothing is below NaN afterwards: labels 1 and 5, the
	// heap [(NaN,5) (NaN,1)] popped from the end.
	sameResults(t, "zero query", f.TopK(f32Blob(0, 0), 2, SearchOpts{}, nil),
		[]Result{{1, nan}, {5, nan}})
	if got := f.Range(f32Blob(0, 0), 2, SearchOpts{}, nil); len(got) != 0 {
		t.Fatalf("range of a zero query: %v", got)
	}
}

// TestHalfTypes: FLOAT16 and BFLOAT16 decode by bit pattern, and under
// COSINE are normalized in float32 then rounded back to 16 bits, as VecSim
// stores them.
func TestHalfTypes(t *testing.T) {
	for _, c := range []struct {
		bits uint16
		want float32
	}{
		{0x3c00, 1}, {0xc000, -2}, {0x3800, 0.5}, {0x4100, 2.5},
		{0x3555, 1365.0 / 4096}, // 0.333251953125
		{0x0001, 1.0 / (1 << 24)},
		{0x7bff, 65504},
		{0x8000, float32(math.Copysign(0, -1))},
	} {
		if got := halfToFloat32(c.bits); got != c.want || math.Signbit(float64(got)) != math.Signbit(float64(c.want)) {
			t.Errorf("half %#04x = %v, want %v", c.bits, got, c.want)
		}
	}
	if got := halfToFloat32(0xfc00); !math.IsInf(float64(got), -1) {
		t.Errorf("half 0xfc00 = %v, want -Inf", got)
	}
	if got := halfToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("half 0x7e00 = %v, want NaN", got)
	}
	// BFLOAT16 is the high half of a float32: 0x3eab → 0x3eab0000 =
	// 2^-2 × (1 + 43/128) = 0.333984375.
	var v [3]float32
	decodeF32(BFloat16, u16Blob(0x3f80, 0xc040, 0x3eab), v[:])
	if v != [3]float32{1, -3, 0.333984375} {
		t.Errorf("bfloat16 decode = %v", v)
	}

	// L2 of FLOAT16 (1,-2) to (0.5, 2.5): 0.25 + 20.25 = 20.5.
	f := flatOf(Float16, L2, 2, 0)
	f.Add(1, u16Blob(0x3c00, 0xc000))
	if d, _ := f.Distance(1, u16Blob(0x3800, 0x4100)); d != 20.5 {
		t.Errorf("FLOAT16 L2 = %v, want 20.5", d)
	}

	// COSINE of (3,4) and (1,0). Normalized (3,4) is (0.6f, 0.8f) =
	// (0x3f19999a, 0x3f4ccccd).
	//  FLOAT16: 0.6f keeps exponent -1 and the top 10 mantissa bits
	//  0x0cc (204) of 0x19999a; the 13 dropped bits 0x199a are above
	//  half: 205, so 0.6 is stored as (1 + 205/1024)/2 = 0.60009765625;
	//  the distance is 1 - 0.60009765625 = 0.39990234375.
	//  BFLOAT16: 0x3f19|999a rounds up (above half) to 0x3f1a =
	//  (1 + 26/128)/2 = 0.6015625; distance 0.3984375.
	// Without the rounding both would be 1 - 0.6f = 0.39999998.
	f16 := flatOf(Float16, Cosine, 2, 0)
	f16.Add(1, u16Blob(0x4200, 0x4400)) // (3, 4)
	if d, _ := f16.Distance(1, u16Blob(0x3c00, 0)); d != 0.39990234375 {
		t.Errorf("FLOAT16 COSINE = %v, want 0.39990234375", d)
	}
	bf := flatOf(BFloat16, Cosine, 2, 0)
	bf.Add(1, u16Blob(0x4040, 0x4080)) // (3, 4)
	if d, _ := bf.Distance(1, u16Blob(0x3f80, 0)); d != 0.3984375 {
		t.Errorf("BFLOAT16 COSINE = %v, want 0.3984375", d)
	}
}

func TestRoundHalf(t *testing.T) {
	for _, c := range []struct {
		f    float32
		want uint16
	}{
		{1, 0x3c00},
		{-2, 0xc000},
		{0.6, 0x38cd}, // see TestHalfTypes: mantissa 205
		{0.8, 0x3a66}, // 0x4ccccd: top 0x266, dropped 0x0ccd below half
		{65504, 0x7bff},
		{65520, 0x7c00}, // half-way above the largest half: rounds up to inf
		{1e6, 0x7c00},
		// 1 + 2^-11 is half-way between 1 and the next half: VecSim's
		// conversion rounds the magnitude up (not to even).
		{1 + 1.0/2048, 0x3c01},
		{-(1 + 1.0/2048), 0xbc01},
		{1.0 / (1 << 24), 0x0001}, // smallest subnormal
		{float32(math.Inf(1)), 0x7c00},
	} {
		if got := roundHalf(c.f); got != c.want {
			t.Errorf("roundHalf(%v) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
	if got := roundHalf(float32(math.NaN())); got&0x7fff != 0x7e00 {
		t.Errorf("roundHalf(NaN) = %#04x", got)
	}
	// bfloat16: to nearest, ties to even.
	for _, c := range []struct {
		bits uint32
		want uint16
	}{
		{0x3f19999a, 0x3f1a},
		{0x3f808000, 0x3f80}, // tie, even stays
		{0x3f818000, 0x3f82}, // tie, odd rounds up to even
		{0x3f807fff, 0x3f80},
	} {
		if got := roundBF16(math.Float32frombits(c.bits)); got != c.want {
			t.Errorf("roundBF16(%#08x) = %#04x, want %#04x", c.bits, got, c.want)
		}
	}
}

// TestIntegerTypes: INT8 and UINT8, whose sums VecSim takes in integers.
func TestIntegerTypes(t *testing.T) {
	// INT8 IP: (-1, -128) · (3, 2) = -3 - 256 = -259; 1 - (-259) = 260.
	i8 := flatOf(Int8, IP, 2, 0)
	i8.Add(1, []byte{0xff, 0x80})
	if d, _ := i8.Distance(1, []byte{3, 2}); d != 260 {
		t.Errorf("INT8 IP = %v, want 260", d)
	}
	// UINT8 L2: (255, 0) to (0, 3): 65025 + 9 = 65034.
	u8 := flatOf(UInt8, L2, 2, 0)
	u8.Add(1, []byte{255, 0})
	if d, _ := u8.Distance(1, []byte{0, 3}); d != 65034 {
		t.Errorf("UINT8 L2 = %v, want 65034", d)
	}
	// INT8 COSINE: (3,4)·(1,0) = 3, norms float(5) and float(1):
	// 1 - 3/5 in float = 1 - 0.6f = 0.39999997615814208984375; a zero
	// vector has norm 0: 0/0, NaN.
	c8 := flatOf(Int8, Cosine, 2, 0)
	c8.Add(1, []byte{3, 4})
	c8.Add(2, []byte{0, 0})
	if d, _ := c8.Distance(1, []byte{1, 0}); d != 0.39999997615814208984375 {
		t.Errorf("INT8 COSINE = %v", d)
	}
	if d, _ := c8.Distance(2, []byte{1, 0}); !math.IsNaN(d) {
		t.Errorf("INT8 COSINE of a zero vector = %v, want NaN", d)
	}
	// Beyond 2^24 a float32 sum rounds: UINT8 L2 of 300 × 255 to
	// 300 × 0 is 300 × 65025 = 19 507 500 (> 2^24 = 16 777 216). VecSim
	// adds in integers and converts once: 19507500 = 4 × 4876875 is a
	// float32. Adding the odd terms 65025 in float32 past 2^24 would
	// round on the way.
	const n = 300
	a, b := make([]byte, n), make([]byte, n)
	for i := range a {
		a[i] = 255
	}
	big := flatOf(UInt8, L2, n, 0)
	big.Add(1, a)
	if d, _ := big.Distance(1, b); d != 19507500 {
		t.Errorf("UINT8 L2 dim 300 = %v, want 19507500", d)
	}
	// FLOAT64 IP: 1 - (0.5·2 + 0.25·4) = -1.
	f64 := flatOf(Float64, IP, 2, 0)
	f64.Add(1, f64Blob(0.5, 0.25))
	if d, _ := f64.Distance(1, f64Blob(2, 4)); d != -1 {
		t.Errorf("FLOAT64 IP = %v, want -1", d)
	}
}

// TestFlatDeleteReAdd: delete moves the last vector into the hole, frees a
// last block left empty, and a deleted label can come back.
func TestFlatDeleteReAdd(t *testing.T) {
	f := flatOf(Float32, L2, 1, 2) // blocks of 2
	for l := uint64(1); l <= 5; l++ {
		f.Add(l, f32Blob(float32(l))) // label l at point l
	}
	if len(f.blocks) != 3 || f.Size() != 5 {
		t.Fatalf("blocks %d size %d", len(f.blocks), f.Size())
	}
	mem5 := f.MemoryBytes()
	// Delete 2 (id 1): 5 (the last, id 4) moves to id 1; block 2 is
	// empty and freed.
	if !f.Delete(2) || f.Delete(2) {
		t.Fatal("Delete(2) twice")
	}
	if len(f.blocks) != 2 || f.Size() != 4 {
		t.Fatalf("after delete: blocks %d size %d", len(f.blocks), f.Size())
	}
	if id, _ := f.ids.get(5); id != 1 || f.blocks[0].labels[1] != 5 || f.blocks[0].v32[1] != 5 {
		t.Fatalf("label 5 at id %d, slot 1 holds label %d vector %v", id, f.blocks[0].labels[1], f.blocks[0].v32[1])
	}
	if f.MemoryBytes() >= mem5 {
		t.Fatalf("memory %d after freeing a block, was %d", f.MemoryBytes(), mem5)
	}
	// Query 2.4: 1:1.96, 3:0.36, 4:2.56, 5:6.76 (float32 arithmetic:
	// compare with the kernel's own values, the order is what counts).
	q := f32Blob(2.4)
	got := f.TopK(q, 10, SearchOpts{}, nil)
	if ls := labelsOf(got); !slices.Equal(ls, []uint64{3, 1, 4, 5}) {
		t.Fatalf("after delete: %v", got)
	}
	if _, ok := f.Distance(2, q); ok {
		t.Fatal("deleted label still has a distance")
	}
	// Re-add 2 elsewhere: at point 2.5, the nearest now.
	f.Add(2, f32Blob(2.5))
	if ls := labelsOf(f.TopK(q, 2, SearchOpts{}, nil)); !slices.Equal(ls, []uint64{2, 3}) {
		t.Fatalf("after re-add: %v", ls)
	}
	// Adding a present label replaces its vector in place.
	f.Add(2, f32Blob(100))
	if f.Size() != 5 {
		t.Fatalf("size %d after replacing", f.Size())
	}
	if d, _ := f.Distance(2, f32Blob(0)); d != 10000 {
		t.Fatalf("replaced vector distance %v", d)
	}
	// Delete everything, last first and first first.
	for _, l := range []uint64{2, 1, 5, 4, 3} {
		if !f.Delete(l) {
			t.Fatalf("Delete(%d)", l)
		}
	}
	if f.Size() != 0 || len(f.blocks) != 0 || f.ids.n != 0 {
		t.Fatalf("emptied: size %d blocks %d table %d", f.Size(), len(f.blocks), f.ids.n)
	}
	if got := f.TopK(q, 3, SearchOpts{}, nil); len(got) != 0 {
		t.Fatalf("empty index TopK: %v", got)
	}
	f.Add(9, f32Blob(1))
	if ls := labelsOf(f.TopK(q, 3, SearchOpts{}, nil)); !slices.Equal(ls, []uint64{9}) {
		t.Fatalf("after emptying and adding: %v", ls)
	}
}

func labelsOf(r []Result) []uint64 {
	ls := make([]uint64, len(r))
	for i, x := range r {
		ls[i] = x.Label
	}
	return ls
}

func TestLabelTable(t *testing.T) {
	var tb labelTable
	ref := map[uint64]uint32{}
	// Dense ids, then sparse ones, then deletions in a scattered order.
	for i := uint64(0); i < 5000; i++ {
		l := i
		if i%3 == 0 {
			l = i * 0x10001
		}
		tb.set(l, uint32(i))
		ref[l] = uint32(i)
	}
	check := func() {
		t.Helper()
		if tb.n != len(ref) {
			t.Fatalf("table holds %d, want %d", tb.n, len(ref))
		}
		for l, id := range ref {
			if got, ok := tb.get(l); !ok || got != id {
				t.Fatalf("get(%d) = %d %v, want %d", l, got, ok, id)
			}
		}
	}
	check()
	i := 0
	for l := range ref {
		if i%4 != 0 {
			if !tb.remove(l) {
				t.Fatalf("remove(%d)", l)
			}
			delete(ref, l)
			if _, ok := tb.get(l); ok {
				t.Fatalf("get(%d) after remove", l)
			}
		}
		i++
	}
	check()
	if tb.remove(1 << 60) {
		t.Fatal("removed an absent label")
	}
}

// TestCosineHugeComponents is RediSearch issue #2725, whose replies come
// from the real module: FLOAT32 DIM 2 COSINE, documents "aaaaaaaa" and
// "bbbbbbbb" (each element 0x61616161 ≈ 2.6e20, 0x62626262 ≈ 1.0e21),
// queried with "aaaaaaaa" and "bbbbbbbb": every distance printed as
// 5.96046447754e-08. The squares overflow float32 (≈ 6.8e40 > 3.4e38):
// VecSim sums them in double, so the norm is finite; each normalized
// element is 0.70710677f, whose dot is 0.99999994f, and 1 - it is 2^-24.
func TestCosineHugeComponents(t *testing.T) {
	f := flatOf(Float32, Cosine, 2, 0)
	f.Add(1, []byte("aaaaaaaa"))
	f.Add(2, []byte("bbbbbbbb"))
	for _, q := range []string{"aaaaaaaa", "bbbbbbbb"} {
		for _, l := range []uint64{1, 2} {
			d, _ := f.Distance(l, []byte(q))
			if got := strconv.FormatFloat(d, 'g', 12, 64); got != "5.96046447754e-08" {
				t.Errorf("query %s, doc %d: %s, want 5.96046447754e-08", q, l, got)
			}
		}
	}
}

// TestIntegerSumsBeyondFloat32: where a float32 sum could round
// (dim × largest term ≥ 2^24) the integer types are summed in float64,
// exactly, and rounded once, as VecSim converts its integer sum.
func TestIntegerSumsBeyondFloat32(t *testing.T) {
	for _, c := range []struct {
		t     ElemType
		m     Metric
		dim   int
		exact bool
	}{
		{UInt8, L2, 258, true}, {UInt8, L2, 259, false}, // 258 × 65025 < 2^24 - 1
		{Int8, L2, 258, true}, {Int8, L2, 259, false}, // (127 - -128)² = 65025
		{Int8, IP, 1023, true}, {Int8, IP, 1024, false}, // 128 × 128 = 16384
		{UInt8, IP, 259, false},
	} {
		if got := newSpace(&Params{Type: c.t, Metric: c.m, Dim: c.dim}).intExact; got != (c.exact && simdKernels) {
			t.Errorf("%v %v dim %d: intExact %v", c.t, c.m, c.dim, got)
		}
	}
	// UINT8 L2 of 9000 × 255 to 9000 × 0: 9000 × 65025 = 585 225 000;
	// float32 there has a spacing of 64: 585225000 / 64 = 9144140.625,
	// nearest 9144141 × 64 = 585 225 024. A float32 sum of 65025s would
	// have rounded long before (past 2^24 in each lane).
	const n = 9000
	a, b := make([]byte, n), make([]byte, n)
	for i := range a {
		a[i] = 255
	}
	f := flatOf(UInt8, L2, n, 0)
	f.Add(1, a)
	if d, _ := f.Distance(1, b); d != 585225024 {
		t.Errorf("UINT8 L2 dim 9000 = %v, want 585225024", d)
	}
}
