package server

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// RESTORE's reader of the RDB serialization (rdb.c's rdbLoadObject): every
// type redis-server 7.0 writes, and the older ones it still reads (plain
// lists and zsets, ziplists, zipmaps, quicklists of ziplists), and Redis
// 7.4/8.2's hashes with field TTLs (types 22 to 25, RDB version 12). Any
// inconsistency is errBadData ("Bad data format"): the reader checks every
// length against the bytes left before it allocates, and a payload never
// makes it panic. It checks more than Redis 7.0 does with
// sanitize-dump-payload no (duplicates in a listpack hash, for one):
// such a payload is refused here where Redis would load a broken value.

var errBadData = errors.New("bad data")

type rdbReader struct {
	b   []byte
	off int
	now int64 // unix ms: field TTLs before it are dropped at load
}

func (r *rdbReader) left() int { return len(r.b) - r.off }

func (r *rdbReader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errBadData
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *rdbReader) bytes(n uint64) ([]byte, error) {
	if n > uint64(r.left()) {
		return nil, errBadData
	}
	p := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return p, nil
}

// length is rdbLoadLenByRef: a length, or (encoded) one of the special
// string encodings.
func (r *rdbReader) length() (n uint64, encoded bool, err error) {
	c, err := r.byte()
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case 0:
		return uint64(c & 0x3f), false, nil
	case 1:
		d, err := r.byte()
		if err != nil {
			return 0, false, err
		}
		return uint64(c&0x3f)<<8 | uint64(d), false, nil
	case 2:
		switch c {
		case 0x80:
			p, err := r.bytes(4)
			if err != nil {
				return 0, false, err
			}
			return uint64(binary.BigEndian.Uint32(p)), false, nil
		case 0x81:
			p, err := r.bytes(8)
			if err != nil {
				return 0, false, err
			}
			return binary.BigEndian.Uint64(p), false, nil
		}
		return 0, false, errBadData
	}
	return uint64(c & 0x3f), true, nil
}

// plainLength is a length that may not be a string encoding.
func (r *rdbReader) plainLength() (uint64, error) {
	n, enc, err := r.length()
	if err != nil || enc {
		return 0, errBadData
	}
	return n, nil
}

// count is a number of elements, at most one per byte left (every element
// takes at least one byte), so that no allocation trusts it blindly.
func (r *rdbReader) count() (int, error) {
	n, err := r.plainLength()
	if err != nil || n > uint64(r.left()) {
		return 0, errBadData
	}
	return int(n), nil
}

// str is rdbGenericLoadStringObject.
func (r *rdbReader) str() (string, error) {
	n, enc, err := r.length()
	if err != nil {
		return "", err
	}
	if !enc {
		p, err := r.bytes(n)
		return string(p), err
	}
	switch n {
	case rdbEncInt8:
		p, err := r.bytes(1)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(int64(int8(p[0])), 10), nil
	case rdbEncInt16:
		p, err := r.bytes(2)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(int64(int16(binary.LittleEndian.Uint16(p))), 10), nil
	case rdbEncInt32:
		p, err := r.bytes(4)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(int64(int32(binary.LittleEndian.Uint32(p))), 10), nil
	case rdbEncLZF:
		clen, err := r.plainLength()
		if err != nil {
			return "", err
		}
		ulen, err := r.plainLength()
		if err != nil {
			return "", err
		}
		c, err := r.bytes(clen)
		if err != nil {
			return "", err
		}
		// A back reference expands at most 264 bytes from 2: a claimed
		// length beyond that is corrupt (and must not be allocated).
		if ulen == 0 || ulen > clen*133 {
			return "", errBadData
		}
		out, ok := lzfDecompress(c, int(ulen))
		if !ok {
			return "", errBadData
		}
		return string(out), nil
	}
	return "", errBadData
}

// double is rdbLoadDoubleValue: the old text form of a score.
func (r *rdbReader) double() (float64, error) {
	n, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	p, err := r.bytes(uint64(n))
	if err != nil {
		return 0, err
	}
	f, perr := strconv.ParseFloat(string(p), 64)
	if perr != nil && !errors.Is(perr, strconv.ErrRange) {
		return 0, errBadData
	}
	return f, nil
}

func (r *rdbReader) binaryDouble() (float64, error) {
	p, err := r.bytes(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p)), nil
}

