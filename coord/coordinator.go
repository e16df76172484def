// Package coord is the search module's coordinator: in cluster mode, the
// FT.* commands a shard receives go to every shard (itself included, over
// TCP) as `_FT.*` commands, and the replies are merged. Requests travel
// through IO runtimes, each a goroutine owning a connection pool per shard
// and a request queue (ARCHITECTURE.md, "Threading model"). It never takes
// the main-thread lock.
//
// It may import server, resp and module (for the reply types it merges).
package coord

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
	"go.uber.org/atomic"
)

// Coordinator implements module.Coordinator.
type Coordinator struct {
	mod *module.Module
	srv *server.Server

	mu       sync.Mutex // guards runtimes (started lazily) and stopped
	runtimes []*ioRuntime
	stopped  bool
	next     atomic.Uint64
	async    sync.WaitGroup // replies written off the IO runtimes (fanoutAsync)
}

// Attach creates the coordinator of a search module; in cluster mode it
// starts with the first distributed command.
func Attach(m *module.Module) *Coordinator {
	c := &Coordinator{mod: m}
	m.SetCoordinator(c)
	return c
}

// adminTimeout bounds a fan-out of an index command (FT.CREATE ...).
const adminTimeout = 5 * time.Second

// maxFanoutWait bounds a query whose TIMEOUT is 0 (none): every fan-out
// has a deadline.
const maxFanoutWait = time.Minute

// blockGrace is how long past its deadline a fan-out may take to merge and
// reply before its client gets the timeout reply instead.
const blockGrace = time.Second

// connsPerNode is the module's pool size per IO runtime:
// ceil((search-conn-per-shard or workers+1) / io-threads).
func (c *Coordinator) connsPerNode() int {
	cfg := c.mod.Config()
	n := cfg.ConnPerShard()
	if n == 0 {
		n = cfg.Workers() + 1
	}
	io := max(cfg.IOThreads(), 1)
	return (n + io - 1) / io
}

// start starts the IO runtimes once the topology is known.
func (c *Coordinator) start(srv *server.Server) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return false
	}
	if c.runtimes != nil {
		return true
	}
	c.srv = srv
	var nodes []string
	for _, n := range srv.Topology().Nodes {
		nodes = append(nodes, n.Addr())
	}
	cfg := c.mod.Config()
	per := c.connsPerNode()
	for i := 0; i < max(cfg.IOThreads(), 1); i++ {
		c.runtimes = append(c.runtimes, newRuntime(i, srv.Logger(), nodes, per, cfg.ConnShrinkGraceful, cfg.ConnDrainTimeout))
	}
	return true
}

// runtime picks an IO runtime round-robin, as the module does per request.
func (c *Coordinator) runtime() *ioRuntime {
	return c.runtimes[int(c.next.Inc()-1)%len(c.runtimes)]
}

