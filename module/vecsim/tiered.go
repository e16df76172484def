package vecsim

import (
	"sync"
)

// backend is a graph index (HNSW or SVS-VAMANA) as graphIndex drives it.
// Methods marked (read) run under graphIndex's read lock, the others under
// its write lock.
type backend[T float] interface {
	// prepareInsert (read) does the search half of an insert; the plan it
	// returns is handed to commitInsert, which redoes it if it is stale.
	prepareInsert(vec []T) any
	commitInsert(label uint64, vec []T, plan any)
	contains(label uint64) bool // (read)
	// markDeleted makes a label's vector a tombstone: never returned, its
	// label free. repairDeleted then repairs the graph around it (a job);
	// consolidate removes the tombstones once needsConsolidation says so.
	markDeleted(label uint64) (deleteToken, bool)
	repairDeleted(t deleteToken)
	needsConsolidation() bool
	consolidate()

	topK(q []T, k int, opts SearchOpts, filter func(uint64) bool) []Result                 // (read)
	rangeSearch(q []T, radius float64, opts SearchOpts, filter func(uint64) bool) []Result // (read)
	distance(label uint64, q []T) (float64, bool)                                          // (read)
	newBatch(q []T, opts SearchOpts) graphBatch                                            // (read)
	preferAdHoc(p *Params, subsetSize, k int, initial bool) bool                           // (read)
	live() int                                                                             // (read)
	memoryBytes() int64                                                                    // (read)
}

// graphBatch is a backend's batch iterator; next runs under the read lock
// and skips the labels skip reports (those already returned).
type graphBatch interface {
	next(n int, skip func(uint64) bool) []Result
	done() bool
}

// DefaultBufferLimit is the module's TIERED_HNSW_BUFFER_LIMIT: a tiered
// index whose buffer holds this many vectors inserts the next ones into the
// graph directly.
const DefaultBufferLimit = 1024

// graphIndex is the Index of a graph algorithm. Without Options.Submit it
// inserts and deletes synchronously (the module with WORKERS 0). With
// Submit it is the module's tiered index: Add puts the vector in a flat
// buffer that every query also searches and submits a job that moves it
// into the graph; the repair after a delete and the consolidation are jobs
// too. A job that Submit refuses runs on the caller's goroutine.
//
// Jobs never lose a vector and never resurrect one: an insert job names its
// buffer entry, and Delete of the label, a new Add of the label (which
// replaces the entry and submits a new job) and Close each cancel it, under
// the index lock, so a job that runs after them does nothing. Until its job
// runs, a buffered vector is found by every query; if a job is never run
// (a pool that drops jobs), the vector stays found in the buffer, and
// Flush moves it.
//
// Locking: mu guards everything. Queries hold it for reading; an insert
// job searches the graph under the read lock, then links the node under
// the write lock. A label is always in exactly one of buffer and graph, so
// a query merges the two without duplicates.
type graphIndex[T float] struct {
	p       Params
	sp      gspace[T]
	submit  func(job func()) bool
	inPlace func() bool
	limit   int
	scratch sync.Pool // *[]T: Add's prepared vector

	mu            sync.RWMutex
	g             backend[T]
	buf           *flatBuffer[T] // nil: not tiered
	closed        bool
	consolidating bool // a consolidation job is pending
}

func newGraphIndex[T float](p Params, o Options, g backend[T]) *graphIndex[T] {
	x := &graphIndex[T]{p: p, sp: newGSpace[T](&p), g: g}
	if o.Submit != nil {
		x.submit = o.Submit
		x.inPlace = o.InPlace
		x.buf = &flatBuffer[T]{dim: x.sp.stride, pos: map[uint64]int{}}
		x.limit = o.BufferLimit
		if x.limit <= 0 {
			x.limit = DefaultBufferLimit
		}
	}
	return x
}

// run runs a job on the pool, or here when there is no pool or it refuses.
func (x *graphIndex[T]) run(job func()) {
	if x.submit == nil || !x.submit(job) {
		job()
	}
}

func (x *graphIndex[T]) Params() *Params { return &x.p }

