package module

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// ADDSCORES puts @__score first in every row, readable by later steps.
func TestAggregateAddScores(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCORE_FIELD", "sc", "SCHEMA", "t", "TEXT", OK)
	MustDo(t, c, "HSET", "d1", "t", "hello", "sc", "0.5", Int(2))
	MustDo(t, c, "HSET", "d2", "t", "hello world", "sc", "1", Int(2))
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "SCORER", "DOCSCORE", "ADDSCORES", "LOAD", "1", "@__key", "SORTBY", "2", "@__score", "DESC",
		Arr(Int(2),
			Arr(Bulk("__score"), Bulk("1"), Bulk("__key"), Bulk("d2")),
			Arr(Bulk("__score"), Bulk("0.5"), Bulk("__key"), Bulk("d1"))))
	// The total counts the documents read when the first row came out: d1,
	// filtered out, then d2 (a FILTER does not lower it in 2.10's replies).
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "SCORER", "DOCSCORE", "ADDSCORES", "APPLY", "@__score * 10", "AS", "s", "FILTER", "@s > 7",
		Arr(Int(2), Arr(Bulk("__score"), Bulk("1"), Bulk("s"), Bulk("10"))))
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "APPLY", "@__score", "AS", "s",
		Err("Property `__score` not loaded nor in pipeline"))
}

// matched_terms() lists the query terms each document matched.
func TestAggregateMatchedTerms(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	MustDo(t, c, "HSET", "d1", "t", "hello world", Int(1))
	MustDo(t, c, "HSET", "d2", "t", "hello moon", Int(1))
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello|moon", "VERBATIM", "LOAD", "1", "@__key", "APPLY", "matched_terms()", "AS", "m", "SORTBY", "2", "@__key", "ASC",
		Arr(Int(2),
			Arr(Bulk("__key"), Bulk("d1"), Bulk("m"), Arr(Bulk("hello"))),
			Arr(Bulk("__key"), Bulk("d2"), Bulk("m"), Arr(Bulk("hello"), Bulk("moon")))))
	// A query without terms matches none.
	MustDo(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@__key", "APPLY", "matched_terms()", "AS", "m", "SORTBY", "2", "@__key", "ASC", "MAX", "1",
		Arr(Int(2), Arr(Bulk("__key"), Bulk("d1"), Bulk("m"), Nil)))
}

// A WITHCURSOR aggregation whose client stops waiting gets a cursor
// reply's shape: the timed-out chunk and cursor id 0.
func TestAggregateCursorTimeoutShape(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	MustDo(t, c, "HSET", "d1", "t", "hello", Int(1))
	MustDo(t, c, "CONFIG", "SET", "search-_debug-query-delay", "1500", OK)
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "TIMEOUT", "50", "WITHCURSOR",
		Arr(Arr(Int(0)), Int(0)))
	MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "TIMEOUT", "50",
		Arr(Int(0)))
}

// GROUPBY keys a group by the hash of its values, and the module hashes a
// number's eight bytes (RSValue_Hash: fnv_64a_buf(&numval, sizeof(double))):
// -0 and 0 are two groups, both printed "0". Seed-3 aggregate.jsonl line 14
// (GROUPBY on ceil(@price / 3), where prices in (-3, 0) give -0) records
// 1332 groups, four more than merging -0 into 0 gives.
func TestAggregateNegativeZeroGroup(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "p", "NUMERIC", OK)
	MustDo(t, c, "HSET", "d1", "p", "-1.38", Int(1))
	MustDo(t, c, "HSET", "d2", "p", "0", Int(1))
	MustDo(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@p", "APPLY", "ceil(@p / 3)", "AS", "c",
		"GROUPBY", "1", "@c", "REDUCE", "COUNT", "0", "AS", "n",
		Arr(Int(2), Arr(Bulk("c"), Bulk("0"), Bulk("n"), Bulk("1")), Arr(Bulk("c"), Bulk("0"), Bulk("n"), Bulk("1"))))
}
