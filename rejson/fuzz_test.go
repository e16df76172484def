package rejson_test

import (
	"bytes"
	"io"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// FuzzJSONSet sets a base document, then JSON.SET of any value at any
// path (plain, NX, XX), then runs the other commands on that path: no
// reply may be a server failure (a recovered panic), a successful root
// SET stores the value as parsed, and the document always reads back as
// JSON that parses to itself.
func FuzzJSONSet(f *testing.F) {
	for _, s := range [][3]string{
		{`{"a":[1,2,{"b":null}],"c":"x"}`, "$.a[2].b", `{"d":[true]}`},
		{`{"a":1}`, "$..a", `2.5e3`},
		{`[1,[2,[3]]]`, "$..[0]", `"s"`},
		{`{"a":{"a":{"a":1}}}`, ".a.a", `[]`},
		{`{"x":[1,2,3]}`, "$.x[?(@>1)]", `0`},
		{`{"x":[1,2,3]}`, "$", `{`},
		{`{}`, "$.new", `"\u00e9\n"`},
	} {
		f.Add(s[0], s[1], s[2], byte(0))
	}
	s := server.RunT(f, server.Options{LogOutput: io.Discard, Modules: []server.Module{rejson.New()}})
	f.Fuzz(func(t *testing.T, base, path, value string, mode byte) {
		c := Dial(t, s.Addr())
		defer c.Close()
		c.Do("DEL", "k")
		check := func(args ...string) {
			r := c.Do(args...)
			if r.Type == '-' && bytes.Contains(r.Data, []byte("internal error")) {
				t.Fatalf("%q: %q", args, r.Raw)
			}
		}
		check("JSON.SET", "k", "$", base)
		set := []string{"JSON.SET", "k", path, value}
		switch mode % 3 {
		case 1:
			set = append(set, "NX")
		case 2:
			set = append(set, "XX")
		}
		r := c.Do(set...)
		if r.Type == '-' && bytes.Contains(r.Data, []byte("internal error")) {
			t.Fatalf("%q: %q", set, r.Raw)
		}
		if r.Type == '+' && (path == "$" || path == ".") {
			want, err := jsonv.Parse(value)
			if err != nil {
				t.Fatalf("%q stored a value that does not parse: %v", set, err)
			}
			if got := c.Do("JSON.GET", "k"); string(got.Data) != want.String() {
				t.Fatalf("%q: GET %q, want %q", set, got.Data, want.String())
			}
		}
		for _, args := range [][]string{
			{"JSON.GET", "k", path}, {"JSON.TYPE", "k", path}, {"JSON.STRLEN", "k", path},
			{"JSON.ARRAPPEND", "k", path, value}, {"JSON.ARRINSERT", "k", path, "0", value},
			{"JSON.ARRINDEX", "k", path, value, "-1"}, {"JSON.ARRPOP", "k", path},
			{"JSON.ARRTRIM", "k", path, "1", "-2"}, {"JSON.NUMINCRBY", "k", path, value},
			{"JSON.NUMMULTBY", "k", path, value}, {"JSON.STRAPPEND", "k", path, value},
			{"JSON.TOGGLE", "k", path}, {"JSON.OBJKEYS", "k", path}, {"JSON.OBJLEN", "k", path},
			{"JSON.RESP", "k", path}, {"JSON.MERGE", "k", path, value}, {"JSON.CLEAR", "k", path},
			{"JSON.DEBUG", "MEMORY", "k", path}, {"JSON.ARRLEN", "k", path}, {"JSON.DEL", "k", path},
		} {
			check(args...)
			if got := c.Do("JSON.GET", "k"); got.Type == '$' && got.Data != nil {
				if _, err := jsonv.Parse(string(got.Data)); err != nil {
					t.Fatalf("after %q the document reads %q: %v", args, got.Data, err)
				}
			}
		}
	})
}
