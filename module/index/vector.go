package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"unsafe"

	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
)

// Metric is a value a query yields for a document beside its score: the
// distance of a KNN or VECTOR_RANGE clause, under the clause's alias
// (`AS d`, `$YIELD_DISTANCE_AS`) or `__<field>_score` for KNN without one.
// The module calls them yieldable metrics; replies show them as fields.
type Metric struct {
	Name  string
	Value float64
}

// Options are what an index needs from its host.
type Options struct {
	// Vector is given to every vector index of the index's VECTOR fields
	// (the worker pool their tiered inserts run on).
	Vector vecsim.Options
}

// Vector errors the engine raises, worded as the module words them.
const (
	errVecBlobSize = "Error parsing vector similarity query: query vector blob size (%d) does not match index's expected size (%d)."
	errVecAddSize  = "Could not add vector with blob size %d (expected size %d)"
)

// VectorIndex is the vector index of a VECTOR field at a position, nil for
// other fields. Its own lock guards it; readers of the engine hold the
// index's read lock as for every structure.
func (idx *Index) VectorIndex(pos int) vecsim.Index {
	if pos < 0 || pos >= len(idx.vectors) || idx.spec.Fields[pos].Type != FieldVector {
		return nil
	}
	return idx.openVectors(pos)
}

// openVectors is the vector index of the VECTOR field at pos, created on
// first use as the module creates it (OpenVectorIndex, from the first
// insert or the first query): an index never used holds no memory. Taking
// it for a query creates it under the read lock; vecMu makes that safe.
func (idx *Index) openVectors(pos int) vecsim.Index {
	idx.vecMu.Lock()
	defer idx.vecMu.Unlock()
	v := idx.vectors[pos]
	if v == nil {
		v = vecsim.New(*idx.spec.Fields[pos].Vector, idx.vecOpts)
		idx.vectors[pos] = v
	}
	return v
}

// VectorMemory is the memory of the index's vector indexes, in bytes
// (FT.INFO's vector_index_sz_mb).
func (idx *Index) VectorMemory() int64 {
	idx.vecMu.Lock()
	defer idx.vecMu.Unlock()
	var n int64
	for _, v := range idx.vectors {
		if v != nil {
			n += v.MemoryBytes()
		}
	}
	return n
}

// checkVectors validates a document's vector blobs before it is indexed: a
// blob of the wrong size refuses the whole document, counted as an
// indexing failure of the index and of the field.
func (idx *Index) checkVectors(key string, doc Document) (blobs []vecBlob, ok bool) {
	for _, f := range idx.spec.Fields {
		if f.Type != FieldVector {
			continue
		}
		dv, has := doc.Value(f.Path)
		if !has || dv.Kind == KindNull {
			continue
		}
		if idx.spec.OnJSON {
			vecs, ok := jsonVectors(f, dv)
			if !ok {
				idx.fail(f, key, typeError(f, dv))
				return nil, false
			}
			for _, blob := range vecs {
				blobs = append(blobs, vecBlob{field: f.pos, blob: blob})
			}
			continue
		}
		v := dv.Text
		if want := f.Vector.BlobSize(); len(v) != want {
			idx.fail(f, key, fmt.Sprintf(errVecAddSize, len(v), want))
			return nil, false
		}
		blobs = append(blobs, vecBlob{field: f.pos, blob: v})
	}
	return blobs, true
}

