// Package resp writes RESP2 and RESP3 replies, scans command arguments and
// reads replies on the client side.
//
// A Writer knows the protocol of the client it writes for: every RESP3 type has
// the RESP2 fallback Redis uses (a map becomes a flat array, a double a bulk
// string, a boolean an integer, a null a null bulk or null array).
//
// It imports internal/strtod and redcon only.
package resp

import (
	"math"
	"strconv"
	"strings"
)

// Writer appends replies to a byte buffer. The zero value writes RESP2.
type Writer struct {
	buf   []byte
	proto int

	// errors counts the error replies written since the last ResetErrors,
	// and firstErr keeps the first one; the server uses them for
	// INFO errorstats and commandstats.
	errors   int
	firstErr string
}

// NewWriter returns a Writer for protocol 2 or 3.
func NewWriter(proto int) *Writer {
	w := &Writer{}
	w.SetProto(proto)
	return w
}

// SetProto switches the protocol for the following replies.
func (w *Writer) SetProto(proto int) {
	if proto != 3 {
		proto = 2
	}
	w.proto = proto
}

// Proto is 2 or 3.
func (w *Writer) Proto() int {
	if w.proto == 0 {
		return 2
	}
	return w.proto
}

// Resp3 tells whether the client speaks RESP3.
func (w *Writer) Resp3() bool { return w.proto == 3 }

// Bytes returns what was written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Len is the number of buffered bytes.
func (w *Writer) Len() int { return len(w.buf) }

// Reset empties the buffer, keeping its capacity.
func (w *Writer) Reset() { w.buf = w.buf[:0] }

// SetBuffer replaces the buffer (to release a large one, for instance).
func (w *Writer) SetBuffer(b []byte) { w.buf = b }

// Truncate cuts the buffer back to n bytes, dropping what was written after.
// It does nothing if n is not below Len (the buffer never grows back into
// bytes dropped or flushed before). Errors counted since ResetErrors stay
// counted.
func (w *Writer) Truncate(n int) {
	if n < len(w.buf) {
		w.buf = w.buf[:n]
	}
}

// Errors returns how many error replies were written since ResetErrors and
// the first of them.
func (w *Writer) Errors() (int, string) { return w.errors, w.firstErr }

// ResetErrors clears the error counters.
func (w *Writer) ResetErrors() { w.errors, w.firstErr = 0, "" }

// Raw appends bytes that are already RESP.
func (w *Writer) Raw(b []byte) { w.buf = append(w.buf, b...) }

// RawString appends a string that is already RESP.
func (w *Writer) RawString(s string) { w.buf = append(w.buf, s...) }

