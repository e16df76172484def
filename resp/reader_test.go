package resp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/tidwall/redcon"
)

// newRand returns a random source whose seed is logged, so that a failure
// can be replayed.
func newRand(t testing.TB) *rand.Rand {
	seed := time.Now().UnixNano()
	t.Logf("random seed %d", seed)
	return rand.New(rand.NewSource(seed))
}

func randString(rnd *rand.Rand, max int) string {
	const alphabet = "ab\r\n$*:+-\x00é0123456789"
	b := make([]byte, rnd.Intn(max+1))
	for i := range b {
		b[i] = alphabet[rnd.Intn(len(alphabet))]
	}
	return string(b)
}

// chunkReader returns data in pieces of random sizes between 1 and max.
type chunkReader struct {
	data []byte
	rnd  *rand.Rand
	max  int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1 + c.rnd.Intn(c.max)
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// errMoreData is what strictReader returns once its data is used up: a
// Reader that asks for more after a complete or malformed reply would block
// forever on a socket.
var errMoreData = errors.New("test: the Reader asked for more data")

type strictReader struct{ data []byte }

func (s *strictReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, errMoreData
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// scriptReader returns each of its steps in turn: bytes or an error.
type scriptReader struct {
	steps []any
}

func (s *scriptReader) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	step := s.steps[0]
	switch v := step.(type) {
	case error:
		s.steps = s.steps[1:]
		return 0, v
	case string:
		n := copy(p, v)
		if n == len(v) {
			s.steps = s.steps[1:]
		} else {
			s.steps[0] = v[n:]
		}
		return n, nil
	case nil:
		s.steps = s.steps[1:]
		return 0, nil
	}
	panic(fmt.Sprintf("bad step %T", step))
}

// readerKinds deliver the same stream in different pieces.
var readerKinds = []struct {
	name string
	make func(data []byte, rnd *rand.Rand) io.Reader
}{
	{"whole", func(d []byte, _ *rand.Rand) io.Reader { return bytes.NewReader(d) }},
	{"one byte", func(d []byte, _ *rand.Rand) io.Reader { return iotest.OneByteReader(bytes.NewReader(d)) }},
	{"half", func(d []byte, _ *rand.Rand) io.Reader { return iotest.HalfReader(bytes.NewReader(d)) }},
	{"data with EOF", func(d []byte, _ *rand.Rand) io.Reader { return iotest.DataErrReader(bytes.NewReader(d)) }},
	{"random chunks", func(d []byte, rnd *rand.Rand) io.Reader { return &chunkReader{data: d, rnd: rnd, max: 7} }},
	{"big random chunks", func(d []byte, rnd *rand.Rand) io.Reader { return &chunkReader{data: d, rnd: rnd, max: 5000} }},
}

type wantReply struct {
	typ   byte
	data  string
	count int
	raw   string
	null  bool // Data is nil
}

func (w wantReply) check(t *testing.T, where string, r Reply) {
	t.Helper()
	if byte(r.Type) != w.typ || string(r.Data) != w.data || r.Count != w.count || string(r.Raw) != w.raw || (r.Data == nil) != w.null {
		t.Errorf("%s: got {%c %q count %d raw %q nil %v}, want {%c %q count %d raw %q nil %v}",
			where, r.Type, r.Data, r.Count, r.Raw, r.Data == nil, w.typ, w.data, w.count, w.raw, w.null)
	}
}

func TestReaderReplies(t *testing.T) {
	big := strings.Repeat("0123456789", 100000) // 1 MB: the buffer must grow
	cases := []struct {
		name    string
		in      string
		want    []wantReply
		wantErr error // after the replies
	}{
		{"status", "+OK\r\n", []wantReply{{'+', "OK", 0, "+OK\r\n", false}}, io.EOF},
		{"empty status", "+\r\n", []wantReply{{'+', "", 0, "+\r\n", false}}, io.EOF},
		{"status with CR inside", "+a\rb\r\n", []wantReply{{'+', "a\rb", 0, "+a\rb\r\n", false}}, io.EOF},
		{"error", "-ERR unknown command\r\n", []wantReply{{'-', "ERR unknown command", 0, "-ERR unknown command\r\n", false}}, io.EOF},
		{"integer", ":-12\r\n", []wantReply{{':', "-12", 0, ":-12\r\n", false}}, io.EOF},
		{"integer 0", ":0\r\n", []wantReply{{':', "0", 0, ":0\r\n", false}}, io.EOF},
		{"bulk", "$5\r\nhello\r\n", []wantReply{{'$', "hello", 0, "$5\r\nhello\r\n", false}}, io.EOF},
		{"bulk with CRLF inside", "$4\r\na\r\nb\r\n", []wantReply{{'$', "a\r\nb", 0, "$4\r\na\r\nb\r\n", false}}, io.EOF},
		{"empty bulk", "$0\r\n\r\n", []wantReply{{'$', "", 0, "$0\r\n\r\n", false}}, io.EOF},
		{"nil bulk", "$-1\r\n", []wantReply{{'$', "", 0, "$-1\r\n", true}}, io.EOF},
		{"nil array", "*-1\r\n", []wantReply{{'*', "", -1, "*-1\r\n", false}}, io.EOF},
		{"empty array", "*0\r\n", []wantReply{{'*', "", 0, "*0\r\n", false}}, io.EOF},
		{"array", "*3\r\n:1\r\n$-1\r\n+x\r\n", []wantReply{{'*', ":1\r\n$-1\r\n+x\r\n", 3, "*3\r\n:1\r\n$-1\r\n+x\r\n", false}}, io.EOF},
		{"nested arrays", "*2\r\n*1\r\n*0\r\n*2\r\n:1\r\n*-1\r\n",
			[]wantReply{{'*', "*1\r\n*0\r\n*2\r\n:1\r\n*-1\r\n", 2, "*2\r\n*1\r\n*0\r\n*2\r\n:1\r\n*-1\r\n", false}}, io.EOF},
		{"pipelined", "+OK\r\n:1\r\n$1\r\nx\r\n*1\r\n$-1\r\n-ERR e\r\n", []wantReply{
			{'+', "OK", 0, "+OK\r\n", false},
			{':', "1", 0, ":1\r\n", false},
			{'$', "x", 0, "$1\r\nx\r\n", false},
			{'*', "$-1\r\n", 1, "*1\r\n$-1\r\n", false},
			{'-', "ERR e", 0, "-ERR e\r\n", false},
		}, io.EOF},
		{"large bulk", "$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n:7\r\n", []wantReply{
			{'$', big, 0, "$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n", false},
			{':', "7", 0, ":7\r\n", false},
		}, io.EOF},
		{"large status", "+" + big + "\r\n", []wantReply{{'+', big, 0, "+" + big + "\r\n", false}}, io.EOF},
		// What redcon accepts beyond what Redis sends.
		{"bulk length with +", "$+1\r\nx\r\n", []wantReply{{'$', "x", 0, "$+1\r\nx\r\n", false}}, io.EOF},
		{"bulk length -2", "$-2\r\n", []wantReply{{'$', "", 0, "$-2\r\n", true}}, io.EOF},
		{"long integer", ":123456789012345678901234567890\r\n", []wantReply{{':', "123456789012345678901234567890", 0, ":123456789012345678901234567890\r\n", false}}, io.EOF},

		{"empty stream", "", nil, io.EOF},
		{"EOF in a line", "+OK\r\n+O", []wantReply{{'+', "OK", 0, "+OK\r\n", false}}, io.ErrUnexpectedEOF},
		{"EOF after CR", "+OK\r", nil, io.ErrUnexpectedEOF},
		{"EOF in a bulk", "$5\r\nhel", nil, io.ErrUnexpectedEOF},
		{"EOF before the bulk CRLF", "$5\r\nhello", nil, io.ErrUnexpectedEOF},
		{"EOF in an array", "*3\r\n:1\r\n:2\r\n", nil, io.ErrUnexpectedEOF},
		{"EOF in a nested array", "*2\r\n*2\r\n:1\r\n", nil, io.ErrUnexpectedEOF},
		{"EOF after a type byte", "*", nil, io.ErrUnexpectedEOF},
	}
	rnd := newRand(t)
	for _, tc := range cases {
		for _, kind := range readerKinds {
			rd := NewReader(kind.make([]byte(tc.in), rnd), 0)
			for i, w := range tc.want {
				r, err := rd.ReadReply()
				if err != nil {
					t.Errorf("%s, %s reader: reply %d: %v", tc.name, kind.name, i, err)
					break
				}
				w.check(t, fmt.Sprintf("%s, %s reader, reply %d", tc.name, kind.name, i), r)
			}
			if _, err := rd.ReadReply(); err != tc.wantErr {
				t.Errorf("%s, %s reader: final error %v, want %v", tc.name, kind.name, err, tc.wantErr)
			}
		}
	}
}

// TestReaderMalformed checks that a malformed reply is an error as soon as
// its bytes are there (the strict reader fails if the Reader asks for more,
// as it would block on a socket), that the error stays, and that replies
// before it are returned.
func TestReaderMalformed(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"?\r\n", `unexpected reply type byte '?'`},
		{"\r\n", `unexpected reply type byte '\r'`},
		{"OK\r\n", `unexpected reply type byte 'O'`},
		// RESP3 types are not RESP2 replies.
		{"_\r\n", `unexpected reply type byte '_'`},
		{"%1\r\n", `unexpected reply type byte '%'`},
		{",1.5\r\n", `unexpected reply type byte ','`},
		{"#t\r\n", `unexpected reply type byte '#'`},
		{"*2\r\n:1\r\n_\r\n", `unexpected reply type byte '_'`},
		{"+OK\n", "without CR"},
		{"+\n", "without CR"},
		{"-ERR\n", "without CR"},
		{"$3\nabc\r\n", "without CR"},
		{"*1\r\n:1\n", "without CR"},
		{":abc\r\n", "invalid reply line"},
		{":\r\n", "invalid reply line"},
		{":-\r\n", "invalid reply line"},
		{":+1\r\n", "invalid reply line"},
		{":1 \r\n", "invalid reply line"},
		{":1.5\r\n", "invalid reply line"},
		{"$abc\r\n", "invalid bulk length"},
		{"$\r\n", "invalid bulk length"},
		{"$ 1\r\nx\r\n", "invalid bulk length"},
		{"$1_0\r\n", "invalid bulk length"},
		{"$99999999999999999999\r\n", "invalid bulk length"},
		{"*x\r\n", "invalid array length"},
		{"*\r\n", "invalid array length"},
		{"*0x1\r\n", "invalid array length"},
		{"$3\r\nabcde", "not followed by CRLF"},
		{"$3\r\nabc\n\r", "not followed by CRLF"},
		{"$0\r\nx\r\n", "not followed by CRLF"},
		{"*2\r\n$1\r\nxy\r\n", "not followed by CRLF"},
	} {
		for _, prefix := range []string{"", "+first\r\n"} {
			rd := NewReader(&strictReader{data: []byte(prefix + tc.in)}, 0)
			if prefix != "" {
				if r, err := rd.ReadReply(); err != nil || string(r.Raw) != prefix {
					t.Errorf("%q: the reply before: %q %v", prefix+tc.in, r.Raw, err)
					continue
				}
			}
			_, err := rd.ReadReply()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: error %v, want one with %q", prefix+tc.in, err, tc.want)
				continue
			}
			if _, err2 := rd.ReadReply(); err2 != err {
				t.Errorf("%q: second call gave %v, want the same error %v", tc.in, err2, err)
			}
		}
		// redcon agrees that these are not replies, whatever follows.
		if n, _ := redcon.ReadNextRESP([]byte(tc.in + strings.Repeat("\r\n", 10))); n != 0 {
			t.Errorf("%q: redcon reads %d bytes", tc.in, n)
		}
	}
}

func TestReaderSizeLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		max     int
		in      string
		wantErr error
	}{
		{"exactly the limit", 11, "$5\r\nhello\r\n", io.EOF},
		{"one byte over", 10, "$5\r\nhello\r\n", ErrReplyTooLarge},
		{"status at the limit", 5, "+ab\r\n", io.EOF},
		{"status over", 5, "+abc\r\n", ErrReplyTooLarge},
		{"array over", 12, "*2\r\n:1\r\n:22\r\n", ErrReplyTooLarge},
		{"array at the limit", 13, "*2\r\n:1\r\n:22\r\n", io.EOF},
		{"line with no end", 100, "+" + strings.Repeat("x", 200), ErrReplyTooLarge},
	} {
		for _, kind := range readerKinds {
			rd := NewReader(kind.make([]byte(tc.in), rand.New(rand.NewSource(1))), tc.max)
			var err error
			for err == nil {
				_, err = rd.ReadReply()
			}
			if err != tc.wantErr {
				t.Errorf("%s, %s reader: %v, want %v", tc.name, kind.name, err, tc.wantErr)
			}
		}
	}

	// A length beyond the limit is an error as soon as the header is in,
	// without waiting for (or buffering) the data. The largest lengths
	// made redcon index out of range.
	for _, in := range []string{
		"$101\r\n",
		"$1000000000000\r\n",
		"$9223372036854775807\r\n",
		"$9223372036854775800\r\nabc",
		"*34\r\n",
		"*9223372036854775807\r\n",
		"*2\r\n$9223372036854775807\r\n",
	} {
		rd := NewReader(&strictReader{data: []byte(in)}, 100)
		if _, err := rd.ReadReply(); err != ErrReplyTooLarge {
			t.Errorf("%q with limit 100: %v, want ErrReplyTooLarge", in, err)
		}
		if _, err := rd.ReadReply(); err != ErrReplyTooLarge {
			t.Errorf("%q with limit 100: second call %v, want ErrReplyTooLarge again", in, err)
		}
	}
	// The default limit is 1 GiB.
	for _, in := range []string{"$1073741824\r\n", "$9223372036854775807\r\n", "*9223372036854775807\r\n"} {
		rd := NewReader(&strictReader{data: []byte(in)}, 0)
		if _, err := rd.ReadReply(); err != ErrReplyTooLarge {
			t.Errorf("%q with the default limit: %v, want ErrReplyTooLarge", in, err)
		}
	}
	rd := NewReader(&strictReader{data: []byte("$1073741800\r\n")}, -1)
	if _, err := rd.ReadReply(); err != errMoreData {
		t.Errorf("a bulk just under 1 GiB: %v, want a wait for the data", err)
	}
}

