package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceReplyShapes checks byte for byte the FT.SEARCH reply of
// §1.1 (RESP2) and §1.2 (RESP3): in RESP3 the map keys and the format are
// simple strings, in the 8.2 emission order (the other cases compare maps by
// key).
func TestSearchAcceptanceReplyShapes(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"FT.SEARCH exact bytes", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "doc1", "t", "foo", Int(1))
			want := Arr(Int(1), Bulk("doc1"), Strs("t", "foo"))
			wantNoContent := Arr(Int(1), Bulk("doc1"))
			wantCount := Arr(Int(1))
			if s.proto == 3 {
				result := func(doc ...string) string {
					return Map3(Status("attributes"), Arr(), Status("format"), Status("STRING"),
						Status("results"), Arr(doc...), Status("total_results"), Int(1), Status("warning"), Arr())
				}
				want = result(Map3(Status("id"), Bulk("doc1"), Status("extra_attributes"), Map3(Bulk("t"), Bulk("foo")), Status("values"), Arr()))
				wantNoContent = result(Map3(Status("id"), Bulk("doc1"), Status("values"), Arr()))
				wantCount = result()
			}
			MustDo(s.t, s.c, "FT.SEARCH", "idx", "foo", want)
			MustDo(s.t, s.c, "FT.SEARCH", "idx", "foo", "NOCONTENT", wantNoContent)
			MustDo(s.t, s.c, "FT.SEARCH", "idx", "foo", "LIMIT", "0", "0", wantCount)
		}},
	})
}

// TestSearchAcceptanceHelpers checks that the comparison of the suite can
// fail: a suite that cannot fail proves nothing.
func TestSearchAcceptanceHelpers(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		same      bool
	}{
		{Arr(Int(1), Bulk("a")), Arr(Int(1), Bulk("a")), true},
		{Arr(Int(1), Bulk("a")), Arr(Int(1), Status("a")), false},
		{Arr(Int(1), Bulk("a")), Arr(Int(2), Bulk("a")), false},
		{Bulk("a"), Nil, false},
		{score("0.28768210225410284"), Bulk("0.2876821022541028"), true},
		{score("0.28768210225410284"), Bulk("0.2876821"), false},
		{score("0.28768210225410284"), Double3("0.28768210225410284"), false},
		{score("0"), Bulk("0"), true},
		{score("0"), Bulk("1e-300"), false},
		{anyOrder(Bulk("a"), Bulk("b")), Arr(Bulk("b"), Bulk("a")), true},
		{anyOrder(Bulk("a"), Bulk("b")), Arr(Bulk("a"), Bulk("a")), false},
		{pairsAnyOrder("k1", "v1", "k2", "v2"), Strs("k2", "v2", "k1", "v1"), true},
		{pairsAnyOrder("k1", "v1", "k2", "v2"), Strs("k1", "v2", "k2", "v1"), false},
		{Set3(Bulk("a"), Bulk("b")), Set3(Bulk("b"), Bulk("a")), true},
		{Set3(Bulk("a"), Bulk("b")), Arr(Bulk("a"), Bulk("b")), false},
		{Map3(Status("k"), Int(1), Status("j"), Int(2)), Map3(Bulk("j"), Int(2), Bulk("k"), Int(1)), true},
		{Map3(Status("k"), Int(1)), Map3(Status("k"), Int(2)), false},
		{Err("No such index x"), Err("No such index y"), false},
	} {
		d := diff(parseRaw(t, tc.want), parseRaw(t, tc.got), "")
		if (d == "") != tc.same {
			t.Errorf("diff(%q, %q) = %q, want same=%v", tc.want, tc.got, d, tc.same)
		}
	}
}
