package index

import "testing"

// TestParseShapeErrors: the messages are the ones Boost.Geometry 1.81 gives
// through the module's from_wkt (read_wkt, correct, is_valid), printed by
// testdata/geoshape_oracle.cpp; the module's tests (test_geometry_flat.py,
// testWKTIngestError) check their beginnings.
func TestParseShapeErrors(t *testing.T) {
	cases := []struct {
		cs   CoordSystem
		wkt  string
		want string
	}{
		{Spherical, "POLIKON((1 1, 1 100, 100 100, 100 1, 1 1))", "Should start with 'POLYGON'' in (POLIKON((1 1, 1 100, 100 100, 100 1, 1 1)))"},
		{Spherical, "POLYGON(1 1, 1 100, 100 100, 100 1, 1 1))", "Expected '(' at '1' in 'POLYGON(1 1, 1 100, 100 100, 100 1, 1 1))'"},
		{Spherical, "POLYGON(()())", "invalid geometry: Geometry has too few points"},
		{Spherical, "POLYGON((1 1, 1 100, 1 1))", "invalid geometry: Geometry has too few points"},
		{Spherical, "POLYGON((1 1, 1 200, 1 100, 100 1, 1 1))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (1, 200)"},
		{Flat, "POLYGON((0 0, 0 10, 10 10, 0 10, 0 0))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (10, 10)"},
		{Spherical, "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 150, 75 150, 75 250, 25 250, 25 150))", "invalid geometry: Geometry has interior rings defined outside the outer boundary"},
		{Flat, "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 150, 75 150, 75 250, 25 250, 25 150))", "invalid geometry: Geometry has interior rings defined outside the outer boundary"},
		{Spherical, "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 25, 75 25, 75 75, 25 75, 25 25) (49 49, 51 49, 51 51, 49 51, 49 49))", "invalid geometry: Geometry has nested interior rings"},
		{Flat, "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 25, 75 25, 75 75, 25 75, 25 25) (49 49, 51 49, 51 51, 49 51, 49 49))", "invalid geometry: Geometry has nested interior rings"},
		{Spherical, "POLYGON((1 1, 1 100, 100 100, bart, 1 1))", "bad lexical cast: source type value could not be interpreted as target at 'bart' in 'POLYGON((1 1, 1 100, 100 100, bart, 1 1))'"},
		{Flat, "POINT(255, 255)", "Expected ')' at ',' in 'POINT(255, 255)'"},
		{Flat, "POLYGON EMPTY", "invalid geometry: Geometry has too few points"},
		{Flat, "MULTIPOLYGON(((1 1, 1 2, 2 2, 1 1)))", "unknown geometry type"},
		{Flat, "point(1 2)", "unknown geometry type"},
		{Flat, " POINT(1 2)", "unknown geometry type"},
		{Flat, "", "unknown geometry type"},
		{Flat, "POINT(nan 2)", "invalid geometry: Geometry has point(s) with invalid coordinate(s)"},
		{Flat, "POINT(inf 2)", "invalid geometry: Geometry has point(s) with invalid coordinate(s)"},
		{Flat, "POINT(1e400 2)", "bad lexical cast: source type value could not be interpreted as target at '1e400' in 'POINT(1e400 2)'"},
		{Flat, "POINT(0x10 2)", "bad lexical cast: source type value could not be interpreted as target at '0x10' in 'POINT(0x10 2)'"},
		{Flat, "POINT(1e 2)", "bad lexical cast: source type value could not be interpreted as target at '1e' in 'POINT(1e 2)'"},
		{Flat, "POINT(nan(1) 2)", "bad lexical cast: source type value could not be interpreted as target at '(' in 'POINT(nan(1) 2)'"},
		{Flat, "POINT(1\t2)", "bad lexical cast: source type value could not be interpreted as target at '1\t2' in 'POINT(1\t2)'"},
		{Flat, "POINT(1 2 3)", "Expected ')' at '3' in 'POINT(1 2 3)'"},
		{Flat, "POINT Z(1 2 3)", "Z only allowed for 3 or more dimensions' in (POINT Z(1 2 3))"},
		{Flat, "POINT(1 2) x", "Too many tokens at 'x' in 'POINT(1 2) x'"},
		{Flat, "POLYGON", "Expected '(' in 'POLYGON'"},
		{Flat, "POLYGON((0 0,0 0,1 1,0 0))", "invalid geometry: Geometry has wrong topological dimension"},
		{Flat, "POLYGON((0 0, 10 10, 0 10, 10 0, 0 0))", "invalid geometry: Geometry has wrong orientation"},
		{Flat, "POLYGON((1 1, 1 , 100 100, 100 1, 1 1))", "invalid geometry: Geometry has invalid self-intersections"},
		{Flat, "POLYGON((0 0, 0 10, 5 5, 10 10, 10 0, 5 5, 0 0))", "invalid geometry: Geometry has invalid self-intersections"},
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0),(2 2, 2 4, 4 4, 4 2, 2 2),(4 2, 4 6, 6 6, 6 2, 4 2))", "invalid geometry: Geometry has invalid self-intersections"},
		// A hole touching the shell from outside crosses it (Boost: a
		// touch_interior turn, i/u).
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0), (10 5, 12 4, 12 6, 10 5))", "invalid geometry: Geometry has invalid self-intersections"},
		// A hole touching the shell twice cuts the interior; holes apart
		// from the shell are checked before the interior is.
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0), (0 5, 5 0, 5 5, 0 5))", "invalid geometry: Geometry has disconnected interior"},
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0), (12 5, 13 4, 13 6, 12 5), (0 5, 5 0, 5 5,0 5))", "invalid geometry: Geometry has interior rings defined outside the outer boundary"},
		// Spikes are looked for along the corrected (clockwise) ring: this
		// counter-clockwise one is walked backwards.
		{Flat, "POLYGON((1 6, 4 0, 3 3, 4 6, 1 6, 3 6, 1 6))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (3, 6)"},
		// Collinear within a rounding (side_by_triangle): 1.6 7.8, 2.9 6.5
		// and 5.9 3.5 are not exactly on one line in binary.
		{Flat, "POLYGON((1.6 7.8, 2.9 6.5, 5.9 3.5, 1.6 7.8))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (5.9, 3.5)"},
		{Flat, "POLYGON((3.8 2.1, 7.2 2.8, 0.4 1.4, 3.8 2.1))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (7.2, 2.8)"},
		// SPHERICAL rings are checked along geodesics (side::geographic):
		// a ring visiting (1 0) and (1 1) twice meets itself (the fuzzer's);
		// a hole's edge along the shell's meridian edge runs along it;
		// (2 6, 0 3, 5 3, 3 0) is a bow tie whose area is not zero on the
		// sphere (its planar one is); a hole touching the shell twice cuts
		// the interior.
		{Spherical, "POLYGON((1,11100 1 1 1 1,1010,100 1 1 1))", "invalid geometry: Geometry has invalid self-intersections"},
		{Spherical, "POLYGON((5 2, 5 4, 9 4, 9 2, 5 2), (8 3, 9 3, 9 4, 8 3))", "invalid geometry: Geometry has invalid self-intersections"},
		{Spherical, "POLYGON((2 6, 0 3, 5 3, 3 0, 2 6))", "invalid geometry: Geometry has invalid self-intersections"},
		{Spherical, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0), (0 5, 5 0, 5 5, 0 5))", "invalid geometry: Geometry has disconnected interior"},
	}
	for _, c := range cases {
		_, err := ParseShape(c.wkt, c.cs)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s %q: got %v, want %q", c.cs, c.wkt, err, c.want)
		}
	}
	// Accepted as the module accepts them (the module's "why do these not
	// fail" cases, and the reader's leniencies).
	for _, c := range []struct {
		cs  CoordSystem
		wkt string
	}{
		{Spherical, "POLYGON((1 1, 1 , 100 100, 100 1, 1 1))"},
		{Spherical, "POLYGON((1 1, 1 100 100 100, 100 1, 1 1))"},
		{Spherical, "POLYGON((1 1 1 100, 100 100, 100 1, 1 1))"},
		{Spherical, "POLYGON((1 1, 1 100, 100 100, 100 1, 100 1, 1 1))"},
		{Spherical, "POLYGON((1 1, 1 100, 50 50, 50 -50, 1 1))"},
		{Spherical, "POLYGON((34.9001 29.7001, 001 , 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))"},
		{Flat, "POINT(1)"},
		{Flat, "POINT()"},
		{Flat, "POINT (1 2)"},
		{Flat, "POINT(1e-400 +.5e-3)"},
		{Flat, "POINT EMPTY"},
		{Flat, "POLYGON((0 0,0 1,1 1,0 0),)"},
		{Flat, "POLYGON((0 0,0 1,1 1))"},
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0),(2 2, 2 4, 4 4, 4 2, 2 2),(4 4, 4 6, 6 6, 6 4, 4 4))"},
		{Spherical, "POINT(200 100)"},
		// Three points on a line in decimal, not in binary: the rounded
		// determinant (-1.3e-15) exceeds side_by_triangle's tolerance
		// (5.3e-16), so no spike, and the area summed as Boost sums it is
		// not zero, so a proper orientation.
		{Flat, "POLYGON((6.2 3.1, 7.6 1.7, 5.2 4.1, 6.2 3.1))"},
		// SPHERICAL: a hole's vertex on the shell's meridian edge touches it
		// once; (0 3), (1 4), (3 4) are not on one geodesic, so no spike.
		{Spherical, "POLYGON((6 4, 6 11, 11 11, 11 4, 6 4), (6 6, 7 6, 7 7, 6 6))"},
		{Spherical, "POLYGON((2 4, 0 3, 3 4, 1 4, 2 4))"},
		// A sliver 1.4e-7 wide at its narrow end (the fuzzer's).
		{Flat, "POLYGON((,7000000 1 1))"},
		// Two holes touching the shell at one point, and each other there.
		{Flat, "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0), (0 5, 5 6, 5 7, 0 5), (0 5, 5 4, 5 3,0 5))"},
	} {
		if _, err := ParseShape(c.wkt, c.cs); err != nil {
			t.Errorf("%s %q: %v", c.cs, c.wkt, err)
		}
	}
}
