package module

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

func newTestPool(t *testing.T) *workerPool {
	p := newWorkerPool(slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(p.stop)
	return p
}

// waitFor polls cond for up to 5 s (a liveness bound: it holds within
// milliseconds).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// blockingJobs submits n jobs that each wait for release.
func blockingJobs(t *testing.T, p *workerPool, n int, release <-chan struct{}, done *sync.WaitGroup) {
	t.Helper()
	for i := 0; i < n; i++ {
		done.Add(1)
		if !p.Submit(priorityHigh, func() { <-release; done.Done() }) {
			t.Fatal("Submit refused a job on a pool with workers")
		}
	}
}

func TestPoolLazyGrowthAndInlineAtZero(t *testing.T) {
	p := newTestPool(t)
	if p.Submit(priorityHigh, func() {}) {
		t.Fatal("a pool of 0 took a job: it must run inline")
	}
	p.resize(4)
	if st := p.stats(); st.alive != 0 || st.configured != 4 {
		t.Fatalf("after resize(4): %+v, want no worker started yet", st)
	}
	ran := make(chan struct{})
	p.Submit(priorityHigh, func() { close(ran) })
	<-ran
	if st := p.stats(); st.alive != 4 {
		t.Fatalf("after the first job: %d alive, want 4", st.alive)
	}
}

// TestPoolShrinkDoesNotWait: shrinking a pool whose workers are all busy
// returns at once; the surplus leaves after its job, and the jobs queued
// meanwhile are run by the survivors.
func TestPoolShrinkDoesNotWait(t *testing.T) {
	p := newTestPool(t)
	p.resize(4)
	release := make(chan struct{})
	var done sync.WaitGroup
	blockingJobs(t, p, 4, release, &done)
	waitFor(t, "4 jobs running", func() bool { return p.stats().jobsInProgress == 4 })
	blockingJobs(t, p, 6, release, &done) // queued
	// The four workers hold their jobs until release is closed: resize
	// returns before that, or it waited for them (and never returns).
	resized := make(chan struct{})
	go func() {
		p.resize(1)
		close(resized)
	}()
	select {
	case <-resized:
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("resize(1) waited for the busy workers")
	}
	if st := p.stats(); st.configured != 1 || st.alive != 4 || st.adminPending != 3 {
		t.Fatalf("right after resize(1): %+v", st)
	}
	close(release)
	done.Wait()
	// A job's own end comes just before its worker counts it.
	waitFor(t, "10 jobs counted", func() bool { return p.stats().totalJobsDone == 10 })
	waitFor(t, "1 worker alive", func() bool { return p.stats().alive == 1 })
}

// TestPoolToZeroDrainsQueue: at 0 the leaving workers run what is queued.
func TestPoolToZeroDrainsQueue(t *testing.T) {
	p := newTestPool(t)
	p.resize(2)
	release := make(chan struct{})
	var done sync.WaitGroup
	blockingJobs(t, p, 20, release, &done)
	p.resize(0)
	if p.Submit(priorityHigh, func() {}) {
		t.Fatal("a pool resized to 0 took a new job")
	}
	close(release)
	done.Wait()
	waitFor(t, "no worker alive", func() bool { return p.stats().alive == 0 })
	if st := p.stats(); st.totalJobsDone != 20 || st.highPending != 0 {
		t.Fatalf("after the drain: %+v", st)
	}
}

// TestPoolRegrowWhileDraining: 8 → 0 → 8 while the workers are busy:
// nothing waits, the workers that had not left yet stay, none is added
// beyond 8, and every job runs.
func TestPoolRegrowWhileDraining(t *testing.T) {
	p := newTestPool(t)
	p.resize(8)
	release := make(chan struct{})
	var done sync.WaitGroup
	blockingJobs(t, p, 8, release, &done)
	waitFor(t, "8 jobs running", func() bool { return p.stats().jobsInProgress == 8 })
	for i := 0; i < 50; i++ {
		p.resize(0)
		p.resize(8)
	}
	blockingJobs(t, p, 8, release, &done)
	if st := p.stats(); st.alive != 8 {
		t.Fatalf("after flapping: %d alive, want 8", st.alive)
	}
	close(release)
	done.Wait()
	waitFor(t, "16 jobs counted", func() bool { return p.stats().totalJobsDone == 16 })
	if st := p.stats(); st.alive != 8 {
		t.Fatalf("after the jobs: %+v", st)
	}
}

// TestPoolLegacyBarrierWaitsForJobs: the legacy policy's reduction waits
// until every removed worker has finished its job, holding the caller; it
// is what freezes the shard when a job needs the main thread the caller
// holds.
func TestPoolLegacyBarrierWaitsForJobs(t *testing.T) {
	p := newTestPool(t)
	p.resize(2)
	release := make(chan struct{})
	var done sync.WaitGroup
	blockingJobs(t, p, 2, release, &done)
	waitFor(t, "2 jobs running", func() bool { return p.stats().jobsInProgress == 2 })
	returned := make(chan struct{})
	go func() { p.legacyShrink(0); close(returned) }()
	select {
	case <-returned:
		t.Fatal("the legacy reduction returned while workers were busy")
	case <-time.After(100 * time.Millisecond):
	}
	if st := p.stats(); st.adminPending != 2 {
		t.Fatalf("admin jobs pending: %d, want 2", st.adminPending)
	}
	close(release)
	<-returned
	done.Wait()
	waitFor(t, "no worker alive", func() bool { return p.stats().alive == 0 })
}

func TestPoolPauseResume(t *testing.T) {
	p := newTestPool(t)
	if p.pause() {
		t.Fatal("paused a pool of 0")
	}
	p.resize(2)
	if !p.pause() || p.pause() {
		t.Fatal("pause: want true once, then false")
	}
	ran := make(chan struct{})
	p.Submit(priorityHigh, func() { close(ran) })
	select {
	case <-ran:
		t.Fatal("a paused pool ran a job")
	case <-time.After(50 * time.Millisecond):
	}
	if !p.resume() || p.resume() {
		t.Fatal("resume: want true once, then false")
	}
	<-ran
}

// TestPoolStopRunsQueuedJobs: stopping lets the queued jobs run, and every
// worker goroutine ends (goleak checks it in TestMain).
func TestPoolStopRunsQueuedJobs(t *testing.T) {
	p := newWorkerPool(slog.New(slog.NewTextHandler(io.Discard, nil)))
	p.resize(2)
	var n sync.WaitGroup
	for i := 0; i < 10; i++ {
		n.Add(1)
		p.Submit(priorityLow, func() { n.Done() })
	}
	p.stop()
	n.Wait()
	if st := p.stats(); st.alive != 0 || st.totalJobsDone != 10 {
		t.Fatalf("after stop: %+v", st)
	}
}

// TestPoolLegacyReviveWaitsForDrainingWorkers: under legacy-revive, a job
// submitted after 2 → 0 → 2 while the old workers are still busy waits
// until each has finished its job (the submitter is the main thread in the
// shard: that wait is the freeze).
func TestPoolLegacyReviveWaitsForDrainingWorkers(t *testing.T) {
	p := newTestPool(t)
	p.resize(2)
	release := make(chan struct{})
	var done sync.WaitGroup
	blockingJobs(t, p, 2, release, &done)
	waitFor(t, "2 jobs running", func() bool { return p.stats().jobsInProgress == 2 })
	p.resize(0)
	p.disableLegacy()
	p.resize(2)
	submitted := make(chan struct{})
	go func() {
		p.Submit(priorityHigh, func() {})
		close(submitted)
	}()
	select {
	case <-submitted:
		t.Fatal("the revive did not wait for the draining workers")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-submitted
	done.Wait()
}
