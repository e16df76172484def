package index_test

import (
	"fmt"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
)

// An index built from Go values, without a server: a schema, documents
// through the Document interface (MapDocument, a hash's shape), then a
// query string parsed, planned and read into a ranked page.
func Example() {
	sp := index.NewSpec("books")
	title := index.NewField("title", "title", index.FieldText)
	year := index.NewField("year", "year", index.FieldNumeric)
	year.Sortable = true
	for _, f := range []*index.Field{title, year} {
		if err := sp.AddField(f); err != nil {
			panic(err)
		}
	}
	idx := index.New(sp)

	idx.Lock()
	for key, doc := range map[string]index.MapDocument{
		"book:1": {"title": "The Go Programming Language", "year": "2015"},
		"book:2": {"title": "Programming Pearls", "year": "1986"},
		"book:3": {"title": "The Art of Computer Programming", "year": "1968"},
		"book:4": {"title": "Structure and Interpretation of Computer Programs", "year": "1985"},
	} {
		idx.Add(key, doc, index.DefaultMinStemLen)
	}
	idx.Unlock()

	// "programming" also matches "programs" through its stem.
	root, err := query.Parse("programming @year:[1980 2020]", query.Options{
		Dialect: 2, Schema: sp.QuerySchema(), IsStopword: sp.Stopwords.Contains})
	if err != nil {
		panic(err)
	}
	idx.RLock()
	defer idx.RUnlock()
	opts := index.DefaultQueryOptions()
	res, err := idx.Plan(root, &opts).Search(index.SearchOptions{
		Scoring: index.Scoring{Scorer: "BM25STD"}, Num: 10, SortBy: year})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Total, "matches")
	for _, h := range res.Hits {
		fmt.Println(h.Doc.Key(), h.Sort.Num)
	}
	// Output:
	// 3 matches
	// book:4 1985
	// book:2 1986
	// book:1 2015
}
