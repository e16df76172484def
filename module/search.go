package module

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FT.SEARCH idx query [options]
func (m *Module) cmdSearch(c *server.Ctx, args [][]byte) {
	if m.distributed(c, "FT.SEARCH", args) {
		return
	}
	m.search(c, args, false, nil)
}

// search runs FT.SEARCH on this shard; forShard is `_FT.SEARCH`, whose
// reply carries what a coordinator merges, with the values it requires of
// each result (see RequiredFieldsArg).
func (m *Module) search(c *server.Ctx, args [][]byte, forShard bool, required []string) {
	idx := m.queryIndex(c, args)
	if idx == nil {
		return
	}
	req, err := parseSearchArgs(string(args[2]), args[3:], m.cfg, false)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	if forShard {
		req.forShard()
		req.required = required
	}
	if c.CanBlock() && m.submitSearch(c, idx, req) {
		return
	}
	m.searchInline(c, idx, req)
}

// queryIndex checks the arity of FT.SEARCH / FT.AGGREGATE (index and
// query) and finds the index, with those commands' wording; nil when it
// replied an error.
func (m *Module) queryIndex(c *server.Ctx, args [][]byte) *Index {
	if len(args) < 3 {
		wrongArity(c)
		return nil
	}
	idx := m.lookup(string(args[1]))
	if idx == nil {
		c.W.Error("No such index " + string(args[1]))
	}
	return idx
}

// forShard makes the request a shard's part of a cluster's FT.SEARCH: the
// first offset+num results, with scores and (under SORTBY) sort keys,
// whatever was asked (see SearchPlan).
func (req *searchRequest) forShard() {
	req.shard = true
	req.num += req.offset
	req.offset = 0
	req.withScores = true
	req.withSortKeys = req.withSortKeys || req.sortOn
}

// searchInline runs a query on the main thread. It yields every few
// milliseconds, letting go of the index's read lock meanwhile (nobody
// yields holding an index lock); if the index was written to during a yield
// its iterators are stale, and the query starts again without yielding.
func (m *Module) searchInline(c *server.Ctx, idx *Index, req *searchRequest) {
	start := time.Now()
	idx.RLock()
	yield := func() bool {
		writes := idx.Writes()
		idx.RUnlock()
		if m.debug.atYield != nil {
			m.debug.atYield()
		}
		c.YieldIfDue("")
		idx.RLock()
		return idx.Writes() == writes
	}
	if c.InMulti() {
		yield = nil
	}
	res, err := m.runSearch(idx, req, start, yield)
	if err == errIndexChanged {
		m.restarts.Inc()
		res, err = m.runSearch(idx, req, start, nil)
	}
	defer idx.RUnlock()
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	if res.TimedOut && m.cfg.OnTimeoutFail() {
		c.W.Error(index.WarnTimeout)
		return
	}
	m.writeSearchReply(c.W, idx, req, res)
}

// checkFields validates the fields a request names against the schema.
func checkFields(idx *Index, req *searchRequest) error {
	if (req.summarize != nil || req.highlight != nil) && idx.Spec().OnJSON {
		// Search 8.2 refuses them on any JSON index (MOD-7551,
		// AREQ_ApplyContext, before the query is parsed); the reply has no
		// ERR prefix (RedisModule_ReplyWithError of the query error).
		return errorString("HIGHLIGHT/SUMMARIZE is not supported with JSON indexes")
	}
	if (req.summarize != nil || req.highlight != nil) && (idx.Spec().NoOffsets || idx.Spec().NoHL) {
		// The module's wording, typo included.
		return errorString("Cannot use highlight/summarize because NOOFSETS was specified at index level")
	}
	// SUMMARIZE / HIGHLIGHT without FIELDS apply to the returned fields,
	// which must then be in the schema.
	if (req.summarize != nil && req.summarize.fields == nil) || (req.highlight != nil && req.highlight.fields == nil) {
		// The path must be in the schema; the error names the alias.
		for _, r := range req.returns {
			if idx.Spec().Field(r.path) == nil {
				return fmt.Errorf("Property `%s` is not in schema", r.as)
			}
		}
	}
	return nil
}

