"""Sets through redis-py 4.3's helpers, pipelines and transactions included.
Expected values are redis-server 7.0's replies (run this file against it with
MRS_PORT set to its port)."""
import pytest
import redis


def test_set_commands(r):
    assert r.sadd("s:a", 3, 1, 2, "x") == 4
    assert r.sadd("s:b", 2, 3, 4) == 3
    assert r.smembers("s:b") == {"2", "3", "4"}
    assert r.sinter("s:a", "s:b") == {"2", "3"}
    assert r.sunion("s:a", "s:b") == {"1", "2", "3", "4", "x"}
    assert r.sdiff("s:a", "s:b") == {"1", "x"}
    assert r.sintercard(2, ["s:a", "s:b"]) == 2
    assert r.sintercard(2, ["s:a", "s:b"], limit=1) == 1
    assert r.smismember("s:a", ["x", "y", 1]) == [1, 0, 1]
    assert r.sismember("s:a", "y") == 0
    assert r.scard("s:a") == 4
    assert r.sinterstore("s:d", ["s:a", "s:b"]) == 2
    assert r.sunionstore("s:u", ["s:a", "s:b"]) == 5
    assert r.sdiffstore("s:e", ["s:a", "s:b"]) == 2
    assert r.object("encoding", "s:d") == "intset"
    assert r.object("encoding", "s:u") == "hashtable"
    assert r.smove("s:a", "s:b", "x") is True
    assert r.smove("s:a", "s:b", "nope") is False
    assert sorted(r.spop("s:d", 5)) == ["2", "3"]
    assert r.exists("s:d") == 0
    assert len(r.srandmember("s:b", -7)) == 7
    assert r.srem("s:b", "x", "nope") == 1
    assert r.type("s:b") == "set"
    cursor, found = r.sscan("s:u", 0, match="[0-9]", count=100)
    assert cursor == 0 and sorted(found) == ["1", "2", "3", "4"]
    assert sorted(r.sscan_iter("s:u")) == ["1", "2", "3", "4", "x"]
    r.set("s:str", "v")
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE Operation against a key holding the wrong kind of value$"):
        r.sadd("s:str", "a")
    with pytest.raises(redis.ResponseError, match="^value is out of range, must be positive$"):
        r.spop("s:b", -1)
    with pytest.raises(redis.ResponseError, match="^LIMIT can't be negative$"):
        r.sintercard(1, ["s:b"], limit=-1)


def test_set_pipeline_and_transaction(r):
    p = r.pipeline(transaction=False)
    p.sadd("s:p", 1, 2, 3).sismember("s:p", 2).scard("s:p").smembers("s:p").set("s:q", "v").sadd("s:q", 1)
    res = p.execute(raise_on_error=False)
    assert res[:4] == [3, 1, 3, {"1", "2", "3"}]
    assert isinstance(res[5], redis.ResponseError) and str(res[5]).startswith("WRONGTYPE")
    with r.pipeline() as tx:
        tx.watch("s:p")
        tx.multi()
        tx.srem("s:p", 1).sadd("s:p", "y").smembers("s:p")
        assert tx.execute() == [1, 1, {"2", "3", "y"}]
    # A write to a watched set aborts the transaction.
    with r.pipeline() as tx:
        tx.watch("s:p")
        r.sadd("s:p", "z")
        tx.multi()
        tx.scard("s:p")
        with pytest.raises(redis.WatchError):
            tx.execute()
