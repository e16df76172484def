package query

import (
	"fmt"
	"strings"
)

var sprintf = fmt.Sprintf

// Fold case-folds a term the way the query parser does before lookup:
// Unicode-aware lower-casing.
func Fold(s string) string { return strings.ToLower(s) }

// isPunct and isSpace follow C's ispunct/isspace in the "C" locale, which
// the real lexer and unescaper use.
func isPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func isCntrl(c byte) bool { return c < 0x20 || c == 0x7f }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// unescape drops a backslash that precedes punctuation or a space, as the
// module does for terms, tag values and field names.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (isPunct(s[i+1]) || isSpace(s[i+1])) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
