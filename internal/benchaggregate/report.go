package benchaggregate

import (
	"fmt"
	"io"
	"runtime"
	"strings"
)

// Print writes the report as markdown: the setting, the table, the queries.
func (r *Report) Print(w io.Writer) {
	cfg := r.Config
	fmt.Fprintf(w, "corpus: bench-search's, %d docs (%d tags, prices 0-%d), seed %d, loaded in %.1f s; ours: %s; GOMAXPROCS %d\n",
		cfg.Corpus.Docs, cfg.Corpus.Tags, cfg.Corpus.MaxPrice, cfg.Corpus.Seed, r.Load.Seconds(), r.Target, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "single client: %d warm-up calls, then %d measured; concurrent: %d clients for %s\n",
		cfg.Warmup, cfg.Iterations, cfg.Clients, cfg.Duration)
	if r.LoadAvg[0] != "" {
		fmt.Fprintf(w, "machine load average (1 min): %s before the queries, %s after, on %d CPUs\n", r.LoadAvg[0], r.LoadAvg[1], runtime.NumCPU())
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "| query | search-workers | matched | returned | p50 ms | p99 ms | matched rows/s | returned rows/s | QPS (%d clients) | p50 ms (%d clients) | p99 ms (%d clients) |\n",
		cfg.Clients, cfg.Clients, cfg.Clients)
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, row := range r.Rows {
		if row.Err != nil {
			fmt.Fprintf(w, "| %s | %d | %d | error | | | | | | | |\n", row.Query.Name, row.Workers, row.Matched)
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s | %s | %.0f | %.0f | %.1f | %s | %s |\n",
			row.Query.Name, row.Workers, row.Matched, row.Returned,
			msNum(row.Single.P50.Seconds()), msNum(row.Single.P99.Seconds()),
			row.MatchedPerSec(), row.ReturnedPerSec(), row.Parallel.QPS,
			msNum(row.Parallel.P50.Seconds()), msNum(row.Parallel.P99.Seconds()))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "matched: the documents the query matches (counted in the generated corpus), which the pipeline reads; returned: the")
	fmt.Fprintln(w, "reply's rows. rows/s: those counts times the single client's calls per second (over the mean latency).")
	fmt.Fprintln(w, "Measured through go-redis over loopback TCP (RESP2); the clients share the machine (and, in-process,")
	fmt.Fprintln(w, "the Go runtime) with the server. Every query's first reply was checked against the values")
	fmt.Fprintln(w, "computed from the generated corpus in Go, independently of the server.")
	for _, row := range r.Rows {
		if row.Err != nil {
			fmt.Fprintf(w, "\n%s, search-workers %d: %v", row.Query.Name, row.Workers, row.Err)
		}
	}
	fmt.Fprintln(w, "\nqueries:")
	seen := map[string]bool{}
	for _, row := range r.Rows {
		if !seen[row.Query.Name] {
			seen[row.Query.Name] = true
			fmt.Fprintf(w, "- %s: `%s`\n", row.Query.Name, strings.ReplaceAll(row.Query.String(), "`", "'"))
		}
	}
}

func msNum(seconds float64) string { return fmt.Sprintf("%.2f", seconds*1000) }
