package server_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Every expected reply below is what redis-server 7.0.15 answers.

const (
	strWrongType  = "WRONGTYPE Operation against a key holding the wrong kind of value"
	strSyntax     = "ERR syntax error"
	strNotInt     = "ERR value is not an integer or out of range"
	strNotFloat   = "ERR value is not a valid float"
	strOverflow   = "ERR increment or decrement would overflow"
	strNaNOrInf   = "ERR increment would produce NaN or Infinity"
	strTooBig     = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	strOffsetErr  = "ERR offset is out of range"
	strDecrMinErr = "ERR decrement would overflow"
)

func strInvalidExpire(cmd string) string {
	return Err("ERR invalid expire time in '" + cmd + "' command")
}

// strServer starts a server with DEBUG enabled and active expiry off, so
// that keys expire only when accessed.
func strServer(t *testing.T, mods ...server.Module) (string, *Conn) {
	t.Helper()
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}, Modules: mods})
	c := Dial(t, s.Addr())
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0", OK)
	return s.Addr(), c
}

// strEncoding is the encoding DEBUG OBJECT reports for a key.
func strEncoding(t *testing.T, c *Conn, key string) string {
	t.Helper()
	r := c.Do("DEBUG", "OBJECT", key)
	_, enc, ok := strings.Cut(r.String(), "encoding:")
	if !ok {
		t.Fatalf("DEBUG OBJECT %s: %q", key, r.String())
	}
	enc, _, _ = strings.Cut(enc, " ")
	return enc
}

func TestStringSetOptions(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "k", "v", "EX", "10", "EX", "20", OK}, // a repeated option: the last one wins
		{"SET", "k", "v", "NX", "NX", Nil},
		{"SET", "k", "v", "NX", "XX", Err(strSyntax)},
		{"SET", "k", "v", "XX", "NX", Err(strSyntax)},
		{"SET", "k", "v", "GET", "GET", Bulk("v")},
		{"SET", "k", "v", "KEEPTTL", "KEEPTTL", OK},
		{"SET", "k", "v", "EX", "10", "KEEPTTL", Err(strSyntax)},
		{"SET", "k", "v", "KEEPTTL", "EX", "10", Err(strSyntax)},
		{"SET", "k", "v", "PX", "10", "EX", "10", Err(strSyntax)},
		{"SET", "k", "v", "EXAT", "10", "PXAT", "10", Err(strSyntax)},
		{"SET", "k", "v", "PERSIST", Err(strSyntax)},
		{"SET", "k", "v", "EX", Err(strSyntax)},
		{"SET", "k", "v", "foo", Err(strSyntax)},
		{"SET", "k", "v", "EX", "10", "foo", Err(strSyntax)},
		// Syntax is checked before the expiry value.
		{"SET", "k", "v", "foo", "EX", "abc", Err(strSyntax)},
		{"SET", "k", "v", "EX", "abc", "foo", Err(strSyntax)},
		{"SET", "k", "v", "EX", "abc", Err(strNotInt)},
		{"SET", "k", "v", "EX", "1.5", Err(strNotInt)},
		{"SET", "k", "v", "EX", "+5", Err(strNotInt)},
		{"SET", "k", "v", "EX", "05", Err(strNotInt)},
		{"SET", "k", "v", "EX", "0", strInvalidExpire("set")},
		{"SET", "k", "v", "EX", "-1", strInvalidExpire("set")},
		{"SET", "k", "v", "PX", "0", strInvalidExpire("set")},
		{"SET", "k", "v", "EXAT", "0", strInvalidExpire("set")},
		{"SET", "k", "v", "PXAT", "0", strInvalidExpire("set")},
		// Overflows: of seconds to milliseconds, then of now + the delay.
		{"SET", "k", "v", "EX", "9223372036854775807", strInvalidExpire("set")},
		{"SET", "k", "v", "EXAT", "9223372036854776", strInvalidExpire("set")},
		{"SET", "k", "v", "EX", "9223372036854775", strInvalidExpire("set")},
		{"SET", "k", "v", "PX", "9223372036854775807", strInvalidExpire("set")},
		{"SET", "k", "v", "EXAT", "9223372036854775", OK},
		{"SET", "k", "v", "PXAT", "9223372036854775807", OK},
		{"SET", "k", "v", "EX", "5", "NX", Nil},
		{"SET", "k", "new", "Px", "5000", "xX", "GeT", Bulk("v")},
		{"GET", "k", Bulk("new")},
		// NX and GET together (allowed since 7.0).
		{"SET", "k", "v", "NX", "GET", Bulk("new")},
		{"GET", "k", Bulk("new")},
		{"SET", "k2", "v", "NX", "GET", Nil},
		{"GET", "k2", Bulk("v")},
		{"SET", "nokey", "v", "XX", "GET", Nil},
		{"SET", "nokey", "v", "XX", Nil},
		{"GET", "nokey", Nil},
		{"SET", "k", Err("ERR wrong number of arguments for 'set' command")},
		{"GET", "a", "b", Err("ERR wrong number of arguments for 'get' command")},
	})
}

