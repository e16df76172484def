package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

func TestParseServeArgs(t *testing.T) {
	cases := []struct {
		args []string
		file string
		conf []string
		err  bool
	}{
		{args: nil},
		{args: []string{"--port", "6380"}, conf: []string{`port "6380"`}},
		{args: []string{"/etc/redis.conf", "--port", "7777", "--requirepass", "x"}, file: "/etc/redis.conf",
			conf: []string{`port "7777"`, `requirepass "x"`}},
		{args: []string{"--save", "", "--appendonly", "no"}, conf: []string{`save ""`, `appendonly "no"`}},
		{args: []string{"--save", "900", "1", "300", "10"}, conf: []string{`save "900" "1" "300" "10"`}},
		{args: []string{"--bind", "127.0.0.1", "::1"}, conf: []string{`bind "127.0.0.1" "::1"`}},
		{args: []string{"--requirepass", `a "quoted" pass`}, conf: []string{`requirepass "a \"quoted\" pass"`}},
		{args: []string{"--port", "1", "stray"}, conf: []string{`port "1" "stray"`}},
	}
	for _, c := range cases {
		opts, err := parseServeArgs(c.args)
		if (err != nil) != c.err {
			t.Errorf("%q: err = %v", c.args, err)
			continue
		}
		if opts.ConfigFile != c.file || !reflect.DeepEqual(opts.Config, c.conf) {
			t.Errorf("%q: file %q config %q, want %q %q", c.args, opts.ConfigFile, opts.Config, c.file, c.conf)
		}
	}
	// Every directive the parser produces splits back into its arguments.
	for _, c := range cases {
		opts, _ := parseServeArgs(c.args)
		for _, line := range opts.Config {
			if _, ok := server.SplitArgs(line); !ok {
				t.Errorf("%q does not split", line)
			}
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--version"}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "miniredis-search v=") {
		t.Fatalf("--version: %d %q", code, out.String())
	}
	out.Reset()
	if code := run([]string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "Usage: miniredis-search") {
		t.Fatalf("--help: %d %q", code, out.String())
	}
}

func TestConfigErrorsAreFatal(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--port", "abc"}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d", code)
	}
	want := "\n*** FATAL CONFIG FILE ERROR (Redis " + server.Version + ") ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n"
	if errOut.String() != want {
		t.Fatalf("stderr:\n%q\nwant\n%q", errOut.String(), want)
	}
	errOut.Reset()
	if code := run([]string{"--nosuch", "x"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "Bad directive or wrong number of arguments") {
		t.Fatalf("unknown directive: %d %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"/nonexistent/redis.conf"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "can't open config file") {
		t.Fatalf("missing file: %d %q", code, errOut.String())
	}
}

// buildBinary builds the binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "miniredis-search")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitPing(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			c.Write([]byte("PING\r\n"))
			buf := make([]byte, 7)
			n, _ := c.Read(buf)
			c.Close()
			if string(buf[:n]) == "+PONG\r\n" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no PONG from %s", addr)
}

