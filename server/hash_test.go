package server

import (
	"io"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestHashModel drives a Hash through random sets and deletes over enough
// fields, and big enough values, to leave the packed form and cross the
// index threshold both ways (a small hash closes gaps at once, a big one
// leaves holes and compacts), checking it after every step against a
// model: an ordered list of fields where a set keeps a field's place and a
// deleted field that comes back goes to the end. Each run starts again
// from a fresh hash now and then, created by setPairs as HSET does.
func TestHashModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	h := NewHash()
	var names internTable
	var order []string
	values := map[string]string{}
	for step := range 20000 {
		// Drift between few and many fields so both shapes are visited.
		span := 8 + (step/2000%2)*40
		if step%500 == 0 {
			// A new hash from pairs, some fields repeated (the last value
			// wins, in the first place).
			h = NewHash()
			order, values = nil, map[string]string{}
			var pairs [][]byte
			for range rng.IntN(20) + 1 {
				f, v := "f"+strconv.Itoa(rng.IntN(span)), strings.Repeat("p", rng.IntN(100))
				pairs = append(pairs, []byte(f), []byte(v))
				if _, had := values[f]; !had {
					order = append(order, f)
				}
				values[f] = v
			}
			if got := h.setPairs(pairs, &names); got != len(order) {
				t.Fatalf("step %d: setPairs added %d fields, want %d", step, got, len(order))
			}
			checkHash(t, step, h, order, values)
		}
		if step%37 == 0 {
			// Pairs on the hash as it is (HSET of an existing key).
			var pairs [][]byte
			want := 0
			for range rng.IntN(4) + 1 {
				f, v := "f"+strconv.Itoa(rng.IntN(span)), strings.Repeat("q", rng.IntN(60))
				pairs = append(pairs, []byte(f), []byte(v))
				if _, had := values[f]; !had {
					order = append(order, f)
					want++
				}
				values[f] = v
			}
			if got := h.setPairs(pairs, &names); got != want {
				t.Fatalf("step %d: setPairs added %d fields, want %d", step, got, want)
			}
			checkHash(t, step, h, order, values)
		}
		f := "f" + strconv.Itoa(rng.IntN(span))
		if rng.IntN(3) == 0 {
			_, had := values[f]
			if got := h.Delete(f); got != had {
				t.Fatalf("step %d: Delete(%s) = %v, want %v", step, f, got, had)
			}
			delete(values, f)
			order = slices.DeleteFunc(order, func(s string) bool { return s == f })
		} else {
			// Values of up to 200 bytes now and then: the packed form
			// overflows its byte limit as well as its field limit.
			v := strconv.Itoa(step)
			if rng.IntN(8) == 0 {
				v = strings.Repeat("v", rng.IntN(200))
			}
			_, had := values[f]
			if got := h.Set(f, v); got == had {
				t.Fatalf("step %d: Set(%s) = %v, want %v", step, f, got, !had)
			}
			if !had {
				order = append(order, f)
			}
			values[f] = v
		}
		checkHash(t, step, h, order, values)
		if step%97 == 0 {
			checkHash(t, step, h.Copy(), order, values)
		}
		if step%89 == 0 && len(order) > 0 {
			i := rng.IntN(len(order))
			if name, v := h.At(i); name != order[i] || v != values[name] {
				t.Fatalf("step %d: At(%d) = %s %s, want %s %s", step, i, name, v, order[i], values[order[i]])
			}
		}
	}
}

func checkHash(t *testing.T, step int, h *Hash, order []string, values map[string]string) {
	t.Helper()
	if h.Len() != len(order) {
		t.Fatalf("step %d: Len %d, want %d", step, h.Len(), len(order))
	}
	i := 0
	h.Each(func(f, v string) bool {
		if i >= len(order) || f != order[i] || v != values[f] {
			t.Fatalf("step %d: field %d is %s=%s, want order %v", step, i, f, v, order)
		}
		i++
		return true
	})
	if i != len(order) {
		t.Fatalf("step %d: Each visited %d fields, want %d", step, i, len(order))
	}
	for f, v := range values {
		if got, ok := h.Get(f); !ok || got != v {
			t.Fatalf("step %d: Get(%s) = %q %v, want %q", step, f, got, ok, v)
		}
	}
	if _, ok := h.Get("missing"); ok {
		t.Fatalf("step %d: Get(missing) found", step)
	}
}

