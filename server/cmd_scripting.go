package server

import (
	"github.com/miniredis-search/miniredis-search/resp"
)

// Scripting commands: EVAL, EVALSHA, their _RO forms and SCRIPT (scripting.go
// runs the scripts).

func scriptingCommands(s *Server) commandGroup {
	return commandGroup{
		{"eval", func(c *Ctx, a [][]byte) { s.evalGeneric(c, a, false, false) }, 0},
		{"evalsha", func(c *Ctx, a [][]byte) { s.evalGeneric(c, a, true, false) }, 0},
		{"eval_ro", func(c *Ctx, a [][]byte) { s.evalGeneric(c, a, false, true) }, 0},
		{"evalsha_ro", func(c *Ctx, a [][]byte) { s.evalGeneric(c, a, true, true) }, 0},
		{"script", nil, 0},
		{"script|load", s.cmdScriptLoad, 0},
		{"script|exists", s.cmdScriptExists, 0},
		{"script|flush", s.cmdScriptFlush, 0},
		{"script|kill", s.cmdScriptKill, 0},
		{"script|help", s.cmdScriptHelp, 0},
		{"fcall", func(c *Ctx, a [][]byte) { s.fcall(c, a, false) }, 0},
		{"fcall_ro", func(c *Ctx, a [][]byte) { s.fcall(c, a, true) }, 0},
		{"function", nil, 0},
		{"function|load", s.cmdFunctionLoad, 0},
		{"function|delete", s.cmdFunctionDelete, 0},
		{"function|flush", s.cmdFunctionFlush, 0},
		{"function|list", s.cmdFunctionList, 0},
		{"function|kill", func(c *Ctx, a [][]byte) { s.killScript(c, true) }, 0},
		{"function|stats", s.cmdFunctionStats, 0},
		{"function|help", s.cmdFunctionHelp, 0},
	}
}

func (s *Server) cmdScriptLoad(c *Ctx, args [][]byte) {
	sha, _, msg := s.loadScript(string(args[2]))
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.BulkString(sha)
}

func (s *Server) cmdScriptExists(c *Ctx, args [][]byte) {
	c.W.Array(len(args) - 2)
	for _, a := range args[2:] {
		found := s.lua != nil && s.lua.scripts[resp.Lower(a)] != nil
		if found {
			c.W.Int(1)
		} else {
			c.W.Int(0)
		}
	}
}

func (s *Server) cmdScriptFlush(c *Ctx, args [][]byte) {
	if len(args) > 3 || (len(args) == 3 && !resp.EqualFold(args[2], "sync") && !resp.EqualFold(args[2], "async")) {
		c.W.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	if s.lua != nil && s.lua.run != nil {
		// Only reachable from the running script's own EXEC; Redis refuses
		// SCRIPT from scripts, so the state is never dropped under one.
		c.W.Error(ErrBusyScript)
		return
	}
	s.flushScripts()
	c.W.OK()
}

func (s *Server) cmdScriptKill(c *Ctx, args [][]byte) { s.killScript(c, false) }

func (s *Server) cmdScriptHelp(c *Ctx, args [][]byte) {
	// Redis' text, without SCRIPT DEBUG (the Lua debugger is not built).
	writeHelp(c.W, "SCRIPT", []string{
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	})
}
