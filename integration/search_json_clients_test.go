package integration

import (
	"context"
	"reflect"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestSearchJSONGoRedis: the JSON + search flow of go-redis v9's examples
// (FTCreate with OnJSON, JSONSet, FTSearch), RESP2 and RESP3, on a shard
// with both modules. The expected documents are the module's replies as
// go-redis decodes them: the whole document under "$" (test_json.py
// testSearchUpdatedContent), a RETURN path under its name or alias, the
// first match below DIALECT 3 (test_json_multi_tag.py
// testMultiTagReturnBWC).
func TestSearchJSONGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New(), rejson.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		st, err := c.FTCreate(ctx, "idx", &redis.FTCreateOptions{OnJSON: true, Prefix: []any{"p:"}},
			&redis.FieldSchema{FieldName: "$.name", As: "name", FieldType: redis.SearchFieldTypeText},
			&redis.FieldSchema{FieldName: "$.tags[*]", As: "tags", FieldType: redis.SearchFieldTypeTag},
			&redis.FieldSchema{FieldName: "$.price", As: "price", FieldType: redis.SearchFieldTypeNumeric, Sortable: true},
			&redis.FieldSchema{FieldName: "$.loc", As: "loc", FieldType: redis.SearchFieldTypeGeo},
			&redis.FieldSchema{FieldName: "$.vec", As: "vec", FieldType: redis.SearchFieldTypeVector,
				VectorArgs: &redis.FTVectorArgs{FlatOptions: &redis.FTFlatOptions{Type: "FLOAT32", Dim: 2, DistanceMetric: "L2"}}},
		).Result()
		mustOK(t, err)
		if st != "OK" {
			t.Fatalf("FTCreate = %q", st)
		}
		p1 := `{"name":"red apple","tags":["fruit","red"],"price":3,"loc":"2.35,48.85","vec":[0,0]}`
		p2 := `{"name":"green pear","tags":["fruit","green"],"price":1.5,"loc":"-0.12,51.5","vec":[1,0]}`
		mustOK(t, c.JSONSet(ctx, "p:1", "$", p1).Err())
		mustOK(t, c.JSONSet(ctx, "p:2", "$", p2).Err())

		res, err := c.FTSearchWithArgs(ctx, "idx", "@tags:{fruit}", &redis.FTSearchOptions{
			SortBy: []redis.FTSearchSortBy{{FieldName: "price"}}}).Result()
		mustOK(t, err)
		var got []any
		for _, d := range res.Docs {
			got = append(got, d.ID, d.Fields)
		}
		// SORTBY's value comes with the document (test_json.py testMOD1853).
		want := []any{"p:2", map[string]string{"price": "1.5", "$": p2}, "p:1", map[string]string{"price": "3", "$": p1}}
		if res.Total != 2 || !reflect.DeepEqual(got, want) {
			t.Errorf("FTSearch: total %d, %v; want 2, %v", res.Total, got, want)
		}

		res, err = c.FTSearchWithArgs(ctx, "idx", "@tags:{red}", &redis.FTSearchOptions{
			Return: []redis.FTSearchReturn{{FieldName: "$.name", As: "n"}, {FieldName: "$.tags"}, {FieldName: "$.tags[*]", As: "first"}}}).Result()
		mustOK(t, err)
		if res.Total != 1 || len(res.Docs) != 1 || res.Docs[0].ID != "p:1" ||
			!reflect.DeepEqual(res.Docs[0].Fields, map[string]string{"n": "red apple", "$.tags": `["fruit","red"]`, "first": "fruit"}) {
			t.Errorf("FTSearch RETURN: %+v", res)
		}

		// JSON.ARRAPPEND reindexes before the next command.
		mustOK(t, c.JSONArrAppend(ctx, "p:2", "$.tags", `"red"`).Err())
		ids := goRedisSearchIDs(t, c, "idx", "@tags:{red}", &redis.FTSearchOptions{SortBy: []redis.FTSearchSortBy{{FieldName: "price", Desc: true}}})
		if !reflect.DeepEqual(ids, []string{"p:1", "p:2"}) {
			t.Errorf("after JSONArrAppend: %v", ids)
		}

		info, err := c.FTInfo(ctx, "idx").Result()
		mustOK(t, err)
		if info.IndexDefinition.KeyType != "JSON" || info.NumDocs != 2 {
			t.Errorf("FTInfo: key type %q, %d docs", info.IndexDefinition.KeyType, info.NumDocs)
		}
		ids2 := map[string]string{}
		for _, a := range info.Attributes {
			ids2[a.Attribute] = a.Identifier
		}
		if ids2["tags"] != "$.tags[*]" || ids2["name"] != "$.name" {
			t.Errorf("FTInfo attributes: %v", ids2)
		}
	})
}

// TestSearchJSONRedisPy: redis-py 4.3's create_index with
// IndexDefinition(index_type=IndexType.JSON) and r.json().set
// (py/test_search_json_redispy.py).
func TestSearchJSONRedisPy(t *testing.T) { runModulePytest(t, "py/test_search_json_redispy.py") }
