package aggregate

import (
	"math"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// Partial states, as a shard's GROUPBY yields them and the coordinator's
// merges them:
//
//	COUNT                    the count
//	SUM, AVG                 [sum, count of numbers]
//	MIN, MAX                 the minimum / maximum (±inf when none)
//	COUNT_DISTINCT(ISH)      the distinct values
//	TOLIST                   the distinct values
//	STDDEV, QUANTILE         every number, in document order
//	FIRST_VALUE              [value, BY value] ([] when the group had none)
//	RANDOM_SAMPLE            the shard's sample

// newPartialReducer is a shard's reducer for red.
func newPartialReducer(red Reducer, resolve func(string) (*Key, error)) (reducerFactory, error) {
	name := strings.ToUpper(red.Name)
	switch name {
	case "COUNT", "MIN", "MAX", "TOLIST", "RANDOM_SAMPLE":
		return newReducer(red, resolve)
	}
	src, err := resolve(strings.TrimPrefix(red.Args[0], "@"))
	if err != nil {
		return nil, err
	}
	switch name {
	case "SUM", "AVG":
		return factoryFunc(func() accumulator { return &partialSum{sumAcc{src: src}} }), nil
	case "COUNT_DISTINCT", "COUNT_DISTINCTISH":
		return factoryFunc(func() accumulator { return &toListAcc{src: src, seen: map[string]struct{}{}} }), nil
	case "STDDEV", "QUANTILE":
		return factoryFunc(func() accumulator { return &numbersAcc{src: src} }), nil
	case "FIRST_VALUE":
		f, err := newReducer(red, resolve)
		if err != nil {
			return nil, err
		}
		return factoryFunc(func() accumulator {
			return &partialFirst{f.newAccumulator().(*firstValueAcc)}
		}), nil
	}
	return newReducer(red, resolve)
}

type partialSum struct{ sumAcc }

func (s *partialSum) result() expr.Value {
	return expr.Array(expr.Number(s.total), expr.Number(float64(s.n)))
}

// numbersAcc keeps every number (arrays flattened), for STDDEV and QUANTILE.
type numbersAcc struct {
	src  *Key
	vals []expr.Value
}

func (n *numbersAcc) add(r *Row) {
	if v, ok := r.value(n.src); ok {
		eachNumber(v, func(f float64) { n.vals = append(n.vals, expr.Number(f)) })
	}
}

func (n *numbersAcc) result() expr.Value { return expr.Array(n.vals...) }

type partialFirst struct{ *firstValueAcc }

func (p *partialFirst) result() expr.Value {
	if !p.has {
		return expr.Array()
	}
	return expr.Array(p.value, p.sortBy)
}

// newMergeReducer is the coordinator's reducer for red, reading the
// shards' partial states from col.
func newMergeReducer(red Reducer, col *Key) reducerFactory {
	name := strings.ToUpper(red.Name)
	switch name {
	case "COUNT":
		return factoryFunc(func() accumulator { return &mergeCount{col: col} })
	case "SUM", "AVG":
		return factoryFunc(func() accumulator { return &mergeSum{col: col, acc: sumAcc{avg: name == "AVG"}} })
	case "MIN", "MAX":
		return factoryFunc(func() accumulator {
			m := &minMaxAcc{src: col, min: name == "MIN", v: math.Inf(1)}
			if !m.min {
				m.v = math.Inf(-1)
			}
			return m
		})
	case "COUNT_DISTINCT", "COUNT_DISTINCTISH":
		return factoryFunc(func() accumulator {
			return &mergeDistinct{col: col, set: &toListAcc{seen: map[string]struct{}{}}}
		})
	case "TOLIST":
		return factoryFunc(func() accumulator { return &toListAcc{src: col, seen: map[string]struct{}{}} })
	case "STDDEV":
		return factoryFunc(func() accumulator {
			sd := &stddevAcc{}
			return &mergeNumbers{col: col, push: sd.push, out: sd.result}
		})
	case "QUANTILE":
		pct, _ := cStrtod(red.Args[1])
		res := quantileBuffer
		if len(red.Args) > 2 {
			res, _ = strconv.Atoi(red.Args[2])
		}
		return factoryFunc(func() accumulator {
			q := &quantileAcc{pct: pct, qs: newQuantStream(res)}
			return &mergeNumbers{col: col, push: q.qs.insert, out: q.result}
		})
	case "FIRST_VALUE":
		spec := &firstValueSpec{asc: true}
		if len(red.Args) >= 3 && strings.EqualFold(red.Args[1], "BY") {
			spec.by = &Key{} // only its presence matters here
			if len(red.Args) >= 4 && strings.EqualFold(red.Args[3], "DESC") {
				spec.asc = false
			}
		}
		return factoryFunc(func() accumulator { return &mergeFirst{col: col, acc: firstValueAcc{spec: spec}} })
	case "RANDOM_SAMPLE":
		n, _ := strconv.Atoi(red.Args[1])
		return factoryFunc(func() accumulator { return &mergeSample{col: col, acc: sampleAcc{size: n}} })
	}
	return factoryFunc(func() accumulator { return &mergeCount{col: col} })
}

type mergeCount struct {
	col *Key // the shards' partial states
	n   float64
}

func (m *mergeCount) add(r *Row) {
	if v, ok := r.value(m.col); ok {
		m.n += v.Num()
	}
}
func (m *mergeCount) result() expr.Value { return expr.Number(m.n) }

type mergeSum struct {
	col *Key // the shards' partial states
	acc sumAcc
}

func (m *mergeSum) add(r *Row) {
	v, ok := r.value(m.col)
	if !ok || len(v.Elems()) != 2 {
		return
	}
	m.acc.total += v.Elems()[0].Num()
	m.acc.n += int64(v.Elems()[1].Num())
}
func (m *mergeSum) result() expr.Value { return m.acc.result() }

type mergeDistinct struct {
	col *Key // the shards' partial states
	set *toListAcc
}

func (m *mergeDistinct) add(r *Row) {
	if v, ok := r.value(m.col); ok {
		for _, e := range v.Elems() {
			m.set.put(e)
		}
	}
}
func (m *mergeDistinct) result() expr.Value { return expr.Number(float64(len(m.set.list))) }

// mergeNumbers feeds the shards' numbers to STDDEV or QUANTILE.
type mergeNumbers struct {
	col  *Key // the shards' partial states
	push func(float64)
	out  func() expr.Value
}

func (m *mergeNumbers) add(r *Row) {
	v, ok := r.value(m.col)
	if !ok {
		return
	}
	for _, e := range v.Elems() {
		m.push(e.Num())
	}
}

func (m *mergeNumbers) result() expr.Value { return m.out() }

type mergeFirst struct {
	col *Key // the shards' partial states
	acc firstValueAcc
}

func (m *mergeFirst) add(r *Row) {
	v, ok := r.value(m.col)
	if !ok || len(v.Elems()) != 2 {
		return
	}
	m.acc.offer(v.Elems()[0], v.Elems()[1])
}
func (m *mergeFirst) result() expr.Value { return m.acc.value }

type mergeSample struct {
	col *Key // the shards' partial states
	acc sampleAcc
}

func (m *mergeSample) add(r *Row) {
	if v, ok := r.value(m.col); ok {
		for _, e := range v.Elems() {
			m.acc.offer(e)
		}
	}
}
func (m *mergeSample) result() expr.Value { return m.acc.result() }
