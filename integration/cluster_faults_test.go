package integration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/coord"
	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// infoInt reads a field of INFO search_multi_threading.
func infoInt(t *testing.T, c *redis.Client, field string) int64 {
	t.Helper()
	info, err := c.Info(context.Background(), "search_multi_threading").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatalf("INFO has no %s:\n%s", field, info)
	return 0
}

func setupCluster(t *testing.T, srvs []*server.Server) (*redis.ClusterClient, []*redis.Client) {
	t.Helper()
	ctx := context.Background()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(srvs), Protocol: 2})
	t.Cleanup(func() { cc.Close() })
	if err := workload.Setup(ctx, cc, incidentDocs); err != nil {
		t.Fatal(err)
	}
	var shards []*redis.Client
	for _, s := range srvs {
		c := redis.NewClient(&redis.Options{Addr: s.Addr(), Protocol: 2, ReadTimeout: 20 * time.Second, MaxRetries: -1})
		t.Cleanup(func() { c.Close() })
		shards = append(shards, c)
	}
	return cc, shards
}

// TestClusterShrinkWithRequestsInFlight: 500 searches in flight through a
// coordinator while one shard holds every reply (its workers paused by
// FT.DEBUG WORKERS PAUSE, so nothing it was sent can be answered); the
// pools shrink from 9 connections per shard to 1 with a drain timeout of
// 100 ms. The state at the shrink is built, not waited for: with 9
// connections per shard the queue admits 9*50 = 450 requests (the other 50
// wait in it), round-robin puts 50 of them on each connection to the held
// shard, and the two other shards have answered their parts. So the shrink
// retires 8 connections to the held shard with 50 requests each: their
// drains time out (400 requests fail with the drain error) while the
// other shards' surplus connections close with nothing pending; once the
// held shard resumes, the 50 requests on the connection kept and the 50
// queued get their results. Every request gets exactly one reply and the
// queue ends with nothing pending.
func TestClusterShrinkWithRequestsInFlight(t *testing.T) {
	srvs := startCluster(t, 3, "search-workers 8", "search-conn-drain-timeout 100")
	_, shards := setupCluster(t, srvs)
	ctx := context.Background()
	const perShard, factor = 9, 50 // search-workers 8 + 1; the module's PENDING_FACTOR
	waitPools(t, shards[0], "9 connections up to each shard", func(states []string) bool {
		if len(states) != perShard {
			return false
		}
		for _, s := range states {
			if s != "Connected" {
				return false
			}
		}
		return true
	})
	if err := shards[2].Do(ctx, "FT.DEBUG", "WORKERS", "PAUSE").Err(); err != nil {
		t.Fatal(err)
	}
	const requests = 500
	const admitted = perShard * factor                         // 450 in flight
	const queued = requests - admitted                         // 50 waiting for a slot
	const drainedAway = (perShard - 1) * (admitted / perShard) // 8 retired connections x 50
	// What the coordinator fails a request with when the drain of its
	// connection to the slow shard times out (coord/runtime.go, onTick).
	drained := "ERR connection to " + srvs[2].Addr() + " closed: drain timed out"
	var wg sync.WaitGroup
	var mu sync.Mutex
	oks, errs, failures := 0, 0, 0
	for i := 0; i < requests; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// TIMEOUT and ReadTimeout are liveness bounds only: the test
			// takes about 2 s.
			c := redis.NewClient(&redis.Options{Addr: srvs[0].Addr(), Protocol: 2, PoolSize: 1, MaxRetries: -1, ReadTimeout: 3 * time.Minute})
			defer c.Close()
			v, err := c.Do(ctx, "FT.SEARCH", workload.Index, "@tag:{red}", "LIMIT", "0", "0", "TIMEOUT", "120000").Slice()
			mu.Lock()
			defer mu.Unlock()
			var rerr redis.Error
			switch {
			case err == nil && len(v) == 1 && v[0].(int64) == incidentDocs/8:
				oks++
			case err != nil && errorsAs(err, &rerr) && !isNet(err) && err.Error() == drained:
				errs++
			default:
				failures++
				t.Errorf("request: %v %v", v, err)
			}
		}()
	}
	// waitInfo polls INFO search_multi_threading of the coordinator until
	// every field has its value; 60 s is a liveness bound.
	waitInfo := func(what string, want map[string]int64) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			got := map[string]int64{}
			done := true
			for f, v := range want {
				got[f] = infoInt(t, shards[0], f)
				done = done && got[f] == v
			}
			if done {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: INFO %v, want %v", what, got, want)
			}
			time.Sleep(time.Millisecond)
		}
	}
	// Every request has reached the coordinator, 450 of them are in flight
	// and the two other shards have answered: only the held shard's 450
	// replies are awaited. Nothing can change this state until it resumes.
	waitInfo("requests in flight", map[string]int64{
		"search_coord_pending_requests":      admitted,
		"search_coord_queued_requests":       queued,
		"search_coord_shard_replies_pending": admitted,
	})
	if err := shards[0].ConfigSet(ctx, "search-conn-per-shard", "1").Err(); err != nil {
		t.Fatal(err)
	}
	// The 8 drains to the held shard time out; the connection kept holds
	// its 50 requests, and the queue still waits for a slot.
	waitInfo("drains of the shrink", map[string]int64{
		"search_coord_drains_timed_out":      perShard - 1,
		"search_coord_draining_conns":        0,
		"search_coord_pending_requests":      admitted - drainedAway,
		"search_coord_queued_requests":       queued,
		"search_coord_max_pending":           factor,
		"search_coord_shard_replies_pending": admitted - drainedAway,
	})
	if err := shards[2].Do(ctx, "FT.DEBUG", "WORKERS", "RESUME").Err(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	t.Logf("%d results, %d errors %q, %d without a reply or with another", oks, errs, drained, failures)
	if oks != requests-drainedAway || errs != drainedAway || failures != 0 {
		t.Fatalf("replies: %d results + %d drain errors + %d others of %d requests; want %d + %d + 0",
			oks, errs, failures, requests, requests-drainedAway, drainedAway)
	}
	// A client may read its reply before the IO runtime publishes its
	// counters: they are waited for.
	waitInfo("after every reply", map[string]int64{
		"search_coord_pending_requests":      0,
		"search_coord_queued_requests":       0,
		"search_coord_shard_replies_pending": 0,
		"search_coord_drains_timed_out":      perShard - 1,
		"search_coord_max_pending":           factor,
	})
	n, err := shards[0].Do(ctx, "FT.SEARCH", workload.Index, "@tag:{red}", "LIMIT", "0", "0").Slice()
	if err != nil || n[0].(int64) != incidentDocs/8 {
		t.Fatalf("FT.SEARCH after: %v %v", n, err)
	}
}

