package index

import (
	"math"
	"slices"
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
	// positions of a term's match: read them with pos(), which decodes
	// posRaw (the posting's encoded positions) on first use.
	positions []uint32
	posRaw    []byte
	weight    float64
	children  []*result
	wildcard  bool // a `*` match (BM25STD scores it as a term of IDF 1)
	// numeric marks numeric and geo matches. The module reads them from its
	// range tree: one leaf gives a numeric result (no offsets of its own,
	// but an aggregate holding one "has offsets": only purely virtual
	// aggregates do not); several leaves give a union of numeric results,
	// numericUnion, which "has offsets" (none) itself.
	numeric      bool
	numericUnion bool
	// metrics are the values a vector clause yields for the document (its
	// distance), gathered over the tree for the reply.
	metrics []Metric

	// A term's IDFs, computed once per query by the scorer: the result
	// belongs to its iterator for the whole query.
	idfSet bool
	idfBM  float64
	idfTF  float64
	// stat, when set, is the document's stat, gathered by the iterator
	// (idIter.gather); the scorer reads the table otherwise.
	stat *docStat
}

// pos is a term result's positions (see positions), decoded on first use.
func (r *result) pos() []uint32 {
	if r.posRaw != nil {
		r.positions = decodePositions(r.positions[:0], r.posRaw)
		r.posRaw = nil
	}
	return r.positions
}

// readStatus is what a skip answers, as the module's iterators do.
type readStatus uint8

const (
	rsOK       readStatus = iota // on the document asked for
	rsNotFound                   // on a later document, which cur() describes
	rsEOF                        // exhausted
)

// iterator walks matching documents in id order. Its semantics copy the
// module's (index_iterator.h): scores depend on them, since what a union or
// an intersection reports on a document depends on how it got there.
type iterator interface {
	// read moves to the next document; false at the end.
	read() bool
	// skipTo moves to id, or past it when id does not match.
	skipTo(id uint32) readStatus
	// cur is the current document's result.
	cur() *result
	// estimate is the module's NumEstimated, which orders intersections.
	estimate() int
}

// ---- terms

type termIter struct {
	idx  *Index
	r    postingReader
	mask uint64
	res  result
	eof  bool
}

func newTermIter(idx *Index, te *termEntry, mask uint64, weight float64) *termIter {
	it := &termIter{idx: idx, mask: mask}
	it.r.p = &te.list
	it.r.lazy = true
	it.res = result{kind: resTerm, term: te, weight: weight}
	return it
}

func (it *termIter) accept() bool {
	p := &it.r.cur
	if !it.idx.live(p.id) || p.fieldMask&it.mask == 0 {
		return false
	}
	it.res.id, it.res.freq, it.res.fieldMask = p.id, p.freq, p.fieldMask
	it.res.positions, it.res.posRaw = it.res.positions[:0], p.posRaw
	return true
}

func (it *termIter) read() bool {
	for !it.eof && it.r.next() {
		if it.accept() {
			return true
		}
	}
	it.eof = true
	return false
}

func (it *termIter) skipTo(id uint32) readStatus {
	if it.eof {
		return rsEOF
	}
	if it.res.id >= id && it.res.id != 0 {
		// The module's reader never seeks back: asked for an id it is
		// already past (or on), it reads the next record.
		if !it.read() {
			return rsEOF
		}
		return rsNotFound
	}
	if it.res.id < id {
		if !it.r.skipTo(id) {
			it.eof = true
			return rsEOF
		}
		if !it.accept() && !it.read() {
			return rsEOF
		}
	}
	if it.res.id == id {
		return rsOK
	}
	return rsNotFound
}

func (it *termIter) cur() *result  { return &it.res }
func (it *termIter) estimate() int { return it.res.term.docs }

// ---- id lists (tags, numeric and geo ranges, INKEYS)

