package server_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of the server commands (CONFIG, SHUTDOWN, FLUSHDB/FLUSHALL,
// SWAPDB, TIME, DBSIZE, LASTSAVE, DEBUG), replies checked against
// redis-server 7.0.

// srvModule is a test module named "test": a parameter whose Apply fails
// for 13, an INFO section "test_section", and a command without docs.
type srvModule struct{}

func (srvModule) Name() string { return "test" }
func (srvModule) Version() int { return 7 }
func (srvModule) Start() error { return nil }
func (srvModule) Stop()        {}
func (srvModule) Load(mc *server.ModuleContext) error {
	var workers *server.Param
	workers = &server.Param{Name: "test-workers", Type: server.ParamInt, Min: 0, Max: 16, Default: "0",
		Apply: func(*server.Ctx) error {
			if workers.Int() == 13 {
				return errors.New("13 workers bring bad luck")
			}
			return nil
		}}
	if err := mc.RegisterParam(workers); err != nil {
		return err
	}
	mc.RegisterInfoSection("section", func(w *server.InfoWriter) {
		w.Field("answer", 42)
		w.Field("ratio", 0.5)
		w.Field("workers", workers.Int())
	})
	return mc.RegisterCommand(&server.Command{Name: "test.nodocs", Arity: 2, Flags: server.FlagReadOnly,
		FirstKey: 1, LastKey: 1, KeyStep: 1,
		Handler: func(c *server.Ctx, args [][]byte) { c.W.OK() }})
}

// srvLog collects a server's log lines.
type srvLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *srvLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.Split(strings.TrimRight(string(b), "\n"), "\n")...)
	return len(b), nil
}

// has reports whether a line ends with msg.
func (l *srvLog) has(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.HasSuffix(line, msg) {
			return true
		}
	}
	return false
}

func srvWithModule(t *testing.T, config ...string) (*server.Server, *srvLog) {
	log := &srvLog{}
	s := server.RunT(t, server.Options{Modules: []server.Module{srvModule{}}, Config: config, LogOutput: log})
	return s, log
}

func TestServerConfigGet(t *testing.T) {
	s, _ := srvWithModule(t)
	c := Dial(t, s.Addr())
	port := strconv.Itoa(s.Port())
	MustDoAll(t, c, [][]string{
		{"CONFIG", "GET", "hz", Strs("hz", "10")},
		{"CONFIG", "GET", "HZ", Strs("HZ", "10")},
		{"CONFIG", "GET", "hz", "HZ", Strs("hz", "10")},
		{"CONFIG", "GET", "h*z", Strs("hz", "10")},
		{"CONFIG", "GET", "hz", "port", Strs("hz", "10", "port", port)},
		{"CONFIG", "GET", "nosuch", Arr()},
		{"CONFIG", "GET", "lua-time-limit", Strs("lua-time-limit", "5000")},
		{"CONFIG", "GET", "busy-reply-threshold", "lua-time-limit", Strs("busy-reply-threshold", "5000", "lua-time-limit", "5000")},
		{"CONFIG", "GET", "*-time-limit", Strs("lua-time-limit", "5000")},
		{"CONFIG", "GET", "hash-max-ziplist-*", Strs("hash-max-ziplist-entries", "512", "hash-max-ziplist-value", "64")},
		{"CONFIG", "GET", "test-*", Strs("test-workers", "0")},
		{"CONFIG", "GET", "save", "appendonly", Strs("save", "", "appendonly", "no")},
		{"CONFIG", "GET", "maxmemory", "maxmemory-policy", Strs("maxmemory", "0", "maxmemory-policy", "noeviction")},
		{"CONFIG", "GET", "databases", "enable-protected-configs", Strs("databases", "16", "enable-protected-configs", "no")},
		{"CONFIG", "GET", "proto-max-bulk-len", "client-query-buffer-limit", Strs("proto-max-bulk-len", "536870912", "client-query-buffer-limit", "1073741824")},
		{"CONFIG", "GET", Err("ERR wrong number of arguments for 'config|get' command")},
		{"CONFIG", Err("ERR wrong number of arguments for 'config' command")},
		{"CONFIG", "nosuch", Err("ERR unknown subcommand 'nosuch'. Try CONFIG HELP.")},
	})
	wd, _ := os.Getwd()
	MustDo(t, c, "CONFIG", "GET", "dir", Strs("dir", wd))
	// RESP3: a map.
	MustDo(t, c, "HELLO", "3", clientHelloReply3WithModule(clientID(t, c)))
	MustDo(t, c, "CONFIG", "GET", "hz", "maxclients", Map3(Bulk("hz"), Bulk("10"), Bulk("maxclients"), Bulk("10000")))
	MustDo(t, c, "CONFIG", "GET", "nosuch", Map3())
}

