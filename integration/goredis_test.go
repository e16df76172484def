package integration

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

func newGoRedis(t *testing.T, addr string, proto int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto, DisableIdentity: false})
	t.Cleanup(func() { c.Close() })
	return c
}

// forEachGoRedis runs fn as a subtest for RESP2 and for RESP3, each with a
// go-redis client of that protocol on an emptied server.
func forEachGoRedis(t *testing.T, addr string, fn func(t *testing.T, ctx context.Context, c *redis.Client)) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := context.Background()
			c := newGoRedis(t, addr, proto)
			mustOK(t, c.FlushAll(ctx).Err())
			fn(t, ctx, c)
		})
	}
}

// goRedisSearchIDs runs FT.SEARCH … NOCONTENT through go-redis and returns the
// ids in reply order; the reply's total must count exactly those ids (the
// queries it serves return everything they match).
func goRedisSearchIDs(t *testing.T, c *redis.Client, index, q string, opts *redis.FTSearchOptions) []string {
	t.Helper()
	opts.NoContent = true
	res, err := c.FTSearchWithArgs(context.Background(), index, q, opts).Result()
	if err != nil {
		t.Fatalf("FT.SEARCH %s %q: %v", index, q, err)
	}
	var ids []string
	for _, d := range res.Docs {
		ids = append(ids, d.ID)
	}
	if res.Total != len(ids) {
		t.Errorf("FT.SEARCH %s %q: total %d for %v", index, q, res.Total, ids)
	}
	return ids
}

// TestGoRedis drives the core commands through go-redis v9, in RESP2 and
// RESP3, as an application would.
func TestGoRedis(t *testing.T) {
	s := server.RunT(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := context.Background()
			c := newGoRedis(t, s.Addr(), proto)
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(c.FlushAll(ctx).Err())
			if got := c.Ping(ctx).Val(); got != "PONG" {
				t.Fatalf("PING = %q", got)
			}
			// The handshake: HELLO proto, CLIENT SETINFO (go-redis sends it).
			info := c.ClientInfo(ctx).Val()
			if info == nil || info.Resp != proto || info.LibName == "" {
				t.Fatalf("CLIENT INFO after the handshake: %+v", info)
			}

			must(c.Set(ctx, "str", "hello", 0).Err())
			if v := c.Get(ctx, "str").Val(); v != "hello" {
				t.Fatalf("GET = %q", v)
			}
			if _, err := c.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
				t.Fatalf("GET missing: err = %v, want redis.Nil", err)
			}
			if n := c.Incr(ctx, "n").Val(); n != 1 {
				t.Fatalf("INCR = %d", n)
			}
			if f := c.IncrByFloat(ctx, "f", 0.1).Val(); f != 0.1 {
				t.Fatalf("INCRBYFLOAT = %v", f)
			}
			must(c.HSet(ctx, "h", "a", "1", "b", "2", "c", "3").Err())
			all := c.HGetAll(ctx, "h").Val()
			if len(all) != 3 || all["b"] != "2" {
				t.Fatalf("HGETALL = %v", all)
			}
			if keys := c.HKeys(ctx, "h").Val(); fmt.Sprint(keys) != "[a b c]" {
				t.Fatalf("HKEYS = %v (insertion order expected)", keys)
			}
			must(c.Expire(ctx, "str", time.Minute).Err())
			if ttl := c.TTL(ctx, "str").Val(); ttl <= 0 || ttl > time.Minute {
				t.Fatalf("TTL = %v", ttl)
			}
			if typ := c.Type(ctx, "h").Val(); typ != "hash" {
				t.Fatalf("TYPE = %q", typ)
			}
			if _, err := c.Get(ctx, "h").Result(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
				t.Fatalf("GET on a hash: %v", err)
			}

			// SCAN through the iterator.
			for i := 0; i < 50; i++ {
				must(c.Set(ctx, fmt.Sprintf("scan:%d", i), i, 0).Err())
			}
			var seen []string
			it := c.Scan(ctx, 0, "scan:*", 7).Iterator()
			for it.Next(ctx) {
				seen = append(seen, it.Val())
			}
			must(it.Err())
			sort.Strings(seen)
			if len(seen) != 50 {
				t.Fatalf("SCAN found %d keys, want 50", len(seen))
			}

			// A plain pipeline and a MULTI/EXEC transaction.
			cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "p1", "v1", 0)
				p.Get(ctx, "p1")
				p.Incr(ctx, "p2")
				return nil
			})
			must(err)
			if cmds[1].(*redis.StringCmd).Val() != "v1" || cmds[2].(*redis.IntCmd).Val() != 1 {
				t.Fatalf("pipeline results: %v", cmds)
			}
			tx, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Incr(ctx, "tx")
				p.Incr(ctx, "tx")
				return nil
			})
			must(err)
			if tx[1].(*redis.IntCmd).Val() != 2 {
				t.Fatalf("transaction results: %v", tx)
			}

			// WATCH: a concurrent change makes the transaction fail.
			other := newGoRedis(t, s.Addr(), proto)
			err = c.Watch(ctx, func(txn *redis.Tx) error {
				if err := other.Set(ctx, "watched", "changed", 0).Err(); err != nil {
					return err
				}
				_, err := txn.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Set(ctx, "watched", "mine", 0)
					return nil
				})
				return err
			}, "watched")
			if !errors.Is(err, redis.TxFailedErr) {
				t.Fatalf("WATCH conflict: err = %v, want TxFailedErr", err)
			}
			if v := c.Get(ctx, "watched").Val(); v != "changed" {
				t.Fatalf("watched = %q", v)
			}

			// Server commands.
			cfg := c.ConfigGet(ctx, "maxclients").Val()
			if cfg["maxclients"] != "10000" {
				t.Fatalf("CONFIG GET maxclients = %v", cfg)
			}
			must(c.ConfigSet(ctx, "maxclients", "5000").Err())
			if cfg := c.ConfigGet(ctx, "maxclients").Val(); cfg["maxclients"] != "5000" {
				t.Fatalf("CONFIG SET did not apply: %v", cfg)
			}
			must(c.ConfigSet(ctx, "maxclients", "10000").Err())
			if info := c.Info(ctx, "keyspace").Val(); info == "" {
				t.Fatal("empty INFO keyspace")
			}
			must(c.Do(ctx, "CLIENT", "SETNAME", "go-test").Err())
			if name := c.ClientGetName(ctx).Val(); name != "go-test" {
				t.Fatalf("CLIENT GETNAME = %q", name)
			}
			if n := c.DBSize(ctx).Val(); n < 50 {
				t.Fatalf("DBSIZE = %d", n)
			}
			if _, err := c.Do(ctx, "NOSUCHCMD").Result(); err == nil || err.Error() != "ERR unknown command 'NOSUCHCMD', with args beginning with: " {
				t.Fatalf("unknown command: %v", err)
			}
		})
	}
}

// TestGoRedisCommandTable: go-redis reads COMMAND to learn key positions and
// read-only commands (for cluster routing); it must parse ours.
func TestGoRedisCommandTable(t *testing.T) {
	s := server.RunT(t)
	ctx := context.Background()
	c := newGoRedis(t, s.Addr(), 2)
	cmds, err := c.Command(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	get := cmds["get"]
	if get == nil || get.Arity != 2 || get.FirstKeyPos != 1 || !get.ReadOnly {
		t.Fatalf("COMMAND get = %+v", get)
	}
	if hset := cmds["hset"]; hset == nil || hset.ReadOnly || hset.Arity != -4 {
		t.Fatalf("COMMAND hset = %+v", hset)
	}
}
