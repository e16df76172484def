package aggregate

import (
	"math"
	"strconv"
	"strings"
)

// Argument-cursor results, as deps/rmutil/args.h names them (AC_OK, …).
const (
	acOK     = 0
	acParse  = 1 // AC_ERR_PARSE
	acNoArg  = 2 // AC_ERR_NOARG
	acELimit = 3 // AC_ERR_ELIMIT
	acNoEnt  = 4 // AC_ERR_ENOENT
)

// acStrerror is AC_Strerror: the reason text after "Bad arguments for X: ".
func acStrerror(rc int) string {
	switch rc {
	case acOK:
		return "SUCCESS"
	case acELimit:
		return "Value is outside acceptable bounds"
	case acNoArg:
		return "Expected an argument, but none provided"
	case acParse:
		return "Could not convert argument to expected type"
	case acNoEnt:
		return "Unknown argument"
	}
	return "(AC: You should not be seeing this message. This is a bug)"
}

const (
	fGE0 = 1 << iota
	fGE1
	fCoalesce
)

// cursor walks the arguments the way the module's ArgsCursor does. Offset 0
// is the query string, so positions in "Unknown argument … at position N"
// count from it.
type cursor struct {
	args []string
	off  int
}

func (c *cursor) atEnd() bool    { return c.off >= len(c.args) }
func (c *cursor) remaining() int { return len(c.args) - c.off }

// advanceIf consumes the next argument when it equals kw case-insensitively.
func (c *cursor) advanceIf(kw string) bool {
	if c.atEnd() || !strings.EqualFold(c.args[c.off], kw) {
		return false
	}
	c.off++
	return true
}

func (c *cursor) getString() (string, int) {
	if c.atEnd() {
		return "", acNoArg
	}
	s := c.args[c.off]
	c.off++
	return s, acOK
}

// getLongLong is AC_GetLongLong over C strings: strtoll (base 10, leading
// white space and a sign allowed, the whole string consumed, LLONG_MIN/MAX
// rejected) and, failing that, strtod when the double is integral (or any
// double with fCoalesce, truncated).
func (c *cursor) getLongLong(flags int, advance bool) (int64, int) {
	if c.atEnd() {
		return 0, acNoArg
	}
	s := c.args[c.off]
	v, ok := cStrtoll(s)
	if !ok {
		d, ok2 := cStrtod(s)
		if !ok2 {
			return 0, acParse
		}
		if flags&fCoalesce == 0 {
			if d != math.Trunc(d) || d >= 9.223372036854775807e18 || d < -9.223372036854775808e18 {
				return 0, acParse
			}
		} else if math.IsNaN(d) || d >= 9.223372036854775807e18 || d < -9.223372036854775808e18 {
			// C leaves the conversion undefined; x86 gives LLONG_MIN.
			d = -9.223372036854775808e18
		}
		v = int64(d)
	}
	if flags&fGE0 != 0 && v < 0 {
		return 0, acELimit
	}
	if flags&fGE1 != 0 && v < 1 {
		return 0, acELimit
	}
	if advance {
		c.off++
	}
	return v, acOK
}

// getInteger is the GEN_AC_FUNC family (AC_GetUnsigned, AC_GetU64, AC_GetInt).
func (c *cursor) getInteger(flags int, lo, hi int64, unsigned bool) (int64, int) {
	if unsigned {
		flags |= fGE0
	}
	v, rc := c.getLongLong(flags, false)
	if rc != acOK {
		return 0, rc
	}
	if v < lo || v > hi {
		return 0, acELimit
	}
	c.off++
	return v, acOK
}

func (c *cursor) getUnsigned(flags int) (uint64, int) {
	v, rc := c.getInteger(flags, 0, math.MaxUint32, true)
	return uint64(v), rc
}

func (c *cursor) getU64(flags int) (uint64, int) {
	v, rc := c.getInteger(flags, 0, math.MaxInt64, true)
	return uint64(v), rc
}

func (c *cursor) getInt(flags int) (int64, int) {
	return c.getInteger(flags, math.MinInt32, math.MaxInt32, false)
}

