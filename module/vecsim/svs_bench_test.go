package vecsim

import (
	"fmt"
	"runtime"
	"testing"
)

// SVS-VAMANA on the HNSW benchmark corpus (50 000 × 128-d clustered,
// COSINE), default parameters: GRAPH_MAX_DEGREE 32,
// CONSTRUCTION_WINDOW_SIZE 200, SEARCH_WINDOW_SIZE 10. The module has no
// recorded figures for it; these are for comparison with HNSW.
var svsBench Index

func svsBenchIndex(b *testing.B) Index {
	benchCorpus()
	if svsBench == nil {
		x := New(Params{Algo: SVSVamana, Type: Float32, Dim: benchDim, Metric: Cosine}, Options{})
		for i, blob := range bench.blobs {
			x.Add(uint64(i), blob)
		}
		svsBench = x
	}
	return svsBench
}

func BenchmarkSVSAdd(b *testing.B) {
	benchCorpus()
	x := New(Params{Algo: SVSVamana, Type: Float32, Dim: benchDim, Metric: Cosine}, Options{})
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := range b.N {
		x.Add(uint64(i), bench.blobs[i%benchN])
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vectors/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
	b.ReportMetric(float64(x.MemoryBytes())/float64(b.N), "B/vector")
	runtime.KeepAlive(x)
}

func BenchmarkSVSTopK(b *testing.B) {
	x := svsBenchIndex(b)
	benchExact()
	for _, w := range []int{10, 100} {
		b.Run(fmt.Sprintf("window=%d", w), func(b *testing.B) {
			var sum float64
			for q := range benchRecallN {
				sum += recallAt(x.TopK(bench.qb[q], 10, SearchOpts{EFRuntime: w}, nil), bench.exact[q])
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := range b.N {
				x.TopK(bench.qb[i%benchQueries], 10, SearchOpts{EFRuntime: w}, nil)
			}
			cpu := cpuTime() - cpu0
			b.StopTimer()
			b.ReportMetric(sum/benchRecallN, "recall@10")
			b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-us/op")
		})
	}
}
