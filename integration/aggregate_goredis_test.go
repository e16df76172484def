package integration

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// aggSales is the corpus of the go-redis FT.AGGREGATE tests (prefix
// "sale:"); the expected rows below are computed by hand from it:
//
//	city    rows (amount item)                 count sum avg min max
//	berlin  (40 pear)                              1  40  40  40  40
//	london  (5 apple) (15 plum) (25 apple)         3  45  15   5  25
//	paris   (10 apple) (30 pear)                   2  40  20  10  30
//	rome    (2 fig)                                1   2   2   2   2
var aggSales = [][]any{
	{"sale:1", "city", "paris", "amount", "10", "item", "apple"},
	{"sale:2", "city", "paris", "amount", "30", "item", "pear"},
	{"sale:3", "city", "london", "amount", "5", "item", "apple"},
	{"sale:4", "city", "london", "amount", "15", "item", "plum"},
	{"sale:5", "city", "london", "amount", "25", "item", "apple"},
	{"sale:6", "city", "berlin", "amount", "40", "item", "pear"},
	{"sale:7", "city", "rome", "amount", "2", "item", "fig"},
}

// TestAggregateGoRedis drives FT.AGGREGATE and FT.CURSOR through go-redis
// v9's FTAggregateWithArgs (GroupBy with reducers, SortBy and SortByMax,
// Apply, Filter, Load and LoadAll, LimitOffset/Limit, Params, the ordered
// Steps pipeline, WithCursor), in RESP2 and RESP3. What go-redis v9.23
// sends (search_commands.go, FTAggregateWithArgs): LOAD, TIMEOUT, then
// either the Steps in order or APPLY..., GROUPBY..., SORTBY, MAX; then
// LIMIT, FILTER, WITHCURSOR [COUNT] [MAXIDLE], PARAMS, and DIALECT 2 unless
// a dialect is given. Rows come back as maps, so the field order of a row is
// not checked here (the redis-py test checks it).
func TestAggregateGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		proto := c.Options().Protocol
		status, err := c.FTCreate(ctx, "sales",
			&redis.FTCreateOptions{OnHash: true, Prefix: []any{"sale:"}},
			&redis.FieldSchema{FieldName: "city", FieldType: redis.SearchFieldTypeTag, Sortable: true},
			&redis.FieldSchema{FieldName: "amount", FieldType: redis.SearchFieldTypeNumeric, Sortable: true},
			&redis.FieldSchema{FieldName: "item", FieldType: redis.SearchFieldTypeText},
		).Result()
		if err != nil || status != "OK" {
			t.Fatalf("FTCreate = %q, %v", status, err)
		}
		for _, h := range aggSales {
			mustOK(t, c.HSet(ctx, h[0].(string), h[1:]...).Err())
		}

		t.Run("FTAggregateWithArgs", func(t *testing.T) { checkAggregateWithArgs(t, ctx, c) })
		t.Run("Errors", func(t *testing.T) { checkAggregateErrors(t, ctx, c) })
		if proto == 3 {
			t.Run("RawRESP3", func(t *testing.T) { checkAggregateRawRESP3(t, ctx, c) })
		}
		t.Run("WithCursor", func(t *testing.T) { checkAggregateCursor(t, ctx, c, proto) })
	})
}

// aggRow builds an expected row from name/value pairs.
func aggRow(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func aggFields(rows []redis.AggregateRow) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = r.Fields
	}
	return out
}

// byCity is GROUPBY 1 @city REDUCE COUNT 0 AS n REDUCE SUM 1 @amount AS total.
var byCity = redis.FTAggregateGroupBy{
	Fields: []any{"@city"},
	Reduce: []redis.FTAggregateReducer{
		{Reducer: redis.SearchCount, As: "n"},
		{Reducer: redis.SearchSum, Args: []any{"@amount"}, As: "total"},
	},
}

var byTotalDescCity = []redis.FTAggregateSortBy{{FieldName: "@total", Desc: true}, {FieldName: "@city", Asc: true}}

