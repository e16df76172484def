package trie

import (
	"math"
	"sort"
)

// SortMode is how a trie keeps each node's children.
type SortMode uint8

const (
	// SortLex keeps children in rune order (the module's dictionaries
	// and term tries).
	SortLex SortMode = iota
	// SortScore keeps children by descending best score below them, a
	// child added behind those with a score as high as its own
	// (suggestion dictionaries and spell-check suggestion lists).
	SortScore
)

const (
	flagTerminal = 1 << iota
	flagDeleted
)

// node is a TrieNode: a run of runes, the children that continue it (the
// first rune of each is its key), the score of the string that ends here
// when it is terminal, and maxChildScore, the best score the module has
// folded in below it (not always the true best: an increment folds in the
// increment, and only a delete recomputes it).
type node struct {
	str           []Rune
	children      []*node
	score         float32
	maxChildScore float32
	flags         uint8
	payload       string // "" when none: the module keeps no empty payload
}

func (n *node) terminal() bool { return n.flags&flagTerminal != 0 }
func (n *node) deleted() bool  { return n.flags&flagDeleted != 0 }

// Trie is the module's Trie: a root and the count of its strings.
type Trie struct {
	root *node
	size int
	mode SortMode
}

// New is an empty trie.
func New(mode SortMode) *Trie { return &Trie{root: &node{}, mode: mode} }

// Size is the number of strings (Trie->size).
func (t *Trie) Size() int { return t.size }

// Insert is Trie_InsertStringBuffer: s is added with score, or its score
// replaced (incremented with incr); a non-empty payload replaces the
// string's payload. It returns 1 when s is new, 0 otherwise, and does
// nothing for a string of more than 512 bytes, an empty one, one of
// MaxStringLen runes or more, or a score of 0 (as a float).
func (t *Trie) Insert(s string, score float64, incr bool, payload string) int {
	if len(s) > MaxStringLen*2 {
		return 0
	}
	return t.InsertRunes(ToRunes(s), score, incr, payload)
}

// InsertRunes is Insert for a string already in runes.
func (t *Trie) InsertRunes(r []Rune, score float64, incr bool, payload string) int {
	if len(r) == 0 || len(r) >= MaxStringLen {
		return 0
	}
	rc := t.add(&t.root, r, payload, float32(score), incr)
	t.size += rc
	return rc
}

// updateScore folds a score into a node's bound (score mode only).
func (t *Trie) updateScore(n *node, v float32) {
	if t.mode == SortScore && v > n.maxChildScore {
		n.maxChildScore = v
	}
}

// add is TrieNode_Add.
func (t *Trie) add(np **node, str []Rune, payload string, score float32, incr bool) int {
	if score == 0 || len(str) == 0 {
		return 0
	}
	n := *np
	offset := 0
	for offset < len(str) && offset < len(n.str) && str[offset] == n.str[offset] {
		offset++
	}
	if offset < len(n.str) {
		// The string leaves the node's run: split the node there.
		t.split(n, offset)
		if offset == len(str) {
			// The string ends at the split: the node becomes terminal.
			n.score = score
			n.flags |= flagTerminal
			n.payload = payload
		} else {
			// A node just split has one child; the new one goes before or
			// after it by its first rune, whatever the mode.
			idx := 0
			if str[offset] > n.children[0].str[0] {
				idx = 1
			}
			t.addChildAt(n, idx, str[offset:], payload, score)
			t.updateScore(n, score)
		}
		return 1
	}
	t.updateScore(n, score)
	if offset == len(str) {
		wasTerm, wasDeleted := n.terminal(), n.deleted()
		if incr {
			n.score += score
		} else {
			n.score = score
		}
		if payload != "" {
			n.payload = payload
		}
		n.flags |= flagTerminal
		n.flags &^= flagDeleted
		if wasTerm && !wasDeleted {
			return 0
		}
		return 1
	}
	scoreIdx := -1
	idx := 0
	for ; idx < len(n.children); idx++ {
		child := n.children[idx]
		if str[offset] == child.str[0] {
			rc := t.add(&n.children[idx], str[offset:], payload, score, incr)
			child = n.children[idx]
			if t.mode == SortScore && len(n.children) > 1 {
				if (idx > 0 && child.maxChildScore > n.children[idx-1].maxChildScore) ||
					(idx < len(n.children)-2 && child.maxChildScore < n.children[idx+1].maxChildScore) {
					t.sortChildren(n)
				}
			}
			return rc
		}
		if t.mode == SortLex && str[offset] < child.str[0] {
			break
		}
		if t.mode == SortScore && child.maxChildScore < score && scoreIdx < 0 {
			scoreIdx = idx
		}
	}
	if t.mode == SortScore && scoreIdx >= 0 {
		idx = scoreIdx
	}
	t.addChildAt(n, idx, str[offset:], payload, score)
	return 1
}

