"""FT.AGGREGATE through redis-py's AggregateRequest builder against
miniredis-search with the search module. The Go test TestAggregateRedisPy
starts the server and sets MRS_PORT; run it through `make test` or
`go test ./integration -run AggregateRedisPy`.

What redis-py 4.3.4 sends and how it reads the reply
(redis/commands/search/aggregation.py, reducers.py, commands.py):
  * build_args(): query, [WITHCURSOR [COUNT n] [MAXIDLE ms]], [LOAD * | LOAD n
    fields...], the plan (GROUPBY/REDUCE, APPLY, SORTBY [MAX], FILTER) in the
    order the methods were called, then LIMIT offset num last (only when num
    is not 0);
  * cursor(max_idle=s) sends MAXIDLE as str(s * 1000), a float string
    ("1000.0"), which the module's AC_GetUnsigned takes as an integral double;
  * rows are raw[1:] (the total is dropped); with a cursor the reply is
    [raw, cursor_id] and aggregate(Cursor(id)) sends FT.CURSOR READ idx id
    [COUNT n].
The expected rows are those of the real module (RediSearch 8.2), from the
redis-py and RediSearch test suites collected in
shared/reference/redisearch-surface.md §5.F (C42-C47), or computed by hand on
the small corpora below where noted.
"""
import os

import pytest
import redis
from redis.commands.search import reducers
from redis.commands.search.aggregation import FIELDNAME, AggregateRequest, Asc, Cursor, Desc
from redis.commands.search.field import NumericField, TagField, TextField
from redis.commands.search.indexDefinition import IndexDefinition, IndexType

PORT = int(os.environ["MRS_PORT"])


# --- C42: the three-document corpus of redis-py's test_aggregations_groupby.

@pytest.fixture
def projects(r):
    r.ft().create_index((
        NumericField("random_num"),
        TextField("title"),
        TextField("body"),
        TextField("parent"),
    ))
    r.hset("search", mapping={
        "title": "RediSearch",
        "body": "Redisearch impements a search engine on top of redis",
        "parent": "redis",
        "random_num": 10})
    r.hset("ai", mapping={
        "title": "RedisAI",
        "body": "RedisAI executes Deep Learning/Machine Learning models and managing their data.",
        "parent": "redis",
        "random_num": 3})
    r.hset("json", mapping={
        "title": "RedisJson",
        "body": "RedisJSON implements ECMA-404 The JSON Data Interchange Standard as a native data type.",
        "parent": "redis",
        "random_num": 8})
    return r.ft()


def group_redis(ft, *reducer):
    return ft.aggregate(AggregateRequest("redis").group_by("@parent", *reducer)).rows


def test_group_by_reducers(projects):
    ft = projects
    assert group_redis(ft, reducers.count()) == [["parent", "redis", "__generated_aliascount", "3"]]
    assert group_redis(ft, reducers.count_distinct("@title")) == [
        ["parent", "redis", "__generated_aliascount_distincttitle", "3"]]
    assert group_redis(ft, reducers.count_distinctish("@title")) == [
        ["parent", "redis", "__generated_aliascount_distinctishtitle", "3"]]
    assert group_redis(ft, reducers.sum("@random_num")) == [
        ["parent", "redis", "__generated_aliassumrandom_num", "21"]]
    assert group_redis(ft, reducers.min("@random_num")) == [
        ["parent", "redis", "__generated_aliasminrandom_num", "3"]]
    assert group_redis(ft, reducers.max("@random_num")) == [
        ["parent", "redis", "__generated_aliasmaxrandom_num", "10"]]
    assert group_redis(ft, reducers.avg("@random_num")) == [
        ["parent", "redis", "__generated_aliasavgrandom_num", "7"]]
    # redis-py's own test names the property without '@'.
    assert group_redis(ft, reducers.stddev("random_num")) == [
        ["parent", "redis", "__generated_aliasstddevrandom_num", "3.60555127546"]]
    assert group_redis(ft, reducers.quantile("@random_num", 0.5)) == [
        ["parent", "redis", "__generated_aliasquantilerandom_num,0.5", "8"]]

    rows = group_redis(ft, reducers.tolist("@title"))
    assert len(rows) == 1
    assert rows[0][:3] == ["parent", "redis", "__generated_aliastolisttitle"]
    assert set(rows[0][3]) == {"RediSearch", "RedisAI", "RedisJson"}

    assert group_redis(ft, reducers.first_value("@title").alias("first")) == [
        ["parent", "redis", "first", "RediSearch"]]
    # FIRST_VALUE ... BY: the title of the largest random_num, and of the smallest.
    assert group_redis(ft, reducers.first_value("@title", Desc("@random_num")).alias("top")) == [
        ["parent", "redis", "top", "RediSearch"]]
    assert group_redis(ft, reducers.first_value("@title", Asc("@random_num")).alias("bottom")) == [
        ["parent", "redis", "bottom", "RedisAI"]]

    rows = group_redis(ft, reducers.random_sample("@title", 2).alias("random"))
    assert len(rows) == 1
    assert rows[0][:3] == ["parent", "redis", "random"]
    sample = rows[0][3]
    assert len(sample) == 2
    assert set(sample) <= {"RediSearch", "RedisAI", "RedisJson"}


