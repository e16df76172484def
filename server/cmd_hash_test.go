package server_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Every expected reply below is what redis-server 7.0.15 answers (started
// with hash-max-listpack-entries/value large enough for every hash to stay
// a listpack, whose order this server always has).

const hashWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

// hashStrings returns the bulk strings of an array reply (RESP2 parser; RESP3
// arrays of bulk strings read the same).
func hashStrings(t *testing.T, c *Conn, args ...string) []string {
	t.Helper()
	r := c.Do(args...)
	if r.Type != '*' {
		t.Fatalf("%q: not an array: %q", args, r.Raw)
	}
	var out []string
	r.ForEach(func(e resp.Reply) bool {
		out = append(out, string(e.Data))
		return true
	})
	return out
}

func TestHashSetAndRead(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		// Odd pairs are an arity error, before the type is checked.
		{"HSET", "h", "a", "1", "b", Err("ERR wrong number of arguments for 'hset' command")},
		{"HSET", "s", "a", "1", "b", Err("ERR wrong number of arguments for 'hset' command")},
		{"HMSET", "h", "a", "1", "b", Err("ERR wrong number of arguments for 'hmset' command")},
		{"HSET", "h", "a", Err("ERR wrong number of arguments for 'hset' command")},
		{"HMSET", "h", "a", Err("ERR wrong number of arguments for 'hmset' command")},
		{"HSETNX", "h", "a", Err("ERR wrong number of arguments for 'hsetnx' command")},
		{"HSET", "s", "a", "1", Err(hashWrongType)},
		{"HMSET", "s", "a", "1", Err(hashWrongType)},
		{"HSETNX", "s", "a", "1", Err(hashWrongType)},
		{"EXISTS", "h", Int(0)},

		// A repeated field counts once; the last value wins.
		{"HSET", "h", "a", "1", "b", "2", "a", "3", Int(2)},
		{"HSET", "h", "c", "4", "a", "5", Int(1)},
		{"HMSET", "h", "d", "", OK},
		{"HSETNX", "h", "a", "9", Int(0)},
		{"HSETNX", "h", "z", "9", Int(1)},
		{"HSETNX", "new", "f", "v", Int(1)},
		{"HGETALL", "h", Strs("a", "5", "b", "2", "c", "4", "d", "", "z", "9")},
		{"HKEYS", "h", Strs("a", "b", "c", "d", "z")},
		{"HVALS", "h", Strs("5", "2", "4", "", "9")},
		{"HLEN", "h", Int(5)},
		{"HGET", "h", "a", Bulk("5")},
		{"HGET", "h", "d", Bulk("")},
		{"HGET", "h", "nope", Nil},
		{"HMGET", "h", "a", "nope", "z", Arr(Bulk("5"), Nil, Bulk("9"))},
		{"HEXISTS", "h", "d", Int(1)},
		{"HEXISTS", "h", "nope", Int(0)},
		{"HSTRLEN", "h", "a", Int(1)},
		{"HSTRLEN", "h", "d", Int(0)},
		{"HSTRLEN", "h", "nope", Int(0)},
		{"TYPE", "h", Status("hash")},

		// Missing keys.
		{"HGET", "nokey", "a", Nil},
		{"HMGET", "nokey", "a", "b", Arr(Nil, Nil)},
		{"HGETALL", "nokey", Arr()},
		{"HKEYS", "nokey", Arr()},
		{"HVALS", "nokey", Arr()},
		{"HLEN", "nokey", Int(0)},
		{"HEXISTS", "nokey", "a", Int(0)},
		{"HSTRLEN", "nokey", "a", Int(0)},
		{"HDEL", "nokey", "a", Int(0)},

		// Another type.
		{"HGET", "s", "a", Err(hashWrongType)},
		{"HMGET", "s", "a", Err(hashWrongType)},
		{"HGETALL", "s", Err(hashWrongType)},
		{"HKEYS", "s", Err(hashWrongType)},
		{"HVALS", "s", Err(hashWrongType)},
		{"HLEN", "s", Err(hashWrongType)},
		{"HEXISTS", "s", "a", Err(hashWrongType)},
		{"HSTRLEN", "s", "a", Err(hashWrongType)},
		{"HDEL", "s", "a", Err(hashWrongType)},
		{"GET", "h", Err(hashWrongType)},

		// Binary-safe fields and values.
		{"HSET", "bin", "a\r\nb", "\x00\xff", Int(1)},
		{"HGETALL", "bin", Strs("a\r\nb", "\x00\xff")},
	})
}

