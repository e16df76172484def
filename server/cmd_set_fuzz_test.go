package server_test

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// setFuzzCommands are what FuzzSetCommands runs, picked by a line's first
// byte.
var setFuzzCommands = []string{"SADD", "SREM", "SCARD", "SISMEMBER", "SMISMEMBER", "SMEMBERS",
	"SPOP", "SRANDMEMBER", "SMOVE", "SINTER", "SINTERSTORE", "SINTERCARD", "SUNION",
	"SUNIONSTORE", "SDIFF", "SDIFFSTORE", "SSCAN", "SET", "CONFIG"}

// FuzzSetCommands runs lines of set commands with any arguments on keys
// a, b and c: no reply may be a server failure (a recovered panic), and
// afterwards every set's SCARD, SMEMBERS and OBJECT ENCODING agree (an intset holds only
// integers, no more than set-max-intset-entries of them, in order).
func FuzzSetCommands(f *testing.F) {
	for _, s := range []string{
		"\x00a 1 2 3\n\x06a 2\n\x0ba b\n",
		"\x00a x y\n\x08a b x\n\x0ab a b\n\x0c2 a b LIMIT 1\n",
		"\x00b -1 00 +1 9223372036854775808\n\x10b 0 MATCH * COUNT 2\n\x07b -5\n",
		"\x12SET set-max-intset-entries 2\n\x00c 1 2 3\n\x0ea b c\n\x0da c\n",
	} {
		f.Add([]byte(s))
	}
	// The log goes nowhere: the server outlives each input's t.
	s := server.RunT(f, server.Options{LogOutput: io.Discard})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Dial(t, s.Addr())
		c.Do("FLUSHALL")
		c.Do("CONFIG", "SET", "set-max-intset-entries", "512")
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			cmd := setFuzzCommands[int(line[0])%len(setFuzzCommands)]
			args := []string{cmd}
			for _, a := range bytes.Split(line[1:], []byte(" ")) {
				if len(a) > 0 {
					args = append(args, string(a))
				}
			}
			if cmd == "CONFIG" && (len(args) != 4 || args[2] != "set-max-intset-entries") {
				continue
			}
			if cmd == "SRANDMEMBER" && len(args) > 2 {
				// (a count of -2^27 answers that many members)
				if n, err := strconv.ParseInt(args[2], 10, 64); err == nil && n < -1000 {
					continue
				}
			}
			r := c.Do(args...)
			if r.Type == '-' && (bytes.Contains(r.Data, []byte("internal error")) ||
				!bytes.HasPrefix(r.Data, []byte("ERR ")) && !bytes.HasPrefix(r.Data, []byte("WRONGTYPE "))) {
				t.Fatalf("%q: %q", args, r.Raw)
			}
		}
		maxIntset, _ := strconv.Atoi(hashStrings(t, c, "CONFIG", "GET", "set-max-intset-entries")[1])
		for _, k := range []string{"a", "b", "c"} {
			if string(c.Do("TYPE", k).Data) != "set" {
				continue
			}
			members := hashStrings(t, c, "SMEMBERS", k)
			card := c.Do("SCARD", k)
			if string(card.Raw) != Int(int64(len(members))) {
				t.Fatalf("%s: SCARD %q, %d members", k, card.Raw, len(members))
			}
			if len(members) == 0 {
				t.Fatalf("%s: an empty set exists", k)
			}
			if string(c.Do("OBJECT", "ENCODING", k).Data) == "intset" {
				if len(members) > maxIntset {
					t.Fatalf("%s: an intset of %d > %d", k, len(members), maxIntset)
				}
				var ns []int64
				for _, m := range members {
					n, err := strconv.ParseInt(m, 10, 64)
					if err != nil || strconv.FormatInt(n, 10) != m {
						t.Fatalf("%s: %q in an intset", k, m)
					}
					ns = append(ns, n)
				}
				if !slices.IsSorted(ns) {
					t.Fatalf("%s: intset out of order: %q", k, members)
				}
			}
		}
	})
}
