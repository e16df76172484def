"""Bitmaps, HyperLogLog and hash field expiration through redis-py 4.3,
pipelines and transactions included. The bitmap and HyperLogLog values are
redis-server 7.0's replies: TestBitsHLLRedisPyAgainstRedis runs this file
against a stock redis-server too (hand computations in the comments).
redis-py 4.3 has no helpers for hash field expiration (Redis 7.4+): those
tests use execute_command, and skip on a server without HEXPIRE (7.0).
redis-py drops the "ERR " of an error reply: the messages below lack it."""
import os

import pytest
import redis

WRONGTYPE = "^WRONGTYPE Operation against a key holding the wrong kind of value$"


@pytest.fixture
def raw():
    """A client that does not decode: bitmaps are binary strings."""
    client = redis.Redis(host="127.0.0.1", port=int(os.environ["MRS_PORT"]))
    yield client
    client.close()


def test_bitmap_commands(r, raw):
    # Bit 0 is the most significant bit of byte 0.
    assert r.setbit("b:k", 7, 1) == 0
    assert r.setbit("b:k", 7, 0) == 1
    assert r.setbit("b:k", 1, 1) == 0
    assert r.setbit("b:k", 15, 1) == 0
    assert raw.get("b:k") == b"\x40\x01"
    assert r.getbit("b:k", 1) == 1
    assert r.getbit("b:k", 100) == 0
    # "foobar": 4 + 6 + 6 + 3 + 3 + 4 bits; "o" alone 6.
    r.set("b:s", "foobar")
    assert r.bitcount("b:s") == 26
    assert r.bitcount("b:s", 1, 1) == 6
    # \x00\xff\xf0: the first 1 is bit 8, from byte 2 bit 16; \xff\xff
    # has no 0 in 0..-1, but with no end it is padded with 0s: 16.
    raw.set("b:p", b"\x00\xff\xf0")
    assert r.bitpos("b:p", 1) == 8
    assert r.bitpos("b:p", 1, 2) == 16
    raw.set("b:f", b"\xff\xff")
    assert r.bitpos("b:f", 0, 0, -1) == -1
    assert r.bitpos("b:f", 0) == 16
    # BITOP over \xff\x0f and \x0f\xff\x01, the shorter padded with 0s.
    raw.set("b:x", b"\xff\x0f")
    raw.set("b:y", b"\x0f\xff\x01")
    assert r.bitop("AND", "b:d", "b:x", "b:y") == 3
    assert raw.get("b:d") == b"\x0f\x0f\x00"
    assert r.bitop("XOR", "b:d", "b:x", "b:y") == 3
    assert raw.get("b:d") == b"\xf0\xf0\x01"
    assert r.bitop("NOT", "b:d", "b:x") == 2
    assert raw.get("b:d") == b"\x00\xf0"
    with pytest.raises(redis.ResponseError, match="^BITOP NOT must be called with a single source key.$"):
        r.bitop("NOT", "b:d", "b:x", "b:y")
    with pytest.raises(redis.ResponseError, match="^bit offset is not an integer or out of range$"):
        r.setbit("b:k", -1, 1)
    r.rpush("b:list", "a")
    with pytest.raises(redis.ResponseError, match=WRONGTYPE):
        r.getbit("b:list", 0)


def test_bitfield_builder(r):
    # SET u8 0 255 returns the old 0; GET u4 0 the top nibble 15; INCRBY
    # i5 100 1 gives 1; u2 at 102 reads bits 102-103 of that i5 (00001: 0),
    # + 5 saturates at 3; then FAIL: 3 + 1 overflows, nil; WRAP: 255 + 10
    # = 265 mod 256 = 9.
    bf = r.bitfield("b:bf")
    bf.set("u8", 0, 255).get("u4", 0).incrby("i5", 100, 1)
    bf.overflow("SAT").incrby("u2", 102, 5).overflow("FAIL").incrby("u2", 102, 1)
    assert bf.execute() == [0, 15, 1, 3, None]
    assert r.bitfield("b:bf").overflow("WRAP").incrby("u8", 0, 10).get("u8", "#1").execute() == [9, 0]
    assert r.execute_command("BITFIELD_RO", "b:bf", "GET", "u8", 0) == [9]
    with pytest.raises(redis.ResponseError, match="^Invalid bitfield type"):
        r.bitfield("b:bf").get("u64", 0).execute()


def test_bitmap_pipeline_and_transaction(r):
    for transaction in (False, True):
        r.delete("b:t", "b:t2", "b:td")
        p = r.pipeline(transaction=transaction)
        p.setbit("b:t", 2, 1).setbit("b:t", 2, 0).setbit("b:t", 9, 1).getbit("b:t", 9)
        p.bitcount("b:t").bitpos("b:t", 1).set("b:t2", "\x01").bitop("OR", "b:td", "b:t", "b:t2")
        # b:t = \x00\x40; OR \x01 = \x01\x40: u16 0x0140 = 320.
        p.bitfield("b:td").get("u16", 0).execute()
        assert p.execute() == [0, 1, 0, 1, 1, 9, True, 2, [320]]
    # A WRONGTYPE inside MULTI/EXEC: the others run.
    r.rpush("b:l", "a")
    p = r.pipeline()
    p.setbit("b:l", 1, 1).setbit("b:ok", 1, 1)
    res = p.execute(raise_on_error=False)
    assert isinstance(res[0], redis.ResponseError) and str(res[0]).startswith("WRONGTYPE")
    assert res[1] == 0 and r.getbit("b:ok", 1) == 1


