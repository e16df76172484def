package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// knownDifferences are the lines whose replies differ from Redis 7.0 on
// purpose, with the reason. They are only checked to be answered (7.0
// replies an error where we follow Redis 7.2).
var knownDifferences = map[string]string{
	"CLIENT SETINFO LIB-NAME mylib": "CLIENT SETINFO is Redis 7.2's (go-redis and redis-py 5 send it)",
	"CLIENT NO-TOUCH on":            "CLIENT NO-TOUCH is Redis 7.2's",
	"CLIENT NO-TOUCH off":           "CLIENT NO-TOUCH is Redis 7.2's",
}

type diffLine struct {
	lineNo int
	mode   string // "", "~", "?"
	proto  int    // 0 = both
	args   []string
	text   string
}

func loadDiffLines(t *testing.T, path string) []diffLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []diffLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		l := diffLine{lineNo: n}
		for {
			switch {
			case strings.HasPrefix(text, "~ "), strings.HasPrefix(text, "? "):
				l.mode = text[:1]
				text = strings.TrimSpace(text[2:])
				continue
			case strings.HasPrefix(text, "@2 "), strings.HasPrefix(text, "@3 "):
				l.proto = int(text[1] - '0')
				text = strings.TrimSpace(text[3:])
				continue
			}
			break
		}
		args, ok := server.SplitArgs(text)
		if !ok || len(args) == 0 {
			t.Fatalf("%s:%d: cannot parse %q", path, n, text)
		}
		l.args, l.text = args, text
		out = append(out, l)
	}
	return out
}

// rawClient sends commands and returns raw replies, framed by a sentinel
// command sent after each one (so that any RESP3 reply can be compared
// without parsing it): a PING with a unique argument, or inside MULTI, where
// commands are queued, the two commands that reply at once with errors
// that do not abort the transaction.
type rawClient struct {
	nc      net.Conn
	buf     []byte
	seq     int
	inMulti bool
}

func dialRaw(t *testing.T, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawClient{nc: nc}
}

const multiSentinel = "-ERR MULTI calls can not be nested\r\n-ERR WATCH inside MULTI is not allowed\r\n"

func (c *rawClient) roundTrip(args []string) (string, error) {
	// The state after this command decides which sentinel is answered.
	switch strings.ToUpper(args[0]) {
	case "MULTI":
		c.inMulti = true
	case "EXEC", "DISCARD", "RESET":
		c.inMulti = false
	}
	req := resp.AppendCommand(nil, args...)
	var end []byte
	if c.inMulti {
		req = resp.AppendCommand(req, "MULTI")
		req = resp.AppendCommand(req, "WATCH", "x")
		end = []byte(multiSentinel)
	} else {
		c.seq++
		sentinel := fmt.Sprintf("__mrs_sentinel_%d__", c.seq)
		req = resp.AppendCommand(req, "PING", sentinel)
		end = []byte(fmt.Sprintf("$%d\r\n%s\r\n", len(sentinel), sentinel))
	}
	c.nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.nc.Write(req); err != nil {
		return "", err
	}
	tmp := make([]byte, 64*1024)
	for {
		if i := bytes.Index(c.buf, end); i >= 0 {
			reply := string(c.buf[:i])
			c.buf = append(c.buf[:0], c.buf[i+len(end):]...)
			return reply, nil
		}
		n, err := c.nc.Read(tmp)
		c.buf = append(c.buf, tmp[:n]...)
		if err != nil {
			return string(c.buf), err
		}
	}
}

// topLevelElements splits an array reply (RESP2-typed elements) into its
// raw elements, sorted, for an order-insensitive comparison.
func topLevelElements(raw string) (string, []string, bool) {
	b := []byte(raw)
	if len(b) == 0 || (b[0] != '*' && b[0] != '~' && b[0] != '%') {
		return "", nil, false
	}
	nl := bytes.IndexByte(b, '\n')
	header := string(b[:nl+1])
	rest := b[nl+1:]
	var elems []string
	for len(rest) > 0 {
		n, r := redcon.ReadNextRESP(rest)
		if n == 0 {
			return "", nil, false
		}
		elems = append(elems, string(r.Raw))
		rest = rest[n:]
	}
	sort.Strings(elems)
	return header, elems, true
}

func TestDifferentialAgainstRedis(t *testing.T) {
	redisAddr := startRedis(t, "--enable-debug-command", "yes")
	ours := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	lines := loadDiffLines(t, "testdata/differential.txt")
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			theirs, mine := dialRaw(t, redisAddr), dialRaw(t, ours.Addr())
			setup := [][]string{{"FLUSHALL"}}
			if proto == 3 {
				setup = append(setup, []string{"HELLO", "3"})
			}
			for _, args := range setup {
				if _, err := theirs.roundTrip(args); err != nil {
					t.Fatal(err)
				}
				if _, err := mine.roundTrip(args); err != nil {
					t.Fatal(err)
				}
			}
			compared := 0
			for _, l := range lines {
				if l.proto != 0 && l.proto != proto {
					continue
				}
				want, err := theirs.roundTrip(l.args)
				if err != nil {
					t.Fatalf("line %d %q: redis-server: %v", l.lineNo, l.text, err)
				}
				got, err := mine.roundTrip(l.args)
				if err != nil {
					t.Fatalf("line %d %q: ours: %v (got %q)", l.lineNo, l.text, err, got)
				}
				mode := l.mode
				if _, known := knownDifferences[l.text]; known {
					mode = "answered"
				}
				switch mode {
				case "":
					if got != want {
						t.Errorf("line %d %q:\n  redis %q\n  ours  %q", l.lineNo, l.text, want, got)
					}
				case "~":
					hw, ew, ok1 := topLevelElements(want)
					hg, eg, ok2 := topLevelElements(got)
					if !ok1 || !ok2 || hw != hg || strings.Join(ew, "") != strings.Join(eg, "") {
						t.Errorf("line %d %q (any order):\n  redis %q\n  ours  %q", l.lineNo, l.text, want, got)
					}
				case "?":
					if len(got) == 0 || len(want) == 0 || got[0] != want[0] {
						t.Errorf("line %d %q (type only):\n  redis %q\n  ours  %q", l.lineNo, l.text, want, got)
					}
				case "answered":
					if got != "+OK\r\n" {
						t.Errorf("line %d %q (%s): ours %q", l.lineNo, l.text, knownDifferences[l.text], got)
					}
				}
				compared++
			}
			t.Logf("RESP%d: %d commands compared with redis-server", proto, compared)
		})
	}
}
