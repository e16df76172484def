package server

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

func serverCommands(s *Server) commandGroup {
	return commandGroup{
		{"info", s.cmdInfo, FlagAllowBusy},
		{"config", nil, 0},
		{"config|get", s.cmdConfigGet, FlagAllowBusy},
		{"config|set", s.cmdConfigSet, 0},
		{"config|resetstat", s.cmdConfigResetstat, 0},
		{"config|help", s.cmdConfigHelp, 0},
		{"time", s.cmdTime, 0},
		{"dbsize", s.cmdDBSize, 0},
		{"lastsave", s.cmdLastsave, 0},
		{"shutdown", s.cmdShutdown, 0},
		{"flushdb", s.cmdFlushDB, 0},
		{"flushall", s.cmdFlushAll, 0},
		{"swapdb", s.cmdSwapDB, 0},
		{"monitor", s.cmdMonitor, 0},
		{"debug", s.cmdDebug, FlagProtected},
		{"module", nil, 0},
		{"module|list", s.cmdModuleList, 0},
		{"module|help", s.cmdModuleHelp, 0},
	}
}

func (s *Server) cmdConfigGet(c *Ctx, args [][]byte) {
	patterns := make([]string, len(args)-2)
	for i, a := range args[2:] {
		patterns[i] = string(a)
	}
	pairs := s.cfg.Match(patterns)
	c.W.Map(len(pairs))
	for _, kv := range pairs {
		c.W.BulkString(kv[0])
		c.W.BulkString(kv[1])
	}
}

func (s *Server) cmdConfigSet(c *Ctx, args [][]byte) {
	if len(args)%2 != 0 {
		c.W.Error(ErrSyntax)
		return
	}
	pairs := make([][2]string, 0, (len(args)-2)/2)
	for i := 2; i+1 < len(args); i += 2 {
		pairs = append(pairs, [2]string{string(args[i]), string(args[i+1])})
	}
	if err := s.cfg.Set(c, pairs, false); err != nil {
		var cse *ConfigSetError
		if errors.As(err, &cse) && cse.applyFailed {
			s.log.Warn(fmt.Sprintf("Failed applying new configuration. Possibly related to new %s setting. Restoring previous settings.", cse.Param))
		}
		c.W.Error(err.Error())
		return
	}
	c.W.OK()
}

func (s *Server) cmdConfigResetstat(c *Ctx, args [][]byte) {
	s.resetStats()
	c.W.OK()
}

func (s *Server) resetStats() {
	st := &s.stats
	st.commands.Store(0)
	st.connectionsReceived.Store(0)
	st.rejectedConnections.Store(0)
	st.netInputBytes.Store(0)
	st.netOutputBytes.Store(0)
	st.expiredKeys.Store(0)
	st.keyspaceHits.Store(0)
	st.keyspaceMisses.Store(0)
	st.resetErrors()
	for _, cmd := range s.cmds.cmds {
		cmd.stats = commandStats{}
		for _, sub := range cmd.subs {
			sub.stats = commandStats{}
		}
	}
}

func (s *Server) cmdConfigHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
	})
}

func (s *Server) cmdTime(c *Ctx, args [][]byte) {
	now := time.Now()
	c.W.Array(2)
	c.W.BulkInt(now.Unix())
	c.W.BulkInt(int64(now.Nanosecond() / 1000))
}

func (s *Server) cmdDBSize(c *Ctx, args [][]byte) { c.W.Int(int64(c.DB().Size())) }

func (s *Server) cmdLastsave(c *Ctx, args [][]byte) { c.W.Int(s.lastSave) }

