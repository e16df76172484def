package expr

import (
	"fmt"
	"math"
	"strings"
)

// ErrorKind classifies the errors of this package.
type ErrorKind uint8

const (
	// KindSyntax: "Syntax error at offset N near 'T'" (optionally followed by
	// ": <reason>" when a semantic error preceded it).
	KindSyntax ErrorKind = iota + 1
	// KindUnknownFunction: "Unknown function name 'f'".
	KindUnknownFunction
	// KindUnknownSymbol: "Unknown symbol 's'" (a bare word other than NULL).
	KindUnknownSymbol
	// KindMissingProperty: a property without a value in the row.
	KindMissingProperty
	// KindMissingParam: a $parameter the environment does not define.
	KindMissingParam
	// KindArgs: wrong number or type of function arguments.
	KindArgs
	// KindEval: other evaluation errors (non-numeric operands, comparisons).
	KindEval
)

// Error is the error type of Parse and Eval. Msg is the module's wording.
type Error struct {
	Kind ErrorKind
	Msg  string
	// Offset is the byte offset of a syntax error, -1 otherwise.
	Offset int
}

func (e *Error) Error() string { return e.Msg }

func errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Offset: -1}
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokNumber
	tokString
	tokProperty
	tokSymbol
	tokParam
	tokLP
	tokRP
	tokComma
	tokPlus
	tokMinus
	tokTimes
	tokDivide
	tokMod
	tokPow
	tokEQ
	tokNE
	tokLT
	tokLE
	tokGT
	tokGE
	tokAnd
	tokOr
	tokNot
)

type token struct {
	kind tokenKind
	pos  int
	// text is what a syntax error at this token quotes. The module reuses one
	// token struct and only value-bearing tokens (numbers, strings,
	// properties, symbols) overwrite its text, so an operator or the end of
	// input quotes the text of the last value-bearing token before it.
	text string
	// value is the token's own payload: the property/symbol/parameter name,
	// the raw string literal with its quotes.
	value string
	num   float64
}

// lex splits src into tokens the way the module's Ragel scanner does:
// longest match, blanks, punctuation and control characters that start no
// token are skipped silently, and a byte that starts no token and is not
// skippable (any byte >= 0x80 outside strings and property names) ends the
// input there. The result always ends with tokEOF.
func lex(src string) []token {
	var toks []token
	carried := ""
	lastPos := 0
	emit := func(kind tokenKind, pos int, own bool, text, value string, num float64) {
		if own {
			carried = text
		}
		lastPos = pos
		toks = append(toks, token{kind: kind, pos: pos, text: carried, value: value, num: num})
	}
	i := 0
	for i < len(src) {
		c := src[i]
		// Candidates in the scanner's pattern order; the longest wins and on a
		// tie the earlier one.
		best, bestLen := tokEOF, 0
		consider := func(kind tokenKind, n int) {
			if n > bestLen {
				best, bestLen = kind, n
			}
		}
		consider(tokNumber, matchNumber(src[i:]))
		consider(tokProperty, matchProperty(src[i:]))
		consider(tokSymbol, matchSymbol(src[i:]))
		// The inf pattern outranks the symbol "inf" of the same length.
		if n := matchInf(src[i:]); n > 0 && n >= bestLen {
			best, bestLen = tokNumber, n
		}
		if opKind, n := matchOperator(src[i:]); n > bestLen {
			best, bestLen = opKind, n
		}
		consider(tokString, matchString(src[i:]))
		consider(tokParam, matchParam(src[i:]))
		if bestLen == 0 {
			if isCSpace(c) || isPunct(c) || isCntrl(c) {
				i++
				continue
			}
			break // the scanner errors out; the module then parses what it has
		}
		text := src[i : i+bestLen]
		switch best {
		case tokNumber:
			emit(tokNumber, i, true, text, "", numberValue(text))
		case tokProperty:
			emit(tokProperty, i, true, text[1:], text[1:], 0)
		case tokSymbol:
			emit(tokSymbol, i, true, text, text, 0)
		case tokString:
			emit(tokString, i, true, text, text, 0)
		case tokParam:
			emit(tokParam, i, true, text[1:], text[1:], 0)
		default:
			emit(best, i, false, "", "", 0)
		}
		i += bestLen
	}
	toks = append(toks, token{kind: tokEOF, pos: lastPos, text: carried})
	return toks
}

