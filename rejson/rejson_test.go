package rejson_test

import (
	"strings"
	"sync"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

// The expected replies below are RedisJSON's own (tests/pytest/test_multi.py,
// test_resp3.py, test.py and the command documentation, Redis 8.2): each
// case cites the test it comes from; replies the tests check through
// json.loads are written out in the module's compact serialization.

const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

// recorder records keyspace events as "event:key".
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Name() string { return "rec" }
func (r *recorder) Version() int { return 1 }
func (r *recorder) Start() error { return nil }
func (r *recorder) Stop()        {}
func (r *recorder) Load(mc *server.ModuleContext) error {
	mc.SubscribeKeyspace(func(ev server.KeyEvent) {
		r.mu.Lock()
		r.events = append(r.events, ev.Event+":"+ev.Key)
		r.mu.Unlock()
	})
	return nil
}
func (r *recorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.events, " ")
	r.events = nil
	return s
}

func start(t *testing.T) (*Conn, *recorder, *server.Server) {
	rec := &recorder{}
	s := server.RunT(t, server.Options{Modules: []server.Module{rejson.New(), rec}})
	return Dial(t, s.Addr()), rec, s
}

// nestedSimple is test_multi.py's nested_simple_key.
const nestedSimple = `{"a":1,"nested":{"a":2,"b":3}}`

// TestSetGet: testSetAndGetCommands (test_multi.py) and the JSON.SET docs.
func TestSetGet(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc2", "$", nestedSimple, "XX", Nil},
		{"JSON.SET", "doc2", "$", nestedSimple, "NX", OK},
		{"JSON.SET", "doc2", "$", nestedSimple, "NX", Nil},
		{"JSON.GET", "doc2", "$", Bulk("[" + nestedSimple + "]")},
		{"JSON.SET", "doc2", "$..a", "4.2", OK},
		{"JSON.GET", "doc2", "$", Bulk(`[{"a":4.2,"nested":{"a":4.2,"b":3}}]`)},
		// Formatting: the same path twice gives a one-member object.
		{"JSON.GET", "doc2", "INDENT", "\t", "NEWLINE", "\n", "SPACE", " ", "$..a", "$..a",
			Bulk("{\n\t\"$..a\": [\n\t\t4.2,\n\t\t4.2\n\t]\n}")},
		{"JSON.GET", "doc2", "INDENT", "\t", "NEWLINE", "\n", "SPACE", " ", "..a", "..a",
			Bulk("{\n\t\"..a\": 4.2\n}")},
		{"JSON.GET", "doc2", "..a", Bulk("4.2")},
		{"JSON.GET", "doc2", "..a", "..b", "$.back_in_nov", Bulk(`{"..a":[4.2,4.2],"..b":[3],"$.back_in_nov":[]}`)},
		{"JSON.GET", "docX", "..tm", "$..nu", Nil},
		{"JSON.SET", "doc2", "$.nested.b", "null", OK},
		{"JSON.GET", "doc2", ".back_in_nov", Err("ERR Path '$.back_in_nov' does not exist")},
		{"JSON.GET", "doc2", ".a", ".back_in_nov", Err("ERR Path '.back_in_nov' does not exist")},
		{"JSON.SET", "doc1", "$", `"inizio"`, OK},
		{"JSON.GET", "doc1", Bulk(`"inizio"`)},
		// Members are created only where the parent exists, keys only at the root.
		{"JSON.SET", "doc2", "$.c", `{"d":[1]}`, OK},
		{"JSON.SET", "doc2", "$.c.e", `true`, OK},
		{"JSON.SET", "doc2", "$.x.y", `1`, Nil},
		{"JSON.GET", "doc2", Bulk(`{"a":4.2,"nested":{"a":4.2,"b":null},"c":{"d":[1],"e":true}}`)},
		{"JSON.SET", "doc2", "$.c.d[5]", "1", Err("ERR array index out of range")},
		{"JSON.SET", "doc2", "$..zz", "1", Err("Err wrong static path")},
		{"JSON.SET", "doc2", "$.c.e", "false", "NX", Nil},
		{"JSON.SET", "doc2", "$.c.f", "false", "XX", Nil},
		{"JSON.SET", "newkey", "$.a", "1", Err("ERR new objects must be created at the root")},
		{"JSON.SET", "newkey", ".", "[1,2.50,1e3,-0.0001,1e21]", OK},
		{"JSON.GET", "newkey", Bulk(`[1,2.5,1000.0,-0.0001,1e21]`)},
		{"JSON.SET", "newkey", "$", "{", Err("EOF while parsing an object at line 1 column 1")},
		{"JSON.SET", "newkey", "$", "x", Err("expected value at line 1 column 1")},
		{"JSON.SET", "newkey", "$", "1 2", Err("trailing characters at line 1 column 3")},
		{"JSON.SET", "newkey", "$", "1", "NX", "XX", Err("ERR syntax error")},
		{"JSON.SET", "newkey", "$", Err("ERR wrong number of arguments for 'JSON.SET' command")},
		{"json.get", Err("ERR wrong number of arguments for 'json.get' command")},
	})
}

