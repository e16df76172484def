package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of INFO: its sections, and the fields clients parse.

// infoText is the text of INFO with the given arguments.
func infoText(t *testing.T, c *Conn, args ...string) string {
	t.Helper()
	r := c.Do(append([]string{"INFO"}, args...)...)
	if r.Type != '$' {
		t.Fatalf("INFO %v: %q", args, r.Raw)
	}
	return string(r.Data)
}

// infoFields returns the fields of INFO <section>.
func infoFields(t *testing.T, c *Conn, section string) map[string]string {
	t.Helper()
	fields := map[string]string{}
	for _, line := range strings.Split(infoText(t, c, section), "\r\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("INFO %s: line without ':' %q", section, line)
		}
		fields[k] = v
	}
	return fields
}

// infoHeaders lists the "# Section" lines of an INFO text.
func infoHeaders(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\r\n") {
		if strings.HasPrefix(line, "# ") {
			out = append(out, line[2:])
		}
	}
	return strings.Join(out, ",")
}

func TestInfoSections(t *testing.T) {
	s, _ := srvWithModule(t)
	c := Dial(t, s.Addr())
	const def = "Server,Clients,Memory,Persistence,Stats,Replication,CPU,Modules,Errorstats,Cluster,Keyspace"
	const all = "Server,Clients,Memory,Persistence,Stats,Replication,CPU,Modules,Commandstats,Errorstats,Cluster,Keyspace"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, def},
		{[]string{"default"}, def},
		{[]string{"DEFAULT"}, def},
		{[]string{"all"}, all},
		{[]string{"everything"}, all + ",test_section"},
		// Sections come in Redis' order whatever the arguments' order.
		{[]string{"keyspace", "server"}, "Server,Keyspace"},
		{[]string{"Server", "server", "SERVER"}, "Server"},
		{[]string{"commandstats"}, "Commandstats"},
		{[]string{"default", "commandstats"}, all},
		// A module's sections: by module name, by section name, with
		// the module list, or with everything; never by default or all.
		{[]string{"test"}, "test_section"},
		{[]string{"test_section"}, "test_section"},
		{[]string{"modules"}, "Modules,test_section"},
		{[]string{"module_list"}, "Modules"},
		{[]string{"server", "test"}, "Server,test_section"},
		{[]string{"nosuch"}, ""},
	} {
		if got := infoHeaders(infoText(t, c, tc.args...)); got != tc.want {
			t.Errorf("INFO %v sections: %s\nwant %s", tc.args, got, tc.want)
		}
	}
	MustDoAll(t, c, [][]string{
		{"INFO", "nosuch", Bulk("")},
		{"INFO", "keyspace", Bulk("# Keyspace\r\n")},
		{"INFO", "KEYSPACE", "cluster", Bulk("# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n")},
		{"INFO", "cluster", "keyspace", "foo", Bulk("# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n")},
		{"INFO", "test", Bulk("# test_section\r\ntest_answer:42\r\ntest_ratio:0.50\r\ntest_workers:0\r\n")},
		{"INFO", "module_list", Bulk("# Modules\r\nmodule:name=test,ver=7,api=1,filters=0,usedby=[],using=[],options=[handle-io-errors]\r\n")},
		{"CONFIG", "SET", "test-workers", "3", OK},
		{"INFO", "modules", Bulk("# Modules\r\nmodule:name=test,ver=7,api=1,filters=0,usedby=[],using=[],options=[handle-io-errors]\r\n\r\n# test_section\r\ntest_answer:42\r\ntest_ratio:0.50\r\ntest_workers:3\r\n")},
	})
	// RESP3: a verbatim string.
	MustDo(t, c, "HELLO", "3", clientHelloReply3WithModule(clientID(t, c)))
	MustDo(t, c, "INFO", "cluster", Verbatim3("# Cluster\r\ncluster_enabled:0\r\n"))
}

// clientHelloReply3WithModule is HELLO 3's reply on a server with
// srvModule loaded.
func clientHelloReply3WithModule(id int64) string {
	return Map3(
		Bulk("server"), Bulk("redis"),
		Bulk("version"), Bulk(server.Version),
		Bulk("proto"), Int(3),
		Bulk("id"), Int(id),
		Bulk("mode"), Bulk("standalone"),
		Bulk("role"), Bulk("master"),
		Bulk("modules"), Arr(Map3(Bulk("name"), Bulk("test"), Bulk("ver"), Int(7), Bulk("path"), Bulk("builtin"), Bulk("args"), Arr())),
	)
}

