package module

import (
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// keys is NOCONTENT's reply: the total, then the keys in order.
func sortKeys(total int64, keys ...string) string {
	elems := []string{testutil.Int(total)}
	for _, k := range keys {
		elems = append(elems, testutil.Bulk(k))
	}
	return testutil.Arr(elems...)
}

// TestSortColumnMaintenance: SORTBY a SORTABLE field reads the document
// table's sort column (index/doctable.go), which must follow every write.
// The expected orders are worked by hand from the module's sorter: missing
// values last in both directions, ties by document id in the sort's
// direction (ASC: indexed first; DESC: indexed last), and a rewritten hash
// re-indexed under a new, larger id.
func TestSortColumnMaintenance(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "d", "SCHEMA",
		"t", "TEXT", "n", "NUMERIC", "SORTABLE", "s", "TEXT", "SORTABLE", testutil.OK)
	testutil.MustDo(t, c, "HSET", "d1", "t", "x", "n", "5", "s", "Prefixlong-B", testutil.Int(3))
	testutil.MustDo(t, c, "HSET", "d2", "t", "x", "n", "3", "s", "prefixlong-a", testutil.Int(3))
	testutil.MustDo(t, c, "HSET", "d3", "t", "x", "s", "zed", testutil.Int(2)) // no n
	testutil.MustDo(t, c, "HSET", "d4", "t", "x", "n", "5", "s", "prefixlong-c", testutil.Int(3))
	testutil.MustDo(t, c, "HSET", "d5", "t", "x", "n", "-inf", testutil.Int(2)) // no s

	// ids d1..d5 = 1..5. ASC: -inf(5), 3(2), 5(1), 5(4) — the tie by id —,
	// then the missing one (3).
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC",
		sortKeys(5, "d5", "d2", "d1", "d4", "d3"))
	// DESC: 5(4), 5(1) — the tie by id, descending —, 3, -inf, missing.
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "DESC",
		sortKeys(5, "d4", "d1", "d2", "d5", "d3"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC", "LIMIT", "1", "2",
		sortKeys(5, "d2", "d1"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "DESC", "LIMIT", "3", "5",
		sortKeys(5, "d5", "d3"))
	// One kept: d4 (id 4) displaces d1 (id 1) in their tie in DESC, and
	// does not in ASC.
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "DESC", "LIMIT", "0", "1",
		sortKeys(5, "d4"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC", "LIMIT", "2", "1",
		sortKeys(5, "d1"))

	// Strings: folded to lower case; the first three share their first 8
	// bytes ("prefixlo"), so the column's prefix cannot order them.
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "ASC",
		sortKeys(5, "d2", "d1", "d4", "d3", "d5"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "DESC",
		sortKeys(5, "d3", "d4", "d1", "d2", "d5"))
	// One kept: the heap's worst is compared by prefix first ("zed" is
	// dropped by its prefix in ASC, kept in DESC).
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "ASC", "LIMIT", "0", "1",
		sortKeys(5, "d2"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "DESC", "LIMIT", "0", "1",
		sortKeys(5, "d3"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "DESC", "LIMIT", "1", "1",
		sortKeys(5, "d4"))

	// An update changes the value: d2 goes from 3 to 7 (id 6).
	testutil.MustDo(t, c, "HSET", "d2", "n", "7", testutil.Int(0))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC",
		sortKeys(5, "d5", "d1", "d4", "d2", "d3"))
	// Rewriting d1 with the same value moves it behind d4 in the tie (id 7).
	testutil.MustDo(t, c, "HSET", "d1", "n", "5", testutil.Int(0))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC",
		sortKeys(5, "d5", "d4", "d1", "d2", "d3"))
	// The value removed: d5 now sorts as missing, after d3 (id 8 > 3).
	testutil.MustDo(t, c, "HDEL", "d5", "n", testutil.Int(1))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC",
		sortKeys(5, "d4", "d1", "d2", "d3", "d5"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "DESC",
		sortKeys(5, "d2", "d1", "d4", "d5", "d3"))
	// FT.AGGREGATE's SORTBY of a SORTABLE NUMERIC reads the matches' copies
	// of the column (index.MatchOptions.SortSlot): the same order, the
	// value shown in the row, none for a document without it.
	row := func(key, n string) string {
		if n == "" {
			return testutil.Arr(testutil.Bulk("__key"), testutil.Bulk(key))
		}
		return testutil.Arr(testutil.Bulk("__key"), testutil.Bulk(key), testutil.Bulk("n"), testutil.Bulk(n))
	}
	testutil.MustDo(t, c, "FT.AGGREGATE", "idx", "x", "LOAD", "1", "@__key", "SORTBY", "2", "@n", "ASC", "MAX", "4",
		testutil.Arr(testutil.Int(5), row("d4", "5"), row("d1", "5"), row("d2", "7"), row("d3", "")))
	testutil.MustDo(t, c, "FT.AGGREGATE", "idx", "x", "LOAD", "1", "@__key", "SORTBY", "2", "@n", "DESC", "MAX", "4",
		testutil.Arr(testutil.Int(5), row("d2", "7"), row("d1", "5"), row("d4", "5"), row("d5", "")))
	// A deleted document leaves the column.
	testutil.MustDo(t, c, "DEL", "d4", testutil.Int(1))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "n", "ASC",
		sortKeys(4, "d1", "d2", "d3", "d5"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "s", "ASC",
		sortKeys(4, "d2", "d1", "d3", "d5"))

	// FT.ALTER adds a SORTABLE field and re-indexes the documents in the
	// background (new ids, in keyspace order, so only the documents with a
	// value are asked for: their order does not depend on ids). Until a
	// document is re-indexed it has no slot in the new column and sorts by
	// its hash's value; after, by the column.
	testutil.MustDo(t, c, "HSET", "d1", "m", "2", testutil.Int(1))
	testutil.MustDo(t, c, "HSET", "d2", "m", "1", testutil.Int(1))
	testutil.MustDo(t, c, "FT.ALTER", "idx", "SCHEMA", "ADD", "m", "NUMERIC", "SORTABLE", testutil.OK)
	testutil.MustDo(t, c, "HSET", "d6", "t", "x", "m", "1.5", testutil.Int(2))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "m", "ASC", "LIMIT", "0", "3",
		sortKeys(5, "d2", "d6", "d1"))
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "x", "NOCONTENT", "SORTBY", "m", "DESC", "LIMIT", "0", "2",
		sortKeys(5, "d1", "d6"))
}
