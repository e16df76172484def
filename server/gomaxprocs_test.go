package server

import (
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestProcsLogLine: the verbose line that says how the binary sized the Go
// runtime reads as a sentence, with or without module threads, capped by
// the CPUs or not.
func TestProcsLogLine(t *testing.T) {
	for _, c := range []struct {
		want, prev int
		demand     map[string]int
		cpus       int
		line       string
	}{
		{1, 2, nil, 2, "Go runtime sized to 1 thread (was 2): the main thread alone (2 CPUs)"},
		{5, 1, map[string]int{"search-workers": 4}, 8, "Go runtime sized to 5 threads (was 1): the main thread and 4 threads for search-workers (8 CPUs)"},
		{2, 1, map[string]int{"search-workers": 1}, 8, "Go runtime sized to 2 threads (was 1): the main thread and 1 thread for search-workers (8 CPUs)"},
		{2, 1, map[string]int{"search-workers": 8}, 2, "Go runtime sized to 2 threads (was 1): the main thread and 8 threads for search-workers, capped at the 2 CPUs"},
		{1, 1, nil, 1, "Go runtime sized to 1 thread (was 1): the main thread alone (1 CPU)"},
		{1, 1, map[string]int{"search-workers": 4}, 1, "Go runtime sized to 1 thread (was 1): the main thread and 4 threads for search-workers, capped at the single CPU"},
		{4, 1, map[string]int{"search-workers": 2, "io": 1}, 4, "Go runtime sized to 4 threads (was 1): the main thread, 1 thread for io and 2 threads for search-workers (4 CPUs)"},
	} {
		if got := procsLogLine(c.want, c.prev, c.demand, c.cpus); got != c.line {
			t.Errorf("procsLogLine(%d, %d, %v, %d):\n got %q\nwant %q", c.want, c.prev, c.demand, c.cpus, got, c.line)
		}
	}
}

// TestMainThreadLoad: the extra P is claimed only after two consecutive
// ticks in which the main thread spent at least 60% of the time in
// commands averaging at least 20 µs, and given back after ten ticks that
// are not.
func TestMainThreadLoad(t *testing.T) {
	tick := 100 * time.Millisecond
	at := time.Unix(1000, 0)
	var l mainThreadLoad
	var busy, calls int64
	step := func(busyMs float64, n int64) bool {
		at = at.Add(tick)
		busy += int64(busyMs * float64(time.Millisecond))
		calls += n
		return l.observe(at, busy, calls)
	}
	if l.observe(at, 0, 0) {
		t.Fatal("on before any sample")
	}
	// 90 ms of 1 µs commands (redis-benchmark's GET/SET): saturated, but
	// short commands never claim the P.
	for i := range 20 {
		if step(90, 90_000) {
			t.Fatalf("tick %d: short commands claimed the P", i)
		}
	}
	// 50 ms of 110 µs inserts: long, but the thread is not saturated.
	for i := range 20 {
		if step(50, 455) {
			t.Fatalf("tick %d: an unsaturated thread claimed the P", i)
		}
	}
	// 95 ms of 110 µs inserts: on at the second such tick.
	if step(95, 864) {
		t.Fatal("on after one hot tick")
	}
	if !step(95, 864) {
		t.Fatal("off after two hot ticks")
	}
	// Idle: still on for nine ticks, off at the tenth.
	for i := range 9 {
		if !step(0, 0) {
			t.Fatalf("off after %d cold ticks", i+1)
		}
	}
	if step(0, 0) {
		t.Fatal("on after ten cold ticks")
	}
	// A hot tick between cold ones restarts the count.
	step(95, 864)
	step(95, 864)
	for range 5 {
		step(0, 0)
	}
	step(95, 864)
	for i := range 9 {
		if !step(0, 0) {
			t.Fatalf("off %d cold ticks after a hot one", i+1)
		}
	}
}

// TestThreadDemandDoesNotWaitForResize: a change of demand (CONFIG SET
// search-workers, on the main thread) returns while the runtime's resize
// is still in progress — runtime.GOMAXPROCS waits for a garbage collection
// in progress to end — and the resize follows on the server's own
// goroutine, to the newest demand.
func TestThreadDemandDoesNotWaitForResize(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS set in the environment: the runtime is not managed")
	}
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: every demand sizes the runtime to 1")
	}
	entered := make(chan int, 16)
	release := make(chan struct{})
	var mu sync.Mutex
	size := 1
	saved := setGOMAXPROCS
	setGOMAXPROCS = func(n int) int {
		// The size is recorded before the test hears of the call, so that
		// it reads the size the call set.
		mu.Lock()
		prev := size
		size = n
		mu.Unlock()
		entered <- n
		if n != 1 { // the sizings to 1 (at start, and the last) are not held
			<-release
		}
		return prev
	}
	defer func() { setGOMAXPROCS = saved }()
	s, err := cfgStart(t, Options{Config: []string{"bind 127.0.0.1", "port 0"}, ManageGOMAXPROCS: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := <-entered; n != 1 {
		t.Fatalf("sized at start to %d, want 1 (the main thread alone)", n)
	}
	returned := make(chan struct{})
	go func() {
		s.SetThreadDemand("search-workers", 8)
		close(returned)
	}()
	select {
	case n := <-entered:
		if n != 2 {
			t.Fatalf("resize to %d, want 2 (capped at the CPUs)", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no resize within 2 s of the new demand")
	}
	// The resize is held: the caller must already be back.
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatal("SetThreadDemand waited for the runtime's resize")
	}
	s.SetThreadDemand("search-workers", 0)
	close(release)
	select {
	case n := <-entered:
		if n != 1 {
			t.Fatalf("second resize to %d, want 1", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the demand's return to 0 was not applied")
	}
	mu.Lock()
	defer mu.Unlock()
	if size != 1 {
		t.Fatalf("runtime left at %d, want 1", size)
	}
}
