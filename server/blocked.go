package server

import (
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"go.uber.org/atomic"
)

// BlockedClient is the handle of a blocked client: whoever holds it replies
// exactly once, from any goroutine, unless the client gave up first (its
// deadline passed or it disconnected).
type BlockedClient struct {
	proto     int
	deadline  time.Time
	onTimeout func(w *resp.Writer)

	state     atomic.Int32 // blockPending, blockReplied, blockAbandoned
	reply     []byte
	errors    int
	firstErr  string
	done      chan struct{} // closed once reply is set
	abandoned chan struct{} // closed once nobody waits for a reply
	// cleanup runs on the main thread once the wait is over, whatever
	// ended it (set by the command that blocked).
	cleanup func()
}

const (
	blockPending int32 = iota
	blockReplied
	blockAbandoned
	blockClaimed // a main-thread server took it: the reply is being written
)

func newBlockedClient(proto int, deadline time.Time, onTimeout func(w *resp.Writer)) *BlockedClient {
	return &BlockedClient{
		proto:     proto,
		deadline:  deadline,
		onTimeout: onTimeout,
		done:      make(chan struct{}),
		abandoned: make(chan struct{}),
	}
}

// Proto is the protocol the reply must be written in.
func (b *BlockedClient) Proto() int { return b.proto }

// Deadline is when the client stops waiting.
func (b *BlockedClient) Deadline() time.Time { return b.deadline }

// Abandoned is closed when the reply is no longer wanted: work for it can
// stop.
func (b *BlockedClient) Abandoned() <-chan struct{} { return b.abandoned }

// Reply writes the reply with fn and hands it to the client. It reports
// false, and the reply is dropped, if the client stopped waiting or a reply
// was already given.
func (b *BlockedClient) Reply(fn func(w *resp.Writer)) bool {
	if b.state.Load() != blockPending {
		return false
	}
	w := resp.NewWriter(b.proto)
	fn(w)
	if !b.state.CompareAndSwap(blockPending, blockReplied) {
		return false
	}
	b.reply = w.Bytes()
	b.errors, b.firstErr = w.Errors()
	close(b.done)
	return true
}

// claim takes the reply for the caller, who then must call replyClaimed:
// a timeout can no longer fire. It reports false if the client stopped
// waiting or was answered.
func (b *BlockedClient) claim() bool { return b.state.CompareAndSwap(blockPending, blockClaimed) }

// replyClaimed writes the reply of a claimed client.
func (b *BlockedClient) replyClaimed(fn func(w *resp.Writer)) {
	w := resp.NewWriter(b.proto)
	fn(w)
	b.reply = w.Bytes()
	b.errors, b.firstErr = w.Errors()
	b.state.Store(blockReplied)
	close(b.done)
}

// abandon marks the reply as unwanted; it reports false if the reply had
// already been given (then done is, or is about to be, closed).
func (b *BlockedClient) abandon() bool {
	if !b.state.CompareAndSwap(blockPending, blockAbandoned) {
		return false
	}
	close(b.abandoned)
	return true
}

// wait runs on the client's goroutine, without the main-thread lock, until
// the reply, the deadline or the client's death; it writes the reply (or the
// timeout reply) to w and reports whether the client is still alive.
func (b *BlockedClient) wait(c *Client) bool {
	timer := time.NewTimer(time.Until(b.deadline))
	defer timer.Stop()
	select {
	case <-b.done:
		c.w.Raw(b.reply)
		c.srv.countReplyErrors(b.errors, b.firstErr)
		return true
	case <-timer.C:
		if b.abandon() {
			if b.onTimeout != nil {
				before, _ := c.w.Errors()
				b.onTimeout(&c.w)
				after, first := c.w.Errors()
				c.srv.countReplyErrors(after-before, first)
			} else {
				c.w.Error("ERR timeout")
				c.srv.countReplyErrors(1, "ERR timeout")
			}
			return true
		}
		<-b.done
		c.w.Raw(b.reply)
		c.srv.countReplyErrors(b.errors, b.firstErr)
		return true
	case <-c.killed:
		b.abandon()
		return false
	}
}
