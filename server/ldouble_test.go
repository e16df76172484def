package server

import "testing"

func TestLongDoubleSums(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"10.5", "0.1", "10.6"},
		{"0.1", "0.2", "0.3"},
		{"5.0e3", "2.0e2", "5200"},
		{"3", "-3", "0"},
		{"-0", "0", "0"},
		{"1", "1e20", "100000000000000000000"},
		{"0.3", "0x10", "16.3"},
		{"10", "-5.5", "4.5"},
	}
	for _, c := range cases {
		a, ok1 := parseLongDouble(c.a)
		b, ok2 := parseLongDouble(c.b)
		if !ok1 || !ok2 {
			t.Fatalf("parse %q %q", c.a, c.b)
		}
		sum, ok := addLongDouble(a, b)
		if !ok {
			t.Fatalf("%s + %s overflowed", c.a, c.b)
		}
		if got := formatLongDouble(sum); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.a, c.b, got, c.want)
		}
	}
	for _, bad := range []string{"", " 1", "1 ", "abc", "nan", "1_0", "0b1", "1e5000"} {
		if _, ok := parseLongDouble(bad); ok {
			t.Errorf("parseLongDouble(%q) accepted", bad)
		}
	}
	inf, ok := parseLongDouble("inf")
	if !ok {
		t.Fatal("inf rejected")
	}
	one, _ := parseLongDouble("1")
	if _, ok := addLongDouble(one, inf); ok {
		t.Error("1 + inf accepted")
	}
}
