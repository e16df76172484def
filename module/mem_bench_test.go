package module_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkVectorLoadMemory loads hashes shaped as searchbench -vectors
// writes them (cat TAG "c<n>", price NUMERIC "123.45", v a 128-d FLOAT32
// blob of 512 bytes) into an in-process server with a FLAT (or HNSW) COSINE
// index, and reports the memory each document costs:
//
//   - live-B/doc: HeapAlloc growth between two forced GCs (what stays);
//   - heap-B/doc: HeapAlloc growth without forcing a GC at the end, which is
//     what INFO used_memory shows (live plus the garbage not yet collected,
//     so it varies with the GC's timing);
//   - alloc-B/doc, allocs/doc: all bytes and objects allocated (the
//     garbage per document is alloc-B/doc - live-B/doc);
//   - load-ns/doc: the load's wall time per document (one pipelining
//     client: a rough speed check, noisy on a busy machine).
//
// The client writes pre-built pipelines and reads the replies into a reused
// buffer, so what it allocates itself during the load is negligible. Each
// b.N iteration loads the 20 000 documents anew into a fresh server.
//
//	go test ./module -run '^$' -bench VectorLoadMemory -benchtime 1x
//
// With VMEM_HEAPPROFILE=file (and -memprofilerate 64) it writes a heap
// profile of the loaded server before stopping it.
func BenchmarkVectorLoadMemory(b *testing.B) {
	for _, algo := range []string{"FLAT", "HNSW"} {
		b.Run(algo, func(b *testing.B) {
			n := 20_000
			if algo == "HNSW" {
				n = 5_000 // graph building is slow; the hash and document costs are the same
			}
			var live, heap, alloc, allocs, ns float64
			for i := 0; i < b.N; i++ {
				l, h, a, o, t := vectorLoadMemory(b, algo, n)
				live, heap, alloc, allocs, ns = live+l, heap+h, alloc+a, allocs+o, ns+t
			}
			k := float64(b.N)
			b.ReportMetric(live/k, "live-B/doc")
			b.ReportMetric(heap/k, "heap-B/doc")
			b.ReportMetric(alloc/k, "alloc-B/doc")
			b.ReportMetric(allocs/k, "allocs/doc")
			b.ReportMetric(ns/k, "load-ns/doc")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func vectorLoadMemory(b *testing.B, algo string, n int) (live, heap, alloc, allocs, nsPerDoc float64) {
	b.StopTimer()
	const dim, batch = 128, 500
	s := server.RunT(b, server.Options{Modules: []server.Module{module.New()}, LogOutput: io.Discard})
	defer s.Close()
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	create := []string{"FT.CREATE", "vidx", "ON", "HASH", "PREFIX", "1", "vec:",
		"SCHEMA", "cat", "TAG", "price", "NUMERIC", "v", "VECTOR", algo}
	if algo == "HNSW" {
		create = append(create, "10", "TYPE", "FLOAT32", "DIM", strconv.Itoa(dim), "DISTANCE_METRIC", "COSINE",
			"M", "16", "EF_CONSTRUCTION", "200")
	} else {
		create = append(create, "6", "TYPE", "FLOAT32", "DIM", strconv.Itoa(dim), "DISTANCE_METRIC", "COSINE")
	}
	reply := make([]byte, 4*batch)
	if _, err := conn.Write(respCommand(create...)); err != nil {
		b.Fatal(err)
	}
	if _, err := io.ReadFull(conn, reply[:5]); err != nil || string(reply[:5]) != "+OK\r\n" {
		b.Fatalf("FT.CREATE: %q %v", reply[:5], err)
	}

	r := rand.New(rand.NewPCG(1, 2))
	blob := make([]byte, 4*dim)
	var batches [][]byte
	for lo := 0; lo < n; lo += batch {
		var buf []byte
		for i := lo; i < min(lo+batch, n); i++ {
			for j := range dim {
				binary.LittleEndian.PutUint32(blob[4*j:], math.Float32bits(float32(r.NormFloat64())))
			}
			c := r.IntN(100_000)
			buf = append(buf, respCommand("HSET", "vec:"+strconv.Itoa(i), "cat", "c"+strconv.Itoa(r.IntN(10)),
				"price", fmt.Sprintf("%d.%02d", c/100, c%100), "v", string(blob))...)
		}
		batches = append(batches, buf)
	}

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
			if string(want[j:j+4]) != ":3\r\n" {
				b.Fatalf("HSET replied %q", want[j:])
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	// The server has no worker threads here: every vector was inserted
	// before its HSET replied.
	runtime.ReadMemStats(&m1)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m2)
	runtime.KeepAlive(batches)
	if path := os.Getenv("VMEM_HEAPPROFILE"); path != "" {
		// What the loaded server holds: go tool pprof -sample_index=inuse_space.
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

func respCommand(args ...string) []byte {
	buf := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		buf = append(buf, '$')
		buf = strconv.AppendInt(buf, int64(len(a)), 10)
		buf = append(buf, "\r\n"...)
		buf = append(buf, a...)
		buf = append(buf, "\r\n"...)
	}
	return buf
}
