package vecsim

import "math"

// BatchDistancer is implemented by indexes that measure many labels'
// distances to one query in a call: the ad-hoc hybrid mode measures every
// document its filter matches, and a call per document (lock, query
// preparation) would cost more than the distances.
type BatchDistancer interface {
	// Distances sets out[i] to the distance of labels[i]'s vector to the
	// query (Params.BlobSize() bytes), NaN when the label has none, as the
	// module's VecSimIndex_GetDistanceFrom answers for a deleted one.
	Distances(query []byte, labels []uint64, out []float64)
}

var _ BatchDistancer = (*flatIndex)(nil)

func (f *flatIndex) Distances(query []byte, labels []uint64, out []float64) {
	q := &flatQuery{}
	if f.sp.wide {
		q.q64 = make([]float64, f.sp.stride)
		f.sp.prepare64(query, q.q64)
	} else {
		q.q32 = make([]float32, f.sp.stride)
		f.sp.prepare32(query, q.q32)
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	for i, label := range labels {
		id, ok := f.ids.get(label)
		if !ok {
			out[i] = math.NaN()
			continue
		}
		out[i] = f.dist(q, int(id))
	}
}
