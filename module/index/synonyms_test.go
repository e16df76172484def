package index

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/query"
)

// TestSipHashVectors checks the SipHash core against the published
// SipHash-2-4 vectors (key 00..0f, message 00..i-1: the vectors Redis'
// siphash.c tests with); the dict hashes with the same core in Redis'
// 1-2 rounds.
func TestSipHashVectors(t *testing.T) {
	k0, k1 := uint64(0x0706050403020100), uint64(0x0f0e0d0c0b0a0908)
	msg := make([]byte, 64)
	for i := range msg {
		msg[i] = byte(i)
	}
	for _, v := range []struct {
		n    int
		want uint64
	}{
		{0, 0x726fdb47dd0e0e31},
		{1, 0x74f839c593dc67fd},
		{7, 0xab0200f58b01d137},
		{8, 0x93f5f5799a932462},
		{15, 0xa129ca6149be45e5},
		{63, 0x958a324ceb064572},
	} {
		if got := sipHash(string(msg[:v.n]), k0, k1, 2, 4); got != v.want {
			t.Errorf("SipHash-2-4 of %d bytes = %#x, want %#x", v.n, got, v.want)
		}
	}
}

// dumpTerms lists the words of a synonym map in dump order.
func dumpTerms(m *SynonymMap) []string {
	var out []string
	for _, e := range m.Dump() {
		out = append(out, e.Term)
	}
	return out
}

// TestSynonymDumpOrder follows the module's dict through a sequence of
// updates, worked out by hand from the words' hashes (SipHash-1-2, zero
// key; low bits: boy 3 of 4 / 3 of 8, child 3 / 7, offspring 3 / 7, baby
// 0 / 0, tree 2 / 6, wood 1 / 1) and the dict's rules: 4 buckets, new
// entries at the head of their chain, growth to 8 buckets when a fifth word
// arrives, one bucket moved per lookup or insertion while rehashing.
func TestSynonymDumpOrder(t *testing.T) {
	m := NewSynonymMap()
	for _, w := range []string{"boy", "child", "offspring", "baby", "tree", "wood"} {
		if got := synHash(w); w == "boy" && (got&3 != 3 || got&7 != 3) {
			t.Fatalf("synHash(boy) = %#x: the derivation below assumes buckets 3/3", got)
		}
	}
	m.Update("id1", []string{"boy", "child", "offspring"})
	// One table of 4: bucket 3 holds offspring, child, boy (newest first).
	m.Update("id2", []string{"baby", "child"})
	// baby in bucket 0; child already there, gets id2.
	if got, want := dumpTerms(m), []string{"baby", "offspring", "child", "boy"}; !slices.Equal(got, want) {
		t.Fatalf("after two updates: %v, want %v", got, want)
	}
	m.Update("id3", []string{"tree"})
	// Adding a fifth word starts a rehash to 8 buckets: tree goes to the
	// new table (bucket 6); the old table is listed first.
	if got, want := dumpTerms(m), []string{"baby", "offspring", "child", "boy", "tree"}; !slices.Equal(got, want) {
		t.Fatalf("rehash started: %v, want %v", got, want)
	}
	// Indexing reads a copy in the module: no rehash step.
	m.Groups("nothing", false)
	if got, want := dumpTerms(m), []string{"baby", "offspring", "child", "boy", "tree"}; !slices.Equal(got, want) {
		t.Fatalf("after an indexing lookup: %v, want %v", got, want)
	}
	// A query's lookup moves one bucket: baby to bucket 0 of the new table.
	m.Groups("nothing", true)
	if got, want := dumpTerms(m), []string{"offspring", "child", "boy", "baby", "tree"}; !slices.Equal(got, want) {
		t.Fatalf("after a query's lookup: %v, want %v", got, want)
	}
	// wood: the lookup moves bucket 3 (offspring, then child to bucket 7,
	// each at the head; boy to 3) and the rehash ends; wood goes to 1.
	m.Update("id3", []string{"wood"})
	want := []SynonymEntry{
		{"baby", []string{"id2"}}, {"wood", []string{"id3"}}, {"boy", []string{"id1"}},
		{"tree", []string{"id3"}}, {"child", []string{"id1", "id2"}}, {"offspring", []string{"id1"}},
	}
	if got := m.Dump(); !reflect.DeepEqual(got, want) {
		t.Fatalf("final dump %v, want %v", got, want)
	}
}

