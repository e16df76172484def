package vecsim

import (
	"slices"
	"testing"
)

// TestVisitedResets checks the visited set across resets, both when the
// words set are few (cleared from the log) and when they are many (the
// whole set cleared): after a reset nothing is seen, and unvisited returns
// each id not seen once, in order, a repeated id once.
func TestVisitedResets(t *testing.T) {
	var v visited
	const n = 10000
	v.reset(n)
	for round, ids := range [][]uint32{
		{5, 64, 9999},                  // three words: the log clears them
		{5, 6, 5, 128, 64},             // 5 and 64 again: unseen after the reset
		seq(0, n, 7),                   // every word: the log overflows
		{0, 7, 1, 9998, 9999, 1, 14},   // seen again after the full clear
		seq(3, 4000, 3),                // ...and after a partial one
		{3, 2, 3, 4, 6, 9996, 9997, 4}, // 3 and 6 were set last round
	} {
		if round > 0 {
			v.reset(n)
		}
		for id := range uint32(n) {
			if v.seen(id) {
				t.Fatalf("round %d: id %d seen right after a reset", round, id)
			}
		}
		// Expected by hand: the ids with their repeats dropped.
		var want []uint32
		for _, id := range ids {
			if !slices.Contains(want, id) {
				want = append(want, id)
			}
		}
		got := v.unvisited(ids, []uint32{42})
		if !slices.Equal(got[1:], want) || got[0] != 42 {
			t.Fatalf("round %d: unvisited %v, want [42 %v]", round, got, want)
		}
		for _, id := range ids {
			if !v.seen(id) || !v.visit(id) {
				t.Fatalf("round %d: id %d not marked", round, id)
			}
		}
		if v.visit(n-2) != slices.Contains(ids, n-2) {
			t.Fatalf("round %d: visit(%d) of an id not marked", round, n-2)
		}
	}
}

func seq(from, to, step uint32) []uint32 {
	var s []uint32
	for i := from; i < to; i += step {
		s = append(s, i)
	}
	return s
}
