package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestSearchNode drives suggestions, spell check and dictionaries,
// synonyms, PHONETIC fields and INDEXEMPTY/INDEXMISSING through node-redis
// 5's helpers (npm `redis`), in RESP2 and RESP3: node/search_flows.js.
func TestSearchNode(t *testing.T) { runNodeScript(t, "search_flows.js") }

// runNodeScript runs integration/node/<script> with node against a server
// with the search and JSON modules (as Redis 8 ships them), its port in MRS_PORT, and fails the test when the
// script exits non-zero. make test installs node, npm and
// integration/node/node_modules (npm ci from the committed
// package-lock.json); without them the test skips, and fails in CI.
func runNodeScript(t *testing.T, script string) {
	t.Helper()
	node := requireTool(t, "node")
	if _, err := os.Stat(filepath.Join("node", "node_modules", "redis", "package.json")); err != nil {
		msg := "integration/node/node_modules has no redis package (make test runs npm ci there): " + err.Error()
		if inCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New(), rejson.New()}})
	cmd := exec.Command(node, script)
	cmd.Dir = "node"
	cmd.Env = append(os.Environ(), "MRS_PORT="+strconv.Itoa(s.Port()))
	out, err := cmd.CombinedOutput()
	t.Logf("node %s:\n%s", script, out)
	if err != nil {
		t.Fatalf("node %s failed: %v", script, err)
	}
}
