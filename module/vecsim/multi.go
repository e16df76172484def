package vecsim

import (
	"math"
	"slices"
	"sync"
)

// multiIndex is a multi-value index (VecSim's *_Multi indexes, which the
// module creates for a VECTOR field ON JSON whose path is not static): a
// label holds any number of vectors. It wraps a single-value index of the
// same parameters in which every vector has an id of its own, and maps the
// ids to their labels; the graph code does not know.
//
// Its answers are the multi index's: each label once, at the distance of
// its nearest vector; k counts labels; Size counts vectors (VecSim's
// indexSize) and LabelCount labels (indexLabelCount); Delete removes every
// vector of the label.
//
// Ids are never reused, so an id a batch iterator returns after its vector
// was deleted maps to no label and is skipped.
type multiIndex struct {
	p     Params
	inner Index

	mu     sync.RWMutex
	ids    map[uint64][]uint64 // label -> its vectors' ids
	owner  map[uint64]uint64   // id -> label
	nextID uint64
}

// MultiValue is implemented by a multi-value index.
type MultiValue interface {
	// LabelCount is the number of labels held (VecSim's indexLabelCount).
	LabelCount() int
	// DeleteAll removes every vector of a label and returns how many.
	DeleteAll(label uint64) int
}

// LabelCount is the number of labels an index holds: Size for a
// single-value index.
func LabelCount(ix Index) int {
	if m, ok := ix.(MultiValue); ok {
		return m.LabelCount()
	}
	return ix.Size()
}

func newMulti(p Params, o Options) *multiIndex {
	single := p
	single.Multi = false
	return &multiIndex{
		p:     p,
		inner: New(single, o),
		ids:   make(map[uint64][]uint64),
		owner: make(map[uint64]uint64),
	}
}

func (m *multiIndex) Params() *Params { return &m.p }

// Add adds one more vector to the label (it replaces none).
func (m *multiIndex) Add(label uint64, blob []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextID
	m.nextID++
	m.ids[label] = append(m.ids[label], id)
	m.owner[id] = label
	m.inner.Add(id, blob)
}

func (m *multiIndex) Delete(label uint64) bool { return m.DeleteAll(label) > 0 }

func (m *multiIndex) DeleteAll(label uint64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := m.ids[label]
	for _, id := range ids {
		m.inner.Delete(id)
		delete(m.owner, id)
	}
	delete(m.ids, label)
	return len(ids)
}

func (m *multiIndex) Size() int { return m.inner.Size() }

func (m *multiIndex) LabelCount() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.ids)
}

// innerFilter is the label filter as a filter of ids. It runs under m's
// read lock, which the caller holds.
func (m *multiIndex) innerFilter(filter func(uint64) bool) func(uint64) bool {
	if filter == nil {
		return nil
	}
	return func(id uint64) bool {
		l, ok := m.owner[id]
		return ok && filter(l)
	}
}

// dedup keeps the first (nearest) result of each label, as labels.
func (m *multiIndex) dedup(found []Result, seen map[uint64]bool, out []Result) []Result {
	for _, r := range found {
		l, ok := m.owner[r.Label]
		if !ok || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, Result{Label: l, Dist: r.Dist})
	}
	return out
}

// TopK is the k nearest labels, each at its nearest vector's distance: the
// single-value search is asked for more vectors until k labels are found
// or the vectors run out.
func (m *multiIndex) TopK(query []byte, k int, opts SearchOpts, filter func(uint64) bool) []Result {
	if k <= 0 {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	f := m.innerFilter(filter)
	total := m.inner.Size()
	for n := k; ; n *= 2 {
		found := m.inner.TopK(query, n, opts, f)
		res := m.dedup(found, make(map[uint64]bool, len(found)), nil)
		if len(res) >= k || len(found) < n || n >= total {
			if len(res) > k {
				res = res[:k]
			}
			sortResults(res)
			return res
		}
	}
}

// Range is every label with a vector within radius, at its nearest
// vector's distance.
func (m *multiIndex) Range(query []byte, radius float64, opts SearchOpts, filter func(uint64) bool) []Result {
	m.mu.RLock()
	defer m.mu.RUnlock()
	inner := opts
	inner.ByID = false // nearest first, so a label's first is its nearest
	found := m.inner.Range(query, radius, inner, m.innerFilter(filter))
	res := m.dedup(found, make(map[uint64]bool, len(found)), nil)
	orderResults(res, opts.ByID)
	return res
}

// Distance is the distance of the label's nearest vector (VecSim's
// getDistanceFrom of a multi index).
func (m *multiIndex) Distance(label uint64, query []byte) (float64, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	best, ok := math.Inf(1), false
	for _, id := range m.ids[label] {
		if d, has := m.inner.Distance(id, query); has && !math.IsNaN(d) {
			best, ok = min(best, d), true
		}
	}
	if !ok {
		return math.NaN(), false
	}
	return best, true
}

// Batches returns each label once, at its first (nearest) vector.
func (m *multiIndex) Batches(query []byte, opts SearchOpts) BatchIterator {
	return &multiBatches{m: m, it: m.inner.Batches(query, opts), seen: make(map[uint64]bool)}
}

type multiBatches struct {
	m       *multiIndex
	it      BatchIterator
	seen    map[uint64]bool
	pending []Result // labels found and not returned yet
}

func (b *multiBatches) Next(n int) []Result {
	for len(b.pending) < n && !b.it.Done() {
		found := b.it.Next(max(n, 1))
		if len(found) == 0 {
			break
		}
		b.m.mu.RLock()
		b.pending = b.m.dedup(found, b.seen, b.pending)
		b.m.mu.RUnlock()
	}
	k := min(n, len(b.pending))
	out := slices.Clone(b.pending[:k])
	b.pending = b.pending[k:]
	return out
}

func (b *multiBatches) Done() bool { return len(b.pending) == 0 && b.it.Done() }

// PreferAdHoc is the single-value index's heuristic with the multi index's
// figures: its size in vectors, its ratio over labels.
func (m *multiIndex) PreferAdHoc(subsetSize, k int, _ bool) bool {
	return preferAdHoc(m.p.Algo, m.inner.Size(), max(m.LabelCount(), 1), m.p.Dim, m.p.M, subsetSize, k)
}

// MemoryBytes is the single-value index's and the maps' (about 48 bytes a
// vector between the two maps and the id slices).
func (m *multiIndex) MemoryBytes() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.inner.MemoryBytes() + int64(len(m.owner))*48 + int64(len(m.ids))*40
}

func (m *multiIndex) Pending() int { return m.inner.Pending() }
func (m *multiIndex) Flush()       { m.inner.Flush() }
func (m *multiIndex) Close()       { m.inner.Close() }
