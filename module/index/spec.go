package index

import (
	"fmt"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
)

// FieldType is the type of a schema field.
type FieldType uint8

// Field types.
const (
	FieldText FieldType = iota + 1
	FieldTag
	FieldNumeric
	FieldGeo
	FieldVector
	FieldGeoShape
)

func (t FieldType) String() string {
	switch t {
	case FieldText:
		return "TEXT"
	case FieldTag:
		return "TAG"
	case FieldNumeric:
		return "NUMERIC"
	case FieldGeo:
		return "GEO"
	case FieldVector:
		return "VECTOR"
	case FieldGeoShape:
		return "GEOSHAPE"
	}
	return "?"
}

// Field is one attribute of an index schema. NewField gives one with the
// module's defaults; Spec.AddField places it in the schema.
type Field struct {
	Path string // where a document holds the value (a hash field)
	Name string // the attribute name queries use (AS alias, else Path)
	Type FieldType

	Weight        float64 // TEXT
	NoStem        bool    // TEXT
	Phonetic      string  // TEXT: the PHONETIC matcher ("dm:en" …), "" for none
	Separator     byte    // TAG
	CaseSensitive bool    // TAG
	Sortable      bool
	UNF           bool
	NoIndex       bool
	SuffixTrie    bool
	IndexEmpty    bool
	IndexMissing  bool
	Vector        *vecsim.Params // VECTOR: the algorithm and its parameters
	Coords        CoordSystem    // GEOSHAPE

	pos     int // position in the schema
	textBit int // TEXT: bit in a field mask, else -1
	sortIdx int // SORTABLE: slot in a document's sort vector, else -1
}

// NewField is a field of the given path, name and type with the module's
// defaults (weight 1, separator ','), not yet in a schema.
func NewField(path, name string, typ FieldType) *Field {
	return &Field{Path: path, Name: name, Type: typ, Weight: 1, Separator: ',', pos: -1, textBit: -1, sortIdx: -1}
}

// Pos is the field's position in its schema.
func (f *Field) Pos() int { return f.pos }

// TextBit is a TEXT field's bit in a field mask, -1 for other types.
func (f *Field) TextBit() int { return f.textBit }

// SortIdx is a SORTABLE field's slot among a document's sort values, -1
// when the field is not SORTABLE.
func (f *Field) SortIdx() int { return f.sortIdx }

// Spec is an index definition: what FT.CREATE (and FT.ALTER) said.
type Spec struct {
	Name            string
	Prefixes        []string
	Language        text.Language
	LanguageField   string
	DefaultScore    float64
	ScoreField      string
	PayloadField    string
	MaxTextFields   bool
	Temporary       int64 // seconds, 0 when not temporary
	NoOffsets       bool
	NoHL            bool
	NoFields        bool
	NoFreqs         bool
	SkipInitialScan bool
	// OnJSON: the index covers JSON documents (ON JSON), whose fields are
	// JSONPaths and whose values are typed; else hashes.
	OnJSON          bool
	Stopwords       *text.Stopwords
	CustomStopwords bool
	Fields          []*Field
	// Synonyms are the index's synonym groups (FT.SYNUPDATE), nil until the
	// first update.
	Synonyms *SynonymMap

	// Filter is the FILTER expression (nil without one); FilterSrc is its
	// text as given, which FT.INFO shows.
	Filter    *expr.Expr
	FilterSrc string
	// filterPaths maps each property the filter reads to the document path
	// it loads, fixed when the schema is first complete (see
	// ResolveFilterPaths).
	filterPaths map[string]string

	numText     int
	numSortable int
}

// NewSpec is a spec with the module's defaults: English, default score 1,
// the default stop words, no fields yet.
func NewSpec(name string) *Spec {
	return &Spec{Name: name, Language: text.English, DefaultScore: 1, Stopwords: text.DefaultStopwords()}
}

// Schema errors, worded as the module words them.
const (
	errTooManyText   = "Schema is limited to 32 TEXT fields"
	errTooManyText64 = "Schema is limited to 64 TEXT fields"
)

