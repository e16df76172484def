package jsonpath

import (
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
)

// doc is the document of the cases below; each expectation is worked out
// by hand from RedisJSON's path semantics (the module's docs, "JSONPath"
// page, and its json_path tests: pre-order recursive descent, filters on
// array elements and object values, negative indices from the end).
const doc = `{"store":{"book":[` +
	`{"cat":"ref","author":"Rees","price":8.95},` +
	`{"cat":"fic","author":"Waugh","price":12.99,"tags":["a","b"]},` +
	`{"cat":"fic","author":"Melville","isbn":"0-553","price":8.99},` +
	`{"cat":"fic","author":"Tolkien","isbn":"0-395","price":22.99}],` +
	`"bicycle":{"color":"red","price":19.95}},"n":[0,1,2,3,4,5],"a":{"a":{"a":1}}}`

func eval(t *testing.T, root *jsonv.Value, path string) string {
	t.Helper()
	p, err := Parse(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return string(jsonv.AppendArrayOf(nil, p.Values(root), jsonv.Format{}))
}

func TestEval(t *testing.T) {
	root, err := jsonv.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{"$.store.bicycle.color", `["red"]`},
		{"$['store']['bicycle'][\"price\"]", `[19.95]`},
		{"$.store.book[0].author", `["Rees"]`},
		{"$.store.book[-1].author", `["Tolkien"]`},
		{"$.store.book[-5].author", `["Rees"]`}, // a negative index stops at the first element
		{"$.store.book[4]", `[]`},
		{"$.store.book[0,2].price", `[8.95,8.99]`},
		{"$.store.book[*].author", `["Rees","Waugh","Melville","Tolkien"]`},
		{"$.store.bicycle.*", `["red",19.95]`},
		{"$..author", `["Rees","Waugh","Melville","Tolkien"]`},
		{"$..price", `[8.95,12.99,8.99,22.99,19.95]`},
		{"$..a", `[{"a":{"a":1}},{"a":1},1]`}, // a node's own match before its children's
		{"$.n[1:3]", `[1,2]`},
		{"$.n[:2]", `[0,1]`},
		{"$.n[-2:]", `[4,5]`},
		{"$.n[::2]", `[0,2,4]`},
		{"$.n[1:-1:3]", `[1,4]`},
		{"$.n[4:2]", `[]`},
		{"$.n[-100:1]", `[0]`},
		{"$.store.book[?(@.price<10)].author", `["Rees","Melville"]`},
		{"$.store.book[?(@.price>10 && @.cat==\"fic\")].author", `["Waugh","Tolkien"]`},
		{"$.store.book[?(@.price>20 || @.author=='Rees')].author", `["Rees","Tolkien"]`},
		{"$.store.book[?((@.price>20 || @.author=='Rees') && @.cat != 'ref')].author", `["Tolkien"]`},
		{"$.store.book[?(@.isbn)].author", `["Melville","Tolkien"]`},
		// A lone literal is a test that always holds (json_path.rs
		// evaluate_single_filter: true unless the term is Invalid, and a
		// literal never is), whatever its value.
		{"$.n[?(1)]", `[0,1,2,3,4,5]`},
		{"$.n[?(false)]", `[0,1,2,3,4,5]`},
		{"$.n[?(null)]", `[0,1,2,3,4,5]`},
		{"$.n[?('x')]", `[0,1,2,3,4,5]`},
		{"$.n[?(0 && @>3)]", `[4,5]`},
		{"$.store.book[?(@.isbn || 1)].author", `["Rees","Waugh","Melville","Tolkien"]`},
		{"$.store.bicycle[?(1)]", `["red",19.95]`}, // an object's member values
		{"$.a.a.a[?(1)]", `[1]`},                   // a scalar is tested itself
		{"$.a.a.a[?(@==1)]", `[1]`},
		{"$.a.a.a[?(@==2)]", `[]`},
		{"$.n[0][?(@==0)]", `[0]`},
		{"$.store.book[?(@.author =~ \"^[MT]\")].author", `["Melville","Tolkien"]`},
		{"$.store.book[?(@.author =~ \"l\")].author", `["Melville","Tolkien"]`}, // unanchored
		{"$.store.book[?(@.price > $.store.bicycle.price)].author", `["Tolkien"]`},
		{"$.store.book[?(@.tags[*] == 'b')].author", `[]`}, // a term selecting several values is invalid
		{"$.store.book[?(@.tags[1] == 'b')].author", `["Waugh"]`},
		{"$.store.book[?(@.isbn != '0-553')].author", `["Rees","Waugh","Tolkien"]`}, // != holds for an invalid term
		{"$.store.book[?(@.price > '1')].author", `[]`},                             // mixed kinds are unordered
		{"$.store.book[?(@.author =~ '(')].author", `[]`},                           // a bad pattern matches nothing
		{"$.store.book[?(@.tags == $.store.book[1].tags)].author", `["Waugh"]`},     // deep equality of two path values
		{"$.store.book[?(@.cat == 'fic' && @.price < 10 || @.author == 'Rees')].author", `["Rees","Melville"]`},
		{"$.n[?(@ >= 4)]", `[4,5]`},
		{"$.store.bicycle[?(@ == 'red')]", `["red"]`}, // filters see an object's values
		{"$..book[?(@.price==8.99)].isbn", `["0-553"]`},
		{"$..[0]", `[{"cat":"ref","author":"Rees","price":8.95},"a",0]`},
		{"$", `[` + doc + `]`},
		// Legacy paths.
		{".store.bicycle.color", `["red"]`},
		{"store.bicycle", `[{"color":"red","price":19.95}]`},
		{".", `[` + doc + `]`},
		{"n[1]", `[1]`},
		{`["store"].bicycle.color`, `["red"]`},
		{"..price", `[8.95,12.99,8.99,22.99,19.95]`},
	}
	for _, tc := range cases {
		if got := eval(t, &root, tc.path); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.path, got, tc.want)
		}
	}
	arr, _ := jsonv.Parse(`[[1],[2,3]]`)
	if got := eval(t, &arr, "$[0]"); got != `[[1]]` {
		t.Errorf("$[0] on an array: %s", got)
	}
	if got := eval(t, &arr, "[1][-1]"); got != `[3]` {
		t.Errorf("[1][-1]: %s", got)
	}
}

