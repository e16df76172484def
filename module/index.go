package module

import (
	"sort"
	"sync"
	"time"

	"github.com/tidwall/btree"
	"go.uber.org/atomic"
)

// Index is one search index: its spec, its document table and its inverted
// indexes. Writers hold the main-thread lock and mu for writing; readers hold
// mu for reading (lock order: the main-thread lock, then mu).
type Index struct {
	mu sync.RWMutex
	// writes counts the write-lock holds: a query that let go of the read
	// lock (to yield) knows from it whether its iterators are still valid.
	writes uint64
	spec   *Spec

	docs      docTable // by id (id 0 is never used)
	byKey     map[string]uint32
	numDocs   int
	maxDocID  uint32
	totalLen  uint64                        // sum of the live documents' weighted lengths
	terms     btree.Map[string, *termEntry] // ordered: prefix and suffix expansion
	termMap   map[string]*termEntry         // the same terms, for lookups
	scratch   indexScratch
	tags      []*tagIndex     // by field position; nil for other types
	numerics  []*numericIndex // by field position (NUMERIC and GEO)
	numRecord int             // posting entries of live documents

	failures      int
	lastError     string
	lastErrorKey  string
	fieldFailures []fieldFailure

	// background scan
	scanning    atomic.Bool
	scanned     atomic.Int64
	scanTotal   atomic.Int64
	scanStop    chan struct{}
	uses        atomic.Int64
	lastUsed    atomic.Int64 // unix ms of the last search or write (TEMPORARY)
	dialectUsed [5]atomic.Bool
	indexingMs  float64
}

// lockWrite takes the index for writing. The caller holds the main-thread
// lock (the lock order is main thread, then index).
func (idx *Index) lockWrite() {
	idx.mu.Lock()
	idx.writes++
}

// indexScratch is addDoc's working space, kept between documents.
type indexScratch struct {
	slot     map[string]int // term → index in postings
	postings []posting
	order    []string
}

type fieldFailure struct {
	count   int
	lastErr string
	lastKey string
}

// document is an entry of the document table.
type document struct {
	key        string
	id         uint32
	score      float64
	payload    string
	hasPayload bool
	len        uint32 // sum of the weighted frequencies of its tokens
	maxFreq    uint32
	sortVals   []sortValue

	terms []*termEntry
	tags  []tagRef
	// tagRecords is the number of tag fields with values (FT.INFO's
	// num_records counts one record for each).
	tagRecords uint16
	nums       []numRef
}

type tagRef struct {
	field int
	value string
	list  *idList
}

type numRef struct {
	field int
	v     float64
	lon   float64 // GEO: v holds the latitude
}

// sortValue is a SORTABLE field's value.
type sortValue struct {
	kind sortKind
	num  float64
	str  string
}

type sortKind uint8

const (
	sortNone sortKind = iota
	sortNum
	sortStr
)

// termEntry is a term of the dictionary and its postings.
type termEntry struct {
	term string
	list postings
	docs int // live documents containing it
	// fieldMask gathers the fields the term was ever indexed in, as the
	// module's inverted index keeps it: an expansion reads only the terms
	// seen in one of the fields it asks for (Redis_OpenReader).
	fieldMask uint64
}

// idList is a list of document ids in ascending order (tag values), with
// the dead entries left until enough accumulate to compact.
type idList struct {
	ids  []uint32
	live int
}

type tagIndex struct {
	values btree.Map[string, *idList]
}

type numEntry struct {
	v  float64
	id uint32
}

type numericIndex struct {
	tree *btree.BTreeG[numEntry]
	// ranges is the module's range tree over the same values (for a GEO
	// field, over their 52-bit geohashes): how it reads a range.
	ranges *rangeTree
}

func numLess(a, b numEntry) bool {
	if a.v != b.v {
		return a.v < b.v
	}
	return a.id < b.id
}

func newIndex(sp *Spec) *Index {
	idx := &Index{spec: sp, byKey: make(map[string]uint32), termMap: make(map[string]*termEntry)}
	idx.scratch.slot = make(map[string]int)
	idx.touch()
	idx.resizeFieldIndexes()
	return idx
}

