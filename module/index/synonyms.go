package index

import (
	"math/bits"
	"strings"
	"sync"

	"github.com/miniredis-search/miniredis-search/module/text"
)

// SynonymPrefix starts the dictionary term a synonym group is indexed under
// ("~" and the group id): a document holding a word of the group gets the
// group's term too, and a query word of the group is expanded to it.
const SynonymPrefix = "~"

// SynonymMap is an index's synonym groups (FT.SYNUPDATE): for each word,
// the groups it belongs to. It is the module's synonym map (synonym_map.c)
// down to the order FT.SYNDUMP lists it in: a Redis dict (util/dict.c)
// keyed by the word, whose iteration order follows the buckets of its hash
// tables (SipHash-1-2 with the module's all-zero seed), chains newest
// first, and the incremental rehashing its lookups and insertions advance.
//
// It has its own lock: a query's lookups advance the rehashing, as the
// module's do, while the query holds the index's read lock only. Writers
// (Update) also hold the index's write lock.
type SynonymMap struct {
	mu   sync.Mutex
	dict synDict
}

// synTerm is a word and its groups, each as its dictionary term ("~id"),
// in the order they were given.
type synTerm struct {
	term   string
	groups []string
}

// SynonymEntry is one word of FT.SYNDUMP and its group ids.
type SynonymEntry struct {
	Term   string
	Groups []string
}

// NewSynonymMap is an empty synonym map.
func NewSynonymMap() *SynonymMap {
	return &SynonymMap{dict: synDict{rehashIdx: -1}}
}

// cString is what a C string holding s reads as: s up to its first NUL.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// Update adds the words to a group (SynonymMap_Update): each word, lower-
// cased, is looked up and added when new, then gets the group unless it has
// it already.
func (m *SynonymMap) Update(group string, words []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := SynonymPrefix + cString(group)
	for _, w := range words {
		w = text.Fold(cString(w))
		st := m.dict.find(w, true)
		if st == nil {
			st = &synTerm{term: w}
			m.dict.add(w, st)
		}
		known := false
		for _, g := range st.groups {
			if g == id {
				known = true
				break
			}
		}
		if !known {
			st.groups = append(st.groups, id)
		}
	}
}

// Groups are the terms ("~id") of the groups a word belongs to, nil when
// none. A query's expansion advances the rehashing (rehash true), as the
// module's lookup in the index's map does; indexing reads a copy in the
// module, and so does not.
func (m *SynonymMap) Groups(word string, rehash bool) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.dict.find(cString(word), rehash); st != nil {
		return st.groups
	}
	return nil
}

// Dump lists the words and their group ids (without the "~"), in the order
// the module's FT.SYNDUMP lists them.
func (m *SynonymMap) Dump() []SynonymEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]SynonymEntry, 0, m.dict.size())
	m.dict.each(func(st *synTerm) {
		ids := make([]string, len(st.groups))
		for i, g := range st.groups {
			ids[i] = strings.TrimPrefix(g, SynonymPrefix)
		}
		out = append(out, SynonymEntry{Term: st.term, Groups: ids})
	})
	return out
}

// Len is the number of words in the map.
func (m *SynonymMap) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dict.size()
}

// synDict is Redis' dict (util/dict.c of the module, as Redis 6 has it)
// reduced to what the synonym map uses: find, add, iterate. Two tables,
// chained buckets with new entries at the head, a table that grows to twice
// its elements when they reach its size (4 buckets at first), and a rehash
// that moves one bucket from the old table to the new per lookup or
// insertion, visiting at most ten empty buckets.
type synDict struct {
	ht        [2]synTable
	rehashIdx int // -1: not rehashing
}

type synTable struct {
	buckets []*synEntry
	used    int
}

type synEntry struct {
	key  string
	val  *synTerm
	next *synEntry
}

const synDictInitialSize = 4

func (d *synDict) rehashing() bool { return d.rehashIdx != -1 }

func (d *synDict) size() int { return d.ht[0].used + d.ht[1].used }

// rehash performs n steps of incremental rehashing (dictRehash).
func (d *synDict) rehash(n int) {
	if !d.rehashing() {
		return
	}
	emptyVisits := n * 10
	for ; n > 0 && d.ht[0].used != 0; n-- {
		for d.ht[0].buckets[d.rehashIdx] == nil {
			d.rehashIdx++
			emptyVisits--
			if emptyVisits == 0 {
				return
			}
		}
		mask := uint64(len(d.ht[1].buckets) - 1)
		for e := d.ht[0].buckets[d.rehashIdx]; e != nil; {
			next := e.next
			h := synHash(e.key) & mask
			e.next = d.ht[1].buckets[h]
			d.ht[1].buckets[h] = e
			d.ht[0].used--
			d.ht[1].used++
			e = next
		}
		d.ht[0].buckets[d.rehashIdx] = nil
		d.rehashIdx++
	}
	if d.ht[0].used == 0 {
		d.ht[0] = d.ht[1]
		d.ht[1] = synTable{}
		d.rehashIdx = -1
	}
}

