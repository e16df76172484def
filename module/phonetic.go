package module

import "bytes"

// PHONETIC's errors (spec.c, parseTextField).
const (
	errPhoneticNoArg   = "PHONETIC requires an argument"
	errPhoneticMatcher = "Matcher Format: <2 chars algorithm>:<2 chars language>. Support algorithms: " +
		"double metaphone (dm). Supported languages: English (en), French (fr), Portuguese (pt) and Spanish (es)"
)

// phoneticMatcher checks a PHONETIC matcher as the module does
// (checkPhoneticAlgorithmAndLang): exactly "dm:" and one of en, pt, fr, es,
// in lower case, read as a C string (up to a NUL byte). Every language codes
// alike: the module has one algorithm, double metaphone, for all four.
func phoneticMatcher(arg []byte) (string, bool) {
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	switch string(arg) {
	case "dm:en", "dm:pt", "dm:fr", "dm:es":
		return string(arg), true
	}
	return "", false
}
