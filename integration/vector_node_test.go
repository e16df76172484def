package integration

import (
	"testing"
)

// TestVectorNode drives vector search through node-redis 5 (npm `redis`),
// in RESP2 and RESP3: node/vector_flows.js, run by node against a server
// with the search module (its port in MRS_PORT). make test installs node,
// npm and integration/node/node_modules (npm ci from the committed
// package-lock.json) (see runNodeScript); without them the test skips, and
// fails in CI.
func TestVectorNode(t *testing.T) { runNodeScript(t, "vector_flows.js") }
