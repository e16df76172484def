package integration

import (
	"context"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestSetGoRedis drives the set commands through go-redis v9's helpers, in
// RESP2 and RESP3 (where SMEMBERS, SINTER... answer a RESP3 set). The
// expected values are redis-server 7.0's replies to the same commands.
func TestSetGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		if n, err := c.SAdd(ctx, "s:a", 3, 1, 2, "x").Result(); err != nil || n != 4 {
			t.Fatalf("SAdd: %d %v", n, err)
		}
		if n, err := c.SAdd(ctx, "s:b", 2, 3, 4).Result(); err != nil || n != 3 {
			t.Fatalf("SAdd: %d %v", n, err)
		}
		inter, err := c.SInter(ctx, "s:a", "s:b").Result()
		slices.Sort(inter)
		if err != nil || !slices.Equal(inter, []string{"2", "3"}) {
			t.Fatalf("SInter: %q %v", inter, err)
		}
		// An intset's members come in ascending order.
		if m, err := c.SMembers(ctx, "s:b").Result(); err != nil || !slices.Equal(m, []string{"2", "3", "4"}) {
			t.Fatalf("SMembers: %q %v", m, err)
		}
		if m, err := c.SMembersMap(ctx, "s:a").Result(); err != nil || len(m) != 4 {
			t.Fatalf("SMembersMap: %v %v", m, err)
		}
		if n, err := c.SInterStore(ctx, "s:d", "s:a", "s:b").Result(); err != nil || n != 2 {
			t.Fatalf("SInterStore: %d %v", n, err)
		}
		if n, err := c.SInterCard(ctx, 1, "s:a", "s:b").Result(); err != nil || n != 1 {
			t.Fatalf("SInterCard limit 1: %d %v", n, err)
		}
		if b, err := c.SMIsMember(ctx, "s:a", "x", "y", 1).Result(); err != nil || !slices.Equal(b, []bool{true, false, true}) {
			t.Fatalf("SMIsMember: %v %v", b, err)
		}
		if ok, err := c.SIsMember(ctx, "s:a", "y").Result(); err != nil || ok {
			t.Fatalf("SIsMember: %v %v", ok, err)
		}
		if n, err := c.SCard(ctx, "s:a").Result(); err != nil || n != 4 {
			t.Fatalf("SCard: %d %v", n, err)
		}
		if u, err := c.SUnion(ctx, "s:b", "s:d").Result(); err != nil || !slices.Equal(u, []string{"2", "3", "4"}) {
			t.Fatalf("SUnion: %q %v", u, err)
		}
		if d, err := c.SDiff(ctx, "s:b", "s:a").Result(); err != nil || !slices.Equal(d, []string{"4"}) {
			t.Fatalf("SDiff: %q %v", d, err)
		}
		if ok, err := c.SMove(ctx, "s:a", "s:b", "x").Result(); err != nil || !ok {
			t.Fatalf("SMove: %v %v", ok, err)
		}
		if p, err := c.SPopN(ctx, "s:d", 5).Result(); err != nil || !slices.Equal(p, []string{"2", "3"}) {
			t.Fatalf("SPopN: %q %v", p, err)
		}
		if r, err := c.SRandMemberN(ctx, "s:b", -6).Result(); err != nil || len(r) != 6 {
			t.Fatalf("SRandMemberN: %q %v", r, err)
		}
		if err := c.SRem(ctx, "s:b", "nope").Err(); err != nil {
			t.Fatal(err)
		}
		// SSCAN to the end, MATCH filtering.
		for i := range 50 {
			c.SAdd(ctx, "s:h", "m"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		}
		var all []string
		var cursor uint64
		for {
			keys, next, err := c.SScan(ctx, "s:h", cursor, "m*", 7).Result()
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, keys...)
			if cursor = next; cursor == 0 {
				break
			}
		}
		slices.Sort(all)
		if len(slices.Compact(all)) != 50 {
			t.Fatalf("SScan: %d members", len(all))
		}
		if err := c.Set(ctx, "s:str", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.SAdd(ctx, "s:str", "a").Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Fatalf("SAdd on a string: %v", err)
		}
		if typ, err := c.Type(ctx, "s:b").Result(); err != nil || typ != "set" {
			t.Fatalf("Type: %q %v", typ, err)
		}
		// A transaction and a pipeline.
		var card *redis.IntCmd
		var members *redis.StringSliceCmd
		if _, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.SAdd(ctx, "s:t", 5, 1)
			p.SRem(ctx, "s:t", 5)
			card = p.SCard(ctx, "s:t")
			members = p.SMembers(ctx, "s:t")
			return nil
		}); err != nil || card.Val() != 1 || !slices.Equal(members.Val(), []string{"1"}) {
			t.Fatalf("TxPipelined: %v %d %q", err, card.Val(), members.Val())
		}
		cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.SIsMember(ctx, "s:t", 1)
			p.SAdd(ctx, "s:str", "a")
			p.SInterCard(ctx, 0, "s:t", "s:b")
			return nil
		})
		if err == nil || len(cmds) != 3 || !cmds[0].(*redis.BoolCmd).Val() ||
			cmds[1].Err() == nil || cmds[2].(*redis.IntCmd).Val() != 0 || cmds[2].Err() != nil {
			t.Fatalf("Pipelined: %v %v", err, cmds)
		}
	})
}
