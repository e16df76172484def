package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// The golden replay runs every command recorded from Redis 7.4.1 with
// RediSearch 2.10.25 (seed 1) against an in-process server with the search
// module, and compares the replies under the rules of the golden README.
// Where Redis 8.2 (the version emulated) answers differently from 2.10, the
// line is listed in goldenKnownDifferences with the 8.2 answer, which is
// then asserted instead of the recorded one.
//
// The corpus is found by testutil.GoldenDir (../shared/golden from the
// repository's root, or GOLDEN_DIR); without it the test fails in CI.
// GOLDEN_REPORT=1 writes every mismatch to golden-report.txt in the
// temporary directory (one-line test errors only).

const (
	goldenTimeout    = 10 * time.Second // per command; a slower reply is a hang
	waitIndexedLimit = 30 * time.Second
)

// goldenExpectation is what 8.2 answers to a line whose recorded 2.10 answer
// differs: an error text, a reply, or a check of the reply.
type goldenExpectation struct {
	err   string
	reply any
	check func(got any) string // "" when the reply is right
}

// knownDifference is a line (chosen by file and line number, or by a
// predicate on the line) where 8.2 differs from the recording.
type knownDifference struct {
	file    string
	line    int                      // 0: use applies
	applies func(l *goldenLine) bool // nil: use line
	reason  string                   // the documented 8.2 change
	expect  func(l *goldenLine) goldenExpectation
}

// unknownIndexCommands are the commands whose unknown-index error 8.2 words
// "<name>: no such index" (its wrappers' VERIFY_ACL), while 2.10 said
// "Unknown index name" / "Unknown Index name" / "No such index <name>".
// FT.SEARCH and FT.AGGREGATE kept "No such index <name>".
var unknownIndexCommands = map[string]bool{
	"FT.INFO": true, "FT.DROPINDEX": true, "FT.TAGVALS": true,
	"FT.EXPLAIN": true, "FT.EXPLAINCLI": true, "FT.ALTER": true,
}

var unknownIndex210 = regexp.MustCompile(`^(Unknown [Ii]ndex name|No such index .*)$`)

func expectError(msg string) func(*goldenLine) goldenExpectation {
	return func(*goldenLine) goldenExpectation { return goldenExpectation{err: msg} }
}

func expectReply(v any) func(*goldenLine) goldenExpectation {
	return func(*goldenLine) goldenExpectation { return goldenExpectation{reply: v} }
}