func TestStringSetVariants(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"SETNX", "a", "1", Int(1)},
		{"SETNX", "a", "2", Int(0)},
		{"GET", "a", Bulk("1")},
		{"SETEX", "b", "10", "v", OK},
		{"SETEX", "b", "0", "v", strInvalidExpire("setex")},
		{"SETEX", "b", "-1", "v", strInvalidExpire("setex")},
		{"SETEX", "b", "abc", "v", Err(strNotInt)},
		{"SETEX", "b", "9223372036854775", "v", strInvalidExpire("setex")},
		{"PSETEX", "b", "0", "v", strInvalidExpire("psetex")},
		{"PSETEX", "b", "100000", "w", OK},
		{"GET", "b", Bulk("w")},
		{"SETEX", "b", "10", Err("ERR wrong number of arguments for 'setex' command")},
		{"GETSET", "a", "x", Bulk("1")},
		{"GETSET", "nokey", "y", Nil},
		{"GET", "nokey", Bulk("y")},
		{"GETDEL", "a", Bulk("x")},
		{"GETDEL", "a", Nil},
		{"DBSIZE", Int(2)},
	})
}

func TestStringMultiKey(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"MSET", "a", "1", "b", "2", OK},
		{"MSET", "a", "1", "b", Err("ERR wrong number of arguments for 'mset' command")},
		{"MSETNX", "a", "1", "b", Err("ERR wrong number of arguments for 'msetnx' command")},
		{"MSET", Err("ERR wrong number of arguments for 'mset' command")},
		{"MGET", "a", "b", "nokey", Arr(Bulk("1"), Bulk("2"), Nil)},
		{"MSET", "a", "1", "a", "2", OK},
		{"GET", "a", Bulk("2")},
		{"MSETNX", "x", "1", "x", "2", Int(1)},
		{"GET", "x", Bulk("2")},
		{"MSETNX", "x", "1", "y", "2", Int(0)},
		{"MSETNX", "y", "1", "z", "2", Int(1)},
		{"MGET", "x", "y", "z", "nokey", Arr(Bulk("2"), Bulk("1"), Bulk("2"), Nil)},
	})
}

