package server_test

import (
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
