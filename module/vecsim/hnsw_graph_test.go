package vecsim

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// manualGraph builds a one-level L2 HNSW graph by hand: vectors (labels are
// their indexes), level-0 links, entry point.
func manualGraph(t *testing.T, vecs [][]float32, links [][]uint32, entry uint32) *hnsw[float32] {
	t.Helper()
	p := Params{Algo: HNSW, Type: Float32, Dim: len(vecs[0]), Metric: L2, M: 2}
	g := newHNSW[float32](&p)
	for i, v := range vecs {
		g.alloc(uint64(i), v, 0)
	}
	for i, l := range links {
		g.setLinks(uint32(i), 0, l)
	}
	g.orphans = g.orphans[:0]
	g.entry, g.maxLevel = entry, 0
	return g
}

// VecSim's dynamic range search widens its boundary by EPSILON: from the
// entry point A (distance 1, within the radius 1.5, so the range starts at
// the radius), the only path to C (1.21, within the radius) goes through B
// at 9. With EPSILON 0.01 the boundary is 1.515 and B is never expanded;
// with EPSILON 10 it is 16.5 and C is found.
func TestHNSWRangeEpsilonWidens(t *testing.T) {
	g := manualGraph(t, [][]float32{{1}, {3}, {-1.1}}, [][]uint32{{1}, {2}, {1}}, 0)
	q := []float32{0}
	got := g.rangeSearch(q, 1.5, SearchOpts{Epsilon: 0.01}, nil)
	closeResults(t, "EPSILON 0.01", got, []Result{{0, 1}}, 1e-6)
	got = g.rangeSearch(q, 1.5, SearchOpts{Epsilon: 10}, nil)
	closeResults(t, "EPSILON 10", got, []Result{{0, 1}, {2, 1.21}}, 1e-6)
	// The default EPSILON is the index's (0.01).
	got = g.rangeSearch(q, 1.5, SearchOpts{}, nil)
	closeResults(t, "default EPSILON", got, []Result{{0, 1}}, 1e-6)
}

// The boundary also shrinks towards the radius as nearer candidates are
// expanded: entry E at 100 (outside radius 1), its neighbours X at 4 and F
// at 64; X's neighbour Y at 0.25. After E the boundary is 101; expanding X
// (4 < 100) brings it to 4.04, so F (64) is never expanded and its
// neighbour G (0.01) is not found, while Y is.
func TestHNSWRangeBoundaryShrinks(t *testing.T) {
	g := manualGraph(t, [][]float32{{10}, {2}, {8}, {0.5}, {0.1}}, [][]uint32{{1, 2}, {3}, {4}, {}, {}}, 0)
	got := g.rangeSearch([]float32{0}, 1, SearchOpts{Epsilon: 0.01}, nil)
	closeResults(t, "shrunk boundary", got, []Result{{3, 0.25}}, 1e-6)
}

// VecSim's repair of a node that lost a neighbour: its candidates are its
// live neighbours and the live neighbours of the deleted one; with no more
// than the level holds, it takes them all. Node 0 links to 1 and 2; 2 is
// deleted; 2 links to 3 and 4 (and back to 0). After the repair 0 links to
// 1, 3 and 4.
func TestHNSWRepairNode(t *testing.T) {
	g := manualGraph(t, [][]float32{{0}, {1}, {2}, {3}, {4}}, [][]uint32{{1, 2}, {0}, {0, 3, 4}, {2}, {2}}, 0)
	g.markDeletedID(2)
	g.repairNode(0, 0)
	got := slices.Sorted(slices.Values(g.nbrs(0, 0)))
	if fmt.Sprint(got) != "[1 3 4]" {
		t.Fatalf("repaired neighbours %v, want [1 3 4]", got)
	}
	// With more candidates than M0 (4 here), the heuristic chooses: node 0
	// at 0 with neighbours 1 (at 1) and a deleted 2 whose neighbours 3, 4,
	// 5, 6 are at 1.1, 1.2, 5 and -1: five candidates at squared distances
	// 1, 1.21, 1.44, 25, 1. The heuristic keeps 1 and 6 (at 1 each, on
	// opposite sides: 1 and 6 are 4 apart); 3, 4 and 5 are nearer to 1
	// (0.01, 0.04, 16) than to 0 (1.21, 1.44, 25).
	h := manualGraph(t, [][]float32{{0}, {1}, {9}, {1.1}, {1.2}, {5}, {-1}},
		[][]uint32{{1, 2}, {0}, {3, 4, 5, 6}, {2}, {2}, {2}, {2}}, 0)
	h.markDeletedID(2)
	h.repairNode(0, 0)
	got = slices.Sorted(slices.Values(h.nbrs(0, 0)))
	if fmt.Sprint(got) != "[1 6]" {
		t.Fatalf("repaired neighbours with the heuristic %v, want [1 6]", got)
	}
}

