//go:build !amd64 || purego

package vecsim

import "unsafe"

// No gather kernels here: the graphs measure one vector at a time.
const gatherKernels = false

func prefetchVecs(ptrs *unsafe.Pointer, n, bytes int) {}

func dotGatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32) {
	panic("no gather kernel")
}

func l2GatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32) {
	panic("no gather kernel")
}
