package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchJSONHighlight: Redis 8.2's search refuses HIGHLIGHT and
// SUMMARIZE on a JSON index, whatever the fields (RediSearch PR #5075,
// MOD-7551, backported to 8.0: "FT.SEARCH idx 'john' summarize" and
// "FT.SEARCH idx * HIGHLIGHT" on `FT.CREATE idx on json schema $.name AS
// name TEXT` both reply "HIGHLIGHT/SUMMARIZE is not supported with JSON
// indexes", without ERR). The check comes before the query is parsed, so
// a bad query gets it too; a hash index still highlights.
func TestSearchJSONHighlight(t *testing.T) {
	runJSONAcceptance(t, []acceptanceCase{
		{"JH highlight and summarize refused on JSON", func(s *session) {
			const refused = "-HIGHLIGHT/SUMMARIZE is not supported with JSON indexes\r\n"
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.name", "AS", "name", "TEXT", OK)
			s.must("JSON.SET", "doc:1", "$", `{"name":"john smith"}`, OK)
			s.waitIndexed("idx")
			s.must("FT.SEARCH", "idx", "john", "SUMMARIZE", refused)
			s.must("FT.SEARCH", "idx", "*", "HIGHLIGHT", refused)
			s.must("FT.SEARCH", "idx", "john", "RETURN", "1", "name", "HIGHLIGHT", "FIELDS", "1", "name", refused)
			s.must("FT.SEARCH", "idx", "john", "SUMMARIZE", "FIELDS", "1", "name", "LEN", "3", refused)
			s.must("FT.SEARCH", "idx", "(john", "HIGHLIGHT", refused)
			s.search(cmd("FT.SEARCH", "idx", "john", "NOCONTENT"), Arr(Int(1), Bulk("doc:1")))
			s.must("HSET", "h:1", "name", "john smith", Int(1))
			s.must("FT.CREATE", "hidx", "ON", "HASH", "PREFIX", "1", "h:", "SCHEMA", "name", "TEXT", OK)
			s.waitIndexed("hidx")
			s.search(cmd("FT.SEARCH", "hidx", "john", "HIGHLIGHT"), Arr(Int(1), Bulk("h:1"), Arr(Bulk("name"), Bulk("<b>john</b> smith"))))
		}},
	})
}
