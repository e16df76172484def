package query

// FieldType is the type of an index field as the parser needs to know it.
type FieldType uint8

const (
	TextField FieldType = iota + 1
	TagField
	NumericField
	GeoField
	// VectorField is a VECTOR field. The parser accepts a vector clause on
	// any field (the engine answers [0] on one that is not a VECTOR field);
	// with Compat210 it reports a KNN clause's distance field named twice
	// only on a VectorField, as 2.10 does.
	VectorField
	GeoShapeField
)

// VectorAlgo is a VECTOR field's algorithm, on which the query-time vector
// parameters depend (see VectorKNN.Resolve).
type VectorAlgo uint8

const (
	VectorFlat VectorAlgo = iota + 1
	VectorHNSW
	VectorSVS // SVS-VAMANA
)

// FieldInfo describes one field of the index the query runs on.
type FieldInfo struct {
	Type          FieldType
	TextBit       int  // for TEXT: the field's bit in a FieldMask
	CaseSensitive bool // for TAG
	IndexEmpty    bool // TEXT or TAG created with INDEXEMPTY
	IndexMissing  bool // created with INDEXMISSING
}

// EmptyValueSchema is implemented by a Schema that can tell whether some
// TEXT or TAG field of the index does not index empty values (8.2's
// Index_HasNonEmpty flag): only then does a query check its empty terms.
type EmptyValueSchema interface {
	HasNonEmpty() bool
}

// Schema is what the parser and EXPLAIN need to know about the index.
type Schema interface {
	// Field looks a field up by its name (the alias given by AS, or the
	// attribute name), case-sensitively.
	Field(name string) (FieldInfo, bool)
	// TextFieldName returns the name of the TEXT field with that bit.
	TextFieldName(bit int) string
}

// Options control one parse.
type Options struct {
	Dialect    int               // 1..4; 3 and 4 parse as 2
	Params     map[string]string // PARAMS name → value (DIALECT ≥ 2)
	Schema     Schema
	IsStopword func(word string) bool // nil: no stop words
	// Compat210 selects RediSearch 2.10's DIALECT ≥ 2 behaviour, which the
	// golden replies were recorded from: a field modifier naming no field of
	// the index, and a numeric range with min > max, parse and match
	// nothing. False (the default) is Redis 8.2's behaviour: the first is
	// "Unknown field at offset N near F", the second "Invalid numeric range
	// (min > max): …". DIALECT 1 behaves the same either way. A vector
	// clause's modifier is a modifier like any other.
	Compat210 bool
}

// ExplainOptions control FT.EXPLAIN's rendering.
type ExplainOptions struct {
	Schema Schema
	// Expand returns the expansions of a term for the given field mask, in
	// the order FT.EXPLAIN prints them after the term itself (for example
	// "+posit", "posit" for "positions"); nil when the term is not expanded.
	Expand func(term string, fields FieldMask) []string
	// ExpandTerm, when set, is used instead of Expand: it sees the whole
	// term node (its $phonetic attribute decides phonetic expansions).
	ExpandTerm func(t *Term) []string
}
