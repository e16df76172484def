package integration

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/coord"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// startCluster starts n in-process shards with the search module, in
// cluster mode over a shared topology, and returns them in slot order.
func startCluster(t *testing.T, n int, config ...string) []*server.Server {
	t.Helper()
	return startClusterLogs(t, n, nil, config...)
}

// startClusterLogs is startCluster with each shard's log going to logs[i]
// (when logs is not nil).
func startClusterLogs(t *testing.T, n int, logs []io.Writer, config ...string) []*server.Server {
	t.Helper()
	var lns []net.Listener
	var nodes []string
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		nodes = append(nodes, ln.Addr().String())
	}
	for _, ln := range lns {
		ln.Close()
	}
	var srvs []*server.Server
	for i, addr := range nodes {
		_, port, _ := net.SplitHostPort(addr)
		var out io.Writer = discardLog{}
		if logs != nil {
			out = logs[i]
		}
		cfg := append([]string{"port " + port, "cluster-enabled yes",
			server.DirectiveLine("cluster-nodes", strings.Join(nodes, " "))}, config...)
		m := module.New()
		coord.Attach(m)
		// Both modules, as the binary's shards load them.
		srvs = append(srvs, server.RunT(t, server.Options{Modules: []server.Module{m, rejson.New()}, LogOutput: out, Config: cfg}))
	}
	return srvs
}

func clusterAddrs(srvs []*server.Server) []string {
	var out []string
	for _, s := range srvs {
		out = append(out, s.Addr())
	}
	return out
}

// checkKeysOnOwners: every shard holds only keys of its own slots, and
// the shards hold want keys in all.
func checkKeysOnOwners(t *testing.T, srvs []*server.Server, want int) {
	t.Helper()
	total := 0
	for _, s := range srvs {
		c := redis.NewClient(&redis.Options{Addr: s.Addr(), Protocol: 2})
		keys, err := c.Keys(context.Background(), "*").Result()
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if owner := s.Topology().Owner(server.KeySlot([]byte(k))); owner != s.Self() {
				t.Errorf("key %q (slot %d) on %s, owned by %s", k, server.KeySlot([]byte(k)), s.Addr(), owner.Addr())
			}
		}
		total += len(keys)
	}
	if total != want {
		t.Errorf("%d keys across the shards, want %d", total, want)
	}
}

// TestClusterGoRedis: go-redis' ClusterClient (RESP2 and RESP3) writes and
// reads keys across the shards through the redirections.
func TestClusterGoRedis(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			srvs := startCluster(t, 3)
			ctx := context.Background()
			cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(srvs)[:1], Protocol: proto})
			defer cc.Close()
			for i := 0; i < 200; i++ {
				k := "key:" + strconv.Itoa(i)
				if err := cc.Set(ctx, k, i, 0).Err(); err != nil {
					t.Fatalf("SET %s: %v", k, err)
				}
				if err := cc.HSet(ctx, "doc:"+strconv.Itoa(i), "title", "hello", "n", i).Err(); err != nil {
					t.Fatalf("HSET: %v", err)
				}
			}
			for i := 0; i < 200; i++ {
				if v, err := cc.Get(ctx, "key:"+strconv.Itoa(i)).Int(); err != nil || v != i {
					t.Fatalf("GET key:%d: %v %v", i, v, err)
				}
			}
			if err := cc.MSet(ctx, "{tag}a", 1, "{tag}b", 2).Err(); err != nil {
				t.Fatalf("MSET with a hash tag: %v", err)
			}
			if _, err := cc.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Incr(ctx, "{tag}a")
				p.Incr(ctx, "{tag}b")
				return nil
			}); err != nil {
				t.Fatalf("transaction on one slot: %v", err)
			}
			checkKeysOnOwners(t, srvs, 402)
			var shards []redis.ClusterShard
			shards, err := cc.ClusterShards(ctx).Result()
			if err != nil || len(shards) != 3 {
				t.Fatalf("CLUSTER SHARDS: %v %v", shards, err)
			}
		})
	}
}

// TestClusterRedisCli: redis-cli -c follows -MOVED.
func TestClusterRedisCli(t *testing.T) {
	cli := requireTool(t, "redis-cli")
	srvs := startCluster(t, 3)
	port := strconv.Itoa(srvs[0].Port())
	run := func(args ...string) string {
		out, err := exec.Command(cli, append([]string{"-c", "-p", port}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("redis-cli %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := run("SET", "foo", "bar"); got != "OK" {
		t.Fatalf("SET foo: %q", got)
	}
	if got := run("GET", "foo"); got != "bar" {
		t.Fatalf("GET foo: %q", got)
	}
	checkKeysOnOwners(t, srvs, 1)
}

// TestClusterRedisPy: redis-py's RedisCluster (4.3).
func TestClusterRedisPy(t *testing.T) {
	py := python(t)
	srvs := startCluster(t, 3)
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "py/test_cluster_redispy.py")
	cmd.Env = append(os.Environ(), "MRS_PORT="+strconv.Itoa(srvs[1].Port()))
	out, err := cmd.CombinedOutput()
	t.Logf("pytest:\n%s", out)
	if err != nil {
		t.Fatalf("pytest failed: %v", err)
	}
	checkKeysOnOwners(t, srvs, 101)
}

// TestClusterSeparateProcesses: three binaries, each told the topology
// with --cluster-nodes, form a cluster a cluster client uses unchanged;
// the index created through one answers through another.
func TestClusterSeparateProcesses(t *testing.T) {
	var ports []string
	for i := 0; i < 3; i++ {
		ports = append(ports, strconv.Itoa(freePort(t)))
	}
	var nodes []string
	for _, p := range ports {
		nodes = append(nodes, "127.0.0.1:"+p)
	}
	ctx := context.Background()
	for _, p := range ports {
		startShardProcess(t, p, "--cluster-enabled", "yes", "--cluster-nodes", strings.Join(nodes, " "))
	}
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: nodes, Protocol: 2})
	defer cc.Close()
	first := redis.NewClient(&redis.Options{Addr: nodes[0], Protocol: 2})
	defer first.Close()
	if err := first.Do(ctx, "FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE").Err(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if err := cc.HSet(ctx, "doc:"+strconv.Itoa(i), "t", "hello", "n", i).Err(); err != nil {
			t.Fatal(err)
		}
	}
	last := redis.NewClient(&redis.Options{Addr: nodes[2], Protocol: 2})
	defer last.Close()
	v, err := last.Do(ctx, "FT.SEARCH", "idx", "hello", "SORTBY", "n", "DESC", "LIMIT", "0", "2", "NOCONTENT").Slice()
	if err != nil || fmt.Sprint(v) != "[50 doc:49 doc:48]" {
		t.Fatalf("FT.SEARCH through another process: %v %v", v, err)
	}
}