// Levels are drawn as floor(-ln(u)·mult) with mult = 1/ln(M): a node
// reaches level l with probability M^-l. For M 16 over 200 000 draws, 1/16
// and 1/256 of them, within 6 standard deviations (binomial).
func TestHNSWLevels(t *testing.T) {
	p := Params{Algo: HNSW, Type: Float32, Dim: 2, Metric: L2, M: 16}
	g := newHNSW[float32](&p)
	const n = 200000
	var ge1, ge2 int
	for range n {
		l := g.randomLevel()
		if l >= 1 {
			ge1++
		}
		if l >= 2 {
			ge2++
		}
	}
	check := func(what string, got int, p float64) {
		sd := math.Sqrt(n * p * (1 - p))
		if math.Abs(float64(got)-n*p) > 6*sd {
			t.Errorf("%s: %d of %d, want %.0f ± %.0f", what, got, n, n*p, 6*sd)
		}
	}
	check("level >= 1", ge1, 1.0/16)
	check("level >= 2", ge2, 1.0/256)
	if g.m0 != 32 || g.m != 16 {
		t.Fatalf("M %d M0 %d", g.m, g.m0)
	}
}

// Level 0 holds up to M0 = 2M neighbours, the levels above up to M: on a
// built graph both limits are reached and never passed.
func TestHNSWDegrees(t *testing.T) {
	cp := clusteredCorpus(2, 1500, 0, 8, 5, 0.5)
	x := New(Params{Algo: HNSW, Type: Float32, Dim: 8, Metric: L2, M: 6, EFConstruction: 100}, Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	g := hnswOf[float32](x)
	max0, max1 := 0, 0
	for id := range g.n {
		max0 = max(max0, len(g.nbrs(uint32(id), 0)))
		if g.level[id] >= 1 {
			max1 = max(max1, len(g.nbrs(uint32(id), 1)))
		}
	}
	if max0 != 12 || max1 != 6 {
		t.Fatalf("largest neighbour lists: %d at level 0 (want M0 = 12), %d at level 1 (want M = 6)", max0, max1)
	}
}

// A new node that every neighbour drops when it re-selects its list would
// be unreachable; it is given an in-edge (VecSim reconnects such nodes).
// On a line, M 2 (M0 4): node 1 at 1 links to 5 (1.3), 0, 2 (-1), 4 (-2);
// node 3 at 2 links to 6 (1.7), 0, 2, 4; both are full. The new node x at
// 1.5 chooses 1 and 3. 1 re-selects among 5 (0.09), x (0.25), 0 (1), 2
// (4), 4 (9): x is nearer to 5 (0.04) than to 1, so it is dropped (1
// keeps 5 and 0); 3 re-selects among 6 (0.09), x (0.25), 0, 2, 4 and keeps
// only 6. Nobody links to x; x then goes to its nearest neighbour with
// room: 1, which now holds 5, 0 and x.
func TestHNSWOrphanAdopted(t *testing.T) {
	g := manualGraph(t, [][]float32{{0}, {1}, {-1}, {2}, {-2}, {1.3}, {1.7}},
		[][]uint32{{1, 2, 3, 4}, {5, 0, 2, 4}, {0, 1}, {6, 0, 2, 4}, {0, 3}, {1, 6}, {3, 5}}, 0)
	x := g.alloc(7, []float32{1.5}, 0)
	g.connect(x, []cand[float32]{{0.25, 1}, {0.25, 3}}, 0)
	if fmt.Sprint(g.nbrs(1, 0), g.nbrs(3, 0), g.indeg[x]) != "[5 0] [6] 0" {
		t.Fatalf("after connect: 1 → %v, 3 → %v, in-degree of x %d; want [5 0] [6] 0", g.nbrs(1, 0), g.nbrs(3, 0), g.indeg[x])
	}
	g.fixOrphans()
	if fmt.Sprint(g.nbrs(1, 0), g.indeg[x]) != "[5 0 7] 1" {
		t.Fatalf("after fixOrphans: 1 → %v, in-degree of x %d; want [5 0 7] 1", g.nbrs(1, 0), g.indeg[x])
	}
	g.checkInvariants(t)
	g.reachableLive(t)
}
