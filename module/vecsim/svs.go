package vecsim

import (
	"slices"
	"unsafe"
)

// vamana is the SVS-VAMANA index as 8.2 builds it without compression
// (Intel's SVS MutableVamanaIndex behind VecSim's svs.h): one graph level,
// GRAPH_MAX_DEGREE neighbours per node. An insert searches the graph with
// a window of CONSTRUCTION_WINDOW_SIZE, takes every node the search
// visited (SVS's full search history) up to 3 × the window as candidates,
// and keeps those the robust prune with ALPHA selects; each chosen
// neighbour adds the new node, re-pruning its list to GRAPH_MAX_DEGREE - 4
// when full. Queries search with a window of max(SEARCH_WINDOW_SIZE, k).
//
// The prune is SVS's: for L2 (alpha 1.2) the progressive strategy, for IP
// and COSINE (similarities, alpha 0.95) the iterative one; both run a
// first round at alpha 1, then one at ALPHA.
//
// A delete only marks the node; once the tombstones outnumber half the
// live nodes (VecSim's consolidation threshold) consolidate repairs the
// nodes pointing at them, removes them and compacts the ids.
type vamana[T float] struct {
	sp      gspace[T]
	r       int // GRAPH_MAX_DEGREE
	l       int // CONSTRUCTION_WINDOW_SIZE
	w       int // SEARCH_WINDOW_SIZE
	maxCand int
	pruneTo int
	alpha   float64
	eps     float64

	vecs    vecStore[T]
	links   linkStore
	labels  []uint64
	dead    []bool
	n       int
	ndead   int
	byLabel map[uint64]uint32
	entry   uint32
	epoch   uint64
	medoid  int // size at which the entry point is next recomputed

	ctx   ctxPool[T]
	wbuf  []cand[T]
	wsel  []cand[T]
	wsel2 []cand[T]
	wids  []uint32
	st    []uint8
	prn   []float64
}

const (
	svsDefaultDegree  = 32
	svsDefaultWindow  = 200
	svsDefaultSearchW = 10
	svsAlphaL2        = 1.2
	svsAlphaIP        = 0.95
)

func newVamana[T float](p *Params) *vamana[T] {
	r := orDefault(p.GraphMaxDegree, svsDefaultDegree)
	l := orDefault(p.ConstructionWindowSize, svsDefaultWindow)
	w := orDefault(p.SearchWindowSize, svsDefaultSearchW)
	eps := orDefault(p.Epsilon, defaultEpsilon)
	alpha := svsAlphaL2
	if p.Metric != L2 {
		alpha = svsAlphaIP
	}
	v := &vamana[T]{
		sp: newGSpace[T](p), r: r, l: l, w: w, maxCand: 3 * l, pruneTo: r,
		alpha: alpha, eps: eps, byLabel: map[uint64]uint32{}, entry: invalidID, medoid: 64,
	}
	if r > 4 {
		v.pruneTo = r - 4
	}
	v.vecs.dim = v.sp.stride
	v.links.width = 1 + r
	return v
}

func (v *vamana[T]) nbrs(id uint32) []uint32 {
	s := v.links.slot(id)
	return s[1 : 1+s[0]]
}

func (v *vamana[T]) setLinks(id uint32, ids []uint32) {
	s := v.links.slot(id)
	s[0] = uint32(len(ids))
	copy(s[1:], ids)
}

func (v *vamana[T]) live() int { return v.n - v.ndead }

func (v *vamana[T]) contains(label uint64) bool {
	_, ok := v.byLabel[label]
	return ok
}

