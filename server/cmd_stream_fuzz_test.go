package server_test

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// streamFuzzCommands are what FuzzStreamCommands runs, picked by a line's
// first byte.
var streamFuzzCommands = []string{"XADD", "XTRIM", "XREAD", "XREADGROUP", "XRANGE", "XREVRANGE",
	"XDEL", "XLEN", "XGROUP", "XACK", "XPENDING", "XCLAIM", "XAUTOCLAIM", "XSETID", "XINFO", "CONFIG"}

// FuzzStreamCommands runs lines of stream commands with any arguments (the
// XADD/XTRIM and XREAD/XREADGROUP argument parsers above all) on keys s and
// t: no reply may be a server failure (a recovered panic) or an error of
// an unexpected kind, a blocking read runs inside MULTI (where it answers
// at once), and afterwards every stream's XLEN, XRANGE, XREVRANGE, XINFO
// STREAM and XPENDING agree.
func FuzzStreamCommands(f *testing.F) {
	for _, s := range []string{
		"\x00s 1-1 a 1\n\x00s MAXLEN ~ 1 LIMIT 5 * b 2\n\x01s MINID = 1-2\n\x04s - +\n",
		"\x00s NOMKSTREAM 5-* a 1\n\x00t 18446744073709551615-* a 1\n\x02COUNT 1 BLOCK 10 STREAMS s t 0 $\n",
		"\x0fSET stream-node-max-entries 2\n\x00s 1 a 1\n\x00s 2 a 1\n\x00s 3 a 1\n\x06s 2\n\x01s MAXLEN ~ 0\n",
		"\x08CREATE s g $ MKSTREAM\n\x00s 1 a 1\n\x03GROUP g c COUNT 1 STREAMS s >\n\x09s g 1-0\n\x0as g IDLE 0 - + 10 c\n",
		"\x00s 1 a 1\n\x08CREATE s g 0\n\x03GROUP g c NOACK STREAMS s >\n\x0bs g d 0 1-0 FORCE JUSTID\n\x0cs g e 0 0 COUNT 1\n\x0ds 9-9 ENTRIESADDED 5\n\x0eSTREAM s FULL COUNT 0\n",
		"\x05s (+ (-\n\x04s ( (\n\x00s MAXLEN 1 MINID 1 1 a\n\x08DESTROY s g\n\x08SETID s g 0 ENTRIESREAD -1\n",
	} {
		f.Add([]byte(s))
	}
	s := server.RunT(f, server.Options{LogOutput: io.Discard})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Dial(t, s.Addr())
		c.Do("FLUSHALL")
		c.Do("CONFIG", "SET", "stream-node-max-entries", "100")
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			cmd := streamFuzzCommands[int(line[0])%len(streamFuzzCommands)]
			args := []string{cmd}
			for _, a := range bytes.Split(line[1:], []byte(" ")) {
				if len(a) > 0 {
					args = append(args, string(a))
				}
			}
			if cmd == "CONFIG" && (len(args) != 4 || args[2] != "stream-node-max-entries") {
				continue
			}
			if cmd == "XSETID" && len(args) > 2 && strings.HasPrefix(args[2], "18446744073709551615") {
				continue // (the last ID is allowed; it only makes the run short)
			}
			block := (cmd == "XREAD" || cmd == "XREADGROUP") && slices.ContainsFunc(args, func(a string) bool { return strings.EqualFold(a, "block") })
			if block {
				c.Do("MULTI")
			}
			r := c.Do(args...)
			if block {
				r = c.Do("EXEC")
			}
			if r.Type == '-' && (bytes.Contains(r.Data, []byte("internal error")) ||
				!bytes.HasPrefix(r.Data, []byte("ERR ")) && !bytes.HasPrefix(r.Data, []byte("WRONGTYPE ")) &&
					!bytes.HasPrefix(r.Data, []byte("NOGROUP ")) && !bytes.HasPrefix(r.Data, []byte("BUSYGROUP ")) &&
					!bytes.HasPrefix(r.Data, []byte("EXECABORT "))) {
				t.Fatalf("%q: %q", args, r.Raw)
			}
		}
		for _, k := range []string{"s", "t"} {
			if string(c.Do("TYPE", k).Data) != "stream" {
				continue
			}
			all := elems(c.Do("XRANGE", k, "-", "+"))
			var idList []string
			for _, e := range all {
				idList = append(idList, string(elems(e)[0].Data))
			}
			if n := num(c.Do("XLEN", k)); n != int64(len(idList)) {
				t.Fatalf("%s: XLEN %d, XRANGE %d entries", k, n, len(idList))
			}
			for i := 1; i < len(idList); i++ {
				a, b := parseID(t, idList[i-1]), parseID(t, idList[i])
				if !(a[0] < b[0] || a[0] == b[0] && a[1] < b[1]) {
					t.Fatalf("%s: XRANGE out of order: %q", k, idList)
				}
			}
			var rev []string
			for _, e := range elems(c.Do("XREVRANGE", k, "+", "-")) {
				rev = append(rev, string(elems(e)[0].Data))
			}
			slices.Reverse(rev)
			if !slices.Equal(rev, idList) {
				t.Fatalf("%s: XREVRANGE %q, XRANGE %q", k, rev, idList)
			}
			info := elems(c.Do("XINFO", "STREAM", k))
			for i := 0; i+1 < len(info); i += 2 {
				switch string(info[i].Data) {
				case "length":
					if num(info[i+1]) != int64(len(idList)) {
						t.Fatalf("%s: XINFO length %d, %d entries", k, num(info[i+1]), len(idList))
					}
				case "last-generated-id":
					if len(idList) > 0 {
						last, top := parseID(t, string(info[i+1].Data)), parseID(t, idList[len(idList)-1])
						if last[0] < top[0] || last[0] == top[0] && last[1] < top[1] {
							t.Fatalf("%s: last-generated-id %s below the top entry %s", k, info[i+1].Data, idList[len(idList)-1])
						}
					}
				}
			}
			for _, g := range elems(c.Do("XINFO", "GROUPS", k)) {
				ge := elems(g)
				name, pending := string(ge[1].Data), num(ge[5])
				sum := elems(c.Do("XPENDING", k, name))
				if num(sum[0]) != pending {
					t.Fatalf("%s/%s: XPENDING %d, XINFO pending %d", k, name, num(sum[0]), pending)
				}
				var per int64
				for _, cons := range elems(sum[3]) {
					per += num(elems(cons)[1])
				}
				if per != pending {
					t.Fatalf("%s/%s: consumers hold %d of %d pending", k, name, per, pending)
				}
			}
		}
	})
}

func parseID(t *testing.T, id string) [2]uint64 {
	t.Helper()
	var ms, seq uint64
	i := strings.IndexByte(id, '-')
	if i < 0 {
		t.Fatalf("not an ID: %q", id)
	}
	for _, ch := range id[:i] {
		ms = ms*10 + uint64(ch-'0')
	}
	for _, ch := range id[i+1:] {
		seq = seq*10 + uint64(ch-'0')
	}
	return [2]uint64{ms, seq}
}
