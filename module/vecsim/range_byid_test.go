package vecsim

import (
	"cmp"
	"slices"
	"testing"
)

// A range asked ByID holds the same results as one nearest first, in
// label order, for every algorithm (and a tiered index's buffer).
func TestRangeByID(t *testing.T) {
	const dim = 16
	blobs := clusteredBlobs(400, dim, 3)
	queries := clusteredBlobs(5, dim, 4)
	pending := []func(){}
	submit := func(job func()) bool { pending = append(pending, job); return true }
	for _, tc := range []struct {
		name string
		p    Params
		o    Options
	}{
		{"FLAT", Params{Algo: Flat, Type: Float32, Dim: dim, Metric: L2, BlockSize: 64}, Options{}},
		{"HNSW", Params{Algo: HNSW, Type: Float32, Dim: dim, Metric: L2, M: 16, EFConstruction: 200, EFRuntime: 10, Epsilon: 0.01}, Options{}},
		{"HNSW tiered", Params{Algo: HNSW, Type: Float32, Dim: dim, Metric: L2, M: 16, EFConstruction: 200, EFRuntime: 10, Epsilon: 0.01}, Options{Submit: submit}},
		{"SVS-VAMANA", Params{Algo: SVSVamana, Type: Float32, Dim: dim, Metric: L2, GraphMaxDegree: 32, ConstructionWindowSize: 200, SearchWindowSize: 10, Epsilon: 0.01}, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx := New(tc.p, tc.o)
			for i, b := range blobs {
				idx.Add(uint64(i+1), b)
				if tc.o.Submit != nil && i == 200 {
					for _, job := range pending {
						job()
					}
					pending = nil
				}
			}
			for _, q := range queries {
				byDist := idx.Range(q, 30, SearchOpts{}, nil)
				byID := idx.Range(q, 30, SearchOpts{ByID: true}, nil)
				if len(byDist) == 0 {
					t.Fatal("radius 30 finds nothing")
				}
				want := slices.Clone(byDist)
				slices.SortFunc(want, func(a, b Result) int { return cmp.Compare(a.Label, b.Label) })
				if !slices.Equal(byID, want) {
					t.Fatalf("ByID: %d results, want the %d nearest-first ones in label order", len(byID), len(want))
				}
			}
		})
	}
}
