"""redis-py against miniredis-search: the core commands as a Python
application uses them. The Go test TestRedisPy starts the server and sets
MRS_PORT; run it through `make test`."""
import os

import pytest
import redis

PORT = int(os.environ["MRS_PORT"])


def test_strings(r):
    assert r.ping() is True
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    assert r.get("missing") is None
    assert r.set("k", "w", nx=True) is None
    assert r.set("k", "w", xx=True, get=True) == "v"
    assert r.incr("n") == 1
    assert r.incrby("n", 10) == 11
    assert r.incrbyfloat("f", 0.1) == pytest.approx(0.1)
    assert r.mset({"a": "1", "b": "2"}) is True
    assert r.mget("a", "b", "missing") == ["1", "2", None]
    assert r.append("a", "xx") == 3
    assert r.getrange("a", 0, 1) == "1x"
    assert r.strlen("a") == 3
    assert r.getdel("a") == "1xx"
    assert r.exists("a") == 0


def test_errors(r):
    r.hset("h", "f", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE Operation against a key holding the wrong kind of value"):
        r.get("h")
    r.set("s", "abc")
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.incr("s")
    with pytest.raises(redis.ResponseError, match="unknown command 'NOSUCH'"):
        r.execute_command("NOSUCH", "x")


def test_hashes_keep_insertion_order(r):
    assert r.hset("h", mapping={"z": "1", "a": "2", "m": "3"}) == 3
    assert list(r.hgetall("h").items()) == [("z", "1"), ("a", "2"), ("m", "3")]
    assert r.hkeys("h") == ["z", "a", "m"]
    assert r.hincrby("h", "z", 5) == 6
    assert r.hincrbyfloat("h", "a", 0.5) == pytest.approx(2.5)
    assert r.hdel("h", "a", "missing") == 1
    assert r.hlen("h") == 2
    assert sorted(r.hscan_iter("h")) == [("m", "3"), ("z", "6")]


def test_expiry(r):
    r.set("e", "v", ex=100)
    assert 0 < r.ttl("e") <= 100
    assert r.persist("e") is True
    assert r.ttl("e") == -1
    assert r.expire("missing", 10) is False


def test_transactional_pipeline(r):
    # redis-py pipelines use MULTI/EXEC by default.
    with r.pipeline() as p:
        p.set("t", "1").incr("t").get("t")
        assert p.execute() == [True, 2, "2"]


def test_transaction_with_watch(r):
    r.set("w", "0")

    def bump(pipe):
        value = int(pipe.get("w"))
        pipe.multi()
        pipe.set("w", value + 1)

    assert r.transaction(bump, "w") == [True]
    assert r.get("w") == "1"


def test_watch_conflict(r):
    other = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    r.set("w", "0")
    with r.pipeline() as p:
        p.watch("w")
        other.set("w", "changed")
        p.multi()
        p.set("w", "mine")
        with pytest.raises(redis.WatchError):
            p.execute()
    assert r.get("w") == "changed"
    other.close()


def test_transaction_error_aborts(r):
    with r.pipeline() as p:
        p.set("x", "1")
        p.execute_command("SET", "x")  # wrong arity: EXECABORT
        with pytest.raises(redis.ResponseError):
            p.execute()
    assert r.get("x") is None


def test_scan_iter(r):
    for i in range(100):
        r.set(f"key:{i}", i)
    r.hset("other", "f", "v")
    assert sorted(r.scan_iter(match="key:*", count=10)) == sorted(f"key:{i}" for i in range(100))
    assert list(r.scan_iter(_type="hash")) == ["other"]
    assert r.dbsize() == 101


def test_server_commands(r):
    assert r.config_get("maxclients") == {"maxclients": "10000"}
    assert r.config_set("maxclients", 5000) is True
    assert r.config_get("maxclients") == {"maxclients": "5000"}
    r.config_set("maxclients", 10000)
    info = r.info()
    assert info["redis_version"]
    assert "connected_clients" in info
    r.set("k", "v")
    assert r.info("keyspace")["db0"]["keys"] == 1
    assert r.client_setname("py") is True
    assert r.client_getname() == "py"
    assert any(c["name"] == "py" for c in r.client_list())
    assert isinstance(r.client_id(), int)
    assert len(r.time()) == 2
    assert r.echo("hi") == "hi"
    assert r.type("k") == "string"
    assert r.object("encoding", "k") == "embstr"


def test_select_other_db():
    c = redis.Redis(host="127.0.0.1", port=PORT, db=3, decode_responses=True)
    c.flushdb()
    c.set("in3", "yes")
    assert c.get("in3") == "yes"
    zero = redis.Redis(host="127.0.0.1", port=PORT, db=0, decode_responses=True)
    assert zero.get("in3") is None
    c.close()
    zero.close()
