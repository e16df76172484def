package vecsim

import (
	"reflect"
	"sync"
	"testing"
)

// TestMultiValue: a multi-value index answers each label once, at its
// nearest vector's distance, with k counted in labels (VecSim's *_Multi
// indexes). Corpus (L2, 2-d), query (0,1), distances by hand:
//
//	label 1: (0,0) -> 0+1 = 1;  (10,10) -> 100+81 = 181  => 1
//	label 2: (3,0) -> 9+1 = 10                           => 10
//	label 3: (5,5) -> 25+16 = 41; (2,2) -> 4+1 = 5       => 5
func TestMultiValue(t *testing.T) {
	for _, p := range []Params{
		{Algo: Flat, Type: Float32, Dim: 2, Metric: L2, Multi: true},
		{Algo: HNSW, Type: Float32, Dim: 2, Metric: L2, Multi: true, M: 16, EFConstruction: 200, EFRuntime: 10},
		{Algo: Flat, Type: Float64, Dim: 2, Metric: L2, Multi: true},
		{Algo: SVSVamana, Type: Float32, Dim: 2, Metric: L2, Multi: true, GraphMaxDegree: 32, ConstructionWindowSize: 200, SearchWindowSize: 10},
	} {
		t.Run(p.Algo.String()+"/"+p.Type.String(), func(t *testing.T) {
			ix := New(p, Options{})
			defer ix.Close()
			add := func(l uint64, v ...float32) { ix.Add(l, blobOf(p.Type, v)) }
			add(1, 0, 0)
			add(1, 10, 10)
			add(2, 3, 0)
			add(3, 5, 5)
			add(3, 2, 2)
			q := blobOf(p.Type, []float32{0, 1})
			eq := func(what string, got, want []Result) {
				t.Helper()
				if len(got) == 0 && len(want) == 0 {
					return
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %v, want %v", what, got, want)
				}
			}
			if ix.Size() != 5 || LabelCount(ix) != 3 {
				t.Errorf("size %d labels %d, want 5 and 3", ix.Size(), LabelCount(ix))
			}
			eq("TopK 1", ix.TopK(q, 1, SearchOpts{}, nil), []Result{{1, 1}})
			eq("TopK 2", ix.TopK(q, 2, SearchOpts{}, nil), []Result{{1, 1}, {3, 5}})
			eq("TopK 5", ix.TopK(q, 5, SearchOpts{}, nil), []Result{{1, 1}, {3, 5}, {2, 10}})
			eq("TopK filtered", ix.TopK(q, 1, SearchOpts{}, func(l uint64) bool { return l != 1 }), []Result{{3, 5}})
			eq("Range 5", ix.Range(q, 5, SearchOpts{}, nil), []Result{{1, 1}, {3, 5}})
			eq("Range 200 by id", ix.Range(q, 200, SearchOpts{ByID: true}, nil), []Result{{1, 1}, {2, 10}, {3, 5}})
			if d, ok := ix.Distance(3, q); !ok || d != 5 {
				t.Errorf("Distance(3) = %v %v, want 5", d, ok)
			}
			bi := ix.Batches(q, SearchOpts{})
			eq("batch 1", bi.Next(2), []Result{{1, 1}, {3, 5}})
			eq("batch 2", bi.Next(2), []Result{{2, 10}})
			if !bi.Done() {
				t.Error("batches not done")
			}
			if n := ix.(MultiValue).DeleteAll(1); n != 2 {
				t.Errorf("DeleteAll(1) = %d, want 2", n)
			}
			if ix.Size() != 3 || LabelCount(ix) != 2 {
				t.Errorf("after delete: size %d labels %d, want 3 and 2", ix.Size(), LabelCount(ix))
			}
			eq("TopK after delete", ix.TopK(q, 1, SearchOpts{}, nil), []Result{{3, 5}})
			if _, ok := ix.Distance(1, q); ok {
				t.Error("Distance of a deleted label")
			}
		})
	}
}

// TestMultiValueTiered: a multi-value HNSW over the tiered index, its
// inserts run as jobs while searches run (for -race); once the jobs are
// done every label is found once. 50 labels of 3 vectors (i,i), (i,i+100),
// (i+100,i): from (0,0) label i's nearest is (i,i), 2i².
func TestMultiValueTiered(t *testing.T) {
	// One worker runs the insert jobs in the order they were submitted, as
	// a pool of one would: the graph is then the same on every run (with
	// a goroutine per job, the insertion order changed the graph, and in
	// about 9% of runs HNSW's neighbour heuristic left (0,0) with no
	// incoming link, so no search could reach it), while searches still
	// run beside the inserts.
	var wg sync.WaitGroup
	jobs := make(chan func(), 200)
	go func() {
		for job := range jobs {
			job()
			wg.Done()
		}
	}()
	defer close(jobs)
	o := Options{Submit: func(job func()) bool {
		wg.Add(1)
		jobs <- job
		return true
	}}
	p := Params{Algo: HNSW, Type: Float32, Dim: 2, Metric: L2, Multi: true, M: 16, EFConstruction: 200, EFRuntime: 10}
	ix := New(p, o)
	defer ix.Close()
	q := vecBlob32([]float32{0, 0})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			ix.TopK(q, 5, SearchOpts{}, nil)
		}
	}()
	for i := 0; i < 50; i++ {
		f := float32(i)
		ix.Add(uint64(i), vecBlob32([]float32{f, f}))
		ix.Add(uint64(i), vecBlob32([]float32{f, f + 100}))
		ix.Add(uint64(i), vecBlob32([]float32{f + 100, f}))
	}
	<-done
	wg.Wait()
	got := ix.TopK(q, 3, SearchOpts{EFRuntime: 200}, nil)
	want := []Result{{0, 0}, {1, 2}, {2, 8}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TopK 3: got %v, want %v", got, want)
	}
	if ix.Size() != 150 || LabelCount(ix) != 50 {
		t.Errorf("size %d labels %d, want 150 and 50", ix.Size(), LabelCount(ix))
	}
}
