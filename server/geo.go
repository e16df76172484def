package server

import (
	"math"
	"strconv"
	"strings"
)

// The geohash arithmetic of Redis 7.0's geo commands (geohash.c,
// geohash_helper.c): a position is a 52-bit score, 26 bits of latitude in
// the even bits and 26 bits of longitude in the odd bits, each the offset
// of the coordinate in its range as a fixed-point fraction. Every step
// below does the same float64 operations in the same order as Redis, so
// that scores, decoded cell centres, distances and search areas agree bit
// for bit (explicit float64 conversions keep Go from fusing a multiply and
// an add, which C on x86-64 does not do either).

const (
	geoStepMax    = 26
	geoLatMin     = -85.05112878
	geoLatMax     = 85.05112878
	geoLongMin    = -180.0
	geoLongMax    = 180.0
	earthRadiusM  = 6372797.560856
	mercatorMax   = 20037726.37
	geoDegToRad   = math.Pi / 180.0
	geohashLetter = "0123456789bcdefghjkmnpqrstuvwxyz"
)

type geoRange struct{ min, max float64 }

// geoHashBits is a hash of step bits per axis.
type geoHashBits struct {
	bits uint64
	step uint
}

func (h geoHashBits) zero() bool { return h.bits == 0 && h.step == 0 }

type geoArea struct {
	hash      geoHashBits
	long, lat geoRange
}

var (
	geoLongRange = geoRange{geoLongMin, geoLongMax}
	geoLatRange  = geoRange{geoLatMin, geoLatMax}
)

// spread moves the 32 bits of x to the even bits of the result.
func spread(x uint32) uint64 {
	v := uint64(x)
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	v = (v | v<<2) & 0x3333333333333333
	v = (v | v<<1) & 0x5555555555555555
	return v
}

// squash is spread's inverse: the even bits of v.
func squash(v uint64) uint32 {
	v &= 0x5555555555555555
	v = (v | v>>1) & 0x3333333333333333
	v = (v | v>>2) & 0x0F0F0F0F0F0F0F0F
	v = (v | v>>4) & 0x00FF00FF00FF00FF
	v = (v | v>>8) & 0x0000FFFF0000FFFF
	v = (v | v>>16) & 0x00000000FFFFFFFF
	return uint32(v)
}

// geohashEncode encodes a position in the ranges with step bits per axis;
// false for a position out of the ranges or of Redis' limits.
func geohashEncode(longR, latR geoRange, lon, lat float64, step uint) (geoHashBits, bool) {
	if lon > geoLongMax || lon < geoLongMin || lat > geoLatMax || lat < geoLatMin {
		return geoHashBits{}, false
	}
	if lat < latR.min || lat > latR.max || lon < longR.min || lon > longR.max {
		return geoHashBits{step: step}, false
	}
	latOff := float64((lat - latR.min) / (latR.max - latR.min))
	longOff := float64((lon - longR.min) / (longR.max - longR.min))
	latOff = float64(latOff * float64(uint64(1)<<step))
	longOff = float64(longOff * float64(uint64(1)<<step))
	return geoHashBits{bits: spread(uint32(latOff)) | spread(uint32(longOff))<<1, step: step}, true
}

// geohashDecode is the cell of a hash.
func geohashDecode(longR, latR geoRange, h geoHashBits) geoArea {
	ilat := squash(h.bits)
	ilon := squash(h.bits >> 1)
	latScale := latR.max - latR.min
	longScale := longR.max - longR.min
	div := float64(uint64(1) << h.step)
	a := geoArea{hash: h}
	a.lat.min = latR.min + float64(float64(float64(ilat)/div)*latScale)
	a.lat.max = latR.min + float64(float64((float64(ilat)+1)/div)*latScale)
	a.long.min = longR.min + float64(float64(float64(ilon)/div)*longScale)
	a.long.max = longR.min + float64(float64((float64(ilon)+1)/div)*longScale)
	return a
}

// centre is the middle of a cell, clamped to Redis' limits.
func (a *geoArea) centre() (lon, lat float64) {
	lon = (a.long.min + a.long.max) / 2
	lon = min(max(lon, geoLongMin), geoLongMax)
	lat = (a.lat.min + a.lat.max) / 2
	lat = min(max(lat, geoLatMin), geoLatMax)
	return lon, lat
}

// geoScore is the score GEOADD stores for a position (in range).
func geoScore(lon, lat float64) float64 {
	h, _ := geohashEncode(geoLongRange, geoLatRange, lon, lat, geoStepMax)
	return float64(h.bits)
}

