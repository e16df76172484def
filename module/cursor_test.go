package module

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
)

// cursorChunk is a parsed RESP2 cursor reply [[total, row…], id].
type cursorChunk struct {
	total int64
	rows  [][]string // each row flat: k, v, …
	id    int64
}

// readChunk parses the next reply as a cursor chunk, failing on anything
// else.
func readChunk(t *testing.T, c *testutil.Conn) cursorChunk {
	t.Helper()
	r := c.Read()
	if r.Type != '*' || r.Count != 2 {
		t.Fatalf("not a cursor reply: %q", r.Raw)
	}
	var ch cursorChunk
	i := 0
	r.ForEach(func(e resp.Reply) bool {
		if i == 0 {
			if e.Type != '*' || e.Count < 1 {
				t.Fatalf("not a chunk: %q", r.Raw)
			}
			j := 0
			e.ForEach(func(x resp.Reply) bool {
				if j == 0 {
					ch.total = x.Int()
				} else {
					var row []string
					x.ForEach(func(f resp.Reply) bool {
						row = append(row, f.String())
						return true
					})
					ch.rows = append(ch.rows, row)
				}
				j++
				return true
			})
		} else {
			if e.Type != ':' {
				t.Fatalf("cursor id is not an integer: %q", r.Raw)
			}
			ch.id = e.Int()
		}
		i++
		return true
	})
	return ch
}

// doChunk sends a command and parses its cursor reply.
func doChunk(t *testing.T, c *testutil.Conn, args ...string) cursorChunk {
	t.Helper()
	c.Send(args...)
	return readChunk(t, c)
}

func readCursorCmd(id int64, more ...string) []string {
	return append([]string{"FT.CURSOR", "READ", "idx", strconv.FormatInt(id, 10)}, more...)
}

// checkChunk asserts a chunk's total (unless anyTotal), row count and
// whether it is the last.
func checkChunk(t *testing.T, what string, ch cursorChunk, total int64, rows int, last bool) {
	t.Helper()
	if (total != anyTotal && ch.total != total) || len(ch.rows) != rows || (ch.id == 0) != last {
		t.Fatalf("%s: total %d, %d rows, id %d; want total %d, %d rows, last %v", what, ch.total, len(ch.rows), ch.id, total, rows, last)
	}
}

// anyTotal skips the total: with a LOAD the count depends on the loader's
// batches.
const anyTotal = -1 << 62

// cursorIndex starts a server with idx over n hashes doc:<i> {t, n}.
func cursorIndex(t *testing.T, n int) *testutil.Conn {
	t.Helper()
	_, c := searchServer(t)
	if n > 0 {
		loadHashes(t, c, n)
	}
	testutil.MustDo(t, c, "FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK)
	waitIndexed(t, c, "idx")
	return c
}

// waitIndexed waits for the initial scan of an index to end.
func waitIndexed(t *testing.T, c *testutil.Conn, idx string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for infoField(t, c, idx, "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the initial scan did not end")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cursorStatsOf reads FT.INFO's cursor_stats as a map.
func cursorStatsOf(t *testing.T, c *testutil.Conn, idx string) map[string]int64 {
	t.Helper()
	r := c.Do("FT.INFO", idx)
	out := map[string]int64{}
	prev := ""
	found := false
	r.ForEach(func(v resp.Reply) bool {
		if prev == "cursor_stats" {
			k := ""
			v.ForEach(func(x resp.Reply) bool {
				if k == "" {
					k = x.String()
				} else {
					out[k] = x.Int()
					k = ""
				}
				return true
			})
			found = true
			return false
		}
		prev = v.String()
		return true
	})
	if !found {
		t.Fatalf("FT.INFO %s has no cursor_stats: %q", idx, r.Raw)
	}
	return out
}

func checkStats(t *testing.T, c *testutil.Conn, idx string, idle, total, capacity, index int64) {
	t.Helper()
	got := cursorStatsOf(t, c, idx)
	want := map[string]int64{"global_idle": idle, "global_total": total, "index_capacity": capacity, "index_total": index}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("cursor_stats of %s = %v, want %v", idx, got, want)
	}
}

// Chunks of COUNT rows; the total is what each read counted (streaming: 1,
// the row fetched before the total is written); a short chunk ends the
// cursor with id 0, after which the id is gone.
func TestCursorChunks(t *testing.T) {
	c := cursorIndex(t, 25)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "10")
	checkChunk(t, "first", ch, 1, 10, false)
	id := ch.id
	if id%2 != 0 || id < 2 || id > 1<<31 {
		t.Fatalf("a shard's cursor id is even in [2, 2^31]: %d", id)
	}
	for _, row := range ch.rows {
		if len(row) != 0 {
			t.Fatalf("rows without LOAD are empty: %v", ch.rows)
		}
	}
	checkChunk(t, "second", doChunk(t, c, readCursorCmd(id)...), 1, 10, false)
	if ch := doChunk(t, c, readCursorCmd(id)...); ch.id != 0 {
		t.Fatalf("a short chunk ends the cursor: id %d", ch.id)
	} else {
		checkChunk(t, "third", ch, 1, 5, true)
	}
	testutil.MustDo(t, c, append(readCursorCmd(id), testutil.Err(fmt.Sprintf("Cursor not found, id: %d", int32(id))))...)
	checkStats(t, c, "idx", 0, 0, 128, 0)
}

