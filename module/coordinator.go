package module

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Coordinator distributes FT.* commands over a cluster's shards (package
// coord). The module calls it for the user-facing commands when the shard
// runs in cluster mode; the shard-local versions, which coordinators send
// each other, are the `_FT.*` commands.
type Coordinator interface {
	// Dispatch runs a user command across the cluster, on the main thread;
	// it reports false when the command is to run locally (not in cluster
	// mode).
	Dispatch(c *server.Ctx, name string, args [][]byte) bool
	// WorkersChanged follows a search-workers or search-conn-per-shard
	// change (its connection pools are sized from them).
	WorkersChanged()
	// ShardConnectionStates writes FT.DEBUG SHARD_CONNECTION_STATES.
	ShardConnectionStates(c *server.Ctx)
	// ClusterInfo writes SEARCH.CLUSTERINFO.
	ClusterInfo(c *server.Ctx)
	// InfoFields adds its fields to INFO's search_multi_threading section.
	InfoFields(w *server.InfoWriter)
	// Stop ends its goroutines.
	Stop()
}

// SetCoordinator plugs a coordinator in; call it before the server starts.
func (m *Module) SetCoordinator(c Coordinator) { m.coord = c }

// Config is the module's configuration.
func (m *Module) Config() *Config { return m.cfg }

// distributed runs a user command through the coordinator when there is
// one and the shard is in cluster mode.
func (m *Module) distributed(c *server.Ctx, name string, args [][]byte) bool {
	return m.coord != nil && c.Server().Topology() != nil && m.coord.Dispatch(c, name, args)
}

// SearchPlan is what a coordinator needs of an FT.SEARCH to merge its
// shards' `_FT.SEARCH` replies: a shard answers the first Offset+Num
// results, with scores and (under SORTBY) sort keys, whatever was asked.
type SearchPlan struct {
	Offset, Num  int64
	WithScores   bool
	WithPayloads bool
	WithSortKeys bool
	NoContent    bool // no fields in the reply
	SortBy       bool
	SortDesc     bool
	Timeout      time.Duration // 0: none
	FailOnTime   bool          // ON_TIMEOUT fail
	// KNN is set when the query is a KNN clause (`…=>[KNN k @v $B]`, the
	// root of the query): the merge keeps the K nearest across the shards.
	KNN *KNNPlan
}

// KNNPlan is the module's KNN special case of a distributed FT.SEARCH
// (specialCaseCtx, src/coord/special_case_ctx.h; setKNNSpecialCase and
// prepareOptionalTopKCase, src/module.c).
type KNNPlan struct {
	K int64
	// Field is the distance's name: the clause's alias ($YIELD_DISTANCE_AS
	// or AS), else __<field>_score.
	Field string
	// ShouldSort is true unless SORTBY names the distance: each shard then
	// sends its K results with their distances (a required field), and the
	// coordinator keeps the K nearest before ordering them as asked. Under
	// SORTBY <distance> the shards' sort keys are the distances and the
	// usual merge by sort key keeps the nearest.
	ShouldSort bool
	// ShardKRatio is the clause's $SHARD_K_RATIO (1 when not given): each
	// shard of an n-shard cluster is asked for EffectiveK(n) neighbours.
	ShardKRatio float64
	// Requested is how many results each shard sends (the module's
	// requestedResultsCount): max(K, offset+num), or min(K, offset+num)
	// under SORTBY <distance> (K under SORTBY <distance> DESC).
	Requested int64

	query string
	opts  query.Options
}

// EffectiveK is the K each of n shards is asked for (calculateEffectiveK,
// src/shard_window_ratio.h): max(ceil(K/n), ceil(K × ratio)), or K itself
// when the ratio is 1 or there is a single shard.
func (p *KNNPlan) EffectiveK(n int) int64 {
	return effectiveK(p.K, p.ShardKRatio, n)
}

func effectiveK(k int64, ratio float64, n int) int64 {
	if ratio >= 1 || n <= 1 || k <= 0 {
		return k
	}
	minK := (k + int64(n) - 1) / int64(n)
	ratioK := int64(math.Ceil(float64(k) * ratio))
	return max(minK, ratioK)
}