// errIndexChanged stops a query whose index was written to while it yielded.
var errIndexChanged = errors.New("index changed during a yield")

// runSearch evaluates a request whose clock started at start. The caller
// holds the index's read lock and may read the keyspace (the main thread).
// yield, when not nil, is called every few hundred results; it reports
// false when the index changed meanwhile, and the query then stops with
// errIndexChanged.
func (m *Module) runSearch(idx *Index, req *searchRequest, start time.Time, yield func() bool) (*index.SearchResult, error) {
	q, o, err := m.prepareSearch(idx, req, start, yield)
	if err != nil {
		return nil, err
	}
	if o.SortBy != nil {
		o.LoadSortValue = func(d *index.Doc) (string, bool) { return m.hashValue(idx, d.Key(), o.SortBy.Path) }
	}
	return q.Search(o)
}

// prepareSearch checks and plans a request's query and sets its reading:
// scoring, page, SORTBY and pacing.
func (m *Module) prepareSearch(idx *Index, req *searchRequest, start time.Time, yield func() bool) (*index.Query, index.SearchOptions, error) {
	if err := checkFields(idx, req); err != nil {
		return nil, index.SearchOptions{}, err
	}
	q, err := m.openQuery(idx, req)
	if err != nil {
		return nil, index.SearchOptions{}, err
	}
	// SORTBY names a schema field or a value the query yields (a vector
	// distance), checked once the query is parsed, as the module's pipeline
	// does.
	sortMetric := ""
	if req.sortOn && idx.Spec().Field(req.sortBy) == nil {
		if !slices.Contains(q.MetricNames(), req.sortBy) {
			return nil, index.SearchOptions{}, fmt.Errorf("Property `%s` not loaded nor in schema", req.sortBy)
		}
		sortMetric = req.sortBy
	}
	o := index.SearchOptions{
		Scoring:    req.scoring(),
		Offset:     int(req.offset),
		Num:        int(req.num),
		WithScores: req.withScores,
		Tick:       m.newPacer(req, start, yield).tick,
	}
	if req.sortOn {
		o.SortBy, o.SortDesc = idx.Spec().Field(req.sortBy), req.sortDesc
		o.SortByMetric = sortMetric
	}
	return q, o, nil
}

// sortsByLoadedField says whether a request sorts by a field that is not
// SORTABLE, whose values come from the keyspace.
func sortsByLoadedField(idx *Index, req *searchRequest) bool {
	if !req.sortOn {
		return false
	}
	f := idx.Spec().Field(req.sortBy)
	return f != nil && f.SortIdx() < 0
}

// hashValue reads a field of the document stored at key (a hash's field,
// a JSON document's path).
func (m *Module) hashValue(idx *Index, key, field string) (string, bool) {
	f, ok := m.fields(idx, m.srv.DB(0).Peek(key), false)
	if !ok {
		return "", false
	}
	return f.Get(field)
}

// scoring is how the request scores its matches.
func (req *searchRequest) scoring() index.Scoring {
	return index.Scoring{Scorer: req.scorer, Payload: req.payload}
}

// openQuery parses a request's query, counts the index's use, and plans
// the query with its FILTER, GEOFILTER and INKEYS. The caller holds the
// index's read lock.
func (m *Module) openQuery(idx *Index, req *searchRequest) (*index.Query, error) {
	root, err := m.parseQuery(idx, req)
	if err != nil {
		return nil, err
	}
	idx.uses.Inc()
	idx.touch()
	if req.dialect >= 1 && req.dialect <= 4 {
		idx.dialectUsed[req.dialect].Store(true)
	}
	q := idx.Plan(root, &req.opts)
	if err := q.Err(); err != nil {
		return nil, err
	}
	// A distance may not take a schema attribute's name.
	for _, name := range q.MetricNames() {
		if idx.Spec().Field(name) != nil {
			return nil, fmt.Errorf("Property `%s` already exists in schema", name)
		}
	}
	return q, nil
}

// parseQuery parses a request's query against an index.
func (m *Module) parseQuery(idx *Index, req *searchRequest) (query.Node, error) {
	sp := idx.Spec()
	opts := query.Options{Dialect: req.dialect, Params: req.params, Schema: sp.QuerySchema()}
	if !req.noStopwords {
		opts.IsStopword = sp.Stopwords.Contains
	}
	n, err := query.Parse(req.query, opts)
	if err != nil {
		return nil, err
	}
	req.opts.Profile.Parsed()
	return n, nil
}

