package server_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// Replies and events below follow redis-server 7.0's restoreCommand
// (cluster.c): "restore" once the key is created, nothing when the TTL has
// already passed, "del" when REPLACE then dropped an existing key. The
// replies themselves are compared with redis-server in
// integration/testdata/differential_dump.txt.

// helloPayload is redis-server 7.0.15's DUMP of the string "hello".
const helloPayload = "\x00\x05hello\x0a\x00cr\xdfve4 \x0a"

func TestDumpRestoreEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []eventStep{
		{[]string{"RESTORE", "k", "0", helloPayload}, OK, "restore:k"},
		{[]string{"RESTORE", "k", "0", helloPayload}, Err("BUSYKEY Target key name already exists."), ""},
		{[]string{"RESTORE", "k", "0", helloPayload, "REPLACE"}, OK, "restore:k"},
		{[]string{"RESTORE", "k", "1", helloPayload, "ABSTTL", "REPLACE"}, OK, "del:k"},
		{[]string{"RESTORE", "k", "1", helloPayload, "ABSTTL"}, OK, ""},
		{[]string{"DUMP", "k"}, Nil, ""},
		{[]string{"RESTORE", "k", "0", "x" + helloPayload}, Err("ERR DUMP payload version or checksum are wrong"), ""},
		{[]string{"RESTORE", "k", "0", helloPayload[:1] + "\x06" + helloPayload[2:]}, Err("ERR DUMP payload version or checksum are wrong"), ""},
		{[]string{"RESTORE", "k", "0", helloPayload}, OK, "restore:k"},
		{[]string{"DUMP", "k"}, Bulk(helloPayload), ""},
	}
	runEventSteps(t, c, rec, steps)
}

// TestRestoreWatch: RESTORE invalidates a WATCH on its key.
func TestRestoreWatch(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"WATCH", "k", OK},
		{"RESTORE", "k", "0", helloPayload, OK},
		{"MULTI", OK},
		{"GET", "k", Status("QUEUED")},
		{"EXEC", NilArray},
		{"WATCH", "k", OK},
		{"RESTORE", "k", "0", helloPayload, Err("BUSYKEY Target key name already exists.")},
		{"MULTI", OK},
		{"GET", "k", Status("QUEUED")},
		{"EXEC", Arr(Bulk("hello"))},
	})
}
