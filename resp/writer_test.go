package resp

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// wireCase is one write and the exact bytes it must produce in each
// protocol. The expected bytes were checked against redis-server 7.0.15
// (ZSCORE, ZINCRBY, ZRANGE WITHSCORES, HELLO, CLIENT INFO, EVAL and
// DEBUG PROTOCOL replies, over RESP2 and RESP3).
type wireCase struct {
	name  string
	write func(w *Writer)
	resp2 string
	resp3 string
}

var wireCases = []wireCase{
	{"OK", func(w *Writer) { w.OK() }, "+OK\r\n", "+OK\r\n"},
	{"SimpleString", func(w *Writer) { w.SimpleString("PONG") }, "+PONG\r\n", "+PONG\r\n"},
	{"SimpleString empty", func(w *Writer) { w.SimpleString("") }, "+\r\n", "+\r\n"},
	// EVAL "return redis.status_reply('a\nb\r\n')" 0 -> +a b  (status
	// replies keep trailing newlines, as spaces).
	{"SimpleString newlines", func(w *Writer) { w.SimpleString("a\nb\r\n") }, "+a b  \r\n", "+a b  \r\n"},
	{"Error", func(w *Writer) { w.Error("ERR syntax error") }, "-ERR syntax error\r\n", "-ERR syntax error\r\n"},
	{"Error dash", func(w *Writer) { w.Error("-WRONGTYPE Operation") }, "-WRONGTYPE Operation\r\n", "-WRONGTYPE Operation\r\n"},
	{"Error no code", func(w *Writer) { w.Error("boom") }, "-boom\r\n", "-boom\r\n"},
	// EVAL "return redis.error_reply('ERR x\nyy\r\n')" 0 -> -ERR x yy
	{"Error newlines", func(w *Writer) { w.Error("ERR x\nyy\r\n") }, "-ERR x yy\r\n", "-ERR x yy\r\n"},
	{"Error CR inside", func(w *Writer) { w.Error("ERR a\rb") }, "-ERR a b\r\n", "-ERR a b\r\n"},
	{"Int", func(w *Writer) { w.Int(42) }, ":42\r\n", ":42\r\n"},
	{"Int zero", func(w *Writer) { w.Int(0) }, ":0\r\n", ":0\r\n"},
	{"Int min", func(w *Writer) { w.Int(math.MinInt64) }, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
	{"Int max", func(w *Writer) { w.Int(math.MaxInt64) }, ":9223372036854775807\r\n", ":9223372036854775807\r\n"},
	{"Bulk", func(w *Writer) { w.Bulk([]byte("hello")) }, "$5\r\nhello\r\n", "$5\r\nhello\r\n"},
	{"Bulk empty", func(w *Writer) { w.Bulk(nil) }, "$0\r\n\r\n", "$0\r\n\r\n"},
	{"Bulk binary", func(w *Writer) { w.Bulk([]byte("a\r\n\x00b")) }, "$5\r\na\r\n\x00b\r\n", "$5\r\na\r\n\x00b\r\n"},
	{"BulkString", func(w *Writer) { w.BulkString("héllo") }, "$6\r\nhéllo\r\n", "$6\r\nhéllo\r\n"},
	{"BulkString empty", func(w *Writer) { w.BulkString("") }, "$0\r\n\r\n", "$0\r\n\r\n"},
	{"BulkInt", func(w *Writer) { w.BulkInt(-12) }, "$3\r\n-12\r\n", "$3\r\n-12\r\n"},
	{"BulkInt min", func(w *Writer) { w.BulkInt(math.MinInt64) }, "$20\r\n-9223372036854775808\r\n", "$20\r\n-9223372036854775808\r\n"},
	// ZSCORE of a missing member: $-1 / _
	{"Null", func(w *Writer) { w.Null() }, "$-1\r\n", "_\r\n"},
	{"NullArray", func(w *Writer) { w.NullArray() }, "*-1\r\n", "_\r\n"},
	{"Array", func(w *Writer) { w.Array(3) }, "*3\r\n", "*3\r\n"},
	{"Array empty", func(w *Writer) { w.Array(0) }, "*0\r\n", "*0\r\n"},
	// HELLO: %7 in RESP3, *14 in RESP2.
	{"Map", func(w *Writer) { w.Map(7) }, "*14\r\n", "%7\r\n"},
	{"Map empty", func(w *Writer) { w.Map(0) }, "*0\r\n", "%0\r\n"},
	{"Set", func(w *Writer) { w.Set(3) }, "*3\r\n", "~3\r\n"},
	{"Push", func(w *Writer) { w.Push(2) }, "*2\r\n", ">2\r\n"},
	// ZSCORE / ZINCRBY: %.17g, inf spelled out.
	{"Double 1.1", func(w *Writer) { w.Double(1.1) }, "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
	{"Double 2.1", func(w *Writer) { w.Double(2.1) }, "$18\r\n2.1000000000000001\r\n", ",2.1000000000000001\r\n"},
	{"Double 3.141", func(w *Writer) { w.Double(3.141) }, "$5\r\n3.141\r\n", ",3.141\r\n"},
	{"Double inf", func(w *Writer) { w.Double(math.Inf(1)) }, "$3\r\ninf\r\n", ",inf\r\n"},
	{"Double -inf", func(w *Writer) { w.Double(math.Inf(-1)) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
	{"Double 0", func(w *Writer) { w.Double(0) }, "$1\r\n0\r\n", ",0\r\n"},
	{"Double -0", func(w *Writer) { w.Double(math.Copysign(0, -1)) }, "$2\r\n-0\r\n", ",-0\r\n"},
	{"Double 0.0001", func(w *Writer) { w.Double(0.0001) }, "$6\r\n0.0001\r\n", ",0.0001\r\n"},
	{"Double 1e-5", func(w *Writer) { w.Double(0.00001) }, "$22\r\n1.0000000000000001e-05\r\n", ",1.0000000000000001e-05\r\n"},
	{"Double 1e16", func(w *Writer) { w.Double(1e16) }, "$17\r\n10000000000000000\r\n", ",10000000000000000\r\n"},
	{"Double 1e20", func(w *Writer) { w.Double(1e20) }, "$5\r\n1e+20\r\n", ",1e+20\r\n"},
	{"Double 1.2e17", func(w *Writer) { w.Double(123456789012345678) }, "$22\r\n1.2345678901234568e+17\r\n", ",1.2345678901234568e+17\r\n"},
	{"Double subnormal", func(w *Writer) { w.Double(1e-310) }, "$23\r\n9.9999999999999694e-311\r\n", ",9.9999999999999694e-311\r\n"},
	{"Double min subnormal", func(w *Writer) { w.Double(5e-324) }, "$23\r\n4.9406564584124654e-324\r\n", ",4.9406564584124654e-324\r\n"},
	{"Double -485", func(w *Writer) { w.Double(-485) }, "$4\r\n-485\r\n", ",-485\r\n"},
	{"Double max", func(w *Writer) { w.Double(math.MaxFloat64) }, "$23\r\n1.7976931348623157e+308\r\n", ",1.7976931348623157e+308\r\n"},
	{"Bool true", func(w *Writer) { w.Bool(true) }, ":1\r\n", "#t\r\n"},
	{"Bool false", func(w *Writer) { w.Bool(false) }, ":0\r\n", "#f\r\n"},
	// DEBUG PROTOCOL verbatim; CLIENT INFO.
	{"Verbatim", func(w *Writer) { w.Verbatim("txt", "This is a verbatim\nstring") },
		"$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"},
	{"Verbatim empty", func(w *Writer) { w.Verbatim("mkd", "") }, "$0\r\n\r\n", "=4\r\nmkd:\r\n"},
	// addReplyVerbatim pads a short format with spaces and cuts a long one.
	{"Verbatim short format", func(w *Writer) { w.Verbatim("t", "x") }, "$1\r\nx\r\n", "=5\r\nt  :x\r\n"},
	{"Verbatim no format", func(w *Writer) { w.Verbatim("", "x") }, "$1\r\nx\r\n", "=5\r\n   :x\r\n"},
	{"Verbatim long format", func(w *Writer) { w.Verbatim("text", "x") }, "$1\r\nx\r\n", "=5\r\ntex:x\r\n"},
	// DEBUG PROTOCOL bignum.
	{"BigNumber", func(w *Writer) { w.BigNumber("1234567999999999999999999999999999999") },
		"$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"},
	{"BigNumber negative", func(w *Writer) { w.BigNumber("-1") }, "$2\r\n-1\r\n", "(-1\r\n"},
	{"StringArray", func(w *Writer) { w.StringArray([]string{"a", "", "bc"}) }, "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n", "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n"},
	{"StringArray empty", func(w *Writer) { w.StringArray(nil) }, "*0\r\n", "*0\r\n"},
	{"StatusArray", func(w *Writer) { w.StatusArray([]string{"OK", "a\nb"}) }, "*2\r\n+OK\r\n+a b\r\n", "*2\r\n+OK\r\n+a b\r\n"},
	{"Raw", func(w *Writer) { w.Raw([]byte(":1\r\n")) }, ":1\r\n", ":1\r\n"},
	{"RawString", func(w *Writer) { w.RawString("$-1\r\n") }, "$-1\r\n", "$-1\r\n"},
	// DEBUG PROTOCOL map / set / push, written piece by piece.
	{"debug map", func(w *Writer) {
		w.Map(3)
		w.Int(0)
		w.Bool(false)
		w.Int(1)
		w.Bool(true)
		w.Int(2)
		w.Bool(false)
	}, "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"},
	{"debug set", func(w *Writer) {
		w.Set(3)
		w.Int(0)
		w.Int(1)
		w.Int(2)
	}, "*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"},
	{"debug push", func(w *Writer) {
		w.Push(2)
		w.BulkString("server-cpu-usage")
		w.Int(42)
	}, "*2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"},
	// ZRANGE z 0 1 WITHSCORES: RESP3 pairs with doubles, RESP2 flat bulks.
	{"zrange withscores", func(w *Writer) {
		if w.Resp3() {
			w.Array(2)
			w.Array(2)
			w.BulkString("c")
			w.Double(math.Inf(-1))
			w.Array(2)
			w.BulkString("h")
			w.Double(0)
			return
		}
		w.Array(4)
		w.BulkString("c")
		w.Double(math.Inf(-1))
		w.BulkString("h")
		w.Double(0)
	}, "*4\r\n$1\r\nc\r\n$4\r\n-inf\r\n$1\r\nh\r\n$1\r\n0\r\n", "*2\r\n*2\r\n$1\r\nc\r\n,-inf\r\n*2\r\n$1\r\nh\r\n,0\r\n"},
	// ZMSCORE z nope
	{"zmscore missing", func(w *Writer) {
		w.Array(1)
		w.Null()
	}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
}

func TestWriterWire(t *testing.T) {
	for _, tc := range wireCases {
		for _, proto := range []int{2, 3} {
			want := tc.resp2
			if proto == 3 {
				want = tc.resp3
			}
			w := NewWriter(proto)
			tc.write(w)
			if got := string(w.Bytes()); got != want {
				t.Errorf("%s RESP%d:\n got %q\nwant %q", tc.name, proto, got, want)
			}
			if w.Len() != len(want) {
				t.Errorf("%s RESP%d: Len %d, want %d", tc.name, proto, w.Len(), len(want))
			}
		}
	}
}

// TestWriterAppends checks that replies accumulate and that Reset keeps the
// capacity.
func TestWriterAppends(t *testing.T) {
	w := NewWriter(2)
	var want strings.Builder
	for _, tc := range wireCases {
		tc.write(w)
		want.WriteString(tc.resp2)
	}
	if got := string(w.Bytes()); got != want.String() {
		t.Fatalf("concatenated replies differ:\n got %q\nwant %q", got, want.String())
	}
	c := cap(w.Bytes())
	w.Reset()
	if w.Len() != 0 || cap(w.Bytes()) != c {
		t.Fatalf("Reset: len %d cap %d, want 0 and %d", w.Len(), cap(w.Bytes()), c)
	}
	w.OK()
	if string(w.Bytes()) != "+OK\r\n" {
		t.Fatalf("after Reset: %q", w.Bytes())
	}
}

func TestWriterProto(t *testing.T) {
	var zero Writer
	if zero.Proto() != 2 || zero.Resp3() {
		t.Fatalf("zero Writer: Proto %d Resp3 %v, want 2 false", zero.Proto(), zero.Resp3())
	}
	zero.Null()
	zero.Map(1)
	zero.Double(1.5)
	zero.Bool(true)
	if got, want := string(zero.Bytes()), "$-1\r\n*2\r\n$3\r\n1.5\r\n:1\r\n"; got != want {
		t.Fatalf("zero Writer writes %q, want RESP2 %q", got, want)
	}
	for _, tc := range []struct {
		set, want int
	}{{0, 2}, {1, 2}, {2, 2}, {3, 3}, {4, 2}, {-3, 2}} {
		w := NewWriter(tc.set)
		if w.Proto() != tc.want || w.Resp3() != (tc.want == 3) {
			t.Errorf("NewWriter(%d): Proto %d Resp3 %v, want %d", tc.set, w.Proto(), w.Resp3(), tc.want)
		}
		w = NewWriter(3)
		w.SetProto(tc.set)
		if w.Proto() != tc.want || w.Resp3() != (tc.want == 3) {
			t.Errorf("SetProto(%d): Proto %d Resp3 %v, want %d", tc.set, w.Proto(), w.Resp3(), tc.want)
		}
	}
	// Switching mid-buffer changes only the following replies (HELLO 3).
	w := NewWriter(2)
	w.Null()
	w.SetProto(3)
	w.Null()
	w.SetProto(2)
	w.Bool(false)
	if got, want := string(w.Bytes()), "$-1\r\n_\r\n:0\r\n"; got != want {
		t.Fatalf("switching protocols: %q, want %q", got, want)
	}
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(2)
	if n, first := w.Errors(); n != 0 || first != "" {
		t.Fatalf("new Writer: Errors %d %q", n, first)
	}
	w.OK()
	w.SimpleString("ERR not an error")
	w.BulkString("-ERR not an error either")
	if n, _ := w.Errors(); n != 0 {
		t.Fatalf("non-error replies counted: %d", n)
	}
	w.Error("-WRONGTYPE Operation against a key\r\n")
	w.Error("ERR second")
	w.Error("ERR third")
	if n, first := w.Errors(); n != 3 || first != "WRONGTYPE Operation against a key" {
		t.Fatalf("Errors = %d %q, want 3 and the first one, cleaned", n, first)
	}
	w.ResetErrors()
	if n, first := w.Errors(); n != 0 || first != "" {
		t.Fatalf("after ResetErrors: %d %q", n, first)
	}
	w.Error("ERR a\nb")
	if n, first := w.Errors(); n != 1 || first != "ERR a b" {
		t.Fatalf("after ResetErrors and one error: %d %q", n, first)
	}
	// Reset empties the buffer but not the counters: the server flushes
	// between commands and resets the counters itself.
	w.Reset()
	if n, _ := w.Errors(); n != 1 {
		t.Fatalf("Reset cleared the error count")
	}
	// Value trees have no error kind and count nothing.
	w.ResetErrors()
	w.Value(ArrayOf(Status("ERR x"), Bulk("-ERR y")))
	if n, _ := w.Errors(); n != 0 {
		t.Fatalf("Value counted %d errors", n)
	}
}

func TestWriterTruncate(t *testing.T) {
	w := NewWriter(3)
	w.OK()
	mark := w.Len()
	w.Map(1)
	w.BulkString("k")
	w.Error("ERR dropped")
	w.Truncate(mark)
	if got := string(w.Bytes()); got != "+OK\r\n" {
		t.Fatalf("Truncate(%d): %q", mark, got)
	}
	// Errors stay counted (the server's panic path replaces the reply and
	// counts what the command wrote).
	if n, first := w.Errors(); n != 1 || first != "ERR dropped" {
		t.Fatalf("Truncate changed the error count: %d %q", n, first)
	}
	w.Error("ERR internal error")
	if got := string(w.Bytes()); got != "+OK\r\n-ERR internal error\r\n" {
		t.Fatalf("write after Truncate: %q", got)
	}

	// Truncate at or past the end does nothing: in particular it does not
	// bring back bytes dropped before (they may have been sent already).
	w.Reset()
	w.BulkString("old bytes, already flushed")
	w.Reset()
	w.OK()
	for _, n := range []int{w.Len(), w.Len() + 1, 20} {
		w.Truncate(n)
		if got := string(w.Bytes()); got != "+OK\r\n" {
			t.Fatalf("Truncate(%d) past Len 5: %q", n, got)
		}
	}
	w.Truncate(0)
	if w.Len() != 0 {
		t.Fatalf("Truncate(0): Len %d", w.Len())
	}
}

func TestWriterSetBuffer(t *testing.T) {
	w := NewWriter(2)
	w.BulkString(strings.Repeat("x", 1000))
	buf := make([]byte, 0, 16)
	w.SetBuffer(buf)
	if w.Len() != 0 || cap(w.Bytes()) != 16 {
		t.Fatalf("SetBuffer: len %d cap %d", w.Len(), cap(w.Bytes()))
	}
	w.OK()
	if string(w.Bytes()) != "+OK\r\n" || &w.Bytes()[0] != &buf[:1][0] {
		t.Fatalf("SetBuffer: %q, not in the given buffer", w.Bytes())
	}
	// A non-empty buffer is kept as a prefix.
	w.SetBuffer([]byte(":1\r\n"))
	w.Int(2)
	if string(w.Bytes()) != ":1\r\n:2\r\n" {
		t.Fatalf("SetBuffer with content: %q", w.Bytes())
	}
}

func TestAppendDouble(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{1.1, "1.1000000000000001"},
		{0.1, "0.10000000000000001"},
		{1.5, "1.5"},
		{-2.5, "-2.5"},
		{100, "100"},
		{1e15, "1000000000000000"},
		{1e17, "1e+17"},
		{1e-4, "0.0001"},
		{1.5e-5, "1.5e-05"},
		{1e-5, "1.0000000000000001e-05"},
		{1e100, "1e+100"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
		{math.Copysign(0, -1), "-0"},
	} {
		got := string(AppendDouble([]byte("x"), tc.f))
		if got != "x"+tc.want {
			t.Errorf("AppendDouble(%v) = %q, want %q", tc.f, got[1:], tc.want)
		}
	}
}

// cG17 is C's printf("%.17g") written from its definition (C11 7.21.6.1):
// with P = 17 and X the exponent of the %e form, use %f with precision
// P-1-X if P > X >= -4, else %e with precision P-1; then drop trailing zeros
// and a trailing point. strconv's 'e' and 'f' round correctly, as glibc does.
func cG17(f float64) string {
	e := strconv.FormatFloat(f, 'e', 16, 64)
	i := strings.LastIndexByte(e, 'e')
	x, _ := strconv.Atoi(e[i+1:])
	var s string
	if x < 17 && x >= -4 {
		s = strconv.FormatFloat(f, 'f', 16-x, 64)
		if strings.IndexByte(s, '.') >= 0 {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	mant, exp := e[:i], e[i:]
	if strings.IndexByte(mant, '.') >= 0 {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	return mant + exp
}

func TestAppendDoubleMatchesCG17(t *testing.T) {
	rnd := newRand(t)
	check := func(f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		if got, want := string(AppendDouble(nil, f)), cG17(f); got != want {
			t.Fatalf("AppendDouble(%b) = %q, %%.17g gives %q", f, got, want)
		}
	}
	for _, f := range []float64{0, 1, -1, 0.5, 1e-4, 9.99999e-5, 1e-5, 1e16, 9.9999999999999998e16, 1e17, 123456789012345678, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		check(f)
		check(-f)
	}
	for i := 0; i < 200000; i++ {
		check(math.Float64frombits(rnd.Uint64()))
		check(float64(rnd.Int63n(1<<53)) / math.Pow(10, float64(rnd.Intn(25))))
		check(math.Round(rnd.NormFloat64()*1e6) / 1e3)
	}
}

func TestValue(t *testing.T) {
	for _, tc := range []struct {
		name         string
		v            Value
		resp2, resp3 string
	}{
		{"bulk", Bulk("x"), "$1\r\nx\r\n", "$1\r\nx\r\n"},
		{"status", Status("OK\nx"), "+OK x\r\n", "+OK x\r\n"},
		{"int", Integer(-7), ":-7\r\n", ":-7\r\n"},
		{"double", DoubleValue(1.1), "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
		{"double inf", DoubleValue(math.Inf(1)), "$3\r\ninf\r\n", ",inf\r\n"},
		{"true", BoolValue(true), ":1\r\n", "#t\r\n"},
		{"false", BoolValue(false), ":0\r\n", "#f\r\n"},
		{"null", NullValue(), "$-1\r\n", "_\r\n"},
		{"zero Value is an empty bulk", Value{}, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"empty array", ArrayOf(), "*0\r\n", "*0\r\n"},
		{"empty set", SetOf(), "*0\r\n", "~0\r\n"},
		{"empty map", MapOf(), "*0\r\n", "%0\r\n"},
		{"array", ArrayOf(Integer(1), Bulk("a"), NullValue()), "*3\r\n:1\r\n$1\r\na\r\n$-1\r\n", "*3\r\n:1\r\n$1\r\na\r\n_\r\n"},
		{"set", SetOf(Bulk("a"), Bulk("b")), "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{"map", MapOf(Bulk("k"), Integer(1), Bulk("f"), BoolValue(true)),
			"*4\r\n$1\r\nk\r\n:1\r\n$1\r\nf\r\n:1\r\n", "%2\r\n$1\r\nk\r\n:1\r\n$1\r\nf\r\n#t\r\n"},
		// Redis' EVAL "return {1,{2,{3}},'x'}" 0
		{"nested arrays", ArrayOf(Integer(1), ArrayOf(Integer(2), ArrayOf(Integer(3))), Bulk("x")),
			"*3\r\n:1\r\n*2\r\n:2\r\n*1\r\n:3\r\n$1\r\nx\r\n", "*3\r\n:1\r\n*2\r\n:2\r\n*1\r\n:3\r\n$1\r\nx\r\n"},
		// COMMAND DOCS style: a map of maps with sets and arrays inside.
		{"map of maps", MapOf(
			Bulk("get"), MapOf(
				Bulk("summary"), Bulk("Get"),
				Bulk("flags"), SetOf(Status("readonly"), Status("fast")),
				Bulk("args"), ArrayOf(MapOf(Bulk("name"), Bulk("key"))),
			),
		),
			"*2\r\n$3\r\nget\r\n*6\r\n$7\r\nsummary\r\n$3\r\nGet\r\n$5\r\nflags\r\n*2\r\n+readonly\r\n+fast\r\n$4\r\nargs\r\n*1\r\n*2\r\n$4\r\nname\r\n$3\r\nkey\r\n",
			"%1\r\n$3\r\nget\r\n%3\r\n$7\r\nsummary\r\n$3\r\nGet\r\n$5\r\nflags\r\n~2\r\n+readonly\r\n+fast\r\n$4\r\nargs\r\n*1\r\n%1\r\n$4\r\nname\r\n$3\r\nkey\r\n"},
		{"set in array in set", SetOf(ArrayOf(SetOf(Integer(1)), DoubleValue(0.5))),
			"*1\r\n*2\r\n*1\r\n:1\r\n$3\r\n0.5\r\n", "~1\r\n*2\r\n~1\r\n:1\r\n,0.5\r\n"},
	} {
		for _, proto := range []int{2, 3} {
			want := tc.resp2
			if proto == 3 {
				want = tc.resp3
			}
			w := NewWriter(proto)
			w.Value(tc.v)
			if got := string(w.Bytes()); got != want {
				t.Errorf("%s RESP%d:\n got %q\nwant %q", tc.name, proto, got, want)
			}
		}
	}
}

func TestValueConstructors(t *testing.T) {
	if v := BoolValue(true); v.Kind != KindBool || v.Int != 1 {
		t.Errorf("BoolValue(true) = %+v", v)
	}
	if v := BoolValue(false); v.Kind != KindBool || v.Int != 0 {
		t.Errorf("BoolValue(false) = %+v", v)
	}
	if v := DoubleValue(2.5); v.Kind != KindDouble || v.Float != 2.5 {
		t.Errorf("DoubleValue = %+v", v)
	}
	if v := MapOf(Bulk("a"), Bulk("b")); v.Kind != KindMap || len(v.Elems) != 2 {
		t.Errorf("MapOf = %+v", v)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("MapOf with an odd number of elements did not panic")
		}
	}()
	MapOf(Bulk("a"))
}

// TestWriterReadBack writes random value trees in RESP2 and reads them back
// with the Reader: the framing of every reply must hold.
func TestWriterReadBack(t *testing.T) {
	rnd := newRand(t)
	var gen func(depth int) Value
	gen = func(depth int) Value {
		k := rnd.Intn(9)
		if depth > 4 && k >= 6 {
			k = rnd.Intn(6)
		}
		switch k {
		case 0:
			return Bulk(randString(rnd, 40))
		case 1:
			return Status(randString(rnd, 10))
		case 2:
			return Integer(rnd.Int63() - rnd.Int63())
		case 3:
			return DoubleValue(rnd.NormFloat64() * 1e6)
		case 4:
			return BoolValue(rnd.Intn(2) == 0)
		case 5:
			return NullValue()
		}
		elems := make([]Value, 2*rnd.Intn(4))
		for i := range elems {
			elems[i] = gen(depth + 1)
		}
		switch k {
		case 6:
			return ArrayOf(elems...)
		case 7:
			return SetOf(elems...)
		}
		return MapOf(elems...)
	}
	w := NewWriter(2)
	var vals []Value
	for i := 0; i < 500; i++ {
		v := gen(0)
		vals = append(vals, v)
		w.Value(v)
	}
	rd := NewReader(&chunkReader{data: w.Bytes(), rnd: rnd, max: 13}, 0)
	for i, v := range vals {
		r, err := rd.ReadReply()
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		checkValueReply(t, v, r)
	}
	if _, err := rd.ReadReply(); err != io.EOF {
		t.Fatalf("after the last reply: %v, want EOF", err)
	}
}

func checkValueReply(t *testing.T, v Value, r Reply) {
	t.Helper()
	switch v.Kind {
	case KindBulk:
		if r.Type != '$' || string(r.Data) != v.Str {
			t.Fatalf("bulk %q read as %c %q", v.Str, r.Type, r.Data)
		}
	case KindStatus:
		if r.Type != '+' || string(r.Data) != oneLine(v.Str) {
			t.Fatalf("status %q read as %c %q", v.Str, r.Type, r.Data)
		}
	case KindInt, KindBool:
		n, ok := ParseInt(r.Data)
		if r.Type != ':' || !ok || n != v.Int {
			t.Fatalf("integer %d read as %c %q", v.Int, r.Type, r.Data)
		}
	case KindDouble:
		f, ok := ParseFloat(r.Data)
		if r.Type != '$' || !ok || f != v.Float {
			t.Fatalf("double %v read as %c %q", v.Float, r.Type, r.Data)
		}
	case KindNull:
		if r.Type != '$' || r.Data != nil || !bytes.Equal(r.Raw, []byte("$-1\r\n")) {
			t.Fatalf("null read as %c %q", r.Type, r.Raw)
		}
	default:
		if r.Type != '*' || r.Count != len(v.Elems) {
			t.Fatalf("aggregate of %d read as %c count %d", len(v.Elems), r.Type, r.Count)
		}
		i := 0
		r.ForEach(func(e Reply) bool {
			checkValueReply(t, v.Elems[i], e)
			i++
			return true
		})
	}
}
