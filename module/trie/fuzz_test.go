package trie

import (
	"testing"
)

// FuzzTrie runs inserts, deletes and searches from the fuzz input against
// a model (the set of strings inserted): the trie holds exactly the
// model's strings, Insert and Delete say whether a string was new or
// there, and a search's results come best first.
func FuzzTrie(f *testing.F) {
	f.Add([]byte("iab\x00ia\x00ib\x00dab\x00sa\x00iabc\x00da\x00iz\x00db"), false)
	f.Add([]byte("ihello\x00ihelp\x00ihell\x00dhell\x00fhel\x00dhelp\x00ihe\x00dhello"), true)
	f.Fuzz(func(t *testing.T, data []byte, lex bool) {
		mode := SortScore
		if lex {
			mode = SortLex
		}
		tr := New(mode)
		model := map[string]bool{}
		ops := splitOps(data)
		for i, op := range ops {
			if len(op) == 0 {
				continue
			}
			s := string(op[1:])
			key := String(ToRunes(s))
			switch op[0] {
			case 'i', 'I':
				score := float64(i%7 + 1)
				rc := tr.Insert(s, score, op[0] == 'I', "")
				valid := len(s) <= 2*MaxStringLen && len(ToRunes(s)) > 0 && len(ToRunes(s)) < MaxStringLen
				if want := valid && !model[key]; (rc == 1) != want {
					t.Fatalf("insert %q: %d, model has it: %v", s, rc, model[key])
				}
				if valid {
					model[key] = true
				}
			case 'd':
				rc := tr.Delete(s)
				if (rc == 1) != model[key] {
					t.Fatalf("delete %q: %d, model has it: %v", s, rc, model[key])
				}
				delete(model, key)
			case 's', 'f':
				dist := 0
				if op[0] == 'f' {
					dist = 1
				}
				res, ok := tr.Search(s, 3, dist, true, false)
				for j := 1; ok && j < len(res); j++ {
					if res[j].Score > res[j-1].Score {
						t.Fatalf("search %q: %+v", s, res)
					}
				}
			}
		}
		seen := map[string]bool{}
		tr.Each(func(r []Rune, _ float32, _ string) bool {
			k := String(r)
			if seen[k] || !model[k] {
				t.Fatalf("trie yields %q (seen %v, in model %v)", k, seen[k], model[k])
			}
			seen[k] = true
			return true
		})
		if len(seen) != len(model) || tr.Size() != len(model) {
			t.Fatalf("trie has %d (size %d), model %d", len(seen), tr.Size(), len(model))
		}
	})
}

func splitOps(data []byte) [][]byte {
	var out [][]byte
	start := 0
	for i, b := range data {
		if b == 0 {
			out = append(out, data[start:i])
			start = i + 1
		}
	}
	return append(out, data[start:])
}
