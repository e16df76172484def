// Package strtod parses numbers as C's strtod does under Redis' rules
// (string2d): the one parser of double arguments that the RESP layer and
// the search engine share.
package strtod

import "strconv"

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
