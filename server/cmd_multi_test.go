package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of MULTI/EXEC/DISCARD/WATCH/UNWATCH, replies checked against
// redis-server 7.0.

func TestMultiExec(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	id := clientID(t, c)
	MustDoAll(t, c, [][]string{
		{"EXEC", Err("ERR EXEC without MULTI")},
		{"DISCARD", Err("ERR DISCARD without MULTI")},
		{"MULTI", OK},
		// A nested MULTI is refused without spoiling the transaction.
		{"MULTI", Err("ERR MULTI calls can not be nested")},
		{"SET", "a", "1", Status("QUEUED")},
		{"INCR", "a", Status("QUEUED")},
		{"HSET", "a", "f", "v", Status("QUEUED")},
		{"GET", "a", Status("QUEUED")},
		// An error at run time does not stop the rest.
		{"EXEC", Arr(OK, Int(2), Err("WRONGTYPE Operation against a key holding the wrong kind of value"), Bulk("2"))},
		{"EXEC", Err("ERR EXEC without MULTI")},

		// A command refused while queuing aborts the transaction.
		{"MULTI", OK},
		{"SET", "a", "1", Status("QUEUED")},
		{"NOSUCH", Err("ERR unknown command 'NOSUCH', with args beginning with: ")},
		{"SET", "b", Err("ERR wrong number of arguments for 'set' command")},
		{"EXEC", Err("EXECABORT Transaction discarded because of previous errors.")},
		{"GET", "a", Bulk("2")},
		{"MULTI", OK},
		{"SHUTDOWN", Err("ERR Command not allowed inside a transaction")},
		{"PING", Status("QUEUED")},
		{"EXEC", Err("EXECABORT Transaction discarded because of previous errors.")},

		// WATCH inside MULTI is an error that does not abort.
		{"MULTI", OK},
		{"WATCH", "x", Err("ERR WATCH inside MULTI is not allowed")},
		{"UNWATCH", Status("QUEUED")},
		{"PING", Status("QUEUED")},
		{"EXEC", Arr(OK, Status("PONG"))},
		{"MULTI", OK},
		{"EXEC", Arr()},
		{"MULTI", OK},
		{"SET", "a", "3", Status("QUEUED")},
		{"DISCARD", OK},
		{"EXEC", Err("ERR EXEC without MULTI")},
		{"GET", "a", Bulk("2")},
		{"WATCH", Err("ERR wrong number of arguments for 'watch' command")},
		{"MULTI", "x", Err("ERR wrong number of arguments for 'multi' command")},

		// Connection commands run inside EXEC like any other; MONITOR
		// cannot. HELLO switches the protocol in the middle of the reply.
		{"MULTI", OK},
		{"MONITOR", Status("QUEUED")},
		{"HELLO", "3", Status("QUEUED")},
		{"AUTH", "x", Status("QUEUED")},
		{"SELECT", "2", Status("QUEUED")},
		{"CLIENT", "SETNAME", "foo", Status("QUEUED")},
		{"SET", "x", "y", Status("QUEUED")},
		{"EXEC", Arr(
			Err("ERR MONITOR isn't allowed for DENY BLOCKING client"),
			clientHelloReply(3, id),
			Err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"),
			OK, OK, OK)},
		{"GET", "x", Bulk("y")},
		{"CLIENT", "GETNAME", Bulk("foo")},
		{"SELECT", "0", OK},
		{"GET", "x", Null},
		// RESP3: a failed EXEC is a null.
		{"WATCH", "a", OK},
		{"SET", "a", "4", OK},
		{"MULTI", OK},
		{"PING", Status("QUEUED")},
		{"EXEC", Null},
	})
}

