// Package jsonv is the JSON module's in-memory document: a parsed tree of
// values (objects keep their keys in insertion order, as RedisJSON's
// ijson objects do), its parser with serde_json's error texts, and its
// serializer with RedisJSON's number formatting and INDENT/NEWLINE/SPACE.
//
// It imports neither server nor resp: the module (package rejson) and the
// search module read documents through it.
package jsonv

import (
	"math"
)

// Kind is a value's JSON type.
type Kind uint8

// Kinds. Int and Float are both JSON numbers: an integer literal that
// fits in int64 is an Int, anything else a Float (as serde_json).
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	Array
	Object
)

// Value is one JSON value. Scalars keep their payload in num (bool, int64
// or float64 bits) or str (a Float parsed from an integer beyond int64,
// serde_json's u64, keeps its digits there); arrays and objects their members in elems, and
// objects their keys in keys (same order). An array or object keeps in num
// the capacity the module's ijson container would have (see Reserve); it
// only feeds JSON.DEBUG MEMORY. A Value is about 80 bytes; a document is a
// tree of them, never text to re-parse.
type Value struct {
	kind  Kind
	num   uint64
	str   string
	elems []Value
	keys  []string
}

// Constructors.
func NewNull() Value           { return Value{} }
func NewBool(b bool) Value     { v := Value{kind: Bool}; v.SetBool(b); return v }
func NewInt(n int64) Value     { return Value{kind: Int, num: uint64(n)} }
func NewFloat(f float64) Value { return Value{kind: Float, num: math.Float64bits(f)} }
func NewString(s string) Value { return Value{kind: String, str: s} }
func NewArray(elems []Value) Value {
	return Value{kind: Array, elems: elems, num: uint64(len(elems))}
}

// NewObject is an empty object.
func NewObject() Value { return Value{kind: Object} }

// Kind is the value's type.
func (v *Value) Kind() Kind { return v.kind }

// TypeName is the type as JSON.TYPE names it.
func (v *Value) TypeName() string {
	switch v.kind {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Int:
		return "integer"
	case Float:
		if v.str != "" { // an integer beyond int64 (serde_json's u64)
			return "integer"
		}
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	}
	return "object"
}

// Bool, IntVal, FloatVal, Str are the scalar payloads (zero for another kind).
func (v *Value) Bool() bool { return v.kind == Bool && v.num != 0 }

// IntVal is an Int's value.
func (v *Value) IntVal() int64 { return int64(v.num) }

// FloatVal is a number's value as a float64 (an Int converted).
func (v *Value) FloatVal() float64 {
	if v.kind == Int {
		return float64(int64(v.num))
	}
	if v.kind == Float {
		return math.Float64frombits(v.num)
	}
	return 0
}

// Str is a String's value.
func (v *Value) Str() string { return v.str }

// IsNumber reports an Int or a Float.
func (v *Value) IsNumber() bool { return v.kind == Int || v.kind == Float }

// Len is an array's or object's number of members (0 otherwise).
func (v *Value) Len() int { return len(v.elems) }

// Index is an array's (or object's) i-th member.
func (v *Value) Index(i int) *Value { return &v.elems[i] }

// KeyAt is an object's i-th key.
func (v *Value) KeyAt(i int) string { return v.keys[i] }

// Keys are an object's keys, in order (shared: do not modify).
func (v *Value) Keys() []string { return v.keys }

// Lookup is an object's member named key, and its position.
func (v *Value) Lookup(key string) (*Value, int) {
	for i, k := range v.keys {
		if k == key {
			return &v.elems[i], i
		}
	}
	return nil, -1
}

// SetBool makes v the boolean b.
func (v *Value) SetBool(b bool) {
	*v = Value{kind: Bool}
	if b {
		v.num = 1
	}
}

// SetString makes v the string s.
func (v *Value) SetString(s string) { *v = Value{kind: String, str: s} }

// SetInt makes v the integer n.
func (v *Value) SetInt(n int64) { *v = NewInt(n) }

// SetFloat makes v the number f.
func (v *Value) SetFloat(f float64) { *v = NewFloat(f) }

// Cap is an array's or object's ijson capacity.
func (v *Value) Cap() int { return int(v.num) }

// Reserve is ijson's reserve(n) on an array or object: when fewer than n
// more members fit, the capacity becomes max(2*capacity, len+n, 4);
// nothing ever shrinks it (removing members, CLEAR and ARRTRIM keep it).
// ijson calls it before each push (parsing, ARRAPPEND), once with the
// count before ARRINSERT's inserts, and with 1 whenever an object's entry
// is looked up to write (a new or an existing member, see Put), which
// RedisJSON does on a path's last object member before every write
// through that path.
func (v *Value) Reserve(n int) {
	if need := len(v.elems) + n; int(v.num) < need {
		v.num = uint64(max(2*int(v.num), need, 4))
	}
}

// Put sets an object's member key (appended when new), reserving room for
// one member first as ijson's insert (entry) does, even when key exists.
func (v *Value) Put(key string, val Value) {
	v.Reserve(1)
	if p, _ := v.Lookup(key); p != nil {
		*p = val
		return
	}
	v.keys = append(v.keys, key)
	v.elems = append(v.elems, val)
}

// RemoveAt removes an array's or object's i-th member. An object's last
// member takes the removed one's place, as in RedisJSON's objects (ijson
// removes by swap): {"a":1,"b":2,"c":3} without "a" is {"c":3,"b":2}.
func (v *Value) RemoveAt(i int) {
	if v.kind == Object {
		last := len(v.elems) - 1
		v.elems[i], v.keys[i] = v.elems[last], v.keys[last]
		v.elems[last], v.keys[last] = Value{}, ""
		v.elems, v.keys = v.elems[:last], v.keys[:last]
		return
	}
	v.elems = append(v.elems[:i], v.elems[i+1:]...)
}

