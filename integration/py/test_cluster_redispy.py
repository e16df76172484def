"""redis-py 4.3's RedisCluster against a miniredis-search cluster (MRS_PORT is one of its shards)."""
import os

from redis.cluster import RedisCluster

PORT = int(os.environ["MRS_PORT"])


def client():
    return RedisCluster(host="127.0.0.1", port=PORT, decode_responses=True)


def test_nodes_and_slots():
    rc = client()
    masters = rc.get_primaries()
    assert len(masters) == 3
    assert rc.keyslot("foo") == 12182
    assert rc.cluster_keyslot("foo") == 12182


def test_keys_across_shards():
    rc = client()
    for i in range(100):
        assert rc.set(f"key:{i}", i)
    for i in range(100):
        assert rc.get(f"key:{i}") == str(i)
    assert rc.hset("h:{1}", mapping={"a": "1", "b": "2"}) == 2
    assert rc.hgetall("h:{1}") == {"a": "1", "b": "2"}


def test_pipeline_across_shards():
    rc = client()
    pipe = rc.pipeline()
    for i in range(100):
        pipe.get(f"key:{i}")
    assert pipe.execute() == [str(i) for i in range(100)]
