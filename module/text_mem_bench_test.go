package module_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkTextLoadMemory loads searchbench's text corpus (its schema and
// document shape, from ../shared/tools/searchbench/corpus.go: a 50 000-word
// vocabulary of alternating consonants and vowels, 6 title and 60 body
// words drawn Zipf(1.07), a TAG "t<0..99>" and a price NUMERIC SORTABLE)
// into an in-process server and reports the memory each document costs,
// with the figures BenchmarkVectorLoadMemory describes (live-B/doc is what
// stays). Each b.N iteration loads TMEM_DOCS documents (default 20 000)
// anew into a fresh server.
//
//	go test ./module -run '^$' -bench TextLoadMemory -benchtime 1x
//
// With TMEM_HEAPPROFILE=file (and -memprofilerate 64) it writes a heap
// profile of the loaded server before stopping it.
func BenchmarkTextLoadMemory(b *testing.B) {
	n := 20_000
	if s := os.Getenv("TMEM_DOCS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var live, heap, alloc, allocs, ns float64
	for i := 0; i < b.N; i++ {
		l, h, a, o, t := textLoadMemory(b, n)
		live, heap, alloc, allocs, ns = live+l, heap+h, alloc+a, allocs+o, ns+t
	}
	k := float64(b.N)
	b.ReportMetric(live/k, "live-B/doc")
	b.ReportMetric(heap/k, "heap-B/doc")
	b.ReportMetric(alloc/k, "alloc-B/doc")
	b.ReportMetric(allocs/k, "allocs/doc")
	b.ReportMetric(ns/k, "load-ns/doc")
	b.ReportMetric(0, "ns/op")
}

// textCorpus reproduces searchbench's vocabulary (newCorpus) and documents
// (corpus.doc) from the same PCG seeds.
type textCorpus struct{ vocab []string }

const textCorpusSeed = 0x5eac4be7c4

func newTextCorpus() *textCorpus {
	const consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
	r := rand.New(rand.NewPCG(textCorpusSeed, 1))
	seen := make(map[string]bool, 50_000)
	vocab := make([]string, 0, 50_000)
	buf := make([]byte, 0, 10)
	for len(vocab) < 50_000 {
		buf = buf[:0]
		vowel := r.IntN(2) == 0
		for range 4 + r.IntN(7) {
			if vowel {
				buf = append(buf, vowels[r.IntN(len(vowels))])
			} else {
				buf = append(buf, consonants[r.IntN(len(consonants))])
			}
			vowel = !vowel
		}
		if w := string(buf); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &textCorpus{vocab: vocab}
}

// hset is the HSET of document i, as searchbench writes it.
func (c *textCorpus) hset(i int) []byte {
	r := rand.New(rand.NewPCG(textCorpusSeed, 1<<40+uint64(i)))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(c.vocab)-1))
	words := make([]string, 66)
	for j := range words {
		words[j] = c.vocab[z.Uint64()]
	}
	cents := r.IntN(1_000_000)
	return respCommand("HSET", "doc:"+strconv.Itoa(i),
		"title", strings.Join(words[:6], " "),
		"body", strings.Join(words[6:], " "),
		"tag", "t"+strconv.Itoa(r.IntN(100)),
		"price", fmt.Sprintf("%d.%02d", cents/100, cents%100))
}

func textLoadMemory(b *testing.B, n int) (live, heap, alloc, allocs, nsPerDoc float64) {
	b.StopTimer()
	const batch = 500
	s := server.RunT(b, server.Options{Modules: []server.Module{module.New()}, LogOutput: io.Discard})
	defer s.Close()
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	reply := make([]byte, 4*batch)
	create := respCommand("FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:",
		"SCHEMA", "title", "TEXT", "WEIGHT", "2", "body", "TEXT", "tag", "TAG",
		"price", "NUMERIC", "SORTABLE")
	if _, err := conn.Write(create); err != nil {
		b.Fatal(err)
	}
	if _, err := io.ReadFull(conn, reply[:5]); err != nil || string(reply[:5]) != "+OK\r\n" {
		b.Fatalf("FT.CREATE: %q %v", reply[:5], err)
	}
	c := newTextCorpus()
	var batches [][]byte
	for lo := 0; lo < n; lo += batch {
		var buf []byte
		for i := lo; i < min(lo+batch, n); i++ {
			buf = append(buf, c.hset(i)...)
		}
		batches = append(batches, buf)
	}
	c = nil

	var m0, m1, m2 runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m0)
	b.StartTimer()
	start := time.Now()
	for k, buf := range batches {
		if _, err := conn.Write(buf); err != nil {
			b.Fatal(err)
		}
		want := reply[:4*min(batch, n-k*batch)]
		if _, err := io.ReadFull(conn, want); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < len(want); j += 4 {
			if string(want[j:j+4]) != ":4\r\n" {
				b.Fatalf("HSET replied %q", want[j:])
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m2)
	runtime.KeepAlive(batches)
	if path := os.Getenv("TMEM_HEAPPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	fn := float64(n)
	return float64(int64(m2.HeapAlloc)-int64(m0.HeapAlloc)) / fn,
		float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / fn,
		float64(m1.TotalAlloc-m0.TotalAlloc) / fn,
		float64(m1.Mallocs-m0.Mallocs) / fn,
		float64(elapsed.Nanoseconds()) / fn
}
