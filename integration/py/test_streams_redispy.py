"""Streams through redis-py 4.3's helpers, a blocking XREAD answered by a
second client, pipelines and transactions. Expected values are redis-server
7.0's replies (run this file against it with MRS_PORT set to its port)."""
import threading

import pytest
import redis


def test_stream_commands(r):
    assert r.xadd("x:s", {"f": "a", "g": "b"}, id="1-1") == "1-1"
    assert r.xadd("x:s", {"f": "c"}, id="2-1") == "2-1"
    assert r.xadd("x:s", {"f": "d"}, id="3-1", maxlen=2, approximate=False) == "3-1"
    assert r.xlen("x:s") == 2
    assert r.xrange("x:s") == [("2-1", {"f": "c"}), ("3-1", {"f": "d"})]
    assert r.xrevrange("x:s", count=1) == [("3-1", {"f": "d"})]
    assert r.xadd("x:none", {"f": "x"}, nomkstream=True) is None
    with pytest.raises(redis.ResponseError, match="^The ID specified in XADD is equal or smaller than the target stream top item$"):
        r.xadd("x:s", {"f": "x"}, id="3-1")
    with pytest.raises(redis.ResponseError, match="^Invalid stream ID specified as stream command argument$"):
        r.xadd("x:s", {"f": "x"}, id="abc")
    assert r.xread({"x:s": "0"}, count=1) == [["x:s", [("2-1", {"f": "c"})]]]
    assert r.xread({"x:s": "$"}) == []
    assert r.xgroup_create("x:s", "grp", id="0") is True
    assert r.xreadgroup("grp", "alice", {"x:s": ">"}, count=1) == [["x:s", [("2-1", {"f": "c"})]]]
    assert r.xreadgroup("grp", "bob", {"x:s": ">"}) == [["x:s", [("3-1", {"f": "d"})]]]
    assert r.xpending("x:s", "grp") == {
        "pending": 2, "min": "2-1", "max": "3-1",
        "consumers": [{"name": "alice", "pending": 1}, {"name": "bob", "pending": 1}]}
    assert r.xack("x:s", "grp", "2-1", "9-9") == 1
    rng = r.xpending_range("x:s", "grp", "-", "+", 10)
    assert [(p["message_id"], p["consumer"], p["times_delivered"]) for p in rng] == [("3-1", "bob", 1)]
    assert r.xclaim("x:s", "grp", "carol", 0, ["3-1"], justid=True) == ["3-1"]
    assert r.xautoclaim("x:s", "grp", "dave", 0, "0", justid=True) == ["3-1"]
    info = r.xinfo_groups("x:s")
    assert [(g["name"], g["consumers"], g["pending"], g["last-delivered-id"]) for g in info] == [("grp", 4, 1, "3-1")]
    assert [c["name"] for c in r.xinfo_consumers("x:s", "grp")] == ["alice", "bob", "carol", "dave"]
    s = r.xinfo_stream("x:s")
    assert (s["length"], s["last-generated-id"], s["first-entry"], s["last-entry"]) == (
        2, "3-1", ("2-1", {"f": "c"}), ("3-1", {"f": "d"}))
    assert r.xdel("x:s", "2-1") == 1
    assert r.xtrim("x:s", minid="4-0") == 1
    assert r.xlen("x:s") == 0 and r.exists("x:s") == 1
    assert r.type("x:s") == "stream"
    assert r.object("encoding", "x:s") == "stream"
    r.set("x:str", "v")
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE"):
        r.xadd("x:str", {"f": "x"})
    with pytest.raises(redis.ResponseError, match="^NOGROUP No such key 'x:s' or consumer group 'nope' in XREADGROUP with GROUP option$"):
        r.xreadgroup("nope", "c", {"x:s": ">"})


def test_stream_blocking_read(r):
    r.xadd("x:b", {"f": "old"}, id="1-1")
    out = {}

    def reader():
        c = redis.Redis(host=r.connection_pool.connection_kwargs["host"],
                        port=r.connection_pool.connection_kwargs["port"], decode_responses=True)
        out["reply"] = c.xread({"x:b": "$"}, block=0)
        c.close()

    t = threading.Thread(target=reader)
    t.start()
    for _ in range(500):
        if any(c.get("cmd") == "xread" for c in r.client_list()):
            break
        threading.Event().wait(0.01)
    assert r.xadd("x:b", {"f": "new"}, id="2-1") == "2-1"
    t.join(5)
    assert out["reply"] == [["x:b", [("2-1", {"f": "new"})]]]
    assert r.xread({"x:b": "$"}, block=50) == []


def test_stream_pipeline_and_transaction(r):
    p = r.pipeline(transaction=False)
    p.xadd("x:p", {"k": "v"}, id="5-1").xadd("x:p", {"k": "w"}, id="6-1").xlen("x:p").set("x:q", "v").xlen("x:q")
    res = p.execute(raise_on_error=False)
    assert res[:4] == ["5-1", "6-1", 2, True]
    assert isinstance(res[4], redis.ResponseError) and str(res[4]).startswith("WRONGTYPE")
    with r.pipeline() as tx:
        tx.watch("x:p")
        tx.multi()
        tx.xgroup_create("x:p", "g", id="0").xreadgroup("g", "c", {"x:p": ">"}, count=1, block=1000).xpending("x:p", "g")
        res = tx.execute()
    assert res[0] is True
    assert res[1] == [["x:p", [("5-1", {"k": "v"})]]]
    assert res[2]["pending"] == 1
    with r.pipeline() as tx:
        tx.watch("x:p")
        r.xadd("x:p", {"k": "z"}, id="7-1")
        tx.multi()
        tx.xlen("x:p")
        with pytest.raises(redis.WatchError):
            tx.execute()
