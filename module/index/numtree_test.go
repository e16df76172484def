package index

import (
	"strconv"
	"testing"
)

func treeLeaves(n *rangeNode) []*numRange {
	if n.leaf() {
		return []*numRange{n.rng}
	}
	return append(treeLeaves(n.left), treeLeaves(n.right)...)
}

// The shapes the module's own tests assert for its 2.x range tree
// (tests/pytests, NR_CARD_CHECK era, NUMERIC_TREE_MAX_DEPTH_RANGE 0, where
// numRanges counts the leaves): testSanity indexes 100 000 documents with
// the values i % 100 and gets numRanges 15 (and revisionId 14, one per
// split); testRangeParentsConfig indexes the values 0..999 and gets
// numRanges 4.
func TestRangeTreeModuleShapes(t *testing.T) {
	tr := newRangeTree()
	for i := 0; i < 100000; i++ {
		tr.add(float64(i % 100))
	}
	if n := len(treeLeaves(tr.root)); n != 15 {
		t.Errorf("values i %% 100: %d leaves, want 15", n)
	}
	tr = newRangeTree()
	for i := 0; i < 1000; i++ {
		tr.add(float64(i))
	}
	if n := len(treeLeaves(tr.root)); n != 4 {
		t.Errorf("values 0..999: %d leaves, want 4", n)
	}
}

// testSplit, without its garbage collection: 19 entries of 100 then
// entries of 10. The 10th and the 20th entries are the sampled ones (100,
// then 10): two distinct values, 2 * NR_CARD_CHECK >= 16, so the root
// splits at their mean, 55, the 19 entries of 100 going right and the
// entry of 10 left; later entries of 10 go left.
func TestRangeTreeSplitsAtSampledMean(t *testing.T) {
	tr := newRangeTree()
	for i := 0; i < 19; i++ {
		tr.add(100)
	}
	tr.add(10)
	if tr.root.leaf() || tr.root.split != 55 {
		t.Fatalf("after 20 entries: leaf %v, split %v; want a split at 55", tr.root.leaf(), tr.root.split)
	}
	for i := 0; i < 9; i++ {
		tr.add(10)
	}
	leaves := treeLeaves(tr.root)
	if len(leaves) != 2 || len(leaves[0].values) != 10 || len(leaves[1].values) != 19 ||
		leaves[0].min != 10 || leaves[0].max != 10 || leaves[1].min != 100 || leaves[1].max != 100 {
		t.Fatalf("leaves %+v %+v, want 10 entries of 10 and 19 of 100", *leaves[0], *leaves[1])
	}
	// NumericRangeTree_Find with the bounds as given (exclusive bounds
	// included): a leaf is selected when contained or when a bound falls
	// inside it.
	for _, c := range []struct {
		lo, hi          float64
		leaves, entries int
	}{
		{10, 10, 1, 10},
		{0, 200, 2, 29},
		{55, 99, 0, 0},
		{56, 100, 1, 19},
		{10, 100, 2, 29},
	} {
		if l, e := tr.find(c.lo, c.hi); l != c.leaves || e != c.entries {
			t.Errorf("find(%v, %v) = %d leaves, %d entries; want %d, %d", c.lo, c.hi, l, e, c.leaves, c.entries)
		}
	}
}

// test_profile.py's testProfileNumeric (2.x): 10 000 documents with the
// values 50 - (i % 1000) / 10; "@n:[0,100]" reads the leaves below (Term,
// printed with %g, and Size, the leaf's entries).
func TestRangeTreeProfileNumeric(t *testing.T) {
	tr := newRangeTree()
	for i := 0; i < 10000; i++ {
		tr.add(50 - float64(i%1000)/10)
	}
	want := []struct {
		term string
		size int
	}{
		{"-2.9 - 14.4", 1740}, {"14.5 - 30.7", 1630}, {"30.8 - 38", 730}, {"38.1 - 44.6", 660},
		{"44.7 - 46.7", 210}, {"46.8 - 48.5", 180}, {"48.6 - 50", 150},
	}
	var got []*numRange
	for _, r := range treeLeaves(tr.root) {
		if r.max >= 0 {
			got = append(got, r)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d leaves overlap [0, 100], want %d", len(got), len(want))
	}
	total := 0
	for i, r := range got {
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
		if term := g(r.min) + " - " + g(r.max); term != want[i].term || len(r.values) != want[i].size {
			t.Errorf("leaf %d: %s size %d, want %s size %d", i, term, len(r.values), want[i].term, want[i].size)
		}
		total += len(r.values)
	}
	if l, e := tr.find(0, 100); l != len(want) || e != total {
		t.Errorf("find(0, 100) = %d leaves, %d entries; want %d, %d", l, e, len(want), total)
	}
}
