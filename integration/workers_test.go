package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// The MOD-11658 scenarios: search-workers changes under query load. Each
// asserts ARCHITECTURE.md's invariants; the legacy-barrier one proves the
// load is heavy enough to catch the freeze the real shard had.

const (
	incidentDocs    = 1000 // the upstream regression test's corpus
	incidentClients = 20
	incidentLimit   = 10 // documents loaded per query
)

// startShard starts an in-process shard with the search module, its
// workload corpus loaded.
func startShard(t *testing.T, config ...string) (*server.Server, *redis.Client) {
	t.Helper()
	srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}, Config: config})
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, PoolSize: 4, ReadTimeout: livenessBound})
	t.Cleanup(func() { rdb.Close() })
	if err := workload.Setup(context.Background(), rdb, incidentDocs); err != nil {
		t.Fatal(err)
	}
	return srv, rdb
}

func startLoad(t *testing.T, addr string) *workload.Load {
	t.Helper()
	l := &workload.Load{Addr: addr, Clients: incidentClients, Limit: incidentLimit}
	l.Start()
	return l
}

// stopLoad stops the clients and checks that every query got exactly one
// reply, and a result.
func stopLoad(t *testing.T, l *workload.Load) workload.Counts {
	t.Helper()
	c := l.Stop()
	if c.Failures != 0 || c.Sent != c.Replied {
		t.Errorf("queries: sent %d, answered %d, %d without a reply", c.Sent, c.Replied, c.Failures)
	}
	if c.Errors != 0 {
		t.Errorf("%d queries answered with an error, first: %s", c.Errors, l.FirstError())
	}
	if n := l.Desynced(); n != 0 {
		t.Errorf("%d clients out of step (a query got a reply not its own)", n)
	}
	return c
}

