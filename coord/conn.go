package coord

import (
	"bufio"
	"fmt"
	"net"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// connState is where a connection to a shard is in its life.
type connState uint8

const (
	stateConnecting   connState = iota // dialing
	stateConnected                     // in round-robin
	stateReconnecting                  // lost; redialed after a back-off
	stateDraining                      // out of round-robin, waiting for its replies
	stateClosed                        // gone
)

// conn is one pipelined RESP connection to a shard, owned by its IO
// runtime's goroutine: only that goroutine changes it. A reader goroutine
// per socket turns replies into events for the runtime. Pending operations
// are tracked per connection, in send order (replies come in that order);
// an operation holds its request, never the connection.
type conn struct {
	rt   *ioRuntime
	node string // host:port
	id   int

	state   connState
	nc      net.Conn
	bw      *bufio.Writer
	gen     int  // increments with each socket: events of an old one are ignored
	wasUp   bool // it has been Connected once
	pending []*op

	backoff   time.Duration
	retryAt   time.Time
	drainFrom time.Time // when it started draining
	drainEnd  time.Time // when a graceful drain gives up
	drainN    int       // requests pending when the drain began
}

// op is a command sent on a connection and waiting for its reply.
type op struct {
	req   *request
	shard int // index of the reply in the request
}

// Reconnection back-off: the module waits 250 ms, we double it up to 2 s.
const (
	backoffMin  = 250 * time.Millisecond
	backoffMax  = 2 * time.Second
	dialTimeout = time.Second
	// writeTimeout bounds a write to a shard: a shard that does not read
	// is treated as a lost connection.
	writeTimeout = 2 * time.Second
)

func (c *conn) stateName() string {
	switch c.state {
	case stateConnecting:
		return "Connecting"
	case stateConnected:
		return "Connected"
	case stateReconnecting:
		return "Reconnecting"
	case stateDraining:
		return fmt.Sprintf("Draining(%d)", len(c.pending))
	}
	return "Closed"
}

// dial opens a socket in the background; the runtime gets a dialed event.
func (c *conn) dial() {
	c.state = stateConnecting
	c.gen++
	gen := c.gen
	rt := c.rt
	rt.wg.Add(1)
	go func() {
		defer rt.wg.Done()
		nc, err := net.DialTimeout("tcp", c.node, dialTimeout)
		if err == nil {
			if tc, ok := nc.(*net.TCPConn); ok {
				tc.SetNoDelay(true)
			}
		}
		if !rt.post(event{kind: evDialed, conn: c, gen: gen, nc: nc, err: err}) && nc != nil {
			nc.Close()
		}
	}()
}

// connected starts the socket's reader.
func (c *conn) connected(nc net.Conn) {
	c.nc = nc
	c.bw = bufio.NewWriterSize(nc, 16<<10)
	c.state = stateConnected
	c.wasUp = true
	c.backoff = 0
	gen := c.gen
	rt := c.rt
	rt.wg.Add(1)
	go func() {
		defer rt.wg.Done()
		rd := resp.NewReader(nc, 0)
		for {
			r, err := rd.ReadReply()
			if err != nil {
				rt.post(event{kind: evLost, conn: c, gen: gen, err: err})
				return
			}
			raw := append([]byte(nil), r.Raw...)
			if !rt.post(event{kind: evReply, conn: c, gen: gen, raw: raw}) {
				return
			}
		}
	}()
}

// send writes a command; a failed write loses the connection.
func (c *conn) send(args [][]byte, o *op) bool {
	var b []byte
	b = redcon.AppendArray(b, len(args))
	for _, a := range args {
		b = redcon.AppendBulk(b, a)
	}
	c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := c.bw.Write(b); err != nil {
		c.lost(err)
		return false
	}
	if err := c.bw.Flush(); err != nil {
		c.lost(err)
		return false
	}
	c.pending = append(c.pending, o)
	return true
}

// lost closes the socket and fails what was pending on it; a connection
// still wanted is redialed after a back-off.
func (c *conn) lost(err error) {
	c.closeSocket()
	c.failPending(fmt.Sprintf("ERR connection to %s lost: %v", c.node, err))
	if c.state == stateDraining || c.state == stateClosed {
		c.state = stateClosed
		return
	}
	c.state = stateReconnecting
	if c.backoff == 0 {
		c.backoff = backoffMin
	} else if c.backoff *= 2; c.backoff > backoffMax {
		c.backoff = backoffMax
	}
	c.retryAt = time.Now().Add(c.backoff)
}

func (c *conn) closeSocket() {
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
	c.gen++ // the reader's last events are now stale
}

// failPending completes every pending operation with an error reply.
func (c *conn) failPending(msg string) {
	ops := c.pending
	c.pending = nil
	for _, o := range ops {
		c.rt.complete(o, nil, msg)
	}
}

// close ends a connection now: its pending operations fail.
func (c *conn) close(reason string) {
	c.closeSocket()
	c.failPending(reason)
	c.state = stateClosed
}
