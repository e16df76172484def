package server_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of the log: Redis' line format, levels, and the log file.

// logLineRe is Redis' log line: pid:role dd Mon yyyy hh:mm:ss.mmm <level> msg.
var logLineRe = regexp.MustCompile(`^(\d+):M (\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3}) ([.\-*#]) (.*)$`)

// logFind returns the level character of the line whose message is msg.
func logFind(t *testing.T, log *srvLog, msg string) (level string, found bool) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, line := range log.lines {
		m := logLineRe.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("log line not in Redis' format: %q", line)
		}
		if m[4] == msg {
			return m[3], true
		}
	}
	return "", false
}

func TestLogFormatAndLevels(t *testing.T) {
	log := &srvLog{}
	s := server.RunT(t, server.Options{Config: []string{"loglevel debug"}, LogOutput: log})
	l := s.Logger()
	ctx := context.Background()
	l.Log(ctx, server.LevelDebug, "a debug line")
	l.Log(ctx, server.LevelVerbose, "a verbose line")
	l.Info("a notice line", "key", "value", "n", 3)
	l.Warn("a warning line")

	log.mu.Lock()
	first := log.lines[0]
	log.mu.Unlock()
	m := logLineRe.FindStringSubmatch(first)
	if m == nil || m[1] != strconv.Itoa(os.Getpid()) {
		t.Fatalf("first log line %q: not Redis' format with our pid", first)
	}
	when, err := time.ParseInLocation("02 Jan 2006 15:04:05.000", m[2], time.Local)
	if err != nil || time.Since(when) > time.Minute || time.Since(when) < -time.Second {
		t.Errorf("log time %q: %v", m[2], err)
	}
	for msg, level := range map[string]string{
		"a debug line": ".", "a verbose line": "-", "a notice line key=value n=3": "*", "a warning line": "#",
		"Server initialized": "*", "Ready to accept connections tcp": "*",
		// RunT's "port 0": the port the system chose, as Redis words it.
		"Running mode=standalone, port=" + strconv.Itoa(s.Port()) + ".": "*",
	} {
		if got, ok := logFind(t, log, msg); !ok || got != level {
			t.Errorf("log line %q: level %q (found %v), want %q", msg, got, ok, level)
		}
	}

	// loglevel filters, at once.
	c := Dial(t, s.Addr())
	for _, tc := range []struct {
		level  string
		logged string // which of debug, verbose, notice, warning get through
	}{
		{"warning", "warning"},
		{"NOTICE", "notice warning"},
		{"verbose", "verbose notice warning"},
		{"debug", "debug verbose notice warning"},
	} {
		MustDo(t, c, "CONFIG", "SET", "loglevel", tc.level, OK)
		for _, lv := range []struct {
			name  string
			level slog.Level
		}{{"debug", server.LevelDebug}, {"verbose", server.LevelVerbose}, {"notice", server.LevelNotice}, {"warning", server.LevelWarning}} {
			msg := "at " + tc.level + ": " + lv.name
			l.Log(ctx, lv.level, msg)
			_, found := logFind(t, log, msg)
			if want := strings.Contains(tc.logged, lv.name); found != want {
				t.Errorf("loglevel %s: a %s line logged %v, want %v", tc.level, lv.name, found, want)
			}
		}
	}

	// The server's own verbose lines follow it too: a protocol error.
	MustDo(t, c, "CONFIG", "SET", "loglevel", "notice", OK)
	bad := Dial(t, s.Addr())
	bad.SendRaw("*abc\r\n")
	bad.Expect(Err("ERR Protocol error: invalid multibulk length"))
	bad.ExpectClosed()
	MustDo(t, c, "CONFIG", "SET", "loglevel", "verbose", OK)
	bad = Dial(t, s.Addr())
	bad.SendRaw("*abc\r\n")
	bad.Expect(Err("ERR Protocol error: invalid multibulk length"))
	bad.ExpectClosed()
	log.mu.Lock()
	protocolLines := 0
	for _, line := range log.lines {
		if strings.Contains(line, " - Protocol error (invalid multibulk length) from client: ") {
			protocolLines++
		}
	}
	log.mu.Unlock()
	if protocolLines != 1 {
		t.Errorf("%d protocol error lines, want 1 (at verbose only)", protocolLines)
	}
}

// TestLogRunningMode: a cluster shard's startup line says so, with its
// port; a port of 0 never shows there.
func TestLogRunningMode(t *testing.T) {
	log := &srvLog{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	s := server.RunT(t, server.Options{LogOutput: log, Config: []string{"port " + port, "cluster-enabled yes",
		server.DirectiveLine("cluster-nodes", "127.0.0.1:"+port)}})
	if level, ok := logFind(t, log, "Running mode=cluster, port="+port+"."); !ok || level != "*" || s.Port() == 0 {
		t.Errorf("no notice line %q (port %d)", "Running mode=cluster, port="+port+".", s.Port())
	}
}

func TestLogFile(t *testing.T) {
	log := &srvLog{}
	s := server.RunT(t, server.Options{LogOutput: log})
	c := Dial(t, s.Addr())
	path := filepath.Join(t.TempDir(), "redis.log")
	MustDo(t, c, "CONFIG", "SET", "logfile", path, OK)
	MustDo(t, c, "CONFIG", "GET", "logfile", Strs("logfile", path))
	s.Logger().Warn("to the file")
	if _, found := logFind(t, log, "to the file"); found {
		t.Error("a line went to the default output while logfile is set")
	}
	data, err := os.ReadFile(path)
	if err != nil || !logLineRe.MatchString(strings.TrimSuffix(string(data), "\n")) || !strings.HasSuffix(string(data), " # to the file\n") {
		t.Fatalf("log file: %q (%v)", data, err)
	}

	// A file that cannot be opened: the change is refused, the current
	// file stays.
	MustDo(t, c, "CONFIG", "SET", "logfile", "/nonexistent/dir/x.log",
		Err("ERR CONFIG SET failed (possibly related to argument 'logfile') - Can't open the log file: No such file or directory"))
	MustDo(t, c, "CONFIG", "GET", "logfile", Strs("logfile", path))
	s.Logger().Warn("still to the file")

	// Back to the default output.
	MustDo(t, c, "CONFIG", "SET", "logfile", "", OK)
	s.Logger().Warn("to the default output")
	if _, found := logFind(t, log, "to the default output"); !found {
		t.Error("the line did not go back to the default output")
	}
	data, _ = os.ReadFile(path)
	if !strings.Contains(string(data), " # still to the file\n") || strings.Contains(string(data), "default output") {
		t.Errorf("log file: %q", data)
	}
}
