package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
)

// No redis-server here has hash field expiration: the expected replies
// come from Redis 8's tests/unit/type/hash-field-expire.tcl (named per
// case, rewritten with the FIELDS keyword of the released syntax) and from
// src/t_hash.c (hexpireGenericCommand, httlGenericCommand, hpersistCommand,
// hgetdelCommand, hgetexCommand, hsetexCommand, parseExpireTime), whose
// reply codes are -2 no field, 0 condition not met, 1 set, 2 deleted (HEXPIRE),
// -2 / -1 no expiry / TTL (HTTL), -2 / -1 / 1 (HPERSIST).

func ints(ns ...int64) string {
	s := "*" + strconv.Itoa(len(ns)) + "\r\n"
	for _, n := range ns {
		s += Int(n)
	}
	return s
}

func nowMsStr(delta time.Duration) string {
	return strconv.FormatInt(time.Now().Add(delta).UnixMilli(), 10)
}

// hash-field-expire.tcl: "HPEXPIRE(AT) - Test 'NX' flag", "'XX' flag",
// "'GT' flag", "'LT' flag", "HPEXPIREAT - field not exists or TTL is in the
// past".
func TestHashFieldExpireConditions(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "myhash", "field1", "value1", "field2", "value2", "field3", "value3", Int(3)},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "1", "field1", ints(1)},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "2", "field1", "field2", ints(0, 1)},
		{"HPEXPIRE", "myhash", "1000", "XX", "FIELDS", "2", "field1", "field3", ints(1, 0)},
		{"DEL", "myhash", Int(1)},
		{"HSET", "myhash", "field1", "value1", "field2", "value2", Int(2)},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "1", "field1", ints(1)},
		{"HPEXPIRE", "myhash", "2000", "NX", "FIELDS", "1", "field2", ints(1)},
		{"HPEXPIRE", "myhash", "1500", "GT", "FIELDS", "2", "field1", "field2", ints(1, 0)},
		{"DEL", "myhash", Int(1)},
		{"HSET", "myhash", "field1", "value1", "field2", "value2", "field3", "value3", Int(3)},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "1", "field1", ints(1)},
		{"HPEXPIRE", "myhash", "2000", "NX", "FIELDS", "1", "field2", ints(1)},
		// LT holds for a field without expiry (hashTypeSetExpiry*)
		{"HPEXPIRE", "myhash", "1500", "LT", "FIELDS", "3", "field1", "field2", "field3", ints(0, 1, 1)},
		{"DEL", "myhash", Int(1)},
		{"HSET", "myhash", "f1", "v1", "f2", "v2", "f4", "v4", Int(3)},
		{"HEXPIRE", "myhash", "1000", "NX", "FIELDS", "1", "f4", ints(1)},
		{"HPEXPIREAT", "myhash", nowMsStr(-time.Second), "NX", "FIELDS", "4", "f1", "f2", "f3", "f4", ints(2, 2, -2, 0)},
		{"HEXISTS", "myhash", "f1", Int(0)},
		// "HEXPIREAT - Set time in the past": the last field goes, and the key
		{"HEXPIREAT", "myhash", strconv.FormatInt(time.Now().Unix()-1, 10), "FIELDS", "1", "f4", ints(2)},
		{"EXISTS", "myhash", Int(0)},
		// a missing key: -2 for every field
		{"HEXPIRE", "nokey", "10", "FIELDS", "2", "a", "b", ints(-2, -2)},
	})
}

