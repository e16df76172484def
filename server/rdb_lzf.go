package server

// LZF, as Redis' copy of liblzf 3.6 compresses (lzf_c.c with lzfP.h's
// settings: HLOG 16, VERY_FAST, not ULTRA_FAST), so that DUMP's compressed
// strings are redis-server's bytes; and the decompressor (lzf_d.c).
//
// Redis leaves its hash table, on the stack, uninitialised (INIT_HTAB 0):
// a slot that no earlier position of the input filled holds what the stack
// held, which lzf_compress uses when it points before the current position
// at three equal bytes. When one DUMP compresses several strings (the nodes
// of a list) through the same calls, the table is where the previous call
// left it, offsets into that call's input: the second node can refer to
// bytes the first node's positions hashed to. lzfTable models that: one
// table per payload, starting empty (a fresh stack is zeroed), kept from
// string to string. What other code leaves on the stack between two DUMPs
// cannot be modelled; redis-server's output differs from this only when
// such a stale slot offers a match.

const (
	lzfHlog   = 16
	lzfHsize  = 1 << lzfHlog
	lzfMaxLit = 1 << 5
	lzfMaxOff = 1 << 13
	lzfMaxRef = (1 << 8) + (1 << 3)
)

// lzfTable is lzf_compress's hash table: input offsets (lzfP.h's
// LZF_USE_OFFSETS on 64-bit platforms), 0 never being a reference ("ref >
// in_data").
type lzfTable [lzfHsize]uint32

func lzfIdx(h uint32) uint32 {
	return ((h >> (3*8 - lzfHlog)) - h*5) & (lzfHsize - 1)
}

// lzfCompress is lzf_compress with an output of at most outLen bytes: nil
// when the data does not compress into that.
func lzfCompress(htab *lzfTable, in []byte, outLen int) []byte {
	inLen := len(in)
	if inLen == 0 || outLen <= 0 {
		return nil
	}
	out := make([]byte, outLen)
	ip, op, lit := 0, 0, 0
	op++ // start run
	hval := uint32(in[0])<<8 | uint32(lzfAt(in, 1))
	for ip < inLen-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := lzfIdx(hval)
		ref := int(htab[slot])
		htab[slot] = uint32(ip)
		off := ip - ref - 1
		if off >= 0 && off < lzfMaxOff && ref > 0 &&
			in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			// match found at ref
			length := 2
			maxlen := inLen - ip - length
			if maxlen > lzfMaxRef {
				maxlen = lzfMaxRef
			}
			noLit := 0
			if lit == 0 {
				noLit = 1
			}
			if op+3+1 >= outLen && op-noLit+3+1 >= outLen {
				return nil
			}
			out[op-lit-1] = byte(lit - 1) // stop run
			op -= noLit                   // undo run if length is zero
			// liblzf compares 16 bytes unrolled while maxlen > 16, then
			// one at a time while len < maxlen.
			if maxlen > 16 {
				for k := 0; k < 16; k++ {
					length++
					if in[ref+length] != in[ip+length] {
						goto matched
					}
				}
			}
			for {
				length++
				if !(length < maxlen && in[ref+length] == in[ip+length]) {
					break
				}
			}
		matched:
			length -= 2 // #octets - 1
			ip++
			if length < 7 {
				out[op] = byte(off>>8) + byte(length<<5)
				op++
			} else {
				out[op] = byte(off>>8) + (7 << 5)
				out[op+1] = byte(length - 7)
				op += 2
			}
			out[op] = byte(off)
			op++
			lit = 0
			op++ // start run
			ip += length + 1
			if ip >= inLen-2 {
				break
			}
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			hval = hval<<8 | uint32(in[ip+2])
			htab[lzfIdx(hval)] = uint32(ip)
			ip++
			hval = hval<<8 | uint32(in[ip+2])
			htab[lzfIdx(hval)] = uint32(ip)
			ip++
		} else {
			// one more literal byte we must copy
			if op >= outLen {
				return nil
			}
			lit++
			out[op] = in[ip]
			op++
			ip++
			if lit == lzfMaxLit {
				out[op-lit-1] = byte(lit - 1) // stop run
				lit = 0
				op++ // start run
			}
		}
	}
	if op+3 > outLen { // at most 3 bytes can be missing here
		return nil
	}
	for ip < inLen {
		lit++
		out[op] = in[ip]
		op++
		ip++
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	out[op-lit-1] = byte(lit - 1) // end run
	if lit == 0 {
		op--
	}
	return out[:op]
}

// lzfAt is b[i], 0 past the end (lzf_compress reads in[1] of a 1-byte input).
func lzfAt(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// lzfDecompress is lzf_decompress into exactly outLen bytes: false when the
// data is corrupt or does not decompress to that length.
func lzfDecompress(in []byte, outLen int) ([]byte, bool) {
	out := make([]byte, 0, outLen)
	ip := 0
	for ip < len(in) {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 { // literal run of ctrl+1 bytes
			n := ctrl + 1
			if len(out)+n > outLen || ip+n > len(in) {
				return nil, false
			}
			out = append(out, in[ip:ip+n]...)
			ip += n
			continue
		}
		// back reference
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return nil, false
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return nil, false
		}
		ref := len(out) - ((ctrl&0x1f)<<8 | int(in[ip])) - 1
		ip++
		n += 2
		if len(out)+n > outLen || ref < 0 {
			return nil, false
		}
		for k := 0; k < n; k++ {
			out = append(out, out[ref+k])
		}
	}
	if len(out) != outLen {
		return nil, false
	}
	return out, true
}

// crc64 is Redis' crc64 (crc64.c): the Jones polynomial
// 0xad93d23594c935a9, reflected input and output, no final xor; check
// value crc64(0, "123456789") = 0xe9c6d914c4b8d9ca.
func crc64(crc uint64, b []byte) uint64 {
	for _, c := range b {
		crc = crc64Table[byte(crc)^c] ^ (crc >> 8)
	}
	return crc
}

var crc64Table = func() (t [256]uint64) {
	const poly = 0x95ac9329ac4bc9b5 // 0xad93d23594c935a9 bit-reversed
	for i := range t {
		c := uint64(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ poly
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()
