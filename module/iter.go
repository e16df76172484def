package module

import (
	"math"
	"sort"
)

// Query execution walks iterators, as the module does: each yields the ids
// of the documents it matches in ascending order, with a result record that
// the scorers read (term frequencies, positions, the tree of matches).

type resultKind uint8

const (
	resTerm      resultKind = iota // a term of the dictionary
	resUnion                       // any child matched
	resIntersect                   // every child matched
	resVirtual                     // wildcard, tag, numeric, geo: no term statistics
)

type result struct {
	kind      resultKind
	id        uint32
	freq      uint32
	fieldMask uint64
	term      *termEntry
	positions []uint32
	weight    float64
	children  []*result
	wildcard  bool // a `*` match (BM25STD scores it as a term of IDF 1)
	// numericUnion marks numeric and geo matches, which the module reads
	// through a union of range iterators: such a union "has offsets" (none).
	numericUnion bool

	// A term's IDFs, computed once per query by the scorer: the result
	// belongs to its iterator for the whole query.
	idfSet bool
	idfBM  float64
	idfTF  float64
}

type iterator interface {
	// next moves to the following document; false at the end.
	next() bool
	// skipTo moves to the first document with an id >= id; false at the end.
	skipTo(id uint32) bool
	// cur is the current document's result.
	cur() *result
	// estimate is an upper bound of the number of documents.
	estimate() int
}

// ---- terms

type termIter struct {
	idx  *Index
	r    postingReader
	mask uint64
	res  result
}

func newTermIter(idx *Index, te *termEntry, mask uint64, weight float64) *termIter {
	it := &termIter{idx: idx, mask: mask}
	it.r.p = &te.list
	it.res = result{kind: resTerm, term: te, weight: weight}
	return it
}

func (it *termIter) accept() bool {
	p := &it.r.cur
	if !it.idx.live(p.id) || p.fieldMask&it.mask == 0 {
		return false
	}
	it.res.id, it.res.freq, it.res.fieldMask, it.res.positions = p.id, p.freq, p.fieldMask, p.positions
	return true
}

func (it *termIter) next() bool {
	for it.r.next() {
		if it.accept() {
			return true
		}
	}
	return false
}

func (it *termIter) skipTo(id uint32) bool {
	if !it.r.skipTo(id) {
		return false
	}
	if it.accept() {
		return true
	}
	return it.next()
}

func (it *termIter) cur() *result  { return &it.res }
func (it *termIter) estimate() int { return it.res.term.docs }

// ---- id lists (tags, numeric and geo ranges, INKEYS)

type idIter struct {
	idx *Index
	ids []uint32
	i   int
	res result
}

// newIDIter iterates over ids (numeric and geo matches, INKEYS).
func newIDIter(idx *Index, ids []uint32, weight float64) *idIter {
	return &idIter{idx: idx, ids: ids, i: -1, res: result{kind: resVirtual, freq: 1, weight: weight}}
}

// newTagIter iterates over a tag value's documents: the module scores them
// as a term (frequency 1) whose document count is the value's.
func newTagIter(idx *Index, l *idList, weight float64) *idIter {
	it := newIDIter(idx, l.ids, weight)
	it.res.kind = resTerm
	it.res.freq = 1
	it.res.term = &termEntry{docs: l.live}
	return it
}

func (it *idIter) next() bool {
	for it.i++; it.i < len(it.ids); it.i++ {
		if id := it.ids[it.i]; it.idx.live(id) {
			it.res.id = id
			return true
		}
	}
	return false
}

func (it *idIter) skipTo(id uint32) bool {
	if it.i >= 0 && it.i < len(it.ids) && it.ids[it.i] >= id && it.idx.live(it.ids[it.i]) {
		return true
	}
	start := it.i + 1
	if start < 0 {
		start = 0
	}
	j := start + sort.Search(len(it.ids)-start, func(k int) bool { return it.ids[start+k] >= id })
	it.i = j - 1
	return it.next()
}

func (it *idIter) cur() *result  { return &it.res }
func (it *idIter) estimate() int { return len(it.ids) }

// ---- every document

type wildcardIter struct {
	idx *Index
	id  uint32
	res result
}

func newWildcardIter(idx *Index, weight float64) *wildcardIter {
	return &wildcardIter{idx: idx, res: result{kind: resVirtual, freq: 1, weight: weight, wildcard: true}}
}

