package benchsearch

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// CorpusConfig describes a generated corpus. The zero value of a field takes
// the figure (see withDefaults).
type CorpusConfig struct {
	Docs       int     // number of documents (100 000)
	Vocabulary int     // distinct words (50 000)
	ZipfS      float64 // Zipf exponent, > 1 (1.07)
	TitleWords int     // mean words per title (6)
	BodyWords  int     // mean words per body (60)
	Tags       int     // distinct tag values (50)
	MaxPrice   int     // prices are uniform in [0, MaxPrice] (10 000)
	Seed       uint64
}

func (c CorpusConfig) withDefaults() CorpusConfig {
	if c.Docs <= 0 {
		c.Docs = 100_000
	}
	if c.Vocabulary <= 0 {
		c.Vocabulary = 50_000
	}
	if c.ZipfS <= 1 {
		c.ZipfS = 1.07
	}
	if c.TitleWords <= 0 {
		c.TitleWords = 6
	}
	if c.BodyWords <= 0 {
		c.BodyWords = 60
	}
	if c.Tags <= 0 {
		c.Tags = 50
	}
	if c.MaxPrice <= 0 {
		c.MaxPrice = 10_000
	}
	return c
}

// Doc is one generated document: the hash doc:<i> on our side, the bleve
// document with the same id on the other.
type Doc struct {
	Key   string
	Title string
	Body  string
	Tag   string
	Price int
}

// Corpus is a generated, deterministic document set.
type Corpus struct {
	Config CorpusConfig
	// Words is the vocabulary in rank order: Words[0] is the most frequent.
	Words []string
	Docs  []Doc
}

// GenerateCorpus builds the corpus of cfg; the same cfg (seed included)
// always gives the same corpus.
func GenerateCorpus(cfg CorpusConfig) *Corpus {
	cfg = cfg.withDefaults()
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6d696e6972656469)) // second word: "miniredi"
	words := vocabulary(r, cfg.Vocabulary)
	zipf := rand.NewZipf(r, cfg.ZipfS, 1, uint64(cfg.Vocabulary-1))
	text := func(mean int) string {
		// Lengths vary by ±25% around the mean so that documents differ in
		// length (which scoring sees) while the mean holds.
		spread := mean / 4
		n := mean - spread + r.IntN(2*spread+1)
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[zipf.Uint64()])
		}
		return b.String()
	}
	docs := make([]Doc, cfg.Docs)
	for i := range docs {
		docs[i] = Doc{
			Key:   "doc:" + strconv.Itoa(i),
			Title: text(cfg.TitleWords),
			Body:  text(cfg.BodyWords),
			Tag:   "t" + strconv.Itoa(r.IntN(cfg.Tags)),
			Price: r.IntN(cfg.MaxPrice + 1),
		}
	}
	return &Corpus{Config: cfg, Words: words, Docs: docs}
}
