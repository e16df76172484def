package module

import (
	"fmt"
	"strconv"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/resp"
)

// Errors of FT.CREATE / FT.ALTER, worded as the module words them.
const (
	errNoSchema        = "No schema found"
	errFieldsMissing   = "Fields arguments are missing"
	errInvalidScore    = "Invalid score"
	errInvalidLanguage = "Invalid language"
	errIndexExists     = "Index already exists"
	errDB0Only         = "Cannot create index on db != 0"
	errFilterNoArg     = "Bad arguments for FILTER: Expected an argument, but none provided"
)

// argCursor walks command arguments.
type argCursor struct {
	args [][]byte
	i    int
	// cstr: the module reads these arguments as C strings (FT.CREATE
	// copies argv to char*), not as Redis strings (FT.ALTER): numbers
	// parse with strtoll/strtod instead of string2ll/string2d.
	cstr bool
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

// ParseCreate parses FT.CREATE's arguments after the index name, the JSON
// module loaded.
func ParseCreate(name string, args [][]byte) (*index.Spec, error) {
	return parseCreate(name, args, true)
}

// parseCreate is ParseCreate; jsonLoaded says whether the JSON module's API
// was found (without it, ON JSON is refused as the module refuses a rule
// type it does not know: "Invalid rule type: JSON", as given).
func parseCreate(name string, args [][]byte, jsonLoaded bool) (*index.Spec, error) {
	sp := index.NewSpec(name)
	c := &argCursor{args: args, cstr: true}
	hasFilter := false
	var jsonType []byte // ON JSON's word, as given
	// rule is where the module builds the index's rule (SchemaRule_Create,
	// once the options are read): an unknown type, then the FILTER.
	rule := func() error {
		if jsonType != nil && !jsonLoaded {
			return fmt.Errorf("Invalid rule type: %s", jsonType)
		}
		return compileFilter(sp, hasFilter)
	}
	for !c.done() {
		a := c.peek()
		switch {
		case c.is("SCHEMA"):
			// The module builds the rule (and parses FILTER) once the
			// options are read, before it looks at SCHEMA's fields.
			if err := rule(); err != nil {
				return nil, err
			}
			if c.done() {
				return nil, errorString(errFieldsMissing)
			}
			if err := parseFields(sp, c); err != nil {
				return nil, err
			}
			if len(sp.Prefixes) == 0 {
				sp.Prefixes = []string{""}
			}
			sp.ResolveFilterPaths()
			return sp, nil
		case c.is("ON"):
			if c.done() {
				return nil, errorString("Missing argument for ON")
			}
			t := c.next()
			sp.OnJSON = resp.EqualFold(t, "JSON")
			jsonType = nil
			if sp.OnJSON {
				jsonType = t
			} else if !resp.EqualFold(t, "HASH") {
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
			if err := rule(); err != nil {
				return nil, err
			}
			return nil, unknownArg(a)
		}
	}
	if err := rule(); err != nil {
		return nil, err
	}
	return nil, errorString(errNoSchema)
}

// compileFilter parses the FILTER expression given to FT.CREATE, if any
// (the rules of index filters: module/index/filter.go).
func compileFilter(sp *index.Spec, given bool) error {
	if !given {
		return nil
	}
	return sp.CompileFilter()
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
// end, adding each field to the spec (FT.CREATE's SCHEMA, FT.ALTER's
// SCHEMA ADD).
func parseFields(sp *index.Spec, c *argCursor) error {
	added := 0
	for !c.done() {
		path := c.nextStr()
		name := path
		if c.is("AS") {
			if c.done() {
				return errorString("Missing argument for AS")
			}
			name = c.nextStr()
		}
		// The module refuses a name already in the schema before it
		// looks at the type.
		if sp.Field(name) != nil {
			return fmt.Errorf("Duplicate field in schema - %s", name)
		}
		if c.done() {
			return fmt.Errorf("Field `%s` does not have a type", name)
		}
		var typ index.FieldType
		t := c.next()
		switch {
		case resp.EqualFold(t, "TEXT"):
			typ = index.FieldText
		case resp.EqualFold(t, "TAG"):
			typ = index.FieldTag
		case resp.EqualFold(t, "NUMERIC"):
			typ = index.FieldNumeric
		case resp.EqualFold(t, "GEO"):
			typ = index.FieldGeo
		case resp.EqualFold(t, "VECTOR"):
			// A vector field takes no option but INDEXMISSING, right after
			// its parameters: a SORTABLE or NOINDEX there is read as the
			// next field's name (parseFieldSpec returns early for vectors).
			f := index.NewField(path, name, index.FieldVector)
			if err := parseVectorField(f, c); err != nil {
				return err
			}
			if sp.OnJSON {
				// A path that is not static makes the field multi-value
				// (parseVectorField: multi = !pathIsSingle).
				if jp := compiledPath(path); jp != nil && !jp.Static() {
					f.Vector.Multi = true
				}
			}
			f.IndexMissing = c.is("INDEXMISSING")
			if err := sp.AddField(f); err != nil {
				return err
			}
			added++
			continue
		case resp.EqualFold(t, "GEOSHAPE"):
			f := index.NewField(path, name, index.FieldGeoShape)
			if err := parseGeoShapeField(f, c); err != nil {
				return err
			}
			if err := sp.AddField(f); err != nil {
				return err
			}
			added++
			continue
		default:
			return fmt.Errorf("Invalid field type for field `%s`", name)
		}
		f := index.NewField(path, name, typ)
		if sp.OnJSON && typ == index.FieldTag {
			// A JSON TAG field splits its strings only at a SEPARATOR
			// given (test_json.py testTagNoSeparetor; FT.INFO shows "").
			f.Separator = 0
		}
		if err := parseFieldOptions(f, c); err != nil {
			return err
		}
		if sp.OnJSON && typ == index.FieldText && f.Sortable {
			f.UNF = true // implicit on JSON (test_json.py testImplicitUNF)
		}
		if err := sp.AddField(f); err != nil {
			return err
		}
		added++
	}
	if added == 0 {
		return errorString(errFieldsMissing)
	}
	return nil
}

// parseFieldOptions reads a field's options, which end at the next field's
// name. The module reads them in two steps (parseFieldSpec): the type's own
// options (TEXT's and TAG's in any order, INDEXMISSING among them; NUMERIC
// and GEO take INDEXMISSING alone, right after the type), then SORTABLE
// [UNF] and NOINDEX; a word out of its step starts the next field. NOINDEX
// with INDEXMISSING is refused (the missing values would be indexed for
// nothing).
func parseFieldOptions(f *index.Field, c *argCursor) error {
	if err := parseFieldOptionSteps(f, c); err != nil {
		return err
	}
	return checkNoIndexMissing(f)
}

func checkNoIndexMissing(f *index.Field) error {
	if f.NoIndex && f.IndexMissing {
		return fmt.Errorf("'Field cannot be defined with both `NOINDEX` and `INDEXMISSING` `%s` '", f.Name)
	}
	return nil
}

func parseFieldOptionSteps(f *index.Field, c *argCursor) error {
	if f.Type == index.FieldNumeric || f.Type == index.FieldGeo {
		f.IndexMissing = c.is("INDEXMISSING")
	}
	late := false // SORTABLE or NOINDEX read: the type's own options are over
	for !c.done() {
		last := resp.EqualFold(c.peek(), "SORTABLE") || resp.EqualFold(c.peek(), "NOINDEX")
		if late && !last {
			return nil
		}
		late = late || last
		switch {
		case c.is("SORTABLE"):
			f.Sortable = true
			if f.Type == index.FieldNumeric || f.Type == index.FieldGeo {
				f.UNF = true
			}
			if c.is("UNF") {
				f.UNF = true
			}
		case c.is("NOINDEX"):
			f.NoIndex = true
		case (f.Type == index.FieldText || f.Type == index.FieldTag) && c.is("INDEXMISSING"):
			f.IndexMissing = true
		case f.Type == index.FieldText && c.is("NOSTEM"):
			f.NoStem = true
		case f.Type == index.FieldText && c.is("WEIGHT"):
			if c.done() {
				return errorString("Missing argument for WEIGHT")
			}
			w, ok := resp.ParseFloat(c.next())
			if !ok || w < 0 {
				return errorString("Could not parse field weight")
			}
			f.Weight = w
		case f.Type == index.FieldText && c.is("PHONETIC"):
			if c.done() {
				return errorString(errPhoneticNoArg)
			}
			m, ok := phoneticMatcher(c.next())
			if !ok {
				return errorString(errPhoneticMatcher)
			}
			f.Phonetic = m
		case (f.Type == index.FieldText || f.Type == index.FieldTag) && c.is("WITHSUFFIXTRIE"):
			f.SuffixTrie = true
		case (f.Type == index.FieldText || f.Type == index.FieldTag) && c.is("INDEXEMPTY"):
			f.IndexEmpty = true
		case f.Type == index.FieldTag && c.is("SEPARATOR"):
			if c.done() {
				return errorString("Missing argument for SEPARATOR")
			}
			sep := c.next()
			if len(sep) != 1 {
				return fmt.Errorf("Tag separator must be a single character. Got `%s`", sep)
			}
			f.Separator = sep[0]
		case f.Type == index.FieldTag && c.is("CASESENSITIVE"):
			f.CaseSensitive = true
		default:
			return nil
		}
	}
	return nil
}

// formatWeight renders a weight as FT.INFO does ("1", "2", "0.5").
func formatWeight(w float64) string { return strconv.FormatFloat(w, 'g', -1, 64) }

// errorString is an error whose text is the reply.
type errorString string

func (e errorString) Error() string { return string(e) }
