package server

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Lua scripting (EVAL and friends), Redis 7.0's: one Lua 5.1 interpreter
// (gopher-lua) per server, created at the first script and replaced by
// SCRIPT FLUSH; scripts run on the main thread, under the GIL, and call
// commands through the command table (callFromScript) with a reply writer of
// their own whose bytes are read back into Lua values.
//
// Differences from Redis a client can see, for want of the same Lua build:
// the text of Lua's own runtime and compile errors (gopher-lua words them
// differently: a script's error() and every error Redis raises itself are
// identical), the order of a cjson object's keys (cjson.go), the libraries
// struct and cmsgpack, which are absent (bit and cjson are there), and
// SCRIPT DEBUG (the Lua debugger), which is not built. INFO has the script
// counts but no Lua memory figures.

// scriptChunk is the chunk name of every script, as Redis names it
// ("@user_script": messages say "user_script:N:").
const scriptChunk = "user_script"

// luaScript is a cached script.
type luaScript struct {
	sha   string
	body  string
	fn    *lua.LFunction
	flags scriptFlags
	// argsIndexed: the script reads KEYS and ARGV only by indexing them
	// (argsIndexedOnly), so they can be the same tables at each call.
	argsIndexed bool
}

// scriptFlags are a script's shebang flags.
type scriptFlags struct {
	shebang  bool
	noWrites bool
}

// scripting is the server's Lua state, script cache and function
// libraries. Main thread only.
type scripting struct {
	L       *lua.LState
	scripts map[string]*luaScript // by SHA1
	run     *scriptRun            // the script running, if any

	libs    map[string]*luaLibrary  // FUNCTION LOAD's libraries, by name
	funcs   map[string]*luaFunction // their functions, by name
	loading *luaLibrary             // the library FUNCTION LOAD is running
	fenv    *lua.LTable             // the functions' environment

	// Reused by every EVAL/FCALL and redis.call, which never nest (a
	// script can't run EVAL or FCALL): the running script's state, the
	// context and writer of a command called from it (its reply is read
	// back into Lua values before the next call; it can't block, being
	// inExec), and the arguments of that call, valid while the command runs
	// as a client's are (callFromScript).
	runBuf  scriptRun
	callCtx Ctx
	callW   *resp.Writer
	callBuf []byte
	callArg [][]byte
	callEnd []int
	args    argTables  // KEYS and ARGV
	reused  reusedArgs // KEYS and ARGV of the scripts that only index them
}

// newRun is the state of the script about to run (runBuf, reset).
func (sc *scripting) newRun(r scriptRun) *scriptRun {
	sc.runBuf = r
	return &sc.runBuf
}

// scriptRun is one running script.
type scriptRun struct {
	ctx      *Ctx      // the EVAL's
	sha      string    // what errors name: the SHA1, or the function's name
	chunk    string    // user_script or user_function
	function bool      // FCALL (FUNCTION KILL), not EVAL (SCRIPT KILL)
	killMsg  string    // the error of a killed script
	deadline time.Time // FUNCTION LOAD's: killed past it
	args     [][]byte  // the command (FUNCTION STATS)
	readOnly bool
	wrote    bool // it called a write command: SCRIPT KILL may no longer stop it
	killed   bool
	resp     int // redis.setresp
	errLine  int // line of the last error raised by Go code (redis.call...)
	ticks    int
}

// scriptKilledMsg is the error a killed script raises.
const scriptKilledMsg = "Script killed by user with SCRIPT KILL..."

