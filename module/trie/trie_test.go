package trie

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
)

func strs(res []Result) []string {
	var out []string
	for _, r := range res {
		out = append(out, r.Str)
	}
	return out
}

func mustSearch(t *testing.T, tr *Trie, q string, num, dist int) []Result {
	t.Helper()
	res, ok := tr.Search(q, num, dist, true, false)
	if !ok {
		t.Fatalf("Search(%q) refused", q)
	}
	return res
}

// TestSuggestions: test_suggest.py::testSuggestions (the scores by hand:
// "hello world" 2/sqrt(1+11-5), "hello werld" 1/sqrt(7), "yellow world"
// 3·e⁻²/sqrt(8), "hallo world" 2·e⁻²/sqrt(7)).
func TestSuggestions(t *testing.T) {
	tr := New(SortScore)
	if n := tr.Insert("hello world", 1, false, ""); n != 1 {
		t.Fatalf("first insert: %d", n)
	}
	if n := tr.Insert("hello world", 1, true, ""); n != 0 || tr.Size() != 1 {
		t.Fatalf("INCR insert: %d, size %d", n, tr.Size())
	}
	for i, term := range []string{"hello werld", "hallo world", "yellow world", "wazzup", "herp", "derp"} {
		tr.Insert(term, float64(i+1), false, "")
	}
	if tr.Size() != 7 {
		t.Fatalf("size %d", tr.Size())
	}
	if got := strs(mustSearch(t, tr, "hello", 5, 0)); !slices.Equal(got, []string{"hello world", "hello werld"}) {
		t.Errorf("hello: %q", got)
	}
	fuzzy := mustSearch(t, tr, "hello", 5, 1)
	if got := strs(fuzzy); !slices.Equal(got, []string{"hello world", "hello werld", "yellow world", "hallo world"}) {
		t.Errorf("hello FUZZY: %q", got)
	}
	e2 := math.Exp(-2)
	want := []float64{2 / math.Sqrt(7), 1 / math.Sqrt(7), 3 * e2 / math.Sqrt(8), 2 * e2 / math.Sqrt(7)}
	for i, r := range fuzzy {
		if math.Abs(float64(r.Score)-want[i]) > 1e-6 {
			t.Errorf("%s: score %v, want %v", r.Str, r.Score, want[i])
		}
	}
	if got := strs(mustSearch(t, tr, "hello", 1, 1)); !slices.Equal(got, []string{"hello world"}) {
		t.Errorf("hello FUZZY MAX 1: %q", got)
	}
	if tr.Delete("hello world") != 1 || tr.Delete("world") != 0 {
		t.Fatal("delete")
	}
	if got := strs(mustSearch(t, tr, "hello", 5, 0)); !slices.Equal(got, []string{"hello werld"}) {
		t.Errorf("after delete: %q", got)
	}
}

// TestSuggestMax: test_suggest.py::testSuggestMax, the exact replies.
func TestSuggestMax(t *testing.T) {
	tr := New(SortScore)
	for i := 0; i < 10; i++ {
		tr.Insert(fmt.Sprintf("test%d", i), float64(i+1), false, "")
	}
	want := []string{"test9", "7.0710678100585938", "test8", "6.3639612197875977", "test7", "5.6568541526794434",
		"test6", "4.9497475624084473", "test5", "4.242640495300293", "test4", "3.5355339050292969",
		"test3", "2.8284270763397217", "test2", "2.1213202476501465", "test1", "1.4142135381698608",
		"test0", "0.70710676908493042"}
	for n := 1; n <= 10; n++ {
		var got []string
		for _, r := range mustSearch(t, tr, "test", n, 0) {
			got = append(got, r.Str, strconv.FormatFloat(float64(r.Score), 'g', 17, 64))
		}
		if !slices.Equal(got, want[:2*n]) {
			t.Errorf("MAX %d: %q", n, got)
		}
	}
}

