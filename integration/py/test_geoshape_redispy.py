"""GEOSHAPE fields through redis-py (Debian's python3-redis 4.3.4) against
miniredis-search; the Go test TestGeoShapeRedisPy starts the server and
sets MRS_PORT.

redis-py 4.3.4 has no GeoShapeField (redis/commands/search/field.py defines
TextField, NumericField, GeoField, TagField and VectorField only; it came
in 5.x), so the index is created with execute_command; the searches go
through r.ft().search with a Query and query_params, as an application on
that version would. Expected replies are test_geometry_flat.py's.
"""
import os

import pytest
import redis
from redis.commands.search.query import Query

PORT = int(os.environ["MRS_PORT"])


def ids(res):
    return sorted(d.id for d in res.docs)


def test_flat_points_and_polygons(r):
    assert r.execute_command("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT") == "OK"
    r.hset("point", "geom", "POINT(10 10)")
    r.hset("small", "geom", "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1))")
    r.hset("large", "geom", "POLYGON((1 1, 1 200, 200 200, 200 1, 1 1))")
    q = Query("@geom:[within $poly]").dialect(3)
    res = r.ft("idx").search(q, query_params={"poly": "POLYGON((0 0, 0 150, 150 150, 150 0, 0 0))"})
    assert res.total == 2
    assert [d.id for d in res.docs] == ["point", "small"]
    assert res.docs[1].geom == "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1))"
    q = Query("@geom:[contains $poly]").no_content().dialect(3)
    assert ids(r.ft("idx").search(q, query_params={"poly": "POINT(50 50)"})) == ["large", "small"]
    q = Query("@geom:[intersects $poly]").no_content().dialect(3)
    assert ids(r.ft("idx").search(q, query_params={"poly": "POINT(10 10)"})) == ["large", "point", "small"]
    q = Query("@geom:[disjoint $poly]").no_content().dialect(3)
    assert ids(r.ft("idx").search(q, query_params={"poly": "POINT(150 150)"})) == ["point", "small"]


def test_sphere_default_and_errors(r):
    assert r.execute_command("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE") == "OK"
    r.hset("small", "geom", "POLYGON((34.9001 29.7001, 34.9001 29.7100, 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))")
    r.hset("bad", "geom", "POLIKON((1 1, 1 100, 100 100, 100 1, 1 1))")
    info = r.ft("idx").info()
    assert info["hash_indexing_failures"] == 1
    assert info["attributes"][0][5:8] == ["GEOSHAPE", "coord_system", "SPHERICAL"]
    q = Query("@geom:[contains $poly]").no_content().dialect(3)
    assert ids(r.ft("idx").search(q, query_params={"poly": "POINT(34.9050 29.7050)"})) == ["small"]
    with pytest.raises(redis.ResponseError) as e:
        r.ft("idx").search(q, query_params={"poly": "POLYGON"})
    assert str(e.value) == "Error querying geoshape index: Expected '(' in 'POLYGON'"