// --- listpacks, ziplists, intsets, zipmaps

// listpackElems reads a whole listpack (lpValidateIntegrity with deep
// validation: the header's size, every entry and its back-length, the end
// byte, and the count when the header has it).
func listpackElems(lp []byte) ([]string, bool) {
	if len(lp) < lpHeaderSize+1 || int(binary.LittleEndian.Uint32(lp)) != len(lp) || lp[len(lp)-1] != 0xFF {
		return nil, false
	}
	numele := int(binary.LittleEndian.Uint16(lp[4:]))
	var out []string
	p := lpHeaderSize
	end := len(lp) - 1
	for p < end {
		start := p
		c := lp[p]
		var s string
		need := func(n int) bool { return p+n <= end }
		switch {
		case c&0x80 == 0: // 7-bit uint
			s = strconv.Itoa(int(c))
			p++
		case c&0xC0 == 0x80: // 6-bit string length
			n := int(c & 0x3f)
			if !need(1 + n) {
				return nil, false
			}
			s = string(lp[p+1 : p+1+n])
			p += 1 + n
		case c&0xE0 == 0xC0: // 13-bit int
			if !need(2) {
				return nil, false
			}
			v := int64(c&0x1f)<<8 | int64(lp[p+1])
			if v >= 1<<12 {
				v -= 1 << 13
			}
			s = strconv.FormatInt(v, 10)
			p += 2
		case c&0xF0 == 0xE0: // 12-bit string length
			if !need(2) {
				return nil, false
			}
			n := int(c&0x0f)<<8 | int(lp[p+1])
			if !need(2 + n) {
				return nil, false
			}
			s = string(lp[p+2 : p+2+n])
			p += 2 + n
		case c == 0xF0: // 32-bit string length
			if !need(5) {
				return nil, false
			}
			n := uint64(binary.LittleEndian.Uint32(lp[p+1:]))
			if uint64(end-p-5) < n {
				return nil, false
			}
			s = string(lp[p+5 : p+5+int(n)])
			p += 5 + int(n)
		case c >= 0xF1 && c <= 0xF4:
			w := [...]int{2, 3, 4, 8}[c-0xF1]
			if !need(1 + w) {
				return nil, false
			}
			var u uint64
			for k := w - 1; k >= 0; k-- {
				u = u<<8 | uint64(lp[p+1+k])
			}
			shift := 64 - 8*uint(w)
			s = strconv.FormatInt(int64(u<<shift)>>shift, 10)
			p += 1 + w
		default:
			return nil, false
		}
		// the back-length
		l := p - start
		bl := lpBacklenSize(l)
		if p+bl > end || string(lpAppendBacklen(nil, l)) != string(lp[p:p+bl]) {
			return nil, false
		}
		p += bl
		out = append(out, s)
	}
	if p != end || (numele != 65535 && numele != len(out)) {
		return nil, false
	}
	return out, true
}

// ziplistElems reads a ziplist (ziplist.c), the encoding of small lists,
// hashes and sorted sets before Redis 7.0.
func ziplistElems(zl []byte) ([]string, bool) {
	if len(zl) < 11 || int(binary.LittleEndian.Uint32(zl)) != len(zl) || zl[len(zl)-1] != 0xFF {
		return nil, false
	}
	zllen := int(binary.LittleEndian.Uint16(zl[8:]))
	var out []string
	p, end := 10, len(zl)-1
	prev := 0
	for p < end {
		start := p
		// prevlen
		if zl[p] < 254 {
			if int(zl[p]) != prev {
				return nil, false
			}
			p++
		} else {
			if zl[p] != 254 || p+5 > end || int(binary.LittleEndian.Uint32(zl[p+1:])) != prev {
				return nil, false
			}
			p += 5
		}
		if p >= end {
			return nil, false
		}
		c := zl[p]
		var s string
		var n int
		switch c >> 6 {
		case 0:
			n = int(c & 0x3f)
			p++
		case 1:
			if p+2 > end {
				return nil, false
			}
			n = int(c&0x3f)<<8 | int(zl[p+1])
			p += 2
		case 2:
			if p+5 > end {
				return nil, false
			}
			n = int(binary.BigEndian.Uint32(zl[p+1:]))
			p += 5
		default:
			var w int
			switch c {
			case 0xC0:
				w = 2
			case 0xD0:
				w = 4
			case 0xE0:
				w = 8
			case 0xF0:
				w = 3
			case 0xFE:
				w = 1
			default:
				if c >= 0xF1 && c <= 0xFD {
					s = strconv.Itoa(int(c&0x0f) - 1)
				} else {
					return nil, false
				}
			}
			p++
			if w > 0 {
				if p+w > end {
					return nil, false
				}
				var u uint64
				for k := w - 1; k >= 0; k-- {
					u = u<<8 | uint64(zl[p+k])
				}
				shift := 64 - 8*uint(w)
				s = strconv.FormatInt(int64(u<<shift)>>shift, 10)
				p += w
			}
			out = append(out, s)
			prev = p - start
			continue
		}
		if n < 0 || n > end-p {
			return nil, false
		}
		out = append(out, string(zl[p:p+n]))
		p += n
		prev = p - start
	}
	if p != end || (zllen != 65535 && zllen != len(out)) {
		return nil, false
	}
	return out, true
}

