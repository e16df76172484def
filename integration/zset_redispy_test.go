package integration

import "testing"

// TestZsetRedisPy drives the sorted set commands through redis-py 4.3's
// helpers, a BZPOPMIN answered by a second client, pipelines and
// transactions (py/test_zsets_redispy.py).
func TestZsetRedisPy(t *testing.T) { runModulePytest(t, "py/test_zsets_redispy.py") }