// Dispatch implements module.Coordinator.
func (c *Coordinator) Dispatch(ctx *server.Ctx, name string, args [][]byte) bool {
	switch name {
	case "FT.SEARCH":
		if len(args) < 3 {
			return false // the local command answers the arity error
		}
		plan, err := c.mod.PlanSearch(string(args[1]), string(args[2]), args[3:])
		if err != nil {
			ctx.W.Error(err.Error())
			return true
		}
		deadline := time.Now().Add(maxFanoutWait)
		if plan.Timeout > 0 {
			deadline = time.Now().Add(plan.Timeout)
		}
		shardArgs := plan.ShardArgs(args, len(ctx.Server().Topology().Nodes))
		c.fanout(ctx, "_FT.SEARCH", shardArgs, deadline, func(w *resp.Writer) { module.WriteTimedOut(w, plan.FailOnTime) },
			func(w *resp.Writer, replies []shardReply, timedOut bool) { writeSearch(w, plan, replies, timedOut) })
		return true
	case "FT.AGGREGATE":
		if len(args) < 3 {
			return false // the local command answers the arity error
		}
		c.aggregate(ctx, args)
		return true
	case "FT.PROFILE":
		c.profile(ctx, args)
		return true
	case "FT.CREATE", "FT.DROPINDEX", "FT.ALTER", "FT.CONFIG", "FT.ALIASADD", "FT.ALIASUPDATE", "FT.ALIASDEL",
		"FT.SYNUPDATE":
		c.fanout(ctx, "_"+name, args, time.Now().Add(adminTimeout), func(w *resp.Writer) { w.Error(timeoutErr) },
			writeAll)
		return true
	case "FT.TAGVALS":
		c.fanout(ctx, "_FT.TAGVALS", args, time.Now().Add(adminTimeout), func(w *resp.Writer) { w.Error(timeoutErr) },
			writeTagVals)
		return true
	case "FT.INFO":
		c.info(ctx, args)
		return true
	case "FT.DICTADD", "FT.DICTDEL":
		c.fanout(ctx, "_"+name, args, time.Now().Add(adminTimeout), func(w *resp.Writer) { w.Error(timeoutErr) },
			writeAll)
		return true
	case "FT.SPELLCHECK":
		c.fanout(ctx, "_FT.SPELLCHECK", module.SpellCheckShardArgs(args), time.Now().Add(adminTimeout),
			func(w *resp.Writer) { w.Error(timeoutErr) },
			func(w *resp.Writer, replies []shardReply, timedOut bool) {
				if shardError(w, replies) {
					return
				}
				vals := make([]redcon.RESP, len(replies))
				for i, r := range replies {
					vals[i] = r.val
				}
				module.WriteSpellCheckMerged(w, vals)
			})
		return true
	}
	return false
}

// writeTagVals merges the shards' tag values: their union, sorted as the
// module sorts them.
func writeTagVals(w *resp.Writer, replies []shardReply, timedOut bool) {
	if shardError(w, replies) {
		return
	}
	seen := map[string]bool{}
	var vals []string
	for _, r := range replies {
		r.val.ForEach(func(v redcon.RESP) bool {
			if s := v.String(); !seen[s] {
				seen[s] = true
				vals = append(vals, s)
			}
			return true
		})
	}
	sort.Strings(vals)
	if w.Resp3() {
		w.Set(len(vals))
		for _, v := range vals {
			w.BulkString(v)
		}
		return
	}
	w.StringArray(vals)
}

// shardError writes the first error a shard gave or could not give.
func shardError(w *resp.Writer, replies []shardReply) bool {
	for _, r := range replies {
		switch {
		case r.err != "":
			w.Error(r.err)
		case r.val.Type == 0:
			w.Error(timeoutErr)
		case r.val.Type == redcon.Error:
			w.Error(r.val.String())
		default:
			continue
		}
		return true
	}
	return false
}

const timeoutErr = "Timeout limit was reached"

// fanout blocks the client and sends cmd with the user's arguments to
// every shard; write builds the reply from theirs.
func (c *Coordinator) fanout(ctx *server.Ctx, cmd string, args [][]byte, deadline time.Time,
	onTimeout func(w *resp.Writer), write func(w *resp.Writer, replies []shardReply, timedOut bool)) {
	c.send(ctx, cmd, args, deadline, onTimeout, write, false)
}

// fanoutAsync is fanout whose reply is written on a goroutine of its own
// (write may take the main-thread lock).
func (c *Coordinator) fanoutAsync(ctx *server.Ctx, cmd string, args [][]byte, deadline time.Time,
	onTimeout func(w *resp.Writer), write func(w *resp.Writer, replies []shardReply, timedOut bool)) {
	c.send(ctx, cmd, args, deadline, onTimeout, write, true)
}