func TestHashFieldOrder(t *testing.T) {
	c, _ := eventServer(t)
	// A field set again keeps its place; a deleted one that comes back goes
	// to the end, as in a listpack.
	MustDoAll(t, c, [][]string{
		{"HSET", "h", "x", "1", "y", "2", "z", "3", Int(3)},
		{"HSET", "h", "x", "10", Int(0)},
		{"HDEL", "h", "y", Int(1)},
		{"HSET", "h", "y", "20", "w", "4", Int(2)},
		{"HINCRBY", "h", "z", "1", Int(4)},
		{"HGETALL", "h", Strs("x", "10", "z", "4", "y", "20", "w", "4")},
	})

	// A big hash under random changes, against a model of the order.
	rng := rand.New(rand.NewPCG(1, 2))
	var order []string
	values := map[string]string{}
	set := func(f, v string) {
		if _, ok := values[f]; !ok {
			order = append(order, f)
		}
		values[f] = v
	}
	args := []string{"HSET", "big"}
	for i := range 500 {
		f := "f" + strconv.Itoa(i)
		args = append(args, f, "v"+f)
		set(f, "v"+f)
	}
	MustDo(t, c, append(args, Int(500))...)
	for range 1000 {
		f := "f" + strconv.Itoa(rng.IntN(700))
		switch rng.IntN(3) {
		case 0:
			_, had := values[f]
			want := Int(0)
			if had {
				want = Int(1)
				delete(values, f)
				order = slices.DeleteFunc(order, func(s string) bool { return s == f })
			}
			MustDo(t, c, "HDEL", "big", f, want)
		default:
			v := strconv.Itoa(rng.IntN(1000))
			_, had := values[f]
			want := Int(1)
			if had {
				want = Int(0)
			}
			set(f, v)
			MustDo(t, c, "HSET", "big", f, v, want)
		}
	}
	var all, vals []string
	for _, f := range order {
		all = append(all, f, values[f])
		vals = append(vals, values[f])
	}
	MustDo(t, c, "HKEYS", "big", Strs(order...))
	MustDo(t, c, "HVALS", "big", Strs(vals...))
	MustDo(t, c, "HGETALL", "big", Strs(all...))
	MustDo(t, c, "HSCAN", "big", "0", "COUNT", "10", Arr(Bulk("0"), Strs(all...)))
	MustDo(t, c, "HLEN", "big", Int(int64(len(order))))
}

func TestHashHdel(t *testing.T) {
	c, ev := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "h", "a", "1", "b", "2", "c", "3", Int(3)},
		{"PEXPIRE", "h", "100000", Int(1)},
		{"HDEL", "h", "nope", Int(0)},
		{"HDEL", "h", "a", "a", "nope", Int(1)},
		{"HDEL", "h", "b", "c", "d", Int(2)},
		{"EXISTS", "h", Int(0)},
		// The key is gone with its TTL.
		{"HSET", "h", "a", "1", Int(1)},
		{"PTTL", "h", Int(-1)},
	})
	if got, want := ev.take(), "hset:h expire:h hdel:h hdel:h del:h hset:h"; got != want {
		t.Fatalf("events:\n got %q\nwant %q", got, want)
	}
}