// TestSynonymUpdate checks what Update keeps: words lower-cased, a group
// once per word (RediSearch PR #4355), C strings cut at a NUL.
func TestSynonymUpdate(t *testing.T) {
	m := NewSynonymMap()
	m.Update("g1", []string{"Boy", "BOY"})
	m.Update("g1", []string{"boy"})
	m.Update("g2\x00ignored", []string{"boy\x00x"})
	want := []SynonymEntry{{"boy", []string{"g1", "g2"}}}
	if got := m.Dump(); !reflect.DeepEqual(got, want) {
		t.Fatalf("dump %v, want %v", got, want)
	}
	if got := m.Groups("boy", true); !slices.Equal(got, []string{"~g1", "~g2"}) {
		t.Fatalf("Groups(boy) = %v", got)
	}
	if m.Groups("Boy", true) != nil {
		t.Fatal("lookups take the folded query word as is")
	}
}

func synonymSpec(t *testing.T, fields ...*Field) *Spec {
	t.Helper()
	sp := NewSpec("idx")
	for _, f := range fields {
		if err := sp.AddField(f); err != nil {
			t.Fatal(err)
		}
	}
	return sp
}

func textField(name, phonetic string) *Field {
	f := NewField(name, name, FieldText)
	f.Phonetic = phonetic
	return f
}

// TestExpansions checks the DEFAULT expander's order (DefaultExpander:
// synonyms, phonetic code, stems), the named expanders, and the phonetic
// decisions of IndexSpec_CheckPhoneticEnabled and of $phonetic.
func TestExpansions(t *testing.T) {
	sp := synonymSpec(t, textField("name", "dm:en"), textField("plain", ""))
	sp.Synonyms = NewSynonymMap()
	sp.Synonyms.Update("id1", []string{"boy", "child"})
	all := uint64(query.AllFields)
	exp := func(expander string, term string, fields uint64, ph query.Phonetic) ([]string, error) {
		o := DefaultQueryOptions()
		o.Expander = expander
		return newExpander(sp, &o).expansions(term, fields, ph)
	}
	// child: C-H at the start before I → X; L; D → T. Its stem is itself.
	got, err := exp("", "child", all, query.PhoneticDefault)
	if want := []string{"~id1", "<XLT", "+child"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("DEFAULT child = %v, %v; want %v", got, err, want)
	}
	// "offspring" stems to "offspr": +stem, then the stem.
	got, _ = exp("", "offspring", 1<<1, query.PhoneticDefault)
	if want := []string{"+offspr", "offspr"}; !slices.Equal(got, want) {
		t.Errorf("@plain:offspring = %v, want %v (no phonetic code outside PHONETIC fields)", got, want)
	}
	for _, c := range []struct {
		name string
		want []string
	}{
		{ExpanderSynonym, []string{"~id1"}},
		{ExpanderPhonetic, []string{"<XLT"}},
		{ExpanderStem, []string{"+child"}},
		{"sbstem", nil}, // names are matched exactly
		{"nosuch", nil},
	} {
		if got, _ := exp(c.name, "child", 1<<1, query.PhoneticDefault); !slices.Equal(got, c.want) {
			t.Errorf("EXPANDER %s, @plain:child = %v, want %v", c.name, got, c.want)
		}
	}
	if _, err := exp("", "child", 1<<1, query.PhoneticOn); err == nil || err.Error() != ErrNoPhonetics {
		t.Errorf("$phonetic:true on a plain field: %v, want %q", err, ErrNoPhonetics)
	}
	if _, err := exp("", "child", 1<<1, query.PhoneticOff); err == nil || err.Error() != ErrNoPhonetics {
		t.Errorf("$phonetic:false on a plain field: %v, want %q", err, ErrNoPhonetics)
	}
	if got, err := exp("", "child", 1<<0, query.PhoneticOff); err != nil || slices.Contains(got, "<XLT") {
		t.Errorf("$phonetic:false on the phonetic field = %v, %v", got, err)
	}
	// VERBATIM expands nothing and raises nothing.
	o := DefaultQueryOptions()
	o.Verbatim = true
	if got, err := newExpander(sp, &o).expansions("child", 1<<1, query.PhoneticOn); got != nil || err != nil {
		t.Errorf("VERBATIM = %v, %v", got, err)
	}
}

