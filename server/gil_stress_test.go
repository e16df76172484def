package server

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"go.uber.org/atomic"
)

// TestGILStress: 20 goroutines take the main-thread lock 20 000 times each,
// some holding it a while or handing it over: never two holders, and
// everyone gets through.
func TestGILStress(t *testing.T) {
	var g GIL
	var wg sync.WaitGroup
	inside := 0
	var count atomic.Int64
	done := make(chan struct{})
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20000; j++ {
				g.Lock()
				inside++
				if inside != 1 {
					panic("two holders")
				}
				count.Inc()
				if j%100 == 0 {
					time.Sleep(time.Duration(i) * time.Microsecond)
				}
				inside--
				if j%1000 == 0 {
					g.handOver(2 * time.Millisecond)
				}
				g.Unlock()
			}
		}(i)
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("stuck after %d\n%s", count.Load(), buf[:n])
	}
}
