package module

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/resp"
)

// FuzzSynUpdateArgs checks FT.SYNUPDATE's argument parser and what the
// synonym map does with its result: SKIPINITIALSCAN is recognized right
// after the group only, every other argument is a term; after the update
// every term (folded, cut at a NUL) is dumped once, holding the group (cut
// at a NUL) once, and a lookup of the term finds that group's term.
func FuzzSynUpdateArgs(f *testing.F) {
	for _, s := range [][]string{
		{"id1", "boy", "child", "offspring"},
		{"id1", "SKIPINITIALSCAN", "baby"},
		{"id1", "skipinitialscan"},
		{"", "Hello", "HELLO", "hello"},
		{"g\x00x", "a\x00b", "SKIPINITIALSCAN"},
		{"grp", "ÉCOLE", "école"},
	} {
		f.Add(joinArgs(s...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		args := splitArgs(data)
		if len(args) < 2 {
			return // the command's arity error comes first
		}
		group, terms, scan := parseSynUpdate(args)
		if scan == resp.EqualFold(args[1], "SKIPINITIALSCAN") {
			t.Fatalf("scan %v for %q", scan, args[1])
		}
		want := len(args) - 1
		if !scan {
			want--
		}
		if len(terms) != want || group != string(args[0]) {
			t.Fatalf("group %q terms %q from %q", group, terms, args)
		}
		m := index.NewSynonymMap()
		m.Update("other", []string{"zz"})
		m.Update(group, terms)
		id := group
		if i := strings.IndexByte(id, 0); i >= 0 {
			id = id[:i]
		}
		dump := m.Dump()
		seen := map[string]bool{}
		for _, e := range dump {
			if seen[e.Term] {
				t.Fatalf("term %q dumped twice: %v", e.Term, dump)
			}
			seen[e.Term] = true
			for i, g := range e.Groups {
				if slices.Contains(e.Groups[i+1:], g) {
					t.Fatalf("group %q twice for %q", g, e.Term)
				}
			}
		}
		for _, term := range terms {
			if i := strings.IndexByte(term, 0); i >= 0 {
				term = term[:i]
			}
			term = text.Fold(term)
			if !seen[term] {
				t.Fatalf("term %q not dumped: %v", term, dump)
			}
			if !slices.Contains(m.Groups(term, true), index.SynonymPrefix+id) {
				t.Fatalf("term %q lacks group %q: %v", term, id, m.Groups(term, true))
			}
		}
		if len(dump) != m.Len() {
			t.Fatalf("dump of %d for %d terms", len(dump), m.Len())
		}
	})
}

// FuzzPhoneticMatcher checks PHONETIC's matcher check: exactly dm:en,
// dm:fr, dm:pt or dm:es, read up to a NUL byte.
func FuzzPhoneticMatcher(f *testing.F) {
	for _, s := range []string{"dm:en", "dm:fr", "dm:pt", "dm:es", "DM:EN", "dm:en\x00junk", "dm:tt", "", "dm:e"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, arg []byte) {
		m, ok := phoneticMatcher(arg)
		c := arg
		if i := bytes.IndexByte(c, 0); i >= 0 {
			c = c[:i]
		}
		valid := slices.Contains([]string{"dm:en", "dm:fr", "dm:pt", "dm:es"}, string(c))
		if ok != valid || (ok && m != string(c)) {
			t.Fatalf("phoneticMatcher(%q) = %q, %v", arg, m, ok)
		}
		// The same through FT.CREATE's parser: accepted, or the module's
		// error.
		_, err := ParseCreate("idx", [][]byte{[]byte("SCHEMA"), []byte("t"), []byte("TEXT"), []byte("PHONETIC"), arg})
		if (err == nil) != valid || (err != nil && err.Error() != errPhoneticMatcher) {
			t.Fatalf("FT.CREATE … PHONETIC %q: %v", arg, err)
		}
	})
}