func TestStringGetex(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"SET", "k", "hello", OK},
		{"GETEX", "k", "EX", "0", strInvalidExpire("getex")},
		{"GETEX", "k", "EX", "abc", Err(strNotInt)},
		{"GETEX", "k", "PX", "0", strInvalidExpire("getex")},
		{"GETEX", "k", "EXAT", "0", strInvalidExpire("getex")},
		{"GETEX", "k", "EX", "9223372036854775", strInvalidExpire("getex")},
		{"GETEX", "k", "EXAT", "9223372036854776", strInvalidExpire("getex")},
		{"GETEX", "k", "NX", Err(strSyntax)},
		{"GETEX", "k", "GET", Err(strSyntax)},
		{"GETEX", "k", "KEEPTTL", Err(strSyntax)},
		{"GETEX", "k", "EX", Err(strSyntax)},
		{"GETEX", "k", "EX", "10", "PERSIST", Err(strSyntax)},
		{"GETEX", "k", "PERSIST", "EX", "10", Err(strSyntax)},
		{"GETEX", "k", "PERSIST", "PERSIST", Bulk("hello")},
		{"GETEX", "k", "EX", "10", "EX", "20", Bulk("hello")},
		{"GETEX", "k", "PERSIST", Bulk("hello")},
		{"GETEX", "k", Bulk("hello")},
		// A missing key answers nil before the expiry time is checked, but
		// not before the syntax.
		{"GETEX", "nokey", "EX", "0", Nil},
		{"GETEX", "nokey", "EX", "abc", Nil},
		{"GETEX", "nokey", "foo", Err(strSyntax)},
		{"GETEX", Err("ERR wrong number of arguments for 'getex' command")},
		// An absolute time in the past deletes the key.
		{"GETEX", "k", "PXAT", "1", Bulk("hello")},
		{"DBSIZE", Int(0)},
		{"SET", "k", "v", OK},
		{"GETEX", "k", "EXAT", "1", Bulk("v")},
		{"GET", "k", Nil},
	})
}

func TestStringExpiry(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		// SET with an absolute time in the past keeps the key until it is
		// accessed, as Redis 7.0 does.
		{"SET", "past", "v", "EXAT", "1", OK},
		{"DBSIZE", Int(1)},
		{"GET", "past", Nil},
		{"DBSIZE", Int(0)},
		{"SET", "past", "v", "PXAT", "1", "GET", Nil},
		{"SET", "past", "w", "GET", Nil}, // expired, so GET sees nothing

		{"SET", "ttl", "1", "PX", "100", OK},
		{"INCR", "ttl", Int(2)}, // keeps the TTL
		{"SET", "keep", "v", "PX", "100", OK},
		{"SET", "keep", "w", "KEEPTTL", OK},
		{"APPEND", "keep", "x", Int(2)},
		{"SETRANGE", "keep", "0", "y", Int(2)},
		{"SET", "drop", "v", "PX", "100", OK},
		{"GETSET", "drop", "w", Bulk("v")}, // drops the TTL
		{"SET", "drop2", "v", "PX", "100", OK},
		{"SET", "drop2", "w", OK},
		{"SET", "persist", "v", "PX", "100", OK},
		{"GETEX", "persist", "PERSIST", Bulk("v")},
		{"SET", "later", "v", OK},
		{"GETEX", "later", "PX", "100", Bulk("v")},
		{"SET", "nx", "v", "PX", "100", OK},
	})
	time.Sleep(200 * time.Millisecond)
	MustDoAll(t, c, [][]string{
		{"GET", "ttl", Nil},
		{"GET", "keep", Nil},
		{"GET", "drop", Bulk("w")},
		{"GET", "drop2", Bulk("w")},
		{"GET", "persist", Bulk("v")},
		{"GET", "later", Nil},
		// An expired key is missing for NX, XX and MSETNX.
		{"SET", "nx", "w", "NX", OK},
		{"SET", "gone", "v", "PX", "1", OK},
	})
	time.Sleep(20 * time.Millisecond)
	MustDoAll(t, c, [][]string{
		{"SET", "gone", "w", "XX", Nil},
		{"INCR", "gone", Int(1)},
	})
}

