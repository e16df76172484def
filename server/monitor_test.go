package server_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of MONITOR: the lines redis-server 7.0 sends, which commands it
// shows, and the life of monitors.

var monLineRe = regexp.MustCompile(`^(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)$`)

// monExpect reads the next line a monitor gets and checks it shows the
// command (quoted, as Redis' sdscatrepr quotes it) from client c in db.
func monExpect(t *testing.T, m, c *Conn, db int, cmd string) {
	t.Helper()
	r := m.Read()
	if r.Type != '+' {
		t.Fatalf("monitor got %q, want a status line", r.Raw)
	}
	g := monLineRe.FindStringSubmatch(string(r.Data))
	if g == nil {
		t.Fatalf("monitor line %q is not in Redis' format", r.Data)
	}
	secs, _ := strconv.ParseInt(g[1], 10, 64)
	if d := time.Since(time.Unix(secs, 0)); d < -time.Second || d > time.Minute {
		t.Errorf("monitor line time %s is %v away from now", g[1], d)
	}
	if g[3] != strconv.Itoa(db) || g[4] != c.NetConn().LocalAddr().String() || g[5] != cmd {
		t.Fatalf("monitor line %q, want [%d %s] %s", r.Data, db, c.NetConn().LocalAddr(), cmd)
	}
}

func monStart(t *testing.T, s *server.Server) *Conn {
	t.Helper()
	m := Dial(t, s.Addr())
	MustDo(t, m, "MONITOR", OK)
	return m
}

