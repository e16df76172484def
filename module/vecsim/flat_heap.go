package vecsim

// topHeap is the k-best heap of VecSim's searches: a max-heap of
// (distance, label) pairs ordered as std::pair's operator< orders them
// (distance, then label), run with the algorithms of libstdc++'s
// std::priority_queue (push_heap, pop_heap). For numbers any max-heap
// would give the same results; NaN distances (zero vectors under COSINE)
// compare neither below nor above anything, the pair order then falls
// through to the labels, and what such a heap keeps depends on the exact
// moves of the algorithm: these are libstdc++'s, so a NaN lands where it
// lands in VecSim.
type topHeap struct {
	items []topItem
	k     int
}

type topItem struct {
	d     float64
	label uint64
}

// pairLess is std::pair<DistType, labelType>'s operator<.
func pairLess(a, b topItem) bool {
	return a.d < b.d || (!(b.d < a.d) && a.label < b.label)
}

// offer is VecSim's "emplace; if more than k, pop" and returns the new
// worst distance (the heap's top), the bound a next vector must beat.
func (h *topHeap) offer(d float64, label uint64) float64 {
	h.push(topItem{d, label})
	if len(h.items) > h.k {
		h.pop()
	}
	return h.items[0].d
}

// push is std::push_heap after push_back.
func (h *topHeap) push(it topItem) {
	h.items = append(h.items, it)
	h.siftUp(len(h.items)-1, 0, it)
}

// siftUp is libstdc++'s __push_heap: move the value at hole up while its
// parent is less than it, not above top.
func (h *topHeap) siftUp(hole, top int, it topItem) {
	a := h.items
	parent := (hole - 1) / 2
	for hole > top && pairLess(a[parent], it) {
		a[hole] = a[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	a[hole] = it
}

// pop is std::pop_heap then pop_back: the last item is taken out, the top
// goes to the end (and is dropped), and libstdc++'s __adjust_heap moves
// the hole left at the top down to a leaf along the greater children, then
// sifts the taken item up from there.
func (h *topHeap) pop() topItem {
	a := h.items
	last := len(a) - 1
	top := a[0]
	it := a[last]
	a[last] = top
	n := last // the heap without the last slot
	hole, child := 0, 0
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if pairLess(a[child], a[child-1]) {
			child--
		}
		a[hole] = a[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		a[hole] = a[child-1]
		hole = child - 1
	}
	if n > 0 {
		h.siftUp(hole, 0, it)
	}
	h.items = a[:last]
	return top
}

// drain empties the heap into results, last popped first: nearest first,
// ties by label (VecSim fills its reply from the end while popping).
func (h *topHeap) drain() []Result {
	res := make([]Result, len(h.items))
	for i := len(res) - 1; i >= 0; i-- {
		it := h.pop()
		res[i] = Result{Label: it.label, Dist: it.d}
	}
	return res
}
