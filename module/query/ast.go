// Package query parses the search module's query language (DIALECT 1 and 2)
// into a tree the executor evaluates, and prints that tree the way
// FT.EXPLAIN does. It imports the standard library only.
package query

// FieldMask selects TEXT fields by their bit (the field's position among the
// index's TEXT fields, in schema order). AllFields means "no field modifier".
type FieldMask uint64

// AllFields is the mask of a term without a field modifier.
const AllFields FieldMask = ^FieldMask(0)

// Node is a node of a parsed query.
type Node interface {
	// Attributes returns the node's attributes (=>{$weight: …}), which the
	// parser may set.
	Attributes() *Attrs
}

// Attrs are a node's query attributes: `=>{$weight: 2; $slop: 1; $inorder: true}`.
type Attrs struct {
	Weight     float64 // 1 unless $weight was given
	Slop       int     // -1 unless $slop was given
	InOrder    bool
	HasInOrder bool     // $inorder was given
	Phonetic   Phonetic // $phonetic
}

// Phonetic is a node's $phonetic attribute: whether its words are matched
// by their phonetic codes too.
type Phonetic uint8

const (
	PhoneticDefault Phonetic = iota // not given: as the word's fields say
	PhoneticOn                      // $phonetic: true
	PhoneticOff                     // $phonetic: false
)

// DefaultAttrs are the attributes of a node with none given.
func DefaultAttrs() Attrs { return Attrs{Weight: 1, Slop: -1} }

// Base carries the attributes; every node embeds it.
type Base struct{ Attr Attrs }

// Attributes implements Node.
func (b *Base) Attributes() *Attrs { return &b.Attr }

// Intersect matches documents matched by every child. Exact is a quoted
// phrase ("a b c"): the children are terms that must be adjacent and in order
// within one field (Slop/InOrder attributes relax that).
type Intersect struct {
	Base
	Children []Node
	Exact    bool
	Fields   FieldMask
}

// Union matches documents matched by any child.
type Union struct {
	Base
	Children []Node
	Fields   FieldMask
}

// Not matches documents the child does not match (`-x`).
type Not struct {
	Base
	Child Node
	// Fields is the mask an enclosing field modifier applied (FT.EXPLAIN
	// prints it, `@title:NOT{`); the parser sets AllFields when none.
	Fields FieldMask
}

// Optional matches every document; those the child matches score higher (`~x`).
type Optional struct {
	Base
	Child Node
	// Fields: as for Not.
	Fields FieldMask
}

// Term is one word, already unescaped and case-folded (stop words were
// dropped by the parser): `\+kitti` is the word "+kitti", the form in which
// the index stores the stem of "kitty", so the query finds it even with
// VERBATIM. Expansion (stemming) is the executor's business; Verbatim is set
// when the word must not be expanded: a quoted word or phrase. An escaped
// word is not Verbatim, as in the real module (its stem is itself anyway).
type Term struct {
	Base
	Text     string
	Fields   FieldMask
	Verbatim bool
}

// AffixKind says which part of a word an affix query fixes.
type AffixKind uint8

const (
	Prefix AffixKind = iota // `abc*`
	Suffix                  // `*abc`
	Infix                   // `*abc*`
)

// Affix is a prefix, suffix or infix query over TEXT fields. Text excludes the stars.
type Affix struct {
	Base
	Kind   AffixKind
	Text   string
	Fields FieldMask
}

// Fuzzy is `%word%` (Distance 1) up to `%%%word%%%` (Distance 3).
type Fuzzy struct {
	Base
	Text     string
	Distance int
	Fields   FieldMask
	// NoEmpty: the expansion leaves out the empty term (the empty value of
	// INDEXEMPTY TEXT fields). 8.2 reaches it from DIALECT 2 on but not in
	// DIALECT 1 (test_empty.py testemptyfuzzy: `%s%` finds the empty
	// value in DIALECT 2+, not in DIALECT 1); the DIALECT 1 grammar sets it.
	NoEmpty bool
}

// Wildcard is `*` alone: every document.
type Wildcard struct{ Base }

// Empty matches nothing: a query left empty once stop words are dropped, an
// empty string, or a field modifier naming no field (DIALECT 1).
type Empty struct{ Base }

// Missing is `ismissing(@field)` (DIALECT 2+): the documents that lack the
// field, for a field created with INDEXMISSING.
type Missing struct {
	Base
	Field string
}

// Numeric is `@field:[min max]`, with `(` for exclusive bounds and ±inf, and
// DIALECT 2's `==`, `>`, `>=`, `<`, `<=` (`!=` parses to Not{Numeric}).
type Numeric struct {
	Base
	Field        string
	Min, Max     float64
	MinExclusive bool
	MaxExclusive bool
}

// Geo is `@field:[lon lat radius unit]`; Unit is one of m, km, mi, ft.
type Geo struct {
	Base
	Field    string
	Lon, Lat float64
	Radius   float64
	Unit     string
}

