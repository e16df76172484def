package aggregate

import (
	"math"
	"sort"
)

// quantileEpsilon is the stream's error bound (QUANT_EPSILON).
const quantileEpsilon = 0.01

// quantileBuffer is how many values the stream buffers before it merges
// them into its samples (the reducer's default resolution).
const quantileBuffer = 500

// quantStream is the biased-quantile stream the module's QUANTILE reducer
// keeps (Cormode et al., "Effective computation of biased quantiles over
// data streams"): sorted samples, each covering g ranks with an
// uncertainty d, compressed as values arrive. Its answers are exact for
// small groups and approximate beyond; reproducing its arithmetic (float
// widths, the floor/ceil rank rules) reproduces the module's answers.
type quantStream struct {
	buf     []float64
	bufCap  int
	samples []qsample
	n       float64
}

type qsample struct {
	v float64
	g float32 // ranks covered
	d float32 // rank uncertainty
}

func newQuantStream(bufCap int) *quantStream {
	if bufCap <= 0 {
		bufCap = quantileBuffer
	}
	return &quantStream{bufCap: bufCap}
}

// maxVal is the largest rank uncertainty allowed at rank r. The reducer
// creates its stream without target quantiles, so the bound is the
// uniform one, 2εr.
func (s *quantStream) maxVal(r float64) float64 {
	return 2 * quantileEpsilon * r
}

func (s *quantStream) insert(v float64) {
	s.buf = append(s.buf, v)
	if len(s.buf) == s.bufCap {
		s.flush()
		s.compress()
	}
}

// flush merges the buffered values into the samples.
func (s *quantStream) flush() {
	sort.Float64s(s.buf)
	r := 0.0
	pos := 0
	for _, v := range s.buf {
		placed := false
		for pos < len(s.samples) {
			if s.samples[pos].v > v {
				ns := qsample{v: v, g: 1, d: float32(math.Floor(s.maxVal(r)) - 1)}
				s.samples = append(s.samples, qsample{})
				copy(s.samples[pos+1:], s.samples[pos:])
				s.samples[pos] = ns
				pos++ // still the sample the value went before
				placed = true
				break
			}
			r += float64(s.samples[pos].g)
			pos++
		}
		if !placed {
			s.samples = append(s.samples, qsample{v: v, g: 1})
			pos = len(s.samples)
		}
		s.n++
	}
	s.buf = s.buf[:0]
}

// compress merges neighbouring samples whose combined width stays within
// the error bound, from the top down.
func (s *quantStream) compress() {
	if len(s.samples) < 2 {
		return
	}
	r := s.n - 1 - float64(s.samples[len(s.samples)-1].g)
	for cur := len(s.samples) - 2; cur >= 0; cur-- {
		parent := &s.samples[cur+1]
		g := s.samples[cur].g
		if float64(g+parent.g+parent.d) <= s.maxVal(r) {
			parent.g += g
			s.samples = append(s.samples[:cur], s.samples[cur+1:]...)
		}
		r -= float64(g)
	}
}

// query answers the q quantile; NaN when the stream saw no value.
func (s *quantStream) query(q float64) float64 {
	if len(s.buf) > 0 {
		s.flush()
	}
	if len(s.samples) == 0 {
		return math.NaN()
	}
	t := math.Ceil(q * s.n)
	t += math.Floor(s.maxVal(t) / 2)
	prev := 0
	r := 0.0
	for cur := 1; cur < len(s.samples); cur++ {
		c := s.samples[cur]
		if r+float64(c.g)+float64(c.d) >= t {
			break
		}
		r += float64(c.g)
		prev = cur
	}
	return s.samples[prev].v
}