// PlanSearch parses FT.SEARCH arguments (after the index name and query)
// as FT.SEARCH does, with its errors. With DIALECT 2 or more, a query that
// mentions KNN is parsed, as the module's coordinator does, to find a KNN
// clause at its root; the query's own errors then come from here.
func (m *Module) PlanSearch(indexName, q string, rest [][]byte) (*SearchPlan, error) {
	req, err := parseSearchArgs(q, rest, m.cfg, false)
	if err != nil {
		return nil, err
	}
	timeout := m.queryTimeout(req.timeoutMs)
	plan := &SearchPlan{
		Offset: req.offset, Num: req.num,
		WithScores: req.withScores, WithPayloads: req.withPayloads, WithSortKeys: req.withSortKeys,
		NoContent: req.noContent,
		SortBy:    req.sortOn, SortDesc: req.sortDesc,
		Timeout: timeout, FailOnTime: m.cfg.OnTimeoutFail(),
	}
	if req.dialect < 2 || !strings.Contains(strings.ToUpper(q), "KNN") {
		return plan, nil
	}
	idx := m.lookup(indexName)
	if idx == nil {
		return plan, nil // the shards answer "No such index"
	}
	root, err := m.parseQuery(idx, req)
	if err != nil {
		return nil, err
	}
	knn, ok := root.(*query.VectorKNN)
	if !ok {
		return plan, nil
	}
	kp := &KNNPlan{K: int64(knn.K), Field: knnScoreField(knn), ShouldSort: true, ShardKRatio: knnShardRatio(knn),
		query: q, opts: m.queryParseOptions(idx, req)}
	want := req.offset + req.num
	kp.Requested = max(kp.K, want)
	if req.sortOn && req.sortBy == kp.Field {
		kp.ShouldSort = false
		kp.Requested = min(kp.K, want)
		if req.sortDesc {
			// The module asks for min(K, offset+num) here too, and so
			// merges the farthest of every shard's K nearest, which need
			// not be among the K nearest of all: all K are needed.
			kp.Requested = kp.K
		}
	}
	plan.KNN = kp
	return plan, nil
}

// knnScoreField is the name a KNN clause yields its distance under.
func knnScoreField(n *query.VectorKNN) string { return n.ScoreField() }

// knnShardRatio is a KNN clause's $SHARD_K_RATIO (1 when not given).
func knnShardRatio(n *query.VectorKNN) float64 {
	if n.ShardKRatio <= 0 {
		return 1
	}
	return n.ShardKRatio
}

// queryParseOptions are the options parseQuery parses a request's query
// with.
func (m *Module) queryParseOptions(idx *Index, req *searchRequest) query.Options {
	sp := idx.Spec()
	opts := query.Options{Dialect: req.dialect, Params: req.params, Schema: sp.QuerySchema()}
	if !req.noStopwords {
		opts.IsStopword = sp.Stopwords.Contains
	}
	return opts
}

// RequiredFieldsArg introduces the coordinator's list of the values a
// shard adds to each result (the module's `_REQUIRED_FIELDS n name…`, at
// the end of `_FT.SEARCH`): here the KNN distance, written after the sort
// key as "#<number>".
const RequiredFieldsArg = "_REQUIRED_FIELDS"

// ShardArgs are the arguments of the `_FT.SEARCH` the coordinator sends
// each of its n shards (args[0] is the command; the rest is the client's
// FT.SEARCH). For a KNN query, as the module's prepareCommand and
// sendRequiredFields do: every shard is asked for the first Requested
// results, and (unless SORTBY names the distance) for each result's
// distance; with $SHARD_K_RATIO below 1 the clause's K becomes
// EffectiveK(n) in the shards' query.
func (p *SearchPlan) ShardArgs(args [][]byte, n int) [][]byte {
	kp := p.KNN
	if kp == nil {
		return args
	}
	out := append([][]byte(nil), args...)
	if ek := kp.EffectiveK(n); ek != kp.K {
		if q, ok := rewriteKNNK(kp.query, ek, kp.opts); ok {
			out[2] = []byte(q)
		}
	}
	// The last LIMIT wins: the shards send their first Requested results.
	out = append(out, []byte("LIMIT"), []byte("0"), []byte(strconv.FormatInt(kp.Requested, 10)))
	if kp.ShouldSort {
		out = append(out, []byte(RequiredFieldsArg), []byte("1"), []byte(kp.Field))
	}
	return out
}

// rewriteKNNK replaces the K of the query's KNN clause (a literal or a
// $param) by k, as the module's modifyKNNCommand does; ok is false when the
// clause cannot be found, or the rewritten query does not parse to the same
// clause with that K.
func rewriteKNNK(q string, k int64, opts query.Options) (string, bool) {
	start, end := knnKToken(q)
	if start < 0 {
		return "", false
	}
	out := q[:start] + strconv.FormatInt(k, 10) + q[end:]
	root, err := query.Parse(out, opts)
	if err != nil {
		return "", false
	}
	knn, ok := root.(*query.VectorKNN)
	if !ok || int64(knn.K) != k {
		return "", false
	}
	return out, true
}

// knnKToken finds the K token of the KNN clause of a query whose root is
// one: after the last "=>", an opening bracket and KNN; -1 when there is
// none.
func knnKToken(q string) (start, end int) {
	skip := func(i int) int {
		for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
			i++
		}
		return i
	}
	for at := strings.LastIndex(q, "=>"); at >= 0; at = strings.LastIndex(q[:at], "=>") {
		i := skip(at + 2)
		if i >= len(q) || q[i] != '[' {
			continue
		}
		i = skip(i + 1)
		if i+3 > len(q) || !strings.EqualFold(q[i:i+3], "KNN") {
			continue
		}
		i += 3
		j := skip(i)
		if j == i {
			continue
		}
		e := j
		for e < len(q) && q[e] != ' ' && q[e] != '\t' && q[e] != '\n' && q[e] != '\r' && q[e] != ']' {
			e++
		}
		if e == j {
			continue
		}
		return j, e
	}
	return -1, -1
}

