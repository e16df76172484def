package integration

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestAggregateClusterMatchesStandalone runs every FT.AGGREGATE of the
// golden corpus on one shard holding every document and through the
// coordinator of a 3-shard cluster, and requires the same answers: the
// same error, or the same total and the same rows, with the last SORTBY's
// keys in the same order. What a cluster cannot reproduce is left out of
// the comparison, and only that:
//   - the order of rows equal on every sort key (a shard breaks ties by its
//     own document ids);
//   - FIRST_VALUE's value when several rows tie (or without BY): the first
//     row read, which follows ids on one shard and shards in a cluster;
//   - TOLIST's order (a set), and the last digits of sums whose terms are
//     added in another order (floats compare at 1e-9), which ceil() and
//     floor() can turn into a different cent: roundedSums lists those
//     columns.
func TestAggregateClusterMatchesStandalone(t *testing.T) {
	files := loadCorpus(t, testutil.GoldenSeed1, "setup.jsonl", "aggregate.jsonl")
	setup, lines := files["setup.jsonl"], files["aggregate.jsonl"]

	single := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}})
	one := dialT(t, single.Addr())
	shards := startCluster(t, 3)
	var shardClients []*goldenClient
	for _, s := range shards {
		shardClients = append(shardClients, dialT(t, s.Addr()))
	}

	// The setup: everything on the single shard; in the cluster each HSET
	// to its slot's shard, the rest (FLUSHALL, FT.CREATE through the
	// coordinator) as a client would send it.
	var all [][]string
	perShard := make([][][]string, len(shards))
	for _, l := range setup {
		all = append(all, l.Cmd)
		switch strings.ToUpper(l.Cmd[0]) {
		case "HSET":
			i := ownerOf(shards, l.Cmd[1])
			perShard[i] = append(perShard[i], l.Cmd)
		case "FLUSHALL":
			for _, c := range shardClients {
				mustDo(t, c, l.Cmd...)
			}
		default:
			mustDo(t, shardClients[0], l.Cmd...)
		}
	}
	mustPipeline(t, one, all)
	for i, cmds := range perShard {
		mustPipeline(t, shardClients[i], cmds)
	}
	for _, idx := range []string{"idx", "idx2", "idx3"} {
		waitIndexedOn(t, one, idx)
		for _, c := range shardClients {
			waitIndexedOn(t, c, idx)
		}
	}

	compared := 0
	for i, l := range lines {
		coordinator := shardClients[i%len(shardClients)]
		want, err1 := one.Do(l.Cmd...)
		got, err2 := coordinator.Do(l.Cmd...)
		if err1 != nil || err2 != nil {
			t.Fatalf("line %d: transport: %v / %v", l.Line, err1, err2)
		}
		if d := compareAggregates(l.Cmd, want, got, roundedSums[l.Line]); d != "" {
			t.Errorf("aggregate.jsonl:%d %s\n%s", l.Line, truncate(formatCmd(l.Cmd), 300), d)
			continue
		}
		compared++
	}
	t.Logf("%d of %d FT.AGGREGATE lines answer the same through a 3-shard cluster", compared, len(lines))
}