func TestReaderDepth(t *testing.T) {
	// redcon parses nested arrays recursively: deep nesting is fine.
	const depth = 10000
	nested := strings.Repeat("*1\r\n", depth) + ":1\r\n"
	rd := NewReader(strings.NewReader(nested), 0)
	r, err := rd.ReadReply()
	if err != nil || len(r.Raw) != 4*depth+4 {
		t.Fatalf("%d nested arrays: %d bytes, %v", depth, len(r.Raw), err)
	}
	deepEmpty := strings.Repeat("*2\r\n*0\r\n", depth) + ":1\r\n"
	rd = NewReader(strings.NewReader(deepEmpty), 0)
	if _, err := rd.ReadReply(); err != nil {
		t.Fatalf("nested arrays with empty ones: %v", err)
	}
}

func TestReaderReadErrors(t *testing.T) {
	timeout := errors.New("i/o timeout")
	// A read error is returned as it is and the reply read so far is kept:
	// a deadline can be extended and ReadReply called again.
	rd := NewReader(&scriptReader{steps: []any{"*2\r\n$3\r\nab", timeout, "c\r\n:", timeout, "5\r\n+OK\r\n"}}, 0)
	for i := 0; i < 2; i++ {
		if _, err := rd.ReadReply(); err != timeout {
			t.Fatalf("call %d: %v, want the read error", i, err)
		}
	}
	r, err := rd.ReadReply()
	if err != nil || string(r.Raw) != "*2\r\n$3\r\nabc\r\n:5\r\n" {
		t.Fatalf("after the errors: %q %v", r.Raw, err)
	}
	if r, err := rd.ReadReply(); err != nil || string(r.Raw) != "+OK\r\n" {
		t.Fatalf("next reply: %q %v", r.Raw, err)
	}
	if _, err := rd.ReadReply(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}

	// Reads that return nothing and no error are retried, as io.Reader
	// asks; only many of them in a row give io.ErrNoProgress.
	steps := []any{"+O"}
	for i := 0; i < 50; i++ {
		steps = append(steps, nil)
	}
	steps = append(steps, "K\r\n")
	rd = NewReader(&scriptReader{steps: steps}, 0)
	if r, err := rd.ReadReply(); err != nil || string(r.Data) != "OK" {
		t.Fatalf("with empty reads: %q %v", r.Raw, err)
	}
	steps = []any{}
	for i := 0; i < 200; i++ {
		steps = append(steps, nil)
	}
	rd = NewReader(&scriptReader{steps: steps}, 0)
	if _, err := rd.ReadReply(); err != io.ErrNoProgress {
		t.Fatalf("with only empty reads: %v, want io.ErrNoProgress", err)
	}

	// iotest.TimeoutReader fails its second read.
	rd = NewReader(iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader("+OK\r\n"))), 0)
	if _, err := rd.ReadReply(); err != iotest.ErrTimeout {
		t.Fatalf("TimeoutReader: %v", err)
	}
}

