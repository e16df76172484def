package server

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// FuzzEvalArgs feeds EVAL's "script numkeys key... arg..." parser and the
// shebang parser any input. The parser must split exactly as Redis does:
// numkeys an integer in [0, number of arguments after it] gives that many
// keys and the rest as ARGV, anything else one of Redis' three errors; the
// shebang parser must keep the script's line count (error line numbers).
func FuzzEvalArgs(f *testing.F) {
	for _, s := range []string{
		"return 1\n0", "return 1\n-1", "return 1\n2\na", "return 1\nx", "s\n1\nk\nv\nw",
		"s\n99999999999999999999", "s\n 1\nk", "s\n+1\nk", "s\n01\nk",
		"#!lua flags=no-writes\nreturn 1\n0", "#!lua flags=bad\n\n0", "#!python\n", "#!\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		args := bytes.Split(data, []byte("\n"))
		if len(args) >= 2 {
			keys, argv, msg := parseEvalArgs(args)
			n, err := strconv.ParseInt(string(args[1]), 10, 64)
			valid := err == nil && string(args[1]) == strconv.FormatInt(n, 10) && !strings.HasPrefix(string(args[1]), "-0")
			switch {
			case !valid:
				if msg != ErrNotInteger {
					t.Fatalf("numkeys %q: got %q, want %q", args[1], msg, ErrNotInteger)
				}
			case n < 0:
				if msg != "ERR Number of keys can't be negative" {
					t.Fatalf("numkeys %d: %q", n, msg)
				}
			case n > int64(len(args)-2):
				if msg != "ERR Number of keys can't be greater than number of args" {
					t.Fatalf("numkeys %d of %d: %q", n, len(args)-2, msg)
				}
			default:
				if msg != "" || int64(len(keys)) != n || len(keys)+len(argv) != len(args)-2 {
					t.Fatalf("numkeys %d of %d: %d keys, %d args, %q", n, len(args)-2, len(keys), len(argv), msg)
				}
			}
		}
		body := string(data)
		src, _, msg := parseShebang(body)
		if msg == "" && strings.Count(src, "\n") != strings.Count(body, "\n") {
			t.Fatalf("shebang parse changed the line count: %q -> %q", body, src)
		}
		if msg != "" && !strings.HasPrefix(msg, "ERR ") {
			t.Fatalf("shebang error without ERR: %q", msg)
		}
	})
}
