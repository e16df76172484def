package integration

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/redis/go-redis/v9"
)

// syncLog is a log sink safe for the shard's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

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

// TestClusterWorkersToZeroUnderLoad is the incident in cluster mode: 20
// clients query through the three shards' coordinators while every shard
// goes from 8 workers to 0. Every query gets exactly one reply, PING keeps
// answering, each coordinator's pools shrink from 9 connections per shard
// to 1, and the drains end and say so.
func TestClusterWorkersToZeroUnderLoad(t *testing.T) {
	logs := []*syncLog{{}, {}, {}}
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
		deadline := time.Now().Add(10 * time.Second)
		for {
			states := connStates(t, c)
			done := len(states) == 3
			for _, st := range states {
				done = done && len(st) == 1 && st[0] == "Connected"
			}
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("shard %d: pools did not converge to 1 connection per shard in 10 s: %v", i, states)
			}
			time.Sleep(10 * time.Millisecond)
		}
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
		checkLiveness(t, p, 500*time.Millisecond)
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
