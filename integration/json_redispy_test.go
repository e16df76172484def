package integration

import "testing"

// TestJSONRedisPy drives the JSON module through redis-py 4.3's r.json()
// helpers with Path, and a pipeline (py/test_json_redispy.py).
func TestJSONRedisPy(t *testing.T) { runModulePytest(t, "py/test_json_redispy.py") }
