package vecsim

import (
	"fmt"
	"sync"
	"testing"
)

// A point on the x axis: L2 distances between them are squares of small
// integers, exact in float32.
func xAxis(x float32) []byte { return vecBlob32([]float32{x, 0}) }

func tieredIndex(q *jobQueue, limit int) Index {
	return New(Params{Algo: HNSW, Type: Float32, Dim: 2, Metric: L2}, Options{Submit: q.submit, BufferLimit: limit})
}

func wantTopK(t *testing.T, x Index, at float32, k int, want []Result) {
	t.Helper()
	got := x.TopK(xAxis(at), k, SearchOpts{EFRuntime: 100}, nil)
	closeResults(t, fmt.Sprintf("TopK(%v, %d)", at, k), got, want, 0)
}

// New vectors wait in the buffer, found by every kind of query, until
// their job moves them into the graph; then they are found there.
func TestTieredBufferThenGraph(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	for i := range 10 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	g := hnswOf[float32](x)
	if x.Pending() != 10 || q.len() != 10 || g.live() != 0 || x.Size() != 10 {
		t.Fatalf("before jobs: Pending %d, queued %d, in graph %d, Size %d", x.Pending(), q.len(), g.live(), x.Size())
	}
	// Distances from 3.5: 0.25 (3, 4), 2.25 (2, 5), 6.25 (1, 6).
	want := []Result{{3, 0.25}, {4, 0.25}, {2, 2.25}, {5, 2.25}}
	wantTopK(t, x, 3.5, 4, want)
	closeResults(t, "Range", x.Range(xAxis(3.5), 2.25, SearchOpts{}, nil), want, 0)
	if d, ok := x.Distance(9, xAxis(3)); !ok || d != 36 {
		t.Fatalf("Distance of a buffered vector = %v %v", d, ok)
	}
	it := x.Batches(xAxis(3.5), SearchOpts{})
	closeResults(t, "first batch", it.Next(4), want, 0)

	// Half the jobs run: the vectors are then half in each tier.
	for range 5 {
		q.mu.Lock()
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		j()
	}
	if x.Pending() != 5 || g.live() != 5 {
		t.Fatalf("after 5 jobs: Pending %d, in graph %d", x.Pending(), g.live())
	}
	wantTopK(t, x, 3.5, 4, want)
	closeResults(t, "second batch (across the move)", it.Next(2), []Result{{1, 6.25}, {6, 6.25}}, 0)

	if n := q.runAll(); n != 5 {
		t.Fatalf("ran %d jobs", n)
	}
	if x.Pending() != 0 || g.live() != 10 || x.Size() != 10 {
		t.Fatalf("after all jobs: Pending %d, in graph %d, Size %d", x.Pending(), g.live(), x.Size())
	}
	wantTopK(t, x, 3.5, 4, want)
	closeResults(t, "third batch", it.Next(2), []Result{{0, 12.25}, {7, 12.25}}, 0)
	closeResults(t, "last batch", it.Next(10), []Result{{8, 20.25}, {9, 30.25}}, 0)
	if !it.Done() {
		t.Fatalf("iterator not done after returning all 10")
	}
}

// A job that runs after Delete of its label does nothing: the label is not
// resurrected.
func TestTieredJobAfterDelete(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	x.Add(1, xAxis(1))
	x.Add(2, xAxis(2))
	if !x.Delete(1) {
		t.Fatalf("Delete of a buffered label")
	}
	if x.Delete(1) {
		t.Fatalf("second Delete found it")
	}
	if x.Size() != 1 || x.Pending() != 1 {
		t.Fatalf("Size %d Pending %d", x.Size(), x.Pending())
	}
	q.runAll()
	wantTopK(t, x, 0, 5, []Result{{2, 4}})
	if g := hnswOf[float32](x); g.live() != 1 || g.contains(1) {
		t.Fatalf("graph holds %d, label 1 %v", g.live(), g.contains(1))
	}
}

// Re-adding a buffered label replaces the vector; the old job becomes a
// no-op and the new one inserts the new vector, whichever runs first.
func TestTieredReAddBeforeJob(t *testing.T) {
	for _, order := range []string{"old first", "new first"} {
		t.Run(order, func(t *testing.T) {
			var q jobQueue
			x := tieredIndex(&q, 0)
			x.Add(1, xAxis(1))
			x.Add(1, xAxis(5))
			if x.Size() != 1 || q.len() != 2 {
				t.Fatalf("Size %d, queued %d", x.Size(), q.len())
			}
			wantTopK(t, x, 0, 5, []Result{{1, 25}})
			if order == "new first" {
				q.jobs[0], q.jobs[1] = q.jobs[1], q.jobs[0]
			}
			q.runAll()
			wantTopK(t, x, 0, 5, []Result{{1, 25}})
			if g := hnswOf[float32](x); g.live() != 1 || x.Pending() != 0 {
				t.Fatalf("graph holds %d, Pending %d", g.live(), x.Pending())
			}
		})
	}
}

