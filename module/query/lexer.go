package query

import (
	"math"
	"strconv"
	"strings"
)

// token is what the lexer hands the parser. Like the real lexer, it reuses
// one token value: punctuation tokens update only pos, so a syntax error on
// them reports the text of the previous word ("near budget" for a quote).
type token struct {
	sym   int     // terminal symbol id of the grammar in use
	pos   int     // byte offset in the query
	text  string  // raw text (escapes kept)
	num   float64 // NUMBER / SIZE value
	param bool    // the text names a $parameter (affix tokens)
	// notTerm mirrors the real token's type field, which only the affix,
	// verbatim and wildcard actions set and every other token inherits: true
	// once one of them typed it as a parameter or a wildcard. The parser's
	// own errors then print no "near <text>" part.
	notTerm bool
	// number: a NUMBER or SIZE token (the module's QT_NUMERIC, QT_SIZE),
	// whose word the query's expansion leaves alone ("Do not expand
	// numbers", NewTokenNode_WithParams).
	number bool
}

// tokenKind is a lexer pattern; the grammar maps kinds to its terminals.
type tokenKind int

const (
	tkNone tokenKind = iota
	tkSize
	tkNumber
	tkModifier
	tkAttribute
	tkArrow
	tkAs
	tkInf
	tkQuote
	tkOr
	tkLP
	tkRP
	tkLB
	tkRB
	tkColon
	tkSemicolon
	tkMinus
	tkTilde
	tkStar
	tkPercent
	tkLSQB
	tkRSQB
	tkEqual
	tkNotEqual
	tkGT
	tkGE
	tkLT
	tkLE
	tkSkip // space, punctuation, control characters
	tkIsMissing
	tkEmptyString // v2: "" or '' (an empty term)
	tkTerm
	tkPrefix
	tkSuffix
	tkContains
	tkVerbatim
	tkWildcard
)

// lexer splits a query the way src/query_parser/v{1,2}/lexer.rl does: at each
// position the longest match of any pattern wins, ties go to the pattern
// listed first.
type lexer struct {
	q  string
	v2 bool
	p  int
}

// termLen is the length of a run of word characters at i: anything but
// ASCII punctuation, space and control characters, plus '_' and
// backslash-escaped punctuation or space.
func termLen(q string, i int) int {
	j := i
	for j < len(q) {
		c := q[j]
		switch {
		case c == '\\':
			if j+1 < len(q) && (isPunct(q[j+1]) || isSpace(q[j+1])) {
				j += 2
				continue
			}
			return j - i
		case c == '_':
			j++
		case isPunct(c) || isSpace(c) || isCntrl(c):
			return j - i
		default:
			j++
		}
	}
	return j - i
}

func digitsLen(q string, i int) int {
	j := i
	for j < len(q) && isDigit(q[j]) {
		j++
	}
	return j - i
}

// numberLen matches '-'? digit+ ('.' digit+)? ([eE] '-'? digit+)?.
func numberLen(q string, i int) int {
	j := i
	if j < len(q) && q[j] == '-' {
		j++
	}
	d := digitsLen(q, j)
	if d == 0 {
		return 0
	}
	j += d
	if j+1 < len(q) && q[j] == '.' && isDigit(q[j+1]) {
		j += 1 + digitsLen(q, j+1)
	}
	if j < len(q) && (q[j] == 'e' || q[j] == 'E') {
		k := j + 1
		if k < len(q) && q[k] == '-' {
			k++
		}
		if d := digitsLen(q, k); d > 0 {
			j = k + d
		}
	}
	return j - i
}

