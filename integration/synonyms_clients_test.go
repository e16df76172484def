package integration

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestSynonymsRedisPy drives synonyms and phonetic fields through redis-py
// 4.3's search client: py/test_synonyms_redispy.py.
func TestSynonymsRedisPy(t *testing.T) { runModulePytest(t, "py/test_synonyms_redispy.py") }

// TestSynonymsGoRedis drives FT.SYNUPDATE, FT.SYNDUMP and PHONETIC fields
// through go-redis v9 (FTSynUpdate, FTSynUpdateWithArgs, FTSynDump,
// FieldSchema.PhoneticMatcher), in RESP2 and RESP3.
func TestSynonymsGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		proto := c.Options().Protocol
		status, err := c.FTCreate(ctx, "idx", &redis.FTCreateOptions{OnHash: true},
			&redis.FieldSchema{FieldName: "title", FieldType: redis.SearchFieldTypeText},
			&redis.FieldSchema{FieldName: "name", FieldType: redis.SearchFieldTypeText, PhoneticMatcher: "dm:en"},
		).Result()
		mustOK(t, err)
		if status != "OK" {
			t.Fatalf("FTCreate: %q", status)
		}

		checkSynDump := func(want []redis.FTSynDumpResult) {
			t.Helper()
			got, err := c.FTSynDump(ctx, "idx").Result()
			mustOK(t, err)
			if proto == 3 {
				// A map: go-redis builds the slice in its map's order.
				sortSynDump(got)
				want = slices.Clone(want)
				sortSynDump(want)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("FTSynDump = %v, want %v", got, want)
			}
		}
		checkSynDump(nil)

		// The groups of test_synonyms.py's testSynonymDump, in the
		// module's order (see the acceptance test "FT.SYNDUMP").
		mustOK(t, c.FTSynUpdate(ctx, "idx", "id1", []interface{}{"boy", "child", "offspring"}).Err())
		mustOK(t, c.FTSynUpdateWithArgs(ctx, "idx", "id2", &redis.FTSynUpdateOptions{SkipInitialScan: true},
			[]interface{}{"baby", "child"}).Err())
		if st := c.FTSynUpdate(ctx, "idx", "id3", []interface{}{"tree", "wood"}).Val(); st != "OK" {
			t.Fatalf("FTSynUpdate: %q", st)
		}
		checkSynDump([]redis.FTSynDumpResult{
			{Term: "baby", Synonyms: []string{"id2"}},
			{Term: "wood", Synonyms: []string{"id3"}},
			{Term: "boy", Synonyms: []string{"id1"}},
			{Term: "tree", Synonyms: []string{"id3"}},
			{Term: "child", Synonyms: []string{"id1", "id2"}},
			{Term: "offspring", Synonyms: []string{"id1"}},
		})

		mustOK(t, c.HSet(ctx, "doc1", "title", "he is a boy").Err())
		mustOK(t, c.HSet(ctx, "doc2", "title", "she is a baby").Err())
		mustOK(t, c.HSet(ctx, "doc3", "name", "jon smith").Err())
		mustOK(t, c.HSet(ctx, "doc4", "name", "john jones").Err())
		search := func(q string, opts *redis.FTSearchOptions) []string {
			t.Helper()
			if opts == nil {
				opts = &redis.FTSearchOptions{}
			}
			opts.NoContent = true
			res, err := c.FTSearchWithArgs(ctx, "idx", q, opts).Result()
			mustOK(t, err)
			return sortedDocIDs(res)
		}
		if got := search("child", &redis.FTSearchOptions{Expander: "SYNONYM"}); !slices.Equal(got, []string{"doc1", "doc2"}) {
			t.Errorf("child (SYNONYM): %v", got)
		}
		if got := search("offspring", nil); !slices.Equal(got, []string{"doc1"}) {
			t.Errorf("offspring: %v", got)
		}
		if got := search("@name:john", nil); !slices.Equal(got, []string{"doc3", "doc4"}) {
			t.Errorf("@name:john: %v", got)
		}
		if got := search("@name:john=>{$phonetic:false}", nil); !slices.Equal(got, []string{"doc4"}) {
			t.Errorf("@name:john=>{$phonetic:false}: %v", got)
		}
		_, err = c.FTSearchWithArgs(ctx, "idx", "@title:boy=>{$phonetic:true}", &redis.FTSearchOptions{}).Result()
		if err == nil || err.Error() != "field does not support phonetics" {
			t.Errorf("$phonetic on a plain field: %v", err)
		}

		// A new group without SKIPINITIALSCAN re-indexes the documents.
		mustOK(t, c.FTSynUpdate(ctx, "idx", "id4", []interface{}{"girl", "she"}).Err())
		waitIndexed(t, ctx, c, "idx", 4)
		if got := search("girl", nil); !slices.Equal(got, []string{"doc2"}) {
			t.Errorf("girl after the re-indexing scan: %v", got)
		}
		info, err := c.FTInfo(ctx, "idx").Result()
		mustOK(t, err)
		if len(info.Attributes) != 2 || info.Attributes[1].Attribute != "name" || info.Attributes[1].Type != "TEXT" {
			t.Errorf("FTInfo attributes: %+v", info.Attributes)
		}

		// Errors, as go-redis reports them.
		err = c.FTSynUpdate(ctx, "nosuch", "id1", []interface{}{"a"}).Err()
		if err == nil || err.Error() != "nosuch: no such index" {
			t.Errorf("FTSynUpdate on a missing index: %v", err)
		}
		if err := c.FTSynDump(ctx, "nosuch").Err(); err == nil || err.Error() != "nosuch: no such index" {
			t.Errorf("FTSynDump on a missing index: %v", err)
		}
		_, err = c.FTCreate(ctx, "bad", &redis.FTCreateOptions{},
			&redis.FieldSchema{FieldName: "t", FieldType: redis.SearchFieldTypeText, PhoneticMatcher: "dm:xx"}).Result()
		if err == nil || !strings.HasPrefix(err.Error(), "Matcher Format: <2 chars algorithm>:<2 chars language>.") {
			t.Errorf("FTCreate with a bad matcher: %v", err)
		}
	})
}

