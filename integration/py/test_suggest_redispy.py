"""redis-py's suggestion, spell check and dictionary helpers (`r.ft()`)
against miniredis-search with the search module. The Go test
TestSuggestRedisPy starts the server and sets MRS_PORT.

Facts about what redis-py 4.3.x sends, read from its
redis/commands/search/commands.py and suggestion.py:
  * sugadd(key, *Suggestion, increment=) pipelines one
    `FT.SUGADD key string score [INCR] [PAYLOAD p]` per suggestion (score
    as Python prints the float, "1.0") and returns the last reply;
  * sugget(key, prefix, fuzzy=, num=10, ...) always sends `MAX num`, and
    parses the flat reply into Suggestion objects (score float("..."));
  * spellcheck(query, distance=, include=, exclude=) parses the RESP2
    [[TERM, term, [[score, word], ...]], ...] reply into
    {term: [{"score": s, "suggestion": w}, ...]}, dropping words that got
    no suggestion;
  * dict_add/dict_del/dict_dump send FT.DICTADD/DICTDEL/DICTDUMP as given.
"""
import math
import os
import struct

import pytest
import redis
from redis.commands.search.field import TextField
from redis.commands.search.suggestion import Suggestion

PORT = int(os.environ["MRS_PORT"])


def f32(v):
    """A suggestion score as the module keeps it: a C float."""
    return struct.unpack("f", struct.pack("f", v))[0]


@pytest.fixture
def r():
    c = redis.Redis(port=PORT, decode_responses=True)
    c.flushall()
    yield c
    c.flushall()
    c.close()


def test_sugadd_sugget(r):
    ft = r.ft()
    assert ft.sugadd("ac", Suggestion("hello world")) == 1
    assert ft.sugadd("ac", Suggestion("hello world"), increment=True) == 1
    # sugadd pipelines its suggestions and returns the last size.
    assert ft.sugadd("ac", Suggestion("hello werld"), Suggestion("hallo world", 2.0),
                     Suggestion("yellow world", 3.0, payload="yw")) == 4
    assert ft.suglen("ac") == 4
    assert [s.string for s in ft.sugget("ac", "hello")] == ["hello world", "hello werld"]
    fuzzy = ft.sugget("ac", "hello", fuzzy=True)
    assert [s.string for s in fuzzy] == ["hello world", "hello werld", "yellow world", "hallo world"]
    # Scores by hand (trie_type.c): divided by sqrt(1 + |len - len(prefix)|),
    # a fuzzy match first multiplied by exp(-2).
    scored = ft.sugget("ac", "hello", with_scores=True)
    assert [s.score for s in scored] == [f32(2 / math.sqrt(7)), f32(1 / math.sqrt(7))]
    assert [s.score for s in ft.sugget("ac", "yello", fuzzy=True, num=1, with_scores=True)] == [
        f32(3 / math.sqrt(8))]
    with_payloads = ft.sugget("ac", "yel", with_payloads=True)
    assert [(s.string, s.payload) for s in with_payloads] == [("yellow world", "yw")]
    assert [s.string for s in ft.sugget("ac", "hello", fuzzy=True, num=1)] == ["hello world"]
    assert ft.sugget("ac", "zzz") == []
    assert ft.sugget("missing", "zzz") == []
    assert ft.sugdel("ac", "hello world") == 1
    assert ft.sugdel("ac", "hello world") == 0
    assert ft.suglen("ac") == 3
    assert r.type("ac") == "trietype0"
    for s in ["hello werld", "hallo world", "yellow world"]:
        assert ft.sugdel("ac", s) == 1
    assert r.exists("ac") == 0


def test_suggest_errors(r):
    ft = r.ft()
    r.hset("h", "f", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        ft.sugadd("h", Suggestion("x"))
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        ft.sugget("h", "x")
    ft.sugadd("ac", Suggestion("x"))
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.get("ac")
    with pytest.raises(redis.ResponseError, match="^MAX: Value is outside acceptable bounds$"):
        ft.sugget("ac", "x", num=0)
    with pytest.raises(redis.ResponseError, match="^Invalid query length$"):
        ft.sugget("ac", "x" * 200)


def spell_docs(r):
    r.ft().create_index((TextField("f1"), TextField("f2")))
    r.hset("doc1", mapping={"f1": "some valid content", "f2": "this is sample text"})
    r.hset("doc2", mapping={"f1": "very important", "f2": "lorem ipsum"})


def test_spellcheck(r):
    # redis-py's tests/test_search.py::test_spell_check.
    spell_docs(r)
    ft = r.ft()
    assert ft.spellcheck("impornant") == {"impornant": [{"score": "0.5", "suggestion": "important"}]}
    assert ft.spellcheck("contnt") == {"contnt": [{"score": "0.5", "suggestion": "content"}]}
    assert ft.spellcheck("vlis") == {}
    assert ft.spellcheck("vlis", distance=2)["vlis"][0] == {"score": "0.5", "suggestion": "valid"}
    assert ft.dict_add("dict", "lore", "lorem", "lorm") == 3
    res = ft.spellcheck("lorm", include="dict")
    # lorem is the index's (1 document of 2); lore and lorm score 0, in
    # the dictionary's order.
    assert res == {"lorm": [{"score": "0.5", "suggestion": "lorem"}, {"score": "0", "suggestion": "lore"},
                            {"score": "0", "suggestion": "lorm"}]}
    assert ft.spellcheck("lorm", exclude="dict") == {}
    with pytest.raises(redis.ResponseError, match="^Dict does not exist: nodict$"):
        ft.spellcheck("lorm", include="nodict")
    with pytest.raises(redis.ResponseError, match="^bad distance given"):
        ft.spellcheck("lorm", distance=5)
    with pytest.raises(redis.ResponseError, match="^nosuch: no such index$"):
        r.ft("nosuch").spellcheck("lorm")


def test_dict_operations(r):
    # redis-py's tests/test_search.py::test_dict_operations.
    ft = r.ft()
    assert ft.dict_add("custom_dict", "item1", "item2", "item3") == 3
    assert ft.dict_del("custom_dict", "item2") == 1
    assert ft.dict_dump("custom_dict") == ["item1", "item3"]
    assert ft.dict_del("custom_dict", *["item1", "item3"]) == 2
    assert ft.dict_dump("custom_dict") == []
    assert r.keys("*") == []
