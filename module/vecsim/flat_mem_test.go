package vecsim

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// clusteredBlobs makes n FLOAT32 vectors of dim around 50 random centres
// (the shape of the bench's corpus).
func clusteredBlobs(n, dim int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, seed+1))
	centres := make([][]float32, 50)
	for i := range centres {
		centres[i] = make([]float32, dim)
		for j := range centres[i] {
			centres[i][j] = float32(r.NormFloat64())
		}
	}
	blobs := make([][]byte, n)
	v := make([]float32, dim)
	for i := range blobs {
		c := centres[r.IntN(len(centres))]
		for j := range v {
			v[j] = c[j] + 0.3*float32(r.NormFloat64())
		}
		blobs[i] = f32Blob(v...)
	}
	return blobs
}

// TestFlatMemory: 50 000 × 128 FLOAT32 vectors cost their 512 bytes and a
// little more (a label, a table slot, the unused tail of the last block),
// with no heap object per vector, and MemoryBytes says what the heap
// holds.
func TestFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 25 MB index")
	}
	const n, dim = 50000, 128
	blobs := clusteredBlobs(n, dim, 1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := flatOf(Float32, Cosine, dim, 0)
	for i, b := range blobs {
		f.Add(uint64(i+1), b)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	mallocs := after.Mallocs - before.Mallocs
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	mem := f.MemoryBytes()
	perVec := float64(mem) / n
	t.Logf("MemoryBytes %d (%.1f B/vector), heap growth %d, %d allocations for %d adds", mem, perVec, heap, mallocs, n)
	// 49 blocks × 3 slices, the block list's and the table's growth: a
	// few hundred allocations, not one per vector.
	if mallocs > 1000 {
		t.Errorf("%d allocations for %d adds: per-vector allocation", mallocs, n)
	}
	// 512 B of vector + 8 B of label + 12 B a table slot (at a load of
	// 0.38..0.8: 15..32 B) + the empty tail of the last block
	// (1024 - 50000 mod 1024 = 176 slots × 520 B = 1.8 B a vector).
	if perVec < 512+8+15 || perVec > 512+8+32+2+1 {
		t.Errorf("%.1f bytes a vector", perVec)
	}
	// Honest: what MemoryBytes counts is what the heap grew by, within
	// 2% (the heap also holds the test's own small garbage).
	if d := float64(heap-mem) / float64(mem); d > 0.02 || d < -0.02 {
		t.Errorf("MemoryBytes %d, heap grew by %d (%.1f%%)", mem, heap, 100*d)
	}
	runtime.KeepAlive(f)
	runtime.KeepAlive(blobs)
}
