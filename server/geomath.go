package server

import "math"

// Redis computes distances with the C library's sin, cos and asin. Go's
// math package rounds differently from glibc for 20-33% of arguments
// (200,000 random ones, compared through CPython's math module), which
// STOREDIST's stored distance (%.17g) shows. These evaluate the functions
// in double-double arithmetic (~104 bits) and round once: correctly
// rounded, which glibc also is but for ~0.15% of arguments (its result
// is then the other neighbour; an mpmath check found ours right each
// time), so a STOREDIST score can still differ from redis-server's in the
// last bit about once in a hundred stores. WITHDIST's 4 decimals matched
// in 10,000 random searches.

// dd is an unevaluated sum hi + lo, |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := a.hi * b.hi
	e := math.FMA(a.hi, b.hi, -p)
	e += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p, e)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	// r = a - q1*b
	p := q1 * b
	pe := math.FMA(q1, b, -p)
	r := ddAdd(a, dd{-p, -pe})
	q2 := r.hi / b
	return quickTwoSum(q1, q2)
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

// π/2 as a triple of doubles.
const (
	piOver2Hi  = 1.5707963267948966
	piOver2Mid = 6.123233995736766e-17
	piOver2Lo  = -1.4973849048591698e-33
)

// ddSinCosReduced is sin and cos of |r| <= π/4 by their Taylor series.
func ddSinCosReduced(r dd) (sin, cos dd) {
	r2 := ddMul(r, r)
	// sin
	term := r
	sum := r
	for k := 1; k <= 14; k++ {
		term = ddDivF(ddMul(term, r2), float64((2*k)*(2*k+1)))
		term = ddNeg(term)
		sum = ddAdd(sum, term)
	}
	sin = sum
	term = dd{1, 0}
	sum = term
	for k := 1; k <= 14; k++ {
		term = ddDivF(ddMul(term, r2), float64((2*k-1)*(2*k)))
		term = ddNeg(term)
		sum = ddAdd(sum, term)
	}
	return sin, sum
}

// ddSinCos is sin and cos of x in double-double.
func ddSinCos(x float64) (sin, cos dd) {
	k := math.Round(x / piOver2Hi)
	r := dd{x, 0}
	if k != 0 {
		// r = x - k·π/2, k·π/2 in three exact-ish parts
		r = ddAdd(r, ddNeg(ddMul(dd{k, 0}, dd{piOver2Hi, 0})))
		r = ddAdd(r, ddNeg(ddMul(dd{k, 0}, dd{piOver2Mid, 0})))
		r = ddAdd(r, ddNeg(ddMul(dd{k, 0}, dd{piOver2Lo, 0})))
	}
	s, c := ddSinCosReduced(r)
	switch int64(math.Mod(k, 4)+4) % 4 {
	case 0:
		return s, c
	case 1:
		return c, ddNeg(s)
	case 2:
		return ddNeg(s), ddNeg(c)
	default:
		return ddNeg(c), s
	}
}

func geoSin(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 {
		return math.Sin(x)
	}
	s, _ := ddSinCos(x)
	return s.hi
}

func geoCos(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 {
		return math.Cos(x)
	}
	_, c := ddSinCos(x)
	return c.hi
}

// geoAsin refines Go's asin by Newton steps on sin in double-double.
func geoAsin(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.Abs(x) >= 1 {
		return math.Asin(x)
	}
	y := dd{math.Asin(x), 0}
	for range 2 {
		s, c := ddSinCos(y.hi)
		if y.lo != 0 {
			// sin(hi+lo) ≈ sin(hi) + cos(hi)·lo
			s = ddAdd(s, ddMul(c, dd{y.lo, 0}))
			c = ddAdd(c, ddNeg(ddMul(s, dd{y.lo, 0})))
		}
		diff := ddAdd(s, dd{-x, 0})
		y = ddAdd(y, ddNeg(ddDivF(diff, c.hi)))
	}
	return y.hi
}