type idIter struct {
	idx *Index
	ids []uint32
	i   int
	res result
	eof bool
	// est, when set, is the module's estimate: a numeric reader answers
	// the size of its whole range (every entry of the tree's leaves it
	// reads), not the number of matches.
	est int
	// stats, when set (a tag list read whole by a scoring Search, see
	// gatherStats), makes read gather the docStats of the next statWin
	// ids at once into win (win[0] is ids[winAt]'s) and point res.stat at
	// the match's: the loads of a tight loop overlap, where the scorer's
	// one load per match waited for a cache miss each time (most of a tag
	// query's time). A live id's stat never changes (ids are not reused),
	// and a dead one is never read.
	stats *docTable
	win   *[statWin]docStat
	winAt int
}

const statWin = 32

// gatherStats turns the gathering of stats on for Search's root iterator
// when it is a tag list and the scorer reads the matches' stats.
func gatherStats(it iterator, sc *scorer, scoring bool) {
	ti, ok := it.(*idIter)
	if !ok || !scoring || ti.res.kind != resTerm || sc.kind == scoreDisMax || sc.kind == scoreHamming {
		return
	}
	ti.stats, ti.win, ti.winAt = sc.docs, &sc.win, -statWin
}

// gather points res.stat at the current id's stat, filling the window
// when the id is past it.
func (it *idIter) gather() {
	k := it.i - it.winAt
	if k < 0 || k >= statWin {
		it.winAt, k = it.i, 0
		ids := it.ids[it.i:min(it.i+statWin, len(it.ids))]
		for j, id := range ids {
			it.win[j] = it.stats.stat(id)
		}
	}
	it.res.stat = &it.win[k]
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

func (it *idIter) read() bool {
	for it.i++; !it.eof && it.i < len(it.ids); it.i++ {
		if id := it.ids[it.i]; it.idx.live(id) {
			it.res.id = id
			if it.stats != nil {
				it.gather()
			}
			return true
		}
	}
	it.eof = true
	return false
}

func (it *idIter) skipTo(id uint32) readStatus {
	if it.eof {
		return rsEOF
	}
	if it.res.id >= id && it.res.id != 0 {
		// An index reader never seeks back: it reads the next record.
		if !it.read() {
			return rsEOF
		}
		return rsNotFound
	}
	if it.res.id < id {
		start := it.i + 1
		j := start + sort.Search(len(it.ids)-start, func(k int) bool { return it.ids[start+k] >= id })
		it.i = j - 1
		if !it.read() {
			return rsEOF
		}
	}
	if it.res.id == id {
		return rsOK
	}
	return rsNotFound
}

func (it *idIter) cur() *result { return &it.res }
func (it *idIter) estimate() int {
	if it.est > 0 {
		return it.est
	}
	return len(it.ids)
}

// ---- every document

type wildcardIter struct {
	idx *Index
	res result
	eof bool
}

func newWildcardIter(idx *Index, weight float64) *wildcardIter {
	return &wildcardIter{idx: idx, res: result{kind: resVirtual, freq: 1, weight: weight, wildcard: true}}
}

func (it *wildcardIter) read() bool {
	if it.eof {
		return false
	}
	id, ok := it.idx.docs.next(it.res.id)
	if !ok {
		it.eof = true
		return false
	}
	it.res.id = id
	return true
}

func (it *wildcardIter) skipTo(id uint32) readStatus {
	if it.eof {
		return rsEOF
	}
	if it.res.id < id {
		it.res.id = id - 1
		if !it.read() {
			return rsEOF
		}
	}
	if it.res.id == id {
		return rsOK
	}
	return rsNotFound
}

func (it *wildcardIter) cur() *result  { return &it.res }
func (it *wildcardIter) estimate() int { return int(it.idx.maxDocID) }

// ---- nothing

type emptyIter struct{ res result }

func (emptyIter) read() bool               { return false }
func (emptyIter) skipTo(uint32) readStatus { return rsEOF }
func (it *emptyIter) cur() *result         { return &it.res }
func (emptyIter) estimate() int            { return 0 }

// ---- union

// unionIter yields the documents any child matches, as the module's union
// iterator (UI_ReadSorted, UI_SkipTo): on a document it reached exactly it
// reports every child there (a quick union, the first only); when a skip
// lands past the requested id it reports only the first child on the
// smallest id — a partial record intersections then keep. Children's
// current ids sit in a min-heap ordered by (id, child index), so unions of
// many expansions cost O(log n) per step.
type unionIter struct {
	kids  []iterator
	heads []uint32 // current id of each child; 0 = exhausted or not started
	heap  []int    // live children, by (head, index)
	// quick unions (prefix, suffix, fuzzy and tag expansions) report only
	// their first child on a document, as the module's quick-exit unions do.
	quick bool
	// high is the module's heap mode (more children than
	// UNION_ITERATOR_HEAP): a skip landing past its target reports every
	// child on the landing id, not just the first.
	high    bool
	started bool
	eof     bool
	res     result
	scratch []int
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

func (it *unionIter) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !it.less(i, p) {
			break
		}
		it.heap[i], it.heap[p] = it.heap[p], it.heap[i]
		i = p
	}
}

