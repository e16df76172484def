package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestEmptyMissingRedisPy: INDEXEMPTY / INDEXMISSING through redis-py 4.3's
// search client (py/test_empty_missing_redispy.py).
func TestEmptyMissingRedisPy(t *testing.T) { runModulePytest(t, "py/test_empty_missing_redispy.py") }

// TestEmptyMissingGoRedis: the same flows through go-redis v9
// (FieldSchema.IndexEmpty / IndexMissing, FTSearchWithArgs with
// DialectVersion), in RESP2 and RESP3. Expected documents are those of
// RediSearch 8.2's test_empty.py and test_missing.py.
func TestEmptyMissingGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		mustOK(t, c.FTCreate(ctx, "idx", &redis.FTCreateOptions{},
			&redis.FieldSchema{FieldName: "t", FieldType: redis.SearchFieldTypeTag, IndexEmpty: true, IndexMissing: true},
			&redis.FieldSchema{FieldName: "text", FieldType: redis.SearchFieldTypeText}).Err())
		for key, fields := range map[string][]any{
			"h1": {"t", ""}, "h2": {"t", "bar,"}, "h3": {"t", "bar"}, "h4": {"text", "no tag here"},
		} {
			mustOK(t, c.HSet(ctx, key, fields...).Err())
		}
		search := func(q string, opts *redis.FTSearchOptions) []string {
			t.Helper()
			if opts == nil {
				opts = &redis.FTSearchOptions{}
			}
			opts.DialectVersion = 2
			return goRedisSearchIDs(t, c, "idx", q, opts)
		}
		byKey := &redis.FTSearchOptions{SortBy: []redis.FTSearchSortBy{{FieldName: "t", Asc: true}}}
		if got := search(`@t:{""}`, byKey); !slices.Equal(got, []string{"h1", "h2"}) {
			t.Errorf(`@t:{""}: %v, want [h1 h2]`, got)
		}
		if got := search("ismissing(@t)", nil); !slices.Equal(got, []string{"h4"}) {
			t.Errorf("ismissing(@t): %v, want [h4]", got)
		}
		got := search("-ismissing(@t)", nil)
		slices.Sort(got)
		if !slices.Equal(got, []string{"h1", "h2", "h3"}) {
			t.Errorf("-ismissing(@t): %v, want [h1 h2 h3]", got)
		}
		err := c.FTSearchWithArgs(ctx, "idx", `@text:""`, &redis.FTSearchOptions{DialectVersion: 2}).Err()
		if err == nil || err.Error() != "Use `INDEXEMPTY` in field creation in order to index and query for empty strings" {
			t.Errorf(`@text:"": %v`, err)
		}
		err = c.FTSearchWithArgs(ctx, "idx", "ismissing(@text)", &redis.FTSearchOptions{DialectVersion: 2}).Err()
		if err == nil || err.Error() != "'ismissing' requires field 'text' to be defined with 'INDEXMISSING'" {
			t.Errorf("ismissing(@text): %v", err)
		}
		// FT.CREATE as go-redis sent it (its FTAttribute has no field
		// for these flags): the flags in FT.INFO's raw reply.
		raw, err := c.Do(ctx, "FT.INFO", "idx").Result()
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(raw); !containsAll(s, "INDEXEMPTY", "INDEXMISSING") {
			t.Errorf("FT.INFO: %s", s)
		}
	})
}
