package text

import (
	"testing"
	"unsafe"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"Hello WORLD_42", "hello world_42"},
		{"ÄÖÜ straße", "äöü straße"},
		{"ΣΟΦΙΑ", "σοφια"},
		{"ПРИВЕТ", "привет"},
		{"Ⱥ", "ⱥ"}, // grows from 2 to 3 bytes
		{"\xffABC\xc3", "\xffabc\xc3"},
		{"中文", "中文"},
	}
	for _, tc := range cases {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldReturnsUnchangedInputWithoutAllocating(t *testing.T) {
	for _, s := range []string{"already lower", "café 中文"} {
		if got := Fold(s); unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("Fold(%q) copied an unchanged string", s)
		}
		if allocs := testing.AllocsPerRun(100, func() { Fold(s) }); allocs != 0 {
			t.Errorf("Fold(%q) allocated %.1f times", s, allocs)
		}
	}
}
