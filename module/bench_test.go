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
	for _, q := range benchsearch.BuildQueries(corpus) {
		args := []string{"FT.SEARCH", "idx", q.Redis}
		for _, a := range q.RedisArgs {
			args = append(args, fmt.Sprint(a))
		}
		b.Run(q.Name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r := c.Do(args...)
				if r.Type == '-' {
					b.Fatalf("%v: %s", args, r.Raw)
				}
			}
		})
	}
}

func appendCommand(args ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return []byte(b.String())
}