// TestSuggestMax2: test_suggest.py::testSuggestMax2 asks only that MAX i
// of ten equal scores return strings among the first i of "test 0"…; the
// module's heap returns exactly these (its ties kept in the heap's order).
func TestSuggestMax2(t *testing.T) {
	tr := New(SortScore)
	for i := 0; i < 10; i++ {
		tr.Insert(fmt.Sprintf("test %d", i), 1, false, "")
	}
	for n := 1; n <= 6; n++ {
		got := strs(mustSearch(t, tr, "test ", n, 0))
		if len(got) != n {
			t.Fatalf("MAX %d: %q", n, got)
		}
		for _, s := range got {
			if s >= fmt.Sprintf("test %d", n) {
				t.Errorf("MAX %d: %q is not among the first %d", n, s, n)
			}
		}
	}
}

// TestSuggestPayloads: test_suggest.py::testSuggestPayload and
// testIssue_490: an empty payload is none, INCR without a payload keeps it.
func TestSuggestPayloads(t *testing.T) {
	tr := New(SortScore)
	tr.Insert("hello world", 1, false, "foo")
	tr.Insert("hello werld", 1, false, "bar")
	tr.Insert("hello nopayload", 1, false, "")
	tr.Insert("hello nopayload2", 1, false, "")
	var got []string
	for _, r := range mustSearch(t, tr, "hello", 5, 0) {
		got = append(got, r.Str, r.Payload)
	}
	want := []string{"hello world", "foo", "hello werld", "bar", "hello nopayload", "", "hello nopayload2", ""}
	if !slices.Equal(got, want) {
		t.Errorf("payloads: %q", got)
	}
	tr = New(SortScore)
	tr.Insert("RediSearch", 1, false, "RediSearch, an awesome search engine")
	tr.Insert("RediSearch", 1, true, "")
	if r := mustSearch(t, tr, "Redis", 5, 0); len(r) != 1 || r[0].Payload != "RediSearch, an awesome search engine" {
		t.Errorf("INCR without payload: %+v", r)
	}
	tr.Insert("RediSearch", 1, true, "RediSearch 2.0, next gen search engine")
	if r := mustSearch(t, tr, "Redis", 5, 0); len(r) != 1 || r[0].Payload != "RediSearch 2.0, next gen search engine" || r[0].Score != float32(3/math.Sqrt(6)) {
		t.Errorf("INCR with payload: %+v", r)
	}
}

// TestSuggestEmptyPrefix: test_suggest.py::testIssue_866.
func TestSuggestEmptyPrefix(t *testing.T) {
	tr := New(SortScore)
	tr.Insert("test123", 1, false, "")
	tr.Insert("test456", 1, false, "")
	if tr.Delete("test") != 0 {
		t.Fatal("deleted a prefix")
	}
	if got := strs(mustSearch(t, tr, "", 5, 0)); !slices.Equal(got, []string{"test123", "test456"}) {
		t.Errorf("empty prefix: %q", got)
	}
}

// TestSearchLimits: trie_type.c's bounds, as test_suggest.py::
// testSuggestErrors reaches them (104 runes: refused; the 200-byte check
// is the command's).
func TestSearchLimits(t *testing.T) {
	tr := New(SortScore)
	q := "verylongquery"
	for i := 0; i < 3; i++ {
		q += q
	}
	if _, ok := tr.Search(q, 5, 0, true, false); ok {
		t.Errorf("a %d-rune query was accepted", len(q))
	}
	if _, ok := tr.Search(q[:99], 5, 0, true, false); !ok {
		t.Errorf("a 99-rune query was refused")
	}
	if n := tr.Insert(string(make([]byte, 10)), 1, false, ""); n != 0 {
		t.Errorf("a string of NULs was inserted")
	}
	if tr.Insert("x", 0, false, "") != 0 || tr.Size() != 0 {
		t.Errorf("a score of 0 was inserted")
	}
	long := make([]byte, MaxStringLen)
	for i := range long {
		long[i] = 'a'
	}
	if tr.Insert(string(long), 1, false, "") != 0 || tr.Insert(string(long[:255]), 1, false, "") != 1 {
		t.Errorf("the %d-rune bound", MaxStringLen)
	}
}

