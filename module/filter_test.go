package module

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
)

// ids is the NOCONTENT reply listing these keys.
func filterIDs(keys ...string) string {
	elems := []string{testutil.Int(int64(len(keys)))}
	for _, k := range keys {
		elems = append(elems, testutil.Bulk(k))
	}
	return testutil.Arr(elems...)
}

// A key is indexed when the filter is true; false, or a field the filter
// reads that the hash lacks, keeps it out, and neither counts as an
// indexing failure.
func TestFilterTrueFalseMissing(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "PREFIX", "1", "s:", "FILTER", "@age > 16", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "s:1", "t", "hello", "age", "20", testutil.Int(2)},
		{"HSET", "s:2", "t", "hello", "age", "16", testutil.Int(2)},
		{"HSET", "s:3", "t", "hello", testutil.Int(1)},
		{"HSET", "s:4", "t", "hello", "age", "abc", testutil.Int(2)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("s:1")},
	})
	for field, want := range map[string]string{"num_docs": "1", "max_doc_id": "1", "hash_indexing_failures": "0"} {
		if got := infoField(t, c, "idx", field); got != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
}

// An update that makes the filter false removes the document; one that
// makes it true indexes it (under a new id); removing the field it reads
// removes it again.
func TestFilterUpdateFlipsDocument(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "FILTER", "@age > 16", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "a", "t", "hello", "age", "20", testutil.Int(2)},
		{"HSET", "b", "t", "hello", "age", "10", testutil.Int(2)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("a")},
		// age is not a schema field: writing it alone re-evaluates the filter.
		{"HSET", "a", "age", "3", testutil.Int(0)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs()},
		{"HSET", "b", "age", "30", testutil.Int(0)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("b")},
		{"HSET", "a", "age", "17", testutil.Int(0)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("b", "a")},
		{"HDEL", "b", "age", testutil.Int(1)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("a")},
	})
	if got := infoField(t, c, "idx", "num_docs"); got != "1" {
		t.Errorf("num_docs = %s, want 1", got)
	}
}

// The initial scan of FT.CREATE indexes only what the filter admits.
func TestFilterInitialScan(t *testing.T) {
	_, c := searchServer(t)
	for i, age := range []string{"10", "20", "30", "5"} {
		k := "p:" + string(rune('a'+i))
		testutil.MustDo(t, c, "HSET", k, "t", "hello", "age", age, testutil.Int(2))
	}
	testutil.MustDo(t, c, "FT.CREATE", "idx", "FILTER", "@age >= 20", "SCHEMA", "t", "TEXT", testutil.OK)
	waitFilterScan(t, c, "idx")
	searchSet(t, c, []string{"p:b", "p:c"}, "FT.SEARCH", "idx", "hello", "NOCONTENT")
}

// searchSet checks a NOCONTENT search's keys whatever their order (a scan
// visits keys in keyspace order, which decides their ids).
func searchSet(t *testing.T, c *testutil.Conn, want []string, args ...string) {
	t.Helper()
	r := c.Do(args...)
	var got []string
	r.ForEach(func(v resp.Reply) bool { got = append(got, v.String()); return true })
	if len(got) == 0 || got[0] != strconv.Itoa(len(want)) {
		t.Fatalf("%q: got %q, want %d keys %q", args, got, len(want), want)
	}
	got = got[1:]
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Fatalf("%q: got %q, want %q", args, got, want)
	}
}

// FT.ALTER re-indexes every key again through the filter: the documents
// it admitted get the new attribute, the others stay out.
func TestFilterAlterRescan(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "PREFIX", "1", "d:", "FILTER", "@kind == 'keep'", "SCHEMA", "t", "TEXT", testutil.OK},
		{"HSET", "d:1", "t", "hello", "kind", "keep", "n", "1", testutil.Int(3)},
		{"HSET", "d:2", "t", "hello", "kind", "drop", "n", "2", testutil.Int(3)},
		{"HSET", "d:3", "t", "hello", "kind", "keep", "n", "3", testutil.Int(3)},
		{"FT.SEARCH", "idx", "hello", "NOCONTENT", filterIDs("d:1", "d:3")},
		{"FT.ALTER", "idx", "SCHEMA", "ADD", "n", "NUMERIC", testutil.OK},
	})
	waitFilterScan(t, c, "idx")
	searchSet(t, c, []string{"d:1", "d:3"}, "FT.SEARCH", "idx", "@n:[1 3]", "NOCONTENT")
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "@n:[2 2]", "NOCONTENT", filterIDs())
	if got := infoField(t, c, "idx", "num_docs"); got != "2" {
		t.Errorf("num_docs = %s, want 2", got)
	}
	// Writes after the rescan still go through the filter.
	testutil.MustDoAll(t, c, [][]string{
		{"HSET", "d:2", "kind", "keep", testutil.Int(0)},
		{"HSET", "d:1", "kind", "drop", testutil.Int(0)},
		{"FT.SEARCH", "idx", "@n:[1 3]", "NOCONTENT", filterIDs("d:3", "d:2")},
	})
}