func TestReaderBuffered(t *testing.T) {
	rd := NewReader(strings.NewReader("+a\r\n:12\r\n$1"), 0)
	if rd.Buffered() != 0 {
		t.Fatalf("Buffered before reading: %d", rd.Buffered())
	}
	r, err := rd.ReadReply()
	if err != nil || string(r.Data) != "a" {
		t.Fatalf("first reply: %q %v", r.Raw, err)
	}
	if rd.Buffered() != 7 {
		t.Fatalf("Buffered after the first reply: %d, want 7", rd.Buffered())
	}
	if _, err := rd.ReadReply(); err != nil {
		t.Fatal(err)
	}
	if rd.Buffered() != 2 {
		t.Fatalf("Buffered with a partial reply: %d, want 2", rd.Buffered())
	}
	if _, err := rd.ReadReply(); err != io.ErrUnexpectedEOF {
		t.Fatalf("partial reply at EOF: %v", err)
	}
}

// TestReaderSlide pipelines many replies so that partial replies cross the
// end of the buffer, which slides them down or grows, and checks every reply
// with every way of cutting the stream.
func TestReaderSlide(t *testing.T) {
	rnd := newRand(t)
	var stream []byte
	var want []string
	for len(stream) < 200_000 {
		var one []byte
		switch rnd.Intn(4) {
		case 0:
			one = AppendCommand(nil, randString(rnd, 30), randString(rnd, 3000))
		case 1:
			one = []byte(":" + strconv.Itoa(rnd.Intn(1000)) + "\r\n")
		case 2:
			one = []byte("$" + strconv.Itoa(20000) + "\r\n" + strings.Repeat("y", 20000) + "\r\n")
		default:
			one = []byte("+" + strings.Repeat("s", rnd.Intn(17000)) + "\r\n")
		}
		stream = append(stream, one...)
		want = append(want, string(one))
	}
	for _, kind := range readerKinds {
		rd := NewReader(kind.make(stream, rnd), 0)
		for i, w := range want {
			r, err := rd.ReadReply()
			if err != nil || string(r.Raw) != w {
				t.Fatalf("%s reader, reply %d: %.40q %v, want %.40q", kind.name, i, r.Raw, err, w)
			}
		}
		if _, err := rd.ReadReply(); err != io.EOF {
			t.Fatalf("%s reader: end %v", kind.name, err)
		}
	}
}

