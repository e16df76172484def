package server_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// Expected replies and events below are redis-server 7.0.15's (events read
// with notify-keyspace-events KEA and PSUBSCRIBE __keyevent@0__:*). The
// exact replies of every argument form are in
// integration/testdata/differential_bits.txt.

func TestBitmapEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []eventStep{
		{[]string{"SETBIT", "a", "1", "1"}, Int(0), "setbit:a"},
		{[]string{"SETBIT", "a", "1", "1"}, Int(1), ""},
		{[]string{"SETBIT", "a", "1", "0"}, Int(1), "setbit:a"},
		{[]string{"SETBIT", "a", "20", "0"}, Int(0), "setbit:a"},
		{[]string{"GETBIT", "a", "20"}, Int(0), ""},
		{[]string{"SET", "b", "x"}, OK, "set:b"},
		{[]string{"BITOP", "OR", "c", "b"}, Int(1), "set:c"},
		{[]string{"BITOP", "OR", "c", "a", "b"}, Int(3), "set:c"},
		{[]string{"BITOP", "AND", "c", "nokey"}, Int(0), "del:c"},
		{[]string{"BITOP", "AND", "c", "nokey"}, Int(0), ""},
		{[]string{"BITOP", "NOT", "d", "b"}, Int(1), "set:d"},
		{[]string{"BITCOUNT", "d"}, Int(4), ""},
		{[]string{"BITPOS", "d", "1"}, Int(0), ""},
		{[]string{"BITFIELD", "f", "SET", "u8", "0", "1"}, "*1\r\n:0\r\n", "setbit:f"},
		{[]string{"BITFIELD", "f", "SET", "u8", "0", "1"}, "*1\r\n:1\r\n", ""},
		{[]string{"BITFIELD", "f", "INCRBY", "u8", "0", "0"}, "*1\r\n:1\r\n", ""},
		{[]string{"BITFIELD", "f", "SET", "u8", "8", "0"}, "*1\r\n:0\r\n", "setbit:f"},
		{[]string{"BITFIELD", "g", "OVERFLOW", "FAIL", "SET", "u2", "0", "10"}, "*1\r\n$-1\r\n", ""},
		{[]string{"BITFIELD", "g", "GET", "u8", "0"}, "*1\r\n:0\r\n", ""},
		{[]string{"BITFIELD", "f", "INCRBY", "u8", "0", "1", "INCRBY", "u8", "0", "1"}, "*2\r\n:2\r\n:3\r\n", "setbit:f"},
	}
	runEventSteps(t, c, rec, steps)
}

// A bit write makes the string raw even when no bit changes, as Redis'
// dbUnshareStringValue does; reading leaves the encoding alone.
func TestBitmapEncoding(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "i", "12", OK}, {"GETBIT", "i", "2", Int(1)}, {"BITCOUNT", "i", Int(6)},
	})
	if r := c.Do("OBJECT", "ENCODING", "i"); string(r.Data) != "int" {
		t.Fatalf("after reads: %q", r.Raw)
	}
	if r := c.Do("SETBIT", "i", "2", "1"); string(r.Raw) != Int(1) {
		t.Fatalf("SETBIT: %q", r.Raw)
	}
	if r := c.Do("OBJECT", "ENCODING", "i"); string(r.Data) != "raw" {
		t.Fatalf("after SETBIT: %q", r.Raw)
	}
	if r := c.Do("GET", "i"); string(r.Data) != "12" {
		t.Fatalf("GET: %q", r.Raw)
	}
}

// An offset whose byte would pass proto-max-bulk-len is refused before the
// key is looked at.
func TestBitmapOffsetLimit(t *testing.T) {
	c, _ := eventServer(t, "proto-max-bulk-len 1mb")
	const err = "-ERR bit offset is not an integer or out of range\r\n"
	if r := c.Do("SETBIT", "k", "8388608", "1"); string(r.Raw) != err {
		t.Fatalf("SETBIT past the limit: %q", r.Raw)
	}
	if r := c.Do("GETBIT", "k", "8388607"); string(r.Raw) != Int(0) {
		t.Fatalf("GETBIT within the limit: %q", r.Raw)
	}
}
