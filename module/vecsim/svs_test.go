package vecsim

import (
	"fmt"
	"testing"
)

func svsParams(t ElemType, dim int, m Metric) Params {
	return Params{Algo: SVSVamana, Type: t, Dim: dim, Metric: m}
}

func vamanaOf[T float](x Index) *vamana[T] { return x.(*graphIndex[T]).g.(*vamana[T]) }

// pruneOf runs the prune of node x over the given pool (ids of vectors
// stored in v), distances computed by the index.
func pruneOf(v *vamana[float32], x uint32, pool []uint32, m int) []uint32 {
	xv := v.vecs.at(x)
	var cs []cand[float32]
	for _, id := range pool {
		cs = append(cs, cand[float32]{v.sp.dist(xv, v.vecs.at(id)), id})
	}
	sortCands(cs)
	var out []uint32
	for _, c := range v.prune(x, cs, m, nil) {
		out = append(out, c.id)
	}
	return out
}

func vamanaWith(m Metric, vecs ...[]float32) *vamana[float32] {
	p := svsParams(Float32, len(vecs[0]), m)
	v := newVamana[float32](&p)
	v.vecs.ensure(len(vecs))
	for i, x := range vecs {
		copy(v.vecs.at(uint32(i)), x)
	}
	v.n = len(vecs)
	return v
}

// SVS's L2 prune (progressive): a candidate c is skipped in the round at
// alpha a while a < d(x,c)/d(s,c) for a kept s; rounds at 1 then 1.2.
// x = (0,0), a = (1,0):
//   - b = (2,0):   d(x,b) = 4, d(a,b) = 1: ratio 4, skipped in both rounds;
//   - c = (0.8,2): d(x,c) = 4.64, d(a,c) = 4.04: ratio 1.1485, skipped at 1,
//     kept at 1.2;
//   - e = (-1,3):  d(x,e) = 10, d(a,e) = 13: ratio 0.77, kept at once.
//
// The first round keeps a then e; the second adds c.
func TestSVSPruneL2(t *testing.T) {
	v := vamanaWith(L2, []float32{0, 0}, []float32{1, 0}, []float32{2, 0}, []float32{0.8, 2}, []float32{-1, 3})
	got := pruneOf(v, 0, []uint32{1, 2, 3, 4}, 3)
	if fmt.Sprint(got) != "[1 4 3]" {
		t.Fatalf("prune = %v, want [1 4 3] (a, e, then c in the alpha 1.2 round)", got)
	}
	if got := pruneOf(v, 0, []uint32{1, 2, 3, 4}, 2); fmt.Sprint(got) != "[1 4]" {
		t.Fatalf("prune to 2 = %v, want [1 4]", got)
	}
	v.alpha = 1
	if got := pruneOf(v, 0, []uint32{1, 2, 3, 4}, 3); fmt.Sprint(got) != "[1 4]" {
		t.Fatalf("prune at alpha 1 = %v, want [1 4]", got)
	}
}

// SVS's IP prune (iterative, on similarities): c is pruned in the round at
// alpha a when a·sim(s,c) > sim(x,c) for a kept s; rounds at 1 then 0.95,
// pruned candidates coming back. x = (1,0), a = (1,1): sim(x,a) = 1;
// c = (0.97,0.03): sim(x,c) = 0.97, sim(a,c) = 1.0 > 0.97, pruned at 1;
// 0.95 × 1.0 = 0.95 < 0.97, kept at 0.95. IP distances are 1 - dot.
func TestSVSPruneIP(t *testing.T) {
	v := vamanaWith(IP, []float32{1, 0}, []float32{1, 1}, []float32{0.97, 0.03})
	if got := pruneOf(v, 0, []uint32{1, 2}, 3); fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("prune = %v, want [1 2]", got)
	}
	v.alpha = 1
	if got := pruneOf(v, 0, []uint32{1, 2}, 3); fmt.Sprint(got) != "[1]" {
		t.Fatalf("prune at alpha 1 = %v, want [1]", got)
	}
	if p := svsParams(Float32, 2, Cosine); newVamana[float32](&p).alpha != 0.95 {
		t.Fatalf("COSINE alpha")
	}
	if p := svsParams(Float32, 2, L2); newVamana[float32](&p).alpha != 1.2 {
		t.Fatalf("L2 alpha")
	}
}

func TestSVSDefaults(t *testing.T) {
	p := svsParams(Float32, 4, L2)
	v := newVamana[float32](&p)
	if v.r != 32 || v.l != 200 || v.w != 10 || v.maxCand != 600 || v.pruneTo != 28 || v.eps != 0.01 {
		t.Fatalf("defaults: degree %d window %d search window %d pool %d prune to %d epsilon %v",
			v.r, v.l, v.w, v.maxCand, v.pruneTo, v.eps)
	}
}

// A search window covering the index makes the search exhaustive over what
// the entry point reaches: the answer is exact on a connected graph.
func TestSVSExactWhenWindowCoversIndex(t *testing.T) {
	for _, typ := range []ElemType{Float32, Float64} {
		for _, m := range []Metric{L2, IP, Cosine} {
			t.Run(fmt.Sprintf("%v/%v", typ, m), func(t *testing.T) {
				cp := uniformCorpus(21, 500, 15, 12)
				x := New(svsParams(typ, 12, m), Options{})
				for i, v := range cp.vecs {
					x.Add(uint64(i), blobOf(typ, v))
				}
				for qi, q := range cp.queries {
					for _, k := range []int{1, 10, 500} {
						got := x.TopK(blobOf(typ, q), k, SearchOpts{EFRuntime: 500}, nil)
						exactResults(t, fmt.Sprintf("query %d k %d", qi, k), got, graphBruteForce(m, cp.vecs, nil, q, k),
							func(l uint64) (float64, bool) { return refDist(m, q, cp.vecs[l]), true }, 1e-5)
					}
				}
			})
		}
	}
}

