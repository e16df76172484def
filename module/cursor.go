package module

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Cursors (FT.AGGREGATE … WITHCURSOR, FT.CURSOR), as the module's cursor.c
// and aggregate_exec.c keep them in Redis 8.2:
//
//   - two lists, the shard's (even ids) and the coordinator's (odd ids),
//     each a table of cursors and the subset that is idle;
//   - a cursor is idle between two reads; a read takes it off the idle list
//     (another read of it meanwhile gets "Cursor not found") and pauses it
//     again after its chunk, with a deadline of now + MAXIDLE;
//   - expired cursors are reaped lazily only: every 500th list operation
//     (throttled to once a second), when an index is at its
//     INDEX_CURSOR_LIMIT, and by FT.CURSOR GC. The timer that reaps at
//     MAXIDLE came after 8.2, so there is no goroutine here;
//   - dropping an index leaves its cursors alone; reading one then fails.

// cursorReadSize is the chunk size when neither WITHCURSOR COUNT nor
// FT.CURSOR READ COUNT gave one (CURSOR_READ_SIZE).
const cursorReadSize = 1000

const (
	// cursorSweepInterval: every this many list operations, expired idle
	// cursors are collected (RSCURSORS_SWEEP_INTERVAL)…
	cursorSweepInterval = 500
	// …unless the last collection was less than this ago
	// (RSCURSORS_SWEEP_THROTTLE).
	cursorSweepThrottle = time.Second
)

// errIndexDroppedWhileIdle is FT.CURSOR READ's reply for a cursor whose
// index is gone.
const errIndexDroppedWhileIdle = "The index was dropped while the cursor was idle"

// cursor is an aggregation paused between two chunks.
type cursor struct {
	id    uint64
	coord bool
	// spec is the index the cursor counts against (nil: none).
	spec    *index.Spec
	maxIdle time.Duration

	// Set while the cursor is in the store's lists; guarded by the
	// store's lock.
	idle       bool
	deadline   time.Time // when idle: expiry
	deleteMark bool      // FT.CURSOR DEL while in use: freed when paused
	freed      bool

	// Owned by whoever took the cursor for a read (it is not idle then).
	run   *aggRun
	chunk int64 // chunk size; 0: the default; < 0: no limit
	base  int64 // the pipeline's total when the last chunk ended
}

// cursorList is one of the module's two cursor lists.
type cursorList struct {
	coord       bool
	byID        map[uint64]*cursor
	idle        []*cursor
	nextIdle    time.Time // cached earliest deadline; zero: unknown
	lastCollect time.Time
	counter     uint64
}

// cursorStore is a Module's cursors. Its zero value is ready; it is safe
// for concurrent use (reads run on workers).
type cursorStore struct {
	mu      sync.Mutex
	lists   [2]cursorList // shard, coordinator
	perSpec map[*index.Spec]int64
}

// cursorStats is FT.INFO's cursor_stats.
type cursorStats struct {
	globalIdle, globalTotal, indexTotal int64
}

func (s *cursorStore) list(coord bool) *cursorList {
	l := &s.lists[0]
	if coord {
		l = &s.lists[1]
	}
	if l.byID == nil {
		l.byID = make(map[uint64]*cursor)
		l.coord = coord
	}
	return l
}

// listOf is the list an id belongs to: odd ids are the coordinator's.
func (s *cursorStore) listOf(id uint64) *cursorList { return s.list(id&1 == 1) }

// newID draws an unused id as CursorList_GenerateId does: 31 random bits
// plus one, even for a shard's cursor, odd for a coordinator's, never 0.
func (l *cursorList) newID() uint64 {
	for {
		r := uint64(rand.Uint32() & 0x7fffffff)
		if l.coord {
			r &^= 1
		} else {
			r |= 1
		}
		id := r + 1
		if _, used := l.byID[id]; !used {
			return id
		}
	}
}

// incr counts a list operation; every cursorSweepInterval-th one collects
// expired idle cursors (throttled).
func (s *cursorStore) incr(l *cursorList) {
	l.counter++
	if l.counter%cursorSweepInterval == 0 {
		s.collectLocked(l, false)
	}
}

