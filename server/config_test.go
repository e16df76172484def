package server

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Unit tests of the configuration registry and of the startup
// configuration. Wordings are redis-server 7.0's (CONFIG SET on a stock
// server, and what `redis-server --port abc` or `redis-server file` print).

func cfgRegistry(t *testing.T, params ...*Param) *Config {
	t.Helper()
	c := newConfig()
	for _, p := range params {
		if err := c.Register(p); err != nil {
			t.Fatalf("Register %s: %v", p.Name, err)
		}
	}
	return c
}

// cfgSet runs one CONFIG SET and returns Redis' reply: "OK" or the error.
func cfgSet(c *Config, kv ...string) string { return cfgSetAs(c, nil, kv...) }

// cfgSetAs is cfgSet for a client (nil: no client, as a module).
func cfgSetAs(c *Config, ctx *Ctx, kv ...string) string {
	var pairs [][2]string
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, [2]string{kv[i], kv[i+1]})
	}
	if err := c.Set(ctx, pairs, false); err != nil {
		return err.Error()
	}
	return "OK"
}

func cfgFailed(name, reason string) string {
	return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason
}

func TestConfigParamTypes(t *testing.T) {
	c := cfgRegistry(t,
		&Param{Name: "flag", Type: ParamBool, Default: "no"},
		&Param{Name: "num", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "10"},
		&Param{Name: "signed", Type: ParamInt, Min: -1, Max: math.MaxInt64, Default: "-1"},
		&Param{Name: "mem", Type: ParamMemory, Min: 1024 * 1024, Max: math.MaxInt64, Default: "512mb"},
		&Param{Name: "umem", Type: ParamMemory, Unsigned: true, Min: 0, Max: -1, Default: "0"},
		&Param{Name: "policy", Type: ParamEnum, Enum: []string{"volatile-lru", "allkeys-lru", "noeviction"}, Default: "noeviction"},
		&Param{Name: "text", Type: ParamString, Default: "a b"},
	)
	for _, tc := range []struct {
		args      []string
		reply     string
		name, val string // what the parameter reads afterwards
	}{
		{[]string{"flag", "YES"}, "OK", "flag", "yes"},
		{[]string{"flag", "No"}, "OK", "flag", "no"},
		{[]string{"flag", "1"}, cfgFailed("flag", "argument must be 'yes' or 'no'"), "flag", "no"},
		{[]string{"flag", ""}, cfgFailed("flag", "argument must be 'yes' or 'no'"), "flag", "no"},
		{[]string{"num", "0"}, "OK", "num", "0"},
		{[]string{"num", "2147483647"}, "OK", "num", "2147483647"},
		{[]string{"num", "2147483648"}, cfgFailed("num", "argument must be between 0 and 2147483647 inclusive"), "num", "2147483647"},
		{[]string{"num", "-1"}, cfgFailed("num", "argument must be between 0 and 2147483647 inclusive"), "num", "2147483647"},
		{[]string{"num", "1k"}, cfgFailed("num", "argument couldn't be parsed into an integer"), "num", "2147483647"},
		{[]string{"num", "+5"}, cfgFailed("num", "argument couldn't be parsed into an integer"), "num", "2147483647"},
		{[]string{"num", "05"}, cfgFailed("num", "argument couldn't be parsed into an integer"), "num", "2147483647"},
		{[]string{"num", " 5"}, cfgFailed("num", "argument couldn't be parsed into an integer"), "num", "2147483647"},
		{[]string{"num", "-0"}, cfgFailed("num", "argument couldn't be parsed into an integer"), "num", "2147483647"},
		{[]string{"signed", "-1"}, "OK", "signed", "-1"},
		{[]string{"signed", "-2"}, cfgFailed("signed", "argument must be between -1 and 9223372036854775807 inclusive"), "signed", "-1"},
		{[]string{"signed", "9223372036854775808"}, cfgFailed("signed", "argument couldn't be parsed into an integer"), "signed", "-1"},
		// Memory: k=1000, kb=1024, case-insensitive.
		{[]string{"mem", "2mb"}, "OK", "mem", "2097152"},
		{[]string{"mem", "2m"}, "OK", "mem", "2000000"},
		{[]string{"mem", "1GB"}, "OK", "mem", "1073741824"},
		{[]string{"mem", "2g"}, "OK", "mem", "2000000000"},
		{[]string{"mem", "1048576b"}, "OK", "mem", "1048576"},
		{[]string{"mem", "1024kb"}, "OK", "mem", "1048576"},
		{[]string{"mem", "1024k"}, cfgFailed("mem", "argument must be between 1048576 and 9223372036854775807 inclusive"), "mem", "1048576"},
		{[]string{"mem", "1tb"}, cfgFailed("mem", "argument must be a memory value"), "mem", "1048576"},
		{[]string{"mem", "-1"}, cfgFailed("mem", "argument must be a memory value"), "mem", "1048576"},
		{[]string{"mem", "1.5mb"}, cfgFailed("mem", "argument must be a memory value"), "mem", "1048576"},
		{[]string{"mem", "1 kb"}, cfgFailed("mem", "argument must be a memory value"), "mem", "1048576"},
		{[]string{"mem", "+2mb"}, cfgFailed("mem", "argument must be a memory value"), "mem", "1048576"},
		// Above 2^63-1 a signed memory value is negative to Redis.
		{[]string{"mem", "9223372036854775808"}, cfgFailed("mem", "argument must be between 1048576 and 9223372036854775807 inclusive"), "mem", "1048576"},
		{[]string{"umem", "1k"}, "OK", "umem", "1000"},
		{[]string{"umem", "01"}, "OK", "umem", "1"},
		{[]string{"umem", ""}, "OK", "umem", "0"},
		{[]string{"umem", "kb"}, "OK", "umem", "0"},
		{[]string{"umem", "18446744073709551615"}, "OK", "umem", "18446744073709551615"},
		// strtoull saturates.
		{[]string{"umem", "99999999999999999999"}, "OK", "umem", "18446744073709551615"},
		{[]string{"umem", "9999999999gb"}, "OK", "umem", "10737418238926258176"},
		{[]string{"umem", "99999999999gb"}, cfgFailed("umem", "argument must be a memory value"), "umem", "10737418238926258176"},
		{[]string{"umem", "0x10"}, cfgFailed("umem", "argument must be a memory value"), "umem", "10737418238926258176"},
		{[]string{"policy", "ALLKEYS-LRU"}, "OK", "policy", "allkeys-lru"},
		{[]string{"policy", "foo"}, cfgFailed("policy", "argument(s) must be one of the following: volatile-lru, allkeys-lru, noeviction"), "policy", "allkeys-lru"},
		{[]string{"policy", "noeviction "}, cfgFailed("policy", "argument(s) must be one of the following: volatile-lru, allkeys-lru, noeviction"), "policy", "allkeys-lru"},
		{[]string{"text", ""}, "OK", "text", ""},
		{[]string{"TEXT", "x y"}, "OK", "text", "x y"},
	} {
		if got := cfgSet(c, tc.args...); got != tc.reply {
			t.Errorf("CONFIG SET %q:\n got %s\nwant %s", tc.args, got, tc.reply)
		}
		if got := c.Get(tc.name); got != tc.val {
			t.Errorf("after CONFIG SET %q: %s = %q, want %q", tc.args, tc.name, got, tc.val)
		}
	}
	if p := c.Lookup("umem"); p.Uint() != 10737418238926258176 {
		t.Errorf("Uint() = %d", p.Uint())
	}
	if p := c.Lookup("flag"); p.Bool() || p.Int() != 0 {
		t.Errorf("flag: Bool %v Int %d", p.Bool(), p.Int())
	}
}

func TestConfigParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in string
		n  uint64
		ok bool
	}{
		{"0", 0, true}, {"", 0, true}, {"b", 0, true}, {"100", 100, true}, {"100B", 100, true},
		{"1k", 1000, true}, {"1K", 1000, true}, {"1kb", 1024, true}, {"1Kb", 1024, true},
		{"1m", 1000000, true}, {"1mb", 1 << 20, true}, {"1g", 1000000000, true}, {"1gb", 1 << 30, true},
		{"18446744073709551615", math.MaxUint64, true},
		{"18446744073709551616", math.MaxUint64, true},
		{"18446744073709551616k", 0, false},
		{"17179869183gb", 17179869183 << 30, true},
		{"17179869184gb", 0, false},
		{strings.Repeat("1", 128), 0, false},
		{"1t", 0, false}, {"1tb", 0, false}, {"-1", 0, false}, {"- 1", 0, false}, {" 1", 0, false},
		{"1 ", 0, false}, {"1.5", 0, false}, {"0x1", 0, false}, {"k1", 0, false},
	} {
		n, ok := ParseMemory(tc.in)
		if n != tc.n || ok != tc.ok {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.ok)
		}
	}
}

func TestConfigMatch(t *testing.T) {
	c := cfgRegistry(t,
		&Param{Name: "hz", Type: ParamInt, Min: 0, Max: 100, Default: "10"},
		&Param{Name: "busy-reply-threshold", Aliases: []string{"lua-time-limit"}, Type: ParamInt, Min: 0, Max: math.MaxInt64, Default: "5000"},
		&Param{Name: "hash-max-listpack-entries", Aliases: []string{"hash-max-ziplist-entries"}, Type: ParamInt, Min: 0, Max: math.MaxInt64, Default: "512"},
		&Param{Name: "hash-max-listpack-value", Aliases: []string{"hash-max-ziplist-value"}, Type: ParamMemory, Min: 0, Max: math.MaxInt64, Default: "64"},
	)
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{[]string{"hz"}, "hz=10"},
		// An exact name is answered as written, once whatever its case.
		{[]string{"HZ"}, "HZ=10"},
		{[]string{"HZ", "hz"}, "HZ=10"},
		{[]string{"hz", "HZ"}, "hz=10"},
		{[]string{"nosuch"}, ""},
		{[]string{"nosuch*"}, ""},
		// Globs answer lower-case names, ignoring case.
		{[]string{"H?"}, "hz=10"},
		{[]string{"[h]z", "hz"}, "hz=10"},
		{[]string{"hz", "h?"}, "hz=10"},
		// Aliases are names of their own.
		{[]string{"lua-time-limit"}, "lua-time-limit=5000"},
		{[]string{"Lua-Time-Limit"}, "Lua-Time-Limit=5000"},
		{[]string{"busy-reply-threshold", "lua-time-limit"}, "busy-reply-threshold=5000 lua-time-limit=5000"},
		{[]string{"*-time-limit"}, "lua-time-limit=5000"},
		{[]string{"busy-reply*"}, "busy-reply-threshold=5000"},
		{[]string{"hash-max-ziplist-*"}, "hash-max-ziplist-entries=512 hash-max-ziplist-value=64"},
		// Pattern order, then registration order, name before aliases.
		{[]string{"hash-max-*", "hz"}, "hash-max-listpack-entries=512 hash-max-ziplist-entries=512 hash-max-listpack-value=64 hash-max-ziplist-value=64 hz=10"},
		{[]string{"hz", "*"}, "hz=10 busy-reply-threshold=5000 lua-time-limit=5000 hash-max-listpack-entries=512 hash-max-ziplist-entries=512 hash-max-listpack-value=64 hash-max-ziplist-value=64"},
	} {
		var got []string
		for _, kv := range c.Match(tc.patterns) {
			got = append(got, kv[0]+"="+kv[1])
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.patterns, strings.Join(got, " "), tc.want)
		}
	}
	if got := strings.Join(c.Names(), " "); got != "busy-reply-threshold hash-max-listpack-entries hash-max-listpack-value hash-max-ziplist-entries hash-max-ziplist-value hz lua-time-limit" {
		t.Errorf("Names() = %q", got)
	}
}

