package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Kinds of figure, each with its own tolerance (see tolerances).
const (
	kindRate   = "rate"   // docs/s, QPS: higher is better
	kindP99    = "p99"    // µs: lower is better
	kindMemory = "memory" // bytes/doc: lower is better
	kindCPU    = "cpu"    // server CPU µs per op: lower is better
	kindRecall = "recall" // recall@10: higher is better
)

// tolerances is how much worse than the baseline a figure may be before it
// is flagged, as a fraction of the baseline. A flag should mean a lost
// speed, not noise, so each sits above the noise seen on a quiet 2-core
// machine (±10–15% for a rate between runs):
//   - rates 15%: the top of that noise; a 20% loss shows;
//   - p99 30%: at 1 s per query kind the 99th percentile is the 20–50
//     slowest replies, one scheduler hiccup moves it, about twice a rate's
//     noise;
//   - bytes/doc 10%: INFO used_memory counts the garbage the collector has
//     not yet reclaimed, so it moves with when it last ran, not with the
//     code: five runs of one build gave 2 204–2 554 (±7%);
//   - server CPU µs/op 20%: INFO's CPU counters over a 1 s window, noisier
//     than the rate they divide, but unlike it not inflated by other
//     processes taking the cores;
//   - recall 2%: 50 queries, each 0.1 steps; the graph is built by
//     concurrent loaders, so it moves a little between runs.
var tolerances = map[string]float64{
	kindRate:   0.15,
	kindP99:    0.30,
	kindMemory: 0.10,
	kindCPU:    0.20,
	kindRecall: 0.02,
}

func higherIsBetter(kind string) bool { return kind == kindRate || kind == kindRecall }

// figure is one number of a searchbench run.
type figure struct {
	Name  string  `json:"name"`
	Unit  string  `json:"unit"`
	Kind  string  `json:"kind"`
	Value float64 `json:"value"`
}

// sbLoad, sbQuery, sbRecall and sbReport are the fields of searchbench's
// -json report (text and -vectors modes share load and queries) that the
// comparison reads.
type sbLoad struct {
	Docs        int     `json:"docs"`
	DocsPerSec  float64 `json:"docs_per_sec"`
	BytesPerDoc float64 `json:"bytes_per_doc"`
}

type sbQuery struct {
	Name         string  `json:"name"`
	Ops          int64   `json:"ops"`
	Seconds      float64 `json:"seconds"`
	QPS          float64 `json:"qps"`
	P99Us        float64 `json:"p99_us"`
	Errors       int64   `json:"errors"`
	FirstError   string  `json:"first_error"`
	ServerCPUPct float64 `json:"server_cpu_pct"`
}

type sbRecall struct {
	Query      string  `json:"query"`
	EFRuntime  int     `json:"ef_runtime"`
	RecallAt10 float64 `json:"recall_at_10"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error"`
}

type sbReport struct {
	Mode      string     `json:"mode"`
	Algorithm string     `json:"algorithm"`
	Docs      int        `json:"docs"`
	Load      *sbLoad    `json:"load"`
	Queries   []sbQuery  `json:"queries"`
	Recall    []sbRecall `json:"recall"`
}

// parseReport turns a searchbench -json report into figures, in the
// report's order. A query or recall measurement with error replies is an
// error: its rate would count failures as work.
func parseReport(b []byte) ([]figure, error) {
	var r sbReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("searchbench report: %w", err)
	}
	prefix := "text"
	if r.Mode == "vectors" {
		prefix = "vec " + r.Algorithm
	}
	if r.Load == nil {
		return nil, errors.New("searchbench report has no load figures (run without -skipload)")
	}
	if len(r.Queries) == 0 {
		return nil, errors.New("searchbench report has no queries")
	}
	figs := []figure{
		{prefix + " load", "docs/s", kindRate, r.Load.DocsPerSec},
		{prefix + " memory", "bytes/doc", kindMemory, r.Load.BytesPerDoc},
	}
	var errs []error
	for _, q := range r.Queries {
		if q.Errors > 0 {
			errs = append(errs, fmt.Errorf("%s %s: %d error replies, first: %s", prefix, q.Name, q.Errors, q.FirstError))
			continue
		}
		name := prefix + " " + q.Name
		figs = append(figs, figure{name + " QPS", "1/s", kindRate, q.QPS}, figure{name + " p99", "µs", kindP99, q.P99Us})
		if q.ServerCPUPct >= 0 && q.Ops > 0 { // -1: the server reports no CPU counters
			figs = append(figs, figure{name + " srv CPU", "µs/op", kindCPU, q.ServerCPUPct / 100 * q.Seconds * 1e6 / float64(q.Ops)})
		}
	}
	for _, rc := range r.Recall {
		ef := "default"
		if rc.EFRuntime > 0 {
			ef = strconv.Itoa(rc.EFRuntime)
		}
		name := fmt.Sprintf("%s recall@10 %s ef=%s", prefix, rc.Query, ef)
		if rc.Errors > 0 {
			errs = append(errs, fmt.Errorf("%s: %d errors, first: %s", name, rc.Errors, rc.FirstError))
			continue
		}
		figs = append(figs, figure{name, "", kindRecall, rc.RecallAt10})
	}
	return figs, errors.Join(errs...)
}