// Deadline, Done, Err and Value make a scriptRun the Lua state's context:
// gopher-lua calls Done before every instruction, which is where a long
// script yields the main thread (after busy-reply-threshold, as Redis
// starts serving other clients then) and notices SCRIPT KILL.
func (r *scriptRun) Deadline() (time.Time, bool) { return time.Time{}, false }
func (r *scriptRun) Value(any) any               { return nil }
func (r *scriptRun) Err() error                  { return errors.New(r.killMsg) }
func (r *scriptRun) Done() <-chan struct{} {
	if r.killed {
		return closedChan
	}
	r.ticks++
	if r.ticks&1023 != 0 {
		return nil
	}
	return r.check()
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (r *scriptRun) check() <-chan struct{} {
	if r.killed {
		return closedChan
	}
	if !r.deadline.IsZero() {
		if time.Now().After(r.deadline) {
			r.killed, r.killMsg = true, "FUNCTION LOAD timeout"
			return closedChan
		}
		return nil
	}
	c := r.ctx
	if c.Client != nil && c.Client.isKilled() {
		r.killed = true
		return closedChan
	}
	threshold := time.Duration(c.srv.params.busyReplyThreshold.Int()) * time.Millisecond
	if time.Since(c.start) >= threshold {
		c.scriptYield(r.function)
		if r.killed {
			return closedChan
		}
	}
	return nil
}

// scriptYield is Yield for a script: other clients get the script's -BUSY
// (only Redis' own allow-busy commands run: SCRIPT KILL, SHUTDOWN NOSAVE...).
func (c *Ctx) scriptYield(function bool) {
	s := c.srv
	if c.busy == nil && s.busy == nil {
		reason := ErrBusyScript
		if function {
			reason = ErrBusyFunction
		}
		c.busy = &busyOp{start: c.start, reason: reason, done: make(chan struct{}), script: true}
		s.busy = c.busy
		s.busyBegan()
	}
	c.lastYield = time.Now()
	s.gil.handOver(yieldInterval)
}

func (s *Server) scripting() *scripting {
	if s.lua == nil {
		s.lua = &scripting{scripts: map[string]*luaScript{}, libs: map[string]*luaLibrary{}, funcs: map[string]*luaFunction{}}
	}
	if s.lua.L == nil {
		s.lua.L = s.newLuaState()
	}
	return s.lua
}

// flushScripts drops the script cache (SCRIPT FLUSH). The Lua state stays:
// function libraries live in it too.
func (s *Server) flushScripts() {
	if s.lua != nil {
		s.lua.scripts = map[string]*luaScript{}
	}
}

func sha1hex(b string) string {
	h := sha1.Sum([]byte(b))
	return hex.EncodeToString(h[:])
}

// parseShebang reads "#!lua flags=a,b" off a script's first line, as
// Redis' evalExtractShebangFlags does. It returns the body to compile (the
// shebang line blanked, so that line numbers stay the same) or Redis' error.
func parseShebang(body string) (string, scriptFlags, string) {
	var f scriptFlags
	if !strings.HasPrefix(body, "#!") {
		return body, f, ""
	}
	f.shebang = true
	line, rest, multiline := strings.Cut(body, "\n")
	if !multiline {
		return "", f, "ERR Invalid script shebang"
	}
	parts := strings.Fields(line)
	if parts[0] != "#!lua" {
		return "", f, "ERR Unexpected engine in script shebang: " + parts[0]
	}
	for _, p := range parts[1:] {
		v, ok := strings.CutPrefix(p, "flags=")
		if !ok {
			return "", f, "ERR Unknown lua shebang option: " + p
		}
		if v == "" {
			continue
		}
		for _, fl := range strings.Split(v, ",") {
			switch fl {
			case "no-writes":
				f.noWrites = true
			case "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys":
			default:
				return "", f, "ERR Unexpected flag in script shebang: " + fl
			}
		}
	}
	return "\n" + rest, f, ""
}

// loadScript compiles and caches body, returning its SHA1 or Redis' error.
func (s *Server) loadScript(body string) (string, *luaScript, string) {
	sc := s.scripting()
	sha := sha1hex(body)
	if ls := sc.scripts[sha]; ls != nil {
		return sha, ls, ""
	}
	src, flags, msg := parseShebang(body)
	if msg != "" {
		return "", nil, msg
	}
	fn, err := sc.L.Load(strings.NewReader(src), scriptChunk)
	if err != nil {
		return "", nil, "ERR Error compiling script (new function): " + oneLineErr(err.Error())
	}
	fn.Env = sc.L.GetField(sc.L.Get(lua.RegistryIndex), "redis_env").(*lua.LTable)
	// gopher-lua marks every vararg function, the main chunk too, as
	// needing Lua 5.0's implicit "arg" table, built at each call. Lua 5.1
	// (Redis') never gives the main chunk one and gopher-lua declares no
	// local to reach it there, so it is garbage: don't build it.
	fn.Proto.IsVarArg &^= lua.VarArgNeedsArg
	ls := &luaScript{sha: sha, body: body, fn: fn, flags: flags, argsIndexed: argsIndexedOnly(fn.Proto)}
	sc.scripts[sha] = ls
	return sha, ls, ""
}

func oneLineErr(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// parseEvalArgs reads EVAL's "script numkeys key... arg..." (args without
// the command name): the keys and the arguments, or Redis' error.
func parseEvalArgs(args [][]byte) (keys, argv [][]byte, msg string) {
	n, ok := resp.ParseInt(args[1])
	if !ok {
		return nil, nil, ErrNotInteger
	}
	if n < 0 {
		return nil, nil, "ERR Number of keys can't be negative"
	}
	if n > int64(len(args)-2) {
		return nil, nil, "ERR Number of keys can't be greater than number of args"
	}
	return args[2 : 2+n], args[2+n:], ""
}

// evalGeneric runs EVAL, EVALSHA, EVAL_RO and EVALSHA_RO.
func (s *Server) evalGeneric(c *Ctx, args [][]byte, bySHA, readOnly bool) {
	// EVAL is skip-monitor: Redis feeds it to MONITOR itself, before the
	// script's commands (shown as [db lua]).
	if len(s.monitors) > 0 {
		s.feedMonitors(c.Client, c.Cmd, args)
	}
	keys, argv, msg := parseEvalArgs(args[1:])
	if msg != "" {
		c.W.Error(msg)
		return
	}
	var ls *luaScript
	if bySHA {
		if s.lua != nil {
			// Clients send the SHA1 in lower case: look it up as it is
			// before lowering a copy.
			if ls = s.lua.scripts[string(args[1])]; ls == nil {
				ls = s.lua.scripts[strings.ToLower(string(args[1]))]
			}
		}
		if ls == nil {
			c.W.Error(ErrNoScript)
			return
		}
		s.scripting()
	} else {
		_, ls, msg = s.loadScript(string(args[1]))
		if msg != "" {
			c.W.Error(msg)
			return
		}
	}
	s.lua.setArgGlobals(keys, argv, ls.argsIndexed)
	run := s.lua.newRun(scriptRun{ctx: c, sha: ls.sha, chunk: scriptChunk, readOnly: readOnly || ls.flags.noWrites, resp: 2, killMsg: scriptKilledMsg})
	s.runScript(c, run, ls.fn)
}

// runScript calls fn with fnArgs and writes its reply or error.
func (s *Server) runScript(c *Ctx, run *scriptRun, fn *lua.LFunction, fnArgs ...lua.LValue) {
	sc := s.lua
	L := sc.L
	sc.run = run
	db := c.Client.db
	defer func() {
		sc.run = nil
		c.Client.db = db
		L.RemoveContext()
		L.SetTop(0)
	}()
	if run.function {
		sc.hideReused()
	}
	L.SetContext(run)
	L.Push(fn)
	for _, a := range fnArgs {
		L.Push(a)
	}
	err := L.PCall(len(fnArgs), 1, nil)
	if err != nil {
		var obj lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok && ae.Object != nil {
			obj = ae.Object
		}
		s.writeScriptError(c, run, obj)
		return
	}
	luaToReply(c.W, run, L.Get(-1), 0)
}

// writeScriptError answers a script that raised an error the way Redis'
// error handler and luaCallFunction do: "<err> script: <sha>, on
// @user_script:<line>.".
func (s *Server) writeScriptError(c *Ctx, run *scriptRun, obj lua.LValue) {
	msg, line := scriptErrorText(run, obj)
	if run.killed && run.killMsg == scriptKilledMsg {
		s.log.Warn("Lua script killed by user with SCRIPT KILL.")
	}
	if line > 0 {
		msg = fmt.Sprintf("%s script: %s, on @%s:%d.", msg, run.sha, run.chunk, line)
	}
	c.W.Error(oneLineErr(msg))
}

// scriptErrorText is the error a script raised, as Redis' error handler
// makes it ("ERR " before a string), and its line.
func scriptErrorText(run *scriptRun, obj lua.LValue) (string, int) {
	var msg string
	line := 0
	switch v := obj.(type) {
	case *lua.LTable:
		e, ok := v.RawGetString("err").(lua.LString)
		if !ok {
			msg = "ERR " + lua.LVAsString(obj)
		} else {
			msg = string(e)
		}
		line = run.errLine
	default:
		str := lua.LVAsString(obj)
		if str == "" {
			str = obj.String()
		}
		msg = "ERR " + str
		line = run.errLine
		if rest, ok := strings.CutPrefix(str, run.chunk+":"); ok {
			if i := strings.IndexByte(rest, ':'); i > 0 {
				if n, err := strconv.Atoi(rest[:i]); err == nil {
					line = n
				}
			}
		}
		if run.killed {
			msg = "ERR " + run.killMsg
		}
	}
	return strings.TrimPrefix(msg, "-"), line
}

func bytesTable(L *lua.LState, items [][]byte) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for i, it := range items {
		t.RawSetInt(i+1, lua.LString(it))
	}
	return t
}

// luaToReply writes a Lua value as Redis' luaReplyToRedisReply does.
func luaToReply(w *resp.Writer, run *scriptRun, v lua.LValue, depth int) {
	switch v := v.(type) {
	case lua.LString:
		w.BulkString(string(v))
	case lua.LBool:
		if run.resp == 3 {
			w.Bool(bool(v))
		} else if v {
			w.Int(1)
		} else {
			w.Null()
		}
	case lua.LNumber:
		w.Int(int64(float64(v)))
	case *lua.LTable:
		if depth > 1000 {
			w.Error("ERR reached lua stack limit")
			return
		}
		if e, ok := v.RawGetString("err").(lua.LString); ok {
			w.Error(oneLineErr(strings.TrimPrefix(string(e), "-")))
			return
		}
		if ok, isStr := v.RawGetString("ok").(lua.LString); isStr {
			w.SimpleString(oneLineErr(string(ok)))
			return
		}
		if d, ok := v.RawGetString("double").(lua.LNumber); ok {
			w.Double(float64(d))
			return
		}
		if b, ok := v.RawGetString("big_number").(lua.LString); ok {
			w.BigNumber(oneLineErr(string(b)))
			return
		}
		if vt, ok := v.RawGetString("verbatim_string").(*lua.LTable); ok {
			f, ok1 := vt.RawGetString("format").(lua.LString)
			s, ok2 := vt.RawGetString("string").(lua.LString)
			if ok1 && ok2 && len(f) == 3 {
				w.Verbatim(string(f), string(s))
				return
			}
		}
		if m, ok := v.RawGetString("map").(*lua.LTable); ok {
			var kv []lua.LValue
			m.ForEach(func(k, val lua.LValue) { kv = append(kv, k, val) })
			w.Map(len(kv) / 2)
			for _, x := range kv {
				luaToReply(w, run, x, depth+1)
			}
			return
		}
		if st, ok := v.RawGetString("set").(*lua.LTable); ok {
			var ks []lua.LValue
			st.ForEach(func(k, _ lua.LValue) { ks = append(ks, k) })
			w.Set(len(ks))
			for _, x := range ks {
				luaToReply(w, run, x, depth+1)
			}
			return
		}
		n := 0
		for v.RawGetInt(n+1) != lua.LNil {
			n++
		}
		w.Array(n)
		for i := 1; i <= n; i++ {
			luaToReply(w, run, v.RawGetInt(i), depth+1)
		}
	default:
		w.Null()
	}
}

// callFromScript runs one command for redis.call/redis.pcall and returns its
// raw reply in the script's protocol, or an error of Redis' script checks
// (not a command's own error, which is in the reply).
func (s *Server) callFromScript(run *scriptRun, args [][]byte) ([]byte, string) {
	cmd, unknownSub := s.cmds.lookup(args)
	if cmd == nil || unknownSub {
		return nil, "ERR Unknown Redis command called from script"
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		return nil, "ERR Wrong number of args calling Redis command from script"
	}
	if cmd.Flags&FlagNoScript != 0 {
		return nil, "ERR This Redis command is not allowed from script"
	}
	if cmd.Flags&FlagWrite != 0 {
		if run.readOnly {
			return nil, "ERR Write commands are not allowed from read-only scripts."
		}
		run.wrote = true
	}
	outer := run.ctx
	sc := s.lua
	if sc.callW == nil {
		sc.callW = resp.NewWriter(run.resp)
	}
	w := sc.callW
	if w.Len() > 64<<10 {
		w.SetBuffer(nil) // don't keep a big reply's buffer
	}
	w.Reset()
	w.ResetErrors()
	w.SetProto(run.resp)
	inner := &sc.callCtx
	*inner = Ctx{srv: s, Client: outer.Client, W: w, Cmd: cmd, start: outer.start, now: outer.now, inExec: true, busy: outer.busy}
	s.runHandler(inner, cmd, args, 0)
	cmd.stats.calls++
	if n, first := w.Errors(); n > 0 {
		cmd.stats.failed++
		s.countReplyErrors(n, first)
	}
	s.stats.commands.Inc()
	if len(s.monitors) > 0 && cmd.Flags&(FlagSkipMonitor|FlagAdmin) == 0 {
		s.feedMonitorsAs(outer.Client, "lua", args)
	}
	return w.Bytes(), ""
}

// replyToLua reads one RESP2/RESP3 reply into a Lua value, as Redis'
// redisProtocolToLuaType does; raise is set for an error reply. It returns
// the bytes read.
func replyToLua(L *lua.LState, b []byte) (lua.LValue, int) {
	if len(b) == 0 {
		return lua.LNil, 0
	}
	end := bytes.Index(b, crlf)
	if end < 0 {
		return lua.LNil, len(b)
	}
	hdr := b[1:end] // the numbers are read from it without a string
	line := ""
	switch b[0] {
	case '+', '-', '#', ',', '(':
		line = string(hdr)
	}
	n := end + 2
	switch b[0] {
	case ':':
		i, _ := resp.ParseInt(hdr)
		return lua.LNumber(i), n
	case '$', '=':
		l64, _ := resp.ParseInt(hdr)
		l := int(l64)
		if l < 0 {
			return lua.LFalse, n
		}
		str := string(b[n : n+l])
		n += l + 2
		if b[0] == '=' {
			t := L.NewTable()
			vt := L.NewTable()
			if len(str) >= 4 {
				vt.RawSetString("format", lua.LString(str[:3]))
				str = str[4:]
			}
			vt.RawSetString("string", lua.LString(str))
			t.RawSetString("verbatim_string", vt)
			return t, n
		}
		return lua.LString(str), n
	case '+':
		t := L.NewTable()
		t.RawSetString("ok", lua.LString(line))
		return t, n
	case '-':
		t := L.NewTable()
		t.RawSetString("err", lua.LString(line))
		return t, n
	case '*', '~', '%', '>':
		cnt64, _ := resp.ParseInt(hdr)
		cnt := int(cnt64)
		if cnt < 0 {
			return lua.LFalse, n
		}
		t := L.CreateTable(cnt, 0)
		switch b[0] {
		case '%':
			for i := 0; i < cnt; i++ {
				k, m := replyToLua(L, b[n:])
				n += m
				v, m := replyToLua(L, b[n:])
				n += m
				t.RawSet(k, v)
			}
			outer := L.NewTable()
			outer.RawSetString("map", t)
			return outer, n
		case '~':
			for i := 0; i < cnt; i++ {
				k, m := replyToLua(L, b[n:])
				n += m
				t.RawSet(k, lua.LTrue)
			}
			outer := L.NewTable()
			outer.RawSetString("set", t)
			return outer, n
		}
		for i := 0; i < cnt; i++ {
			v, m := replyToLua(L, b[n:])
			n += m
			t.RawSetInt(i+1, v)
		}
		return t, n
	case '_':
		return lua.LNil, n
	case '#':
		return lua.LBool(line == "t"), n
	case ',':
		f, _ := strconv.ParseFloat(line, 64)
		switch line {
		case "inf":
			f = posInf
		case "-inf":
			f = -posInf
		}
		t := L.NewTable()
		t.RawSetString("double", lua.LNumber(f))
		return t, n
	case '(':
		t := L.NewTable()
		t.RawSetString("big_number", lua.LString(line))
		return t, n
	}
	return lua.LNil, n
}

var crlf = []byte("\r\n")

var posInf = func() float64 { f, _ := strconv.ParseFloat("+Inf", 64); return f }()

// errorTable is Redis' error table {err="CODE msg"}, from luaPushErrorBuff:
// a "-CODE msg" keeps its code, anything else gets ERR.
func errorTable(L *lua.LState, msg string) *lua.LTable {
	if rest, ok := strings.CutPrefix(msg, "-"); ok {
		if code, m, ok := strings.Cut(rest, " "); ok {
			msg = code + " " + m
		} else {
			msg = "ERR " + rest
		}
	} else if !strings.HasPrefix(msg, "ERR ") {
		msg = "ERR " + msg
	}
	t := L.NewTable()
	t.RawSetString("err", lua.LString(strings.TrimRight(msg, "\r\n")))
	return t
}

// currentLine is the line of the innermost Lua function running.
func currentLine(L *lua.LState) int {
	for level := 0; level < 50; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			return 0
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
			continue
		}
		if dbg.What != "G" && dbg.CurrentLine > 0 {
			return dbg.CurrentLine
		}
	}
	return 0
}

