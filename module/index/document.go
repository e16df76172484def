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
)

// Value is one value of a document.
type Value struct {
	Kind  ValueKind
	Text  string
	Num   float64
	Bool  bool
	Items []Value
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
