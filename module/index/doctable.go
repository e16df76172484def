package index

import (
	"math"
	"unsafe"
)

// docTable maps document ids to documents. Ids only grow (a re-indexed key
// gets a new id, as in the module, so that result order follows indexing
// order), so a flat slice would keep 8 bytes for every id ever deleted.
// Pages of docPageSize ids are freed once all their documents are gone:
// a churning index keeps memory for its live documents only, plus one
// pointer per page of ids.
type docTable struct {
	pages []*docPage
	live  []int32 // live documents per page
	// oddScore is set, for good, once a document's score was negative
	// (-0 too), infinite or NaN: until then a score times +0 is +0
	// (scorer.parts skips the stat of a match that adds nothing).
	oddScore bool
}

const docPageBits = 10
const docPageSize = 1 << docPageBits

// docPage holds a page of ids: each one's document, and beside it what the
// scorers read of every match (a docStat), so that scoring reads these
// dense arrays instead of following each match's pointer to its Doc (a
// cache miss per matched document, most of a single-term query's time).
type docPage struct {
	docs  [docPageSize]*Doc
	stats [docPageSize]docStat
	// sorts are the page's columns of SORTABLE values, by slot
	// (Field.sortIdx), made when a document of the page first has the
	// slot (sortColumn).
	sorts []*sortCol
}

// sortCol is a page's values of one SORTABLE slot, so that SORTBY reads an
// array slot per match instead of decoding each document's refs (which
// keep the values too: readers without the index's lock, FT.AGGREGATE's
// pipeline and Collected.Rank, read them there).
//
// kind is 0 for an id without the slot (no document, or one indexed
// before FT.ALTER added the field), else the value's SortKind+1. val is a
// SortNum's float64 bits, or a SortStr's first 8 bytes big endian, padded
// with zero bytes (strPrefix): two strings whose prefixes differ compare as
// their prefixes do, equal prefixes need the strings themselves.
type sortCol struct {
	kind [docPageSize]uint8
	val  [docPageSize]uint64
}

// sortCell is one document's entry of a sort column.
type sortCell struct {
	kind SortKind
	ok   bool // the document has the slot
	val  uint64
}

// num is a SortNum cell's value.
func (c sortCell) num() float64 { return math.Float64frombits(c.val) }

// strPrefix is the column's key of a string: its first 8 bytes big endian,
// zero bytes after its end.
func strPrefix(s string) uint64 {
	var u uint64
	for i := range 8 {
		u <<= 8
		if i < len(s) {
			u |= uint64(s[i])
		}
	}
	return u
}

// docStat is what the scorers read of a document.
type docStat struct {
	score   float64 // the document's score (SCORE_FIELD or the default)
	len     uint32  // sum of the weighted frequencies of its tokens
	maxFreq uint32  // the largest frequency of one of its terms
}

func (t *docTable) get(id uint32) *Doc {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil {
		return nil
	}
	return t.pages[p].docs[id&(docPageSize-1)]
}

// stat is a live document's docStat (zero for an id without one).
func (t *docTable) stat(id uint32) docStat {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil {
		return docStat{}
	}
	return t.pages[p].stats[id&(docPageSize-1)]
}

// sortCell is a live document's entry in a sort slot's column (ok false
// when it has no such slot).
func (t *docTable) sortCell(id uint32, slot int) sortCell {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil || slot < 0 || slot >= len(t.pages[p].sorts) {
		return sortCell{}
	}
	col := t.pages[p].sorts[slot]
	if col == nil {
		return sortCell{}
	}
	i := id & (docPageSize - 1)
	k := col.kind[i]
	if k == 0 {
		return sortCell{}
	}
	return sortCell{kind: SortKind(k - 1), ok: true, val: col.val[i]}
}

// setSorts records a document's sort values (one per slot it has) in its
// page's columns; the document is set already.
func (t *docTable) setSorts(id uint32, sorts []SortValue) {
	pg := t.pages[id>>docPageBits]
	i := id & (docPageSize - 1)
	for slot, v := range sorts {
		for len(pg.sorts) <= slot {
			pg.sorts = append(pg.sorts, nil)
		}
		col := pg.sorts[slot]
		if col == nil {
			col = new(sortCol)
			pg.sorts[slot] = col
		}
		col.kind[i] = uint8(v.Kind) + 1
		switch v.Kind {
		case SortNum:
			col.val[i] = math.Float64bits(v.Num)
		case SortStr:
			col.val[i] = strPrefix(v.Str)
		default:
			col.val[i] = 0
		}
	}
}

func (t *docTable) set(id uint32, d *Doc, st docStat) {
	p := int(id >> docPageBits)
	for p >= len(t.pages) {
		t.pages = append(t.pages, nil)
		t.live = append(t.live, 0)
	}
	if t.pages[p] == nil {
		t.pages[p] = new(docPage)
	}
	t.pages[p].docs[id&(docPageSize-1)] = d
	t.pages[p].stats[id&(docPageSize-1)] = st
	t.live[p]++
	if math.Signbit(st.score) || math.IsInf(st.score, 0) || math.IsNaN(st.score) {
		t.oddScore = true
	}
}

func (t *docTable) remove(id uint32) {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil || t.pages[p].docs[id&(docPageSize-1)] == nil {
		return
	}
	t.pages[p].docs[id&(docPageSize-1)] = nil
	t.pages[p].stats[id&(docPageSize-1)] = docStat{}
	for _, col := range t.pages[p].sorts {
		if col != nil {
			col.kind[id&(docPageSize-1)] = 0
			col.val[id&(docPageSize-1)] = 0
		}
	}
	t.live[p]--
	if t.live[p] == 0 {
		t.pages[p] = nil
	}
}

// next returns the first id > id holding a live document, false when none
// does (reading the pages only, not the documents).
func (t *docTable) next(id uint32) (uint32, bool) {
	for id++; int(id>>docPageBits) < len(t.pages); id++ {
		p := t.pages[id>>docPageBits]
		if p == nil {
			id |= docPageSize - 1 // jump to the next page
			continue
		}
		if p.docs[id&(docPageSize-1)] != nil {
			return id, true
		}
	}
	return 0, false
}

// each visits every live document in id order.
func (t *docTable) each(fn func(d *Doc)) {
	for _, p := range t.pages {
		if p == nil {
			continue
		}
		for _, d := range p.docs {
			if d != nil {
				fn(d)
			}
		}
	}
}

// bytes is the memory the pages hold (for memory figures): their
// document pointers and docStats.
func (t *docTable) bytes() int {
	n := 0
	for _, p := range t.pages {
		if p != nil {
			n += int(unsafe.Sizeof(docPage{}))
		}
	}
	return n
}

// sortBytes is the memory the pages' sort columns hold.
func (t *docTable) sortBytes() int {
	n := 0
	for _, p := range t.pages {
		if p == nil {
			continue
		}
		n += 8 * cap(p.sorts)
		for _, col := range p.sorts {
			if col != nil {
				n += int(unsafe.Sizeof(sortCol{}))
			}
		}
	}
	return n
}
