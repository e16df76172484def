package index

import (
	"cmp"
	"math"
	"slices"

	"github.com/golang/geo/s2"
)

// FLAT predicates, and the validity checks across a polygon's rings for
// both coordinate systems (ringsFault, with a kit of primitives: the
// geographic one is in geoshape_geodesic.go), made with the primitives the
// module's geometry library (Boost.Geometry's cartesian strategies)
// decides them with:
//
//   - two coordinates are equal when they differ by at most DBL_EPSILON
//     times the larger magnitude (at least 1): math::equals;
//   - a point's side of a segment is the sign of a 2×2 determinant, taken
//     from the lexicographically smallest of the three points, and 0 when
//     it is within DBL_EPSILON times the largest difference involved (at
//     least 1): side_by_triangle;
//   - a point lies inside, on or outside a ring by the winding rule, a
//     point on a segment counting as on the ring: cartesian_winding.
//
// A general-purpose DE-9IM (simplefeatures' Relate, used here before)
// snaps every vertex closer than 512 ULPs of the largest coordinate to an
// edge onto it: a thin polygon collapses, and its faces are then labelled
// at random (POINT(10 10) was found within POLYGON((0 0, 7000000 1, 1 0,
// 0 0)), which Boost and the exact geometry place 9 units away).

const dblEpsilon = 0x1p-52

// feq is Boost's math::equals for doubles.
func feq(a, b float64) bool {
	if a == b {
		return true
	}
	if !finite(a) || !finite(b) {
		return false
	}
	return math.Abs(a-b) <= dblEpsilon*math.Max(math.Max(math.Abs(a), math.Abs(b)), 1)
}

// ptEq is Boost's point equality (cartesian_point_point): every coordinate
// equal.
func ptEq(p, q xy) bool { return feq(p.x, q.x) && feq(p.y, q.y) }

// xyLess orders points by x, then y, equal coordinates as feq says
// (compare::cartesian<less>).
func xyLess(p, q xy) bool {
	if !feq(p.x, q.x) {
		return p.x < q.x
	}
	return !feq(p.y, q.y) && p.y < q.y
}

// side is side_by_triangle: 1 when p lies left of p1 → p2, -1 right, 0 on
// its line.
func side(p1, p2, p xy) int {
	if ptEq(p1, p2) || ptEq(p1, p) || ptEq(p2, p) {
		return 0
	}
	// The determinant is taken from the lexicographically smallest point,
	// the others in cyclic order: the sign is the same, its rounding
	// independent of which point is asked about.
	a, b, c := p1, p2, p
	switch {
	case xyLess(p, p1) && xyLess(p, p2):
		a, b, c = p, p1, p2
	case xyLess(p, p1):
		a, b, c = p2, p, p1
	case !xyLess(p1, p2):
		a, b, c = p2, p, p1
	}
	dx, dy := b.x-a.x, b.y-a.y
	dpx, dpy := c.x-a.x, c.y-a.y
	s := dx*dpy - dy*dpx
	f := math.Max(math.Max(math.Max(math.Abs(dx), math.Abs(dy)), math.Max(math.Abs(dpx), math.Abs(dpy))), 1)
	switch {
	case s == 0 || (finite(s) && math.Abs(s) <= dblEpsilon*f):
		return 0
	case s > 0:
		return 1
	}
	return -1
}

// kit is what a coordinate system decides shapes' validity with: point
// equality, a point's side of an edge, a ring's orientation.
type kit struct {
	eq   func(p, q xy) bool
	side func(p1, p2, p xy) int
	ccw  func(r []xy) bool // a closed ring runs counter-clockwise

	lonWrap bool // x is a longitude: extents are taken the short way round
}

var (
	flatKit   = kit{eq: ptEq, side: side, ccw: ringIsCCW}
	sphereKit = kit{eq: sphEq, side: geoSide, ccw: func(r []xy) bool { return sphereArea(r) < 0 }, lonWrap: true}
)

