package integration

import "testing"

// TestGeoRedisPy drives the geo commands through redis-py 4.3's helpers,
// pipelines and transactions (py/test_geo_redispy.py).
func TestGeoRedisPy(t *testing.T) { runModulePytest(t, "py/test_geo_redispy.py") }