// getDouble is AC_GetDouble (strtod, the whole string, ±HUGE_VAL rejected).
func (c *cursor) getDouble(flags int) (float64, int) {
	if c.atEnd() {
		return 0, acNoArg
	}
	d, ok := cStrtod(c.args[c.off])
	if !ok {
		return 0, acParse
	}
	if flags&fGE0 != 0 && d < 0 {
		return 0, acELimit
	}
	if flags&fGE1 != 0 && d < 1 {
		return 0, acELimit
	}
	c.off++
	return d, acOK
}

// getVarArgs is AC_GetVarArgs: an unsigned count, then that many arguments.
func (c *cursor) getVarArgs() ([]string, int) {
	n, rc := c.getUnsigned(0)
	if rc != acOK {
		return nil, rc
	}
	if n > uint64(c.remaining()) {
		return nil, acNoArg
	}
	out := c.args[c.off : c.off+int(n)]
	c.off += int(n)
	return out, acOK
}

func isCSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
}

// cStrtoll reports whether strtoll(s, &end, 10) consumes all of s without
// hitting LLONG_MIN/LLONG_MAX (the module's test for a good integer). An
// empty string (or only white space) parses as 0, as strtoll leaves end at
// the start and *end is then NUL.
func cStrtoll(s string) (int64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == digits {
		// No conversion: end = s, so *end is NUL only for an empty string.
		return 0, len(s) == 0
	}
	if i != len(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(s[start:], 10, 64)
	if err != nil || v == math.MaxInt64 || v == math.MinInt64 {
		return 0, false
	}
	_ = neg
	return v, true
}

// cStrtod reports whether strtod consumes all of s with a finite result
// (HUGE_VAL is rejected, as the module does). It accepts what glibc does:
// leading white space, a sign, decimal and hexadecimal forms, inf/nan.
func cStrtod(s string) (float64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	t := s[i:]
	if t == "" {
		return 0, len(s) == 0
	}
	body := t
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	lower := strings.ToLower(body)
	var d float64
	switch {
	case lower == "inf" || lower == "infinity":
		return 0, false // HUGE_VAL
	case lower == "nan" || (strings.HasPrefix(lower, "nan(") && strings.HasSuffix(lower, ")") && validNanChars(lower[4:len(lower)-1])):
		d = math.NaN()
	case strings.HasPrefix(lower, "0x"):
		v, ok := parseHexFloat(lower[2:])
		if !ok {
			return 0, false
		}
		d = v
	default:
		if !validDecimal(lower) {
			return 0, false
		}
		v, err := strconv.ParseFloat(lower, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				if math.IsInf(v, 0) {
					return 0, false
				}
			} else {
				return 0, false
			}
		}
		d = v
	}
	if neg {
		d = -d
	}
	return d, true
}

func validNanChars(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z') {
			return false
		}
	}
	return true
}

// validDecimal: digits [. digits] [e [sign] digits], at least one digit in
// the mantissa (Go's ParseFloat would also take underscores and "inf").
func validDecimal(s string) bool {
	i, n := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		n++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
	}
	if n == 0 {
		return false
	}
	if i < len(s) && s[i] == 'e' {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		m := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			m++
		}
		if m == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseHexFloat parses the part after "0x": hex digits [. hex digits] [p exp].
func parseHexFloat(s string) (float64, bool) {
	mant := s
	exp := ""
	if k := strings.IndexByte(s, 'p'); k >= 0 {
		mant, exp = s[:k], s[k+1:]
		if exp == "" {
			return 0, false
		}
	}
	n := 0
	for i := 0; i < len(mant); i++ {
		b := mant[i]
		if b == '.' {
			continue
		}
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f') {
			return 0, false
		}
		n++
	}
	if n == 0 || strings.Count(mant, ".") > 1 {
		return 0, false
	}
	if exp == "" {
		exp = "0"
	} else {
		e := exp
		if e[0] == '+' || e[0] == '-' {
			e = e[1:]
		}
		if e == "" {
			return 0, false
		}
		for i := 0; i < len(e); i++ {
			if e[i] < '0' || e[i] > '9' {
				return 0, false
			}
		}
	}
	v, err := strconv.ParseFloat("0x"+mant+"p"+exp, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange || math.IsInf(v, 0) {
			return 0, false
		}
	}
	return v, true
}
