// Package testutil holds the raw RESP client and reply builders the tests
// use to assert exact replies, byte for byte, in RESP2 and RESP3.
package testutil

import (
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// ReplyTimeout bounds every wait for a reply: a server that does not answer
// within it is hung.
const ReplyTimeout = 5 * time.Second

// Conn is a raw client connection.
type Conn struct {
	t  testing.TB
	nc net.Conn
	rd *resp.Reader
}

// Dial connects to addr; the connection is closed when the test ends.
func Dial(t testing.TB, addr string) *Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, ReplyTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &Conn{t: t, nc: nc, rd: resp.NewReader(nc, 0)}
}

// NetConn is the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Close closes the connection.
func (c *Conn) Close() { c.nc.Close() }

// Send writes a command as a RESP array.
func (c *Conn) Send(args ...string) {
	c.t.Helper()
	c.SendRaw(string(resp.AppendCommand(nil, args...)))
}

// SendRaw writes bytes as they are.
func (c *Conn) SendRaw(raw string) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ReplyTimeout))
	if _, err := io.WriteString(c.nc, raw); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// Hello3 switches the connection to RESP3 and skips HELLO's reply (read
// raw: the RESP2 reader cannot parse a map), so that the next replies can be
// checked with Expect or MustDo.
func (c *Conn) Hello3() {
	c.t.Helper()
	c.Send("HELLO", "3")
	c.Send("ECHO", "__hello3_done__")
	end := Bulk("__hello3_done__")
	var got strings.Builder
	for !strings.HasSuffix(got.String(), end) {
		b, err := c.ReadN(1)
		if err != nil {
			c.t.Fatalf("HELLO 3: %v (read %q)", err, got.String())
		}
		got.WriteString(b)
	}
}

// Do sends a command and parses the (RESP2) reply.
func (c *Conn) Do(args ...string) resp.Reply {
	c.t.Helper()
	c.Send(args...)
	return c.Read()
}

// Read parses the next (RESP2) reply.
func (c *Conn) Read() resp.Reply {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(ReplyTimeout))
	r, err := c.rd.ReadReply()
	if err != nil {
		c.t.Fatalf("read reply: %v", err)
	}
	return r
}

// ReadN reads exactly n raw bytes (any protocol), or what came before the
// timeout.
func (c *Conn) ReadN(n int) (string, error) {
	if c.rd.Buffered() > 0 {
		// Bytes the RESP2 reader already holds come first.
		var b strings.Builder
		for c.rd.Buffered() > 0 && b.Len() < n {
			r, err := c.rd.ReadReply()
			if err != nil {
				return b.String(), err
			}
			b.Write(r.Raw)
		}
		if b.Len() >= n {
			return b.String(), nil
		}
		rest, err := c.ReadN(n - b.Len())
		return b.String() + rest, err
	}
	buf := make([]byte, n)
	_ = c.nc.SetReadDeadline(time.Now().Add(ReplyTimeout))
	got, err := io.ReadFull(c.nc, buf)
	return string(buf[:got]), err
}

// Expect reads a reply and checks it is exactly want (raw RESP).
func (c *Conn) Expect(want string) {
	c.t.Helper()
	got, err := c.ReadN(len(want))
	if got != want {
		c.t.Fatalf("reply:\n got %q (%v)\nwant %q", got, err, want)
	}
}

// MustDo sends args[:len-1] and checks that the reply is exactly the last
// argument (raw RESP, built with the helpers of this package).
func MustDo(t testing.TB, c *Conn, args ...string) {
	t.Helper()
	want := args[len(args)-1]
	c.Send(args[:len(args)-1]...)
	got, err := c.ReadN(len(want))
	if got != want {
		t.Fatalf("%q:\n got %q (%v)\nwant %q", args[:len(args)-1], got, err, want)
	}
}

// MustDoAll runs MustDo for each case: a command with its exact reply last.
func MustDoAll(t testing.TB, c *Conn, cases [][]string) {
	t.Helper()
	for _, tc := range cases {
		MustDo(t, c, tc...)
	}
}

// ExpectClosed checks that the server closes the connection (after
// draining what it sent) within the reply timeout.
func (c *Conn) ExpectClosed() {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(ReplyTimeout))
	buf := make([]byte, 4096)
	for {
		_, err := c.nc.Read(buf)
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			c.t.Fatalf("connection still open after %v", ReplyTimeout)
		}
		return
	}
}

// Reply builders (raw RESP).

// OK is +OK.
const OK = "+OK\r\n"

// Nil is the RESP2 null bulk.
const Nil = "$-1\r\n"

// NilArray is the RESP2 null array.
const NilArray = "*-1\r\n"

// Null is the RESP3 null.
const Null = "_\r\n"

// Bulk is a bulk string.
func Bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

// Status is a simple string.
func Status(s string) string { return "+" + s + "\r\n" }

// Err is an error reply (msg with its code).
func Err(msg string) string { return "-" + msg + "\r\n" }

// Int is an integer.
func Int(n int64) string { return ":" + strconv.FormatInt(n, 10) + "\r\n" }

// Arr is an array of raw elements.
func Arr(elems ...string) string {
	return "*" + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// Strs is an array of bulk strings.
func Strs(items ...string) string {
	elems := make([]string, len(items))
	for i, s := range items {
		elems[i] = Bulk(s)
	}
	return Arr(elems...)
}

// Map3 is a RESP3 map of raw key/value elements.
func Map3(kv ...string) string {
	return "%" + strconv.Itoa(len(kv)/2) + "\r\n" + strings.Join(kv, "")
}

// Set3 is a RESP3 set of raw elements.
func Set3(elems ...string) string {
	return "~" + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// Double3 is a RESP3 double as Redis prints it.
func Double3(s string) string { return "," + s + "\r\n" }

// Verbatim3 is a RESP3 verbatim string of format "txt".
func Verbatim3(s string) string { return "=" + strconv.Itoa(len(s)+4) + "\r\ntxt:" + s + "\r\n" }
