"""redis-py's search client (`r.ft()`) against miniredis-search with the
search module. The Go test TestSearchRedisPy starts the server and sets
MRS_PORT; run it through `make test` or
`go test ./integration -run SearchRedisPy`.

The installed redis-py is Debian's python3-redis (4.3.x). Facts about what it
sends, read from redis/commands/search/*.py of that version:
  * Query(...) always appends `LIMIT offset num` (default `0 10`);
  * TextField sends `WEIGHT <float>`, TagField `SEPARATOR ,`;
  * info() is dict(zip(it, it)) over the RESP2 array;
  * 4.3.4's dropindex() sends the legacy `FT.DROP idx KEEPDOCS`, and
    dropindex(delete_documents=True) sends `FT.DROP idx ""`
    (4.3.6 and later send `FT.DROPINDEX idx ""` / `FT.DROPINDEX idx DD`).
"""
import os

import pytest
import redis
from redis.commands.search.field import GeoField, NumericField, TagField, TextField
from redis.commands.search.indexDefinition import IndexDefinition, IndexType
from redis.commands.search.query import GeoFilter, NumericFilter, Query

PORT = int(os.environ["MRS_PORT"])
INDEX = "idx"

# A body long enough that a summary of it is visibly shorter.
LONG_BODY = (
    "Orchards in the northern valley grow many kinds of fruit every year and "
    "the farmers sell most of it at the weekly market in town where families "
    "come early on Saturday mornings to buy fresh bread cheese and the famous "
    "red plums that the valley is known for across the whole region while "
    "children play near the old fountain and musicians fill the square"
)

RECIPES = {
    "doc:1": {
        "title": "Red apple pie",
        "body": "A classic dessert made with fresh apples and a buttery crust",
        "price": "10",
        "tags": "dessert,fruit",
        "loc": "-122.4194,37.7749",  # San Francisco
    },
    "doc:2": {
        "title": "Green apple salad",
        "body": "A crisp salad of sliced apple walnuts and lemon dressing",
        "price": "5",
        "tags": "salad,fruit",
        "loc": "-73.9857,40.7484",  # New York
    },
    "doc:3": {
        "title": "Banana bread",
        "body": "A moist loaf of bread baked with ripe bananas",
        "price": "7",
        "tags": "bread",
        "loc": "-0.1276,51.5072",  # London
    },
    "doc:4": {
        "title": "Valley market report",
        "body": LONG_BODY,
        "price": "3",
        "tags": "news",
        "loc": "2.3522,48.8566",  # Paris
    },
    "doc:5": {
        "title": "Word order",
        "body": "the quick brown fox jumps over the lazy dog",
        "price": "1",
        "tags": "misc",
        "loc": "13.4050,52.5200",  # Berlin
    },
}

# Fifteen documents sharing one word, with distinct prices, for paging.
FILLER = {
    f"doc:filler:{i:02d}": {"title": f"Filler item {i}", "body": "filler text", "price": str(100 + i), "tags": "filler"}
    for i in range(15)
}


def create_recipes_index(r):
    schema = (
        TextField("title", weight=5.0),
        TextField("body"),
        NumericField("price", sortable=True),
        TagField("tags"),
        GeoField("loc"),
    )
    definition = IndexDefinition(prefix=["doc:"], index_type=IndexType.HASH)
    assert r.ft(INDEX).create_index(schema, definition=definition) == "OK"


@pytest.fixture
def ft(r):
    """An index over RECIPES and FILLER, created before the documents are
    written so every write is indexed synchronously."""
    create_recipes_index(r)
    for key, fields in {**RECIPES, **FILLER}.items():
        r.hset(key, mapping=fields)
    return r.ft(INDEX)


def ids(result):
    return [doc.id for doc in result.docs]