// jsonVectors are the blobs of a JSON value a VECTOR field indexes, as the
// module reads them (json.c JSON_LoadDocumentField for VECTOR): one match
// that is an array of numbers is one vector (JSON_StoreSingleVectorInDocField);
// one match that is an array of arrays, or several matches, are several
// vectors, for a multi-value field only (JSON_StoreMultiVectorInDocField:
// nulls skipped, anything else but an array of the field's dimension
// refused). An empty array, an array whose first element is neither a
// number nor an array, and any other type are refused. The element types
// read are FLOAT32 and FLOAT64.
func jsonVectors(f *Field, v Value) ([]string, bool) {
	p := f.Vector
	if p.Type != vecsim.Float32 && p.Type != vecsim.Float64 || v.Kind != KindArray {
		return nil, false
	}
	if !v.Matches {
		if len(v.Items) == 0 {
			return nil, false
		}
		switch v.Items[0].Kind {
		case KindNumber:
			b, ok := jsonVector(p, v.Items)
			if !ok {
				return nil, false
			}
			return []string{b}, true
		case KindArray:
		default:
			return nil, false
		}
	}
	if !p.Multi {
		return nil, false
	}
	out := make([]string, 0, len(v.Items))
	for _, it := range v.Items {
		switch it.Kind {
		case KindNull:
			continue
		case KindArray:
		default:
			return nil, false
		}
		b, ok := jsonVector(p, it.Items)
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// jsonVector is the blob of JSON numbers, which must be the field's
// dimension, in its element type.
func jsonVector(p *vecsim.Params, items []Value) (string, bool) {
	if len(items) != p.Dim {
		return "", false
	}
	b := make([]byte, 0, p.BlobSize())
	for _, it := range items {
		if it.Kind != KindNumber {
			return "", false
		}
		if p.Type == vecsim.Float32 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(it.Num)))
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(it.Num))
		}
	}
	return string(b), true
}

type vecBlob struct {
	field int
	blob  string
}

// addVectors stores a document's vectors under its id (a multi-value
// field's several, each a record).
func (idx *Index) addVectors(d *Doc, blobs []vecBlob) {
	for _, b := range blobs {
		idx.openVectors(b.field).Add(uint64(d.id), blobBytes(b.blob))
		idx.numRecord++
	}
}

// removeVectors deletes a document's vectors (all of a multi-value
// field's). The document does not record which fields held one (that
// would cost every document a slice): each vector index is asked, and only
// those holding its id have it. The caller holds the write lock, under
// which no vector index is created.
//
// num_records keeps the vectors' records, as the module's does: its
// vectorIndexer adds one record a vector (numRecords += numVec), and
// neither a delete nor an overwrite takes them back (spec.c
// IndexSpec_DeleteDoc_Unsafe ignores VecSimIndex_DeleteVector's count of
// vectors deleted, and the GC, the only other place num_records goes
// down, collects inverted indexes only).
func (idx *Index) removeVectors(d *Doc) {
	for _, v := range idx.vectors {
		if v != nil {
			v.Delete(uint64(d.id))
		}
	}
}

// vectorField is the VECTOR field a vector clause names, nil when the name
// is not a vector field (the module then matches nothing).
func (p *planner) vectorField(name string) (*Field, vecsim.Index) {
	f := p.idx.spec.Field(name)
	if f == nil || f.Type != FieldVector {
		return nil, nil
	}
	return f, p.idx.openVectors(f.pos)
}

// checkClause makes the checks the module makes as it builds a vector
// clause's iterator: the query blob's size, then the clause's parameters
// against the field's algorithm (resolve); a failure is the query's error.
func (p *planner) checkClause(f *Field, blob string, resolve func(query.VectorAlgo) error) bool {
	err := checkBlob(f, blob)
	if err == nil {
		err = resolve(queryAlgo(f.Vector.Algo))
	}
	if err != nil {
		p.fail(err)
		return false
	}
	return true
}

func checkBlob(f *Field, blob string) error {
	if want := f.Vector.BlobSize(); len(blob) != want {
		return Error(fmt.Sprintf(errVecBlobSize, len(blob), want))
	}
	return nil
}

// rangeIter is a VECTOR_RANGE clause: every document within the radius, in
// id order, with its distance as a metric when the clause yields one.
func (p *planner) rangeIter(n *query.VectorRange, w float64) iterator {
	f, vi := p.vectorField(n.Field)
	if f == nil {
		return &emptyIter{}
	}
	if !p.checkClause(f, n.Blob, n.Resolve) {
		return &emptyIter{}
	}
	// In id order, which the iterator walks (BY_ID, as the module asks).
	opts := vecsim.SearchOpts{ByID: true}
	if n.HasEpsilon {
		opts.Epsilon = n.Epsilon
	}
	found := vi.Range(blobBytes(n.Blob), n.Radius, opts, nil)
	p.idx.touchDocs(found)
	p.metrics = p.metrics || n.ScoreAlias != ""
	return newMetricIter(found, n.ScoreAlias, w)
}

