package integration

import "testing"

// TestStreamRedisPy drives the stream commands through redis-py 4.3's
// helpers, an XREAD BLOCK answered by another client, pipelines and
// transactions (py/test_streams_redispy.py).
func TestStreamRedisPy(t *testing.T) { runModulePytest(t, "py/test_streams_redispy.py") }