// TestReaderLinear reads a large array arriving in small pieces: each piece
// must not scan the reply from its start again (that took minutes).
func TestReaderLinear(t *testing.T) {
	const n = 500_000
	var b bytes.Buffer
	b.WriteString("*" + strconv.Itoa(n) + "\r\n")
	for i := 0; i < n; i++ {
		b.WriteString("$1\r\nx\r\n")
	}
	b.WriteString("+" + strings.Repeat("z", 2_000_000) + "\r\n")
	data := b.Bytes()
	start := time.Now()
	rd := NewReader(&chunkReader{data: data, rnd: rand.New(rand.NewSource(1)), max: 1000}, 0)
	r, err := rd.ReadReply()
	if err != nil || r.Count != n {
		t.Fatalf("array: count %d, %v", r.Count, err)
	}
	if r, err = rd.ReadReply(); err != nil || len(r.Data) != 2_000_000 {
		t.Fatalf("long status: %d bytes, %v", len(r.Data), err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("reading %d bytes in 500-byte pieces took %v", len(data), d)
	}
}

// TestReaderReplyValid checks that a reply stays intact until the next call,
// even though the buffer is reused.
func TestReaderReplyValid(t *testing.T) {
	data := []byte("$5\r\nfirst\r\n$6\r\nsecond\r\n")
	rd := NewReader(iotest.OneByteReader(bytes.NewReader(data)), 0)
	r1, _ := rd.ReadReply()
	if string(r1.Data) != "first" {
		t.Fatalf("first: %q", r1.Data)
	}
	r2, _ := rd.ReadReply()
	if string(r2.Data) != "second" {
		t.Fatalf("second: %q", r2.Data)
	}
}

func TestAppendCommand(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		args   []string
		want   string
	}{
		{"", nil, "*0\r\n"},
		{"", []string{"PING"}, "*1\r\n$4\r\nPING\r\n"},
		{"", []string{"SET", "k", ""}, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"},
		{"", []string{"SET", "a\r\nb", "\x00é"}, "*3\r\n$3\r\nSET\r\n$4\r\na\r\nb\r\n$3\r\n\x00é\r\n"},
		{"*1\r\n$4\r\nPING\r\n", []string{"GET", "x"}, "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n"},
	} {
		got := string(AppendCommand([]byte(tc.prefix), tc.args...))
		if got != tc.want {
			t.Errorf("AppendCommand(%q, %q) = %q, want %q", tc.prefix, tc.args, got, tc.want)
		}
		// A command is a valid reply too: an array of bulks.
		rd := NewReader(strings.NewReader(got[len(tc.prefix):]), 0)
		r, err := rd.ReadReply()
		if err != nil || r.Count != len(tc.args) {
			t.Errorf("%q reads back as %d elements, %v", tc.args, r.Count, err)
			continue
		}
		var back []string
		r.ForEach(func(e Reply) bool {
			back = append(back, string(e.Data))
			return true
		})
		if strings.Join(back, "|") != strings.Join(tc.args, "|") {
			t.Errorf("%q reads back as %q", tc.args, back)
		}
	}
	// The command Redis parses as such (redcon's server-side reader).
	cmd := AppendCommand(nil, "SET", "key", "a\r\nvalue")
	complete, args, _, left, err := redcon.ReadNextCommand(cmd, nil)
	if !complete || err != nil || len(left) != 0 || len(args) != 3 || string(args[2]) != "a\r\nvalue" {
		t.Fatalf("redcon reads %q as %v %q %q %v", cmd, complete, args, left, err)
	}
}

func TestReplyError(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for no error
	}{
		{"-ERR unknown command 'x'\r\n", "ERR unknown command 'x'"},
		{"-\r\n", ""}, // an empty error message is still an error
		{"+ERR not an error\r\n", ""},
		{"$4\r\n-ERR\r\n", ""},
		{":1\r\n", ""},
		{"*1\r\n-ERR inside\r\n", ""},
		{"$-1\r\n", ""},
	} {
		r, err := NewReader(strings.NewReader(tc.in), 0).ReadReply()
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		got := ReplyError(r)
		isErr := tc.in[0] == '-'
		if (got != nil) != isErr || (got != nil && got.Error() != tc.want) {
			t.Errorf("ReplyError(%q) = %v, want error %v %q", tc.in, got, isErr, tc.want)
		}
	}
	if ReplyError(Reply{}) != nil {
		t.Errorf("ReplyError of the zero Reply is not nil")
	}
}