// pacer paces a query's reads (the engine's Tick, every 256 results): it
// calls yield (false: the index changed, errIndexChanged) each time, and
// every fourth time (1024 results) first checks the TIMEOUT (stop).
type pacer struct {
	start   time.Time
	timeout time.Duration
	yield   func() bool
	n       int
}

func (m *Module) newPacer(req *searchRequest, start time.Time, yield func() bool) *pacer {
	return &pacer{start: start, timeout: m.queryTimeout(req.timeoutMs), yield: yield}
}

// tick is called before every index.TickEvery-th result is taken.
func (p *pacer) tick() (stop bool, err error) {
	p.n++
	if p.timeout > 0 && p.n%4 == 0 && time.Since(p.start) > p.timeout {
		return true, nil
	}
	if p.yield != nil && !p.yield() {
		return false, errIndexChanged
	}
	return false, nil
}

// ---- reply

// formatSortKey renders a WITHSORTKEYS value.
func formatSortKey(v index.SortValue) (string, bool) {
	switch v.Kind {
	case index.SortNum:
		return "#" + strconv.FormatFloat(v.Num, 'g', 17, 64), true
	case index.SortStr:
		return "$" + v.Str, true
	}
	return "", false
}

// formatNumber renders a number as the module does in returned fields and
// aggregate rows: "%lld" when integral, else "%.12g".
func formatNumber(f float64) string {
	var buf [32]byte // on the stack: the string is the only allocation
	return string(appendNumber(buf[:0], f))
}

// appendNumber appends formatNumber(f) to dst.
func appendNumber(dst []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', 12, 64)
}

type fieldPair struct{ name, value string }

// writeRequired writes a value a coordinator required of a result: the
// named yielded value as "#<number>" (every digit), or null.
func writeRequired(w *resp.Writer, ms []index.Metric, name string) {
	if mt, ok := metricNamed(ms, name); ok {
		w.BulkString("#" + strconv.FormatFloat(mt.Value, 'g', -1, 64))
		return
	}
	w.Null()
}

// metricNamed finds a yielded value by its name.
func metricNamed(ms []index.Metric, name string) (index.Metric, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m, true
		}
	}
	return index.Metric{}, false
}

// fieldOrder is the order in which a reply without RETURN lists the
// documents' fields. The module loads them into one lookup table shared by
// the whole reply: the SORTBY field first, then every field in the order it
// is first met, document after document in reply order. Each document's
// fields come in that table's order.
type fieldOrder struct {
	pos   map[string]int
	names []string
}

func (m *Module) newFieldOrder(idx *Index, req *searchRequest, hits []index.Hit) *fieldOrder {
	fo := &fieldOrder{pos: map[string]int{}}
	for _, name := range leadingFields(idx, req) {
		fo.add(name)
	}
	db := m.srv.DB(0)
	addField := fo.addField // one func value for every document
	for _, hv := range hits {
		fs, ok := m.fields(idx, db.Peek(hv.Doc.Key()), false)
		if !ok {
			continue
		}
		fs.Each(addField)
	}
	return fo
}

func (fo *fieldOrder) add(name string) {
	if _, ok := fo.pos[name]; !ok {
		fo.pos[name] = len(fo.names)
		fo.names = append(fo.names, name)
	}
}

// addField is add as a Fields.Each callback.
func (fo *fieldOrder) addField(name, _ string) bool {
	fo.add(name)
	return true
}

// leadingFields are the hash fields the module's lookup table holds before
// any document is loaded: the SORTBY field, then the SUMMARIZE and
// HIGHLIGHT fields.
func leadingFields(idx *Index, req *searchRequest) []string {
	out := leadingKeys(req)
	for i, name := range out {
		if f := idx.Spec().Field(name); f != nil {
			out[i] = f.Path
		}
	}
	return out
}

