package aggregate

import "github.com/miniredis-search/miniredis-search/module/expr"

// groupProc is GROUPBY: it reads every row, reduces each group, then yields
// one row per group and sets the total to the number of groups.
type groupProc struct {
	p        *Pipeline
	up       proc
	in       *Lookup
	srcKeys  []*Key
	dstKeys  []*Key
	reducers []reducerFactory
	redKeys  []*Key

	groups map[string]*group
	order  []*group // in the module's khash bucket order once accumulated
	kh     khashOrder
	pos    int
	done   bool
	keyBuf []byte
	vals   []expr.Value
}

type group struct {
	values []expr.Value
	accs   []accumulator
}

func (g *groupProc) next() (*Row, error) {
	if !g.done {
		g.done = true
		g.groups = map[string]*group{}
		if err := pullAll(g.up, func(r *Row) {
			g.vals = g.vals[:0]
			g.extract(r, 0, 0)
			g.p.release(r)
		}); err != nil {
			return nil, err
		}
		g.p.total = int64(len(g.order))
		firstSeen := g.order
		g.order = make([]*group, 0, len(firstSeen))
		for _, i := range g.kh.order() {
			g.order = append(g.order, firstSeen[i])
		}
	}
	if g.pos >= len(g.order) {
		return nil, nil
	}
	gr := g.order[g.pos]
	g.order[g.pos] = nil
	g.pos++
	out := &Row{cells: make([]cell, len(g.dstKeys)+len(g.redKeys))}
	for i, k := range g.dstKeys {
		out.setValue(k, gr.values[i])
	}
	for i, k := range g.redKeys {
		out.setValue(k, gr.accs[i].result())
	}
	return out, nil
}

// extract finds the row's group; an array value puts the row in one group
// per element (a cartesian product over several array properties), as the
// module's grouper does. hval is the module's hash of the values so far
// (extractGroups): an array's element is hashed twice (once into the
// element's own chain, once again when that chain is continued), an empty
// array counts as null, twice.
func (g *groupProc) extract(r *Row, i int, hval uint64) {
	if i == len(g.srcKeys) {
		g.addTo(r, hval)
		return
	}
	v, ok := r.value(g.srcKeys[i])
	if !ok {
		v = expr.Null()
	}
	if v.Kind() == expr.KindArray {
		if len(v.Elems()) == 0 {
			g.vals = append(g.vals[:i], v)
			g.extract(r, i+1, moduleHash(expr.Null(), moduleHash(expr.Null(), hval)))
			return
		}
		for _, e := range v.Elems() {
			g.vals = append(g.vals[:i], e)
			g.extract(r, i+1, moduleHash(e, moduleHash(e, hval)))
		}
		return
	}
	g.vals = append(g.vals[:i], v)
	g.extract(r, i+1, moduleHash(v, hval))
}

func (g *groupProc) addTo(r *Row, hval uint64) {
	g.keyBuf = g.keyBuf[:0]
	for _, v := range g.vals {
		g.keyBuf = expr.AppendHashKey(g.keyBuf, v)
	}
	gr := g.groups[string(g.keyBuf)]
	if gr == nil {
		gr = &group{values: append([]expr.Value(nil), g.vals...), accs: make([]accumulator, len(g.reducers))}
		for i, f := range g.reducers {
			gr.accs[i] = f.newAccumulator()
		}
		g.groups[string(g.keyBuf)] = gr
		g.kh.put(hval, len(g.order))
		g.order = append(g.order, gr)
	}
	for _, a := range gr.accs {
		a.add(r)
	}
}
