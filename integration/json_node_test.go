package integration

import "testing"

// TestJSONNode drives the JSON module and search ON JSON through node-redis
// 5 (npm `redis`: client.json.* and client.ft.* with ON: 'JSON'), in RESP2
// and RESP3: node/json_flows.js (its header says where the expected values
// come from).
func TestJSONNode(t *testing.T) { runNodeScript(t, "json_flows.js") }