// TestBinaryServesAndShutsDown runs the built binary with a config file and
// command-line options, talks to it, and stops it with SIGTERM and with
// SHUTDOWN: both exit 0 after Redis' farewell.
func TestBinaryServesAndShutsDown(t *testing.T) {
	bin := buildBinary(t)
	for _, stop := range []string{"SIGTERM", "SIGINT", "SHUTDOWN"} {
		t.Run(stop, func(t *testing.T) {
			port := freePort(t)
			conf := filepath.Join(t.TempDir(), "redis.conf")
			os.WriteFile(conf, []byte("# a comment\nport 1\nmaxclients 77\nsave 900 1 300 10\n"), 0o644)
			var logs bytes.Buffer
			cmd := exec.Command(bin, conf, "--port", strconv.Itoa(port))
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			exited := make(chan struct{})
			go func() { waitErr = cmd.Wait(); close(exited) }()
			// A failed assertion must not leave the process running.
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			c := dialBinary(t, fmt.Sprintf("127.0.0.1:%d", port))
			want := "*2\r\n$10\r\nmaxclients\r\n$2\r\n77\r\n*2\r\n$4\r\nsave\r\n$12\r\n900 1 300 10\r\n"
			c.Write([]byte("CONFIG GET maxclients\r\nCONFIG GET save\r\n"))
			buf := make([]byte, len(want))
			if _, err := readFull(c, buf); err != nil || string(buf) != want {
				t.Fatalf("CONFIG GET: %q %v", buf, err)
			}
			// The binary hosts the search module.
			c.Write([]byte("FT.CREATE idx SCHEMA t TEXT\r\nHSET doc:1 t hello\r\nFT.SEARCH idx hello NOCONTENT\r\n"))
			want = "+OK\r\n:1\r\n*2\r\n:1\r\n$5\r\ndoc:1\r\n"
			buf = make([]byte, len(want))
			if _, err := readFull(c, buf); err != nil || string(buf) != want {
				t.Fatalf("search module: %q %v", buf, err)
			}
			switch stop {
			case "SIGTERM":
				cmd.Process.Signal(syscall.SIGTERM)
			case "SIGINT":
				cmd.Process.Signal(syscall.SIGINT)
			case "SHUTDOWN":
				c.Write([]byte("SHUTDOWN\r\n"))
			}
			select {
			case <-exited:
				if waitErr != nil {
					t.Fatalf("exit: %v\n%s", waitErr, logs.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("did not exit after %s\n%s", stop, logs.String())
			}
			if !strings.Contains(logs.String(), "ready to exit, bye bye") {
				t.Fatalf("no farewell in the log:\n%s", logs.String())
			}
		})
	}
}

// TestBinaryDefaultPort runs the README's command as written, without
// arguments: it must serve on 127.0.0.1:6379. Where that port is taken it
// skips, except in CI (CI=true), which must run it.
func TestBinaryDefaultPort(t *testing.T) {
	if c, err := net.DialTimeout("tcp", "127.0.0.1:6379", time.Second); err == nil {
		c.Close()
		if os.Getenv("CI") == "true" {
			t.Fatal("port 6379 is taken: CI must run the README's command on the default port (stop what listens there)")
		}
		t.Skip("port 6379 is taken on this machine")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin)
	var logs testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	waitPing(t, "127.0.0.1:6379")
	if !strings.Contains(logs.String(), "Ready to accept connections tcp") {
		t.Fatalf("log:\n%s", logs.String())
	}
}

var runningModeRe = regexp.MustCompile(`\* Running mode=standalone, port=(\d+)\.\n`)

// TestBinaryPortZero: with --port 0 the binary listens on a free port and
// its startup log names it (Redis' "Running mode=standalone, port=N."
// line), which is how a fixture that started it finds it; CONFIG GET port
// says the same. The verbose line on the Go runtime's size reads as a
// sentence.
func TestBinaryPortZero(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--port", "0", "--loglevel", "verbose")
	// The runtime's sizing is logged only when GOMAXPROCS is not set.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var logs testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	var port string
	for deadline := time.Now().Add(10 * time.Second); port == ""; time.Sleep(20 * time.Millisecond) {
		if m := runningModeRe.FindStringSubmatch(logs.String()); m != nil {
			port = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no port in the startup log:\n%s", logs.String())
		}
		select {
		case <-exited:
			t.Fatalf("exited:\n%s", logs.String())
		default:
		}
	}
	if port == "0" {
		t.Fatalf("the log names port 0:\n%s", logs.String())
	}
	c := dialBinary(t, "127.0.0.1:"+port)
	c.Write([]byte("CONFIG GET port\r\n"))
	want := fmt.Sprintf("*2\r\n$4\r\nport\r\n$%d\r\n%s\r\n", len(port), port)
	buf := make([]byte, len(want))
	if _, err := readFull(c, buf); err != nil || string(buf) != want {
		t.Fatalf("CONFIG GET port: %q %v, want %q", buf, err, want)
	}
	if !regexp.MustCompile(`- Go runtime sized to 1 thread \(was \d+\): the main thread alone \(\d+ CPUs?\)\n`).MatchString(logs.String()) {
		t.Errorf("no sentence on the runtime's size in the log:\n%s", logs.String())
	}
}

// dialBinary waits for the binary to answer PING at addr and connects,
// with a 5 s deadline on the connection; closed when the test ends.
func dialBinary(t *testing.T, addr string) net.Conn {
	t.Helper()
	waitPing(t, addr)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c
}

func readFull(c net.Conn, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
