package text

import "testing"

// TestDoubleMetaphone checks the codes of the words the module's phonetic
// tests rely on (tests/pytests/test_phonetic.py: "morfix" must match
// "morphix", "jon" "john", "phonetic" "fonetic", and numbers code to
// nothing), Philips' own examples (Smith / Schmidt), and words worked out by
// hand through the rules, one comment each, for the rules where
// implementations disagree.
func TestDoubleMetaphone(t *testing.T) {
	for _, c := range []struct{ word, primary, alternate string }{
		// test_phonetic.py pairs: each pair shares its primary code.
		{"morfix", "MRFK", "MRFK"},  // M R F I-skipped X→KS, cut to 4
		{"morphix", "MRFK", "MRFK"}, // PH → F
		{"jon", "JN", "AN"},         // initial J: J / A
		{"john", "JN", "AN"},        // H after a consonant is silent
		{"phonetic", "FNTK", "FNTK"},
		{"fonetic", "FNTK", "FNTK"},
		{"2015", "", ""}, // no letter: no code (the module indexes "<")
		{"04", "", ""},
		// Philips, C/C++ Users Journal, June 2000.
		{"smith", "SM0", "XMT"},
		{"schmidt", "XMT", "SMT"},
		// By hand.
		{"jose", "HS", "HS"},          // JOSE then the padding blank: Spanish H
		{"thomas", "TMS", "TMS"},      // TH before OM is T
		{"xavier", "SF", "SFR"},       // initial X is S; final R after IE: French, alternate only
		{"wasserman", "ASRM", "FSRM"}, // initial W before a vowel: A / F
		{"van", "FN", "FN"},           // (VAN + padding blank)
		{"caesar", "SSR", "SSR"},      // initial CAESAR
		{"raj", "RJ", "R"},            // a final J adds nothing to the alternate
		{"algiers", "ALJR", "ALKR"},   // G before I, "IER" not at the end: J / K
		{"rogier", "RJ", "RJR"},       // G before "IER " (the padding blank): J / J; final R after IE: alternate only
		{"garçon", "KRN", "KRN"},      // bytes: each byte of ç is skipped
		{"niño", "N", "N"},            // ñ is two skipped bytes, not N
		{"GARÇON", "KRN", "KRN"},      // only ASCII letters are upper-cased
	} {
		p, a := DoubleMetaphone(c.word)
		if p != c.primary || a != c.alternate {
			t.Errorf("DoubleMetaphone(%q) = %q, %q; want %q, %q", c.word, p, a, c.primary, c.alternate)
		}
	}
	if got := PhoneticTerm("morphix"); got != "<MRFK" {
		t.Errorf("PhoneticTerm(morphix) = %q, want <MRFK", got)
	}
	if got := PhoneticTerm("04"); got != "<" {
		t.Errorf("PhoneticTerm(04) = %q, want < (the prefix alone)", got)
	}
}

// FuzzDoubleMetaphone checks that any input is encoded without a panic into
// codes of at most four of the algorithm's letters.
func FuzzDoubleMetaphone(f *testing.F) {
	for _, s := range []string{"morphix", "schmidt", "filipowicz", "mac gregor", "açaí", "", "\x00x", "wh", "ghislane"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, a := DoubleMetaphone(s)
		for _, code := range []string{p, a} {
			if len(code) > metaphoneMax {
				t.Fatalf("%q: code %q longer than %d", s, code, metaphoneMax)
			}
			for i := 0; i < len(code); i++ {
				switch code[i] {
				case 'A', 'F', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'X', '0':
				default:
					t.Fatalf("%q: code %q has %q", s, code, code[i])
				}
			}
		}
	})
}