func TestHashHincrby(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		{"HINCRBY", "h", "i", "5", Int(5)},
		{"HINCRBY", "h", "i", "-10", Int(-5)},
		{"HGET", "h", "i", Bulk("-5")},
		// The increment is parsed before the type is checked.
		{"HINCRBY", "s", "i", "x", Err("ERR value is not an integer or out of range")},
		{"HINCRBY", "s", "i", "1", Err(hashWrongType)},
		{"HINCRBY", "h", "i", "1.0", Err("ERR value is not an integer or out of range")},
		{"HINCRBY", "h", "i", "+1", Err("ERR value is not an integer or out of range")},
		{"HINCRBY", "h", "i", "01", Err("ERR value is not an integer or out of range")},
		{"HINCRBY", "h", "i", " 1", Err("ERR value is not an integer or out of range")},
		{"HINCRBY", "h", "i", "9223372036854775808", Err("ERR value is not an integer or out of range")},
		// The stored value must read as string2ll reads an integer.
		{"HSET", "h", "str", "abc", "lz", "01", "sp", " 1", "f", "1.5", "long", "123456789012345678901", Int(5)},
		{"HINCRBY", "h", "str", "1", Err("ERR hash value is not an integer")},
		{"HINCRBY", "h", "lz", "1", Err("ERR hash value is not an integer")},
		{"HINCRBY", "h", "sp", "1", Err("ERR hash value is not an integer")},
		{"HINCRBY", "h", "f", "1", Err("ERR hash value is not an integer")},
		{"HINCRBY", "h", "long", "1", Err("ERR hash value is not an integer")},
		// Overflow, both ways; the value is left alone.
		{"HSET", "h", "big", "9223372036854775807", "small", "-9223372036854775808", Int(2)},
		{"HINCRBY", "h", "big", "1", Err("ERR increment or decrement would overflow")},
		{"HINCRBY", "h", "big", "0", Int(9223372036854775807)},
		{"HINCRBY", "h", "small", "-1", Err("ERR increment or decrement would overflow")},
		{"HINCRBY", "h", "small", "1", Int(-9223372036854775807)},
		{"HINCRBY", "h", "x", "-9223372036854775808", Int(-9223372036854775808)},
		{"HINCRBY", "h", "x", "-1", Err("ERR increment or decrement would overflow")},
		{"HGET", "h", "big", Bulk("9223372036854775807")},
		{"HINCRBY", "h", "str", "x", Err("ERR value is not an integer or out of range")},
	})
}

func TestHashHincrbyfloat(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		{"HINCRBYFLOAT", "h", "f", "1.5", Bulk("1.5")},
		// Long double arithmetic: 0.1 + 0.2 is 0.3.
		{"HINCRBYFLOAT", "h", "g", "0.1", Bulk("0.1")},
		{"HINCRBYFLOAT", "h", "g", "0.2", Bulk("0.3")},
		{"HINCRBYFLOAT", "h", "g", "-0.3", Bulk("0")},
		{"HINCRBYFLOAT", "h", "i", "3", Bulk("3")},
		{"HINCRBY", "h", "i", "1", Int(4)},
		{"HINCRBYFLOAT", "h", "i", "1e-5", Bulk("4.00001")},
		{"HINCRBYFLOAT", "h", "j", "0x10", Bulk("16")},
		{"HINCRBYFLOAT", "h", "j", "+1", Bulk("17")},
		{"HINCRBYFLOAT", "h", "k", "1e20", Bulk("100000000000000000000")},
		{"HGET", "h", "k", Bulk("100000000000000000000")},
		// Beyond a double, within a long double.
		{"HINCRBYFLOAT", "h", "d", "1.7976931348623157e308", Bulk("179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384")},
		{"HINCRBYFLOAT", "h", "d", "1.7976931348623157e308", Bulk("359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768")},
		{"HINCRBYFLOAT", "h", "e", "1e5000", Err("ERR value is not a valid float")},

		// The increment: not a float, then NaN or infinite, then the type.
		{"HINCRBYFLOAT", "s", "f", "x", Err("ERR value is not a valid float")},
		{"HINCRBYFLOAT", "s", "f", "inf", Err("ERR value is NaN or Infinity")},
		{"HINCRBYFLOAT", "s", "f", "1", Err(hashWrongType)},
		{"HINCRBYFLOAT", "h", "f", "nan", Err("ERR value is not a valid float")},
		{"HINCRBYFLOAT", "h", "f", "-inf", Err("ERR value is NaN or Infinity")},
		{"HINCRBYFLOAT", "h", "f", " 1", Err("ERR value is not a valid float")},
		{"HINCRBYFLOAT", "h", "f", "1 ", Err("ERR value is not a valid float")},
		{"HINCRBYFLOAT", "nokey", "f", "Infinity", Err("ERR value is NaN or Infinity")},
		{"EXISTS", "nokey", Int(0)},

		// The stored value.
		{"HSET", "h", "str", "abc", "sp", " 1", "e", "1e3", "inf", "inf", Int(4)},
		{"HINCRBYFLOAT", "h", "str", "1", Err("ERR hash value is not a float")},
		{"HINCRBYFLOAT", "h", "sp", "1", Err("ERR hash value is not a float")},
		{"HINCRBYFLOAT", "h", "e", "1", Bulk("1001")},
		{"HINCRBYFLOAT", "h", "inf", "1", Err("ERR increment would produce NaN or Infinity")},
		{"HGET", "h", "inf", Bulk("inf")},
		// A float result is no integer for HINCRBY.
		{"HINCRBY", "h", "f", "1", Err("ERR hash value is not an integer")},
	})
}

