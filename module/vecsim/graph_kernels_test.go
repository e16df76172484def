package vecsim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGraphDistances checks that the graphs' batch distances (prefetch and
// gather kernels) and single ones (gspace.one) equal the space's dist32
// bit for bit, for every metric and for dims around the kernels' steps (32
// and 8 elements) and below VecSim's SIMD threshold (the plain loops).
func TestGraphDistances(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, typ := range []ElemType{Float32, Float16, BFloat16, Int8} {
		for _, m := range []Metric{L2, IP, Cosine} {
			for _, dim := range []int{3, 15, 16, 17, 31, 32, 33, 40, 128, 131} {
				p := Params{Algo: HNSW, Type: typ, Dim: dim, Metric: m}
				sp := newGSpace[float32](&p)
				if typ == Float32 && dim >= simdMinDim32 && simdKernels && gatherKernels && sp.gather == gatherNone {
					t.Fatalf("%v %v dim %d: no gather kernel", typ, m, dim)
				}
				vs := vecStore[float32]{dim: sp.stride}
				const n = 1500 // two blocks
				vs.ensure(n)
				blob := make([]byte, p.BlobSize())
				fill := func() {
					for i := range blob {
						blob[i] = byte(rng.UintN(256))
					}
					if typ == Float32 { // finite values
						for i := 0; i < dim; i++ {
							f := float32(rng.NormFloat64())
							b := math.Float32bits(f)
							blob[4*i], blob[4*i+1], blob[4*i+2], blob[4*i+3] = byte(b), byte(b>>8), byte(b>>16), byte(b>>24)
						}
					}
				}
				for id := range n {
					fill()
					sp.prepare(blob, vs.at(uint32(id)))
				}
				fill()
				q := sp.vector(blob)
				ids := make([]uint32, 40)
				for i := range ids {
					ids[i] = uint32(rng.IntN(n))
				}
				c := &searchCtx[float32]{}
				got := distances(&sp, &vs, c, q, ids)
				for i, id := range ids {
					want := sp.dist(q, vs.at(id))
					if one := sp.one(q, vs.at(id)); math.Float32bits(one) != math.Float32bits(want) && !(math.IsNaN(float64(want)) && math.IsNaN(float64(one))) {
						t.Fatalf("%v %v dim %d: id %d: one %v, dist32 %v", typ, m, dim, id, one, want)
					}
					if math.Float32bits(got[i]) != math.Float32bits(want) && !(math.IsNaN(float64(want)) && math.IsNaN(float64(got[i]))) {
						t.Fatalf("%v %v dim %d: id %d: %v, dist32 %v", typ, m, dim, id, got[i], want)
					}
				}
			}
		}
	}
}

// TestSortCands checks sortCands against a plain sort by (distance, id),
// NaN distances last, and heapifyCands/popCand likewise, on slices of every length to 300 with ties and NaNs.
func TestSortCands(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	nan := float32(math.NaN())
	for n := 0; n <= 300; n++ {
		cs := make([]cand[float32], n)
		for i := range cs {
			d := float32(rng.IntN(20)) / 4
			if rng.IntN(15) == 0 {
				d = nan
			}
			cs[i] = cand[float32]{d, uint32(rng.IntN(1000))}
		}
		want := slices.Clone(cs)
		slices.SortStableFunc(want, func(a, b cand[float32]) int {
			an, bn := math.IsNaN(float64(a.d)), math.IsNaN(float64(b.d))
			switch {
			case an != bn && an:
				return 1
			case an != bn:
				return -1
			case !an && a.d < b.d:
				return -1
			case !an && a.d > b.d:
				return 1
			}
			return int(a.id) - int(b.id)
		})
		h := slices.Clone(cs)
		sortCands(cs)
		for i := range cs {
			if cs[i].id != want[i].id || math.Float32bits(cs[i].d) != math.Float32bits(want[i].d) {
				t.Fatalf("n %d: %v\nwant %v", n, cs, want)
			}
		}
		// The heap gives them in the same order.
		heapifyCands(h)
		for i := range want {
			var c cand[float32]
			c, h = popCand(h)
			if c.id != want[i].id || math.Float32bits(c.d) != math.Float32bits(want[i].d) {
				t.Fatalf("n %d: heap pop %d is %v, want %v", n, i, c, want[i])
			}
		}
	}
}

// TestFlatDistancesGather checks FLAT's batch Distances (the hybrid
// queries' ad-hoc path: gather kernels with prefetching where the space has
// them) against Distance, one label at a time, bit for bit, over several
// blocks, with a deleted and an unknown label answering NaN.
func TestFlatDistancesGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, typ := range []ElemType{Float32, Float16, BFloat16, Int8, Float64} {
		for _, m := range []Metric{L2, IP, Cosine} {
			for _, dim := range []int{3, 16, 33, 128} {
				p := Params{Algo: Flat, Type: typ, Dim: dim, Metric: m, BlockSize: 64}
				x := New(p, Options{})
				blob := func() []byte {
					b := make([]byte, p.BlobSize())
					for i := range b {
						b[i] = byte(rng.UintN(256))
					}
					if typ == Float32 { // finite values
						for i := 0; i < dim; i++ {
							f := math.Float32bits(float32(rng.NormFloat64()))
							b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(f), byte(f>>8), byte(f>>16), byte(f>>24)
						}
					}
					return b
				}
				const n = 300
				for l := range n {
					x.Add(uint64(l), blob())
				}
				x.Delete(7)
				q := blob()
				labels := []uint64{7, n + 1}
				for range 150 {
					labels = append(labels, uint64(rng.IntN(n)))
				}
				got := make([]float64, len(labels))
				x.(BatchDistancer).Distances(q, labels, got)
				for i, l := range labels {
					want, ok := x.Distance(l, q)
					if !ok {
						want = math.NaN()
					}
					if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[i])) {
						t.Fatalf("%v %v dim %d: label %d: Distances %v, Distance %v", typ, m, dim, l, got[i], want)
					}
				}
			}
		}
	}
}
