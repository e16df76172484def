package integration

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// searchProducts are the hashes the go-redis search tests index (prefix
// "product:"), plus one key outside the prefix.
var searchProducts = map[string][]any{
	"product:1": {"name", "Red running shoes", "description", "light shoes for long runs", "price", "80", "brand", "acme", "loc", "-122.4194,37.7749"},
	"product:2": {"name", "Blue running shirt", "description", "a breathable shirt for runners", "price", "25", "brand", "acme,sport", "loc", "-73.9857,40.7484"},
	"product:3": {"name", "Green hiking boots", "description", "waterproof boots for the mountains", "price", "120", "brand", "trail", "loc", "-0.1276,51.5072"},
	"product:4": {"name", "Yellow rain jacket", "description", "the jacket keeps you dry in heavy rain", "price", "60", "brand", "trail", "loc", "2.3522,48.8566"},
	"product:5": {"name", "Black socks", "description", "warm socks", "price", "5", "brand", "sport", "loc", "13.4050,52.5200"},
	"other:1":   {"name", "running shoes outside the prefix", "price", "1"},
}

// TestSearchGoRedis drives the search commands through go-redis v9's FT API,
// in RESP2 and RESP3. go-redis v9.22+ parses RESP3 search replies itself (no
// UnstableResp3 gate), so both protocols are checked on the parsed results,
// and RESP3 additionally on the raw map.
func TestSearchGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		proto := c.Options().Protocol
		createProductIndex(t, ctx, c)
		for key, fields := range searchProducts {
			mustOK(t, c.HSet(ctx, key, fields...).Err())
		}

		t.Run("FTInfo", func(t *testing.T) { checkProductInfo(t, ctx, c) })
		t.Run("FTSearch", func(t *testing.T) { checkPlainSearch(t, ctx, c) })
		t.Run("FTSearchWithArgs", func(t *testing.T) { checkSearchWithArgs(t, ctx, c) })
		if proto == 3 {
			t.Run("RawRESP3", func(t *testing.T) { checkRawRESP3(t, ctx, c) })
		}
		t.Run("FTConfig", func(t *testing.T) { checkConfig(t, ctx, c) })
		t.Run("FTDropIndexWithArgs", func(t *testing.T) { checkDropIndex(t, ctx, c) })
	})
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func createProductIndex(t *testing.T, ctx context.Context, c *redis.Client) {
	t.Helper()
	status, err := c.FTCreate(ctx, "products",
		&redis.FTCreateOptions{OnHash: true, Prefix: []any{"product:"}},
		&redis.FieldSchema{FieldName: "name", FieldType: redis.SearchFieldTypeText, Weight: 3},
		&redis.FieldSchema{FieldName: "description", FieldType: redis.SearchFieldTypeText},
		&redis.FieldSchema{FieldName: "price", FieldType: redis.SearchFieldTypeNumeric, Sortable: true},
		&redis.FieldSchema{FieldName: "brand", FieldType: redis.SearchFieldTypeTag, Separator: ","},
		&redis.FieldSchema{FieldName: "loc", FieldType: redis.SearchFieldTypeGeo},
	).Result()
	if err != nil || status != "OK" {
		t.Fatalf("FTCreate = %q, %v", status, err)
	}
}

