package index

import (
	"encoding/binary"
)

// A posting list holds, for one term, every document that contains it, in
// document-id order, compressed: ids are delta-encoded varints, followed by
// the field mask, the weighted frequency, the byte length of the positions
// and the delta-encoded positions (the length lets a reader step over
// positions it does not need without decoding them).
// Documents only ever get higher ids (a re-indexed key gets a new one), so
// writes append at the tail. Entries of deleted documents stay until the list
// is compacted; readers skip them by asking the document table.
//
// The list is cut into blocks so that a reader can skip to an id without
// decoding what comes before it.
type postings struct {
	blocks []postingBlock
	n      int // entries, dead ones included
}

type postingBlock struct {
	first, last uint32 // ids of the first and last entry
	n           int
	data        []byte
}

// postingBlockSize bounds the entries of a block (RediSearch uses 100).
const postingBlockSize = 100

// posting is one decoded entry.
type posting struct {
	id        uint32
	fieldMask uint64
	freq      uint32
	positions []uint32 // positions in the document, ascending
	// posRaw, in a lazy reader, holds the encoded positions (nil when
	// none), which positions then does not.
	posRaw []byte
}

// uvarintLen is the length of v's varint encoding.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// decodePositions appends the positions encoded in raw to dst.
func decodePositions(dst []uint32, raw []byte) []uint32 {
	prev := uint32(0)
	for len(raw) > 0 {
		var v uint64
		if raw[0] < 0x80 {
			v, raw = uint64(raw[0]), raw[1:]
		} else {
			var n int
			v, n = binary.Uvarint(raw)
			raw = raw[n:]
		}
		prev += uint32(v)
		dst = append(dst, prev)
	}
	return dst
}

func (p *postings) add(e *posting) {
	if len(p.blocks) == 0 || p.blocks[len(p.blocks)-1].n >= postingBlockSize {
		p.blocks = append(p.blocks, postingBlock{first: e.id, last: e.id})
	}
	b := &p.blocks[len(p.blocks)-1]
	delta := e.id - b.last
	if b.n == 0 {
		delta = 0
	}
	b.data = binary.AppendUvarint(b.data, uint64(delta))
	b.data = binary.AppendUvarint(b.data, e.fieldMask)
	b.data = binary.AppendUvarint(b.data, uint64(e.freq))
	size, prev := 0, uint32(0)
	for _, pos := range e.positions {
		size += uvarintLen(uint64(pos - prev))
		prev = pos
	}
	b.data = binary.AppendUvarint(b.data, uint64(size))
	prev = 0
	for _, pos := range e.positions {
		b.data = binary.AppendUvarint(b.data, uint64(pos-prev))
		prev = pos
	}
	b.last = e.id
	b.n++
	p.n++
	if b.n == postingBlockSize && cap(b.data)-len(b.data) > len(b.data)/8 {
		// A full block never grows again: drop the spare room append's
		// doubling left (searchbench's corpus: 11.8 MB of capacity beyond
		// 30.7 MB of data, 7.3 MB of it in full blocks).
		b.data = append([]byte(nil), b.data...)
	}
}

// bytes is the encoded size.
func (p *postings) bytes() int {
	n := 0
	for i := range p.blocks {
		n += cap(p.blocks[i].data) + 24
	}
	return n
}

// compact rewrites the list without the entries of dead documents.
func (p *postings) compact(live func(id uint32) bool) {
	var out postings
	it := postingReader{p: p}
	for it.next() {
		if live(it.cur.id) {
			out.add(&it.cur)
		}
	}
	*p = out
}

// postingReader decodes a posting list in order.
type postingReader struct {
	p     *postings
	block int
	off   int
	seen  int // entries read in the current block
	cur   posting
	pos   []uint32 // backing store for cur.positions
	end   bool
	// lazy leaves the positions encoded, in cur.posRaw (query iterators
	// decode them only for the documents whose positions they need).
	lazy bool
}

// next decodes the following entry.
func (r *postingReader) next() bool {
	for {
		if r.end || r.block >= len(r.p.blocks) {
			r.end = true
			return false
		}
		b := &r.p.blocks[r.block]
		if r.seen < b.n {
			r.decode(b)
			return true
		}
		r.block++
		r.off, r.seen = 0, 0
	}
}

func (r *postingReader) decode(b *postingBlock) {
	d := b.data[r.off:]
	delta, n := uvarint(d)
	used := n
	mask, n := uvarint(d[used:])
	used += n
	freq, n := uvarint(d[used:])
	used += n
	size, n := uvarint(d[used:])
	used += n
	raw := d[used : used+int(size)]
	r.off += used + int(size)
	if r.seen == 0 {
		r.cur.id = b.first
	} else {
		r.cur.id += uint32(delta)
	}
	r.seen++
	r.cur.fieldMask = mask
	r.cur.freq = uint32(freq)
	if r.lazy {
		r.cur.positions = nil
		r.cur.posRaw = nil
		if len(raw) > 0 {
			r.cur.posRaw = raw
		}
		return
	}
	r.pos = decodePositions(r.pos[:0], raw)
	r.cur.positions = r.pos
}

// uvarint is binary.Uvarint with the one-byte case first.
func uvarint(d []byte) (uint64, int) {
	if len(d) > 0 && d[0] < 0x80 {
		return uint64(d[0]), 1
	}
	return binary.Uvarint(d)
}

// skipTo moves to the first entry with an id >= id. Entries before it are
// stepped over without decoding more than their id.
func (r *postingReader) skipTo(id uint32) bool {
	if r.end {
		return false
	}
	if r.seen > 0 && r.cur.id >= id {
		return true
	}
	blocks := r.p.blocks
	if r.block < len(blocks) && blocks[r.block].last < id {
		// Jump over whole blocks: the next one first (dense lists), then
		// a binary search.
		j := r.block + 1
		if j < len(blocks) && blocks[j].last < id {
			lo, hi := j+1, len(blocks)
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if blocks[m].last < id {
					lo = m + 1
				} else {
					hi = m
				}
			}
			j = lo
		}
		if j >= len(blocks) {
			r.end = true
			return false
		}
		r.block, r.off, r.seen = j, 0, 0
	}
	for {
		if r.block >= len(blocks) {
			r.end = true
			return false
		}
		b := &blocks[r.block]
		if r.seen >= b.n {
			r.block++
			r.off, r.seen = 0, 0
			continue
		}
		d := b.data[r.off:]
		delta, n := uvarint(d)
		next := b.first
		if r.seen > 0 {
			next = r.cur.id + uint32(delta)
		}
		if next >= id {
			r.decode(b)
			return true
		}
		// Step over the field mask, the frequency and the positions.
		n += uvarintSkip(d[n:])
		n += uvarintSkip(d[n:])
		size, m := uvarint(d[n:])
		r.off += n + m + int(size)
		r.seen++
		r.cur.id = next
	}
}

// uvarintSkip is the length of the varint d starts with.
func uvarintSkip(d []byte) int {
	for i, c := range d {
		if c < 0x80 {
			return i + 1
		}
	}
	return len(d)
}
