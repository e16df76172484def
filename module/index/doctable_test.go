package index

import (
	"testing"
	"unsafe"
)

func TestDocTableFreesPages(t *testing.T) {
	var dt docTable
	for id := uint32(1); id <= 3*docPageSize; id++ {
		dt.set(id, &Doc{id: id})
	}
	for id := uint32(1); id < 2*docPageSize; id++ {
		dt.remove(id)
	}
	if dt.pages[0] != nil || dt.pages[1] != nil || dt.pages[2] == nil {
		t.Fatal("an empty page was kept or a live one dropped")
	}
	if d := dt.next(0); d == nil || d.id != 2*docPageSize {
		t.Fatalf("next(0) = %v, want id %d", d, 2*docPageSize)
	}
	n := 0
	dt.each(func(*Doc) { n++ })
	if n != docPageSize+1 {
		t.Fatalf("each visited %d documents, want %d", n, docPageSize+1)
	}
}

// TestDocSize: a document's table entry stays at 64 bytes on 64-bit
// platforms (a Go size class), the rarely used payload and sort values
// living behind one pointer (Doc.extra), its terms, tags and numbers
// encoded in one string (Doc.refs), the fields holding its vectors not
// recorded (removeVectors asks each vector index).
func TestDocSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("64-bit layout")
	}
	if got := unsafe.Sizeof(Doc{}); got > 64 {
		t.Fatalf("Doc is %d bytes, want at most 64", got)
	}
}

// TestTagValueLeavesIndex: a tag value leaves the tag index with the last
// document that had it (the value is found through the document's tag
// reference, which keeps only its list).
func TestTagValueLeavesIndex(t *testing.T) {
	sp := NewSpec("t")
	if err := sp.AddField(NewField("tg", "tg", FieldTag)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	idx.Add("d1", MapDocument{"tg": "a,b"}, DefaultMinStemLen)
	idx.Add("d2", MapDocument{"tg": "b"}, DefaultMinStemLen)
	values := func() []string {
		var out []string
		idx.tags[0].values.Scan(func(v string, _ *idList) bool {
			out = append(out, v)
			return true
		})
		return out
	}
	idx.Remove("d1")
	if got := values(); len(got) != 1 || got[0] != "b" {
		t.Fatalf("after removing d1 the tag index holds %q, want [b]", got)
	}
	idx.Remove("d2")
	if got := values(); len(got) != 0 {
		t.Fatalf("after removing d2 the tag index holds %q, want none", got)
	}
}

// TestTagValueIsCopied: the tag index keeps its own copy of a new value,
// not a piece of the document's storage (which it would keep alive whole
// after the document is gone).
func TestTagValueIsCopied(t *testing.T) {
	sp := NewSpec("t")
	if err := sp.AddField(NewField("tg", "tg", FieldTag)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	storage := "red|a long value the hash keeps"
	idx.Add("d1", MapDocument{"tg": storage[:3]}, DefaultMinStemLen)
	l, ok := idx.tags[0].values.Get("red")
	if !ok {
		t.Fatal("red not indexed")
	}
	if unsafe.StringData(l.value) == unsafe.StringData(storage) {
		t.Fatal("the tag index holds a piece of the document's value")
	}
}
