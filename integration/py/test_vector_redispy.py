"""Vector search through redis-py's search client (`r.ft()`), issued the way
applications and the libraries built on redis-py issue it. The Go test
TestVectorRedisPy starts the server (with the search module) and sets
MRS_PORT; run it through `make test` or
`go test ./integration -run TestVectorRedisPy`.

The installed redis-py is Debian's python3-redis 4.3.x. It speaks RESP2
only: `protocol=3` (HELLO 3 and the RESP3 reply types) arrived in redis-py
5.0, so RESP3 vector flows are covered by go-redis (vector_goredis_test.go)
and node-redis (vector_node_test.go) instead.

What the libraries send, read from their sources:

* redisvl's VectorQuery: `<filter>=>[KNN <k> @<field> $vector AS vector_distance]`
  (filter `*` by default; `HYBRID_POLICY ADHOC_BF|BATCHES [BATCH_SIZE n]` and
  `EF_RUNTIME $EF` inside the brackets when set), return_fields(...,
  "vector_distance"), sort_by("vector_distance"), paging(0, k), dialect(2),
  params {"vector": blob[, "EF": n]}. Its filters render as
  `(@cat:{red|green} @price:[15 100])`.
* redisvl's VectorRangeQuery / RangeQuery:
  `@<field>:[VECTOR_RANGE $distance_threshold $vector]=>{$YIELD_DISTANCE_AS: vector_distance}`,
  or `(<that> <filter>)` with a filter; params {"vector": blob,
  "distance_threshold": float}.
* LangChain's Redis store (langchain_community.vectorstores.redis,
  similarity_search_with_score): `(<filter or *>)=>[KNN <k> @content_vector $vector AS distance]`,
  return_fields(content, "distance", metadata...), sort_by("distance"),
  paging(0, k), dialect(2); with a distance_threshold:
  `[<filter> ]@content_vector:[VECTOR_RANGE $distance_threshold $vector]=>{$yield_distance_as: distance}`
  (lower-case attribute name; the module compares attribute names without
  case). Its default vector field is FLAT FLOAT32 COSINE.
* redis-py itself sends `params` in lower case and always `LIMIT offset num`.

Blobs are built without numpy: struct.pack('<4f', ...) and array('d').

The corpus (the same as the Go and node tests): six 4-d vectors whose
coordinates are multiples of 1/4, so every L2 and IP distance is a multiple
of 1/16, exact in float32 and float64, printed exactly (%.12g).

    doc  vector                    cat    price
    1    (1,    0,    0,    0)     red    10
    2    (0.5,  0.5,  0,    0)     red    20
    3    (0,    1,    0,    0)     blue   30
    4    (0.25, 0.25, 0.25, 0.25)  blue   40
    5    (0,    0,    1,    0.5)   green  50
    6    (0.75, 0,    0,    0.25)  green  60

Query q = (1, 0.25, 0, 0).

L2 (squared Euclidean):
    doc:1  0² + 0.25²                    = 0.0625
    doc:6  0.25² + 0.25² + 0² + 0.25²    = 0.1875
    doc:2  0.5² + 0.25²                  = 0.3125
    doc:4  0.75² + 0² + 0.25² + 0.25²    = 0.6875
    doc:3  1² + 0.75²                    = 1.5625
    doc:5  1² + 0.25² + 1² + 0.5²        = 2.3125
IP (1 - q·x):
    doc:1  1 - 1 = 0;  doc:6  1 - 0.75 = 0.25;  doc:2  1 - 0.625 = 0.375;
    doc:4  1 - 0.3125 = 0.6875;  doc:3  1 - 0.25 = 0.75;  doc:5  1 - 0 = 1
COSINE (1 - q·x/(|q||x|), |q| = √17/4):
    doc:1  1 - 4/√17;  doc:6  1 - 12/√170;  doc:2  1 - 5/√34;
    doc:4  1 - 2.5/√17;  doc:3  1 - 1/√17;  doc:5  1
  The module computes FLOAT32 COSINE in float32 (normalised vectors, then
  1 - dot): a few roundings of values <= 1, each <= 2^-24 ≈ 6e-8, so the
  printed value is within 1e-6 of the exact one (the 2.10.25 recordings
  show at most 1.5e-7 on 8-d vectors); the distances are >= 0.04 apart.
"""
import math
import os
import struct
from array import array

