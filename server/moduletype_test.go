package server_test

import (
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"

	"github.com/miniredis-search/miniredis-search/server"
)

// counterModule is a test module with two data types, as a Redis module
// registers them with RedisModule_CreateDataType: "counter01" (copyable)
// and "nocopy-01" (no copy callback), each a list of strings, written with
// MT.PUSH key value and read with MT.GET key.
type counterModule struct {
	counter, noCopy *server.DataType
}

func (m *counterModule) Name() string { return "mtest" }
func (m *counterModule) Version() int { return 1 }
func (m *counterModule) Start() error { return nil }
func (m *counterModule) Stop()        {}

func (m *counterModule) Load(mc *server.ModuleContext) error {
	m.counter = &server.DataType{Name: "counter01",
		Copy:          func(v any) any { return append([]string(nil), v.([]string)...) },
		SerializedLen: func(v any) int { return 10 * len(v.([]string)) }}
	m.noCopy = &server.DataType{Name: "nocopy-01"}
	for _, dt := range []*server.DataType{m.counter, m.noCopy} {
		if err := mc.RegisterDataType(dt); err != nil {
			return err
		}
	}
	push := func(dt *server.DataType) server.Handler {
		return func(c *server.Ctx, args [][]byte) {
			e := c.LookupWrite(args[1])
			var list []string
			if e != nil {
				t, v := e.ModuleValue()
				if t != dt {
					c.W.Error("WRONGTYPE Operation against a key holding the wrong kind of value")
					return
				}
				list = v.([]string)
			}
			list = append(list, string(args[2]))
			c.DB().SetModuleValue(string(args[1]), dt, list)
			c.DB().SignalModifiedKey(string(args[1]))
			c.W.Int(int64(len(list)))
		}
	}
	cmds := []*server.Command{
		{Name: "MT.PUSH", Arity: 3, Flags: server.FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: push(m.counter)},
		{Name: "MT.PUSHNC", Arity: 3, Flags: server.FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: push(m.noCopy)},
		{Name: "MT.GET", Arity: 2, Flags: server.FlagReadOnly, FirstKey: 1, LastKey: 1, KeyStep: 1,
			Handler: func(c *server.Ctx, args [][]byte) {
				e := c.LookupRead(args[1])
				if e == nil {
					c.W.Array(0)
					return
				}
				if e.ModuleType() == nil {
					c.W.Error("WRONGTYPE Operation against a key holding the wrong kind of value")
					return
				}
				_, v := e.ModuleValue()
				c.W.StringArray(v.([]string))
			}},
		{Name: "MT.DEL", Arity: 2, Flags: server.FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1,
			Handler: func(c *server.Ctx, args [][]byte) {
				if c.DB().DeleteKey(string(args[1])) {
					c.W.Int(1)
					return
				}
				c.W.Int(0)
			}},
	}
	for _, cmd := range cmds {
		if err := mc.RegisterCommand(cmd); err != nil {
			return err
		}
	}
	return nil
}

const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

// TestModuleDataType: a key holding a module type's value behaves as Redis
// treats a module key: TYPE names the type, the generic key commands work
// on it, the core type commands answer WRONGTYPE, COPY copies only with the
// type's copy callback.
func TestModuleDataType(t *testing.T) {
	rec := &eventRecorder{}
	mod := &counterModule{}
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}, Modules: []server.Module{mod, rec}})
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"MT.PUSH", "k", "a", Int(1)},
		{"MT.PUSH", "k", "b", Int(2)},
		{"MT.GET", "k", Strs("a", "b")},
		{"TYPE", "k", Status("counter01")},
		{"EXISTS", "k", Int(1)},
		{"DBSIZE", Int(1)},
		{"OBJECT", "ENCODING", "k", Bulk("raw")},
		{"GET", "k", Err(wrongType)},
		{"HSET", "k", "f", "v", Err(wrongType)},
		{"APPEND", "k", "x", Err(wrongType)},
		{"SCAN", "0", "TYPE", "counter01", Arr(Bulk("0"), Strs("k"))},
		{"SCAN", "0", "TYPE", "COUNTER01", Arr(Bulk("0"), Strs("k"))},
		{"SCAN", "0", "TYPE", "string", Arr(Bulk("0"), Strs())},
		{"KEYS", "*", Strs("k")},
		{"COPY", "k", "k2", Int(1)},
		{"MT.PUSH", "k2", "c", Int(3)},
		{"MT.GET", "k", Strs("a", "b")}, // the copy is a copy
		{"MT.GET", "k2", Strs("a", "b", "c")},
		{"RENAME", "k2", "k3", OK},
		{"TYPE", "k3", Status("counter01")},
		{"EXPIRE", "k3", "100", Int(1)},
		{"TTL", "k3", Int(100)},
		{"MT.PUSHNC", "n", "x", Int(1)},
		{"TYPE", "n", Status("nocopy-01")},
		{"MT.PUSH", "n", "y", Err(wrongType)},
		{"COPY", "n", "n2", Err("ERR not supported for this module key")},
		{"COPY", "n", "k", Int(0)}, // the destination exists: 0 before the type is asked
		{"COPY", "n", "k", "REPLACE", Err("ERR not supported for this module key")},
		{"MT.GET", "k", Strs("a", "b")}, // a failed COPY REPLACE leaves the destination
		{"SET", "s", "v", OK},
		{"MT.PUSH", "s", "x", Err(wrongType)},
		{"MOVE", "n", "1", Int(1)},
		{"EXISTS", "n", Int(0)},
		{"DEL", "k3", Int(1)},
		{"MT.DEL", "k", Int(1)},
		{"MT.DEL", "k", Int(0)},
		{"DBSIZE", Int(1)},
		{"SELECT", "1", OK},
		{"TYPE", "n", Status("nocopy-01")},
		{"FLUSHALL", OK},
		{"DBSIZE", Int(0)},
	})
	// DEBUG OBJECT asks the type for its serialized length.
	MustDo(t, c, "MT.PUSH", "d", "1", Int(1))
	MustDo(t, c, "MT.PUSH", "d", "2", Int(2))
	r := c.Do("DEBUG", "OBJECT", "d")
	if !strings.Contains(r.String(), "encoding:raw serializedlength:20 ") {
		t.Errorf("DEBUG OBJECT d: %q", r.String())
	}
	// Module writes send no keyspace event (RedisModule_ModuleTypeSetValue
	// and RedisModule_DeleteKey do not notify); DEL does.
	rec.takeEvents()
	MustDo(t, c, "MT.PUSH", "e", "1", Int(1))
	MustDo(t, c, "MT.DEL", "e", Int(1))
	if got := rec.take(); got != "" {
		t.Errorf("events of module writes: %q", got)
	}
	MustDo(t, c, "DEL", "d", Int(1))
	if got := rec.take(); got != "del:d" {
		t.Errorf("events of DEL: %q", got)
	}
}

