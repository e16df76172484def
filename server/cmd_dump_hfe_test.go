package server_test

import (
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Payloads of hashes with field TTLs in Redis 8.2's DUMP format (rdb.c:
// RDB_TYPE_HASH_LISTPACK_EX 25 and RDB_TYPE_HASH_METADATA 24 with their
// 7.4 release-candidate forms 23 and 22, RDB version 12 in the footer),
// computed by testdata/hfe_dump_payloads.py from the format alone (its own
// listpack, length, CRC64 writers; not this server's encoder). T1 is
// 2100-01-01T00:00:00Z in ms (4102444800000), T2 = T1 + 1000.
const (
	// 25: min expiry T1 (8 bytes LE), then the listpack as a string (46
	// bytes: too few repeats for LZF to save 4) of b,x,T1 a,1,T2 c,y,0:
	// the triplets by expiry, the field without one last; T1/T2 are 0xF4
	// int64 entries, 1 and 0 7-bit uints.
	hfePayloadLpEx = "\x19\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x2e\x2e\x00\x00\x00\x09\x00\x81\x62\x02\x81\x78\x02\xf4\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x09\x81\x61\x02\x01\x01\xf4\xe8\xdb\xc3\x2c\xbb\x03\x00\x00\x09\x81\x63\x02\x81\x79\x02\x00\x01\xff\x0c\x00\xc5\x7a\x65\xdd\x12\x34\xe0\x8c"
	// 24: min T1, 1 field, TTL length 1 (T1 - T1 + 1), "a", 1 as an int8
	// string (0xC0 0x01).
	hfePayloadMeta = "\x18\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x01\x01\x01\x61\xc0\x01\x0c\x00\xa3\xb6\xb6\xfa\xc7\x76\x67\xd1"
	// 24 hand-built: c (TTL 0: none), a (TTL 1001 as a 14-bit length: T2),
	// b (TTL 1: T1).
	hfePayloadMeta3 = "\x18\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x03\x00\x01\x63\x01\x79\x43\xe9\x01\x61\x01\x7a\x01\x01\x62\x01\x78\x0c\x00\x8d\x7f\xca\x23\x44\x19\x9f\xb1"
	// 22 (7.4 RC): no minimum, a's TTL absolute (0x81 + 8 bytes BE: T1), b none.
	hfePayloadMetaPreGA = "\x16\x02\x81\x00\x00\x03\xbb\x2c\xc3\xd8\x00\x01\x61\x01\x7a\x00\x01\x62\x01\x78\x0c\x00\x38\xd3\x99\x55\x31\xbc\x03\x9a"
	// 23 (7.4 RC): the listpack alone, a,z,T2 b,x,0.
	hfePayloadLpExPreGA = "\x17\x1f\x1f\x00\x00\x00\x06\x00\x81\x61\x02\x81\x7a\x02\xf4\xe8\xdb\xc3\x2c\xbb\x03\x00\x00\x09\x81\x62\x02\x81\x78\x02\x00\x01\xff\x0c\x00\x55\x11\x8e\x29\x68\x5c\xe7\x00"
	// 25: a expired at 1000 ms (13-bit int entry), b none: a is dropped.
	hfePayloadHalfExpired = "\x19\xe8\x03\x00\x00\x00\x00\x00\x00\x18\x18\x00\x00\x00\x06\x00\x81\x61\x02\x81\x7a\x02\xc3\xe8\x02\x81\x62\x02\x81\x78\x02\x00\x01\xff\x0c\x00\x22\x97\xe0\xa9\x4a\xa8\x60\x03"
	// 25: the only field expired at 1000 ms.
	hfePayloadAllExpired = "\x19\xe8\x03\x00\x00\x00\x00\x00\x00\x10\x10\x00\x00\x00\x03\x00\x81\x61\x02\x81\x7a\x02\xc3\xe8\x02\xff\x0c\x00\x38\x34\x80\xea\x92\x8e\xef\xa2"
)

// hfeCorrupt are payloads with a valid footer that RESTORE refuses.
var hfeCorrupt = []struct{ name, payload string }{
	{"listpack of pairs, not triplets", "\x19\x00\x00\x00\x00\x00\x00\x00\x00\x0d\x0d\x00\x00\x00\x02\x00\x81\x61\x02\x81\x7a\x02\xff\x0c\x00\x26\xce\x3f\x48\x9c\x11\x5d\xb5"},
	{"expiry entry a string", "\x19\x00\x00\x00\x00\x00\x00\x00\x00\x10\x10\x00\x00\x00\x03\x00\x81\x61\x02\x81\x7a\x02\x81\x78\x02\xff\x0c\x00\x27\xe0\xf4\xe8\x5c\xf7\x8c\x4b"},
	{"expiry 2^48 past EB_EXPIRE_TIME_MAX", "\x19\x00\x00\x00\x00\x00\x00\x00\x00\x17\x17\x00\x00\x00\x03\x00\x81\x61\x02\x81\x7a\x02\xf4\x00\x00\x00\x00\x00\x00\x01\x00\x09\xff\x0c\x00\xd9\x78\x7c\xc0\x7d\xf7\x6e\x3b"},
	{"relative TTL past EB_EXPIRE_TIME_MAX", "\x18\xff\xff\xff\xff\xff\xff\x00\x00\x01\x02\x01\x61\x01\x7a\x0c\x00\x3f\x6b\xfb\x68\x61\x2b\x41\x33"},
	{"duplicate field, metadata", "\x18\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x02\x01\x01\x61\x01\x7a\x00\x01\x61\x01\x79\x0c\x00\x1a\x49\x6f\xe8\xc6\xc8\x88\x9f"},
	{"truncated minimum", "\x19\x00\x00\x00\x00\x0c\x00\x13\x5c\x9a\x71\x54\x86\x77\x48"},
	{"duplicate field, listpack", "\x19\x00\x00\x00\x00\x00\x00\x00\x00\x17\x17\x00\x00\x00\x06\x00\x81\x61\x02\x81\x7a\x02\x00\x01\x81\x61\x02\x81\x79\x02\x00\x01\xff\x0c\x00\x09\x10\x8c\x17\x9b\x01\xe0\x66"},
}

// hfePayloadV13 is hfePayloadLpEx's value with RDB version 13 in its footer.
const hfePayloadV13 = "\x19\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x2e\x2e\x00\x00\x00\x09\x00\x81\x62\x02\x81\x78\x02\xf4\x00\xd8\xc3\x2c\xbb\x03\x00\x00\x09\x81\x61\x02\x01\x01\xf4\xe8\xdb\xc3\x2c\xbb\x03\x00\x00\x09\x81\x63\x02\x81\x79\x02\x00\x01\xff\x0d\x00\xac\xa5\xd8\xae\xef\xab\x09\x05"

const (
	hfeT1 = 4102444800000
	hfeT2 = 4102444801000
)

func TestDumpHashFieldTTLs(t *testing.T) {
	s := server.RunT(t, server.Options{})
	c := Dial(t, s.Addr())
	t1, t2 := strconv.Itoa(hfeT1), strconv.Itoa(hfeT2)
	MustDoAll(t, c, [][]string{
		// DUMP writes the listpackex form: by expiry, the persistent field last.
		{"HSET", "h", "a", "1", "b", "x", "c", "y", Int(3)},
		{"HPEXPIREAT", "h", t2, "FIELDS", "1", "a", Arr(Int(1))},
		{"HPEXPIREAT", "h", t1, "FIELDS", "1", "b", Arr(Int(1))},
		{"DUMP", "h", Bulk(hfePayloadLpEx)},
		// ...and a hash table with field TTLs the metadata form.
		{"CONFIG", "SET", "hash-max-listpack-entries", "0", OK},
		{"HSET", "g", "a", "1", Int(1)},
		{"HPEXPIREAT", "g", t1, "FIELDS", "1", "a", Arr(Int(1))},
		{"OBJECT", "ENCODING", "g", Bulk("hashtable")},
		{"DUMP", "g", Bulk(hfePayloadMeta)},
		{"CONFIG", "SET", "hash-max-listpack-entries", "128", OK},

		// RESTORE of each form restores the TTLs.
		{"RESTORE", "r1", "0", hfePayloadLpEx, OK},
		{"HGETALL", "r1", Arr(Bulk("b"), Bulk("x"), Bulk("a"), Bulk("1"), Bulk("c"), Bulk("y"))},
		{"HPEXPIRETIME", "r1", "FIELDS", "3", "a", "b", "c", Arr(Int(hfeT2), Int(hfeT1), Int(-1))},
		{"OBJECT", "ENCODING", "r1", Bulk("listpackex")},
		{"RESTORE", "r2", "0", hfePayloadMeta, OK},
		{"HPEXPIRETIME", "r2", "FIELDS", "1", "a", Arr(Int(hfeT1))},
		{"OBJECT", "ENCODING", "r2", Bulk("listpackex")},
		{"RESTORE", "r3", "0", hfePayloadMeta3, OK},
		{"HPEXPIRETIME", "r3", "FIELDS", "3", "a", "b", "c", Arr(Int(hfeT2), Int(hfeT1), Int(-1))},
		{"HGET", "r3", "a", Bulk("z")},
		{"RESTORE", "r4", "0", hfePayloadMetaPreGA, OK},
		{"HPEXPIRETIME", "r4", "FIELDS", "2", "a", "b", Arr(Int(hfeT1), Int(-1))},
		{"RESTORE", "r5", "0", hfePayloadLpExPreGA, OK},
		{"HPEXPIRETIME", "r5", "FIELDS", "2", "a", "b", Arr(Int(hfeT2), Int(-1))},
		// An expired field is dropped at load; with none left, no hash.
		{"RESTORE", "r6", "0", hfePayloadHalfExpired, OK},
		{"HGETALL", "r6", Arr(Bulk("b"), Bulk("x"))},
		{"HTTL", "r6", "FIELDS", "1", "b", Arr(Int(-1))},
		{"RESTORE", "r7", "0", hfePayloadAllExpired, Err("ERR Bad data format")},
		{"EXISTS", "r7", Int(0)},
		// Past the thresholds the metadata form loads as a hash table.
		{"CONFIG", "SET", "hash-max-listpack-entries", "2", OK},
		{"RESTORE", "r8", "0", hfePayloadMeta3, OK},
		{"OBJECT", "ENCODING", "r8", Bulk("hashtable")},
		{"HPEXPIRETIME", "r8", "FIELDS", "3", "a", "b", "c", Arr(Int(hfeT2), Int(hfeT1), Int(-1))},
		{"CONFIG", "SET", "hash-max-listpack-entries", "128", OK},

		// REPLACE over a hash with TTLs: the new value's TTLs only.
		{"RESTORE", "r1", "0", hfePayloadMetaPreGA, "REPLACE", OK},
		{"HGETALL", "r1", Arr(Bulk("a"), Bulk("z"), Bulk("b"), Bulk("x"))},
		{"HPEXPIRETIME", "r1", "FIELDS", "3", "a", "b", "c", Arr(Int(hfeT1), Int(-1), Int(-2))},
		// ...and HPERSIST then works on the restored side structure.
		{"HPERSIST", "r1", "FIELDS", "1", "a", Arr(Int(1))},
		{"HTTL", "r1", "FIELDS", "1", "a", Arr(Int(-1))},

		{"RESTORE", "v13", "0", hfePayloadV13, Err("ERR DUMP payload version or checksum are wrong")},
		// Redis 8.2 reads any type under versions up to 12 (7.0 refuses
		// past 10): the string "x" with version 11 (CRC64 by the script's
		// crc64; 7.0's reply to it was the differential's before).
		{"RESTORE", "v11", "0", "\x00\x01x\x0b\x00K_;,@w\xa1Y", OK},
		{"GET", "v11", Bulk("x")},
	})
	// A hash without TTLs keeps 7.0's form and RDB version 10.
	MustDo(t, c, "HSET", "p", "f", "v", Int(1))
	if d := c.Do("DUMP", "p"); len(d.Data) < 10 || d.Data[0] != 16 || string(d.Data[len(d.Data)-10:len(d.Data)-8]) != "\x0a\x00" {
		t.Errorf("DUMP p: %q", d.Raw)
	}
	for _, tc := range hfeCorrupt {
		if r := c.Do("RESTORE", "bad", "0", tc.payload); string(r.Raw) != Err("ERR Bad data format") {
			t.Errorf("%s: %q", tc.name, r.Raw)
		}
	}
	// Round trip: the restored copy dumps the same bytes.
	for _, k := range []string{"h", "g"} {
		if k == "g" {
			MustDo(t, c, "CONFIG", "SET", "hash-max-listpack-entries", "0", OK) // as when g was dumped
		}
		d := c.Do("DUMP", k)
		MustDo(t, c, "RESTORE", k+"2", "0", string(d.Data), OK)
		MustDo(t, c, "DUMP", k+"2", string(d.Raw))
	}
}
