package text

import (
	"fmt"
	"slices"
	"testing"
)

func TestDefaultStopwords(t *testing.T) {
	want := []string{"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
		"is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
		"these", "they", "this", "to", "was", "will", "with"}
	sw := DefaultStopwords()
	if got := sw.List(); !slices.Equal(got, want) {
		t.Errorf("List() = %q, want %q", got, want)
	}
	for _, w := range want {
		if !sw.Contains(w) {
			t.Errorf("default list lacks %q", w)
		}
	}
	for _, w := range []string{"The", "", "then\\", "hello"} {
		if sw.Contains(w) {
			t.Errorf("default list contains %q", w)
		}
	}
}

func TestNewStopwords(t *testing.T) {
	many := make([]string, MaxStopwords+5)
	for i := range many {
		many[i] = fmt.Sprintf("w%04d", i)
	}
	cases := []struct {
		name  string
		words []string
		want  []string
	}{
		// FT.INFO of golden idx2 (STOPWORDS 4 super ultra pro with).
		{"sorted like FT.INFO", []string{"super", "ultra", "pro", "with"}, []string{"pro", "super", "ultra", "with"}},
		{"folded", []string{"Super", "ÜBER"}, []string{"super", "über"}},
		{"duplicates and empties dropped", []string{"a", "A", "", "a"}, []string{"a"}},
		{"STOPWORDS 0", nil, []string{}},
		{"capped at MaxStopwords", many, many[:MaxStopwords]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sw := NewStopwords(tc.words)
			if got := sw.List(); !slices.Equal(got, tc.want) {
				t.Errorf("List() = %q, want %q", got, tc.want)
			}
			if sw.Len() != len(tc.want) {
				t.Errorf("Len() = %d, want %d", sw.Len(), len(tc.want))
			}
		})
	}
}

func TestNilStopwordsIsEmpty(t *testing.T) {
	var sw *Stopwords
	if sw.Contains("the") || sw.Len() != 0 || sw.List() == nil || len(sw.List()) != 0 {
		t.Errorf("nil *Stopwords is not an empty list")
	}
}

func TestStopwordsListIsACopy(t *testing.T) {
	sw := NewStopwords([]string{"b", "a"})
	list := sw.List()
	list[0] = "zzz"
	if !sw.Contains("a") || sw.List()[0] != "a" {
		t.Errorf("modifying List()'s result changed the list")
	}
}
