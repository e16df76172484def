package query

// VectorKNN is `filter=>[KNN k @field $blob …]`: the k nearest documents
// among those the filter matches. (Provisional: the parser fills it in.)
type VectorKNN struct {
	Base
	Field        string
	K            int
	Blob         string
	BlobParam    string
	ScoreAlias   string
	EFRuntime    int
	HasEFRuntime bool
	Epsilon      float64
	HasEpsilon   bool
	HybridPolicy string
	BatchSize    int
	HasBatchSize bool
	Filter       Node
}

// VectorRange is `@field:[VECTOR_RANGE radius $blob]`.
type VectorRange struct {
	Base
	Field      string
	Radius     float64
	Blob       string
	BlobParam  string
	ScoreAlias string
	Epsilon    float64
	HasEpsilon bool
}
