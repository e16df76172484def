package server_test

import (
	"strconv"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Expected replies and events below are redis-server 7.0.15's (events read
// with notify-keyspace-events KEA; blocking replies read from a second
// connection). The replies that do not depend on the clock are compared
// byte for byte in integration/testdata/differential_streams.txt.

func TestStreamEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []struct {
		cmd    []string
		events string
	}{
		{[]string{"XADD", "s", "1-1", "a", "1"}, "xadd:s"},
		{[]string{"XADD", "s", "NOMKSTREAM", "1-0", "a", "1"}, ""},
		{[]string{"XADD", "n", "NOMKSTREAM", "1-0", "a", "1"}, ""},
		{[]string{"XADD", "s", "MAXLEN", "1", "2-1", "b", "2"}, "xadd:s xtrim:s"},
		{[]string{"XADD", "s", "MAXLEN", "5", "3-1", "c", "3"}, "xadd:s"},
		{[]string{"XTRIM", "s", "MAXLEN", "5"}, ""},
		{[]string{"XTRIM", "s", "MAXLEN", "1"}, "xtrim:s"},
		{[]string{"XDEL", "s", "9-9"}, ""},
		{[]string{"XDEL", "s", "3-1"}, "xdel:s"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0"}, "xgroup-create:s"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0"}, ""},
		{[]string{"XGROUP", "CREATE", "m", "g", "$", "MKSTREAM"}, "xgroup-create:m"},
		{[]string{"XGROUP", "CREATECONSUMER", "s", "g", "c1"}, "xgroup-createconsumer:s"},
		{[]string{"XGROUP", "CREATECONSUMER", "s", "g", "c1"}, ""},
		{[]string{"XADD", "s", "4-1", "d", "4"}, "xadd:s"},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"}, "xgroup-createconsumer:s"},
		{[]string{"XACK", "s", "g", "4-1"}, ""},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"}, ""},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "4-1"}, ""},
		{[]string{"XADD", "s", "5-1", "e", "5"}, "xadd:s"},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"}, ""},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "5-1"}, "xgroup-createconsumer:s"},
		{[]string{"XAUTOCLAIM", "s", "g", "c4", "0", "0"}, "xgroup-createconsumer:s"},
		{[]string{"XGROUP", "SETID", "s", "g", "0"}, "xgroup-setid:s"},
		{[]string{"XGROUP", "DELCONSUMER", "s", "g", "c1"}, "xgroup-delconsumer:s"},
		{[]string{"XGROUP", "DELCONSUMER", "s", "g", "zz"}, ""},
		{[]string{"XGROUP", "DESTROY", "s", "g"}, "xgroup-destroy:s"},
		{[]string{"XGROUP", "DESTROY", "s", "g"}, ""},
		{[]string{"XSETID", "s", "10-0"}, "xsetid:s"},
		{[]string{"COPY", "s", "s2"}, "copy_to:s2"},
		{[]string{"RENAME", "s2", "s3"}, "rename_from:s2 rename_to:s3"},
		{[]string{"DEL", "s3"}, "del:s3"},
	}
	for _, st := range steps {
		c.Do(st.cmd...)
		if got := rec.take(); got != st.events {
			t.Errorf("%q: events %q, want %q", st.cmd, got, st.events)
		}
	}
	// The stream events have their own class.
	MustDo(t, c, "XADD", "s", "20-1", "a", "1", Bulk("20-1"))
	if ev := rec.takeEvents(); len(ev) != 1 || ev[0].Class != server.EventStream {
		t.Fatalf("events %+v", ev)
	}
}

func TestStreamWrongType(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "str", "v", OK},
		{"XADD", "s", "1-1", "a", "1", Bulk("1-1")},
		{"XADD", "str", "1-1", "a", "1", Err(listWrongType)},
		{"XLEN", "str", Err(listWrongType)},
		{"XREAD", "STREAMS", "str", "0", Err(listWrongType)},
		{"XGROUP", "CREATE", "str", "g", "0", Err(listWrongType)},
		{"GET", "s", Err(listWrongType)},
		{"LPUSH", "s", "x", Err(listWrongType)},
		{"SADD", "s", "x", Err(listWrongType)},
		{"HSET", "s", "f", "v", Err(listWrongType)},
		{"TYPE", "s", Status("stream")},
		{"OBJECT", "ENCODING", "s", Bulk("stream")},
	})
}