func TestHashHrandfieldErrors(t *testing.T) {
	c, _ := eventServer(t)
	const outOfRange = "ERR value is out of range"
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		{"HSET", "h", "a", "1", "b", "2", "c", "3", Int(3)},
		{"HRANDFIELD", "nokey", Nil},
		{"HRANDFIELD", "nokey", "0", Arr()},
		{"HRANDFIELD", "nokey", "2", Arr()},
		{"HRANDFIELD", "nokey", "-2", "WITHVALUES", Arr()},
		{"HRANDFIELD", "s", Err(hashWrongType)},
		// The count, its range and the syntax come before the key.
		{"HRANDFIELD", "s", "0", Err(hashWrongType)},
		{"HRANDFIELD", "s", "x", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "s", "1", "foo", Err("ERR syntax error")},
		{"HRANDFIELD", "nokey", "x", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "h", "x", "foo", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "h", "+1", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "h", "01", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "h", "9223372036854775808", Err("ERR value is not an integer or out of range")},
		{"HRANDFIELD", "h", "-9223372036854775808", "foo", Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")},
		{"HRANDFIELD", "h", "-9223372036854775808", Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")},
		{"HRANDFIELD", "h", "1", "foo", Err("ERR syntax error")},
		{"HRANDFIELD", "h", "1", "WITHVALUES", "foo", Err("ERR syntax error")},
		{"HRANDFIELD", "h", "-4611686018427387904", "foo", Err("ERR syntax error")},
		{"HRANDFIELD", "h", "-4611686018427387904", "withvalues", Err(outOfRange)},
		{"HRANDFIELD", "h", "4611686018427387904", "withvalues", Err(outOfRange)},
		{"HRANDFIELD", "s", "-4611686018427387904", "withvalues", Err(outOfRange)},
		{"HRANDFIELD", "nokey", "-4611686018427387904", "withvalues", Err(outOfRange)},
		// Redis 7.0 tries to answer this one and runs out of memory; we
		// refuse it.
		{"HRANDFIELD", "h", "-9223372036854775807", Err(outOfRange)},
		// Count 0 answers nothing; a count the hash cannot fill answers the
		// whole hash, in order.
		{"HRANDFIELD", "h", "0", Arr()},
		{"HRANDFIELD", "h", "0", "withvalues", Arr()},
		{"HRANDFIELD", "h", "3", Strs("a", "b", "c")},
		{"HRANDFIELD", "h", "9223372036854775807", Strs("a", "b", "c")},
		{"HRANDFIELD", "h", "4611686018427387903", "WithValues", Strs("a", "1", "b", "2", "c", "3")},
		{"HSET", "one", "f", "v", Int(1)},
		{"HRANDFIELD", "one", Bulk("f")},
		{"HRANDFIELD", "one", "1", Strs("f")},
		{"HRANDFIELD", "one", "-3", Strs("f", "f", "f")},
		{"HRANDFIELD", "one", "-2", "withvalues", Strs("f", "v", "f", "v")},
	})
}