def test_create_index_and_info(r, ft):
    info = ft.info()
    # The keys redis-py's own tests read from info().
    for key in (
        "index_name", "index_options", "attributes", "num_docs", "max_doc_id", "num_terms",
        "num_records", "inverted_sz_mb", "offset_vectors_sz_mb", "doc_table_size_mb",
        "key_table_size_mb", "records_per_doc_avg", "bytes_per_record_avg",
        "offsets_per_term_avg", "offset_bits_per_record_avg", "indexing",
    ):
        assert key in info, key
    assert info["index_name"] == INDEX
    assert int(info["num_docs"]) == len(RECIPES) + len(FILLER)
    assert int(info["indexing"]) == 0
    assert int(info["num_terms"]) > 0
    attributes = {a[a.index("attribute") + 1]: a[a.index("type") + 1] for a in info["attributes"]}
    assert attributes == {"title": "TEXT", "body": "TEXT", "price": "NUMERIC", "tags": "TAG", "loc": "GEO"}
    title = next(a for a in info["attributes"] if a[a.index("attribute") + 1] == "title")
    assert float(title[title.index("WEIGHT") + 1]) == 5.0
    definition = info["index_definition"]
    assert definition[definition.index("key_type") + 1] == "HASH"
    assert definition[definition.index("prefixes") + 1] == ["doc:"]

    # A key outside the prefix is not indexed; a new one inside it is.
    r.hset("other:1", mapping={"title": "apple"})
    r.hset("doc:new", mapping={"title": "apple turnover", "price": "4"})
    assert int(ft.info()["num_docs"]) == len(RECIPES) + len(FILLER) + 1
    assert sorted(ids(ft.search("apple"))) == ["doc:1", "doc:2", "doc:new"]


def test_create_index_twice_fails(r, ft):
    with pytest.raises(redis.ResponseError, match="Index already exists"):
        create_recipes_index(r)


def test_text_query_fields(ft):
    res = ft.search(Query("apple pie"))
    assert res.total == 1
    doc = res.docs[0]
    assert doc.id == "doc:1"
    # Without RETURN every field of the hash comes back, values untouched.
    assert doc.title == "Red apple pie"
    assert doc.price == "10"
    assert doc.tags == "dessert,fruit"
    assert doc.loc == "-122.4194,37.7749"

    assert ft.search("nosuchword").total == 0
    assert sorted(ids(ft.search("@title:bread"))) == ["doc:3"]
    # Stemming: "bananas" in the body matches the query "banana".
    assert ids(ft.search("@body:banana")) == ["doc:3"]


def test_numeric_tag_geo(ft):
    res = ft.search(Query("@price:[5 7]").sort_by("price"))
    assert res.total == 2
    assert ids(res) == ["doc:2", "doc:3"]

    res = ft.search(Query("@price:[(5 10]").sort_by("price"))
    assert ids(res) == ["doc:3", "doc:1"]

    res = ft.search(Query("apple").add_filter(NumericFilter("price", 6, 20)))
    assert ids(res) == ["doc:1"]

    res = ft.search(Query("@tags:{fruit}").sort_by("price"))
    assert res.total == 2
    assert ids(res) == ["doc:2", "doc:1"]
    res = ft.search(Query("@tags:{bread | news}").sort_by("price"))
    assert ids(res) == ["doc:4", "doc:3"]

    # 100 km around San Francisco: only doc:1.
    assert ids(ft.search("@loc:[-122.4 37.8 100 km]")) == ["doc:1"]
    # Paris → London is about 344 km.
    res = ft.search(Query("*").add_filter(GeoFilter("loc", 2.3522, 48.8566, 400, "km")).sort_by("price"))
    assert ids(res) == ["doc:4", "doc:3"]
    res = ft.search(Query("*").add_filter(GeoFilter("loc", 2.3522, 48.8566, 300, "km")))
    assert ids(res) == ["doc:4"]


def test_paging(ft):
    seen = []
    for offset in (0, 5, 10):
        res = ft.search(Query("filler").sort_by("price").paging(offset, 5))
        assert res.total == 15
        assert len(res.docs) == 5
        seen += ids(res)
    assert seen == [f"doc:filler:{i:02d}" for i in range(15)]

    # The default page is 10 documents (redis-py sends LIMIT 0 10).
    res = ft.search(Query("filler"))
    assert res.total == 15
    assert len(res.docs) == 10

    # A page past the end is empty but still counts every match.
    res = ft.search(Query("filler").paging(20, 5))
    assert res.total == 15
    assert res.docs == []

    # Count only.
    res = ft.search(Query("filler").paging(0, 0))
    assert res.total == 15
    assert res.docs == []


def test_sort_by(ft):
    everything = Query("*").paging(0, 100)
    res = ft.search(everything.sort_by("price"))
    prices = [float(doc.price) for doc in res.docs]
    assert len(prices) == len(RECIPES) + len(FILLER)
    assert prices == sorted(prices)
    assert res.docs[0].id == "doc:5"

    res = ft.search(Query("*").paging(0, 100).sort_by("price", asc=False))
    prices = [float(doc.price) for doc in res.docs]
    assert prices == sorted(prices, reverse=True)
    assert res.docs[0].id == "doc:filler:14"
    assert res.docs[-1].id == "doc:5"


