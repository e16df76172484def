package index

import (
	"cmp"
	"math"
	"slices"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
)

// GEOSHAPE values and the four predicates the module's geometry library
// (Boost.Geometry, src/geometry/rtree.cpp) answers between a document's
// shape and a query's:
//
//   - WITHIN: the document's shape is within the query's (DE-9IM T*F**F***:
//     no point outside it, some interior point inside); nothing is within a
//     point.
//   - CONTAINS: the query's shape is within the document's.
//   - INTERSECTS: they share a point, boundaries included.
//   - DISJOINT: they share none.
//
// FLAT shapes are planar (x y); their predicates are made with Boost's
// cartesian primitives (geoshape_planar.go). SPHERICAL shapes are longitude-latitude pairs in degrees whose
// edges are geodesics (Boost's geographic coordinate system): they are
// evaluated on the sphere by golang/geo's s2, whose great-circle edges bow
// towards the poles as the module's do (an edge along a parallel is not
// the parallel), with the module's closed boundaries: a point on an edge
// or a vertex intersects the shape and is not within it, shapes that only
// touch intersect.

// CoordSystem is a GEOSHAPE field's coordinate system.
type CoordSystem uint8

const (
	Spherical CoordSystem = iota // the default: longitude latitude, in degrees
	Flat                         // planar x y
)

func (c CoordSystem) String() string {
	if c == Flat {
		return "FLAT"
	}
	return "SPHERICAL"
}

// ShapeQuery is a predicate of `@field:[PREDICATE $wkt]`, numbered as the
// module numbers them (FT.EXPLAIN prints the number).
type ShapeQuery uint8

const (
	ShapeContains   ShapeQuery = 1
	ShapeWithin     ShapeQuery = 2
	ShapeDisjoint   ShapeQuery = 3
	ShapeIntersects ShapeQuery = 4
)

// Shape is a parsed, valid GEOSHAPE value.
type Shape struct {
	cs    CoordSystem
	point bool
	pt    xy
	rings [][]xy // the polygon's closed rings, exterior first
	box   rect   // bounding box, in the value's own coordinates

	s2pt   s2.Point    // SPHERICAL point
	s2poly *s2.Polygon // SPHERICAL polygon
}

// rect is a bounding box: min and max corners.
type rect struct{ min, max [2]float64 }

func (r rect) intersects(o rect) bool {
	return r.min[0] <= o.max[0] && o.min[0] <= r.max[0] && r.min[1] <= o.max[1] && o.min[1] <= r.max[1]
}

// ParseShape reads a GEOSHAPE value in a coordinate system; the error's
// text is the module's (its geometry library's) message.
func ParseShape(wkt string, cs CoordSystem) (*Shape, error) {
	raw, err := parseWKT(wkt)
	if err != nil {
		return nil, err
	}
	sh := &Shape{cs: cs, point: raw.point, pt: raw.pt}
	if raw.point {
		if !finite(raw.pt.x) || !finite(raw.pt.y) {
			return nil, invalidGeometry(invalidCoordinate)
		}
		sh.box = rect{[2]float64{raw.pt.x, raw.pt.y}, [2]float64{raw.pt.x, raw.pt.y}}
		if cs == Spherical {
			sh.s2pt = lonLatPoint(raw.pt)
			sh.box = sphereBox(s2.RectFromLatLng(s2.LatLngFromPoint(sh.s2pt)))
		}
		return sh, nil
	}
	raw.correct(cs)
	if err := raw.checkRings(cs); err != nil {
		return nil, err
	}
	sh.rings = raw.rings
	if cs == Flat {
		err = sh.initFlat()
	} else {
		err = sh.initSphere()
	}
	if err != nil {
		return nil, err
	}
	return sh, nil
}

// initFlat checks the planar polygon across its rings as bg::is_valid
// does (planarFault) and takes its bounding box.
func (sh *Shape) initFlat() error {
	if msg := planarFault(sh.rings, true); msg != "" {
		return invalidGeometry(msg)
	}
	box := rect{[2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}}
	for _, p := range sh.rings[0] {
		box.min[0], box.min[1] = math.Min(box.min[0], p.x), math.Min(box.min[1], p.y)
		box.max[0], box.max[1] = math.Max(box.max[0], p.x), math.Max(box.max[1], p.y)
	}
	sh.box = box
	return nil
}

// lonLatPoint is a point on the sphere; a longitude beyond ±180 is brought
// into range first (exactly, by math.Mod), so that 1000 and 1000000, both
// -80, name one point rather than two a rounding of the sine apart.
func lonLatPoint(p xy) s2.Point {
	p = lonInRange(p)
	return s2.PointFromLatLng(s2.LatLngFromDegrees(p.y, p.x))
}

