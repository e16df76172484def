package integration

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// sendAndDrain sends raw bytes and returns everything the server sends back
// until it closes the connection; closed is false if it kept it open.
func sendAndDrain(t *testing.T, addr, payload string) (reply string, closed bool) {
	t.Helper()
	return sendAndDrainFrom(t, "", addr, payload)
}

// sendAndDrainFrom is sendAndDrain from the local IP address from (any
// when empty).
func sendAndDrainFrom(t *testing.T, from, addr, payload string) (reply string, closed bool) {
	t.Helper()
	var d net.Dialer
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := io.WriteString(nc, payload); err != nil {
		t.Fatal(err)
	}
	nc.SetReadDeadline(time.Now().Add(2 * time.Second))
	out, err := io.ReadAll(nc)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return string(out), false
	}
	return string(out), true
}

// TestMalformedRequests sends broken requests to a stock redis-server and
// to ours: the same error, the same close, and nobody else is affected.
func TestMalformedRequests(t *testing.T) {
	redisAddr := startRedis(t)
	ours := server.RunT(t)
	bystander := Dial(t, ours.Addr())
	MustDo(t, bystander, "SET", "k", "v", OK)
	payloads := map[string]string{
		"bad multibulk count":  "*x\r\n",
		"count over INT_MAX":   "*2147483648\r\n",
		"missing dollar":       "*1\r\nPING\r\n",
		"bad bulk length":      "*1\r\n$x\r\n",
		"negative bulk length": "*1\r\n$-5\r\n",
		"bulk over limit":      "*1\r\n$536870913\r\n",
		"unbalanced quotes":    "SET \"a b\r\n",
		"quote not followed":   "SET \"a\"b c\r\n",
		"after good commands":  "PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n",
		"inline 1 MB line":     "SET k " + strings.Repeat("x", 1<<20) + "\r\n",
		"mbulk count too long": "*" + strings.Repeat("1", 70000),
		"bulk count too long":  "*1\r\n$" + strings.Repeat("1", 70000),
	}
	for name, p := range payloads {
		t.Run(name, func(t *testing.T) {
			want, wantClosed := sendAndDrain(t, redisAddr, p)
			got, gotClosed := sendAndDrain(t, ours.Addr(), p)
			if got != want || gotClosed != wantClosed {
				t.Fatalf("redis-server: %q (closed %v)\nours:         %q (closed %v)", want, wantClosed, got, gotClosed)
			}
			MustDo(t, bystander, "GET", "k", Bulk("v"))
		})
	}
}

func TestInlineCommands(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	c.SendRaw("SET greeting \"hello world\"\r\nGET greeting\nPING\r\n\r\nECHO '\\'quoted\\''\r\n")
	c.Expect(OK + Bulk("hello world") + Status("PONG") + Bulk("'quoted'"))
}

// TestBigValueAndLimits: a value at the limits Redis sets, and one over.
func TestBigValueAndLimits(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"proto-max-bulk-len 2mb", "client-query-buffer-limit 4mb"}})
	c := Dial(t, s.Addr())
	big := strings.Repeat("v", 2<<20)
	MustDo(t, c, "SET", "big", big, OK)
	MustDo(t, c, "STRLEN", "big", Int(2<<20))
	over := Dial(t, s.Addr())
	over.SendRaw(fmt.Sprintf("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%d\r\n", 2<<20+1))
	over.Expect(Err("ERR Protocol error: invalid bulk length"))
	over.ExpectClosed()
	// A pipeline bigger than the query buffer limit in one go is fine: it
	// is consumed command by command.
	var b []byte
	for i := 0; i < 5; i++ {
		b = resp.AppendCommand(b, "SET", "k"+strconv.Itoa(i), strings.Repeat("x", 1<<20))
	}
	c.SendRaw(string(b))
	c.Expect(strings.Repeat(OK, 5))
}