// infoParse parses INFO as redis-py's parse_info does (the reference of
// what clients expect), and fails where parse_info would raise: a value
// holding both ',' and '=' is a dict whose every item needs a '='.
func infoParse(t *testing.T, text string) map[string]any {
	t.Helper()
	var value func(v string) any
	value = func(v string) any {
		if !strings.Contains(v, ",") || !strings.Contains(v, "=") {
			if strings.Contains(v, ".") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					return f
				}
				return v
			}
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return n
			}
			return v
		}
		sub := map[string]any{}
		for _, item := range strings.Split(v, ",") {
			i := strings.LastIndex(item, "=")
			if i < 0 {
				t.Fatalf("redis-py cannot parse %q: item %q has no '='", v, item)
			}
			sub[item[:i]] = value(item[i+1:])
		}
		return sub
	}
	info := map[string]any{}
	for _, line := range strings.Split(text, "\r\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Errorf("INFO line redis-py files under __raw__: %q", line)
			continue
		}
		if k == "module" {
			mods, _ := info["modules"].([]any)
			info["modules"] = append(mods, value(v))
			continue
		}
		info[k] = value(v)
	}
	return info
}

func TestInfoFieldsClientsParse(t *testing.T) {
	s, _ := srvWithModule(t, "enable-debug-command yes")
	c := Dial(t, s.Addr())
	id := clientID(t, c)
	MustDoAll(t, c, [][]string{
		{"SET", "a", "1", OK},
		{"SET", "b", "2", "EX", "100", OK},
		{"GET", "a", Bulk("1")},
		{"GET", "nokey", Nil},
		{"GET", Err("ERR wrong number of arguments for 'get' command")},
		{"HSET", "h", "f", "v", Int(1)},
		{"GET", "h", Err("WRONGTYPE Operation against a key holding the wrong kind of value")},
		{"NOSUCH", Err("ERR unknown command 'NOSUCH', with args beginning with: ")},
		{"SELECT", "3", OK},
		{"SET", "c", "1", OK},
		{"CLIENT", "ID", Int(id)},
	})
	info := infoParse(t, infoText(t, c, "everything"))
	db0, ok := info["db0"].(map[string]any)
	if !ok || db0["keys"] != int64(3) || db0["expires"] != int64(1) {
		t.Fatalf("db0: %#v", info["db0"])
	}
	if ttl, _ := db0["avg_ttl"].(int64); ttl <= 90000 || ttl > 100000 {
		t.Errorf("db0 avg_ttl: %v", db0["avg_ttl"])
	}
	if db3, _ := info["db3"].(map[string]any); db3["keys"] != int64(1) || db3["expires"] != int64(0) || db3["avg_ttl"] != int64(0) {
		t.Errorf("db3: %#v", info["db3"])
	}
	for k, want := range map[string]any{
		// GET of a hash is a hit, then WRONGTYPE.
		"keyspace_hits": int64(2), "keyspace_misses": int64(1), "total_error_replies": int64(3),
		"connected_clients": int64(1), "cluster_enabled": int64(0), "redis_version": server.Version,
		"redis_mode": "standalone", "role": "master", "loading": int64(0), "test_answer": int64(42),
		"test_ratio": 0.5, "maxmemory_policy": "noeviction", "tcp_port": int64(s.Port()),
	} {
		if info[k] != want {
			t.Errorf("%s: %#v, want %#v", k, info[k], want)
		}
	}
	// "count=2" has no ',': redis-py leaves it a string.
	if info["errorstat_ERR"] != "count=2" {
		t.Errorf("errorstat_ERR: %#v", info["errorstat_ERR"])
	}
	if info["errorstat_WRONGTYPE"] != "count=1" {
		t.Errorf("errorstat_WRONGTYPE: %#v", info["errorstat_WRONGTYPE"])
	}
	mods, _ := info["modules"].([]any)
	if len(mods) != 1 || mods[0].(map[string]any)["name"] != "test" || mods[0].(map[string]any)["ver"] != int64(7) {
		t.Errorf("modules: %#v", info["modules"])
	}

	// commandstats: calls, failed and rejected calls, as Redis counts them.
	re := regexp.MustCompile(`^calls=(\d+),usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=(\d+),failed_calls=(\d+)$`)
	stats := infoFields(t, c, "commandstats")
	for name, want := range map[string][3]string{
		"cmdstat_get":       {"3", "1", "1"},
		"cmdstat_set":       {"3", "0", "0"},
		"cmdstat_client|id": {"2", "0", "0"},
		"cmdstat_hset":      {"1", "0", "0"},
	} {
		m := re.FindStringSubmatch(stats[name])
		if m == nil || m[1] != want[0] || m[2] != want[1] || m[3] != want[2] {
			t.Errorf("%s:%s, want calls=%s rejected_calls=%s failed_calls=%s", name, stats[name], want[0], want[1], want[2])
		}
	}
	if _, ok := stats["cmdstat_nosuch"]; ok {
		t.Error("an unknown command has commandstats")
	}
	for name, v := range stats {
		if !strings.HasPrefix(name, "cmdstat_") || !re.MatchString(v) {
			t.Errorf("commandstats line %s:%s", name, v)
		}
	}
}
