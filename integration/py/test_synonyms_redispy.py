"""redis-py 4.3's synonym and phonetic API (`ft().synupdate`, `ft().syndump`,
`TextField(phonetic_matcher=...)`) against miniredis-search with the search
module. The Go test TestSynonymsRedisPy starts the server and sets MRS_PORT.

What redis-py 4.3.4 sends, read from redis/commands/search/*.py:
  * synupdate(groupid, skipinitial, *terms) sends
    `FT.SYNUPDATE idx groupid [SKIPINITIALSCAN] term...`;
  * syndump() turns the RESP2 [term, [ids], ...] array into a dict;
  * TextField(name, phonetic_matcher=m) sends `TEXT WEIGHT 1.0 PHONETIC m`
    for m in dm:en, dm:fr, dm:pt, dm:es (and drops any other matcher);
  * Query.expander(name) sends `EXPANDER name`.
The expectations follow redis-py's own tests (test_synupdate, test_syndump,
test_phonetic_matcher) and the module's test_synonyms.py / test_phonetic.py.
"""
import os
import time

import pytest
import redis
from redis.commands.search.field import TextField
from redis.commands.search.indexDefinition import IndexDefinition, IndexType
from redis.commands.search.query import Query

PORT = int(os.environ["MRS_PORT"])


@pytest.fixture
def r():
    client = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    client.flushall()
    yield client
    client.flushall()
    client.close()


def create(r, *fields):
    definition = IndexDefinition(index_type=IndexType.HASH)
    assert r.ft().create_index(fields, definition=definition) == "OK"


def wait_indexed(r):
    deadline = time.time() + 10
    while int(r.ft().info()["indexing"]) != 0:
        assert time.time() < deadline, "still indexing"
        time.sleep(0.01)


def test_synupdate(r):
    # redis-py's test_synupdate: with SKIPINITIALSCAN, a document indexed
    # before "baby" joined the group does not match.
    create(r, TextField("title"), TextField("body"))
    assert r.ft().synupdate("id1", True, "boy", "child", "offspring") == "OK"
    r.hset("doc1", mapping={"title": "he is a baby", "body": "this is a test"})
    assert r.ft().synupdate("id1", True, "baby") == "OK"
    r.hset("doc2", mapping={"title": "he is another baby", "body": "another test"})
    res = r.ft().search(Query("child").expander("SYNONYM"))
    assert res.total == 1
    assert res.docs[0].id == "doc2"
    assert res.docs[0].title == "he is another baby"
    assert res.docs[0].body == "another test"
    # Without SKIPINITIALSCAN the existing documents are indexed again.
    assert r.ft().synupdate("id1", False, "baby") == "OK"
    wait_indexed(r)
    res = r.ft().search(Query("child").expander("SYNONYM"))
    assert sorted(d.id for d in res.docs) == ["doc1", "doc2"]


def test_syndump(r):
    # redis-py's test_syndump, and the module's order (see the Go
    # acceptance test "FT.SYNDUMP": a Redis dict under an all-zero
    # SipHash seed); redis-py keeps it in its dict.
    create(r, TextField("title"), TextField("body"))
    assert r.ft().syndump() == {}
    r.ft().synupdate("id1", False, "boy", "child", "offspring")
    r.ft().synupdate("id2", False, "baby", "child")
    r.ft().synupdate("id3", False, "tree", "wood")
    res = r.ft().syndump()
    assert res == {
        "boy": ["id1"],
        "tree": ["id3"],
        "wood": ["id3"],
        "child": ["id1", "id2"],
        "baby": ["id2"],
        "offspring": ["id1"],
    }
    assert list(res) == ["baby", "wood", "boy", "tree", "child", "offspring"]


def test_synonym_errors(r):
    with pytest.raises(redis.ResponseError, match="^idx: no such index$"):
        r.ft("idx").syndump()
    with pytest.raises(redis.ResponseError, match="^idx: no such index$"):
        r.ft("idx").synupdate("id1", False, "a")
    create(r, TextField("title"))
    with pytest.raises(redis.ResponseError, match="wrong number of arguments"):
        r.ft().synupdate("id1", False)


def test_phonetic_matcher(r):
    # redis-py's test_phonetic_matcher.
    create(r, TextField("name"))
    r.hset("doc1", mapping={"name": "Jon"})
    r.hset("doc2", mapping={"name": "John"})
    res = r.ft().search(Query("Jon"))
    assert len(res.docs) == 1
    assert res.docs[0].name == "Jon"

    r.flushdb()
    create(r, TextField("name", phonetic_matcher="dm:en"))
    r.hset("doc1", mapping={"name": "Jon"})
    r.hset("doc2", mapping={"name": "John"})
    res = r.ft().search(Query("Jon"))
    assert len(res.docs) == 2
    assert sorted(d.name for d in res.docs) == ["John", "Jon"]


def test_phonetic_attribute(r):
    # test_phonetic.py: $phonetic on a PHONETIC field and on a plain one.
    create(r, TextField("text", phonetic_matcher="dm:fr"), TextField("text1"))
    r.hset("doc1", mapping={"text": "morfix", "text1": "phonetic"})
    assert r.ft().search(Query("@text:morphix")).total == 1
    assert r.ft().search(Query("@text:morphix=>{$phonetic:false}")).total == 0
    with pytest.raises(redis.ResponseError, match="^field does not support phonetics$"):
        r.ft().search(Query("@text1:morphix=>{$phonetic:true}"))
    with pytest.raises(redis.ResponseError, match="^Matcher Format: "):
        r.execute_command("FT.CREATE", "bad", "SCHEMA", "t", "TEXT", "PHONETIC", "dm:de")
