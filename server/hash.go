package server

// Hash is a hash value. Fields keep their insertion order, as Redis'
// listpack-encoded hashes do (and as the search module's replies show); a
// field that is set again keeps its place.
type Hash struct {
	fields  []hashField
	index   map[string]int // built once the hash outgrows a linear scan
	live    int
	bigOnce bool // it has exceeded the listpack limits once ("hashtable")
}

type hashField struct {
	name, value string
	deleted     bool
}

const hashIndexThreshold = 16

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// Len is the number of fields.
func (h *Hash) Len() int { return h.live }

func (h *Hash) find(field string) int {
	if h.index != nil {
		if i, ok := h.index[field]; ok {
			return i
		}
		return -1
	}
	for i := range h.fields {
		if !h.fields[i].deleted && h.fields[i].name == field {
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
	h.live++
	if h.index != nil {
		h.index[field] = len(h.fields) - 1
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
	h.fields[i] = hashField{deleted: true}
	h.live--
	if h.index != nil {
		delete(h.index, field)
	}
	if len(h.fields)-h.live > h.live {
		h.compact()
	}
	return true
}

// Each calls fn for every field in order until it returns false.
func (h *Hash) Each(fn func(field, value string) bool) {
	for i := range h.fields {
		f := &h.fields[i]
		if f.deleted {
			continue
		}
		if !fn(f.name, f.value) {
			return
		}
	}
}

// At returns the i-th field (0 <= i < Len()) in order.
func (h *Hash) At(i int) (field, value string) {
	if len(h.fields) != h.live {
		h.compact()
	}
	f := h.fields[i]
	return f.name, f.value
}

// Copy returns an independent copy.
func (h *Hash) Copy() *Hash {
	c := &Hash{bigOnce: h.bigOnce}
	c.fields = make([]hashField, 0, h.live)
	h.Each(func(f, v string) bool {
		c.fields = append(c.fields, hashField{name: f, value: v})
		return true
	})
	c.live = len(c.fields)
	if c.live > hashIndexThreshold {
		c.rebuildIndex()
	}
	return c
}

func (h *Hash) compact() {
	live := h.fields[:0]
	for _, f := range h.fields {
		if !f.deleted {
			live = append(live, f)
		}
	}
	for i := len(live); i < len(h.fields); i++ {
		h.fields[i] = hashField{}
	}
	h.fields = live
	if h.index != nil || len(h.fields) > hashIndexThreshold {
		h.rebuildIndex()
	}
}

func (h *Hash) rebuildIndex() {
	h.index = make(map[string]int, len(h.fields))
	for i, f := range h.fields {
		if !f.deleted {
			h.index[f.name] = i
		}
	}
}

// noteSize records that the hash outgrew the listpack limits, which makes
// OBJECT ENCODING say "hashtable" from then on, as Redis' one-way conversion
// does. The field order is unaffected.
func (h *Hash) noteSize(maxEntries, maxValue int64, field, value string) {
	if h.bigOnce {
		return
	}
	if int64(h.live) > maxEntries || int64(len(field)) > maxValue || int64(len(value)) > maxValue {
		h.bigOnce = true
	}
}
