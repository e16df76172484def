package module

import (
	"fmt"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
)

// setWorkers applies a new search-workers value on the main thread, in the
// configured resize policy. ctx is nil at load time.
func (m *Module) setWorkers(ctx *server.Ctx, n int) {
	p := m.workers
	old := p.Configured()
	if old == n {
		return
	}
	log := m.srv.Logger()
	m.srv.SetThreadDemand("search-workers", n)
	m.warnWorkersReduction(old, n)
	log.Info(fmt.Sprintf("%sChanging workers threadpool size from %d to %d", moduleLogPrefix, old, n))
	policy := m.cfg.WorkersResizePolicy()
	if n < old && policy == resizeLegacyBarrier && ctx != nil {
		log.Debug(fmt.Sprintf("%sScheduling from main thread to remove %d threads", moduleLogPrefix, old-n))
		p.legacyShrink(n)
	} else {
		p.resize(n)
		if n == 0 && policy == resizeLegacyRevive {
			p.disableLegacy()
		}
	}
	switch {
	case n == 0:
		log.Info(fmt.Sprintf("%sScheduling config_reduce_threads_job to remove all %d threads when empty", moduleLogPrefix, old))
		log.Info(fmt.Sprintf("%sDisabled workers threadpool of size %d", moduleLogPrefix, old))
	case n < old:
		log.Info(fmt.Sprintf("%sScheduling config_reduce_threads_job to remove %d threads ASAP", moduleLogPrefix, old-n))
	case old == 0:
		log.Info(fmt.Sprintf("%sEnabled workers threadpool of size %d", moduleLogPrefix, n))
	default:
		log.Debug(fmt.Sprintf("%sThread pool size increased to %d successfully", moduleLogPrefix, n))
	}
	if n < old && policy == resizeDrainYield && ctx != nil {
		timeout := m.cfg.WorkersDrainTimeout()
		start := time.Now()
		if !p.waitConverged(start.Add(timeout), func() { ctx.Yield("") }) {
			st := p.stats()
			log.Warn(fmt.Sprintf("%sWorkers reduction from %d to %d did not complete within %d ms "+
				"(%d threads alive, %d jobs running, %d queued): going on asynchronously",
				moduleLogPrefix, old, n, timeout.Milliseconds(), st.alive, st.jobsInProgress, st.highPending+st.lowPending))
		} else {
			log.Info(fmt.Sprintf("%sWorkers reduction from %d to %d completed in %d ms",
				moduleLogPrefix, old, n, time.Since(start).Milliseconds()))
		}
	}
	if m.coord != nil {
		// The coordinator's pools follow once the resize returned, as the
		// module's COORDINATOR_TRIGGER does.
		m.coord.WorkersChanged()
	}
}

// warnWorkersReduction logs, at warning level, the reductions the proposed
// fix for MOD-11658 calls dangerous. Where a coordinator runs (a cluster
// shard), the warning says what the reduction does to its connection pools
// (workers+1 connections per shard unless search-conn-per-shard is set); a
// standalone server has no such pools, and its warning names none.
func (m *Module) warnWorkersReduction(old, n int) {
	if n >= old {
		return
	}
	pools := ""
	if m.coord != nil && m.srv.Topology() != nil {
		pools = fmt.Sprintf(" Connection pool will be reduced from %d to %d.", old+1, n+1)
		if cps := m.cfg.ConnPerShard(); cps > 0 {
			pools = fmt.Sprintf(" Connection pool stays at %d per shard (search-conn-per-shard).", cps)
		}
	}
	switch {
	case n == 0:
		m.srv.Logger().Warn(fmt.Sprintf("%sReducing WORKERS from %d to 0. This may cause temporary slowdown "+
			"as all queries will run on the main thread.%s", moduleLogPrefix, old, pools))
	case old-n > 4:
		m.srv.Logger().Warn(fmt.Sprintf("%sLarge reduction in WORKERS from %d to %d.%s "+
			"Consider gradual reduction if under heavy load.", moduleLogPrefix, old, n, pools))
	}
}
