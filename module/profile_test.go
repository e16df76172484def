package module

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module/index"
)

// pv is a reply of either protocol, parsed from the raw stream (the
// connection's RESP2 reader cannot read RESP3 maps).
type pv struct {
	kind  byte // '+', '-', ':', '$', ',', '*', '%', '_'
	str   string
	elems []pv // maps alternate keys and values
}

// readPV reads one reply from c.
func readPV(t *testing.T, c *Conn) pv {
	t.Helper()
	line := func() string {
		var b strings.Builder
		for !strings.HasSuffix(b.String(), "\r\n") {
			s, err := c.ReadN(1)
			if err != nil {
				t.Fatalf("read: %v (after %q)", err, b.String())
			}
			b.WriteString(s)
		}
		return strings.TrimSuffix(b.String(), "\r\n")
	}
	var read func() pv
	read = func() pv {
		l := line()
		v := pv{kind: l[0]}
		body := l[1:]
		switch v.kind {
		case '+', '-', ':', ',', '_':
			v.str = body
		case '$':
			n, _ := strconv.Atoi(body)
			if n < 0 {
				v.kind = '_'
				return v
			}
			s, err := c.ReadN(n + 2)
			if err != nil {
				t.Fatalf("read bulk: %v", err)
			}
			v.str = s[:n]
		case '*', '%':
			n, _ := strconv.Atoi(body)
			if v.kind == '%' {
				n *= 2
			}
			for i := 0; i < n; i++ {
				v.elems = append(v.elems, read())
			}
		default:
			t.Fatalf("unexpected reply line %q", l)
		}
		return v
	}
	return read()
}

// profileDo runs a command and parses its reply.
func profileDo(t *testing.T, c *Conn, args ...string) pv {
	t.Helper()
	c.Send(args...)
	return readPV(t, c)
}

// get is a map's (or a RESP2 flat map's) value for key.
func (v pv) get(t *testing.T, key string) pv {
	t.Helper()
	for i := 0; i+1 < len(v.elems); i += 2 {
		if v.elems[i].str == key {
			return v.elems[i+1]
		}
	}
	t.Fatalf("no key %q in %s", key, v.render(t))
	return pv{}
}

// keys lists a map's keys.
func (v pv) keys() []string {
	var out []string
	for i := 0; i+1 < len(v.elems); i += 2 {
		out = append(out, v.elems[i].str)
	}
	return out
}

// timeKeys are the keys whose values are clocks.
var timeKeys = map[string]bool{"Time": true, "Total profile time": true, "Parsing time": true,
	"Pipeline creation time": true, "Total GIL time": true}

// render prints a reply compactly: arrays [a b], maps {k v}, and clocks as
// T once checked to be non-negative numbers of the protocol's double type.
func (v pv) render(t *testing.T) string {
	t.Helper()
	switch v.kind {
	case '*', '%':
		parts := make([]string, len(v.elems))
		for i, e := range v.elems {
			if i%2 == 1 && timeKeys[v.elems[i-1].str] {
				if e.kind != '$' && e.kind != ',' {
					t.Errorf("%s is not a double: %c%s", v.elems[i-1].str, e.kind, e.str)
				}
				f, err := strconv.ParseFloat(e.str, 64)
				if err != nil || f < 0 {
					t.Errorf("%s = %q, not a non-negative number", v.elems[i-1].str, e.str)
				}
				parts[i] = "T"
				continue
			}
			parts[i] = e.render(t)
		}
		if v.kind == '%' {
			return "{" + strings.Join(parts, " ") + "}"
		}
		return "[" + strings.Join(parts, " ") + "]"
	case '_':
		return "nil"
	case '-':
		return "ERR(" + v.str + ")"
	}
	return v.str
}

// profileIndex creates idx (t TEXT, n NUMERIC, g TAG) over keys 1 and 2,
// as test_profile.py does.
func profileIndex(t *testing.T, c *Conn) {
	t.Helper()
	MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "g", "TAG", OK},
		{"HSET", "1", "t", "hello", "n", "1", "g", "foo", Int(3)},
		{"HSET", "2", "t", "world", "n", "5", "g", "foo,bar", Int(3)},
	})
}

