package integration

import (
	"context"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestDumpHashFieldTTLsRedis70: DUMP of a hash with field TTLs writes Redis
// 8.2's payload (RDB type 25, version 12), which a stock redis-server 7.0
// refuses as it refuses any payload of 8.2 ("ERR DUMP payload version or
// checksum are wrong": its RDB_VERSION is 10), while our RESTORE takes it
// back with its TTLs. (The differential test cannot hold this line: the two
// servers answer differently on purpose.)
func TestDumpHashFieldTTLsRedis70(t *testing.T) {
	ctx := context.Background()
	ours := redis.NewClient(&redis.Options{Addr: server.RunT(t, server.Options{}).Addr(), Protocol: 2})
	defer ours.Close()
	ref := redis.NewClient(&redis.Options{Addr: startRedis(t), Protocol: 2})
	defer ref.Close()

	const at = 4102444800000 // 2100-01-01T00:00:00Z in ms
	if err := ours.HSet(ctx, "h", "a", "1", "b", "2").Err(); err != nil {
		t.Fatal(err)
	}
	if err := ours.Do(ctx, "HPEXPIREAT", "h", at, "FIELDS", 1, "a").Err(); err != nil {
		t.Fatal(err)
	}
	payload, err := ours.Dump(ctx, "h").Result()
	if err != nil {
		t.Fatal(err)
	}
	if v := payload[len(payload)-10 : len(payload)-8]; v != "\x0c\x00" {
		t.Fatalf("footer version %q, want 12", v)
	}
	err = ref.Restore(ctx, "h", 0, payload).Err()
	if err == nil || err.Error() != "ERR DUMP payload version or checksum are wrong" {
		t.Errorf("redis-server 7.0 RESTORE: %v", err)
	}
	if err := ours.Restore(ctx, "h2", 0, payload).Err(); err != nil {
		t.Fatalf("our RESTORE: %v", err)
	}
	got, err := ours.Do(ctx, "HPEXPIRETIME", "h2", "FIELDS", 2, "a", "b").Int64Slice()
	if err != nil || len(got) != 2 || got[0] != at || got[1] != -1 {
		t.Errorf("HPEXPIRETIME after RESTORE: %v %v", got, err)
	}
}
