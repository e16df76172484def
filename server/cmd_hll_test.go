package server_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// Expected replies and events below are redis-server 7.0.15's (events read
// with notify-keyspace-events KEA and PSUBSCRIBE __keyevent@0__:*) or come
// from Redis' tests/unit/hyperloglog.tcl, as each says. The exact bytes of
// the representation are checked in integration/testdata/differential_hll.txt.

func TestHLLEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []eventStep{
		{[]string{"PFADD", "hx", "a", "b"}, Int(1), "pfadd:hx"},
		{[]string{"PFADD", "hx", "a"}, Int(0), ""},
		{[]string{"PFADD", "hx"}, Int(0), ""},
		{[]string{"PFCOUNT", "hx"}, Int(2), ""},
		{[]string{"PFCOUNT", "hx"}, Int(2), ""},
		{[]string{"PFMERGE", "hy", "hx"}, OK, "pfadd:hy"},
		{[]string{"PFMERGE", "hy"}, OK, "pfadd:hy"},
		{[]string{"PFDEBUG", "TODENSE", "hy"}, Int(1), ""},
		{[]string{"PFADD", "hn"}, Int(1), "pfadd:hn"},
		{[]string{"PFCOUNT", "hx", "hy"}, Int(2), ""},
	}
	runEventSteps(t, c, rec, steps)
	if r := c.Do("OBJECT", "ENCODING", "hx"); string(r.Data) != "raw" {
		t.Errorf("OBJECT ENCODING of an HLL: %q, want raw", r.Data)
	}
}

// PFCOUNT that stores the cardinality in the header modifies the key for
// WATCH (an EXEC after it aborts); one that answers from the cache does
// not (redis-server 7.0).
func TestHLLCountTouchesWatch(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"PFADD", "hw", "a", "b", "c", Int(1)},
		{"WATCH", "hw", OK}, {"PFCOUNT", "hw", Int(3)}, {"MULTI", OK}, {"PING", "+QUEUED\r\n"}, {"EXEC", NilArray},
		{"WATCH", "hw", OK}, {"PFCOUNT", "hw", Int(3)}, {"MULTI", OK}, {"PING", "+QUEUED\r\n"}, {"EXEC", Arr("+PONG\r\n")},
	})
}

// From tests/unit/hyperloglog.tcl ("PFADD / PFCOUNT cache works", "PFMERGE
// results on the cardinality of union of sets", "PFADD returns 1 when at
// least 1 reg was modified", "PFADD returns 0 when no reg was modified",
// "PFADD without arguments creates an HLL value").
func TestHLLRedisTests(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"PFADD", "hll", "a", "b", "c", Int(1)},
		{"PFCOUNT", "hll", Int(3)},
		{"GETRANGE", "hll", "15", "15", Bulk("\x00")},
		{"PFADD", "hll", "a", "b", "c", Int(0)},
		{"GETRANGE", "hll", "15", "15", Bulk("\x00")},
		{"PFADD", "hll", "1", "2", "3", Int(1)},
		{"GETRANGE", "hll", "15", "15", Bulk("\x80")},
		{"PFADD", "hll1", "a", "b", "c", Int(1)},
		{"PFADD", "hll2", "b", "c", "d", Int(1)},
		{"PFADD", "hll3", "c", "d", "e", Int(1)},
		{"PFMERGE", "hllm", "hll1", "hll2", "hll3", OK},
		{"PFCOUNT", "hllm", Int(5)},
		{"PFADD", "hll4", Int(1)},
		{"EXISTS", "hll4", Int(1)},
		{"PFCOUNT", "hll4", Int(0)},
	})
}

// From tests/unit/hyperloglog.tcl ("Corrupted sparse HyperLogLogs are
// detected: Additional at tail", "Broken magic", "Invalid encoding",
// "Corrupted dense HyperLogLogs are detected: Wrong length").
func TestHLLCorrupt(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"PFADD", "hll", "a", "b", "c", Int(1)},
		{"APPEND", "hll", "hello", Int(32)},
		{"PFCOUNT", "hll", "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{"DEL", "hll", Int(1)},
		{"PFADD", "hll", "a", "b", "c", Int(1)},
		{"SETRANGE", "hll", "0", "0123", Int(27)},
		{"PFCOUNT", "hll", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{"DEL", "hll", Int(1)},
		{"PFADD", "hll", "a", "b", "c", Int(1)},
		{"SETRANGE", "hll", "4", "x", Int(27)},
		{"PFCOUNT", "hll", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{"DEL", "hll", Int(1)},
		{"PFADD", "hll", "a", "b", "c", Int(1)},
		{"SETRANGE", "hll", "4", "\x00", Int(27)},
		{"PFCOUNT", "hll", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
	})
}

// PFSELFTEST answers OK (Redis' answer when its self test passes).
func TestHLLSelftest(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{{"PFSELFTEST", OK}})
}
