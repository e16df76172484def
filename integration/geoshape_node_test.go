package integration

import "testing"

// TestGeoShapeNode drives GEOSHAPE fields through node-redis 5 (npm
// `redis`), in RESP2 and RESP3: node/geoshape_flows.js (its header gives
// the shapes and where the expected ids come from).
func TestGeoShapeNode(t *testing.T) { runNodeScript(t, "geoshape_flows.js") }
