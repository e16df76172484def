// Command bench-vectors measures vector search on a shard process, per
// algorithm (FLAT, HNSW M 16 EF_CONSTRUCTION 200) and per search-workers
// setting, each on a fresh shard: the load rate of pipelined HSETs of
// clustered 128-d FLOAT32 vectors (COSINE) until the index and the worker
// pool are idle, memory per document, closed-loop QPS and p50/p99 of KNN,
// hybrid and range queries, and recall@10 against the exact top 10
// computed here in float64. It prints a markdown table per algorithm with
// the figures of the real module (RediSearch 2.10.25, measured on another
// corpus) beside ours. `make bench-vectors` builds the binary and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	cfg := config{dim: 128}
	bin := flag.String("bin", "bin/miniredis-search", "the shard binary")
	algos := flag.String("algo", "FLAT,HNSW", "comma-separated algorithms, each on fresh shards")
	workers := flag.String("workers", "0,4", "comma-separated search-workers settings, each on a fresh shard")
	flag.IntVar(&cfg.docs, "docs", 50_000, "vectors in the corpus")
	flag.IntVar(&cfg.clients, "clients", 8, "concurrent query clients")
	flag.DurationVar(&cfg.duration, "duration", 4*time.Second, "how long each query kind runs")
	flag.IntVar(&cfg.recallN, "queries", 200, "query vectors (recall@10 is over all of them)")
	flag.IntVar(&cfg.clusters, "clusters", 100, "Gaussian cluster centres of the corpus")
	flag.Float64Var(&cfg.spread, "spread", 0.5, "standard deviation of a point around its centre, per coordinate")
	flag.Uint64Var(&cfg.seed, "seed", 1, "corpus seed")
	flag.Parse()
	var err error
	if cfg.algos, cfg.workers, err = parseLists(*algos, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bench-vectors:", err)
		os.Exit(2)
	}
	if cfg.docs < 1 || cfg.clients < 1 || cfg.recallN < 1 || cfg.clusters < 1 {
		fmt.Fprintln(os.Stderr, "bench-vectors: -docs, -clients, -queries and -clusters must be positive")
		os.Exit(2)
	}
	rep, err := run(context.Background(), cfg, processShard(*bin), os.Stderr)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-vectors:", err)
		os.Exit(1)
	}
}

func parseLists(algos, workers string) ([]string, []int, error) {
	var as []string
	for _, a := range strings.Split(algos, ",") {
		a = strings.ToUpper(strings.TrimSpace(a))
		if a != "FLAT" && a != "HNSW" {
			return nil, nil, fmt.Errorf("-algo: %q is neither FLAT nor HNSW", a)
		}
		as = append(as, a)
	}
	var ws []int
	for _, s := range strings.Split(workers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return nil, nil, fmt.Errorf("-workers: %q is not a worker count", s)
		}
		ws = append(ws, n)
	}
	return as, ws, nil
}

// processShard starts the binary on a free port.
func processShard(bin string) startShard {
	return func(workers int) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--loglevel", "warning",
			"--search-workers", strconv.Itoa(workers))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			return "", nil, err
		}
		stop := func() {
			cmd.Process.Kill()
			cmd.Wait()
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
		defer c.Close()
		for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				stop()
				return "", nil, errors.New("the shard did not start")
			}
		}
		return addr, stop, nil
	}
}

// moduleFigures are the real module's (RediSearch 2.10.25 on Redis 7.4.1,
// search-workers 0, a quiet machine of this kind), from issue 13, measured
// with ../shared/tools/searchbench -vectors on its own corpus.
type moduleFigures struct {
	load, bytesPerDoc float64
	qps               map[string]float64
	recall            map[int]float64 // by EF_RUNTIME (0: the default, 10)
}

var moduleRef = map[string]moduleFigures{
	"FLAT": {load: 77_700, bytesPerDoc: 1_554,
		qps:    map[string]float64{"knn10": 952, "knn100": 764, "hybrid_tag": 2_780, "hybrid_range": 1_473, "range": 914},
		recall: map[int]float64{0: 1}},
	"HNSW": {load: 8_300, bytesPerDoc: 1_895,
		qps:    map[string]float64{"knn10": 18_978, "knn100": 4_098, "hybrid_tag": 2_115, "hybrid_range": 1_493, "range": 4_561},
		recall: map[int]float64{0: 0.79, 100: 0.999}},
}