func TestManyConnections(t *testing.T) {
	s := server.RunT(t)
	admin := Dial(t, s.Addr())
	before := runtime.NumGoroutine()
	const total, parallel = 10000, 50
	var wg sync.WaitGroup
	errs := make(chan error, parallel)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < total/parallel; i++ {
				nc, err := net.Dial("tcp", s.Addr())
				if err != nil {
					errs <- err
					return
				}
				if i%10 == 0 {
					// Some of them say something before they go.
					io.WriteString(nc, "PING\r\n")
					buf := make([]byte, 7)
					nc.SetReadDeadline(time.Now().Add(5 * time.Second))
					if _, err := io.ReadFull(nc, buf); err != nil || string(buf) != "+PONG\r\n" {
						errs <- fmt.Errorf("PING on connection %d: %q %v", i, buf, err)
						nc.Close()
						return
					}
				}
				nc.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	MustDo(t, admin, "PING", Status("PONG"))
	// A client's Dial returns once the kernel has queued its connection,
	// before the server accepts it: when the clients are done, the server
	// may still have connections to accept (a busy machine delays its
	// accept loop). Every one of them is accepted and counted eventually;
	// 60 s is a liveness bound for what takes milliseconds.
	deadline := time.Now().Add(time.Minute)
	for {
		n := infoField(t, admin, "stats", "total_connections_received")
		if n == "10001" {
			break
		}
		if m, _ := strconv.Atoi(n); m > 10001 || time.Now().After(deadline) {
			t.Fatalf("total_connections_received:%s, want 10001 (10000 connections and the admin's)", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Then every connection's goroutine is gone.
	for {
		info := string(admin.Do("INFO", "clients").Data)
		if strings.Contains(info, "connected_clients:1\r\n") && runtime.NumGoroutine() <= before+5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10000 connections: %d goroutines (was %d), INFO:\n%s", runtime.NumGoroutine(), before, info)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// infoField is the value of a field of an INFO section, "" without it.
func infoField(t *testing.T, c *Conn, section, field string) string {
	t.Helper()
	for _, line := range strings.Split(string(c.Do("INFO", section).Data), "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

// TestDisconnectMidPipeline: clients that send a long pipeline ending in the
// middle of a command, and leave: half of them without reading (the server
// may stop anywhere, its replies refused), half after shutting down their
// side only (the server reads everything, to the truncated command, then
// the end of the stream).
func TestDisconnectMidPipeline(t *testing.T) {
	s := server.RunT(t)
	other := Dial(t, s.Addr())
	const rounds, pairs = 20, 2000
	for round := 0; round < rounds; round++ {
		nc, err := net.Dial("tcp", s.Addr())
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		for i := 0; i < pairs; i++ {
			b = resp.AppendCommand(b, "INCR", "counter")
			b = resp.AppendCommand(b, "HSET", "h", "f"+strconv.Itoa(i), strings.Repeat("v", 100))
		}
		b = append(b, "*3\r\n$3\r\nSET\r\n$1\r\nk"...)
		nc.Write(b)
		if round%2 == 0 {
			nc.Close()
			continue
		}
		nc.(*net.TCPConn).CloseWrite()
		// The server closes once it has read to the end: drain its replies.
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, nc); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		nc.Close()
	}
	// Every connection is gone: what each ran is all it will run.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(string(other.Do("INFO", "clients").Data), "connected_clients:1\r\n") {
		if time.Now().After(deadline) {
			t.Fatal("the 20 connections still open after 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Each connection's commands ran in order, each whole or not at all, up
	// to where the server stopped reading it; the 10 that shut down their
	// side only ran all 2000 pairs. If a connection ran i INCRs, it ran the
	// HSETs of f0…f(i-2) at least and of f0…f(i-1) at most, and h holds the
	// fields of the connection that got furthest:
	//   HLEN = 2000 ≤ counter = Σ INCRs, 10 × 2000 ≤ counter ≤ 20 × 2000.
	// The truncated SET never ran.
	var counter int64
	if r := other.Do("GET", "counter"); string(r.Raw) != "$-1\r\n" {
		var err error
		if counter, err = strconv.ParseInt(string(r.Data), 10, 64); err != nil || r.Raw[0] != '$' {
			t.Fatalf("GET counter: %q", r.Raw)
		}
	}
	h := other.Do("HLEN", "h").Int()
	t.Logf("counter %d, HLEN %d", counter, h)
	if h != pairs || counter < rounds/2*pairs || counter > rounds*pairs {
		t.Fatalf("counter %d and HLEN %d: not what 20 connections running a prefix of their pipelines in order, 10 of them whole, give", counter, h)
	}
	MustDo(t, other, "EXISTS", "k", Int(0))
}

// TestMaxClients: the client beyond maxclients gets Redis' error and is
// closed; it counts in rejected_connections, not in
// total_connections_received (networking.c: acceptCommonHandler refuses
// before clientAcceptHandler counts stat_numconnections).
func TestMaxClients(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"maxclients 3"}})
	var conns []*Conn
	for i := 0; i < 3; i++ {
		c := Dial(t, s.Addr())
		MustDo(t, c, "PING", Status("PONG"))
		conns = append(conns, c)
		if i == 0 {
			MustDo(t, c, "CONFIG", "RESETSTAT", OK)
		}
	}
	extra := Dial(t, s.Addr())
	extra.Expect(Err("ERR max number of clients reached"))
	extra.ExpectClosed()
	conns[0].Close()
	// The slot frees once the server has seen the close; until then a
	// client is refused.
	refused := 0
	deadline := time.Now().Add(time.Minute)
	for {
		c := Dial(t, s.Addr())
		c.Send("PING")
		got, _ := c.ReadN(7)
		if got == "+PONG\r\n" {
			break
		}
		if got != "-ERR ma" {
			t.Fatalf("neither PONG nor the maxclients error: %q", got)
		}
		refused++
		if time.Now().After(deadline) {
			t.Fatalf("no slot after a client left: %q", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Since CONFIG RESETSTAT: conns[1], conns[2] and the last client were
	// admitted; extra and the refused attempts were rejected (each read
	// its error after the server counted it).
	stats := map[string]string{}
	for _, line := range strings.Split(string(conns[1].Do("INFO", "stats").Data), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			stats[k] = v
		}
	}
	if got, want := stats["total_connections_received"], "3"; got != want {
		t.Errorf("total_connections_received:%s, want %s (the refused clients are not counted)", got, want)
	}
	if got, want := stats["rejected_connections"], strconv.Itoa(1+refused); got != want {
		t.Errorf("rejected_connections:%s, want %s", got, want)
	}
}

func TestRequirePass(t *testing.T) {
	redisAddr := startRedis(t, "--requirepass", "secret")
	ours := server.RunT(t, server.Options{Config: []string{"requirepass secret"}})
	lines := [][]string{
		{"GET", "k"},
		{"PING"},
		{"HELLO", "3"},
		{"AUTH", "wrong"},
		{"AUTH", "default", "wrong"},
		{"HELLO", "2", "AUTH", "default", "wrong"},
		{"AUTH", "secret"},
		{"SET", "k", "v"},
		{"GET", "k"},
		{"RESET"},
		{"GET", "k"},
		{"AUTH", "default", "secret"},
		{"GET", "k"},
		{"CONFIG", "SET", "requirepass", ""},
		{"AUTH", "x"},
	}
	// Before AUTH, a big request is a protocol error (Redis' unauthenticated
	// limits).
	for _, addr := range []string{redisAddr, ours.Addr()} {
		got, closed := sendAndDrain(t, addr, "*20\r\n")
		if got != "-ERR Protocol error: unauthenticated multibulk length\r\n" || !closed {
			t.Errorf("%s: unauthenticated *20: %q closed=%v", addr, got, closed)
		}
	}
	// Replies here are all RESP2: no sentinel framing (a PING would be
	// refused before AUTH).
	theirs, mine := Dial(t, redisAddr), Dial(t, ours.Addr())
	for _, l := range lines {
		want := string(theirs.Do(l...).Raw)
		got := string(mine.Do(l...).Raw)
		if got != want {
			t.Errorf("%q:\n  redis %q\n  ours  %q", l, want, got)
		}
	}
}

func TestIdleTimeout(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"timeout 1"}})
	c := Dial(t, s.Addr())
	MustDo(t, c, "PING", Status("PONG"))
	t0 := time.Now()
	c.ExpectClosed()
	if d := time.Since(t0); d < 900*time.Millisecond {
		t.Fatalf("idle client closed after %v, before the 1 s timeout", d)
	}
}

// TestProtectedMode: with no password, a client that is not local gets
// Redis' DENIED message. Redis' islocalClient (networking.c) compares the
// client's address, printed, with "127.0.0.1" and "::1": a client connecting
// from 127.0.0.2 (loopback, present on every Linux machine) is not local,
// so the test needs no other interface.
func TestProtectedMode(t *testing.T) {
	redisAddr := startRedis(t)
	ours := server.RunT(t)
	// An admin connection to each, and statistics counted from here.
	var admins []*Conn
	for _, addr := range []string{redisAddr, ours.Addr()} {
		c := Dial(t, addr)
		MustDo(t, c, "CONFIG", "RESETSTAT", OK)
		admins = append(admins, c)
	}
	const outside = "127.0.0.2"
	want, wantClosed := sendAndDrainFrom(t, outside, redisAddr, "PING\r\n")
	got, gotClosed := sendAndDrainFrom(t, outside, ours.Addr(), "PING\r\n")
	if got != want || !gotClosed || !wantClosed || !strings.HasPrefix(got, "-DENIED") {
		t.Fatalf("from %s:\nredis-server: %q (closed %v)\nours: %q (closed %v)", outside, want, wantClosed, got, gotClosed)
	}
	for _, addr := range []string{redisAddr, ours.Addr()} {
		if got, _ := sendAndDrainFrom(t, "127.0.0.1", addr, "PING\r\nQUIT\r\n"); got != "+PONG\r\n+OK\r\n" {
			t.Fatalf("%s from 127.0.0.1: %q", addr, got)
		}
	}
	// The refused client counts in rejected_connections only, the other
	// in total_connections_received, as in redis-server.
	for _, field := range []string{"total_connections_received", "rejected_connections"} {
		if got, want := infoField(t, admins[1], "stats", field), infoField(t, admins[0], "stats", field); got != want || got != "1" {
			t.Errorf("%s:%s, redis-server %s (want 1)", field, got, want)
		}
	}
	c := Dial(t, ours.Addr())
	MustDo(t, c, "CONFIG", "SET", "protected-mode", "no", OK)
	got, _ = sendAndDrainFrom(t, outside, ours.Addr(), "PING\r\nQUIT\r\n")
	if got != "+PONG\r\n+OK\r\n" {
		t.Fatalf("protected-mode no: %q", got)
	}
}

// TestLocalOnlySettings: enable-debug-command and enable-protected-configs
// "local" let only local clients (islocalClient, as protected mode) run
// DEBUG and set protected parameters: from 127.0.0.2 both are refused, as
// redis-server refuses them.
func TestLocalOnlySettings(t *testing.T) {
	redisAddr := startRedis(t, "--protected-mode", "no", "--enable-debug-command", "local", "--enable-protected-configs", "local")
	ours := server.RunT(t, server.Options{Config: []string{"protected-mode no", "enable-debug-command local", "enable-protected-configs local"}})
	payload := "DEBUG SLEEP 0\r\nCONFIG SET dbfilename other.rdb\r\nQUIT\r\n"
	for _, from := range []string{"127.0.0.2", "127.0.0.1"} {
		want, _ := sendAndDrainFrom(t, from, redisAddr, payload)
		got, _ := sendAndDrainFrom(t, from, ours.Addr(), payload)
		if got != want {
			t.Errorf("from %s:\nredis-server: %q\nours:         %q", from, want, got)
		}
		if allowed := !strings.Contains(got, "-ERR"); allowed != (from == "127.0.0.1") {
			t.Errorf("from %s: %q", from, got)
		}
	}
}

// TestQueryBufferLimit: a command that does not fit in
// client-query-buffer-limit closes the connection (Redis logs it and sends
// nothing); others carry on.
func TestQueryBufferLimit(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"proto-max-bulk-len 8mb", "client-query-buffer-limit 1mb"}})
	bystander := Dial(t, s.Addr())
	c := Dial(t, s.Addr())
	c.SendRaw(fmt.Sprintf("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%d\r\n", 2<<20))
	c.SendRaw(strings.Repeat("x", 2<<20))
	c.NetConn().SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(c.NetConn())
	// Closed with our bytes unread: a reset rather than an EOF.
	got, closed := string(b), err == nil || errors.Is(err, syscall.ECONNRESET)
	if got != "" || !closed {
		t.Fatalf("over the query buffer limit: got %q, closed %v (%v)", got, closed, err)
	}
	MustDo(t, bystander, "EXISTS", "k", Int(0))
}
