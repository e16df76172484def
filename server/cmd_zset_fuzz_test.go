package server

import (
	"bytes"
	"math"
	"slices"
	"testing"
)

// FuzzZsetArgs feeds the sorted set argument parsers (ZADD's flags, the
// ZRANGE family's options, score and lex ranges) any arguments: none may
// panic, a parsed score range holds no NaN, and the members a parsed range
// selects from a set built from the input are the ones a plain filter of
// the sorted members gives (LIMIT: a negative offset selects nothing, a
// negative count everything after the offset).
func FuzzZsetArgs(f *testing.F) {
	for _, s := range []string{
		"z 0 -1 WITHSCORES",
		"z (1 +inf BYSCORE LIMIT 1 2",
		"z +inf -inf BYSCORE REV LIMIT 0 -1",
		"z [a (c BYLEX",
		"z + - BYLEX REV LIMIT 1 1",
		"z -3 2 REV",
		"z nan 1 BYSCORE",
		"z NX GT CH INCR 1 a",
	} {
		f.Add([]byte(s), []byte("1 a 2 b 2 c -inf d 3.5 e 0 f"))
	}
	f.Fuzz(func(t *testing.T, argLine, members []byte) {
		args := [][]byte{[]byte("ZRANGE")}
		for _, a := range bytes.Split(argLine, []byte(" ")) {
			args = append(args, a)
		}
		parseZaddFlags(args)
		if len(args) >= 3 {
			parseScoreRange(args[1], args[2])
			parseLexRange(args[1], args[2])
		}
		if len(args) < 4 {
			return
		}
		z := NewZSet()
		fields := bytes.Fields(members)
		for i := 0; i+1 < len(fields); i += 2 {
			if v, ok := parseScore(fields[i]); ok {
				z.Add(string(fields[i+1]), v, 4, 64)
			}
		}
		sp, msg := parseZrange(args, 2, zrangeAuto, false, false, false)
		if msg != "" {
			return
		}
		if sp.kind == zrangeScore && (math.IsNaN(sp.score.Min) || math.IsNaN(sp.score.Max)) {
			t.Fatalf("NaN in %+v", sp.score)
		}
		got := zrangeItems(z, &sp)
		var all []zitem
		z.each(func(m string, s float64) bool { all = append(all, zitem{s, m}); return true })
		if !slices.IsSortedFunc(all, func(a, b zitem) int {
			if zitemLess(a, b) {
				return -1
			}
			return 1
		}) {
			t.Fatalf("out of order: %v", all)
		}
		if sp.kind == zrangeRank {
			return
		}
		var want []zitem
		for _, it := range all {
			if sp.kind == zrangeScore && !sp.score.empty() && sp.score.gteMin(it.score) && sp.score.lteMax(it.score) ||
				sp.kind == zrangeLex && !sp.lex.empty() && sp.lex.gteMin(it.member) && sp.lex.lteMax(it.member) {
				want = append(want, it)
			}
		}
		if sp.kind == zrangeLex && !slices.IsSortedFunc(all, func(a, b zitem) int {
			if a.member < b.member {
				return -1
			}
			return 1
		}) {
			return // lex ranges assume one score: any order is Redis' too
		}
		if sp.rev {
			slices.Reverse(want)
		}
		switch {
		case sp.offset < 0 || sp.offset >= int64(len(want)):
			want = nil
		default:
			want = want[sp.offset:]
			if sp.limit >= 0 && sp.limit < int64(len(want)) {
				want = want[:sp.limit]
			}
		}
		if len(got) != len(want) || (len(got) > 0 && !slices.Equal(got, want)) {
			t.Fatalf("%q on %v: got %v, want %v", args, all, got, want)
		}
	})
}
