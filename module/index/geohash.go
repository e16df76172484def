package index

import "math"

// The module keeps a GEO field in a numeric range tree of 52-bit geohashes
// (rs_geo.c's encodeGeo), and answers a radius with the nine geohash boxes
// around the center that Redis' GEORADIUS scans (geohash.c and
// geohash_helper.c, which the module vendors). Only the shape of that
// reading is modelled here: which boxes, hence which leaves of the tree,
// a radius reads. The matches themselves are computed from distances.

// geoStepMax is GEO_STEP_MAX (52-bit hashes); mercatorMax is
// geohash_helper.c's MERCATOR_MAX. The coordinate limits are GEOADD's
// (GeoLonMin and the others, in indexer.go).
const (
	geoStepMax  = 26
	mercatorMax = 20037726.37
)

type geoHashBits struct {
	bits uint64
	step uint8
}

func (h geoHashBits) zero() bool { return h.bits == 0 && h.step == 0 }

type geoArea struct {
	latMin, latMax, lonMin, lonMax float64
}

// interleave64 puts x's bits in the even positions and y's in the odd.
func interleave64(xlo, ylo uint32) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF}
	s := [...]uint{1, 2, 4, 8, 16}
	x, y := uint64(xlo), uint64(ylo)
	for i := 4; i >= 0; i-- {
		x = (x | x<<s[i]) & b[i]
		y = (y | y<<s[i]) & b[i]
	}
	return x | y<<1
}

// deinterleave64 reverses interleave64: x in the low 32 bits, y in the high.
func deinterleave64(v uint64) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF}
	s := [...]uint{0, 1, 2, 4, 8, 16}
	x, y := v, v>>1
	for i := 0; i < 6; i++ {
		x = (x | x>>s[i]) & b[i]
		y = (y | y>>s[i]) & b[i]
	}
	return x | y<<32
}

// geohashEncode is geohashEncodeWGS84; ok is false outside the limits.
func geohashEncode(lon, lat float64, step uint8) (geoHashBits, bool) {
	if lon > GeoLonMax || lon < GeoLonMin || lat > GeoLatMax || lat < GeoLatMin {
		return geoHashBits{}, false
	}
	latOff := (lat - GeoLatMin) / (GeoLatMax - GeoLatMin)
	lonOff := (lon - GeoLonMin) / (GeoLonMax - GeoLonMin)
	latOff *= float64(uint64(1) << step)
	lonOff *= float64(uint64(1) << step)
	return geoHashBits{bits: interleave64(uint32(latOff), uint32(lonOff)), step: step}, true
}

// geohashDecode is geohashDecodeWGS84: the box a hash stands for.
func geohashDecode(h geoHashBits) geoArea {
	sep := deinterleave64(h.bits)
	latScale := GeoLatMax - GeoLatMin
	lonScale := GeoLonMax - GeoLonMin
	ilat := uint32(sep)
	ilon := uint32(sep >> 32)
	div := float64(uint64(1) << h.step)
	return geoArea{
		latMin: GeoLatMin + (float64(ilat)*1.0/div)*latScale,
		latMax: GeoLatMin + (float64(uint64(ilat)+1)*1.0/div)*latScale,
		lonMin: GeoLonMin + (float64(ilon)*1.0/div)*lonScale,
		lonMax: GeoLonMin + (float64(uint64(ilon)+1)*1.0/div)*lonScale,
	}
}

// The interleaved hash keeps longitude bits at odd positions and latitude
// bits at even ones.
const (
	geohashXBits = uint64(0xaaaaaaaaaaaaaaaa)
	geohashYBits = uint64(0x5555555555555555)
)

// geohashMove is geohash_move_x (axis geohashXBits) and geohash_move_y
// (geohashYBits): the neighbouring cell d (+1 or -1) along that axis. The
// other axis's bits fill the moving axis's gaps so that a carry crosses
// them.
func geohashMove(h *geoHashBits, d int, axis uint64) {
	other := ^axis
	moving, kept := h.bits&axis, h.bits&other
	zz := other >> (64 - uint(h.step)*2)
	if d > 0 {
		moving += zz + 1
	} else {
		moving |= zz
		moving -= zz + 1
	}
	moving &= axis >> (64 - uint(h.step)*2)
	h.bits = moving | kept
}

// geoNeighbors are a box's neighbors in geohashNeighbors' names.
type geoNeighbors struct {
	north, south, east, west, northEast, northWest, southEast, southWest geoHashBits
}

func geohashNeighbors(h geoHashBits) geoNeighbors {
	move := func(dx, dy int) geoHashBits {
		n := h
		if dx != 0 {
			geohashMove(&n, dx, geohashXBits)
		}
		if dy != 0 {
			geohashMove(&n, dy, geohashYBits)
		}
		return n
	}
	return geoNeighbors{
		east: move(1, 0), west: move(-1, 0), south: move(0, -1), north: move(0, 1),
		northWest: move(-1, 1), northEast: move(1, 1), southEast: move(1, -1), southWest: move(-1, -1),
	}
}

