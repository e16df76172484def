// Package module emulates the search module (RediSearch, as bundled with
// Redis 8.2) as Redis sees it: the FT.* commands' argument parsing and
// replies (RESP2 and RESP3), configuration, the worker pool and its resize
// policies, cursors, FT.PROFILE and FT.INFO formatting, the keyspace hooks
// and initial scans that keep indexes up to date, and the coordinator glue.
// It plugs into the server through the server's module API. The engine that
// answers queries is module/index, a library that knows no server.
//
// It may import server, resp and the engine packages (module/index,
// module/query, module/text, module/expr, module/aggregate), and the JSON
// libraries rejson/jsonv and rejson/jsonpath (never package rejson: the
// JSON module's API comes through server.GetSharedAPI, see json.go).
package module

import (
	"fmt"
	"sync"
	"time"

	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/server"
	"go.uber.org/atomic"
)

// Name and Version are what MODULE LIST shows (Redis 8.2's search module).
const (
	Name    = "search"
	Version = 80200
)

// VersionString is Version as INFO search's search_version prints it
// (major.minor.patch).
func VersionString() string {
	return fmt.Sprintf("%d.%d.%d", Version/10000, Version/100%100, Version%100)
}

// Module is the search module.
type Module struct {
	srv *server.Server
	cfg *Config

	// indexes and aliases are changed on the main thread (under the
	// main-thread lock); background scans read them under it too.
	indexes map[string]*Index
	aliases map[string]*Index

	// renameFrom is the key of a RENAME's first event, until its second.
	renameFrom    string
	renameFromSet bool

	// coord distributes the FT.* commands in cluster mode (nil: none).
	coord Coordinator

	// workers run queries off the main thread (search-workers > 0).
	workers *workerPool
	// delayed are the queries waiting out search-_debug-query-delay.
	delayed sync.WaitGroup
	// restarts counts inline queries started again because the index was
	// written to while they yielded.
	restarts atomic.Int64

	// cursors are the open FT.AGGREGATE … WITHCURSOR cursors.
	cursors cursorStore

	stop     chan struct{}
	scans    sync.WaitGroup
	stopOnce sync.Once

	// debug are hooks for tests, unset otherwise.
	debug debugHooks

	// trieType is the suggestion dictionaries' data type ("trietype0").
	trieType *server.DataType
	// dicts are FT.DICTADD's dictionaries, global to the shard (not keys);
	// main thread only.
	dicts map[string]*trie.Trie

	// jsonDoc is the JSON module's read API, taken at Start (nil when the
	// JSON module is not loaded): see json.go.
	jsonDoc jsonDocFunc
}

// debugHooks let a test stop a main-thread operation at the points where
// it lets other clients in, and see what happened meanwhile. A test sets
// them before the server starts; they are called on the main thread.
type debugHooks struct {
	// atYield is called at each yield point of an FT.SEARCH query and of
	// an FT.AGGREGATE pipeline running on the main thread, just before they
	// yield.
	atYield func()
	// betweenBatches is called by a background scan between two of its
	// batches, just before it hands the main thread over.
	betweenBatches func()
	// scanBatchKeys, when > 0, ends a scan's batch once it has seen that
	// many keys, rather than after scanBatch: the number of batches then
	// depends on the keyspace only.
	scanBatchKeys int64
}

// New returns the search module, ready to be passed in server.Options.Modules.
func New() *Module {
	return &Module{
		cfg:     newConfig(),
		indexes: make(map[string]*Index),
		aliases: make(map[string]*Index),
		stop:    make(chan struct{}),
	}
}

// Name implements server.Module.
func (m *Module) Name() string { return Name }

// Version implements server.Module.
func (m *Module) Version() int { return Version }

