package server_test

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Expected replies are redis-server 7.0.15's (the exact bytes of many more
// are in integration/testdata/differential_scripting.txt); the SHA1s are
// sha1sum's of the script bodies.

// loopScript runs until killed.
const loopScript = "local i = 0 while true do i = i + 1 end"

func sha1Hex(body string) string {
	h := sha1.Sum([]byte(body))
	return hex.EncodeToString(h[:])
}

func TestScriptConversions(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "RPUSH", "l", "a", "b", Int(2))
	MustDoAll(t, c, [][]string{
		// Lua to Redis: numbers truncate, true is 1, false is nil, an array
		// stops at its first nil, {ok=} and {err=} are status and error.
		{"EVAL", "return 3.99", "0", Int(3)},
		{"EVAL", "return -2.5", "0", Int(-2)},
		{"EVAL", "return true", "0", Int(1)},
		{"EVAL", "return false", "0", "$-1\r\n"},
		{"EVAL", "return {1, 'x', nil, 4}", "0", Arr(Int(1), Bulk("x"))},
		{"EVAL", "return {ok='fine'}", "0", Status("fine")},
		{"EVAL", "return {err='MY bad'}", "0", Err("MY bad")},
		{"EVAL", "return redis.error_reply('nocode')", "0", Err("ERR nocode")},
		// Redis to Lua: a missing key is false, a status {ok=}, an array a
		// table, an integer a number.
		{"EVAL", "return type(redis.call('get', 'nokey'))", "0", Bulk("boolean")},
		{"EVAL", "return redis.call('set', 'k', 'v').ok", "0", Bulk("OK")},
		{"EVAL", "local r = redis.call('lrange', KEYS[1], 0, -1) return #r .. r[2]", "1", "l", Bulk("2b")},
		{"EVAL", "return redis.call('llen', 'l') * 10", "0", Int(20)},
		{"EVAL", "return redis.pcall('incr', 'k').err", "0", Bulk("ERR value is not an integer or out of range")},
		// RESP3 inside the script: a map is {map=...}, a null nil.
		{"EVAL", "redis.setresp(3) redis.call('hset', 'h', 'f', 'v') return redis.call('hgetall', 'h').map.f", "0", Bulk("v")},
		{"EVAL", "redis.setresp(3) return tostring(redis.call('get', 'nokey'))", "0", Bulk("nil")},
	})
	// The same script in RESP3: false is the null, {double=} a double.
	c3 := Dial(t, s.Addr())
	c3.Hello3()
	MustDo(t, c3, "EVAL", "return false", "0", "_\r\n")
	MustDo(t, c3, "EVAL", "return {double=3.5}", "0", Double3("3.5"))
	MustDo(t, c3, "EVAL", "redis.setresp(3) return false", "0", "#f\r\n")
}

func TestScriptErrorsAndSandbox(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	sha := sha1Hex
	MustDoAll(t, c, [][]string{
		{"EVAL", "x = 1", "0", Err("ERR user_script:1: Attempt to modify a readonly table script: " + sha("x = 1") + ", on @user_script:1.")},
		{"EVAL", "return loadfile", "0", Err("ERR user_script:1: Script attempted to access nonexistent global variable 'loadfile' script: " + sha("return loadfile") + ", on @user_script:1.")},
		{"EVAL", "\nerror('boom')", "0", Err("ERR user_script:2: boom script: " + sha("\nerror('boom')") + ", on @user_script:2.")},
		{"EVAL", "return redis.call('nosuch')", "0", Err("ERR Unknown Redis command called from script script: " + sha("return redis.call('nosuch')") + ", on @user_script:1.")},
		{"EVAL", "return redis.call('eval', 'return 1', 0)", "0", Err("ERR This Redis command is not allowed from script script: " + sha("return redis.call('eval', 'return 1', 0)") + ", on @user_script:1.")},
		{"EVAL_RO", "return redis.call('set', 'k', 'v')", "0", Err("ERR Write commands are not allowed from read-only scripts. script: " + sha("return redis.call('set', 'k', 'v')") + ", on @user_script:1.")},
		{"EVALSHA", "0000000000000000000000000000000000000000", "0", Err("NOSCRIPT No matching script. Please use EVAL.")},
		{"EVAL", "return 1", "-1", Err("ERR Number of keys can't be negative")},
		{"EVAL", "return 1", "2", "a", Err("ERR Number of keys can't be greater than number of args")},
	})
	// Code run by loadstring has the globals for environment, which are as
	// protected as the scripts' (redis-server 7.0.15: reading a missing
	// global and creating one are errors, and nothing is left behind; its
	// messages name the chunk [string "..."] where gopher-lua says
	// <string>).
	for _, script := range []string{"return loadstring('return undefined_xyz')()", "return loadstring('undefined_xyz = 5')()"} {
		r := c.Do("EVAL", script, "0")
		want := map[bool]string{true: "Script attempted to access nonexistent global variable 'undefined_xyz'", false: "Attempt to modify a readonly table"}[strings.Contains(script, "return undefined")]
		if r.Type != '-' || !strings.Contains(string(r.Data), ":1: "+want+" script: "+sha(script)) {
			t.Fatalf("EVAL %s: %q", script, r.Raw)
		}
	}
	MustDo(t, c, "EVAL", "return undefined_xyz", "0", Err("ERR user_script:1: Script attempted to access nonexistent global variable 'undefined_xyz' script: "+sha("return undefined_xyz")+", on @user_script:1."))
	// gopher-lua words its compile errors differently from Lua 5.1; the
	// prefix is Redis'.
	r := c.Do("SCRIPT", "LOAD", "return +")
	if r.Type != '-' || !strings.HasPrefix(string(r.Data), "ERR Error compiling script (new function): user_script") {
		t.Fatalf("SCRIPT LOAD of a bad script: %q", r.Raw)
	}
}