// numberLenV2 is the DIALECT 2 lexer's number: an optional sign, digits
// with an optional fraction or a bare fraction (".5"), and an optional
// signed exponent ("1.5e+2", ".1e1", "+1e0").
func numberLenV2(q string, i int) int {
	j := i
	if j < len(q) && (q[j] == '-' || q[j] == '+') {
		j++
	}
	d := digitsLen(q, j)
	switch {
	case d > 0:
		j += d
		if j+1 < len(q) && q[j] == '.' && isDigit(q[j+1]) {
			j += 1 + digitsLen(q, j+1)
		}
	case j+1 < len(q) && q[j] == '.' && isDigit(q[j+1]):
		j += 1 + digitsLen(q, j+1)
	default:
		return 0
	}
	if j < len(q) && (q[j] == 'e' || q[j] == 'E') {
		k := j + 1
		if k < len(q) && (q[k] == '-' || q[k] == '+') {
			k++
		}
		if d := digitsLen(q, k); d > 0 {
			j = k + d
		}
	}
	return j - i
}

// number is the length of the dialect's number token at i.
func (l *lexer) number(i int) int {
	if l.v2 {
		return numberLenV2(l.q, i)
	}
	return numberLen(l.q, i)
}

func prefixedTermLen(q string, i int, lead byte) int {
	if i < len(q) && q[i] == lead {
		if n := termLen(q, i+1); n > 0 {
			return n + 1
		}
	}
	return 0
}

// wordLen is the longest of term, number and (in v2) $attr at i: what may
// sit next to a star in an affix pattern.
func (l *lexer) wordLen(i int) int {
	n := termLen(l.q, i)
	if m := l.number(i); m > n {
		n = m
	}
	if l.v2 {
		if m := prefixedTermLen(l.q, i, '$'); m > n {
			n = m
		}
	}
	return n
}

func infLen(q string, i int, foldCase bool) int {
	j := i
	if j < len(q) && (q[j] == '+' || q[j] == '-') {
		j++
	}
	if j+3 > len(q) {
		return 0
	}
	w := q[j : j+3]
	if w == "inf" || (foldCase && strings.EqualFold(w, "inf")) {
		return j + 3 - i
	}
	return 0
}

func verbatimLen(q string, i int) int {
	if i >= len(q) || q[i] != '\'' {
		return 0
	}
	j := i + 1
	for j < len(q) {
		switch q[j] {
		case '\'':
			if j == i+1 {
				return 0
			}
			return j + 1 - i
		case '\\':
			if j+1 >= len(q) {
				return 0
			}
			j += 2
		default:
			j++
		}
	}
	return 0
}

var singleCharTokens = map[byte]tokenKind{'"': tkQuote, '|': tkOr, '(': tkLP, ')': tkRP, '{': tkLB, '}': tkRB,
	':': tkColon, ';': tkSemicolon, '-': tkMinus, '~': tkTilde, '*': tkStar, '%': tkPercent,
	'[': tkLSQB, ']': tkRSQB}

