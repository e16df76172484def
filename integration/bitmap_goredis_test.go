package integration

import (
	"context"
	"slices"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// TestBitmapGoRedis drives SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP/BITFIELD
// through go-redis v9's helpers (BITFIELD through its variadic BitField
// and BitFieldRO: go-redis has no builder for it), directly, in a pipeline
// and in a MULTI/EXEC transaction, RESP2 and RESP3. The same flow runs
// against a stock redis-server 7.0, so every expected value below (each
// computed by hand in its comment) is also Redis' answer.
func TestBitmapGoRedis(t *testing.T) {
	for _, srv := range []struct{ name, addr string }{
		{"ours", server.RunT(t, server.Options{}).Addr()},
		{"redis-server", startRedis(t)},
	} {
		t.Run(srv.name, func(t *testing.T) {
			forEachGoRedis(t, srv.addr, func(t *testing.T, ctx context.Context, c *redis.Client) {
				bitmapFlow(t, ctx, c)
			})
		})
	}
}

func bitmapFlow(t *testing.T, ctx context.Context, c *redis.Client) {
	wantInt := func(what string, cmd *redis.IntCmd, want int64) {
		t.Helper()
		if n, err := cmd.Result(); err != nil || n != want {
			t.Errorf("%s: %d %v, want %d", what, n, err, want)
		}
	}
	wantInts := func(what string, cmd *redis.IntSliceCmd, want ...int64) {
		t.Helper()
		if r, err := cmd.Result(); err != nil || !slices.Equal(r, want) {
			t.Errorf("%s: %v %v, want %v", what, r, err, want)
		}
	}
	// Bit 0 is the most significant bit of byte 0.
	wantInt("SETBIT 7 1 (old bit)", c.SetBit(ctx, "b:k", 7, 1), 0)
	wantInt("SETBIT 7 0 (old bit)", c.SetBit(ctx, "b:k", 7, 0), 1)
	wantInt("SETBIT 1 1", c.SetBit(ctx, "b:k", 1, 1), 0)
	wantInt("SETBIT 15 1", c.SetBit(ctx, "b:k", 15, 1), 0)
	if v, err := c.Get(ctx, "b:k").Result(); err != nil || v != "\x40\x01" {
		t.Errorf("GET after SETBIT 1 and 15: %q %v, want \\x40\\x01", v, err)
	}
	wantInt("GETBIT 1", c.GetBit(ctx, "b:k", 1), 1)
	wantInt("GETBIT 100 (past the end)", c.GetBit(ctx, "b:k", 100), 0)
	if err := c.SetBit(ctx, "b:k", -1, 1).Err(); err == nil || err.Error() != "ERR bit offset is not an integer or out of range" {
		t.Errorf("SETBIT -1: %v", err)
	}

	// "foobar": f=0x66 (4 bits) o=0x6f (6) o (6) b=0x62 (3) a=0x61 (3) r=0x72 (4).
	c.Set(ctx, "b:s", "foobar", 0)
	wantInt("BITCOUNT", c.BitCount(ctx, "b:s", nil), 26)
	wantInt("BITCOUNT 1 1", c.BitCount(ctx, "b:s", &redis.BitCount{Start: 1, End: 1}), 6)
	wantInt("BITCOUNT 0 -2", c.BitCount(ctx, "b:s", &redis.BitCount{Start: 0, End: -2}), 22)
	// Bits 5..30: f's last 3 bits (110 -> 2), o o (12), b's first 7 (0110001 -> 3).
	wantInt("BITCOUNT 5 30 BIT", c.BitCount(ctx, "b:s", &redis.BitCount{Start: 5, End: 30, Unit: redis.BitCountIndexBit}), 17)

	// \x00\xff\xf0: the first 1 is bit 8, the first 0 bit 0; from byte 2
	// the first 1 is bit 16; bits 7..15 first 1 at 8.
	c.Set(ctx, "b:p", "\x00\xff\xf0", 0)
	wantInt("BITPOS 1", c.BitPos(ctx, "b:p", 1), 8)
	wantInt("BITPOS 0", c.BitPos(ctx, "b:p", 0), 0)
	wantInt("BITPOS 1 2", c.BitPos(ctx, "b:p", 1, 2), 16)
	wantInt("BITPOS 1 7 15 BIT", c.BitPosSpan(ctx, "b:p", 1, 7, 15, "bit"), 8)
	// \xff\xff: no 0 in the range given, -1; without an end, the string
	// is taken as padded with 0s, so 16.
	c.Set(ctx, "b:f", "\xff\xff", 0)
	wantInt("BITPOS 0 0 -1", c.BitPos(ctx, "b:f", 0, 0, -1), -1)
	wantInt("BITPOS 0", c.BitPos(ctx, "b:f", 0), 16)
	wantInt("BITPOS 1 of a missing key", c.BitPos(ctx, "b:none", 1), -1)

	// BITOP over \xff\x0f and \x0f\xff\x01 (the shorter padded with 0).
	c.Set(ctx, "b:x", "\xff\x0f", 0)
	c.Set(ctx, "b:y", "\x0f\xff\x01", 0)
	for _, op := range []struct {
		name string
		run  func() *redis.IntCmd
		want string
	}{
		{"AND", func() *redis.IntCmd { return c.BitOpAnd(ctx, "b:d", "b:x", "b:y") }, "\x0f\x0f\x00"},
		{"OR", func() *redis.IntCmd { return c.BitOpOr(ctx, "b:d", "b:x", "b:y") }, "\xff\xff\x01"},
		{"XOR", func() *redis.IntCmd { return c.BitOpXor(ctx, "b:d", "b:x", "b:y") }, "\xf0\xf0\x01"},
		{"NOT", func() *redis.IntCmd { return c.BitOpNot(ctx, "b:d", "b:x") }, "\x00\xf0"},
	} {
		wantInt("BITOP "+op.name+" (length)", op.run(), int64(len(op.want)))
		if v, err := c.Get(ctx, "b:d").Result(); err != nil || v != op.want {
			t.Errorf("BITOP %s: %q %v, want %q", op.name, v, err, op.want)
		}
	}

	// BITFIELD: SET u8 0 255 returns the old 0; GET u4 0 the top nibble
	// 15; INCRBY i5 100 1 gives 1; u2 at 102 is bits 102-103 of that i5
	// (00001: 0) + 5 saturates at 3 under OVERFLOW SAT; WRAP: 255 + 10 is
	// 265 mod 256 = 9; GET u8 #1 is bits 8..15, still 0.
	wantInts("BITFIELD", c.BitField(ctx, "b:bf", "SET", "u8", 0, 255, "GET", "u4", 0,
		"INCRBY", "i5", 100, 1, "OVERFLOW", "SAT", "INCRBY", "u2", 102, 5), 0, 15, 1, 3)
	wantInts("BITFIELD WRAP", c.BitField(ctx, "b:bf", "OVERFLOW", "WRAP", "INCRBY", "u8", 0, 10, "GET", "u8", "#1"), 9, 0)
	wantInts("BITFIELD_RO", c.BitFieldRO(ctx, "b:bf", "u8", 0, "i4", 0), 9, 0)
	if err := c.BitField(ctx, "b:bf", "GET", "u64", 0).Err(); err == nil ||
		err.Error() != "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is." {
		t.Errorf("BITFIELD GET u64: %v", err)
	}

	// A pipeline and a transaction: the replies in order.
	for _, mode := range []string{"pipeline", "MULTI/EXEC"} {
		c.Del(ctx, "b:t", "b:t2", "b:td")
		var setOld, setNew, get, count, pos, op *redis.IntCmd
		var bf *redis.IntSliceCmd
		fn := func(p redis.Pipeliner) error {
			setOld = p.SetBit(ctx, "b:t", 2, 1)
			setNew = p.SetBit(ctx, "b:t", 2, 0)
			p.SetBit(ctx, "b:t", 9, 1)
			get = p.GetBit(ctx, "b:t", 9)
			count = p.BitCount(ctx, "b:t", nil)
			pos = p.BitPos(ctx, "b:t", 1)
			p.Set(ctx, "b:t2", "\x80", 0)
			op = p.BitOpOr(ctx, "b:td", "b:t", "b:t2")
			bf = p.BitField(ctx, "b:td", "GET", "u16", 0, "INCRBY", "u8", 8, 1)
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
		wantInt(mode+" SETBIT", setOld, 0)
		wantInt(mode+" SETBIT again", setNew, 1)
		wantInt(mode+" GETBIT", get, 1)
		wantInt(mode+" BITCOUNT", count, 1)
		wantInt(mode+" BITPOS", pos, 9)
		// b:t = \x00\x40, OR \x80 = \x80\x40: u16 0x8040 = 32832; byte 1
		// 0x40 + 1 = 65.
		wantInt(mode+" BITOP OR", op, 2)
		wantInts(mode+" BITFIELD", bf, 32832, 65)
	}

	// A WRONGTYPE inside a transaction: EXEC runs the others.
	c.RPush(ctx, "b:list", "a")
	cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SetBit(ctx, "b:list", 1, 1)
		p.BitCount(ctx, "b:list", nil)
		p.SetBit(ctx, "b:ok", 1, 1)
		return nil
	})
	const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	if err == nil || err.Error() != wrongType || len(cmds) != 3 ||
		cmds[0].Err() == nil || cmds[1].Err() == nil || cmds[1].Err().Error() != wrongType || cmds[2].Err() != nil {
		t.Errorf("transaction with WRONGTYPE: %v %v", cmds, err)
	}
	wantInt("GETBIT after the transaction", c.GetBit(ctx, "b:ok", 1), 1)
}

