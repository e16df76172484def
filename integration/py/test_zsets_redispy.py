"""Sorted sets through redis-py 4.3's helpers, a blocked BZPOPMIN woken by a
second client, pipelines and transactions. Expected values are
redis-server 7.0's replies (run this file against it with MRS_PORT set to
its port)."""
import threading
import time

import pytest
import redis


def test_zset_commands(r):
    assert r.zadd("z:a", {"a": 1, "b": 2.5, "c": float("inf")}) == 3
    assert r.zadd("z:a", {"a": 0, "b": 3}, gt=True, ch=True) == 1
    assert r.zincrby("z:a", 0.5, "a") == 1.5
    assert r.zscore("z:a", "c") == float("inf")
    assert r.zscore("z:a", "nosuch") is None
    assert r.zmscore("z:a", ["a", "nosuch"]) == [1.5, None]
    assert r.zrange("z:a", 0, -1, withscores=True) == [("a", 1.5), ("b", 3.0), ("c", float("inf"))]
    assert r.zrange("z:a", "(1.5", "+inf", byscore=True, offset=0, num=1) == ["b"]
    assert r.zrevrangebyscore("z:a", "+inf", "-inf") == ["c", "b", "a"]
    assert r.zrank("z:a", "c") == 2
    assert r.zrevrank("z:a", "c") == 0
    assert r.zcount("z:a", "(1.5", "inf") == 2
    assert r.zadd("z:l", {"a": 0, "b": 0, "c": 0}) == 3
    assert r.zlexcount("z:l", "[b", "+") == 2
    assert r.zrangebylex("z:l", "(a", "+") == ["b", "c"]
    assert r.zadd("z:b", {"b": 10, "d": 1}) == 2
    # b: 3*1 + 10*2 = 23
    assert r.zunion(["z:a", "z:b"], withscores=True) == [("d", 1.0), ("a", 1.5), ("b", 13.0), ("c", float("inf"))]
    assert r.zunionstore("z:u", {"z:a": 1, "z:b": 2}) == 4
    assert r.zscore("z:u", "b") == 23
    assert r.zinterstore("z:i", ["z:a", "z:b"], aggregate="MAX") == 1
    assert r.zscore("z:i", "b") == 10
    assert r.zdiff(["z:a", "z:b"]) == ["a", "c"]
    assert r.zintercard(2, ["z:a", "z:b"]) == 1
    assert r.zrangestore("z:rs", "z:a", 0, 1) == 2
    assert r.zpopmin("z:a", 2) == [("a", 1.5), ("b", 3.0)]
    assert r.zpopmax("z:a") == [("c", float("inf"))]
    assert r.exists("z:a") == 0
    # z:u is a 1.5, d 2, b 23, c inf
    assert r.zremrangebyscore("z:u", "-inf", "(2") == 1
    assert r.zremrangebyrank("z:u", 0, 0) == 1
    assert r.zrem("z:u", "b", "c", "x") == 2
    assert r.exists("z:u") == 0
    r.set("z:str", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.zadd("z:str", {"a": 1})
    with pytest.raises(redis.ResponseError, match="XX and NX options"):
        r.execute_command("ZADD", "z:x", "XX", "NX", 1, "a")


def test_zset_blocking(r):
    other = redis.Redis(connection_pool=r.connection_pool)
    got = []
    t = threading.Thread(target=lambda: got.append(r.bzpopmin("z:blk", timeout=5)))
    t.start()
    time.sleep(0.2)
    assert other.zadd("z:blk", {"w": 7}) == 1
    t.join()
    assert got == [("z:blk", "w", 7.0)]
    assert r.bzpopmax("z:blk", timeout=0.1) is None


def test_zset_pipeline_and_transaction(r):
    p = r.pipeline(transaction=False)
    p.zadd("z:p", {"x": 1, "y": 2})
    p.zcard("z:p")
    p.zrevrange("z:p", 0, 0, withscores=True)
    assert p.execute() == [2, 2, [("y", 2.0)]]
    p = r.pipeline(transaction=True)
    p.zrem("z:p", "x")
    p.zscore("z:p", "y")
    p.zrandmember("z:p", 1, withscores=True)
    assert p.execute() == [1, 2.0, ["y", "2"]]
    r.delete("z:p")
