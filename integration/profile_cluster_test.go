package integration

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// profileShardKeys are the keys of a shard's profile, as standalone
// FT.PROFILE lists its only shard (clock on).
var profileShardKeys = []string{"Total profile time", "Parsing time", "Pipeline creation time", "Total GIL time",
	"Warning", "Iterators profile", "Result processors profile"}

// TestProfileThroughCoordinator: FT.PROFILE on a 3-shard cluster runs
// through the coordinator. Its results are the plain FT.SEARCH /
// FT.AGGREGATE reply through the same coordinator, every shard's profile is
// listed under "Shards" with the standalone layout, and the coordinator's
// part is 8.2's: its times for SEARCH, its own pipeline for AGGREGATE.
func TestProfileThroughCoordinator(t *testing.T) {
	shards := startCluster(t, 3)
	var cs []*goldenClient
	for _, s := range shards {
		cs = append(cs, dialT(t, s.Addr()))
	}
	mustDo(t, cs[0], "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", "g", "TAG")
	const docs = 30
	for i := 0; i < docs; i++ {
		key := fmt.Sprintf("doc:%d", i)
		mustDo(t, cs[ownerOf(shards, key)], "HSET", key, "t", fmt.Sprintf("hello w%d", i%3), "n", strconv.Itoa(i), "g", fmt.Sprintf("c%d", i%4))
	}
	for _, c := range cs {
		waitIndexedOn(t, c, "idx")
	}

	queries := [][]string{
		{"SEARCH", "hello"},
		{"SEARCH", "hello", "WITHSCORES", "LIMIT", "2", "5"},
		{"SEARCH", "w1|w2", "SORTBY", "n", "DESC", "RETURN", "1", "n"},
		{"SEARCH", "hel*", "NOCONTENT", "LIMIT", "0", "50"},
		{"SEARCH", "*", "LIMIT", "0", "0"},
		{"AGGREGATE", "*", "LOAD", "1", "@t", "SORTBY", "2", "@n", "ASC", "MAX", "100"},
		{"AGGREGATE", "hello", "GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c", "SORTBY", "4", "@c", "DESC", "@g", "ASC"},
		{"AGGREGATE", "*", "LOAD", "1", "@n", "APPLY", "@n*2", "AS", "d", "FILTER", "@d>10", "SORTBY", "2", "@d", "ASC", "LIMIT", "1", "5"},
		{"AGGREGATE", "*", "LIMIT", "0", "0"},
	}
	for qi, q := range queries {
		c := cs[qi%len(cs)]
		plain, err := c.Do(append([]string{"FT." + q[0], "idx"}, q[1:]...)...)
		if err != nil {
			t.Fatal(err)
		}
		cmd := append([]string{"FT.PROFILE", "idx", q[0], "QUERY"}, q[1:]...)
		got, err := c.Do(cmd...)
		if err != nil {
			t.Fatal(err)
		}
		pair, ok := got.([]any)
		if !ok || len(pair) != 2 {
			t.Fatalf("%s: not [results, profile]: %s", formatCmd(cmd), truncate(formatValue(got), 300))
		}
		if w, g := formatValue(plain), formatValue(pair[0]); w != g {
			t.Errorf("%s: results\n got %s\nwant %s", formatCmd(cmd), truncate(g, 400), truncate(w, 400))
		}
		prof := flatMap(t, pair[1], "Shards", "Coordinator")
		list, ok := prof["Shards"].([]any)
		if !ok || len(list) != len(shards) {
			t.Fatalf("%s: Shards %s, want %d shards", formatCmd(cmd), truncate(formatValue(prof["Shards"]), 300), len(shards))
		}
		var lastRows int64 // the rows the shards sent (their last processor's count)
		var indexRows int64
		for _, sh := range list {
			m := flatMap(t, sh, profileShardKeys...)
			for _, k := range profileShardKeys[:4] {
				checkMs(t, cmd, k, m[k])
			}
			if m["Warning"] != "None" {
				t.Errorf("%s: shard Warning %v", formatCmd(cmd), m["Warning"])
			}
			rps := m["Result processors profile"].([]any)
			first := flatMap(t, rps[0], "Type", "Time", "Counter")
			last := flatMap(t, rps[len(rps)-1], "Type", "Time", "Counter")
			if first["Type"] != "Index" {
				t.Errorf("%s: a shard's first processor is %v", formatCmd(cmd), first["Type"])
			}
			indexRows += first["Counter"].(int64)
			lastRows += last["Counter"].(int64)
		}
		if q[0] == "SEARCH" {
			// A shard's Index passes every match: they add up to the total.
			if total := pair[0].([]any)[0].(int64); indexRows != total {
				t.Errorf("%s: the shards' Index processors passed %d rows, total %d", formatCmd(cmd), indexRows, total)
			}
			co := flatMap(t, prof["Coordinator"], "Total Coordinator time", "Post Processing time")
			total, post := checkMs(t, cmd, "Total Coordinator time", co["Total Coordinator time"]),
				checkMs(t, cmd, "Post Processing time", co["Post Processing time"])
			if post > total {
				t.Errorf("%s: Post Processing time %g > Total Coordinator time %g", formatCmd(cmd), post, total)
			}
			continue
		}
		co := flatMap(t, prof["Coordinator"], "Total profile time", "Parsing time", "Pipeline creation time",
			"Total GIL time", "Warning", "Result processors profile")
		for _, k := range []string{"Total profile time", "Parsing time", "Pipeline creation time", "Total GIL time"} {
			checkMs(t, cmd, k, co[k])
		}
		rps := co["Result processors profile"].([]any)
		network := flatMap(t, rps[0], "Type", "Time", "Counter")
		if network["Type"] != "Network" {
			t.Errorf("%s: the coordinator's first processor is %v", formatCmd(cmd), network["Type"])
		}
		if q[len(q)-1] != "0" && network["Counter"].(int64) != lastRows {
			// LIMIT 0 0 aside, the coordinator reads the rows the shards sent.
			t.Errorf("%s: Network read %d rows, the shards sent %d", formatCmd(cmd), network["Counter"], lastRows)
		}
	}

	// LIMITED collapses the children of a prefix's union on every shard.
	for _, limited := range []bool{false, true} {
		cmd := []string{"FT.PROFILE", "idx", "SEARCH", "QUERY", "hel*", "NOCONTENT"}
		if limited {
			cmd = []string{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "hel*", "NOCONTENT"}
		}
		got, err := cs[1].Do(cmd...)
		if err != nil {
			t.Fatal(err)
		}
		list := flatMap(t, got.([]any)[1], "Shards", "Coordinator")["Shards"].([]any)
		for _, sh := range list {
			it := flatMap(t, flatMap(t, sh, profileShardKeys...)["Iterators profile"],
				"Type", "Query type", "Time", "Counter", "Child iterators")
			kids := it["Child iterators"]
			if limited && kids != "The number of iterators in the union is 1" {
				t.Errorf("LIMITED: Child iterators %s", formatValue(kids))
			}
			if arr, ok := kids.([]any); !limited && (!ok || len(arr) != 1) {
				t.Errorf("not LIMITED: Child iterators %s", formatValue(kids))
			}
		}
	}

	// Errors are standalone's, and those of the arguments come from the
	// coordinator's own parse: no shard is asked.
	before := profileCalls(t, cs[2])
	for _, tc := range []struct {
		cmd  []string
		want string
	}{
		{[]string{"FT.PROFILE", "idx", "SEARCH", "QUERY"}, "ERR wrong number of arguments for 'FT.PROFILE' command"},
		{[]string{"FT.PROFILE", "nosuch", "SEARCH", "QUERY", "*"}, "nosuch: no such index"},
		{[]string{"FT.PROFILE", "idx", "FIND", "QUERY", "*"}, "No `SEARCH` or `AGGREGATE` provided"},
		{[]string{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "*"}, "The QUERY keyword is expected"},
		{[]string{"FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "WITHCURSOR"}, "FT.PROFILE does not support cursor"},
	} {
		v, err := cs[0].Do(tc.cmd...)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := v.(errorReply); !ok || string(e) != tc.want {
			t.Errorf("%s: %s, want error %q", formatCmd(tc.cmd), formatValue(v), tc.want)
		}
	}
	// FT.SEARCH's and FT.AGGREGATE's own errors are theirs, whether the
	// coordinator's parse or the shards give them.
	for _, q := range [][]string{
		{"SEARCH", "*", "LIMIT", "0"},
		{"AGGREGATE", "*", "GROUPBY", "1", "@nosuch"},
		{"SEARCH", "hello(", "NOCONTENT"},
	} {
		want, _ := cs[0].Do(append([]string{"FT." + q[0], "idx"}, q[1:]...)...)
		got, _ := cs[0].Do(append([]string{"FT.PROFILE", "idx", q[0], "QUERY"}, q[1:]...)...)
		if _, ok := want.(errorReply); !ok || formatValue(got) != formatValue(want) {
			t.Errorf("FT.PROFILE %q: %s, want %s", q, formatValue(got), formatValue(want))
		}
	}
	if after := profileCalls(t, cs[2]); after != before+1 {
		// Only the shards' syntax error (hello() reached the shards.
		t.Errorf("_FT.PROFILE ran %d times on a shard during the error cases, want 1", after-before)
	}

	// RESP3: {"Results": <the plain RESP3 reply>, "Profile": {"Shards": […],
	// "Coordinator": {…}}}.
	ctx := context.Background()
	r3 := newGoRedis(t, shards[0].Addr(), 3)
	for _, q := range [][]string{queries[0], queries[2], queries[6]} {
		plain, err := r3.Do(ctx, anyArgs(append([]string{"FT." + q[0], "idx"}, q[1:]...))...).Result()
		if err != nil {
			t.Fatal(err)
		}
		got, err := r3.Do(ctx, anyArgs(append([]string{"FT.PROFILE", "idx", q[0], "QUERY"}, q[1:]...))...).Result()
		if err != nil {
			t.Fatal(err)
		}
		top, ok := got.(map[any]any)
		if !ok || len(top) != 2 {
			t.Fatalf("RESP3 %q: %v", q, got)
		}
		if !reflect.DeepEqual(top["Results"], plain) {
			t.Errorf("RESP3 %q: Results\n got %v\nwant %v", q, top["Results"], plain)
		}
		prof := top["Profile"].(map[any]any)
		if keys := mapKeys(prof); keys != "Coordinator,Shards" {
			t.Errorf("RESP3 %q: Profile keys %s", q, keys)
		}
		list := prof["Shards"].([]any)
		if len(list) != len(shards) {
			t.Fatalf("RESP3 %q: %d shards", q, len(list))
		}
		for _, sh := range list {
			m := sh.(map[any]any)
			want := append([]string(nil), profileShardKeys...)
			sort.Strings(want)
			if keys := mapKeys(m); keys != strings.Join(want, ",") {
				t.Errorf("RESP3 %q: shard keys %s", q, keys)
			}
			if _, ok := m["Total profile time"].(float64); !ok {
				t.Errorf("RESP3 %q: Total profile time is %T, not a double", q, m["Total profile time"])
			}
			if _, ok := m["Iterators profile"].(map[any]any); !ok {
				t.Errorf("RESP3 %q: Iterators profile is %T, not a map", q, m["Iterators profile"])
			}
		}
		co := prof["Coordinator"].(map[any]any)
		want := "Post Processing time,Total Coordinator time"
		if q[0] == "AGGREGATE" {
			want = "Parsing time,Pipeline creation time,Result processors profile,Total GIL time,Total profile time,Warning"
		}
		if keys := mapKeys(co); keys != want {
			t.Errorf("RESP3 %q: Coordinator keys %s, want %s", q, keys, want)
		}
	}
}

// flatMap reads a RESP2 flat map whose keys must be exactly keys, in order.
func flatMap(t *testing.T, v any, keys ...string) map[string]any {
	t.Helper()
	arr, ok := v.([]any)
	if !ok || len(arr) != 2*len(keys) {
		t.Fatalf("not a map of %q: %s", keys, truncate(formatValue(v), 300))
	}
	m := map[string]any{}
	for i, k := range keys {
		if arr[2*i] != k {
			t.Fatalf("key %d is %s, want %q: %s", i, formatValue(arr[2*i]), k, truncate(formatValue(v), 300))
		}
		m[k] = arr[2*i+1]
	}
	return m
}

// checkMs checks that a time is a non-negative number of milliseconds (a
// RESP2 double: a bulk string) and returns it.
func checkMs(t *testing.T, cmd []string, key string, v any) float64 {
	t.Helper()
	s, _ := v.(string)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		t.Errorf("%s: %s = %s, not a non-negative number", formatCmd(cmd), key, formatValue(v))
	}
	return f
}

// profileCalls is how many times a node ran `_FT.PROFILE`.
func profileCalls(t *testing.T, c *goldenClient) int {
	t.Helper()
	v, err := c.Do("INFO", "commandstats")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(fmt.Sprint(v), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "cmdstat__ft.profile:calls="); ok {
			n, _ := strconv.Atoi(strings.SplitN(rest, ",", 2)[0])
			return n
		}
	}
	return 0
}

func anyArgs(args []string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

func mapKeys(m map[any]any) string {
	var keys []string
	for k := range m {
		keys = append(keys, fmt.Sprint(k))
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}