// TestHashSetPacksNewHash: HSET creating a small hash stores it packed,
// its fields and values in one string of exactly their bytes and lengths
// (3 fields of 1-byte names and values: 3 * 4 bytes); a hash past the
// packed limits has the slice form.
func TestHashSetPacksNewHash(t *testing.T) {
	s := RunT(t)
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	big := strings.Repeat("x", hashPackMaxBytes)
	if _, err := conn.Write([]byte("*8\r\n$4\r\nHSET\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n" +
		"$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n" +
		"*4\r\n$4\r\nHSET\r\n$1\r\nm\r\n$1\r\na\r\n$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, 8)
	if _, err := io.ReadFull(conn, reply); err != nil || string(reply) != ":3\r\n:1\r\n" {
		t.Fatalf("HSET: %q %v", reply, err)
	}
	s.GIL().Lock()
	defer s.GIL().Unlock()
	h := s.DB(0).Peek("k").Hash()
	if h.slots != nil || h.Len() != 3 || h.str != "\x01a\x011\x01b\x012\x01c\x013" {
		t.Fatalf("k: slots %v, %d fields, packed %q", h.slots, h.Len(), h.str)
	}
	if m := s.DB(0).Peek("m").Hash(); m.slots == nil || m.str != "" {
		t.Fatal("m is packed past the limit")
	}
}

// TestInternTable: a name is interned once and shared (same bytes), and
// the table stops growing at its bound (names past it are still returned).
func TestInternTable(t *testing.T) {
	var it internTable
	a, b := it.get([]byte("price")), it.get([]byte("price"))
	if a != "price" || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("the second price is not the interned one")
	}
	for i := range internMaxEntries + 10 {
		if got, want := it.get([]byte("f"+strconv.Itoa(i))), "f"+strconv.Itoa(i); got != want {
			t.Fatalf("get(%s) = %s", want, got)
		}
	}
	if len(it.m) != internMaxEntries {
		t.Fatalf("%d names interned, want the bound %d", len(it.m), internMaxEntries)
	}
	long := strings.Repeat("x", internMaxLen+1)
	if it.get([]byte(long)) != long {
		t.Fatal("long name changed")
	}
}

// TestHashSetPairsOneAllocation: a new hash of small fields costs one
// allocation, the packed string (not a slice and a string per name and
// value), and so does an HSET of several fields on it (one rewrite, not
// one per field).
func TestHashSetPairsOneAllocation(t *testing.T) {
	pairs := [][]byte{[]byte("cat"), []byte("c3"), []byte("price"), []byte("123.45"), []byte("v"), make([]byte, 512)}
	var names internTable
	var h Hash
	if n := testing.AllocsPerRun(100, func() {
		h = Hash{}
		h.setPairs(pairs, &names)
	}); n != 1 {
		t.Fatalf("new hash: %v allocations, want 1", n)
	}
	update := [][]byte{[]byte("cat"), []byte("c4"), []byte("price"), []byte("1"), []byte("new"), []byte("x")}
	if n := testing.AllocsPerRun(100, func() { h.setPairs(update, &names) }); n != 1 {
		t.Fatalf("update: %v allocations, want 1", n)
	}
	if h.Len() != 4 {
		t.Fatalf("%d fields", h.Len())
	}
}

// TestHashEntrySize: a hash key's entry, which holds the hash, fits Go's
// 64-byte size class on 64-bit platforms.
func TestHashEntrySize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("64-bit layout")
	}
	if got := unsafe.Sizeof(Entry{}); got > 64 {
		t.Fatalf("an entry is %d bytes, want at most 64", got)
	}
}
