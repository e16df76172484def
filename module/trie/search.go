package trie

import (
	"encoding/binary"
	"math"
)

// Result is one string Search found.
type Result struct {
	Str     string
	Score   float32
	Payload string // "" when none
}

// scoreTrimFactor is SCORE_TRIM_FACTOR.
const scoreTrimFactor = 10.0

// Search is Trie_Search, what FT.SUGGET runs: the num best strings within
// maxDist of q (q a prefix of them in prefix mode), best first. q is read
// folded; a string equal to it scores INT_MAX; a fuzzy match's score is
// multiplied by exp(-2·distance); in prefix mode it is divided by
// sqrt(1 + |runes of the string - bytes of q|). The best are kept in the
// module's binary heap, whose order decides between equal scores. With
// trim, results under a tenth of the best so far are cut. ok is false for
// a query the module refuses: over 200 bytes, or 100 runes or more.
func (t *Trie) Search(q string, num, maxDist int, prefix, trim bool) (res []Result, ok bool) {
	if len(q) > MaxPrefix*2 {
		return nil, false
	}
	runes, ok := FoldedRunes(q)
	if !ok || len(runes) >= MaxPrefix {
		return nil, false
	}
	var exact []byte
	for _, r := range runes {
		exact = binary.LittleEndian.AppendUint16(exact, r)
	}
	h := newHeap(num)
	it := t.iterate(NewFilter(runes, maxDist, prefix, Fold))
	dist := maxDist + 1
	for {
		s, score, payload, found := it.Next(&dist)
		if !found {
			break
		}
		sc := score
		if len(s) > 0 && len(s) == len(runes) && sameBytes(exact, s) {
			sc = float32(math.MaxInt32)
		}
		if maxDist > 0 {
			sc = float32(float64(sc) * math.Exp(float64(-(2 * dist))))
		}
		if prefix {
			diff := len(s) - len(q)
			if diff < 0 {
				diff = -diff
			}
			sc = float32(float64(sc) / math.Sqrt(float64(1+diff)))
		}
		switch {
		case h.count() < h.size:
			h.offer(&Result{Str: String(s), Score: sc, Payload: payload})
			if h.count() == h.size {
				it.minScore = h.peek().Score
			}
		case sc > it.minScore:
			h.poll()
			h.offer(&Result{Str: String(s), Score: sc, Payload: payload})
			if m := h.peek().Score; m > it.minScore {
				it.minScore = m
			}
		}
	}
	n := min(h.count(), num)
	res = make([]Result, n)
	for i := 0; i < n; i++ {
		res[n-i-1] = *h.poll()
	}
	if trim {
		var best float32
		for i := range res {
			if best != 0 && float64(res[i].Score) < float64(best)/scoreTrimFactor {
				res = res[:i]
				break
			}
			best = max(best, res[i].Score)
		}
	}
	return res, true
}

// sameBytes is the module's exact-match test, memcmp(query runes, string
// runes, slen): it compares slen bytes of the 16-bit runes, that is the
// first half of them (a string of n runes is "equal" to a query of n runes
// whose first n bytes are the same).
func sameBytes(exact []byte, s []Rune) bool {
	var b [2]byte
	for i := 0; i < len(s); i++ {
		binary.LittleEndian.PutUint16(b[:], s[i/2])
		if exact[i] != b[i%2] {
			return false
		}
	}
	return true
}

// heap is the module's binary heap (util/heap.c) ordered by cmpEntries:
// the root is the lowest score, and an entry moves up past a parent of an
// equal score.
type heap struct {
	size  int
	items []*Result
}

func newHeap(size int) *heap {
	return &heap{size: size, items: make([]*Result, 0, min(size, 1024))}
}

func (h *heap) count() int { return len(h.items) }

// cmp is cmpEntries: 1 when a scores lower than b, -1 when higher.
func cmp(a, b *Result) int {
	switch {
	case a.Score < b.Score:
		return 1
	case a.Score > b.Score:
		return -1
	}
	return 0
}

func (h *heap) offer(r *Result) {
	h.items = append(h.items, r)
	idx := len(h.items) - 1
	for idx != 0 {
		parent := (idx - 1) / 2
		if cmp(h.items[idx], h.items[parent]) < 0 {
			return
		}
		h.items[idx], h.items[parent] = h.items[parent], h.items[idx]
		idx = parent
	}
}

func (h *heap) peek() *Result { return h.items[0] }

func (h *heap) poll() *Result {
	if len(h.items) == 0 {
		return nil
	}
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	if len(h.items) > 1 {
		h.pushDown(0)
	}
	return top
}

func (h *heap) pushDown(idx int) {
	for {
		l, r := 2*idx+1, 2*idx+2
		var child int
		switch {
		case r >= len(h.items):
			if l >= len(h.items) {
				return
			}
			child = l
		case cmp(h.items[l], h.items[r]) < 0:
			child = r
		default:
			child = l
		}
		if cmp(h.items[idx], h.items[child]) >= 0 {
			return
		}
		h.items[idx], h.items[child] = h.items[child], h.items[idx]
		idx = child
	}
}
