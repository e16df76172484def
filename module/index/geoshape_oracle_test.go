package index

import (
	"bufio"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

// TestShapePredicatesMatchBoost replays predicates answered by the module's
// own geometry library: testdata/geoshape_boost.tsv.gz holds, for pairs of
// shapes (the module's test shapes, boundary cases, shapes on a small grid
// whose edges and vertices meet, the fuzzer's FLAT sliver POLYGON((,7000000
// 1 1)) against points around and inside it), Boost.Geometry's answer with the module's
// types and predicates (rtree.cpp: bg::within, bg::intersects, cartesian
// and geographic<degree> points, corrected clockwise closed polygons),
// made by testdata/geoshape_oracle.cpp. Each line: answer (1/0), then
// "F|S op docWKT | queryWKT".
func TestShapePredicatesMatchBoost(t *testing.T) {
	f, err := os.Open("testdata/geoshape_boost.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]ShapeQuery{"within": ShapeWithin, "contains": ShapeContains, "intersects": ShapeIntersects, "disjoint": ShapeDisjoint}
	cache := map[string]*Shape{}
	parse := func(cs CoordSystem, s string) *Shape {
		k := cs.String() + s
		if sh, ok := cache[k]; ok {
			return sh
		}
		sh, err := ParseShape(s, cs)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		cache[k] = sh
		return sh
	}
	sc := bufio.NewScanner(zr)
	n, bad := 0, 0
	for sc.Scan() {
		want, rest, _ := strings.Cut(sc.Text(), "\t")
		csName, rest, _ := strings.Cut(rest, " ")
		op, rest, _ := strings.Cut(rest, " ")
		doc, query, _ := strings.Cut(rest, " | ")
		cs := Flat
		if csName == "S" {
			cs = Spherical
		}
		got := ops[op].Match(parse(cs, doc), parse(cs, query))
		n++
		if got != (want == "1") {
			bad++
			if bad <= 20 {
				t.Errorf("%s %s %s | %s: got %v, Boost says %s", csName, op, doc, query, got, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("only %d cases read", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d predicates differ from Boost", bad, n)
	}
}
