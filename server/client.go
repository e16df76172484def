package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"go.uber.org/atomic"
)

// Client is a connection and its state. Fields without a comment are
// touched under the main-thread lock only; the I/O buffers belong to the
// client's goroutine.
type Client struct {
	srv     *Server
	id      int64
	conn    net.Conn
	addr    string
	laddr   string
	created time.Time

	name    string
	libName string
	libVer  string
	db      int
	proto   int
	authed  bool
	lastCmd string
	noEvict bool
	noTouch bool

	// MULTI/EXEC and WATCH.
	inMulti   bool
	dirtyCAS  bool // a watched key changed: EXEC fails
	dirtyExec bool // a command was rejected while queuing: EXECABORT
	queued    []queuedCommand
	watched   []watchKey

	// monitor is non-nil for a client in MONITOR mode.
	monitor *monitorFeed
	// pubsub holds the client's subscriptions (nil before its first).
	pubsub *clientPubsub
	// out is the client's active output feed (MONITOR, Pub/Sub), shared by
	// outUsers users; nil when its replies are written directly.
	out      *monitorFeed
	outUsers int

	closeAfterReply bool
	drainOnClose    bool // the last replies (QUIT, protocol error) are written before closing
	holdsGIL        bool // this client's goroutine holds the main-thread lock

	// Owned by the client's goroutine.
	in      []byte // read buffer
	inStart int
	inEnd   int
	w       resp.Writer
	arena   [][]byte // the arguments of the commands of a batch
	bounds  []int    // arena offsets where each command starts
	ctx     Ctx

	// The last command name the client sent, as sent, and its command
	// (commandTable.lookupFor; main thread).
	lastName    [16]byte
	lastNameLen int
	lastBase    *Command

	// Shared with other goroutines.
	lastInteraction atomic.Int64 // unix ms
	queryBufLen     atomic.Int64
	blockedNow      atomic.Bool
	feed            atomic.Pointer[monitorFeed] // set while replies go through a MONITOR feed
	killed          chan struct{}
	listWait        *listWaiter   // the blocked list command waiting (main thread)
	streamWait      *streamWaiter // the blocked XREAD/XREADGROUP waiting (main thread)
	killOnce        sync.Once
}

type queuedCommand struct {
	cmd  *Command
	args [][]byte
}

type watchKey struct {
	db      int
	key     string
	existed bool // the key existed when WATCH ran (only in Client.watched)
}

// ID is the client's CLIENT ID.
func (c *Client) ID() int64 { return c.id }

// Proto is the client's protocol, 2 or 3.
func (c *Client) Proto() int { return c.proto }

// DB is the selected database number.
func (c *Client) DB() int { return c.db }

// Name is the CLIENT SETNAME name.
func (c *Client) Name() string { return c.name }

// Addr is the client's address (ip:port).
func (c *Client) Addr() string { return c.addr }

func newClient(s *Server, conn net.Conn, id int64) *Client {
	c := &Client{
		srv:     s,
		id:      id,
		conn:    conn,
		addr:    conn.RemoteAddr().String(),
		laddr:   conn.LocalAddr().String(),
		created: time.Now(),
		proto:   2,
		authed:  s.params.requirepass.String() == "",
		in:      make([]byte, defaultReadChunkSize),
		killed:  make(chan struct{}),
	}
	c.w.SetProto(2)
	c.lastInteraction.Store(nowMs())
	c.ctx.srv = s
	c.ctx.Client = c
	c.ctx.W = &c.w
	return c
}

// kill disconnects the client from any goroutine: its goroutine stops at the
// next read, or at once if it waits for a blocked command's reply.
func (c *Client) kill() {
	c.killOnce.Do(func() {
		close(c.killed)
		_ = c.conn.Close()
	})
}

func (c *Client) isKilled() bool {
	select {
	case <-c.killed:
		return true
	default:
		return false
	}
}

// serve is the client's goroutine: read, parse every complete command, run
// them under one hold of the main-thread lock, write the replies.
func (c *Client) serve() {
	s := c.srv
	defer s.wg.Done()
	defer c.teardown()
	defer c.recoverPanic()
	for {
		if err := c.read(); err != nil {
			return
		}
		perr := c.processInput()
		if err := c.flush(); err != nil {
			return
		}
		if perr != nil || c.closeAfterReply || c.isKilled() {
			c.drainOnClose = !c.isKilled()
			return
		}
	}
}

// recoverPanic is the last line of defence, for a bug outside command
// handlers (which recover on their own): the client is disconnected, the
// main-thread lock released, and the server goes on.
func (c *Client) recoverPanic() {
	r := recover()
	if r == nil {
		return
	}
	if c.holdsGIL {
		c.unlockMain()
	}
	c.srv.log.Warn(fmt.Sprintf("Panic serving client %s, closing it: %v\n%s", c.addr, r, debug.Stack()))
}

// lockMain and unlockMain take and release the main-thread lock for this
// client's goroutine, remembering that it holds it.
func (c *Client) lockMain() {
	c.srv.gil.Lock()
	c.holdsGIL = true
}