// TestDelForget: testDelCommand / testForgetCommand (test_multi.py), with
// the module's object member removal (the last member takes the place of
// the removed one).
func TestDelForget(t *testing.T) {
	c, rec, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc1", "$", `{"a": 1, "nested": {"a": 2, "b": 3}}`, OK},
		{"JSON.FORGET", "doc1", "$..a", Int(2)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"nested":{"b":3}}]`)},
		{"JSON.SET", "doc2", "$", `{"a": {"a": 2, "b": 3}, "b": ["a", "b"], "nested": {"b":[true, "a","b"]}}`, OK},
		{"JSON.FORGET", "doc2", "$..a", Int(1)},
		{"JSON.GET", "doc2", "$", Bulk(`[{"nested":{"b":[true,"a","b"]},"b":["a","b"]}]`)},
		{"JSON.SET", "doc3", "$", `[{"ciao":["non ancora"],"nested":[{"ciao":[1,"a"]}, {"ciao":[2,"a"]}, {"ciaoc":[3,"non","ciao"]}, {"ciao":[4,"a"]}, {"e":[5,"non","ciao"]}]}]`, OK},
		{"JSON.FORGET", "doc3", `$.[0]["nested"]..ciao`, Int(3)},
		{"JSON.GET", "doc3", "$", Bulk(`[[{"ciao":["non ancora"],"nested":[{},{},{"ciaoc":[3,"non","ciao"]},{},{"e":[5,"non","ciao"]}]}]]`)},
		{"JSON.FORGET", "doc3", Int(1)},
		{"JSON.GET", "doc3", "$", Nil},
		{"JSON.FORGET", "non_existing_doc", "..a", Int(0)},
		{"JSON.SET", "doc1", "$", `{"a":[[1],[1,2,3,[4,5,[{"a":6},7,8]]], [10,{"11":11}], ["12","13"]], "b":[[1,2],{"a":[3,4,5]}]}`, OK},
		{"JSON.DEL", "doc1", "$..[0]", Int(8)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":[[2,3,[5,[7,8]]],[{"11":11}],["13"]],"b":[{"a":[4,5]}]}]`)},
	})
	if got, want := rec.take(), "json.set:doc1 json.del:doc1 json.set:doc2 json.del:doc2 json.set:doc3 json.del:doc3 json.del:doc3 json.set:doc1 json.del:doc1"; got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
}

// TestMGet: testMGetCommand (test_multi.py).
func TestMGet(t *testing.T) {
	c, _, _ := start(t)
	res1, res2 := Bulk(`[1,3,null]`), Bulk(`[4,6,[null]]`)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "{doc}:1", "$", `{"a":1, "b": 2, "nested1": {"a": 3}, "c": null, "nested2": {"a": null}}`, OK},
		{"JSON.SET", "{doc}:2", "$", `{"a":4, "b": 5, "nested3": {"a": 6}, "c": null, "nested4": {"a": [null]}}`, OK},
		{"SET", "{doc}:wrong_key_type", "not a json key", OK},
		{"JSON.MGET", "{doc}:1", "$..a", Arr(res1)},
		{"JSON.MGET", "{doc}:1", "{doc}:wrong_key_type", "{doc}:2", "$..a", Arr(res1, Nil, res2)},
		{"JSON.MGET", "{doc}:1", "{doc}:2", "{doc}:wrong_key_type", "{doc}:missing", "$.nested1.a", Arr(Bulk("[3]"), Bulk("[]"), Nil, Nil)},
		{"JSON.MGET", "{doc}:1", "{doc}:wrong_key_type", "{doc}:missing2", "$..niente", Arr(Bulk("[]"), Nil, Nil)},
		{"JSON.MGET", "{doc}:1", "{doc}:2", "..a", Arr(Bulk("1"), Bulk("4"))},
		{"JSON.MGET", "{doc}:1", "{doc}:2", "{doc}:wrong_key_type", "{doc}:missing", ".nested1.a", Arr(Bulk("3"), Nil, Nil, Nil)},
		{"JSON.MGET", "{doc}:1", Err("ERR wrong number of arguments for 'JSON.MGET' command")},
	})
}

