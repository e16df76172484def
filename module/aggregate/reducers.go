package aggregate

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// reducerFactory makes one accumulator per group.
type reducerFactory interface {
	newAccumulator() accumulator
}

// accumulator reduces the rows of one group.
type accumulator interface {
	add(r *Row)
	result() expr.Value
}

type factoryFunc func() accumulator

func (f factoryFunc) newAccumulator() accumulator { return f() }

// newReducer builds a REDUCE clause; resolve finds (or makes loadable) the
// properties it reads. Check has validated the arguments.
func newReducer(red Reducer, resolve func(string) (*Key, error)) (reducerFactory, error) {
	name := strings.ToUpper(red.Name)
	var src *Key
	if name != "COUNT" {
		if len(red.Args) == 0 {
			return nil, errf("Missing arguments for %s", red.Name)
		}
		k, err := resolve(strings.TrimPrefix(red.Args[0], "@"))
		if err != nil {
			return nil, errf("Property is not present in document or pipeline: `%s`", strings.TrimPrefix(red.Args[0], "@"))
		}
		src = k
	}
	switch name {
	case "COUNT":
		return factoryFunc(func() accumulator { return &countAcc{} }), nil
	case "SUM":
		return factoryFunc(func() accumulator { return &sumAcc{src: src} }), nil
	case "AVG":
		return factoryFunc(func() accumulator { return &sumAcc{src: src, avg: true} }), nil
	case "MIN":
		return factoryFunc(func() accumulator { return &minMaxAcc{src: src, min: true, v: math.Inf(1)} }), nil
	case "MAX":
		return factoryFunc(func() accumulator { return &minMaxAcc{src: src, v: math.Inf(-1)} }), nil
	case "COUNT_DISTINCT", "COUNT_DISTINCTISH":
		return factoryFunc(func() accumulator { return &distinctAcc{src: src, seen: map[string]struct{}{}} }), nil
	case "TOLIST":
		return factoryFunc(func() accumulator { return &toListAcc{src: src, seen: map[string]struct{}{}} }), nil
	case "STDDEV":
		return factoryFunc(func() accumulator { return &stddevAcc{src: src} }), nil
	case "QUANTILE":
		pct, _ := strconv.ParseFloat(red.Args[1], 64)
		if f, ok := cStrtod(red.Args[1]); ok {
			pct = f
		}
		res := quantileBuffer
		if len(red.Args) > 2 {
			res, _ = strconv.Atoi(red.Args[2])
		}
		return factoryFunc(func() accumulator { return &quantileAcc{src: src, pct: pct, qs: newQuantStream(res)} }), nil
	case "FIRST_VALUE":
		fv := &firstValueSpec{src: src, asc: true}
		if len(red.Args) >= 3 && strings.EqualFold(red.Args[1], "BY") {
			k, err := resolve(strings.TrimPrefix(red.Args[2], "@"))
			if err != nil {
				return nil, err
			}
			fv.by = k
			if len(red.Args) >= 4 && strings.EqualFold(red.Args[3], "DESC") {
				fv.asc = false
			}
		}
		return factoryFunc(func() accumulator { return &firstValueAcc{spec: fv} }), nil
	case "RANDOM_SAMPLE":
		n, _ := strconv.Atoi(red.Args[1])
		return factoryFunc(func() accumulator { return &sampleAcc{src: src, size: n} }), nil
	}
	return nil, errf("No such reducer: %s", red.Name)
}

type countAcc struct{ n int64 }

func (c *countAcc) add(*Row)           { c.n++ }
func (c *countAcc) result() expr.Value { return expr.Number(float64(c.n)) }

// sumAcc is SUM and AVG over the values that convert to numbers; with none
// both answer nan (the 8.x reducers; 2.10 answered 0).
type sumAcc struct {
	src   *Key
	avg   bool
	total float64
	n     int64
}

func (s *sumAcc) add(r *Row) {
	if v, ok := r.value(s.src); ok {
		if f, ok := v.ToNumber(); ok {
			s.total += f
			s.n++
		}
	}
}

func (s *sumAcc) result() expr.Value {
	if s.n == 0 {
		return expr.Number(math.NaN())
	}
	if !s.avg {
		return expr.Number(s.total)
	}
	return expr.Number(s.total / float64(s.n))
}

type minMaxAcc struct {
	src *Key
	min bool
	v   float64
}

func (m *minMaxAcc) add(r *Row) {
	v, ok := r.value(m.src)
	if !ok {
		return
	}
	f, ok := v.ToNumber()
	if !ok {
		return
	}
	if m.min && f < m.v || !m.min && f > m.v {
		m.v = f
	}
}

func (m *minMaxAcc) result() expr.Value { return expr.Number(m.v) }

type distinctAcc struct {
	src  *Key
	seen map[string]struct{}
	buf  []byte
}

