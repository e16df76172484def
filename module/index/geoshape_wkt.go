package index

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The WKT a GEOSHAPE field reads, as the module reads it: its geometry
// library (Boost.Geometry's read_wkt, behind a test of the text's first
// three bytes) turns the text into a point or a polygon, which it then
// "corrects" (closes its rings) and validates (bg::is_valid). Every error
// is worded as the module's exception says it; the module prefixes it with
// "Error indexing geoshape: " (a document) or "Error querying geoshape
// index: " (a query).

// xy is a coordinate pair: x is the longitude of a SPHERICAL shape, y its
// latitude.
type xy struct{ x, y float64 }

// wktShape is what the reader makes of a WKT text: a point, or a polygon's
// rings (the exterior first).
type wktShape struct {
	point bool
	pt    xy
	rings [][]xy
}

// wktTokens splits a text as the reader's tokenizer does: spaces separate
// tokens and are dropped, ',', '(' and ')' are tokens of their own, every
// other byte (tabs and newlines too) belongs to a token.
func wktTokens(s string) []string {
	var toks []string
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == ',' || c == '(' || c == ')' {
			if start >= 0 {
				toks = append(toks, s[start:i])
				start = -1
			}
			if c != ' ' {
				toks = append(toks, s[i:i+1])
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		toks = append(toks, s[start:])
	}
	return toks
}

// wktError is one of the reader's exceptions, whose text is its what().
type wktError string

func (e wktError) Error() string { return string(e) }

// wktReader walks the tokens of one text.
type wktReader struct {
	wkt  string
	toks []string
	i    int
}

func (r *wktReader) end() bool { return r.i >= len(r.toks) }

func (r *wktReader) is(tok string) bool { return !r.end() && r.toks[r.i] == tok }

// fail is the reader's exception with the token it stopped at: "msg at
// 'tok' in 'wkt'" (the text cut at 100 bytes).
func (r *wktReader) fail(msg string) error {
	s := msg
	if !r.end() {
		s += " at '" + r.toks[r.i] + "'"
	}
	return wktError(s + " in '" + cut100(r.wkt) + "'")
}

// failNoToken is the other form of the exception, whose quotes do not
// pair: "msg' in (wkt)".
func (r *wktReader) failNoToken(msg string) error {
	return wktError(msg + "' in (" + cut100(r.wkt) + ")")
}

func cut100(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}

func (r *wktReader) open() error {
	if !r.is("(") {
		return r.fail("Expected '('")
	}
	r.i++
	return nil
}

func (r *wktReader) close() error {
	if !r.is(")") {
		return r.fail("Expected ')'")
	}
	r.i++
	return nil
}

// coordinates reads a point's two coordinates: a coordinate missing before
// a ',' or a ')' (or the end) is 0, and neither the ',' nor the ')' is
// consumed.
func (r *wktReader) coordinates() (xy, error) {
	var v [2]float64
	for d := range v {
		if r.end() || r.is(",") || r.is(")") {
			continue
		}
		f, ok := lexicalCastDouble(r.toks[r.i])
		if !ok {
			return xy{}, r.fail("bad lexical cast: source type value could not be interpreted as target")
		}
		v[d] = f
		r.i++
	}
	return xy{v[0], v[1]}, nil
}

// ring reads "(x y, x y …)": points until a ')', each optionally followed
// by a ','.
func (r *wktReader) ring() ([]xy, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	var pts []xy
	for !r.end() && !r.is(")") {
		p, err := r.coordinates()
		if err != nil {
			return nil, err
		}
		pts = append(pts, p)
		if r.is(",") {
			r.i++
		}
	}
	return pts, r.close()
}

// start checks the geometry's name (any case) and reads the Z, M and EMPTY
// words that may follow it; false when the geometry is EMPTY.
func (r *wktReader) start(name string) (bool, error) {
	if r.end() || !strings.EqualFold(r.toks[r.i], name) {
		return false, r.failNoToken("Should start with '" + name + "'")
	}
	r.i++
	empty, z := false, false
	for !r.end() {
		switch t := r.toks[r.i]; {
		case strings.EqualFold(t, "M"):
		case strings.EqualFold(t, "Z"), strings.EqualFold(t, "MZ"), strings.EqualFold(t, "ZM"):
			z = true
		case strings.EqualFold(t, "EMPTY"):
			empty = true
		default:
			goto done
		}
		r.i++
	}
done:
	if z {
		return false, r.failNoToken("Z only allowed for 3 or more dimensions")
	}
	return !empty, nil
}

// parseWKT reads a GEOSHAPE value: "POI…" is read as a POINT, "POL…" as a
// POLYGON (case-sensitive prefixes, as the module tests them), anything
// else is refused.
func parseWKT(s string) (*wktShape, error) {
	switch {
	case strings.HasPrefix(s, "POI"):
		return parseWKTPoint(s)
	case strings.HasPrefix(s, "POL"):
		return parseWKTPolygon(s)
	}
	return nil, wktError("unknown geometry type")
}

func parseWKTPoint(s string) (*wktShape, error) {
	r := &wktReader{wkt: s, toks: wktTokens(s)}
	sh := &wktShape{point: true}
	ok, err := r.start("POINT")
	if err != nil {
		return nil, err
	}
	if ok {
		if err := r.open(); err != nil {
			return nil, err
		}
		if sh.pt, err = r.coordinates(); err != nil {
			return nil, err
		}
		if err := r.close(); err != nil {
			return nil, err
		}
	}
	if !r.end() {
		return nil, r.fail("Too many tokens")
	}
	return sh, nil
}

func parseWKTPolygon(s string) (*wktShape, error) {
	r := &wktReader{wkt: s, toks: wktTokens(s)}
	sh := &wktShape{}
	ok, err := r.start("POLYGON")
	if err != nil {
		return nil, err
	}
	if ok {
		if err := r.open(); err != nil {
			return nil, err
		}
		for !r.end() && !r.is(")") {
			ring, err := r.ring()
			if err != nil {
				return nil, err
			}
			sh.rings = append(sh.rings, ring)
			if r.is(",") {
				r.i++
			}
		}
		if err := r.close(); err != nil {
			return nil, err
		}
	}
	if !r.end() {
		return nil, r.fail("Too many tokens")
	}
	if len(sh.rings) == 0 {
		sh.rings = [][]xy{nil} // an exterior ring, empty
	}
	return sh, nil
}

// lexicalCastDouble converts a token as boost::lexical_cast<double> does:
// the whole token must be a decimal number (sign, digits, point, exponent)
// or inf, infinity or nan (any case, signed); a number out of double's
// range is refused, one that underflows is 0 or subnormal.
func lexicalCastDouble(t string) (float64, bool) {
	body := t
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if t[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	i, digits := 0, 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
		digits++
	}
	if i < len(body) && body[i] == '.' {
		i++
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			i++
		}
		exp := 0
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !math.IsInf(f, 0) {
			return f, true // underflow
		}
		return 0, false
	}
	return f, true
}