func waitOK(t *testing.T, l *workload.Load, n int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for l.Counts().OK < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d queries succeeded in 30 s: %+v, first error %q", l.Counts().OK, l.Counts(), l.FirstError())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// workerStats reads FT.DEBUG WORKERS STATS.
func workerStats(t *testing.T, rdb *redis.Client) map[string]int64 {
	t.Helper()
	v, err := rdb.Do(context.Background(), "FT.DEBUG", "WORKERS", "STATS").Slice()
	if err != nil {
		t.Fatalf("FT.DEBUG WORKERS STATS: %v", err)
	}
	out := map[string]int64{}
	for i := 0; i+1 < len(v); i += 2 {
		out[v[i].(string)] = v[i+1].(int64)
	}
	return out
}

func nThreads(t *testing.T, rdb *redis.Client) int64 {
	t.Helper()
	n, err := rdb.Do(context.Background(), "FT.DEBUG", "WORKERS", "N_THREADS").Int64()
	if err != nil {
		t.Fatalf("FT.DEBUG WORKERS N_THREADS: %v", err)
	}
	return n
}

// waitAlive polls until numThreadsAlive is n, within 10 s.
func waitAlive(t *testing.T, rdb *redis.Client, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := workerStats(t, rdb)
		if st["numThreadsAlive"] == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("numThreadsAlive did not reach %d within 10 s: %v", n, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// setWorkers runs CONFIG SET search-workers n and reports how long it took.
func setWorkers(t *testing.T, rdb *redis.Client, n int) time.Duration {
	t.Helper()
	start := time.Now()
	if err := rdb.ConfigSet(context.Background(), "search-workers", strconv.Itoa(n)).Err(); err != nil {
		t.Fatalf("CONFIG SET search-workers %d: %v", n, err)
	}
	return time.Since(start)
}

// checkShardWorks checks PING, a search and a write.
func checkShardWorks(t *testing.T, rdb *redis.Client) {
	t.Helper()
	ctx := context.Background()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING: %v", err)
	}
	n, err := rdb.Do(ctx, "FT.SEARCH", workload.Index, "@tag:{red}", "LIMIT", "0", "0").Slice()
	if err != nil || len(n) != 1 || n[0].(int64) != incidentDocs/8 {
		t.Fatalf("FT.SEARCH @tag:{red} LIMIT 0 0: %v %v, want [%d]", n, err, incidentDocs/8)
	}
	if err := rdb.HSet(ctx, "other:1", "f", "v").Err(); err != nil {
		t.Fatalf("HSET: %v", err)
	}
}

// livenessBound is how long a shard that is not frozen may leave a PING
// (or a CONFIG SET, or a coordinator's TIMEOUT reply) unanswered. The
// freeze the incident tests look for is a circular wait: it never ends, so
// any bound catches it, and the legacy-policy tests below detect it with
// this same bound. How fast PING is answered is a figure for benchmarks
// (make bench-workers), not an assertion: a longest gap of 10-45 ms on an
// idle machine (with or without -race) reached 1.05 s with -race while
// stress-ng --cpu 2 loaded both cores; 10 s is 10x that.
const livenessBound = 10 * time.Second

func startProber(t *testing.T, addr string) *workload.Prober {
	p := &workload.Prober{Addr: addr, Timeout: livenessBound}
	p.Start()
	t.Cleanup(func() { p.Stop() })
	return p
}

// checkLiveness stops a prober: PING was answered all along, never left
// unanswered for livenessBound. The latency figures are logged.
func checkLiveness(t *testing.T, p *workload.Prober) workload.PingStats {
	t.Helper()
	st := p.Stop()
	if st.Hung || st.Err != nil {
		t.Errorf("PING: hung %v, error %v", st.Hung, st.Err)
	}
	if st.MaxGap >= livenessBound {
		t.Errorf("longest time without a PING reply: %v, the shard froze", st.MaxGap)
	}
	t.Logf("PING: %d replies, p50 %v, p99 %v, max %v, longest gap %v", st.Count, st.P50, st.P99, st.Max, st.MaxGap)
	return st
}

// frozen tells whether a prober saw a freeze: a PING unanswered for
// livenessBound.
func frozen(p *workload.Prober) bool {
	st := p.Stats()
	return st.Hung || st.MaxGap >= livenessBound
}

// TestWorkersToZeroUnderLoad is upstream's
// test_mod_11658_avoid_deadlock_while_reducing_num_workers.
func TestWorkersToZeroUnderLoad(t *testing.T) {
	srv, rdb := startShard(t, "search-workers 8")
	workersToZero(t, srv.Addr(), rdb, startLoad(t, srv.Addr()))
}

// TestWorkersToZeroUnderAggregateLoad is the same with FT.AGGREGATE
// pipelines (GROUPBY, LOAD/APPLY/FILTER/SORTBY) as the load: their jobs
// load documents under the main-thread lock in batches.
func TestWorkersToZeroUnderAggregateLoad(t *testing.T) {
	srv, rdb := startShard(t, "search-workers 8")
	l := &workload.Load{Addr: srv.Addr(), Clients: incidentClients, Limit: incidentLimit, Aggregate: true}
	l.Start()
	workersToZero(t, srv.Addr(), rdb, l)
}

func workersToZero(t *testing.T, addr string, rdb *redis.Client, load *workload.Load) {
	t.Helper()
	prober := startProber(t, addr)
	waitOK(t, load, 100)
	if st := workerStats(t, rdb); st["numThreadsAlive"] != 8 || nThreads(t, rdb) != 8 {
		t.Fatalf("before: %v, n_threads %d; want 8 alive", st, nThreads(t, rdb))
	}

	took := setWorkers(t, rdb, 0)
	if v := rdb.ConfigGet(context.Background(), "search-workers").Val()["search-workers"]; v != "0" {
		t.Fatalf("CONFIG GET search-workers: %q, want 0", v)
	}
	if n := nThreads(t, rdb); n != 0 {
		t.Fatalf("N_THREADS right after the change: %d, want 0", n)
	}
	okAtChange := load.Counts().OK
	deadline := time.Now().Add(10 * time.Second)
	for load.Counts().OK <= okAtChange+100 {
		if time.Now().After(deadline) {
			t.Fatalf("queries stopped succeeding after the change: %d then %d", okAtChange, load.Counts().OK)
		}
		time.Sleep(5 * time.Millisecond)
	}
	waitAlive(t, rdb, 0)
	checkShardWorks(t, rdb)
	c := stopLoad(t, load)
	checkLiveness(t, prober)
	t.Logf("CONFIG SET search-workers 0 took %v; queries: %+v", took, c)
}

// TestWorkersQueuedJobsRunAtShrink: 100 queries queued on a paused pool of
// 2 meet a change to 0; every one is run (totalJobsDone) and answered.
// search-timeout is a minute: a query waits for RESUME, however slow the
// machine, not for its timeout (500 ms by default, after which its client
// would get the timeout reply instead of the results).
func TestWorkersQueuedJobsRunAtShrink(t *testing.T) {
	srv, rdb := startShard(t, "search-workers 2", "search-timeout 60000")
	ctx := context.Background()
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "PAUSE").Err(); err != nil {
		t.Fatal(err)
	}
	const queries = 100
	var wg sync.WaitGroup
	errs := make(chan error, queries)
	for i := 0; i < queries; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, PoolSize: 1, ReadTimeout: 2 * time.Minute})
			defer c.Close()
			v, err := c.Do(ctx, "FT.SEARCH", workload.Index, "@tag:{blue}", "LIMIT", "0", "1").Slice()
			if err == nil && (len(v) != 3 || v[0].(int64) != incidentDocs/8) {
				err = fmt.Errorf("reply %v", v)
			}
			errs <- err
		}(i)
	}
	for deadline := time.Now().Add(livenessBound); workerStats(t, rdb)["highPriorityPendingJobs"] != queries; {
		if time.Now().After(deadline) {
			t.Fatalf("queries not queued: %v", workerStats(t, rdb))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if st := workerStats(t, rdb); st["totalJobsDone"] != 0 || st["numThreadsAlive"] != 2 {
		t.Fatalf("paused pool: %v", st)
	}
	setWorkers(t, rdb, 0)
	info := rdb.Info(ctx, "search_multi_threading").Val()
	for _, field := range []string{"search_workers_high_priority_pending_jobs:100\r\n", "search_workers_alive:2\r\n",
		"search_workers_configured:0\r\n", "search_active_worker_threads:0\r\n"} {
		if !strings.Contains(info, field) {
			t.Fatalf("INFO search_multi_threading lacks %q:\n%s", field, info)
		}
	}
	// New queries run inline meanwhile.
	checkShardWorks(t, rdb)
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME").Err(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("queued query: %v", err)
		}
	}
	waitAlive(t, rdb, 0)
	st := workerStats(t, rdb)
	if st["totalJobsDone"] != queries || st["totalPendingJobs"] != 0 || nThreads(t, rdb) != 0 {
		t.Fatalf("after the drain: %v, n_threads %d; want %d jobs done", st, nThreads(t, rdb), queries)
	}
}

