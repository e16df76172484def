package vecsim

import (
	"sort"
	"sync"
)

// New is a vector index of the parameters. (Provisional: an exact brute
// force for every algorithm, until the FLAT and HNSW indexes land.)
func New(p Params, o Options) Index {
	if p.Algo == Flat {
		return newFlat(&p)
	}
	return &tmpBruteForce{p: p, vecs: map[uint64][]float64{}}
}

type tmpBruteForce struct {
	mu   sync.RWMutex
	p    Params
	vecs map[uint64][]float64
}

func (b *tmpBruteForce) Params() *Params { return &b.p }

func (b *tmpBruteForce) decode(blob []byte) []float64 {
	out := make([]float64, b.p.Dim)
	if b.p.Type == Float64 {
		decodeF64(blob, out)
	} else {
		f := make([]float32, b.p.Dim)
		decodeF32(b.p.Type, blob, f)
		for i := range f {
			out[i] = float64(f[i])
		}
	}
	if b.p.Metric == Cosine {
		normalizeF64(out)
	}
	return out
}

func (b *tmpBruteForce) Add(label uint64, blob []byte) {
	b.mu.Lock()
	b.vecs[label] = b.decode(blob)
	b.mu.Unlock()
}

func (b *tmpBruteForce) Delete(label uint64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.vecs[label]
	delete(b.vecs, label)
	return ok
}

func (b *tmpBruteForce) Size() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.vecs)
}

func (b *tmpBruteForce) dist(a, q []float64) float64 {
	if b.p.Metric == L2 {
		return l2f64(a, q)
	}
	return 1 - dotf64(a, q)
}

func (b *tmpBruteForce) all(query []byte, filter func(uint64) bool) []Result {
	q := b.decode(query)
	var out []Result
	for l, v := range b.vecs {
		if filter == nil || filter(l) {
			out = append(out, Result{Label: l, Dist: b.dist(v, q)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Dist != out[j].Dist {
			return out[i].Dist < out[j].Dist
		}
		return out[i].Label < out[j].Label
	})
	return out
}

func (b *tmpBruteForce) TopK(query []byte, k int, _ SearchOpts, filter func(uint64) bool) []Result {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := b.all(query, filter)
	if len(out) > k {
		out = out[:k]
	}
	return out
}

func (b *tmpBruteForce) Range(query []byte, radius float64, _ SearchOpts, filter func(uint64) bool) []Result {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := b.all(query, filter)
	n := 0
	for n < len(out) && out[n].Dist <= radius {
		n++
	}
	return out[:n]
}

func (b *tmpBruteForce) Distance(label uint64, query []byte) (float64, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	v, ok := b.vecs[label]
	if !ok {
		return 0, false
	}
	return b.dist(v, b.decode(query)), true
}

func (b *tmpBruteForce) Batches(query []byte, _ SearchOpts) BatchIterator {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return &sliceBatches{all: b.all(query, nil)}
}

type sliceBatches struct {
	all []Result
	pos int
}

func (s *sliceBatches) Next(n int) []Result {
	end := min(s.pos+n, len(s.all))
	out := s.all[s.pos:end]
	s.pos = end
	return append([]Result(nil), out...)
}

func (s *sliceBatches) Done() bool { return s.pos >= len(s.all) }

func (b *tmpBruteForce) PreferAdHoc(subsetSize, k int, initial bool) bool { return subsetSize < 1000 }

func (b *tmpBruteForce) MemoryBytes() int64 {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return int64(len(b.vecs) * (8*b.p.Dim + 48))
}
