package integration

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// The vector cluster corpus: 2-d FLOAT32 vectors (FLAT, L2), every
// coordinate a multiple of 1/4, so that every squared distance is exact in
// float32 and prints exactly. From the query q = (0.25, 0.25), by hand:
//
//	key   v              cat   price  L2 to q
//	v:01  ( 0,     0)    red    10    0.0625+0.0625 = 0.125
//	v:02  ( 0.25,  0)    blue   20    0     +0.0625 = 0.0625
//	v:03  ( 0.75,  0.25) red    30    0.25  +0      = 0.25
//	v:04  ( 1,     0)    blue   40    0.5625+0.0625 = 0.625
//	v:05  ( 0,    -0.75) red    50    0.0625+1      = 1.0625
//	v:06  ( 1.25,  1)    blue   60    1     +0.5625 = 1.5625
//	v:07  (-1.5,   0.5)  red    70    3.0625+0.0625 = 3.125
//	v:08  ( 2,    -0.25) blue   80    3.0625+0.25   = 3.3125
//	v:09  (-0.25,  2.25) red    90    0.25  +4      = 4.25
//	v:10  ( 2.5,   2.5)  blue  100    5.0625+5.0625 = 10.125
//
// Nearest first: v:02, v:01, v:03, v:04, v:05, v:06, v:07, v:08, v:09,
// v:10 (no two distances tie). The documents are written in key order, so
// a standalone shard's internal ids follow the keys, and the orders that
// fall back on ids there (equal scores) fall back on keys through a
// coordinator alike.
var vectorClusterDocs = []struct {
	key   string
	x, y  float32
	cat   string
	price string
}{
	{"v:01", 0, 0, "red", "10"},
	{"v:02", 0.25, 0, "blue", "20"},
	{"v:03", 0.75, 0.25, "red", "30"},
	{"v:04", 1, 0, "blue", "40"},
	{"v:05", 0, -0.75, "red", "50"},
	{"v:06", 1.25, 1, "blue", "60"},
	{"v:07", -1.5, 0.5, "red", "70"},
	{"v:08", 2, -0.25, "blue", "80"},
	{"v:09", -0.25, 2.25, "red", "90"},
	{"v:10", 2.5, 2.5, "blue", "100"},
}

// vectorClusterSetup loads the corpus into a standalone shard and into a
// 3-shard cluster (each HSET on its slot's owner, FT.CREATE through the
// first shard), and returns the standalone address and the shards.
func vectorClusterSetup(t *testing.T, config ...string) (string, []*server.Server) {
	t.Helper()
	single := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}})
	shards := startCluster(t, 3, config...)
	one := dialT(t, single.Addr())
	var clients []*goldenClient
	for _, s := range shards {
		clients = append(clients, dialT(t, s.Addr()))
	}
	create := []string{"FT.CREATE", "vidx", "ON", "HASH", "PREFIX", "1", "v:", "SCHEMA",
		"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2",
		"cat", "TAG", "price", "NUMERIC", "SORTABLE"}
	mustDo(t, one, create...)
	mustDo(t, clients[0], create...)
	holders := map[int]bool{}
	for _, d := range vectorClusterDocs {
		hset := []string{"HSET", d.key, "v", vecBlob(d.x, d.y), "cat", d.cat, "price", d.price}
		mustDo(t, one, hset...)
		i := ownerOf(shards, d.key)
		holders[i] = true
		mustDo(t, clients[i], hset...)
	}
	if len(holders) < 2 {
		t.Fatalf("the corpus is on %d shard(s); the test needs it spread", len(holders))
	}
	waitIndexedOn(t, one, "vidx")
	for _, c := range clients {
		waitIndexedOn(t, c, "vidx")
	}
	return single.Addr(), shards
}

// vcCase is a command and its expected reply, built by hand from the
// corpus' table: RESP2, and RESP3 when resp3 is not "".
type vcCase struct {
	name  string
	args  []string
	resp2 string
	resp3 string
}

