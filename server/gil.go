package server

import (
	"runtime"
	"sync"
	"time"

	"go.uber.org/atomic"
)

// GIL is the main-thread lock. Exactly one holder at a time runs "on the main
// thread": a client command, a worker loading documents through a
// thread-safe context, a background job of the server or a module. All
// keyspace access happens under it.
//
// It is a plain mutex taken by the goroutine that needs it: handing commands
// to a dedicated goroutine over a channel was measured to halve pipelined
// throughput.
type GIL struct {
	mu       sync.Mutex
	waiting  atomic.Int32 // goroutines blocked in Lock
	acquired atomic.Uint64
}

// Lock takes the main thread.
func (g *GIL) Lock() {
	if g.mu.TryLock() {
		g.acquired.Inc()
		return
	}
	g.waiting.Inc()
	g.mu.Lock()
	g.waiting.Dec()
	g.acquired.Inc()
}

// Unlock releases the main thread.
func (g *GIL) Unlock() { g.mu.Unlock() }

// TryLock takes the main thread if it is free.
func (g *GIL) TryLock() bool {
	if g.mu.TryLock() {
		g.acquired.Inc()
		return true
	}
	return false
}

// Waiting is the number of goroutines waiting for the main thread.
func (g *GIL) Waiting() int { return int(g.waiting.Load()) }

// HandOver lets every goroutine already waiting for the main thread run,
// then takes it back (within about maxWait): what a background job holding
// the lock across batches calls between them, so that clients are served
// fairly instead of racing it for the mutex. The caller holds the lock.
func (g *GIL) HandOver(maxWait time.Duration) { g.handOver(maxWait) }

// handOver lets the goroutines waiting for the lock run, then takes it back.
// The caller holds the lock. Every goroutine that was already waiting gets it
// before the caller does, unless that takes longer than maxWait (a waiter
// that was about to give up, or that immediately waits again).
func (g *GIL) handOver(maxWait time.Duration) {
	n := g.waiting.Load()
	if n == 0 {
		return
	}
	target := g.acquired.Load() + uint64(n)
	g.mu.Unlock()
	deadline := time.Now().Add(maxWait)
	for spins := 0; g.acquired.Load() < target; spins++ {
		if spins < 64 {
			runtime.Gosched()
			continue
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Microsecond)
	}
	g.Lock()
}

// busyOp is a long main-thread operation that yields: while it runs, only
// commands flagged allow-busy are served; the others wait, then get -BUSY
// once busy-reply-threshold has passed since the operation started.
type busyOp struct {
	start  time.Time
	reason string        // the -BUSY error, with its code
	done   chan struct{} // closed when the operation ends
	script bool          // a script: only Redis' own allow-busy commands run, not ours (PING...)
}
