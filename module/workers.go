package module

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The worker pool runs queries off the main thread (search-workers > 0).
//
// Resizing never makes the main thread wait on a worker (in the default
// policy): the configured count changes at once and the workers converge to
// it on their own. A worker that is not needed any more leaves after its
// current job: when the pool still has workers, it leaves the queue to them;
// when the pool goes to 0, the leaving workers run what is queued first (new
// queries run inline by then). A worker that has not left yet when the pool
// grows again simply stays: there is nothing to wait for, so flapping
// 8 → 0 → 8 cannot block anybody.

// Resize policies (search-workers-resize-policy).
const (
	resizeAsync         = "async"
	resizeDrainYield    = "drain-yield"
	resizeLegacyBarrier = "legacy-barrier"
	// resizeLegacyRevive reproduces 2.10.25 and 2.10.32: reductions are
	// asynchronous, but a query submitted while the workers of a pool
	// disabled earlier are still draining makes the submitter, holding the
	// main thread, wait until every one of them has finished its current
	// job (verify_init's revive barrier).
	resizeLegacyRevive = "legacy-revive"
)

// jobPriority orders the queues: admin jobs first, then high, then low.
type jobPriority uint8

const (
	priorityHigh jobPriority = iota
	priorityLow
	numPriorities
)

// workerStats is what FT.DEBUG WORKERS STATS and INFO report.
type workerStats struct {
	totalJobsDone    uint64
	highPending      int
	lowPending       int
	adminPending     int
	alive            int
	jobsInProgress   int
	configured       int
	paused           bool
	exitingWhenEmpty int
}

// legacyBarrier is 2.10.20's resize barrier: the setter waits, holding the
// main thread, until every worker it removes has taken an admin job, which
// a worker only does between two jobs.
type legacyBarrier struct {
	count    int // admin jobs pushed
	taken    int // admin jobs taken by a worker
	received int // workers that reached the barrier
	released bool
}

type workerPool struct {
	log *slog.Logger

	mu         sync.Mutex
	cond       *sync.Cond // jobs queued, count changed, resumed, barrier released, worker left
	queues     [numPriorities][]func()
	configured int // n_threads: what the workers converge to
	alive      int
	inProgress int
	done       uint64
	paused     bool
	stopped    bool
	barrier    *legacyBarrier
	// reviving: the pool was disabled under legacy-revive while workers
	// were alive; the next submission revives it behind a barrier.
	reviving bool
	nextID   int
	wg       sync.WaitGroup
}

func newWorkerPool(log *slog.Logger) *workerPool {
	p := &workerPool{log: log}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Configured is the size the pool converges to (FT.DEBUG WORKERS N_THREADS).
func (p *workerPool) Configured() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.configured
}

// Submit queues a job. Workers start lazily: the first job after the pool
// was enlarged starts the missing ones. It reports false when the pool has
// no size (the caller runs the job inline).
func (p *workerPool) Submit(prio jobPriority, job func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.configured == 0 || p.stopped {
		return false
	}
	if p.reviving {
		p.reviving = false
		if p.alive > 0 {
			// verify_init's revive barrier: one admin job per live worker.
			p.barrierLocked(p.alive, nil)
		}
	}
	p.queues[prio] = append(p.queues[prio], job)
	for p.alive < p.configured {
		p.spawnLocked()
	}
	p.cond.Signal()
	return true
}

func (p *workerPool) spawnLocked() {
	p.alive++
	p.nextID++
	p.wg.Add(1)
	go p.worker(p.nextID)
}

func (p *workerPool) pendingLocked() int {
	n := 0
	for _, q := range p.queues {
		n += len(q)
	}
	return n
}

func (p *workerPool) popLocked() func() {
	for i := range p.queues {
		if q := p.queues[i]; len(q) > 0 {
			job := q[0]
			q[0] = nil
			p.queues[i] = q[1:]
			return job
		}
	}
	return nil
}

// worker runs jobs until the pool no longer needs it.
func (p *workerPool) worker(id int) {
	defer p.wg.Done()
	p.mu.Lock()
	for {
		if b := p.barrier; b != nil && b.taken < b.count {
			// Admin jobs come before any query.
			b.taken++
			b.received++
			p.cond.Broadcast()
			for !b.released {
				p.cond.Wait()
			}
			continue
		}
		if !p.paused {
			if p.configured > 0 && p.alive > p.configured && p.barrier == nil {
				break // surplus: leave the queue to the others
			}
			if job := p.popLocked(); job != nil {
				p.inProgress++
				p.mu.Unlock()
				p.run(job)
				p.mu.Lock()
				p.inProgress--
				p.done++
				p.cond.Broadcast()
				continue
			}
			if (p.configured == 0 || p.stopped) && p.barrier == nil {
				break // the pool was disabled and the queue is empty
			}
		}
		p.cond.Wait()
	}
	p.alive--
	p.cond.Broadcast()
	p.mu.Unlock()
	p.log.Debug(fmt.Sprintf("<module> Terminating thread thpool-%d", id))
}