// TestVectorClusterSearch: FT.SEARCH with KNN and VECTOR_RANGE clauses
// through the coordinator of every shard of a 3-shard cluster gives the
// standalone shard's reply, and both give the reply computed by hand.
func TestVectorClusterSearch(t *testing.T) {
	soloAddr, shards := vectorClusterSetup(t)
	q := vecBlob(0.25, 0.25)
	st := testutil.Status
	b := testutil.Bulk
	a := testutil.Arr
	i := testutil.Int
	dist := func(name, d string) string { return a(b(name), b(d)) }
	// RESP3: a result with its fields, and the reply around the results.
	row3 := func(key string, kv ...string) string {
		var m []string
		for _, s := range kv {
			m = append(m, b(s))
		}
		return testutil.Map3(st("id"), b(key), st("extra_attributes"), testutil.Map3(m...), st("values"), a())
	}
	id3 := func(key string) string { return testutil.Map3(st("id"), b(key), st("values"), a()) }
	reply3 := func(total int64, rows ...string) string {
		return testutil.Map3(st("attributes"), a(), st("format"), st("STRING"), st("results"), a(rows...),
			st("total_results"), i(total), st("warning"), a())
	}
	search := func(query string, rest ...string) []string {
		return append([]string{"FT.SEARCH", "vidx", query, "PARAMS", "2", "B", q, "DIALECT", "2"}, rest...)
	}
	cases := []vcCase{
		{
			// KNN 3 without SORTBY: the 3 nearest (v:02, v:01, v:03), all
			// scored 0, so by id / key.
			name: "KNN 3, no SORTBY",
			args: search("*=>[KNN 3 @v $B]", "RETURN", "1", "__v_score"),
			resp2: a(i(3), b("v:01"), dist("__v_score", "0.125"), b("v:02"), dist("__v_score", "0.0625"),
				b("v:03"), dist("__v_score", "0.25")),
			resp3: reply3(3, row3("v:01", "__v_score", "0.125"), row3("v:02", "__v_score", "0.0625"),
				row3("v:03", "__v_score", "0.25")),
		},
		{
			// K beyond the page: the 5 nearest (v:01..v:05 by key), the
			// page [0, 2) and [3, 5) of them; the total is K.
			name:  "KNN 5, LIMIT 0 2",
			args:  search("*=>[KNN 5 @v $B]", "NOCONTENT", "LIMIT", "0", "2"),
			resp2: a(i(5), b("v:01"), b("v:02")),
			resp3: reply3(5, id3("v:01"), id3("v:02")),
		},
		{
			name:  "KNN 5, LIMIT 3 2",
			args:  search("*=>[KNN 5 @v $B]", "NOCONTENT", "LIMIT", "3", "2"),
			resp2: a(i(5), b("v:04"), b("v:05")),
			resp3: reply3(5, id3("v:04"), id3("v:05")),
		},
		{
			// SORTBY the distance: nearest first.
			name: "KNN 4 AS dist, SORTBY dist",
			args: search("*=>[KNN 4 @v $B AS dist]", "SORTBY", "dist", "RETURN", "1", "dist"),
			resp2: a(i(4), b("v:02"), dist("dist", "0.0625"), b("v:01"), dist("dist", "0.125"),
				b("v:03"), dist("dist", "0.25"), b("v:04"), dist("dist", "0.625")),
			resp3: reply3(4, row3("v:02", "dist", "0.0625"), row3("v:01", "dist", "0.125"),
				row3("v:03", "dist", "0.25"), row3("v:04", "dist", "0.625")),
		},
		{
			// A page of it: the 2nd and 3rd nearest; the total stays K.
			name:  "KNN 4 AS dist, SORTBY dist DESC LIMIT 1 2",
			args:  search("*=>[KNN 4 @v $B]=>{$YIELD_DISTANCE_AS: dist}", "SORTBY", "dist", "DESC", "LIMIT", "1", "2", "NOCONTENT"),
			resp2: a(i(4), b("v:03"), b("v:01")),
			resp3: reply3(4, id3("v:03"), id3("v:01")),
		},
		{
			// SORTBY another field: the 4 nearest (prices 20, 10, 30, 40),
			// by price, highest first; not the 4 highest prices of the
			// shards' candidates.
			name: "KNN 4, SORTBY price DESC",
			args: search("*=>[KNN 4 @v $B AS dist]", "SORTBY", "price", "DESC", "RETURN", "2", "dist", "price"),
			resp2: a(i(4), b("v:04"), a(b("dist"), b("0.625"), b("price"), b("40")),
				b("v:03"), a(b("dist"), b("0.25"), b("price"), b("30")),
				b("v:02"), a(b("dist"), b("0.0625"), b("price"), b("20")),
				b("v:01"), a(b("dist"), b("0.125"), b("price"), b("10"))),
			resp3: reply3(4, row3("v:04", "dist", "0.625", "price", "40"), row3("v:03", "dist", "0.25", "price", "30"),
				row3("v:02", "dist", "0.0625", "price", "20"), row3("v:01", "dist", "0.125", "price", "10")),
		},
		{
			name:  "KNN 4, SORTBY price ASC LIMIT 0 2",
			args:  search("*=>[KNN 4 @v $B]", "SORTBY", "price", "LIMIT", "0", "2", "NOCONTENT"),
			resp2: a(i(4), b("v:01"), b("v:02")),
		},
		{
			// Hybrid: the blue ones (v:02 0.0625, v:04 0.625, v:06 1.5625,
			// v:08 3.3125, v:10 10.125), the 2 nearest.
			name:  "hybrid tag, KNN 2",
			args:  search("(@cat:{blue})=>[KNN 2 @v $B AS dist]", "SORTBY", "dist", "RETURN", "1", "dist"),
			resp2: a(i(2), b("v:02"), dist("dist", "0.0625"), b("v:04"), dist("dist", "0.625")),
			resp3: reply3(2, row3("v:02", "dist", "0.0625"), row3("v:04", "dist", "0.625")),
		},
		{
			// Price 50 to 100 (v:05..v:10), the 3 nearest: v:05 1.0625,
			// v:06 1.5625, v:07 3.125; equal scores, so by id / key.
			name:  "hybrid numeric, KNN 3, no SORTBY",
			args:  search("(@price:[50 100])=>[KNN 3 @v $B]", "NOCONTENT"),
			resp2: a(i(3), b("v:05"), b("v:06"), b("v:07")),
			resp3: reply3(3, id3("v:05"), id3("v:06"), id3("v:07")),
		},
		{
			// K beyond the candidates: the 5 red ones, nearest first; the
			// total is the number of candidates.
			name: "hybrid, K > candidates",
			args: search("(@cat:{red})=>[KNN 10 @v $B AS dist]", "SORTBY", "dist", "RETURN", "1", "dist"),
			resp2: a(i(5), b("v:01"), dist("dist", "0.125"), b("v:03"), dist("dist", "0.25"),
				b("v:05"), dist("dist", "1.0625"), b("v:07"), dist("dist", "3.125"), b("v:09"), dist("dist", "4.25")),
		},
		{
			name:  "hybrid, K > candidates, no SORTBY",
			args:  search("(@price:[0 35])=>[KNN 10 @v $B]", "NOCONTENT"),
			resp2: a(i(3), b("v:01"), b("v:02"), b("v:03")),
		},
		{
			name:  "KNN 10, count only",
			args:  search("*=>[KNN 7 @v $B]", "LIMIT", "0", "0"),
			resp2: a(i(7)),
			resp3: reply3(7),
		},
		{
			name:  "KNN 0",
			args:  search("*=>[KNN 0 @v $B]"),
			resp2: a(i(0)),
		},
		{
			// K from a parameter.
			name:  "KNN $K",
			args:  append(search("*=>[KNN $K @v $B]", "NOCONTENT"), "PARAMS", "4", "B", q, "K", "2"),
			resp2: a(i(2), b("v:01"), b("v:02")),
		},
		{
			// VECTOR_RANGE keeps every document within the radius
			// (distance <= 1.1: v:02, v:01, v:03, v:04, v:05), from every
			// shard.
			name: "VECTOR_RANGE, SORTBY distance",
			args: search("@v:[VECTOR_RANGE 1.1 $B]=>{$YIELD_DISTANCE_AS: d}", "SORTBY", "d", "RETURN", "1", "d"),
			resp2: a(i(5), b("v:02"), dist("d", "0.0625"), b("v:01"), dist("d", "0.125"), b("v:03"), dist("d", "0.25"),
				b("v:04"), dist("d", "0.625"), b("v:05"), dist("d", "1.0625")),
			resp3: reply3(5, row3("v:02", "d", "0.0625"), row3("v:01", "d", "0.125"), row3("v:03", "d", "0.25"),
				row3("v:04", "d", "0.625"), row3("v:05", "d", "1.0625")),
		},
		{
			name:  "VECTOR_RANGE, no SORTBY",
			args:  search("@v:[VECTOR_RANGE 1.6 $B]", "NOCONTENT", "LIMIT", "1", "4"),
			resp2: a(i(6), b("v:02"), b("v:03"), b("v:04"), b("v:05")),
		},
		{
			// A range with another clause: red within 1.1.
			name:  "VECTOR_RANGE and a tag",
			args:  search("@cat:{red} @v:[VECTOR_RANGE 1.1 $B]=>{$YIELD_DISTANCE_AS: d}", "SORTBY", "d", "NOCONTENT"),
			resp2: a(i(3), b("v:01"), b("v:03"), b("v:05")),
		},
	}
	check := func(t *testing.T, c *testutil.Conn, where string, tc vcCase, want string) {
		t.Helper()
		c.Send(tc.args...)
		got, err := c.ReadN(len(want))
		if got != want {
			t.Errorf("%s, %s:\n got %q (%v)\nwant %q", tc.name, where, got, err, want)
		}
	}
	for _, proto := range []int{2, 3} {
		addrs := []string{soloAddr}
		for _, s := range shards {
			addrs = append(addrs, s.Addr())
		}
		for ai, addr := range addrs {
			where := "standalone"
			if ai > 0 {
				where = "coordinator on shard " + string(rune('0'+ai-1))
			}
			for _, tc := range cases {
				want := tc.resp2
				if proto == 3 {
					if tc.resp3 == "" {
						continue
					}
					want = tc.resp3
				}
				c := testutil.Dial(t, addr)
				if proto == 3 {
					c.Hello3()
				}
				check(t, c, where+" RESP"+string(rune('0'+proto)), tc, want)
				c.Close()
			}
		}
	}
}

