package integration

import "testing"

// TestAggregateRedisPy drives FT.AGGREGATE and FT.CURSOR through redis-py's
// AggregateRequest builder (group_by with reducers, sort_by, apply, filter,
// limit, load, cursor): py/test_aggregate_redispy.py runs against a server
// that has the module loaded. redis-py 4.3 speaks RESP2 only.
func TestAggregateRedisPy(t *testing.T) { runModulePytest(t, "py/test_aggregate_redispy.py") }
