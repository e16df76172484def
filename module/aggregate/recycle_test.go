package aggregate

import (
	"strconv"
	"strings"
	"testing"
)

// countingLoader loads a row at a time, as the main thread's loader does,
// and counts its batches.
type countingLoader struct {
	fakeLoader
	batches int
}

func (*countingLoader) BatchSize() int { return 1 }
func (l *countingLoader) Batch(fn func()) {
	l.batches++
	fn()
}

// TestGroupByReusedRows: GROUPBY gives its documents' rows back for the
// next documents (Pipeline.release); a reused row shows nothing of the
// document it held before. The documents alternate between having the
// attribute and not (LOAD * loads what each has), so by hand, in each of
// ten runs of seven documents: tags is "a" for the 1st, 3rd and 5th,
// absent (null) for the 2nd, 4th and 6th, "b" for the 7th; rating, loaded
// by name, is "1" for the 1st and 3rd, absent for the others.
func TestGroupByReusedRows(t *testing.T) {
	var docs []*fakeDoc
	for rep := range 10 {
		for i, x := range []string{"a", "", "a", "", "a", "", "b"} {
			id := rep*7 + i + 1
			d := &fakeDoc{id: uint32(id), key: "d" + strconv.Itoa(id)}
			if x != "" {
				d.fields = append(d.fields, [2]string{"tags", x})
			}
			if i == 0 || i == 2 {
				d.fields = append(d.fields, [2]string{"rating", "1"})
			}
			docs = append(docs, d)
		}
	}
	loader := &countingLoader{}
	for _, c := range []struct {
		args string
		want map[string]string // group value → count
	}{
		{"LOAD * GROUPBY 1 @tags REDUCE COUNT 0 AS n", map[string]string{"a": "30", "": "30", "b": "10"}},
		{"GROUPBY 1 @rating REDUCE COUNT 0 AS n", map[string]string{"1": "20", "": "50"}},
	} {
		req, err := Parse(strings.Fields(c.args), DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		loader.batches = 0
		p, err := Build(req, fuzzSchema, &sliceSource{docs: docs}, loader)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := runAll(p)
		if err != nil {
			t.Fatal(err)
		}
		// LOAD * loads a row at a time (its rows are the reply's); the load
		// GROUPBY needs, 32 (drainBatch) at a time: 70 rows, 3 batches.
		if want := map[bool]int{true: 70, false: 3}[strings.HasPrefix(c.args, "LOAD")]; loader.batches != want {
			t.Errorf("%s: %d batches, want %d", c.args, loader.batches, want)
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
