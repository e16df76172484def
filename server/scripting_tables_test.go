package server_test

import (
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestScriptSetmetatableRawset: the sandbox's setmetatable and rawset
// refuse only the read-only tables (replies of redis-server 7.0.15).
func TestScriptSetmetatableRawset(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"EVAL", "local t = setmetatable({}, {__index=function() return 'd' end}) rawset(t, 'a', 'x') return {t.a, t.b}", "0", Arr(Bulk("x"), Bulk("d"))},
		{"EVAL", "setmetatable(KEYS, {}) return #KEYS", "1", "a", Int(1)},
		{"EVAL", "rawset(redis, 'a', 1)", "0", Err("ERR Attempt to modify a readonly table script: fcc9e849ffd189de48a39c5b0f2d084c8da14701, on @user_script:1.")},
	})
}

// TestScriptArgTablesNotShared: scripts that only index KEYS and ARGV get
// the same two tables at each call (scripting_tables.go); a script that
// can keep its tables must get its own, and so must a FUNCTION, whose
// loadstring'd code reads the globals. A kept table must still hold the
// strings of the call that kept it after later calls (as in Redis, where
// each call has new tables; redis-server 7.0.15 has no place to keep one:
// the string metatable and the globals are read-only there).
func TestScriptArgTablesNotShared(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	const indexed = "return {KEYS[1], ARGV[1], #KEYS}"
	MustDoAll(t, c, [][]string{
		{"EVAL", indexed, "1", "k-first", "a-first", Arr(Bulk("k-first"), Bulk("a-first"), Int(1))},
		// The string metatable is read-only, as in redis-server 7.0.15 (its
		// replies), so no table can be kept there.
		{"EVAL", "getmetatable('').kept = {KEYS, ARGV} return #KEYS", "2", "k-kept", "k2-kept", "a-kept",
			Err("ERR user_script:1: Attempt to modify a readonly table script: f30f63c288dae979795a85324e6f0994f85c4d79, on @user_script:1.")},
		{"EVAL", "getmetatable('').__index = 1 return 1", "0",
			Err("ERR user_script:1: Attempt to modify a readonly table script: e6229a5f3d3561226936394fffb5ff8151f634bd, on @user_script:1.")},
		{"EVAL", "return {type(getmetatable('')), ('abc'):upper()}", "0", Arr(Bulk("table"), Bulk("ABC"))},
		{"EVAL", indexed, "1", "k-later", "a-later", Arr(Bulk("k-later"), Bulk("a-later"), Int(1))},
		// Kept by a library's function, through loadstring.
		{"FUNCTION", "LOAD", "#!lua name=keeplib\nlocal kept\nredis.register_function('keep', function() kept = kept or loadstring('return KEYS')() return kept[1] end)", Bulk("keeplib")},
		{"EVAL", indexed, "1", "k-eval", "a-eval", Arr(Bulk("k-eval"), Bulk("a-eval"), Int(1))},
		{"FCALL", "keep", "0", Bulk("k-eval")},
		{"EVAL", indexed, "1", "k-after", "a-after", Arr(Bulk("k-after"), Bulk("a-after"), Int(1))},
		{"FCALL", "keep", "0", Bulk("k-eval")},
		// Same key again, then one of the same length.
		{"EVAL", indexed, "1", "k-after", "a-after", Arr(Bulk("k-after"), Bulk("a-after"), Int(1))},
		{"EVAL", indexed, "1", "k-aftex", "a-aftex", Arr(Bulk("k-aftex"), Bulk("a-aftex"), Int(1))},
		// Fewer keys than the last call: the reused table's length follows.
		{"EVAL", "return {#KEYS, ARGV[1], tostring(KEYS[1]), #ARGV}", "1", "k-one", "a-one", Arr(Int(1), Bulk("a-one"), Bulk("k-one"), Int(1))},
		{"EVAL", "return {#KEYS, ARGV[1], tostring(KEYS[1]), #ARGV}", "0", "a-only", Arr(Int(0), Bulk("a-only"), Bulk("nil"), Int(1))},
	})
}

// TestEvalshaAfterFlush: EVALSHA remembers the script it ran last; SCRIPT
// FLUSH forgets it (replies of redis-server 7.0.15).
func TestEvalshaAfterFlush(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	const sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db" // sha1sum of "return 1"
	MustDoAll(t, c, [][]string{
		{"SCRIPT", "LOAD", "return 1", Bulk(sha)},
		{"EVALSHA", sha, "0", Int(1)},
		{"EVALSHA", strings.ToUpper(sha), "0", Int(1)},
		{"SCRIPT", "FLUSH", Status("OK")},
		{"EVALSHA", sha, "0", Err("NOSCRIPT No matching script. Please use EVAL.")},
		{"EVAL", "return 2", "0", Int(2)},
		{"EVALSHA", sha, "0", Err("NOSCRIPT No matching script. Please use EVAL.")},
	})
}
