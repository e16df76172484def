"""Geo commands through redis-py 4.3's helpers, pipelines and transactions.
Expected values are redis-server 7.0's replies (run this file against it
with MRS_PORT set to its port)."""
import pytest
import redis

SICILY = (13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania",
          12.496366, 41.902782, "Rome")


def test_geo_commands(r):
    assert r.geoadd("g:s", SICILY) == 3
    assert r.geoadd("g:s", (13.361389, 38.115556, "Palermo"), nx=True) == 0
    assert r.geoadd("g:s", (13.3614, 38.115556, "Palermo"), xx=True, ch=True) == 1
    assert r.geoadd("g:s", SICILY[:3]) == 0
    assert r.type("g:s") == "zset"
    assert r.zrange("g:s", 0, -1) == ["Palermo", "Catania", "Rome"]
    assert r.geopos("g:s", "Palermo", "nosuch") == [(13.36138933897018433, 38.11555639549629859), None]
    assert r.geodist("g:s", "Palermo", "Catania") == 166274.1516
    assert r.geodist("g:s", "Palermo", "Catania", "mi") == 103.3182
    assert r.geodist("g:s", "Palermo", "nosuch") is None
    assert r.geohash("g:s", "Palermo", "Catania", "nosuch") == ["sqc8b49rny0", "sqdtr74hyu0", None]
    assert r.geosearch("g:s", longitude=15, latitude=37, radius=200, unit="km", sort="ASC") == ["Catania", "Palermo"]
    assert r.geosearch("g:s", member="Rome", width=800, height=800, unit="km") == ["Rome"]
    assert r.geosearch("g:s", longitude=15, latitude=37, radius=200, unit="km", sort="DESC",
                       withdist=True, withcoord=True, withhash=True) == [
        ["Palermo", 190.4424, 3479099956230698, (13.36138933897018433, 38.11555639549629859)],
        ["Catania", 56.4413, 3479447370796909, (15.08726745843887329, 37.50266842333162032)]]
    assert r.geosearch("g:s", longitude=15, latitude=37, radius=1000, unit="km", count=1) == ["Catania"]
    assert r.geosearchstore("g:d", "g:s", longitude=15, latitude=37, radius=200, unit="km", storedist=True) == 2
    assert r.zrange("g:d", 0, -1, withscores=True) == [("Catania", 56.441257870158204), ("Palermo", 190.44242984775784)]
    assert r.georadius("g:s", 15, 37, 200, unit="km", withdist=True, sort="ASC") == [["Catania", 56.4413], ["Palermo", 190.4424]]
    assert r.georadiusbymember("g:s", "Palermo", 200, unit="km") == ["Palermo", "Catania"]
    assert r.georadius("g:s", 15, 37, 200, unit="km", store="g:d") == 2
    assert r.zscore("g:d", "Palermo") == 3479099956230698
    with pytest.raises(redis.ResponseError, match="invalid longitude,latitude pair 200.000000,100.000000"):
        r.geoadd("g:s", (200, 100, "x"))
    with pytest.raises(redis.ResponseError, match="could not decode requested zset member"):
        r.geosearch("g:s", member="nosuch", radius=1, unit="km")
    with pytest.raises(redis.ResponseError, match="the ANY argument requires COUNT argument"):
        r.execute_command("GEOSEARCH", "g:s", "FROMMEMBER", "Rome", "BYRADIUS", "1", "km", "ANY")
    r.set("g:str", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.geopos("g:str", "a")


def test_geo_pipeline_and_transaction(r):
    with r.pipeline(transaction=True) as p:
        p.geoadd("g:t", (0, 0, "origin", 1, 1, "one"))
        p.geodist("g:t", "origin", "one", "km")
        p.geohash("g:t", "origin")
        assert p.execute() == [2, 157.2934, ["s0000000000"]]
    with r.pipeline(transaction=False) as p:
        p.geosearch("g:t", member="origin", radius=200, unit="km", sort="DESC", withdist=True)
        p.geopos("g:t", "one")
        assert p.execute() == [[["one", 157.2934], ["origin", 0.0]], [(0.99999994039535522, 0.99999945914297683)]]