func TestLegacyAndStatic(t *testing.T) {
	for _, tc := range []struct {
		path         string
		legacy       bool
		norm         string
		static, root bool
	}{
		{"$", false, "$", true, true},
		{".", true, "$", true, true},
		{".a.b", true, "$.a.b", true, false},
		{"a", true, "$.a", true, false},
		{"[0]", true, "$.[0]", true, false}, // redisjson.rs Path::new: "$." + path
		{"$..a", false, "$..a", false, false},
		{"$.a[*]", false, "$.a[*]", false, false},
		{"$.a[0,1]", false, "$.a[0,1]", false, false},
		{"$.a[?(@>1)]", false, "$.a[?(@>1)]", false, false},
	} {
		p, err := Parse(tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if p.Legacy != tc.legacy || p.Normalized() != tc.norm || p.Static() != tc.static || p.IsRoot() != tc.root {
			t.Errorf("%s: legacy %v norm %q static %v root %v", tc.path, p.Legacy, p.Normalized(), p.Static(), p.IsRoot())
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, path := range []string{"$.", "$[", "$[0", "$['a'", "$.a[?(@.b>)]", "$.a[?(@.b", "$a", "$..", "$.a[1,]"} {
		_, err := Parse(path)
		if err == nil {
			t.Errorf("%q parsed", path)
			continue
		}
		if !strings.HasPrefix(err.Error(), "Error occurred on position ") {
			t.Errorf("%q: %q", path, err)
		}
	}
}

// TestParseErrorMessages: the module's words for a path its grammar
// rejects (json_path.rs compile over pest's ParsingError). Two are the
// module's own records: RedisJSON issue #948 (JSON.GET j '$.a[$]' on
// 2.4.6) and the JSON.SET page's "$.." example. The others are worked out
// from grammar.pest with pest's attempt tracking (see peg.go):
//   - "$.a.b.": "." matched, literal (atomic) fails at 6 and is recorded,
//     then full_scan ".." fails at 5 (behind), "." ~ all records all at 6:
//     <string>, '*'.
//   - "$.a]": root stops at 3; its next element records full_scan at 3
//     (the "." and "[" strings record nothing), then EOI fails at 3;
//     EOI sorts first (pest's Rule enum begins with it).
//   - "$[0": numbers_list reads "0" and bracket then misses "]" at 3, a
//     string; the furthest record is at 2, where numbers_range's four
//     alternatives all failed (full_range and left_range after reading
//     "0") and it replaced their four records with its own.
//   - "$.a[1,]": numbers_list's "," then number fails at 6: one record.
//   - "$[?(@.a==)]": the right term fails at 9: from_current, from_root,
//     decimal, boolean_true, boolean_false, null (string is silent),
//     listed in declaration order (decimal is declared first).
//   - "$[?(@.a==1 &&)]": after "&&" inner_filter's single_filter fails at
//     13 with six child records, so it replaces them with itself.
//   - "$[1:2:0]": a step is a pos_number (no Display of its own: the
//     rule's name).
//   - ".a[": a legacy path is compiled as "$" + path.
func TestParseErrorMessages(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"$.a[$]", `Error occurred on position 4, "$.a[ ---->>>> $]", expected one of the following: '<string>[,<string>,...]', '<number>', ['start:end:steps'], '*'.`},
		{"$..", `Error occurred on position 3, "$.. <<<<----", expected one of the following: <string>, '*'.`},
		{"$.a.b.", `Error occurred on position 6, "$.a.b. <<<<----", expected one of the following: <string>, '*'.`},
		{"$.a]", `Error occurred on position 3, "$.a ---->>>> ]", expected one of the following: EOI, '..'.`},
		{"$[0", `Error occurred on position 2, "$[ ---->>>> 0", expected one of the following: ['start:end:steps'].`},
		{"$.a[1,]", `Error occurred on position 6, "$.a[1, ---->>>> ]", expected one of the following: '<number>'.`},
		{"$[?(@.a==)]", `Error occurred on position 9, "$[?(@.a== ---->>>> )]", expected one of the following: decimal, from_current, from_root, boolean_true, boolean_false, null.`},
		{"$[?(@.a==1 &&)]", `Error occurred on position 13, "$[?(@.a==1 && ---->>>> )]", expected one of the following: single_filter.`},
		{"$[1:2:0]", `Error occurred on position 6, "$[1:2: ---->>>> 0]", expected one of the following: pos_number.`},
		{".a[", `Error occurred on position 4, "$.a[ <<<<----", expected one of the following: '<string>[,<string>,...]', '<number>', ['start:end:steps'], '*'.`},
	} {
		_, err := Parse(tc.path)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.path, err, tc.want)
		}
	}
}