// windingState is cartesian_winding's counter.
type windingState struct {
	count   int
	touches bool
}

// wind adds the segment s1 → s2 to the winding count of p; false once p is
// found on it.
func (st *windingState) wind(p, s1, s2 xy) bool {
	eq1, eq2 := feq(s1.x, p.x), feq(s2.x, p.x)
	if eq1 && eq2 {
		// A vertical segment through p's x: p is on it or it does not count.
		if (s1.y <= p.y && s2.y >= p.y) || (s2.y <= p.y && s1.y >= p.y) {
			st.touches = true
		}
		return !st.touches
	}
	var count int
	switch {
	case eq1:
		count = -1
		if s2.x > p.x {
			count = 1
		}
	case eq2:
		count = 1
		if s1.x > p.x {
			count = -1
		}
	case s1.x < p.x && s2.x > p.x:
		count = 2
	case s2.x < p.x && s1.x > p.x:
		count = -2
	}
	if count == 0 {
		return true
	}
	var sd int
	if count == 1 || count == -1 {
		se := s2
		if eq1 {
			se = s1
		}
		switch {
		case feq(p.y, se.y):
			sd = 0
		case p.y < se.y:
			sd = -count
		default:
			sd = count
		}
	} else {
		sd = side(s1, s2, p)
	}
	if sd == 0 {
		st.touches, st.count = true, 0
		return false
	}
	if sd*count > 0 {
		st.count += count
	}
	return true
}

// pointInRing is 1 when p lies inside the closed ring, 0 on it, -1
// outside.
func pointInRing(p xy, r []xy) int {
	if len(r) < 4 {
		return -1
	}
	var st windingState
	for i := 0; i+1 < len(r); i++ {
		if !st.wind(p, r[i], r[i+1]) {
			break
		}
	}
	switch {
	case st.touches:
		return 0
	case st.count == 0:
		return -1
	}
	return 1
}

// pointInPolygon is 1 when p lies in the polygon's interior, 0 on its
// boundary, -1 outside (in a hole too): point_in_geometry.
func pointInPolygon(p xy, rings [][]xy) int {
	c := pointInRing(p, rings[0])
	if c != 1 {
		return c
	}
	for _, h := range rings[1:] {
		switch pointInRing(p, h) {
		case 0:
			return 0
		case 1:
			return -1
		}
	}
	return 1
}

// segRelation is how two segments meet.
type segRelation uint8

const (
	segApart   segRelation = iota
	segTouch               // they share a point, an end of one at least
	segOverlap             // collinear, sharing a stretch
	segCross               // their interiors cross at one point
)

func segmentsMeet(a0, a1, b0, b1 xy) segRelation { return flatKit.segmentsMeet(a0, a1, b0, b1) }

func (k kit) segmentsMeet(a0, a1, b0, b1 xy) segRelation {
	side, ptEq, onSegmentInterior := k.side, k.eq, k.onSegmentInterior
	sa0, sa1 := side(b0, b1, a0), side(b0, b1, a1)
	if sa0*sa1 > 0 {
		return segApart
	}
	sb0, sb1 := side(a0, a1, b0), side(a0, a1, b1)
	if sb0*sb1 > 0 {
		return segApart
	}
	if sa0 == 0 && sa1 == 0 && sb0 == 0 && sb1 == 0 {
		// Collinear: they meet when their extents overlap, at one point
		// when only ends are shared.
		if !overlap(a0.x, a1.x, b0.x, b1.x) || !overlap(a0.y, a1.y, b0.y, b1.y) {
			return segApart
		}
		if onSegmentInterior(a0, b0, b1) || onSegmentInterior(a1, b0, b1) || onSegmentInterior(b0, a0, a1) ||
			onSegmentInterior(b1, a0, a1) || (ptEq(a0, b0) && ptEq(a1, b1)) || (ptEq(a0, b1) && ptEq(a1, b0)) {
			return segOverlap
		}
		return segTouch
	}
	if sa0*sa1 < 0 && sb0*sb1 < 0 {
		return segCross
	}
	// An endpoint on the other segment's line: on the segment itself when
	// it lies within its extent (the other's endpoints straddle the line).
	for _, c := range [...]struct {
		s    int
		p    xy
		q, r xy
	}{{sa0, a0, b0, b1}, {sa1, a1, b0, b1}, {sb0, b0, a0, a1}, {sb1, b1, a0, a1}} {
		if c.s == 0 && k.inExtent(c.p, c.q, c.r) {
			return segTouch
		}
	}
	return segApart
}