// collectLocked frees the expired idle cursors of l and reports how many;
// -1 when the cached earliest deadline is still ahead, or (unless force)
// the last collection was less than cursorSweepThrottle ago.
func (s *cursorStore) collectLocked(l *cursorList, force bool) int {
	now := time.Now()
	if (!l.nextIdle.IsZero() && l.nextIdle.After(now)) ||
		(!force && !l.lastCollect.IsZero() && now.Sub(l.lastCollect) < cursorSweepThrottle) {
		return -1
	}
	l.lastCollect = now
	n := 0
	for i := 0; i < len(l.idle); {
		c := l.idle[i]
		if c.deadline.After(now) {
			i++
			continue
		}
		// removeIdle moves the last idle cursor to i: look at i again.
		s.removeIdle(l, c, i)
		s.freeLocked(l, c)
		n++
	}
	return n
}

// removeIdle takes c, at position i of the idle list, off it.
func (s *cursorStore) removeIdle(l *cursorList, c *cursor, i int) {
	last := len(l.idle) - 1
	l.idle[i] = l.idle[last]
	l.idle[last] = nil
	l.idle = l.idle[:last]
	if c.deadline.Equal(l.nextIdle) {
		l.nextIdle = time.Time{}
	}
	c.idle = false
}

func (s *cursorStore) removeIdleCursor(l *cursorList, c *cursor) {
	for i, x := range l.idle {
		if x == c {
			s.removeIdle(l, c, i)
			return
		}
	}
}

func (s *cursorStore) freeLocked(l *cursorList, c *cursor) {
	if c.freed || l.byID[c.id] != c {
		return
	}
	c.freed = true
	delete(l.byID, c.id)
	if c.spec != nil {
		if s.perSpec[c.spec]--; s.perSpec[c.spec] <= 0 {
			delete(s.perSpec, c.spec)
		}
		c.spec = nil
	}
	c.run = nil
}

// reserve creates a cursor, in use, counted against sp: the module's
// Cursors_Reserve. An index at its limit first has its list's expired
// cursors collected (throttled); if it is still full, the reply is the
// limit error.
func (s *cursorStore) reserve(sp *index.Spec, limit int64, maxIdle time.Duration, coord bool) (*cursor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.list(coord)
	s.incr(l)
	if sp != nil && s.perSpec[sp] >= limit {
		s.collectLocked(l, false)
		if s.perSpec[sp] >= limit {
			return nil, errorString(fmt.Sprintf("INDEX_CURSOR_LIMIT of %d has been reached for an index", limit))
		}
	}
	c := &cursor{id: l.newID(), coord: coord, spec: sp, maxIdle: maxIdle}
	l.byID[c.id] = c
	if sp != nil {
		if s.perSpec == nil {
			s.perSpec = make(map[*index.Spec]int64)
		}
		s.perSpec[sp]++
	}
	return c, nil
}

// pause puts a cursor back on the idle list after a chunk, MAXIDLE from
// now (Cursor_Pause); a cursor deleted meanwhile is freed instead.
func (s *cursorStore) pause(c *cursor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.list(c.coord)
	s.incr(l)
	if c.deleteMark {
		s.freeLocked(l, c)
		return
	}
	if c.freed {
		return
	}
	c.deadline = time.Now().Add(c.maxIdle)
	if l.nextIdle.IsZero() || c.deadline.Before(l.nextIdle) {
		l.nextIdle = c.deadline
	}
	c.idle = true
	l.idle = append(l.idle, c)
}

// take takes an idle cursor for a read (Cursors_TakeForExecution); nil when
// there is no such cursor or it is being read. The deadline is not looked
// at: an expired cursor not collected yet can still be read.
func (s *cursorStore) take(id uint64) *cursor {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listOf(id)
	s.incr(l)
	c := l.byID[id]
	if c == nil || !c.idle {
		return nil
	}
	s.removeIdleCursor(l, c)
	return c
}

// purge is FT.CURSOR DEL (Cursors_Purge): an idle cursor is freed, one
// being read is freed when its read ends. False when there is no such
// cursor.
func (s *cursorStore) purge(id uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listOf(id)
	s.incr(l)
	c := l.byID[id]
	if c == nil {
		return false
	}
	if c.idle {
		s.removeIdleCursor(l, c)
		s.freeLocked(l, c)
	} else {
		c.deleteMark = true
	}
	return true
}

// free frees a cursor its reader is done with (Cursor_Free).
func (s *cursorStore) free(c *cursor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.list(c.coord)
	s.incr(l)
	s.freeLocked(l, c)
}

