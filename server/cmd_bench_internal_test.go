package server

import (
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// BenchmarkRequestInProcess is one unpipelined request of redis-benchmark's
// PING, SET, GET and HSET (its own keys and 3-byte value) as a client's
// goroutine handles it between its read and its write: parsing, the
// main-thread lock, dispatch, the command and its reply. The syscalls,
// the same for every command, are left out: what is left is the part
// that differs between PING and the others.
//
//	go test ./server -run '^$' -bench RequestInProcess -benchmem
func BenchmarkRequestInProcess(b *testing.B) {
	cases := []struct {
		name string
		cmd  []string
	}{
		{"ping", []string{"PING"}},
		{"set", []string{"SET", "key:__rand_int__", "xxx"}},
		{"get", []string{"GET", "key:__rand_int__"}},
		{"hset", []string{"HSET", "myhash", "element:__rand_int__", "xxx"}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s := RunT(b, Options{LogOutput: io.Discard})
			a, z := net.Pipe()
			defer a.Close()
			defer z.Close()
			c := newClient(s, a, 1<<40)
			req := []byte("*" + strconv.Itoa(len(tc.cmd)) + "\r\n")
			for _, x := range tc.cmd {
				req = append(req, "$"+strconv.Itoa(len(x))+"\r\n"+x+"\r\n"...)
			}
			one := func() {
				c.inEnd = copy(c.in, req)
				if err := c.processInput(); err != nil {
					b.Fatal(err)
				}
			}
			for _, setup := range []string{"SET key:__rand_int__ xxx", "HSET myhash element:__rand_int__ xxx"} {
				f := strings.Fields(setup)
				args := make([][]byte, len(f))
				for i, x := range f {
					args[i] = []byte(x)
				}
				c.lockMain()
				s.execute(c, args)
				c.unlockMain()
			}
			c.w.Reset()
			cpu0 := processCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				one()
				if r := c.w.Bytes(); len(r) == 0 || r[0] == '-' {
					b.Fatalf("reply %q", r)
				}
				c.w.Reset()
			}
			b.StopTimer()
			// CPU time rather than wall time: the machine is shared.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
