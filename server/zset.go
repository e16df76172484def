package server

import (
	"strings"

	"github.com/tidwall/btree"
)

// ZSet is a sorted set, encoded as Redis 7.0 encodes one (t_zset.c): a
// listpack while it has at most zset-max-listpack-entries members of at most
// zset-max-listpack-value bytes, else a skiplist plus a dict, for good (only
// a new set built by a STORE command starts small again).
//
// Both encodings keep the members in a B-tree ordered by (score, member),
// with the element counts that give a rank in O(log² n); the skiplist form
// adds the dict: a B-tree in the order of a hash of the member (as the
// keyspace and a set's hash table are, for SCAN), which maps a member to its
// score and gives ZSCAN a cursor that survives inserts and deletes. The
// listpack form finds a member by walking the (small) tree, as Redis walks
// its listpack.
//
// This is the internal API the geo commands build on: Add, Score, Remove,
// Len, RangeByScore, Rank, At.
type ZSet struct {
	tree *btree.BTreeG[zitem]
	dict *btree.BTreeG[zdictItem] // nil: listpack
}

// zitem is a member and its score, ordered by score, then member.
type zitem struct {
	score  float64
	member string
}

func zitemLess(a, b zitem) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.member < b.member
}

type zdictItem struct {
	h      uint64
	member string
	score  float64
}

func zdictLess(a, b zdictItem) bool {
	if a.h != b.h {
		return a.h < b.h
	}
	return a.member < b.member
}

// NewZSet makes an empty sorted set in the listpack encoding.
func NewZSet() *ZSet {
	return &ZSet{tree: btree.NewBTreeGOptions(zitemLess, btree.Options{NoLocks: true})}
}

func (z *ZSet) encoding() string {
	if z.dict != nil {
		return "skiplist"
	}
	return "listpack"
}

// Len is the number of members.
func (z *ZSet) Len() int { return z.tree.Len() }

// convert turns a listpack into a skiplist.
func (z *ZSet) convert() {
	if z.dict != nil {
		return
	}
	z.dict = btree.NewBTreeGOptions(zdictLess, btree.Options{NoLocks: true})
	z.tree.Scan(func(it zitem) bool {
		z.dict.Set(zdictItem{h: keyHash(it.member), member: it.member, score: it.score})
		return true
	})
}

// fits reports whether a set of n members, the latest of length mlen, may
// stay a listpack (zsetTypeMaybeConvert's and zsetAdd's checks).
func zsetFits(n int, mlen int, maxEntries, maxValue int64) bool {
	return int64(n) <= maxEntries && int64(mlen) <= maxValue
}

// Score is a member's score.
func (z *ZSet) Score(m string) (float64, bool) {
	if z.dict != nil {
		it, ok := z.dict.Get(zdictItem{h: keyHash(m), member: m})
		return it.score, ok
	}
	var score float64
	found := false
	z.tree.Scan(func(it zitem) bool {
		if it.member == m {
			score, found = it.score, true
			return false
		}
		return true
	})
	return score, found
}

// Add sets a member's score, reporting whether the member is new. The set
// converts to a skiplist beyond the listpack limits.
func (z *ZSet) Add(m string, score float64, maxEntries, maxValue int64) bool {
	if score == 0 && z.dict == nil {
		// A listpack keeps a score as text, written as an integer when it
		// is one (d2string): -0 reads back as 0.
		score = 0
	}
	old, exists := z.Score(m)
	if exists {
		if old != score {
			z.tree.Delete(zitem{old, m})
			z.tree.Set(zitem{score, m})
			if z.dict != nil {
				z.dict.Set(zdictItem{h: keyHash(m), member: m, score: score})
			}
		}
		return false
	}
	z.tree.Set(zitem{score, m})
	if z.dict != nil {
		z.dict.Set(zdictItem{h: keyHash(m), member: m, score: score})
	} else if !zsetFits(z.tree.Len(), len(m), maxEntries, maxValue) {
		z.convert()
	}
	return true
}

// Remove deletes a member, reporting whether it was there.
func (z *ZSet) Remove(m string) bool {
	score, ok := z.Score(m)
	if !ok {
		return false
	}
	z.tree.Delete(zitem{score, m})
	if z.dict != nil {
		z.dict.Delete(zdictItem{h: keyHash(m), member: m})
	}
	return true
}

// At is the member of rank i (0-based, ascending).
func (z *ZSet) At(i int) (member string, score float64) {
	it, _ := z.tree.GetAt(i)
	return it.member, it.score
}

// firstIndex is the lowest index whose item satisfies pred, pred being
// false then true along the order (n if none does).
func (z *ZSet) firstIndex(pred func(zitem) bool) int {
	lo, hi := 0, z.tree.Len()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		it, _ := z.tree.GetAt(mid)
		if pred(it) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// Rank is a member's 0-based rank, ascending (or descending with rev).
func (z *ZSet) Rank(m string, rev bool) (int, bool) {
	score, ok := z.Score(m)
	if !ok {
		return 0, false
	}
	target := zitem{score, m}
	r := z.firstIndex(func(it zitem) bool { return !zitemLess(it, target) })
	if rev {
		r = z.tree.Len() - 1 - r
	}
	return r, true
}

// ScoreRange is a range of scores, each end inclusive or not
// (zrangespec).
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r *ScoreRange) gteMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

