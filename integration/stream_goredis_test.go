package integration

import (
	"context"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestStreamGoRedis drives the stream commands through go-redis v9's
// helpers (XAdd, XRange, XReadGroup, XAck, XPending, a pipeline and a
// MULTI/EXEC transaction), in RESP2 and RESP3 (where XREAD answers a map).
// The same flow runs against the stock redis-server 7.0 first: the
// expected values are what it answers.
func TestStreamGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	for _, target := range []struct{ name, addr string }{
		{"redis-server", startRedis(t)},
		{"ours", s.Addr()},
	} {
		t.Run(target.name, func(t *testing.T) {
			forEachGoRedis(t, target.addr, streamGoRedisFlow)
		})
	}
}

func streamGoRedisFlow(t *testing.T, ctx context.Context, c *redis.Client) {
	add := func(id string, vals ...any) {
		t.Helper()
		got, err := c.XAdd(ctx, &redis.XAddArgs{Stream: "x:s", ID: id, Values: vals}).Result()
		if err != nil || got != id {
			t.Fatalf("XAdd %s: %q %v", id, got, err)
		}
	}
	add("1-1", "f", "a", "g", "b")
	add("2-1", "f", "c")
	add("3-1", "f", "d")
	if _, err := c.XAdd(ctx, &redis.XAddArgs{Stream: "x:s", ID: "2-5", Values: []any{"f", "x"}}).Result(); err == nil ||
		err.Error() != "ERR The ID specified in XADD is equal or smaller than the target stream top item" {
		t.Fatalf("XAdd smaller ID: %v", err)
	}
	if _, err := c.XAdd(ctx, &redis.XAddArgs{Stream: "x:none", NoMkStream: true, ID: "1-1", Values: []any{"f", "x"}}).Result(); err != redis.Nil {
		t.Fatalf("XAdd NOMKSTREAM: %v", err)
	}
	msgs, err := c.XRange(ctx, "x:s", "-", "+").Result()
	if err != nil || len(msgs) != 3 || msgs[0].ID != "1-1" || msgs[0].Values["g"] != "b" || msgs[2].Values["f"] != "d" {
		t.Fatalf("XRange: %+v %v", msgs, err)
	}
	if msgs, err := c.XRevRangeN(ctx, "x:s", "+", "(1-1", 1).Result(); err != nil || len(msgs) != 1 || msgs[0].ID != "3-1" {
		t.Fatalf("XRevRangeN: %+v %v", msgs, err)
	}
	if n, err := c.XLen(ctx, "x:s").Result(); err != nil || n != 3 {
		t.Fatalf("XLen: %d %v", n, err)
	}
	if n, err := c.XTrimMaxLen(ctx, "x:s", 10).Result(); err != nil || n != 0 {
		t.Fatalf("XTrimMaxLen: %d %v", n, err)
	}
	streams, err := c.XRead(ctx, &redis.XReadArgs{Streams: []string{"x:s", "1-1"}, Count: 1, Block: -1}).Result()
	if err != nil || len(streams) != 1 || streams[0].Stream != "x:s" || len(streams[0].Messages) != 1 || streams[0].Messages[0].ID != "2-1" {
		t.Fatalf("XRead: %+v %v", streams, err)
	}

	// A group from the start; alice reads two, bob the rest.
	if err := c.XGroupCreate(ctx, "x:s", "grp", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.XGroupCreate(ctx, "x:s", "grp", "0").Err(); err == nil || err.Error() != "BUSYGROUP Consumer Group name already exists" {
		t.Fatalf("XGroupCreate twice: %v", err)
	}
	read := func(consumer string, count int64) []redis.XMessage {
		t.Helper()
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "grp", Consumer: consumer, Streams: []string{"x:s", ">"}, Count: count, Block: -1}).Result()
		if err != nil || len(res) != 1 {
			t.Fatalf("XReadGroup %s: %+v %v", consumer, res, err)
		}
		return res[0].Messages
	}
	if m := read("alice", 2); len(m) != 2 || m[0].ID != "1-1" || m[1].ID != "2-1" {
		t.Fatalf("alice: %+v", m)
	}
	if m := read("bob", 0); len(m) != 1 || m[0].ID != "3-1" {
		t.Fatalf("bob: %+v", m)
	}
	if _, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "grp", Consumer: "bob", Streams: []string{"x:s", ">"}, Block: -1}).Result(); err != redis.Nil {
		t.Fatalf("XReadGroup with nothing new: %v", err)
	}
	p, err := c.XPending(ctx, "x:s", "grp").Result()
	if err != nil || p.Count != 3 || p.Lower != "1-1" || p.Higher != "3-1" || p.Consumers["alice"] != 2 || p.Consumers["bob"] != 1 {
		t.Fatalf("XPending: %+v %v", p, err)
	}
	if n, err := c.XAck(ctx, "x:s", "grp", "1-1", "9-9").Result(); err != nil || n != 1 {
		t.Fatalf("XAck: %d %v", n, err)
	}
	ext, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "x:s", Group: "grp", Start: "-", End: "+", Count: 10}).Result()
	if err != nil || len(ext) != 2 || ext[0].ID != "2-1" || ext[0].Consumer != "alice" || ext[0].RetryCount != 1 || ext[1].Consumer != "bob" {
		t.Fatalf("XPendingExt: %+v %v", ext, err)
	}
	ids, err := c.XClaimJustID(ctx, &redis.XClaimArgs{Stream: "x:s", Group: "grp", Consumer: "carol", Messages: []string{"2-1", "3-1"}}).Result()
	if err != nil || len(ids) != 2 || ids[0] != "2-1" {
		t.Fatalf("XClaimJustID: %q %v", ids, err)
	}
	claimed, next, err := c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: "x:s", Group: "grp", Consumer: "dave", Start: "0", Count: 1}).Result()
	if err != nil || len(claimed) != 1 || claimed[0].ID != "2-1" || next != "3-1" {
		t.Fatalf("XAutoClaim: %+v %q %v", claimed, next, err)
	}
	groups, err := c.XInfoGroups(ctx, "x:s").Result()
	if err != nil || len(groups) != 1 || groups[0].Name != "grp" || groups[0].Consumers != 4 || groups[0].Pending != 2 ||
		groups[0].LastDeliveredID != "3-1" || groups[0].EntriesRead != 3 || groups[0].Lag != 0 {
		t.Fatalf("XInfoGroups: %+v %v", groups, err)
	}
	info, err := c.XInfoStream(ctx, "x:s").Result()
	if err != nil || info.Length != 3 || info.LastGeneratedID != "3-1" || info.EntriesAdded != 3 || info.Groups != 1 ||
		info.FirstEntry.ID != "1-1" || info.LastEntry.ID != "3-1" {
		t.Fatalf("XInfoStream: %+v %v", info, err)
	}

	// A pipeline, then MULTI/EXEC.
	cmds, err := c.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: "x:p", ID: "5-1", Values: []any{"k", "v"}})
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: "x:p", ID: "6-1", MaxLen: 1, Values: []any{"k", "w"}})
		pipe.XLen(ctx, "x:p")
		pipe.XDel(ctx, "x:p", "6-1", "5-1")
		return nil
	})
	if err != nil || len(cmds) != 4 || cmds[2].(*redis.IntCmd).Val() != 1 || cmds[3].(*redis.IntCmd).Val() != 1 {
		t.Fatalf("pipeline: %v %v", cmds, err)
	}
	var rng *redis.XMessageSliceCmd
	_, err = c.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: "x:p", ID: "7-1", Values: []any{"k", "t"}})
		pipe.XGroupCreate(ctx, "x:p", "g2", "0")
		pipe.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g2", Consumer: "c", Streams: []string{"x:p", ">"}, Block: time.Second})
		rng = pipe.XRange(ctx, "x:p", "-", "+")
		return nil
	})
	if err != nil || len(rng.Val()) != 1 || rng.Val()[0].ID != "7-1" {
		t.Fatalf("MULTI: %+v %v", rng.Val(), err)
	}
	if n, err := c.XPending(ctx, "x:p", "g2").Result(); err != nil || n.Count != 1 {
		t.Fatalf("XPending after MULTI: %+v %v", n, err)
	}
	if typ, err := c.Type(ctx, "x:p").Result(); err != nil || typ != "stream" {
		t.Fatalf("TYPE: %q %v", typ, err)
	}
}