import pytest
import redis
from redis.commands.search.field import NumericField, TagField, TextField, VectorField
from redis.commands.search.indexDefinition import IndexDefinition, IndexType
from redis.commands.search.query import Query

PORT = int(os.environ["MRS_PORT"])

DOCS = {
    1: ((1, 0, 0, 0), "red", 10),
    2: ((0.5, 0.5, 0, 0), "red", 20),
    3: ((0, 1, 0, 0), "blue", 30),
    4: ((0.25, 0.25, 0.25, 0.25), "blue", 40),
    5: ((0, 0, 1, 0.5), "green", 50),
    6: ((0.75, 0, 0, 0.25), "green", 60),
}
Q = (1, 0.25, 0, 0)

# Hand-computed above, nearest first.
L2 = [(1, "0.0625"), (6, "0.1875"), (2, "0.3125"), (4, "0.6875"), (3, "1.5625"), (5, "2.3125")]
IP = [(1, "0"), (6, "0.25"), (2, "0.375"), (4, "0.6875"), (3, "0.75"), (5, "1")]
COSINE = [
    (1, 1 - 4 / math.sqrt(17)),
    (6, 1 - 12 / math.sqrt(170)),
    (2, 1 - 5 / math.sqrt(34)),
    (4, 1 - 2.5 / math.sqrt(17)),
    (3, 1 - 1 / math.sqrt(17)),
    (5, 1.0),
]
COSINE_TOLERANCE = 1e-6


def f32(v):
    return struct.pack("<%df" % len(v), *v)


def f64(v):
    a = array("d", v)
    if struct.pack("=d", 1.0) != struct.pack("<d", 1.0):  # big-endian host
        a.byteswap()
    return a.tobytes()


@pytest.fixture
def r():
    client = redis.Redis(port=PORT)
    client.flushall()
    yield client
    client.close()


def load(r, prefix, field="v", pack=f32, text=False):
    for n, (v, cat, price) in DOCS.items():
        mapping = {field: pack(v), "cat": cat, "price": price}
        if text:
            mapping["content"] = "document number %d" % n
        r.hset(prefix + str(n), mapping=mapping)


def create(r, name, vector_field, prefix, text=False):
    fields = [vector_field, TagField("cat"), NumericField("price")]
    if text:
        fields.insert(0, TextField("content"))
    r.ft(name).create_index(fields, definition=IndexDefinition(prefix=[prefix], index_type=IndexType.HASH))


def hits(res, field):
    return [(d.id, getattr(d, field, None)) for d in res.docs]


def expect(prefix, table, ns):
    by = dict(table)
    return [(prefix + str(n), by[n]) for n in ns]


def assert_cosine(res, prefix, ns, field):
    """Ids in order exactly, COSINE distances within COSINE_TOLERANCE."""
    by = dict(COSINE)
    assert [d.id for d in res.docs] == [prefix + str(n) for n in ns]
    for d, n in zip(res.docs, ns):
        got = float(getattr(d, field))
        assert abs(got - by[n]) <= COSINE_TOLERANCE, (d.id, got, by[n])


# --- redis-py's own API, as its documentation shows it ----------------------