func checkProductInfo(t *testing.T, ctx context.Context, c *redis.Client) {
	info, err := c.FTInfo(ctx, "products").Result()
	if err != nil {
		t.Fatal(err)
	}
	if info.IndexName != "products" {
		t.Errorf("IndexName = %q", info.IndexName)
	}
	if info.NumDocs != 5 {
		t.Errorf("NumDocs = %d, want 5 (other:1 is outside the prefix)", info.NumDocs)
	}
	if info.Indexing != 0 {
		t.Errorf("Indexing = %d", info.Indexing)
	}
	if info.NumTerms == 0 || info.NumRecords == 0 || info.MaxDocID < 5 {
		t.Errorf("NumTerms=%d NumRecords=%d MaxDocID=%d", info.NumTerms, info.NumRecords, info.MaxDocID)
	}
	if info.IndexDefinition.KeyType != "HASH" || !slices.Equal(info.IndexDefinition.Prefixes, []string{"product:"}) {
		t.Errorf("IndexDefinition = %+v", info.IndexDefinition)
	}
	types := map[string]string{}
	weights := map[string]float64{}
	for _, a := range info.Attributes {
		types[a.Attribute] = a.Type
		weights[a.Attribute] = a.Weight
	}
	want := map[string]string{"name": "TEXT", "description": "TEXT", "price": "NUMERIC", "brand": "TAG", "loc": "GEO"}
	if fmt.Sprint(types) != fmt.Sprint(want) {
		t.Errorf("attribute types = %v, want %v", types, want)
	}
	if weights["name"] != 3 || weights["description"] != 1 {
		t.Errorf("weights = %v", weights)
	}
	for _, a := range info.Attributes {
		if a.Attribute == "price" && !a.Sortable {
			t.Errorf("price is not SORTABLE in FT.INFO: %+v", a)
		}
	}
	if _, err := c.FTInfo(ctx, "nosuch").Result(); err == nil || err.Error() != "nosuch: no such index" { // Redis 8.2 wording, as the module chose
		t.Errorf("FTInfo on a missing index: %v", err)
	}
}

func docIDs(res redis.FTSearchResult) []string {
	out := make([]string, len(res.Docs))
	for i, d := range res.Docs {
		out[i] = d.ID
	}
	return out
}

func sortedDocIDs(res redis.FTSearchResult) []string {
	out := docIDs(res)
	sort.Strings(out)
	return out
}

// checkPlainSearch: FTSearch sends no options (no DIALECT), so dialect 1.
func checkPlainSearch(t *testing.T, ctx context.Context, c *redis.Client) {
	res, err := c.FTSearch(ctx, "products", "running").Result()
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || fmt.Sprint(sortedDocIDs(res)) != "[product:1 product:2]" {
		t.Fatalf("FTSearch running = %+v", res)
	}
	for _, d := range res.Docs {
		// Every field of the hash, values as stored.
		want := map[string]string{}
		fields := searchProducts[d.ID]
		for i := 0; i < len(fields); i += 2 {
			want[fields[i].(string)] = fields[i+1].(string)
		}
		if fmt.Sprint(d.Fields) != fmt.Sprint(want) {
			t.Errorf("%s fields = %v, want %v", d.ID, d.Fields, want)
		}
		if d.Score != nil {
			t.Errorf("%s has a score without WITHSCORES", d.ID)
		}
	}
	res, err = c.FTSearch(ctx, "products", "nosuchword").Result()
	if err != nil || res.Total != 0 || len(res.Docs) != 0 {
		t.Fatalf("FTSearch nosuchword = %+v, %v", res, err)
	}
	if _, err := c.FTSearch(ctx, "nosuch", "x").Result(); err == nil || err.Error() != "No such index nosuch" {
		t.Fatalf("FTSearch on a missing index: %v", err)
	}
}