func dialT(t *testing.T, addr string) *goldenClient {
	t.Helper()
	c, err := dialGolden(addr, goldenTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func ownerOf(shards []*server.Server, key string) int {
	slot := server.KeySlot([]byte(key))
	for i, s := range shards {
		if s.Topology().Owner(slot) == s.Self() {
			return i
		}
	}
	return 0
}

func mustDo(t *testing.T, c *goldenClient, args ...string) {
	t.Helper()
	v, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%s: %v", formatCmd(args), err)
	}
	if e, ok := v.(errorReply); ok {
		t.Fatalf("%s: %s", formatCmd(args), e)
	}
}

func mustPipeline(t *testing.T, c *goldenClient, cmds [][]string) {
	t.Helper()
	replies, err := c.Pipeline(cmds, 500)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range replies {
		if e, ok := v.(errorReply); ok {
			t.Fatalf("%s: %s", formatCmd(cmds[i]), e)
		}
	}
}

func waitIndexedOn(t *testing.T, c *goldenClient, idx string) {
	t.Helper()
	r := &goldenRun{client: c}
	if err := r.waitIndexed(idx); err != nil {
		t.Fatalf("wait for %s: %v", idx, err)
	}
}

// roundedSums are the golden lines whose APPLY rounds a SUM to cents: the
// sum's last bits depend on the order its terms were added in (23818.55
// is 23818.549999… on one shard and 23818.550000…1 through a cluster), and
// ceil/floor make that a cent.
var roundedSums = map[int]string{
	261: "sum_r", // ceil(@sum * 100) / 100
	289: "sum_r", // floor(@sum * 100) / 100
}

// compareAggregates compares a standalone and a cluster FT.AGGREGATE reply
// (see TestAggregateClusterMatchesStandalone); "" when they agree.
func compareAggregates(cmd []string, want, got any, rounded string) string {
	if we, ok := want.(errorReply); ok {
		if ge, ok := got.(errorReply); !ok || ge != we {
			return fmt.Sprintf("  want error %q\n  got %s", we, truncate(formatValue(got), 300))
		}
		return ""
	}
	w, ok1 := want.([]any)
	g, ok2 := got.([]any)
	if !ok1 || !ok2 || len(w) == 0 || len(g) == 0 {
		return fmt.Sprintf("  want %s\n  got %s", truncate(formatValue(want), 300), truncate(formatValue(got), 300))
	}
	if fmt.Sprint(w[0]) != fmt.Sprint(g[0]) {
		return fmt.Sprintf("  total: want %v, got %v", w[0], g[0])
	}
	ignore := reducerAliases(cmd, "FIRST_VALUE")
	if rounded != "" {
		ignore[rounded] = true
	}
	wr, gr := aggregateRowsOf(w[1:], ignore), aggregateRowsOf(g[1:], ignore)
	if len(wr) != len(gr) {
		return fmt.Sprintf("  %d rows, want %d\n  want %s\n  got %s", len(gr), len(wr), truncate(formatValue(want), 300), truncate(formatValue(got), 300))
	}
	// The last SORTBY's keys come in the same order.
	for _, k := range lastSortKeys(cmd) {
		for i := range wr {
			if !sameValue(wr[i][k], gr[i][k]) {
				return fmt.Sprintf("  row %d: @%s = %v, want %v", i, k, gr[i][k], wr[i][k])
			}
		}
	}
	// The rows are the same, in any order.
	used := make([]bool, len(gr))
	for i, row := range wr {
		found := false
		for j := range gr {
			if !used[j] && sameRow(row, gr[j]) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("  row %d %v not in the cluster's answer %s", i, row, truncate(formatValue(got), 400))
		}
	}
	return ""
}

// aggregateRowsOf turns reply rows into maps, without the ignored columns.
func aggregateRowsOf(rows []any, ignore map[string]bool) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = map[string]any{}
		kv, _ := r.([]any)
		for j := 0; j+1 < len(kv); j += 2 {
			name := fmt.Sprint(kv[j])
			if !ignore[name] {
				out[i][name] = kv[j+1]
			}
		}
	}
	return out
}

func sameRow(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !sameValue(v, w) {
			return false
		}
	}
	return true
}

// sameValue compares values: numbers at 1e-9, arrays as multisets.
func sameValue(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok || bok {
		if !aok || !bok || len(as) != len(bs) {
			return false
		}
		x, y := make([]string, len(as)), make([]string, len(bs))
		for i := range as {
			x[i], y[i] = fmt.Sprint(as[i]), fmt.Sprint(bs[i])
		}
		sort.Strings(x)
		sort.Strings(y)
		return fmt.Sprint(x) == fmt.Sprint(y)
	}
	sa, sb := fmt.Sprint(a), fmt.Sprint(b)
	if sa == sb {
		return true
	}
	fa, err1 := strconv.ParseFloat(sa, 64)
	fb, err2 := strconv.ParseFloat(sb, 64)
	return err1 == nil && err2 == nil && math.Abs(fa-fb) <= 1e-9*math.Max(math.Abs(fa), math.Abs(fb))
}

// lastSortKeys are the properties of the command's last SORTBY, when no
// GROUPBY follows it.
func lastSortKeys(cmd []string) []string {
	var keys []string
	for i := 0; i < len(cmd); i++ {
		if strings.EqualFold(cmd[i], "GROUPBY") {
			keys = nil
			continue
		}
		if !strings.EqualFold(cmd[i], "SORTBY") || i+1 >= len(cmd) {
			continue
		}
		n, err := strconv.Atoi(cmd[i+1])
		if err != nil {
			continue
		}
		keys = nil
		for _, a := range cmd[i+2 : min(i+2+n, len(cmd))] {
			if strings.HasPrefix(a, "@") {
				keys = append(keys, a[1:])
			}
		}
	}
	return keys
}