func (it *unionIter) down(i int) {
	n := len(it.heap)
	for {
		l, m := 2*i+1, i
		if l < n && it.less(l, m) {
			m = l
		}
		if r := l + 1; r < n && it.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		it.heap[i], it.heap[m] = it.heap[m], it.heap[i]
		i = m
	}
}

func (it *unionIter) popTop() {
	last := len(it.heap) - 1
	it.heap[0] = it.heap[last]
	it.heap = it.heap[:last]
	if last > 0 {
		it.down(0)
	}
}

// start reads every child once.
func (it *unionIter) start() {
	it.started = true
	for k, kid := range it.kids {
		if kid.read() {
			it.heads[k] = kid.cur().id
			it.heap = append(it.heap, k)
			it.up(len(it.heap) - 1)
		}
	}
}

// advanceTop moves the heap's top child forward (to id when id > 0).
func (it *unionIter) advanceTop(id uint32) {
	k := it.heap[0]
	var ok bool
	if id > 0 {
		ok = it.kids[k].skipTo(id) != rsEOF
	} else {
		ok = it.kids[k].read()
	}
	if !ok {
		it.heads[k] = 0
		it.popTop()
		return
	}
	it.heads[k] = it.kids[k].cur().id
	it.down(0)
}

// collect gathers the children on id into the result: all of them, or
// the first only for a quick union or a partial record.
func (it *unionIter) collect(id uint32, firstOnly bool) {
	it.res.id = id
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
	// The children on id are the heap's top entries; walk them in index order.
	it.scratch = it.scratch[:0]
	it.childrenOn(0, id)
	at := it.scratch
	if len(at) > 1 {
		slices.Sort(at)
	}
	for _, k := range at {
		c := it.kids[k].cur()
		it.res.children = append(it.res.children, c)
		it.res.freq += c.freq
		it.res.fieldMask |= c.fieldMask
		if firstOnly {
			break
		}
	}
}

// childrenOn appends to scratch the children on id in the heap's subtree
// at i (a method, not a closure: collect runs once per result).
func (it *unionIter) childrenOn(i int, id uint32) {
	if i >= len(it.heap) || it.heads[it.heap[i]] != id {
		return
	}
	it.scratch = append(it.scratch, it.heap[i])
	it.childrenOn(2*i+1, id)
	it.childrenOn(2*i+2, id)
}

func (it *unionIter) read() bool {
	if it.eof {
		return false
	}
	if len(it.kids) <= smallUnion {
		return it.readSmall()
	}
	if !it.started {
		it.start()
	} else {
		cur := it.res.id
		for len(it.heap) > 0 && it.heads[it.heap[0]] <= cur {
			it.advanceTop(0)
		}
	}
	if len(it.heap) == 0 {
		it.eof = true
		return false
	}
	it.collect(it.heads[it.heap[0]], it.quick)
	return true
}

func (it *unionIter) skipTo(id uint32) readStatus {
	if it.eof {
		return rsEOF
	}
	if len(it.kids) <= smallUnion {
		return it.skipToSmall(id)
	}
	if !it.started {
		it.started = true
		for k, kid := range it.kids {
			if kid.skipTo(id) != rsEOF {
				it.heads[k] = kid.cur().id
				it.heap = append(it.heap, k)
				it.up(len(it.heap) - 1)
			}
		}
	} else {
		for len(it.heap) > 0 && it.heads[it.heap[0]] < id {
			it.advanceTop(id)
		}
	}
	if len(it.heap) == 0 {
		it.eof = true
		return rsEOF
	}
	min := it.heads[it.heap[0]]
	if min == id {
		it.collect(id, it.quick)
		return rsOK
	}
	it.collect(min, it.quick || !it.high)
	return rsNotFound
}

