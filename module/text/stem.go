package text

import (
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// StemPrefix marks a stem in the term dictionary: the module indexes the stem
// of "positions" as "+posit", next to the exact term "positions", so that a
// stem never collides with a word (FT.EXPLAIN shows it as "+posit(expanded)").
const StemPrefix = "+"

// stemFuncs holds the Snowball stemmers available here. The real module links
// libstemmer, which covers every language in the list but Chinese; this
// emulation uses github.com/kljensen/snowball, which implements only the
// languages below. Words in the other languages are not stemmed (Stem returns
// them unchanged), so their documents match only exact and prefix queries.
//
// stemStopWords is true because libstemmer stems every word it is given;
// the module filters stop words itself, before stemming.
var stemFuncs = [numLanguages]func(word string, stemStopWords bool) string{
	English:   english.Stem,
	French:    french.Stem,
	Hungarian: hungarian.Stem,
	Norwegian: norwegian.Stem,
	Russian:   russian.Stem,
	Spanish:   spanish.Stem,
	Swedish:   swedish.Stem,
}

// HasStemmer reports whether words of this language are stemmed here.
func (l Language) HasStemmer() bool {
	return l < numLanguages && stemFuncs[l] != nil
}

// Stem returns the Snowball stem of a folded word, or the word itself when the
// language has no stemmer here (see HasStemmer). It applies no minimum length:
// that rule belongs to the tokenizer and the query expander.
func (l Language) Stem(word string) string {
	entry, _ := l.cachedStem(word)
	return entry.stem
}

// stemEntry is a cached stem, with its prefixed dictionary form built once so
// that tokenizing a known word allocates nothing.
type stemEntry struct {
	stem     string
	prefixed string
}

// stemCacheLimit bounds each language's cache; a full cache is dropped and
// refilled, which keeps memory bounded under any vocabulary.
const stemCacheLimit = 1 << 16

type stemCache struct {
	mu      sync.Mutex
	entries map[string]stemEntry
}

var stemCaches [numLanguages]stemCache

// cachedStem returns the stem of word and StemPrefix+stem. Stemming is costly
// (the Snowball implementation allocates per word) while documents repeat
// words, so results are memoized per language.
func (l Language) cachedStem(word string) (stemEntry, bool) {
	if !l.HasStemmer() || word == "" {
		return stemEntry{stem: word}, false
	}
	cache := &stemCaches[l]
	cache.mu.Lock()
	entry, found := cache.entries[word]
	cache.mu.Unlock()
	if found {
		return entry, true
	}
	stem := safeStem(stemFuncs[l], word)
	entry = stemEntry{stem: stem, prefixed: StemPrefix + stem}
	// The key is cloned: word may be a slice of a large document text that
	// the cache must not keep alive.
	key := strings.Clone(word)
	if stem == word {
		entry.stem = key
	}
	cache.mu.Lock()
	if cache.entries == nil || len(cache.entries) >= stemCacheLimit {
		cache.entries = make(map[string]stemEntry, 1024)
	}
	cache.entries[key] = entry
	cache.mu.Unlock()
	return entry, true
}

// safeStem runs a third-party stemmer and falls back to the word itself if it
// panics on an input it did not expect: indexing a document must not crash.
func safeStem(stemFunc func(string, bool) string, word string) (stem string) {
	defer func() {
		if recover() != nil {
			stem = word
		}
	}()
	return stemFunc(word, true)
}
