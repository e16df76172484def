package trie

import "encoding/binary"

// The module's Levenshtein automaton (levenshtein.c): a sparse vector of
// (position in the query, edit distance) for the positions still within
// the maximum distance, stepped one rune at a time, and memoized as a DFA
// whose states are the distinct vectors. A state's distance is the value of
// its last entry; it matches when its last entry is at the end of the
// query.

type entry struct{ idx, val int32 }

type dfaState struct {
	v        []entry
	match    bool
	distance int
	edges    map[Rune]*dfaState // nil value: no state (the automaton died)
	fallback *dfaState
	fbDone   bool
}

type automaton struct {
	q     []Rune
	max   int32
	cache map[string]*dfaState
	key   []byte
}

func newAutomaton(q []Rune, maxDist int) *automaton {
	return &automaton{q: q, max: int32(maxDist), cache: make(map[string]*dfaState)}
}

// start is SparseAutomaton_Start: positions 0..max at distances 0..max.
func (a *automaton) start() *dfaState {
	v := make([]entry, a.max+1)
	for i := range v {
		v[i] = entry{int32(i), int32(i)}
	}
	return a.state(v)
}

// stepVec is SparseAutomaton_Step.
func (a *automaton) stepVec(v []entry, c Rune) []entry {
	var out []entry
	if len(v) > 0 && v[0].idx == 0 && v[0].val < a.max {
		out = append(out, entry{0, v[0].val + 1})
	}
	n := int32(len(a.q))
	for j, e := range v {
		if e.idx == n {
			break
		}
		val := e.val
		if a.q[e.idx] != c {
			val++
		}
		if len(out) > 0 && out[len(out)-1].idx == e.idx {
			val = min(val, out[len(out)-1].val+1)
		}
		if j+1 < len(v) && v[j+1].idx == e.idx+1 {
			val = min(val, v[j+1].val+1)
		}
		if val <= a.max {
			out = append(out, entry{e.idx + 1, val})
		}
	}
	return out
}

// state interns a vector (nil for an empty one).
func (a *automaton) state(v []entry) *dfaState {
	if len(v) == 0 {
		return nil
	}
	a.key = a.key[:0]
	for _, e := range v {
		a.key = binary.AppendUvarint(a.key, uint64(e.idx))
		a.key = binary.AppendUvarint(a.key, uint64(e.val))
	}
	if s := a.cache[string(a.key)]; s != nil {
		return s
	}
	last := v[len(v)-1]
	s := &dfaState{v: v, match: last.idx == int32(len(a.q)), distance: int(last.val)}
	a.cache[string(a.key)] = s
	return s
}

// next is the DFA's transition on c: the edge built for a rune of the
// query at one of the state's positions (when stepping on it leaves a
// state), else the fallback edge, built by stepping on rune 1 (dfa_build).
func (a *automaton) next(s *dfaState, c Rune) *dfaState {
	if ns, ok := s.edges[c]; ok {
		if ns != nil {
			return ns
		}
		return a.fallback(s)
	}
	var ns *dfaState
	for _, e := range s.v {
		if e.idx < int32(len(a.q)) && a.q[e.idx] == c {
			ns = a.state(a.stepVec(s.v, c))
			break
		}
	}
	if s.edges == nil {
		s.edges = make(map[Rune]*dfaState)
	}
	s.edges[c] = ns
	if ns != nil {
		return ns
	}
	return a.fallback(s)
}

func (a *automaton) fallback(s *dfaState) *dfaState {
	if !s.fbDone {
		s.fallback = a.state(a.stepVec(s.v, 1))
		s.fbDone = true
	}
	return s.fallback
}

// Filter is the module's DFAFilter: it follows an iterator down the trie,
// rune by rune, with a stack of automaton states (nil once a prefix-mode
// filter is past its prefix) and of the least distance met on the way.
type Filter struct {
	a         *automaton
	prefix    bool
	transform func(Rune) Rune
	states    []*dfaState
	dists     []int
}

// NewFilter is NewDFAFilter for the query runes q (already folded or
// lowered as transform folds or lowers the trie's runes; nil: as they
// are).
func NewFilter(q []Rune, maxDist int, prefix bool, transform func(Rune) Rune) *Filter {
	a := newAutomaton(q, maxDist)
	return &Filter{a: a, prefix: prefix, transform: transform,
		states: []*dfaState{a.start()}, dists: []int{maxDist + 1}}
}

// step is FilterFunc: it feeds rune b, reports whether to go on below it
// and whether the string so far matches; dist (the iterator's match
// context) gets the match's distance when there is one.
func (f *Filter) step(b Rune, dist *int) (cont, matched bool) {
	dn := f.states[len(f.states)-1]
	minDist := f.dists[len(f.dists)-1]
	if dn == nil {
		// Past the prefix: everything below matches.
		f.states = append(f.states, nil)
		f.dists = append(f.dists, minDist)
		return true, true
	}
	matched = dn.match
	if matched && dist != nil {
		*dist = min(dn.distance, minDist)
	}
	if f.transform != nil {
		b = f.transform(b)
	}
	if next := f.a.next(dn, b); next != nil {
		if next.match {
			matched = true
			if dist != nil {
				*dist = min(next.distance, minDist)
			}
		}
		f.states = append(f.states, next)
		f.dists = append(f.dists, min(next.distance, minDist))
		return true, matched
	}
	if f.prefix && matched {
		f.states = append(f.states, nil)
		f.dists = append(f.dists, minDist)
		return true, matched
	}
	return false, matched
}

// pop is StackPop: n runes are taken back.
func (f *Filter) pop(n int) {
	f.states = f.states[:len(f.states)-n]
	f.dists = f.dists[:len(f.dists)-n]
}