func (c *Client) unlockMain() {
	if c.out != nil && c.w.Len() > 0 {
		c.handOff()
	}
	c.holdsGIL = false
	c.srv.gil.Unlock()
}

// handOff moves the replies built so far into the client's output feed,
// under the main-thread lock, so that they keep their place among the
// messages other clients' commands add to the feed.
func (c *Client) handOff() {
	b := c.w.Bytes()
	if !c.out.enqueue(b) {
		c.srv.log.Warn("Client " + c.infoLine() + " scheduled to be closed ASAP for overcoming of output buffer limits.")
		c.kill()
	}
	c.srv.stats.netOutputBytes.Add(int64(len(b)))
	c.resetOutput()
}

var errQueryBufferLimit = errors.New("query buffer limit")

// read reads what the socket has into the input buffer, growing it when a
// command needs more room.
func (c *Client) read() error {
	if c.inStart == c.inEnd {
		c.inStart, c.inEnd = 0, 0
		if cap(c.in) > 4*defaultReadChunkSize {
			c.in = make([]byte, defaultReadChunkSize)
		}
	}
	if c.inEnd == len(c.in) {
		if c.inStart > 0 {
			c.inEnd = copy(c.in, c.in[c.inStart:c.inEnd])
			c.inStart = 0
		} else {
			limit := c.srv.params.clientQueryBufferLimit.Int()
			if int64(len(c.in)) >= limit {
				c.srv.log.Warn("Closing client that reached max query buffer length: " + c.infoLine() + " (qbuf initial bytes: " + quoteInitial(c.in[:64]) + ")")
				return errQueryBufferLimit
			}
			grown := make([]byte, min(int64(2*len(c.in)), limit))
			copy(grown, c.in[:c.inEnd])
			c.in = grown
		}
	}
	if t := c.srv.params.timeout.Int(); t > 0 {
		_ = c.conn.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Second))
	}
	n, err := c.conn.Read(c.in[c.inEnd:])
	if n > 0 {
		c.inEnd += n
		c.srv.stats.netInputBytes.Add(int64(n))
		c.queryBufLen.Store(int64(c.inEnd - c.inStart))
		c.lastInteraction.Store(c.srv.clockMs.Load())
		return nil
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && !c.isKilled() {
		c.srv.log.Log(context.Background(), LevelVerbose, "Closing idle client")
	}
	if err == nil {
		err = errors.New("empty read")
	}
	return err
}

// ensureRoom makes the buffer large enough for a command of need bytes
// starting at inStart, so that a big argument is read without repeated
// doubling.
func (c *Client) ensureRoom(need int) {
	if need <= len(c.in)-c.inStart {
		return
	}
	limit := c.srv.params.clientQueryBufferLimit.Int()
	size := int64(need) + defaultReadChunkSize
	if size > limit {
		size = limit
	}
	if size <= int64(len(c.in)) {
		return
	}
	grown := make([]byte, size)
	c.inEnd = copy(grown, c.in[c.inStart:c.inEnd])
	c.inStart = 0
	c.in = grown
}

// processInput parses the complete commands in the buffer and runs them. A
// protocol error is answered after the commands before it; the connection is
// then closed.
func (c *Client) processInput() error {
	s := c.srv
	c.arena = c.arena[:0]
	c.bounds = c.bounds[:0]
	var perr *protocolError
	pos := c.inStart
	for pos < c.inEnd {
		lim := requestLimits{maxBulkLen: s.params.protoMaxBulkLen.Int(), unauthorized: !c.authed && s.authRequired()}
		args, n, need, err := parseRequest(c.in[pos:c.inEnd], c.arena[len(c.arena):], lim)
		if err != nil {
			// Always a *protocolError (a type assertion: errors.As would
			// move perr to the heap, an allocation per batch).
			perr, _ = err.(*protocolError)
			break
		}
		if n == 0 {
			if need > 0 {
				c.inStart = pos
				c.ensureRoom(need)
				pos = c.inStart
			}
			break
		}
		pos += n
		if len(args) > 0 {
			c.bounds = append(c.bounds, len(c.arena))
			c.arena = append(c.arena, args...)
		}
		if lim.unauthorized {
			// The limits change once AUTH runs: parse the rest after it.
			break
		}
	}
	if len(c.bounds) > 0 {
		c.ctx.nextStart = time.Time{}
		c.lockMain()
		for i, start := range c.bounds {
			end := len(c.arena)
			if i+1 < len(c.bounds) {
				end = c.bounds[i+1]
			}
			s.execute(c, c.arena[start:end])
			if c.closeAfterReply || c.isKilled() {
				break
			}
			if c.w.Len() > maxPendingOutput && i+1 < len(c.bounds) {
				// Don't build an unbounded reply under the lock: write what we
				// have (the arguments stay valid, the buffer is not touched).
				c.ctx.nextStart = time.Time{}
				c.unlockMain()
				if c.flush() != nil {
					c.kill()
					c.lockMain()
					break
				}
				c.lockMain()
			}
		}
		c.unlockMain()
	}
	// Everything before pos has been run: the buffer can be reused.
	if pos >= c.inEnd {
		c.inStart, c.inEnd = 0, 0
	} else if pos > c.inStart {
		c.inStart = pos
	}
	c.queryBufLen.Store(int64(c.inEnd - c.inStart))
	if perr != nil {
		c.w.Error(perr.reply)
		s.stats.countError(perr.reply)
		s.log.Log(context.Background(), LevelVerbose, "Protocol error ("+strings.TrimPrefix(perr.reply, "ERR Protocol error: ")+") from client: "+c.infoLine())
		return perr
	}
	return nil
}

