package index

import (
	"strings"
	"testing"
)

// FuzzParseShape: any text, in either coordinate system, either parses
// into a shape whose predicates against the module test's shapes can be
// evaluated (the R-tree's answer is the predicate's, a polygon is within
// itself, intersecting is symmetric), or fails with one of the reader's or
// the validator's messages; nothing panics. testdata/fuzz/FuzzParseShape
// keeps the inputs it found: a FLAT sliver, POLYGON((,7000000 1 1)), that
// the former DE-9IM library (simplefeatures) collapsed and found to
// contain POINT(10 10).
func FuzzParseShape(f *testing.F) {
	for _, s := range []string{
		"POINT(10 10)", "POINT(255, 255)", "POINT EMPTY", "POINT Z(1 2 3)", "POINT(nan 1)",
		"POLYGON((1 1, 1 100, 100 100, 100 1, 1 1))",
		"POLYGON((1 1, 1 200, 200 200, 200 1, 1 1), (2 2, 49 2, 49 49, 2 49, 2 2))",
		"POLYGON((1 1, 1 100, 50 50, 50 -50, 1 150, 100 50, 1 1))", "POLYGON(()())", "POLYGON((1 1, 1 , 100 100, 100 1, 1 1))",
		"POLYGON((34.9001 29.7001, 34.9001 29.7100, 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))",
		"POLYGON((170 -5, 170 5, -170 5, -170 -5, 170 -5))", "POLYGON((0 89, 120 89, 240 89, 0 89))", "POLIKON((1 1))", "",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	probes := map[CoordSystem][]*Shape{}
	for _, cs := range []CoordSystem{Flat, Spherical} {
		for _, s := range []string{"POINT(10 10)", "POLYGON((0 0, 0 50, 50 50, 50 0, 0 0))", "POLYGON((34.9 29.7, 34.9 29.715, 34.915 29.715, 34.915 29.7, 34.9 29.7))"} {
			sh, err := ParseShape(s, cs)
			if err != nil {
				f.Fatal(err)
			}
			probes[cs] = append(probes[cs], sh)
		}
	}
	known := []string{"unknown geometry type", "invalid geometry: ", "Should start with '", "Expected '(", "Expected ')'",
		"Too many tokens", "bad lexical cast", "Z only allowed"}
	f.Fuzz(func(t *testing.T, s string, flat bool) {
		cs := Spherical
		if flat {
			cs = Flat
		}
		sh, err := ParseShape(s, cs)
		if err != nil {
			ok := false
			for _, k := range known {
				if strings.HasPrefix(err.Error(), k) {
					ok = true
				}
			}
			if !ok {
				t.Fatalf("%q: unexpected error %q", s, err)
			}
			return
		}
		if cs == Spherical && !inLatitudes(sh) {
			return // a latitude beyond ±90 names no point: no bound to trust
		}
		si := newShapeIndex(cs)
		si.add(1, sh)
		// An edge between nearly antipodal points has no one shortest path:
		// Boost's geodesic and s2's great circle may go different ways (over
		// a pole or not), so s2 may see the ring meet itself.
		if !sh.point && !(cs == Spherical && hasNearAntipodalEdge(sh)) && !Within(sh, sh) {
			t.Fatalf("%q: not within itself", s)
		}
		for _, p := range probes[cs] {
			// Predicates that must agree whatever the geometry: intersecting
			// is symmetric, and what is within a shape intersects it.
			if Intersects(sh, p) != Intersects(p, sh) {
				t.Fatalf("%q: intersects %v one way, %v the other", s, Intersects(sh, p), Intersects(p, sh))
			}
			if (Within(sh, p) || Within(p, sh)) && !Intersects(sh, p) {
				t.Fatalf("%q: within without intersecting", s)
			}
			for _, op := range []ShapeQuery{ShapeWithin, ShapeContains, ShapeIntersects, ShapeDisjoint} {
				m := op.Match(sh, p)
				if got := len(si.query(op, p)) == 1; got != m && op != ShapeDisjoint {
					t.Fatalf("%q %d: the R-tree's answer %v differs from the predicate's %v", s, op, got, m)
				}
			}
		}
		if si.remove(1); len(si.shapes) != 0 || si.tree.Len() != 0 || si.bytes != emptyShapeIndexBytes {
			t.Fatalf("%q: remove left %d shapes, %d entries, %d bytes", s, len(si.shapes), si.tree.Len(), si.bytes)
		}
	})
}

func inLatitudes(sh *Shape) bool {
	if sh.point {
		return sh.pt.y >= -90 && sh.pt.y <= 90
	}
	for _, r := range sh.rings {
		for _, p := range r {
			if p.y < -90 || p.y > 90 {
				return false
			}
		}
	}
	return true
}

func hasNearAntipodalEdge(sh *Shape) bool {
	for _, r := range sh.rings {
		for i := 0; i+1 < len(r); i++ {
			if lonLatPoint(r[i]).Angle(lonLatPoint(r[i+1]).Vector).Degrees() > 170 {
				return true
			}
		}
	}
	return false
}
