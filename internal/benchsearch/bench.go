// Package benchsearch is `make bench-search`: it generates a corpus, loads
// it into our server (in-process or at an address) and into bleve v2
// in-process, runs the same queries on both with concurrent clients, and
// reports throughput, latency and memory side by side.
package benchsearch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"time"
)

// Config is one benchmark run.
type Config struct {
	Corpus      CorpusConfig
	Duration    time.Duration // per query and engine (3 s)
	Clients     int           // concurrent clients per query (8)
	LoadConns   int           // connections loading the corpus (4)
	Addr        string        // a server to benchmark; empty starts ours in-process
	BleveEngine string        // BleveScorch (default) or BleveMemOnly
	// Workers is set as search-workers before the queries run (0, the
	// in-process default: queries run on the main thread); < 0 leaves the
	// server's setting alone.
	Workers   int
	SkipBleve bool
}

func (c Config) withDefaults() Config {
	c.Corpus = c.Corpus.withDefaults()
	if c.Duration <= 0 {
		c.Duration = 3 * time.Second
	}
	if c.Clients <= 0 {
		c.Clients = 8
	}
	if c.LoadConns <= 0 {
		c.LoadConns = 4
	}
	if c.BleveEngine == "" {
		c.BleveEngine = BleveScorch
	}
	return c
}

// LoadReport is how one engine took the corpus in.
type LoadReport struct {
	Elapsed    time.Duration
	DocsPerSec float64
	// IndexMB is FT.INFO total_index_memory_sz_mb (ours only; -1 when the
	// server does not report it).
	IndexMB float64
	// HeapBytes is the Go heap growth over the load, after a GC: the index
	// and the stored documents (the keyspace on our side). -1 when not
	// measurable (an external server).
	HeapBytes int64
}

// Row is one query's figures on both engines.
type Row struct {
	Query Query
	Ours  Result
	Bleve Result
}

// Report is a whole run.
type Report struct {
	Config  Config
	Target  string // what "ours" was: in-process or the address
	Workers string // ours' search-workers during the queries ("" if unknown)
	Ours    LoadReport
	Bleve   LoadReport
	Rows    []Row
}

// Run runs the benchmark; progress lines go to progress.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Report, error) {
	cfg = cfg.withDefaults()
	logf := func(format string, args ...any) { fmt.Fprintf(progress, format+"\n", args...) }
	rep := &Report{Config: cfg, Target: cfg.Addr}

	logf("generating %d documents (seed %d)", cfg.Corpus.Docs, cfg.Corpus.Seed)
	corpus := GenerateCorpus(cfg.Corpus)
	queries := BuildQueries(corpus)
	rep.Rows = make([]Row, len(queries))
	for i, q := range queries {
		rep.Rows[i].Query = q
	}

	if err := runOurs(ctx, cfg, corpus, rep, logf); err != nil {
		return nil, err
	}
	if !cfg.SkipBleve {
		if err := runBleve(ctx, cfg, corpus, rep, logf); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func runOurs(ctx context.Context, cfg Config, corpus *Corpus, rep *Report, logf func(string, ...any)) error {
	addr := cfg.Addr
	inProcess := addr == ""
	heapBefore := heapInUse()
	if inProcess {
		srv, err := StartInProcess()
		if err != nil {
			return fmt.Errorf("start in-process server: %w", err)
		}
		defer srv.Close()
		addr = srv.Addr()
		rep.Target = "in-process " + addr
	}
	side := newRedisSide(addr, max(cfg.Clients, cfg.LoadConns))
	defer side.close()
	if err := side.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ours at %s: %w", addr, err)
	}
	if err := side.createIndex(ctx); err != nil {
		return err
	}
	logf("ours: loading through %d connections, pipelines of %d HSET", cfg.LoadConns, loadPipeline)
	elapsed, err := side.load(ctx, corpus, cfg.LoadConns)
	if err != nil {
		return err
	}
	rep.Ours = LoadReport{Elapsed: elapsed, DocsPerSec: docsPerSec(len(corpus.Docs), elapsed), IndexMB: -1, HeapBytes: -1}
	if info, err := side.info(ctx); err == nil {
		rep.Ours.IndexMB = info.float("total_index_memory_sz_mb")
	}
	if inProcess {
		rep.Ours.HeapBytes = heapInUse() - heapBefore
	}
	logf("ours: %d docs in %s (%.0f docs/s)", len(corpus.Docs), elapsed.Round(time.Millisecond), rep.Ours.DocsPerSec)
	if cfg.Workers >= 0 {
		if err := side.rdb.ConfigSet(ctx, "search-workers", strconv.Itoa(cfg.Workers)).Err(); err != nil {
			return fmt.Errorf("CONFIG SET search-workers %d: %w", cfg.Workers, err)
		}
	}
	if workers, err := side.rdb.ConfigGet(ctx, "search-workers").Result(); err == nil {
		rep.Workers = workers["search-workers"]
	}

	for i := range rep.Rows {
		q := rep.Rows[i].Query
		res := measure(ctx, cfg, func() (int64, error) { return side.search(ctx, q) })
		rep.Rows[i].Ours = res
		logf("ours:  %-15s %s", q.Name, res.summary())
	}
	return nil
}