// A filter that does not parse fails FT.CREATE with the parser's message,
// after the rule's other checks (score, language) and before SCHEMA's and
// before an unknown argument; no index is left behind.
func TestFilterSyntaxErrorAtCreate(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "FILTER", "@age >", "SCHEMA", "t", "TEXT", testutil.Err("Syntax error at offset 5 near 'age'")},
		{"FT.CREATE", "idx", "FILTER", "nosuch(@a)", "SCHEMA", "t", "TEXT", testutil.Err("Unknown function name 'nosuch'")},
		{"FT.CREATE", "idx", "FILTER", "foo", "SCHEMA", "t", "TEXT", testutil.Err("Unknown symbol 'foo'")},
		{"FT.CREATE", "idx", "FILTER", "@age >", "SCHEMA", testutil.Err("Syntax error at offset 5 near 'age'")},
		{"FT.CREATE", "idx", "FILTER", "@age >", "BOGUS", "SCHEMA", "t", "TEXT", testutil.Err("Syntax error at offset 5 near 'age'")},
		{"FT.CREATE", "idx", "FILTER", "@age >", "NOOFFSETS", testutil.Err("Syntax error at offset 5 near 'age'")},
		{"FT.CREATE", "idx", "FILTER", "@age >", "LANGUAGE", "klingon", "SCHEMA", "t", "TEXT", testutil.Err("Invalid language")},
		{"FT.CREATE", "idx", "FILTER", "@age >", "SCORE", "2", "SCHEMA", "t", "TEXT", testutil.Err("Invalid score")},
		{"FT.CREATE", "idx", "NOOFFSETS", "FILTER", testutil.Err("Bad arguments for FILTER: Expected an argument, but none provided")},
		{"FT._LIST", testutil.Arr()},
		// The last FILTER given counts.
		{"FT.CREATE", "idx", "FILTER", "@age >", "FILTER", "@age > 1", "SCHEMA", "t", "TEXT", testutil.OK},
	})
	if got := infoField(t, c, "idx", "index_name"); got != "idx" {
		t.Fatalf("index_name = %s", got)
	}
}

// @__key is the key's name unless the hash has a field of that name; a
// property naming a schema attribute (alias or identifier) reads the
// attribute's hash field, any other reads the hash field of its name.
func TestFilterProperties(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing", "FILTER", `startswith(@__key, "thing:")`, "SCHEMA", "name", "TEXT", testutil.OK},
		{"HSET", "thing:1", "name", "foo", testutil.Int(1)},
		{"HSET", "thingy", "name", "foo", testutil.Int(1)},
		{"HSET", "thingz", "name", "foo", "__key", "thing:z", testutil.Int(2)},
		{"FT.SEARCH", "things", "foo", "NOCONTENT", filterIDs("thing:1", "thingz")},
		// A rename that makes the filter false removes the document.
		{"RENAME", "thing:1", "thingx", testutil.OK},
		{"FT.SEARCH", "things", "foo", "NOCONTENT", filterIDs("thingz")},
		{"RENAME", "thingx", "thing:2", testutil.OK},
		{"FT.SEARCH", "things", "foo", "NOCONTENT", filterIDs("thingz", "thing:2")},

		{"FT.CREATE", "al", "PREFIX", "1", "al:", "FILTER", "@years > 16 && @raw_name == 'bob' && @other == 'x'",
			"SCHEMA", "raw_age", "AS", "years", "NUMERIC", "raw_name", "AS", "name", "TEXT", testutil.OK},
		{"HSET", "al:1", "raw_age", "20", "raw_name", "bob", "other", "x", testutil.Int(3)},
		{"HSET", "al:2", "raw_age", "20", "raw_name", "bob", "other", "y", testutil.Int(3)},
		{"HSET", "al:3", "years", "20", "raw_name", "bob", "other", "x", testutil.Int(3)},
		{"FT.SEARCH", "al", "*", "NOCONTENT", filterIDs("al:1")},
	})
}