func TestServerConfigSet(t *testing.T) {
	s, log := srvWithModule(t)
	c := Dial(t, s.Addr())
	failed := func(name, reason string) string {
		return Err("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason)
	}
	MustDoAll(t, c, [][]string{
		{"CONFIG", "SET", Err("ERR wrong number of arguments for 'config|set' command")},
		{"CONFIG", "SET", "hz", Err("ERR wrong number of arguments for 'config|set' command")},
		{"CONFIG", "SET", "hz", "10", "port", Err("ERR syntax error")},
		{"CONFIG", "SET", "nosuch", "1", Err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'")},
		{"CONFIG", "SET", "hz", "abc", failed("hz", "argument couldn't be parsed into an integer")},
		{"CONFIG", "SET", "HZ", "-1", failed("hz", "argument must be between 0 and 2147483647 inclusive")},
		{"CONFIG", "SET", "hz", "2147483648", failed("hz", "argument must be between 0 and 2147483647 inclusive")},
		{"CONFIG", "SET", "databases", "4", failed("databases", "can't set immutable config")},
		{"CONFIG", "SET", "port", "7000", failed("port", "can't set immutable config")},
		{"CONFIG", "SET", "enable-debug-command", "yes", failed("enable-debug-command", "can't set immutable config")},
		{"CONFIG", "SET", "dir", "/", failed("dir", "can't set protected config")},
		{"CONFIG", "SET", "maxclients", "0", failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"CONFIG", "SET", "appendonly", "maybe", failed("appendonly", "argument must be 'yes' or 'no'")},
		{"CONFIG", "SET", "maxmemory-policy", "foo", failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")},
		{"CONFIG", "SET", "hz", "20", "HZ", "30", failed("HZ", "duplicate parameter")},
		{"CONFIG", "SET", "hz", "abc", "daemonize", "yes", failed("daemonize", "can't set immutable config")},
		{"CONFIG", "SET", "test-workers", "17", failed("test-workers", "argument must be between 0 and 16 inclusive")},
		// One bad value: nothing is set.
		{"CONFIG", "SET", "hz", "20", "maxclients", "0", failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"CONFIG", "GET", "hz", Strs("hz", "10")},
		// Several pairs.
		{"CONFIG", "SET", "hz", "20", "maxmemory-policy", "ALLKEYS-LRU", "maxmemory", "1kb", OK},
		{"CONFIG", "GET", "hz", "maxmemory-policy", "maxmemory", Strs("hz", "20", "maxmemory-policy", "allkeys-lru", "maxmemory", "1024")},
		{"CONFIG", "SET", "maxmemory", "1k", OK},
		{"CONFIG", "GET", "maxmemory", Strs("maxmemory", "1000")},
		{"CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", OK},
		// An alias and its name are both set; the last wins.
		{"CONFIG", "SET", "lua-time-limit", "100", "busy-reply-threshold", "200", OK},
		{"CONFIG", "GET", "busy-reply-threshold", Strs("busy-reply-threshold", "200")},
		// hz is clamped to 1..500.
		{"CONFIG", "SET", "hz", "0", OK},
		{"CONFIG", "GET", "hz", Strs("hz", "1")},
		{"CONFIG", "SET", "hz", "501", OK},
		{"CONFIG", "GET", "hz", Strs("hz", "500")},
		{"CONFIG", "SET", "hz", "10", OK},
		{"CONFIG", "SET", "save", "900 1 300 10", "notify-keyspace-events", "KEA", OK},
		{"CONFIG", "GET", "save", "notify-keyspace-events", Strs("save", "900 1 300 10", "notify-keyspace-events", "AKE")},
		{"CONFIG", "SET", "save", "900 1 300", failed("save", "Invalid save parameters")},
	})

	// A module parameter whose Apply fails rolls the whole CONFIG SET back.
	MustDoAll(t, c, [][]string{
		{"CONFIG", "SET", "hz", "30", "test-workers", "13", failed("test-workers", "13 workers bring bad luck")},
		{"CONFIG", "GET", "hz", "test-workers", Strs("hz", "10", "test-workers", "0")},
		{"CONFIG", "SET", "hz", "30", "test-workers", "8", OK},
		{"CONFIG", "GET", "hz", "test-workers", Strs("hz", "30", "test-workers", "8")},
	})
	if !log.has("# Failed applying new configuration. Possibly related to new test-workers setting. Restoring previous settings.") {
		t.Errorf("the failed Apply was not logged: %q", log.lines)
	}

	// Protected parameters, once allowed.
	s2 := server.RunT(t, server.Options{Config: []string{"enable-protected-configs yes"}})
	c2 := Dial(t, s2.Addr())
	dir := t.TempDir()
	MustDoAll(t, c2, [][]string{
		{"CONFIG", "SET", "dir", dir, "dbfilename", "x.rdb", OK},
		{"CONFIG", "GET", "dir", "dbfilename", Strs("dir", dir, "dbfilename", "x.rdb")},
		{"CONFIG", "SET", "dir", filepath.Join(dir, "nosuch"), failed("dir", "No such file or directory")},
	})
}

func TestServerConfigResetstat(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "SET", "a", "1", OK)
	MustDo(t, c, "GET", "a", Bulk("1"))
	MustDo(t, c, "GET", "nokey", Nil)
	MustDo(t, c, "FOO", Err("ERR unknown command 'FOO', with args beginning with: "))
	MustDo(t, c, "CONFIG", "RESETSTAT", "x", Err("ERR wrong number of arguments for 'config|resetstat' command"))
	MustDo(t, c, "CONFIG", "RESETSTAT", OK)
	// RESETSTAT itself is counted once it has run, as in Redis; INFO is
	// counted after it answers.
	stats := infoFields(t, c, "stats")
	for k, v := range map[string]string{
		"total_connections_received": "0", "total_commands_processed": "1", "keyspace_hits": "0",
		"keyspace_misses": "0", "total_error_replies": "0", "expired_keys": "0", "rejected_connections": "0",
		"total_net_output_bytes": "5", // +OK
	} {
		if stats[k] != v {
			t.Errorf("after RESETSTAT, %s:%s, want %s", k, stats[k], v)
		}
	}
	cmdstats := infoFields(t, c, "commandstats")
	if len(cmdstats) != 2 || !strings.HasPrefix(cmdstats["cmdstat_config|resetstat"], "calls=1,") ||
		!strings.HasPrefix(cmdstats["cmdstat_info"], "calls=1,") {
		t.Errorf("commandstats after RESETSTAT: %v", cmdstats)
	}
	if errs := infoFields(t, c, "errorstats"); len(errs) != 0 {
		t.Errorf("errorstats after RESETSTAT: %v", errs)
	}
	// The keyspace and the dirty counter are not statistics.
	if ks := infoFields(t, c, "keyspace"); ks["db0"] != "keys=1,expires=0,avg_ttl=0" {
		t.Errorf("keyspace after RESETSTAT: %v", ks)
	}
	MustDo(t, c, "CONFIG", "HELP", "x", Err("ERR wrong number of arguments for 'config|help' command"))
	help := clientElems(c.Do("CONFIG", "HELP"))
	if len(help) != 9 || help[1] != "GET <pattern>" || help[8] != "    Prints this help." {
		t.Errorf("CONFIG HELP: %q", help)
	}
}

func TestServerShutdown(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"SHUTDOWN", "ABORT", Err("ERR No shutdown in progress.")},
		{"SHUTDOWN", "abort", "abort", Err("ERR No shutdown in progress.")},
		{"SHUTDOWN", "abort", "x", Err("ERR syntax error")},
		{"SHUTDOWN", "foo", Err("ERR syntax error")},
		{"SHUTDOWN", "NOW", "FORCE", "ABORT", Err("ERR syntax error")},
		{"SHUTDOWN", "nosave", "save", Err("ERR syntax error")},
		{"SHUTDOWN", "SAVE", "NOSAVE", Err("ERR syntax error")},
	})
	select {
	case <-s.Done():
		t.Fatal("the server stopped")
	default:
	}
	other := Dial(t, s.Addr())
	MustDo(t, other, "PING", Status("PONG"))
	// No reply: the connection closes, and so does the server.
	c.Send("SHUTDOWN", "NOSAVE", "NOW", "FORCE")
	c.ExpectClosed()
	other.ExpectClosed()
	select {
	case <-s.Done():
	case <-time.After(ReplyTimeout):
		t.Fatal("Done() not closed after SHUTDOWN")
	}
}

