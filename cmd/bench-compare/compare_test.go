package main

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// The reports in testdata are real searchbench runs against this binary
// (2 cores, busy machine): text-run1/2 are `searchbench -docs 20000
// -duration 1s -json` on two fresh shards, vectors-hnsw-run1 is
// `-vectors -algo HNSW -docs 5000 -duration 1s -recall 50`. The .txt files
// are the same runs' printed tables, which the expected values below are
// read from.

func mustParse(t *testing.T, path string) []figure {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := parseReport(b)
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

func TestParseReport(t *testing.T) {
	text := mustParse(t, "testdata/text-run1.json")
	vec := mustParse(t, "testdata/vectors-hnsw-run1.json")
	for _, tc := range []struct {
		figs []figure
		name string
		kind string
		want float64 // from the printed table, so to its rounding
	}{
		// text-run1.txt: "load+index: 20000 docs in 1.14s = 17494 docs/s",
		// "= 2500 bytes/doc".
		{text, "text load", kindRate, 17494},
		{text, "text memory", kindMemory, 2500},
		// The query table: term qps 4641, p99_us 8542; srv_cpu 80% of 1 s
		// over 4643 ops = 172 µs/op.
		{text, "text term QPS", kindRate, 4641},
		{text, "text term p99", kindP99, 8542},
		{text, "text term srv CPU", kindCPU, 172},
		{text, "text phrase QPS", kindRate, 1898},
		{text, "text phrase p99", kindP99, 17532},
		{text, "text agg QPS", kindRate, 269},
		{text, "text agg p99", kindP99, 173036},
		// agg: 279 ops at 269 qps is 1.04 s, srv_cpu 84% of it: 84% / 269
		// qps = 3 123 µs/op.
		{text, "text agg srv CPU", kindCPU, 3123},
		{text, "text ping QPS", kindRate, 46009},
		// vectors-hnsw-run1.txt: "3779 docs/s", "+1704 bytes/doc",
		// knn10 17990 qps p99 2129us, recall@10 0.9760 (default) and 1.0000
		// (EF_RUNTIME 100).
		{vec, "vec HNSW load", kindRate, 3779},
		{vec, "vec HNSW memory", kindMemory, 1704},
		{vec, "vec HNSW knn10 QPS", kindRate, 17990},
		{vec, "vec HNSW knn10 p99", kindP99, 2129},
		{vec, "vec HNSW range QPS", kindRate, 3906},
		{vec, "vec HNSW recall@10 knn10 ef=default", kindRecall, 0.976},
		{vec, "vec HNSW recall@10 knn10 ef=100", kindRecall, 1},
	} {
		i := slices.IndexFunc(tc.figs, func(f figure) bool { return f.Name == tc.name })
		if i < 0 {
			t.Errorf("%s: missing", tc.name)
			continue
		}
		f := tc.figs[i]
		if f.Kind != tc.kind || math.Abs(f.Value-tc.want) > 0.005*tc.want {
			t.Errorf("%s = %v (%s), want %v (%s)", tc.name, f.Value, f.Kind, tc.want, tc.kind)
		}
	}
	// 2 load figures + 9 query kinds × (QPS, p99, CPU); 2 + 6 × 3 + 4 recall.
	if len(text) != 2+9*3 || len(vec) != 2+6*3+4 {
		t.Errorf("%d text and %d vector figures, want 29 and 24", len(text), len(vec))
	}
}

func TestParseReportErrors(t *testing.T) {
	b, err := os.ReadFile("testdata/text-run1.json")
	if err != nil {
		t.Fatal(err)
	}
	// A query kind with error replies must not pass for throughput.
	bad := bytes.Replace(b, []byte(`"errors": 0,`), []byte(`"errors": 3, "first_error": "ERR boom",`), 1)
	if _, err := parseReport(bad); err == nil || !strings.Contains(err.Error(), "text term: 3 error replies, first: ERR boom") {
		t.Errorf("errors in a query: %v", err)
	}
	if _, err := parseReport([]byte(`{"queries": []}`)); err == nil {
		t.Error("a report without load figures parsed")
	}
	if _, err := parseReport([]byte(`not json`)); err == nil {
		t.Error("garbage parsed")
	}
}

func TestCompare(t *testing.T) {
	run1 := mustParse(t, "testdata/text-run1.json")
	run2 := mustParse(t, "testdata/text-run2.json")
	// run2 against run1, by hand from the two printed tables: load 14414 /
	// 17494 = 0.82 (< 0.85); term QPS 3603/4641 = 0.78; range QPS 3119/5326 =
	// 0.59, its CPU 53%/3122 ops against 63%/5326 = 1.45 (> 1.20);
	// term_sorted QPS 873/1953 = 0.45, p99 39238/18323 = 2.14 (> 1.30), CPU
	// 70%/876 against 65%/1967 = 2.4. Inside their tolerance: and2 QPS
	// 4094/4756 = 0.86, and2 p99 8374/6605 = 1.27, term CPU 203/172 µs =
	// 1.18, memory 2480/2500 = 0.99.
	wantWorse := []string{
		"text load",
		"text term QPS",
		"text range QPS", "text range srv CPU",
		"text term_sorted QPS", "text term_sorted p99", "text term_sorted srv CPU",
	}
	flagged := func(rows []row, flag string) []string {
		var names []string
		for _, r := range rows {
			if r.Flag == flag {
				names = append(names, r.Name)
			}
		}
		return names
	}
	rows := compare(run1, run2)
	if got := flagged(rows, "WORSE"); !slices.Equal(got, wantWorse) {
		t.Errorf("WORSE: %q, want %q", got, wantWorse)
	}
	if len(rows) != len(run2) || len(flagged(rows, "better")) != 0 {
		t.Errorf("%d rows, better: %q", len(rows), flagged(rows, "better"))
	}
	for _, r := range rows {
		if r.Name == "text term QPS" && math.Abs(r.Ratio-3603.0/4641) > 0.001 {
			t.Errorf("term QPS ratio %v, want 0.776", r.Ratio)
		}
	}
	// The other way round the same figures are improvements, except where
	// the reversed ratio stays inside the tolerance: 1/0.86 (and2 QPS) is
	// 1.16 > 1.15 and so counts; term p99 stays 0.98.
	back := flagged(compare(run2, run1), "better")
	for _, name := range wantWorse {
		if !slices.Contains(back, name) {
			t.Errorf("reversed: %s not better (%q)", name, back)
		}
	}
	if slices.Contains(back, "text term p99") || slices.Contains(flagged(compare(run2, run1), "WORSE"), "text term QPS") {
		t.Errorf("reversed: %q", back)
	}
	if same := compare(run1, run1); len(flagged(same, "WORSE"))+len(flagged(same, "better")) != 0 {
		t.Error("a run against itself is flagged")
	}

	// A query kind that disappeared, and a new one.
	var short []figure
	for _, f := range run1 {
		if !strings.HasPrefix(f.Name, "text agg ") {
			short = append(short, f)
		}
	}
	vec := mustParse(t, "testdata/vectors-hnsw-run1.json")
	rows = compare(run1, append(short, vec[0]))
	if got := flagged(rows, "missing"); !slices.Equal(got, []string{"text agg QPS", "text agg p99", "text agg srv CPU"}) {
		t.Errorf("missing: %q", got)
	}
	if got := flagged(rows, "new"); !slices.Equal(got, []string{"vec HNSW load"}) {
		t.Errorf("new: %q", got)
	}

	var out bytes.Buffer
	if n := printRows(&out, compare(run1, run2)); n != len(wantWorse) {
		t.Errorf("printRows counted %d WORSE, want %d", n, len(wantWorse))
	}
	if !strings.Contains(out.String(), "text term QPS") || !strings.Contains(out.String(), "0.78") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestMedian(t *testing.T) {
	run1 := mustParse(t, "testdata/text-run1.json")
	run2 := mustParse(t, "testdata/text-run2.json")
	m := median([][]figure{run1, run2, run1})
	if !slices.Equal(m, run1) {
		t.Error("median of run1, run2, run1 is not run1")
	}
	// Two runs: the mean of the middle pair; term QPS (4641 + 3603) / 2.
	m = median([][]figure{run1, run2})
	i := slices.IndexFunc(m, func(f figure) bool { return f.Name == "text term QPS" })
	if math.Abs(m[i].Value-(4641.3+3603.4)/2) > 1 {
		t.Errorf("median term QPS %v", m[i].Value)
	}
}
