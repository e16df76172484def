package integration

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestJSONGoRedis drives the JSON module through go-redis v9's JSON API,
// RESP2 and RESP3, on a shard with both modules as the binary loads them.
// Expected values are RedisJSON's replies for these commands (its docs'
// examples and tests/pytest/test_multi.py), as go-redis decodes them.
func TestJSONGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New(), rejson.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		eq := func(what string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: got %#v, want %#v", what, got, want)
			}
		}
		mods, err := c.Do(ctx, "MODULE", "LIST").Slice()
		mustOK(t, err)
		found := false
		for _, m := range mods {
			var name, ver any
			switch m := m.(type) {
			case []any:
				name, ver = m[1], m[3]
			case map[any]any:
				name, ver = m["name"], m["ver"]
			}
			if name == "ReJSON" && ver == int64(80200) {
				found = true
			}
		}
		if !found {
			t.Errorf("MODULE LIST: %v", mods)
		}

		mustOK(t, c.JSONSet(ctx, "bike", "$", `{"model":"Deimos","brand":"Ergonom","price":4972,"colors":["black"],"specs":{"weight":13.1}}`).Err())
		got, err := c.JSONGet(ctx, "bike", "$.model").Result()
		mustOK(t, err)
		eq("JSONGet $.model", got, `["Deimos"]`)
		got, err = c.JSONGet(ctx, "bike", ".price").Result()
		mustOK(t, err)
		eq("JSONGet .price", got, `4972`)
		got, err = c.JSONGetWithArgs(ctx, "bike", &redis.JSONGetArgs{Indent: "  ", Newline: "\n", Space: " "}, "$.colors").Result()
		mustOK(t, err)
		eq("JSONGetWithArgs", got, "[\n  [\n    \"black\"\n  ]\n]")
		n, err := c.JSONArrAppend(ctx, "bike", "$.colors", `"silver"`, `"pink"`).Result()
		mustOK(t, err)
		eq("JSONArrAppend", n, []int64{3})
		idx, err := c.JSONArrIndex(ctx, "bike", "$.colors", `"pink"`).Result()
		mustOK(t, err)
		eq("JSONArrIndex", idx, []int64{2})
		popped, err := c.JSONArrPop(ctx, "bike", "$.colors", -1).Result()
		mustOK(t, err)
		eq("JSONArrPop", popped, []string{`"pink"`})
		lens, err := c.JSONArrLen(ctx, "bike", "$..colors").Result()
		mustOK(t, err)
		eq("JSONArrLen", lens, []int64{2})
		incr, err := c.JSONNumIncrBy(ctx, "bike", "$.price", 28).Result()
		mustOK(t, err)
		eq("JSONNumIncrBy", incr, "[5000]")
		strl, err := c.JSONStrLen(ctx, "bike", "$.model").Result()
		mustOK(t, err)
		if len(strl) != 1 || strl[0] == nil || *strl[0] != 6 {
			t.Errorf("JSONStrLen: %v", strl)
		}
		keys, err := c.JSONObjKeys(ctx, "bike", "$.specs").Result()
		mustOK(t, err)
		eq("JSONObjKeys", keys, []any{[]any{"weight"}})
		types, err := c.JSONType(ctx, "bike", "$.specs.weight").Result()
		mustOK(t, err)
		if c.Options().Protocol == 3 {
			eq("JSONType", types, []any{[]any{"number"}})
		} else {
			eq("JSONType", types, []any{"number"})
		}
		if err := c.JSONSetMode(ctx, "bike", "$.model", `"x"`, "NX").Err(); err != redis.Nil { // a null reply
			t.Errorf("JSONSetMode NX on an existing path: %v", err)
		}
		got, err = c.JSONGet(ctx, "bike", "$.model").Result()
		mustOK(t, err)
		eq("after NX", got, `["Deimos"]`)
		mustOK(t, c.JSONMerge(ctx, "bike", "$", `{"brand":null,"year":2024}`).Err())
		got, err = c.JSONGet(ctx, "bike").Result()
		mustOK(t, err)
		eq("after MERGE", got, `{"model":"Deimos","specs":{"weight":13.1},"price":5000,"colors":["black","silver"],"year":2024}`)
		mustOK(t, c.JSONMSet(ctx, "a", "$", `{"x":1}`, "b", "$", `{"x":2}`).Err())
		mg, err := c.JSONMGet(ctx, "$.x", "a", "b", "nokey").Result()
		mustOK(t, err)
		eq("JSONMGet", mg, []any{"[1]", "[2]", nil})
		del, err := c.JSONDel(ctx, "bike", "$.specs").Result()
		mustOK(t, err)
		eq("JSONDel", del, int64(1))
		typ, err := c.Type(ctx, "bike").Result()
		mustOK(t, err)
		eq("TYPE", typ, "ReJSON-RL")
		if err := c.Get(ctx, "bike").Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Errorf("GET of a JSON key: %v", err)
		}
	})
}

// TestJSONCluster: JSON keys through a go-redis cluster client on three
// shards (each key on its slot's owner, MGET/MSET within a hash tag).
func TestJSONCluster(t *testing.T) {
	srvs := startCluster(t, 3)
	ctx := context.Background()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(srvs)})
	defer c.Close()
	for i := 0; i < 30; i++ {
		k := "jc:" + strconv.Itoa(i)
		mustOK(t, c.JSONSet(ctx, k, "$", `{"i":`+strconv.Itoa(i)+`,"a":[]}`).Err())
		n, err := c.JSONArrAppend(ctx, k, "$.a", strconv.Itoa(i)).Result()
		mustOK(t, err)
		if !reflect.DeepEqual(n, []int64{1}) {
			t.Fatalf("%s: ARRAPPEND %v", k, n)
		}
	}
	for i := 0; i < 30; i++ {
		k := "jc:" + strconv.Itoa(i)
		got, err := c.JSONGet(ctx, k, "$.a[0]").Result()
		mustOK(t, err)
		if got != "["+strconv.Itoa(i)+"]" {
			t.Fatalf("%s: %q", k, got)
		}
	}
	mustOK(t, c.JSONMSet(ctx, "{t}a", "$", `1`, "{t}b", "$", `2`).Err())
	mg, err := c.JSONMGet(ctx, ".", "{t}a", "{t}b").Result()
	mustOK(t, err)
	if !reflect.DeepEqual(mg, []any{"1", "2"}) {
		t.Fatalf("MGET %v", mg)
	}
	checkKeysOnOwners(t, srvs, 32)
}
