package vecsim

import "unsafe"

// topK is VecSim's topKQuery: a greedy descent to level 0, then a beam
// search of width max(EF_RUNTIME, k); the k nearest are returned.
func (g *hnsw[T]) topK(q []T, k int, opts SearchOpts, filter func(uint64) bool) []Result {
	if g.entry == invalidID || k <= 0 {
		return nil
	}
	ef := opts.EFRuntime
	if ef <= 0 {
		ef = g.efRT
	}
	ef = max(ef, k)
	c := g.ctx.get(g.n)
	ep, d := g.descend(c, q, false)
	g.searchLayer(c, q, ep, d, 0, ef, filter)
	for len(c.top) > k {
		c.top.pop()
	}
	res := make([]Result, len(c.top))
	for i := range res {
		x := c.top[i]
		res[i] = Result{Label: g.labels[x.id], Dist: float64(x.d)}
	}
	g.ctx.put(c)
	sortResults(res)
	return res
}

// rangeSearch is VecSim's dynamic range search: from the level-0 entry the
// search keeps expanding candidates closer than the boundary, which starts
// at max(radius, distance of the entry) widened by EPSILON (relative) and
// shrinks with the nearest candidates expanded (never below radius).
func (g *hnsw[T]) rangeSearch(q []T, radius float64, opts SearchOpts, filter func(uint64) bool) []Result {
	if g.entry == invalidID {
		return nil
	}
	eps := opts.Epsilon
	if eps <= 0 {
		eps = g.eps
	}
	c := g.ctx.get(g.n)
	defer g.ctx.put(c)
	ep, epD := g.descend(c, q, false)
	var res []Result
	keep := func(id uint32) bool { return !g.dead[id] && (filter == nil || filter(g.labels[id])) }
	inf := infOf[T]()
	dyn, bound := float64(inf), float64(inf)
	if g.dead[ep] {
		epD = inf
	} else {
		dyn = float64(epD)
		if dyn <= radius {
			if keep(ep) {
				res = append(res, Result{Label: g.labels[ep], Dist: float64(epD)})
			}
			dyn = radius
		}
		bound = dyn * (1 + eps)
	}
	c.vis.visit(ep)
	c.cand.push(cand[T]{epD, ep})
	for len(c.cand) > 0 {
		cur := c.cand.top()
		if float64(cur.d) > bound {
			break
		}
		c.cand.pop()
		if cd := float64(cur.d); cd < dyn && cd >= radius {
			dyn = cd
			bound = dyn * (1 + eps)
		}
		// The unvisited neighbours are measured in one call (prefetch and
		// gather kernel, bit for bit the single distance), as searchLayer
		// measures them.
		ids := c.ids[:0]
		for _, nb := range g.nbrs(cur.id, 0) {
			if !c.vis.visit(nb) {
				ids = append(ids, nb)
			}
		}
		c.ids = ids
		ds := distances(&g.sp, &g.vecs, c, q, ids)
		lp := c.lptrs[:0]
		for i, nb := range ids {
			d := ds[i]
			if float64(d) < bound {
				c.cand.push(cand[T]{d, nb})
				lp = append(lp, unsafe.Pointer(&g.slot(nb, 0)[0]))
				if float64(d) <= radius && keep(nb) {
					res = append(res, Result{Label: g.labels[nb], Dist: float64(d)})
				}
			}
		}
		if len(lp) > 0 {
			prefetchVecs(&lp[0], len(lp), 4*(g.maxAt(0)+1))
			clear(lp)
		}
		c.lptrs = lp
	}
	orderResults(res, opts.ByID)
	return res
}

func (g *hnsw[T]) distance(label uint64, q []T) (float64, bool) {
	id, ok := g.byLabel.get(label)
	if !ok {
		return 0, false
	}
	return float64(g.sp.dist(q, g.vecs.at(id))), true
}

// levelZero is what a batch scan needs of a graph: its bottom level.
type levelZero[T float] interface {
	// start is the node the scan of q begins at (HNSW: the end of the
	// greedy descent) and its distance; false for an empty graph.
	start(q []T) (uint32, T, bool)
	nbrs0(id uint32) []uint32
	distTo(q []T, id uint32) T
	// alive is a node's label, false for a tombstone.
	alive(id uint32) (uint64, bool)
	// version changes whenever ids move.
	version() uint64
}

