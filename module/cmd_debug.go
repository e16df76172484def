package module

import (
	"fmt"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FT.DEBUG <subcommand> ...: WORKERS, SHARD_CONNECTION_STATES and
// VECSIM_INFO are emulated.
func (m *Module) cmdDebug(c *server.Ctx, args [][]byte) {
	if len(args) < 2 {
		wrongArity(c)
		return
	}
	switch strings.ToUpper(string(args[1])) {
	case "WORKERS":
		m.debugWorkers(c, args)
	case "VECSIM_INFO":
		m.debugVecsimInfo(c, args)
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

// FT.DEBUG VECSIM_INFO <index> <field>: a vector field's index as the
// vector library describes it (its algorithm and parameters, its size and
// memory), and for a tiered HNSW index the state of its insert buffer:
// BACKGROUND_INDEXING is 1 while vectors wait for a worker to move them
// into the graph, FRONTEND_INDEX's INDEX_SIZE how many.
func (m *Module) debugVecsimInfo(c *server.Ctx, args [][]byte) {
	if len(args) != 4 {
		wrongArity(c)
		return
	}
	idx := m.lookup(string(args[2]))
	if idx == nil {
		c.W.Error("Can not create a search ctx")
		return
	}
	idx.RLock()
	defer idx.RUnlock()
	f := idx.Spec().Field(string(args[3]))
	if f == nil || f.Type != index.FieldVector {
		c.W.Error("Vector index not found")
		return
	}
	vi := idx.VectorIndex(f.Pos())
	p := vi.Params()
	multi, labels := int64(0), vecsim.LabelCount(vi)
	if p.Multi {
		multi = 1
	}
	common := func(algo string, size int, mem int64) []resp.Value {
		count := size // a tier's labels: its vectors, but for a multi index's whole
		if size == vi.Size() {
			count = labels
		}
		return []resp.Value{
			resp.Status("ALGORITHM"), resp.Status(algo),
			resp.Status("TYPE"), resp.Status(p.Type.String()),
			resp.Status("DIMENSION"), resp.Integer(int64(p.Dim)),
			resp.Status("METRIC"), resp.Status(p.Metric.String()),
			resp.Status("IS_MULTI_VALUE"), resp.Integer(multi),
			resp.Status("INDEX_SIZE"), resp.Integer(int64(size)),
			resp.Status("INDEX_LABEL_COUNT"), resp.Integer(int64(count)),
			resp.Status("MEMORY"), resp.Integer(mem),
		}
	}
	// The algorithm's own parameters follow the common ones.
	algo := func(kv []resp.Value) []resp.Value {
		switch p.Algo {
		case vecsim.HNSW:
			kv = append(kv, resp.Status("M"), resp.Integer(int64(p.M)),
				resp.Status("EF_CONSTRUCTION"), resp.Integer(int64(p.EFConstruction)),
				resp.Status("EF_RUNTIME"), resp.Integer(int64(p.EFRuntime)),
				resp.Status("EPSILON"), resp.DoubleValue(p.Epsilon))
		case vecsim.Flat:
			kv = append(kv, resp.Status("BLOCK_SIZE"), resp.Integer(int64(p.BlockSize)))
		}
		return kv
	}
	pending := vi.Pending()
	if p.Algo == vecsim.Flat || m.workers == nil || m.workers.Configured() == 0 && pending == 0 {
		c.W.Value(resp.MapOf(algo(common(p.Algo.String(), vi.Size(), vi.MemoryBytes()))...))
		return
	}
	backend := algo(common(p.Algo.String(), vi.Size()-pending, vi.MemoryBytes()))
	background := int64(0)
	if pending > 0 {
		background = 1
	}
	kv := common("TIERED", vi.Size(), vi.MemoryBytes())
	kv = append(kv,
		resp.Status("BACKGROUND_INDEXING"), resp.Integer(background),
		resp.Status("TIERED_BUFFER_LIMIT"), resp.Integer(int64(m.cfg.TieredBufferLimit())),
		resp.Status("FRONTEND_INDEX"), resp.MapOf(common("FLAT", pending, 0)...),
		resp.Status("BACKEND_INDEX"), resp.MapOf(backend...))
	c.W.Value(resp.MapOf(kv...))
}