// Re-adding a label already in the graph: the graph vector becomes a
// tombstone at once (its repair is a job), the new vector is buffered.
func TestTieredReAddAfterJob(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	for i := range 20 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	q.runAll()
	x.Add(3, xAxis(30))
	if x.Size() != 20 || x.Pending() != 1 {
		t.Fatalf("Size %d Pending %d", x.Size(), x.Pending())
	}
	wantTopK(t, x, 3, 3, []Result{{2, 1}, {4, 1}, {1, 4}})
	q.runAll()
	wantTopK(t, x, 30, 2, []Result{{3, 0}, {19, 121}})
	g := hnswOf[float32](x)
	g.checkInvariants(t)
}

// Delete of a vector in the graph: never returned from then on; the repair
// job, run later, keeps the graph whole.
func TestTieredDeleteFromGraph(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	for i := range 50 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	q.runAll()
	for i := 10; i < 20; i++ {
		if !x.Delete(uint64(i)) {
			t.Fatalf("Delete(%d)", i)
		}
	}
	if q.len() == 0 {
		t.Fatalf("no repair job queued")
	}
	// From 15 without 10..19: 20 at 25, 9 and 21 at 36.
	want := []Result{{20, 25}, {9, 36}, {21, 36}}
	wantTopK(t, x, 15, 3, want)
	q.runAll()
	g := hnswOf[float32](x)
	g.checkInvariants(t)
	g.consolidate()
	g.checkInvariants(t)
	g.reachableLive(t)
	wantTopK(t, x, 15, 3, want)
}

// Close makes every pending job a no-op; the index is then empty.
func TestTieredClose(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	for i := range 10 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	q.runAll()
	for i := 10; i < 20; i++ {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	x.Delete(3)
	pending := q.len()
	x.Close()
	if n := q.runAll(); n != pending {
		t.Fatalf("ran %d of %d jobs", n, pending)
	}
	if x.Size() != 0 || x.Pending() != 0 || x.MemoryBytes() != 0 {
		t.Fatalf("after Close: Size %d Pending %d Memory %d", x.Size(), x.Pending(), x.MemoryBytes())
	}
	if r := x.TopK(xAxis(0), 5, SearchOpts{}, nil); len(r) != 0 {
		t.Fatalf("TopK after Close: %v", r)
	}
	x.Add(1, xAxis(1))
	if x.Size() != 0 || q.len() != 0 {
		t.Fatalf("Add after Close: Size %d, queued %d", x.Size(), q.len())
	}
}

// A Submit that refuses (no workers) means the insert happens at once.
func TestTieredSubmitRefused(t *testing.T) {
	q := jobQueue{refuse: true}
	x := tieredIndex(&q, 0)
	for i := range 30 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	x.Delete(5)
	if g := hnswOf[float32](x); x.Pending() != 0 || g.live() != 29 || x.Size() != 29 {
		t.Fatalf("Pending %d, in graph %d, Size %d", x.Pending(), g.live(), x.Size())
	}
	wantTopK(t, x, 5, 3, []Result{{4, 1}, {6, 1}, {3, 4}})
}

// Past the buffer limit, Add inserts into the graph directly.
func TestTieredBufferLimit(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 4)
	for i := range 10 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	if g := hnswOf[float32](x); x.Pending() != 4 || g.live() != 6 || q.len() != 4 {
		t.Fatalf("Pending %d, in graph %d, queued %d", x.Pending(), g.live(), q.len())
	}
	wantTopK(t, x, 0, 10, []Result{{0, 0}, {1, 1}, {2, 4}, {3, 9}, {4, 16}, {5, 25}, {6, 36}, {7, 49}, {8, 64}, {9, 81}})
	q.runAll()
	if x.Pending() != 0 || x.Size() != 10 {
		t.Fatalf("Pending %d Size %d", x.Pending(), x.Size())
	}
}

// Flush moves the buffer into the graph; the jobs that run afterwards do
// nothing.
func TestTieredFlush(t *testing.T) {
	var q jobQueue
	x := tieredIndex(&q, 0)
	for i := range 12 {
		x.Add(uint64(i), xAxis(float32(i)))
	}
	x.Flush()
	g := hnswOf[float32](x)
	if x.Pending() != 0 || g.live() != 12 {
		t.Fatalf("after Flush: Pending %d, in graph %d", x.Pending(), g.live())
	}
	q.runAll()
	if g.live() != 12 || g.n != 12 {
		t.Fatalf("jobs after Flush inserted again: %d live, %d ids", g.live(), g.n)
	}
	g.checkInvariants(t)
}

