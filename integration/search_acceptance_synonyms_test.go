package integration

import (
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// synDocs are the two documents of test_synonyms.py's multiple-documents
// case.
func (s *session) synDocs() {
	s.t.Helper()
	s.must("HSET", "doc1", "title", "he is a boy", "body", "this is a test", Int(2))
	s.must("HSET", "doc2", "title", "she is a girl", "body", "the child sister", Int(2))
}

var (
	synDoc1 = pairsAnyOrder("title", "he is a boy", "body", "this is a test")
	synDoc2 = pairsAnyOrder("title", "she is a girl", "body", "the child sister")
)

// TestSearchAcceptanceSynonyms: FT.SYNUPDATE, FT.SYNDUMP and synonym
// matching, from tests/pytests/test_synonyms.py and the command docs
// (ft.synupdate.md, ft.syndump.md), standalone and through a 3-shard
// cluster (FT.SYNUPDATE runs on every shard; FT.SYNDUMP is answered by the
// shard asked, each shard holding the same groups).
func TestSearchAcceptanceSynonyms(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"basic use case", func(s *session) {
			// testBasicSynonymsUseCase: a word of a group finds the
			// documents holding another, with the SYNONYM expander and with
			// the default one (synonyms, phonetics, stems).
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", OK)
			s.must("HSET", "doc1", "title", "he is a boy", "body", "this is a test", Int(2))
			s.search(cmd("FT.SEARCH", "idx", "child", "EXPANDER", "SYNONYM"), Arr(Int(1), Bulk("doc1"), synDoc1))
			s.search(cmd("FT.SEARCH", "idx", "child"), Arr(Int(1), Bulk("doc1"), synDoc1))
			// Without expansion the group's term is not looked for.
			s.search(cmd("FT.SEARCH", "idx", "child", "EXPANDER", "SBSTEM"), ids(0))
			s.search(cmd("FT.SEARCH", "idx", "child", "VERBATIM"), ids(0))
			s.search(cmd("FT.SEARCH", "idx", `"child"`), ids(0))
		}},
		{"term in two groups", func(s *session) {
			// testTermOnTwoSynonymsGroup, testSynonymGroupWithThreeSynonyms.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", OK)
			s.must("FT.SYNUPDATE", "idx", "id2", "boy", "offspring", OK)
			s.must("FT.SYNUPDATE", "idx", "id3", "boy", "young", "kid", OK)
			s.must("HSET", "doc1", "title", "he is a boy", "body", "this is a test", Int(2))
			for _, q := range []string{"child", "offspring", "young", "kid", "KID"} {
				s.search(cmd("FT.SEARCH", "idx", q, "EXPANDER", "SYNONYM"), Arr(Int(1), Bulk("doc1"), synDoc1))
			}
		}},
		{"multiple documents", func(s *session) {
			// testSynonymWithMultipleDocs, under the scorer its module
			// version defaulted to (TFIDF): both documents score 1 (~id1
			// once, IDF logb(1 + 2/2) = 1, maximum frequency 1). The module
			// breaks the tie by id, the lower first (cmpByScore); its 1.x
			// test, from before that rule, listed doc2 first.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", "offspring", OK)
			s.synDocs()
			s.ranked(cmd("FT.SEARCH", "idx", "offspring", "EXPANDER", "SYNONYM", "SCORER", "TFIDF", "WITHSCORES"),
				Arr(Int(2), Bulk("doc1"), score("1"), synDoc1, Bulk("doc2"), score("1"), synDoc2))
			// testTwoSynonymsSearch: the group's term in an intersection.
			s.must("HSET", "doc3", "title", "he is a boy child boy", "body", "another test", Int(2))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "offspring offspring", "EXPANDER", "SYNONYM", "NOCONTENT"),
				ids(3, "doc1", "doc2", "doc3"))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "offspring another", "NOCONTENT"), ids(1, "doc3"))
		}},
		{"update and rescan", func(s *session) {
			// testSynonymUpdate: with SKIPINITIALSCAN only the documents
			// indexed after the update get the group's term; without it the
			// module re-indexes every document (IndexSpec_ScanAndReindex),
			// under new ids.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", "offspring", OK)
			s.must("HSET", "doc1", "title", "he is a baby", "body", "this is a test", Int(2))
			s.must("FT.SYNUPDATE", "idx", "id1", "SKIPINITIALSCAN", "baby", OK)
			s.must("HSET", "doc2", "title", "he is another baby", "body", "another test", Int(2))
			s.search(cmd("FT.SEARCH", "idx", "child", "EXPANDER", "SYNONYM", "NOCONTENT"), ids(1, "doc2"))
			s.must("FT.SYNUPDATE", "idx", "id1", "skipinitialscan", "infant", OK) // any case
			s.search(cmd("FT.SEARCH", "idx", "child", "NOCONTENT"), ids(1, "doc2"))
			s.must("FT.SYNUPDATE", "idx", "id1", "baby", OK)
			s.waitIndexed("idx")
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "child", "NOCONTENT"), ids(2, "doc1", "doc2"))
			if !s.inCluster() {
				// Both documents indexed again: ids 3 and 4.
				s.mustInfo("idx", "max_doc_id", Int(4))
				s.mustInfo("idx", "num_docs", Int(2))
			}
		}},
		{"FT.SYNDUMP", func(s *session) {
			// testSynonymDump, in the module's order: its synonym map is a
			// Redis dict hashed with SipHash-1-2 under an all-zero seed.
			// By hand (module/index TestSynonymDumpOrder has the steps):
			// boy, child, offspring go to bucket 3 of 4 (newest first),
			// baby to bucket 0; tree starts the rehash to 8 buckets (bucket
			// 6 of the new table), and the lookup and insertion of wood
			// finish it: baby 0, wood 1, boy 3, tree 6, child and offspring
			// 7 (child moved last, so first).
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNDUMP", "idx", s.kvMap())
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", "offspring", OK)
			s.must("FT.SYNUPDATE", "idx", "id2", "baby", "child", OK)
			s.must("FT.SYNUPDATE", "idx", "id3", "tree", "wood", OK)
			s.must("FT.SYNDUMP", "idx", s.kvMap(
				Bulk("baby"), Arr(Bulk("id2")),
				Bulk("wood"), Arr(Bulk("id3")),
				Bulk("boy"), Arr(Bulk("id1")),
				Bulk("tree"), Arr(Bulk("id3")),
				Bulk("child"), Arr(Bulk("id1"), Bulk("id2")),
				Bulk("offspring"), Arr(Bulk("id1"))))
			// A group is added to a word once; words are lower-cased.
			s.must("FT.SYNUPDATE", "idx", "id1", "BOY", "boy", OK)
			s.must("FT.CREATE", "idx2", "ON", "HASH", "SCHEMA", "t", "text", OK)
			s.must("FT.SYNUPDATE", "idx2", "id1", "SKIPINITIALSCAN", OK)
			s.must("FT.SYNDUMP", "idx2", s.kvMap())
			s.must("FT.SYNUPDATE", "idx2", "id1", "Hello", "HELLO", OK)
			s.must("FT.SYNUPDATE", "idx2", "", "hello", OK)
			s.must("FT.SYNDUMP", "idx2", s.kvMap(Bulk("hello"), Arr(Bulk("id1"), Bulk(""))))
			// Through an alias.
			s.must("FT.ALIASADD", "ali", "idx2", OK)
			s.must("FT.SYNDUMP", "ali", s.kvMap(Bulk("hello"), Arr(Bulk("id1"), Bulk(""))))
		}},
		{"errors", func(s *session) {
			// testSynonymUpdateWorngArity, testSynonymDumpWorngArity,
			// testSynonymUnknownIndex; 8.2 answers an unknown index with
			// "<name>: no such index" (its FT.SYNUPDATE wrapper looks the
			// index up first, SynDumpCommand likewise).
			s.must("FT.SYNUPDATE", "nosuch", "id1", "child", Err("nosuch: no such index"))
			s.must("FT.SYNDUMP", "nosuch", Err("nosuch: no such index"))
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.mustErr(wrongArity, "FT.SYNUPDATE", "idx", "id1")
			s.mustErr(wrongArity, "FT.SYNUPDATE", "idx")
			s.mustErr(wrongArity, "FT.SYNDUMP")
			s.mustErr(wrongArity, "FT.SYNDUMP", "idx", "foo")
			s.must("FT.SYNADD", "idx", "boy", "child", Err("No longer supported, use FT.SYNUPDATE"))
		}},
		{"scores", func(s *session) {
			// A word's group term counts each word of the group (weight 1,
			// its position) in the document's maximum frequency but not in
			// its length. doc1's words: he, boy, child, boy, another, test
			// (length 6; "is", "a" are stop words); ~id1 has frequency 3 at
			// positions 2, 3, 4, the document's maximum.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", "offspring", OK)
			s.must("HSET", "doc1", "title", "he is a boy child boy", "body", "another test", Int(2))
			s.must("HSET", "doc2", "title", "girl", "body", "nothing here", Int(2))
			if s.inCluster() {
				// Each shard scores with its own statistics.
				s.searchAnyOrder(cmd("FT.SEARCH", "idx", "offspring", "NOCONTENT"), ids(1, "doc1"))
				s.searchAnyOrder(cmd("FT.SEARCH", "idx", "child", "NOCONTENT"), ids(1, "doc1"))
				return
			}
			// offspring: only ~id1 is indexed; IDF logb(1 + 2/1) = 1.
			// TFIDF 3 × 1 / max frequency 3 = 1; TFIDF.DOCNORM 3 / length 6.
			s.search(cmd("FT.SEARCH", "idx", "offspring", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF"),
				Arr(Int(1), Bulk("doc1"), score("1")))
			s.search(cmd("FT.SEARCH", "idx", "offspring", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF.DOCNORM"),
				Arr(Int(1), Bulk("doc1"), score("0.5")))
			// child: child (1 × 1) + ~id1 (3 × 1) = 4, over 3; the union's
			// slop factor is 1 (child at 3, ~id1 at 2: distance 1).
			s.search(cmd("FT.SEARCH", "idx", "child", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF"),
				Arr(Int(1), Bulk("doc1"), score("1.3333333333333333")))
		}},
		{"FT.EXPLAIN", func(s *session) {
			// A word of a group expands to the group's term, before its
			// phonetic code and its stems (DefaultExpander).
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "PHONETIC", "dm:en", "body", "text", OK)
			s.must("FT.SYNUPDATE", "idx", "id1", "boy", "child", OK)
			s.must("FT.SYNUPDATE", "idx", "id2", "child", OK)
			s.must("FT.EXPLAIN", "idx", "child", Bulk("UNION {\n  child\n  ~id1(expanded)\n  ~id2(expanded)\n  <XLT(expanded)\n  +child(expanded)\n}\n"))
			s.must("FT.EXPLAIN", "idx", "@body:child", Bulk("@body:UNION {\n  @body:child\n  @body:~id1(expanded)\n  @body:~id2(expanded)\n  @body:+child(expanded)\n}\n"))
			s.must("FT.EXPLAIN", "idx", "child", "EXPANDER", "SYNONYM", Bulk("UNION {\n  child\n  ~id1(expanded)\n  ~id2(expanded)\n}\n"))
			s.must("FT.EXPLAIN", "idx", "child", "VERBATIM", Bulk("child\n"))
		}},
	})
}

