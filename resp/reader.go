package resp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/tidwall/redcon"
)

// Reply is one RESP2 reply as parsed by redcon.ReadNextRESP.
type Reply = redcon.RESP

// ErrReplyTooLarge is returned when a reply is larger than the reader's size
// limit, whatever the pieces it arrives in.
var ErrReplyTooLarge = errors.New("resp: reply exceeds the reader's size limit")

// maxEmptyReads is how many reads in a row may return nothing and no error
// before the Reader gives up with io.ErrNoProgress (as bufio does).
const maxEmptyReads = 100

// Reader reads RESP2 replies from a stream, on the client side. Replies are
// parsed by redcon.ReadNextRESP; the Reader only reads header lines to know
// when a reply is complete, so that a big reply arriving in many pieces is
// not parsed again from its start at every piece (a top-level array is
// parsed element by element as its elements arrive). A Reply it returns
// stays valid until the next call to ReadReply.
//
// A malformed reply (a bad type byte, a line without CR, a bad length or
// integer, a bulk without its CRLF) is an error once its bytes are there,
// and so is a reply that declares more bytes than the size limit; both
// errors are final, since the stream cannot be framed after them. (Inside
// nested arrays, redcon cannot tell a malformed element from an incomplete
// one: such a reply waits for the size limit or the caller's deadline.) An
// EOF inside a reply is io.ErrUnexpectedEOF; io.EOF means the stream ended
// between replies. Other read errors (a deadline, say) are returned as they
// are and the reply read so far is kept, so ReadReply can be called again.
type Reader struct {
	rd      io.Reader
	buf     []byte
	start   int
	end     int
	maxSize int
	err     error // final protocol error

	// Progress on the reply at start, kept across reads.
	lfFrom   int // where to look for the LF of the first line, if > 0
	arrCount int // elements of a top-level array, -1 before its header is read
	arrDone  int // elements complete so far
	arrOff   int // end of the last complete element, from start
}

// NewReader returns a Reader that gives up on replies larger than maxSize
// bytes (0 means 1 GiB).
func NewReader(rd io.Reader, maxSize int) *Reader {
	if maxSize <= 0 {
		maxSize = 1 << 30
	}
	return &Reader{rd: rd, buf: make([]byte, 16*1024), maxSize: maxSize, arrCount: -1}
}

// Buffered is the number of bytes read from the stream and not yet returned.
func (r *Reader) Buffered() int { return r.end - r.start }

// ReadReply returns the next reply.
func (r *Reader) ReadReply() (Reply, error) {
	for {
		if r.err != nil {
			return Reply{}, r.err
		}
		n, err := r.frame()
		if err != nil {
			r.err = err
			return Reply{}, err
		}
		if n > r.maxSize {
			r.err = ErrReplyTooLarge
			return Reply{}, r.err
		}
		if n > 0 {
			m, reply, err := readNext(r.buf[r.start : r.start+n])
			if err == nil && m != n {
				if err = elementError(r.buf[r.start : r.start+n]); err == nil {
					err = errMalformed
				}
			}
			if err != nil {
				r.err = err
				return Reply{}, err
			}
			r.start += n
			r.lfFrom, r.arrCount, r.arrDone, r.arrOff = 0, -1, 0, 0
			return reply, nil
		}
		if r.end-r.start >= r.maxSize {
			r.err = ErrReplyTooLarge
			return Reply{}, r.err
		}
		if err := r.fill(); err != nil {
			if err == io.EOF && r.end > r.start {
				err = io.ErrUnexpectedEOF
			}
			return Reply{}, err
		}
	}
}

var errMalformed = errors.New("resp: malformed reply")

// readNext is redcon.ReadNextRESP, with its index panics on absurd lengths
// turned into an error.
func readNext(b []byte) (n int, reply Reply, err error) {
	defer func() {
		if recover() != nil {
			n, reply, err = 0, Reply{}, errMalformed
		}
	}()
	n, reply = redcon.ReadNextRESP(b)
	return n, reply, nil
}

// frame returns the length of the complete reply at start, 0 while more
// bytes are needed, or an error.
func (r *Reader) frame() (int, error) {
	b := r.buf[r.start:r.end]
	if len(b) == 0 {
		return 0, nil
	}
	if r.arrCount >= 0 {
		return r.frameElements(b)
	}
	lineEnd, err := r.firstLine(b)
	if lineEnd == 0 || err != nil {
		return 0, err
	}
	switch b[0] {
	case '*':
		count, err := strconv.Atoi(string(b[1 : lineEnd-2]))
		if err != nil {
			return 0, fmt.Errorf("resp: invalid array length %q", clip(b[1:lineEnd-2]))
		}
		if count <= 0 {
			return lineEnd, nil
		}
		// Every element takes 3 bytes at least ("+\r\n").
		if count > (r.maxSize-lineEnd)/3 {
			return 0, ErrReplyTooLarge
		}
		r.arrCount, r.arrDone, r.arrOff = count, 0, lineEnd
		return r.frameElements(b)
	case '$':
		n, err := strconv.Atoi(string(b[1 : lineEnd-2]))
		if err != nil {
			return 0, fmt.Errorf("resp: invalid bulk length %q", clip(b[1:lineEnd-2]))
		}
		if n < 0 {
			return lineEnd, nil
		}
		if n > r.maxSize-lineEnd-2 {
			return 0, ErrReplyTooLarge
		}
		if len(b) < lineEnd+n+2 {
			return 0, nil
		}
		return lineEnd + n + 2, nil
	default:
		return checkComplete(b[:lineEnd])
	}
}

