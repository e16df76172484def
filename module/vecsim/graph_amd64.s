//go:build !purego

#include "textflag.h"

// Kernels of the graph searches, whose vectors are scattered: ptrs holds
// the address of each vector.

// func prefetchVecs(ptrs *unsafe.Pointer, n, bytes int)
// Prefetches (PREFETCHT0) the cache lines of the first bytes bytes of each
// of the n vectors: the loads that follow find them in cache, and the
// misses overlap, none waiting for another.
TEXT ·prefetchVecs(SB), NOSPLIT, $0-24
	MOVQ ptrs+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ bytes+16(FP), DX
	TESTQ CX, CX
	JE   pfdone

pfvec:
	MOVQ (SI), DI
	XORQ AX, AX

pfline:
	PREFETCHT0 (DI)(AX*1)
	ADDQ       $64, AX
	CMPQ       AX, DX
	JL         pfline
	ADDQ       $8, SI
	DECQ       CX
	JNE        pfvec

pfdone:
	RET

// func dotGatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32)
// out[i] is the dot product of q and the vector at ptrs[i], computed as
// dotBlockF32AVX2 computes it (same accumulators, same order): the same
// float32 result to the bit.
TEXT ·dotGatherF32AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ ptrs+8(FP), R12
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   gdotdone

gdotvec:
	MOVQ   R8, SI
	MOVQ   (R12), DI
	ADDQ   $8, R12
	MOVQ   R9, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JL     gdotby8

gdotby32:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         gdotby32

gdotby8:
	CMPQ        CX, $8
	JL          gdotreduce
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         gdotby8

gdotreduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDSS       X1, X0, X0
	TESTQ        CX, CX
	JE           gdotstore

gdottail:
	VMOVSS      (SI), X1
	VFMADD231SS (DI), X1, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNE         gdottail

gdotstore:
	VMOVSS X0, (R11)
	ADDQ   $4, R11
	DECQ   R10
	JNE    gdotvec

gdotdone:
	VZEROUPPER
	RET

// func l2GatherF32AVX2(q *float32, ptrs *unsafe.Pointer, dim, n int, out *float32)
// out[i] is the squared distance between q and the vector at ptrs[i], as
// l2BlockF32AVX2 computes it.
TEXT ·l2GatherF32AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ ptrs+8(FP), R12
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   gl2done

gl2vec:
	MOVQ   R8, SI
	MOVQ   (R12), DI
	ADDQ   $8, R12
	MOVQ   R9, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JL     gl2by8

gl2by32:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VSUBPS      (DI), Y4, Y4
	VSUBPS      32(DI), Y5, Y5
	VSUBPS      64(DI), Y6, Y6
	VSUBPS      96(DI), Y7, Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         gl2by32

gl2by8:
	CMPQ        CX, $8
	JL          gl2reduce
	VMOVUPS     (SI), Y4
	VSUBPS      (DI), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         gl2by8

gl2reduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDSS       X1, X0, X0
	TESTQ        CX, CX
	JE           gl2store

gl2tail:
	VMOVSS      (SI), X1
	VSUBSS      (DI), X1, X1
	VFMADD231SS X1, X1, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNE         gl2tail

gl2store:
	VMOVSS X0, (R11)
	ADDQ   $4, R11
	DECQ   R10
	JNE    gl2vec

gl2done:
	VZEROUPPER
	RET
