package server

import (
	"bytes"
	"math"
	"testing"
)

// FuzzGeoArgs feeds the GEOSEARCH/GEOSEARCHSTORE/GEORADIUS[BYMEMBER]
// option parser any arguments, and runs each query it accepts over a set
// built from the input: nothing may panic, an accepted query has a centre
// within Redis' limits and a non-negative size with a known unit, and
// every result the nine-cell search returns lies in the shape, at most
// COUNT of them with ANY.
func FuzzGeoArgs(f *testing.F) {
	for _, s := range []string{
		"FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHDIST WITHCOORD WITHHASH",
		"FROMMEMBER a BYBOX 400 100 mi DESC COUNT 2",
		"FROMLONLAT 180 85.05112878 BYRADIUS inf m COUNT 3 ANY",
		"FROMLONLAT -180 -85.05112878 BYBOX 0 0 ft STOREDIST",
		"15 37 200 km STORE d COUNT 1 ASC",
		"a 0 km WITHDIST STOREDIST x",
		"FROMMEMBER nosuch BYRADIUS 1 km bogus",
		"FROMLONLAT 15 37 BYRADIUS 57 km",
		"FROMMEMBER b BYBOX 10 10 km",
	} {
		f.Add([]byte(s), []byte("13.361389 38.115556 a 15.087269 37.502669 b 179.9999 0 c -180 -85 d 0 0 e"))
	}
	// neighbours close enough to share the searched cells without matching
	f.Add([]byte("FROMMEMBER b BYRADIUS 0.5 km"), []byte("15.087269 37.502669 b 15.095 37.502669 n 15.087269 37.51 m"))
	f.Add([]byte("FROMMEMBER b BYBOX 1 0.2 km"), []byte("15.087269 37.502669 b 15.095 37.502669 n 15.087269 37.51 m"))
	f.Fuzz(func(t *testing.T, argLine, points []byte) {
		z := NewZSet()
		fields := bytes.Fields(points)
		for i := 0; i+2 < len(fields); i += 3 {
			if lon, lat, msg := parseLonLat(fields[i], fields[i+1]); msg == "" {
				z.Add(string(fields[i+2]), geoScore(lon, lat), 128, 64)
			}
		}
		member := func(m []byte) (float64, float64, bool) {
			score, ok := z.Score(string(m))
			if !ok {
				return 0, 0, false
			}
			lon, lat := geoDecodeScore(score)
			return lon, lat, true
		}
		opts := bytes.Split(argLine, []byte(" "))
		for _, kind := range []struct {
			flags int
			head  []string
		}{
			{geoSearchCmd, []string{"geosearch", "k"}},
			{geoSearchCmd | geoSearchStore, []string{"geosearchstore", "d", "k"}},
			{geoByCoords, []string{"georadius", "k"}},
			{geoByCoords | geoNoStore, []string{"georadius_ro", "k"}},
			{geoByMember, []string{"georadiusbymember", "k"}},
		} {
			args := make([][]byte, 0, len(kind.head)+len(opts))
			for _, h := range kind.head {
				args = append(args, []byte(h))
			}
			args = append(args, opts...)
			if len(args) < 6 && kind.flags&(geoByCoords|geoByMember) != 0 {
				continue // arity
			}
			for _, missing := range []bool{false, true} {
				q, msg := parseGeoQuery(args, kind.flags, kind.head[0], missing, member)
				if msg != "" || missing || (kind.flags&geoByMember != 0 && q.shape.conv == 0) {
					continue
				}
				sh := &q.shape
				if sh.lon < geoLongMin || sh.lon > geoLongMax || sh.lat < geoLatMin || sh.lat > geoLatMax ||
					!(sh.conv > 0) || sh.radius < 0 || sh.width < 0 || sh.height < 0 {
					t.Fatalf("%q: accepted %+v", args, q)
				}
				limit := 0
				if q.any {
					limit = int(min(q.count, int64(z.Len())+1))
				}
				pts := geoSearch(z, sh, limit)
				if limit > 0 && len(pts) > limit {
					t.Fatalf("%q: %d results over ANY %d", args, len(pts), limit)
				}
				for _, p := range pts {
					if d, ok := sh.within(p.lon, p.lat); !ok || d != p.dist || math.IsNaN(d) {
						t.Fatalf("%q: %+v is not in the shape", args, p)
					}
				}
			}
		}
	})
}