func TestHashHrandfieldSampling(t *testing.T) {
	c, _ := eventServer(t)
	const n = 10
	args := []string{"HSET", "h"}
	value := map[string]string{}
	for i := range n {
		f := "f" + strconv.Itoa(i)
		value[f] = "v" + strconv.Itoa(i)
		args = append(args, f, value[f])
	}
	MustDo(t, c, append(args, Int(n))...)

	seen := map[string]int{}
	for range 200 {
		f := c.Do("HRANDFIELD", "h")
		if _, ok := value[string(f.Data)]; !ok || f.Type != '$' {
			t.Fatalf("HRANDFIELD: %q", f.Raw)
		}
		seen[string(f.Data)]++

		// Distinct fields.
		got := hashStrings(t, c, "HRANDFIELD", "h", "4")
		if len(got) != 4 {
			t.Fatalf("HRANDFIELD h 4: %q", got)
		}
		for i, f := range got {
			if _, ok := value[f]; !ok || slices.Contains(got[:i], f) {
				t.Fatalf("HRANDFIELD h 4: %q", got)
			}
		}

		// With repetitions, with values.
		got = hashStrings(t, c, "HRANDFIELD", "h", "-15", "WITHVALUES")
		if len(got) != 30 {
			t.Fatalf("HRANDFIELD h -15 WITHVALUES: %q", got)
		}
		for i := 0; i < len(got); i += 2 {
			if value[got[i]] != got[i+1] {
				t.Fatalf("HRANDFIELD h -15 WITHVALUES: %q", got)
			}
		}
	}
	// Every field comes up (the odds that one does not are 10*0.9^200).
	if len(seen) != n {
		t.Fatalf("fields picked: %v", seen)
	}

	// RESP3: WITHVALUES gives [field, value] pairs.
	c.Hello3()
	r := c.Do("HRANDFIELD", "h", "-5", "WITHVALUES")
	if r.Type != '*' || r.Count != 5 {
		t.Fatalf("RESP3 HRANDFIELD -5 WITHVALUES: %q", r.Raw)
	}
	r.ForEach(func(pair resp.Reply) bool {
		var kv []string
		pair.ForEach(func(e resp.Reply) bool {
			kv = append(kv, string(e.Data))
			return true
		})
		if pair.Type != '*' || len(kv) != 2 || value[kv[0]] != kv[1] {
			t.Fatalf("RESP3 HRANDFIELD pair: %q", pair.Raw)
		}
		return true
	})
}

