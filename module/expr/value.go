// Package expr parses and evaluates the expression language of FT.AGGREGATE
// APPLY and FILTER steps (and FT.CREATE ... FILTER) with the semantics, the
// conversions and the error wording of RediSearch 2.10. It imports the
// standard library only.
package expr

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind uint8

const (
	KindNull Kind = iota
	KindNumber
	KindString
	KindArray
)

func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindArray:
		return "array"
	default:
		return "null"
	}
}

// Value is a number (float64), a string, null or an array of values.
// The zero Value is null.
type Value struct {
	kind Kind
	num  float64
	str  string
	arr  []Value
}

// Null returns the null value (a missing property, a failed conversion).
func Null() Value { return Value{} }

// Number returns a numeric value.
func Number(f float64) Value { return Value{kind: KindNumber, num: f} }

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Array returns an array value (split and matched_terms produce them).
func Array(elems ...Value) Value { return Value{kind: KindArray, arr: elems} }

// Bool returns 1 or 0, the numbers the module uses for booleans.
func Bool(b bool) Value {
	if b {
		return Number(1)
	}
	return Number(0)
}

func (v Value) Kind() Kind     { return v.kind }
func (v Value) IsNull() bool   { return v.kind == KindNull }
func (v Value) Num() float64   { return v.num }
func (v Value) Str() string    { return v.str }
func (v Value) Elems() []Value { return v.arr }
func (v Value) String() string { return Format(v) }
func (v Value) isString() bool { return v.kind == KindString }

// typeCode is the module's RSValueType number, which leaks into the
// "Invalid type (%d) ..." argument errors. Loaded hash fields are
// redis strings (5 or 7) in the module; this package only knows one string
// type and reports the C string code 3.
func (v Value) typeCode() int {
	switch v.kind {
	case KindNumber:
		return 1
	case KindString:
		return 3
	case KindArray:
		return 6
	default:
		return 4
	}
}

// ToNumber converts like RSValue_ToNumber: numbers as they are, strings
// through C strtod that must consume the whole string; null and arrays fail.
func (v Value) ToNumber() (float64, bool) {
	switch v.kind {
	case KindNumber:
		return v.num, true
	case KindString:
		return strtodWhole(v.str)
	default:
		return 0, false
	}
}

// Truthy is RSValue_BoolTest, which decides whether FILTER keeps a row.
func (v Value) Truthy() bool {
	switch v.kind {
	case KindNumber:
		return v.num != 0 // NaN is true, as in C
	case KindString:
		return len(v.str) != 0
	case KindArray:
		return len(v.arr) != 0
	default:
		return false
	}
}

// Format renders a value the way it appears in an FT.AGGREGATE reply row and
// the way the module converts it to a string (RSValue_ToString): numbers
// "%lld" when integral, else "%.12g" (nan, -nan, inf, -inf as glibc prints
// them); strings as they are; null and arrays as "". A null is replied as a
// nil bulk and an array as a nested array: use Reply for the reply shape.
func Format(v Value) string {
	switch v.kind {
	case KindNumber:
		return FormatNumber(v.num)
	case KindString:
		return v.str
	default:
		return ""
	}
}

// Reply returns the RESP shape of a value in a reply row: nil for null,
// []any for arrays, a string otherwise.
func Reply(v Value) any {
	switch v.kind {
	case KindNull:
		return nil
	case KindArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = Reply(e)
		}
		return out
	default:
		return Format(v)
	}
}

const two63 = 9223372036854775808.0

// FormatNumber is RSValue_NumToString: the double is cast to long long and
// printed with %lld when the cast is exact, else with %.12g. The cast of an
// out-of-range double yields LLONG_MIN on x86, so only -2^63 of the huge
// values prints as an integer.
func FormatNumber(f float64) string {
	if f >= -two63 && f < two63 && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return cFormat(f, 'g', 12)
}

// cFormat is printf's %.<prec><fmt> of a double: nan, -nan, inf and -inf as
// glibc prints them.
func cFormat(f float64, fmt byte, prec int) string {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, fmt, prec, 64)
}

// cInt64 emulates the x86 double to long long cast: NaN and out-of-range
// values become LLONG_MIN instead of being undefined.
func cInt64(f float64) int64 {
	if f >= -two63 && f < two63 {
		return int64(f)
	}
	return math.MinInt64
}

// cInt32 emulates the x86 double to int cast (INT_MIN when out of range).
func cInt32(f float64) int32 {
	if f > -2147483649.0 && f < 2147483648.0 {
		return int32(f)
	}
	return math.MinInt32
}

// cString cuts a Go string at the first NUL, as C string functions see it.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// strtodWhole mirrors the module's string to number check: strtod must
// consume everything up to the terminating NUL, and overflow or an underflow
// to zero (ERANGE) fails. An empty string converts to 0, because strtod then
// leaves the end pointer on the terminator.
func strtodWhole(s string) (float64, bool) {
	s = cString(s)
	if s == "" {
		return 0, true
	}
	f, n, rangeErr := cStrtod(s)
	if n == 0 || n != len(s) || rangeErr {
		return 0, false
	}
	return f, true
}

