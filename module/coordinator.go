package module

import (
	"time"

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
}

// PlanSearch parses FT.SEARCH arguments (after the index name and query)
// as FT.SEARCH does, with its errors.
func (m *Module) PlanSearch(query string, rest [][]byte) (*SearchPlan, error) {
	req, err := parseSearchArgs(query, rest, m.cfg, false)
	if err != nil {
		return nil, err
	}
	timeout := m.queryTimeout(req.timeoutMs)
	return &SearchPlan{
		Offset: req.offset, Num: req.num,
		WithScores: req.withScores, WithPayloads: req.withPayloads, WithSortKeys: req.withSortKeys,
		NoContent: req.noContent,
		SortBy:    req.sortOn, SortDesc: req.sortDesc,
		Timeout: timeout, FailOnTime: m.cfg.OnTimeoutFail(),
	}, nil
}

// shardSearch is `_FT.SEARCH`: FT.SEARCH on this shard alone, answering
// what a coordinator merges (see SearchPlan).
func (m *Module) cmdShardSearch(c *server.Ctx, args [][]byte) {
	m.search(c, args, true)
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