def test_return_fields(ft):
    res = ft.search(Query("apple").return_fields("title", "price").sort_by("price"))
    assert res.total == 2
    assert ids(res) == ["doc:2", "doc:1"]
    for doc in res.docs:
        assert set(vars(doc)) == {"id", "payload", "title", "price"}
    assert res.docs[0].title == "Green apple salad"
    assert res.docs[0].price == "5"

    res = ft.search(Query("apple").return_field("title", as_field="name").sort_by("price"))
    assert [doc.name for doc in res.docs] == ["Green apple salad", "Red apple pie"]

    res = ft.search(Query("apple").no_content().sort_by("price"))
    assert ids(res) == ["doc:2", "doc:1"]
    assert not hasattr(res.docs[0], "title")


def test_highlight(ft):
    res = ft.search(Query("dessert").highlight(fields=["body"]))
    assert ids(res) == ["doc:1"]
    assert res.docs[0].body == "A classic <b>dessert</b> made with fresh apples and a buttery crust"
    # A field that is not highlighted comes back untouched.
    assert res.docs[0].title == "Red apple pie"

    res = ft.search(Query("@title:pie").highlight(fields=["title"], tags=["<em>", "</em>"]))
    assert res.docs[0].title == "Red apple <em>pie</em>"

    # Default fields are every TEXT field; words matched through their stem
    # are highlighted as written in the document.
    res = ft.search(Query("apple").highlight().sort_by("price"))
    assert ids(res) == ["doc:2", "doc:1"]
    assert res.docs[0].title == "Green <b>apple</b> salad"
    assert res.docs[0].body == "A crisp salad of sliced <b>apple</b> walnuts and lemon dressing"
    assert res.docs[1].title == "Red <b>apple</b> pie"
    assert res.docs[1].body == "A classic dessert made with fresh <b>apples</b> and a buttery crust"


def test_summarize(ft):
    res = ft.search(Query("fountain").summarize(fields=["body"], context_len=5, num_frags=1, sep="..."))
    assert ids(res) == ["doc:4"]
    summary = res.docs[0].body
    assert len(summary) < len(LONG_BODY)
    assert summary.endswith("...")
    assert "fountain" in summary
    # The fragment is a piece of the original text around the match.
    fragment = summary[: -len("...")]
    assert fragment in LONG_BODY
    assert len(fragment.split()) <= 5 + 1

    # Defaults: separator "... ", at most 3 fragments of about 20 words.
    res = ft.search(Query("fountain").summarize(fields=["body"]))
    summary = res.docs[0].body
    assert summary.endswith("... ")
    assert "fountain" in summary
    assert len(summary) < len(LONG_BODY)

    # Two matches far apart give two fragments.
    res = ft.search(Query("orchards|musicians").summarize(fields=["body"], context_len=3, num_frags=3, sep=" | "))
    summary = res.docs[0].body
    assert summary.endswith(" | ")
    frags = summary.split(" | ")[:-1]
    assert len(frags) == 2
    assert "Orchards" in frags[0]
    assert "musicians" in frags[1]
    for frag in frags:
        assert frag in LONG_BODY

    # Summarize and highlight together.
    res = ft.search(
        Query("fountain").summarize(fields=["body"], context_len=5, num_frags=1, sep="...").highlight(fields=["body"]))
    summary = res.docs[0].body
    assert "<b>fountain</b>" in summary
    assert summary.endswith("...")
    assert len(summary) < len(LONG_BODY)


def test_summarize_without_a_match_in_the_field(ft):
    # The query matches doc:4 through its price only, so the body holds no
    # matched word. RediSearch (src/highlight.c, trimField; test_summarize.py
    # testSummarization `-blah` and testIssue364) then returns the head of the
    # field, cut at a word boundary, about LEN*FRAGS words long, with no
    # separator appended.
    res = ft.search(Query("@price:[3 3]").summarize(fields=["body"], context_len=3, num_frags=1, sep="..."))
    assert ids(res) == ["doc:4"]
    summary = res.docs[0].body
    assert not summary.endswith("...")
    assert len(summary) < len(LONG_BODY)
    assert LONG_BODY.startswith(summary)


