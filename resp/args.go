package resp

import (
	"strconv"
)

// EqualFold reports whether arg equals the ASCII keyword kw, ignoring case.
// Keywords are ASCII, so this avoids the allocation of strings.EqualFold on a
// converted argument.
func EqualFold(arg []byte, kw string) bool {
	if len(arg) != len(kw) {
		return false
	}
	for i := 0; i < len(arg); i++ {
		a, b := arg[i], kw[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// AppendLower appends the ASCII lower case of arg to dst.
func AppendLower(dst, arg []byte) []byte {
	for _, c := range arg {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Lower returns the ASCII lower case of arg as a string.
func Lower(arg []byte) string {
	var tmp [64]byte
	return string(AppendLower(tmp[:0], arg))
}

// ParseInt parses a signed 64-bit integer exactly as Redis' string2ll does:
// an optional '-', no '+', no spaces, no leading zeros ("0" alone is fine).
func ParseInt(b []byte) (int64, bool) {
	n := len(b)
	if n == 0 || n > 20 {
		return 0, false
	}
	if n == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	i := 0
	if b[0] == '-' {
		neg = true
		i++
		if n == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (1<<64-1)/10 {
			return 0, false
		}
		v *= 10
		d := uint64(c - '0')
		if v > 1<<64-1-d {
			return 0, false
		}
		v += d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// ParseIntString is ParseInt for a string.
func ParseIntString(s string) (int64, bool) {
	var tmp [24]byte
	if len(s) > len(tmp) {
		return 0, false
	}
	return ParseInt(append(tmp[:0], s...))
}

// ParseFloat parses a float64 the way Redis 7.0 accepts a double argument
// (getDoubleFromObject and string2d, used by ZADD, ZINCRBY, GEOADD, ...):
// C's strtod over the whole argument, with no leading space, nothing after
// the number, no NaN and no overflow; "inf", "-inf" and "infinity" are
// accepted, and so are strtod's hexadecimal forms ("0x10", "0x1.8p3").
// A non-zero number too small for a double (strtod's underflow to zero, as
// in "1e-400") is rejected, as Redis does; subnormals are accepted.
//
// There is no length limit: getDoubleFromObject has none (string2ld, the
// long double parser of INCRBYFLOAT, caps at 5119 bytes, but that is a
// long double parser).
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, false
	}
	mant := b
	if mant[0] == '+' || mant[0] == '-' {
		mant = mant[1:]
	}
	hex := len(mant) > 2 && mant[0] == '0' && (mant[1] == 'x' || mant[1] == 'X')
	exp := false
	for _, c := range b {
		switch c {
		case '_':
			// strconv accepts underscores in some forms; strtod never does.
			return 0, false
		case 'p', 'P':
			exp = true
		}
	}
	s := string(b)
	if hex && !exp {
		// strtod reads a hexadecimal mantissa without a binary exponent
		// ("0x10" is 16); strconv requires the 'p'.
		s += "p0"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return 0, false
	}
	if f == 0 && nonZeroMantissa(mant, hex) {
		// strtod reports ERANGE for a non-zero number that rounds to zero,
		// and Redis rejects it.
		return 0, false
	}
	return f, true
}

// isCSpace is C's isspace in the C locale.
func isCSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// nonZeroMantissa reports whether the mantissa of a well-formed number (sign
// already removed) has a non-zero digit.
func nonZeroMantissa(m []byte, hex bool) bool {
	if hex {
		for _, c := range m[2:] {
			switch {
			case c == 'p' || c == 'P':
				return false
			case c != '0' && c != '.':
				return true
			}
		}
		return false
	}
	for _, c := range m {
		switch {
		case c == 'e' || c == 'E':
			return false
		case '1' <= c && c <= '9':
			return true
		}
	}
	return false
}