@pytest.mark.parametrize("algorithm", ["FLAT", "HNSW"])
def test_knn_l2(r, algorithm):
    attrs = {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": "L2"}
    if algorithm == "HNSW":
        attrs.update({"M": 8, "EF_CONSTRUCTION": 100, "EF_RUNTIME": 20, "EPSILON": 0.01})
    else:
        attrs.update({"INITIAL_CAP": 10, "BLOCK_SIZE": 4})
    create(r, "idx", VectorField("v", algorithm, attrs), "doc:")
    load(r, "doc:")

    q = Query("*=>[KNN 3 @v $vec AS score]").sort_by("score").return_fields("score", "id").paging(0, 3).dialect(2)
    res = r.ft("idx").search(q, query_params={"vec": f32(Q)})
    assert res.total == 3
    assert hits(res, "score") == expect("doc:", L2, [1, 6, 2])

    # Every document: K above the corpus gives its size as the total.
    q = Query("*=>[KNN $K @v $vec AS score]").sort_by("score").return_fields("score").paging(0, 10).dialect(2)
    res = r.ft("idx").search(q, query_params={"vec": f32(Q), "K": 10})
    assert res.total == 6
    assert hits(res, "score") == expect("doc:", L2, [1, 6, 2, 4, 3, 5])

    # Paging within the K results: LIMIT 1 2 of KNN 3.
    q = Query("*=>[KNN 3 @v $vec AS score]").sort_by("score").return_fields("score").paging(1, 2).dialect(2)
    res = r.ft("idx").search(q, query_params={"vec": f32(Q)})
    assert res.total == 3
    assert hits(res, "score") == expect("doc:", L2, [6, 2])


def test_knn_float64_ip(r):
    create(r, "idx", VectorField("v", "FLAT", {"TYPE": "FLOAT64", "DIM": 4, "DISTANCE_METRIC": "IP"}), "doc:")
    load(r, "doc:", pack=f64)
    q = Query("*=>[KNN 4 @v $vec AS score]").sort_by("score").return_fields("score").paging(0, 4).dialect(2)
    res = r.ft("idx").search(q, query_params={"vec": f64(Q)})
    assert res.total == 4
    assert hits(res, "score") == expect("doc:", IP, [1, 6, 2, 4])


def test_hybrid_tag_and_numeric(r):
    create(r, "idx", VectorField("v", "HNSW", {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": "L2"}), "doc:")
    load(r, "doc:")
    # red or green, price in [15, 100]: doc:2 (0.3125), doc:5 (2.3125),
    # doc:6 (0.1875); the 2 nearest are doc:6 then doc:2.
    q = (
        Query("(@cat:{red|green} @price:[15 100])=>[KNN 2 @v $vec AS score]")
        .sort_by("score")
        .return_fields("score", "cat", "price")
        .paging(0, 2)
        .dialect(2)
    )
    res = r.ft("idx").search(q, query_params={"vec": f32(Q)})
    assert res.total == 2
    assert hits(res, "score") == expect("doc:", L2, [6, 2])
    assert [(d.cat, d.price) for d in res.docs] == [("green", "60"), ("red", "20")]

    # A numeric range alone as the filter: price <= 30 keeps doc:1, doc:2,
    # doc:3; all three come back nearest first.
    q = Query("@price:[-inf 30]=>[KNN 5 @v $vec AS score]").sort_by("score").return_fields("score").dialect(2)
    res = r.ft("idx").search(q, query_params={"vec": f32(Q)})
    assert res.total == 3
    assert hits(res, "score") == expect("doc:", L2, [1, 2, 3])


def test_vector_range(r):
    create(r, "idx", VectorField("v", "FLAT", {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": "L2"}), "doc:")
    load(r, "doc:")
    # Radius 0.5: 0.0625, 0.1875 and 0.3125 are within, 0.6875 is not.
    q = (
        Query("@v:[VECTOR_RANGE $r $vec]=>{$YIELD_DISTANCE_AS: score}")
        .sort_by("score")
        .return_fields("score")
        .dialect(2)
    )
    res = r.ft("idx").search(q, query_params={"vec": f32(Q), "r": 0.5})
    assert res.total == 3
    assert hits(res, "score") == expect("doc:", L2, [1, 6, 2])
    # Radius 0.3125 is inclusive; 0.3 is not.
    res = r.ft("idx").search(q, query_params={"vec": f32(Q), "r": 0.3125})
    assert [d.id for d in res.docs] == ["doc:1", "doc:6", "doc:2"]
    res = r.ft("idx").search(q, query_params={"vec": f32(Q), "r": 0.3})
    assert [d.id for d in res.docs] == ["doc:1", "doc:6"]


# --- redisvl's queries -------------------------------------------------------


def redisvl_index(r, algorithm, metric):
    attrs = {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": metric}
    if algorithm == "HNSW":
        attrs.update({"M": 16, "EF_CONSTRUCTION": 200, "EF_RUNTIME": 10, "EPSILON": 0.01})
    create(r, "rvl", VectorField("embedding", algorithm, attrs), "rvl:")
    load(r, "rvl:", field="embedding")


@pytest.mark.parametrize("algorithm", ["FLAT", "HNSW"])
def test_redisvl_vector_query(r, algorithm):
    redisvl_index(r, algorithm, "L2")
    # VectorQuery(vector, "embedding", return_fields=["cat", "price"], num_results=3)
    q = (
        Query("*=>[KNN 3 @embedding $vector AS vector_distance]")
        .return_fields("cat", "price")
        .paging(0, 3)
        .dialect(2)
        .return_fields("vector_distance")
        .sort_by("vector_distance")
    )
    res = r.ft("rvl").search(q, query_params={"vector": f32(Q)})
    assert res.total == 3
    assert hits(res, "vector_distance") == expect("rvl:", L2, [1, 6, 2])
    assert [(d.cat, d.price) for d in res.docs] == [("red", "10"), ("green", "60"), ("red", "20")]

    # filter_expression=(Tag("cat") == ["red", "green"]) & Num("price").between(15, 100)
    q = (
        Query("(@cat:{red|green} @price:[15 100])=>[KNN 2 @embedding $vector AS vector_distance]")
        .paging(0, 2)
        .dialect(2)
        .return_fields("vector_distance")
        .sort_by("vector_distance")
    )
    res = r.ft("rvl").search(q, query_params={"vector": f32(Q)})
    assert res.total == 2
    assert hits(res, "vector_distance") == expect("rvl:", L2, [6, 2])

    # hybrid_policy="ADHOC_BF", then "BATCHES" with batch_size=1, on
    # Tag("cat") == "red": doc:1 (0.0625) and doc:2 (0.3125).
    for knn in (
        "KNN 2 @embedding $vector HYBRID_POLICY ADHOC_BF AS vector_distance",
        "KNN 2 @embedding $vector HYBRID_POLICY BATCHES BATCH_SIZE 1 AS vector_distance",
    ):
        q = Query("@cat:{red}=>[%s]" % knn).paging(0, 2).dialect(2).return_fields("vector_distance").sort_by("vector_distance")
        res = r.ft("rvl").search(q, query_params={"vector": f32(Q)})
        assert res.total == 2, knn
        assert hits(res, "vector_distance") == expect("rvl:", L2, [1, 2]), knn


def test_redisvl_ef_runtime(r):
    redisvl_index(r, "HNSW", "L2")
    # VectorQuery(..., ef_runtime=50): EF_RUNTIME $EF, params {"EF": 50}.
    q = (
        Query("*=>[KNN 3 @embedding $vector EF_RUNTIME $EF AS vector_distance]")
        .paging(0, 3)
        .dialect(2)
        .return_fields("vector_distance")
        .sort_by("vector_distance")
    )
    res = r.ft("rvl").search(q, query_params={"vector": f32(Q), "EF": 50})
    assert res.total == 3
    assert hits(res, "vector_distance") == expect("rvl:", L2, [1, 6, 2])


@pytest.mark.parametrize("algorithm", ["FLAT", "HNSW"])
def test_redisvl_range_query(r, algorithm):
    redisvl_index(r, algorithm, "IP")
    # RangeQuery(vector, "embedding", distance_threshold=0.5): IP distances
    # 0, 0.25, 0.375 are within 0.5, 0.6875 is not.
    q = (
        Query("@embedding:[VECTOR_RANGE $distance_threshold $vector]=>{$YIELD_DISTANCE_AS: vector_distance}")
        .paging(0, 10)
        .dialect(2)
        .return_fields("vector_distance")
        .sort_by("vector_distance")
    )
    res = r.ft("rvl").search(q, query_params={"vector": f32(Q), "distance_threshold": 0.5})
    assert res.total == 3
    assert hits(res, "vector_distance") == expect("rvl:", IP, [1, 6, 2])

    # With filter_expression=Tag("cat") == "red": doc:1 and doc:2.
    q = (
        Query(
            "(@embedding:[VECTOR_RANGE $distance_threshold $vector]=>{$YIELD_DISTANCE_AS: vector_distance} @cat:{red})"
        )
        .paging(0, 10)
        .dialect(2)
        .return_fields("vector_distance")
        .sort_by("vector_distance")
    )
    res = r.ft("rvl").search(q, query_params={"vector": f32(Q), "distance_threshold": 0.5})
    assert res.total == 2
    assert hits(res, "vector_distance") == expect("rvl:", IP, [1, 2])


# --- LangChain's Redis vector store -----------------------------------------


def langchain_index(r):
    # The store's default vector field: FLAT, FLOAT32, COSINE, beside a
    # TEXT content field and the metadata fields.
    field = VectorField(
        "content_vector",
        "FLAT",
        {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": "COSINE", "INITIAL_CAP": 20, "BLOCK_SIZE": 1000},
    )
    create(r, "lc", field, "doc:lc:", text=True)
    load(r, "doc:lc:", field="content_vector", text=True)


def test_langchain_similarity_search_with_score(r):
    langchain_index(r)
    # similarity_search_with_score(query, k=4)
    q = (
        Query("(*)=>[KNN 4 @content_vector $vector AS distance]")
        .return_fields("content", "distance", "cat", "price")
        .sort_by("distance")
        .paging(0, 4)
        .dialect(2)
    )
    res = r.ft("lc").search(q, query_params={"vector": f32(Q)})
    assert res.total == 4
    assert_cosine(res, "doc:lc:", [1, 6, 2, 4], "distance")
    assert [d.content for d in res.docs] == ["document number %d" % n for n in (1, 6, 2, 4)]

    # ... filter=RedisTag("cat") == "red": only doc:1 and doc:2 exist.
    q = (
        Query("(@cat:{red})=>[KNN 4 @content_vector $vector AS distance]")
        .return_fields("content", "distance")
        .sort_by("distance")
        .paging(0, 4)
        .dialect(2)
    )
    res = r.ft("lc").search(q, query_params={"vector": f32(Q)})
    assert res.total == 2
    assert_cosine(res, "doc:lc:", [1, 2], "distance")


def test_langchain_distance_threshold(r):
    langchain_index(r)
    # similarity_search_with_score(query, k=4, distance_threshold=0.2):
    # 1 - 4/√17 ≈ 0.030, 1 - 12/√170 ≈ 0.080, 1 - 5/√34 ≈ 0.143 are within
    # 0.2; 1 - 2.5/√17 ≈ 0.394 is not.
    q = (
        Query("@content_vector:[VECTOR_RANGE $distance_threshold $vector]=>{$yield_distance_as: distance}")
        .return_fields("content", "distance")
        .sort_by("distance")
        .paging(0, 4)
        .dialect(2)
    )
    res = r.ft("lc").search(q, query_params={"vector": f32(Q), "distance_threshold": 0.2})
    assert res.total == 3
    assert_cosine(res, "doc:lc:", [1, 6, 2], "distance")

    # ... and filter=RedisTag("cat") == "red", which the store puts in
    # front of the range clause.
    q = (
        Query("@cat:{red} @content_vector:[VECTOR_RANGE $distance_threshold $vector]=>{$yield_distance_as: distance}")
        .return_fields("content", "distance")
        .sort_by("distance")
        .paging(0, 4)
        .dialect(2)
    )
    res = r.ft("lc").search(q, query_params={"vector": f32(Q), "distance_threshold": 0.2})
    assert res.total == 2
    assert_cosine(res, "doc:lc:", [1, 2], "distance")
