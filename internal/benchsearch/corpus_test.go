package benchsearch

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestGenerateCorpusIsDeterministic(t *testing.T) {
	cfg := CorpusConfig{Docs: 500, Vocabulary: 5000, Seed: 7}
	a, b := GenerateCorpus(cfg), GenerateCorpus(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two corpora of the same config differ")
	}
	other := GenerateCorpus(CorpusConfig{Docs: 500, Vocabulary: 5000, Seed: 8})
	if reflect.DeepEqual(a.Docs, other.Docs) {
		t.Fatal("different seeds gave the same documents")
	}
}

func TestVocabularyWords(t *testing.T) {
	c := GenerateCorpus(CorpusConfig{Docs: 1})
	if len(c.Words) != 50_000 {
		t.Fatalf("vocabulary has %d words, want 50000", len(c.Words))
	}
	stop := stopWords()
	seen := map[string]bool{}
	for _, w := range c.Words {
		if len(w) < 3 || len(w) > 10 {
			t.Fatalf("word %q: length %d outside 3..10", w, len(w))
		}
		if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("word %q: not only lowercase letters", w)
		}
		if seen[w] {
			t.Fatalf("word %q twice", w)
		}
		if stop[w] {
			t.Fatalf("word %q is a stop word", w)
		}
		seen[w] = true
	}
}

func TestCorpusShape(t *testing.T) {
	c := GenerateCorpus(CorpusConfig{Docs: 5000, Seed: 3})
	rank := make(map[string]int, len(c.Words))
	for i, w := range c.Words {
		rank[w] = i
	}
	counts := make([]float64, len(c.Words))
	var bodyWords, titleWords int
	tags := map[string]bool{}
	for i, d := range c.Docs {
		if want := "doc:" + strconv.Itoa(i); d.Key != want {
			t.Fatalf("doc %d key %q, want %q", i, d.Key, want)
		}
		body, title := strings.Fields(d.Body), strings.Fields(d.Title)
		bodyWords += len(body)
		titleWords += len(title)
		for _, w := range append(body, title...) {
			counts[rank[w]]++
		}
		if d.Price < 0 || d.Price > 10_000 {
			t.Fatalf("doc %d price %d outside 0..10000", i, d.Price)
		}
		tags[d.Tag] = true
	}
	if mean := float64(bodyWords) / float64(len(c.Docs)); math.Abs(mean-60) > 1 {
		t.Errorf("mean body length %.1f words, want about 60", mean)
	}
	if mean := float64(titleWords) / float64(len(c.Docs)); math.Abs(mean-6) > 0.2 {
		t.Errorf("mean title length %.1f words, want about 6", mean)
	}
	if len(tags) != 50 {
		t.Errorf("%d distinct tags, want 50", len(tags))
	}
	// Zipf with s=1.07 and v=1: P(rank k) ∝ (k+1)^-1.07, so rank 0 is
	// 10^1.07 ≈ 11.7 times as frequent as rank 9, and 2^1.07 ≈ 2.1 times
	// rank 1.
	for _, tc := range []struct {
		a, b int
		want float64
	}{{0, 1, math.Pow(2, 1.07)}, {0, 9, math.Pow(10, 1.07)}, {9, 99, math.Pow(10, 1.07)}} {
		got := counts[tc.a] / counts[tc.b]
		if math.Abs(got-tc.want)/tc.want > 0.15 {
			t.Errorf("count(rank %d)/count(rank %d) = %.2f, want %.2f ±15%%", tc.a, tc.b, got, tc.want)
		}
	}
}
