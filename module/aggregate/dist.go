package aggregate

import (
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// A cluster runs an aggregation in two parts. Every shard runs the steps
// up to the first GROUPBY or SORTBY/LIMIT over its own documents and sends
// its rows; the coordinator merges them and runs the rest. A GROUPBY at the
// split is itself split: each shard reduces its groups into partial states
// (a sum and a count for AVG, the values for QUANTILE and STDDEV, the
// distinct values for COUNT_DISTINCT …), which the coordinator's GROUPBY
// merges into the answer one shard holding every document would give. A
// SORTBY at the split runs on the shards with the page's end as its MAX, and
// again on the coordinator over their rows.

// groupMode is how a GROUPBY reduces.
type groupMode uint8

const (
	groupLocal   groupMode = iota
	groupPartial           // a shard's: reducers yield partial states
	groupMerge             // the coordinator's: reducers merge partial states
)

// exportStep makes the properties the coordinator's part reads available in
// a shard's rows (SORTABLE values, or loaded).
type exportStep struct{ names []string }

func (*exportStep) stepKind() string { return "EXPORT" }

// Distribute splits a checked request into what each shard runs and what
// the coordinator runs over the shards' rows.
func Distribute(req *Request) (shard, coord *Request) {
	sh, co := *req, *req
	sh.WithCursor = false // the coordinator keeps the cursor
	split := len(req.Steps)
	for i, st := range req.Steps {
		switch st.(type) {
		case *GroupStep, *ArrangeStep:
			split = i
		}
		if split == i {
			break
		}
	}
	sh.Steps = append([]Step(nil), req.Steps[:split]...)
	co.Steps = nil
	if split == len(req.Steps) {
		return &sh, &co
	}
	// The rest of the first segment: its LOADs run on the shards (only they
	// hold the documents); the properties it reads are sent along.
	end := len(req.Steps)
	for i := split; i < len(req.Steps); i++ {
		if _, ok := req.Steps[i].(*GroupStep); ok {
			end = i
			break
		}
	}
	switch st := req.Steps[split].(type) {
	case *GroupStep:
		sh.Steps = append(sh.Steps, &GroupStep{Properties: st.Properties, Reducers: st.Reducers, mode: groupPartial})
		co.Steps = append(co.Steps, &GroupStep{Properties: st.Properties, Reducers: st.Reducers, mode: groupMerge})
		co.Steps = append(co.Steps, req.Steps[split+1:]...)
		if req.NoRows {
			// The coordinator counts the merged groups.
			sh.NoRows = false
		}
	case *ArrangeStep:
		var exports []string
		for _, s := range req.Steps[split:end] {
			switch s := s.(type) {
			case *LoadStep:
				sh.Steps = append(sh.Steps, s)
			default:
				exports = append(exports, stepProperties(s)...)
			}
		}
		if end < len(req.Steps) {
			exports = append(exports, stepProperties(req.Steps[end])...)
		}
		sh.Steps = append(sh.Steps, &exportStep{names: exports})
		if !req.NoRows && (st.Sorted && len(st.Keys) > 0 || st.Limit > 0) {
			// Each shard keeps what could be on the page.
			sh.Steps = append(sh.Steps, &ArrangeStep{Sorted: st.Sorted, Keys: st.Keys, Limit: st.Offset + st.Limit})
		}
		for _, s := range req.Steps[split:] {
			if _, ok := s.(*LoadStep); !ok {
				co.Steps = append(co.Steps, s)
			}
		}
	}
	return &sh, &co
}

// stepProperties lists the properties a step reads.
func stepProperties(st Step) []string {
	var out []string
	switch st := st.(type) {
	case *ArrangeStep:
		for _, k := range st.Keys {
			out = append(out, k.Name)
		}
	case *ApplyStep:
		if e, err := expr.Parse(st.Expr); err == nil {
			out = e.Properties()
		}
	case *FilterStep:
		if e, err := expr.Parse(st.Expr); err == nil {
			out = e.Properties()
		}
	case *GroupStep:
		for _, p := range st.Properties {
			out = append(out, strings.TrimPrefix(p, "@"))
		}
		for _, r := range st.Reducers {
			for i, a := range r.Args {
				if strings.HasPrefix(a, "@") || i == 0 && !strings.EqualFold(r.Name, "COUNT") {
					out = append(out, strings.TrimPrefix(a, "@"))
				}
			}
		}
	}
	return out
}

// BuildShard compiles a shard's part (see Distribute) over its documents.
func BuildShard(shard *Request, schema IndexSchema, src Source, loader Loader) (*Pipeline, error) {
	return build(shard, schema, &rootProc{src: src}, loader, nil)
}

// KeyOrder is the order of the first lookup's keys once the whole request
// is compiled: the coordinator creates its keys in that order, so that its
// rows list their properties as one shard holding every document would.
func KeyOrder(req *Request, schema IndexSchema) []string {
	p, err := build(req, schema, &rootProc{src: emptySource{}}, nil, nil)
	if err != nil {
		return nil
	}
	out := make([]string, len(p.rootLookup.Keys))
	for i, k := range p.rootLookup.Keys {
		out[i] = k.Name
	}
	return out
}

type emptySource struct{}

func (emptySource) Next() (Doc, error) { return nil, nil }

// ShardRows is one shard's answer: its total and its rows.
type ShardRows struct {
	Total int64
	Rows  [][]Field
}

// BuildCoordinator compiles the coordinator's part over the shards' rows.
// keyOrder is KeyOrder of the whole request. The total starts as the
// shards' totals added up when the shards sorted or counted (their totals
// count documents), else it counts rows as they are read.
func BuildCoordinator(req, coord *Request, keyOrder []string, shards []ShardRows) (*Pipeline, error) {
	rp := &rowsProc{shards: shards}
	if _, ok := firstStep(coord).(*ArrangeStep); ok || req.NoRows && !hasGroup(req) {
		rp.presetTotal = true
	}
	p, err := build(coord, nil, rp, nil, keyOrder)
	if err != nil {
		return nil, err
	}
	if rp.presetTotal {
		for _, s := range shards {
			p.total += s.Total
		}
	}
	return p, nil
}

func firstStep(r *Request) Step {
	if len(r.Steps) == 0 {
		return nil
	}
	return r.Steps[0]
}

func hasGroup(r *Request) bool {
	for _, s := range r.Steps {
		if _, ok := s.(*GroupStep); ok {
			return true
		}
	}
	return false
}

// rowsProc reads the shards' rows, shard after shard.
type rowsProc struct {
	p           *Pipeline
	lk          *Lookup
	shards      []ShardRows
	si, ri      int
	presetTotal bool
}

func (r *rowsProc) next() (*Row, error) {
	for r.si < len(r.shards) {
		s := &r.shards[r.si]
		if r.ri >= len(s.Rows) {
			r.si++
			r.ri = 0
			continue
		}
		fields := s.Rows[r.ri]
		s.Rows[r.ri] = nil
		r.ri++
		row := &Row{cells: make([]cell, 0, len(r.lk.Keys))}
		for _, f := range fields {
			row.setValue(r.lk.key(f.Name), f.Value)
		}
		if !r.presetTotal {
			r.p.total++
		}
		return row, nil
	}
	return nil, nil
}
