package text

import "testing"

func TestParseLanguage(t *testing.T) {
	cases := []struct {
		name string
		want Language
		ok   bool
	}{
		{"english", English, true},
		{"ENGLISH", English, true},
		{"Chinese", Chinese, true},
		{"yiddish", Yiddish, true},
		{"Serbian", Serbian, true},
		{"none", English, false},
		{"", English, false},
		{"eng", English, false},
		{"klingon", English, false},
	}
	for _, tc := range cases {
		got, ok := ParseLanguage(tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLanguage(%q) = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLanguageNamesRoundTrip(t *testing.T) {
	all := Languages()
	if len(all) != 29 {
		t.Fatalf("%d languages, want the module's 29", len(all))
	}
	for _, l := range all {
		back, ok := ParseLanguage(l.String())
		if !ok || back != l {
			t.Errorf("ParseLanguage(%q) = %v, %v; want %v", l.String(), back, ok, l)
		}
	}
	if got := Language(200).String(); got != "unsupported" {
		t.Errorf("out-of-range String() = %q", got)
	}
	var zero Language
	if zero != English {
		t.Errorf("zero Language is %v, want english (the module's default)", zero)
	}
}

// The stems below are the "+stem(expanded)" lines of FT.EXPLAIN replies
// recorded from RediSearch 2.10.25 (golden other.jsonl), English.
func TestEnglishStemsMatchTheModule(t *testing.T) {
	golden := []struct{ word, stem string }{
		{"apple", "appl"}, {"blorptastic", "blorptast"}, {"budget", "budget"}, {"bus", "bus"},
		{"carbon", "carbon"}, {"deep", "deep"}, {"describes", "describ"}, {"deserved", "deserv"},
		{"desk", "desk"}, {"discuss", "discuss"}, {"display", "display"}, {"ebay", "ebay"},
		{"escaping", "escap"}, {"expands", "expand"}, {"fails", "fail"}, {"flower", "flower"},
		{"gather", "gather"}, {"hunted", "hunt"}, {"kisses", "kiss"}, {"lagoon", "lagoon"},
		{"laughed", "laugh"}, {"linux", "linux"}, {"listing", "list"}, {"london", "london"},
		{"low", "low"}, {"mango", "mango"}, {"marzipan", "marzipan"}, {"mentions", "mention"},
		{"mixing", "mix"}, {"monitor", "monitor"}, {"nationality", "nation"}, {"nations", "nation"},
		{"often", "often"}, {"one", "one"}, {"optimize", "optim"}, {"organization", "organ"},
		{"origami", "origami"}, {"our", "our"}, {"package", "packag"}, {"packet", "packet"},
		{"password", "password"}, {"pipeline", "pipelin"}, {"places", "place"}, {"pointed", "point"},
		{"positions", "posit"}, {"powerful", "power"}, {"rare", "rare"}, {"reliable", "reliabl"},
		{"rock", "rock"}, {"rubber", "rubber"}, {"run", "run"}, {"sense", "sens"},
		{"she", "she"}, {"signs", "sign"}, {"silent", "silent"}, {"space", "space"},
		{"spelling", "spell"}, {"teacher", "teacher"}, {"text", "text"}, {"thoughts", "thought"},
		{"vendor", "vendor"}, {"voted", "vote"}, {"waited", "wait"}, {"winner", "winner"},
		{"winning", "win"}, {"won", "won"}, {"xylophone", "xylophon"},
		// Stop words are stemmed like any word (libstemmer has no stop list).
		{"this", "this"}, {"was", "was"}, {"these", "these"},
	}
	for _, g := range golden {
		if got := English.Stem(g.word); got != g.stem {
			t.Errorf("English.Stem(%q) = %q, want %q", g.word, got, g.stem)
		}
	}
}

func TestStemOtherLanguages(t *testing.T) {
	cases := []struct {
		lang       Language
		word, stem string
	}{
		{Spanish, "chicas", "chic"},
		{French, "continuation", "continu"},
		{Russian, "вечерами", "вечер"},
		{Swedish, "klokheten", "klok"},
		{Norwegian, "havnedistriktene", "havnedistrikt"},
		{Hungarian, "csatolmányokkal", "csatolmány"},
		// No stemmer here for these: the word comes back unchanged.
		{German, "laufenden", "laufenden"},
		{Chinese, "中文", "中文"},
		{Arabic, "الكتاب", "الكتاب"},
	}
	for _, tc := range cases {
		if got := tc.lang.Stem(tc.word); got != tc.stem {
			t.Errorf("%v.Stem(%q) = %q, want %q", tc.lang, tc.word, got, tc.stem)
		}
		if tc.lang.HasStemmer() != (tc.word != tc.stem) {
			t.Errorf("%v.HasStemmer() = %v", tc.lang, tc.lang.HasStemmer())
		}
	}
}

func TestStemCacheIsBounded(t *testing.T) {
	for i := range stemCacheLimit + 10 {
		English.Stem(string(rune('a'+i%26)) + string(rune(0x4e00+i)))
	}
	cache := &stemCaches[English]
	cache.mu.Lock()
	size := len(cache.entries)
	cache.mu.Unlock()
	if size > stemCacheLimit {
		t.Errorf("stem cache holds %d entries, limit %d", size, stemCacheLimit)
	}
	if got := English.Stem("positions"); got != "posit" {
		t.Errorf("after refill, Stem(positions) = %q", got)
	}
}
