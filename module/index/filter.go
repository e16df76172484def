package index

import (
	"github.com/miniredis-search/miniredis-search/module/expr"
)

// FT.CREATE ... FILTER <expression>: the index rule's filter, as the module
// has it (src/rules.c, src/spec.c):
//
//   - The expression is parsed when the rule is built, after the options and
//     before SCHEMA's fields (SchemaRule_Create). A parse error fails
//     FT.CREATE with the parser's own message ("Syntax error at offset N near
//     'T'", "Unknown function name 'f'", ...): the "Invalid expression" the
//     rule code sets afterwards does not replace an error already set.
//   - A key that matches a prefix is indexed only when the filter evaluates
//     to a true value (SchemaRule_FilterPasses: evaluation OK and
//     RSValue_BoolTest). False, or an evaluation error, means "do not
//     index", and a write that makes the filter fail removes the document
//     (SpecOp_Del). Writes and the initial scan of FT.CREATE / FT.ALTER
//     (SchemaRule_ShouldIndex) apply the same test; a rejected key is not an
//     indexing failure. (Before 8.2's MOD-14340 backport, PR #8601, an
//     evaluation error on a write still indexed the document.)
//   - The filter runs in the module's index mode (EVAL_MODE_INDEX, 8.2's
//     MOD-14342 backport, PR #8662; see expr.EvalIndex): a comparison or
//     && / || with a missing property as operand is false rather than an
//     error, so "@a == 1 || @b == 2" admits a hash without a.
//   - Properties are read from the document (RLookup_LoadRuleFields): a property
//     that names a schema attribute, by its alias or its identifier, reads
//     the attribute's hash field; any other property reads the hash field of
//     its own name; `__key` without such a hash field is the key's name.
//     Each index resolves the properties with its own schema (8.2's
//     MOD-14339 backport, PR #8600: indexes with the same alias over
//     different fields no longer share what was loaded).
//     Values are strings, as stored: the expression converts them where it
//     compares or computes with numbers.

// CompileFilter parses the FILTER expression (FilterSrc), once.
func (sp *Spec) CompileFilter() error {
	if sp.Filter != nil {
		return nil
	}
	e, err := expr.Parse(sp.FilterSrc)
	if err != nil {
		return Error(err.Error())
	}
	sp.Filter = e
	return nil
}

// ResolveFilterPaths maps the properties the filter reads to hash fields
// once the schema is known (the module's SchemaRule_FilterFields, which runs
// at FT.CREATE only: attributes FT.ALTER adds later are not consulted, so a
// property then reads the hash field of its own name).
func (sp *Spec) ResolveFilterPaths() {
	if sp.Filter == nil {
		return
	}
	sp.filterPaths = map[string]string{}
	for _, p := range sp.Filter.Properties() {
		for _, f := range sp.Fields {
			if f.Name == p || f.Path == p {
				sp.filterPaths[p] = f.Path
				break
			}
		}
	}
}

// Admits reports whether the index's filter accepts the document stored
// at key (true without a filter).
func (sp *Spec) Admits(key string, doc Document) bool {
	if sp.Filter == nil {
		return true
	}
	v, err := sp.Filter.EvalIndex(filterEnv{sp: sp, key: key, doc: doc})
	return err == nil && v.Truthy()
}

// filterEnv is what a filter reads while it is evaluated for one document.
type filterEnv struct {
	sp  *Spec
	key string
	doc Document
}

func (e filterEnv) Get(name string) (expr.Value, bool) {
	path := name
	if p, ok := e.sp.filterPaths[name]; ok {
		path = p
	}
	if v, ok := docString(e.doc, path); ok {
		return expr.String(v), true
	}
	if path == "__key" {
		return expr.String(e.key), true
	}
	return expr.Value{}, false
}

// Param: an index filter has no PARAMS; "$x" fails, so the key is not
// indexed.
func (filterEnv) Param(string) (expr.Value, bool) { return expr.Value{}, false }

func (filterEnv) MatchedTerms() []string { return nil }
