package integration

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// inCI reports whether the tests run in CI, where a missing tool or client
// is a failure, never a skip.
func inCI() bool { return testutil.InCI() }

// requireTool returns the path of an external program the test needs.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if inCI() {
			t.Fatalf("%s is required (make test installs it): %v", name, err)
		}
		t.Skipf("%s not installed (make test installs it)", name)
	}
	return path
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// redisServerCmd is a stock redis-server with args. It is the redis-server
// on PATH, or else redis-check-rdb, which Debian's redis-tools ships: that
// is the whole Redis executable, and it runs as the server when its argv[0]
// is not a checker's name (Redis' main looks at argv[0]). make test installs
// only redis-tools: the redis-server package would also install, enable and
// start a system service on port 6379, and the tests need no service.
func redisServerCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	if path, err := exec.LookPath("redis-server"); err == nil {
		return exec.Command(path, args...)
	}
	path, err := exec.LookPath("redis-check-rdb")
	if err != nil {
		requireTool(t, "redis-server") // skips, or fails in CI
	}
	cmd := exec.Command(path, args...)
	cmd.Args[0] = "redis-server"
	return cmd
}

// startRedis starts a stock redis-server on a free port for a differential
// comparison and stops it when the test ends. It is ready when its own log
// says so: a server of somebody else's that took the port meanwhile is
// never talked to (ours then fails to bind and exits, which fails the test).
func startRedis(t *testing.T, extra ...string) string {
	t.Helper()
	port := freePort(t)
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "",
		"--loglevel", "notice"}, extra...)
	cmd := redisServerCmd(t, args...)
	var out testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Redis 7.0 logs "Ready to accept connections", 7.2 and later add "tcp".
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			t.Fatalf("redis-server exited:\n%s", out.String())
		default:
		}
		if strings.Contains(out.String(), "Ready to accept connections") {
			return fmt.Sprintf("127.0.0.1:%d", port)
		}
	}
	t.Fatalf("redis-server did not start:\n%s", out.String())
	return ""
}
