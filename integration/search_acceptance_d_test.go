package integration

import (
	"fmt"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// sortByFixture is test.py::testSortBy's data: doc<i> foo "hello<%03d i>
// world", bar 100-i.
func sortByFixture(s *session, sortable bool) {
	s.t.Helper()
	args := []string{"FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", "sortable", "bar", "numeric", "sortable"}
	if !sortable {
		args = []string{"FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", "bar", "numeric"}
	}
	s.must(append(args, OK)...)
	s.hsetDocs(100, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
		return []string{"foo", fmt.Sprintf("hello%03d world", i), "bar", fmt.Sprint(100 - i)}
	})
}

// docRange is "doc<from>" … "doc<to>" (counting down when to < from).
func docRange(prefix string, from, to int) []string {
	var out []string
	step := 1
	if to < from {
		step = -1
	}
	for i := from; ; i += step {
		out = append(out, prefix+strconv.Itoa(i))
		if i == to {
			return out
		}
	}
}

func sortByChecks(s *session) {
	s.t.Helper()
	s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "foo"), ids(100, docRange("doc", 0, 9)...))
	s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "foo", "DESC"), ids(100, docRange("doc", 99, 90)...))
	s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "bar", "DESC"), ids(100, docRange("doc", 0, 9)...))
	s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "bar", "ASC"), ids(100, docRange("doc", 99, 90)...))
}

