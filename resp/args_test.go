package resp

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestEqualFold(t *testing.T) {
	for _, tc := range []struct {
		arg, kw string
		want    bool
	}{
		{"get", "get", true},
		{"GET", "get", true},
		{"GeT", "GET", true},
		{"withscores", "WITHSCORES", true},
		{"", "", true},
		{"get", "set", false},
		{"ge", "get", false},
		{"gett", "get", false},
		{"", "get", false},
		{"g\x00t", "get", false},
		// Only ASCII letters fold: '@' and '`' are one bit away from 'A'-1 and 'a'-1.
		{"@", "`", false},
		{"[", "{", false},
		{"_", "\x7f", false},
		{"É", "é", false},
		{"é", "é", true},
		{"\xc9", "\xe9", false}, // Latin-1 É/é are not ASCII
		{"1", "1", true},
	} {
		if got := EqualFold([]byte(tc.arg), tc.kw); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.arg, tc.kw, got, tc.want)
		}
	}
	// Against strings.EqualFold on every pair of ASCII bytes.
	for a := 0; a < 128; a++ {
		for b := 0; b < 128; b++ {
			arg, kw := string(rune(a)), string(rune(b))
			if got, want := EqualFold([]byte(arg), kw), strings.EqualFold(arg, kw); got != want {
				// strings.EqualFold folds the Kelvin sign and the long s, not ASCII.
				t.Errorf("EqualFold(%q, %q) = %v, strings.EqualFold %v", arg, kw, got, want)
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { EqualFold([]byte("WITHSCORES"), "withscores") }); n != 0 {
		t.Errorf("EqualFold allocates %v times", n)
	}
}

func TestLower(t *testing.T) {
	long := strings.Repeat("AbC", 50) // longer than Lower's stack buffer
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"GET", "get"},
		{"MiXeD-Case_09", "mixed-case_09"},
		{"@[`{", "@[`{"},
		{"ÉCOLE", "École"}, // only ASCII letters change
		{"\xff\x00Z", "\xff\x00z"},
		{long, strings.Repeat("abc", 50)},
	} {
		if got := Lower([]byte(tc.in)); got != tc.want {
			t.Errorf("Lower(%q) = %q, want %q", tc.in, got, tc.want)
		}
		in := []byte(tc.in)
		if got := string(AppendLower([]byte("pre:"), in)); got != "pre:"+tc.want {
			t.Errorf("AppendLower(pre:, %q) = %q", tc.in, got)
		}
		if string(in) != tc.in {
			t.Errorf("AppendLower changed its argument to %q", in)
		}
	}
	// AppendLower into the argument's own storage works in place.
	b := []byte("HeLLo")
	if got := string(AppendLower(b[:0], b)); got != "hello" {
		t.Errorf("AppendLower in place: %q", got)
	}
	if got := AppendLower(nil, nil); got != nil {
		t.Errorf("AppendLower(nil, nil) = %q", got)
	}
}

// refParseInt is Redis' string2ll written from its rules: "0", or an
// optional '-' then a digit 1-9 and digits, at most 20 bytes, in the int64
// range. Equivalently, s is the canonical decimal form of an int64.
func refParseInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	digits := strings.TrimPrefix(s, "-")
	if len(digits) == 0 || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

var parseIntCases = []struct {
	in   string
	want int64
	ok   bool
}{
	{"0", 0, true},
	{"1", 1, true},
	{"-1", -1, true},
	{"10", 10, true},
	{"1234567890", 1234567890, true},
	{"-1234567890", -1234567890, true},
	{"9223372036854775807", math.MaxInt64, true},
	{"-9223372036854775808", math.MinInt64, true},
	{"9223372036854775808", 0, false},
	{"-9223372036854775809", 0, false},
	{"18446744073709551615", 0, false}, // fits uint64
	{"18446744073709551616", 0, false}, // overflows uint64
	{"99999999999999999999", 0, false},
	{"-99999999999999999999", 0, false}, // 21 bytes
	{"123456789012345678901", 0, false},
	{"", 0, false},
	{"-", 0, false},
	{"+", 0, false},
	{"+1", 0, false},
	{"-0", 0, false},
	{"00", 0, false},
	{"01", 0, false},
	{"-01", 0, false},
	{"007", 0, false},
	{" 1", 0, false},
	{"1 ", 0, false},
	{"\t1", 0, false},
	{"1\n", 0, false},
	{"1\x00", 0, false},
	{"1_000", 0, false},
	{"1,000", 0, false},
	{"1e3", 0, false},
	{"1.0", 0, false},
	{"0x10", 0, false},
	{"--1", 0, false},
	{"1-", 0, false},
	{"abc", 0, false},
	{"١", 0, false}, // Arabic-Indic digit one
}

