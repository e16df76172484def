package server_test

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

func TestPing(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "PING", Status("PONG"))
	MustDo(t, c, "PING", "hello", Bulk("hello"))
	MustDo(t, c, "ping", "a", "b", Err("ERR wrong number of arguments for 'ping' command"))
	MustDo(t, c, "ECHO", "x", Bulk("x"))
	MustDo(t, c, "nosuch", "a", "b", Err("ERR unknown command 'nosuch', with args beginning with: 'a' 'b' "))
	MustDo(t, c, "CONFIG", "GET", "maxclients", Strs("maxclients", "10000"))
	MustDo(t, c, "CONFIG", "nosuch", Err("ERR unknown subcommand 'nosuch'. Try CONFIG HELP."))
	MustDo(t, c, "CONFIG", Err("ERR wrong number of arguments for 'config' command"))
}
