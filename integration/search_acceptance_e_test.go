package integration

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// constantTermFixture writes n docs "constant term<i%5>" (test.py::testNot
// and testPrefix draw K at random; i%5 makes it reproducible).
func constantTermFixture(s *session, n int) {
	s.t.Helper()
	s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", OK)
	s.hsetDocs(n, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
		return []string{"foo", fmt.Sprintf("constant term%d", i%5)}
	})
}

// sortedIDs runs a NOCONTENT search over every document and returns its
// total and sorted ids.
func (s *session) sortedIDs(query string) (int64, []string) {
	s.t.Helper()
	total, got := s.searchIDs("FT.SEARCH", "idx", query, "NOCONTENT", "LIMIT", "0", "100")
	sort.Strings(got)
	return total, got
}

// TestSearchAcceptanceOperators: §5 E, query operators (C33–C41).
func TestSearchAcceptanceOperators(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C33 union", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "f", "text", OK)
			s.hsetDocs(100, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
				if i%2 == 0 {
					return []string{"f", "hello world"}
				}
				return []string{"f", "hallo werld"}
			})
			for _, tc := range []struct {
				query    string
				verbatim bool
				n        int
			}{
				{"hello|hallo", false, 100},
				{"hello|world", false, 50},
				{"(hello|hello)(world|world)", true, 50},
				{"(hello|hallo)(werld|world)", true, 100},
				{"(hello|hallo) world", true, 50},
				{"(hello world)|((hello world)|(hallo world|werld) | hello world werld)", true, 100},
			} {
				args := cmd("FT.SEARCH", "idx", tc.query, "NOCONTENT", "LIMIT", "0", "100")
				if tc.verbatim {
					args = append(args, "VERBATIM")
				}
				s.searchCount(args, int64(tc.n), tc.n)
			}
		}},
		{"C34 negation", func(s *session) {
			constantTermFixture(s, 10)
			for k := 0; k < 5; k++ {
				term := fmt.Sprintf("term%d", k)
				posTotal, pos := s.sortedIDs("constant " + term)
				negTotal, neg := s.sortedIDs("constant -" + term)
				if posTotal+negTotal != 10 || len(pos)+len(neg) != 10 {
					s.t.Errorf("%s: %d + %d documents, want 10 in all", term, posTotal, negTotal)
				}
				for _, id := range pos {
					if slices.Contains(neg, id) {
						s.t.Errorf("%s: %s matches both the term and its negation", term, id)
					}
				}
				for _, q := range []string{"-(" + term + ")", "(-" + term + ") (constant)"} {
					total, got := s.sortedIDs(q)
					if total != negTotal || !slices.Equal(got, neg) {
						s.t.Errorf("%q: %d %v, want %d %v (as \"constant -%s\")", q, total, got, negTotal, neg, term)
					}
				}
			}
			s.searchCount(cmd("FT.SEARCH", "idx", "constant -dasdfasdf", "NOCONTENT", "LIMIT", "0", "100"), 10, 10)
			s.search(cmd("FT.SEARCH", "idx", "constant -constant", "NOCONTENT"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "constant -(term0|term1|term2|term3|term4|nothing)", "NOCONTENT"), Arr(Int(0)))
		}},
		{"C35 exact phrase", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "weight", "10.0", "body", "text", OK),
				cmd("HSET", "{doc}:1", "title", "hello world", "body", "lorem ist ipsum", Int(2)),
				cmd("HSET", "{doc}:2", "title", "hello another world", "body", "lorem ist ipsum lorem lorem", Int(2)),
			)
			for dialect := 1; dialect <= 4; dialect++ {
				d := fmt.Sprint(dialect)
				s.search(cmd("FT.SEARCH", "idx", `"hello world"`, "VERBATIM", "DIALECT", d),
					Arr(Int(1), Bulk("{doc}:1"), Strs("title", "hello world", "body", "lorem ist ipsum")))
				s.search(cmd("FT.SEARCH", "idx", `hello "another world"`, "VERBATIM", "DIALECT", d),
					Arr(Int(1), Bulk("{doc}:2"), Strs("title", "hello another world", "body", "lorem ist ipsum lorem lorem")))
			}
		}},
		{"C36 prefix", func(s *session) {
			constantTermFixture(s, 100)
			s.search(cmd("FT.SEARCH", "idx", "constant term", "NOCONTENT"), Arr(Int(0)))
			s.searchCount(cmd("FT.SEARCH", "idx", "constant term*", "NOCONTENT", "LIMIT", "0", "100"), 100, 100)
			s.searchCount(cmd("FT.SEARCH", "idx", "const* term*", "NOCONTENT", "LIMIT", "0", "100"), 100, 100)
			s.search(cmd("FT.SEARCH", "idx", "const* -term*", "NOCONTENT"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "constant term9*", "NOCONTENT"), Arr(Int(0)))
		}},
		{"C37 stemming, VERBATIM, language", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", OK),
				cmd("HSET", "doc1", "title", "hello kitty", Int(1)),
				cmd("HSET", "doc2", "title", "hello kitties", Int(1)),
			)
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "hello kitty", "NOCONTENT"), ids(2, "doc1", "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "hello kitty", "NOCONTENT", "VERBATIM"), ids(1, "doc1"))
			s.mustErr("", "FT.SEARCH", "idx", "hello kitty", "NOCONTENT", "LANGUAGE", "foofoofian")
		}},
		{"C37 expander", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", OK),
				cmd("HSET", "doc1", "title", "hello kitty", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "kitti", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "kitti", "NOCONTENT", "VERBATIM"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", `\+kitti`, "NOCONTENT", "VERBATIM"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "kitties", "NOCONTENT", "EXPANDER", "SBSTEM"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "kitties", "NOCONTENT", "EXPANDER", "noexpander"), Arr(Int(0)))
		}},
		{"C38 custom stop words", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "STOPWORDS", "3", "foo", "bar", "baz", "SCHEMA", "txt", "text", OK),
				cmd("HSET", "doc1", "txt", "foo bar", Int(1)),
				cmd("HSET", "doc2", "txt", "hello world", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "foo bar", "NOCONTENT"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "foo bar hello world", "NOCONTENT"), ids(1, "doc2"))
		}},
		{"C38 default stop words", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", OK)
			s.hsetDocs(100, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
				if i%2 == 0 {
					return []string{"foo", "hello world"}
				}
				return []string{"foo", "hello worlds"}
			})
			s.searchCount(cmd("FT.SEARCH", "idx", "hello a world", "NOCONTENT", "LIMIT", "0", "100"), 100, 100)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello a world", "VERBATIM", "NOCONTENT", "LIMIT", "0", "100"), 50, 50)
			s.search(cmd("FT.SEARCH", "idx", "hello a world", "NOCONTENT", "NOSTOPWORDS"), Arr(Int(0)))
		}},
		{"C39 INKEYS", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "foo", "text", OK)
			s.hsetDocs(200, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(int) []string { return []string{"foo", "hello world"} })
			base := cmd("FT.SEARCH", "idx", "hello world", "NOCONTENT", "LIMIT", "0", "100")
			s.search(append(base, "INKEYS", "3", "foo", "bar", "baz"), Arr(Int(0)))
			s.search(append(base, "INKEYS", "2", "doc0", "doc0"), ids(1, "doc0"))
			s.searchAnyOrder(append(base, "INKEYS", "5", "doc0", "doc1", "doc0", "doc1", "doc0"), ids(2, "doc0", "doc1"))
			s.mustErr("", append(base, "INKEYS", "99")...)
			s.mustErr("", append(base, "INKEYS", "-1")...)
			s.mustErr("", append(base, "INKEYS", "4", "foo")...)
		}},
		{"C39 INFIELDS", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "weight", "10.0", "body", "text", OK),
				cmd("HSET", "doc1", "title", "hello world", "body", "lorem ipsum", Int(2)),
				cmd("HSET", "doc2", "title", "hello world lorem ipsum", "body", "hello world", Int(2)),
			)
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "hello world", "VERBATIM", "INFIELDS", "1", "title", "NOCONTENT"), ids(2, "doc1", "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "hello world", "VERBATIM", "INFIELDS", "1", "body", "NOCONTENT"), ids(1, "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "hello", "VERBATIM", "INFIELDS", "1", "body", "NOCONTENT"), ids(1, "doc2"))
			s.search(cmd("FT.SEARCH", "idx", `"lorem ipsum"`, "VERBATIM", "INFIELDS", "1", "body", "NOCONTENT"), ids(1, "doc1"))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "lorem ipsum", "VERBATIM", "INFIELDS", "2", "body", "title", "NOCONTENT"), ids(2, "doc1", "doc2"))
		}},
		{"C40 SLOP and INORDER", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "title", "TEXT", OK)
			for i, v := range []string{"t1 t2", "t1 t3 t2", "t1 t3 t4 t2", "t1 t3 t4 t5 t2"} {
				s.must("HSET", fmt.Sprintf("doc%d", i+1), "title", v, Int(1))
			}
			s.search(cmd("FT.SEARCH", "idx", "t2 t1", "SLOP", "0", "NOCONTENT"), ids(1, "doc1"))
			for _, tc := range []struct {
				args []string
				n    int
			}{
				{cmd("t2 t1", "SLOP", "0", "INORDER"), 0},
				{cmd("t1 t2", "SLOP", "0", "INORDER"), 1},
				{cmd("t1 t2", "SLOP", "1", "INORDER"), 2},
				{cmd("t1 t2", "SLOP", "2"), 3},
				{cmd("t1 t2", "SLOP", "3"), 4},
				{cmd("t1 t2", "INORDER"), 4},
				{cmd("t1 t2 t3 t4"), 2},
				{cmd("t1 t2 t3 t4", "INORDER"), 0},
			} {
				s.searchCount(append(append(cmd("FT.SEARCH", "idx"), tc.args...), "NOCONTENT"), int64(tc.n), tc.n)
			}
		}},
		{"C40 SLOP 0 INORDER issue 1986", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "title", "TEXT", OK),
				cmd("HSET", "doc1", "title", "t1 t2", Int(1)),
				cmd("HSET", "doc2", "title", "t2 t1", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "t2 t1", "SLOP", "0", "INORDER"), Arr(Int(1), Bulk("doc2"), Strs("title", "t2 t1")))
		}},
		{"C41 field selectors", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc", "SCHEMA", "TiTle", "text", "BoDy", "text", OK),
				cmd("HSET", "doc1", "TiTle", "hello world", "BoDy", "foo bar", Int(2)),
				cmd("HSET", "doc2", "BoDy", "hello world", "TiTle", "foo bar", Int(2)),
			)
			s.search(cmd("FT.SEARCH", "idx", "@TiTle:hello world", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "@BoDy:hello world", "NOCONTENT"), ids(1, "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "@BoDy:hello @TiTle:world", "NOCONTENT"), Arr(Int(0)))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "@BoDy:(hello|foo) @TiTle:(world|bar)", "NOCONTENT"), ids(2, "doc1", "doc2"))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "@BoDy|TiTle:(hello world)", "NOCONTENT"), ids(2, "doc1", "doc2"))
		}},
	})
}
