package server

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// monitorFeed is a client's asynchronous output: MONITOR lines and Pub/Sub
// messages are produced on the main thread and written by the feed's own
// goroutine, so that a slow reader never holds the main thread. While a
// client has a feed, its own replies go through it too (Client.unlockMain
// hands them over under the main-thread lock), to keep their order. MONITOR
// and Pub/Sub share one feed (acquireFeed / releaseFeed).
type monitorFeed struct {
	mu      sync.Mutex
	pending []byte
	limit   int
	wake    chan struct{}
	stop    chan struct{} // closed by releaseFeed
	done    chan struct{} // closed when the goroutine has written all and exited
	prev    *monitorFeed  // a stopped feed of the client still writing: wait for it
}

// monitorOutputLimit is the most a monitor may lag behind before it is
// disconnected (Redis' replica output limit).
const monitorOutputLimit = 256 << 20

func (s *Server) cmdMonitor(c *Ctx, args [][]byte) {
	cl := c.Client
	if c.inExec {
		// Redis: a client that expects one reply per command (inside EXEC)
		// cannot turn into a monitor.
		c.W.Error("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	if cl.monitor != nil {
		// Already monitoring: Redis ignores the command, without a reply.
		return
	}
	cl.monitor = s.acquireFeed(cl, monitorOutputLimit)
	s.monitors[cl] = struct{}{}
	c.W.OK()
}

// acquireFeed gives the client an output feed (starting one if it has
// none) able to hold limit bytes; releaseFeed stops it after its last user.
// Main thread.
func (s *Server) acquireFeed(cl *Client, limit int) *monitorFeed {
	if cl.out == nil {
		feed := &monitorFeed{limit: limit, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
		// A feed stopped in this batch may still be writing: the client's
		// goroutine only drops it at its next flush.
		feed.prev = cl.feed.Load()
		cl.out = feed
		cl.feed.Store(feed)
		s.wg.Add(1)
		go s.runMonitorFeed(cl, feed)
	}
	cl.outUsers++
	cl.out.mu.Lock()
	cl.out.limit = max(cl.out.limit, limit)
	cl.out.mu.Unlock()
	return cl.out
}

func (s *Server) releaseFeed(cl *Client) {
	cl.outUsers--
	if cl.outUsers == 0 {
		close(cl.out.stop)
		cl.out = nil
	}
}

func (f *monitorFeed) enqueue(b []byte) bool {
	f.mu.Lock()
	if len(f.pending)+len(b) > f.limit {
		f.mu.Unlock()
		return false
	}
	f.pending = append(f.pending, b...)
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
	return true
}

func (s *Server) runMonitorFeed(cl *Client, feed *monitorFeed) {
	defer s.wg.Done()
	defer close(feed.done)
	if feed.prev != nil {
		select {
		case <-feed.prev.done:
		case <-cl.killed:
			return
		}
		feed.prev = nil
	}
	for {
		stopping := false
		select {
		case <-feed.stop:
			stopping = true
		case <-cl.killed:
			return
		case <-feed.wake:
		}
		feed.mu.Lock()
		out := feed.pending
		feed.pending = nil
		feed.mu.Unlock()
		if len(out) > 0 {
			if _, err := cl.conn.Write(out); err != nil {
				cl.kill()
				return
			}
		}
		if stopping {
			return
		}
	}
}

// removeMonitor ends MONITOR mode for a client (RESET, disconnection).
func (s *Server) removeMonitor(cl *Client) {
	delete(s.monitors, cl)
	cl.monitor = nil
	s.releaseFeed(cl)
}

// feedMonitors sends a command to every monitor, in Redis' format:
//
//	+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
func (s *Server) feedMonitors(c *Client, cmd *Command, args [][]byte) {
	s.feedMonitorsAs(c, c.addr, args)
}

// feedMonitorsAs feeds a command of c's shown as run by who (an address,
// or "lua" for a script's commands).
func (s *Server) feedMonitorsAs(c *Client, who string, args [][]byte) {
	now := time.Now()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, fmt.Sprintf(".%06d", now.Nanosecond()/1000)...)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db), 10)
	line = append(line, ' ')
	line = append(line, who...)
	line = append(line, ']')
	for _, a := range args {
		line = append(line, ' ')
		line = appendRepr(line, a)
	}
	line = append(line, '\r', '\n')
	for m := range s.monitors {
		if m == c {
			// A monitor sees its own commands too, after their reply, as in
			// Redis (which appends the line to the client's output buffer:
			// inside EXEC, between the replies of the transaction).
			c.w.Raw(line)
			continue
		}
		if !m.monitor.enqueue(line) {
			s.log.Warn("Client " + m.infoLine() + " scheduled to be closed ASAP for overcoming of output buffer limits.")
			m.kill()
		}
	}
}

// redactedArg replaces a secret argument (AUTH's password...) once the
// command has read it, so that MONITOR shows "(redacted)" in its place, as
// Redis' redactClientCommandArgument does.
var redactedArg = []byte("(redacted)")

// redactArg hides args[i] from MONITOR. Only the slice element changes: the
// bytes it pointed to are untouched.
func redactArg(args [][]byte, i int) { args[i] = redactedArg }

// appendRepr quotes b as Redis' sdscatrepr does.
func appendRepr(dst, b []byte) []byte {
	dst = append(dst, '"')
	for _, ch := range b {
		switch ch {
		case '\\', '"':
			dst = append(dst, '\\', ch)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if ch >= 0x20 && ch < 0x7f {
				dst = append(dst, ch)
			} else {
				dst = append(dst, fmt.Sprintf("\\x%02x", ch)...)
			}
		}
	}
	return append(dst, '"')
}
