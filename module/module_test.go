package module

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The benchmark's corpus generator links bleve, whose analysis workers
	// start at package init and never stop.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/blevesearch/bleve_index_api.AnalysisWorker"))
}

// searchServer starts a server with the search module.
func searchServer(t *testing.T) (*server.Server, *testutil.Conn) {
	t.Helper()
	s := server.RunT(t, server.Options{Modules: []server.Module{New()}})
	return s, testutil.Dial(t, s.Addr())
}

// infoField reads one FT.INFO field as a string.
func infoField(t *testing.T, c *testutil.Conn, idx, field string) string {
	t.Helper()
	r := c.Do("FT.INFO", idx)
	var out string
	found := false
	prev := ""
	r.ForEach(func(v resp.Reply) bool {
		if prev == field {
			out, found = v.String(), true
			return false
		}
		prev = v.String()
		return true
	})
	if !found {
		t.Fatalf("FT.INFO %s has no %s: %s", idx, field, r.Raw)
	}
	return out
}

// loadHashes writes n hashes doc:<i> through one pipeline.
func loadHashes(t *testing.T, c *testutil.Conn, n int) {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "*6\r\n$4\r\nHSET\r\n$%d\r\ndoc:%d\r\n$1\r\nt\r\n$%d\r\nhello w%d\r\n$1\r\nn\r\n$%d\r\n%d\r\n",
			len("doc:"+strconv.Itoa(i)), i, len("hello w"+strconv.Itoa(i)), i, len(strconv.Itoa(i)), i)
	}
	c.SendRaw(b.String())
	for i := 0; i < n; i++ {
		if r := c.Read(); r.Int() != 2 {
			t.Fatalf("HSET %d: %s", i, r.Raw)
		}
	}
}

// The initial scan of a large keyspace runs in batches, and hands the main
// thread over between them: a PING sent between two batches is answered
// before the next one; the index ends up complete.
func TestBackgroundScanKeepsServing(t *testing.T) {
	m := New()
	// Batches of 100 keys: 40 000 keys make 400 batches, whatever the
	// machine's speed.
	m.debug.scanBatchKeys = 100
	probe := newYieldProbe()
	m.debug.betweenBatches = probe.at
	s := server.RunT(t, server.Options{Modules: []server.Module{m}})
	c := testutil.Dial(t, s.Addr())
	const n = 40000
	loadHashes(t, c, n)
	probe.start(t, s)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	// No other command until the PING the probe sends between two batches
	// is answered (a liveness bound).
	select {
	case <-probe.ponged:
	case <-time.After(30 * time.Second):
		t.Fatal("no PING answered in 30 s")
	}
	deadline := time.Now().Add(30 * time.Second)
	for infoField(t, c, "idx", "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the initial scan did not finish in 30 s")
		}
		time.Sleep(time.Millisecond)
	}
	probe.check(t, "the initial scan")
	if got := infoField(t, c, "idx", "num_docs"); got != strconv.Itoa(n) {
		t.Fatalf("num_docs = %s, want %d", got, n)
	}
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "w39999", "NOCONTENT",
		testutil.Arr(testutil.Int(1), testutil.Bulk("doc:39999")))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "@n:[100 102]", "NOCONTENT", "SORTBY", "n",
		testutil.Arr(testutil.Int(3), testutil.Bulk("doc:100"), testutil.Bulk("doc:101"), testutil.Bulk("doc:102")))
}

// A TEMPORARY index goes away once unused for its seconds.
func TestTemporaryIndexExpires(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "tmp", "TEMPORARY", "1", "SCHEMA", "t", "TEXT", testutil.OK)
	testutil.MustDo(t, c, "FT.CREATE", "keep", "SCHEMA", "t", "TEXT", testutil.OK)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := c.Do("FT._LIST")
		if r.Count == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the temporary index is still there: %s", r.Raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	testutil.MustDo(t, c, "FT._LIST", testutil.Arr(testutil.Status("keep")))
	testutil.MustDo(t, c, "FT.SEARCH", "tmp", "*", testutil.Err("No such index tmp"))
}

