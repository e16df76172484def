package vecsim

import (
	"math"
	"unsafe"
)

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
	if kind := f.gatherKind(); kind != gatherNone {
		f.gatherDistances(kind, q.q32, labels, out)
		return
	}
	for i, label := range labels {
		id, ok := f.ids.get(label)
		if !ok {
			out[i] = math.NaN()
			continue
		}
		out[i] = f.dist(q, int(id))
	}
}

// gatherKind is the gather kernel that gives dist32 for the index's space,
// gatherNone where there is none (as for the graphs' gspace).
func (f *flatIndex) gatherKind() gatherKind {
	s := f.sp
	if !gatherKernels || !simdKernels || s.naive || s.integer || s.wide {
		return gatherNone
	}
	if s.metric == L2 {
		return gatherL2
	}
	return gatherDot
}

// gatherDistances is Distances for labels scattered over the blocks (a
// hybrid query's filtered documents): a chunk at a time, their vectors'
// addresses gathered, then measured by the gather kernel with prefetching.
func (f *flatIndex) gatherDistances(kind gatherKind, q []float32, labels []uint64, out []float64) {
	const chunk = 64
	var ptrs [chunk]unsafe.Pointer
	var pos [chunk]int
	var d32 [chunk]float32
	st := f.sp.stride
	for lo := 0; lo < len(labels); lo += chunk {
		n := 0
		for i, label := range labels[lo:min(len(labels), lo+chunk)] {
			id, ok := f.ids.get(label)
			if !ok {
				out[lo+i] = math.NaN()
				continue
			}
			b, off := f.slot(int(id))
			ptrs[n], pos[n] = unsafe.Pointer(&b.v32[off*st]), lo+i
			n++
		}
		gatherDistances(kind, unsafe.Pointer(&q[0]), ptrs[:n], f.sp.dim, d32[:n])
		for j := range n {
			out[pos[j]] = float64(d32[j])
		}
	}
	clear(ptrs[:]) // no stale pointer keeps a released block alive
}
