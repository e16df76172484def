package module

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/resp"
)

// FieldType is the type of a schema field.
type FieldType uint8

// Field types (VECTOR and GEOSHAPE are not emulated).
const (
	FieldText FieldType = iota + 1
	FieldTag
	FieldNumeric
	FieldGeo
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
	}
	return "?"
}

// Field is one attribute of an index schema.
type Field struct {
	Path string // the hash field ("identifier")
	Name string // the attribute name queries use (AS alias, else Path)
	Type FieldType

	Weight        float64 // TEXT
	NoStem        bool    // TEXT
	Separator     byte    // TAG
	CaseSensitive bool    // TAG
	Sortable      bool
	UNF           bool
	NoIndex       bool
	SuffixTrie    bool
	IndexEmpty    bool
	IndexMissing  bool

	pos     int // position in the schema
	textBit int // TEXT: bit in a field mask, else -1
	sortIdx int // SORTABLE: slot in a document's sort vector, else -1
}

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
	Stopwords       *text.Stopwords
	CustomStopwords bool
	Fields          []*Field

	// Filter is the FILTER expression (nil without one); FilterSrc is its
	// text as given, which FT.INFO shows.
	Filter    *expr.Expr
	FilterSrc string
	// filterPaths maps each property the filter reads to the hash field it
	// loads, fixed at FT.CREATE (see resolveFilterPaths).
	filterPaths map[string]string

	numText     int
	numSortable int
}

// Errors of FT.CREATE / FT.ALTER, worded as the module words them.
const (
	errNoSchema        = "No schema found"
	errFieldsMissing   = "Fields arguments are missing"
	errInvalidScore    = "Invalid score"
	errInvalidLanguage = "Invalid language"
	errIndexExists     = "Index already exists"
	errDB0Only         = "Cannot create index on db != 0"
	errTooManyText     = "Schema is limited to 32 TEXT fields"
	errTooManyText64   = "Schema is limited to 64 TEXT fields"
	errFilterNoArg     = "Bad arguments for FILTER: Expected an argument, but none provided"
)

// maxTextFields is the TEXT field limit without MAXTEXTFIELDS (the real
// module's 32) and with it (64 here; the real module allows 128).
const (
	maxTextFields     = 32
	maxTextFieldsWide = 64
)

// argCursor walks command arguments.
type argCursor struct {
	args [][]byte
	i    int
}

func (c *argCursor) done() bool      { return c.i >= len(c.args) }
func (c *argCursor) left() int       { return len(c.args) - c.i }
func (c *argCursor) peek() []byte    { return c.args[c.i] }
func (c *argCursor) next() []byte    { a := c.args[c.i]; c.i++; return a }
func (c *argCursor) nextStr() string { return string(c.next()) }

// is reports whether the current argument is the keyword (any case) and
// consumes it if so.
func (c *argCursor) is(kw string) bool {
	if c.done() || !resp.EqualFold(c.args[c.i], kw) {
		return false
	}
	c.i++
	return true
}

func unknownArg(a []byte) error { return fmt.Errorf("Unknown argument `%s`", a) }

