package vecsim

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// exactCorpus is n vectors of dim components k/32, k in [-32, 32], added
// as labels 1..n, and their float64 values. For L2 and IP every partial
// sum is exactly representable in float32 (see thirtySeconds), so the
// index's distances must equal the float64 brute force exactly. COSINE
// normalizes, which rounds; it is compared within a bound instead.
func exactCorpus(r *rand.Rand, t ElemType, m Metric, n, dim, blockSize int) (*flatIndex, [][]float64) {
	f := flatOf(t, m, dim, blockSize)
	vs := make([][]float64, n)
	for i := range vs {
		v := thirtySeconds(r, dim)
		vs[i] = widen(v)
		if t == Float64 {
			f.Add(uint64(i+1), f64Blob(vs[i]...))
		} else {
			f.Add(uint64(i+1), f32Blob(v...))
		}
	}
	return f, vs
}

// bruteForce is the float64 reference: every distance, sorted nearest
// first, ties by label.
func bruteForce(m Metric, vs [][]float64, q []float64, live func(uint64) bool) []Result {
	var res []Result
	qn := math.Sqrt(refDot(q, q))
	for i, v := range vs {
		l := uint64(i + 1)
		if live != nil && !live(l) {
			continue
		}
		var d float64
		switch m {
		case L2:
			d = refL2(v, q)
		case IP:
			d = 1 - refDot(v, q)
		case Cosine:
			d = 1 - refDot(v, q)/(math.Sqrt(refDot(v, v))*qn)
		}
		res = append(res, Result{l, d})
	}
	sortResults(res)
	return res
}

// TestFlatVersusBruteForce checks TopK, Range and Batches of FLOAT32 and
// FLOAT64 indexes against the float64 brute force, with deletions.
func TestFlatVersusBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, typ := range []ElemType{Float32, Float64} {
		for _, m := range []Metric{L2, IP, Cosine} {
			for _, dim := range []int{3, 20, 128} {
				f, vs := exactCorpus(r, typ, m, 700, dim, 64)
				deleted := map[uint64]bool{}
				for l := uint64(1); l <= 700; l += 7 {
					f.Delete(l)
					deleted[l] = true
				}
				live := func(l uint64) bool { return !deleted[l] }
				for trial := 0; trial < 5; trial++ {
					qv := thirtySeconds(r, dim)
					q64 := widen(qv)
					blob := f32Blob(qv...)
					if typ == Float64 {
						blob = f64Blob(q64...)
					}
					want := bruteForce(m, vs, q64, live)
					tol := 0.0
					if m == Cosine {
						tol = 1e-5 // normalization rounds (float32 elements)
						if typ == Float64 {
							tol = 1e-12
						}
					}
					close := func(got, want []Result, what string) {
						t.Helper()
						if len(got) != len(want) {
							t.Fatalf("%v %v dim %d %s: %d results, want %d", typ, m, dim, what, len(got), len(want))
						}
						for i := range got {
							g, w := got[i], want[i]
							if math.Abs(g.Dist-w.Dist) > tol {
								t.Fatalf("%v %v dim %d %s #%d: %v, want %v", typ, m, dim, what, i, g, w)
							}
							// Labels must match one for one, except among
							// equal distances (within the tolerance under
							// COSINE), whose order the reference does not
							// fix for TopK's boundary.
							if g.Label != w.Label && !nearTie(want, i, tol) {
								t.Fatalf("%v %v dim %d %s #%d: %v, want %v", typ, m, dim, what, i, g, w)
							}
						}
					}
					k := 10
					got := f.TopK(blob, k, SearchOpts{}, nil)
					// TopK's tie at the k-th distance may keep another
					// label than the sorted brute force: compare the
					// distances, and the labels before the last tie.
					close(got, want[:k], "TopK")
					radius := want[40].Dist
					inRange := want[:0:0]
					for _, w := range want {
						if w.Dist <= radius {
							inRange = append(inRange, w)
						}
					}
					if tol == 0 {
						close(f.Range(blob, radius, SearchOpts{}, nil), inRange, "Range")
					}
					var all []Result
					it := f.Batches(blob, SearchOpts{})
					for !it.Done() {
						all = append(all, it.Next(7)...)
					}
					close(all, want, "Batches")
				}
			}
		}
	}
}

