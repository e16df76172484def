package aggregate

import (
	"sort"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// sortProc is SORTBY: it reads every row, keeps the best limit of them and
// yields them best first. A row without a value for a key sorts after the
// rows with one, in both directions; rows equal on every key go by document
// id in the direction of the last key.
type sortProc struct {
	p     *Pipeline
	up    proc
	keys  []*Key
	asc   []bool
	limit int

	heap   []*Row // a heap whose root is the worst row kept
	out    []*Row
	pos    int
	sorted bool
}

// better reports whether a comes before b.
func (s *sortProc) better(a, b *Row) bool {
	asc := true
	for i, k := range s.keys {
		asc = s.asc[i]
		va, oka := a.value(k)
		vb, okb := b.value(k)
		if !oka || !okb {
			if oka {
				return true
			}
			if okb {
				return false
			}
			continue
		}
		c, _ := expr.Compare(va, vb)
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

func (s *sortProc) next() (*Row, error) {
	if !s.sorted {
		s.sorted = true
		if err := pullAll(s.up, s.offer); err != nil {
			return nil, err
		}
		s.out = s.heap
		s.heap = nil
		sort.SliceStable(s.out, func(i, j int) bool { return s.better(s.out[i], s.out[j]) })
	}
	if s.pos >= len(s.out) {
		return nil, nil
	}
	r := s.out[s.pos]
	s.out[s.pos] = nil
	s.pos++
	return r, nil
}

func (s *sortProc) offer(r *Row) {
	h := s.heap
	if len(h) < s.limit {
		h = append(h, r)
		s.heap = h
		// sift up: the worst row rises to the root
		for i := len(h) - 1; i > 0; {
			parent := (i - 1) / 2
			if !s.better(h[parent], h[i]) {
				break
			}
			h[parent], h[i] = h[i], h[parent]
			i = parent
		}
		return
	}
	if !s.better(r, h[0]) {
		return
	}
	h[0] = r
	for i := 0; ; {
		worst, l, rr := i, 2*i+1, 2*i+2
		if l < len(h) && s.better(h[worst], h[l]) {
			worst = l
		}
		if rr < len(h) && s.better(h[worst], h[rr]) {
			worst = rr
		}
		if worst == i {
			break
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
