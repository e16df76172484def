package module

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// hit is a matching document kept for the reply.
type hit struct {
	id    uint32
	doc   *document // to tell, after the index was let go, whether it is still there
	score float64
	sort  sortValue
}

// searchResult is what a query produced.
type searchResult struct {
	total    int
	hits     []hit // in reply order
	warnings []string
	timedOut bool
}

// FT.SEARCH idx query [options]
func (m *Module) cmdSearch(c *server.Ctx, args [][]byte) {
	if m.distributed(c, "FT.SEARCH", args) {
		return
	}
	m.search(c, args, false)
}

// search runs FT.SEARCH on this shard; forShard is `_FT.SEARCH`, whose
// reply carries what a coordinator merges.
func (m *Module) search(c *server.Ctx, args [][]byte, forShard bool) {
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
	idx.mu.RLock()
	yield := func() bool {
		writes := idx.writes
		idx.mu.RUnlock()
		if m.debug.atYield != nil {
			m.debug.atYield()
		}
		c.YieldIfDue("")
		idx.mu.RLock()
		return idx.writes == writes
	}
	if c.InMulti() {
		yield = nil
	}
	res, err := m.runSearch(idx, req, start, yield)
	if err == errIndexChanged {
		m.restarts.Inc()
		res, err = m.runSearch(idx, req, start, nil)
	}
	defer idx.mu.RUnlock()
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	if res.timedOut && m.cfg.OnTimeoutFail() {
		c.W.Error(warnTimeout)
		return
	}
	m.writeSearchReply(c.W, idx, req, res)
}

// checkFields validates the fields a request names against the schema.
func checkFields(idx *Index, req *searchRequest) error {
	if req.sortOn && idx.spec.field(req.sortBy) == nil {
		return fmt.Errorf("Property `%s` not loaded nor in schema", req.sortBy)
	}
	if (req.summarize != nil || req.highlight != nil) && (idx.spec.NoOffsets || idx.spec.NoHL) {
		// The module's wording, typo included.
		return errorString("Cannot use highlight/summarize because NOOFSETS was specified at index level")
	}
	// SUMMARIZE / HIGHLIGHT without FIELDS apply to the returned fields,
	// which must then be in the schema.
	if (req.summarize != nil && req.summarize.fields == nil) || (req.highlight != nil && req.highlight.fields == nil) {
		// The path must be in the schema; the error names the alias.
		for _, r := range req.returns {
			if idx.spec.field(r.path) == nil {
				return fmt.Errorf("Property `%s` is not in schema", r.as)
			}
		}
	}
	return nil
}

// errIndexChanged stops a query whose index was written to while it yielded.
var errIndexChanged = errors.New("index changed during a yield")

// runSearch evaluates a request whose clock started at start. The caller
// holds idx.mu for reading. yield, when not nil, is called every few
// hundred results; it reports false when the index changed meanwhile, and
// the query then stops with errIndexChanged.
func (m *Module) runSearch(idx *Index, req *searchRequest, start time.Time, yield func() bool) (*searchResult, error) {
	if err := checkFields(idx, req); err != nil {
		return nil, err
	}
	p, it, err := m.openQuery(idx, req)
	if err != nil {
		return nil, err
	}
	sc := newScorer(idx, req)
	var sortField *Field
	if req.sortOn {
		sortField = idx.spec.field(req.sortBy)
	}
	want := int(req.offset + req.num)
	h := &hitHeap{less: worseByScore}
	if sortField != nil {
		desc := req.sortDesc
		h.less = func(a, b *hit) bool { return worseBySort(a, b, desc) }
	}
	res := &searchResult{}
	pace := m.newPacer(req, start, yield)
	needScores := sortField == nil || req.withScores
	minScore := 0.0
	for it.read() {
		if stop, err := pace.tick(); err != nil {
			return nil, err
		} else if stop {
			res.timedOut = true
			break
		}
		r := it.cur()
		res.total++
		if want == 0 {
			continue
		}
		d := idx.docs.get(r.id)
		hv := hit{id: r.id, doc: d}
		if needScores {
			hv.score = sc.score(r, d, minScore)
		}
		req.prof.lap(stageScorer)
		if sortField != nil {
			hv.sort = m.sortKey(idx, sortField, d)
		}
		req.prof.lap(stageSortKeys)
		// The module's sorter raises the bound from its worst result when a
		// result arrives at a full heap, after that result was scored.
		if len(h.h) == want && h.h[0].score > minScore {
			minScore = h.h[0].score
		}
		h.offer(hv, want)
		req.prof.lap(stageSorter)
	}
	res.hits = h.sorted()
	req.prof.lap(stageSorter)
	if int(req.offset) >= len(res.hits) {
		res.hits = nil
	} else {
		res.hits = res.hits[req.offset:]
	}
	if res.timedOut {
		res.warnings = append(res.warnings, warnTimeout)
	}
	if p.warnings[warnMaxPrefix] {
		res.warnings = append(res.warnings, warnMaxPrefix)
	}
	return res, nil
}

