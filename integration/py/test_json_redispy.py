"""redis-py 4.3's JSON helpers (r.json() with Path) against the JSON module.
Expected values are RedisJSON's replies (its docs and tests/pytest/test.py,
test_multi.py) as redis-py decodes them."""
import pytest
import redis
from redis.commands.json.path import Path


def test_set_get_legacy_and_jsonpath(r):
    j = r.json()
    assert j.set("doc", Path.root_path(), {"a": 1, "nested": {"a": 2, "b": [1, 2]}})
    assert j.get("doc") == {"a": 1, "nested": {"a": 2, "b": [1, 2]}}
    assert j.get("doc", Path("nested.b")) == [1, 2]
    assert j.get("doc", "$..a") == [1, 2]
    assert j.get("doc", Path(".a"), Path(".nested.a")) == {".a": 1, ".nested.a": 2}
    assert j.type("doc", Path("nested")) == "object"
    assert j.type("doc", "$..a") == ["integer", "integer"]
    assert j.set("doc", "$.c", "x", nx=True)
    assert j.set("doc", "$.c", "y", nx=True) is None
    assert j.set("doc", "$.zz", "y", xx=True) is None
    with pytest.raises(redis.ResponseError, match="new objects must be created at the root"):
        j.set("nokey", Path("a"), 1)
    assert r.type("doc") == "ReJSON-RL"
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.get("doc")


def test_numbers_strings(r):
    j = r.json()
    j.set("n", Path.root_path(), {"i": 1, "f": 1.5, "s": "foo"})
    assert j.numincrby("n", Path("i"), 2) == 3
    assert j.numincrby("n", "$.f", 1) == [2.5]
    assert j.nummultby("n", Path("i"), 2.5) == 7.5
    assert j.strappend("n", "bar", Path("s")) == 6
    assert j.strlen("n", Path("s")) == 6
    assert j.toggle("n", "$.s") == [None]
    assert j.get("n") == {"i": 7.5, "f": 2.5, "s": "foobar"}


def test_arrays_objects(r):
    j = r.json()
    j.set("arr", Path.root_path(), [1, 2, 3])
    assert j.arrappend("arr", Path.root_path(), 4, 5) == 5
    assert j.arrindex("arr", Path.root_path(), 4) == 3
    assert j.arrinsert("arr", Path.root_path(), 0, -1, 0) == 7
    assert j.arrlen("arr", Path.root_path()) == 7
    assert j.arrpop("arr", Path.root_path()) == 5
    assert j.arrpop("arr", Path.root_path(), 0) == -1
    assert j.arrtrim("arr", Path.root_path(), 1, 2) == 2
    assert j.get("arr") == [1, 2]
    j.set("o", Path.root_path(), {"a": 1, "b": {"c": 2}})
    assert j.objkeys("o", Path.root_path()) == ["a", "b"]
    assert j.objlen("o", Path("b")) == 1
    assert j.resp("o", Path("b")) == ["{", "c", 2]
    assert j.clear("o", "$.b") == 1
    assert j.delete("o", Path("a")) == 1
    assert j.get("o") == {"b": {}}
    assert j.forget("o") == 1
    assert r.exists("o") == 0


def test_mget_mset_merge_pipeline(r):
    j = r.json()
    j.set("x1", Path.root_path(), {"a": 1})
    j.set("x2", Path.root_path(), {"a": 2})
    assert j.mget(["x1", "x2", "x3"], Path("a")) == [1, 2, None]
    assert j.mget(["x1", "x2"], "$.a") == [[1], [2]]
    # redis-py 4.3 has no merge helper: the raw command.
    assert r.execute_command("JSON.MERGE", "x1", "$", '{"b":3,"a":null}') == "OK"
    assert j.get("x1") == {"b": 3}
    p = j.pipeline()
    p.set("p", Path.root_path(), {"k": [1]})
    p.arrappend("p", "$.k", 2)
    p.get("p")
    assert p.execute() == [True, [2], {"k": [1, 2]}]
