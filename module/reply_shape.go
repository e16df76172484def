package module

import (
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
)

// ReplyShape is what each result of an FT.SEARCH reply carries besides its
// key: the module's reply layout, shared by this shard's replies and a
// coordinator's merged ones.
type ReplyShape struct {
	Scores, Payloads, SortKeys, Content bool
	// Required is the number of values a coordinator required of each
	// result (a shard's reply only): after the sort key in RESP2, a
	// "required_fields" map in RESP3.
	Required int
}

// Stride2 is the number of RESP2 array elements per result.
func (s ReplyShape) Stride2() int {
	n := 1 + s.Required
	for _, on := range []bool{s.Scores, s.Payloads, s.SortKeys, s.Content} {
		if on {
			n++
		}
	}
	return n
}

// Fields3 is the number of entries of a result's RESP3 map (id and values
// included).
func (s ReplyShape) Fields3() int {
	n := s.Stride2() + 1 - s.Required
	if s.Required > 0 {
		n++
	}
	return n
}

// WriteResultsHead3 opens an FT.SEARCH RESP3 reply: its map, attributes,
// format, and the results array of n entries.
func WriteResultsHead3(w *resp.Writer, n int) {
	w.Map(5)
	w.SimpleString("attributes")
	w.Array(0)
	w.SimpleString("format")
	w.SimpleString("STRING")
	w.SimpleString("results")
	w.Array(n)
}

// WriteResultsTail3 closes an FT.SEARCH RESP3 reply: the total and the
// warnings.
func WriteResultsTail3(w *resp.Writer, total int64, warnings []string) {
	w.SimpleString("total_results")
	w.Int(total)
	w.SimpleString("warning")
	w.Array(len(warnings))
	for _, s := range warnings {
		w.SimpleString(s)
	}
}

// WriteTimedOut is the reply of a search whose client stopped waiting: the
// module's timeout error (ON_TIMEOUT fail), or no results and the warning.
func WriteTimedOut(w *resp.Writer, fail bool) {
	if fail {
		w.Error(index.WarnTimeout)
		return
	}
	if !w.Resp3() {
		w.Array(1)
		w.Int(0)
		return
	}
	WriteResultsHead3(w, 0)
	WriteResultsTail3(w, 0, []string{index.WarnTimeout})
}