func (c *Coordinator) send(ctx *server.Ctx, cmd string, args [][]byte, deadline time.Time,
	onTimeout func(w *resp.Writer), write func(w *resp.Writer, replies []shardReply, timedOut bool), async bool) {
	if !ctx.CanBlock() {
		ctx.W.Error("ERR " + strings.ToUpper(string(args[0])) + " cannot run inside MULTI in cluster mode")
		return
	}
	if !c.start(ctx.Server()) {
		ctx.W.Error("ERR the coordinator is shutting down")
		return
	}
	shardArgs := make([][]byte, len(args))
	shardArgs[0] = []byte(cmd)
	for i, a := range args[1:] {
		shardArgs[i+1] = append([]byte(nil), a...)
	}
	bc := ctx.BlockClient(time.Until(deadline)+blockGrace, onTimeout)
	var nodes []string
	for _, n := range ctx.Server().Topology().Nodes {
		nodes = append(nodes, n.Addr())
	}
	r := newRequest(shardArgs, nodes, deadline, func(replies []shardReply, timedOut bool) {
		if async {
			c.async.Add(1)
			go func() {
				defer c.async.Done()
				bc.Reply(func(w *resp.Writer) { write(w, replies, timedOut) })
			}()
			return
		}
		bc.Reply(func(w *resp.Writer) { write(w, replies, timedOut) })
	})
	if !c.runtime().submit(r) {
		bc.Reply(func(w *resp.Writer) { w.Error("ERR the coordinator is shutting down") })
	}
}

// writeAll replies for an index command as the module's allOKReducer: the
// first error any shard gave (or could not give), else the shards' common
// reply; integers that differ are "not all results are the same".
func writeAll(w *resp.Writer, replies []shardReply, timedOut bool) {
	for _, r := range replies {
		if r.err != "" {
			w.Error(r.err)
			return
		}
		if r.val.Type == 0 {
			w.Error(timeoutErr)
			return
		}
		if r.val.Type == '-' {
			w.Error(r.val.String())
			return
		}
	}
	for _, r := range replies[1:] {
		if r.val.Type == redcon.Integer && replies[0].val.Type == redcon.Integer && r.val.Int() != replies[0].val.Int() {
			w.SimpleString("not all results are the same")
			return
		}
	}
	w.Raw(replies[0].val.Raw)
}

// WorkersChanged implements module.Coordinator: every runtime resizes its
// pools, as an admin task that needs no queue slot.
func (c *Coordinator) WorkersChanged() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runtimes == nil {
		return
	}
	n := c.connsPerNode()
	for _, rt := range c.runtimes {
		rt := rt
		rt.do(func() { rt.resize(n) })
	}
}

// ShardConnectionStates implements module.Coordinator: host:port, then the
// states of its connections over every runtime.
func (c *Coordinator) ShardConnectionStates(ctx *server.Ctx) {
	if !c.start(ctx.Server()) {
		ctx.W.Error("ERR the coordinator is shutting down")
		return
	}
	if !ctx.CanBlock() {
		ctx.W.Error("ERR FT.DEBUG SHARD_CONNECTION_STATES cannot run inside MULTI")
		return
	}
	bc := ctx.BlockClient(adminTimeout, func(w *resp.Writer) { w.Error(timeoutErr) })
	var mu sync.Mutex
	all := map[string][]string{}
	left := len(c.runtimes)
	nodes := ctx.Server().Topology().Nodes
	for _, rt := range c.runtimes {
		rt := rt
		rt.do(func() {
			st := rt.states()
			mu.Lock()
			for k, v := range st {
				all[k] = append(all[k], v...)
			}
			left--
			last := left == 0
			mu.Unlock()
			if last {
				bc.Reply(func(w *resp.Writer) {
					w.Array(2 * len(nodes))
					for _, n := range nodes {
						w.BulkString(n.Addr())
						states := all[n.Addr()]
						w.Array(len(states))
						for _, s := range states {
							w.BulkString(s)
						}
					}
				})
			}
		})
	}
}

