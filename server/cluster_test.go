package server_test

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Slots as a stock redis-server 7.0 computes them (CLUSTER KEYSLOT).
func TestKeySlot(t *testing.T) {
	for key, want := range map[string]int{
		"foo": 12182, "a": 15495, "{user1}:a": 8106, "{user1}:b": 8106, "user1": 8106,
		"": 0, "{}foo": server.KeySlot([]byte("{}foo")), "foo{}{bar}": server.KeySlot([]byte("foo{}{bar}")),
		"foo{bar}{zap}": server.KeySlot([]byte("bar")), "123456789": 12739,
	} {
		if got := server.KeySlot([]byte(key)); got != want {
			t.Errorf("KeySlot(%q) = %d, want %d", key, got, want)
		}
	}
	// An empty tag hashes the whole key, not the empty string.
	if server.KeySlot([]byte("{}foo")) == server.KeySlot(nil) {
		t.Error("{}foo hashed as the empty tag")
	}
}

func TestParseTopology(t *testing.T) {
	topo, err := server.ParseTopology("127.0.0.1:7001 127.0.0.1:7002 127.0.0.1:7003")
	if err != nil {
		t.Fatal(err)
	}
	// redis-cli --cluster create's split of 3 masters.
	want := [][2]int{{0, 5460}, {5461, 10922}, {10923, 16383}}
	for i, n := range topo.Nodes {
		if len(n.Slots) != 1 || n.Slots[0] != want[i] || n.Epoch != i+1 || len(n.ID) != 40 {
			t.Errorf("node %d: %+v, want slots %v", i, n, want[i])
		}
	}
	if topo.Owner(12182).Port != 7003 {
		t.Errorf("slot 12182 owner %v", topo.Owner(12182))
	}
	topo, err = server.ParseTopology("h:1=0-99,200 h:2 h:3=16000-16383")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(topo.Nodes[0].Slots, topo.Nodes[1].Slots, topo.Nodes[2].Slots); got != "[[0 99] [200 200]] [[100 199] [201 15999]] [[16000 16383]]" {
		t.Errorf("explicit and leftover slots: %s", got)
	}
	for _, bad := range []string{"", "nohost", "h:0", "h:1=5-4", "h:1=0-16384", "h:1=0-10 h:2=10-20", "h:1 h:1"} {
		if _, err := server.ParseTopology(bad); err == nil {
			t.Errorf("ParseTopology(%q) accepted", bad)
		}
	}
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// TestClusterRedirects: three shards; each serves its slots, sends the
// others' with -MOVED, refuses cross-slot commands and transactions, and
// answers the CLUSTER commands as Redis 7.0 does.
func TestClusterRedirects(t *testing.T) {
	ports := freePorts(t, 3)
	var nodes []string
	for _, p := range ports {
		nodes = append(nodes, "127.0.0.1:"+strconv.Itoa(p))
	}
	var srvs []*server.Server
	for _, p := range ports {
		srvs = append(srvs, server.RunT(t, server.Options{Config: []string{"port " + strconv.Itoa(p), "cluster-enabled yes",
			server.DirectiveLine("cluster-nodes", strings.Join(nodes, " "))}}))
	}
	c := Dial(t, srvs[0].Addr())
	// foo is slot 12182, served by the third shard.
	MustDo(t, c, "SET", "foo", "bar", Err(fmt.Sprintf("MOVED 12182 %s", nodes[2])))
	MustDo(t, c, "SET", "{user1}:a", "1", Err(fmt.Sprintf("MOVED 8106 %s", nodes[1])))
	c2 := Dial(t, srvs[1].Addr())
	MustDo(t, c2, "MSET", "{user1}:a", "1", "{user1}:b", "2", OK)
	MustDo(t, c2, "MSET", "{user1}:a", "1", "foo", "2", Err(server.ErrCrossSlot))
	// Keys counted by an argument (SINTERCARD numkeys key ...) are routed too.
	MustDo(t, c2, "SINTERCARD", "2", "{user1}:a", "foo", Err(server.ErrCrossSlot))
	MustDo(t, c2, "SINTERCARD", "1", "foo", Err(fmt.Sprintf("MOVED 12182 %s", nodes[2])))
	MustDo(t, c2, "SINTERCARD", "2", "{user1}:c", "{user1}:d", "LIMIT", "foo", Err("ERR LIMIT can't be negative"))
	MustDo(t, c2, "SUNIONSTORE", "{user1}:c", "{user1}:d", "foo", Err(server.ErrCrossSlot))
	MustDo(t, c2, "CLUSTER", "COUNTKEYSINSLOT", "8106", Int(2))
	MustDo(t, c2, "CLUSTER", "GETKEYSINSLOT", "8106", "1", Arr(Bulk("{user1}:a")))
	MustDo(t, c2, "CLUSTER", "COUNTKEYSINSLOT", "16384", Err("ERR Invalid slot"))
	MustDo(t, c2, "CLUSTER", "GETKEYSINSLOT", "1", "-1", Err("ERR Invalid slot or number of keys"))
	MustDo(t, c2, "CLUSTER", "KEYSLOT", "foo", Int(12182))
	MustDo(t, c2, "SELECT", "1", Err("ERR SELECT is not allowed in cluster mode"))
	MustDo(t, c2, "READONLY", OK)
	MustDo(t, c2, "ASKING", OK)

	// A transaction: each command is checked as it is queued, then the
	// whole at EXEC.
	MustDo(t, c2, "MULTI", OK)
	MustDo(t, c2, "SET", "{user1}:c", "3", Status("QUEUED"))
	MustDo(t, c2, "SET", "foo", "3", Err(fmt.Sprintf("MOVED 12182 %s", nodes[2])))
	MustDo(t, c2, "EXEC", Err("EXECABORT Transaction discarded because of previous errors."))
	MustDo(t, c2, "MULTI", OK)
	MustDo(t, c2, "SET", "{user1}:c", "3", Status("QUEUED"))
	// A key of this shard, in another slot: only EXEC sees the mix.
	other := ""
	for i := 0; other == ""; i++ {
		k := "k" + strconv.Itoa(i)
		if sl := server.KeySlot([]byte(k)); sl >= 5461 && sl <= 10922 && sl != 8106 {
			other = k
		}
	}
	MustDo(t, c2, "SET", other, "3", Status("QUEUED"))
	MustDo(t, c2, "EXEC", Err(server.ErrCrossSlot))
	MustDo(t, c2, "EXISTS", "{user1}:c", Int(0)) // the transaction was dropped

	id := srvs[1].Self().ID
	MustDo(t, c2, "CLUSTER", "MYID", Bulk(id))
	slots := c2.Do("CLUSTER", "SLOTS")
	if want := fmt.Sprintf("*3\r\n*3\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:%d\r\n$40\r\n%s\r\n*0\r\n", ports[0], srvs[0].Self().ID); !strings.HasPrefix(string(slots.Raw), want) {
		t.Fatalf("CLUSTER SLOTS:\n%q\nwant prefix\n%q", slots.Raw, want)
	}
	info := c2.Do("CLUSTER", "INFO").String()
	for _, f := range []string{"cluster_state:ok\r\n", "cluster_slots_assigned:16384\r\n", "cluster_known_nodes:3\r\n",
		"cluster_size:3\r\n", "cluster_current_epoch:3\r\n", "cluster_my_epoch:2\r\n"} {
		if !strings.Contains(info, f) {
			t.Errorf("CLUSTER INFO lacks %q:\n%s", f, info)
		}
	}
	nodesOut := c2.Do("CLUSTER", "NODES").String()
	if first := strings.SplitN(nodesOut, "\n", 2)[0]; !strings.HasPrefix(first, id+" "+nodes[1]+"@"+strconv.Itoa(ports[1]+10000)+" myself,master - 0 ") ||
		!strings.HasSuffix(first, " 2 connected 5461-10922") {
		t.Fatalf("CLUSTER NODES first line: %q", first)
	}
	shards := c2.Do("CLUSTER", "SHARDS")
	if want := fmt.Sprintf("*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n%s\r\n$4\r\nport\r\n:%d\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n", id, ports[1]); !strings.HasPrefix(string(shards.Raw), want) {
		t.Fatalf("CLUSTER SHARDS:\n%q\nwant prefix\n%q", shards.Raw, want)
	}
}

func TestClusterDisabled(t *testing.T) {
	c := Dial(t, server.RunT(t, server.Options{}).Addr())
	for _, sub := range []string{"INFO", "MYID", "SLOTS", "SHARDS", "NODES"} {
		MustDo(t, c, "CLUSTER", sub, Err("ERR This instance has cluster support disabled"))
	}
	MustDo(t, c, "READONLY", Err("ERR This instance has cluster support disabled"))
	MustDo(t, c, "SET", "foo", "bar", OK)
}