// TestNumOps: testNumByCommands (test_multi.py).
func TestNumOps(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"a":"b","b":[{"a":2}, {"a":5.0}, {"a":"c"}]}`
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.NUMINCRBY", "doc1", "$..a", "2", Bulk("[null,4,7.0,null]")},
		{"JSON.NUMINCRBY", "doc1", "$..a", "2.5", Bulk("[null,6.5,9.5,null]")},
		{"JSON.NUMINCRBY", "doc1", "$.b[1].a", "2", Bulk("[11.5]")},
		{"JSON.NUMINCRBY", "doc1", "$.b[2].a", "2", Bulk("[null]")},
		{"JSON.NUMINCRBY", "doc1", "$.b[1].a", "3.5", Bulk("[15.0]")},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.NUMMULTBY", "doc1", "$..a", "2", Bulk("[null,4,10.0,null]")},
		{"JSON.NUMMULTBY", "doc1", "$..a", "2.5", Bulk("[null,10.0,25.0,null]")},
		{"JSON.NUMMULTBY", "doc1", "$.b[1].a", "2", Bulk("[50.0]")},
		{"JSON.NUMMULTBY", "doc1", "$.b[1].a", "3", Bulk("[150.0]")},
		{"JSON.NUMINCRBY", "non_existing_doc", "$..a", "2", Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.NUMINCRBY", "doc1", ".b[0].a", "3", Bulk("5")},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.NUMMULTBY", "doc1", ".b[0].a", "3", Bulk("6")},
		{"JSON.NUMINCRBY", "doc1", ".a", "3", Err("ERR Path '$.a' does not exist or does not contains a number")},
		// The module's integer arithmetic wraps (i64::wrapping_add in its
		// ivalue_manager.rs); a float result must be finite.
		{"JSON.SET", "big", "$", "[9223372036854775807, 1e308]", OK},
		{"JSON.NUMINCRBY", "big", "$[0]", "1", Bulk("[-9223372036854775808]")},
		{"JSON.NUMMULTBY", "big", "$[1]", "10", Err("result is not a number")},
		{"JSON.GET", "big", Bulk("[-9223372036854775808,1e308]")},
	})
	// test_resp3.py test_resp_json_num_ops (values exact in binary).
	c.Hello3()
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "test_resp3", "$", `{"a1":{"b":{"c":1}},"a2":{"b":{"c":2.5}},"a3":{"b":{"c":"val"}}}`, OK},
		{"JSON.NUMINCRBY", "test_resp3", "$.a1.b.c", "1", Arr(Int(2))},
		{"JSON.NUMINCRBY", "test_resp3", "$..c", "2", Arr(Int(4), Double3("4.5"), Null)},
		{"JSON.NUMINCRBY", "test_resp3", ".a1.b.c", "1", Arr(Int(5))},
	})
}

// TestStrings: testStrAppendCommand and testStrLenCommand (test_multi.py).
func TestStrings(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"a":"foo", "nested1": {"a": "hello"}, "nested2": {"a": 31}}`
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.STRLEN", "doc1", "$..a", Arr(Int(3), Int(5), Nil)},
		{"JSON.STRAPPEND", "doc1", "$..a", `"bar"`, Arr(Int(6), Int(8), Nil)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":"foobar","nested1":{"a":"hellobar"},"nested2":{"a":31}}]`)},
		{"JSON.STRAPPEND", "doc1", "$.nested1.a", `"baz"`, Arr(Int(11))},
		{"JSON.STRLEN", "doc1", "$.nested2.a", Arr(Nil)},
		{"JSON.STRLEN", "doc1", "..a", Int(6)},
		{"JSON.STRAPPEND", "non_existing_doc", "$..a", `"err"`, Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.STRLEN", "non_existing_doc", "$..a", Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.STRAPPEND", "doc1", ".*.a", `"bar"`, Int(8)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":"foo","nested1":{"a":"hellobar"},"nested2":{"a":31}}]`)},
		{"JSON.STRLEN", "doc1", ".nested2.a", Err("WRONGTYPE wrong type of path value - expected string but found integer")},
		{"JSON.SET", "doc1", "$", `"abcd"`, OK},
		{"JSON.STRAPPEND", "doc1", `"piu"`, Int(7)},
		{"JSON.STRLEN", "doc1", Int(7)},
		// (ivalue_manager.rs str_append: the argument as given in the error)
		{"JSON.STRAPPEND", "doc1", "$", "12", Err("WRONGTYPE wrong type of path value - expected string but found 12")},
		{"JSON.STRAPPEND", "doc1", "$", "x", Err("expected value at line 1 column 1")},
	})
}

