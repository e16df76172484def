package resp

// Kind is the RESP type of a Value.
type Kind uint8

// The kinds a Value can have.
const (
	KindBulk Kind = iota
	KindStatus
	KindInt
	KindArray
	KindMap // Elems alternate keys and values
	KindSet
	KindNull
	KindDouble
	KindBool
)

// Value is a reply built as data rather than written directly: command
// documentation, key specs, anything generic. Writer.Value writes it in the
// client's protocol.
type Value struct {
	Kind  Kind
	Str   string
	Int   int64
	Float float64
	Elems []Value
}

// Bulk is a bulk string value.
func Bulk(s string) Value { return Value{Kind: KindBulk, Str: s} }

// Status is a status (simple string) value.
func Status(s string) Value { return Value{Kind: KindStatus, Str: s} }

// Integer is an integer value.
func Integer(n int64) Value { return Value{Kind: KindInt, Int: n} }

// DoubleValue is a double value.
func DoubleValue(f float64) Value { return Value{Kind: KindDouble, Float: f} }

// BoolValue is a boolean value.
func BoolValue(b bool) Value {
	if b {
		return Value{Kind: KindBool, Int: 1}
	}
	return Value{Kind: KindBool}
}

// NullValue is a null.
func NullValue() Value { return Value{Kind: KindNull} }

// ArrayOf is an array of values.
func ArrayOf(elems ...Value) Value { return Value{Kind: KindArray, Elems: elems} }

// SetOf is a set of values (an array in RESP2).
func SetOf(elems ...Value) Value { return Value{Kind: KindSet, Elems: elems} }

// MapOf is a map; kv alternates keys and values.
func MapOf(kv ...Value) Value {
	if len(kv)%2 != 0 {
		panic("resp.MapOf: odd number of elements")
	}
	return Value{Kind: KindMap, Elems: kv}
}

// Value writes v in the writer's protocol.
func (w *Writer) Value(v Value) {
	switch v.Kind {
	case KindBulk:
		w.BulkString(v.Str)
	case KindStatus:
		w.SimpleString(v.Str)
	case KindInt:
		w.Int(v.Int)
	case KindDouble:
		w.Double(v.Float)
	case KindBool:
		w.Bool(v.Int != 0)
	case KindNull:
		w.Null()
	case KindArray:
		w.Array(len(v.Elems))
		for _, e := range v.Elems {
			w.Value(e)
		}
	case KindSet:
		w.Set(len(v.Elems))
		for _, e := range v.Elems {
			w.Value(e)
		}
	case KindMap:
		w.Map(len(v.Elems) / 2)
		for _, e := range v.Elems {
			w.Value(e)
		}
	}
}
