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
// fields to cross the index threshold both ways (a small hash closes gaps
// at once, a big one leaves holes and compacts), checking it after every
// step against a model: an ordered list of fields where a set keeps a
// field's place and a deleted field that comes back goes to the end.
func TestHashModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	h := NewHash()
	var order []string
	values := map[string]string{}
	for step := range 20000 {
		// Drift between few and many fields so both shapes are visited.
		span := 8 + (step/2000%2)*40
		f := "f" + strconv.Itoa(rng.IntN(span))
		if rng.IntN(3) == 0 {
			_, had := values[f]
			if got := h.Delete(f); got != had {
				t.Fatalf("step %d: Delete(%s) = %v, want %v", step, f, got, had)
			}
			delete(values, f)
			order = slices.DeleteFunc(order, func(s string) bool { return s == f })
		} else {
			v := strconv.Itoa(step)
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

// TestHashSetSizesNewHash: HSET creating a hash gives it room for exactly
// its fields (no append growth: 3 fields, capacity 3, not 4), and the
// hash lives in the entry's allocation.
func TestHashSetSizesNewHash(t *testing.T) {
	s := RunT(t)
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("*8\r\n$4\r\nHSET\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n" +
		"$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, 4)
	if _, err := io.ReadFull(conn, reply); err != nil || string(reply) != ":3\r\n" {
		t.Fatalf("HSET: %q %v", reply, err)
	}
	s.GIL().Lock()
	defer s.GIL().Unlock()
	e := s.DB(0).Peek("k")
	if e == nil || e.Type() != TypeHash {
		t.Fatal("no hash at k")
	}
	if n, capacity := e.Hash().Len(), cap(e.Hash().fields); n != 3 || capacity != 3 {
		t.Fatalf("fields %d, capacity %d; want 3 and 3", n, capacity)
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
