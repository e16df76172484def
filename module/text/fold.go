package text

import (
	"unicode"
	"unicode/utf8"
)

// Fold lower-cases s the way the module folds terms: ASCII letters through a
// fast path, other characters one rune at a time with Unicode's simple
// lower-case mapping. Bytes that are not valid UTF-8 are kept as they are.
// When nothing changes, s itself is returned and nothing is allocated.
func Fold(s string) string {
	if !needsFoldString(s) {
		return s
	}
	return string(appendFoldedString(make([]byte, 0, len(s)+4), s))
}

// needsFoldString reports whether Fold would change s.
func needsFoldString(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError && unicode.ToLower(r) != r {
			return true
		}
		i += size
	}
	return false
}

func appendFoldedString(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError {
			dst = append(dst, s[i:i+size]...)
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst
}

// needsFoldBytes and appendFoldedBytes are the []byte twins of the above,
// used on the tokenizer's scratch buffer so that folding a token allocates
// only its final string.
func needsFoldBytes(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && unicode.ToLower(r) != r {
			return true
		}
		i += size
	}
	return false
}

func appendFoldedBytes(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError {
			dst = append(dst, b[i:i+size]...)
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst
}
