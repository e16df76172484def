package integration

import (
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestAggregateRedisPy drives FT.AGGREGATE and FT.CURSOR through redis-py's
// AggregateRequest builder (group_by with reducers, sort_by, apply, filter,
// limit, load, cursor): py/test_aggregate_redispy.py runs against a server
// that has the module loaded. redis-py 4.3 speaks RESP2 only.
func TestAggregateRedisPy(t *testing.T) {
	py := python(t)
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "py/test_aggregate_redispy.py")
	cmd.Env = append(os.Environ(), "MRS_PORT="+strconv.Itoa(s.Port()))
	out, err := cmd.CombinedOutput()
	t.Logf("pytest:\n%s", out)
	if err != nil {
		t.Fatalf("pytest failed: %v", err)
	}
}
