package vecsim

import (
	"math"
	"math/rand/v2"
	"sync"
	"unsafe"
)

// hnsw is a Hierarchical Navigable Small World graph as RedisAI's
// VectorSimilarity builds it (hnsw.h): a node's top level is drawn as
// floor(-ln(u) / ln(M)); level 0 holds up to M0 = 2M neighbours per node,
// the levels above up to M; a new node is connected to the neighbours the
// selection heuristic keeps among the EF_CONSTRUCTION nearest found, and a
// neighbour whose list is full re-selects its list with the heuristic.
//
// Storage is flat: vectors and level-0 neighbour slots in blocks of
// blockLen ids, the upper levels of the few nodes that have them in one
// arena, per-id metadata in slices. There is no object per node.
//
// A delete marks the node (a tombstone: searches walk through it but never
// return it), replaces the entry point if it was the one, and repairs the
// nodes that point at it (repairDeleted, a job of the tiered index). Once
// enough tombstones accumulate, consolidate repairs whatever still points at
// one, removes them and moves the last ids into the holes (VecSim's swap
// jobs), then reconnects any node that no longer can be reached.
//
// hnsw does no locking: its owner (graphIndex) calls the read-only methods
// under a read lock and the others under a write lock. prepareInsert is
// read-only, so the expensive search of an insert runs beside queries and
// other inserts; commitInsert links the node under the write lock.
type hnsw[T float] struct {
	sp   gspace[T]
	m    int // max neighbours above level 0
	m0   int // max neighbours at level 0
	efC  int
	efRT int
	eps  float64
	mult float64

	rngMu sync.Mutex
	rng   *rand.Rand

	vecs   vecStore[T]
	links0 linkStore
	indeg  []uint32 // level-0 in-degree
	labels []uint64
	level  []uint8
	dead   []bool
	upOff  []int32 // offset of a node's level-1 slot in arena, -1 without
	arena  []uint32
	free   [][]int32 // freed arena ranges by number of levels

	n        int // ids in use, tombstones included
	ndead    int
	byLabel  labelTable // live labels only
	entry    uint32
	maxLevel int
	epoch    uint64 // bumped whenever ids move (consolidate)

	ctx     ctxPool[T]
	plans   sync.Pool // *hnswPlan[T], recycled by commitInsert
	orphans []uint32  // write path: nodes that may have lost their last in-edge
	wbuf    []cand[T]
	wsel    []cand[T]
	wsel2   []cand[T]
	wids    []uint32
	wc      searchCtx[T] // write path scratch (connect)
}

const (
	defaultM          = 16
	defaultEFC        = 200
	defaultEFRuntime  = 10
	defaultEpsilon    = 0.01
	maxHNSWLevel      = 30
	levelSeed         = 100 // VecSim seeds its level generator with 100
	consolidateAtMost = 1024
)

func newHNSW[T float](p *Params) *hnsw[T] {
	m := max(orDefault(p.M, defaultM), 2) // VecSim refuses M = 1 (1/ln 1 is no level multiplier)
	efC := orDefault(p.EFConstruction, defaultEFC)
	efRT := orDefault(p.EFRuntime, defaultEFRuntime)
	eps := orDefault(p.Epsilon, defaultEpsilon)
	g := &hnsw[T]{
		sp:       newGSpace[T](p),
		m:        m,
		m0:       2 * m,
		efC:      max(efC, m),
		efRT:     efRT,
		eps:      eps,
		mult:     1 / math.Log(float64(m)),
		rng:      rand.New(rand.NewPCG(levelSeed, 0)),
		entry:    invalidID,
		maxLevel: -1,
	}
	g.vecs.dim = g.sp.stride
	g.links0.width = 1 + g.m0
	return g
}

func (g *hnsw[T]) randomLevel() int {
	g.rngMu.Lock()
	u := g.rng.Float64()
	g.rngMu.Unlock()
	return min(int(-math.Log(1-u)*g.mult), maxHNSWLevel)
}

