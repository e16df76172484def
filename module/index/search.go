package index

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/query"
)

// Query is a parsed query planned against an index: its root iterator,
// FILTER, GEOFILTER and INKEYS included. It is read once, by one goroutine,
// under the index's read lock (taken before Plan, held until the last
// read; a reader that lets go of it must check Writes and plan again if
// the index changed).
type Query struct {
	idx  *Index
	root query.Node
	opts *QueryOptions
	p    *planner
	it   iterator
}

// Plan builds the iterators of a parsed query. The caller holds a read
// lock.
func (idx *Index) Plan(root query.Node, o *QueryOptions) *Query {
	p := newPlanner(idx, o)
	// The query's expansion, with its errors, comes before its iterators;
	// its synonym lookups advance the map's rehashing as the module's do.
	p.exp.rehash = true
	if err := p.exp.checkExpansion(root); err != nil {
		p.fail(err)
	}
	if knn, ok := root.(*query.VectorKNN); ok {
		// FILTER, GEOFILTER and INKEYS narrow a KNN clause's candidates:
		// they join its filter, not its k results.
		p.knnFilters = len(p.filterIters()) > 0
		return &Query{idx: idx, root: root, opts: o, p: p, it: p.profiled(p.build(knn))}
	}
	return &Query{idx: idx, root: root, opts: o, p: p, it: p.profiled(p.withFilters(root, p.build(root)))}
}

// Err is the error planning met (a vector clause the index refuses), nil
// when the query can run.
func (q *Query) Err() error { return q.p.err }

// Warnings are the warnings planning gave (MAXEXPANSIONS reached).
func (q *Query) Warnings() []string {
	if q.p.warnings[WarnMaxPrefix] {
		return []string{WarnMaxPrefix}
	}
	return nil
}

// Estimate is the root iterator's estimate of its matches.
func (q *Query) Estimate() int { return q.it.estimate() }