// shard is the profile of the only shard of an FT.PROFILE reply.
func shard(t *testing.T, r pv, resp3 bool) pv {
	t.Helper()
	var prof pv
	if resp3 {
		prof = r.get(t, "Profile")
	} else {
		if r.kind != '*' || len(r.elems) != 2 {
			t.Fatalf("reply is not [results, profile]: %s", r.render(t))
		}
		prof = r.elems[1]
	}
	if got := strings.Join(prof.keys(), ","); got != "Shards,Coordinator" {
		t.Fatalf("profile keys %s: %s", got, prof.render(t))
	}
	if co := prof.get(t, "Coordinator"); len(co.elems) != 0 {
		t.Fatalf("Coordinator is not empty: %s", co.render(t))
	}
	shards := prof.get(t, "Shards")
	if shards.kind != '*' || len(shards.elems) != 1 {
		t.Fatalf("Shards is not one shard: %s", shards.render(t))
	}
	return shards.elems[0]
}

const shardKeys = "Total profile time,Parsing time,Pipeline creation time,Total GIL time,Warning,Iterators profile,Result processors profile"

// The iterator tree of each kind of query, with the counts test_profile.py
// expects of the module (8.2.0 key names, clock on).
func TestProfileIterators(t *testing.T) {
	_, c := searchServer(t)
	profileIndex(t, c)
	cases := []struct{ query, want string }{
		{"*", "[Type WILDCARD Time T Counter 2]"},
		{"redis", "[Type EMPTY Time T Counter 0]"},
		{"hello", "[Type TEXT Term hello Time T Counter 1 Size 1]"},
		{"hello|world", "[Type UNION Query type UNION Time T Counter 2 Child iterators [" +
			"[Type TEXT Term hello Time T Counter 1 Size 1] [Type TEXT Term world Time T Counter 1 Size 1]]]"},
		{"hello world", "[Type INTERSECT Time T Counter 0 Child iterators [" +
			"[Type TEXT Term hello Time T Counter 1 Size 1] [Type TEXT Term world Time T Counter 1 Size 1]]]"},
		{"-hello", "[Type NOT Time T Counter 1 Child iterator [Type TEXT Term hello Time T Counter 1 Size 1]]"},
		{"~hello", "[Type OPTIONAL Time T Counter 2 Child iterator [Type TEXT Term hello Time T Counter 1 Size 1]]"},
		{"hel*", "[Type UNION Query type PREFIX - hel Time T Counter 1 Child iterators [" +
			"[Type TEXT Term hello Time T Counter 1 Size 1]]]"},
		{"%%hel%%", "[Type UNION Query type FUZZY - hel Time T Counter 1 Child iterators [" +
			"[Type TEXT Term hello Time T Counter 1 Size 1]]]"},
		{"@g:{foo}", "[Type TAG Term foo Time T Counter 2 Size 2]"},
		{"@g:{foo|bar}", "[Type UNION Query type TAG Time T Counter 2 Child iterators [" +
			"[Type TAG Term foo Time T Counter 2 Size 2] [Type TAG Term bar Time T Counter 1 Size 1]]]"},
		// A numeric reader's Size is its whole leaf (test_profile.py's
		// testProfileNumeric: "-14 - 1.35" with one match has Size 2).
		{"@n:[0 3]", "[Type NUMERIC Term 1 - 5 Time T Counter 1 Size 2]"},
		{"@n:[10 20]", "[Type EMPTY Time T Counter 0]"},
		{"hello -world", "[Type INTERSECT Time T Counter 1 Child iterators [" +
			"[Type TEXT Term hello Time T Counter 1 Size 1] " +
			"[Type NOT Time T Counter 1 Child iterator [Type TEXT Term world Time T Counter 1 Size 1]]]]"},
	}
	for _, tc := range cases {
		r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", tc.query, "NOCONTENT")
		sh := shard(t, r, false)
		if got := strings.Join(sh.keys(), ","); got != shardKeys {
			t.Fatalf("%s: shard keys %s", tc.query, got)
		}
		if got := sh.get(t, "Iterators profile").render(t); got != tc.want {
			t.Errorf("%s: iterators\n got %s\nwant %s", tc.query, got, tc.want)
		}
		if got := sh.get(t, "Warning").str; got != "None" {
			t.Errorf("%s: Warning %q", tc.query, got)
		}
	}

	// INKEYS is an ID-LIST intersected with the query.
	r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "INKEYS", "1", "1")
	want := "[Type INTERSECT Time T Counter 1 Child iterators [[Type ID-LIST Time T Counter 1] " +
		"[Type TEXT Term hello Time T Counter 1 Size 1]]]"
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); got != want {
		t.Errorf("INKEYS: got %s\nwant %s", got, want)
	}
	// FILTER is a numeric reader too.
	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "*", "FILTER", "n", "4", "6", "NOCONTENT")
	want = "[Type INTERSECT Time T Counter 1 Child iterators [[Type NUMERIC Term 1 - 5 Time T Counter 1 Size 2] " +
		"[Type WILDCARD Time T Counter 1]]]"
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); got != want {
		t.Errorf("FILTER: got %s\nwant %s", got, want)
	}
}

