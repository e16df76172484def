package benchsearch

import (
	"math/rand/v2"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// Syllables are consonant-vowel(-consonant) so that the words read like words
// (the tokenizers and stemmers of both engines then see realistic input) and
// contain only ASCII letters, which both tokenizers keep whole.
var (
	onsets  = strings.Fields("b c d f g h j k l m n p r s t v w z bl br ch cl cr dr fl fr gl gr pl pr sh st th tr")
	vowels  = strings.Fields("a e i o u ai ea ee oa ou")
	codas   = strings.Fields("b d g k l m n p r s t x nd nt rk st")
	minWord = 3
	maxWord = 10
)

// redisearchStopWords is the search module's default stop-word list: a
// generated word equal to one of them would be dropped by our side only.
var redisearchStopWords = strings.Fields("a is the an and are as at be but by for if in into it no not of on or such that their then there these they this to was will with")

// stopWords is every word either engine drops at indexing time (ours by
// default, bleve's "en" analyzer): the vocabulary avoids them so that both
// engines index the same terms.
func stopWords() map[string]bool {
	stop := map[string]bool{}
	for _, w := range redisearchStopWords {
		stop[w] = true
	}
	// bleve's list is in Snowball format: a word at the start of a line,
	// comments after '|'.
	for _, line := range strings.Split(string(en.EnglishStopWords), "\n") {
		if i := strings.IndexByte(line, '|'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			stop[strings.ToLower(w)] = true
		}
	}
	return stop
}

// vocabulary returns n unique pronounceable words, letters only, 3 to 10
// characters long. Its order is the Zipf rank order: word 0 is the most
// frequent. Deterministic for a given generator state.
func vocabulary(r *rand.Rand, n int) []string {
	stop := stopWords()
	seen := make(map[string]bool, n)
	words := make([]string, 0, n)
	var b strings.Builder
	for len(words) < n {
		b.Reset()
		target := minWord + r.IntN(maxWord-minWord+1)
		for b.Len() < target {
			b.WriteString(onsets[r.IntN(len(onsets))])
			b.WriteString(vowels[r.IntN(len(vowels))])
			if r.IntN(3) == 0 {
				b.WriteString(codas[r.IntN(len(codas))])
			}
		}
		w := b.String()
		if len(w) > maxWord {
			w = w[:maxWord]
		}
		if len(w) < minWord || seen[w] || stop[w] {
			continue
		}
		seen[w] = true
		words = append(words, w)
	}
	return words
}
