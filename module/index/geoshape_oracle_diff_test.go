package index

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestShapeOracleDifferential compares, on random shapes, the validity
// and predicates of ParseShape with Boost's, asked of the oracle program
// (testdata/geoshape_oracle.cpp, built against Boost 1.81 headers):
//
//	g++ -O1 -std=c++17 -o /tmp/geoshape_oracle module/index/testdata/geoshape_oracle.cpp
//	GEOSHAPE_ORACLE=/tmp/geoshape_oracle go test ./module/index -run TestShapeOracleDifferential
//
// It is skipped without the oracle. GEOSHAPE_ORACLE_N sets the number of
// shapes (default 2000), GEOSHAPE_ORACLE_SEED the seed; FLAT only (the
// SPHERICAL predicates are s2's, which Boost's geographic ones match only
// away from rounding).
func TestShapeOracleDifferential(t *testing.T) {
	bin := os.Getenv("GEOSHAPE_ORACLE")
	if bin == "" {
		t.Skip("GEOSHAPE_ORACLE names no oracle program")
	}
	n, seed := 2000, int64(1)
	if v, err := strconv.Atoi(os.Getenv("GEOSHAPE_ORACLE_N")); err == nil {
		n = v
	}
	if v, err := strconv.ParseInt(os.Getenv("GEOSHAPE_ORACLE_SEED"), 10, 64); err == nil {
		seed = v
	}
	rng := rand.New(rand.NewSource(seed))
	cmd := exec.Command(bin)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outp, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Close()
		cmd.Wait()
	}()
	out := bufio.NewScanner(outp)
	out.Buffer(make([]byte, 1<<20), 1<<20)
	ask := func(line string) string {
		if _, err := fmt.Fprintln(in, line); err != nil {
			t.Fatal(err)
		}
		if !out.Scan() {
			t.Fatalf("oracle: no answer to %q", line)
		}
		return out.Text()
	}
	var shapes []string
	bad := 0
	report := func(format string, args ...any) {
		bad++
		if bad <= 30 {
			t.Errorf(format, args...)
		}
	}
	// GEOSHAPE_ORACLE_CS=S compares SPHERICAL validity instead (no
	// predicates).
	cs, csName := Flat, "F"
	if os.Getenv("GEOSHAPE_ORACLE_CS") == "S" {
		cs, csName = Spherical, "S"
	}
	for i := 0; i < n; i++ {
		wkt := randomShape(rng)
		want := ask(csName + " valid " + wkt)
		_, err := ParseShape(wkt, cs)
		switch {
		case err == nil && want != "ok":
			report("%s: valid, Boost says %s", wkt, want)
		case err != nil && want == "ok":
			report("%s: %v, Boost says valid", wkt, err)
		case err != nil && !strings.HasPrefix(strings.TrimPrefix(want, "ERR "), err.Error()):
			report("%s: %v, Boost says %s", wkt, err, want)
		}
		if err == nil && want == "ok" {
			shapes = append(shapes, wkt)
		}
	}
	if cs == Spherical {
		t.Logf("%d shapes, %d valid, %d differ", n, len(shapes), bad)
		return
	}
	ops := []string{"within", "contains", "intersects", "disjoint"}
	opOf := map[string]ShapeQuery{"within": ShapeWithin, "contains": ShapeContains, "intersects": ShapeIntersects, "disjoint": ShapeDisjoint}
	pairs := 0
	for i := 0; i < len(shapes) && i < 4*n; i++ {
		d, q := shapes[rng.Intn(len(shapes))], shapes[rng.Intn(len(shapes))]
		if rng.Intn(4) == 0 {
			q = d
		}
		ds, _ := ParseShape(d, Flat)
		qs, _ := ParseShape(q, Flat)
		for _, op := range ops {
			want := ask("F " + op + " " + d + " | " + q)
			got := opOf[op].Match(ds, qs)
			pairs++
			if (want == "1") != got {
				report("F %s %s | %s: got %v, Boost says %s", op, d, q, got, want)
			}
		}
	}
	t.Logf("%d shapes, %d valid, %d predicates, %d differ", n, len(shapes), pairs, bad)
}