func (x *graphIndex[T]) Add(label uint64, blob []byte) {
	// Every path copies the prepared vector (into the graph's store or the
	// buffer), so its scratch is recycled.
	vp, _ := x.scratch.Get().(*[]T)
	if vp == nil {
		v := make([]T, x.sp.stride)
		vp = &v
	}
	defer x.scratch.Put(vp)
	vec := *vp
	x.sp.prepare(blob, vec)
	if x.buf == nil || (x.inPlace != nil && x.inPlace()) {
		x.insertNow(label, vec, true)
		return
	}
	var job *insertJob
	var repair *deleteToken
	direct := false
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return
	}
	if pos, ok := x.buf.pos[label]; ok {
		// Overwrite in the buffer; the pending job of the old vector is void.
		x.buf.jobs[pos].cancelled = true
		copy(x.buf.vec(pos), vec)
		job = &insertJob{label: label}
		x.buf.jobs[pos] = job
	} else {
		if t, ok := x.g.markDeleted(label); ok {
			repair = &t
		}
		if x.buf.len() >= x.limit {
			direct = true
		} else {
			job = &insertJob{label: label}
			x.buf.add(label, vec, job)
		}
	}
	consolidate := x.wantConsolidation()
	x.mu.Unlock()
	if repair != nil {
		t := *repair
		x.run(func() { x.repairJob(t) })
	}
	if consolidate {
		x.run(x.consolidateJob)
	}
	if direct {
		x.insertNow(label, vec, false)
	}
	if job != nil {
		x.run(func() { x.insertJob(job) })
	}
}

// insertNow inserts into the graph on this goroutine: the search under the
// read lock, the linking under the write lock.
func (x *graphIndex[T]) insertNow(label uint64, vec []T, replace bool) {
	x.mu.RLock()
	if x.closed {
		x.mu.RUnlock()
		return
	}
	plan := x.g.prepareInsert(vec)
	x.mu.RUnlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return
	}
	if replace {
		if pos, ok := x.buf.lookup(label); ok { // buffered while there were workers
			x.buf.jobs[pos].cancelled = true
			x.buf.remove(label)
		}
		if t, ok := x.g.markDeleted(label); ok {
			x.g.repairDeleted(t)
		}
	} else if x.buf != nil {
		if _, ok := x.buf.pos[label]; ok { // an Add buffered it meanwhile: the newer wins
			return
		}
	}
	x.g.commitInsert(label, vec, plan)
	if x.g.needsConsolidation() {
		x.g.consolidate()
	}
}

// insertJob moves a buffered vector into the graph, unless its entry was
// deleted, replaced or the index closed since it was submitted.
func (x *graphIndex[T]) insertJob(job *insertJob) {
	x.mu.RLock()
	if x.closed || job.cancelled {
		x.mu.RUnlock()
		return
	}
	pos := x.buf.pos[job.label]
	vec := append([]T(nil), x.buf.vec(pos)...)
	plan := x.g.prepareInsert(vec)
	x.mu.RUnlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed || job.cancelled {
		return
	}
	job.cancelled = true // done: nothing may run it twice
	x.buf.remove(job.label)
	x.g.commitInsert(job.label, vec, plan)
}

func (x *graphIndex[T]) repairJob(t deleteToken) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.closed {
		x.g.repairDeleted(t)
	}
}

// wantConsolidation reports (and records) that a consolidation job is due.
// Called under the write lock.
func (x *graphIndex[T]) wantConsolidation() bool {
	if x.consolidating || !x.g.needsConsolidation() {
		return false
	}
	x.consolidating = true
	return true
}

func (x *graphIndex[T]) consolidateJob() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.consolidating = false
	if !x.closed {
		x.g.consolidate()
	}
}

func (x *graphIndex[T]) Delete(label uint64) bool {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return false
	}
	if x.buf != nil {
		if pos, ok := x.buf.pos[label]; ok {
			x.buf.jobs[pos].cancelled = true
			x.buf.remove(label)
			x.mu.Unlock()
			return true
		}
	}
	t, ok := x.g.markDeleted(label)
	if !ok {
		x.mu.Unlock()
		return false
	}
	if x.buf == nil {
		x.g.repairDeleted(t)
		if x.g.needsConsolidation() {
			x.g.consolidate()
		}
		x.mu.Unlock()
		return true
	}
	consolidate := x.wantConsolidation()
	x.mu.Unlock()
	x.run(func() { x.repairJob(t) })
	if consolidate {
		x.run(x.consolidateJob)
	}
	return true
}

func (x *graphIndex[T]) Size() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return 0
	}
	return x.g.live() + x.buf.len()
}

// Pending is the number of vectors waiting in the buffer for their job
// (FT.INFO / FT.DEBUG); always 0 without Submit.
func (x *graphIndex[T]) Pending() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return 0
	}
	return x.buf.len()
}

// Flush moves every buffered vector into the graph on this goroutine (their
// pending jobs become no-ops).
func (x *graphIndex[T]) Flush() {
	for {
		x.mu.RLock()
		var job *insertJob
		if !x.closed && x.buf.len() > 0 {
			job = x.buf.jobs[x.buf.len()-1]
		}
		x.mu.RUnlock()
		if job == nil {
			return
		}
		x.insertJob(job)
	}
}

