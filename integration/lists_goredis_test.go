package integration

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestListsGoRedis runs go-redis v9's list calls in RESP2 and RESP3; the
// expected values are Redis' (see differential_lists.txt for the raw
// replies).
func TestListsGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		if n, err := c.LPush(ctx, "l", "b", "a").Result(); err != nil || n != 2 {
			t.Fatalf("LPush: %d %v", n, err)
		}
		if n, err := c.RPush(ctx, "l", "c").Result(); err != nil || n != 3 {
			t.Fatalf("RPush: %d %v", n, err)
		}
		if got, err := c.LRange(ctx, "l", 0, -1).Result(); err != nil || !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Fatalf("LRange: %q %v", got, err)
		}
		if got, err := c.LMove(ctx, "l", "m", "RIGHT", "LEFT").Result(); err != nil || got != "c" {
			t.Fatalf("LMove: %q %v", got, err)
		}
		if got, err := c.LPopCount(ctx, "l", 5).Result(); err != nil || !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("LPopCount: %q %v", got, err)
		}
		if _, err := c.LPop(ctx, "l").Result(); !errors.Is(err, redis.Nil) {
			t.Fatalf("LPop of a missing key: %v", err)
		}
		if pos, err := c.LPos(ctx, "m", "c", redis.LPosArgs{}).Result(); err != nil || pos != 0 {
			t.Fatalf("LPos: %d %v", pos, err)
		}
		key, vals, err := c.LMPop(ctx, "left", 1, "none", "m").Result()
		if err != nil || key != "m" || !slices.Equal(vals, []string{"c"}) {
			t.Fatalf("LMPop: %q %q %v", key, vals, err)
		}
		if err := c.Set(ctx, "s", "x", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.LPush(ctx, "s", "x").Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Fatalf("LPush on a string: %v", err)
		}
		// BRPop timing out, then served by a push from another client.
		start := time.Now()
		if _, err := c.BRPop(ctx, 100*time.Millisecond, "q").Result(); !errors.Is(err, redis.Nil) || time.Since(start) < 100*time.Millisecond {
			t.Fatalf("BRPop timeout: %v after %v", err, time.Since(start))
		}
		other := newGoRedis(t, s.Addr(), 2)
		go func() {
			time.Sleep(50 * time.Millisecond)
			other.RPush(ctx, "q", "v1", "v2")
		}()
		if got, err := c.BRPop(ctx, 0, "q").Result(); err != nil || !slices.Equal(got, []string{"q", "v2"}) {
			t.Fatalf("BRPop: %q %v", got, err)
		}
		if got, err := c.BLMove(ctx, "q", "r", "LEFT", "RIGHT", time.Second).Result(); err != nil || got != "v1" {
			t.Fatalf("BLMove: %q %v", got, err)
		}
	})
}
