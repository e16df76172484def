package vecsim

import (
	"encoding/binary"
	"math"
)

// Vectors are held as float32 for every element type but FLOAT64, which is
// held as float64: the module computes FLOAT32 distances in float32 (the
// last printed digits of a COSINE distance depend on it).

// l2f32 is the squared Euclidean distance (reference kernel).
func l2f32(a, b []float32) float32 {
	var s float32
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// dotf32 is the dot product (reference kernel).
func dotf32(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func l2f64(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

func dotf64(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
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

// normalizeF32 scales v to unit length in place (COSINE stores normalized
// vectors and normalizes the query); a zero vector stays zero.
func normalizeF32(v []float32) {
	n := float32(math.Sqrt(float64(dotf32(v, v))))
	if n == 0 {
		return
	}
	for i := range v {
		v[i] /= n
	}
}

func normalizeF64(v []float64) {
	n := math.Sqrt(dotf64(v, v))
	if n == 0 {
		return
	}
	for i := range v {
		v[i] /= n
	}
}