// queryAlgo is the parser's name of a vector algorithm (query-time
// parameters depend on it).
func queryAlgo(a vecsim.Algo) query.VectorAlgo {
	switch a {
	case vecsim.HNSW:
		return query.VectorHNSW
	case vecsim.SVSVamana:
		return query.VectorSVS
	}
	return query.VectorFlat
}

// metricIter walks precomputed vector results in the order given (id order
// for a range; distance order for the k nearest, which only a query's root
// holds), each with its distance as a metric named name ("" for none).
type metricIter struct {
	found []vecsim.Result
	// filtered holds, for a hybrid KNN, the filter's result of each found
	// document (a copy: the filter's iterators reuse theirs).
	filtered []*result
	name     string
	pos      int
	res      result
	metric   result
	knn      *knnPlan // a KNN clause's (nil for a range)
}

func newMetricIter(found []vecsim.Result, name string, w float64) *metricIter {
	it := &metricIter{found: found, name: name, pos: -1}
	it.res = result{kind: resVirtual, weight: w}
	return it
}

func (it *metricIter) set(i int) {
	it.pos = i
	r := it.found[i]
	it.res.id = uint32(r.Label)
	holder := &it.res // the result that carries the distance
	if it.filtered != nil {
		// The module's hybrid result: the metric beside the filter's
		// result, scored as the filter alone.
		holder = &it.metric
		it.metric.kind, it.metric.id = resVirtual, it.res.id
		it.res.kind = resIntersect
		it.res.children = append(it.res.children[:0], &it.metric, it.filtered[i])
	}
	holder.metrics = holder.metrics[:0]
	if it.name != "" {
		holder.metrics = append(holder.metrics, Metric{Name: it.name, Value: r.Dist})
	}
}

func (it *metricIter) read() bool {
	if it.pos+1 >= len(it.found) {
		it.pos = len(it.found)
		return false
	}
	it.set(it.pos + 1)
	return true
}

// skipTo needs id order: only a range iterator is skipped (a KNN clause is
// a query's root).
func (it *metricIter) skipTo(id uint32) readStatus {
	for {
		if it.pos >= 0 && it.pos < len(it.found) && uint32(it.found[it.pos].Label) >= id {
			if uint32(it.found[it.pos].Label) == id {
				return rsOK
			}
			return rsNotFound
		}
		if !it.read() {
			return rsEOF
		}
	}
}

func (it *metricIter) cur() *result  { return &it.res }
func (it *metricIter) estimate() int { return len(it.found) }

// Hybrid policies (the module's VecSimSearchMode as HYBRID_POLICY names it).
const (
	PolicyAdHoc   = "ADHOC_BF"
	PolicyBatches = "BATCHES"
)

// knnIter is a KNN clause, a query's root: its k nearest documents among
// those its filter matches, nearest first, each with its distance under
// the clause's name. Without a filter (`*=>[KNN …]`) it is the vector
// index's own k-NN search; with one, the module's hybrid iterator: ad-hoc
// brute force over the filter's matches, or batches of nearest vectors
// intersected with the filter, chosen by the index's heuristic unless
// HYBRID_POLICY says.
func (p *planner) knnIter(n *query.VectorKNN) iterator {
	f, vi := p.vectorField(n.Field)
	if f == nil || n.K <= 0 {
		return &emptyIter{}
	}
	pure := !n.Hybrid() && !p.knnFilters
	h := &hybrid{p: p, vi: vi, filter: n.Filter, blob: blobBytes(n.Blob), k: n.K}
	var child iterator
	if !pure {
		// The module evaluates the filter first: one that matches nothing
		// answers no result, whatever the clause's parameters.
		child = h.child()
		if child.estimate() == 0 || !child.read() {
			return &emptyIter{}
		}
	}
	if !p.checkClause(f, n.Blob, n.Resolve) {
		return &emptyIter{}
	}
	if n.HasEFRuntime {
		h.opts.EFRuntime = n.EFRuntime
	}
	if n.HasEpsilon {
		h.opts.Epsilon = n.Epsilon
	}
	name := n.ScoreField()
	p.metrics = true
	if pure {
		found := vi.TopK(h.blob, n.K, h.opts, nil)
		p.idx.touchDocs(found)
		it := newMetricIter(found, name, 1)
		p.knn = &knnPlan{mode: "STANDARD_KNN"}
		it.knn = p.knn
		return it
	}
	h.policy, h.batchSize = n.HybridPolicy, n.BatchSize
	found, filtered := h.run(child)
	p.idx.touchDocs(found)
	it := newMetricIter(found, name, 1)
	it.filtered = filtered
	p.knn = &knnPlan{mode: h.mode, batches: h.batches, maxBatch: h.maxBatch,
		maxBatchIter: h.maxBatchIter, child: h.profile}
	it.knn = p.knn
	return it
}