// Insert inserts vals into an array at position i (0 ≤ i ≤ Len),
// reserving room for all of them first (ARRINSERT).
func (v *Value) Insert(i int, vals ...Value) {
	v.Reserve(len(vals))
	n := make([]Value, 0, len(v.elems)+len(vals))
	n = append(n, v.elems[:i]...)
	n = append(n, vals...)
	v.elems = append(n, v.elems[i:]...)
}

// Append pushes vals onto an array one by one (ARRAPPEND, parsing).
func (v *Value) Append(vals ...Value) {
	for _, e := range vals {
		v.Reserve(1)
		v.elems = append(v.elems, e)
	}
}

// Truncate keeps an array's members [start, stop).
func (v *Value) Truncate(start, stop int) {
	v.elems = append([]Value(nil), v.elems[start:stop]...)
}

// Clear empties an array or object, or makes a number 0.
func (v *Value) Clear() {
	switch v.kind {
	case Array:
		v.elems = nil
	case Object:
		v.elems, v.keys = nil, nil
	case Int, Float:
		*v = NewInt(0)
	}
}

// Clone is a deep copy of v. As ijson's clone, a copied array or object
// has exactly its length as capacity.
func (v *Value) Clone() Value {
	c := *v
	if v.kind == Array || v.kind == Object {
		c.num = uint64(len(v.elems))
	}
	if v.elems != nil {
		c.elems = make([]Value, len(v.elems))
		for i := range v.elems {
			c.elems[i] = v.elems[i].Clone()
		}
	}
	if v.keys != nil {
		c.keys = append([]string(nil), v.keys...)
	}
	return c
}

// Equal is RedisJSON's equality (ARRINDEX): same kind and value; an Int
// and a Float are different values, objects compare as sets of members.
func Equal(a, b *Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case Null:
		return true
	case Bool, Int:
		return a.num == b.num
	case Float:
		return a.FloatVal() == b.FloatVal()
	case String:
		return a.str == b.str
	case Array:
		if len(a.elems) != len(b.elems) {
			return false
		}
		for i := range a.elems {
			if !Equal(&a.elems[i], &b.elems[i]) {
				return false
			}
		}
		return true
	}
	if len(a.elems) != len(b.elems) {
		return false
	}
	for i, k := range a.keys {
		o, _ := b.Lookup(k)
		if o == nil || !Equal(&a.elems[i], o) {
			return false
		}
	}
	return true
}

// MemoryUsage is JSON.DEBUG MEMORY's figure for v: RedisJSON's get_memory,
// size_of::<IValue>() (8) plus what the value allocates in the module's
// ijson (IValue::mem_allocated), computed from ijson's layouts:
//   - null, booleans: nothing; an integer in [-2^61, 2^61): nothing (kept
//     inline in the IValue); any other number (a float, a larger integer):
//     its 8-byte payload;
//   - a string of at most 7 bytes: nothing (inline); a longer one: a 4-byte
//     length header and the bytes, rounded up to 8;
//   - an array of capacity c > 0: an 8-byte header and c IValues (8 each),
//     plus what its elements allocate;
//   - an object of capacity c > 0: an 8-byte header, c key/value pairs (16
//     each) and a hash table of c + c/4 8-byte slots, plus what its keys
//     and values allocate; an empty array or object allocates nothing.
//
// A container's capacity is ijson's, tracked through every write (see
// Reserve and Clone): after parsing JSON text, where each member is pushed
// in turn, 4, 8, 16, ...; removals keep it.
func (v *Value) MemoryUsage() int { return 8 + v.allocated() }

func (v *Value) allocated() int {
	switch v.kind {
	case Int:
		if n := v.IntVal(); n >= -1<<61 && n < 1<<61 {
			return 0
		}
		return 8
	case Float:
		return 8
	case String:
		return strAllocated(v.str)
	case Array:
		c := int(v.num)
		if c == 0 {
			return 0
		}
		n := pad8(8 + 8*c)
		for i := range v.elems {
			n += v.elems[i].allocated()
		}
		return n
	case Object:
		c := int(v.num)
		if c == 0 {
			return 0
		}
		n := pad8(8 + 16*c + 8*(c+c/4))
		for i := range v.elems {
			n += strAllocated(v.keys[i]) + v.elems[i].allocated()
		}
		return n
	}
	return 0
}

// strAllocated is an ijson string's allocation: none up to 7 bytes
// (stored in the IValue itself), else a 4-byte length and the bytes.
func strAllocated(s string) int {
	if len(s) <= 7 {
		return 0
	}
	return pad8(4 + len(s))
}

func pad8(n int) int { return (n + 7) &^ 7 }

// Merge applies patch to v as RFC 7396 (JSON merge patch) says: an object
// patch merges member by member, null deletes, anything else replaces.
// As RedisJSON's merge: a replacing value is a clone of the patch's, and
// each member merged in is looked up with an entry (Put's Reserve(1)).
func (v *Value) Merge(patch *Value) {
	if patch.kind != Object {
		*v = patch.Clone()
		return
	}
	if v.kind != Object {
		*v = NewObject()
	}
	for i, k := range patch.keys {
		p := &patch.elems[i]
		if p.kind == Null {
			if _, idx := v.Lookup(k); idx >= 0 {
				v.RemoveAt(idx)
			}
			continue
		}
		v.Reserve(1)
		cur, _ := v.Lookup(k)
		if cur == nil {
			v.keys = append(v.keys, k)
			v.elems = append(v.elems, Value{})
			cur = &v.elems[len(v.elems)-1]
		}
		cur.Merge(p)
	}
}
