package server_test

import (
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Expected replies and events below are redis-server 7.0.15's (events read
// with notify-keyspace-events KEA and PSUBSCRIBE __keyevent@0__:*); the
// exact replies of every command are in
// integration/testdata/differential_zsets.txt.

func TestZsetEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []struct {
		cmd    []string
		events string
	}{
		{[]string{"ZADD", "a", "1", "x", "2", "y"}, "zadd:a"},
		{[]string{"ZADD", "a", "1", "x"}, ""},
		{[]string{"ZADD", "a", "NX", "5", "x"}, ""},
		{[]string{"ZADD", "a", "INCR", "1", "x"}, "zincr:a"},
		{[]string{"ZINCRBY", "a", "1", "x"}, "zincr:a"},
		{[]string{"ZADD", "a", "XX", "9", "nosuch"}, ""},
		{[]string{"ZREM", "a", "x", "nosuch"}, "zrem:a"},
		{[]string{"ZREM", "a", "y"}, "zrem:a del:a"},
		{[]string{"ZADD", "a", "1", "x", "2", "y", "3", "z", "4", "w"}, "zadd:a"},
		{[]string{"ZREMRANGEBYRANK", "a", "0", "0"}, "zremrangebyrank:a"},
		{[]string{"ZREMRANGEBYSCORE", "a", "2", "2"}, "zremrangebyscore:a"},
		{[]string{"ZREMRANGEBYLEX", "a", "-", "+"}, "zremrangebylex:a del:a"},
		{[]string{"ZADD", "a", "1", "x", "2", "y"}, "zadd:a"},
		{[]string{"ZPOPMIN", "a"}, "zpopmin:a"},
		{[]string{"ZPOPMAX", "a", "5"}, "zpopmax:a del:a"},
		{[]string{"ZADD", "a", "1", "x", "2", "y"}, "zadd:a"},
		{[]string{"ZMPOP", "1", "a", "MAX", "COUNT", "1"}, "zpopmax:a"},
		{[]string{"ZRANGESTORE", "d", "a", "0", "-1"}, "zrangestore:d"},
		{[]string{"ZRANGESTORE", "d", "a", "5", "6"}, "del:d"},
		{[]string{"ZUNIONSTORE", "d", "1", "a"}, "zunionstore:d"},
		{[]string{"ZINTERSTORE", "d", "2", "a", "nokey"}, "del:d"},
		{[]string{"ZDIFFSTORE", "d", "1", "a"}, "zdiffstore:d"},
		{[]string{"ZDIFFSTORE", "d", "1", "nokey"}, "del:d"},
		{[]string{"BZPOPMIN", "a", "0"}, "zpopmin:a del:a"},
		{[]string{"SET", "s", "1"}, "set:s"},
		{[]string{"ZUNIONSTORE", "s", "1", "nokey"}, "del:s"},
		{[]string{"ZREMRANGEBYRANK", "nokey", "0", "1"}, ""},
	}
	for _, st := range steps {
		r := c.Do(st.cmd...)
		if r.Type == '-' {
			t.Fatalf("%q: %q", st.cmd, r.Raw)
		}
		if got := rec.take(); got != st.events {
			t.Errorf("%q: events %q, want %q", st.cmd, got, st.events)
		}
	}
}