// A chunk that is exactly full keeps the cursor open: one more read gets
// [0] and id 0.
func TestCursorExactlyFullChunk(t *testing.T) {
	c := cursorIndex(t, 20)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "10")
	checkChunk(t, "first", ch, 1, 10, false)
	checkChunk(t, "second", doChunk(t, c, readCursorCmd(ch.id)...), 1, 10, false)
	testutil.MustDo(t, c, append(readCursorCmd(ch.id), testutil.Arr(testutil.Arr(testutil.Int(0)), testutil.Int(0)))...)
}

// Without COUNT a chunk is CURSOR_READ_SIZE (1000) rows.
func TestCursorDefaultChunk(t *testing.T) {
	c := cursorIndex(t, 1005)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR")
	checkChunk(t, "first", ch, 1, 1000, false)
	checkChunk(t, "second", doChunk(t, c, readCursorCmd(ch.id)...), 1, 5, true)
	// LIMIT is a step of the pipeline, not the chunk size.
	ch = doChunk(t, c, "FT.AGGREGATE", "idx", "*", "LIMIT", "0", "15", "WITHCURSOR", "COUNT", "10")
	checkChunk(t, "limited", ch, 1, 10, false)
	checkChunk(t, "limited end", doChunk(t, c, readCursorCmd(ch.id)...), 1, 5, true)
}

// READ's COUNT becomes the chunk size of later reads; COUNT 0 keeps it; a
// negative COUNT reads everything (the module casts it to size_t).
func TestCursorReadCount(t *testing.T) {
	c := cursorIndex(t, 25)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@n", "WITHCURSOR", "COUNT", "2")
	id := ch.id
	seen := len(ch.rows)
	for _, step := range []struct {
		args []string
		rows int
	}{
		{[]string{"COUNT", "5"}, 5},
		{nil, 5},
		{[]string{"COUNT", "0"}, 5},
		{[]string{"count", "3"}, 3},
		// READ idx id COUNT (5 arguments): the COUNT is ignored.
		{[]string{"COUNT"}, 3},
	} {
		ch := doChunk(t, c, readCursorCmd(id, step.args...)...)
		if len(ch.rows) != step.rows || ch.id != id {
			t.Fatalf("READ %v: %d rows, id %d; want %d rows, id %d", step.args, len(ch.rows), ch.id, step.rows, id)
		}
		seen += len(ch.rows)
	}
	ch = doChunk(t, c, readCursorCmd(id, "COUNT", "-1")...)
	if ch.id != 0 || seen+len(ch.rows) != 25 {
		t.Fatalf("COUNT -1 read %d rows (id %d) after %d; want the %d left", len(ch.rows), ch.id, seen, 25-seen)
	}
}

