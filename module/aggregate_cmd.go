package module

import (
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/expr"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FT.AGGREGATE idx query [options] [pipeline]
func (m *Module) cmdAggregate(c *server.Ctx, args [][]byte) {
	if m.distributed(c, "FT.AGGREGATE", args) {
		return
	}
	m.aggregate(c, args)
}

// usesMatchedTerms tells whether an APPLY or FILTER calls matched_terms(),
// for which the documents keep the terms they matched.
func usesMatchedTerms(r *aggregate.Request) bool {
	for _, st := range r.Steps {
		var src string
		switch st := st.(type) {
		case *aggregate.ApplyStep:
			src = st.Expr
		case *aggregate.FilterStep:
			src = st.Expr
		}
		if strings.Contains(strings.ToLower(src), "matched_terms") {
			return true
		}
	}
	return false
}

// aggRequest is a parsed FT.AGGREGATE: its pipeline and the query part.
type aggRequest struct {
	index string
	agg   *aggregate.Request
	query *searchRequest
	// shard is `_FT.AGGREGATE`: a shard's part of a cluster's aggregation,
	// replied in the wire format the coordinator merges.
	shard bool
	// root is the parsed query.
	root query.Node
}

// parseAggregate parses FT.AGGREGATE's arguments after the index name and
// checks what needs no documents, in the module's order: the arguments,
// LANGUAGE and SCORER, the query string, then the pipeline's properties
// and expressions.
func (m *Module) parseAggregate(idx *Index, args [][]byte) (*aggRequest, error) {
	strs := make([]string, len(args)-1)
	for i, a := range args[1:] {
		strs[i] = string(a)
	}
	opts := aggregate.Options{
		DefaultDialect:      m.cfg.DefaultDialect(),
		MaxSearchResults:    uint64(m.cfg.MaxSearchResults()),
		MaxAggregateResults: uint64(m.cfg.MaxAggregateResults()),
		CursorMaxIdle:       uint64(m.cfg.CursorMaxIdle() / time.Millisecond),
		Timeout:             int64(m.cfg.Timeout() / time.Millisecond),
	}
	ar, err := aggregate.Parse(strs, opts)
	if err != nil {
		return nil, err
	}
	if err := ar.CheckContext(func(l string) bool { _, ok := text.ParseLanguage(l); return ok },
		func(s string) bool { return scorers[s] }); err != nil {
		return nil, err
	}
	q := &searchRequest{
		query:       string(args[0]),
		opts:        m.cfg.queryOptions(),
		noStopwords: ar.NoStopwords,
		scorer:      m.cfg.DefaultScorer(),
		timeoutMs:   ar.Timeout,
		params:      ar.ParamMap(),
		dialect:     ar.Dialect,
		withScores:  ar.AddScores || ar.WithScores,
	}
	q.opts.Verbatim, q.opts.InOrder, q.opts.Expander = ar.Verbatim, ar.InOrder, ar.Expander
	q.opts.InKeys, q.opts.InKeysSet = ar.InKeys, ar.InKeys != nil
	q.opts.InFields, q.opts.InFieldsOn = ar.InFields, ar.InFields != nil
	if ar.Slop != nil {
		q.opts.Slop = int(*ar.Slop)
	}
	if ar.Scorer != "" {
		q.scorer = ar.Scorer
	}
	if ar.Language != "" {
		q.opts.Language, _ = text.ParseLanguage(ar.Language)
		q.opts.LanguageGiven = true
	}
	if ar.Payload != nil {
		q.payload = *ar.Payload
	}
	q.matchedTerms = usesMatchedTerms(ar)
	root, err := m.parseQuery(idx, q)
	if err != nil {
		return nil, err
	}
	// The distances the query yields are the documents' first properties.
	ar.Yields = index.MetricNames(root)
	if err := ar.Check(aggSchema{idx.Spec()}); err != nil {
		return nil, err
	}
	return &aggRequest{agg: ar, query: q, root: root}, nil
}

func (m *Module) aggregate(c *server.Ctx, args [][]byte) {
	m.runAggregateCommand(c, args, false)
}

// runAggregateCommand is FT.AGGREGATE, or `_FT.AGGREGATE` (shard).
func (m *Module) runAggregateCommand(c *server.Ctx, args [][]byte, shard bool) {
	idx := m.queryIndex(c, args)
	if idx == nil {
		return
	}
	name := string(args[1])
	req, err := m.parseAggregate(idx, args[2:])
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	req.index = name
	req.shard = shard
	if shard {
		req.agg.WithCursor = false // the coordinator keeps the cursor
		req.distributeKNN()
	}
	if c.CanBlock() && m.submitAggregate(c, idx, req) {
		return
	}
	start := time.Now()
	run, err := m.startAggregate(idx, req, start, false, func() bool {
		// Yield the main thread while the query's documents are gathered,
		// as FT.SEARCH does.
		if c.InMulti() {
			return true
		}
		writes := idx.Writes()
		idx.RUnlock()
		c.YieldIfDue("")
		idx.RLock()
		return idx.Writes() == writes
	})
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	defer m.mainThreadYield(run, c)()
	if req.agg.WithCursor {
		m.startCursor(run, false, false, inlineReply{c.W})
		return
	}
	replyAggregate(c.W, run)
}

// mainThreadYield lets other clients in every few hundred documents while
// an aggregation runs on the main thread (its pipeline holds no index lock:
// documents are immutable, and hash loads read whatever is there), as
// FT.SEARCH's inline queries do. It returns what takes the hook off again,
// so that a cursor's later reads, from other commands, do not call it.
func (m *Module) mainThreadYield(run *aggRun, c *server.Ctx) func() {
	run.pipe.SetYield(func() {
		if c.InMulti() {
			return
		}
		if m.debug.atYield != nil {
			m.debug.atYield()
		}
		c.YieldIfDue("")
	})
	return func() { run.pipe.SetYield(nil) }
}

// submitAggregate runs the request on the worker pool, as FT.SEARCH does;
// false when the pool has no workers.
func (m *Module) submitAggregate(c *server.Ctx, idx *Index, req *aggRequest) bool {
	if !m.offloading() {
		return false
	}
	start := time.Now()
	fail := m.cfg.OnTimeoutFail()
	bc := c.BlockClient(m.blockFor(req.query.timeoutMs), func(w *resp.Writer) {
		if req.agg.WithCursor && !fail {
			// A cursor reply's shape, with no cursor left.
			w.Array(2)
			WriteTimedOut(w, false)
			w.Int(0)
			return
		}
		WriteTimedOut(w, fail)
	})
	if !m.runJob(func() { m.aggregateJob(bc, idx, req, start) }) {
		bc.Reply(func(w *resp.Writer) { w.Error("ERR the search workers are shutting down") })
	}
	return true
}

func (m *Module) aggregateJob(bc *server.BlockedClient, idx *Index, req *aggRequest, start time.Time) {
	defer m.recoverJob(bc, "an aggregate job", nil)
	if abandoned(bc) {
		return
	}
	run, err := m.startAggregate(idx, req, start, true, workerYield)
	if err != nil {
		bc.Reply(func(w *resp.Writer) { w.Error(err.Error()) })
		return
	}
	run.pipe.SetYield(func() { workerYield() })
	if req.agg.WithCursor {
		m.startCursor(run, false, true, bc)
		return
	}
	// The rows are produced here, on the worker; the loader takes the main
	// thread's lock for each batch it reads from the keyspace.
	chunk, err := collectRows(run, -1)
	if err != nil {
		bc.Reply(func(w *resp.Writer) { w.Error(err.Error()) })
		return
	}
	bc.Reply(func(w *resp.Writer) { writeAggregateChunk(w, run, chunk) })
}

// aggRun is an aggregation in progress: its pipeline over the documents
// the query matched.
type aggRun struct {
	req      *aggRequest
	idx      *Index
	pipe     *aggregate.Pipeline
	loader   *hashLoader
	warnings []string
	started  bool
}

// startAggregate gathers the documents the query matches, under the
// index's read lock, and builds the pipeline over them. onWorker tells the
// loader to take the main thread's lock for its reads. yield is called
// every few hundred documents; it reports false when the index changed,
// and the query then starts again without yielding.
func (m *Module) startAggregate(idx *Index, req *aggRequest, start time.Time, onWorker bool, yield func() bool) (*aggRun, error) {
	idx.RLock()
	slot := aggSortSlot(idx.Spec(), req.agg)
	docs, timedOut, warnings, err := m.matchAll(idx, req.query, slot, start, yield)
	if err == errIndexChanged {
		m.restarts.Inc()
		docs, timedOut, warnings, err = m.matchAll(idx, req.query, slot, start, nil)
	}
	idx.RUnlock()
	if err != nil {
		return nil, err
	}
	if timedOut && m.cfg.OnTimeoutFail() {
		return nil, errorString(index.WarnTimeout)
	}
	if timedOut {
		warnings = append(warnings, index.WarnTimeout)
	}
	loader := &hashLoader{m: m, lock: onWorker, idx: idx, multi: req.query.dialect >= 3}
	build := aggregate.Build
	if req.shard {
		build = func(r *aggregate.Request, s aggregate.IndexSchema, src aggregate.Source, l aggregate.Loader) (*aggregate.Pipeline, error) {
			part, _ := aggregate.Distribute(r)
			return aggregate.BuildShard(part, s, src, l)
		}
	}
	pipe, err := build(req.agg, aggSchema{idx.Spec()}, &docSource{docs: docs}, loader)
	if err != nil {
		return nil, err
	}
	return &aggRun{req: req, idx: idx, pipe: pipe, loader: loader, warnings: warnings}, nil
}

// aggChunk is a batch of reply rows and the total to show with them.
type aggChunk struct {
	total int64 // RESP2: the count when the first row was fetched
	// totalAfter is the count once the chunk was collected, which RESP3
	// replies show.
	totalAfter int64
	rows       [][]aggregate.Field
	done       bool // the pipeline has no more rows
}

// collectRows pulls up to max rows (all when max < 0). The reply's total is
// the module's count when the first row was fetched.
func collectRows(run *aggRun, max int) (*aggChunk, error) {
	ch := &aggChunk{}
	if run.pipe.CountOnly() {
		if err := run.pipe.Drain(); err != nil {
			return nil, err
		}
		ch.total, ch.done = run.pipe.Total(), true
		ch.totalAfter = ch.total
		return ch, nil
	}
	lk := run.pipe.Lookup()
	first := true
	for max < 0 || len(ch.rows) < max {
		r, err := run.pipe.Next()
		if err != nil {
			return nil, err
		}
		if first {
			ch.total = run.pipe.Total()
			first = false
		}
		if r == nil {
			ch.done = true
			break
		}
		ch.rows = append(ch.rows, lk.Fields(r))
	}
	ch.totalAfter = run.pipe.Total()
	return ch, nil
}

// replyAggregate runs an aggregation to its end and replies.
func replyAggregate(w *resp.Writer, run *aggRun) {
	ch, err := collectRows(run, -1)
	if err != nil {
		w.Error(err.Error())
		return
	}
	writeAggregateChunk(w, run, ch)
}

// writeAggregateChunk writes rows as FT.AGGREGATE replies them: RESP2
// [total, [k, v, …], …]; RESP3 a map with results, total_results, warning.
func writeAggregateChunk(w *resp.Writer, run *aggRun, ch *aggChunk) {
	if run.req.shard {
		writeShardRows(w, ch)
		return
	}
	if !w.Resp3() {
		writeRows2(w, ch, writeAggValue)
		return
	}
	WriteResultsHead3(w, len(ch.rows))
	for _, row := range ch.rows {
		w.Map(2)
		w.SimpleString("extra_attributes")
		w.Map(len(row))
		for _, f := range row {
			w.BulkString(f.Name)
			writeAggValue(w, f.Value)
		}
		w.SimpleString("values")
		w.Array(0)
	}
	WriteResultsTail3(w, ch.totalAfter, run.warnings)
}

// writeRows2 writes [total, [name, value, …], …].
func writeRows2(w *resp.Writer, ch *aggChunk, value func(*resp.Writer, expr.Value)) {
	w.Array(len(ch.rows) + 1)
	w.Int(ch.total)
	for _, row := range ch.rows {
		w.Array(2 * len(row))
		for _, f := range row {
			w.BulkString(f.Name)
			value(w, f.Value)
		}
	}
}

// writeAggValue writes a row value: numbers and strings as bulk strings,
// null as nil, arrays as arrays.
func writeAggValue(w *resp.Writer, v expr.Value) {
	switch v.Kind() {
	case expr.KindNull:
		w.Null()
	case expr.KindArray:
		es := v.Elems()
		w.Array(len(es))
		for _, e := range es {
			writeAggValue(w, e)
		}
	default:
		w.BulkString(expr.Format(v))
	}
}

// matchAll returns every document the query matches, in id order, with
// scores when the request uses them. The caller holds the index's read
// lock.
func (m *Module) matchAll(idx *Index, req *searchRequest, sortSlot int, start time.Time, yield func() bool) ([]index.Match, bool, []string, error) {
	q, err := m.openQuery(idx, req)
	if err != nil {
		return nil, false, nil, err
	}
	docs, timedOut, err := q.MatchAll(index.MatchOptions{
		Scoring:      req.scoring(),
		WithScores:   req.withScores,
		MatchedTerms: req.matchedTerms,
		Tick:         m.newPacer(req, start, yield).tick,
		SortSlot:     sortSlot,
	})
	if err != nil {
		return nil, false, nil, err
	}
	return docs, timedOut, q.Warnings(), nil
}

// aggSortSlot is MatchOptions.SortSlot for a request: 1+ the slot of the
// first SORTABLE NUMERIC attribute among the keys of the SORTBY that sorts
// documents (one before any GROUPBY), whose values MatchAll then copies
// from the document table's sort column; 0 when there is none.
func aggSortSlot(sp *index.Spec, r *aggregate.Request) int {
	for _, st := range r.Steps {
		switch st := st.(type) {
		case *aggregate.GroupStep:
			return 0
		case *aggregate.ArrangeStep:
			if !st.Sorted {
				continue
			}
			for _, k := range st.Keys {
				if f := sp.Field(k.Name); f != nil && f.Sortable && f.Type == index.FieldNumeric {
					return f.SortIdx() + 1
				}
			}
			return 0
		}
	}
	return 0
}

// docSource feeds the gathered documents to a pipeline.
type docSource struct {
	docs []index.Match
	pos  int
}

func (s *docSource) Next() (aggregate.Doc, error) {
	if s.pos >= len(s.docs) {
		return nil, nil
	}
	h := &s.docs[s.pos]
	s.pos++
	return aggDoc{h}, nil
}

// aggDoc is a matched document as the pipeline sees it. Documents are
// never changed once indexed (a write indexes a new one), so the pipeline
// reads them without the index's lock.
type aggDoc struct{ h *index.Match }

func (d aggDoc) ID() uint32 { return d.h.ID() }

// MatchedTerms are the terms the query matched in the document.
func (d aggDoc) MatchedTerms() []string { return d.h.Terms() }

func (d aggDoc) Key() string { return d.h.Doc.Key() }

// Metric is a value the query yielded for the document (a distance).
func (d aggDoc) Metric(name string) (float64, bool) {
	for _, m := range d.h.Metrics() {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}
func (d aggDoc) Score() float64 { return d.h.Score }

func (d aggDoc) Sortable(slot int) (expr.Value, bool) {
	v, ok := d.h.SortValueAt(slot)
	if !ok {
		return expr.Null(), false
	}
	switch v.Kind {
	case index.SortNum:
		return expr.Number(v.Num), true
	case index.SortStr:
		return expr.String(v.Str), true
	}
	return expr.Null(), false
}

// hashLoader reads documents' hashes from db 0. On a worker it takes the
// main thread's lock for each batch.
type hashLoader struct {
	m    *Module
	lock bool
	// idx is the index whose documents are read (a JSON index reads JSON
	// documents); multi is DIALECT 3's every match of a JSON path.
	idx   *Index
	multi bool
}

func (l *hashLoader) Batch(fn func()) {
	if l.lock {
		gil := l.m.srv.GIL()
		gil.Lock()
		defer gil.Unlock()
	}
	fn()
}

// BatchSize is 1 on the main thread, which reads the keyspace at will, and
// a batch per lock on a worker (the module's safe loader).
func (l *hashLoader) BatchSize() int {
	if l.lock {
		return 256
	}
	return 1
}

func (l *hashLoader) Fields(d aggregate.Doc) aggregate.Fields {
	e := l.m.srv.DB(0).Peek(d.Key())
	if l.idx == nil {
		if e == nil || e.Type() != server.TypeHash {
			return nil
		}
		return e.Hash()
	}
	f, ok := l.m.fields(l.idx, e, l.multi)
	if !ok {
		return nil
	}
	return f
}

// aggSchema shows an index's schema to the pipeline.
type aggSchema struct{ sp *index.Spec }

func (s aggSchema) info(f *index.Field) aggregate.FieldInfo {
	return aggregate.FieldInfo{Name: f.Name, Path: f.Path, SortIdx: f.SortIdx(), Numeric: f.Type == index.FieldNumeric}
}

func (s aggSchema) Attribute(name string) (aggregate.FieldInfo, bool) {
	f := s.sp.Field(name)
	if f == nil {
		return aggregate.FieldInfo{}, false
	}
	return s.info(f), true
}

func (s aggSchema) AttributeByPath(path string) (aggregate.FieldInfo, bool) {
	for _, f := range s.sp.Fields {
		if f.Path == path {
			return s.info(f), true
		}
	}
	return aggregate.FieldInfo{}, false
}

// Field is Check's view of the schema.
func (s aggSchema) Field(name string) (bool, bool) {
	f := s.sp.Field(name)
	return f != nil, f != nil && f.SortIdx() >= 0
}
