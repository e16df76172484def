package server

import (
	"bytes"
	"fmt"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// Limits Redis applies to requests (networking.c).
const (
	protoInlineMaxSize   = 64 * 1024 // PROTO_INLINE_MAX_SIZE
	maxMultibulkLen      = 1<<31 - 1 // INT_MAX
	unauthMaxMultibulk   = 10
	unauthMaxBulkLen     = 16384
	bigArgThreshold      = 32 * 1024 // PROTO_MBULK_BIG_ARG
	defaultReadChunkSize = 16 * 1024
)

// requestLimits are the limits in force when a request is parsed.
type requestLimits struct {
	maxBulkLen   int64 // proto-max-bulk-len
	unauthorized bool  // the client still has to AUTH
}

// protocolError is answered to the client, which is then disconnected.
type protocolError struct{ reply string }

func (e *protocolError) Error() string { return e.reply }

// parseRequest reads the next command from buf. It returns the arguments
// (slices of buf, or new slices for an inline command), the number of bytes
// consumed, and need > 0 when the buffer must first hold that many bytes (a
// hint; 1 means "more"). A command with no arguments (an empty inline line,
// "*0") consumes its bytes and returns no args.
//
// Redis' limits and wording are checked here, on the header lines only; the
// arguments themselves are then read by redcon.ReadNextCommand.
func parseRequest(buf []byte, argsbuf [][]byte, lim requestLimits) (args [][]byte, consumed int, need int, err error) {
	if len(buf) == 0 {
		return nil, 0, 1, nil
	}
	if buf[0] != '*' {
		return parseInline(buf, argsbuf)
	}
	end, count, need, err := scanMultibulk(buf, lim)
	if err != nil || need > 0 {
		return nil, 0, need, err
	}
	if count <= 0 {
		// "*0" and "*-1" are accepted and ignored, as Redis does.
		return nil, end, 0, nil
	}
	complete, args, _, leftover, rerr := redcon.ReadNextCommand(buf[:end], argsbuf)
	if rerr != nil {
		// Only a bulk not followed by CRLF gets here: the headers were valid.
		return nil, 0, 0, &protocolError{reply: "ERR " + rerr.Error()}
	}
	if !complete || len(leftover) != 0 {
		return nil, 0, 0, &protocolError{reply: ErrProtoInvalidBulk}
	}
	return args, end, 0, nil
}

// scanMultibulk checks the header lines of the multibulk request at the start
// of buf against Redis' limits. It returns the end of the request when it is
// complete and its argument count, or need > 0 when more bytes are needed.
func scanMultibulk(buf []byte, lim requestLimits) (end int, count int64, need int, err error) {
	cr := bytes.IndexByte(buf, '\r')
	if cr < 0 || cr+1 >= len(buf) {
		if len(buf) > protoInlineMaxSize {
			return 0, 0, 0, &protocolError{reply: ErrProtoTooBigMbulk}
		}
		return 0, 0, len(buf) + 1, nil
	}
	count, ok := resp.ParseInt(buf[1:cr])
	if !ok || count > maxMultibulkLen {
		return 0, 0, 0, &protocolError{reply: ErrProtoInvalidMultibulk}
	}
	if count > unauthMaxMultibulk && lim.unauthorized {
		return 0, 0, 0, &protocolError{reply: ErrProtoUnauthMultibulk}
	}
	pos := cr + 2
	if count <= 0 {
		return pos, count, 0, nil
	}
	for i := int64(0); i < count; i++ {
		if pos >= len(buf) {
			return 0, 0, pos + 1, nil
		}
		rest := buf[pos:]
		cr := bytes.IndexByte(rest, '\r')
		if cr < 0 || cr+1 >= len(rest) {
			if len(rest) > protoInlineMaxSize {
				return 0, 0, 0, &protocolError{reply: ErrProtoTooBigBulk}
			}
			return 0, 0, len(buf) + 1, nil
		}
		if rest[0] != '$' {
			return 0, 0, 0, &protocolError{reply: fmt.Sprintf(ErrProtoExpectedDollar, rest[0])}
		}
		n, ok := resp.ParseInt(rest[1:cr])
		if !ok || n < 0 || n > lim.maxBulkLen {
			return 0, 0, 0, &protocolError{reply: ErrProtoInvalidBulk}
		}
		if n > unauthMaxBulkLen && lim.unauthorized {
			return 0, 0, 0, &protocolError{reply: ErrProtoUnauthBulk}
		}
		pos += cr + 2 + int(n) + 2
		if pos > len(buf) {
			return 0, 0, pos, nil
		}
	}
	return pos, count, 0, nil
}

// parseInline reads an inline command (redis-cli's fallback, telnet).
func parseInline(buf []byte, argsbuf [][]byte) (args [][]byte, consumed int, need int, err error) {
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 {
		if len(buf) > protoInlineMaxSize {
			return nil, 0, 0, &protocolError{reply: ErrProtoTooBigInline}
		}
		return nil, 0, len(buf) + 1, nil
	}
	if nl > protoInlineMaxSize {
		// Redis reads 16 KB at a time and gives up once 64 KB hold no newline,
		// so a longer line never gets through, however it arrives.
		return nil, 0, 0, &protocolError{reply: ErrProtoTooBigInline}
	}
	line := buf[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, ok := splitArgs(line, argsbuf[:0])
	if !ok {
		return nil, 0, 0, &protocolError{reply: ErrProtoUnbalanced}
	}
	return args, nl + 1, 0, nil
}

// splitArgs splits a line into arguments as Redis' sdssplitargs does: blanks
// separate, "double quotes" take \n \r \t \b \a \xHH and \<c> escapes,
// 'single quotes' take \', and a closing quote must be followed by a blank or
// the end of the line. A NUL byte ends the line, as it ends a C string.
func splitArgs(line []byte, args [][]byte) ([][]byte, bool) {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	p := 0
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		var cur []byte
		inDouble, inSingle := false, false
		for done := false; !done; {
			eol := p >= len(line)
			var c byte
			if !eol {
				c = line[p]
			}
			switch {
			case inDouble:
				switch {
				case eol:
					return nil, false
				case c == '\\' && p+3 < len(line) && line[p+1] == 'x' && isHex(line[p+2]) && isHex(line[p+3]):
					cur = append(cur, hexVal(line[p+2])<<4|hexVal(line[p+3]))
					p += 3
				case c == '\\' && p+1 < len(line):
					p++
					switch line[p] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[p])
					}
				case c == '"':
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, false
					}
					done = true
				default:
					cur = append(cur, c)
				}
			case inSingle:
				switch {
				case eol:
					return nil, false
				case c == '\\' && p+1 < len(line) && line[p+1] == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, false
					}
					done = true
				default:
					cur = append(cur, c)
				}
			default:
				switch {
				case eol || c == ' ' || c == '\n' || c == '\r' || c == '\t':
					done = true
				case c == '"':
					inDouble = true
				case c == '\'':
					inSingle = true
				default:
					cur = append(cur, c)
				}
			}
			if !eol {
				p++
			}
		}
		if cur == nil {
			cur = []byte{}
		}
		args = append(args, cur)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// SplitArgs splits a line as redis-cli, inline commands and config files do
// (see splitArgs); ok is false on unbalanced quotes.
func SplitArgs(line string) (args []string, ok bool) {
	raw, ok := splitArgs([]byte(line), nil)
	if !ok {
		return nil, false
	}
	args = make([]string, len(raw))
	for i, a := range raw {
		args[i] = string(a)
	}
	return args, true
}