// TestClusterFrozenShard: a frozen shard (its main thread held, as DEBUG
// SLEEP holds it, until the test lets it go) costs the other coordinators
// only their TIMEOUT: they answer with partial results and the warning
// (ON_TIMEOUT return) or the timeout error (fail), keep answering PING, and
// are whole again once it wakes. The shard cannot answer before it is let
// go, so a reply without its documents is one the deadline gave; how soon
// it came is logged, and the client's read timeout is the liveness bound.
// A shard killed and started again is reconnected to.
func TestClusterFrozenShard(t *testing.T) {
	srvs := startCluster(t, 3)
	cc, shards := setupCluster(t, srvs)
	ctx := context.Background()
	onShard2 := 0
	for i := 0; i < incidentDocs; i++ {
		if srvs[2].Topology().Owner(server.KeySlot([]byte("doc:"+strconv.Itoa(i)))) == srvs[2].Self() {
			onShard2++
		}
	}
	gil := srvs[2].GIL()
	gil.Lock()
	thawed := false
	thaw := func() {
		if !thawed {
			thawed = true
			gil.Unlock()
		}
	}
	defer thaw()

	resp3 := redis.NewClient(&redis.Options{Addr: srvs[0].Addr(), Protocol: 3, UnstableResp3: true, ReadTimeout: 20 * time.Second})
	defer resp3.Close()
	for i := 0; i < 3; i++ {
		start := time.Now()
		v, err := shards[0].Do(ctx, "FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0", "TIMEOUT", "500").Slice()
		took := time.Since(start)
		if err != nil || v[0].(int64) != int64(incidentDocs-onShard2) {
			t.Fatalf("FT.SEARCH while a shard is frozen: %v %v, want the %d documents of the two others", v, err, incidentDocs-onShard2)
		}
		t.Logf("FT.SEARCH TIMEOUT 500 while a shard is frozen: %v", took)
		if err := shards[0].Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	m, err := resp3.Do(ctx, "FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0", "TIMEOUT", "300").Result()
	if err != nil || !strings.Contains(formatAny(m), "Timeout limit was reached") {
		t.Fatalf("RESP3 FT.SEARCH while a shard is frozen: %v %v, want the timeout warning", m, err)
	}
	if err := shards[1].ConfigSet(ctx, "search-on-timeout", "fail").Err(); err != nil {
		t.Fatal(err)
	}
	if err := shards[1].Do(ctx, "FT.SEARCH", workload.Index, "*", "TIMEOUT", "300").Err(); err == nil || err.Error() != "Timeout limit was reached" {
		t.Fatalf("ON_TIMEOUT fail while a shard is frozen: %v", err)
	}
	thaw()
	// full: FT.SEARCH through c counts every document, the shards all
	// answering within timeoutMs.
	full := func(c *redis.Client, timeoutMs string) error {
		v, err := c.Do(ctx, "FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0", "TIMEOUT", timeoutMs).Slice()
		if err == nil && v[0].(int64) != incidentDocs {
			err = errorString("total " + strconv.FormatInt(v[0].(int64), 10))
		}
		return err
	}
	// It has the requests that timed out to answer first: a minute is a
	// liveness bound.
	if err := full(shards[0], "60000"); err != nil {
		t.Fatalf("after the shard woke: %v", err)
	}

	// Killed, then started again on its port (empty: nothing persists).
	addr := srvs[2].Addr()
	srvs[2].Close()
	// A request in flight when the shard went away fails with the lost
	// connection; once the coordinator knows, the shard costs a query its
	// TIMEOUT, as a frozen one does.
	for i := 0; ; i++ {
		v, err := shards[0].Do(ctx, "FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0", "TIMEOUT", "300").Slice()
		if err != nil && strings.Contains(err.Error(), "lost") && i < 3 {
			continue
		}
		if err != nil || v[0].(int64) != int64(incidentDocs-onShard2) {
			t.Fatalf("FT.SEARCH with a shard down: %v %v", v, err)
		}
		break
	}
	_, port, _ := net.SplitHostPort(addr)
	mod := module.New()
	coord.Attach(mod)
	var nodes []string
	for _, n := range srvs[0].Topology().Nodes {
		nodes = append(nodes, n.Addr())
	}
	server.RunT(t, server.Options{Modules: []server.Module{mod}, LogOutput: discardLog{},
		Config: []string{"port " + port, "cluster-enabled yes", server.DirectiveLine("cluster-nodes", strings.Join(nodes, " "))}})
	fresh := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer fresh.Close()
	if err := fresh.Do(ctx, "_FT.CREATE", workload.Index, "ON", "HASH", "PREFIX", 1, "doc:", "SCHEMA",
		"title", "TEXT", "SORTABLE", "body", "TEXT", "tag", "TAG", "SORTABLE", "price", "NUMERIC", "SORTABLE").Err(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < incidentDocs; i++ {
		k := "doc:" + strconv.Itoa(i)
		if srvs[0].Topology().Owner(server.KeySlot([]byte(k))).Addr() == addr {
			if err := cc.HSet(ctx, k, "title", "t", "body", "b", "tag", "red", "price", i%1000).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The coordinator redials within its back-off (2 s at most); until
	// then a query lacks the shard's documents. 30 s is a liveness bound.
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := full(shards[0], "2000")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the coordinator did not reconnect to the restarted shard in 30 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestClusterAdminRepetitions: 500 rounds of CONFIG SET
// search-conn-per-shard, FT.DEBUG SHARD_CONNECTION_STATES and
// SEARCH.CLUSTERINFO leave the queue usable (MOD-7632: admin tasks that
// never released their slot).
func TestClusterAdminRepetitions(t *testing.T) {
	srvs := startCluster(t, 3)
	_, shards := setupCluster(t, srvs)
	ctx := context.Background()
	c := shards[0]
	for i := 0; i < 500; i++ {
		if err := c.ConfigSet(ctx, "search-conn-per-shard", strconv.Itoa(i%4+1)).Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.Do(ctx, "FT.DEBUG", "SHARD_CONNECTION_STATES").Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.Do(ctx, "SEARCH.CLUSTERINFO").Err(); err != nil {
			t.Fatal(err)
		}
	}
	if n := infoInt(t, c, "search_coord_pending_requests"); n != 0 {
		t.Fatalf("pending after the admin commands: %d", n)
	}
	v, err := c.Do(ctx, "FT.SEARCH", workload.Index, "@tag:{red}", "LIMIT", "0", "0").Slice()
	if err != nil || v[0].(int64) != incidentDocs/8 {
		t.Fatalf("FT.SEARCH after: %v %v", v, err)
	}
	for node, states := range connStates(t, c) {
		if len(states) != 4 { // the last round set 4
			t.Fatalf("%s: %v, want 4 connections", node, states)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func errorsAs(err error, target *redis.Error) bool { return errors.As(err, target) }

func isNet(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

func formatAny(v any) string { return fmt.Sprint(v) }
