package index

import (
	"sort"
	"sync"
	"unsafe"

	"github.com/tidwall/btree"

	"github.com/miniredis-search/miniredis-search/module/vecsim"
)

// Index is one search index: its spec, its document table and its inverted
// indexes.
//
// Locking is the caller's, through Lock/Unlock (writers: Add, Remove,
// Rename, FieldsAdded) and RLock/RUnlock (readers: queries, Stats,
// TagValues, Doc). A server that has a main-thread lock takes it first and
// the index's lock inside it, and never waits for the main thread while
// holding an index lock. Writes counts the write-lock holds: a reader that
// let go of its read lock (to yield) and took it again knows from it
// whether its iterators are still valid.
type Index struct {
	mu     sync.RWMutex
	writes uint64
	spec   *Spec

	docs     docTable // by id (id 0 is never used)
	byKey    keyTable // key → id, through the documents' keys
	numDocs  int
	maxDocID uint32
	totalLen uint64                        // sum of the live documents' weighted lengths
	terms    btree.Map[string, *termEntry] // ordered: prefix and suffix expansion
	termMap  map[string]*termEntry         // the same terms, for lookups
	scratch  indexScratch
	tags     []*tagIndex     // by field position; nil for other types
	numerics []*numericIndex // by field position (NUMERIC and GEO)
	vectors  []vecsim.Index  // by field position (VECTOR); nil until first used
	shapes   []*shapeIndex   // by field position (GEOSHAPE)
	// missing lists, by field position, the documents without the field,
	// for the INDEXMISSING fields (nil for the others): ismissing(@f).
	missing   []*idList
	vecMu     sync.Mutex // guards vectors' creation
	vecOpts   vecsim.Options
	numRecord int // posting entries of live documents

	// Ids of the terms and tag lists, which documents' refs hold (see
	// docrefs.go), with the ids given back for reuse.
	termByID    []*termEntry
	freeTermIDs []uint32
	tagLists    []*idList
	freeTagIDs  []uint32

	failures      Failures
	fieldFailures []Failures // by field position
}

// Lock takes the index for writing; it counts in Writes.
func (idx *Index) Lock() {
	idx.mu.Lock()
	idx.writes++
}

// Unlock lets go of the write lock.
func (idx *Index) Unlock() { idx.mu.Unlock() }

// RLock takes the index for reading.
func (idx *Index) RLock() { idx.mu.RLock() }

// RUnlock lets go of the read lock.
func (idx *Index) RUnlock() { idx.mu.RUnlock() }

// Writes is the number of write-lock holds so far; read it under a lock.
func (idx *Index) Writes() uint64 { return idx.writes }

// Spec is the index's definition. FT.ALTER adds fields to it under the
// write lock (then FieldsAdded).
func (idx *Index) Spec() *Spec { return idx.spec }

// indexScratch is addDoc's working space, kept between documents.
type indexScratch struct {
	slot     map[string]int // term → index in postings
	postings []posting
	order    []string
	tags     []string // a tag field's values
	jsonVals []string // a JSON value's strings
	refs     docRefsBuilder
}

// Failures are the indexing failures of an index or of one of its fields:
// documents refused because a value did not parse.
type Failures struct {
	Count     int
	LastError string
	LastKey   string
}

// Doc is an indexed document: an entry of the document table. A document
// never changes once indexed (a write indexes a new one under a new id), so
// what a reader took under the read lock stays valid after it let go; Doc
// tells whether the id still holds that document.
type Doc struct {
	key string
	id  uint32
	// tagRecords is the number of tag fields with values (FT.INFO's
	// num_records counts one record for each).
	tagRecords uint16
	// extra holds what only some indexes keep (a payload, shapes, the
	// INDEXMISSING lists): nil when the document has none.
	extra *docExtra

	// refs are the document's sort values, then the terms, tag values and
	// numeric values it is indexed under (for Remove): encoded as
	// docrefs.go says.
	refs string
}

// docExtra is the part of a Doc few documents have.
type docExtra struct {
	payload    string
	hasPayload bool
	shapes     []uint16 // positions of the GEOSHAPE fields holding its shapes
	// missing are the lists of the INDEXMISSING fields the document lacks.
	missing []*idList
}

type numRef struct {
	field int
	v     float64
	lon   float64 // GEO: v holds the latitude
	geo   bool
}

// SortValue is a SORTABLE field's value (or a SORTBY key read otherwise).
type SortValue struct {
	Kind SortKind
	Num  float64
	Str  string
}

// SortKind says what a SortValue holds.
type SortKind uint8

const (
	SortNone SortKind = iota // no value
	SortNum                  // a number (NUMERIC)
	SortStr                  // a string (TEXT and TAG, normalized unless UNF)
)

