package integration

// Helpers of the search acceptance suite (search_acceptance_*_test.go): the
// cases of reference/redisearch-surface.md §5, each run on a fresh server in
// RESP2 and in RESP3.
//
// Expected replies are written with the raw-RESP builders of testutil, in the
// RESP2 form the reference gives; they are parsed into trees and compared
// with the parsed reply. A few markers, which are not RESP, extend the
// builders:
//
//   - score(s): a score; matches a bulk string (RESP2) or a double (RESP3)
//     whose value is within 1e-9 relative of s.
//   - anyOrder(elems...): an array whose elements may come in any order.
//   - pairsAnyOrder(kv...): a field array whose pairs may come in any order.
//
// FT.SEARCH expectations are converted to the RESP3 map shape of §1.2 when
// the case runs in RESP3 (see search3).

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// scoreTolerance is the relative tolerance of score comparisons (RESP2
// doubles are printed with %.17g by Redis 7, shortest form by Redis 8).
const scoreTolerance = 1e-9

// Marker type bytes (not RESP).
const (
	kindScore2   = '?' // RESP2 score: bulk string, compared as a float
	kindScore3   = 'd' // RESP3 score: double, compared as a float
	kindAnyOrder = 'U' // array in any order, by groups (see reply.head/group)
	kindPairs    = 'P' // raw marker of pairsAnyOrder; parsed as kindAnyOrder, group 2
)

// reply is a parsed RESP2/RESP3 reply (or an expectation).
type reply struct {
	kind  byte // RESP type byte or a marker
	str   string
	null  bool // $-1 or *-1
	elems []reply
	// For kindAnyOrder: the first head elements are in order, the rest are
	// groups of group elements in any order.
	head, group int
}

// score is an expected score (see the package comment).
func score(s string) string { return string(kindScore2) + s + "\r\n" }

