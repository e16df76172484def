package benchaggregate

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

// TestRunSmall runs the whole benchmark on a small corpus: every query's
// reply passes its check, on the main thread and on the worker pool.
func TestRunSmall(t *testing.T) {
	rep, err := Run(context.Background(), Config{
		Corpus: benchsearch.CorpusConfig{Docs: 2000, Seed: 1}, Warmup: 1, Iterations: 2,
		Clients: 2, Duration: 20 * time.Millisecond, Workers: []int{0, 2},
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Errs(); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 8 {
		t.Fatalf("%d rows, want 4 queries × 2 worker settings", len(rep.Rows))
	}
	for _, row := range rep.Rows {
		if row.Matched == 0 || row.Returned == 0 || row.Single.Ops != 2 {
			t.Errorf("%s: matched %d, returned %d, %d calls", row.Query.Name, row.Matched, row.Returned, row.Single.Ops)
		}
	}
	var out bytes.Buffer
	rep.Print(&out)
	if !strings.Contains(out.String(), "| groupby-all | 2 | 2000 | 10 |") {
		t.Errorf("report:\n%s", out.String())
	}
}

// TestChecksCatchWrongRows: a reply that differs from the corpus fails.
func TestChecksCatchWrongRows(t *testing.T) {
	docs := []benchsearch.Doc{{Tag: "a", Price: 10}, {Tag: "a", Price: 20}, {Tag: "b", Price: 9000}}
	good := []row{{"tag": "a", "n": "2", "s": "30", "a": "15"}, {"tag": "b", "n": "1", "s": "9000", "a": "9000"}}
	if err := checkGroups(docs, good); err != nil {
		t.Fatal(err)
	}
	bad := []row{good[1], good[0]}
	if checkGroups(docs, bad) == nil {
		t.Error("groups out of order passed")
	}
	sorted := checkFiltered(15000, 10, true)
	if err := sorted(docs, []row{{"price": "9000", "d": "18000"}}); err != nil {
		t.Fatal(err)
	}
	if sorted(docs, []row{{"price": "9000", "d": "18001"}}) == nil {
		t.Error("a wrong APPLY value passed")
	}
}

// TestMatchedDocs: the oracle applies the module's matching rules (see
// matchedDocs) to the corpus, with no server. Stems (Snowball English):
// running, runs, run → run; runner → runner; dried, dries, dry → dri.
func TestMatchedDocs(t *testing.T) {
	c := &benchsearch.Corpus{Docs: []benchsearch.Doc{
		{Key: "doc:0", Title: "running fast"},
		{Key: "doc:1", Body: "she runs"},
		{Key: "doc:2", Title: "go", Body: "run home"},
		{Key: "doc:3", Title: "runner up"},
		{Key: "doc:4", Body: "dry land"},
		{Key: "doc:5", Body: "dries out"},
		{Key: "doc:6", Title: "dri"},
		{Key: "doc:7", Title: "ran away"},
	}}
	for _, tc := range []struct {
		query string
		want  string
	}{
		// running: the word itself (0), its stem "run" as a word (2),
		// and "+run", indexed for runs (1) and running (0).
		{"running", "doc:0 doc:1 doc:2"},
		// run is its own stem: no plain stem term, but "+run" (0, 1).
		{"run", "doc:0 doc:1 doc:2"},
		// dried: the word "dri" (6) and "+dri" of dries (5); dry has 3
		// bytes, under the minimum stemmed length, so no "+dri" (4).
		{"dried", "doc:5 doc:6"},
		{"runner", "doc:3"},
		{"*", "doc:0 doc:1 doc:2 doc:3 doc:4 doc:5 doc:6 doc:7"},
	} {
		docs, err := matchedDocs(c, tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, d := range docs {
			keys = append(keys, d.Key)
		}
		if got := strings.Join(keys, " "); got != tc.want {
			t.Errorf("%q: matched %s, want %s", tc.query, got, tc.want)
		}
	}
	if _, err := matchedDocs(c, "run home"); err == nil {
		t.Error("a query the oracle cannot evaluate was accepted")
	}
}