// orphan is what becomes of a cursor whose index was dropped when it is
// read: 8.2 takes it off the idle list and neither frees nor pauses it, so
// it stays in global_total (and DEL only marks it). Its pipeline is let go.
func (s *cursorStore) orphan(c *cursor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.spec != nil {
		if s.perSpec[c.spec]--; s.perSpec[c.spec] <= 0 {
			delete(s.perSpec, c.spec)
		}
		c.spec = nil
	}
	c.run = nil
}

// collectIdle is FT.CURSOR GC: the collections of both lists, forced, added
// (each -1 when its earliest deadline is ahead).
func (s *cursorStore) collectIdle() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(s.collectLocked(s.list(false), true) + s.collectLocked(s.list(true), true))
}

// empty frees every idle cursor and marks the others for deletion, as the
// module does when it frees its indexes (a flush).
func (s *cursorStore) empty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, coord := range []bool{true, false} {
		l := s.list(coord)
		for _, c := range l.byID {
			if c.idle {
				s.removeIdleCursor(l, c)
				s.freeLocked(l, c)
			} else {
				c.deleteMark = true
			}
		}
	}
}

// stats are the numbers FT.INFO shows for an index.
func (s *cursorStore) stats(sp *index.Spec) cursorStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st cursorStats
	for _, coord := range []bool{false, true} {
		l := s.list(coord)
		st.globalIdle += int64(len(l.idle))
		st.globalTotal += int64(len(l.byID))
	}
	st.indexTotal = s.perSpec[sp]
	return st
}

// cursorReplier hands a reply to its client: a blocked client (on a
// worker), or inlineReply on the main thread.
type cursorReplier interface {
	Proto() int
	Reply(fn func(w *resp.Writer)) bool
}

// inlineReply writes to the command's own writer at once.
type inlineReply struct{ w *resp.Writer }

func (r inlineReply) Proto() int { return r.w.Proto() }

func (r inlineReply) Reply(fn func(w *resp.Writer)) bool { fn(r.w); return true }

// startCursor opens a cursor over an aggregation that startAggregate
// built (FT.AGGREGATE … WITHCURSOR), or over a coordinator's merge of its
// shards' rows (coord: the coordinator's list), and replies its first
// chunk. onWorker tells whether this runs on a worker (the loader takes the
// main thread's lock then).
func (m *Module) startCursor(run *aggRun, coord, onWorker bool, reply cursorReplier) {
	agg := run.req.agg
	cur, err := m.cursors.reserve(run.idx.Spec(), m.cfg.IndexCursorLimit(),
		time.Duration(agg.CursorMaxIdle)*time.Millisecond, coord)
	if err != nil {
		reply.Reply(func(w *resp.Writer) { w.Error(err.Error()) })
		return
	}
	cur.run = run
	cur.chunk = int64(agg.CursorCount) // 0 when not given
	m.readCursor(cur, 0, onWorker, reply)
}

// readCursor runs one chunk of a cursor its caller took and replies
// [chunk, id], the id 0 once the pipeline is exhausted; the cursor is then
// freed, else paused, before the client gets the reply (as the module
// unblocks its client only after runCursor). count is READ's COUNT: 0
// keeps the cursor's chunk size (which becomes count otherwise; negative
// means no limit, as the module's size_t cast does).
func (m *Module) readCursor(cur *cursor, count int64, onWorker bool, reply cursorReplier) {
	n := count
	if n == 0 {
		n = cur.chunk
		if n == 0 {
			n = cursorReadSize
		}
	}
	cur.chunk = n
	limit := int(n)
	if n < 0 {
		limit = -1
	}
	run := cur.run
	run.loader.lock = onWorker
	ch, err := collectRows(run, limit)
	if err != nil {
		m.cursors.free(cur)
		reply.Reply(func(w *resp.Writer) { w.Error(err.Error()) })
		return
	}
	// The module writes its total (reset to 0 after every chunk) after the
	// chunk's first row in RESP2, after the whole chunk in RESP3.
	end := run.pipe.Total()
	first, last := ch.total-cur.base, end-cur.base
	cur.base = end
	id := int64(cur.id)
	if ch.done {
		id = 0
	}
	ch.total, ch.totalAfter = first, last
	out := resp.NewWriter(reply.Proto())
	out.Array(2)
	writeAggregateChunk(out, run, ch)
	out.Int(id)
	// Warnings (a timeout while the documents were gathered, too many
	// prefix expansions) belong to the chunk that ran the query.
	run.warnings = nil
	if ch.done {
		m.cursors.free(cur)
	} else {
		m.cursors.pause(cur)
	}
	reply.Reply(func(w *resp.Writer) { w.Raw(out.Bytes()) })
}