// TestBitopRedis82GoRedis: Redis 8.2's BITOP DIFF, DIFF1, ANDOR and ONE,
// which go-redis v9 exposes (redis-server 7.0 has none: "syntax error"),
// computed by hand from bitops.c's definitions over x = \xff\x0f,
// y = \x0f\xff\x01, z = \x33 (y|z = \x3f\xff\x01):
//
//	DIFF  x &^ (y|z) = \xc0\x00\x00
//	DIFF1 ^x & (y|z) = \x00\xf0\x01
//	ANDOR x & (y|z)  = \x3f\x0f\x00
//	ONE   the bits set in exactly one source: byte 0 has 1,1,2,2,2,2,3,3
//	      sources per bit (\xc0), byte 1 1,1,1,1,2,2,2,2 (\xf0), byte 2
//	      only y's bit 7 (\x01).
func TestBitopRedis82GoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{})
	forEachGoRedis(t, s.Addr(), func(t *testing.T, ctx context.Context, c *redis.Client) {
		c.Set(ctx, "b:x", "\xff\x0f", 0)
		c.Set(ctx, "b:y", "\x0f\xff\x01", 0)
		c.Set(ctx, "b:z", "\x33", 0)
		for _, op := range []struct {
			name string
			run  func() *redis.IntCmd
			want string
		}{
			{"DIFF", func() *redis.IntCmd { return c.BitOpDiff(ctx, "b:d", "b:x", "b:y", "b:z") }, "\xc0\x00\x00"},
			{"DIFF1", func() *redis.IntCmd { return c.BitOpDiff1(ctx, "b:d", "b:x", "b:y", "b:z") }, "\x00\xf0\x01"},
			{"ANDOR", func() *redis.IntCmd { return c.BitOpAndOr(ctx, "b:d", "b:x", "b:y", "b:z") }, "\x3f\x0f\x00"},
			{"ONE", func() *redis.IntCmd { return c.BitOpOne(ctx, "b:d", "b:x", "b:y", "b:z") }, "\xc0\xf0\x01"},
			{"ONE of one key", func() *redis.IntCmd { return c.BitOpOne(ctx, "b:d", "b:x") }, "\xff\x0f"},
		} {
			if n, err := op.run().Result(); err != nil || n != int64(len(op.want)) {
				t.Errorf("BITOP %s: %d %v", op.name, n, err)
			}
			if v, err := c.Get(ctx, "b:d").Result(); err != nil || v != op.want {
				t.Errorf("BITOP %s: %q %v, want %q", op.name, v, err, op.want)
			}
		}
		// bitops.c names the operation upper-cased.
		if err := c.BitOpDiff(ctx, "b:d", "b:x").Err(); err == nil || err.Error() != "ERR BITOP DIFF must be called with at least two source keys." {
			t.Errorf("BITOP DIFF of one key: %v", err)
		}
		if err := c.Do(ctx, "bitop", "andor", "b:d", "b:x").Err(); err == nil || err.Error() != "ERR BITOP ANDOR must be called with at least two source keys." {
			t.Errorf("bitop andor of one key: %v", err)
		}
		c.RPush(ctx, "b:l", "a")
		if err := c.BitOpOne(ctx, "b:d", "b:x", "b:l").Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Errorf("BITOP ONE over a list: %v", err)
		}
	})
}