// correct closes each ring that does not end where it starts and turns
// the rings as bg::correct does for the module's clockwise polygons: the
// shell clockwise, the holes counter-clockwise (by the sign of their area,
// ringArea; a ring of no area stays as it is). The predicates do not
// depend on it, but the order in which is_valid meets a ring's faults
// does.
func (sh *wktShape) correct(cs CoordSystem) {
	for i, r := range sh.rings {
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
			sh.rings[i] = r
		}
		if a := ringArea(r, cs); (i == 0 && a < 0) || (i > 0 && a > 0) {
			slices.Reverse(r)
		}
	}
}

// ringArea is the sign of a closed ring's area as Boost's area strategy
// computes it, positive when clockwise: for FLAT, the cartesian strategy's
// sum of (x1 + x2)(y1 - y2), whose rounding decides a ring of almost no
// area; for SPHERICAL, the area on the sphere (sphereArea: the geographic
// area's sign, and 0 only for a ring of no area at all).
func ringArea(r []xy, cs CoordSystem) float64 {
	if cs != Flat {
		return sphereArea(r)
	}
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += (r[i].x + r[i+1].x) * (r[i].y - r[i+1].y)
	}
	return s
}

// Validity failures, as bg::is_valid words them.
const (
	invalidFewPoints    = "Geometry has too few points"
	invalidDimension    = "Geometry has wrong topological dimension"
	invalidSpikes       = "Geometry has spikes"
	invalidSelfCross    = "Geometry has invalid self-intersections"
	invalidOrientation  = "Geometry has wrong orientation"
	invalidHoleOutside  = "Geometry has interior rings defined outside the outer boundary"
	invalidNestedHoles  = "Geometry has nested interior rings"
	invalidDisconnected = "Geometry has disconnected interior"
	invalidCoordinate   = "Geometry has point(s) with invalid coordinate(s)"
)

