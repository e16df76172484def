package server

import "strings"

// Hash is a hash value. Fields keep their insertion order, as Redis'
// listpack-encoded hashes do (and as the search module's replies show); a
// field that is set again keeps its place.
//
// A small hash is packed, as a listpack is: its fields and values are one
// string, each name and value preceded by its length as a uvarint. A hash
// created with all its fields (HSET of a new key) costs that one
// allocation; a value read is a substring of it. A hash that outgrows
// hashPackMaxFields fields or hashPackMaxBytes bytes turns, for good, into
// a slice of fields (hashSlots).
//
// A hash lives in its key's entry: Hash is the Entry seen as a hash, its
// packed form in the entry's str, its slice form in the entry's slots, and
// whether it ever exceeded the listpack limits in hashBig. A hash key is
// then one 56-byte object (Go's 64-byte size class) besides its fields.
type Hash Entry

// hashSlots is the slice form of a hash. Up to hashIndexThreshold fields
// a lookup scans them and a deletion closes the gap at once; a bigger one
// has an index (field → position), and a deletion there leaves a hole,
// marked in the index, until holes outnumber the fields, so that deleting
// every field one by one stays linear.
type hashSlots struct {
	fields []hashField
	big    *hashIndex // nil while a linear scan is enough
}

type hashField struct{ name, value string }

// hashIndex is a big hash's lookup table and its holes.
type hashIndex struct {
	pos   map[string]int
	holes []uint64 // bit i: fields[i] was deleted
	nHole int
}

func (x *hashIndex) hole(i int) bool {
	return x.nHole > 0 && i>>6 < len(x.holes) && x.holes[i>>6]&(1<<(i&63)) != 0
}

const (
	hashIndexThreshold = 16
	// The packed form's limits: few fields (a lookup scans them), and a
	// size where Go's allocation size classes are still fine-grained and a
	// change rewrites little.
	hashPackMaxFields = 16
	hashPackMaxBytes  = 1024
)

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// packedField is one field of a packed hash, read at offset off.
type packedField struct {
	name, value string
	nameAt      int // offset of the name
	next        int // offset of the next field
}

// uvarintString decodes a uvarint at s[off:].
func uvarintString(s string, off int) (uint64, int) {
	var x uint64
	for shift := uint(0); ; shift += 7 {
		b := s[off]
		off++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x, off
		}
	}
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// packedAt reads the packed field at offset off.
func (h *Hash) packedAt(off int) packedField {
	s := h.str
	var l uint64
	if b := s[off]; b < 0x80 { // lengths under 128: one byte
		l, off = uint64(b), off+1
	} else {
		l, off = uvarintString(s, off)
	}
	nameAt := off
	name := s[off : off+int(l)]
	off += int(l)
	if b := s[off]; b < 0x80 {
		l, off = uint64(b), off+1
	} else {
		l, off = uvarintString(s, off)
	}
	return packedField{name: name, value: s[off : off+int(l)], nameAt: nameAt, next: off + int(l)}
}

// packedLen is the packed form's number of fields.
func (h *Hash) packedLen() int {
	n := 0
	for off := 0; off < len(h.str); n++ {
		off = h.packedAt(off).next
	}
	return n
}

// packedFind returns the offsets where field starts and ends, or -1.
func (h *Hash) packedFind(field string) (start, end int, value string) {
	for off := 0; off < len(h.str); {
		f := h.packedAt(off)
		if f.name == field {
			return off, f.next, f.value
		}
		off = f.next
	}
	return -1, -1, ""
}

func packedEntryLen(field, value string) int {
	return uvarintLen(uint64(len(field))) + len(field) + uvarintLen(uint64(len(value))) + len(value)
}

func writePacked(b *strings.Builder, field, value string) {
	writeUvarint(b, uint64(len(field)))
	b.WriteString(field)
	writeUvarint(b, uint64(len(value)))
	b.WriteString(value)
}

func writeUvarint(b *strings.Builder, x uint64) {
	for x >= 0x80 {
		b.WriteByte(byte(x) | 0x80)
		x >>= 7
	}
	b.WriteByte(byte(x))
}