def test_group_by_several_reducers_and_fieldname_alias(projects):
    rows = group_redis(
        projects,
        reducers.count().alias("n"),
        reducers.sum("@random_num").alias(FIELDNAME),  # alias "random_num"
        reducers.min("@random_num").alias("lo"),
        reducers.max("@random_num").alias("hi"))
    assert rows == [["parent", "redis", "n", "3", "random_num", "21", "lo", "3", "hi", "10"]]


# --- A small sales corpus for whole pipelines; expected rows computed by hand.
# city      rows (amount, item)                      count sum avg min max
# berlin    (40 pear)                                    1  40  40  40  40
# london    (5 apple) (15 plum) (25 apple)               3  45  15   5  25
# paris     (10 apple) (30 pear)                         2  40  20  10  30
# rome      (2 fig)                                      1   2   2   2   2
SALES = {
    "sale:1": {"city": "paris", "amount": 10, "item": "apple"},
    "sale:2": {"city": "paris", "amount": 30, "item": "pear"},
    "sale:3": {"city": "london", "amount": 5, "item": "apple"},
    "sale:4": {"city": "london", "amount": 15, "item": "plum"},
    "sale:5": {"city": "london", "amount": 25, "item": "apple"},
    "sale:6": {"city": "berlin", "amount": 40, "item": "pear"},
    "sale:7": {"city": "rome", "amount": 2, "item": "fig"},
}


@pytest.fixture
def sales(r):
    ft = r.ft("sales")
    ft.create_index(
        (TagField("city", sortable=True), NumericField("amount", sortable=True), TextField("item")),
        definition=IndexDefinition(prefix=["sale:"], index_type=IndexType.HASH))
    for key, fields in SALES.items():
        r.hset(key, mapping=fields)
    return ft


def by_city():
    return AggregateRequest("*").group_by(
        "@city", reducers.count().alias("n"), reducers.sum("@amount").alias("total"))


def test_group_by_sort_by_max_and_limit(sales):
    rows = sales.aggregate(by_city().sort_by(Desc("@total"), Asc("@city"))).rows
    assert rows == [
        ["city", "london", "n", "3", "total", "45"],
        ["city", "berlin", "n", "1", "total", "40"],
        ["city", "paris", "n", "2", "total", "40"],
        ["city", "rome", "n", "1", "total", "2"],
    ]
    rows = sales.aggregate(by_city().sort_by(Desc("@total"), Asc("@city"), max=2)).rows
    assert rows == [["city", "london", "n", "3", "total", "45"], ["city", "berlin", "n", "1", "total", "40"]]
    # redis-py puts LIMIT last: it pages the sorted groups.
    rows = sales.aggregate(by_city().sort_by(Desc("@total"), Asc("@city")).limit(1, 2)).rows
    assert rows == [["city", "berlin", "n", "1", "total", "40"], ["city", "paris", "n", "2", "total", "40"]]
    # A plain field name sorts ascending.
    rows = sales.aggregate(by_city().sort_by("@city")).rows
    assert [row[1] for row in rows] == ["berlin", "london", "paris", "rome"]


