package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// Every expected reply below is what redis-server 7.0.15 answers
// (integration/testdata/differential_lists.txt compares many more).

const listWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

func TestListPushPopRange(t *testing.T) {
	c, rec := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		{"LPUSH", "s", "a", Err(listWrongType)},
		{"LPUSHX", "l", "a", Int(0)},
		{"LPUSH", "l", "b", "a", Int(2)},
		{"RPUSH", "l", "c", "d", Int(4)},
		{"RPUSHX", "l", "e", Int(5)},
		{"TYPE", "l", Status("list")},
		{"OBJECT", "ENCODING", "l", Bulk("quicklist")},
		{"LRANGE", "l", "0", "-1", Strs("a", "b", "c", "d", "e")},
		{"LRANGE", "l", "-2", "100", Strs("d", "e")},
		{"LINDEX", "l", "-1", Bulk("e")},
		{"LINDEX", "l", "5", "$-1\r\n"},
		{"LSET", "l", "5", "x", Err("ERR index out of range")},
		{"LSET", "nokey", "x", "x", Err("ERR no such key")},
		{"LPOP", "l", "-1", Err("ERR value is out of range, must be positive")},
		{"LPOP", "nokey", "1", "*-1\r\n"},
		{"LPOP", "nokey", "$-1\r\n"},
		{"LPOP", "l", "0", "*0\r\n"},
		{"LPOP", "l", Bulk("a")},
		{"RPOP", "l", "2", Strs("e", "d")},
		{"LLEN", "l", Int(2)},
		{"RPOP", "l", "9", Strs("c", "b")},
		{"EXISTS", "l", Int(0)},
		{"LLEN", "s", Err(listWrongType)},
	})
	if got := rec.take(); !strings.Contains(got, "lpush:l") || !strings.Contains(got, "rpop:l del:l") {
		t.Fatalf("events %q", got)
	}
	// RESP3: a missing key's pop is a null either way.
	c.Hello3()
	MustDoAll(t, c, [][]string{
		{"LPOP", "nokey", "1", "_\r\n"},
		{"LPOP", "nokey", "_\r\n"},
	})
}

func TestListEditing(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"RPUSH", "l", "a", "b", "a", "c", "a", Int(5)},
		{"LREM", "l", "-1", "a", Int(1)},
		{"LRANGE", "l", "0", "-1", Strs("a", "b", "a", "c")},
		{"LINSERT", "l", "AFTER", "b", "x", Int(5)},
		{"LINSERT", "l", "BEFORE", "zz", "x", Int(-1)},
		{"LINSERT", "l", "ASIDE", "b", "x", Err("ERR syntax error")},
		{"LPOS", "l", "a", "RANK", "-1", Int(3)},
		{"LPOS", "l", "a", "COUNT", "0", Arr(Int(0), Int(3))},
		{"LPOS", "l", "a", "RANK", "0", Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")},
		{"LPOS", "l", "a", "MAXLEN", "2", "COUNT", "0", Arr(Int(0))},
		{"LTRIM", "l", "1", "-2", OK},
		{"LRANGE", "l", "0", "-1", Strs("b", "x", "a")},
		{"LMOVE", "l", "m", "LEFT", "RIGHT", Bulk("b")},
		{"RPOPLPUSH", "l", "m", Bulk("a")},
		{"LRANGE", "m", "0", "-1", Strs("a", "b")},
		{"LMPOP", "2", "nokey", "m", "RIGHT", "COUNT", "5", Arr(Bulk("m"), Strs("b", "a"))},
		{"LMPOP", "1", "m", "LEFT", "*-1\r\n"},
		{"LMPOP", "0", "m", "LEFT", Err("ERR numkeys should be greater than 0")},
	})
}

// waitBlocked waits until n clients are blocked.
func waitBlocked(t *testing.T, c *Conn, n int) {
	t.Helper()
	want := "blocked_clients:" + string(rune('0'+n)) + "\r\n"
	for deadline := time.Now().Add(ReplyTimeout); !strings.Contains(string(c.Do("INFO", "clients").Data), want); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never %q", want)
		}
	}
}

