package server

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The geo commands, as Redis 7.0 implements them in geo.c: a geo key is a
// sorted set whose scores are 52-bit geohashes (geo.go). GEOADD is ZADD
// with encoded scores (its event is "zadd"); the searches look at the nine
// cells around the centre and filter by distance.

// Error replies only the geo commands give.
const (
	errGeoUnit         = "ERR unsupported unit provided. please use M, KM, FT, MI"
	errGeoRadiusNum    = "ERR need numeric radius"
	errGeoRadiusNeg    = "ERR radius cannot be negative"
	errGeoWidthNum     = "ERR need numeric width"
	errGeoHeightNum    = "ERR need numeric height"
	errGeoBoxNeg       = "ERR height or width cannot be negative"
	errGeoMember       = "ERR could not decode requested zset member"
	errGeoCount        = "ERR COUNT must be > 0"
	errGeoAnyNeedCount = "ERR the ANY argument requires COUNT argument"
)

func geoCommands(s *Server) commandGroup {
	return commandGroup{
		{"geoadd", s.cmdGeoadd, 0},
		{"geopos", s.cmdGeopos, 0},
		{"geodist", s.cmdGeodist, 0},
		{"geohash", s.cmdGeohash, 0},
		{"geosearch", s.cmdGeosearch, 0},
		{"geosearchstore", s.cmdGeosearchstore, 0},
		{"georadius", s.cmdGeoradius, 0},
		{"georadius_ro", s.cmdGeoradiusRO, 0},
		{"georadiusbymember", s.cmdGeoradiusbymember, 0},
		{"georadiusbymember_ro", s.cmdGeoradiusbymemberRO, 0},
	}
}

// errGeoPair is extractLongLatOrReply's error, the coordinates as %f.
func errGeoPair(lon, lat float64) string {
	return "ERR invalid longitude,latitude pair " + formatCFloat(lon) + "," + formatCFloat(lat)
}

// parseLonLat reads a longitude and a latitude and checks their limits.
func parseLonLat(lonArg, latArg []byte) (lon, lat float64, errMsg string) {
	lon, ok := parseScore(lonArg)
	if !ok {
		return 0, 0, ErrNotFloat
	}
	lat, ok = parseScore(latArg)
	if !ok {
		return 0, 0, ErrNotFloat
	}
	if lon < geoLongMin || lon > geoLongMax || lat < geoLatMin || lat > geoLatMax {
		return 0, 0, errGeoPair(lon, lat)
	}
	return lon, lat, ""
}

// geoUnit is meters per unit, or 0 and an error.
func geoUnit(u []byte) (float64, string) {
	switch {
	case resp.EqualFold(u, "m"):
		return 1, ""
	case resp.EqualFold(u, "km"):
		return 1000, ""
	case resp.EqualFold(u, "ft"):
		return 0.3048, ""
	case resp.EqualFold(u, "mi"):
		return 1609.34, ""
	}
	return 0, errGeoUnit
}

// parseGeoRadius reads "radius unit" into the shape.
func parseGeoRadius(sh *geoShape, radius, unit []byte) string {
	r, ok := parseScore(radius)
	if !ok {
		return errGeoRadiusNum
	}
	if r < 0 {
		return errGeoRadiusNeg
	}
	conv, msg := geoUnit(unit)
	if msg != "" {
		return msg
	}
	sh.box, sh.radius, sh.conv = false, r, conv
	return ""
}

// parseGeoBox reads "width height unit" into the shape.
func parseGeoBox(sh *geoShape, width, height, unit []byte) string {
	w, ok := parseScore(width)
	if !ok {
		return errGeoWidthNum
	}
	h, ok := parseScore(height)
	if !ok {
		return errGeoHeightNum
	}
	if h < 0 || w < 0 {
		return errGeoBoxNeg
	}
	conv, msg := geoUnit(unit)
	if msg != "" {
		return msg
	}
	sh.box, sh.width, sh.height, sh.conv = true, w, h, conv
	return ""
}