// openQuery parses a request's query, counts the index's use, and builds
// the query's iterator with its FILTER, GEOFILTER and INKEYS. The caller
// holds idx.mu for reading.
func (m *Module) openQuery(idx *Index, req *searchRequest) (*planner, iterator, error) {
	root, err := m.parseQuery(idx, req)
	if err != nil {
		return nil, nil, err
	}
	idx.uses.Inc()
	idx.touch()
	if req.dialect >= 1 && req.dialect <= 4 {
		idx.dialectUsed[req.dialect].Store(true)
	}
	p := m.newPlanner(idx, req)
	return p, m.addFilters(p, root, p.build(root)), nil
}

func newScorer(idx *Index, req *searchRequest) *scorer {
	return &scorer{name: req.scorer, numDocs: float64(idx.numDocs), avgDocLen: idx.avgDocLen(), payload: req.payload}
}

// pacer paces a query's reads: every 256 results it calls yield (false:
// the index changed, errIndexChanged), and every 1024 it checks the
// TIMEOUT (stop).
type pacer struct {
	start   time.Time
	timeout time.Duration
	yield   func() bool
	n       int
}

func (m *Module) newPacer(req *searchRequest, start time.Time, yield func() bool) *pacer {
	return &pacer{start: start, timeout: m.queryTimeout(req.timeoutMs), yield: yield}
}

// tick is called before each result is taken.
func (p *pacer) tick() (stop bool, err error) {
	n := p.n
	p.n++
	if n&255 != 255 {
		return false, nil
	}
	if p.timeout > 0 && n&1023 == 1023 && time.Since(p.start) > p.timeout {
		return true, nil
	}
	if p.yield != nil && !p.yield() {
		return false, errIndexChanged
	}
	return false, nil
}

// addFilters applies FILTER, GEOFILTER and INKEYS as the module's
// setFilterNode does: each filter is put first among the children of a root
// intersection (an exact phrase keeps its proximity check, which a filter,
// holding no positions, then fails), or the root and the filter become a
// new intersection under the query's SLOP and INORDER. Numeric filters go in
// first, then geo filters, then INKEYS, each before the previous ones.
func (m *Module) addFilters(p *planner, root query.Node, it iterator) iterator {
	return p.profiled(m.withFilters(p, root, it))
}

// withFilters is addFilters without FT.PROFILE's wrapping.
func (m *Module) withFilters(p *planner, root query.Node, it iterator) iterator {
	for _, f := range m.filterIters(p) {
		if ii, ok := it.(*intersectIter); ok && isIntersect(root) {
			ii.kids = append([]iterator{f}, ii.kids...)
			ii.resetOrder()
			continue
		}
		slop, inOrder := p.req.slop, p.req.inOrder
		it = newIntersectIter([]iterator{f, it}, slop, inOrder, 1)
		root = &query.Intersect{}
	}
	return it
}

func isIntersect(n query.Node) bool {
	_, ok := n.(*query.Intersect)
	return ok
}

// filterIters turns FILTER, GEOFILTER and INKEYS into iterators, in the
// order the module adds them.
func (m *Module) filterIters(p *planner) []iterator {
	var out []iterator
	for _, f := range p.req.numFilters {
		out = append(out, p.numericIter(f.field, f.min, f.max, f.minEx, f.maxEx, 1))
	}
	for _, g := range p.req.geoFilters {
		out = append(out, p.geoIter(g.field, g.lon, g.lat, g.radius*geoUnits[g.unit], 1))
	}
	if p.req.inKeysSet {
		var ids []uint32
		seen := map[uint32]bool{}
		for _, k := range p.req.inKeys {
			if id, ok := p.idx.byKey[k]; ok && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		sortIDs(ids)
		out = append(out, newIDIter(p.idx, ids, 0))
	}
	return out
}

// sortKey is a document's value for SORTBY: the SORTABLE copy, or the hash's
// value for a field that is not SORTABLE.
func (m *Module) sortKey(idx *Index, f *Field, d *document) sortValue {
	if f.sortIdx >= 0 && f.sortIdx < len(d.sortVals) {
		return d.sortVals[f.sortIdx]
	}
	e := m.srv.DB(0).Peek(d.key)
	if e == nil || e.Type() != server.TypeHash {
		return sortValue{}
	}
	v, ok := e.Hash().Get(f.Path)
	if !ok {
		return sortValue{}
	}
	return f.sortValue(v)
}

// worseByScore orders hits from the worst: lower score, then higher id.
func worseByScore(a, b *hit) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.id > b.id
}

