package text

import (
	"slices"
	"strings"
)

// MaxStopwords is the most words a stop-word list keeps; the module ignores
// the words past this many (MAX_STOPWORDLIST_SIZE in src/stopwords.c).
const MaxStopwords = 1024

// defaultStopwordList is the module's default list, used for every language.
var defaultStopwordList = []string{
	"a", "is", "the", "an", "and", "are", "as", "at", "be", "but", "by", "for",
	"if", "in", "into", "it", "no", "not", "of", "on", "or", "such", "that", "their",
	"then", "there", "these", "they", "this", "to", "was", "will", "with",
}

// Stopwords is an immutable set of folded stop words, safe for concurrent use.
// A nil *Stopwords is an empty list.
type Stopwords struct {
	words  map[string]struct{}
	sorted []string
}

var defaultStopwords = NewStopwords(defaultStopwordList)

// DefaultStopwords returns the module's default list (shared; it is immutable).
func DefaultStopwords() *Stopwords { return defaultStopwords }

// NewStopwords builds a list from FT.CREATE's STOPWORDS arguments: each word
// is folded, duplicates and empty words are dropped, and only the first
// MaxStopwords words are read. An empty argument list gives the empty list
// (STOPWORDS 0).
func NewStopwords(words []string) *Stopwords {
	if len(words) > MaxStopwords {
		words = words[:MaxStopwords]
	}
	set := make(map[string]struct{}, len(words))
	sorted := make([]string, 0, len(words))
	for _, word := range words {
		folded := strings.Clone(Fold(word))
		if folded == "" {
			continue
		}
		if _, dup := set[folded]; dup {
			continue
		}
		set[folded] = struct{}{}
		sorted = append(sorted, folded)
	}
	slices.Sort(sorted)
	return &Stopwords{words: set, sorted: sorted}
}

// Contains reports whether the folded word w is a stop word.
func (s *Stopwords) Contains(w string) bool {
	if s == nil {
		return false
	}
	_, found := s.words[w]
	return found
}

// Len is the number of stop words.
func (s *Stopwords) Len() int {
	if s == nil {
		return 0
	}
	return len(s.sorted)
}

// List returns the words in byte order, as FT.INFO's stopwords_list prints
// them (the module walks its trie in order). The slice is the caller's.
func (s *Stopwords) List() []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s.sorted)
}
