package server

import (
	"io"
	"net"
	"strconv"
	"testing"
)

// BenchmarkCommandsInProcess runs the commands of BenchmarkCommands
// (cmd_bench_test.go) through execute, as a client's batch does, without
// the connection: the server's own cost per command, which a shared
// machine's scheduling disturbs less than the round trips.
//
//	go test ./server -run '^$' -bench CommandsInProcess -benchmem
func BenchmarkCommandsInProcess(b *testing.B) {
	const sha = "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f" // sha1 of the script below
	zadd := []string{"ZADD", "z"}
	for i := 1; i <= 100; i++ {
		zadd = append(zadd, strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	cases := []struct {
		name  string
		setup [][]string
		cmd   []string
	}{
		{"get", [][]string{{"SET", "k", "v"}}, []string{"GET", "k"}},
		{"evalsha", [][]string{{"SET", "k", "v"}, {"SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"}}, []string{"EVALSHA", sha, "1", "k"}},
		{"zrange", [][]string{zadd}, []string{"ZRANGE", "z", "0", "9"}},
		{"zadd", nil, []string{"ZADD", "z2", "1", "m"}},
		{"xadd", nil, []string{"XADD", "x", "*", "field", "value"}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s := RunT(b, Options{LogOutput: io.Discard})
			a, z := net.Pipe()
			defer a.Close()
			defer z.Close()
			c := newClient(s, a, 1<<40)
			run := func(cmd []string) {
				args := make([][]byte, len(cmd))
				for i, x := range cmd {
					args[i] = []byte(x)
				}
				s.execute(c, args)
			}
			c.lockMain()
			defer c.unlockMain()
			for _, cmd := range tc.setup {
				run(cmd)
				if r := c.w.Bytes(); len(r) > 0 && r[0] == '-' {
					b.Fatal(string(r))
				}
				c.w.Reset()
			}
			args := make([][]byte, len(tc.cmd))
			for i, x := range tc.cmd {
				args[i] = []byte(x)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.execute(c, args)
				if i%16 == 15 {
					c.w.Reset()
				}
			}
			b.StopTimer()
			if r := c.w.Bytes(); len(r) > 0 && r[0] == '-' {
				b.Fatal(string(r))
			}
		})
	}
}
