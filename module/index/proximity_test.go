package index

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// encodePositions encodes positions as a posting stores them.
func encodePositions(ps []uint32) []byte {
	var raw []byte
	prev := uint32(0)
	for _, p := range ps {
		raw = binary.AppendUvarint(raw, uint64(p-prev))
		prev = p
	}
	return raw
}

// TestWithinOrdered2 checks the two-term phrase check, read from encoded
// positions, against hand-computed cases and against withinOrdered (the
// module's in-order walk) on decoded lists.
func TestWithinOrdered2(t *testing.T) {
	check := func(a, b []uint32, slop int) bool {
		return withinOrdered2(encodePositions(a), encodePositions(b), slop)
	}
	for _, tc := range []struct {
		a, b []uint32
		slop int
		want bool
	}{
		{[]uint32{1, 5}, []uint32{6}, 0, true},     // 5 then 6: adjacent
		{[]uint32{1, 5}, []uint32{3}, 0, false},    // 1..3 has one word between; 3 is before 5
		{[]uint32{1, 5}, []uint32{3}, 1, true},     // one word between is within slop 1
		{[]uint32{4}, []uint32{2, 300}, 0, false},  // 300 - 4 - 1 = 295 > 0
		{[]uint32{4}, []uint32{2, 300}, 295, true}, // and within 295 (a two-byte varint)
		{[]uint32{7}, []uint32{7}, 0, true},        // same position: span -1
	} {
		if got := check(tc.a, tc.b, tc.slop); got != tc.want {
			t.Errorf("%v %v slop %d: %v, want %v", tc.a, tc.b, tc.slop, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	list := func() []uint32 {
		var ps []uint32
		p := uint32(0)
		for range r.IntN(6) {
			p += uint32(r.IntN(200))
			ps = append(ps, p)
		}
		return ps
	}
	for range 20000 {
		a, b, slop := list(), list(), r.IntN(4)
		its := []offsetCursor{{list: a}, {list: b}}
		want := withinOrdered(its, slop, make([]uint32, 2))
		if got := check(a, b, slop); got != want {
			t.Fatalf("%v %v slop %d: %v, withinOrdered %v", a, b, slop, got, want)
		}
	}
}