// The argument errors of hexpireGenericCommand, httlGenericCommand,
// parseExpireTime ("HPEXPIRE - parameter expire-time near limit of 2^48":
// HFE_MAX_ABS_TIME_MSEC is (2^48-1)>>2), hgetexCommand and hsetexParseArgs.
func TestHashFieldExpireErrors(t *testing.T) {
	c, _ := eventServer(t)
	const max = (1<<48 - 1) >> 2
	MustDoAll(t, c, [][]string{
		{"HSET", "myhash", "f1", "v1", Int(1)},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "0", "f1", "-ERR Parameter `numFields` should be greater than 0\r\n"},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "x", "f1", "-ERR Parameter `numFields` should be greater than 0\r\n"},
		{"HPEXPIRE", "myhash", "1000", "NX", "FIELDS", "4", "f1", "f2", "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{"HPEXPIRE", "myhash", "1000", "NX", "1", "f1", "f2", "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{"HPEXPIRE", "myhash", "-1", "FIELDS", "1", "f1", "-ERR invalid expire time, must be >= 0\r\n"},
		{"HPEXPIRE", "myhash", "abc", "FIELDS", "1", "f1", "-ERR value is not an integer or out of range\r\n"},
		{"HPEXPIREAT", "myhash", strconv.Itoa(max + 1), "FIELDS", "1", "f1", "-ERR invalid expire time in 'hpexpireat' command\r\n"},
		{"HPEXPIREAT", "myhash", strconv.Itoa(max), "FIELDS", "1", "f1", ints(1)},
		{"HEXPIREAT", "myhash", strconv.Itoa(max/1000 + 1), "FIELDS", "1", "f1", "-ERR invalid expire time in 'hexpireat' command\r\n"},
		{"HPEXPIRE", "myhash", strconv.Itoa(max), "FIELDS", "1", "f1", "-ERR invalid expire time in 'hpexpire' command\r\n"},
		{"HTTL", "myhash", "FIELDS", "0", "f1", "-ERR Number of fields must be a positive integer\r\n"},
		{"HTTL", "myhash", "FIELDX", "1", "f1", "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{"HPERSIST", "myhash", "FIELDS", "2", "f1", "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{"HGETDEL", "myhash", "FIELDS", "-1", "f1", "-ERR Number of fields must be a positive integer\r\n"},
		{"HGETEX", "myhash", "EX", "-1", "FIELDS", "1", "f1", "-ERR invalid expire time, must be >= 0\r\n"},
		{"HGETEX", "myhash", "PERSIST", "1", "f1", "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{"HSETEX", "myhash", "FNX", "FXX", "FIELDS", "1", "f", "v", "-ERR Only one of FXX or FNX arguments can be specified\r\n"},
		{"HSETEX", "myhash", "EX", "10", "KEEPTTL", "FIELDS", "1", "f", "v", "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n"},
		{"HSETEX", "myhash", "FIELDS", "0", "f", "v", "-ERR invalid number of fields\r\n"},
		{"HSETEX", "myhash", "FIELDS", "2", "f", "v", "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{"HSETEX", "myhash", "FOO", "FIELDS", "1", "f", "v", "-ERR unknown argument: FOO\r\n"},
		{"HSETEX", "myhash", "FIELDS", "1", "f", "v", "EX", "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{"SET", "str", "x", OK},
		{"HEXPIRE", "str", "x", "FIELDS", "1", "f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"HTTL", "str", "FIELDS", "1", "f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"HSETEX", "str", "FIELDS", "1", "f", "v", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	})
}

// "HTTL/HPTTL - Input validation gets failed on nonexists field or field
// without expire", "HTTL/HPTTL - returns time to live in
// seconds/msillisec", "HEXPIRETIME - returns TTL in Unix timestamp",
// HPERSIST's codes.
func TestHashFieldTTLAndPersist(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "myhash", "field1", "value1", "field2", "value2", Int(2)},
		{"HPEXPIRE", "myhash", "2000", "NX", "FIELDS", "1", "field1", ints(1)},
		{"HTTL", "non_exists_key", "FIELDS", "1", "f", ints(-2)},
		{"HTTL", "myhash", "FIELDS", "2", "field2", "non_exists_field", ints(-1, -2)},
		{"HPTTL", "myhash", "FIELDS", "2", "field2", "non_exists_field", ints(-1, -2)},
		{"HTTL", "myhash", "FIELDS", "1", "field1", ints(2)}, // seconds, rounded up
	})
	if n := firstInt(c.Do("HPTTL", "myhash", "FIELDS", "1", "field1")); n < 1000 || n > 2000 {
		t.Errorf("HPTTL %d, want 1000..2000", n)
	}
	lo, hi := time.Now().Unix()+1, time.Now().Unix()+3
	if n := firstInt(c.Do("HEXPIRETIME", "myhash", "FIELDS", "1", "field1")); n < lo || n > hi {
		t.Errorf("HEXPIRETIME %d, want %d..%d", n, lo, hi)
	}
	if n := firstInt(c.Do("HPEXPIRETIME", "myhash", "FIELDS", "1", "field1")); n < (lo-1)*1000 || n > hi*1000 {
		t.Errorf("HPEXPIRETIME %d", n)
	}
	MustDoAll(t, c, [][]string{
		{"HPERSIST", "myhash", "FIELDS", "3", "field1", "field2", "nofield", ints(1, -1, -2)},
		{"HTTL", "myhash", "FIELDS", "1", "field1", ints(-1)},
		{"HPERSIST", "nokey", "FIELDS", "1", "f", ints(-2)},
	})
}

// HSET drops a field's TTL (hashTypeSet without HASH_SET_KEEP_TTL);
// HINCRBY and HINCRBYFLOAT keep it (HASH_SET_KEEP_TTL); HDEL and a new
// field start without one; COPY and RENAME carry the TTLs.
func TestHashFieldTTLKeptOrDropped(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "h", "a", "1", "b", "2", "c", "x", Int(3)},
		{"HEXPIRE", "h", "100", "FIELDS", "3", "a", "b", "c", ints(1, 1, 1)},
		{"HINCRBY", "h", "a", "5", Int(6)},
		{"HINCRBYFLOAT", "h", "b", "0.5", Bulk("2.5")},
		{"HSET", "h", "c", "y", Int(0)},
		{"HTTL", "h", "FIELDS", "3", "a", "b", "c", ints(100, 100, -1)},
		{"HDEL", "h", "a", Int(1)},
		{"HSETNX", "h", "a", "new", Int(1)},
		{"HTTL", "h", "FIELDS", "1", "a", ints(-1)},
		{"COPY", "h", "h2", Int(1)},
		{"HTTL", "h2", "FIELDS", "1", "b", ints(100)},
		{"RENAME", "h2", "h3", OK},
		{"HTTL", "h3", "FIELDS", "1", "b", ints(100)},
	})
}

