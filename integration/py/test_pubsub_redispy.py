"""Pub/Sub through redis-py 4.3: pubsub().subscribe / psubscribe /
get_message, PUBSUB introspection and keyspace notifications. Expected values
are redis-server 7.0's (run this file against it with MRS_PORT set to its
port)."""
import time

import redis

from conftest import PORT


def next_message(p, timeout=5.0):
    """The next message (confirmations included), or None after timeout."""
    end = time.time() + timeout
    while time.time() < end:
        m = p.get_message(timeout=0.1)
        if m is not None:
            return m
    return None


def test_subscribe_and_publish(r):
    p = r.pubsub()
    p.subscribe("chan")
    assert next_message(p) == {"type": "subscribe", "pattern": None, "channel": "chan", "data": 1}
    p.psubscribe("ch*")
    assert next_message(p) == {"type": "psubscribe", "pattern": None, "channel": "ch*", "data": 2}
    assert r.pubsub_numsub("chan", "none") == [("chan", 1), ("none", 0)]
    assert r.pubsub_numpat() == 1
    assert r.pubsub_channels() == ["chan"]
    assert r.publish("chan", "hi") == 2
    assert next_message(p) == {"type": "message", "pattern": None, "channel": "chan", "data": "hi"}
    assert next_message(p) == {"type": "pmessage", "pattern": "ch*", "channel": "chan", "data": "hi"}
    p.unsubscribe("chan")
    assert next_message(p) == {"type": "unsubscribe", "pattern": None, "channel": "chan", "data": 1}
    p.punsubscribe()
    assert next_message(p) == {"type": "punsubscribe", "pattern": None, "channel": "ch*", "data": 0}
    assert r.publish("chan", "gone") == 0
    p.close()


def test_ping_while_subscribed(r):
    p = r.pubsub()
    p.subscribe("c")
    next_message(p)
    p.ping()
    # RESP2 Pub/Sub mode answers PING as a message-shaped ["pong", ""].
    assert next_message(p) == {"type": "pong", "pattern": None, "channel": None, "data": ""}
    p.close()


def test_keyspace_notifications(r):
    r.config_set("notify-keyspace-events", "KEA")
    try:
        p = r.pubsub()
        p.psubscribe("__keyspace@0__:*")
        next_message(p)
        r.set("k", "v")
        r.hset("h", "f", "v")
        r.lpush("l", "a")
        r.sadd("s", "a")
        r.delete("k")
        got = [next_message(p) for _ in range(5)]
        assert [(m["channel"], m["data"]) for m in got] == [
            ("__keyspace@0__:k", "set"),
            ("__keyspace@0__:h", "hset"),
            ("__keyspace@0__:l", "lpush"),
            ("__keyspace@0__:s", "sadd"),
            ("__keyspace@0__:k", "del"),
        ]
        p.close()
    finally:
        r.config_set("notify-keyspace-events", "")


def test_subscriber_connection_refuses_other_commands():
    c = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True, single_connection_client=True)
    try:
        c.execute_command("SUBSCRIBE", "x")
        try:
            c.execute_command("GET", "k")
            raised = None
        except redis.ResponseError as e:
            raised = str(e)
        assert raised is not None
    finally:
        c.close()
