package index

import (
	"math"
	"strconv"
	"testing"
	"unsafe"

	"github.com/miniredis-search/miniredis-search/module/query"
)

func TestDocTableFreesPages(t *testing.T) {
	var dt docTable
	for id := uint32(1); id <= 3*docPageSize; id++ {
		dt.set(id, &Doc{id: id}, docStat{score: float64(id), len: id, maxFreq: 1})
	}
	for id := uint32(1); id < 2*docPageSize; id++ {
		dt.remove(id)
	}
	if dt.pages[0] != nil || dt.pages[1] != nil || dt.pages[2] == nil {
		t.Fatal("an empty page was kept or a live one dropped")
	}
	if id, ok := dt.next(0); !ok || id != 2*docPageSize {
		t.Fatalf("next(0) = %d, %v, want id %d", id, ok, 2*docPageSize)
	}
	if id, ok := dt.next(3 * docPageSize); ok {
		t.Fatalf("next past the last id = %d, want none", id)
	}
	n := 0
	dt.each(func(*Doc) { n++ })
	if n != docPageSize+1 {
		t.Fatalf("each visited %d documents, want %d", n, docPageSize+1)
	}
}

// TestDocTableStats: a document's docStat is read back by its id, and
// cleared with it (the scorers read the page's stats, not the Doc).
func TestDocTableStats(t *testing.T) {
	var dt docTable
	dt.set(5, &Doc{id: 5}, docStat{score: 0.5, len: 7, maxFreq: 3})
	dt.set(6, &Doc{id: 6}, docStat{score: 2, len: 1, maxFreq: 1})
	if st := dt.stat(5); st != (docStat{score: 0.5, len: 7, maxFreq: 3}) {
		t.Fatalf("stat(5) = %+v", st)
	}
	dt.remove(5)
	if st := dt.stat(5); st != (docStat{}) {
		t.Fatalf("stat(5) after remove = %+v, want zero", st)
	}
	if st := dt.stat(6); st != (docStat{score: 2, len: 1, maxFreq: 1}) {
		t.Fatalf("stat(6) = %+v", st)
	}
	if st := dt.stat(1 << 20); st != (docStat{}) {
		t.Fatalf("stat of an id past the pages = %+v", st)
	}
}

// TestDocSize: a document's table entry stays at 48 bytes on 64-bit
// platforms (a Go size class; its score, length and largest frequency
// live in the page's docStats), the rarely used payload and sort values
// living behind one pointer (Doc.extra), its terms, tags and numbers
// encoded in one string (Doc.refs), the fields holding its vectors not
// recorded (removeVectors asks each vector index).
func TestDocSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("64-bit layout")
	}
	if got := unsafe.Sizeof(Doc{}); got > 48 {
		t.Fatalf("Doc is %d bytes, want at most 48", got)
	}
}

