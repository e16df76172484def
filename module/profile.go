package module

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FT.PROFILE idx SEARCH|AGGREGATE [LIMITED] QUERY query [args…] runs the
// query as FT.SEARCH or FT.AGGREGATE does and replies [results, profile]:
// RESP2 `[<the normal reply>, ["Shards", [shard], "Coordinator", []]]`,
// RESP3 `{"Results": <the normal map>, "Profile": {"Shards": [shard],
// "Coordinator": {}}}` (src/profile.c, Profile_PrintInFormat). A shard is
// a map: the clocks, Warning, the tree of the iterators the query was read
// with, and the result processors in pipeline order.
//
// The key names are 8.2.0's (profile.h of the 8.2 era): "Counter" and
// "Size" in iterators and "Counter" in result processors. Later releases
// (8.2.7 and 8.4.3 on) renamed them "Number of reading operations",
// "Estimated number of matches" and "Results processed".
//
// Times follow 8.2.0's clock() arithmetic: clock ticks divided by
// CLOCKS_PER_MILLISEC in integers, so whole milliseconds (as doubles) for
// the totals, the iterators and the result processors; "Total GIL time" is
// a fractional millisecond count. They are measured on the wall clock here.
// A result processor's time excludes its upstream's, as the module
// subtracts it.
//
// The query runs inline on the main thread, even with worker threads
// configured, with the index locked for reading and without yielding.
// Iterators are wrapped with counting clocks only for FT.PROFILE: other
// queries build and read the same iterators without them. In a cluster the
// coordinator runs it (profile_dist.go): every shard profiles its part
// (`_FT.PROFILE`) and the coordinator merges the results.
func (m *Module) cmdProfile(c *server.Ctx, args [][]byte) {
	start := time.Now()
	h, ok := m.profileHeader(c, args)
	if !ok {
		return
	}
	if m.distributed(c, "FT.PROFILE", args) {
		return
	}
	m.runProfile(c, h, args, start, false)
}

// `_FT.PROFILE idx SEARCH|AGGREGATE [LIMITED] QUERY query [args…]`: a
// shard's part of a cluster's FT.PROFILE, the query run as `_FT.SEARCH` or
// `_FT.AGGREGATE` runs it, replied as [<that command's reply>, <this
// shard's profile>] (see writeWireResp for the profile's encoding).
func (m *Module) cmdShardProfile(c *server.Ctx, args [][]byte) {
	start := time.Now()
	h, ok := m.profileHeader(c, args)
	if !ok {
		return
	}
	m.runProfile(c, h, args, start, true)
}

// profileArgs is what FT.PROFILE's arguments before the query's say.
type profileArgs struct {
	idx     *Index
	name    string
	search  bool // SEARCH, else AGGREGATE
	limited bool
	query   int // the query string's position in the arguments
}

// parseProfileArgs checks FT.PROFILE's arguments up to the query, in the
// module's order; arity is true for a wrong number of arguments.
func (m *Module) parseProfileArgs(args [][]byte) (h profileArgs, errMsg string, arity bool) {
	if len(args) < 5 {
		return h, "", true
	}
	// Redis 8's FT.PROFILE checks the index before anything else
	// (VERIFY_ACL): its error is "<idx>: no such index".
	h.name = string(args[1])
	if h.idx = m.lookup(h.name); h.idx == nil {
		return h, noSuchIndex(h.name), false
	}
	h.search = resp.EqualFold(args[2], "SEARCH")
	if !h.search && !resp.EqualFold(args[2], "AGGREGATE") {
		return h, errProfileNoCommand, false
	}
	i := 3
	if resp.EqualFold(args[i], "LIMITED") {
		h.limited = true
		i++
	}
	if i >= len(args) || !resp.EqualFold(args[i], "QUERY") {
		return h, errProfileNoQuery, false
	}
	i++
	if i >= len(args) {
		return h, "", true
	}
	h.query = i
	return h, "", false
}

// profileHeader is parseProfileArgs replying its errors.
func (m *Module) profileHeader(c *server.Ctx, args [][]byte) (profileArgs, bool) {
	h, errMsg, arity := m.parseProfileArgs(args)
	switch {
	case arity:
		wrongArity(c)
		return h, false
	case errMsg != "":
		c.W.Error(errMsg)
		return h, false
	}
	return h, true
}

