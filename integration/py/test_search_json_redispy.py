"""redis-py 4.3's search helpers on an index ON JSON: create_index with
IndexDefinition(index_type=IndexType.JSON), documents written with
r.json().set. Expected replies are the module's (tests/pytests/test_json.py:
the whole document as "$" in testSearchUpdatedContent, RETURN of a path and
an alias in testDemo and testIndexSeparation; FT.INFO's key_type in
testDemo), as redis-py decodes them."""
import json

from redis.commands.json.path import Path
from redis.commands.search.field import NumericField, TagField, TextField
from redis.commands.search.indexDefinition import IndexDefinition, IndexType
from redis.commands.search.query import Query


def test_create_index_on_json(r):
    ft = r.ft("airports")
    assert ft.create_index(
        (
            TagField("$.iata", as_name="iata"),
            TextField("$.name", as_name="name"),
            NumericField("$.rank", as_name="rank", sortable=True),
        ),
        definition=IndexDefinition(prefix=["A:"], index_type=IndexType.JSON),
    )
    tlv = {"iata": "TLV", "name": "Ben Gurion International Airport", "rank": 2}
    sfo = {"iata": "SFO", "name": "San Francisco International Airport", "rank": 1}
    assert r.json().set("A:TLV", Path.root_path(), tlv)
    assert r.json().set("A:SFO", Path.root_path(), sfo)

    res = ft.search(Query("@iata:{TLV}"))
    assert res.total == 1
    assert res.docs[0].id == "A:TLV"
    assert json.loads(res.docs[0].json) == tlv

    res = ft.search(Query("international").sort_by("rank").return_field("$.name", as_field="n"))
    assert [d.id for d in res.docs] == ["A:SFO", "A:TLV"]
    assert [d.n for d in res.docs] == ["San Francisco International Airport", "Ben Gurion International Airport"]

    # A write through r.json() is indexed before the next command.
    assert r.json().set("A:TLV", "$.iata", "LLBG")
    assert ft.search(Query("@iata:{TLV}")).total == 0
    assert ft.search(Query("@iata:{LLBG}")).total == 1

    info = ft.info()
    assert info["index_definition"][1] == "JSON"
    assert int(info["num_docs"]) == 2
