package text

// separatorTable marks the bytes that end a token in a document, as the
// module's default map in src/toksep.h does. '_' and '\' are deliberately
// absent: underscores join words and backslashes escape separators.
var separatorTable = func() (table [256]bool) {
	for _, c := range []byte(" \t\n\r,./(){}[]:;~!@#$%^&*-=+|'`\"<>?") {
		table[c] = true
	}
	return table
}()

// IsSeparator reports whether the byte c separates tokens in a document.
func IsSeparator(c byte) bool { return separatorTable[c] }

// nextToken returns the raw token that starts at s[start:] and the index just
// past its terminating separator. A separator preceded by a backslash byte
// (anywhere but at the token's first byte) is part of the token.
func nextToken(s string, start int) (raw string, next int) {
	for i := start; i < len(s); i++ {
		if separatorTable[s[i]] && (i == start || s[i-1] != '\\') {
			return s[start:i], i + 1
		}
	}
	return s[start:], len(s)
}
