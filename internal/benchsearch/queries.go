package benchsearch

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Query is one benchmarked search, written for both engines.
type Query struct {
	Name string
	// Redis is the FT.SEARCH query string; RedisArgs follow it (SORTBY).
	Redis     string
	RedisArgs []any
	// Bleve builds the equivalent bleve request (a new one per call: a
	// request is not shared between goroutines).
	Bleve func() *bleve.SearchRequest
}

// Both engines return the first page of 10 results with every field, so
// both pay for loading the documents they return.
const pageSize = 10

var bleveFields = []string{"title", "body", "tag", "price"}

// word ranks used by the queries: a fairly frequent word for the single
// term (about one document in ten holds it at 100k docs), two mid-frequency
// words for the intersection, a frequent word's prefix.
const (
	singleTermRank   = 50
	intersectRankA   = 100
	intersectRankB   = 300
	prefixSourceRank = 10
	prefixLen        = 3
)

// BuildQueries returns the benchmark's queries for c, each without and with
// SORTBY price, in a stable order.
func BuildQueries(c *Corpus) []Query {
	w := func(rank int) string { return c.Words[min(rank, len(c.Words)-1)] }
	phraseA, phraseB := phraseWords(c)
	prefix := w(prefixSourceRank)[:prefixLen]
	tag := c.Docs[len(c.Docs)/2].Tag
	lo, hi := float64(c.Config.MaxPrice)/10, float64(c.Config.MaxPrice)/5
	inclusive := true

	base := []struct {
		name  string
		redis string
		bleve func() query.Query
	}{
		{"term", w(singleTermRank), func() query.Query { return bleve.NewMatchQuery(w(singleTermRank)) }},
		{"and", w(intersectRankA) + " " + w(intersectRankB), func() query.Query {
			return bleve.NewConjunctionQuery(bleve.NewMatchQuery(w(intersectRankA)), bleve.NewMatchQuery(w(intersectRankB)))
		}},
		{"phrase", fmt.Sprintf(`@body:"%s %s"`, phraseA, phraseB), func() query.Query {
			q := bleve.NewMatchPhraseQuery(phraseA + " " + phraseB)
			q.SetField("body")
			return q
		}},
		{"prefix", prefix + "*", func() query.Query { return bleve.NewPrefixQuery(prefix) }},
		{"tag", "@tag:{" + tag + "}", func() query.Query {
			q := bleve.NewTermQuery(tag)
			q.SetField("tag")
			return q
		}},
		{"numeric", fmt.Sprintf("@price:[%g %g]", lo, hi), func() query.Query {
			q := bleve.NewNumericRangeInclusiveQuery(&lo, &hi, &inclusive, &inclusive)
			q.SetField("price")
			return q
		}},
	}
	var out []Query
	for _, b := range base {
		for _, sorted := range []bool{false, true} {
			q := Query{Name: b.name, Redis: b.redis, RedisArgs: []any{"LIMIT", 0, pageSize}}
			build := b.bleve
			if sorted {
				q.Name += "+sortby"
				q.RedisArgs = append(q.RedisArgs, "SORTBY", "price")
			}
			q.Bleve = func() *bleve.SearchRequest {
				req := bleve.NewSearchRequestOptions(build(), pageSize, 0, false)
				req.Fields = bleveFields
				if sorted {
					req.SortBy([]string{"price"})
				}
				return req
			}
			out = append(out, q)
		}
	}
	return out
}

// phraseWords returns two adjacent words of an actual body, so the phrase
// has at least one match. Both are fairly frequent (ranks 5 to 100) so the
// phrase matches tens of documents at 100k docs rather than one; the most
// frequent words are left out, their phrase would cost about what their
// intersection costs.
func phraseWords(c *Corpus) (string, string) {
	const lo, hi = 5, 100
	eligible := map[string]bool{}
	for _, w := range c.Words[min(lo, len(c.Words)):min(hi+1, len(c.Words))] {
		eligible[w] = true
	}
	for i := len(c.Docs) / 3; i < len(c.Docs); i++ {
		body := strings.Fields(c.Docs[i].Body)
		for j := 0; j+1 < len(body); j++ {
			if eligible[body[j]] && eligible[body[j+1]] && body[j] != body[j+1] {
				return body[j], body[j+1]
			}
		}
	}
	body := strings.Fields(c.Docs[0].Body)
	return body[0], body[1]
}
