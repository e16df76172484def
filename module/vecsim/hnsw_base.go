package vecsim

import (
	"math"
	"slices"
	"sync"
	"unsafe"
)

// This file holds what the graph indexes (HNSW, SVS-VAMANA) and the tiered
// wrapper share: the metric space of a field, blocked vector storage, the
// candidate heaps of a graph search and the pool of visited lists.

// float is the storage type of a graph index: float64 for FLOAT64 fields,
// float32 for every other element type (see kernels.go).
type float interface{ float32 | float64 }

const (
	invalidID = ^uint32(0)

	// Storage grows by blocks of blockLen vectors (the module's
	// DEFAULT_BLOCK_SIZE; 8.2 ignores a user BLOCK_SIZE for HNSW and
	// SVS-VAMANA). A power of two, so an id splits with a shift and a mask.
	blockShift = 10
	blockLen   = 1 << blockShift
	blockMask  = blockLen - 1
)

// gspace is the field's space (convert.go: VecSim's storage and distance
// for every element type and metric) as a graph of storage type T calls it.
type gspace[T float] struct {
	*space
	dist func(a, b []T) T // dist32 or dist64
	// gather: the gather kernels give dist32 for this space (FLOAT32,
	// FLOAT16 and BFLOAT16 from VecSim's SIMD threshold on).
	gather gatherKind
}

type gatherKind uint8

const (
	gatherNone gatherKind = iota
	gatherDot             // 1 - dot (IP, COSINE)
	gatherL2
)

func newGSpace[T float](p *Params) gspace[T] {
	s := newSpace(p)
	var f any
	switch any(T(0)).(type) {
	case float32:
		f = s.dist32
	case float64:
		f = s.dist64
	}
	g := gspace[T]{space: s, dist: f.(func(a, b []T) T)}
	if _, ok := any(T(0)).(float32); ok && gatherKernels && simdKernels && !s.naive && !s.integer {
		g.gather = gatherDot
		if s.metric == L2 {
			g.gather = gatherL2
		}
	}
	return g
}

// one is dist(a, b), straight to the gather kernel where the space has
// one (no closure, no checks: the graphs' single distances).
func (s *gspace[T]) one(a, b []T) T {
	if s.gather == gatherNone {
		return s.dist(a, b)
	}
	var o float32
	p := unsafe.Pointer(&b[0])
	if s.gather == gatherDot {
		dotGatherF32AVX2((*float32)(unsafe.Pointer(&a[0])), &p, s.dim, 1, &o)
		return T(1 - o)
	}
	l2GatherF32AVX2((*float32)(unsafe.Pointer(&a[0])), &p, s.dim, 1, &o)
	return T(o)
}

// prepare converts a blob into dst (stride elements) as the module
// prepares both stored vectors and queries.
func (s *gspace[T]) prepare(blob []byte, dst []T) {
	switch d := any(dst).(type) {
	case []float32:
		s.prepare32(blob, d)
	case []float64:
		s.prepare64(blob, d)
	}
}

func (s *gspace[T]) vector(blob []byte) []T {
	v := make([]T, s.stride)
	s.prepare(blob, v)
	return v
}

// radius is a range query's radius as the index compares it: VecSim
// converts it to the distance type (DistType(radius)).
func (s *gspace[T]) radius(r float64) float64 {
	if s.wide {
		return r
	}
	return float64(float32(r))
}

// vecStore holds vectors in blocks of blockLen, id-addressed, so that
// growing never copies the vectors already stored.
type vecStore[T float] struct {
	dim    int // the space's stride
	blocks [][]T
}

func (v *vecStore[T]) at(id uint32) []T {
	b := v.blocks[id>>blockShift]
	o := int(id&blockMask) * v.dim
	return b[o : o+v.dim : o+v.dim]
}

// ensure makes room for ids below n.
func (v *vecStore[T]) ensure(n int) {
	for len(v.blocks)*blockLen < n {
		v.blocks = append(v.blocks, make([]T, blockLen*v.dim))
	}
}

// shrink releases the blocks past the one holding id n-1.
func (v *vecStore[T]) shrink(n int) {
	keep := (n + blockLen - 1) / blockLen
	for i := keep; i < len(v.blocks); i++ {
		v.blocks[i] = nil
	}
	v.blocks = v.blocks[:keep]
}

