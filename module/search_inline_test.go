package module

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// yieldProbe checks that a main-thread operation lets other clients in at
// its yield points, by ordering rather than timing. Installed as the
// module's atYield hook (or called between a scan's batches), at the first
// yield point it reaches it sends a PING from a second connection; at each
// yield point until that PING has run, it waits for the PING to be queued
// for the main thread and for the yield to be due (the interval is 2 ms),
// so that an operation that yields there hands the main thread over; once
// the PING has run (the server counted one more command), it waits for the
// PONG to reach the client before it lets the operation go on. How long the
// operation lasts thus depends on its number of yield points, not on the
// machine's speed; an operation that does not yield runs to its end with
// the PING still waiting, and the probe never sees it answered. Meanwhile
// the test sends no other command, until ponged is closed.
type yieldProbe struct {
	ping   *testutil.Conn
	ponged chan struct{} // closed once the PING's reply (or a read error) is in reply
	reply  string

	mu       sync.Mutex
	srv      *server.Server
	points   int   // yield points reached
	sent     bool  // the PING was sent
	base     int64 // commands run when it was sent
	answered bool  // PONG reached the client while the operation was stopped at a yield point
	answerAt int   // at which yield point
	failure  string
}

func newYieldProbe() *yieldProbe { return &yieldProbe{ponged: make(chan struct{})} }

// start connects the probe's PING client to a running server.
func (p *yieldProbe) start(t *testing.T, s *server.Server) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv = s
	p.ping = testutil.Dial(t, s.Addr())
}

// at is the hook: it runs on the main thread, at a yield point.
func (p *yieldProbe) at() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.points++
	if p.answered || p.failure != "" || p.srv == nil {
		return
	}
	if !p.sent {
		p.sent = true
		p.base = p.srv.CommandsProcessed()
		go func() {
			defer close(p.ponged)
			if _, err := p.ping.NetConn().Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
				p.reply = err.Error()
				return
			}
			got, err := p.ping.ReadN(len("+PONG\r\n"))
			if err != nil {
				got += " (" + err.Error() + ")"
			}
			p.reply = got
		}()
	}
	// Liveness bounds only: each wait normally takes microseconds.
	const bound = 10 * time.Second
	if p.srv.CommandsProcessed() > p.base {
		// The PING ran while the operation yielded: its reply is on its way.
		select {
		case <-p.ponged:
			p.answered, p.answerAt = true, p.points
		case <-time.After(bound):
			p.failure = "the PING ran at a yield point but no reply came in 10 s"
		}
		return
	}
	deadline := time.Now().Add(bound)
	for p.srv.GIL().Waiting() == 0 {
		if time.Now().After(deadline) {
			p.failure = "the PING was not queued for the main thread in 10 s"
			return
		}
		time.Sleep(20 * time.Microsecond)
	}
	time.Sleep(2 * time.Millisecond) // the server's yield interval: the yield is due
}

// check fails the test unless the PING was answered while the operation
// was stopped at one of its yield points.
func (p *yieldProbe) check(t *testing.T, what string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Logf("%s: %d yield points; the PING was answered by yield point %d", what, p.points, p.answerAt)
	if p.failure != "" {
		t.Fatalf("%s: %s", what, p.failure)
	}
	if p.points == 0 {
		t.Fatalf("%s reached no yield point", what)
	}
	if !p.answered {
		reply := "no reply"
		select {
		case <-p.ponged:
			reply = p.reply
		case <-time.After(testutil.ReplyTimeout):
		}
		t.Fatalf("%s: the PING sent at its first yield point was answered only after it ended (%d yield points; reply %q)",
			what, p.points, reply)
	}
	if p.reply != "+PONG\r\n" {
		t.Fatalf("%s: PING answered %q", what, p.reply)
	}
}

