package text

// Double Metaphone (Lawrence Philips, "The Double Metaphone Search
// Algorithm", C/C++ Users Journal, June 2000), as the search module runs it
// for PHONETIC fields: the C version of Maurice Aubrey's Text::DoubleMetaphone
// 0.07 (with Kevin Atkinson's fixes), which the module ships in
// src/dep/phonetics. Its behaviours that other implementations do not share
// are kept on purpose, since the codes are index terms the module's
// documents and queries must agree on:
//
//   - the word is read as bytes, not characters: only ASCII letters are
//     upper-cased, and any other byte (each byte of a UTF-8 character) is
//     skipped, taking a position (the module compiles out the Latin-1 'Ç'
//     and 'Ñ' rules, which UTF-8 text never reaches);
//   - the word is padded with five spaces, so the rules that look past its
//     end see blanks ("VAN " matches the word "van", "IER " a final "ier");
//   - a 'J' at the end adds nothing to the alternate code;
//   - an initial 'W' before a vowel goes on to the "-WICZ"/"-WITZ" rule;
//   - codes are cut to 4 characters.
//
// No Go package reproduces these (github.com/antzucaro/matchr follows
// Apache commons-codec: it reads runes, codes 'Ç' and 'Ñ', and differs on
// the rules above), hence this port of the algorithm's rules.

// metaphonePad is what the module appends to a word so that the rules may
// look beyond its end.
const metaphonePad = "     "

// metaphoneMax is the length the codes are cut to.
const metaphoneMax = 4

// DoubleMetaphone returns the primary and alternate Double Metaphone codes of
// a word, as the module computes them.
func DoubleMetaphone(word string) (primary, alternate string) {
	// The module reads a C string: a NUL byte ends the word.
	for i := 0; i < len(word); i++ {
		if word[i] == 0 {
			word = word[:i]
			break
		}
	}
	m := metaphoner{length: len(word), last: len(word) - 1}
	m.s = make([]byte, 0, len(word)+len(metaphonePad))
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		m.s = append(m.s, c)
	}
	m.s = append(m.s, metaphonePad...)
	m.slavo = m.contains("W") || m.contains("K") || m.contains("CZ") || m.contains("WITZ")
	m.run()
	p, a := m.p, m.a
	if len(p) > metaphoneMax {
		p = p[:metaphoneMax]
	}
	if len(a) > metaphoneMax {
		a = a[:metaphoneMax]
	}
	return string(p), string(a)
}

// PhoneticPrefix starts the dictionary terms of phonetic codes (the module's
// PHONETIC_PREFIX).
const PhoneticPrefix = "<"

// PhoneticTerm is the term the module indexes, and expands a query word to,
// for a word of a PHONETIC field: its primary code behind PhoneticPrefix
// ("<" alone for a word with no code, such as a number).
func PhoneticTerm(word string) string {
	p, _ := DoubleMetaphone(word)
	return PhoneticPrefix + p
}

// metaphoner holds one word's encoding.
type metaphoner struct {
	s      []byte // the word, upper-cased, padded
	length int    // the word's length, without the padding
	last   int
	slavo  bool // Slavo-Germanic: W, K, CZ or WITZ
	p, a   []byte
	cur    int
}

func (m *metaphoner) contains(sub string) bool {
	for i := 0; i+len(sub) <= len(m.s); i++ {
		if string(m.s[i:i+len(sub)]) == sub {
			return true
		}
	}
	return false
}

// at is the byte at pos, 0 outside the padded word.
func (m *metaphoner) at(pos int) byte {
	if pos < 0 || pos >= len(m.s) {
		return 0
	}
	return m.s[pos]
}

// is reports whether one of the strings (all of length n) starts at pos.
func (m *metaphoner) is(pos, n int, options ...string) bool {
	if pos < 0 || pos >= len(m.s) {
		return false
	}
	for _, o := range options {
		if pos+n <= len(m.s) && string(m.s[pos:pos+n]) == o {
			return true
		}
	}
	return false
}

