package aggregate

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// A small in-memory index for running pipelines in tests.
type fakeSchema map[string]FieldInfo

func (s fakeSchema) Attribute(name string) (FieldInfo, bool) { f, ok := s[name]; return f, ok }
func (s fakeSchema) AttributeByPath(path string) (FieldInfo, bool) {
	for _, f := range s {
		if f.Path == path {
			return f, true
		}
	}
	return FieldInfo{}, false
}

var fuzzSchema = fakeSchema{
	"title":  {Name: "title", Path: "title", SortIdx: 0},
	"cat":    {Name: "cat", Path: "cat", SortIdx: 1},
	"price":  {Name: "price", Path: "price", SortIdx: 2, Numeric: true},
	"rating": {Name: "rating", Path: "rating", SortIdx: -1, Numeric: true},
	"tags":   {Name: "tags", Path: "tags", SortIdx: -1},
}

type fakeDoc struct {
	id     uint32
	key    string
	fields [][2]string
	sv     []expr.Value
}

func (d *fakeDoc) ID() uint32     { return d.id }
func (d *fakeDoc) Key() string    { return d.key }
func (d *fakeDoc) Score() float64 { return 1 / float64(d.id) }
func (d *fakeDoc) Sortable(slot int) (expr.Value, bool) {
	if slot >= len(d.sv) || d.sv[slot].IsNull() {
		return expr.Null(), false
	}
	return d.sv[slot], true
}

type fakeLoader struct{}

func (fakeLoader) Batch(fn func())     { fn() }
func (fakeLoader) Fields(d Doc) Fields { return fakeFields(d.(*fakeDoc).fields) }

type fakeFields [][2]string

func (fs fakeFields) Get(path string) (string, bool) {
	for _, f := range fs {
		if f[0] == path {
			return f[1], true
		}
	}
	return "", false
}

func (fs fakeFields) Each(fn func(field, value string) bool) {
	for _, f := range fs {
		if !fn(f[0], f[1]) {
			return
		}
	}
}

type sliceSource struct {
	docs []*fakeDoc
	pos  int
}

func (s *sliceSource) Next() (Doc, error) {
	if s.pos >= len(s.docs) {
		return nil, nil
	}
	s.pos++
	return s.docs[s.pos-1], nil
}

func fuzzDocs() []*fakeDoc {
	cats := []string{"books", "toys", "music", ""}
	var out []*fakeDoc
	for i := 1; i <= 40; i++ {
		d := &fakeDoc{id: uint32(i), key: fmt.Sprintf("doc:%d", i)}
		title := fmt.Sprintf("Title %d", i%7)
		cat := cats[i%len(cats)]
		d.fields = append(d.fields, [2]string{"title", title}, [2]string{"cat", cat})
		d.sv = []expr.Value{expr.String(strings.ToLower(title)), expr.String(cat), expr.Null()}
		if i%5 != 0 {
			p := float64(i*37%100) / 4
			d.fields = append(d.fields, [2]string{"price", strconv.FormatFloat(p, 'g', -1, 64)})
			d.sv[2] = expr.Number(p)
		}
		if i%3 != 0 {
			d.fields = append(d.fields, [2]string{"rating", strconv.Itoa(i % 5)})
		}
		d.fields = append(d.fields, [2]string{"tags", fmt.Sprintf("t%d,t%d", i%3, i%4)}, [2]string{"extra", "x"})
		out = append(out, d)
	}
	return out
}

// runAll pulls every row of a pipeline, as field lists.
func runAll(p *Pipeline) ([][]Field, error) {
	var rows [][]Field
	if p.CountOnly() {
		return nil, p.Drain()
	}
	for {
		r, err := p.Next()
		if err != nil || r == nil {
			return rows, err
		}
		rows = append(rows, p.Lookup().Fields(r))
	}
}

// FuzzRun runs whatever parses and checks over a 40-document index, alone
// and split over three shards and merged: nothing may panic, and an error
// must have a message.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"GROUPBY\x001\x00@cat\x00REDUCE\x00COUNT\x000\x00REDUCE\x00AVG\x001\x00@price\x00AS\x00a\x00SORTBY\x002\x00@a\x00DESC",
		"LOAD\x00*\x00APPLY\x00@price*2\x00AS\x00x\x00SORTBY\x002\x00@x\x00DESC\x00MAX\x003",
		"LOAD\x002\x00@rating\x00@tags\x00APPLY\x00split(@tags)\x00AS\x00t\x00GROUPBY\x001\x00@t\x00REDUCE\x00QUANTILE\x002\x00@rating\x000.5\x00AS\x00q",
		"GROUPBY\x001\x00@cat\x00REDUCE\x00FIRST_VALUE\x004\x00@title\x00BY\x00@price\x00DESC\x00REDUCE\x00STDDEV\x001\x00@price",
		"GROUPBY\x000\x00REDUCE\x00TOLIST\x001\x00@cat\x00REDUCE\x00COUNT_DISTINCT\x001\x00@title\x00REDUCE\x00RANDOM_SAMPLE\x002\x00@cat\x003",
		"FILTER\x00@price > 10\x00LIMIT\x002\x005",
		"LIMIT\x000\x000",
		"SORTBY\x002\x00@title\x00ASC\x00LIMIT\x001\x003\x00APPLY\x00upper(@title)\x00AS\x00u\x00GROUPBY\x001\x00@u\x00REDUCE\x00MIN\x001\x00@price",
	} {
		f.Add(s)
	}
	docs := fuzzDocs()
	f.Fuzz(func(t *testing.T, in string) {
		args := strings.Split(in, "\x00")
		req, err := Parse(args, DefaultOptions())
		if err != nil {
			return
		}
		if err := req.Check(checkSchema{fuzzSchema}); err != nil {
			return
		}
		p, err := Build(req, fuzzSchema, &sliceSource{docs: docs}, fakeLoader{})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty build error")
			}
			return
		}
		if _, err := runAll(p); err != nil && err.Error() == "" {
			t.Fatal("empty run error")
		}
		shardReq, coordReq := Distribute(req)
		var shards []ShardRows
		for s := 0; s < 3; s++ {
			var part []*fakeDoc
			for i, d := range docs {
				if i%3 == s {
					part = append(part, d)
				}
			}
			sp, err := BuildShard(shardReq, fuzzSchema, &sliceSource{docs: part}, fakeLoader{})
			if err != nil {
				t.Fatalf("shard build: %v (the request built alone)", err)
			}
			rows, err := runAll(sp)
			if err != nil {
				return // a runtime error, as alone
			}
			shards = append(shards, ShardRows{Total: sp.Total(), Rows: rows})
		}
		cp, err := BuildCoordinator(req, coordReq, KeyOrder(req, fuzzSchema), shards)
		if err != nil {
			t.Fatalf("coordinator build: %v", err)
		}
		if _, err := runAll(cp); err != nil && err.Error() == "" {
			t.Fatal("empty merge error")
		}
	})
}
