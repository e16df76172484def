package vecsim

import "slices"

// deleteToken names a tombstone for its repair job: the id is only valid
// while no consolidate has moved ids (epoch).
type deleteToken struct {
	id    uint32
	epoch uint64
}

// markDeleted turns a label's node into a tombstone (VecSim's
// markDeletedInternal): searches no longer return it, its label is free for
// a new vector, and it stops being the entry point.
func (g *hnsw[T]) markDeleted(label uint64) (deleteToken, bool) {
	id, ok := g.byLabel.get(label)
	if !ok {
		return deleteToken{}, false
	}
	g.markDeletedID(id)
	return deleteToken{id, g.epoch}, true
}

func (g *hnsw[T]) markDeletedID(id uint32) {
	if g.dead[id] {
		return
	}
	g.byLabel.remove(g.labels[id])
	g.dead[id] = true
	g.ndead++
	if id == g.entry {
		g.replaceEntry()
	}
}

// replaceEntry picks a live node of the top level as the entry point (a
// live neighbour of the old one first), going down a level when none is
// left there (VecSim's replaceEntryPoint).
func (g *hnsw[T]) replaceEntry() {
	old := g.entry
	for g.maxLevel >= 0 {
		if int(g.level[old]) >= g.maxLevel {
			for _, nb := range g.nbrs(old, g.maxLevel) {
				if !g.dead[nb] {
					g.entry = nb
					return
				}
			}
		}
		for id := range g.n {
			if !g.dead[id] && int(g.level[id]) >= g.maxLevel {
				g.entry = uint32(id)
				return
			}
		}
		g.maxLevel--
	}
	g.entry = invalidID
}

// repairDeleted repairs the nodes that point at a tombstone (VecSim's
// repair jobs): at each of its levels, the nodes among its neighbours (and,
// at level 0, their neighbours) that have an edge to it re-select their
// neighbours among their own and the tombstone's. Any it misses are
// repaired by consolidate. A token from before a consolidate is spent.
func (g *hnsw[T]) repairDeleted(t deleteToken) {
	if t.epoch != g.epoch || int(t.id) >= g.n || !g.dead[t.id] {
		return
	}
	c := g.ctx.get(g.n)
	defer g.ctx.put(c)
	for l := 0; l <= int(g.level[t.id]); l++ {
		c.vis.reset(g.n)
		c.vis.visit(t.id)
		ids := c.ids[:0]
		for _, v := range g.nbrs(t.id, l) {
			if !c.vis.visit(v) {
				ids = append(ids, v)
			}
		}
		if l == 0 {
			for _, v := range ids {
				for _, w := range g.nbrs(v, 0) {
					if !c.vis.visit(w) {
						ids = append(ids, w)
					}
				}
			}
		}
		c.ids = ids
		for _, v := range ids {
			if !g.dead[v] && slices.Contains(g.nbrs(v, l), t.id) {
				g.repairNode(v, l)
			}
		}
	}
	g.fixOrphans()
}

// repairNode replaces a live node's tombstone neighbours at a level
// (VecSim's repairNodeConnections): the candidates are its live neighbours
// and the live neighbours of its dead ones; the heuristic chooses among
// them when there are more than the level holds.
func (g *hnsw[T]) repairNode(v uint32, l int) {
	c := g.ctx.get(g.n)
	defer g.ctx.put(c)
	c.vis.visit(v)
	ids := c.ids[:0]
	var deadNbrs []uint32
	for _, nb := range g.nbrs(v, l) {
		c.vis.visit(nb)
		if g.dead[nb] {
			deadNbrs = append(deadNbrs, nb)
		} else {
			ids = append(ids, nb)
		}
	}
	if len(deadNbrs) == 0 {
		c.ids = ids
		return
	}
	for _, d := range deadNbrs {
		for _, nb := range g.nbrs(d, l) {
			if !c.vis.visit(nb) && !g.dead[nb] {
				ids = append(ids, nb)
			}
		}
	}
	c.ids = ids
	if mmax := g.maxAt(l); len(ids) > mmax {
		vv := g.vecs.at(v)
		cs := c.buf[:0]
		for _, id := range ids {
			cs = append(cs, cand[T]{g.sp.dist(vv, g.vecs.at(id)), id})
		}
		sortCands(cs)
		sel := g.heuristic(cs, mmax, c.sel[:0])
		c.buf, c.sel = cs, sel
		ids = ids[:0]
		for _, s := range sel {
			ids = append(ids, s.id)
		}
	}
	g.setLinks(v, l, ids)
}

// needsConsolidation is the swap threshold: a tenth of the graph, at most
// 1024 tombstones (VecSim swaps once DEFAULT_BLOCK_SIZE deleted vectors
// are pending).
func (g *hnsw[T]) needsConsolidation() bool {
	return g.ndead > 0 && g.ndead >= max(1, min(consolidateAtMost, g.n/10))
}