def test_group_by_more_reducers(sales):
    req = AggregateRequest("*").group_by(
        "@city",
        reducers.avg("@amount").alias("avg"),
        reducers.min("@amount").alias("min"),
        reducers.max("@amount").alias("max"),
        reducers.count_distinct("@item").alias("items"),
        reducers.first_value("@item", Desc("@amount")).alias("top"),
    ).sort_by(Asc("@city"))
    assert sales.aggregate(req).rows == [
        ["city", "berlin", "avg", "40", "min", "40", "max", "40", "items", "1", "top", "pear"],
        ["city", "london", "avg", "15", "min", "5", "max", "25", "items", "2", "top", "apple"],
        ["city", "paris", "avg", "20", "min", "10", "max", "30", "items", "2", "top", "pear"],
        ["city", "rome", "avg", "2", "min", "2", "max", "2", "items", "1", "top", "fig"],
    ]
    req = AggregateRequest("*").group_by("@city", reducers.tolist("@item").alias("items")).sort_by(Asc("@city"))
    rows = sales.aggregate(req).rows
    assert [(row[1], sorted(row[3])) for row in rows] == [
        ("berlin", ["pear"]), ("london", ["apple", "plum"]), ("paris", ["apple", "pear"]), ("rome", ["fig"])]


def test_group_by_two_fields(sales):
    req = AggregateRequest("*").group_by(["@city", "@item"], reducers.count().alias("n")).sort_by(
        Asc("@city"), Asc("@item"))
    assert sales.aggregate(req).rows == [
        ["city", "berlin", "item", "pear", "n", "1"],
        ["city", "london", "item", "apple", "n", "2"],
        ["city", "london", "item", "plum", "n", "1"],
        ["city", "paris", "item", "apple", "n", "1"],
        ["city", "paris", "item", "pear", "n", "1"],
        ["city", "rome", "item", "fig", "n", "1"],
    ]


def test_apply_and_filter_after_group_by(sales):
    req = by_city().apply(avg="@total / @n").filter("@avg > 10").sort_by(Asc("@avg"))
    assert sales.aggregate(req).rows == [
        ["city", "london", "n", "3", "total", "45", "avg", "15"],
        ["city", "paris", "n", "2", "total", "40", "avg", "20"],
        ["city", "berlin", "n", "1", "total", "40", "avg", "40"],
    ]
    req = by_city().apply(name="upper(@city)", double="@total * 2").sort_by(Desc("@double"), max=1)
    assert sales.aggregate(req).rows == [
        ["city", "london", "n", "3", "total", "45", "name", "LONDON", "double", "90"]]


def test_query_and_filter_before_group_by(sales):
    # Only the apple sales: paris 1, london 2.
    req = AggregateRequest("@item:apple").group_by("@city", reducers.count().alias("n")).sort_by(Asc("@city"))
    assert sales.aggregate(req).rows == [["city", "london", "n", "2"], ["city", "paris", "n", "1"]]
    # FILTER on the documents, before GROUPBY (the plan keeps the call order).
    req = AggregateRequest("*").filter("@amount >= 10").group_by(
        "@city", reducers.count().alias("n")).sort_by(Asc("@city"))
    assert sales.aggregate(req).rows == [
        ["city", "berlin", "n", "1"], ["city", "london", "n", "2"], ["city", "paris", "n", "2"]]


def test_group_by_nothing(sales):
    req = AggregateRequest("*").group_by([], reducers.count().alias("n"), reducers.sum("@amount").alias("sum"))
    assert sales.aggregate(req).rows == [["n", "7", "sum", "127"]]


def test_limit_without_group(sales):
    req = AggregateRequest("*").load("@amount").sort_by(Asc("@amount")).limit(2, 3)
    assert sales.aggregate(req).rows == [["amount", "10"], ["amount", "15"], ["amount", "25"]]


# --- C43-C47: the module's and redis-py's own cases.

def test_sort_by_and_limit(r):
    # C44, redis-py test_aggregations_sort_by_and_limit.
    r.ft().create_index((TextField("t1"), TextField("t2")))
    r.hset("doc1", mapping={"t1": "a", "t2": "b"})
    r.hset("doc2", mapping={"t1": "b", "t2": "a"})
    ft = r.ft()

    res = ft.aggregate(AggregateRequest("*").sort_by(Asc("@t2"), Desc("@t1")))
    assert res.rows == [["t2", "a", "t1", "b"], ["t2", "b", "t1", "a"]]
    res = ft.aggregate(AggregateRequest("*").sort_by("@t1"))
    assert res.rows == [["t1", "a"], ["t1", "b"]]
    res = ft.aggregate(AggregateRequest("*").sort_by("@t1", max=1))
    assert res.rows == [["t1", "a"]]
    res = ft.aggregate(AggregateRequest("*").sort_by("@t1").limit(1, 1))
    assert res.rows == [["t1", "b"]]


