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
	d := b.data
	i := r.off
	delta := uint64(d[i])
	if i++; delta >= 0x80 {
		delta, i = readUvarintSlow(d, i-1)
	}
	id := b.first
	if r.seen > 0 {
		id = r.cur.id + uint32(delta)
	}
	r.decodeRest(d, i, id)
}

// decodeRest decodes the entry of id whose field mask starts at d[i] (its id
// delta already read).
func (r *postingReader) decodeRest(d []byte, i int, id uint32) {
	// The varints' one-byte case written out (readUvarint does not inline).
	mask := uint64(d[i])
	if i++; mask >= 0x80 {
		mask, i = readUvarintSlow(d, i-1)
	}
	freq := uint64(d[i])
	if i++; freq >= 0x80 {
		freq, i = readUvarintSlow(d, i-1)
	}
	size := uint64(d[i])
	if i++; size >= 0x80 {
		size, i = readUvarintSlow(d, i-1)
	}
	end := i + int(size)
	raw := d[i:end:end]
	r.off = end
	r.cur.id = id
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

// readUvarintSlow reads the varint at d[i], answering it and the offset
// after it (callers test the one-byte case themselves).
func readUvarintSlow(d []byte, i int) (uint64, int) {
	v, n := binary.Uvarint(d[i:])
	if n <= 0 {
		return 0, len(d) // corrupt (lists are only written here)
	}
	return v, i + n
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
		d := b.data
		i := r.off
		delta := uint64(d[i])
		if i++; delta >= 0x80 {
			delta, i = readUvarintSlow(d, i-1)
		}
		next := b.first
		if r.seen > 0 {
			next = r.cur.id + uint32(delta)
		}
		if next >= id {
			r.decodeRest(d, i, next)
			return true
		}
		// Step over the field mask, the frequency and the positions.
		i = skipUvarint(d, i)
		i = skipUvarint(d, i)
		size := uint64(d[i])
		if i++; size >= 0x80 {
			size, i = readUvarintSlow(d, i-1)
		}
		r.off = i + int(size)
		r.seen++
		r.cur.id = next
	}
}

// skipUvarint is the offset after the varint at d[i].
func skipUvarint(d []byte, i int) int {
	for d[i] >= 0x80 {
		i++
	}
	return i + 1
}
