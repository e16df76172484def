package index

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestRemoveThroughRefs: Remove finds every term, tag value and numeric
// value of a document through its encoded refs (docrefs.go), with term
// ids that need two and three varint bytes (above 2^7 and 2^14), deltas of
// every size between a document's sorted ids, and ids reused after their
// terms left the index.
func TestRemoveThroughRefs(t *testing.T) {
	sp := NewSpec("t")
	body := NewField("body", "body", FieldText)
	body.NoStem = true
	for _, f := range []*Field{body, NewField("tg", "tg", FieldTag), NewField("n", "n", FieldNumeric), NewField("g", "g", FieldGeo)} {
		if err := sp.AddField(f); err != nil {
			t.Fatal(err)
		}
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	words := func(prefix string, ns ...int) string {
		var b strings.Builder
		for _, n := range ns {
			b.WriteString(prefix + strconv.Itoa(n) + " ")
		}
		return b.String()
	}
	var all []int
	for i := range 20_000 {
		all = append(all, i)
	}
	// "big" has 20 000 distinct terms: ids 0..19999.
	idx.Add("big", MapDocument{"body": words("w", all...), "tg": "a,b", "n": "1.5", "g": "2,3"}, DefaultMinStemLen)
	// "sparse" shares four of them, far apart, and brings 200 new ones
	// (ids from 20000).
	shared := []int{0, 150, 16_500, 19_999}
	var fresh []int
	for i := range 200 {
		fresh = append(fresh, i)
	}
	idx.Add("sparse", MapDocument{"body": words("w", shared...) + words("x", fresh...), "tg": "b", "n": "-7", "g": "4,5"}, DefaultMinStemLen)
	if got := idx.terms.Len(); got != 20_200 {
		t.Fatalf("%d terms indexed, want 20200", got)
	}
	idx.Remove("big")
	want := map[string]bool{}
	for _, n := range shared {
		want["w"+strconv.Itoa(n)] = true
	}
	for _, n := range fresh {
		want["x"+strconv.Itoa(n)] = true
	}
	check := func(when string, want map[string]bool, records int) {
		t.Helper()
		if idx.terms.Len() != len(want) || len(idx.termMap) != len(want) {
			t.Fatalf("%s: %d terms (%d in the map), want %d", when, idx.terms.Len(), len(idx.termMap), len(want))
		}
		for term := range want {
			te := idx.termMap[term]
			if te == nil || te.docs != 1 || idx.termByID[te.id] != te {
				t.Fatalf("%s: term %q is %+v", when, term, te)
			}
		}
		live := 0
		for _, te := range idx.termByID {
			if te != nil {
				live++
			}
		}
		if live != len(want) {
			t.Fatalf("%s: %d term ids in use, want %d", when, live, len(want))
		}
		if idx.numRecord != records {
			t.Fatalf("%s: %d records, want %d", when, idx.numRecord, records)
		}
	}
	// sparse's records: 204 terms, one tag field, two numeric values.
	check("after removing big", want, 204+1+2)
	if got := idx.TagValues(1); len(got) != 1 || got[0] != "b" {
		t.Fatalf("tag values after removing big: %q", got)
	}
	if n, g := idx.numerics[2].tree.Len(), idx.numerics[3].tree.Len(); n != 1 || g != 1 {
		t.Fatalf("numeric entries after removing big: %d %d, want 1 1", n, g)
	}
	if v, ok := idx.numerics[2].tree.Min(); !ok || v.v != -7 {
		t.Fatalf("numeric entry left: %+v", v)
	}

	// New terms reuse the ids freed by big's; removing their document
	// frees them again.
	idx.Add("again", MapDocument{"body": words("y", 1, 2, 3), "tg": "c"}, DefaultMinStemLen)
	if len(idx.termByID) != 20_200 {
		t.Fatalf("term id table grew to %d, want the 20200 ids reused", len(idx.termByID))
	}
	idx.Remove("again")
	check("after removing again", want, 204+1+2)
	idx.Remove("sparse")
	check("after removing sparse", nil, 0)
	if got := idx.TagValues(1); len(got) != 0 {
		t.Fatalf("tag values left: %q", got)
	}
	if n, g := idx.numerics[2].tree.Len(), idx.numerics[3].tree.Len(); n != 0 || g != 0 {
		t.Fatalf("numeric entries left: %d %d", n, g)
	}
}

// TestSortValuesInRefs: the SORTABLE values kept in a document's refs, by
// slot: a number, a folded string, an UNF string, a missing value (no
// value, but a slot), and a slot that a field added after the document was
// indexed does not have (FT.ALTER: the caller loads the value). Remove
// still finds the terms after the sort values.
func TestSortValuesInRefs(t *testing.T) {
	sp := NewSpec("t")
	n := NewField("n", "n", FieldNumeric)
	n.Sortable = true
	s := NewField("s", "s", FieldText)
	s.Sortable = true
	u := NewField("u", "u", FieldTag)
	u.Sortable, u.UNF = true, true
	m := NewField("m", "m", FieldNumeric)
	m.Sortable = true
	for _, f := range []*Field{n, s, u, m} {
		if err := sp.AddField(f); err != nil {
			t.Fatal(err)
		}
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	long := strings.Repeat("Ab", 100) // a 200-byte value: a two-byte length
	idx.Add("d", MapDocument{"n": "-2.5e3", "s": "Hello World", "u": long}, DefaultMinStemLen)
	late := NewField("late", "late", FieldNumeric)
	late.Sortable = true
	if err := sp.AddField(late); err != nil {
		t.Fatal(err)
	}
	idx.FieldsAdded()
	id, _ := idx.DocID("d")
	d := idx.Doc(id)
	for _, tc := range []struct {
		f    *Field
		want SortValue
		ok   bool
	}{
		{n, SortValue{Kind: SortNum, Num: -2500}, true},
		{s, SortValue{Kind: SortStr, Str: "hello world"}, true},
		{u, SortValue{Kind: SortStr, Str: long}, true},
		{m, SortValue{}, true},
		{late, SortValue{}, false},
	} {
		got, ok := d.SortValueAt(tc.f.SortIdx())
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %+v %v, want %+v %v", tc.f.Name, got, ok, tc.want, tc.ok)
		}
		if got := d.SortValue(tc.f); got != tc.want {
			t.Errorf("SortValue(%s): %+v", tc.f.Name, got)
		}
	}
	// The refs' values, then the page's four columns (a kind byte and 8
	// value bytes per id) and their slice (capacity 4 after 1, 2, 4).
	if got := idx.memory().Sortables; got != 1+(1+8)+(1+1+11)+(1+2+200)+1+4*(docPageSize*9)+4*8 {
		t.Errorf("sortable bytes: %d", got)
	}
	// The page's sort columns hold the same values: the number's bits,
	// the strings' first 8 bytes big endian, a missing value as such, and
	// no entry for the slot the document was indexed without.
	for _, tc := range []struct {
		f    *Field
		want sortCell
	}{
		{n, sortCell{kind: SortNum, ok: true, val: math.Float64bits(-2500)}},
		{s, sortCell{kind: SortStr, ok: true, val: 0x68656c6c6f20776f}}, // "hello wo"
		{u, sortCell{kind: SortStr, ok: true, val: 0x4162416241624162}}, // "AbAbAbAb"
		{m, sortCell{kind: SortNone, ok: true}},
		{late, sortCell{}},
	} {
		if got := idx.docs.sortCell(id, tc.f.SortIdx()); got != tc.want {
			t.Errorf("sortCell(%s) = %+v, want %+v", tc.f.Name, got, tc.want)
		}
	}
	idx.Remove("d")
	if idx.terms.Len() != 0 || idx.numRecord != 0 {
		t.Fatalf("after Remove: %d terms, %d records", idx.terms.Len(), idx.numRecord)
	}
	if got := idx.docs.sortCell(id, n.SortIdx()); got.ok {
		t.Errorf("sortCell after Remove = %+v, want none", got)
	}
}