// TestModuleDataTypeWatch: a module write touches the key for WATCH, as
// closing a key opened for writing does.
func TestModuleDataTypeWatch(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{&counterModule{}}})
	c, other := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, other, "MT.PUSH", "k", "a", Int(1))
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "PING", Status("QUEUED"))
	MustDo(t, c, "EXEC", "*-1\r\n")
}

// TestRegisterDataTypeChecksName: Redis' rules for a type name.
func TestRegisterDataTypeChecksName(t *testing.T) {
	for _, tc := range []struct {
		names []string
		ok    bool
	}{
		{[]string{"trietype0"}, true},
		{[]string{"short"}, false},
		{[]string{"has space"}, false},
		{[]string{"trietype0", "TRIETYPE0"}, false},
	} {
		m := &typeNamesModule{names: tc.names}
		srv, err := server.Start(server.Options{Config: []string{"bind 127.0.0.1", "port 0"}, Modules: []server.Module{m},
			LogOutput: testWriter{t}})
		if err == nil {
			srv.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("%v: err %v, want ok %v", tc.names, err, tc.ok)
		}
	}
}

type typeNamesModule struct{ names []string }

func (m *typeNamesModule) Name() string { return "names" }
func (m *typeNamesModule) Version() int { return 1 }
func (m *typeNamesModule) Start() error { return nil }
func (m *typeNamesModule) Stop()        {}
func (m *typeNamesModule) Load(mc *server.ModuleContext) error {
	for _, n := range m.names {
		if err := mc.RegisterDataType(&server.DataType{Name: n}); err != nil {
			return err
		}
	}
	return nil
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) { w.t.Logf("%s", b); return len(b), nil }

// apiModule exports a shared API at Load (as RedisJSON exports its
// RedisJSON_V* API) and reads what the others export at Start.
type apiModule struct {
	name, export string
	got          map[string]any
	srv          *server.Server
}

func (m *apiModule) Name() string { return m.name }
func (m *apiModule) Version() int { return 1 }
func (m *apiModule) Stop()        {}
func (m *apiModule) Load(mc *server.ModuleContext) error {
	m.srv = mc.Server()
	if m.export == "" {
		return nil
	}
	return mc.ExportSharedAPI(m.export, m.name+"'s API")
}
func (m *apiModule) Start() error {
	m.got = map[string]any{}
	for _, n := range []string{"API_A", "API_B"} {
		m.got[n] = m.srv.GetSharedAPI(n)
	}
	return nil
}

// TestSharedAPI: a module loaded after another still finds its API at
// Start (every Load runs first); a name is exported once; an unknown name
// is nil.
func TestSharedAPI(t *testing.T) {
	user := &apiModule{name: "user"}
	prov := &apiModule{name: "prov", export: "API_A"}
	srv, err := server.Start(server.Options{Config: []string{"bind 127.0.0.1", "port 0"}, Modules: []server.Module{user, prov},
		LogOutput: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if user.got["API_A"] != "prov's API" || user.got["API_B"] != nil {
		t.Errorf("GetSharedAPI: %v", user.got)
	}
	_, err = server.Start(server.Options{Config: []string{"bind 127.0.0.1", "port 0"},
		Modules: []server.Module{&apiModule{name: "a", export: "API_A"}, &apiModule{name: "b", export: "API_A"}}, LogOutput: testWriter{t}})
	if err == nil {
		t.Error("a second export of API_A was accepted")
	}
}