func overlap(a0, a1, b0, b1 float64) bool {
	lo, hi := math.Min(a0, a1), math.Max(a0, a1)
	return math.Max(b0, b1) >= lo && math.Min(b0, b1) <= hi ||
		feq(math.Max(b0, b1), lo) || feq(math.Min(b0, b1), hi)
}

// inExtent reports p within the bounding box of q and r (Boost's tolerance
// on each side).
func inExtent(p, q, r xy) bool {
	in := func(v, a, b float64) bool {
		lo, hi := math.Min(a, b), math.Max(a, b)
		return (v >= lo || feq(v, lo)) && (v <= hi || feq(v, hi))
	}
	return in(p.x, q.x, r.x) && in(p.y, q.y, r.y)
}

// onSegmentInterior reports p on the segment q → r, neither endpoint.
func onSegmentInterior(p, q, r xy) bool { return flatKit.onSegmentInterior(p, q, r) }

func (k kit) onSegmentInterior(p, q, r xy) bool {
	return !k.eq(p, q) && !k.eq(p, r) && k.side(q, r, p) == 0 && k.inExtent(p, q, r)
}

// inExtent reports p, on the line of q → r, between them: within their
// bounding box (for SPHERICAL, of longitudes taken the short way round).
func (k kit) inExtent(p, q, r xy) bool {
	if k.lonWrap {
		p.x, r.x = q.x+lonDelta(q.x, p.x), q.x+lonDelta(q.x, r.x)
	}
	return inExtent(p, q, r)
}

// lonDelta is the signed difference of two longitudes, in (-180, 180].
func lonDelta(from, to float64) float64 {
	d := math.Mod(to-from, 360)
	if d > 180 {
		d -= 360
	} else if d <= -180 {
		d += 360
	}
	return d
}

// ringIsCCW reports a closed ring running counter-clockwise (a positive
// area).
func ringIsCCW(r []xy) bool { return ringArea2(r) > 0 }

// flatIntersects reports two polygons sharing a point, boundaries
// included: their boundaries meet, or a ring of one lies in the other.
func flatIntersects(a, b [][]xy) bool {
	for _, ra := range a {
		for i := 0; i+1 < len(ra); i++ {
			for _, rb := range b {
				for j := 0; j+1 < len(rb); j++ {
					if segmentsMeet(ra[i], ra[i+1], rb[j], rb[j+1]) != segApart {
						return true
					}
				}
			}
		}
	}
	for _, ra := range a {
		if pointInPolygon(ra[0], b) >= 0 {
			return true
		}
	}
	for _, rb := range b {
		if pointInPolygon(rb[0], a) >= 0 {
			return true
		}
	}
	return false
}

// flatWithin reports polygon a within polygon b: no point of a outside b
// (b's boundary is b's), and a's interior meets b's.
//
// a's boundary is cut where b's vertices touch it; every piece must lie in
// b or on its boundary, none may cross b's boundary. A piece along b's
// boundary must have a's interior on the side b's interior is (else a's
// interior lies outside b there: a hole of b that a fills, a polygon
// beside b). No piece of b's boundary may lie inside a (a hole of b in
// a's interior). Then a's interior meets b's: beside a piece inside b, or
// on the common side of a piece along b's boundary.
func flatWithin(a, b [][]xy) bool {
	if !boundaryInside(a, b, true) {
		return false
	}
	return boundaryInside(b, a, false)
}