def test_hyperloglog(r):
    # Counts are redis-server 7.0's: 1008 for e0..e999, 1509 for e0..e1499.
    assert r.pfadd("g:a", *["e%d" % i for i in range(1000)]) == 1
    assert r.pfadd("g:a", "e1") == 0
    assert r.pfcount("g:a") == 1008
    assert r.pfadd("g:b", *["e%d" % i for i in range(500, 1500)]) == 1
    assert r.pfmerge("g:m", "g:a", "g:b") is True
    assert r.pfcount("g:m") == 1509
    assert r.pfcount("g:a", "g:b") == 1509
    assert r.pfcount("g:none") == 0
    r.set("g:s", "x")
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE Key is not a valid HyperLogLog string value.$"):
        r.pfadd("g:s", "a")
    r.sadd("g:set", "a")
    with pytest.raises(redis.ResponseError, match=WRONGTYPE):
        r.pfcount("g:set")
    for transaction in (False, True):
        r.delete("g:p", "g:q", "g:pq")
        p = r.pipeline(transaction=transaction)
        p.pfadd("g:p", "a", "b", "c").pfadd("g:p", "a").pfcount("g:p")
        p.pfadd("g:q", "c", "d").pfmerge("g:pq", "g:p", "g:q").pfcount("g:pq").pfcount("g:p", "g:q")
        assert p.execute() == [1, 0, 3, 1, True, 4, 4]


def hfe(r):
    try:
        r.execute_command("HTTL", "hf:none", "FIELDS", 1, "f")
    except redis.ResponseError as e:
        assert str(e).startswith("unknown command")
        pytest.skip("no hash field expiration on this server (redis-server 7.0)")


def test_hash_field_expiration(r):
    # No redis-py 4.3 helper: execute_command. Redis 8's replies: 1 set,
    # -2 no such field, -1 no TTL, 0 condition not met, 2 deleted (a time
    # in the past).
    hfe(r)
    r.hset("hf:a", mapping={"f1": "v1", "f2": "v2", "f3": "v3"})
    assert r.execute_command("HEXPIRE", "hf:a", 100, "FIELDS", 2, "f1", "nofield") == [1, -2]
    assert r.execute_command("HEXPIRE", "hf:a", 50, "GT", "FIELDS", 1, "f1") == [0]
    assert r.execute_command("HTTL", "hf:a", "FIELDS", 3, "f1", "f2", "nofield") == [100, -1, -2]
    assert r.execute_command("HPERSIST", "hf:a", "FIELDS", 2, "f1", "f2") == [1, -1]
    assert r.execute_command("HGETDEL", "hf:a", "FIELDS", 1, "f2") == ["v2"]
    assert r.execute_command("HGETEX", "hf:a", "EX", 30, "FIELDS", 1, "f3") == ["v3"]
    assert r.execute_command("HTTL", "hf:a", "FIELDS", 1, "f3") == [30]
    assert r.execute_command("HSETEX", "hf:a", "FNX", "PX", 20000, "FIELDS", 1, "f3", "x") == 0
    assert r.execute_command("HSETEX", "hf:a", "FNX", "PX", 20000, "FIELDS", 1, "f4", "v4") == 1
    assert r.execute_command("HPEXPIRETIME", "hf:a", "FIELDS", 1, "f1") == [-1]
    assert r.execute_command("HEXPIREAT", "hf:a", 1, "FIELDS", 3, "f1", "f3", "f4") == [2, 2, 2]
    assert r.exists("hf:a") == 0
    with pytest.raises(redis.ResponseError, match="^Parameter `numFields` should be greater than 0$"):
        r.execute_command("HEXPIRE", "hf:a", 10, "FIELDS", 0, "f")
    r.set("hf:s", "v")
    with pytest.raises(redis.ResponseError, match=WRONGTYPE):
        r.execute_command("HEXPIRE", "hf:s", 10, "FIELDS", 1, "f")


def test_hash_field_expiration_pipeline_and_transaction(r):
    hfe(r)
    for transaction in (False, True):
        r.delete("hf:p")
        p = r.pipeline(transaction=transaction)
        p.hset("hf:p", mapping={"a": "1", "b": "2"})
        p.execute_command("HPEXPIRE", "hf:p", 100000, "FIELDS", 1, "a")
        p.execute_command("HTTL", "hf:p", "FIELDS", 2, "a", "b")
        p.execute_command("HSETEX", "hf:p", "EX", 50, "FIELDS", 1, "b", "3")
        p.execute_command("HGETDEL", "hf:p", "FIELDS", 2, "a", "zz")
        p.hgetall("hf:p")
        p.execute_command("HPERSIST", "hf:p", "FIELDS", 1, "b")
        assert p.execute() == [2, [1], [100, -1], 1, ["1", None], {"b": "3"}, [1]]
