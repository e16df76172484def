package integration

import (
	"io"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestServerSaysWhatItEmulates: the server reports the Redis it emulates,
// Redis 8.2.0 with its search module 8.2.0, the same way everywhere a
// client reads it: INFO server's redis_version, HELLO's version, MODULE
// LIST's search module (ver 80200; no other module is listed, since no
// other is built), and INFO search's version section (RediSearch's
// RS_moduleInfoFunc: search_version major.minor.patch, search_redis_version
// GetFormattedRedisVersion's "8.2.0 - oss").
func TestServerSaysWhatItEmulates(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	c := Dial(t, s.Addr())
	info := c.Do("INFO", "server").String()
	if !strings.Contains(info, "\r\nredis_version:8.2.0\r\n") {
		t.Errorf("INFO server: no redis_version:8.2.0 in\n%s", info)
	}
	search := c.Do("INFO", "search_version").String()
	for _, want := range []string{"search_version:8.2.0\r\n", "search_redis_version:8.2.0 - oss\r\n"} {
		if !strings.Contains(search, want) {
			t.Errorf("INFO search_version: no %q in\n%s", want, search)
		}
	}
	MustDo(t, c, "MODULE", "LIST", Arr(Arr(Bulk("name"), Bulk("search"), Bulk("ver"), Int(80200), Bulk("path"),
		Bulk("builtin"), Bulk("args"), Arr())))
	hello := c.Do("HELLO", "2").String()
	if !strings.Contains(hello, "version") || !strings.Contains(hello, "8.2.0") {
		t.Errorf("HELLO: %s", hello)
	}
}

// TestClusterWorkersReductionWarnings: on a cluster shard, where the
// coordinator's connection pools follow the worker count, the WORKERS
// reduction warnings say what becomes of them (module/workers_log_test.go
// checks that a standalone server's warnings name no pool).
func TestClusterWorkersReductionWarnings(t *testing.T) {
	logs := []*SyncBuffer{{}, {}, {}}
	srvs := startClusterLogs(t, 3, []io.Writer{logs[0], logs[1], logs[2]})
	c := Dial(t, srvs[0].Addr())
	MustDo(t, c, "CONFIG", "SET", "search-workers", "6", OK)
	logs[0].Take()
	MustDo(t, c, "CONFIG", "SET", "search-workers", "1", OK)
	if got, want := logs[0].Take(), "# <search> Large reduction in WORKERS from 6 to 1. Connection pool will be reduced "+
		"from 7 to 2. Consider gradual reduction if under heavy load.\n"; !strings.Contains(got, want) {
		t.Errorf("log lacks %q in:\n%s", want, got)
	}
	MustDo(t, c, "CONFIG", "SET", "search-conn-per-shard", "4", OK)
	MustDo(t, c, "CONFIG", "SET", "search-workers", "0", OK)
	if got, want := logs[0].Take(), "# <search> Reducing WORKERS from 1 to 0. This may cause temporary slowdown as all "+
		"queries will run on the main thread. Connection pool stays at 4 per shard (search-conn-per-shard).\n"; !strings.Contains(got, want) {
		t.Errorf("log lacks %q in:\n%s", want, got)
	}
}
