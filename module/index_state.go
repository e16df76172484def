package module

import (
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
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
	doc, ok := m.document(idx, e)
	if !ok {
		return
	}
	if !idx.Spec().Admits(key, doc) {
		return
	}
	idx.touch()
	idx.AddWith(key, doc, index.AddOptions{MinStemLen: m.cfg.MinStemLen(), MinPhoneticLen: m.cfg.MinPhoneticLen()})
}

// renameAdmitted reports whether the index's filter admits the hash renamed
// to `to` (true without a filter).
func (m *Module) renameAdmitted(idx *Index, to string, e *server.Entry) bool {
	if idx.Spec().Filter == nil {
		return true
	}
	doc, ok := m.document(idx, e)
	return ok && idx.Spec().Admits(to, doc)
}

// document is a key's document as the index reads it: a hash for an ON
// HASH index, a JSON document for an ON JSON one; ok is false for a key of
// another type (or a missing one).
func (m *Module) document(idx *Index, e *server.Entry) (index.Document, bool) {
	if e == nil {
		return nil, false
	}
	if idx.Spec().OnJSON {
		root := m.jsonRoot(e)
		if root == nil {
			return nil, false
		}
		return jsonDocument{root}, true
	}
	if e.Type() != server.TypeHash {
		return nil, false
	}
	return hashDocument{e.Hash()}, true
}

// fields is a key's document as the replies read it (RETURN, LOAD, the
// whole document): a hash's fields, or a JSON document's paths (multi:
// DIALECT 3's every match). ok is false when the key holds no document of
// the index's type.
func (m *Module) fields(idx *Index, e *server.Entry, multi bool) (aggregate.Fields, bool) {
	if e == nil {
		return nil, false
	}
	if idx.Spec().OnJSON {
		root := m.jsonRoot(e)
		if root == nil {
			return nil, false
		}
		return jsonFields{root: root, multi: multi}, true
	}
	if e.Type() != server.TypeHash {
		return nil, false
	}
	return e.Hash(), true
}