// noClock2 is an FT.PROFILE RESP2 reply with _PRINT_PROFILE_CLOCK off.
func noClock2(results, iters string, procs ...string) string {
	return Arr(results, Arr(
		Status("Shards"), Arr(Arr(
			Status("Warning"), Status("None"),
			Status("Iterators profile"), iters,
			Status("Result processors profile"), Arr(procs...))),
		Status("Coordinator"), Arr()))
}

func textIter2(term string, n int64) string {
	return Arr(Status("Type"), Status("TEXT"), Status("Term"), Status(term),
		Status("Counter"), Int(n), Status("Size"), Int(n))
}

func rp2(typ string, n int64) string {
	return Arr(Status("Type"), Status(typ), Status("Counter"), Int(n))
}

// The whole RESP2 reply with _PRINT_PROFILE_CLOCK off, byte for byte as
// the module's test expects it (with 8.2.0's key names).
func TestProfileExactNoClock(t *testing.T) {
	_, c := searchServer(t)
	profileIndex(t, c)
	MustDo(t, c, "FT.CONFIG", "SET", "_PRINT_PROFILE_CLOCK", "false", OK)
	MustDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "NOCONTENT",
		noClock2(Arr(Int(1), Bulk("1")), textIter2("hello", 1),
			rp2("Index", 1), rp2("Scorer", 1), rp2("Sorter", 1)))
	// The results part is the normal FT.SEARCH reply.
	MustDo(t, c, "FT.PROFILE", "idx", "search", "query", "hello",
		noClock2(Arr(Int(1), Bulk("1"), Strs("t", "hello", "n", "1", "g", "foo")), textIter2("hello", 1),
			rp2("Index", 1), rp2("Scorer", 1), rp2("Sorter", 1), rp2("Loader", 1)))
	// LIMIT 0 0: a Counter instead of the scorer, sorter and loader.
	union := Arr(Status("Type"), Status("UNION"), Status("Query type"), Status("UNION"),
		Status("Counter"), Int(2), Status("Child iterators"), Arr(textIter2("hello", 1), textIter2("world", 1)))
	MustDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hello|world", "LIMIT", "0", "0",
		noClock2(Arr(Int(2)), union, rp2("Index", 2), rp2("Counter", 1)))
}

// rps renders the result processors of a RESP2 profile reply.
func rps(t *testing.T, c *Conn, args ...string) string {
	t.Helper()
	r := profileDo(t, c, append([]string{"FT.PROFILE"}, args...)...)
	if r.kind == '-' {
		t.Fatalf("%q: %s", args, r.str)
	}
	return shard(t, r, false).get(t, "Result processors profile").render(t)
}

