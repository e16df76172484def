package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of the connection commands (HELLO, AUTH, RESET, SELECT, ECHO, QUIT)
// and of CLIENT. Every expected reply is redis-server 7.0's, except where a
// comment says that we follow Redis 7.2 (CLIENT SETINFO, NO-TOUCH, what
// RESET clears).

// clientID asks a connection for its CLIENT ID.
func clientID(t *testing.T, c *Conn) int64 {
	t.Helper()
	return c.Do("CLIENT", "ID").Int()
}

// clientHelloReply is HELLO's reply for a server without modules.
func clientHelloReply(proto int, id int64) string {
	kv := []string{
		Bulk("server"), Bulk("redis"),
		Bulk("version"), Bulk(server.Version),
		Bulk("proto"), Int(int64(proto)),
		Bulk("id"), Int(id),
		Bulk("mode"), Bulk("standalone"),
		Bulk("role"), Bulk("master"),
		Bulk("modules"), Arr(),
	}
	if proto == 3 {
		return Map3(kv...)
	}
	return Arr(kv...)
}

// clientListFields are the fields of a CLIENT LIST line, in redis-server
// 7.0's order.
var clientListFields = []string{"id", "addr", "laddr", "fd", "name", "age", "idle", "flags",
	"db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs",
	"rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp"}

// clientLine parses a CLIENT LIST line into its fields, checking their
// names and order; lib-name and lib-ver end the line when set (Redis 7.2).
func clientLine(t *testing.T, line string) map[string]string {
	t.Helper()
	fields := map[string]string{}
	var names []string
	for _, f := range strings.Split(line, " ") {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("field %q without '=' in %q", f, line)
		}
		names = append(names, k)
		fields[k] = v
	}
	want := clientListFields
	if _, ok := fields["lib-name"]; ok {
		want = append(append([]string{}, want...), "lib-name", "lib-ver")
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("CLIENT LIST fields:\n got %v\nwant %v", names, want)
	}
	return fields
}

// clientInfo is the parsed CLIENT INFO of a connection.
func clientInfo(t *testing.T, c *Conn) map[string]string {
	t.Helper()
	r := c.Do("CLIENT", "INFO")
	line, ok := strings.CutSuffix(string(r.Data), "\n")
	if !ok || strings.Contains(line, "\n") {
		t.Fatalf("CLIENT INFO: %q", r.Raw)
	}
	return clientLine(t, line)
}

// clientElems returns the elements of an array reply as strings.
func clientElems(r resp.Reply) []string {
	var out []string
	r.ForEach(func(e resp.Reply) bool {
		out = append(out, string(e.Data))
		return true
	})
	return out
}

