package resp

import "github.com/miniredis-search/miniredis-search/internal/strtod"

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
// (getDoubleFromObject and string2d): see strtod.ParseFloat.
func ParseFloat(b []byte) (float64, bool) { return strtod.ParseFloat(b) }