// TestPhoneticFieldPosition: the module decides the default by the bit of
// the field's position in the schema, not of its TEXT id (RediSearch issue
// #10140: a PHONETIC field declared after a TAG field loses its phonetic
// expansion), while $phonetic checks the TEXT id (issue #1313).
func TestPhoneticFieldPosition(t *testing.T) {
	sp := synonymSpec(t, NewField("tag", "tag", FieldTag), textField("name", "dm:en"))
	name := sp.Field("name")
	if name.TextBit() != 0 || name.Pos() != 1 {
		t.Fatalf("name: text bit %d, position %d", name.TextBit(), name.Pos())
	}
	o := DefaultQueryOptions()
	e := newExpander(sp, &o)
	if got, _ := e.expansions("cash", 1, query.PhoneticDefault); slices.Contains(got, "<KX") {
		t.Errorf("@name:cash = %v: the module tests bit 1 (the TAG field) and finds no phonetic field", got)
	}
	if got, _ := e.expansions("cash", uint64(query.AllFields), query.PhoneticDefault); !slices.Contains(got, "<KX") {
		t.Errorf("cash on all fields = %v, want <KX among them", got)
	}
	if got, err := e.expansions("cash", 1, query.PhoneticOn); err != nil || !slices.Contains(got, "<KX") {
		t.Errorf("@name:cash=>{$phonetic:true} = %v, %v; want <KX", got, err)
	}
}

// TestIndexSynonymsAndPhonetics checks the extra terms a document gets:
// each synonym group term and the phonetic code count the word's weight at
// its position, in the maximum frequency but not in the length; a short
// word of a PHONETIC field repeats the last code of its value.
func TestIndexSynonymsAndPhonetics(t *testing.T) {
	sp := synonymSpec(t, textField("title", ""), textField("name", "dm:en"))
	sp.Synonyms = NewSynonymMap()
	sp.Synonyms.Update("id1", []string{"boy", "child"})
	idx := New(sp)
	idx.Lock()
	idx.AddWith("doc1", MapDocument{"title": "boy child boy", "name": "smith jo jones al"},
		AddOptions{MinStemLen: DefaultMinStemLen, MinPhoneticLen: DefaultMinPhoneticLen})
	idx.Unlock()
	d := idx.Doc(1)
	// Raw words: boy child boy smith jo jones al = 7; ~id1 appears 3 times.
	if st := idx.docs.stat(d.id); st.len != 7 || st.maxFreq != 3 {
		t.Errorf("len %d maxFreq %d, want 7 and 3", st.len, st.maxFreq)
	}
	check := func(term string, freq uint32, positions ...uint32) {
		t.Helper()
		te, ok := idx.termMap[term]
		if !ok {
			t.Errorf("no term %q", term)
			return
		}
		r := postingReader{p: &te.list}
		if !r.next() || r.cur.freq != freq || !slices.Equal(r.cur.positions, positions) {
			t.Errorf("%q: freq %d positions %v, want %d %v", term, r.cur.freq, r.cur.positions, freq, positions)
		}
	}
	check("~id1", 3, 1, 2, 3)
	// smith SM0 at 4; jo (2 bytes) repeats it at 5; jones JNS at 6; al at 7.
	check("<SM0", 2, 4, 5)
	check("<JNS", 2, 6, 7)
	if _, ok := idx.termMap["<A"]; ok {
		t.Error("a word shorter than MIN_PHONETIC_TERM_LEN got its own code")
	}
	if _, ok := idx.termMap["<PY"]; ok || func() bool { _, ok := idx.termMap["<P"]; return ok }() {
		t.Error("the plain field got phonetic codes")
	}
}