func runBleve(ctx context.Context, cfg Config, corpus *Corpus, rep *Report, logf func(string, ...any)) error {
	heapBefore := heapInUse()
	idx, err := newBleveIndex(cfg.BleveEngine)
	if err != nil {
		return err
	}
	defer idx.Close()
	logf("bleve (%s): indexing in batches of %d", cfg.BleveEngine, bleveBatch)
	elapsed, err := bleveLoad(idx, corpus)
	if err != nil {
		return err
	}
	rep.Bleve = LoadReport{Elapsed: elapsed, DocsPerSec: docsPerSec(len(corpus.Docs), elapsed), IndexMB: -1, HeapBytes: heapInUse() - heapBefore}
	logf("bleve: %d docs in %s (%.0f docs/s)", len(corpus.Docs), elapsed.Round(time.Millisecond), rep.Bleve.DocsPerSec)

	for i := range rep.Rows {
		q := rep.Rows[i].Query
		res := measure(ctx, cfg, func() (int64, error) { return bleveSearch(idx, q) })
		rep.Rows[i].Bleve = res
		logf("bleve: %-15s %s", q.Name, res.summary())
	}
	return nil
}

// measure runs search once (to learn the hit count and fail fast), then
// from cfg.Clients goroutines for cfg.Duration.
func measure(ctx context.Context, cfg Config, search func() (int64, error)) Result {
	hits, err := search()
	if err != nil {
		return Result{Err: err}
	}
	res := RunFor(ctx, cfg.Clients, cfg.Duration, func(int) error {
		_, err := search()
		return err
	})
	res.Hits = hits
	return res
}

func (r Result) summary() string {
	if r.Err != nil {
		return "error: " + r.Err.Error()
	}
	return fmt.Sprintf("hits %d, %.0f q/s, p50 %s, p99 %s", r.Hits, r.QPS, fmtDur(r.P50), fmtDur(r.P99))
}

// Errs is every query error of the report, joined; nil when none.
func (r *Report) Errs() error {
	var errs []error
	for _, row := range r.Rows {
		if row.Ours.Err != nil {
			errs = append(errs, fmt.Errorf("ours %s: %w", row.Query.Name, row.Ours.Err))
		}
		if row.Bleve.Err != nil {
			errs = append(errs, fmt.Errorf("bleve %s: %w", row.Query.Name, row.Bleve.Err))
		}
	}
	return errors.Join(errs...)
}

func docsPerSec(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// heapInUse is the live Go heap after full collections: two, because
// sync.Pool's victim cache and objects with finalizers survive the first.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