// An accumulating pipeline (SORTBY, GROUPBY) shows its whole count in the
// first chunk and 0 afterwards, while still returning rows.
func TestCursorTotalPerRead(t *testing.T) {
	c := cursorIndex(t, 25)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "SORTBY", "2", "@n", "DESC", "MAX", "25", "WITHCURSOR", "COUNT", "10")
	checkChunk(t, "sorted first", ch, 25, 10, false)
	if got := strings.Join(ch.rows[0], " "); got != "n 24" {
		t.Fatalf("first sorted row %q, want \"n 24\"", got)
	}
	ch2 := doChunk(t, c, readCursorCmd(ch.id)...)
	checkChunk(t, "sorted second", ch2, 0, 10, false)
	if got := strings.Join(ch2.rows[0], " "); got != "n 14" {
		t.Fatalf("first row of the second chunk %q, want \"n 14\"", got)
	}
	checkChunk(t, "sorted last", doChunk(t, c, readCursorCmd(ch.id)...), 0, 5, true)

	c.Send("HSET", "doc:100", "t", "x", "n", "1")
	c.Read()
	ch = doChunk(t, c, "FT.AGGREGATE", "idx", "*", "GROUPBY", "1", "@n", "REDUCE", "COUNT", "0", "AS", "c", "WITHCURSOR", "COUNT", "20")
	checkChunk(t, "grouped first", ch, 25, 20, false)
	checkChunk(t, "grouped last", doChunk(t, c, readCursorCmd(ch.id)...), 0, 5, true)

	// LIMIT 0 0: the count alone, and the cursor is done.
	testutil.MustDo(t, c, "FT.AGGREGATE", "idx", "*", "LIMIT", "0", "0", "WITHCURSOR",
		testutil.Arr(testutil.Arr(testutil.Int(26)), testutil.Int(0)))
}

// readLine reads one raw line (up to CRLF) of any protocol.
func readLine(t *testing.T, c *testutil.Conn) string {
	t.Helper()
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "\r\n") {
		s, err := c.ReadN(1)
		if err != nil {
			t.Fatalf("read: %v (%q)", err, b.String())
		}
		b.WriteString(s)
	}
	return strings.TrimSuffix(b.String(), "\r\n")
}