func checkAggregateWithArgs(t *testing.T, ctx context.Context, c *redis.Client) {
	london := aggRow("city", "london", "n", "3", "total", "45")
	berlin := aggRow("city", "berlin", "n", "1", "total", "40")
	paris := aggRow("city", "paris", "n", "2", "total", "40")
	rome := aggRow("city", "rome", "n", "1", "total", "2")
	tests := []struct {
		name  string
		query string
		opts  redis.FTAggregateOptions
		want  []map[string]any // in order
		total int              // checked when not 0
		check func(t *testing.T, rows []map[string]any)
	}{
		{name: "groupby sortby", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity},
			// With GROUPBY the first element is the number of groups (surface §1.3).
			want: []map[string]any{london, berlin, paris, rome}, total: 4},
		{name: "sortby max", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity, SortByMax: 2},
			want: []map[string]any{london, berlin}},
		{name: "limit", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity, LimitOffset: 1, Limit: 2},
			want: []map[string]any{berlin, paris}},
		{name: "filter after groupby", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity, Filter: "@n > 1"},
			want: []map[string]any{london, paris}},
		{name: "sortby without direction", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city"}}},
			want: []map[string]any{berlin, london, paris, rome}},
		{name: "reducers", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{{
				Fields: []any{"@city"},
				Reduce: []redis.FTAggregateReducer{
					{Reducer: redis.SearchAvg, Args: []any{"@amount"}, As: "avg"},
					{Reducer: redis.SearchMin, Args: []any{"@amount"}, As: "min"},
					{Reducer: redis.SearchMax, Args: []any{"@amount"}, As: "max"},
					{Reducer: redis.SearchCountDistinct, Args: []any{"@item"}, As: "items"},
					{Reducer: redis.SearchFirstValue, Args: []any{"@item", "BY", "@amount", "DESC"}, As: "top"},
				},
			}}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Asc: true}}},
			want: []map[string]any{
				aggRow("city", "berlin", "avg", "40", "min", "40", "max", "40", "items", "1", "top", "pear"),
				aggRow("city", "london", "avg", "15", "min", "5", "max", "25", "items", "2", "top", "apple"),
				aggRow("city", "paris", "avg", "20", "min", "10", "max", "30", "items", "2", "top", "pear"),
				aggRow("city", "rome", "avg", "2", "min", "2", "max", "2", "items", "1", "top", "fig"),
			}},
		{name: "generated aliases", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{{
				Fields: []any{"@city"},
				Reduce: []redis.FTAggregateReducer{
					{Reducer: redis.SearchCount},
					{Reducer: redis.SearchSum, Args: []any{"@amount"}},
					{Reducer: redis.SearchQuantile, Args: []any{"@amount", 0.5}},
				},
			}}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Desc: true}}, SortByMax: 1},
			want: []map[string]any{aggRow("city", "rome", "__generated_aliascount", "1",
				"__generated_aliassumamount", "2", "__generated_aliasquantileamount,0.5", "2")}},
		{name: "groupby nothing", query: "@city:{london}",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{{
				Reduce: []redis.FTAggregateReducer{
					{Reducer: redis.SearchCount, As: "n"},
					{Reducer: redis.SearchStdDev, Args: []any{"@amount"}, As: "sd"},
					{Reducer: redis.SearchQuantile, Args: []any{"@amount", 0.5}, As: "median"},
					{Reducer: redis.SearchCountDistinctish, Args: []any{"@item"}, As: "items"},
				},
			}}},
			want: []map[string]any{aggRow("n", "3", "sd", "10", "median", "15", "items", "2")}, total: 1},
		{name: "tolist and random sample", query: "*",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{{
				Fields: []any{"@city"},
				Reduce: []redis.FTAggregateReducer{
					{Reducer: redis.SearchToList, Args: []any{"@item"}, As: "items"},
					{Reducer: redis.SearchRandomSample, Args: []any{"@amount", 1}, As: "one"},
				},
			}}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Asc: true}}},
			check: func(t *testing.T, rows []map[string]any) {
				want := map[string][2]string{
					"berlin": {"[pear]", "40"}, "london": {"[apple plum]", "5 15 25"},
					"paris": {"[apple pear]", "10 30"}, "rome": {"[fig]", "2"},
				}
				var cities []string
				for _, r := range rows {
					city, _ := r["city"].(string)
					cities = append(cities, city)
					items := stringList(t, r["items"])
					sort.Strings(items)
					if fmt.Sprint(items) != want[city][0] {
						t.Errorf("%s: TOLIST = %v, want %s", city, r["items"], want[city][0])
					}
					one := stringList(t, r["one"])
					if len(one) != 1 || !strings.Contains(" "+want[city][1]+" ", " "+one[0]+" ") {
						t.Errorf("%s: RANDOM_SAMPLE 1 = %v, want one of %s", city, r["one"], want[city][1])
					}
				}
				if fmt.Sprint(cities) != "[berlin london paris rome]" {
					t.Errorf("cities = %v", cities)
				}
			}},
		{name: "load with alias", query: "*",
			opts: redis.FTAggregateOptions{
				Load:   []redis.FTAggregateLoad{{Field: "@item"}, {Field: "@amount", As: "price"}},
				SortBy: []redis.FTAggregateSortBy{{FieldName: "@price", Asc: true}}, LimitOffset: 0, Limit: 3},
			// With SORTBY and no GROUPBY the first element is the number of matches.
			want:  []map[string]any{aggRow("item", "fig", "price", "2"), aggRow("item", "apple", "price", "5"), aggRow("item", "apple", "price", "10")},
			total: 7},
		// LOAD * loads every hash value as a string, NUMERIC attributes too
		// (result_processor.c rploaderNew_setLoadOpts: forceString "used in
		// LOAD_ALLKEYS mode"), so SORTBY @amount after it compares strings.
		{name: "load all", query: "*",
			opts: redis.FTAggregateOptions{LoadAll: true, SortBy: []redis.FTAggregateSortBy{{FieldName: "@amount", Asc: true}}, SortByMax: 3},
			want: []map[string]any{
				aggRow("city", "paris", "amount", "10", "item", "apple"),
				aggRow("city", "london", "amount", "15", "item", "plum"),
				aggRow("city", "rome", "amount", "2", "item", "fig"),
			}},
		{name: "apply", query: "@city:{paris|rome}",
			opts: redis.FTAggregateOptions{
				Apply:  []redis.FTAggregateApply{{Field: "@amount * 2", As: "double"}, {Field: "upper(@city)", As: "name"}},
				SortBy: []redis.FTAggregateSortBy{{FieldName: "@double", Desc: true}}},
			want: []map[string]any{
				aggRow("amount", "30", "city", "paris", "double", "60", "name", "PARIS"),
				aggRow("amount", "10", "city", "paris", "double", "20", "name", "PARIS"),
				aggRow("amount", "2", "city", "rome", "double", "4", "name", "ROME"),
			}},
		{name: "steps groupby apply sortby filter", query: "*",
			opts: redis.FTAggregateOptions{Steps: []redis.FTAggregateStep{
				{GroupBy: &byCity},
				{Apply: &redis.FTAggregateApply{Field: "@total / @n", As: "avg"}},
				{SortBy: &redis.FTAggregateSortByStep{Fields: []redis.FTAggregateSortBy{{FieldName: "@avg", Asc: true}}}},
			}, Filter: "@avg > 10"},
			want: []map[string]any{
				aggRow("city", "london", "n", "3", "total", "45", "avg", "15"),
				aggRow("city", "paris", "n", "2", "total", "40", "avg", "20"),
				aggRow("city", "berlin", "n", "1", "total", "40", "avg", "40"),
			}},
		{name: "steps load apply groupby sortby max", query: "*",
			opts: redis.FTAggregateOptions{Steps: []redis.FTAggregateStep{
				{Load: &redis.FTAggregateLoad{Field: "@item"}},
				{Apply: &redis.FTAggregateApply{Field: "upper(@item)", As: "up"}},
				{GroupBy: &redis.FTAggregateGroupBy{Fields: []any{"@up"}, Reduce: []redis.FTAggregateReducer{{Reducer: redis.SearchCount, As: "n"}}}},
				{SortBy: &redis.FTAggregateSortByStep{Fields: []redis.FTAggregateSortBy{{FieldName: "@n", Desc: true}, {FieldName: "@up", Asc: true}}, Max: 2}},
			}},
			want: []map[string]any{aggRow("up", "APPLE", "n", "3"), aggRow("up", "PEAR", "n", "2")}},
		{name: "filter on documents", query: "*",
			opts: redis.FTAggregateOptions{Steps: []redis.FTAggregateStep{
				{SortBy: &redis.FTAggregateSortByStep{Fields: []redis.FTAggregateSortBy{{FieldName: "@amount", Asc: true}}}},
			}, Filter: "@amount >= 25"},
			want: []map[string]any{aggRow("amount", "25"), aggRow("amount", "30"), aggRow("amount", "40")}},
		{name: "params", query: "@amount:[$lo $hi]",
			opts: redis.FTAggregateOptions{Params: map[string]any{"lo": 10, "hi": 30},
				GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Asc: true}}},
			want: []map[string]any{aggRow("city", "london", "n", "2", "total", "40"), aggRow("city", "paris", "n", "2", "total", "40")}},
		{name: "text query", query: "@item:apple",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Asc: true}}},
			want: []map[string]any{aggRow("city", "london", "n", "2", "total", "30"), aggRow("city", "paris", "n", "1", "total", "10")}},
		{name: "no match", query: "@item:nosuchword",
			opts: redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}},
			want: []map[string]any{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			res, err := c.FTAggregateWithArgs(ctx, "sales", tc.query, &opts).Result()
			if err != nil {
				t.Fatal(err)
			}
			rows := aggFields(res.Rows)
			if tc.check != nil {
				tc.check(t, rows)
			} else if fmt.Sprint(rows) != fmt.Sprint(tc.want) {
				t.Errorf("rows = %v\nwant   %v", rows, tc.want)
			}
			if tc.total != 0 && res.Total != tc.total {
				t.Errorf("Total = %d, want %d", res.Total, tc.total)
			}
		})
	}
}

