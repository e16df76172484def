package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
	file   string // its file in testdata
	mode   string // "", "~", "~pairs", "?", "?hello", "?pttl", "?now", "?started"
	ttl    int64  // ?pttl=N: N
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
		l := diffLine{lineNo: n, file: filepath.Base(path)}
		for text != "" && strings.ContainsRune("~?@", rune(text[0])) {
			mode, rest, _ := strings.Cut(text, " ")
			text = strings.TrimSpace(rest)
			switch {
			case mode == "@2" || mode == "@3":
				l.proto = int(mode[1] - '0')
			case mode == "~" || mode == "~pairs" || mode == "?" || mode == "?hello" || mode == "?now" || mode == "?started" || mode == "?idle":
				l.mode = mode
			case strings.HasPrefix(mode, "?ttl="), strings.HasPrefix(mode, "?ttlat="):
				name, arg, _ := strings.Cut(mode, "=")
				v, err := strconv.ParseInt(arg, 10, 64)
				if err != nil {
					t.Fatalf("%s:%d: bad mode %q", path, n, mode)
				}
				l.mode, l.ttl = name, v
			case strings.HasPrefix(mode, "?pttl="):
				ttl, err := strconv.ParseInt(mode[len("?pttl="):], 10, 64)
				if err != nil || ttl <= 0 {
					t.Fatalf("%s:%d: bad mode %q", path, n, mode)
				}
				l.mode, l.ttl = "?pttl", ttl
			default:
				t.Fatalf("%s:%d: unknown mode %q", path, n, mode)
			}
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

// splitElements splits an aggregate reply into its header line and its raw
// top-level elements, in order.
func splitElements(raw string) (string, []string, bool) {
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
	return header, elems, true
}

// topLevelElements splits an aggregate reply into its header and its raw
// elements, sorted, for an order-insensitive comparison; with pairs, an
// element is a name and its value (a RESP2 map, CONFIG GET's array).
func topLevelElements(raw string, pairs bool) (string, []string, bool) {
	header, elems, ok := splitElements(raw)
	if !ok {
		return "", nil, false
	}
	if pairs {
		if len(elems)%2 != 0 {
			return "", nil, false
		}
		var joined []string
		for i := 0; i < len(elems); i += 2 {
			joined = append(joined, elems[i]+elems[i+1])
		}
		elems = joined
	}
	sort.Strings(elems)
	return header, elems, true
}

// maskHello replaces the values of HELLO's "version" and "id" fields by a
// placeholder, leaving every other byte of the reply as it was.
func maskHello(raw string) (string, bool) {
	header, elems, ok := splitElements(raw)
	if !ok || len(elems)%2 != 0 {
		return "", false
	}
	masked := 0
	for i := 0; i < len(elems); i += 2 {
		if name := elems[i]; name == "$7\r\nversion\r\n" || name == "$2\r\nid\r\n" {
			elems[i+1] = "<masked>"
			masked++
		}
	}
	return header + strings.Join(elems, ""), masked == 2
}

// checkLoose checks a reply of a line compared by its nature rather than
// byte for byte; sent and received bracket the command's round trip,
// started is before either server was started, runStart before this
// protocol's run began. It returns "" or what is wrong.
func checkLoose(l diffLine, reply string, sent, received, started, runStart time.Time) string {
	switch l.mode {
	case "?pttl":
		// The key was given l.ttl ms during this run: what remains is at
		// most that, and at least that minus the run's time so far (and
		// one more ms, both clocks truncating to ms).
		v, ok := parseInteger(reply)
		elapsed := (received.Sub(runStart) + time.Millisecond - 1) / time.Millisecond
		if lo := l.ttl - int64(elapsed) - 1; !ok || v > l.ttl || v < lo {
			return fmt.Sprintf("want an integer in [%d, %d]", lo, l.ttl)
		}
	case "?now":
		// [unix seconds, microseconds] as bulk strings, read from the
		// clock between the request's sending and its reply's arrival
		// (the servers read the same clock as the test).
		_, elems, ok := splitElements(reply)
		if !ok || len(elems) != 2 || reply[0] != '*' {
			return "want a two-element array"
		}
		sec, ok1 := parseBulkInt(elems[0])
		usec, ok2 := parseBulkInt(elems[1])
		at := sec*1_000_000 + usec
		if !ok1 || !ok2 || usec < 0 || usec >= 1_000_000 || at < sent.UnixMicro() || at > received.UnixMicro() {
			return fmt.Sprintf("want [seconds, microseconds] between %d and %d µs", sent.UnixMicro(), received.UnixMicro())
		}
	case "?ttl":
		// The key was given l.ttl seconds during this run, at most e ms
		// ago (the run's time so far); TTL rounds the ms left to the
		// nearest second ((ms + 500) / 1000): at most l.ttl, and at least
		// (l.ttl*1000 - e + 500) / 1000 = l.ttl + floor((500 - e) / 1000),
		// which is l.ttl while e < 500 ms.
		v, ok := parseInteger(reply)
		e := int64((received.Sub(runStart) + time.Millisecond - 1) / time.Millisecond)
		lo := l.ttl + floorDiv(500-e, 1000)
		if !ok || v > l.ttl || v < lo {
			return fmt.Sprintf("want an integer in [%d, %d]", lo, l.ttl)
		}
	case "?ttlat":
		// The key expires at unix second l.ttl: TTL is l.ttl minus the
		// time the server read between sent and received, rounded to the
		// nearest second.
		v, ok := parseInteger(reply)
		lo, hi := l.ttl-received.Unix()-1, l.ttl-sent.Unix()+1
		if !ok || v < lo || v > hi {
			return fmt.Sprintf("want an integer in [%d, %d]", lo, hi)
		}
	case "?idle":
		// OBJECT IDLETIME of a key written during this run: whole seconds
		// of the access clock between the write and now, which for
		// instants w >= runStart and q <= received is at most
		// floor(q) - floor(w) <= ceil(received - runStart).
		v, ok := parseInteger(reply)
		hi := int64((received.Sub(runStart) + time.Second - 1) / time.Second)
		if !ok || v < 0 || v > hi {
			return fmt.Sprintf("want an integer in [0, %d]", hi)
		}
	case "?started":
		// LASTSAVE with save "" and no SAVE: the server's start time,
		// in unix seconds.
		v, ok := parseInteger(reply)
		if !ok || v < started.Unix() || v > received.Unix() {
			return fmt.Sprintf("want an integer in [%d, %d]", started.Unix(), received.Unix())
		}
	}
	return ""
}

// floorDiv is a / b rounded down (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// parseInteger reads a whole ":n\r\n" reply.
func parseInteger(raw string) (int64, bool) {
	s, ok := strings.CutPrefix(raw, ":")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, "\r\n")
	v, err := strconv.ParseInt(s, 10, 64)
	return v, ok && err == nil
}