// RESP3: [map, id]; total_results is written after the chunk.
func TestCursorResp3(t *testing.T) {
	c := cursorIndex(t, 3)
	c.Hello3()
	row := func(n string) string {
		return testutil.Map3("+extra_attributes\r\n", testutil.Map3(testutil.Bulk("n"), testutil.Bulk(n)),
			"+values\r\n", testutil.Arr())
	}
	head := func(total int64, rows ...string) string {
		return "*2\r\n" + testutil.Map3("+attributes\r\n", testutil.Arr(), "+format\r\n", testutil.Status("STRING"),
			"+results\r\n", testutil.Arr(rows...), "+total_results\r\n", testutil.Int(total), "+warning\r\n", testutil.Arr())
	}
	c.Send("FT.AGGREGATE", "idx", "*", "SORTBY", "2", "@n", "ASC", "WITHCURSOR", "COUNT", "2")
	c.Expect(head(3, row("0"), row("1")))
	line := readLine(t, c)
	id, err := strconv.ParseInt(strings.TrimPrefix(line, ":"), 10, 64)
	if !strings.HasPrefix(line, ":") || err != nil || id == 0 {
		t.Fatalf("cursor id line %q", line)
	}
	testutil.MustDo(t, c, append(readCursorCmd(id), head(0, row("2"))+testutil.Int(0))...)

	// A streaming pipeline: the RESP3 total is the whole chunk's count.
	empty := testutil.Map3("+extra_attributes\r\n", testutil.Map3(), "+values\r\n", testutil.Arr())
	c.Send("FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "2")
	c.Expect(head(2, empty, empty))
	line = readLine(t, c)
	id, _ = strconv.ParseInt(strings.TrimPrefix(line, ":"), 10, 64)
	testutil.MustDo(t, c, append(readCursorCmd(id), head(1, empty)+testutil.Int(0))...)
}

// DEL, unknown ids and the argument errors, in the module's order.
func TestCursorErrors(t *testing.T) {
	c := cursorIndex(t, 5)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	id := strconv.FormatInt(ch.id, 10)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CURSOR", "DEL", "idx", id, testutil.OK},
		{"FT.CURSOR", "READ", "idx", id, testutil.Err("Cursor not found, id: " + id)},
		{"FT.CURSOR", "DEL", "idx", id, testutil.Err("Cursor does not exist")},
		{"FT.CURSOR", "READ", "idx", "12345", testutil.Err("Cursor not found, id: 12345")},
		// The module prints the id with %d: its low 32 bits.
		{"FT.CURSOR", "READ", "idx", "4294967301", testutil.Err("Cursor not found, id: 5")},
		{"FT.CURSOR", "READ", "idx", "2147483648", testutil.Err("Cursor not found, id: -2147483648")},
		{"FT.CURSOR", "READ", "idx", "abc", testutil.Err("Bad cursor ID")},
		{"FT.CURSOR", "READ", "idx", "+5", testutil.Err("Bad cursor ID")},
		{"FT.CURSOR", "NOPE", "idx", "abc", testutil.Err("Bad cursor ID")},
		{"FT.CURSOR", "NOPE", "idx", "5", testutil.Err("Unknown subcommand")},
		{"FT.CURSOR", "READ", "idx", "5", "LOVE", "2", testutil.Err("Unknown argument `LOVE`")},
		{"FT.CURSOR", "READ", "idx", "5", "COUNT", "2.3", testutil.Err("Bad value for COUNT: `2.3`")},
		{"FT.CURSOR", "READ", "nosuch", "abc", testutil.Err("nosuch: no such index")},
		{"FT.CURSOR", "READ", "idx", testutil.Err("ERR wrong number of arguments for 'FT.CURSOR' command")},
		{"FT.CURSOR", "GC", "idx", testutil.Err("ERR wrong number of arguments for 'FT.CURSOR' command")},
		{"FT.CURSOR", testutil.Err("ERR wrong number of arguments for 'FT.CURSOR' command")},
		{"FT.CURSOR", "GC", "idx", "0", testutil.Int(0)},
		{"FT.CURSOR", "gc", "idx", "0", testutil.Int(0)},
		// WITHCURSOR's own arguments.
		{"FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "0",
			testutil.Err("Bad arguments for COUNT: Value is outside acceptable bounds")},
		{"FT.AGGREGATE", "idx", "*", "WITHCURSOR", "MAXIDLE", "x",
			testutil.Err("Bad arguments for MAXIDLE: Could not convert argument to expected type")},
	})
	// Any existing index name will do for a cursor.
	testutil.MustDo(t, c, "FT.CREATE", "other", "SCHEMA", "t", "TEXT", testutil.OK)
	ch = doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	checkChunk(t, "via other", doChunk(t, c, "FT.CURSOR", "READ", "other", strconv.FormatInt(ch.id, 10)), 1, 1, false)
	testutil.MustDo(t, c, "FT.CURSOR", "DEL", "other", strconv.FormatInt(ch.id, 10), testutil.OK)
}