// sphereLoop is a ring as an s2 loop: the closing vertex and consecutive
// duplicates dropped, oriented to enclose at most a hemisphere (Boost's
// correct() orients each ring to enclose the smaller side).
func sphereLoop(r []xy) *s2.Loop {
	pts := make([]s2.Point, 0, len(r))
	for _, p := range r[:len(r)-1] {
		q := lonLatPoint(p)
		if len(pts) == 0 || pts[len(pts)-1] != q {
			pts = append(pts, q)
		}
	}
	for len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	l := s2.LoopFromPoints(pts)
	l.Normalize()
	return l
}

// initSphere builds the spherical polygon and checks what checkRings does
// not, as bg::is_valid does across rings (ringsFault), with Boost's
// geographic primitives (sphereKit: edges are geodesics) and s2's loops to
// place a point in a ring.
//
// A latitude beyond ±90 names no point of the sphere, but Boost's
// geographic formulas still run on it (the module's own tests index such
// polygons, and the crossings s2 would find through the poles are not
// Boost's): for such a polygon only the holes' placement is checked, in
// the plane of its coordinates.
func (sh *Shape) initSphere() error {
	for _, r := range sh.rings {
		for _, p := range r {
			if p.y > 90 || p.y < -90 {
				if msg := planarFault(sh.rings, false); msg != "" {
					return invalidGeometry(msg)
				}
				return sh.buildSphere()
			}
		}
	}
	loops := make([]*s2.Loop, len(sh.rings))
	for i, r := range sh.rings {
		loops[i] = sphereLoop(r)
	}
	inRing := func(p xy, i int) int {
		q := lonLatPoint(p)
		switch {
		case onLoop(loops[i], q):
			return 0
		case loops[i].ContainsPoint(q):
			return 1
		}
		return -1
	}
	if msg := ringsFault(sphereKit, sh.rings, true, inRing); msg != "" {
		return invalidGeometry(msg)
	}
	return sh.buildSphere()
}

func (sh *Shape) buildSphere() error {
	loops := make([]*s2.Loop, len(sh.rings))
	for i, r := range sh.rings {
		loops[i] = sphereLoop(r)
	}
	sh.s2poly = s2.PolygonFromLoops(loops)
	sh.box = sphereBox(sh.s2poly.RectBound())
	for _, r := range sh.rings {
		for _, p := range r {
			if p.x < -180 || p.x > 180 {
				// Longitudes that wrap: the box covers the world rather
				// than trust a bound of the wrapped ring (a fuzzed
				// ring's bound missed shapes s2 found it to contain).
				sh.box = rect{[2]float64{-180, -90}, [2]float64{180, 90}}
			}
		}
	}
	return nil
}

// properCross reports two edges crossing at a point interior to both,
// away from their endpoints: s2 decides an endpoint lying on the other edge
// by symbolic perturbation, Boost sees the edges touch.
func properCross(e, f s2.Edge) bool {
	if s2.CrossingSign(e.V0, e.V1, f.V0, f.V1) != s2.Cross {
		return false
	}
	return !s2.IsDistanceLess(e.V0, f.V0, f.V1, boundaryChord) && !s2.IsDistanceLess(e.V1, f.V0, f.V1, boundaryChord) &&
		!s2.IsDistanceLess(f.V0, e.V0, e.V1, boundaryChord) && !s2.IsDistanceLess(f.V1, e.V0, e.V1, boundaryChord)
}

// sphereBox is an s2 bound as a longitude-latitude box (degrees); a bound
// across the antimeridian covers every longitude.
func sphereBox(r s2.Rect) rect {
	lo, hi := r.Lo(), r.Hi()
	b := rect{[2]float64{lo.Lng.Degrees(), lo.Lat.Degrees()}, [2]float64{hi.Lng.Degrees(), hi.Lat.Degrees()}}
	if r.Lng.IsInverted() || r.Lng.IsFull() {
		b.min[0], b.max[0] = -180, 180
	}
	return b
}

// boundaryTolerance: a point this close to an edge (radians: about 6 nm on
// the earth) lies on it. A point that lies on an edge in exact arithmetic
// (on a meridian edge, the equator, a vertex) is off by rounding only.
const boundaryTolerance = 1e-15

var boundaryChord = s1.ChordAngleFromAngle(s1.Angle(boundaryTolerance))

// onLoop reports a point on a loop's boundary.
func onLoop(l *s2.Loop, p s2.Point) bool {
	for i := 0; i < l.NumEdges(); i++ {
		e := l.Edge(i)
		if s2.IsDistanceLess(p, e.V0, e.V1, boundaryChord) {
			return true
		}
	}
	return false
}

