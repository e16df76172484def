package index

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestKeyTableModel checks the key table against a map under random
// inserts, deletes and renames, with many keys sharing probe runs (a
// 16-slot table at first, growing and shrinking), and that a key whose
// 32-bit hash collides with another's is told apart by the document's key.
func TestKeyTableModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var docs docTable
	var kt keyTable
	model := map[string]uint32{}
	next := uint32(0)
	check := func(step int) {
		if kt.n != len(model) {
			t.Fatalf("step %d: %d keys, want %d", step, kt.n, len(model))
		}
		for k, id := range model {
			if got, ok := kt.get(k, &docs); !ok || got != id {
				t.Fatalf("step %d: get(%s) = %d %v, want %d", step, k, got, ok, id)
			}
		}
		if _, ok := kt.get("absent", &docs); ok {
			t.Fatalf("step %d: absent key found", step)
		}
	}
	for step := range 30000 {
		// Drift between few and many keys so the table grows and shrinks.
		span := 20 + (step/3000%2)*2000
		k := "k" + strconv.Itoa(rng.IntN(span))
		id, had := model[k]
		switch {
		case had && rng.IntN(2) == 0:
			kt.delete(k, &docs)
			docs.remove(id)
			delete(model, k)
		case had:
			// A rename to a free key keeps the id.
			to := "r" + strconv.Itoa(step)
			kt.delete(k, &docs)
			docs.get(id).key = to
			kt.set(to, id, &docs)
			delete(model, k)
			model[to] = id
		default:
			next++
			docs.set(next, &Doc{key: k, id: next}, docStat{})
			kt.set(k, next, &docs)
			model[k] = next
		}
		if step%101 == 0 {
			check(step)
		}
	}
	check(-1)

	// Two keys with the same stored hash: "b" is forged into "a"'s home
	// slot with "a"'s hash, "a" moved to the next slot. The lookup of "a"
	// meets b's entry first and must tell them apart by the key.
	var d2 docTable
	var kt2 keyTable
	d2.set(1, &Doc{key: "a", id: 1}, docStat{})
	d2.set(2, &Doc{key: "b", id: 2}, docStat{})
	kt2.set("a", 1, &d2)
	i, _ := kt2.find("a", &d2)
	mask := len(kt2.slots) - 1
	kt2.slots[(i+1)&mask] = kt2.slots[i]
	kt2.slots[i] = kt2.slots[i]&^0xffffffff | 2
	kt2.n++
	if id, ok := kt2.get("a", &d2); !ok || id != 1 {
		t.Fatalf("get(a) = %d %v, want 1 past a colliding entry", id, ok)
	}
}
