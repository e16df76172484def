// Command bench-aggregate measures FT.AGGREGATE pipelines on bench-search's
// corpus in our server (in-process, or one at -addr): p50/p99, rows/s and
// concurrent QPS, per search-workers setting. `make bench-aggregate` runs
// it with the figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/benchaggregate"
	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

func main() {
	var cfg benchaggregate.Config
	flag.IntVar(&cfg.Corpus.Docs, "docs", 100_000, "documents in the corpus")
	flag.Uint64Var(&cfg.Corpus.Seed, "seed", 1, "corpus seed")
	flag.IntVar(&cfg.Warmup, "warmup", 5, "unmeasured calls before each query's measured ones")
	flag.IntVar(&cfg.Iterations, "iterations", 100, "measured calls of the single client, per query")
	flag.IntVar(&cfg.Clients, "clients", 4, "concurrent clients for the QPS figure")
	flag.DurationVar(&cfg.Duration, "duration", 2*time.Second, "how long the concurrent clients run, per query")
	flag.IntVar(&cfg.LoadConns, "load-conns", 4, "connections loading the corpus")
	flag.StringVar(&cfg.Addr, "addr", "", "host:port of a server to benchmark instead of ours in-process "+
		"(its index \""+benchsearch.IndexName+"\" is dropped with its documents)")
	workers := flag.String("workers", "0,4", "comma-separated search-workers settings, each a pass over the queries")
	flag.Parse()
	for _, s := range strings.Split(*workers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "bench-aggregate: -workers: %q is not a worker count\n", s)
			os.Exit(2)
		}
		cfg.Workers = append(cfg.Workers, n)
	}

	benchsearch.Main("bench-aggregate", func(ctx context.Context, progress io.Writer) (benchsearch.Reporter, error) {
		return benchaggregate.Run(ctx, cfg, progress)
	})
}