// smallUnion is the most children a union scans linearly instead of
// keeping them in a heap: for a few children a scan of their current ids
// costs less than heap upkeep on every step. Both ways read and skip the
// children alike, so what the union reports is the same.
const smallUnion = 8

// readSmall is read for a small union: every child at or before the
// current id moves on, then the union is on the smallest id.
func (it *unionIter) readSmall() bool {
	cur := it.res.id
	for k, kid := range it.kids {
		if it.started && (it.heads[k] == 0 || it.heads[k] > cur) {
			continue
		}
		if kid.read() {
			it.heads[k] = kid.cur().id
		} else {
			it.heads[k] = 0
		}
	}
	it.started = true
	return it.settleSmall(0) == rsOK
}

// skipToSmall is skipTo for a small union.
func (it *unionIter) skipToSmall(id uint32) readStatus {
	for k, kid := range it.kids {
		if it.started && (it.heads[k] == 0 || it.heads[k] >= id) {
			continue
		}
		if kid.skipTo(id) != rsEOF {
			it.heads[k] = kid.cur().id
		} else {
			it.heads[k] = 0
		}
	}
	it.started = true
	return it.settleSmall(id)
}

// settleSmall puts a small union on its children's smallest id: rsOK on
// target (0 for a read), rsNotFound past it, rsEOF when all are done.
func (it *unionIter) settleSmall(target uint32) readStatus {
	min := uint32(0)
	for _, h := range it.heads {
		if h != 0 && (min == 0 || h < min) {
			min = h
		}
	}
	if min == 0 {
		it.eof = true
		return rsEOF
	}
	firstOnly := it.quick
	if target != 0 && min != target {
		firstOnly = it.quick || !it.high
	}
	it.res.id = min
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
	for k, h := range it.heads {
		if h != min {
			continue
		}
		c := it.kids[k].cur()
		it.res.children = append(it.res.children, c)
		it.res.freq += c.freq
		it.res.fieldMask |= c.fieldMask
		if firstOnly {
			break
		}
	}
	if target != 0 && min != target {
		return rsNotFound
	}
	return rsOK
}

func (it *unionIter) cur() *result  { return &it.res }
func (it *unionIter) estimate() int { return sumEstimates(it.kids) }

// sumEstimates is a union's estimate: the sum of its children's.
func sumEstimates(kids []iterator) int {
	n := 0
	for _, k := range kids {
		n += k.estimate()
	}
	return n
}

// ---- union of many children (the module's heap mode)

// heapUnionIter is the module's union in heap mode (more children than
// UNION_ITERATOR_HEAP): UI_ReadSortedHigh and UI_SkipToHigh over the
// module's binary heap (util/heap.c, a max-heap on "smaller id is bigger"
// whose sift-up swaps on ties and whose sift-down prefers the left child).
// Which child a quick union reports on a document depends on that heap's
// order, so it is reproduced step by step.
type heapUnionIter struct {
	kids  []iterator
	minID []uint32 // each child's last read id (the module's minId)
	heap  []int
	quick bool
	res   result
	last  uint32 // the union's minDocId
	eof   bool
}

func newHeapUnionIter(kids []iterator, weight float64, quick bool) *heapUnionIter {
	it := &heapUnionIter{kids: kids, minID: make([]uint32, len(kids)), quick: quick,
		res: result{kind: resUnion, weight: weight}}
	for k := range kids {
		it.offer(k)
	}
	return it
}

// cmp is cmpMinId: 1 when a's id is smaller (a is "bigger"), -1 when larger.
func (it *heapUnionIter) cmp(a, b int) int {
	switch x, y := it.minID[a], it.minID[b]; {
	case x < y:
		return 1
	case x > y:
		return -1
	}
	return 0
}

func (it *heapUnionIter) offer(k int) {
	it.heap = append(it.heap, k)
	i := len(it.heap) - 1
	for i != 0 {
		p := (i - 1) / 2
		if it.cmp(it.heap[i], it.heap[p]) < 0 {
			return
		}
		it.heap[i], it.heap[p] = it.heap[p], it.heap[i]
		i = p
	}
}

