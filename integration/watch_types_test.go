package integration

import (
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestWatchEveryTypeAgainstRedis: MULTI/EXEC and WATCH over every landed
// type, compared byte for byte with redis-server 7.0 (RESP2 and RESP3):
// connection 0 WATCHes a key of each type, connection 1 writes it, and
// EXEC answers nil; writes that change nothing (SREM of a missing member,
// PFADD of a known element, XDEL of a missing id...) do not touch the
// watch; PFCOUNT that refreshes the HLL's cached cardinality does (Redis'
// pfcountCommand signals the key); a watched key that expires aborts EXEC;
// EXEC with a WRONGTYPE inside runs the rest and reports the error in its
// place; a queued syntax error aborts with EXECABORT.
func TestWatchEveryTypeAgainstRedis(t *testing.T) {
	tx := "MULTI\nPING\nEXEC"
	steps := []psStep{
		step(1, "RPUSH w:l a b", "SADD w:s a b", "HSET w:h f v", "XADD w:x 1-1 f v",
			"PFADD w:p a b", "SETBIT w:b 3 1", "SET w:str v"),
	}
	watched := func(key, write string) {
		steps = append(steps, step(0, "WATCH "+key), step(1, write), step(0, tx))
	}
	// Each type, a write that changes it: EXEC is nil.
	watched("w:l", "LPUSH w:l z")
	watched("w:l", "LSET w:l 0 y")
	watched("w:l", "LMOVE w:l w:l2 LEFT RIGHT")
	watched("w:l2", "LMOVE w:l w:l2 LEFT RIGHT")
	watched("w:s", "SADD w:s c")
	watched("w:s", "SMOVE w:s w:s2 a")
	watched("w:s2", "SINTERSTORE w:s2 w:s w:s")
	watched("w:h", "HSET w:h f v")
	watched("w:h", "HINCRBY w:h n 1")
	watched("w:h", "HDEL w:h n")
	watched("w:x", "XADD w:x 2-1 f v")
	watched("w:x", "XGROUP CREATE w:x g 0")
	watched("w:x", "XREADGROUP GROUP g c STREAMS w:x >")
	watched("w:x", "XTRIM w:x MAXLEN 1")
	watched("w:x", "XGROUP SETID w:x g 0")
	watched("w:x", "XGROUP CREATECONSUMER w:x g c2")
	watched("w:x", "XREADGROUP GROUP g c STREAMS w:x >")
	watched("w:x", "XCLAIM w:x g c3 0 2-1")
	watched("w:x", "XAUTOCLAIM w:x g c4 0 0")
	watched("w:x", "XACK w:x g 2-1")
	watched("w:x", "XGROUP DELCONSUMER w:x g c2")
	watched("w:x", "XGROUP DESTROY w:x g")
	watched("w:x", "XSETID w:x 9-9")
	watched("w:x2", "XGROUP CREATE w:x2 g 0 MKSTREAM")
	watched("w:p", "PFADD w:p c")
	watched("w:p", "PFCOUNT w:p")
	watched("w:p3", "PFMERGE w:p3 w:p")
	watched("w:b", "SETBIT w:b 5 1")
	watched("w:b", "BITFIELD w:b SET u8 8 255")
	watched("w:b3", "BITOP OR w:b3 w:b w:b")
	watched("w:str", "DEL w:str")
	watched("w:new", "SADD w:new a")
	watched("w:l", "RENAME w:s w:l")
	watched("w:h", "FLUSHALL")
	// Writes that change nothing: EXEC runs.
	steps = append(steps, step(1, "RPUSH w:l a", "SADD w:s a", "HSET w:h f v", "XADD w:x 1-1 f v",
		"PFADD w:p a b", "PFCOUNT w:p", "SETBIT w:b 3 1"))
	watched("w:l", "LREM w:l 0 nope")
	watched("w:s", "SREM w:s nope")
	watched("w:s", "SADD w:s a")
	watched("w:h", "HDEL w:h nope")
	watched("w:x", "XDEL w:x 9-9")
	watched("w:p", "PFADD w:p a")
	watched("w:p", "PFCOUNT w:p")
	watched("w:b", "BITFIELD w:b GET u8 0")
	watched("w:b", "GETBIT w:b 3")
	watched("w:l", "LPUSHX w:nope a")
	// UNWATCH forgets; a watched key that expires before EXEC aborts it.
	steps = append(steps,
		step(0, "WATCH w:l", "UNWATCH"), step(1, "LPUSH w:l q"), step(0, tx),
		step(1, "SET w:e v PX 20"), step(0, "WATCH w:e"), step(1, "DEBUG SLEEP 0.05"), step(0, tx),
		// WRONGTYPE inside EXEC: each type's command on another type.
		step(0, "MULTI", "LPUSH w:s a", "SADD w:h a", "HSET w:l f v", "XADD w:b 1-1 f v",
			"PFADD w:s a", "PFCOUNT w:l", "SETBIT w:l 1 1", "GETBIT w:h 1", "BITFIELD w:s GET u8 0",
			"BITCOUNT w:x", "XRANGE w:s - +", "LLEN w:p", "SCARD w:p", "SADD w:s z", "EXEC"),
		// A queued error (unknown command, wrong arity) aborts.
		step(0, "MULTI", "SETBIT w:b", "PFADD w:p z", "EXEC", "PFCOUNT w:p"),
		step(0, "MULTI", "NOPE", "EXEC"),
		step(0, "MULTI", "WATCH w:l", "EXEC"),
		step(1, "DEL w:l w:l2 w:s w:s2 w:h w:x w:p w:p3 w:b w:b3 w:str w:new w:e"),
	)
	comparePubsub(t, 2, steps, "--enable-debug-command", "yes")
}

// TestWatchHashFieldExpiry: redis-server 7.0 has no hash field expiration,
// so these are checked by hand against Redis 8's t_hash.c: HPEXPIRE /
// HPERSIST / HSETEX / HGETDEL / HGETEX by another client signal the key
// (each calls signalModifiedKey when it changed a field), so EXEC is nil;
// a hash whose last field expires is deleted with signalModifiedKey
// (hashTypeActiveExpire), so a WATCH on it aborts EXEC too.
func TestWatchHashFieldExpiry(t *testing.T) {
	s := server.RunT(t, server.Options{})
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	nilExec := "*-1\r\n"
	watched := func(setup []string, write []string, want string) {
		t.Helper()
		if setup != nil {
			b.Do(setup...)
		}
		MustDo(t, a, "WATCH", "w:h", "+OK\r\n")
		b.Do(write...)
		MustDo(t, a, "MULTI", "+OK\r\n")
		MustDo(t, a, "PING", "+QUEUED\r\n")
		MustDo(t, a, "EXEC", want)
	}
	ran := "*1\r\n+PONG\r\n"
	watched([]string{"HSET", "w:h", "f", "v", "g", "w"}, []string{"HPEXPIRE", "w:h", "100000", "FIELDS", "1", "f"}, nilExec)
	watched(nil, []string{"HPERSIST", "w:h", "FIELDS", "1", "f"}, nilExec)
	// HPERSIST of a field without a TTL changes nothing (-1 for it).
	watched(nil, []string{"HPERSIST", "w:h", "FIELDS", "1", "f"}, ran)
	watched(nil, []string{"HSETEX", "w:h", "EX", "100", "FIELDS", "1", "f", "v2"}, nilExec)
	watched(nil, []string{"HGETEX", "w:h", "PERSIST", "FIELDS", "1", "f"}, nilExec)
	watched(nil, []string{"HGETDEL", "w:h", "FIELDS", "1", "g"}, nilExec)
	// HGETDEL of a missing field deletes nothing.
	watched(nil, []string{"HGETDEL", "w:h", "FIELDS", "1", "nope"}, ran)
	// The only field expires: the key goes, the WATCH fires. The write is
	// before the WATCH here, the expiry after it.
	b.Do("HPEXPIRE", "w:h", "30", "FIELDS", "1", "f")
	MustDo(t, a, "WATCH", "w:h", "+OK\r\n")
	deadline := time.Now().Add(3 * time.Second)
	for string(b.Do("EXISTS", "w:h").Raw) != ":0\r\n" {
		if time.Now().After(deadline) {
			t.Fatal("the hash whose only field expired is still there")
		}
		time.Sleep(10 * time.Millisecond)
	}
	MustDo(t, a, "MULTI", "+OK\r\n")
	MustDo(t, a, "PING", "+QUEUED\r\n")
	MustDo(t, a, "EXEC", nilExec)
}