// scanBatch is VecSim's HNSW batch iterator: the level-0 scan keeps its
// candidates and visited nodes between batches, so each batch continues
// where the last stopped. Each batch scans with a beam of max(EF_RUNTIME,
// n); the nearest n found are returned, the rest wait for the next batch.
// If ids moved (consolidate) between batches, the scan starts over and
// skips what was returned.
type scanBatch[T float] struct {
	g         levelZero[T]
	q         []T
	ef        int
	ver       uint64
	started   bool
	exhausted bool
	cand      minHeap[T]
	extras    minHeap[T]
	seen      []uint64
}

func (g *hnsw[T]) newBatch(q []T, opts SearchOpts) graphBatch {
	ef := opts.EFRuntime
	if ef <= 0 {
		ef = g.efRT
	}
	return &scanBatch[T]{g: g, q: q, ef: ef}
}

func (g *hnsw[T]) start(q []T) (uint32, T, bool) {
	if g.entry == invalidID {
		return 0, 0, false
	}
	c := g.ctx.get(g.n)
	id, d := g.descend(c, q, false)
	g.ctx.put(c)
	return id, d, true
}

func (g *hnsw[T]) nbrs0(id uint32) []uint32  { return g.nbrs(id, 0) }
func (g *hnsw[T]) distTo(q []T, id uint32) T { return g.sp.dist(q, g.vecs.at(id)) }
func (g *hnsw[T]) version() uint64           { return g.epoch }
func (g *hnsw[T]) alive(id uint32) (uint64, bool) {
	if int(id) >= g.n || g.dead[id] {
		return 0, false
	}
	return g.labels[id], true
}

func (b *scanBatch[T]) mark(id uint32) bool {
	w := int(id >> 6)
	if w >= len(b.seen) {
		b.seen = append(b.seen, make([]uint64, w+1-len(b.seen)+len(b.seen)/2)...)
	}
	bit := uint64(1) << (id & 63)
	if b.seen[w]&bit != 0 {
		return true
	}
	b.seen[w] |= bit
	return false
}

func (b *scanBatch[T]) done() bool { return b.started && b.exhausted && len(b.extras) == 0 }

func (b *scanBatch[T]) next(n int, skip func(uint64) bool) []Result {
	g := b.g
	if b.started && b.ver != g.version() {
		b.started, b.exhausted = false, false
		b.cand, b.extras = b.cand[:0], b.extras[:0]
		clear(b.seen)
	}
	if !b.started {
		b.started, b.ver = true, g.version()
		ep, d, ok := g.start(b.q)
		if !ok {
			b.exhausted = true
			return nil
		}
		b.mark(ep)
		b.cand.push(cand[T]{d, ep})
	}
	ok := func(x cand[T]) bool {
		l, live := g.alive(x.id)
		return live && (skip == nil || !skip(l))
	}
	ef := max(b.ef, n)
	var top maxHeap[T]
	for len(top) < ef && len(b.extras) > 0 {
		if x := b.extras.pop(); ok(x) {
			top.push(x)
		}
	}
	for len(b.cand) > 0 {
		c := b.cand.top()
		if len(top) >= ef && c.d > top.top().d {
			break
		}
		b.cand.pop()
		if ok(c) {
			top.push(c)
			if len(top) > ef {
				b.extras.push(top.pop())
			}
		}
		for _, nb := range g.nbrs0(c.id) {
			if !b.mark(nb) {
				b.cand.push(cand[T]{g.distTo(b.q, nb), nb})
			}
		}
	}
	b.exhausted = len(b.cand) == 0
	for len(top) > n {
		b.extras.push(top.pop())
	}
	res := make([]Result, len(top))
	for i, x := range top {
		l, _ := g.alive(x.id)
		res[i] = Result{Label: l, Dist: float64(x.d)}
	}
	sortResults(res)
	return res
}

// preferAdHoc is VecSim's HNSWIndex::preferAdHocSearch (adhoc.go): its
// indexSize counts the tombstones, its label count does not.
func (g *hnsw[T]) preferAdHoc(p *Params, subsetSize, k int, initial bool) bool {
	return preferAdHoc(HNSW, g.n, g.live(), p.Dim, g.m, subsetSize, k)
}
