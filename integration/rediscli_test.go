package integration

import (
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
)

// runCLI runs redis-cli against addr with args (and stdin), returning its
// output.
func runCLI(t *testing.T, cli, addr, stdin string, args ...string) string {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(cli, append([]string{"-h", host, "-p", port}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// The parts of HELLO that legitimately differ: our version and client ids.
var helloVolatile = regexp.MustCompile(`(?m)^((?:\d+# )?"?(?:version|id)"?\s*=?>?\s*).*$`)

// TestRedisCLI runs the same redis-cli invocations against a stock
// redis-server and against ours and compares what redis-cli prints (which
// covers how it parses and renders our replies, RESP2 and RESP3).
func TestRedisCLI(t *testing.T) {
	cli := requireTool(t, "redis-cli")
	redisAddr := startRedis(t)
	ours := server.RunT(t)
	cases := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"PING"}},
		{"", []string{"CONFIG", "GET", "maxclients"}},
		{"", []string{"FLUSHALL"}},
		{"", []string{"SET", "k", "hello world"}},
		{"", []string{"GET", "k"}},
		{"", []string{"--raw", "GET", "k"}},
		{"", []string{"GET", "missing"}},
		{"", []string{"-3", "GET", "missing"}},
		{"", []string{"HSET", "h", "a", "1", "b", "2"}},
		{"", []string{"HGETALL", "h"}},
		{"", []string{"-3", "HGETALL", "h"}},
		{"", []string{"--raw", "HGETALL", "h"}},
		{"", []string{"GET", "h"}},
		{"", []string{"INCRBYFLOAT", "f", "0.1"}},
		{"", []string{"EXPIRE", "k", "100"}},
		{"", []string{"TTL", "k"}},
		{"", []string{"MGET", "k", "missing", "f"}},
		{"", []string{"-3", "MGET", "k", "missing", "f"}},
		{"", []string{"NOSUCH", "arg"}},
		{"", []string{"-3", "COMMAND", "INFO", "get"}},
		{"", []string{"COMMAND", "DOCS", "get"}},
		{"", []string{"-3", "CONFIG", "GET", "maxclients"}},
		// Commands read from stdin, one per line.
		{"SET a 1\nINCR a\nGET a\nHSET h2 x y\nHGETALL h2\n", nil},
		// A transaction over stdin.
		{"MULTI\nSET t 1\nINCR t\nEXEC\n", nil},
	}
	for _, c := range cases {
		want := runCLI(t, cli, redisAddr, c.stdin, c.args...)
		got := runCLI(t, cli, ours.Addr(), c.stdin, c.args...)
		if got != want {
			t.Errorf("redis-cli %q (stdin %q):\nredis-server:\n%s\nours:\n%s", c.args, c.stdin, want, got)
		}
	}
	// HELLO 3 answers as redis-server does, but for our version and id.
	want := helloVolatile.ReplaceAllString(runCLI(t, cli, redisAddr, "", "-3", "HELLO", "3"), "$1<volatile>")
	got := helloVolatile.ReplaceAllString(runCLI(t, cli, ours.Addr(), "", "-3", "HELLO", "3"), "$1<volatile>")
	if got != want {
		t.Errorf("redis-cli -3 HELLO 3:\nredis-server:\n%s\nours:\n%s", want, got)
	}
}
