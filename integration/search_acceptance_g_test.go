package integration

import (
	"fmt"
	"slices"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceAdmin: §5 G, FT.INFO, FT._LIST, FT.DROPINDEX,
// FT.ALTER, FT.EXPLAIN, FT.CONFIG, FT.CREATE errors (C49–C56).
func TestSearchAcceptanceAdmin(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C49 FT.INFO basics", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "NOFIELDS", "SCHEMA", "title", "text", OK)
			s.hsetDocs(50, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
				return []string{"title", fmt.Sprintf("hello term%d", i)}
			})
			s.mustInfo("idx", "index_name", Status("idx"))
			s.mustInfo("idx", "index_options", Arr(Status("NOFIELDS")))
			s.mustInfo("idx", "attributes", Arr(s.attribute(fieldAttr{name: "title", typ: "TEXT", weight: "1"})))
			s.mustInfo("idx", "num_docs", Int(50))
			s.mustInfo("idx", "num_records", Int(100))
			s.mustInfo("idx", "records_per_doc_avg", s.double("2"))
			if s.inCluster() {
				// The module's coordinator (coord/src/info_command.c,
				// toplevelSpecs_g) adds up the shards' num_terms
				// (InfoField_WholeSum: a term on two shards counts twice)
				// and keeps the largest max_doc_id (InfoField_Max).
				// By hand: doc0..doc49 hash (CLUSTER KEYSLOT of a stock
				// redis-server) to 15 keys in slots 0-5460, 18 in
				// 5461-10922 and 17 in 10923-16383, startCluster's three
				// ranges. Each shard's dictionary holds "hello" and its own
				// documents' termN: (1+15) + (1+18) + (1+17) = 53 terms.
				// Each shard numbers its documents from 1: max_doc_id is 18.
				s.mustInfo("idx", "num_terms", Int(53))
				s.mustInfo("idx", "max_doc_id", Int(18))
				return
			}
			s.mustInfo("idx", "num_terms", Int(51))
			s.mustInfo("idx", "max_doc_id", Int(50))
		}},
		{"C49 FT.INFO index_options", func(s *session) {
			s.must("FT.CREATE", "plain", "SCHEMA", "t", "TEXT", OK)
			s.must("FT.CREATE", "tagged", "SCHEMA", "tg", "TAG", OK)
			s.mustInfo("tagged", "attributes", Arr(s.attribute(fieldAttr{name: "tg", typ: "TAG", separator: ","})))
			s.mustInfo("plain", "index_options", Arr())
			s.must("FT.CREATE", "nooffsets", "NOOFFSETS", "SCHEMA", "t", "TEXT", OK)
			got := s.info("nooffsets")["index_options"]
			for _, want := range []string{"NOOFFSETS", "NOHL"} {
				if !slices.ContainsFunc(got.elems, func(e reply) bool { return e.str == want }) {
					s.t.Errorf("FT.INFO nooffsets: index_options %v lacks %s", got, want)
				}
			}
		}},
		{"C49 FT.INFO NUMERIC attributes", func(s *session) {
			for _, tc := range []struct {
				opts  []string
				flags []string
			}{
				{nil, nil},
				{[]string{"SORTABLE"}, []string{"SORTABLE", "UNF"}},
				{[]string{"SORTABLE", "UNF"}, []string{"SORTABLE", "UNF"}},
				{[]string{"SORTABLE", "NOINDEX"}, []string{"SORTABLE", "UNF", "NOINDEX"}},
			} {
				name := fmt.Sprintf("idx%d", len(tc.opts))
				if len(tc.opts) == 2 {
					name += tc.opts[1]
				}
				s.must(append(append(cmd("FT.CREATE", name, "SCHEMA", "n", "NUMERIC"), tc.opts...), OK)...)
				s.mustInfo(name, "attributes", Arr(s.attribute(fieldAttr{name: "n", typ: "NUMERIC", flags: tc.flags})))
			}
		}},
		{"C49 FT.INFO reply types", func(s *session) {
			// §1.4 and info_command.c: keys, index_name and the index_definition
			// strings are simple strings; counters are integers.
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			r := s.do("FT.INFO", "idx")
			if r.kind != '*' && r.kind != '%' {
				s.t.Fatalf("FT.INFO: %v", r)
			}
			if s.proto == 3 && r.kind != '%' {
				s.t.Errorf("FT.INFO in RESP3: got %c, want a map", r.kind)
			}
			var bulkKeys []string
			for i := 0; i+1 < len(r.elems); i += 2 {
				if r.elems[i].kind != '+' {
					bulkKeys = append(bulkKeys, r.elems[i].str)
				}
			}
			if len(bulkKeys) > 0 {
				s.t.Errorf("FT.INFO keys that are not simple strings: %q", bulkKeys)
			}
			info := s.pairs(r, "FT.INFO")
			for _, key := range []string{"index_name", "index_options", "index_definition", "attributes"} {
				if bulk := bulkStringsIn(info[key], key, map[string]bool{"WEIGHT": true, "default_score": true}); len(bulk) > 0 {
					s.t.Errorf("FT.INFO %s: bulk strings where 8.2 sends simple strings: %v", key, bulk)
				}
			}
			for _, key := range []string{"num_docs", "max_doc_id", "num_terms", "num_records", "hash_indexing_failures", "indexing"} {
				if info[key].kind != ':' {
					s.t.Errorf("FT.INFO %s: got %v, want an integer", key, info[key])
				}
			}
			if len(r.elems) < 6 || r.elems[0].str != "index_name" || r.elems[2].str != "index_options" || r.elems[4].str != "index_definition" {
				s.t.Errorf("FT.INFO must start with index_name, index_options, index_definition: %v", r)
			}
		}},
		{"C50 FT.INFO index_definition", func(s *session) {
			s.must("FT.CREATE", "test", "SCHEMA", "t", "TEXT", OK)
			s.mustInfo("test", "index_definition", s.kvMap(
				Status("key_type"), Status("HASH"), Status("prefixes"), Arr(Status("")),
				Status("default_score"), s.double("1"), Status("indexes_all"), Status("false")))
		}},
		{"C50 FT.INFO index_definition, all options but FILTER", func(s *session) {
			s.must("FT.CREATE", "test", "ON", "HASH", "PREFIX", "2", "student:", "pupil:", "language", "hindi",
				"language_field", "lang", "score", "0.5", "score_field", "score", "payload_field", "pl", "SCHEMA", "t", "TEXT", OK)
			s.mustInfo("test", "index_definition", s.kvMap(
				Status("key_type"), Status("HASH"), Status("prefixes"), Arr(Status("student:"), Status("pupil:")),
				Status("default_language"), Status("hindi"), Status("language_field"), Status("lang"),
				Status("default_score"), s.double("0.5"), Status("score_field"), Status("score"),
				Status("payload_field"), Status("pl"), Status("indexes_all"), Status("false")))
		}},
		{"C50 FT.INFO index_definition with FILTER", func(s *session) {
			// The reference case (test_followhashes.py::testInfo, 8.2): the
			// filter, as given, comes right after the prefixes.
			s.must("FT.CREATE", "test", "ON", "HASH", "PREFIX", "2", "student:", "pupil:", "FILTER", "@age > 16", "language", "hindi",
				"language_field", "lang", "score", "0.5", "score_field", "score", "payload_field", "pl", "SCHEMA", "t", "TEXT", OK)
			s.mustInfo("test", "index_definition", s.kvMap(
				Status("key_type"), Status("HASH"), Status("prefixes"), Arr(Status("student:"), Status("pupil:")),
				Status("filter"), Status("@age > 16"),
				Status("default_language"), Status("hindi"), Status("language_field"), Status("lang"),
				Status("default_score"), s.double("0.5"), Status("score_field"), Status("score"),
				Status("payload_field"), Status("pl"), Status("indexes_all"), Status("false")))
		}},
		{"C50 FT.CREATE FILTER indexes what the expression admits", func(s *session) {
			// test_filter.py::testMultiFilters2: "@age > 16" over two prefixes.
			s.must("FT.CREATE", "test", "ON", "HASH", "PREFIX", "2", "student:", "pupil:", "FILTER", "@age > 16",
				"SCHEMA", "first", "TEXT", "last", "TEXT", "age", "NUMERIC", OK)
			s.mustAll(
				cmd("HSET", "student:yes1", "first", "yes1", "last", "yes1", "age", "17", Int(3)),
				cmd("HSET", "student:no1", "first", "no1", "last", "no1", "age", "15", Int(3)),
				cmd("HSET", "pupil:yes2", "first", "yes2", "last", "yes2", "age", "17", Int(3)),
				cmd("HSET", "pupil:no2", "first", "no2", "last", "no2", "age", "15", Int(3)),
			)
			s.searchAnyOrder(cmd("FT.SEARCH", "test", "*"), Arr(Int(2),
				Bulk("pupil:yes2"), Strs("first", "yes2", "last", "yes2", "age", "17"),
				Bulk("student:yes1"), Strs("first", "yes1", "last", "yes1", "age", "17")))
			// An update that fails the filter takes the document out, one
			// that passes it brings it in; a missing age keeps it out.
			s.must("HSET", "student:yes1", "age", "16", Int(0))
			s.must("HSET", "student:no1", "age", "30", Int(0))
			s.must("HDEL", "pupil:yes2", "age", Int(1))
			s.searchAnyOrder(cmd("FT.SEARCH", "test", "*", "NOCONTENT"), ids(1, "student:no1"))
			s.mustInfo("test", "hash_indexing_failures", Int(0))
		}},
		{"C50 FT.CREATE FILTER that does not parse", func(s *session) {
			// The rule's expression is parsed before SCHEMA's fields are
			// read; the parser's message is the reply (test_followhashes.py
			// ::testInvalidArgs: FILTER 'aSCHEMA' 'foo' 'text' → "Unknown
			// symbol 'aSCHEMA'", before the unknown argument foo).
			s.must("FT.CREATE", "idx2", "FILTER", "aSCHEMA", "foo", "text", Err("Unknown symbol 'aSCHEMA'"))
			s.must("FT.CREATE", "idx2", "FILTER", "nosuch(@a)", "SCHEMA", "t", "TEXT", Err("Unknown function name 'nosuch'"))
			s.mustErr("Syntax error", "FT.CREATE", "idx2", "FILTER", "@age >", "SCHEMA", "t", "TEXT")
			s.must("FT._LIST", s.nameSet())
		}},
		{"C51 FT._LIST", func(s *session) {
			s.must("FT.CREATE", "idx1", "ON", "HASH", "SCHEMA", "n", "NUMERIC", OK)
			s.must("FT.CREATE", "idx2", "ON", "HASH", "SCHEMA", "n", "NUMERIC", OK)
			s.must("FT._LIST", s.nameSet(Status("idx1"), Status("idx2")))
			s.must("FT.DROPINDEX", "idx1", OK)
			s.must("FT._LIST", s.nameSet(Status("idx2")))
			s.must("FT.CREATE", "idx3", "ON", "HASH", "SCHEMA", "n", "NUMERIC", OK)
			s.must("FT._LIST", s.nameSet(Status("idx2"), Status("idx3")))
		}},
		{"C52 FT.DROPINDEX [DD]", func(s *session) {
			create := cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "t1", "tag", OK)
			s.must(create...)
			s.mustErr(wrongArity, "FT.DROPINDEX")
			s.mustErr(wrongArity, "FT.DROPINDEX", "idx", "dd", "666")
			s.must("FT.DROPINDEX", "idx", "DE", Err("Unknown argument"))
			addDocs := func() {
				s.hsetDocs(100, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(int) []string { return []string{"t1", "foo bar"} })
			}
			addDocs()
			s.must("FT.DROPINDEX", "idx", "dd", OK)
			s.must("DBSIZE", Int(0))
			s.must("FT._LIST", s.nameSet())
			s.must(create...)
			addDocs()
			s.must("FT.DROPINDEX", "idx", OK)
			s.must("DBSIZE", Int(100))
			// redis-py 4.3 sends FT.DROPINDEX idx "" (accepted as 2.10 did).
			s.must(create...)
			s.waitIndexed("idx")
			s.must("FT.DROPINDEX", "idx", "", OK)
			s.must("DBSIZE", Int(100))
			s.must("FT.DROPINDEX", "idx", Err("idx: no such index"))
		}},
		{"C53 FT.ALTER SCHEMA ADD", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "f1", "TEXT", OK),
				cmd("HSET", "doc1", "f1", "hello", "f2", "world", Int(2)),
				cmd("FT.ALTER", "idx", "SCHEMA", "ADD", "f2", "TEXT", OK),
			)
			s.waitIndexed("idx")
			s.must("HSET", "doc2", "f1", "hello", "f2", "world", Int(2))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "world"), Arr(Int(2),
				Bulk("doc1"), Strs("f1", "hello", "f2", "world"), Bulk("doc2"), Strs("f1", "hello", "f2", "world")))
			s.must("FT.ALTER", "idx", "SCHEMA", "ADD", "f3", "TEXT", "SORTABLE", OK)
			s.waitIndexed("idx")
			s.hsetDocs(10, func(i int) string { return fmt.Sprintf("doc%d", i+3) }, func(i int) []string {
				return []string{"f1", "hello", "f3", fmt.Sprintf("val%d", i)}
			})
			elems := []string{Int(12)}
			for i := 9; i >= 0; i-- {
				elems = append(elems, Bulk(fmt.Sprintf("doc%d", i+3)), pairsAnyOrder("f1", "hello", "f3", fmt.Sprintf("val%d", i)))
			}
			// The test compares with assertResultsEqual: the field order of a
			// document is not asserted (the real module may put the sort field first).
			s.search(cmd("FT.SEARCH", "idx", "hello", "SORTBY", "f3", "DESC"), Arr(elems...))
			s.must("FT.ALTER", "idx", "SCHEMA", "ADD", "n1", "NUMERIC", OK)
			s.waitIndexed("idx")
			s.must("HSET", "docN1", "n1", "50", Int(1))
			s.must("HSET", "docN2", "n1", "250", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@n1:[0 100]"), Arr(Int(1), Bulk("docN1"), Strs("n1", "50")))
			for _, bad := range [][]string{
				cmd("FT.ALTER", "idx", "SCHEMA", "NOT_ADD", "f2", "TEXT"),
				cmd("FT.ALTER", "idx", "SCHEMA", "ADD"),
				cmd("FT.ALTER", "idx", "SCHEMA", "ADD", "f2"),
				cmd("FT.ALTER", "idx", "ADD", "SCHEMA", "f2", "TEXT"),
				cmd("FT.ALTER", "idx", "f2", "TEXT"),
			} {
				s.mustErr("", bad...)
			}
			s.must("FT.ALTER", "nosuchidx", "SCHEMA", "ADD", "f4", "TEXT", Err("nosuchidx: no such index"))
		}},
		{"C53 redis-py alter_schema_add", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "title", "TEXT", "WEIGHT", "1.0", OK),
				cmd("FT.ALTER", "idx", "SCHEMA", "ADD", "body", "TEXT", "WEIGHT", "1.0", OK),
				cmd("HSET", "doc1", "title", "MyTitle", "body", "Some content only in the body", Int(2)),
			)
			s.searchCount(cmd("FT.SEARCH", "idx", "only in the body", "LIMIT", "0", "10"), 1, 1)
		}},
		{"C54 FT.EXPLAIN", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.mustErr(wrongArity, "FT.EXPLAIN")
			s.mustErr(wrongArity, "FT.EXPLAIN", "idx")
			s.must("FT.EXPLAIN", "idx", "foo", Bulk("UNION {\n  foo\n  +foo(expanded)\n}\n"))
			s.must("FT.EXPLAIN", "idx", "foo", "VERBATIM", Bulk("foo\n"))
			s.must("FT.EXPLAINCLI", "idx", "foo", Strs("UNION {", "  foo", "  +foo(expanded)", "}", ""))
			s.must("FT.EXPLAIN", "non-exist", "foo", Err("non-exist: no such index"))
		}},
		{"C55 FT.CONFIG SET and errors", func(s *session) {
			s.must("FT.CONFIG", "SET", "MINPREFIX", "1", OK)
			s.must("FT.CONFIG", "SET", "MINPREFIX", "1", "2", Status("EXCESSARGS"))
			s.must("FT.CONFIG", "no_such_command", "idx", Status("No such configuration action"))
			s.mustErr(wrongArity, "FT.CONFIG", "idx")
			for _, name := range []string{"MINPREFIX", "TIMEOUT", "MAXEXPANSIONS"} {
				s.must("FT.CONFIG", "SET", name, "str", Err("Could not convert argument to expected type"))
			}
			for _, name := range []string{"EXTLOAD", "NOGC", "MAXDOCTABLESIZE"} {
				s.must("FT.CONFIG", "SET", name, "1", Err("Not modifiable at runtime"))
			}
			s.must("FT.CONFIG", "SET", "ON_TIMEOUT", "1", Err("Invalid ON_TIMEOUT value"))
		}},
		{"C55 FT.CONFIG DEFAULT_DIALECT", func(s *session) {
			s.must("FT.CONFIG", "GET", "DEFAULT_DIALECT", s.configPairs("DEFAULT_DIALECT", Bulk("1")))
			s.must("FT.CONFIG", "SET", "DEFAULT_DIALECT", "2", OK)
			s.must("FT.CONFIG", "GET", "DEFAULT_DIALECT", s.configPairs("DEFAULT_DIALECT", Bulk("2")))
			for _, v := range []string{"0", "-1", "5"} {
				s.mustErr("", "FT.CONFIG", "SET", "DEFAULT_DIALECT", v)
			}
			s.must("FT.CONFIG", "GET", "DEFAULT_DIALECT", s.configPairs("DEFAULT_DIALECT", Bulk("2")))
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("FT.SEARCH", "idx", "hello", "DIALECT", "0", Err("DIALECT requires a non negative integer >=1 and <= 4"))
		}},
		{"C55 FT.CONFIG GET * defaults", func(s *session) {
			all := s.pairsOfConfig(s.do("FT.CONFIG", "GET", "*"))
			for name, want := range map[string]string{
				"MINPREFIX": Bulk("2"), "MAXSEARCHRESULTS": Bulk("1000000"), "MAXAGGREGATERESULTS": Bulk("unlimited"),
				"MAXEXPANSIONS": Bulk("200"), "MAXPREFIXEXPANSIONS": Bulk("200"), "DEFAULT_SCORER": Bulk("BM25STD"),
				"TIMEOUT": Bulk("500"), "WORKERS": Bulk("0"), "ON_TIMEOUT": Bulk("return"), "EXTLOAD": s.null(),
				"NOGC": Bulk("false"), "GC_POLICY": Bulk("fork"), "CURSOR_MAX_IDLE": Bulk("300000"),
			} {
				got, ok := all[name]
				if !ok {
					s.t.Errorf("FT.CONFIG GET *: no %s", name)
					continue
				}
				if d := diff(parseRaw(s.t, want), got, name); d != "" {
					s.t.Errorf("FT.CONFIG GET *: %s", d)
				}
			}
		}},
		{"C55 search-* CONFIG and redis-py config", func(s *session) {
			s.must("CONFIG", "GET", "search-on-timeout", s.kvMap(Bulk("search-on-timeout"), Bulk("return")))
			s.must("CONFIG", "SET", "search-on-timeout", "fail", OK)
			s.must("CONFIG", "GET", "search-on-timeout", s.kvMap(Bulk("search-on-timeout"), Bulk("fail")))
			s.must("FT.CONFIG", "SET", "TIMEOUT", "100", OK)
			s.mustErr("", "FT.CONFIG", "SET", "TIMEOUT", "null")
			got := s.pairsOfConfig(s.do("FT.CONFIG", "GET", "*"))["TIMEOUT"]
			if d := diff(parseRaw(s.t, Bulk("100")), got, "TIMEOUT"); d != "" {
				s.t.Errorf("FT.CONFIG GET * after SET TIMEOUT 100: %s", d)
			}
		}},
		{"C56 duplicate fields and AS aliases", func(s *session) {
			s.must("HSET", "a", "txt", "hello", Int(1))
			s.must("FT.CREATE", "conflict1", "SCHEMA", "txt1", "AS", "foo", "TEXT", "txt2", "AS", "foo", "TAG", Err("Duplicate field in schema - foo"))
			s.must("FT.CREATE", "conflict2", "SCHEMA", "txt", "AS", "foo1", "TEXT", "txt", "AS", "foo2", "TEXT", OK)
			s.waitIndexed("conflict2")
			want := Arr(Int(1), Bulk("a"), Strs("txt", "hello"))
			s.search(cmd("FT.SEARCH", "conflict2", "@foo1:hello"), want)
			s.search(cmd("FT.SEARCH", "conflict2", "@foo2:hello"), want)
			s.search(cmd("FT.SEARCH", "conflict2", "@foo1:world"), Arr(Int(0)))
		}},
		{"C56 FT.CREATE errors", func(s *session) {
			s.must("FT.CREATE", "idx", "ONfoo*", "SCHEMA", "foo", "text", Err("Unknown argument `ONfoo*`"))
			s.must("FT.CREATE", "idx", "SCORE", "10", "SCHEMA", "foo", "text", Err("Invalid score"))
			s.must("FT.CREATE", "idx", "LANGUAGE", "none", "SCHEMA", "foo", "text", Err("Invalid language"))
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", Err("Fields arguments are missing"))
			s.must("FT.CREATE", "idx2", "TEMPORARY", "1000", "foo", "bar", Err("Unknown argument `foo`"))
			s.must("FT.SEARCH", "idx2", "*", Err("No such index idx2"))
			s.must("FT.CREATE", "idx", "SCHEMA", "foo", "text", OK)
			s.must("FT.CREATE", "idx", "SCHEMA", "foo", "text", Err("Index already exists"))
			s.must("FT._LIST", s.nameSet(Status("idx")))
		}},
	})
}

// configPairs is an FT.CONFIG GET reply for one name: [[NAME, value]] in
// RESP2, {NAME: value} in RESP3 (§1.5).
func (s *session) configPairs(name, value string) string {
	if s.proto == 3 {
		return Map3(Status(name), value)
	}
	return Arr(Arr(Status(name), value))
}

// pairsOfConfig turns an FT.CONFIG GET * reply into a map.
func (s *session) pairsOfConfig(r reply) map[string]reply {
	s.t.Helper()
	if s.proto == 3 {
		return s.pairs(r, "FT.CONFIG GET *")
	}
	m := map[string]reply{}
	if r.kind != '*' {
		s.t.Fatalf("FT.CONFIG GET *: %v", r)
	}
	for _, p := range r.elems {
		if p.kind != '*' || len(p.elems) != 2 {
			s.t.Fatalf("FT.CONFIG GET *: bad pair %v", p)
		}
		m[p.elems[0].str] = p.elems[1]
	}
	return m
}
