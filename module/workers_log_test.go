package module

import (
	"strings"
	"sync"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// logBuffer collects the server's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns what was logged since the last call.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// TestWorkersResizeLogs: each resize logs the module's notice lines, and
// the reductions the proposed fix calls dangerous log a warning with the
// worker counts and what happens to the coordinator's connection pools.
func TestWorkersResizeLogs(t *testing.T) {
	logs := &logBuffer{}
	s := server.RunT(t, server.Options{Modules: []server.Module{New()}, LogOutput: logs})
	c := Dial(t, s.Addr())
	logs.take()
	for _, step := range []struct {
		args []string
		want []string // "<level char> message" fragments, in order
		not  string
	}{
		{[]string{"CONFIG", "SET", "search-workers", "8"}, []string{
			"* <search> Changing workers threadpool size from 0 to 8",
			"* <search> Enabled workers threadpool of size 8"}, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "6"}, []string{
			"* <search> Changing workers threadpool size from 8 to 6",
			"* <search> Scheduling config_reduce_threads_job to remove 2 threads ASAP"}, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "1"}, []string{
			"# <search> Large reduction in WORKERS from 6 to 1. Connection pool will be reduced from 7 to 2. " +
				"Consider gradual reduction if under heavy load.",
			"* <search> Changing workers threadpool size from 6 to 1"}, ""},
		{[]string{"FT.CONFIG", "SET", "WORKERS", "0"}, []string{
			"# <search> Reducing WORKERS from 1 to 0. This may cause temporary slowdown as all queries will run " +
				"on the main thread. Connection pool will be reduced from 2 to 1.",
			"* <search> Scheduling config_reduce_threads_job to remove all 1 threads when empty",
			"* <search> Disabled workers threadpool of size 1",
			"* <search> Successfully changed configuration for `WORKERS`"}, ""},
		{[]string{"CONFIG", "SET", "search-conn-per-shard", "4", "search-workers", "7"}, nil, " # "},
		{[]string{"CONFIG", "SET", "search-workers", "0"}, []string{
			"# <search> Reducing WORKERS from 7 to 0. This may cause temporary slowdown as all queries will run " +
				"on the main thread. Connection pool stays at 4 per shard (search-conn-per-shard)."}, ""},
	} {
		MustDo(t, c, append(step.args, OK)...)
		got := logs.take()
		at := 0
		for _, w := range step.want {
			i := strings.Index(got[at:], w)
			if i < 0 {
				t.Fatalf("%v: log lacks %q (in order) in:\n%s", step.args, w, got)
			}
			at += i + len(w)
		}
		if step.not != "" && strings.Contains(got, step.not) {
			t.Fatalf("%v: unexpected warning in:\n%s", step.args, got)
		}
	}
}