// The result processors of FT.SEARCH and FT.AGGREGATE pipelines, with the
// counts of the rows each one passed on.
func TestProfileResultProcessors(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", "u", "NUMERIC", OK)
	for i := 1; i <= 5; i++ {
		MustDo(t, c, "HSET", strconv.Itoa(i), "t", "hello", "n", strconv.Itoa(i), "u", strconv.Itoa(10-i), Int(3))
	}
	rp := func(typ string, n int) string { return fmt.Sprintf("[Type %s Time T Counter %d]", typ, n) }
	list := func(items ...string) string { return "[" + strings.Join(items, " ") + "]" }
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"idx", "SEARCH", "QUERY", "hello"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Sorter", 5), rp("Loader", 5))},
		{[]string{"idx", "SEARCH", "QUERY", "hello", "NOCONTENT", "LIMIT", "0", "2"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Sorter", 2))},
		// An offset adds a pager, which stops asking the sorter once it
		// sent its rows: the sorter's last row is not followed by an end.
		{[]string{"idx", "SEARCH", "QUERY", "hello", "LIMIT", "1", "2"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Sorter", 2), rp("Pager/Limiter", 2), rp("Loader", 2))},
		{[]string{"idx", "SEARCH", "QUERY", "hello", "LIMIT", "3", "5"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Sorter", 5), rp("Pager/Limiter", 2), rp("Loader", 2))},
		// SORTBY replaces the scorer; a field that is not SORTABLE is loaded.
		{[]string{"idx", "SEARCH", "QUERY", "hello", "SORTBY", "n"},
			list(rp("Index", 5), rp("Sorter", 5), rp("Loader", 5))},
		{[]string{"idx", "SEARCH", "QUERY", "hello", "SORTBY", "u", "WITHSCORES"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Loader", 5), rp("Sorter", 5), rp("Loader", 5))},
		{[]string{"idx", "SEARCH", "QUERY", "hello", "HIGHLIGHT"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Sorter", 5), rp("Loader", 5), rp("Highlighter", 5))},
		// FT.AGGREGATE: the processors of the pipeline's steps.
		{[]string{"idx", "AGGREGATE", "QUERY", "hello", "GROUPBY", "1", "@t", "REDUCE", "COUNT", "0", "AS", "sum"},
			list(rp("Index", 5), rp("Loader", 5), rp("Grouper", 1))},
		{[]string{"idx", "AGGREGATE", "QUERY", "*", "LOAD", "1", "t", "APPLY", `startswith(@t, "hel")`, "AS", "prefix"},
			list(rp("Index", 5), rp("Loader", 5), rp("Projector - Function startswith", 5))},
		{[]string{"idx", "AGGREGATE", "QUERY", "*", "SORTBY", "2", "@t", "ASC", "LIMIT", "0", "10", "LOAD", "2", "@__key", "@t"},
			list(rp("Index", 5), rp("Loader", 5), rp("Sorter", 5), rp("Loader", 5))},
		{[]string{"idx", "AGGREGATE", "QUERY", "*", "APPLY", "@n*2", "AS", "d", "FILTER", "@d>4", "SORTBY", "2", "@d", "DESC", "LIMIT", "1", "2"},
			list(rp("Index", 5), rp("Projector - Operator *", 5), rp("Filter - Predicate >", 3),
				rp("Sorter", 2), rp("Pager/Limiter", 2))},
		{[]string{"idx", "AGGREGATE", "QUERY", "*", "FILTER", "!(@n<3)", "LIMIT", "0", "1"},
			// The pager stops after its row: nobody asks for the rest, and
			// the last calls are not followed by an end.
			list(rp("Index", 2), rp("Filter - Inverted", 0), rp("Pager/Limiter", 1))},
		{[]string{"idx", "AGGREGATE", "QUERY", "hello", "ADDSCORES", "LOAD", "1", "@t"},
			list(rp("Index", 5), rp("Scorer", 5), rp("Loader", 5))},
		{[]string{"idx", "AGGREGATE", "QUERY", "*", "LIMIT", "0", "0"},
			list(rp("Index", 5), rp("Counter", 1))},
	}
	for _, tc := range cases {
		if got := rps(t, c, tc.args...); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.args, got, tc.want)
		}
	}

	// The results part is FT.AGGREGATE's reply.
	r := profileDo(t, c, "FT.PROFILE", "idx", "AGGREGATE", "QUERY", "hello", "GROUPBY", "1", "@t", "REDUCE", "COUNT", "0", "AS", "sum")
	if got := r.elems[0].render(t); got != "[1 [t hello sum 5]]" {
		t.Errorf("aggregate results: %s", got)
	}
}

// LIMITED collapses the children of unions that expand a word (prefix,
// fuzzy, tag) into their count; a query's own unions stay whole.
func TestProfileLimited(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	for i, w := range []string{"hello", "hell", "help", "helowa"} {
		MustDo(t, c, "HSET", strconv.Itoa(i+1), "t", w, Int(1))
	}
	r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "%hell% hel*", "NOCONTENT")
	want := "[Type INTERSECT Time T Counter 3 Child iterators [" +
		"[Type UNION Query type FUZZY - hell Time T Counter 3 Child iterators The number of iterators in the union is 3] " +
		"[Type UNION Query type PREFIX - hel Time T Counter 3 Child iterators The number of iterators in the union is 4]]]"
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); got != want {
		t.Errorf("LIMITED:\n got %s\nwant %s", got, want)
	}
	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "limited", "QUERY", "hello|help", "NOCONTENT")
	want = "[Type UNION Query type UNION Time T Counter 2 Child iterators [" +
		"[Type TEXT Term hello Time T Counter 1 Size 1] [Type TEXT Term help Time T Counter 1 Size 1]]]"
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); got != want {
		t.Errorf("LIMITED union:\n got %s\nwant %s", got, want)
	}
	// Without LIMITED every child is there.
	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hel*", "NOCONTENT")
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); !strings.Contains(got, "Term helowa") {
		t.Errorf("full prefix union: %s", got)
	}
}

// RESP3: {Results: <the FT.SEARCH map>, Profile: {Shards: [map], Coordinator: {}}}.
func TestProfileResp3(t *testing.T) {
	s, c := searchServer(t)
	profileIndex(t, c)
	c3 := Dial(t, s.Addr())
	c3.Hello3()
	r := profileDo(t, c3, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hello|world", "NOCONTENT")
	if r.kind != '%' || strings.Join(r.keys(), ",") != "Results,Profile" {
		t.Fatalf("reply: %s", r.render(t))
	}
	res := r.get(t, "Results")
	if res.kind != '%' || res.get(t, "total_results").str != "2" {
		t.Fatalf("Results: %s", res.render(t))
	}
	if got := res.get(t, "results").render(t); got != "[{id 1 values []} {id 2 values []}]" {
		t.Errorf("results: %s", got)
	}
	sh := shard(t, r, true)
	if sh.kind != '%' || strings.Join(sh.keys(), ",") != shardKeys {
		t.Fatalf("shard: %s", sh.render(t))
	}
	if co := r.get(t, "Profile").get(t, "Coordinator"); co.kind != '%' {
		t.Errorf("Coordinator is not a map: %s", co.render(t))
	}
	want := "{Type UNION Query type UNION Time T Counter 2 Child iterators [" +
		"{Type TEXT Term hello Time T Counter 1 Size 1} {Type TEXT Term world Time T Counter 1 Size 1}]}"
	if got := sh.get(t, "Iterators profile").render(t); got != want {
		t.Errorf("iterators:\n got %s\nwant %s", got, want)
	}
	want = "[{Type Index Time T Counter 2} {Type Scorer Time T Counter 2} {Type Sorter Time T Counter 2}]"
	if got := sh.get(t, "Result processors profile").render(t); got != want {
		t.Errorf("processors:\n got %s\nwant %s", got, want)
	}
	// FT.AGGREGATE in RESP3.
	r = profileDo(t, c3, "FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "LOAD", "1", "@t")
	want = "[{Type Index Time T Counter 2} {Type Loader Time T Counter 2}]"
	if got := shard(t, r, true).get(t, "Result processors profile").render(t); got != want {
		t.Errorf("aggregate processors:\n got %s\nwant %s", got, want)
	}
}

// Warnings: the prefix expansion limit.
func TestProfileWarning(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	MustDo(t, c, "FT.CONFIG", "SET", "MAXPREFIXEXPANSIONS", "2", OK)
	for i := 1; i <= 3; i++ {
		MustDo(t, c, "HSET", strconv.Itoa(i), "t", "foo"+strconv.Itoa(i), Int(1))
	}
	r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "foo*", "LIMIT", "0", "0")
	if got := shard(t, r, false).get(t, "Warning").str; got != index.WarnMaxPrefix {
		t.Errorf("Warning %q", got)
	}
}

func TestProfileErrors(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
	arity := Err("ERR wrong number of arguments for 'FT.PROFILE' command")
	MustDoAll(t, c, [][]string{
		{"FT.PROFILE", "idx", arity},
		{"FT.PROFILE", "idx", "SEARCH", arity},
		{"FT.PROFILE", "idx", "SEARCH", "QUERY", arity},
		{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", arity},
		{"FT.PROFILE", "nosuch", "SEARCH", "QUERY", "*", Err("nosuch: no such index")},
		{"FT.PROFILE", "profile", "idx", "*", "NOCONTENT", Err("profile: no such index")},
		{"FT.PROFILE", "idx", "redis", "QUERY", "*", Err("No `SEARCH` or `AGGREGATE` provided")},
		{"FT.PROFILE", "idx", "SEARCH", "FIND", "*", Err("The QUERY keyword is expected")},
		{"FT.PROFILE", "idx", "SEARCH", "LIMITED", "FIND", "*", Err("The QUERY keyword is expected")},
		{"FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "WITHCURSOR", Err("FT.PROFILE does not support cursor")},
	})
	// FT.SEARCH's and FT.AGGREGATE's own errors are theirs.
	for _, tc := range [][]string{
		{"SEARCH", "*", "LIMIT", "0"},
		{"SEARCH", "hello(", "NOCONTENT"},
		{"SEARCH", "*", "SORTBY", "nosuch"},
		{"AGGREGATE", "*", "GROUPBY", "1", "@nosuch"},
		{"AGGREGATE", "*", "APPLY", "1+", "AS", "x"},
	} {
		want := profileDo(t, c, append([]string{"FT." + tc[0], "idx"}, tc[1:]...)...)
		got := profileDo(t, c, append([]string{"FT.PROFILE", "idx", tc[0], "QUERY"}, tc[1:]...)...)
		if want.kind != '-' || got.kind != '-' || got.str != want.str {
			t.Errorf("%q: got %s, want %s", tc, got.render(t), want.render(t))
		}
	}
}

// A profiled query runs inline, with worker threads too; queries that are
// not profiled are not affected by the ones that were.
func TestProfileWithWorkers(t *testing.T) {
	_, c := searchServer(t)
	profileIndex(t, c)
	MustDo(t, c, "CONFIG", "SET", "search-workers", "2", OK)
	r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "hello|world", "NOCONTENT")
	if got := r.elems[0].render(t); got != "[2 1 2]" {
		t.Errorf("results: %s", got)
	}
	r = profileDo(t, c, "FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c")
	if r.kind != '*' || len(r.elems) != 2 {
		t.Fatalf("aggregate: %s", r.render(t))
	}
	MustDo(t, c, "FT.SEARCH", "idx", "hello|world", "NOCONTENT", Arr(Int(2), Bulk("1"), Bulk("2")))
	MustDo(t, c, "CONFIG", "SET", "search-workers", "0", OK)
}

// Unions of many children (the heap mode), stemmed words and geo radii are
// profiled like the others.
func TestProfileMoreIterators(t *testing.T) {
	_, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "loc", "GEO", OK)
	for i := 0; i < 30; i++ {
		MustDo(t, c, "HSET", fmt.Sprintf("d%d", i), "t", fmt.Sprintf("wa%02d", i), "loc", "2.35,48.85", Int(2))
	}
	MustDo(t, c, "HSET", "s", "t", "worlds", Int(1))
	MustDo(t, c, "HSET", "s2", "t", "world", Int(1))

	r := profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "wa*", "NOCONTENT")
	it := shard(t, r, false).get(t, "Iterators profile")
	if got := it.get(t, "Query type").str; got != "PREFIX - wa" {
		t.Errorf("Query type %q", got)
	}
	if got := it.get(t, "Counter").str; got != "30" {
		t.Errorf("Counter %s", got)
	}
	if kids := it.get(t, "Child iterators"); len(kids.elems) != 30 {
		t.Errorf("%d children", len(kids.elems))
	}
	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "wa*", "NOCONTENT")
	it = shard(t, r, false).get(t, "Iterators profile")
	if got := it.get(t, "Child iterators").str; got != "The number of iterators in the union is 30" {
		t.Errorf("LIMITED heap union: %q", got)
	}

	// A stemmed word is a union of the word and its stem's entries.
	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "worlds", "NOCONTENT")
	want := "[Type UNION Query type UNION Time T Counter 2 Child iterators [" +
		"[Type TEXT Term worlds Time T Counter 1 Size 1] [Type TEXT Term +world Time T Counter 1 Size 1] " +
		"[Type TEXT Term world Time T Counter 1 Size 1]]]"
	if got := shard(t, r, false).get(t, "Iterators profile").render(t); got != want {
		t.Errorf("stemmed:\n got %s\nwant %s", got, want)
	}

	r = profileDo(t, c, "FT.PROFILE", "idx", "SEARCH", "QUERY", "@loc:[2.35 48.85 10 km]", "NOCONTENT")
	it = shard(t, r, false).get(t, "Iterators profile")
	if it.get(t, "Type").str != "GEO" || it.get(t, "Counter").str != "30" || it.get(t, "Size").str != "30" ||
		!strings.Contains(it.get(t, "Term").str, " - ") {
		t.Errorf("geo: %s", it.render(t))
	}
}

