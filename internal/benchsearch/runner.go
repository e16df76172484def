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

// runFor calls op from clients goroutines in a loop for duration and
// measures every call. op receives the worker's number; it returns an
// error to stop the run. op is not cancelled at the deadline: a call in
// flight completes and counts.
func runFor(ctx context.Context, clients int, duration time.Duration, op func(worker int) error) Result {
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
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
			for {
				t0 := time.Now()
				if err := op(w); err != nil {
					errs[w] = err
					cancel()
					return
				}
				_ = hists[w].RecordValue(max(histMinMicros, time.Since(t0).Microseconds()))
				if ctx.Err() != nil {
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
