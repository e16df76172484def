package module

import (
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestWorkersResizeLogs: each resize logs the module's notice lines, and
// the reductions the proposed fix calls dangerous log a warning with the
// worker counts. This server is standalone: no coordinator runs, so the
// warnings name no connection pool (integration's
// TestClusterWorkersReductionWarnings checks the cluster's wording).
func TestWorkersResizeLogs(t *testing.T) {
	logs := &SyncBuffer{}
	s := server.RunT(t, server.Options{Modules: []server.Module{New()}, LogOutput: logs})
	c := Dial(t, s.Addr())
	logs.Take()
	for _, step := range []struct {
		args []string
		want []string // "<level char> message" fragments, in order
		not  string
	}{
		{[]string{"CONFIG", "SET", "search-workers", "8"}, []string{
			"* <search> Changing workers threadpool size from 0 to 8",
			"* <search> Enabled workers threadpool of size 8"}, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "6"}, []string{
			"* <search> Changing workers threadpool size from 8 to 6",
			"* <search> Scheduling config_reduce_threads_job to remove 2 threads ASAP"}, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "1"}, []string{
			"# <search> Large reduction in WORKERS from 6 to 1. Consider gradual reduction if under heavy load.\n",
			"* <search> Changing workers threadpool size from 6 to 1"}, ""},
		{[]string{"FT.CONFIG", "SET", "WORKERS", "0"}, []string{
			"# <search> Reducing WORKERS from 1 to 0. This may cause temporary slowdown as all queries will run " +
				"on the main thread.\n",
			"* <search> Scheduling config_reduce_threads_job to remove all 1 threads when empty",
			"* <search> Disabled workers threadpool of size 1",
			"* <search> Successfully changed configuration for `WORKERS`"}, ""},
		{[]string{"CONFIG", "SET", "search-conn-per-shard", "4", "search-workers", "7"}, nil, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "0"}, []string{
			"# <search> Reducing WORKERS from 7 to 0. This may cause temporary slowdown as all queries will run " +
				"on the main thread.\n"}, ""},
	} {
		MustDo(t, c, append(step.args, OK)...)
		got := logs.Take()
		at := 0
		for _, w := range step.want {
			i := strings.Index(got[at:], w)
			if i < 0 {
				t.Fatalf("%v: log lacks %q (in order) in:\n%s", step.args, w, got)
			}
			at += i + len(w)
		}
		if step.not != "" && strings.Contains(got, step.not) {
			t.Fatalf("%v: unexpected warning in:\n%s", step.args, got)
		}
	}
}

// TestWorkersDrainTimeout: a drain-yield reduction that cannot complete
// (the pool is paused with a job queued) gives up after
// search-workers-drain-timeout with a warning and goes on asynchronously;
// FT.DEBUG WORKERS DRAIN refuses a paused pool, is bounded the same way,
// and returns once the queue is empty.
func TestWorkersDrainTimeout(t *testing.T) {
	logs := &SyncBuffer{}
	s := server.RunT(t, server.Options{Modules: []server.Module{New()}, LogOutput: logs,
		Config: []string{"search-workers 2", "search-workers-resize-policy drain-yield", "search-workers-drain-timeout 200"}})
	c := Dial(t, s.Addr())
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	MustDo(t, c, "HSET", "doc:1", "t", "hello", Int(1))
	MustDo(t, c, "FT.DEBUG", "WORKERS", "PAUSE", OK)
	q := Dial(t, s.Addr())
	q.Send("FT.SEARCH", "idx", "hello", "NOCONTENT")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if r := c.Do("INFO", "search_multi_threading"); strings.Contains(r.String(), "search_workers_high_priority_pending_jobs:1\r\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the query was not queued")
		}
	}
	MustDo(t, c, "FT.DEBUG", "WORKERS", "DRAIN", Err("Operation failed: workers thread pool is not running"))
	logs.Take()
	start := time.Now()
	MustDo(t, c, "CONFIG", "SET", "search-workers", "0", OK)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("CONFIG SET returned after %v, before the drain timeout", d)
	}
	if got := logs.Take(); !strings.Contains(got, "# <search> Workers reduction from 2 to 0 did not complete within 200 ms "+
		"(2 threads alive, 0 jobs running, 1 queued): going on asynchronously") {
		t.Fatalf("no drain timeout warning in:\n%s", got)
	}
	MustDo(t, c, "FT.DEBUG", "WORKERS", "RESUME", OK)
	q.Expect(Arr(Int(1), Bulk("doc:1")))
	MustDo(t, c, "FT.DEBUG", "WORKERS", "DRAIN", OK)
	// The last idle worker leaves on its own, just after.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(c.Do("INFO", "search_multi_threading").String(),
		"search_workers_alive:0\r\n"); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("workers still alive 5 s after the drain")
		}
	}
	MustDo(t, c, "FT.DEBUG", "WORKERS", "STATS", Arr(Status("totalJobsDone"), Int(1), Status("totalPendingJobs"), Int(0),
		Status("highPriorityPendingJobs"), Int(0), Status("lowPriorityPendingJobs"), Int(0),
		Status("numThreadsAlive"), Int(0), Status("numJobsInProgress"), Int(0)))
}
