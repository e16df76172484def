package integration

import "testing"

// TestScriptingRedisPy drives EVAL, EVALSHA, the script cache and
// register_script through redis-py 4.3 (py/test_scripting_redispy.py).
func TestScriptingRedisPy(t *testing.T) { runModulePytest(t, "py/test_scripting_redispy.py") }