func TestHashHscan(t *testing.T) {
	c, _ := eventServer(t)
	all := Strs("f0", "0", "f1", "1", "foo", "2", "bar", "3", "F9", "x")
	scan := func(items ...string) string { return Arr(Bulk("0"), Strs(items...)) }
	MustDoAll(t, c, [][]string{
		{"SET", "s", "x", OK},
		{"HSET", "h", "f0", "0", "f1", "1", "foo", "2", "bar", "3", "F9", "x", Int(5)},
		{"HSCAN", "h", "0", Arr(Bulk("0"), all)},
		// Any cursor strtoul takes gives the whole hash.
		{"HSCAN", "h", "5", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "+0", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "-1", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "007", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "18446744073709551615", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "-18446744073709551615", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "18446744073709551616", Err("ERR invalid cursor")},
		{"HSCAN", "h", "-18446744073709551616", Err("ERR invalid cursor")},
		{"HSCAN", "h", " 0", Err("ERR invalid cursor")},
		{"HSCAN", "h", "0 ", Err("ERR invalid cursor")},
		{"HSCAN", "h", "--1", Err("ERR invalid cursor")},
		{"HSCAN", "h", "-", Err("ERR invalid cursor")},
		{"HSCAN", "h", "0x10", Err("ERR invalid cursor")},
		{"HSCAN", "h", "1e3", Err("ERR invalid cursor")},
		// Cursor, then key (a missing key ignores the options), then type,
		// then options.
		{"HSCAN", "nokey", "x", Err("ERR invalid cursor")},
		{"HSCAN", "s", "x", Err("ERR invalid cursor")},
		{"HSCAN", "nokey", "0", scan()},
		{"HSCAN", "nokey", "0", "COUNT", "x", scan()},
		{"HSCAN", "nokey", "0", "foo", scan()},
		{"HSCAN", "s", "0", Err(hashWrongType)},
		{"HSCAN", "s", "0", "foo", Err(hashWrongType)},
		{"HSCAN", "h", "0", "MATCH", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "COUNT", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "COUNT", "0", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "COUNT", "-1", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "COUNT", "x", Err("ERR value is not an integer or out of range")},
		{"HSCAN", "h", "0", "COUNT", "+1", Err("ERR value is not an integer or out of range")},
		{"HSCAN", "h", "0", "COUNT", "9223372036854775808", Err("ERR value is not an integer or out of range")},
		{"HSCAN", "h", "0", "COUNT", "x", "foo", Err("ERR value is not an integer or out of range")},
		{"HSCAN", "h", "0", "foo", "COUNT", "x", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "MATCH", "*o*", "COUNT", "0", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "TYPE", "string", Err("ERR syntax error")},
		{"HSCAN", "h", "0", "NOVALUES", Err("ERR syntax error")},
		// COUNT does not limit a listpack scan; MATCH applies to fields, is
		// case-sensitive, and the last one wins.
		{"HSCAN", "h", "0", "COUNT", "1", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "0", "count", "9223372036854775807", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "0", "COUNT", "1", "MATCH", "*o*", scan("foo", "2")},
		{"HSCAN", "h", "0", "match", "f*", scan("f0", "0", "f1", "1", "foo", "2")},
		{"HSCAN", "h", "0", "MATCH", "F*", scan("F9", "x")},
		{"HSCAN", "h", "0", "MATCH", "f*", "MATCH", "b*", scan("bar", "3")},
		{"HSCAN", "h", "0", "MATCH", "[fb]?", scan("f0", "0", "f1", "1")},
		{"HSCAN", "h", "0", "MATCH", "*", Arr(Bulk("0"), all)},
		{"HSCAN", "h", "0", "MATCH", "3", scan()},
	})
}

func TestHashResp3(t *testing.T) {
	c, _ := eventServer(t)
	c.Hello3()
	MustDoAll(t, c, [][]string{
		{"HSET", "h", "a", "1", "b", "2", Int(2)},
		{"HGETALL", "h", Map3(Bulk("a"), Bulk("1"), Bulk("b"), Bulk("2"))},
		{"HGETALL", "nokey", Map3()},
		{"HKEYS", "h", Strs("a", "b")},
		{"HKEYS", "nokey", Arr()},
		{"HVALS", "h", Strs("1", "2")},
		{"HGET", "h", "nope", Null},
		{"HMGET", "h", "a", "nope", Arr(Bulk("1"), Null)},
		{"HMGET", "nokey", "a", Arr(Null)},
		{"HRANDFIELD", "nokey", Null},
		{"HRANDFIELD", "nokey", "1", Arr()},
		{"HRANDFIELD", "h", "0", "WITHVALUES", Arr()},
		{"HRANDFIELD", "h", "5", Strs("a", "b")},
		{"HRANDFIELD", "h", "5", "WITHVALUES", Arr(Strs("a", "1"), Strs("b", "2"))},
		{"HINCRBYFLOAT", "h", "f", "1.5", Bulk("1.5")}, // a bulk string, not a double
		{"HSCAN", "h", "0", "MATCH", "[ab]", Arr(Bulk("0"), Strs("a", "1", "b", "2"))},
		{"HSET", "one", "f", "v", Int(1)},
		{"HRANDFIELD", "one", "-2", "WITHVALUES", Arr(Strs("f", "v"), Strs("f", "v"))},
	})
}

