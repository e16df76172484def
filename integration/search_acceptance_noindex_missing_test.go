package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceNoIndexMissing: a field may not be both NOINDEX and
// INDEXMISSING. The 8.2 module (spec.c parseFieldSpec) checks it for every
// field type but VECTOR, after the type's own options and the SORTABLE /
// NOINDEX ones, and words it
//
//	'Field cannot be defined with both `NOINDEX` and `INDEXMISSING` `<name>` '
//
// (QueryError_SetWithUserDataFmt: the message, then " `%s` '" with the
// attribute's name; tests/pytests/test_missing.py testMissingValidations
// creates 'f1' TAG INDEXMISSING NOINDEX). Options are read in the module's
// steps: INDEXMISSING is a TEXT or TAG option, or the word right after
// NUMERIC, GEO or the GEOSHAPE coordinate system, and SORTABLE / NOINDEX
// come after; a word out of its step names the next field. A vector takes
// INDEXMISSING alone after its parameters, and nothing of the last step.
func TestSearchAcceptanceNoIndexMissing(t *testing.T) {
	both := func(name string) string {
		return Err("'Field cannot be defined with both `NOINDEX` and `INDEXMISSING` `" + name + "` '")
	}
	vec := []string{"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2"}
	runAcceptance(t, []acceptanceCase{
		{"every field type refuses both", func(s *session) {
			s.must("FT.CREATE", "idx3", "SCHEMA", "f1", "TAG", "INDEXMISSING", "NOINDEX", both("f1"))
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "NOSTEM", "INDEXMISSING", "SORTABLE", "NOINDEX", both("t"))
			s.must("FT.CREATE", "idx", "SCHEMA", "g", "TAG", "SEPARATOR", ";", "INDEXMISSING", "CASESENSITIVE", "NOINDEX", "SORTABLE", both("g"))
			s.must("FT.CREATE", "idx", "SCHEMA", "n", "NUMERIC", "INDEXMISSING", "NOINDEX", both("n"))
			s.must("FT.CREATE", "idx", "SCHEMA", "loc", "GEO", "INDEXMISSING", "SORTABLE", "NOINDEX", both("loc"))
			s.must("FT.CREATE", "idx", "SCHEMA", "gs", "GEOSHAPE", "FLAT", "INDEXMISSING", "NOINDEX", both("gs"))
			s.must("FT.CREATE", "idx", "SCHEMA", "gs", "GEOSHAPE", "INDEXMISSING", "NOINDEX", both("gs"))
			// The name is the attribute's (AS), and a field after a good one
			// fails the whole schema.
			s.must("FT.CREATE", "idx", "SCHEMA", "ok", "TEXT", "$.path", "AS", "alias", "TAG", "INDEXMISSING", "NOINDEX", both("alias"))
			s.must("FT.SEARCH", "idx", "*", Err("No such index idx"))
			// Either alone is fine.
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "INDEXMISSING", "SORTABLE", "n", "NUMERIC", "NOINDEX", OK)
		}},
		{"FT.ALTER refuses both and leaves the schema", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("FT.ALTER", "idx", "SCHEMA", "ADD", "n", "NUMERIC", "INDEXMISSING", "SORTABLE", "NOINDEX", both("n"))
			s.mustInfo("idx", "attributes", Arr(s.attribute(fieldAttr{name: "t", typ: "TEXT", weight: "1"})))
		}},
		{"INDEXMISSING out of its step names the next field", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "f1", "TAG", "NOINDEX", "INDEXMISSING", Err("Field `INDEXMISSING` does not have a type"))
			s.must("FT.CREATE", "idx", "SCHEMA", "n", "NUMERIC", "NOINDEX", "INDEXMISSING", Err("Field `INDEXMISSING` does not have a type"))
			s.must("FT.CREATE", "idx", "SCHEMA", "gs", "GEOSHAPE", "NOINDEX", "INDEXMISSING", Err("Field `INDEXMISSING` does not have a type"))
			// After SORTABLE, INDEXMISSING is a field of its own: the NUMERIC
			// field does not index missing values, and neither NOINDEX
			// clashes.
			s.must("FT.CREATE", "idx", "SCHEMA", "n", "NUMERIC", "SORTABLE", "NOINDEX", "INDEXMISSING", "TEXT", OK)
			s.mustInfo("idx", "attributes", Arr(
				s.attribute(fieldAttr{name: "n", typ: "NUMERIC", flags: []string{"SORTABLE", "UNF", "NOINDEX"}}),
				s.attribute(fieldAttr{name: "INDEXMISSING", typ: "TEXT", weight: "1"})))
		}},
		{"a vector's NOINDEX is the next field's name", func(s *session) {
			s.must(append(append([]string{"FT.CREATE", "idx", "SCHEMA", "v"}, vec...), "INDEXMISSING", "NOINDEX",
				Err("Field `NOINDEX` does not have a type"))...)
			s.must(append(append([]string{"FT.CREATE", "idx", "SCHEMA", "v"}, vec...), "INDEXMISSING", "NOINDEX", "TAG", OK)...)
		}},
	})
}
