"""Lists through redis-py 4.3's helpers, a blocking pop answered by a second
client, pipelines and transactions. Expected values are redis-server 7.0's
replies (run this file against it with MRS_PORT set to its port)."""
import os
import threading
import time

import pytest
import redis

PORT = int(os.environ["MRS_PORT"])


def test_list_commands(r):
    assert r.rpush("l:a", "b", "c", "d") == 3
    assert r.lpush("l:a", "a", "z") == 5  # z a b c d
    assert r.lrange("l:a", 0, -1) == ["z", "a", "b", "c", "d"]
    assert r.lpop("l:a") == "z"
    assert r.lpop("l:a", 2) == ["a", "b"]
    assert r.rpop("l:a", 5) == ["d", "c"]
    assert r.exists("l:a") == 0
    assert r.lpop("l:a") is None
    assert r.lpop("l:a", 2) is None

    assert r.rpush("l:b", "x", "y", "x", "z", "x", "y") == 6
    assert r.llen("l:b") == 6
    assert r.lindex("l:b", 1) == "y"
    assert r.lindex("l:b", -1) == "y"
    assert r.lindex("l:b", 99) is None
    assert r.lset("l:b", -2, "X") is True
    assert r.lrange("l:b", 3, 100) == ["z", "X", "y"]
    assert r.lrange("l:b", -100, 1) == ["x", "y"]
    assert r.lrange("l:b", 5, 2) == []
    assert r.lpos("l:b", "y") == 1
    assert r.lpos("l:b", "y", rank=-1) == 5
    assert r.lpos("l:b", "x", count=0) == [0, 2]
    assert r.lpos("l:b", "y", rank=2, count=5) == [5]
    assert r.lpos("l:b", "y", maxlen=1) is None
    assert r.lpos("l:b", "nope") is None
    assert r.lrem("l:b", -1, "y") == 1  # removes the tail's y
    assert r.lrange("l:b", 0, -1) == ["x", "y", "x", "z", "X"]
    assert r.lrem("l:b", 0, "x") == 2
    assert r.lrem("l:b", 0, "nope") == 0
    assert r.linsert("l:b", "BEFORE", "z", "w") == 4
    assert r.linsert("l:b", "after", "X", "end") == 5
    assert r.linsert("l:b", "AFTER", "nope", "v") == -1
    assert r.linsert("l:missing", "AFTER", "z", "v") == 0
    assert r.lrange("l:b", 0, -1) == ["y", "w", "z", "X", "end"]
    assert r.ltrim("l:b", 1, -2) is True
    assert r.lrange("l:b", 0, -1) == ["w", "z", "X"]

    assert r.lmove("l:b", "l:c", "LEFT", "RIGHT") == "w"
    assert r.lmove("l:b", "l:c", "RIGHT", "LEFT") == "X"
    assert r.lrange("l:c", 0, -1) == ["X", "w"]
    assert r.lmove("l:b", "l:b", "LEFT", "RIGHT") == "z"  # rotation
    assert r.lmove("l:none", "l:c") is None

    assert r.lmpop(2, "l:none", "l:c", direction="RIGHT") == ["l:c", ["w"]]
    r.rpush("l:d", 1, 2, 3)
    assert r.lmpop(2, "l:none", "l:d", direction="LEFT", count=5) == ["l:d", ["1", "2", "3"]]
    assert r.lmpop(1, "l:none", direction="LEFT") is None
    assert r.exists("l:d") == 0

    assert r.ltrim("l:c", 5, 10) is True  # empties and deletes the key
    assert r.exists("l:c") == 0
    assert r.type("l:b") == "list"
    # Redis 7.0 makes every list a quicklist (7.2 starts small ones as a listpack).
    assert r.object("encoding", "l:b") == "quicklist"

    r.set("l:str", "v")
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE Operation against a key holding the wrong kind of value$"):
        r.lpush("l:str", "a")
    with pytest.raises(redis.ResponseError, match="^no such key$"):
        r.lset("l:none", 0, "v")
    with pytest.raises(redis.ResponseError, match="^index out of range$"):
        r.lset("l:b", 5, "v")
    with pytest.raises(redis.ResponseError, match="^value is out of range, must be positive$"):
        r.lpop("l:b", -1)
    with pytest.raises(redis.ResponseError, match="^RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list$"):
        r.lpos("l:b", "z", rank=0)


def test_blpop_answered_by_another_client(r):
    pusher = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)

    def push():
        # The push comes once BLPOP is blocked: CLIENT LIST flags it "b".
        deadline = time.time() + 5
        while time.time() < deadline:
            if any(c["cmd"] == "blpop" and "b" in c["flags"] for c in pusher.client_list()):
                break
            time.sleep(0.01)
        pusher.rpush("l:q2", "hello", "world")

    t = threading.Thread(target=push)
    t.start()
    try:
        # The first key is empty, the second gets the push; the pop is the head.
        assert r.blpop(["l:q1", "l:q2"], timeout=10) == ("l:q2", "hello")
    finally:
        t.join()
        pusher.close()
    assert r.lrange("l:q2", 0, -1) == ["world"]
    # Nothing comes: a nil once the timeout passes.
    start = time.time()
    assert r.blpop(["l:q1"], timeout=0.2) is None
    assert time.time() - start >= 0.15
    # A list that has elements is served at once.
    assert r.brpop(["l:q1", "l:q2"], timeout=1) == ("l:q2", "world")
    assert r.exists("l:q2") == 0


def test_list_pipeline_and_transaction(r):
    p = r.pipeline(transaction=False)
    p.rpush("l:p", 1, 2, 3).lpush("l:p", 0).lrange("l:p", 0, -1).lindex("l:p", 2).set("l:s", "v").rpush("l:s", 1)
    res = p.execute(raise_on_error=False)
    assert res[:5] == [3, 4, ["0", "1", "2", "3"], "2", True]
    assert isinstance(res[5], redis.ResponseError) and str(res[5]).startswith("WRONGTYPE")
    with r.pipeline() as tx:
        tx.watch("l:p")
        tx.multi()
        tx.lpop("l:p", 2).rpush("l:p", "y").lrange("l:p", 0, -1).llen("l:p")
        assert tx.execute() == [["0", "1"], 3, ["2", "3", "y"], 3]
    # A write to a watched list aborts the transaction.
    with r.pipeline() as tx:
        tx.watch("l:p")
        r.lpush("l:p", "z")
        tx.multi()
        tx.llen("l:p")
        with pytest.raises(redis.WatchError):
            tx.execute()
    # Inside MULTI a blocking pop does not block: nil when the list is empty.
    with r.pipeline() as tx:
        tx.blpop(["l:empty"], timeout=0).rpop("l:p")
        assert tx.execute() == [None, "y"]