// distributeKNN makes a distributed FT.AGGREGATE whose query is a KNN
// clause start with the module's KNN arrange step (prepareForExecution,
// src/coord/dist_aggregate.c; AGPLN_AddKNNArrangeStep): the rows sorted by
// distance and cut to K, before any step of the client's, so that the
// pipeline runs on the K nearest across the shards. The module runs that
// step on the coordinator only (runLocal), each shard sending its K rows;
// here each shard also sorts and cuts its rows (the same rows reach the
// coordinator), and the coordinator and every shard add the step alike, so
// that they split the pipeline alike. It returns the KNN plan, nil when
// the query is not a KNN clause.
func (r *aggRequest) distributeKNN() *KNNPlan {
	if r.query.dialect < 2 || !strings.Contains(strings.ToUpper(r.query.query), "KNN") {
		return nil
	}
	knn, ok := r.root.(*query.VectorKNN)
	if !ok {
		return nil
	}
	kp := &KNNPlan{K: int64(knn.K), Field: knnScoreField(knn), ShardKRatio: knnShardRatio(knn), query: r.query.query}
	step := &aggregate.ArrangeStep{Sorted: true, Keys: []aggregate.SortKey{{Name: kp.Field, Asc: true}},
		Limit: uint64(max(kp.K, 0)), IsLimited: true}
	r.agg.Steps = append([]aggregate.Step{step}, r.agg.Steps...)
	return kp
}

// ShardArgs are the arguments of the `_FT.AGGREGATE` the coordinator sends
// each of its n shards: the client's, with the KNN clause's K made
// EffectiveK(n) under $SHARD_K_RATIO (buildMRCommand,
// src/coord/dist_aggregate.c).
func (p *AggregatePlan) ShardArgs(args [][]byte, n int) [][]byte {
	kp := p.KNN
	if kp == nil {
		return args
	}
	ek := kp.EffectiveK(n)
	if ek == kp.K {
		return args
	}
	q, ok := rewriteKNNK(kp.query, ek, p.m.queryParseOptions(p.idx, p.areq.query))
	if !ok {
		return args
	}
	out := append([][]byte(nil), args...)
	out[2] = []byte(q)
	return out
}

// shardSearch is `_FT.SEARCH`: FT.SEARCH on this shard alone, answering
// what a coordinator merges (see SearchPlan). A trailing `_REQUIRED_FIELDS
// n name…` (see RequiredFieldsArg) is the coordinator's, not the client's.
func (m *Module) cmdShardSearch(c *server.Ctx, args [][]byte) {
	args, required := splitRequiredFields(args)
	m.search(c, args, true, required)
}

// splitRequiredFields takes a trailing `_REQUIRED_FIELDS n name…` off a
// shard's arguments.
func splitRequiredFields(args [][]byte) ([][]byte, []string) {
	for i := len(args) - 2; i >= 3; i-- {
		if !strings.EqualFold(string(args[i]), RequiredFieldsArg) {
			continue
		}
		n, ok := resp.ParseInt(args[i+1])
		if !ok || n < 0 || int64(len(args)-i-2) != n {
			continue
		}
		var names []string
		for _, a := range args[i+2:] {
			names = append(names, string(a))
		}
		return args[:i], names
	}
	return args, nil
}

// The user commands that change indexes run on every shard in cluster
// mode; `_FT.*` is the shard-local version.
func (m *Module) cmdCreateDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.CREATE", args) {
		m.cmdCreate(c, args)
	}
}

func (m *Module) cmdDropIndexDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.DROPINDEX", args) {
		m.cmdDropIndex(c, args)
	}
}

func (m *Module) cmdAlterDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.ALTER", args) {
		m.cmdAlter(c, args)
	}
}

// SEARCH.CLUSTERINFO
func (m *Module) cmdClusterInfo(c *server.Ctx, args [][]byte) {
	if m.coord == nil || c.Server().Topology() == nil {
		c.W.Error("ERR Cluster mode is not enabled")
		return
	}
	m.coord.ClusterInfo(c)
}

func (m *Module) cmdInfoDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.INFO", args) {
		m.cmdInfo(c, args)
	}
}

func (m *Module) cmdTagValsDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.TAGVALS", args) {
		m.cmdTagVals(c, args)
	}
}

func (m *Module) cmdAliasAddDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.ALIASADD", args) {
		m.cmdAliasAdd(c, args)
	}
}

func (m *Module) cmdAliasUpdateDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.ALIASUPDATE", args) {
		m.cmdAliasUpdate(c, args)
	}
}

func (m *Module) cmdAliasDelDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.ALIASDEL", args) {
		m.cmdAliasDel(c, args)
	}
}
