// Command bench-search benchmarks full-text search: ours (in-process, or a
// server at -addr) against bleve v2 in-process, on the same generated
// corpus and queries. `make bench-search` runs it with the figures.
package main

import (
	"context"
	"flag"
	"io"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

func main() {
	var cfg benchsearch.Config
	flag.IntVar(&cfg.Corpus.Docs, "docs", 100_000, "documents in the corpus")
	flag.Uint64Var(&cfg.Corpus.Seed, "seed", 1, "corpus seed")
	flag.DurationVar(&cfg.Duration, "duration", 3*time.Second, "how long each query runs on each engine")
	flag.IntVar(&cfg.Clients, "clients", 8, "concurrent clients per query")
	flag.IntVar(&cfg.LoadConns, "load-conns", 4, "connections loading the corpus")
	flag.StringVar(&cfg.Addr, "addr", "", "host:port of a server to benchmark instead of ours in-process "+
		"(its index \""+benchsearch.IndexName+"\" is dropped with its documents)")
	flag.StringVar(&cfg.BleveEngine, "bleve-engine", benchsearch.BleveScorch,
		"bleve engine: "+benchsearch.BleveScorch+" (default engine, in memory) or "+benchsearch.BleveMemOnly+" (bleve.NewMemOnly, upside_down)")
	flag.IntVar(&cfg.Workers, "workers", -1, "CONFIG SET search-workers to this before the queries (-1: leave the server's setting)")
	flag.BoolVar(&cfg.SkipBleve, "skip-bleve", false, "measure ours only")
	flag.Parse()
	benchsearch.Main("bench-search", func(ctx context.Context, progress io.Writer) (benchsearch.Reporter, error) {
		return benchsearch.Run(ctx, cfg, progress)
	})
}
