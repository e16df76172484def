package integration

import (
	"context"
	"slices"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestHashFieldExpireGoRedis drives the hash field expiration commands
// through go-redis v9's helpers, RESP2 and RESP3. The replies are those of
// Redis 8's t_hash.c (see server/cmd_hash_ttl_test.go): 1 set, -2 no field,
// -1 no expiry, 2 deleted for a time in the past.
func TestHashFieldExpireGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		mustOK(t, c.HSet(ctx, "hf:a", "f1", "v1", "f2", "v2", "f3", "v3").Err())
		if r, err := c.HExpire(ctx, "hf:a", 100*time.Second, "f1", "nofield").Result(); err != nil || !slices.Equal(r, []int64{1, -2}) {
			t.Fatalf("HExpire: %v %v", r, err)
		}
		if r, err := c.HExpireWithArgs(ctx, "hf:a", 50*time.Second, redis.HExpireArgs{GT: true}, "f1").Result(); err != nil || !slices.Equal(r, []int64{0}) {
			t.Fatalf("HExpireWithArgs GT: %v %v", r, err)
		}
		if r, err := c.HTTL(ctx, "hf:a", "f1", "f2", "nofield").Result(); err != nil || !slices.Equal(r, []int64{100, -1, -2}) {
			t.Fatalf("HTTL: %v %v", r, err)
		}
		if r, err := c.HPersist(ctx, "hf:a", "f1", "f2").Result(); err != nil || !slices.Equal(r, []int64{1, -1}) {
			t.Fatalf("HPersist: %v %v", r, err)
		}
		if r, err := c.HGetDel(ctx, "hf:a", "f2").Result(); err != nil || !slices.Equal(r, []string{"v2"}) {
			t.Fatalf("HGetDel: %q %v", r, err)
		}
		opts := &redis.HGetEXOptions{ExpirationType: redis.HGetEXExpirationEX, ExpirationVal: 30}
		if r, err := c.HGetEXWithArgs(ctx, "hf:a", opts, "f3").Result(); err != nil || !slices.Equal(r, []string{"v3"}) {
			t.Fatalf("HGetEXWithArgs: %q %v", r, err)
		}
		if r, err := c.HTTL(ctx, "hf:a", "f3").Result(); err != nil || !slices.Equal(r, []int64{30}) {
			t.Fatalf("HTTL after HGETEX EX 30: %v %v", r, err)
		}
		if n, err := c.HSetEX(ctx, "hf:a", "f4", "v4").Result(); err != nil || n != 1 {
			t.Fatalf("HSetEX: %d %v", n, err)
		}
		sopts := &redis.HSetEXOptions{Condition: redis.HSetEXFNX, ExpirationType: redis.HSetEXExpirationPX, ExpirationVal: 20000}
		if n, err := c.HSetEXWithArgs(ctx, "hf:a", sopts, "f4", "x").Result(); err != nil || n != 0 {
			t.Fatalf("HSetEXWithArgs FNX on an existing field: %d %v", n, err)
		}
		if n, err := c.HSetEXWithArgs(ctx, "hf:a", sopts, "f5", "v5").Result(); err != nil || n != 1 {
			t.Fatalf("HSetEXWithArgs FNX: %d %v", n, err)
		}
		if r, err := c.HPExpireTime(ctx, "hf:a", "f4").Result(); err != nil || !slices.Equal(r, []int64{-1}) {
			t.Fatalf("HPExpireTime: %v %v", r, err)
		}
		if r, err := c.HExpireAt(ctx, "hf:a", time.Now().Add(-time.Hour), "f1", "f3", "f4", "f5").Result(); err != nil || !slices.Equal(r, []int64{2, 2, 2, 2}) {
			t.Fatalf("HExpireAt in the past: %v %v", r, err)
		}
		if n, err := c.Exists(ctx, "hf:a").Result(); err != nil || n != 0 {
			t.Fatalf("the emptied hash must be gone: %d %v", n, err)
		}
	})
}

// An indexed field that expires leaves the index like any hash write: the
// search module sees "hexpired" (or "del" for the last field) and reindexes
// the document, so FT.SEARCH stops finding it.
func TestHashFieldExpireReindexes(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}})
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA", "color", "TAG", "title", "TEXT", OK},
		{"HSET", "doc:1", "color", "red", "title", "one", Int(2)},
		{"HSET", "doc:2", "color", "red", "title", "two", Int(2)},
		{"HSET", "doc:3", "color", "red", Int(1)},
		{"FT.SEARCH", "idx", "@color:{red}", "LIMIT", "0", "0", "*1\r\n:3\r\n"},
		// doc:1 loses its color, doc:3 its only field (and so the key)
		{"HPEXPIRE", "doc:1", "30", "FIELDS", "1", "color", "*1\r\n:1\r\n"},
		{"HPEXPIRE", "doc:3", "30", "FIELDS", "1", "color", "*1\r\n:1\r\n"},
	})
	deadline := time.Now().Add(3 * time.Second)
	for {
		r := c.Do("FT.SEARCH", "idx", "@color:{red}", "NOCONTENT")
		if string(r.Raw) == "*2\r\n:1\r\n$5\r\ndoc:2\r\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FT.SEARCH after the fields expired: %q", r.Raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
	MustDoAll(t, c, [][]string{
		{"FT.SEARCH", "idx", "@title:one", "NOCONTENT", "*2\r\n:1\r\n$5\r\ndoc:1\r\n"},
		{"EXISTS", "doc:3", Int(0)},
	})
}