func TestMultiWatch(t *testing.T) {
	s := server.RunT(t)
	c, other := Dial(t, s.Addr()), Dial(t, s.Addr())
	exec := func(want string) {
		t.Helper()
		MustDo(t, c, "MULTI", OK)
		MustDo(t, c, "PING", Status("QUEUED"))
		MustDo(t, c, "EXEC", want)
	}
	pong, failed := Arr(Status("PONG")), NilArray

	MustDo(t, c, "WATCH", "x", "y", "z", OK)
	MustDo(t, c, "WATCH", "k", OK)
	exec(pong)

	// Modified by the watcher itself, or by another client.
	MustDo(t, c, "SET", "x", "30", OK)
	MustDo(t, c, "WATCH", "x", OK)
	MustDo(t, c, "SET", "x", "40", OK)
	exec(failed)
	MustDo(t, c, "WATCH", "a", "b", "x", "k", OK)
	MustDo(t, other, "SET", "x", "50", OK)
	exec(failed)

	// Another key, or the same name in another database, is no change.
	MustDo(t, c, "WATCH", "x", OK)
	MustDo(t, other, "SET", "y", "1", OK)
	MustDo(t, other, "SELECT", "1", OK)
	MustDo(t, other, "SET", "x", "1", OK)
	MustDo(t, other, "SELECT", "0", OK)
	exec(pong)

	// EXEC forgets the watched keys.
	MustDo(t, c, "WATCH", "x", OK)
	exec(pong)
	MustDo(t, other, "SET", "x", "60", OK)
	exec(pong)

	// UNWATCH forgets them too, even once touched; so does DISCARD.
	MustDo(t, c, "WATCH", "x", OK)
	MustDo(t, other, "SET", "x", "70", OK)
	MustDo(t, c, "UNWATCH", OK)
	exec(pong)
	MustDo(t, c, "WATCH", "x", OK)
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "DISCARD", OK)
	MustDo(t, other, "SET", "x", "80", OK)
	exec(pong)

	// Watching more keys once touched changes nothing.
	MustDo(t, c, "WATCH", "x", OK)
	MustDo(t, other, "SET", "x", "90", OK)
	MustDo(t, c, "WATCH", "y", OK)
	exec(failed)

	// Deleting a key that does not exist is no change.
	MustDo(t, c, "WATCH", "nokey", OK)
	MustDo(t, other, "DEL", "nokey", Int(0))
	exec(pong)
}

// TestMultiWatchFlushSwap: FLUSHDB, FLUSHALL and SWAPDB touch a watched
// key only if it exists before or after (Redis 7.0).
func TestMultiWatchFlushSwap(t *testing.T) {
	s := server.RunT(t)
	c, other := Dial(t, s.Addr()), Dial(t, s.Addr())
	exec := func(want string) {
		t.Helper()
		MustDo(t, c, "MULTI", OK)
		MustDo(t, c, "PING", Status("QUEUED"))
		MustDo(t, c, "EXEC", want)
	}
	pong, failed := Arr(Status("PONG")), NilArray
	for _, flush := range [][]string{{"FLUSHDB"}, {"FLUSHALL"}, {"FLUSHDB", "ASYNC"}, {"FLUSHALL", "SYNC"}} {
		MustDo(t, c, "WATCH", "nokey", OK)
		MustDo(t, other, append(flush, OK)...)
		exec(pong)
		MustDo(t, c, "SET", "k", "v", OK)
		MustDo(t, c, "WATCH", "k", OK)
		MustDo(t, other, append(flush, OK)...)
		exec(failed)
	}
	// FLUSHDB of another database.
	MustDo(t, c, "SET", "k", "v", OK)
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, other, "SELECT", "1", OK)
	MustDo(t, other, "FLUSHDB", OK)
	exec(pong)

	// SWAPDB: the key in either database.
	MustDo(t, c, "WATCH", "k", OK) // exists in 0
	MustDo(t, other, "SWAPDB", "0", "1", OK)
	exec(failed)
	MustDo(t, c, "WATCH", "k", OK) // now in 1: comes back into 0
	MustDo(t, other, "SWAPDB", "0", "1", OK)
	exec(failed)
	MustDo(t, c, "WATCH", "nothere", OK)
	MustDo(t, other, "SWAPDB", "0", "1", OK)
	exec(pong)
	MustDo(t, c, "WATCH", "k", OK) // in 0; databases 2 and 3 do not involve it
	MustDo(t, other, "SWAPDB", "2", "3", OK)
	exec(pong)
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, other, "SWAPDB", "0", "0", OK)
	exec(pong)
}