func sortSynDump(r []redis.FTSynDumpResult) {
	slices.SortFunc(r, func(a, b redis.FTSynDumpResult) int { return strings.Compare(a.Term, b.Term) })
}

// TestSynonymsConcurrentQueries runs queries on the worker pool (their
// expansion looks words up in the synonym map, advancing its rehash) while
// FT.SYNUPDATE grows the map and documents are written: under -race it
// checks that the map's own lock covers the lookups that the index's read
// lock does not serialize. Every reply must be well formed; at the end the
// map holds every word added.
func TestSynonymsConcurrentQueries(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	ctx := context.Background()
	c := newGoRedis(t, s.Addr(), 2)
	mustOK(t, c.ConfigSet(ctx, "search-workers", "2").Err())
	_, err := c.FTCreate(ctx, "idx", &redis.FTCreateOptions{OnHash: true},
		&redis.FieldSchema{FieldName: "t", FieldType: redis.SearchFieldTypeText, PhoneticMatcher: "dm:en"}).Result()
	mustOK(t, err)
	const n = 150
	errs := make(chan error, 4)
	go func() {
		for i := 0; i < n; i++ {
			if err := c.FTSynUpdateWithArgs(ctx, "idx", fmt.Sprint("g", i%7), &redis.FTSynUpdateOptions{SkipInitialScan: true},
				[]interface{}{fmt.Sprint("w", i), "child"}).Err(); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	go func() {
		for i := 0; i < n; i++ {
			if err := c.HSet(ctx, fmt.Sprint("doc", i), "t", fmt.Sprintf("w%d child jones", i)).Err(); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	for q := 0; q < 2; q++ {
		go func() {
			for i := 0; i < n; i++ {
				if _, err := c.FTSearchWithArgs(ctx, "idx", fmt.Sprint("w", i, " child"), &redis.FTSearchOptions{NoContent: true}).Result(); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 4; i++ {
		mustOK(t, <-errs)
	}
	dump, err := c.FTSynDump(ctx, "idx").Result()
	mustOK(t, err)
	if len(dump) != n+1 {
		t.Fatalf("FTSynDump has %d words, want %d", len(dump), n+1)
	}
	for _, e := range dump {
		if e.Term == "child" && len(e.Synonyms) != 7 {
			t.Fatalf("child in %v, want the 7 groups", e.Synonyms)
		}
	}
}