// search is the greedy beam search of the graph: c.top ends with the ef
// nearest live nodes passing the filter; with history, c.buf gets every
// live node whose distance was computed.
func (v *vamana[T]) search(c *searchCtx[T], q []T, ef int, filter func(uint64) bool, history bool) {
	c.vis.reset(v.n)
	c.cand, c.top, c.buf = c.cand[:0], c.top[:0], c.buf[:0]
	if v.entry == invalidID {
		return
	}
	ep := v.entry
	epD := v.sp.dist(q, v.vecs.at(ep))
	lower := infOf[T]()
	c.vis.visit(ep)
	c.cand.push(cand[T]{epD, ep})
	if !v.dead[ep] {
		if history {
			c.buf = append(c.buf, cand[T]{epD, ep})
		}
		if filter == nil || filter(v.labels[ep]) {
			c.top.push(cand[T]{epD, ep})
			lower = epD
		}
	}
	for len(c.cand) > 0 {
		cur := c.cand.top()
		if cur.d > lower && len(c.top) >= ef {
			break
		}
		c.cand.pop()
		ids := c.ids[:0]
		for _, nb := range v.nbrs(cur.id) {
			if !c.vis.visit(nb) {
				ids = append(ids, nb)
			}
		}
		c.ids = ids
		ds := distances(&v.sp, &v.vecs, c, q, ids)
		lp := c.lptrs[:0]
		for i, nb := range ids {
			d := ds[i]
			if history && !v.dead[nb] {
				c.buf = append(c.buf, cand[T]{d, nb})
			}
			if len(c.top) < ef || d < lower {
				c.cand.push(cand[T]{d, nb})
				lp = append(lp, unsafe.Pointer(&v.links.slot(nb)[0]))
				if !v.dead[nb] && (filter == nil || filter(v.labels[nb])) {
					if len(c.top) < ef {
						c.top.push(cand[T]{d, nb})
					} else {
						// d < lower: the farthest kept goes (VecSim's
						// push then pop, in one sift).
						c.top.replaceTop(cand[T]{d, nb})
					}
					lower = c.top.top().d
				}
			}
		}
		if len(lp) > 0 { // see hnsw.searchLayer
			prefetchVecs(&lp[0], len(lp), 4*v.links.width)
			clear(lp)
		}
		c.lptrs = lp
	}
}

// vamanaPlan is an insert's candidate pool, found in graph state epoch.
type vamanaPlan[T float] struct {
	epoch uint64
	pool  []cand[T]
}

func (v *vamana[T]) prepareInsert(vec []T) any {
	p := &vamanaPlan[T]{epoch: v.epoch}
	if v.entry == invalidID {
		return p
	}
	c := v.ctx.get(v.n)
	v.search(c, vec, v.l, nil, true)
	sortCands(c.buf)
	p.pool = append([]cand[T](nil), c.buf[:min(len(c.buf), v.maxCand)]...)
	v.ctx.put(c)
	return p
}

func (v *vamana[T]) commitInsert(label uint64, vec []T, plan any) {
	p, _ := plan.(*vamanaPlan[T])
	if p == nil || p.epoch != v.epoch || (len(p.pool) == 0 && v.entry != invalidID) {
		p = v.prepareInsert(vec).(*vamanaPlan[T])
	}
	if old, ok := v.byLabel[label]; ok {
		v.markDeletedID(old)
	}
	id := uint32(v.n)
	v.n++
	v.vecs.ensure(v.n)
	copy(v.vecs.at(id), vec)
	v.links.ensure(v.n)
	v.links.slot(id)[0] = 0
	v.labels = append(v.labels, label)
	v.dead = append(v.dead, false)
	v.byLabel[label] = id
	if v.entry == invalidID {
		v.entry = id
		return
	}
	pool := v.wbuf[:0]
	for _, c := range p.pool {
		if !v.dead[c.id] {
			pool = append(pool, c)
		}
	}
	sel := v.prune(id, pool, v.r, v.wsel[:0])
	v.wbuf, v.wsel = pool, sel
	ids := v.wids[:0]
	for _, s := range sel {
		ids = append(ids, s.id)
	}
	v.setLinks(id, ids)
	for _, s := range sel {
		sl := v.links.slot(s.id)
		if slices.Contains(sl[1:1+sl[0]], id) {
			continue
		}
		if int(sl[0]) < v.r {
			sl[1+sl[0]] = id
			sl[0]++
			continue
		}
		sv := v.vecs.at(s.id)
		rc := append(v.wbuf[:0], cand[T]{s.d, id})
		for _, nb := range sl[1 : 1+sl[0]] {
			rc = append(rc, cand[T]{v.sp.dist(sv, v.vecs.at(nb)), nb})
		}
		sortCands(rc)
		rsel := v.prune(s.id, rc, v.pruneTo, v.wsel2[:0])
		v.wbuf, v.wsel2 = rc, rsel
		rids := v.wids[:0]
		for _, r := range rsel {
			rids = append(rids, r.id)
		}
		v.wids = rids
		v.setLinks(s.id, rids)
	}
	if v.live() >= v.medoid {
		v.medoid *= 2
		v.pickEntry()
	}
}