// stringList reads a TOLIST / RANDOM_SAMPLE value (an array of strings).
func stringList(t *testing.T, v any) []string {
	t.Helper()
	arr, ok := v.([]any)
	if !ok {
		t.Fatalf("%T %#v is not an array", v, v)
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		out[i], _ = e.(string)
	}
	return out
}

func checkAggregateErrors(t *testing.T, ctx context.Context, c *redis.Client) {
	_, err := c.FTAggregateWithArgs(ctx, "nosuch", "*", &redis.FTAggregateOptions{LoadAll: true}).Result()
	if err == nil || err.Error() != "No such index nosuch" {
		t.Errorf("missing index: %v", err)
	}
	// A property neither in the schema nor loaded.
	_, err = c.FTAggregateWithArgs(ctx, "sales", "*", &redis.FTAggregateOptions{
		SortBy: []redis.FTAggregateSortBy{{FieldName: "@nosuch", Asc: true}}}).Result()
	if err == nil || !strings.Contains(err.Error(), "not loaded nor in schema") {
		t.Errorf("SORTBY @nosuch: %v", err)
	}
	// go-redis refuses ASC and DESC together without sending anything.
	_, err = c.FTAggregateWithArgs(ctx, "sales", "*", &redis.FTAggregateOptions{
		SortBy: []redis.FTAggregateSortBy{{FieldName: "@city", Asc: true, Desc: true}}}).Result()
	if err == nil || !strings.Contains(err.Error(), "mutually exclusive") {
		t.Errorf("ASC and DESC: %v", err)
	}
	// The connection is still in step.
	if v, err := c.Ping(ctx).Result(); err != nil || v != "PONG" {
		t.Errorf("PING after the errors = %q, %v", v, err)
	}
}