// parseBulkInt reads a "$len\r\nn\r\n" element holding a decimal integer.
func parseBulkInt(raw string) (int64, bool) {
	_, r := redcon.ReadNextRESP([]byte(raw))
	if r.Type != redcon.Bulk {
		return 0, false
	}
	v, err := strconv.ParseInt(string(r.Data), 10, 64)
	return v, err == nil && strconv.FormatInt(v, 10) == string(r.Data)
}

func TestDifferentialAgainstRedis(t *testing.T) {
	started := time.Now()
	redisAddr := startRedis(t, "--enable-debug-command", "yes")
	ours := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes"}})
	// differential.txt, then one file per command group
	// (differential_<group>.txt), in name order, as one run.
	files, err := filepath.Glob("testdata/differential*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no differential files: %v", err)
	}
	sort.Strings(files)
	var lines []diffLine
	for _, f := range files {
		lines = append(lines, loadDiffLines(t, f)...)
	}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			runStart := time.Now()
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
				sentTheirs := time.Now()
				want, err := theirs.roundTrip(l.args)
				if err != nil {
					t.Fatalf("%s:%d %q: redis-server: %v", l.file, l.lineNo, l.text, err)
				}
				sentMine := time.Now()
				got, err := mine.roundTrip(l.args)
				if err != nil {
					t.Fatalf("%s:%d %q: ours: %v (got %q)", l.file, l.lineNo, l.text, err, got)
				}
				received := time.Now()
				mode := l.mode
				if _, known := knownDifferences[l.text]; known {
					mode = "answered"
				}
				switch mode {
				case "":
					if got != want {
						t.Errorf("%s:%d %q:\n  redis %q\n  ours  %q", l.file, l.lineNo, l.text, want, got)
					}
				case "~", "~pairs":
					hw, ew, ok1 := topLevelElements(want, mode == "~pairs")
					hg, eg, ok2 := topLevelElements(got, mode == "~pairs")
					if !ok1 || !ok2 || hw != hg || strings.Join(ew, "") != strings.Join(eg, "") {
						t.Errorf("%s:%d %q (any order):\n  redis %q\n  ours  %q", l.file, l.lineNo, l.text, want, got)
					}
				case "?hello":
					mw, ok1 := maskHello(want)
					mg, ok2 := maskHello(got)
					if !ok1 || !ok2 || mw != mg {
						t.Errorf("%s:%d %q (version and id masked):\n  redis %q\n  ours  %q", l.file, l.lineNo, l.text, mw, mg)
					}
				case "?pttl", "?ttl", "?ttlat", "?now", "?started", "?idle":
					// Both servers' replies must satisfy the bound: it is
					// the nature of the value, not a tolerance for ours.
					if why := checkLoose(l, want, sentTheirs, sentMine, started, runStart); why != "" {
						t.Errorf("%s:%d %q: redis %q: %s (the check is wrong)", l.file, l.lineNo, l.text, want, why)
					}
					if why := checkLoose(l, got, sentMine, received, started, runStart); why != "" {
						t.Errorf("%s:%d %q: ours %q: %s", l.file, l.lineNo, l.text, got, why)
					}
				case "?":
					if len(got) == 0 || len(want) == 0 || got[0] != want[0] {
						t.Errorf("%s:%d %q (type only):\n  redis %q\n  ours  %q", l.file, l.lineNo, l.text, want, got)
					}
				case "answered":
					if got != "+OK\r\n" {
						t.Errorf("%s:%d %q (%s): ours %q", l.file, l.lineNo, l.text, knownDifferences[l.text], got)
					}
				}
				compared++
			}
			t.Logf("RESP%d: %d commands compared with redis-server", proto, compared)
		})
	}
}
