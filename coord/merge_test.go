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