// checkAggregateRawRESP3: the RESP3 reply is the module's map
// {attributes, format, results: [{extra_attributes, values}], total_results, warning}.
func checkAggregateRawRESP3(t *testing.T, ctx context.Context, c *redis.Client) {
	cmd := c.FTAggregateWithArgs(ctx, "sales", "*", &redis.FTAggregateOptions{
		GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity, SortByMax: 1})
	mustOK(t, cmd.Err())
	raw, ok := cmd.RawVal().(map[any]any)
	if !ok {
		t.Fatalf("RESP3 FT.AGGREGATE raw reply is %T, want a map", cmd.RawVal())
	}
	if raw["format"] != "STRING" || raw["total_results"] != int64(4) {
		t.Errorf("format=%#v total_results=%#v", raw["format"], raw["total_results"])
	}
	if a, ok := raw["attributes"].([]any); !ok || len(a) != 0 {
		t.Errorf("attributes = %#v", raw["attributes"])
	}
	if w, ok := raw["warning"].([]any); !ok || len(w) != 0 {
		t.Errorf("warning = %#v", raw["warning"])
	}
	results, _ := raw["results"].([]any)
	if len(results) != 1 {
		t.Fatalf("results = %#v", raw["results"])
	}
	first, _ := results[0].(map[any]any)
	if fmt.Sprint(first["extra_attributes"]) != "map[city:london n:3 total:45]" {
		t.Errorf("extra_attributes = %#v", first["extra_attributes"])
	}
	if v, ok := first["values"].([]any); !ok || len(v) != 0 {
		t.Errorf("values = %#v", first["values"])
	}
}