// median merges several runs' figures: each figure's median over the runs
// that have it, in the first run's order.
func median(runs [][]figure) []figure {
	if len(runs) == 0 {
		return nil
	}
	var out []figure
	for _, f := range runs[0] {
		var vals []float64
		for _, run := range runs {
			if i := slices.IndexFunc(run, func(g figure) bool { return g.Name == f.Name }); i >= 0 {
				vals = append(vals, run[i].Value)
			}
		}
		slices.Sort(vals)
		n := len(vals)
		f.Value = vals[n/2]
		if n%2 == 0 {
			f.Value = (vals[n/2-1] + vals[n/2]) / 2
		}
		out = append(out, f)
	}
	return out
}

// row is one line of the comparison.
type row struct {
	Name, Unit       string
	Base, Now, Ratio float64 // Ratio: Now/Base (NaN when a side is missing)
	HasBase, HasNow  bool
	Tolerance        float64
	Flag             string // "WORSE", "better", "new", "missing" or ""
}

// compare puts every figure of now beside the baseline's. A figure worse
// than the baseline by more than its kind's tolerance is flagged WORSE; one
// better by as much is marked "better" (time to re-take the baseline).
func compare(base, now []figure) []row {
	var rows []row
	for _, n := range now {
		r := row{Name: n.Name, Unit: n.Unit, Now: n.Value, HasNow: true, Ratio: math.NaN(), Tolerance: tolerances[n.Kind]}
		i := slices.IndexFunc(base, func(b figure) bool { return b.Name == n.Name })
		if i < 0 {
			r.Flag = "new"
			rows = append(rows, r)
			continue
		}
		r.Base, r.HasBase = base[i].Value, true
		if r.Base != 0 {
			r.Ratio = r.Now / r.Base
		}
		switch {
		case math.IsNaN(r.Ratio):
		case higherIsBetter(n.Kind) && r.Ratio < 1-r.Tolerance, !higherIsBetter(n.Kind) && r.Ratio > 1+r.Tolerance:
			r.Flag = "WORSE"
		case higherIsBetter(n.Kind) && r.Ratio > 1+r.Tolerance, !higherIsBetter(n.Kind) && r.Ratio < 1-r.Tolerance:
			r.Flag = "better"
		}
		rows = append(rows, r)
	}
	for _, b := range base {
		if !slices.ContainsFunc(now, func(n figure) bool { return n.Name == b.Name }) {
			rows = append(rows, row{Name: b.Name, Unit: b.Unit, Base: b.Value, HasBase: true, Ratio: math.NaN(),
				Tolerance: tolerances[b.Kind], Flag: "missing"})
		}
	}
	return rows
}

// printRows writes the comparison as an aligned table and returns how many
// figures are flagged WORSE.
func printRows(w io.Writer, rows []row) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tunit\tbaseline\tnow\tnow/base\ttolerance\tflag")
	worse := 0
	for _, r := range rows {
		base, now, ratio := "-", "-", "-"
		if r.HasBase {
			base = num(r.Base)
		}
		if r.HasNow {
			now = num(r.Now)
		}
		if !math.IsNaN(r.Ratio) {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		if r.Flag == "WORSE" {
			worse++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t±%.0f%%\t%s\n", r.Name, r.Unit, base, now, ratio, r.Tolerance*100, r.Flag)
	}
	tw.Flush()
	return worse
}

// num prints a figure with three significant digits at least, no exponent.
func num(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
}