func TestZsetBlockingServedByZadd(t *testing.T) {
	c, _ := eventServer(t)
	addr := c.NetConn().RemoteAddr().String()
	first, second, third, lister := Dial(t, addr), Dial(t, addr), Dial(t, addr), Dial(t, addr)
	third.Hello3()
	lister.Send("BLPOP", "k", "0")
	waitBlocked(t, c, 1)
	first.Send("BZPOPMIN", "nokey", "k", "0")
	waitBlocked(t, c, 2)
	second.Send("BZPOPMAX", "k", "0")
	waitBlocked(t, c, 3)
	third.Send("BZMPOP", "0", "1", "k", "MIN", "COUNT", "5")
	waitBlocked(t, c, 4)
	// One ZADD of four members serves the sorted set pops, first blocked
	// first; the list pop on the same key stays blocked.
	MustDo(t, c, "ZADD", "k", "1", "a", "2", "b", "3", "c", "4.5", "d", Int(4))
	first.Expect(Strs("k", "a", "1"))
	second.Expect(Strs("k", "d", "4.5"))
	third.Expect(Arr(Bulk("k"), Arr(Arr(Bulk("b"), ",2\r\n"), Arr(Bulk("c"), ",3\r\n"))))
	waitBlocked(t, c, 1)
	MustDoAll(t, c, [][]string{
		{"EXISTS", "k", Int(0)},
		{"RPUSH", "k", "v", Int(1)},
	})
	lister.Expect(Strs("k", "v"))
	// Served by a ZADD inside MULTI/EXEC once EXEC ends, and by a
	// ZUNIONSTORE that creates the key.
	first.Send("BZPOPMAX", "q", "0")
	waitBlocked(t, c, 1)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"ZADD", "q", "1", "x", "2", "y", Status("QUEUED")},
		{"ZCARD", "q", Status("QUEUED")},
		{"EXEC", Arr(Int(2), Int(2))},
	})
	first.Expect(Strs("q", "y", "2"))
	second.Send("BZPOPMIN", "r", "0")
	waitBlocked(t, c, 1)
	MustDo(t, c, "ZUNIONSTORE", "r", "1", "q", Int(1))
	second.Expect(Strs("r", "x", "1"))
}

func TestZsetBlockingTimeouts(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"BZPOPMIN", "k", "-1", Err("ERR timeout is negative")},
		{"BZPOPMAX", "k", "x", Err("ERR timeout is not a float or out of range")},
		{"MULTI", OK},
		{"BZPOPMIN", "k", "0", Status("QUEUED")},
		{"BZMPOP", "0", "1", "k", "MAX", Status("QUEUED")},
		{"EXEC", Arr("*-1\r\n", "*-1\r\n")},
	})
	for _, cmd := range [][]string{
		{"BZPOPMIN", "k", "0.1"},
		{"BZMPOP", "0.1", "1", "k", "MIN"},
	} {
		start := time.Now()
		MustDo(t, c, append(cmd, "*-1\r\n")...)
		if el := time.Since(start); el < 100*time.Millisecond {
			t.Fatalf("%q answered after %v, before its timeout", cmd, el)
		}
	}
	MustDoAll(t, c, [][]string{
		{"ZADD", "k", "1", "v", Int(1)},
		{"ZCARD", "k", Int(1)},
	})
}

func TestZsetEncodingAndCopy(t *testing.T) {
	c, _ := eventServer(t, "zset-max-listpack-entries 2")
	MustDoAll(t, c, [][]string{
		{"CONFIG", "GET", "zset-max-ziplist-entries", Strs("zset-max-ziplist-entries", "2")},
		{"ZADD", "z", "1", "a", "2", "b", Int(2)},
		{"OBJECT", "ENCODING", "z", Bulk("listpack")},
		{"ZADD", "z", "3", "c", Int(1)},
		{"OBJECT", "ENCODING", "z", Bulk("skiplist")},
		{"ZREM", "z", "c", Int(1)},
		{"OBJECT", "ENCODING", "z", Bulk("skiplist")},
		{"COPY", "z", "z2", Int(1)},
		{"ZADD", "z2", "9", "a", Int(0)},
		{"ZRANGE", "z", "0", "-1", "WITHSCORES", Strs("a", "1", "b", "2")},
		{"ZRANGE", "z2", "0", "-1", "WITHSCORES", Strs("b", "2", "a", "9")},
		{"TYPE", "z2", Status("zset")},
		{"ZSCORE", "z2", "a", Bulk("9")},
		{"ZRANK", "z2", "a", Int(1)},
		// ZSCAN of a skiplist walks its dict with a cursor.
		{"ZADD", "big", "1", "m1", "2", "m2", "3", "m3", "4", "m4", "5", "m5", Int(5)},
	})
	seen := map[string]string{}
	cursor := "0"
	for i := 0; ; i++ {
		var parts []resp.Reply
		c.Do("ZSCAN", "big", cursor, "COUNT", "2").ForEach(func(e resp.Reply) bool { parts = append(parts, e); return true })
		cursor = string(parts[0].Data)
		var els []string
		parts[1].ForEach(func(e resp.Reply) bool { els = append(els, string(e.Data)); return true })
		for j := 0; j+1 < len(els); j += 2 {
			seen[els[j]] = els[j+1]
		}
		if cursor == "0" || i > 10 {
			break
		}
	}
	if len(seen) != 5 || seen["m3"] != "3" {
		t.Fatalf("ZSCAN saw %v", seen)
	}
}

