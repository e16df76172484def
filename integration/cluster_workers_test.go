package integration

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// connStates reads FT.DEBUG SHARD_CONNECTION_STATES: node -> states.
func connStates(t *testing.T, c *redis.Client) map[string][]string {
	t.Helper()
	v, err := c.Do(context.Background(), "FT.DEBUG", "SHARD_CONNECTION_STATES").Slice()
	if err != nil {
		t.Fatalf("FT.DEBUG SHARD_CONNECTION_STATES: %v", err)
	}
	out := map[string][]string{}
	for i := 0; i+1 < len(v); i += 2 {
		for _, s := range v[i+1].([]any) {
			out[v[i].(string)] = append(out[v[i].(string)], s.(string))
		}
	}
	return out
}

// waitPools polls FT.DEBUG SHARD_CONNECTION_STATES for up to 10 s until
// the pool of each of the 3 shards satisfies ok.
func waitPools(t *testing.T, c *redis.Client, what string, ok func(states []string) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		states := connStates(t, c)
		done := len(states) == 3
		for _, st := range states {
			done = done && ok(st)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pools did not converge in 10 s (%s): %v", what, states)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestClusterWorkersToZeroUnderLoad is the incident in cluster mode: 20
// clients query through the three shards' coordinators while every shard
// goes from 8 workers to 0. Every query gets exactly one reply, PING keeps
// answering, each coordinator's pools shrink from 9 connections per shard
// to 1, and the drains end and say so.
func TestClusterWorkersToZeroUnderLoad(t *testing.T) {
	logs := []*testutil.SyncBuffer{{}, {}, {}}
	srvs := startClusterLogs(t, 3, []io.Writer{logs[0], logs[1], logs[2]}, "search-workers 8")
	ctx := context.Background()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(srvs), Protocol: 2})
	defer cc.Close()
	if err := workload.Setup(ctx, cc, incidentDocs); err != nil {
		t.Fatal(err)
	}
	var shards []*redis.Client
	for _, s := range srvs {
		c := redis.NewClient(&redis.Options{Addr: s.Addr(), Protocol: 2, ReadTimeout: 10 * time.Second})
		defer c.Close()
		shards = append(shards, c)
	}
	load := &workload.Load{Addrs: clusterAddrs(srvs), Clients: incidentClients, Limit: incidentLimit}
	load.Start()
	var probers []*workload.Prober
	for _, s := range srvs {
		probers = append(probers, startProber(t, s.Addr()))
	}
	waitOK(t, load, 200)
	for _, c := range shards {
		for node, states := range connStates(t, c) {
			if len(states) != 9 {
				t.Fatalf("before: %d connections to %s, want 9 (workers+1): %v", len(states), node, states)
			}
		}
	}
	for _, c := range shards {
		start := time.Now()
		if err := c.ConfigSet(ctx, "search-workers", "0").Err(); err != nil {
			t.Fatal(err)
		}
		t.Logf("CONFIG SET search-workers 0 on a shard: %v", time.Since(start))
	}
	okAtChange := load.Counts().OK
	waitOK(t, load, okAtChange+200)
	for i, c := range shards {
		waitPools(t, c, fmt.Sprintf("shard %d: 1 connection per shard", i),
			func(st []string) bool { return len(st) == 1 && st[0] == "Connected" })
		waitAlive(t, c, 0)
		if err := c.Ping(ctx).Err(); err != nil {
			t.Fatalf("PING: %v", err)
		}
		n, err := c.Do(ctx, "FT.SEARCH", workload.Index, "@tag:{red}", "LIMIT", "0", "0").Slice()
		if err != nil || n[0].(int64) != incidentDocs/8 {
			t.Fatalf("FT.SEARCH through shard %d: %v %v", i, n, err)
		}
	}
	if err := cc.HSet(ctx, "other:1", "f", "v").Err(); err != nil {
		t.Fatalf("HSET through the cluster: %v", err)
	}
	c := stopLoad(t, load)
	for _, p := range probers {
		checkLiveness(t, p)
	}
	drained, shrinks := 0, 0
	for i, l := range logs {
		out := l.String()
		drained += strings.Count(out, "drained in")
		shrinks += strings.Count(out, "connections per shard 9 -> 1")
		if strings.Contains(out, "drain timed out") || strings.Contains(out, "timed out with") {
			t.Errorf("shard %d: a drain timed out:\n%s", i, out)
		}
	}
	if shrinks != 3 {
		t.Errorf("%d pool shrinks logged, want 3 (one per coordinator)", shrinks)
	}
	t.Logf("queries %+v; %d connections drained gracefully", c, drained)
}