// cmdShutdown is SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Nothing is
// ever saved; the flags are checked as Redis checks them.
func (s *Server) cmdShutdown(c *Ctx, args [][]byte) {
	var nosave, save, abort, other bool
	for _, a := range args[1:] {
		switch {
		case resp.EqualFold(a, "nosave"):
			nosave = true
		case resp.EqualFold(a, "save"):
			save = true
		case resp.EqualFold(a, "now"), resp.EqualFold(a, "force"):
			other = true
		case resp.EqualFold(a, "abort"):
			abort = true
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	if (abort && (nosave || save || other)) || (nosave && save) {
		c.W.Error(ErrSyntax)
		return
	}
	if abort {
		c.W.Error("ERR No shutdown in progress.")
		return
	}
	if b := s.busy; b != nil && b != c.busy && !nosave {
		// During a yielding operation Redis only shuts down with NOSAVE.
		c.W.Error(b.reason)
		return
	}
	s.log.Warn("User requested shutdown...")
	// Like Redis, no reply: the connection just closes.
	c.Client.closeAfterReply = true
	s.shutdownAsync()
}

// parseFlushMode accepts FLUSHDB/FLUSHALL's optional ASYNC|SYNC.
func parseFlushMode(c *Ctx, args [][]byte) bool {
	if len(args) > 2 {
		c.W.Error(ErrSyntax)
		return false
	}
	if len(args) == 2 && !resp.EqualFold(args[1], "async") && !resp.EqualFold(args[1], "sync") {
		c.W.Error(ErrSyntax)
		return false
	}
	return true
}

func (s *Server) cmdFlushDB(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	s.flushDB(c.Client.db)
	c.W.OK()
}

func (s *Server) cmdFlushAll(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	for i := range s.dbs {
		s.flushDB(i)
	}
	s.notifyDB(KeyEvent{DB: -1, Event: "flushdb", Class: EventFlush})
	c.W.OK()
}

// flushDB empties a database, touching its watched keys and telling the
// modules.
func (s *Server) flushDB(i int) {
	db := s.dbs[i]
	s.touchWatchedDB(i, nil)
	n := db.Size()
	db.flush()
	s.stats.dirty.Add(int64(n))
	s.notifyDB(KeyEvent{DB: i, Event: "flushdb", Class: EventFlush})
}

func (s *Server) cmdSwapDB(c *Ctx, args [][]byte) {
	if s.params.clusterEnabled() {
		c.W.Error("ERR SWAPDB is not allowed in cluster mode")
		return
	}
	a, ok := resp.ParseInt(args[1])
	if !ok || a < -1<<31 || a > 1<<31-1 {
		c.W.Error("ERR invalid first DB index")
		return
	}
	b, ok := resp.ParseInt(args[2])
	if !ok || b < -1<<31 || b > 1<<31-1 {
		c.W.Error("ERR invalid second DB index")
		return
	}
	if a < 0 || a >= int64(len(s.dbs)) || b < 0 || b >= int64(len(s.dbs)) {
		c.W.Error(ErrDBIndex)
		return
	}
	if a != b {
		da, dbb := s.dbs[a], s.dbs[b]
		s.touchWatchedDB(int(a), dbb)
		s.touchWatchedDB(int(b), da)
		da.keys, dbb.keys = dbb.keys, da.keys
		da.expires, dbb.expires = dbb.expires, da.expires
		da.order, dbb.order = dbb.order, da.order
		da.hfe, dbb.hfe = dbb.hfe, da.hfe
		s.stats.dirty.Inc()
		s.notifyDB(KeyEvent{DB: int(a), DB2: int(b), Event: "swapdb", Class: EventSwapDB})
	}
	c.W.OK()
}

func (s *Server) cmdDebug(c *Ctx, args [][]byte) {
	sub := args[1]
	switch {
	case resp.EqualFold(sub, "sleep") && len(args) == 3:
		// Redis parses with strtod and sleeps without yielding: nothing
		// else runs meanwhile, not even PING.
		secs, _ := strconv.ParseFloat(string(args[2]), 64)
		if secs > 0 {
			time.Sleep(time.Duration(secs * float64(time.Second)))
		}
		c.W.OK()
	case resp.EqualFold(sub, "busy") && (len(args) == 3 || len(args) == 4):
		s.debugBusy(c, args)
	case resp.EqualFold(sub, "set-active-expire") && len(args) == 3:
		n, _ := strconv.Atoi(string(args[2]))
		s.activeExpireDisabled.Store(n == 0)
		c.W.OK()
	case resp.EqualFold(sub, "object") && len(args) == 3:
		e := c.DB().Lookup(string(args[2]))
		if e == nil {
			c.W.Error(ErrNoSuchKey)
			return
		}
		idle := (c.now - e.access) / 1000
		c.W.SimpleString(fmt.Sprintf("Value at:0x%012x refcount:1 encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
			0, e.encoding(), serializedLength(e), (e.access/1000)&(1<<24-1), idle))
	case resp.EqualFold(sub, "help") && len(args) == 2:
		writeHelp(c.W, "DEBUG", []string{
			"BUSY <milliseconds> [<yield-interval-ms>]",
			"    Hold the main thread for <milliseconds>, yielding every <yield-interval-ms> (default 2):",
			"    allow-busy commands (PING, INFO, CONFIG GET...) and workers run meanwhile; other",
			"    commands wait, then get -BUSY once busy-reply-threshold has passed.",
			"OBJECT <key>",
			"    Show low level info about the <key> and associated value.",
			"SET-ACTIVE-EXPIRE <0|1>",
			"    Setting it to 0 disables expiring keys in background when they are not accessed.",
			"SLEEP <seconds>",
			"    Stop the server for <seconds>, without yielding. Decimals are allowed.",
		})
	default:
		c.W.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try DEBUG HELP.", sub))
	}
}

// debugBusy holds the main thread for a while with yield points, the way a
// long module operation does: the yield behaviour can be tested with it.
func (s *Server) debugBusy(c *Ctx, args [][]byte) {
	ms, ok := resp.ParseInt(args[2])
	if !ok || ms < 0 {
		c.W.Error(ErrNotInteger)
		return
	}
	every := int64(2)
	if len(args) == 4 {
		every, ok = resp.ParseInt(args[3])
		if !ok || every <= 0 {
			c.W.Error(ErrNotInteger)
			return
		}
	}
	end := c.start.Add(time.Duration(ms) * time.Millisecond)
	for {
		now := time.Now()
		if !now.Before(end) || c.Client.isKilled() {
			break
		}
		time.Sleep(min(end.Sub(now), time.Duration(every)*time.Millisecond))
		c.Yield("")
	}
	c.W.OK()
}

// serializedLength is DEBUG OBJECT's serializedlength: the size of the
// value in an RDB file. Redis compresses strings (and listpack blobs) over
// 20 bytes with LZF when it can; we do not, so for those this is the
// uncompressed size, an upper bound.
func serializedLength(e *Entry) int {
	if e.typ == TypeModule {
		if dt, v := e.ModuleValue(); dt != nil && dt.SerializedLen != nil {
			return dt.SerializedLen(v)
		}
		return 0
	}
	if e.typ == TypeString {
		return rdbStringLen(e.str)
	}
	if e.typ == TypeSet {
		return setSerializedLength(e.set())
	}
	if e.typ == TypeStream {
		return 0 // not modelled
	}
	if e.typ == TypeZset {
		return zsetSerializedLength(e.zset())
	}
	if e.encoding() == "listpack" {
		n := listpackLen(e.Hash())
		return rdbLenLen(n) + n
	}
	n := rdbLenLen(e.Hash().Len())
	e.Hash().Each(func(f, v string) bool { n += rdbStringLen(f) + rdbStringLen(v); return true })
	return n
}

// rdbStringLen is the size of rdbSaveRawString's encoding: a small integer
// as an integer, else a length and the bytes.
func rdbStringLen(s string) int {
	if len(s) <= 11 {
		if n, ok := resp.ParseIntString(s); ok {
			switch {
			case n >= -1<<7 && n < 1<<7:
				return 2
			case n >= -1<<15 && n < 1<<15:
				return 3
			case n >= -1<<31 && n < 1<<31:
				return 5
			}
		}
	}
	return rdbLenLen(len(s)) + len(s)
}

// rdbLenLen is the size of rdbSaveLen's encoding of n.
func rdbLenLen(n int) int {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case int64(n) <= 1<<32-1:
		return 5
	}
	return 9
}

// listpackLen is the size in bytes of the listpack Redis would hold the
// hash in: a 6-byte header, each field and value as an entry (an integer
// in the smallest of Redis' integer encodings, else a string) followed by
// its back-length, and the end byte.
func listpackLen(h *Hash) int {
	n := 6 + 1
	entry := func(s string) {
		size := 0
		if v, ok := resp.ParseIntString(s); ok && len(s) <= 20 {
			switch {
			case v >= 0 && v <= 127:
				size = 1
			case v >= -4096 && v <= 4095:
				size = 2
			case v >= -1<<15 && v < 1<<15:
				size = 3
			case v >= -1<<23 && v < 1<<23:
				size = 4
			case v >= -1<<31 && v < 1<<31:
				size = 5
			default:
				size = 9
			}
		} else {
			switch {
			case len(s) < 64:
				size = 1 + len(s)
			case len(s) < 4096:
				size = 2 + len(s)
			default:
				size = 5 + len(s)
			}
		}
		var backlen int
		switch {
		case size <= 127:
			backlen = 1
		case size < 16383:
			backlen = 2
		case size < 2097151:
			backlen = 3
		case size < 268435455:
			backlen = 4
		default:
			backlen = 5
		}
		n += size + backlen
	}
	h.Each(func(f, v string) bool { entry(f); entry(v); return true })
	return n
}

func (s *Server) cmdModuleList(c *Ctx, args [][]byte) { s.writeModuleList(c.W) }

// writeModuleList writes the modules as MODULE LIST and HELLO show them.
func (s *Server) writeModuleList(w *resp.Writer) {
	w.Array(len(s.modules))
	for _, m := range s.modules {
		w.Map(4)
		w.BulkString("name")
		w.BulkString(m.Name())
		w.BulkString("ver")
		w.Int(int64(m.Version()))
		w.BulkString("path")
		w.BulkString("builtin")
		w.BulkString("args")
		w.Array(0)
	}
}

func (s *Server) cmdModuleHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "MODULE", []string{
		"LIST",
		"    Return a list of loaded modules.",
	})
}
