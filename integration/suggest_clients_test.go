package integration

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestSuggestRedisPy drives suggestions, spell check and dictionaries
// through redis-py 4.3's helpers (py/test_suggest_redispy.py).
func TestSuggestRedisPy(t *testing.T) { runModulePytest(t, "py/test_suggest_redispy.py") }

// TestSuggestGoRedis drives FT.SPELLCHECK and the dictionaries through
// go-redis v9's helpers (FTSpellCheck, FTSpellCheckWithArgs, FTDictAdd,
// FTDictDel, FTDictDump) and FT.SUG* through Do (go-redis has no helper for
// them), in RESP2 and RESP3.
func TestSuggestGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {

		// Suggestions, through Do.
		for i, sug := range []string{"hello world", "hello werld", "help"} {
			n, err := c.Do(ctx, "FT.SUGADD", "ac", sug, i+1).Int()
			if err != nil || n != i+1 {
				t.Fatalf("FT.SUGADD %s: %d %v", sug, n, err)
			}
		}
		got, err := c.Do(ctx, "FT.SUGGET", "ac", "hel", "WITHSCORES").Slice()
		mustOK(t, err)
		// By hand: help 3/sqrt(1+1), hello werld 2/sqrt(1+8), hello
		// world 1/sqrt(9), as floats.
		want := []any{"help", float64(float32(3 / math.Sqrt(2))), "hello werld", float64(float32(2.0 / 3)),
			"hello world", float64(float32(1.0 / 3))}
		if len(got) != len(want) {
			t.Fatalf("FT.SUGGET: %v", got)
		}
		for i := range got {
			if f, ok := want[i].(float64); ok {
				g, err := toFloat(got[i])
				if err != nil || g != f {
					t.Errorf("FT.SUGGET score %d: %v, want %v", i, got[i], f)
				}
			} else if got[i] != want[i] {
				t.Errorf("FT.SUGGET %d: %v, want %v", i, got[i], want[i])
			}
		}
		if n, err := c.Do(ctx, "FT.SUGLEN", "ac").Int(); err != nil || n != 3 {
			t.Errorf("FT.SUGLEN: %d %v", n, err)
		}
		if n, err := c.Do(ctx, "FT.SUGDEL", "ac", "help").Int(); err != nil || n != 1 {
			t.Errorf("FT.SUGDEL: %d %v", n, err)
		}
		if typ, err := c.Type(ctx, "ac").Result(); err != nil || typ != "trietype0" {
			t.Errorf("TYPE: %q %v", typ, err)
		}

		// Spell check and dictionaries, through the FT helpers.
		mustOK(t, c.FTCreate(ctx, "idx", &redis.FTCreateOptions{OnHash: true},
			&redis.FieldSchema{FieldName: "f1", FieldType: redis.SearchFieldTypeText},
			&redis.FieldSchema{FieldName: "f2", FieldType: redis.SearchFieldTypeText}).Err())
		mustOK(t, c.HSet(ctx, "doc1", "f1", "some valid content", "f2", "this is sample text").Err())
		mustOK(t, c.HSet(ctx, "doc2", "f1", "very important", "f2", "lorem ipsum").Err())
		res, err := c.FTSpellCheck(ctx, "idx", "impornant").Result()
		mustOK(t, err)
		if w := []redis.SpellCheckResult{{Term: "impornant", Suggestions: []redis.SpellCheckSuggestion{{Score: 0.5, Suggestion: "important"}}}}; !reflect.DeepEqual(res, w) {
			t.Errorf("FTSpellCheck: %+v", res)
		}
		if n, err := c.FTDictAdd(ctx, "dict", "lore", "lorem", "lorm").Result(); err != nil || n != 3 {
			t.Errorf("FTDictAdd: %d %v", n, err)
		}
		res, err = c.FTSpellCheckWithArgs(ctx, "idx", "lorm", &redis.FTSpellCheckOptions{
			Distance: 1, Terms: &redis.FTSpellCheckTerms{Inclusion: "INCLUDE", Dictionary: "dict"}}).Result()
		mustOK(t, err)
		// lorem: the index's, in 1 document of 2; lore and lorm, the
		// dictionary's, 0 (in its order).
		w := []redis.SpellCheckResult{{Term: "lorm", Suggestions: []redis.SpellCheckSuggestion{
			{Score: 0.5, Suggestion: "lorem"}, {Score: 0, Suggestion: "lore"}, {Score: 0, Suggestion: "lorm"}}}}
		if !reflect.DeepEqual(res, w) {
			t.Errorf("FTSpellCheckWithArgs INCLUDE: %+v", res)
		}
		res, err = c.FTSpellCheckWithArgs(ctx, "idx", "lorm", &redis.FTSpellCheckOptions{
			Terms: &redis.FTSpellCheckTerms{Inclusion: "EXCLUDE", Dictionary: "dict"}}).Result()
		if err != nil || len(res) != 0 {
			t.Errorf("FTSpellCheckWithArgs EXCLUDE: %+v %v", res, err)
		}
		if _, err := c.FTSpellCheckWithArgs(ctx, "idx", "lorm", &redis.FTSpellCheckOptions{Distance: 5}).Result(); err == nil ||
			err.Error() != "bad distance given, distance must be a natural number between 1 to 4" {
			t.Errorf("DISTANCE 5: %v", err)
		}
		if n, err := c.FTDictDel(ctx, "dict", "lore", "nope").Result(); err != nil || n != 1 {
			t.Errorf("FTDictDel: %d %v", n, err)
		}
		if terms, err := c.FTDictDump(ctx, "dict").Result(); err != nil || !reflect.DeepEqual(terms, []string{"lorem", "lorm"}) {
			t.Errorf("FTDictDump: %q %v", terms, err)
		}
	})
}

// toFloat reads a score as go-redis gives it: a string (RESP2) or a
// float64 (RESP3).
func toFloat(v any) (float64, error) {
	switch v := v.(type) {
	case float64:
		return v, nil
	case string:
		var f float64
		_, err := fmt.Sscan(v, &f)
		return f, err
	}
	return 0, fmt.Errorf("%T", v)
}
