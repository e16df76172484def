package rejson_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// The payloads below were computed by hand (a Python script written from
// redis' rdb.c, module.c and crc64.c, not from this code):
//   - 0x07: RDB_TYPE_MODULE_2;
//   - 0x81 + 8 bytes: rdbSaveLen of moduleTypeEncodeId("ReJSON-RL", encver):
//     the 9 characters' indexes in "A-Za-z0-9-_" (R=17 e=30 J=9 S=18 O=14
//     N=13 -=62 R=17 L=11), 6 bits each, then the 10-bit encver 3:
//     0x45e25238df912c03;
//   - 0x05: RDB_MODULE_OPCODE_STRING, then rdbSaveRawString of the compact
//     JSON (redisjson.rs rdb_save: serde_json's serialization, one
//     RedisModule_SaveStringBuffer);
//   - 0x00: RDB_MODULE_OPCODE_EOF; 0x0a 0x00: RDB version 10;
//   - the CRC64 (Jones) of all that, little-endian.
//
// A stock redis-server 7.0, which has no ReJSON type, answers "Bad data
// format" to the first payload, not a checksum error: the framing and the
// checksum are right.
const (
	dumpA1 = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x03\x05\x07{\"a\":1}\x00\x0a\x00\x1a\xb7\x15\xb3\x44\xd1\x3b\x9c"
	// Encoding version 2: the text, then an unsigned 1 and two strings
	// (an old RediSearch index reference), read and dropped.
	restoreV2 = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x02\x05\x0b[true,null]\x02\x01\x05\x03idx\x05\x01k\x00\x0a\x00\x72\xa7\x0b\xde\x31\x1c\xe2\xe6"
	// Encoding version 0 (RedisJSON 1.x's tree) is not read.
	restoreV0 = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x00\x05\x0b[true,null]\x00\x0a\x00\xc1\xb3\xec\x2e\x1f\xe3\xdb\x5b"
	// A type named XXXXXXXXX, which no module registered.
	restoreUnknownType = "\x07\x81\x5d\x75\xd7\x5d\x75\xd7\x5c\x03\x05\x0b[true,null]\x00\x0a\x00\x7d\x93\x4c\x56\x3b\x8f\xb6\xb2"
	// No EOF opcode: the loader reads the version's 0x0a instead.
	restoreNoEOF = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x03\x05\x0b[true,null]\x0a\x00\x08\x99\xc4\x49\xc7\x12\xc8\x00"
	// A string that is not JSON.
	restoreBadJSON = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x03\x05\x02{x\x00\x0a\x00\x37\xf8\x86\x9b\x29\x97\xee\xc6"
	// An unsigned (opcode 2) where the loader asks for a string.
	restoreWrongOpcode = "\x07\x81\x45\xe2\x52\x38\xdf\x91\x2c\x03\x02\x01\x00\x0a\x00\xb4\x6e\x91\x5f\x5d\xfe\x3e\xd9"
)

// TestDumpRestore: DUMP of a JSON key is the type's rdb_save output in an
// RDB_TYPE_MODULE_2 value, and RESTORE reads it (and RedisJSON's older
// encoding version 2) back into a JSON key.
func TestDumpRestore(t *testing.T) {
	c, rec, _ := start(t)
	long := `{"name":"a document longer than twenty bytes","tags":["x","y"],"n":[1,2.5,-3]}`
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "j", "$", `{"a": 1}`, OK},
		{"DUMP", "j", Bulk(dumpA1)},
		{"RESTORE", "j2", "0", dumpA1, OK},
		{"TYPE", "j2", Status("ReJSON-RL")},
		{"JSON.GET", "j2", Bulk(`{"a":1}`)},
		{"RESTORE", "j2", "0", dumpA1, Err("BUSYKEY Target key name already exists.")},
		{"RESTORE", "v2", "0", restoreV2, OK},
		{"JSON.GET", "v2", "$[0]", Bulk(`[true]`)},
		{"RESTORE", "v0", "0", restoreV0, Err("ERR Bad data format")},
		{"RESTORE", "u", "0", restoreUnknownType, Err("ERR Bad data format")},
		{"RESTORE", "u", "0", restoreNoEOF, Err("ERR Bad data format")},
		{"RESTORE", "u", "0", restoreBadJSON, Err("ERR Bad data format")},
		{"RESTORE", "u", "0", restoreWrongOpcode, Err("ERR Bad data format")},
		{"EXISTS", "v0", "u", Int(0)},
		{"JSON.SET", "long", "$", long, OK},
	})
	rec.take()
	payload := string(c.Do("DUMP", "long").Data)
	MustDoAll(t, c, [][]string{
		{"RESTORE", "long2", "0", payload, OK},
		{"JSON.GET", "long2", Bulk(`{"name":"a document longer than twenty bytes","tags":["x","y"],"n":[1,2.5,-3]}`)},
	})
	if got := rec.take(); got != "restore:long2" {
		t.Fatalf("events of RESTORE: %q, want restore:long2", got)
	}
}