// The results part is exactly the reply of FT.SEARCH or FT.AGGREGATE with
// the same arguments, in both protocols.
func TestProfileResultsAreTheNormalReply(t *testing.T) {
	s, c := searchServer(t)
	MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", OK)
	for i := 1; i <= 12; i++ {
		MustDo(t, c, "HSET", strconv.Itoa(i), "t", fmt.Sprintf("hello w%d", i%3), "n", strconv.Itoa(i), Int(2))
	}
	c3 := Dial(t, s.Addr())
	c3.Hello3()
	queries := [][]string{
		{"SEARCH", "hello"},
		{"SEARCH", "hello", "WITHSCORES", "LIMIT", "2", "3"},
		{"SEARCH", "w1|w2", "SORTBY", "n", "DESC", "RETURN", "1", "n"},
		{"SEARCH", "*", "LIMIT", "0", "0"},
		{"AGGREGATE", "*", "LOAD", "1", "@t"},
		{"AGGREGATE", "hello", "GROUPBY", "1", "@t", "REDUCE", "SUM", "1", "@n", "AS", "s", "SORTBY", "2", "@s", "DESC"},
		{"AGGREGATE", "*", "APPLY", "@n*2", "AS", "d", "FILTER", "@d>10", "LIMIT", "1", "3"},
		{"AGGREGATE", "*", "LIMIT", "0", "0"},
	}
	for _, conn := range []*Conn{c, c3} {
		for _, q := range queries {
			want := profileDo(t, conn, append([]string{"FT." + q[0], "idx"}, q[1:]...)...)
			got := profileDo(t, conn, append([]string{"FT.PROFILE", "idx", q[0], "QUERY"}, q[1:]...)...)
			var res pv
			if got.kind == '%' {
				res = got.get(t, "Results")
			} else if len(got.elems) == 2 {
				res = got.elems[0]
			}
			if w, g := want.render(t), res.render(t); w != g {
				t.Errorf("%q:\n got %s\nwant %s", q, g, w)
			}
		}
	}
}
