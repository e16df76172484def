package coord

import (
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func val(t *testing.T, raw string) shardReply {
	t.Helper()
	v, ok := parseReply([]byte(raw))
	if !ok {
		t.Fatalf("bad RESP %q", raw)
	}
	return shardReply{val: v}
}

func TestCompareSortKeys(t *testing.T) {
	num := func(s string) redcon.RESP {
		v, _ := parseReply([]byte("$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n"))
		return v
	}
	null, _ := parseReply([]byte("$-1\r\n"))
	for _, tc := range []struct {
		a, b redcon.RESP
		desc bool
		want int
	}{
		{num("#2"), num("#10"), false, -1}, // numerically, not as text
		{num("#2"), num("#10"), true, 1},
		{num("$apple"), num("$banana"), false, -1},
		{null, num("#1"), false, 1}, // missing values last, either way
		{null, num("#1"), true, 1},
		{null, null, false, 0},
	} {
		if got := compareSortKeys(tc.a, tc.b, tc.desc); got != tc.want {
			t.Errorf("compare(%q, %q, desc %v) = %d, want %d", tc.a.Raw, tc.b.Raw, tc.desc, got, tc.want)
		}
	}
}

// TestWriteSearch: shards answer the first offset+num results with scores
// and sort keys; the merge adds the totals, orders across shards, cuts the
// page and writes only what the client asked for.
func TestWriteSearch(t *testing.T) {
	shard1 := "*5\r\n:3\r\n$2\r\nd1\r\n$3\r\n0.9\r\n$2\r\nd3\r\n$3\r\n0.5\r\n"
	shard2 := "*5\r\n:2\r\n$2\r\nd2\r\n$3\r\n0.7\r\n$2\r\nd4\r\n$3\r\n0.1\r\n"
	plan := &module.SearchPlan{Offset: 1, Num: 2, NoContent: true}
	w := resp.NewWriter(2)
	writeSearch(w, plan, []shardReply{val(t, shard1), val(t, shard2)}, false)
	if got, want := string(w.Bytes()), "*3\r\n:5\r\n$2\r\nd2\r\n$2\r\nd3\r\n"; got != want {
		t.Fatalf("by score, page 1..2:\n got %q\nwant %q", got, want)
	}
	plan.WithScores = true
	w = resp.NewWriter(3)
	writeSearch(w, plan, []shardReply{val(t, shard1), {}}, true)
	got := string(w.Bytes())
	if want := "%5\r\n+attributes\r\n*0\r\n+format\r\n+STRING\r\n+results\r\n*1\r\n%3\r\n+id\r\n$2\r\nd3\r\n+score\r\n,0.5\r\n+values\r\n*0\r\n+total_results\r\n:3\r\n+warning\r\n*1\r\n+Timeout limit was reached\r\n"; got != want {
		t.Fatalf("partial after a timeout, RESP3:\n got %q\nwant %q", got, want)
	}
	w = resp.NewWriter(2)
	plan.FailOnTime = true
	writeSearch(w, plan, []shardReply{val(t, shard1), {}}, true)
	if got := string(w.Bytes()); got != "-Timeout limit was reached\r\n" {
		t.Fatalf("ON_TIMEOUT fail: %q", got)
	}
	w = resp.NewWriter(2)
	writeSearch(w, &module.SearchPlan{Num: 10}, []shardReply{val(t, shard1), val(t, "-No such index idx\r\n")}, false)
	if got := string(w.Bytes()); got != "-No such index idx\r\n" {
		t.Fatalf("a shard's error: %q", got)
	}
}

// knnShard builds a shard's `_FT.SEARCH` RESP2 reply to a KNN query
// without SORTBY by the distance: total, then per result key, score and
// the required distance ("#d").
func knnShard(total int, hits ...[2]string) string {
	s := "*" + strconv.Itoa(1+3*len(hits)) + "\r\n:" + strconv.Itoa(total) + "\r\n"
	for _, h := range hits {
		for _, v := range []string{h[0], "0", "#" + h[1]} {
			s += "$" + strconv.Itoa(len(v)) + "\r\n" + v + "\r\n"
		}
	}
	return s
}

// TestWriteSearchKNN: the K nearest across the shards are kept (not each
// shard's first ones, not the sum of the totals), then ordered by score
// and key as any query without SORTBY; the total is their number.
func TestWriteSearchKNN(t *testing.T) {
	// KNN 3 over two shards, each sending its 3 nearest. By hand: the
	// distances 0.25 (b), 0.5 (a), 0.5 (e), 1 (c), 2.25 (d), 4 (f); the 3
	// nearest are b, a and e (a and e tie at 0.5, both kept).
	s1 := knnShard(3, [2]string{"a", "0.5"}, [2]string{"c", "1"}, [2]string{"d", "2.25"})
	s2 := knnShard(3, [2]string{"b", "0.25"}, [2]string{"e", "0.5"}, [2]string{"f", "4"})
	knn := &module.KNNPlan{K: 3, Field: "__v_score", ShouldSort: true, ShardKRatio: 1, Requested: 10}
	plan := &module.SearchPlan{Num: 10, NoContent: true, KNN: knn}
	w := resp.NewWriter(2)
	writeSearch(w, plan, []shardReply{val(t, s1), val(t, s2)}, false)
	// Score 0 everywhere: by key.
	if got, want := string(w.Bytes()), "*4\r\n:3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\ne\r\n"; got != want {
		t.Fatalf("KNN 3:\n got %q\nwant %q", got, want)
	}
	// K 2: a and e tie at 0.5 for the second place; the key breaks it (a).
	knn.K = 2
	w = resp.NewWriter(2)
	writeSearch(w, plan, []shardReply{val(t, s1), val(t, s2)}, false)
	if got, want := string(w.Bytes()), "*3\r\n:2\r\n$1\r\na\r\n$1\r\nb\r\n"; got != want {
		t.Fatalf("KNN 2:\n got %q\nwant %q", got, want)
	}
	// K larger than the candidates: all 6, total 6.
	knn.K = 10
	plan.Offset, plan.Num = 4, 10
	w = resp.NewWriter(2)
	writeSearch(w, plan, []shardReply{val(t, s1), val(t, s2)}, false)
	if got, want := string(w.Bytes()), "*3\r\n:6\r\n$1\r\ne\r\n$1\r\nf\r\n"; got != want {
		t.Fatalf("KNN 10, LIMIT 4 10:\n got %q\nwant %q", got, want)
	}
	// SORTBY the distance: the shards' sort keys are the distances, the
	// usual merge keeps the nearest, and the total is at most K.
	sorted1 := "*5\r\n:3\r\n$1\r\na\r\n$1\r\n0\r\n$4\r\n#0.5\r\n$1\r\nc\r\n$1\r\n0\r\n$2\r\n#1\r\n"
	sorted2 := "*5\r\n:3\r\n$1\r\nb\r\n$1\r\n0\r\n$5\r\n#0.25\r\n$1\r\ne\r\n$1\r\n0\r\n$4\r\n#0.5\r\n"
	plan = &module.SearchPlan{Num: 2, NoContent: true, SortBy: true,
		KNN: &module.KNNPlan{K: 3, Field: "__v_score", ShardKRatio: 1, Requested: 2}}
	w = resp.NewWriter(2)
	writeSearch(w, plan, []shardReply{val(t, sorted1), val(t, sorted2)}, false)
	if got, want := string(w.Bytes()), "*3\r\n:3\r\n$1\r\nb\r\n$1\r\na\r\n"; got != want {
		t.Fatalf("KNN 3 SORTBY distance LIMIT 0 2:\n got %q\nwant %q", got, want)
	}
}

// TestWriteSearchSortDescTies: equal sort keys go by key, ascending under
// ASC and descending under DESC (cmp_results reverses the whole
// comparison).
func TestWriteSearchSortDescTies(t *testing.T) {
	shard1 := "*7\r\n:2\r\n$1\r\na\r\n$1\r\n0\r\n$2\r\n#1\r\n$1\r\nc\r\n$1\r\n0\r\n$2\r\n#2\r\n"
	shard2 := "*4\r\n:1\r\n$1\r\nb\r\n$1\r\n0\r\n$2\r\n#1\r\n"
	for _, tc := range []struct {
		desc bool
		want string
	}{
		{false, "*4\r\n:3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{true, "*4\r\n:3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	} {
		plan := &module.SearchPlan{Num: 10, NoContent: true, SortBy: true, SortDesc: tc.desc}
		w := resp.NewWriter(2)
		writeSearch(w, plan, []shardReply{val(t, shard1), val(t, shard2)}, false)
		if got := string(w.Bytes()); got != tc.want {
			t.Errorf("SORTBY desc=%v:\n got %q\nwant %q", tc.desc, got, tc.want)
		}
	}
}
