package server

import (
	"encoding/binary"
	"errors"
	"math"
	"sort"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// DUMP's payload is a value in Redis' RDB serialization (rdb.c,
// rdbSaveObjectType and rdbSaveObject), followed by the RDB version (two
// bytes, little endian) and the CRC64 of everything before it (eight bytes,
// little endian), as cluster.c's createDumpPayload writes it. This file
// writes values the way redis-server 7.0 does, byte for byte, in the
// encodings OBJECT ENCODING reports (which follow 7.0's thresholds), and a
// hash with field TTLs, which 7.0 cannot hold, the way Redis 8.2 does
// (types 24/25, RDB version 12); the reader is rdb_decode.go.

// RDB object types (rdb.h). 7.0 writes types 0, 2, 4, 5, 11, 16, 17, 18, 19
// and 7; it still reads the older ones.
const (
	rdbTypeString           = 0
	rdbTypeList             = 1
	rdbTypeSet              = 2
	rdbTypeZset             = 3
	rdbTypeHash             = 4
	rdbTypeZset2            = 5
	rdbTypeModule2          = 7
	rdbTypeHashZipmap       = 9
	rdbTypeListZiplist      = 10
	rdbTypeSetIntset        = 11
	rdbTypeZsetZiplist      = 12
	rdbTypeHashZiplist      = 13
	rdbTypeListQuicklist    = 14
	rdbTypeStreamListpacks  = 15
	rdbTypeHashListpack     = 16
	rdbTypeZsetListpack     = 17
	rdbTypeListQuicklist2   = 18
	rdbTypeStreamListpacks2 = 19
	// Hashes with field TTLs (Redis 7.4+, RDB version 12): the 7.4 release
	// candidates' types 22 and 23 hold absolute TTLs and no minimum; 24 and
	// 25, which 7.4 GA and 8.x write, start with the minimum field expiry.
	rdbTypeHashMetadataPreGA   = 22
	rdbTypeHashListpackExPreGA = 23
	rdbTypeHashMetadata        = 24
	rdbTypeHashListpackEx      = 25
)

// rdbVersion is RDB_VERSION in Redis 7.0, the version DUMP writes for every
// value 7.0 can hold; rdbVersionHFE is Redis 8.2's, which DUMP writes for a
// hash in the field-TTL types 24 and 25 (a 7.0 RESTORE refuses it, as it
// refuses any payload of 8.2) and the highest RESTORE accepts.
const (
	rdbVersion    = 10
	rdbVersionHFE = 12
)

// ebExpireTimeMax is EB_EXPIRE_TIME_MAX (ebuckets.h): the largest field
// expiry an RDB may hold.
const ebExpireTimeMax = 1<<48 - 1

// The special string encodings of rdbSaveLen's first byte (11xxxxxx).
const (
	rdbEncInt8  = 0
	rdbEncInt16 = 1
	rdbEncInt32 = 2
	rdbEncLZF   = 3
)

// Quicklist node containers (quicklist.h).
const (
	quicklistNodePlain  = 1
	quicklistNodePacked = 2
)

var errDumpUnsupported = errors.New("unsupported")

// rdbWriter appends RDB serializations.
type rdbWriter struct {
	b        []byte
	compress bool // rdbcompression: LZF for strings over 20 bytes
	lzf      *lzfTable
	version  uint16 // the RDB version the value needs, if above rdbVersion
}

// length is rdbSaveLen.
func (w *rdbWriter) length(n uint64) {
	switch {
	case n < 1<<6:
		w.b = append(w.b, byte(n))
	case n < 1<<14:
		w.b = append(w.b, byte(n>>8)|0x40, byte(n))
	case n <= math.MaxUint32:
		w.b = append(w.b, 0x80)
		w.b = binary.BigEndian.AppendUint32(w.b, uint32(n))
	default:
		w.b = append(w.b, 0x81)
		w.b = binary.BigEndian.AppendUint64(w.b, n)
	}
}

// encodeInteger is rdbEncodeInteger: a value that fits in 32 bits.
func (w *rdbWriter) encodeInteger(v int64) bool {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		w.b = append(w.b, 0xC0|rdbEncInt8, byte(v))
	case v >= math.MinInt16 && v <= math.MaxInt16:
		w.b = append(w.b, 0xC0|rdbEncInt16)
		w.b = binary.LittleEndian.AppendUint16(w.b, uint16(v))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		w.b = append(w.b, 0xC0|rdbEncInt32)
		w.b = binary.LittleEndian.AppendUint32(w.b, uint32(v))
	default:
		return false
	}
	return true
}

