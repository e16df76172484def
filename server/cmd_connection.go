package server

import (
	"fmt"

	"github.com/miniredis-search/miniredis-search/resp"
)

func connectionCommands(s *Server) commandGroup {
	return commandGroup{
		{"ping", s.cmdPing, FlagAllowBusy},
		{"echo", s.cmdEcho, FlagAllowBusy},
		{"quit", s.cmdQuit, 0},
		{"reset", s.cmdReset, 0},
		{"hello", s.cmdHello, 0},
		{"auth", s.cmdAuth, 0},
		{"select", s.cmdSelect, 0},
	}
}

func (s *Server) cmdPing(c *Ctx, args [][]byte) {
	if len(args) <= 2 && c.Client != nil && c.Client.proto == 2 && c.Client.subscribed() {
		// In RESP2 Pub/Sub mode PING answers in the shape of a message.
		c.W.Array(2)
		c.W.BulkString("pong")
		if len(args) == 2 {
			c.W.Bulk(args[1])
		} else {
			c.W.BulkString("")
		}
		return
	}
	switch len(args) {
	case 1:
		c.W.RawString("+PONG\r\n")
	case 2:
		c.W.Bulk(args[1])
	default:
		c.W.Error(fmt.Sprintf(ErrWrongArgsFmt, "ping"))
	}
}

func (s *Server) cmdEcho(c *Ctx, args [][]byte) { c.W.Bulk(args[1]) }

// cmdQuit only runs from MULTI's queue; QUIT itself is answered before
// dispatch.
func (s *Server) cmdQuit(c *Ctx, args [][]byte) {
	c.W.OK()
	c.Client.closeAfterReply = true
}

func (s *Server) cmdReset(c *Ctx, args [][]byte) {
	cl := c.Client
	s.discardTransaction(cl)
	s.unwatchAll(cl)
	if cl.monitor != nil {
		s.removeMonitor(cl)
	}
	s.unsubscribeAll(cl)
	cl.db = 0
	cl.proto = 2
	cl.w.SetProto(2)
	cl.name = ""
	cl.noEvict = false
	cl.noTouch = false
	cl.authed = !s.authRequired()
	c.W.RawString("+RESET\r\n")
}

// cmdHello is HELLO [protover [AUTH user pass] [SETNAME name]]. As in
// Redis 7.0 the options act in order while they are parsed: a SETNAME before
// a failing option has named the client, an AUTH before a bad option has
// authenticated it; only the protocol waits for the end.
func (s *Server) cmdHello(c *Ctx, args [][]byte) {
	cl := c.Client
	ver := int64(0)
	next := 1
	if len(args) >= 2 {
		v, ok := resp.ParseInt(args[1])
		if !ok {
			c.W.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.W.Error(ErrNoProto)
			return
		}
		ver = v
		next = 2
	}
	for j := next; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case resp.EqualFold(args[j], "auth") && more >= 2:
			user, pass := string(args[j+1]), string(args[j+2])
			redactArg(args, j+1)
			redactArg(args, j+2)
			if !s.checkPassword(user, pass) {
				c.W.Error(ErrWrongPass)
				return
			}
			cl.authed = true
			j += 2
		case resp.EqualFold(args[j], "setname") && more >= 1:
			if !validClientName(args[j+1]) {
				c.W.Error(ErrClientName)
				return
			}
			cl.name = string(args[j+1])
			j++
		default:
			c.W.Error(fmt.Sprintf("ERR Syntax error in HELLO option '%s'", args[j]))
			return
		}
	}
	if !cl.authed && s.authRequired() {
		c.W.Error(ErrHelloNoAuth)
		return
	}
	if ver != 0 {
		cl.proto = int(ver)
		cl.w.SetProto(int(ver))
	}
	w := c.W
	w.Map(7)
	w.BulkString("server")
	w.BulkString("redis")
	w.BulkString("version")
	w.BulkString(Version)
	w.BulkString("proto")
	w.Int(int64(cl.proto))
	w.BulkString("id")
	w.Int(cl.id)
	w.BulkString("mode")
	w.BulkString(s.mode())
	w.BulkString("role")
	w.BulkString("master")
	w.BulkString("modules")
	s.writeModuleList(w)
}

// mode is what HELLO and INFO call the server mode.
func (s *Server) mode() string {
	if s.params.clusterEnabled() {
		return "cluster"
	}
	return "standalone"
}

func (s *Server) cmdAuth(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		// Redis answers before redacting: MONITOR shows these arguments.
		c.W.Error(ErrSyntax)
		return
	}
	user, pass := "default", string(args[1])
	if len(args) == 3 {
		user, pass = string(args[1]), string(args[2])
	}
	for i := 1; i < len(args); i++ {
		redactArg(args, i)
	}
	if len(args) == 2 && !s.authRequired() {
		c.W.Error(ErrAuthNoPassword)
		return
	}
	if !s.checkPassword(user, pass) {
		c.W.Error(ErrWrongPass)
		return
	}
	c.Client.authed = true
	c.W.OK()
}

// checkPassword checks credentials for the only user, "default" (which
// accepts any password while requirepass is empty, as Redis' nopass does).
func (s *Server) checkPassword(user, pass string) bool {
	if user != "default" {
		return false
	}
	want := s.params.requirepass.String()
	return want == "" || pass == want
}

func (s *Server) cmdSelect(c *Ctx, args [][]byte) {
	id, ok := resp.ParseInt(args[1])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if id < -1<<31 || id > 1<<31-1 {
		c.W.Error(ErrIntRange)
		return
	}
	if s.params.clusterEnabled() && id != 0 {
		c.W.Error("ERR SELECT is not allowed in cluster mode")
		return
	}
	if id < 0 || id >= int64(len(s.dbs)) {
		c.W.Error(ErrDBIndex)
		return
	}
	c.Client.db = int(id)
	c.W.OK()
}

// validClientName allows what Redis' clientSetName allows: printable ASCII
// without spaces.
func validClientName(name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}
