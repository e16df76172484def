package query

import "testing"

// FuzzParse checks that Parse never panics in either dialect and that
// Explain (and Resolve, on vector clauses) never panics on what Parse
// returns.
func FuzzParse(f *testing.F) {
	f.Add("hello world")
	f.Add("@tags:{a}=>[KNN $p @title $w EF_RUNTIME 10 HYBRID_POLICY batches AS d]=>{$yield_distance_as: e; $weight: 2}")
	f.Add("@price:[VECTOR_RANGE 0.5 $w]=>{$EPSILON: 0.1; $YIELD_DISTANCE_AS: d} | (*)=>[knn 0 @loc $p]")
	f.Fuzz(func(t *testing.T, q string) {
		for _, dialect := range []int{1, 2, 3} {
			opts := goldenOptions("idx", nil)
			opts.Dialect = dialect
			opts.Compat210 = dialect != 3 // 3 parses as 2: try it with 8.2's checks
			opts.Params = map[string]string{"p": "1", "w": "word"}
			if dialect == 2 {
				opts.Schema = vecTestSchema // a schema with VECTOR fields
			}
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
			for _, algo := range []VectorAlgo{VectorFlat, VectorHNSW, VectorSVS} {
				_ = evalVectors(n, map[string]vecFieldSpec{"v": {algo, 8}, "title": {algo, 4}, "price": {algo, 4}})
			}
		}
	})
}