// setPairs sets field/value pairs (HSET's arguments), as many Sets in a
// row would, and returns the number of new fields. A packed hash that
// stays within the packed limits is rewritten once for all the pairs (one
// allocation; for a new hash, its only one).
func (h *Hash) setPairs(args [][]byte, names *internTable) int {
	if h.slots == nil {
		if added, ok := h.setPairsPacked(args); ok {
			return added
		}
	}
	added := 0
	for j := 0; j < len(args); j += 2 {
		if h.Set(names.get(args[j]), string(args[j+1])) {
			added++
		}
	}
	return added
}

// setPairsPacked is setPairs for a packed hash; ok is false, and nothing
// changed, if the result would not fit the packed limits.
func (h *Hash) setPairsPacked(args [][]byte) (added int, ok bool) {
	if len(args) == 2 {
		return h.setOnePacked(args[0], args[1])
	}
	if len(args)/2 > hashPackMaxFields {
		return 0, false
	}
	// The fields as they are, each with the last pair that sets it (-1:
	// none), then the new fields in the order of their first pair, with
	// their last pair. Offsets fit in 16 bits (hashPackMaxBytes), pair
	// indexes in 8 (2*hashPackMaxFields): little stack to clear.
	var cur [hashPackMaxFields]struct {
		start, end, name, nameLen int16 // the field's bytes, its name's
		pair                      int8
	}
	nc := 0
	for off := 0; off < len(h.str); nc++ {
		f := h.packedAt(off)
		c := &cur[nc]
		c.start, c.end, c.pair = int16(off), int16(f.next), -1
		c.name, c.nameLen = int16(f.nameAt), int16(len(f.name))
		off = f.next
	}
	var fresh, freshName [hashPackMaxFields]int8 // new fields: last pair, first pair
	nf := 0
pairs:
	for j := 0; j < len(args); j += 2 {
		for i := range nc {
			if c := &cur[i]; h.str[c.name:c.name+c.nameLen] == string(args[j]) {
				c.pair = int8(j)
				continue pairs
			}
		}
		for i := range nf {
			if string(args[freshName[i]]) == string(args[j]) {
				fresh[i] = int8(j)
				continue pairs
			}
		}
		if nc+nf == hashPackMaxFields {
			return 0, false
		}
		freshName[nf], fresh[nf] = int8(j), int8(j)
		nf++
	}
	size := 0
	for i := range nc {
		if j := int(cur[i].pair); j >= 0 {
			size += packedEntryLenBytes(args[j], args[j+1])
		} else {
			size += int(cur[i].end - cur[i].start)
		}
	}
	for i := range nf {
		size += packedEntryLenBytes(args[freshName[i]], args[fresh[i]+1])
	}
	if size > hashPackMaxBytes {
		return 0, false
	}
	var b strings.Builder
	b.Grow(size)
	for i := range nc {
		c := &cur[i]
		if j := int(c.pair); j >= 0 {
			writePackedBytes(&b, args[j], args[j+1])
		} else {
			b.WriteString(h.str[c.start:c.end])
		}
	}
	for i := range nf {
		writePackedBytes(&b, args[freshName[i]], args[fresh[i]+1])
	}
	h.str = b.String()
	return nf, true
}

// setOnePacked is setPairsPacked for one pair (HSET key field value).
func (h *Hash) setOnePacked(field, value []byte) (added int, ok bool) {
	start, end, n := -1, -1, 0
	for off := 0; off < len(h.str); n++ {
		f := h.packedAt(off)
		if f.name == string(field) {
			if f.value == string(value) {
				// The same value: the packed form stays as it is (a string
				// is immutable: rewriting it would be a copy of the hash).
				return 0, true
			}
			start, end = off, f.next
			break
		}
		off = f.next
	}
	size := len(h.str) + packedEntryLenBytes(field, value)
	if start >= 0 {
		size -= end - start
	} else if n >= hashPackMaxFields {
		return 0, false
	}
	if size > hashPackMaxBytes {
		return 0, false
	}
	var b strings.Builder
	b.Grow(size)
	if start >= 0 {
		b.WriteString(h.str[:start])
		writePackedBytes(&b, field, value)
		b.WriteString(h.str[end:])
		h.str = b.String()
		return 0, true
	}
	b.WriteString(h.str)
	writePackedBytes(&b, field, value)
	h.str = b.String()
	return 1, true
}

