package integration

import (
	"math"
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// f32 is how the module prints a suggestion's score: a float, printed as
// a double (%.17g).
func f32(v float64) string { return strconv.FormatFloat(float64(float32(v)), 'g', 17, 64) }

// strSet is FT.DICTDUMP's reply: a set in RESP3, an array in RESP2.
func (s *session) strSet(elems ...string) string {
	if s.proto == 3 {
		var raw []string
		for _, e := range elems {
			raw = append(raw, Bulk(e))
		}
		return Set3(raw...)
	}
	return Strs(elems...)
}

// spellSug is an expected suggestion: its score as the module prints it,
// and the word.
type spellSug struct{ score, word string }

// spellTerm is an expected FT.SPELLCHECK answer for one word.
type spellTerm struct {
	term string
	sugs []spellSug
}

// spell is FT.SPELLCHECK's reply (spell_check.c): RESP2
// [[TERM, term, [[score, word], …]], …]; RESP3
// {results: {term: [{word: score}, …], …}}.
func (s *session) spell(terms ...spellTerm) string {
	var out []string
	for _, t := range terms {
		var sugs []string
		for _, sg := range t.sugs {
			if s.proto == 3 {
				sugs = append(sugs, Map3(Bulk(sg.word), Double3(sg.score)))
			} else {
				sugs = append(sugs, Arr(Bulk(sg.score), Bulk(sg.word)))
			}
		}
		if s.proto == 3 {
			out = append(out, Bulk(t.term), Arr(sugs...))
		} else {
			out = append(out, Arr(Status("TERM"), Bulk(t.term), Arr(sugs...)))
		}
	}
	if s.proto == 3 {
		return Map3(Status("results"), Map3(out...))
	}
	return Arr(out...)
}

// spellDocs are test_spell_check.py's three documents.
func (s *session) spellDocs() {
	s.t.Helper()
	s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "name", "TEXT", "body", "TEXT", OK)
	s.must("HSET", "doc1", "name", "name1", "body", "body1", Int(2))
	s.must("HSET", "doc2", "name", "name2", "body", "body2", Int(2))
	s.must("HSET", "doc3", "name", "name2", "body", "name2", Int(2))
}