// ParseCreate parses FT.CREATE's arguments after the index name.
func ParseCreate(name string, args [][]byte) (*Spec, error) {
	sp := &Spec{Name: name, Language: text.English, DefaultScore: 1, Stopwords: text.DefaultStopwords()}
	c := &argCursor{args: args}
	hasFilter := false
	for !c.done() {
		a := c.peek()
		switch {
		case c.is("SCHEMA"):
			// The module builds the rule (and parses FILTER) once the
			// options are read, before it looks at SCHEMA's fields.
			if err := sp.compileFilter(hasFilter); err != nil {
				return nil, err
			}
			if c.done() {
				return nil, errorString(errFieldsMissing)
			}
			if err := sp.parseFields(c, false); err != nil {
				return nil, err
			}
			if len(sp.Prefixes) == 0 {
				sp.Prefixes = []string{""}
			}
			sp.resolveFilterPaths()
			return sp, nil
		case c.is("ON"):
			if c.done() {
				return nil, errorString("Missing argument for ON")
			}
			t := c.next()
			if resp.EqualFold(t, "JSON") {
				return nil, errorString("JSON indexes are not supported: only ON HASH is emulated")
			}
			if !resp.EqualFold(t, "HASH") {
				return nil, fmt.Errorf("Unknown index type `%s`", t)
			}
		case c.is("PREFIX"):
			n, err := countArg(c, "PREFIX")
			if err != nil {
				return nil, err
			}
			for ; n > 0; n-- {
				sp.Prefixes = append(sp.Prefixes, c.nextStr())
			}
		case c.is("FILTER"):
			if c.done() {
				return nil, errorString(errFilterNoArg)
			}
			// A repeated FILTER replaces the earlier one, as the module's
			// option parser does.
			sp.FilterSrc, hasFilter = c.nextStr(), true
		case c.is("LANGUAGE"):
			if c.done() {
				return nil, errorString(errInvalidLanguage)
			}
			l, ok := text.ParseLanguage(c.nextStr())
			if !ok {
				return nil, errorString(errInvalidLanguage)
			}
			sp.Language = l
		case c.is("LANGUAGE_FIELD"):
			if c.done() {
				return nil, errorString("Missing argument for LANGUAGE_FIELD")
			}
			sp.LanguageField = c.nextStr()
		case c.is("SCORE"):
			if c.done() {
				return nil, errorString(errInvalidScore)
			}
			f, ok := resp.ParseFloat(c.next())
			if !ok || f < 0 || f > 1 {
				return nil, errorString(errInvalidScore)
			}
			sp.DefaultScore = f
		case c.is("SCORE_FIELD"):
			if c.done() {
				return nil, errorString("Missing argument for SCORE_FIELD")
			}
			sp.ScoreField = c.nextStr()
		case c.is("PAYLOAD_FIELD"):
			if c.done() {
				return nil, errorString("Missing argument for PAYLOAD_FIELD")
			}
			sp.PayloadField = c.nextStr()
		case c.is("MAXTEXTFIELDS"):
			sp.MaxTextFields = true
		case c.is("TEMPORARY"):
			if c.done() {
				return nil, errorString("Missing argument for TEMPORARY")
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < 0 {
				return nil, errorString("Bad arguments for TEMPORARY: Could not convert argument to expected type")
			}
			sp.Temporary = n
		case c.is("NOOFFSETS"):
			sp.NoOffsets = true
			sp.NoHL = true
		case c.is("NOHL"):
			sp.NoHL = true
		case c.is("NOFIELDS"):
			sp.NoFields = true
		case c.is("NOFREQS"):
			sp.NoFreqs = true
		case c.is("SKIPINITIALSCAN"):
			sp.SkipInitialScan = true
		case c.is("INDEXALL"):
			if c.done() || !(c.is("ENABLE") || c.is("DISABLE")) {
				return nil, errorString("INDEXALL requires ENABLE or DISABLE")
			}
		case c.is("STOPWORDS"):
			n, err := countArg(c, "STOPWORDS")
			if err != nil {
				return nil, err
			}
			words := make([]string, 0, n)
			for ; n > 0; n-- {
				words = append(words, c.nextStr())
			}
			sp.Stopwords = text.NewStopwords(words)
			sp.CustomStopwords = true
		default:
			// The option parser stops at an unknown word; the rule (and
			// its FILTER) is built before the word is reported.
			if err := sp.compileFilter(hasFilter); err != nil {
				return nil, err
			}
			return nil, unknownArg(a)
		}
	}
	if err := sp.compileFilter(hasFilter); err != nil {
		return nil, err
	}
	return nil, errorString(errNoSchema)
}

// countArg reads the count of a counted list and checks that many arguments follow.
func countArg(c *argCursor, what string) (int, error) {
	if c.done() {
		return 0, fmt.Errorf("Bad arguments for %s: Expected an argument, but none provided", what)
	}
	n, ok := resp.ParseInt(c.next())
	if !ok || n < 0 {
		return 0, fmt.Errorf("Bad arguments for %s: Could not convert argument to expected type", what)
	}
	if int64(c.left()) < n {
		return 0, fmt.Errorf("Bad arguments for %s: Expected an argument, but none provided", what)
	}
	return int(n), nil
}

// parseFields reads `name [AS alias] TYPE [options]…` until the arguments
// end. alter is FT.ALTER SCHEMA ADD (fields are appended to a live spec).
func (sp *Spec) parseFields(c *argCursor, alter bool) error {
	added := 0
	for !c.done() {
		f := &Field{Path: c.nextStr(), Weight: 1, Separator: ',', textBit: -1, sortIdx: -1}
		f.Name = f.Path
		if c.is("AS") {
			if c.done() {
				return errorString("Missing argument for AS")
			}
			f.Name = c.nextStr()
		}
		if c.done() {
			return fmt.Errorf("Field `%s` does not have a type", f.Name)
		}
		typ := c.next()
		switch {
		case resp.EqualFold(typ, "TEXT"):
			f.Type = FieldText
		case resp.EqualFold(typ, "TAG"):
			f.Type = FieldTag
		case resp.EqualFold(typ, "NUMERIC"):
			f.Type = FieldNumeric
		case resp.EqualFold(typ, "GEO"):
			f.Type = FieldGeo
		case resp.EqualFold(typ, "VECTOR"), resp.EqualFold(typ, "GEOSHAPE"):
			return fmt.Errorf("Field type %s of field `%s` is not supported by this emulation", strings.ToUpper(string(typ)), f.Name)
		default:
			return fmt.Errorf("Invalid field type for field `%s`", f.Name)
		}
		if err := f.parseOptions(c); err != nil {
			return err
		}
		if sp.field(f.Name) != nil {
			return fmt.Errorf("Duplicate field in schema - %s", f.Name)
		}
		if f.Type == FieldText {
			limit := maxTextFields
			if sp.MaxTextFields {
				limit = maxTextFieldsWide
			}
			if sp.numText >= limit {
				if sp.MaxTextFields {
					return errorString(errTooManyText64)
				}
				return errorString(errTooManyText)
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
		added++
	}
	if added == 0 {
		return errorString(errFieldsMissing)
	}
	return nil
}

// parseOptions reads a field's options, which end at the next field's name.
func (f *Field) parseOptions(c *argCursor) error {
	for !c.done() {
		switch {
		case c.is("SORTABLE"):
			f.Sortable = true
			if f.Type == FieldNumeric || f.Type == FieldGeo {
				f.UNF = true
			}
			if c.is("UNF") {
				f.UNF = true
			}
		case c.is("NOINDEX"):
			f.NoIndex = true
		case c.is("INDEXMISSING"):
			f.IndexMissing = true
		case f.Type == FieldText && c.is("NOSTEM"):
			f.NoStem = true
		case f.Type == FieldText && c.is("WEIGHT"):
			if c.done() {
				return errorString("Missing argument for WEIGHT")
			}
			w, ok := resp.ParseFloat(c.next())
			if !ok || w < 0 {
				return errorString("Could not parse field weight")
			}
			f.Weight = w
		case f.Type == FieldText && c.is("PHONETIC"):
			if c.done() {
				return errorString("Missing argument for PHONETIC")
			}
			return errorString("PHONETIC matching is not supported by this emulation")
		case (f.Type == FieldText || f.Type == FieldTag) && c.is("WITHSUFFIXTRIE"):
			f.SuffixTrie = true
		case (f.Type == FieldText || f.Type == FieldTag) && c.is("INDEXEMPTY"):
			f.IndexEmpty = true
		case f.Type == FieldTag && c.is("SEPARATOR"):
			if c.done() {
				return errorString("Missing argument for SEPARATOR")
			}
			sep := c.next()
			if len(sep) != 1 {
				return fmt.Errorf("Tag separator must be a single character. Got `%s`", sep)
			}
			f.Separator = sep[0]
		case f.Type == FieldTag && c.is("CASESENSITIVE"):
			f.CaseSensitive = true
		default:
			return nil
		}
	}
	return nil
}

// field finds a field by attribute name.
func (sp *Spec) field(name string) *Field {
	for _, f := range sp.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// textField returns the TEXT field with that bit.
func (sp *Spec) textField(bit int) *Field {
	for _, f := range sp.Fields {
		if f.textBit == bit {
			return f
		}
	}
	return nil
}

// stemmable is the mask of the TEXT fields that are stemmed.
func (idx *Index) stemmable() uint64 {
	var m uint64
	for _, f := range idx.spec.Fields {
		if f.Type == FieldText && !f.NoStem {
			m |= 1 << uint(f.textBit)
		}
	}
	return m
}

// matches reports whether a key belongs to the index.
func (sp *Spec) matches(key string) bool {
	for _, p := range sp.Prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// formatWeight renders a weight as FT.INFO does ("1", "2", "0.5").
func formatWeight(w float64) string { return strconv.FormatFloat(w, 'g', -1, 64) }

// errorString is an error whose text is the reply.
type errorString string

func (e errorString) Error() string { return string(e) }