func TestStringGetrange(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"GETRANGE", "nokey", "0", "1", Bulk("")},
		{"SET", "k", "hello", OK},
		{"GETRANGE", "k", "0", "-1", Bulk("hello")},
		{"GETRANGE", "k", "-3", "-1", Bulk("llo")},
		{"GETRANGE", "k", "-1", "-3", Bulk("")},
		{"GETRANGE", "k", "-100", "-90", Bulk("h")}, // both clamped to 0
		{"GETRANGE", "k", "-100", "100", Bulk("hello")},
		{"GETRANGE", "k", "3", "1", Bulk("")},
		{"GETRANGE", "k", "5", "10", Bulk("")},
		{"GETRANGE", "k", "4", "10", Bulk("o")},
		{"GETRANGE", "k", "0", "0", Bulk("h")},
		{"GETRANGE", "k", "-1", "-1", Bulk("o")},
		{"GETRANGE", "k", "-9223372036854775808", "9223372036854775807", Bulk("hello")},
		{"GETRANGE", "k", "9223372036854775807", "-9223372036854775808", Bulk("")},
		{"GETRANGE", "k", "1", "-100", Bulk("")},
		{"GETRANGE", "k", "a", "0", Err(strNotInt)},
		{"GETRANGE", "k", "0", "1.0", Err(strNotInt)},
		{"SET", "e", "", OK},
		{"GETRANGE", "e", "0", "-1", Bulk("")},
		{"GETRANGE", "e", "-1", "0", Bulk("")},
		{"SET", "n", "12345", OK},
		{"GETRANGE", "n", "1", "2", Bulk("23")},
		{"SUBSTR", "n", "1", "-1", Bulk("2345")},
		{"SUBSTR", "n", "1", Err("ERR wrong number of arguments for 'substr' command")},
		{"STRLEN", "n", Int(5)},
		{"STRLEN", "e", Int(0)},
		{"STRLEN", "nokey", Int(0)},
	})
}

func TestStringSetrangeAppend(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"CONFIG", "SET", "proto-max-bulk-len", "1048576", OK},
		// Setting nothing on a missing key creates nothing, whatever the offset.
		{"SETRANGE", "k", "0", "", Int(0)},
		{"SETRANGE", "k", "1048576", "", Int(0)},
		{"DBSIZE", Int(0)},
		{"SETRANGE", "k", "1048576", "x", Err(strTooBig)},
		{"SETRANGE", "k", "9223372036854775807", "x", Err(strTooBig)},
		{"SETRANGE", "k", "9223372036854775808", "x", Err(strNotInt)},
		{"SETRANGE", "k", "-1", "x", Err(strOffsetErr)},
		{"SETRANGE", "k", "-1", "", Err(strOffsetErr)},
		{"SETRANGE", "k", "a", "x", Err(strNotInt)},
		{"SETRANGE", "k", "2", "ab", Int(4)},
		{"GET", "k", Bulk("\x00\x00ab")},
		{"SETRANGE", "k", "1", "Z", Int(4)},
		{"GET", "k", Bulk("\x00Zab")},
		{"SETRANGE", "k", "3", "xyz", Int(6)},
		{"GET", "k", Bulk("\x00Zaxyz")},
		{"SETRANGE", "k", "9999999999", "", Int(6)}, // no size check when setting nothing
		{"SETRANGE", "big", "1048575", "x", Int(1048576)},
		{"STRLEN", "big", Int(1048576)},
		{"SETRANGE", "big", "1048575", "y", Int(1048576)},
		{"SETRANGE", "big", "1048576", "y", Err(strTooBig)},
		{"APPEND", "big", "z", Err(strTooBig)},
		{"APPEND", "big", "", Int(1048576)},

		{"SET", "n", "5", OK},
		{"APPEND", "n", "6", Int(2)},
		{"GET", "n", Bulk("56")},
		{"APPEND", "new", "123", Int(3)},
		{"APPEND", "new", "", Int(3)},
		{"APPEND", "e", "", Int(0)},
		{"DBSIZE", Int(5)}, // APPEND of nothing still creates the key
		{"GET", "e", Bulk("")},
	})
}

