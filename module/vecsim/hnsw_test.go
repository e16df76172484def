package vecsim

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

func hnswParams(t ElemType, dim int, m Metric) Params {
	return Params{Algo: HNSW, Type: t, Dim: dim, Metric: m, M: 16, EFConstruction: 200}
}

// With EF_RUNTIME at least the number of vectors, the level-0 search can
// only stop once every vector reached is among its candidates: the answer
// is exact when the graph is connected, whatever the graph looks like. The
// expected answer is a brute force in float64 over the same vectors.
func TestHNSWExactWhenEFCoversIndex(t *testing.T) {
	for _, typ := range []ElemType{Float32, Float64} {
		for _, m := range []Metric{L2, IP, Cosine} {
			t.Run(fmt.Sprintf("%v/%v", typ, m), func(t *testing.T) {
				cp := uniformCorpus(11, 400, 20, 12)
				x := New(hnswParams(typ, 12, m), Options{})
				for i, v := range cp.vecs {
					x.Add(uint64(i), blobOf(typ, v))
				}
				if x.Size() != 400 {
					t.Fatalf("Size %d", x.Size())
				}
				tol := 1e-5
				if typ == Float64 {
					tol = 1e-12
				}
				for qi, q := range cp.queries {
					for _, k := range []int{1, 10, 400} {
						got := x.TopK(blobOf(typ, q), k, SearchOpts{EFRuntime: 400}, nil)
						exactResults(t, fmt.Sprintf("query %d k %d", qi, k), got, graphBruteForce(m, cp.vecs, nil, q, k),
							func(l uint64) (float64, bool) { return refDist(m, q, cp.vecs[l]), true }, tol)
					}
				}
				switch typ {
				case Float64:
					hnswOf[float64](x).checkInvariants(t)
					hnswOf[float64](x).reachableLive(t)
				default:
					hnswOf[float32](x).checkInvariants(t)
					hnswOf[float32](x).reachableLive(t)
				}
			})
		}
	}
}

// A FLOAT64 field stores float64: distances between vectors whose
// components are multiples of 1/32 are exact in float64 (the golden vd
// field), here 1 - dot with dot = 1/3 computed in float64 differs from the
// float32 one.
func TestHNSWFloat64Storage(t *testing.T) {
	x := New(Params{Algo: HNSW, Type: Float64, Dim: 2, Metric: IP}, Options{})
	x.Add(1, vecBlob64([]float32{1, 0}))
	third := 1.0 / 3
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, math.Float64bits(third))
	d, ok := x.Distance(1, b)
	// 1 - dot in float64 is 0.6666666666666667; in float32 it would be
	// 1 - float32(1/3) = 0.6666666865348816.
	if want := 1 - third; !ok || d != want {
		t.Fatalf("Distance = %v, %v; want %v (float64 arithmetic)", d, ok, want)
	}
}

func TestHNSWEmptyAndSmall(t *testing.T) {
	x := New(hnswParams(Float32, 3, L2), Options{})
	q := vecBlob32([]float32{0, 0, 0})
	if r := x.TopK(q, 5, SearchOpts{}, nil); len(r) != 0 {
		t.Fatalf("TopK on empty: %v", r)
	}
	if r := x.Range(q, 10, SearchOpts{}, nil); len(r) != 0 {
		t.Fatalf("Range on empty: %v", r)
	}
	it := x.Batches(q, SearchOpts{})
	if r := it.Next(3); len(r) != 0 || !it.Done() {
		t.Fatalf("Batches on empty: %v done %v", r, it.Done())
	}
	x.Add(7, vecBlob32([]float32{1, 2, 2}))
	r := x.TopK(q, 5, SearchOpts{}, nil)
	// |(1,2,2)|² = 9
	if len(r) != 1 || r[0] != (Result{Label: 7, Dist: 9}) {
		t.Fatalf("TopK = %v, want [{7 9}]", r)
	}
	if !x.Delete(7) || x.Delete(7) || x.Size() != 0 {
		t.Fatalf("delete of the only vector")
	}
	if r := x.TopK(q, 5, SearchOpts{}, nil); len(r) != 0 {
		t.Fatalf("TopK after deleting all: %v", r)
	}
	x.Add(8, vecBlob32([]float32{0, 0, 1}))
	if r := x.TopK(q, 5, SearchOpts{}, nil); len(r) != 1 || r[0].Label != 8 || r[0].Dist != 1 {
		t.Fatalf("TopK after re-add = %v", r)
	}
}

