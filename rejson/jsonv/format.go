package jsonv

import (
	"math"
	"strconv"
	"strings"
)

// Format is JSON.GET's INDENT, NEWLINE and SPACE: with all three empty
// the output is compact.
type Format struct {
	Indent, Newline, Space string
}

func (f *Format) plain() bool { return f.Indent == "" && f.Newline == "" && f.Space == "" }

// AppendJSON appends v serialized (compact) to b.
func AppendJSON(b []byte, v *Value) []byte { return appendValue(b, v, nil, 0) }

// AppendFormatted appends v serialized with f's indentation.
func AppendFormatted(b []byte, v *Value, f Format) []byte {
	if f.plain() {
		return appendValue(b, v, nil, 0)
	}
	return appendValue(b, v, &f, 0)
}

// String is v serialized compact.
func (v *Value) String() string { return string(AppendJSON(nil, v)) }

// AppendArrayOf appends the JSON array of vals (JSON.GET's reply for a
// JSONPath: the matched values, not the document).
func AppendArrayOf(b []byte, vals []*Value, f Format) []byte {
	fp := &f
	if f.plain() {
		fp = nil
	}
	return appendList(b, len(vals), func(b []byte, i int, level int) []byte { return appendValue(b, vals[i], fp, level) }, fp, 0)
}

func appendNewline(b []byte, f *Format, level int) []byte {
	b = append(b, f.Newline...)
	for i := 0; i < level; i++ {
		b = append(b, f.Indent...)
	}
	return b
}

func appendList(b []byte, n int, elem func([]byte, int, int) []byte, f *Format, level int) []byte {
	b = append(b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if f != nil {
			b = appendNewline(b, f, level+1)
		}
		b = elem(b, i, level+1)
	}
	if f != nil && n > 0 {
		b = appendNewline(b, f, level)
	}
	return append(b, ']')
}

func appendValue(b []byte, v *Value, f *Format, level int) []byte {
	switch v.kind {
	case Null:
		return append(b, "null"...)
	case Bool:
		if v.num != 0 {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case Int:
		return strconv.AppendInt(b, int64(v.num), 10)
	case Float:
		if v.str != "" {
			return append(b, v.str...)
		}
		return AppendFloat(b, math.Float64frombits(v.num))
	case String:
		return AppendQuoted(b, v.str)
	case Array:
		return appendList(b, len(v.elems), func(b []byte, i int, l int) []byte { return appendValue(b, &v.elems[i], f, l) }, f, level)
	}
	b = append(b, '{')
	for i := range v.elems {
		if i > 0 {
			b = append(b, ',')
		}
		if f != nil {
			b = appendNewline(b, f, level+1)
		}
		b = AppendQuoted(b, v.keys[i])
		b = append(b, ':')
		if f != nil {
			b = append(b, f.Space...)
		}
		b = appendValue(b, &v.elems[i], f, level+1)
	}
	if f != nil && len(v.elems) > 0 {
		b = appendNewline(b, f, level)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a JSON string, escaped as serde_json does:
// quote, backslash and control characters only (\b \f \n \r \t by name,
// others as \u00XX); everything else, "/" and non-ASCII included, as is.
func AppendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendFloat appends f as serde_json prints an f64 (the ryu crate's
// shortest form): "1.5", "3.0", "1e16", "1.5e-7", "0.0001"; a non-finite
// number as null.
func AppendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	// Shortest digits and decimal exponent.
	e := strconv.FormatFloat(f, 'e', -1, 64) // "-d.ddde±XX"
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		b = append(b, '-')
	}
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	length := len(digits)
	kk := x + 1 // position of the decimal point after the first kk digits
	k := kk - length
	switch {
	case k >= 0 && kk <= 16:
		b = append(b, digits...)
		for i := 0; i < k; i++ {
			b = append(b, '0')
		}
		return append(b, '.', '0')
	case kk > 0 && kk <= 16:
		b = append(b, digits[:kk]...)
		b = append(b, '.')
		return append(b, digits[kk:]...)
	case kk > -5 && kk <= 0:
		b = append(b, '0', '.')
		for i := 0; i < -kk; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	case length == 1:
		b = append(b, digits...)
		b = append(b, 'e')
		return strconv.AppendInt(b, int64(kk-1), 10)
	}
	b = append(b, digits[0], '.')
	b = append(b, digits[1:]...)
	b = append(b, 'e')
	return strconv.AppendInt(b, int64(kk-1), 10)
}