// str is rdbSaveRawString: a short integer as an integer, a string over 20
// bytes LZF-compressed when that saves at least 4 bytes, else the length
// and the bytes.
func (w *rdbWriter) str(s string) {
	if len(s) <= 11 {
		// rdbTryIntegerEncoding: string2ll, and the number must print back
		// as the same string (ParseIntString only reads such strings).
		if v, ok := resp.ParseIntString(s); ok && w.encodeInteger(v) {
			return
		}
	}
	if w.compress && len(s) > 20 {
		// rdbSaveLzfStringObject: the output may be at most len-4 bytes.
		if w.lzf == nil {
			w.lzf = new(lzfTable)
		}
		out := lzfCompress(w.lzf, []byte(s), len(s)-4)
		if out != nil {
			w.b = append(w.b, 0xC0|rdbEncLZF)
			w.length(uint64(len(out)))
			w.length(uint64(len(s)))
			w.b = append(w.b, out...)
			return
		}
	}
	w.length(uint64(len(s)))
	w.b = append(w.b, s...)
}

// binaryDouble is rdbSaveBinaryDoubleValue.
func (w *rdbWriter) binaryDouble(f float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f))
}

// --- listpack (listpack.c)

// lpHeaderSize is the listpack header: total bytes (4) and count (2).
const lpHeaderSize = 6

// lpEntrySize is the size of an element's encoding and data (without its
// back-length), as lpEncodeGetType and lpEncodeString size it.
func lpEntrySize(s string) int {
	if v, ok := lpStringToInt(s); ok {
		switch {
		case v >= 0 && v <= 127:
			return 1
		case v >= -4096 && v <= 4095:
			return 2
		case v >= math.MinInt16 && v <= math.MaxInt16:
			return 3
		case v >= -1<<23 && v < 1<<23:
			return 4
		case v >= math.MinInt32 && v <= math.MaxInt32:
			return 5
		}
		return 9
	}
	switch n := len(s); {
	case n < 64:
		return 1 + n
	case n < 4096:
		return 2 + n
	default:
		return 5 + n
	}
}

// lpStringToInt is lpStringToInt64: string2ll for strings under 21 bytes.
func lpStringToInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) >= 21 {
		return 0, false
	}
	return resp.ParseIntString(s)
}

// lpBacklenSize is the size of lpEncodeBacklen's encoding of l.
func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpAppend appends an element and its back-length.
func lpAppend(b []byte, s string) []byte {
	start := len(b)
	if v, ok := lpStringToInt(s); ok {
		u := uint64(v)
		switch {
		case v >= 0 && v <= 127:
			b = append(b, byte(v))
		case v >= -4096 && v <= 4095:
			if v < 0 {
				u = uint64((1 << 13) + v)
			}
			b = append(b, byte(u>>8)|0xC0, byte(u))
		case v >= math.MinInt16 && v <= math.MaxInt16:
			b = append(b, 0xF1, byte(u), byte(u>>8))
		case v >= -1<<23 && v < 1<<23:
			b = append(b, 0xF2, byte(u), byte(u>>8), byte(u>>16))
		case v >= math.MinInt32 && v <= math.MaxInt32:
			b = append(b, 0xF3)
			b = binary.LittleEndian.AppendUint32(b, uint32(u))
		default:
			b = append(b, 0xF4)
			b = binary.LittleEndian.AppendUint64(b, u)
		}
	} else {
		switch n := len(s); {
		case n < 64:
			b = append(b, 0x80|byte(n))
		case n < 4096:
			b = append(b, 0xE0|byte(n>>8), byte(n))
		default:
			b = append(b, 0xF0)
			b = binary.LittleEndian.AppendUint32(b, uint32(n))
		}
		b = append(b, s...)
	}
	return lpAppendBacklen(b, len(b)-start)
}

// lpAppendBacklen is lpEncodeBacklen: the entry's length, read backwards.
func lpAppendBacklen(b []byte, l int) []byte {
	switch {
	case l <= 127:
		return append(b, byte(l))
	case l < 16383:
		return append(b, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(b, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(b, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(b, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}

// listpackOf builds a listpack of the elements.
func listpackOf(elems []string) []byte {
	b := make([]byte, lpHeaderSize, 64)
	for _, s := range elems {
		b = lpAppend(b, s)
	}
	return lpFinish(b, len(elems))
}

// lpFinish ends a listpack whose entries follow a blank header.
func lpFinish(b []byte, n int) []byte {
	b = append(b, 0xFF)
	binary.LittleEndian.PutUint32(b[0:], uint32(len(b)))
	if n >= 65535 {
		n = 65535 // LP_HDR_NUMELE_UNKNOWN
	}
	binary.LittleEndian.PutUint16(b[4:], uint16(n))
	return b
}

// --- values

// intsetOf is an intset's memory (intset.c): the width, the count, then the
// members in ascending order, little endian, each in the width of the
// widest.
func intsetOf(ints []int64) []byte {
	width := 2
	for _, n := range ints {
		switch {
		case n < math.MinInt32 || n > math.MaxInt32:
			width = 8
		case (n < math.MinInt16 || n > math.MaxInt16) && width < 4:
			width = 4
		}
	}
	b := make([]byte, 8, 8+width*len(ints))
	binary.LittleEndian.PutUint32(b[0:], uint32(width))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(ints)))
	for _, n := range ints {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(n))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(n))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(n))
		}
	}
	return b
}