// split is __trie_SplitNode: n keeps its first offset runes, no score and
// one child holding the rest with n's score, payload, flags and children.
func (t *Trie) split(n *node, offset int) {
	child := &node{
		str:           append([]Rune(nil), n.str[offset:]...),
		children:      n.children,
		score:         n.score,
		maxChildScore: n.maxChildScore,
		flags:         n.flags,
		payload:       n.payload,
	}
	n.str = n.str[:offset:offset]
	n.children = []*node{child}
	n.score = 0
	n.payload = ""
	n.flags &^= flagTerminal | flagDeleted
	t.updateScore(n, child.score)
}

// addChildAt is __trie_AddChildIdx: a new terminal child at idx.
func (t *Trie) addChildAt(n *node, idx int, str []Rune, payload string, score float32) {
	child := &node{str: append([]Rune(nil), str...), score: score, maxChildScore: score, flags: flagTerminal, payload: payload}
	n.children = append(n.children, nil)
	copy(n.children[idx+1:], n.children[idx:])
	n.children[idx] = child
}

// runeCmp is runecmp.
func runeCmp(a, b []Rune) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if d := int(a[i]) - int(b[i]); d != 0 {
			return d
		}
	}
	return len(a) - len(b)
}

// sortChildren is __trieNode_sortChildren: by rune (lex), or by
// descending maxChildScore and then by rune (score).
func (t *Trie) sortChildren(n *node) {
	if len(n.children) < 2 {
		return
	}
	c := n.children
	if t.mode == SortLex {
		sort.SliceStable(c, func(i, j int) bool { return runeCmp(c[i].str, c[j].str) < 0 })
		return
	}
	sort.SliceStable(c, func(i, j int) bool {
		if c[i].maxChildScore != c[j].maxChildScore {
			return c[i].maxChildScore > c[j].maxChildScore
		}
		return runeCmp(c[i].str, c[j].str) < 0
	})
}

// Delete is Trie_Delete: it removes s and reports 1 if it was there.
func (t *Trie) Delete(s string) int {
	r := ToRunes(s)
	if len(r) > maxRuneStrLen || len(r) > MaxStringLen {
		return 0
	}
	rc := t.deleteRunes(r)
	t.size -= rc
	return rc
}