// TestWorkersGrowLazily: enlarging the pool starts no worker until a job
// needs one; the next query starts them all.
func TestWorkersGrowLazily(t *testing.T) {
	_, rdb := startShard(t)
	setWorkers(t, rdb, 8)
	if st := workerStats(t, rdb); st["numThreadsAlive"] != 0 || nThreads(t, rdb) != 8 {
		t.Fatalf("after CONFIG SET 8: %v, n_threads %d; want none alive, 8 configured", st, nThreads(t, rdb))
	}
	checkShardWorks(t, rdb)
	if st := workerStats(t, rdb); st["numThreadsAlive"] != 8 || st["totalJobsDone"] != 1 {
		t.Fatalf("after a query: %v; want 8 alive, 1 job done", st)
	}
}

// TestWorkersReductionSequence is upstream's
// test_workers_reduction_sequence, under load.
func TestWorkersReductionSequence(t *testing.T) {
	srv, rdb := startShard(t, "search-workers 8")
	load := startLoad(t, srv.Addr())
	prober := startProber(t, srv.Addr())
	waitOK(t, load, 100)
	for _, n := range []int{4, 2, 1, 0} {
		setWorkers(t, rdb, n)
		if got := nThreads(t, rdb); got != int64(n) {
			t.Fatalf("N_THREADS after CONFIG SET %d: %d", n, got)
		}
		waitAlive(t, rdb, int64(n))
		checkShardWorks(t, rdb)
		waitOK(t, load, load.Counts().OK+20)
	}
	stopLoad(t, load)
	checkLiveness(t, prober)
}