// randomShape is a point or a polygon of a few kinds: on a small grid
// (vertices and edges that meet), with decimal coordinates, thin slivers
// with coordinates far apart, with holes.
func randomShape(rng *rand.Rand) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	grid := func() float64 { return float64(rng.Intn(7)) }
	switch rng.Intn(10) {
	case 0:
		if rng.Intn(2) == 0 {
			return "POINT(" + f(grid()) + " " + f(grid()) + ")"
		}
		return "POINT(" + f(rng.Float64()*10) + " " + f(rng.Float64()*2) + ")"
	case 1, 2: // a grid polygon
		k := 3 + rng.Intn(4)
		var b strings.Builder
		b.WriteString("POLYGON((")
		var first string
		for i := 0; i < k; i++ {
			p := f(grid()) + " " + f(grid())
			if i == 0 {
				first = p
			}
			b.WriteString(p + ", ")
		}
		b.WriteString(first + "))")
		return b.String()
	case 3: // a sliver: a far vertex, two near ones
		far := []float64{7e4, 7e6, 1e9, 123456.789}[rng.Intn(4)]
		return fmt.Sprintf("POLYGON((0 0, %s %s, %s 0, 0 0))", f(far), f(float64(rng.Intn(3))), f(float64(1+rng.Intn(3))))
	case 4: // a box with a hole
		x0, y0 := grid(), grid()
		w, h := 2+grid(), 2+grid()
		hx, hy := x0+float64(rng.Intn(int(w))), y0+float64(rng.Intn(int(h)))
		return fmt.Sprintf("POLYGON((%s %s, %s %s, %s %s, %s %s, %s %s), (%s %s, %s %s, %s %s, %s %s))",
			f(x0), f(y0), f(x0), f(y0+h), f(x0+w), f(y0+h), f(x0+w), f(y0), f(x0), f(y0),
			f(hx), f(hy), f(hx+1), f(hy), f(hx+1), f(hy+1), f(hx), f(hy))
	case 5, 6: // a grid box with one to three grid triangles for holes
		x0, y0 := float64(rng.Intn(3)), float64(rng.Intn(3))
		w, h := 3+float64(rng.Intn(4)), 3+float64(rng.Intn(4))
		s := fmt.Sprintf("POLYGON((%s %s, %s %s, %s %s, %s %s, %s %s)", f(x0), f(y0), f(x0), f(y0+h), f(x0+w), f(y0+h), f(x0+w), f(y0), f(x0), f(y0))
		pt := func() string {
			return f(x0-1+float64(rng.Intn(int(w)+3))) + " " + f(y0-1+float64(rng.Intn(int(h)+3)))
		}
		for k := 1 + rng.Intn(3); k > 0; k-- {
			a := pt()
			s += ", (" + a + ", " + pt() + ", " + pt() + ", " + a + ")"
		}
		return s + ")"
	case 7, 8: // a grid box cut by a polygon with decimal vertices (not exact in binary)
		dec := func() string { return f(float64(rng.Intn(80)) / 10) }
		k := 3 + rng.Intn(3)
		var b strings.Builder
		b.WriteString("POLYGON((")
		var first string
		for i := 0; i < k; i++ {
			p := dec() + " " + dec()
			if i == 0 {
				first = p
			}
			b.WriteString(p + ", ")
		}
		b.WriteString(first + "))")
		return b.String()
	default: // a random quadrilateral near a long edge
		far := []float64{1e3, 7e4, 1e7}[rng.Intn(3)]
		e := rng.Float64() * 1e-6
		return fmt.Sprintf("POLYGON((0 0, %s 1, %s %s, %s 0, 0 0))", f(far), f(far/2), f(0.5+e), f(rng.Float64()*3))
	}
}
