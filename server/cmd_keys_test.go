package server_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
)

// Every expected reply below is what redis-server 7.0.15 answers.

// keysExpectEvents checks the events recorded since the last check.
func keysExpectEvents(t *testing.T, rec *eventRecorder, want ...string) {
	t.Helper()
	if got := rec.takeLines(); !slices.Equal(got, want) {
		t.Fatalf("events:\n got %q\nwant %q", got, want)
	}
}

// keysList returns the bulk strings of an array reply.
func keysList(r resp.Reply) []string {
	var out []string
	r.ForEach(func(e resp.Reply) bool {
		out = append(out, string(e.Data))
		return true
	})
	return out
}

// keysSorted returns the sorted bulk strings of a command's array reply.
func keysSorted(t *testing.T, c *Conn, args ...string) []string {
	t.Helper()
	out := keysList(c.Do(args...))
	slices.Sort(out)
	return out
}

// keysScanAll runs a whole SCAN iteration with the given options and
// returns the keys seen, sorted, without duplicates.
func keysScanAll(t *testing.T, c *Conn, opts ...string) []string {
	t.Helper()
	var all []string
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > 10000 {
			t.Fatal("SCAN does not terminate")
		}
		var parts []resp.Reply
		c.Do(append([]string{"SCAN", cursor}, opts...)...).ForEach(func(e resp.Reply) bool {
			parts = append(parts, e)
			return true
		})
		if len(parts) != 2 {
			t.Fatalf("SCAN reply has %d elements", len(parts))
		}
		all = append(all, keysList(parts[1])...)
		cursor = string(parts[0].Data)
		if cursor == "0" {
			break
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// keysInfoField returns a field of INFO's output.
func keysInfoField(t *testing.T, c *Conn, section, field string) string {
	t.Helper()
	for _, line := range strings.Split(string(c.Do("INFO", section).Data), "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO %s has no %s", section, field)
	return ""
}

func TestKeysDelExistsType(t *testing.T) {
	c, rec := eventServer(t)
	MustDo(t, c, "SET", "s", "v", OK)
	MustDo(t, c, "HSET", "h", "f", "v", Int(1))
	MustDo(t, c, "SET", "x", "1", OK)
	MustDo(t, c, "SET", "y", "1", OK)
	rec.takeLines()

	MustDo(t, c, "EXISTS", "s", "s", "nokey", "h", Int(3))
	MustDo(t, c, "EXISTS", "nokey", Int(0))
	MustDo(t, c, "TYPE", "s", Status("string"))
	MustDo(t, c, "TYPE", "h", Status("hash"))
	MustDo(t, c, "TYPE", "nokey", Status("none"))
	MustDo(t, c, "DEL", Err("ERR wrong number of arguments for 'del' command"))
	MustDo(t, c, "EXISTS", Err("ERR wrong number of arguments for 'exists' command"))
	MustDo(t, c, "TYPE", "a", "b", Err("ERR wrong number of arguments for 'type' command"))
	keysExpectEvents(t, rec)

	// A key named twice is deleted once.
	MustDo(t, c, "DEL", "s", "nokey", "h", "s", Int(2))
	keysExpectEvents(t, rec, "0 del s", "0 del h")
	MustDo(t, c, "UNLINK", "x", "y", "x", Int(2))
	keysExpectEvents(t, rec, "0 del x", "0 del y")
	MustDo(t, c, "DEL", "s", Int(0))
	MustDo(t, c, "EXISTS", "s", "h", "x", Int(0))
	MustDo(t, c, "DBSIZE", Int(0))
	keysExpectEvents(t, rec)
}

func TestKeysKeys(t *testing.T) {
	c, _ := eventServer(t)
	MustDo(t, c, "KEYS", "*", Arr())
	for _, k := range []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "A", "a"} {
		MustDo(t, c, "SET", k, "v", OK)
	}
	MustDo(t, c, "HSET", "hash", "f", "v", Int(1))
	tests := []struct {
		pattern string
		want    []string
	}{
		{"*", []string{"A", "a", "a*b", "hallo", "hash", "heeeello", "hello", "hllo", "hxllo"}},
		{"h?llo", []string{"hallo", "hello", "hxllo"}},
		{"h*llo", []string{"hallo", "heeeello", "hello", "hllo", "hxllo"}},
		{"h[ae]llo", []string{"hallo", "hello"}},
		{"h[^e]llo", []string{"hallo", "hxllo"}},
		{"h[a-b]llo", []string{"hallo"}},
		{`a\*b`, []string{"a*b"}},
		{"a", []string{"a"}}, // case-sensitive
		{"nomatch*", nil},
	}
	for _, tt := range tests {
		if got := keysSorted(t, c, "KEYS", tt.pattern); !slices.Equal(got, tt.want) {
			t.Errorf("KEYS %s = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	MustDo(t, c, "KEYS", Err("ERR wrong number of arguments for 'keys' command"))
}

func TestKeysScan(t *testing.T) {
	c, _ := eventServer(t)
	MustDo(t, c, "SCAN", "0", Arr(Bulk("0"), Arr()))
	var all []string
	for i := 0; i < 200; i++ {
		k := "key:" + strconv.Itoa(i)
		MustDo(t, c, "SET", k, "v", OK)
		all = append(all, k)
	}
	for i := 0; i < 5; i++ {
		k := "hash:" + strconv.Itoa(i)
		MustDo(t, c, "HSET", k, "f", "v", Int(1))
		all = append(all, k)
	}
	slices.Sort(all)

	if got := keysScanAll(t, c); !slices.Equal(got, all) {
		t.Errorf("SCAN saw %d keys, want %d", len(got), len(all))
	}
	if got := keysScanAll(t, c, "COUNT", "7"); !slices.Equal(got, all) {
		t.Errorf("SCAN COUNT 7 saw %d keys, want %d", len(got), len(all))
	}
	// COUNT bounds the keys visited per call.
	var parts []resp.Reply
	c.Do("SCAN", "0", "COUNT", "3").ForEach(func(e resp.Reply) bool {
		parts = append(parts, e)
		return true
	})
	if n := len(keysList(parts[1])); n < 1 || n > 3 || string(parts[0].Data) == "0" {
		t.Errorf("SCAN 0 COUNT 3: %d keys, cursor %s", n, parts[0].Data)
	}
	want := []string{"hash:0", "hash:1", "hash:2", "hash:3", "hash:4"}
	if got := keysScanAll(t, c, "TYPE", "hash", "COUNT", "13"); !slices.Equal(got, want) {
		t.Errorf("SCAN TYPE hash = %q", got)
	}
	if got := keysScanAll(t, c, "type", "HASH"); !slices.Equal(got, want) {
		t.Errorf("SCAN TYPE HASH = %q", got)
	}
	if got := keysScanAll(t, c, "MATCH", "key:1?", "COUNT", "1000"); len(got) != 10 || got[0] != "key:10" {
		t.Errorf("SCAN MATCH key:1? = %q", got)
	}
	// The last MATCH wins; MATCH and TYPE combine.
	if got := keysScanAll(t, c, "MATCH", "key:*", "MATCH", "hash:[12]", "TYPE", "hash"); !slices.Equal(got, []string{"hash:1", "hash:2"}) {
		t.Errorf("SCAN MATCH MATCH TYPE = %q", got)
	}
	if got := keysScanAll(t, c, "MATCH", "key:*", "TYPE", "hash"); len(got) != 0 {
		t.Errorf("SCAN MATCH key:* TYPE hash = %q", got)
	}
	// Redis 7.0 does not know list, nor reject unknown types: no match.
	if got := keysScanAll(t, c, "TYPE", "list"); len(got) != 0 {
		t.Errorf("SCAN TYPE list = %q", got)
	}
	if got := keysScanAll(t, c, "TYPE", "nosuch"); len(got) != 0 {
		t.Errorf("SCAN TYPE nosuch = %q", got)
	}

	// The whole keyspace in one call ends the iteration.
	r := c.Do("SCAN", "0", "COUNT", "1000", "MATCH", "hash:0")
	if string(r.Raw) != Arr(Bulk("0"), Strs("hash:0")) {
		t.Errorf("SCAN 0 COUNT 1000 MATCH hash:0 = %q", r.Raw)
	}

	// Cursors are parsed with strtoull.
	for _, cur := range []string{"-1", "18446744073709551615", "-18446744073709551615", "+5", "05", "-0", ""} {
		if r := c.Do("SCAN", cur); r.Type != '*' {
			t.Errorf("SCAN %q = %q", cur, r.Raw)
		}
	}
	tests := [][]string{
		{"SCAN", "abc", Err("ERR invalid cursor")},
		{"SCAN", "18446744073709551616", Err("ERR invalid cursor")},
		{"SCAN", "-18446744073709551616", Err("ERR invalid cursor")},
		{"SCAN", " 5", Err("ERR invalid cursor")},
		{"SCAN", "\t5", Err("ERR invalid cursor")},
		{"SCAN", "5 ", Err("ERR invalid cursor")},
		{"SCAN", "0x10", Err("ERR invalid cursor")},
		{"SCAN", "1.5", Err("ERR invalid cursor")},
		{"SCAN", "-", Err("ERR invalid cursor")},
		{"SCAN", "+", Err("ERR invalid cursor")},
		{"SCAN", "abc", "COUNT", "0", Err("ERR invalid cursor")},
		{"SCAN", "0", "COUNT", "0", Err("ERR syntax error")},
		{"SCAN", "0", "COUNT", "-1", Err("ERR syntax error")},
		{"SCAN", "0", "COUNT", "abc", Err("ERR value is not an integer or out of range")},
		{"SCAN", "0", "COUNT", "99999999999999999999", Err("ERR value is not an integer or out of range")},
		{"SCAN", "0", "COUNT", "0", "MATCH", Err("ERR syntax error")},
		{"SCAN", "0", "MATCH", Err("ERR syntax error")},
		{"SCAN", "0", "TYPE", Err("ERR syntax error")},
		{"SCAN", "0", "foo", "bar", Err("ERR syntax error")},
		{"SCAN", Err("ERR wrong number of arguments for 'scan' command")},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
}

func TestKeysRename(t *testing.T) {
	c, rec := eventServer(t)
	tests := [][]string{
		{"RENAME", "a", "b", Err("ERR no such key")},
		{"RENAMENX", "a", "b", Err("ERR no such key")},
		{"RENAME", "a", "a", Err("ERR no such key")},
		{"RENAMENX", "a", "a", Err("ERR no such key")},
		{"SET", "a", "1", OK},
		{"RENAME", "a", "a", OK},
		{"RENAMENX", "a", "a", Int(0)},
		{"SET", "b", "2", OK},
		{"RENAMENX", "a", "b", Int(0)},
		{"GET", "b", Bulk("2")},
		{"EXPIREAT", "a", "4000000000", Int(1)},
		{"RENAME", "a", "c", OK},
		{"EXISTS", "a", Int(0)},
		{"EXPIRETIME", "c", Int(4000000000)},
		{"RENAME", "c", "b", OK},
		{"GET", "b", Bulk("1")},
		{"EXPIRETIME", "b", Int(4000000000)},
		{"RENAMENX", "b", "d", Int(1)},
		{"EXPIRETIME", "d", Int(4000000000)},
		{"EXISTS", "b", "c", Int(0)},
		{"RENAME", "a", Err("ERR wrong number of arguments for 'rename' command")},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	// The destination's TTL goes away with its value.
	MustDo(t, c, "SET", "e", "v", "EX", "100", OK)
	MustDo(t, c, "PERSIST", "d", Int(1))
	rec.takeLines()
	MustDo(t, c, "RENAME", "d", "e", OK)
	MustDo(t, c, "TTL", "e", Int(-1))
	// Replacing a key fires no "del" for it.
	keysExpectEvents(t, rec, "0 rename_from d", "0 rename_to e")
	MustDo(t, c, "RENAME", "e", "e", OK)
	MustDo(t, c, "RENAMENX", "e", "e", Int(0))
	keysExpectEvents(t, rec)

	// A hash moves whole.
	MustDo(t, c, "HSET", "h", "f1", "v1", "f2", "v2", Int(2))
	MustDo(t, c, "RENAME", "h", "h2", OK)
	MustDo(t, c, "HGETALL", "h2", Strs("f1", "v1", "f2", "v2"))
}

func TestKeysCopy(t *testing.T) {
	c, rec := eventServer(t)
	MustDo(t, c, "SET", "b", "1", OK)
	MustDo(t, c, "EXPIREAT", "b", "4000000000", Int(1))
	rec.takeLines()
	tests := [][]string{
		{"COPY", "b", "b", Err("ERR source and destination objects are the same")},
		{"COPY", "nokey", "nokey", Err("ERR source and destination objects are the same")},
		{"COPY", "nokey", "x", Int(0)},
		{"COPY", "b", "x", Int(1)},
		{"EXPIRETIME", "x", Int(4000000000)},
		{"COPY", "b", "x", Int(0)},
		{"COPY", "b", "x", "replace", Int(1)},
		{"COPY", "b", "x", "db", Err("ERR syntax error")},
		{"COPY", "b", "x", "db", "1", "db", Err("ERR syntax error")},
		{"COPY", "b", "x", "replace", "db", Err("ERR syntax error")},
		{"COPY", "b", "x", "foo", Err("ERR syntax error")},
		{"COPY", "b", "x", "db", "abc", Err("ERR value is not an integer or out of range")},
		{"COPY", "b", "x", "db", "99999999999999999999", Err("ERR value is not an integer or out of range")},
		{"COPY", "b", "x", "db", "99999999999", Err("ERR value is out of range, value must between -2147483648 and 2147483647")},
		{"COPY", "b", "x", "db", "16", Err("ERR DB index is out of range")},
		{"COPY", "b", "x", "db", "-1", Err("ERR DB index is out of range")},
		{"COPY", "nokey", "x", "db", "99", Err("ERR DB index is out of range")},
		// Options are checked in order.
		{"COPY", "b", "x", "db", "16", "foo", Err("ERR DB index is out of range")},
		{"COPY", "b", "x", "foo", "db", "16", Err("ERR syntax error")},
		{"COPY", "b", "b", "db", "16", Err("ERR DB index is out of range")},
		{"COPY", "b", "b", "foo", Err("ERR syntax error")},
		{"COPY", "b", "b", "db", "0", Err("ERR source and destination objects are the same")},
		{"COPY", "b", "b", "db", "0", "replace", Err("ERR source and destination objects are the same")},
		{"COPY", "b", "b", "db", "1", Int(1)},
		{"COPY", "b", "b", "db", "1", Int(0)},
		{"COPY", "b", "y", "REPLACE", "replace", "db", "1", "DB", "2", Int(1)},
		{"SELECT", "2", OK},
		{"GET", "y", Bulk("1")},
		{"EXPIRETIME", "y", Int(4000000000)},
		{"SELECT", "1", OK},
		{"GET", "b", Bulk("1")},
		{"SELECT", "0", OK},
		{"COPY", "b", Err("ERR wrong number of arguments for 'copy' command")},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	keysExpectEvents(t, rec, "0 copy_to x", "0 copy_to x", "1 copy_to b", "2 copy_to y")

	// A hash is copied deeply; the copy has no TTL when the source has none.
	MustDo(t, c, "HSET", "h", "f1", "v1", "f2", "v2", Int(2))
	MustDo(t, c, "SET", "h2", "old", "EX", "100", OK)
	MustDo(t, c, "COPY", "h", "h2", "REPLACE", Int(1))
	MustDo(t, c, "TTL", "h2", Int(-1))
	MustDo(t, c, "HSET", "h2", "f3", "v3", Int(1))
	MustDo(t, c, "HDEL", "h", "f1", Int(1))
	MustDo(t, c, "HGETALL", "h", Strs("f2", "v2"))
	MustDo(t, c, "HGETALL", "h2", Strs("f1", "v1", "f2", "v2", "f3", "v3"))
	// So is a string's encoding.
	MustDo(t, c, "SET", "r", "12", OK)
	MustDo(t, c, "APPEND", "r", "3", Int(3))
	MustDo(t, c, "COPY", "r", "r2", Int(1))
	MustDo(t, c, "OBJECT", "ENCODING", "r2", Bulk("raw"))
	MustDo(t, c, "COPY", "b", "b2", Int(1))
	MustDo(t, c, "OBJECT", "ENCODING", "b2", Bulk("int"))
}

func TestKeysMove(t *testing.T) {
	c, rec := eventServer(t)
	MustDo(t, c, "SET", "k", "v", "EX", "100", OK)
	MustDo(t, c, "SELECT", "1", OK)
	MustDo(t, c, "SET", "taken", "1", OK)
	MustDo(t, c, "SELECT", "0", OK)
	MustDo(t, c, "SET", "taken", "0", OK)
	rec.takeLines()
	tests := [][]string{
		{"MOVE", "k", "0", Err("ERR source and destination objects are the same")},
		{"MOVE", "nokey", "0", Err("ERR source and destination objects are the same")},
		{"MOVE", "k", "16", Err("ERR DB index is out of range")},
		{"MOVE", "k", "-1", Err("ERR DB index is out of range")},
		{"MOVE", "k", "abc", Err("ERR value is not an integer or out of range")},
		{"MOVE", "k", "99999999999", Err("ERR value is out of range, value must between -2147483648 and 2147483647")},
		{"MOVE", "k", "99999999999999999999", Err("ERR value is not an integer or out of range")},
		{"MOVE", "nokey", "1", Int(0)},
		{"MOVE", "taken", "1", Int(0)},
		{"GET", "taken", Bulk("0")},
		{"MOVE", "k", "1", Int(1)},
		{"EXISTS", "k", Int(0)},
		{"SELECT", "1", OK},
		{"GET", "k", Bulk("v")},
		{"TTL", "k", Int(100)},
		{"GET", "taken", Bulk("1")},
		{"MOVE", "k", Err("ERR wrong number of arguments for 'move' command")},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	keysExpectEvents(t, rec, "0 move_from k", "1 move_to k")
}

func TestKeysExpire(t *testing.T) {
	c, rec := eventServer(t)
	MustDo(t, c, "SET", "k", "v", OK)
	rec.takeLines()
	tests := [][]string{
		// Options are checked before the time, the time before the key.
		{"EXPIRE", "k", "10", "nx", "xx", Err("ERR NX and XX, GT or LT options at the same time are not compatible")},
		{"EXPIRE", "k", "10", "NX", "GT", Err("ERR NX and XX, GT or LT options at the same time are not compatible")},
		{"EXPIRE", "k", "10", "lt", "nx", Err("ERR NX and XX, GT or LT options at the same time are not compatible")},
		{"EXPIRE", "k", "10", "gt", "lt", Err("ERR GT and LT options at the same time are not compatible")},
		{"EXPIRE", "k", "10", "foo", Err("ERR Unsupported option foo")},
		{"EXPIRE", "k", "abc", "foo", Err("ERR Unsupported option foo")},
		{"EXPIRE", "k", "abc", "nx", "xx", Err("ERR NX and XX, GT or LT options at the same time are not compatible")},
		{"EXPIRE", "k", "abc", Err("ERR value is not an integer or out of range")},
		{"EXPIRE", "k", "1.5", Err("ERR value is not an integer or out of range")},
		{"EXPIRE", "nokey", "99999999999999999999", Err("ERR value is not an integer or out of range")},
		{"EXPIRE", "nokey", "10", "nx", "xx", Err("ERR NX and XX, GT or LT options at the same time are not compatible")},
		{"EXPIRE", "k", "9223372036854775807", Err("ERR invalid expire time in 'expire' command")},
		{"EXPIRE", "k", "9223372036854775", Err("ERR invalid expire time in 'expire' command")},
		{"EXPIRE", "k", "9223372036854776", Err("ERR invalid expire time in 'expire' command")},
		{"EXPIRE", "k", "-9223372036854776", Err("ERR invalid expire time in 'expire' command")},
		{"PEXPIRE", "k", "9223372036854775807", Err("ERR invalid expire time in 'pexpire' command")},
		{"EXPIREAT", "k", "9223372036854775807", Err("ERR invalid expire time in 'expireat' command")},
		{"EXPIREAT", "k", "-9223372036854776", Err("ERR invalid expire time in 'expireat' command")},
		{"EXPIRE", "k", Err("ERR wrong number of arguments for 'expire' command")},
		{"EXPIRE", "nokey", "10", Int(0)},
		{"PEXPIRE", "nokey", "10", Int(0)},
		{"EXPIREAT", "nokey", "4000000000", Int(0)},
		{"PEXPIREAT", "nokey", "4000000000000", Int(0)},
		{"TTL", "k", Int(-1)},
		{"PTTL", "k", Int(-1)},
		{"EXPIRETIME", "k", Int(-1)},
		{"PEXPIRETIME", "k", Int(-1)},
		{"TTL", "nokey", Int(-2)},
		{"PTTL", "nokey", Int(-2)},
		{"EXPIRETIME", "nokey", Int(-2)},
		{"PEXPIRETIME", "nokey", Int(-2)},

		// No TTL counts as an infinite one for GT and LT.
		{"EXPIRE", "k", "100", "gt", Int(0)},
		{"EXPIRE", "k", "100", "xx", Int(0)},
		{"TTL", "k", Int(-1)},
		{"EXPIRE", "k", "100", "lt", Int(1)},
		{"TTL", "k", Int(100)},
		{"EXPIRE", "k", "50", "gt", Int(0)},
		{"EXPIRE", "k", "200", "GT", Int(1)},
		{"TTL", "k", Int(200)},
		{"EXPIRE", "k", "300", "lt", Int(0)},
		{"EXPIRE", "k", "100", "LT", Int(1)},
		{"EXPIRE", "k", "100", "nx", Int(0)},
		{"EXPIRE", "k", "100", "xx", Int(1)},
		{"PERSIST", "k", Int(1)},
		{"PERSIST", "k", Int(0)},
		{"PERSIST", "nokey", Int(0)},
		{"EXPIRE", "k", "100", "nx", Int(1)},
		{"EXPIRE", "k", "200", "xx", "gt", Int(1)},
		{"EXPIRE", "k", "100", "lt", "lt", Int(1)},

		// Absolute times, rounded to the nearest second.
		{"EXPIREAT", "k", "4000000000", Int(1)},
		{"EXPIRETIME", "k", Int(4000000000)},
		{"PEXPIRETIME", "k", Int(4000000000000)},
		{"PEXPIREAT", "k", "4000000000499", Int(1)},
		{"EXPIRETIME", "k", Int(4000000000)},
		{"PEXPIREAT", "k", "4000000000500", Int(1)},
		{"EXPIRETIME", "k", Int(4000000001)},
		{"PEXPIRETIME", "k", Int(4000000000500)},
		{"PEXPIREAT", "k", "9223372036854775807", Int(1)},
		{"PEXPIRETIME", "k", Int(9223372036854775807)},
		{"EXPIRETIME", "k", Int(9223372036854776)},
		{"EXPIREAT", "k", "9223372036854775", Int(1)},
		{"PEXPIRETIME", "k", Int(9223372036854775000)},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	keysExpectEvents(t, rec,
		"0 expire k", "0 expire k", "0 expire k", "0 expire k", "0 persist k",
		"0 expire k", "0 expire k", "0 expire k",
		"0 expire k", "0 expire k", "0 expire k", "0 expire k", "0 expire k")

	// TTL rounds to the nearest second.
	MustDo(t, c, "PEXPIRE", "k", "1499", Int(1))
	MustDo(t, c, "TTL", "k", Int(1))
	MustDo(t, c, "PEXPIRE", "k", "2600", Int(1))
	MustDo(t, c, "TTL", "k", Int(3))
	MustDo(t, c, "PEXPIRE", "k", "100000", Int(1))
	if ms := c.Do("PTTL", "k").Int(); ms <= 99000 || ms > 100000 {
		t.Errorf("PTTL = %d", ms)
	}
	rec.takeLines()

	// A time in the past deletes the key, with a "del" event.
	for _, args := range [][]string{
		{"EXPIRE", "k", "0"},
		{"EXPIRE", "k", "-5"},
		{"PEXPIRE", "k", "-1"},
		{"EXPIREAT", "k", "1"},
		{"PEXPIREAT", "k", "-9223372036854775808"},
		{"EXPIREAT", "k", "-9223372036854775"},
	} {
		MustDo(t, c, "SET", "k", "v", OK)
		rec.takeLines()
		MustDo(t, c, append(args, Int(1))...)
		MustDo(t, c, "EXISTS", "k", Int(0))
		keysExpectEvents(t, rec, "0 del k")
	}
	// ...unless a condition fails first.
	MustDo(t, c, "SET", "k", "v", OK)
	MustDo(t, c, "EXPIRE", "k", "-1", "XX", Int(0))
	MustDo(t, c, "EXPIRE", "k", "-1", "GT", Int(0))
	MustDo(t, c, "EXPIRE", "k", "100", Int(1))
	MustDo(t, c, "EXPIRE", "k", "-1", "NX", Int(0))
	MustDo(t, c, "EXPIRE", "k", "-1", "GT", Int(0))
	MustDo(t, c, "EXPIRE", "k", "-1", "LT", Int(1))
	MustDo(t, c, "EXISTS", "k", Int(0))

	// Writing the value drops the TTL, as SET does.
	MustDo(t, c, "SET", "k", "v", "EX", "100", OK)
	MustDo(t, c, "SET", "k", "w", OK)
	MustDo(t, c, "TTL", "k", Int(-1))
}

// TestKeysLazyExpiry checks that an expired key never shows, with active
// expiry off: each command expires what it finds, as Redis 7.0 does.
func TestKeysLazyExpiry(t *testing.T) {
	c, rec := eventServer(t)
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0", OK)
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"} {
		MustDo(t, c, "SET", k, "v", "PX", "10", OK)
	}
	MustDo(t, c, "HSET", "hash", "f", "v", Int(1))
	MustDo(t, c, "PEXPIRE", "hash", "10", Int(1))
	MustDo(t, c, "SET", "live", "v", OK)
	time.Sleep(50 * time.Millisecond)
	MustDo(t, c, "CONFIG", "RESETSTAT", OK)
	rec.takeLines()

	// DBSIZE counts the expired keys still there; KEYS skips them, without
	// deleting them.
	MustDo(t, c, "DBSIZE", Int(16))
	MustDo(t, c, "KEYS", "*", Strs("live"))
	MustDo(t, c, "DBSIZE", Int(16))
	keysExpectEvents(t, rec)

	tests := [][]string{
		{"EXISTS", "a", "live", Int(1)},
		{"TYPE", "b", Status("none")},
		{"TTL", "c", Int(-2)},
		{"PTTL", "d", Int(-2)},
		{"EXPIRETIME", "e", Int(-2)},
		{"OBJECT", "ENCODING", "f", Nil},
		{"DEL", "g", Int(0)},
		{"UNLINK", "h", Int(0)},
		{"EXPIRE", "i", "100", Int(0)},
		{"PERSIST", "j", Int(0)},
		{"RENAME", "k", "x", Err("ERR no such key")},
		{"COPY", "l", "x", Int(0)},
		{"MOVE", "m", "1", Int(0)},
		{"TOUCH", "n", Int(0)},
		{"HGETALL", "hash", Arr()},
		{"DBSIZE", Int(1)},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	var want []string
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "hash"} {
		want = append(want, "0 expired "+k)
	}
	keysExpectEvents(t, rec, want...)
	// The read lookups count: EXISTS a live, TYPE, TTL, PTTL, EXPIRETIME,
	// OBJECT, COPY, TOUCH, HGETALL. DEL, EXPIRE, RENAME... are writes.
	if got := keysInfoField(t, c, "stats", "keyspace_misses"); got != "9" {
		t.Errorf("keyspace_misses = %s, want 9", got)
	}
	if got := keysInfoField(t, c, "stats", "keyspace_hits"); got != "1" {
		t.Errorf("keyspace_hits = %s, want 1", got)
	}
	if got := keysInfoField(t, c, "stats", "expired_keys"); got != "15" {
		t.Errorf("expired_keys = %s, want 15", got)
	}

	// RANDOMKEY expires the expired keys it draws.
	for _, k := range []string{"a", "b", "c", "d"} {
		MustDo(t, c, "SET", k, "v", "PX", "10", OK)
	}
	time.Sleep(50 * time.Millisecond)
	rec.takeLines()
	for i := 0; i < 20; i++ {
		MustDo(t, c, "RANDOMKEY", Bulk("live"))
	}
	left := int(c.Do("DBSIZE").Int())
	if got := rec.takeLines(); len(got) != 5-left {
		t.Errorf("RANDOMKEY fired %q, DBSIZE is %d", got, left)
	}
	MustDo(t, c, "SET", "a", "v", "PX", "10", OK)
	MustDo(t, c, "DEL", "live", Int(1))
	time.Sleep(50 * time.Millisecond)
	MustDo(t, c, "RANDOMKEY", Nil)
	MustDo(t, c, "DBSIZE", Int(0))

	// SCAN expires what it visits. With TYPE, Redis 7.0 looks the key up
	// for its type first, which expires it: its type is then "none", and
	// SCAN ... TYPE none lists it.
	for _, k := range []string{"a", "b", "c"} {
		MustDo(t, c, "SET", k, "v", "PX", "10", OK)
	}
	MustDo(t, c, "SET", "live", "v", OK)
	time.Sleep(50 * time.Millisecond)
	rec.takeLines()
	if got := keysScanAll(t, c, "MATCH", "[ab]", "TYPE", "none"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("SCAN TYPE none = %q", got)
	}
	MustDo(t, c, "DBSIZE", Int(2))
	if got := keysScanAll(t, c); !slices.Equal(got, []string{"live"}) {
		t.Errorf("SCAN = %q", got)
	}
	MustDo(t, c, "DBSIZE", Int(1))
	if got := rec.takeLines(); len(got) != 3 {
		t.Errorf("SCAN fired %q", got)
	}
}

// TestKeysActiveExpiry checks that the server's cron removes expired keys
// that nobody reads.
func TestKeysActiveExpiry(t *testing.T) {
	c, rec := eventServer(t)
	for i := 0; i < 200; i++ {
		MustDo(t, c, "SET", "k"+strconv.Itoa(i), "v", "PX", "50", OK)
	}
	MustDo(t, c, "HSET", "h", "f", "v", Int(1))
	MustDo(t, c, "PEXPIRE", "h", "50", Int(1))
	MustDo(t, c, "SET", "live", "v", OK)
	rec.takeLines()
	// The cron (hz 10) removes them within a few of its runs once they
	// expire, 50 ms from now; DBSIZE counts a key until then, and expires
	// nothing itself. A minute is a liveness bound, for a busy machine.
	for deadline := time.Now().Add(time.Minute); c.Do("DBSIZE").Int() != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("DBSIZE %d a minute after the keys expired", c.Do("DBSIZE").Int())
		}
	}
	if got := keysInfoField(t, c, "stats", "expired_keys"); got != "201" {
		t.Errorf("expired_keys = %s, want 201", got)
	}
	if got := rec.takeLines(); len(got) != 201 || !strings.HasPrefix(got[0], "0 expired ") {
		t.Errorf("%d events, first %q", len(got), got[:min(len(got), 1)])
	}
}

// idleSince checks OBJECT IDLETIME of a key last accessed at or after
// since: it counts whole seconds of the server's clock, so it is 0 unless
// a second boundary has passed since then, and never more than the
// boundaries passed.
func idleSince(t *testing.T, c *Conn, key string, since time.Time) {
	t.Helper()
	got := c.Do("OBJECT", "IDLETIME", key).Int()
	if passed := time.Now().Unix() - since.Unix(); got < 0 || got > passed {
		t.Fatalf("OBJECT IDLETIME %s = %d, accessed %d second boundaries ago at most", key, got, passed)
	}
}

func TestKeysTouchAndIdletime(t *testing.T) {
	c, _ := eventServer(t)
	set := time.Now()
	MustDo(t, c, "SET", "k", "v", OK)
	MustDo(t, c, "SET", "k2", "v", OK)
	MustDo(t, c, "TOUCH", "k", "k", "nokey", Int(2))
	MustDo(t, c, "TOUCH", Err("ERR wrong number of arguments for 'touch' command"))
	idleSince(t, c, "k", set)
	MustDo(t, c, "OBJECT", "IDLETIME", "nokey", Nil)

	time.Sleep(1100 * time.Millisecond)
	// EXISTS, TYPE, TTL and OBJECT do not touch the key.
	for _, args := range [][]string{{"EXISTS", "k"}, {"TYPE", "k"}, {"TTL", "k"}, {"OBJECT", "ENCODING", "k"}, {"OBJECT", "IDLETIME", "k"}} {
		c.Do(args...)
	}
	if idle := c.Do("OBJECT", "IDLETIME", "k").Int(); idle < 1 {
		t.Fatalf("OBJECT IDLETIME = %d after 1.1s", idle)
	}
	// TOUCH touches, even for a client in NO-TOUCH mode; GET does not then.
	MustDo(t, c, "CLIENT", "NO-TOUCH", "ON", OK)
	MustDo(t, c, "GET", "k2", Bulk("v"))
	if idle := c.Do("OBJECT", "IDLETIME", "k2").Int(); idle < 1 {
		t.Fatalf("OBJECT IDLETIME = %d after GET in NO-TOUCH mode", idle)
	}
	touched := time.Now()
	MustDo(t, c, "TOUCH", "k", "k2", Int(2))
	idleSince(t, c, "k", touched)
	idleSince(t, c, "k2", touched)
}

func TestKeysObject(t *testing.T) {
	c, _ := eventServer(t)
	setI := time.Now()
	MustDo(t, c, "SET", "i", "5", OK)
	MustDo(t, c, "SET", "max", "9999", OK)
	MustDo(t, c, "SET", "big", "10000", OK)
	MustDo(t, c, "SET", "neg", "-1", OK)
	MustDo(t, c, "SET", "zero", "09", OK)
	MustDo(t, c, "SET", "s", "hello", OK)
	MustDo(t, c, "SET", "long", strings.Repeat("x", 45), OK)
	MustDo(t, c, "HSET", "h", "f", "v", Int(1))
	tests := [][]string{
		{"OBJECT", "ENCODING", "i", Bulk("int")},
		{"OBJECT", "ENCODING", "neg", Bulk("int")},
		{"OBJECT", "ENCODING", "zero", Bulk("embstr")},
		{"OBJECT", "ENCODING", "s", Bulk("embstr")},
		{"OBJECT", "ENCODING", "long", Bulk("raw")},
		{"OBJECT", "ENCODING", "h", Bulk("listpack")},
		{"OBJECT", "ENCODING", "nokey", Nil},
		// The integers 0..9999 are shared objects.
		{"OBJECT", "REFCOUNT", "i", Int(2147483647)},
		{"OBJECT", "REFCOUNT", "max", Int(2147483647)},
		{"OBJECT", "REFCOUNT", "big", Int(1)},
		{"OBJECT", "REFCOUNT", "neg", Int(1)},
		{"OBJECT", "REFCOUNT", "zero", Int(1)},
		{"OBJECT", "REFCOUNT", "s", Int(1)},
		{"OBJECT", "REFCOUNT", "h", Int(1)},
		{"OBJECT", "REFCOUNT", "nokey", Nil},
		{"OBJECT", "FREQ", "nokey", Nil},
		{"OBJECT", "FREQ", "i", Err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")},
		{"OBJECT", Err("ERR wrong number of arguments for 'object' command")},
		{"OBJECT", "foo", Err("ERR unknown subcommand 'foo'. Try OBJECT HELP.")},
		{"OBJECT", "ENCODING", Err("ERR wrong number of arguments for 'object|encoding' command")},
		{"OBJECT", "ENCODING", "a", "b", Err("ERR wrong number of arguments for 'object|encoding' command")},
		{"OBJECT", "HELP", "x", Err("ERR wrong number of arguments for 'object|help' command")},

		// Under LFU, IDLETIME is not tracked; keys stay shared integers
		// without maxmemory.
		{"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", OK},
		{"OBJECT", "IDLETIME", "i", Err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")},
		{"OBJECT", "IDLETIME", "nokey", Nil},
		{"OBJECT", "REFCOUNT", "i", Int(2147483647)},
		// With maxmemory and an LRU or LFU policy, Redis shares no integer.
		{"CONFIG", "SET", "maxmemory", "1000000000", OK},
		{"OBJECT", "REFCOUNT", "i", Int(1)},
		{"CONFIG", "SET", "maxmemory-policy", "volatile-lru", OK},
		{"OBJECT", "REFCOUNT", "i", Int(1)},
	}
	for _, tt := range tests {
		MustDo(t, c, tt...)
	}
	// Tracked again under an LRU policy: nothing touched i since its SET.
	idleSince(t, c, "i", setI)
	MustDo(t, c, "CONFIG", "SET", "maxmemory-policy", "allkeys-random", OK)
	MustDo(t, c, "OBJECT", "REFCOUNT", "i", Int(2147483647))
	MustDo(t, c, "CONFIG", "SET", "maxmemory-policy", "volatile-lfu", OK)
	MustDo(t, c, "SET", "new", "v", OK)
	if f := c.Do("OBJECT", "FREQ", "new").Int(); f < 0 || f > 255 {
		t.Errorf("OBJECT FREQ = %d", f)
	}

	MustDo(t, c, "OBJECT", "HELP", Arr(
		Status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
		Status("ENCODING <key>"),
		Status("    Return the kind of internal representation used in order to store the value"),
		Status("    associated with a <key>."),
		Status("FREQ <key>"),
		Status("    Return the access frequency index of the <key>. The returned integer is"),
		Status("    proportional to the logarithm of the recent access frequency of the key."),
		Status("IDLETIME <key>"),
		Status("    Return the idle time of the <key>, that is the approximated number of"),
		Status("    seconds elapsed since the last access to the key."),
		Status("REFCOUNT <key>"),
		Status("    Return the number of references of the value associated with the specified"),
		Status("    <key>."),
		Status("HELP"),
		Status("    Prints this help."),
	))
}

func TestKeysRandomkey(t *testing.T) {
	c, _ := eventServer(t)
	MustDo(t, c, "RANDOMKEY", Nil)
	MustDo(t, c, "RANDOMKEY", "x", Err("ERR wrong number of arguments for 'randomkey' command"))
	keys := map[string]bool{}
	for i := 0; i < 10; i++ {
		k := "k" + strconv.Itoa(i)
		MustDo(t, c, "SET", k, "v", OK)
		keys[k] = true
	}
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		k := string(c.Do("RANDOMKEY").Data)
		if !keys[k] {
			t.Fatalf("RANDOMKEY = %q", k)
		}
		seen[k] = true
	}
	if len(seen) < 2 {
		t.Errorf("RANDOMKEY always answers %v", seen)
	}
}

func TestKeysResp3(t *testing.T) {
	c, _ := eventServer(t)
	c.Hello3()
	MustDo(t, c, "RANDOMKEY", Null)
	MustDo(t, c, "OBJECT", "ENCODING", "nokey", Null)
	MustDo(t, c, "OBJECT", "REFCOUNT", "nokey", Null)
	MustDo(t, c, "SET", "k", "v", OK)
	MustDo(t, c, "SCAN", "0", Arr(Bulk("0"), Strs("k")))
	MustDo(t, c, "KEYS", "*", Strs("k"))
	MustDo(t, c, "TYPE", "k", Status("string"))
}
