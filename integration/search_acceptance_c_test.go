package integration

import (
	"fmt"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// kittyFixture is test.py::testNumericRange's data: 100 docs, title "hello
// kitty", score i, price 100+10i.
func kittyFixture(s *session) {
	s.t.Helper()
	s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "score", "numeric", "price", "numeric", OK)
	s.hsetDocs(100, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
		return []string{"title", "hello kitty", "score", fmt.Sprint(i), "price", fmt.Sprint(100 + 10*i)}
	})
}

// TestSearchAcceptanceNumeric: §5 C, NUMERIC fields (C19–C22).
func TestSearchAcceptanceNumeric(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C19 inclusive and exclusive ranges, infinities", func(s *session) {
			kittyFixture(s)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[0 100]", "NOCONTENT"), 100, 10)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[0 50]", "NOCONTENT"), 51, 10)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[(0 (50]", "VERBATIM", "NOCONTENT", "LIMIT", "0", "100"), 49, 49)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[-inf +inf]", "NOCONTENT"), 100, 10)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[-inf inf]", "NOCONTENT"), 100, 10)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello kitty @score:[-INF Inf]", "NOCONTENT", "DIALECT", "2"), 100, 10)
		}},
		{"C20 number formats (DEFAULT_DIALECT 2)", func(s *session) {
			s.must("FT.CONFIG", "SET", "DEFAULT_DIALECT", "2", OK)
			s.must("FT.CREATE", "idx", "SCHEMA", "n", "numeric", OK)
			values := []string{"1.0", "1", "1.0e0", "10e+2", "1.5e+2", "10e-2", "1.5e-2", "INF", "1e6", "iNf",
				"+INF", "+inf", "+iNf", "-INF", "-inf", "-iNf", "-1"}
			for i, v := range values {
				s.must("HSET", fmt.Sprintf("doc%02d", i+1), "n", v, Int(1))
			}
			for _, q := range []string{"@n:[1 1]", "@n:[1e0 1]", "@n:[.1e1 .1e+1]", "@n:[+1e0 +1]"} {
				s.search(cmd("FT.SEARCH", "idx", q, "NOCONTENT"), ids(3, "doc01", "doc02", "doc03"))
			}
			s.search(cmd("FT.SEARCH", "idx", "@n:[-1e0 -1]", "NOCONTENT"), ids(1, "doc17"))
			s.search(cmd("FT.SEARCH", "idx", "@n:[1e6 inf]", "NOCONTENT"), ids(6, "doc08", "doc09", "doc10", "doc11", "doc12", "doc13"))
			s.search(cmd("FT.SEARCH", "idx", "@n:[-inf 0]", "NOCONTENT"), ids(4, "doc14", "doc15", "doc16", "doc17"))
			s.search(cmd("FT.SEARCH", "idx", "@n:[-0.1 0.1]", "NOCONTENT"), ids(2, "doc06", "doc07"))
			s.search(cmd("FT.SEARCH", "idx", "@n:[-.1 +.1]", "NOCONTENT"), ids(2, "doc06", "doc07"))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "@n:[-.1 +.1]", "LIMIT", "0", "0"), Arr(Int(2)))
			s.search(cmd("FT.SEARCH", "idx", "@n:[-.1 +.1]", "LIMIT", "0", "0"), Arr(Int(2)))
			s.search(cmd("FT.SEARCH", "idx", "@n:[1.5e2 1.5e2]", "NOCONTENT"), ids(1, "doc05"))
		}},
		{"C21 legacy FILTER and GEOFILTER", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "txt", "TEXT", "WEIGHT", "1.0", "num", "NUMERIC", "loc", "GEO", OK),
				cmd("HSET", "doc1", "txt", "foo bar", "num", "3.141", "loc", "-0.441,51.458", Int(3)),
				cmd("HSET", "doc2", "txt", "foo baz", "num", "2", "loc", "-0.1,51.2", Int(3)),
			)
			s.search(cmd("FT.SEARCH", "idx", "foo", "FILTER", "num", "0", "2", "NOCONTENT", "LIMIT", "0", "10"), ids(1, "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "foo", "FILTER", "num", "(2", "+inf", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "foo", "GEOFILTER", "loc", "-0.44", "51.45", "10", "km", "NOCONTENT"), ids(1, "doc1"))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "foo", "GEOFILTER", "loc", "-0.44", "51.45", "100", "km", "NOCONTENT"), ids(2, "doc1", "doc2"))
			s.must("FT.SEARCH", "idx", "foo", "FILTER", "num", Err("FILTER requires 3 arguments"))
			s.must("FT.SEARCH", "idx", "foo", "FILTER", "num", "banana", "10", Err("Bad lower range: banana"))
			s.must("FT.SEARCH", "idx", "foo", "FILTER", "num", "10", "banana", Err("Bad upper range: banana"))
		}},
		{"C22 numeric syntax errors depend on the dialect", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "score", "numeric", OK)
			s.must("HSET", "doc1", "title", "hello kitty", "score", "5", Int(2))
			got := s.do("FT.SEARCH", "idx", "hello kitty @score:[5]")
			if got.kind != '-' || !containsAll(got.str, "Syntax error", "5") {
				s.t.Errorf("@score:[5] in DIALECT 1: got %v, want a syntax error naming 5", got)
			}
			s.must("FT.SEARCH", "idx", "hello kitty @score:[5, $n]", "PARAMS", "2", "n", "10", Err("Syntax error at offset 23 near n"))
			// The module appends the parsed range (": @score:[5.000000 -inf]"); the
			// reference tests check the message only.
			for _, q := range []string{"@score:[5, -inf]", "@score:[5, (-inf]", "@score:[inf, 5]", "@score:[+inf, 5]"} {
				s.mustErr("Invalid numeric range (min > max)", "FT.SEARCH", "idx", "hello kitty "+q, "DIALECT", "2")
			}
			s.mustErr("Syntax error", "FT.EXPLAIN", "idx", "(*)", "DIALECT", "1")
			got = s.do("FT.EXPLAIN", "idx", "(*)", "DIALECT", "2")
			if got.kind != '$' || !containsAll(got.str, "WILDCARD") {
				s.t.Errorf("FT.EXPLAIN (*) DIALECT 2: got %v, want a plan containing WILDCARD", got)
			}
		}},
	})
}