// raiseTable raises Redis' error table for msg, the line recorded for the
// final reply.
func (s *Server) raiseTable(L *lua.LState, msg string) int {
	if s.lua != nil && s.lua.run != nil {
		s.lua.run.errLine = currentLine(L)
	}
	L.Error(errorTable(L, msg), 0)
	return 0
}

// raiseString raises a plain Lua error without position (as a C function of
// Redis' does with luaL_error at level 0), its line recorded.
func (s *Server) raiseString(L *lua.LState, msg string, withPos bool) int {
	if s.lua != nil && s.lua.run != nil {
		s.lua.run.errLine = currentLine(L)
	}
	if withPos {
		L.RaiseError("%s", msg)
	} else {
		L.Error(lua.LString(msg), 0)
	}
	return 0
}

// newLuaState builds the interpreter with Redis' libraries and sandbox: the
// globals are read-only, reading a missing one is an error, and only the
// functions Redis 7.0 keeps are there.
func (s *Server) newLuaState() *lua.LState {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, RegistryMaxSize: 1 << 20, CallStackSize: 1000})
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	for _, name := range []string{"dofile", "loadfile", "print", "require", "module", "newproxy", "setfenv", "getfenv", "_printregs"} {
		g.RawSetString(name, lua.LNil)
	}
	g.RawSetString("gcinfo", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(0))
		return 1
	}))
	g.RawSetString("redis", s.redisLib(L))
	g.RawSetString("bit", openBit(L))
	g.RawSetString("cjson", s.openCjson(L))

	readonly := L.NewFunction(func(L *lua.LState) int {
		return s.raiseString(L, "Attempt to modify a readonly table", true)
	})
	// Library tables are read-only: each is replaced by an empty proxy
	// that reads through to it.
	for _, name := range []string{"redis", "bit", "cjson", "string", "table", "math", "coroutine"} {
		real := g.RawGetString(name)
		proxy := L.NewTable()
		mt := L.NewTable()
		mt.RawSetString("__index", real)
		mt.RawSetString("__newindex", readonly)
		mt.RawSetString("__metatable", lua.LFalse)
		proxy.Metatable = mt
		g.RawSetString(name, proxy)
	}
	// The string metatable is read-only too, as in Redis: getmetatable('')
	// answers a proxy (its __metatable) that reads through to it and
	// refuses every write; the string methods still find __index in the
	// real one.
	if smt, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		proxy := L.NewTable()
		mt := L.NewTable()
		mt.RawSetString("__index", smt)
		mt.RawSetString("__newindex", readonly)
		mt.RawSetString("__metatable", lua.LFalse)
		proxy.Metatable = mt
		smt.RawSetString("__metatable", proxy)
	}
	// The scripts' environment: a proxy of the globals that refuses new
	// globals and reading missing ones. It reads through to the globals
	// table (a table __index, which gopher-lua follows without calling a
	// function), whose own metatable refuses the rest, as Redis' error
	// metatable on its globals does (code run by loadstring, whose
	// environment is the globals, gets the same errors as in Redis).
	env := L.NewTable()
	gmt := L.NewTable()
	gmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		if v := g.RawGet(k); v != lua.LNil {
			L.Push(v)
			return 1
		}
		return s.raiseString(L, fmt.Sprintf("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(k)), true)
	}))
	gmt.RawSetString("__newindex", readonly)
	gmt.RawSetString("__metatable", lua.LFalse)
	mt := L.NewTable()
	mt.RawSetString("__index", g)
	mt.RawSetString("__newindex", readonly)
	mt.RawSetString("__metatable", lua.LFalse)
	env.Metatable = mt
	g.RawSetString("_G", env)
	protected := func(t lua.LValue) bool {
		if t == env {
			return true
		}
		tb, ok := t.(*lua.LTable)
		if !ok {
			return false
		}
		mt, ok := tb.Metatable.(*lua.LTable) // LNil without one
		return ok && mt.RawGetString("__newindex") == readonly
	}
	rawset := g.RawGetString("rawset").(*lua.LFunction)
	g.RawSetString("rawset", L.NewFunction(func(L *lua.LState) int {
		if protected(L.Get(1)) {
			return s.raiseString(L, "Attempt to modify a readonly table", false)
		}
		L.Push(rawset)
		L.Push(L.Get(1))
		L.Push(L.Get(2))
		L.Push(L.Get(3))
		L.Call(3, 1)
		return 1
	}))
	setmt := g.RawGetString("setmetatable").(*lua.LFunction)
	g.RawSetString("setmetatable", L.NewFunction(func(L *lua.LState) int {
		if protected(L.Get(1)) {
			return s.raiseString(L, "Attempt to modify a readonly table", false)
		}
		L.Push(setmt)
		L.Push(L.Get(1))
		L.Push(L.Get(2))
		L.Call(2, 1)
		return 1
	}))
	// pcall is Redis 7.0's luaRedisPcall: an error table with a string err
	// field is caught as that string.
	pcall := g.RawGetString("pcall").(*lua.LFunction)
	g.RawSetString("pcall", L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		L.Push(pcall)
		for i := 1; i <= top; i++ {
			L.Push(L.Get(i))
		}
		L.Call(top, lua.MultRet)
		n := L.GetTop() - top
		if n >= 2 && L.Get(top+1) == lua.LFalse {
			if t, ok := L.Get(top + 2).(*lua.LTable); ok {
				if e, ok := t.RawGetString("err").(lua.LString); ok {
					L.Replace(top+2, e)
				}
			}
		}
		return n
	}))
	errFn := g.RawGetString("error").(*lua.LFunction)
	g.RawSetString("error", L.NewFunction(func(L *lua.LState) int {
		if s.lua != nil && s.lua.run != nil {
			s.lua.run.errLine = currentLine(L)
		}
		top := L.GetTop()
		L.Push(errFn)
		for i := 1; i <= top; i++ {
			L.Push(L.Get(i))
		}
		// error's level counts from the caller: one more for this wrapper.
		if top >= 2 {
			if lvl, ok := L.Get(2).(lua.LNumber); ok && lvl > 0 {
				L.Replace(-1, lvl+1)
			}
		} else if top == 1 {
			L.Push(lua.LNumber(2))
			top = 2
		}
		L.Call(top, 0)
		return 0
	}))
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	reg.RawSetString("redis_env", env)
	reg.RawSetString("redis_fenv", s.functionEnv(L, g, readonly))
	g.Metatable = gmt
	return L
}

