package server_test

import (
	"sort"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// Tests of COMMAND and its subcommands, replies checked against
// redis-server 7.0 (the order of COMMAND LIST is Redis' hash order there,
// sorted here: compared as sets).

// COMMAND INFO get, as redis-server 7.0 answers it in RESP2.
const cmdInfoGet = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"

// cmdSorted returns the bulk strings of an array reply, sorted.
func cmdSorted(t *testing.T, c *Conn, args ...string) []string {
	t.Helper()
	out := clientElems(c.Do(args...))
	sort.Strings(out)
	return out
}

func TestCommandInfoDocs(t *testing.T) {
	s, _ := srvWithModule(t)
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"COMMAND", "INFO", "GET", Arr(cmdInfoGet)},
		{"COMMAND", "INFO", "nosuch", "get", Arr(Nil, cmdInfoGet)},
		// Redis' own flags: not the allow_busy we add to CONFIG GET.
		{"COMMAND", "INFO", "config|get", "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"},
		{"COMMAND", "INFO", "client|kill", "*1\r\n*10\r\n$11\r\nclient|kill\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"},
		{"COMMAND", "DOCS", "nosuch", Arr()},
		{"COMMAND", "DOCS", "echo", "*2\r\n$4\r\necho\r\n*10\r\n$7\r\nsummary\r\n$21\r\nEcho the given string\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*4\r\n$4\r\nname\r\n$7\r\nmessage\r\n$4\r\ntype\r\n$6\r\nstring\r\n"},
		// A module command without docs: its group is "module", and the
		// module is named.
		{"COMMAND", "DOCS", "test.nodocs", Arr(Bulk("test.nodocs"), Strs("group", "module", "module", "test"))},
		{"COMMAND", "COUNT", "x", Err("ERR wrong number of arguments for 'command|count' command")},
		{"COMMAND", "foo", Err("ERR unknown subcommand 'foo'. Try COMMAND HELP.")},
	})
	info := c.Do("COMMAND", "INFO", "test.nodocs")
	if !strings.HasPrefix(string(info.Raw), "*1\r\n*10\r\n$11\r\ntest.nodocs\r\n:2\r\n*2\r\n+readonly\r\n+module\r\n:1\r\n:1\r\n:1\r\n") {
		t.Errorf("COMMAND INFO test.nodocs: %q", info.Raw)
	}

	// COMMAND and COMMAND COUNT agree; COMMAND LIST adds the subcommands.
	count := c.Do("COMMAND", "COUNT").Int()
	if all := c.Do("COMMAND"); all.Type != '*' || int64(all.Count) != count || count < 50 {
		t.Errorf("COMMAND has %d entries, COMMAND COUNT says %d", all.Count, count)
	}
	list := cmdSorted(t, c, "COMMAND", "LIST")
	subs := 0
	for _, name := range list {
		if strings.Contains(name, "|") {
			subs++
		}
	}
	if int64(len(list)-subs) != count || subs == 0 {
		t.Errorf("COMMAND LIST: %d names, %d subcommands; COMMAND COUNT %d", len(list), subs, count)
	}

	// RESP3: sets and maps.
	MustDo(t, c, "HELLO", "3", clientHelloReply3WithModule(clientID(t, c)))
	MustDoAll(t, c, [][]string{
		{"COMMAND", "INFO", "get", "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
		{"COMMAND", "INFO", "nosuch", "*1\r\n_\r\n"},
		{"COMMAND", "DOCS", "nosuch", Map3()},
		{"COMMAND", "DOCS", "echo", "%1\r\n$4\r\necho\r\n%5\r\n$7\r\nsummary\r\n$21\r\nEcho the given string\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%2\r\n$4\r\nname\r\n$7\r\nmessage\r\n$4\r\ntype\r\n$6\r\nstring\r\n"},
	})
}

func TestCommandListGetkeys(t *testing.T) {
	s, _ := srvWithModule(t)
	c := Dial(t, s.Addr())
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pattern", "hs*"}, "hscan hset hsetex hsetnx hstrlen"}, // HSETEX: Redis 8
		{[]string{"PATTERN", "CLIENT|I*"}, "client|id client|info"},
		{[]string{"pattern", "nosuch*"}, ""},
		{[]string{"aclcat", "nosuchcat"}, ""},
		{[]string{"module", "nosuch"}, ""},
		{[]string{"module", "test"}, "test.nodocs"},
	} {
		got := strings.Join(cmdSorted(t, c, append([]string{"COMMAND", "LIST", "FILTERBY"}, tc.args...)...), " ")
		if got != tc.want {
			t.Errorf("COMMAND LIST FILTERBY %q: %q, want %q", tc.args, got, tc.want)
		}
	}
	conn := cmdSorted(t, c, "COMMAND", "LIST", "FILTERBY", "aclcat", "connection")
	for _, want := range []string{"auth", "client|id", "echo", "hello", "ping", "select"} {
		if i := sort.SearchStrings(conn, want); i == len(conn) || conn[i] != want {
			t.Errorf("COMMAND LIST FILTERBY aclcat connection lacks %s: %v", want, conn)
		}
	}
	MustDoAll(t, c, [][]string{
		{"COMMAND", "LIST", "FILTERBY", Err("ERR syntax error")},
		{"COMMAND", "LIST", "FILTERBY", "pattern", Err("ERR syntax error")},
		{"COMMAND", "LIST", "FILTERBY", "foo", "x", Err("ERR syntax error")},
		{"COMMAND", "LIST", "FILTERBY", "pattern", "x", "y", Err("ERR syntax error")},
		{"COMMAND", "LIST", "foo", Err("ERR syntax error")},

		{"COMMAND", "GETKEYS", Err("ERR wrong number of arguments for 'command|getkeys' command")},
		{"COMMAND", "GETKEYS", "get", Err("ERR wrong number of arguments for 'command|getkeys' command")},
		{"COMMAND", "GETKEYS", "get", "a", Strs("a")},
		{"COMMAND", "GETKEYS", "GET", "a", Strs("a")},
		{"COMMAND", "GETKEYS", "get", "a", "b", Err("ERR Invalid number of arguments specified for command")},
		{"COMMAND", "GETKEYS", "nosuch", "a", Err("ERR Invalid command specified")},
		{"COMMAND", "GETKEYS", "client", "nosuch", Err("ERR Invalid command specified")},
		{"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2", Strs("a", "b")},
		{"COMMAND", "GETKEYS", "mset", "a", "1", "b", Strs("a", "b")},
		{"COMMAND", "GETKEYS", "config", "get", "x", Err("ERR The command has no key arguments")},
		{"COMMAND", "GETKEYS", "object", "encoding", "k", Strs("k")},
		{"COMMAND", "GETKEYS", "test.nodocs", "k", Strs("k")},
	})
	help := clientElems(c.Do("COMMAND", "HELP"))
	if len(help) < 3 || help[0] != "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" || help[len(help)-1] != "    Prints this help." {
		t.Errorf("COMMAND HELP: %q", help)
	}
}
