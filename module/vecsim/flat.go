package vecsim

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// DefaultBlockSize is VecSim's DEFAULT_BLOCK_SIZE, the number of vectors of
// one storage block when FT.CREATE gives no BLOCK_SIZE.
const DefaultBlockSize = 1024

// flatIndex is the FLAT algorithm, VecSim's BruteForceIndex_Single: vectors
// in blocks of blockSize, each block one contiguous slice (no allocation per
// vector), internal ids 0..count-1 in insertion order, a label→id table, and
// deletion by moving the last vector into the hole so that ids stay dense.
// Searches scan every block with the block kernels.
type flatIndex struct {
	p  Params
	sp *space

	mu        sync.RWMutex
	blockSize int
	blocks    []*flatBlock
	count     int
	ids       labelTable
}

// flatBlock holds the vectors of ids [i·blockSize, (i+1)·blockSize) and
// their labels (VecSim's VectorBlock and idToLabelMapping).
type flatBlock struct {
	v32    []float32 // blockSize × stride, all but FLOAT64
	v64    []float64 // blockSize × stride, FLOAT64
	labels []uint64  // blockSize
}

// newFlat makes an empty FLAT index for p (p.Algo is not looked at: the
// tiered HNSW index uses a FLAT index as its buffer).
func newFlat(p *Params) *flatIndex {
	bs := p.BlockSize
	if bs <= 0 {
		bs = DefaultBlockSize
	}
	return &flatIndex{p: *p, sp: newSpace(p), blockSize: bs}
}

func (f *flatIndex) Params() *Params { return &f.p }

func (f *flatIndex) Size() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.count
}

func (f *flatIndex) newBlock() *flatBlock {
	b := &flatBlock{labels: make([]uint64, f.blockSize)}
	if f.sp.wide {
		b.v64 = make([]float64, f.blockSize*f.sp.stride)
	} else {
		b.v32 = make([]float32, f.blockSize*f.sp.stride)
	}
	return b
}

// slot is where an id's vector is held.
func (f *flatIndex) slot(id int) (*flatBlock, int) {
	return f.blocks[id/f.blockSize], id % f.blockSize
}

// Add stores a label's vector, in place of its vector if it has one (as
// VecSim's single-value indexes do).
func (f *flatIndex) Add(label uint64, blob []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.ids.get(label); ok {
		b, off := f.slot(int(id))
		f.prepareInto(b, off, blob)
		return
	}
	id := f.count
	if id == len(f.blocks)*f.blockSize {
		f.blocks = append(f.blocks, f.newBlock())
	}
	b, off := f.slot(id)
	f.prepareInto(b, off, blob)
	b.labels[off] = label
	f.ids.set(label, uint32(id))
	f.count++
}

func (f *flatIndex) prepareInto(b *flatBlock, off int, blob []byte) {
	st := f.sp.stride
	if f.sp.wide {
		f.sp.prepare64(blob, b.v64[off*st:(off+1)*st])
	} else {
		f.sp.prepare32(blob, b.v32[off*st:(off+1)*st])
	}
}

// Delete removes a label's vector: the last vector moves into its slot,
// and a last block left empty is freed (VecSim's removeVector).
func (f *flatIndex) Delete(label uint64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.ids.get(label)
	if !ok {
		return false
	}
	f.ids.remove(label)
	last := f.count - 1
	lb, loff := f.slot(last)
	if int(id) != last {
		b, off := f.slot(int(id))
		st := f.sp.stride
		if f.sp.wide {
			copy(b.v64[off*st:(off+1)*st], lb.v64[loff*st:(loff+1)*st])
		} else {
			copy(b.v32[off*st:(off+1)*st], lb.v32[loff*st:(loff+1)*st])
		}
		moved := lb.labels[loff]
		b.labels[off] = moved
		f.ids.set(moved, id)
	}
	f.count--
	if loff == 0 {
		f.blocks[len(f.blocks)-1] = nil
		f.blocks = f.blocks[:len(f.blocks)-1]
		if len(f.blocks) == 0 {
			f.blocks = nil
		}
	}
	return true
}

