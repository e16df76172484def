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
	HasInOrder bool // $inorder was given
}

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
}

// Wildcard is `*` alone: every document.
type Wildcard struct{ Base }

// Empty matches nothing: a query left empty once stop words are dropped, an
// empty string, or a field modifier naming no field (DIALECT 1).
type Empty struct{ Base }

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