func TestParseInt(t *testing.T) {
	for _, tc := range parseIntCases {
		got, ok := ParseInt([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseInt(%q) = %d %v, want %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
		got, ok = ParseIntString(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseIntString(%q) = %d %v, want %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
		got, ok = refParseInt(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("refParseInt(%q) = %d %v, the table says %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	// Long strings are rejected without scanning them.
	if _, ok := ParseIntString(strings.Repeat("1", 1000)); ok {
		t.Errorf("ParseIntString of 1000 digits accepted")
	}
	if n := testing.AllocsPerRun(100, func() {
		ParseInt([]byte("-9223372036854775808"))
		ParseIntString("123456")
	}); n != 0 {
		t.Errorf("ParseInt allocates %v times", n)
	}
}

// TestParseIntBoundaries walks the values around every power of ten and the
// int64 limits, in both directions.
func TestParseIntBoundaries(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := ParseInt([]byte(s))
		want, wok := refParseInt(s)
		if got != want || ok != wok {
			t.Errorf("ParseInt(%q) = %d %v, want %d %v", s, got, ok, want, wok)
		}
	}
	for p := uint64(1); ; p *= 10 {
		for _, d := range []int64{-2, -1, 0, 1, 2} {
			v := int64(p) + d
			check(strconv.FormatInt(v, 10))
			check(strconv.FormatInt(-v, 10))
			check(strconv.FormatUint(uint64(v), 10) + "0")
		}
		if p > math.MaxInt64/10 {
			break
		}
	}
	for d := uint64(0); d < 20; d++ {
		check(strconv.FormatUint(math.MaxInt64-10+d, 10))
		check("-" + strconv.FormatUint(math.MaxInt64-10+d, 10))
		check(strconv.FormatUint(math.MaxUint64-d, 10))
		check("-" + strconv.FormatUint(math.MaxUint64-d, 10))
	}
}

func FuzzParseInt(f *testing.F) {
	for _, tc := range parseIntCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseInt([]byte(s))
		want, wok := refParseInt(s)
		if got != want || ok != wok {
			t.Fatalf("ParseInt(%q) = %d %v, reference %d %v", s, got, ok, want, wok)
		}
		// string2ll accepts exactly the canonical forms of int64 values.
		v, err := strconv.ParseInt(s, 10, 64)
		canonical := err == nil && strconv.FormatInt(v, 10) == s
		if ok != canonical || (ok && got != v) {
			t.Fatalf("ParseInt(%q) = %d %v; strconv %d %v, canonical %v", s, got, ok, v, err, canonical)
		}
		if g2, ok2 := ParseIntString(s); g2 != got || ok2 != ok {
			t.Fatalf("ParseIntString(%q) = %d %v, ParseInt %d %v", s, g2, ok2, got, ok)
		}
	})
}

// parseFloatCases were checked against redis-server 7.0.15 with ZADD (which
// parses with strtod as getDoubleFromObject does) and ZSCORE.
var parseFloatCases = []struct {
	in   string
	want float64
	ok   bool
}{
	{"0", 0, true},
	{"1.5", 1.5, true},
	{"-1.5", -1.5, true},
	{"+1.5", 1.5, true},
	{".5", 0.5, true},
	{"5.", 5, true},
	{"-.5e1", -5, true},
	{"1e3", 1000, true},
	{"1E+3", 1000, true},
	{"1.1", 1.1, true},
	{"123456789012345678", 123456789012345678, true},
	{"1.7976931348623157e308", math.MaxFloat64, true},
	{"inf", math.Inf(1), true},
	{"-inf", math.Inf(-1), true},
	{"+inf", math.Inf(1), true},
	{"Infinity", math.Inf(1), true},
	{"-INFINITY", math.Inf(-1), true},
	{"InF", math.Inf(1), true},
	{"0e-400", 0, true},
	{"-0", math.Copysign(0, -1), true},
	{"0.000", 0, true},
	{"1e-320", 1e-320, true},                    // subnormal: accepted
	{"3e-324", 5e-324, true},                    // rounds up to the smallest subnormal
	{"0x10", 16, true},                          // strtod reads hex without an exponent
	{"0x1.8", 1.5, true},                        //
	{"0x.8", 0.5, true},                         //
	{"-0X1E5", -485, true},                      //
	{"0x1p-2", 0.25, true},                      //
	{"0X1P+2", 4, true},                         //
	{"0x0", 0, true},                            //
	{"1." + strings.Repeat("0", 6000), 1, true}, // no length limit (ZADD accepts it)
	{"", 0, false},
	{" 1", 0, false},
	{"\t1", 0, false},
	{"\n1", 0, false},
	{"\v1", 0, false},
	{"1 ", 0, false},
	{"1\n", 0, false},
	{"1\x00", 0, false},
	{"1_0", 0, false},
	{"1_000.5", 0, false},
	{"0x_1p0", 0, false},
	{"nan", 0, false},
	{"NaN", 0, false},
	{"-nan", 0, false},
	{"1e309", 0, false},
	{"-1e309", 0, false},
	{"1e5000", 0, false},
	{"1e-400", 0, false},  // underflows to zero: strtod's ERANGE, rejected
	{"-1e-400", 0, false}, //
	{"2e-324", 0, false},  //
	{"0x1p-1080", 0, false},
	{"0." + strings.Repeat("0", 400) + "1", 0, false},
	{"infinit", 0, false},
	{"infx", 0, false},
	{"1e", 0, false},
	{"1e+", 0, false},
	{"e5", 0, false},
	{".", 0, false},
	{"-", 0, false},
	{"+", 0, false},
	{"0x", 0, false},
	{"0x.", 0, false},
	{"0xp1", 0, false},
	{"0x1p", 0, false},
	{"0xg", 0, false},
	{"1.5.2", 0, false},
	{"--1", 0, false},
	{"1,5", 0, false},
	{"0b101", 0, false},
	{"0o17", 0, false},
	{"\u00a01", 0, false},
	{"\u00851", 0, false},
}

func TestParseFloat(t *testing.T) {
	for _, tc := range parseFloatCases {
		got, ok := ParseFloat([]byte(tc.in))
		if ok != tc.ok || math.Float64bits(got) != math.Float64bits(tc.want) {
			t.Errorf("ParseFloat(%.40q) = %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestParseFloatRoundTrip: what the Writer sends for a double parses back to
// the same double (%.17g is exact), as Redis relies on for scores.
func TestParseFloatRoundTrip(t *testing.T) {
	rnd := newRand(t)
	for i := 0; i < 100000; i++ {
		f := math.Float64frombits(rnd.Uint64())
		if math.IsNaN(f) {
			continue
		}
		got, ok := ParseFloat(AppendDouble(nil, f))
		if !ok || math.Float64bits(got) != math.Float64bits(f) {
			t.Fatalf("%b: AppendDouble %q parses as %v %v", f, AppendDouble(nil, f), got, ok)
		}
	}
}

func FuzzParseFloat(f *testing.F) {
	for _, tc := range parseFloatCases {
		if len(tc.in) < 100 {
			f.Add(tc.in)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseFloat([]byte(s))
		if !ok {
			if got != 0 {
				t.Fatalf("ParseFloat(%q) rejected with %v", s, got)
			}
			return
		}
		if math.IsNaN(got) {
			t.Fatalf("ParseFloat(%q) = NaN", s)
		}
		// Redis' own output for the value parses back to it.
		if back, ok := ParseFloat(AppendDouble(nil, got)); !ok || math.Float64bits(back) != math.Float64bits(got) {
			t.Fatalf("ParseFloat(%q) = %v, whose %%.17g form %q parses as %v %v", s, got, AppendDouble(nil, got), back, ok)
		}
		// Whatever strconv reads too, it reads the same.
		if v, err := strconv.ParseFloat(s, 64); err == nil && math.Float64bits(v) != math.Float64bits(got) {
			t.Fatalf("ParseFloat(%q) = %v, strconv %v", s, got, v)
		}
	})
}
