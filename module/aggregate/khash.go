package aggregate

import (
	"encoding/binary"
	"math"

	"github.com/miniredis-search/miniredis-search/module/expr"
)

// The module's grouper keeps its groups in a khash table (klib 0.2.8,
// KHASH_MAP_INIT_INT64) keyed by a 64-bit hash of the group's values, and
// yields them in bucket order (Grouper_rpYield walks kh_begin..kh_end).
// Without a SORTBY that is the order of GROUPBY's rows, and a FILTER or
// APPLY after it that fails names the group it met first. This file
// reproduces both the hash (RSValue_Hash) and the table (kh_put,
// kh_resize) so the groups come out in that order.

// fnv64a is the module's fnv_64a_buf: FNV-1a over buf from hval (the
// grouper starts from 0, not from the FNV offset basis).
func fnv64a(buf []byte, hval uint64) uint64 {
	for _, b := range buf {
		hval ^= uint64(b)
		hval *= 0x100000001b3
	}
	return hval
}

// moduleHash is RSValue_Hash: a number hashes its eight bytes, a string its
// bytes, null adds one, an array folds its elements.
func moduleHash(v expr.Value, hval uint64) uint64 {
	switch v.Kind() {
	case expr.KindNumber:
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v.Num()))
		return fnv64a(b[:], hval)
	case expr.KindString:
		return fnv64a([]byte(v.Str()), hval)
	case expr.KindArray:
		for _, e := range v.Elems() {
			hval = moduleHash(e, hval)
		}
		return hval
	}
	return hval + 1
}

// khashOrder replays kh_put on a khash int64 map and reports the final
// bucket of every key it holds. Values are the callers' indexes.
type khashOrder struct {
	nBuckets, size, nOccupied, upperBound uint32
	live                                  []bool
	keys                                  []uint64
	vals                                  []int
}

const khashUpper = 0.77 // __ac_HASH_UPPER

// khInt64Hash is kh_int64_hash_func.
func khInt64Hash(key uint64) uint32 { return uint32(key>>33 ^ key ^ key<<11) }

// put inserts a key known to be absent (the grouper calls kh_get first).
func (h *khashOrder) put(key uint64, val int) {
	if h.nOccupied >= h.upperBound {
		if h.nBuckets > h.size<<1 {
			h.resize(h.nBuckets - 1)
		} else {
			h.resize(h.nBuckets + 1)
		}
	}
	mask := h.nBuckets - 1
	i := khInt64Hash(key) & mask
	for step := uint32(0); h.live[i]; {
		step++
		i = (i + step) & mask
	}
	h.live[i] = true
	h.keys[i] = key
	h.vals[i] = val
	h.size++
	h.nOccupied++
}

// resize is kh_resize without deleted entries: the live entries are moved
// to the larger table by the kick-out process, in old bucket order.
func (h *khashOrder) resize(n uint32) {
	n = roundup32(n)
	if n < 4 {
		n = 4
	}
	if h.size >= uint32(float64(n)*khashUpper+0.5) {
		return
	}
	newLive := make([]bool, n)
	old := h.nBuckets
	if old < n {
		h.keys = append(h.keys, make([]uint64, n-old)...)
		h.vals = append(h.vals, make([]int, n-old)...)
	}
	oldLive := h.live // false: empty or "deleted" (already moved)
	mask := n - 1
	for j := uint32(0); j < old; j++ {
		if !oldLive[j] {
			continue
		}
		key, val := h.keys[j], h.vals[j]
		oldLive[j] = false
		for {
			i := khInt64Hash(key) & mask
			for step := uint32(0); newLive[i]; {
				step++
				i = (i + step) & mask
			}
			newLive[i] = true
			if i < old && oldLive[i] {
				// kick out the entry still waiting in the old table
				h.keys[i], key = key, h.keys[i]
				h.vals[i], val = val, h.vals[i]
				oldLive[i] = false
				continue
			}
			h.keys[i], h.vals[i] = key, val
			break
		}
	}
	h.live = newLive
	h.nBuckets = n
	h.nOccupied = h.size
	h.upperBound = uint32(float64(n)*khashUpper + 0.5)
}

func roundup32(x uint32) uint32 {
	x--
	x |= x >> 1
	x |= x >> 2
	x |= x >> 4
	x |= x >> 8
	x |= x >> 16
	return x + 1
}

// order lists the values in bucket order.
func (h *khashOrder) order() []int {
	out := make([]int, 0, h.size)
	for i := uint32(0); i < h.nBuckets; i++ {
		if h.live[i] {
			out = append(out, h.vals[i])
		}
	}
	return out
}