// goldenKnownDifferences: README "Version-sensitive parts" and
// ../shared/reference/redisearch-surface.md §2.1, §2.2, §4.
var goldenKnownDifferences = []knownDifference{
	{
		applies: func(l *goldenLine) bool {
			return len(l.Cmd) > 1 && unknownIndexCommands[strings.ToUpper(l.Cmd[0])] && l.HasError && unknownIndex210.MatchString(l.Error)
		},
		reason: "8.2 words the unknown-index error of FT.INFO/DROPINDEX/TAGVALS/EXPLAIN/EXPLAINCLI/ALTER `<name>: no such index`",
		expect: func(l *goldenLine) goldenExpectation { return goldenExpectation{err: l.Cmd[1] + ": no such index"} },
	},
	// DIALECT 2 errors that 2.10 does not raise (surface §2.2).
	{file: "search.jsonl", line: 1541, reason: "8.2 DIALECT 2: unknown field in the query is an error", expect: expectError("Unknown field at offset 0 near nosuch")},
	{file: "search.jsonl", line: 1542, reason: "8.2 DIALECT 2: unknown field in the query is an error", expect: expectError("Unknown field at offset 0 near nosuch")},
	{file: "search.jsonl", line: 1543, reason: "8.2 DIALECT 2: unknown field in the query is an error", expect: expectError("Unknown field at offset 0 near nosuch")},
	{file: "search.jsonl", line: 1609, reason: "8.2 DIALECT 2: unknown field in the query is an error", expect: expectError("Unknown field at offset 0 near nosuch")},
	{file: "search.jsonl", line: 1547, reason: "8.2 DIALECT 2: numeric range with min > max is an error (QAST_CheckIsValid appends the range as user data)", expect: expectError("Invalid numeric range (min > max): @price:[488.000000 67.000000]")},
	{file: "search.jsonl", line: 1544, reason: "8.2 DIALECT 2: a field list naming an unknown field is an error (the v2 parser checks every name of `@a|b:`)", expect: expectError("Unknown field at offset 7 near nosuch")},
	// 8.2's FT.SEARCH/FT.AGGREGATE wrappers check argc < 3 before parsing.
	{file: "search.jsonl", line: 1602, reason: "8.2 checks FT.SEARCH arity (argc < 3) before parsing: no `No query string provided`", expect: expectError("ERR wrong number of arguments for 'FT.SEARCH' command")},
	{file: "aggregate.jsonl", line: 336, reason: "8.2 checks FT.AGGREGATE arity (argc < 3) before parsing: no `No query string provided`", expect: expectError("ERR wrong number of arguments for 'FT.AGGREGATE' command")},
	// 8.x reducers answer nan for SUM/AVG over a group without numbers (2.10
	// answered 0; surface C46). Here the nine groups of documents without a
	// rating (one per cat but electronics) have SUM nan, pass `@sum >= 2`
	// (NaN compares equal), and sort first: the tenth row is the first of
	// 2.10's list, (1, books, 45).
	{file: "aggregate.jsonl", line: 26, reason: "8.x SUM over a group without numbers is nan, not 0",
		expect: expectReply([]any{int64(90), []any{"rating", "1", "cat", "books", "sum", "45", "sum2", "45", "sum2_r", "45"}})},
	// LIMIT offset>0 with num 0 (surface §2.2, aggregate_request.c, 8.0+).
	{
		applies: limitOffsetWithZeroCount,
		reason:  "8.0+ rejects LIMIT <offset> 0 with offset > 0 (2.10 answered the count)",
		expect:  expectError("The `offset` of the LIMIT must be 0 when `num` is 0"),
	},
	// Configuration names (surface §4).
	{file: "other.jsonl", line: 141, reason: "FT.CONFIG GET * lists 8.2's parameters: checked as [name, value] pairs holding the parameters other.jsonl asks for one by one", expect: func(*goldenLine) goldenExpectation {
		return goldenExpectation{check: checkConfigGetAll}
	}},
	{file: "other.jsonl", line: 142, reason: "Redis 8 registers search-* CONFIG names (7.4: empty)", expect: expectReply([]any{"search-timeout", "500"})},
	{file: "other.jsonl", line: 143, reason: "Redis 8 registers search-* CONFIG names (7.4: empty)", expect: expectReply([]any{"search-default-dialect", "1"})},
	{file: "other.jsonl", line: 144, reason: "Redis 8 registers search-* CONFIG names (7.4: empty)", expect: expectReply([]any{"search-workers", "0"})},
}

// limitOffsetWithZeroCount matches FT.SEARCH / FT.AGGREGATE lines with a
// well-formed LIMIT whose offset is positive and whose count is 0, that 2.10
// answered without an error.
func limitOffsetWithZeroCount(l *goldenLine) bool {
	if len(l.Cmd) < 3 || l.HasError {
		return false
	}
	if cmd := strings.ToUpper(l.Cmd[0]); cmd != "FT.SEARCH" && cmd != "FT.AGGREGATE" {
		return false
	}
	for i := 2; i+2 < len(l.Cmd); i++ {
		if strings.EqualFold(l.Cmd[i], "LIMIT") {
			offset, err1 := strconv.Atoi(l.Cmd[i+1])
			count, err2 := strconv.Atoi(l.Cmd[i+2])
			return err1 == nil && err2 == nil && offset > 0 && count == 0
		}
	}
	return false
}