// TestClusterWorkersSequenceAndFlapping: under the same load through the
// coordinators, every shard goes 8 → 4 → 2 → 1 → 0 (its pools following:
// workers+1 connections per shard), then flaps 0 → 8 → 0 twenty times.
// Every query gets one reply, PING never stalls.
func TestClusterWorkersSequenceAndFlapping(t *testing.T) {
	srvs := startCluster(t, 3, "search-workers 8")
	_, shards := setupCluster(t, srvs)
	load := &workload.Load{Addrs: clusterAddrs(srvs), Clients: incidentClients, Limit: incidentLimit}
	load.Start()
	var probers []*workload.Prober
	for _, s := range srvs {
		probers = append(probers, startProber(t, s.Addr()))
	}
	waitOK(t, load, 200)
	for _, n := range []int{4, 2, 1, 0} {
		for _, c := range shards {
			setWorkers(t, c, n)
		}
		for i, c := range shards {
			waitAlive(t, c, int64(n))
			waitPools(t, c, fmt.Sprintf("shard %d at %d workers: %d connections per shard", i, n, n+1),
				func(st []string) bool { return len(st) == n+1 })
		}
		waitOK(t, load, load.Counts().OK+50)
	}
	var slowest time.Duration
	for i := 0; i < 20; i++ {
		for _, n := range []int{8, 0} {
			for _, c := range shards {
				if d := setWorkers(t, c, n); d > slowest {
					slowest = d
				}
			}
		}
	}
	waitOK(t, load, load.Counts().OK+100)
	c := stopLoad(t, load)
	for _, p := range probers {
		checkLiveness(t, p)
	}
	t.Logf("slowest CONFIG SET while flapping: %v; queries %+v", slowest, c)
}

// TestClusterLegacyBarrierHangs: the legacy-barrier reduction under the
// same load, in a cluster of processes the test can kill: the shard it runs
// on freezes (PING unanswered for livenessBound), and the other shards'
// coordinators keep answering at their TIMEOUT, with the frozen shard's
// documents missing: the shard never answers again, so a reply without its
// documents is one the deadline gave (how soon it came is logged, not
// asserted; the client's read timeout is the liveness bound).
func TestClusterLegacyBarrierHangs(t *testing.T) {
	var ports, nodes []string
	for i := 0; i < 3; i++ {
		p := strconv.Itoa(freePort(t))
		ports = append(ports, p)
		nodes = append(nodes, "127.0.0.1:"+p)
	}
	ctx := context.Background()
	var kills []func()
	for _, p := range ports {
		kills = append(kills, startShardProcess(t, p, "--cluster-enabled", "yes", "--cluster-nodes", strings.Join(nodes, " "),
			"--search-workers", "8", "--search-workers-resize-policy", "legacy-barrier"))
	}
	killAll := func() {
		for _, kill := range kills {
			kill()
		}
	}
	var shards []*redis.Client
	for _, n := range nodes {
		c := redis.NewClient(&redis.Options{Addr: n, Protocol: 2, ReadTimeout: livenessBound, MaxRetries: -1})
		defer c.Close()
		shards = append(shards, c)
	}
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: nodes, Protocol: 2})
	defer cc.Close()
	if err := workload.Setup(ctx, cc, incidentDocs); err != nil {
		t.Fatal(err)
	}
	load := &workload.Load{Addrs: nodes, Clients: incidentClients, Limit: incidentLimit, Timeout: 5 * time.Second}
	load.Start()
	waitOK(t, load, 200)
	prober := &workload.Prober{Addr: nodes[1], Timeout: livenessBound}
	prober.Start()
	hung := func() bool { return frozen(prober) }
	setter := redis.NewClient(&redis.Options{Addr: nodes[1], Protocol: 2, PoolSize: 1, ReadTimeout: time.Minute, MaxRetries: -1})
	defer setter.Close()
	attempts := 0
	var setErr chan error // the CONFIG SET in flight, if any
	for ; attempts < 50 && !hung(); attempts++ {
		setErr = make(chan error, 1)
		go func(done chan error) { done <- setter.ConfigSet(ctx, "search-workers", "0").Err() }(setErr)
		returned := false
		for !returned && !hung() {
			select {
			case err := <-setErr:
				if err != nil {
					t.Fatalf("CONFIG SET search-workers 0: %v", err)
				}
				returned = true
				setErr = nil
			case <-time.After(10 * time.Millisecond):
			}
		}
		if !returned {
			break
		}
		if err := setter.ConfigSet(ctx, "search-workers", "8").Err(); err != nil {
			t.Fatal(err)
		}
		waitOK(t, load, load.Counts().OK+50)
	}
	if !hung() {
		t.Fatalf("legacy-barrier did not freeze shard 1 in %d reductions", attempts)
	}
	// The other coordinators cost a query its TIMEOUT, no more.
	onFrozen := 0
	for i := 0; i < incidentDocs; i++ {
		if server.KeySlot([]byte("doc:"+strconv.Itoa(i))) >= 5461 && server.KeySlot([]byte("doc:"+strconv.Itoa(i))) <= 10922 {
			onFrozen++
		}
	}
	for _, i := range []int{0, 2} {
		start := time.Now()
		v, err := shards[i].Do(ctx, "FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0", "TIMEOUT", "500").Slice()
		took := time.Since(start)
		if err != nil || v[0].(int64) != int64(incidentDocs-onFrozen) {
			t.Fatalf("FT.SEARCH through shard %d while shard 1 is frozen: %v %v in %v, want %d documents",
				i, v, err, took, incidentDocs-onFrozen)
		}
		t.Logf("FT.SEARCH TIMEOUT 500 through shard %d while shard 1 is frozen: %v", i, took)
		if err := shards[i].Ping(ctx).Err(); err != nil {
			t.Fatalf("PING shard %d: %v", i, err)
		}
	}
	st := prober.Stats()
	killAll()
	if setErr != nil {
		<-setErr // the frozen CONFIG SET ends with the process
	}
	prober.Stop()
	c := load.Stop()
	t.Logf("legacy-barrier froze shard 1 at reduction %d (PING unanswered %v); the other coordinators kept answering; %d of %d queries never answered",
		attempts+1, st.MaxGap, c.Sent-c.Replied, c.Sent)
}