// TestZsetRandmemberRepeats checks the shape of ZRANDMEMBER with a
// negative count (members picked with repetitions): RESP2 flattens the
// scores, RESP3 pairs them, as redis-server 7.0 does.
func TestZsetRandmemberRepeats(t *testing.T) {
	c, _ := eventServer(t)
	MustDo(t, c, "ZADD", "z", "1", "a", Int(1))
	MustDo(t, c, "ZRANDMEMBER", "z", "-3", Strs("a", "a", "a"))
	MustDo(t, c, "ZRANDMEMBER", "z", "-2", "WITHSCORES", Strs("a", "1", "a", "1"))
	c.Hello3()
	MustDo(t, c, "ZRANDMEMBER", "z", "-2", "WITHSCORES", Arr(Arr(Bulk("a"), ",1\r\n"), Arr(Bulk("a"), ",1\r\n")))
}

// TestZsetBlockingKeyReplaced: a key made ready, then replaced by a string
// in the same transaction, serves nobody (Redis 7.0 leaves both blocked).
func TestZsetBlockingKeyReplaced(t *testing.T) {
	c, _ := eventServer(t)
	addr := c.NetConn().RemoteAddr().String()
	zb, lb := Dial(t, addr), Dial(t, addr)
	zb.Send("BZPOPMIN", "k", "0")
	waitBlocked(t, c, 1)
	lb.Send("BLPOP", "k", "0")
	waitBlocked(t, c, 2)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"ZADD", "k", "1", "a", Status("QUEUED")},
		{"SET", "k", "x", Status("QUEUED")},
		{"EXEC", Arr(Int(1), OK)},
		{"DEL", "k", Int(1)},
		{"MULTI", OK},
		{"RPUSH", "k", "a", Status("QUEUED")},
		{"SET", "k", "x", Status("QUEUED")},
		{"EXEC", Arr(Int(1), OK)},
		{"DEL", "k", Int(1)},
	})
	waitBlocked(t, c, 2)
	MustDo(t, c, "ZADD", "k", "2", "b", Int(1))
	zb.Expect(Strs("k", "b", "2"))
	MustDo(t, c, "RPUSH", "k", "v", Int(1))
	lb.Expect(Strs("k", "v"))
}

// TestZrangeEnds: ranges that start at either end of the set (walked
// without a lookup) and ranges inside it, both directions. Expected replies
// are redis-server 7.0.15's.
func TestZrangeEnds(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "ZADD", "zr", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", Int(5))
	MustDoAll(t, c, [][]string{
		{"ZREVRANGE", "zr", "1", "2", Arr(Bulk("d"), Bulk("c"))},
		{"ZREVRANGE", "zr", "0", "1", Arr(Bulk("e"), Bulk("d"))},
		{"ZRANGE", "zr", "0", "1", "WITHSCORES", Arr(Bulk("a"), Bulk("1"), Bulk("b"), Bulk("2"))},
		{"ZRANGE", "zr", "3", "10", Arr(Bulk("d"), Bulk("e"))},
		{"ZRANGEBYSCORE", "zr", "2", "4", "LIMIT", "1", "5", Arr(Bulk("c"), Bulk("d"))},
		{"ZREVRANGEBYSCORE", "zr", "5", "1", "LIMIT", "0", "2", Arr(Bulk("e"), Bulk("d"))},
	})
	c3 := Dial(t, s.Addr())
	c3.Hello3()
	MustDo(t, c3, "ZRANGE", "zr", "0", "1", "WITHSCORES", Arr(Arr(Bulk("a"), Double3("1")), Arr(Bulk("b"), Double3("2"))))
	MustDo(t, c3, "ZREVRANGE", "zr", "1", "2", "WITHSCORES", Arr(Arr(Bulk("d"), Double3("4")), Arr(Bulk("c"), Double3("3"))))
}
