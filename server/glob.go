package server

// GlobMatch reports whether s matches the glob pattern as Redis'
// stringmatchlen does (KEYS, SCAN MATCH, CONFIG GET): * ? [abc] [^a] [a-z]
// and \ escapes; nocase folds ASCII case.
func GlobMatch(pattern, s string, nocase bool) bool {
	skip := false
	return globMatch(pattern, s, nocase, &skip, 0)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// globMatch follows stringmatchlen_impl: skipLonger stops the retries of an
// earlier '*' once a later one failed everywhere, which keeps patterns like
// "*a*a*a*b" linear; nesting bounds the recursion as Redis 7.2 does.
func globMatch(p, s string, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > 1000 {
		return false
	}
	eq := func(a, b byte) bool {
		if nocase {
			return lowerASCII(a) == lowerASCII(b)
		}
		return a == b
	}
	for len(p) > 0 && len(s) > 0 {
		// advance is how far the pattern moves at the end of this step.
		advance := 1
		switch p[0] {
		case '*':
			for len(p) > 1 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if globMatch(p[1:], s, nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				s = s[1:]
			}
			*skipLonger = true
			return false
		case '?':
			s = s[1:]
		case '[':
			p = p[1:]
			not := len(p) > 0 && p[0] == '^'
			if not {
				p = p[1:]
			}
			match := false
		class:
			for {
				switch {
				case len(p) >= 2 && p[0] == '\\':
					p = p[1:]
					if p[0] == s[0] {
						match = true
					}
				case len(p) > 0 && p[0] == ']':
					break class
				case len(p) == 0:
					// Unterminated class: the pattern is used up.
					advance = 0
					break class
				case len(p) >= 3 && p[1] == '-':
					start, end, c := p[0], p[2], s[0]
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = lowerASCII(start), lowerASCII(end), lowerASCII(c)
					}
					p = p[2:]
					if c >= start && c <= end {
						match = true
					}
				default:
					if eq(p[0], s[0]) {
						match = true
					}
				}
				p = p[1:]
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			if !eq(p[0], s[0]) {
				return false
			}
			s = s[1:]
		default:
			if !eq(p[0], s[0]) {
				return false
			}
			s = s[1:]
		}
		p = p[advance:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}
