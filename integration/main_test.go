// Package integration tests miniredis-search end to end: in-process and as
// the built binary, through raw RESP, go-redis, redis-py and redis-cli, and
// side by side with a stock redis-server.
package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

// TestMain runs the tests, removes the binary they built, and fails the
// run if a goroutine outlived them.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