func TestStringIncr(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"INCR", "n", Int(1)},
		{"INCRBY", "n", "10", Int(11)},
		{"DECR", "n", Int(10)},
		{"DECRBY", "n", "20", Int(-10)},
		{"SET", "n", "9223372036854775806", OK},
		{"INCR", "n", Int(9223372036854775807)},
		{"INCR", "n", Err(strOverflow)},
		{"DECRBY", "n", "1", Int(9223372036854775806)},
		{"SET", "m", "-9223372036854775807", OK},
		{"DECR", "m", Int(-9223372036854775808)},
		{"DECR", "m", Err(strOverflow)},
		{"INCRBY", "m", "-1", Err(strOverflow)},
		{"INCRBY", "m", "9223372036854775807", Int(-1)},
		{"DECRBY", "m", "-9223372036854775807", Int(9223372036854775806)},
		{"DECRBY", "m", "-9223372036854775808", Err(strDecrMinErr)},
		{"DECRBY", "m", "9223372036854775808", Err(strNotInt)},
		{"INCRBY", "m", "9223372036854775808", Err(strNotInt)},
		// Values and increments are parsed as Redis' string2ll does.
		{"SET", "s", " 1", OK},
		{"INCR", "s", Err(strNotInt)},
		{"SET", "s", "+1", OK},
		{"INCR", "s", Err(strNotInt)},
		{"SET", "s", "01", OK},
		{"INCR", "s", Err(strNotInt)},
		{"SET", "s", "1.0", OK},
		{"INCR", "s", Err(strNotInt)},
		{"SET", "s", "", OK},
		{"INCR", "s", Err(strNotInt)},
		{"SET", "s", "-0", OK},
		{"INCR", "s", Err(strNotInt)},
		{"INCRBY", "n", "+1", Err(strNotInt)},
		{"INCRBY", "n", "01", Err(strNotInt)},
		{"INCRBY", "n", " 1", Err(strNotInt)},
		{"INCRBY", "n", "1.5", Err(strNotInt)},
		{"INCR", "n", "1", Err("ERR wrong number of arguments for 'incr' command")},
	})
}

func TestStringIncrbyfloat(t *testing.T) {
	_, c := strServer(t)
	MustDoAll(t, c, [][]string{
		{"INCRBYFLOAT", "f", "0.1", Bulk("0.1")},
		{"INCRBYFLOAT", "f", "0.2", Bulk("0.3")}, // long double: not 0.30000000000000004
		{"SET", "f", "10.50", OK},
		{"INCRBYFLOAT", "f", "0.1", Bulk("10.6")},
		{"INCRBYFLOAT", "f", "5.0e3", Bulk("5010.60000000000000009")},
		{"INCRBYFLOAT", "f", "-5e3", Bulk("10.60000000000000009")},
		{"INCRBYFLOAT", "f", "inf", Err(strNaNOrInf)},
		{"INCRBYFLOAT", "f", "-inf", Err(strNaNOrInf)},
		{"INCRBYFLOAT", "f", "nan", Err(strNotFloat)},
		{"INCRBYFLOAT", "f", "abc", Err(strNotFloat)},
		{"INCRBYFLOAT", "f", " 1", Err(strNotFloat)},
		{"INCRBYFLOAT", "f", "1 ", Err(strNotFloat)},
		{"INCRBYFLOAT", "f", "", Err(strNotFloat)},
		{"INCRBYFLOAT", "g", "0x10", Bulk("16")},
		{"INCRBYFLOAT", "g", "+1.5", Bulk("17.5")},
		{"INCRBYFLOAT", "g", ".5", Bulk("18")},
		{"SET", "i", "3", OK},
		{"INCRBYFLOAT", "i", "1", Bulk("4")},
		{"INCR", "i", Int(5)},
		{"SET", "x", "1e3", OK},
		{"INCRBYFLOAT", "x", "0", Bulk("1000")},
		{"SET", "x", "inf", OK},
		{"INCRBYFLOAT", "x", "1", Err(strNaNOrInf)},
		{"SET", "z", "1.5", OK},
		{"INCRBYFLOAT", "z", "-1.5", Bulk("0")},
		{"INCRBYFLOAT", "z", "-0.0", Bulk("0")},
		// The stored value is checked before the increment.
		{"SET", "y", "  5", OK},
		{"INCRBYFLOAT", "y", "abc", Err(strNotFloat)},
		{"SET", "y", "", OK},
		{"INCRBYFLOAT", "y", "1", Err(strNotFloat)},
	})
}