def test_in_order_and_slop(ft):
    # "the quick brown fox jumps over the lazy dog"
    assert ids(ft.search(Query("@body:(quick fox)"))) == ["doc:5"]
    assert ids(ft.search(Query("@body:(fox quick)"))) == ["doc:5"]
    assert ids(ft.search(Query("@body:(quick fox)").in_order())) == ["doc:5"]
    assert ids(ft.search(Query("@body:(fox quick)").in_order())) == []

    # One word ("brown") lies between quick and fox.
    assert ids(ft.search(Query("@body:(quick fox)").slop(0))) == []
    assert ids(ft.search(Query("@body:(quick fox)").slop(1))) == ["doc:5"]
    # Slop alone does not constrain the order.
    assert ids(ft.search(Query("@body:(fox quick)").slop(1))) == ["doc:5"]
    assert ids(ft.search(Query("@body:(fox quick)").slop(1).in_order())) == []


def test_verbatim(ft):
    # "apples" stems to "appl", which also matches "apple" in the titles.
    assert sorted(ids(ft.search(Query("@title:apples")))) == ["doc:1", "doc:2"]
    assert ids(ft.search(Query("@title:apples").verbatim())) == []
    # Verbatim still finds the exact word.
    assert ids(ft.search(Query("@body:apples").verbatim())) == ["doc:1"]
    assert sorted(ids(ft.search(Query("@body:apples")))) == ["doc:1", "doc:2"]


def test_with_scores(ft):
    res = ft.search(Query("apple").with_scores())
    assert res.total == 2
    scores = [doc.score for doc in res.docs]
    assert all(isinstance(s, float) and s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)

    # The word in the title (weight 5) outranks the same word in the body (weight 1).
    r = ft.client
    r.hset("doc:w1", mapping={"title": "zucchini", "body": "plain"})
    r.hset("doc:w2", mapping={"title": "plain", "body": "zucchini"})
    res = ft.search(Query("zucchini").with_scores())
    assert ids(res) == ["doc:w1", "doc:w2"]
    assert res.docs[0].score > res.docs[1].score
    assert res.docs[0].title == "zucchini"


def test_config_round_trip(r, ft):
    assert ft.config_get("TIMEOUT") == {"TIMEOUT": "500"}
    assert ft.config_set("TIMEOUT", 1234) is True
    assert ft.config_get("TIMEOUT") == {"TIMEOUT": "1234"}
    assert ft.config_get("timeout") == {"TIMEOUT": "1234"}
    assert ft.config_set("TIMEOUT", 500) is True
    assert ft.config_get("TIMEOUT") == {"TIMEOUT": "500"}

    assert ft.config_set("MINPREFIX", 3) is True
    assert ft.config_get("MINPREFIX") == {"MINPREFIX": "3"}
    assert ft.config_set("MINPREFIX", 2) is True

    everything = ft.config_get("*")
    assert everything["TIMEOUT"] == "500"
    assert everything["MINPREFIX"] == "2"
    assert ft.config_get("NO_SUCH_OPTION") == {}


def index_names(r):
    return set(r.execute_command("FT._LIST"))


def test_dropindex_keeps_documents(r, ft):
    keys_before = set(r.keys("doc:*"))
    assert ft.dropindex() == "OK"  # redis-py 4.3.4: FT.DROP idx KEEPDOCS
    assert INDEX not in index_names(r)
    with pytest.raises(redis.ResponseError, match="no such index"):
        ft.info()
    assert set(r.keys("doc:*")) == keys_before
    assert r.hget("doc:1", "title") == "Red apple pie"


def test_dropindex_deletes_documents(r, ft):
    r.set("unrelated", "stays")
    assert ft.dropindex(delete_documents=True) == "OK"  # redis-py 4.3.4: FT.DROP idx ""
    assert INDEX not in index_names(r)
    assert r.keys("doc:*") == []
    assert r.get("unrelated") == "stays"


def test_dropindex_empty_argument_as_later_redis_py_sends(r, ft):
    # redis-py 4.3.6 … 5.x send `FT.DROPINDEX idx ""` to keep the documents;
    # RediSearch 2.10 accepted it.
    keys_before = set(r.keys("doc:*"))
    assert r.execute_command("FT.DROPINDEX", INDEX, "") == "OK"
    assert INDEX not in index_names(r)
    assert set(r.keys("doc:*")) == keys_before
    create_recipes_index(r)
    assert r.execute_command("FT.DROPINDEX", INDEX, "DD") == "OK"
    assert r.keys("doc:*") == []