func (d *distinctAcc) add(r *Row) {
	v, ok := r.value(d.src)
	if !ok || v.IsNull() {
		return
	}
	d.buf = expr.AppendHashKey(d.buf[:0], v)
	d.seen[string(d.buf)] = struct{}{}
}

func (d *distinctAcc) result() expr.Value { return expr.Number(float64(len(d.seen))) }

// toListAcc is TOLIST: the distinct values (an array's elements one by one).
type toListAcc struct {
	src  *Key
	seen map[string]struct{}
	list []expr.Value
	buf  []byte
}

func (t *toListAcc) add(r *Row) {
	v, ok := r.value(t.src)
	if !ok || v.IsNull() {
		return
	}
	if v.Kind() == expr.KindArray {
		for _, e := range v.Elems() {
			t.put(e)
		}
		return
	}
	t.put(v)
}

func (t *toListAcc) put(v expr.Value) {
	t.buf = expr.AppendHashKey(t.buf[:0], v)
	if _, ok := t.seen[string(t.buf)]; ok {
		return
	}
	t.seen[string(t.buf)] = struct{}{}
	t.list = append(t.list, v)
}

func (t *toListAcc) result() expr.Value { return expr.Array(t.list...) }

// stddevAcc is STDDEV: the sample standard deviation, by Welford's method
// as the module computes it.
type stddevAcc struct {
	src        *Key
	n          float64
	oldM, newM float64
	oldS, newS float64
}

func (s *stddevAcc) add(r *Row) {
	if v, ok := r.value(s.src); ok {
		eachNumber(v, s.push)
	}
}

// eachNumber calls fn with v's number, or with each number of an array
// (values that do not convert are skipped), as STDDEV and QUANTILE read.
func eachNumber(v expr.Value, fn func(float64)) {
	if v.Kind() == expr.KindArray {
		for _, e := range v.Elems() {
			if f, ok := e.ToNumber(); ok {
				fn(f)
			}
		}
		return
	}
	if f, ok := v.ToNumber(); ok {
		fn(f)
	}
}

func (s *stddevAcc) push(d float64) {
	s.n++
	if s.n == 1 {
		s.oldM, s.newM = d, d
		s.oldS = 0
		return
	}
	s.newM = s.oldM + (d-s.oldM)/s.n
	s.newS = s.oldS + (d-s.oldM)*(d-s.newM)
	s.oldM, s.oldS = s.newM, s.newS
}

func (s *stddevAcc) result() expr.Value {
	variance := 0.0
	if s.n > 1 {
		variance = s.newS / (s.n - 1)
	}
	return expr.Number(math.Sqrt(variance))
}

type quantileAcc struct {
	src *Key
	pct float64
	qs  *quantStream
}

func (q *quantileAcc) add(r *Row) {
	if v, ok := r.value(q.src); ok {
		eachNumber(v, q.qs.insert)
	}
}

func (q *quantileAcc) result() expr.Value { return expr.Number(q.qs.query(q.pct)) }

type firstValueSpec struct {
	src, by *Key
	asc     bool
}

type firstValueAcc struct {
	spec   *firstValueSpec
	has    bool
	value  expr.Value
	sortBy expr.Value
}

// add keeps the first value (rows without one are skipped), or with BY the
// value whose BY value comes first. A null best BY value is replaced as the
// module's comparison arithmetic allows: by any non-null value when
// ascending, never when descending.
func (f *firstValueAcc) add(r *Row) {
	v, ok := r.value(f.spec.src)
	if !ok {
		return
	}
	if f.spec.by == nil {
		if !f.has {
			f.has, f.value = true, v
		}
		return
	}
	sv, ok := r.value(f.spec.by)
	if !ok {
		sv = expr.Null()
	}
	f.offer(v, sv)
}

// offer considers a value and its BY value.
func (f *firstValueAcc) offer(v, sv expr.Value) {
	if !f.has {
		f.has, f.value, f.sortBy = true, v, sv
		return
	}
	c, _ := expr.Compare(sv, f.sortBy)
	if f.spec.asc {
		c = -c
	}
	if isNull := f.sortBy.IsNull(); !isNull && c > 0 || isNull && c < 0 {
		f.value, f.sortBy = v, sv
	}
}

func (f *firstValueAcc) result() expr.Value { return f.value }

// sampleAcc is RANDOM_SAMPLE: a reservoir of size values.
type sampleAcc struct {
	src  *Key
	size int
	seen int
	vals []expr.Value
}

func (s *sampleAcc) add(r *Row) {
	v, ok := r.value(s.src)
	if !ok || v.IsNull() {
		return
	}
	s.offer(v)
}

func (s *sampleAcc) offer(v expr.Value) {
	s.seen++
	if len(s.vals) < s.size {
		s.vals = append(s.vals, v)
		return
	}
	if i := rand.IntN(s.seen); i < s.size {
		s.vals[i] = v
	}
}

func (s *sampleAcc) result() expr.Value { return expr.Array(s.vals...) }