// TestServerShutdownBusy: during a yielding operation, SHUTDOWN needs
// NOSAVE (Redis answers the busy error otherwise).
func TestServerShutdownBusy(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	busy, c := Dial(t, s.Addr()), Dial(t, s.Addr())
	busy.Send("DEBUG", "BUSY", "500")
	time.Sleep(50 * time.Millisecond)
	MustDo(t, c, "SHUTDOWN", Err("BUSY Redis is busy running a module command."))
	c.Send("SHUTDOWN", "NOSAVE")
	c.ExpectClosed()
	select {
	case <-s.Done():
	case <-time.After(ReplyTimeout):
		t.Fatal("Done() not closed after SHUTDOWN NOSAVE")
	}
}

func TestServerFlushSwap(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"SET", "a", "1", OK},
		{"SELECT", "1", OK},
		{"SET", "b", "1", OK},
		{"SET", "c", "1", OK},
		{"DBSIZE", Int(2)},
		{"DBSIZE", "x", Err("ERR wrong number of arguments for 'dbsize' command")},
		{"FLUSHDB", "x", Err("ERR syntax error")},
		{"FLUSHDB", "async", "x", Err("ERR syntax error")},
		{"FLUSHALL", "foo", Err("ERR syntax error")},
		{"FLUSHALL", "sync", "sync", Err("ERR syntax error")},
		{"FLUSHDB", "ASYNC", OK},
		{"DBSIZE", Int(0)},
		{"SELECT", "0", OK},
		{"DBSIZE", Int(1)},
		{"SET", "b", "1", OK},
		{"SWAPDB", Err("ERR wrong number of arguments for 'swapdb' command")},
		{"SWAPDB", "0", Err("ERR wrong number of arguments for 'swapdb' command")},
		{"SWAPDB", "a", "1", Err("ERR invalid first DB index")},
		{"SWAPDB", "a", "b", Err("ERR invalid first DB index")},
		{"SWAPDB", "0", "b", Err("ERR invalid second DB index")},
		{"SWAPDB", "01", "0", Err("ERR invalid first DB index")},
		{"SWAPDB", "99999999999", "0", Err("ERR invalid first DB index")},
		{"SWAPDB", "0", "-99999999999", Err("ERR invalid second DB index")},
		{"SWAPDB", "0", "16", Err("ERR DB index is out of range")},
		{"SWAPDB", "-1", "0", Err("ERR DB index is out of range")},
		{"SWAPDB", "0", "0", OK},
		{"SWAPDB", "0", "3", OK},
		{"DBSIZE", Int(0)},
		{"SELECT", "3", OK},
		{"DBSIZE", Int(2)},
		{"GET", "a", Bulk("1")},
		{"SWAPDB", "3", "0", OK},
		{"DBSIZE", Int(0)},
		{"FLUSHALL", OK},
		{"SELECT", "0", OK},
		{"DBSIZE", Int(0)},
	})
	MustDo(t, c, "SET", "x", "1", OK)
	MustDo(t, c, "FLUSHALL", "SYNC", OK)
	MustDo(t, c, "DBSIZE", Int(0))
	if ks := infoFields(t, c, "keyspace"); len(ks) != 0 {
		t.Errorf("keyspace after FLUSHALL: %v", ks)
	}
}

