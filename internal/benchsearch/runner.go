package benchsearch

import (
	"context"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histograms record microseconds, 1 µs to 1 min, 3 significant
// digits.
const (
	histMinMicros = 1
	histMaxMicros = int64(time.Minute / time.Microsecond)
	histSigFigs   = 3
)

// Result is what one query measured on one engine.
type Result struct {
	Ops  int64
	QPS  float64
	P50  time.Duration
	P99  time.Duration
	Hits int64 // total matches the engine reports (first call)
	Err  error // the first error; the run stops at it
}

// RunFor calls op from clients goroutines in a loop for duration and
// measures every call. op receives the worker's number; it returns an
// error to stop the run. op is not cancelled at the deadline: a call in
// flight completes and counts.
func RunFor(ctx context.Context, clients int, duration time.Duration, op func(worker int) error) Result {
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	return run(ctx, cancel, clients, 0, op)
}

// RunCalls calls op calls times from each of clients goroutines and
// measures every call, as RunFor does (bench-aggregate's fixed iteration
// counts).
func RunCalls(ctx context.Context, clients, calls int, op func(worker int) error) Result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return run(ctx, cancel, clients, max(calls, 1), op)
}

// run calls op from clients goroutines until ctx is done (cancel stops
// them all at the first error) or, when calls > 0, each made calls calls.
func run(ctx context.Context, cancel context.CancelFunc, clients, calls int, op func(worker int) error) Result {
	hists := make([]*hdrhistogram.Histogram, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range clients {
		hists[w] = hdrhistogram.New(histMinMicros, histMaxMicros, histSigFigs)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every worker completes at least one call, even when the
			// duration is shorter than a call: the figures are never empty.
			for n := 1; ; n++ {
				t0 := time.Now()
				if err := op(w); err != nil {
					errs[w] = err
					cancel()
					return
				}
				_ = hists[w].RecordValue(max(histMinMicros, time.Since(t0).Microseconds()))
				if ctx.Err() != nil || n == calls {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := hdrhistogram.New(histMinMicros, histMaxMicros, histSigFigs)
	var res Result
	for w := range clients {
		total.Merge(hists[w])
		if res.Err == nil {
			res.Err = errs[w]
		}
	}
	res.Ops = total.TotalCount()
	res.QPS = float64(res.Ops) / elapsed.Seconds()
	res.P50 = time.Duration(total.ValueAtQuantile(50)) * time.Microsecond
	res.P99 = time.Duration(total.ValueAtQuantile(99)) * time.Microsecond
	return res
}
