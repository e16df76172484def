package integration

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestHLLHashTTLPipelinesGoRedis: HyperLogLog and hash field expiration
// through go-redis v9 in a pipeline and in a MULTI/EXEC transaction,
// RESP2 and RESP3. HLL counts of a few elements are exact (3 for a b c, 4
// with d: redis-server 7.0's answers to the same flow in
// py/test_bits_hll_hfe_redispy.py); the hash field expiration replies are Redis 8's t_hash.c ones
// (1 set, -1 no TTL, -2 no field), as in TestHashFieldExpireGoRedis.
func TestHLLHashTTLPipelinesGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		for _, mode := range []string{"pipeline", "MULTI/EXEC"} {
			c.Del(ctx, "g:p", "g:q", "g:pq", "hf:p")
			var add1, add2, cnt, cntMerged, cntTwo *redis.IntCmd
			var merge *redis.StatusCmd
			var exp, ttl, persist *redis.IntSliceCmd
			var getdel *redis.StringSliceCmd
			var setex *redis.IntCmd
			var all *redis.MapStringStringCmd
			fn := func(p redis.Pipeliner) error {
				add1 = p.PFAdd(ctx, "g:p", "a", "b", "c")
				add2 = p.PFAdd(ctx, "g:p", "a")
				cnt = p.PFCount(ctx, "g:p")
				p.PFAdd(ctx, "g:q", "c", "d")
				merge = p.PFMerge(ctx, "g:pq", "g:p", "g:q")
				cntMerged = p.PFCount(ctx, "g:pq")
				cntTwo = p.PFCount(ctx, "g:p", "g:q")
				p.HSet(ctx, "hf:p", "a", "1", "b", "2")
				exp = p.HPExpire(ctx, "hf:p", 100*time.Second, "a", "zz")
				ttl = p.HTTL(ctx, "hf:p", "a", "b")
				setex = p.HSetEXWithArgs(ctx, "hf:p", &redis.HSetEXOptions{ExpirationType: redis.HSetEXExpirationEX, ExpirationVal: 50}, "b", "3")
				getdel = p.HGetDel(ctx, "hf:p", "a")
				all = p.HGetAll(ctx, "hf:p")
				persist = p.HPersist(ctx, "hf:p", "b")
				return nil
			}
			var err error
			if mode == "pipeline" {
				_, err = c.Pipelined(ctx, fn)
			} else {
				_, err = c.TxPipelined(ctx, fn)
			}
			if err != nil {
				t.Fatalf("%s: %v", mode, err)
			}
			for _, w := range []struct {
				name string
				cmd  *redis.IntCmd
				want int64
			}{{"PFADD", add1, 1}, {"PFADD known", add2, 0}, {"PFCOUNT", cnt, 3}, {"PFCOUNT merged", cntMerged, 4},
				{"PFCOUNT two keys", cntTwo, 4}, {"HSETEX", setex, 1}} {
				if n, err := w.cmd.Result(); err != nil || n != w.want {
					t.Errorf("%s %s: %d %v, want %d", mode, w.name, n, err, w.want)
				}
			}
			if err := merge.Err(); err != nil {
				t.Errorf("%s PFMERGE: %v", mode, err)
			}
			for _, w := range []struct {
				name string
				cmd  *redis.IntSliceCmd
				want []int64
			}{{"HPEXPIRE", exp, []int64{1, -2}}, {"HTTL", ttl, []int64{100, -1}}, {"HPERSIST", persist, []int64{1}}} {
				if r, err := w.cmd.Result(); err != nil || !slices.Equal(r, w.want) {
					t.Errorf("%s %s: %v %v, want %v", mode, w.name, r, err, w.want)
				}
			}
			if r, err := getdel.Result(); err != nil || !slices.Equal(r, []string{"1"}) {
				t.Errorf("%s HGETDEL: %q %v", mode, r, err)
			}
			if r, err := all.Result(); err != nil || len(r) != 1 || r["b"] != "3" {
				t.Errorf("%s HGETALL: %v %v", mode, r, err)
			}
		}
	})
}
