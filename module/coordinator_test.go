package module

import (
	"strings"
	"testing"
)

// TestEffectiveK: the K each shard is asked for under $SHARD_K_RATIO,
// max(ceil(K/n), ceil(K × ratio)) (calculateEffectiveK,
// src/shard_window_ratio.h), with the module's own examples.
func TestEffectiveK(t *testing.T) {
	for _, tc := range []struct {
		k     int64
		ratio float64
		n     int
		want  int64
	}{
		{100, 0.3, 3, 34}, // PR #6383: ceil(100/3) = 34 > ceil(30)
		{5, 0.1, 3, 2},    // test_insufficient_docs_per_shard: ceil(5/3) = 2
		{100, 0.9, 2, 90}, // ceil(90) > 50
		{100, 0.01, 3, 34},
		{10, 0.5, 2, 5},
		{10, 1, 3, 10},   // ratio 1: no change
		{10, 0.5, 1, 10}, // one shard: no change
		{0, 0.5, 3, 0},
	} {
		if got := effectiveK(tc.k, tc.ratio, tc.n); got != tc.want {
			t.Errorf("effectiveK(%d, %v, %d) = %d, want %d", tc.k, tc.ratio, tc.n, got, tc.want)
		}
	}
}

// TestKNNKToken finds the K of the root KNN clause, literal or $param,
// wherever KNN appears elsewhere in the query.
func TestKNNKToken(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"*=>[KNN 10 @v $B]", "10"},
		{"*=>[knn $K @v $B AS d]", "$K"},
		{"(@t:knn)=>[ KNN  7 @v $B]=>{$YIELD_DISTANCE_AS: d}", "7"},
		{"@t:{a}=>{$weight: 2}", ""},
		{"knn", ""},
	} {
		s, e := knnKToken(tc.q)
		got := ""
		if s >= 0 {
			got = tc.q[s:e]
		}
		if got != tc.want {
			t.Errorf("knnKToken(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestSplitRequiredFields takes the coordinator's trailing
// `_REQUIRED_FIELDS n name…` off a shard's arguments, and only that.
func TestSplitRequiredFields(t *testing.T) {
	split := func(s string) []string {
		args, req := splitRequiredFields(bytesArgs(strings.Fields(s)))
		var out []string
		for _, a := range args {
			out = append(out, string(a))
		}
		return append(out, "|"+strings.Join(req, ","))
	}
	for _, tc := range []struct{ in, want string }{
		{"_FT.SEARCH idx q LIMIT 0 5 _REQUIRED_FIELDS 1 __v_score", "_FT.SEARCH idx q LIMIT 0 5 |__v_score"},
		{"_FT.SEARCH idx q _REQUIRED_FIELDS 2 a b", "_FT.SEARCH idx q |a,b"},
		// Not the coordinator's: a count that does not end the command.
		{"_FT.SEARCH idx q PARAMS 2 x _REQUIRED_FIELDS", "_FT.SEARCH idx q PARAMS 2 x _REQUIRED_FIELDS |"},
		{"_FT.SEARCH idx q _REQUIRED_FIELDS 2 a", "_FT.SEARCH idx q _REQUIRED_FIELDS 2 a |"},
	} {
		if got := split(tc.in); strings.Join(got, " ") != tc.want {
			t.Errorf("split(%q) = %q, want %q", tc.in, strings.Join(got, " "), tc.want)
		}
	}
}

func bytesArgs(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}