// nearTie reports whether want[i]'s distance is within tol of a neighbour's
// (then the order of their labels is not determined by the float64
// reference).
func nearTie(want []Result, i int, tol float64) bool {
	return i > 0 && want[i].Dist-want[i-1].Dist <= 2*tol ||
		i+1 < len(want) && want[i+1].Dist-want[i].Dist <= 2*tol
}

// TestFlatTopKTiesAtBoundary: exact distances with many ties (copies):
// TopK's result is VecSim's (first k in id order fill the heap, a vector
// enters only strictly below the worst, the worst pair is evicted),
// checked against a direct simulation with a sorted list, which any
// correct heap must agree with when distances are numbers.
func TestFlatTopKTiesAtBoundary(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	f := flatOf(Float32, L2, 2, 16)
	type item struct {
		d float64
		l uint64
	}
	var order []item
	q := []float32{0, 0}
	for i := 0; i < 300; i++ {
		l := uint64(r.IntN(100000)) // labels not in id order
		if _, dup := f.ids.get(l); dup {
			continue
		}
		v := []float32{float32(r.IntN(3)), float32(r.IntN(3))} // 9 points: many ties
		f.Add(l, f32Blob(v...))
		order = append(order, item{float64(l2f32(v, q)), l})
	}
	for _, k := range []int{1, 2, 5, 17, 40, 299} {
		var kept []item // sorted by (d, l)
		for _, it := range order {
			if len(kept) < k || it.d < kept[len(kept)-1].d {
				kept = append(kept, it)
				slices.SortFunc(kept, func(a, b item) int {
					if a.d != b.d {
						if a.d < b.d {
							return -1
						}
						return 1
					}
					return int(int64(a.l) - int64(b.l))
				})
				if len(kept) > k {
					kept = kept[:k]
				}
			}
		}
		got := f.TopK(f32Blob(q...), k, SearchOpts{}, nil)
		if len(got) != len(kept) {
			t.Fatalf("k=%d: %d results, want %d", k, len(got), len(kept))
		}
		for i := range got {
			if got[i].Label != kept[i].l || got[i].Dist != kept[i].d {
				t.Fatalf("k=%d #%d: %v, want %v", k, i, got[i], kept[i])
			}
		}
	}
}

func TestFlatBatches(t *testing.T) {
	f := handCorpus(L2, 2)
	q := f32Blob(0, 0)
	it := f.Batches(q, SearchOpts{})
	if it.Done() {
		t.Fatal("Done before the first batch")
	}
	// All distances are computed at the first Next: a vector added after
	// it is not seen, one deleted after it still comes.
	b1 := it.Next(2)
	f.Add(99, f32Blob(0, 0))
	f.Delete(4)
	b2 := it.Next(2)
	b3 := it.Next(2)
	sameResults(t, "batch 1", b1, []Result{{1, 0}, {2, 1}})
	sameResults(t, "batch 2", b2, []Result{{5, 1}, {3, 4}})
	sameResults(t, "batch 3", b3, []Result{{4, 25}})
	if !it.Done() || it.Next(5) != nil {
		t.Fatal("not done after every vector")
	}
	// An empty index is done at once.
	if it := flatOf(Float32, L2, 2, 0).Batches(q, SearchOpts{}); !it.Done() || it.Next(3) != nil {
		t.Fatal("empty index batches")
	}
	// The query is copied: changing the caller's blob changes nothing.
	g := handCorpus(L2, 2)
	blob := f32Blob(0, 0)
	it = g.Batches(blob, SearchOpts{})
	copy(blob, f32Blob(3, 4))
	sameResults(t, "copied query", it.Next(1), []Result{{1, 0}})
}

