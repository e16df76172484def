package main

import (
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestLoadGenCountsErrors: the query load counts only answered queries as
// served; error replies (here: the index does not exist) and failed calls
// (nothing listens) are counted apart, printed, and make the run fail.
func TestLoadGenCountsErrors(t *testing.T) {
	srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	queries := benchsearch.BuildQueries(benchsearch.GenerateCorpus(benchsearch.CorpusConfig{Docs: 100, Seed: 1}))
	for _, tc := range []struct {
		name   string
		target string
		check  func(loadCount) bool
	}{
		{"error replies", srv.Addr(), func(c loadCount) bool { return c.errorReplies > 0 && c.failures == 0 }},
		{"failed calls", "127.0.0.1:1", func(c loadCount) bool { return c.failures > 0 && c.errorReplies == 0 }},
	} {
		// Run the load until some call completed (on a busy machine, the
		// first window may see none).
		var c loadCount
		for wait := 50 * time.Millisecond; c.answered+c.errorReplies+c.failures == 0 && wait < 20*time.Second; wait *= 2 {
			load := &loadGen{targets: []string{tc.target}, queries: queries, clients: 2}
			load.start()
			time.Sleep(wait)
			c = load.stop()
		}
		if c.answered != 0 || !tc.check(c) || c.err() == nil || !strings.Contains(c.String(), "ERRORS") {
			t.Errorf("%s: %+v; %q; err %v", tc.name, c, c.String(), c.err())
		}
	}
}