// Close drops the index: its memory is released and every pending job
// becomes a no-op. Any later call sees an empty index.
func (x *graphIndex[T]) Close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return
	}
	x.closed = true
	if x.buf != nil {
		for _, j := range x.buf.jobs {
			j.cancelled = true
		}
		x.buf = &flatBuffer[T]{dim: x.sp.stride, pos: map[uint64]int{}}
	}
	x.g = nil
}

func (x *graphIndex[T]) TopK(query []byte, k int, opts SearchOpts, filter func(label uint64) bool) []Result {
	if k <= 0 {
		return nil
	}
	q := x.sp.vector(query)
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil
	}
	r := x.g.topK(q, k, opts, filter)
	if x.buf.len() == 0 {
		return r
	}
	return mergeResults(r, x.buf.topK(&x.sp, q, k, filter), k)
}

func (x *graphIndex[T]) Range(query []byte, radius float64, opts SearchOpts, filter func(label uint64) bool) []Result {
	q := x.sp.vector(query)
	radius = x.sp.radius(radius)
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil
	}
	r := x.g.rangeSearch(q, radius, opts, filter)
	if x.buf.len() == 0 {
		return r
	}
	b := x.buf.rangeSearch(&x.sp, q, radius, filter)
	if opts.ByID {
		r = append(r, b...)
		orderResults(r, true)
		return r
	}
	sortResults(b)
	return mergeResults(r, b, len(r)+len(b))
}

func (x *graphIndex[T]) Distance(label uint64, query []byte) (float64, bool) {
	q := x.sp.vector(query)
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return 0, false
	}
	if pos, ok := x.buf.lookup(label); ok {
		return float64(x.sp.dist(q, x.buf.vec(pos))), true
	}
	return x.g.distance(label, q)
}

func (x *graphIndex[T]) PreferAdHoc(subsetSize, k int, initial bool) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return true
	}
	return x.g.preferAdHoc(&x.p, subsetSize, k, initial)
}

func (x *graphIndex[T]) MemoryBytes() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return 0
	}
	return x.g.memoryBytes() + x.buf.memoryBytes()
}

func (x *graphIndex[T]) Batches(query []byte, opts SearchOpts) BatchIterator {
	q := x.sp.vector(query)
	x.mu.RLock()
	defer x.mu.RUnlock()
	it := &graphBatches[T]{x: x, q: q, returned: map[uint64]struct{}{}, bufSeen: map[uint64]struct{}{}}
	if !x.closed {
		it.gb = x.g.newBatch(q, opts)
	}
	return it
}

// graphBatches merges the graph's batch iterator with the buffer: each
// batch is the n nearest not returned yet among the buffer (searched whole,
// it is small) and the graph's next ones. A buffered vector that a job
// moves into the graph during the iteration is taken from the graph
// directly (the scan may have passed its place): the iterator remembers
// every buffered label it has seen.
type graphBatches[T float] struct {
	x        *graphIndex[T]
	q        []T
	gb       graphBatch
	returned map[uint64]struct{}
	bufSeen  map[uint64]struct{} // seen in the buffer, not returned yet
	pending  []Result            // from the graph, nearest first, not returned yet
	done     bool
}

func (it *graphBatches[T]) Done() bool { return it.done }

func (it *graphBatches[T]) Next(n int) []Result {
	x := it.x
	x.mu.RLock()
	defer x.mu.RUnlock()
	if it.done || n <= 0 {
		return nil
	}
	if x.closed || it.gb == nil {
		it.done = true
		return nil
	}
	returned := func(l uint64) bool { _, ok := it.returned[l]; return ok }
	// Drop what was deleted (or moved back to the buffer) since.
	p := it.pending[:0]
	for _, r := range it.pending {
		if x.g.contains(r.Label) && !returned(r.Label) {
			p = append(p, r)
		}
	}
	it.pending = p
	// Buffered labels seen before that are in the graph now.
	var moved []Result
	for l := range it.bufSeen {
		if _, inBuf := x.buf.lookup(l); inBuf {
			continue
		}
		delete(it.bufSeen, l)
		if d, ok := x.g.distance(l, it.q); ok && !returned(l) {
			moved = append(moved, Result{Label: l, Dist: d})
		}
	}
	if len(moved) > 0 {
		sortResults(moved)
		it.pending = mergeResults(it.pending, moved, len(it.pending)+len(moved))
	}
	inPending := func(l uint64) bool {
		for _, p := range it.pending {
			if p.Label == l {
				return true
			}
		}
		return false
	}
	for len(it.pending) < n && !it.gb.done() {
		r := it.gb.next(n, func(l uint64) bool { return returned(l) || inPending(l) })
		it.pending = mergeResults(it.pending, r, len(it.pending)+len(r))
	}
	var fromBuf []Result
	bufLeft := false
	if x.buf.len() > 0 {
		for _, l := range x.buf.labels {
			if !returned(l) {
				it.bufSeen[l] = struct{}{}
			}
		}
		fromBuf = x.buf.topK(&x.sp, it.q, n, func(l uint64) bool { return !returned(l) })
	}
	out := mergeResults(it.pending, fromBuf, n)
	for _, r := range out {
		it.returned[r.Label] = struct{}{}
		delete(it.bufSeen, r.Label)
	}
	p = it.pending[:0]
	for _, r := range it.pending {
		if !returned(r.Label) {
			p = append(p, r)
		}
	}
	it.pending = p
	for _, l := range x.buf.allLabels() {
		if !returned(l) {
			bufLeft = true
			break
		}
	}
	it.done = it.gb.done() && len(it.pending) == 0 && !bufLeft
	return out
}