func (it *heapUnionIter) pushDown(i int) {
	n := len(it.heap)
	for {
		l, r := 2*i+1, 2*i+2
		var c int
		switch {
		case r >= n:
			if l >= n {
				return
			}
			c = l
		case it.cmp(it.heap[l], it.heap[r]) < 0:
			c = r
		default:
			c = l
		}
		if it.cmp(it.heap[i], it.heap[c]) < 0 {
			it.heap[i], it.heap[c] = it.heap[c], it.heap[i]
			i = c
		} else {
			return
		}
	}
}

func (it *heapUnionIter) poll() {
	n := len(it.heap) - 1
	it.heap[0] = it.heap[n]
	it.heap = it.heap[:n]
	if n > 0 {
		it.pushDown(0)
	}
}

// replaceTop re-seats the root after its child moved (heap_replace).
func (it *heapUnionIter) replaceTop() { it.pushDown(0) }

// collectRoot adds every child whose id equals the root's, in the heap's
// pre-order (heap_cb_root).
func (it *heapUnionIter) collectRoot() {
	root := it.minID[it.heap[0]]
	var walk func(i int)
	walk = func(i int) {
		if i >= len(it.heap) || it.minID[it.heap[i]] != root {
			return
		}
		it.add(it.kids[it.heap[i]].cur())
		walk(2*i + 1)
		walk(2*i + 2)
	}
	walk(0)
}

func (it *heapUnionIter) reset(id uint32) {
	it.res.id = id
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
}

func (it *heapUnionIter) add(c *result) {
	it.res.children = append(it.res.children, c)
	it.res.freq += c.freq
	it.res.fieldMask |= c.fieldMask
}

func (it *heapUnionIter) read() bool {
	if it.eof {
		return false
	}
	next := it.last + 1
	k := -1
	for len(it.heap) > 0 {
		k = it.heap[0]
		if it.minID[k] >= next && it.minID[k] != 0 {
			break
		}
		rc := it.kids[k].skipTo(next)
		if rc == rsEOF {
			it.poll()
			continue
		}
		it.minID[k] = it.kids[k].cur().id
		it.replaceTop()
		if it.quick && it.minID[k] == next {
			break
		}
	}
	if len(it.heap) == 0 {
		it.eof = true
		return false
	}
	it.last = it.minID[k]
	it.reset(it.last)
	if it.quick {
		it.add(it.kids[k].cur())
	} else {
		it.collectRoot()
	}
	return true
}

func (it *heapUnionIter) skipTo(id uint32) readStatus {
	if it.eof {
		return rsEOF
	}
	k := -1
	for len(it.heap) > 0 {
		k = it.heap[0]
		if it.minID[k] >= id {
			break
		}
		if it.kids[k].skipTo(id) == rsEOF {
			it.poll()
			k = -1
			continue
		}
		it.minID[k] = it.kids[k].cur().id
		it.replaceTop()
		if it.quick && it.minID[k] == id {
			break
		}
	}
	if len(it.heap) == 0 {
		it.eof = true
		return rsEOF
	}
	if k < 0 {
		k = it.heap[0]
	}
	at := it.minID[k]
	it.last = at
	it.reset(at)
	if it.quick {
		it.add(it.kids[k].cur())
	} else {
		it.collectRoot()
	}
	if at == id {
		return rsOK
	}
	return rsNotFound
}

func (it *heapUnionIter) cur() *result  { return &it.res }
func (it *heapUnionIter) estimate() int { return sumEstimates(it.kids) }

// ---- intersection

// intersectIter yields the documents every child matches, as the module's
// intersection iterator (II_ReadSorted, II_SkipTo): children sorted by
// estimate unless in order, the first one read and the others skipped to
// the candidate, a child's record reused while it sits on the candidate.
type intersectIter struct {
	kids    []iterator // in evaluation order
	docIDs  []uint32
	last    uint32 // the module's lastDocId
	slop    int    // -1: no proximity constraint
	inOrder bool
	res     result
	eof     bool
	prox    proxScratch // proximityOK's buffers, reused across documents
}