// boundaryInside checks the pieces of a's boundary against b: with
// within, each must lie in b or on its boundary (on the side of b's
// interior); without, none may lie in b's interior.
func boundaryInside(a, b [][]xy, within bool) bool {
	var cuts []xy
	for ia, ra := range a {
		leftA := ringIsCCW(ra) == (ia == 0) // a's interior on the left of ra's edges
		for i := 0; i+1 < len(ra); i++ {
			p, q := ra[i], ra[i+1]
			if ptEq(p, q) {
				continue
			}
			cuts = append(cuts[:0], p, q)
			for _, rb := range b {
				for j := 0; j+1 < len(rb); j++ {
					if within && segmentsMeet(p, q, rb[j], rb[j+1]) == segCross {
						return false
					}
					if onSegmentInterior(rb[j], p, q) {
						cuts = append(cuts, rb[j])
					}
				}
			}
			if len(cuts) > 2 {
				// In order from p, by the coordinate the edge runs along
				// most, compared as it is (a distance from p would round:
				// 1e16 - 1 is 1e16).
				key := func(v xy) float64 { return v.x }
				if math.Abs(q.y-p.y) > math.Abs(q.x-p.x) {
					key = func(v xy) float64 { return v.y }
				}
				dir := 1
				if key(q) < key(p) {
					dir = -1
				}
				slices.SortFunc(cuts[1:], func(u, v xy) int { return dir * cmp.Compare(key(u), key(v)) })
			}
			if c := pointInPolygon(p, b); (within && c < 0) || (!within && c > 0) {
				return false
			}
			for k := 0; k+1 < len(cuts); k++ {
				// A piece along an edge of b is on b's boundary: told by
				// its ends (input coordinates), not by its midpoint, whose
				// rounding may leave the edge's line.
				leftB, along := alongEdge(cuts[k], cuts[k+1], b)
				if along {
					if within && leftA != leftB {
						return false
					}
					continue
				}
				m := xy{(cuts[k].x + cuts[k+1].x) / 2, (cuts[k].y + cuts[k+1].y) / 2}
				c := pointInPolygon(m, b)
				if (within && c < 0) || (!within && c > 0) {
					return false
				}
			}
		}
	}
	return true
}

// alongEdge reports a piece p → q lying along an edge of b (both its ends
// on the edge), and then whether b's interior is on the piece's left.
func alongEdge(p, q xy, b [][]xy) (leftB, along bool) {
	for ib, rb := range b {
		for j := 0; j+1 < len(rb); j++ {
			s, t := rb[j], rb[j+1]
			if ptEq(s, t) || !onSegment(p, s, t) || !onSegment(q, s, t) {
				continue
			}
			leftB = ringIsCCW(rb) == (ib == 0)
			if (q.x-p.x)*(t.x-s.x)+(q.y-p.y)*(t.y-s.y) < 0 {
				leftB = !leftB // the edges run opposite ways
			}
			return leftB, true
		}
	}
	return false, false
}

// planarFault is the fault bg::is_valid finds across a polygon's edges
// once its rings passed their own checks (checkRings), in Boost's order,
// "" when none:
//
//  1. invalid self-intersections: two edges of one ring meet (other than
//     consecutive ones at their common vertex), edges of two rings cross or
//     run along each other, or two rings touch at a point where the
//     polygon's outside of one (outside the shell, inside a hole) meets the
//     other's;
//  2. interior rings outside the outer boundary: a hole that does not touch
//     the shell whose first point is not in it or on it;
//  3. nested interior rings: of two holes that touch nothing, one inside
//     the other;
//  4. disconnected interior: the rings and the points where they touch
//     make a cycle.
//
// Without crosses, faults of the first kind are not looked for (see
// initSphere).
func planarFault(rings [][]xy, crosses bool) string {
	return ringsFault(flatKit, rings, crosses, func(p xy, i int) int { return pointInRing(p, rings[i]) })
}

