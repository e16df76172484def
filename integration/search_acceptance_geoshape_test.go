package integration

import (
	"fmt"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceGeoShape: GEOSHAPE fields, from the module's
// tests/pytests/test_geometry_flat.py and test_geometry_sphere.py (hashes;
// their JSON cases as hashes) and the FT.CREATE / FT.INFO / FT.EXPLAIN
// sources (spec.c parseGeometryField, info_command.c, query.c
// QueryNode_DumpSds). A document's geometry is evaluated by Boost.Geometry
// in the module; the replies below are the module tests' own, and the
// cases they leave out were computed with Boost (module/index/testdata).
func TestSearchAcceptanceGeoShape(t *testing.T) {
	const (
		small  = "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1))"
		large  = "POLYGON((1 1, 1 200, 200 200, 200 1, 1 1), (2 2, 49 2, 49 49, 2 49, 2 2))"
		large2 = "POLYGON((1 1, 1 200, 200 200, 200 1, 1 1))"
		q150   = "POLYGON((0 0, 0 150, 150 150, 150 0, 0 0))"
		q250   = "POLYGON((0 0, 0 250, 250 250, 250 0, 0 0))"

		sSmall = "POLYGON((34.9001 29.7001, 34.9001 29.7100, 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))"
		sLarge = "POLYGON((34.9001 29.7001, 34.9001 29.7200, 34.9200 29.7200, 34.9200 29.7001, 34.9001 29.7001), (34.9002 29.7002, 34.9049 29.7002, 34.9049 29.7049, 34.9002 29.7049, 34.9002 29.7002))"
		sQ150  = "POLYGON((34.9000 29.7000, 34.9000 29.7150, 34.9150 29.7150, 34.9150 29.7000, 34.9000 29.7000))"
		sQ250  = "POLYGON((34.9000 29.7000, 34.9000 29.7250, 34.9250 29.7250, 34.9250 29.7000, 34.9000 29.7000))"
		sHole  = "POLYGON((34.9050 29.7050, 34.9050 29.7099, 34.9099 29.7099, 34.9099 29.7050, 34.9050 29.7050))"
	)
	geo := func(pred, wkt string, extra ...string) []string {
		a := []string{"FT.SEARCH", "idx", "@geom:[" + pred + " $poly]", "PARAMS", "2", "poly", wkt}
		return append(append(a, extra...), "DIALECT", "3")
	}
	nc := func(pred, wkt string) []string { return geo(pred, wkt, "NOCONTENT") }
	doc := func(key, wkt string) []string { return []string{Bulk(key), Arr(Bulk("geom"), Bulk(wkt))} }
	res := func(n int, docs ...[]string) string {
		elems := []string{Int(int64(n))}
		for _, d := range docs {
			elems = append(elems, d...)
		}
		return Arr(elems...)
	}
	keys := func(k ...string) string {
		elems := []string{Int(int64(len(k)))}
		for _, x := range k {
			elems = append(elems, Bulk(x))
		}
		return Arr(elems...)
	}
	runAcceptance(t, []acceptanceCase{
		{"FLAT within and contains (testSanitySearchHashWithin)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", OK)
			s.must("HSET", "small", "geom", small, Int(1))
			s.must("HSET", "large", "geom", large, Int(1))
			s.search(geo("within", q150), res(1, doc("small", small)))
			s.search(geo("contains", q150), res(0))
			s.search(geo("within", "POLYGON((50 50, 50 99, 99 99, 99 50, 50 50))"), res(0))
			s.searchAnyOrder(nc("contains", "POLYGON((50 50, 50 99, 99 99, 99 50, 50 50))"), keys("large", "small"))
			s.searchAnyOrder(nc("within", q250), keys("large", "small"))
			s.search(geo("contains", q250), res(0))
		}},
		{"FLAT points (testSanitySearchPointWithin)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", OK)
			s.must("HSET", "point", "geom", "POINT(10 10)", Int(1))
			s.must("HSET", "small", "geom", small, Int(1))
			s.must("HSET", "large", "geom", large2, Int(1))
			if !s.inCluster() {
				// Equal scores come in document id order: the order the
				// module test expects.
				s.search(geo("within", q150), res(2, doc("point", "POINT(10 10)"), doc("small", small)))
			}
			s.searchAnyOrder(nc("within", q150), keys("point", "small"))
			s.searchAnyOrder(nc("contains", "POLYGON((2 2, 2 50, 50 50, 50 2, 2 2))"), keys("large", "small"))
			s.searchAnyOrder(nc("contains", "POINT(50 50)"), keys("large", "small"))
			s.searchAnyOrder(nc("within", q250), keys("large", "point", "small"))
			// "POINT(255, 255)" does not parse (Boost: Expected ')' at ','):
			// the document leaves the index.
			s.must("HSET", "point", "geom", "POINT(255, 255)", Int(0))
			s.searchAnyOrder(nc("within", q250), keys("large", "small"))
		}},
		{"FLAT intersects and disjoint (testSanitySearchHashIntersectsDisjoint, MOD-7126)", func(s *session) {
			wide, tall := "POLYGON((1 1, 1 200, 100 200, 100 1, 1 1))", "POLYGON((1 1, 1 100, 200 100, 200 1, 1 1))"
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", OK)
			s.must("HSET", "wide", "geom", wide, Int(1))
			s.must("HSET", "tall", "geom", tall, Int(1))
			s.searchAnyOrder(nc("intersects", wide), keys("tall", "wide"))
			s.search(nc("disjoint", wide), keys())
			s.search(geo("intersects", "POLYGON((0 101, 0 150, 150 150, 150 101, 0 101))"), res(1, doc("wide", wide)))
			s.search(geo("disjoint", "POLYGON((0 101, 0 150, 150 150, 150 101, 0 101))"), res(1, doc("tall", tall)))
			s.searchAnyOrder(nc("disjoint", "POLYGON((101 101, 101 150, 150 150, 150 101, 101 101))"), keys("tall", "wide"))
			s.must("FLUSHALL", OK)
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", OK)
			s.must("HSET", "point1", "geom", "POINT(10 10)", Int(1))
			s.must("HSET", "point2", "geom", "POINT(50 50)", Int(1))
			s.must("HSET", "triangle", "geom", "POLYGON((20 20, 25 35, 35 25, 20 20))", Int(1))
			s.must("HSET", "rectangle", "geom", "POLYGON((60 60, 65 75, 70 70, 65 55, 60 60))", Int(1))
			query := "POLYGON((15 15, 75 15, 50 70, 20 40, 15 15))"
			s.searchAnyOrder(nc("intersects", query), keys("point2", "triangle"))
			s.searchAnyOrder(nc("disjoint", query), keys("point1", "rectangle"))
		}},
		{"FLAT boundaries", func(s *session) {
			// By hand (and by Boost): a point on an edge or a vertex
			// intersects the square and is not within it; a square that
			// shares an edge intersects it; the square is within itself
			// and contains itself; nothing is within a point.
			sq := "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))"
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", OK)
			s.must("HSET", "edge", "geom", "POINT(0 5)", Int(1))
			s.must("HSET", "corner", "geom", "POINT(10 10)", Int(1))
			s.must("HSET", "inside", "geom", "POINT(5 5)", Int(1))
			s.must("HSET", "beside", "geom", "POLYGON((10 0, 10 10, 20 10, 20 0, 10 0))", Int(1))
			s.must("HSET", "same", "geom", sq, Int(1))
			s.searchAnyOrder(nc("within", sq), keys("inside", "same"))
			s.searchAnyOrder(nc("intersects", sq), keys("beside", "corner", "edge", "inside", "same"))
			s.search(nc("disjoint", sq), keys())
			s.search(nc("contains", sq), keys("same"))
			s.search(nc("within", "POINT(5 5)"), keys())
			s.search(nc("contains", "POINT(5 5)"), keys("same"))
			s.search(nc("contains", "POINT(0 5)"), keys())
			s.searchAnyOrder(nc("intersects", "POINT(10 10)"), keys("beside", "corner", "same"))
		}},
		{"SPHERICAL within and contains (test_geometry_sphere.py)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "SPHERICAL", OK)
			s.must("HSET", "small", "geom", sSmall, Int(1))
			s.must("HSET", "large", "geom", sLarge, Int(1))
			s.search(geo("within", sQ150), res(1, doc("small", sSmall)))
			s.search(geo("contains", sQ150), res(0))
			s.search(geo("within", sHole), res(0))
			s.searchAnyOrder(nc("contains", sHole), keys("large", "small"))
			s.searchAnyOrder(nc("within", sQ250), keys("large", "small"))
			s.must("HSET", "point", "geom", "POINT(34.9010 29.7010)", Int(1))
			s.searchAnyOrder(nc("contains", "POINT(34.9050 29.7050)"), keys("large", "small"))
			s.searchAnyOrder(nc("within", sQ250), keys("large", "point", "small"))
			// Edges are geodesics, which bow towards the pole: a point on
			// the parallel of the small square's bottom edge lies outside
			// it, one on the parallel of its top edge inside; a point on
			// its west edge (a meridian) is on its boundary (Boost).
			s.must("HSET", "bottom", "geom", "POINT(34.905 29.7001)", Int(1))
			s.must("HSET", "top", "geom", "POINT(34.905 29.71)", Int(1))
			s.must("HSET", "west", "geom", "POINT(34.9001 29.705)", Int(1))
			s.searchAnyOrder(nc("within", sSmall), keys("point", "small", "top"))
			s.searchAnyOrder(nc("intersects", sSmall), keys("large", "point", "small", "top", "west"))
		}},
		{"SPHERICAL MOD-7126 and the default system", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", OK)
			s.must("HSET", "point1", "geom", "POINT(34.9010 29.710)", Int(1))
			s.must("HSET", "point2", "geom", "POINT(34.9050 29.750)", Int(1))
			s.must("HSET", "triangle", "geom", "POLYGON((34.9020 29.720, 34.9025 29.735, 34.9035 29.725, 34.9020 29.720))", Int(1))
			s.must("HSET", "rectangle", "geom", "POLYGON((34.9060 29.760, 34.9065 29.775, 34.9070 29.770, 34.9065 29.755, 34.9060 29.760))", Int(1))
			query := "POLYGON((34.9015 29.715, 34.9075 29.715, 34.9050 29.770, 34.9020 29.740, 34.9015 29.715))"
			s.searchAnyOrder(nc("intersects", query), keys("point2", "triangle"))
			s.searchAnyOrder(nc("disjoint", query), keys("point1", "rectangle"))
			s.mustInfo("idx", "attributes", Arr(s.attribute(fieldAttr{name: "geom", typ: "GEOSHAPE", coords: "SPHERICAL"})))
		}},
		{"combined with other clauses (testSanitySearchJsonCombined)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", "name", "TEXT", OK)
			s.must("HSET", "p1", "geom", small, "name", "Homer", Int(2))
			s.must("HSET", "p2", "geom", "POLYGON((1 1, 1 100, 90 90, 100 1, 1 1))", "name", "Bart", Int(2))
			s.search([]string{"FT.SEARCH", "idx", "@name:(Ho*) @geom:[within $poly]", "PARAMS", "2", "poly", q150, "NOCONTENT", "DIALECT", "2"}, keys("p1"))
			s.searchAnyOrder([]string{"FT.SEARCH", "idx", "@name:Bart | @geom:[contains $p]", "PARAMS", "2", "p", "POINT(95 50)", "NOCONTENT", "DIALECT", "3"}, keys("p1", "p2"))
			s.search([]string{"FT.SEARCH", "idx", "-@geom:[contains $p]", "PARAMS", "2", "p", "POINT(95 50)", "NOCONTENT", "DIALECT", "3"}, keys("p2"))
		}},
		{"updates and deletes (testSimpleUpdate, testFieldUpdate)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "FLAT", "geom2", "GEOSHAPE", "FLAT", OK)
			k3 := "POLYGON((1 1, 1 140, 140 140, 140 1, 1 1))"
			s.must("HSET", "k1", "geom", small, Int(1))
			s.must("HSET", "k2", "geom", large2, Int(1))
			s.must("HSET", "k3", "geom", large2, "geom2", k3, Int(2))
			s.search(geo("within", q150), res(1, doc("k1", small)))
			k2 := "POLYGON((1 1, 1 120, 120 120, 120 1, 1 1))"
			s.must("HSET", "k2", "geom", k2, Int(0))
			s.searchAnyOrder(geo("within", q150), res(2, doc("k1", small), doc("k2", k2)))
			s.must("HSET", "k2", "geom", "", Int(0))
			s.search(geo("within", q150), res(1, doc("k1", small)))
			s.must("DEL", "k2", Int(1))
			s.must("DEL", "k1", Int(1))
			s.search(geo("within", q150), res(0))
			s.search(geo("contains", "POLYGON((2 2, 2 150, 150 150, 150 2, 2 2))"),
				res(1, []string{Bulk("k3"), Arr(Bulk("geom"), Bulk(large2), Bulk("geom2"), Bulk(k3))}))
			s.must("HDEL", "k3", "geom2", Int(1))
			s.search(geo("contains", "POLYGON((2 2, 2 150, 150 150, 150 2, 2 2))"), res(1, doc("k3", large2)))
			s.search([]string{"FT.SEARCH", "idx", "@geom2:[within $poly]", "PARAMS", "2", "poly", q250, "DIALECT", "3"}, res(0))
			s.must("DEL", "k3", Int(1))
			s.search(geo("contains", q150), res(0))
		}},
		{"indexing failures (testWKTIngestError)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "name", "TEXT", OK)
			last := func(key, want string) {
				if s.inCluster() {
					return // the coordinator merges the shards' errors
				}
				errs := s.pairs(s.info("idx")["Index Errors"], "Index Errors")
				if got := errs["last indexing error"].str; got != want {
					s.t.Errorf("after %s: last indexing error %q, want %q", key, got, want)
				}
			}
			for _, c := range []struct{ key, wkt, err string }{
				{"p1", "POLIKON((1 1, 1 100, 100 100, 100 1, 1 1))", "Should start with 'POLYGON'' in (POLIKON((1 1, 1 100, 100 100, 100 1, 1 1)))"},
				{"p2", "POLYGON(1 1, 1 100, 100 100, 100 1, 1 1))", "Expected '(' at '1' in 'POLYGON(1 1, 1 100, 100 100, 100 1, 1 1))'"},
				{"p6", "POLYGON(()())", "invalid geometry: Geometry has too few points"},
				{"p7", "POLYGON((1 1, 1 100, 1 1))", "invalid geometry: Geometry has too few points"},
				{"p8", "POLYGON((1 1, 1 200, 1 100, 100 1, 1 1))", "invalid geometry: Geometry has spikes. A spike point was found with apex at (1, 200)"},
				{"p10", "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 150, 75 150, 75 250, 25 250, 25 150))", "invalid geometry: Geometry has interior rings defined outside the outer boundary"},
				{"p11", "POLYGON((1 1, 1 100, 100 100, 100 1, 1 1) (25 25, 75 25, 75 75, 25 75, 25 25) (49 49, 51 49, 51 51, 49 51, 49 49))", "invalid geometry: Geometry has nested interior rings"},
				{"p14", "POLYGON((1 1, 1 100, 100 100, bart, 1 1))", "bad lexical cast: source type value could not be interpreted as target at 'bart' in 'POLYGON((1 1, 1 100, 100 100, bart, 1 1))'"},
			} {
				s.must("HSET", c.key, "geom", c.wkt, "name", "n", Int(2))
				last(c.key, "Error indexing geoshape: "+c.err)
			}
			// Read leniently by Boost's reader, valid on the sphere.
			for i, wkt := range []string{"POLYGON((1 1, 1 , 100 100, 100 1, 1 1))", "POLYGON((1 1, 1 100 100 100, 100 1, 1 1))",
				"POLYGON((1 1 1 100, 100 100, 100 1, 1 1))", "POLYGON((1 1, 1 100, 100 100, 100 1, 100 1, 1 1))", "POLYGON((1 1, 1 100, 50 50, 50 -50, 1 1))"} {
				s.must("HSET", "ok"+strconv.Itoa(i), "geom", wkt, Int(1))
			}
			s.mustInfo("idx", "hash_indexing_failures", Int(8))
			s.mustInfo("idx", "num_docs", Int(5))
		}},
		{"query errors (testWKTQueryError)", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "geom", "GEOSHAPE", "name", "TEXT", OK)
			q := func(query string, params ...string) []string {
				a := []string{"FT.SEARCH", "idx", query}
				if len(params) > 0 {
					a = append(append(a, "PARAMS", strconv.Itoa(len(params))), params...)
				}
				return append(a, "NOCONTENT", "DIALECT", "3")
			}
			fails := func(args []string, want string) { s.mustReply(args, parseRaw(s.t, Err(want))) }
			s.mustErr("Syntax error", q("@name:(Ho*) @geom:[wizin $poly]", "poly", q150)...)
			s.mustErr("Syntax error", q("@name:(Ho*) @geom:[containss $poly]", "poly", q150)...)
			s.mustErr("Syntax error", q("@name:(Ho*) @geom:[within "+q150+"]")...)
			s.mustErr("Syntax error", q("@name:(Ho*) @geom:[within $]")...)
			s.mustErr("Syntax error", q("@name:(Ho*) @geom:[within poly]")...)
			fails(q("@name:(Ho*) @geom:[within $poly]", "poly", "POLIGON((0 0, 0 150, 150 150, 150 0, 0 0))"),
				"Error querying geoshape index: Should start with 'POLYGON'' in (POLIGON((0 0, 0 150, 150 150, 150 0, 0 0)))")
			fails(q("@name:(Ho*) @geom:[contains $poly]", "poly", ""), "Error querying geoshape index: unknown geometry type")
			fails(q("@name:(Ho*) @geom:[contains $poly]", "poly", "0 0"), "Error querying geoshape index: unknown geometry type")
			fails(q("@name:(Ho*) @geom:[contains $poly]", "poly", "POLYGON"), "Error querying geoshape index: Expected '(' in 'POLYGON'")
			s.mustErr("No such parameter", q("@name:(Ho*) @geom:[contains $poly]", "moly", q150)...)
			s.mustErr("No such parameter", q("@name:(Ho*) @geom:[within $poly]")...)
			// 8.2 refuses the clause on another type of field.
			fails(q("@name:[within $poly]", "poly", q150), "Expected a GEOSHAPE field at offset 0 near name")
		}},
		{"FT.CREATE, FT.INFO and FT.EXPLAIN", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "flat", "GEOSHAPE", "flat", "INDEXMISSING", "sph", "GEOSHAPE", "SORTABLE", "txt", "TEXT", OK)
			s.mustInfo("idx", "attributes", Arr(
				s.attribute(fieldAttr{name: "flat", typ: "GEOSHAPE", coords: "FLAT", flags: []string{"INDEXMISSING"}}),
				s.attribute(fieldAttr{name: "sph", typ: "GEOSHAPE", coords: "SPHERICAL", flags: []string{"SORTABLE"}}),
				s.attribute(fieldAttr{name: "txt", typ: "TEXT", weight: "1"})))
			s.must("FT.ALTER", "idx", "SCHEMA", "ADD", "more", "GEOSHAPE", "FLAT", OK)
			s.must("FT.EXPLAIN", "idx", "@flat:[within $p] @txt:hello", "PARAMS", "2", "p", "POINT(1 2)", "DIALECT", "3",
				Bulk("INTERSECT {\n  GEOSHAPE{2 POINT(1 2)}\n  @txt:UNION {\n    @txt:hello\n    @txt:+hello(expanded)\n  }\n}\n"))
			for pred, n := range map[string]int{"CONTAINS": 1, "within": 2, "Disjoint": 3, "intersects": 4} {
				s.must("FT.EXPLAIN", "idx", "@more:["+pred+" $p]", "PARAMS", "2", "p", "POINT(1 2)", "DIALECT", "2",
					Bulk(fmt.Sprintf("GEOSHAPE{%d POINT(1 2)}\n", n)))
			}
			// geoshapes_sz_mb grows with the shapes and shrinks as they go;
			// an index without GEOSHAPE field has none.
			s.must("FT.CREATE", "nogeo", "SCHEMA", "txt", "TEXT", OK)
			s.mustInfo("nogeo", "geoshapes_sz_mb", s.double("0"))
			prev := -1.0
			for i := 1; i <= 20; i++ {
				s.must("HSET", fmt.Sprintf("doc%d", i), "flat", fmt.Sprintf("POLYGON((%d %d, %d %d, %d %d, %d %d, %d %d))", 2*i, 2*i, 2*i, 100+2*i, 100+2*i, 100+2*i, 100+2*i, 2*i, 2*i, 2*i), Int(1))
				if s.inCluster() {
					continue
				}
				cur := s.infoFloat("idx", "geoshapes_sz_mb")
				if cur <= prev {
					s.t.Errorf("geoshapes_sz_mb %v after doc%d, was %v", cur, i, prev)
				}
				prev = cur
			}
			if !s.inCluster() {
				s.must("DEL", "doc1", Int(1))
				if cur := s.infoFloat("idx", "geoshapes_sz_mb"); cur >= prev {
					s.t.Errorf("geoshapes_sz_mb %v after DEL, was %v", cur, prev)
				}
			}
		}},
	})
}

// infoFloat is a number of FT.INFO.
func (s *session) infoFloat(idx, key string) float64 {
	s.t.Helper()
	f, err := strconv.ParseFloat(s.info(idx)[key].str, 64)
	if err != nil {
		s.t.Fatalf("FT.INFO %s %s: %v", idx, key, err)
	}
	return f
}
