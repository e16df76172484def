package rejson_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestMergeModuleTests: RedisJSON's tests/pytest/test.py testMerge,
// testMergeArray and testMergeNested, replies as the tests assert them.
// A null patch at a path is not RFC 7396's "delete the member": the module
// merges the value found at the path with the patch (ivalue_manager.rs
// merge_value -> replace(path, |current| current.merge(patch))), and a
// non-object patch replaces the value, so `$.a null` leaves "a":null; only
// a null member inside an object patch deletes (merge's map.remove). A
// deleted member's place goes to the object's last one (ijson's removal),
// hence {"h":"i","e":"f"} below, as the test asserts.
func TestMergeModuleTests(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "test_merge", "$", `{"a":{"b":{"c":"d"}}}`, OK},
		{"JSON.MERGE", "test_merge", "$", `{"a":{"b":{"e":"f"}}}`, OK},
		{"JSON.GET", "test_merge", Bulk(`{"a":{"b":{"c":"d","e":"f"}}}`)},
		{"JSON.MERGE", "test_merge", "$.a.b", `{"h":"i"}`, OK},
		{"JSON.GET", "test_merge", Bulk(`{"a":{"b":{"c":"d","e":"f","h":"i"}}}`)},
		{"JSON.MERGE", "test_merge", "$.a.b", `{"c":null}`, OK},
		{"JSON.GET", "test_merge", Bulk(`{"a":{"b":{"h":"i","e":"f"}}}`)},
		{"JSON.MERGE", "test_merge_new", "$.a", `{"a":"i"}`, Err("ERR new objects must be created at the root")},
		{"JSON.MERGE", "test_merge_new", "$", `{"h":"i"}`, OK},
		{"JSON.GET", "test_merge_new", Bulk(`{"h":"i"}`)},
		// testMergeArray
		{"JSON.SET", "test_merge_array", "$", `{"a":{"b":{"c":["d","e"]}}}`, OK},
		{"JSON.MERGE", "test_merge_array", "$.a.b.c", `["f"]`, OK},
		{"JSON.GET", "test_merge_array", Bulk(`{"a":{"b":{"c":["f"]}}}`)},
		{"JSON.SET", "test_merge_array", "$", `{"a":{"b":{"c":"d"}}}`, OK},
		{"JSON.MERGE", "test_merge_array", "$.a.b.c", `["f"]`, OK},
		{"JSON.GET", "test_merge_array", Bulk(`{"a":{"b":{"c":["f"]}}}`)},
		{"JSON.SET", "test_merge_array", "$", `{"a":{"b":{"c":["d","e"]}}}`, OK},
		{"JSON.MERGE", "test_merge_array", "$.a.b", `{"c":null}`, OK},
		{"JSON.GET", "test_merge_array", Bulk(`{"a":{"b":{}}}`)},
		// testMergeNested (the dynamic-path case)
		{"JSON.SET", "test_merge_nested", "$", `{"a":{"b1":{"f":{"c1":1}}, "b2":{"f":{"c2":2}}}}`, OK},
		{"JSON.MERGE", "test_merge_nested", "$.a.*", `{"f":{"t":6}}`, OK},
		{"JSON.GET", "test_merge_nested", Bulk(`{"a":{"b1":{"f":{"c1":1,"t":6}},"b2":{"f":{"c2":2,"t":6}}}}`)},
		// A null at a path (see above): the member stays, as null; a null
		// patch for a member that does not exist is added as it is
		// (dict_add inserts the value unexamined).
		{"JSON.SET", "m", "$", `{"a":2,"b":{}}`, OK},
		{"JSON.MERGE", "m", "$.a", `null`, OK},
		{"JSON.MERGE", "m", "$.b.x", `null`, OK},
		{"JSON.GET", "m", Bulk(`{"a":null,"b":{"x":null}}`)},
	})
}

