package integration

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/workload"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestClusterSearchMatchesStandalone: the same corpus in a standalone
// shard and in a 3-shard cluster (written through a cluster client, the
// index created through one shard); FT.SEARCH through every shard gives
// the standalone totals and ids, in the same order under SORTBY.
func TestClusterSearchMatchesStandalone(t *testing.T) {
	ctx := context.Background()
	solo := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}})
	soloC := redis.NewClient(&redis.Options{Addr: solo.Addr(), Protocol: 2})
	defer soloC.Close()
	if err := workload.Setup(ctx, soloC, incidentDocs); err != nil {
		t.Fatal(err)
	}
	srvs := startCluster(t, 3)
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(srvs), Protocol: 2})
	defer cc.Close()
	if err := workload.Setup(ctx, cc, incidentDocs); err != nil {
		t.Fatal(err)
	}
	checkKeysOnOwners(t, srvs, incidentDocs)
	var shards []*redis.Client
	for _, s := range srvs {
		c := redis.NewClient(&redis.Options{Addr: s.Addr(), Protocol: 2})
		defer c.Close()
		shards = append(shards, c)
		// Each shard indexed only its own documents.
		n, err := c.Do(ctx, "_FT.SEARCH", workload.Index, "*", "LIMIT", "0", "0").Slice()
		if err != nil || n[0].(int64) == 0 || n[0].(int64) == incidentDocs {
			t.Fatalf("_FT.SEARCH on %s: %v %v", s.Addr(), n, err)
		}
	}
	queries := [][]any{
		{"FT.SEARCH", workload.Index, "alpha", "SORTBY", "price", "LIMIT", "0", "10"},
		{"FT.SEARCH", workload.Index, "alpha", "SORTBY", "price", "DESC", "LIMIT", "20", "7", "RETURN", "1", "price"},
		{"FT.SEARCH", workload.Index, "@tag:{red}", "SORTBY", "price", "LIMIT", "0", "5", "NOCONTENT", "WITHSORTKEYS"},
		{"FT.SEARCH", workload.Index, "@price:[100 200] bravo", "SORTBY", "price", "LIMIT", "3", "4"},
		{"FT.SEARCH", workload.Index, "alpha|delta", "LIMIT", "0", "0"},
		{"FT.SEARCH", workload.Index, "nosuchword"},
		{"FT.SEARCH", workload.Index, "@tag:{red}", "NOCONTENT", "LIMIT", "0", "1000"}, // unordered: compared as sets
	}
	for qi, q := range queries {
		want, err := soloC.Do(ctx, q...).Result()
		if err != nil {
			t.Fatalf("%v standalone: %v", q, err)
		}
		for si, c := range shards {
			got, err := c.Do(ctx, q...).Result()
			if err != nil {
				t.Fatalf("%v through shard %d: %v", q, si, err)
			}
			w := want
			if qi == len(queries)-1 {
				got, w = sortedIDs(got), sortedIDs(want)
			}
			if !reflect.DeepEqual(got, w) {
				t.Fatalf("%v through shard %d:\n got %v\nwant %v", q, si, got, w)
			}
		}
	}
	// Errors come back as the module gives them.
	if err := shards[0].Do(ctx, "FT.SEARCH", "nosuchidx", "x").Err(); err == nil || err.Error() != "No such index nosuchidx" {
		t.Fatalf("unknown index: %v", err)
	}
	if err := shards[1].Do(ctx, "FT.CREATE", workload.Index, "SCHEMA", "t", "TEXT").Err(); err == nil || err.Error() != "Index already exists" {
		t.Fatalf("FT.CREATE of an existing index: %v", err)
	}
	// FT.DROPINDEX DD through one shard drops it, with its documents, everywhere.
	if err := shards[2].Do(ctx, "FT.DROPINDEX", workload.Index, "DD").Err(); err != nil {
		t.Fatal(err)
	}
	checkKeysOnOwners(t, srvs, 0)
}

func sortedIDs(v any) any {
	a := v.([]any)
	ids := make([]string, 0, len(a))
	for _, x := range a[1:] {
		ids = append(ids, fmt.Sprint(x))
	}
	sort.Strings(ids)
	out := []any{a[0]}
	for _, id := range ids {
		out = append(out, id)
	}
	return out
}