// cStrtod parses the longest prefix of s that glibc strtod accepts and
// returns the value, the number of bytes consumed (0 when nothing converts)
// and whether strtod would set ERANGE with a result that the module rejects
// (an overflow to infinity or an underflow to zero).
func cStrtod(s string) (float64, int, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	lower := strings.ToLower(rest[:min(len(rest), 8)])
	switch {
	case strings.HasPrefix(lower, "infinity"):
		return signed(math.Inf(1), neg), i + 8, false
	case strings.HasPrefix(lower, "inf"):
		return signed(math.Inf(1), neg), i + 3, false
	case strings.HasPrefix(lower, "nan"):
		n := i + 3
		if n < len(s) && s[n] == '(' {
			j := n + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
				j++
			}
			if j < len(s) && s[j] == ')' {
				n = j + 1
			}
		}
		return signed(math.NaN(), neg), n, false
	}
	if len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X') {
		if f, n, ok := hexStrtod(rest[2:]); ok {
			return signed(f, neg), i + 2 + n, false
		}
		// "0x" without hex digits converts the "0" alone.
		return signed(0, neg), i + 1, false
	}
	j := 0
	digits := 0
	nonzero := false
	for j < len(rest) && isDigit(rest[j]) {
		nonzero = nonzero || rest[j] != '0'
		j++
		digits++
	}
	if j < len(rest) && rest[j] == '.' {
		j++
		for j < len(rest) && isDigit(rest[j]) {
			nonzero = nonzero || rest[j] != '0'
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if j < len(rest) && (rest[j] == 'e' || rest[j] == 'E') {
		k := j + 1
		if k < len(rest) && (rest[k] == '+' || rest[k] == '-') {
			k++
		}
		if k < len(rest) && isDigit(rest[k]) {
			for k < len(rest) && isDigit(rest[k]) {
				k++
			}
			j = k
		}
	}
	text := rest[:j]
	if text[0] == '.' {
		text = "0" + text
	}
	f, err := strconv.ParseFloat(text, 64)
	rangeErr := false
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, 0, false
		}
		rangeErr = math.IsInf(f, 0)
	}
	if f == 0 && nonzero {
		rangeErr = true
	}
	return signed(f, neg), i + j, rangeErr
}

// hexStrtod parses the part of a C hex float after "0x".
func hexStrtod(s string) (float64, int, bool) {
	j := 0
	digits := 0
	for j < len(s) && isHex(s[j]) {
		j++
		digits++
	}
	if j < len(s) && s[j] == '.' {
		j++
		for j < len(s) && isHex(s[j]) {
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	mant := s[:j]
	exp := "p0"
	if j < len(s) && (s[j] == 'p' || s[j] == 'P') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			exp = "p" + s[j+1:k]
			j = k
		}
	}
	if mant[0] == '.' {
		mant = "0" + mant
	}
	f, err := strconv.ParseFloat("0x"+mant+exp, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, 0, false
		}
	}
	return f, j, true
}

func signed(f float64, neg bool) float64 {
	if neg {
		return -f
	}
	return f
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
func isCntrl(c byte) bool { return c < 0x20 || c == 0x7f }

// compareStrings is the module's cmp_strings: byte order, and a string that
// is a prefix of the other sorts first.
func compareStrings(a, b string) int {
	return strings.Compare(a, b)
}

func compareNumbers(a, b float64) int {
	// NaN compares equal to everything, as the C ternary does.
	if a > b {
		return 1
	}
	if a < b {
		return -1
	}
	return 0
}

// sameKindCompare is RSValue_CmpNC, used when both values have one type.
func sameKindCompare(a, b Value) int {
	switch a.kind {
	case KindNumber:
		return compareNumbers(a.num, b.num)
	case KindString:
		return compareStrings(a.str, b.str)
	default:
		return 0 // nulls are equal; arrays cannot be compared
	}
}

// stringForCompare is RSValue_ConvertStringPtrLen: numbers as "%f", other
// non-strings as "".
func stringForCompare(v Value) string {
	switch v.kind {
	case KindString:
		return v.str
	case KindNumber:
		return cFormatF(v.num)
	default:
		return ""
	}
}

func cFormatF(f float64) string { return cFormat(f, 'f', 6) }

// cStringArg is what "%s" shows of RSValue_StringPtrLen: NULL prints as
// "(null)" in glibc.
func cStringArg(v Value) string {
	if v.kind == KindString {
		return cString(v.str)
	}
	return "(null)"
}

// compareValues is RSValue_Cmp with an error sink: a number against a string
// that does not convert is an error, not a string comparison.
func compareValues(a, b Value) (int, *Error) {
	if a.kind == b.kind {
		return sameKindCompare(a, b), nil
	}
	if a.kind == KindNull {
		return -1, nil
	}
	if b.kind == KindNull {
		return 1, nil
	}
	if a.kind == KindNumber {
		n, ok := b.ToNumber()
		if !ok {
			return 0, errorf(KindEval, "Error converting string '%s' to number", cStringArg(b))
		}
		return compareNumbers(a.num, n), nil
	}
	if b.kind == KindNumber {
		n, ok := a.ToNumber()
		if !ok {
			return 0, errorf(KindEval, "Error converting string '%s' to number", cStringArg(a))
		}
		return compareNumbers(n, b.num), nil
	}
	return compareStrings(stringForCompare(a), stringForCompare(b)), nil
}

// equalValues is RSValue_Equal: a failed number conversion is simply unequal.
func equalValues(a, b Value) bool {
	if a.kind == b.kind {
		return sameKindCompare(a, b) == 0
	}
	if a.kind == KindNull || b.kind == KindNull {
		return false
	}
	if a.kind == KindNumber {
		n, ok := b.ToNumber()
		return ok && compareNumbers(a.num, n) == 0
	}
	if b.kind == KindNumber {
		n, ok := a.ToNumber()
		return ok && compareNumbers(n, b.num) == 0
	}
	return compareStrings(stringForCompare(a), stringForCompare(b)) == 0
}