// runProfile runs a profiled query on this shard; shard is `_FT.PROFILE`.
func (m *Module) runProfile(c *server.Ctx, h profileArgs, args [][]byte, start time.Time, shard bool) {
	prof := &queryProfile{start: start, clock: m.cfg.printProfileClock(), limited: h.limited}
	if h.search {
		m.profileSearch(c, h.idx, prof, string(args[h.query]), args[h.query+1:], shard)
		return
	}
	m.profileAggregate(c, h.idx, h.name, prof, args[h.query:], shard)
}

const (
	errProfileNoCommand = "No `SEARCH` or `AGGREGATE` provided"
	errProfileNoQuery   = "The QUERY keyword is expected"
	errProfileCursor    = "FT.PROFILE does not support cursor"
)

// printProfileClock is _PRINT_PROFILE_CLOCK: false leaves the times out.
func (c *Config) printProfileClock() bool {
	return c.param("search-_print-profile-clock").Bool()
}

// profileSearch is FT.PROFILE … SEARCH; shard is `_FT.PROFILE`, which
// runs the query as `_FT.SEARCH` does.
func (m *Module) profileSearch(c *server.Ctx, idx *Index, prof *queryProfile, q string, rest [][]byte, shard bool) {
	req, err := parseSearchArgs(q, rest, m.cfg, false)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	if shard {
		req.forShard()
	}
	req.prof = prof
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	res, err := m.runSearch(idx, req, prof.start, nil)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	// Under FT.PROFILE a timeout is a warning, whatever ON_TIMEOUT says
	// (ShouldReplyWithTimeoutError is false for profiles).
	w := c.W
	profileHead(w, shard)
	loadStart := time.Now()
	m.writeSearchReply(w, idx, req, res)
	prof.stage[stageLoad] = time.Since(loadStart)
	warning := "None"
	switch {
	case res.timedOut:
		warning = warnTimeout
	case hasWarning(res.warnings, warnMaxPrefix):
		warning = warnMaxPrefix
	}
	profileTail(w, shard, profileMap(prof, warning, m.searchProcs(idx, req, res, prof), true))
}

// profileAggregate is FT.PROFILE … AGGREGATE; args start at the query.
// shard is `_FT.PROFILE`, which runs the shard's part of the pipeline as
// `_FT.AGGREGATE` does.
func (m *Module) profileAggregate(c *server.Ctx, idx *Index, name string, prof *queryProfile, args [][]byte, shard bool) {
	req, err := m.parseAggregate(idx, args)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	if req.agg.WithCursor {
		c.W.Error(errProfileCursor)
		return
	}
	req.index = name
	req.shard = shard
	req.query.prof = prof
	run, err := m.startAggregate(idx, req, prof.start, false, nil)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	procs := run.pipe.Profile()
	collectStart := time.Now()
	ch, err := collectRows(run, -1)
	collect := time.Since(collectStart)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	w := c.W
	profileHead(w, shard)
	writeAggregateChunk(w, run, ch)
	profileTail(w, shard, profileMap(prof, aggWarning(run.warnings), aggregateProcs(req, prof, procs, collect), true))
}

// aggWarning is the profile's Warning for an aggregation's warnings.
func aggWarning(ws []string) string {
	switch {
	case hasWarning(ws, warnTimeout):
		return warnTimeout
	case hasWarning(ws, warnMaxPrefix):
		return warnMaxPrefix
	}
	return "None"
}