// TestWorkersFlapping: 8 → 0 → 8 fifty times under load. The revive path
// that still freezes the real 2.10.25 and 2.10.32 has no barrier here.
// Then the same with every worker held: the pool paused with each client's
// query queued, CONFIG SET flaps 0 → 8 ten times and returns each time
// while no job can run (a setter that waited for the workers would wait
// for good: the drain timeout is an hour), and the queued queries are all
// answered once the pool resumes.
func TestWorkersFlapping(t *testing.T) {
	// search-timeout: a query queued on the paused pool waits for RESUME,
	// not for its timeout.
	srv, rdb := startShard(t, "search-workers 8", "search-workers-drain-timeout 3600000", "search-timeout 60000")
	ctx := context.Background()
	load := startLoad(t, srv.Addr())
	prober := startProber(t, srv.Addr())
	waitOK(t, load, 100)
	var slowest time.Duration
	for i := 0; i < 50; i++ {
		for _, n := range []int{0, 8} {
			if d := setWorkers(t, rdb, n); d > slowest {
				slowest = d
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	waitOK(t, load, load.Counts().OK+100)

	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "PAUSE").Err(); err != nil {
		t.Fatal(err)
	}
	// Should the test fail while the pool is paused, a setter waiting for
	// it (the failure this checks for) must not hold the shard's shutdown.
	t.Cleanup(func() { rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME") })
	// Each of the 20 clients waits for one query at a time: once the jobs
	// running at the pause are done, all 20 are queued, and stay queued.
	held := func() map[string]int64 {
		t.Helper()
		for deadline := time.Now().Add(livenessBound); ; time.Sleep(time.Millisecond) {
			st := workerStats(t, rdb)
			if st["highPriorityPendingJobs"] == incidentClients && st["numJobsInProgress"] == 0 {
				return st
			}
			if time.Now().After(deadline) {
				t.Fatalf("the %d clients' queries not all queued on the paused pool: %v", incidentClients, st)
			}
		}
	}
	before := held()
	for i := 0; i < 10; i++ {
		for _, n := range []int{0, 8} {
			setWorkers(t, rdb, n)
			if st := workerStats(t, rdb); st["totalJobsDone"] != before["totalJobsDone"] ||
				st["highPriorityPendingJobs"] != incidentClients || st["numJobsInProgress"] != 0 {
				t.Fatalf("CONFIG SET search-workers %d on the paused pool: %v, want no job run (was %v)", n, st, before)
			}
		}
	}
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME").Err(); err != nil {
		t.Fatal(err)
	}
	waitOK(t, load, load.Counts().OK+100)
	c := stopLoad(t, load)
	checkLiveness(t, prober)
	t.Logf("slowest CONFIG SET while flapping under load %v; queries %+v", slowest, c)
}

// TestWorkersDrainYield: with drain-yield, CONFIG SET returns only once
// the workers are gone and their jobs done, and the shard answers PING
// meanwhile. The pool is paused with jobs queued, so the change cannot
// complete until FT.DEBUG WORKERS RESUME (allow-busy) runs during it: the
// drain timeout (an hour) and busy-reply-threshold (a minute) are set so
// that neither ends the drain or its wait first, however slow the machine.
func TestWorkersDrainYield(t *testing.T) {
	srv, rdb := startShard(t, "search-workers 4", "search-workers-resize-policy drain-yield",
		"search-workers-drain-timeout 3600000", "busy-reply-threshold 60000")
	ctx := context.Background()
	load := startLoad(t, srv.Addr())
	waitOK(t, load, 100)
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "PAUSE").Err(); err != nil {
		t.Fatal(err)
	}
	// Should the test fail during the drain, the drain must not hold the
	// shard's shutdown for its hour.
	t.Cleanup(func() { rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME") })
	for deadline := time.Now().Add(livenessBound); workerStats(t, rdb)["highPriorityPendingJobs"] == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no query queued on the paused pool")
		}
		time.Sleep(time.Millisecond)
	}
	prober := startProber(t, srv.Addr())
	setter := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, PoolSize: 1, ReadTimeout: time.Minute})
	defer setter.Close()
	done := make(chan error, 1)
	go func() { done <- setter.ConfigSet(ctx, "search-workers", "0").Err() }()
	// The size changes before the drain begins: from then on the main
	// thread is in the drain, which cannot end while the pool is paused.
	for deadline := time.Now().Add(livenessBound); infoInt(t, rdb, "search_workers_configured") != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("CONFIG SET search-workers 0 did not begin")
		}
	}
	// PING is answered during the drain: 20 replies counted from here.
	prober.Reset()
	for deadline := time.Now().Add(livenessBound); prober.Stats().Count < 20; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) || frozen(prober) {
			t.Fatalf("PING during the drain: %+v", prober.Stats())
		}
	}
	select {
	case err := <-done:
		t.Fatalf("CONFIG SET returned (%v) while jobs were queued on a paused pool", err)
	default:
	}
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME").Err(); err != nil {
		t.Fatalf("RESUME during the drain: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("CONFIG SET: %v", err)
	}
	// Nothing to wait for: the reduction was complete when it replied.
	st := workerStats(t, rdb)
	if st["numThreadsAlive"] != 0 || st["numJobsInProgress"] != 0 || st["totalPendingJobs"] != 0 {
		t.Fatalf("right after CONFIG SET returned: %v", st)
	}
	checkShardWorks(t, rdb)
	stopLoad(t, load)
	checkLiveness(t, prober)
}