// consolidate removes every tombstone: it repairs the live nodes that
// still point at one, drops the tombstones, moves the last live ids into
// the holes (rewriting every edge to a moved id), shrinks the storage, and
// reconnects the live nodes level 0 no longer reaches from the entry point.
func (g *hnsw[T]) consolidate() {
	if g.ndead == 0 {
		return
	}
	for u := range g.n {
		if g.dead[u] {
			continue
		}
		for l := 0; l <= int(g.level[u]); l++ {
			for _, nb := range g.nbrs(uint32(u), l) {
				if g.dead[nb] {
					g.repairNode(uint32(u), l)
					break
				}
			}
		}
	}
	for d := range g.n {
		if !g.dead[d] {
			continue
		}
		for _, x := range g.nbrs(uint32(d), 0) {
			g.indeg[x]--
		}
		g.freeUpper(uint32(d))
	}
	newN := g.n - g.ndead
	remap := make([]uint32, g.n)
	moved := false
	j := g.n - 1
	for h := range newN {
		if !g.dead[h] {
			remap[h] = uint32(h)
			continue
		}
		for g.dead[j] {
			j--
		}
		g.move(uint32(j), uint32(h))
		remap[j] = uint32(h)
		moved = true
		j--
	}
	if moved {
		for id := range newN {
			for l := 0; l <= int(g.level[id]); l++ {
				s := g.slot(uint32(id), l)
				for i := 1; i <= int(s[0]); i++ {
					s[i] = remap[s[i]]
				}
			}
		}
		if g.entry != invalidID {
			g.entry = remap[g.entry]
		}
	}
	g.n = newN
	g.ndead = 0
	g.indeg = g.indeg[:newN]
	g.labels = g.labels[:newN]
	g.level = g.level[:newN]
	g.dead = g.dead[:newN]
	g.upOff = g.upOff[:newN]
	g.vecs.shrink(newN)
	g.links0.shrink(newN)
	if newN == 0 {
		g.arena, g.free = nil, nil
		g.entry, g.maxLevel = invalidID, -1
	}
	g.epoch++
	g.orphans = g.orphans[:0]
	g.connectUnreachable()
}

// move puts node from (live) at id to (a removed tombstone's place).
func (g *hnsw[T]) move(from, to uint32) {
	copy(g.vecs.at(to), g.vecs.at(from))
	copy(g.links0.slot(to), g.links0.slot(from))
	g.indeg[to] = g.indeg[from]
	g.labels[to] = g.labels[from]
	g.level[to] = g.level[from]
	g.dead[to] = false
	g.upOff[to] = g.upOff[from]
	g.byLabel.set(g.labels[to], to)
}

// connectUnreachable gives every live node that level 0 does not reach from
// the entry point an in-edge from a reachable node near it.
func (g *hnsw[T]) connectUnreachable() {
	if g.entry == invalidID {
		return
	}
	for range 4 {
		reach := g.ctx.get(g.n)
		queue := reach.ids[:0]
		g.bfs0(reach, g.entry, &queue)
		fixed, missing := 0, 0
		for u := range g.n {
			if reach.vis.seen(uint32(u)) {
				continue
			}
			missing++
			if g.link0From(reach, uint32(u)) {
				fixed++
				g.bfs0(reach, uint32(u), &queue)
			}
		}
		reach.ids = queue
		g.ctx.put(reach)
		if missing == 0 || fixed == 0 {
			return
		}
	}
}

// bfs0 marks in reach every node level 0 reaches from start.
func (g *hnsw[T]) bfs0(reach *searchCtx[T], start uint32, queue *[]uint32) {
	if reach.vis.visit(start) {
		return
	}
	q := append((*queue)[:0], start)
	for len(q) > 0 {
		x := q[len(q)-1]
		q = q[:len(q)-1]
		for _, nb := range g.nbrs(x, 0) {
			if !reach.vis.visit(nb) {
				q = append(q, nb)
			}
		}
	}
	*queue = q
}

// link0From adds an edge to u from a reachable node near it: one with room,
// or else in place of that node's farthest neighbour that keeps another
// in-edge.
func (g *hnsw[T]) link0From(reach *searchCtx[T], u uint32) bool {
	uv := g.vecs.at(u)
	c := g.ctx.get(g.n)
	defer g.ctx.put(c)
	ep, d := g.descend(c, uv, true)
	g.searchLayer(c, uv, ep, d, 0, g.efC, nil)
	cs := c.buf[:0]
	for _, t := range c.top {
		if t.id != u && reach.vis.seen(t.id) {
			cs = append(cs, t)
		}
	}
	sortCands(cs)
	c.buf = cs
	for _, v := range cs {
		sl := g.slot(v.id, 0)
		if slices.Contains(sl[1:1+sl[0]], u) {
			return true
		}
		if int(sl[0]) < g.m0 {
			g.appendLink(v.id, 0, u)
			return true
		}
		vv := g.vecs.at(v.id)
		far, farD := -1, T(0)
		for i, w := range sl[1 : 1+sl[0]] {
			if g.indeg[w] < 2 {
				continue
			}
			if dw := g.sp.dist(vv, g.vecs.at(w)); far < 0 || dw > farD {
				far, farD = i, dw
			}
		}
		if far >= 0 {
			w := sl[1+far]
			sl[1+far] = u
			g.indeg[w]--
			g.indeg[u]++
			return true
		}
	}
	return false
}