// geoDecodeScore is a score's cell centre (decodeGeohash), the score read
// as C's (uint64_t) cast of a double compiles on x86-64 (what
// redis-server 7.0 on amd64 does with scores ZADD wrote: -1 becomes all
// ones, 1e300 zero; checked against it).
func geoDecodeScore(score float64) (lon, lat float64) {
	a := geohashDecode(geoLongRange, geoLatRange, geoHashBits{bits: cUint64(score), step: geoStepMax})
	return a.centre()
}

// cUint64 is gcc's double to uint64_t conversion on x86-64: below 2^63 a
// signed truncation (cvttsd2si), else one of the value less 2^63 with the
// top bit flipped; cvttsd2si gives 0x8000000000000000 out of range.
func cUint64(f float64) uint64 {
	const two63 = 9223372036854775808.0
	cvt := func(x float64) uint64 {
		if x >= -two63 && x < two63 {
			return uint64(int64(x))
		}
		return 1 << 63
	}
	if f < two63 {
		return cvt(f)
	}
	return cvt(f-two63) ^ 1<<63
}

// geohashString is GEOHASH's 11-character standard geohash of a score: the
// cell centre re-encoded with latitudes in ±90.
func geohashString(score float64) string {
	lon, lat := geoDecodeScore(score)
	h, _ := geohashEncode(geoRange{-180, 180}, geoRange{-90, 90}, lon, lat, geoStepMax)
	var buf [11]byte
	for i := range 11 {
		idx := 0
		if i < 10 {
			idx = int(h.bits>>(52-(i+1)*5)) & 0x1f
		}
		buf[i] = geohashLetter[idx]
	}
	return string(buf[:])
}

func degRad(a float64) float64 { return a * geoDegToRad }
func radDeg(a float64) float64 { return a / geoDegToRad }

// geoDistance is the haversine distance in meters, as redis-server 7.0.15
// computes it (geohashGetDistance with the shortcut for equal longitudes,
// checked against it: the plain formula differs in the last bits), with
// glibc's sin, cos and asin as geomath.go evaluates them.
func geoDistance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r, lon2r := degRad(lon1), degRad(lon2)
	v := geoSin((lon2r - lon1r) / 2)
	if v == 0 {
		return earthRadiusM * math.Abs(degRad(lat2)-degRad(lat1))
	}
	lat1r, lat2r := degRad(lat1), degRad(lat2)
	u := geoSin((lat2r - lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(geoCos(lat1r)*geoCos(lat2r))*v)*v)
	return 2.0 * earthRadiusM * geoAsin(math.Sqrt(a))
}

// geoShape is a search area: a circle or an axis-aligned box around a
// centre, its sizes in unit (conv meters per unit).
type geoShape struct {
	box           bool
	lon, lat      float64
	radius        float64
	width, height float64
	conv          float64
}

// within reports whether a position is in the shape, and its distance in
// meters from the centre (geoAppendIfWithinShape in 7.0).
func (s *geoShape) within(lon, lat float64) (float64, bool) {
	if !s.box {
		d := geoDistance(s.lon, s.lat, lon, lat)
		return d, d <= s.radius*s.conv
	}
	lonDist := geoDistance(lon, lat, s.lon, lat)
	latDist := geoDistance(lon, lat, lon, s.lat)
	if lonDist > s.width*s.conv/2 || latDist > s.height*s.conv/2 {
		return 0, false
	}
	return geoDistance(s.lon, s.lat, lon, lat), true
}

func geoEstimateSteps(rangeM, lat float64) uint {
	if rangeM == 0 {
		return 26
	}
	step := 1
	for rangeM < mercatorMax {
		rangeM *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint(min(max(step, 1), 26))
}

// boundingBox is [minLon, minLat, maxLon, maxLat] of the shape.
func (s *geoShape) boundingBox() [4]float64 {
	height, width := s.conv*s.radius, s.conv*s.radius
	if s.box {
		height, width = s.conv*(s.height/2), s.conv*(s.width/2)
	}
	latDelta := radDeg(height / earthRadiusM)
	top := radDeg(width / earthRadiusM / geoCos(degRad(s.lat+latDelta)))
	bottom := radDeg(width / earthRadiusM / geoCos(degRad(s.lat-latDelta)))
	if s.lat < 0 {
		return [4]float64{s.lon - bottom, s.lat - latDelta, s.lon + bottom, s.lat + latDelta}
	}
	return [4]float64{s.lon - top, s.lat - latDelta, s.lon + top, s.lat + latDelta}
}

func geoMoveX(h *geoHashBits, d int) {
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - h.step*2)
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= uint64(0xaaaaaaaaaaaaaaaa) >> (64 - h.step*2)
	h.bits = x | y
}

func geoMoveY(h *geoHashBits, d int) {
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - h.step*2)
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= uint64(0x5555555555555555) >> (64 - h.step*2)
	h.bits = x | y
}

