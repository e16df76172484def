package vecsim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkKernels measures one distance at the dimensions of the issue:
// the kernels the indexes call (dot32 … l2sq64: SIMD from VecSim's
// thresholds on) and the reference loops.
func BenchmarkKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, dim := range []int{4, 128, 768, 1536} {
		x, y := make([]float32, dim), make([]float32, dim)
		for i := range x {
			x[i], y[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		x64, y64 := widen(x), widen(y)
		var s32 float32
		var s64 float64
		for _, k := range []struct {
			name string
			f    func()
		}{
			{"dot32", func() { s32 += dot32(x, y) }},
			{"l2sq32", func() { s32 += l2sq32(x, y) }},
			{"dotf32-ref", func() { s32 += dotf32(x, y) }},
			{"l2f32-ref", func() { s32 += l2f32(x, y) }},
			{"dot64", func() { s64 += dot64(x64, y64) }},
			{"l2sq64", func() { s64 += l2sq64(x64, y64) }},
			{"dotf64-ref", func() { s64 += dotf64(x64, y64) }},
			{"l2f64-ref", func() { s64 += l2f64(x64, y64) }},
		} {
			b.Run(fmt.Sprintf("%s/dim=%d", k.name, dim), func(b *testing.B) {
				for b.Loop() {
					k.f()
				}
			})
		}
		_, _ = s32, s64
	}
}

// BenchmarkBlockKernels measures a block of 1024 vectors per call, as the
// FLAT scan does (ns/op is per block; divide by 1024).
func BenchmarkBlockKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const n = 1024
	for _, dim := range []int{4, 128, 768} {
		q := make([]float32, dim)
		v := make([]float32, n*dim)
		for i := range q {
			q[i] = float32(r.NormFloat64())
		}
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		out := make([]float32, n)
		b.Run(fmt.Sprintf("dotBlock32/dim=%d", dim), func(b *testing.B) {
			for b.Loop() {
				dotBlock32(q, v, out)
			}
		})
		b.Run(fmt.Sprintf("l2Block32/dim=%d", dim), func(b *testing.B) {
			for b.Loop() {
				l2Block32(q, v, out)
			}
		})
	}
}
