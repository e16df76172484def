package index_test

import (
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/index"
)

// TestTermsForSpellCheck: the dictionary's terms in order, stem entries
// included (the module's term trie has them), and a word's document count with whether its documents have it
// in given fields (a deleted document no longer counts).
func TestTermsForSpellCheck(t *testing.T) {
	sp := index.NewSpec("idx")
	for _, name := range []string{"name", "body"} {
		if err := sp.AddField(index.NewField(name, name, index.FieldText)); err != nil {
			t.Fatal(err)
		}
	}
	idx := index.New(sp)
	idx.Lock()
	idx.Add("doc1", index.MapDocument{"name": "name1", "body": "body1"}, index.DefaultMinStemLen)
	idx.Add("doc2", index.MapDocument{"name": "name2 programs", "body": "body2"}, index.DefaultMinStemLen)
	idx.Add("doc3", index.MapDocument{"name": "name2", "body": "name2"}, index.DefaultMinStemLen)
	idx.Unlock()
	idx.RLock()
	defer idx.RUnlock()
	var words []string
	idx.ScanTerms("", func(w string) bool { words = append(words, w); return true })
	// "programs" is indexed with its stem "+program".
	if want := []string{"+program", "body1", "body2", "name1", "name2", "programs"}; !slices.Equal(words, want) {
		t.Errorf("words: %q", words)
	}
	words = nil
	idx.ScanTerms("name2", func(w string) bool { words = append(words, w); return len(words) < 1 })
	if !slices.Equal(words, []string{"name2"}) {
		t.Errorf("from name2: %q", words)
	}
	const nameBit, bodyBit = 1, 2
	for _, tc := range []struct {
		term            string
		fields          uint64
		docs            int
		inFields, found bool
	}{
		{"name2", ^uint64(0), 2, true, true},
		{"name2", bodyBit, 2, true, true},
		{"name1", bodyBit, 1, false, true},
		{"name1", nameBit, 1, true, true},
		{"nope", ^uint64(0), 0, false, false},
	} {
		docs, in, found := idx.TermDocs(tc.term, tc.fields)
		if docs != tc.docs || in != tc.inFields || found != tc.found {
			t.Errorf("%s %b: %d %v %v", tc.term, tc.fields, docs, in, found)
		}
	}
	idx.RUnlock()
	idx.Lock()
	idx.Remove("doc3")
	idx.Unlock()
	idx.RLock()
	if docs, in, _ := idx.TermDocs("name2", bodyBit); docs != 1 || in {
		t.Errorf("after doc3's removal: %d %v", docs, in)
	}
}