func TestListBlockingServedByPush(t *testing.T) {
	c, _ := eventServer(t)
	addr := c.NetConn().RemoteAddr().String()
	first, second, third := Dial(t, addr), Dial(t, addr), Dial(t, addr)
	third.Hello3()
	first.Send("BLPOP", "a", "b", "0")
	waitBlocked(t, c, 1)
	second.Send("BRPOP", "b", "0")
	waitBlocked(t, c, 2)
	third.Send("BLMOVE", "b", "dst", "RIGHT", "LEFT", "0")
	waitBlocked(t, c, 3)
	// One push of three: the first blocked on b gets the head, the second
	// the tail, the third (RESP3) the remaining one, moved to dst.
	MustDo(t, c, "RPUSH", "b", "x", "y", "z", Int(3))
	first.Expect(Strs("b", "x"))
	second.Expect(Strs("b", "z"))
	third.Expect(Bulk("y"))
	MustDoAll(t, c, [][]string{
		{"EXISTS", "b", Int(0)},
		{"LRANGE", "dst", "0", "-1", Strs("y")},
	})
	// BLMPOP, served by a push inside MULTI/EXEC once EXEC ends.
	first.Send("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "2")
	waitBlocked(t, c, 1)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"RPUSH", "q", "1", "2", "3", Status("QUEUED")},
		{"LLEN", "q", Status("QUEUED")},
		{"EXEC", Arr(Int(3), Int(3))},
	})
	first.Expect(Arr(Bulk("q"), Strs("1", "2")))
	MustDo(t, c, "LRANGE", "q", "0", "-1", Strs("3"))
}

func TestListBlockingTimeouts(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"BLPOP", "k", "-1", Err("ERR timeout is negative")},
		{"BLPOP", "k", "x", Err("ERR timeout is not a float or out of range")},
		// Inside MULTI a blocking command does not block.
		{"MULTI", OK},
		{"BLPOP", "k", "0", Status("QUEUED")},
		{"BLMOVE", "k", "d", "LEFT", "LEFT", "0", Status("QUEUED")},
		{"EXEC", Arr("*-1\r\n", "$-1\r\n")},
	})
	for _, tc := range []struct {
		cmd  []string
		want string
	}{
		{[]string{"BLPOP", "k", "0.1"}, "*-1\r\n"},
		{[]string{"BRPOPLPUSH", "k", "d", "0.1"}, "$-1\r\n"},
		{[]string{"BLMPOP", "0.1", "1", "k", "RIGHT"}, "*-1\r\n"},
	} {
		start := time.Now()
		MustDo(t, c, append(tc.cmd, tc.want)...) // within ReplyTimeout (50x)
		if el := time.Since(start); el < 100*time.Millisecond {
			t.Fatalf("%q answered after %v, before its timeout", tc.cmd, el)
		}
	}
	// A client that timed out is no longer served.
	MustDoAll(t, c, [][]string{
		{"RPUSH", "k", "v", Int(1)},
		{"LRANGE", "k", "0", "-1", Strs("v")},
	})
}

func TestListClientUnblock(t *testing.T) {
	c, _ := eventServer(t)
	b := Dial(t, c.NetConn().RemoteAddr().String())
	id := b.Do("CLIENT", "ID").Int()
	ids := strconv.FormatInt(id, 10)
	MustDoAll(t, c, [][]string{
		{"CLIENT", "UNBLOCK", ids, Int(0)},
		{"CLIENT", "UNBLOCK", "x", Err("ERR value is not an integer or out of range")},
		{"CLIENT", "UNBLOCK", ids, "foo", Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")},
		{"CLIENT", "UNBLOCK", ids, "timeout", "x", Err("ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.")},
		{"CLIENT", "unblock", ids, "timeout", "x", Err("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.")},
	})
	b.Send("BLPOP", "k", "0")
	waitBlocked(t, c, 1)
	MustDo(t, c, "CLIENT", "UNBLOCK", ids, "ERROR", Int(1))
	b.Expect(Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"))
	b.Send("BLMOVE", "k", "d", "LEFT", "LEFT", "0")
	waitBlocked(t, c, 1)
	MustDo(t, c, "CLIENT", "UNBLOCK", ids, Int(1))
	b.Expect("$-1\r\n")
	waitBlocked(t, c, 0)
	// Unblocked, it is no longer served.
	MustDoAll(t, c, [][]string{
		{"CLIENT", "UNBLOCK", ids, Int(0)},
		{"RPUSH", "k", "v", Int(1)},
		{"LLEN", "k", Int(1)},
	})
}