func TestPreferAdHoc(t *testing.T) {
	for _, c := range []struct {
		algo                            Algo
		size, labels, dim, m, subset, k int
		want                            bool
		why                             string
	}{
		{Flat, 5500, 5500, 1000, 0, 5500, 10, true, "small index"},
		{Flat, 10000, 10000, 128, 0, 1000, 10, true, "d<=300, r=0.1<=0.15"},
		{Flat, 10000, 10000, 128, 0, 2000, 10, true, "d<=300, r=0.2<=0.35, d>75, size<=550000"},
		{Flat, 600000, 600000, 128, 0, 120000, 10, false, "same, size>550000"},
		{Flat, 10000, 10000, 50, 0, 2000, 10, false, "d<=75"},
		// r = 1500/10000 = 0.15f = 0.15000000596 > 0.15 (a double): the
		// float32 ratio takes the r <= 0.35 branch, then d <= 75: false;
		// a double ratio would say r <= 0.15: true.
		{Flat, 10000, 10000, 50, 0, 1500, 10, false, "float32 ratio"},
		{Flat, 10000, 10000, 128, 0, 5000, 10, false, "d<=300, r>0.35"},
		{Flat, 10000, 10000, 768, 0, 5000, 10, true, "d>300, r<=0.55"},
		{Flat, 10000, 10000, 700, 0, 6000, 10, false, "d>300, r>0.55, d<=750"},
		{Flat, 10000, 10000, 1000, 0, 7000, 10, true, "d>750, r<=0.75"},
		{Flat, 10000, 10000, 1000, 0, 8000, 10, false, "r>0.75"},
		{Flat, 10000, 10000, 1000, 0, 80000, 10, false, "subset clamped to the size"},
		{HNSW, 5500, 5500, 128, 16, 5500, 10, true, "small"},
		{HNSW, 20000, 20000, 128, 16, 3000, 10, true, "r=0.15<=0.17"},
		{HNSW, 20000, 20000, 50, 16, 5000, 10, false, "k<=12, d<=55"},
		{HNSW, 20000, 20000, 128, 8, 5000, 10, false, "k<=12, M<=10"},
		{HNSW, 20000, 20000, 128, 16, 5000, 10, true, "k<=12, M>10"},
		{HNSW, 20000, 20000, 50, 16, 5000, 20, true, "k>12"},
		{HNSW, 100000, 100000, 128, 16, 5000, 10, true, "r<0.07, size<=750000"},
		{HNSW, 1000000, 1000000, 128, 16, 50000, 5, false, "r<0.07, big, k<=7"},
		{HNSW, 1000000, 1000000, 128, 16, 20000, 10, true, "r<=0.03"},
		{HNSW, 1000000, 1000000, 128, 16, 50000, 10, false, "r>0.03"},
		{HNSW, 100000, 100000, 50, 16, 10000, 10, false, "d<=75"},
		{HNSW, 50000, 50000, 128, 16, 10000, 10, true, "k<=12, r<=0.21, M<=57, size<=75000"},
		{HNSW, 100000, 100000, 128, 16, 10000, 10, false, "size>75000"},
		{HNSW, 100000, 100000, 128, 64, 10000, 10, true, "M>57"},
		{HNSW, 100000, 100000, 128, 16, 30000, 10, false, "r>0.21"},
		{HNSW, 100000, 100000, 128, 8, 15000, 20, true, "k>12, M<=10, r<=0.17"},
		{HNSW, 100000, 100000, 128, 8, 30000, 20, false, "k>12, M<=10, r>0.17"},
		{HNSW, 100000, 100000, 128, 16, 30000, 20, true, "size<=300000"},
		{HNSW, 400000, 400000, 128, 16, 100000, 20, false, "size>300000, r>0.17"},
		// HNSW's ratio is over the label count: with marked-deleted
		// vectors it is larger than over the size.
		{HNSW, 20000, 10000, 128, 8, 3000, 10, false, "r=0.3 over labels"},
		{SVSVamana, 100000, 100000, 128, 0, 5000, 10, true, "small subset"},
		{SVSVamana, 1000000, 1000000, 128, 0, 50000, 10, false, "small subset, large index"},
		{SVSVamana, 100000, 100000, 128, 0, 10000, 13, true, "medium, k>12"},
		{SVSVamana, 100000, 100000, 128, 0, 10000, 10, false, "medium"},
		{SVSVamana, 50000, 50000, 128, 0, 30000, 10, true, "large subset, small index"},
	} {
		if got := preferAdHoc(c.algo, c.size, c.labels, c.dim, c.m, c.subset, c.k); got != c.want {
			t.Errorf("%v size %d dim %d M %d subset %d k %d (%s): %v, want %v",
				c.algo, c.size, c.dim, c.m, c.subset, c.k, c.why, got, c.want)
		}
	}
}