func packedEntryLenBytes(field, value []byte) int {
	return uvarintLen(uint64(len(field))) + len(field) + uvarintLen(uint64(len(value))) + len(value)
}

func writePackedBytes(b *strings.Builder, field, value []byte) {
	writeUvarint(b, uint64(len(field)))
	b.Write(field)
	writeUvarint(b, uint64(len(value)))
	b.Write(value)
}

// unpack turns a packed hash into the slice form, with room for one more
// field.
func (h *Hash) unpack() {
	fields := make([]hashField, 0, h.packedLen()+1)
	for off := 0; off < len(h.str); {
		f := h.packedAt(off)
		fields = append(fields, hashField{name: f.name, value: f.value})
		off = f.next
	}
	h.slots = &hashSlots{fields: fields}
	h.str = ""
	if len(fields) > hashIndexThreshold {
		h.slots.rebuildIndex()
	}
}

// Len is the number of fields.
func (h *Hash) Len() int {
	if h.slots == nil {
		return h.packedLen()
	}
	x := h.slots
	if x.big != nil {
		return len(x.fields) - x.big.nHole
	}
	return len(x.fields)
}

func (x *hashSlots) find(field string) int {
	if x.big != nil {
		if i, ok := x.big.pos[field]; ok {
			return i
		}
		return -1
	}
	for i := range x.fields {
		if x.fields[i].name == field {
			return i
		}
	}
	return -1
}

// Get returns a field's value.
func (h *Hash) Get(field string) (string, bool) {
	if h.slots == nil {
		start, _, v := h.packedFind(field)
		return v, start >= 0
	}
	if i := h.slots.find(field); i >= 0 {
		return h.slots.fields[i].value, true
	}
	return "", false
}

// Has reports whether the field exists.
func (h *Hash) Has(field string) bool {
	_, ok := h.Get(field)
	return ok
}

// Set sets a field and reports whether it is new.
func (h *Hash) Set(field, value string) bool {
	if h.slots == nil {
		start, end, _ := h.packedFind(field)
		grow := packedEntryLen(field, value)
		if start >= 0 {
			grow -= end - start
		}
		if len(h.str)+grow <= hashPackMaxBytes && (start >= 0 || h.packedLen() < hashPackMaxFields) {
			var b strings.Builder
			b.Grow(len(h.str) + grow)
			if start >= 0 {
				b.WriteString(h.str[:start])
				writePacked(&b, field, value)
				b.WriteString(h.str[end:])
			} else {
				b.WriteString(h.str)
				writePacked(&b, field, value)
			}
			h.str = b.String()
			return start < 0
		}
		h.unpack()
	}
	x := h.slots
	if i := x.find(field); i >= 0 {
		x.fields[i].value = value
		return false
	}
	x.fields = append(x.fields, hashField{name: field, value: value})
	if x.big != nil {
		x.big.pos[field] = len(x.fields) - 1
	} else if len(x.fields) > hashIndexThreshold {
		x.rebuildIndex()
	}
	return true
}

// Delete removes a field and reports whether it existed.
func (h *Hash) Delete(field string) bool {
	if h.mod != nil { // the field's TTL goes with it (hash_ttl.go)
		(*Entry)(h).dropFieldTTL(field)
	}
	if h.slots == nil {
		start, end, _ := h.packedFind(field)
		if start < 0 {
			return false
		}
		h.str = h.str[:start] + h.str[end:]
		return true
	}
	x := h.slots
	i := x.find(field)
	if i < 0 {
		return false
	}
	if x.big == nil {
		n := copy(x.fields[i:], x.fields[i+1:])
		x.fields[i+n] = hashField{}
		x.fields = x.fields[:i+n]
		return true
	}
	b := x.big
	delete(b.pos, field)
	x.fields[i] = hashField{}
	for i>>6 >= len(b.holes) {
		b.holes = append(b.holes, 0)
	}
	b.holes[i>>6] |= 1 << (i & 63)
	b.nHole++
	if b.nHole > len(x.fields)-b.nHole {
		x.compact()
	}
	return true
}

