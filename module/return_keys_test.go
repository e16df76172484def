package module

import (
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// firstResultFields runs an FT.SEARCH and returns its first result's
// fields as the flat [name, value, ...] list of the reply, in order.
func firstResultFields(t *testing.T, c *testutil.Conn, args ...string) []string {
	t.Helper()
	r := c.Do(append([]string{"FT.SEARCH"}, args...)...)
	if r.Type == redcon.Error {
		t.Fatalf("FT.SEARCH %q: %s", args, r.String())
	}
	var out []string
	i := 0
	r.ForEach(func(v resp.Reply) bool {
		if i == 2 {
			v.ForEach(func(f resp.Reply) bool {
				out = append(out, f.String())
				return true
			})
			return false
		}
		i++
		return true
	})
	return out
}

// TestReturnKeysByName checks that RETURN's fields are the module's lookup
// keys, found by name: an AS alias is a key of its own, so SORTBY,
// SUMMARIZE and HIGHLIGHT naming the field's path neither move it ahead of
// the other RETURN fields nor process it. The documents come from the
// seed-3 corpus (redisearch-2.10.25-seed3/setup.jsonl) and the expected
// replies from its search.jsonl: line 64 (B_body not highlighted), 1623
// (cat before R_rating under SORTBY rating) and, for the order under
// SORTBY cat, 2898 (R_rating before C_cat).
func TestReturnKeysByName(t *testing.T) {
	_, c := searchServer(t)
	mustDoOK(t, c, "FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA",
		"title", "TEXT", "WEIGHT", "2", "SORTABLE", "body", "TEXT", "tags", "TAG", "cat", "TAG", "SORTABLE",
		"price", "NUMERIC", "SORTABLE", "rating", "NUMERIC", "loc", "GEO")
	mustHSet(t, c, "doc:532", "title", "Trust the getting", "body", "These picks is column correct room as. Salt involved to months be happiness 2024 buffers articles places getting about truths. EBay: is deserved, articles.", "tags", "e-commerce,history,science", "cat", "travel", "price", "0", "rating", "1", "loc", "2.632239,49.083511", "extra", "visits extends")
	mustHSet(t, c, "doc:2324", "body", "NUMBER informs can't connector failed. 10 tenants workers senator prince, bricks computers. Easy configures, as; wild (organize) drug but are wild wild these.", "title", "West quickly silly rush", "loc", "2.087413,49.081179", "tags", "Cloud", "cat", "Books", "price", "315", "rating", "1.5")

	body2324 := "NUMBER informs can't connector failed. 10 tenants workers senator prince, bricks computers. Easy configures, as; wild (organize) drug but are wild wild these."
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"HIGHLIGHT FIELDS body leaves body AS B_body alone (seed-3 line 64)",
			[]string{"idx", "getting", "HIGHLIGHT", "FIELDS", "2", "title", "body", "RETURN", "3", "body", "AS", "B_body", "DIALECT", "2"},
			[]string{"B_body", "These picks is column correct room as. Salt involved to months be happiness 2024 buffers articles places getting about truths. EBay: is deserved, articles."}},
		{"SORTBY rating does not lead rating AS R_rating (seed-3 line 1623)",
			[]string{"idx", "(rush|avoid|@title:zucchini) @title:(RUSH|west)", "SORTBY", "rating", "ASC", "RETURN", "5", "cat", "rating", "AS", "R_rating", "body", "FILTER", "price", "(300", "337", "LIMIT", "0", "6", "VERBATIM"},
			[]string{"cat", "Books", "R_rating", "1.5", "body", body2324}},
		{"SORTBY cat does not lead cat AS C_cat (as seed-3 line 2898)",
			[]string{"idx", "@title:west", "RETURN", "6", "rating", "AS", "R_rating", "cat", "AS", "C_cat", "SORTBY", "cat", "ASC", "DIALECT", "1"},
			[]string{"R_rating", "1.5", "C_cat", "Books"}},
	}
	for _, tc := range cases {
		if got := firstResultFields(t, c, tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
	}
}
