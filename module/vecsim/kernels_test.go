package vecsim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernelDims are the dimensions the kernel tests run at: every length up to
// 70 (all the SIMD tails and both sides of the thresholds), and the usual
// embedding sizes.
var kernelDims = func() []int {
	var d []int
	for i := 1; i <= 70; i++ {
		d = append(d, i)
	}
	return append(d, 100, 127, 128, 129, 384, 768, 1024, 1536)
}()

// refDot and refL2 are the float64 references. On the inputs of the exact
// test every product and every partial sum is representable, so these plain
// float64 loops are exact there.
func refDot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func refL2(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// thirtySeconds returns n values k/32 with k in [-32, 32]: products are
// multiples of 1/1024 of magnitude at most 1, squared differences
// multiples of 1/1024 at most 4, so a sum of up to 1536 of them needs at
// most 13 integer bits and 10 fraction bits: 23 < 24 significant bits. Every
// partial sum in any order is then exactly representable in float32, and
// every kernel must give the exact value.
func thirtySeconds(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.IntN(65)-32) / 32
	}
	return v
}

func widen(v []float32) []float64 {
	w := make([]float64, len(v))
	for i, x := range v {
		w[i] = float64(x)
	}
	return w
}

func TestKernelsExactOnThirtySeconds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, dim := range kernelDims {
		for trial := 0; trial < 4; trial++ {
			a, b := thirtySeconds(r, dim), thirtySeconds(r, dim)
			a64, b64 := widen(a), widen(b)
			wantDot, wantL2 := refDot(a64, b64), refL2(a64, b64)
			check := func(name string, got, want float64) {
				t.Helper()
				if got != want {
					t.Fatalf("dim %d: %s = %v, want exactly %v", dim, name, got, want)
				}
			}
			check("dotf32", float64(dotf32(a, b)), wantDot)
			check("l2f32", float64(l2f32(a, b)), wantL2)
			check("dot32", float64(dot32(a, b)), wantDot)
			check("l2sq32", float64(l2sq32(a, b)), wantL2)
			check("dotf64", dotf64(a64, b64), wantDot)
			check("l2f64", l2f64(a64, b64), wantL2)
			check("dot64", dot64(a64, b64), wantDot)
			check("l2sq64", l2sq64(a64, b64), wantL2)
			// The assembly kernels at every length, below the
			// thresholds too.
			var o32 [1]float32
			var o64 [1]float64
			dotBlockF32SIMD(a, b, o32[:])
			check("dotBlockF32SIMD", float64(o32[0]), wantDot)
			l2BlockF32SIMD(a, b, o32[:])
			check("l2BlockF32SIMD", float64(o32[0]), wantL2)
			dotBlockF64SIMD(a64, b64, o64[:])
			check("dotBlockF64SIMD", o64[0], wantDot)
			l2BlockF64SIMD(a64, b64, o64[:])
			check("l2BlockF64SIMD", o64[0], wantL2)
		}
	}
}

// TestKernelsRounding compares the float32 kernels on random real values
// with float64 references. Any order of summation of n terms, each product
// rounded once (or not at all, with FMA), is within γ = (n+1)·u/(1-(n+1)·u)
// of the sum of the absolute values of the terms (u = 2^-24, Higham,
// Accuracy and Stability of Numerical Algorithms, §3.1); the reference
// sum of |terms| is computed in float64.
func TestKernelsRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const u32 = 1.0 / (1 << 24)
	const u64 = 1.0 / (1 << 53)
	for _, dim := range kernelDims {
		for trial := 0; trial < 4; trial++ {
			a, b := make([]float32, dim), make([]float32, dim)
			for i := range a {
				a[i] = float32(r.NormFloat64())
				b[i] = float32(r.NormFloat64())
			}
			a64, b64 := widen(a), widen(b)
			var absDot, absL2 float64
			for i := range a64 {
				absDot += math.Abs(a64[i] * b64[i])
				d := a64[i] - b64[i]
				absL2 += d * d
			}
			// L2 also rounds the difference: one more u per term.
			g := func(n int, u float64) float64 { return float64(n) * u / (1 - float64(n)*u) }
			tolDot, tolL2 := g(dim+1, u32)*absDot, g(dim+3, u32)*absL2
			wantDot, wantL2 := refDot(a64, b64), refL2(a64, b64)
			for _, c := range []struct {
				name      string
				got, want float64
				tol       float64
			}{
				{"dotf32", float64(dotf32(a, b)), wantDot, tolDot},
				{"dot32", float64(dot32(a, b)), wantDot, tolDot},
				{"l2f32", float64(l2f32(a, b)), wantL2, tolL2},
				{"l2sq32", float64(l2sq32(a, b)), wantL2, tolL2},
				{"dot64", dot64(a64, b64), wantDot, g(dim+1, u64) * absDot},
				{"l2sq64", l2sq64(a64, b64), wantL2, g(dim+3, u64) * absL2},
			} {
				if math.Abs(c.got-c.want) > c.tol {
					t.Fatalf("dim %d: %s = %v, want %v within %g", dim, c.name, c.got, c.want, c.tol)
				}
			}
		}
	}
}

// TestKernelsNaiveBelowThreshold: below VecSim's SIMD thresholds the
// kernels are its plain loops, bit for bit (the golden COSINE distances of
// an 8-dimensional field depend on it).
func TestKernelsNaiveBelowThreshold(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 1000; trial++ {
		dim := 1 + trial%15 // every length below simdMinDim32 (16)
		a, b := make([]float32, dim), make([]float32, dim)
		for i := range a {
			a[i], b[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		var s, l float32
		for i := range a {
			s += float32(a[i] * b[i])
			d := a[i] - b[i]
			l += float32(d * d)
		}
		if got := dot32(a, b); math.Float32bits(got) != math.Float32bits(s) {
			t.Fatalf("dim %d: dot32 %v, sequential float32 loop %v", dim, got, s)
		}
		if got := l2sq32(a, b); math.Float32bits(got) != math.Float32bits(l) {
			t.Fatalf("dim %d: l2sq32 %v, sequential float32 loop %v", dim, got, l)
		}
	}
}

// TestBlockKernels: a block call gives each vector what a single call
// gives it, bit for bit.
func TestBlockKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, dim := range []int{1, 3, 8, 15, 16, 17, 33, 128, 131} {
		const n = 37
		q := make([]float32, dim)
		v := make([]float32, n*dim)
		for i := range q {
			q[i] = float32(r.NormFloat64())
		}
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		q64, v64 := widen(q), widen(v)
		o, l := make([]float32, n), make([]float32, n)
		o64, l64 := make([]float64, n), make([]float64, n)
		dotBlock32(q, v, o)
		l2Block32(q, v, l)
		dotBlock64(q64, v64, o64)
		l2Block64(q64, v64, l64)
		for i := 0; i < n; i++ {
			x, x64 := v[i*dim:(i+1)*dim], v64[i*dim:(i+1)*dim]
			if o[i] != dot32(q, x) || l[i] != l2sq32(q, x) || o64[i] != dot64(q64, x64) || l64[i] != l2sq64(q64, x64) {
				t.Fatalf("dim %d vector %d: block %v %v %v %v, single %v %v %v %v", dim, i,
					o[i], l[i], o64[i], l64[i], dot32(q, x), l2sq32(q, x), dot64(q64, x64), l2sq64(q64, x64))
			}
		}
	}
}

func TestSIMDAvailable(t *testing.T) {
	t.Logf("SIMD kernels: %v", simdKernels)
}
