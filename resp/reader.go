package resp

import (
	"errors"
	"fmt"
	"io"

	"github.com/tidwall/redcon"
)

// Reply is one RESP2 reply as parsed by redcon.ReadNextRESP.
type Reply = redcon.RESP

// ErrReplyTooLarge is returned when a reply does not complete within the
// reader's size limit.
var ErrReplyTooLarge = errors.New("resp: reply exceeds the reader's size limit")

// Reader reads RESP2 replies from a stream, on the client side. It frames and
// parses with redcon.ReadNextRESP; a Reply it returns stays valid until the
// next call to ReadReply.
type Reader struct {
	rd      io.Reader
	buf     []byte
	start   int
	end     int
	maxSize int
}

// NewReader returns a Reader that gives up on replies larger than maxSize
// bytes (0 means 1 GiB).
func NewReader(rd io.Reader, maxSize int) *Reader {
	if maxSize <= 0 {
		maxSize = 1 << 30
	}
	return &Reader{rd: rd, buf: make([]byte, 16*1024), maxSize: maxSize}
}

// Buffered is the number of bytes read from the stream and not yet returned.
func (r *Reader) Buffered() int { return r.end - r.start }

// ReadReply returns the next reply.
func (r *Reader) ReadReply() (Reply, error) {
	for {
		if r.end > r.start {
			switch r.buf[r.start] {
			case '+', '-', ':', '$', '*':
			default:
				return Reply{}, fmt.Errorf("resp: unexpected reply type byte %q", r.buf[r.start])
			}
			n, reply := redcon.ReadNextRESP(r.buf[r.start:r.end])
			if n > 0 {
				r.start += n
				return reply, nil
			}
		}
		if r.end-r.start >= r.maxSize {
			return Reply{}, ErrReplyTooLarge
		}
		if err := r.fill(); err != nil {
			return Reply{}, err
		}
	}
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
	n, err := r.rd.Read(r.buf[r.end:])
	r.end += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
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
