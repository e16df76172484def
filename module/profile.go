package module

import (
	"fmt"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/index"
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
	prof := &queryProfile{Profile: index.NewProfile(start), clock: m.cfg.printProfileClock(), limited: h.limited}
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
	req.opts.Profile = prof.Profile
	idx.RLock()
	defer idx.RUnlock()
	res, err := m.runSearch(idx, req, prof.Start(), nil)
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
	prof.SetStage(index.StageLoad, time.Since(loadStart))
	warning := "None"
	switch {
	case res.TimedOut:
		warning = index.WarnTimeout
	case hasWarning(res.Warnings, index.WarnMaxPrefix):
		warning = index.WarnMaxPrefix
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
	if shard {
		req.distributeKNN()
	}
	req.query.opts.Profile = prof.Profile
	run, err := m.startAggregate(idx, req, prof.Start(), false, nil)
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
	case hasWarning(ws, index.WarnTimeout):
		return index.WarnTimeout
	case hasWarning(ws, index.WarnMaxPrefix):
		return index.WarnMaxPrefix
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
	total := time.Since(prof.Start())
	var kv []resp.Value
	if prof.clock {
		gil := 0.0
		if mainThread {
			// rs_timer_ms: a fractional count.
			gil = float64(total.Nanoseconds()) / 1e6
		}
		kv = append(kv,
			resp.Status("Total profile time"), resp.DoubleValue(clockMs(total)),
			resp.Status("Parsing time"), resp.DoubleValue(clockMs(prof.ParseTime())),
			resp.Status("Pipeline creation time"), resp.DoubleValue(clockMs(prof.PipelineTime())),
			resp.Status("Total GIL time"), resp.DoubleValue(gil))
	}
	kv = append(kv, resp.Status("Warning"), resp.Status(warning))
	if root := prof.Root(); root != nil {
		kv = append(kv, resp.Status("Iterators profile"), profileNodeValue(root, prof.limited, prof.clock))
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

// queryProfile is one FT.PROFILE: the engine's profile of the query, and
// how it is printed (LIMITED, _PRINT_PROFILE_CLOCK).
type queryProfile struct {
	*index.Profile
	limited bool
	clock   bool
}

// clockMs is a duration as the module prints a clock() difference: whole
// milliseconds (ticks / CLOCKS_PER_MILLISEC in integers), as a double.
func clockMs(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return float64(d.Microseconds() / 1000)
}

// profileNodeValue is an iterator's profile map (printIteratorProfile).
func profileNodeValue(n *index.ProfileNode, limited, clock bool) resp.Value {
	kv := []resp.Value{resp.Status("Type"), resp.Status(n.Type)}
	if n.Reader {
		kv = append(kv, resp.Status("Term"), safeString(n.Term))
	}
	if n.Union {
		kv = append(kv, resp.Status("Query type"), resp.Status(n.QueryType()))
	}
	if clock {
		kv = append(kv, resp.Status("Time"), resp.DoubleValue(clockMs(n.Time)))
	}
	kv = append(kv, resp.Status("Counter"), resp.Integer(n.Counter()))
	if n.Reader {
		kv = append(kv, resp.Status("Size"), resp.Integer(int64(n.Size)))
	}
	if n.VectorMode != "" {
		kv = append(kv, resp.Status("Vector search mode"), resp.Status(n.VectorMode))
		if n.Batches > 0 {
			kv = append(kv, resp.Status("Batches number"), resp.Integer(int64(n.Batches)),
				resp.Status("Largest batch size"), resp.Integer(int64(n.MaxBatchSize)),
				resp.Status("Largest batch iteration (zero based)"), resp.Integer(int64(n.MaxBatchIteration)))
		}
	}
	switch {
	case n.ChildrenSummarized(limited):
		kv = append(kv, resp.Status("Child iterators"),
			resp.Status(fmt.Sprintf("The number of iterators in the union is %d", len(n.Children))))
	case n.Union || n.Type == "INTERSECT":
		kids := make([]resp.Value, len(n.Children))
		for i, k := range n.Children {
			kids[i] = profileNodeValue(k, limited, clock)
		}
		kv = append(kv, resp.Status("Child iterators"), resp.ArrayOf(kids...))
	case n.Single && n.Child != nil:
		kv = append(kv, resp.Status("Child iterator"), profileNodeValue(n.Child, limited, clock))
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
func (m *Module) searchProcs(idx *Index, req *searchRequest, res *index.SearchResult, prof *queryProfile) []rpProfile {
	total := int64(res.Total)
	count := req.num == 0
	st := prof.Stage
	clock := prof.IterTime()
	var out []rpProfile
	add := func(typ string, n int64, d time.Duration) {
		clock += d
		out = append(out, rpProfile{typ: typ, count: n, time: clock})
	}
	scorer := req.withScores || (!count && !req.sortOn)
	if scorer {
		add("Index", total, 0)
		add("Scorer", total, st(index.StageScorer))
	} else {
		add("Index", total, st(index.StageScorer))
	}
	if count {
		// RPCounter returns nothing but counts one row.
		add("Counter", 1, st(index.StageSortKeys)+st(index.StageSorter))
		return out
	}
	sortKeys := st(index.StageSortKeys)
	if req.sortOn {
		if f := idx.Spec().Field(req.sortBy); f != nil && f.SortIdx() < 0 {
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
	add("Sorter", sorted, sortKeys+st(index.StageSorter))
	if req.offset > 0 {
		add("Pager/Limiter", rows, 0)
	}
	if !req.noContent {
		add("Loader", rows, st(index.StageLoad))
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
	lead := prof.IterTime()
	var out []rpProfile
	for i, p := range procs {
		rows := max(p.Calls-1, 0)
		if i == 0 && req.query.withScores {
			out = append(out, rpProfile{typ: p.Type, count: rows, time: lead + p.Time})
			lead += prof.Between()
			out = append(out, rpProfile{typ: "Scorer", count: rows, time: lead + p.Time})
			continue
		}
		if i == 0 {
			lead += prof.Between()
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
