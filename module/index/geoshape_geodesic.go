package index

import (
	"math"

	"github.com/golang/geo/s2"
)

// SPHERICAL validity primitives, as the module's geometry library decides
// them for geographic<degree> points (Boost's default geographic
// strategies, WGS84):
//
//   - two points are equal when their normalized coordinates are
//     (spherical_point_point: math::equals, the longitude in (-180, 180],
//     0 at a pole);
//   - a point's side of a geodesic is the sign of the difference of two
//     forward azimuths, both by Andoyer's inverse formula (side::geographic
//     with strategy::andoyer), 0 when they are equal or opposite within
//     math::equals;
//   - a spike is a point where the ring comes back along its geodesic
//     (direction_code for spherical coordinates).

// WGS84, srs::spheroid<double>'s default.
const (
	wgs84A = 6378137.0
	wgs84B = 6356752.3142451793
	wgs84F = (wgs84A - wgs84B) / wgs84A
)

// sphNormalize is a point's normalized longitude and latitude.
func sphNormalize(p xy) xy {
	if feq(math.Abs(p.y), 90) {
		return xy{0, p.y}
	}
	lon := math.Mod(p.x, 360)
	if lon <= -180 {
		lon += 360
	} else if lon > 180 {
		lon -= 360
	}
	return xy{lon, p.y}
}

func sphEq(p, q xy) bool { return ptEq(sphNormalize(p), sphNormalize(q)) }

// lonInRange brings a longitude beyond ±180 into range, exactly.
func lonInRange(p xy) xy {
	if p.x > 180 || p.x < -180 {
		p.x = math.Mod(p.x, 360)
		if p.x <= -180 {
			p.x += 360
		} else if p.x > 180 {
			p.x -= 360
		}
	}
	return p
}

const degToRad = math.Pi / 180

// andoyerAzimuth is the forward azimuth from (lon1, lat1) to (lon2, lat2),
// radians, by andoyer_inverse.
func andoyerAzimuth(lon1, lat1, lon2, lat2 float64) float64 {
	if feq(lon1, lon2) && feq(lat1, lat2) {
		return 0
	}
	dlon := lon2 - lon1
	sinDlon, cosDlon := math.Sincos(dlon)
	sinLat1, cosLat1 := math.Sincos(lat1)
	sinLat2, cosLat2 := math.Sincos(lat2)
	cosD := sinLat1*sinLat2 + cosLat1*cosLat2*cosDlon
	cosD = math.Max(-1, math.Min(1, cosD))
	d := math.Acos(cosD)
	sinD := math.Sin(d)
	if feq(sinD, 0) {
		if cosD >= 0 || !feq(sinLat1, 1) {
			return 0
		}
		return math.Pi
	}
	var a, u float64
	if feq(cosLat2, 0) {
		if sinLat2 < 0 {
			a = math.Pi
		}
	} else {
		m := cosLat1*(sinLat2/cosLat2) - sinLat1*cosDlon
		a = math.Atan2(sinDlon, m)
		u = (wgs84F / 2) * cosLat1 * cosLat1 * math.Sin(2*a)
	}
	var b, v float64
	if feq(cosLat1, 0) {
		if sinLat1 < 0 {
			b = math.Pi
		}
	} else {
		n := cosLat2*(sinLat1/cosLat1) - sinLat2*cosDlon
		b = math.Atan2(sinDlon, n)
		v = (wgs84F / 2) * cosLat2 * cosLat2 * math.Sin(2*b)
	}
	dA := v*(d/sinD) - u
	az := a - dA
	// normalize_azimuth: the correction does not carry the azimuth past 0
	// or ±pi.
	switch {
	case a >= 0 && dA >= 0:
		az = math.Max(az, 0)
	case a >= 0:
		az = math.Min(az, math.Pi)
	case dA <= 0:
		az = math.Min(az, 0)
	default:
		az = math.Max(az, -math.Pi)
	}
	return az
}

