package module

import (
	"time"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
	"github.com/miniredis-search/miniredis-search/server"
	"go.uber.org/atomic"
)

// Index is a search index as the module holds it: the engine's index
// (module/index: documents, postings, queries, with its own lock) and what
// the module keeps beside it: the background scan that fills it, its use
// counters and TEMPORARY idle timer, FT.INFO's indexing clock.
type Index struct {
	*index.Index

	// background scan
	scanning  atomic.Bool
	scanned   atomic.Int64
	scanTotal atomic.Int64
	scanStop  chan struct{}

	uses        atomic.Int64
	lastUsed    atomic.Int64 // unix ms of the last search or write (TEMPORARY)
	dialectUsed [5]atomic.Bool
	indexingMs  float64
}

// newIndex is an index of the spec whose vector indexes insert on the
// worker pool (the module's tiered HNSW: with no workers, inserts are
// synchronous).
func (m *Module) newIndex(sp *index.Spec) *Index {
	opts := index.Options{Vector: vecsim.Options{
		Submit: func(job func()) bool {
			return m.workers != nil && m.workers.Submit(priorityHigh, job)
		},
		InPlace: func() bool {
			return m.workers == nil || m.workers.Configured() == 0
		},
		BufferLimit: int(m.cfg.TieredBufferLimit()),
	}}
	idx := &Index{Index: index.NewWithOptions(sp, opts)}
	idx.touch()
	return idx
}

// touch restarts a TEMPORARY index's idle timer.
func (idx *Index) touch() { idx.lastUsed.Store(time.Now().UnixMilli()) }

// hashDocument shows a hash to the engine (index.Document): every value is
// its field's string.
type hashDocument struct{ h *server.Hash }

func (d hashDocument) Value(path string) (index.Value, bool) {
	v, ok := d.h.Get(path)
	if !ok {
		return index.Value{}, false
	}
	return index.Text(v), true
}

// indexKey brings a key's document up to date in the index: it (re)indexes
// a hash the index's FILTER admits, and removes anything else (a missing
// key, a string, a hash the filter rejects). The caller holds the
// main-thread lock and the index's write lock.
func (m *Module) indexKey(idx *Index, key string, e *server.Entry) {
	idx.Remove(key)
	if e == nil || e.Type() != server.TypeHash {
		return
	}
	doc := hashDocument{e.Hash()}
	if !idx.Spec().Admits(key, doc) {
		return
	}
	idx.touch()
	idx.AddWith(key, doc, index.AddOptions{MinStemLen: m.cfg.MinStemLen(), MinPhoneticLen: m.cfg.MinPhoneticLen()})
}

// renameAdmitted reports whether the index's filter admits the hash renamed
// to `to` (true without a filter).
func (idx *Index) renameAdmitted(to string, e *server.Entry) bool {
	if idx.Spec().Filter == nil {
		return true
	}
	return e != nil && e.Type() == server.TypeHash && idx.Spec().Admits(to, hashDocument{e.Hash()})
}