func (v *vecStore[T]) bytes() int64 {
	var t T
	return int64(len(v.blocks)) * blockLen * int64(v.dim) * int64(sizeOf(t))
}

func sizeOf[T float](T) int {
	if _, ok := any(T(0)).(float64); ok {
		return 8
	}
	return 4
}

// linkStore holds one fixed-size neighbour slot per id: slot[0] is the
// number of neighbours, slot[1:1+slot[0]] their ids.
type linkStore struct {
	width  int // 1 + capacity
	blocks [][]uint32
}

func (l *linkStore) slot(id uint32) []uint32 {
	b := l.blocks[id>>blockShift]
	o := int(id&blockMask) * l.width
	return b[o : o+l.width : o+l.width]
}

func (l *linkStore) ensure(n int) {
	for len(l.blocks)*blockLen < n {
		l.blocks = append(l.blocks, make([]uint32, blockLen*l.width))
	}
}

func (l *linkStore) shrink(n int) {
	keep := (n + blockLen - 1) / blockLen
	for i := keep; i < len(l.blocks); i++ {
		l.blocks[i] = nil
	}
	l.blocks = l.blocks[:keep]
}

func (l *linkStore) bytes() int64 { return int64(len(l.blocks)) * blockLen * int64(l.width) * 4 }

// cand is a graph node with its distance to the vector searched for.
type cand[T float] struct {
	d  T
	id uint32
}

func candLess[T float](a, b cand[T]) bool { return a.d < b.d || (a.d == b.d && a.id < b.id) }

// sortCands orders candidates nearest first, ties by id, NaN distances
// last: insertion sort for a few, heapsort beyond (no comparator call, no
// allocation; the order is total, so the result is the one any sort gives).
func sortCands[T float](cs []cand[T]) {
	n := len(cs)
	if n <= 12 {
		for i := 1; i < n; i++ {
			x := cs[i]
			j := i
			for j > 0 && candBefore(x, cs[j-1]) {
				cs[j] = cs[j-1]
				j--
			}
			cs[j] = x
		}
		return
	}
	for i := n/2 - 1; i >= 0; i-- {
		siftDownCands(cs, i, n)
	}
	for end := n - 1; end > 0; end-- {
		cs[0], cs[end] = cs[end], cs[0]
		siftDownCands(cs, 0, end)
	}
}

// candBefore is sortCands' order.
func candBefore[T float](a, b cand[T]) bool {
	switch {
	case a.d < b.d:
		return true
	case a.d == b.d:
		return a.id < b.id
	case a.d > b.d:
		return false
	}
	// A NaN: after every number, NaNs by id.
	an, bn := a.d != a.d, b.d != b.d
	if an != bn {
		return bn
	}
	return a.id < b.id
}

// siftDownCands restores the max-heap (by candBefore) of cs[:n] below i.
func siftDownCands[T float](cs []cand[T], i, n int) {
	x := cs[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && candBefore(cs[c], cs[r]) {
			c = r
		}
		if !candBefore(x, cs[c]) {
			break
		}
		cs[i] = cs[c]
		i = c
	}
	cs[i] = x
}

// heapifyCands makes cs a min-heap by candBefore, from which popCand takes
// the candidates in sortCands' order: for a caller that needs only the
// nearest few of many, cheaper than sorting them all.
func heapifyCands[T float](cs []cand[T]) {
	for i := len(cs)/2 - 1; i >= 0; i-- {
		siftDownMinCands(cs, i, len(cs))
	}
}

// popCand removes the first candidate of the heap cs.
func popCand[T float](cs []cand[T]) (cand[T], []cand[T]) {
	n := len(cs) - 1
	c := cs[0]
	cs[0] = cs[n]
	siftDownMinCands(cs, 0, n)
	return c, cs[:n]
}

func siftDownMinCands[T float](cs []cand[T], i, n int) {
	x := cs[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && candBefore(cs[r], cs[c]) {
			c = r
		}
		if !candBefore(cs[c], x) {
			break
		}
		cs[i] = cs[c]
		i = c
	}
	cs[i] = x
}

// minHeap pops the nearest candidate first.
type minHeap[T float] []cand[T]