// geoSide is side::geographic: 1 when p lies left of the geodesic p1 → p2,
// -1 right, 0 on it.
//
// A longitude beyond ±180 is brought into range first (exactly, by
// math.Mod), as lonLatPoint does: Boost takes the sine of the longitude as
// written, which for one like 1e20 is no longer the point the text names,
// and validity must see the point the predicates (s2) see.
func geoSide(p1, p2, p xy) int {
	if sphEq(p, p1) || sphEq(p, p2) || sphEq(p1, p2) {
		return 0
	}
	p1, p2, p = lonInRange(p1), lonInRange(p2), lonInRange(p)
	a1p := andoyerAzimuth(p1.x*degToRad, p1.y*degToRad, p.x*degToRad, p.y*degToRad)
	a12 := andoyerAzimuth(p1.x*degToRad, p1.y*degToRad, p2.x*degToRad, p2.y*degToRad)
	diff := a1p - a12
	for diff > math.Pi {
		diff -= 2 * math.Pi
	}
	for diff <= -math.Pi {
		diff += 2 * math.Pi
	}
	switch {
	case feq(diff, 0) || feq(diff, math.Pi) || feq(diff, -math.Pi):
		return 0
	case diff > 0:
		return -1 // a positive azimuth difference is on the right
	}
	return 1
}

// sphereTurnsBack is direction_code < 1 for spherical coordinates, when p
// lies on the geodesic through a and b: p is at b, or back towards a.
func sphereTurnsBack(a, b, p xy) bool {
	if (feq(b.x, a.x) && feq(b.y, a.y)) || (feq(b.x, p.x) && feq(b.y, p.y)) {
		return true
	}
	pole := func(q xy) bool { return feq(90, math.Abs(q.y)) }
	sign := func(f float64) int {
		switch {
		case f > 0:
			return 1
		case f < 0:
			return -1
		}
		return 0
	}
	if pole(b) && ((pole(a) && sign(b.y) == sign(a.y)) || (pole(p) && sign(b.y) == sign(p.y))) {
		return true
	}
	latDist := func(lat1, lat2, dlon float64) (float64, bool) {
		if feq(math.Abs(dlon), 180) {
			r := lat2 + lat1
			if r >= 0 {
				return 180 - r, true
			}
			return -180 - r, true
		}
		return lat2 - lat1, false
	}
	dlon1, dlon2 := lonDelta(b.x, a.x), lonDelta(b.x, p.x) // longitude_distance_signed
	dlat1, anti1 := latDist(b.y, a.y, dlon1)
	dlat2, anti2 := latDist(b.y, p.y, dlon2)
	mx := 0.0
	if !pole(a) && !pole(b) && !pole(p) {
		m1, m2 := math.Abs(dlon1), math.Abs(dlon2)
		if anti1 {
			m1 = 0
		}
		if anti2 {
			m2 = 0
		}
		mx = math.Min(m1, m2)
	}
	my := math.Min(math.Abs(dlat1), math.Abs(dlat2))
	var s1, s2 int
	if mx >= my {
		s1, s2 = sgn1(dlon1), sgn1(dlon2)
	} else {
		s1, s2 = sgn1(dlat1), sgn1(dlat2)
	}
	return s1 == s2 // direction_code -1
}

func sgn1(f float64) int {
	if f > 0 {
		return 1
	}
	return -1
}

// sphereArea is the sign of a closed ring's area on the sphere, positive
// when it runs clockwise (as Boost's area is for the module's clockwise
// polygons), 0 only for a ring with no area at all: the sum of the signed
// areas of the triangles fanning from its first vertex.
func sphereArea(r []xy) float64 {
	if len(r) < 4 {
		return 0
	}
	o := lonLatPoint(r[0])
	s := 0.0
	for i := 1; i+2 < len(r); i++ {
		s += s2.SignedArea(o, lonLatPoint(r[i]), lonLatPoint(r[i+1]))
	}
	return -s
}

// geodesicBound bounds a geodesic edge: the bound of the great-circle arc
// between its ends, widened by 1% of its length (a geodesic on the
// ellipsoid strays from the great circle by about the flattening, 0.34%,
// of its length) and a hair.
func geodesicBound(p, q xy) s2.Rect {
	a, b := lonLatPoint(p), lonLatPoint(q)
	rb := s2.NewRectBounder()
	rb.AddPoint(a)
	rb.AddPoint(b)
	m := 0.01*float64(a.Angle(b.Vector)) + 1e-9
	r := rb.RectBound()
	return s2.Rect{Lat: r.Lat.Expanded(m), Lng: r.Lng.Expanded(m)}
}