// anyOrder is an expected array whose elements may come in any order.
func anyOrder(elems ...string) string {
	return string(kindAnyOrder) + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// pairsAnyOrder is an expected field array [k1, v1, k2, v2, ...] of bulk
// strings whose pairs may come in any order.
func pairsAnyOrder(kv ...string) string {
	elems := make([]string, len(kv))
	for i, e := range kv {
		elems[i] = Bulk(e)
	}
	return string(kindPairs) + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// byteSource is where a reply is parsed from.
type byteSource interface {
	line() (string, error)
	bytes(n int) (string, error)
}

type stringSource struct{ s string }

func (r *stringSource) line() (string, error) {
	i := strings.Index(r.s, "\r\n")
	if i < 0 {
		return "", fmt.Errorf("no CRLF in %q", r.s)
	}
	l := r.s[:i]
	r.s = r.s[i+2:]
	return l, nil
}

func (r *stringSource) bytes(n int) (string, error) {
	if len(r.s) < n {
		return "", fmt.Errorf("short input %q", r.s)
	}
	b := r.s[:n]
	r.s = r.s[n:]
	return b, nil
}

type connSource struct{ c *Conn }

func (r connSource) line() (string, error) {
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "\r\n") {
		ch, err := r.c.ReadN(1)
		if err != nil {
			return b.String(), err
		}
		b.WriteString(ch)
	}
	return strings.TrimSuffix(b.String(), "\r\n"), nil
}

func (r connSource) bytes(n int) (string, error) { return r.c.ReadN(n) }

func parseReply(src byteSource) (reply, error) {
	l, err := src.line()
	if err != nil {
		return reply{}, err
	}
	if l == "" {
		return reply{}, fmt.Errorf("empty reply line")
	}
	r := reply{kind: l[0]}
	body := l[1:]
	switch r.kind {
	case '+', '-', ':', ',', '#', '(', kindScore2:
		r.str = body
	case '_':
		r.null = true
	case '$', '=', '!':
		n, err := strconv.Atoi(body)
		if err != nil {
			return r, fmt.Errorf("bad length %q", l)
		}
		if n < 0 {
			r.null = true
			return r, nil
		}
		s, err := src.bytes(n + 2)
		if err != nil {
			return r, err
		}
		r.str = s[:n]
		if r.kind == '=' && len(r.str) >= 4 { // verbatim: drop "txt:"
			r.str = r.str[4:]
		}
	case '*', '~', '%', '>', kindAnyOrder, kindPairs:
		n, err := strconv.Atoi(body)
		if err != nil {
			return r, fmt.Errorf("bad count %q", l)
		}
		if n < 0 {
			r.null = true
			return r, nil
		}
		if r.kind == '%' {
			n *= 2
		}
		switch r.kind {
		case kindAnyOrder:
			r.group = 1
		case kindPairs:
			r.kind, r.group = kindAnyOrder, 2
		}
		for i := 0; i < n; i++ {
			e, err := parseReply(src)
			if err != nil {
				return r, err
			}
			r.elems = append(r.elems, e)
		}
	default:
		return r, fmt.Errorf("unknown reply type %q", l)
	}
	return r, nil
}

// parseRaw parses an expectation built with the testutil builders.
func parseRaw(t testing.TB, raw string) reply {
	t.Helper()
	src := &stringSource{raw}
	r, err := parseReply(src)
	if err != nil || src.s != "" {
		t.Fatalf("bad expectation %q: %v (left %q)", raw, err, src.s)
	}
	return r
}

// String prints a reply the way the reference writes replies.
func (r reply) String() string {
	switch {
	case r.null:
		return "None"
	case r.kind == '+':
		return "+'" + r.str + "'"
	case r.kind == '-':
		return "ERR(" + r.str + ")"
	case r.kind == ':':
		return r.str
	case r.kind == ',' || r.kind == kindScore3:
		return "double(" + r.str + ")"
	case r.kind == kindScore2:
		return "score(" + r.str + ")"
	case r.kind == '$':
		return strconv.Quote(r.str)
	}
	parts := make([]string, len(r.elems))
	for i, e := range r.elems {
		parts[i] = e.String()
	}
	switch r.kind {
	case '%':
		var kv []string
		for i := 0; i+1 < len(parts); i += 2 {
			kv = append(kv, parts[i]+": "+parts[i+1])
		}
		return "{" + strings.Join(kv, ", ") + "}"
	case '~':
		return "set{" + strings.Join(parts, ", ") + "}"
	case kindAnyOrder:
		return "anyorder[" + strings.Join(parts, ", ") + "]"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// floatsMatch compares a float text with an expected one.
func floatsMatch(want, got string) bool {
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	if w == g {
		return true
	}
	return math.Abs(w-g) <= scoreTolerance*math.Max(math.Abs(w), math.Abs(g))
}

// diff returns "" when got matches want, else where and how it differs.
func diff(want, got reply, path string) string {
	if path == "" {
		path = "reply"
	}
	mismatch := func() string { return fmt.Sprintf("%s: got %v, want %v", path, got, want) }
	switch want.kind {
	case kindScore2, kindScore3:
		wantKind := byte('$')
		if want.kind == kindScore3 {
			wantKind = ','
		}
		if got.kind != wantKind || got.null || !floatsMatch(want.str, got.str) {
			return mismatch()
		}
		return ""
	case kindAnyOrder:
		if got.kind != '*' || got.null || len(got.elems) != len(want.elems) {
			return mismatch()
		}
		for i := 0; i < want.head; i++ {
			if d := diff(want.elems[i], got.elems[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		if !sameGroups(want.elems[want.head:], got.elems[want.head:], want.group) {
			return mismatch() + " (any order)"
		}
		return ""
	}
	if got.kind != want.kind || got.null != want.null || got.str != want.str || len(got.elems) != len(want.elems) {
		return mismatch()
	}
	switch want.kind {
	case '~':
		if !sameGroups(want.elems, got.elems, 1) {
			return mismatch() + " (set)"
		}
		return ""
	case '%':
		// A map is read by key: key order is free, and a key may be a simple
		// or a bulk string (their type is checked by the shape tests).
		for i := 0; i < len(want.elems); i += 2 {
			key := want.elems[i].str
			j := mapIndex(got, key)
			if j < 0 {
				return fmt.Sprintf("%s: key %q missing in %v", path, key, got)
			}
			if d := diff(want.elems[i+1], got.elems[j+1], path+"."+key); d != "" {
				return d
			}
		}
		return ""
	}
	for i := range want.elems {
		if d := diff(want.elems[i], got.elems[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// mapIndex is the index of key in a RESP3 map reply, or -1.
func mapIndex(m reply, key string) int {
	for i := 0; i+1 < len(m.elems); i += 2 {
		if k := m.elems[i]; (k.kind == '+' || k.kind == '$') && k.str == key {
			return i
		}
	}
	return -1
}

// sameGroups reports whether got holds the groups of want in any order.
func sameGroups(want, got []reply, group int) bool {
	if len(want) != len(got) || len(want)%group != 0 {
		return false
	}
	used := make([]bool, len(got)/group)
	for w := 0; w < len(want); w += group {
		found := false
		for g := 0; g < len(got) && !found; g += group {
			if used[g/group] {
				continue
			}
			same := true
			for k := 0; k < group && same; k++ {
				same = diff(want[w+k], got[g+k], "") == ""
			}
			if same {
				used[g/group], found = true, true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// session is one connection to a fresh server running the search module,
// or, in cluster mode, one connection to each shard of a fresh cluster: key
// commands go to their slot's shard, the others (FT.*) to each shard in
// turn, so that every coordinator answers some.
type session struct {
	t     *testing.T
	c     *Conn
	proto int

	shards []*Conn
	srvs   []*server.Server
	turn   int
}

// acceptanceCase is one case of §5 (or a part of one).
type acceptanceCase struct {
	name string
	run  func(s *session)
}

// runAcceptance runs every case on its own server, in RESP2 and RESP3,
// then on its own 3-shard cluster, where the replies must be the same.
func runAcceptance(t *testing.T, cases []acceptanceCase) {
	for _, tc := range cases {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", tc.name, proto), func(t *testing.T) {
				srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
				c := Dial(t, srv.Addr())
				if proto == 3 {
					c.Hello3()
				}
				tc.run(&session{t: t, c: c, proto: proto})
			})
		}
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/Cluster-RESP%d", tc.name, proto), func(t *testing.T) {
				srvs := startCluster(t, 3)
				s := &session{t: t, proto: proto, srvs: srvs}
				for _, srv := range srvs {
					c := Dial(t, srv.Addr())
					if proto == 3 {
						c.Hello3()
					}
					s.shards = append(s.shards, c)
				}
				s.c = s.shards[0]
				tc.run(s)
			})
		}
	}
}

// keyCommands take a key as their first argument: in cluster mode they go
// to its shard.
var keyCommands = map[string]bool{"HSET": true, "HGET": true, "HGETALL": true, "HDEL": true, "HMSET": true,
	"SET": true, "GET": true, "DEL": true, "EXISTS": true, "EXPIRE": true, "PEXPIRE": true, "PERSIST": true,
	"TYPE": true, "RENAME": true, "HINCRBY": true, "HINCRBYFLOAT": true, "UNLINK": true, "TTL": true,
	"FT.SUGADD": true, "FT.SUGGET": true, "FT.SUGDEL": true, "FT.SUGLEN": true}

// allShards run on every shard of a cluster (the first one's reply is
// kept; DBSIZE's are added up).
var allShards = map[string]bool{"FLUSHALL": true, "FLUSHDB": true, "DBSIZE": true, "CONFIG": true}

// do sends a command and returns its parsed reply.
func (s *session) do(args ...string) reply {
	s.t.Helper()
	if s.shards == nil {
		return s.doOn(s.c, args)
	}
	name := strings.ToUpper(args[0])
	switch {
	case keyCommands[name] && len(args) > 1:
		slot := server.KeySlot([]byte(args[1]))
		for i, srv := range s.srvs {
			if srv.Topology().Owner(slot) == srv.Self() && srv == s.srvs[i] {
				return s.doOn(s.shards[i], args)
			}
		}
		s.t.Fatalf("%q: no shard serves slot %d", args, slot)
	case allShards[name] && !(name == "CONFIG" && len(args) > 1 && strings.EqualFold(args[1], "GET")):
		var first reply
		var sum int64
		for i, c := range s.shards {
			r := s.doOn(c, args)
			if i == 0 {
				first = r
			}
			if name == "DBSIZE" {
				n, _ := strconv.ParseInt(r.str, 10, 64)
				sum += n
			}
		}
		if name == "DBSIZE" {
			first.str = strconv.FormatInt(sum, 10)
		}
		return first
	}
	c := s.shards[s.turn%len(s.shards)]
	s.turn++
	return s.doOn(c, args)
}

// inCluster tells whether the session talks to a cluster.
func (s *session) inCluster() bool { return s.shards != nil }

// ranked checks a search ranked by score: in a cluster each shard scores
// with its own document statistics (as the module's shards do), so only
// the total and the documents must agree there, in any order.
func (s *session) ranked(args []string, want2 string) {
	s.t.Helper()
	if s.inCluster() {
		s.searchAnyOrder(args, want2)
		return
	}
	s.search(args, want2)
}

func (s *session) doOn(c *Conn, args []string) reply {
	s.t.Helper()
	c.Send(args...)
	r, err := parseReply(connSource{c})
	if err != nil {
		s.t.Fatalf("%q: reading the reply: %v", args, err)
	}
	return r
}

// must runs args[:len-1] and checks the reply against the last argument (raw
// RESP with markers), which is the same in both protocols.
func (s *session) must(args ...string) {
	s.t.Helper()
	s.mustReply(args[:len(args)-1], parseRaw(s.t, args[len(args)-1]))
}

// mustAll runs must for each command.
func (s *session) mustAll(cmds ...[]string) {
	s.t.Helper()
	for _, c := range cmds {
		s.must(c...)
	}
}

func (s *session) mustReply(args []string, want reply) {
	s.t.Helper()
	got := s.do(args...)
	if d := diff(want, got, ""); d != "" {
		s.t.Errorf("%q:\n%s", args, d)
	}
}

// mustErr checks that the command fails, with a message containing substr
// (any message when substr is empty).
func (s *session) mustErr(substr string, args ...string) {
	s.t.Helper()
	got := s.do(args...)
	if got.kind != '-' || !strings.Contains(got.str, substr) {
		s.t.Errorf("%q: got %v, want an error containing %q", args, got, substr)
	}
}

// cmd builds a command.
func cmd(args ...string) []string { return args }

// hsetDocs writes n hashes: key(i) with fields(i), checking each reply.
func (s *session) hsetDocs(n int, key func(i int) string, fields func(i int) []string) {
	s.t.Helper()
	for i := 0; i < n; i++ {
		f := fields(i)
		s.must(append(append([]string{"HSET", key(i)}, f...), Int(int64(len(f)/2)))...)
	}
}

// waitIndexed polls FT.INFO until the background scan of idx is done.
func (s *session) waitIndexed(idx string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		info := s.info(idx)
		v, ok := info["indexing"]
		if !ok {
			s.t.Fatalf("FT.INFO %s has no indexing field", idx)
		}
		if v.kind == ':' && v.str == "0" {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("FT.INFO %s: still indexing (%v) after 10s", idx, v)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pairs turns a RESP2 flat key/value array or a RESP3 map into a Go map.
func (s *session) pairs(r reply, what string) map[string]reply {
	s.t.Helper()
	if (r.kind != '*' && r.kind != '%') || len(r.elems)%2 != 0 {
		s.t.Fatalf("%s: not a key/value reply: %v", what, r)
	}
	m := map[string]reply{}
	for i := 0; i < len(r.elems); i += 2 {
		m[r.elems[i].str] = r.elems[i+1]
	}
	return m
}

// info returns FT.INFO idx by key.
func (s *session) info(idx string) map[string]reply {
	s.t.Helper()
	return s.pairs(s.do("FT.INFO", idx), "FT.INFO "+idx)
}

// mustInfo checks one FT.INFO field.
func (s *session) mustInfo(idx, key, want string) {
	s.t.Helper()
	got, ok := s.info(idx)[key]
	if !ok {
		s.t.Errorf("FT.INFO %s: no %q", idx, key)
		return
	}
	// Simple vs bulk strings are checked once, by "C49 FT.INFO reply types".
	if d := diff(bulkStrings(parseRaw(s.t, want)), bulkStrings(got), key); d != "" {
		s.t.Errorf("FT.INFO %s: %s", idx, d)
	}
}

// bulkStrings turns every simple string of r into a bulk string.
func bulkStrings(r reply) reply {
	if r.kind == '+' {
		r.kind = '$'
	}
	elems := make([]reply, len(r.elems))
	for i, e := range r.elems {
		elems[i] = bulkStrings(e)
	}
	r.elems = elems
	return r
}

// bulkStringsIn lists the bulk strings of r (with their paths), skipping
// the values of the keys in doubles (RESP2 writes a double as a bulk string).
func bulkStringsIn(r reply, path string, doubles map[string]bool) []string {
	var out []string
	if r.kind == '$' && !r.null {
		out = append(out, path+"="+strconv.Quote(r.str))
	}
	for i := 0; i < len(r.elems); i++ {
		out = append(out, bulkStringsIn(r.elems[i], fmt.Sprintf("%s[%d]", path, i), doubles)...)
		if doubles[r.elems[i].str] && r.kind != '~' {
			i++ // skip the double
		}
	}
	return out
}

// double is a double reply: a bulk string in RESP2, a double in RESP3.
func (s *session) double(v string) string {
	if s.proto == 3 {
		return Double3(v)
	}
	return Bulk(v)
}

// null is a null bulk in RESP2, the null in RESP3.
func (s *session) null() string {
	if s.proto == 3 {
		return Null
	}
	return Nil
}

// kvMap is a map in RESP3, a flat key/value array in RESP2 (keys simple strings).
func (s *session) kvMap(kv ...string) string {
	if s.proto == 3 {
		return Map3(kv...)
	}
	return Arr(kv...)
}

// nameSet is FT._LIST / FT.TAGVALS-like: an array in any order in RESP2, a
// set in RESP3.
func (s *session) nameSet(elems ...string) string {
	if s.proto == 3 {
		return Set3(elems...)
	}
	return anyOrder(elems...)
}

// fieldAttr describes one FT.INFO attributes entry.
type fieldAttr struct {
	name, typ string
	weight    string // TEXT: the WEIGHT value
	separator string // TAG: the SEPARATOR value
	coords    string // GEOSHAPE: the coord_system value
	flags     []string
}

// attribute renders an FT.INFO attributes entry (§1.4): a flat array in
// RESP2, a map with a flags array in RESP3.
func (s *session) attribute(a fieldAttr) string {
	kv := []string{Status("identifier"), Status(a.name), Status("attribute"), Status(a.name), Status("type"), Status(a.typ)}
	if a.weight != "" {
		kv = append(kv, Status("WEIGHT"), s.double(a.weight))
	}
	if a.separator != "" {
		kv = append(kv, Status("SEPARATOR"), Status(a.separator))
	}
	if a.coords != "" {
		kv = append(kv, Status("coord_system"), Status(a.coords))
	}
	flags := make([]string, len(a.flags))
	for i, f := range a.flags {
		flags[i] = Status(f)
	}
	if s.proto == 3 {
		return Map3(append(kv, Status("flags"), Arr(flags...))...)
	}
	return Arr(append(kv, flags...)...)
}

// searchFlags are the FT.SEARCH options that shape a reply.
type searchFlags struct{ scores, payloads, sortkeys, nofields bool }

func flagsOf(args []string) searchFlags {
	var f searchFlags
	for i := 3; i < len(args); i++ {
		switch strings.ToUpper(args[i]) {
		case "WITHSCORES":
			f.scores = true
		case "WITHPAYLOADS":
			f.payloads = true
		case "WITHSORTKEYS":
			f.sortkeys = true
		case "NOCONTENT":
			f.nofields = true
		case "RETURN":
			if i+1 < len(args) && args[i+1] == "0" {
				f.nofields = true
			}
		}
	}
	return f
}

func (f searchFlags) stride() int {
	n := 1
	for _, b := range []bool{f.scores, f.payloads, f.sortkeys, !f.nofields} {
		if b {
			n++
		}
	}
	return n
}

// search checks an FT.SEARCH (or FT.AGGREGATE count-only) reply given in
// its RESP2 form; in RESP3 it is converted to the map of §1.2.
func (s *session) search(args []string, want2 string) {
	s.t.Helper()
	s.mustReply(args, s.searchWant(args, parseRaw(s.t, want2), false))
}

// searchAnyOrder is search where the documents may come in any order.
func (s *session) searchAnyOrder(args []string, want2 string) {
	s.t.Helper()
	s.mustReply(args, s.searchWant(args, parseRaw(s.t, want2), true))
}

func (s *session) searchWant(args []string, want reply, anyDocOrder bool) reply {
	s.t.Helper()
	if want.kind == '-' {
		return want
	}
	f := flagsOf(args)
	stride := f.stride()
	if want.kind != '*' || len(want.elems) == 0 || (len(want.elems)-1)%stride != 0 {
		s.t.Fatalf("bad FT.SEARCH expectation %v for %q", want, args)
	}
	if s.proto == 2 {
		if anyDocOrder {
			want.kind, want.head, want.group = kindAnyOrder, 1, stride
		}
		return want
	}
	st := func(v string) reply { return reply{kind: '+', str: v} }
	var results []reply
	for i := 1; i < len(want.elems); i += stride {
		doc := want.elems[i : i+stride]
		m := []reply{st("id"), doc[0]}
		k := 1
		if f.scores {
			sc := doc[k]
			if sc.kind == kindScore2 || sc.kind == '$' {
				sc = reply{kind: kindScore3, str: sc.str}
			}
			m = append(m, st("score"), sc)
			k++
		}
		if f.payloads {
			m = append(m, st("payload"), null3(doc[k]))
			k++
		}
		if f.sortkeys {
			m = append(m, st("sortkey"), null3(doc[k]))
			k++
		}
		if !f.nofields {
			fields := doc[k]
			if fields.null {
				m = append(m, st("extra_attributes"), reply{kind: '_', null: true})
			} else {
				m = append(m, st("extra_attributes"), reply{kind: '%', elems: fields.elems})
			}
		}
		m = append(m, st("values"), reply{kind: '*'})
		results = append(results, reply{kind: '%', elems: m})
	}
	res := reply{kind: '*', elems: results}
	if anyDocOrder {
		res.kind, res.group = kindAnyOrder, 1
	}
	return reply{kind: '%', elems: []reply{
		st("attributes"), {kind: '*'},
		st("format"), st("STRING"),
		st("results"), res,
		st("total_results"), want.elems[0],
		st("warning"), {kind: '*'},
	}}
}

func null3(r reply) reply {
	if r.null {
		return reply{kind: '_', null: true}
	}
	return r
}

// searchDoc is one document of a search reply, in either protocol.
type searchDoc struct {
	id     string
	score  string
	fields []reply // key, value, ...
}

// searchResult runs a search and returns its total and documents.
func (s *session) searchResult(args ...string) (int64, []searchDoc) {
	s.t.Helper()
	got := s.do(args...)
	f := flagsOf(args)
	fail := func() { s.t.Fatalf("%q: unexpected reply %v", args, got) }
	var total int64
	var docs []searchDoc
	switch {
	case s.proto == 2 && got.kind == '*' && len(got.elems) > 0:
		total, _ = strconv.ParseInt(got.elems[0].str, 10, 64)
		stride := f.stride()
		if (len(got.elems)-1)%stride != 0 {
			fail()
		}
		for i := 1; i < len(got.elems); i += stride {
			d := searchDoc{id: got.elems[i].str}
			if f.scores {
				d.score = got.elems[i+1].str
			}
			if !f.nofields {
				d.fields = got.elems[i+stride-1].elems
			}
			docs = append(docs, d)
		}
	case s.proto == 3 && got.kind == '%':
		m := s.pairs(got, "FT.SEARCH")
		total, _ = strconv.ParseInt(m["total_results"].str, 10, 64)
		for _, r := range m["results"].elems {
			rm := s.pairs(r, "FT.SEARCH result")
			docs = append(docs, searchDoc{id: rm["id"].str, score: rm["score"].str, fields: rm["extra_attributes"].elems})
		}
	default:
		fail()
	}
	return total, docs
}

// searchCount checks the total and the number of documents returned.
func (s *session) searchCount(args []string, total int64, returned int) {
	s.t.Helper()
	gotTotal, docs := s.searchResult(args...)
	if gotTotal != total || len(docs) != returned {
		s.t.Errorf("%q: total %d with %d documents, want total %d with %d", args, gotTotal, len(docs), total, returned)
	}
}

// searchIDs returns the total and the ids of a search.
func (s *session) searchIDs(args ...string) (int64, []string) {
	s.t.Helper()
	total, docs := s.searchResult(args...)
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	return total, ids
}

// ids is a NOCONTENT FT.SEARCH reply: total then ids.
func ids(total int64, keys ...string) string {
	elems := []string{Int(total)}
	for _, k := range keys {
		elems = append(elems, Bulk(k))
	}
	return Arr(elems...)
}

// containsAll reports whether s contains every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// wrongArity is the substring every arity error contains.
const wrongArity = "wrong number of arguments"
