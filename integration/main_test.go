// Package integration tests miniredis-search end to end: in-process and as
// the built binary, through raw RESP, go-redis, redis-py and redis-cli, and
// side by side with a stock redis-server.
package integration

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
