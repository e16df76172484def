package aggregate

import (
	"strings"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// Schema tells Check which properties the index defines: Field reports
// whether name is a schema attribute and whether it is SORTABLE (readable
// without loading).
type Schema interface {
	Field(name string) (inSchema, sortable bool)
}

// MapSchema is a Schema over a map from attribute name to SORTABLE.
type MapSchema map[string]bool

func (m MapSchema) Field(name string) (bool, bool) { s, ok := m[name]; return ok, s }

// MaxSampleSize is MAX_SAMPLE_SIZE (RANDOM_SAMPLE's largest size).
const MaxSampleSize = 1000

// lookup models the module's RLookup for one pipeline segment.
type lookup struct {
	keys      map[string]bool
	root      bool // the first lookup, backed by the index schema
	allLoaded bool
}

func (l *lookup) readable(name string, s Schema) bool {
	if l.keys[name] {
		return true
	}
	if !l.root || s == nil {
		return false
	}
	in, sortable := s.Field(name)
	if in && (sortable || l.allLoaded) {
		l.keys[name] = true
		return true
	}
	return false
}

// loadable is RLookup_GetKey_Load followed by the module's test for
// RLOOKUP_F_SCHEMASRC: only schema attributes of the first lookup load
// implicitly.
func (l *lookup) loadable(name string, s Schema) bool {
	if !l.root || s == nil {
		return false
	}
	in, _ := s.Field(name)
	if in {
		l.keys[name] = true
	}
	return in
}

// Check does the document-free part of AREQ_BuildPipeline, step by step in
// pipeline order, and returns its first error: GROUPBY properties, reducers
// (name, arguments, property lookups, duplicate names), SORTBY properties,
// APPLY/FILTER expressions (syntax, functions, properties) and LOAD
// placement and aliases. The module runs it after the query string is
// parsed, so a caller checks the query between Parse and Check. LANGUAGE
// and SCORER are checked by CheckContext, which comes before the query.
func (r *Request) Check(s Schema) error {
	cur := &lookup{keys: map[string]bool{}, root: true}
	for _, name := range r.Yields {
		cur.keys[name] = true
	}
	if r.AddScores {
		cur.keys["__score"] = true
	}
	for _, st := range r.Steps {
		switch st := st.(type) {
		case *GroupStep:
			next, err := checkGroup(st, cur, s)
			if err != nil {
				return err
			}
			cur = next
		case *ArrangeStep:
			if r.NoRows || !st.Sorted {
				continue
			}
			for _, k := range st.Keys {
				if !cur.readable(k.Name, s) && !cur.loadable(k.Name, s) {
					return errf("Property `%s` not loaded nor in schema", k.Name)
				}
			}
		case *ApplyStep, *FilterStep:
			src, alias := "", ""
			if a, ok := st.(*ApplyStep); ok {
				src, alias = a.Expr, a.Alias
			} else {
				src = st.(*FilterStep).Expr
			}
			e, err := expr.Parse(src)
			if err != nil {
				return &Error{Msg: err.Error()}
			}
			for _, p := range e.Properties() {
				if !cur.readable(p, s) {
					return errf("Property `%s` not loaded nor in pipeline", p)
				}
			}
			if alias != "" {
				cur.keys[alias] = true
			}
		case *LoadStep:
			if !cur.root {
				return errf("LOAD cannot be applied after projectors or reducers")
			}
			fields, err := st.Fields()
			if err != nil {
				return err
			}
			for _, f := range fields {
				cur.keys[f.Name] = true
			}
			if st.All {
				cur.allLoaded = true
			}
		}
	}
	return nil
}

func checkGroup(g *GroupStep, src *lookup, s Schema) (*lookup, error) {
	dst := &lookup{keys: map[string]bool{}}
	for _, p := range g.Properties {
		name := p[1:]
		if !src.readable(name, s) && !src.loadable(name, s) {
			return nil, errf("No such property `%s`", name)
		}
		if dst.keys[name] {
			return nil, errf("Property `%s` specified more than once", name)
		}
		dst.keys[name] = true
	}
	for _, red := range g.Reducers {
		if err := checkReducer(red, src, s); err != nil {
			return nil, err
		}
		if dst.keys[red.Alias] {
			return nil, errf("Property `%s` specified more than once", red.Alias)
		}
		dst.keys[red.Alias] = true
	}
	return dst, nil
}

// reducerNames is the module's registry (RDCR_XBUILTIN in reducer.c).
var reducerNames = []string{
	"COUNT", "SUM", "TOLIST", "MIN", "MAX", "AVG", "COUNT_DISTINCT", "COUNT_DISTINCTISH",
	"QUANTILE", "STDDEV", "FIRST_VALUE", "RANDOM_SAMPLE", "HLL", "HLL_SUM",
}

// ReducerKnown reports whether name is a registered reducer (any case).
func ReducerKnown(name string) bool {
	for _, n := range reducerNames {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func checkReducer(red Reducer, src *lookup, s Schema) error {
	if !ReducerKnown(red.Name) {
		return errf("No such reducer: %s", red.Name)
	}
	c := &cursor{args: red.Args}
	getKey := func() error {
		k, rc := c.getString()
		if rc != acOK {
			return errf("Missing arguments for %s", red.Name)
		}
		k = strings.TrimPrefix(k, "@")
		if !src.readable(k, s) && !src.loadable(k, s) {
			return errf("Property is not present in document or pipeline: `%s`", k)
		}
		return nil
	}
	switch strings.ToUpper(red.Name) {
	case "COUNT":
		if len(red.Args) != 0 {
			return errf("Count accepts 0 values only")
		}
	case "QUANTILE":
		if err := getKey(); err != nil {
			return err
		}
		pct, rc := c.getDouble(0)
		if rc != acOK {
			return badArgs("<quantile>", rc)
		}
		if !(pct >= 0 && pct <= 1) {
			return errf("Percentage must be between 0.0 and 1.0")
		}
		if !c.atEnd() {
			res, rc := c.getUnsigned(0)
			if rc != acOK {
				return badArgs("<resolution>", rc)
			}
			if res < 1 || res > MaxSampleSize {
				return errf("Invalid resolution")
			}
		}
	case "FIRST_VALUE":
		if err := getKey(); err != nil {
			return err
		}
		if c.advanceIf("BY") {
			if err := getKey(); err != nil {
				return err
			}
			if !c.advanceIf("ASC") {
				c.advanceIf("DESC")
			}
		}
		if !c.atEnd() {
			return errf("Unknown argument `%s` at position %d for %s", c.args[c.off], c.off, red.Name)
		}
	case "RANDOM_SAMPLE":
		if err := getKey(); err != nil {
			return err
		}
		n, rc := c.getUnsigned(0)
		if rc != acOK {
			return badArgs("<sample size>", rc)
		}
		if n > MaxSampleSize {
			return errf("Sample size too large")
		}
	default:
		return getKey()
	}
	return nil
}

// CheckContext is the part of AREQ_ApplyContext that needs no index data:
// LANGUAGE (known reports a supported language name) and SCORER (scorer
// reports a registered scoring function). It runs after Parse and before
// the query string is parsed. A nil function accepts everything.
func (r *Request) CheckContext(knownLanguage, knownScorer func(string) bool) error {
	if r.Language != "" && knownLanguage != nil && !knownLanguage(r.Language) {
		return errf("No such language")
	}
	if r.Scorer != "" && knownScorer != nil && !knownScorer(r.Scorer) {
		return errf("No such scorer %s", r.Scorer)
	}
	return nil
}
