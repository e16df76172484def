package module

import (
	"bytes"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/server"
)

// splitArgs turns a fuzz input into command arguments: NUL separates them,
// so that any byte may appear inside one.
func splitArgs(data []byte) [][]byte {
	if len(data) == 0 {
		return nil
	}
	return bytes.Split(data, []byte{0})
}

func joinArgs(args ...string) []byte {
	var b bytes.Buffer
	for i, a := range args {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(a)
	}
	return b.Bytes()
}

// FuzzParseCreate checks that FT.CREATE's parser never panics and that a
// spec it accepts is consistent: unique attribute names, TEXT bits and
// sortable slots numbered densely, at least one field and one prefix.
func FuzzParseCreate(f *testing.F) {
	seeds := [][]string{
		{"ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA", "title", "TEXT", "WEIGHT", "2", "SORTABLE", "body", "TEXT", "tags", "TAG", "cat", "TAG", "SORTABLE", "price", "NUMERIC", "SORTABLE", "rating", "NUMERIC", "loc", "GEO"},
		{"ON", "HASH", "PREFIX", "1", "item:", "STOPWORDS", "4", "super", "ultra", "pro", "with", "SCHEMA", "name", "TEXT", "NOSTEM", "desc", "TEXT", "qty", "NUMERIC", "SORTABLE", "kind", "TAG"},
		{"PREFIX", "2", "student:", "pupil:", "LANGUAGE", "hindi", "LANGUAGE_FIELD", "lang", "SCORE", "0.5", "SCORE_FIELD", "score", "PAYLOAD_FIELD", "pl", "SCHEMA", "t", "TEXT"},
		{"NOOFFSETS", "NOHL", "NOFIELDS", "NOFREQS", "MAXTEXTFIELDS", "TEMPORARY", "100", "SKIPINITIALSCAN", "SCHEMA", "a", "AS", "b", "TEXT", "NOINDEX", "INDEXEMPTY", "INDEXMISSING", "WITHSUFFIXTRIE"},
		{"SCHEMA", "t", "TAG", "SEPARATOR", ";", "CASESENSITIVE", "SORTABLE", "UNF"},
		{"SCHEMA", "txt1", "AS", "foo", "TEXT", "txt2", "AS", "foo", "TAG"},
		{"ONfoo*", "SCHEMA", "foo", "text"},
		{"SCORE", "10", "SCHEMA", "x", "TEXT"},
		{"ON", "HASH", "SCHEMA"},
		{"TEMPORARY", "1000", "foo", "bar"},
		{"SCHEMA", "v", "VECTOR", "FLAT", "6"},
		{"STOPWORDS", "0", "SCHEMA", "t", "TEXT", "PHONETIC", "dm:en"},
	}
	for _, s := range seeds {
		f.Add(joinArgs(s...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sp, err := ParseCreate("idx", splitArgs(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(sp.Fields) == 0 || len(sp.Prefixes) == 0 {
			t.Fatalf("accepted a spec without fields or prefixes: %+v", sp)
		}
		names := map[string]bool{}
		text, sortable := 0, 0
		for i, fl := range sp.Fields {
			if names[fl.Name] {
				t.Fatalf("duplicate attribute %q accepted", fl.Name)
			}
			names[fl.Name] = true
			if fl.Pos() != i {
				t.Fatalf("field %q at %d has pos %d", fl.Name, i, fl.Pos())
			}
			if fl.Type == index.FieldText {
				if fl.TextBit() != text {
					t.Fatalf("TEXT bits not dense: %q has %d, want %d", fl.Name, fl.TextBit(), text)
				}
				text++
			}
			if fl.Sortable {
				if fl.SortIdx() != sortable {
					t.Fatalf("sortable slots not dense")
				}
				sortable++
			}
		}
	})
}

// FuzzParseSearchArgs checks that FT.SEARCH's argument parser never panics
// and that what it accepts respects its own limits.
func FuzzParseSearchArgs(f *testing.F) {
	seeds := [][]string{
		{"NOCONTENT", "VERBATIM", "WITHSCORES", "WITHPAYLOADS", "WITHSORTKEYS", "LIMIT", "0", "10"},
		{"FILTER", "price", "(10", "+inf", "GEOFILTER", "loc", "-73.9", "40.7", "10", "km"},
		{"INKEYS", "2", "a", "b", "INFIELDS", "1", "title", "RETURN", "3", "title", "AS", "t"},
		{"SUMMARIZE", "FIELDS", "1", "body", "FRAGS", "3", "LEN", "5", "SEPARATOR", "|", "HIGHLIGHT", "FIELDS", "1", "title", "TAGS", "<b>", "</b>"},
		{"SLOP", "2", "INORDER", "LANGUAGE", "german", "SCORER", "TFIDF", "SORTBY", "price", "DESC", "WITHCOUNT"},
		{"TIMEOUT", "100", "PARAMS", "2", "x", "1", "DIALECT", "2", "EXPLAINSCORE"},
		{"LIMIT", "0", "2000000"},
		{"LIMIT", "-1", "10"},
		{"RETURN", "2", "title", "AS"},
		{"PARAMS", "1", "x"},
		{"DIALECT", "5"},
		{"SORTBY"},
		{"FOO"},
	}
	for _, s := range seeds {
		f.Add(joinArgs(s...))
	}
	// The configuration as the server registers it (defaults applied).
	cfg := newConfig()
	server.RunT(f, server.Options{Modules: []server.Module{&configOnlyModule{cfg}}})
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := parseSearchArgs("hello", splitArgs(data), cfg, false)
		if err != nil {
			return
		}
		if req.offset < 0 || req.num < 0 || req.num > cfg.MaxSearchResults() {
			t.Fatalf("accepted LIMIT %d %d", req.offset, req.num)
		}
		if req.dialect < 1 || req.dialect > 4 {
			t.Fatalf("accepted DIALECT %d", req.dialect)
		}
		if !scorers[req.scorer] {
			t.Fatalf("accepted scorer %q", req.scorer)
		}
		if req.explainScore && !req.withScores {
			t.Fatal("EXPLAINSCORE accepted without WITHSCORES")
		}
	})
}

var _ server.Module = (*Module)(nil)