// maxPendingOutput is how much reply a batch may accumulate before it is
// written out mid-batch.
const maxPendingOutput = 1 << 20

func (c *Client) flush() error {
	if c.w.Len() == 0 {
		return nil
	}
	b := c.w.Bytes()
	var err error
	if f := c.feed.Load(); f != nil {
		select {
		case <-f.stop:
			// MONITOR / Pub/Sub ended: let the feed finish, then write
			// directly (unless the main thread started a new feed).
			<-f.done
			c.feed.CompareAndSwap(f, nil)
			_, err = c.conn.Write(b)
		default:
			if !f.enqueue(b) {
				err = errors.New("monitor output limit")
			}
		}
	} else {
		_, err = c.conn.Write(b)
	}
	c.srv.stats.netOutputBytes.Add(int64(len(b)))
	c.resetOutput()
	return err
}

func (c *Client) resetOutput() {
	if cap(c.w.Bytes()) > 1<<20 {
		c.w.SetBuffer(make([]byte, 0, 16*1024))
	} else {
		c.w.Reset()
	}
}

// teardown unregisters the client and releases what it holds.
func (c *Client) teardown() {
	s := c.srv
	if !c.drainOnClose {
		c.kill()
	}
	c.lockMain()
	s.unwatchAll(c)
	if c.monitor != nil {
		s.removeMonitor(c)
	}
	s.unsubscribeAll(c)
	c.unlockMain()
	if c.drainOnClose {
		// The feed (now stopped) holds the last replies: let it write them,
		// for a second at most.
		if f := c.feed.Load(); f != nil {
			_ = c.conn.SetWriteDeadline(time.Now().Add(time.Second))
			select {
			case <-f.done:
			case <-c.killed:
			}
		}
		c.kill()
	}
	s.unregisterClient(c)
}

// infoLine is the client's CLIENT LIST line (without the newline).
func (c *Client) infoLine() string {
	now := nowMs()
	var b strings.Builder
	b.Grow(256)
	w := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	flags := "" // in Redis' order
	if c.monitor != nil {
		flags += "O"
	}
	if c.subscribed() {
		flags += "P"
	}
	if c.inMulti {
		flags += "x"
	}
	if c.blockedNow.Load() {
		flags += "b"
	}
	if c.dirtyCAS {
		flags += "d"
	}
	if c.closeAfterReply {
		flags += "c"
	}
	if c.noEvict {
		flags += "e"
	}
	if c.noTouch {
		flags += "T"
	}
	if flags == "" {
		flags = "N"
	}
	multi := "-1"
	if c.inMulti {
		multi = itoa(int64(len(c.queued)))
	}
	qbuf := c.queryBufLen.Load()
	w("id", itoa(c.id))
	w("addr", c.addr)
	w("laddr", c.laddr)
	w("fd", itoa(c.id+7))
	w("name", c.name)
	w("age", itoa((now-c.created.UnixMilli())/1000))
	w("idle", itoa((now-c.lastInteraction.Load())/1000))
	w("flags", flags)
	w("db", itoa(int64(c.db)))
	var subs [3]int
	if c.pubsub != nil {
		for k := range subs {
			subs[k] = c.pubsub.count(pubsubKind(k))
		}
	}
	w("sub", itoa(int64(subs[kindChannel])))
	w("psub", itoa(int64(subs[kindPattern])))
	w("ssub", itoa(int64(subs[kindShard])))
	w("multi", multi)
	w("qbuf", itoa(qbuf))
	w("qbuf-free", itoa(int64(defaultReadChunkSize)-min(qbuf, defaultReadChunkSize)))
	w("argv-mem", "0")
	w("multi-mem", "0")
	w("rbs", itoa(int64(defaultReadChunkSize)))
	w("rbp", itoa(int64(defaultReadChunkSize)))
	w("obl", "0")
	w("oll", "0")
	w("omem", "0")
	w("tot-mem", itoa(int64(defaultReadChunkSize)*2))
	w("events", "r")
	cmd := c.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	w("cmd", cmd)
	w("user", "default")
	w("redir", "-1")
	w("resp", itoa(int64(c.proto)))
	if c.libName != "" || c.libVer != "" {
		w("lib-name", c.libName)
		w("lib-ver", c.libVer)
	}
	return b.String()
}

func quoteInitial(b []byte) string {
	return string(appendRepr(nil, b))
}