// RENAME within an index keeps the document's id; renaming out and back
// in gives a new one.
func TestRenameKeepsDocumentID(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "doc:1", "t", "hello", testutil.Int(1)},
		{"HSET", "doc:2", "t", "hello", testutil.Int(1)},
		{"RENAME", "doc:1", "doc:9", testutil.OK},
	})
	if got := infoField(t, c, "idx", "max_doc_id"); got != "2" {
		t.Fatalf("max_doc_id after RENAME = %s, want 2", got)
	}
	// doc:9 kept id 1, so it still comes first among equal scores.
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "hello", "NOCONTENT",
		testutil.Arr(testutil.Int(2), testutil.Bulk("doc:9"), testutil.Bulk("doc:2")))
	testutil.MustDoAll(t, c, [][]string{
		{"RENAME", "doc:9", "other:9", testutil.OK},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", testutil.Arr(testutil.Int(1), testutil.Bulk("doc:2"))},
		{"RENAME", "other:9", "doc:9", testutil.OK},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", testutil.Arr(testutil.Int(2), testutil.Bulk("doc:2"), testutil.Bulk("doc:9"))},
		// Renaming onto an indexed key replaces that document.
		{"RENAME", "doc:2", "doc:9", testutil.OK},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", testutil.Arr(testutil.Int(1), testutil.Bulk("doc:9"))},
	})
	if got := infoField(t, c, "idx", "num_docs"); got != "1" {
		t.Fatalf("num_docs = %s, want 1", got)
	}
}

// FT.DROP deletes the documents unless KEEPDOCS.
func TestLegacyDrop(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "a", "PREFIX", "1", "a:", "SCHEMA", "t", "TEXT", testutil.OK},
		{"FT.CREATE", "b", "PREFIX", "1", "b:", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "a:1", "t", "x", testutil.Int(1)},
		{"HSET", "b:1", "t", "x", testutil.Int(1)},
		{"FT.DROP", "a", testutil.OK},
		{"EXISTS", "a:1", testutil.Int(0)},
		{"FT.DROP", "b", "KEEPDOCS", testutil.OK},
		{"EXISTS", "b:1", testutil.Int(1)},
		{"FT.DROP", "b", testutil.Err("b: no such index")},
	})
}

// A NUMERIC value that does not parse rejects the document and counts.
func TestIndexingFailure(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "g", "GEO", testutil.OK},
		{"HSET", "a", "t", "hello", "n", "42", testutil.Int(2)},
		{"HSET", "b", "t", "hello", "n", "world", testutil.Int(2)},
		{"HSET", "c", "t", "hello", "g", "200,100", testutil.Int(2)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", testutil.Arr(testutil.Int(1), testutil.Bulk("a"))},
	})
	if got := infoField(t, c, "idx", "hash_indexing_failures"); got != "2" {
		t.Fatalf("hash_indexing_failures = %s, want 2", got)
	}
	// Fixing the value indexes the document.
	testutil.MustDo(t, c, "HSET", "b", "n", "7", testutil.Int(0))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "@n:[7 7]", "NOCONTENT", testutil.Arr(testutil.Int(1), testutil.Bulk("b")))
}

// NOFREQS keeps no term frequencies: every match counts once.
func TestNoFreqs(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "plain", "PREFIX", "1", "p:", "SCHEMA", "t", "TEXT", testutil.OK},
		{"FT.CREATE", "nofreqs", "PREFIX", "1", "n:", "NOFREQS", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "p:1", "t", "hello hello hello", testutil.Int(1)},
		{"HSET", "n:1", "t", "hello hello hello", testutil.Int(1)},
		{"FT.SEARCH", "plain", "hello", "VERBATIM", "WITHSCORES", "NOCONTENT", "SCORER", "DISMAX",
			testutil.Arr(testutil.Int(1), testutil.Bulk("p:1"), testutil.Bulk("3"))},
		{"FT.SEARCH", "nofreqs", "hello", "VERBATIM", "WITHSCORES", "NOCONTENT", "SCORER", "DISMAX",
			testutil.Arr(testutil.Int(1), testutil.Bulk("n:1"), testutil.Bulk("1"))},
	})
}
