package server

import (
	"fmt"
	"strings"
)

// TB is the part of testing.TB that RunT needs (so that this package does
// not import testing).
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// RunT starts a server on 127.0.0.1 with an ephemeral port for a test and
// closes it when the test ends. opts may add configuration directives and
// modules; its log goes to t.Logf.
func RunT(t TB, opts ...Options) *Server {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Config = append([]string{"bind 127.0.0.1", "port 0"}, o.Config...)
	if o.LogOutput == nil {
		o.LogOutput = testLogWriter{t}
	}
	s, err := Start(o)
	if err != nil {
		t.Fatalf("server.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

type testLogWriter struct{ t TB }

func (w testLogWriter) Write(b []byte) (int, error) {
	w.t.Logf("%s", strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// String describes the server for logs.
func (s *Server) String() string { return fmt.Sprintf("miniredis-search@%s", s.addr) }