// Lazy expiry: with active expiry off, an expired field is gone for HGET
// and HEXISTS, HLEN still counts it ("Lazy expire - HLEN does count expired
// fields"), and the hash goes once no field is left; events "hexpired" then
// "del" (hashTypeGetValue's lazy delete).
func TestHashFieldLazyExpire(t *testing.T) {
	c, rec := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"DEBUG", "SET-ACTIVE-EXPIRE", "0", OK},
		{"HSET", "h4", "k1", "v1", "k2", "v2", "k3", "v3", "k4", "v4", Int(4)},
		{"HPEXPIRE", "h4", "1", "NX", "FIELDS", "3", "k1", "k3", "k4", ints(1, 1, 1)},
		{"HSET", "h1", "k1", "v1", Int(1)},
		{"HPEXPIRE", "h1", "1", "NX", "FIELDS", "1", "k1", ints(1)},
	})
	time.Sleep(10 * time.Millisecond)
	rec.take()
	MustDoAll(t, c, [][]string{
		{"HLEN", "h4", Int(4)},
		{"HLEN", "h1", Int(1)},
		{"HGET", "h4", "k1", Nil},
		{"HGETALL", "h4", "*2\r\n$2\r\nk2\r\n$2\r\nv2\r\n"},
		{"HLEN", "h4", Int(1)},
		{"HEXISTS", "h1", "k1", Int(0)},
		{"EXISTS", "h1", Int(0)},
	})
	if got := rec.take(); got != "hexpired:h4 hexpired:h1 del:h1" {
		t.Errorf("events %q", got)
	}
}