// prune is SVS's heuristic_prune_neighbors on pool (sorted nearest first)
// for node x, keeping at most m.
func (v *vamana[T]) prune(x uint32, pool []cand[T], m int, out []cand[T]) []cand[T] {
	if cap(v.st) < len(pool) {
		v.st = make([]uint8, len(pool))
		v.prn = make([]float64, len(pool))
	}
	if v.sp.metric == L2 {
		// Progressive: prn[t] is the largest d(x,t)/d(s,t) over the kept s;
		// a round at alpha a skips t while a < prn[t].
		prn := v.prn[:len(pool)]
		clear(prn)
		const added = 1e300
		for a := 1.0; len(out) < m && a <= v.alpha; a *= v.alpha {
			for i := 0; len(out) < m && i < len(pool); i++ {
				if a < prn[i] || pool[i].id == x {
					continue
				}
				prn[i] = added
				out = append(out, pool[i])
				iv := v.vecs.at(pool[i].id)
				for t := i + 1; t < len(pool); t++ {
					if a < prn[t] {
						continue
					}
					djk := float64(v.sp.dist(iv, v.vecs.at(pool[t].id)))
					r := float64(pool[t].d) / djk
					if djk == 0 {
						r = added / 2
					}
					prn[t] = max(prn[t], r)
				}
			}
			if v.alpha == 1 {
				break
			}
		}
		return out
	}
	// Iterative, on similarities (1 - distance): t is pruned while
	// a·sim(s,t) > sim(x,t) for a kept s; pruned ones come back each round.
	const (
		available = 0
		kept      = 1
		pruned    = 2
	)
	st := v.st[:len(pool)]
	clear(st)
	for a := 1.0; len(out) < m && a >= v.alpha; a *= v.alpha {
		for i := 0; len(out) < m && i < len(pool); i++ {
			if st[i] != available || pool[i].id == x {
				continue
			}
			st[i] = kept
			out = append(out, pool[i])
			iv := v.vecs.at(pool[i].id)
			for t := i + 1; t < len(pool); t++ {
				if st[t] != available {
					continue
				}
				sjk := 1 - float64(v.sp.dist(iv, v.vecs.at(pool[t].id)))
				if a*sjk > 1-float64(pool[t].d) {
					st[t] = pruned
				}
			}
		}
		if v.alpha == 1 {
			break
		}
		for i := range st {
			if st[i] == pruned {
				st[i] = available
			}
		}
	}
	return out
}

// pickEntry makes the live node nearest the mean the entry point (SVS
// starts its searches at the dataset's medoid).
func (v *vamana[T]) pickEntry() {
	if v.live() == 0 {
		v.entry = invalidID
		return
	}
	mean := make([]float64, v.sp.stride)
	for id := range v.n {
		if !v.dead[id] {
			for i, x := range v.vecs.at(uint32(id)) {
				mean[i] += float64(x)
			}
		}
	}
	mv := make([]T, v.sp.stride)
	for i := range mean {
		mv[i] = T(mean[i] / float64(v.live()))
	}
	best, bestD := invalidID, T(0)
	for id := range v.n {
		if v.dead[id] {
			continue
		}
		var d T
		if v.sp.metric == L2 {
			d = v.sp.dist(mv, v.vecs.at(uint32(id)))
		} else {
			d = l2Generic(mv, v.vecs.at(uint32(id)))
		}
		if best == invalidID || d < bestD {
			best, bestD = uint32(id), d
		}
	}
	v.entry = best
}

