package integration

import (
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
)

// python returns a Python interpreter that has redis-py and pytest. The
// Debian packages install them for /usr/bin/python3, which may not be the
// python3 first on PATH.
func python(t *testing.T) string {
	t.Helper()
	for _, cand := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(cand)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import redis, pytest").Run() == nil {
			return path
		}
	}
	if inCI() {
		t.Fatal("no python3 with redis-py and pytest (make test installs python3-redis and python3-pytest)")
	}
	t.Skip("no python3 with redis-py and pytest (make test installs python3-redis and python3-pytest)")
	return ""
}

func TestRedisPy(t *testing.T) {
	py := python(t)
	s := server.RunT(t)
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "py/test_redispy.py")
	cmd.Env = append(os.Environ(), "MRS_PORT="+strconv.Itoa(s.Port()))
	out, err := cmd.CombinedOutput()
	t.Logf("pytest:\n%s", out)
	if err != nil {
		t.Fatalf("pytest failed: %v", err)
	}
}
