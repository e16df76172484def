package index

import "unsafe"

// docTable maps document ids to documents. Ids only grow (a re-indexed key
// gets a new id, as in the module, so that result order follows indexing
// order), so a flat slice would keep 8 bytes for every id ever deleted.
// Pages of docPageSize ids are freed once all their documents are gone:
// a churning index keeps memory for its live documents only, plus one
// pointer per page of ids.
type docTable struct {
	pages []*docPage
	live  []int32 // live documents per page
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
}

func (t *docTable) remove(id uint32) {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil || t.pages[p].docs[id&(docPageSize-1)] == nil {
		return
	}
	t.pages[p].docs[id&(docPageSize-1)] = nil
	t.pages[p].stats[id&(docPageSize-1)] = docStat{}
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