// INDEX_CURSOR_LIMIT bounds the cursors of one index.
func TestCursorIndexLimit(t *testing.T) {
	c := cursorIndex(t, 5)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "b", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", testutil.OK},
		{"FT.CONFIG", "SET", "INDEX_CURSOR_LIMIT", "2", testutil.OK},
	})
	a1 := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	testutil.MustDo(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1",
		testutil.Err("INDEX_CURSOR_LIMIT of 2 has been reached for an index"))
	checkStats(t, c, "idx", 2, 2, 2, 2)
	// Another index has its own count.
	doChunk(t, c, "FT.AGGREGATE", "b", "*", "WITHCURSOR", "COUNT", "1")
	checkStats(t, c, "b", 3, 3, 2, 1)
	testutil.MustDo(t, c, "FT.CURSOR", "DEL", "idx", strconv.FormatInt(a1.id, 10), testutil.OK)
	doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	// The limit is read when a cursor is opened.
	testutil.MustDoAll(t, c, [][]string{
		{"CONFIG", "SET", "search-index-cursor-limit", "0", testutil.OK},
		{"FT.AGGREGATE", "b", "*", "WITHCURSOR", testutil.Err("INDEX_CURSOR_LIMIT of 0 has been reached for an index")},
	})
	checkStats(t, c, "idx", 3, 3, 0, 2)
}

// Idle cursors expire after MAXIDLE (clamped to CURSOR_MAX_IDLE), lazily:
// an expired cursor can still be read until it is collected, by FT.CURSOR
// GC or when its index is at its limit.
func TestCursorIdleExpiry(t *testing.T) {
	c := cursorIndex(t, 5)
	testutil.MustDo(t, c, "CONFIG", "SET", "search-cursor-max-idle", "100", testutil.OK)
	a := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1", "MAXIDLE", "100000")
	b := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	testutil.MustDo(t, c, "FT.CURSOR", "GC", "idx", "0", testutil.Int(-1))
	time.Sleep(150 * time.Millisecond)
	testutil.MustDo(t, c, "FT.CURSOR", "GC", "idx", "0", testutil.Int(2))
	for _, ch := range []cursorChunk{a, b} {
		testutil.MustDo(t, c, append(readCursorCmd(ch.id), testutil.Err(fmt.Sprintf("Cursor not found, id: %d", int32(ch.id))))...)
	}
	checkStats(t, c, "idx", 0, 0, 128, 0)

	// Expired but not collected: still readable.
	d := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1", "MAXIDLE", "10")
	time.Sleep(30 * time.Millisecond)
	checkChunk(t, "expired read", doChunk(t, c, readCursorCmd(d.id)...), 1, 1, false)
	testutil.MustDo(t, c, "FT.CURSOR", "DEL", "idx", strconv.FormatInt(d.id, 10), testutil.OK)
}

// An index at its limit collects expired cursors before it refuses.
func TestCursorLimitCollectsExpired(t *testing.T) {
	c := cursorIndex(t, 5)
	testutil.MustDo(t, c, "FT.CONFIG", "SET", "INDEX_CURSOR_LIMIT", "1", testutil.OK)
	a := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1", "MAXIDLE", "20")
	time.Sleep(50 * time.Millisecond)
	b := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
	testutil.MustDo(t, c, append(readCursorCmd(a.id), testutil.Err(fmt.Sprintf("Cursor not found, id: %d", int32(a.id))))...)
	checkStats(t, c, "idx", 1, 1, 1, 1)
	testutil.MustDo(t, c, "FT.CURSOR", "DEL", "idx", strconv.FormatInt(b.id, 10), testutil.OK)
}

