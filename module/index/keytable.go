package index

import "hash/maphash"

// keyTable finds a document's id by its key. The key itself lives in the
// Doc (the document table has it); a slot holds only the id and 32 bits
// of the key's hash, so a key costs 8 bytes per slot (at most 3/4 of the
// slots are used) where a map[string]uint32 costs a 24-byte entry, its
// spare capacity and the garbage of its growth. Open addressing with
// linear probing; a deletion shifts the following entries back, so no
// tombstones accumulate under churn.
type keyTable struct {
	seed  maphash.Seed
	slots []uint64 // hash32<<32 | id; 0 is an empty slot (ids start at 1)
	n     int
}

const keyTableMinSlots = 16

func (t *keyTable) hash(key string) uint32 { return uint32(maphash.String(t.seed, key)) }

// find returns the slot holding key, or the empty slot where it would go
// (found false). The table must have slots.
func (t *keyTable) find(key string, docs *docTable) (slot int, found bool) {
	h := t.hash(key)
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return i, false
		}
		if uint32(s>>32) == h {
			if d := docs.get(uint32(s)); d != nil && d.key == key {
				return i, true
			}
		}
	}
}

// get is the id of key's document.
func (t *keyTable) get(key string, docs *docTable) (uint32, bool) {
	if t.n == 0 {
		return 0, false
	}
	i, ok := t.find(key, docs)
	if !ok {
		return 0, false
	}
	return uint32(t.slots[i]), true
}

// set records id as key's document; docs must already hold it under key.
func (t *keyTable) set(key string, id uint32, docs *docTable) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.resize(max(keyTableMinSlots, 2*len(t.slots)))
	}
	i, found := t.find(key, docs)
	if !found {
		t.n++
	}
	t.slots[i] = uint64(t.hash(key))<<32 | uint64(id)
}

// delete forgets key; docs must still hold its document under key.
func (t *keyTable) delete(key string, docs *docTable) {
	if t.n == 0 {
		return
	}
	i, ok := t.find(key, docs)
	if !ok {
		return
	}
	mask := len(t.slots) - 1
	// Shift back every entry of the run after i that may move to i (its
	// home slot is not cyclically within (i, j]).
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		home := int(uint32(t.slots[j]>>32)) & mask
		if i <= j {
			if i < home && home <= j {
				continue
			}
		} else if i < home || home <= j {
			continue
		}
		t.slots[i] = t.slots[j]
		i = j
	}
	t.slots[i] = 0
	t.n--
	if len(t.slots) > keyTableMinSlots && t.n*8 < len(t.slots) {
		t.resize(len(t.slots) / 2)
	}
}

// resize rehashes into size slots (a power of two).
func (t *keyTable) resize(size int) {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
	}
	old := t.slots
	t.slots = make([]uint64, size)
	mask := size - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(uint32(s>>32)) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
