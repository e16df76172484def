package module

import (
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FuzzSuggestArgs checks that FT.SUGADD's and FT.SUGGET's option parsers
// never panic, that what they accept is within the module's bounds, and
// that a suggestion dictionary given what they accept answers within them.
func FuzzSuggestArgs(f *testing.F) {
	for _, s := range [][]string{
		{"hello world", "1", "INCR", "PAYLOAD", "p"},
		{"hello", "2.5", "PAYLOAD"},
		{"x", "nan", "REDIS"},
		{"he", "FUZZY", "MAX", "3", "WITHSCORES", "WITHPAYLOADS", "TRIM", "OPTIMIZE"},
		{"", "MAX", "0.5"},
		{"é", "MAX", "4294967296", "FUZZ"},
	} {
		f.Add(joinArgs(s...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		args := splitArgs(data)
		if len(args) < 2 {
			return
		}
		tr := trie.New(trie.SortScore)
		if add, err := ParseSugAddOptions(args[2:]); err == nil {
			if score, ok := resp.ParseFloat(args[1]); ok {
				tr.Insert(string(args[0]), score, add.Incr, add.Payload)
				tr.Insert(string(args[0])+"x", 1, false, "")
			}
		} else if err.Error() == "" {
			t.Fatal("empty error")
		}
		get, err := ParseSugGetOptions(args[1:])
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if get.Max < 1 || get.Max > 1<<32-1 {
			t.Fatalf("accepted MAX %d", get.Max)
		}
		dist := 0
		if get.Fuzzy {
			dist = 1
		}
		res, ok := tr.Search(string(args[0]), int(min(get.Max, 10)), dist, true, get.Trim)
		if !ok {
			return
		}
		if int64(len(res)) > get.Max || len(res) > tr.Size() {
			t.Fatalf("%d results for MAX %d of %d", len(res), get.Max, tr.Size())
		}
		for i := 1; i < len(res); i++ {
			if res[i].Score > res[i-1].Score {
				t.Fatalf("results out of order: %+v", res)
			}
		}
	})
}

// FuzzSpellCheckArgs checks that FT.SPELLCHECK's parser and the check
// itself never panic on any query and arguments, and that what the parser
// accepts is within its bounds.
func FuzzSpellCheckArgs(f *testing.F) {
	for _, s := range [][]string{
		{"name", "TERMS", "INCLUDE", "dict", "DISTANCE", "2"},
		{"@body:name hello|world -nope ~opt \"a b\"", "TERMS", "EXCLUDE", "dict", "DIALECT", "2"},
		{"@tag:{a|b c} name", "DISTANCE", "4", "FULLSCOREINFO"},
		{"name", "TERMS"},
		{"name", "DISTANCE"},
		{"name", "DIALECT", "2.0"},
		{"*=>[KNN 2 @v $b]", "DIALECT", "2"},
		{"hellx yellx", "DISTANCE", "3", "TERMS", "INCLUDE", "d2"},
	} {
		f.Add(joinArgs(s...))
	}
	m := New()
	s := server.RunT(f, server.Options{Modules: []server.Module{m}, LogOutput: nopWriter{}})
	c := testutil.Dial(f, s.Addr())
	testutil.MustDoAll(f, c, [][]string{
		{"FT.CREATE", "idx", "SCHEMA", "name", "TEXT", "body", "TEXT", "tag", "TAG", testutil.OK},
		{"HSET", "doc1", "name", "name1 hello", "body", "body1 yellow", testutil.Int(2)},
		{"HSET", "doc2", "name", "name2 help", "body", "names shell", "tag", "a,b c", testutil.Int(3)},
		{"FT.DICTADD", "dict", "name3", "Name", "hellz", testutil.Int(3)},
		{"FT.DICTADD", "d2", "yellow", "ß", "\U0001F600", testutil.Int(3)},
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		args := append([][]byte{[]byte("FT.SPELLCHECK"), []byte("idx")}, splitArgs(data)...)
		if len(args) < 3 {
			return
		}
		s.GIL().Lock()
		defer s.GIL().Unlock()
		req, err := m.parseSpellCheck(args)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if req.distance < 1 || req.distance > 4 || req.dialect < 1 || req.dialect > 4 {
			t.Fatalf("accepted DISTANCE %d DIALECT %d", req.distance, req.dialect)
		}
		req.idx.RLock()
		terms := m.spellCheck(req)
		docs := req.idx.NumDocs()
		req.idx.RUnlock()
		for _, st := range terms {
			for i, sg := range st.sugs {
				if sg.score < -1 || (i > 0 && sg.score > st.sugs[i-1].score) {
					t.Fatalf("%q: suggestions %+v", st.term, st.sugs)
				}
			}
		}
		for _, proto := range []int{2, 3} {
			writeSpellCheck(resp.NewWriter(proto), terms, docs, req.fullScoreInfo)
		}
	})
}

type nopWriter struct{}

func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
