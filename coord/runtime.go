package coord

import (
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/tidwall/redcon"
	"go.uber.org/atomic"
)

// ioRuntime is one IO goroutine with its connection manager (a pool per
// shard) and its request queue. Only its goroutine touches them; it never
// takes the main-thread lock.
type ioRuntime struct {
	id  int
	log *slog.Logger

	tasks  chan func() // from other goroutines: requests, resizes, state queries
	events chan event  // from sockets and dialers
	stop   chan struct{}
	wg     sync.WaitGroup // its goroutines: the loop, readers, dialers

	// Owned by the loop.
	nodes      []string           // host:port of every shard, itself included
	pools      map[string][]*conn // per node, in round-robin order
	rr         map[string]int
	draining   []*conn
	perNode    int        // connections per node
	queue      []*request // waiting for a slot
	pending    int        // requests holding a slot
	maxPending int
	inflight   map[*request]struct{}
	nextConnID int

	graceful     func() bool
	drainTimeout func() time.Duration

	stats runtimeStats
}

// runtimeStats mirror the loop's counters for readers on other goroutines
// (INFO runs on the main thread and must not wait for an IO runtime).
type runtimeStats struct {
	pending, maxPending, queued atomic.Int64
	draining                    atomic.Int64
	drains, drainsTimedOut      atomic.Int64
	// shardReplies counts the commands sent to shards whose reply has not
	// come back, over every connection (draining ones included): a request
	// in flight on 3 shards awaits 3 of them until each answers.
	shardReplies atomic.Int64
}

// publish refreshes the mirrors; the loop calls it after every step.
func (rt *ioRuntime) publish() {
	rt.stats.pending.Store(int64(rt.pending))
	rt.stats.maxPending.Store(int64(rt.maxPending))
	rt.stats.queued.Store(int64(len(rt.queue)))
	rt.stats.draining.Store(int64(len(rt.draining)))
	awaited := 0
	for _, conns := range rt.pools {
		for _, c := range conns {
			awaited += len(c.pending)
		}
	}
	for _, c := range rt.draining {
		awaited += len(c.pending)
	}
	rt.stats.shardReplies.Store(int64(awaited))
}

// pendingFactor is the module's PENDING_FACTOR: requests in flight per
// connection of a node.
const pendingFactor = 50

type eventKind uint8

const (
	evDialed eventKind = iota
	evReply
	evLost
)

type event struct {
	kind eventKind
	conn *conn
	gen  int
	nc   net.Conn
	raw  []byte
	err  error
}

func newRuntime(id int, log *slog.Logger, nodes []string, perNode int, graceful func() bool, drainTimeout func() time.Duration) *ioRuntime {
	rt := &ioRuntime{
		id: id, log: log,
		tasks:    make(chan func(), 1024),
		events:   make(chan event, 1024),
		stop:     make(chan struct{}),
		nodes:    nodes,
		pools:    map[string][]*conn{},
		rr:       map[string]int{},
		inflight: map[*request]struct{}{},
		graceful: graceful, drainTimeout: drainTimeout,
	}
	rt.perNode = perNode
	rt.maxPending = perNode * pendingFactor
	rt.publish()
	for _, n := range nodes {
		for i := 0; i < perNode; i++ {
			rt.addConn(n)
		}
	}
	rt.wg.Add(1)
	go rt.loop()
	return rt
}

func (rt *ioRuntime) addConn(node string) {
	rt.nextConnID++
	c := &conn{rt: rt, node: node, id: rt.nextConnID}
	rt.pools[node] = append(rt.pools[node], c)
	c.dial()
}

// post hands an event to the loop; false once the runtime stopped.
func (rt *ioRuntime) post(ev event) bool {
	select {
	case rt.events <- ev:
		return true
	case <-rt.stop:
		return false
	}
}

// do runs fn on the loop; false once the runtime stopped.
func (rt *ioRuntime) do(fn func()) bool {
	select {
	case rt.tasks <- fn:
		return true
	case <-rt.stop:
		return false
	}
}

// tick is how often deadlines, drains and reconnections are checked.
const tick = 5 * time.Millisecond

func (rt *ioRuntime) loop() {
	defer rt.wg.Done()
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-rt.stop:
			rt.shutdown()
			return
		case fn := <-rt.tasks:
			fn()
		case ev := <-rt.events:
			rt.handle(ev)
		case now := <-t.C:
			rt.onTick(now)
		}
		rt.dispatch()
		rt.publish()
	}
}