func TestHashEvents(t *testing.T) {
	c, ev := eventServer(t)
	ev.take()
	// The events redis-server 7.0.15 fires for each command.
	for _, tc := range []struct {
		cmd    []string
		events string
	}{
		{[]string{"HSET", "h", "a", "1", "b", "2", Int(2)}, "hset:h"},
		{[]string{"HSET", "h", "a", "1", Int(0)}, "hset:h"}, // nothing new, still an event
		{[]string{"HSET", "h", "a", Err("ERR wrong number of arguments for 'hset' command")}, ""},
		{[]string{"HMSET", "h", "c", "3", OK}, "hset:h"},
		{[]string{"HSETNX", "h", "a", "1", Int(0)}, ""},
		{[]string{"HSETNX", "h", "d", "4", Int(1)}, "hset:h"},
		{[]string{"HINCRBY", "h", "n", "1", Int(1)}, "hincrby:h"},
		{[]string{"HINCRBY", "h", "n", "9223372036854775807", Err("ERR increment or decrement would overflow")}, ""},
		{[]string{"HINCRBY", "h", "a", "x", Err("ERR value is not an integer or out of range")}, ""},
		{[]string{"HINCRBYFLOAT", "h", "n", "0.5", Bulk("1.5")}, "hincrbyfloat:h"},
		{[]string{"HINCRBYFLOAT", "h", "n", "x", Err("ERR value is not a valid float")}, ""},
		{[]string{"HDEL", "h", "zz", Int(0)}, ""},
		{[]string{"HDEL", "h", "a", "b", Int(2)}, "hdel:h"},
		{[]string{"HGETALL", "h", Strs("c", "3", "d", "4", "n", "1.5")}, ""},
		{[]string{"HRANDFIELD", "h", "3", "WITHVALUES", Strs("c", "3", "d", "4", "n", "1.5")}, ""},
		{[]string{"HDEL", "h", "c", "d", "n", "zz", Int(3)}, "hdel:h del:h"},
		{[]string{"HINCRBY", "new", "n", "-1", Int(-1)}, "hincrby:new"},
		{[]string{"HINCRBYFLOAT", "new2", "n", "1", Bulk("1")}, "hincrbyfloat:new2"},
		{[]string{"HSETNX", "new3", "f", "v", Int(1)}, "hset:new3"},
	} {
		MustDo(t, c, tc.cmd...)
		if got := ev.take(); got != tc.events {
			t.Fatalf("%q: events %q, want %q", tc.cmd[:len(tc.cmd)-1], got, tc.events)
		}
	}
}

func TestHashWatch(t *testing.T) {
	s := server.RunT(t)
	c, other := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, c, "HSET", "h", "a", "1", Int(1))
	// A no-op HSETNX or HDEL does not touch the key.
	MustDo(t, c, "WATCH", "h", OK)
	MustDo(t, other, "HSETNX", "h", "a", "2", Int(0))
	MustDo(t, other, "HDEL", "h", "zz", Int(0))
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "HGET", "h", "a", Status("QUEUED"))
	MustDo(t, c, "EXEC", Arr(Bulk("1")))
	// A write does.
	MustDo(t, c, "WATCH", "h", OK)
	MustDo(t, other, "HINCRBY", "h", "a", "1", Int(2))
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "HGET", "h", "a", Status("QUEUED"))
	MustDo(t, c, "EXEC", NilArray)
	// So does an HSET that writes the value the field has (redis-server
	// 7.0 signals the key on every HSET).
	MustDo(t, c, "WATCH", "h", OK)
	MustDo(t, other, "HSET", "h", "a", "2", Int(0))
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "HGET", "h", "a", Status("QUEUED"))
	MustDo(t, c, "EXEC", NilArray)
	// And the field takes a new value after one rewritten as it was.
	MustDo(t, c, "HSET", "h", "a", "3", Int(0))
	MustDo(t, c, "HGET", "h", "a", Bulk("3"))
}

