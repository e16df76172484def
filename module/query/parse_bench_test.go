package query

import "testing"

// BenchmarkParseKNN parses searchbench -vectors' knn10 query, the parse a
// vector query pays on the main thread.
func BenchmarkParseKNN(b *testing.B) {
	opts := Options{Dialect: 2, Params: map[string]string{"B": string(make([]byte, 512))}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("*=>[KNN 10 @v $B AS d]", opts); err != nil {
			b.Fatal(err)
		}
	}
}
