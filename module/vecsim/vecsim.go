// Package vecsim is the search module's vector similarity library, the
// counterpart of RedisAI/VectorSimilarity: element types and distance
// kernels, an exact FLAT index with blocked storage, an HNSW graph with
// deletes and repair, an SVS-VAMANA graph, and the tiered wrapper that
// buffers new vectors until a worker moves them into a graph. It knows no
// server, no document and no query language: labels are the engine's
// document ids, vectors are the raw little-endian blobs documents hold.
//
// Locking: every Index is safe for concurrent use by any number of
// searchers and one writer at a time (it has its own lock). The tiered
// index also runs its pending insert jobs concurrently with searches.
package vecsim

// Algo is a vector index algorithm.
type Algo uint8

const (
	Flat Algo = iota + 1
	HNSW
	SVSVamana
)

func (a Algo) String() string {
	switch a {
	case Flat:
		return "FLAT"
	case HNSW:
		return "HNSW"
	case SVSVamana:
		return "SVS-VAMANA"
	}
	return "?"
}

// ElemType is the type of a vector's elements, as FT.CREATE's TYPE names it.
type ElemType uint8

const (
	Float32 ElemType = iota + 1
	Float64
	BFloat16
	Float16
	Int8
	UInt8
)

func (t ElemType) String() string {
	switch t {
	case Float32:
		return "FLOAT32"
	case Float64:
		return "FLOAT64"
	case BFloat16:
		return "BFLOAT16"
	case Float16:
		return "FLOAT16"
	case Int8:
		return "INT8"
	case UInt8:
		return "UINT8"
	}
	return "?"
}

// Size is the number of bytes of one element.
func (t ElemType) Size() int {
	switch t {
	case Float64:
		return 8
	case Float32:
		return 4
	case BFloat16, Float16:
		return 2
	case Int8, UInt8:
		return 1
	}
	return 0
}

// Metric is a distance metric. L2 is the squared Euclidean distance, IP is
// 1 - dot product, Cosine is 1 - cosine similarity.
type Metric uint8

const (
	L2 Metric = iota + 1
	IP
	Cosine
)

func (m Metric) String() string {
	switch m {
	case L2:
		return "L2"
	case IP:
		return "IP"
	case Cosine:
		return "COSINE"
	}
	return "?"
}

// Params is a vector field's definition: what FT.CREATE's VECTOR arguments
// said, with the module's defaults for what they left out.
type Params struct {
	Algo   Algo
	Type   ElemType
	Dim    int
	Metric Metric
	// Multi: a label holds any number of vectors (VecSim's multi
	// indexes; the module's VECTOR field ON JSON with a non-static path).
	Multi bool

	InitialCap int // FLAT, HNSW
	BlockSize  int // FLAT (and the storage blocks of every algorithm)

	M              int     // HNSW
	EFConstruction int     // HNSW
	EFRuntime      int     // HNSW: the default of a query's EF_RUNTIME
	Epsilon        float64 // HNSW, SVS-VAMANA: the default of a range query's EPSILON

	// SVS-VAMANA.
	GraphMaxDegree         int
	ConstructionWindowSize int
	SearchWindowSize       int
	Compression            string // "" (none), LVQ8, LVQ4, LVQ4x4, LVQ4x8, LeanVec4x8, LeanVec8x8
	TrainingThreshold      int
	ReduceDim              int // LEANVEC_DIM
}

// BlobSize is the size in bytes of one vector of these parameters.
func (p *Params) BlobSize() int { return p.Dim * p.Type.Size() }

// Result is one vector found: its label (a document id) and its distance to
// the query vector.
type Result struct {
	Label uint64
	Dist  float64
}

// SearchOpts are a query's runtime parameters; zero values take the index's
// defaults (Params.EFRuntime, Params.Epsilon, Params.SearchWindowSize).
type SearchOpts struct {
	EFRuntime int
	Epsilon   float64
	// ByID orders a Range's results by label instead of nearest first:
	// the order in which the module asks the library for a range
	// (VecSimIndex_RangeQuery BY_ID), which its iterator walks.
	ByID bool
}

// orDefault is a parameter's value, or the default when it was left out
// (zero or below).
func orDefault[N int | float64](v, def N) N {
	if v <= 0 {
		return def
	}
	return v
}