// xreadReply is the RESP2 reply of XREAD/XREADGROUP for one stream and one
// entry with one field.
func xreadReply(key, id, f, v string) string {
	return Arr(Arr(Bulk(key), Arr(Arr(Bulk(id), Strs(f, v)))))
}

func TestStreamBlockingRead(t *testing.T) {
	c, _ := eventServer(t)
	addr := c.NetConn().RemoteAddr().String()
	b, b3 := Dial(t, addr), Dial(t, addr)
	b3.Hello3()
	MustDo(t, c, "XADD", "s", "1-1", "a", "1", Bulk("1-1"))
	// Blocked on two streams with "$", and (RESP3) with COUNT 1 from 0: an
	// XADD to t serves both.
	b.Send("XREAD", "BLOCK", "0", "STREAMS", "s", "t", "$", "$")
	waitBlocked(t, c, 1)
	b3.Send("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "t", "0")
	waitBlocked(t, c, 2)
	MustDo(t, c, "XADD", "t", "2-1", "b", "2", Bulk("2-1"))
	b.Expect(xreadReply("t", "2-1", "b", "2"))
	b3.Expect("%1\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")

	// A timeout is a null array.
	start := time.Now()
	MustDo(t, b, "XREAD", "BLOCK", "100", "STREAMS", "s", "$", "*-1\r\n")
	if el := time.Since(start); el < 100*time.Millisecond {
		t.Fatalf("XREAD BLOCK 100 answered after %v", el)
	}

	// XREADGROUP ">" blocked: the entry is delivered and pending.
	MustDo(t, c, "XGROUP", "CREATE", "s", "g", "$", OK)
	b.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlocked(t, c, 1)
	MustDo(t, c, "XADD", "s", "3-1", "c", "3", Bulk("3-1"))
	b.Expect(xreadReply("s", "3-1", "c", "3"))
	MustDo(t, c, "XPENDING", "s", "g", Arr(Int(1), Bulk("3-1"), Bulk("3-1"), Arr(Strs("alice", "1"))))

	// The group destroyed: the blocked reader gets -NOGROUP.
	b.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlocked(t, c, 1)
	MustDo(t, c, "XGROUP", "DESTROY", "s", "g", Int(1))
	b.Expect(Err("NOGROUP the consumer group this client was blocked on no longer exists"))

	// NOACK, served once EXEC ends with both entries; nothing pending.
	MustDo(t, c, "XGROUP", "CREATE", "s", "g", "$", OK)
	b.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "NOACK", "STREAMS", "s", ">")
	waitBlocked(t, c, 1)
	MustDoAll(t, c, [][]string{
		{"MULTI", OK},
		{"XADD", "s", "4-1", "d", "4", Status("QUEUED")},
		{"XADD", "s", "5-1", "e", "5", Status("QUEUED")},
		{"EXEC", Strs("4-1", "5-1")},
	})
	b.Expect(Arr(Arr(Bulk("s"), Arr(Arr(Bulk("4-1"), Strs("d", "4")), Arr(Bulk("5-1"), Strs("e", "5"))))))
	MustDo(t, c, "XPENDING", "s", "g", Arr(Int(0), "$-1\r\n", "$-1\r\n", "*-1\r\n"))

	// Deleted, replaced by a string, then re-created with a smaller ID:
	// the reader waits on (5-1 was "$").
	b.Send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
	waitBlocked(t, c, 1)
	MustDoAll(t, c, [][]string{
		{"DEL", "s", Int(1)},
		{"SET", "s", "x", OK},
		{"DEL", "s", Int(1)},
		{"XADD", "s", "1-1", "a", "1", Bulk("1-1")},
	})
	waitBlocked(t, c, 1)
	MustDo(t, c, "XADD", "s", "6-1", "f", "6", Bulk("6-1"))
	b.Expect(xreadReply("s", "6-1", "f", "6"))
	waitBlocked(t, c, 0)
}