func TestHashExpiry(t *testing.T) {
	c, ev := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"DEBUG", "SET-ACTIVE-EXPIRE", "0", OK},
		{"HSET", "h", "a", "1", Int(1)},
		{"PEXPIRE", "h", "100000", Int(1)},
		// Writing keeps the TTL.
		{"HSET", "h", "b", "2", Int(1)},
		{"HINCRBY", "h", "c", "1", Int(1)},
		{"HDEL", "h", "c", Int(1)},
		{"TTL", "h", Int(100)},
		{"PEXPIRE", "h", "20", Int(1)},
		{"SET", "s", "x", "PX", "20", OK},
		{"HSET", "h2", "a", "1", Int(1)},
		{"PEXPIRE", "h2", "20", Int(1)},
	})
	time.Sleep(60 * time.Millisecond)
	ev.take()
	MustDoAll(t, c, [][]string{
		{"HGETALL", "h", Arr()},
		// An expired string no longer holds the key.
		{"HSET", "s", "a", "1", Int(1)},
		{"TTL", "s", Int(-1)},
		{"HSETNX", "h2", "a", "2", Int(1)},
		{"HGET", "h2", "a", Bulk("2")},
	})
	if got, want := ev.take(), "expired:h expired:s hset:s expired:h2 hset:h2"; got != want {
		t.Fatalf("events:\n got %q\nwant %q", got, want)
	}
}

func TestHashEncoding(t *testing.T) {
	c, _ := eventServer(t, "hash-max-listpack-entries 2", "hash-max-listpack-value 4")
	enc := func(key, want string) {
		t.Helper()
		MustDo(t, c, "OBJECT", "ENCODING", key, Bulk(want))
	}
	MustDo(t, c, "HSET", "h", "a", "1", "b", "2", Int(2))
	enc("h", "listpack")
	MustDo(t, c, "HSET", "h", "c", "3", Int(1))
	enc("h", "hashtable")
	// The conversion is one-way.
	MustDo(t, c, "HDEL", "h", "b", "c", Int(2))
	enc("h", "hashtable")

	// A long value converts, even for a field that exists; HSETNX that
	// sets nothing does not.
	MustDo(t, c, "HSET", "v", "a", "1", Int(1))
	MustDo(t, c, "HSETNX", "v", "a", "12345", Int(0))
	enc("v", "listpack")
	MustDo(t, c, "HSET", "v", "a", "12345", Int(0))
	enc("v", "hashtable")
	MustDo(t, c, "HSETNX", "w", "abcde", "1", Int(1))
	enc("w", "hashtable")
	// So do increments whose field or result is long.
	MustDo(t, c, "HINCRBY", "x", "abcdefgh", "1", Int(1))
	enc("x", "hashtable")
	MustDo(t, c, "HINCRBYFLOAT", "y", "a", "1.5", Bulk("1.5"))
	enc("y", "listpack")
	MustDo(t, c, "HINCRBYFLOAT", "y", "a", "0.00001", Bulk("1.50001"))
	enc("y", "hashtable")
	// COPY keeps the encoding (hashTypeDup duplicates a hashtable as a
	// hashtable).
	MustDo(t, c, "COPY", "y", "y2", Int(1))
	enc("y2", "hashtable")
	MustDo(t, c, "COPY", "v", "v2", Int(1))
	enc("v2", "hashtable")
	MustDo(t, c, "HSET", "small", "a", "1", Int(1))
	MustDo(t, c, "COPY", "small", "small2", Int(1))
	enc("small2", "listpack")
}

func TestHashLargeReplies(t *testing.T) {
	c, _ := eventServer(t)
	args := []string{"HSET", "h"}
	for i := range 2000 {
		args = append(args, fmt.Sprintf("field:%04d", i), strings.Repeat("v", i%50))
	}
	MustDo(t, c, append(args, Int(2000))...)
	got := hashStrings(t, c, "HRANDFIELD", "h", "1500")
	slices.Sort(got)
	if n := len(slices.Compact(got)); n != 1500 {
		t.Fatalf("HRANDFIELD h 1500: %d distinct fields", n)
	}
	if got := hashStrings(t, c, "HRANDFIELD", "h", "-100000"); len(got) != 100000 {
		t.Fatalf("HRANDFIELD h -100000: %d fields", len(got))
	}
	// field:1000 to field:1999, with their values, in one call.
	var elems int
	c.Do("HSCAN", "h", "0", "MATCH", "field:1*").ForEach(func(r resp.Reply) bool {
		elems = r.Count
		return true
	})
	if elems != 2000 {
		t.Fatalf("HSCAN MATCH field:1*: %d elements", elems)
	}
}