func TestConfigRegisterErrors(t *testing.T) {
	c := cfgRegistry(t, &Param{Name: "hz", Aliases: []string{"frequency"}, Type: ParamInt, Min: 0, Max: 100, Default: "10"})
	for _, tc := range []struct {
		p    *Param
		want string
	}{
		{&Param{Name: "HZ", Type: ParamInt, Max: 1}, `config parameter "HZ" registered twice`},
		{&Param{Name: "other", Aliases: []string{"Frequency"}, Type: ParamString}, `config parameter "Frequency" registered twice`},
		{&Param{Name: "bad", Type: ParamInt, Min: 0, Max: 10, Default: "11"}, `config parameter "bad": bad default "11": argument must be between 0 and 10 inclusive`},
		{&Param{Name: "bad2", Type: ParamEnum, Enum: []string{"a"}, Default: "b"}, `config parameter "bad2": bad default "b": argument(s) must be one of the following: a`},
	} {
		err := c.Register(tc.p)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Register(%s): %v, want %s", tc.p.Name, err, tc.want)
		}
	}
	// A failed registration leaves nothing behind.
	if c.Lookup("bad") != nil || c.Lookup("other") != nil || len(c.params) != 1 {
		t.Errorf("failed registrations left parameters: %v", c.Names())
	}
}