// insertJob is a buffered vector's pending move into the graph; cancelled
// (guarded by graphIndex.mu) makes it a no-op.
type insertJob struct {
	label     uint64
	cancelled bool
}

// flatBuffer is the tiered index's buffer: vectors in one slice (swap
// removal keeps it dense), searched by brute force.
type flatBuffer[T float] struct {
	dim    int
	vecs   []T
	labels []uint64
	jobs   []*insertJob
	pos    map[uint64]int
}

func (b *flatBuffer[T]) len() int {
	if b == nil {
		return 0
	}
	return len(b.labels)
}

func (b *flatBuffer[T]) allLabels() []uint64 {
	if b == nil {
		return nil
	}
	return b.labels
}

func (b *flatBuffer[T]) lookup(label uint64) (int, bool) {
	if b == nil {
		return 0, false
	}
	p, ok := b.pos[label]
	return p, ok
}

func (b *flatBuffer[T]) vec(i int) []T { return b.vecs[i*b.dim : (i+1)*b.dim : (i+1)*b.dim] }

func (b *flatBuffer[T]) add(label uint64, v []T, job *insertJob) {
	b.pos[label] = len(b.labels)
	b.labels = append(b.labels, label)
	b.jobs = append(b.jobs, job)
	b.vecs = append(b.vecs, v...)
}

func (b *flatBuffer[T]) remove(label uint64) {
	i, ok := b.pos[label]
	if !ok {
		return
	}
	last := len(b.labels) - 1
	if i != last {
		copy(b.vec(i), b.vec(last))
		b.labels[i] = b.labels[last]
		b.jobs[i] = b.jobs[last]
		b.pos[b.labels[i]] = i
	}
	b.labels = b.labels[:last]
	b.jobs[last] = nil
	b.jobs = b.jobs[:last]
	b.vecs = b.vecs[:last*b.dim]
	delete(b.pos, label)
	if len(b.labels) == 0 {
		b.vecs, b.labels, b.jobs = nil, nil, nil
	}
}

func (b *flatBuffer[T]) topK(sp *gspace[T], q []T, k int, filter func(uint64) bool) []Result {
	if k <= 0 {
		return nil
	}
	var top maxHeap[T]
	for i, l := range b.labels {
		if filter != nil && !filter(l) {
			continue
		}
		d := sp.dist(q, b.vec(i))
		if len(top) < k {
			top.push(cand[T]{d, uint32(i)})
		} else if d < top.top().d {
			top.pop()
			top.push(cand[T]{d, uint32(i)})
		}
	}
	res := make([]Result, len(top))
	for i, c := range top {
		res[i] = Result{Label: b.labels[c.id], Dist: float64(c.d)}
	}
	sortResults(res)
	return res
}

// rangeSearch is unordered: the caller orders or merges.
func (b *flatBuffer[T]) rangeSearch(sp *gspace[T], q []T, radius float64, filter func(uint64) bool) []Result {
	var res []Result
	for i, l := range b.labels {
		if filter != nil && !filter(l) {
			continue
		}
		if d := float64(sp.dist(q, b.vec(i))); d <= radius {
			res = append(res, Result{Label: l, Dist: d})
		}
	}
	return res
}

func (b *flatBuffer[T]) memoryBytes() int64 {
	if b == nil {
		return 0
	}
	var t T
	return int64(cap(b.vecs))*int64(sizeOf(t)) + int64(cap(b.labels))*8 + int64(cap(b.jobs))*8 +
		int64(len(b.jobs))*16 + mapBytes(len(b.pos))
}
