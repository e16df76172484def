// Package trie is the search module's rune trie (RediSearch's src/trie:
// trie.c, trie_node.c, rune_util.c, levenshtein.c), the structure behind
// FT.SUGADD/FT.SUGGET's suggestion dictionaries, FT.DICTADD's dictionaries
// and FT.SPELLCHECK's suggestion lists: strings of 16-bit runes in a radix
// tree whose children are kept in score or in lexical order, walked by an
// iterator that a Levenshtein automaton filters, and searched for the top
// results of a prefix with the module's scoring. The module's orders come
// from that structure (the order children are added and sorted in, the
// binary heap the top results are kept in), so this package reproduces it
// rather than sorting its way to the same sets.
//
// It imports no other package of this repository.
package trie

import (
	"sync"
	"unicode"

	"golang.org/x/text/cases"
)

// Rune is the module's rune: a code point cut to 16 bits (rune_util.h's
// uint16_t rune; a code point above U+FFFF keeps its low 16 bits).
type Rune = uint16

const (
	// MaxStringLen is TRIE_INITIAL_STRING_LEN: a string of that many
	// runes or more is not stored.
	MaxStringLen = 256
	// MaxPrefix is TRIE_MAX_PREFIX: a query of that many runes or more
	// is refused.
	MaxPrefix = 100
	// maxRuneStrLen is MAX_RUNESTR_LEN, the most runes converted at once.
	maxRuneStrLen = 1024
)

// decode reads one code point at s[i:] the way libnu's nu_utf8_read does:
// the lead byte alone says how many bytes follow, whatever they are (a
// byte past the end reads as the string's NUL terminator).
func decode(s string, i int) (cp uint32, next int) {
	at := func(j int) uint32 {
		if j < len(s) {
			return uint32(s[j])
		}
		return 0
	}
	c := at(i)
	switch {
	case c < 0x80:
		return c, i + 1
	case c < 0xE0:
		return (c&0x1F)<<6 | at(i+1)&0x3F, i + 2
	case c < 0xF0:
		return (c&0x0F)<<12 | (at(i+1)&0x3F)<<6 | at(i+2)&0x3F, i + 3
	}
	return (c&0x07)<<18 | (at(i+1)&0x3F)<<12 | (at(i+2)&0x3F)<<6 | at(i+3)&0x3F, i + 4
}

// ToRunes converts a string as strToRunesN does: code points cut to 16
// bits, up to the first NUL.
func ToRunes(s string) []Rune {
	out := make([]Rune, 0, len(s))
	for i := 0; i < len(s); {
		cp, next := decode(s, i)
		if cp == 0 {
			break
		}
		out = append(out, Rune(cp))
		i = next
	}
	return out
}

// PrefixBytes is the length in bytes of the first n code points of s, as
// ToRunes decodes them.
func PrefixBytes(s string, n int) int {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, i = decode(s, i)
	}
	return min(i, len(s))
}

// codePoints decodes up to the first NUL (nu_strnlen / nu_readnstr).
func codePoints(s string) []uint32 {
	out := make([]uint32, 0, len(s))
	for i := 0; i < len(s); {
		cp, next := decode(s, i)
		if cp == 0 {
			break
		}
		out = append(out, cp)
		i = next
	}
	return out
}

// FoldedRunes is strToSingleCodepointFoldedRunes, how FT.SUGGET reads its
// prefix: each code point case-folded (the first code point of its
// folding), then cut to 16 bits. ok is false past MAX_RUNESTR_LEN runes.
func FoldedRunes(s string) (r []Rune, ok bool) {
	cps := codePoints(s)
	if len(cps) > maxRuneStrLen {
		return nil, false
	}
	r = make([]Rune, len(cps))
	for i, cp := range cps {
		r[i] = Rune(foldCodePoint(cp))
	}
	return r, true
}

// LowerRunes is strToLowerRunes, how FT.SPELLCHECK's terms are read: each
// code point replaced by its lower-case mapping (which may be two code
// points: İ is i and a combining dot), cut to 16 bits. ok is false past
// MAX_RUNESTR_LEN runes.
func LowerRunes(s string) (r []Rune, ok bool) {
	cps := codePoints(s)
	r = make([]Rune, 0, len(cps))
	for _, cp := range cps {
		if cp == 0x130 {
			r = append(r, 'i', 0x307)
			continue
		}
		r = append(r, Rune(lowerCodePoint(cp)))
	}
	if len(r) > maxRuneStrLen {
		return nil, false
	}
	return r, true
}

// String converts runes back to UTF-8 as runesToStr (nu_utf8_write) does:
// every rune in one to three bytes, surrogates included.
func String(r []Rune) string {
	b := make([]byte, 0, len(r))
	for _, c := range r {
		switch {
		case c < 0x80:
			b = append(b, byte(c))
		case c < 0x800:
			b = append(b, 0xC0|byte(c>>6), 0x80|byte(c&0x3F))
		default:
			b = append(b, 0xE0|byte(c>>12), 0x80|byte(c>>6&0x3F), 0x80|byte(c&0x3F))
		}
	}
	return string(b)
}

// Fold is runeFold: the first code point of the rune's case folding, cut
// to 16 bits.
func Fold(r Rune) Rune { return foldTable()[r] }

// Lower is runeLower: the first code point of the rune's lower-case
// mapping.
func Lower(r Rune) Rune { return Rune(lowerCodePoint(uint32(r))) }

func lowerCodePoint(cp uint32) uint32 {
	if cp > unicode.MaxRune {
		return cp
	}
	return uint32(unicode.ToLower(rune(cp)))
}

var (
	foldOnce sync.Once
	folds    *[1 << 16]Rune
)

// foldTable is the folding of every 16-bit rune, built at first use from
// Unicode's full case folding (golang.org/x/text/cases), of which the
// module keeps the first code point, as libnu's nu_tofold maps are read.
func foldTable() *[1 << 16]Rune {
	foldOnce.Do(func() {
		t := new([1 << 16]Rune)
		for i := range t {
			t[i] = Rune(foldSlow(uint32(i)))
		}
		folds = t
	})
	return folds
}

func foldCodePoint(cp uint32) uint32 {
	if cp < 1<<16 {
		return uint32(foldTable()[cp])
	}
	return foldSlow(cp)
}

// foldSlow folds one code point with x/text (a surrogate, which is no
// character, folds to itself).
func foldSlow(cp uint32) uint32 {
	if cp > unicode.MaxRune || (cp >= 0xD800 && cp < 0xE000) || cp < 'A' {
		return cp
	}
	for _, r := range cases.Fold().String(string(rune(cp))) {
		return uint32(r)
	}
	return cp
}