func (w *Writer) line(prefix byte, s string) {
	w.buf = append(w.buf, prefix)
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

func (w *Writer) header(prefix byte, n int64) {
	w.buf = append(w.buf, prefix)
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.buf = append(w.buf, '\r', '\n')
}

// OK writes +OK.
func (w *Writer) OK() { w.buf = append(w.buf, "+OK\r\n"...) }

// SimpleString writes a status reply (+s). Newlines become spaces, as Redis
// does for status replies built from user input.
func (w *Writer) SimpleString(s string) { w.line('+', oneLine(s)) }

// Error writes an error reply. msg carries its code ("ERR syntax error",
// "WRONGTYPE ..."); a message without a code is written as given. As in
// Redis' addReplyErrorFormat, trailing CR and LF are dropped and the ones
// inside become spaces.
func (w *Writer) Error(msg string) {
	msg = oneLine(strings.TrimRight(strings.TrimPrefix(msg, "-"), "\r\n"))
	w.errors++
	if w.errors == 1 {
		w.firstErr = msg
	}
	w.line('-', msg)
}

// Int writes an integer reply.
func (w *Writer) Int(n int64) { w.header(':', n) }

// Bulk writes a bulk string.
func (w *Writer) Bulk(b []byte) {
	w.header('$', int64(len(b)))
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkString writes a bulk string.
func (w *Writer) BulkString(s string) {
	w.header('$', int64(len(s)))
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkInt writes an integer as a bulk string.
func (w *Writer) BulkInt(n int64) {
	var tmp [24]byte
	w.Bulk(strconv.AppendInt(tmp[:0], n, 10))
}

// Null writes the null of a missing value: $-1 in RESP2, _ in RESP3.
func (w *Writer) Null() {
	if w.proto == 3 {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = append(w.buf, "$-1\r\n"...)
}

// NullArray writes the null of a missing aggregate: *-1 in RESP2, _ in RESP3.
func (w *Writer) NullArray() {
	if w.proto == 3 {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = append(w.buf, "*-1\r\n"...)
}

// Array writes the header of an array of n elements.
func (w *Writer) Array(n int) { w.header('*', int64(n)) }

// Map writes the header of a map of n key/value pairs (a flat array of 2n
// elements in RESP2).
func (w *Writer) Map(n int) {
	if w.proto == 3 {
		w.header('%', int64(n))
		return
	}
	w.header('*', int64(2*n))
}

// Set writes the header of a set of n elements (an array in RESP2).
func (w *Writer) Set(n int) {
	if w.proto == 3 {
		w.header('~', int64(n))
		return
	}
	w.header('*', int64(n))
}

// Push writes the header of an out-of-band push of n elements (an array in
// RESP2).
func (w *Writer) Push(n int) {
	if w.proto == 3 {
		w.header('>', int64(n))
		return
	}
	w.header('*', int64(n))
}

// Double writes a double: a bulk string in RESP2, ",d" in RESP3, formatted
// with %.17g as Redis 7.0 does (inf and -inf spelled out).
func (w *Writer) Double(f float64) {
	var tmp [32]byte
	s := AppendDouble(tmp[:0], f)
	if w.proto == 3 {
		w.buf = append(w.buf, ',')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.Bulk(s)
}

// AppendDouble formats f the way Redis' addReplyDouble does.
func AppendDouble(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case math.IsNaN(f):
		return append(b, "nan"...)
	}
	return strconv.AppendFloat(b, f, 'g', 17, 64)
}

// Bool writes a boolean: #t/#f in RESP3, :1/:0 in RESP2.
func (w *Writer) Bool(v bool) {
	switch {
	case w.proto == 3 && v:
		w.buf = append(w.buf, "#t\r\n"...)
	case w.proto == 3:
		w.buf = append(w.buf, "#f\r\n"...)
	case v:
		w.buf = append(w.buf, ":1\r\n"...)
	default:
		w.buf = append(w.buf, ":0\r\n"...)
	}
}

// Verbatim writes a verbatim string with a three-letter format ("txt",
// "mkd"); RESP2 gets a plain bulk string. As in Redis' addReplyVerbatim, a
// format longer than three bytes is cut and a shorter one padded with
// spaces, so that the length in the header is always right.
func (w *Writer) Verbatim(format, text string) {
	if w.proto != 3 {
		w.BulkString(text)
		return
	}
	w.header('=', int64(len(text)+4))
	for i := 0; i < 3; i++ {
		if i < len(format) {
			w.buf = append(w.buf, format[i])
		} else {
			w.buf = append(w.buf, ' ')
		}
	}
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, text...)
	w.buf = append(w.buf, '\r', '\n')
}

// BigNumber writes a big number given in decimal: "(" in RESP3, a bulk
// string in RESP2.
func (w *Writer) BigNumber(decimal string) {
	if w.proto == 3 {
		w.line('(', decimal)
		return
	}
	w.BulkString(decimal)
}

// StringArray writes an array of bulk strings.
func (w *Writer) StringArray(items []string) {
	w.Array(len(items))
	for _, s := range items {
		w.BulkString(s)
	}
}

// StatusArray writes an array of status strings.
func (w *Writer) StatusArray(items []string) {
	w.Array(len(items))
	for _, s := range items {
		w.SimpleString(s)
	}
}

func oneLine(s string) string {
	if strings.IndexByte(s, '\r') < 0 && strings.IndexByte(s, '\n') < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