// TestNumOpBadNumber: the number argument of JSON.NUMINCRBY/NUMMULTBY is
// read by ivalue_manager.rs do_num_op, once per numeric value the path
// matched: serde_json::from_str(num)? turns text that is not JSON into
// "ERR " + serde_json's message (redis-module's From<std::error::Error> for
// RedisError), JSON that is not a number into "bad input number" (no
// error code); when nothing numeric matched, the argument is never read.
func TestNumOpBadNumber(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "n", "$", `{"a":1,"s":"x"}`, OK},
		{"JSON.NUMINCRBY", "n", "$.a", "abc", Err("ERR expected value at line 1 column 1")},
		{"JSON.NUMINCRBY", "n", "$.a", "1x", Err("ERR trailing characters at line 1 column 2")},
		{"JSON.NUMINCRBY", "n", "$.a", `"x"`, Err("bad input number")},
		{"JSON.NUMMULTBY", "n", "$.a", `[1]`, Err("bad input number")},
		{"JSON.NUMMULTBY", "n", ".a", `{}`, Err("bad input number")},
		{"JSON.NUMINCRBY", "n", "$.s", "abc", Bulk("[null]")},
		{"JSON.NUMINCRBY", "n", "$.nope", "abc", Bulk("[]")},
		{"JSON.NUMINCRBY", "n", ".s", "abc", Err("ERR Path '$.s' does not exist or does not contains a number")},
		{"JSON.NUMINCRBY", "nokey", "$.a", "abc", Err("ERR could not perform this operation on a key that doesn't exist")},
		{"JSON.GET", "n", Bulk(`{"a":1,"s":"x"}`)},
		{"JSON.NUMINCRBY", "n", "$.a", "2", Bulk("[3]")},
	})
}