// TestInlineQueryYields: with no workers, a query runs on the main thread
// and yields every 256 results; a PING sent while it runs is answered
// before the query ends.
func TestInlineQueryYields(t *testing.T) {
	const n = 10000 // every document has "hello": 39 yield points
	probe, c := inlineProbeServer(t, n)
	r := c.Do("FT.SEARCH", "idx", "hello", "NOCONTENT", "LIMIT", "0", "1", "TIMEOUT", "0")
	if e := elems(r); len(e) != 2 || e[0].Int() != n {
		t.Fatalf("FT.SEARCH hello: %s, want %d results", r.Raw, n)
	}
	probe.check(t, "FT.SEARCH hello")
}

// inlineProbeServer starts a server with no workers whose main-thread
// queries stop at their yield points for probe, indexes n documents that
// all hold "hello", and starts the probe.
func inlineProbeServer(t *testing.T, n int) (*yieldProbe, *testutil.Conn) {
	t.Helper()
	m := New()
	probe := newYieldProbe()
	m.debug.atYield = probe.at
	s := server.RunT(t, server.Options{Modules: []server.Module{m}})
	c := testutil.Dial(t, s.Addr())
	testutil.MustDo(t, c, "CONFIG", "SET", "search-workers", "0", testutil.OK)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	loadHashes(t, c, n)
	probe.start(t, s)
	return probe, c
}

func elems(r resp.Reply) []resp.Reply {
	var out []resp.Reply
	r.ForEach(func(v resp.Reply) bool {
		out = append(out, v)
		return true
	})
	return out
}

// TestInlineQueryDuringScan: inline queries that yield while the initial
// scan writes to the index start again rather than read stale postings;
// every reply is whole and counts at most what was loaded.
func TestInlineQueryDuringScan(t *testing.T) {
	m := New()
	s := server.RunT(t, server.Options{Modules: []server.Module{m}})
	c := testutil.Dial(t, s.Addr())
	const n = 40000
	loadHashes(t, c, n)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	deadline := time.Now().Add(30 * time.Second)
	for infoField(t, c, "idx", "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the initial scan did not finish in 30 s")
		}
		r := c.Do("FT.SEARCH", "idx", "hello", "SORTBY", "n", "LIMIT", "0", "2", "TIMEOUT", "0")
		e := elems(r)
		if len(e) == 0 {
			t.Fatalf("FT.SEARCH during the scan: %s", r.Raw)
		}
		total := e[0].Int()
		if len(e) != 1+2*min(int(total), 2) || total > n {
			t.Fatalf("FT.SEARCH during the scan: %s", r.Raw)
		}
		if total >= 2 {
			a, _ := strconv.Atoi(strings.TrimPrefix(e[1].String(), "doc:"))
			b, _ := strconv.Atoi(strings.TrimPrefix(e[3].String(), "doc:"))
			if a >= b {
				t.Fatalf("results during the scan not in SORTBY order: %s, %s", e[1].String(), e[3].String())
			}
		}
	}
	t.Logf("%d queries started again after a yield", m.restarts.Load())
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "w"+strconv.Itoa(n-1), "NOCONTENT",
		testutil.Arr(testutil.Int(1), testutil.Bulk("doc:"+strconv.Itoa(n-1))))
}

// TestInlineAggregateYields: with no workers, an FT.AGGREGATE runs on the
// main thread and its pipeline yields every 256 documents (a 100 000-document
// GROUPBY once held PING for 487 ms); a PING sent while the GROUPBY reads
// its documents is answered before it ends.
func TestInlineAggregateYields(t *testing.T) {
	const n = 10000 // every document has "hello": 39 yield points in the pipeline
	probe, c := inlineProbeServer(t, n)
	// One group of every document; the reply's shape as the module's
	// recordings have it for GROUPBY 0: [1, [alias, value]].
	testutil.MustDo(t, c, "FT.AGGREGATE", "idx", "hello", "GROUPBY", "0", "REDUCE", "COUNT", "0", "AS", "c", "TIMEOUT", "0",
		testutil.Arr(testutil.Int(1), testutil.Arr(testutil.Bulk("c"), testutil.Bulk(strconv.Itoa(n)))))
	probe.check(t, "FT.AGGREGATE hello GROUPBY 0")
}