func (it *wildcardIter) next() bool {
	d := it.idx.docs.next(it.id)
	if d == nil {
		it.id = ^uint32(0)
		return false
	}
	it.id = d.id
	it.res.id = d.id
	return true
}

func (it *wildcardIter) skipTo(id uint32) bool {
	if it.id >= id && it.res.id == it.id && it.id != 0 {
		return true
	}
	if id > 0 {
		it.id = id - 1
	}
	return it.next()
}

func (it *wildcardIter) cur() *result  { return &it.res }
func (it *wildcardIter) estimate() int { return it.idx.numDocs }

// ---- nothing

type emptyIter struct{ res result }

func (emptyIter) next() bool         { return false }
func (emptyIter) skipTo(uint32) bool { return false }
func (it *emptyIter) cur() *result   { return &it.res }
func (emptyIter) estimate() int      { return 0 }

// ---- union

// unionIter yields the documents any child matches. Children's current ids
// sit in a min-heap ordered by (id, child index), so that a union of many
// prefix expansions costs O(log n) per step instead of O(n).
type unionIter struct {
	kids  []iterator
	heads []uint32 // current id of each child; 0 = exhausted or not started
	heap  []int    // children not at the current document, by (head, index)
	atMin []int    // children on the current document, by index
	// quick unions (prefix, suffix, fuzzy and tag expansions) report only
	// their first child on a document, as the module's quick-exit unions do.
	quick   bool
	started bool
	res     result
}

func newUnionIter(kids []iterator, weight float64) *unionIter {
	return &unionIter{kids: kids, heads: make([]uint32, len(kids)), res: result{kind: resUnion, weight: weight}}
}

func (it *unionIter) less(a, b int) bool {
	ha, hb := it.heads[it.heap[a]], it.heads[it.heap[b]]
	if ha != hb {
		return ha < hb
	}
	return it.heap[a] < it.heap[b]
}

func (it *unionIter) push(k int) {
	it.heap = append(it.heap, k)
	for i := len(it.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !it.less(i, p) {
			break
		}
		it.heap[i], it.heap[p] = it.heap[p], it.heap[i]
		i = p
	}
}

func (it *unionIter) pop() int {
	top := it.heap[0]
	last := len(it.heap) - 1
	it.heap[0] = it.heap[last]
	it.heap = it.heap[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < last && it.less(l, m) {
			m = l
		}
		if r := l + 1; r < last && it.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		it.heap[i], it.heap[m] = it.heap[m], it.heap[i]
		i = m
	}
	return top
}

// advance moves child k forward (to id when id > 0) and puts it back in
// the heap unless it is exhausted.
func (it *unionIter) advance(k int, id uint32) {
	var ok bool
	if id > 0 {
		ok = it.kids[k].skipTo(id)
	} else {
		ok = it.kids[k].next()
	}
	if !ok {
		it.heads[k] = 0
		return
	}
	it.heads[k] = it.kids[k].cur().id
	it.push(k)
}

// settle gathers the children on the smallest id.
func (it *unionIter) settle() bool {
	it.atMin = it.atMin[:0]
	if len(it.heap) == 0 {
		return false
	}
	min := it.heads[it.heap[0]]
	for len(it.heap) > 0 && it.heads[it.heap[0]] == min {
		it.atMin = append(it.atMin, it.pop())
	}
	it.res.id = min
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
	for _, k := range it.atMin { // popped in index order
		c := it.kids[k].cur()
		it.res.children = append(it.res.children, c)
		it.res.freq += c.freq
		it.res.fieldMask |= c.fieldMask
		if it.quick {
			break
		}
	}
	return true
}

func (it *unionIter) next() bool {
	if !it.started {
		it.started = true
		for k := range it.kids {
			it.advance(k, 0)
		}
		return it.settle()
	}
	for _, k := range it.atMin {
		it.advance(k, 0)
	}
	return it.settle()
}

func (it *unionIter) skipTo(id uint32) bool {
	if !it.started {
		it.started = true
		for k := range it.kids {
			it.advance(k, id)
		}
		return it.settle()
	}
	if len(it.atMin) > 0 && it.res.id >= id {
		return true
	}
	for _, k := range it.atMin {
		it.advance(k, id)
	}
	for len(it.heap) > 0 && it.heads[it.heap[0]] < id {
		it.advance(it.pop(), id)
	}
	return it.settle()
}

func (it *unionIter) cur() *result { return &it.res }
func (it *unionIter) estimate() int {
	n := 0
	for _, k := range it.kids {
		n += k.estimate()
	}
	return n
}

