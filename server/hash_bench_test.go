package server_test

import (
	"io"
	"net"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkHset measures pipelined HSETs of three small fields through a
// real connection: "new" creates a key each time, "update" rewrites the
// fields of one of 1000 existing keys.
//
//	go test ./server -run '^$' -bench Hset
func BenchmarkHset(b *testing.B) {
	for _, mode := range []string{"new", "update"} {
		b.Run(mode, func(b *testing.B) {
			s := server.RunT(b, server.Options{LogOutput: io.Discard})
			conn, err := net.Dial("tcp", s.Addr())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			const batch = 500
			cmd := func(i int) []byte {
				k := "h:" + strconv.Itoa(i)
				if mode == "update" {
					k = "h:" + strconv.Itoa(i%1000)
				}
				v := strconv.Itoa(i)
				buf := []byte("*8\r\n$4\r\nHSET\r\n$" + strconv.Itoa(len(k)) + "\r\n" + k + "\r\n")
				for _, f := range []string{"name", "price", "cat"} {
					buf = append(buf, "$"+strconv.Itoa(len(f))+"\r\n"+f+"\r\n$"+strconv.Itoa(len(v))+"\r\n"+v+"\r\n"...)
				}
				return buf
			}
			reply := make([]byte, 64*batch)
			var pipe []byte
			b.ResetTimer()
			for lo := 0; lo < b.N; lo += batch {
				b.StopTimer()
				pipe = pipe[:0]
				n := min(batch, b.N-lo)
				for i := lo; i < lo+n; i++ {
					pipe = append(pipe, cmd(i)...)
				}
				b.StartTimer()
				if _, err := conn.Write(pipe); err != nil {
					b.Fatal(err)
				}
				// ":3\r\n" for a new key, ":0\r\n" for an update.
				if _, err := io.ReadFull(conn, reply[:4*n]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
