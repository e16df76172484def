package server_test

import (
	"bytes"
	"io"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// pubsubFuzzCommands are what FuzzPubsubCommands publishes and asks with,
// picked by a line's first byte.
var pubsubFuzzCommands = []string{"PUBLISH", "SPUBLISH", "PUBSUB"}

// FuzzPubsubCommands: the first line of an input is the channels and the
// patterns (those holding '*', '?' or '[') a subscriber connection
// subscribes to; every other line is PUBLISH, SPUBLISH or PUBSUB with any
// arguments, from another connection. No reply may be a server failure;
// PUBSUB NUMPAT counts the distinct patterns and NUMSUB each channel once;
// and after each PUBLISH the subscriber reads exactly as many messages as
// it reported receivers, each a message or a pmessage of that payload.
func FuzzPubsubCommands(f *testing.F) {
	for _, s := range []string{
		"news h?llo a*\n\x00news hi\n\x00hello x\n\x02NUMPAT\n\x02NUMSUB news a\n",
		"[ab]* x\n\x00ax y\n\x00x z\n\x02CHANNELS *\n\x01x q\n",
		"\n\x02SHARDNUMSUB a b\n\x02HELP\n\x02NOPE\n",
	} {
		f.Add([]byte(s))
	}
	s := server.RunT(f, server.Options{LogOutput: io.Discard})
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Split(data, []byte("\n"))
		sub := Dial(t, s.Addr())
		defer sub.Close()
		chans, pats := map[string]bool{}, map[string]bool{}
		for _, w := range bytes.Fields(lines[0]) {
			name := string(w)
			kind := "subscribe"
			if bytes.ContainsAny(w, "*?[") {
				kind = "psubscribe"
				pats[name] = true
			} else {
				chans[name] = true
			}
			r := sub.Do(kind, name)
			if r.Type != '*' || r.Count != 3 {
				t.Fatalf("%s %q: %q", kind, name, r.Raw)
			}
		}
		c := Dial(t, s.Addr())
		for _, line := range lines[1:] {
			if len(line) == 0 {
				continue
			}
			args := []string{pubsubFuzzCommands[int(line[0])%len(pubsubFuzzCommands)]}
			for _, a := range bytes.Split(line[1:], []byte(" ")) {
				if len(a) > 0 {
					args = append(args, string(a))
				}
			}
			r := c.Do(args...)
			if r.Type == '-' {
				if bytes.Contains(r.Data, []byte("internal error")) || !bytes.HasPrefix(r.Data, []byte("ERR ")) {
					t.Fatalf("%q: %q", args, r.Raw)
				}
				continue
			}
			if args[0] != "PUBLISH" || len(args) != 3 {
				continue
			}
			n, err := strconv.Atoi(string(r.Data))
			if r.Type != ':' || err != nil {
				t.Fatalf("%q: %q", args, r.Raw)
			}
			for range n {
				m := sub.Read()
				var parts []string
				m.ForEach(func(e resp.Reply) bool { parts = append(parts, string(e.Data)); return true })
				ok := len(parts) == 3 && parts[0] == "message" && parts[1] == args[1] && chans[args[1]] && parts[2] == args[2] ||
					len(parts) == 4 && parts[0] == "pmessage" && pats[parts[1]] && parts[2] == args[1] && parts[3] == args[2]
				if !ok {
					t.Fatalf("%q: the subscriber got %q", args, m.Raw)
				}
			}
		}
		if r := c.Do("PUBSUB", "NUMPAT"); string(r.Raw) != Int(int64(len(pats))) {
			t.Fatalf("NUMPAT %q, %d patterns", r.Raw, len(pats))
		}
		for ch := range chans {
			r := c.Do("PUBSUB", "NUMSUB", ch)
			var parts []string
			r.ForEach(func(e resp.Reply) bool { parts = append(parts, string(e.Data)); return true })
			if len(parts) != 2 || parts[1] != "1" {
				t.Fatalf("NUMSUB %q: %q", ch, r.Raw)
			}
		}
		// The next input starts with no subscriber: this one leaves.
		sub.Do("RESET")
	})
}
