package server

import (
	"math/big"
	"strings"
	"unicode"
)

// Redis does INCRBYFLOAT and HINCRBYFLOAT in C's long double (x87 80-bit
// extended precision on x86-64: a 64-bit mantissa) and prints the result
// with "%.17Lf", trailing zeros removed. Doing the same in float64 would
// turn 0.1+0.2 into 0.30000000000000004 where Redis says 0.3, so the sums
// are computed with big.Float at 64 bits of mantissa.

const longDoublePrec = 64

// longDoubleMaxExp is the binary exponent beyond which a long double
// overflows to infinity.
const longDoubleMaxExp = 16384

// parseLongDouble parses a number as Redis' string2ld does (strtold with no
// leading space, nothing trailing, no NaN, no overflow).
func parseLongDouble(s string) (*big.Float, bool) {
	if len(s) == 0 || len(s) >= 5*1024 || unicode.IsSpace(rune(s[0])) {
		return nil, false
	}
	if strings.ContainsRune(s, '_') {
		return nil, false
	}
	body := strings.TrimLeft(s, "+-")
	lower := strings.ToLower(body)
	if strings.HasPrefix(lower, "0b") || strings.HasPrefix(lower, "0o") {
		return nil, false
	}
	switch lower {
	case "inf", "infinity":
		neg := strings.HasPrefix(s, "-")
		return new(big.Float).SetInf(neg), true
	case "nan":
		return nil, false
	}
	f, _, err := big.ParseFloat(s, 0, longDoublePrec, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	if f.IsInf() || f.MantExp(nil) > longDoubleMaxExp {
		// strtold reports ERANGE on overflow: rejected.
		return nil, false
	}
	return f, true
}

// addLongDouble adds two long doubles; ok is false when the sum is NaN or
// infinite.
func addLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	sum := new(big.Float).SetPrec(longDoublePrec).SetMode(big.ToNearestEven)
	sum.Add(a, b)
	if sum.MantExp(nil) > longDoubleMaxExp {
		return nil, false
	}
	return sum, true
}

// formatLongDouble prints a long double as Redis' ld2string in
// LD_STR_HUMAN mode does: %.17Lf, then trailing zeros (and a trailing dot)
// removed, "-0" written "0".
func formatLongDouble(f *big.Float) string {
	s := f.Text('f', 17)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