// deleteRunes is TrieNode_Delete: the string's node is marked deleted,
// then every node on its path, deepest first, drops a deleted leaf child
// and merges a child left with one child of its own.
func (t *Trie) deleteRunes(str []Rune) int {
	var stack []*node
	rc := 0
	n := t.root
	offset := 0
walk:
	for n != nil && offset < len(str) {
		stack = append(stack, n)
		local := 0
		for offset < len(str) && local < len(n.str) && str[offset] == n.str[local] {
			offset++
			local++
		}
		switch {
		case offset == len(str):
			if local == len(n.str) && !n.deleted() && n.terminal() {
				n.flags |= flagDeleted
				n.flags &^= flagTerminal
				n.score = 0
				rc = 1
			}
			break walk
		case local == len(n.str):
			var next *node
			for _, c := range n.children {
				if c.str[0] == str[offset] {
					next = c
					break
				}
			}
			n = next
		default:
			break walk
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		t.optimizeChildren(stack[i])
	}
	return rc
}

// optimizeChildren is __trieNode_optimizeChildren. As in the module, one
// deleted leaf at most goes per call (the loop runs past the children that
// follow it), and the bound is recomputed from the children.
func (t *Trie) optimizeChildren(n *node) {
	n.maxChildScore = n.score
	for i := 0; i < len(n.children); i++ {
		c := n.children[i]
		if len(c.children) == 0 && c.deleted() {
			copy(n.children[i:], n.children[i+1:])
			n.children = n.children[:len(n.children)-1]
			for ; i < len(n.children); i++ {
				t.updateScore(n, n.children[i].maxChildScore)
			}
			break
		}
		if len(c.children) == 1 {
			n.children[i] = merge(c)
		}
		t.updateScore(n, n.children[i].maxChildScore)
	}
	if t.mode == SortScore {
		t.sortChildren(n)
	}
}

// merge is __trieNode_MergeWithSingleChild: a non-terminal node with one
// child becomes one node with the child's score, flags, payload and
// children.
func merge(n *node) *node {
	if n.terminal() || len(n.children) != 1 {
		return n
	}
	ch := n.children[0]
	str := make([]Rune, 0, len(n.str)+len(ch.str))
	str = append(append(str, n.str...), ch.str...)
	return &node{str: str, children: ch.children, score: ch.score, maxChildScore: ch.maxChildScore,
		flags: ch.flags, payload: ch.payload}
}

// Each visits the strings in the trie's order (a walk without a filter),
// until fn returns false.
func (t *Trie) Each(fn func(s []Rune, score float32, payload string) bool) {
	it := t.iterate(nil)
	for {
		s, score, payload, ok := it.Next(nil)
		if !ok || !fn(s, score, payload) {
			return
		}
	}
}

// Iterate is Trie_Iterate: the strings within maxDist of q (as prefixes of
// them in prefix mode), in the trie's order. q is in runes already
// transformed (LowerRunes, FoldedRunes), transform is applied to the
// trie's runes; nil when q is longer than MaxPrefix runes (the module's
// iterator is then NULL).
func (t *Trie) Iterate(q []Rune, maxDist int, prefix bool, transform func(Rune) Rune) *Iterator {
	if len(q) > MaxPrefix {
		return nil
	}
	return t.iterate(NewFilter(q, maxDist, prefix, transform))
}

func (t *Trie) iterate(f *Filter) *Iterator {
	it := &Iterator{filter: f, minScore: math.MinInt32}
	it.push(t.root)
	return it
}

// Iterator states of a frame.
const (
	stateSelf = iota
	stateChildren
	stateMatch
)

// Step results.
const (
	stepStop = iota
	stepCont
	stepMatch
)

type frame struct {
	n            *node
	childOffset  int
	stringOffset int
	state        uint8
}

// Iterator is the module's TrieIterator: a depth-first walk, children in
// the node's order, fed to the filter rune by rune; a child whose scores
// are both under minScore is skipped.
type Iterator struct {
	stack    []frame
	buf      []Rune
	filter   *Filter
	minScore float32
}

// maxDepth is the iterator's stack bound (a deeper child is not visited).
const maxDepth = MaxStringLen - 1

func (it *Iterator) push(n *node) {
	if len(it.stack) < maxDepth {
		it.stack = append(it.stack, frame{n: n})
	}
}

func (it *Iterator) pop() {
	top := it.stack[len(it.stack)-1]
	if it.filter != nil {
		it.filter.pop(top.stringOffset)
	}
	it.buf = it.buf[:len(it.buf)-top.stringOffset]
	it.stack = it.stack[:len(it.stack)-1]
}

// step is __ti_step.
func (it *Iterator) step(dist *int) int {
	if len(it.stack) == 0 {
		return stepStop
	}
	cur := &it.stack[len(it.stack)-1]
	switch cur.state {
	case stateMatch:
		it.pop()
		return stepCont
	case stateSelf:
		if cur.stringOffset < len(cur.n.str) {
			b := cur.n.str[cur.stringOffset]
			matched := false
			if it.filter != nil {
				var cont bool
				cont, matched = it.filter.step(b, dist)
				if !cont {
					if matched {
						cur.state = stateMatch
						return stepMatch
					}
					it.pop()
					return stepCont
				}
			}
			it.buf = append(it.buf, b)
			cur.stringOffset++
			if it.filter == nil && cur.stringOffset == len(cur.n.str) && cur.n.terminal() && !cur.n.deleted() {
				matched = true
			}
			if matched {
				return stepMatch
			}
			return stepCont
		}
		cur.state = stateChildren
	}
	if cur.childOffset < len(cur.n.children) {
		ch := cur.n.children[cur.childOffset]
		cur.childOffset++
		if ch.maxChildScore >= it.minScore || ch.score >= it.minScore {
			it.push(ch)
		}
	} else {
		it.pop()
	}
	return stepCont
}

// Next is TrieIterator_Next: the next matching string (valid until the
// next call), its score and payload. dist, when not nil, is the module's
// match context: the distance of the last match the filter saw.
func (it *Iterator) Next(dist *int) (s []Rune, score float32, payload string, ok bool) {
	for {
		rc := it.step(dist)
		if rc == stepStop {
			return nil, 0, "", false
		}
		if rc == stepMatch {
			top := &it.stack[len(it.stack)-1]
			if top.n.terminal() && len(top.n.str) == top.stringOffset && !top.n.deleted() {
				return it.buf, top.n.score, top.n.payload, true
			}
		}
	}
}
