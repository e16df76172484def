package integration

import "testing"

// TestListRedisPy drives the list commands through redis-py 4.3's helpers, a
// BLPOP answered by a second client, pipelines and transactions
// (py/test_lists_redispy.py).
func TestListRedisPy(t *testing.T) { runModulePytest(t, "py/test_lists_redispy.py") }
