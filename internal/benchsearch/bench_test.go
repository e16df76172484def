package benchsearch

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// groundTruth counts, by brute force over the corpus, the documents each
// query must find. exact: the engines must find exactly these (no text
// analysis involved); otherwise stemming may make them find more, never
// fewer on our side (the module indexes every word unstemmed too).
func groundTruth(t *testing.T, c *Corpus) map[string]struct {
	count int64
	exact bool
} {
	t.Helper()
	w := func(rank int) string { return c.Words[rank] }
	phraseA, phraseB := phraseWords(c)
	prefix := w(prefixSourceRank)[:prefixLen]
	tag := c.Docs[len(c.Docs)/2].Tag
	lo, hi := c.Config.MaxPrice/10, c.Config.MaxPrice/5
	words := func(d Doc) []string { return strings.Fields(d.Title + " " + d.Body) }
	preds := map[string]struct {
		match func(Doc) bool
		exact bool
	}{
		"term": {func(d Doc) bool { return slices.Contains(words(d), w(singleTermRank)) }, false},
		"and": {func(d Doc) bool {
			ws := words(d)
			return slices.Contains(ws, w(intersectRankA)) && slices.Contains(ws, w(intersectRankB))
		}, false},
		"phrase": {func(d Doc) bool { return strings.Contains(" "+d.Body+" ", " "+phraseA+" "+phraseB+" ") }, false},
		"prefix": {func(d Doc) bool {
			return slices.ContainsFunc(words(d), func(s string) bool { return strings.HasPrefix(s, prefix) })
		}, false},
		"tag":     {func(d Doc) bool { return d.Tag == tag }, true},
		"numeric": {func(d Doc) bool { return d.Price >= lo && d.Price <= hi }, true},
	}
	out := map[string]struct {
		count int64
		exact bool
	}{}
	for name, p := range preds {
		var n int64
		for _, d := range c.Docs {
			if p.match(d) {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("query %s matches no document of the corpus: a useless benchmark query", name)
		}
		for _, suffix := range []string{"", "+sortby"} {
			out[name+suffix] = struct {
				count int64
				exact bool
			}{n, p.exact}
		}
	}
	return out
}

func TestBleveSideFindsTheGroundTruth(t *testing.T) {
	c := GenerateCorpus(CorpusConfig{Docs: 2000, Seed: 1})
	truth := groundTruth(t, c)
	for _, engine := range []string{BleveScorch, BleveMemOnly} {
		t.Run(engine, func(t *testing.T) {
			idx, err := newBleveIndex(engine)
			if err != nil {
				t.Fatal(err)
			}
			defer idx.Close()
			if _, err := bleveLoad(idx, c); err != nil {
				t.Fatal(err)
			}
			for _, q := range BuildQueries(c) {
				hits, err := bleveSearch(idx, q)
				if err != nil {
					t.Fatalf("%s: %v", q.Name, err)
				}
				checkHits(t, "bleve", q.Name, hits, truth[q.Name].count, truth[q.Name].exact)
			}
		})
	}
}

func checkHits(t *testing.T, engine, query string, got, want int64, exact bool) {
	t.Helper()
	switch {
	case exact && got != want:
		t.Errorf("%s %s: %d hits, want %d", engine, query, got, want)
	case !exact && got < want:
		t.Errorf("%s %s: %d hits, want at least %d", engine, query, got, want)
	}
}

func TestSortedRequestsAreSortedByPrice(t *testing.T) {
	c := GenerateCorpus(CorpusConfig{Docs: 2000, Seed: 1})
	idx, err := newBleveIndex(BleveScorch)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if _, err := bleveLoad(idx, c); err != nil {
		t.Fatal(err)
	}
	for _, q := range BuildQueries(c) {
		if !strings.HasSuffix(q.Name, "+sortby") {
			continue
		}
		res, err := idx.Search(q.Bleve())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", q.Name)
		}
		prices := make([]float64, len(res.Hits))
		for i, h := range res.Hits {
			prices[i], _ = h.Fields["price"].(float64)
		}
		if !slices.IsSorted(prices) {
			t.Errorf("%s: prices %v not ascending", q.Name, prices)
		}
	}
}

// TestRunInProcess runs the whole benchmark, small, against our server
// in-process and bleve, and checks that every query ran and found what
// the corpus says it must.
func TestRunInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole benchmark")
	}
	cfg := Config{
		Corpus:   CorpusConfig{Docs: 2000, Seed: 1},
		Duration: 200 * time.Millisecond,
	}
	var progress, out bytes.Buffer
	rep, err := Run(context.Background(), cfg, &progress)
	if err != nil {
		t.Fatalf("%v\nprogress:\n%s", err, progress.String())
	}
	if err := rep.Errs(); err != nil {
		t.Fatal(err)
	}
	truth := groundTruth(t, GenerateCorpus(cfg.Corpus))
	if len(rep.Rows) != 12 {
		t.Fatalf("%d rows, want 12 (6 queries, with and without SORTBY)", len(rep.Rows))
	}
	for _, row := range rep.Rows {
		want := truth[row.Query.Name]
		checkHits(t, "ours", row.Query.Name, row.Ours.Hits, want.count, want.exact)
		checkHits(t, "bleve", row.Query.Name, row.Bleve.Hits, want.count, want.exact)
		for engine, res := range map[string]Result{"ours": row.Ours, "bleve": row.Bleve} {
			if res.Ops == 0 || res.QPS <= 0 || res.P50 <= 0 || res.P99 < res.P50 {
				t.Errorf("%s %s: implausible figures %+v", engine, row.Query.Name, res)
			}
		}
	}
	for engine, l := range map[string]LoadReport{"ours": rep.Ours, "bleve": rep.Bleve} {
		if l.DocsPerSec <= 0 || l.HeapBytes <= 0 {
			t.Errorf("%s load: implausible figures %+v", engine, l)
		}
	}
	rep.Print(&out)
	for _, want := range []string{"ours/bleve p50", "term+sortby", "numeric", "docs/s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed report lacks %q:\n%s", want, out.String())
		}
	}
	t.Logf("\n%s", out.String())
}

// TestRunAgainstAddrReplacesThePreviousRun benchmarks a server given by
// address twice, the second run smaller: it must drop the first run's
// index and documents, or num_docs would never come down to the new
// corpus size.
func TestRunAgainstAddrReplacesThePreviousRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark twice")
	}
	srv, err := StartInProcess()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, docs := range []int{600, 300} {
		cfg := Config{
			Corpus:    CorpusConfig{Docs: docs, Seed: 2},
			Duration:  20 * time.Millisecond,
			Addr:      srv.Addr(),
			SkipBleve: true,
			Workers:   2,
		}
		var progress bytes.Buffer
		rep, err := Run(context.Background(), cfg, &progress)
		if err != nil {
			t.Fatalf("%d docs: %v\nprogress:\n%s", docs, err, progress.String())
		}
		if err := rep.Errs(); err != nil {
			t.Fatalf("%d docs: %v", docs, err)
		}
		if rep.Target != srv.Addr() || rep.Workers != "2" || rep.Ours.HeapBytes != -1 {
			t.Errorf("%d docs: target %q, workers %q, heap %d; want %q, \"2\", -1 (not measurable)",
				docs, rep.Target, rep.Workers, rep.Ours.HeapBytes, srv.Addr())
		}
		truth := groundTruth(t, GenerateCorpus(cfg.Corpus))
		for _, row := range rep.Rows {
			want := truth[row.Query.Name]
			checkHits(t, "ours", row.Query.Name, row.Ours.Hits, want.count, want.exact)
		}
	}
}
