package index

import (
	"math"
	"slices"

	"github.com/tidwall/rtree"

	"github.com/miniredis-search/miniredis-search/module/query"
)

// shapeIndex is a GEOSHAPE field's index, as the module keeps one (an
// R-tree over the shapes' bounding boxes, and the shapes by document id):
// a query takes the documents whose box can satisfy the predicate from
// the tree, then tests each exactly (rtree.cpp's query_begin).
type shapeIndex struct {
	cs     CoordSystem
	tree   rtree.RTreeG[uint32]
	shapes map[uint32]*Shape
	bytes  int64 // the shapes' memory, FT.INFO's geoshapes_sz_mb
}

func newShapeIndex(cs CoordSystem) *shapeIndex {
	return &shapeIndex{cs: cs, shapes: make(map[uint32]*Shape), bytes: emptyShapeIndexBytes}
}

// emptyShapeIndexBytes is what an empty GEOSHAPE index costs: the module
// creates it with the field and counts the tree's own size from the start.
const emptyShapeIndexBytes = 128

// shapeBytes estimates a shape's memory as the module counts it (the
// points of its rings; a point costs nothing beyond its tree entry), plus
// the tree entry and the lookup entry.
func shapeBytes(sh *Shape) int64 {
	n := int64(48 + 16) // tree entry (box and id), lookup entry
	for _, r := range sh.rings {
		n += 16 * int64(len(r))
	}
	return n
}

func (si *shapeIndex) add(id uint32, sh *Shape) {
	si.tree.Insert(sh.box.min, sh.box.max, id)
	si.shapes[id] = sh
	si.bytes += shapeBytes(sh)
}

func (si *shapeIndex) remove(id uint32) {
	sh, ok := si.shapes[id]
	if !ok {
		return
	}
	si.tree.Delete(sh.box.min, sh.box.max, id)
	delete(si.shapes, id)
	si.bytes -= shapeBytes(sh)
}

// query is the ids, ascending, of the documents whose shape satisfies the
// predicate against q. Every predicate but DISJOINT needs the boxes to
// meet; DISJOINT takes every document whose box misses q's, and tests the
// others.
func (si *shapeIndex) query(op ShapeQuery, q *Shape) []uint32 {
	var ids []uint32
	// A hair of slack: s2's bounds of the two shapes are computed apart.
	min, max := q.box.min, q.box.max
	for i := range min {
		min[i] = math.Nextafter(min[i], math.Inf(-1))
		max[i] = math.Nextafter(max[i], math.Inf(1))
	}
	meets := map[uint32]bool{}
	si.tree.Search(min, max, func(_, _ [2]float64, id uint32) bool {
		if op == ShapeDisjoint {
			meets[id] = true
		}
		if op.Match(si.shapes[id], q) {
			ids = append(ids, id)
		}
		return true
	})
	if op == ShapeDisjoint {
		for id := range si.shapes {
			if !meets[id] {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// checkShapes parses a document's GEOSHAPE values; a value that does not
// parse refuses the document, counted as an indexing failure with the
// module's message.
func (idx *Index) checkShapes(key string, doc Document) ([]shapeRef, bool) {
	var refs []shapeRef
	for _, f := range idx.spec.Fields {
		if f.Type != FieldGeoShape || f.NoIndex {
			continue
		}
		v, ok := docString(doc, f.Path)
		if !ok {
			continue
		}
		sh, err := ParseShape(v, f.Coords)
		if err != nil {
			idx.fail(f, key, "Error indexing geoshape: "+err.Error())
			return nil, false
		}
		refs = append(refs, shapeRef{pos: f.pos, shape: sh})
	}
	return refs, true
}

// shapeRef is a parsed value of a document's GEOSHAPE field.
type shapeRef struct {
	pos   int
	shape *Shape
}

func (idx *Index) addShapes(d *Doc, refs []shapeRef) {
	if len(refs) == 0 {
		return
	}
	if d.extra == nil {
		d.extra = &docExtra{}
	}
	for _, r := range refs {
		idx.shapes[r.pos].add(d.id, r.shape)
		d.extra.shapes = append(d.extra.shapes, uint16(r.pos))
	}
}

func (idx *Index) removeShapes(d *Doc) {
	if d.extra == nil {
		return
	}
	for _, pos := range d.extra.shapes {
		idx.shapes[pos].remove(d.id)
	}
}

// ShapeMemory is the memory of the index's GEOSHAPE indexes, in bytes
// (FT.INFO's geoshapes_sz_mb). The caller holds a lock.
func (idx *Index) ShapeMemory() int64 {
	var n int64
	for _, si := range idx.shapes {
		if si != nil {
			n += si.bytes
		}
	}
	return n
}

// ShapeCount is the number of shapes a GEOSHAPE field's index holds (the
// module's FT.DEBUG DUMP_GEOMIDX num_docs); -1 when the field is not one.
func (idx *Index) ShapeCount(pos int) int {
	if pos < 0 || pos >= len(idx.shapes) || idx.shapes[pos] == nil {
		return -1
	}
	return len(idx.shapes[pos].shapes)
}

// geoShapeIter matches a GEOSHAPE clause: the documents' ids, ascending
// (the module's geometry iterator is an id list). A WKT that does not
// parse fails the query with the module's message.
func (p *planner) geoShapeIter(n *query.GeoShape, w float64) iterator {
	f := p.idx.spec.Field(n.Field)
	if f == nil || f.Type != FieldGeoShape || p.idx.shapes[f.pos] == nil {
		return &emptyIter{}
	}
	q, err := ParseShape(n.WKT, f.Coords)
	if err != nil {
		p.fail(Error("Error querying geoshape index: " + err.Error()))
		return &emptyIter{}
	}
	return newIDIter(p.idx, p.idx.shapes[f.pos].query(ShapeQuery(n.Predicate), q), w)
}