// cursorChunk splits a WITHCURSOR or FT.CURSOR READ reply: RESP2
// [[total, row...], cursor_id], RESP3 [{map}, cursor_id] (surface §1.3).
func cursorChunk(t *testing.T, raw any, proto int) ([]map[string]any, int64) {
	t.Helper()
	pair, ok := raw.([]any)
	if !ok || len(pair) != 2 {
		t.Fatalf("cursor reply is %#v, not [rows, cursor_id]: cursors not implemented?", raw)
	}
	id, ok := pair[1].(int64)
	if !ok {
		t.Fatalf("cursor id is %T %#v", pair[1], pair[1])
	}
	if proto == 2 {
		data, ok := pair[0].([]any)
		if !ok {
			t.Fatalf("RESP2 cursor chunk is %T %#v", pair[0], pair[0])
		}
		res, err := redis.ProcessAggregateResult(data)
		if err != nil {
			t.Fatalf("cursor chunk %#v: %v", data, err)
		}
		return aggFields(res.Rows), id
	}
	m, ok := pair[0].(map[any]any)
	if !ok {
		t.Fatalf("RESP3 cursor chunk is %T %#v", pair[0], pair[0])
	}
	results, ok := m["results"].([]any)
	if !ok {
		t.Fatalf("RESP3 cursor chunk without results: %#v", m)
	}
	rows := make([]map[string]any, len(results))
	for i, r := range results {
		attrs, _ := r.(map[any]any)["extra_attributes"].(map[any]any)
		rows[i] = map[string]any{}
		for k, v := range attrs {
			rows[i][k.(string)] = v
		}
	}
	return rows, id
}

// startCursor runs FTAggregateWithArgs with WithCursor. go-redis v9.23
// cannot parse a cursor reply (ProcessAggregateResult wants an integer
// first; its FTCursorRead is a MapStringInterfaceCmd), so the reply is read
// from RawVal and only a server error fails the test.
func startCursor(t *testing.T, ctx context.Context, c *redis.Client, proto int, opts *redis.FTAggregateOptions) ([]map[string]any, int64) {
	t.Helper()
	cmd := c.FTAggregateWithArgs(ctx, "sales", "*", opts)
	var rerr redis.Error
	if err := cmd.Err(); err != nil && errors.As(err, &rerr) {
		t.Fatalf("FT.AGGREGATE WITHCURSOR: %v", err)
	}
	return cursorChunk(t, cmd.RawVal(), proto)
}

// readCursor reads every remaining chunk; it returns all the rows, the
// chunk sizes (the first included) and the last non-zero id.
func readCursor(t *testing.T, ctx context.Context, c *redis.Client, proto int, rows []map[string]any, id int64) ([]map[string]any, []int, int64) {
	t.Helper()
	sizes := []int{len(rows)}
	last := int64(0)
	for i := 0; id != 0; i++ {
		if i == 100 {
			t.Fatal("the cursor never reached id 0")
		}
		last = id
		raw, err := c.Do(ctx, "FT.CURSOR", "READ", "sales", id).Result()
		if err != nil {
			t.Fatalf("FT.CURSOR READ %d: %v", id, err)
		}
		var chunk []map[string]any
		chunk, id = cursorChunk(t, raw, proto)
		rows = append(rows, chunk...)
		sizes = append(sizes, len(chunk))
	}
	return rows, sizes, last
}

