package integration

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestScriptingGoRedis drives EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH and
// go-redis' Script helper (EVALSHA, then EVAL on NOSCRIPT), in RESP2 and
// RESP3. Expected values are redis-server 7.0's replies to the same scripts
// (integration/testdata/differential_scripting.txt holds their bytes); the
// SHA1 is sha1sum's of the body.
func TestScriptingGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		mustOK(t, c.ScriptFlush(ctx).Err())
		v, err := c.Eval(ctx, "return {KEYS[1], ARGV[1], 3.7, {ok='x'}}", []string{"lua:k"}, "a").Result()
		want := []interface{}{"lua:k", "a", int64(3), "x"}
		if err != nil || !slices.Equal(v.([]interface{}), want) {
			t.Fatalf("Eval: %#v %v", v, err)
		}
		// printf %s "return redis.call('incrby', KEYS[1], ARGV[1])" | sha1sum
		body := "return redis.call('incrby', KEYS[1], ARGV[1])"
		const sha = "65b45e1e1b8b36c8c3e885080b88ae484e64fde6"
		got, err := c.ScriptLoad(ctx, body).Result()
		if err != nil || got != sha {
			t.Fatalf("ScriptLoad: %q %v", got, err)
		}
		if ex, err := c.ScriptExists(ctx, got, strings.Repeat("0", 40)).Result(); err != nil || !slices.Equal(ex, []bool{true, false}) {
			t.Fatalf("ScriptExists: %v %v", ex, err)
		}
		if n, err := c.EvalSha(ctx, got, []string{"lua:n"}, 5).Int64(); err != nil || n != 5 {
			t.Fatalf("EvalSha: %d %v", n, err)
		}
		if n, err := c.EvalShaRO(ctx, got, []string{"lua:n"}, 5).Int64(); err == nil || !strings.HasPrefix(err.Error(), "ERR Write commands are not allowed from read-only scripts.") {
			t.Fatalf("EvalShaRO of a write: %d %v", n, err)
		}
		mustOK(t, c.ScriptFlush(ctx).Err())
		if err := c.EvalSha(ctx, got, []string{"lua:n"}, 1).Err(); err == nil || err.Error() != "NOSCRIPT No matching script. Please use EVAL." {
			t.Fatalf("EvalSha after SCRIPT FLUSH: %v", err)
		}
		// NewScript.Run: EVALSHA answers NOSCRIPT, go-redis retries with EVAL.
		sc := redis.NewScript(body)
		if n, err := sc.Run(ctx, c, []string{"lua:n"}, 2).Int64(); err != nil || n != 7 {
			t.Fatalf("Script.Run: %d %v", n, err)
		}
		if sc.Hash() != got {
			t.Fatalf("go-redis hashes the script as %s, the server as %s", sc.Hash(), got)
		}
		if n, err := sc.Run(ctx, c, []string{"lua:n"}, 1).Int64(); err != nil || n != 8 {
			t.Fatalf("Script.Run (cached): %d %v", n, err)
		}
		// Errors come back as redis.Error with Redis' text.
		err = c.Eval(ctx, "return redis.call('nosuch')", nil).Err()
		var rerr redis.Error
		if !errors.As(err, &rerr) || !strings.HasPrefix(err.Error(), "ERR Unknown Redis command called from script script: ") {
			t.Fatalf("Eval error: %v", err)
		}
		// false is a nil reply.
		if err := c.Eval(ctx, "return false", nil).Err(); err != redis.Nil {
			t.Fatalf("Eval false: %v", err)
		}
		mustOK(t, c.Del(ctx, "lua:n").Err())

		// Functions: FunctionLoad, FCall, FCallRO, FunctionList, FunctionDelete.
		mustOK(t, c.FunctionFlush(ctx).Err())
		lib := "#!lua name=lualib\nredis.register_function{function_name='lua_get', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}"
		if name, err := c.FunctionLoad(ctx, lib).Result(); err != nil || name != "lualib" {
			t.Fatalf("FunctionLoad: %q %v", name, err)
		}
		mustOK(t, c.Set(ctx, "lua:k", "v", 0).Err())
		if v, err := c.FCallRO(ctx, "lua_get", []string{"lua:k"}).Text(); err != nil || v != "v" {
			t.Fatalf("FCallRO: %q %v", v, err)
		}
		if v, err := c.FCall(ctx, "lua_get", []string{"lua:k"}).Text(); err != nil || v != "v" {
			t.Fatalf("FCall: %q %v", v, err)
		}
		libs, err := c.FunctionList(ctx, redis.FunctionListQuery{WithCode: true}).Result()
		if err != nil || len(libs) != 1 || libs[0].Name != "lualib" || libs[0].Engine != "LUA" || libs[0].Code != lib ||
			len(libs[0].Functions) != 1 || libs[0].Functions[0].Name != "lua_get" || libs[0].Functions[0].Description != "reads" ||
			!slices.Equal(libs[0].Functions[0].Flags, []string{"no-writes"}) {
			t.Fatalf("FunctionList: %+v %v", libs, err)
		}
		if err := c.FCall(ctx, "lua_none", nil).Err(); err == nil || err.Error() != "ERR Function not found" {
			t.Fatalf("FCall of a missing function: %v", err)
		}
		mustOK(t, c.FunctionDelete(ctx, "lualib").Err())
		mustOK(t, c.Del(ctx, "lua:k").Err())
	})
}
