package server

import (
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Ctx is the context of a command running on the main thread: the client,
// its reply writer, and what a module may do from a command (yield, block
// the client, reach the keyspace). It is only valid during the call.
type Ctx struct {
	srv    *Server
	Client *Client
	W      *resp.Writer
	Cmd    *Command

	start     time.Time
	nextStart time.Time // the end of the previous command of this batch
	clockBase time.Time // the last full clock reading (clockNow)
	now       int64     // unix ms at the start of the command (expiry checks)
	inExec    bool
	blocked   *BlockedClient
	busy      *busyOp
	lastYield time.Time
}

// Server returns the server.
func (c *Ctx) Server() *Server { return c.srv }

// clockResync is how long clockNow goes on from one full clock reading.
const clockResync = 50 * time.Millisecond

// clockNow is time.Now for a command's start at half the cost: one read of
// the monotonic clock (time.Now reads the wall clock too, and on this
// kind of virtual machine each read costs 35-50 ns, more than a GET's own
// work). The wall time is that of the last full reading, at most
// clockResync ago, plus the monotonic time since: it differs from the
// system's by the clock's slew over that time (microseconds), and follows
// a step of the system clock within clockResync.
func (c *Ctx) clockNow() time.Time {
	if !c.clockBase.IsZero() {
		if d := time.Since(c.clockBase); d >= 0 && d < clockResync {
			return c.clockBase.Add(d)
		}
	}
	c.clockBase = time.Now()
	return c.clockBase
}

// DB returns the client's selected database.
func (c *Ctx) DB() *DB { return c.srv.dbs[c.Client.db] }

// Now is the command's start time in unix milliseconds.
func (c *Ctx) Now() int64 { return c.now }

// InMulti reports whether the command runs inside MULTI/EXEC.
func (c *Ctx) InMulti() bool { return c.inExec }

// CanBlock reports whether the command may block its client (not inside
// MULTI/EXEC, where the reply has to be part of EXEC's).
func (c *Ctx) CanBlock() bool { return !c.inExec && c.Client != nil }

// yieldInterval is how often a yielding operation hands the main thread
// over; PING is answered within about this long during such an operation.
const yieldInterval = 2 * time.Millisecond

// Yield lets the goroutines waiting for the main thread run: workers loading
// documents, allow-busy client commands (PING, INFO, CONFIG GET...). Other
// commands keep waiting, and get -BUSY once busy-reply-threshold has passed
// since this command started. reason is the -BUSY error ("" for Redis' own
// wording about module commands). Never call it while holding an index lock.
func (c *Ctx) Yield(reason string) {
	s := c.srv
	if c.busy == nil && s.busy == nil {
		if reason == "" {
			reason = ErrBusyModule
		}
		c.busy = &busyOp{start: c.start, reason: reason, done: make(chan struct{})}
		s.busy = c.busy
		s.busyBegan()
	}
	c.lastYield = time.Now()
	s.gil.handOver(yieldInterval)
}

// YieldIfDue yields if the last yield (or the command's start) is more than
// a yield interval ago. Long loops call it every few iterations.
func (c *Ctx) YieldIfDue(reason string) {
	last := c.lastYield
	if last.IsZero() {
		last = c.start
	}
	if time.Since(last) >= yieldInterval {
		c.Yield(reason)
	}
}

// endBusy ends the busy operation this command started, if any.
func (c *Ctx) endBusy() {
	if c.busy == nil {
		return
	}
	if c.srv.busy == c.busy {
		c.srv.busy = nil
		c.srv.wakePostponed()
	}
	close(c.busy.done)
	c.busy = nil
	c.lastYield = time.Time{}
}

// BlockClient blocks the client: the command returns without a reply, the
// main thread moves on, and the reply comes from any goroutine through the
// returned handle's Reply. Commands pipelined after this one wait for that
// reply. If no reply came within timeout, onTimeout writes one (the handle
// is then abandoned). A timeout <= 0 means the longest block allowed.
// It panics when !CanBlock(): run the work inline instead.
func (c *Ctx) BlockClient(timeout time.Duration, onTimeout func(w *resp.Writer)) *BlockedClient {
	if !c.CanBlock() {
		panic("server: BlockClient called where the client cannot block (MULTI/EXEC)")
	}
	if c.blocked != nil {
		panic("server: BlockClient called twice by one command")
	}
	if timeout <= 0 || timeout > maxBlockDuration {
		timeout = maxBlockDuration
	}
	bc := newBlockedClient(c.Client.proto, time.Now().Add(timeout), onTimeout)
	c.blocked = bc
	return bc
}

// maxBlockDuration bounds every blocked client: none waits forever.
const maxBlockDuration = time.Hour