// GEOADD key [NX|XX] [CH] longitude latitude member [...] is ZADD with the
// positions' scores.
func (s *Server) cmdGeoadd(c *Ctx, args [][]byte) {
	var f zaddFlags
	at := 2
loop:
	for ; at < len(args); at++ {
		switch {
		case resp.EqualFold(args[at], "nx"):
			f.nx = true
		case resp.EqualFold(args[at], "xx"):
			f.xx = true
		case resp.EqualFold(args[at], "ch"):
			f.ch = true
		default:
			break loop
		}
	}
	rest := args[at:]
	if len(rest)%3 != 0 || len(rest) == 0 || (f.nx && f.xx) {
		c.W.Error(ErrSyntax)
		return
	}
	pairs := make([][]byte, 0, len(rest)/3*2)
	for i := 0; i < len(rest); i += 3 {
		lon, lat, msg := parseLonLat(rest[i], rest[i+1])
		if msg != "" {
			c.W.Error(msg)
			return
		}
		h, _ := geohashEncode(geoLongRange, geoLatRange, lon, lat, geoStepMax)
		pairs = append(pairs, strconv.AppendUint(nil, h.bits, 10), rest[i+2])
	}
	s.zadd(c, args[1], pairs, f)
}

// geoLookupRead is the zset at key for a geo read: nil if missing, ok
// false after a WRONGTYPE reply.
func geoLookupRead(c *Ctx, key []byte) (*ZSet, bool) {
	e, ok := zsetLookupRead(c, key)
	if !ok || e == nil {
		return nil, ok
	}
	return e.zset(), true
}

// writeHumanDouble is addReplyHumanLongDouble: a bulk string in RESP2, a
// double in RESP3.
func writeHumanDouble(w *resp.Writer, f float64) {
	s := formatHumanDouble(f)
	if w.Resp3() {
		w.RawString("," + s + "\r\n")
		return
	}
	w.BulkString(s)
}

// writeDistance is addReplyDoubleDistance: 4 decimals as a bulk string.
func writeDistance(w *resp.Writer, d float64) { w.BulkString(formatDistance(d)) }

// formatDistance is redis-server 7.0.15's fixedpoint_d2string(d, 4): d·10⁴
// rounded to an integer (half to even, after the product's own rounding),
// written with the point 4 digits from the right. It differs from %.4f
// when the product rounds up to a half: 25310306.530549999 gives
// "25310306.5306" (checked against redis-server), %.4f "…5305".
func formatDistance(d float64) string {
	if d == 0 {
		return "0.0000"
	}
	v := math.RoundToEven(d * 10000)
	neg := v < 0
	if neg {
		v = -v
	}
	n := uint64(v)
	s := strconv.FormatUint(n/10000, 10) + "." + fmt.Sprintf("%04d", n%10000)
	if neg {
		s = "-" + s
	}
	return s
}

// GEOPOS key [member ...]
func (s *Server) cmdGeopos(c *Ctx, args [][]byte) {
	z, ok := geoLookupRead(c, args[1])
	if !ok {
		return
	}
	c.W.Array(len(args) - 2)
	for _, m := range args[2:] {
		var score float64
		found := false
		if z != nil {
			score, found = z.Score(string(m))
		}
		if !found {
			c.W.NullArray()
			continue
		}
		lon, lat := geoDecodeScore(score)
		c.W.Array(2)
		writeHumanDouble(c.W, lon)
		writeHumanDouble(c.W, lat)
	}
}

// GEODIST key member1 member2 [M|KM|FT|MI]
func (s *Server) cmdGeodist(c *Ctx, args [][]byte) {
	conv := 1.0
	if len(args) == 5 {
		var msg string
		if conv, msg = geoUnit(args[4]); msg != "" {
			c.W.Error(msg)
			return
		}
	} else if len(args) > 5 {
		c.W.Error(ErrSyntax)
		return
	}
	z, ok := geoLookupRead(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.W.Null()
		return
	}
	s1, ok1 := z.Score(string(args[2]))
	s2, ok2 := z.Score(string(args[3]))
	if !ok1 || !ok2 {
		c.W.Null()
		return
	}
	lon1, lat1 := geoDecodeScore(s1)
	lon2, lat2 := geoDecodeScore(s2)
	writeDistance(c.W, geoDistance(lon1, lat1, lon2, lat2)/conv)
}

// GEOHASH key [member ...]
func (s *Server) cmdGeohash(c *Ctx, args [][]byte) {
	z, ok := geoLookupRead(c, args[1])
	if !ok {
		return
	}
	c.W.Array(len(args) - 2)
	for _, m := range args[2:] {
		var score float64
		found := false
		if z != nil {
			score, found = z.Score(string(m))
		}
		if !found {
			c.W.Null()
			continue
		}
		c.W.BulkString(geohashString(score))
	}
}

// The kinds of search georadiusGeneric serves.
const (
	geoByCoords    = 1 << iota // GEORADIUS: centre from the arguments
	geoByMember                // GEORADIUSBYMEMBER: centre at a member
	geoNoStore                 // the _RO forms
	geoSearchCmd               // GEOSEARCH's options
	geoSearchStore             // GEOSEARCHSTORE: destination first
)

