package text

import "strings"

// MaxTokenBytes is how much of a raw token the module reads: a longer token is
// cut to its first MaxTokenBytes bytes before normalization
// (MAX_NORMALIZE_SIZE in src/tokenize.c). The cut is by bytes, as the module
// makes it, so it may split a multi-byte character.
const MaxTokenBytes = 128

// DefaultMinStemLen is the shortest token (in bytes) that is stemmed when
// Tokenizer.MinStemLen is not set (MIN_STEM_CANDIDATE_LEN, MINSTEMLEN's default).
const DefaultMinStemLen = 4

// Token is one word of a field's text.
type Token struct {
	// Term is the folded token, escapes removed. It may share memory with
	// the tokenized text: clone it (strings.Clone) to keep it once that text
	// may be dropped, e.g. as a term-dictionary key.
	Term string
	// Pos is the token's 1-based position: stop words and tokens that
	// normalize to nothing take no position. Tokenize numbers each call
	// from 1; TokenizeAt continues a document's numbering across fields.
	Pos uint32
	// Stem is the token's stem, or "" when the token is not stemmed or its
	// stem equals Term.
	Stem string
	// StemTerm is StemPrefix+Stem, the dictionary term the module indexes
	// the stem under ("" when Stem is "").
	StemTerm string
}

// Tokenizer splits a TEXT field's value into Tokens. Its zero value tokenizes
// English with no stop words, stemming tokens of DefaultMinStemLen bytes or
// more. It holds no state between calls: one Tokenizer may serve many
// goroutines at once.
type Tokenizer struct {
	Language  Language
	Stopwords *Stopwords // nil: no stop words
	// MinStemLen is the shortest token, in bytes, that is stemmed;
	// 0 means DefaultMinStemLen.
	MinStemLen int
	// NoStem disables stemming (a NOSTEM field).
	NoStem bool
}

// Tokenize calls fn for each token of s in order, numbering them from 1.
// It allocates only the Terms that normalization changes (upper case,
// escapes, control bytes) and the stems of words not seen before.
func (t *Tokenizer) Tokenize(s string, fn func(Token)) {
	t.TokenizeAt(s, 0, fn)
}

// TokenizeAt tokenizes s like Tokenize but numbers the tokens from lastPos+1,
// and returns the position of the last token emitted (lastPos if none). The
// module numbers positions per document, not per field: the tokens of a
// document's second TEXT field follow the last position of its first, and the
// final position is the document's token count.
func (t *Tokenizer) TokenizeAt(s string, lastPos uint32, fn func(Token)) uint32 {
	if nul := strings.IndexByte(s, 0); nul >= 0 {
		s = s[:nul]
	}
	minStemLen := t.MinStemLen
	if minStemLen <= 0 {
		minStemLen = DefaultMinStemLen
	}
	stemming := !t.NoStem && t.Language.HasStemmer()
	var scratch normalizeScratch
	for start := 0; start < len(s); {
		raw, next := nextToken(s, start)
		start = next
		term := scratch.normalize(raw)
		if term == "" || t.Stopwords.Contains(term) {
			continue
		}
		lastPos++
		token := Token{Term: term, Pos: lastPos}
		if stemming && len(term) >= minStemLen {
			if entry, ok := t.Language.cachedStem(term); ok && entry.stem != term {
				token.Stem, token.StemTerm = entry.stem, entry.prefixed
			}
		}
		fn(token)
	}
	return lastPos
}

// normalizeScratch holds the buffers of one tokenization, so normalizing a
// token that changes allocates only the resulting string. Folding may grow a
// character by one byte per two (e.g. U+023A → U+2C65), hence the sizes.
type normalizeScratch struct {
	stripped [MaxTokenBytes]byte
	folded   [MaxTokenBytes * 3 / 2]byte
}

// normalize applies the module's DefaultNormalize to a raw token: cut it to
// MaxTokenBytes, drop unescaped backslashes, unescaped blanks and every ASCII
// control byte, then fold the case. It returns raw itself when nothing
// changes.
func (b *normalizeScratch) normalize(raw string) string {
	if len(raw) > MaxTokenBytes {
		raw = raw[:MaxTokenBytes]
	}
	if isPlainToken(raw) {
		return raw
	}
	stripped := b.stripped[:0]
	escaped := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case (c == ' ' || c == '\t') && !escaped, isControl(c):
			// dropped
		case c == '\\' && !escaped:
			escaped = true
			continue
		default:
			stripped = append(stripped, c)
		}
		escaped = false
	}
	if !needsFoldBytes(stripped) {
		if len(stripped) == len(raw) {
			return raw
		}
		return string(stripped)
	}
	return string(appendFoldedBytes(b.folded[:0], stripped))
}

// isPlainToken reports whether a raw token is already normalized: lower-case
// ASCII with no escape, blank or control byte. Most words of a text are.
func isPlainToken(raw string) bool {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') || c == '\\' || c == ' ' || isControl(c) {
			return false
		}
	}
	return true
}

// isControl is C's iscntrl in the "C" locale.
func isControl(c byte) bool { return c < 0x20 || c == 0x7f }
