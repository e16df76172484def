package integration

import (
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestSearchRedisPy drives the search module through redis-py's search
// client (`r.ft()`): py/test_search_redispy.py runs against a server that
// has the module loaded.
func TestSearchRedisPy(t *testing.T) { runModulePytest(t, "py/test_search_redispy.py") }

// runModulePytest runs a pytest file against a server with the search
// module loaded (its port in MRS_PORT).
func runModulePytest(t *testing.T, file string) {
	t.Helper()
	py := python(t)
	// Both modules, as the binary loads them.
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New(), rejson.New()}})
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", file)
	cmd.Env = append(os.Environ(), "MRS_PORT="+strconv.Itoa(s.Port()))
	out, err := cmd.CombinedOutput()
	t.Logf("pytest:\n%s", out)
	if err != nil {
		t.Fatalf("pytest failed: %v", err)
	}
}