// firstLine finds the end of the reply's first line (after its CRLF), 0 if
// it is not all there yet; the search resumes where the last one stopped.
func (r *Reader) firstLine(b []byte) (int, error) {
	switch b[0] {
	case '+', '-', ':', '$', '*':
	default:
		return 0, fmt.Errorf("resp: unexpected reply type byte %q", b[0])
	}
	from := max(1, r.lfFrom)
	i := bytes.IndexByte(b[from:], '\n')
	if i < 0 {
		r.lfFrom = len(b)
		if len(b) > r.maxSize {
			return 0, ErrReplyTooLarge
		}
		return 0, nil
	}
	lf := from + i
	if b[lf-1] != '\r' {
		return 0, errors.New("resp: reply line without CR before LF")
	}
	if lf+1 > r.maxSize {
		return 0, ErrReplyTooLarge
	}
	return lf + 1, nil
}

// frameElements parses the elements of a top-level array as they arrive.
func (r *Reader) frameElements(b []byte) (int, error) {
	for r.arrDone < r.arrCount {
		rest := b[r.arrOff:]
		if len(rest) == 0 {
			return 0, nil
		}
		if r.elementTooLarge(rest) {
			return 0, ErrReplyTooLarge
		}
		n, _, err := readNext(rest)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, elementError(rest)
		}
		r.arrOff += n
		r.arrDone++
	}
	return r.arrOff, nil
}

// elementTooLarge reports whether an element's header declares more than
// the size limit (before redcon trips over the length).
func (r *Reader) elementTooLarge(b []byte) bool {
	if b[0] != '$' && b[0] != '*' {
		return false
	}
	lf := bytes.IndexByte(b, '\n')
	if lf < 2 {
		return false
	}
	n, err := strconv.Atoi(string(b[1 : lf-1]))
	if err != nil {
		return false
	}
	if b[0] == '*' {
		return n > r.maxSize/3
	}
	return n > r.maxSize
}

// checkComplete parses a simple reply whose line is complete: if redcon
// does not take it, it is malformed.
func checkComplete(b []byte) (int, error) {
	n, _, err := readNext(b)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("resp: invalid reply line %q", clip(b))
	}
	return n, nil
}

// elementError tells why redcon took nothing at an element, when it can be
// told: a bad type byte, a malformed complete line, a bulk whose data is
// all there but not followed by CRLF. Otherwise the element is incomplete.
func elementError(b []byte) error {
	switch b[0] {
	case '+', '-', ':', '$', '*':
	default:
		return fmt.Errorf("resp: unexpected reply type byte %q", b[0])
	}
	lf := bytes.IndexByte(b, '\n')
	if lf < 0 {
		return nil
	}
	if lf == 0 || b[lf-1] != '\r' {
		return errors.New("resp: reply line without CR before LF")
	}
	switch b[0] {
	case '+', '-', ':':
		_, err := checkComplete(b[:lf+1])
		return err
	case '$':
		n, err := strconv.Atoi(string(b[1 : lf-1]))
		if err != nil {
			return fmt.Errorf("resp: invalid bulk length %q", clip(b[1:lf-1]))
		}
		if n >= 0 && len(b) >= lf+1+n+2 {
			return fmt.Errorf("resp: bulk string of %d bytes not followed by CRLF", n)
		}
	case '*':
		if _, err := strconv.Atoi(string(b[1 : lf-1])); err != nil {
			return fmt.Errorf("resp: invalid array length %q", clip(b[1:lf-1]))
		}
	}
	return nil
}

// clip shortens a malformed line for an error message.
func clip(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}

func (r *Reader) fill() error {
	if r.start > 0 && r.start == r.end {
		r.start, r.end = 0, 0
	}
	if r.end == len(r.buf) {
		if r.start > 0 {
			// The previous reply is no longer in use: slide the partial one down.
			r.end = copy(r.buf, r.buf[r.start:r.end])
			r.start = 0
		} else {
			grown := make([]byte, 2*len(r.buf))
			copy(grown, r.buf[:r.end])
			r.buf = grown
		}
	}
	for i := 0; i < maxEmptyReads; i++ {
		n, err := r.rd.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			return errors.New("resp: invalid count from Read")
		}
		r.end += n
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// AppendCommand appends args as a RESP array of bulk strings.
func AppendCommand(b []byte, args ...string) []byte {
	b = redcon.AppendArray(b, len(args))
	for _, a := range args {
		b = redcon.AppendBulkString(b, a)
	}
	return b
}

// ReplyError returns the reply as an error if it is one.
func ReplyError(r Reply) error {
	if r.Type == redcon.Error {
		return errors.New(string(r.Data))
	}
	return nil
}