// run runs a job; a panic is logged and does not take the worker down (the
// job's own recovery replies to its client).
func (p *workerPool) run(job func()) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Warn(fmt.Sprintf("<module> Panic in a worker job: %v", r))
		}
	}()
	job()
}

// resize sets the configured size at once and returns; the workers converge
// to it. It reports the previous size.
func (p *workerPool) resize(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.configured
	p.configured = n
	p.cond.Broadcast()
	return old
}

// converged reports whether the pool has reached its configured size: no
// surplus worker left, and for a disabled pool an empty queue.
func (p *workerPool) convergedLocked() bool {
	if p.configured == 0 {
		return p.alive == 0 && p.pendingLocked() == 0
	}
	return p.alive <= p.configured
}

// waitConverged polls until the pool reached its size or the deadline
// passed, calling yield between polls; it reports whether it converged.
func (p *workerPool) waitConverged(deadline time.Time, yield func()) bool {
	return p.pollUntil(deadline, yield, p.convergedLocked)
}

// waitIdle polls until no job is queued or running (FT.DEBUG WORKERS DRAIN).
func (p *workerPool) waitIdle(deadline time.Time, yield func()) bool {
	return p.pollUntil(deadline, yield, func() bool { return p.pendingLocked() == 0 && p.inProgress == 0 })
}

// pollInterval is how long a yielding wait sleeps between two polls.
const pollInterval = 200 * time.Microsecond

func (p *workerPool) pollUntil(deadline time.Time, yield func(), done func() bool) bool {
	for {
		p.mu.Lock()
		ok := done()
		p.mu.Unlock()
		if ok {
			return true
		}
		if !time.Now().Before(deadline) {
			return false
		}
		yield()
		time.Sleep(pollInterval)
	}
}

// legacyShrink reproduces RediSearch 2.10.20's reduction: it pushes one
// admin job per removed worker (every worker when the pool goes to 0) and
// spins, without timeout and without yielding, until each was taken. The
// caller holds the main-thread lock; a worker waiting for it in the middle
// of a job never takes its admin job, and the shard freezes.
func (p *workerPool) legacyShrink(n int) {
	p.mu.Lock()
	remove := p.alive - n
	if n == 0 {
		remove = p.alive
	}
	if remove <= 0 || p.barrier != nil {
		p.configured = n
		p.cond.Broadcast()
		p.mu.Unlock()
		return
	}
	p.barrierLocked(remove, func() { p.configured = n })
	p.mu.Unlock()
}

// barrierLocked is the thread pool's admin barrier: it pushes count admin
// jobs and spins, without timeout and without yielding (the caller holds
// the main thread), until each was taken, which a worker only does between
// two jobs; then it runs done and lets the workers go on.
func (p *workerPool) barrierLocked(count int, done func()) {
	b := &legacyBarrier{count: count}
	p.barrier = b
	p.cond.Broadcast()
	for b.received < b.count && !p.stopped {
		p.mu.Unlock()
		time.Sleep(time.Microsecond) // usleep(1), holding the main thread
		p.mu.Lock()
	}
	if done != nil {
		done()
	}
	b.released = true
	p.barrier = nil
	p.cond.Broadcast()
}

// disableLegacy marks a pool disabled under legacy-revive: the workers
// still alive drain what is queued, and the next submission waits for them.
func (p *workerPool) disableLegacy() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.configured == 0 && p.alive > 0 {
		p.reviving = true
	}
}

// pause stops the workers from taking jobs (FT.DEBUG WORKERS PAUSE); it
// reports false when the pool has no size or is already paused.
func (p *workerPool) pause() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.configured == 0 || p.paused {
		return false
	}
	p.paused = true
	return true
}

// resume lets the workers take jobs again; as in the module since the
// asynchronous resize, it works on a paused pool resized to 0 meanwhile (its
// workers then run what is queued and leave).
func (p *workerPool) resume() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.paused {
		return false
	}
	p.paused = false
	p.cond.Broadcast()
	return true
}

func (p *workerPool) isPaused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused
}

func (p *workerPool) stats() workerStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := workerStats{
		totalJobsDone:  p.done,
		highPending:    len(p.queues[priorityHigh]),
		lowPending:     len(p.queues[priorityLow]),
		alive:          p.alive,
		jobsInProgress: p.inProgress,
		configured:     p.configured,
		paused:         p.paused,
	}
	if b := p.barrier; b != nil {
		s.adminPending = b.count - b.taken
	} else if p.configured > 0 && p.alive > p.configured {
		s.adminPending = p.alive - p.configured
	}
	if p.configured == 0 {
		s.exitingWhenEmpty = p.alive
	}
	return s
}

// stop lets the workers run what is queued and waits for them to leave.
// Called once the clients are gone, without the main-thread lock (queued
// jobs may still need it).
func (p *workerPool) stop() {
	p.mu.Lock()
	p.stopped = true
	p.paused = false
	if p.barrier != nil {
		p.barrier.released = true
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}