// TestFlatConcurrent runs writers and searchers together (go test -race).
func TestFlatConcurrent(t *testing.T) {
	f := flatOf(Float32, Cosine, 16, 8)
	r := rand.New(rand.NewPCG(31, 32))
	vec := func(r *rand.Rand) []byte {
		v := make([]float32, 16)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return f32Blob(v...)
	}
	for l := uint64(0); l < 200; l++ {
		f.Add(l, vec(r))
	}
	// Two writers add and delete; three searchers search until the
	// writers are done.
	var writers, searchers sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 2; w++ {
		writers.Add(1)
		go func(seed uint64) {
			defer writers.Done()
			r := rand.New(rand.NewPCG(seed, seed))
			for i := 0; i < 2000; i++ {
				l := uint64(r.IntN(300))
				if r.IntN(2) == 0 {
					f.Add(l, vec(r))
				} else {
					f.Delete(l)
				}
			}
		}(uint64(w))
	}
	for s := 0; s < 3; s++ {
		searchers.Add(1)
		go func(seed uint64) {
			defer searchers.Done()
			r := rand.New(rand.NewPCG(seed, 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				q := vec(r)
				res := f.TopK(q, 10, SearchOpts{}, nil)
				for i := 1; i < len(res); i++ {
					if cmpDist(res[i-1].Dist, res[i].Dist) > 0 {
						t.Errorf("TopK out of order: %v", res)
						return
					}
				}
				f.Range(q, 0.5, SearchOpts{}, nil)
				f.Distance(uint64(r.IntN(300)), q)
				it := f.Batches(q, SearchOpts{})
				it.Next(5)
				it.Next(5)
				f.MemoryBytes()
				f.PreferAdHoc(50, 10, true)
			}
		}(uint64(s + 10))
	}
	writers.Wait()
	close(stop)
	searchers.Wait()
	// The table and the blocks agree after all that.
	n := 0
	f.each(func(l uint64, v32 []float32, _ []float64) {
		if id, ok := f.ids.get(l); !ok || int(id) != n {
			t.Errorf("label %d at id %d: table says %d %v", l, n, id, ok)
		}
		n++
	})
	if n != f.Size() || f.ids.n != n {
		t.Fatalf("%d vectors, size %d, table %d", n, f.Size(), f.ids.n)
	}
}

// TestDistanceFunc: the prepared ad-hoc distance is Distance's, for every
// type and metric, and sees later changes to the index.
func TestDistanceFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	for _, typ := range []ElemType{Float32, Float64, Float16, BFloat16, Int8, UInt8} {
		for _, m := range []Metric{L2, IP, Cosine} {
			const dim = 24
			f := flatOf(typ, m, dim, 4)
			blob := func() []byte {
				b := make([]byte, dim*typ.Size())
				for i := range b {
					b[i] = byte(r.IntN(256))
				}
				if typ == Float16 || typ == BFloat16 || typ == Float32 || typ == Float64 {
					// keep exponents tame: clear the top bit of each
					// element's high byte's exponent
					for i := typ.Size() - 1; i < len(b); i += typ.Size() {
						b[i] &= 0xbf
					}
				}
				return b
			}
			for l := uint64(1); l <= 10; l++ {
				f.Add(l, blob())
			}
			q := blob()
			df := f.DistanceFunc(q)
			check := func() {
				t.Helper()
				for l := uint64(1); l <= 12; l++ {
					d1, ok1 := f.Distance(l, q)
					d2, ok2 := df(l)
					if ok1 != ok2 || ok1 && d1 != d2 && !(math.IsNaN(d1) && math.IsNaN(d2)) {
						t.Fatalf("%v %v label %d: Distance %v %v, DistanceFunc %v %v", typ, m, l, d1, ok1, d2, ok2)
					}
				}
			}
			check()
			f.Delete(3)
			f.Add(11, blob())
			check()
		}
	}
}