// FT.INFO layout: 8.x adds `indexes_all` to index_definition; compareInfo
// ignores that pair and compares num_records loosely (see infoLooseKeys).

// configGetAllWanted is filled from other.jsonl's single-parameter
// FT.CONFIG GET lines before line 141 is checked.
var configGetAllWanted = map[string]any{}

func checkConfigGetAll(got any) string {
	pairs, ok := got.([]any)
	if !ok || len(pairs) == 0 {
		return "want a non-empty array of [name, value] pairs, got " + truncate(formatValue(got), 200)
	}
	have := map[string]any{}
	for i, p := range pairs {
		pair, ok := p.([]any)
		if !ok || len(pair) != 2 {
			return fmt.Sprintf("element %d is not a [name, value] pair: %s", i, truncate(formatValue(p), 200))
		}
		name, ok := pair[0].(string)
		if !ok {
			return fmt.Sprintf("element %d has a non-string name", i)
		}
		if _, ok := pair[1].(string); !ok && pair[1] != nil {
			return fmt.Sprintf("%s: value %s is neither a string nor nil", name, formatValue(pair[1]))
		}
		have[name] = pair[1]
	}
	var diffs []string
	for name, want := range configGetAllWanted {
		v, ok := have[name]
		switch {
		case !ok:
			diffs = append(diffs, name+" missing")
		case v != want:
			diffs = append(diffs, fmt.Sprintf("%s = %s, want %s", name, formatValue(v), formatValue(want)))
		}
	}
	return strings.Join(diffs, "; ")
}

func (k *knownDifference) matches(l *goldenLine) bool {
	if k.applies != nil {
		return k.applies(l)
	}
	return k.file == l.File && k.line == l.Line
}

func findKnownDifference(l *goldenLine) *knownDifference {
	for i := range goldenKnownDifferences {
		if goldenKnownDifferences[i].matches(l) {
			return &goldenKnownDifferences[i]
		}
	}
	return nil
}

// goldenRun holds the state shared by the file subtests.
type goldenRun struct {
	dir        string
	client     *goldenClient
	report     bool
	mismatches []mismatch
	summaries  []string
	gaps       map[string]string // file:line → category, the emulation's known gaps
	gapsSeen   map[string]bool
}

// goldenGapsFile lists the golden lines the emulation does not reproduce
// yet, each with its category: they are logged, not failed, and a listed
// line that starts matching fails the test until it is removed, so the list
// only shrinks. Lines differing because 8.2 differs from 2.10 are not gaps:
// they are goldenKnownDifferences, asserted with the 8.2 answer.
const goldenGapsFile = "testdata/golden-known-gaps.txt"

func gapKey(l *goldenLine) string { return fmt.Sprintf("%s:%d", l.File, l.Line) }

func loadGoldenGaps(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(goldenGapsFile)
	if err != nil {
		t.Fatalf("read %s: %v", goldenGapsFile, err)
	}
	gaps := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, category, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s: %q: want `file:line category`", goldenGapsFile, line)
		}
		gaps[key] = strings.TrimSpace(category)
	}
	return gaps
}

func TestGolden(t *testing.T) { replayGolden(t) }

// TestGoldenWorkers replays the queries (search and mutations) with the
// queries running on the worker pool: a reply must not depend on where the
// query ran. (other.jsonl is left out: it reads WORKERS back.)
func TestGoldenWorkers(t *testing.T) { replayGolden(t, "search-workers 4") }