// FuzzSynonymMap drives a synonym map with updates and lookups (advancing
// the rehash or not) and checks it against a plain map: the same words,
// each with its groups in the order given, once each, whatever the state
// of the dict's tables and rehash.
func FuzzSynonymMap(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, again and again"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		m := NewSynonymMap()
		model := map[string][]string{}
		for i, op := range ops {
			word := fmt.Sprintf("w%d", op%64)
			switch op % 3 {
			case 0, 1:
				group := fmt.Sprintf("g%d", i%5)
				m.Update(group, []string{word})
				if !slices.Contains(model[word], group) {
					model[word] = append(model[word], group)
				}
			default:
				got := m.Groups(word, i%2 == 0)
				var want []string
				for _, g := range model[word] {
					want = append(want, SynonymPrefix+g)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("op %d: Groups(%s) = %v, want %v", i, word, got, want)
				}
			}
			dump := m.Dump()
			if len(dump) != len(model) {
				t.Fatalf("op %d: %d words dumped, want %d", i, len(dump), len(model))
			}
			for _, e := range dump {
				if !slices.Equal(e.Groups, model[e.Term]) {
					t.Fatalf("op %d: %s has %v, want %v", i, e.Term, e.Groups, model[e.Term])
				}
			}
		}
	})
}

// FuzzExpandQuery parses queries ($phonetic attributes included) against
// an index with PHONETIC, NOSTEM and TAG fields and synonym groups, and
// checks that expanding, planning, searching and explaining them never
// panics, that the only expansion error is the module's phonetics one, and
// that FT.EXPLAIN's check and the search agree on it.
func FuzzExpandQuery(f *testing.F) {
	for _, q := range []string{
		"child", "@name:john=>{$phonetic:true}", "@body:child=>{$phonetic: false}",
		"(a b)=>{$phonetic:true} @tag:{x}", "-@name:(jon=>{$phonetic:0}) ~kid", `"boy child"=>{$phonetic:true}`,
		"@body|name:cash", "04 2015 @name:jo", "%kash% kas* @name:kash=>{$weight:2;$phonetic:1}",
	} {
		f.Add(q)
	}
	tag := NewField("tag", "tag", FieldTag)
	body := textField("body", "")
	body.NoStem = true
	sp := synonymSpec(&testing.T{}, tag, textField("name", "dm:en"), body, textField("plain", ""))
	sp.Synonyms = NewSynonymMap()
	sp.Synonyms.Update("id1", []string{"boy", "child", "kid"})
	idx := New(sp)
	idx.Lock()
	for i, doc := range []MapDocument{
		{"name": "jon smith", "body": "boy", "tag": "x"},
		{"name": "john jones cash", "plain": "child of kash"},
		{"name": "jo 2015", "body": "kid 04"},
	} {
		idx.Add(fmt.Sprint("doc", i), doc, DefaultMinStemLen)
	}
	idx.Unlock()
	f.Fuzz(func(t *testing.T, q string) {
		root, err := query.Parse(q, query.Options{Dialect: 2, Schema: sp.QuerySchema(), IsStopword: sp.Stopwords.Contains})
		if err != nil {
			return
		}
		idx.RLock()
		defer idx.RUnlock()
		o := DefaultQueryOptions()
		checkErr := sp.CheckExpansion(root, &o)
		if checkErr != nil && checkErr.Error() != ErrNoPhonetics {
			t.Fatalf("%q: expansion error %v", q, checkErr)
		}
		_ = query.Explain(root, query.ExplainOptions{Schema: sp.QuerySchema(), ExpandTerm: sp.ExplainExpander(&o)})
		pq := idx.Plan(root, &o)
		if err := pq.Err(); checkErr == nil && err != nil && err.Error() == ErrNoPhonetics {
			t.Fatalf("%q: planning found %v, the check nothing", q, err)
		}
		if checkErr != nil {
			if pq.Err() == nil || pq.Err().Error() != ErrNoPhonetics {
				t.Fatalf("%q: the check says %v, planning %v", q, checkErr, pq.Err())
			}
			return
		}
		if pq.Err() == nil {
			if _, err := pq.Search(SearchOptions{Scoring: Scoring{Scorer: "TFIDF"}, Num: 10}); err != nil {
				t.Fatalf("%q: search: %v", q, err)
			}
		}
	})
}