func TestStringWrongType(t *testing.T) {
	_, c := strServer(t)
	MustDo(t, c, "HSET", "h", "f", "v", Int(1))
	wt := Err(strWrongType)
	MustDoAll(t, c, [][]string{
		{"GET", "h", wt},
		{"GETSET", "h", "x", wt},
		{"GETDEL", "h", wt},
		{"GETEX", "h", wt},
		{"GETEX", "h", "EX", "0", wt}, // before the expiry check
		{"GETEX", "h", "EX", "abc", wt},
		{"GETEX", "h", "PERSIST", wt},
		{"GETEX", "h", "foo", Err(strSyntax)},
		{"STRLEN", "h", wt},
		{"APPEND", "h", "x", wt},
		{"APPEND", "h", "", wt},
		{"INCR", "h", wt},
		{"DECR", "h", wt},
		{"INCRBY", "h", "1", wt},
		{"INCRBY", "h", "x", Err(strNotInt)}, // the argument first
		{"DECRBY", "h", "-9223372036854775808", Err(strDecrMinErr)},
		{"INCRBYFLOAT", "h", "x", wt}, // the key first
		{"INCRBYFLOAT", "h", "1", wt},
		{"GETRANGE", "h", "0", "1", wt},
		{"GETRANGE", "h", "a", "1", Err(strNotInt)},
		{"SUBSTR", "h", "0", "1", wt},
		{"SETRANGE", "h", "0", "x", wt},
		{"SETRANGE", "h", "0", "", wt},
		{"SETRANGE", "h", "99999999999", "x", wt},
		{"SETRANGE", "h", "-1", "x", Err(strOffsetErr)},
		{"SET", "h", "v", "GET", wt},
		{"SET", "h", "v", "NX", "GET", wt},
		{"SET", "h", "v", "XX", "GET", wt},
		{"SET", "h", "v", "EX", "0", "GET", strInvalidExpire("set")},
		{"MGET", "h", "nokey", Arr(Nil, Nil)},
		{"SETNX", "h", "v", Int(0)},
		{"MSETNX", "h", "v", Int(0)},
		{"SET", "h", "v", "NX", Nil},
		{"HGET", "h", "f", Bulk("v")}, // still a hash
		// SET, MSET, SETEX and SET XX replace a value of any type.
		{"SET", "h", "v", "XX", OK},
		{"GET", "h", Bulk("v")},
		{"HSET", "h2", "f", "v", Int(1)},
		{"MSET", "h2", "v", OK},
		{"GET", "h2", Bulk("v")},
		{"HSET", "h3", "f", "v", Int(1)},
		{"SETEX", "h3", "10", "v", OK},
		{"GET", "h3", Bulk("v")},
	})
}

func TestStringEncoding(t *testing.T) {
	_, c := strServer(t)
	long := strings.Repeat("x", 45)
	MustDoAll(t, c, [][]string{
		{"SET", "int", "12345", OK},
		{"SET", "lead0", "012", OK},
		{"SET", "emb", strings.Repeat("x", 44), OK},
		{"SET", "raw", long, OK},
		{"INCR", "cnt", Int(1)},
		{"SET", "cnt2", "abc", OK},
		{"SET", "cnt2", "7", OK},
		{"APPEND", "cnt2", "1", Int(2)},
		{"INCR", "cnt2", Int(72)},
		{"INCRBYFLOAT", "fl", "3", Bulk("3")},
		{"APPEND", "app", "123", Int(3)},
		{"APPEND", "app2", "123", Int(3)},
		{"APPEND", "app2", "", Int(3)},
		{"SETRANGE", "sr", "0", "1", Int(1)},
		{"SET", "sr2", "123", OK},
		{"SETRANGE", "sr2", "0", "", Int(3)},
		{"SET", "sr3", "123", OK},
		{"SETRANGE", "sr3", "0", "9", Int(3)},
		{"MSET", "m1", "1", "m2", "a", OK},
		{"GETSET", "gs", "5", Nil},
		{"SETEX", "se", "100", "6", OK},
	})
	for key, want := range map[string]string{
		"int": "int", "lead0": "embstr", "emb": "embstr", "raw": "raw",
		"cnt": "int", "cnt2": "int", "fl": "embstr",
		"app": "int", "app2": "raw", "sr": "raw", "sr2": "int", "sr3": "raw",
		"m1": "int", "m2": "embstr", "gs": "int", "se": "int",
	} {
		if got := strEncoding(t, c, key); got != want {
			t.Errorf("encoding of %s: got %s, want %s", key, got, want)
		}
	}
}