// TestScriptAtomicity: a command sent while a script runs is served after
// it, and sees none of the script's intermediate states.
func TestScriptAtomicity(t *testing.T) {
	s := server.RunT(t)
	a := Dial(t, s.Addr())
	b := Dial(t, s.Addr())
	// The script sets k to "mid", spins ~300 ms, then sets it to "end".
	script := "redis.call('set', 'k', 'mid') local t0 = redis.call('time') " +
		"while true do local t = redis.call('time') if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 300000 then break end end " +
		"redis.call('set', 'k', 'end') return 'done'"
	a.Send("EVAL", script, "0")
	// (GET is sent once the script has surely started: were it served
	// first, it would read nil and the check below would fail.)
	time.Sleep(100 * time.Millisecond)
	b.Send("GET", "k")
	a.Expect(Bulk("done"))
	b.Expect(Bulk("end"))
}

// TestScriptBusyAndKill: past busy-reply-threshold a script yields: another
// client's PING gets Redis' -BUSY at once (PING is not allow-busy in Redis,
// whatever our module operations allow), SCRIPT KILL stops it, and the
// server is back.
func TestScriptBusyAndKill(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"busy-reply-threshold 100"}})
	a := Dial(t, s.Addr())
	b := Dial(t, s.Addr())
	killer := Dial(t, s.Addr())
	t.Cleanup(func() { killer.Do("SCRIPT", "KILL") })
	MustDo(t, killer, "SCRIPT", "KILL", Err(server.ErrNotBusy))
	a.Send("EVAL", loopScript, "0")
	time.Sleep(150 * time.Millisecond)
	start := time.Now()
	MustDo(t, b, "PING", Err(server.ErrBusyScript))
	MustDo(t, b, "GET", "k", Err(server.ErrBusyScript))
	if e := time.Since(start); e > 2*time.Second {
		t.Fatalf("PING and GET answered after %v during a busy script", e)
	}
	MustDo(t, killer, "SCRIPT", "KILL", OK)
	a.Expect(Err("ERR Script killed by user with SCRIPT KILL... script: " + sha1Hex(loopScript) + ", on @user_script:1."))
	MustDo(t, b, "PING", Status("PONG"))
	MustDo(t, killer, "SCRIPT", "KILL", Err(server.ErrNotBusy))
	// The script's cache entry survives its kill.
	MustDo(t, b, "SCRIPT", "EXISTS", sha1Hex(loopScript), Arr(Int(1)))
}

// TestScriptUnkillable: once a script has written, SCRIPT KILL refuses.
func TestScriptUnkillable(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"busy-reply-threshold 100"}})
	a := Dial(t, s.Addr())
	b := Dial(t, s.Addr())
	script := "redis.call('set', 'w', '1') local t0 = redis.call('time') " +
		"while true do local t = redis.call('time') if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 600000 then break end end return 'finished'"
	a.Send("EVAL", script, "0")
	time.Sleep(200 * time.Millisecond)
	MustDo(t, b, "SCRIPT", "KILL", Err(server.ErrUnkillable))
	a.Expect(Bulk("finished"))
	MustDo(t, b, "GET", "w", Bulk("1"))
}

// TestScriptWatchAndMulti: a script's write invalidates a WATCH, and EVAL
// runs inside MULTI/EXEC.
func TestScriptWatchAndMulti(t *testing.T) {
	s := server.RunT(t)
	a := Dial(t, s.Addr())
	b := Dial(t, s.Addr())
	MustDo(t, a, "WATCH", "k", OK)
	MustDo(t, b, "EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k", OK)
	MustDo(t, a, "MULTI", OK)
	MustDo(t, a, "SET", "k", "y", Status("QUEUED"))
	MustDo(t, a, "EXEC", "*-1\r\n")
	MustDo(t, a, "MULTI", OK)
	MustDo(t, a, "EVAL", "return redis.call('incr', 'n')", "0", Status("QUEUED"))
	MustDo(t, a, "EVAL", "return redis.call('incr', 'n')", "0", Status("QUEUED"))
	MustDo(t, a, "EXEC", Arr(Int(1), Int(2)))
}