// leadingKeys are the names of the lookup keys SORTBY, SUMMARIZE and
// HIGHLIGHT create, in that order, before RETURN adds its own. The module
// finds a key by its name: `RETURN 1 body AS B_body` makes a new key
// B_body, which comes after them even when HIGHLIGHT names body.
func leadingKeys(req *searchRequest) []string {
	var out []string
	if req.sortOn {
		out = append(out, req.sortBy)
	}
	if req.summarize != nil {
		out = append(out, req.summarize.fields...)
	}
	if req.highlight != nil {
		out = append(out, req.highlight.fields...)
	}
	return out
}

// docFields are the fields a result shows; ok is false when the key is gone.
func (m *Module) docFields(idx *Index, req *searchRequest, hv *index.Hit, hl *highlighter, fo *fieldOrder, sc *fieldScratch) ([]fieldPair, bool) {
	d := hv.Doc
	// The key is opened only when a field is read from it: the module's
	// loader is not added when every RETURN field is a value the query
	// computed (a distance), so such a reply never reads the keyspace.
	var h aggregate.Fields
	open := func() bool {
		if h == nil {
			fs, ok := m.fields(idx, m.srv.DB(0).Peek(d.Key()), req.dialect >= 3)
			if !ok {
				return false
			}
			h = fs
		}
		return true
	}
	if (!req.returnGiven || hl != nil) && !open() {
		return nil, false
	}
	sc.num = sc.num[:0]
	out := sc.out[:0]
	if !req.returnGiven {
		// The distances' lookup keys are made when the query is planned,
		// before any other: they lead.
		for _, mt := range hv.Metrics {
			out = append(out, fieldPair{mt.Name, sc.number(mt.Value)})
		}
		metrics := len(out)
		if sc.appendPair == nil {
			sc.appendPair = sc.appendField // one func value for the reply
		}
		sc.out = out
		h.Each(sc.appendPair)
		out = sc.out
		if fo != nil {
			fields := out[metrics:]
			slices.SortStableFunc(fields, func(a, b fieldPair) int { return fo.pos[a.name] - fo.pos[b.name] })
		}
		if sf := idx.Spec().Field(req.sortBy); req.sortOn && sf != nil && idx.Spec().OnJSON {
			// A JSON document's SORTBY value leads its "$", under the
			// attribute's name (test_json.py testMOD1853).
			if v, ok := h.Get(sf.Path); ok {
				out = slices.Insert(out, metrics, fieldPair{req.sortBy, v})
			}
		}
	} else {
		// RETURN fields come in RETURN order, except those whose key the
		// lookup table already held (SORTBY, SUMMARIZE, HIGHLIGHT name it),
		// which lead. Keys match by name: `rating AS R_rating` is a new key
		// even after SORTBY rating.
		if !sc.leadDone {
			sc.lead, sc.leadDone = leadingKeys(req), true
		}
		lead := sc.lead
		rank := func(name string) int {
			for i, l := range lead {
				if l == name {
					return i
				}
			}
			return len(lead)
		}
		rs := sc.ranked[:0]
		for _, rf := range req.returns {
			if mt, ok := metricNamed(hv.Metrics, rf.as); ok {
				rs = append(rs, rankedField{fieldPair{rf.as, sc.number(mt.Value)}, -1})
				continue
			}
			if !open() {
				return nil, false
			}
			path := rf.path
			sf := idx.Spec().Field(rf.path)
			if sf != nil {
				path = sf.Path
			}
			v, ok := h.Get(path)
			if !ok {
				continue
			}
			if sf != nil && sf.Type == index.FieldNumeric {
				if n, ok := index.ParseNumeric(v); ok {
					v = formatNumber(n)
				}
			}
			rs = append(rs, rankedField{fieldPair{rf.as, v}, rank(rf.as)})
		}
		slices.SortStableFunc(rs, func(a, b rankedField) int { return a.rank - b.rank })
		for _, r := range rs {
			out = append(out, r.fieldPair)
		}
		sc.ranked = rs
	}
	sc.out = out
	if hash, ok := h.(*server.Hash); ok && hl != nil {
		hl.apply(d, hash, out) // JSON indexes refuse HIGHLIGHT/SUMMARIZE (checkFields)
	}
	return out, true
}