// specAlive tells whether sp is still a live index (main thread).
func (m *Module) specAlive(sp *index.Spec) bool {
	idx := m.indexes[sp.Name]
	return idx != nil && idx.Spec() == sp
}

// FT.CURSOR READ idx id [COUNT n] | DEL idx id | GC idx id
//
// The checks come in the module's order: arity (4 arguments, GC too), the
// index (it must exist but need not be the cursor's), the id, then the
// subcommand.
func (m *Module) cmdCursor(c *server.Ctx, args [][]byte) {
	if len(args) < 4 {
		wrongArity(c)
		return
	}
	if name := string(args[2]); m.lookup(name) == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	cid, ok := resp.ParseInt(args[3])
	if !ok {
		c.W.Error("Bad cursor ID")
		return
	}
	switch {
	case resp.EqualFold(args[1], "READ"):
		var count int64
		if len(args) > 5 {
			if !resp.EqualFold(args[4], "COUNT") {
				c.W.Error("Unknown argument `" + string(args[4]) + "`")
				return
			}
			if count, ok = resp.ParseInt(args[5]); !ok {
				c.W.Error("Bad value for COUNT: `" + string(args[5]) + "`")
				return
			}
		}
		cur := m.cursors.take(uint64(cid))
		if cur == nil {
			// The module prints the long long id with %d: its low 32 bits.
			c.W.Error(fmt.Sprintf("Cursor not found, id: %d", int32(cid)))
			return
		}
		if cur.spec == nil || !m.specAlive(cur.spec) {
			m.cursors.orphan(cur)
			c.W.Error(errIndexDroppedWhileIdle)
			return
		}
		if m.submitCursorRead(c, cur, count) {
			return
		}
		defer m.mainThreadYield(cur.run, c)()
		m.readCursor(cur, count, false, inlineReply{c.W})
	case resp.EqualFold(args[1], "DEL"):
		if !m.cursors.purge(uint64(cid)) {
			c.W.Error("Cursor does not exist")
			return
		}
		c.W.OK()
	case resp.EqualFold(args[1], "GC"):
		c.W.Int(m.cursors.collectIdle())
	default:
		c.W.Error("Unknown subcommand")
	}
}

// submitCursorRead runs a read on the worker pool, as FT.AGGREGATE does,
// so that a big chunk does not hold the main thread; false when the pool
// has no workers (the read then runs inline).
func (m *Module) submitCursorRead(c *server.Ctx, cur *cursor, count int64) bool {
	if !c.CanBlock() || !m.offloading() {
		return false
	}
	fail, id := m.cfg.OnTimeoutFail(), int64(cur.id)
	bc := c.BlockClient(m.blockFor(cur.run.req.query.timeoutMs), func(w *resp.Writer) {
		if fail {
			w.Error(index.WarnTimeout)
			return
		}
		w.Array(2)
		WriteTimedOut(w, false)
		w.Int(id)
	})
	if !m.runJob(func() { m.cursorJob(bc, cur, count) }) {
		// The pool is stopping: read here, on the main thread.
		m.readCursor(cur, count, false, bc)
	}
	return true
}

// cursorJob reads a chunk on a worker. The cursor always ends up paused or
// freed, whatever happens to the client.
func (m *Module) cursorJob(bc *server.BlockedClient, cur *cursor, count int64) {
	defer m.recoverJob(bc, "a cursor read", func() { m.cursors.free(cur) })
	if abandoned(bc) {
		// Its client gave up while it was queued: the rows stay for the
		// next read.
		m.cursors.pause(cur)
		return
	}
	// The index may have been dropped while the read was queued (the
	// module checks on the worker too).
	gil := m.srv.GIL()
	gil.Lock()
	alive := cur.spec != nil && m.specAlive(cur.spec)
	gil.Unlock()
	if !alive {
		m.cursors.orphan(cur)
		bc.Reply(func(w *resp.Writer) { w.Error(errIndexDroppedWhileIdle) })
		return
	}
	cur.run.pipe.SetYield(func() { workerYield() })
	m.readCursor(cur, count, true, bc)
}
