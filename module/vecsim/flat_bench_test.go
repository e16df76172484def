package vecsim

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time: on a machine shared with
// other jobs a benchmark's wall time per op includes the time it waited
// for a core; cpu-ms/op does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU milliseconds per op since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkFlatTopK: 50 000 × 128 FLOAT32 vectors, COSINE, k=10, one query
// at a time (the searchbench FLAT corpus; the real module answers ~952
// queries/s with 8 clients on this 2-core machine, network included). The
// scan reads 25.6 MB a query and is bound by memory once that exceeds the
// cache; n=10000 (5 MB) shows the same scan from the cache.
func BenchmarkFlatTopK(b *testing.B) {
	const dim = 128
	for _, n := range []int{50000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			f := flatOf(Float32, Cosine, dim, 0)
			for i, blob := range clusteredBlobs(n, dim, 1) {
				f.Add(uint64(i+1), blob)
			}
			queries := clusteredBlobs(64, dim, 2)
			b.ReportAllocs()
			i := 0
			start := cpuTime()
			for b.Loop() {
				f.TopK(queries[i%len(queries)], 10, SearchOpts{}, nil)
				i++
			}
			reportCPU(b, start)
		})
	}
}

// BenchmarkFlatRange: the same corpus, a radius that keeps about 1%.
func BenchmarkFlatRange(b *testing.B) {
	const n, dim = 50000, 128
	f := flatOf(Float32, Cosine, dim, 0)
	for i, blob := range clusteredBlobs(n, dim, 1) {
		f.Add(uint64(i+1), blob)
	}
	queries := clusteredBlobs(64, dim, 2)
	b.ReportAllocs()
	i := 0
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		f.Range(queries[i%len(queries)], 0.05, SearchOpts{}, nil)
		i++
	}
	reportCPU(b, start)
}

// BenchmarkFlatAdd: adding 128-d FLOAT32 COSINE vectors (decode, normalize,
// store) to an index that grows to 50 000.
func BenchmarkFlatAdd(b *testing.B) {
	const n, dim = 50000, 128
	blobs := clusteredBlobs(n, dim, 1)
	b.ReportAllocs()
	f := flatOf(Float32, Cosine, dim, 0)
	i := 0
	for b.Loop() {
		if i == n {
			b.StopTimer()
			f = flatOf(Float32, Cosine, dim, 0)
			i = 0
			b.StartTimer()
		}
		f.Add(uint64(i+1), blobs[i])
		i++
	}
}

// BenchmarkFlatDistance: one ad-hoc distance, 128-d FLOAT32 COSINE, with
// Distance (the query prepared at every call) and with DistanceFunc.
func BenchmarkFlatDistance(b *testing.B) {
	const n, dim = 50000, 128
	f := flatOf(Float32, Cosine, dim, 0)
	for i, blob := range clusteredBlobs(n, dim, 1) {
		f.Add(uint64(i+1), blob)
	}
	q := clusteredBlobs(1, dim, 2)[0]
	b.Run("Distance", func(b *testing.B) {
		i := 0
		for b.Loop() {
			f.Distance(uint64(i%n+1), q)
			i += 7
		}
	})
	b.Run("DistanceFunc", func(b *testing.B) {
		df := f.DistanceFunc(q)
		i := 0
		for b.Loop() {
			df(uint64(i%n + 1))
			i += 7
		}
	})
}
