package index

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
)

// benchVectorIndex is 50 000 documents with a 128-d FLOAT32 COSINE vector,
// one of 10 tags and a price uniform in [0, 1000): searchbench -vectors'
// shape, for profiling hybrid queries in-process.
func benchVectorIndex(b *testing.B, algo vecsim.Algo) (*Index, []string) {
	b.Helper()
	sp := NewSpec("v")
	cat := NewField("cat", "cat", FieldTag)
	price := NewField("price", "price", FieldNumeric)
	v := NewField("v", "v", FieldVector)
	v.Vector = &vecsim.Params{Algo: algo, Type: vecsim.Float32, Dim: 128, Metric: vecsim.Cosine, BlockSize: 1024,
		M: 16, EFConstruction: 200, EFRuntime: 10, Epsilon: 0.01}
	for _, f := range []*Field{cat, price, v} {
		if err := sp.AddField(f); err != nil {
			b.Fatal(err)
		}
	}
	idx := New(sp)
	r := rand.New(rand.NewPCG(1, 2))
	blobs := make([]string, 0, 200)
	idx.Lock()
	for i := 0; i < 50000; i++ {
		x := make([]float32, 128)
		for j := range x {
			x[j] = float32(r.NormFloat64())
		}
		blob := f32blob(x...)
		if i < 200 {
			blobs = append(blobs, blob)
		}
		idx.Add(fmt.Sprintf("d:%d", i), MapDocument{"cat": fmt.Sprintf("c%d", i%10), "price": fmt.Sprint(r.IntN(1000)), "v": blob}, DefaultMinStemLen)
	}
	idx.Unlock()
	return idx, blobs
}

func BenchmarkHybridFlat(b *testing.B) {
	idx, blobs := benchVectorIndex(b, vecsim.Flat)
	for _, filter := range []string{"@cat:{c3}", "@price:[0 100]"} {
		b.Run(filter, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				n, err := query.Parse("("+filter+")=>[KNN 10 @v $B AS d]", query.Options{Dialect: 2,
					Params: map[string]string{"B": blobs[i%len(blobs)]}, Schema: idx.spec.QuerySchema()})
				if err != nil {
					b.Fatal(err)
				}
				idx.RLock()
				opts := DefaultQueryOptions()
				q := idx.Plan(n, &opts)
				if _, err := q.Search(SearchOptions{Scoring: Scoring{Scorer: "BM25STD"}, Num: 10, SortByMetric: "d"}); err != nil {
					b.Fatal(err)
				}
				idx.RUnlock()
			}
		})
	}
}

func BenchmarkHybridHNSW(b *testing.B) {
	idx, blobs := benchVectorIndex(b, vecsim.HNSW)
	for _, q := range []string{"*", "(@cat:{c3})", "(@price:[0 100])"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				n, err := query.Parse(q+"=>[KNN 10 @v $B AS d]", query.Options{Dialect: 2,
					Params: map[string]string{"B": blobs[i%len(blobs)]}, Schema: idx.spec.QuerySchema()})
				if err != nil {
					b.Fatal(err)
				}
				idx.RLock()
				opts := DefaultQueryOptions()
				q := idx.Plan(n, &opts)
				if _, err := q.Search(SearchOptions{Scoring: Scoring{Scorer: "BM25STD"}, Num: 10, SortByMetric: "d"}); err != nil {
					b.Fatal(err)
				}
				idx.RUnlock()
			}
		})
	}
}