func replayGolden(t *testing.T, config ...string) {
	dir := testutil.GoldenDir(t, testutil.GoldenSeed1)
	srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}, Config: config})
	client, err := dialGolden(srv.Addr(), goldenTimeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(client.Close)
	run := &goldenRun{dir: dir, client: client, report: os.Getenv("GOLDEN_REPORT") == "1" && len(config) == 0,
		gaps: loadGoldenGaps(t), gapsSeen: map[string]bool{}}
	if run.report {
		t.Cleanup(func() {
			goldenReportPath := filepath.Join(os.TempDir(), "golden-report.txt")
			if err := writeGoldenReport(goldenReportPath, run.summaries, run.mismatches); err != nil {
				t.Errorf("write report: %v", err)
				return
			}
			t.Logf("golden report: %d mismatches written to %s", len(run.mismatches), goldenReportPath)
		})
	}
	run.configure(t)

	t.Run("setup", run.testSetup)
	t.Run("search", func(t *testing.T) { run.replayIndependent(t, "search.jsonl") })
	t.Run("aggregate", func(t *testing.T) { run.replayIndependent(t, "aggregate.jsonl") })
	if len(config) == 0 {
		t.Run("other", func(t *testing.T) { run.replayIndependent(t, "other.jsonl") })
	}
	t.Run("mutations", run.testMutations)
}

// discardLog keeps the server's log out of the test output: the replay
// sends thousands of commands and its own report is what matters.
type discardLog struct{}

func (discardLog) Write(b []byte) (int, error) { return len(b), nil }

// configure applies the README's server configuration. 2.10 needed
// ENABLE_UNSTABLE_FEATURES around DEFAULT_SCORER; it is used here only if
// the plain SET is refused.
func (r *goldenRun) configure(t *testing.T) {
	t.Helper()
	mustOK := func(args ...string) {
		t.Helper()
		v, err := r.client.Do(args...)
		if err != nil || v != "OK" {
			t.Fatalf("%s: %v %s", formatCmd(args), err, formatValue(v))
		}
	}
	mustOK("CONFIG", "SET", "hash-max-listpack-value", "4096")
	if v, err := r.client.Do("FT.CONFIG", "SET", "DEFAULT_SCORER", "BM25STD"); err != nil || v != "OK" {
		mustOK("FT.CONFIG", "SET", "ENABLE_UNSTABLE_FEATURES", "true")
		mustOK("FT.CONFIG", "SET", "DEFAULT_SCORER", "BM25STD")
		mustOK("FT.CONFIG", "SET", "ENABLE_UNSTABLE_FEATURES", "false")
	}
	v, err := r.client.Do("FT.CONFIG", "GET", "DEFAULT_SCORER")
	if want := []any{[]any{"DEFAULT_SCORER", "BM25STD"}}; err != nil || compareReply(want, v, compareRules{}) != "" {
		t.Fatalf("FT.CONFIG GET DEFAULT_SCORER: %v %s, want %s", err, formatValue(v), formatValue(want))
	}
}