// slot is a node's neighbour slot at a level: [count, ids...].
func (g *hnsw[T]) slot(id uint32, l int) []uint32 {
	if l == 0 {
		return g.links0.slot(id)
	}
	o := int(g.upOff[id]) + (l-1)*(g.m+1)
	return g.arena[o : o+g.m+1 : o+g.m+1]
}

func (g *hnsw[T]) nbrs(id uint32, l int) []uint32 {
	s := g.slot(id, l)
	return s[1 : 1+s[0]]
}

func (g *hnsw[T]) maxAt(l int) int {
	if l == 0 {
		return g.m0
	}
	return g.m
}

// setLinks replaces a node's neighbours at a level, keeping the level-0
// in-degrees; a node left without in-edge is queued for fixOrphans.
func (g *hnsw[T]) setLinks(id uint32, l int, ids []uint32) {
	s := g.slot(id, l)
	if l == 0 {
		for _, x := range s[1 : 1+s[0]] {
			g.indeg[x]--
		}
		for _, x := range ids {
			g.indeg[x]++
		}
		for _, x := range s[1 : 1+s[0]] {
			if g.indeg[x] == 0 {
				g.orphans = append(g.orphans, x)
			}
		}
	}
	s[0] = uint32(len(ids))
	copy(s[1:], ids)
}

func (g *hnsw[T]) appendLink(id uint32, l int, x uint32) {
	s := g.slot(id, l)
	s[1+s[0]] = x
	s[0]++
	if l == 0 {
		g.indeg[x]++
	}
}

func (g *hnsw[T]) allocUpper(levels int) int32 {
	if levels < len(g.free) && len(g.free[levels]) > 0 {
		f := g.free[levels]
		o := f[len(f)-1]
		g.free[levels] = f[:len(f)-1]
		for l := range levels {
			g.arena[int(o)+l*(g.m+1)] = 0
		}
		return o
	}
	o := len(g.arena)
	g.arena = append(g.arena, make([]uint32, levels*(g.m+1))...)
	return int32(o)
}

func (g *hnsw[T]) freeUpper(id uint32) {
	levels := int(g.level[id])
	if levels == 0 {
		return
	}
	for len(g.free) <= levels {
		g.free = append(g.free, nil)
	}
	g.free[levels] = append(g.free[levels], g.upOff[id])
	g.upOff[id] = -1
}

// alloc stores a new node (no links yet) and returns its id.
func (g *hnsw[T]) alloc(label uint64, vec []T, level int) uint32 {
	id := uint32(g.n)
	g.n++
	g.vecs.ensure(g.n)
	copy(g.vecs.at(id), vec)
	g.links0.ensure(g.n)
	g.links0.slot(id)[0] = 0
	g.indeg = append(g.indeg, 0)
	g.labels = append(g.labels, label)
	g.level = append(g.level, uint8(level))
	g.dead = append(g.dead, false)
	off := int32(-1)
	if level > 0 {
		off = g.allocUpper(level)
	}
	g.upOff = append(g.upOff, off)
	g.byLabel.set(label, id)
	return id
}

func (g *hnsw[T]) live() int { return g.n - g.ndead }

func (g *hnsw[T]) contains(label uint64) bool {
	_, ok := g.byLabel.get(label)
	return ok
}

// hnswPlan is the read-only half of an insert: the candidates found at each
// level the new node will have, with the graph state they were found in.
type hnswPlan[T float] struct {
	level    int
	epoch    uint64
	maxLevel int
	cands    [][]cand[T] // by level, each a heap (heapifyCands)
}

func (g *hnsw[T]) prepareInsert(vec []T) any { return g.plan(vec, g.randomLevel()) }

