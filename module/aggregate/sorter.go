package aggregate

import (
	"sort"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// sortProc is SORTBY: it reads every row, keeps the best limit of them and
// yields them best first. A row without a value for a key sorts after the
// rows with one, in both directions; rows equal on every key go by document
// id in the direction of the last key.
//
// A row's keys are read once, when it is offered (a SORTABLE field's value
// is decoded from its document's sort values), and kept beside it in the
// heap: comparisons read those copies.
type sortProc struct {
	p     *Pipeline
	up    proc
	keys  []*Key
	asc   []bool
	limit int

	heap   []sortEntry // a heap whose root is the worst row kept
	cand   []sortKey   // the offered row's keys
	slab   []sortKey   // where kept rows' keys are allocated
	out    []sortEntry
	pos    int
	sorted bool
}

// sortEntry is a kept row and its keys' values.
type sortEntry struct {
	r    *Row
	keys []sortKey
}

// sortKey is a row's value of one SORTBY key.
type sortKey struct {
	v  expr.Value
	ok bool
}

// better reports whether a (with keys ka) comes before b (keys kb).
func (s *sortProc) better(a *Row, ka []sortKey, b *Row, kb []sortKey) bool {
	asc := true
	for i := range s.keys {
		asc = s.asc[i]
		oka, okb := ka[i].ok, kb[i].ok
		if !oka || !okb {
			if oka {
				return true
			}
			if okb {
				return false
			}
			continue
		}
		c, _ := expr.Compare(ka[i].v, kb[i].v)
		if c != 0 {
			if asc {
				return c < 0
			}
			return c > 0
		}
	}
	if asc {
		return a.id < b.id
	}
	return a.id > b.id
}

func (s *sortProc) entryBetter(a, b *sortEntry) bool { return s.better(a.r, a.keys, b.r, b.keys) }

func (s *sortProc) next() (*Row, error) {
	if !s.sorted {
		s.sorted = true
		if err := pullAll(s.up, s.offer); err != nil {
			return nil, err
		}
		s.out = s.heap
		s.heap, s.cand, s.slab = nil, nil, nil
		sort.SliceStable(s.out, func(i, j int) bool { return s.entryBetter(&s.out[i], &s.out[j]) })
	}
	if s.pos >= len(s.out) {
		return nil, nil
	}
	r := s.out[s.pos].r
	s.out[s.pos] = sortEntry{}
	s.pos++
	return r, nil
}

// readKeys fills ks with the row's keys.
func (s *sortProc) readKeys(r *Row, ks []sortKey) {
	for i, k := range s.keys {
		ks[i].v, ks[i].ok = r.value(k)
	}
}

func (s *sortProc) offer(r *Row) {
	h := s.heap
	if len(h) < s.limit {
		n := len(s.keys)
		if len(s.slab) < n {
			s.slab = make([]sortKey, n*min(max(s.limit, 1), 64))
		}
		ks := s.slab[:n:n]
		s.slab = s.slab[n:]
		s.readKeys(r, ks)
		h = append(h, sortEntry{r: r, keys: ks})
		s.heap = h
		// sift up: the worst row rises to the root
		for i := len(h) - 1; i > 0; {
			parent := (i - 1) / 2
			if !s.entryBetter(&h[parent], &h[i]) {
				break
			}
			h[parent], h[i] = h[i], h[parent]
			i = parent
		}
		return
	}
	if s.cand == nil {
		s.cand = make([]sortKey, len(s.keys))
	}
	s.readKeys(r, s.cand)
	if !s.better(r, s.cand, h[0].r, h[0].keys) {
		return
	}
	// The root's key slice takes the candidate's values.
	copy(h[0].keys, s.cand)
	h[0].r = r
	for i := 0; ; {
		worst, l, rr := i, 2*i+1, 2*i+2
		if l < len(h) && s.entryBetter(&h[worst], &h[l]) {
			worst = l
		}
		if rr < len(h) && s.entryBetter(&h[worst], &h[rr]) {
			worst = rr
		}
		if worst == i {
			break
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
