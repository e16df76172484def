//go:build !amd64 || purego

package vecsim

// No assembly kernels on this architecture (or with the purego tag): the
// scalar reference kernels do all the work.
const simdKernels = false

func dotBlockF32SIMD(q, v, out []float32) { dotBlockF32Ref(q, v, out) }
func l2BlockF32SIMD(q, v, out []float32)  { l2BlockF32Ref(q, v, out) }
func dotBlockF64SIMD(q, v, out []float64) { dotBlockF64Ref(q, v, out) }
func l2BlockF64SIMD(q, v, out []float64)  { l2BlockF64Ref(q, v, out) }