// ClusterInfo implements module.Coordinator (SEARCH.CLUSTERINFO).
func (c *Coordinator) ClusterInfo(ctx *server.Ctx) {
	srv := ctx.Server()
	topo, self := srv.Topology(), srv.Self()
	w := ctx.W
	w.Array(10)
	w.BulkString("num_partitions")
	w.Int(int64(len(topo.Nodes)))
	w.BulkString("cluster_type")
	w.BulkString("redis_oss")
	w.BulkString("hash_func")
	w.BulkString("CRC16")
	w.BulkString("num_slots")
	w.Int(server.NumSlots)
	w.BulkString("slots")
	type rng struct {
		r [2]int
		n *server.ClusterNode
	}
	var all []rng
	for _, n := range topo.Nodes {
		for _, r := range n.Slots {
			all = append(all, rng{r, n})
		}
	}
	w.Array(len(all))
	for _, e := range all {
		w.Array(3)
		w.Int(int64(e.r[0]))
		w.Int(int64(e.r[1]))
		w.Array(8)
		w.BulkString("id")
		w.BulkString(e.n.ID)
		w.BulkString("host")
		w.BulkString(e.n.Host)
		w.BulkString("port")
		w.Int(int64(e.n.Port))
		w.BulkString("role")
		if e.n == self {
			w.BulkString("master self")
		} else {
			w.BulkString("master")
		}
	}
}

// Stop implements module.Coordinator.
func (c *Coordinator) Stop() {
	c.mu.Lock()
	rts := c.runtimes
	c.stopped = true
	c.mu.Unlock()
	for _, rt := range rts {
		rt.Stop()
	}
	c.async.Wait()
}

// InfoFields implements module.Coordinator: the coordinator's fields of
// the search_multi_threading INFO section, summed over the IO runtimes.
func (c *Coordinator) InfoFields(w *server.InfoWriter) {
	c.mu.Lock()
	rts := c.runtimes
	c.mu.Unlock()
	var pending, maxPending, queued, draining, timedOut, awaited int64
	for _, rt := range rts {
		pending += rt.stats.pending.Load()
		awaited += rt.stats.shardReplies.Load()
		maxPending += rt.stats.maxPending.Load()
		queued += rt.stats.queued.Load()
		draining += rt.stats.draining.Load()
		timedOut += rt.stats.drainsTimedOut.Load()
	}
	w.Field("coord_pending_requests", pending)
	w.Field("coord_queued_requests", queued)
	w.Field("coord_max_pending", maxPending)
	w.Field("coord_draining_conns", draining)
	w.Field("coord_drains_timed_out", timedOut)
	w.Field("coord_shard_replies_pending", awaited)
}

var _ module.Coordinator = (*Coordinator)(nil)

// aggregate runs FT.AGGREGATE across the cluster: every shard runs its part
// (`_FT.AGGREGATE`), and the merge runs on a goroutine of its own, off the
// IO runtime and the main thread.
func (c *Coordinator) aggregate(ctx *server.Ctx, args [][]byte) {
	plan, err := c.mod.PlanAggregate(args)
	if err != nil {
		ctx.W.Error(err.Error())
		return
	}
	deadline := time.Now().Add(maxFanoutWait)
	if plan.Timeout > 0 {
		deadline = time.Now().Add(time.Duration(plan.Timeout) * time.Millisecond)
	}
	shardArgs := plan.ShardArgs(args, len(ctx.Server().Topology().Nodes))
	c.fanoutAsync(ctx, "_FT.AGGREGATE", shardArgs, deadline, func(w *resp.Writer) { module.WriteTimedOut(w, plan.Fail) },
		func(w *resp.Writer, replies []shardReply, timedOut bool) {
			vals, warnings, errMsg := aggregateReplies(plan, replies, timedOut)
			if errMsg != "" {
				w.Error(errMsg)
				return
			}
			plan.WriteMerged(w, vals, warnings)
		})
}

// aggregateReplies are the shards' answered `_FT.AGGREGATE` replies and the
// warnings to merge them with; errMsg is the error to reply instead.
func aggregateReplies(plan *module.AggregatePlan, replies []shardReply, timedOut bool) (vals []redcon.RESP, warnings []string, errMsg string) {
	if timedOut && plan.Fail {
		return nil, nil, timeoutErr
	}
	for _, r := range replies {
		switch {
		case r.err != "" && !timedOut:
			return nil, nil, r.err
		case r.val.Type == redcon.Error:
			return nil, nil, r.val.String()
		case r.answered():
			vals = append(vals, r.val)
		}
	}
	if timedOut {
		warnings = append(warnings, timeoutErr)
	}
	return vals, warnings, ""
}