func hasWarning(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// profileHead opens the reply: a two-element array in RESP2, a map whose
// first key is "Results" in RESP3. The normal reply follows. A shard's
// `_FT.PROFILE` reply is a two-element array.
func profileHead(w *resp.Writer, shard bool) {
	if w.Resp3() && !shard {
		w.Map(2)
		w.SimpleString("Results")
		return
	}
	w.Array(2)
}

// profileTail writes the profile part after the normal reply: standalone,
// this shard's profile as the only shard, with an empty coordinator part;
// a shard's `_FT.PROFILE`, its profile for its coordinator.
func profileTail(w *resp.Writer, shard bool, prof resp.Value) {
	if shard {
		writeWireResp(w, prof)
		return
	}
	writeProfilePart(w, []resp.Value{prof}, resp.MapOf())
}

// writeProfilePart writes the part after the results: "Shards", then
// "Coordinator" (Profile_PrintInFormat).
func writeProfilePart(w *resp.Writer, shards []resp.Value, coordinator resp.Value) {
	if w.Resp3() {
		w.SimpleString("Profile")
	}
	w.Value(resp.MapOf(
		resp.Status("Shards"), resp.ArrayOf(shards...),
		resp.Status("Coordinator"), coordinator,
	))
}

// profileMap is a profile as Profile_Print prints it: the clocks (when
// _PRINT_PROFILE_CLOCK is on), Warning, the iterators (unless there are
// none: a coordinator's) and the result processors. mainThread is true
// when the query held the main thread throughout (its GIL time is its
// whole time), false for a coordinator merging off the main thread.
func profileMap(prof *queryProfile, warning string, procs []rpProfile, mainThread bool) resp.Value {
	total := time.Since(prof.start)
	var kv []resp.Value
	if prof.clock {
		gil := 0.0
		if mainThread {
			// rs_timer_ms: a fractional count.
			gil = float64(total.Nanoseconds()) / 1e6
		}
		kv = append(kv,
			resp.Status("Total profile time"), resp.DoubleValue(clockMs(total)),
			resp.Status("Parsing time"), resp.DoubleValue(clockMs(prof.parseTime())),
			resp.Status("Pipeline creation time"), resp.DoubleValue(clockMs(prof.pipelineTime())),
			resp.Status("Total GIL time"), resp.DoubleValue(gil))
	}
	kv = append(kv, resp.Status("Warning"), resp.Status(warning))
	if prof.root != nil {
		kv = append(kv, resp.Status("Iterators profile"), prof.root.value(prof.limited, prof.clock))
	}
	rps := make([]resp.Value, len(procs))
	prevMs := 0.0
	for i, p := range procs {
		e := []resp.Value{resp.Status("Type"), resp.Status(p.typ)}
		if prof.clock {
			// The module prints each processor's clock minus its
			// upstream's, both in whole milliseconds.
			ms := clockMs(p.time)
			e = append(e, resp.Status("Time"), resp.DoubleValue(ms-prevMs))
			prevMs = ms
		}
		e = append(e, resp.Status("Counter"), resp.Integer(p.count))
		rps[i] = resp.MapOf(e...)
	}
	kv = append(kv, resp.Status("Result processors profile"), resp.ArrayOf(rps...))
	return resp.MapOf(kv...)
}

// clockMs is a duration as the module prints a clock() difference: whole
// milliseconds (ticks / CLOCKS_PER_MILLISEC in integers), as a double.
func clockMs(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return float64(d.Microseconds() / 1000)
}

// ---- the query's clocks

// queryProfile is what one FT.PROFILE measures of its query. Its methods
// are no-ops on nil, which every other query has.
type queryProfile struct {
	limited bool
	clock   bool // _PRINT_PROFILE_CLOCK

	start    time.Time // the command's start
	parseEnd time.Time // the query string parsed
	built    time.Time // the iterators built
	root     *profNode // the iterators' profile
	labels   map[iterator]iterLabel

	// last is when the root iterator last returned; between sums the
	// time spent between its reads (what the caller did with each result).
	last    time.Time
	between time.Duration
	stage   [stageCount]time.Duration
}

// The stages of an FT.SEARCH pipeline runSearch measures (lap).
const (
	stageScorer = iota
	stageSortKeys
	stageSorter
	stageLoad
	stageCount
)

// parsed marks the end of the query string's parsing.
func (q *queryProfile) parsed() {
	if q != nil {
		q.parseEnd = time.Now()
	}
}

// labelMap is the map a planner names its iterators in.
func (q *queryProfile) labelMap() map[iterator]iterLabel {
	if q == nil {
		return nil
	}
	if q.labels == nil {
		q.labels = map[iterator]iterLabel{}
	}
	return q.labels
}

// lap adds the time since the previous lap (or the root iterator's last
// return) to a stage. It inlines to a nil test for queries not profiled.
func (q *queryProfile) lap(stage int) {
	if q != nil {
		q.addLap(stage)
	}
}

func (q *queryProfile) addLap(stage int) {
	now := time.Now()
	if !q.last.IsZero() {
		q.stage[stage] += now.Sub(q.last)
	}
	q.last = now
}

func (q *queryProfile) parseTime() time.Duration { return q.parseEnd.Sub(q.start) }

func (q *queryProfile) pipelineTime() time.Duration {
	if q.built.IsZero() {
		return 0
	}
	return q.built.Sub(q.parseEnd)
}

// iterTime is the time spent in the root iterator.
func (q *queryProfile) iterTime() time.Duration {
	if q.root == nil {
		return 0
	}
	return q.root.dur
}

// ---- iterators

// The module's query node types (QueryNodeType, 8.x numbering: GEOMETRY
// follows GEO), which a union's "Query type" names.
const (
	qnUnion    = 2
	qnNumeric  = 4
	qnGeo      = 7
	qnPrefix   = 9
	qnTag      = 12
	qnFuzzy    = 13
	qnLexRange = 14
)

var qnNames = map[int]string{qnUnion: "UNION", qnNumeric: "NUMERIC", qnGeo: "GEO", qnPrefix: "PREFIX",
	qnTag: "TAG", qnFuzzy: "FUZZY", qnLexRange: "LEXRANGE"}

// iterLabel is what the planner knows of an iterator that its type does
// not tell: a reader's type and term (TAG, NUMERIC, GEO, or EMPTY for a
// range outside the field's values), a union's query type.
type iterLabel struct {
	typ, term string
	qn        int
	qstr      string
}

// note labels an iterator when the query is profiled.
func (p *planner) note(it iterator, l iterLabel) iterator {
	if p.labels != nil {
		p.labels[it] = l
	}
	return it
}

// noteNumeric labels a numeric range's iterator. The module reads a range
// from its range tree's leaves; the profile shows one reader whose term is
// the field's lowest and highest values (a tree of one leaf), and a range
// outside them is EMPTY. (rangeTree models 2.10's leaves for scoring; 8.2,
// whose profile this is, splits its tree on other rules.)
func (p *planner) noteNumeric(it *idIter, f *Field, lo, hi float64) iterator {
	if p.labels == nil {
		return it
	}
	tree := p.idx.numerics[f.pos].tree
	minE, ok1 := tree.Min()
	maxE, ok2 := tree.Max()
	if !ok1 || !ok2 || hi < minE.v || lo > maxE.v {
		p.labels[it] = iterLabel{typ: "EMPTY"}
		return it
	}
	p.labels[it] = iterLabel{typ: "NUMERIC", term: fmt.Sprintf("%s - %s", fmtG(minE.v), fmtG(maxE.v))}
	return it
}

// noteGeo labels a geo radius's iterator: its term is the bounding box of
// the circle, "lon,lat - lon,lat" (the module prints the decoded geohash
// range of each of its readers).
func (p *planner) noteGeo(it *idIter, lon, lat, radius float64) iterator {
	if p.labels == nil {
		return it
	}
	dLat := radius / earthRadiusMeters * 180 / math.Pi
	dLon := dLat
	if c := math.Cos(lat * math.Pi / 180); c > 1e-12 {
		dLon = dLat / c
	}
	p.labels[it] = iterLabel{typ: "GEO", term: fmt.Sprintf("%s,%s - %s,%s",
		fmtG(lon-dLon), fmtG(lat-dLat), fmtG(lon+dLon), fmtG(lat+dLat))}
	return it
}

// profiled wraps the query's iterators when it is profiled; the iterators
// are then built (the end of "Pipeline creation time").
func (p *planner) profiled(it iterator) iterator {
	q := p.req.prof
	if q == nil {
		return it
	}
	w, n := q.wrap(it)
	w.top = q
	q.root = n
	q.built = time.Now()
	return w
}

// profNode is one iterator's profile.
type profNode struct {
	typ    string
	term   string // readers
	reader bool   // prints Term and Size
	size   int
	union  bool
	qn     int
	qstr   string
	kids   []*profNode // unions and intersections
	child  *profNode   // NOT and OPTIONAL
	single bool        // has a child iterator

	reads, skips int64
	eof          bool
	dur          time.Duration
}

// wrap puts a profile iterator over it and, first, over its children.
func (q *queryProfile) wrap(it iterator) (*profIter, *profNode) {
	n := &profNode{}
	switch x := it.(type) {
	case *termIter:
		n.typ, n.term, n.reader, n.size = "TEXT", x.res.term.term, true, x.estimate()
	case *idIter:
		l, ok := q.labels[it]
		switch {
		case !ok:
			n.typ = "ID-LIST"
		case l.typ == "EMPTY":
			n.typ = "EMPTY"
		default:
			n.typ, n.term, n.reader, n.size = l.typ, l.term, true, x.estimate()
		}
	case *wildcardIter:
		n.typ = "WILDCARD"
	case *emptyIter:
		n.typ = "EMPTY"
	case *unionIter:
		q.unionNode(n, it)
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.kids = append(n.kids, c)
		}
	case *heapUnionIter:
		q.unionNode(n, it)
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.kids = append(n.kids, c)
		}
	case *intersectIter:
		n.typ = "INTERSECT"
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.kids = append(n.kids, c)
		}
	case *notIter:
		n.typ, n.single = "NOT", true
		w, c := q.wrap(x.child)
		x.child, n.child = w, c
	case *optionalIter:
		n.typ, n.single = "OPTIONAL", true
		w, c := q.wrap(x.child)
		x.child, n.child = w, c
	default:
		n.typ = "EMPTY"
	}
	return &profIter{it: it, n: n}, n
}