// shardBinary builds the binary once per test run.
func shardBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "miniredis-search-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "miniredis-search")
		if out, err := exec.Command("go", "build", "-o", binPath, "../cmd/miniredis-search").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startShardProcess starts the binary on port with the given directives
// and waits until it answers PING; kill stops it (once; also at cleanup).
// A test that freezes a shard runs it this way, to be able to abandon it.
func startShardProcess(t *testing.T, port string, args ...string) (kill func()) {
	t.Helper()
	cmd := exec.Command(shardBinary(t), append([]string{"--port", port, "--loglevel", "warning"}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill = func() {
		once.Do(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	t.Cleanup(kill)
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, Protocol: 2, MaxRetries: -1})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			kill()
			t.Fatalf("shard on port %s did not start", port)
		}
	}
	return kill
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestWorkersLegacyBarrierHangs runs the same scenario as
// TestWorkersToZeroUnderLoad with the legacy-barrier policy (2.10.20's
// resize) in a separate process, and expects the freeze: PING gets no
// answer within livenessBound, the bound the other incident tests assert.
// It proves that the load catches the failure.
func TestWorkersLegacyBarrierHangs(t *testing.T) {
	port := strconv.Itoa(freePort(t))
	addr := "127.0.0.1:" + port
	kill := startShardProcess(t, port, "--search-workers", "8", "--search-workers-resize-policy", "legacy-barrier")
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 2, ReadTimeout: 10 * time.Second, MaxRetries: -1})
	defer rdb.Close()
	ctx := context.Background()
	if err := workload.Setup(ctx, rdb, incidentDocs); err != nil {
		t.Fatal(err)
	}
	load := &workload.Load{Addr: addr, Clients: incidentClients, Limit: incidentLimit, Timeout: 5 * time.Second}
	load.Start()
	waitOK(t, load, 100)
	prober := &workload.Prober{Addr: addr, Timeout: livenessBound}
	prober.Start()
	setter := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, ReadTimeout: time.Minute, MaxRetries: -1})
	defer setter.Close()
	// Whether a reduction freezes depends on a worker being in the middle
	// of a job at that moment: the change is flapped, as in
	// TestWorkersFlapping, until it does.
	hung := func() bool { return frozen(prober) }
	attempts := 0
	var setErr chan error // the CONFIG SET in flight, if any
	for ; attempts < 50 && !hung(); attempts++ {
		setErr = make(chan error, 1)
		go func(done chan error) { done <- setter.ConfigSet(ctx, "search-workers", "0").Err() }(setErr)
		var err error
		returned := false
		for !returned && !hung() {
			select {
			case err = <-setErr:
				returned = true
				setErr = nil
			case <-time.After(10 * time.Millisecond):
			}
		}
		if !returned {
			break
		}
		if err != nil {
			t.Fatalf("CONFIG SET search-workers 0: %v", err)
		}
		if err := setter.ConfigSet(ctx, "search-workers", "8").Err(); err != nil {
			t.Fatalf("CONFIG SET search-workers 8: %v", err)
		}
		waitOK(t, load, load.Counts().OK+50)
	}
	st := prober.Stats()
	kill() // the frozen shard never recovers
	if setErr != nil {
		<-setErr // the frozen CONFIG SET ends with the process
	}
	prober.Stop()
	c := load.Stop()
	if !hung() {
		t.Fatalf("legacy-barrier did not freeze the shard in %d reductions: longest PING gap %v (%+v)", attempts, st.MaxGap, st)
	}
	t.Logf("legacy-barrier froze the shard at reduction %d: PING unanswered for %v; %d of %d queries never answered",
		attempts+1, st.MaxGap, c.Sent-c.Replied, c.Sent)
}