func TestServerTimeLastsave(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	before := time.Now()
	tm := clientElems(c.Do("TIME"))
	after := time.Now()
	if len(tm) != 2 {
		t.Fatalf("TIME: %q", tm)
	}
	secs, err1 := strconv.ParseInt(tm[0], 10, 64)
	usecs, err2 := strconv.ParseInt(tm[1], 10, 64)
	got := time.Unix(secs, usecs*1000)
	if err1 != nil || err2 != nil || usecs < 0 || usecs > 999999 ||
		got.Before(before.Truncate(time.Microsecond)) || got.After(after) {
		t.Errorf("TIME = %q, not between %v and %v", tm, before, after)
	}
	last := c.Do("LASTSAVE").Int()
	if last < before.Add(-time.Minute).Unix() || last > after.Unix() {
		t.Errorf("LASTSAVE = %d, not the start time", last)
	}
	MustDoAll(t, c, [][]string{
		{"TIME", "x", Err("ERR wrong number of arguments for 'time' command")},
		{"LASTSAVE", "x", Err("ERR wrong number of arguments for 'lastsave' command")},
	})
}

func TestServerDebug(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	c := Dial(t, s.Addr())
	unknown := func(sub string) string {
		return Err("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try DEBUG HELP.")
	}
	MustDoAll(t, c, [][]string{
		{"DEBUG", Err("ERR wrong number of arguments for 'debug' command")},
		{"DEBUG", "FOO", unknown("FOO")},
		{"DEBUG", "foo", "bar", unknown("foo")},
		{"DEBUG", "HELP", "x", unknown("HELP")},
		{"DEBUG", "SLEEP", unknown("SLEEP")},
		{"DEBUG", "OBJECT", "k", "extra", unknown("OBJECT")},
		// SLEEP reads its argument with strtod: garbage is 0.
		{"DEBUG", "SLEEP", "0", OK},
		{"DEBUG", "SLEEP", "abc", OK},
		{"DEBUG", "SLEEP", "-1", OK},
		{"DEBUG", "SLEEP", "1e-2", OK},
		{"DEBUG", "SET-ACTIVE-EXPIRE", "abc", OK},
		// BUSY is ours: it holds the main thread with yield points.
		{"DEBUG", "BUSY", unknown("BUSY")},
		{"DEBUG", "BUSY", "abc", Err("ERR value is not an integer or out of range")},
		{"DEBUG", "BUSY", "-1", Err("ERR value is not an integer or out of range")},
		{"DEBUG", "BUSY", "10", "0", Err("ERR value is not an integer or out of range")},
		{"DEBUG", "BUSY", "10", "1", "2", unknown("BUSY")},
		{"DEBUG", "BUSY", "0", OK},
		{"DEBUG", "BUSY", "20", "5", OK},
		{"DEBUG", "OBJECT", "nokey", Err("ERR no such key")},
	})
	objects := []struct {
		cmd  []string
		want string // encoding and serializedlength, as redis-server 7.0
	}{
		{[]string{"SET", "k", "-129"}, "encoding:int serializedlength:3"},
		{[]string{"SET", "k", "40000"}, "encoding:int serializedlength:5"},
		{[]string{"SET", "k", "12345678901"}, "encoding:int serializedlength:12"},
		{[]string{"SET", "k", "hello"}, "encoding:embstr serializedlength:6"},
		{[]string{"SET", "k", "01"}, "encoding:embstr serializedlength:3"},
		{[]string{"SET", "k", strings.Repeat("a", 20)}, "encoding:embstr serializedlength:21"},
		{[]string{"HSET", "k", "f", "v"}, "encoding:listpack serializedlength:14"},
		{[]string{"HSET", "k", "a", "1"}, "encoding:listpack serializedlength:13"},
		{[]string{"HSET", "k", "n", "200"}, "encoding:listpack serializedlength:14"},
		{[]string{"HSET", "k", "n", "-5000", "m", "70000"}, "encoding:listpack serializedlength:23"},
		{[]string{"SADD", "k", "1", "2", "3"}, "encoding:intset serializedlength:15"},
		{[]string{"SADD", "k", "1", "70000"}, "encoding:intset serializedlength:17"},
		{[]string{"SADD", "k", "1", "5000000000"}, "encoding:intset serializedlength:25"},
		{[]string{"SADD", "k", "a", "bb", "12"}, "encoding:hashtable serializedlength:8"},
	}
	re := regexp.MustCompile(`^\+Value at:0x[0-9a-f]+ refcount:1 (encoding:\w+ serializedlength:\d+) lru:\d+ lru_seconds_idle:0\r\n$`)
	for _, o := range objects {
		c.Do("DEL", "k")
		c.Do(o.cmd...)
		r := c.Do("DEBUG", "OBJECT", "k")
		if m := re.FindStringSubmatch(string(r.Raw)); m == nil || m[1] != o.want {
			t.Errorf("%q then DEBUG OBJECT: %q, want %s", o.cmd, r.Raw, o.want)
		}
	}
	help := clientElems(c.Do("DEBUG", "HELP"))
	if len(help) < 3 || help[0] != "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" || help[len(help)-1] != "    Prints this help." {
		t.Errorf("DEBUG HELP: %q", help)
	}

	// SET-ACTIVE-EXPIRE 0: expired keys stay until touched.
	MustDo(t, c, "FLUSHALL", OK)
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0", OK)
	MustDo(t, c, "SET", "e", "v", "PX", "10", OK)
	time.Sleep(150 * time.Millisecond) // more than a cron tick at hz 10
	MustDo(t, c, "DBSIZE", Int(1))
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "1", OK)
	deadline := time.Now().Add(ReplyTimeout)
	for c.Do("DBSIZE").Int() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("active expiry did not remove the key")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