// quicklistNodes splits a list into the listpacks of the nodes a list built
// by RPUSH has in Redis 7.0 (quicklistPushTail and
// _quicklistNodeAllowInsert: a node takes one more element while its size
// plus the element's length plus an overhead estimate stays within
// list-max-listpack-size, see quicklistAllowInsert). A list built another
// way (LPUSH, LINSERT, LREM...) may be cut elsewhere by Redis; its
// elements are the same.
func quicklistNodes(elems []string, fill int64) [][]byte {
	var nodes [][]byte
	var cur []byte
	count := 0
	for _, s := range elems {
		if cur != nil && !quicklistAllowInsert(len(cur), count, fill, len(s)) {
			nodes = append(nodes, lpFinish(cur, count))
			cur, count = nil, 0
		}
		if cur == nil {
			cur = make([]byte, lpHeaderSize, 256)
		}
		cur = lpAppend(cur, s)
		count++
	}
	if cur != nil {
		nodes = append(nodes, lpFinish(cur, count))
	}
	return nodes
}

// quicklistAllowInsert is 7.0's _quicklistNodeAllowInsert and
// quicklistNodeExceedsLimit; nodeBody is the node's listpack size without
// its end byte (lpBytes is one more). The element's cost is estimated as
// its length plus 8 (SIZE_ESTIMATE_OVERHEAD); a negative fill is a byte
// limit, else a count limit (at least 1) under the 8 kB SIZE_SAFETY_LIMIT.
func quicklistAllowInsert(nodeBody, count int, fill int64, sz int) bool {
	newSz := nodeBody + 1 + sz + 8
	if fill < 0 {
		limits := [...]int{4096, 8192, 16384, 32768, 65536}
		off := min(-fill-1, int64(len(limits)-1))
		return newSz <= limits[off]
	}
	if newSz > 8192 {
		return false
	}
	return int64(count+1) <= max(fill, 1)
}

// d2string is util.c's d2string in Redis 7.0, how a listpack stores a
// sorted set's score.
func d2string(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == 0 && math.Signbit(v):
		return "-0"
	case v > -4503599627370495 && v < 4503599627370496 && v == math.Trunc(v):
		return strconv.FormatInt(int64(v), 10)
	}
	return string(resp.AppendDouble(nil, v))
}

// dumpPayload is createDumpPayload: the value's type, its serialization,
// the RDB version and the CRC64.
func (s *Server) dumpPayload(e *Entry) ([]byte, error) {
	w := &rdbWriter{b: make([]byte, 0, 64), compress: true}
	if err := s.rdbSaveObject(w, e); err != nil {
		return nil, err
	}
	w.b = binary.LittleEndian.AppendUint16(w.b, max(rdbVersion, w.version))
	w.b = binary.LittleEndian.AppendUint64(w.b, crc64(0, w.b))
	return w.b, nil
}