func newIntersectIter(kids []iterator, slop int, inOrder bool, weight float64) *intersectIter {
	if inOrder && slop < 0 {
		slop = math.MaxInt32
	}
	it := &intersectIter{kids: kids, slop: slop, inOrder: inOrder, res: result{kind: resIntersect, weight: weight}}
	it.resetOrder()
	return it
}

// resetOrder sorts the children by ascending estimate (the module sorts
// unless the intersection is in order), as the module's cmpIter weighs
// them: an intersection child's estimate is multiplied by
// 1 / MAX(1, its number of children), an integer division, so a nested
// intersection of two or more children sorts first. The children's order is
// the order of the result's children, which the slop factor of TFIDF and
// BM25 walks pairwise.
func (it *intersectIter) resetOrder() {
	if !it.inOrder {
		sort.SliceStable(it.kids, func(a, b int) bool { return sortEstimate(it.kids[a]) < sortEstimate(it.kids[b]) })
	}
	it.docIDs = make([]uint32, len(it.kids))
}

// sortEstimate is the key cmpIter sorts an intersection's children by.
// (With search-_prioritize-intersect-union-children on, the module also
// multiplies a union's estimate by its number of children; not modelled.)
func sortEstimate(k iterator) int {
	if ii, ok := k.(*intersectIter); ok && len(ii.kids) > 1 {
		return 0 // estimate * (1 / MAX(1, num)) in C integers
	}
	return k.estimate()
}

func (it *intersectIter) read() bool {
	if it.eof || len(it.kids) == 0 {
		it.eof = true
		return false
	}
	for {
		nh := 0
		it.res.children = it.res.children[:0]
		it.res.freq = 0
		it.res.fieldMask = 0
		for i, k := range it.kids {
			rc := rsOK
			if it.docIDs[i] != it.last || it.last == 0 {
				if i == 0 && it.docIDs[i] >= it.last {
					if !k.read() {
						rc = rsEOF
					}
				} else {
					rc = k.skipTo(it.last)
				}
				if rc == rsEOF {
					it.eof = true
					return false
				}
				it.docIDs[i] = k.cur().id
			}
			if it.docIDs[i] > it.last {
				it.last = it.docIDs[i]
				break
			}
			if rc == rsOK {
				nh++
				c := k.cur()
				it.res.children = append(it.res.children, c)
				it.res.freq += c.freq
				it.res.fieldMask |= c.fieldMask
			} else {
				it.last++
			}
		}
		if nh == len(it.kids) {
			it.res.id = it.last
			it.last++
			if it.slop >= 0 && !it.proximityOK() {
				continue
			}
			return true
		}
	}
}

func (it *intersectIter) skipTo(id uint32) readStatus {
	if it.eof || len(it.kids) == 0 {
		it.eof = true
		return rsEOF
	}
	if id == 0 {
		if it.read() {
			return rsOK
		}
		return rsEOF
	}
	it.res.children = it.res.children[:0]
	it.res.freq = 0
	it.res.fieldMask = 0
	found := 0
	for i, k := range it.kids {
		rc := rsOK
		if it.docIDs[i] != id {
			rc = k.skipTo(id)
			if rc != rsEOF {
				it.docIDs[i] = k.cur().id
			}
		}
		if rc == rsEOF {
			it.eof = true
			return rsEOF
		}
		if rc == rsOK {
			c := k.cur()
			it.res.children = append(it.res.children, c)
			it.res.freq += c.freq
			it.res.fieldMask |= c.fieldMask
			it.last = id
			found++
		} else if it.docIDs[i] > it.last {
			it.last = it.docIDs[i]
			break
		}
	}
	if found == len(it.kids) {
		it.res.id = id
		if it.slop < 0 || it.proximityOK() {
			return rsOK
		}
	}
	if !it.read() {
		return rsEOF
	}
	return rsNotFound
}

func (it *intersectIter) cur() *result { return &it.res }
func (it *intersectIter) estimate() int {
	n := math.MaxInt32
	for _, k := range it.kids {
		n = min(n, k.estimate())
	}
	if len(it.kids) == 0 {
		return 0
	}
	return n
}