def test_sort_by_text_and_numeric(r):
    # C43, test_aggregate.py testSortByTextField / testSortByNumericField.
    r.ft("t").create_index((TextField("t"),), definition=IndexDefinition(prefix=["t:"]))
    r.ft("n").create_index((NumericField("n"),), definition=IndexDefinition(prefix=["n:"]))
    for i, value in enumerate(["678.", "123.", "1023."]):
        r.hset(f"t:{i}", "t", value)
        r.hset(f"n:{i}", "n", value)
    assert r.ft("t").aggregate(AggregateRequest("*").sort_by(Asc("@t"))).rows == [
        ["t", "1023."], ["t", "123."], ["t", "678."]]
    # Numbers come back re-rendered.
    assert r.ft("n").aggregate(AggregateRequest("*").sort_by(Asc("@n"))).rows == [
        ["n", "123"], ["n", "678"], ["n", "1023"]]


def test_load(r):
    # C44, redis-py test_aggregations_load.
    r.ft().create_index((TextField("t1"), TextField("t2")))
    r.hset("doc1", mapping={"t1": "hello", "t2": "world"})
    ft = r.ft()
    assert ft.aggregate(AggregateRequest("*").load("t1")).rows == [["t1", "hello"]]
    assert ft.aggregate(AggregateRequest("*").load("@t2")).rows == [["t2", "world"]]
    assert ft.aggregate(AggregateRequest("*").load()).rows == [["t1", "hello", "t2", "world"]]
    # Without LOAD, rows carry no properties.
    assert ft.aggregate(AggregateRequest("*")).rows == [[]]


def test_load_key_and_unindexed_fields(r):
    # C45, test_aggregate.py testLoadAll.
    r.ft().create_index((TextField("t"), NumericField("n")))
    r.hset("doc1", mapping={"t": "hello", "n": 42, "notIndexed": "ccc"})
    r.hset("doc2", mapping={"t": "world", "n": 3.141, "notIndexed": "bbb"})
    r.hset("doc3", mapping={"t": "hello world", "n": 17.8, "notIndexed": "aaa"})
    want = [
        ["__key", "doc1", "t", "hello", "n", "42", "notIndexed", "ccc"],
        ["__key", "doc2", "t", "world", "n", "3.141", "notIndexed", "bbb"],
        ["__key", "doc3", "t", "hello world", "n", "17.8", "notIndexed", "aaa"],
    ]
    req = AggregateRequest("*").load("__key", "t", "n", "notIndexed").sort_by("@__key")
    assert r.ft().aggregate(req).rows == want
    assert r.ft().aggregate(AggregateRequest("*")).rows == [[], [], []]
    with pytest.raises(redis.ResponseError, match="not loaded nor in schema"):
        r.ft().aggregate(AggregateRequest("*").sort_by("@notIndexed"))


def test_filter(r):
    # C44, redis-py test_aggregations_filter.
    r.ft().create_index((TextField("name", sortable=True), NumericField("age", sortable=True)))
    r.hset("doc1", mapping={"name": "bar", "age": "25"})
    r.hset("doc2", mapping={"name": "foo", "age": "19"})
    ft = r.ft()
    res = ft.aggregate(AggregateRequest("*").filter("@name=='foo' && @age < 20"))
    assert res.rows == [["name", "foo", "age", "19"]]
    res = ft.aggregate(AggregateRequest("*").filter("@age > 15").sort_by("@age"))
    assert res.rows == [["age", "19"], ["age", "25"]]