func (m *metaphoner) vowel(pos int) bool {
	switch m.at(pos) {
	case 'A', 'E', 'I', 'O', 'U', 'Y':
		return true
	}
	return false
}

// add appends to the primary and alternate codes.
func (m *metaphoner) add(p, a string) {
	m.p = append(m.p, p...)
	m.a = append(m.a, a...)
}

// step advances past the letter, and past its double when the next letter
// is the same.
func (m *metaphoner) step(double byte) {
	if m.at(m.cur+1) == double {
		m.cur += 2
	} else {
		m.cur++
	}
}

func (m *metaphoner) run() {
	if m.is(0, 2, "GN", "KN", "PN", "WR", "PS") {
		m.cur = 1
	}
	if m.at(0) == 'X' {
		// An initial X sounds like Z, which codes as S (Xavier).
		m.add("S", "S")
		m.cur++
	}
	for len(m.p) < metaphoneMax || len(m.a) < metaphoneMax {
		if m.cur >= m.length {
			break
		}
		switch m.at(m.cur) {
		case 'A', 'E', 'I', 'O', 'U', 'Y':
			if m.cur == 0 {
				m.add("A", "A")
			}
			m.cur++
		case 'B':
			m.add("P", "P")
			m.step('B')
		case 'C':
			m.letterC()
		case 'D':
			m.letterD()
		case 'F':
			m.step('F')
			m.add("F", "F")
		case 'G':
			m.letterG()
		case 'H':
			if (m.cur == 0 || m.vowel(m.cur-1)) && m.vowel(m.cur+1) {
				m.add("H", "H")
				m.cur += 2
			} else {
				m.cur++
			}
		case 'J':
			m.letterJ()
		case 'K':
			m.step('K')
			m.add("K", "K")
		case 'L':
			m.letterL()
		case 'M':
			if (m.is(m.cur-1, 3, "UMB") && (m.cur+1 == m.last || m.is(m.cur+2, 2, "ER"))) || m.at(m.cur+1) == 'M' {
				m.cur += 2
			} else {
				m.cur++
			}
			m.add("M", "M")
		case 'N':
			m.step('N')
			m.add("N", "N")
		case 'P':
			if m.at(m.cur+1) == 'H' {
				m.add("F", "F")
				m.cur += 2
				break
			}
			if m.is(m.cur+1, 1, "P", "B") {
				m.cur += 2
			} else {
				m.cur++
			}
			m.add("P", "P")
		case 'Q':
			m.step('Q')
			m.add("K", "K")
		case 'R':
			if m.cur == m.last && !m.slavo && m.is(m.cur-2, 2, "IE") && !m.is(m.cur-4, 2, "ME", "MA") {
				m.add("", "R") // French: Rogier
			} else {
				m.add("R", "R")
			}
			m.step('R')
		case 'S':
			m.letterS()
		case 'T':
			m.letterT()
		case 'V':
			m.step('V')
			m.add("F", "F")
		case 'W':
			m.letterW()
		case 'X':
			if !(m.cur == m.last && (m.is(m.cur-3, 3, "IAU", "EAU") || m.is(m.cur-2, 2, "AU", "OU"))) {
				m.add("KS", "KS") // not a silent French ending (breaux)
			}
			if m.is(m.cur+1, 1, "C", "X") {
				m.cur += 2
			} else {
				m.cur++
			}
		case 'Z':
			m.letterZ()
		default:
			m.cur++
		}
	}
}