func TestStringRESP3(t *testing.T) {
	_, c := strServer(t)
	// Switch to RESP3 and skip HELLO's reply up to a marker.
	c.Send("HELLO", "3")
	c.Send("ECHO", "strmarker")
	var got string
	for !strings.HasSuffix(got, Bulk("strmarker")) {
		b, err := c.ReadN(1)
		if err != nil {
			t.Fatalf("reading HELLO 3: %q %v", got, err)
		}
		got += b
	}
	MustDoAll(t, c, [][]string{
		{"SET", "a", "x", OK},
		{"GET", "nokey", Null},
		{"MGET", "nokey", "a", Arr(Null, Bulk("x"))},
		{"SET", "a", "v", "NX", Null},
		{"SET", "a", "v", "NX", "GET", Bulk("x")},
		{"SET", "zz", "v", "XX", "GET", Null},
		{"GETRANGE", "nokey", "0", "1", Bulk("")},
		{"INCRBYFLOAT", "f", "1.5", Bulk("1.5")}, // a bulk string, not a double
		{"GETDEL", "nokey", Null},
		{"GETEX", "nokey", Null},
		{"GETSET", "nokey", "v", Null},
		{"SETNX", "a", "b", Int(0)},
	})
}

func TestStringEvents(t *testing.T) {
	m := &eventRecorder{}
	_, c := strServer(t, m)
	m.take()
	// The events redis-server 7.0.15 fires for each command.
	for _, tc := range []struct {
		cmd    []string
		events string
	}{
		{[]string{"SET", "k", "v", OK}, "set:k"},
		{[]string{"SET", "k", "v", "NX", Nil}, ""},
		{[]string{"SET", "k", "v", "XX", "GET", Bulk("v")}, "set:k"},
		{[]string{"SET", "k", "v", "PX", "100000", OK}, "set:k expire:k"},
		{[]string{"SET", "k", "v", "KEEPTTL", OK}, "set:k"},
		{[]string{"SETNX", "k", "v", Int(0)}, ""},
		{[]string{"SETNX", "k2", "v", Int(1)}, "set:k2"},
		{[]string{"SETEX", "k", "100", "v", OK}, "set:k expire:k"},
		{[]string{"PSETEX", "k", "100000", "v", OK}, "set:k expire:k"},
		{[]string{"GETSET", "k", "x", Bulk("v")}, "set:k"},
		{[]string{"MSET", "a", "1", "b", "2", OK}, "set:a set:b"},
		{[]string{"MSETNX", "a", "1", "c", "3", Int(0)}, ""},
		{[]string{"MSETNX", "c", "3", "d", "4", Int(1)}, "set:c set:d"},
		{[]string{"INCR", "a", Int(2)}, "incrby:a"},
		{[]string{"INCRBY", "a", "5", Int(7)}, "incrby:a"},
		{[]string{"DECR", "a", Int(6)}, "incrby:a"},
		{[]string{"DECRBY", "a", "2", Int(4)}, "incrby:a"},
		{[]string{"INCR", "b", "x", Err("ERR wrong number of arguments for 'incr' command")}, ""},
		{[]string{"INCRBYFLOAT", "a", "1.5", Bulk("5.5")}, "incrbyfloat:a"},
		{[]string{"APPEND", "a", "x", Int(4)}, "append:a"},
		{[]string{"APPEND", "a", "", Int(4)}, "append:a"},
		{[]string{"SETRANGE", "a", "1", "y", Int(4)}, "setrange:a"},
		{[]string{"SETRANGE", "a", "1", "", Int(4)}, ""},
		{[]string{"SETRANGE", "nn", "1", "", Int(0)}, ""},
		{[]string{"GETDEL", "a", Bulk("5y5x")}, "del:a"},
		{[]string{"GETDEL", "a", Nil}, ""},
		{[]string{"GETEX", "k", Bulk("x")}, ""},
		{[]string{"GETEX", "k", "PERSIST", Bulk("x")}, ""}, // no TTL to remove
		{[]string{"GETEX", "k", "EX", "100", Bulk("x")}, "expire:k"},
		{[]string{"GETEX", "k", "PERSIST", Bulk("x")}, "persist:k"},
		{[]string{"GETEX", "k", "EXAT", "1", Bulk("x")}, "del:k"},
		{[]string{"SET", "k", "v", "EXAT", "1", OK}, "set:k expire:k"},
		{[]string{"GET", "k", Nil}, "expired:k"},
		{[]string{"SET", "k", "v", "PX", "1", OK}, "set:k expire:k"},
		{[]string{"INCR", "nokey", Int(1)}, "incrby:nokey"},
		{[]string{"APPEND", "nokey2", "x", Int(1)}, "append:nokey2"},
		{[]string{"SETRANGE", "nokey3", "2", "x", Int(3)}, "setrange:nokey3"},
		{[]string{"INCRBYFLOAT", "nokey4", "1.5", Bulk("1.5")}, "incrbyfloat:nokey4"},
		{[]string{"INCR", "nokey4", Err(strNotInt)}, ""},
		{[]string{"INCRBYFLOAT", "nokey4", "inf", Err(strNaNOrInf)}, ""},
	} {
		if tc.cmd[0] == "INCR" && tc.cmd[1] == "nokey" {
			// Let "k" (PX 1) expire: SET on it fires "expired" first.
			time.Sleep(10 * time.Millisecond)
			MustDo(t, c, "SET", "k", "w", OK)
			if got := m.take(); got != "expired:k set:k" {
				t.Fatalf("SET on an expired key: events %q", got)
			}
		}
		MustDo(t, c, tc.cmd...)
		if got := m.take(); got != tc.events {
			t.Errorf("%q: events %q, want %q", tc.cmd[:len(tc.cmd)-1], got, tc.events)
		}
	}
}

