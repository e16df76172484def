package integration

import (
	"context"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestHLLGoRedis drives PFADD, PFCOUNT and PFMERGE through go-redis v9's
// helpers, in RESP2 and RESP3. The expected values are redis-server 7.0's
// replies to the same commands (1008 for e0..e999, 1509 for e0..e1499).
func TestHLLGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		elems := func(from, to int) []any {
			var out []any
			for i := from; i < to; i++ {
				out = append(out, "e"+strconv.Itoa(i))
			}
			return out
		}
		if n, err := c.PFAdd(ctx, "g:a", elems(0, 1000)...).Result(); err != nil || n != 1 {
			t.Fatalf("PFAdd: %d %v", n, err)
		}
		if n, err := c.PFAdd(ctx, "g:a", "e1").Result(); err != nil || n != 0 {
			t.Fatalf("PFAdd of a known element: %d %v", n, err)
		}
		if n, err := c.PFCount(ctx, "g:a").Result(); err != nil || n != 1008 {
			t.Fatalf("PFCount: %d %v", n, err)
		}
		if n, err := c.PFAdd(ctx, "g:b", elems(500, 1500)...).Result(); err != nil || n != 1 {
			t.Fatalf("PFAdd: %d %v", n, err)
		}
		if err := c.PFMerge(ctx, "g:m", "g:a", "g:b").Err(); err != nil {
			t.Fatalf("PFMerge: %v", err)
		}
		if n, err := c.PFCount(ctx, "g:m").Result(); err != nil || n != 1509 {
			t.Fatalf("PFCount of the merge: %d %v", n, err)
		}
		if n, err := c.PFCount(ctx, "g:a", "g:b").Result(); err != nil || n != 1509 {
			t.Fatalf("PFCount of two keys: %d %v", n, err)
		}
		c.Set(ctx, "g:s", "x", 0)
		if err := c.PFAdd(ctx, "g:s", "a").Err(); err == nil || err.Error() != "WRONGTYPE Key is not a valid HyperLogLog string value." {
			t.Fatalf("PFAdd on a plain string: %v", err)
		}
		c.Del(ctx, "g:a", "g:b", "g:m", "g:s")
	})
}