// Load implements server.Module: it registers the commands, the
// configuration and the keyspace hook.
func (m *Module) Load(ctx *server.ModuleContext) error {
	m.srv = ctx.Server()
	m.workers = newWorkerPool(m.srv.Logger())
	m.cfg.OnWorkersChange = m.setWorkers
	m.cfg.DistributeSet = func(c *server.Ctx, args [][]byte) bool { return m.distributed(c, "FT.CONFIG", args) }
	m.cfg.OnConnPerShardChange = func() {
		if m.coord != nil {
			m.coord.WorkersChanged()
		}
	}
	if err := m.cfg.register(ctx); err != nil {
		return err
	}
	if err := m.registerTrieType(ctx); err != nil {
		return err
	}
	for _, c := range append(append(m.commands(), m.suggestCommands()...), m.synonymCommands()...) {
		c.Meta = commandMeta(c.Name)
		if err := ctx.RegisterCommand(c); err != nil {
			return err
		}
	}
	ctx.SubscribeKeyspace(m.onKeyEvent)
	m.registerInfo(ctx)
	return nil
}

// Start implements server.Module: it starts the janitor that drops
// TEMPORARY indexes once idle.
func (m *Module) Start() error {
	m.lookupJSON()
	m.scans.Add(1)
	go m.janitor()
	return nil
}

// Stop implements server.Module: background scans and the janitor end.
func (m *Module) Stop() {
	m.stopOnce.Do(func() { close(m.stop) })
	m.scans.Wait()
	m.delayed.Wait() // at most the delay: their clients are gone
	if m.coord != nil {
		m.coord.Stop()
	}
	if m.workers != nil {
		m.workers.stop()
	}
}

// janitorInterval is how often idle TEMPORARY indexes are looked for.
const janitorInterval = time.Second

// janitor drops TEMPORARY indexes that went unused (neither searched nor
// written to) for their TEMPORARY seconds, as the module's timers do.
func (m *Module) janitor() {
	defer m.scans.Done()
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	gil := m.srv.GIL()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		gil.Lock()
		now := time.Now().UnixMilli()
		for name, idx := range m.indexes {
			if secs := idx.Spec().Temporary; secs > 0 && now-idx.lastUsed.Load() > secs*1000 {
				m.srv.Logger().Info("search: temporary index expired", "index", name)
				m.dropIndex(name, idx)
			}
		}
		gil.Unlock()
	}
}

// lookup finds an index by name or alias.
func (m *Module) lookup(name string) *Index {
	if idx := m.indexes[name]; idx != nil {
		return idx
	}
	return m.aliases[name]
}

// onKeyEvent keeps the indexes up to date, synchronously, on the main
// thread, before the next command runs.
func (m *Module) onKeyEvent(ev server.KeyEvent) {
	if ev.Class == server.EventFlush {
		m.dicts = nil // the module's flush handler clears them too
	}
	if len(m.indexes) == 0 {
		return
	}
	switch ev.Class {
	case server.EventFlush:
		// The module frees every index on any flush (its FlushDB handler).
		m.dropAll()
		return
	case server.EventSwapDB:
		if ev.DB == 0 || ev.DB2 == 0 {
			m.reindexAll()
		}
		return
	}
	if ev.DB != 0 {
		return
	}
	switch ev.Event {
	case "expire", "persist":
		return // the content did not change
	case "rename_from":
		// The server reports rename_to right after; both are handled then.
		m.renameFrom = ev.Key
		m.renameFromSet = true
		return
	case "rename_to":
		if m.renameFromSet {
			from := m.renameFrom
			m.renameFrom, m.renameFromSet = "", false
			m.rename(from, ev.Key)
			return
		}
	}
	var e *server.Entry
	looked := false
	for _, idx := range m.indexes {
		if !idx.Spec().Matches(ev.Key) {
			continue
		}
		if !looked {
			e = m.srv.DB(0).Peek(ev.Key)
			looked = true
		}
		idx.Lock()
		m.indexKey(idx, ev.Key, e)
		idx.Unlock()
	}
}

// rename follows RENAME within db 0. An index that covers both names keeps
// the document under its id (the module renames it in its document table)
// when its FILTER admits the hash under the new name; otherwise the old name
// leaves and the new one is indexed if the filter admits it. (The module
// evaluates the filter of the old name's indexes over the new name too, and
// leaves a document it rejects under the old name; here it is removed.)
func (m *Module) rename(from, to string) {
	e := m.srv.DB(0).Peek(to)
	for _, idx := range m.indexes {
		inFrom, inTo := idx.Spec().Matches(from), idx.Spec().Matches(to)
		if !inFrom && !inTo {
			continue
		}
		idx.Lock()
		if inFrom && inTo && m.renameAdmitted(idx, to, e) && idx.Rename(from, to) {
			idx.Unlock()
			continue
		}
		if inFrom {
			idx.Remove(from)
		}
		if inTo {
			m.indexKey(idx, to, e)
		}
		idx.Unlock()
	}
}