func checkAggregateCursor(t *testing.T, ctx context.Context, c *redis.Client, proto int) {
	sorted := func(opts redis.FTAggregateOptions) redis.FTAggregateOptions {
		opts.LoadAll = false
		opts.Load = []redis.FTAggregateLoad{{Field: "@item"}}
		opts.SortBy = []redis.FTAggregateSortBy{{FieldName: "@amount", Asc: true}}
		return opts
	}
	plain := sorted(redis.FTAggregateOptions{})
	whole, err := c.FTAggregateWithArgs(ctx, "sales", "*", &plain).Result()
	mustOK(t, err)
	want := aggFields(whole.Rows)
	if len(want) != len(aggSales) {
		t.Fatalf("without a cursor: %v", want)
	}

	t.Run("sorted rows in chunks", func(t *testing.T) {
		opts := sorted(redis.FTAggregateOptions{WithCursor: true, WithCursorOptions: &redis.FTAggregateWithCursor{Count: 3, MaxIdle: 10000}})
		rows, id := startCursor(t, ctx, c, proto, &opts)
		if id == 0 {
			t.Fatalf("first chunk %v came with cursor id 0", rows)
		}
		rows, sizes, last := readCursor(t, ctx, c, proto, rows, id)
		if fmt.Sprint(sizes) != "[3 3 1]" {
			t.Errorf("chunk sizes = %v, want [3 3 1]", sizes)
		}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("rows through the cursor = %v\nwant %v", rows, want)
		}
		// A cursor read to its end is gone.
		if err := c.Do(ctx, "FT.CURSOR", "READ", "sales", last).Err(); err == nil || !strings.Contains(err.Error(), "Cursor not found") {
			t.Errorf("reading an exhausted cursor: %v", err)
		}
	})

	t.Run("grouped rows in chunks", func(t *testing.T) {
		base := redis.FTAggregateOptions{GroupBy: []redis.FTAggregateGroupBy{byCity}, SortBy: byTotalDescCity}
		whole, err := c.FTAggregateWithArgs(ctx, "sales", "*", &base).Result()
		mustOK(t, err)
		opts := base
		opts.WithCursor, opts.WithCursorOptions = true, &redis.FTAggregateWithCursor{Count: 2}
		rows, id := startCursor(t, ctx, c, proto, &opts)
		rows, sizes, _ := readCursor(t, ctx, c, proto, rows, id)
		// 4 groups in chunks of 2: the chunk that takes the last group does
		// not look past it, so one more read answers no rows and id 0
		// (aggregate_exec.c sendChunk: the cursor is done only when the
		// pipeline's Next was not OK).
		if fmt.Sprint(sizes) != "[2 2 0]" {
			t.Errorf("chunk sizes = %v, want [2 2 0]", sizes)
		}
		if fmt.Sprint(rows) != fmt.Sprint(aggFields(whole.Rows)) {
			t.Errorf("rows through the cursor = %v\nwant %v", rows, aggFields(whole.Rows))
		}
	})

	t.Run("default count", func(t *testing.T) {
		// Without COUNT a chunk is search-cursor-read-size (1000) rows.
		opts := sorted(redis.FTAggregateOptions{WithCursor: true})
		rows, id := startCursor(t, ctx, c, proto, &opts)
		if id != 0 || fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("WITHCURSOR without COUNT: id %d, rows %v", id, rows)
		}
	})

	t.Run("read count and FTCursorDel", func(t *testing.T) {
		opts := sorted(redis.FTAggregateOptions{WithCursor: true, WithCursorOptions: &redis.FTAggregateWithCursor{Count: 1}})
		rows, id := startCursor(t, ctx, c, proto, &opts)
		if id == 0 || fmt.Sprint(rows) != fmt.Sprint(want[:1]) {
			t.Fatalf("first chunk: id %d, rows %v", id, rows)
		}
		read := func(want []map[string]any, args ...any) {
			t.Helper()
			raw, err := c.Do(ctx, append([]any{"FT.CURSOR", "READ", "sales", id}, args...)...).Result()
			mustOK(t, err)
			rows, next := cursorChunk(t, raw, proto)
			if next != id || fmt.Sprint(rows) != fmt.Sprint(want) {
				t.Errorf("READ %v: id %d (want %d), rows %v, want %v", args, next, id, rows, want)
			}
		}
		// runCursor (aggregate_exec.c): COUNT 0 is the cursor's chunk size;
		// a READ ... COUNT n reads n rows and makes n the chunk size of the
		// reads after it (req->cursorChunkSize = num).
		read(want[1:2], "COUNT", 0)
		read(want[2:4], "COUNT", 2)
		read(want[4:6])
		if status, err := c.FTCursorDel(ctx, "sales", int(id)).Result(); err != nil || status != "OK" {
			t.Fatalf("FTCursorDel = %q, %v", status, err)
		}
		if err := c.Do(ctx, "FT.CURSOR", "READ", "sales", id).Err(); err == nil || !strings.Contains(err.Error(), "Cursor not found") {
			t.Errorf("reading a deleted cursor: %v", err)
		}
		if err := c.FTCursorDel(ctx, "sales", int(id)).Err(); err == nil || !strings.Contains(err.Error(), "Cursor does not exist") {
			t.Errorf("deleting a deleted cursor: %v", err)
		}
	})
}