// TestSearchAcceptanceSuggest: FT.SUGADD, FT.SUGGET, FT.SUGDEL, FT.SUGLEN
// (tests/pytests/test_suggest.py), their key of type trietype0, and their
// errors.
func TestSearchAcceptanceSuggest(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"testSuggestions", func(s *session) {
			s.must("FT.SUGADD", "ac", "hello world", "1", Int(1))
			s.must("FT.SUGADD", "ac", "hello world", "1", "INCR", Int(1))
			s.must("FT.SUGGET", "ac", "hello", Strs("hello world"))
			for i, term := range []string{"hello werld", "hallo world", "yellow world", "wazzup", "herp", "derp"} {
				s.must("FT.SUGADD", "ac", term, strconv.Itoa(i+1), Int(int64(i+2)))
			}
			s.must("FT.SUGLEN", "ac", Int(7))
			s.must("FT.SUGGET", "ac", "hello", Strs("hello world", "hello werld"))
			s.must("FT.SUGGET", "ac", "hello", "FUZZY", Strs("hello world", "hello werld", "yellow world", "hallo world"))
			s.must("FT.SUGGET", "ac", "hello", "FUZZY", "MAX", "1", Strs("hello world"))
			// By hand (trie_type.c Trie_Search): a prefix match's score is
			// divided by sqrt(1 + |len(string) - len(prefix)|); a fuzzy one
			// is first multiplied by exp(-2·distance). "hello world" has
			// score 2 (1, then INCR 1), "hello werld" 1, "yellow world" 3,
			// "hallo world" 2.
			s.must("FT.SUGGET", "ac", "hello", "WITHSCORES", Arr(
				Bulk("hello world"), s.double(f32(2/math.Sqrt(7))), Bulk("hello werld"), s.double(f32(1/math.Sqrt(7)))))
			e2 := math.Exp(-2)
			s.must("FT.SUGGET", "ac", "hello", "FUZZY", "WITHSCORES", Arr(
				Bulk("hello world"), s.double(f32(2/math.Sqrt(7))), Bulk("hello werld"), s.double(f32(1/math.Sqrt(7))),
				Bulk("yellow world"), s.double(f32(float64(float32(3*e2))/math.Sqrt(8))),
				Bulk("hallo world"), s.double(f32(float64(float32(2*e2))/math.Sqrt(7)))))
			s.must("FT.SUGDEL", "ac", "hello world", Int(1))
			s.must("FT.SUGDEL", "ac", "world", Int(0))
			s.must("FT.SUGGET", "ac", "hello", Strs("hello werld"))
		}},
		{"testSuggestErrors", func(s *session) {
			s.must("FT.SUGADD", "ac", "olah", "1", Int(1))
			s.must("FT.SUGADD", "ac", "olah", "1", "INCR", Int(1))
			s.must("FT.SUGADD", "ac", "missing", Err("ERR wrong number of arguments for 'FT.SUGADD' command"))
			s.must("FT.SUGADD", "ac", "olah", "not_a_number", Err("ERR invalid score"))
			s.must("FT.SUGADD", "ac", "olah", "1", "PAYLOAD", Err("Invalid payload: Expected an argument, but none provided"))
			s.must("FT.SUGADD", "ac", "olah", "1", "REDIS", "PAYLOAD", "payload", Err("Unknown argument `REDIS`"))
			s.must("FT.SUGGET", "ac", "olah", "FUZZ", Err("Unrecognized argument: FUZZ"))
			q := "verylongquery"
			for i := 0; i < 3; i++ {
				q += q
			}
			s.must("FT.SUGGET", "ac", q, Err("Invalid query"))
			s.must("FT.SUGGET", "ac", q+q, Err("Invalid query length"))
			// MAX is an unsigned integer of at least 1 (AC_GetUnsigned with
			// AC_F_GE1 | AC_F_COALESCE): a double is cut, a double under 1
			// does not convert, 0 and -1 are out of bounds.
			s.must("FT.SUGGET", "ac", "ol", "MAX", Err("MAX: Expected an argument, but none provided"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "0", Err("MAX: Value is outside acceptable bounds"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "-1", Err("MAX: Value is outside acceptable bounds"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "0.5", Err("MAX: Could not convert argument to expected type"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "x", Err("MAX: Could not convert argument to expected type"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "4294967296", Err("MAX: Value is outside acceptable bounds"))
			s.must("FT.SUGGET", "ac", "ol", "MAX", "1.9", Strs("olah"))
			s.must("FT.SUGGET", "ac", "ol", "max", "1", "fuzzy", "withscores", "trim", "optimize", "withpayloads",
				Arr(Bulk("olah"), s.double(f32(2/math.Sqrt(3))), s.null()))
			s.must("FT.SUGGET", "ac", "o", "FUZZY", "FUZZY", "FUZZY", "FUZZY", "FUZZY", "FUZZY", "FUZZY", "FUZZY",
				Err("ERR wrong number of arguments for 'FT.SUGGET' command"))
			s.must("FT.SUGADD", "ac", "a", "1", "INCR", "INCR", "INCR", "INCR", Err("ERR wrong number of arguments for 'FT.SUGADD' command"))
			s.must("FT.SUGLEN", "ac", "x", Err("ERR wrong number of arguments for 'FT.SUGLEN' command"))
			s.must("FT.SUGDEL", "ac", Err("ERR wrong number of arguments for 'FT.SUGDEL' command"))
		}},
		{"testSuggestPayload", func(s *session) {
			s.must("FT.SUGADD", "ac", "hello world", "1", "PAYLOAD", "foo", Int(1))
			s.must("FT.SUGADD", "ac", "hello werld", "1", "PAYLOAD", "bar", Int(2))
			s.must("FT.SUGADD", "ac", "hello nopayload", "1", "PAYLOAD", "", Int(3))
			s.must("FT.SUGADD", "ac", "hello nopayload2", "1", Int(4))
			s.must("FT.SUGGET", "ac", "hello", "WITHPAYLOADS", Arr(Bulk("hello world"), Bulk("foo"), Bulk("hello werld"), Bulk("bar"),
				Bulk("hello nopayload"), s.null(), Bulk("hello nopayload2"), s.null()))
			s.must("FT.SUGGET", "ac", "hello", Strs("hello world", "hello werld", "hello nopayload", "hello nopayload2"))
			// All four score 1/sqrt(1+|runes-5|): 11 runes and 11, 15, 16.
			s.must("FT.SUGGET", "ac", "hello", "WITHPAYLOADS", "WITHSCORES", Arr(
				Bulk("hello world"), s.double(f32(1/math.Sqrt(7))), Bulk("foo"),
				Bulk("hello werld"), s.double(f32(1/math.Sqrt(7))), Bulk("bar"),
				Bulk("hello nopayload"), s.double(f32(1/math.Sqrt(11))), s.null(),
				Bulk("hello nopayload2"), s.double(f32(1/math.Sqrt(12))), s.null()))
		}},
		{"testIssue_866", func(s *session) {
			s.must("FT.SUGADD", "sug", "test123", "1", Int(1))
			s.must("FT.SUGADD", "sug", "test456", "1", Int(2))
			s.must("FT.SUGDEL", "sug", "test", Int(0))
			s.must("FT.SUGGET", "sug", "", Strs("test123", "test456"))
		}},
		{"testSuggestMax", func(s *session) {
			for i := 0; i < 10; i++ {
				s.must("FT.SUGADD", "sug", "test"+strconv.Itoa(i), strconv.Itoa(i+1), Int(int64(i+1)))
			}
			want := []string{"test9", "7.0710678100585938", "test8", "6.3639612197875977", "test7", "5.6568541526794434",
				"test6", "4.9497475624084473", "test5", "4.242640495300293", "test4", "3.5355339050292969",
				"test3", "2.8284270763397217", "test2", "2.1213202476501465", "test1", "1.4142135381698608",
				"test0", "0.70710676908493042"}
			for n := 1; n <= 10; n++ {
				var elems []string
				for i := 0; i < 2*n; i += 2 {
					elems = append(elems, Bulk(want[i]), s.double(want[i+1]))
				}
				s.must("FT.SUGGET", "sug", "test", "MAX", strconv.Itoa(n), "WITHSCORES", Arr(elems...))
			}
		}},
		{"testSuggestMax2", func(s *session) {
			// Ten equal scores: the module's heap decides (see
			// module/trie's TestHeapTies for the hand trace); the pytest
			// asks only that MAX i keep strings among the first i.
			for i := 0; i < 10; i++ {
				s.must("FT.SUGADD", "sug", "test "+strconv.Itoa(i), "1", Int(int64(i+1)))
			}
			s.must("FT.SUGGET", "sug", "test ", "MAX", "3", Strs("test 0", "test 1", "test 2"))
			s.must("FT.SUGGET", "sug", "test ", "MAX", "5", Strs("test 3", "test 1", "test 0", "test 2", "test 4"))
		}},
		{"testIssue_490", func(s *session) {
			s.must("FT.SUGADD", "sug", "RediSearch", "1", "PAYLOAD", "RediSearch, an awesome search engine", Int(1))
			s.must("FT.SUGGET", "sug", "Redis", "WITHPAYLOADS", Strs("RediSearch", "RediSearch, an awesome search engine"))
			s.must("FT.SUGADD", "sug", "RediSearch", "1", "INCR", Int(1))
			s.must("FT.SUGGET", "sug", "Redis", "WITHPAYLOADS", Strs("RediSearch", "RediSearch, an awesome search engine"))
			s.must("FT.SUGADD", "sug", "RediSearch", "1", "INCR", "PAYLOAD", "RediSearch 2.0, next gen search engine", Int(1))
			s.must("FT.SUGGET", "sug", "Redis", "WITHPAYLOADS", Strs("RediSearch", "RediSearch 2.0, next gen search engine"))
		}},
		{"exact match and zero scores", func(s *session) {
			// A string equal to the folded prefix scores INT_MAX
			// (2147483648 as a float); a score of 0 is not stored, but
			// the key is made (FT.SUGADD replies the size, 0).
			s.must("FT.SUGADD", "sug", "hello", "1", Int(1))
			s.must("FT.SUGADD", "sug", "hellothere", "100", Int(2))
			s.must("FT.SUGGET", "sug", "HELLO", "WITHSCORES", Arr(Bulk("hello"), s.double("2147483648"),
				Bulk("hellothere"), s.double(f32(100/math.Sqrt(6)))))
			s.must("FT.SUGADD", "zero", "a", "0", Int(0))
			s.must("FT.SUGLEN", "zero", Int(0))
			s.must("TYPE", "zero", Status("trietype0"))
			s.must("FT.SUGDEL", "zero", "a", Int(0))
			s.must("EXISTS", "zero", Int(0))
		}},
		{"the trietype0 key", func(s *session) {
			s.must("FT.SUGADD", "{s}ug", "hello", "1", Int(1))
			s.must("TYPE", "{s}ug", Status("trietype0"))
			s.must("EXISTS", "{s}ug", Int(1))
			s.must("DBSIZE", Int(1))
			s.must("GET", "{s}ug", Err(errWrongTypeMsg))
			s.must("HSET", "{s}ug", "f", "v", Err(errWrongTypeMsg))
			s.must("HSET", "{s}hash", "f", "v", Int(1))
			s.must("FT.SUGADD", "{s}hash", "x", "1", Err(errWrongTypeMsg))
			s.must("FT.SUGGET", "{s}hash", "x", Err(errWrongTypeMsg))
			s.must("FT.SUGLEN", "{s}hash", Err(errWrongTypeMsg))
			s.must("FT.SUGDEL", "{s}hash", "x", Err(errWrongTypeMsg))
			s.must("FT.SUGGET", "{s}missing", "x", Arr())
			s.must("FT.SUGLEN", "{s}missing", Int(0))
			s.must("FT.SUGDEL", "{s}missing", "x", Int(0))
			s.must("EXPIRE", "{s}ug", "100", Int(1))
			s.must("TTL", "{s}ug", Int(100))
			s.must("RENAME", "{s}ug", "{s}ug2", OK)
			s.must("FT.SUGGET", "{s}ug2", "he", Strs("hello"))
			s.must("TTL", "{s}ug2", Int(100))
			// The last string deleted deletes the key.
			s.must("FT.SUGDEL", "{s}ug2", "hello", Int(1))
			s.must("EXISTS", "{s}ug2", Int(0))
			s.must("FT.SUGADD", "{s}ug", "x", "1", Int(1))
			s.must("DEL", "{s}ug", Int(1))
			s.must("FT.SUGLEN", "{s}ug", Int(0))
			if s.inCluster() {
				// Key commands: a shard that does not serve the key's slot
				// redirects (the module registers them with key 1).
				slot := server.KeySlot([]byte("{s}ug"))
				for i, srv := range s.srvs {
					if srv.Topology().Owner(slot) != srv.Self() {
						r := s.doOn(s.shards[i], cmd("FT.SUGGET", "{s}ug", "x"))
						if r.kind != '-' || !strings.HasPrefix(r.str, "MOVED "+strconv.Itoa(slot)+" ") {
							s.t.Errorf("FT.SUGGET on a shard without the slot: %v", r)
						}
					}
				}
			}
			if !s.inCluster() {
				s.must("FT.SUGADD", "sug", "x", "1", Int(1))
				s.must("OBJECT", "ENCODING", "sug", Bulk("raw"))
				s.must("SCAN", "0", "TYPE", "trietype0", Arr(Bulk("0"), Strs("sug")))
				// trietype0 has no copy callback.
				s.must("COPY", "sug", "sug2", Err("ERR not supported for this module key"))
			}
		}},
	})
}

const errWrongTypeMsg = "WRONGTYPE Operation against a key holding the wrong kind of value"

// TestSearchAcceptanceSpellCheck: FT.SPELLCHECK, FT.DICTADD, FT.DICTDEL,
// FT.DICTDUMP (tests/pytests/test_spell_check.py, test_resp3.py's spell
// check cases), their errors, and in a cluster the coordinator's merge.
func TestSearchAcceptanceSpellCheck(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"testDictAdd", func(s *session) {
			s.must("FT.DICTADD", "dict", "term1", "term2", "term3", Int(3))
			s.must("FT.DICTADD", "dict", "term1", "term2", "term4", Int(1))
			// The module's FT.DICTADD runs `_FT.DICTADD`, whose arity
			// error names it (genericCallUnderscoreVariant).
			s.must("FT.DICTADD", "dict", Err("ERR wrong number of arguments for '_FT.DICTADD' command"))
			s.must("FT.DICTADD", Err("ERR wrong number of arguments for 'FT.DICTADD' command"))
			if s.inCluster() {
				// Every shard keeps its copy; the coordinator's allOKReducer
				// answers an integer only when all shards answer the same.
				if d := diff(parseRaw(s.t, Int(1)), s.doOn(s.shards[1], cmd("_FT.DICTADD", "d", "a")), ""); d != "" {
					s.t.Error(d)
				}
				s.must("FT.DICTADD", "d", "a", "b", Status("not all results are the same"))
				s.must("FT.DICTADD", "d", "c", Int(1))
			}
		}},
		{"testDictDelete", func(s *session) {
			s.must("FT.DICTADD", "dict", "term1", "term2", "term3", Int(3))
			s.must("FT.DICTDEL", "dict", "term1", "term2", "term4", Int(2))
			s.must("FT.DICTDEL", "dict", "term3", Int(1))
			s.must("KEYS", "*", Strs())
			s.must("FT.DICTDUMP", "dict", s.strSet())
			s.must("FT.DICTDEL", "dict", Err("ERR wrong number of arguments for '_FT.DICTDEL' command"))
			s.must("FT.DICTDEL", "nodict", "term1", Int(0))
		}},
		{"testDictDeleteOnFlush", func(s *session) {
			s.must("FT.DICTADD", "dict", "term1", "term2", "term3", Int(3))
			s.must("FLUSHALL", OK)
			s.must("FT.DICTDUMP", "dict", s.strSet())
			s.must("FT.DICTADD", "dict", "term4", "term5", "term6", Int(3))
			s.must("FT.DICTDUMP", "dict", s.strSet("term4", "term5", "term6"))
		}},
		{"testDictDump", func(s *session) {
			s.must("FT.DICTADD", "dict", "term1", "term2", "term3", Int(3))
			s.must("FT.DICTDUMP", "dict", s.strSet("term1", "term2", "term3"))
			s.must("FT.DICTDUMP", Err("ERR wrong number of arguments for 'FT.DICTDUMP' command"))
			s.must("FT.DICTDUMP", "nodict", s.strSet())
			// In rune order: upper case first.
			s.must("FT.DICTADD", "d2", "b", "B", "a", "ab", Int(4))
			s.must("FT.DICTDUMP", "d2", s.strSet("B", "a", "ab", "b"))
		}},
		{"testBasicSpellCheck", func(s *session) {
			s.spellDocs()
			s.must("FT.SPELLCHECK", "idx", "name", s.spell(spellTerm{"name", []spellSug{
				{"0.66666666666666663", "name2"}, {"0.33333333333333331", "name1"}}}))
			if !s.inCluster() {
				// name2's score is its document count (2), whatever
				// the field; name1 is not in body.
				s.must("FT.SPELLCHECK", "idx", "@body:name", s.spell(spellTerm{"name", []spellSug{
					{"0.66666666666666663", "name2"}}}))
			}
		}},
		{"testBasicSpellCheckWithNoResult", func(s *session) {
			s.spellDocs()
			s.must("FT.SPELLCHECK", "idx", "somenotexiststext", s.spell(spellTerm{"somenotexiststext", nil}))
		}},
		{"testSpellCheckOnExistingTerm", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "name", "TEXT", "body", "TEXT", OK)
			s.must("HSET", "doc1", "name", "name", "body", "body1", Int(2))
			s.must("HSET", "doc2", "name", "name2", "body", "body2", Int(2))
			s.must("HSET", "doc3", "name", "name2", "body", "name2", Int(2))
			s.must("FT.SPELLCHECK", "idx", "name", s.spell())
		}},
		{"testSpellCheckWithIncludeDict", func(s *session) {
			s.must("FT.DICTADD", "dict", "name3", "name4", "name5", Int(3))
			s.spellDocs()
			want := s.spell(spellTerm{"name", []spellSug{{"0.66666666666666663", "name2"}, {"0.33333333333333331", "name1"},
				{"0", "name3"}, {"0", "name4"}, {"0", "name5"}}})
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "INCLUDE", "dict", want)
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "include", "dict", want)
		}},
		{"testSpellCheckWithDuplications", func(s *session) {
			s.must("FT.DICTADD", "dict", "name1", "name4", "name5", Int(3))
			s.spellDocs()
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "INCLUDE", "dict", s.spell(spellTerm{"name", []spellSug{
				{"0.66666666666666663", "name2"}, {"0.33333333333333331", "name1"}, {"0", "name4"}, {"0", "name5"}}}))
		}},
		{"testSpellCheckExcludeDict", func(s *session) {
			s.must("FT.DICTADD", "dict", "name", Int(1))
			s.spellDocs()
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "EXCLUDE", "dict", s.spell())
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "exclude", "dict", s.spell())
		}},
		{"testSpellCheckErrors", func(s *session) {
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "EXCLUDE", "dict", Err("idx: no such index"))
			s.must("FT.DICTADD", "dict", "name", Int(1))
			s.spellDocs()
			s.must("FT.SPELLCHECK", "idx", Err("ERR wrong number of arguments for 'FT.SPELLCHECK' command"))
			const noTermParams = "TERM arg is given but no TERM params comes after"
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", Err(noTermParams))
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "INCLUDE", Err(noTermParams))
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "EXCLUDE", Err(noTermParams))
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "BOTH", "dict", Err("bad format, exclude/include operation was not given"))
			s.must("FT.SPELLCHECK", "idx", "name", "DISTANCE", Err("DISTANCE arg is given but no DISTANCE comes after"))
			const badDistance = "bad distance given, distance must be a natural number between 1 to 4"
			for _, d := range []string{"0", "-1", "5", "1.0", "x"} {
				s.must("FT.SPELLCHECK", "idx", "name", "DISTANCE", d, Err(badDistance))
			}
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "INCLUDE", "nodict", Err("Dict does not exist: nodict"))
			s.must("FT.SPELLCHECK", "idx", "name", "TERMS", "EXCLUDE", "nodict", Err("Dict does not exist: nodict"))
			s.must("FT.SPELLCHECK", "idx", "name", "DIALECT", Err("Need an argument for DIALECT"))
			s.must("FT.SPELLCHECK", "idx", "name", "DIALECT", "5", Err("DIALECT requires a non negative integer >=1 and <= 4"))
			s.must("FT.SPELLCHECK", "idx", "@nofield:name", "DIALECT", "2", Err("Unknown field at offset 0 near nofield"))
		}},
		{"testSpellCheckResultsOrder", func(s *session) {
			s.must("FT.DICTADD", "dict", "name", Int(1))
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "name", "TEXT", "body", "TEXT", OK)
			s.must("HSET", "doc1", "name", "Elior", "body", "body1", Int(2))
			s.must("HSET", "doc2", "name", "Hila", "body", "body2", Int(2))
			s.must("FT.SPELLCHECK", "idx", "Elioh Hilh", s.spell(
				spellTerm{"elioh", []spellSug{{"0.5", "elior"}}}, spellTerm{"hilh", []spellSug{{"0.5", "hila"}}}))
		}},
		{"testSpellCheckIssue437", func(s *session) {
			s.must("FT.CREATE", "incidents", "ON", "HASH", "SCHEMA", "report", "text", OK)
			s.must("FT.DICTADD", "slang", "timmies", "toque", "toonie", "serviette", "kerfuffle", "chesterfield", Int(6))
			s.must("FT.SPELLCHECK", "incidents", "Tooni toque kerfuffle", "TERMS", "EXCLUDE", "slang", "TERMS", "INCLUDE", "slang",
				s.spell(spellTerm{"tooni", []spellSug{{"0", "toonie"}}}))
		}},
		{"test_resp3.py test_spell_check", func(s *session) {
			s.must("FT.CREATE", "incidents", "ON", "HASH", "SCHEMA", "report", "text", OK)
			s.must("FT.DICTADD", "dict1", "timmies", "toque", "toonie", "Toonif", "serviette", "kerfuffle", "chesterfield", Int(7))
			s.must("FT.DICTADD", "dict2", "timmies", "toque", "toonie", "serviette", "kerfuffle", "chesterfield", Int(6))
			s.must("FT.SPELLCHECK", "incidents", "Tooni toque kerfuffle", "TERMS", "INCLUDE", "dict1", "dict2", s.spell(
				spellTerm{"tooni", []spellSug{{"0", "Toonif"}, {"0", "toonie"}}},
				spellTerm{"toque", []spellSug{{"0", "toque"}}},
				spellTerm{"kerfuffle", []spellSug{{"0", "kerfuffle"}}}))
		}},
		{"DISTANCE and dictionary words the index holds", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "d1", "t", "hello help", Int(1))
			s.must("HSET", "d2", "t", "hello", Int(1))
			s.must("HSET", "d3", "t", "yellow", Int(1))
			s.must("HSET", "d4", "t", "shell", Int(1))
			// hellx: within 1 hello (2 of 4 documents); within 2 also help
			// and shell (1 each), in the index trie's order at equal
			// scores; a dictionary word the index holds (yellow) keeps its
			// document count, one it does not scores 0.
			s.must("FT.DICTADD", "d", "yellow", "hellz", Int(2))
			s.must("FT.SPELLCHECK", "idx", "hellx", s.spell(spellTerm{"hellx", []spellSug{{"0.5", "hello"}}}))
			s.must("FT.SPELLCHECK", "idx", "hellx", "DISTANCE", "2", s.spell(spellTerm{"hellx", []spellSug{
				{"0.5", "hello"}, {"0.25", "help"}, {"0.25", "shell"}}}))
			s.must("FT.SPELLCHECK", "idx", "hellx", "DISTANCE", "2", "TERMS", "INCLUDE", "d", s.spell(spellTerm{"hellx", []spellSug{
				{"0.5", "hello"}, {"0.25", "help"}, {"0.25", "shell"}, {"0", "hellz"}}}))
			// yellx: hello (h→y, o→x) and yellow (o→x, w dropped) are
			// within 2; the dictionary's yellow is the index's yellow
			// already, hellz (h→y, z→x) scores 0.
			s.must("FT.SPELLCHECK", "idx", "yellx", "DISTANCE", "2", "TERMS", "INCLUDE", "d", s.spell(spellTerm{"yellx", []spellSug{
				{"0.5", "hello"}, {"0.25", "yellow"}, {"0", "hellz"}}}))
		}},
		{"stem entries of the term trie", func(s *session) {
			// The module adds every forward-index entry to its term trie,
			// the "+stem" entries included (IndexSpec_AddTerm in
			// writeCurEntries), and FT.SPELLCHECK walks that trie as it
			// is: "programs" puts "programs" and "+program" there, both
			// within 1 of "program", both in the one document, in rune
			// order ('+' first) at equal scores.
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "d1", "t", "programs", Int(1))
			s.must("FT.SPELLCHECK", "idx", "program", s.spell(spellTerm{"program", []spellSug{{"1", "+program"}, {"1", "programs"}}}))
		}},
	})
}