// A cursor being read is not idle: another read of it gets "Cursor not
// found", DEL marks it and it is freed once its read ends.
func TestCursorInUse(t *testing.T) {
	s, c := searchServer(t)
	loadHashes(t, c, 10)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", testutil.OK)
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "2")
	other := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "2")
	id := strconv.FormatInt(ch.id, 10)
	// Reads now wait a second off the main thread.
	testutil.MustDo(t, c, "CONFIG", "SET", "search-_debug-query-delay", "1000", testutil.OK)
	c.Send("FT.CURSOR", "READ", "idx", id)
	c2 := testutil.Dial(t, s.Addr())
	for cursorStatsOf(t, c2, "idx")["global_idle"] != 1 {
		time.Sleep(time.Millisecond) // the READ has not taken the cursor yet
	}
	testutil.MustDo(t, c2, "FT.CURSOR", "READ", "idx", id, testutil.Err("Cursor not found, id: "+id))
	checkStats(t, c2, "idx", 1, 2, 128, 2)
	testutil.MustDo(t, c2, "FT.CURSOR", "DEL", "idx", id, testutil.OK)
	checkChunk(t, "the read in flight", readChunk(t, c), 1, 2, false)
	testutil.MustDo(t, c2, "CONFIG", "SET", "search-_debug-query-delay", "0", testutil.OK)
	testutil.MustDo(t, c2, "FT.CURSOR", "READ", "idx", id, testutil.Err("Cursor not found, id: "+id))
	checkStats(t, c2, "idx", 1, 1, 128, 1)
	testutil.MustDo(t, c2, "FT.CURSOR", "DEL", "idx", strconv.FormatInt(other.id, 10), testutil.OK)
}

// cursor_stats counts every cursor of the shard (global) and the index's.
func TestCursorStats(t *testing.T) {
	c := cursorIndex(t, 5)
	testutil.MustDo(t, c, "FT.CREATE", "b", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", testutil.OK)
	checkStats(t, c, "idx", 0, 0, 128, 0)
	a1 := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "2")
	doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "2")
	doChunk(t, c, "FT.AGGREGATE", "b", "*", "WITHCURSOR", "COUNT", "2")
	checkStats(t, c, "idx", 3, 3, 128, 2)
	checkStats(t, c, "b", 3, 3, 128, 1)
	// Read to its end, a cursor goes away.
	doChunk(t, c, readCursorCmd(a1.id)...)
	checkChunk(t, "end", doChunk(t, c, readCursorCmd(a1.id)...), 1, 1, true)
	checkStats(t, c, "idx", 2, 2, 128, 1)
	// A cursor that ends in its first chunk is never kept.
	checkChunk(t, "one chunk", doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR"), 1, 5, true)
	checkStats(t, c, "idx", 2, 2, 128, 1)
	// RESP3: a map.
	c.Hello3()
	c.Send("FT.INFO", "idx")
	var raw strings.Builder
	for !strings.Contains(raw.String(), "+cursor_stats\r\n") {
		raw.WriteString(readLine(t, c) + "\r\n")
	}
	c.Expect(testutil.Map3("+global_idle\r\n", testutil.Int(2), "+global_total\r\n", testutil.Int(2),
		"+index_capacity\r\n", testutil.Int(128), "+index_total\r\n", testutil.Int(1)))
}

// Dropping an index leaves its cursors: reading one by the dropped name
// finds no index; by any live name, it fails and the cursor is lost (8.2
// leaks it: it stays in global_total).
func TestCursorIndexDropped(t *testing.T) {
	for _, workers := range []string{"0", "2"} {
		t.Run("workers="+workers, func(t *testing.T) {
			c := cursorIndex(t, 6)
			testutil.MustDo(t, c, "CONFIG", "SET", "search-workers", workers, testutil.OK)
			ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@n", "WITHCURSOR", "COUNT", "3")
			checkChunk(t, "first", ch, anyTotal, 3, false)
			id := strconv.FormatInt(ch.id, 10)
			testutil.MustDoAll(t, c, [][]string{
				{"FT.DROPINDEX", "idx", testutil.OK},
				{"FT.CURSOR", "READ", "idx", id, testutil.Err("idx: no such index")},
				{"FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", testutil.OK},
			})
			checkStats(t, c, "idx", 1, 1, 128, 0)
			testutil.MustDoAll(t, c, [][]string{
				{"FT.CURSOR", "READ", "idx", id, testutil.Err(errIndexDroppedWhileIdle)},
				{"FT.CURSOR", "READ", "idx", id, testutil.Err("Cursor not found, id: " + id)},
				{"FT.CURSOR", "DEL", "idx", id, testutil.OK},
				{"FT.CURSOR", "GC", "idx", "0", testutil.Int(0)},
			})
			checkStats(t, c, "idx", 0, 1, 128, 0)
			// A flush frees the idle cursors (the module empties its lists).
			doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1")
			checkStats(t, c, "idx", 1, 2, 128, 1)
			testutil.MustDoAll(t, c, [][]string{
				{"FLUSHALL", testutil.OK},
				{"FT.CREATE", "idx", "SCHEMA", "t", "TEXT", testutil.OK},
			})
			checkStats(t, c, "idx", 0, 1, 128, 0)
		})
	}
}

