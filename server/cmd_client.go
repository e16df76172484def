package server

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

func clientCommands(s *Server) commandGroup {
	return commandGroup{
		{"client", nil, FlagAllowBusy},
		{"client|id", s.cmdClientID, FlagAllowBusy},
		{"client|setname", s.cmdClientSetname, FlagAllowBusy},
		{"client|getname", s.cmdClientGetname, FlagAllowBusy},
		{"client|setinfo", s.cmdClientSetinfo, FlagAllowBusy},
		{"client|list", s.cmdClientList, FlagAllowBusy},
		{"client|info", s.cmdClientInfo, FlagAllowBusy},
		{"client|kill", s.cmdClientKill, FlagAllowBusy},
		{"client|no-evict", s.cmdClientNoEvict, FlagAllowBusy},
		{"client|no-touch", s.cmdClientNoTouch, FlagAllowBusy},
		{"client|help", s.cmdClientHelp, FlagAllowBusy},
		{"client|unblock", s.cmdClientUnblock, FlagAllowBusy},
	}
}

func sortClients(cs []*Client) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].id < cs[j].id })
}

func (s *Server) cmdClientID(c *Ctx, args [][]byte) { c.W.Int(c.Client.id) }

func (s *Server) cmdClientSetname(c *Ctx, args [][]byte) {
	if !validClientName(args[2]) {
		c.W.Error(ErrClientName)
		return
	}
	c.Client.name = string(args[2])
	c.W.OK()
}

func (s *Server) cmdClientGetname(c *Ctx, args [][]byte) {
	if c.Client.name == "" {
		c.W.Null()
		return
	}
	c.W.BulkString(c.Client.name)
}

func (s *Server) cmdClientSetinfo(c *Ctx, args [][]byte) {
	var dest *string
	switch {
	case resp.EqualFold(args[2], "lib-name"):
		dest = &c.Client.libName
	case resp.EqualFold(args[2], "lib-ver"):
		dest = &c.Client.libVer
	default:
		c.W.Error(fmt.Sprintf("ERR Unrecognized option '%s'", args[2]))
		return
	}
	if !validClientName(args[3]) {
		c.W.Error(fmt.Sprintf("ERR %s cannot contain spaces, newlines or special characters.", args[2]))
		return
	}
	*dest = string(args[3])
	c.W.OK()
}

// cmdClientList is CLIENT LIST [TYPE type | ID id...]. As in Redis 7.0 the
// two filters exclude each other; IDs are listed in the order given (twice
// if given twice), and an ID that is an integer but no client's is skipped.
func (s *Server) cmdClientList(c *Ctx, args [][]byte) {
	var b strings.Builder
	switch {
	case len(args) == 2:
		for _, cl := range s.clientList() {
			b.WriteString(cl.infoLine())
			b.WriteByte('\n')
		}
	case len(args) == 4 && resp.EqualFold(args[2], "type"):
		typ, ok := parseClientType(args[3])
		if !ok {
			c.W.Error(fmt.Sprintf("ERR Unknown client type '%s'", args[3]))
			return
		}
		for _, cl := range s.clientList() {
			if clientType(cl) == typ {
				b.WriteString(cl.infoLine())
				b.WriteByte('\n')
			}
		}
	case len(args) > 3 && resp.EqualFold(args[2], "id"):
		byID := map[int64]*Client{}
		for _, cl := range s.clientList() {
			byID[cl.id] = cl
		}
		for _, a := range args[3:] {
			id, ok := resp.ParseInt(a)
			if !ok {
				c.W.Error("ERR Invalid client ID")
				return
			}
			if cl := byID[id]; cl != nil {
				b.WriteString(cl.infoLine())
				b.WriteByte('\n')
			}
		}
	default:
		c.W.Error(ErrSyntax)
		return
	}
	c.W.Verbatim("txt", b.String())
}

// parseClientType reads a client type as Redis' getClientTypeByName does;
// every client of ours is a normal one.
func parseClientType(arg []byte) (string, bool) {
	typ := strings.ToLower(string(arg))
	switch typ {
	case "normal", "master", "replica", "slave", "pubsub":
		return typ, true
	}
	return "", false
}

// clientType is the client's type as Redis' getClientType names it: a
// client in Pub/Sub mode is "pubsub", every other of ours "normal" (a
// monitor too, as in Redis).
func clientType(cl *Client) string {
	if cl.subscribed() {
		return "pubsub"
	}
	return "normal"
}

func (s *Server) cmdClientInfo(c *Ctx, args [][]byte) {
	c.W.Verbatim("txt", c.Client.infoLine()+"\n")
}

