// Command bench-cluster measures FT.SEARCH through the coordinator of a
// cluster of shard processes against one standalone shard holding the same
// corpus (the queries and corpus of bench-search), then the PING latency of
// a shard while every shard goes from 8 workers to 0 under query load.
// `make bench-cluster` builds the binary and runs it.
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

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/redis/go-redis/v9"
)

func main() {
	bin := flag.String("bin", "bin/miniredis-search", "the shard binary")
	docs := flag.Int("docs", 100_000, "documents in the corpus")
	shards := flag.Int("shards", 3, "shards of the cluster")
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 3*time.Second, "how long each query runs on each side")
	window := flag.Duration("window", 2*time.Second, "PING measurement window after the workers change")
	flag.Parse()
	if err := run(*bin, *docs, *shards, *clients, *duration, *window); err != nil {
		fmt.Fprintln(os.Stderr, "bench-cluster:", err)
		os.Exit(1)
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// shard starts a shard process; stop kills it.
func shard(bin string, port int, args ...string) (stop func(), err error) {
	cmd := exec.Command(bin, append([]string{"--port", strconv.Itoa(port), "--loglevel", "warning"}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), Protocol: 2})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("shard on port %d did not start", port)
		}
	}
	return stop, nil
}

func run(bin string, docs, nShards, clients int, duration, window time.Duration) error {
	ctx := context.Background()
	ports, err := freePorts(nShards + 1)
	if err != nil {
		return err
	}
	stopSolo, err := shard(bin, ports[0])
	if err != nil {
		return err
	}
	defer stopSolo()
	var nodes []string
	for _, p := range ports[1:] {
		nodes = append(nodes, "127.0.0.1:"+strconv.Itoa(p))
	}
	for _, p := range ports[1:] {
		stop, err := shard(bin, p, "--cluster-enabled", "yes", "--cluster-nodes", strings.Join(nodes, " "))
		if err != nil {
			return err
		}
		defer stop()
	}

	fmt.Fprintf(os.Stderr, "bench-cluster: generating %d documents\n", docs)
	corpus := benchsearch.GenerateCorpus(benchsearch.CorpusConfig{Docs: docs, Seed: 1})
	queries := benchsearch.BuildQueries(corpus)
	solo := benchsearch.NewTarget([]string{"127.0.0.1:" + strconv.Itoa(ports[0])}, false, clients+4)
	defer solo.Close()
	clu := benchsearch.NewTarget(nodes, true, clients+4)
	defer clu.Close()
	soloLoad, err := solo.Load(ctx, corpus, 4)
	if err != nil {
		return fmt.Errorf("standalone load: %w", err)
	}
	cluLoad, err := clu.Load(ctx, corpus, 4)
	if err != nil {
		return fmt.Errorf("cluster load: %w", err)
	}
	fmt.Printf("corpus: %d docs (bench-search's), %d clients, %s per query and side; standalone shard vs %d-shard cluster, every shard its own process, search-workers 0\n",
		docs, clients, duration, nShards)
	fmt.Printf("loading through pipelined HSET: standalone %s (%.0f docs/s), cluster %s (%.0f docs/s)\n\n",
		soloLoad.Round(time.Millisecond), float64(docs)/soloLoad.Seconds(), cluLoad.Round(time.Millisecond), float64(docs)/cluLoad.Seconds())

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\thits\tstandalone QPS\tp50\tp99\t|\tcluster QPS\tp50\tp99\t|\tcluster/standalone p50\t")
	var errs []error
	for _, q := range queries {
		fmt.Fprintf(os.Stderr, "bench-cluster: %s\n", q.Name)
		a := solo.Measure(ctx, q, clients, duration)
		b := clu.Measure(ctx, q, clients, duration)
		for _, r := range []benchsearch.Result{a, b} {
			if r.Err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", q.Name, r.Err))
			}
		}
		if a.Err != nil || b.Err != nil {
			// A side that got an error stopped there: its figures are
			// not a throughput.
			fmt.Fprintf(tw, "%s\t%d\t%s\t\t\t|\t%s\t\t\t|\t\t\n", q.Name, a.Hits, errCell(a), errCell(b))
			continue
		}
		if a.Hits != b.Hits {
			errs = append(errs, fmt.Errorf("%s: %d hits standalone, %d in the cluster", q.Name, a.Hits, b.Hits))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t|\t%.0f\t%s\t%s\t|\t%.2f\t\n", q.Name, a.Hits, a.QPS, ms(a.P50), ms(a.P99),
			b.QPS, ms(b.P50), ms(b.P99), float64(b.P50)/float64(a.P50))
	}
	tw.Flush()

	// A shard's PING while every shard goes from 8 workers to 0 under the
	// same query load through the coordinators.
	var shardClients []*redis.Client
	for _, n := range nodes {
		c := redis.NewClient(&redis.Options{Addr: n, Protocol: 2, ReadTimeout: 10 * time.Second})
		defer c.Close()
		if err := c.ConfigSet(ctx, "search-workers", "8").Err(); err != nil {
			return err
		}
		shardClients = append(shardClients, c)
	}
	load := &loadGen{targets: nodes, queries: queries, clients: clients}
	load.start()
	prober := &workload.Prober{Addr: nodes[0], Timeout: 2 * time.Second}
	prober.Start()
	time.Sleep(window)
	before := prober.Stats()
	prober.Reset()
	start := time.Now()
	var setTimes []string
	for _, c := range shardClients {
		t0 := time.Now()
		if err := c.ConfigSet(ctx, "search-workers", "0").Err(); err != nil {
			return err
		}
		setTimes = append(setTimes, ms(time.Since(t0)))
	}
	time.Sleep(window - time.Since(start))
	during := prober.Stop()
	lc := load.stop()
	fmt.Printf("\nPING of shard 1 under %d clients querying through the coordinators (%s):\n", clients, lc)
	fmt.Printf("  search-workers 8, steady: p50 %s, p99 %s, max %s\n", ms(before.P50), ms(before.P99), ms(before.Max))
	fmt.Printf("  during 8 -> 0 on every shard (CONFIG SET %s), %s window: p50 %s, p99 %s, max %s, longest gap %s, hung %v\n",
		strings.Join(setTimes, " / "), window, ms(during.P50), ms(during.P99), ms(during.Max), ms(during.MaxGap), during.Hung)
	if err := lc.err(); err != nil {
		errs = append(errs, fmt.Errorf("query load during the workers change: %w", err))
	}
	for _, st := range []struct {
		name string
		err  error
	}{{"steady", before.Err}, {"during 8 -> 0", during.Err}} {
		if st.err != nil {
			errs = append(errs, fmt.Errorf("PING prober, %s: %w", st.name, st.err))
		}
	}
	return errors.Join(errs...)
}