func (r *report) print(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "## bench-vectors: %d × %d-d FLOAT32, COSINE, %d clusters (spread %g, seed %d); %d clients, %s per query; %d query vectors\n\n",
		c.docs, c.dim, c.clusters, c.spread, c.seed, c.clients, c.duration, c.recallN)
	fmt.Fprintf(w, "Queries: FT.SEARCH … PARAMS … SORTBY dist LIMIT 0 K RETURN 1 dist DIALECT 2; hybrid_tag `(@cat:{c3})` (10%% of the docs), "+
		"hybrid_range `(@price:[100 300])` (20%%), range `@v:[VECTOR_RANGE %.4g $B]` (LIMIT 0 100; the radius within which the query vectors have %d documents on average).\n",
		r.radius, rangeMean)
	fmt.Fprintln(w, "The module's figures (RediSearch 2.10.25, search-workers 0) were measured with ../shared/tools/searchbench -vectors "+
		"on its own corpus: the corpora differ, so recall and hit counts compare only roughly.")
	fmt.Fprintln(w)
	for _, algo := range c.algos {
		var ps []pass
		for _, p := range r.passes {
			if p.algo == algo {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			continue
		}
		m := moduleRef[algo]
		title := algo
		if algo == "HNSW" {
			title += " (M 16, EF_CONSTRUCTION 200)"
		}
		fmt.Fprintf(w, "### %s\n\n", title)
		head := "| | module 2.10.25 |"
		rule := "|---|---:|"
		for _, p := range ps {
			head += fmt.Sprintf(" ours, search-workers %d |", p.workers)
			rule += "---:|"
		}
		head += fmt.Sprintf(" ours (workers %d) / module |", ps[0].workers)
		rule += "---:|"
		fmt.Fprintln(w, head)
		fmt.Fprintln(w, rule)
		row := func(name string, mod float64, modCell string, cell func(p pass) (float64, string)) {
			line := "| " + name + " | " + modCell + " |"
			for _, p := range ps {
				_, s := cell(p)
				line += " " + s + " |"
			}
			v, _ := cell(ps[0])
			ratio := "-"
			if mod > 0 && !math.IsNaN(v) {
				ratio = fmt.Sprintf("%.2f", v/mod)
			}
			fmt.Fprintln(w, line+" "+ratio+" |")
		}
		row("load (vectors/s)", m.load, thousands(m.load), func(p pass) (float64, string) {
			return p.loadRate, fmt.Sprintf("%s (%s)", thousands(p.loadRate), p.load.Round(time.Millisecond))
		})
		row("memory (bytes/doc, used_memory growth)", m.bytesPerDoc, thousands(m.bytesPerDoc), func(p pass) (float64, string) {
			return p.bytesPerDoc, thousands(p.bytesPerDoc)
		})
		row("memory after GC (bytes/doc, least used_memory during the queries)", 0, "-", func(p pass) (float64, string) {
			if math.IsNaN(p.liveBytes) {
				return math.NaN(), "-"
			}
			return p.liveBytes, thousands(p.liveBytes)
		})
		row("FT.INFO vector_index_sz_mb", 0, "-", func(p pass) (float64, string) {
			return p.vecMB, fmt.Sprintf("%.2f", p.vecMB)
		})
		for i, kind := range queryKinds {
			row("QPS "+kind, m.qps[kind], thousands(m.qps[kind]), func(p pass) (float64, string) {
				q := p.queries[i]
				if q.errs > 0 {
					return math.NaN(), fmt.Sprintf("ERRORS (%d)", q.errs)
				}
				return q.qps, fmt.Sprintf("%s (p50 %s, p99 %s; %.1f hits)", thousands(q.qps), ms(q.p50), ms(q.p99), q.meanHits)
			})
		}
		for i, ef := range []int{0, 100} {
			if i >= len(ps[0].recall) {
				break
			}
			name := "recall@10, EF_RUNTIME 10 (default)"
			if algo == "FLAT" {
				name = "recall@10"
			}
			if ef > 0 {
				name = fmt.Sprintf("recall@10, EF_RUNTIME %d", ef)
			}
			row(name, m.recall[ef], fmt.Sprintf("%.3f", m.recall[ef]), func(p pass) (float64, string) {
				r := p.recall[i]
				if r.errs > 0 {
					return math.NaN(), fmt.Sprintf("ERRORS (%d)", r.errs)
				}
				return r.mean, fmt.Sprintf("%.4f (min %.2f)", r.mean, r.min)
			})
		}
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// thousands formats a non-negative figure rounded to an integer with a
// space every three digits (77 700).
func thousands(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	s := strconv.FormatInt(int64(math.Round(f)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