// TestVectorClusterAggregate: FT.AGGREGATE over a KNN clause through the
// coordinator runs its pipeline on the K nearest across the shards, as the
// standalone shard does; its rows equal the standalone's and the rows
// computed by hand. (The first element, the module's row count, is not
// compared: a cluster counts otherwise.)
func TestVectorClusterAggregate(t *testing.T) {
	soloAddr, shards := vectorClusterSetup(t)
	q := vecBlob(0.25, 0.25)
	agg := func(query string, rest ...string) []string {
		return append([]string{"FT.AGGREGATE", "vidx", query, "PARAMS", "2", "B", q, "DIALECT", "2"}, rest...)
	}
	rows := func(rs ...string) string { return strings.Join(rs, "|") }
	cases := []struct {
		name string
		args []string
		want string // rows, each "name=value,…", joined by "|"
	}{
		{
			// Without SORTBY the KNN rows come nearest first.
			name: "KNN 3",
			args: agg("*=>[KNN 3 @v $B AS dist]"),
			want: rows("dist=0.0625", "dist=0.125", "dist=0.25"),
		},
		{
			// The 4 nearest (prices 20, 10, 30, 40), by twice the price.
			name: "KNN 4, APPLY, SORTBY",
			args: agg("*=>[KNN 4 @v $B AS dist]", "LOAD", "1", "@price", "APPLY", "@price * 2", "AS", "p2",
				"SORTBY", "2", "@p2", "DESC"),
			want: rows("dist=0.625,price=40,p2=80", "dist=0.25,price=30,p2=60",
				"dist=0.0625,price=20,p2=40", "dist=0.125,price=10,p2=20"),
		},
		{
			// Grouped after the cut to K: of the 4 nearest, v:02 and v:04
			// are blue, v:01 and v:03 red.
			name: "KNN 4, GROUPBY",
			args: agg("*=>[KNN 4 @v $B AS dist]", "GROUPBY", "1", "@cat", "REDUCE", "COUNT", "0", "AS", "n",
				"REDUCE", "MIN", "1", "@dist", "AS", "best", "SORTBY", "2", "@cat", "ASC"),
			want: rows("cat=blue,n=2,best=0.0625", "cat=red,n=2,best=0.125"),
		},
		{
			// FILTER after the cut: of the 5 nearest, those under 0.5.
			name: "KNN 5, FILTER",
			args: agg("*=>[KNN 5 @v $B AS dist]", "FILTER", "@dist < 0.5"),
			want: rows("dist=0.0625", "dist=0.125", "dist=0.25"),
		},
		{
			// A page of the KNN rows.
			name: "KNN 5, LIMIT 1 2",
			args: agg("*=>[KNN 5 @v $B AS dist]", "LIMIT", "1", "2"),
			want: rows("dist=0.125", "dist=0.25"),
		},
	}
	addrs := []string{soloAddr}
	for _, s := range shards {
		addrs = append(addrs, s.Addr())
	}
	for _, tc := range cases {
		for ai, addr := range addrs {
			c := dialT(t, addr)
			v, err := c.Do(tc.args...)
			if err != nil {
				t.Fatalf("%s on %s: %v", tc.name, addr, err)
			}
			got := aggRowsString(v)
			if got != tc.want {
				t.Errorf("%s, server %d (0: standalone):\n got %s\nwant %s", tc.name, ai, got, tc.want)
			}
		}
	}
}

