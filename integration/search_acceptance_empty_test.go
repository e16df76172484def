package integration

import (
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceEmptyMissing: INDEXEMPTY and INDEXMISSING (issue 16),
// from RediSearch 8.2's tests/pytests/test_empty.py and test_missing.py.
// Every query runs in DIALECT 2, 3 and 4, as the module's tests loop over
// the dialects from 2 (set_max_dialect); the expectations are theirs.
func TestSearchAcceptanceEmptyMissing(t *testing.T) {
	dialects := []string{"2", "3", "4"}
	runAcceptance(t, []acceptanceCase{
		{"empty TAG values (test_empty.py testEmptyTag)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TAG", "INDEXEMPTY", "text", "TEXT", OK)
			s.must("HSET", "h1", "t", "", Int(1))
			h1 := func() string { return Arr(Int(1), Bulk("h1"), Arr(Bulk("t"), Bulk(""))) }
			for _, d := range dialects {
				q := func(query string, more ...string) []string {
					return append(cmd("FT.SEARCH", "idx", query, "DIALECT", d), more...)
				}
				s.search(q(`@t:{""}`), h1())
				s.search(q(`@t:{''}`), h1())
				// Negation and optional.
				s.search(q(`-@t:{""}`), Arr(Int(0)))
				s.search(q(`-@t:{''}`), Arr(Int(0)))
				s.search(q(`-@t:{foo}`), h1())
				s.search(q(`~@t:{""}`), h1())
				// Union.
				s.search(q(`@t:{""} | @t:{foo}`), h1())
				s.search(q(`@t:{''} | @t:{foo}`), h1())
				// A value list with a trailing separator holds an empty
				// value too.
				s.must("HSET", "h2", "t", "bar,", Int(1))
				s.search(q(`@t:{""} | @t:{foo}`, "SORTBY", "t", "ASC", "WITHCOUNT"),
					Arr(Int(2), Bulk("h1"), Arr(Bulk("t"), Bulk("")), Bulk("h2"), Arr(Bulk("t"), Bulk("bar,"))))
				// Intersection.
				s.search(q(`@t:{""} @t:{foo}`), Arr(Int(0)))
				s.search(q(`@t:{""} @t:{bar}`), Arr(Int(1), Bulk("h2"), Arr(Bulk("t"), Bulk("bar,"))))
				s.must("DEL", "h2", Int(1))
				// Affixes do not match the empty value.
				s.search(q(`@t:{*pty}`), Arr(Int(0)))
				s.search(q(`@t:{__em*}`), Arr(Int(0)))
				// With a TEXT clause.
				s.search(q(`hello | @t:{""}`), h1())
				s.search(q(`hello @t:{""}`), Arr(Int(0)))
				// An empty value and its negation.
				s.search(q(`@t:{""} -@t:{""}`), Arr(Int(0)))
				s.search(q(`-@t:{""} @t:{""}`), Arr(Int(0)))
			}
			// Separators: an empty value between, before or after them
			// (test_empty.py's SEPARATOR block), in t's sort order.
			s.must("HSET", "h1", "text", "hello", Int(1))
			for key, v := range map[string]string{"h5": ", bar", "h6": "bat, ", "h7": "bat,", "h8": "bat, , bat2", "h9": ","} {
				s.must("HSET", key, "t", v, Int(1))
			}
			s.must("HSET", "h10", "t", "bat", Int(1))
			for _, d := range dialects {
				s.search(cmd("FT.SEARCH", "idx", `@t:{""}`, "SORTBY", "t", "ASC", "WITHCOUNT", "DIALECT", d),
					Arr(Int(6),
						Bulk("h1"), Arr(Bulk("t"), Bulk(""), Bulk("text"), Bulk("hello")),
						Bulk("h9"), Arr(Bulk("t"), Bulk(",")),
						Bulk("h5"), Arr(Bulk("t"), Bulk(", bar")),
						Bulk("h7"), Arr(Bulk("t"), Bulk("bat,")),
						Bulk("h6"), Arr(Bulk("t"), Bulk("bat, ")),
						Bulk("h8"), Arr(Bulk("t"), Bulk("bat, , bat2"))))
				s.search(cmd("FT.SEARCH", "idx", `-@t:{""}`, "DIALECT", d), Arr(Int(1), Bulk("h10"), Arr(Bulk("t"), Bulk("bat"))))
			}
		}},
		{"empty TAG values: many documents", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TAG", "INDEXEMPTY", OK)
			s.hsetDocs(100, func(i int) string { return "h" + strconv.Itoa(i) }, func(i int) []string {
				if i%2 == 0 {
					return []string{"t", ""}
				}
				return []string{"t", strconv.Itoa(i)}
			})
			s.searchCount(cmd("FT.SEARCH", "idx", `@t:{""}`, "WITHCOUNT", "LIMIT", "0", "0", "DIALECT", "2"), 50, 0)
			s.searchCount(cmd("FT.SEARCH", "idx", `-@t:{""}`, "WITHCOUNT", "LIMIT", "0", "0", "DIALECT", "2"), 50, 0)
		}},
		{"empty TAG values: CASESENSITIVE and another separator", func(s *session) {
			// The empty value is what is left between two separators once
			// blanks are trimmed, whatever the separator and the case.
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TAG", "SEPARATOR", ";", "CASESENSITIVE", "INDEXEMPTY", OK)
			s.must("HSET", "a", "t", "Foo; ;Bar", Int(1))
			s.must("HSET", "b", "t", "Foo,", Int(1))
			s.must("HSET", "c", "t", " ", Int(1))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", `@t:{""}`, "NOCONTENT", "DIALECT", "2"), ids(2, "a", "c"))
			s.search(cmd("FT.SEARCH", "idx", `@t:{Foo\,}`, "NOCONTENT", "DIALECT", "2"), ids(1, "b"))
		}},
		{"empty TEXT values (test_empty.py testEmptyText)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "INDEXEMPTY", OK)
			s.must("HSET", "h1", "t", "", Int(1))
			h1 := Arr(Int(1), Bulk("h1"), Arr(Bulk("t"), Bulk("")))
			for _, d := range dialects {
				q := func(query string, more ...string) []string {
					return append(cmd("FT.SEARCH", "idx", query, "DIALECT", d), more...)
				}
				for _, query := range []string{`@t:''`, `""`, `@t:""`, `@t:("")`, `@t:('')`, `-@t:foo`, `-foo`, `~@t:""`,
					`@t:("") | @t:foo`, `@t:foo | @t:("")`, `@t:(foo | "")`, `@t:("" | foo)`, `@t:"" -@t:foo`, `"" -foo`,
					`-@t:foo @t:""`, `-foo ""`} {
					s.search(q(query), h1)
				}
				for _, query := range []string{`-@t:("")`, `-""`, `-@t:""`, `-@t:('')`, `@t:("") @t:foo`, `@t:"" @t:foo`,
					`@t:'' @t:foo`, `'' foo`, `@t:*pty`, `@t:__em*`} {
					s.search(q(query), Arr(Int(0)))
				}
				s.must("HSET", "h2", "t", "bar", Int(1))
				both := Arr(Int(2), Bulk("h1"), Arr(Bulk("t"), Bulk("")), Bulk("h2"), Arr(Bulk("t"), Bulk("bar")))
				for _, query := range []string{`@t:"" | @t:foo | @t:bar`, `@t:foo | @t:"" | @t:bar`, `@t:foo | @t:bar | @t:""`,
					`@t:foo | @t:bar | @t:''`, `@t:(foo | "" | bar)`, `@t:("" | foo | bar)`, `@t:(foo | bar | '')`} {
					s.search(q(query, "SORTBY", "t", "ASC"), both)
				}
				s.search(q(`~@t:("")`, "SORTBY", "t", "ASC", "WITHCOUNT"), both)
				s.must("DEL", "h2", Int(1))
				// The empty value is the match: an empty summary, an empty
				// highlight.
				s.search(q(`@t:("")`, "SUMMARIZE", "FIELDS", "1", "t", "FRAGS", "3", "LEN", "10"),
					Arr(Int(1), Bulk("h1"), Arr(Bulk("t"), Bulk("... "))))
				s.search(q(`@t:("")`, "HIGHLIGHT", "FIELDS", "1", "t"), Arr(Int(1), Bulk("h1"), Arr(Bulk("t"), Bulk("<b></b>"))))
			}
		}},
		{"fuzzy terms reach the empty value (test_empty.py testemptyfuzzy)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "INDEXEMPTY", "t2", "TEXT", OK)
			s.must("HSET", "h1", "t", "", Int(1))
			s.must("HSET", "h2", "t", "sr", Int(1))
			both := Arr(Int(2), Bulk("h1"), Arr(Bulk("t"), Bulk("")), Bulk("h2"), Arr(Bulk("t"), Bulk("sr")))
			queries := []string{"%s%", "%%s%%", "%%%s%%%", "%%sr%%", "%%%srs%%%"}
			for _, d := range dialects {
				for _, q := range queries {
					s.search(cmd("FT.SEARCH", "idx", q, "SORTBY", "t", "ASC", "DIALECT", d), both)
					s.search(cmd("FT.SEARCH", "idx", "@t:"+q, "SORTBY", "t", "ASC", "DIALECT", d), both)
					s.search(cmd("FT.SEARCH", "idx", "@t2:"+q, "DIALECT", d), Arr(Int(0)))
				}
				s.search(cmd("FT.SEARCH", "idx", "%%''%%", "SORTBY", "t", "ASC", "DIALECT", d), both)
			}
			// DIALECT 1 does not reach it.
			for _, q := range queries {
				for _, query := range []string{q, "@t:" + q} {
					s.search(cmd("FT.SEARCH", "idx", query, "DIALECT", "1"), Arr(Int(1), Bulk("h2"), Arr(Bulk("t"), Bulk("sr"))))
				}
			}
		}},
		{"empty values of fields without INDEXEMPTY", func(s *session) {
			// test_empty.py TestEmptyNonIndexed / testEmptyParam, with
			// 8.2's wording (query.c QueryNode_ValidateToken).
			const errEmpty = "Use `INDEXEMPTY` in field creation in order to index and query for empty strings"
			s.must("FT.CREATE", "idx", "SCHEMA", "tag", "TAG", "text", "TEXT", OK)
			s.must("HSET", "h2", "tag", "", "text", "", Int(2))
			for _, d := range dialects {
				s.search(cmd("FT.SEARCH", "idx", "", "DIALECT", d), Arr(Int(0)))
				s.search(cmd("FT.SEARCH", "idx", `""`, "DIALECT", d), Arr(Int(0)))
				s.search(cmd("FT.SEARCH", "idx", `''`, "DIALECT", d), Arr(Int(0)))
				for _, query := range []string{`@tag:{""}`, `@tag:{''}`, `@text:""`, `@text:''`} {
					s.must("FT.SEARCH", "idx", query, "DIALECT", d, Err(errEmpty))
				}
			}
			s.must("FT.CREATE", "pidx", "SCHEMA", "t", "TAG", "INDEXEMPTY", "t2", "TAG", "text1", "TEXT", "INDEXEMPTY",
				"text2", "TEXT", OK)
			s.must("HSET", "p1", "t", "", Int(1))
			s.must("HSET", "p2", "t2", "", Int(1))
			s.must("HSET", "p3", "text1", "", Int(1))
			s.must("HSET", "p4", "text2", "", Int(1))
			for _, d := range dialects {
				// The module judges every empty term after a tag clause by
				// that clause's field: t indexes empty values, so the t2
				// clause is no error.
				s.search(cmd("FT.SEARCH", "pidx", "@t:{$p} | @t2:{$p}", "PARAMS", "2", "p", "", "DIALECT", d),
					Arr(Int(1), Bulk("p1"), Arr(Bulk("t"), Bulk(""))))
				s.must("FT.SEARCH", "pidx", "@text1:($p) | @text2:($p)", "PARAMS", "2", "p", "", "DIALECT", d, Err(errEmpty))
				s.search(cmd("FT.SEARCH", "pidx", "@text1:($p)", "PARAMS", "2", "p", "", "DIALECT", d),
					Arr(Int(1), Bulk("p3"), Arr(Bulk("text1"), Bulk(""))))
			}
			// An index whose TEXT and TAG fields all index empty values.
			s.must("FT.CREATE", "all", "SCHEMA", "t", "TAG", "INDEXEMPTY", "n", "NUMERIC", OK)
			s.search(cmd("FT.SEARCH", "all", `@t:{""}`, "DIALECT", "2"), Arr(Int(1), Bulk("p1"), Arr(Bulk("t"), Bulk(""))))
		}},
		{"FT.EXPLAINCLI of empty values (test_empty.py testEmptyExplainCli)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "tag", "TAG", "INDEXEMPTY", "text", "TEXT", "INDEXEMPTY", OK)
			lines := func(l ...string) string {
				out := make([]string, len(l))
				for i, x := range l {
					out[i] = Bulk(x)
				}
				return Arr(out...)
			}
			for _, d := range dialects {
				s.must("FT.EXPLAINCLI", "idx", `-@tag:{""} @tag:{""}`, "DIALECT", d, lines("INTERSECT {", "  NOT{",
					"    TAG:@tag {", `      ""`, "    }", "  }", "  TAG:@tag {", `    ""`, "  }", "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@tag:{bar} | @tag:{foo} @tag:{""}`, "DIALECT", d, lines("UNION {",
					"  TAG:@tag {", "    bar", "  }", "  INTERSECT {", "    TAG:@tag {", "      foo", "    }",
					"    TAG:@tag {", `      ""`, "    }", "  }", "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@tag:{"" | bar}`, "DIALECT", d, lines("TAG:@tag {", `  ""`, "  bar", "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@tag:{foo ""}`, "DIALECT", d, lines("TAG:@tag {", "  INTERSECT {",
					"    foo", `    ""`, "  }", "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@text:""`, "DIALECT", d, lines(`@text:""`, ""))
				s.must("FT.EXPLAINCLI", "idx", `@text:("")`, "DIALECT", d, lines(`@text:""`, ""))
				s.must("FT.EXPLAINCLI", "idx", `@text:"" @text:foo`, "DIALECT", d, lines("INTERSECT {", `  @text:""`,
					"  @text:UNION {", "    @text:foo", "    @text:+foo(expanded)", "  }", "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `foo @text:""`, "DIALECT", d, lines("INTERSECT {", "  UNION {",
					"    foo", "    +foo(expanded)", "  }", `  @text:""`, "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@text:("" | "")`, "DIALECT", d, lines("@text:UNION {", `  @text:""`,
					`  @text:""`, "}", ""))
				s.must("FT.EXPLAINCLI", "idx", `@text:("" bar)`, "DIALECT", d, lines("@text:INTERSECT {", `  @text:""`,
					"  @text:UNION {", "    @text:bar", "    @text:+bar(expanded)", "  }", "}", ""))
			}
		}},
		{"FT.INFO lists INDEXEMPTY and INDEXMISSING", func(s *session) {
			// test_empty.py testEmptyInfo, test_missing.py testMissingInfo:
			// the flag is the attribute's last element.
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TAG", "INDEXEMPTY", "text", "TEXT", "INDEXEMPTY", "INDEXMISSING", OK)
			attrs := s.info("idx")["attributes"]
			if len(attrs.elems) != 2 {
				s.t.Fatalf("attributes: %v", attrs)
			}
			for i, want := range []string{"INDEXEMPTY", "INDEXMISSING"} {
				a := attrs.elems[i].elems
				if s.proto == 3 {
					// RESP3: the flags are the attribute's "flags" array.
					a = s.pairs(attrs.elems[i], "attribute")["flags"].elems
				}
				if len(a) == 0 || a[len(a)-1].str != want {
					s.t.Errorf("attribute %d: %v, want %s last", i, attrs.elems[i], want)
				}
			}
		}},
		{"INDEXMISSING validations (test_missing.py testMissingValidations)", func(s *session) {
			s.must("FT.CREATE", "idx1", "SCHEMA", "ta", "TAG", "INDEXMISSING", "te", "TEXT", "INDEXMISSING", OK)
			s.must("FT.CREATE", "idx2", "SCHEMA", "ta", "TAG", "INDEXMISSING", "WITHSUFFIXTRIE", "SORTABLE",
				"te", "TEXT", "INDEXMISSING", "WITHSUFFIXTRIE", "SORTABLE", OK)
			s.must("FT.CREATE", "idx", "SCHEMA", "tag", "TAG", "text", "TEXT", "numeric", "NUMERIC", OK)
			for _, f := range []string{"tag", "text", "numeric"} {
				s.must("FT.SEARCH", "idx", "ismissing(@"+f+")", "DIALECT", "2",
					Err("'ismissing' requires field '"+f+"' to be defined with 'INDEXMISSING'"))
			}
			// 8.x's wording (spec.c parseFieldSpec, the user data after the
			// message; test_missing.py's older text differs).
			s.must("FT.CREATE", "idx3", "SCHEMA", "f1", "TAG", "INDEXMISSING", "NOINDEX",
				Err("'Field cannot be defined with both `NOINDEX` and `INDEXMISSING` `f1` '"))
			// FT.EXPLAIN prints the node; the field's option is checked
			// when the query runs (query.c Query_EvalMissingNode).
			s.must("FT.EXPLAIN", "idx1", "ismissing(@ta)", "DIALECT", "2", Bulk("ISMISSING{ta}\n"))
			s.must("FT.EXPLAIN", "idx", "ismissing(@tag) -ismissing(@text)", "DIALECT", "2",
				Bulk("INTERSECT {\n  ISMISSING{tag}\n  NOT{\n    ISMISSING{text}\n  }\n}\n"))
			// An unknown field is DIALECT 2's unknown-field error.
			s.mustErr("Unknown field", "FT.SEARCH", "idx1", "ismissing(@nope)", "DIALECT", "2")
		}},
		{"ismissing (test_missing.py testMissingBasic)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "ta", "TAG", "INDEXMISSING", "te", "TEXT", "INDEXMISSING", OK)
			s.must("HSET", "all", "ta", "foo", "te", "foo", Int(2))
			s.must("HSET", "no_text", "ta", "foo", Int(1))
			s.must("HSET", "no_tag", "te", "foo", Int(1))
			s.must("HSET", "none", "shwallalimbo", "Shigoreski", Int(1))
			for _, d := range dialects {
				s.search(cmd("FT.SEARCH", "idx", "@ta:{foo} @te:foo", "NOCONTENT", "DIALECT", d), ids(1, "all"))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@ta)", "NOCONTENT", "SORTBY", "te", "ASC", "DIALECT", d),
					ids(2, "no_tag", "none"))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@te)", "NOCONTENT", "SORTBY", "ta", "ASC", "DIALECT", d),
					ids(2, "no_text", "none"))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@te) ismissing(@ta)", "NOCONTENT", "DIALECT", d), ids(1, "none"))
				// The keyword is case-insensitive.
				s.search(cmd("FT.SEARCH", "idx", "ISMISSING(@te) IsMissing(@ta)", "NOCONTENT", "DIALECT", d), ids(1, "none"))
			}
			// A field that holds an empty string is not missing.
			s.must("HSET", "empty_tag", "ta", "", "te", "x", Int(2))
			s.search(cmd("FT.SEARCH", "idx", "ismissing(@ta)", "NOCONTENT", "SORTBY", "te", "ASC", "DIALECT", "2"),
				ids(2, "no_tag", "none"))
			// The exists() of FT.AGGREGATE agrees (testMissingWithExists).
			// (Its rows: the module's test compares them with ismissing's
			// documents; the total, ANY there, is not compared.)
			if s.proto == 2 {
				agg := s.do("FT.AGGREGATE", "idx", "*", "LOAD", "2", "@__key", "@ta", "FILTER", "!exists(@ta)", "SORTBY", "2",
					"@__key", "ASC", "DIALECT", "2")
				want := parseRaw(s.t, Arr(Arr(Bulk("__key"), Bulk("no_tag")), Arr(Bulk("__key"), Bulk("none"))))
				if len(agg.elems) == 0 {
					s.t.Fatalf("FT.AGGREGATE: %v", agg)
				}
				if d := diff(want, reply{kind: '*', elems: agg.elems[1:]}, ""); d != "" {
					s.t.Errorf("FT.AGGREGATE !exists(@ta): %s", d)
				}
			}
		}},
		{"ismissing for each field type (test_missing.py testMissing)", func(s *session) {
			for _, ft := range []struct{ typ, v1, v2 string }{
				{"TAG", "foo", "bar"}, {"TEXT", "foo", "bar"}, {"NUMERIC", "42", "44"}, {"GEO", "1.23, 4.56", "1.44, 4.88"},
			} {
				s.must("FLUSHALL", OK)
				s.must("FT.CREATE", "idx", "SCHEMA", "f1", ft.typ, "INDEXMISSING", "f2", ft.typ, "INDEXMISSING",
					"text", "TEXT", "id", "NUMERIC", "SORTABLE", OK)
				s.must("HSET", "doc_with_only_field1", "f1", ft.v1, "id", "1", Int(2))
				s.must("HSET", "doc_with_only_field2", "f2", ft.v2, "id", "2", Int(2))
				s.must("HSET", "both", "f1", ft.v1, "f2", ft.v2, "id", "3", Int(3))
				s.must("HSET", "none", "text", "dummy", "id", "4", Int(2))
				s.must("HSET", "both_and_text", "f1", ft.v1, "f2", ft.v2, "text", "dummy", "id", "5", Int(4))
				all := ids(5, "doc_with_only_field1", "doc_with_only_field2", "both", "none", "both_and_text")
				for _, d := range dialects {
					q := func(query string) []string {
						return cmd("FT.SEARCH", "idx", query, "NOCONTENT", "SORTBY", "id", "ASC", "WITHCOUNT", "DIALECT", d)
					}
					s.search(q("ismissing(@f1)"), ids(2, "doc_with_only_field2", "none"))
					s.search(q("-ismissing(@f1)"), ids(3, "doc_with_only_field1", "both", "both_and_text"))
					s.search(q("-ismissing(@f1) | ismissing(@f1)"), all)
					s.search(q("~ismissing(@f1)"), all)
					s.search(q("-ismissing(@f1) ismissing(@f1)"), ids(0))
					s.search(q("ismissing(@f1) @text:(dummy)"), ids(1, "none"))
					s.search(q("@text:(dummy) ismissing(@f1)"), ids(1, "none"))
					s.search(q("ismissing(@f1) -@text:(dummy)"), ids(1, "doc_with_only_field2"))
					s.search(q("-@text:(dummy) ismissing(@f1)"), ids(1, "doc_with_only_field2"))
					// Two missing fields (MissingTestTwoMissingFields).
					s.search(q("ismissing(@f1) ismissing(@f2)"), ids(1, "none"))
					s.search(q("ismissing(@f1) -ismissing(@f2)"), ids(1, "doc_with_only_field2"))
					s.search(q("-ismissing(@f2) ismissing(@f1)"), ids(1, "doc_with_only_field2"))
					s.search(q("ismissing(@f1) | ismissing(@f2)"), ids(3, "doc_with_only_field1", "doc_with_only_field2", "none"))
					s.search(q("-ismissing(@f1) | ismissing(@f2)"), ids(4, "doc_with_only_field1", "both", "none", "both_and_text"))
					s.search(q("~ismissing(@f1) | ismissing(@f2)"), all)
				}
				// Updates and deletes keep the missing set right.
				s.must("HSET", "doc_with_only_field2", "f1", ft.v1, "f2", ft.v2, "id", "2", Int(1))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@f1)", "NOCONTENT", "DIALECT", "2"), ids(1, "none"))
				s.must("HDEL", "doc_with_only_field2", "f1", Int(1))
				s.must("HDEL", "doc_with_only_field1", "f1", Int(1))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@f1)", "NOCONTENT", "SORTBY", "id", "ASC", "WITHCOUNT", "DIALECT", "2"),
					ids(3, "doc_with_only_field1", "doc_with_only_field2", "none"))
				s.must("HSET", "doc_with_only_field1", "f1", ft.v2, "id", "1", Int(1))
				s.must("DEL", "doc_with_only_field2", Int(1))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@f1)", "NOCONTENT", "DIALECT", "2"), ids(1, "none"))
				s.must("DEL", "none", Int(1))
				s.search(cmd("FT.SEARCH", "idx", "ismissing(@f1)", "NOCONTENT", "DIALECT", "2"), ids(0))
			}
		}},
	})
}