def test_apply(r):
    # C44, redis-py test_aggregations_apply.
    r.ft().create_index((TextField("PrimaryKey", sortable=True), NumericField("CreatedDateTimeUTC", sortable=True)))
    r.hset("doc1", mapping={"PrimaryKey": "9::362330", "CreatedDateTimeUTC": "637387878524969984"})
    r.hset("doc2", mapping={"PrimaryKey": "9::362329", "CreatedDateTimeUTC": "637387875859270016"})
    res = r.ft().aggregate(AggregateRequest("*").apply(CreatedDateTimeUTC="@CreatedDateTimeUTC * 10"))
    assert len(res.rows) == 2
    assert {row[0] for row in res.rows} == {"CreatedDateTimeUTC"}
    assert {row[1] for row in res.rows} == {"6373878785249699840", "6373878758592700416"}


def test_group_by_nothing_and_empty_values(r):
    # C46, test_issues.py test_mod_7252 and test_aggregate.py testDefaultValues.
    r.ft("neg").create_index((NumericField("neg"),), definition=IndexDefinition(prefix=["neg:"]))
    for i in range(1, 11):
        r.hset(f"neg:{i}", "neg", -i)
    req = AggregateRequest("*").group_by([], reducers.max("@neg").alias("max"))
    assert r.ft("neg").aggregate(req).rows == [["max", "-1"]]

    r.ft("def").create_index((NumericField("missing"), NumericField("n")), definition=IndexDefinition(prefix=["def:"]))
    r.hset("def:doc", "n", 46)
    ft = r.ft("def")
    for reducer, want in [
        (reducers.sum("@missing"), "nan"),
        (reducers.min("@missing"), "inf"),
        (reducers.max("@missing"), "-inf"),
        (reducers.avg("@missing"), "nan"),
        (reducers.count_distinct("@missing"), "0"),
        (reducers.tolist("@missing"), []),
        (reducers.first_value("@missing"), None),
    ]:
        req = AggregateRequest("*").load("@missing", "@n").group_by([], reducer.alias("res"))
        assert ft.aggregate(req).rows == [["res", want]], reducer.NAME


def test_generated_alias_and_group_order(r):
    # C47, test.py testMod1407 and testGroupbyWithSort.
    r.ft("mod").create_index(
        (TextField("limit"), TagField("LimitationTypeID"), TextField("LimitationTypeDesc")),
        definition=IndexDefinition(prefix=["mod:"]))
    r.hset("mod:1", mapping={"limit": "foo1", "LimitationTypeID": "boo1", "LimitationTypeDesc": "doo1"})
    r.hset("mod:2", mapping={"limit": "foo2", "LimitationTypeID": "boo2", "LimitationTypeDesc": "doo2"})
    ft = r.ft("mod")
    res = ft.aggregate(AggregateRequest("*").sort_by("@limit", Asc("@LimitationTypeID")))
    assert res.rows == [["limit", "foo1", "LimitationTypeID", "boo1"], ["limit", "foo2", "LimitationTypeID", "boo2"]]
    res = ft.aggregate(AggregateRequest("*").group_by(["@LimitationTypeID", "@LimitationTypeDesc"], reducers.count()))
    assert sorted(res.rows) == [
        ["LimitationTypeID", "boo1", "LimitationTypeDesc", "doo1", "__generated_aliascount", "1"],
        ["LimitationTypeID", "boo2", "LimitationTypeDesc", "doo2", "__generated_aliascount", "1"],
    ]

    r.ft("gs").create_index((NumericField("test", sortable=True),), definition=IndexDefinition(prefix=["gs:"]))
    for i, value in enumerate([1, 1, 2]):
        r.hset(f"gs:{i}", "test", value)
    req = AggregateRequest("*").sort_by(Asc("@test")).group_by("@test", reducers.count().alias("count"))
    assert sorted(r.ft("gs").aggregate(req).rows) == [["test", "1", "count", "2"], ["test", "2", "count", "1"]]


# --- Cursors: WITHCURSOR, then FT.CURSOR READ through aggregate(Cursor).

def numbers(r, count):
    """An index "num" over count documents n=0..count-1, after checking
    that the server answers WITHCURSOR with [[total, row...], cursor_id]
    (RESP2), so a server without cursors fails with a clear message rather
    than inside redis-py's parser."""
    ft = r.ft("num")
    ft.create_index((NumericField("n", sortable=True),), definition=IndexDefinition(prefix=["num:"]))
    for i in range(count):
        r.hset(f"num:{i:02d}", "n", i)
    raw = r.execute_command("FT.AGGREGATE", "num", "*", "WITHCURSOR", "COUNT", "1000", "LOAD", "1", "@n")
    assert isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], list) and raw[1] == 0, (
        f"FT.AGGREGATE ... WITHCURSOR answered {raw!r}, not [[total, row...], 0]: cursors not implemented?")
    return ft