func checkSearchWithArgs(t *testing.T, ctx context.Context, c *redis.Client) {
	byPrice := []redis.FTSearchSortBy{{FieldName: "price", Asc: true}}
	tests := []struct {
		name      string
		query     string
		opts      redis.FTSearchOptions
		wantTotal int
		wantIDs   []string // in order; nil with sorted=true compares sorted
		sorted    bool
		check     func(t *testing.T, res redis.FTSearchResult)
	}{
		{name: "text", query: "shoes", wantTotal: 1, wantIDs: []string{"product:1"}},
		// "runs" in product:1 stems to "run".
		{name: "stemmed", query: "@description:run", wantTotal: 1, wantIDs: []string{"product:1"}},
		{name: "verbatim", query: "@description:run", opts: redis.FTSearchOptions{Verbatim: true},
			wantTotal: 0, wantIDs: []string{}},
		{name: "verbatim exact word", query: "@description:runs", opts: redis.FTSearchOptions{Verbatim: true},
			wantTotal: 1, wantIDs: []string{"product:1"}},
		{name: "numeric range", query: "@price:[25 80]", opts: redis.FTSearchOptions{SortBy: byPrice},
			wantTotal: 3, wantIDs: []string{"product:2", "product:4", "product:1"}},
		{name: "numeric exclusive", query: "@price:[(25 (80]", wantTotal: 1, wantIDs: []string{"product:4"}},
		{name: "tag", query: "@brand:{acme}", opts: redis.FTSearchOptions{SortBy: byPrice},
			wantTotal: 2, wantIDs: []string{"product:2", "product:1"}},
		{name: "tag union", query: "@brand:{sport|trail}", opts: redis.FTSearchOptions{SortBy: []redis.FTSearchSortBy{{FieldName: "price", Desc: true}}},
			wantTotal: 4, wantIDs: []string{"product:3", "product:4", "product:2", "product:5"}},
		{name: "geo", query: "@loc:[-122.4 37.8 50 km]", wantTotal: 1, wantIDs: []string{"product:1"}},
		{name: "geo filter", query: "*", opts: redis.FTSearchOptions{
			GeoFilter: []redis.FTSearchGeoFilter{{FieldName: "loc", Longitude: 2.3522, Latitude: 48.8566, Radius: 400, Unit: "km"}}, SortBy: byPrice},
			wantTotal: 2, wantIDs: []string{"product:4", "product:3"}},
		{name: "numeric filter", query: "*", opts: redis.FTSearchOptions{
			Filters: []redis.FTSearchFilter{{FieldName: "price", Min: 50, Max: "(120"}}, SortBy: byPrice},
			wantTotal: 2, wantIDs: []string{"product:4", "product:1"}},
		{name: "sort asc with paging", query: "*", opts: redis.FTSearchOptions{SortBy: byPrice, LimitOffset: 1, Limit: 2},
			wantTotal: 5, wantIDs: []string{"product:2", "product:4"}},
		{name: "sort desc", query: "*", opts: redis.FTSearchOptions{SortBy: []redis.FTSearchSortBy{{FieldName: "price", Desc: true}}},
			wantTotal: 5, wantIDs: []string{"product:3", "product:1", "product:4", "product:2", "product:5"}},
		{name: "page past the end", query: "*", opts: redis.FTSearchOptions{LimitOffset: 10, Limit: 5},
			wantTotal: 5, wantIDs: []string{}},
		{name: "count only", query: "*", opts: redis.FTSearchOptions{CountOnly: true},
			wantTotal: 5, wantIDs: []string{}},
		{name: "no content", query: "@brand:{trail}", opts: redis.FTSearchOptions{NoContent: true, SortBy: byPrice},
			wantTotal: 2, wantIDs: []string{"product:4", "product:3"},
			check: func(t *testing.T, res redis.FTSearchResult) {
				for _, d := range res.Docs {
					if len(d.Fields) != 0 {
						t.Errorf("NOCONTENT: %s has fields %v", d.ID, d.Fields)
					}
				}
			}},
		{name: "return", query: "@brand:{trail}", opts: redis.FTSearchOptions{
			Return: []redis.FTSearchReturn{{FieldName: "name"}, {FieldName: "price", As: "cost"}}, SortBy: byPrice},
			wantTotal: 2, wantIDs: []string{"product:4", "product:3"},
			check: func(t *testing.T, res redis.FTSearchResult) {
				got := fmt.Sprint(res.Docs[0].Fields, res.Docs[1].Fields)
				want := fmt.Sprint(map[string]string{"name": "Yellow rain jacket", "cost": "60"},
					map[string]string{"name": "Green hiking boots", "cost": "120"})
				if got != want {
					t.Errorf("RETURN fields = %s, want %s", got, want)
				}
			}},
		{name: "with scores", query: "shirt|socks|boots", opts: redis.FTSearchOptions{WithScores: true},
			wantTotal: 3, sorted: true, wantIDs: []string{"product:2", "product:3", "product:5"},
			check: func(t *testing.T, res redis.FTSearchResult) {
				prev := 0.0
				for i, d := range res.Docs {
					if d.Score == nil || *d.Score <= 0 {
						t.Fatalf("%s: score %v", d.ID, d.Score)
					}
					if i > 0 && *d.Score > prev {
						t.Errorf("scores not descending: %v after %v", *d.Score, prev)
					}
					prev = *d.Score
				}
			}},
		{name: "in order", query: "@description:(boots mountains)", opts: redis.FTSearchOptions{InOrder: true},
			wantTotal: 1, wantIDs: []string{"product:3"}},
		{name: "in order reversed", query: "@description:(mountains boots)", opts: redis.FTSearchOptions{InOrder: true},
			wantTotal: 0, wantIDs: []string{}},
		{name: "params", query: "@price:[$lo $hi]", opts: redis.FTSearchOptions{
			Params: map[string]any{"lo": 100, "hi": 200}},
			wantTotal: 1, wantIDs: []string{"product:3"}},
		{name: "inkeys", query: "running", opts: redis.FTSearchOptions{InKeys: []any{"product:2", "product:3"}},
			wantTotal: 1, wantIDs: []string{"product:2"}},
		{name: "infields", query: "shirt", opts: redis.FTSearchOptions{InFields: []any{"description"}},
			wantTotal: 1, wantIDs: []string{"product:2"}},
		{name: "infields miss", query: "runners", opts: redis.FTSearchOptions{InFields: []any{"name"}, Verbatim: true},
			wantTotal: 0, wantIDs: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			res, err := c.FTSearchWithArgs(context.Background(), "products", tc.query, &opts).Result()
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.wantTotal {
				t.Errorf("Total = %d, want %d", res.Total, tc.wantTotal)
			}
			got := docIDs(res)
			if tc.sorted {
				got = sortedDocIDs(res)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.wantIDs) {
				t.Fatalf("ids = %v, want %v", got, tc.wantIDs)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}

	t.Run("slop", func(t *testing.T) {
		// Slop counts indexed words between the terms; "brown" lies between
		// quick and fox.
		mustOK(t, c.HSet(ctx, "product:slop", "description", "quick brown fox").Err())
		defer c.Del(ctx, "product:slop")
		for _, tc := range []struct {
			query   string
			slop    int
			inOrder bool
			want    int
		}{
			{"@description:(quick fox)", 1, false, 1},
			{"@description:(fox quick)", 1, false, 1},
			{"@description:(fox quick)", 1, true, 0},
			{"@description:(quick fox)", 1, true, 1},
		} {
			res, err := c.FTSearchWithArgs(ctx, "products", tc.query, &redis.FTSearchOptions{Slop: tc.slop, InOrder: tc.inOrder, NoContent: true}).Result()
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.want {
				t.Errorf("%s SLOP %d INORDER=%v: total %d, want %d", tc.query, tc.slop, tc.inOrder, res.Total, tc.want)
			}
		}
		// SLOP 0 (go-redis sends SLOP only when > 0, so send it by hand).
		raw, err := c.Do(ctx, "FT.SEARCH", "products", "@description:(quick fox)", "SLOP", 0, "NOCONTENT").Result()
		if err != nil {
			t.Fatal(err)
		}
		if total := searchTotal(t, raw); total != 0 {
			t.Errorf("SLOP 0 over an intervening word: total %d, want 0", total)
		}
	})
}

// searchTotal reads the total out of a raw FT.SEARCH reply in either
// protocol.
func searchTotal(t *testing.T, raw any) int64 {
	t.Helper()
	switch v := raw.(type) {
	case []any:
		return v[0].(int64)
	case map[any]any:
		return v["total_results"].(int64)
	}
	t.Fatalf("unexpected FT.SEARCH reply %T %#v", raw, raw)
	return 0
}

// checkRawRESP3: the RESP3 reply is the module's map
// {attributes, format, results, total_results, warning}.
func checkRawRESP3(t *testing.T, ctx context.Context, c *redis.Client) {
	cmd := c.FTSearchWithArgs(ctx, "products", "@brand:{trail}", &redis.FTSearchOptions{
		WithScores: true, SortBy: []redis.FTSearchSortBy{{FieldName: "price", Asc: true}},
		Return: []redis.FTSearchReturn{{FieldName: "name"}},
	})
	mustOK(t, cmd.Err())
	raw, ok := cmd.RawVal().(map[any]any)
	if !ok {
		t.Fatalf("RESP3 FT.SEARCH raw reply is %T, want a map", cmd.RawVal())
	}
	if raw["total_results"] != int64(2) || raw["format"] != "STRING" {
		t.Errorf("raw reply = %#v", raw)
	}
	if attrs, ok := raw["attributes"].([]any); !ok || len(attrs) != 0 {
		t.Errorf("attributes = %#v", raw["attributes"])
	}
	if warn, ok := raw["warning"].([]any); !ok || len(warn) != 0 {
		t.Errorf("warning = %#v", raw["warning"])
	}
	results, _ := raw["results"].([]any)
	if len(results) != 2 {
		t.Fatalf("results = %#v", raw["results"])
	}
	first, _ := results[0].(map[any]any)
	if first["id"] != "product:4" {
		t.Errorf("first result = %#v", first)
	}
	if score, ok := first["score"].(float64); !ok || score <= 0 {
		t.Errorf("score is %T %v, want a RESP3 double", first["score"], first["score"])
	}
	if attrs, _ := first["extra_attributes"].(map[any]any); fmt.Sprint(attrs) != "map[name:Yellow rain jacket]" {
		t.Errorf("extra_attributes = %#v", first["extra_attributes"])
	}
	if values, ok := first["values"].([]any); !ok || len(values) != 0 {
		t.Errorf("values = %#v", first["values"])
	}

	info, err := c.Do(ctx, "FT.INFO", "products").Result()
	mustOK(t, err)
	m, ok := info.(map[any]any)
	if !ok {
		t.Fatalf("RESP3 FT.INFO is %T, want a map", info)
	}
	if m["index_name"] != "products" || m["num_docs"] != int64(5) {
		t.Errorf("FT.INFO index_name=%#v num_docs=%#v", m["index_name"], m["num_docs"])
	}
}

func checkConfig(t *testing.T, ctx context.Context, c *redis.Client) {
	get := func(name string) map[string]any {
		t.Helper()
		v, err := c.FTConfigGet(ctx, name).Result()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get("TIMEOUT"); fmt.Sprint(v) != "map[TIMEOUT:500]" {
		t.Fatalf("FT.CONFIG GET TIMEOUT = %v", v)
	}
	for _, tc := range []struct {
		name, value, lookup string
	}{
		{"TIMEOUT", "1234", "timeout"},
		{"MINPREFIX", "3", "MINPREFIX"},
		{"MAXEXPANSIONS", "50", "maxexpansions"},
		{"ON_TIMEOUT", "fail", "ON_TIMEOUT"},
	} {
		before := get(tc.name)[tc.name]
		if before == nil {
			t.Fatalf("%s has no value: %v", tc.name, get(tc.name))
		}
		if status, err := c.FTConfigSet(ctx, tc.name, tc.value).Result(); err != nil || status != "OK" {
			t.Fatalf("FT.CONFIG SET %s %s = %q, %v", tc.name, tc.value, status, err)
		}
		if v := get(tc.lookup); v[tc.name] != tc.value || len(v) != 1 {
			t.Errorf("after SET %s %s: GET %s = %v", tc.name, tc.value, tc.lookup, v)
		}
		if all := get("*"); all[tc.name] != tc.value {
			t.Errorf("GET * has %s = %v", tc.name, all[tc.name])
		}
		mustOK(t, c.FTConfigSet(ctx, tc.name, before).Err())
		if v := get(tc.name); v[tc.name] != before {
			t.Errorf("%s not restored: %v", tc.name, v)
		}
	}
	// The search module's parameters are also Redis configuration.
	if v := c.ConfigGet(ctx, "search-timeout").Val(); v["search-timeout"] != "500" {
		t.Errorf("CONFIG GET search-timeout = %v", v)
	}
	if v := get("NO_SUCH_OPTION"); len(v) != 0 {
		t.Errorf("FT.CONFIG GET NO_SUCH_OPTION = %v", v)
	}
	if err := c.FTConfigSet(ctx, "TIMEOUT", "notanumber").Err(); err == nil {
		t.Error("FT.CONFIG SET TIMEOUT notanumber succeeded")
	}
}

func checkDropIndex(t *testing.T, ctx context.Context, c *redis.Client) {
	keys := func() []string {
		t.Helper()
		k, err := c.Keys(ctx, "product:*").Result()
		mustOK(t, err)
		sort.Strings(k)
		return k
	}
	listed := func(name string) bool {
		t.Helper()
		names, err := c.FT_List(ctx).Result()
		mustOK(t, err)
		return slices.Contains(names, name)
	}
	want := []string{"product:1", "product:2", "product:3", "product:4", "product:5"}
	if got := keys(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("keys before drop = %v", got)
	}

	// Without DD the documents stay.
	if status, err := c.FTDropIndexWithArgs(ctx, "products", &redis.FTDropIndexOptions{DeleteDocs: false}).Result(); err != nil || status != "OK" {
		t.Fatalf("FT.DROPINDEX = %q, %v", status, err)
	}
	if listed("products") {
		t.Fatal("index still listed after FT.DROPINDEX")
	}
	if got := keys(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("keys after FT.DROPINDEX without DD = %v, want %v", got, want)
	}
	if _, err := c.FTSearch(ctx, "products", "*").Result(); err == nil {
		t.Fatal("search on a dropped index succeeded")
	}

	// Recreate: the existing hashes are indexed again, then DD deletes them.
	createProductIndex(t, ctx, c)
	waitIndexed(t, ctx, c, "products", 5)
	if status, err := c.FTDropIndexWithArgs(ctx, "products", &redis.FTDropIndexOptions{DeleteDocs: true}).Result(); err != nil || status != "OK" {
		t.Fatalf("FT.DROPINDEX DD = %q, %v", status, err)
	}
	if listed("products") {
		t.Fatal("index still listed after FT.DROPINDEX DD")
	}
	if got := keys(); len(got) != 0 {
		t.Fatalf("keys after FT.DROPINDEX DD = %v, want none", got)
	}
	if v := c.HGet(ctx, "other:1", "name").Val(); v != "running shoes outside the prefix" {
		t.Fatalf("a key outside the index was touched: %q", v)
	}
	if err := c.FTDropIndex(ctx, "products").Err(); err == nil || err.Error() != "products: no such index" {
		t.Fatalf("FT.DROPINDEX of a dropped index: %v", err)
	}
}

// waitIndexed waits until a new index over existing keys has scanned them
// (FT.INFO indexing 0, as clients poll) and holds want documents.
func waitIndexed(t *testing.T, ctx context.Context, c *redis.Client, index string, want int) {
	t.Helper()
	for i := 0; i < 500; i++ {
		info, err := c.FTInfo(ctx, index).Result()
		mustOK(t, err)
		if info.Indexing == 0 {
			if info.NumDocs != want {
				t.Fatalf("%s: num_docs %d after the scan, want %d", index, info.NumDocs, want)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s still indexing", index)
}