func (r *ScoreRange) lteMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// empty reports a range no score can be in (zslIsInRange's first check).
func (r *ScoreRange) empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// scoreBounds is the index range [lo, hi) of the scores in r.
func (z *ZSet) scoreBounds(r *ScoreRange) (int, int) {
	if r.empty() {
		return 0, 0
	}
	lo := z.firstIndex(func(it zitem) bool { return r.gteMin(it.score) })
	hi := z.firstIndex(func(it zitem) bool { return !r.lteMax(it.score) })
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// RangeByScore calls fn on the members with a score in r, ascending (or
// descending with rev), until it returns false. fn must not change the set.
func (z *ZSet) RangeByScore(r ScoreRange, rev bool, fn func(member string, score float64) bool) {
	lo, hi := z.scoreBounds(&r)
	z.rangeIndex(lo, hi, rev, func(it zitem) bool { return fn(it.member, it.score) })
}

// rangeIndex calls fn on the items of index [lo, hi), ascending or
// descending, until it returns false.
func (z *ZSet) rangeIndex(lo, hi int, rev bool, fn func(zitem) bool) {
	if lo >= hi {
		return
	}
	n := hi - lo
	each := func(it zitem) bool {
		if n == 0 {
			return false
		}
		n--
		return fn(it)
	}
	// A range from either end (ZRANGE 0 9) is walked without looking its
	// first item up.
	switch {
	case !rev && lo == 0:
		z.tree.Scan(each)
	case !rev:
		first, _ := z.tree.GetAt(lo)
		z.tree.Ascend(first, each)
	case hi == z.tree.Len():
		z.tree.Reverse(each)
	default:
		last, _ := z.tree.GetAt(hi - 1)
		z.tree.Descend(last, each)
	}
}

// lexBound is one end of a lex range: a member, inclusive or not, or -/+.
type lexBound struct {
	s        string
	ex       bool
	neg, pos bool // "-" and "+"
}

// LexRange is a range of members (zlexrangespec).
type LexRange struct{ Min, Max lexBound }

func (r *LexRange) gteMin(m string) bool {
	switch {
	case r.Min.neg:
		return true
	case r.Min.pos:
		return false
	case r.Min.ex:
		return m > r.Min.s
	}
	return m >= r.Min.s
}

func (r *LexRange) lteMax(m string) bool {
	switch {
	case r.Max.pos:
		return true
	case r.Max.neg:
		return false
	case r.Max.ex:
		return m < r.Max.s
	}
	return m <= r.Max.s
}

// empty is zslIsInLexRange's first check: min above max, or equal with an
// end excluded.
func (r *LexRange) empty() bool {
	if r.Min.pos || r.Max.neg {
		return true
	}
	if r.Min.neg || r.Max.pos {
		return false
	}
	c := strings.Compare(r.Min.s, r.Max.s)
	return c > 0 || (c == 0 && (r.Min.ex || r.Max.ex))
}

// lexBounds is the index range [lo, hi) of the members in r, the set being
// taken as ordered by member (all scores equal, as lex ranges assume).
func (z *ZSet) lexBounds(r *LexRange) (int, int) {
	if r.empty() {
		return 0, 0
	}
	lo := z.firstIndex(func(it zitem) bool { return r.gteMin(it.member) })
	hi := z.firstIndex(func(it zitem) bool { return !r.lteMax(it.member) })
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// each calls fn on every member, ascending, until it returns false.
func (z *ZSet) each(fn func(member string, score float64) bool) {
	z.tree.Scan(func(it zitem) bool { return fn(it.member, it.score) })
}

// deleteIndex removes the members of index [lo, hi) and returns them.
func (z *ZSet) deleteIndex(lo, hi int) []zitem {
	var out []zitem
	z.rangeIndex(lo, hi, false, func(it zitem) bool { out = append(out, it); return true })
	for _, it := range out {
		z.tree.Delete(it)
		if z.dict != nil {
			z.dict.Delete(zdictItem{h: keyHash(it.member), member: it.member})
		}
	}
	return out
}

func (z *ZSet) copy() *ZSet {
	cp := &ZSet{tree: z.tree.Copy()}
	if z.dict != nil {
		cp.dict = z.dict.Copy()
	}
	return cp
}

// scan visits up to count members of a skiplist's dict from cursor on and
// returns the cursor to continue from (0 at the end); a listpack is visited
// whole in one call, as Redis does.
func (z *ZSet) scan(cursor uint64, count int64, fn func(member string, score float64)) uint64 {
	if z.dict == nil {
		z.each(func(m string, s float64) bool { fn(m, s); return true })
		return 0
	}
	next := uint64(0)
	var seen int64
	z.dict.Ascend(zdictItem{h: cursor}, func(it zdictItem) bool {
		if seen >= count {
			next = it.h
			return false
		}
		seen++
		fn(it.member, it.score)
		return true
	})
	return next
}

// zsetSerializedLength is the size of a sorted set in an RDB file,
// counted as a skiplist is written (a count, then each member and its
// 8-byte binary score); Redis writes a listpack as one blob, which this
// does not reproduce.
func zsetSerializedLength(z *ZSet) int {
	n := rdbLenLen(z.Len())
	z.each(func(m string, _ float64) bool { n += rdbStringLen(m) + 8; return true })
	return n
}
