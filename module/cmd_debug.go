package module

import (
	"fmt"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
)

// FT.DEBUG <subcommand> ...: only WORKERS is emulated.
func (m *Module) cmdDebug(c *server.Ctx, args [][]byte) {
	if len(args) < 2 {
		wrongArity(c)
		return
	}
	switch strings.ToUpper(string(args[1])) {
	case "WORKERS":
		m.debugWorkers(c, args)
	case "SHARD_CONNECTION_STATES":
		if m.coord == nil || c.Server().Topology() == nil {
			c.W.Error("ERR Cluster mode is not enabled")
			return
		}
		m.coord.ShardConnectionStates(c)
	default:
		c.W.Error("subcommand was not found")
	}
}

// FT.DEBUG WORKERS PAUSE|RESUME|DRAIN|STATS|N_THREADS, with the module's
// replies and errors. DRAIN yields while it waits and, unlike the module's,
// gives up after search-workers-drain-timeout.
func (m *Module) debugWorkers(c *server.Ctx, args [][]byte) {
	if len(args) != 3 {
		wrongArity(c)
		return
	}
	p := m.workers
	switch strings.ToUpper(string(args[2])) {
	case "PAUSE":
		if !p.pause() {
			c.W.Error("Operation failed: workers thread pool doesn't exists or is not running")
			return
		}
	case "RESUME":
		if !p.resume() {
			c.W.Error("Operation failed: workers thread pool doesn't exists or is already running")
			return
		}
	case "DRAIN":
		if p.isPaused() {
			c.W.Error("Operation failed: workers thread pool is not running")
			return
		}
		log := m.srv.Logger()
		log.Info(moduleLogPrefix + "Debug workers drain")
		log.Info(moduleLogPrefix + "Draining workers thread pool with threshold 0")
		timeout := m.cfg.WorkersDrainTimeout()
		yield := func() {
			if !c.InMulti() {
				c.Yield("")
			}
		}
		if !p.waitIdle(time.Now().Add(timeout), yield) {
			st := p.stats()
			c.W.Error(fmt.Sprintf("ERR workers drain timed out after %d ms (%d jobs queued, %d running)",
				timeout.Milliseconds(), st.highPending+st.lowPending, st.jobsInProgress))
			return
		}
	case "STATS":
		st := p.stats()
		c.W.Array(12)
		for _, kv := range []struct {
			name string
			v    int64
		}{
			{"totalJobsDone", int64(st.totalJobsDone)},
			{"totalPendingJobs", int64(st.highPending + st.lowPending)},
			{"highPriorityPendingJobs", int64(st.highPending)},
			{"lowPriorityPendingJobs", int64(st.lowPending)},
			{"numThreadsAlive", int64(st.alive)},
			{"numJobsInProgress", int64(st.jobsInProgress)},
		} {
			c.W.SimpleString(kv.name)
			c.W.Int(kv.v)
		}
		return
	case "N_THREADS":
		c.W.Int(int64(p.Configured()))
		return
	default:
		c.W.Error("Invalid argument for 'WORKERS' subcommand")
		return
	}
	c.W.OK()
}

// registerWorkersInfo adds the search_multi_threading INFO section: the
// module's fields, then ours.
func (m *Module) registerWorkersInfo(ctx *server.ModuleContext) {
	ctx.RegisterInfoSection("multi_threading", func(w *server.InfoWriter) {
		st := m.workers.stats()
		w.Field("uv_threads_running_queries", 0)
		w.Field("uv_threads_running_topology_update", 0)
		w.Field("active_worker_threads", st.jobsInProgress)
		w.Field("active_coord_threads", 0)
		w.Field("workers_low_priority_pending_jobs", st.lowPending)
		w.Field("workers_high_priority_pending_jobs", st.highPending)
		w.Field("workers_admin_priority_pending_jobs", st.adminPending)
		w.Field("coord_high_priority_pending_jobs", 0)
		w.Field("workers_alive", st.alive)
		w.Field("workers_configured", st.configured)
		if m.coord != nil {
			m.coord.InfoFields(w)
		}
	})
}
