package index

import "testing"

// Redis' GEOADD documentation: after GEOADD Sicily 13.361389 38.115556
// "Palermo" 15.087269 37.502669 "Catania", GEOPOS answers the centers of
// the points' 52-bit cells, 13.36138933897018433 38.11555639549629859 and
// 15.08726745843887329 37.50266842333162032; GEORADIUS Sicily 15 37 100 km
// finds Catania only and 200 km both, among the members of the nine boxes
// around the center (GEORADIUS, like the module, reads only those).
func TestGeohashAsRedis(t *testing.T) {
	points := []struct {
		name             string
		lon, lat         float64
		cellLon, cellLat float64
	}{
		{"Palermo", 13.361389, 38.115556, 13.36138933897018433, 38.11555639549629859},
		{"Catania", 15.087269, 37.502669, 15.08726745843887329, 37.50266842333162032},
	}
	inBoxes := func(lon, lat, radius, hash float64) bool {
		for _, r := range geohashRanges(lon, lat, radius) {
			if r.min != r.max && hash >= r.min && hash < r.max {
				return true
			}
		}
		return false
	}
	for _, p := range points {
		h, ok := geohashEncode(p.lon, p.lat, geoStepMax)
		if !ok {
			t.Fatalf("%s: not encoded", p.name)
		}
		a := geohashDecode(h)
		if lon, lat := (a.lonMin+a.lonMax)/2, (a.latMin+a.latMax)/2; lon != p.cellLon || lat != p.cellLat {
			t.Errorf("%s: cell center %.17g %.17g, want %.17g %.17g", p.name, lon, lat, p.cellLon, p.cellLat)
		}
		if float64(geohashAlign52(h)) != geoHash52(p.lon, p.lat) {
			t.Errorf("%s: geoHash52 differs from the aligned hash", p.name)
		}
		if !inBoxes(15, 37, 200000, geoHash52(p.lon, p.lat)) {
			t.Errorf("%s: not in the boxes of 15 37 200 km", p.name)
		}
	}
	if !inBoxes(15, 37, 100000, geoHash52(points[1].lon, points[1].lat)) {
		t.Errorf("Catania: not in the boxes of 15 37 100 km")
	}
}