func (g *hnsw[T]) plan(vec []T, level int) *hnswPlan[T] {
	// Plans are recycled (commitInsert returns them): an insert at
	// EF_CONSTRUCTION 200 would otherwise leave ~2 KB of candidates behind.
	p, _ := g.plans.Get().(*hnswPlan[T])
	if p == nil {
		p = &hnswPlan[T]{}
	}
	p.level, p.epoch, p.maxLevel = level, g.epoch, g.maxLevel
	p.cands = p.cands[:0]
	if g.entry == invalidID {
		return p
	}
	cur := g.entry
	d := g.sp.dist(vec, g.vecs.at(cur))
	top := min(level, g.maxLevel)
	c := g.ctx.get(g.n)
	for l := g.maxLevel; l > top; l-- {
		cur, d = g.greedy(c, vec, cur, d, l, true)
	}
	if cap(p.cands) < top+1 {
		p.cands = append(p.cands[:cap(p.cands)], make([][]cand[T], top+1-cap(p.cands))...)
	}
	p.cands = p.cands[:top+1]
	for l := top; l >= 0; l-- {
		g.searchLayer(c, vec, cur, d, l, g.efC, nil)
		cs := append(p.cands[l][:0], c.top...)
		heapifyCands(cs)
		p.cands[l] = cs
		if len(cs) > 0 {
			cur, d = cs[0].id, cs[0].d
		}
	}
	g.ctx.put(c)
	return p
}

// commitInsert links a new node with the candidates of its plan; a plan
// made before ids moved, or before the top of the graph changed, is made
// again (under the write lock).
func (g *hnsw[T]) commitInsert(label uint64, vec []T, plan any) {
	p, _ := plan.(*hnswPlan[T])
	if p == nil {
		p = g.plan(vec, g.randomLevel())
	} else if p.epoch != g.epoch || p.maxLevel != g.maxLevel {
		level := p.level
		g.plans.Put(p)
		p = g.plan(vec, level)
	}
	defer g.plans.Put(p)
	if old, ok := g.byLabel.get(label); ok { // replaced: the caller deletes first
		g.markDeletedID(old)
	}
	id := g.alloc(label, vec, p.level)
	if g.entry == invalidID {
		g.entry, g.maxLevel = id, p.level
		return
	}
	for l := min(p.level, p.maxLevel); l >= 0; l-- {
		g.connect(id, p.cands[l], l)
	}
	if p.level > g.maxLevel {
		g.entry, g.maxLevel = id, p.level
	}
	g.fixOrphans()
}

// connect gives a new node its neighbours at a level and adds it to theirs
// (VecSim's mutuallyConnectNewElement): the heuristic keeps up to M of the
// candidates; a neighbour with room takes the new node, a full one
// re-selects among its neighbours and the new node.
func (g *hnsw[T]) connect(id uint32, cands []cand[T], l int) {
	buf := g.wbuf[:0]
	for _, c := range cands {
		if !g.dead[c.id] && c.id != id {
			buf = append(buf, c)
		}
	}
	if len(buf) < len(cands) {
		heapifyCands(buf) // cands is a heap (plan): so is an unfiltered copy
	}
	sel := g.heuristicHeap(buf, g.m, g.wsel[:0])
	g.wbuf, g.wsel = buf, sel
	ids := g.wids[:0]
	for _, s := range sel {
		ids = append(ids, s.id)
	}
	g.wids = ids
	g.setLinks(id, l, ids)
	mmax := g.maxAt(l)
	kept := false
	for _, s := range sel {
		sl := g.slot(s.id, l)
		if int(sl[0]) < mmax {
			g.appendLink(s.id, l, id)
			kept = true
			continue
		}
		sv := g.vecs.at(s.id)
		rc := append(g.wbuf[:0], cand[T]{s.d, id})
		nbs := sl[1 : 1+sl[0]]
		for i, d := range distances(&g.sp, &g.vecs, &g.wc, sv, nbs) {
			rc = append(rc, cand[T]{d, nbs[i]})
		}
		sortCands(rc)
		rsel := g.heuristic(rc, mmax, g.wsel2[:0])
		g.wbuf, g.wsel2 = rc, rsel
		rids := g.wids[:0]
		for _, r := range rsel {
			rids = append(rids, r.id)
			if r.id == id {
				kept = true
			}
		}
		g.wids = rids
		g.setLinks(s.id, l, rids)
	}
	if l == 0 && !kept {
		g.orphans = append(g.orphans, id)
	}
}

