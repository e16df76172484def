package server

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// The check value of Redis' crc64 (crc64.c's self test: crc64(0,
// "123456789") == 0xe9c6d914c4b8d9ca).
func TestCRC64CheckValue(t *testing.T) {
	if got := crc64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64 = %#x", got)
	}
}

// lzfCompress output decompresses back to the input; a budget too small
// gives nil. (Byte equality with redis-server's output is checked by the
// DUMP lines of integration/testdata/differential_dump.txt.)
func TestLZFRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab lzfTable
	for i := 0; i < 300; i++ {
		n := 1 + r.IntN(3000)
		in := make([]byte, n)
		alphabet := 1 + r.IntN(20)
		for j := range in {
			in[j] = byte('a' + r.IntN(alphabet))
		}
		out := lzfCompress(&tab, in, n+n/8+16)
		if out == nil {
			t.Fatalf("%d bytes did not compress into %d", n, n+n/8+16)
		}
		back, ok := lzfDecompress(out, n)
		if !ok || !bytes.Equal(back, in) {
			t.Fatalf("round trip of %q failed", in)
		}
	}
	if lzfCompress(&tab, []byte("abcdefghijklmnopqrstuvwxyz"), 22) != nil {
		t.Fatal("incompressible data fit in len-4 bytes")
	}
}

// A hand-encoded listpack: "a" (6-bit string 0x81 'a', back-length 2), 5
// (7-bit uint 0x05, back-length 1), -1 (13-bit int 0xDF 0xFF, back-length
// 2), 300 (13-bit 0xC1 0x2C), 70000 (24-bit 0xF2 70 11 01, back-length 4),
// then 0xFF; total 26 bytes, 5 elements.
func TestListpackEncoding(t *testing.T) {
	want := []byte{26, 0, 0, 0, 5, 0,
		0x81, 'a', 2,
		0x05, 1,
		0xDF, 0xFF, 2,
		0xC1, 0x2C, 2,
		0xF2, 0x70, 0x11, 0x01, 4,
		0xFF}
	want[0] = byte(len(want))
	got := listpackOf([]string{"a", "5", "-1", "300", "70000"})
	if !bytes.Equal(got, want) {
		t.Fatalf("listpack % x, want % x", got, want)
	}
	elems, ok := listpackElems(got)
	if !ok || len(elems) != 5 || elems[2] != "-1" || elems[4] != "70000" {
		t.Fatalf("read back %q %v", elems, ok)
	}
}
