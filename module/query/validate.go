package query

// validate is what 8.2 checks on a parsed tree once its parameters are
// resolved (QAST_CheckIsValid): a numeric range whose min is above its max
// fails the query, and so does an empty term asked of fields that do not
// index empty values. 2.10 has no such checks, so Compat210 skips them;
// DIALECT 1 (which has no empty terms) is left alone as well. Equal bounds
// are fine even when both are exclusive (`[(5 (5]` matches nothing but is no
// error).
func validate(n Node, opts Options) *Error {
	if opts.Dialect < 2 || opts.Compat210 {
		return nil
	}
	v := validator{schema: opts.Schema}
	if es, ok := opts.Schema.(EmptyValueSchema); ok {
		v.checkEmpty = es.HasNonEmpty()
	}
	v.walk(n)
	return v.err
}

// errEmptyValue is 8.2's QueryNode_ValidateToken error.
const errEmptyValue = "Use `INDEXEMPTY` in field creation in order to index and query for empty strings"

// validator walks the tree depth first, children in order, as
// QueryNode_CheckIsValid does, keeping the first error.
type validator struct {
	schema Schema
	// checkEmpty: some TEXT or TAG field of the index does not index empty
	// values (Index_HasNonEmpty); otherwise empty terms are not checked.
	checkEmpty bool
	// isTag and tagEmpty are the module's QueryNode_IsTag and
	// QueryNode_IndexesEmpty flags, which it sets on the search options
	// when it meets a tag clause and never clears: every empty term met
	// afterwards, in a tag clause or not, is judged by them.
	isTag, tagEmpty bool
	err             *Error
}

func (v *validator) fail(e *Error) {
	if v.err == nil {
		v.err = e
	}
}

func (v *validator) walk(n Node) {
	if v.err != nil {
		return
	}
	switch x := n.(type) {
	case *Numeric:
		if x.Min > x.Max {
			v.fail(newError("Invalid numeric range (min > max): @%s:[%s %s]", x.Field, formatF(x.Min), formatF(x.Max)))
		}
	case *Term:
		if x.Text == "" && v.checkEmpty && !v.indexesEmpty(x.Fields) {
			v.fail(newError("%s", errEmptyValue))
		}
	case *Tag:
		v.isTag = true
		if v.schema != nil {
			if fi, ok := v.schema.Field(x.Field); ok && fi.IndexEmpty {
				v.tagEmpty = true
			}
		}
		// The tag's values are its token children.
		for _, val := range x.Values {
			if val.Kind != TagExact || !v.checkEmpty || v.tagEmpty {
				continue
			}
			empty := val.Text == ""
			for _, w := range val.Words {
				empty = empty || w == ""
			}
			if empty {
				v.fail(newError("%s", errEmptyValue))
			}
		}
	case *Intersect:
		for _, c := range x.Children {
			v.walk(c)
		}
	case *Union:
		for _, c := range x.Children {
			v.walk(c)
		}
	case *Not:
		v.walk(x.Child)
	case *Optional:
		v.walk(x.Child)
	case *VectorKNN:
		if x.Filter != nil {
			v.walk(x.Filter)
		}
	}
}

// indexesEmpty is QueryNode_DoesIndexEmpty for a term: after a tag clause,
// the tag flags decide; a term on every field passes; otherwise one of the
// TEXT fields of its mask must index empty values, and a mask naming no
// TEXT field passes (the module keeps it for backward compatibility).
func (v *validator) indexesEmpty(m FieldMask) bool {
	if v.isTag {
		return v.tagEmpty
	}
	if m == AllFields || v.schema == nil {
		return true
	}
	found := false
	for bit := 0; bit < 64; bit++ {
		if m&(FieldMask(1)<<uint(bit)) == 0 {
			continue
		}
		name := v.schema.TextFieldName(bit)
		if name == "" {
			continue
		}
		found = true
		if fi, ok := v.schema.Field(name); ok && fi.IndexEmpty {
			return true
		}
	}
	return !found
}
