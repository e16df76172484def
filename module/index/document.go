package index

import "strconv"

// Document is the engine's view of what it indexes: values found by a
// field's path. A hash is one implementation (every value is its field's
// string); a JSON document is another (values typed as JSON has them, a
// path may find several). The engine reads a document only while it
// indexes it, highlights it or evaluates an index FILTER on it.
type Document interface {
	// Value is what the document holds at path; ok is false when it holds
	// nothing there.
	Value(path string) (v Value, ok bool)
}

// ValueKind is the type of a document's value.
type ValueKind uint8

const (
	// KindText is a string: every value of a hash.
	KindText ValueKind = iota
	// KindNumber is a number (JSON).
	KindNumber
	// KindBool is true or false (JSON).
	KindBool
	// KindNull is JSON's null.
	KindNull
	// KindArray is a list of values (JSON arrays, or several matches of
	// one path).
	KindArray
	// KindObject is a JSON object (Items unset: no field type indexes one).
	KindObject
)

// Value is one value of a document.
type Value struct {
	Kind ValueKind
	Text string
	Num  float64
	Bool bool
	// Matches marks the array a path's several matches form (not a JSON
	// array of the document): a VECTOR field reads the two differently.
	Matches bool
	Items   []Value
}

// Text is a string value.
func Text(s string) Value { return Value{Kind: KindText, Text: s} }

// Number is a numeric value.
func Number(f float64) Value { return Value{Kind: KindNumber, Num: f} }

// String is the value as text: a string as it is, a number as JSON writes
// it, a boolean as true/false; ok is false for null and arrays.
func (v Value) String() (string, bool) {
	switch v.Kind {
	case KindText:
		return v.Text, true
	case KindNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64), true
	case KindBool:
		return strconv.FormatBool(v.Bool), true
	}
	return "", false
}

// jsonTypeName names a value's kind in indexing failures.
func (v Value) jsonTypeName() string {
	switch v.Kind {
	case KindText:
		return "String"
	case KindNumber:
		return "Number"
	case KindBool:
		return "Boolean"
	case KindNull:
		return "Null"
	case KindArray:
		return "Array"
	}
	return "Object"
}

// typeError is the indexing failure of a JSON value a field's type cannot
// index (the module's FieldSpec_CheckJsonType and JSON_StoreInDocField
// rules; the wording is ours).
func typeError(f *Field, v Value) string {
	return "Invalid JSON type: " + v.jsonTypeName() + " type can not be indexed as " + f.Type.String()
}

// fieldStrings appends what a TEXT, TAG or GEO field indexes of v to out:
// a string; for TAG a JSON boolean as "true"/"false"; the strings of an
// array (or of a path's several matches), nulls skipped. A null indexes
// nothing. ok is false for a value the field cannot index: a number, an
// object, an array holding anything but strings and nulls (the module's
// JSON_StoreTextInDocField), a boolean outside TAG.
func fieldStrings(f *Field, v Value, out []string) ([]string, bool) {
	switch v.Kind {
	case KindText:
		return append(out, v.Text), true
	case KindNull:
		return out, true
	case KindBool:
		if f.Type == FieldTag {
			return append(out, strconv.FormatBool(v.Bool)), true
		}
	case KindArray:
		for _, it := range v.Items {
			switch it.Kind {
			case KindText:
				out = append(out, it.Text)
			case KindNull:
			default:
				return out, false
			}
		}
		return out, true
	}
	return out, false
}

// firstString is the value a SORTABLE field of a multi-valued document
// sorts by: its first (the module compares multi-values by the first).
func firstString(f *Field, v Value) (string, bool) {
	vals, ok := fieldStrings(f, v, nil)
	if !ok || len(vals) == 0 {
		return "", false
	}
	return vals[0], true
}

// docString is the value at path as one string, for the fields and
// options that read a single string (score, payload, language, GEO).
func docString(doc Document, path string) (string, bool) {
	v, ok := doc.Value(path)
	if !ok {
		return "", false
	}
	return v.String()
}

// MapDocument is a Document over a map of strings: the shape of a hash,
// for Go programs and tests that index values of their own.
type MapDocument map[string]string

// Value implements Document.
func (d MapDocument) Value(path string) (Value, bool) {
	s, ok := d[path]
	if !ok {
		return Value{}, false
	}
	return Text(s), true
}
