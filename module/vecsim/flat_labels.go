package vecsim

// labelTable maps labels (document ids) to internal ids: an open-addressing
// hash table with linear probing and backward-shift deletion (no
// tombstones), so that its memory is exactly the two slices (MemoryBytes
// counts them) and no entry is a heap object of its own. Not safe for
// concurrent use; the index's lock guards it.
type labelTable struct {
	keys []uint64
	// vals holds id+1; 0 marks an empty slot.
	vals  []uint32
	n     int
	shift uint // 64 - log2(len(keys))
}

const labelTableMinSize = 16

func (t *labelTable) slot(label uint64) int {
	// Fibonacci hashing: document ids are dense and increasing, the
	// multiplication spreads them over the table.
	return int((label * 0x9e3779b97f4a7c15) >> t.shift)
}

// get returns the internal id of a label.
func (t *labelTable) get(label uint64) (uint32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.keys) - 1
	for i := t.slot(label); ; i = (i + 1) & mask {
		v := t.vals[i]
		if v == 0 {
			return 0, false
		}
		if t.keys[i] == label {
			return v - 1, true
		}
	}
}

// set maps a label to an id, replacing its id if it has one.
func (t *labelTable) set(label uint64, id uint32) {
	if (t.n+1)*5 > len(t.keys)*4 { // load at most 0.8
		t.resize(max(labelTableMinSize, 2*len(t.keys)))
	}
	mask := len(t.keys) - 1
	for i := t.slot(label); ; i = (i + 1) & mask {
		if t.vals[i] == 0 {
			t.keys[i], t.vals[i] = label, id+1
			t.n++
			return
		}
		if t.keys[i] == label {
			t.vals[i] = id + 1
			return
		}
	}
}

// remove deletes a label; false when it was absent.
func (t *labelTable) remove(label uint64) bool {
	if t.n == 0 {
		return false
	}
	mask := len(t.keys) - 1
	i := t.slot(label)
	for ; ; i = (i + 1) & mask {
		if t.vals[i] == 0 {
			return false
		}
		if t.keys[i] == label {
			break
		}
	}
	// Backward shift: move up every following entry of the run that may
	// sit at the hole (its home slot is not between the hole and itself).
	hole := i
	for j := (hole + 1) & mask; t.vals[j] != 0; j = (j + 1) & mask {
		home := t.slot(t.keys[j])
		if (j-home)&mask >= (j-hole)&mask {
			t.keys[hole], t.vals[hole] = t.keys[j], t.vals[j]
			hole = j
		}
	}
	t.keys[hole], t.vals[hole] = 0, 0
	t.n--
	if t.n == 0 {
		*t = labelTable{}
	} else if len(t.keys) > labelTableMinSize && t.n*8 < len(t.keys) {
		t.resize(len(t.keys) / 2)
	}
	return true
}

func (t *labelTable) resize(size int) {
	keys, vals := t.keys, t.vals
	t.keys, t.vals = make([]uint64, size), make([]uint32, size)
	t.n = 0
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	for i, v := range vals {
		if v != 0 {
			t.set(keys[i], v-1)
		}
	}
}

// memoryBytes is what the table's slices hold.
func (t *labelTable) memoryBytes() int64 {
	return int64(cap(t.keys))*8 + int64(cap(t.vals))*4
}
