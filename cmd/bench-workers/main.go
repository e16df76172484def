// Command bench-workers measures `CONFIG SET search-workers 8 → 0` under
// query load, once per resize policy, each on a fresh shard process: the
// CONFIG SET latency, PING latency during the change (HdrHistogram) and
// query throughput before, during and after it. A shard that freezes
// (legacy-barrier) is reported as such and killed. `make bench-workers`
// builds the binary and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/redis/go-redis/v9"
)

type options struct {
	bin      string
	docs     int
	clients  int
	limit    int
	from, to int
	window   time.Duration
	hang     time.Duration
	policies []string
}

// result is one policy's row.
type result struct {
	policy     string
	froze      bool
	configSet  time.Duration
	converged  time.Duration // until no worker is left alive (-1: not within the window)
	ping       workload.PingStats
	qpsBefore  float64
	qpsDuring  float64
	qpsAfter   float64
	unanswered int64
}

func main() {
	var o options
	var policies string
	flag.StringVar(&o.bin, "bin", "bin/miniredis-search", "the shard binary")
	flag.IntVar(&o.docs, "docs", 1000, "documents in the corpus")
	flag.IntVar(&o.clients, "clients", 20, "query clients")
	flag.IntVar(&o.limit, "limit", 10, "documents loaded per query")
	flag.IntVar(&o.from, "from", 8, "search-workers before the change")
	flag.IntVar(&o.to, "to", 0, "search-workers after the change")
	flag.DurationVar(&o.window, "window", 2*time.Second, "length of the before, during and after windows")
	flag.DurationVar(&o.hang, "hang", 2*time.Second, "a PING or CONFIG SET unanswered this long is a freeze")
	flag.StringVar(&policies, "policies", "async,drain-yield,legacy-barrier", "resize policies to measure")
	runs := flag.Int("runs", 3, "runs per policy, each on a fresh shard (a policy that froze is not run again)")
	flag.Parse()
	o.policies = strings.Split(policies, ",")

	var rows []result
	for _, p := range o.policies {
		for i := 0; i < *runs; i++ {
			fmt.Fprintf(os.Stderr, "bench-workers: policy %s, run %d...\n", p, i+1)
			r, err := runPolicy(o, p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "bench-workers: %s: %v\n", p, err)
				os.Exit(1)
			}
			rows = append(rows, r)
			if r.froze {
				break
			}
		}
	}
	fmt.Printf("search-workers %d → %d under load: %d docs, %d clients, %d docs loaded per query, %s windows\n\n",
		o.from, o.to, o.docs, o.clients, o.limit, o.window)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tCONFIG SET\tworkers gone\tPING p50\tp99\tmax\tQPS before\tduring\tafter\tunanswered\t")
	for _, r := range rows {
		if r.froze {
			fmt.Fprintf(tw, "%s\tno reply\t-\t%s\t%s\tno reply for %s\t%.0f\t%.0f\t-\t%d (frozen, killed)\t\n",
				r.policy, ms(r.ping.P50), ms(r.ping.P99), ms(r.ping.MaxGap), r.qpsBefore, r.qpsDuring, r.unanswered)
			continue
		}
		gone := "-"
		if r.converged >= 0 {
			gone = ms(r.converged)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%d\t\n", r.policy, ms(r.configSet), gone,
			ms(r.ping.P50), ms(r.ping.P99), ms(r.ping.Max), r.qpsBefore, r.qpsDuring, r.qpsAfter, r.unanswered)
	}
	tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func runPolicy(o options, policy string) (result, error) {
	r := result{policy: policy, converged: -1}
	port, err := freePort()
	if err != nil {
		return r, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(o.bin, "--port", strconv.Itoa(port), "--loglevel", "warning",
		"--search-workers", strconv.Itoa(o.from), "--search-workers-resize-policy", policy)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 2, MaxRetries: -1,
		ReadTimeout: o.hang, WriteTimeout: o.hang})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); rdb.Ping(ctx).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return r, errors.New("the shard did not start")
		}
	}
	if err := workload.Setup(ctx, rdb, o.docs); err != nil {
		return r, err
	}
	load := &workload.Load{Addr: addr, Clients: o.clients, Limit: o.limit, Timeout: 2 * o.hang}
	load.Start()
	prober := &workload.Prober{Addr: addr, Timeout: o.hang}
	prober.Start()

	time.Sleep(o.window / 2) // warm-up
	qps := func() float64 {
		a := load.Counts().OK
		t0 := time.Now()
		time.Sleep(o.window)
		return float64(load.Counts().OK-a) / time.Since(t0).Seconds()
	}
	r.qpsBefore = qps()

	prober.Reset()
	okAtChange := load.Counts().OK
	change := time.Now()
	setDone := make(chan error, 1)
	go func() {
		setter := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, MaxRetries: -1,
			ReadTimeout: 2 * o.window, WriteTimeout: o.hang})
		defer setter.Close()
		setDone <- setter.ConfigSet(ctx, "search-workers", strconv.Itoa(o.to)).Err()
	}()
	select {
	case err := <-setDone:
		if err != nil {
			return r, fmt.Errorf("CONFIG SET: %w", err)
		}
		r.configSet = time.Since(change)
	case <-time.After(o.hang):
		r.froze = true
	}
	if !r.froze {
		// How long until the last worker is gone, polled within the window.
		for time.Since(change) < o.window {
			v, err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "STATS").Slice()
			if err == nil && alive(v) == int64(o.to) {
				r.converged = time.Since(change)
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	if rest := o.window - time.Since(change); rest > 0 {
		time.Sleep(rest)
	}
	r.qpsDuring = float64(load.Counts().OK-okAtChange) / time.Since(change).Seconds()
	r.ping = prober.Stats()
	if r.froze || r.ping.Hung {
		r.froze = true
		cmd.Process.Kill()
		prober.Stop()
		c := load.Stop()
		r.unanswered = c.Sent - c.Replied
		return r, nil
	}
	r.qpsAfter = qps()
	prober.Stop()
	c := load.Stop()
	r.unanswered = c.Sent - c.Replied
	return r, nil
}

func alive(stats []any) int64 {
	for i := 0; i+1 < len(stats); i += 2 {
		if stats[i] == "numThreadsAlive" {
			n, _ := stats[i+1].(int64)
			return n
		}
	}
	return -1
}
