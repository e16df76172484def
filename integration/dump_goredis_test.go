package integration

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// dumpFixtures build one value of each type and encoding, the same on both
// servers.
var dumpFixtures = [][]any{
	{"SET", "str:int", "12345"},
	{"SET", "str:embstr", "hello"},
	{"SET", "str:raw", strings.Repeat("compressible text ", 30)},
	{"PFADD", "str:hll", "a", "b", "c", "d"},
	{"RPUSH", "list:small", "a", "1", "-300", "70000", "hello world"},
	fixture("RPUSH", "list:big", fixtureItems("item", 2000)),
	{"SADD", "set:intset", "5", "-1", "100000"},
	{"SADD", "set:ht", "x", "y", "z", "1"},
	fixture("SADD", "set:bigints", fixtureItems("", 600)),
	{"HSET", "hash:lp", "f1", "v1", "f2", "2"},
	fixture("HSET", "hash:ht", fixtureItems("field", 1200)),
	{"ZADD", "zset:lp", "1", "a", "2.5", "b", "-inf", "c"},
	fixture("ZADD", "zset:sl", fixtureItems("1.5", 400)),
	{"XADD", "stream:x", "1-1", "f", "v"},
	{"XADD", "stream:x", "1-2", "a", "1", "b", "2"},
	{"XADD", "stream:x", "2-0", "f", "w"},
	{"XDEL", "stream:x", "1-2"},
	{"XGROUP", "CREATE", "stream:x", "g", "0"},
	{"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "stream:x", ">"},
	{"XGROUP", "CREATECONSUMER", "stream:x", "g", "bob"},
	{"XGROUP", "CREATE", "stream:x", "h", "$"},
}

func fixture(cmd, key string, args []any) []any { return append([]any{cmd, key}, args...) }

// fixtureItems is n arguments: prefix-i, or numbers i (prefix ""), or for
// a prefix that is a number, score/member pairs.
func fixtureItems(prefix string, n int) []any {
	var out []any
	for i := 0; i < n; i++ {
		switch {
		case prefix == "":
			out = append(out, fmt.Sprint(i*7))
		case prefix == "1.5":
			out = append(out, fmt.Sprintf("%d.5", i%50), fmt.Sprintf("member-%d", i))
		default:
			out = append(out, fmt.Sprintf("%s-%d", prefix, i))
		}
	}
	return out
}

// dumpContent is a value's content in a form to compare: its type, its
// encoding and its elements (sorted where the order is a hash table's).
func dumpContent(t *testing.T, ctx context.Context, c *redis.Client, key string) string {
	t.Helper()
	typ := c.Type(ctx, key).Val()
	enc := c.ObjectEncoding(ctx, key).Val()
	var elems []string
	switch typ {
	case "string":
		elems = []string{c.Get(ctx, key).Val()}
	case "list":
		elems = c.LRange(ctx, key, 0, -1).Val()
	case "set":
		elems = c.SMembers(ctx, key).Val()
		slices.Sort(elems)
	case "hash":
		for f, v := range c.HGetAll(ctx, key).Val() {
			elems = append(elems, f+"="+v)
		}
		slices.Sort(elems)
	case "zset":
		for _, z := range c.ZRangeWithScores(ctx, key, 0, -1).Val() {
			elems = append(elems, fmt.Sprintf("%v=%v", z.Member, z.Score))
		}
	case "stream":
		for _, m := range c.XRange(ctx, key, "-", "+").Val() {
			elems = append(elems, fmt.Sprint(m.ID, m.Values))
		}
		info, err := c.XInfoStreamFull(ctx, key, 0).Result()
		if err != nil {
			t.Fatalf("XINFO STREAM FULL %s: %v", key, err)
		}
		elems = append(elems, fmt.Sprint(info.Length, info.LastGeneratedID, info.MaxDeletedEntryID, info.EntriesAdded, info.RecordedFirstEntryID))
		for _, g := range info.Groups {
			elems = append(elems, fmt.Sprintf("%+v", g))
		}
	default:
		t.Fatalf("%s: type %q", key, typ)
	}
	return fmt.Sprintf("%s/%s/%d/%q", typ, enc, len(elems), elems)
}

// TestDumpRestoreGoRedis moves every fixture both ways between a
// redis-server 7.0 and this server with go-redis' Dump and RestoreReplace:
// the value restored on one side has the content and encoding of the
// original on the other. Hash-table sets and hashes are iterated in a
// dict's order, random per redis-server process, so their payloads can
// only be compared this way; for the other encodings the payloads
// themselves must be equal.
func TestDumpRestoreGoRedis(t *testing.T) {
	redisAddr := startRedis(t)
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, ours *redis.Client) {
		theirs := newGoRedis(t, redisAddr, ours.Options().Protocol)
		mustOK(t, theirs.FlushAll(ctx).Err())
		for _, fx := range dumpFixtures {
			for _, c := range []*redis.Client{ours, theirs} {
				if err := c.Do(ctx, fx...).Err(); err != nil {
					t.Fatalf("%v: %v", fx, err)
				}
			}
		}
		for _, fx := range dumpFixtures {
			key := fx[1].(string)
			if key == "CREATE" || key == "GROUP" || key == "CREATECONSUMER" || fx[0] == "XDEL" {
				continue
			}
			// (a stream's delivery and seen times are each server's clock)
			want := dumpContent(t, ctx, theirs, key)
			if got := dumpContent(t, ctx, ours, key); got != want && !strings.HasPrefix(key, "stream:") {
				t.Fatalf("%s: the fixtures differ:\n ours  %.300s\n redis %.300s", key, got, want)
			}
			fromRedis, err := theirs.Dump(ctx, key).Result()
			if err != nil {
				t.Fatalf("redis DUMP %s: %v", key, err)
			}
			fromOurs, err := ours.Dump(ctx, key).Result()
			if err != nil {
				t.Fatalf("our DUMP %s: %v", key, err)
			}
			enc := ours.ObjectEncoding(ctx, key).Val()
			// (a stream's consumers carry the time they were last seen)
			if enc != "hashtable" && enc != "stream" && fromOurs != fromRedis {
				t.Errorf("%s (%s): DUMP payloads differ", key, enc)
			}
			// Each payload restored on both servers: the same content and
			// encoding on both (a restored HyperLogLog is an embstr where the
			// original was raw, on redis-server too).
			for _, src := range []struct {
				name    string
				payload string
				c       *redis.Client
			}{{"redis-server", fromRedis, theirs}, {"ours", fromOurs, ours}} {
				for _, c := range []*redis.Client{ours, theirs} {
					mustOK(t, c.RestoreReplace(ctx, "copy:"+key, 0, src.payload).Err())
				}
				want := dumpContent(t, ctx, theirs, "copy:"+key)
				if got := dumpContent(t, ctx, ours, "copy:"+key); got != want {
					t.Errorf("%s, payload from %s, restored:\n ours  %.300s\n redis %.300s", key, src.name, got, want)
				}
				// The copy is the original (a stream's times are the
				// source server's).
				if orig := dumpContent(t, ctx, src.c, key); !strings.HasPrefix(key, "str:") && want != orig {
					t.Errorf("%s, payload from %s: restored %.300s, original %.300s", key, src.name, want, orig)
				}
			}
		}
		// A TTL travels as RESTORE's argument, not in the payload.
		p := ours.Dump(ctx, "str:embstr").Val()
		mustOK(t, ours.Restore(ctx, "ttl:k", 100*time.Second, p).Err())
		if ttl := ours.TTL(ctx, "ttl:k").Val(); ttl < 90*time.Second || ttl > 100*time.Second {
			t.Errorf("TTL after RESTORE: %v", ttl)
		}
		if err := ours.Restore(ctx, "ttl:k", 0, p).Err(); err == nil || err.Error() != "BUSYKEY Target key name already exists." {
			t.Errorf("RESTORE over a key: %v", err)
		}
	})
}