// clientWaitCount waits until CLIENT LIST shows n clients: a killed client
// leaves the list once its connection's goroutine has ended.
func clientWaitCount(t *testing.T, c *Conn, n int) {
	t.Helper()
	deadline := time.Now().Add(ReplyTimeout)
	for {
		got := strings.Count(string(c.Do("CLIENT", "LIST").Data), "\n")
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("CLIENT LIST shows %d clients, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestClientHello(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	id := clientID(t, c)
	MustDoAll(t, c, [][]string{
		{"HELLO", clientHelloReply(2, id)},
		{"HELLO", "2", clientHelloReply(2, id)},
		{"HELLO", "1", Err("NOPROTO unsupported protocol version")},
		{"HELLO", "4", Err("NOPROTO unsupported protocol version")},
		{"HELLO", "-1", Err("NOPROTO unsupported protocol version")},
		{"HELLO", "abc", Err("ERR Protocol version is not an integer or out of range")},
		{"HELLO", "03", Err("ERR Protocol version is not an integer or out of range")},
		{"HELLO", "SETNAME", "x", Err("ERR Protocol version is not an integer or out of range")},
		{"HELLO", "3", "FOO", Err("ERR Syntax error in HELLO option 'FOO'")},
		{"HELLO", "3", "AUTH", "default", Err("ERR Syntax error in HELLO option 'AUTH'")},
		{"HELLO", "2", "auth", "a", Err("ERR Syntax error in HELLO option 'auth'")},
		{"HELLO", "3", "SETNAME", Err("ERR Syntax error in HELLO option 'SETNAME'")},
		{"HELLO", "2", "SETNAME", "a b", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		// Without requirepass the default user takes any password.
		{"HELLO", "3", "AUTH", "foo", "x", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		// Every failed HELLO left the protocol alone.
		{"CLIENT", "GETNAME", Nil},
		{"HELLO", "3", "AUTH", "default", "x", clientHelloReply(3, id)},
		{"CLIENT", "GETNAME", Null},
		{"HELLO", "3", "SETNAME", "n2", "SETNAME", "n3", clientHelloReply(3, id)},
		{"CLIENT", "GETNAME", Bulk("n3")},
		// Options act as they are parsed: the name is set before the
		// syntax error.
		{"HELLO", "2", "SETNAME", "z", "FOO", Err("ERR Syntax error in HELLO option 'FOO'")},
		{"CLIENT", "GETNAME", Bulk("z")},
		{"HELLO", "3", "AUTH", "default", "x", "SETNAME", "foo", "bar", Err("ERR Syntax error in HELLO option 'bar'")},
		{"HELLO", "2", clientHelloReply(2, id)},
		{"CLIENT", "GETNAME", Bulk("foo")},
		{"CLIENT", "GETNAME", "x", Err("ERR wrong number of arguments for 'client|getname' command")},
	})
}

func TestClientAuth(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"requirepass secret"}})
	c := Dial(t, s.Addr())
	const helloNoAuth = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	MustDoAll(t, c, [][]string{
		{"PING", Err("NOAUTH Authentication required.")},
		{"CLIENT", "ID", Err("NOAUTH Authentication required.")},
		{"MULTI", Err("NOAUTH Authentication required.")},
		// Unknown commands and wrong arities are told before NOAUTH.
		{"FOO", Err("ERR unknown command 'FOO', with args beginning with: ")},
		{"AUTH", Err("ERR wrong number of arguments for 'auth' command")},
		{"HELLO", Err(helloNoAuth)},
		{"HELLO", "3", Err(helloNoAuth)},
		// The name is set while the options are parsed, before NOAUTH.
		{"HELLO", "3", "SETNAME", "x", Err(helloNoAuth)},
		{"HELLO", "3", "AUTH", "default", "wrong", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		{"HELLO", "3", "SETNAME", "bad name", "AUTH", "default", "wrong", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		{"HELLO", "3", "AUTH", "default", "wrong", "SETNAME", "bad name", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		{"AUTH", "wrong", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		{"AUTH", "default", "wrong", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		{"AUTH", "nouser", "secret", Err("WRONGPASS invalid username-password pair or user is disabled.")},
		{"AUTH", "a", "b", "c", Err("ERR syntax error")},
		{"PING", Err("NOAUTH Authentication required.")},
		// AUTH inside HELLO authenticates even if a later option fails.
		{"HELLO", "3", "AUTH", "default", "secret", "SETNAME", "bad name", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		{"PING", Status("PONG")},
		{"CLIENT", "GETNAME", Bulk("x")},
		{"RESET", Status("RESET")},
		{"PING", Err("NOAUTH Authentication required.")},
		{"AUTH", "secret", OK},
		{"AUTH", "default", "secret", OK},
		{"RESET", Status("RESET")},
	})
	c2 := Dial(t, s.Addr())
	MustDo(t, c2, "AUTH", "secret", OK)
	id2 := clientID(t, c2)
	MustDo(t, c2, "RESET", Status("RESET"))
	MustDo(t, c2, "HELLO", "2", "AUTH", "default", "secret", "SETNAME", "nm", clientHelloReply(2, id2))
	MustDo(t, c2, "CLIENT", "GETNAME", Bulk("nm"))

	// QUIT needs no authentication.
	c3 := Dial(t, s.Addr())
	MustDo(t, c3, "QUIT", OK)
	c3.ExpectClosed()

	// Without a password, AUTH <password> is an error, AUTH default <any>
	// is not.
	MustDo(t, c2, "CONFIG", "SET", "requirepass", "", OK)
	MustDoAll(t, c2, [][]string{
		{"AUTH", "x", Err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")},
		{"AUTH", "default", "x", OK},
		{"AUTH", "bob", "x", Err("WRONGPASS invalid username-password pair or user is disabled.")},
	})
	// A connection made then is authenticated.
	MustDo(t, Dial(t, s.Addr()), "PING", Status("PONG"))
}

func TestClientReset(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	other := Dial(t, s.Addr())
	id := clientID(t, c)
	MustDoAll(t, c, [][]string{
		{"SELECT", "3", OK},
		{"SET", "k", "db3", OK},
		{"CLIENT", "SETNAME", "foo", OK},
		{"CLIENT", "SETINFO", "lib-name", "mylib", OK},
		{"CLIENT", "NO-EVICT", "on", OK},
		{"CLIENT", "NO-TOUCH", "on", OK},
		{"WATCH", "k", OK},
		{"HELLO", "3", clientHelloReply(3, id)},
		{"MULTI", OK},
		{"SET", "k", "queued", Status("QUEUED")},
		{"RESET", Status("RESET")},
		// No transaction any more, RESP2 again, no name.
		{"EXEC", Err("ERR EXEC without MULTI")},
		{"CLIENT", "GETNAME", Nil},
		{"GET", "k", Nil},
		{"SELECT", "3", OK},
		{"GET", "k", Bulk("db3")},
	})
	// k is not watched any more: a change does not fail the next EXEC.
	MustDo(t, other, "SELECT", "3", OK)
	MustDo(t, other, "SET", "k", "changed", OK)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"GET", "k", Status("QUEUED")},
		{"EXEC", Arr(Bulk("changed"))},
		{"RESET", Status("RESET")},
	})
	info := clientInfo(t, c)
	// RESET turns NO-EVICT and NO-TOUCH off as Redis 7.2 documents it
	// (7.0 keeps no-evict); the library name stays (7.2).
	for k, v := range map[string]string{"db": "0", "name": "", "flags": "N", "resp": "2", "multi": "-1", "lib-name": "mylib"} {
		if info[k] != v {
			t.Errorf("after RESET, CLIENT INFO %s=%q, want %q", k, info[k], v)
		}
	}
	MustDo(t, c, "RESET", "x", Err("ERR wrong number of arguments for 'reset' command"))
}

func TestClientSelectEcho(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	const outOfRange = "ERR value is out of range, value must between -2147483648 and 2147483647"
	MustDoAll(t, c, [][]string{
		{"SELECT", "16", Err("ERR DB index is out of range")},
		{"SELECT", "-1", Err("ERR DB index is out of range")},
		{"SELECT", "2147483647", Err("ERR DB index is out of range")},
		{"SELECT", "2147483648", Err(outOfRange)},
		{"SELECT", "-2147483649", Err(outOfRange)},
		{"SELECT", "99999999999", Err(outOfRange)},
		{"SELECT", "abc", Err("ERR value is not an integer or out of range")},
		{"SELECT", "", Err("ERR value is not an integer or out of range")},
		{"SELECT", " 1", Err("ERR value is not an integer or out of range")},
		{"SELECT", "01", Err("ERR value is not an integer or out of range")},
		{"SELECT", "15", OK},
		{"SET", "k", "v", OK},
		{"SELECT", "0", OK},
		{"GET", "k", Nil},
		{"ECHO", "", Bulk("")},
		{"ECHO", "a\r\nb", Bulk("a\r\nb")},
		{"ECHO", Err("ERR wrong number of arguments for 'echo' command")},
		{"ECHO", "a", "b", Err("ERR wrong number of arguments for 'echo' command")},
	})
}

func TestClientQuit(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "QUIT", "extra", OK)
	c.ExpectClosed()

	// Inside MULTI, QUIT is answered at once and the transaction is
	// dropped with the connection.
	c = Dial(t, s.Addr())
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "SET", "a", "1", Status("QUEUED"))
	MustDo(t, c, "QUIT", OK)
	c.ExpectClosed()
	MustDo(t, Dial(t, s.Addr()), "GET", "a", Nil)

	// Pipelined: what follows QUIT is not run.
	c = Dial(t, s.Addr())
	c.SendRaw("PING\r\nQUIT\r\nSET b 1\r\n")
	c.Expect(Status("PONG") + OK)
	c.ExpectClosed()
	MustDo(t, Dial(t, s.Addr()), "GET", "b", Nil)
}

func TestClientIDNameErrors(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	if ida, idb := clientID(t, a), clientID(t, b); idb <= ida {
		t.Fatalf("CLIENT ID: %d then %d, not increasing", ida, idb)
	}
	MustDoAll(t, a, [][]string{
		{"CLIENT", "GETNAME", Nil},
		{"CLIENT", "SETNAME", "myname", OK},
		{"CLIENT", "GETNAME", Bulk("myname")},
		{"CLIENT", "SETNAME", "with space", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		{"CLIENT", "SETNAME", "a\nb", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		{"CLIENT", "SETNAME", "caf\xc3\xa9", Err("ERR Client names cannot contain spaces, newlines or special characters.")},
		{"CLIENT", "GETNAME", Bulk("myname")},
		{"CLIENT", "SETNAME", "", OK},
		{"CLIENT", "GETNAME", Nil},
		{"CLIENT", "SETNAME", Err("ERR wrong number of arguments for 'client|setname' command")},
		{"CLIENT", "SETNAME", "a", "b", Err("ERR wrong number of arguments for 'client|setname' command")},
		{"CLIENT", "ID", "x", Err("ERR wrong number of arguments for 'client|id' command")},
		{"CLIENT", "INFO", "x", Err("ERR wrong number of arguments for 'client|info' command")},
		{"CLIENT", "KILL", Err("ERR wrong number of arguments for 'client|kill' command")},
		{"CLIENT", "NO-EVICT", Err("ERR wrong number of arguments for 'client|no-evict' command")},
		{"CLIENT", Err("ERR wrong number of arguments for 'client' command")},
		{"CLIENT", "nosuch", Err("ERR unknown subcommand 'nosuch'. Try CLIENT HELP.")},
		{"CLIENT", "NO-EVICT", "on", OK},
		{"CLIENT", "NO-EVICT", "OFF", OK},
		{"CLIENT", "NO-EVICT", "maybe", Err("ERR syntax error")},
		{"CLIENT", "NO-TOUCH", "ON", OK},
		{"CLIENT", "NO-TOUCH", "off", OK},
		{"CLIENT", "NO-TOUCH", "maybe", Err("ERR syntax error")},
	})
	MustDo(t, a, "CLIENT", "NO-EVICT", "on", OK)
	MustDo(t, a, "CLIENT", "NO-TOUCH", "on", OK)
	if f := clientInfo(t, a)["flags"]; f != "eT" {
		t.Errorf("flags with NO-EVICT and NO-TOUCH: %q, want eT", f)
	}
	help := clientElems(a.Do("CLIENT", "HELP"))
	if len(help) < 3 || help[0] != "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" ||
		help[len(help)-2] != "HELP" || help[len(help)-1] != "    Prints this help." {
		t.Fatalf("CLIENT HELP: %q", help)
	}
}

// TestClientSetinfo: CLIENT SETINFO is Redis 7.2's.
func TestClientSetinfo(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"CLIENT", "SETINFO", "lib-name", "redis-py", OK},
		{"CLIENT", "SETINFO", "LIB-VER", "5.0.1", OK},
		{"CLIENT", "SETINFO", "lib-name", "a b", Err("ERR lib-name cannot contain spaces, newlines or special characters.")},
		{"CLIENT", "SETINFO", "LIB-NAME", "a\nb", Err("ERR LIB-NAME cannot contain spaces, newlines or special characters.")},
		{"CLIENT", "SETINFO", "foo", "bar", Err("ERR Unrecognized option 'foo'")},
		{"CLIENT", "SETINFO", "lib-name", Err("ERR wrong number of arguments for 'client|setinfo' command")},
	})
	info := clientInfo(t, c)
	if info["lib-name"] != "redis-py" || info["lib-ver"] != "5.0.1" {
		t.Fatalf("CLIENT INFO after SETINFO: %v", info)
	}
}

func TestClientList(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	ida, idb := clientID(t, a), clientID(t, b)
	MustDo(t, b, "CLIENT", "SETNAME", "bee", OK)
	MustDo(t, b, "SELECT", "2", OK)
	MustDo(t, b, "MULTI", OK)
	MustDo(t, b, "PING", Status("QUEUED"))

	list := func(args ...string) []map[string]string {
		t.Helper()
		r := a.Do(append([]string{"CLIENT", "LIST"}, args...)...)
		if r.Type != '$' {
			t.Fatalf("CLIENT LIST %v: %q", args, r.Raw)
		}
		var out []map[string]string
		text := string(r.Data)
		if text != "" && !strings.HasSuffix(text, "\n") {
			t.Fatalf("CLIENT LIST %v does not end with a newline: %q", args, text)
		}
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if line != "" {
				out = append(out, clientLine(t, line))
			}
		}
		return out
	}
	all := list()
	if len(all) != 2 {
		t.Fatalf("CLIENT LIST: %d clients, want 2", len(all))
	}
	me, bee := all[0], all[1]
	want := map[string]string{
		"id": strconv.FormatInt(ida, 10), "addr": a.NetConn().LocalAddr().String(), "laddr": s.Addr(),
		"name": "", "flags": "N", "db": "0", "sub": "0", "psub": "0", "ssub": "0",
		"multi": "-1", "cmd": "client|list", "user": "default", "redir": "-1", "resp": "2", "events": "r",
	}
	for k, v := range want {
		if me[k] != v {
			t.Errorf("own line: %s=%q, want %q", k, me[k], v)
		}
	}
	for k, v := range map[string]string{"id": strconv.FormatInt(idb, 10), "name": "bee", "flags": "x", "db": "2", "multi": "1"} {
		if bee[k] != v {
			t.Errorf("other client's line: %s=%q, want %q", k, bee[k], v)
		}
	}
	if got := len(list("TYPE", "normal")); got != 2 {
		t.Errorf("CLIENT LIST TYPE normal: %d clients", got)
	}
	if got := len(list("type", "NORMAL")); got != 2 {
		t.Errorf("CLIENT LIST type NORMAL: %d clients", got)
	}
	for _, typ := range []string{"master", "replica", "slave", "pubsub"} {
		MustDo(t, a, "CLIENT", "LIST", "TYPE", typ, Bulk(""))
	}
	// IDs come in the order given, twice if given twice; integers that are
	// no client's are skipped.
	byID := list("ID", strconv.FormatInt(idb, 10), "0", "-1", "999", strconv.FormatInt(ida, 10), strconv.FormatInt(idb, 10))
	if len(byID) != 3 || byID[0]["name"] != "bee" || byID[1]["id"] != strconv.FormatInt(ida, 10) || byID[2]["name"] != "bee" {
		t.Errorf("CLIENT LIST ID: %v", byID)
	}
	MustDoAll(t, a, [][]string{
		{"CLIENT", "LIST", "TYPE", "foo", Err("ERR Unknown client type 'foo'")},
		{"CLIENT", "LIST", "TYPE", Err("ERR syntax error")},
		{"CLIENT", "LIST", "ID", Err("ERR syntax error")},
		{"CLIENT", "LIST", "ID", "abc", Err("ERR Invalid client ID")},
		{"CLIENT", "LIST", "ID", "1", "abc", Err("ERR Invalid client ID")},
		{"CLIENT", "LIST", "ID", "1", "TYPE", "normal", Err("ERR Invalid client ID")},
		{"CLIENT", "LIST", "TYPE", "normal", "ID", "1", Err("ERR syntax error")},
		{"CLIENT", "LIST", "type", "normal", "type", "normal", Err("ERR syntax error")},
		{"CLIENT", "LIST", "foo", Err("ERR syntax error")},
	})

	// RESP3: a verbatim string.
	c3 := Dial(t, s.Addr())
	id3 := clientID(t, c3)
	MustDo(t, c3, "HELLO", "3", clientHelloReply(3, id3))
	c3.Send("CLIENT", "INFO")
	head, err := c3.ReadN(1)
	if err != nil || head != "=" {
		t.Fatalf("CLIENT INFO in RESP3 starts with %q (%v), want a verbatim string", head, err)
	}
}

func TestClientKill(t *testing.T) {
	s := server.RunT(t)
	me := Dial(t, s.Addr())
	victim := Dial(t, s.Addr())
	vid := clientID(t, victim)
	MustDoAll(t, me, [][]string{
		{"CLIENT", "KILL", "1.2.3.4:5", Err("ERR No such client")},
		// Three arguments are the old form: ID is an address here.
		{"CLIENT", "KILL", "ID", Err("ERR No such client")},
		{"CLIENT", "KILL", "ID", "abc", Err("ERR client-id should be greater than 0")},
		{"CLIENT", "KILL", "ID", "0", Err("ERR client-id should be greater than 0")},
		{"CLIENT", "KILL", "ID", "-5", Err("ERR client-id should be greater than 0")},
		{"CLIENT", "KILL", "ID", "999999", Int(0)},
		{"CLIENT", "KILL", "TYPE", "foo", Err("ERR Unknown client type 'foo'")},
		{"CLIENT", "KILL", "TYPE", "master", Int(0)},
		{"CLIENT", "KILL", "TYPE", "replica", Int(0)},
		{"CLIENT", "KILL", "TYPE", "slave", Int(0)},
		{"CLIENT", "KILL", "TYPE", "pubsub", Int(0)},
		{"CLIENT", "KILL", "USER", "nobody", Err("ERR No such user 'nobody'")},
		{"CLIENT", "KILL", "USER", "default", "SKIPME", "maybe", Err("ERR syntax error")},
		{"CLIENT", "KILL", "SKIPME", "maybe", Err("ERR syntax error")},
		{"CLIENT", "KILL", "FOO", "bar", Err("ERR syntax error")},
		{"CLIENT", "KILL", "MAXAGE", "10", Err("ERR syntax error")},
		{"CLIENT", "KILL", "ID", "1", "foo", Err("ERR syntax error")},
		{"CLIENT", "KILL", "ADDR", "1.2.3.4:5", "ID", "abc", Err("ERR client-id should be greater than 0")},
		{"CLIENT", "KILL", "ADDR", "1.2.3.4:5", Int(0)},
		{"CLIENT", "KILL", "LADDR", "1.2.3.4:5", Int(0)},
		{"CLIENT", "KILL", "id", "1", "type", "normal", "user", "default", "addr", "x", "laddr", "y", "skipme", "no", Int(0)},
	})
	MustDo(t, victim, "PING", Status("PONG"))

	// New form by ID: the other connection is closed.
	MustDo(t, me, "CLIENT", "KILL", "ID", strconv.FormatInt(vid, 10), Int(1))
	victim.ExpectClosed()

	// Old form by address. (A PING first: the server has registered the
	// connection once it answers.)
	victim = Dial(t, s.Addr())
	MustDo(t, victim, "PING", Status("PONG"))
	MustDo(t, me, "CLIENT", "KILL", victim.NetConn().LocalAddr().String(), OK)
	victim.ExpectClosed()

	// ADDR and LADDR.
	victim = Dial(t, s.Addr())
	MustDo(t, victim, "PING", Status("PONG"))
	MustDo(t, me, "CLIENT", "KILL", "ADDR", victim.NetConn().LocalAddr().String(), "LADDR", s.Addr(), Int(1))
	victim.ExpectClosed()

	// TYPE normal skips the caller unless SKIPME no.
	clientWaitCount(t, me, 1)
	victim = Dial(t, s.Addr())
	MustDo(t, victim, "PING", Status("PONG"))
	MustDo(t, me, "CLIENT", "KILL", "TYPE", "NORMAL", "SKIPME", "yes", Int(1))
	victim.ExpectClosed()
	MustDo(t, me, "PING", Status("PONG"))

	// Killing yourself: the reply comes, then the connection closes.
	clientWaitCount(t, me, 1)
	MustDo(t, me, "CLIENT", "KILL", "USER", "default", "SKIPME", "no", Int(1))
	me.ExpectClosed()
	me = Dial(t, s.Addr())
	MustDo(t, me, "CLIENT", "KILL", me.NetConn().LocalAddr().String(), OK)
	me.ExpectClosed()
}

// TestClientListCmdAndFlags: cmd= is the command being run or rejected
// (NULL after an unknown one), and the flags come in Redis' order.
func TestClientListCmdAndFlags(t *testing.T) {
	s := server.RunT(t)
	c, admin := Dial(t, s.Addr()), Dial(t, s.Addr())
	id := strconv.FormatInt(clientID(t, c), 10)
	line := func() map[string]string {
		r := admin.Do("CLIENT", "LIST", "ID", id)
		return clientLine(t, strings.TrimSuffix(string(r.Data), "\n"))
	}
	MustDo(t, c, "GET", Err("ERR wrong number of arguments for 'get' command"))
	if got := line()["cmd"]; got != "get" {
		t.Fatalf("after a rejected GET: cmd=%s", got)
	}
	MustDo(t, c, "NOSUCH", Err("ERR unknown command 'NOSUCH', with args beginning with: "))
	if got := line()["cmd"]; got != "NULL" {
		t.Fatalf("after an unknown command: cmd=%s", got)
	}
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, admin, "SET", "k", "v", OK)
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "PING", Status("QUEUED"))
	if l := line(); l["flags"] != "xd" || l["cmd"] != "ping" {
		t.Fatalf("in MULTI with a touched WATCH: flags=%s cmd=%s", l["flags"], l["cmd"])
	}
	MustDo(t, c, "CLIENT", "NO-EVICT", "on", Status("QUEUED"))
	MustDo(t, c, "EXEC", NilArray)
	MustDo(t, c, "CLIENT", "NO-EVICT", "on", OK)
	MustDo(t, c, "CLIENT", "NO-TOUCH", "on", OK)
	if got := line()["flags"]; got != "eT" {
		t.Fatalf("no-evict and no-touch: flags=%s", got)
	}
}

// TestMonitorClientKeepsOffKeyspace: a MONITOR client is a replica to Redis,
// and a replica may not read or write keys.
func TestMonitorClientKeepsOffKeyspace(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "MONITOR", OK)
	MustDo(t, c, "GET", "k", Err("ERR Replica can't interact with the keyspace"))
	MustDo(t, c, "SET", "k", "v", Err("ERR Replica can't interact with the keyspace"))
	MustDo(t, c, "PING", Status("PONG"))
	// A monitor sees its own commands, after their reply (as Redis shows).
	if line := string(c.Read().Data); !strings.HasSuffix(line, `"PING"`) {
		t.Fatalf("monitor line for PING: %q", line)
	}
	MustDo(t, c, "RESET", Status("RESET"))
	MustDo(t, c, "GET", "k", Nil)
}
