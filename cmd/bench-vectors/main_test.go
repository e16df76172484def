package main

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// inProcessShard starts our server with the search module in this process.
func inProcessShard() startShard {
	return func(workers int) (string, func(), error) {
		s, err := server.Start(server.Options{
			Config: []string{"bind 127.0.0.1", "port 0", `save ""`, "appendonly no",
				"search-workers " + strconv.Itoa(workers)},
			Modules:   []server.Module{module.New()},
			LogOutput: io.Discard,
		})
		if err != nil {
			return "", nil, err
		}
		return s.Addr(), func() { s.Close() }, nil
	}
}

// TestBench runs the whole bench on a tiny corpus against in-process
// shards: every row is filled, every query answered, the KNN queries give
// their K (a KNN without a filter over 500 documents totals min(K, 500)),
// and FLAT, an exact index, finds the exact top 10 of every query.
func TestBench(t *testing.T) {
	cfg := config{algos: []string{"FLAT", "HNSW"}, workers: []int{0, 4}, docs: 500, dim: 128, clusters: 10,
		spread: 0.5, seed: 1, clients: 2, duration: 50 * time.Millisecond, recallN: 50}
	rep, err := run(context.Background(), cfg, inProcessShard(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.passes) != 4 {
		t.Fatalf("%d passes, want 4", len(rep.passes))
	}
	for _, p := range rep.passes {
		name := p.algo + " workers " + strconv.Itoa(p.workers)
		if p.loadRate <= 0 || p.load <= 0 || p.vecMB <= 0 || p.bytesPerDoc == 0 {
			t.Errorf("%s: load %v (%.0f/s), %.2f MB, %.0f B/doc", name, p.load, p.loadRate, p.vecMB, p.bytesPerDoc)
		}
		if len(p.queries) != len(queryKinds) {
			t.Fatalf("%s: %d query rows", name, len(p.queries))
		}
		for i, q := range p.queries {
			if q.name != queryKinds[i] || q.ops == 0 || q.errs != 0 || q.qps <= 0 || q.p50 <= 0 || q.p99 < q.p50 {
				t.Errorf("%s: %+v", name, q)
			}
		}
		for i, want := range []float64{10, 100, 10, 10} { // knn10, knn100, hybrid_tag, hybrid_range
			if q := p.queries[i]; q.meanHits != want {
				t.Errorf("%s %s: %.2f hits on average, want %.0f", name, q.name, q.meanHits, want)
			}
		}
		if h := p.queries[4].meanHits; h < 1 || h > 100 {
			t.Errorf("%s range: %.2f hits on average", name, h)
		}
		wantRecall := 1
		if p.algo == "HNSW" {
			wantRecall = 2 // default EF_RUNTIME and 100
		}
		if len(p.recall) != wantRecall {
			t.Fatalf("%s: %d recall rows", name, len(p.recall))
		}
		for _, r := range p.recall {
			if r.errs != 0 || math.IsNaN(r.mean) || r.mean < 0 || r.mean > 1 {
				t.Errorf("%s: %+v", name, r)
			}
			if p.algo == "FLAT" && (r.mean != 1 || r.min != 1) {
				t.Errorf("%s: recall@10 %v (min %v), an exact index must give 1", name, r.mean, r.min)
			}
		}
	}
	var out strings.Builder
	rep.print(&out)
	for _, s := range []string{"### FLAT", "### HNSW", "| QPS hybrid_range | 1 473 |", "recall@10, EF_RUNTIME 100 | 0.999 |", "corpora differ"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("the report has no %q:\n%s", s, out.String())
		}
	}
}

// TestRecallOf: 18 unit documents at 0°, 10°, …, 170° in the plane (the
// other coordinates 0) and a query at 0°: the exact top 10 are documents
// 0…9 (COSINE distance 1 - cos(10°·i) grows with i). An answer with 0…8
// and 12 has 9 of them; duplicates count once; all ten give 1.
func TestRecallOf(t *testing.T) {
	c := &corpus{dim: 2}
	for i := 0; i < 18; i++ {
		a := float64(i) * 10 * math.Pi / 180
		c.vecs = append(c.vecs, float32(math.Cos(a)), float32(math.Sin(a)))
		c.invNorm = append(c.invNorm, 1/math.Hypot(float64(float32(math.Cos(a))), float64(float32(math.Sin(a)))))
	}
	c.queries = [][]float32{{1, 0}}
	nb := c.exactOne(unit(c.queries[0]))
	for i := 0; i < 10; i++ {
		if nb.ids[i] != i {
			t.Fatalf("exact neighbours %v", nb.ids)
		}
	}
	for _, tc := range []struct {
		got  []int
		want float64
	}{
		{[]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1},
		{[]int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, 1},
		{[]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 12}, 0.9},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.1},
		{[]int{10, 11, 12, 13, 14, 15, 16, 17}, 0},
	} {
		if got := c.recallOf(0, nb, tc.got); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("recallOf(%v) = %v, want %v", tc.got, got, tc.want)
		}
	}
}