// geohashEstimateSteps is geohashEstimateStepsByRadius.
func geohashEstimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return geoStepMax
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	step = max(1, min(step, geoStepMax))
	return uint8(step)
}

// geoDegToRad is geohash_helper.c's D_R.
const geoDegToRad = math.Pi / 180.0

// geohashDistance is geohashGetDistance.
func geohashDistance(lon1, lat1, lon2, lat2 float64) float64 {
	lat1r, lon1r := lat1*geoDegToRad, lon1*geoDegToRad
	lat2r, lon2r := lat2*geoDegToRad, lon2*geoDegToRad
	u := math.Sin((lat2r - lat1r) / 2)
	v := math.Sin((lon2r - lon1r) / 2)
	return 2.0 * earthRadiusMeters * math.Asin(math.Sqrt(u*u+math.Cos(lat1r)*math.Cos(lat2r)*v*v))
}

// geohashAreasByRadius is geohashGetAreasByRadius: the center box and its
// eight neighbors at the estimated step (one coarser when a neighbor is
// too close to the search area's edge), the neighbors outside the search
// area's bounding box zeroed.
func geohashAreasByRadius(lon, lat, radius float64) (geoHashBits, geoNeighbors) {
	dLon := radius / earthRadiusMeters / math.Cos(lat*geoDegToRad) / geoDegToRad
	dLat := radius / earthRadiusMeters / geoDegToRad
	minLon, maxLon := lon-dLon, lon+dLon
	minLat, maxLat := lat-dLat, lat+dLat

	steps := geohashEstimateSteps(radius, lat)
	hash, _ := geohashEncode(lon, lat, steps)
	nb := geohashNeighbors(hash)
	area := geohashDecode(hash)

	north, south := geohashDecode(nb.north), geohashDecode(nb.south)
	east, west := geohashDecode(nb.east), geohashDecode(nb.west)
	decrease := geohashDistance(lon, lat, lon, north.latMax) < radius ||
		geohashDistance(lon, lat, lon, south.latMin) < radius ||
		geohashDistance(lon, lat, east.lonMax, lat) < radius ||
		geohashDistance(lon, lat, west.lonMin, lat) < radius
	if steps > 1 && decrease {
		steps--
		hash, _ = geohashEncode(lon, lat, steps)
		nb = geohashNeighbors(hash)
		area = geohashDecode(hash)
	}

	if steps >= 2 {
		if area.latMin < minLat {
			nb.south, nb.southWest, nb.southEast = geoHashBits{}, geoHashBits{}, geoHashBits{}
		}
		if area.latMax > maxLat {
			nb.north, nb.northEast, nb.northWest = geoHashBits{}, geoHashBits{}, geoHashBits{}
		}
		if area.lonMin < minLon {
			nb.west, nb.southWest, nb.northWest = geoHashBits{}, geoHashBits{}, geoHashBits{}
		}
		if area.lonMax > maxLon {
			nb.east, nb.southEast, nb.northEast = geoHashBits{}, geoHashBits{}, geoHashBits{}
		}
	}
	return hash, nb
}

func geohashAlign52(h geoHashBits) uint64 { return h.bits << (52 - uint(h.step)*2) }

// geoScoreRange is a box's range of 52-bit hashes, [min, max].
type geoScoreRange struct{ min, max float64 }

// geohashRanges is rs_geo.c's calcRanges: the nine boxes' hash ranges, in
// the order center, N, S, E, W, NE, NW, SE, SW; a zeroed box, or one equal
// to the box processed just before it, is left empty (min == max).
func geohashRanges(lon, lat, radius float64) [9]geoScoreRange {
	hash, nb := geohashAreasByRadius(lon, lat, radius)
	boxes := [9]geoHashBits{hash, nb.north, nb.south, nb.east, nb.west, nb.northEast, nb.northWest, nb.southEast, nb.southWest}
	var out [9]geoScoreRange
	last := 0
	for i, b := range boxes {
		if b.zero() {
			continue
		}
		if last != 0 && b == boxes[last] {
			continue
		}
		lo := geohashAlign52(b)
		b.bits++
		hi := geohashAlign52(b)
		out[i] = geoScoreRange{min: float64(lo), max: float64(hi)}
		last = i
	}
	return out
}

// geoHash52 is the value the module indexes for a point (encodeGeo).
func geoHash52(lon, lat float64) float64 {
	h, ok := geohashEncode(lon, lat, geoStepMax)
	if !ok {
		return 0
	}
	return float64(geohashAlign52(h))
}