// TestExactMatchScore: a string equal to the (folded) query scores
// INT_MAX, ahead of any score; the test compares half the bytes, as
// memcmp(runes, rstr, slen) does.
func TestExactMatchScore(t *testing.T) {
	tr := New(SortScore)
	tr.Insert("hello", 1, false, "")
	tr.Insert("hellos", 1000, false, "")
	res := mustSearch(t, tr, "HELLO", 5, 0)
	if strs(res)[0] != "hello" || res[0].Score != float32(math.MaxInt32) {
		t.Errorf("exact match: %+v", res)
	}
	tr = New(SortScore)
	tr.Insert("ab", 1, false, "")
	// "ac" is within distance 1 of "ab" and, compared on its first two
	// bytes (its first rune), "equal" to it: INT_MAX·e⁻².
	tr.Insert("ac", 1, false, "")
	res = mustSearch(t, tr, "ab", 5, 1)
	if len(res) != 2 || res[1].Score != float32(float64(float32(math.MaxInt32))*math.Exp(-2)) {
		t.Errorf("half-compared exact match: %+v", res)
	}
}

// TestLexOrder: a lex-sorted trie lists its strings in rune order, upper
// case before lower case (FT.DICTDUMP; test_resp3.py::test_spell_check's
// "Toonif" before "toonie").
func TestLexOrder(t *testing.T) {
	tr := New(SortLex)
	for _, s := range []string{"timmies", "toque", "toonie", "Toonif", "serviette", "kerfuffle", "chesterfield"} {
		tr.Insert(s, 1, true, "")
	}
	var got []string
	tr.Each(func(s []Rune, _ float32, _ string) bool { got = append(got, String(s)); return true })
	want := []string{"Toonif", "chesterfield", "kerfuffle", "serviette", "timmies", "toonie", "toque"}
	if !slices.Equal(got, want) {
		t.Errorf("lex order: %q", got)
	}
	var fuzzy []string
	it := tr.Iterate([]Rune{'t', 'o', 'o', 'n', 'i'}, 1, false, Lower)
	for s, _, _, ok := it.Next(nil); ok; s, _, _, ok = it.Next(nil) {
		fuzzy = append(fuzzy, String(s))
	}
	if !slices.Equal(fuzzy, []string{"Toonif", "toonie"}) {
		t.Errorf("tooni within 1: %q", fuzzy)
	}
}

// TestRunes: the module's 16-bit runes and their UTF-8.
func TestRunes(t *testing.T) {
	if got := String(ToRunes("héllo wörld")); got != "héllo wörld" {
		t.Errorf("round trip: %q", got)
	}
	// U+1F600 keeps its low 16 bits (U+F600).
	if got := ToRunes("\U0001F600"); !slices.Equal(got, []Rune{0xF600}) {
		t.Errorf("astral: %x", got)
	}
	if got := ToRunes("ab\x00cd"); len(got) != 2 {
		t.Errorf("NUL: %x", got)
	}
	if r, _ := FoldedRunes("Straße"); String(r) != "strase" {
		t.Errorf("fold: %q", String(r))
	}
	if r, _ := LowerRunes("İx"); !slices.Equal(r, []Rune{'i', 0x307, 'x'}) {
		t.Errorf("lower: %x", r)
	}
}

// TestPrefixLengthInBytes: the prefix-mode divisor compares the string's
// runes with the query's bytes (Trie_Search's len), so a query with a
// non-ASCII letter divides by sqrt(1+|5-3|), not sqrt(1+|5-2|).
func TestPrefixLengthInBytes(t *testing.T) {
	tr := New(SortScore)
	tr.Insert("héllo", 1, false, "")
	res := mustSearch(t, tr, "hé", 5, 0)
	if len(res) != 1 || res[0].Score != float32(1/math.Sqrt(3)) {
		t.Errorf("héllo for hé: %+v", res)
	}
}