// The sifts move a hole rather than swapping, and make the same
// comparisons as swapping would: the heap's layout is the same.
func (h *minHeap[T]) push(c cand[T]) {
	s := append(*h, c)
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !candLess(c, s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = c
	*h = s
}

func (h minHeap[T]) top() cand[T] { return h[0] }

func (h *minHeap[T]) pop() cand[T] {
	s := *h
	r := s[0]
	n := len(s) - 1
	x := s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && candLess(s[r], s[l]) {
			m = r
		}
		if !candLess(s[m], x) {
			break
		}
		s[i] = s[m]
		i = m
	}
	if n > 0 {
		s[i] = x
	}
	*h = s
	return r
}

// maxHeap pops the farthest candidate first.
type maxHeap[T float] []cand[T]

func (h *maxHeap[T]) push(c cand[T]) {
	s := append(*h, c)
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !candLess(s[p], c) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = c
	*h = s
}

// replaceTop puts c in place of the farthest candidate.
func (h maxHeap[T]) replaceTop(c cand[T]) {
	n := len(h)
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && candLess(h[l], h[r]) {
			m = r
		}
		if !candLess(c, h[m]) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = c
}

func (h maxHeap[T]) top() cand[T] { return h[0] }

func (h *maxHeap[T]) pop() cand[T] {
	s := *h
	r := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && candLess(s[l], s[r]) {
			m = r
		}
		if !candLess(s[i], s[m]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return r
}

// visited marks the nodes a search has seen: one bit per id, so that the
// set of a 50 000-node graph (6 KB) stays in L1 while vectors stream
// through the cache (a uint16 tag per id, 100 KB, did not: its reads were
// a tenth of an insert). A search clears it at reset: the words it set, as
// logged, while they are few, else the whole set.
type visited struct {
	bits []uint64
	log  []uint32 // words set since the last reset, while not full
	over bool     // log full: reset clears every word
}

func (v *visited) reset(n int) {
	words := (n + 63) >> 6
	if len(v.bits) < words {
		v.bits = make([]uint64, max(words, 2*len(v.bits)))
		v.log = make([]uint32, 0, max(16, len(v.bits)/8))
		v.over = false
		return
	}
	if v.over {
		clear(v.bits)
	} else {
		for _, w := range v.log {
			v.bits[w] = 0
		}
	}
	v.log = v.log[:0]
	v.over = false
}

// visit marks id and reports whether it was already marked.
func (v *visited) visit(id uint32) bool {
	w := id >> 6
	x := v.bits[w]
	b := uint64(1) << (id & 63)
	if x&b != 0 {
		return true
	}
	if x == 0 {
		v.logWord(w)
	}
	v.bits[w] = x | b
	return false
}

func (v *visited) logWord(w uint32) {
	if len(v.log) < cap(v.log) {
		v.log = append(v.log, w)
	} else {
		v.over = true
	}
}

func (v *visited) seen(id uint32) bool { return v.bits[id>>6]&(uint64(1)<<(id&63)) != 0 }

// unvisited appends to out the ids not marked yet, and marks them (a
// repeated id is marked by its first). No branch on whether an id was
// seen, which no predictor guesses.
func (v *visited) unvisited(ids []uint32, out []uint32) []uint32 {
	k := len(out)
	out = slices.Grow(out, len(ids))[:k+len(ids)]
	bits := v.bits
	for _, id := range ids {
		w := id >> 6
		x := bits[w]
		if x == 0 {
			v.logWord(w)
		}
		bits[w] = x | uint64(1)<<(id&63)
		out[k] = id
		k += int(x>>(id&63)&1 ^ 1)
	}
	return out[:k]
}

// searchCtx is the scratch state of one graph search; a pool reuses them
// across searches (the module's visited-list pool), so a search allocates
// nothing but its result.
type searchCtx[T float] struct {
	vis   visited
	cand  minHeap[T]
	top   maxHeap[T]
	buf   []cand[T]
	sel   []cand[T]
	ids   []uint32
	q     []T
	dists []T
	ptrs  []unsafe.Pointer
	lptrs []unsafe.Pointer
}

// distances sets c.dists[:len(ids)] to the distances between q and the
// vectors of ids, and returns it: where the space allows, with the gather
// kernels, whose prefetching overlaps the vectors' cache misses (VecSim
// prefetches the next neighbour's vector for the same reason), bit for bit
// as dist would.
func distances[T float](sp *gspace[T], vs *vecStore[T], c *searchCtx[T], q []T, ids []uint32) []T {
	n := len(ids)
	if cap(c.dists) < n {
		c.dists = make([]T, n, 2*n)
		c.ptrs = make([]unsafe.Pointer, 0, 2*n)
	}
	ds := c.dists[:n]
	if n == 0 {
		return ds
	}
	ptrs := c.ptrs[:n]
	for i, id := range ids {
		b := vs.blocks[id>>blockShift]
		ptrs[i] = unsafe.Pointer(&b[int(id&blockMask)*vs.dim])
	}
	switch sp.gather {
	case gatherDot, gatherL2:
		gatherDistances(sp.gather, unsafe.Pointer(&q[0]), ptrs, sp.dim, unsafe.Slice((*float32)(unsafe.Pointer(&ds[0])), n))
	default:
		for i, id := range ids {
			ds[i] = sp.dist(q, vs.at(id))
		}
	}
	clear(ptrs) // no stale pointer keeps a released block alive
	return ds
}

// prefetchAhead is how many vectors gatherDistances prefetches ahead of the
// ones it measures.
const prefetchAhead = 4

// gatherDistances sets out[i] to the distance (kind: 1 - dot, or L2) between
// the float32 query q and the dim-element vector at ptrs[i], bit for bit as
// dist32 computes it. The vectors are prefetched a few at a time, the next
// few while these are measured: prefetching all of them at once (some 120
// cache lines for a graph node's neighbours) stalls on the core's
// outstanding-miss slots (searchbench -vectors HNSW, A/B alternated: TopK
// 22.9-27.4 vs 25.6-36.7 CPU µs, Add 114-149 vs 134-184).
func gatherDistances(kind gatherKind, q unsafe.Pointer, ptrs []unsafe.Pointer, dim int, out []float32) {
	n := len(ptrs)
	if n == 0 {
		return
	}
	kernel := l2GatherF32AVX2
	if kind == gatherDot {
		kernel = dotGatherF32AVX2
	}
	bytes := 4 * dim
	prefetchVecs(&ptrs[0], min(n, prefetchAhead), bytes)
	for lo := 0; lo < n; lo += prefetchAhead {
		hi := min(n, lo+prefetchAhead)
		if hi < n {
			prefetchVecs(&ptrs[hi], min(n, hi+prefetchAhead)-hi, bytes)
		}
		kernel((*float32)(q), &ptrs[lo], dim, hi-lo, &out[lo])
	}
	if kind == gatherDot {
		for i, d := range out {
			out[i] = 1 - d
		}
	}
}

type ctxPool[T float] struct {
	mu   sync.Mutex
	free []*searchCtx[T]
}

// get returns a context whose visited list covers ids below n.
func (p *ctxPool[T]) get(n int) *searchCtx[T] {
	p.mu.Lock()
	var c *searchCtx[T]
	if k := len(p.free); k > 0 {
		c = p.free[k-1]
		p.free = p.free[:k-1]
	}
	p.mu.Unlock()
	if c == nil {
		c = &searchCtx[T]{}
	}
	c.vis.reset(n)
	c.cand = c.cand[:0]
	c.top = c.top[:0]
	return c
}

func (p *ctxPool[T]) put(c *searchCtx[T]) {
	p.mu.Lock()
	p.free = append(p.free, c)
	p.mu.Unlock()
}

func (p *ctxPool[T]) bytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var n int64
	for _, c := range p.free {
		n += int64(cap(c.vis.bits))*8 + int64(cap(c.vis.log))*4
	}
	return n
}

// mergeResults merges two sorted result lists into the k nearest.
func mergeResults(a, b []Result, k int) []Result {
	out := make([]Result, 0, min(k, len(a)+len(b)))
	i, j := 0, 0
	for len(out) < k && (i < len(a) || j < len(b)) {
		if j >= len(b) || (i < len(a) && !resultLess(b[j], a[i])) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// mapBytes estimates the memory of a Go map from uint64 to uint32 of n
// entries (swiss table: 8-slot groups of 12-byte slots and a control word,
// at most 7/8 full).
func mapBytes(n int) int64 {
	if n == 0 {
		return 0
	}
	slots := 8
	for slots*7/8 < n {
		slots *= 2
	}
	return int64(slots)*16 + int64(slots/8)*8
}

var inf32 = float32(math.Inf(1))

func infOf[T float]() T {
	if _, ok := any(T(0)).(float64); ok {
		return T(math.Inf(1))
	}
	return T(inf32)
}