// TestStreamClock checks what depends on the time: "*" IDs, idle times,
// XCLAIM IDLE/TIME and XAUTOCLAIM's min-idle-time.
func TestStreamClock(t *testing.T) {
	c, _ := eventServer(t)
	before := time.Now().UnixMilli()
	id := string(c.Do("XADD", "s", "*", "a", "1").Data)
	after := time.Now().UnixMilli()
	ms, seq, _ := cutID(t, id)
	if ms < before || ms > after || seq != 0 {
		t.Fatalf("XADD * gave %q, not within [%d, %d]-0", id, before, after)
	}
	// A clock behind the last ID: the sequence is incremented.
	MustDo(t, c, "XADD", "f", "99999999999999-5", "a", "1", Bulk("99999999999999-5"))
	MustDo(t, c, "XADD", "f", "*", "a", "1", Bulk("99999999999999-6"))
	ms2, _, _ := cutID(t, string(c.Do("XADD", "s", "*", "b", "2").Data))
	if ms2 < ms {
		t.Fatalf("IDs went back")
	}
	MustDoAll(t, c, [][]string{
		{"XGROUP", "CREATE", "s", "g", "0", OK},
	})
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">")
	time.Sleep(30 * time.Millisecond)
	r := c.Do("XPENDING", "s", "g", "-", "+", "10")
	idle := num(elems(elems(r)[0])[2])
	if idle < 30 || idle > 30000 {
		t.Fatalf("idle %d in %q", idle, r.Raw)
	}
	MustDoAll(t, c, [][]string{
		{"XPENDING", "s", "g", "IDLE", "10000", "-", "+", "10", "*0\r\n"},
		{"XCLAIM", "s", "g", "bob", "10000", id, "*0\r\n"},
		{"XAUTOCLAIM", "s", "g", "bob", "10000", "0", Arr(Bulk("0-0"), "*0\r\n", "*0\r\n")},
		{"XCLAIM", "s", "g", "bob", "20", id, "IDLE", "5000", "RETRYCOUNT", "7", "JUSTID", Strs(id)},
	})
	r = c.Do("XPENDING", "s", "g", "-", "+", "10", "bob")
	if e := elems(elems(r)[0]); num(e[2]) < 5000 || num(e[2]) > 60000 || num(e[3]) != 7 {
		t.Fatalf("after XCLAIM IDLE 5000 RETRYCOUNT 7: %q", r.Raw)
	}
	// TIME in the future is now; TIME in the past sets the idle time.
	MustDo(t, c, "XCLAIM", "s", "g", "carol", "0", id, "TIME", strconv.FormatInt(time.Now().UnixMilli()-7000, 10), "JUSTID", Strs(id))
	r = c.Do("XPENDING", "s", "g", "IDLE", "7000", "-", "+", "10")
	if len(elems(r)) != 1 {
		t.Fatalf("XPENDING IDLE 7000 after TIME now-7000: %q", r.Raw)
	}
	MustDo(t, c, "XAUTOCLAIM", "s", "g", "dave", "6000", "0", "JUSTID", Arr(Bulk("0-0"), Strs(id), "*0\r\n"))
	r = c.Do("XINFO", "CONSUMERS", "s", "g")
	if len(elems(r)) != 4 {
		t.Fatalf("XINFO CONSUMERS: %q", r.Raw)
	}
}

func cutID(t *testing.T, id string) (ms, seq int64, ok bool) {
	t.Helper()
	for i := 0; i < len(id); i++ {
		if id[i] == '-' {
			ms, _ = strconv.ParseInt(id[:i], 10, 64)
			seq, _ = strconv.ParseInt(id[i+1:], 10, 64)
			return ms, seq, true
		}
	}
	t.Fatalf("not an ID: %q", id)
	return 0, 0, false
}