// Active expiry ("Active - deletes hash that all its fields got expired"):
// the cron removes expired fields and a hash left empty.
func TestHashFieldActiveExpire(t *testing.T) {
	c, rec := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "same", "f1", "v1", "f2", "v2", Int(2)},
		{"HPEXPIRE", "same", "20", "FIELDS", "2", "f1", "f2", ints(1, 1)},
		{"HSET", "mix", "f1", "v1", "keep", "v", Int(2)},
		{"HPEXPIRE", "mix", "20", "FIELDS", "1", "f1", ints(1)},
	})
	rec.take()
	deadline := time.Now().Add(3 * time.Second)
	for c.Do("EXISTS", "same").Int() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("hash `same` should be expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	MustDoAll(t, c, [][]string{{"HLEN", "mix", Int(1)}, {"EXISTS", "same", Int(0)}})
	evs := rec.take()
	for _, want := range []string{"hexpired:same", "del:same", "hexpired:mix"} {
		if !contains(evs, want) {
			t.Errorf("events %q lack %q", evs, want)
		}
	}
}

// firstInt is the first element of an array reply, as an integer.
func firstInt(r resp.Reply) int64 {
	var n int64
	r.ForEach(func(e resp.Reply) bool { n = e.Int(); return false })
	return n
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// The events of each command, as t_hash.c notifies them.
func TestHashFieldExpireEvents(t *testing.T) {
	c, rec := eventServer(t)
	past := strconv.FormatInt(time.Now().Unix()-10, 10)
	steps := []eventStep{
		{[]string{"HSET", "h", "a", "1", "b", "2", "c", "3"}, Int(3), "hset:h"},
		{[]string{"HEXPIRE", "h", "100", "FIELDS", "2", "a", "zz"}, ints(1, -2), "hexpire:h"},
		{[]string{"HEXPIRE", "h", "100", "NX", "FIELDS", "1", "a"}, ints(0), ""},
		{[]string{"HPERSIST", "h", "FIELDS", "1", "a"}, ints(1), "hpersist:h"},
		{[]string{"HPERSIST", "h", "FIELDS", "1", "a"}, ints(-1), ""},
		{[]string{"HEXPIREAT", "h", past, "FIELDS", "1", "a"}, ints(2), "hdel:h"},
		{[]string{"HGETDEL", "h", "FIELDS", "2", "b", "nofield"}, "*2\r\n$1\r\n2\r\n$-1\r\n", "hdel:h"},
		{[]string{"HGETEX", "h", "EX", "50", "FIELDS", "2", "c", "nofield"}, "*2\r\n$1\r\n3\r\n$-1\r\n", "hexpire:h"},
		{[]string{"HTTL", "h", "FIELDS", "1", "c"}, ints(50), ""},
		{[]string{"HGETEX", "h", "PERSIST", "FIELDS", "1", "c"}, "*1\r\n$1\r\n3\r\n", "hpersist:h"},
		{[]string{"HGETEX", "h", "PERSIST", "FIELDS", "1", "c"}, "*1\r\n$1\r\n3\r\n", ""},
		{[]string{"HGETEX", "h", "FIELDS", "1", "c"}, "*1\r\n$1\r\n3\r\n", ""},
		{[]string{"HGETEX", "nokey", "FIELDS", "1", "c"}, "*1\r\n$-1\r\n", ""},
		{[]string{"HSETEX", "h", "EX", "30", "FIELDS", "2", "c", "4", "d", "5"}, Int(1), "hset:h hexpire:h"},
		{[]string{"HTTL", "h", "FIELDS", "2", "c", "d"}, ints(30, 30), ""},
		{[]string{"HSETEX", "h", "KEEPTTL", "FIELDS", "1", "c", "6"}, Int(1), "hset:h"},
		{[]string{"HSETEX", "h", "FIELDS", "1", "d", "7"}, Int(1), "hset:h"},
		{[]string{"HTTL", "h", "FIELDS", "2", "c", "d"}, ints(30, -1), ""},
		{[]string{"HSETEX", "h", "FNX", "FIELDS", "2", "c", "x", "new", "y"}, Int(0), ""},
		{[]string{"HSETEX", "h", "FXX", "FIELDS", "2", "c", "x", "new", "y"}, Int(0), ""},
		{[]string{"HSETEX", "h", "FXX", "FIELDS", "1", "c", "x"}, Int(1), "hset:h"},
		{[]string{"HSETEX", "nokey", "FXX", "FIELDS", "1", "c", "x"}, Int(0), ""},
		{[]string{"EXISTS", "nokey"}, Int(0), ""},
		{[]string{"HSETEX", "h", "EXAT", past, "FIELDS", "2", "c", "x", "d", "y"}, Int(1), "hset:h hdel:h del:h"},
		{[]string{"EXISTS", "h"}, Int(0), ""},
		{[]string{"HSETEX", "n", "PX", "100000", "FNX", "FIELDS", "1", "a", "1"}, Int(1), "hset:n hexpire:n"},
		{[]string{"HGETEX", "n", "PXAT", "1", "FIELDS", "1", "a"}, "*1\r\n$1\r\n1\r\n", "hdel:n del:n"},
	}
	runEventSteps(t, c, rec, steps)
}

// OBJECT ENCODING: hashTypeSetExInit (HEXPIRE and friends, HGETEX with an
// option, HSETEX with an expiry) turns a listpack into a listpackex, for
// good and whatever the fields' outcome; HPERSIST does not; a hash past the
// listpack limits is a hashtable either way.
func TestHashFieldExpireEncoding(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HSET", "h", "a", "1", Int(1)},
		{"HPERSIST", "h", "FIELDS", "1", "a", ints(-1)},
		{"OBJECT", "ENCODING", "h", Bulk("listpack")},
		{"HEXPIRE", "h", "100", "FIELDS", "1", "nofield", ints(-2)},
		{"OBJECT", "ENCODING", "h", Bulk("listpackex")},
		{"HSET", "g", "a", "1", Int(1)},
		{"HGETEX", "g", "FIELDS", "1", "a", "*1\r\n$1\r\n1\r\n"},
		{"OBJECT", "ENCODING", "g", Bulk("listpack")},
		{"HGETEX", "g", "PERSIST", "FIELDS", "1", "a", "*1\r\n$1\r\n1\r\n"},
		{"OBJECT", "ENCODING", "g", Bulk("listpackex")},
		{"HSETEX", "s", "KEEPTTL", "FIELDS", "1", "a", "1", Int(1)},
		{"OBJECT", "ENCODING", "s", Bulk("listpack")},
		{"HSETEX", "s", "EX", "10", "FIELDS", "1", "a", "1", Int(1)},
		{"OBJECT", "ENCODING", "s", Bulk("listpackex")},
		{"COPY", "s", "s2", Int(1)},
		{"OBJECT", "ENCODING", "s2", Bulk("listpackex")},
		{"CONFIG", "SET", "hash-max-listpack-entries", "1", OK},
		{"HSET", "s", "b", "2", Int(1)},
		{"OBJECT", "ENCODING", "s", Bulk("hashtable")},
	})
}

