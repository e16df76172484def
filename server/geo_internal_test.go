package server

import (
	"math"
	"testing"
)

// Values from the Redis documentation of GEOADD/GEOHASH/GEOPOS/GEODIST/
// GEORADIUS (the Sicily example, replies of a real redis-server).
func TestGeohashDocsValues(t *testing.T) {
	palermo := geoScore(13.361389, 38.115556)
	catania := geoScore(15.087269, 37.502669)
	if palermo != 3479099956230698 || catania != 3479447370796909 {
		t.Fatalf("scores %v %v, want 3479099956230698 3479447370796909", palermo, catania)
	}
	if h := geohashString(palermo); h != "sqc8b49rny0" {
		t.Errorf("GEOHASH Palermo %q, want sqc8b49rny0", h)
	}
	if h := geohashString(catania); h != "sqdtr74hyu0" {
		t.Errorf("GEOHASH Catania %q, want sqdtr74hyu0", h)
	}
	lon, lat := geoDecodeScore(palermo)
	if a, b := formatHumanDouble(lon), formatHumanDouble(lat); a != "13.36138933897018433" || b != "38.11555639549629859" {
		t.Errorf("GEOPOS Palermo %s %s", a, b)
	}
	lon2, lat2 := geoDecodeScore(catania)
	if a, b := formatHumanDouble(lon2), formatHumanDouble(lat2); a != "15.08726745843887329" || b != "37.50266842333162032" {
		t.Errorf("GEOPOS Catania %s %s", a, b)
	}
	d := geoDistance(lon, lat, lon2, lat2)
	for _, c := range []struct {
		conv float64
		want string
	}{{1, "166274.1516"}, {1000, "166.2742"}, {1609.34, "103.3182"}} {
		if got := formatDistance(d / c.conv); got != c.want {
			t.Errorf("GEODIST in %v m: %s, want %s", c.conv, got, c.want)
		}
	}
}

// glibc's sin, cos and asin (read through CPython's math module, which
// calls them) for arguments where Go's math package rounds the other way.
func TestGeoTrigMatchesGlibc(t *testing.T) {
	cases := []struct {
		f       func(float64) float64
		name    string
		x, want float64
	}{
		{geoSin, "sin", 0.4440532898196957, 0.42960317682165994},
		{geoSin, "sin", 3.0092018901364312, 0.1320043598206603},
		{geoCos, "cos", 0.4440532898196957, 0.9030177797057695},
		{geoCos, "cos", 3.0092018901364312, -0.991249135681004},
		{geoAsin, "asin", 0.8624914374478864, 1.0401723024816258},
		{geoAsin, "asin", 0.9222122589217269, 1.1737631108055233},
		{geoAsin, "asin", 1, math.Pi / 2},
		{geoSin, "sin", 0, 0},
	}
	for _, c := range cases {
		if got := c.f(c.x); got != c.want {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
}

// The neighbour moves wrap around the hash space at the antimeridian, as
// geohash_move_x does: east of the easternmost cell is the westernmost.
func TestGeoNeighboursWrap(t *testing.T) {
	h, ok := geohashEncode(geoLongRange, geoLatRange, 179.99, 0, 4)
	if !ok {
		t.Fatal("encode")
	}
	n := geoNeighbours(h)
	east := geohashDecode(geoLongRange, geoLatRange, n[nbEast])
	if east.long.min != -180 {
		t.Errorf("east of lon 179.99 starts at %v, want -180", east.long.min)
	}
	west := geohashDecode(geoLongRange, geoLatRange, n[nbWest])
	self := geohashDecode(geoLongRange, geoLatRange, h)
	if west.long.max != self.long.min {
		t.Errorf("west cell ends at %v, want %v", west.long.max, self.long.min)
	}
}
