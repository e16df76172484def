//go:build !purego

package vecsim

import "unsafe"

const gatherKernels = true

//go:noescape
func prefetchVecs(ptrs *unsafe.Pointer, n, bytes int)

//go:noescape
func dotGatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32)

//go:noescape
func l2GatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32)