// TestTagValueLeavesIndex: a tag value leaves the tag index with the last
// document that had it (the value is found through the document's tag
// reference, which keeps only its list).
func TestTagValueLeavesIndex(t *testing.T) {
	sp := NewSpec("t")
	if err := sp.AddField(NewField("tg", "tg", FieldTag)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	idx.Add("d1", MapDocument{"tg": "a,b"}, DefaultMinStemLen)
	idx.Add("d2", MapDocument{"tg": "b"}, DefaultMinStemLen)
	values := func() []string {
		var out []string
		idx.tags[0].values.Scan(func(v string, _ *idList) bool {
			out = append(out, v)
			return true
		})
		return out
	}
	idx.Remove("d1")
	if got := values(); len(got) != 1 || got[0] != "b" {
		t.Fatalf("after removing d1 the tag index holds %q, want [b]", got)
	}
	idx.Remove("d2")
	if got := values(); len(got) != 0 {
		t.Fatalf("after removing d2 the tag index holds %q, want none", got)
	}
}

// TestTagValueIsCopied: the tag index keeps its own copy of a new value,
// not a piece of the document's storage (which it would keep alive whole
// after the document is gone).
func TestTagValueIsCopied(t *testing.T) {
	sp := NewSpec("t")
	if err := sp.AddField(NewField("tg", "tg", FieldTag)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	defer idx.Unlock()
	storage := "red|a long value the hash keeps"
	idx.Add("d1", MapDocument{"tg": storage[:3]}, DefaultMinStemLen)
	l, ok := idx.tags[0].values.Get("red")
	if !ok {
		t.Fatal("red not indexed")
	}
	if unsafe.StringData(l.value) == unsafe.StringData(storage) {
		t.Fatal("the tag index holds a piece of the document's value")
	}
}

// TestScorersReadDocStats: each scorer reads the matched document's own
// score, length and largest frequency (from the table's docStats). By
// hand, "apple" in 2 of 3 documents: TFIDF's idf is logb(1 + 3/2) = 1 and
// the slop factor of one term is 1, so TFIDF is score*1*1/maxFreq and
// TFIDF.DOCNORM score*1*1/len; DOCSCORE is the score.
func TestScorersReadDocStats(t *testing.T) {
	sp := NewSpec("t")
	sp.ScoreField = "s"
	f := NewField("t", "t", FieldText)
	f.NoStem = true
	if err := sp.AddField(f); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	idx.Add("d1", MapDocument{"t": "apple berry berry", "s": "0.5"}, DefaultMinStemLen) // len 3, maxFreq 2
	idx.Add("d2", MapDocument{"t": "apple", "s": "2"}, DefaultMinStemLen)               // len 1, maxFreq 1
	idx.Add("d3", MapDocument{"t": "cherry cherry cherry cherry"}, DefaultMinStemLen)
	idx.Unlock()
	idx.RLock()
	defer idx.RUnlock()
	for _, c := range []struct {
		scorer string
		want   map[string]float64
	}{
		{"DOCSCORE", map[string]float64{"d1": 0.5, "d2": 2}},
		{"TFIDF", map[string]float64{"d1": 0.5 / 2, "d2": 2}},
		{"TFIDF.DOCNORM", map[string]float64{"d1": 0.5 / 3, "d2": 2}},
	} {
		root, err := query.Parse("apple", query.Options{Dialect: 2, Schema: sp.QuerySchema()})
		if err != nil {
			t.Fatal(err)
		}
		opts := DefaultQueryOptions()
		res, err := idx.Plan(root, &opts).Search(SearchOptions{Scoring: Scoring{Scorer: c.scorer}, Num: 10})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, h := range res.Hits {
			got[h.Doc.Key()] = h.Score
		}
		if len(got) != 2 || got["d1"] != c.want["d1"] || got["d2"] != c.want["d2"] {
			t.Errorf("%s: scores %v, want %v", c.scorer, got, c.want)
		}
	}
}

// TestDocTableSortColumns: a document's sort values land in its page's
// columns by slot; removing it clears its entries (the page kept for its
// neighbour), and a slot a document was indexed without reads as absent.
func TestDocTableSortColumns(t *testing.T) {
	var dt docTable
	dt.set(5, &Doc{id: 5}, docStat{})
	dt.setSorts(5, []SortValue{{Kind: SortNum, Num: 1.5}, {}})
	dt.set(6, &Doc{id: 6}, docStat{})
	dt.setSorts(6, []SortValue{{Kind: SortNum, Num: -3}, {}, {Kind: SortStr, Str: "ab"}})
	for _, tc := range []struct {
		id   uint32
		slot int
		want sortCell
	}{
		{5, 0, sortCell{kind: SortNum, ok: true, val: math.Float64bits(1.5)}},
		{5, 1, sortCell{kind: SortNone, ok: true}},
		{5, 2, sortCell{}}, // indexed before the third slot existed
		{6, 0, sortCell{kind: SortNum, ok: true, val: math.Float64bits(-3)}},
		{6, 2, sortCell{kind: SortStr, ok: true, val: 0x6162 << 48}},
		{6, 3, sortCell{}},
		{7, 0, sortCell{}},
		{1 << 20, 0, sortCell{}},
	} {
		if got := dt.sortCell(tc.id, tc.slot); got != tc.want {
			t.Errorf("sortCell(%d, %d) = %+v, want %+v", tc.id, tc.slot, got, tc.want)
		}
	}
	dt.remove(6)
	for slot := range 3 {
		if got := dt.sortCell(6, slot); got.ok {
			t.Errorf("sortCell(6, %d) after remove = %+v", slot, got)
		}
		if col := dt.pages[0].sorts[slot]; col.kind[6] != 0 || col.val[6] != 0 {
			t.Errorf("slot %d keeps the removed entry: %d %x", slot, col.kind[6], col.val[6])
		}
	}
	if got := dt.sortCell(5, 0); !got.ok || got.num() != 1.5 {
		t.Errorf("sortCell(5, 0) after removing 6 = %+v", got)
	}
}

// TestStrPrefixOrder: two strings whose column prefixes differ compare as
// the prefixes do (the column's promise); equal prefixes say nothing.
func TestStrPrefixOrder(t *testing.T) {
	vals := []string{"", "\x00", "a", "a\x00", "a\x00b", "ab", "abcdefgh", "abcdefghi", "abcdefgi", "b", "\xff", "\xff\xff"}
	for _, a := range vals {
		for _, b := range vals {
			pa, pb := strPrefix(a), strPrefix(b)
			if pa == pb {
				continue
			}
			if (pa < pb) != (a < b) {
				t.Errorf("%q vs %q: prefixes %x %x disagree", a, b, pa, pb)
			}
		}
	}
	if strPrefix("abcdefghi") != strPrefix("abcdefgh") {
		t.Error("the prefix reads more than 8 bytes")
	}
}

// TestTagMatchesReadTheirOwnStats: a tag list read by Search gathers its
// matches' stats a window at a time (idIter.gather); each match still
// scores with its own document's stat. DOCSCORE is the document's score,
// here doc i's i/1000, over more matches than a window, with removed
// documents among them.
func TestTagMatchesReadTheirOwnStats(t *testing.T) {
	sp := NewSpec("t")
	sp.ScoreField = "s"
	if err := sp.AddField(NewField("tg", "tg", FieldTag)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	idx.Lock()
	const n = 3*statWin + 5
	for i := 1; i <= n; i++ {
		idx.Add("d"+strconv.Itoa(i), MapDocument{"tg": "x", "s": strconv.FormatFloat(float64(i)/1000, 'f', -1, 64)}, DefaultMinStemLen)
	}
	for i := 3; i <= n; i += 7 {
		idx.Remove("d" + strconv.Itoa(i))
	}
	idx.Unlock()
	idx.RLock()
	defer idx.RUnlock()
	root, err := query.Parse("@tg:{x}", query.Options{Dialect: 2, Schema: sp.QuerySchema()})
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultQueryOptions()
	res, err := idx.Plan(root, &opts).Search(SearchOptions{Scoring: Scoring{Scorer: "DOCSCORE"}, Num: n})
	if err != nil {
		t.Fatal(err)
	}
	if want := n - (n-3)/7 - 1; len(res.Hits) != want {
		t.Fatalf("%d hits, want %d", len(res.Hits), want)
	}
	for _, h := range res.Hits {
		i, _ := strconv.Atoi(h.Doc.Key()[1:])
		if h.Score != float64(i)/1000 {
			t.Errorf("%s scored %v, want %v", h.Doc.Key(), h.Score, float64(i)/1000)
		}
	}
}

// TestBM25STDNumericMatchScore: a numeric match adds nothing to BM25STD,
// so a document scores its score times +0 (scorer.parts skips its stat
// while every score is finite and not negative): +0 for 0.5, and once a
// document scores -0.5, -0.5 × 0 = -0 for it, +0 for the other.
func TestBM25STDNumericMatchScore(t *testing.T) {
	sp := NewSpec("t")
	sp.ScoreField = "s"
	if err := sp.AddField(NewField("n", "n", FieldNumeric)); err != nil {
		t.Fatal(err)
	}
	idx := New(sp)
	search := func() map[string]float64 {
		idx.RLock()
		defer idx.RUnlock()
		root, err := query.Parse("@n:[0 10]", query.Options{Dialect: 2, Schema: sp.QuerySchema()})
		if err != nil {
			t.Fatal(err)
		}
		opts := DefaultQueryOptions()
		res, err := idx.Plan(root, &opts).Search(SearchOptions{Scoring: Scoring{Scorer: "BM25STD"}, Num: 10})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, h := range res.Hits {
			got[h.Doc.Key()] = h.Score
		}
		return got
	}
	idx.Lock()
	idx.Add("d1", MapDocument{"n": "1", "s": "0.5"}, DefaultMinStemLen)
	idx.Unlock()
	if got := search(); got["d1"] != 0 || math.Signbit(got["d1"]) {
		t.Fatalf("d1 scored %v, want +0", got["d1"])
	}
	idx.Lock()
	idx.Add("d2", MapDocument{"n": "2", "s": "-0.5"}, DefaultMinStemLen)
	idx.Unlock()
	got := search()
	if got["d1"] != 0 || math.Signbit(got["d1"]) {
		t.Errorf("d1 scored %v, want +0", got["d1"])
	}
	if got["d2"] != 0 || !math.Signbit(got["d2"]) {
		t.Errorf("d2 scored %v, want -0", got["d2"])
	}
}

// TestMatchSize: an aggregation holds a Match per matched document
// (MatchAll), so one stays at 40 bytes on 64-bit platforms, its metrics and
// matched terms behind one pointer.
func TestMatchSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("64-bit layout")
	}
	if got := unsafe.Sizeof(Match{}); got > 40 {
		t.Fatalf("Match is %d bytes, want at most 40", got)
	}
}