// ringsFault is planarFault with a coordinate system's primitives, and
// inRing placing a point in ring i (1 inside, 0 on it, -1 outside).
func ringsFault(k kit, rings [][]xy, crosses bool, inRing func(p xy, i int) int) string {
	rs := make([]pRing, len(rings))
	var edges []pEdge
	for i, r := range rings {
		rs[i] = newPRing(k, r, i == 0)
		for k := range rs[i].v {
			edges = append(edges, pEdge{ring: i, k: k, rs: &rs[i]})
		}
	}
	// Sweep the edges: only those whose ranges meet can meet. FLAT: their
	// x ranges; SPHERICAL: their latitudes (longitudes wrap), then their
	// bounds.
	for i := range edges {
		e := &edges[i]
		p, q := e.ends()
		if k.lonWrap {
			e.rect = geodesicBound(p, q)
			e.lo, e.hi = e.rect.Lat.Lo, e.rect.Lat.Hi
		} else {
			e.lo, e.hi = math.Min(p.x, q.x), math.Max(p.x, q.x)
		}
	}
	slices.SortFunc(edges, func(a, b pEdge) int { return cmp.Compare(a.lo, b.lo) })
	type touch struct {
		p    xy
		i, j int
	}
	var touches []touch
	cross := false
	for a := range edges {
		ea := &edges[a]
		p0, p1 := ea.ends()
		for b := a + 1; b < len(edges) && (edges[b].lo <= ea.hi || feq(edges[b].lo, ea.hi)); b++ {
			eb := &edges[b]
			if k.lonWrap && !ea.rect.Intersects(eb.rect) {
				continue
			}
			q0, q1 := eb.ends()
			rel := k.segmentsMeet(p0, p1, q0, q1)
			if rel == segApart {
				continue
			}
			if ea.ring == eb.ring {
				if !ea.rs.adjacent(ea.k, eb.k) || rel == segOverlap {
					cross = true
				}
				continue
			}
			if rel != segTouch {
				cross = true
				continue
			}
			// The point where they touch: an end of one on the other.
			var p xy
			switch {
			case k.onSegment(p0, q0, q1):
				p = p0
			case k.onSegment(p1, q0, q1):
				p = p1
			case k.onSegment(q0, p0, p1):
				p = q0
			default:
				p = q1
			}
			if !ea.rs.touchAllowed(p, eb.rs) {
				cross = true
				continue
			}
			touches = append(touches, touch{p, ea.ring, eb.ring})
		}
	}
	if cross {
		if crosses {
			return invalidSelfCross
		}
		return ""
	}
	touchesShell := make([]bool, len(rings))
	touchesAny := make([]bool, len(rings))
	for _, t := range touches {
		touchesAny[t.i], touchesAny[t.j] = true, true
		if t.i == 0 || t.j == 0 {
			touchesShell[t.i], touchesShell[t.j] = true, true
		}
	}
	for i := 1; i < len(rings); i++ {
		if !touchesShell[i] && inRing(rings[i][0], 0) < 0 {
			return invalidHoleOutside
		}
	}
	for i := 1; i < len(rings); i++ {
		for j := i + 1; j < len(rings); j++ {
			if touchesAny[i] || touchesAny[j] {
				continue
			}
			if inRing(rings[i][0], j) >= 0 || inRing(rings[j][0], i) >= 0 {
				return invalidNestedHoles
			}
		}
	}
	// The graph: a node per ring, one per distinct touching point, an edge
	// from a point to each ring touching there; a cycle disconnects.
	parent := make([]int, len(rings))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var pts []xy
	linked := map[[2]int]bool{}
	link := func(ring, pt int) bool {
		if linked[[2]int{ring, pt}] {
			return true
		}
		linked[[2]int{ring, pt}] = true
		a, b := find(ring), find(len(rings)+pt)
		if a == b {
			return false
		}
		parent[a] = b
		return true
	}
	for _, t := range touches {
		n := slices.IndexFunc(pts, func(q xy) bool { return k.eq(q, t.p) })
		if n < 0 {
			n = len(pts)
			pts = append(pts, t.p)
			parent = append(parent, len(parent))
		}
		if !link(t.i, n) || !link(t.j, n) {
			return invalidDisconnected
		}
	}
	return ""
}

