package resp

import (
	"strconv"
	"unicode"
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

// maxFloatChars is Redis' MAX_LONG_DOUBLE_CHARS: longer inputs are rejected.
const maxFloatChars = 5 * 1024

// ParseFloat parses a float the way Redis' string2ld/string2d accept one:
// no leading space, nothing after the number, no NaN, no overflow; "inf" and
// "-inf" are accepted.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) >= maxFloatChars {
		return 0, false
	}
	if unicode.IsSpace(rune(b[0])) {
		return 0, false
	}
	for _, c := range b {
		// strconv accepts underscores between digits; C's strtold does not.
		if c == '_' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false
	}
	if f != f {
		return 0, false
	}
	return f, true
}
