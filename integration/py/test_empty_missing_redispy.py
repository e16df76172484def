"""Empty and missing values (INDEXEMPTY, INDEXMISSING) through redis-py's
search client, as an application on redis-py 4.3 writes them. The Go test
TestEmptyMissingRedisPy starts the server and sets MRS_PORT.

redis-py 4.3.4's TagField/TextField have no index_empty/index_missing
arguments (they came in 5.x), so the option is appended to the field's
args, which redis_args() sends after the type; queries use Query(...)
.dialect(2), which 4.3 sends as `DIALECT 2`. Expected replies are those of
RediSearch 8.2's tests/pytests/test_empty.py and test_missing.py.
"""
import os

import pytest
import redis
from redis.commands.search.field import TagField, TextField
from redis.commands.search.indexDefinition import IndexDefinition
from redis.commands.search.query import Query

PORT = int(os.environ["MRS_PORT"])


def with_option(field, option):
    field.args.append(option)
    return field


def test_empty_tag(r):
    ft = r.ft("idx")
    ft.create_index(
        [with_option(TagField("t"), "INDEXEMPTY"), TextField("text")],
        definition=IndexDefinition(prefix=["h"]),
    )
    r.hset("h1", "t", "")
    r.hset("h2", "t", "bar,")
    r.hset("h3", "t", "bar")

    res = ft.search(Query('@t:{""}').dialect(2).sort_by("t"))
    assert res.total == 2
    assert [d.id for d in res.docs] == ["h1", "h2"]
    assert res.docs[0].t == ""

    res = ft.search(Query('-@t:{""}').dialect(2))
    assert [d.id for d in res.docs] == ["h3"]

    with pytest.raises(redis.ResponseError, match="Use `INDEXEMPTY` in field creation"):
        ft.search(Query('@text:""').dialect(2))


def test_empty_text(r):
    ft = r.ft("idx")
    ft.create_index([with_option(TextField("t"), "INDEXEMPTY")])
    r.hset("h1", "t", "")
    r.hset("h2", "t", "bar")
    res = ft.search(Query("@t:''").dialect(2))
    assert [d.id for d in res.docs] == ["h1"]
    res = ft.search(Query('@t:"" | @t:bar').dialect(2).sort_by("t"))
    assert [d.id for d in res.docs] == ["h1", "h2"]


def test_ismissing(r):
    ft = r.ft("idx")
    ft.create_index(
        [with_option(TagField("ta"), "INDEXMISSING"), with_option(TextField("te"), "INDEXMISSING")]
    )
    r.hset("all", mapping={"ta": "foo", "te": "foo"})
    r.hset("no_text", "ta", "foo")
    r.hset("no_tag", "te", "foo")
    r.hset("none", "shwallalimbo", "Shigoreski")

    res = ft.search(Query("ismissing(@ta)").dialect(2).no_content().sort_by("te"))
    assert res.total == 2
    assert [d.id for d in res.docs] == ["no_tag", "none"]

    res = ft.search(Query("ismissing(@te) ismissing(@ta)").dialect(2).no_content())
    assert [d.id for d in res.docs] == ["none"]

    res = ft.search(Query("-ismissing(@ta)").dialect(2).no_content().sort_by("te"))
    assert sorted(d.id for d in res.docs) == ["all", "no_text"]

    # A document that gains the field leaves the missing set.
    r.hset("none", "ta", "bar")
    res = ft.search(Query("ismissing(@ta)").dialect(2).no_content())
    assert [d.id for d in res.docs] == ["no_tag"]


def test_ismissing_needs_indexmissing(r):
    ft = r.ft("idx")
    ft.create_index([TagField("tag")])
    with pytest.raises(redis.ResponseError) as e:
        ft.search(Query("ismissing(@tag)").dialect(2))
    assert str(e.value) == "'ismissing' requires field 'tag' to be defined with 'INDEXMISSING'"