const (
	geoSortNone = iota
	geoSortAsc
	geoSortDesc
)

// geoQuery is a parsed search.
type geoQuery struct {
	shape                         geoShape
	withDist, withHash, withCoord bool
	any                           bool
	sort                          int
	count                         int64
	store                         []byte // destination, or nil
	storeDist                     bool
	fromMember, fromLoc, byRadius bool
	byBox                         bool
	name                          string
	baseArgs                      int
}

// parseGeoQuery reads a search's arguments in georadiusGeneric's order,
// answering the first error Redis would. member finds a member's
// position in the source (not called when the source is missing).
func parseGeoQuery(args [][]byte, flags int, name string, srcMissing bool,
	member func(m []byte) (lon, lat float64, ok bool)) (q geoQuery, errMsg string) {
	q.name = name
	sh := &q.shape
	switch {
	case flags&geoByCoords != 0:
		q.baseArgs = 6
		lon, lat, msg := parseLonLat(args[2], args[3])
		if msg != "" {
			return q, msg
		}
		sh.lon, sh.lat = lon, lat
		if msg := parseGeoRadius(sh, args[4], args[5]); msg != "" {
			return q, msg
		}
	case flags&geoByMember != 0 && srcMissing:
		q.baseArgs = 5
	case flags&geoByMember != 0:
		q.baseArgs = 5
		lon, lat, ok := member(args[2])
		if !ok {
			return q, errGeoMember
		}
		sh.lon, sh.lat = lon, lat
		if msg := parseGeoRadius(sh, args[3], args[4]); msg != "" {
			return q, msg
		}
	default:
		q.baseArgs = 2
		if flags&geoSearchStore != 0 {
			q.baseArgs = 3
			q.store = args[1]
		}
	}
	search := flags&geoSearchCmd != 0
	storeOK := flags&geoNoStore == 0 && !search
	opts := args[q.baseArgs:]
	n := len(opts)
	for i := 0; i < n; i++ {
		a := opts[i]
		switch {
		case resp.EqualFold(a, "withdist"):
			q.withDist = true
		case resp.EqualFold(a, "withhash"):
			q.withHash = true
		case resp.EqualFold(a, "withcoord"):
			q.withCoord = true
		case resp.EqualFold(a, "any"):
			q.any = true
		case resp.EqualFold(a, "asc"):
			q.sort = geoSortAsc
		case resp.EqualFold(a, "desc"):
			q.sort = geoSortDesc
		case resp.EqualFold(a, "count") && i+1 < n:
			v, ok := resp.ParseInt(opts[i+1])
			if !ok {
				return q, ErrNotInteger
			}
			if v <= 0 {
				return q, errGeoCount
			}
			q.count = v
			i++
		case resp.EqualFold(a, "store") && i+1 < n && storeOK:
			q.store, q.storeDist = opts[i+1], false
			i++
		case resp.EqualFold(a, "storedist") && i+1 < n && storeOK:
			q.store, q.storeDist = opts[i+1], true
			i++
		case resp.EqualFold(a, "storedist") && search && flags&geoSearchStore != 0:
			q.storeDist = true
		case resp.EqualFold(a, "frommember") && i+1 < n && search && !q.fromLoc:
			if !srcMissing {
				lon, lat, ok := member(opts[i+1])
				if !ok {
					return q, errGeoMember
				}
				sh.lon, sh.lat = lon, lat
			}
			q.fromMember = true
			i++
		case resp.EqualFold(a, "fromlonlat") && i+2 < n && search && !q.fromMember:
			lon, lat, msg := parseLonLat(opts[i+1], opts[i+2])
			if msg != "" {
				return q, msg
			}
			sh.lon, sh.lat = lon, lat
			q.fromLoc = true
			i += 2
		case resp.EqualFold(a, "byradius") && i+2 < n && search && !q.byBox:
			if msg := parseGeoRadius(sh, opts[i+1], opts[i+2]); msg != "" {
				return q, msg
			}
			q.byRadius = true
			i += 2
		case resp.EqualFold(a, "bybox") && i+3 < n && search && !q.byRadius:
			if msg := parseGeoBox(sh, opts[i+1], opts[i+2], opts[i+3]); msg != "" {
				return q, msg
			}
			q.byBox = true
			i += 3
		default:
			return q, ErrSyntax
		}
	}
	if q.store != nil && (q.withDist || q.withHash || q.withCoord) {
		if flags&geoSearchStore != 0 {
			return q, "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
		}
		return q, "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	}
	if search && !(q.fromMember || q.fromLoc) {
		return q, "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name
	}
	if search && !(q.byRadius || q.byBox) {
		return q, "ERR exactly one of BYRADIUS and BYBOX can be specified for " + name
	}
	if q.any && q.count == 0 {
		return q, errGeoAnyNeedCount
	}
	return q, ""
}

// georadiusKeyPositions reads GEORADIUS[BYMEMBER]'s key specs as Redis
// 7.0's getKeysUsingKeySpecs does (COMMAND GETKEYS, cluster slots): the
// source, the argument after the first STORE and the one after the first
// STOREDIST, searched from startFrom (6, or 5 BYMEMBER) to the
// next-to-last argument.
func georadiusKeyPositions(args [][]byte, startFrom int) []int {
	if len(args) < 2 {
		return nil
	}
	out := []int{1}
	for _, kw := range []string{"store", "storedist"} {
		for i := startFrom; i < len(args)-1; i++ {
			if resp.EqualFold(args[i], kw) {
				out = append(out, i+1)
				break
			}
		}
	}
	return out
}

// geoGeneric is georadiusGeneric: every search command.
func (s *Server) geoGeneric(c *Ctx, args [][]byte, srcIdx int, flags int, name string) {
	z, ok := geoLookupRead(c, args[srcIdx])
	if !ok {
		return
	}
	memberPos := func(m []byte) (float64, float64, bool) {
		score, found := z.Score(string(m))
		if !found {
			return 0, 0, false
		}
		lon, lat := geoDecodeScore(score)
		return lon, lat, true
	}
	q, msg := parseGeoQuery(args, flags, name, z == nil, memberPos)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	if z == nil {
		if q.store != nil {
			s.zsetStore(c, q.store, nil, "", true)
		} else {
			c.W.Array(0)
		}
		return
	}
	if q.count != 0 && q.sort == geoSortNone && !q.any {
		q.sort = geoSortAsc
	}
	limit := 0
	if q.any {
		limit = int(min(q.count, int64(z.Len())+1))
	}
	pts := geoSearch(z, &q.shape, limit)
	if len(pts) == 0 && q.store == nil {
		c.W.Array(0)
		return
	}
	returned := len(pts)
	if q.count != 0 && int64(returned) > q.count {
		returned = int(q.count)
	}
	// glibc's qsort is a stable merge sort for these sizes: equal distances
	// keep the search order.
	switch q.sort {
	case geoSortAsc:
		slices.SortStableFunc(pts, func(a, b geoPoint) int { return cmpFloat(a.dist, b.dist) })
	case geoSortDesc:
		slices.SortStableFunc(pts, func(a, b geoPoint) int { return cmpFloat(b.dist, a.dist) })
	}
	pts = pts[:returned]
	for i := range pts {
		pts[i].dist /= q.shape.conv
	}
	if q.store != nil {
		items := make([]zitem, len(pts))
		for i, p := range pts {
			items[i] = zitem{score: p.score, member: p.member}
			if q.storeDist {
				items[i].score = p.dist
			}
		}
		event := "georadiusstore"
		if flags&geoSearchCmd != 0 {
			event = "geosearchstore"
		}
		s.zsetStore(c, q.store, items, event, true)
		return
	}
	opts := 0
	for _, b := range []bool{q.withDist, q.withHash, q.withCoord} {
		if b {
			opts++
		}
	}
	w := c.W
	w.Array(len(pts))
	for _, p := range pts {
		if opts > 0 {
			w.Array(opts + 1)
		}
		w.BulkString(p.member)
		if q.withDist {
			writeDistance(w, p.dist)
		}
		if q.withHash {
			w.Int(int64(p.score))
		}
		if q.withCoord {
			w.Array(2)
			writeHumanDouble(w, p.lon)
			writeHumanDouble(w, p.lat)
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return -1
}

// GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h
// unit [ASC|DESC] [COUNT n [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
func (s *Server) cmdGeosearch(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 1, geoSearchCmd, "geosearch")
}

// GEOSEARCHSTORE dst src ... [STOREDIST]
func (s *Server) cmdGeosearchstore(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 2, geoSearchCmd|geoSearchStore, "geosearchstore")
}

func (s *Server) cmdGeoradius(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 1, geoByCoords, "georadius")
}

func (s *Server) cmdGeoradiusRO(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 1, geoByCoords|geoNoStore, "georadius_ro")
}

func (s *Server) cmdGeoradiusbymember(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 1, geoByMember, "georadiusbymember")
}

func (s *Server) cmdGeoradiusbymemberRO(c *Ctx, args [][]byte) {
	s.geoGeneric(c, args, 1, geoByMember|geoNoStore, "georadiusbymember_ro")
}
