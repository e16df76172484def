package server

import (
	"io"
	"net"
	"strings"
	"testing"
)

// TestLookupForMatchesLookup: the name a client remembers never stands in
// for another (same length, other case, a subcommand, an unknown name, a
// name too long to remember).
func TestLookupForMatchesLookup(t *testing.T) {
	s := RunT(t, Options{LogOutput: io.Discard})
	a, z := net.Pipe()
	defer a.Close()
	defer z.Close()
	c := newClient(s, a, 1)
	for _, line := range []string{
		"SET k v", "GET k", "GET k", "get k", "gEt k", "SET k v", "DEL k", "NOSUCH", "GET k",
		"CLIENT ID", "CLIENT NOSUCH", "client id", "CLIENT", "GETRANGE k 0 1", "GETDEL k",
		"FT.NOSUCHLONGCOMMANDNAME", "GET k",
	} {
		f := strings.Fields(line)
		args := make([][]byte, len(f))
		for i, x := range f {
			args[i] = []byte(x)
		}
		c.lockMain()
		want, wantSub := s.cmds.lookup(args)
		got, gotSub := s.cmds.lookupFor(c, args)
		c.unlockMain()
		if got != want || gotSub != wantSub {
			name := func(c *Command) string {
				if c == nil {
					return "<nil>"
				}
				return c.Name
			}
			t.Fatalf("%q: lookupFor %s %v, lookup %s %v", line, name(got), gotSub, name(want), wantSub)
		}
	}
}
