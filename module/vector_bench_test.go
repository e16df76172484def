package module_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// BenchmarkVectorQuery is searchbench -vectors' knn10 and knn100 queries
// (FT.SEARCH "*=>[KNN 10 @v $B AS d]" PARAMS 2 B <blob> SORTBY d RETURN 1 d
// DIALECT 2; LIMIT 0 100 for 100)
// against an in-process server holding 5 000 random 128-d vectors in an
// HNSW index (M 16, EF_CONSTRUCTION 200, COSINE), one unpipelined client:
// the cost of a vector query on the main thread besides the graph search
// itself (parsing, planning, the reply, the allocations the GC pays for).
//
//	go test ./module -run '^$' -bench VectorQuery -benchmem
func BenchmarkVectorQuery(b *testing.B) {
	const n, dim, batch = 5000, 128, 500
	s := server.RunT(b, server.Options{Modules: []server.Module{module.New()}, LogOutput: io.Discard})
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	reply := make([]byte, 64<<10)
	do := func(cmd []byte, replyLen int) []byte {
		b.Helper()
		if _, err := conn.Write(cmd); err != nil {
			b.Fatal(err)
		}
		if replyLen > 0 {
			if _, err := io.ReadFull(conn, reply[:replyLen]); err != nil {
				b.Fatal(err)
			}
			return reply[:replyLen]
		}
		k := 0
		for {
			m, err := conn.Read(reply[k:])
			if err != nil {
				b.Fatal(err)
			}
			k += m
			if whole, _ := redcon.ReadNextRESP(reply[:k]); whole == k {
				return reply[:k]
			}
		}
	}
	if r := do(respCommand("FT.CREATE", "vidx", "ON", "HASH", "PREFIX", "1", "vec:", "SCHEMA", "v", "VECTOR", "HNSW", "10",
		"TYPE", "FLOAT32", "DIM", strconv.Itoa(dim), "DISTANCE_METRIC", "COSINE", "M", "16", "EF_CONSTRUCTION", "200"), 5); string(r) != "+OK\r\n" {
		b.Fatalf("FT.CREATE: %q", r)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	blob := func() string {
		v := make([]byte, 4*dim)
		for j := range dim {
			binary.LittleEndian.PutUint32(v[4*j:], math.Float32bits(float32(rnd.NormFloat64())))
		}
		return string(v)
	}
	for lo := 0; lo < n; lo += batch {
		var buf []byte
		for i := lo; i < lo+batch; i++ {
			buf = append(buf, respCommand("HSET", "vec:"+strconv.Itoa(i), "v", blob())...)
		}
		do(buf, 4*batch)
	}
	blobs := make([]string, 100)
	for i := range blobs {
		blobs[i] = blob()
	}
	for _, k := range []int{10, 100} {
		b.Run(fmt.Sprintf("knn%d", k), func(b *testing.B) {
			queries := make([][]byte, len(blobs))
			for i, v := range blobs {
				args := []string{"FT.SEARCH", "vidx", fmt.Sprintf("*=>[KNN %d @v $B AS d]", k), "PARAMS", "2", "B", v, "SORTBY", "d"}
				if k != 10 {
					args = append(args, "LIMIT", "0", strconv.Itoa(k))
				}
				queries[i] = respCommand(append(args, "RETURN", "1", "d", "DIALECT", "2")...)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if r := do(queries[i%len(queries)], 0); r[0] != '*' {
					b.Fatalf("FT.SEARCH: %q", r)
				}
			}
		})
	}
}
