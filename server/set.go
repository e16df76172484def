package server

import (
	"math"
	"slices"
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/btree"
)

// setValue is a set, encoded as Redis 7.0 encodes one (t_set.c): an intset
// (sorted 64-bit integers) while every member is an integer as string2ll
// reads one and there are at most set-max-intset-entries of them, else a
// hash table, for good (only SPOP with a large count rebuilds a set, see
// cmdSpop). Redis 7.2 added listpack sets (set-max-listpack-*), which 8.2
// reports for small sets of non-integers: this server reports "hashtable"
// for them, as 7.0 does.
//
// The hash table is kept in the order of a hash of the member (as the
// keyspace is for SCAN): it looks random like a dict's order, and an SSCAN
// cursor (the hash to resume from) survives inserts and deletes.
type setValue struct {
	ints []int64                 // the intset, ascending (when tab is nil)
	tab  *btree.BTreeG[scanItem] // the hash table
}

func setIntOf(m string) (int64, bool) { return resp.ParseIntString(m) }

// newSetFor is setTypeCreate: an empty intset if the first member to be
// added is an integer, else an empty hash table.
func newSetFor(first string) *setValue {
	if _, ok := setIntOf(first); ok {
		return &setValue{}
	}
	return &setValue{tab: newSetTable()}
}

func newSetTable() *btree.BTreeG[scanItem] {
	return btree.NewBTreeGOptions(scanLess, btree.Options{NoLocks: true})
}

func (sv *setValue) encoding() string {
	if sv.tab != nil {
		return "hashtable"
	}
	return "intset"
}

func (sv *setValue) Len() int {
	if sv.tab != nil {
		return sv.tab.Len()
	}
	return len(sv.ints)
}

// convert turns an intset into a hash table.
func (sv *setValue) convert() {
	tab := newSetTable()
	for _, n := range sv.ints {
		m := strconv.FormatInt(n, 10)
		tab.Set(scanItem{h: keyHash(m), key: m})
	}
	sv.tab, sv.ints = tab, nil
}

// add is setTypeAdd: it reports whether m is new, converting an intset
// for a non-integer or for more than maxIntset members.
func (sv *setValue) add(m string, maxIntset int64) bool {
	if sv.tab == nil {
		if n, ok := setIntOf(m); ok {
			i, found := slices.BinarySearch(sv.ints, n)
			if found {
				return false
			}
			sv.ints = slices.Insert(sv.ints, i, n)
			if int64(len(sv.ints)) > maxIntset {
				sv.convert()
			}
			return true
		}
		sv.convert()
	}
	_, replaced := sv.tab.Set(scanItem{h: keyHash(m), key: m})
	return !replaced
}

func (sv *setValue) remove(m string) bool {
	if sv.tab != nil {
		_, ok := sv.tab.Delete(scanItem{h: keyHash(m), key: m})
		return ok
	}
	n, ok := setIntOf(m)
	if !ok {
		return false
	}
	i, found := slices.BinarySearch(sv.ints, n)
	if found {
		sv.ints = slices.Delete(sv.ints, i, i+1)
	}
	return found
}

func (sv *setValue) has(m string) bool {
	if sv.tab != nil {
		_, ok := sv.tab.Get(scanItem{h: keyHash(m), key: m})
		return ok
	}
	n, ok := setIntOf(m)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(sv.ints, n)
	return found
}

// at is the i-th member in the set's order.
func (sv *setValue) at(i int) string {
	if sv.tab != nil {
		it, _ := sv.tab.GetAt(i)
		return it.key
	}
	return strconv.FormatInt(sv.ints[i], 10)
}

// each calls fn for every member in the set's order until it returns false.
// fn must not change the set.
func (sv *setValue) each(fn func(m string) bool) {
	if sv.tab != nil {
		sv.tab.Scan(func(it scanItem) bool { return fn(it.key) })
		return
	}
	for _, n := range sv.ints {
		if !fn(strconv.FormatInt(n, 10)) {
			return
		}
	}
}

func (sv *setValue) members() []string {
	out := make([]string, 0, sv.Len())
	sv.each(func(m string) bool { out = append(out, m); return true })
	return out
}

func (sv *setValue) copy() *setValue {
	if sv.tab != nil {
		return &setValue{tab: sv.tab.Copy()}
	}
	return &setValue{ints: slices.Clone(sv.ints)}
}

// scan visits up to count members of a hash table from cursor on and
// returns the cursor to continue from (0 at the end); an intset is visited
// whole in one call, as Redis does.
func (sv *setValue) scan(cursor uint64, count int64, fn func(m string)) uint64 {
	if sv.tab == nil {
		sv.each(func(m string) bool { fn(m); return true })
		return 0
	}
	next := uint64(0)
	var seen int64
	sv.tab.Ascend(scanItem{h: cursor}, func(it scanItem) bool {
		if seen >= count {
			next = it.h
			return false
		}
		seen++
		fn(it.key)
		return true
	})
	return next
}

// setSerializedLength is the size of a set in an RDB file: an intset as one
// string (an 8-byte header, then every member in the width of the widest),
// uncompressed (see serializedLength); a hash table as a count, then the
// members.
func setSerializedLength(sv *setValue) int {
	if sv.tab == nil {
		width := 2
		for _, n := range sv.ints {
			switch {
			case n < math.MinInt32 || n > math.MaxInt32:
				width = 8
			case (n < math.MinInt16 || n > math.MaxInt16) && width < 4:
				width = 4
			}
		}
		size := 8 + width*len(sv.ints)
		return rdbLenLen(size) + size
	}
	n := rdbLenLen(sv.Len())
	sv.each(func(m string) bool { n += rdbStringLen(m); return true })
	return n
}