// dropAll frees every index (FLUSHALL / FLUSHDB).
func (m *Module) dropAll() {
	m.cursors.empty() // as the module's Indexes_Free does
	for name, idx := range m.indexes {
		m.dropIndex(name, idx)
	}
}

func (m *Module) dropIndex(name string, idx *Index) {
	idx.stopScan()
	idx.Close()
	delete(m.indexes, name)
	for a, target := range m.aliases {
		if target == idx {
			delete(m.aliases, a)
		}
	}
}

// reindexAll rebuilds every index from the keyspace (SWAPDB with db 0).
func (m *Module) reindexAll() {
	for name, old := range m.indexes {
		old.stopScan()
		old.Close()
		idx := m.newIndex(old.Spec())
		m.indexes[name] = idx
		for a, target := range m.aliases {
			if target == old {
				m.aliases[a] = idx
			}
		}
		m.startScan(idx, false)
	}
}

// scanBatch bounds one step of a background scan: the main-thread lock is
// released after this long so clients are served meanwhile.
const scanBatch = 2 * time.Millisecond

// startScan indexes the keys that exist at FT.CREATE / FT.ALTER time
// (reindex: every matching key again, under a new id). A first batch runs
// at once, so a small keyspace is indexed before the command replies; the
// rest runs in the background, in batches that hold the main-thread lock for
// at most scanBatch. The caller holds the main-thread lock.
func (m *Module) startScan(idx *Index, reindex bool) {
	db := m.srv.DB(0)
	if db.Size() == 0 {
		return
	}
	st := &scanState{idx: idx, reindex: reindex, start: time.Now()}
	idx.scanned.Store(0)
	idx.scanTotal.Store(int64(db.Size()))
	if m.scanStep(st) {
		return
	}
	idx.scanning.Store(true)
	stop := make(chan struct{})
	idx.scanStop = stop
	m.scans.Add(1)
	go m.scan(st, stop)
}

type scanState struct {
	idx     *Index
	reindex bool
	cursor  uint64
	start   time.Time
}

// stopScan ends a background scan (the caller holds the main-thread lock).
func (idx *Index) stopScan() {
	if idx.scanStop != nil {
		close(idx.scanStop)
		idx.scanStop = nil
	}
	idx.scanning.Store(false)
}

// scanStep indexes keys for up to scanBatch and reports whether the scan is
// complete. The caller holds the main-thread lock.
func (m *Module) scanStep(st *scanState) bool {
	idx, db := st.idx, m.srv.DB(0)
	deadline := time.Now().Add(scanBatch)
	seen := idx.scanned.Load()
	idx.Lock()
	for {
		st.cursor = db.Scan(st.cursor, 16, func(key string) {
			idx.scanned.Inc()
			if !idx.Spec().Matches(key) {
				return
			}
			if _, ok := idx.DocID(key); ok && !st.reindex {
				return // indexed by a write since the scan began
			}
			m.indexKey(idx, key, db.Peek(key))
		})
		if st.cursor == 0 || time.Now().After(deadline) {
			break
		}
		if k := m.debug.scanBatchKeys; k > 0 && idx.scanned.Load()-seen >= k {
			break
		}
	}
	done := st.cursor == 0
	if done {
		idx.indexingMs += float64(time.Since(st.start).Microseconds()) / 1000
		idx.scanning.Store(false)
		idx.scanStop = nil
	}
	idx.Unlock()
	return done
}

func (m *Module) scan(st *scanState, stop chan struct{}) {
	defer m.scans.Done()
	gil := m.srv.GIL()
	gil.Lock()
	defer gil.Unlock()
	for {
		select {
		case <-stop:
			return
		case <-m.stop:
			return
		default:
		}
		if m.scanStep(st) {
			return
		}
		if m.debug.betweenBatches != nil {
			m.debug.betweenBatches()
		}
		// Clients waiting for the main thread go first, in turn.
		gil.HandOver(scanBatch)
	}
}
