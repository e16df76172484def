package server

import (
	"fmt"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Redis functions (FUNCTION LOAD, FCALL...), Redis 7.0's, in the scripts' Lua
// state: a library's code runs once at load with a redis table that only
// registers functions (and logs); its functions then run like scripts,
// getting their keys and arguments as parameters. FUNCTION DUMP and RESTORE
// are not built.

// functionChunk is the chunk name of a library's code, as Redis names it.
const functionChunk = "user_function"

// functionLoadTimeout bounds a library's load, as Redis' LOAD_TIMEOUT_MS.
const functionLoadTimeout = 500 * time.Millisecond

type luaLibrary struct {
	name  string
	code  string
	funcs map[string]*luaFunction
}

type luaFunction struct {
	name     string
	lib      *luaLibrary
	fn       *lua.LFunction
	desc     string
	hasDesc  bool
	flags    []string
	noWrites bool
}

// functionEnv is the environment of library code: the scripts' sandbox,
// without KEYS and ARGV, whose "redis" is the load-time table while
// FUNCTION LOAD runs the code.
func (s *Server) functionEnv(L *lua.LState, g *lua.LTable, readonly *lua.LFunction) *lua.LTable {
	missing := func(L *lua.LState, k lua.LValue) int {
		return s.raiseString(L, fmt.Sprintf("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(k)), true)
	}
	// The load-time redis table.
	loadAPI := L.NewTable()
	real := g.RawGetString("redis").(*lua.LTable).Metatable.(*lua.LTable).RawGetString("__index").(*lua.LTable)
	for _, k := range []string{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"} {
		loadAPI.RawSetString(k, real.RawGetString(k))
	}
	loadAPI.RawSetString("register_function", L.NewFunction(s.luaRegisterFunction))
	loadRedis := L.NewTable()
	lmt := L.NewTable()
	lmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		if v := loadAPI.RawGet(L.Get(2)); v != lua.LNil {
			L.Push(v)
			return 1
		}
		return missing(L, L.Get(2))
	}))
	lmt.RawSetString("__newindex", readonly)
	lmt.RawSetString("__metatable", lua.LFalse)
	loadRedis.Metatable = lmt

	env := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		if s.lua != nil && s.lua.loading != nil {
			// A library's code sees nothing but its redis table.
			if k == lua.LString("redis") {
				L.Push(loadRedis)
				return 1
			}
			return missing(L, k)
		}
		if k == lua.LString("KEYS") || k == lua.LString("ARGV") {
			return missing(L, k)
		}
		if v := g.RawGet(k); v != lua.LNil {
			L.Push(v)
			return 1
		}
		return missing(L, k)
	}))
	mt.RawSetString("__newindex", readonly)
	mt.RawSetString("__metatable", lua.LFalse)
	env.Metatable = mt
	return env
}

