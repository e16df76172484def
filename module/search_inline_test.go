package module

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestInlineQueryYields: with no workers, a long query runs on the main
// thread and yields every few milliseconds, so a PING sent while it runs is
// answered before it ends.
func TestInlineQueryYields(t *testing.T) {
	s, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	const n = 40000
	loadHashes(t, c, n)
	ping := testutil.Dial(t, s.Addr())
	pingFirst := 0
	var slowest time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		c.Send("FT.SEARCH", "idx", "hello", "LIMIT", "0", "1", "TIMEOUT", "0")
		queryDone := make(chan time.Time, 1)
		go func() {
			r := c.Read()
			if len(elems(r)) != 3 {
				t.Errorf("FT.SEARCH hello: %s", r.Raw)
			}
			queryDone <- time.Now()
		}()
		time.Sleep(time.Millisecond)
		testutil.MustDo(t, ping, "PING", testutil.Status("PONG"))
		pinged := time.Now()
		done := <-queryDone
		slowest = max(slowest, done.Sub(start))
		if pinged.Before(done) {
			pingFirst++
		}
	}
	t.Logf("%d of 5 PINGs answered during a query; the slowest query took %v", pingFirst, slowest)
	if slowest > 20*time.Millisecond && pingFirst == 0 {
		t.Fatalf("queries of up to %v never let a PING through", slowest)
	}
}

func elems(r resp.Reply) []resp.Reply {
	var out []resp.Reply
	r.ForEach(func(v resp.Reply) bool {
		out = append(out, v)
		return true
	})
	return out
}

// TestInlineQueryDuringScan: inline queries that yield while the initial
// scan writes to the index start again rather than read stale postings;
// every reply is whole and counts at most what was loaded.
func TestInlineQueryDuringScan(t *testing.T) {
	m := New()
	s := server.RunT(t, server.Options{Modules: []server.Module{m}})
	c := testutil.Dial(t, s.Addr())
	const n = 40000
	loadHashes(t, c, n)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	deadline := time.Now().Add(30 * time.Second)
	for infoField(t, c, "idx", "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the initial scan did not finish in 30 s")
		}
		r := c.Do("FT.SEARCH", "idx", "hello", "SORTBY", "n", "LIMIT", "0", "2", "TIMEOUT", "0")
		e := elems(r)
		if len(e) == 0 {
			t.Fatalf("FT.SEARCH during the scan: %s", r.Raw)
		}
		total := e[0].Int()
		if len(e) != 1+2*min(int(total), 2) || total > n {
			t.Fatalf("FT.SEARCH during the scan: %s", r.Raw)
		}
		if total >= 2 {
			a, _ := strconv.Atoi(strings.TrimPrefix(e[1].String(), "doc:"))
			b, _ := strconv.Atoi(strings.TrimPrefix(e[3].String(), "doc:"))
			if a >= b {
				t.Fatalf("results during the scan not in SORTBY order: %s, %s", e[1].String(), e[3].String())
			}
		}
	}
	t.Logf("%d queries started again after a yield", m.restarts.Load())
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "w"+strconv.Itoa(n-1), "NOCONTENT",
		testutil.Arr(testutil.Int(1), testutil.Bulk("doc:"+strconv.Itoa(n-1))))
}