func invalidGeometry(msg string) error { return wktError("invalid geometry: " + msg) }

// checkRings makes the checks bg::is_valid makes ring by ring, in its
// order: finite coordinates, at least four points, at least three distinct
// ones, no spike, a non-zero area. The checks across rings (crossings,
// holes) are the coordinate system's (planarFault, initSphere).
func (sh *wktShape) checkRings(cs CoordSystem) error {
	for _, r := range sh.rings {
		for _, p := range r {
			if !finite(p.x) || !finite(p.y) {
				return invalidGeometry(invalidCoordinate)
			}
		}
	}
	for _, r := range sh.rings {
		if len(r) < 4 {
			return invalidGeometry(invalidFewPoints)
		}
		distinct := 1
		for i := 1; i < len(r); i++ {
			if r[i] != r[i-1] {
				distinct++
			}
		}
		if distinct < 4 {
			return invalidGeometry(invalidDimension)
		}
		if apex, ok := spike(r, cs); ok {
			return invalidGeometry(invalidSpikes + ". A spike point was found with apex at (" + dsv(apex.x) + ", " + dsv(apex.y) + ")")
		}
		if ringArea(r, cs) == 0 {
			return invalidGeometry(invalidOrientation)
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// dsv prints a coordinate as Boost's dsv() does (an ostream's default
// six significant digits).
func dsv(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

// spike finds a vertex where a closed ring turns back on itself: going
// a → b → c along one line, c lies back towards a. The ring is read
// cyclically, consecutive duplicates skipped. Points are equal, collinear
// and turning back as Boost's strategies for the coordinate system say:
// cartesian (ptEq; side_by_triangle, within a rounding) or geographic
// (sphEq; geoSide along geodesics, sphereTurnsBack).
func spike(r []xy, cs CoordSystem) (xy, bool) {
	same, collinear := ptEq, func(a, b, c xy) bool { return side(a, b, c) == 0 }
	back := func(a, b, c xy) bool { return (b.x-a.x)*(c.x-b.x)+(b.y-a.y)*(c.y-b.y) < 0 }
	if cs == Spherical {
		// is_spike_or_equal(next, cur, prev): the side of prev from next
		// towards cur, and prev's direction seen from cur.
		same = sphEq
		collinear = func(a, b, c xy) bool { return geoSide(c, b, a) == 0 }
		back = func(a, b, c xy) bool { return sphereTurnsBack(c, b, a) }
	}
	pts := make([]xy, 0, len(r))
	for _, p := range r[:len(r)-1] {
		if len(pts) == 0 || !same(pts[len(pts)-1], p) {
			pts = append(pts, p)
		}
	}
	for len(pts) > 1 && same(pts[0], pts[len(pts)-1]) {
		pts = pts[:len(pts)-1]
	}
	n := len(pts)
	if n < 3 {
		return xy{}, false
	}
	// Boost looks at the ring's inner vertices first, its first (and
	// closing) vertex last.
	for k := 1; k <= n; k++ {
		i := k % n
		a, b, c := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
		if collinear(a, b, c) && back(a, b, c) {
			return b, true
		}
	}
	return xy{}, false
}

// cross is the z of (b−a)×(c−a).
func cross(a, b, c xy) float64 { return (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x) }

// ringArea2 is twice a closed ring's signed planar area.
func ringArea2(r []xy) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += r[i].x*r[i+1].y - r[i+1].x*r[i].y
	}
	return s
}