// FuzzPath: any path parses or fails without panicking, and a parsed path
// evaluates on a document without panicking, its locations leading to
// the values it selects.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"$", ".", "$..a", "$.a[?(@.b>1 && @.c=='x')]", "$.n[1:-1:2]", "a.b[0]", `["x"][-1]`, "$..*", "$[?(@ =~ \"a.*\")]", "$.a[0,1]", "$['a','b']"} {
		f.Add(s)
	}
	root, err := jsonv.Parse(doc)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string) {
		p, err := Parse(path)
		if err != nil {
			return
		}
		for _, m := range p.Matches(&root) {
			if v, _, _ := At(&root, m.Loc); v != m.V {
				t.Fatalf("%q: location %v does not lead to the value", path, m.Loc)
			}
		}
	})
}

// TestLiteralChars: a dotted name takes the grammar's literal characters
// (letters, digits and -_`~+#%$^/:), nothing else.
func TestLiteralChars(t *testing.T) {
	root, _ := jsonv.Parse(`{"a+b/c":1,"x~y#z%":2}`)
	if got := eval(t, &root, "$.a+b/c"); got != "[1]" {
		t.Errorf("got %s", got)
	}
	if got := eval(t, &root, "x~y#z%"); got != "[2]" {
		t.Errorf("got %s", got)
	}
}

// TestPathSpaces: the grammar's implicit WHITESPACE (a space) between the
// tokens of its non-atomic rules: after "$", around "." and "..", before
// "[", at the end; never inside a name or inside "..".
func TestPathSpaces(t *testing.T) {
	root, _ := jsonv.Parse(`{"a":{"b":[1,2]}}`)
	for path, want := range map[string]string{
		"$ .a.b":         `[[1,2]]`,
		"$. a . b":       `[[1,2]]`,
		"$.a.b [1]":      `[2]`,
		"$.. b":          `[[1,2]]`,
		"$.a.b ":         `[[1,2]]`,
		"$.a.b[?(@ >1)]": `[2]`,
	} {
		if got := eval(t, &root, path); got != want {
			t.Errorf("%q: got %s, want %s", path, got, want)
		}
	}
	for _, path := range []string{"$. .a", "$.a b"} {
		if _, err := Parse(path); err == nil {
			t.Errorf("%q parsed", path)
		}
	}
}
