package benchsearch

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Print writes the report: the load figures, then one line per query.
func (r *Report) Print(w io.Writer) {
	cfg := r.Config
	n := cfg.Corpus.Docs
	fmt.Fprintf(w, "corpus: %d docs, %d-word Zipf(s=%.2f) vocabulary, seed %d; %d clients, %s per query\n",
		n, cfg.Corpus.Vocabulary, cfg.Corpus.ZipfS, cfg.Corpus.Seed, cfg.Clients, cfg.Duration)
	fmt.Fprintf(w, "ours: %s, search-workers %s; bleve: %s, in-process\n\n", r.Target, orUnknown(r.Workers), r.bleveTarget())

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "indexing\tdocs/s\ttime\tindex B/doc (FT.INFO)\theap B/doc\t")
	printLoad(tw, "ours", r.Ours, n)
	if !cfg.SkipBleve {
		printLoad(tw, "bleve", r.Bleve, n)
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\thits\tours QPS\tp50\tp99\t|\thits\tbleve QPS\tp50\tp99\t|\tours/bleve p50\t")
	for _, row := range r.Rows {
		cells := []string{row.Query.Name}
		cells = append(cells, resultCells(row.Ours)...)
		cells = append(cells, "|")
		if cfg.SkipBleve {
			cells = append(cells, "", "", "", "", "|", "")
		} else {
			cells = append(cells, resultCells(row.Bleve)...)
			cells = append(cells, "|", ratio(row.Ours, row.Bleve))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "ours is measured through go-redis over loopback TCP (RESP2), bleve by direct calls;")
	fmt.Fprintln(w, "both return the first 10 results with all fields. ratio < 1: ours is faster.")
	fmt.Fprintln(w, "heap B/doc: Go heap growth over the load after a GC, index plus stored documents")
	fmt.Fprintln(w, "(ours: the keyspace too); for ours only when in-process.")
	for _, row := range r.Rows {
		if row.Ours.Err != nil {
			fmt.Fprintf(w, "ours %s: %v\n", row.Query.Name, row.Ours.Err)
		}
		if row.Bleve.Err != nil {
			fmt.Fprintf(w, "bleve %s: %v\n", row.Query.Name, row.Bleve.Err)
		}
	}
	fmt.Fprintln(w, "queries:")
	for _, row := range r.Rows {
		q := row.Query
		fmt.Fprintf(w, "  %-15s FT.SEARCH %s %q%s\n", q.Name, IndexName, q.Redis, fmtArgs(q.RedisArgs))
	}
}

func (r *Report) bleveTarget() string {
	if r.Config.SkipBleve {
		return "skipped"
	}
	return r.Config.BleveEngine
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func printLoad(w io.Writer, name string, l LoadReport, n int) {
	fmt.Fprintf(w, "%s\t%.0f\t%s\t%s\t%s\t\n", name, l.DocsPerSec, l.Elapsed.Round(time.Millisecond),
		perDoc(l.IndexMB*1024*1024, l.IndexMB >= 0, n), perDoc(float64(l.HeapBytes), l.HeapBytes >= 0, n))
}

func perDoc(bytes float64, known bool, n int) string {
	if !known || n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", bytes/float64(n))
}

func resultCells(r Result) []string {
	if r.Err != nil {
		return []string{"error", "-", "-", "-"}
	}
	return []string{fmt.Sprint(r.Hits), fmt.Sprintf("%.0f", r.QPS), fmtDur(r.P50), fmtDur(r.P99)}
}

func ratio(ours, bleve Result) string {
	if ours.Err != nil || bleve.Err != nil || bleve.P50 <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(ours.P50)/float64(bleve.P50))
}

// fmtDur prints a latency in µs below a millisecond, else in ms.
func fmtDur(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%dµs", d.Microseconds())
	}
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

func fmtArgs(args []any) string {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, " %v", a)
	}
	return b.String()
}
