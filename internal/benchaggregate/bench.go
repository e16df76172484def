// Package benchaggregate is `make bench-aggregate`: FT.AGGREGATE pipelines
// (GROUPBY with reducers and SORTBY, APPLY/FILTER) on bench-search's
// corpus, loaded into our server (in-process, or one at an address). Each
// query runs a single client's calls for p50/p99 and rows/s, then a few
// concurrent clients for QPS, once per search-workers setting; its first
// reply is checked against values computed from the corpus in Go
// (matchedDocs), not through the server.
package benchaggregate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
	"github.com/redis/go-redis/v9"
)

// Config is one benchmark run.
type Config struct {
	Corpus     benchsearch.CorpusConfig
	Warmup     int           // unmeasured calls before each measurement (5)
	Iterations int           // measured calls of the single client (100)
	Clients    int           // concurrent clients for QPS (4)
	Duration   time.Duration // how long the concurrent clients run (2 s)
	LoadConns  int           // connections loading the corpus (4)
	Addr       string        // a server to benchmark; empty starts ours in-process
	// Workers are the search-workers settings, each a pass over the
	// queries (0: on the main thread; > 0: the worker pool).
	Workers []int
}

func (c Config) withDefaults() Config {
	if c.Warmup < 0 {
		c.Warmup = 0
	}
	if c.Iterations <= 0 {
		c.Iterations = 100
	}
	if c.Clients <= 0 {
		c.Clients = 4
	}
	if c.Duration <= 0 {
		c.Duration = 2 * time.Second
	}
	if c.LoadConns <= 0 {
		c.LoadConns = 4
	}
	if len(c.Workers) == 0 {
		c.Workers = []int{0, 4}
	}
	return c
}

// Row is one query's figures under one search-workers setting.
type Row struct {
	Query    Query
	Workers  int
	Matched  int // documents the query matches, counted in the corpus
	Returned int // rows of the reply
	Single   benchsearch.Result
	Parallel benchsearch.Result // Config.Clients clients
	Err      error              // the query failed or its reply was wrong
}

// MatchedPerSec is the documents the pipeline took in per second of a
// single client's calls (matched / mean latency).
func (r Row) MatchedPerSec() float64 { return float64(r.Matched) * r.Single.QPS }

// ReturnedPerSec is the reply rows per second of a single client's calls.
func (r Row) ReturnedPerSec() float64 { return float64(r.Returned) * r.Single.QPS }

// Report is a whole run.
type Report struct {
	Config Config
	Target string
	Load   time.Duration
	Rows   []Row
	// LoadAvg is the machine's 1-minute load average before and after the
	// queries ("" where /proc/loadavg is not there): other processes'
	// CPU use shows in the figures.
	LoadAvg [2]string
}

// Errs is every query's error, joined; nil when none.
func (r *Report) Errs() error {
	var errs []error
	for _, row := range r.Rows {
		if row.Err != nil {
			errs = append(errs, fmt.Errorf("%s (search-workers %d): %w", row.Query.Name, row.Workers, row.Err))
		}
	}
	return errors.Join(errs...)
}

// Run runs the benchmark; progress lines go to progress.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Report, error) {
	cfg = cfg.withDefaults()
	logf := func(format string, args ...any) { fmt.Fprintf(progress, format+"\n", args...) }
	rep := &Report{Config: cfg, Target: cfg.Addr}

	corpus := benchsearch.GenerateCorpus(cfg.Corpus)
	rep.Config.Corpus = corpus.Config
	logf("generated %d documents (seed %d)", len(corpus.Docs), corpus.Config.Seed)
	queries, err := BuildQueries(corpus)
	if err != nil {
		return nil, err
	}
	matched := make([][]benchsearch.Doc, len(queries))
	for i, q := range queries {
		if matched[i], err = matchedDocs(corpus, q.Query); err != nil {
			return nil, err
		}
	}
	addr := cfg.Addr
	if addr == "" {
		srv, err := benchsearch.StartInProcess()
		if err != nil {
			return nil, fmt.Errorf("start in-process server: %w", err)
		}
		defer srv.Close()
		addr = srv.Addr()
		rep.Target = "in-process " + addr
	}
	target := benchsearch.NewTarget([]string{addr}, false, max(cfg.Clients, cfg.LoadConns))
	defer target.Close()
	if rep.Load, err = target.Load(ctx, corpus, cfg.LoadConns); err != nil {
		return nil, err
	}
	logf("loaded in %s", rep.Load.Round(time.Millisecond))
	rdb := target.Client()

	rep.LoadAvg[0] = loadAvg()
	defer func() { rep.LoadAvg[1] = loadAvg() }()
	for _, w := range cfg.Workers {
		if err := rdb.ConfigSet(ctx, "search-workers", strconv.Itoa(w)).Err(); err != nil {
			return nil, fmt.Errorf("CONFIG SET search-workers %d: %w", w, err)
		}
		for i, q := range queries {
			row := measure(ctx, cfg, rdb, q, matched[i])
			row.Workers = w
			rep.Rows = append(rep.Rows, row)
			logf("search-workers %d, %-13s %s", w, q.Name, row.summary())
		}
	}
	return rep, nil
}

// measure checks q's reply, then runs the single client (after its
// warm-up) and the concurrent ones.
func measure(ctx context.Context, cfg Config, rdb redis.UniversalClient, q Query, matched []benchsearch.Doc) Row {
	row := Row{Query: q, Matched: len(matched)}
	rows, err := aggregate(ctx, rdb, q)
	if err == nil {
		err = q.check(matched, rows)
	}
	if err != nil {
		row.Err = err
		return row
	}
	row.Returned = len(rows)
	call := func(int) error { return rdb.Do(ctx, q.Command()...).Err() }
	if cfg.Warmup > 0 {
		benchsearch.RunCalls(ctx, 1, cfg.Warmup, call)
	}
	row.Single = benchsearch.RunCalls(ctx, 1, cfg.Iterations, call)
	row.Parallel = benchsearch.RunFor(ctx, cfg.Clients, cfg.Duration, call)
	row.Err = errors.Join(row.Single.Err, row.Parallel.Err)
	return row
}

func (r Row) summary() string {
	if r.Err != nil {
		return "error: " + r.Err.Error()
	}
	return fmt.Sprintf("matched %d, returned %d, p50 %s, p99 %s, %.0f rows/s; concurrent %.1f q/s",
		r.Matched, r.Returned, ms(r.Single.P50), ms(r.Single.P99), r.MatchedPerSec(), r.Parallel.QPS)
}

// aggregate runs q once and returns its reply's rows (RESP2).
func aggregate(ctx context.Context, rdb redis.UniversalClient, q Query) ([]row, error) {
	reply, err := rdb.Do(ctx, q.Command()...).Slice()
	if err != nil {
		return nil, err
	}
	if len(reply) == 0 {
		return nil, errors.New("empty reply")
	}
	rows := make([]row, 0, len(reply)-1)
	for i, e := range reply[1:] {
		pairs, ok := e.([]any)
		if !ok || len(pairs)%2 != 0 {
			return nil, fmt.Errorf("reply row %d: %v", i, e)
		}
		r := row{}
		for j := 0; j < len(pairs); j += 2 {
			name, _ := pairs[j].(string)
			value, _ := pairs[j+1].(string)
			r[name] = value
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// loadAvg is the 1-minute load average of /proc/loadavg, "" without it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return ""
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