// TestArrays: testArrAppendCommand, testArrInsertCommand, testArrLenCommand,
// testArrPopCommand, testArrTrimCommand (test_multi.py), ARRINDEX's docs.
func TestArrays(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"a":["foo"], "nested1": {"a": ["hello", null, "world"]}, "nested2": {"a": 31}}`
	noKey := Err("ERR could not perform this operation on a key that doesn't exist")
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRAPPEND", "doc1", "$..a", `"bar"`, `"racuda"`, Arr(Int(3), Int(5), Nil)},
		{"JSON.ARRAPPEND", "doc1", "$.nested1.a", `"baz"`, Arr(Int(6))},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":["foo","bar","racuda"],"nested1":{"a":["hello",null,"world","bar","racuda","baz"]},"nested2":{"a":31}}]`)},
		{"JSON.ARRAPPEND", "non_existing_doc", "$..a", `1`, noKey},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRAPPEND", "doc1", "..a", `"bar"`, `"racuda"`, Int(5)},
		{"JSON.ARRAPPEND", "doc1", ".nested2.a", `1`, Err("ERR Path '.nested2.a' does not exist or not an array")},
		// ARRINSERT
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRINSERT", "doc1", "$..a", "1", `"bar"`, `"racuda"`, Arr(Int(3), Int(5), Nil)},
		{"JSON.ARRINSERT", "doc1", "$.nested1.a", "-2", `"baz"`, Arr(Int(6))},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":["foo","bar","racuda"],"nested1":{"a":["hello","bar","racuda","baz",null,"world"]},"nested2":{"a":31}}]`)},
		{"JSON.ARRINSERT", "doc1", "$.a", "4", `1`, Err("ERR index out of bounds")},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRINSERT", "doc1", "..a", "1", `"bar"`, `"racuda"`, Int(5)},
		// ARRLEN
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRLEN", "doc1", "$..a", Arr(Int(1), Int(3), Nil)},
		{"JSON.ARRAPPEND", "doc1", "$..a", `"non"`, `"abba"`, `"stanza"`, Arr(Int(4), Int(6), Nil)},
		{"JSON.CLEAR", "doc1", "$.a", Int(1)},
		{"JSON.ARRLEN", "doc1", "$..a", Arr(Int(0), Int(6), Nil)},
		{"JSON.ARRLEN", "doc1", ".nested1.a", Int(6)},
		{"JSON.ARRLEN", "non_existing_doc", "$..a", noKey},
		{"JSON.ARRLEN", "non_existing_doc", "..a", Nil},
		// ARRPOP
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRPOP", "doc1", "$..a", "1", Arr(Bulk(`"foo"`), Bulk("null"), Nil)},
		{"JSON.ARRPOP", "doc1", "$..a", "-1", Arr(Nil, Bulk(`"world"`), Nil)},
		{"JSON.ARRPOP", "doc1", "$.nested1.a", "-2", Arr(Bulk(`"hello"`))},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":[],"nested1":{"a":[]},"nested2":{"a":31}}]`)},
		{"JSON.ARRPOP", "non_existing_doc", "$..a", "0", noKey},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRPOP", "doc1", "..a", "1", Bulk("null")},
		{"JSON.ARRPOP", "doc1", ".nested1.a", "-2", Bulk(`"hello"`)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":[],"nested1":{"a":["world"]},"nested2":{"a":31}}]`)},
		{"JSON.SET", "doc1", "$", "[0, 1, 2]", OK},
		{"JSON.ARRPOP", "doc1", Bulk("2")},
		{"JSON.ARRPOP", "doc1", "$", Arr(Bulk("1"))},
		{"JSON.ARRPOP", "doc1", ".", Bulk("0")},
		{"JSON.ARRPOP", "doc1", ".", Nil},
		// ARRTRIM
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRTRIM", "doc1", "$..a", "1", "-1", Arr(Int(0), Int(2), Nil)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":[],"nested1":{"a":[null,"world"]},"nested2":{"a":31}}]`)},
		{"JSON.ARRTRIM", "doc1", "$..a", "1", "1", Arr(Int(0), Int(1), Nil)},
		{"JSON.ARRTRIM", "doc1", "$.nested1.a", "1", "0", Arr(Int(0))},
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.ARRTRIM", "doc1", "..a", "1", "-1", Int(2)},
		{"JSON.ARRTRIM", "doc1", ".nested1.a", "1", "1", Int(1)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":[],"nested1":{"a":["world"]},"nested2":{"a":31}}]`)},
		// ARRINDEX (docs: JSON.ARRINDEX examples)
		{"JSON.SET", "item", "$", `{"colors":["black","silver","pink"],"n":[1,2,1.0,2]}`, OK},
		{"JSON.ARRINDEX", "item", "$.colors", `"silver"`, Arr(Int(1))},
		{"JSON.ARRINDEX", "item", "$.colors", `"silver"`, "2", Arr(Int(-1))},
		{"JSON.ARRINDEX", "item", "$.n", `2`, "-2", Arr(Int(3))}, // from index 4-2
		{"JSON.ARRINDEX", "item", "$.n", `2`, "-3", Arr(Int(1))}, // from index 4-3
		{"JSON.ARRINDEX", "item", "$.n", `1.0`, Arr(Int(2))},
		{"JSON.ARRINDEX", "item", "$..*", `1`, Arr(Int(-1), Int(0), Nil, Nil, Nil, Nil, Nil, Nil, Nil)},
		{"JSON.ARRINDEX", "item", ".colors", `"pink"`, Int(2)},
		{"JSON.ARRINDEX", "item", ".n[0]", `1`, Err("WRONGTYPE wrong type of path value - expected array but found integer")},
	})
}

