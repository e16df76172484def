package server

import "testing"

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		nocase     bool
		want       bool
	}{
		{"*", "", false, false}, // as stringmatchlen: KEYS/SCAN special-case "*" themselves
		{"*", "anything", false, true},
		{"h?llo", "hello", false, true},
		{"h?llo", "hllo", false, false},
		{"h*llo", "heeeello", false, true},
		{"h[ae]llo", "hallo", false, true},
		{"h[ae]llo", "hillo", false, false},
		{"h[^e]llo", "hallo", false, true},
		{"h[^e]llo", "hello", false, false},
		{"h[a-b]llo", "hbllo", false, true},
		{"h[b-a]llo", "hbllo", false, true},
		{"h[a-b]llo", "hcllo", false, false},
		{`h\*llo`, "h*llo", false, true},
		{`h\*llo`, "hello", false, false},
		{`[\]]`, "]", false, true},
		{"[abc", "a", false, true},
		{"[abc", "d", false, false},
		{"HASH-*", "hash-max", true, true},
		{"HASH-*", "hash-max", false, false},
		{"a*", "a", false, true},
		{"a**", "a", false, true},
		{"*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},
		{"key:*:1", "key:abc:1", false, true},
		{"", "", false, true},
		{"", "a", false, false},
		{"a", "", false, false},
	}
	for _, c := range cases {
		if got := GlobMatch(c.pattern, c.s, c.nocase); got != c.want {
			t.Errorf("GlobMatch(%q, %q, %v) = %v, want %v", c.pattern, c.s, c.nocase, got, c.want)
		}
	}
}
