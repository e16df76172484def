package vecsim

import "slices"

// Batches is VecSim's BF_BatchIterator: the query is copied, and the first
// Next computes the distance of every vector the index then holds, once;
// each Next(n) then returns the n nearest of those not returned yet,
// nearest first, ties by label (NaN distances after all numbers). Later
// changes to the index are not seen. Done reports that every vector
// counted at the first Next (before it: at creation) was returned.
//
// Deviation: VecSim picks the n nearest with a heap when few are asked
// (remaining/1000 > n), which at a tie on the n-th distance keeps the
// vector it meets first in its score array, and with nth_element
// otherwise (which keeps the smaller label, as here); the batch's set then
// differs from ours only in which of equally distant vectors straddling a
// batch boundary comes first.
func (f *flatIndex) Batches(query []byte, _ SearchOpts) BatchIterator {
	it := &flatBatches{f: f, query: slices.Clone(query)}
	f.mu.RLock()
	it.total = f.count
	f.mu.RUnlock()
	return it
}

type flatBatches struct {
	f        *flatIndex
	query    []byte
	scores   []Result // nil until the first Next
	computed bool
	next     int // scores[:next] were returned
	total    int
}

func (it *flatBatches) compute() {
	f := it.f
	f.mu.RLock()
	defer f.mu.RUnlock()
	it.computed = true
	it.total = f.count
	if f.count == 0 {
		return
	}
	q := f.prepareQuery(it.query)
	defer q.release()
	it.scores = make([]Result, 0, f.count)
	for bi, b := range f.blocks {
		n := f.distances(q, bi)
		for i := 0; i < n; i++ {
			var d float64
			if f.sp.wide {
				d = q.d64[i]
			} else {
				d = float64(q.d32[i])
			}
			it.scores = append(it.scores, Result{b.labels[i], d})
		}
	}
}

func (it *flatBatches) Next(n int) []Result {
	if !it.computed {
		it.compute()
	}
	rest := it.scores[it.next:]
	n = min(n, len(rest))
	if n <= 0 {
		return nil
	}
	if n < len(rest) {
		selectNearest(rest, n)
	}
	batch := slices.Clone(rest[:n])
	sortResults(batch)
	it.next += n
	return batch
}

func (it *flatBatches) Done() bool {
	if !it.computed {
		return it.total == 0
	}
	return it.next >= len(it.scores)
}

// resultLess is the order of sortResults.
func resultLess(a, b Result) bool {
	if c := cmpDist(a.Dist, b.Dist); c != 0 {
		return c < 0
	}
	return a.Label < b.Label
}

// selectNearest moves the n nearest results of r (by resultLess) to r[:n],
// in no particular order: quickselect, median of three, O(len(r)) on
// average.
func selectNearest(r []Result, n int) {
	lo, hi := 0, len(r)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three to r[hi] as the pivot
		if resultLess(r[mid], r[lo]) {
			r[mid], r[lo] = r[lo], r[mid]
		}
		if resultLess(r[hi], r[lo]) {
			r[hi], r[lo] = r[lo], r[hi]
		}
		if resultLess(r[mid], r[hi]) {
			r[mid], r[hi] = r[hi], r[mid]
		}
		p := r[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if resultLess(r[j], p) {
				r[i], r[j] = r[j], r[i]
				i++
			}
		}
		r[i], r[hi] = r[hi], r[i]
		switch {
		case i == n || i == n-1:
			return
		case i < n:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
}
