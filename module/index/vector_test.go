package index

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
)

func f32blob(v ...float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return string(b)
}

// vectorTestIndex is a FLAT L2 index of 2-d vectors with a tag:
//
//	d1 (0,0) red   d2 (1,0) blue   d3 (0,2) red   d4 (3,0) blue   d5 (1,1) red
//
// From the query (1,0) the squared L2 distances are d1 1, d2 0, d3 5, d4 4,
// d5 1.
func vectorTestIndex(t *testing.T, algo vecsim.Algo) *Index {
	t.Helper()
	sp := NewSpec("v")
	tag := NewField("c", "c", FieldTag)
	v := NewField("v", "v", FieldVector)
	v.Vector = &vecsim.Params{Algo: algo, Type: vecsim.Float32, Dim: 2, Metric: vecsim.L2, BlockSize: 1024,
		M: 16, EFConstruction: 200, EFRuntime: 10, Epsilon: 0.01}
	for _, f := range []*Field{tag, v} {
		if err := sp.AddField(f); err != nil {
			t.Fatal(err)
		}
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	for _, d := range []struct {
		key, c string
		x, y   float32
	}{{"d1", "red", 0, 0}, {"d2", "blue", 1, 0}, {"d3", "red", 0, 2}, {"d4", "blue", 3, 0}, {"d5", "red", 1, 1}} {
		idx.Add(d.key, MapDocument{"c": d.c, "v": f32blob(d.x, d.y)}, DefaultMinStemLen)
	}
	return idx
}

func knn(k int, filter query.Node) *query.VectorKNN {
	n := &query.VectorKNN{Field: "v", K: k, Blob: f32blob(1, 0), ScoreAlias: "d", Filter: filter}
	n.Attr = query.DefaultAttrs()
	return n
}

func wildcard() query.Node {
	w := &query.Wildcard{}
	w.Attr = query.DefaultAttrs()
	return w
}

func redTag() query.Node {
	n := &query.Tag{Field: "c", Values: []query.TagValue{{Text: "red"}}}
	n.Attr = query.DefaultAttrs()
	return n
}

type hitDist struct {
	key  string
	dist float64
}

func matchAll(t *testing.T, idx *Index, root query.Node) []hitDist {
	t.Helper()
	idx.RLock()
	defer idx.RUnlock()
	opts := DefaultQueryOptions()
	q := idx.Plan(root, &opts)
	if err := q.Err(); err != nil {
		t.Fatal(err)
	}
	ms, _, err := q.MatchAll(MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []hitDist
	for _, m := range ms {
		d := math.NaN()
		for _, mt := range m.Metrics() {
			if mt.Name == "d" {
				d = mt.Value
			}
		}
		out = append(out, hitDist{m.Doc.Key(), d})
	}
	return out
}

func sameHits(t *testing.T, what string, got, want []hitDist) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i].key != want[i].key || !(got[i].dist == want[i].dist || math.IsNaN(got[i].dist) && math.IsNaN(want[i].dist)) {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

func TestKNNPure(t *testing.T) {
	idx := vectorTestIndex(t, vecsim.Flat)
	// Nearest first: d2 0; d1 and d5 tie at 1 (ids 1 < 5).
	sameHits(t, "KNN 3", matchAll(t, idx, knn(3, wildcard())), []hitDist{{"d2", 0}, {"d1", 1}, {"d5", 1}})
	if got := matchAll(t, idx, knn(0, wildcard())); len(got) != 0 {
		t.Fatalf("KNN 0: %v", got)
	}
}

func TestKNNHybrid(t *testing.T) {
	idx := vectorTestIndex(t, vecsim.Flat)
	// Red documents: d1 1, d3 5, d5 1. The module's hybrid heap hands out
	// equal distances by the higher id first: d5, d1, then d3.
	want := []hitDist{{"d5", 1}, {"d1", 1}, {"d3", 5}}
	for _, policy := range []string{"", PolicyAdHoc, PolicyBatches} {
		n := knn(3, redTag())
		n.HybridPolicy = policy
		sameHits(t, "hybrid "+policy, matchAll(t, idx, n), want)
		n = knn(2, redTag())
		n.HybridPolicy = policy
		// k 2: d1 and d5 at 1 are kept, d3 is not.
		sameHits(t, "hybrid k2 "+policy, matchAll(t, idx, n), want[:2])
	}
}

func TestVectorRangeAndFailures(t *testing.T) {
	idx := vectorTestIndex(t, vecsim.Flat)
	r := &query.VectorRange{Field: "v", Radius: 1, Blob: f32blob(1, 0), ScoreAlias: "d"}
	r.Attr = query.DefaultAttrs()
	// Within 1 of (1,0): d1 1, d2 0, d5 1, in id order.
	sameHits(t, "range 1", matchAll(t, idx, r), []hitDist{{"d1", 1}, {"d2", 0}, {"d5", 1}})

	// A blob of the wrong size refuses the document.
	idx.Lock()
	idx.Add("bad", MapDocument{"c": "red", "v": "abc"}, DefaultMinStemLen)
	idx.Unlock()
	st := idx.Stats()
	if st.NumDocs != 5 || st.Failures.Count != 1 || st.Failures.LastError != "Could not add vector with blob size 3 (expected size 8)" {
		t.Fatalf("failure: %+v", st)
	}
	// A query blob of the wrong size is the query's error.
	bad := knn(2, wildcard())
	bad.Blob = "abc"
	opts := DefaultQueryOptions()
	idx.RLock()
	err := idx.Plan(bad, &opts).Err()
	idx.RUnlock()
	if err == nil || err.Error() != "Error parsing vector similarity query: query vector blob size (3) does not match index's expected size (8)." {
		t.Fatalf("blob size error: %v", err)
	}
	// Removing a document removes its vector.
	idx.Lock()
	idx.Remove("d2")
	idx.Unlock()
	sameHits(t, "after remove", matchAll(t, idx, knn(1, wildcard())), []hitDist{{"d1", 1}})
}

func TestSortIDsDense(t *testing.T) {
	for _, n := range []int{0, 10, 300, 5000} {
		perm := make([]uint32, 0, n)
		for i := 0; i < 3*n; i += 3 {
			perm = append(perm, uint32(i+1))
		}
		shuffled := slices.Clone(perm)
		for i := range shuffled {
			j := (i * 7919) % len(shuffled)
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		}
		sortIDsDense(shuffled, uint32(3*n+1))
		if !slices.Equal(shuffled, perm) {
			t.Fatalf("n %d: sorted %v...", n, shuffled[:min(10, len(shuffled))])
		}
	}
}