// validFunctionName: letters, digits and underscores, at least one.
func validFunctionName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// luaRegisterFunction is redis.register_function(name, callback) or
// redis.register_function{function_name=, callback=, flags=, description=}.
func (s *Server) luaRegisterFunction(L *lua.LState) int {
	lib := s.lua.loading
	if lib == nil {
		return s.raiseTable(L, "redis.register_function can only be called on FUNCTION LOAD command")
	}
	f := &luaFunction{lib: lib}
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			return s.raiseTable(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		var msg string
		t.ForEach(func(k, v lua.LValue) {
			if msg != "" {
				return
			}
			ks, ok := k.(lua.LString)
			if !ok {
				msg = "named argument key given to redis.register_function is not a string"
				return
			}
			switch ks {
			case "function_name":
				n, ok := v.(lua.LString)
				if !ok {
					msg = "function_name argument given to redis.register_function must be a string"
				}
				f.name = string(n)
			case "description":
				d, ok := v.(lua.LString)
				if !ok {
					msg = "description argument given to redis.register_function must be a string"
				}
				f.desc, f.hasDesc = string(d), true
			case "callback":
				fn, ok := v.(*lua.LFunction)
				if !ok {
					msg = "callback argument given to redis.register_function must be a function"
				}
				f.fn = fn
			case "flags":
				ft, ok := v.(*lua.LTable)
				if !ok {
					msg = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				for i := 1; ft.RawGetInt(i) != lua.LNil; i++ {
					fl, ok := ft.RawGetInt(i).(lua.LString)
					switch {
					case !ok:
						msg = "unknown flag given"
					case fl == "no-writes":
						f.noWrites = true
					case fl == "allow-oom" || fl == "allow-stale" || fl == "no-cluster" || fl == "allow-cross-slot-keys":
					default:
						msg = "unknown flag given"
					}
					if msg != "" {
						return
					}
					f.flags = append(f.flags, string(fl))
				}
			default:
				msg = "unknown argument given to redis.register_function"
			}
		})
		if msg != "" {
			return s.raiseTable(L, msg)
		}
		if f.name == "" {
			return s.raiseTable(L, "redis.register_function must get a function name argument")
		}
		if f.fn == nil {
			return s.raiseTable(L, "redis.register_function must get a callback argument")
		}
	case 2:
		n, ok := L.Get(1).(lua.LString)
		if !ok {
			return s.raiseTable(L, "first argument to redis.register_function must be a string")
		}
		fn, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			return s.raiseTable(L, "second argument to redis.register_function must be a function")
		}
		f.name, f.fn = string(n), fn
	default:
		return s.raiseTable(L, "wrong number of arguments to redis.register_function")
	}
	if !validFunctionName(f.name) {
		// (sic: Redis 7.0 says "Library names" here too)
		return s.raiseTable(L, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	if lib.funcs[f.name] != nil {
		return s.raiseTable(L, "Function already exists in the library")
	}
	lib.funcs[f.name] = f
	return 0
}

// parseLibraryMetadata reads "#!lua name=<lib>" off the code's first line.
func parseLibraryMetadata(code string) (name, body, msg string) {
	if !strings.HasPrefix(code, "#!") {
		return "", "", "ERR Missing library metadata"
	}
	line, rest, ok := strings.Cut(code, "\n")
	if !ok {
		return "", "", "ERR Invalid library metadata"
	}
	parts := strings.Fields(line)
	if engine := strings.TrimPrefix(parts[0], "#!"); engine != "lua" {
		return "", "", fmt.Sprintf("ERR Engine '%s' not found", engine)
	}
	for _, p := range parts[1:] {
		v, ok := strings.CutPrefix(p, "name=")
		if !ok {
			return "", "", "ERR Invalid metadata value given: " + p
		}
		name = v
	}
	if name == "" {
		return "", "", "ERR Library name was not given"
	}
	if !validFunctionName(name) {
		return "", "", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	}
	return name, "\n" + rest, ""
}

// loadLibrary runs FUNCTION LOAD [REPLACE] code: the library's name, or
// Redis' error.
func (s *Server) loadLibrary(c *Ctx, code string, replace bool) (string, string) {
	name, body, msg := parseLibraryMetadata(code)
	if msg != "" {
		return "", msg
	}
	sc := s.scripting()
	old := sc.libs[name]
	if old != nil && !replace {
		return "", fmt.Sprintf("ERR Library '%s' already exists", name)
	}
	L := sc.L
	fn, err := L.Load(strings.NewReader(body), functionChunk)
	if err != nil {
		return "", "ERR Error compiling function: " + oneLineErr(err.Error())
	}
	fn.Env = L.GetField(L.Get(lua.RegistryIndex), "redis_fenv").(*lua.LTable)
	lib := &luaLibrary{name: name, code: code, funcs: map[string]*luaFunction{}}
	run := &scriptRun{ctx: c, sha: name, chunk: functionChunk, function: true, resp: 2,
		readOnly: true, killMsg: "FUNCTION LOAD timeout", deadline: time.Now().Add(functionLoadTimeout)}
	sc.loading, sc.run = lib, run
	sc.hideReused()
	L.SetContext(run)
	L.Push(fn)
	err = L.PCall(0, 0, nil)
	L.RemoveContext()
	L.SetTop(0)
	sc.loading, sc.run = nil, nil
	if err != nil {
		var obj lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok && ae.Object != nil {
			obj = ae.Object
		}
		m, _ := scriptErrorText(run, obj)
		return "", "ERR Error registering functions: " + oneLineErr(m)
	}
	if len(lib.funcs) == 0 {
		return "", "ERR No functions registered"
	}
	for fname := range lib.funcs {
		if f := sc.funcs[fname]; f != nil && f.lib != old {
			return "", fmt.Sprintf("ERR Function %s already exists", fname)
		}
	}
	if old != nil {
		for fname := range old.funcs {
			delete(sc.funcs, fname)
		}
	}
	sc.libs[name] = lib
	for fname, f := range lib.funcs {
		sc.funcs[fname] = f
	}
	return name, ""
}

// fcall runs FCALL and FCALL_RO.
func (s *Server) fcall(c *Ctx, args [][]byte, readOnly bool) {
	if len(s.monitors) > 0 { // as EVAL (evalGeneric)
		s.feedMonitors(c.Client, c.Cmd, args)
	}
	keys, argv, msg := parseEvalArgs(args[1:])
	if msg == ErrNotInteger {
		msg = "ERR Bad number of keys provided"
	}
	if msg != "" {
		c.W.Error(msg)
		return
	}
	var f *luaFunction
	if s.lua != nil {
		f = s.lua.funcs[string(args[1])]
	}
	if f == nil {
		c.W.Error("ERR Function not found")
		return
	}
	if readOnly && !f.noWrites {
		c.W.Error("ERR Can not execute a script with write flag using *_ro command.")
		return
	}
	L := s.lua.L
	run := s.lua.newRun(scriptRun{ctx: c, sha: f.name, chunk: functionChunk, function: true,
		readOnly: readOnly || f.noWrites, resp: 2, killMsg: scriptKilledMsg, args: args})
	s.runScript(c, run, f.fn, s.lua.args.table(L, keys), s.lua.args.table(L, argv))
}

func (s *Server) cmdFunctionLoad(c *Ctx, args [][]byte) {
	replace := false
	i := 2
	for ; i < len(args)-1; i++ {
		if !resp.EqualFold(args[i], "replace") {
			c.W.Error("ERR Unknown option given: " + string(args[i]))
			return
		}
		replace = true
	}
	if i != len(args)-1 {
		c.W.Error("ERR Function code is missing")
		return
	}
	name, msg := s.loadLibrary(c, string(args[i]), replace)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.BulkString(name)
}

func (s *Server) cmdFunctionDelete(c *Ctx, args [][]byte) {
	var lib *luaLibrary
	if s.lua != nil {
		lib = s.lua.libs[string(args[2])]
	}
	if lib == nil {
		c.W.Error("ERR Library not found")
		return
	}
	for fname := range lib.funcs {
		delete(s.lua.funcs, fname)
	}
	delete(s.lua.libs, lib.name)
	c.W.OK()
}

func (s *Server) cmdFunctionFlush(c *Ctx, args [][]byte) {
	if len(args) > 3 || (len(args) == 3 && !resp.EqualFold(args[2], "sync") && !resp.EqualFold(args[2], "async")) {
		c.W.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	if s.lua != nil {
		s.lua.libs = map[string]*luaLibrary{}
		s.lua.funcs = map[string]*luaFunction{}
	}
	c.W.OK()
}

func (s *Server) cmdFunctionList(c *Ctx, args [][]byte) {
	withCode, hasPattern := false, false
	pattern := ""
	for i := 2; i < len(args); i++ {
		switch {
		case resp.EqualFold(args[i], "withcode") && !withCode:
			withCode = true
		case resp.EqualFold(args[i], "libraryname") && !hasPattern:
			if i+1 >= len(args) {
				c.W.Error("ERR library name argument was not given")
				return
			}
			i++
			pattern, hasPattern = string(args[i]), true
		default:
			c.W.Error("ERR Unknown argument " + string(args[i]))
			return
		}
	}
	var libs []*luaLibrary
	if s.lua != nil {
		for _, l := range s.lua.libs {
			if !hasPattern || GlobMatch(pattern, l.name, false) {
				libs = append(libs, l)
			}
		}
	}
	sort.Slice(libs, func(i, j int) bool { return libs[i].name < libs[j].name })
	c.W.Array(len(libs))
	for _, l := range libs {
		n := 3
		if withCode {
			n = 4
		}
		c.W.Map(n)
		c.W.BulkString("library_name")
		c.W.BulkString(l.name)
		c.W.BulkString("engine")
		c.W.BulkString("LUA")
		c.W.BulkString("functions")
		names := make([]string, 0, len(l.funcs))
		for fname := range l.funcs {
			names = append(names, fname)
		}
		sort.Strings(names)
		c.W.Array(len(names))
		for _, fname := range names {
			f := l.funcs[fname]
			c.W.Map(3)
			c.W.BulkString("name")
			c.W.BulkString(f.name)
			c.W.BulkString("description")
			if f.hasDesc {
				c.W.BulkString(f.desc)
			} else {
				c.W.Null()
			}
			c.W.BulkString("flags")
			c.W.Set(len(f.flags))
			for _, fl := range f.flags {
				c.W.SimpleString(fl)
			}
		}
		if withCode {
			c.W.BulkString("library_code")
			c.W.BulkString(l.code)
		}
	}
}

func (s *Server) cmdFunctionStats(c *Ctx, args [][]byte) {
	c.W.Map(2)
	c.W.BulkString("running_script")
	if s.lua != nil && s.lua.run != nil && s.lua.run.function {
		r := s.lua.run
		c.W.Map(3)
		c.W.BulkString("name")
		c.W.BulkString(r.sha)
		c.W.BulkString("command")
		c.W.Array(len(r.args))
		for _, a := range r.args {
			c.W.Bulk(a)
		}
		c.W.BulkString("duration_ms")
		c.W.Int(time.Since(r.ctx.start).Milliseconds())
	} else {
		c.W.Null()
	}
	libs, funcs := 0, 0
	if s.lua != nil {
		libs, funcs = len(s.lua.libs), len(s.lua.funcs)
	}
	c.W.BulkString("engines")
	c.W.Map(1)
	c.W.BulkString("LUA")
	c.W.Map(2)
	c.W.BulkString("libraries_count")
	c.W.Int(int64(libs))
	c.W.BulkString("functions_count")
	c.W.Int(int64(funcs))
}

// killScript is SCRIPT KILL (function false) and FUNCTION KILL, as Redis'
// scriptKill: each kills only its own kind.
func (s *Server) killScript(c *Ctx, function bool) {
	if s.lua == nil || s.lua.run == nil || s.lua.loading != nil {
		c.W.Error(ErrNotBusy)
		return
	}
	run := s.lua.run
	switch {
	case run.wrote:
		c.W.Error(ErrUnkillable)
	case !function && run.function:
		c.W.Error(ErrBusyFunction)
	case function && !run.function:
		c.W.Error(ErrBusyScript)
	default:
		run.killed = true
		c.W.OK()
	}
}

func (s *Server) cmdFunctionHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "FUNCTION", []string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously delete the libraries.",
		"    * SYNC: Synchronously delete the libraries.",
	})
}
