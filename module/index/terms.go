package index

// The term dictionary as FT.SPELLCHECK reads it: the module walks its term
// trie (the index's words, in rune order) with a Levenshtein automaton and
// asks each suggestion's inverted index how many documents hold it.

// ScanTerms calls fn with the dictionary's terms in order, from the first
// that is not below from, until fn returns false. The stem entries ("+stem",
// which the indexer adds beside a word whose stem differs) are included:
// the module adds every entry of its forward index to its term trie
// (IndexSpec_AddTerm in writeCurEntries), and FT.SPELLCHECK walks that
// trie as it is. The caller holds a lock.
func (idx *Index) ScanTerms(from string, fn func(term string) bool) {
	idx.terms.Ascend(from, func(k string, _ *termEntry) bool { return fn(k) })
}

// TermDocs is what FT.SPELLCHECK asks of a word's inverted index: found is
// whether there is one, docs the number of documents it holds, and
// inFields whether one of them has the word in one of the TEXT fields of
// the mask (a reader filtered by the mask finds an entry). The caller
// holds a lock.
func (idx *Index) TermDocs(term string, fields uint64) (docs int, inFields, found bool) {
	te := idx.termMap[term]
	if te == nil {
		return 0, false, false
	}
	if te.fieldMask&fields != 0 {
		r := postingReader{p: &te.list}
		for r.next() {
			if r.cur.fieldMask&fields != 0 && idx.live(r.cur.id) {
				inFields = true
				break
			}
		}
	}
	return te.docs, inFields, true
}