// TestWorkersLegacyReviveHangs: with legacy-revive (2.10.25 and 2.10.32),
// flapping 8 → 0 → 8 under the same load freezes the shard: a query that
// arrives while the disabled pool's workers still drain makes the main
// thread wait for them, and one of them waits for the main thread. This is
// what TestWorkersFlapping proves the async policy free of.
func TestWorkersLegacyReviveHangs(t *testing.T) {
	port := strconv.Itoa(freePort(t))
	addr := "127.0.0.1:" + port
	kill := startShardProcess(t, port, "--search-workers", "8", "--search-workers-resize-policy", "legacy-revive")
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, ReadTimeout: 5 * time.Second, MaxRetries: -1})
	defer rdb.Close()
	if err := workload.Setup(ctx, rdb, incidentDocs); err != nil {
		t.Fatal(err)
	}
	load := &workload.Load{Addr: addr, Clients: incidentClients, Limit: incidentLimit, Timeout: 5 * time.Second}
	load.Start()
	waitOK(t, load, 100)
	prober := &workload.Prober{Addr: addr, Timeout: livenessBound}
	prober.Start()
	hung := func() bool { return frozen(prober) }
	setter := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, ReadTimeout: time.Minute, MaxRetries: -1})
	defer setter.Close()
	flaps := 0
	var setErr chan error
	for ; flaps < 50 && !hung(); flaps++ {
		// 0 and 8 in one pipeline: they run back to back on the main
		// thread, so the disabled pool's workers are still draining (those
		// in the middle of a job wait for the main thread) when the next
		// query is submitted.
		setErr = make(chan error, 1)
		go func(done chan error) {
			_, err := setter.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.ConfigSet(ctx, "search-workers", "0")
				p.ConfigSet(ctx, "search-workers", "8")
				return nil
			})
			done <- err
		}(setErr)
		returned := false
		for !returned && !hung() {
			select {
			case err := <-setErr:
				if err != nil {
					t.Fatalf("CONFIG SET search-workers 0, then 8: %v", err)
				}
				returned, setErr = true, nil
			case <-time.After(10 * time.Millisecond):
			}
		}
		// Let queries arrive while the old workers drain.
		for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline) && !hung(); {
			time.Sleep(5 * time.Millisecond)
		}
	}
	st := prober.Stats()
	kill()
	if setErr != nil {
		<-setErr
	}
	prober.Stop()
	c := load.Stop()
	if !hung() {
		t.Fatalf("legacy-revive did not freeze the shard in %d flaps: longest PING gap %v", flaps, st.MaxGap)
	}
	t.Logf("legacy-revive froze the shard at flap %d: PING unanswered for %v; %d of %d queries never answered",
		flaps+1, st.MaxGap, c.Sent-c.Replied, c.Sent)
}
