package server_test

import (
	"slices"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
)

// Expected replies and events below are redis-server 7.0.15's (events read
// with notify-keyspace-events KEA). The replies whose order is a hash
// table's or random are checked by their content; the exact replies are in
// integration/testdata/differential_sets.txt.

// setMembers returns the sorted bulk strings of an array (or set) reply.
func setMembers(t *testing.T, c *Conn, args ...string) []string {
	t.Helper()
	r := c.Do(args...)
	if r.Type != '*' && r.Type != '~' {
		t.Fatalf("%q: not an array: %q", args, r.Raw)
	}
	var out []string
	r.ForEach(func(e resp.Reply) bool {
		out = append(out, string(e.Data))
		return true
	})
	slices.Sort(out)
	return out
}

func TestSetEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []eventStep{
		{[]string{"SADD", "a", "1", "2"}, Int(2), "sadd:a"},
		{[]string{"SADD", "a", "1"}, Int(0), ""},
		{[]string{"SREM", "a", "1", "9"}, Int(1), "srem:a"},
		{[]string{"SREM", "a", "2"}, Int(1), "srem:a del:a"},
		{[]string{"SADD", "a", "1", "2", "3"}, Int(3), "sadd:a"},
		{[]string{"SPOP", "a", "0"}, Arr(), ""},
		{[]string{"SPOP", "a", "5"}, Strs("1", "2", "3"), "spop:a del:a"},
		{[]string{"SADD", "a", "1", "2"}, Int(2), "sadd:a"},
		{[]string{"SADD", "b", "3"}, Int(1), "sadd:b"},
		{[]string{"SMOVE", "a", "b", "1"}, Int(1), "srem:a sadd:b"},
		{[]string{"SMOVE", "a", "b", "2"}, Int(1), "srem:a del:a sadd:b"},
		{[]string{"SMOVE", "b", "b", "3"}, Int(1), ""},
		{[]string{"SMOVE", "b", "c", "3"}, Int(1), "srem:b sadd:c"},
		{[]string{"SADD", "a", "x"}, Int(1), "sadd:a"},
		{[]string{"SINTERSTORE", "d", "a", "c"}, Int(0), ""},
		{[]string{"SUNIONSTORE", "d", "a", "c"}, Int(2), "sunionstore:d"},
		{[]string{"SDIFFSTORE", "d", "a", "a"}, Int(0), "del:d"},
		{[]string{"SDIFFSTORE", "d", "a", "a"}, Int(0), ""},
		{[]string{"SET", "e", "1"}, OK, "set:e"},
		{[]string{"SUNIONSTORE", "e", "nokey"}, Int(0), "del:e"},
		{[]string{"SINTERSTORE", "e", "a", "c"}, Int(0), ""},
		{[]string{"SADD", "e", "1", "2"}, Int(2), "sadd:e"},
		{[]string{"SINTERSTORE", "f", "e", "e"}, Int(2), "sinterstore:f"},
		{[]string{"SDIFFSTORE", "f", "e", "a"}, Int(2), "sdiffstore:f"},
		{[]string{"SPOP", "f"}, "", "spop:f"},
		{[]string{"SPOP", "f"}, "", "spop:f del:f"},
	}
	runEventSteps(t, c, rec, steps)
}

func TestSetEncoding(t *testing.T) {
	c, _ := eventServer(t, "set-max-intset-entries 3")
	MustDoAll(t, c, [][]string{
		{"CONFIG", "GET", "set-max-intset-entries", Strs("set-max-intset-entries", "3")},
		{"SADD", "p", "1", "2", "3", "4", "5", Int(5)},
		{"OBJECT", "ENCODING", "p", Bulk("hashtable")},
	})
	// The member left by SPOP with a large count keeps the encoding.
	if got := setMembers(t, c, "SPOP", "p", "4"); len(got) != 4 {
		t.Fatalf("SPOP p 4: %q", got)
	}
	MustDoAll(t, c, [][]string{
		{"SCARD", "p", Int(1)},
		{"OBJECT", "ENCODING", "p", Bulk("hashtable")},
		{"SADD", "q", "1", "2", "3", Int(3)},
		{"OBJECT", "ENCODING", "q", Bulk("intset")},
		{"SADD", "q", "4", Int(1)},
		{"OBJECT", "ENCODING", "q", Bulk("hashtable")},
		{"SREM", "q", "4", Int(1)},
		{"OBJECT", "ENCODING", "q", Bulk("hashtable")},
		// The xSTORE commands build from an intset, like SADD.
		{"SINTERSTORE", "r", "q", "q", Int(3)},
		{"OBJECT", "ENCODING", "r", Bulk("intset")},
		{"SMEMBERS", "r", Strs("1", "2", "3")},
		{"SDIFFSTORE", "r2", "q", "nokey", Int(3)},
		{"OBJECT", "ENCODING", "r2", Bulk("intset")},
		{"COPY", "q", "q2", Int(1)},
		{"OBJECT", "ENCODING", "q2", Bulk("hashtable")},
		{"CONFIG", "SET", "set-max-intset-entries", "0", OK},
		{"SADD", "z", "1", Int(1)},
		{"OBJECT", "ENCODING", "z", Bulk("hashtable")},
		{"TYPE", "z", Status("set")},
	})
}

