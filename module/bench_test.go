package module_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkSearch runs the bench-search queries on a 50 000-document
// corpus, one client, in process: the cost of a query on the main thread.
// `make bench-search` measures the full picture (8 clients, bleve beside).
func BenchmarkSearch(b *testing.B) {
	c, corpus := benchCorpus(b)
	for _, q := range benchsearch.BuildQueries(corpus) {
		args := []string{"FT.SEARCH", "idx", q.Redis}
		for _, a := range q.RedisArgs {
			args = append(args, fmt.Sprint(a))
		}
		b.Run(q.Name, func(b *testing.B) { benchDo(b, c, args) })
	}
}

// BenchmarkAggregate runs bench-aggregate's pipelines on the same 50 000
// documents, one client, in process, on the main thread.
// `make bench-aggregate` measures them over 100 000 documents.
func BenchmarkAggregate(b *testing.B) {
	c, _ := benchCorpus(b)
	for _, q := range []struct {
		name string
		args []string
	}{
		{"groupby-all", []string{"FT.AGGREGATE", "idx", "*", "GROUPBY", "1", "@tag", "REDUCE", "COUNT", "0", "AS", "n",
			"REDUCE", "SUM", "1", "@price", "AS", "s", "REDUCE", "AVG", "1", "@price", "AS", "a", "SORTBY", "2", "@n", "DESC"}},
		{"filter-sortby", []string{"FT.AGGREGATE", "idx", "*", "LOAD", "1", "@price", "APPLY", "@price * 2", "AS", "d",
			"FILTER", "@d > 15000", "SORTBY", "2", "@d", "DESC", "LIMIT", "0", "100"}},
	} {
		b.Run(q.name, func(b *testing.B) { benchDo(b, c, q.args) })
	}
}

func benchDo(b *testing.B, c *testutil.Conn, args []string) {
	for i := 0; i < b.N; i++ {
		if r := c.Do(args...); r.Type == '-' {
			b.Fatalf("%v: %s", args, r.Raw)
		}
	}
}

// benchCorpus starts a server with bench-search's corpus of 50 000
// documents indexed as idx.
func benchCorpus(b *testing.B) (*testutil.Conn, *benchsearch.Corpus) {
	s := server.RunT(b, server.Options{Modules: []server.Module{module.New()}})
	c := testutil.Dial(b, s.Addr())
	corpus := benchsearch.GenerateCorpus(benchsearch.CorpusConfig{Docs: 50_000, Seed: 1})
	testutil.MustDo(b, c, "FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA",
		"title", "TEXT", "SORTABLE", "body", "TEXT", "tag", "TAG", "price", "NUMERIC", "SORTABLE", testutil.OK)
	const batch = 1000
	for i := 0; i < len(corpus.Docs); i += batch {
		var buf strings.Builder
		n := 0
		for _, d := range corpus.Docs[i:min(i+batch, len(corpus.Docs))] {
			buf.WriteString(string(appendCommand("HSET", d.Key, "title", d.Title, "body", d.Body, "tag", d.Tag, "price", fmt.Sprint(d.Price))))
			n++
		}
		c.SendRaw(buf.String())
		for j := 0; j < n; j++ {
			c.Read()
		}
	}
	return c, corpus
}

func appendCommand(args ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return []byte(b.String())
}