func (m *metaphoner) letterC() {
	c := m.cur
	switch {
	case c > 1 && !m.vowel(c-2) && m.is(c-1, 3, "ACH") &&
		m.at(c+2) != 'I' && (m.at(c+2) != 'E' || m.is(c-2, 6, "BACHER", "MACHER")):
		// Germanic "-ach-".
		m.add("K", "K")
		m.cur += 2
	case c == 0 && m.is(c, 6, "CAESAR"):
		m.add("S", "S")
		m.cur += 2
	case m.is(c, 4, "CHIA"): // Italian: chianti
		m.add("K", "K")
		m.cur += 2
	case m.is(c, 2, "CH"):
		m.letterCH()
	case m.is(c, 2, "CZ") && !m.is(c-2, 4, "WICZ"): // czerny
		m.add("S", "X")
		m.cur += 2
	case m.is(c+1, 3, "CIA"): // focaccia
		m.add("X", "X")
		m.cur += 3
	case m.is(c, 2, "CC") && !(c == 1 && m.at(0) == 'M'): // not McClellan
		if m.is(c+2, 1, "I", "E", "H") && !m.is(c+2, 2, "HU") {
			if (c == 1 && m.at(c-1) == 'A') || m.is(c-1, 5, "UCCEE", "UCCES") {
				m.add("KS", "KS") // accident, succeed
			} else {
				m.add("X", "X") // bacci, bertucci
			}
			m.cur += 3
		} else {
			m.add("K", "K") // Pierce's rule
			m.cur += 2
		}
	case m.is(c, 2, "CK", "CG", "CQ"):
		m.add("K", "K")
		m.cur += 2
	case m.is(c, 2, "CI", "CE", "CY"):
		if m.is(c, 3, "CIO", "CIE", "CIA") {
			m.add("S", "X") // Italian
		} else {
			m.add("S", "S")
		}
		m.cur += 2
	default:
		m.add("K", "K")
		switch {
		case m.is(c+1, 2, " C", " Q", " G"): // mac caffrey, mac gregor
			m.cur += 3
		case m.is(c+1, 1, "C", "K", "Q") && !m.is(c+1, 2, "CE", "CI"):
			m.cur += 2
		default:
			m.cur++
		}
	}
}

func (m *metaphoner) letterCH() {
	c := m.cur
	switch {
	case c > 0 && m.is(c, 4, "CHAE"): // michael
		m.add("K", "X")
	case c == 0 && (m.is(c+1, 5, "HARAC", "HARIS") || m.is(c+1, 3, "HOR", "HYM", "HIA", "HEM")) && !m.is(0, 5, "CHORE"):
		m.add("K", "K") // Greek roots: chemistry, chorus
	case m.is(0, 4, "VAN ", "VON ") || m.is(0, 3, "SCH") ||
		m.is(c-2, 6, "ORCHES", "ARCHIT", "ORCHID") ||
		m.is(c+2, 1, "T", "S") ||
		((m.is(c-1, 1, "A", "O", "U", "E") || c == 0) &&
			m.is(c+2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " ")):
		m.add("K", "K") // "ch" for "kh"
	case c > 0 && m.is(0, 2, "MC"): // McHugh
		m.add("K", "K")
	case c > 0:
		m.add("X", "K")
	default:
		m.add("X", "X")
	}
	m.cur += 2
}

func (m *metaphoner) letterD() {
	c := m.cur
	switch {
	case m.is(c, 2, "DG"):
		if m.is(c+2, 1, "I", "E", "Y") {
			m.add("J", "J") // edge
			m.cur += 3
		} else {
			m.add("TK", "TK") // edgar
			m.cur += 2
		}
	case m.is(c, 2, "DT", "DD"):
		m.add("T", "T")
		m.cur += 2
	default:
		m.add("T", "T")
		m.cur++
	}
}