// TestHeapTies: ten equal scores, MAX n: which n the heap keeps and in
// what order is the module's heap's doing (util/heap.c: an entry moves up
// past an equal parent; once full, an equal score is not better than the
// root and is dropped; the results are polled from the root and reversed).
// By hand for MAX 5, the strings coming in trie order t0…t9: offers make
// [t1,t0], [t2,t0,t1], [t3,t2,t1,t0], [t4,t3,t1,t0,t2]; t5… are dropped;
// polls give t4 (leaving [t2,t3,t1,t0], pushDown stops at the equal
// child), t2 ([t0,t3,t1]), t0 ([t1,t3]), t1, t3: reversed, t3 t1 t0 t2 t4.
// MAX 3: [t2,t0,t1] polls t2, t1, t0: reversed, t0 t1 t2.
func TestHeapTies(t *testing.T) {
	tr := New(SortScore)
	for i := 0; i < 10; i++ {
		tr.Insert(fmt.Sprintf("test %d", i), 1, false, "")
	}
	for n, want := range map[int][]string{
		1: {"test 0"},
		3: {"test 0", "test 1", "test 2"},
		5: {"test 3", "test 1", "test 0", "test 2", "test 4"},
	} {
		if got := strs(mustSearch(t, tr, "test ", n, 0)); !slices.Equal(got, want) {
			t.Errorf("MAX %d: %q, want %q", n, got, want)
		}
	}
}

func eachStrs(tr *Trie) []string {
	var out []string
	tr.Each(func(s []Rune, score float32, _ string) bool {
		out = append(out, fmt.Sprintf("%s:%g", String(s), score))
		return true
	})
	return out
}

// TestScoreOrder: a score-sorted trie's child order, by hand from
// trie_node.c: a new child goes before the first child whose bound is
// below its score (else last); an update re-sorts the children (bound
// descending, then runes) only when the updated child's bound passed its
// left neighbour's or fell under its right one's (checked only up to the
// last but one); an increment folds the increment, not the new score,
// into the bounds; a split places the new child by rune.
func TestScoreOrder(t *testing.T) {
	tr := New(SortScore)
	tr.Insert("a", 1, false, "")
	tr.Insert("b", 3, false, "") // before a (1 < 3): [b a]
	tr.Insert("c", 2, false, "") // before a (1 < 2), not b: [b c a]
	if got := eachStrs(tr); !slices.Equal(got, []string{"b:3", "c:2", "a:1"}) {
		t.Fatalf("inserts: %q", got)
	}
	tr.Insert("a", 5, true, "") // a: 6, bound max(1, 5) = 5 > c's 2: sorted [a b c]
	if got := eachStrs(tr); !slices.Equal(got, []string{"a:6", "b:3", "c:2"}) {
		t.Fatalf("INCR a: %q", got)
	}
	tr.Insert("c", 2, true, "") // c: 4, bound max(2, 2) = 2, not above b's 3: no sort
	if got := eachStrs(tr); !slices.Equal(got, []string{"a:6", "b:3", "c:4"}) {
		t.Fatalf("INCR c: %q", got)
	}
	// A split puts the new child by rune, whatever its score: "xb" (9)
	// splits "xa" into "x" → [a b].
	tr = New(SortScore)
	tr.Insert("xa", 1, false, "")
	tr.Insert("xb", 9, false, "")
	if got := eachStrs(tr); !slices.Equal(got, []string{"xa:1", "xb:9"}) {
		t.Fatalf("split: %q", got)
	}
}

// TestDelete: deleting marks the node; on the way back a deleted leaf is
// dropped and a non-terminal node left with one child merges with it.
func TestDelete(t *testing.T) {
	tr := New(SortLex)
	for _, s := range []string{"ab", "abc", "abd", "ax"} {
		tr.Insert(s, 1, false, "")
	}
	for _, s := range []string{"ab", "ax", "abc"} {
		if tr.Delete(s) != 1 || tr.Delete(s) != 0 {
			t.Fatalf("delete %s", s)
		}
	}
	if got := eachStrs(tr); !slices.Equal(got, []string{"abd:1"}) || tr.Size() != 1 {
		t.Fatalf("left: %q (size %d)", got, tr.Size())
	}
	// "ab" came back as a terminal over its child.
	tr.Insert("ab", 2, false, "")
	if got := eachStrs(tr); !slices.Equal(got, []string{"ab:2", "abd:1"}) {
		t.Fatalf("re-added: %q", got)
	}
	if n := len(tr.root.children); n != 1 || String(tr.root.children[0].str) != "ab" {
		t.Errorf("root children: %d", n)
	}
}
