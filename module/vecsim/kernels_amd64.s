//go:build !purego

#include "textflag.h"

// Block distance kernels, AVX2 + FMA. Each computes out[i] for the n
// vectors of dim elements stored contiguously at v, against the query q:
// the dot product (dot*) or the squared Euclidean distance (l2*). Sums are
// kept in the element type (float32 for the F32 kernels): four 8-lane (4-lane
// for float64) accumulators over 32 (16) elements a step, then one
// accumulator over 8 (4) elements a step, a horizontal sum, and the last
// dim%8 (dim%4) elements one at a time.

// func dotBlockF32AVX2(q, v *float32, dim, n int, out *float32)
TEXT ·dotBlockF32AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ v+8(FP), DI
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   dotf32done

dotf32vec:
	MOVQ   R8, SI
	MOVQ   R9, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JL     dotf32by8

dotf32by32:
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
	JGE         dotf32by32

dotf32by8:
	CMPQ        CX, $8
	JL          dotf32reduce
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         dotf32by8

dotf32reduce:
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
	JE           dotf32store

dotf32tail:
	VMOVSS      (SI), X1
	VFMADD231SS (DI), X1, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNE         dotf32tail

dotf32store:
	VMOVSS X0, (R11)
	ADDQ   $4, R11
	DECQ   R10
	JNE    dotf32vec

dotf32done:
	VZEROUPPER
	RET

// func l2BlockF32AVX2(q, v *float32, dim, n int, out *float32)
TEXT ·l2BlockF32AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ v+8(FP), DI
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   l2f32done

l2f32vec:
	MOVQ   R8, SI
	MOVQ   R9, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JL     l2f32by8

l2f32by32:
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
	JGE         l2f32by32

l2f32by8:
	CMPQ        CX, $8
	JL          l2f32reduce
	VMOVUPS     (SI), Y4
	VSUBPS      (DI), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         l2f32by8

l2f32reduce:
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
	JE           l2f32store

l2f32tail:
	VMOVSS      (SI), X1
	VSUBSS      (DI), X1, X1
	VFMADD231SS X1, X1, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNE         l2f32tail

l2f32store:
	VMOVSS X0, (R11)
	ADDQ   $4, R11
	DECQ   R10
	JNE    l2f32vec

l2f32done:
	VZEROUPPER
	RET

// func dotBlockF64AVX2(q, v *float64, dim, n int, out *float64)
TEXT ·dotBlockF64AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ v+8(FP), DI
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   dotf64done

dotf64vec:
	MOVQ   R8, SI
	MOVQ   R9, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	CMPQ   CX, $16
	JL     dotf64by4

dotf64by16:
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VFMADD231PD (DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $16, CX
	CMPQ        CX, $16
	JGE         dotf64by16

dotf64by4:
	CMPQ        CX, $4
	JL          dotf64reduce
	VMOVUPD     (SI), Y4
	VFMADD231PD (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	JMP         dotf64by4

dotf64reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	TESTQ        CX, CX
	JE           dotf64store

dotf64tail:
	VMOVSD      (SI), X1
	VFMADD231SD (DI), X1, X0
	ADDQ        $8, SI
	ADDQ        $8, DI
	DECQ        CX
	JNE         dotf64tail

dotf64store:
	VMOVSD X0, (R11)
	ADDQ   $8, R11
	DECQ   R10
	JNE    dotf64vec

dotf64done:
	VZEROUPPER
	RET

// func l2BlockF64AVX2(q, v *float64, dim, n int, out *float64)
TEXT ·l2BlockF64AVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), R8
	MOVQ v+8(FP), DI
	MOVQ dim+16(FP), R9
	MOVQ n+24(FP), R10
	MOVQ out+32(FP), R11
	TESTQ R10, R10
	JE   l2f64done

l2f64vec:
	MOVQ   R8, SI
	MOVQ   R9, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	CMPQ   CX, $16
	JL     l2f64by4

l2f64by16:
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VSUBPD      (DI), Y4, Y4
	VSUBPD      32(DI), Y5, Y5
	VSUBPD      64(DI), Y6, Y6
	VSUBPD      96(DI), Y7, Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $16, CX
	CMPQ        CX, $16
	JGE         l2f64by16

l2f64by4:
	CMPQ        CX, $4
	JL          l2f64reduce
	VMOVUPD     (SI), Y4
	VSUBPD      (DI), Y4, Y4
	VFMADD231PD Y4, Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	JMP         l2f64by4

l2f64reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	TESTQ        CX, CX
	JE           l2f64store

l2f64tail:
	VMOVSD      (SI), X1
	VSUBSD      (DI), X1, X1
	VFMADD231SD X1, X1, X0
	ADDQ        $8, SI
	ADDQ        $8, DI
	DECQ        CX
	JNE         l2f64tail

l2f64store:
	VMOVSD X0, (R11)
	ADDQ   $8, R11
	DECQ   R10
	JNE    l2f64vec

l2f64done:
	VZEROUPPER
	RET
