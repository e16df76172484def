package text

import (
	"slices"
	"strings"
	"testing"
)

// collect tokenizes s and returns the tokens in order.
func collect(t *testing.T, tok *Tokenizer, s string) []Token {
	t.Helper()
	var tokens []Token
	tok.Tokenize(s, func(token Token) { tokens = append(tokens, token) })
	return tokens
}

// terms returns the Terms of tokens, checking on the way that positions
// count the emitted tokens from 1.
func terms(t *testing.T, tokens []Token) []string {
	t.Helper()
	out := []string{}
	for i, token := range tokens {
		if token.Pos != uint32(i+1) {
			t.Errorf("token %q has position %d, want %d", token.Term, token.Pos, i+1)
		}
		out = append(out, token.Term)
	}
	return out
}

func TestTokenizeSplitsAndNormalizes(t *testing.T) {
	longWord := strings.Repeat("a", 200)
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"punctuation splits", "foo-bar.baz...bag", []string{"foo", "bar", "baz", "bag"}},
		{"every separator", "a b\tc\nd\re,f.g/h(i)j{k}l[m]n:o;p~q!r@s#t$u%v^w&x*y-z=0+1|2'3`4\"5<6>7?8",
			[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
				"s", "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3", "4", "5", "6", "7", "8"}},
		{"underscore joins", "hello_world", []string{"hello_world"}},
		{"case folded", "Hello WORLD", []string{"hello", "world"}},
		{"escaped separator stays", `hello\-world hello-world`, []string{"hello-world", "hello", "world"}},
		{"escaped space stays", `hello\ world`, []string{"hello world"}},
		{"lone backslash dropped", `a\b`, []string{"ab"}},
		{"escaped backslash kept", `a\\b`, []string{`a\b`}},
		// The module checks only the byte before a separator, so a comma after an
		// escaped backslash does not split either.
		{"separator after escaped backslash", `foo\\,bar`, []string{`foo\,bar`}},
		{"trailing backslash dropped", `foo\`, []string{"foo"}},
		{"only a backslash", `\ x`, []string{" x"}},
		{"control bytes removed", "ab\x01cd\x7fef", []string{"abcdef"}},
		{"text ends at NUL", "foo\x00bar", []string{"foo"}},
		{"decimal number splits", "1.5 version 2,000", []string{"1", "5", "version", "2", "000"}},
		{"empty", "", []string{}},
		{"only separators", " ,,, ...\t", []string{}},
		{"unicode letters kept and folded", "Ärger ÜBER Straße café ΣΟΦΙΑ",
			[]string{"ärger", "über", "straße", "café", "σοφια"}},
		{"unicode punctuation is not a separator", "a—b «c»", []string{"a—b", "«c»"}},
		{"invalid utf-8 kept", "\xffAB", []string{"\xffab"}},
		{"long token cut", strings.Repeat("a", 200) + " b", []string{longWord[:MaxTokenBytes], "b"}},
		// The cut happens before escapes are removed: the escaping backslash is the
		// 128th byte, the escaped '-' is cut off.
		{"cut before unescaping", strings.Repeat("a", 127) + `\-b`, []string{strings.Repeat("a", 127)}},
		{"cut then folded", strings.Repeat("A", 130), []string{strings.Repeat("a", 128)}},
	}
	tokenizer := &Tokenizer{NoStem: true}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := terms(t, collect(t, tokenizer, tc.text))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestTokenizeStopwordsTakeNoPosition(t *testing.T) {
	cases := []struct {
		name      string
		stopwords *Stopwords
		text      string
		want      []Token
	}{
		{"default list", DefaultStopwords(), "The quick brown fox is in the box",
			[]Token{{Term: "quick", Pos: 1}, {Term: "brown", Pos: 2}, {Term: "fox", Pos: 3}, {Term: "box", Pos: 4}}},
		{"matched after folding", DefaultStopwords(), "THE End. A BEGINNING? no",
			[]Token{{Term: "end", Pos: 1}, {Term: "beginning", Pos: 2}}},
		{"custom list replaces default", NewStopwords([]string{"super", "ultra", "pro", "with"}),
			"Super Pro Widget with the Ultra",
			[]Token{{Term: "widget", Pos: 1}, {Term: "the", Pos: 2}}},
		{"STOPWORDS 0 keeps everything", NewStopwords(nil), "the end",
			[]Token{{Term: "the", Pos: 1}, {Term: "end", Pos: 2}}},
		{"nil list keeps everything", nil, "a b",
			[]Token{{Term: "a", Pos: 1}, {Term: "b", Pos: 2}}},
		{"empty tokens take no position", DefaultStopwords(), "x ,, \x01\x02 y \\",
			[]Token{{Term: "x", Pos: 1}, {Term: "y", Pos: 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tokenizer := &Tokenizer{Stopwords: tc.stopwords, NoStem: true}
			got := collect(t, tokenizer, tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestTokenizeStems(t *testing.T) {
	stemmed := func(term string, pos uint32, stem string) Token {
		return Token{Term: term, Pos: pos, Stem: stem, StemTerm: StemPrefix + stem}
	}
	cases := []struct {
		name      string
		tokenizer Tokenizer
		text      string
		want      []Token
	}{
		{"english by default", Tokenizer{Stopwords: DefaultStopwords()}, "Positions is Running fast",
			[]Token{stemmed("positions", 1, "posit"), stemmed("running", 2, "run"), {Term: "fast", Pos: 3}}},
		{"stem equal to term is omitted", Tokenizer{}, "mango flower",
			[]Token{{Term: "mango", Pos: 1}, {Term: "flower", Pos: 2}}},
		{"shorter than the minimum is not stemmed", Tokenizer{}, "ran runs",
			[]Token{{Term: "ran", Pos: 1}, stemmed("runs", 2, "run")}},
		{"minimum counts bytes", Tokenizer{MinStemLen: 8}, "positions running",
			[]Token{stemmed("positions", 1, "posit"), {Term: "running", Pos: 2}}},
		{"NOSTEM field", Tokenizer{NoStem: true}, "positions",
			[]Token{{Term: "positions", Pos: 1}}},
		{"escaped token is stemmed after unescaping", Tokenizer{}, `Escap\ing`,
			[]Token{stemmed("escaping", 1, "escap")}},
		{"spanish", Tokenizer{Language: Spanish}, "chicas",
			[]Token{stemmed("chicas", 1, "chic")}},
		{"language without a stemmer here", Tokenizer{Language: German}, "laufenden",
			[]Token{{Term: "laufenden", Pos: 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := collect(t, &tc.tokenizer, tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestTokenizeAtContinuesPositions(t *testing.T) {
	tokenizer := &Tokenizer{Stopwords: DefaultStopwords(), NoStem: true}
	var got []Token
	last := tokenizer.TokenizeAt("first field", 0, func(tok Token) { got = append(got, tok) })
	last = tokenizer.TokenizeAt("the second", last, func(tok Token) { got = append(got, tok) })
	want := []Token{{Term: "first", Pos: 1}, {Term: "field", Pos: 2}, {Term: "second", Pos: 3}}
	if !slices.Equal(got, want) || last != 3 {
		t.Fatalf("got %+v last %d, want %+v last 3", got, last, want)
	}
	if unchanged := tokenizer.TokenizeAt("the, a", 7, func(Token) { t.Error("no token expected") }); unchanged != 7 {
		t.Errorf("TokenizeAt with only stop words returned %d, want 7", unchanged)
	}
}

func TestTokenizePlainTermsShareTheText(t *testing.T) {
	tokenizer := &Tokenizer{Stopwords: DefaultStopwords()}
	body := "alpha positions beta"
	tokenizer.Tokenize(body, func(Token) {}) // warm the stem cache
	allocs := testing.AllocsPerRun(100, func() {
		tokenizer.Tokenize(body, func(Token) {})
	})
	if allocs != 0 {
		t.Errorf("tokenizing lower-case text with known stems allocated %.1f times, want 0", allocs)
	}
}

func TestTokenizerIsSafeForConcurrentUse(t *testing.T) {
	tokenizer := &Tokenizer{Stopwords: DefaultStopwords()}
	done := make(chan []Token)
	for range 4 {
		go func() {
			var tokens []Token
			tokenizer.Tokenize(benchmarkBody, func(tok Token) { tokens = append(tokens, tok) })
			done <- tokens
		}()
	}
	first := <-done
	for range 3 {
		if other := <-done; !slices.Equal(first, other) {
			t.Fatalf("concurrent tokenizations differ")
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, seed := range []string{"", "Hello, World!", `a\\,b\-c\`, "\x00\x01ÄÖ", strings.Repeat("é", 100)} {
		f.Add(seed)
	}
	tokenizer := &Tokenizer{Stopwords: DefaultStopwords()}
	f.Fuzz(func(t *testing.T, s string) {
		var pos uint32
		tokenizer.Tokenize(s, func(tok Token) {
			pos++
			if tok.Pos != pos {
				t.Fatalf("position %d, want %d", tok.Pos, pos)
			}
			if tok.Term == "" || len(tok.Term) > MaxTokenBytes*3/2 {
				t.Fatalf("bad term %q", tok.Term)
			}
			if DefaultStopwords().Contains(tok.Term) {
				t.Fatalf("stop word %q emitted", tok.Term)
			}
			if (tok.Stem == "") != (tok.StemTerm == "") || tok.Stem == tok.Term {
				t.Fatalf("bad stem %+v", tok)
			}
		})
	})
}

// benchmarkBody is a 60-word English paragraph.
const benchmarkBody = "Redis is an open source, in-memory data structure store used as a database, " +
	"cache, and message broker. The search module adds secondary indexing, full-text search " +
	"and aggregation; documents are tokenized, folded to lower case, filtered for stop words " +
	"and stemmed before they reach the inverted index. Queries combine terms, phrases, prefixes " +
	"and numeric ranges, scored with BM25 by default here."

func BenchmarkTokenize(b *testing.B) {
	if words := len(strings.Fields(benchmarkBody)); words != 60 {
		b.Fatalf("benchmark body has %d words, want 60", words)
	}
	tokenizer := &Tokenizer{Stopwords: DefaultStopwords()}
	var count int
	b.ReportAllocs()
	b.SetBytes(int64(len(benchmarkBody)))
	for b.Loop() {
		tokenizer.Tokenize(benchmarkBody, func(Token) { count++ })
	}
}