// Each calls fn for every field in order until it returns false.
func (h *Hash) Each(fn func(field, value string) bool) {
	if h.slots == nil {
		for off := 0; off < len(h.str); {
			f := h.packedAt(off)
			if !fn(f.name, f.value) {
				return
			}
			off = f.next
		}
		return
	}
	x := h.slots
	for i := range x.fields {
		if x.big != nil && x.big.hole(i) {
			continue
		}
		f := &x.fields[i]
		if !fn(f.name, f.value) {
			return
		}
	}
}

// At returns the i-th field (0 <= i < Len()) in order.
func (h *Hash) At(i int) (field, value string) {
	if h.slots == nil {
		off := 0
		for ; i > 0; i-- {
			off = h.packedAt(off).next
		}
		f := h.packedAt(off)
		return f.name, f.value
	}
	x := h.slots
	if x.big != nil && x.big.nHole > 0 {
		x.compact()
	}
	f := x.fields[i]
	return f.name, f.value
}

// Copy returns an independent copy.
func (h *Hash) Copy() *Hash {
	cp := h.copyFields()
	if t := (*Entry)(h).fieldTTLs(); t != nil { // field TTLs (hash_ttl.go)
		cp.mod = &moduleValue{v: t.copy()}
	}
	return cp
}

func (h *Hash) copyFields() *Hash {
	if h.slots == nil {
		// The packed string is immutable: the copy shares it.
		return &Hash{str: h.str}
	}
	x := &hashSlots{fields: make([]hashField, 0, h.Len())}
	h.Each(func(f, v string) bool {
		x.fields = append(x.fields, hashField{name: f, value: v})
		return true
	})
	if len(x.fields) > hashIndexThreshold {
		x.rebuildIndex()
	}
	return &Hash{slots: x}
}

// compact closes a big hash's holes; a hash left small enough drops its
// index.
func (x *hashSlots) compact() {
	live := x.fields[:0]
	for i, f := range x.fields {
		if !x.big.hole(i) {
			live = append(live, f)
		}
	}
	clear(x.fields[len(live):])
	x.fields = live
	x.big = nil
	if len(x.fields) > hashIndexThreshold {
		x.rebuildIndex()
	}
}

// rebuildIndex indexes fields that have no holes.
func (x *hashSlots) rebuildIndex() {
	b := &hashIndex{pos: make(map[string]int, len(x.fields))}
	for i, f := range x.fields {
		b.pos[f.name] = i
	}
	x.big = b
}

// noteHashSize records that a hash outgrew the listpack limits, which
// makes OBJECT ENCODING say "hashtable" from then on, as Redis' one-way
// conversion does. The field order is unaffected.
func (e *Entry) noteHashSize(maxEntries, maxValue int64, field, value string) {
	e.noteHashLens(maxEntries, maxValue, len(field), len(value))
}

// noteHashLens is noteHashSize given the field's and the value's lengths.
func (e *Entry) noteHashLens(maxEntries, maxValue int64, field, value int) {
	if e.hashBig {
		return
	}
	if int64(field) > maxValue || int64(value) > maxValue || int64(e.Hash().Len()) > maxEntries {
		e.hashBig = true
	}
}

// internTable interns short strings that repeat across keys, such as hash
// field names (every document of a search index has the same fields): one
// string serves every hash that has the name, instead of a copy each. It
// is bounded: past internMaxEntries names, new ones are copied as before.
type internTable struct {
	m map[string]string
}

const (
	internMaxEntries = 4096
	internMaxLen     = 64
)

// get returns b as a string, the interned one if there is one.
func (t *internTable) get(b []byte) string {
	if s, ok := t.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= internMaxLen && len(t.m) < internMaxEntries {
		if t.m == nil {
			t.m = make(map[string]string)
		}
		t.m[s] = s
	}
	return s
}