func (s *Server) redisLib(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	call := func(raise bool) lua.LGFunction {
		return func(L *lua.LState) int {
			run := s.lua.run
			n := L.GetTop()
			if n == 0 {
				return s.raiseTable(L, "Please specify at least one argument for this redis lib call")
			}
			// The arguments are copied into buffers every call reuses:
			// like a client's, they are valid while the command runs.
			sc := s.lua
			buf, ends := sc.callBuf[:0], sc.callEnd[:0]
			for i := 1; i <= n; i++ {
				switch v := L.Get(i).(type) {
				case lua.LString:
					buf = append(buf, v...)
				case lua.LNumber:
					buf = appendLuaNumber(buf, float64(v))
				default:
					return s.raiseTable(L, "Lua redis lib command arguments must be strings or integers")
				}
				ends = append(ends, len(buf))
			}
			args := sc.callArg[:0]
			start := 0
			for _, end := range ends {
				args = append(args, buf[start:end:end])
				start = end
			}
			if cap(buf) <= 64<<10 {
				sc.callBuf, sc.callArg, sc.callEnd = buf, args, ends
			}
			if run == nil {
				return s.raiseTable(L, "ERR redis.call is not allowed outside a script")
			}
			reply, msg := s.callFromScript(run, args)
			if msg != "" {
				if raise {
					return s.raiseTable(L, msg)
				}
				L.Push(errorTable(L, msg))
				return 1
			}
			v, _ := replyToLua(L, reply)
			if raise && len(reply) > 0 && reply[0] == '-' {
				run.errLine = currentLine(L)
				L.Error(v, 0)
				return 0
			}
			L.Push(v)
			return 1
		}
	}
	L.SetFuncs(t, map[string]lua.LGFunction{
		"call":  call(true),
		"pcall": call(false),
		"sha1hex": func(L *lua.LState) int {
			if L.GetTop() != 1 {
				return s.raiseString(L, "wrong number of arguments", false)
			}
			L.Push(lua.LString(sha1hex(lua.LVAsString(L.Get(1)))))
			return 1
		},
		"error_reply": func(L *lua.LState) int {
			str, ok := L.Get(1).(lua.LString)
			if L.GetTop() != 1 || !ok {
				return s.raiseTable(L, "wrong number or type of arguments")
			}
			msg := string(str)
			if !strings.HasPrefix(msg, "-") {
				msg = "-" + msg
			}
			L.Push(errorTable(L, msg))
			return 1
		},
		"status_reply": func(L *lua.LState) int {
			str, ok := L.Get(1).(lua.LString)
			if L.GetTop() != 1 || !ok {
				return s.raiseTable(L, "wrong number or type of arguments")
			}
			r := L.NewTable()
			r.RawSetString("ok", str)
			L.Push(r)
			return 1
		},
		"log": func(L *lua.LState) int {
			if L.GetTop() < 2 {
				return s.raiseTable(L, "redis.log() requires two arguments or more.")
			}
			lvl, ok := L.Get(1).(lua.LNumber)
			if !ok {
				return s.raiseTable(L, "First argument must be a number (log level).")
			}
			if lvl < 0 || lvl > 3 {
				return s.raiseTable(L, "Invalid debug level.")
			}
			parts := make([]string, 0, L.GetTop()-1)
			for i := 2; i <= L.GetTop(); i++ {
				parts = append(parts, lua.LVAsString(L.Get(i)))
			}
			msg := strings.Join(parts, " ")
			switch lvl {
			case 0:
				s.log.Debug(msg)
			case 1:
				s.log.Info(msg)
			case 2:
				s.log.Info(msg)
			case 3:
				s.log.Warn(msg)
			}
			return 0
		},
		"setresp": func(L *lua.LState) int {
			if L.GetTop() != 1 {
				return s.raiseTable(L, "redis.setresp() requires one argument.")
			}
			n, ok := L.Get(1).(lua.LNumber)
			if !ok || (n != 2 && n != 3) {
				return s.raiseTable(L, "RESP version must be 2 or 3.")
			}
			if s.lua.run != nil {
				s.lua.run.resp = int(n)
			}
			return 0
		},
		"replicate_commands": func(L *lua.LState) int {
			L.Push(lua.LTrue)
			return 1
		},
		"set_repl": func(L *lua.LState) int {
			if L.GetTop() != 1 {
				return s.raiseTable(L, "redis.set_repl() requires one argument.")
			}
			n, ok := L.Get(1).(lua.LNumber)
			if !ok || n < 0 || n > 3 {
				return s.raiseTable(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
			}
			return 0
		},
		"breakpoint": func(L *lua.LState) int {
			L.Push(lua.LFalse)
			return 1
		},
		"debug": func(L *lua.LState) int { return 0 },
	})
	for k, v := range map[string]int{"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3,
		"REPL_NONE": 0, "REPL_AOF": 1, "REPL_SLAVE": 2, "REPL_REPLICA": 2, "REPL_ALL": 3} {
		t.RawSetString(k, lua.LNumber(v))
	}
	t.RawSetString("REDIS_VERSION", lua.LString(Version))
	maj, rest, _ := strings.Cut(Version, ".")
	mn, pt, _ := strings.Cut(rest, ".")
	a, _ := strconv.Atoi(maj)
	b, _ := strconv.Atoi(mn)
	c, _ := strconv.Atoi(pt)
	t.RawSetString("REDIS_VERSION_NUM", lua.LNumber(a<<16|b<<8|c))
	return t
}

// luaNumberString formats a Lua number as Lua 5.1's tostring does (%.14g).
func luaNumberString(f float64) string {
	return string(appendLuaNumber(nil, f))
}

// appendLuaNumber appends luaNumberString(f) to b.
func appendLuaNumber(b []byte, f float64) []byte {
	if f == float64(int64(f)) && f < 1e14 && f > -1e14 && (f != 0 || !math.Signbit(f)) {
		return strconv.AppendInt(b, int64(f), 10)
	}
	return fmt.Appendf(b, "%.14g", f)
}

// scriptContext guards the type assertion the Lua state's context needs.
var _ context.Context = (*scriptRun)(nil)