// flatQuery is a prepared query and the scratch of one search.
type flatQuery struct {
	q32  []float32
	q64  []float64
	d32  []float32
	d64  []float64
	heap topHeap
}

var flatQueries sync.Pool

// prepareQuery converts a query blob as stored vectors are converted;
// release gives the scratch back.
func (f *flatIndex) prepareQuery(blob []byte) *flatQuery {
	q, _ := flatQueries.Get().(*flatQuery)
	if q == nil {
		q = &flatQuery{}
	}
	st := f.sp.stride
	if f.sp.wide {
		q.q64 = slices.Grow(q.q64[:0], st)[:st]
		f.sp.prepare64(blob, q.q64)
	} else {
		q.q32 = slices.Grow(q.q32[:0], st)[:st]
		f.sp.prepare32(blob, q.q32)
	}
	return q
}

func (q *flatQuery) release() {
	q.heap.items = q.heap.items[:0]
	flatQueries.Put(q)
}

// distances fills the query's scratch with the distances of block i's
// vectors and returns how many it holds.
func (f *flatIndex) distances(q *flatQuery, i int) int {
	n := min(f.blockSize, f.count-i*f.blockSize)
	b := f.blocks[i]
	st := f.sp.stride
	if f.sp.wide {
		q.d64 = slices.Grow(q.d64[:0], n)[:n]
		f.sp.block64(q.q64, b.v64[:n*st], q.d64)
	} else {
		q.d32 = slices.Grow(q.d32[:0], n)[:n]
		f.sp.block32(q.q32, b.v32[:n*st], q.d32)
	}
	return n
}

// dist is the distance of one id's vector to the query.
func (f *flatIndex) dist(q *flatQuery, id int) float64 {
	b, off := f.slot(id)
	st := f.sp.stride
	if f.sp.wide {
		return f.sp.dist64(b.v64[off*st:(off+1)*st], q.q64)
	}
	return float64(f.sp.dist32(b.v32[off*st:(off+1)*st], q.q32))
}