def read_all(ft, req):
    """Every chunk of a cursor aggregation: the first reply, then
    FT.CURSOR READ until the id is 0. Returns the chunks and the last
    non-zero cursor id seen."""
    res = ft.aggregate(req)
    chunks = [res.rows]
    last = 0
    for _ in range(100):
        assert res.cursor is not None
        if res.cursor.cid == 0:
            return chunks, last
        last = res.cursor.cid
        res = ft.aggregate(res.cursor)
        chunks.append(res.rows)
    raise AssertionError("the cursor never reached id 0")


def test_cursor_reads_every_row(r):
    ft = numbers(r, 10)
    whole = ft.aggregate(AggregateRequest("*").load("@n")).rows
    assert sorted(whole, key=lambda row: int(row[1])) == [["n", str(i)] for i in range(10)]

    chunks, last = read_all(ft, AggregateRequest("*").load("@n").cursor(count=3))
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    assert sorted(sum(chunks, []), key=lambda row: int(row[1])) == sorted(whole, key=lambda row: int(row[1]))
    # A cursor read to its end is gone.
    with pytest.raises(redis.ResponseError, match="Cursor not found"):
        ft.aggregate(Cursor(last))

    # An exact multiple of COUNT: the chunk that takes the last row does not
    # look past it, so one more read answers no rows and id 0
    # (aggregate_exec.c sendChunk_Resp2: cursor_done only when Next was not OK).
    chunks, _ = read_all(ft, AggregateRequest("*").load("@n").cursor(count=5))
    assert [len(c) for c in chunks] == [5, 5, 0]

    # Without COUNT the chunk is search-cursor-read-size (1000): one reply, id 0.
    res = ft.aggregate(AggregateRequest("*").load("@n").cursor())
    assert res.cursor.cid == 0
    assert sorted(res.rows, key=lambda row: int(row[1])) == sorted(whole, key=lambda row: int(row[1]))


def test_cursor_sorted_and_grouped(r, sales):
    ft = numbers(r, 10)
    # Sorted: the chunks are the sorted rows in order.
    req = AggregateRequest("*").sort_by(Desc("@n"))
    whole = ft.aggregate(req).rows
    assert whole == [["n", str(i)] for i in range(9, -1, -1)]
    chunks, _ = read_all(ft, AggregateRequest("*").sort_by(Desc("@n")).cursor(count=4, max_idle=1.0))
    assert [len(c) for c in chunks] == [4, 4, 2]
    assert sum(chunks, []) == whole

    # Grouped, the pipeline of test_group_by_sort_by_max_and_limit.
    whole = sales.aggregate(by_city().sort_by(Desc("@total"), Asc("@city"))).rows
    chunks, _ = read_all(sales, by_city().sort_by(Desc("@total"), Asc("@city")).cursor(count=3))
    assert [len(c) for c in chunks] == [3, 1]
    assert sum(chunks, []) == whole


def test_cursor_read_count_and_del(r):
    ft = numbers(r, 10)
    res = ft.aggregate(AggregateRequest("*").sort_by(Asc("@n")).cursor(count=2))
    assert res.rows == [["n", "0"], ["n", "1"]]
    cursor = res.cursor
    assert cursor.cid != 0
    # FT.CURSOR READ ... COUNT overrides the chunk size for that read.
    cursor.count = 5
    res = ft.aggregate(cursor)
    assert res.rows == [["n", str(i)] for i in range(2, 7)]
    assert res.cursor.cid == cursor.cid
    # FT.CURSOR DEL (redis-py 4.3 has no method for it).
    assert r.execute_command("FT.CURSOR", "DEL", "num", cursor.cid) == "OK"
    with pytest.raises(redis.ResponseError, match="Cursor not found"):
        ft.aggregate(Cursor(cursor.cid))
    with pytest.raises(redis.ResponseError, match="Cursor does not exist"):
        r.execute_command("FT.CURSOR", "DEL", "num", cursor.cid)