// Deletes: a deleted label is never returned, by any kind of search, while
// it is a tombstone or after consolidation; level 0 keeps reaching every
// live vector (the exact search over the live ones proves it, and the BFS
// checks it directly).
func TestHNSWDeletes(t *testing.T) {
	const n, dim = 1500, 16
	cp := clusteredCorpus(5, n, 15, dim, 20, 0.5)
	x := New(hnswParams(Float32, dim, Cosine), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	g := hnswOf[float32](x)
	live := make([]bool, n)
	for i := range live {
		live[i] = true
	}
	isLive := func(l uint64) bool { return live[l] }
	r := rand.New(rand.NewPCG(9, 9))
	check := func(stage string) {
		t.Helper()
		g.checkInvariants(t)
		if got := g.reachableLive(t); got != x.Size() {
			t.Fatalf("%s: %d live nodes, Size %d", stage, got, x.Size())
		}
		for qi, q := range cp.queries {
			qb := vecBlob32(q)
			got := x.TopK(qb, x.Size(), SearchOpts{EFRuntime: n}, nil)
			exactResults(t, fmt.Sprintf("%s: exact query %d", stage, qi), got, graphBruteForce(Cosine, cp.vecs, isLive, q, -1),
				func(l uint64) (float64, bool) { return refDist(Cosine, q, cp.vecs[l]), live[l] }, 1e-5)
			for _, res := range [][]Result{
				x.TopK(qb, 10, SearchOpts{}, nil),
				x.Range(qb, 0.5, SearchOpts{}, nil),
				x.Batches(qb, SearchOpts{}).Next(50),
			} {
				checkSorted(t, res)
				for _, rr := range res {
					if !live[rr.Label] {
						t.Fatalf("%s: deleted label %d returned", stage, rr.Label)
					}
				}
			}
		}
	}
	// Delete a few: tombstones, below the consolidation threshold.
	for range 40 {
		l := r.IntN(n)
		if x.Delete(uint64(l)) != live[l] {
			t.Fatalf("Delete(%d) result", l)
		}
		live[l] = false
	}
	if g.ndead == 0 {
		t.Fatalf("expected tombstones before the threshold")
	}
	check("tombstones")
	// Delete most of the rest of a cluster's worth and more: consolidation
	// runs (ids move), repeatedly.
	epoch := g.epoch
	for range 700 {
		l := r.IntN(n)
		x.Delete(uint64(l))
		live[l] = false
	}
	if g.epoch == epoch {
		t.Fatalf("no consolidation after 700 deletes")
	}
	check("consolidated")
	g.consolidate()
	if g.ndead != 0 || g.n != x.Size() {
		t.Fatalf("after consolidate: %d tombstones, %d ids, Size %d", g.ndead, g.n, x.Size())
	}
	check("all consolidated")
	// Re-add deleted labels with other vectors.
	for l := range n {
		if !live[l] && l%3 == 0 {
			v := cp.vecs[(l+1)%n]
			cp.vecs[l] = v
			x.Add(uint64(l), vecBlob32(v))
			live[l] = true
		}
	}
	check("re-added")
}

// Re-adding a label replaces its vector: one result per label, at the new
// vector's distance.
func TestHNSWReAddReplaces(t *testing.T) {
	x := New(hnswParams(Float32, 2, L2), Options{})
	for i := range 50 {
		x.Add(uint64(i), vecBlob32([]float32{float32(i), 0}))
	}
	x.Add(10, vecBlob32([]float32{100, 0}))
	if x.Size() != 50 {
		t.Fatalf("Size %d after replacing", x.Size())
	}
	d, ok := x.Distance(10, vecBlob32([]float32{100, 1}))
	if !ok || d != 1 {
		t.Fatalf("Distance to the new vector = %v %v, want 1", d, ok)
	}
	r := x.TopK(vecBlob32([]float32{10, 0}), 3, SearchOpts{EFRuntime: 50}, nil)
	// Nearest to (10,0) without label 10 at (10,0): 9 and 11 at 1, then 8 and 12 at 4.
	want := []Result{{9, 1}, {11, 1}, {8, 4}}
	closeResults(t, "after replace", r, want, 0)
}

func TestHNSWFilter(t *testing.T) {
	cp := uniformCorpus(3, 600, 10, 8)
	x := New(hnswParams(Float32, 8, L2), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	odd := func(l uint64) bool { return l%2 == 1 }
	for qi, q := range cp.queries {
		got := x.TopK(vecBlob32(q), 20, SearchOpts{EFRuntime: 600}, odd)
		exactResults(t, fmt.Sprintf("filtered query %d", qi), got, graphBruteForce(L2, cp.vecs, odd, q, 20),
			func(l uint64) (float64, bool) { return refDist(L2, q, cp.vecs[l]), odd(l) }, 1e-5)
		approx := x.TopK(vecBlob32(q), 10, SearchOpts{}, odd)
		for _, r := range approx {
			if !odd(r.Label) {
				t.Fatalf("filtered out label %d returned", r.Label)
			}
		}
	}
}

// Range: every result is within the radius and live; with an EPSILON large
// enough for the boundary to cover every distance the search is exhaustive,
// so the answer is the brute force one.
func TestHNSWRange(t *testing.T) {
	cp := clusteredCorpus(8, 1200, 20, 16, 12, 0.5)
	x := New(hnswParams(Float32, 16, L2), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	for qi, q := range cp.queries {
		all := graphBruteForce(L2, cp.vecs, nil, q, -1)
		// A radius halfway between two distances at least 1e-3 apart, so
		// that float32 rounding does not decide the last member.
		i := 60
		for all[i+1].Dist-all[i].Dist < 1e-3 {
			i++
		}
		radius := (all[i].Dist + all[i+1].Dist) / 2
		want := all[:i+1]
		got := x.Range(vecBlob32(q), radius, SearchOpts{Epsilon: 1000}, nil)
		closeResults(t, fmt.Sprintf("range %d", qi), got, want, 1e-4)
		def := x.Range(vecBlob32(q), radius, SearchOpts{}, nil)
		checkSorted(t, def)
		if len(def) > len(want) {
			t.Fatalf("range %d: %d results beyond the %d within the radius", qi, len(def), len(want))
		}
		for _, r := range def {
			if r.Dist > radius {
				t.Fatalf("range %d: %v beyond radius %v", qi, r, radius)
			}
		}
	}
}

// Batches: successive batches return every vector exactly once, each batch
// nearest first; on a connected graph the union is the whole index.
func TestHNSWBatches(t *testing.T) {
	cp := clusteredCorpus(4, 900, 5, 16, 10, 0.5)
	x := New(hnswParams(Float32, 16, Cosine), Options{})
	for i, v := range cp.vecs {
		x.Add(uint64(i), vecBlob32(v))
	}
	for i := 0; i < 900; i += 7 {
		x.Delete(uint64(i))
	}
	for qi, q := range cp.queries {
		it := x.Batches(vecBlob32(q), SearchOpts{})
		seen := map[uint64]bool{}
		var first []Result
		for !it.Done() {
			b := it.Next(64)
			if len(b) == 0 && !it.Done() {
				t.Fatalf("query %d: empty batch before done", qi)
			}
			checkSorted(t, b)
			if first == nil {
				first = b
			}
			for _, r := range b {
				if seen[r.Label] || r.Label%7 == 0 {
					t.Fatalf("query %d: label %d returned twice or deleted", qi, r.Label)
				}
				seen[r.Label] = true
			}
		}
		if len(seen) != x.Size() {
			t.Fatalf("query %d: batches returned %d of %d", qi, len(seen), x.Size())
		}
		live := func(l uint64) bool { return l%7 != 0 }
		if rc := recallAt(first[:10], graphBruteForce(Cosine, cp.vecs, live, q, 10)); rc < 0.9 {
			t.Fatalf("query %d: first batch recall@10 %v", qi, rc)
		}
	}
}

// Concurrent searches beside inserts and deletes (run with -race).
func TestHNSWConcurrent(t *testing.T) {
	const dim = 16
	cp := clusteredCorpus(6, 800, 50, dim, 10, 0.5)
	x := New(hnswParams(Float32, dim, Cosine), Options{})
	for i := range 200 {
		x.Add(uint64(i), vecBlob32(cp.vecs[i]))
	}
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := 200 + w; i < 800; i += 2 {
				x.Add(uint64(i), vecBlob32(cp.vecs[i]))
				if i%5 == 0 {
					x.Delete(uint64(i - 100))
				}
			}
		})
	}
	stop := make(chan struct{})
	var sg sync.WaitGroup
	for s := range 3 {
		sg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := vecBlob32(cp.queries[(i+s)%len(cp.queries)])
				checkSorted(t, x.TopK(q, 10, SearchOpts{}, nil))
				checkSorted(t, x.Range(q, 0.2, SearchOpts{}, nil))
				it := x.Batches(q, SearchOpts{})
				checkSorted(t, it.Next(5))
				checkSorted(t, it.Next(5))
				x.Distance(uint64(i%800), q)
				_ = x.MemoryBytes()
			}
		})
	}
	wg.Wait()
	close(stop)
	sg.Wait()
	g := hnswOf[float32](x)
	g.checkInvariants(t)
	g.consolidate()
	g.checkInvariants(t)
	g.reachableLive(t)
}