// termEntry is a term of the dictionary and its postings.
type termEntry struct {
	term string
	id   uint32 // its index in Index.termByID
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
	ids   []uint32
	live  int
	value string // the tag value (its key in the tag index)
	id    uint32 // a tag value's index in Index.tagLists
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

// New is an empty index of the spec.
func New(sp *Spec) *Index { return NewWithOptions(sp, Options{}) }

// NewWithOptions is an empty index of the spec with its host's options.
func NewWithOptions(sp *Spec, o Options) *Index {
	idx := &Index{spec: sp, termMap: make(map[string]*termEntry), vecOpts: o.Vector}
	idx.scratch.slot = make(map[string]int)
	idx.FieldsAdded()
	return idx
}

// FieldsAdded makes room for the fields appended to the spec (FT.ALTER);
// the caller holds the write lock.
func (idx *Index) FieldsAdded() {
	for len(idx.tags) < len(idx.spec.Fields) {
		f := idx.spec.Fields[len(idx.tags)]
		var t *tagIndex
		var n *numericIndex
		var v vecsim.Index // created on first use (openVectors)
		switch f.Type {
		case FieldTag:
			t = &tagIndex{}
		case FieldNumeric, FieldGeo:
			n = &numericIndex{tree: btree.NewBTreeGOptions(numLess, btree.Options{NoLocks: true}), ranges: newRangeTree()}
		}
		var g *shapeIndex
		if f.Type == FieldGeoShape {
			g = newShapeIndex(f.Coords)
		}
		var m *idList
		if f.IndexMissing {
			m = &idList{}
		}
		idx.tags = append(idx.tags, t)
		idx.missing = append(idx.missing, m)
		idx.numerics = append(idx.numerics, n)
		idx.shapes = append(idx.shapes, g)
		idx.vectors = append(idx.vectors, v)
		idx.fieldFailures = append(idx.fieldFailures, Failures{})
	}
}

// Doc is the live document of an id, nil when none. The caller holds a lock.
func (idx *Index) Doc(id uint32) *Doc { return idx.docs.get(id) }

// DocID is the id of the document a key holds; ok is false when it holds
// none. The caller holds a lock.
func (idx *Index) DocID(key string) (uint32, bool) {
	return idx.byKey.get(key, &idx.docs)
}

// NumDocs is the number of indexed documents. The caller holds a lock, or
// whatever lock every writer holds (a server's main-thread lock).
func (idx *Index) NumDocs() int { return idx.numDocs }

// Keys are the keys of the indexed documents, in no order. The caller
// holds a lock.
func (idx *Index) Keys() []string {
	keys := make([]string, 0, idx.byKey.n)
	idx.docs.each(func(d *Doc) { keys = append(keys, d.key) })
	return keys
}

// Key is the document's key.
func (d *Doc) Key() string { return d.key }

// ID is the document's id: ids grow with indexing order.
func (d *Doc) ID() uint32 { return d.id }

// Payload is the document's PAYLOAD_FIELD value, if it had one.
func (d *Doc) Payload() (string, bool) {
	if d.extra == nil {
		return "", false
	}
	return d.extra.payload, d.extra.hasPayload
}

// SortValue is the document's value of a SORTABLE field (SortNone when it
// had none, or the field is not SORTABLE).
func (d *Doc) SortValue(f *Field) SortValue {
	v, _ := d.SortValueAt(f.sortIdx)
	return v
}

// SortValueAt is the document's sort value in a slot (Field.SortIdx).
func (d *Doc) SortValueAt(slot int) (SortValue, bool) {
	r := docRefs{d.refs}
	return r.sortAt(slot)
}

// live reports whether a document id is live.
func (idx *Index) live(id uint32) bool {
	if idx.numDocs == int(idx.maxDocID) {
		// No id was ever left without its document (every one given,
		// 1 to maxDocID, holds a live document): nothing to look up.
		return id-1 < idx.maxDocID
	}
	return idx.docs.get(id) != nil
}

// avgDocLen is the average weighted length of the live documents.
func (idx *Index) avgDocLen() float64 {
	if idx.numDocs == 0 {
		return 0
	}
	return float64(idx.totalLen) / float64(idx.numDocs)
}

// Remove deletes a key's document from the index; false when the key had
// none. The caller holds the write lock.
func (idx *Index) Remove(key string) bool {
	id, ok := idx.byKey.get(key, &idx.docs)
	if !ok {
		return false
	}
	d, st := idx.docs.get(id), idx.docs.stat(id)
	idx.byKey.delete(key, &idx.docs)
	idx.docs.remove(id)
	idx.numDocs--
	idx.totalLen -= uint64(st.len)
	refs := docRefs{d.refs}
	refs.skipSorts()
	refs.eachTerm(func(tid uint32) {
		te := idx.termByID[tid]
		te.docs--
		idx.numRecord--
		if te.docs == 0 {
			idx.terms.Delete(te.term)
			delete(idx.termMap, te.term)
			idx.freeTermID(te)
			return
		}
		if te.list.n > 2*te.docs && te.list.n > postingBlockSize {
			te.list.compact(idx.live)
		}
	})
	idx.numRecord -= int(d.tagRecords)
	refs.eachTag(func(field int, lid uint32) {
		l := idx.tagLists[lid]
		l.live--
		switch {
		case l.live == 0:
			// A value no document has any more leaves FT.TAGVALS.
			idx.tags[field].values.Delete(l.value)
			idx.freeTagListID(l)
		case len(l.ids) > 2*l.live && len(l.ids) > 16:
			l.compact(idx.live)
		}
	})
	refs.eachNum(func(n numRef) {
		idx.numerics[n.field].tree.Delete(numEntry{v: n.v, id: id})
		idx.numRecord--
	})
	if d.extra != nil {
		for _, l := range d.extra.missing {
			l.live--
			if len(l.ids) > 2*l.live && len(l.ids) > 16 {
				l.compact(idx.live)
			}
		}
	}
	idx.removeVectors(d)
	idx.removeShapes(d)
	return true
}

// Missing is the list of the documents without the field at pos, nil when
// the field does not index missing values. The caller holds a lock.
func (idx *Index) missingList(pos int) *idList {
	if pos < 0 || pos >= len(idx.missing) {
		return nil
	}
	return idx.missing[pos]
}

// Rename moves a document to a new key, keeping its id; the document that
// held the new key before, if any, is removed. It reports false when the
// old key was not indexed. The caller holds the write lock.
func (idx *Index) Rename(from, to string) bool {
	id, ok := idx.byKey.get(from, &idx.docs)
	if !ok {
		return false
	}
	if from != to {
		idx.Remove(to)
	}
	idx.byKey.delete(from, &idx.docs)
	idx.docs.get(id).key = to
	idx.byKey.set(to, id, &idx.docs)
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

// TagValues lists a TAG field's values (FT.TAGVALS), sorted; pos is the
// field's position. The caller holds a lock.
func (idx *Index) TagValues(pos int) []string {
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

// Stats are FT.INFO's figures of the index. The caller holds a lock.
type Stats struct {
	NumDocs    int
	MaxDocID   uint32
	NumTerms   int
	NumRecords int // posting entries of live documents, as the module counts them
	Blocks     int // inverted-index blocks of the text postings
	Failures   Failures
	Memory     MemoryStats // bytes, by part
}

// MemoryStats estimates the index's memory, in bytes, by part.
type MemoryStats struct {
	Inverted, DocTable, Sortables, KeyTable, Tags, Text, Numeric int
}

// Total is the sum of the parts.
func (m MemoryStats) Total() int {
	return m.Inverted + m.DocTable + m.Sortables + m.KeyTable + m.Tags + m.Text + m.Numeric
}

// Stats computes the index's figures.
func (idx *Index) Stats() Stats {
	st := Stats{NumDocs: idx.numDocs, MaxDocID: idx.maxDocID, NumTerms: idx.terms.Len(), NumRecords: idx.numRecord,
		Failures: idx.failures, Memory: idx.memory()}
	idx.terms.Scan(func(_ string, te *termEntry) bool { st.Blocks += len(te.list.blocks); return true })
	return st
}

// FieldFailures are the indexing failures of the field at a position.
func (idx *Index) FieldFailures(pos int) Failures { return idx.fieldFailures[pos] }

func (idx *Index) memory() MemoryStats {
	var m MemoryStats
	idx.terms.Scan(func(k string, te *termEntry) bool {
		m.Inverted += te.list.bytes()
		m.Text += len(k) + 48
		return true
	})
	// The table's pages and the ids of terms and tag lists that the
	// documents' refs name.
	m.DocTable += idx.docs.bytes() + 8*(cap(idx.termByID)+cap(idx.tagLists)) +
		4*(cap(idx.freeTermIDs)+cap(idx.freeTagIDs))
	m.Sortables += idx.docs.sortBytes()
	idx.docs.each(func(d *Doc) {
		sorts := sortsLen(d.refs)
		m.DocTable += int(unsafe.Sizeof(Doc{})) + len(d.refs) - sorts
		m.Sortables += sorts
		m.KeyTable += len(d.key) + 16
	})
	for _, t := range idx.tags {
		if t == nil {
			continue
		}
		t.values.Scan(func(k string, l *idList) bool {
			m.Tags += len(k) + 48
			m.Inverted += 4 * cap(l.ids)
			return true
		})
	}
	for _, n := range idx.numerics {
		if n != nil {
			m.Numeric += 16 * n.tree.Len()
		}
	}
	return m
}