// Neighbour indexes in the order Redis searches the nine cells.
const (
	nbCentre = iota
	nbNorth
	nbSouth
	nbEast
	nbWest
	nbNorthEast
	nbNorthWest
	nbSouthEast
	nbSouthWest
)

func geoNeighbours(h geoHashBits) [9]geoHashBits {
	var n [9]geoHashBits
	for i := range n {
		n[i] = h
	}
	move := func(i, dx, dy int) {
		if dx != 0 {
			geoMoveX(&n[i], dx)
		}
		if dy != 0 {
			geoMoveY(&n[i], dy)
		}
	}
	move(nbEast, 1, 0)
	move(nbWest, -1, 0)
	move(nbSouth, 0, -1)
	move(nbNorth, 0, 1)
	move(nbNorthWest, -1, 1)
	move(nbSouthWest, -1, -1)
	move(nbNorthEast, 1, 1)
	move(nbSouthEast, 1, -1)
	return n
}

// searchAreas is geohashCalculateAreasByShapeWGS84: the centre cell and
// its neighbours that may hold a match (a zero hash: skip).
func (s *geoShape) searchAreas() [9]geoHashBits {
	b := s.boundingBox()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	radiusM := s.radius
	if s.box {
		radiusM = math.Sqrt((s.width/2)*(s.width/2) + (s.height/2)*(s.height/2))
	}
	radiusM *= s.conv
	steps := geoEstimateSteps(radiusM, s.lat)
	hash, _ := geohashEncode(geoLongRange, geoLatRange, s.lon, s.lat, steps)
	n := geoNeighbours(hash)
	area := geohashDecode(geoLongRange, geoLatRange, hash)
	north := geohashDecode(geoLongRange, geoLatRange, n[nbNorth])
	south := geohashDecode(geoLongRange, geoLatRange, n[nbSouth])
	east := geohashDecode(geoLongRange, geoLatRange, n[nbEast])
	west := geohashDecode(geoLongRange, geoLatRange, n[nbWest])
	decrease := north.lat.max < maxLat || south.lat.min > minLat ||
		east.long.max < maxLon || west.long.min > minLon
	if steps > 1 && decrease {
		steps--
		hash, _ = geohashEncode(geoLongRange, geoLatRange, s.lon, s.lat, steps)
		n = geoNeighbours(hash)
		area = geohashDecode(geoLongRange, geoLatRange, hash)
	}
	if steps >= 2 {
		zero := func(idx ...int) {
			for _, i := range idx {
				n[i] = geoHashBits{}
			}
		}
		if area.lat.min < minLat {
			zero(nbSouth, nbSouthWest, nbSouthEast)
		}
		if area.lat.max > maxLat {
			zero(nbNorth, nbNorthEast, nbNorthWest)
		}
		if area.long.min < minLon {
			zero(nbWest, nbSouthWest, nbNorthWest)
		}
		if area.long.max > maxLon {
			zero(nbEast, nbSouthEast, nbNorthEast)
		}
	}
	return n
}

// geoPoint is a search result.
type geoPoint struct {
	member   string
	score    float64
	lon, lat float64
	dist     float64 // meters, then the unit for the reply
}

// geoSearch collects the members of z in the shape, cell by cell as
// membersOfAllNeighbors does (a cell equal to the one searched last is
// skipped); limit > 0 stops after that many (COUNT ANY).
func geoSearch(z *ZSet, s *geoShape, limit int) []geoPoint {
	var out []geoPoint
	n := s.searchAreas()
	last := 0
	for i, h := range n {
		if h.zero() {
			continue
		}
		if last != 0 && h == n[last] {
			continue
		}
		if len(out) > 0 && limit > 0 && len(out) >= limit {
			break
		}
		lo := float64(h.bits << (52 - h.step*2))
		h.bits++
		hi := float64(h.bits << (52 - h.step*2))
		z.RangeByScore(ScoreRange{Min: lo, Max: hi, MaxEx: true}, false, func(m string, score float64) bool {
			lon, lat := geoDecodeScore(score)
			if d, ok := s.within(lon, lat); ok {
				out = append(out, geoPoint{member: m, score: score, lon: lon, lat: lat, dist: d})
			}
			return !(len(out) > 0 && limit > 0 && len(out) >= limit)
		})
		last = i
	}
	return out
}

// formatHumanDouble is addReplyHumanLongDouble's text: %.17Lf of the
// value (a double here), trailing zeros and point dropped.
func formatHumanDouble(f float64) string {
	s := strconv.FormatFloat(f, 'f', 17, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatCFloat is C's %f (the coordinates of the range error).
func formatCFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}