func (m *metaphoner) letterG() {
	c := m.cur
	if m.at(c+1) == 'H' {
		m.letterGH()
		return
	}
	switch {
	case m.at(c+1) == 'N':
		switch {
		case c == 1 && m.vowel(0) && !m.slavo:
			m.add("KN", "N")
		case !m.is(c+2, 2, "EY") && m.at(c+1) != 'Y' && !m.slavo: // not cagney
			m.add("N", "KN")
		default:
			m.add("KN", "KN")
		}
		m.cur += 2
	case m.is(c+1, 2, "LI") && !m.slavo: // tagliaro
		m.add("KL", "L")
		m.cur += 2
	case c == 0 && (m.at(c+1) == 'Y' || m.is(c+1, 2, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER")):
		m.add("K", "J")
		m.cur += 2
	case (m.is(c+1, 2, "ER") || m.at(c+1) == 'Y') && !m.is(0, 6, "DANGER", "RANGER", "MANGER") &&
		!m.is(c-1, 1, "E", "I") && !m.is(c-1, 3, "RGY", "OGY"):
		m.add("K", "J") // -ger-, -gy-
		m.cur += 2
	case m.is(c+1, 1, "E", "I", "Y") || m.is(c-1, 4, "AGGI", "OGGI"): // Italian: biaggi
		switch {
		case m.is(0, 4, "VAN ", "VON ") || m.is(0, 3, "SCH") || m.is(c+1, 2, "ET"):
			m.add("K", "K") // Germanic
		case m.is(c+1, 4, "IER "):
			m.add("J", "J") // French ending
		default:
			m.add("J", "K")
		}
		m.cur += 2
	default:
		m.step('G')
		m.add("K", "K")
	}
}

func (m *metaphoner) letterGH() {
	c := m.cur
	if c > 0 && !m.vowel(c-1) {
		m.add("K", "K")
		m.cur += 2
		return
	}
	if c == 0 {
		if m.at(c+2) == 'I' {
			m.add("J", "J") // ghislane
		} else {
			m.add("K", "K")
		}
		m.cur += 2
		return
	}
	// Parker's rule: hugh, bough, broughton.
	if (c > 1 && m.is(c-2, 1, "B", "H", "D")) || (c > 2 && m.is(c-3, 1, "B", "H", "D")) || (c > 3 && m.is(c-4, 1, "B", "H")) {
		m.cur += 2
		return
	}
	if c > 2 && m.at(c-1) == 'U' && m.is(c-3, 1, "C", "G", "L", "R", "T") {
		m.add("F", "F") // laugh, cough, rough
	} else if m.at(c-1) != 'I' {
		m.add("K", "K")
	}
	m.cur += 2
}

func (m *metaphoner) letterJ() {
	c := m.cur
	if m.is(c, 4, "JOSE") || m.is(0, 4, "SAN ") { // Spanish: jose, san jacinto
		if (c == 0 && m.at(c+4) == ' ') || m.is(0, 4, "SAN ") {
			m.add("H", "H")
		} else {
			m.add("J", "H")
		}
		m.cur++
		return
	}
	switch {
	case c == 0:
		m.add("J", "A") // Yankelovich/Jankelowicz
	case m.vowel(c-1) && !m.slavo && (m.at(c+1) == 'A' || m.at(c+1) == 'O'):
		m.add("J", "H") // Spanish: bajador
	case c == m.last:
		m.add("J", "")
	case !m.is(c+1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !m.is(c-1, 1, "S", "K", "L"):
		m.add("J", "J")
	}
	m.step('J')
}

func (m *metaphoner) letterL() {
	c := m.cur
	if m.at(c+1) != 'L' {
		m.cur++
		m.add("L", "L")
		return
	}
	// Spanish: cabrillo, gallegos.
	if (c == m.length-3 && m.is(c-1, 4, "ILLO", "ILLA", "ALLE")) ||
		((m.is(m.last-1, 2, "AS", "OS") || m.is(m.last, 1, "A", "O")) && m.is(c-1, 4, "ALLE")) {
		m.add("L", "")
		m.cur += 2
		return
	}
	m.cur += 2
	m.add("L", "L")
}

func (m *metaphoner) letterS() {
	c := m.cur
	switch {
	case m.is(c-1, 3, "ISL", "YSL"): // island, isle, carlisle
		m.cur++
	case c == 0 && m.is(c, 5, "SUGAR"):
		m.add("X", "S")
		m.cur++
	case m.is(c, 2, "SH"):
		if m.is(c+1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") {
			m.add("S", "S") // Germanic
		} else {
			m.add("X", "X")
		}
		m.cur += 2
	case m.is(c, 3, "SIO", "SIA") || m.is(c, 4, "SIAN"): // Italian, Armenian
		if !m.slavo {
			m.add("S", "X")
		} else {
			m.add("S", "S")
		}
		m.cur += 3
	case (c == 0 && m.is(c+1, 1, "M", "N", "L", "W")) || m.is(c+1, 1, "Z"):
		// Smith matching Schmidt, Snider Schneider; Slavic -sz-.
		m.add("S", "X")
		if m.is(c+1, 1, "Z") {
			m.cur += 2
		} else {
			m.cur++
		}
	case m.is(c, 2, "SC"):
		m.letterSC()
	default:
		if c == m.last && m.is(c-2, 2, "AI", "OI") {
			m.add("", "S") // French: resnais, artois
		} else {
			m.add("S", "S")
		}
		if m.is(c+1, 1, "S", "Z") {
			m.cur += 2
		} else {
			m.cur++
		}
	}
}

// letterSC is Schlesinger's rule.
func (m *metaphoner) letterSC() {
	c := m.cur
	switch {
	case m.at(c+2) == 'H':
		switch {
		case m.is(c+3, 2, "OO", "ER", "EN", "UY", "ED", "EM"): // Dutch: school
			if m.is(c+3, 2, "ER", "EN") {
				m.add("X", "SK") // schermerhorn, schenker
			} else {
				m.add("SK", "SK")
			}
		case c == 0 && !m.vowel(3) && m.at(3) != 'W':
			m.add("X", "S")
		default:
			m.add("X", "X")
		}
	case m.is(c+2, 1, "I", "E", "Y"):
		m.add("S", "S")
	default:
		m.add("SK", "SK")
	}
	m.cur += 3
}

func (m *metaphoner) letterT() {
	c := m.cur
	switch {
	case m.is(c, 4, "TION"), m.is(c, 3, "TIA", "TCH"):
		m.add("X", "X")
		m.cur += 3
	case m.is(c, 2, "TH") || m.is(c, 3, "TTH"):
		if m.is(c+2, 2, "OM", "AM") || m.is(0, 4, "VAN ", "VON ") || m.is(0, 3, "SCH") {
			m.add("T", "T") // thomas, thames, Germanic
		} else {
			m.add("0", "T")
		}
		m.cur += 2
	default:
		if m.is(c+1, 1, "T", "D") {
			m.cur += 2
		} else {
			m.cur++
		}
		m.add("T", "T")
	}
}

func (m *metaphoner) letterW() {
	c := m.cur
	if m.is(c, 2, "WR") {
		m.add("R", "R")
		m.cur += 2
		return
	}
	if c == 0 && (m.vowel(c+1) || m.is(c, 2, "WH")) {
		if m.vowel(c + 1) {
			m.add("A", "F") // Wasserman matching Vasserman
		} else {
			m.add("A", "A") // Uomo matching Womo
		}
	}
	switch {
	case (c == m.last && m.vowel(c-1)) || m.is(c-1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || m.is(0, 3, "SCH"):
		m.add("", "F") // Arnow matching Arnoff
		m.cur++
	case m.is(c, 4, "WICZ", "WITZ"): // Polish: filipowicz
		m.add("TS", "FX")
		m.cur += 4
	default:
		m.cur++
	}
}

func (m *metaphoner) letterZ() {
	c := m.cur
	if m.at(c+1) == 'H' { // Chinese pinyin: zhao
		m.add("J", "J")
		m.cur += 2
		return
	}
	if m.is(c+1, 2, "ZO", "ZI", "ZA") || (m.slavo && c > 0 && m.at(c-1) != 'T') {
		m.add("S", "TS")
	} else {
		m.add("S", "S")
	}
	m.step('Z')
}