// find looks a key up (dictFind); step: advance the rehashing first, as
// every lookup of the module's dict does.
func (d *synDict) find(key string, step bool) *synTerm {
	if d.size() == 0 {
		return nil
	}
	if step && d.rehashing() {
		d.rehash(1)
	}
	h := synHash(key)
	for t := 0; t <= 1; t++ {
		tb := &d.ht[t]
		if len(tb.buckets) == 0 {
			break
		}
		for e := tb.buckets[h&uint64(len(tb.buckets)-1)]; e != nil; e = e.next {
			if e.key == key {
				return e.val
			}
		}
		if !d.rehashing() {
			break
		}
	}
	return nil
}

// add inserts a key that is not in the dict (dictAdd).
func (d *synDict) add(key string, val *synTerm) {
	if d.rehashing() {
		d.rehash(1)
	}
	d.expandIfNeeded()
	t := 0
	if d.rehashing() {
		t = 1
	}
	tb := &d.ht[t]
	i := synHash(key) & uint64(len(tb.buckets)-1)
	tb.buckets[i] = &synEntry{key: key, val: val, next: tb.buckets[i]}
	tb.used++
}

// expandIfNeeded grows the table as _dictExpandIfNeeded does.
func (d *synDict) expandIfNeeded() {
	if d.rehashing() {
		return
	}
	if len(d.ht[0].buckets) == 0 {
		d.ht[0] = synTable{buckets: make([]*synEntry, synDictInitialSize)}
		return
	}
	if d.ht[0].used >= len(d.ht[0].buckets) {
		size := synDictInitialSize
		for size < 2*d.ht[0].used {
			size *= 2
		}
		if size == len(d.ht[0].buckets) {
			return
		}
		d.ht[1] = synTable{buckets: make([]*synEntry, size)}
		d.rehashIdx = 0
	}
}

// each visits the entries as an iterator of the dict does: the old table's
// buckets, then the new one's while rehashing, each chain from its head.
func (d *synDict) each(fn func(*synTerm)) {
	for t := 0; t <= 1; t++ {
		for _, e := range d.ht[t].buckets {
			for ; e != nil; e = e.next {
				fn(e.val)
			}
		}
		if !d.rehashing() {
			break
		}
	}
}

// synHash is the dict's hash of a key: Redis' SipHash-1-2 (siphash.c,
// "We use SipHash 1-2") under the module's seed, which it never sets (all
// zero).
func synHash(key string) uint64 { return sipHash(key, 0, 0, 1, 2) }

// sipHash is SipHash-c-d of s under the key (k0, k1): c compression rounds
// per 8-byte block, d finalization rounds. Redis runs c=1, d=2; the
// published test vectors are for c=2, d=4.
func sipHash(s string, k0, k1 uint64, c, d int) uint64 {
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13)
		v1 ^= v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17)
		v1 ^= v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	n := len(s)
	for len(s) >= 8 {
		m := le64(s)
		v3 ^= m
		for i := 0; i < c; i++ {
			round()
		}
		v0 ^= m
		s = s[8:]
	}
	b := uint64(n) << 56
	for i := len(s) - 1; i >= 0; i-- {
		b |= uint64(s[i]) << (8 * uint(i))
	}
	v3 ^= b
	for i := 0; i < c; i++ {
		round()
	}
	v0 ^= b
	v2 ^= 0xff
	for i := 0; i < d; i++ {
		round()
	}
	return v0 ^ v1 ^ v2 ^ v3
}

// le64 reads the first 8 bytes of s as a little-endian number.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// DefaultMinPhoneticLen is MIN_PHONETIC_TERM_LEN's default: shorter words
// get no phonetic term.
const DefaultMinPhoneticLen = 3

// AddOptions are the configuration indexing reads.
type AddOptions struct {
	MinStemLen     int // MINSTEMLEN
	MinPhoneticLen int // MIN_PHONETIC_TERM_LEN
}

// noteExtraTerms gives the terms a word of a TEXT field is indexed under
// besides itself and its stem (forwardIndexTokenFunc): the terms of its
// synonym groups, then, in a PHONETIC field, a phonetic code. Each counts as
// the word does (the field's weight, its position) but not in the
// document's length.
//
// The phonetic code is the word's primary code when the word has at least
// minPhonetic bytes. A shorter word gets the code of the last longer word
// before it in the same value, if any: the module's tokenizer keeps the
// previous token's code in the token it reuses and computes a new one only
// for long enough words (simpleTokenizer_Next), and the indexer adds
// whatever code the token holds. *last carries it from word to word; the
// caller starts each value with "".
func (idx *Index) noteExtraTerms(f *Field, t text.Token, minPhonetic int, last *string, note func(string)) {
	if syn := idx.spec.Synonyms; syn != nil {
		for _, g := range syn.Groups(t.Term, false) {
			note(g)
		}
	}
	if f.Phonetic == "" {
		return
	}
	if len(t.Term) >= minPhonetic {
		*last = text.PhoneticTerm(t.Term)
	}
	if *last != "" {
		note(*last)
	}
}
