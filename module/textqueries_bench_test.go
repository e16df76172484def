package module_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkTextQueries runs searchbench's query kinds (../shared/tools/
// searchbench, issue 15) in process, one client, on searchbench's corpus:
// 100 000 Zipf documents (title and body TEXT, a TAG, a NUMERIC SORTABLE),
// generated from the same PCG seeds so the documents and the query sequence
// are the very ones searchbench sends. Each sub-benchmark cycles through the
// first 512 queries of searchbench's sample client of that kind.
//
//	nice -n 19 go test ./module -run '^$' -bench TextQueries -benchmem
func BenchmarkTextQueries(b *testing.B) {
	c, sc := textBenchCorpus(b)
	for qi, qt := range sc.queryTypes() {
		r := rand.New(rand.NewPCG(sbSeed, sbStreamClient+uint64(qi)<<20))
		queries := make([][]string, 512)
		for i := range queries {
			queries[i] = qt.gen(r)
		}
		b.Run(qt.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				args := queries[i%len(queries)]
				if r := c.Do(args...); r.Type == '-' {
					b.Fatalf("%v: %s", args, r.Raw)
				}
			}
			// The process's CPU time (server and client, collector
			// included) per query: steadier than ns/op on a shared machine.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The corpus below is searchbench's corpus.go, reproduced exactly (same
// constants, seeds, streams and draws).
const (
	sbSeed         = 0x5eac4be7c4
	sbVocabSize    = 50_000
	sbTitleWords   = 6
	sbBodyWords    = 60
	sbNumTags      = 100
	sbZipfS        = 1.07
	sbZipfV        = 1
	sbMidRankLo    = 10
	sbMidRankHi    = 1000
	sbStreamVocab  = 1
	sbStreamDoc    = 1 << 40
	sbStreamClient = 2 << 40
	sbDocs         = 100_000
)

type sbCorpus struct {
	vocab []string
	docs  int
}

func newSBCorpus(docs int) *sbCorpus {
	const consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
	r := rand.New(rand.NewPCG(sbSeed, sbStreamVocab))
	seen := make(map[string]bool, sbVocabSize)
	vocab := make([]string, 0, sbVocabSize)
	buf := make([]byte, 0, 10)
	for len(vocab) < sbVocabSize {
		buf = buf[:0]
		vowel := r.IntN(2) == 0
		for range 4 + r.IntN(7) {
			if vowel {
				buf = append(buf, vowels[r.IntN(len(vowels))])
			} else {
				buf = append(buf, consonants[r.IntN(len(consonants))])
			}
			vowel = !vowel
		}
		if w := string(buf); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &sbCorpus{vocab: vocab, docs: docs}
}

type sbDocument struct {
	title, body []string
	tag, price  string
}

func (c *sbCorpus) doc(i int) sbDocument {
	r := rand.New(rand.NewPCG(sbSeed, sbStreamDoc+uint64(i)))
	z := rand.NewZipf(r, sbZipfS, sbZipfV, sbVocabSize-1)
	words := make([]string, sbTitleWords+sbBodyWords)
	for j := range words {
		words[j] = c.vocab[z.Uint64()]
	}
	cents := r.IntN(1_000_000)
	return sbDocument{
		title: words[:sbTitleWords],
		body:  words[sbTitleWords:],
		tag:   "t" + strconv.Itoa(r.IntN(sbNumTags)),
		price: fmt.Sprintf("%d.%02d", cents/100, cents%100),
	}
}

func (c *sbCorpus) midWord(r *rand.Rand) string {
	lo, hi := math.Log(sbMidRankLo), math.Log(sbMidRankHi+1)
	rank := int(math.Exp(lo + r.Float64()*(hi-lo)))
	return c.vocab[min(max(rank, sbMidRankLo), sbMidRankHi)]
}

type sbQueryType struct {
	name string
	gen  func(r *rand.Rand) []string
}

// queryTypes keeps searchbench's order (the index seeds each kind's query
// stream); ping is left out.
func (c *sbCorpus) queryTypes() []sbQueryType {
	search := func(q string, extra ...string) []string {
		return append([]string{"FT.SEARCH", "idx", q}, extra...)
	}
	return []sbQueryType{
		{"term", func(r *rand.Rand) []string {
			return search("@body:" + c.midWord(r))
		}},
		{"and2", func(r *rand.Rand) []string {
			return search("@body:(" + c.midWord(r) + " " + c.midWord(r) + ")")
		}},
		{"phrase", func(r *rand.Rand) []string {
			body := c.doc(r.IntN(c.docs)).body
			j := r.IntN(len(body) - 1)
			return search(`@body:"` + body[j] + " " + body[j+1] + `"`)
		}},
		{"prefix", func(r *rand.Rand) []string {
			return search("@body:" + c.midWord(r)[:3] + "*")
		}},
		{"tag", func(r *rand.Rand) []string {
			return search("@tag:{t" + strconv.Itoa(r.IntN(sbNumTags)) + "}")
		}},
		{"range", func(r *rand.Rand) []string {
			lo := r.IntN(9001)
			return search("@price:[" + strconv.Itoa(lo) + " " + strconv.Itoa(lo+1000) + "]")
		}},
		{"term_sorted", func(r *rand.Rand) []string {
			return search("@body:"+c.midWord(r), "SORTBY", "price", "ASC")
		}},
		{"agg", func(r *rand.Rand) []string {
			return []string{"FT.AGGREGATE", "idx", "@body:" + c.midWord(r),
				"GROUPBY", "1", "@tag", "REDUCE", "COUNT", "0", "AS", "n",
				"SORTBY", "2", "@n", "DESC", "LIMIT", "0", "10"}
		}},
	}
}

// textBenchCorpus starts a server (search-workers 0, the default) and loads
// searchbench's index and documents into it.
func textBenchCorpus(b *testing.B) (*testutil.Conn, *sbCorpus) {
	b.Helper()
	s := server.RunT(b, server.Options{Modules: []server.Module{module.New()}})
	c := testutil.Dial(b, s.Addr())
	sc := newSBCorpus(sbDocs)
	testutil.MustDo(b, c, "FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:",
		"SCHEMA", "title", "TEXT", "WEIGHT", "2", "body", "TEXT", "tag", "TAG",
		"price", "NUMERIC", "SORTABLE", testutil.OK)
	const batch = 1000
	for i := 0; i < sc.docs; i += batch {
		var buf strings.Builder
		n := 0
		for j := i; j < min(i+batch, sc.docs); j++ {
			d := sc.doc(j)
			buf.Write(appendCommand("HSET", "doc:"+strconv.Itoa(j),
				"title", strings.Join(d.title, " "), "body", strings.Join(d.body, " "),
				"tag", d.tag, "price", d.price))
			n++
		}
		c.SendRaw(buf.String())
		for j := 0; j < n; j++ {
			if r := c.Read(); r.Type == '-' {
				b.Fatalf("HSET: %s", r.Raw)
			}
		}
	}
	b.ResetTimer()
	return c, sc
}