// TestSetRandom checks what the random commands' replies are made of.
func TestSetRandom(t *testing.T) {
	c, _ := eventServer(t)
	var all []string
	for i := range 30 {
		all = append(all, "m"+strconv.Itoa(i))
	}
	slices.Sort(all)
	MustDo(t, c, append(append([]string{"SADD", "s"}, all...), Int(30))...)
	for _, n := range []int{1, 5, 10, 29, 30, 31} {
		got := setMembers(t, c, "SRANDMEMBER", "s", strconv.Itoa(n))
		if len(got) != min(n, 30) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("SRANDMEMBER s %d: %q, want %d distinct members", n, got, min(n, 30))
		}
		for _, m := range got {
			if _, ok := slices.BinarySearch(all, m); !ok {
				t.Fatalf("SRANDMEMBER s %d: %q is no member", n, m)
			}
		}
	}
	got := setMembers(t, c, "SRANDMEMBER", "s", "-100")
	if len(got) != 100 {
		t.Fatalf("SRANDMEMBER s -100: %d members", len(got))
	}
	for _, m := range got {
		if _, ok := slices.BinarySearch(all, m); !ok {
			t.Fatalf("SRANDMEMBER s -100: %q is no member", m)
		}
	}
	// SPOP with a count, small (one by one) and large (the rest kept).
	left := slices.Clone(all)
	for _, n := range []int{2, 20, 7} {
		popped := setMembers(t, c, "SPOP", "s", strconv.Itoa(n))
		if len(popped) != n {
			t.Fatalf("SPOP s %d: %q", n, popped)
		}
		for _, m := range popped {
			i, ok := slices.BinarySearch(left, m)
			if !ok {
				t.Fatalf("SPOP s %d: %q was not in the set", n, m)
			}
			left = slices.Delete(left, i, i+1)
		}
		if rest := setMembers(t, c, "SMEMBERS", "s"); !slices.Equal(rest, left) {
			t.Fatalf("after SPOP s %d: %q, want %q", n, rest, left)
		}
	}
	m := c.Do("SPOP", "s")
	if string(m.Raw) != Bulk(left[0]) {
		t.Fatalf("SPOP of the last member: %q, want %q", m.Raw, left[0])
	}
	MustDo(t, c, "EXISTS", "s", Int(0))
}

// TestSetScan: SSCAN of a hash table in small steps visits every member
// present from the first call to the last, whatever is added and removed in
// between; an intset comes whole in one call.
func TestSetScan(t *testing.T) {
	c, _ := eventServer(t)
	var want []string
	for i := range 200 {
		m := "m" + strconv.Itoa(i)
		c.Do("SADD", "h", m)
		want = append(want, m)
	}
	seen := map[string]bool{}
	cursor := "0"
	for calls := 0; ; calls++ {
		r := c.Do("SSCAN", "h", cursor, "COUNT", "7")
		first := true
		r.ForEach(func(e resp.Reply) bool {
			if first {
				cursor, first = string(e.Data), false
				return true
			}
			e.ForEach(func(m resp.Reply) bool {
				seen[string(m.Data)] = true
				return true
			})
			return true
		})
		// Churn: add and remove other members.
		c.Do("SADD", "h", "x"+strconv.Itoa(calls))
		c.Do("SREM", "h", "x"+strconv.Itoa(calls-1))
		if cursor == "0" {
			break
		}
		if calls > 200 {
			t.Fatal("SSCAN does not end")
		}
	}
	for _, m := range want {
		if !seen[m] {
			t.Fatalf("SSCAN missed %q", m)
		}
	}
	MustDoAll(t, c, [][]string{
		{"SADD", "i", "3", "1", "2", Int(3)},
		{"SSCAN", "i", "0", "COUNT", "1", Arr(Bulk("0"), Strs("1", "2", "3"))},
		{"SREM", "h", "x" + strconv.Itoa(len(seen)), Int(0)},
	})
	// MATCH filters what COUNT visits: a scan of all with one match.
	MustDo(t, c, "DEL", "h", Int(1))
	MustDo(t, c, "SADD", "h", "abc", "x", "y", Int(3))
	MustDo(t, c, "SSCAN", "h", "0", "MATCH", "a*", "COUNT", "100", Arr(Bulk("0"), Strs("abc")))
}

// TestSetWatch: a set write invalidates a WATCH; a no-op does not.
func TestSetWatch(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SADD", "s", "a", Int(1)},
		{"WATCH", "s", OK},
		{"SADD", "s", "a", Int(0)},
		{"MULTI", OK},
		{"SCARD", "s", Status("QUEUED")},
		{"EXEC", Arr(Int(1))},
		{"WATCH", "s", OK},
		{"SADD", "s", "b", Int(1)},
		{"MULTI", OK},
		{"SCARD", "s", Status("QUEUED")},
		{"EXEC", NilArray},
	})
}

func TestSetResp3(t *testing.T) {
	c, _ := eventServer(t)
	c.Hello3()
	MustDoAll(t, c, [][]string{
		{"SADD", "s", "2", "1", Int(2)},
		{"SMEMBERS", "s", Set3(Bulk("1"), Bulk("2"))},
		{"SMEMBERS", "nokey", Set3()},
		{"SINTER", "s", "s", Set3(Bulk("1"), Bulk("2"))},
		{"SUNION", "s", "nokey", Set3(Bulk("1"), Bulk("2"))},
		{"SDIFF", "s", "nokey", Set3(Bulk("1"), Bulk("2"))},
		{"SRANDMEMBER", "s", "5", Strs("1", "2")},
		{"SRANDMEMBER", "nokey", Null},
		{"SMISMEMBER", "s", "1", "3", Arr(Int(1), Int(0))},
		{"SPOP", "nokey", "1", Set3()},
		{"SPOP", "s", "2", Set3(Bulk("1"), Bulk("2"))},
		{"SPOP", "nokey", Null},
	})
}
