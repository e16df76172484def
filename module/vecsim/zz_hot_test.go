package vecsim

import (
	"testing"
	"time"
)

func TestZZHot(t *testing.T) {
	x := benchIndex(&testing.B{})
	for _, nq := range []int{1000} {
		start := time.Now()
		const runs = 50000
		for i := range runs {
			x.TopK(bench.qb[i%nq], 10, SearchOpts{EFRuntime: 10}, nil)
		}
		t.Logf("%4d distinct queries: %v per query", nq, time.Since(start)/runs)
	}
}