func TestConfigSetOrderAndRollback(t *testing.T) {
	var applied []string
	failing := false
	c := cfgRegistry(t,
		&Param{Name: "hz", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "10", Normalize: clampHz},
		&Param{Name: "busy-reply-threshold", Aliases: []string{"lua-time-limit"}, Type: ParamInt, Min: 0, Max: math.MaxInt64, Default: "5000"},
		&Param{Name: "daemonize", Type: ParamBool, Default: "no", Immutable: true},
		&Param{Name: "dir", Type: ParamString, Default: "/", Protected: true},
		&Param{Name: "first", Type: ParamString, Default: "a", Apply: func(*Ctx) error {
			applied = append(applied, "first")
			return nil
		}},
		&Param{Name: "mod-workers", Type: ParamInt, Min: 0, Max: 16, Default: "0", Apply: func(*Ctx) error {
			applied = append(applied, "mod-workers")
			if failing {
				return errors.New("workers cannot change now")
			}
			return nil
		}},
	)
	c.allowProtected = func(*Ctx) bool { return false }
	for _, tc := range []struct {
		args  []string
		reply string
	}{
		{[]string{"nosuch", "1"}, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"},
		// The first problem in argument order wins among unknown,
		// immutable, protected and repeated names...
		{[]string{"daemonize", "yes", "nosuch", "1"}, cfgFailed("daemonize", "can't set immutable config")},
		{[]string{"nosuch", "1", "daemonize", "yes"}, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"},
		{[]string{"DIR", "/tmp"}, cfgFailed("DIR", "can't set protected config")},
		{[]string{"hz", "20", "HZ", "30"}, cfgFailed("HZ", "duplicate parameter")},
		{[]string{"hz", "5", "hz", "abc"}, cfgFailed("hz", "duplicate parameter")},
		// ...and wins over bad values, which name the parameter in lower
		// case.
		{[]string{"hz", "abc", "nosuch", "1"}, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"},
		{[]string{"hz", "abc", "daemonize", "yes"}, cfgFailed("daemonize", "can't set immutable config")},
		{[]string{"HZ", "abc"}, cfgFailed("hz", "argument couldn't be parsed into an integer")},
		{[]string{"LUA-TIME-LIMIT", "-1"}, cfgFailed("lua-time-limit", "argument must be between 0 and 9223372036854775807 inclusive")},
		{[]string{"hz", "20", "busy-reply-threshold", "x"}, cfgFailed("busy-reply-threshold", "argument couldn't be parsed into an integer")},
	} {
		if got := cfgSet(c, tc.args...); got != tc.reply {
			t.Errorf("CONFIG SET %q:\n got %s\nwant %s", tc.args, got, tc.reply)
		}
	}
	if c.Get("hz") != "10" || len(applied) != 0 {
		t.Fatalf("failed CONFIG SETs changed something: hz=%s applied=%v", c.Get("hz"), applied)
	}

	// An alias and its name are different names: both are set, the last
	// wins.
	if got := cfgSet(c, "lua-time-limit", "100", "busy-reply-threshold", "200"); got != "OK" || c.Get("busy-reply-threshold") != "200" {
		t.Errorf("alias then name: %s, value %s", got, c.Get("busy-reply-threshold"))
	}
	// hz is clamped to 1..500 once accepted.
	for in, want := range map[string]string{"0": "1", "501": "500", "2147483647": "500", "42": "42"} {
		if got := cfgSet(c, "hz", in); got != "OK" || c.Get("hz") != want {
			t.Errorf("hz %s: %s, reads %s, want %s", in, got, c.Get("hz"), want)
		}
	}

	// An Apply that fails restores every value of the CONFIG SET and runs
	// the hooks of those already applied again, with the old values.
	cfgSet(c, "hz", "10", "busy-reply-threshold", "5000")
	applied = nil
	failing = true
	got := c.Set(nil, [][2]string{{"hz", "20"}, {"first", "b"}, {"lua-time-limit", "7"}, {"MOD-WORKERS", "8"}}, false)
	var cse *ConfigSetError
	if !errors.As(got, &cse) || got.Error() != cfgFailed("mod-workers", "workers cannot change now") || !cse.applyFailed {
		t.Fatalf("failing Apply: %v", got)
	}
	for name, want := range map[string]string{"hz": "10", "first": "a", "busy-reply-threshold": "5000", "mod-workers": "0"} {
		if v := c.Get(name); v != want {
			t.Errorf("after the rollback %s = %s, want %s", name, v, want)
		}
	}
	if strings.Join(applied, " ") != "first mod-workers first mod-workers" {
		t.Errorf("Apply hooks ran: %v", applied)
	}
	failing = false
	applied = nil
	if got := cfgSet(c, "mod-workers", "8", "first", "z"); got != "OK" || c.Get("mod-workers") != "8" || strings.Join(applied, " ") != "mod-workers first" {
		t.Errorf("CONFIG SET with hooks: %s, mod-workers=%s, applied %v", got, c.Get("mod-workers"), applied)
	}

	// Immutable and protected parameters are set at load time.
	if err := c.Set(nil, [][2]string{{"daemonize", "yes"}, {"dir", "/tmp"}}, true); err != nil || c.Get("daemonize") != "yes" || c.Get("dir") != "/tmp" {
		t.Errorf("loading immutable and protected parameters: %v", err)
	}
}

// TestConfigServerParams: the server's own parameters and their Redis
// quirks.
func TestConfigServerParams(t *testing.T) {
	s := newServer(Options{})
	if err := s.registerCoreParams(); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	client := &Ctx{Client: &Client{}} // protected parameters are refused to clients
	for _, tc := range []struct {
		args      []string
		reply     string
		name, val string
	}{
		{[]string{"save", "900 1 300 10"}, "OK", "save", "900 1 300 10"},
		{[]string{"save", ""}, "OK", "save", ""},
		{[]string{"save", "900 "}, "OK", "save", "900 0"},
		{[]string{"save", "+900 -0"}, "OK", "save", "900 0"},
		{[]string{"save", "9223372036854775808 4294967297"}, "OK", "save", "9223372036854775807 1"},
		{[]string{"save", "900"}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"save", "900 1 300"}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"save", "  900   1  "}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"save", "0 0"}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"save", "-1 1"}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"save", "900 x"}, cfgFailed("save", "Invalid save parameters"), "save", "9223372036854775807 1"},
		{[]string{"notify-keyspace-events", "KEA"}, "OK", "notify-keyspace-events", "AKE"},
		{[]string{"notify-keyspace-events", "KEAn"}, "OK", "notify-keyspace-events", "AKE"},
		{[]string{"notify-keyspace-events", "g$lshzxetd"}, "OK", "notify-keyspace-events", "A"},
		{[]string{"notify-keyspace-events", "Kx"}, "OK", "notify-keyspace-events", "xK"},
		{[]string{"notify-keyspace-events", "mEhn"}, "OK", "notify-keyspace-events", "hnEm"},
		{[]string{"notify-keyspace-events", "foo"}, cfgFailed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), "notify-keyspace-events", "hnEm"},
		{[]string{"notify-keyspace-events", ""}, "OK", "notify-keyspace-events", ""},
		{[]string{"hash-max-ziplist-entries", "1k"}, cfgFailed("hash-max-ziplist-entries", "argument couldn't be parsed into an integer"), "hash-max-listpack-entries", "512"},
		{[]string{"hash-max-ziplist-value", "1k"}, "OK", "hash-max-listpack-value", "1000"},
		{[]string{"maxmemory", "18446744073709551615"}, "OK", "maxmemory", "18446744073709551615"},
		{[]string{"maxclients", "4294967296"}, cfgFailed("maxclients", "argument must be between 1 and 4294967295 inclusive"), "maxclients", "10000"},
		{[]string{"proto-max-bulk-len", "1000"}, cfgFailed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive"), "proto-max-bulk-len", "536870912"},
		{[]string{"loglevel", "VERBOSE"}, "OK", "loglevel", "verbose"},
		{[]string{"port", "7000"}, cfgFailed("port", "can't set immutable config"), "port", "6379"},
		{[]string{"dir", "/"}, cfgFailed("dir", "can't set protected config"), "dir", wd},
		{[]string{"dbfilename", "x.rdb"}, cfgFailed("dbfilename", "can't set protected config"), "dbfilename", "dump.rdb"},
	} {
		if got := cfgSetAs(s.cfg, client, tc.args...); got != tc.reply {
			t.Errorf("CONFIG SET %q:\n got %s\nwant %s", tc.args, got, tc.reply)
		}
		if got := s.cfg.Get(tc.name); got != tc.val {
			t.Errorf("after CONFIG SET %q: %s = %q, want %q", tc.args, tc.name, got, tc.val)
		}
	}
	if s.params.hashMaxListpackValue.Int() != 1000 || s.cfg.Lookup("maxmemory").Uint() != math.MaxUint64 {
		t.Errorf("typed reads: %d %d", s.params.hashMaxListpackValue.Int(), s.cfg.Lookup("maxmemory").Uint())
	}
}