func (it *intersectIter) proximityOK() bool {
	if (it.slop < 0 && !it.inOrder) || len(it.kids) < 2 {
		return true
	}
	slop := it.slop
	if slop < 0 {
		slop = math.MaxInt32
	}
	// As IndexResult_IsWithinRange: only children that "have offsets" take
	// part. A term has them when it recorded positions; a union or an
	// intersection has them as soon as one of its matching children is not
	// virtual, even if none recorded a position (a union of tag values):
	// its position list is then empty, read as the end marker. A term's
	// positions are read from their encoding, as far as the check needs.
	if len(it.kids) == 2 && it.inOrder {
		// An exact phrase of two terms (the usual case).
		a, b := it.kids[0].cur(), it.kids[1].cur()
		if a.kind == resTerm && b.kind == resTerm && a.posRaw != nil && b.posRaw != nil {
			return withinOrdered2(a.posRaw, b.posRaw, slop)
		}
	}
	var its []offsetCursor
	var positions []uint32
	if len(it.kids) <= 4 {
		var buf [4]offsetCursor
		var pbuf [4]uint32
		its = it.cursors(buf[:0])
		positions = pbuf[:len(its)]
	} else {
		it.prox.its = it.cursors(it.prox.its[:0])
		its = it.prox.its
		positions = it.prox.positionsFor(len(its))
	}
	if len(its) == 0 {
		return true
	}
	if it.inOrder {
		return withinOrdered(its, slop, positions)
	}
	return withinUnordered(its, slop, positions)
}

// cursors appends to dst a cursor over the positions of each child that
// has offsets.
func (it *intersectIter) cursors(dst []offsetCursor) []offsetCursor {
	for _, k := range it.kids {
		r := k.cur()
		if !resultHasOffsets(r) {
			continue
		}
		if r.kind == resTerm && r.posRaw != nil {
			dst = append(dst, offsetCursor{raw: r.posRaw, encoded: true})
		} else {
			dst = append(dst, offsetCursor{list: resultPositions(r)})
		}
	}
	return dst
}

// proxScratch holds the buffers of a proximity check of more children
// than fit on the stack.
type proxScratch struct {
	its       []offsetCursor
	positions []uint32
}

// positionsFor is n positions, zeroed.
func (p *proxScratch) positionsFor(n int) []uint32 {
	if cap(p.positions) < n {
		p.positions = make([]uint32, n)
	}
	positions := p.positions[:n]
	clear(positions)
	return positions
}

// resultHasOffsets is the module's RSIndexResult_HasOffsets.
func resultHasOffsets(r *result) bool {
	switch r.kind {
	case resTerm:
		return len(r.positions) > 0 || len(r.posRaw) > 0
	case resUnion, resIntersect:
		for _, c := range r.children {
			if c.kind != resVirtual || c.numeric {
				return true
			}
		}
	case resVirtual:
		return r.numericUnion
	}
	return false
}