func (q *queryProfile) unionNode(n *profNode, it iterator) {
	n.typ, n.union, n.qn = "UNION", true, qnUnion
	if l, ok := q.labels[it]; ok && l.qn != 0 {
		n.qn, n.qstr = l.qn, l.qstr
	}
}

// profIter counts and times an iterator's reads and skips, as the module's
// profile iterator does.
type profIter struct {
	it  iterator
	n   *profNode
	top *queryProfile // set on the root: it marks when each read returns
}

func (w *profIter) read() bool {
	start := time.Now()
	if w.top != nil && !w.top.last.IsZero() {
		w.top.between += start.Sub(w.top.last)
	}
	ok := w.it.read()
	end := time.Now()
	w.n.dur += end.Sub(start)
	w.n.reads++
	if !ok {
		w.n.eof = true
	}
	if w.top != nil {
		w.top.last = end
	}
	return ok
}

func (w *profIter) skipTo(id uint32) readStatus {
	start := time.Now()
	rc := w.it.skipTo(id)
	w.n.dur += time.Since(start)
	w.n.skips++
	if rc == rsEOF {
		w.n.eof = true
	}
	return rc
}

func (w *profIter) cur() *result  { return w.it.cur() }
func (w *profIter) estimate() int { return w.it.estimate() }

