package server

// Hash is a hash value. Fields keep their insertion order, as Redis'
// listpack-encoded hashes do (and as the search module's replies show); a
// field that is set again keeps its place.
//
// A small hash (up to hashIndexThreshold fields) is just its fields: a
// lookup scans them and a deletion closes the gap at once, as a listpack
// does. A bigger one has an index (field → position); a deletion there
// leaves a hole, marked in the index, until holes outnumber the fields,
// so that deleting every field one by one stays linear.
type Hash struct {
	fields  []hashField
	big     *hashIndex // nil while a linear scan is enough
	bigOnce bool       // it has exceeded the listpack limits once ("hashtable")
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

const hashIndexThreshold = 16

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// newHashSized returns an empty hash with room for n fields.
func newHashSized(n int) *Hash {
	h := &Hash{}
	h.init(n)
	return h
}

// init readies an empty hash for n fields.
func (h *Hash) init(n int) {
	if n > 0 {
		h.fields = make([]hashField, 0, n)
	}
}

// Len is the number of fields.
func (h *Hash) Len() int {
	if h.big != nil {
		return len(h.fields) - h.big.nHole
	}
	return len(h.fields)
}

func (h *Hash) find(field string) int {
	if h.big != nil {
		if i, ok := h.big.pos[field]; ok {
			return i
		}
		return -1
	}
	for i := range h.fields {
		if h.fields[i].name == field {
			return i
		}
	}
	return -1
}

// Get returns a field's value.
func (h *Hash) Get(field string) (string, bool) {
	if i := h.find(field); i >= 0 {
		return h.fields[i].value, true
	}
	return "", false
}

// Has reports whether the field exists.
func (h *Hash) Has(field string) bool { return h.find(field) >= 0 }

// Set sets a field and reports whether it is new.
func (h *Hash) Set(field, value string) bool {
	if i := h.find(field); i >= 0 {
		h.fields[i].value = value
		return false
	}
	h.fields = append(h.fields, hashField{name: field, value: value})
	if h.big != nil {
		h.big.pos[field] = len(h.fields) - 1
	} else if len(h.fields) > hashIndexThreshold {
		h.rebuildIndex()
	}
	return true
}

// Delete removes a field and reports whether it existed.
func (h *Hash) Delete(field string) bool {
	i := h.find(field)
	if i < 0 {
		return false
	}
	if h.big == nil {
		n := copy(h.fields[i:], h.fields[i+1:])
		h.fields[i+n] = hashField{}
		h.fields = h.fields[:i+n]
		return true
	}
	x := h.big
	delete(x.pos, field)
	h.fields[i] = hashField{}
	for i>>6 >= len(x.holes) {
		x.holes = append(x.holes, 0)
	}
	x.holes[i>>6] |= 1 << (i & 63)
	x.nHole++
	if x.nHole > len(h.fields)-x.nHole {
		h.compact()
	}
	return true
}

// Each calls fn for every field in order until it returns false.
func (h *Hash) Each(fn func(field, value string) bool) {
	for i := range h.fields {
		if h.big != nil && h.big.hole(i) {
			continue
		}
		f := &h.fields[i]
		if !fn(f.name, f.value) {
			return
		}
	}
}

// At returns the i-th field (0 <= i < Len()) in order.
func (h *Hash) At(i int) (field, value string) {
	if h.big != nil && h.big.nHole > 0 {
		h.compact()
	}
	f := h.fields[i]
	return f.name, f.value
}

// Copy returns an independent copy.
func (h *Hash) Copy() *Hash {
	c := &Hash{bigOnce: h.bigOnce}
	c.fields = make([]hashField, 0, h.Len())
	h.Each(func(f, v string) bool {
		c.fields = append(c.fields, hashField{name: f, value: v})
		return true
	})
	if len(c.fields) > hashIndexThreshold {
		c.rebuildIndex()
	}
	return c
}

// compact closes a big hash's holes; a hash left small enough drops its
// index.
func (h *Hash) compact() {
	live := h.fields[:0]
	for i, f := range h.fields {
		if !h.big.hole(i) {
			live = append(live, f)
		}
	}
	clear(h.fields[len(live):])
	h.fields = live
	h.big = nil
	if len(h.fields) > hashIndexThreshold {
		h.rebuildIndex()
	}
}

// rebuildIndex indexes a hash that has no holes.
func (h *Hash) rebuildIndex() {
	x := &hashIndex{pos: make(map[string]int, len(h.fields))}
	for i, f := range h.fields {
		x.pos[f.name] = i
	}
	h.big = x
}

// noteSize records that the hash outgrew the listpack limits, which makes
// OBJECT ENCODING say "hashtable" from then on, as Redis' one-way conversion
// does. The field order is unaffected.
func (h *Hash) noteSize(maxEntries, maxValue int64, field, value string) {
	if h.bigOnce {
		return
	}
	if int64(h.Len()) > maxEntries || int64(len(field)) > maxValue || int64(len(value)) > maxValue {
		h.bigOnce = true
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
