package vecsim

// Index is a vector index of one field. Labels are unique: adding a label
// that is present replaces its vector (the engine re-indexes a changed
// document under a new id, so in practice it deletes the old label first).
//
// Every method is safe for concurrent use (see the package comment).
type Index interface {
	Params() *Params

	// Add stores a vector; blob is exactly Params.BlobSize() bytes (the
	// caller checks, as a wrong size is the document's indexing failure).
	// No method keeps or changes a blob or query it is given: the engine
	// passes a document's own bytes.
	Add(label uint64, blob []byte)
	// Delete removes a label's vector; false when it had none.
	Delete(label uint64) bool
	// Size is the number of labels held (buffered ones included).
	Size() int

	// TopK is the k nearest vectors to the query blob (Params.BlobSize()
	// bytes) among those whose label passes the filter (nil: all), nearest
	// first, ties by label. FLAT is exact; a graph index is approximate
	// (EF_RUNTIME; SVS-VAMANA takes it as its SEARCH_WINDOW_SIZE). The
	// filter runs under the index's read lock: it must not call the index.
	TopK(query []byte, k int, opts SearchOpts, filter func(label uint64) bool) []Result
	// Range is every vector within radius of the query (distance <=
	// radius), nearest first, ties by label; a graph index searches with
	// EPSILON's relative widening as the module does.
	Range(query []byte, radius float64, opts SearchOpts, filter func(label uint64) bool) []Result
	// Distance is the distance between a label's vector and the query;
	// false when the label has none (the ad-hoc brute-force hybrid mode).
	Distance(label uint64, query []byte) (float64, bool)
	// Batches iterates over the vectors nearest first, a batch at a time
	// (the BATCHES hybrid mode): each call to Next returns up to n results
	// not returned before.
	Batches(query []byte, opts SearchOpts) BatchIterator
	// PreferAdHoc is the module's automatic hybrid policy: whether ad-hoc
	// brute force over a filter of subsetSize candidates should be chosen
	// over batches for a k-NN query (VecSimIndex_PreferAdHocSearch).
	PreferAdHoc(subsetSize, k int, initial bool) bool

	// MemoryBytes is the memory the index holds (FT.INFO's
	// vector_index_sz_mb).
	MemoryBytes() int64

	// Pending is the number of vectors waiting in a tiered index's buffer
	// for the job that moves them into the graph (FT.INFO, FT.DEBUG); 0
	// for an index without jobs.
	Pending() int
	// Flush moves every waiting vector into the graph on the caller's
	// goroutine (their jobs become no-ops); for a host whose pool stops
	// without running the jobs it accepted.
	Flush()
	// Close drops the index (FT.DROPINDEX, a field removed): its memory is
	// released and every pending job becomes a no-op; later calls see an
	// empty index.
	Close()
}

// BatchIterator returns the vectors of an index nearest first, in batches.
// One goroutine at a time uses an iterator; the index may change between
// batches (a vector deleted meanwhile is not returned).
type BatchIterator interface {
	Next(n int) []Result
	// Done reports whether every vector was returned.
	Done() bool
}

// Options are what an index needs from its host.
type Options struct {
	// Submit runs a job off the caller's thread (the module's worker
	// pool). With Submit nil, or returning false (no workers), a tiered
	// index inserts synchronously, as the module does with WORKERS 0.
	Submit func(job func()) bool
	// InPlace reports that the host has no workers now (the module sets
	// VecSim_WriteInPlace when WORKERS goes to 0, VecSim_WriteAsync when
	// it goes above): a tiered index then writes to its graph directly,
	// without the buffer and its job. Nil: Submit decides alone.
	InPlace func() bool
	// BufferLimit is the most vectors a tiered index buffers
	// (TIERED_HNSW_BUFFER_LIMIT); past it, Add inserts into the graph
	// directly. 0: DefaultBufferLimit.
	BufferLimit int
}
