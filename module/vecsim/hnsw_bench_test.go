package vecsim

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// The benchmark corpus is searchbench -vectors' default one: 50 000 ×
// 128-d FLOAT32 vectors around 100 Gaussian centres (spread 0.5), COSINE,
// HNSW M 16 EF_CONSTRUCTION 200. The module 2.10.25 on this machine loads
// it at 8 300 vectors/s with 1 895 bytes per document, answers knn10 at
// 18 978 QPS over the network with 8 clients, with recall@10 0.79 at the
// default EF_RUNTIME 10 and 0.999 at EF_RUNTIME 100.
//
//	go test ./module/vecsim -run XXX -bench 'HNSW' -benchtime 50000x   # Add: one full load
//	go test ./module/vecsim -run XXX -bench 'HNSWTopK'
const (
	benchN        = 50000
	benchDim      = 128
	benchClusters = 100
	benchSpread   = 0.5
	benchQueries  = 1000
	benchRecallN  = 200
)

var bench struct {
	once      sync.Once
	exactOnce sync.Once
	cp        *corpus
	blobs     [][]byte
	qb        [][]byte
	exact     [][]Result
	idx       Index
	build     time.Duration
	heap      uint64
}

func benchCorpus() {
	bench.once.Do(func() {
		bench.cp = clusteredCorpus(1, benchN, benchQueries, benchDim, benchClusters, benchSpread)
		bench.blobs = make([][]byte, benchN)
		for i, v := range bench.cp.vecs {
			bench.blobs[i] = vecBlob32(v)
		}
		bench.qb = make([][]byte, benchQueries)
		for i, v := range bench.cp.queries {
			bench.qb[i] = vecBlob32(v)
		}
	})
}

// benchExact is the exact top 10 of the first benchRecallN queries.
func benchExact() {
	benchCorpus()
	bench.exactOnce.Do(func() {
		bench.exact = make([][]Result, benchRecallN)
		var wg sync.WaitGroup
		for w := range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for q := w; q < benchRecallN; q += runtime.GOMAXPROCS(0) {
					bench.exact[q] = bruteForceTop(Cosine, bench.cp.vecs, bench.cp.queries[q], 10)
				}
			})
		}
		wg.Wait()
	})
}

func benchParams() Params {
	return Params{Algo: HNSW, Type: Float32, Dim: benchDim, Metric: Cosine, M: 16, EFConstruction: 200}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// benchIndex is the 50k index, built once for the query benchmarks.
func benchIndex(b *testing.B) Index {
	benchCorpus()
	if bench.idx == nil {
		before := heapInUse()
		start := time.Now()
		x := New(benchParams(), Options{})
		for i, blob := range bench.blobs {
			x.Add(uint64(i), blob)
		}
		bench.build = time.Since(start)
		bench.heap = heapInUse() - before
		bench.idx = x
		b.Logf("built %d vectors in %v (%.0f vectors/s); MemoryBytes %d (%.0f B/vector), heap %.0f B/vector",
			benchN, bench.build, benchN/bench.build.Seconds(), x.MemoryBytes(),
			float64(x.MemoryBytes())/benchN, float64(bench.heap)/benchN)
	}
	return bench.idx
}

// BenchmarkHNSWAdd inserts b.N corpus vectors into a new index (with
// -benchtime 50000x, exactly the benchmark load).
func BenchmarkHNSWAdd(b *testing.B) {
	benchCorpus()
	x := New(benchParams(), Options{})
	before := heapInUse()
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
	b.ReportMetric(float64(int64(heapInUse())-int64(before))/float64(b.N), "heapB/vector")
	runtime.KeepAlive(x)
}

// BenchmarkHNSWTopK is k=10 queries at EF_RUNTIME 10 and 100 on the 50k
// index, with recall@10 against brute force over 200 queries.
func BenchmarkHNSWTopK(b *testing.B) {
	x := benchIndex(b)
	benchExact()
	for _, ef := range []int{10, 100} {
		b.Run(fmt.Sprintf("ef=%d", ef), func(b *testing.B) {
			var sum float64
			for q := range benchRecallN {
				sum += recallAt(x.TopK(bench.qb[q], 10, SearchOpts{EFRuntime: ef}, nil), bench.exact[q])
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := range b.N {
				x.TopK(bench.qb[i%benchQueries], 10, SearchOpts{EFRuntime: ef}, nil)
			}
			cpu := cpuTime() - cpu0
			b.StopTimer()
			b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-us/op")
			b.ReportMetric(sum/benchRecallN, "recall@10")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}

// BenchmarkHNSWTopKParallel runs the k=10 EF_RUNTIME 10 queries from
// GOMAXPROCS goroutines.
func BenchmarkHNSWTopKParallel(b *testing.B) {
	x := benchIndex(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			x.TopK(bench.qb[i%benchQueries], 10, SearchOpts{}, nil)
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

// BenchmarkHNSWUpdate is a document update on the 50k index: Delete of a
// label (tombstone and repair of the nodes around it, consolidation every
// 1 024) then Add of its vector again.
func BenchmarkHNSWUpdate(b *testing.B) {
	x := benchIndex(b)
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := range b.N {
		l := uint64(i * 7919 % benchN)
		x.Delete(l)
		x.Add(l, bench.blobs[l])
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
}