// TestStreamCopyIndependent: a copy's groups and pending entries are its
// own.
func TestStreamCopyIndependent(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"XADD", "s", "1-1", "a", "1", Bulk("1-1")},
		{"XGROUP", "CREATE", "s", "g", "0", OK},
		{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">", xreadReply("s", "1-1", "a", "1")},
		{"COPY", "s", "d", Int(1)},
		{"XACK", "d", "g", "1-1", Int(1)},
		{"XADD", "d", "2-1", "b", "2", Bulk("2-1")},
		{"XLEN", "s", Int(1)},
		{"XPENDING", "s", "g", Arr(Int(1), Bulk("1-1"), Bulk("1-1"), Arr(Strs("c", "1")))},
		{"XPENDING", "d", "g", Arr(Int(0), "$-1\r\n", "$-1\r\n", "*-1\r\n")},
	})
}

// TestStreamLargeRange crosses many nodes both ways.
func TestStreamLargeRange(t *testing.T) {
	c, _ := eventServer(t)
	const n = 1000
	for i := 1; i <= n; i++ {
		c.Send("XADD", "s", strconv.Itoa(i)+"-1", "f", strconv.Itoa(i))
	}
	for i := 1; i <= n; i++ {
		c.Read()
	}
	MustDo(t, c, "XDEL", "s", "500-1", "501-1", Int(2))
	r := c.Do("XRANGE", "s", "499", "(503-1")
	if got := ids(r); got != "499-1 502-1" {
		t.Fatalf("XRANGE 499 (503-1: %s", got)
	}
	r = c.Do("XREVRANGE", "s", "+", "-", "COUNT", "3")
	if got := ids(r); got != "1000-1 999-1 998-1" {
		t.Fatalf("XREVRANGE: %s", got)
	}
	r = c.Do("XREVRANGE", "s", "502", "499")
	if got := ids(r); got != "502-1 499-1" {
		t.Fatalf("XREVRANGE 502 499: %s", got)
	}
	if got := len(elems(c.Do("XRANGE", "s", "-", "+"))); got != n-2 {
		t.Fatalf("XRANGE all: %d entries", got)
	}
	// 10 nodes of 100: MAXLEN ~ 250 removes 7 whole nodes (698 entries).
	MustDo(t, c, "XTRIM", "s", "MAXLEN", "~", "250", Int(698))
	MustDo(t, c, "XLEN", "s", Int(300))
}

func ids(r resp.Reply) string {
	var out string
	for _, e := range elems(r) {
		if out != "" {
			out += " "
		}
		out += string(elems(e)[0].Data)
	}
	return out
}

func elems(r resp.Reply) []resp.Reply {
	var out []resp.Reply
	r.ForEach(func(e resp.Reply) bool { out = append(out, e); return true })
	return out
}

func num(r resp.Reply) int64 {
	n, _ := strconv.ParseInt(string(r.Data), 10, 64)
	return n
}

func TestStreamClientUnblock(t *testing.T) {
	c, _ := eventServer(t)
	b := Dial(t, c.NetConn().RemoteAddr().String())
	ids := strconv.FormatInt(num(b.Do("CLIENT", "ID")), 10)
	b.Send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
	waitBlocked(t, c, 1)
	MustDo(t, c, "CLIENT", "UNBLOCK", ids, Int(1))
	b.Expect("*-1\r\n")
	MustDo(t, c, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", OK)
	b.Send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlocked(t, c, 1)
	MustDo(t, c, "CLIENT", "UNBLOCK", ids, "ERROR", Int(1))
	b.Expect(Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"))
	waitBlocked(t, c, 0)
	MustDoAll(t, c, [][]string{
		{"CLIENT", "UNBLOCK", ids, Int(0)},
		{"XADD", "s", "1-1", "a", "1", Bulk("1-1")},
		{"XPENDING", "s", "g", Arr(Int(0), "$-1\r\n", "$-1\r\n", "*-1\r\n")},
	})
}
