package module

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// blockGrace is how long past its TIMEOUT a query handed to a worker may
// take to load and send its results before its client gets the timeout
// reply instead.
const blockGrace = time.Second

// submitSearch hands a query to the worker pool and blocks the client; it
// reports false when the pool has no workers (the query then runs inline).
func (m *Module) submitSearch(c *server.Ctx, idx *Index, req *searchRequest) bool {
	if !m.offloading() {
		return false
	}
	start := time.Now()
	fail := m.cfg.OnTimeoutFail()
	bc := c.BlockClient(m.blockFor(req.timeoutMs), func(w *resp.Writer) { WriteTimedOut(w, fail) })
	if !m.runJob(func() { m.searchJob(bc, idx, req, start) }) {
		bc.Reply(func(w *resp.Writer) { w.Error("ERR the search workers are shutting down") })
	}
	return true
}

// offloading tells whether queries leave the main thread: the pool has
// workers, or search-_debug-query-delay is set.
func (m *Module) offloading() bool {
	return m.workers.Configured() > 0 || m.cfg.DebugQueryDelay() > 0
}

// queryTimeout is a query's TIMEOUT: timeoutMs, or the configured one when
// it is -1 (not given); 0 means none.
func (m *Module) queryTimeout(timeoutMs int64) time.Duration {
	if timeoutMs >= 0 {
		return time.Duration(timeoutMs) * time.Millisecond
	}
	return m.cfg.Timeout()
}

// blockFor is how long a client waits for a query whose TIMEOUT is
// timeoutMs (-1: the configured one): the timeout and blockGrace, or the
// longest block the server allows (0) without a timeout.
func (m *Module) blockFor(timeoutMs int64) time.Duration {
	timeout := m.queryTimeout(timeoutMs)
	if timeout <= 0 {
		return 0
	}
	return timeout + blockGrace
}

// runJob runs a query's job on the worker pool, or, with
// search-_debug-query-delay, once the delay has passed on a goroutine of
// its own, so that any number of slow queries can be in flight without
// holding workers. It reports false when the pool is shutting down.
func (m *Module) runJob(job func()) bool {
	if delay := m.cfg.DebugQueryDelay(); delay > 0 {
		m.delayed.Add(1)
		time.AfterFunc(delay, func() {
			defer m.delayed.Done()
			job()
		})
		return true
	}
	return m.workers.Submit(priorityHigh, job)
}

// recoverJob is deferred by a job that answers a blocked client: a panic
// is logged and answered as an internal error, after cleanup (if any).
func (m *Module) recoverJob(bc *server.BlockedClient, what string, cleanup func()) {
	r := recover()
	if r == nil {
		return
	}
	m.srv.Logger().Warn(fmt.Sprintf("%sPanic in %s: %v\n%s", moduleLogPrefix, what, r, debug.Stack()))
	if cleanup != nil {
		cleanup()
	}
	bc.Reply(func(w *resp.Writer) { w.Error(fmt.Sprintf("ERR internal error: %v", r)) })
}

// abandoned tells whether a queued job's client stopped waiting.
func abandoned(bc *server.BlockedClient) bool {
	select {
	case <-bc.Abandoned():
		return true
	default:
		return false
	}
}

// workerYield lets other goroutines run every few hundred results of a
// query on a worker: the workers outnumber the CPUs and the runtime
// preempts a running goroutine only after 10 ms, so the goroutine of a
// client's PING would otherwise wait in the run queue behind them.
func workerYield() bool {
	runtime.Gosched()
	return true
}

// searchOnWorker reads a query on a worker, under the index's read lock
// only. A SORTBY field that is not SORTABLE is read from the keyspace, which
// takes the main-thread lock: the matches are collected first, the index
// let go, then the values loaded a batch at a time under the main-thread
// lock (the module's safe loader, before its sorter), and the matches
// ranked.
func (m *Module) searchOnWorker(idx *Index, req *searchRequest, start time.Time) (*index.SearchResult, error) {
	idx.RLock()
	if !sortsByLoadedField(idx, req) {
		defer idx.RUnlock()
		return m.runSearch(idx, req, start, workerYield)
	}
	q, o, err := m.prepareSearch(idx, req, start, workerYield)
	var col *index.Collected
	if err == nil {
		col, err = q.Collect(o)
	}
	idx.RUnlock()
	if err != nil {
		return nil, err
	}
	gil := m.srv.GIL()
	return col.Rank(func(docs []*index.Doc, values []index.SortValue) {
		gil.Lock()
		defer gil.Unlock()
		for i, d := range docs {
			if v, ok := m.hashValue(idx, d.Key(), o.SortBy.Path); ok {
				values[i] = o.SortBy.SortValue(v)
			}
		}
	}), nil
}

// searchJob runs a query on a worker: it iterates and scores under the
// index's read lock only, lets the index go, then takes the main-thread
// lock to load the documents it returns (as the module's safe loader does)
// and replies. Documents deleted or replaced in between are left out.
func (m *Module) searchJob(bc *server.BlockedClient, idx *Index, req *searchRequest, start time.Time) {
	defer m.recoverJob(bc, "a search job", nil)
	if abandoned(bc) {
		return // its client gave up while it was queued
	}
	res, err := m.searchOnWorker(idx, req, start)
	if err != nil {
		bc.Reply(func(w *resp.Writer) { w.Error(err.Error()) })
		return
	}
	if res.TimedOut && m.cfg.OnTimeoutFail() {
		bc.Reply(func(w *resp.Writer) { w.Error(index.WarnTimeout) })
		return
	}
	gil := m.srv.GIL()
	gil.Lock()
	defer gil.Unlock()
	idx.RLock()
	defer idx.RUnlock()
	kept := res.Hits[:0]
	for _, hv := range res.Hits {
		if idx.Doc(hv.Doc.ID()) == hv.Doc {
			kept = append(kept, hv)
		}
	}
	res.Hits = kept
	bc.Reply(func(w *resp.Writer) { m.writeSearchReply(w, idx, req, res) })
}