// resizeFieldIndexes makes room for fields added by FT.ALTER.
func (idx *Index) resizeFieldIndexes() {
	for len(idx.tags) < len(idx.spec.Fields) {
		f := idx.spec.Fields[len(idx.tags)]
		var t *tagIndex
		var n *numericIndex
		switch f.Type {
		case FieldTag:
			t = &tagIndex{}
		case FieldNumeric, FieldGeo:
			n = &numericIndex{tree: btree.NewBTreeGOptions(numLess, btree.Options{NoLocks: true}), ranges: newRangeTree()}
		}
		idx.tags = append(idx.tags, t)
		idx.numerics = append(idx.numerics, n)
		idx.fieldFailures = append(idx.fieldFailures, fieldFailure{})
	}
}

// touch restarts a TEMPORARY index's idle timer.
func (idx *Index) touch() { idx.lastUsed.Store(time.Now().UnixMilli()) }

// doc returns a live document by id.
func (idx *Index) doc(id uint32) *document { return idx.docs.get(id) }

// live reports whether a document id is live.
func (idx *Index) live(id uint32) bool { return idx.doc(id) != nil }

// avgDocLen is the average weighted length of the live documents.
func (idx *Index) avgDocLen() float64 {
	if idx.numDocs == 0 {
		return 0
	}
	return float64(idx.totalLen) / float64(idx.numDocs)
}

// removeDoc deletes a key's document from the index.
func (idx *Index) removeDoc(key string) bool {
	id, ok := idx.byKey[key]
	if !ok {
		return false
	}
	d := idx.docs.get(id)
	delete(idx.byKey, key)
	idx.docs.remove(id)
	idx.numDocs--
	idx.totalLen -= uint64(d.len)
	for _, te := range d.terms {
		te.docs--
		idx.numRecord--
		if te.docs == 0 {
			idx.terms.Delete(te.term)
			delete(idx.termMap, te.term)
			continue
		}
		if te.list.n > 2*te.docs && te.list.n > postingBlockSize {
			te.list.compact(idx.live)
		}
	}
	idx.numRecord -= int(d.tagRecords)
	for _, r := range d.tags {
		l := r.list
		l.live--
		switch {
		case l.live == 0:
			// A value no document has any more leaves FT.TAGVALS.
			idx.tags[r.field].values.Delete(r.value)
		case len(l.ids) > 2*l.live && len(l.ids) > 16:
			l.compact(idx.live)
		}
	}
	for _, n := range d.nums {
		idx.numerics[n.field].tree.Delete(numEntry{v: n.v, id: id})
		idx.numRecord--
	}
	return true
}

// renameDoc moves a document to a new key, keeping its id; the document
// that held the new key before, if any, is removed. It reports false when
// the old key was not indexed.
func (idx *Index) renameDoc(from, to string) bool {
	id, ok := idx.byKey[from]
	if !ok {
		return false
	}
	if from != to {
		idx.removeDoc(to)
	}
	delete(idx.byKey, from)
	idx.byKey[to] = id
	idx.docs.get(id).key = to
	return true
}

func (l *idList) add(id uint32) {
	l.ids = append(l.ids, id)
	l.live++
}

func (l *idList) compact(live func(uint32) bool) {
	out := l.ids[:0]
	for _, id := range l.ids {
		if live(id) {
			out = append(out, id)
		}
	}
	l.ids = out
}

// tagValues lists a tag field's values (FT.TAGVALS), sorted.
func (idx *Index) tagValues(pos int) []string {
	t := idx.tags[pos]
	var out []string
	t.values.Scan(func(v string, l *idList) bool {
		if l.live > 0 {
			out = append(out, v)
		}
		return true
	})
	sort.Strings(out)
	return out
}

// memoryBytes estimates the index's memory, by part, for FT.INFO.
type memoryStats struct {
	inverted, docTable, sortables, keyTable, tags, text, numeric int
}

func (idx *Index) memory() memoryStats {
	var m memoryStats
	idx.terms.Scan(func(k string, te *termEntry) bool {
		m.inverted += te.list.bytes()
		m.text += len(k) + 48
		return true
	})
	m.docTable += 8 * idx.docs.slots()
	idx.docs.each(func(d *document) {
		m.docTable += 96 + 8*len(d.terms) + 8*len(d.tags) + 24*len(d.nums)
		m.keyTable += len(d.key) + 16
		for _, s := range d.sortVals {
			m.sortables += 24 + len(s.str)
		}
	})
	for _, t := range idx.tags {
		if t == nil {
			continue
		}
		t.values.Scan(func(k string, l *idList) bool {
			m.tags += len(k) + 48
			m.inverted += 4 * cap(l.ids)
			return true
		})
	}
	for _, n := range idx.numerics {
		if n != nil {
			m.numeric += 16 * n.tree.Len()
		}
	}
	return m
}
