package server_test

import (
	"bytes"
	"io"
	"math/bits"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// runFuzzLines runs each line of data as a command picked by its first byte
// from cmds, its arguments split on spaces: no reply may be a server
// failure (a recovered panic's "internal error", or an error without
// Redis' prefixes). skip drops a command the fuzzer must not send (one
// that would block, or answer too much).
func runFuzzLines(t *testing.T, c *Conn, data []byte, cmds []string, skip func(args []string) bool) {
	t.Helper()
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		args := []string{cmds[int(line[0])%len(cmds)]}
		for _, a := range bytes.Split(line[1:], []byte(" ")) {
			if len(a) > 0 {
				args = append(args, string(a))
			}
		}
		if skip != nil && skip(args) {
			continue
		}
		r := c.Do(args...)
		if r.Type == '-' && (bytes.Contains(r.Data, []byte("internal error")) ||
			!bytes.HasPrefix(r.Data, []byte("ERR ")) && !bytes.HasPrefix(r.Data, []byte("WRONGTYPE "))) {
			t.Fatalf("%q: %q", args, r.Raw)
		}
	}
}

// hugeCount is a count argument that would make a reply or a value too
// large for a fuzzing run.
func hugeCount(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && (n > 10_000 || n < -10_000)
}

var listFuzzCommands = []string{"LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN",
	"LRANGE", "LINDEX", "LSET", "LREM", "LTRIM", "LINSERT", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP",
	"SET", "CONFIG"}

// FuzzListCommands runs lines of list commands (the blocking ones parse
// their arguments as their non-blocking forms do, and would block here) on
// keys a, b and c with any arguments: no server failure, and afterwards
// every list's LLEN is the length of LRANGE 0 -1, and no empty list exists.
func FuzzListCommands(f *testing.F) {
	for _, s := range []string{
		"\x00a 1 2 3\n\x07a 0 -1\n\x0ca BEFORE 2 x\n\x0da x RANK -1 COUNT 0 MAXLEN 2\n",
		"\x01b x y z\n\x0eb c LEFT RIGHT\n\x102 b c RIGHT COUNT 2\n\x0bb 1 -1\n",
		"\x12SET list-max-listpack-size 2\n\x00c 1 2 3 4 5\n\x0ac 0 x\n\x09c 1\n",
	} {
		f.Add([]byte(s))
	}
	s := server.RunT(f, server.Options{LogOutput: io.Discard})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Dial(t, s.Addr())
		c.Do("FLUSHALL")
		c.Do("CONFIG", "SET", "list-max-listpack-size", "-2")
		runFuzzLines(t, c, data, listFuzzCommands, func(args []string) bool {
			if args[0] == "CONFIG" {
				return len(args) != 4 || args[1] != "SET" || args[2] != "list-max-listpack-size" || hugeCount(args[3])
			}
			return false
		})
		for _, k := range []string{"a", "b", "c"} {
			if string(c.Do("TYPE", k).Data) != "list" {
				continue
			}
			elems := hashStrings(t, c, "LRANGE", k, "0", "-1")
			if n := c.Do("LLEN", k); string(n.Raw) != Int(int64(len(elems))) {
				t.Fatalf("%s: LLEN %q, LRANGE has %d", k, n.Raw, len(elems))
			}
			if len(elems) == 0 {
				t.Fatalf("%s: an empty list exists", k)
			}
		}
	})
}

var bitFuzzCommands = []string{"SETBIT", "GETBIT", "BITCOUNT", "BITPOS", "BITOP", "BITFIELD",
	"BITFIELD_RO", "SET", "APPEND", "SETRANGE", "GETRANGE"}

// FuzzBitCommands runs lines of bitmap commands on keys a, b and c with any
// arguments (offsets kept below 2^20 bits, so that no value grows past 128
// KiB): no server failure, and afterwards every string's BITCOUNT is the
// number of set bits of its GET, and STRLEN its length.
func FuzzBitCommands(f *testing.F) {
	for _, s := range []string{
		"\x00a 7 1\n\x01a 7\n\x02a 0 -1 BIT\n\x03a 1 0 -1 BYTE\n",
		"\x07b abc\n\x04AND c a b\n\x05c GET u8 0 SET i5 #1 -3 INCRBY u2 100 1 OVERFLOW SAT INCRBY i8 0 200\n",
		"\x06a GET i64 0 GET u63 1\n\x09a 3 xyz\n\x0aa 0 -1\n\x04NOT c a\n",
	} {
		f.Add([]byte(s))
	}
	s := server.RunT(f, server.Options{LogOutput: io.Discard})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Dial(t, s.Addr())
		c.Do("FLUSHALL")
		runFuzzLines(t, c, data, bitFuzzCommands, func(args []string) bool {
			for _, a := range args[1:] {
				a = string(bytes.TrimPrefix([]byte(a), []byte("#")))
				if n, err := strconv.ParseInt(a, 10, 64); err == nil && (n >= 1<<17 || n <= -(1<<17)) {
					return true // an offset that would make a huge value
				}
			}
			return false
		})
		for _, k := range []string{"a", "b", "c"} {
			if string(c.Do("TYPE", k).Data) != "string" {
				continue
			}
			v := c.Do("GET", k).Data
			ones := 0
			for _, b := range v {
				ones += bits.OnesCount8(b)
			}
			if n := c.Do("BITCOUNT", k); string(n.Raw) != Int(int64(ones)) {
				t.Fatalf("%s: BITCOUNT %q, GET has %d bits set", k, n.Raw, ones)
			}
			if n := c.Do("STRLEN", k); string(n.Raw) != Int(int64(len(v))) {
				t.Fatalf("%s: STRLEN %q, GET has %d bytes", k, n.Raw, len(v))
			}
		}
	})
}