// aggRowsString renders an FT.AGGREGATE reply's rows as "name=value,…"
// joined by "|" (an error as itself).
func aggRowsString(v any) string {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return "reply " + fmtAny(v)
	}
	var out []string
	for _, r := range arr[1:] {
		fields, _ := r.([]any)
		var kv []string
		for j := 0; j+1 < len(fields); j += 2 {
			kv = append(kv, fmtAny(fields[j])+"="+fmtAny(fields[j+1]))
		}
		out = append(out, strings.Join(kv, ","))
	}
	return strings.Join(out, "|")
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case errorReply:
		return "error: " + string(v)
	case nil:
		return "<nil>"
	}
	return fmt.Sprint(v)
}

// TestVectorClusterShardKRatio: with $SHARD_K_RATIO each shard of the
// 3-shard cluster is asked for max(ceil(K/3), ceil(K × ratio)) neighbours
// (calculateEffectiveK): KNN 6 with ratio 0.1 asks each for 2, so the
// coordinator returns, of each shard's documents, its 2 nearest (the
// module's test_insufficient_docs_per_shard), while a standalone shard
// ignores the ratio and returns the 6 nearest.
func TestVectorClusterShardKRatio(t *testing.T) {
	soloAddr, shards := vectorClusterSetup(t)
	q := vecBlob(0.25, 0.25)
	// The corpus' keys nearest first (the table above).
	nearestFirst := []string{"v:02", "v:01", "v:03", "v:04", "v:05", "v:06", "v:07", "v:08", "v:09", "v:10"}
	perShard := map[int]int{}
	var want []string
	for _, key := range nearestFirst {
		if i := ownerOf(shards, key); perShard[i] < 2 {
			perShard[i]++
			want = append(want, key)
		}
	}
	sort.Strings(want) // score 0: by key
	args := []string{"FT.SEARCH", "vidx", "*=>[KNN 6 @v $B]=>{$SHARD_K_RATIO: 0.1}", "PARAMS", "2", "B", q,
		"NOCONTENT", "DIALECT", "2"}
	ids := func(v any) string {
		arr, _ := v.([]any)
		var out []string
		for _, x := range arr {
			out = append(out, fmtAny(x))
		}
		return strings.Join(out, " ")
	}
	solo, err := dialT(t, soloAddr).Do(args...)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(solo), "6 v:01 v:02 v:03 v:04 v:05 v:06"; got != want {
		t.Errorf("standalone: got %s, want %s", got, want)
	}
	wantCluster := strconv.Itoa(len(want)) + " " + strings.Join(want, " ")
	if wantCluster == "6 v:01 v:02 v:03 v:04 v:05 v:06" {
		t.Fatalf("the corpus' placement (%v per shard) does not tell the ratio from none", perShard)
	}
	for i, s := range shards {
		v, err := dialT(t, s.Addr()).Do(args...)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(v); got != wantCluster {
			t.Errorf("through shard %d: got %s, want %s", i, got, wantCluster)
		}
	}
	// Ratio 1 (the default) asks every shard for K: the 6 nearest.
	args[2] = "*=>[KNN 6 @v $B]=>{$SHARD_K_RATIO: 1}"
	v, err := dialT(t, shards[1].Addr()).Do(args...)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(v), "6 v:01 v:02 v:03 v:04 v:05 v:06"; got != want {
		t.Errorf("ratio 1: got %s, want %s", got, want)
	}
}
