package server

import (
	"strings"
	"testing"
)

func TestParseRequest(t *testing.T) {
	lim := requestLimits{maxBulkLen: 512 << 20}
	cases := []struct {
		name     string
		in       string
		lim      *requestLimits
		args     []string // nil: no command
		consumed int
		needMore bool
		err      string
	}{
		{name: "multibulk", in: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", args: []string{"GET", "k"}, consumed: 20},
		{name: "two pipelined", in: "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", args: []string{"PING"}, consumed: 14},
		{name: "empty bulk", in: "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", args: []string{"ECHO", ""}, consumed: 20},
		{name: "binary bulk", in: "*1\r\n$3\r\na\r\n\r\n", args: []string{"a\r\n"}, consumed: 13},
		{name: "incomplete count", in: "*2", needMore: true},
		{name: "incomplete bulk", in: "*2\r\n$3\r\nGET\r\n$1\r\n", needMore: true},
		{name: "incomplete data", in: "*1\r\n$10\r\nabc", needMore: true},
		{name: "star zero", in: "*0\r\n", consumed: 4},
		{name: "star minus one", in: "*-1\r\n", consumed: 5},
		{name: "bad count", in: "*x\r\n", err: ErrProtoInvalidMultibulk},
		{name: "plus count", in: "*+1\r\n", err: ErrProtoInvalidMultibulk},
		{name: "count too big", in: "*2147483648\r\n", err: ErrProtoInvalidMultibulk},
		{name: "expected dollar", in: "*1\r\nx3\r\n", err: "ERR Protocol error: expected '$', got 'x'"},
		{name: "bad bulk", in: "*1\r\n$x\r\n", err: ErrProtoInvalidBulk},
		{name: "negative bulk", in: "*1\r\n$-1\r\n", err: ErrProtoInvalidBulk},
		{name: "huge negative bulk", in: "*1\r\n$-9999999999\r\n", err: ErrProtoInvalidBulk},
		{name: "bulk over limit", in: "*1\r\n$536870913\r\n", err: ErrProtoInvalidBulk},
		{name: "bulk at limit", in: "*1\r\n$536870912\r\n", needMore: true},
		{name: "unauthenticated count", in: "*11\r\n", lim: &requestLimits{maxBulkLen: 1 << 20, unauthorized: true}, err: ErrProtoUnauthMultibulk},
		{name: "unauthenticated bulk", in: "*1\r\n$16385\r\n", lim: &requestLimits{maxBulkLen: 1 << 20, unauthorized: true}, err: ErrProtoUnauthBulk},
		{name: "no CRLF after bulk", in: "*1\r\n$1\r\nabc", err: ErrProtoInvalidBulk},
		{name: "inline", in: "SET k v\r\n", args: []string{"SET", "k", "v"}, consumed: 9},
		{name: "inline LF", in: "PING\n", args: []string{"PING"}, consumed: 5},
		{name: "inline empty", in: "\r\n", consumed: 2},
		{name: "inline incomplete", in: "PING", needMore: true},
		{name: "inline quotes", in: `SET "a b" 'c d'` + "\r\n", args: []string{"SET", "a b", "c d"}, consumed: 17},
		{name: "inline unbalanced", in: `SET "a b` + "\r\n", err: ErrProtoUnbalanced},
		{name: "inline too big", in: strings.Repeat("a", 64*1024+1), err: ErrProtoTooBigInline},
		{name: "inline long line", in: strings.Repeat("a", 64*1024+1) + "\n", err: ErrProtoTooBigInline},
		{name: "mbulk count too big", in: "*" + strings.Repeat("1", 64*1024+1), err: ErrProtoTooBigMbulk},
		{name: "bulk count too big", in: "*1\r\n$" + strings.Repeat("1", 64*1024+1), err: ErrProtoTooBigBulk},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := lim
			if c.lim != nil {
				l = *c.lim
			}
			args, n, need, err := parseRequest([]byte(c.in), nil, l)
			if c.err != "" {
				pe, ok := err.(*protocolError)
				if !ok || pe.reply != c.err {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if c.needMore {
				if n != 0 || need == 0 {
					t.Fatalf("consumed %d, need %d: want a request for more bytes", n, need)
				}
				return
			}
			if n != c.consumed {
				t.Fatalf("consumed %d, want %d", n, c.consumed)
			}
			var got []string
			for _, a := range args {
				got = append(got, string(a))
			}
			if strings.Join(got, "\x00") != strings.Join(c.args, "\x00") || len(got) != len(c.args) {
				t.Fatalf("args = %q, want %q", got, c.args)
			}
		})
	}
}

func TestSplitArgs(t *testing.T) {
	cases := []struct {
		line string
		want []string
		ok   bool
	}{
		{`set a b`, []string{"set", "a", "b"}, true},
		{`  set   a  `, []string{"set", "a"}, true},
		{`"\x41\x4a" "\n\r\t\b\a" "\\\""`, []string{"AJ", "\n\r\t\b\a", `\"`}, true},
		{`'it\'s'`, []string{"it's"}, true},
		{`'a\nb'`, []string{`a\nb`}, true},
		{`a"b c"d`, nil, false},
		{`a"b c"`, []string{"ab c"}, true},
		{`""`, []string{""}, true},
		{`"abc`, nil, false},
		{`'abc`, nil, false},
		{`"a"b`, nil, false},
		{"a\x00b c", []string{"a"}, true},
		{`"\x4"`, []string{"x4"}, true},
	}
	for _, c := range cases {
		args, ok := splitArgs([]byte(c.line), nil)
		if ok != c.ok {
			t.Errorf("splitArgs(%q) ok = %v, want %v", c.line, ok, c.ok)
			continue
		}
		var got []string
		for _, a := range args {
			got = append(got, string(a))
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("splitArgs(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

// FuzzParseRequest: whatever the bytes, the parser neither panics nor
// claims more than it was given, and a complete command re-encodes to what
// it consumed (for the RESP form).
func FuzzParseRequest(f *testing.F) {
	for _, seed := range []string{
		"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "PING\r\n", `SET "a b" 'c'` + "\n", "*1\r\n$-5\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", "*-1\r\n", "*1\r\n$4\r\nPI", "\r\n\r\n",
		"*1\r\n$9223372036854775807\r\n", "*1\r\n$-9223372036854775808\r\n",
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, unauthorized bool) {
		lim := requestLimits{maxBulkLen: 1 << 20, unauthorized: unauthorized}
		args, n, _, err := parseRequest(in, nil, lim)
		if err != nil {
			return
		}
		if n < 0 || n > len(in) {
			t.Fatalf("consumed %d of %d bytes", n, len(in))
		}
		if n > 0 && len(in) > 0 && in[0] == '*' && len(args) > 0 {
			var total int
			for _, a := range args {
				total += len(a)
			}
			if total > n {
				t.Fatalf("args hold %d bytes, more than the %d consumed", total, n)
			}
		}
	})
}