// GeoShape is `@field:[PREDICATE $param]` (DIALECT ≥ 2): Predicate is one
// of the module's numbers (1 CONTAINS, 2 WITHIN, 3 DISJOINT, 4 INTERSECTS),
// WKT the parameter's value.
type GeoShape struct {
	Base
	Field     string
	Predicate int
	WKT       string
}

// TagValue is one alternative of a tag clause, unescaped, not case-folded
// (folding depends on the field's CASESENSITIVE).
type TagValue struct {
	Text string
	Kind TagKind
	// Words is set when the value was written as several words without
	// escaped spaces (`{big data}`): the case-folded words, which Text joins
	// with single spaces. FT.EXPLAIN prints them as an INTERSECT.
	Words []string
}

// TagKind says how a tag value matches.
type TagKind uint8

const (
	TagExact TagKind = iota
	TagPrefix
	TagSuffix
	TagInfix
)

// Tag is `@field:{a | b*}`: documents having any of the values.
type Tag struct {
	Base
	Field  string
	Values []TagValue
}

// VectorParam is one raw query-time parameter of a vector clause, as the
// module hands it to the vector library: Name as written (case kept, matched
// case-insensitively), Value with any $param resolved. A KNN clause lists the
// `[KNN … NAME value …]` pairs first, then the vector attributes of its
// `=>{$EF_RUNTIME: …}` block, in order; FT.EXPLAIN prints them so.
type VectorParam struct {
	Name, Value string
}

// VectorKNN is `filter=>[KNN k @field $blob …]`: the K nearest documents, by
// the field's distance to the query vector, among those the filter matches.
// It is always the root of the tree.
//
// The runtime fields (EFRuntime … UseSearchHistory) are zero after Parse:
// the module checks them against the field's algorithm only when it builds
// the iterator, after the filter matched something, so the engine calls
// Resolve there, which fills them from Params.
type VectorKNN struct {
	Base
	Field string // without @, unescaped
	// K is the number of neighbours: the literal, or the $param resolved (a
	// plain non-negative integer). KNN 0, and $K set to "", give 0: the
	// module answers [0].
	K         int
	Blob      string // the query vector's bytes ($param resolved)
	BlobParam string // the param's name, for FT.EXPLAIN
	// ScoreAlias is the distance field's name from `AS name` or
	// $YIELD_DISTANCE_AS, "" when neither was given (ScoreField then
	// gives the module's default, __<field>_score).
	ScoreAlias string

	EFRuntime        int
	HasEFRuntime     bool
	Epsilon          float64
	HasEpsilon       bool
	HybridPolicy     string // "" | "ADHOC_BF" | "BATCHES"
	BatchSize        int
	HasBatchSize     bool
	WSSearch         int // SVS-VAMANA's WS_SEARCH
	HasWSSearch      bool
	UseSearchHistory string // SVS-VAMANA's USE_SEARCH_HISTORY: "" | "ON" | "OFF" | "AUTO"

	// ShardKRatio is $SHARD_K_RATIO (0 < r ≤ 1): the share of K each shard
	// returns to the coordinator; 1 when not given.
	ShardKRatio float64

	Params []VectorParam

	// Filter is the part before =>: a *Wildcard for `*` (or `(*)`), nil when
	// it vanished (a filter of stop words only), which the module treats as
	// `*` too. Any other node makes the query hybrid.
	Filter Node

	yieldAs  string // $YIELD_DISTANCE_AS, merged with the AS alias after parsing
	hasYield bool
}

// ScoreField is the name the distance is yielded under: the alias, or the
// module's default `__<field>_score`.
func (v *VectorKNN) ScoreField() string {
	if v.ScoreAlias != "" {
		return v.ScoreAlias
	}
	return defaultScoreField(v.Field)
}

// Hybrid says whether the query has a filter (the vector library's hybrid
// query type, for which HYBRID_POLICY and BATCH_SIZE are valid).
func (v *VectorKNN) Hybrid() bool {
	if v.Filter == nil {
		return false
	}
	_, star := v.Filter.(*Wildcard)
	return !star
}

// VectorRange is `@field:[VECTOR_RANGE radius $blob]`, with its attributes
// `=>{$YIELD_DISTANCE_AS: d; $EPSILON: e}`: the documents whose distance to
// the query vector is at most Radius. Epsilon (and the other runtime
// parameters) are filled by Resolve, as for VectorKNN.
type VectorRange struct {
	Base
	Field      string
	Radius     float64
	Blob       string
	BlobParam  string
	ScoreAlias string // $YIELD_DISTANCE_AS; "" yields no distance field
	Epsilon    float64
	HasEpsilon bool
	Params     []VectorParam
}

func defaultScoreField(field string) string { return "__" + field + "_score" }