// TopK is VecSim's BruteForceIndex::topKQuery: every distance, kept in a
// max-heap of k (distance, label) pairs that a vector enters while the
// heap holds fewer than k or when its distance is below the heap's worst
// (strictly: at a tie with the worst, the vector met first in id order
// stays); the heap's content nearest first, ties by label. A filter, when
// given, is asked before a vector's distance is computed.
func (f *flatIndex) TopK(query []byte, k int, _ SearchOpts, filter func(uint64) bool) []Result {
	if k <= 0 {
		return nil
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.count == 0 {
		return nil
	}
	q := f.prepareQuery(query)
	defer q.release()
	h := &q.heap
	h.k = k
	upper := math.Inf(-1) // VecSim: numeric_limits<DistType>::lowest()
	for bi, b := range f.blocks {
		if filter != nil {
			n := min(f.blockSize, f.count-bi*f.blockSize)
			for i := 0; i < n; i++ {
				if !filter(b.labels[i]) {
					continue
				}
				d := f.dist(q, bi*f.blockSize+i)
				if d < upper || len(h.items) < k {
					upper = h.offer(d, b.labels[i])
				}
			}
			continue
		}
		n := f.distances(q, bi)
		if f.sp.wide {
			for i, d := range q.d64[:n] {
				if d < upper || len(h.items) < k {
					upper = h.offer(d, b.labels[i])
				}
			}
		} else {
			for i, d32 := range q.d32[:n] {
				if d := float64(d32); d < upper || len(h.items) < k {
					upper = h.offer(d, b.labels[i])
				}
			}
		}
	}
	return h.drain()
}

// Range is every vector whose distance is at most radius, the radius
// rounded to the distance type first (VecSim: DistType(radius)), nearest
// first, ties by label. NaN distances are never in range.
func (f *flatIndex) Range(query []byte, radius float64, opts SearchOpts, filter func(uint64) bool) []Result {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.count == 0 {
		return nil
	}
	if !f.sp.wide {
		radius = float64(float32(radius))
	}
	q := f.prepareQuery(query)
	defer q.release()
	var res []Result
	for bi, b := range f.blocks {
		n := min(f.blockSize, f.count-bi*f.blockSize)
		if filter != nil {
			for i := 0; i < n; i++ {
				if filter(b.labels[i]) {
					if d := f.dist(q, bi*f.blockSize+i); d <= radius {
						res = append(res, Result{b.labels[i], d})
					}
				}
			}
			continue
		}
		f.distances(q, bi)
		for i := 0; i < n; i++ {
			var d float64
			if f.sp.wide {
				d = q.d64[i]
			} else {
				d = float64(q.d32[i])
			}
			if d <= radius {
				res = append(res, Result{b.labels[i], d})
			}
		}
	}
	orderResults(res, opts.ByID)
	return res
}

// Distance is the distance between a label's vector and the query (the
// ad-hoc brute-force mode computes one per candidate document).
func (f *flatIndex) Distance(label uint64, query []byte) (float64, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	id, ok := f.ids.get(label)
	if !ok {
		return 0, false
	}
	q := f.prepareQuery(query)
	defer q.release()
	return f.dist(q, int(id)), true
}

// PreferAdHoc is VecSim's BruteForceIndex::preferAdHocSearch.
func (f *flatIndex) PreferAdHoc(subsetSize, k int, _ bool) bool {
	n := f.Size()
	return preferAdHoc(Flat, n, n, f.p.Dim, 0, subsetSize, k)
}

// MemoryBytes counts what the index allocated: the blocks (vectors and
// labels, whole blocks as allocated), the block list, the label table and
// the index itself.
func (f *flatIndex) MemoryBytes() int64 {
	f.mu.RLock()
	defer f.mu.RUnlock()
	const blockHeader = 3 * 24 // a flatBlock: three slice headers
	const indexHeader = 256    // flatIndex, its space and lock, rounded up
	var m int64 = indexHeader + int64(cap(f.blocks))*8 + f.ids.memoryBytes()
	for _, b := range f.blocks {
		m += blockHeader + int64(cap(b.labels))*8 +
			int64(cap(b.v32))*4 + int64(cap(b.v64))*8
	}
	return m
}

// each calls fn with every held vector (prepared form, stride elements;
// v32 for float32 spaces, v64 for FLOAT64) and its label, in id order,
// under the read lock; fn must not keep the slices nor call the index.
func (f *flatIndex) each(fn func(label uint64, v32 []float32, v64 []float64)) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	st := f.sp.stride
	for id := 0; id < f.count; id++ {
		b, off := f.slot(id)
		if f.sp.wide {
			fn(b.labels[off], nil, b.v64[off*st:(off+1)*st])
		} else {
			fn(b.labels[off], b.v32[off*st:(off+1)*st], nil)
		}
	}
}

// orderResults orders results by label (byID) or nearest first.
func orderResults(res []Result, byID bool) {
	if !byID {
		sortResults(res)
		return
	}
	slices.SortFunc(res, func(a, b Result) int { return cmp.Compare(a.Label, b.Label) })
}

// sortResults orders results nearest first, ties by label, NaN distances
// last.
func sortResults(res []Result) {
	slices.SortFunc(res, func(a, b Result) int {
		if c := cmpDist(a.Dist, b.Dist); c != 0 {
			return c
		}
		switch {
		case a.Label < b.Label:
			return -1
		case a.Label > b.Label:
			return 1
		}
		return 0
	})
}

// cmpDist orders distances, NaN after every number.
func cmpDist(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	}
	return -1
}
