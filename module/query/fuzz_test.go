package query

import "testing"

// FuzzParse checks that Parse never panics in either dialect and that
// Explain never panics on what Parse returns.
func FuzzParse(f *testing.F) {
	f.Add("hello world")
	f.Fuzz(func(t *testing.T, q string) {
		for _, dialect := range []int{1, 2, 3} {
			opts := goldenOptions("idx", nil)
			opts.Dialect = dialect
			opts.Compat210 = dialect != 3 // 3 parses as 2: try it with 8.2's checks
			opts.Params = map[string]string{"p": "1", "w": "word"}
			n, err := Parse(q, opts)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("Parse(%q) error type %T", q, err)
				}
				continue
			}
			if n == nil {
				t.Fatalf("Parse(%q) returned nil node and nil error", q)
			}
			_ = Explain(n, ExplainOptions{Schema: goldenSchemas["idx"], Expand: stemExpand})
		}
	})
}
