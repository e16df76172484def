package integration

import "testing"

// TestSetRedisPy drives the set commands through redis-py 4.3's helpers,
// pipelines and transactions (py/test_sets_redispy.py).
func TestSetRedisPy(t *testing.T) { runModulePytest(t, "py/test_sets_redispy.py") }