// next returns the next pattern match (kind, start, end), or tkNone at the end.
func (l *lexer) next() (tokenKind, int, int) {
	q := l.q
	for l.p < len(q) {
		i := l.p
		best, bestLen := tkNone, 0
		try := func(k tokenKind, n int) {
			if n > bestLen {
				best, bestLen = k, n
			}
		}
		c := q[i]
		if l.v2 {
			try(tkSize, digitsLen(q, i))
		}
		try(tkNumber, l.number(i))
		try(tkModifier, prefixedTermLen(q, i, '@'))
		try(tkAttribute, prefixedTermLen(q, i, '$'))
		if strings.HasPrefix(q[i:], "=>") {
			try(tkArrow, 2)
		}
		if l.v2 && len(q)-i >= 2 && strings.EqualFold(q[i:i+2], "as") {
			try(tkAs, 2)
		}
		try(tkInf, infLen(q, i, l.v2))
		if k, ok := singleCharTokens[c]; ok {
			try(k, 1)
		}
		if l.v2 {
			switch {
			case strings.HasPrefix(q[i:], "!="):
				try(tkNotEqual, 2)
			case strings.HasPrefix(q[i:], ">="):
				try(tkGE, 2)
			case strings.HasPrefix(q[i:], "<="):
				try(tkLE, 2)
			case c == '=':
				try(tkEqual, 1)
			case c == '>':
				try(tkGT, 1)
			case c == '<':
				try(tkLT, 1)
			}
		}
		if isSpace(c) || isPunct(c) || isCntrl(c) {
			try(tkSkip, 1)
		}
		if l.v2 && len(q)-i >= 9 && strings.EqualFold(q[i:i+9], "ismissing") {
			try(tkIsMissing, 9)
		}
		// 8.2's v2 lexer reads two quotes with nothing between them as one
		// empty term: the empty value of INDEXEMPTY fields (`@t:{""}`,
		// `@text:''`), or an empty $param value's stand-in.
		if l.v2 && i+1 < len(q) && (c == '"' || c == '\'') && q[i+1] == c {
			try(tkEmptyString, 2)
		}
		try(tkTerm, termLen(q, i))
		if n := l.wordLen(i); n > 0 && i+n < len(q) && q[i+n] == '*' {
			try(tkPrefix, n+1)
		}
		if c == '*' {
			if n := l.wordLen(i + 1); n > 0 {
				try(tkSuffix, n+1)
				if i+1+n < len(q) && q[i+1+n] == '*' {
					try(tkContains, n+2)
				}
			}
		}
		if l.v2 {
			try(tkVerbatim, verbatimLen(q, i))
			if c == 'w' {
				if n := verbatimLen(q, i+1); n > 0 {
					try(tkWildcard, n+1)
				}
			}
		}
		if best == tkNone { // cannot happen: every byte matches something
			best, bestLen = tkSkip, 1
		}
		l.p = i + bestLen
		if best == tkSkip {
			continue
		}
		return best, i, i + bestLen
	}
	return tkNone, l.p, l.p
}

// fill updates the shared token for a match, mirroring which fields each
// lexer action of the real module sets.
func (l *lexer) fill(tok *token, k tokenKind, ts, te int) {
	q := l.q
	tok.pos = ts
	tok.param = false
	tok.number = k == tkSize || k == tkNumber || k == tkInf
	switch k {
	case tkSize, tkNumber:
		tok.text = q[ts:te]
		tok.num, _ = strconv.ParseFloat(tok.text, 64)
	case tkInf:
		tok.text = q[ts:te]
		tok.num = math.Inf(1)
		if q[ts] == '-' {
			tok.num = math.Inf(-1)
		}
	case tkModifier, tkAttribute:
		tok.text = q[ts+1 : te]
	case tkArrow:
		end := ts + 3
		if end > len(q) {
			end = len(q)
		}
		tok.text = q[ts+1 : end]
	case tkAs, tkIsMissing, tkTerm:
		tok.text = q[ts:te]
		tok.num = 0
	case tkEmptyString:
		tok.text = ""
		tok.num = 0
	case tkPrefix:
		tok.notTerm = l.v2 && q[ts] == '$'
		if l.v2 && q[ts] == '$' {
			tok.param = true
			tok.text = q[ts+1 : te-1]
		} else {
			tok.text = q[ts : te-1]
		}
		tok.num = 0
	case tkSuffix:
		tok.notTerm = l.v2 && q[ts+1] == '$'
		if q[ts+1] == '$' {
			tok.param = l.v2
			tok.text = q[ts+2 : te]
		} else {
			tok.text = q[ts+1 : te]
		}
		tok.num = 0
	case tkContains:
		tok.notTerm = l.v2 && q[ts+1] == '$'
		if q[ts+1] == '$' {
			tok.param = l.v2
			tok.text = q[ts+2 : te-1]
		} else {
			tok.text = q[ts+1 : te-1]
		}
		tok.num = 0
	case tkVerbatim:
		// The real action tests the byte after the first one inside the
		// quotes for '$'.
		tok.notTerm = ts+2 < te && q[ts+2] == '$'
		tok.text = q[ts+1 : te-1]
	case tkWildcard:
		tok.notTerm = true
		tok.pos = ts + 2
		tok.text = q[ts+2 : te-1]
	}
}