// fieldScratch is what docFields reuses from one result of a reply to the
// next, so that a result costs no allocation of its own: the caller writes
// a result's fields before it asks for the next result's.
type fieldScratch struct {
	out      []fieldPair
	ranked   []rankedField
	lead     []string
	leadDone bool
	num      []byte // the formatted numbers of the current result
	// appendPair is appendField as a func value, made once: a closure
	// per result cost two allocations (itself and the slice it grew).
	appendPair func(field, value string) bool
}

// appendField appends a field to out (a Fields.Each callback).
func (sc *fieldScratch) appendField(field, value string) bool {
	sc.out = append(sc.out, fieldPair{field, value})
	return true
}

type rankedField struct {
	fieldPair
	rank int
}

// number is formatNumber(f), held in the scratch until the next result.
func (sc *fieldScratch) number(f float64) string {
	start := len(sc.num)
	sc.num = appendNumber(sc.num, f)
	// The bytes are not changed while the string is in use: num only
	// grows (a reallocation leaves the old bytes to the strings made from
	// them) until the next result resets it.
	return unsafe.String(&sc.num[start], len(sc.num)-start)
}

func (m *Module) writeSearchReply(w *resp.Writer, idx *Index, req *searchRequest, res *index.SearchResult) {
	content := !req.noContent && req.num > 0
	var hl *highlighter
	if content && (req.summarize != nil || req.highlight != nil) {
		hl = m.newHighlighter(idx, req)
	}
	var fo *fieldOrder
	if content && !req.returnGiven {
		fo = m.newFieldOrder(idx, req, res.Hits)
	}
	var sc fieldScratch
	shape := ReplyShape{Scores: req.withScores, Payloads: req.withPayloads, SortKeys: req.withSortKeys, Content: content,
		Required: len(req.required)}
	if w.Resp3() {
		WriteResultsHead3(w, len(res.Hits))
		for _, hv := range res.Hits {
			d := hv.Doc
			w.Map(shape.Fields3())
			w.SimpleString("id")
			w.BulkString(d.Key())
			if req.withScores {
				w.SimpleString("score")
				w.Double(hv.Score)
			}
			if req.withPayloads {
				w.SimpleString("payload")
				if p, ok := d.Payload(); ok {
					w.BulkString(p)
				} else {
					w.Null()
				}
			}
			if req.withSortKeys {
				w.SimpleString("sortkey")
				if s, ok := formatSortKey(hv.Sort); ok {
					w.BulkString(s)
				} else {
					w.Null()
				}
			}
			if len(req.required) > 0 {
				w.SimpleString("required_fields")
				w.Map(len(req.required))
				for _, name := range req.required {
					w.BulkString(name)
					writeRequired(w, hv.Metrics, name)
				}
			}
			if content {
				w.SimpleString("extra_attributes")
				fields, ok := m.docFields(idx, req, &hv, hl, fo, &sc)
				if !ok {
					w.Null()
				} else {
					w.Map(len(fields))
					for _, f := range fields {
						w.BulkString(f.name)
						w.BulkString(f.value)
					}
				}
			}
			w.SimpleString("values")
			w.Array(0)
		}
		WriteResultsTail3(w, req.reportedTotal(res.Total), res.Warnings)
		return
	}
	w.Array(1 + shape.Stride2()*len(res.Hits))
	w.Int(req.reportedTotal(res.Total))
	for _, hv := range res.Hits {
		d := hv.Doc
		w.BulkString(d.Key())
		if req.withScores {
			w.Double(hv.Score)
		}
		if req.withPayloads {
			if p, ok := d.Payload(); ok {
				w.BulkString(p)
			} else {
				w.Null()
			}
		}
		if req.withSortKeys {
			if s, ok := formatSortKey(hv.Sort); ok {
				w.BulkString(s)
			} else {
				w.Null()
			}
		}
		for _, name := range req.required {
			writeRequired(w, hv.Metrics, name)
		}
		if content {
			fields, ok := m.docFields(idx, req, &hv, hl, fo, &sc)
			if !ok {
				w.NullArray()
				continue
			}
			w.Array(2 * len(fields))
			for _, f := range fields {
				w.BulkString(f.name)
				w.BulkString(f.value)
			}
		}
	}
}
