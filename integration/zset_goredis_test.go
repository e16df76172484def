package integration

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestZsetGoRedis drives the sorted set commands through go-redis v9's
// helpers, in RESP2 and RESP3 (where scores come as RESP3 doubles and
// WITHSCORES replies as pairs), with a pipeline and a MULTI/EXEC. The
// expected values are redis-server 7.0's replies to the same commands.
func TestZsetGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		if n, err := c.ZAdd(ctx, "z:a", redis.Z{Score: 1, Member: "a"}, redis.Z{Score: 2.5, Member: "b"},
			redis.Z{Score: math.Inf(1), Member: "c"}).Result(); err != nil || n != 3 {
			t.Fatalf("ZAdd: %d %v", n, err)
		}
		if n, err := c.ZAddArgs(ctx, "z:a", redis.ZAddArgs{GT: true, Ch: true,
			Members: []redis.Z{{Score: 0, Member: "a"}, {Score: 3, Member: "b"}}}).Result(); err != nil || n != 1 {
			t.Fatalf("ZAddArgs GT CH: %d %v", n, err)
		}
		if f, err := c.ZIncrBy(ctx, "z:a", 0.5, "a").Result(); err != nil || f != 1.5 {
			t.Fatalf("ZIncrBy: %v %v", f, err)
		}
		if f, err := c.ZScore(ctx, "z:a", "c").Result(); err != nil || !math.IsInf(f, 1) {
			t.Fatalf("ZScore inf: %v %v", f, err)
		}
		if _, err := c.ZScore(ctx, "z:a", "nosuch").Result(); err != redis.Nil {
			t.Fatalf("ZScore missing: %v", err)
		}
		if fs, err := c.ZMScore(ctx, "z:a", "a", "b").Result(); err != nil || !slices.Equal(fs, []float64{1.5, 3}) {
			t.Fatalf("ZMScore: %v %v", fs, err)
		}
		zs, err := c.ZRangeWithScores(ctx, "z:a", 0, -1).Result()
		if err != nil || len(zs) != 3 || zs[0] != (redis.Z{Score: 1.5, Member: "a"}) || zs[1] != (redis.Z{Score: 3, Member: "b"}) {
			t.Fatalf("ZRangeWithScores: %v %v", zs, err)
		}
		if m, err := c.ZRangeArgs(ctx, redis.ZRangeArgs{Key: "z:a", Start: "(1.5", Stop: "+inf", ByScore: true, Rev: false,
			Offset: 0, Count: 1}).Result(); err != nil || !slices.Equal(m, []string{"b"}) {
			t.Fatalf("ZRangeArgs BYSCORE LIMIT: %q %v", m, err)
		}
		if m, err := c.ZRevRangeByScore(ctx, "z:a", &redis.ZRangeBy{Min: "-inf", Max: "+inf"}).Result(); err != nil ||
			!slices.Equal(m, []string{"c", "b", "a"}) {
			t.Fatalf("ZRevRangeByScore: %q %v", m, err)
		}
		if r, err := c.ZRank(ctx, "z:a", "c").Result(); err != nil || r != 2 {
			t.Fatalf("ZRank: %d %v", r, err)
		}
		if n, err := c.ZCount(ctx, "z:a", "(1.5", "inf").Result(); err != nil || n != 2 {
			t.Fatalf("ZCount: %d %v", n, err)
		}
		if n, err := c.ZAdd(ctx, "z:b", redis.Z{Score: 10, Member: "b"}, redis.Z{Score: 1, Member: "d"}).Result(); err != nil || n != 2 {
			t.Fatalf("ZAdd z:b: %d %v", n, err)
		}
		// b: 3*1 + 10*2 = 23; a: 1.5; d: 2.
		u, err := c.ZUnionWithScores(ctx, redis.ZStore{Keys: []string{"z:a", "z:b"}, Weights: []float64{1, 2}}).Result()
		if err != nil || len(u) != 4 || u[0] != (redis.Z{Score: 1.5, Member: "a"}) || u[1] != (redis.Z{Score: 2, Member: "d"}) ||
			u[2] != (redis.Z{Score: 23, Member: "b"}) {
			t.Fatalf("ZUnionWithScores: %v %v", u, err)
		}
		if n, err := c.ZInterStore(ctx, "z:i", &redis.ZStore{Keys: []string{"z:a", "z:b"}, Aggregate: "MAX"}).Result(); err != nil || n != 1 {
			t.Fatalf("ZInterStore: %d %v", n, err)
		}
		if n, err := c.ZInterCard(ctx, 0, "z:a", "z:b").Result(); err != nil || n != 1 {
			t.Fatalf("ZInterCard: %d %v", n, err)
		}
		if p, err := c.ZPopMin(ctx, "z:a", 2).Result(); err != nil || len(p) != 2 || p[0].Member != "a" || p[1].Score != 3 {
			t.Fatalf("ZPopMin: %v %v", p, err)
		}
		if key, p, err := c.ZMPop(ctx, "max", 5, "z:nokey", "z:b").Result(); err != nil || key != "z:b" || len(p) != 2 || p[0].Member != "b" {
			t.Fatalf("ZMPop: %q %v %v", key, p, err)
		}
		// A blocked BZPOPMIN woken by a ZADD from another client.
		done := make(chan *redis.ZWithKey, 1)
		go func() {
			r, _ := c.BZPopMin(ctx, 5*time.Second, "z:blk").Result()
			done <- r
		}()
		other := redis.NewClient(&redis.Options{Addr: s.Addr()})
		defer other.Close()
		time.Sleep(100 * time.Millisecond)
		other.ZAdd(ctx, "z:blk", redis.Z{Score: 7, Member: "w"})
		if r := <-done; r == nil || r.Key != "z:blk" || r.Member != "w" || r.Score != 7 {
			t.Fatalf("BZPopMin: %+v", r)
		}
		// A pipeline, then MULTI/EXEC.
		cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.ZAdd(ctx, "z:p", redis.Z{Score: 1, Member: "x"}, redis.Z{Score: 2, Member: "y"})
			p.ZCard(ctx, "z:p")
			p.ZRevRange(ctx, "z:p", 0, 0)
			return nil
		})
		if err != nil || cmds[1].(*redis.IntCmd).Val() != 2 || !slices.Equal(cmds[2].(*redis.StringSliceCmd).Val(), []string{"y"}) {
			t.Fatalf("Pipelined: %v %v", cmds, err)
		}
		cmds, err = c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.ZRem(ctx, "z:p", "x")
			p.ZScore(ctx, "z:p", "y")
			p.ZRandMemberWithScores(ctx, "z:p", 1)
			return nil
		})
		if err != nil || cmds[0].(*redis.IntCmd).Val() != 1 || cmds[1].(*redis.FloatCmd).Val() != 2 ||
			len(cmds[2].(*redis.ZSliceCmd).Val()) != 1 || cmds[2].(*redis.ZSliceCmd).Val()[0] != (redis.Z{Score: 2, Member: "y"}) {
			t.Fatalf("TxPipelined: %v %v", cmds, err)
		}
		if err := c.Set(ctx, "z:str", "x", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.ZAdd(ctx, "z:str", redis.Z{Score: 1, Member: "a"}).Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Fatalf("ZAdd on a string: %v", err)
		}
		if err := c.ZAdd(ctx, "z:nan", redis.Z{Score: math.NaN(), Member: "a"}).Err(); err == nil || err.Error() != "ERR value is not a valid float" {
			t.Fatalf("ZAdd NaN: %v", err)
		}
		c.Del(ctx, "z:a", "z:b", "z:i", "z:p", "z:str")
	})
}
