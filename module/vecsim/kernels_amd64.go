//go:build !purego

package vecsim

import "golang.org/x/sys/cpu"

// simdKernels reports whether the AVX2+FMA block kernels of
// kernels_amd64.s run on this CPU (checked once, at init).
var simdKernels = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func dotBlockF32AVX2(q, v *float32, dim, n int, out *float32)

//go:noescape
func l2BlockF32AVX2(q, v *float32, dim, n int, out *float32)

//go:noescape
func dotBlockF64AVX2(q, v *float64, dim, n int, out *float64)

//go:noescape
func l2BlockF64AVX2(q, v *float64, dim, n int, out *float64)

func dotBlockF32SIMD(q, v, out []float32) {
	dotBlockF32AVX2(&q[0], &v[0], len(q), len(out), &out[0])
}

func l2BlockF32SIMD(q, v, out []float32) {
	l2BlockF32AVX2(&q[0], &v[0], len(q), len(out), &out[0])
}

func dotBlockF64SIMD(q, v, out []float64) {
	dotBlockF64AVX2(&q[0], &v[0], len(q), len(out), &out[0])
}

func l2BlockF64SIMD(q, v, out []float64) {
	l2BlockF64AVX2(&q[0], &v[0], len(q), len(out), &out[0])
}