// Cursors on the worker pool: the same replies, and a cursor read by many
// clients at once gives each row exactly once.
func TestCursorWorkers(t *testing.T) {
	s, c := searchServer(t)
	const n = 3000
	loadHashes(t, c, n)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "PREFIX", "1", "doc:", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE", testutil.OK},
		{"CONFIG", "SET", "search-workers", "2", testutil.OK},
		// No timeout: on a loaded machine a 3000-row query can pass 500 ms,
		// and what is checked here is the rows, not the timeout.
		{"FT.CONFIG", "SET", "TIMEOUT", "0", testutil.OK},
	})
	waitIndexed(t, c, "idx")
	ch := doChunk(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@n", "WITHCURSOR", "COUNT", "1000")
	checkChunk(t, "first", ch, anyTotal, 1000, false)
	checkChunk(t, "second", doChunk(t, c, readCursorCmd(ch.id, "COUNT", "1500")...), anyTotal, 1500, false)
	checkChunk(t, "third", doChunk(t, c, readCursorCmd(ch.id)...), anyTotal, 500, true)
	ch = doChunk(t, c, "FT.AGGREGATE", "idx", "*", "SORTBY", "2", "@n", "DESC", "MAX", "3000", "WITHCURSOR", "COUNT", "2000")
	checkChunk(t, "sorted", ch, n, 2000, false)
	if got := strings.Join(ch.rows[0], " "); got != "n 2999" {
		t.Fatalf("first sorted row %q", got)
	}
	checkChunk(t, "sorted end", doChunk(t, c, readCursorCmd(ch.id)...), 0, 1000, true)

	// Clients racing on one cursor: a read of a cursor in use fails, the
	// others get disjoint rows.
	ch = doChunk(t, c, "FT.AGGREGATE", "idx", "*", "LOAD", "1", "@n", "WITHCURSOR", "COUNT", "50")
	var mu sync.Mutex
	seen := map[string]int{}
	for _, row := range ch.rows {
		seen[row[1]]++
	}
	id := strconv.FormatInt(ch.id, 10)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		cc := testutil.Dial(t, s.Addr())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				cc.Send("FT.CURSOR", "READ", "idx", id)
				r := cc.Read()
				if r.Type == '-' {
					if !strings.HasPrefix(r.String(), "Cursor not found") {
						t.Errorf("READ: %s", r.String())
						return
					}
					continue
				}
				var last bool
				i := 0
				mu.Lock()
				r.ForEach(func(e resp.Reply) bool {
					if i == 0 {
						j := 0
						e.ForEach(func(row resp.Reply) bool {
							if j > 0 {
								k := 0
								row.ForEach(func(f resp.Reply) bool {
									if k == 1 {
										seen[f.String()]++
									}
									k++
									return true
								})
							}
							j++
							return true
						})
					} else {
						last = e.Int() == 0
					}
					i++
					return true
				})
				mu.Unlock()
				if last {
					close(done)
					return
				}
			}
		}()
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the cursor was not read to its end")
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d distinct rows, want %d", len(seen), n)
	}
	for k, v := range seen {
		if v != 1 {
			t.Fatalf("row n=%s came %d times", k, v)
		}
	}
	checkStats(t, c, "idx", 0, 0, 128, 0)

	// Open cursors read while the pool is resized to 0 and back.
	var ids []int64
	for i := 0; i < 4; i++ {
		ids = append(ids, doChunk(t, c, "FT.AGGREGATE", "idx", "*", "WITHCURSOR", "COUNT", "1000").id)
	}
	for i, id := range ids {
		if i == 2 {
			testutil.MustDo(t, c, "CONFIG", "SET", "search-workers", "0", testutil.OK)
		}
		checkChunk(t, "resized", doChunk(t, c, readCursorCmd(id)...), 1, 1000, false)
	}
	testutil.MustDo(t, c, "CONFIG", "SET", "search-workers", "2", testutil.OK)
	for _, id := range ids {
		// 3000 rows in chunks of 1000: the third is full, a fourth ends it.
		checkChunk(t, "third", doChunk(t, c, readCursorCmd(id)...), 1, 1000, false)
		testutil.MustDo(t, c, append(readCursorCmd(id), testutil.Arr(testutil.Arr(testutil.Int(0)), testutil.Int(0)))...)
	}
	checkStats(t, c, "idx", 0, 0, 128, 0)
}

