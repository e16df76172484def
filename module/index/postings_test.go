package index

import (
	"fmt"
	"testing"
)

func TestPostingsRoundTrip(t *testing.T) {
	var p postings
	var want []posting
	id := uint32(0)
	for i := 0; i < 1000; i++ {
		id += uint32(1 + i%7)
		e := posting{id: id, fieldMask: uint64(1 + i%3), freq: uint32(1 + i%5)}
		for j := 0; j <= i%4; j++ {
			e.positions = append(e.positions, uint32(i+j*3))
		}
		want = append(want, e)
		p.add(&e)
	}
	// Full blocks keep no more than an eighth of spare room (the
	// allocator's size class; append's doubling would leave up to as much
	// again as the data); the round trip below reads them as written.
	for i, b := range p.blocks[:len(p.blocks)-1] {
		if b.n != postingBlockSize || cap(b.data)-len(b.data) > len(b.data)/8 {
			t.Fatalf("full block %d: %d entries, %d bytes of data, capacity %d", i, b.n, len(b.data), cap(b.data))
		}
	}
	r := postingReader{p: &p}
	for i, w := range want {
		if !r.next() {
			t.Fatalf("ended at %d", i)
		}
		got := r.cur
		if got.id != w.id || got.fieldMask != w.fieldMask || got.freq != w.freq || fmt.Sprint(got.positions) != fmt.Sprint(w.positions) {
			t.Fatalf("entry %d: got %+v, want %+v", i, got, w)
		}
	}
	if r.next() {
		t.Fatal("read past the end")
	}
	// skipTo lands on the first id >= the target, across blocks.
	for _, target := range []uint32{0, 1, want[150].id, want[150].id + 1, want[999].id} {
		r := postingReader{p: &p}
		if !r.skipTo(target) {
			t.Fatalf("skipTo(%d) found nothing", target)
		}
		for _, w := range want {
			if w.id >= target {
				if r.cur.id != w.id {
					t.Fatalf("skipTo(%d) = %d, want %d", target, r.cur.id, w.id)
				}
				break
			}
		}
	}
	r = postingReader{p: &p}
	if r.skipTo(want[999].id + 1) {
		t.Fatal("skipTo past the end found an entry")
	}
	// Compaction keeps the live entries only, still readable and skippable.
	p.compact(func(id uint32) bool { return id%2 == 0 })
	r = postingReader{p: &p}
	n := 0
	for r.next() {
		if r.cur.id%2 != 0 {
			t.Fatalf("dead id %d survived compaction", r.cur.id)
		}
		n++
	}
	even := 0
	for _, w := range want {
		if w.id%2 == 0 {
			even++
		}
	}
	if n != even || p.n != even {
		t.Fatalf("compaction kept %d entries (n=%d), want %d", n, p.n, even)
	}
}

// TestPostingsSkipChain skips one reader forward step by step, eager and
// lazy, and checks the whole entry it lands on: the entries stepped over are
// not decoded, so a wrong offset shows in the next entry's fields.
func TestPostingsSkipChain(t *testing.T) {
	var p postings
	var want []posting
	id := uint32(0)
	for i := 0; i < 2000; i++ {
		id += uint32(1 + i%11)
		if i%17 == 0 {
			id += 300 // a delta of two bytes
		}
		e := posting{id: id, fieldMask: uint64(1) << (i % 40), freq: uint32(1 + i%300)}
		for j := 0; j < i%5; j++ {
			e.positions = append(e.positions, uint32(i*j*37+j))
		}
		want = append(want, e)
		p.add(&e)
	}
	for _, lazy := range []bool{false, true} {
		for _, step := range []int{1, 3, 50, 99, 101, 250} {
			r := postingReader{p: &p, lazy: lazy}
			for k := 0; k < len(want); k += step {
				w := want[k]
				target := w.id
				if k > 0 && k%2 == 1 {
					target = want[k-1].id + 1 // between two entries: lands on w
				}
				if !r.skipTo(target) {
					t.Fatalf("lazy %v step %d: skipTo(%d) found nothing", lazy, step, target)
				}
				got := r.cur
				pos := got.positions
				if lazy {
					pos = decodePositions(nil, got.posRaw)
				}
				if got.id != w.id || got.fieldMask != w.fieldMask || got.freq != w.freq || fmt.Sprint(pos) != fmt.Sprint(w.positions) {
					t.Fatalf("lazy %v step %d: skipTo(%d) = %+v %v, want %+v", lazy, step, target, got, pos, w)
				}
			}
		}
	}
}