// TestSpellCheckDuplicateTerms: a word twice in the query is answered
// twice by a shard (twice the same key in the RESP3 map, as the module
// writes it). A coordinator merges the shards' answers by word
// (spellcheckReducerCtx_GetOrCreateTermSuggestions), so in a cluster the
// word is answered once, with each suggestion's score added up for both
// occurrences: name2, in 2 documents, 2+2 over 3 documents; name1 1+1.
func TestSpellCheckDuplicateTerms(t *testing.T) {
	runAcceptance(t, []acceptanceCase{{"twice", func(s *session) {
		s.spellDocs()
		if s.inCluster() {
			s.must("FT.SPELLCHECK", "idx", "name3 name3", s.spell(spellTerm{"name3", []spellSug{
				{"1.3333333333333333", "name2"}, {"0.66666666666666663", "name1"}}}))
			return
		}
		once := spellTerm{"name3", []spellSug{{"0.66666666666666663", "name2"}, {"0.33333333333333331", "name1"}}}
		if s.proto == 2 {
			s.must("FT.SPELLCHECK", "idx", "name3 name3", s.spell(once, once))
			return
		}
		r := s.do("FT.SPELLCHECK", "idx", "name3 name3")
		if len(r.elems) != 2 || len(r.elems[1].elems) != 4 || r.elems[1].elems[0].str != "name3" || r.elems[1].elems[2].str != "name3" {
			s.t.Errorf("name3 name3: %v", r)
		}
	}}})
}