// TestScriptManyClients: scripts from several clients at once, each an
// increment: none is lost (run with -race).
func TestScriptManyClients(t *testing.T) {
	s := server.RunT(t)
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for i := 0; i < 4; i++ {
		c := Dial(t, s.Addr())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				c.Send("EVAL", "local v = redis.call('get', 'n') or 0 return redis.call('set', 'n', v + 1)", "0")
				if r := c.Read(); string(r.Raw) != OK {
					errs <- string(r.Raw)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("EVAL answered %q", e)
	}
	MustDo(t, Dial(t, s.Addr()), "GET", "n", Bulk("200"))
}

// TestFunctionBusyAndKill: a long FCALL gives the FUNCTION flavour of -BUSY,
// SCRIPT KILL refuses it (the same -BUSY), FUNCTION STATS shows it, FUNCTION
// KILL stops it. Replies are redis-server 7.0.15's to the same steps.
func TestFunctionBusyAndKill(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"busy-reply-threshold 100"}})
	a := Dial(t, s.Addr())
	b := Dial(t, s.Addr())
	t.Cleanup(func() { b.Do("FUNCTION", "KILL") })
	MustDo(t, b, "FUNCTION", "LOAD", "#!lua name=busy\nredis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)", Bulk("busy"))
	a.Send("FCALL", "spin", "0")
	time.Sleep(150 * time.Millisecond)
	start := time.Now()
	MustDo(t, b, "PING", Err(server.ErrBusyFunction))
	MustDo(t, b, "SCRIPT", "KILL", Err(server.ErrBusyFunction))
	if e := time.Since(start); e > 2*time.Second {
		t.Fatalf("answered after %v during a busy function", e)
	}
	r := b.Do("FUNCTION", "STATS")
	if !strings.Contains(string(r.Raw), "$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:") {
		t.Fatalf("FUNCTION STATS during FCALL: %q", r.Raw)
	}
	MustDo(t, b, "FUNCTION", "KILL", OK)
	a.Expect(Err("ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2."))
	MustDo(t, b, "PING", Status("PONG"))
	MustDo(t, b, "FUNCTION", "KILL", Err(server.ErrNotBusy))
}

// TestFunctionLoadTimeout: a library whose code does not end is stopped
// after Redis' 500 ms load limit.
func TestFunctionLoadTimeout(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "FUNCTION", "LOAD", "#!lua name=forever\nlocal i = 0 while true do i = i + 1 end",
		Err("ERR Error registering functions: ERR FUNCTION LOAD timeout"))
	MustDo(t, c, "FUNCTION", "LIST", Arr())
}

// TestScriptInfoCounts: INFO memory counts cached scripts, functions and
// libraries as Redis 7.0 does (hand-counted: two scripts cached by EVAL and
// SCRIPT LOAD, one library of two functions; SCRIPT FLUSH empties the cache
// and leaves the functions).
func TestScriptInfoCounts(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	c.Do("EVAL", "return 1", "0")
	c.Do("SCRIPT", "LOAD", "return 2")
	MustDo(t, c, "FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f', function() return 1 end)\nredis.register_function('g', function() return 2 end)", Bulk("l"))
	info := string(c.Do("INFO", "memory").Data)
	for _, want := range []string{"number_of_cached_scripts:2\r\n", "number_of_functions:2\r\n", "number_of_libraries:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO memory lacks %q:\n%s", want, info)
		}
	}
	MustDo(t, c, "SCRIPT", "FLUSH", OK)
	info = string(c.Do("INFO", "memory").Data)
	if !strings.Contains(info, "number_of_cached_scripts:0\r\n") || !strings.Contains(info, "number_of_functions:2\r\n") {
		t.Errorf("INFO memory after SCRIPT FLUSH:\n%s", info)
	}
}

// TestScriptMonitor: MONITOR shows EVAL (and FCALL, even of a missing
// function) before the script's commands, which show as [db lua] - what
// redis-server 7.0.15's MONITOR showed for the same commands.
func TestScriptMonitor(t *testing.T) {
	s := server.RunT(t)
	m := Dial(t, s.Addr())
	MustDo(t, m, "MONITOR", OK)
	c := Dial(t, s.Addr())
	script := "redis.call('set', 'lua:m', '1') return redis.call('get', 'lua:m')"
	MustDo(t, c, "EVAL", script, "0", Bulk("1"))
	MustDo(t, c, "FCALL", "nofunc", "0", Err("ERR Function not found"))
	addr := c.NetConn().LocalAddr().String()
	for _, want := range []string{
		"[0 " + addr + `] "EVAL" "` + script + `" "0"`,
		`[0 lua] "set" "lua:m" "1"`,
		`[0 lua] "get" "lua:m"`,
		"[0 " + addr + `] "FCALL" "nofunc" "0"`,
	} {
		r := m.Read()
		if _, line, _ := strings.Cut(string(r.Data), " "); line != want {
			t.Fatalf("monitor line %q, want %q", r.Data, want)
		}
	}
}
