package aggregate

import "github.com/miniredis-search/miniredis-search/module/expr"

// FieldInfo describes a schema attribute to the pipeline.
type FieldInfo struct {
	Name    string // the attribute name (AS alias, else the path)
	Path    string // the hash field
	SortIdx int    // slot in a document's sorting vector; -1 when not SORTABLE
	Numeric bool   // NUMERIC: values loaded from the hash become numbers
}

// IndexSchema is what the pipeline needs to know of the index.
type IndexSchema interface {
	// Attribute finds a schema attribute by name.
	Attribute(name string) (FieldInfo, bool)
	// AttributeByPath finds a schema attribute by hash field (LOAD *).
	AttributeByPath(path string) (FieldInfo, bool)
}

// checkSchema adapts an IndexSchema to Check's view of it.
type checkSchema struct{ s IndexSchema }

func (c checkSchema) Field(name string) (bool, bool) {
	f, ok := c.s.Attribute(name)
	return ok, ok && f.SortIdx >= 0
}

// Key is a property of a row: the module's RLookupKey.
type Key struct {
	Name    string
	slot    int
	path    string // hash field to load it from
	sortIdx int    // read from the sorting vector when the row has no value
	numeric bool
	// keyName is @__key (a document's key), scoreName @__score.
	special byte
}

const (
	specialNone byte = iota
	specialKey
	specialScore
)

// Lookup is the ordered set of properties of one pipeline segment (rows
// before the first GROUPBY, then each GROUPBY's output). Reply rows list
// its keys in creation order.
type Lookup struct {
	Keys   []*Key
	byName map[string]*Key
	root   bool // the first lookup, backed by the index schema
	schema IndexSchema
	// open is set on a coordinator's first lookup: its rows come from the
	// shards, and any property read makes a key (the request was checked).
	open bool
}

func newLookup(root bool, schema IndexSchema) *Lookup {
	return &Lookup{byName: map[string]*Key{}, root: root, schema: schema}
}

// key returns the key called name, creating it at the end when absent.
func (l *Lookup) key(name string) *Key {
	if k := l.byName[name]; k != nil {
		return k
	}
	k := &Key{Name: name, slot: len(l.Keys), path: name, sortIdx: -1}
	switch name {
	case "__key":
		k.special = specialKey
	case "__score":
		k.special = specialScore
	}
	l.Keys = append(l.Keys, k)
	l.byName[name] = k
	return k
}

// schemaKey creates (or returns) the key of a schema attribute, wired to its
// sorting-vector slot and type.
func (l *Lookup) schemaKey(name string, f FieldInfo) *Key {
	k := l.key(name)
	k.path = f.Path
	k.sortIdx = f.SortIdx
	k.numeric = f.Numeric
	return k
}

// readable is RLookup_GetKey_Read: an existing key, or a SORTABLE schema
// attribute of the first lookup (any attribute once LOAD * ran).
func (l *Lookup) readable(name string, allLoaded bool) *Key {
	if k := l.byName[name]; k != nil {
		return k
	}
	if l.open {
		return l.key(name)
	}
	if !l.root || l.schema == nil {
		return nil
	}
	if f, ok := l.schema.Attribute(name); ok && (f.SortIdx >= 0 || allLoaded) {
		return l.schemaKey(name, f)
	}
	return nil
}

// loadable is RLookup_GetKey_Load for a schema attribute of the first
// lookup: the key is created and must be loaded before it is read.
func (l *Lookup) loadable(name string) *Key {
	if l.open {
		return l.key(name)
	}
	if !l.root || l.schema == nil {
		return nil
	}
	if f, ok := l.schema.Attribute(name); ok {
		return l.schemaKey(name, f)
	}
	return nil
}

// cell is one property value of a row.
type cell struct {
	v   expr.Value
	set bool
}

// Row is a pipeline row: a document's properties, or a group's.
type Row struct {
	doc   Doc // nil for a group
	id    uint32
	cells []cell
}

func (r *Row) setValue(k *Key, v expr.Value) {
	if k.slot >= len(r.cells) {
		n := make([]cell, k.slot+1, k.slot+8)
		copy(n, r.cells)
		r.cells = n
	}
	r.cells[k.slot] = cell{v: v, set: true}
}

// value is RLookup_GetItem: the row's own value, else the document's
// sorting vector, else nothing.
func (r *Row) value(k *Key) (expr.Value, bool) {
	if k.slot < len(r.cells) && r.cells[k.slot].set {
		return r.cells[k.slot].v, true
	}
	if r.doc == nil {
		return expr.Null(), false
	}
	switch k.special {
	case specialKey:
		return expr.String(r.doc.Key()), true
	case specialScore:
		return expr.Number(r.doc.Score()), true
	}
	if k.sortIdx >= 0 {
		return r.doc.Sortable(k.sortIdx)
	}
	return expr.Null(), false
}

// Field is one property of a reply row.
type Field struct {
	Name  string
	Value expr.Value
}

// Fields lists the row's properties in the lookup's order, leaving out the
// ones without a value.
func (l *Lookup) Fields(r *Row) []Field {
	out := make([]Field, 0, len(l.Keys))
	for _, k := range l.Keys {
		if v, ok := r.value(k); ok {
			out = append(out, Field{Name: k.Name, Value: v})
		}
	}
	return out
}

// rowEnv lets an expression read a row.
type rowEnv struct {
	lk     *Lookup
	row    *Row
	params map[string]expr.Value
}

func (e *rowEnv) Get(name string) (expr.Value, bool) {
	k := e.lk.byName[name]
	if k == nil {
		return expr.Null(), false
	}
	return e.row.value(k)
}

func (e *rowEnv) Param(name string) (expr.Value, bool) {
	v, ok := e.params[name]
	return v, ok
}

// MatchedTerms are the query terms the row's document matched, when its
// source recorded them (matched_terms()).
func (e *rowEnv) MatchedTerms() []string {
	if mt, ok := e.row.doc.(interface{ MatchedTerms() []string }); ok {
		return mt.MatchedTerms()
	}
	return nil
}