// Jobs on a real pool of goroutines beside queries, deletes and re-adds
// (run with -race); at the end every live label is found exactly.
func TestTieredConcurrentJobs(t *testing.T) {
	const n, dim = 1500, 16
	cp := clusteredCorpus(12, n, 20, dim, 10, 0.5)
	jobs := make(chan func(), 64)
	var workers sync.WaitGroup
	for range 2 {
		workers.Go(func() {
			for j := range jobs {
				j()
			}
		})
	}
	var closed bool
	var mu sync.Mutex
	submit := func(j func()) bool {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return false
		}
		select {
		case jobs <- j:
			return true
		default:
			return false // queue full: run here
		}
	}
	x := New(Params{Algo: HNSW, Type: Float32, Dim: dim, Metric: Cosine, M: 8, EFConstruction: 64}, Options{Submit: submit, BufferLimit: 100})
	live := make([]bool, n)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			x.Add(uint64(i), vecBlob32(cp.vecs[i]))
			if i%4 == 0 && i > 10 {
				x.Delete(uint64(i - 10))
			}
			if i%9 == 0 && i > 20 {
				x.Add(uint64(i-20), vecBlob32(cp.vecs[i-20]))
			}
		}
	})
	stop := make(chan struct{})
	var qg sync.WaitGroup
	qg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			qb := vecBlob32(cp.queries[i%len(cp.queries)])
			checkSorted(t, x.TopK(qb, 10, SearchOpts{}, nil))
			checkSorted(t, x.Range(qb, 0.3, SearchOpts{}, nil))
			it := x.Batches(qb, SearchOpts{})
			checkSorted(t, it.Next(7))
			_ = x.Pending()
		}
	})
	wg.Wait()
	mu.Lock()
	closed = true
	mu.Unlock()
	close(jobs)
	workers.Wait()
	close(stop)
	qg.Wait()
	// Replay the same sequence to know the final state: deletes of i-10 at
	// step i, re-adds of i-20 at step i, in order.
	for i := range n {
		live[i] = true
		if i%4 == 0 && i > 10 {
			live[i-10] = false
		}
		if i%9 == 0 && i > 20 {
			live[i-20] = true
		}
	}
	want := 0
	for _, l := range live {
		if l {
			want++
		}
	}
	if x.Size() != want || x.Pending() != 0 {
		t.Fatalf("Size %d, want %d; Pending %d", x.Size(), want, x.Pending())
	}
	for qi, qv := range cp.queries {
		got := x.TopK(vecBlob32(qv), want, SearchOpts{EFRuntime: n}, nil)
		exactResults(t, fmt.Sprintf("final query %d", qi), got, graphBruteForce(Cosine, cp.vecs, func(l uint64) bool { return live[l] }, qv, -1),
			func(l uint64) (float64, bool) { return refDist(Cosine, qv, cp.vecs[l]), live[l] }, 1e-5)
	}
	g := hnswOf[float32](x)
	g.checkInvariants(t)
	g.reachableLive(t)
}

// With InPlace reporting no workers (the module's VecSim_WriteInPlace at
// WORKERS 0), Add writes to the graph directly: nothing is buffered and no
// job is submitted. A label buffered while there were workers is taken out
// of the buffer (its job voided) when it is written in place.
func TestTieredInPlace(t *testing.T) {
	var q jobQueue
	inPlace := false
	x := New(Params{Algo: HNSW, Type: Float32, Dim: 2, Metric: L2},
		Options{Submit: q.submit, InPlace: func() bool { return inPlace }})
	g := hnswOf[float32](x)
	x.Add(1, xAxis(1))
	x.Add(2, xAxis(2))
	if x.Pending() != 2 || q.len() != 2 {
		t.Fatalf("with workers: Pending %d, queued %d", x.Pending(), q.len())
	}
	inPlace = true
	x.Add(3, xAxis(3))
	x.Add(2, xAxis(20)) // replaces the buffered vector of label 2
	if x.Pending() != 1 || q.len() != 2 || g.live() != 2 || x.Size() != 3 {
		t.Fatalf("in place: Pending %d, queued %d, in graph %d, Size %d", x.Pending(), q.len(), g.live(), x.Size())
	}
	if n := q.runAll(); n != 2 {
		t.Fatalf("ran %d jobs", n)
	}
	if x.Pending() != 0 || g.live() != 3 || x.Size() != 3 {
		t.Fatalf("after the jobs: Pending %d, in graph %d, Size %d", x.Pending(), g.live(), x.Size())
	}
	// Label 2 is at 20 now: from 2.5, 3 (0.25) and 1 (2.25) are nearest,
	// 2 is at 17.5² = 306.25.
	wantTopK(t, x, 2.5, 3, []Result{{3, 0.25}, {1, 2.25}, {2, 306.25}})
}
