package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestAggregateCursorThroughCoordinator: a WITHCURSOR aggregation through a
// cluster's coordinator is merged there and kept in its cursor list (odd
// ids); FT.CURSOR READ on that node returns the rest, chunk by chunk, and
// the chunks add up to the aggregation without a cursor.
func TestAggregateCursorThroughCoordinator(t *testing.T) {
	shards := startCluster(t, 3)
	var cs []*goldenClient
	for _, s := range shards {
		cs = append(cs, dialT(t, s.Addr()))
	}
	mustDo(t, cs[0], "FT.CREATE", "idx", "SCHEMA", "n", "NUMERIC", "SORTABLE", "cat", "TAG")
	const docs = 120
	for i := 0; i < docs; i++ {
		key := fmt.Sprintf("doc:%d", i)
		mustDo(t, cs[ownerOf(shards, key)], "HSET", key, "n", strconv.Itoa(i), "cat", fmt.Sprintf("c%d", i%7))
	}
	for _, c := range cs {
		waitIndexedOn(t, c, "idx")
	}

	for _, q := range [][]string{
		{"FT.AGGREGATE", "idx", "*", "LOAD", "1", "@cat", "SORTBY", "2", "@n", "ASC", "MAX", "1000"},
		{"FT.AGGREGATE", "idx", "*", "GROUPBY", "1", "@cat", "REDUCE", "COUNT", "0", "AS", "k", "SORTBY", "2", "@cat", "ASC"},
	} {
		whole, err := cs[0].Do(q...)
		if err != nil {
			t.Fatal(err)
		}
		want := whole.([]any)[1:]
		first, err := cs[0].Do(append(q, "WITHCURSOR", "COUNT", "25")...)
		if err != nil {
			t.Fatal(err)
		}
		pair, ok := first.([]any)
		if !ok || len(pair) != 2 {
			t.Fatalf("%s WITHCURSOR: %s", formatCmd(q), formatValue(first))
		}
		rows := append([]any(nil), pair[0].([]any)[1:]...)
		id := pair[1].(int64)
		if len(want) > 25 && id%2 != 1 {
			t.Errorf("cursor id %d: want an odd (coordinator) id", id)
		}
		if id != 0 {
			if v, _ := cs[1].Do("FT.CURSOR", "READ", "idx", strconv.FormatInt(id, 10)); !strings.HasPrefix(fmt.Sprint(v), "Cursor not found") {
				t.Errorf("READ on another node: %s, want Cursor not found", formatValue(v))
			}
		}
		for reads := 0; id != 0; reads++ {
			if reads > docs {
				t.Fatal("the cursor never ends")
			}
			v, err := cs[0].Do("FT.CURSOR", "READ", "idx", strconv.FormatInt(id, 10))
			if err != nil {
				t.Fatal(err)
			}
			pair, ok := v.([]any)
			if !ok || len(pair) != 2 {
				t.Fatalf("FT.CURSOR READ: %s", formatValue(v))
			}
			chunk := pair[0].([]any)[1:]
			if len(chunk) > 25 {
				t.Errorf("chunk of %d rows, COUNT 25", len(chunk))
			}
			rows = append(rows, chunk...)
			id = pair[1].(int64)
		}
		if formatValue(rows) != formatValue(want) {
			t.Errorf("%s: the chunks hold\n%s\nwant\n%s", formatCmd(q), truncate(formatValue(rows), 400), truncate(formatValue(want), 400))
		}
	}
}