func (s *Server) cmdClientKill(c *Ctx, args [][]byte) {
	me := c.Client
	if len(args) == 3 {
		// The old form: CLIENT KILL addr:port.
		for _, cl := range s.clientList() {
			if cl.addr == string(args[2]) {
				s.killClient(me, cl)
				c.W.OK()
				return
			}
		}
		c.W.Error(ErrNoSuchClient)
		return
	}
	var (
		id                int64
		typ, addr, laddr  string
		user              string
		skipMe            = true
		hasUser, hasLaddr bool
	)
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			c.W.Error(ErrSyntax)
			return
		}
		val := args[i+1]
		switch {
		case resp.EqualFold(args[i], "id"):
			n, ok := resp.ParseInt(val)
			if !ok || n <= 0 {
				c.W.Error("ERR client-id should be greater than 0")
				return
			}
			id = n
		case resp.EqualFold(args[i], "type"):
			var ok bool
			if typ, ok = parseClientType(val); !ok {
				c.W.Error(fmt.Sprintf("ERR Unknown client type '%s'", val))
				return
			}
		case resp.EqualFold(args[i], "addr"):
			addr = string(val)
		case resp.EqualFold(args[i], "laddr"):
			laddr, hasLaddr = string(val), true
		case resp.EqualFold(args[i], "user"):
			user, hasUser = string(val), true
			if user != "default" {
				c.W.Error(fmt.Sprintf("ERR No such user '%s'", val))
				return
			}
		case resp.EqualFold(args[i], "skipme"):
			switch {
			case resp.EqualFold(val, "yes"):
				skipMe = true
			case resp.EqualFold(val, "no"):
				skipMe = false
			default:
				c.W.Error(ErrSyntax)
				return
			}
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	_ = hasUser
	killed := 0
	for _, cl := range s.clientList() {
		switch {
		case id != 0 && cl.id != id,
			typ != "" && typ != clientType(cl),
			addr != "" && cl.addr != addr,
			hasLaddr && cl.laddr != laddr,
			skipMe && cl == me:
			continue
		}
		s.killClient(me, cl)
		killed++
	}
	c.W.Int(int64(killed))
}

// killClient disconnects a client; the one asking is closed after its reply.
func (s *Server) killClient(me, victim *Client) {
	if victim == me {
		me.closeAfterReply = true
		return
	}
	victim.kill()
}

func (s *Server) cmdClientNoEvict(c *Ctx, args [][]byte) {
	switch {
	case resp.EqualFold(args[2], "on"):
		c.Client.noEvict = true
	case resp.EqualFold(args[2], "off"):
		c.Client.noEvict = false
	default:
		c.W.Error(ErrSyntax)
		return
	}
	c.W.OK()
}

func (s *Server) cmdClientNoTouch(c *Ctx, args [][]byte) {
	switch {
	case resp.EqualFold(args[2], "on"):
		c.Client.noTouch = true
	case resp.EqualFold(args[2], "off"):
		c.Client.noTouch = false
	default:
		c.W.Error(ErrSyntax)
		return
	}
	c.W.OK()
}

func (s *Server) cmdClientHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "CLIENT", []string{
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"GETNAME",
		"    Return the name of the current connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"    * ID <client-id>",
		"      Kill connections by client id.",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"UNBLOCK <clientid> [TIMEOUT|ERROR]",
		"    Unblock the specified blocked client.",
		"SETINFO <option> <value>",
		"    Set client meta attr. Options are:",
		"    * LIB-NAME: the client lib name.",
		"    * LIB-VER: the client lib version.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
		"NO-TOUCH (ON|OFF)",
		"    Will not touch LRU/LFU stats when this mode is on.",
	})
}

// writeHelp writes a HELP reply as Redis' addReplyHelp does: a header, the
// lines, and the HELP line.
func writeHelp(w *resp.Writer, name string, lines []string) {
	w.Array(len(lines) + 3)
	w.SimpleString(fmt.Sprintf("%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", name))
	for _, l := range lines {
		w.SimpleString(l)
	}
	w.SimpleString("HELP")
	w.SimpleString("    Prints this help.")
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR] answers a client blocked on lists as
// if its timeout had passed, or with -UNBLOCKED; 1 if there was one.
func (s *Server) cmdClientUnblock(c *Ctx, args [][]byte) {
	if len(args) > 4 {
		// Redis names the subcommand as the client typed it.
		c.W.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try CLIENT HELP.", args[1]))
		return
	}
	id, ok := resp.ParseIntString(string(args[2]))
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	withErr := false
	if len(args) == 4 {
		switch {
		case resp.EqualFold(args[3], "timeout"):
		case resp.EqualFold(args[3], "error"):
			withErr = true
		default:
			c.W.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	s.clientsMu.Lock()
	target := s.clients[id]
	s.clientsMu.Unlock()
	var bc *BlockedClient
	switch {
	case target == nil:
	case target.listWait != nil:
		bc = target.listWait.bc
	case target.streamWait != nil:
		bc = target.streamWait.bc
	}
	if bc == nil || !bc.claim() {
		c.W.Int(0)
		return
	}
	bc.replyClaimed(func(w *resp.Writer) {
		if withErr {
			w.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		} else {
			bc.onTimeout(w)
		}
	})
	c.W.Int(1)
}
