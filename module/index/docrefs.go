package index

import (
	"encoding/binary"
	"math"
	"slices"
)

// A document's references to the structures that index it (what Remove
// undoes) are kept in one immutable string, Doc.refs, rather than slices of
// pointers: at searchbench's 56 distinct terms per document, a
// []*termEntry cost 448 bytes a document (plus its slice header), where the
// sorted term ids, delta-encoded as varints, take about two bytes each.
//
// Layout, all varints unsigned:
//
//	nsorts, then the SORTABLE values by slot (Field.sortIdx): a SortKind
//	  byte, then for SortNum the float64's 8 bytes (little endian), for
//	  SortStr the length and the bytes (nsorts is the spec's number of
//	  SORTABLE fields when the document was indexed: a field FT.ALTER
//	  added later has no slot; the doc table's sort columns copy these
//	  values for SORTBY, see sortCol);
//	nterms, then nterms term ids ascending (the first as is, the others
//	  as the difference to the previous one);
//	ntags, then per tag value: field position, tag list id;
//	nnums, then per value: field position<<1 | isGeo, the value's 8 bytes
//	  (float64 bits, little endian), and for GEO the longitude's 8 bytes
//	  (the value is then the latitude).
//
// Term ids index Index.termByID, tag list ids Index.tagLists; an id is
// given back to its free list when its term (or tag value) leaves the
// index, which happens only once no live document refers to it.

// docRefsBuilder accumulates a document's references; the index keeps one
// (scratch space) between documents.
type docRefsBuilder struct {
	sorts []SortValue
	terms []uint32
	tags  []uint32 // field, id pairs
	nums  []numRef
	buf   []byte
}

func (b *docRefsBuilder) reset() {
	b.sorts, b.terms, b.tags, b.nums, b.buf = b.sorts[:0], b.terms[:0], b.tags[:0], b.nums[:0], b.buf[:0]
}

// encode is the refs string of what was added.
func (b *docRefsBuilder) encode() string {
	slices.Sort(b.terms)
	buf := binary.AppendUvarint(b.buf[:0], uint64(len(b.sorts)))
	for _, v := range b.sorts {
		buf = append(buf, byte(v.Kind))
		switch v.Kind {
		case SortNum:
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.Num))
		case SortStr:
			buf = binary.AppendUvarint(buf, uint64(len(v.Str)))
			buf = append(buf, v.Str...)
		}
	}
	buf = binary.AppendUvarint(buf, uint64(len(b.terms)))
	prev := uint32(0)
	for _, t := range b.terms {
		buf = binary.AppendUvarint(buf, uint64(t-prev))
		prev = t
	}
	buf = binary.AppendUvarint(buf, uint64(len(b.tags)/2))
	for _, v := range b.tags {
		buf = binary.AppendUvarint(buf, uint64(v))
	}
	buf = binary.AppendUvarint(buf, uint64(len(b.nums)))
	for _, n := range b.nums {
		geo := n.geo
		buf = binary.AppendUvarint(buf, uint64(n.field)<<1|b2u(geo))
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(n.v))
		if geo {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(n.lon))
		}
	}
	b.buf = buf
	return string(buf)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// docRefs decodes a Doc.refs string.
type docRefs struct{ s string }

func (r *docRefs) uvarint() uint64 {
	var x uint64
	var shift uint
	for i := 0; i < len(r.s); i++ {
		c := r.s[i]
		if c < 0x80 {
			r.s = r.s[i+1:]
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	panic("index: truncated document refs")
}

func (r *docRefs) float() float64 {
	s := r.s[:8]
	u := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	r.s = r.s[8:]
	return math.Float64frombits(u)
}

// sortValue decodes the next sort value.
func (r *docRefs) sortValue() SortValue {
	v := SortValue{Kind: SortKind(r.s[0])}
	r.s = r.s[1:]
	switch v.Kind {
	case SortNum:
		v.Num = r.float()
	case SortStr:
		n := r.uvarint()
		v.Str, r.s = r.s[:n], r.s[n:]
	}
	return v
}

// sortAt is the sort value in a slot; ok is false when the document has
// no such slot.
func (r *docRefs) sortAt(slot int) (SortValue, bool) {
	n := r.uvarint()
	if slot < 0 || uint64(slot) >= n {
		return SortValue{}, false
	}
	for range slot {
		r.sortValue()
	}
	return r.sortValue(), true
}

// skipSorts moves past the sort values (to the terms).
func (r *docRefs) skipSorts() {
	for n := r.uvarint(); n > 0; n-- {
		r.sortValue()
	}
}

// sortsLen is the length of the sort values' part of a refs string.
func sortsLen(refs string) int {
	r := docRefs{refs}
	r.skipSorts()
	return len(refs) - len(r.s)
}

// eachTerm calls fn with the ids of the document's terms, ascending; the
// sort values come first (skipSorts).
func (r *docRefs) eachTerm(fn func(id uint32)) {
	n := r.uvarint()
	id := uint32(0)
	for range n {
		id += uint32(r.uvarint())
		fn(id)
	}
}

// eachTag calls fn with the field and list id of each tag value; the
// terms come first (eachTerm).
func (r *docRefs) eachTag(fn func(field int, id uint32)) {
	n := r.uvarint()
	for range n {
		f := int(r.uvarint())
		fn(f, uint32(r.uvarint()))
	}
}

// eachNum calls fn with each NUMERIC and GEO value; the tags come first
// (eachTag).
func (r *docRefs) eachNum(fn func(n numRef)) {
	cnt := r.uvarint()
	for range cnt {
		h := r.uvarint()
		n := numRef{field: int(h >> 1), geo: h&1 == 1}
		n.v = r.float()
		if n.geo {
			n.lon = r.float()
		}
		fn(n)
	}
}

// eachNum calls fn with the document's NUMERIC and GEO values.
func (d *Doc) eachNum(fn func(n numRef)) {
	r := docRefs{d.refs}
	r.skipSorts()
	r.eachTerm(func(uint32) {})
	r.eachTag(func(int, uint32) {})
	r.eachNum(fn)
}

// newTermID gives a new term its id.
func (idx *Index) newTermID(te *termEntry) {
	if n := len(idx.freeTermIDs); n > 0 {
		te.id = idx.freeTermIDs[n-1]
		idx.freeTermIDs = idx.freeTermIDs[:n-1]
		idx.termByID[te.id] = te
		return
	}
	te.id = uint32(len(idx.termByID))
	idx.termByID = append(idx.termByID, te)
}

func (idx *Index) freeTermID(te *termEntry) {
	idx.termByID[te.id] = nil
	idx.freeTermIDs = append(idx.freeTermIDs, te.id)
}

// newTagListID gives a new tag value's list its id.
func (idx *Index) newTagListID(l *idList) {
	if n := len(idx.freeTagIDs); n > 0 {
		l.id = idx.freeTagIDs[n-1]
		idx.freeTagIDs = idx.freeTagIDs[:n-1]
		idx.tagLists[l.id] = l
		return
	}
	l.id = uint32(len(idx.tagLists))
	idx.tagLists = append(idx.tagLists, l)
}

func (idx *Index) freeTagListID(l *idList) {
	idx.tagLists[l.id] = nil
	idx.freeTagIDs = append(idx.freeTagIDs, l.id)
}