// resultPositions gathers a result's positions (merged for aggregates);
// nil when it has none.
func resultPositions(r *result) []uint32 {
	switch r.kind {
	case resTerm:
		return r.pos()
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

// offsetCursor reads one position list, decoded (list) or encoded as a
// posting stores it (raw, when encoded), then offsetEOF forever.
type offsetCursor struct {
	list    []uint32
	i       int
	raw     []byte
	prev    uint32
	encoded bool
}

func (c *offsetCursor) next() uint32 {
	if c.encoded {
		if c.i >= len(c.raw) {
			return offsetEOF
		}
		v := uint64(c.raw[c.i])
		if c.i++; v >= 0x80 {
			v, c.i = readUvarintSlow(c.raw, c.i-1)
		}
		c.prev += uint32(v)
		return c.prev
	}
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
func withinOrdered(its []offsetCursor, slop int, positions []uint32) bool {
	n := len(its)
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

// withinOrdered2 is withinOrdered for two encoded lists (as postings
// store them), step for step: the second list's position starts at 0 and
// moves to the first one not before the first list's, for each position of
// the first list in turn. The lists are decoded in place, as far as the
// check goes.
func withinOrdered2(raw0, raw1 []byte, slop int) bool {
	var i0, i1 int
	var p0, p1, sum1 uint32
	for {
		if i0 >= len(raw0) {
			return false
		}
		v := uint64(raw0[i0])
		if i0++; v >= 0x80 {
			v, i0 = readUvarintSlow(raw0, i0-1)
		}
		p0 += uint32(v)
		if p0 == offsetEOF {
			return false
		}
		for p1 != offsetEOF && p1 < p0 {
			if i1 >= len(raw1) {
				p1 = offsetEOF
				break
			}
			v := uint64(raw1[i1])
			if i1++; v >= 0x80 {
				v, i1 = readUvarintSlow(raw1, i1-1)
			}
			sum1 += uint32(v)
			p1 = sum1
		}
		if p1 == offsetEOF {
			return false
		}
		if int(int32(p1))-int(int32(p0))-1 <= slop {
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
func withinUnordered(its []offsetCursor, slop int, positions []uint32) bool {
	n := len(its)
	for i := range its {
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

// notIter matches the documents its child does not (NI_ReadSorted,
// NI_SkipTo).
type notIter struct {
	idx   *Index
	child iterator
	cdone bool
	res   result
	eof   bool
}

func newNotIter(idx *Index, child iterator, weight float64) *notIter {
	return &notIter{idx: idx, child: child, res: result{kind: resVirtual, weight: weight}}
}

// excluded reports whether the child matches id, moving it forward.
func (it *notIter) excluded(id uint32) bool {
	if it.cdone {
		return false
	}
	c := it.child.cur().id
	if c > id {
		return false
	}
	if c == id {
		return true
	}
	switch it.child.skipTo(id) {
	case rsOK:
		return true
	case rsEOF:
		it.cdone = true
	}
	return false
}

func (it *notIter) read() bool {
	for !it.eof {
		id, ok := it.idx.docs.next(it.res.id)
		if !ok {
			it.eof = true
			return false
		}
		it.res.id = id
		if !it.excluded(id) {
			return true
		}
	}
	return false
}

func (it *notIter) skipTo(id uint32) readStatus {
	if it.eof || id > it.idx.maxDocID {
		return rsEOF
	}
	it.res.id = id
	if it.excluded(id) {
		return rsNotFound
	}
	return rsOK
}

func (it *notIter) cur() *result  { return &it.res }
func (it *notIter) estimate() int { return int(it.idx.maxDocID) }

// optionalIter matches every document, with its child's record where the
// child matches (OI_ReadSorted, OI_SkipTo).
type optionalIter struct {
	idx    *Index
	child  iterator
	cdone  bool
	weight float64
	res    result  // the virtual result of a miss
	hit    *result // the child's result on a hit, else nil
	eof    bool
}

func newOptionalIter(idx *Index, child iterator, weight float64) *optionalIter {
	return &optionalIter{idx: idx, child: child, weight: weight, res: result{kind: resVirtual, weight: weight}}
}

// settle places the iterator on id. On a hit the module's optional
// iterator answers its child's own result (OI_ReadSorted, OI_SkipTo): what
// the result "has" (offsets, type) is the child's. A read gives that result
// the optional's weight, as OI_ReadSorted sets it on the child's record; a
// skip leaves it as is.
func (it *optionalIter) settle(id uint32, read bool) {
	it.res.id = id
	it.hit = nil
	if it.cdone {
		return
	}
	if it.child.cur().id < id {
		if it.child.skipTo(id) == rsEOF {
			it.cdone = true
			return
		}
	}
	if c := it.child.cur(); c.id == id {
		if read {
			c.weight = it.weight
		}
		it.hit = c
	}
}

func (it *optionalIter) read() bool {
	if it.eof {
		return false
	}
	id, ok := it.idx.docs.next(it.res.id)
	if !ok {
		it.eof = true
		return false
	}
	it.settle(id, true)
	return true
}

func (it *optionalIter) skipTo(id uint32) readStatus {
	if it.eof || id > it.idx.maxDocID {
		return rsEOF
	}
	it.settle(id, false)
	return rsOK
}

func (it *optionalIter) cur() *result {
	if it.hit != nil {
		return it.hit
	}
	return &it.res
}
func (it *optionalIter) estimate() int { return int(it.idx.maxDocID) }