// counter is the module's printed count: reads and skips, less one when
// the iterator reached its end.
func (n *profNode) counter() int64 {
	c := n.reads + n.skips
	if n.eof {
		c--
	}
	return c
}

// value is the iterator's profile map (printIteratorProfile).
func (n *profNode) value(limited, clock bool) resp.Value {
	kv := []resp.Value{resp.Status("Type"), resp.Status(n.typ)}
	if n.reader {
		kv = append(kv, resp.Status("Term"), safeString(n.term))
	}
	if n.union {
		qt := qnNames[n.qn]
		if n.qstr != "" {
			qt += " - " + n.qstr
		}
		kv = append(kv, resp.Status("Query type"), resp.Status(qt))
	}
	if clock {
		kv = append(kv, resp.Status("Time"), resp.DoubleValue(clockMs(n.dur)))
	}
	kv = append(kv, resp.Status("Counter"), resp.Integer(n.counter()))
	if n.reader {
		kv = append(kv, resp.Status("Size"), resp.Integer(int64(n.size)))
	}
	switch {
	case n.union && limited && n.qn&qnUnion == 0:
		// printUnionIt prints the children of a LIMITED profile's union
		// when `origType & QN_UNION`: a bit test on the type's number,
		// true of UNION, GEO and LEXRANGE.
		kv = append(kv, resp.Status("Child iterators"),
			resp.Status(fmt.Sprintf("The number of iterators in the union is %d", len(n.kids))))
	case n.union || n.typ == "INTERSECT":
		kids := make([]resp.Value, len(n.kids))
		for i, k := range n.kids {
			kids[i] = k.value(limited, clock)
		}
		kv = append(kv, resp.Status("Child iterators"), resp.ArrayOf(kids...))
	case n.single && n.child != nil:
		kv = append(kv, resp.Status("Child iterator"), n.child.value(limited, clock))
	}
	return resp.MapOf(kv...)
}

// safeString is REPLY_KVSTR_SAFE: a simple string unless it would break
// the line.
func safeString(s string) resp.Value {
	if strings.ContainsAny(s, "\r\n") {
		return resp.Bulk(s)
	}
	return resp.Status(s)
}