// touchDocs reads the table entry, the document and the key of each result
// in one loop, before the results are ranked and written one at a time:
// the cache misses of the ten or hundred documents then overlap instead of
// coming one after another (a k-NN query's results are scattered).
func (idx *Index) touchDocs(found []vecsim.Result) {
	var sink int
	for _, r := range found {
		if d := idx.docs.get(uint32(r.Label)); d != nil && len(d.key) > 0 {
			sink += int(d.key[0])
		}
	}
	runtime.KeepAlive(sink) // the loads are the point
}

// knnPlan is what FT.PROFILE tells of a KNN clause.
type knnPlan struct {
	mode                   string // STANDARD_KNN, HYBRID_ADHOC_BF, HYBRID_BATCHES, HYBRID_BATCHES_TO_ADHOC_BF
	batches                int
	maxBatch, maxBatchIter int
	// child is the profile of the filter's last reading, when profiled.
	child *ProfileNode
}

// hybrid is a KNN clause with a filter, run as the module's hybrid reader
// runs it (hybrid_reader.c).
type hybrid struct {
	p         *planner
	vi        vecsim.Index
	filter    query.Node
	blob      []byte
	opts      vecsim.SearchOpts
	k         int
	policy    string
	batchSize int

	mode                   string
	batches                int
	maxBatch, maxBatchIter int
	profile                *ProfileNode // the last filter reading's, when profiled
	top                    hybridHeap
}

// hybridHit is a document kept: its distance and the filter's result.
type hybridHit struct {
	vecsim.Result
	res *result
}

// hybridHeap keeps the k nearest; its top is the worst kept. Among equal
// distances the module's heap ranks the higher id nearer (its comparator
// answers "greater" for the lower id), so the lower id is the one evicted
// and the higher id comes out first.
type hybridHeap []hybridHit

func hybridWorse(a, b *hybridHit) bool {
	if a.Dist != b.Dist {
		return a.Dist > b.Dist
	}
	return a.Label < b.Label
}

func (h *hybridHeap) push(x hybridHit) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		pa := (i - 1) / 2
		if !hybridWorse(&s[i], &s[pa]) {
			break
		}
		s[i], s[pa] = s[pa], s[i]
		i = pa
	}
}

func (h *hybridHeap) replaceTop(x hybridHit) {
	s := *h
	s[0] = x
	for i := 0; ; {
		l, w := 2*i+1, i
		if l < len(s) && hybridWorse(&s[l], &s[w]) {
			w = l
		}
		if r := l + 1; r < len(s) && hybridWorse(&s[r], &s[w]) {
			w = r
		}
		if w == i {
			return
		}
		s[i], s[w] = s[w], s[i]
		i = w
	}
}

// offer keeps a match when the heap has room or it is nearer than the
// worst kept (a tie with the worst is not kept).
func (h *hybrid) offer(label uint64, dist float64, r *result) {
	var c *result
	if r != nil {
		c = cloneResult(r)
	}
	if len(h.top) < h.k {
		h.top.push(hybridHit{vecsim.Result{Label: label, Dist: dist}, c})
		return
	}
	if dist < h.top[0].Dist {
		h.top.replaceTop(hybridHit{vecsim.Result{Label: label, Dist: dist}, c})
	}
}

// child is a fresh iterator over the filter's matches (FILTER, GEOFILTER
// and INKEYS included).
func (h *hybrid) child() iterator {
	filter := h.filter
	if filter == nil {
		filter = &query.Wildcard{Base: query.Base{Attr: query.DefaultAttrs()}}
	}
	it := h.p.build(filter)
	if h.p.knnFilters {
		it = h.p.withFilters(filter, it)
	}
	if prof := h.p.opts.Profile; prof != nil {
		w, n := prof.wrap(it)
		h.profile = n
		return w
	}
	return it
}