// TestSearchAcceptancePhonetic: PHONETIC fields and $phonetic, from
// tests/pytests/test_phonetic.py, standalone and through a 3-shard cluster.
func TestSearchAcceptancePhonetic(t *testing.T) {
	const matcherErr = "Matcher Format: <2 chars algorithm>:<2 chars language>. Support algorithms: " +
		"double metaphone (dm). Supported languages: English (en), French (fr), Portuguese (pt) and Spanish (es)"
	runAcceptance(t, []acceptanceCase{
		{"basic", func(s *session) {
			// testBasicPoneticCase: morfix and morphix both code MRFK.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", "PHONETIC", "dm:en", "SORTABLE", OK)
			s.must("HSET", "doc1", "text", "morfix", Int(1))
			doc := Arr(Int(1), Bulk("doc1"), Arr(Bulk("text"), Bulk("morfix")))
			s.search(cmd("FT.SEARCH", "idx", "morphix"), doc)
			s.search(cmd("FT.SEARCH", "idx", "@text:morphix"), doc)
			s.search(cmd("FT.SEARCH", "idx", "@text:morphix=>{$phonetic:true}"), doc)
			s.search(cmd("FT.SEARCH", "idx", "@text:morphix=>{$phonetic:false}"), ids(0))
			for _, m := range []string{"dm:fr", "dm:pt", "dm:es"} {
				s.must("FT.CREATE", "idx-"+m, "ON", "HASH", "PREFIX", "1", "x:", "SCHEMA", "text", "TEXT", "PHONETIC", m, OK)
			}
		}},
		{"bad matchers", func(s *session) {
			// testBasicPoneticWrongDeclaration; the matcher is checked as
			// written, in lower case (checkPhoneticAlgorithmAndLang).
			for _, m := range []string{"something", "kk:tt", "dm:tt", "ll:en", "DM:EN", "dm:en ", "dm:e"} {
				s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", "PHONETIC", m, "SORTABLE", Err(matcherErr))
			}
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", "PHONETIC", Err("PHONETIC requires an argument"))
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", OK)
			s.must("FT.ALTER", "idx", "SCHEMA", "ADD", "t2", "TEXT", "PHONETIC", "xx", Err(matcherErr))
		}},
		{"field without phonetics", func(s *session) {
			// testPoneticOnNonePhoneticField.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", "PHONETIC", "dm:en", "SORTABLE", "text1", "TEXT", "SORTABLE", OK)
			s.must("HSET", "doc1", "text", "morfix", "text1", "phonetic", Int(2))
			doc := Arr(Int(1), Bulk("doc1"), pairsAnyOrder("text", "morfix", "text1", "phonetic"))
			s.search(cmd("FT.SEARCH", "idx", "morphix"), doc)
			s.search(cmd("FT.SEARCH", "idx", "@text:morphix"), doc)
			s.search(cmd("FT.SEARCH", "idx", "phonetic"), doc)
			s.search(cmd("FT.SEARCH", "idx", "fonetic"), ids(0))
			s.search(cmd("FT.SEARCH", "idx", "@text1:morphix"), ids(0))
			s.must("FT.SEARCH", "idx", "@text1:morphix=>{$phonetic:true}", Err("field does not support phonetics"))
			s.must("FT.SEARCH", "idx", "@text1:morphix=>{$phonetic:false}", Err("field does not support phonetics"))
			s.must("FT.EXPLAIN", "idx", "@text1:morphix=>{$phonetic:true}", Err("field does not support phonetics"))
			// No expansion, no check.
			s.search(cmd("FT.SEARCH", "idx", "@text1:morphix=>{$phonetic:true}", "VERBATIM"), ids(0))
			s.search(cmd("FT.SEARCH", "idx", "@text1:morphix=>{$phonetic:true}", "EXPANDER", "SBSTEM"), ids(0))
		}},
		{"aggregate", func(s *session) {
			// testPoneticWithAggregation.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "text", "TEXT", "PHONETIC", "dm:en", "SORTABLE", "text1", "TEXT", "SORTABLE", OK)
			s.must("HSET", "doc1", "text", "morfix", "text1", "phonetic", Int(2))
			row := Arr(Int(1), Arr(Bulk("text"), Bulk("morfix"), Bulk("text1"), Bulk("phonetic")))
			for _, q := range []string{"morphix", "@text:morphix", "phonetic"} {
				s.aggregate(cmd("FT.AGGREGATE", "idx", q, "LOAD", "2", "@text", "@text1"), row)
			}
			s.aggregate(cmd("FT.AGGREGATE", "idx", "@text1:morphix", "LOAD", "2", "@text", "@text1"), Arr(Int(0)))
			if !s.inCluster() {
				// The module's test checks the errors standalone only.
				s.mustErr("field does not support phonetics", "FT.AGGREGATE", "idx", "@text1:morphix=>{$phonetic:true}")
				s.mustErr("field does not support phonetics", "FT.AGGREGATE", "idx", "@text1:morphix=>{$phonetic:false}")
			}
		}},
		{"short words", func(s *session) {
			// testPoneticWithSmallTerm: jon (3 bytes, the default
			// MIN_PHONETIC_TERM_LEN) and john both code JN.
			s.must("FT.CREATE", "complainants", "ON", "HASH", "SCHEMA", "name", "text", "PHONETIC", "dm:en", "almamater", "text", "PHONETIC", "dm:en", OK)
			s.must("HSET", "foo64", "name", "jon smith", "almamater", "Trent", Int(2))
			s.must("HSET", "foo65", "name", "john jones", "almamater", "Toronto", Int(2))
			s.searchAnyOrder(cmd("FT.SEARCH", "complainants", "@name:(john=>{$phonetic:true})"), Arr(Int(2),
				Bulk("foo64"), pairsAnyOrder("name", "jon smith", "almamater", "Trent"),
				Bulk("foo65"), pairsAnyOrder("name", "john jones", "almamater", "Toronto")))
		}},
		{"numbers", func(s *session) {
			// testPoneticOnNumbers: "2015" indexes the code "<" (no letter
			// codes), but a number in a query is not expanded.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "test", "TEXT", "PHONETIC", "dm:en", OK)
			s.must("HSET", "doc1", "test", "this is 2015 test", Int(1))
			s.must("HSET", "doc2", "test", "this is 04 test", Int(1))
			for _, dialect := range []string{"1", "2"} {
				s.search(cmd("FT.SEARCH", "idx", "04", "DIALECT", dialect), Arr(Int(1), Bulk("doc2"), Arr(Bulk("test"), Bulk("this is 04 test"))))
			}
			s.must("FT.EXPLAIN", "idx", "04", Bulk("04\n"))
		}},
		{"issue 1313 and 3836", func(s *session) {
			// testIssue1313: $phonetic checks the field's TEXT id, wherever
			// the field is in the schema.
			s.must("FT.CREATE", "test", "ON", "HASH", "SCHEMA", "topic2", "TEXT", "NOINDEX", "topic", "TEXT", "PHONETIC", "dm:en", OK)
			s.search(cmd("FT.SEARCH", "test", "@topic:(tmp)=>{$phonetic:true}"), ids(0))
			s.must("FT.CREATE", "test1", "ON", "HASH", "SCHEMA", "topic", "TEXT", "PHONETIC", "dm:en", "topic2", "TEXT", "NOINDEX", OK)
			s.search(cmd("FT.SEARCH", "test1", "@topic:(tmp)=>{$phonetic: true}"), ids(0))
			// testIssue3836 (shorter): a long word is coded from its start.
			s.must("FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc", "SCHEMA", "text", "TEXT", "PHONETIC", "dm:en", "SORTABLE", OK)
			s.must("HSET", "doc1", "text", "morfix", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@text:morphix=>{$phonetic:true}"), Arr(Int(1), Bulk("doc1"), Arr(Bulk("text"), Bulk("morfix"))))
			s.search(cmd("FT.SEARCH", "idx", "@text:"+strings.Repeat("A", 65535*2)+"=>{$phonetic:true}"), ids(0))
		}},
		{"field position", func(s *session) {
			// RediSearch issue #10140: without $phonetic, the module looks
			// for a PHONETIC field at the schema position of the word's TEXT
			// bit, so a PHONETIC field declared after a TAG field gets no
			// phonetic expansion under its modifier; without a modifier, or
			// with $phonetic:true, it does. cash and kash both code KX.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "filingDate", "TAG", "chunkText", "TEXT", "PHONETIC", "dm:en", OK)
			s.must("HSET", "doc1", "chunkText", "cash", "filingDate", "2026-06-15", Int(2))
			s.search(cmd("FT.SEARCH", "idx", "@chunkText:kash", "NOCONTENT"), ids(0))
			s.search(cmd("FT.SEARCH", "idx", "kash", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "@chunkText:kash=>{$phonetic:true}", "NOCONTENT"), ids(1, "doc1"))
			s.must("FT.CREATE", "first", "ON", "HASH", "SCHEMA", "chunkText", "TEXT", "PHONETIC", "dm:en", "filingDate", "TAG", OK)
			s.search(cmd("FT.SEARCH", "first", "@chunkText:kash", "NOCONTENT"), ids(1, "doc1"))
			s.must("FT.EXPLAIN", "first", "@chunkText:kash",
				Bulk("@chunkText:UNION {\n  @chunkText:kash\n  @chunkText:<KX(expanded)\n  @chunkText:+kash(expanded)\n}\n"))
		}},
		{"scores", func(s *session) {
			// jon: code JN; john: JN; jones: JNS; smith: SM0. N = 3.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "name", "TEXT", "PHONETIC", "dm:en", OK)
			s.must("HSET", "doc1", "name", "jon smith", Int(1))
			s.must("HSET", "doc2", "name", "john jones", Int(1))
			s.must("HSET", "doc3", "name", "mary", Int(1))
			if s.inCluster() {
				s.searchAnyOrder(cmd("FT.SEARCH", "idx", "@name:john", "NOCONTENT"), ids(2, "doc1", "doc2"))
				s.searchAnyOrder(cmd("FT.SEARCH", "idx", "@name:john=>{$phonetic:false}", "NOCONTENT"), ids(1, "doc2"))
				return
			}
			// IDF (logb(1 + N/n)): john 2 (one document), <JN 1 (two).
			// doc2: john 1 × 2 + <JN 1 × 1 = 3 (both at position 1: the
			// union's slop factor is its children less one, 1); doc1: <JN
			// only, 1.
			s.search(cmd("FT.SEARCH", "idx", "@name:john", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF"),
				Arr(Int(2), Bulk("doc2"), score("3"), Bulk("doc1"), score("1")))
			s.search(cmd("FT.SEARCH", "idx", "@name:john=>{$phonetic:false}", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF"),
				Arr(Int(1), Bulk("doc2"), score("2")))
		}},
		{"minimum length and carried code", func(s *session) {
			// A word shorter than MIN_PHONETIC_TERM_LEN gets no code of its
			// own; it repeats the last code of its value (the module's
			// tokenizer keeps the previous token's code). "ed" and "edd"
			// both code AT.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "name", "TEXT", "PHONETIC", "dm:en", OK)
			s.must("HSET", "doc1", "name", "ed", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "edd", "NOCONTENT"), ids(0))
			s.must("CONFIG", "SET", "search-min-phonetic-term-len", "2", OK)
			s.must("HSET", "doc2", "name", "ed", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "edd", "NOCONTENT"), ids(1, "doc2"))
			s.must("CONFIG", "SET", "search-min-phonetic-term-len", "3", OK)
			// smith (SM0) then jo: jo's position also holds <SM0, so <SM0
			// has frequency 2 over a length of 2. smyth codes SM0 too;
			// TFIDF.DOCNORM: 2 × IDF logb(1 + 3/1) = 2, over 2: 2, where a
			// single code would give 1.
			s.must("HSET", "doc3", "name", "smith jo", Int(1))
			if !s.inCluster() {
				s.search(cmd("FT.SEARCH", "idx", "smyth", "WITHSCORES", "NOCONTENT", "SCORER", "TFIDF.DOCNORM"),
					Arr(Int(1), Bulk("doc3"), score("2")))
			}
		}},
	})
}
