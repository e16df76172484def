package index

import (
	"encoding/binary"
	"sort"
)

// A posting list holds, for one term, every document that contains it, in
// document-id order, compressed: ids are delta-encoded varints, followed by
// the field mask, the weighted frequency and the delta-encoded positions.
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
	b.data = binary.AppendUvarint(b.data, uint64(len(e.positions)))
	prev := uint32(0)
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
	delta, n := binary.Uvarint(d)
	d = d[n:]
	used := n
	mask, n := binary.Uvarint(d)
	d = d[n:]
	used += n
	freq, n := binary.Uvarint(d)
	d = d[n:]
	used += n
	npos, n := binary.Uvarint(d)
	d = d[n:]
	used += n
	r.pos = r.pos[:0]
	prev := uint32(0)
	for i := uint64(0); i < npos; i++ {
		v, n := binary.Uvarint(d)
		d = d[n:]
		used += n
		prev += uint32(v)
		r.pos = append(r.pos, prev)
	}
	r.off += used
	if r.seen == 0 {
		r.cur.id = b.first
	} else {
		r.cur.id += uint32(delta)
	}
	r.seen++
	r.cur.fieldMask = mask
	r.cur.freq = uint32(freq)
	r.cur.positions = r.pos
}

// skipTo moves to the first entry with an id >= id.
func (r *postingReader) skipTo(id uint32) bool {
	if r.end {
		return false
	}
	if r.seen > 0 && r.cur.id >= id {
		return true
	}
	blocks := r.p.blocks
	if r.block < len(blocks) && blocks[r.block].last < id {
		// Jump over whole blocks.
		j := r.block + sort.Search(len(blocks)-r.block, func(k int) bool { return blocks[r.block+k].last >= id })
		if j >= len(blocks) {
			r.end = true
			return false
		}
		r.block, r.off, r.seen = j, 0, 0
	}
	for r.next() {
		if r.cur.id >= id {
			return true
		}
	}
	return false
}
