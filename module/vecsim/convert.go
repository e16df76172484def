package vecsim

import (
	"math"
)

// space is how an index of some Params holds its vectors and measures
// them, following VecSim's spaces/ for each element type and metric:
//
//   - FLOAT64 vectors are held as float64 and measured in float64; every
//     other type is held as float32 and measured in float32 (VecSim's
//     DistType is float for them).
//   - L2 is the squared Euclidean distance, IP is 1 - dot, COSINE is
//     1 - dot of vectors normalized when they are stored and when a query
//     is prepared (VecSim's CosinePreprocessor).
//   - FLOAT16 and BFLOAT16 are widened to float32 (exactly). Under COSINE,
//     VecSim normalizes them in float32 and stores the result rounded back
//     to 16 bits, so prepare32 rounds them the same way (roundHalf,
//     roundBF16) before widening again: the values measured are VecSim's.
//     Deviation: held widened they take 4 bytes an element, not 2.
//   - INT8 and UINT8 are widened to float32 (exactly). VecSim computes their
//     dot products and squared distances in integers and converts the
//     result to float once; the float32 kernels give that exact integer
//     whenever dim × (largest term) < 2^24 (intExact), and beyond it the
//     sum is taken in float64 (exact up to 2^53) and rounded once. Under
//     COSINE VecSim stores each vector's norm (float, the square root of the
//     integer sum of squares) after its elements and measures
//     1 - float(dot) / (norm1 × norm2) in float; so do we, the norm being
//     element dim of the stored vector (stride dim+1). Deviation: held
//     widened they take 4 bytes an element, not 1.
//
// A zero vector under COSINE normalizes to NaNs (or has norm 0): its
// distance to anything is NaN, as in VecSim, which does not check.
type space struct {
	typ    ElemType
	metric Metric
	dim    int
	// stride is the number of elements of a stored (or prepared query)
	// vector: dim, or dim+1 for INT8/UINT8 under COSINE (the norm).
	stride int
	// wide: FLOAT64, held and measured in float64.
	wide bool
	// naive: VecSim measures vectors of this type and dim with its plain
	// loops (below its SIMD threshold), or this CPU has no SIMD kernels.
	naive bool
	// integer: INT8 or UINT8; intExact: the float32 kernels are exact at
	// this dim for this metric.
	integer, intExact bool
}

func newSpace(p *Params) *space {
	s := &space{typ: p.Type, metric: p.Metric, dim: p.Dim, stride: p.Dim}
	switch p.Type {
	case Float64:
		s.wide = true
		s.naive = !simdKernels || p.Dim < simdMinDim64
	case Float32:
		s.naive = !simdKernels || p.Dim < simdMinDim32
	case Float16, BFloat16:
		s.naive = !simdKernels || p.Dim < simdMinDimHalf
	case Int8, UInt8:
		s.integer = true
		if p.Metric == Cosine {
			s.stride = p.Dim + 1
		}
		// The largest magnitude of one term: a product of two INT8
		// values is at most 128·128; a squared difference of INT8 and
		// any term of UINT8 at most 255·255.
		maxTerm := 255 * 255
		if p.Type == Int8 && p.Metric != L2 {
			maxTerm = 128 * 128
		}
		// 1 - dot must be exact too: keep one unit of room.
		s.intExact = simdKernels && p.Dim*maxTerm < 1<<24-1
	}
	return s
}

// elemBytes is the size in memory of one held element.
func (s *space) elemBytes() int {
	if s.wide {
		return 8
	}
	return 4
}

// prepare32 converts a blob (Params.BlobSize() bytes) to the form a
// float32 space holds and measures: decoded, and under COSINE normalized
// (or given its norm) as VecSim preprocesses stored vectors and queries.
// dst has stride elements.
func (s *space) prepare32(blob []byte, dst []float32) {
	v := dst[:s.dim]
	decodeF32(s.typ, blob, v)
	if s.metric != Cosine {
		return
	}
	switch s.typ {
	case Float32:
		normalizeF32(v)
	case Float16:
		normalizeHalf(v, func(x float32) float32 { return halfToFloat32(roundHalf(x)) })
	case BFloat16:
		normalizeHalf(v, func(x float32) float32 { return bf16ToFloat32(roundBF16(x)) })
	case Int8, UInt8:
		// VecSim: the integer sum of squares, its square root (double)
		// stored as a float after the elements.
		var sum int64
		for _, x := range v {
			sum += int64(x) * int64(x)
		}
		dst[s.dim] = float32(math.Sqrt(float64(sum)))
	}
}

// prepare64 is prepare32 for FLOAT64 spaces.
func (s *space) prepare64(blob []byte, dst []float64) {
	decodeF64(blob, dst[:s.dim])
	if s.metric == Cosine {
		normalizeF64(dst[:s.dim])
	}
}

// normalizeHalf is VecSim's normalization of FLOAT16 and BFLOAT16 vectors:
// the sum of squares in float32 (one product at a time, in order), its
// square root in float32, each element divided by it in float32 and
// rounded to the 16-bit type (round gives back the widened 16-bit value).
func normalizeHalf(v []float32, round func(float32) float32) {
	var sum float32
	for _, x := range v {
		sum += float32(x * x)
	}
	n := float32(math.Sqrt(float64(sum)))
	for i := range v {
		v[i] = round(v[i] / n)
	}
}

