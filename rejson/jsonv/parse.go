package jsonv

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting Parse accepts (serde_json's recursion
// limit).
const MaxDepth = 128

// SyntaxError is a parse error, worded as serde_json words it (RedisJSON
// replies with that text as is): "expected value at line 1 column 1".
type SyntaxError struct {
	Msg          string
	Line, Column int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at line %d column %d", e.Msg, e.Line, e.Column)
}

type parser struct {
	s     string
	i     int
	depth int
}

// Parse parses one JSON text (surrounding whitespace allowed).
func Parse(s string) (Value, error) {
	p := &parser{s: s}
	p.ws()
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	p.ws()
	if p.i < len(p.s) {
		return Value{}, p.errAt("trailing characters", p.i+1)
	}
	return v, nil
}

// errAt is an error whose column counts up to byte offset end (exclusive).
func (p *parser) errAt(msg string, end int) error {
	if end > len(p.s) {
		end = len(p.s)
	}
	line, col := 1, 0
	for _, r := range p.s[:end] {
		if r == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
	}
	return &SyntaxError{Msg: msg, Line: line, Column: col}
}

func (p *parser) eof(what string) error { return p.errAt("EOF while parsing "+what, len(p.s)) }

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (Value, error) {
	if p.i >= len(p.s) {
		return Value{}, p.eof("a value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return NewString(s), err
	case c == 't':
		return p.lit("true", NewBool(true))
	case c == 'f':
		return p.lit("false", NewBool(false))
	case c == 'n':
		return p.lit("null", NewNull())
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return Value{}, p.errAt("expected value", p.i+1)
}

func (p *parser) lit(word string, v Value) (Value, error) {
	for j := 0; j < len(word); j++ {
		if p.i+j >= len(p.s) {
			return Value{}, p.eof("a value")
		}
		if p.s[p.i+j] != word[j] {
			return Value{}, p.errAt("expected ident", p.i+j+1)
		}
	}
	p.i += len(word)
	return v, nil
}

func (p *parser) number() (Value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i >= len(p.s) {
		return Value{}, p.eof("a value")
	}
	if p.s[p.i] == '0' {
		p.i++
		if p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			return Value{}, p.errAt("invalid number", p.i+1)
		}
	} else if digits() == 0 {
		return Value{}, p.errAt("invalid number", p.i+1)
	}
	isFloat := false
	if p.i < len(p.s) && p.s[p.i] == '.' {
		isFloat = true
		p.i++
		if p.i >= len(p.s) {
			return Value{}, p.eof("a value")
		}
		if digits() == 0 {
			return Value{}, p.errAt("invalid number", p.i+1)
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		isFloat = true
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.i >= len(p.s) {
			return Value{}, p.eof("a value")
		}
		if digits() == 0 {
			return Value{}, p.errAt("invalid number", p.i+1)
		}
	}
	text := p.s[start:p.i]
	if !isFloat {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return NewInt(n), nil
		}
		if u, err := strconv.ParseUint(text, 10, 64); err == nil {
			// serde_json's u64: a number the module calls "integer" and
			// prints as such, computed with as a float.
			v := NewFloat(float64(u))
			v.str = strconv.FormatUint(u, 10)
			return v, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return Value{}, p.errAt("number out of range", p.i)
	}
	return NewFloat(f), nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (p *parser) hex4() (rune, error) {
	var r rune
	for j := 0; j < 4; j++ {
		if p.i >= len(p.s) {
			return 0, p.eof("a string")
		}
		h := hexVal(p.s[p.i])
		if h < 0 {
			return 0, p.errAt("invalid escape", p.i+1)
		}
		r = r<<4 | rune(h)
		p.i++
	}
	return r, nil
}

// str parses a string at p.i (the opening quote).
func (p *parser) str() (string, error) {
	p.i++
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := []byte(p.s[start:p.i])
	for {
		if p.i >= len(p.s) {
			return "", p.eof("a string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", p.errAt("control character (\\u0000-\\u001F) found while parsing a string", p.i+1)
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			return "", p.eof("a string")
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || p.i+1 >= len(p.s) || p.s[p.i] != '\\' || p.s[p.i+1] != 'u' {
					return "", p.errAt("lone leading surrogate in hex escape", p.i)
				}
				p.i += 2
				r2, err := p.hex4()
				if err != nil {
					return "", err
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", p.errAt("lone leading surrogate in hex escape", p.i)
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errAt("invalid escape", p.i)
		}
	}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt("recursion limit exceeded", p.i+1)
	}
	return nil
}

func (p *parser) array() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.i++
	v := NewArray(nil)
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) {
			return Value{}, p.eof("a list")
		}
		e, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.Append(e)
		p.ws()
		if p.i >= len(p.s) {
			return Value{}, p.eof("a list")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.ws()
			if p.i >= len(p.s) {
				return Value{}, p.eof("a value")
			}
			if p.s[p.i] == ']' {
				return Value{}, p.errAt("trailing comma", p.i+1)
			}
		case ']':
			p.i++
			p.depth--
			return v, nil
		default:
			return Value{}, p.errAt("expected `,` or `]`", p.i+1)
		}
	}
}

func (p *parser) object() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.i++
	v := NewObject()
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) {
			return Value{}, p.eof("an object")
		}
		if p.s[p.i] != '"' {
			return Value{}, p.errAt("key must be a string", p.i+1)
		}
		k, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.ws()
		if p.i >= len(p.s) {
			return Value{}, p.eof("an object")
		}
		if p.s[p.i] != ':' {
			return Value{}, p.errAt("expected `:`", p.i+1)
		}
		p.i++
		p.ws()
		e, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.Put(k, e) // a repeated key keeps its first place, the last value
		p.ws()
		if p.i >= len(p.s) {
			return Value{}, p.eof("an object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.ws()
			if p.i >= len(p.s) {
				return Value{}, p.eof("a value")
			}
			if p.s[p.i] == '}' {
				return Value{}, p.errAt("trailing comma", p.i+1)
			}
		case '}':
			p.i++
			p.depth--
			return v, nil
		default:
			return Value{}, p.errAt("expected `,` or `}`", p.i+1)
		}
	}
}
