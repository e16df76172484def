package aggregate

import (
	"strings"
	"testing"
)

// oneLoader loads a row at a time, as the main thread's loader does: a
// row is released before the next is read.
type oneLoader struct{ fakeLoader }

func (oneLoader) BatchSize() int { return 1 }

// TestGroupByReusedRows: GROUPBY gives its documents' rows back for the
// next documents (Pipeline.release); a reused row shows nothing of the
// document it held before. The documents alternate between having the
// attribute and not (LOAD * loads what each has), so by hand: tags is "a" for
// d1, d3 and d5, absent (null) for d2, d4 and d6, "b" for d7; rating,
// loaded by name, is "1" for d1 and d3, absent for the others.
func TestGroupByReusedRows(t *testing.T) {
	var docs []*fakeDoc
	for i, x := range []string{"a", "", "a", "", "a", "", "b"} {
		d := &fakeDoc{id: uint32(i + 1), key: "d" + string(rune('1'+i))}
		if x != "" {
			d.fields = append(d.fields, [2]string{"tags", x})
		}
		if i == 0 || i == 2 {
			d.fields = append(d.fields, [2]string{"rating", "1"})
		}
		docs = append(docs, d)
	}
	for _, c := range []struct {
		args string
		want map[string]string // group value → count
	}{
		{"LOAD * GROUPBY 1 @tags REDUCE COUNT 0 AS n", map[string]string{"a": "3", "": "3", "b": "1"}},
		{"GROUPBY 1 @rating REDUCE COUNT 0 AS n", map[string]string{"1": "2", "": "5"}},
	} {
		req, err := Parse(strings.Fields(c.args), DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(req, fuzzSchema, &sliceSource{docs: docs}, oneLoader{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := runAll(p)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rows {
			var k, n string
			for _, f := range r {
				switch f.Name {
				case "n":
					n = f.Value.String()
				default:
					if !f.Value.IsNull() {
						k = f.Value.String()
					}
				}
			}
			got[k] = n
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: groups %v, want %v", c.args, got, c.want)
			continue
		}
		for k, n := range c.want {
			if got[k] != n {
				t.Errorf("%s: groups %v, want %v", c.args, got, c.want)
				break
			}
		}
	}
}
