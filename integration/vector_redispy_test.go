package integration

import "testing"

// TestVectorRedisPy drives vector search through redis-py 4.3's search
// client as applications, redisvl and LangChain's Redis store issue it
// (VectorField, Query with PARAMS and DIALECT 2, KNN, hybrid filters,
// VECTOR_RANGE): py/test_vector_redispy.py. redis-py 4.3 speaks RESP2
// only; the RESP3 vector flows are in TestVectorGoRedis and TestVectorNode.
func TestVectorRedisPy(t *testing.T) { runModulePytest(t, "py/test_vector_redispy.py") }