// intsetMembers reads an intset (intsetValidateIntegrity: a known width,
// the size, members strictly ascending).
func intsetMembers(is []byte) ([]int64, bool) {
	if len(is) < 8 {
		return nil, false
	}
	width := int(binary.LittleEndian.Uint32(is))
	n := uint64(binary.LittleEndian.Uint32(is[4:]))
	if width != 2 && width != 4 && width != 8 || uint64(len(is)-8) != n*uint64(width) {
		return nil, false
	}
	out := make([]int64, n)
	for i := range out {
		p := is[8+i*width:]
		switch width {
		case 2:
			out[i] = int64(int16(binary.LittleEndian.Uint16(p)))
		case 4:
			out[i] = int64(int32(binary.LittleEndian.Uint32(p)))
		default:
			out[i] = int64(binary.LittleEndian.Uint64(p))
		}
		if i > 0 && out[i] <= out[i-1] {
			return nil, false
		}
	}
	return out, true
}

// zipmapPairs reads a zipmap (zipmap.c), the encoding of small hashes
// before Redis 2.6.
func zipmapPairs(zm []byte) ([]string, bool) {
	if len(zm) < 2 || zm[len(zm)-1] != 0xFF {
		return nil, false
	}
	var out []string
	p, end := 1, len(zm)-1
	readLen := func() (int, bool) {
		if p >= end {
			return 0, false
		}
		if zm[p] < 254 {
			p++
			return int(zm[p-1]), true
		}
		if zm[p] != 254 || p+5 > end {
			return 0, false
		}
		n := int(binary.LittleEndian.Uint32(zm[p+1:]))
		p += 5
		return n, true
	}
	for p < end {
		kl, ok := readLen()
		if !ok || kl > end-p {
			return nil, false
		}
		k := string(zm[p : p+kl])
		p += kl
		vl, ok := readLen()
		if !ok || p >= end {
			return nil, false
		}
		free := int(zm[p])
		p++
		if vl > end-p || free > end-p-vl {
			return nil, false
		}
		out = append(out, k, string(zm[p:p+vl]))
		p += vl + free
	}
	if p != end || len(out) == 0 {
		return nil, false
	}
	return out, true
}

// --- values

