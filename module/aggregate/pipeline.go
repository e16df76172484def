package aggregate

import (
	"errors"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// Doc is a document the query matched.
type Doc interface {
	// ID is the document's internal id (SORTBY ties go by it).
	ID() uint32
	Key() string
	Score() float64
	// Sortable returns the document's value in its sorting vector.
	Sortable(slot int) (expr.Value, bool)
}

// MetricDoc is a document with values the query yielded for it (vector
// distances), under the names Request.Yields lists.
type MetricDoc interface {
	Metric(name string) (float64, bool)
}

// Source yields the documents the query matched, in index order. An error
// ends the pipeline (ErrTimedOut ends it with the rows so far).
type Source interface {
	Next() (Doc, error)
}

// ErrTimedOut is returned by a Source whose TIMEOUT passed.
var ErrTimedOut = errors.New("Timeout limit was reached")

// Loader reads documents' hash fields. Batch runs fn where the keyspace may
// be read (a shard's worker takes the main-thread lock for it), once per
// batch of rows rather than once per row.
type Loader interface {
	Batch(fn func())
	// Fields finds the document's hash, once for all the fields a row
	// loads; nil when the key holds no hash.
	Fields(d Doc) Fields
}

// Fields is a document's hash (server.Hash's methods).
type Fields interface {
	// Get reads one field; false when absent.
	Get(field string) (string, bool)
	// Each calls fn for every field in hash order, until it returns false.
	Each(fn func(field, value string) bool)
}

// DefaultLimit is the number of rows a SORTBY without MAX or LIMIT keeps
// (the module's DEFAULT_LIMIT).
const DefaultLimit = 10

// loadBatch is how many rows a loader gathers before it reads the keyspace,
// unless the Loader says otherwise (BatchSize): one at a time where the
// keyspace is at hand, as the module's synchronous loader reads (the
// reply's total counts the documents read before the first row).
const loadBatch = 256

// Pipeline is a compiled FT.AGGREGATE request that yields rows.
type Pipeline struct {
	req    *Request
	schema IndexSchema
	loader Loader
	params map[string]expr.Value

	total  int64 // the module's totalResults
	out    proc
	lookup *Lookup // the last segment's lookup, whose keys the rows show
	// rootLookup is the first segment's (documents') lookup.
	rootLookup *Lookup
	// yieldKeys are its keys for the values the query yields.
	yieldKeys []*Key
	// yield, when set, is called every yieldEvery documents (the main
	// thread lets other clients in; a worker lets other goroutines run).
	yield func()
	// counting is set when the reply's total is exact only after a full
	// run (LIMIT 0 0).
	timedOut bool
	// free are documents' rows a GROUPBY is done with (release), which
	// rootProc gives out again: a grouped query's rows are then a few
	// instead of one per match.
	free []*Row
}

// release gives back a document's row that no processor holds any more
// (GROUPBY's reducers read a row's values and keep none of the row).
func (p *Pipeline) release(r *Row) {
	if r.doc != nil {
		r.doc = nil
		p.free = append(p.free, r)
	}
}

// proc is a result processor: next returns the next row, nil at the end.
type proc interface {
	next() (*Row, error)
}

// Build compiles a checked request. The caller ran Parse, CheckContext, the
// query parser and Check; Build returns the module's build-time errors
// anyway (Check's).
func Build(req *Request, schema IndexSchema, src Source, loader Loader) (*Pipeline, error) {
	if err := req.Check(checkSchema{schema}); err != nil {
		return nil, err
	}
	return build(req, schema, &rootProc{src: src}, loader, nil)
}

// build wires the processors of req's steps after root. keyOrder, when not
// nil, creates the first lookup's keys in that order first (a
// coordinator's rows come with the keys a shard's pipeline made).
func build(req *Request, schema IndexSchema, root proc, loader Loader, keyOrder []string) (*Pipeline, error) {
	p := &Pipeline{req: req, schema: schema, loader: loader}
	if req.Params != nil {
		p.params = map[string]expr.Value{}
		for _, pr := range req.Params {
			p.params[pr.Name] = expr.String(pr.Value)
		}
	}
	cur := newLookup(true, schema)
	if keyOrder != nil {
		cur.open = true
		for _, name := range keyOrder {
			cur.key(name)
		}
	}
	p.rootLookup = cur
	if keyOrder == nil {
		for _, name := range req.Yields {
			p.yieldKeys = append(p.yieldKeys, cur.key(name))
		}
	}
	if req.AddScores && keyOrder == nil {
		// ADDSCORES: the scorer writes @__score, a key made before any
		// step's.
		cur.key("__score")
	}
	allLoaded := false
	up := root
	switch r := root.(type) {
	case *rootProc:
		r.p = p
	case *rowsProc:
		r.p, r.lk = p, cur
	}
	for _, st := range req.Steps {
		switch st := st.(type) {
		case *LoadStep:
			fields, err := st.Fields()
			if err != nil {
				return nil, err
			}
			lp := &loadProc{p: p, up: up, lk: cur, all: st.Star}
			for _, f := range fields {
				k := cur.key(f.Name)
				if fi, ok := schema.Attribute(f.Path); ok {
					k.path, k.numeric = fi.Path, fi.Numeric
				} else {
					k.path = f.Path
				}
				lp.keys = append(lp.keys, k)
			}
			if st.All {
				allLoaded = true
			}
			up = lp
		case *GroupStep:
			var loads []*Key
			resolve := func(name string) (*Key, error) {
				if k := cur.readable(name, allLoaded); k != nil {
					return k, nil
				}
				if k := cur.loadable(name); k != nil {
					loads = append(loads, k)
					return k, nil
				}
				return nil, errf("No such property `%s`", name)
			}
			g := &groupProc{p: p, in: cur}
			next := newLookup(false, nil)
			for _, prop := range st.Properties {
				name := prop[1:]
				k, err := resolve(name)
				if err != nil {
					return nil, err
				}
				g.srcKeys = append(g.srcKeys, k)
				g.dstKeys = append(g.dstKeys, next.key(name))
			}
			for _, red := range st.Reducers {
				var f reducerFactory
				var err error
				switch st.mode {
				case groupPartial:
					f, err = newPartialReducer(red, resolve)
				case groupMerge:
					f = newMergeReducer(red, cur.key(red.Alias))
				default:
					f, err = newReducer(red, resolve)
				}
				if err != nil {
					return nil, err
				}
				g.reducers = append(g.reducers, f)
				g.redKeys = append(g.redKeys, next.key(red.Alias))
			}
			if len(loads) > 0 {
				up = &loadProc{p: p, up: up, lk: cur, keys: loads, drained: true}
			}
			g.up = up
			up = g
			cur = next
		case *ArrangeStep:
			if req.NoRows {
				continue
			}
			var sp *sortProc
			if st.Sorted && len(st.Keys) > 0 {
				var loads []*Key
				sp = &sortProc{p: p}
				for _, sk := range st.Keys {
					k := cur.readable(sk.Name, allLoaded)
					if k == nil {
						if k = cur.loadable(sk.Name); k != nil {
							loads = append(loads, k)
						}
					}
					if k == nil {
						return nil, errf("Property `%s` not loaded nor in schema", sk.Name)
					}
					sp.keys = append(sp.keys, k)
					sp.asc = append(sp.asc, sk.Asc)
				}
				if len(loads) > 0 {
					up = &loadProc{p: p, up: up, lk: cur, keys: loads}
				}
				sp.limit = int(st.Offset + st.Limit)
				if sp.limit == 0 {
					sp.limit = DefaultLimit
				}
				sp.up = up
				up = sp
			}
			if st.Offset > 0 || (st.Limit > 0 && sp == nil) {
				up = &pageProc{up: up, offset: st.Offset, limit: st.Limit}
			}
		case *exportStep:
			var loads []*Key
			for _, name := range st.names {
				if cur.readable(name, allLoaded) != nil {
					continue
				}
				if k := cur.loadable(name); k != nil {
					loads = append(loads, k)
				}
			}
			if len(loads) > 0 {
				up = &loadProc{p: p, up: up, lk: cur, keys: loads}
			}
		case *ApplyStep, *FilterStep:
			src, alias, isApply := "", "", false
			if a, ok := st.(*ApplyStep); ok {
				src, alias, isApply = a.Expr, a.Alias, true
			} else {
				src = st.(*FilterStep).Expr
			}
			e, err := expr.Parse(src)
			if err != nil {
				return nil, &Error{Msg: err.Error()}
			}
			for _, name := range e.Properties() {
				if cur.readable(name, allLoaded) == nil {
					return nil, errf("Property `%s` not loaded nor in pipeline", name)
				}
			}
			ep := &evalProc{p: p, up: up, e: e, env: rowEnv{lk: cur, params: p.params}}
			if isApply {
				ep.dst = cur.key(alias)
			}
			up = ep
		}
	}
	p.out = up
	p.lookup = cur
	return p, nil
}

// SetYield sets the function called every few hundred documents read.
func (p *Pipeline) SetYield(fn func()) { p.yield = fn }

// Lookup is the lookup whose keys the rows show.
func (p *Pipeline) Lookup() *Lookup { return p.lookup }

// Total is the reply's first element: the module's totalResults at the time
// it is read.
func (p *Pipeline) Total() int64 { return p.total }

// TimedOut reports whether the source stopped at the TIMEOUT.
func (p *Pipeline) TimedOut() bool { return p.timedOut }

// Next returns the next row, nil when there are no more.
func (p *Pipeline) Next() (*Row, error) { return p.out.next() }

// CountOnly reports LIMIT 0 0: the reply is the total alone.
func (p *Pipeline) CountOnly() bool { return p.req.NoRows }

// Drain runs the pipeline to its end without keeping rows (LIMIT 0 0).
func (p *Pipeline) Drain() error { return pullAll(p.out, func(*Row) {}) }

// pullAll reads every row of up into fn (the accumulating processors).
func pullAll(up proc, fn func(*Row)) error {
	for {
		r, err := up.next()
		if err != nil || r == nil {
			return err
		}
		fn(r)
	}
}

// rootProc reads the query's documents: every document counts in total.
type rootProc struct {
	p   *Pipeline
	src Source
	eof bool
	n   int

	// Rows and their cells are allocated a slab at a time.
	rows  []Row
	cells []cell
}

// rowSlab is how many rows rootProc allocates at once.
const rowSlab = 128

// yieldEvery is how many documents the pipeline reads between two calls
// of its yield function.
const yieldEvery = 256

func (r *rootProc) next() (*Row, error) {
	if r.eof {
		return nil, nil
	}
	d, err := r.src.Next()
	if err == ErrTimedOut {
		r.p.timedOut = true
		r.eof = true
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if d == nil {
		r.eof = true
		return nil, nil
	}
	r.p.total++
	if r.n++; r.n%yieldEvery == 0 && r.p.yield != nil {
		r.p.yield()
	}
	return r.newRow(d), nil
}

// newRow takes a row from the slab, with a cell for each key the first
// lookup has (LOAD * may add more, which grow that row alone).
func (r *rootProc) newRow(d Doc) *Row {
	if n := len(r.p.free); n > 0 {
		// A released row: its cells read as unset (setValue grows them
		// as a new row's, for a key LOAD * added since).
		row := r.p.free[n-1]
		r.p.free = r.p.free[:n-1]
		clear(row.cells)
		row.doc, row.id = d, d.ID()
		r.setMetrics(row, d)
		return row
	}
	if len(r.rows) == 0 {
		width := len(r.p.rootLookup.Keys)
		r.rows = make([]Row, rowSlab)
		r.cells = make([]cell, rowSlab*width)
	}
	row := &r.rows[0]
	r.rows = r.rows[1:]
	width := len(r.cells) / (len(r.rows) + 1)
	row.doc, row.id = d, d.ID()
	row.cells = r.cells[:width:width]
	r.cells = r.cells[width:]
	r.setMetrics(row, d)
	return row
}

// setMetrics sets the values the query yields for the document.
func (r *rootProc) setMetrics(row *Row, d Doc) {
	if md, ok := d.(MetricDoc); ok {
		for _, k := range r.p.yieldKeys {
			if v, ok := md.Metric(k.Name); ok {
				row.setValue(k, expr.Number(v))
			}
		}
	}
}

// loadProc reads hash fields into rows, a batch of rows at a time.
type loadProc struct {
	p    *Pipeline
	up   proc
	lk   *Lookup
	keys []*Key
	all  bool // LOAD *: every field of the hash

	buf  []*Row
	pos  int
	err  error
	done bool
	// loadBuf is loadAll as a func value, made once: a closure built for
	// each batch escaped to the heap, an allocation per row on the main
	// thread (batches of one).
	loadBuf func()
	// drained is set for the load a GROUPBY needs, which reads every row
	// before it yields one: rows are then loaded drainBatch at a time
	// even where the loader reads one at a time (the total the reply
	// shows is the number of groups, whatever was read before).
	drained bool
	hashes  []Fields // loadAll's scratch
}

// drainBatch is a drained load's smallest batch.
const drainBatch = 32

// loadAll loads the rows of the batch: first every row's hash, then the
// fields of each, so that the keyspace lookups of a batch and then the
// reads of its hashes follow each other closely (their cache misses
// overlap, where a row at a time waited for each in turn).
func (l *loadProc) loadAll() {
	if len(l.buf) == 1 {
		l.load(l.buf[0], l.fields(l.buf[0]))
		return
	}
	l.hashes = l.hashes[:0]
	for _, r := range l.buf {
		l.hashes = append(l.hashes, l.fields(r))
	}
	for i, r := range l.buf {
		l.load(r, l.hashes[i])
		l.hashes[i] = nil
	}
}

// fields is the row's document's hash (nil for none).
func (l *loadProc) fields(r *Row) Fields {
	if r.doc == nil {
		return nil
	}
	return l.p.loader.Fields(r.doc)
}

func (l *loadProc) next() (*Row, error) {
	if l.pos < len(l.buf) {
		r := l.buf[l.pos]
		l.buf[l.pos] = nil
		l.pos++
		return r, nil
	}
	if l.err != nil || l.done {
		return nil, l.err
	}
	l.buf, l.pos = l.buf[:0], 0
	batch := loadBatch
	if b, ok := l.p.loader.(interface{ BatchSize() int }); ok {
		batch = b.BatchSize()
	}
	if l.drained {
		batch = max(batch, drainBatch)
	}
	for len(l.buf) < batch {
		r, err := l.up.next()
		if err != nil {
			l.err = err
			break
		}
		if r == nil {
			l.done = true
			break
		}
		l.buf = append(l.buf, r)
	}
	if len(l.buf) > 0 {
		if l.loadBuf == nil {
			l.loadBuf = l.loadAll
		}
		l.p.loader.Batch(l.loadBuf)
	}
	return l.next()
}

func (l *loadProc) load(r *Row, h Fields) {
	if r.doc == nil {
		return
	}
	if l.all && h != nil {
		// LOAD * keeps every value a string, NUMERIC attributes too.
		h.Each(func(field, value string) bool {
			r.setValue(l.lk.key(field), expr.String(value))
			return true
		})
	}
	for _, k := range l.keys {
		switch k.special {
		case specialKey:
			r.setValue(k, expr.String(r.doc.Key()))
			continue
		case specialScore:
			r.setValue(k, expr.Number(r.doc.Score()))
			continue
		}
		if h == nil {
			continue
		}
		if v, ok := h.Get(k.path); ok {
			r.setValue(k, loadedValue(v, k.numeric))
		}
	}
}

// loadedValue converts a hash value as the loader does: NUMERIC attributes
// become numbers when they parse.
func loadedValue(s string, numeric bool) expr.Value {
	if numeric {
		if f, ok := cStrtod(strings.TrimSpace(s)); ok {
			return expr.Number(f)
		}
	}
	return expr.String(s)
}

// evalProc is APPLY (dst set) or FILTER.
type evalProc struct {
	p   *Pipeline
	up  proc
	e   *expr.Expr
	dst *Key
	env rowEnv
}

func (e *evalProc) next() (*Row, error) {
	for {
		r, err := e.up.next()
		if r == nil || err != nil {
			return nil, err
		}
		e.env.row = r
		v, err := e.e.Eval(&e.env)
		if err != nil {
			return nil, err
		}
		if e.dst != nil {
			r.setValue(e.dst, v)
			return r, nil
		}
		if v.Truthy() {
			return r, nil
		}
	}
}

// pageProc is LIMIT without a sorter, or the offset after one.
type pageProc struct {
	up            proc
	offset, limit uint64
	seen, sent    uint64
}

func (pg *pageProc) next() (*Row, error) {
	for {
		if pg.limit > 0 && pg.sent >= pg.limit {
			return nil, nil
		}
		r, err := pg.up.next()
		if r == nil || err != nil {
			return nil, err
		}
		pg.seen++
		if pg.seen <= pg.offset {
			continue
		}
		pg.sent++
		return r, nil
	}
}
