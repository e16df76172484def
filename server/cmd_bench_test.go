package server_test

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/server"
)

// BenchmarkCommands measures pipelined batches of one command through a
// real connection, for the commands `make bench-redis` compares with
// redis-server beyond GET/SET/HSET: EVALSHA of a script that GETs a key,
// ZRANGE of the first 10 of 100 members, ZADD and XADD.
//
//	go test ./server -run '^$' -bench Commands -cpuprofile cpu.out
func BenchmarkCommands(b *testing.B) {
	const sha = "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f" // sha1 of the script below
	cases := []struct {
		name  string
		setup [][]string
		cmd   []string
	}{
		{"evalsha", [][]string{{"SET", "k", "v"}, {"SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"}}, []string{"EVALSHA", sha, "1", "k"}},
		{"zrange", [][]string{zaddHundred()}, []string{"ZRANGE", "z", "0", "9"}},
		{"zadd", nil, []string{"ZADD", "z2", "1", "m"}},
		{"xadd", nil, []string{"XADD", "x", "*", "field", "value"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := server.RunT(b, server.Options{LogOutput: io.Discard})
			conn, err := net.Dial("tcp", s.Addr())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			for _, cmd := range c.setup {
				if _, err := conn.Write(encodeCommand(cmd)); err != nil {
					b.Fatal(err)
				}
				if line, _ := r.ReadString('\n'); strings.HasPrefix(line, "-") {
					b.Fatal(line)
				}
			}
			one := encodeCommand(c.cmd)
			const batch = 16
			pipe := []byte(strings.Repeat(string(one), batch))
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				if _, err := conn.Write(pipe); err != nil {
					b.Fatal(err)
				}
				for range batch {
					if err := skipReply(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func zaddHundred() []string {
	args := []string{"ZADD", "z"}
	for i := 1; i <= 100; i++ {
		args = append(args, strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	return args
}

func encodeCommand(args []string) []byte {
	buf := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		buf = append(buf, "$"+strconv.Itoa(len(a))+"\r\n"+a+"\r\n"...)
	}
	return buf
}

// skipReply reads one RESP2 reply (simple, error, integer, bulk or array
// of those).
func skipReply(r *bufio.Reader) error {
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	switch line[0] {
	case '$':
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		if n >= 0 {
			_, err = r.Discard(n + 2)
		}
	case '*':
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		for range n {
			if err = skipReply(r); err != nil {
				return err
			}
		}
	case '-':
		return io.ErrUnexpectedEOF
	}
	return err
}