// TestGetFormat: JSON.GET's FORMAT {STRING|EXPAND1|EXPAND} (Redis 8.2's
// RedisJSON: commands.rs json_get, key_value.rs to_resp3/value_to_resp3).
// The EXPAND replies are test_resp3.py test_resp3_set_get_expand_format's
// (which compares decoded maps; a map's order here is the document's, as
// the module iterates the same object it serializes); EXPAND1 and the
// errors are worked out from the source: EXPAND1 gives scalars as RESP3
// types and containers and strings as serialized JSON, EXPAND expands all.
func TestGetFormat(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"a1":{"b":{"c":true,"d":null}},"a2":{"b":{"c":2, "e":[1,true, {"f":null}]}}}`
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "test_resp3", "$", doc, OK},
		// RESP2: refused before any path, ignored after one.
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$", Err("ERR FORMAT argument is not supported on RESP2")},
		{"JSON.GET", "test_resp3", "$.a1", "FORMAT", "EXPAND", Bulk(`[{"b":{"c":true,"d":null}}]`)},
		// test_resp3.py test_fail_with_resp2: FORMAT after a path is still
		// the option (not a path named FORMAT), and ignored on RESP2.
		{"JSON.SET", "doc", "$", `{"a":[1, 2, 3], "FORMAT": [1]}`, OK},
		{"JSON.GET", "doc", "FORMAT", "EXPAND", "$", Err("ERR FORMAT argument is not supported on RESP2")},
		// (the test json.loads it; INDENT without NEWLINE indents each
		// element by one level: formatter.rs new_line)
		{"JSON.GET", "doc", "INDENT", " ", "$.a[0]", "FORMAT", "EXPAND", Bulk(`[ 1]`)},
	})
	c.Hello3()
	b1 := Map3(Bulk("c"), "#t\r\n", Bulk("d"), Null)
	b2 := Map3(Bulk("c"), Int(2), Bulk("e"), Arr(Int(1), "#t\r\n", Map3(Bulk("f"), Null)))
	a1 := Map3(Bulk("b"), b1)
	a2 := Map3(Bulk("b"), b2)
	MustDoAll(t, c, [][]string{
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$", Arr(Arr(Map3(Bulk("a1"), a1, Bulk("a2"), a2)))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$..b", Arr(Arr(b1, b2))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$.a1", "$.a2", Arr(Arr(a1), Arr(a2))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$.a1", "$.a3", "$.a2", Arr(Arr(a1), Arr(), Arr(a2))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", "$.a3", Arr(Arr())},
		{"JSON.GET", "test_no_such_key", "FORMAT", "EXPAND", "$.a3", Null},
		{"SET", "test_not_JSON", "x", OK},
		{"JSON.GET", "test_not_JSON", "FORMAT", "EXPAND", "$.a3", Err(wrongType)},
		// STRING is the default reply.
		{"JSON.GET", "test_resp3", "FORMAT", "STRING", "$..b", Bulk(`[{"c":true,"d":null},{"c":2,"e":[1,true,{"f":null}]}]`)},
		// EXPAND1; a legacy path is evaluated as its JSONPath; a path that
		// does not compile is an empty array.
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND1", "$..b", Arr(Arr(Bulk(`{"c":true,"d":null}`), Bulk(`{"c":2,"e":[1,true,{"f":null}]}`)))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND1", "$..c", Arr(Arr("#t\r\n", Int(2)))},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND1", ".a2.b.e", "$[", Arr(Arr(Bulk(`[1,true,{"f":null}]`)), Arr())},
		{"JSON.GET", "test_resp3", "FORMAT", "EXPAND", Arr(Arr(Map3(Bulk("a1"), a1, Bulk("a2"), a2)))},
		{"JSON.SET", "s", "$", `{"s":"hi","n":1.5}`, OK},
		{"JSON.GET", "s", "FORMAT", "EXPAND", "$.s", "$.n", Arr(Arr(Bulk("hi")), Arr(Double3("1.5")))},
		{"JSON.GET", "s", "FORMAT", "EXPAND1", "$.s", Arr(Arr(Bulk(`"hi"`)))},
		// The token is matched exactly; STRINGS is refused.
		{"JSON.GET", "s", "FORMAT", "expand", "$", Err("ERR wrong reply format")},
		{"JSON.GET", "s", "FORMAT", "STRINGS", "$", Err("ERR wrong reply format")},
		{"JSON.GET", "s", "FORMAT", "XML", "$", Err("ERR wrong reply format")},
		{"JSON.GET", "s", "FORMAT", Err("ERR wrong number of arguments for 'JSON.GET' command")},
	})
}

// TestArrPopFormat: JSON.ARRPOP [FORMAT STRINGS|EXPAND1|EXPAND] (commands.rs
// json_arr_pop of the same RedisJSON as JSON.GET's FORMAT). Replies from
// test_resp3.py: test_resp_json_arrpop, _format_expand, _format_expand1,
// _format_strings, test_fail_with_resp2 and test_resp_default_path. Where
// the test only says raiseError, the text is the source's: a legacy path
// with EXPAND/EXPAND1 is "Legacy paths are supported only with FORMAT
// STRINGS" (no ERR), "JSON" is not a ReplyFormat, a non-JSON key fails
// opening the key (WRONGTYPE).
func TestArrPopFormat(t *testing.T) {
	c, _, _ := start(t)
	const doc = `{"a":[{"b":2},{"g":[1,2]},3]}`
	MustDoAll(t, c, [][]string{
		// test_fail_with_resp2
		{"JSON.SET", "doc", "$", `{"a":[1, 2, 3], "FORMAT": [1]}`, OK},
		{"JSON.ARRPOP", "doc", "FORMAT", "STRINGS", "$", "0", Err("ERR FORMAT argument is not supported on RESP2")},
		{"JSON.ARRPOP", "doc", "FORMAT", "$", "0", Err("ERR wrong reply format")},
		{"JSON.ARRPOP", "doc", "FORMAT", Bulk("1")}, // FORMAT alone is the path
	})
	c.Hello3()
	MustDoAll(t, c, [][]string{
		// Default and FORMAT STRINGS: JSON text.
		{"JSON.SET", "test_resp3", "$", doc, OK},
		{"JSON.ARRPOP", "test_resp3", "$.a", "1", Arr(Bulk(`{"g":[1,2]}`))},
		{"JSON.ARRPOP", "test_resp3", "$.a", Arr(Bulk("3"))},
		{"JSON.ARRPOP", "test_resp3", "$.a", "0", Arr(Bulk(`{"b":2}`))},
		{"JSON.SET", "test_resp3", "$", doc, OK},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRINGS", "$.a", "1", Arr(Bulk(`{"g":[1,2]}`))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRINGS", "$.a", Arr(Bulk("3"))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRINGS", "$.a", "0", Arr(Bulk(`{"b":2}`))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRINGS", ".a[1]", Err(`ERR Path '$.a[1]' does not exist or not an array`)},
		{"SET", "test_not_JSON", "test_not_JSON", OK},
		{"JSON.ARRPOP", "test_not_JSON", "$.a1", Err(wrongType)},
		{"JSON.ARRPOP", "test_not_JSON", "FORMAT", "EXPAND", "$.a1", Err(wrongType)},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "JSON", ".a[1]", Err("ERR wrong reply format")},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "JSON", "$.a[1]", Err("ERR wrong reply format")},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRING", "$.a[1]", Err("ERR wrong reply format")},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "STRING", "$a[1]", Err("ERR wrong reply format")},
		// EXPAND: values as RESP3.
		{"JSON.SET", "test_resp3", "$", doc, OK},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND", "$.a", "1", Arr(Map3(Bulk("g"), Arr(Int(1), Int(2))))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND", "$.a", Arr(Int(3))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND", "$.a", "0", Arr(Map3(Bulk("b"), Int(2)))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND", ".a[1]", Err("Legacy paths are supported only with FORMAT STRINGS")},
		{"JSON.ARRPOP", "nokey", "FORMAT", "EXPAND", Err("Legacy paths are supported only with FORMAT STRINGS")},
		// EXPAND1: scalars as RESP3, containers as JSON text.
		{"JSON.SET", "test_resp3", "$", doc, OK},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND1", "$.a", "1", Arr(Bulk(`{"g":[1,2]}`))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND1", "$.a", Arr(Int(3))},
		{"JSON.ARRPOP", "test_resp3", "FORMAT", "EXPAND1", "$.a", "0", Arr(Bulk(`{"b":2}`))},
		{"JSON.ARRPOP", "test_not_JSON", "FORMAT", "JSON", "$.a1", Err("ERR wrong reply format")},
		// test_resp_default_path
		{"JSON.SET", "test_resp3_arr", "$", `[true, 1, "dud"]`, OK},
		{"JSON.ARRPOP", "test_resp3_arr", Bulk(`"dud"`)},
		{"JSON.ARRLEN", "test_resp3_arr", Int(2)},
	})
}

// TestDebugMemory: JSON.DEBUG MEMORY from ijson's layouts (see
// jsonv.Value.MemoryUsage). Each figure is worked out by hand; the module
// records two of them.
//
// test_resp3.py test_resp_default_path records 424 for
// {"a":[{"b":2},{"g":[1,2]},3]}:
//
//	root IValue                                   8
//	root object, cap 4: 8 + 4*16 + (4+1)*8      112   key "a" inline
//	"a" array, 3 pushed -> cap 4: 8 + 4*8        40
//	{"b":2}: object cap 4                       112   "b", 2 inline
//	{"g":[1,2]}: object cap 4                   112   "g" inline
//	[1,2]: array cap 4                           40   1, 2, 3 inline
//	                                            ---
//	                                            424
//
// test_multi.py testDebugCommand records, for load_types_data('a')
// ({"nested1":{"a":{}}, "nested2":{"a":[]}, ... "nested7":{"a":null}}):
// $..a -> [8, 8, 8, 8, 16, 8, 8] ({} and [] allocate nothing, "str" is
// inline, 42 is inline, 1.2 has an 8-byte payload), $.nested2.a -> [8],
// ..a -> 8, reproduced below; its root figure is 8 + 216 (7 keys -> cap 8:
// 8 + 8*16 + 10*8) + 7*112 + 8 = 1016 here. The 1080 that test_multi.py
// records comes from an older module generation, not from capacities
// (which are tracked, see TestDebugMemoryCapacity): the only stored
// test_multi.py with 1080 predates the module's RESP3/ARRPOP FORMAT tests,
// and Diggsey/ijson of that time has `struct Header { len: usize, cap:
// usize }` (16 bytes) in array.rs and object.rs, where the ijson of the
// 424 generation packs both into one u64 (8 bytes). With 16-byte headers:
// 8 + (16 + 128 + 80) + 7*(16 + 64 + 40) + 8 = 1080 exactly, and 424
// above would be 8 + 120 + 48 + 120 + 120 + 48 = 464. Each figure belongs
// to its own layout; this follows the newer one, whose ARRPOP FORMAT and
// RESP3 replies the module here follows.
func TestDebugMemory(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "test_resp3", "$", `{"a":[{"b":2},{"g":[1,2]},3]}`, OK},
		{"JSON.DEBUG", "MEMORY", "test_resp3", Int(424)},
		{"JSON.SET", "doc1", "$", `{"nested1":{"a":{}},"nested2":{"a":[]},"nested3":{"a":"str"},"nested4":{"a":42},"nested5":{"a":1.2},"nested6":{"a":false},"nested7":{"a":null}}`, OK},
		{"JSON.DEBUG", "MEMORY", "doc1", "$..a", Arr(Int(8), Int(8), Int(8), Int(8), Int(16), Int(8), Int(8))},
		{"JSON.DEBUG", "MEMORY", "doc1", "$.nested2.a", Arr(Int(8))},
		{"JSON.DEBUG", "MEMORY", "doc1", "..a", Int(8)},
		{"JSON.DEBUG", "MEMORY", "doc1", Int(1016)},
		// Scalars: integers inline up to 2^61; beyond, and floats, 8 more.
		{"JSON.SET", "s", "$", `[2305843009213693951,2305843009213693952,-2305843009213693952,-2305843009213693953,18446744073709551615,0.5]`, OK},
		{"JSON.DEBUG", "MEMORY", "s", "$[*]", Arr(Int(8), Int(16), Int(8), Int(16), Int(16), Int(16))},
		// Strings: up to 7 bytes inline; 8 bytes: 8 + pad8(4+8) = 24;
		// 12 bytes: 8 + pad8(4+12) = 24; 13 bytes: 8 + pad8(17) = 32.
		{"JSON.SET", "t", "$", `["","1234567","12345678","123456789012","1234567890123"]`, OK},
		{"JSON.DEBUG", "MEMORY", "t", "$[*]", Arr(Int(8), Int(8), Int(24), Int(24), Int(32))},
		// The whole array: 5 pushed -> cap 8: 8 + (8+8*8) + 16+16+24 = 136.
		{"JSON.DEBUG", "MEMORY", "t", Int(136)},
		// An object's long keys count too: 9 keys -> cap 16:
		// 8 + (8 + 16*16 + 20*8) = 432, and the 8-byte key "abcdefgh" 16.
		// (Values 1..9 are inline.)
		{"JSON.SET", "o", "$", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"abcdefgh":9}`, OK},
		{"JSON.DEBUG", "MEMORY", "o", Int(448)},
	})
}

// TestDebugMemoryCapacity: JSON.DEBUG MEMORY follows ijson's capacities
// through writes (ijson array.rs/object.rs reserve, truncate, clear,
// clone_impl; RedisJSON ivalue_manager.rs arr_append, arr_insert, update,
// replace, merge, commands.rs json_set). Layout as in TestDebugMemory: an
// IValue 8, an array of capacity c 8 + 8c, an object of capacity c
// 8 + 16c + 8(c + c/4); small integers inline. Figures by hand.
func TestDebugMemoryCapacity(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		// Parsing pushes: 5 members -> cap 8: 8 + (8 + 64) = 80.
		{"JSON.SET", "a", "$", "[1,2,3,4,5]", OK},
		{"JSON.DEBUG", "MEMORY", "a", Int(80)},
		// Removals keep the capacity (remove, truncate, clear).
		{"JSON.ARRPOP", "a", Bulk("5")},
		{"JSON.ARRPOP", "a", "$", "0", Arr(Bulk("1"))},
		{"JSON.DEBUG", "MEMORY", "a", Int(80)},
		{"JSON.ARRTRIM", "a", "$", "0", "0", Arr(Int(1))},
		{"JSON.DEBUG", "MEMORY", "a", Int(80)},
		{"JSON.CLEAR", "a", Int(1)},
		{"JSON.GET", "a", Bulk("[]")},
		{"JSON.DEBUG", "MEMORY", "a", Int(80)},
		// COPY clones: capacity = length 5: 8 + (8 + 40) = 56.
		{"JSON.SET", "a", "$", "[1,2,3,4,5]", OK},
		{"COPY", "a", "a2", Int(1)},
		{"JSON.DEBUG", "MEMORY", "a2", Int(56)},
		// ARRAPPEND pushes clones one by one: [] -> cap 4 (48), the
		// fifth -> cap 8 (80); an appended [1,2] is a clone of capacity 2:
		// 8 + 40 + (8 + 16) = 72.
		{"JSON.SET", "b", "$", "[]", OK},
		{"JSON.DEBUG", "MEMORY", "b", Int(8)},
		{"JSON.ARRAPPEND", "b", "$", "1", Arr(Int(1))},
		{"JSON.DEBUG", "MEMORY", "b", Int(48)},
		{"JSON.ARRAPPEND", "b", "$", "2", "3", "4", Arr(Int(4))},
		{"JSON.DEBUG", "MEMORY", "b", Int(48)},
		{"JSON.ARRAPPEND", "b", "$", "5", Arr(Int(5))},
		{"JSON.DEBUG", "MEMORY", "b", Int(80)},
		{"JSON.SET", "b", "$", "[]", OK},
		{"JSON.ARRAPPEND", "b", "$", "[1,2]", Arr(Int(1))},
		{"JSON.DEBUG", "MEMORY", "b", Int(72)},
		// ARRINSERT reserves for all its values at once: [1,2,3,4]
		// (cap 4) + 5 values: max(2*4, 9, 4) = 9: 8 + (8 + 72) = 88
		// (one by one it would be 16: 144).
		{"JSON.SET", "i", "$", "[1,2,3,4]", OK},
		{"JSON.ARRINSERT", "i", "$", "0", "5", "6", "7", "8", "9", Arr(Int(9))},
		{"JSON.DEBUG", "MEMORY", "i", Int(88)},
		// A write through an object member takes an entry first, and a
		// full object grows: {"a".."d"} cap 4: 8 + 112 = 120; after
		// NUMINCRBY $.a, cap 8: 8 + (8 + 128 + 80) = 224. Also DEL.
		{"JSON.SET", "o", "$", `{"a":1,"b":2,"c":3,"d":4}`, OK},
		{"JSON.DEBUG", "MEMORY", "o", Int(120)},
		{"JSON.NUMINCRBY", "o", "$.a", "1", Bulk("[2]")},
		{"JSON.DEBUG", "MEMORY", "o", Int(224)},
		{"JSON.SET", "o", "$", `{"a":1,"b":2,"c":3,"d":4}`, OK},
		{"JSON.DEL", "o", "$.a", Int(1)},
		{"JSON.DEBUG", "MEMORY", "o", Int(224)},
		// Not when the object has room: {"a":1} (cap 4) stays 8 + 112.
		{"JSON.SET", "o", "$", `{"a":1}`, OK},
		{"JSON.SET", "o", "$.a", "2", OK},
		{"JSON.DEBUG", "MEMORY", "o", Int(120)},
		// JSON.SET: one place gets the parsed value (cap 4: 40), several
		// get clones (cap 3: 8 + 24 = 32 each).
		{"JSON.SET", "s1", "$", `{"a":0}`, OK},
		{"JSON.SET", "s1", "$.a", "[1,2,3]", OK},
		{"JSON.DEBUG", "MEMORY", "s1", Int(8 + 112 + 40)},
		{"JSON.SET", "s2", "$", `{"a":0,"b":0}`, OK},
		{"JSON.SET", "s2", "$.*", "[1,2,3]", OK},
		{"JSON.DEBUG", "MEMORY", "s2", Int(8 + 112 + 32 + 32)},
		// JSON.MERGE: a non-object patch value is cloned (cap 3: 32); an
		// object patch into a non-object builds it entry by entry (cap 4).
		{"JSON.SET", "m", "$", `{"a":1}`, OK},
		{"JSON.MERGE", "m", "$", `{"b":[1,2,3]}`, OK},
		{"JSON.DEBUG", "MEMORY", "m", Int(8 + 112 + 32)},
		{"JSON.SET", "m", "$", `{"a":1}`, OK},
		{"JSON.MERGE", "m", "$.a", `{"x":1}`, OK},
		{"JSON.DEBUG", "MEMORY", "m", Int(8 + 112 + 112)},
	})
}

// TestFilterLoneLiteral: "[?(1)]" is valid in the module's grammar
// (single_filter = term ~ op ~ term | term) and, a literal never being an
// invalid term, selects every member (json_path.rs evaluate_single_filter).
// A filter step on a scalar tests the scalar itself (calc_internal's
// Rule::filter), so after ".." (calc_full_scan: the filter on the node,
// then on each member value, recursively) every scalar member comes again:
// root -> [1,2], {"c":3}; [1,2] -> 1, 2; 1 -> 1; 2 -> 2; {"c":3} -> 3;
// 3 -> 3.
func TestFilterLoneLiteral(t *testing.T) {
	c, _, _ := start(t)
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "f", "$", `{"a":[1,2],"b":{"c":3}}`, OK},
		{"JSON.GET", "f", "$.a[?(1)]", Bulk("[1,2]")},
		{"JSON.GET", "f", "$.b[?(false)]", Bulk("[3]")},
		{"JSON.GET", "f", "$..[?(null)]", Bulk(`[[1,2],{"c":3},1,2,1,2,3,3]`)},
		{"JSON.GET", "f", "$.b.c[?(@==3)]", Bulk("[3]")},
		{"JSON.GET", "f", "$.b.c[?(@==4)]", Bulk("[]")},
	})
}