// The store on its own: ids by list, the GC's cached deadline, and the
// sweep every 500 operations.
func TestCursorStore(t *testing.T) {
	var s cursorStore
	sp := index.NewSpec("x")
	for i := 0; i < 50; i++ {
		c, err := s.reserve(sp, 1000, time.Hour, false)
		if err != nil || c.id%2 != 0 || c.id < 2 || c.id > 1<<31 {
			t.Fatalf("shard id %d (%v)", c.id, err)
		}
		k, err := s.reserve(nil, 0, time.Hour, true)
		if err != nil || k.id%2 != 1 || k.id > 1<<31-1 {
			t.Fatalf("coordinator id %d (%v)", k.id, err)
		}
		s.free(c)
		s.free(k)
	}
	if st := s.stats(sp); st != (cursorStats{}) {
		t.Fatalf("stats after freeing all: %+v", st)
	}

	// An expired cursor is collected by the 500th operation (the first
	// sweep is not throttled), not before.
	a, _ := s.reserve(sp, 1000, time.Millisecond, false)
	s.pause(a)
	b, _ := s.reserve(sp, 1000, time.Hour, false)
	s.pause(b)
	time.Sleep(5 * time.Millisecond)
	ops := s.lists[0].counter
	for ops+1 < cursorSweepInterval*(ops/cursorSweepInterval+1) {
		s.take(12346)
		ops++
	}
	if st := s.stats(sp); st.globalTotal != 2 {
		t.Fatalf("collected before the 500th operation: %+v", st)
	}
	s.take(12346)
	if st := s.stats(sp); st.globalTotal != 1 || st.globalIdle != 1 || st.indexTotal != 1 {
		t.Fatalf("after the sweep: %+v", st)
	}

	// The cached earliest deadline: collecting a, which held it, forgot
	// it, so GC scans (0 collected); a pause sets it again, and GC answers
	// -1 while it is ahead.
	if got := s.collectIdle(); got != 0 {
		t.Fatalf("GC without a cached deadline = %d, want 0", got)
	}
	if c := s.take(b.id); c != b || s.take(b.id) != nil {
		t.Fatal("a taken cursor is not idle")
	}
	s.pause(b)
	if got := s.collectIdle(); got != -1 {
		t.Fatalf("GC with only live cursors = %d, want -1", got)
	}
	s.take(b.id)
	if got := s.collectIdle(); got != 0 {
		t.Fatalf("GC = %d, want 0", got)
	}
	if !s.purge(b.id) || s.stats(sp).globalTotal != 1 {
		t.Fatal("DEL of a cursor in use keeps it until it is paused")
	}
	s.pause(b)
	if st := s.stats(sp); st.globalTotal != 0 || st.indexTotal != 0 {
		t.Fatalf("a deleted cursor is freed when paused: %+v", st)
	}
	if s.purge(b.id) {
		t.Fatal("DEL of a freed cursor")
	}
}