// worseBySort orders hits from the worst for SORTBY: missing values are
// worst in both directions; ties go by id in the sort's direction.
func worseBySort(a, b *hit, desc bool) bool {
	if (a.sort.kind == sortNone) != (b.sort.kind == sortNone) {
		return a.sort.kind == sortNone
	}
	c := compareSort(a.sort, b.sort)
	if c == 0 {
		if desc {
			return a.id < b.id
		}
		return a.id > b.id
	}
	if desc {
		return c < 0
	}
	return c > 0
}

func compareSort(a, b sortValue) int {
	switch {
	case a.kind == sortNum && b.kind == sortNum:
		switch {
		case a.num < b.num:
			return -1
		case a.num > b.num:
			return 1
		}
		return 0
	case a.kind == sortStr && b.kind == sortStr:
		return strings.Compare(a.str, b.str)
	}
	return int(a.kind) - int(b.kind)
}

// hitHeap keeps the best hits: a heap whose top is the worst kept.
type hitHeap struct {
	h    []hit
	less func(a, b *hit) bool // a is worse than b
	// cand holds the hit being offered: passing a pointer to offer's
	// argument to less (a func value) would move every hit to the heap.
	cand hit
}

func (h *hitHeap) offer(v hit, limit int) {
	if len(h.h) < limit {
		h.h = append(h.h, v)
		h.up(len(h.h) - 1)
		return
	}
	h.cand = v
	if !h.less(&h.h[0], &h.cand) {
		return
	}
	h.h[0] = v
	h.down(0)
}

func (h *hitHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(&h.h[i], &h.h[p]) {
			return
		}
		h.h[i], h.h[p] = h.h[p], h.h[i]
		i = p
	}
}

func (h *hitHeap) down(i int) {
	n := len(h.h)
	for {
		l, worst := 2*i+1, i
		if l < n && h.less(&h.h[l], &h.h[worst]) {
			worst = l
		}
		if r := l + 1; r < n && h.less(&h.h[r], &h.h[worst]) {
			worst = r
		}
		if worst == i {
			return
		}
		h.h[i], h.h[worst] = h.h[worst], h.h[i]
		i = worst
	}
}

// sorted empties the heap, best first.
func (h *hitHeap) sorted() []hit {
	out := make([]hit, len(h.h))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = h.h[0]
		last := len(h.h) - 1
		h.h[0] = h.h[last]
		h.h = h.h[:last]
		if last > 0 {
			h.down(0)
		}
	}
	return out
}

// ---- reply

// formatSortKey renders a WITHSORTKEYS value.
func formatSortKey(v sortValue) (string, bool) {
	switch v.kind {
	case sortNum:
		return "#" + strconv.FormatFloat(v.num, 'g', 17, 64), true
	case sortStr:
		return "$" + v.str, true
	}
	return "", false
}

// formatNumber renders a number as the module does in returned fields and
// aggregate rows: "%lld" when integral, else "%.12g".
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 12, 64)
}

type fieldPair struct{ name, value string }

// fieldOrder is the order in which a reply without RETURN lists the
// documents' fields. The module loads them into one lookup table shared by
// the whole reply: the SORTBY field first, then every field in the order it
// is first met, document after document in reply order. Each document's
// fields come in that table's order.
type fieldOrder struct {
	pos   map[string]int
	names []string
}

func (m *Module) newFieldOrder(idx *Index, req *searchRequest, hits []hit) *fieldOrder {
	fo := &fieldOrder{pos: map[string]int{}}
	add := func(name string) {
		if _, ok := fo.pos[name]; !ok {
			fo.pos[name] = len(fo.names)
			fo.names = append(fo.names, name)
		}
	}
	for _, name := range leadingFields(idx, req) {
		add(name)
	}
	db := m.srv.DB(0)
	for _, hv := range hits {
		e := db.Peek(idx.docs.get(hv.id).key)
		if e == nil || e.Type() != server.TypeHash {
			continue
		}
		e.Hash().Each(func(f, _ string) bool {
			add(f)
			return true
		})
	}
	return fo
}