// rdbLoadObject reads one value of the given type into a new entry, with
// the encodings Redis 7.0 would give it after loading.
func (s *Server) rdbLoadObject(r *rdbReader, typ byte) (*Entry, error) {
	switch typ {
	case rdbTypeString:
		v, err := r.str()
		if err != nil {
			return nil, err
		}
		return newStringEntry(v, encAuto), nil
	case rdbTypeList:
		n, err := r.count()
		if err != nil || n == 0 {
			return nil, errBadData
		}
		items := make([]string, 0, n)
		for i := 0; i < n; i++ {
			v, err := r.str()
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		return s.newListFrom(items)
	case rdbTypeListZiplist:
		zl, err := r.str()
		if err != nil {
			return nil, err
		}
		items, ok := ziplistElems([]byte(zl))
		if !ok {
			return nil, errBadData
		}
		return s.newListFrom(items)
	case rdbTypeListQuicklist, rdbTypeListQuicklist2:
		nodes, err := r.count()
		if err != nil || nodes == 0 {
			return nil, errBadData
		}
		var items []string
		for i := 0; i < nodes; i++ {
			container := uint64(quicklistNodePacked)
			if typ == rdbTypeListQuicklist2 {
				if container, err = r.plainLength(); err != nil {
					return nil, err
				}
				if container != quicklistNodePacked && container != quicklistNodePlain {
					return nil, errBadData
				}
			}
			blob, err := r.str()
			if err != nil {
				return nil, err
			}
			if container == quicklistNodePlain {
				items = append(items, blob)
				continue
			}
			var elems []string
			var ok bool
			if typ == rdbTypeListQuicklist {
				elems, ok = ziplistElems([]byte(blob))
			} else {
				elems, ok = listpackElems([]byte(blob))
			}
			if !ok {
				return nil, errBadData
			}
			items = append(items, elems...) // an empty node is skipped
		}
		return s.newListFrom(items)
	case rdbTypeSet:
		n, err := r.count()
		if err != nil || n == 0 {
			return nil, errBadData
		}
		var sv *setValue
		maxIntset := s.params.setMaxIntsetEntries.Int()
		for i := 0; i < n; i++ {
			m, err := r.str()
			if err != nil {
				return nil, err
			}
			if sv == nil {
				if int64(n) > maxIntset {
					sv = &setValue{tab: newSetTable()}
				} else {
					sv = newSetFor(m)
				}
			}
			if !sv.add(m, maxIntset) {
				return nil, errBadData // a duplicate
			}
		}
		return newSetEntry(sv), nil
	case rdbTypeSetIntset:
		blob, err := r.str()
		if err != nil {
			return nil, err
		}
		ints, ok := intsetMembers([]byte(blob))
		if !ok || len(ints) == 0 {
			return nil, errBadData
		}
		sv := &setValue{ints: ints}
		if int64(len(ints)) > s.params.setMaxIntsetEntries.Int() {
			sv.convert()
		}
		return newSetEntry(sv), nil
	case rdbTypeHash:
		n, err := r.count()
		if err != nil || n == 0 {
			return nil, errBadData
		}
		pairs := make([]string, 0, 2*min(n, 1024))
		for i := 0; i < 2*n; i++ {
			v, err := r.str()
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, v)
		}
		return s.newHashFrom(pairs, typ == rdbTypeHash)
	case rdbTypeHashMetadataPreGA, rdbTypeHashMetadata:
		return s.rdbLoadHashMetadata(r, typ)
	case rdbTypeHashListpackExPreGA, rdbTypeHashListpackEx:
		return s.rdbLoadHashListpackEx(r, typ)
	case rdbTypeHashZipmap, rdbTypeHashZiplist, rdbTypeHashListpack:
		blob, err := r.str()
		if err != nil {
			return nil, err
		}
		var pairs []string
		var ok bool
		switch typ {
		case rdbTypeHashZipmap:
			pairs, ok = zipmapPairs([]byte(blob))
		case rdbTypeHashZiplist:
			pairs, ok = ziplistElems([]byte(blob))
		default:
			pairs, ok = listpackElems([]byte(blob))
		}
		if !ok || len(pairs) == 0 || len(pairs)%2 != 0 {
			return nil, errBadData
		}
		return s.newHashFrom(pairs, false)
	case rdbTypeZset, rdbTypeZset2:
		n, err := r.count()
		if err != nil || n == 0 {
			return nil, errBadData
		}
		members := make([]zitem, 0, min(n, 1024))
		for i := 0; i < n; i++ {
			m, err := r.str()
			if err != nil {
				return nil, err
			}
			var sc float64
			if typ == rdbTypeZset2 {
				sc, err = r.binaryDouble()
			} else {
				sc, err = r.double()
			}
			if err != nil {
				return nil, err
			}
			if math.IsNaN(sc) {
				return nil, errBadData // zslInsert asserts a score is not NaN
			}
			members = append(members, zitem{sc, m})
		}
		return s.newZsetFrom(members)
	case rdbTypeZsetZiplist, rdbTypeZsetListpack:
		blob, err := r.str()
		if err != nil {
			return nil, err
		}
		var elems []string
		var ok bool
		if typ == rdbTypeZsetZiplist {
			elems, ok = ziplistElems([]byte(blob))
		} else {
			elems, ok = listpackElems([]byte(blob))
		}
		if !ok || len(elems) == 0 || len(elems)%2 != 0 {
			return nil, errBadData
		}
		members := make([]zitem, 0, len(elems)/2)
		for i := 0; i < len(elems); i += 2 {
			sc, ok := resp.ParseFloat([]byte(elems[i+1]))
			if !ok {
				return nil, errBadData
			}
			members = append(members, zitem{sc, elems[i]})
		}
		return s.newZsetFrom(members)
	case rdbTypeStreamListpacks, rdbTypeStreamListpacks2:
		return s.rdbLoadStream(r, typ)
	case rdbTypeModule2:
		return s.rdbLoadModule(r)
	}
	return nil, errBadData
}