func (v *vamana[T]) reachableLive(t testing.TB) {
	t.Helper()
	if v.entry == invalidID {
		if v.live() != 0 {
			t.Fatalf("no entry with %d live", v.live())
		}
		return
	}
	if v.dead[v.entry] {
		t.Fatalf("entry point is a tombstone")
	}
	seen := make([]bool, v.n)
	stack := []uint32{v.entry}
	seen[v.entry] = true
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nb := v.nbrs(x)
		if len(nb) > v.r {
			t.Fatalf("node %d has %d neighbours", x, len(nb))
		}
		for _, y := range nb {
			if y == x || int(y) >= v.n {
				t.Fatalf("node %d links to %d", x, y)
			}
			if !seen[y] {
				seen[y] = true
				stack = append(stack, y)
			}
		}
	}
	for id := range v.n {
		if !v.dead[id] && !seen[id] {
			t.Fatalf("live node %d is not reachable", id)
		}
	}
}

func TestSVSDeletes(t *testing.T) {
	const n = 1200
	cp := clusteredCorpus(13, n, 10, 16, 12, 0.5)
	x := New(svsParams(Float32, 16, L2), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	v := vamanaOf[float32](x)
	live := make([]bool, n)
	for i := range live {
		live[i] = true
	}
	epoch := v.epoch
	for i := 0; i < n; i += 3 {
		x.Delete(uint64(i))
		live[i] = false
	}
	for i := 1; i < n; i += 3 {
		x.Delete(uint64(i))
		live[i] = false
	}
	if v.epoch == epoch {
		t.Fatalf("no consolidation after deleting two thirds")
	}
	check := func(stage string) {
		t.Helper()
		v.reachableLive(t)
		for qi, q := range cp.queries {
			qb := vecBlob32(q)
			got := x.TopK(qb, x.Size(), SearchOpts{EFRuntime: n}, nil)
			exactResults(t, fmt.Sprintf("%s: exact query %d", stage, qi), got, graphBruteForce(L2, cp.vecs, func(l uint64) bool { return live[l] }, q, -1),
				func(l uint64) (float64, bool) { return refDist(L2, q, cp.vecs[l]), live[l] }, 1e-4)
			for _, res := range [][]Result{x.TopK(qb, 10, SearchOpts{}, nil), x.Range(qb, 4, SearchOpts{}, nil), x.Batches(qb, SearchOpts{}).Next(40)} {
				checkSorted(t, res)
				for _, r := range res {
					if !live[r.Label] {
						t.Fatalf("%s: deleted label %d returned", stage, r.Label)
					}
				}
			}
		}
	}
	check("after deletes")
	for i := 0; i < n; i += 6 {
		x.Add(uint64(i), vecBlob32(cp.vecs[i]))
		live[i] = true
	}
	check("after re-adds")
	v.consolidate()
	check("consolidated")
}

// SVS range: batches of the search window until one holds a distance past
// radius·(1+EPSILON); with a large EPSILON it is exhaustive. A radius of 0
// finds nothing (VecSim's svs.h returns at once on it).
func TestSVSRange(t *testing.T) {
	cp := clusteredCorpus(17, 900, 10, 16, 9, 0.5)
	x := New(svsParams(Float32, 16, L2), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	for qi, q := range cp.queries {
		all := graphBruteForce(L2, cp.vecs, nil, q, -1)
		i := 30
		for all[i+1].Dist-all[i].Dist < 1e-3 {
			i++
		}
		radius := (all[i].Dist + all[i+1].Dist) / 2
		got := x.Range(vecBlob32(q), radius, SearchOpts{Epsilon: 1000}, nil)
		closeResults(t, fmt.Sprintf("range %d", qi), got, all[:i+1], 1e-4)
	}
	x.Add(5000, vecBlob32(cp.queries[0]))
	if r := x.Range(vecBlob32(cp.queries[0]), 0, SearchOpts{}, nil); len(r) != 0 {
		t.Fatalf("radius 0: %v", r)
	}
}

func TestSVSTieredAndBatches(t *testing.T) {
	var q jobQueue
	x := New(Params{Algo: SVSVamana, Type: Float32, Dim: 2, Metric: L2}, Options{Submit: q.submit})
	for i := range 40 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	if x.Pending() != 40 {
		t.Fatalf("Pending %d", x.Pending())
	}
	wantTopK(t, x, 10, 3, []Result{{10, 0}, {9, 1}, {11, 1}})
	q.runAll()
	if x.Pending() != 0 || vamanaOf[float32](x).live() != 40 {
		t.Fatalf("after jobs: Pending %d", x.Pending())
	}
	wantTopK(t, x, 10, 3, []Result{{10, 0}, {9, 1}, {11, 1}})
	x.Delete(10)
	q.runAll()
	wantTopK(t, x, 10, 3, []Result{{9, 1}, {11, 1}, {8, 4}})
	it := x.Batches(xAxis(0), SearchOpts{})
	seen := 0
	for !it.Done() {
		b := it.Next(7)
		checkSorted(t, b)
		seen += len(b)
	}
	if seen != 39 {
		t.Fatalf("batches returned %d of 39", seen)
	}
}
