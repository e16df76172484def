package jsonv

import (
	"math"
	"testing"
)

// TestAppendFloat: serde_json's (ryu's) printing of an f64, as RedisJSON
// replies with it (hand-checked against the ryu crate's format rules:
// decimal notation for exponents -5 < k <= 16, ".0" for integral values,
// "e" notation otherwise, no "+" in the exponent).
func TestAppendFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{1.5, "1.5"}, {3, "3.0"}, {-2, "-2.0"}, {0, "0.0"}, {math.Copysign(0, -1), "-0.0"},
		{0.1, "0.1"}, {0.0001, "0.0001"}, {0.00001, "0.00001"}, {0.000001, "1e-6"}, {1.5e-7, "1.5e-7"},
		{1e15, "1000000000000000.0"}, {1e16, "1e16"}, {1.2345e16, "1.2345e16"},
		{123456789012345680, "1.2345678901234568e17"}, {5.960464477539062e16, "5.960464477539062e16"},
		{1e21, "1e21"}, {12.99, "12.99"}, {math.MaxFloat64, "1.7976931348623157e308"},
	} {
		if got := string(AppendFloat(nil, tc.f)); got != tc.want {
			t.Errorf("%v: got %s want %s", tc.f, got, tc.want)
		}
	}
}

// TestParseErrors: serde_json's messages and positions (as RedisJSON
// replies with them).
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "EOF while parsing a value at line 1 column 0"},
		{"{", "EOF while parsing an object at line 1 column 1"},
		{"[1,", "EOF while parsing a value at line 1 column 3"},
		{"[1", "EOF while parsing a list at line 1 column 2"},
		{"x", "expected value at line 1 column 1"},
		{"1 2", "trailing characters at line 1 column 3"},
		{"{\"a\" 1}", "expected `:` at line 1 column 6"},
		{"{1:2}", "key must be a string at line 1 column 2"},
		{"[1,]", "trailing comma at line 1 column 4"},
		{"\"ab", "EOF while parsing a string at line 1 column 3"},
		{"[\n1\n,x]", "expected value at line 3 column 2"},
		{"01", "invalid number at line 1 column 2"},
	} {
		_, err := Parse(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v want %s", tc.in, err, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":[true,false,null,"x\"\\\n\u0001é/"],"c":{}}`, `{"b":1,"a":[true,false,null,"x\"\\\n\u0001é/"],"c":{}}`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{` [ 1.0 , -0 , 1E2, 9223372036854775807, 9223372036854775808 ] `, `[1.0,0,100.0,9223372036854775807,9223372036854775808]`},
		{`"\ud83d\ude00"`, `"😀"`},
		{`18446744073709551615`, `18446744073709551615`},
		{`18446744073709551616`, `1.8446744073709552e19`},
	} {
		v, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got := v.String(); got != tc.want {
			t.Errorf("%s: got %s want %s", tc.in, got, tc.want)
		}
	}
}

func TestFormatted(t *testing.T) {
	v, _ := Parse(`{"a":[1,{}],"b":[]}`)
	got := string(AppendFormatted(nil, &v, Format{Indent: "  ", Newline: "\n", Space: " "}))
	want := "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestBigInteger: an integer beyond int64 (serde_json's u64) is an
// "integer" that prints as given; arithmetic on it is a float's.
func TestBigInteger(t *testing.T) {
	v, err := Parse(`9223372036854775808`)
	if err != nil {
		t.Fatal(err)
	}
	if v.TypeName() != "integer" || v.Kind() != Float || v.String() != "9223372036854775808" {
		t.Fatalf("%s %v %s", v.TypeName(), v.Kind(), v.String())
	}
	v.SetFloat(v.FloatVal() * 2)
	if v.TypeName() != "number" || v.String() != "1.8446744073709552e19" {
		t.Fatalf("after arithmetic: %s %s", v.TypeName(), v.String())
	}
}
