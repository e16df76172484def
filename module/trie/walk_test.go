package trie

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestWalkerAsTrieIterator: over sorted strings, the walker yields what
// the iterator yields over a lex trie of the same strings, in the same
// order, for any query, distance and mode.
func TestWalkerAsTrieIterator(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = "abcdeAB"[rng.IntN(7)]
		}
		return string(b)
	}
	for round := 0; round < 300; round++ {
		tr := New(SortLex)
		set := map[string]bool{}
		for i := 0; i < 40; i++ {
			w := word()
			tr.Insert(w, 1, false, "")
			set[w] = true
		}
		var sorted []string
		for w := range set {
			sorted = append(sorted, w)
		}
		sort.Strings(sorted)
		q, _ := LowerRunes(word())
		dist, prefix := rng.IntN(4), rng.IntN(2) == 0
		var want []string
		it := tr.Iterate(q, dist, prefix, Lower)
		for s, _, _, ok := it.Next(nil); ok; s, _, _, ok = it.Next(nil) {
			want = append(want, String(s))
		}
		var got []string
		w := NewWalker(q, dist, prefix, Lower)
		for _, s := range sorted {
			if m, _ := w.Match(ToRunes(s)); m {
				got = append(got, s)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("query %q dist %d prefix %v: walker %q, iterator %q", String(q), dist, prefix, got, want)
		}
	}
}