// A string command touches a WATCHed key exactly when it changes it.
func TestStringWatch(t *testing.T) {
	addr, c := strServer(t)
	for _, tc := range []struct {
		cmd     []string
		touches bool
	}{
		{[]string{"INCR", "w", Int(2)}, true},
		{[]string{"APPEND", "w", "", Int(1)}, true},
		{[]string{"SETRANGE", "w", "0", "", Int(1)}, false},
		{[]string{"GETEX", "w", Bulk("1")}, false},
		{[]string{"GETEX", "w", "PERSIST", Bulk("1")}, false},
		{[]string{"SET", "w", "1", "NX", Nil}, false},
		{[]string{"MSETNX", "w", "1", Int(0)}, false},
		{[]string{"INCRBYFLOAT", "w", "x", Err(strNotFloat)}, false},
	} {
		other := Dial(t, addr)
		MustDo(t, c, "SET", "w", "1", OK)
		MustDo(t, c, "WATCH", "w", OK)
		MustDo(t, other, tc.cmd...)
		other.Close()
		MustDo(t, c, "MULTI", OK)
		MustDo(t, c, "GET", "w", Status("QUEUED"))
		want := NilArray
		if !tc.touches {
			want = Arr(Bulk("1"))
		}
		MustDo(t, c, "EXEC", want)
	}
}

// BenchmarkAppend: repeated APPENDs to one key grow it in amortized O(1)
// (a copy per APPEND made 10 000 appends of 100 bytes quadratic).
func BenchmarkAppend(b *testing.B) {
	s := server.RunT(b)
	c := Dial(b, s.Addr())
	chunk := strings.Repeat("x", 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Send("APPEND", "log", chunk)
		c.Read()
	}
}
