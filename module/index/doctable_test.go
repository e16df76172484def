package index

import "testing"

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