// cfgStart starts a server from opts and returns the startup error.
func cfgStart(t *testing.T, opts Options) (*Server, error) {
	t.Helper()
	opts.LogOutput = testLogWriter{t}
	s, err := Start(opts)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func cfgWriteFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "redis.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigStartup(t *testing.T) {
	file := cfgWriteFile(t, `# a comment
   # an indented comment
bind 127.0.0.1
port 0

HZ 20
requirepass "with space"
save 900 1 300 10
  save "60 10000"  
loglevel 'warning'
notify-keyspace-events "Kx"
maxmemory 2mb
dbfilename "my.rdb"
enable-protected-configs yes
`)
	s, err := cfgStart(t, Options{ConfigFile: file, Config: []string{"maxclients 42", DirectiveLine("dir", os.TempDir())}})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs(os.TempDir())
	for name, want := range map[string]string{
		"hz": "20", "requirepass": "with space", "save": "900 1 300 10 60 10000", "loglevel": "warning",
		"notify-keyspace-events": "xK", "maxmemory": "2097152", "dbfilename": "my.rdb", "maxclients": "42",
		"dir": dir, "enable-protected-configs": "yes",
	} {
		if got := s.Config().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if s.configFile != file {
		t.Errorf("config file %q, want %q", s.configFile, file)
	}

	// An empty save line clears the save points read so far.
	s2, err := cfgStart(t, Options{Config: []string{"bind 127.0.0.1", "port 0", "save 900 1", `save ""`, DirectiveLine("save", "60", "1")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Config().Get("save"); got != "60 1" {
		t.Errorf("save = %q, want \"60 1\"", got)
	}
}

// TestConfigStartupErrors: the fatal errors read as redis-server prints
// them. DirectiveLine quotes an option's arguments as redis-server does
// with its command line, whose options it numbers from line 2 (after the
// file's lines and an empty one).
func TestConfigStartupErrors(t *testing.T) {
	fatal := func(line int, text, reason string) string {
		return "\n*** FATAL CONFIG FILE ERROR (Redis " + Version + ") ***\nReading the configuration file, at line " +
			itoa(int64(line)) + "\n>>> '" + text + "'\n" + reason
	}
	withNewline := cfgWriteFile(t, "port 0\nhz 5\n")
	withoutNewline := cfgWriteFile(t, "port 0\nhz 5")
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"--port abc", Options{Config: []string{DirectiveLine("port", "abc")}},
			fatal(2, `port "abc"`, "argument couldn't be parsed into an integer")},
		{"--foo bar", Options{Config: []string{DirectiveLine("foo", "bar")}},
			fatal(2, `foo "bar"`, "Bad directive or wrong number of arguments")},
		{"--port 1 --port abc", Options{Config: []string{DirectiveLine("port", "1"), DirectiveLine("port", "abc")}},
			fatal(3, `port "abc"`, "argument couldn't be parsed into an integer")},
		{"--hz 1 2", Options{Config: []string{DirectiveLine("hz", "1", "2")}},
			fatal(2, `hz "1" "2"`, "wrong number of arguments")},
		{"--hz", Options{Config: []string{DirectiveLine("hz")}},
			fatal(2, `hz`, "wrong number of arguments")},
		{"--requirepass a b", Options{Config: []string{DirectiveLine("requirepass", "a", "b")}},
			fatal(2, `requirepass "a" "b"`, "wrong number of arguments")},
		{"--save 900 1 300", Options{Config: []string{DirectiveLine("save", "900", "1", "300")}},
			fatal(2, `save "900" "1" "300"`, "Invalid save parameters")},
		{"--loglevel foo", Options{Config: []string{DirectiveLine("loglevel", "foo")}},
			fatal(2, `loglevel "foo"`, "argument(s) must be one of the following: debug, verbose, notice, warning")},
		{"--maxmemory 1tb", Options{Config: []string{DirectiveLine("maxmemory", "1tb")}},
			fatal(2, `maxmemory "1tb"`, "argument must be a memory value")},
		{"--databases 0", Options{Config: []string{DirectiveLine("databases", "0")}},
			fatal(2, `databases "0"`, "argument must be between 1 and 2147483647 inclusive")},
		{"--lua-time-limit abc", Options{Config: []string{DirectiveLine("lua-time-limit", "abc")}},
			fatal(2, `lua-time-limit "abc"`, "argument couldn't be parsed into an integer")},
		{"--port 99999", Options{Config: []string{DirectiveLine("port", "99999")}},
			fatal(2, `port "99999"`, "argument must be between 0 and 65535 inclusive")},
		{"--enable-debug-command maybe", Options{Config: []string{DirectiveLine("enable-debug-command", "maybe")}},
			fatal(2, `enable-debug-command "maybe"`, "argument(s) must be one of the following: no, yes, local")},
		{"--dir /nonexistent", Options{Config: []string{DirectiveLine("dir", "/nonexistent")}},
			fatal(2, `dir "/nonexistent"`, "No such file or directory")},
		{"file, then --hz abc", Options{ConfigFile: withNewline, Config: []string{DirectiveLine("hz", "abc")}},
			fatal(4, `hz "abc"`, "argument couldn't be parsed into an integer")},
		{"file without a final newline, then --hz abc", Options{ConfigFile: withoutNewline, Config: []string{DirectiveLine("hz", "abc")}},
			fatal(3, `hz "abc"`, "argument couldn't be parsed into an integer")},
		{"bad directive in a file", Options{ConfigFile: cfgWriteFile(t, "# comment\nport 7777\n\nfoo bar\n")},
			fatal(4, `foo bar`, "Bad directive or wrong number of arguments")},
		{"unbalanced quotes", Options{ConfigFile: cfgWriteFile(t, "port 7777\n  hz  \"5\" \n\nloglevel \"unbalanced\n")},
			fatal(4, `loglevel "unbalanced`, "Unbalanced quotes in configuration line")},
		{"CRLF lines, two values", Options{ConfigFile: cfgWriteFile(t, "port 0\r\nhz 5 6\r\n")},
			fatal(2, `hz 5 6`, "wrong number of arguments")},
		{"bad keyspace events", Options{ConfigFile: cfgWriteFile(t, "port 0\nnotify-keyspace-events abc\n")},
			fatal(2, `notify-keyspace-events abc`, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")},
		// Checked after the whole configuration: no line.
		{"--logfile /nonexistent/x", Options{Config: []string{DirectiveLine("logfile", "/nonexistent/x")}},
			"\n*** FATAL CONFIG FILE ERROR (Redis " + Version + ") ***\nCan't open the log file: No such file or directory"},
		{"missing file", Options{ConfigFile: "/nonexistent/redis.conf"},
			"Fatal error, can't open config file '/nonexistent/redis.conf': No such file or directory"},
	} {
		_, err := cfgStart(t, tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, err, tc.want)
			continue
		}
		var ce *ConfigError
		if tc.name != "missing file" && !errors.As(err, &ce) {
			t.Errorf("%s: %T is not a *ConfigError", tc.name, err)
		}
	}
}