// errCell is a table cell for a side that failed.
func errCell(r benchsearch.Result) string {
	if r.Err != nil {
		return "error"
	}
	return fmt.Sprintf("%.0f", r.QPS)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// loadGen fires the bench's queries through the shards' coordinators.
type loadGen struct {
	targets []string
	queries []benchsearch.Query
	clients int
	done    chan struct{}
	counts  chan loadCount
}

// loadCount is what the load's clients got: queries answered with a
// result, error replies and failures (no reply: connection or timeout),
// each with the first one seen. Only answered queries count as served.
type loadCount struct {
	answered, errorReplies, failures int
	firstErrorReply, firstFailure    error
}

func (c *loadCount) add(o loadCount) {
	c.answered += o.answered
	c.errorReplies += o.errorReplies
	c.failures += o.failures
	if c.firstErrorReply == nil {
		c.firstErrorReply = o.firstErrorReply
	}
	if c.firstFailure == nil {
		c.firstFailure = o.firstFailure
	}
}

func (c *loadCount) record(err error) {
	var rerr redis.Error
	switch {
	case err == nil:
		c.answered++
	case errors.As(err, &rerr):
		c.errorReplies++
		if c.firstErrorReply == nil {
			c.firstErrorReply = err
		}
	default:
		c.failures++
		if c.firstFailure == nil {
			c.firstFailure = err
		}
	}
}

func (c loadCount) String() string {
	s := fmt.Sprintf("%d queries answered", c.answered)
	if c.errorReplies > 0 || c.failures > 0 {
		s += fmt.Sprintf(", ERRORS: %d error replies, %d failed calls, not counted", c.errorReplies, c.failures)
	}
	return s
}

// err is nil when every query was answered.
func (c loadCount) err() error {
	var errs []error
	if c.errorReplies > 0 {
		errs = append(errs, fmt.Errorf("%d error replies (first: %w)", c.errorReplies, c.firstErrorReply))
	}
	if c.failures > 0 {
		errs = append(errs, fmt.Errorf("%d failed calls (first: %w)", c.failures, c.firstFailure))
	}
	return errors.Join(errs...)
}

func (l *loadGen) start() {
	l.done = make(chan struct{})
	l.counts = make(chan loadCount, l.clients)
	for i := 0; i < l.clients; i++ {
		go func(i int) {
			c := redis.NewClient(&redis.Options{Addr: l.targets[i%len(l.targets)], Protocol: 2, PoolSize: 1, ReadTimeout: time.Minute})
			defer c.Close()
			var n loadCount
			for j := i; ; j++ {
				select {
				case <-l.done:
					l.counts <- n
					return
				default:
				}
				q := l.queries[j%len(l.queries)]
				n.record(c.Do(context.Background(), append([]any{"FT.SEARCH", benchsearch.IndexName, q.Redis}, q.RedisArgs...)...).Err())
			}
		}(i)
	}
}

func (l *loadGen) stop() loadCount {
	close(l.done)
	var total loadCount
	for i := 0; i < l.clients; i++ {
		total.add(<-l.counts)
	}
	return total
}