// run computes the hits, nearest first, from the filter's iterator, which
// is on its first match.
func (h *hybrid) run(child iterator) ([]vecsim.Result, []*result) {
	est := child.estimate()
	adhoc := false
	switch h.policy {
	case PolicyAdHoc:
		adhoc = true
	case PolicyBatches:
	default:
		adhoc = h.vi.PreferAdHoc(est, h.k, true)
	}
	if adhoc {
		h.mode = "HYBRID_ADHOC_BF"
		h.adhocFrom(child, true)
	} else {
		h.mode = "HYBRID_BATCHES"
		h.runBatches(est)
	}
	// Pop the heap nearest first.
	hits := []hybridHit(h.top)
	sort.Slice(hits, func(a, b int) bool { return hybridWorse(&hits[b], &hits[a]) })
	found := make([]vecsim.Result, len(hits))
	filtered := make([]*result, len(hits))
	for i, x := range hits {
		found[i], filtered[i] = x.Result, x.res
	}
	return found, filtered
}

// adhoc computes the distance of every document the filter matches.
func (h *hybrid) adhoc(child iterator) { h.adhocFrom(child, false) }

// adhocFrom is adhoc from a filter that was read once already (onFirst).
// It gathers the filter's documents, measures them in one call to the
// vector index, keeps the k nearest as the module's heap does, then reads
// the filter's result of each kept document afresh (what its score needs).
func (h *hybrid) adhocFrom(child iterator, onFirst bool) {
	var labels []uint64
	for onFirst || child.read() {
		onFirst = false
		labels = append(labels, uint64(child.cur().id))
	}
	dists := make([]float64, len(labels))
	if bd, ok := h.vi.(vecsim.BatchDistancer); ok {
		bd.Distances(h.blob, labels, dists)
	} else {
		for i, l := range labels {
			d, ok := h.vi.Distance(l, h.blob)
			if !ok {
				d = math.NaN()
			}
			dists[i] = d
		}
	}
	for i, d := range dists {
		// A deleted vector (or a zero vector under COSINE) measures NaN:
		// the module skips it.
		if math.IsNaN(d) {
			continue
		}
		if len(h.top) < h.k || d < h.top[0].Dist {
			h.offer(labels[i], d, nil)
		}
	}
	h.fillResults()
}

// fillResults reads the filter's result of each kept document that has
// none yet, from a fresh reading of the filter, in id order.
func (h *hybrid) fillResults() {
	var need []int
	for i := range h.top {
		if h.top[i].res == nil {
			need = append(need, i)
		}
	}
	if len(need) == 0 {
		return
	}
	sort.Slice(need, func(a, b int) bool { return h.top[need[a]].Label < h.top[need[b]].Label })
	child := h.child()
	for _, i := range need {
		if child.skipTo(uint32(h.top[i].Label)) == rsOK {
			h.top[i].res = cloneResult(child.cur())
		} else {
			h.top[i].res = &result{kind: resVirtual, id: uint32(h.top[i].Label)}
		}
	}
}