// The hand-written command facts (Redis 8.2's src/commands/*.json): arity
// and key position.
func TestHashFieldExpireCommandFacts(t *testing.T) {
	c, _ := eventServer(t)
	MustDoAll(t, c, [][]string{
		{"HEXPIRE", "k", "10", "FIELDS", "1", "-ERR wrong number of arguments for 'hexpire' command\r\n"},
		{"HTTL", "k", "FIELDS", "1", "-ERR wrong number of arguments for 'httl' command\r\n"},
		{"HSETEX", "k", "FIELDS", "1", "f", "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{"HGETEX", "k", "FIELDS", "-ERR wrong number of arguments for 'hgetex' command\r\n"},
		{"COMMAND", "GETKEYS", "HSETEX", "k", "EX", "1", "FIELDS", "1", "f", "v", "*1\r\n$1\r\nk\r\n"},
		{"COMMAND", "GETKEYS", "HGETDEL", "k", "FIELDS", "1", "f", "*1\r\n$1\r\nk\r\n"},
	})
	r := c.Do("COMMAND", "INFO", "hpexpireat")
	if !strings.HasPrefix(string(r.Raw), "*1\r\n*10\r\n$10\r\nhpexpireat\r\n:-6\r\n*3\r\n+write\r\n+denyoom\r\n+fast\r\n:1\r\n:1\r\n:1\r\n") {
		t.Errorf("COMMAND INFO hpexpireat: %q", r.Raw)
	}
}
