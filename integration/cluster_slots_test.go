package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestClusterMultiKeySlotRules: every landed multi-key command, in the
// in-process cluster, follows Redis' getNodeByQuery (src/cluster.c): the
// keys of one command must hash to one slot, or the reply is
// "-CROSSSLOT Keys in request don't hash to the same slot" (even when the
// first key is another node's: the slots are compared before the owner);
// keys of one slot another node serves are "-MOVED <slot> <addr>"; keys
// sharing a hash tag served here run. K1 K2 K3 in a line stand for the
// keys; K3 is a destination where there is one. The success replies are
// computed by hand from the setup lines (RESP2).
func TestClusterMultiKeySlotRules(t *testing.T) {
	srvs := startCluster(t, 3)
	self := srvs[0]
	// tagOn finds hash tags whose slot the given node serves.
	tagOn := func(node *server.Server, skip map[int]bool) (string, int) {
		for i := 0; ; i++ {
			tag := "t" + strconv.Itoa(i)
			slot := server.KeySlot([]byte(tag))
			if !skip[slot] && srvs[0].Topology().Owner(slot).Addr() == node.Self().Addr() {
				return tag, slot
			}
		}
	}
	l1, s1 := tagOn(self, nil)
	l2, _ := tagOn(self, map[int]bool{s1: true})
	r, rslot := tagOn(srvs[1], nil)
	key := func(tag string, n int) string { return "{" + tag + "}" + strconv.Itoa(n) }
	expand := func(line string, t1, t2, t3 string) []string {
		f := strings.Fields(line)
		for i, a := range f {
			switch a {
			case "K1":
				f[i] = key(t1, 1)
			case "K2":
				f[i] = key(t2, 2)
			case "K3":
				f[i] = key(t3, 3)
			}
		}
		return f
	}
	k2 := key(l1, 2)
	for _, tc := range []struct {
		cmd   string
		setup []string
		want  string
	}{
		{"MSET K1 1 K2 2", nil, Status("OK")},
		{"MSETNX K1 1 K2 2", nil, Int(1)},
		{"MGET K1 K2", []string{"SET K1 x"}, "*2\r\n$1\r\nx\r\n$-1\r\n"},
		{"RENAME K1 K2", []string{"SET K1 x"}, Status("OK")},
		{"RENAMENX K1 K2", []string{"SET K1 x"}, Int(1)},
		{"COPY K1 K2", []string{"SET K1 x"}, Int(1)},
		{"DEL K1 K2", []string{"SET K1 x", "SET K2 y"}, Int(2)},
		{"UNLINK K1 K2", []string{"SET K1 x", "SET K2 y"}, Int(2)},
		{"EXISTS K1 K2", []string{"SET K1 x"}, Int(1)},
		{"TOUCH K1 K2", []string{"SET K1 x"}, Int(1)},
		{"SMOVE K1 K2 m", []string{"SADD K1 m"}, Int(1)},
		{"SINTER K1 K2", []string{"SADD K1 m", "SADD K2 m"}, Strs("m")},
		{"SUNION K1 K2", []string{"SADD K1 m"}, Strs("m")},
		{"SDIFF K1 K2", []string{"SADD K1 m"}, Strs("m")},
		{"SINTERSTORE K3 K1 K2", []string{"SADD K1 m", "SADD K2 m"}, Int(1)},
		{"SUNIONSTORE K3 K1 K2", []string{"SADD K1 m"}, Int(1)},
		{"SDIFFSTORE K3 K1 K2", []string{"SADD K1 m"}, Int(1)},
		{"SINTERCARD 2 K1 K2", []string{"SADD K1 m", "SADD K2 m"}, Int(1)},
		{"LMOVE K1 K2 LEFT RIGHT", []string{"RPUSH K1 a"}, Bulk("a")},
		{"BLMOVE K1 K2 LEFT RIGHT 0", []string{"RPUSH K1 a"}, Bulk("a")},
		{"RPOPLPUSH K1 K2", []string{"RPUSH K1 a"}, Bulk("a")},
		{"BRPOPLPUSH K1 K2 0", []string{"RPUSH K1 a"}, Bulk("a")},
		{"BLPOP K1 K2 0", []string{"RPUSH K2 a"}, Strs(k2, "a")},
		{"BRPOP K1 K2 0", []string{"RPUSH K2 a"}, Strs(k2, "a")},
		{"LMPOP 2 K1 K2 LEFT", []string{"RPUSH K2 a"}, "*2\r\n" + Bulk(k2) + Strs("a")},
		{"BLMPOP 0 2 K1 K2 LEFT", []string{"RPUSH K2 a"}, "*2\r\n" + Bulk(k2) + Strs("a")},
		// "a" & "c" = 0x61 & 0x63: one byte.
		{"BITOP AND K3 K1 K2", []string{"SET K1 a", "SET K2 c"}, Int(1)},
		{"PFCOUNT K1 K2", []string{"PFADD K1 a", "PFADD K2 b"}, Int(2)},
		{"PFMERGE K3 K1 K2", []string{"PFADD K1 a"}, Status("OK")},
		{"XREAD STREAMS K1 K2 0 0", []string{"XADD K2 1-1 f v"},
			"*1\r\n*2\r\n" + Bulk(k2) + "*1\r\n*2\r\n" + Bulk("1-1") + Strs("f", "v")},
		{"XREADGROUP GROUP g c STREAMS K1 K2 > >",
			[]string{"XGROUP CREATE K1 g 0 MKSTREAM", "XGROUP CREATE K2 g 0 MKSTREAM", "XADD K2 1-1 f v"},
			"*1\r\n*2\r\n" + Bulk(k2) + "*1\r\n*2\r\n" + Bulk("1-1") + Strs("f", "v")},
	} {
		t.Run(strings.Fields(tc.cmd)[0]+"_"+strings.Fields(tc.cmd)[1], func(t *testing.T) {
			c := Dial(t, self.Addr())
			cross := Err(server.ErrCrossSlot)
			check := func(what string, args []string, want string) {
				t.Helper()
				if got := string(c.Do(args...).Raw); got != want {
					t.Errorf("%s %q: %q, want %q", what, args, got, want)
				}
			}
			check("keys on two slots of this node", expand(tc.cmd, l1, l2, l1), cross)
			if strings.Contains(tc.cmd, "K3") {
				check("destination on another slot", expand(tc.cmd, l1, l1, l2), cross)
			}
			check("first key another node's, second here", expand(tc.cmd, r, l1, l1), cross)
			check("one slot of another node", expand(tc.cmd, r, r, r),
				Err(fmt.Sprintf("MOVED %d %s", rslot, srvs[1].Addr())))
			MustDo(t, c, "FLUSHALL", "+OK\r\n")
			for _, s := range tc.setup {
				c.Do(expand(s, l1, l1, l1)...)
			}
			check("hash tag", expand(tc.cmd, l1, l1, l1), tc.want)
			// In a transaction the keys of every queued command count
			// together at EXEC, which is then discarded with the error.
			MustDo(t, c, "MULTI", "+OK\r\n")
			MustDo(t, c, "GET", key(l2, 9), "+QUEUED\r\n")
			MustDo(t, c, append(expand(tc.cmd, l1, l1, l1), "+QUEUED\r\n")...)
			check("EXEC over two slots", []string{"EXEC"}, cross)
			MustDo(t, c, "EXEC", Err("ERR EXEC without MULTI"))
		})
	}
}
