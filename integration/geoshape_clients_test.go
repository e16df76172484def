package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestGeoShapeGoRedis: go-redis v9's GEOSHAPE options (FieldSchema's
// SearchFieldTypeGeoShape and GeoShapeFieldType "FLAT"/"SPHERICAL"), the
// documents written with HSet and queried with FTSearchWithArgs, PARAMS and
// DIALECT 3, in RESP2 and RESP3 (the cases of test_geometry_flat.py's
// testSanitySearchPointWithin and test_geometry_sphere.py).
func TestGeoShapeGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		st, err := c.FTCreate(ctx, "shapes", &redis.FTCreateOptions{OnHash: true},
			&redis.FieldSchema{FieldName: "flat", FieldType: redis.SearchFieldTypeGeoShape, GeoShapeFieldType: "FLAT"},
			&redis.FieldSchema{FieldName: "sphere", FieldType: redis.SearchFieldTypeGeoShape, GeoShapeFieldType: "SPHERICAL"},
		).Result()
		if err != nil || st != "OK" {
			t.Fatalf("FTCreate = %q, %v", st, err)
		}
		mustOK(t, c.HSet(ctx, "point", "flat", "POINT(10 10)", "sphere", "POINT(34.9010 29.7010)").Err())
		mustOK(t, c.HSet(ctx, "small", "flat", "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1))",
			"sphere", "POLYGON((34.9001 29.7001, 34.9001 29.7100, 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))").Err())
		mustOK(t, c.HSet(ctx, "large", "flat", "POLYGON((1 1, 1 200, 200 200, 200 1, 1 1))",
			"sphere", "POLYGON((34.9001 29.7001, 34.9001 29.7200, 34.9200 29.7200, 34.9200 29.7001, 34.9001 29.7001))").Err())
		search := func(query, wkt string) []string {
			t.Helper()
			return goRedisSearchIDs(t, c, "shapes", query, &redis.FTSearchOptions{
				Params: map[string]any{"poly": wkt}, DialectVersion: 3})
		}
		// The module test's expected replies (ids in id order: equal
		// scores).
		for _, c := range []struct {
			query, wkt string
			want       []string
		}{
			{"@flat:[within $poly]", "POLYGON((0 0, 0 150, 150 150, 150 0, 0 0))", []string{"point", "small"}},
			{"@flat:[contains $poly]", "POINT(50 50)", []string{"small", "large"}},
			{"@flat:[within $poly]", "POLYGON((0 0, 0 250, 250 250, 250 0, 0 0))", []string{"point", "small", "large"}},
			{"@sphere:[within $poly]", "POLYGON((34.9000 29.7000, 34.9000 29.7150, 34.9150 29.7150, 34.9150 29.7000, 34.9000 29.7000))", []string{"point", "small"}},
			{"@sphere:[contains $poly]", "POINT(34.9050 29.7050)", []string{"small", "large"}},
			{"@sphere:[disjoint $poly]", "POINT(34.9150 29.7150)", []string{"point", "small"}},
		} {
			if got := search(c.query, c.wkt); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s %s: %v, want %v", c.query, c.wkt, got, c.want)
			}
		}
		_, err = c.FTSearchWithArgs(ctx, "shapes", "@flat:[within $poly]", &redis.FTSearchOptions{
			Params: map[string]any{"poly": "POLIGON((0 0, 0 1, 1 1, 0 0))"}, DialectVersion: 3}).Result()
		if want := "Error querying geoshape index: Should start with 'POLYGON'' in (POLIGON((0 0, 0 1, 1 1, 0 0)))"; err == nil || err.Error() != want {
			t.Errorf("bad WKT: %v, want %q", err, want)
		}
		info, err := c.FTInfo(ctx, "shapes").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(info.Attributes) != 2 || info.Attributes[0].Type != "GEOSHAPE" || info.Attributes[1].Type != "GEOSHAPE" {
			t.Errorf("FTInfo attributes %+v", info.Attributes)
		}
		if info.GeoshapesSzMB <= 0 {
			t.Errorf("FTInfo geoshapes_sz_mb %v", info.GeoshapesSzMB)
		}
	})
}

// TestGeoShapeRedisPy: py/test_geoshape_redispy.py (redis-py 4.3, which has
// no GeoShapeField: the index is created with execute_command).
func TestGeoShapeRedisPy(t *testing.T) { runModulePytest(t, "py/test_geoshape_redispy.py") }