func (r *goldenRun) load(t *testing.T, name string) []goldenLine {
	t.Helper()
	lines, err := loadGoldenFile(filepath.Join(r.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// testSetup pipelines setup.jsonl and waits until the three indexes are
// built. Its commands carry no recorded replies: each must simply succeed.
func (r *goldenRun) testSetup(t *testing.T) {
	lines := r.load(t, "setup.jsonl")
	cmds := make([][]string, len(lines))
	for i := range lines {
		cmds[i] = lines[i].Cmd
	}
	start := time.Now()
	replies, err := r.client.Pipeline(cmds, 500)
	if err != nil {
		t.Fatalf("setup pipeline broke after %d replies: %v", len(replies), err)
	}
	failed := 0
	for i, v := range replies {
		if e, ok := v.(errorReply); ok {
			failed++
			if failed <= 10 {
				t.Errorf("setup.jsonl:%d %s: %s", lines[i].Line, truncate(formatCmd(lines[i].Cmd), 120), e)
			}
		}
	}
	for _, idx := range []string{"idx", "idx2", "idx3"} {
		if err := r.waitIndexed(idx); err != nil {
			t.Fatalf("wait for %s: %v", idx, err)
		}
	}
	r.summarize(t, "setup.jsonl", len(lines)-failed, len(lines), 0)
	t.Logf("setup took %v", time.Since(start))
}

// waitIndexed polls FT.INFO until indexing is 0 and percent_indexed is 1.
func (r *goldenRun) waitIndexed(index string) error {
	deadline := time.Now().Add(waitIndexedLimit)
	for {
		v, err := r.client.Do("FT.INFO", index)
		if err != nil {
			return err
		}
		if e, ok := v.(errorReply); ok {
			return fmt.Errorf("FT.INFO %s: %s", index, e)
		}
		m, ok := infoPairs(v)
		if !ok {
			return fmt.Errorf("FT.INFO %s: not a key/value array: %s", index, truncate(formatValue(v), 200))
		}
		indexing, _ := asNumber(m["indexing"])
		percent, _ := asNumber(m["percent_indexed"])
		if indexing == 0 && percent == 1 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still indexing after %v (indexing %v, percent_indexed %v)", waitIndexedLimit, m["indexing"], m["percent_indexed"])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// replayIndependent runs a file whose lines do not change data.
func (r *goldenRun) replayIndependent(t *testing.T, name string) {
	lines := r.load(t, name)
	if name == "other.jsonl" {
		collectConfigGetAllWanted(lines)
	}
	r.replay(t, name, lines)
}

// collectConfigGetAllWanted remembers the single-parameter FT.CONFIG GET
// replies (canonical upper-case names only) for the FT.CONFIG GET * check.
func collectConfigGetAllWanted(lines []goldenLine) {
	for i := range lines {
		l := &lines[i]
		if len(l.Cmd) != 3 || !strings.EqualFold(l.Cmd[0], "FT.CONFIG") || l.Cmd[2] == "*" || l.Cmd[2] != strings.ToUpper(l.Cmd[2]) {
			continue
		}
		if pairs, ok := l.Reply.([]any); ok && len(pairs) == 1 {
			if pair, ok := pairs[0].([]any); ok && len(pair) == 2 {
				configGetAllWanted[l.Cmd[2]] = pair[1]
			}
		}
	}
}

// testMutations runs mutations.jsonl in order, with its sleep and
// wait_indexed steps.
func (r *goldenRun) testMutations(t *testing.T) {
	r.replay(t, "mutations.jsonl", r.load(t, "mutations.jsonl"))
}

// replay runs lines in order, one subtest each, and logs the match count.
func (r *goldenRun) replay(t *testing.T, name string, lines []goldenLine) {
	start := time.Now()
	matched, known := 0, 0
	for i := range lines {
		l := &lines[i]
		kd := findKnownDifference(l)
		if kd != nil {
			known++
		}
		t.Run(lineTestName(l), func(t *testing.T) {
			if r.runLine(t, l, kd) {
				matched++
			}
		})
	}
	r.summarize(t, name, matched, len(lines), known)
	t.Logf("%s took %v", name, time.Since(start))
}

func (r *goldenRun) summarize(t *testing.T, name string, matched, total, known int) {
	t.Helper()
	s := fmt.Sprintf("%s: %d of %d lines match", name, matched, total)
	if known > 0 {
		s += fmt.Sprintf(" (%d checked against a known 8.2 difference)", known)
	}
	r.summaries = append(r.summaries, s)
	t.Log(s)
}

// lineTestName is the line number and a short prefix of the command.
func lineTestName(l *goldenLine) string {
	desc := ""
	switch {
	case l.Sleep > 0:
		desc = fmt.Sprintf("sleep %gs", l.Sleep)
	case l.WaitIndexed != "":
		desc = "wait_indexed " + l.WaitIndexed
	default:
		desc = strings.Join(l.Cmd, " ")
	}
	desc = strings.Map(func(c rune) rune {
		if c == '/' || c < ' ' {
			return '_'
		}
		return c
	}, desc)
	if len(desc) > 40 {
		desc = desc[:40]
	}
	return fmt.Sprintf("L%04d %s", l.Line, desc)
}

// runLine runs one line and reports whether it matched.
func (r *goldenRun) runLine(t *testing.T, l *goldenLine, kd *knownDifference) bool {
	switch {
	case l.Sleep > 0:
		time.Sleep(time.Duration(l.Sleep * float64(time.Second)))
		return true
	case l.WaitIndexed != "":
		if err := r.waitIndexed(l.WaitIndexed); err != nil {
			r.fail(t, mismatch{line: l, category: "wait_indexed failed", diff: err.Error()})
			return false
		}
		return true
	}
	got, err := r.client.Do(l.Cmd...)
	want := l.expectedOf()
	var diff string
	switch {
	case err != nil:
		diff = "transport: " + err.Error()
	case kd != nil:
		exp := kd.expect(l)
		switch {
		case exp.check != nil:
			diff = exp.check(got)
			want = "<check: " + kd.reason + ">"
		case exp.err != "":
			want = errorReply(exp.err)
			diff = compareReply(want, got, compareRules{})
		default:
			want = exp.reply
			diff = compareReply(want, got, rulesFor(l))
		}
		if diff != "" {
			diff = "known 8.2 difference (" + kd.reason + "): " + diff
		}
	case len(l.CompareKeys) > 0 && !l.HasError:
		if _, isErr := got.(errorReply); isErr {
			diff = differs("", want, got)
		} else {
			diff = compareInfo(want, got, l.CompareKeys)
		}
	default:
		diff = compareReply(want, got, rulesFor(l))
	}
	if diff == "" {
		if gap, ok := r.gaps[gapKey(l)]; ok {
			t.Errorf("%s:%d now matches: remove it from %s (it was listed as %q)", l.File, l.Line, goldenGapsFile, gap)
		}
		return true
	}
	r.fail(t, mismatch{line: l, category: classify(l, want, got, err), diff: diff, want: want, got: got})
	return false
}

func (r *goldenRun) fail(t *testing.T, m mismatch) {
	t.Helper()
	r.mismatches = append(r.mismatches, m)
	if gap, ok := r.gaps[gapKey(m.line)]; ok {
		// A known gap of the emulation, listed with its category in
		// testdata/golden-known-gaps.txt: reported, not failed.
		r.gapsSeen[gapKey(m.line)] = true
		t.Logf("known gap (%s): %s", gap, truncate(m.diff, 200))
		return
	}
	if r.report {
		t.Errorf("[%s] %s", m.category, truncate(m.diff, 200))
		return
	}
	t.Errorf("%s:%d %s\n  category: %s\n  diff: %s\n  want: %s\n  got:  %s",
		m.line.File, m.line.Line, truncate(formatCmd(m.line.Cmd), 300), m.category, m.diff,
		truncate(formatValue(m.want), 500), truncate(formatValue(m.got), 500))
}

// TestGoldenCompareRules pins the comparison rules the replay relies on, so
// that a loosened rule shows up here rather than as silently passing lines.
func TestGoldenCompareRules(t *testing.T) {
	search := &goldenLine{Cmd: []string{"FT.SEARCH", "idx", "q", "WITHSCORES"}}
	aggregate := &goldenLine{Cmd: []string{"FT.AGGREGATE", "idx", "*", "GROUPBY", "1", "@cat", "REDUCE", "TOLIST", "1", "@tags"}}
	tests := []struct {
		name      string
		line      *goldenLine
		want, got any
		match     bool
	}{
		{"score printed %.17g vs shortest", search, []any{int64(1), "d:1", "1.2916553536406283"}, []any{int64(1), "d:1", "1.291655353640628"}, true},
		{"score off by 1e-6", search, []any{int64(1), "d:1", "1.29165"}, []any{int64(1), "d:1", "1.291651"}, false},
		{"field values stay exact", search, []any{int64(1), "d:1", "1", []any{"price", "1.0"}}, []any{int64(1), "d:1", "1", []any{"price", "1"}}, false},
		{"no tolerance without WITHSCORES", &goldenLine{Cmd: []string{"FT.SEARCH", "idx", "q"}}, []any{int64(1), "1.0"}, []any{int64(1), "1"}, false},
		{"order is exact", search, []any{int64(2), "a", "b"}, []any{int64(2), "b", "a"}, false},
		{"integer vs string", search, []any{int64(1)}, []any{"1"}, false},
		{"nil vs empty string", search, []any{nil}, []any{""}, false},
		{"error text", search, errorReply("No such index x"), errorReply("x: no such index"), false},
		{"TOLIST as multiset", aggregate, []any{int64(1), []any{"cat", "a", "__generated_aliastolisttags", []any{"x", "y"}}}, []any{int64(1), []any{"cat", "a", "__generated_aliastolisttags", []any{"y", "x"}}}, true},
		{"TOLIST counts duplicates", aggregate, []any{int64(1), []any{"__generated_aliastolisttags", []any{"x", "x"}}}, []any{int64(1), []any{"__generated_aliastolisttags", []any{"x", "y"}}}, false},
		{"aggregate 12 digits vs 17", aggregate, []any{int64(1), []any{"avg", "2.33333333333"}}, []any{int64(1), []any{"avg", "2.3333333333333335"}}, true},
		{"aggregate number off by 1e-6", aggregate, []any{int64(1), []any{"avg", "2.333333"}}, []any{int64(1), []any{"avg", "2.333336"}}, false},
		{"unordered set", &goldenLine{Cmd: []string{"FT._LIST"}, Unordered: true}, []any{"a", "b"}, []any{"b", "a"}, true},
		{"unordered set sizes", &goldenLine{Cmd: []string{"FT._LIST"}, Unordered: true}, []any{"a", "b"}, []any{"b", "a", "a"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := compareReply(tc.want, tc.got, rulesFor(tc.line))
			if (d == "") != tc.match {
				t.Errorf("match = %v (diff %q), want %v", d == "", d, tc.match)
			}
		})
	}

	info := func(extra ...any) any {
		return append([]any{"index_name", "idx", "index_definition", []any{"key_type", "HASH", "prefixes", []any{"doc:"}, "default_score", "1"},
			"percent_indexed", "1", "num_records", int64(1000), "inverted_sz_mb", "0.5"}, extra...)
	}
	keys := []string{"index_name", "index_definition", "percent_indexed", "num_records"}
	got := []any{"index_name", "idx", "index_definition", []any{"key_type", "HASH", "prefixes", []any{"doc:"}, "default_score", "1", "indexes_all", "false"},
		"percent_indexed", int64(1), "num_records", int64(1050), "inverted_sz_mb", "9"}
	if d := compareInfo(info(), got, keys); d != "" {
		t.Errorf("FT.INFO with indexes_all, numeric percent_indexed, num_records +5%%: %s", d)
	}
	got[7] = int64(1500)
	if d := compareInfo(info(), got, keys); d == "" {
		t.Error("FT.INFO num_records +50% matched")
	}
}

// TestGoldenTolistAliases checks the TOLIST output names derived from the
// commands against the recorded rows, so that the multiset rule applies to
// the right values once FT.AGGREGATE runs.
func TestGoldenTolistAliases(t *testing.T) {
	lines, err := loadGoldenFile(testutil.GoldenFile(t, testutil.GoldenSeed1, "aggregate.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := range lines {
		l := &lines[i]
		aliases := tolistAliases(l.Cmd)
		rows, ok := l.Reply.([]any)
		if len(aliases) == 0 || !ok || len(rows) < 2 {
			continue
		}
		row, _ := infoPairs(rows[1])
		for alias := range aliases {
			if _, ok := row[alias].([]any); !ok {
				t.Errorf("aggregate.jsonl:%d: TOLIST alias %q is not an array in the first row %s", l.Line, alias, truncate(formatValue(rows[1]), 200))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no TOLIST reducer found in aggregate.jsonl")
	}
}