// The TEXT field limit without MAXTEXTFIELDS (the real module's 32) and
// with it (64 here; the real module allows 128).
const (
	maxTextFields     = 32
	maxTextFieldsWide = 64
)

// Error is an error whose text is the module's reply.
type Error string

func (e Error) Error() string { return string(e) }

// AddField appends a field to the schema, giving it its position, its
// TEXT bit and its sort slot; a duplicate name or one TEXT field too many
// is refused with the module's error.
func (sp *Spec) AddField(f *Field) error {
	if sp.Field(f.Name) != nil {
		return fmt.Errorf("Duplicate field in schema - %s", f.Name)
	}
	f.textBit, f.sortIdx = -1, -1
	if f.Type == FieldText {
		limit := maxTextFields
		if sp.MaxTextFields {
			limit = maxTextFieldsWide
		}
		if sp.numText >= limit {
			if sp.MaxTextFields {
				return Error(errTooManyText64)
			}
			return Error(errTooManyText)
		}
		f.textBit = sp.numText
		sp.numText++
	}
	if f.Sortable {
		f.sortIdx = sp.numSortable
		sp.numSortable++
	}
	f.pos = len(sp.Fields)
	sp.Fields = append(sp.Fields, f)
	return nil
}

// Field finds a field by attribute name.
func (sp *Spec) Field(name string) *Field {
	for _, f := range sp.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// FieldByNameOrPath finds a field by attribute name, else by path.
func (sp *Spec) FieldByNameOrPath(name string) *Field {
	if f := sp.Field(name); f != nil {
		return f
	}
	for _, f := range sp.Fields {
		if f.Path == name {
			return f
		}
	}
	return nil
}

// TextField returns the TEXT field with that bit.
func (sp *Spec) TextField(bit int) *Field {
	for _, f := range sp.Fields {
		if f.textBit == bit {
			return f
		}
	}
	return nil
}

// NumSortable is the number of SORTABLE fields (a document's sort values).
func (sp *Spec) NumSortable() int { return sp.numSortable }

// stemmable is the mask of the TEXT fields that are stemmed.
func (sp *Spec) stemmable() uint64 {
	var m uint64
	for _, f := range sp.Fields {
		if f.Type == FieldText && !f.NoStem {
			m |= 1 << uint(f.textBit)
		}
	}
	return m
}

// Matches reports whether a key belongs to the index (one of its prefixes).
func (sp *Spec) Matches(key string) bool {
	for _, p := range sp.Prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// QuerySchema shows the spec to the query parser and FT.EXPLAIN.
func (sp *Spec) QuerySchema() query.Schema { return schemaView{sp} }

// schemaView shows a spec to the query parser.
type schemaView struct{ sp *Spec }

func (s schemaView) Field(name string) (query.FieldInfo, bool) {
	f := s.sp.Field(name)
	if f == nil {
		return query.FieldInfo{}, false
	}
	fi := query.FieldInfo{TextBit: f.textBit, CaseSensitive: f.CaseSensitive, IndexEmpty: f.IndexEmpty,
		IndexMissing: f.IndexMissing}
	switch f.Type {
	case FieldText:
		fi.Type = query.TextField
	case FieldTag:
		fi.Type = query.TagField
	case FieldNumeric:
		fi.Type = query.NumericField
	case FieldGeo:
		fi.Type = query.GeoField
	case FieldVector:
		fi.Type = query.VectorField
	case FieldGeoShape:
		fi.Type = query.GeoShapeField
	}
	return fi, true
}

// HasNonEmpty reports whether a TEXT or TAG field of the index does not
// index empty values (8.2's Index_HasNonEmpty, set as FT.CREATE parses the
// schema): only then does a query check its empty terms.
func (s schemaView) HasNonEmpty() bool {
	for _, f := range s.sp.Fields {
		if (f.Type == FieldText || f.Type == FieldTag) && !f.IndexEmpty {
			return true
		}
	}
	return false
}

func (s schemaView) TextFieldName(bit int) string {
	if f := s.sp.TextField(bit); f != nil {
		return f.Name
	}
	return ""
}