// rdbSaveObject is rdbSaveObjectType followed by rdbSaveObject.
func (s *Server) rdbSaveObject(w *rdbWriter, e *Entry) error {
	switch e.typ {
	case TypeString:
		w.b = append(w.b, rdbTypeString)
		w.str(e.str)
	case TypeList:
		w.b = append(w.b, rdbTypeListQuicklist2)
		fill := int64(-2)
		if p := s.cfg.Lookup("list-max-listpack-size"); p != nil {
			fill = p.Int()
		}
		nodes := quicklistNodes(e.list().slice(), fill)
		w.length(uint64(len(nodes)))
		for _, n := range nodes {
			w.length(quicklistNodePacked)
			w.str(string(n))
		}
	case TypeSet:
		sv := e.set()
		if sv.tab == nil {
			w.b = append(w.b, rdbTypeSetIntset)
			w.str(string(intsetOf(sv.ints)))
			return nil
		}
		w.b = append(w.b, rdbTypeSet)
		w.length(uint64(sv.Len()))
		sv.each(func(m string) bool { w.str(m); return true })
	case TypeHash:
		h := e.Hash()
		ttls := e.fieldTTLs()
		if ttls != nil && len(ttls.at) == 0 {
			ttls = nil
		}
		if e.encoding() == "hashtable" {
			if ttls != nil {
				s.rdbSaveHashMetadata(w, h, ttls)
				return nil
			}
			w.b = append(w.b, rdbTypeHash)
			w.length(uint64(h.Len()))
			h.Each(func(f, v string) bool { w.str(f); w.str(v); return true })
			return nil
		}
		if e.hashEx || ttls != nil {
			rdbSaveHashListpackEx(w, h, ttls)
			return nil
		}
		w.b = append(w.b, rdbTypeHashListpack)
		b := make([]byte, lpHeaderSize, 128)
		h.Each(func(f, v string) bool { b = lpAppend(lpAppend(b, f), v); return true })
		w.str(string(lpFinish(b, 2*h.Len())))
	case TypeZset:
		z := e.zset()
		if z.dict == nil {
			w.b = append(w.b, rdbTypeZsetListpack)
			b := make([]byte, lpHeaderSize, 128)
			z.each(func(m string, sc float64) bool { b = lpAppend(lpAppend(b, m), d2string(sc)); return true })
			w.str(string(lpFinish(b, 2*z.Len())))
			return nil
		}
		// The skiplist from its tail: the highest score first.
		w.b = append(w.b, rdbTypeZset2)
		w.length(uint64(z.Len()))
		z.tree.Reverse(func(it zitem) bool {
			w.str(it.member)
			w.binaryDouble(it.score)
			return true
		})
	case TypeStream:
		return s.rdbSaveStream(w, e.stream())
	case TypeModule:
		dt, v := e.ModuleValue()
		if dt != nil && dt.RDBSave != nil {
			w.module(dt, v)
			return nil
		}
		name := "?"
		if dt != nil {
			name = dt.Name
		}
		return errors.New(fmtDumpModule(name))
	default:
		return errDumpUnsupported
	}
	return nil
}

// fmtDumpModule is DUMP's answer for a value of a module type that has no
// RDBSave (the search module's suggestion dictionaries).
func fmtDumpModule(name string) string {
	return "ERR DUMP is not supported for the module type '" + name + "'"
}

// minFieldTTL is the earliest field expiry (hashTypeGetMinExpire), 0 if
// none.
func minFieldTTL(ttls *hashTTLs) uint64 {
	var m uint64
	if ttls == nil {
		return 0
	}
	for _, ms := range ttls.at {
		if m == 0 || uint64(ms) < m {
			m = uint64(ms)
		}
	}
	return m
}

// rdbSaveHashMetadata is rdbSaveObject for a hash table with field TTLs
// (Redis 8.2, RDB_TYPE_HASH_METADATA): the minimum expiry as 8 bytes little
// endian (rdbSaveMillisecondTime), the count, then per field its TTL as a
// length (0: none, else expiry - minimum + 1), the field and the value.
func (s *Server) rdbSaveHashMetadata(w *rdbWriter, h *Hash, ttls *hashTTLs) {
	w.version = rdbVersionHFE
	w.b = append(w.b, rdbTypeHashMetadata)
	minExp := minFieldTTL(ttls)
	w.b = binary.LittleEndian.AppendUint64(w.b, minExp)
	w.length(uint64(h.Len()))
	h.Each(func(f, v string) bool {
		var rel uint64
		if ms, ok := ttls.at[f]; ok {
			rel = uint64(ms) - minExp + 1
		}
		w.length(rel)
		w.str(f)
		w.str(v)
		return true
	})
}

// rdbSaveHashListpackEx is rdbSaveObject for a small hash that has (or had)
// field TTLs, OBJECT ENCODING listpackex (Redis 8.2,
// RDB_TYPE_HASH_LISTPACK_EX): the minimum expiry as 8 bytes little endian
// (0 if no field has one), then the listpack of field, value, expiry
// triplets, the expiry a listpack integer in unix ms and 0 for none. Redis
// keeps the triplets ordered by expiry (listpackExAddInternal: a field with
// a TTL goes before the first with a later one, a field without one at the
// end); the fields are sorted so, stably in the hash's order.
func rdbSaveHashListpackEx(w *rdbWriter, h *Hash, ttls *hashTTLs) {
	w.version = rdbVersionHFE
	w.b = append(w.b, rdbTypeHashListpackEx)
	w.b = binary.LittleEndian.AppendUint64(w.b, minFieldTTL(ttls))
	type triplet struct {
		f, v string
		at   int64
	}
	ts := make([]triplet, 0, h.Len())
	h.Each(func(f, v string) bool {
		var at int64
		if ttls != nil {
			at = ttls.at[f]
		}
		ts = append(ts, triplet{f, v, at})
		return true
	})
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i].at, ts[j].at
		return a != 0 && (b == 0 || a < b)
	})
	b := make([]byte, lpHeaderSize, 128)
	for _, t := range ts {
		b = lpAppend(lpAppend(lpAppend(b, t.f), t.v), strconv.FormatInt(t.at, 10))
	}
	w.str(string(lpFinish(b, 3*len(ts))))
}