// TestObjectsTypeClearToggle: testObjKeysCommand, testObjLenCommand,
// testTypeCommand, testClearCommand, testToggleCommand (test_multi.py).
func TestObjectsTypeClearToggle(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"nested1": {"a": {"foo": 10, "bar": 20}}, "a":["foo"], "nested2": {"a": {"baz":50}}}`
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc1", "$", doc, OK},
		{"JSON.OBJKEYS", "doc1", "$..a", Arr(Nil, Strs("foo", "bar"), Strs("baz"))},
		{"JSON.OBJKEYS", "doc1", "$.nested1.a", Arr(Strs("foo", "bar"))},
		{"JSON.OBJKEYS", "doc1", ".*.a", Strs("foo", "bar")},
		{"JSON.OBJKEYS", "doc1", ".nested2.a", Strs("baz")},
		{"JSON.OBJKEYS", "non_existing_doc", "..a", Nil},
		{"JSON.OBJKEYS", "doc1", "$.nowhere", Arr()},
		{"JSON.OBJKEYS", "doc1", Strs("nested1", "a", "nested2")},
		{"JSON.OBJLEN", "doc1", "$..a", Arr(Nil, Int(2), Int(1))},
		{"JSON.OBJLEN", "doc1", "$.nested1.a", Arr(Int(2))},
		{"JSON.OBJLEN", "non_existing_doc", "$..a", Err("ERR Path '$..a' does not exist or not an object")},
		{"JSON.OBJLEN", "doc1", "$.nowhere", Arr()},
		{"JSON.OBJLEN", "doc1", ".*.a", Int(2)},
		{"JSON.OBJLEN", "non_existing_doc", "..a", Nil},
		{"JSON.OBJLEN", "doc1", ".nowhere", Nil},
		{"JSON.OBJLEN", "doc1", Int(3)},
		// TYPE
		{"JSON.SET", "doc2", "$", `{"nested1":{"a":{}},"nested2":{"a":[]},"nested3":{"a":"str"},"nested4":{"a":42},"nested5":{"a":1.2},"nested6":{"a":false},"nested7":{"a":null}}`, OK},
		{"JSON.TYPE", "doc2", "$..a", Strs("object", "array", "string", "integer", "number", "boolean", "null")},
		{"JSON.TYPE", "doc2", "$.nested2.a", Strs("array")},
		{"JSON.TYPE", "doc2", "..a", Bulk("object")},
		{"JSON.TYPE", "doc2", Bulk("object")},
		{"JSON.TYPE", "non_existing_doc", "..a", Nil},
		// CLEAR
		{"JSON.SET", "doc1", "$", `{"nested1": {"a": {"foo": 10, "bar": 20}}, "a":["foo"], "nested2": {"a": "claro"}, "nested3": {"a": {"baz":50}}}`, OK},
		{"JSON.CLEAR", "doc1", "$..a", Int(3)},
		{"JSON.GET", "doc1", "$", Bulk(`[{"nested1":{"a":{}},"a":[],"nested2":{"a":"claro"},"nested3":{"a":{}}}]`)},
		{"JSON.CLEAR", "doc1", "$..a", Int(0)},
		{"JSON.CLEAR", "doc1", Int(1)},
		{"JSON.GET", "doc1", "$", Bulk(`[{}]`)},
		{"JSON.CLEAR", "non_existing_doc", "$..a", Err("ERR could not perform this operation on a key that doesn't exist")},
		// TOGGLE
		{"JSON.SET", "doc1", "$", `{"a":["foo"], "nested1": {"a": false}, "nested2": {"a": 31}, "nested3": {"a": true}}`, OK},
		{"JSON.TOGGLE", "doc1", "$..a", Arr(Nil, Int(1), Nil, Int(0))},
		{"JSON.GET", "doc1", "$", Bulk(`[{"a":["foo"],"nested1":{"a":true},"nested2":{"a":31},"nested3":{"a":false}}]`)},
		{"JSON.TOGGLE", "doc1", "$.nested1.a", Arr(Int(0))},
		{"JSON.TOGGLE", "doc1", ".nested1.a", Bulk("true")},
		{"JSON.TOGGLE", "doc1", ".a", Err("ERR Path '$.a' does not exist or not a bool")},
		{"JSON.TOGGLE", "non_existing_doc", "$..a", Err("ERR could not perform this operation on a key that doesn't exist")},
	})
}

// TestRESP3: test_resp3.py (JSON.GET without FORMAT answers as in RESP2,
// JSON.TYPE wraps its reply in an array).
func TestRESP3(t *testing.T) {
	c, _, _ := start(t)
	c.Hello3()
	MustDoAll(t, c, [][]string{
		{"SET", "test_not_JSON", "test_not_JSON", OK},
		{"JSON.SET", "test_resp3", "$", `{"a1":{"b":{"c":true,"d":null}},"a2":{"b":{"c":2}}}`, OK},
		{"JSON.GET", "test_resp3", "$", Bulk(`[{"a1":{"b":{"c":true,"d":null}},"a2":{"b":{"c":2}}}]`)},
		{"JSON.GET", "test_resp3", "$..b", Bulk(`[{"c":true,"d":null},{"c":2}]`)},
		{"JSON.GET", "test_resp3", "$.a3", Bulk(`[]`)},
		{"JSON.GET", "test_no_such_key", "$.a3", Null},
		{"JSON.GET", "test_not_JSON", "$.a3", Err(wrongType)},
		{"JSON.SET", "test_resp3", "$", `{"a1":{"b":{"c":1}},"a2":{"b":{"c":2}}}`, OK},
		{"JSON.DEL", "test_resp3", "$..b", Int(2)},
		{"JSON.DEL", "test_resp3", "$.a1.b", Int(0)},
		{"JSON.DEL", "test_no_such_key", "$.a1.b", Int(0)},
		{"JSON.DEL", "test_not_JSON", "$.a1.b", Err(wrongType)},
		{"JSON.MSET", "test_resp3_1{s}", "$", `{"a1":{"b":{"c":1}},"a2":{"b":{"c":2}}}`, "test_resp3_2{s}", "$", `{"a1":{"b":{"c":1}},"a2":{"b":{"c":2}}}`, OK},
		{"JSON.MSET", "test_no_such_key", "$.a1.b", "1", Err("ERR new objects must be created at the root")},
		{"JSON.MSET", "test_not_JSON", "$.a1.b", "1", Err(wrongType)},
		{"JSON.SET", "test_resp3", "$", `{"a1":{"b":{"c":1}},"a2":{"b":{"c":true}}, "a4":[1.2,2,3.32], "c":null}`, OK},
		{"JSON.TYPE", "test_resp3", "$.a1.b.c", Arr(Strs("integer"))},
		{"JSON.TYPE", "test_resp3", "$..b", Arr(Strs("object", "object"))},
		{"JSON.TYPE", "test_resp3", "$.a3", Arr(Strs())},
		{"JSON.TYPE", "test_resp3", "$.a4[*]", Arr(Strs("number", "integer", "number"))},
		{"JSON.TYPE", "test_resp3", "$..c", Arr(Strs("null", "integer", "boolean"))},
		{"JSON.TYPE", "test_no_such_key", "$.a1.b.c", Arr(Null)},
		{"JSON.TYPE", "test_not_JSON", "$.a1.b.c", Err(wrongType)},
		{"JSON.MERGE", "test_resp3", "$", `{"a3":4}`, OK},
		{"JSON.MERGE", "test_not_JSON", "$", `{"a3":4}`, Err(wrongType)},
	})
}

// TestMerge: the JSON.MERGE docs' examples (RFC 7396).
func TestMerge(t *testing.T) {
	c, rec, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "doc", "$", `{"a":2}`, OK},
		{"JSON.MERGE", "doc", "$.a", `3`, OK},
		{"JSON.GET", "doc", "$", Bulk(`[{"a":3}]`)},
		{"JSON.MERGE", "doc", "$.b", `8`, OK},
		{"JSON.GET", "doc", "$", Bulk(`[{"a":3,"b":8}]`)},
		{"JSON.MERGE", "doc", "$", `{"a":null}`, OK}, // "Delete on existing value"
		{"JSON.GET", "doc", "$", Bulk(`[{"b":8}]`)},
		{"JSON.SET", "doc", "$", `{"a":[2,4,6,8]}`, OK},
		{"JSON.MERGE", "doc", "$.a", `[10,12]`, OK}, // "Replace an Array"
		{"JSON.GET", "doc", "$", Bulk(`[{"a":[10,12]}]`)},
		{"JSON.SET", "doc", "$", `{"f1": {"a":1}, "f2":{"a":2}}`, OK},
		{"JSON.MERGE", "doc", "$..a", `3`, OK}, // "Merge changes in multi-paths"
		{"JSON.GET", "doc", Bulk(`{"f1":{"a":3},"f2":{"a":3}}`)},
		// At a path, a null patch is the new value (the module merges the
		// value found there with the patch: a non-object patch replaces it).
		{"JSON.MERGE", "doc", "$.f1.a", `null`, OK},
		{"JSON.GET", "doc", Bulk(`{"f1":{"a":null},"f2":{"a":3}}`)},
		// A new member gets the value as given (dict_add).
		{"JSON.MERGE", "doc", "$.f1.n", `{"x":null}`, OK},
		{"JSON.GET", "doc", "$.f1.n", Bulk(`[{"x":null}]`)},
		{"JSON.MERGE", "doc", "$..zz", `1`, Err("Err wrong static path")},
		// RFC 7396 at the root (worked out by hand from the RFC's rules).
		{"JSON.SET", "doc", "$", `{"a":{"b":1,"c":{"d":2}},"e":[1]}`, OK},
		{"JSON.MERGE", "doc", "$", `{"a":{"b":null,"c":{"x":3}},"e":[2,3],"f":{"g":null,"h":1}}`, OK},
		{"JSON.GET", "doc", "$", Bulk(`[{"a":{"c":{"d":2,"x":3}},"e":[2,3],"f":{"h":1}}]`)},
		{"JSON.MERGE", "nokey", "$.a", `1`, Err("ERR new objects must be created at the root")},
	})
	rec.take()
}

// TestKeyspace: a JSON key with the generic commands, WRONGTYPE both ways,
// the module's events, RESP and DEBUG MEMORY's help.
func TestKeyspace(t *testing.T) {
	c, rec, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "j", "$", `{"a":[1,2],"b":"x","t":true,"n":null,"f":1.5}`, OK},
		{"TYPE", "j", Status("ReJSON-RL")},
		{"EXISTS", "j", Int(1)},
		{"GET", "j", Err(wrongType)},
		{"LPUSH", "j", "x", Err(wrongType)},
		{"SET", "s", "v", OK},
		{"JSON.GET", "s", Err(wrongType)},
		{"JSON.SET", "s", "$", "1", Err(wrongType)},
		{"JSON.ARRAPPEND", "s", "$", "1", Err(wrongType)},
		{"COPY", "j", "j2", Int(1)},
		{"JSON.SET", "j2", "$.b", `"y"`, OK},
		{"JSON.GET", "j", "$.b", Bulk(`["x"]`)},
		{"RENAME", "j2", "j3", OK},
		{"JSON.GET", "j3", ".b", Bulk(`"y"`)},
		{"EXPIRE", "j3", "100", Int(1)},
		{"TTL", "j3", Int(100)},
		{"SCAN", "0", "TYPE", "ReJSON-RL", "MATCH", "j3", "COUNT", "100", Arr(Bulk("0"), Strs("j3"))},
		{"SCAN", "0", "TYPE", "string", "MATCH", "j3", "COUNT", "100", Arr(Bulk("0"), Strs())},
	})
	MustDoAll(t, c, [][]string{
		{"JSON.RESP", "j", Arr(Status("{"), Bulk("a"), Arr(Status("["), Int(1), Int(2)), Bulk("b"), Bulk("x"), Bulk("t"), Status("true"), Bulk("n"), Nil, Bulk("f"), Bulk("1.5"))},
		{"JSON.RESP", "j", "$.a", Arr(Arr(Status("["), Int(1), Int(2)))},
		{"JSON.DEBUG", "HELP", Strs("MEMORY <key> [path] - reports memory usage", "HELP                - this message")},
		{"JSON.DEBUG", "NOPE", Err("ERR unknown subcommand - try `JSON.DEBUG HELP`")},
		{"JSON.DEBUG", "MEMORY", "nokey", Int(0)},
		{"DEL", "j", "j3", "s", Int(3)},
	})
	if got, want := rec.take(), "json.set:j set:s copy_to:j2 json.set:j2 rename_from:j2 rename_to:j3 expire:j3 del:j del:j3 del:s"; got != want {
		t.Fatalf("events %q\nwant   %q", got, want)
	}
}

// TestWatchAndKeys: a JSON write touches WATCHers (through the module's
// notification), even a write that changes nothing (the key was opened for
// writing, as RedisModule_CloseKey signals); COMMAND GETKEYS knows the
// commands' keys.
func TestWatchAndKeys(t *testing.T) {
	c, _, s := start(t)
	other := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "w", "$", `{"a":1}`, OK},
		{"WATCH", "w", OK},
	})
	MustDo(t, other, "JSON.NUMINCRBY", "w", "$.a", "1", Bulk("[2]"))
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"JSON.GET", "w", Status("QUEUED")},
		{"EXEC", NilArray},
		{"WATCH", "w", OK},
	})
	MustDo(t, other, "JSON.SET", "w", "$", "1", "NX", Nil)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"JSON.GET", "w", Status("QUEUED")},
		{"EXEC", NilArray},
		{"COMMAND", "GETKEYS", "JSON.MSET", "a", "$", "1", "b", "$", "2", Strs("a", "b")},
		{"COMMAND", "GETKEYS", "JSON.MGET", "a", "b", "$", Strs("a", "b")},
		{"COMMAND", "GETKEYS", "JSON.DEBUG", "MEMORY", "k", Strs("k")},
	})
}

// TestMissingKeyBeforePath: on a missing key the module answers before it
// compiles the path (JSON.TYPE/STRLEN/ARRLEN/OBJKEYS… read the key first),
// while on an existing key a bad path is an error.
func TestMissingKeyBeforePath(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.TYPE", "nokey", "$[", Nil},
		{"JSON.GET", "nokey", "$[", Nil},
		{"JSON.DEL", "nokey", "$[", Int(0)},
		{"JSON.ARRLEN", "nokey", "x[", Nil},
		{"JSON.OBJKEYS", "nokey", "x[", Nil},
		{"JSON.STRLEN", "nokey", "$[", Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.NUMINCRBY", "nokey", "$[", "1", Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.ARRINDEX", "nokey", "$[", "1", Err("ERR Path '$[' does not exist")},
		{"JSON.SET", "nokey", "$[", "1", Err("ERR new objects must be created at the root")},
		{"JSON.SET", "k", "$", "1", OK},
		{"JSON.TYPE", "k", "$[", Err(`Error occurred on position 2, "$[ <<<<----", expected one of the following: '<string>[,<string>,...]', '<number>', ['start:end:steps'], '*'.`)},
	})
}

// TestRootSetKeepsTTL: JSON.SET of the root of an existing document
// replaces the value in place (the module's set_root keeps the key, so its
// TTL), while DEL and a new JSON.SET make a new key without one.
func TestRootSetKeepsTTL(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "t", "$", `{"a":1}`, OK},
		{"EXPIRE", "t", "100", Int(1)},
		{"JSON.SET", "t", "$", `[1]`, OK},
		{"TTL", "t", Int(100)},
		{"JSON.MSET", "t", ".", `2`, OK},
		{"TTL", "t", Int(100)},
		{"JSON.DEL", "t", "$", Int(1)},
		{"JSON.SET", "t", "$", `3`, OK},
		{"TTL", "t", Int(-1)},
	})
}
