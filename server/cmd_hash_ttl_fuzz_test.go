package server

import (
	"bytes"
	"strconv"
	"testing"
)

// FuzzHashTTLArgs runs the argument parsers of HEXPIRE (and friends),
// HGETEX and HSETEX on any argument vector their arity admits: none may
// panic, an accepted one names exactly numfields fields (pairs for HSETEX)
// and an expiry within HFE_MAX_ABS_TIME_MSEC, and a rejected one has an
// error reply.
func FuzzHashTTLArgs(f *testing.F) {
	for _, s := range []string{
		"k 10 NX FIELDS 2 a b",
		"k 10 FIELDS 1 a",
		"k 10 gt fields 0 a",
		"k -1 FIELDS 1 a",
		"k 70368744177 FIELDS 1 a",
		"k EX 10 FIELDS 1 a",
		"k PERSIST FIELDS 2 a b",
		"k FNX KEEPTTL FIELDS 1 f v",
		"k PX 5 FXX FIELDS 2 a 1 b 2",
		"k FIELDS 1 f v EX",
		"k EX",
	} {
		f.Add(s)
	}
	const now = 1700000000000
	f.Fuzz(func(t *testing.T, line string) {
		var args [][]byte
		args = append(args, []byte("cmd"))
		for _, a := range bytes.Fields([]byte(line)) {
			args = append(args, a)
		}
		numfields := func(fields [][]byte, at int) {
			// the count precedes the fields
			n, err := strconv.ParseInt(string(args[len(args)-len(fields)-1]), 10, 64)
			if err != nil || n != int64(len(fields)/at) || len(fields)%at != 0 {
				t.Fatalf("%q: %d fields for count %q", line, len(fields), args[len(args)-len(fields)-1])
			}
		}
		if len(args) >= 6 { // HEXPIRE's arity -6
			for _, cmd := range []string{"hexpire", "hpexpire", "hexpireat", "hpexpireat"} {
				a, msg := parseHexpire(args, cmd, now)
				if msg == "" {
					numfields(a.fields, 1)
					if a.at < 0 || a.at > hfeMaxMs+now {
						t.Fatalf("%s %q: expiry %d", cmd, line, a.at)
					}
				}
			}
			a, msg := parseHsetex(args, now)
			if msg == "" {
				numfields(a.pairs, 2)
				if a.flags&hsetexFNX != 0 && a.flags&hsetexFXX != 0 || a.flags&hsetexTTL != 0 && a.flags&hsetexKeepTTL != 0 {
					t.Fatalf("%q: flags %b", line, a.flags)
				}
			}
		}
		if len(args) >= 5 { // HGETEX's arity -5
			a, msg := parseHgetex(args, now)
			if msg == "" {
				numfields(a.fields, 1)
				if a.persist && a.setTTL {
					t.Fatalf("%q: persist and a TTL", line)
				}
			}
		}
	})
}