// readAll reads replies until an error, keeping copies of their Raw bytes.
func readAll(rd *Reader) ([]string, error) {
	var raws []string
	for {
		r, err := rd.ReadReply()
		if err != nil {
			return raws, err
		}
		raws = append(raws, string(r.Raw))
	}
}

func sameReply(a, b Reply) bool {
	return a.Type == b.Type && a.Count == b.Count && bytes.Equal(a.Raw, b.Raw) &&
		bytes.Equal(a.Data, b.Data) && (a.Data == nil) == (b.Data == nil)
}

func isProtocolError(err error) bool {
	return err != nil && err != io.EOF && err != io.ErrUnexpectedEOF && err != ErrReplyTooLarge
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"+OK\r\n", "-ERR x\r\n", ":12\r\n", ":-1\r\n", "$5\r\nhello\r\n", "$-1\r\n", "$0\r\n\r\n",
		"*-1\r\n", "*0\r\n", "*2\r\n$1\r\na\r\n*1\r\n:1\r\n", "*3\r\n:1\r\n$-1\r\n+x\r\n",
		"+OK\r\n:1\r\n$1\r\nx\r\n", "+OK\n", ":abc\r\n", "$3\r\nabcde", "$9223372036854775807\r\n",
		"*9223372036854775807\r\n", "$-9223372036854775808\r\n", "*1\r\n_\r\n", "%1\r\n", "$+1\r\nx\r\n",
		"*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", "$4\r\na\r\nb\r\n", "+a\rb\r\n", "*2\r\n:1\r\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		raws, err := readAll(NewReader(bytes.NewReader(data), 0))

		// Every reply re-reads identically from its Raw bytes, alone.
		off := 0
		for _, raw := range raws {
			if !bytes.HasPrefix(data[off:], []byte(raw)) {
				t.Fatalf("reply %q is not the next bytes of the stream at %d", raw, off)
			}
			// redcon at this point of the stream gives the same reply.
			n, want := redcon.ReadNextRESP(data[off:])
			if n != len(raw) {
				t.Fatalf("redcon reads %d bytes at %d, the Reader %q", n, off, raw)
			}
			rd := NewReader(strings.NewReader(raw), 0)
			got, err := rd.ReadReply()
			if err != nil || !sameReply(got, want) {
				t.Fatalf("%q re-reads as %q %v", raw, got.Raw, err)
			}
			if _, err := rd.ReadReply(); err != io.EOF {
				t.Fatalf("%q re-read: then %v, want EOF", raw, err)
			}
			off += len(raw)
		}
		switch {
		case err == io.EOF:
			if off != len(data) {
				t.Fatalf("EOF with %d bytes left", len(data)-off)
			}
		case err == io.ErrUnexpectedEOF:
			if off == len(data) {
				t.Fatalf("ErrUnexpectedEOF with nothing left")
			}
			if n, _ := redcon.ReadNextRESP(data[off:]); n != 0 {
				t.Fatalf("ErrUnexpectedEOF, but redcon reads %d bytes", n)
			}
		case isProtocolError(err):
			if n, _ := redcon.ReadNextRESP(data[off:]); n != 0 {
				t.Fatalf("%v, but redcon reads %d bytes", err, n)
			}
		}

		// The same replies, whatever the pieces the stream comes in.
		rnd := rand.New(rand.NewSource(int64(len(data))))
		for _, rd := range []io.Reader{
			iotest.OneByteReader(bytes.NewReader(data)),
			&chunkReader{data: data, rnd: rnd, max: 5},
			iotest.DataErrReader(bytes.NewReader(data)),
		} {
			raws2, err2 := readAll(NewReader(rd, 0))
			if strings.Join(raws2, "") != strings.Join(raws, "") || len(raws2) != len(raws) || fmt.Sprint(err2) != fmt.Sprint(err) {
				t.Fatalf("read in pieces: %d replies, %v; at once: %d replies, %v", len(raws2), err2, len(raws), err)
			}
		}

		// A small limit: no panic, and replies within it.
		raws3, _ := readAll(NewReader(iotest.HalfReader(bytes.NewReader(data)), 16))
		for i, raw := range raws3 {
			if len(raw) > 16 || i >= len(raws) || raw != raws[i] {
				t.Fatalf("with a limit of 16: reply %d %q", i, raw)
			}
		}
	})
}

func BenchmarkReaderArray(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("*10000\r\n")
	for i := 0; i < 10000; i++ {
		buf.WriteString("$5\r\nhello\r\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		rd := NewReader(bytes.NewReader(data), 0)
		if _, err := rd.ReadReply(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReaderNestedMalformedWaits documents the limit of framing with redcon:
// inside a nested array, a malformed element looks incomplete, so the
// Reader waits for more bytes (and the caller's deadline or the size limit
// ends the wait).
func TestReaderNestedMalformedWaits(t *testing.T) {
	rd := NewReader(&strictReader{data: []byte("*1\r\n*1\r\n!x\r\n")}, 0)
	if _, err := rd.ReadReply(); err != errMoreData {
		t.Fatalf("got %v, want a wait for more data", err)
	}
	rd = NewReader(strings.NewReader("*1\r\n*1\r\n!x\r\n"+strings.Repeat("x", 64)), 32)
	var err error
	for err == nil {
		_, err = rd.ReadReply()
	}
	if err != ErrReplyTooLarge && err != io.ErrUnexpectedEOF {
		t.Fatalf("got %v, want the size limit or the end of the stream", err)
	}
}