// ---- intersection

type intersectIter struct {
	kids    []iterator // in the query's order (scores and phrases use it)
	order   []int      // kids by ascending estimate, for leapfrogging
	slop    int        // -1: no proximity constraint
	inOrder bool
	res     result
	started bool
}

func newIntersectIter(kids []iterator, slop int, inOrder bool, weight float64) *intersectIter {
	it := &intersectIter{kids: kids, slop: slop, inOrder: inOrder, res: result{kind: resIntersect, weight: weight}}
	it.resetOrder()
	return it
}

// resetOrder sorts the children by ascending estimate for leapfrogging.
func (it *intersectIter) resetOrder() {
	it.order = it.order[:0]
	for i := range it.kids {
		it.order = append(it.order, i)
	}
	sort.SliceStable(it.order, func(a, b int) bool { return it.kids[it.order[a]].estimate() < it.kids[it.order[b]].estimate() })
}

// align moves every child to the same document, at least id.
func (it *intersectIter) align(id uint32) bool {
	for {
		agreed := true
		for _, i := range it.order {
			k := it.kids[i]
			if !k.skipTo(id) {
				return false
			}
			if got := k.cur().id; got != id {
				id = got
				agreed = false
				break
			}
		}
		if agreed {
			if it.proximityOK() {
				it.fill(id)
				return true
			}
			id++
		}
	}
}

func (it *intersectIter) fill(id uint32) {
	it.res.id = id
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
	for _, k := range it.kids {
		c := k.cur()
		it.res.children = append(it.res.children, c)
		it.res.freq += c.freq
		it.res.fieldMask |= c.fieldMask
	}
}

func (it *intersectIter) proximityOK() bool {
	if (it.slop < 0 && !it.inOrder) || len(it.kids) < 2 {
		return true
	}
	// As IndexResult_IsWithinRange: only children that "have offsets" take
	// part. A term has them when it recorded positions; a union or an
	// intersection has them as soon as one of its matching children is not
	// virtual, even if none recorded a position (a union of tag values):
	// its position list is then empty, read as the end marker.
	lists := make([][]uint32, 0, len(it.kids))
	for _, k := range it.kids {
		r := k.cur()
		if !resultHasOffsets(r) {
			continue
		}
		lists = append(lists, resultPositions(r))
	}
	if len(lists) == 0 {
		return true
	}
	slop := it.slop
	if slop < 0 {
		slop = math.MaxInt32
	}
	if it.inOrder {
		return withinOrdered(lists, slop)
	}
	return withinUnordered(lists, slop)
}

// resultHasOffsets is the module's RSIndexResult_HasOffsets.
func resultHasOffsets(r *result) bool {
	switch r.kind {
	case resTerm:
		return len(r.positions) > 0
	case resUnion, resIntersect:
		for _, c := range r.children {
			if c.kind != resVirtual || c.numericUnion {
				return true
			}
		}
	case resVirtual:
		return r.numericUnion
	}
	return false
}

func (it *intersectIter) next() bool {
	if len(it.kids) == 0 {
		return false
	}
	id := uint32(1)
	if it.started {
		id = it.res.id + 1
	}
	it.started = true
	return it.align(id)
}

func (it *intersectIter) skipTo(id uint32) bool {
	if it.started && it.res.id >= id {
		return true
	}
	it.started = true
	if id == 0 {
		id = 1
	}
	return it.align(id)
}

func (it *intersectIter) cur() *result { return &it.res }
func (it *intersectIter) estimate() int {
	if len(it.kids) == 0 {
		return 0
	}
	return it.kids[it.order[0]].estimate()
}

// resultPositions gathers a result's positions (merged for aggregates);
// nil when it has none.
func resultPositions(r *result) []uint32 {
	switch r.kind {
	case resTerm:
		return r.positions
	case resUnion, resIntersect:
		var out []uint32
		for _, c := range r.children {
			out = append(out, resultPositions(c)...)
		}
		if out == nil {
			return nil
		}
		sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
		return out
	}
	return nil
}

// offsetEOF is the module's end-of-offsets marker (RS_OFFSETVECTOR_EOF).
const offsetEOF = ^uint32(0)

// offsetCursor reads one position list, then offsetEOF forever.
type offsetCursor struct {
	list []uint32
	i    int
}

func (c *offsetCursor) next() uint32 {
	if c.i >= len(c.list) {
		return offsetEOF
	}
	c.i++
	return c.list[c.i-1]
}