// leadingFields are the hash fields the module's lookup table holds before
// any document is loaded: the SORTBY field, then the SUMMARIZE and
// HIGHLIGHT fields.
func leadingFields(idx *Index, req *searchRequest) []string {
	out := leadingKeys(req)
	for i, name := range out {
		if f := idx.spec.field(name); f != nil {
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
func (m *Module) docFields(idx *Index, req *searchRequest, d *document, hl *highlighter, fo *fieldOrder) ([]fieldPair, bool) {
	e := m.srv.DB(0).Peek(d.key)
	if e == nil || e.Type() != server.TypeHash {
		return nil, false
	}
	h := e.Hash()
	var out []fieldPair
	if !req.returnGiven {
		out = make([]fieldPair, 0, h.Len())
		h.Each(func(f, v string) bool {
			out = append(out, fieldPair{f, v})
			return true
		})
		if fo != nil {
			slices.SortStableFunc(out, func(a, b fieldPair) int { return fo.pos[a.name] - fo.pos[b.name] })
		}
	} else {
		// RETURN fields come in RETURN order, except those whose key the
		// lookup table already held (SORTBY, SUMMARIZE, HIGHLIGHT name it),
		// which lead. Keys match by name: `rating AS R_rating` is a new key
		// even after SORTBY rating.
		lead := leadingKeys(req)
		rank := func(name string) int {
			for i, l := range lead {
				if l == name {
					return i
				}
			}
			return len(lead)
		}
		type ranked struct {
			fieldPair
			rank int
		}
		var rs []ranked
		for _, rf := range req.returns {
			path := rf.path
			sf := idx.spec.field(rf.path)
			if sf != nil {
				path = sf.Path
			}
			v, ok := h.Get(path)
			if !ok {
				continue
			}
			if sf != nil && sf.Type == FieldNumeric {
				if n, ok := parseNumeric(v); ok {
					v = formatNumber(n)
				}
			}
			rs = append(rs, ranked{fieldPair{rf.as, v}, rank(rf.as)})
		}
		slices.SortStableFunc(rs, func(a, b ranked) int { return a.rank - b.rank })
		for _, r := range rs {
			out = append(out, r.fieldPair)
		}
	}
	if hl != nil {
		hl.apply(d, h, out)
	}
	return out, true
}

func (m *Module) writeSearchReply(w *resp.Writer, idx *Index, req *searchRequest, res *searchResult) {
	content := !req.noContent && req.num > 0
	var hl *highlighter
	if content && (req.summarize != nil || req.highlight != nil) {
		hl = m.newHighlighter(idx, req)
	}
	var fo *fieldOrder
	if content && !req.returnGiven {
		fo = m.newFieldOrder(idx, req, res.hits)
	}
	shape := ReplyShape{Scores: req.withScores, Payloads: req.withPayloads, SortKeys: req.withSortKeys, Content: content}
	if w.Resp3() {
		WriteResultsHead3(w, len(res.hits))
		for _, hv := range res.hits {
			d := idx.docs.get(hv.id)
			w.Map(shape.Fields3())
			w.SimpleString("id")
			w.BulkString(d.key)
			if req.withScores {
				w.SimpleString("score")
				w.Double(hv.score)
			}
			if req.withPayloads {
				w.SimpleString("payload")
				if d.hasPayload {
					w.BulkString(d.payload)
				} else {
					w.Null()
				}
			}
			if req.withSortKeys {
				w.SimpleString("sortkey")
				if s, ok := formatSortKey(hv.sort); ok {
					w.BulkString(s)
				} else {
					w.Null()
				}
			}
			if content {
				w.SimpleString("extra_attributes")
				fields, ok := m.docFields(idx, req, d, hl, fo)
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
		WriteResultsTail3(w, int64(res.total), res.warnings)
		return
	}
	w.Array(1 + shape.Stride2()*len(res.hits))
	w.Int(int64(res.total))
	for _, hv := range res.hits {
		d := idx.docs.get(hv.id)
		w.BulkString(d.key)
		if req.withScores {
			w.Double(hv.score)
		}
		if req.withPayloads {
			if d.hasPayload {
				w.BulkString(d.payload)
			} else {
				w.Null()
			}
		}
		if req.withSortKeys {
			if s, ok := formatSortKey(hv.sort); ok {
				w.BulkString(s)
			} else {
				w.Null()
			}
		}
		if content {
			fields, ok := m.docFields(idx, req, d, hl, fo)
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
