package aggregate

import (
	"strings"
	"testing"
)

// FuzzParse feeds NUL-separated argument lists to Parse and Check: they must
// not panic, an error must be an *Error with a message, and a request that
// parses must parse again to the same step count.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"GROUPBY\x001\x00@cat\x00REDUCE\x00COUNT\x000",
		"LOAD\x00*\x00APPLY\x00@price*2\x00AS\x00x\x00SORTBY\x002\x00@x\x00DESC\x00MAX\x003",
		"LIMIT\x000\x0010\x00WITHCURSOR\x00COUNT\x005\x00MAXIDLE\x00100",
		"PARAMS\x002\x00a\x00b\x00DIALECT\x002\x00FILTER\x00@price > $a",
		"GROUPBY\x001\x00@cat\x00REDUCE\x00FIRST_VALUE\x004\x00@title\x00BY\x00@price\x00DESC",
		"GROUPBY\x001\x00@cat\x00REDUCE\x00QUANTILE\x002\x00@price\x000.5\x00AS\x00q",
		"VERBATIM\x00SCORER\x00BM25\x00ADDSCORES\x00TIMEOUT\x0010",
		"SORTBY\x00-1",
		"LIMIT\x00 0x10\x001e3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		args := strings.Split(in, "\x00")
		r, err := Parse(args, DefaultOptions())
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Msg == "" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		_ = r.CheckContext(nil, nil)
		if err := r.Check(goldenSchemas["idx"]); err != nil && err.Error() == "" {
			t.Fatal("empty check error")
		}
		for _, st := range r.Steps {
			if l, ok := st.(*LoadStep); ok {
				_, _ = l.Fields()
			}
		}
		r2, err := Parse(args, DefaultOptions())
		if err != nil || len(r2.Steps) != len(r.Steps) {
			t.Fatalf("not deterministic: %v", err)
		}
	})
}