// withFilters applies FILTER, GEOFILTER and INKEYS as the module's
// setFilterNode does: each filter is put first among the children of a root
// intersection (an exact phrase keeps its proximity check, which a filter,
// holding no positions, then fails), or the root and the filter become a
// new intersection under the query's SLOP and INORDER. Numeric filters go in
// first, then geo filters, then INKEYS, each before the previous ones.
func (p *planner) withFilters(root query.Node, it iterator) iterator {
	for _, f := range p.filterIters() {
		if ii, ok := it.(*intersectIter); ok && isIntersect(root) {
			ii.kids = append([]iterator{f}, ii.kids...)
			ii.resetOrder()
			continue
		}
		it = newIntersectIter([]iterator{f, it}, p.opts.Slop, p.opts.InOrder, 1)
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
func (p *planner) filterIters() []iterator {
	var out []iterator
	for _, f := range p.opts.NumericFilters {
		out = append(out, p.numericIter(f.Field, f.Min, f.Max, f.MinExclusive, f.MaxExclusive, 1))
	}
	for _, g := range p.opts.GeoFilters {
		out = append(out, p.geoIter(g.Field, g.Lon, g.Lat, g.Radius, 1))
	}
	if p.opts.InKeysSet {
		var ids []uint32
		seen := map[uint32]bool{}
		for _, k := range p.opts.InKeys {
			if id, ok := p.idx.byKey.get(k, &p.idx.docs); ok && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		sortIDs(ids)
		out = append(out, newIDIter(p.idx, ids, 0))
	}
	return out
}

// Scoring is how matches are scored: the SCORER and, for DOCSCORE-like
// scorers, the PAYLOAD.
type Scoring struct {
	Scorer  string
	Payload string
}

func (q *Query) newScorer(s Scoring) *scorer {
	return &scorer{docs: &q.idx.docs, name: s.Scorer, kind: scorerKindOf(s.Scorer), numDocs: float64(q.idx.numDocs), avgDocLen: q.idx.avgDocLen(), payload: s.Payload}
}

// SearchOptions are what FT.SEARCH asks of a query's matches.
type SearchOptions struct {
	Scoring
	// Offset and Num: the page of results kept.
	Offset, Num int
	// SortBy, when set, orders by that field's value (SORTBY), descending
	// with SortDesc; otherwise results go by score.
	SortBy   *Field
	SortDesc bool
	// SortByMetric, when set (and SortBy nil), orders by a metric the query
	// yields: SORTBY a KNN or VECTOR_RANGE distance's name.
	SortByMetric string
	// WithScores scores matches even under SortBy.
	WithScores bool
	// LoadSortValue reads the SortBy value of a document whose field is not
	// SORTABLE (the module loads it from the keyspace).
	LoadSortValue func(d *Doc) (string, bool)
	// Tick is called before every TickEvery-th match is taken: stop ends
	// the reading (a timeout, reported as TimedOut); an error aborts it.
	Tick func() (stop bool, err error)
}

// TickEvery is how many matches a read takes between two calls of its
// Tick: a caller yields or checks its timeout at that pace.
const TickEvery = 256

// paced counts the matches taken and calls tick before every
// TickEvery-th.
type paced struct {
	tick func() (bool, error)
	n    int
}

func (p *paced) next() (stop bool, err error) {
	p.n++
	if p.n%TickEvery != 0 || p.tick == nil {
		return false, nil
	}
	return p.tick()
}

// Hit is a match kept for the reply.
type Hit struct {
	Doc   *Doc
	id    uint32 // Doc's id, which ties compare without reading the Doc
	Score float64
	Sort  SortValue
	// Metrics are the values the query's vector clauses yielded for it
	// (distances), in the order the module lists them.
	Metrics []Metric
}

// sorting says whether the options order by a value rather than by score.
func (o *SearchOptions) sorting() bool { return o.SortBy != nil || o.SortByMetric != "" }

// SearchResult is what a search produced.
type SearchResult struct {
	Total    int
	Hits     []Hit // in reply order, the page only
	TimedOut bool
	Warnings []string
}

// Search reads every match, scores and ranks them as the module's
// pipeline does (scorer, sorter, pager), keeping the asked page.
func (q *Query) Search(o SearchOptions) (*SearchResult, error) {
	sc := q.newScorer(o.Scoring)
	rk := newRanker(o)
	pace := paced{tick: o.Tick}
	prof := q.opts.Profile
	it := q.it
	var slab metricSlab
	needDoc := o.sorting() || sc.kind == scoreHamming
	gatherStats(it, sc, rk.needScores && rk.want > 0)
	for it.read() {
		if stop, err := pace.next(); err != nil {
			return nil, err
		} else if stop {
			rk.res.TimedOut = true
			break
		}
		r := it.cur()
		rk.res.Total++
		if rk.want == 0 {
			continue
		}
		// The document itself is read only where it is needed (HAMMING
		// reads its payload, SORTBY its values); otherwise only the hits
		// kept are read, once the reading is done.
		var d *Doc
		if needDoc {
			d = q.idx.docs.get(r.id)
		}
		var p scoreParts
		if rk.needScores {
			p = sc.parts(r, d, rk.minScore, true)
		}
		prof.Lap(StageScorer)
		var ms []Metric
		if q.p.metrics {
			ms = slab.take(r)
		}
		var sv SortValue
		if o.sorting() {
			var drop bool
			sv, drop = q.sortKey(o, rk, r.id, d, ms)
			if drop {
				prof.Lap(StageSortKeys)
				rk.pass()
				prof.Lap(StageSorter)
				continue
			}
		}
		prof.Lap(StageSortKeys)
		rk.offer(r.id, d, p, sv, ms)
		prof.Lap(StageSorter)
	}
	res := rk.result(q.Warnings())
	if !needDoc {
		for i := range res.Hits {
			res.Hits[i].Doc = q.idx.docs.get(res.Hits[i].id)
		}
	}
	prof.Lap(StageSorter)
	return res, nil
}

// ranker is the module's sorter and pager: a heap of the best offset+num
// hits, by score or by sort key.
type ranker struct {
	o          SearchOptions
	want       int
	h          hitHeap
	needScores bool
	minScore   float64
	res        SearchResult
}

func newRanker(o SearchOptions) *ranker {
	want := o.Offset + o.Num
	// Room for a usual page at once (the heap would otherwise grow 1, 2,
	// 4, 8…); a page asked larger than its matches grows as it fills.
	rk := &ranker{o: o, want: want, h: hitHeap{less: worseByScore, h: make([]Hit, 0, min(want, 64))},
		needScores: !o.sorting() || o.WithScores}
	if o.sorting() {
		desc := o.SortDesc
		rk.h.less = func(a, b *Hit) bool { return worseBySort(a, b, desc) }
	}
	return rk
}

// offer scores a match under the current pruning bound and offers it to
// the heap.
func (rk *ranker) offer(id uint32, d *Doc, p scoreParts, sv SortValue, ms []Metric) {
	var score float64
	if rk.needScores {
		score = p.at(rk.minScore)
	}
	// The module's sorter raises the bound from its worst result when a
	// result arrives at a full heap, after that result was scored.
	if len(rk.h.h) == rk.want {
		worst := rk.h.h[0].Score
		if worst > rk.minScore {
			rk.minScore = worst
		}
		// Ranked by score, a match scoring strictly below the worst kept,
		// or as much with a later id, cannot enter (worseByScore): no hit
		// is built for it. (Ids come in order, so the tie is common: a tag
		// list's matches of one length score alike.)
		if !rk.o.sorting() && (score < worst || (score == worst && id > rk.h.h[0].id)) {
			return
		}
	}
	rk.h.offer(Hit{Doc: d, id: id, Score: score, Sort: sv, Metrics: ms}, rk.want)
}

// pass is offer for a match known to rank below the full heap's worst
// (Query.sortKey): the bound rises as offer would have raised it.
func (rk *ranker) pass() {
	if len(rk.h.h) == rk.want && rk.h.h[0].Score > rk.minScore {
		rk.minScore = rk.h.h[0].Score
	}
}

// result is the page, best first, with the warnings.
func (rk *ranker) result(warnings []string) *SearchResult {
	res := &rk.res
	res.Hits = rk.h.sorted()
	if rk.o.Offset >= len(res.Hits) {
		res.Hits = nil
	} else {
		res.Hits = res.Hits[rk.o.Offset:]
	}
	if res.TimedOut {
		res.Warnings = append(res.Warnings, WarnTimeout)
	}
	res.Warnings = append(res.Warnings, warnings...)
	return res
}

// Collected are a query's matches read and scored, waiting to be ranked
// once their sort values are loaded: SORTBY a field that is not SORTABLE,
// whose values a worker must read from the keyspace without holding the
// index's lock (the module's safe loader, before its sorter).
type Collected struct {
	o        SearchOptions
	docs     []*Doc
	parts    []scoreParts
	metrics  [][]Metric
	total    int
	timedOut bool
	warnings []string
}

// Collect reads every match as Search does, without ranking them; the
// caller may then let the index's lock go and Rank them.
func (q *Query) Collect(o SearchOptions) (*Collected, error) {
	sc := q.newScorer(o.Scoring)
	c := &Collected{o: o, warnings: q.Warnings()}
	pace := paced{tick: o.Tick}
	needScores := !o.sorting() || o.WithScores
	want := o.Offset + o.Num
	it := q.it
	var slab metricSlab
	for it.read() {
		if stop, err := pace.next(); err != nil {
			return nil, err
		} else if stop {
			c.timedOut = true
			break
		}
		r := it.cur()
		c.total++
		if want == 0 {
			continue
		}
		d := q.idx.docs.get(r.id)
		var p scoreParts
		if needScores {
			p = sc.parts(r, d, 0, false)
		}
		c.docs = append(c.docs, d)
		c.parts = append(c.parts, p)
		if q.p.metrics {
			c.metrics = append(c.metrics, slab.take(r))
		} else {
			c.metrics = append(c.metrics, nil)
		}
	}
	return c, nil
}

// Rank ranks the collected matches as Search would have, with the sort
// values load gives, batch by batch (SortNone for a document without one;
// the values of SORTABLE fields are the documents' own). It needs no lock:
// documents never change once indexed.
func (c *Collected) Rank(load func(docs []*Doc, values []SortValue)) *SearchResult {
	values := make([]SortValue, len(c.docs))
	if f := c.o.SortBy; f != nil {
		const batch = 256
		var need []*Doc
		var at []int
		flush := func() {
			got := make([]SortValue, len(need))
			load(need, got)
			for i, j := range at {
				values[j] = got[i]
			}
			need, at = need[:0], at[:0]
		}
		for i, d := range c.docs {
			if v, ok := d.SortValueAt(f.sortIdx); ok {
				values[i] = v
				continue
			}
			need, at = append(need, d), append(at, i)
			if len(need) == batch {
				flush()
			}
		}
		if len(need) > 0 {
			flush()
		}
	}
	rk := newRanker(c.o)
	rk.res.Total, rk.res.TimedOut = c.total, c.timedOut
	for i, d := range c.docs {
		v := values[i]
		if c.o.SortByMetric != "" {
			v = metricSortValue(c.o.SortByMetric, c.metrics[i])
		}
		rk.offer(d.id, d, c.parts[i], v, c.metrics[i])
	}
	return rk.result(c.warnings)
}

// sortKey is a match's value for SORTBY, read from its page's sort column
// (docTable.sortCell) rather than its Doc; a string is read from the Doc
// only when its column prefix cannot place it. drop is true when the
// match ranks below the full heap's worst without a tie to break: a number
// strictly worse than the worst's, a string whose prefix is strictly worse
// than the worst's (two strings whose 8-byte prefixes differ compare as
// the prefixes do). A document without the slot (a
// field FT.ALTER added after it was indexed) has its value loaded as
// sortKey below does.
func (q *Query) sortKey(o SearchOptions, rk *ranker, id uint32, d *Doc, ms []Metric) (v SortValue, drop bool) {
	f := o.SortBy
	if f == nil {
		return metricSortValue(o.SortByMetric, ms), false
	}
	c := q.idx.docs.sortCell(id, f.sortIdx)
	if !c.ok {
		return sortKey(o, d, ms), false
	}
	switch c.kind {
	case SortNum:
		n := c.num()
		if len(rk.h.h) == rk.want {
			if w := &rk.h.h[0].Sort; w.Kind == SortNum && ((o.SortDesc && n < w.Num) || (!o.SortDesc && n > w.Num)) {
				return SortValue{}, true
			}
		}
		return SortValue{Kind: SortNum, Num: n}, false
	case SortStr:
		if len(rk.h.h) == rk.want {
			if w := &rk.h.h[0].Sort; w.Kind == SortStr {
				wp := strPrefix(w.Str)
				if (o.SortDesc && c.val < wp) || (!o.SortDesc && c.val > wp) {
					return SortValue{}, true
				}
			}
		}
		v, _ := d.SortValueAt(f.sortIdx)
		return v, false
	}
	return SortValue{}, false
}

// sortKey is a document's value for SORTBY: the SORTABLE copy, or the value
// LoadSortValue reads for a field that is not SORTABLE.
func sortKey(o SearchOptions, d *Doc, ms []Metric) SortValue {
	if o.SortBy == nil {
		return metricSortValue(o.SortByMetric, ms)
	}
	f := o.SortBy
	if v, ok := d.SortValueAt(f.sortIdx); ok {
		return v
	}
	if o.LoadSortValue == nil {
		return SortValue{}
	}
	v, ok := o.LoadSortValue(d)
	if !ok {
		return SortValue{}
	}
	return f.SortValue(v)
}

// metricSortValue is a metric's value as a sort key (none when the
// document has no such metric).
func metricSortValue(name string, ms []Metric) SortValue {
	for _, m := range ms {
		if m.Name == name {
			return SortValue{Kind: SortNum, Num: m.Value}
		}
	}
	return SortValue{}
}

// worseByScore orders hits from the worst: lower score, then higher id.
func worseByScore(a, b *Hit) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.id > b.id
}

// worseBySort orders hits from the worst for SORTBY: missing values are
// worst in both directions; ties go by id in the sort's direction.
func worseBySort(a, b *Hit, desc bool) bool {
	if (a.Sort.Kind == SortNone) != (b.Sort.Kind == SortNone) {
		return a.Sort.Kind == SortNone
	}
	c := compareSort(a.Sort, b.Sort)
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

func compareSort(a, b SortValue) int {
	switch {
	case a.Kind == SortNum && b.Kind == SortNum:
		switch {
		case a.Num < b.Num:
			return -1
		case a.Num > b.Num:
			return 1
		}
		return 0
	case a.Kind == SortStr && b.Kind == SortStr:
		return strings.Compare(a.Str, b.Str)
	}
	return int(a.Kind) - int(b.Kind)
}

// hitHeap keeps the best hits: a heap whose top is the worst kept.
type hitHeap struct {
	h    []Hit
	less func(a, b *Hit) bool // a is worse than b
	// cand holds the hit being offered: passing a pointer to offer's
	// argument to less (a func value) would move every hit to the heap.
	cand Hit
}

func (h *hitHeap) offer(v Hit, limit int) {
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

// sorted empties the heap, best first: a heapsort in place, each worst
// moved behind what is left of the heap.
func (h *hitHeap) sorted() []Hit {
	all := h.h
	for end := len(all) - 1; end > 0; end-- {
		all[0], all[end] = all[end], all[0]
		h.h = all[:end]
		h.down(0)
	}
	h.h = nil
	return all
}

// Match is a document the query matched, with its score and matched terms
// when asked for.
//
// An aggregation holds one per match (MatchAll), so a Match is kept at 40
// bytes: the rarely asked metrics and matched terms live behind one
// pointer.
type Match struct {
	Doc     *Doc
	Score   float64
	sortNum float64
	extra   *matchExtra // nil without metrics or matched terms

	id uint32 // Doc's id (0 when MatchAll did not set it)
	// sortSlot is 1+ the slot (MatchOptions.SortSlot) whose value MatchAll
	// copied from the sort column: a number (sortNum) or none.
	sortSlot uint16
	sortKind SortKind
}

type matchExtra struct {
	metrics []Metric // the values the query's vector clauses yielded
	terms   []string // matched_terms(): the query terms it matched
}

// Metrics are the values the query's vector clauses yielded.
func (m *Match) Metrics() []Metric {
	if m.extra == nil {
		return nil
	}
	return m.extra.metrics
}

// Terms are matched_terms(): the query terms the document matched.
func (m *Match) Terms() []string {
	if m.extra == nil {
		return nil
	}
	return m.extra.terms
}

// ID is the document's id, read without following Doc when MatchAll
// recorded it.
func (m *Match) ID() uint32 {
	if m.id != 0 {
		return m.id
	}
	return m.Doc.ID()
}

// SortValueAt is Doc.SortValueAt, answered from the copy MatchAll took of
// the sort column for MatchOptions.SortSlot. The pipeline calls it without
// the index's lock: the copy is the match's own.
func (m *Match) SortValueAt(slot int) (SortValue, bool) {
	if m.sortSlot != 0 && int(m.sortSlot)-1 == slot {
		return SortValue{Kind: m.sortKind, Num: m.sortNum}, true
	}
	return m.Doc.SortValueAt(slot)
}

// MatchOptions are what FT.AGGREGATE asks of a query's matches.
type MatchOptions struct {
	Scoring
	// WithScores scores the matches; MatchedTerms keeps each one's terms.
	WithScores   bool
	MatchedTerms bool
	// Tick is as SearchOptions.Tick.
	Tick func() (stop bool, err error)
	// SortSlot is 1+ a SORTABLE slot the caller will read of every match
	// (a SORTBY key): MatchAll copies its numeric values (and missing
	// ones) from the sort column into the matches. 0 copies none.
	SortSlot int
}

// MatchAll reads every match in id order. timedOut is true when Tick
// stopped it.
func (q *Query) MatchAll(o MatchOptions) (matches []Match, timedOut bool, err error) {
	var sc *scorer
	if o.WithScores {
		sc = q.newScorer(o.Scoring)
	}
	it := q.it
	pace := paced{tick: o.Tick}
	out := make([]Match, 0, min(it.estimate(), q.idx.numDocs)+1)
	var slab metricSlab
	var extras []matchExtra
	for it.read() {
		if stop, err := pace.next(); err != nil {
			return nil, false, err
		} else if stop {
			timedOut = true
			break
		}
		r := it.cur()
		d := q.idx.docs.get(r.id)
		m := Match{Doc: d, id: r.id}
		if o.SortSlot > 0 && o.SortSlot <= math.MaxUint16 {
			if c := q.idx.docs.sortCell(r.id, o.SortSlot-1); c.ok && c.kind != SortStr {
				m.sortSlot, m.sortKind = uint16(o.SortSlot), c.kind
				if c.kind == SortNum {
					m.sortNum = c.num()
				}
			}
		}
		if q.p.metrics || o.MatchedTerms {
			// The extras come a slab at a time, as the metrics do.
			if len(extras) == cap(extras) {
				extras = make([]matchExtra, 0, 128)
			}
			extras = append(extras, matchExtra{})
			m.extra = &extras[len(extras)-1]
		}
		if q.p.metrics {
			m.extra.metrics = slab.take(r)
		}
		if sc != nil {
			m.Score = sc.score(r, d, 0)
		}
		if o.MatchedTerms {
			m.extra.terms = appendMatchedTerms(nil, r)
		}
		out = append(out, m)
	}
	return out, timedOut, nil
}

// appendMatchedTerms collects the terms of a query result's term leaves,
// each once, in the order the result tree holds them (the module's
// IndexResult_GetMatchedTerms, at most 100).
func appendMatchedTerms(dst []string, r *result) []string {
	if r == nil || len(dst) >= 100 {
		return dst
	}
	if r.term != nil && r.term.term != "" && !slices.Contains(dst, r.term.term) {
		dst = append(dst, r.term.term)
	}
	for _, c := range r.children {
		dst = appendMatchedTerms(dst, c)
	}
	return dst
}

// TermMatch is a position of a document the query matched: which query
// term matched there (the module's RSQueryTerm id, in the order the result
// tree holds the terms) and that term's IDF, which scores SUMMARIZE's
// fragments.
type TermMatch struct {
	Term int
	IDF  float64
}

// DocMatches re-reads what the query matched in one document, as the
// module's highlighter does (getIndexResult): the query's iterators,
// FILTER/GEOFILTER/INKEYS included, built afresh and skipped to the
// document. It answers the matched positions; ok is false when the query
// does not match the document. The caller holds a read lock.
func (idx *Index) DocMatches(root query.Node, o *QueryOptions, id uint32) (map[uint32]TermMatch, bool) {
	unprofiled := *o
	unprofiled.Profile = nil
	p := newPlanner(idx, &unprofiled)
	it := p.withFilters(root, p.build(root))
	if it.skipTo(id) != rsOK {
		return nil, false
	}
	matches := map[uint32]TermMatch{}
	next := 0
	idx.collectMatches(it.cur(), matches, &next)
	return matches, true
}

// collectMatches walks a result tree in the order the module merges its
// offsets: where two terms share a position, the first one counts.
func (idx *Index) collectMatches(r *result, matches map[uint32]TermMatch, next *int) {
	if r.kind == resTerm {
		if r.term == nil || len(r.pos()) == 0 {
			return
		}
		m := TermMatch{Term: *next, IDF: idx.termIDF(r.term)}
		*next++
		for _, pos := range r.pos() {
			if _, ok := matches[pos]; !ok {
				matches[pos] = m
			}
		}
		return
	}
	for _, c := range r.children {
		idx.collectMatches(c, matches, next)
	}
}

// termIDF is the module's CalculateIDF, which the fragmenter scores with.
func (idx *Index) termIDF(te *termEntry) float64 {
	n := float64(te.docs)
	if n == 0 {
		n = 1
	}
	return math.Logb(1 + float64(idx.numDocs)/n)
}

func sortIDs(ids []uint32) { slices.Sort(ids) }

// uniqueSorted drops repeated ids from sorted ids, in place.
func uniqueSorted(ids []uint32) []uint32 { return slices.Compact(ids) }

// sortIDsDense sorts distinct ids no greater than maxID: through a bitmap
// when they are many for the id space (a numeric range over a tenth of an
// index), which costs a pass over the ids and one over the bitmap's words
// instead of a comparison sort.
func sortIDsDense(ids []uint32, maxID uint32) {
	words := int(maxID)/64 + 1
	if len(ids) < 256 || words > 4*len(ids) {
		slices.Sort(ids)
		return
	}
	bits := make([]uint64, words)
	for _, id := range ids {
		bits[id>>6] |= 1 << (id & 63)
	}
	out := ids[:0]
	for w, b := range bits {
		for b != 0 {
			t := bits64TrailingZeros(b)
			out = append(out, uint32(w<<6|t))
			b &= b - 1
		}
	}
	// Repeated ids (a document with several values) came out once: the
	// tail repeats the last id, which uniqueSorted then drops.
	for i := len(out); i < len(ids); i++ {
		ids[i] = out[len(out)-1]
	}
}

func bits64TrailingZeros(b uint64) int { return bits.TrailingZeros64(b) }