// runBatches reads the nearest vectors a batch at a time, in id order
// within a batch, and intersects each batch with the filter read afresh,
// until k are kept or the vectors run out; between batches it reviews its
// estimate of the filter's size and may go over to ad-hoc brute force.
func (h *hybrid) runBatches(est int) {
	if est == 0 {
		return
	}
	size := h.vi.Size()
	childEst := min(est, size)
	upper := childEst
	bi := h.vi.Batches(h.blob, h.opts)
	for !bi.Done() {
		h.batches++
		left := h.k - len(h.top)
		bs := h.batchSize
		if bs == 0 {
			// In float, as hybrid_reader.c computes it.
			bs = int(float32(left)*(float32(size)/float32(max(childEst, 1))) + 1)
		}
		if bs > h.maxBatch {
			h.maxBatch, h.maxBatchIter = bs, h.batches-1
		}
		batch := bi.Next(bs)
		sort.Slice(batch, func(a, b int) bool { return batch[a].Label < batch[b].Label })
		child := h.child()
		at, eof := uint32(0), false // the child's current document
		for _, v := range batch {
			id := uint32(v.Label)
			if at < id {
				switch child.skipTo(id) {
				case rsEOF:
					eof = true
				default:
					at = child.cur().id
				}
			}
			if eof {
				break
			}
			if at == id && (len(h.top) < h.k || v.Dist < h.top[0].Dist) {
				h.offer(v.Label, v.Dist, child.cur())
			}
		}
		if len(h.top) == h.k {
			return
		}
		if h.policy == PolicyBatches && h.batchSize > 0 {
			continue
		}
		gained := len(h.top) - (h.k - left)
		ratio := float32(gained) / float32(left)
		childEst = (childEst + int(ratio*float32(size))) / 2
		childEst = min(childEst, upper)
		if h.policy == PolicyBatches {
			continue
		}
		if h.vi.PreferAdHoc(childEst, h.k, false) {
			h.mode = "HYBRID_BATCHES_TO_ADHOC_BF"
			h.top = h.top[:0]
			h.adhoc(h.child())
			return
		}
	}
}

// cloneResult copies a result tree: iterators reuse theirs.
func cloneResult(r *result) *result {
	c := *r
	c.positions, c.posRaw = slices.Clone(r.pos()), nil
	c.metrics = slices.Clone(r.metrics)
	if len(r.children) > 0 {
		c.children = make([]*result, len(r.children))
		for i, k := range r.children {
			c.children[i] = cloneResult(k)
		}
	}
	return &c
}

// appendMetrics gathers the metrics of a result tree, in the order the
// tree holds them.
func appendMetrics(dst []Metric, r *result) []Metric {
	dst = append(dst, r.metrics...)
	for _, c := range r.children {
		dst = appendMetrics(dst, c)
	}
	return dst
}

// MetricNames are the names of the values the query's vector clauses
// yield: a KNN clause's distance (its alias, else `__<field>_score`) and
// the VECTOR_RANGE distances given a `$YIELD_DISTANCE_AS`.
func (q *Query) MetricNames() []string { return metricNames(nil, q.root) }

// MetricNames are the names of the values a parsed query's vector clauses
// yield (Query.MetricNames before planning).
func MetricNames(root query.Node) []string { return metricNames(nil, root) }

func metricNames(dst []string, n query.Node) []string {
	switch n := n.(type) {
	case *query.VectorKNN:
		dst = append(dst, n.ScoreField())
		if n.Filter != nil {
			dst = metricNames(dst, n.Filter)
		}
	case *query.VectorRange:
		if n.ScoreAlias != "" {
			dst = append(dst, n.ScoreAlias)
		}
	case *query.Intersect:
		for _, c := range n.Children {
			dst = metricNames(dst, c)
		}
	case *query.Union:
		for _, c := range n.Children {
			dst = metricNames(dst, c)
		}
	case *query.Not:
		dst = metricNames(dst, n.Child)
	case *query.Optional:
		dst = metricNames(dst, n.Child)
	}
	return dst
}

// Close lets go of the index's vector indexes: their pending background
// inserts become no-ops. The index must not be used afterwards.
func (idx *Index) Close() {
	idx.vecMu.Lock()
	defer idx.vecMu.Unlock()
	for _, v := range idx.vectors {
		if c, ok := v.(interface{ Close() }); ok {
			c.Close()
		}
	}
}

// blobBytes shows a document's (or a query's) blob to the vector index
// without copying it: an Index reads a blob and never keeps or changes it
// (vecsim.Index), and a copy per document was 512 bytes of garbage for a
// 128-d FLOAT32 vector.
func blobBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// metricSlab hands out each result's metrics from one growing array rather
// than a slice each: a result's slice is never appended to afterwards, so
// the slices taken before the array grows stay valid on the old one.
type metricSlab struct{ buf []Metric }

func (s *metricSlab) take(r *result) []Metric {
	start := len(s.buf)
	s.buf = appendMetrics(s.buf, r)
	if len(s.buf) == start {
		return nil
	}
	return s.buf[start:len(s.buf):len(s.buf)]
}