func l2Generic[T float](a, b []T) T {
	var s T
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

func (v *vamana[T]) markDeleted(label uint64) (deleteToken, bool) {
	id, ok := v.byLabel[label]
	if !ok {
		return deleteToken{}, false
	}
	v.markDeletedID(id)
	return deleteToken{id, v.epoch}, true
}

func (v *vamana[T]) markDeletedID(id uint32) {
	if v.dead[id] {
		return
	}
	delete(v.byLabel, v.labels[id])
	v.dead[id] = true
	v.ndead++
	if id == v.entry {
		v.entry = invalidID
		for _, nb := range v.nbrs(id) {
			if !v.dead[nb] {
				v.entry = nb
				return
			}
		}
		for i := range v.n {
			if !v.dead[i] {
				v.entry = uint32(i)
				return
			}
		}
	}
}

// repairDeleted does nothing: SVS leaves deleted nodes in the graph until
// it consolidates.
func (v *vamana[T]) repairDeleted(deleteToken) {}

// needsConsolidation is VecSim's rule: consolidate once the deletions
// exceed half the index size.
func (v *vamana[T]) needsConsolidation() bool {
	return v.ndead > 0 && 2*v.ndead > v.live()
}

// consolidate is SVS's consolidate then compact: every live node pointing
// at a deleted one re-prunes among its live neighbours and theirs; the
// deleted nodes go and the last ids fill the holes.
func (v *vamana[T]) consolidate() {
	if v.ndead == 0 {
		return
	}
	c := v.ctx.get(v.n)
	for u := range v.n {
		if v.dead[u] {
			continue
		}
		nb := v.nbrs(uint32(u))
		hasDead := false
		for _, x := range nb {
			if v.dead[x] {
				hasDead = true
				break
			}
		}
		if !hasDead {
			continue
		}
		c.vis.reset(v.n)
		c.vis.visit(uint32(u))
		ids := c.ids[:0]
		for _, x := range nb {
			c.vis.visit(x)
			if !v.dead[x] {
				ids = append(ids, x)
			}
		}
		for _, x := range nb {
			if v.dead[x] {
				for _, y := range v.nbrs(x) {
					if !c.vis.visit(y) && !v.dead[y] {
						ids = append(ids, y)
					}
				}
			}
		}
		c.ids = ids
		uv := v.vecs.at(uint32(u))
		cs := c.buf[:0]
		for _, id := range ids {
			cs = append(cs, cand[T]{v.sp.dist(uv, v.vecs.at(id)), id})
		}
		sortCands(cs)
		sel := v.prune(uint32(u), cs, v.r, c.sel[:0])
		c.buf, c.sel = cs, sel
		out := v.wids[:0]
		for _, s := range sel {
			out = append(out, s.id)
		}
		v.wids = out
		v.setLinks(uint32(u), out)
	}
	v.ctx.put(c)
	newN := v.n - v.ndead
	remap := make([]uint32, v.n)
	j := v.n - 1
	moved := false
	for h := range newN {
		if !v.dead[h] {
			remap[h] = uint32(h)
			continue
		}
		for v.dead[j] {
			j--
		}
		copy(v.vecs.at(uint32(h)), v.vecs.at(uint32(j)))
		copy(v.links.slot(uint32(h)), v.links.slot(uint32(j)))
		v.labels[h] = v.labels[j]
		v.dead[h] = false
		v.byLabel[v.labels[h]] = uint32(h)
		remap[j] = uint32(h)
		moved = true
		j--
	}
	if moved {
		for id := range newN {
			s := v.links.slot(uint32(id))
			for i := 1; i <= int(s[0]); i++ {
				s[i] = remap[s[i]]
			}
		}
	}
	v.n, v.ndead = newN, 0
	v.labels, v.dead = v.labels[:newN], v.dead[:newN]
	v.vecs.shrink(newN)
	v.links.shrink(newN)
	v.epoch++
	v.pickEntry()
	v.connectUnreachable()
}

// connectUnreachable gives every node the entry point does not reach an
// in-edge from a reachable node near it.
func (v *vamana[T]) connectUnreachable() {
	if v.entry == invalidID {
		return
	}
	reach := v.ctx.get(v.n)
	defer v.ctx.put(reach)
	var queue []uint32
	bfs := func(s uint32) {
		if reach.vis.visit(s) {
			return
		}
		queue = append(queue[:0], s)
		for len(queue) > 0 {
			x := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, nb := range v.nbrs(x) {
				if !reach.vis.visit(nb) {
					queue = append(queue, nb)
				}
			}
		}
	}
	bfs(v.entry)
	for u := range v.n {
		if reach.vis.seen(uint32(u)) {
			continue
		}
		c := v.ctx.get(v.n)
		uv := v.vecs.at(uint32(u))
		v.search(c, uv, v.l, nil, false)
		cs := append(c.buf[:0], c.top...)
		sortCands(cs)
		c.buf = cs
		for _, t := range cs {
			if t.id == uint32(u) || !reach.vis.seen(t.id) {
				continue
			}
			sl := v.links.slot(t.id)
			if int(sl[0]) < v.r {
				sl[1+sl[0]] = uint32(u)
				sl[0]++
			} else {
				sl[sl[0]] = uint32(u) // in place of its last (farthest kept) neighbour
			}
			break
		}
		v.ctx.put(c)
		bfs(uint32(u))
	}
}

func (v *vamana[T]) topK(q []T, k int, opts SearchOpts, filter func(uint64) bool) []Result {
	if v.entry == invalidID || k <= 0 {
		return nil
	}
	w := opts.EFRuntime // SEARCH_WINDOW_SIZE of the query, if any
	if w <= 0 {
		w = v.w
	}
	c := v.ctx.get(v.n)
	v.search(c, q, max(w, k), filter, false)
	for len(c.top) > k {
		c.top.pop()
	}
	res := make([]Result, len(c.top))
	for i, x := range c.top {
		res[i] = Result{Label: v.labels[x.id], Dist: float64(x.d)}
	}
	v.ctx.put(c)
	sortResults(res)
	return res
}

// rangeSearch is VecSim's SVS range query: batches of the search window
// size from a batch iterator, keeping those within radius, until a batch
// holds a distance beyond radius·(1 + EPSILON). A radius of 0 finds
// nothing (VecSim returns early on it).
func (v *vamana[T]) rangeSearch(q []T, radius float64, opts SearchOpts, filter func(uint64) bool) []Result {
	if radius == 0 || v.entry == invalidID {
		return nil
	}
	eps := opts.Epsilon
	if eps <= 0 {
		eps = v.eps
	}
	bound := radius * (1 + eps)
	b := &scanBatch[T]{g: v, q: q, ef: v.w}
	var res []Result
	for {
		batch := b.next(v.w, nil)
		beyond := false
		for _, r := range batch {
			if r.Dist <= radius {
				if filter == nil || filter(r.Label) {
					res = append(res, r)
				}
			} else if r.Dist > bound {
				beyond = true
			}
		}
		if beyond || len(batch) == 0 || b.done() {
			break
		}
	}
	orderResults(res, opts.ByID)
	return res
}

func (v *vamana[T]) distance(label uint64, q []T) (float64, bool) {
	id, ok := v.byLabel[label]
	if !ok {
		return 0, false
	}
	return float64(v.sp.dist(q, v.vecs.at(id))), true
}

func (v *vamana[T]) newBatch(q []T, opts SearchOpts) graphBatch {
	w := opts.EFRuntime
	if w <= 0 {
		w = v.w
	}
	return &scanBatch[T]{g: v, q: q, ef: w}
}

func (v *vamana[T]) start(q []T) (uint32, T, bool) {
	if v.entry == invalidID {
		return 0, 0, false
	}
	return v.entry, v.sp.dist(q, v.vecs.at(v.entry)), true
}

func (v *vamana[T]) nbrs0(id uint32) []uint32  { return v.nbrs(id) }
func (v *vamana[T]) distTo(q []T, id uint32) T { return v.sp.dist(q, v.vecs.at(id)) }
func (v *vamana[T]) version() uint64           { return v.epoch }
func (v *vamana[T]) alive(id uint32) (uint64, bool) {
	if int(id) >= v.n || v.dead[id] {
		return 0, false
	}
	return v.labels[id], true
}

// preferAdHoc is VecSim's SVSIndex::preferAdHocSearch (adhoc.go).
func (v *vamana[T]) preferAdHoc(p *Params, subsetSize, k int, initial bool) bool {
	return preferAdHoc(SVSVamana, v.live(), v.live(), p.Dim, 0, subsetSize, k)
}

func (v *vamana[T]) memoryBytes() int64 {
	return v.vecs.bytes() + v.links.bytes() + int64(cap(v.labels))*8 + int64(cap(v.dead)) +
		mapBytes(len(v.byLabel)) + v.ctx.bytes()
}
