package vecsim

import "math"

var (
	_ BatchDistancer = (*graphIndex[float32])(nil)
	_ BatchDistancer = (*graphIndex[float64])(nil)
)

// Distances is Distance for many labels: the query prepared once, one read
// lock; a buffered vector is measured where it waits.
func (x *graphIndex[T]) Distances(query []byte, labels []uint64, out []float64) {
	q := x.sp.vector(query)
	x.mu.RLock()
	defer x.mu.RUnlock()
	for i, l := range labels {
		if x.closed {
			out[i] = math.NaN()
			continue
		}
		if pos, ok := x.buf.lookup(l); ok {
			out[i] = float64(x.sp.dist(q, x.buf.vec(pos)))
			continue
		}
		d, ok := x.g.distance(l, q)
		if !ok {
			d = math.NaN()
		}
		out[i] = d
	}
}
