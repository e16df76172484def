package integration

import (
	"context"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestGeoGoRedis drives the geo commands through go-redis v9's helpers, in
// RESP2 and RESP3 (where coordinates come as RESP3 doubles), with a
// pipeline and a MULTI/EXEC. The expected values are redis-server 7.0's
// replies to the same commands (GEOPOS "13.36138933897018433"
// "38.11555639549629859", GEODIST "166.2742" km, WITHDIST "56.4413" and
// "190.4424", WITHHASH 3479447370796909, STOREDIST 56.441257870158204).
func TestGeoGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		if n, err := c.GeoAdd(ctx, "g:s",
			&redis.GeoLocation{Name: "Palermo", Longitude: 13.361389, Latitude: 38.115556},
			&redis.GeoLocation{Name: "Catania", Longitude: 15.087269, Latitude: 37.502669},
			&redis.GeoLocation{Name: "Rome", Longitude: 12.496366, Latitude: 41.902782}).Result(); err != nil || n != 3 {
			t.Fatalf("GeoAdd: %d %v", n, err)
		}
		pos, err := c.GeoPos(ctx, "g:s", "Palermo", "nosuch").Result()
		if err != nil || len(pos) != 2 || pos[0] == nil || pos[1] != nil ||
			pos[0].Longitude != 13.36138933897018433 || pos[0].Latitude != 38.11555639549629859 {
			t.Fatalf("GeoPos: %v %v", pos, err)
		}
		if d, err := c.GeoDist(ctx, "g:s", "Palermo", "Catania", "km").Result(); err != nil || d != 166.2742 {
			t.Fatalf("GeoDist: %v %v", d, err)
		}
		if _, err := c.GeoDist(ctx, "g:s", "Palermo", "nosuch", "km").Result(); err != redis.Nil {
			t.Fatalf("GeoDist missing member: %v", err)
		}
		if h, err := c.GeoHash(ctx, "g:s", "Palermo", "Rome").Result(); err != nil || !slices.Equal(h, []string{"sqc8b49rny0", "sr2ykk5t6k0"}) {
			t.Fatalf("GeoHash: %q %v", h, err)
		}
		q := &redis.GeoSearchQuery{Longitude: 15, Latitude: 37, Radius: 200, RadiusUnit: "km", Sort: "ASC"}
		if m, err := c.GeoSearch(ctx, "g:s", q).Result(); err != nil || !slices.Equal(m, []string{"Catania", "Palermo"}) {
			t.Fatalf("GeoSearch: %q %v", m, err)
		}
		locs, err := c.GeoSearchLocation(ctx, "g:s", &redis.GeoSearchLocationQuery{GeoSearchQuery: *q,
			WithCoord: true, WithDist: true, WithHash: true}).Result()
		if err != nil || len(locs) != 2 {
			t.Fatalf("GeoSearchLocation: %v %v", locs, err)
		}
		want := redis.GeoLocation{Name: "Catania", Longitude: 15.08726745843887329, Latitude: 37.50266842333162032,
			Dist: 56.4413, GeoHash: 3479447370796909}
		if locs[0] != want || locs[1].Name != "Palermo" || locs[1].Dist != 190.4424 || locs[1].GeoHash != 3479099956230698 {
			t.Fatalf("GeoSearchLocation: %+v", locs)
		}
		box := &redis.GeoSearchQuery{Member: "Rome", BoxWidth: 800, BoxHeight: 800, BoxUnit: "km", Sort: "DESC", Count: 2}
		if m, err := c.GeoSearch(ctx, "g:s", box).Result(); err != nil || !slices.Equal(m, []string{"Rome"}) {
			t.Fatalf("GeoSearch BYBOX: %q %v", m, err)
		}
		if n, err := c.GeoSearchStore(ctx, "g:s", "g:d", &redis.GeoSearchStoreQuery{GeoSearchQuery: *q, StoreDist: true}).Result(); err != nil || n != 2 {
			t.Fatalf("GeoSearchStore: %d %v", n, err)
		}
		if zs, err := c.ZRangeWithScores(ctx, "g:d", 0, -1).Result(); err != nil || len(zs) != 2 ||
			zs[0] != (redis.Z{Member: "Catania", Score: 56.441257870158204}) || zs[1] != (redis.Z{Member: "Palermo", Score: 190.44242984775784}) {
			t.Fatalf("ZRange of the STOREDIST result: %v %v", zs, err)
		}
		if _, err := c.GeoSearch(ctx, "g:s", &redis.GeoSearchQuery{Member: "nosuch", Radius: 1, RadiusUnit: "km"}).Result(); err == nil ||
			err.Error() != "ERR could not decode requested zset member" {
			t.Fatalf("GeoSearch missing member: %v", err)
		}
		// pipeline and transaction
		cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.GeoAdd(ctx, "g:t", &redis.GeoLocation{Name: "x", Longitude: 0, Latitude: 0})
			p.GeoRadius(ctx, "g:s", 15, 37, &redis.GeoRadiusQuery{Radius: 100, Unit: "km", WithDist: true})
			return nil
		})
		if err != nil || len(cmds) != 2 {
			t.Fatalf("TxPipelined: %v", err)
		}
		if r := cmds[1].(*redis.GeoLocationCmd).Val(); len(r) != 1 || r[0].Name != "Catania" || r[0].Dist != 56.4413 {
			t.Fatalf("GEORADIUS in MULTI: %+v", r)
		}
		pipe := c.Pipeline()
		pos1 := pipe.GeoPos(ctx, "g:t", "x")
		dist := pipe.GeoDist(ctx, "g:s", "Rome", "Rome", "m")
		if _, err := pipe.Exec(ctx); err != nil || pos1.Val()[0].Longitude != 0.00000268220901489 || dist.Val() != 0 {
			t.Fatalf("pipeline: %v %v %v", err, pos1.Val()[0], dist.Val())
		}
	})
}