func onSegment(p, q, r xy) bool { return flatKit.onSegment(p, q, r) }

func (k kit) onSegment(p, q, r xy) bool { return k.side(q, r, p) == 0 && k.inExtent(p, q, r) }

// pRing is a ring for validation: its distinct vertices (consecutive
// duplicates dropped, not closed), and the side of its edges where the
// polygon's interior lies.
type pRing struct {
	k          kit
	v          []xy
	insideLeft bool
}

func newPRing(k kit, r []xy, shell bool) pRing {
	v := make([]xy, 0, len(r))
	for _, p := range r[:len(r)-1] {
		if len(v) == 0 || !k.eq(v[len(v)-1], p) {
			v = append(v, p)
		}
	}
	for len(v) > 1 && k.eq(v[0], v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	return pRing{k: k, v: v, insideLeft: k.ccw(r) == shell}
}

func (r *pRing) adjacent(a, b int) bool {
	n := len(r.v)
	return (a+1)%n == b || (b+1)%n == a
}

// around is the vertex before and after p along the ring: p's neighbours
// when it is a vertex, the ends of the edge it lies on otherwise.
func (r *pRing) around(p xy) (xy, xy, bool) {
	n := len(r.v)
	for k, v := range r.v {
		if r.k.eq(v, p) {
			return r.v[(k+n-1)%n], r.v[(k+1)%n], true
		}
	}
	for k, v := range r.v {
		if w := r.v[(k+1)%n]; r.k.onSegment(p, v, w) {
			return v, w, true
		}
	}
	return xy{}, xy{}, false
}

// outsideHas reports the ray p → d in the polygon's outside as this ring
// bounds it near p (the sector right of a → p → b when the interior is on
// the left), strictly.
func (r *pRing) outsideHas(a, p, b, d xy) bool {
	// The sector is swept counter-clockwise from ray u to ray w.
	u, w := b, a // left of a → p → b: from p→b counter-clockwise to p→a
	if r.insideLeft {
		u, w = a, b
	}
	su, sw := r.k.side(p, u, d), r.k.side(p, w, d) // 1: d left of the ray
	if r.k.side(p, u, w) > 0 {                     // a sector under a half-turn
		return su > 0 && sw < 0
	}
	return !(su <= 0 && sw >= 0)
}

// touchAllowed reports two rings touching at p as a polygon's rings may:
// neither ring's edges at p enter the other's outside.
func (r *pRing) touchAllowed(p xy, o *pRing) bool {
	a, b, ok1 := r.around(p)
	c, d, ok2 := o.around(p)
	if !ok1 || !ok2 {
		return false
	}
	return !r.outsideHas(a, p, b, c) && !r.outsideHas(a, p, b, d) &&
		!o.outsideHas(c, p, d, a) && !o.outsideHas(c, p, d, b)
}

// pEdge is edge k of a validation ring (from vertex k to the next).
type pEdge struct {
	ring, k int
	rs      *pRing
	lo, hi  float64 // the sweep's range: x, or latitude (radians)
	rect    s2.Rect // SPHERICAL: the edge's bound
}

func (e *pEdge) ends() (xy, xy) { return e.rs.v[e.k], e.rs.v[(e.k+1)%len(e.rs.v)] }