// withinOrdered is the module's in-order check
// (__indexResult_withinRangeInOrder): advance the first list one position
// at a time, take from each next list its first position not before the
// previous one, and sum the gaps.
func withinOrdered(lists [][]uint32, slop int) bool {
	n := len(lists)
	its := make([]offsetCursor, n)
	positions := make([]uint32, n)
	for i := range lists {
		its[i].list = lists[i]
	}
	for {
		span := 0
		for i := 0; i < n; i++ {
			var pos, last uint32
			if i == 0 {
				pos = its[0].next()
			} else {
				pos, last = positions[i], positions[i-1]
			}
			for pos != offsetEOF && pos < last {
				pos = its[i].next()
			}
			if pos == offsetEOF {
				return false
			}
			positions[i] = pos
			if i > 0 {
				span += int(int32(pos)) - int(int32(last)) - 1
				if span > slop {
					break
				}
			}
		}
		if span <= slop {
			return true
		}
	}
}

// withinUnordered is the module's unordered check
// (__indexResult_withinRangeUnordered): move the smallest position forward
// until max - min - (n - 1) <= slop, skipping windows where the smallest and
// largest are equal. Positions are compared unsigned and subtracted as C
// ints, as the module does: an end marker read as -1 makes the span
// negative, which passes.
func withinUnordered(lists [][]uint32, slop int) bool {
	n := len(lists)
	its := make([]offsetCursor, n)
	positions := make([]uint32, n)
	for i := range lists {
		its[i].list = lists[i]
		positions[i] = its[i].next()
	}
	max := positions[0]
	for _, v := range positions[1:] {
		if v >= max {
			max = v
		}
	}
	for {
		minPos := 0
		for i := 1; i < n; i++ {
			if positions[i] < positions[minPos] {
				minPos = i
			}
		}
		min := positions[minPos]
		if min != max {
			span := int(int32(max)) - int(int32(min)) - (n - 1)
			if span <= slop {
				return true
			}
		}
		positions[minPos] = its[minPos].next()
		if positions[minPos] != offsetEOF && positions[minPos] > max {
			max = positions[minPos]
		} else if positions[minPos] == offsetEOF {
			return false
		}
	}
}

// ---- negation and optional

type notIter struct {
	all   *wildcardIter
	child iterator
	done  bool // child exhausted
	res   result
}

func newNotIter(idx *Index, child iterator, weight float64) *notIter {
	return &notIter{all: newWildcardIter(idx, 0), child: child, res: result{kind: resVirtual, weight: weight}}
}

func (it *notIter) excluded(id uint32) bool {
	if it.done {
		return false
	}
	if !it.child.skipTo(id) {
		it.done = true
		return false
	}
	return it.child.cur().id == id
}

func (it *notIter) settle(ok bool) bool {
	for ok {
		id := it.all.cur().id
		if !it.excluded(id) {
			it.res.id = id
			return true
		}
		ok = it.all.next()
	}
	return false
}

func (it *notIter) next() bool            { return it.settle(it.all.next()) }
func (it *notIter) skipTo(id uint32) bool { return it.settle(it.all.skipTo(id)) }
func (it *notIter) cur() *result          { return &it.res }
func (it *notIter) estimate() int         { return it.all.estimate() }

type optionalIter struct {
	all   *wildcardIter
	child iterator
	done  bool
	res   result
	miss  result
}

func newOptionalIter(idx *Index, child iterator, weight float64) *optionalIter {
	return &optionalIter{all: newWildcardIter(idx, 0), child: child,
		res: result{kind: resUnion, weight: weight}, miss: result{kind: resVirtual}}
}

func (it *optionalIter) settle(ok bool) bool {
	if !ok {
		return false
	}
	id := it.all.cur().id
	it.res.id = id
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.kind = resVirtual // the module's optional answers a virtual result on a miss
	if !it.done {
		if !it.child.skipTo(id) {
			it.done = true
		} else if c := it.child.cur(); c.id == id {
			it.res.kind = resUnion
			it.res.children = append(it.res.children, c)
			it.res.freq = c.freq
		}
	}
	return true
}

func (it *optionalIter) next() bool            { return it.settle(it.all.next()) }
func (it *optionalIter) skipTo(id uint32) bool { return it.settle(it.all.skipTo(id)) }
func (it *optionalIter) cur() *result          { return &it.res }
func (it *optionalIter) estimate() int         { return it.all.estimate() }
