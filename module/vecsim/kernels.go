package vecsim

import (
	"encoding/binary"
	"math"
)

// Vectors are held as float32 for every element type but FLOAT64, which is
// held as float64: the module computes FLOAT32 distances in float32 (the
// last printed digits of a COSINE distance depend on it).
//
// Two kinds of kernels compute a distance:
//   - the reference kernels (l2f32, dotf32, l2f64, dotf64) add one product
//     at a time, in order, rounding each product and each sum to the
//     element type. They are what VecSim computes below its SIMD thresholds
//     (simdMinDim32, simdMinDim64), where it calls its plain C loops: the
//     explicit conversions keep Go from fusing a multiply and an add into
//     one FMA, which the C loop compiled for baseline x86-64 does not do.
//   - the SIMD kernels (kernels_amd64.s, AVX2+FMA) for longer vectors:
//     float32 sums in 8 lanes × 4 accumulators with FMA, as VecSim's own
//     SIMD kernels do in their own order. They agree with the reference
//     kernels up to rounding, and exactly when every partial sum is
//     representable (kernels_test.go).

// simdMinDim32 and simdMinDim64 are the dimensions from which VecSim uses
// its SIMD kernels for FLOAT32 (16) and FLOAT64 (8) vectors; below them it
// uses the plain loops, and so do we, so that short vectors (the common
// test case) get VecSim's exact float32 results. FLOAT16 and BFLOAT16 start
// at 32 in VecSim.
const (
	simdMinDim32   = 16
	simdMinDim64   = 8
	simdMinDimHalf = 32
)

// l2f32 is the squared Euclidean distance (reference kernel).
func l2f32(a, b []float32) float32 {
	b = b[:len(a)]
	var s float32
	for i := range a {
		d := a[i] - b[i]
		s += float32(d * d)
	}
	return s
}

// dotf32 is the dot product (reference kernel).
func dotf32(a, b []float32) float32 {
	b = b[:len(a)]
	var s float32
	for i := range a {
		s += float32(a[i] * b[i])
	}
	return s
}

func l2f64(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += float64(d * d)
	}
	return s
}

func dotf64(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s
}

// The block kernels compute out[i] = kernel(q, v[i*dim:(i+1)*dim]) for
// i < len(out), dim = len(q): one call per storage block, so that a FLAT
// scan pays no call per vector.

func dotBlockF32Ref(q, v, out []float32) {
	d := len(q)
	for i := range out {
		out[i] = dotf32(q, v[i*d:(i+1)*d])
	}
}

func l2BlockF32Ref(q, v, out []float32) {
	d := len(q)
	for i := range out {
		out[i] = l2f32(q, v[i*d:(i+1)*d])
	}
}

func dotBlockF64Ref(q, v, out []float64) {
	d := len(q)
	for i := range out {
		out[i] = dotf64(q, v[i*d:(i+1)*d])
	}
}

func l2BlockF64Ref(q, v, out []float64) {
	d := len(q)
	for i := range out {
		out[i] = l2f64(q, v[i*d:(i+1)*d])
	}
}

// dot32, l2sq32, dot64 and l2sq64 are the kernels the indexes call: SIMD
// from VecSim's threshold on (and where the CPU has it), the reference loop
// below it.
func dot32(a, b []float32) float32 {
	if simdKernels && len(a) >= simdMinDim32 {
		var out [1]float32
		dotBlockF32SIMD(a, b[:len(a)], out[:])
		return out[0]
	}
	return dotf32(a, b)
}

func l2sq32(a, b []float32) float32 {
	if simdKernels && len(a) >= simdMinDim32 {
		var out [1]float32
		l2BlockF32SIMD(a, b[:len(a)], out[:])
		return out[0]
	}
	return l2f32(a, b)
}

func dot64(a, b []float64) float64 {
	if simdKernels && len(a) >= simdMinDim64 {
		var out [1]float64
		dotBlockF64SIMD(a, b[:len(a)], out[:])
		return out[0]
	}
	return dotf64(a, b)
}

func l2sq64(a, b []float64) float64 {
	if simdKernels && len(a) >= simdMinDim64 {
		var out [1]float64
		l2BlockF64SIMD(a, b[:len(a)], out[:])
		return out[0]
	}
	return l2f64(a, b)
}

// dotBlock32 and the others are the block forms of the same choice; v holds
// len(out) vectors of len(q) elements.
func dotBlock32(q, v, out []float32) {
	if len(out) == 0 {
		return
	}
	v = v[:len(out)*len(q)]
	if simdKernels && len(q) >= simdMinDim32 {
		dotBlockF32SIMD(q, v, out)
		return
	}
	dotBlockF32Ref(q, v, out)
}

func l2Block32(q, v, out []float32) {
	if len(out) == 0 {
		return
	}
	v = v[:len(out)*len(q)]
	if simdKernels && len(q) >= simdMinDim32 {
		l2BlockF32SIMD(q, v, out)
		return
	}
	l2BlockF32Ref(q, v, out)
}

func dotBlock64(q, v, out []float64) {
	if len(out) == 0 {
		return
	}
	v = v[:len(out)*len(q)]
	if simdKernels && len(q) >= simdMinDim64 {
		dotBlockF64SIMD(q, v, out)
		return
	}
	dotBlockF64Ref(q, v, out)
}

func l2Block64(q, v, out []float64) {
	if len(out) == 0 {
		return
	}
	v = v[:len(out)*len(q)]
	if simdKernels && len(q) >= simdMinDim64 {
		l2BlockF64SIMD(q, v, out)
		return
	}
	l2BlockF64Ref(q, v, out)
}

// decodeF32 reads a blob of the element type into dst (len dim).
func decodeF32(t ElemType, blob []byte, dst []float32) {
	switch t {
	case Float32:
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(blob[4*i:]))
		}
	case BFloat16:
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(blob[2*i:])) << 16)
		}
	case Float16:
		for i := range dst {
			dst[i] = halfToFloat32(binary.LittleEndian.Uint16(blob[2*i:]))
		}
	case Int8:
		for i := range dst {
			dst[i] = float32(int8(blob[i]))
		}
	case UInt8:
		for i := range dst {
			dst[i] = float32(blob[i])
		}
	}
}

func decodeF64(blob []byte, dst []float64) {
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(blob[8*i:]))
	}
}

// halfToFloat32 converts an IEEE 754 binary16 value.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // inf, nan
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0:
		if frac == 0 {
			return math.Float32frombits(sign)
		}
		// subnormal: value = frac × 2^-24
		f := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			return -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// normalizeF32 scales a FLOAT32 vector to unit length in place, as VecSim
// normalizes COSINE vectors (stored ones at insert, the query at search):
// the sum of squares in float64, its square root rounded to float32, each
// element divided by it in float32. A zero vector has norm 0 and becomes
// all NaN (0/0), as in VecSim: its COSINE distance to anything is NaN.
func normalizeF32(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(float64(x) * float64(x))
	}
	n := float32(math.Sqrt(sum))
	for i := range v {
		v[i] /= n
	}
}

// normalizeF64 is normalizeF32 for FLOAT64 vectors, all in float64.
func normalizeF64(v []float64) {
	var sum float64
	for _, x := range v {
		sum += float64(x * x)
	}
	n := math.Sqrt(sum)
	for i := range v {
		v[i] /= n
	}
}