// fmtG is C's "%g".
func fmtG(f float64) string {
	s := fmt.Sprintf("%g", f)
	// Go writes exponents with at least two digits, as C does; "+Inf"
	// and "NaN" are C's "inf" and "nan".
	switch s {
	case "+Inf":
		return "inf"
	case "-Inf":
		return "-inf"
	case "NaN":
		return "nan"
	}
	return s
}

// ---- result processors

// rpProfile is one result processor's line: its type, its count of rows
// (calls less the one that found the end) and its clock, its upstream's
// included.
type rpProfile struct {
	typ   string
	count int64
	time  time.Duration
}

// searchProcs lists the processors the module builds for an FT.SEARCH
// (buildImplicitPipeline, getArrangeRP, buildOutputPipeline) with what
// runSearch measured: Index, a Scorer unless the query sorts by a field
// (or with WITHSCORES), then LIMIT 0 0's Counter, or a Loader for a sort
// field that is not SORTABLE, the Sorter and, for an offset, the Pager;
// then the Loader of the returned fields and the Highlighter.
func (m *Module) searchProcs(idx *Index, req *searchRequest, res *searchResult, prof *queryProfile) []rpProfile {
	total := int64(res.total)
	count := req.num == 0
	st := prof.stage
	clock := prof.iterTime()
	var out []rpProfile
	add := func(typ string, n int64, d time.Duration) {
		clock += d
		out = append(out, rpProfile{typ: typ, count: n, time: clock})
	}
	scorer := req.withScores || (!count && !req.sortOn)
	if scorer {
		add("Index", total, 0)
		add("Scorer", total, st[stageScorer])
	} else {
		add("Index", total, st[stageScorer])
	}
	if count {
		// RPCounter returns nothing but counts one row.
		add("Counter", 1, st[stageSortKeys]+st[stageSorter])
		return out
	}
	sortKeys := st[stageSortKeys]
	if req.sortOn {
		if f := idx.spec.field(req.sortBy); f != nil && f.sortIdx < 0 {
			add("Loader", total, sortKeys)
			sortKeys = 0
		}
	}
	// The sorter keeps offset+num rows; a pager after it skips the offset
	// and, once it has sent num rows, ends without asking the sorter again.
	limit := req.offset + req.num
	kept := min(total, limit)
	rows := kept
	sorted := kept
	if req.offset > 0 {
		switch {
		case total >= limit:
			sorted, rows = limit-1, req.num
		case kept <= req.offset:
			rows = 0
		default:
			rows = kept - req.offset
		}
	}
	add("Sorter", sorted, sortKeys+st[stageSorter])
	if req.offset > 0 {
		add("Pager/Limiter", rows, 0)
	}
	if !req.noContent {
		add("Loader", rows, st[stageLoad])
		if req.summarize != nil || req.highlight != nil {
			add("Highlighter", rows, 0)
		}
	}
	return out
}

// aggregateProcs lists an FT.AGGREGATE's processors from its pipeline's
// profile: the Index (the query's iterators and the pipeline's root), a
// Scorer with WITHSCORES or ADDSCORES, the steps' processors, and LIMIT 0
// 0's Counter.
func aggregateProcs(req *aggRequest, prof *queryProfile, procs []*aggregate.ProcProfile, collect time.Duration) []rpProfile {
	// The documents were gathered before the pipeline ran: their
	// iterators' time (and the scoring between reads) comes first.
	lead := prof.iterTime()
	var out []rpProfile
	for i, p := range procs {
		rows := max(p.Calls-1, 0)
		if i == 0 && req.query.withScores {
			out = append(out, rpProfile{typ: p.Type, count: rows, time: lead + p.Time})
			lead += prof.between
			out = append(out, rpProfile{typ: "Scorer", count: rows, time: lead + p.Time})
			continue
		}
		if i == 0 {
			lead += prof.between
		}
		out = append(out, rpProfile{typ: p.Type, count: rows, time: lead + p.Time})
	}
	if req.agg.NoRows {
		end := lead + collect
		if len(out) > 0 && out[len(out)-1].time > end {
			end = out[len(out)-1].time
		}
		out = append(out, rpProfile{typ: "Counter", count: 1, time: end})
	}
	return out
}
