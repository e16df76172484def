package benchsearch

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Bleve engines the benchmark can compare against.
const (
	// BleveScorch is bleve v2's default engine (scorch) kept in memory: an
	// empty path makes scorch skip persistence.
	BleveScorch = "scorch"
	// BleveMemOnly is bleve.NewMemOnly: the older upside_down engine over an
	// in-memory key-value store.
	BleveMemOnly = "memonly"
)

// bleveBatch is how many documents go into one bleve batch, as the
// pipeline size on our side.
const bleveBatch = loadPipeline

// bleveMapping mirrors the FT.CREATE schema: title and body analysed
// English text (searched together by unfielded queries through _all), tag a
// keyword, price a number (sortable through its doc values).
func bleveMapping() mapping.IndexMapping {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		return f
	}
	tag := bleve.NewKeywordFieldMapping()
	tag.IncludeInAll = false
	price := bleve.NewNumericFieldMapping()
	price.IncludeInAll = false

	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("body", text())
	doc.AddFieldMappingsAt("tag", tag)
	doc.AddFieldMappingsAt("price", price)

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	return m
}

func newBleveIndex(engine string) (bleve.Index, error) {
	switch engine {
	case BleveScorch:
		return bleve.NewUsing("", bleveMapping(), scorch.Name, scorch.Name, nil)
	case BleveMemOnly:
		return bleve.NewMemOnly(bleveMapping())
	}
	return nil, fmt.Errorf("unknown bleve engine %q (want %s or %s)", engine, BleveScorch, BleveMemOnly)
}

// bleveLoad indexes the corpus in batches and returns the time it took.
func bleveLoad(idx bleve.Index, c *Corpus) (time.Duration, error) {
	start := time.Now()
	for lo := 0; lo < len(c.Docs); lo += bleveBatch {
		b := idx.NewBatch()
		for _, d := range c.Docs[lo:min(lo+bleveBatch, len(c.Docs))] {
			err := b.Index(d.Key, map[string]any{
				"title": d.Title,
				"body":  d.Body,
				"tag":   d.Tag,
				"price": float64(d.Price),
			})
			if err != nil {
				return 0, fmt.Errorf("bleve batch: %w", err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return 0, fmt.Errorf("bleve batch: %w", err)
		}
	}
	return time.Since(start), nil
}

// bleveSearch runs q once and returns the total number of matches.
func bleveSearch(idx bleve.Index, q Query) (int64, error) {
	res, err := idx.Search(q.Bleve())
	if err != nil {
		return 0, err
	}
	return int64(res.Total), nil
}