// TestMultiWatchExpiry: Redis 7.0's rules for watched keys that expire. A
// key that existed when watched and has expired since fails EXEC (deleted
// or not yet); a key already expired when watched changes nothing by being
// deleted (lazily, actively or by a flush), only by being written.
func TestMultiWatchExpiry(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	c, other := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0", OK)
	exec := func(want string) {
		t.Helper()
		MustDo(t, c, "MULTI", OK)
		MustDo(t, c, "PING", Status("QUEUED"))
		MustDo(t, c, "EXEC", want)
	}
	pong, failed := Arr(Status("PONG")), NilArray
	// expired writes a key with a TTL and waits until it has expired (it
	// stays in the keyspace: active expiry is off).
	expired := func(key string, ttl time.Duration) {
		t.Helper()
		MustDo(t, c, "SET", key, "v", "PX", strconv.Itoa(int(ttl/time.Millisecond)), OK)
		time.Sleep(ttl + time.Millisecond)
	}
	const long, short = 150 * time.Millisecond, 5 * time.Millisecond

	// Existing when watched, expired before EXEC, still in the keyspace.
	MustDo(t, c, "SET", "k", "v", "PX", strconv.Itoa(int(long/time.Millisecond)), OK)
	MustDo(t, c, "WATCH", "k", OK)
	time.Sleep(long + short)
	exec(failed)
	// Existing when watched, expired and deleted by another client's read.
	MustDo(t, c, "SET", "k", "v", "PX", strconv.Itoa(int(long/time.Millisecond)), OK)
	MustDo(t, c, "WATCH", "k", OK)
	time.Sleep(long + short)
	MustDo(t, other, "GET", "k", Nil)
	exec(failed)

	// Already expired when watched.
	for _, tc := range []struct {
		name   string
		change []string
		want   string
	}{
		{"nothing", nil, pong},
		{"lazy deletion", []string{"GET", "k", Nil}, pong},
		{"flush", []string{"FLUSHDB", OK}, pong},
		{"swap with a database without it", []string{"SWAPDB", "0", "5", OK}, pong},
		{"write", []string{"SET", "k", "new", OK}, failed},
		{"existence check", []string{"EXISTS", "k", Int(0)}, pong},
	} {
		expired("k", short)
		MustDo(t, c, "WATCH", "k", OK)
		if tc.change != nil {
			MustDo(t, other, tc.change...)
		}
		t.Log(tc.name)
		exec(tc.want)
		c.Do("DEL", "k")
	}
	// Deleted while watched (no change), then written: a change.
	expired("k", short)
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, other, "GET", "k", Nil)
	MustDo(t, other, "SET", "k", "again", OK)
	exec(failed)

	// Deleted by active expiry: no change.
	MustDo(t, c, "FLUSHALL", OK)
	expired("k", short)
	MustDo(t, c, "WATCH", "k", OK)
	MustDo(t, other, "DEBUG", "SET-ACTIVE-EXPIRE", "1", OK)
	deadline := time.Now().Add(ReplyTimeout)
	for other.Do("DBSIZE").Int() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("active expiry did not delete the key")
		}
		time.Sleep(5 * time.Millisecond)
	}
	exec(pong)
}

// TestMultiStats: how transactions count in commandstats and errorstats:
// a command refused while queuing is a rejected call of its own, EXECABORT
// a failed EXEC, an error inside EXEC a failed call of that command only.
func TestMultiStats(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"SET", "h", "x", OK},
		{"MULTI", OK},
		{"HSET", "h", "f", "v", Status("QUEUED")},
		{"SET", "b", Err("ERR wrong number of arguments for 'set' command")},
		{"EXEC", Err("EXECABORT Transaction discarded because of previous errors.")},
		{"MULTI", OK},
		{"HSET", "h", "f", "v", Status("QUEUED")},
		{"PING", Status("QUEUED")},
		{"EXEC", Arr(Err("WRONGTYPE Operation against a key holding the wrong kind of value"), Status("PONG"))},
		{"WATCH", "h", OK},
		{"SET", "h", "y", OK},
		{"MULTI", OK},
		{"EXEC", NilArray},
	})
	re := regexp.MustCompile(`^calls=(\d+),usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=(\d+),failed_calls=(\d+)$`)
	stats := infoFields(t, c, "commandstats")
	for name, want := range map[string]string{
		"cmdstat_set": "2 1 0", "cmdstat_hset": "1 0 1", "cmdstat_exec": "3 0 1",
		"cmdstat_multi": "3 0 0", "cmdstat_ping": "1 0 0", "cmdstat_watch": "1 0 0",
	} {
		m := re.FindStringSubmatch(stats[name])
		if m == nil || strings.Join(m[1:], " ") != want {
			t.Errorf("%s:%s, want calls, rejected, failed = %s", name, stats[name], want)
		}
	}
	errs := infoFields(t, c, "errorstats")
	if len(errs) != 3 || errs["errorstat_ERR"] != "count=1" || errs["errorstat_EXECABORT"] != "count=1" || errs["errorstat_WRONGTYPE"] != "count=1" {
		t.Errorf("errorstats: %v", errs)
	}
}