// dist32 is the distance between two prepared vectors of a float32 space
// (stride elements each).
func (s *space) dist32(a, b []float32) float32 {
	if s.integer {
		return s.distInt(a, b)
	}
	a, b = a[:s.dim], b[:s.dim]
	if s.naive {
		if s.metric == L2 {
			return l2f32(a, b)
		}
		return 1 - dotf32(a, b)
	}
	var out [1]float32
	if s.metric == L2 {
		l2BlockF32SIMD(a, b, out[:])
		return out[0]
	}
	dotBlockF32SIMD(a, b, out[:])
	return 1 - out[0]
}

// distInt is dist32 for INT8 and UINT8 spaces.
func (s *space) distInt(a, b []float32) float32 {
	x, y := a[:s.dim], b[:s.dim]
	var sum float64 // the exact integer result of VecSim's integer loop
	switch {
	case s.intExact && s.metric == L2:
		var out [1]float32
		l2BlockF32SIMD(x, y, out[:])
		sum = float64(out[0])
	case s.intExact:
		var out [1]float32
		dotBlockF32SIMD(x, y, out[:])
		sum = float64(out[0])
	case s.metric == L2:
		for i := range x {
			d := float64(x[i]) - float64(y[i])
			sum += d * d
		}
	default:
		for i := range x {
			sum += float64(x[i]) * float64(y[i])
		}
	}
	switch s.metric {
	case L2:
		return float32(sum)
	case IP:
		return float32(1 - sum)
	}
	// 1.0f - float(ip) / (norm_v1 * norm_v2), in float.
	return 1 - float32(sum)/(a[s.dim]*b[s.dim])
}

// dist64 is the distance between two prepared vectors of a FLOAT64 space.
func (s *space) dist64(a, b []float64) float64 {
	a, b = a[:s.dim], b[:s.dim]
	if s.naive {
		if s.metric == L2 {
			return l2f64(a, b)
		}
		return 1 - dotf64(a, b)
	}
	var out [1]float64
	if s.metric == L2 {
		l2BlockF64SIMD(a, b, out[:])
		return out[0]
	}
	dotBlockF64SIMD(a, b, out[:])
	return 1 - out[0]
}

// block32 sets out[i] to the distance between the prepared query q and the
// i-th of the len(out) vectors held contiguously in v (stride elements
// each): dist32 of each, in one kernel call where the layout allows.
func (s *space) block32(q, v, out []float32) {
	n := len(out)
	if n == 0 {
		return
	}
	if s.integer && (s.stride != s.dim || !s.intExact) {
		for i := range out {
			out[i] = s.distInt(v[i*s.stride:(i+1)*s.stride], q)
		}
		return
	}
	q, v = q[:s.dim], v[:n*s.dim]
	switch {
	case s.metric == L2 && s.naive && !s.integer:
		l2BlockF32Ref(q, v, out)
	case s.metric == L2:
		l2BlockF32SIMD(q, v, out)
	case s.naive && !s.integer:
		dotBlockF32Ref(q, v, out)
	default:
		dotBlockF32SIMD(q, v, out)
	}
	if s.metric == L2 {
		return
	}
	if s.integer { // IP: float(1 - dot), the dot exact
		for i, d := range out {
			out[i] = float32(1 - float64(d))
		}
		return
	}
	for i, d := range out {
		out[i] = 1 - d
	}
}

// block64 is block32 for FLOAT64 spaces.
func (s *space) block64(q, v, out []float64) {
	n := len(out)
	if n == 0 {
		return
	}
	q, v = q[:s.dim], v[:n*s.dim]
	switch {
	case s.metric == L2 && s.naive:
		l2BlockF64Ref(q, v, out)
	case s.metric == L2:
		l2BlockF64SIMD(q, v, out)
	case s.naive:
		dotBlockF64Ref(q, v, out)
	default:
		dotBlockF64SIMD(q, v, out)
	}
	if s.metric != L2 {
		for i, d := range out {
			out[i] = 1 - d
		}
	}
}

// roundHalf rounds a float32 to IEEE binary16 as VecSim's FP32_to_FP16
// does (F. Giesen's float_to_half_fast3): the 12 bits below the last kept
// bit are dropped, the value is rebiased by a float32 multiplication by
// 2^-112 (which rounds half-precision subnormals to nearest even), then
// 0x1000 is added before the shift, so that a dropped part of at least
// half a unit rounds the magnitude up (ties away from zero, not to even).
// Values beyond the largest half become infinity; NaN becomes the quiet
// NaN 0x7e00, infinity stays infinity; the sign is kept.
func roundHalf(f float32) uint16 {
	bits := math.Float32bits(f)
	sign := bits & 0x80000000
	bits ^= sign
	var o uint32
	switch {
	case bits > 0x7f800000:
		o = 0x7e00
	case bits == 0x7f800000:
		o = 0x7c00
	default:
		scaled := math.Float32frombits(bits&^0xfff) * math.Float32frombits(15<<23)
		scaled = min(scaled, math.Float32frombits(31<<23-0x1000))
		o = (math.Float32bits(scaled) + 0x1000) >> 13
	}
	return uint16(o | sign>>16)
}

// roundBF16 rounds a float32 to bfloat16 as VecSim's float_to_bf16 does:
// to nearest, ties to even, by adding 0x7fff plus the lowest kept bit
// before dropping the low 16 bits (NaNs get no special case there either).
func roundBF16(f float32) uint16 {
	bits := math.Float32bits(f)
	bits += 0x7fff + (bits>>16)&1
	return uint16(bits >> 16)
}

func bf16ToFloat32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