func (rt *ioRuntime) handle(ev event) {
	c := ev.conn
	if ev.gen != c.gen {
		if ev.nc != nil {
			ev.nc.Close()
		}
		return
	}
	switch ev.kind {
	case evDialed:
		if ev.err != nil {
			c.lost(ev.err)
			return
		}
		if c.state == stateClosed || c.state == stateDraining {
			ev.nc.Close()
			return
		}
		c.connected(ev.nc)
	case evReply:
		if len(c.pending) == 0 {
			c.lost(fmt.Errorf("reply without a request"))
			return
		}
		o := c.pending[0]
		c.pending[0] = nil
		c.pending = c.pending[1:]
		rt.complete(o, ev.raw, "")
		rt.maybeCloseDrained(c)
	case evLost:
		c.lost(ev.err)
		rt.dropClosed()
	}
}

func (rt *ioRuntime) onTick(now time.Time) {
	for r := range rt.inflight {
		if !r.deadline.IsZero() && now.After(r.deadline) {
			rt.finish(r, true)
		}
	}
	for _, r := range rt.queue {
		if !r.done && !r.deadline.IsZero() && now.After(r.deadline) {
			rt.finish(r, true) // never dispatched: it holds no slot
		}
	}
	for _, conns := range rt.pools {
		for _, c := range conns {
			if c.state == stateReconnecting && now.After(c.retryAt) {
				c.dial()
			}
		}
	}
	for _, c := range rt.draining {
		if c.state == stateDraining && !c.drainEnd.IsZero() && now.After(c.drainEnd) {
			rt.stats.drainsTimedOut.Inc()
			rt.log.Warn(fmt.Sprintf("<search> Connection to %s drained for %d ms: timed out with %d of %d requests still pending; they fail",
				c.node, now.Sub(c.drainFrom).Milliseconds(), len(c.pending), c.drainN))
			c.close(fmt.Sprintf("ERR connection to %s closed: drain timed out", c.node))
		}
	}
	rt.dropClosed()
}

// dispatch sends queued requests while slots are free.
func (rt *ioRuntime) dispatch() {
	for len(rt.queue) > 0 && rt.pending < rt.maxPending {
		r := rt.queue[0]
		if !r.done && rt.starting(r.nodes) {
			// A shard's connections are still being opened for the first
			// time: the request waits for them, until its deadline at most.
			return
		}
		rt.queue[0] = nil
		rt.queue = rt.queue[1:]
		if r.done {
			continue // timed out while queued
		}
		rt.pending++
		r.slot = true
		rt.inflight[r] = struct{}{}
		for i, node := range r.nodes {
			c := rt.pick(node)
			if c == nil {
				// The shard is down (reconnecting): like a shard that does
				// not answer, it costs the request its deadline.
				continue
			}
			if !c.send(r.args, &op{req: r, shard: i}) {
				// lost() failed what was pending on it, not this one.
				r.replies[i] = shardReply{err: fmt.Sprintf("ERR could not send to %s", node)}
				r.got++
			}
		}
		if r.got == len(r.nodes) {
			rt.finish(r, false)
		}
	}
}

// starting tells whether a node has never had a connection up yet while
// one is being dialed (the runtime has just started or grown).
func (rt *ioRuntime) starting(nodes []string) bool {
	for _, node := range nodes {
		up, dialing := false, false
		for _, c := range rt.pools[node] {
			switch {
			case c.state == stateConnected:
				up = true
			case c.state == stateConnecting && !c.wasUp:
				dialing = true
			}
		}
		if !up && dialing {
			return true
		}
	}
	return false
}

// pick is the module's round-robin over a node's Connected connections.
func (rt *ioRuntime) pick(node string) *conn {
	conns := rt.pools[node]
	n := len(conns)
	for i := 0; i < n; i++ {
		k := rt.rr[node] % n
		rt.rr[node] = (k + 1) % n
		if conns[k].state == stateConnected {
			return conns[k]
		}
	}
	return nil
}