func TestMonitorLines(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	m := monStart(t, s)
	c := Dial(t, s.Addr())

	MustDo(t, c, "SET", "a b", "x\"y\\z\n\r\t\a\b\x01\xff~", OK)
	monExpect(t, m, c, 0, `"SET" "a b" "x\"y\\z\n\r\t\a\b\x01\xff~"`)
	MustDo(t, c, "PING", Status("PONG"))
	monExpect(t, m, c, 0, `"PING"`)

	// Passwords are redacted as Redis 7.0 redacts them: AUTH's arguments
	// once it has checked their number, HELLO's AUTH arguments as it
	// reaches them.
	const wrongPass = "WRONGPASS invalid username-password pair or user is disabled."
	for _, tc := range []struct {
		cmd   []string
		reply string
		line  string
	}{
		{[]string{"AUTH", "foo"}, Err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"), `"AUTH" "(redacted)"`},
		{[]string{"AUTH", "default", "foo"}, OK, `"AUTH" "(redacted)" "(redacted)"`},
		{[]string{"AUTH", "a", "b", "c"}, Err("ERR syntax error"), `"AUTH" "a" "b" "c"`},
		{[]string{"HELLO", "2", "AUTH", "default", "foo", "SETNAME", "n"}, "", `"HELLO" "2" "AUTH" "(redacted)" "(redacted)" "SETNAME" "n"`},
		{[]string{"HELLO", "abc", "AUTH", "a", "b"}, Err("ERR Protocol version is not an integer or out of range"), `"HELLO" "abc" "AUTH" "a" "b"`},
		{[]string{"HELLO", "3", "FOO", "AUTH", "a", "b"}, Err("ERR Syntax error in HELLO option 'FOO'"), `"HELLO" "3" "FOO" "AUTH" "a" "b"`},
		{[]string{"HELLO", "3", "AUTH", "a", "b", "AUTH", "c", "d"}, Err(wrongPass), `"HELLO" "3" "AUTH" "(redacted)" "(redacted)" "AUTH" "c" "d"`},
		{[]string{"HELLO", "3", "AUTH", "default", "x", "AUTH", "c", "d"}, Err(wrongPass), `"HELLO" "3" "AUTH" "(redacted)" "(redacted)" "AUTH" "(redacted)" "(redacted)"`},
		{[]string{"HELLO", "3", "AUTH", "a"}, Err("ERR Syntax error in HELLO option 'AUTH'"), `"HELLO" "3" "AUTH" "a"`},
	} {
		if tc.reply == "" {
			c.Do(tc.cmd...)
		} else {
			MustDo(t, c, append(tc.cmd, tc.reply)...)
		}
		monExpect(t, m, c, 0, tc.line)
	}

	// Admin commands (CONFIG, DEBUG, SHUTDOWN, MONITOR) are not shown, nor
	// are commands refused before running; the database is the one after
	// the command.
	MustDo(t, c, "CONFIG", "SET", "hz", "10", OK)
	MustDo(t, c, "CONFIG", "GET", "nosuch", Arr())
	MustDo(t, c, "DEBUG", "SLEEP", "0", OK)
	MustDo(t, c, "SHUTDOWN", "ABORT", Err("ERR No shutdown in progress."))
	MustDo(t, c, "NOSUCH", Err("ERR unknown command 'NOSUCH', with args beginning with: "))
	MustDo(t, c, "GET", Err("ERR wrong number of arguments for 'get' command"))
	MustDo(t, c, "SELECT", "3", OK)
	monExpect(t, m, c, 3, `"SELECT" "3"`)
	MustDo(t, c, "CLIENT", "ID", Int(clientID(t, c)))
	monExpect(t, m, c, 3, `"CLIENT" "ID"`)
	monExpect(t, m, c, 3, `"CLIENT" "ID"`)

	// A transaction: its commands when EXEC runs them, then EXEC.
	MustDo(t, c, "MULTI", OK)
	monExpect(t, m, c, 3, `"MULTI"`)
	MustDo(t, c, "SET", "k", "v", Status("QUEUED"))
	MustDo(t, c, "SELECT", "1", Status("QUEUED"))
	MustDo(t, c, "EXEC", Arr(OK, OK))
	monExpect(t, m, c, 3, `"SET" "k" "v"`)
	monExpect(t, m, c, 1, `"SELECT" "1"`)
	monExpect(t, m, c, 1, `"EXEC"`)
}

func TestMonitorClients(t *testing.T) {
	s := server.RunT(t)
	m1, m2 := monStart(t, s), monStart(t, s)
	c := Dial(t, s.Addr())

	// Every monitor gets every line.
	MustDo(t, c, "ECHO", "one", Bulk("one"))
	monExpect(t, m1, c, 0, `"ECHO" "one"`)
	monExpect(t, m2, c, 0, `"ECHO" "one"`)

	// A monitor's own commands come to it after their reply, as in Redis;
	// MONITOR again is ignored, without a reply.
	MustDo(t, m1, "MONITOR", "")
	MustDo(t, m1, "ECHO", "mine", Bulk("mine"))
	monExpect(t, m1, m1, 0, `"ECHO" "mine"`)
	monExpect(t, m2, m1, 0, `"ECHO" "mine"`)
	if f := clientInfo(t, m2)["flags"]; f != "O" {
		t.Errorf("a monitor's flags: %q, want O", f)
	}
	monExpect(t, m2, m2, 0, `"CLIENT" "INFO"`)
	monExpect(t, m1, m2, 0, `"CLIENT" "INFO"`)

	// A monitor that goes away disturbs no one.
	m3 := monStart(t, s)
	m3.Close()
	for i := 0; i < 20; i++ {
		MustDo(t, c, "ECHO", strconv.Itoa(i), Bulk(strconv.Itoa(i)))
		monExpect(t, m1, c, 0, `"ECHO" "`+strconv.Itoa(i)+`"`)
		monExpect(t, m2, c, 0, `"ECHO" "`+strconv.Itoa(i)+`"`)
	}

	// RESET ends MONITOR: the lines before it come first.
	MustDo(t, c, "ECHO", "before", Bulk("before"))
	m2.Send("RESET")
	monExpect(t, m2, c, 0, `"ECHO" "before"`)
	m2.Expect(Status("RESET"))
	monExpect(t, m1, c, 0, `"ECHO" "before"`)
	monExpect(t, m1, m2, 0, `"RESET"`)
	MustDo(t, c, "ECHO", "after", Bulk("after"))
	monExpect(t, m1, c, 0, `"ECHO" "after"`)
	MustDo(t, m2, "PING", Status("PONG"))
	monExpect(t, m1, m2, 0, `"PING"`)
	if f := clientInfo(t, m2)["flags"]; f != "N" {
		t.Errorf("flags after RESET: %q, want N", f)
	}
	// Once RESET, a client can monitor again.
	MustDo(t, m2, "MONITOR", OK)
	MustDo(t, c, "ECHO", "again", Bulk("again"))
	monExpect(t, m2, c, 0, `"ECHO" "again"`)
}
