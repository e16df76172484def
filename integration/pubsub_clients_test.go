package integration

import (
	"context"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestPubsubGoRedis: go-redis v9's Subscribe / PSubscribe / Channel and
// PubSubNumSub, in RESP2 and RESP3. The expected values are Redis' (see
// pubsub_test.go for the raw replies compared with redis-server).
func TestPubsubGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		ps := c.Subscribe(ctx, "news")
		defer ps.Close()
		if _, err := ps.Receive(ctx); err != nil { // the subscription's confirmation
			t.Fatalf("Subscribe: %v", err)
		}
		if err := ps.PSubscribe(ctx, "ne*"); err != nil {
			t.Fatalf("PSubscribe: %v", err)
		}
		// PSubscribe does not wait for its confirmation: wait until the
		// server counts the pattern.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if n, err := c.PubSubNumPat(ctx).Result(); err == nil && n == 1 {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("PubSubNumPat: %d %v", n, err)
			}
		}
		got, err := c.PubSubNumSub(ctx, "news", "other").Result()
		if err != nil || len(got) != 2 || got["news"] != 1 || got["other"] != 0 {
			t.Fatalf("PubSubNumSub: %v %v", got, err)
		}
		if ch, err := c.PubSubChannels(ctx, "n*").Result(); err != nil || len(ch) != 1 || ch[0] != "news" {
			t.Fatalf("PubSubChannels: %q %v", ch, err)
		}
		if n, err := c.Publish(ctx, "news", "hello").Result(); err != nil || n != 2 {
			t.Fatalf("Publish: %d %v", n, err)
		}
		msgs := ps.Channel()
		want := []redis.Message{
			{Channel: "news", Payload: "hello"},
			{Channel: "news", Pattern: "ne*", Payload: "hello"},
		}
		for _, w := range want {
			select {
			case m := <-msgs:
				if m.Channel != w.Channel || m.Pattern != w.Pattern || m.Payload != w.Payload {
					t.Fatalf("message %+v, want %+v", *m, w)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no message %+v", w)
			}
		}
		if err := ps.Unsubscribe(ctx, "news"); err != nil {
			t.Fatal(err)
		}
		if err := ps.PUnsubscribe(ctx); err != nil {
			t.Fatal(err)
		}
		// go-redis sends both without waiting for their replies: wait until
		// the server has run the pattern's removal too, or the publish
		// below may still reach the pattern.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			got, err := c.PubSubNumSub(ctx, "news").Result()
			pats, perr := c.PubSubNumPat(ctx).Result()
			if err == nil && got["news"] == 0 && perr == nil && pats == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("PubSubNumSub/NumPat after Unsubscribe: %v %v, %d %v", got, err, pats, perr)
			}
		}
		if n, err := c.Publish(ctx, "news", "nobody").Result(); err != nil || n != 0 {
			t.Fatalf("Publish after unsubscribing: %d %v", n, err)
		}
		// Shard channels.
		ss := c.SSubscribe(ctx, "sh")
		defer ss.Close()
		if _, err := ss.Receive(ctx); err != nil {
			t.Fatalf("SSubscribe: %v", err)
		}
		if got, err := c.PubSubShardNumSub(ctx, "sh").Result(); err != nil || got["sh"] != 1 {
			t.Fatalf("PubSubShardNumSub: %v %v", got, err)
		}
		if n, err := c.SPublish(ctx, "sh", "s-msg").Result(); err != nil || n != 1 {
			t.Fatalf("SPublish: %d %v", n, err)
		}
		select {
		case m := <-ss.Channel():
			if m.Channel != "sh" || m.Payload != "s-msg" {
				t.Fatalf("shard message %+v", *m)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no shard message")
		}
	})
}

// TestPubsubRedisPy: redis-py 4.3's pubsub().subscribe / psubscribe /
// get_message and keyspace notifications (py/test_pubsub_redispy.py).
func TestPubsubRedisPy(t *testing.T) { runModulePytest(t, "py/test_pubsub_redispy.py") }