// complete records a shard's reply (or error) for an operation; a reply
// for a request already finished (timed out) is dropped.
func (rt *ioRuntime) complete(o *op, raw []byte, errMsg string) {
	r := o.req
	if r.done {
		return
	}
	if raw != nil {
		v, _ := parseReply(raw)
		r.replies[o.shard] = shardReply{val: v}
	} else {
		r.replies[o.shard] = shardReply{err: errMsg}
	}
	r.got++
	if r.got == len(r.nodes) {
		rt.finish(r, false)
	}
}

// finish completes a request once: its slot is released and its callback
// runs (on this goroutine: callbacks never block).
func (rt *ioRuntime) finish(r *request, timedOut bool) {
	if r.done {
		return
	}
	r.done = true
	if r.slot {
		rt.pending--
		r.slot = false
	}
	delete(rt.inflight, r)
	r.onDone(r.replies, timedOut)
}

// submit queues a request (from any goroutine).
func (rt *ioRuntime) submit(r *request) bool {
	return rt.do(func() { rt.queue = append(rt.queue, r) })
}

// resize sets the connections per node: growth dials new ones; a shrink
// takes the surplus out of round-robin at once and closes each when its
// pending requests are answered (graceful) or now (immediate).
func (rt *ioRuntime) resize(n int) {
	if n < 1 {
		n = 1
	}
	old := rt.perNode
	rt.perNode = n
	rt.maxPending = n * pendingFactor
	for _, node := range rt.nodes {
		conns := rt.pools[node]
		for len(conns) < n {
			rt.addConn(node)
			conns = rt.pools[node]
		}
		if len(conns) > n {
			surplus := conns[n:]
			rt.pools[node] = conns[:n:n]
			rt.rr[node] %= n
			for _, c := range surplus {
				rt.retire(c)
			}
		}
	}
	if n != old {
		rt.log.Info(fmt.Sprintf("<search> IO runtime %d: connections per shard %d -> %d", rt.id, old, n))
	}
}

func (rt *ioRuntime) retire(c *conn) {
	if c.state != stateConnected || len(c.pending) == 0 || !rt.graceful() {
		c.close(fmt.Sprintf("ERR connection to %s closed by a pool shrink", c.node))
		return
	}
	c.state = stateDraining
	c.drainFrom = time.Now()
	c.drainN = len(c.pending)
	if d := rt.drainTimeout(); d > 0 {
		c.drainEnd = c.drainFrom.Add(d)
	}
	rt.stats.drains.Inc()
	rt.draining = append(rt.draining, c)
}

func (rt *ioRuntime) maybeCloseDrained(c *conn) {
	if c.state == stateDraining && len(c.pending) == 0 {
		rt.log.Info(fmt.Sprintf("<search> Connection to %s drained in %d ms: %d requests completed",
			c.node, time.Since(c.drainFrom).Milliseconds(), c.drainN))
		c.close("")
		rt.dropClosed()
	}
}

func (rt *ioRuntime) dropClosed() {
	kept := rt.draining[:0]
	for _, c := range rt.draining {
		if c.state != stateClosed {
			kept = append(kept, c)
		}
	}
	for i := len(kept); i < len(rt.draining); i++ {
		rt.draining[i] = nil
	}
	rt.draining = kept
}

// states lists, per node, its connections' states (round-robin ones, then
// draining ones).
func (rt *ioRuntime) states() map[string][]string {
	out := map[string][]string{}
	for _, node := range rt.nodes {
		for _, c := range rt.pools[node] {
			out[node] = append(out[node], c.stateName())
		}
	}
	for _, c := range rt.draining {
		out[c.node] = append(out[c.node], c.stateName())
	}
	return out
}

func (rt *ioRuntime) shutdown() {
	for r := range rt.inflight {
		rt.finish(r, true)
	}
	for _, r := range rt.queue {
		if !r.done {
			r.done = true
			r.onDone(r.replies, true)
		}
	}
	rt.queue = nil
	for _, conns := range rt.pools {
		for _, c := range conns {
			c.closeSocket()
		}
	}
	for _, c := range rt.draining {
		c.closeSocket()
	}
}

// Stop ends the loop and every goroutine of the runtime.
func (rt *ioRuntime) Stop() {
	close(rt.stop)
	rt.wg.Wait()
}

// parseReply reads one RESP value.
func parseReply(raw []byte) (redcon.RESP, bool) {
	n, v := redcon.ReadNextRESP(raw)
	return v, n > 0
}