// newListFrom is a list of the elements (none: an empty key, refused).
func (s *Server) newListFrom(items []string) (*Entry, error) {
	if len(items) == 0 {
		return nil, errBadData
	}
	l := &listValue{}
	l.replaceAll(items)
	return &Entry{typ: TypeList, mod: &moduleValue{list: l}}, nil
}

// newHashFrom is a hash of the field/value pairs, a listpack or a hash
// table by hash-max-listpack-entries and -value as Redis 7.0 decides after
// loading (bigByCount: a hash table from the start past the entry count, as
// for RDB_TYPE_HASH). A field twice is corrupt.
func (s *Server) newHashFrom(pairs []string, bigByCount bool) (*Entry, error) {
	e := newHashEntry()
	h := e.Hash()
	maxEntries, maxValue := s.params.hashMaxListpackEntries.Int(), s.params.hashMaxListpackValue.Int()
	if bigByCount && int64(len(pairs)/2) > maxEntries {
		e.hashBig = true
	}
	for i := 0; i < len(pairs); i += 2 {
		if !h.Set(pairs[i], pairs[i+1]) {
			return nil, errBadData
		}
		e.noteHashSize(maxEntries, maxValue, pairs[i], pairs[i+1])
	}
	return e, nil
}

// newZsetFrom is a sorted set of the members, a listpack or a skiplist by
// zset-max-listpack-entries and -value. A member twice is corrupt.
func (s *Server) newZsetFrom(members []zitem) (*Entry, error) {
	z := NewZSet()
	maxEntries, maxValue := s.params.zsetMaxListpackEntries.Int(), s.params.zsetMaxListpackValue.Int()
	if int64(len(members)) > maxEntries {
		z.convert()
	}
	for _, it := range members {
		if !z.Add(it.member, it.score, maxEntries, maxValue) {
			return nil, errBadData
		}
	}
	return newZsetEntry(z), nil
}

// restorePayload is verifyDumpPayload and the load: the value, or
// errPayloadVersion or errBadData.
func (s *Server) restorePayload(p []byte, now int64) (*Entry, error) {
	if len(p) < 10 {
		return nil, errPayloadVersion
	}
	footer := p[len(p)-10:]
	if binary.LittleEndian.Uint16(footer) > rdbVersionHFE {
		return nil, errPayloadVersion
	}
	if binary.LittleEndian.Uint64(footer[2:]) != crc64(0, p[:len(p)-8]) {
		return nil, errPayloadVersion
	}
	// Redis reads the value from the whole payload, footer included: a
	// value that runs into the footer loads (a string "\x00\x05ab" then
	// ends with the version and two bytes of the CRC), and what follows
	// the value is not looked at.
	r := &rdbReader{b: p, now: now}
	typ, err := r.byte()
	if err != nil {
		return nil, errBadData
	}
	e, err := s.rdbLoadObject(r, typ)
	if err != nil {
		return nil, errBadData
	}
	return e, nil
}

var errPayloadVersion = errors.New("version or checksum")

// --- hashes with field TTLs (Redis 7.4+)

