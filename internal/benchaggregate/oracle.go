package benchaggregate

import (
	"fmt"
	"strings"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

// matchedDocs is the documents of c that query matches, computed from the
// generated corpus alone: the oracle of the checks, independent of the
// server under test (whose FT.SEARCH would otherwise vouch for its own
// FT.AGGREGATE). The queries are "*" (every document) and a single word
// (bench-search's "term" query), matched as the module's default English
// full-text rules match it:
//
//   - the documents' TEXT fields (title, body) are lower-case ASCII words
//     joined by single spaces, none a stop word (benchsearch's vocabulary
//     avoids them): their tokens are their words;
//   - at indexing, a token of at least 4 bytes (MIN_STEM_CANDIDATE_LEN,
//     src/tokenize.c) whose Snowball stem differs from it is also indexed
//     as "+stem";
//   - at query time the default expander (StemmerExpander,
//     src/ext/default.c) turns a word w into w OR "+stem(w)" OR, when the
//     stem differs from w, stem(w).
//
// The stems come from blevesearch's Snowball English stemmer (generated from
// the Snowball sources, as the module's libstemmer is), not from the
// server's own stemmer.
func matchedDocs(c *benchsearch.Corpus, query string) ([]benchsearch.Doc, error) {
	if query == "*" {
		return c.Docs, nil
	}
	if query == "" || strings.Trim(query, "abcdefghijklmnopqrstuvwxyz") != "" {
		return nil, fmt.Errorf("query %q: the oracle knows \"*\" and single lower-case words only", query)
	}
	stems := map[string]string{}
	stem := func(w string) string {
		s, ok := stems[w]
		if !ok {
			env := snowballstem.NewEnv(w)
			english.Stem(env)
			s = env.Current()
			stems[w] = s
		}
		return s
	}
	qStem := stem(query)
	matches := func(t string) bool {
		switch {
		case t == query:
			return true
		case qStem != query && t == qStem:
			return true
		case len(t) >= minStemLen:
			s := stem(t)
			return s != t && s == qStem
		}
		return false
	}
	var docs []benchsearch.Doc
	for _, d := range c.Docs {
		for _, t := range append(strings.Fields(d.Title), strings.Fields(d.Body)...) {
			if matches(t) {
				docs = append(docs, d)
				break
			}
		}
	}
	return docs, nil
}

// minStemLen is the shortest token the module stems at indexing
// (MIN_STEM_CANDIDATE_LEN, the default of MINSTEMLEN).
const minStemLen = 4
