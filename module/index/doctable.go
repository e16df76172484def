package index

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

type docPage [docPageSize]*Doc

func (t *docTable) get(id uint32) *Doc {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil {
		return nil
	}
	return t.pages[p][id&(docPageSize-1)]
}

func (t *docTable) set(id uint32, d *Doc) {
	p := int(id >> docPageBits)
	for p >= len(t.pages) {
		t.pages = append(t.pages, nil)
		t.live = append(t.live, 0)
	}
	if t.pages[p] == nil {
		t.pages[p] = new(docPage)
	}
	t.pages[p][id&(docPageSize-1)] = d
	t.live[p]++
}

func (t *docTable) remove(id uint32) {
	p := int(id >> docPageBits)
	if p >= len(t.pages) || t.pages[p] == nil || t.pages[p][id&(docPageSize-1)] == nil {
		return
	}
	t.pages[p][id&(docPageSize-1)] = nil
	t.live[p]--
	if t.live[p] == 0 {
		t.pages[p] = nil
	}
}

// next returns the first live document with an id > id, or nil.
func (t *docTable) next(id uint32) *Doc {
	for id++; int(id>>docPageBits) < len(t.pages); id++ {
		p := t.pages[id>>docPageBits]
		if p == nil {
			id |= docPageSize - 1 // jump to the next page
			continue
		}
		if d := p[id&(docPageSize-1)]; d != nil {
			return d
		}
	}
	return nil
}

// each visits every live document in id order.
func (t *docTable) each(fn func(d *Doc)) {
	for _, p := range t.pages {
		if p == nil {
			continue
		}
		for _, d := range p {
			if d != nil {
				fn(d)
			}
		}
	}
}

// slots is the number of id slots held (for memory figures).
func (t *docTable) slots() int {
	n := 0
	for _, p := range t.pages {
		if p != nil {
			n += docPageSize
		}
	}
	return n
}