// TestSearchAcceptanceSortLimitReturn: §5 D, SORTBY, LIMIT, RETURN,
// NOCONTENT, WITHSCORES (C23–C32).
func TestSearchAcceptanceSortLimitReturn(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C23 SORTBY text and numeric", func(s *session) {
			sortByFixture(s, true)
			sortByChecks(s)
		}},
		{"C23 SORTBY without SORTABLE", func(s *session) {
			sortByFixture(s, false)
			sortByChecks(s)
		}},
		{"C24 WITHSORTKEYS", func(s *session) {
			sortByFixture(s, true)
			s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "bar", "DESC", "WITHSORTKEYS", "LIMIT", "0", "5"),
				Arr(Int(100), Bulk("doc0"), Bulk("#100"), Bulk("doc1"), Bulk("#99"), Bulk("doc2"), Bulk("#98"),
					Bulk("doc3"), Bulk("#97"), Bulk("doc4"), Bulk("#96")))
			s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "foo", "DESC", "WITHSORTKEYS", "LIMIT", "0", "5"),
				Arr(Int(100), Bulk("doc99"), Bulk("$hello099 world"), Bulk("doc98"), Bulk("$hello098 world"),
					Bulk("doc97"), Bulk("$hello097 world"), Bulk("doc96"), Bulk("$hello096 world"), Bulk("doc95"), Bulk("$hello095 world")))
		}},
		{"C24 WITHSORTKEYS without SORTBY", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "doc1", "t", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "foo", "WITHSORTKEYS", "LIMIT", "0", "1"), Arr(Int(1), Bulk("doc1"), Nil, Strs("t", "foo")))
		}},
		{"C25 SORTBY WITHSCORES LIMIT offset", func(s *session) {
			sortByFixture(s, true)
			elems := []string{Int(100)}
			for _, id := range docRange("doc", 2, 6) {
				elems = append(elems, Bulk(id), score("1"))
			}
			s.search(cmd("FT.SEARCH", "idx", "world", "NOCONTENT", "SORTBY", "bar", "DESC", "WITHSCORES", "SCORER", "TFIDF", "LIMIT", "2", "5"), Arr(elems...))
		}},
		{"C26 small SORTBY fixture", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "txt", "TEXT", "WEIGHT", "1.0", "num", "NUMERIC", "SORTABLE", OK),
				cmd("HSET", "doc1", "txt", "foo bar", "num", "1", Int(2)),
				cmd("HSET", "doc2", "txt", "foo baz", "num", "2", Int(2)),
				cmd("HSET", "doc3", "txt", "foo qux", "num", "3", Int(2)),
			)
			s.search(cmd("FT.SEARCH", "idx", "foo", "NOCONTENT", "SORTBY", "num", "ASC", "LIMIT", "0", "10"), ids(3, "doc1", "doc2", "doc3"))
			s.search(cmd("FT.SEARCH", "idx", "foo", "NOCONTENT", "SORTBY", "num", "DESC", "LIMIT", "0", "10"), ids(3, "doc3", "doc2", "doc1"))
		}},
		{"C27 LIMIT paging", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", "bar", "numeric", "sortable", OK)
			s.hsetDocs(100, strconv.Itoa, func(i int) []string { return []string{"foo", "hello", "bar", strconv.Itoa(i)} })
			for _, page := range [][2]int{{0, 10}, {17, 13}, {50, 1}, {90, 20}, {99, 10}} {
				off, n := page[0], page[1]
				last := max(99-off-n+1, 0)
				s.search(cmd("FT.SEARCH", "idx", "hello", "NOCONTENT", "SORTBY", "bar", "DESC", "LIMIT", strconv.Itoa(off), strconv.Itoa(n)),
					ids(100, docRange("", 99-off, last)...))
			}
			s.search(cmd("FT.SEARCH", "idx", "hello", "NOCONTENT", "SORTBY", "bar", "ASC", "LIMIT", "100", "10"), Arr(Int(100)))
			s.mustErr("", "FT.SEARCH", "idx", "hello", "NOCONTENT", "LIMIT", "0", "-1")
			s.mustErr("", "FT.SEARCH", "idx", "hello", "NOCONTENT", "LIMIT", "-1", "10")
			s.must("FT.SEARCH", "idx", "hello", "NOCONTENT", "LIMIT", "0", "2000000", Err("LIMIT exceeds maximum of 1000000"))
			// C48's FT.SEARCH line.
			s.must("FT.SEARCH", "idx", "*", "LIMIT", "0", "2000000", Err("LIMIT exceeds maximum of 1000000"))
		}},
		{"C28 RETURN", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "f1", "text", "f2", "text", "n1", "numeric", "sortable", "f3", "text", OK)
			s.hsetDocs(10, func(i int) string { return fmt.Sprintf("DOC_%d", i) }, func(i int) []string {
				return []string{"f2", "val2", "f1", "val1", "f3", "val3", "n1", strconv.Itoa(i)}
			})
			s.searchCount(cmd("FT.SEARCH", "idx", "val*", "RETURN", "0"), 10, 10)
			for _, f := range []string{"f1", "f2", "f3", "n1"} {
				args := cmd("FT.SEARCH", "idx", "val*", "RETURN", "1", f)
				total, docs := s.searchResult(args...)
				if total != 10 || len(docs) != 10 {
					s.t.Errorf("%q: total %d, %d docs; want 10 and 10", args, total, len(docs))
				}
				for _, d := range docs {
					want := "val" + f[1:]
					if f == "n1" {
						want = d.id[len("DOC_"):]
					}
					if len(d.fields) != 2 || d.fields[0].str != f || d.fields[1].str != want {
						s.t.Errorf("%q: %s has fields %v, want [%s %s]", args, d.id, d.fields, f, want)
					}
				}
			}
			elems := []string{Int(10)}
			for i := 0; i < 10; i++ {
				elems = append(elems, Bulk(fmt.Sprintf("DOC_%d", i)), Strs("f1", "val1"))
			}
			s.search(cmd("FT.SEARCH", "idx", "val*", "RETURN", "1", "f1", "SORTBY", "n1", "ASC"), Arr(elems...))
			total, docs := s.searchResult("FT.SEARCH", "idx", "val*", "RETURN", "1", "nonexist")
			if total != 10 || len(docs) != 10 {
				s.t.Errorf("RETURN 1 nonexist: total %d, %d docs; want 10 and 10", total, len(docs))
			}
			for _, d := range docs {
				if len(d.fields) != 0 {
					s.t.Errorf("RETURN 1 nonexist: %s has fields %v, want none", d.id, d.fields)
				}
			}
			s.mustErr("", "FT.SEARCH", "idx", "val*", "RETURN", "700", "nonexist")
		}},
		{"C29 field-name case, numeric RETURN formatting", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "n", "NUMERIC", "f", "TEXT", "t", "TAG", "g", "GEO", OK),
				cmd("HSET", "doc1", "F", "test", Int(1)),
				cmd("HSET", "doc2", "f", "test", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "@f:test"), Arr(Int(1), Bulk("doc2"), Strs("f", "test")))
			s.search(cmd("FT.SEARCH", "idx", "@F:test"), Arr(Int(0)))
			s.must("FT.SEARCH", "idx", "@F:test", "DIALECT", "2", Err("Unknown field at offset 0 near F"))
			s.must("HSET", "doc3", "N", "1.0", Int(1))
			s.must("HSET", "doc4", "n", "1.0", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@n:[0 2]"), Arr(Int(1), Bulk("doc4"), Strs("n", "1.0")))
			s.search(cmd("FT.SEARCH", "idx", "@n:[0 2]", "RETURN", "1", "n"), Arr(Int(1), Bulk("doc4"), Strs("n", "1")))
			s.search(cmd("FT.SEARCH", "idx", "@n:[0 2]", "RETURN", "1", "N"), Arr(Int(1), Bulk("doc4"), Arr()))
			s.must("HSET", "doc7", "n", "1.1", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@n:[0 2]", "SORTBY", "n"), Arr(Int(2), Bulk("doc4"), Strs("n", "1.0"), Bulk("doc7"), Strs("n", "1.1")))
			s.mustErr("not loaded nor in schema", "FT.SEARCH", "idx", "@n:[0 2]", "SORTBY", "N")
			s.must("HSET", "doc6", "t", "tag", Int(1))
			s.must("HSET", "doc9", "g", "-113.524,53.5244", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@t:{tag}"), Arr(Int(1), Bulk("doc6"), Strs("t", "tag")))
			s.search(cmd("FT.SEARCH", "idx", "@g:[-113.52 53.52 20 mi]"), Arr(Int(1), Bulk("doc9"), Strs("g", "-113.524,53.5244")))
		}},
		{"C30 reply shapes, empty query", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "weight", "10.0", "body", "text", OK),
				cmd("HSET", "doc1", "title", "hello world", "body", "lorem ist ipsum", Int(2)),
				cmd("HSET", "doc2", "title", "hello another world", "body", "lorem ist ipsum lorem lorem", Int(2)),
			)
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "hello"), Arr(Int(2),
				Bulk("doc1"), Strs("title", "hello world", "body", "lorem ist ipsum"),
				Bulk("doc2"), Strs("title", "hello another world", "body", "lorem ist ipsum lorem lorem")))
			s.search(cmd("FT.SEARCH", "idx", ""), Arr(Int(0)))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "hello", "NOCONTENT"), ids(2, "doc1", "doc2"))
			for _, args := range [][]string{cmd("FT.SEARCH", "idx", "hello", "WITHSCORES"), cmd("FT.SEARCH", "idx", "hello", "WITHSCORES", "NOCONTENT")} {
				total, docs := s.searchResult(args...)
				if total != 2 || len(docs) != 2 {
					s.t.Errorf("%q: total %d, %d docs; want 2 and 2", args, total, len(docs))
				}
				for _, d := range docs {
					if f, err := strconv.ParseFloat(d.score, 64); err != nil || f <= 0 {
						s.t.Errorf("%q: %s has score %q, want > 0", args, d.id, d.score)
					}
				}
			}
		}},
		{"C31 exact single-doc BM25STD reply", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "doc1", "t", "foo", Int(1))
			plain := Arr(Int(1), Bulk("doc1"), Strs("t", "foo"))
			scored := Arr(Int(1), Bulk("doc1"), score("0.28768210225410284"), Strs("t", "foo"))
			s.search(cmd("FT.SEARCH", "idx", "foo"), plain)
			s.search(cmd("FT.SEARCH", "idx", "foo", "WITHSCORES"), scored)
			s.search(cmd("FT.SEARCH", "idx", "foo", "SORTBY", "t"), plain)
			s.search(cmd("FT.SEARCH", "idx", "foo", "WITHSCORES", "SORTBY", "t"), scored)
		}},
		{"C32 relevance ordering", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "foo", "text", OK),
				cmd("HSET", "doc1", "foo", "hello wat woot", Int(1)),
				cmd("HSET", "doc2", "foo", "hello world woot", Int(1)),
				cmd("HSET", "doc3", "foo", "hello world werld", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "hello", "NOCONTENT"), ids(3, "doc1", "doc2", "doc3"))
			s.search(cmd("FT.SEARCH", "idx", "hello world", "NOCONTENT", "SCORER", "DISMAX"), ids(2, "doc2", "doc3"))
			s.search(cmd("FT.SEARCH", "idx", "hello ~world", "NOCONTENT", "SCORER", "DISMAX"), ids(3, "doc2", "doc3", "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "hello ~world ~werld", "NOCONTENT", "SCORER", "DISMAX"), ids(3, "doc3", "doc2", "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "~world ~(werld hello)", "WITHSCORES", "NOCONTENT", "SCORER", "DISMAX"),
				Arr(Int(3), Bulk("doc3"), score("3"), Bulk("doc2"), score("1"), Bulk("doc1"), score("0")))
		}},
		{"C32 redis-py optional term ranks first", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "txt", "TEXT", "WEIGHT", "1.0", OK),
				cmd("HSET", "doc1", "txt", "foo baz", Int(1)),
				cmd("HSET", "doc2", "txt", "foo bar", Int(1)),
			)
			total, docs := s.searchResult("FT.SEARCH", "idx", "foo ~bar", "WITHSCORES", "LIMIT", "0", "10")
			if total != 2 || len(docs) != 2 || docs[0].id != "doc2" {
				s.t.Errorf(`"foo ~bar" WITHSCORES: total %d, docs %+v; want 2 docs, doc2 first`, total, docs)
			}
		}},
		{"C32 BM25STD optional scores (8.2)", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "title", "TEXT", OK),
				cmd("HSET", "doc1", "title", "some text here", Int(1)),
				cmd("HSET", "doc2", "title", "some text more words here", Int(1)),
			)
			// test_scorers.py::testOptionalAndWildcardScoring (8.2); the
			// reference's 0.7942…/0.2030… come from an older build.
			if s.inCluster() {
				// Each shard scores with its own document statistics.
				s.searchAnyOrder(cmd("FT.SEARCH", "idx", "text ~more", "SCORER", "BM25STD", "NOCONTENT"),
					Arr(Int(2), Bulk("doc2"), Bulk("doc1")))
				return
			}
			s.search(cmd("FT.SEARCH", "idx", "text ~more", "WITHSCORES", "SCORER", "BM25STD", "NOCONTENT"),
				Arr(Int(2), Bulk("doc2"), score("0.8195877903737075"), Bulk("doc1"), score("0.19566220141314736")))
		}},
	})
}