// rdbLoadHashMetadata reads RDB_TYPE_HASH_METADATA (24: the minimum expiry,
// 8 bytes little endian, then per field a TTL relative to it, 0 for none,
// else expiry - minimum + 1) and its 7.4 release-candidate form
// RDB_TYPE_HASH_METADATA_PRE_GA (22: no minimum, absolute TTLs), as 8.2's
// rdbLoadObject does: an expiry past EB_EXPIRE_TIME_MAX is corrupt (the
// sum wraps as Redis' uint64 does), and the hash is a hash table from the
// start past hash-max-listpack-entries fields.
func (s *Server) rdbLoadHashMetadata(r *rdbReader, typ byte) (*Entry, error) {
	var minExp uint64
	if typ == rdbTypeHashMetadata {
		p, err := r.bytes(8)
		if err != nil {
			return nil, err
		}
		minExp = binary.LittleEndian.Uint64(p)
	}
	n, err := r.count()
	if err != nil || n == 0 {
		return nil, errBadData
	}
	pairs := make([]string, 0, 2*min(n, 1024))
	ats := make([]uint64, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		ttl, err := r.plainLength()
		if err != nil {
			return nil, err
		}
		at := ttl
		if typ == rdbTypeHashMetadata && ttl != 0 {
			at = ttl + minExp - 1
		}
		if at > ebExpireTimeMax {
			return nil, errBadData
		}
		f, err := r.str()
		if err != nil {
			return nil, err
		}
		v, err := r.str()
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, f, v)
		ats = append(ats, at)
	}
	return s.newHashWithTTLs(r.now, pairs, ats, true)
}

// rdbLoadHashListpackEx reads RDB_TYPE_HASH_LISTPACK_EX (25: the minimum
// expiry, 8 bytes, which Redis reads and ignores, then a listpack of field,
// value, expiry triplets) and RDB_TYPE_HASH_LISTPACK_EX_PRE_GA (23: the
// listpack alone). An expiry must be an integer in [0, EB_EXPIRE_TIME_MAX]
// (0: none); Redis turns the listpack into a hash table past
// hash-max-listpack-entries fields.
func (s *Server) rdbLoadHashListpackEx(r *rdbReader, typ byte) (*Entry, error) {
	if typ == rdbTypeHashListpackEx {
		if _, err := r.bytes(8); err != nil {
			return nil, err
		}
	}
	blob, err := r.str()
	if err != nil {
		return nil, err
	}
	elems, ok := listpackElems([]byte(blob))
	if !ok || len(elems) == 0 || len(elems)%3 != 0 {
		return nil, errBadData
	}
	pairs := make([]string, 0, len(elems)/3*2)
	ats := make([]uint64, 0, len(elems)/3)
	for i := 0; i < len(elems); i += 3 {
		at, ok := lpStringToInt(elems[i+2])
		if !ok || at < 0 || at > ebExpireTimeMax {
			return nil, errBadData
		}
		pairs = append(pairs, elems[i], elems[i+1])
		ats = append(ats, uint64(at))
	}
	return s.newHashWithTTLs(r.now, pairs, ats, false)
}

// newHashWithTTLs is a hash of the pairs whose expiries (unix ms, 0 for
// none) are not before now: Redis 8.2 drops a field already expired when it
// loads a hash (RESTORE included), and a hash left without fields is not
// created (RESTORE answers Bad data format). Under the listpack thresholds
// the hash is a listpackex, as Redis loads these types; the fields with an
// expiry carry it in the TTL side structure (hash_ttl.go).
func (s *Server) newHashWithTTLs(now int64, pairs []string, ats []uint64, bigByCount bool) (*Entry, error) {
	seen := make(map[string]struct{}, len(ats))
	live := pairs[:0:0]
	var ttls map[string]int64
	for i, at := range ats {
		f := pairs[2*i]
		if _, dup := seen[f]; dup {
			return nil, errBadData
		}
		seen[f] = struct{}{}
		if at != 0 && int64(at) < now {
			continue
		}
		live = append(live, f, pairs[2*i+1])
		if at != 0 {
			if ttls == nil {
				ttls = make(map[string]int64)
			}
			ttls[f] = int64(at)
		}
	}
	if len(live) == 0 {
		return nil, errBadData
	}
	e, err := s.newHashFrom(live, false)
	if err != nil {
		return nil, err
	}
	if bigByCount && int64(len(ats)) > s.params.hashMaxListpackEntries.Int() {
		e.hashBig = true // the fields' count before the expired ones went
	}
	if !e.hashBig {
		e.hashEx = true
	}
	if ttls != nil {
		e.mod = &moduleValue{v: &hashTTLs{at: ttls}}
	}
	return e, nil
}