func onBoundary(poly *s2.Polygon, p s2.Point) bool {
	for _, l := range poly.Loops() {
		if onLoop(l, p) {
			return true
		}
	}
	return false
}

// Within reports whether a is within b (Boost's within: nothing is within
// a point).
func Within(a, b *Shape) bool {
	if b.point {
		return false
	}
	if a.cs == Flat {
		if a.point {
			return pointInPolygon(a.pt, b.rings) > 0
		}
		return flatWithin(a.rings, b.rings)
	}
	if a.point {
		return !onBoundary(b.s2poly, a.s2pt) && b.s2poly.ContainsPoint(a.s2pt)
	}
	return b.s2poly.Contains(a.s2poly) || closedWithin(a.s2poly, b.s2poly)
}

// closedWithin reports a polygon within another where s2's half-open
// containment says no because their boundaries overlap (a vertex of one on
// an edge of the other, edges along each other): every vertex of a, and
// every piece of its edges between the points where b's vertices touch
// them, lies in b or on its boundary, no edges cross, and no hole of b
// lies inside a.
func closedWithin(a, b *s2.Polygon) bool {
	in := func(p s2.Point) bool { return onBoundary(b, p) || b.ContainsPoint(p) }
	var bVerts []s2.Point
	for _, l := range b.Loops() {
		bVerts = append(bVerts, l.Vertices()...)
	}
	for _, la := range a.Loops() {
		for i := 0; i < la.NumEdges(); i++ {
			e := la.Edge(i)
			if !in(e.V0) {
				return false
			}
			for _, lb := range b.Loops() {
				for j := 0; j < lb.NumEdges(); j++ {
					f := lb.Edge(j)
					if properCross(e, f) {
						return false
					}
				}
			}
			// The pieces of the edge between b's vertices lying on it.
			cuts := []s2.Point{e.V0, e.V1}
			for _, v := range bVerts {
				if v != e.V0 && v != e.V1 && s2.IsDistanceLess(v, e.V0, e.V1, boundaryChord) {
					cuts = append(cuts, v)
				}
			}
			slices.SortFunc(cuts, func(p, q s2.Point) int {
				return cmp.Compare(e.V0.Distance(p), e.V0.Distance(q))
			})
			for k := 0; k+1 < len(cuts); k++ {
				if !in(s2.Interpolate(0.5, cuts[k], cuts[k+1])) {
					return false
				}
			}
		}
	}
	for _, h := range b.Loops() {
		if !h.IsHole() {
			continue
		}
		for i := 0; i < h.NumEdges(); i++ {
			e := h.Edge(i)
			for _, p := range []s2.Point{e.V0, s2.Interpolate(0.5, e.V0, e.V1)} {
				if !onBoundary(a, p) && a.ContainsPoint(p) {
					return false
				}
			}
		}
	}
	return true
}

// Intersects reports whether a and b share a point, boundaries included.
func Intersects(a, b *Shape) bool {
	if a.cs == Flat {
		switch {
		case a.point && b.point:
			return ptEq(a.pt, b.pt)
		case a.point:
			return pointInPolygon(a.pt, b.rings) >= 0
		case b.point:
			return pointInPolygon(b.pt, a.rings) >= 0
		}
		return flatIntersects(a.rings, b.rings)
	}
	switch {
	case a.point && b.point:
		return a.s2pt == b.s2pt || a.pt == b.pt
	case a.point:
		return onBoundary(b.s2poly, a.s2pt) || b.s2poly.ContainsPoint(a.s2pt)
	case b.point:
		return onBoundary(a.s2poly, b.s2pt) || a.s2poly.ContainsPoint(b.s2pt)
	}
	if a.s2poly.Intersects(b.s2poly) {
		return true
	}
	// s2's interiors are half-open: shapes that only touch share no point
	// of it, but do share a boundary point.
	for _, l := range a.s2poly.Loops() {
		for _, v := range l.Vertices() {
			if onBoundary(b.s2poly, v) {
				return true
			}
		}
	}
	for _, l := range b.s2poly.Loops() {
		for _, v := range l.Vertices() {
			if onBoundary(a.s2poly, v) {
				return true
			}
		}
	}
	return false
}

// Match evaluates a query's predicate against a document's shape.
func (q ShapeQuery) Match(doc, query *Shape) bool {
	switch q {
	case ShapeWithin:
		return Within(doc, query)
	case ShapeContains:
		return Within(query, doc)
	case ShapeIntersects:
		return Intersects(doc, query)
	case ShapeDisjoint:
		return !Intersects(doc, query)
	}
	return false
}