// heuristicHeap is heuristic on candidates in a heap (heapifyCands), taken
// nearest first as far as the selection needs: the same selection. h is
// consumed.
func (g *hnsw[T]) heuristicHeap(h []cand[T], m int, out []cand[T]) []cand[T] {
	if len(h) < m {
		sortCands(h)
		return append(out, h...)
	}
	for len(out) < m && len(h) > 0 {
		var c cand[T]
		c, h = popCand(h)
		if len(h) > 0 && g.sp.gather != gatherNone {
			// The next candidate taken is the heap's top: its vector
			// arrives while this one is compared.
			next := unsafe.Pointer(&g.vecs.at(h[0].id)[0])
			prefetchVecs(&next, 1, 4*g.sp.dim)
		}
		cv := g.vecs.at(c.id)
		good := true
		for _, s := range out {
			if g.sp.one(g.vecs.at(s.id), cv) < c.d {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
		}
	}
	return out
}

// heuristic is VecSim's getNeighborsByHeuristic2: walking the candidates
// nearest first (cs sorted), a candidate is kept unless a kept one is
// nearer to it than the base node is; at most m are kept. Fewer than m
// candidates are all kept.
func (g *hnsw[T]) heuristic(cs []cand[T], m int, out []cand[T]) []cand[T] {
	if len(cs) < m {
		return append(out, cs...)
	}
	for _, c := range cs {
		if len(out) >= m {
			break
		}
		cv := g.vecs.at(c.id)
		good := true
		for _, s := range out {
			if g.sp.one(g.vecs.at(s.id), cv) < c.d {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
		}
	}
	return out
}

// fixOrphans gives every queued live node that has no level-0 in-edge one
// (VecSim tracks such unreachable nodes and reconnects them): its nearest
// live neighbour that has room takes it, or else drops for it its farthest
// neighbour that keeps another in-edge.
func (g *hnsw[T]) fixOrphans() {
	for len(g.orphans) > 0 {
		x := g.orphans[len(g.orphans)-1]
		g.orphans = g.orphans[:len(g.orphans)-1]
		if int(x) < g.n && !g.dead[x] && g.indeg[x] == 0 && x != g.entry {
			g.adopt(x)
		}
	}
}

func (g *hnsw[T]) adopt(x uint32) bool {
	xv := g.vecs.at(x)
	vs := g.wbuf[:0]
	for _, v := range g.nbrs(x, 0) {
		if !g.dead[v] {
			vs = append(vs, cand[T]{g.sp.dist(xv, g.vecs.at(v)), v})
		}
	}
	if len(vs) == 0 && g.entry != invalidID && g.entry != x {
		// No out-edge to follow back: look for its neighbourhood.
		c := g.ctx.get(g.n)
		ep, d := g.descend(c, xv, true)
		g.searchLayer(c, xv, ep, d, 0, g.efC, nil)
		for _, t := range c.top {
			if t.id != x {
				vs = append(vs, t)
			}
		}
		g.ctx.put(c)
	}
	sortCands(vs)
	g.wbuf = vs
	for _, v := range vs {
		sl := g.slot(v.id, 0)
		if int(sl[0]) < g.m0 {
			g.appendLink(v.id, 0, x)
			return true
		}
		vv := g.vecs.at(v.id)
		far, farD := -1, T(0)
		for i, w := range sl[1 : 1+sl[0]] {
			if w == x {
				return true
			}
			if g.indeg[w] < 2 {
				continue
			}
			if d := g.sp.dist(vv, g.vecs.at(w)); far < 0 || d > farD {
				far, farD = i, d
			}
		}
		if far >= 0 && farD > v.d {
			w := sl[1+far]
			sl[1+far] = x
			g.indeg[w]--
			g.indeg[x]++
			return true
		}
	}
	return false
}

// greedy walks a level towards q from cur (VecSim's greedySearchLevel).
// For an insert (insert true) the result is the nearest live node seen.
func (g *hnsw[T]) greedy(c *searchCtx[T], q []T, cur uint32, d T, l int, insert bool) (uint32, T) {
	best, bestD := cur, d
	for changed := true; changed; {
		changed = false
		nbs := g.nbrs(cur, l)
		for i, nd := range distances(&g.sp, &g.vecs, c, q, nbs) {
			nb := nbs[i]
			if nd < d {
				cur, d, changed = nb, nd, true
				if !insert || !g.dead[nb] {
					best, bestD = nb, nd
				}
			}
		}
	}
	if insert {
		return best, bestD
	}
	return cur, d
}

// descend is the search from the entry point down to level 0's entry.
func (g *hnsw[T]) descend(c *searchCtx[T], q []T, insert bool) (uint32, T) {
	cur := g.entry
	d := g.sp.dist(q, g.vecs.at(cur))
	for l := g.maxLevel; l > 0; l-- {
		cur, d = g.greedy(c, q, cur, d, l, insert)
	}
	return cur, d
}

// searchLayer is the beam search of a level (VecSim's searchLayer and
// searchBottomLayer): c.top ends with up to ef nearest nodes that are live
// and pass the filter; tombstones and filtered nodes are walked through.
func (g *hnsw[T]) searchLayer(c *searchCtx[T], q []T, ep uint32, epD T, l, ef int, filter func(uint64) bool) {
	c.vis.reset(g.n)
	c.cand = c.cand[:0]
	c.top = c.top[:0]
	lower := infOf[T]()
	c.vis.visit(ep)
	c.cand.push(cand[T]{epD, ep})
	if !g.dead[ep] && (filter == nil || filter(g.labels[ep])) {
		c.top.push(cand[T]{epD, ep})
		lower = epD
	}
	for len(c.cand) > 0 {
		cur := c.cand.top()
		if cur.d > lower && len(c.top) >= ef {
			break
		}
		c.cand.pop()
		if len(c.cand) > 0 {
			// The next candidate's neighbour slot, most likely read next.
			next := unsafe.Pointer(&g.slot(c.cand.top().id, l)[0])
			prefetchVecs(&next, 1, 4*(g.maxAt(l)+1))
		}
		ids := c.vis.unvisited(g.nbrs(cur.id, l), c.ids[:0])
		c.ids = ids
		ds := distances(&g.sp, &g.vecs, c, q, ids)
		lp := c.lptrs[:0]
		for i, nb := range ids {
			d := ds[i]
			if len(c.top) < ef || d < lower {
				c.cand.push(cand[T]{d, nb})
				lp = append(lp, unsafe.Pointer(&g.slot(nb, l)[0]))
				if !g.dead[nb] && (filter == nil || filter(g.labels[nb])) {
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
		// A new candidate may be expanded next: its neighbour slot is
		// prefetched now, so that the miss overlaps the work until then.
		if len(lp) > 0 {
			prefetchVecs(&lp[0], len(lp), 4*(g.maxAt(l)+1))
			clear(lp)
		}
		c.lptrs = lp
	}
}

func (g *hnsw[T]) memoryBytes() int64 {
	return g.vecs.bytes() + g.links0.bytes() +
		int64(cap(g.indeg))*4 + int64(cap(g.labels))*8 + int64(cap(g.level)) + int64(cap(g.dead)) +
		int64(cap(g.upOff))*4 + int64(cap(g.arena))*4 + g.byLabel.memoryBytes() + g.ctx.bytes()
}