// FT.INFO shows the filter as given, right after the prefixes.
func TestFilterInfo(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "PREFIX", "1", "a:", "FILTER", "@age   >16", "SCHEMA", "t", "TEXT", testutil.OK)
	r := c.Do("FT.INFO", "idx")
	want := testutil.Arr(testutil.Status("key_type"), testutil.Status("HASH"), testutil.Status("prefixes"),
		testutil.Arr(testutil.Status("a:")), testutil.Status("filter"), testutil.Status("@age   >16"))
	if !strings.Contains(string(r.Raw), strings.TrimPrefix(want, "*6\r\n")) {
		t.Fatalf("FT.INFO index_definition lacks the filter: %q", r.Raw)
	}
}

// waitIndexed waits for the index's background scan to end.
func waitFilterScan(t *testing.T, c *testutil.Conn, idx string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for infoField(t, c, idx, "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the scan did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Missing fields, as RediSearch's test_filter.py has them (8.2 with the
// MOD-14340 and MOD-14342 backports): the initial scan and writes agree, a
// comparison with a missing field is false, and || still admits a hash whose
// other side holds.
func TestFilterMissingFieldsScanAndWrites(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"HSET", "h1", "d2", "1", testutil.Int(1)},
		{"FT.CREATE", "and", "FILTER", "@d1==0 && @d2==0", "SCHEMA", "d1", "NUMERIC", "d2", "NUMERIC", testutil.OK},
		{"FT.CREATE", "or", "FILTER", "@d1==0 || @d2==0", "SCHEMA", "d1", "NUMERIC", "d2", "NUMERIC", testutil.OK},
		{"FT.CREATE", "not", "FILTER", "!(@d1 == 5)", "SCHEMA", "d1", "NUMERIC", "d2", "NUMERIC", testutil.OK},
	})
	waitFilterScan(t, c, "and")
	waitFilterScan(t, c, "or")
	waitFilterScan(t, c, "not")
	testutil.MustDoAll(t, c, [][]string{
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs()},
		{"FT.SEARCH", "or", "*", "NOCONTENT", filterIDs()},
		{"FT.SEARCH", "not", "*", "NOCONTENT", filterIDs("h1")},
		{"HSET", "h2", "d2", "1", testutil.Int(1)},
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs()},
		{"HSET", "h3", "d2", "0", testutil.Int(1)},
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs()},
		{"FT.SEARCH", "or", "*", "NOCONTENT", filterIDs("h3")},
		{"HSET", "h4", "d1", "0", "d2", "0", testutil.Int(2)},
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs("h4")},
		{"HSET", "h2", "d1", "0", testutil.Int(1)},
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs("h4")},
		{"HSET", "h2", "d2", "0", testutil.Int(0)},
		{"FT.SEARCH", "and", "*", "NOCONTENT", filterIDs("h4", "h2")},
		{"HSET", "h5", "d1", "5", testutil.Int(1)},
		{"FT.SEARCH", "not", "@d1:[5 5]", "NOCONTENT", filterIDs()},
		// A value that does not convert for a numeric comparison: not indexed.
		{"FT.CREATE", "price", "PREFIX", "1", "p:", "FILTER", "@price > 100", "SCHEMA", "price", "TEXT", testutil.OK},
		{"HSET", "p:1", "price", "hello", testutil.Int(1)},
		{"HSET", "p:2", "price", "150", testutil.Int(1)},
		{"HSET", "p:3", "price", "50", testutil.Int(1)},
		{"FT.SEARCH", "price", "*", "NOCONTENT", filterIDs("p:2")},
	})
}

// Two indexes with the same alias over different hash fields each read
// their own field (test_filter.py, testFilterWithAliasedFieldsHash).
func TestFilterSameAliasTwoIndexes(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx1", "ON", "HASH", "FILTER", `@name=="John"`, "SCHEMA", "name1", "AS", "name", "TEXT", testutil.OK},
		{"FT.CREATE", "idx2", "ON", "HASH", "FILTER", `@name=="John"`, "SCHEMA", "name2", "AS", "name", "TEXT", testutil.OK},
		{"HSET", "doc1", "name1", "Jeff", "name2", "John", testutil.Int(2)},
		{"HSET", "doc2", "name1", "John", "name2", "Bill", testutil.Int(2)},
		{"HSET", "doc3", "name1", "John", "name2", "John", testutil.Int(2)},
		{"HSET", "doc4", "name1", "Bill", "name2", "Jeff", testutil.Int(2)},
		{"FT.SEARCH", "idx1", "*", "NOCONTENT", filterIDs("doc2", "doc3")},
		{"FT.SEARCH", "idx2", "*", "NOCONTENT", filterIDs("doc1", "doc3")},
	})
}