// matchNumber: [+-]? digit+ ('.' digit+)? ([Ee] [+-]? digit+)?
func matchNumber(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	d := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == d {
		return 0
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i += 2
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

// matchInf: ['+-]? "inf" (the module's character class includes the quote).
func matchInf(s string) int {
	i := 0
	if i < len(s) && (s[i] == '\'' || s[i] == '+' || s[i] == '-') {
		i++
	}
	if strings.HasPrefix(s[i:], "inf") {
		return i + 3
	}
	return 0
}

func numberValue(text string) float64 {
	if strings.HasSuffix(text, "inf") {
		if text[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, _, _ := cStrtod(text)
	return f
}

// matchProperty: '@' followed by one or more bytes that are not punctuation,
// control or blank (bytes >= 0x80 included), '_', or a backslash escaping
// punctuation, a blank or a backslash.
func matchProperty(s string) int {
	if len(s) < 2 || s[0] != '@' {
		return 0
	}
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 < len(s) && (isPunct(s[i+1]) || isCSpace(s[i+1])) {
				i += 2
				continue
			}
		case c == '_' || !(isPunct(c) || isCntrl(c) || isCSpace(c)):
			i++
			continue
		}
		break
	}
	if i == 1 {
		return 0
	}
	return i
}

// matchSymbol: alpha (alnum | '_')*
func matchSymbol(s string) int {
	if len(s) == 0 || !isAlpha(s[0]) {
		return 0
	}
	i := 1
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_') {
		i++
	}
	return i
}

// matchParam: '$' (alnum | '_')+. Not part of the 2.10 expression scanner
// (which skips '$' as punctuation); parameters are an extension resolved
// through Env.Param.
func matchParam(s string) int {
	if len(s) < 2 || s[0] != '$' {
		return 0
	}
	i := 1
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_') {
		i++
	}
	if i == 1 {
		return 0
	}
	return i
}

// matchString returns the length of the longest quoted literal at the start
// of s: a body of bytes other than the quote and newline, where a backslash
// may also escape punctuation, a blank or a backslash (and so a quote).
func matchString(s string) int {
	if len(s) < 2 || (s[0] != '"' && s[0] != '\'') {
		return 0
	}
	q := s[0]
	longest := 0
	// The positions the pattern can reach, in one forward pass (a step
	// moves one byte, or two over an escape): linear, whatever the run of
	// backslashes.
	reach := make([]bool, len(s)+2)
	reach[1] = true
	for p := 1; p < len(s); p++ {
		if !reach[p] {
			continue
		}
		c := s[p]
		if c == q {
			longest = max(longest, p+1)
		} else if c != '\n' {
			reach[p+1] = true
		}
		if c == '\\' && p+1 < len(s) && (isPunct(s[p+1]) || isCSpace(s[p+1])) {
			reach[p+2] = true
		}
	}
	return longest
}

func matchOperator(s string) (tokenKind, int) {
	if len(s) >= 2 {
		switch s[:2] {
		case "==":
			return tokEQ, 2
		case "!=":
			return tokNE, 2
		case "<=":
			return tokLE, 2
		case ">=":
			return tokGE, 2
		case "&&":
			return tokAnd, 2
		case "||":
			return tokOr, 2
		}
	}
	switch s[0] {
	case '(':
		return tokLP, 1
	case ')':
		return tokRP, 1
	case '-':
		return tokMinus, 1
	case '+':
		return tokPlus, 1
	case '*':
		return tokTimes, 1
	case '/':
		return tokDivide, 1
	case '%':
		return tokMod, 1
	case '^':
		return tokPow, 1
	case ',':
		return tokComma, 1
	case '<':
		return tokLT, 1
	case '>':
		return tokGT, 1
	case '!':
		return tokNot, 1
	}
	return tokEOF, 0
}

// unquote removes the quotes of a string literal and the backslash before an
// escaped punctuation or blank character.
func unquote(lit string) string {
	body := lit[1 : len(lit)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' && i+1 < len(body) && (isPunct(body[i+1]) || isCSpace(body[i+1])) {
			continue
		}
		b.WriteByte(body[i])
	}
	return b.String()
}
