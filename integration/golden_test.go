package integration

import (
	"fmt"
	"os"
	"path/filepath"
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

// goldenCorpus is one recorded corpus and its ledger of the lines the
// emulation does not reproduce yet (golden_ledger_test.go).
type goldenCorpus struct {
	name     string // directory under ../shared/golden
	gapsFile string
	// maxGaps is the committed size of the ledger: it only goes down.
	maxGaps int
}

var goldenCorpora = []goldenCorpus{
	{name: testutil.GoldenSeed1, gapsFile: "testdata/golden-known-gaps.txt", maxGaps: 2},
	{name: testutil.GoldenSeed3, gapsFile: "testdata/golden-known-gaps-seed3.txt", maxGaps: 8},
	{name: testutil.GoldenVectors, gapsFile: "testdata/golden-known-gaps-vectors.txt", maxGaps: 1},
}

// goldenQueryFiles are the files whose lines run on their own, in any order
// (each corpus README's "Replay"); TestGoldenWorkers runs them on the pool.
var goldenQueryFiles = map[string]bool{"search.jsonl": true, "aggregate.jsonl": true}

// goldenRun holds the state shared by the file subtests.
type goldenRun struct {
	corpus     *goldenCorpus
	plan       goldenPlan
	client     *goldenClient
	report     bool
	files      map[string][]goldenLine
	facts      *corpusFacts
	gaps       map[string]*goldenGap
	mismatches []mismatch
	summaries  []string
}

func TestGolden(t *testing.T) {
	for i := range goldenCorpora {
		t.Run(goldenCorpora[i].name, func(t *testing.T) { replayGolden(t, &goldenCorpora[i], false) })
	}
}

// TestGoldenWorkers replays the queries (search and mutations) with the
// queries running on the worker pool: a reply must not depend on where the
// query ran, and the pool must have run them. (other.jsonl is left out: it
// reads WORKERS back.)
func TestGoldenWorkers(t *testing.T) {
	for i := range goldenCorpora {
		t.Run(goldenCorpora[i].name, func(t *testing.T) { replayGolden(t, &goldenCorpora[i], true) })
	}
}

func replayGolden(t *testing.T, corpus *goldenCorpus, workers bool) {
	plan := loadPlan(t, corpus.name)
	names := []string{"setup.jsonl"}
	for _, f := range plan.Files {
		names = append(names, f+".jsonl")
	}
	run := &goldenRun{corpus: corpus, plan: plan, report: os.Getenv("GOLDEN_REPORT") == "1" && !workers,
		files: loadCorpus(t, corpus.name, names...)}
	run.facts = newCorpusFacts(corpus.name, run.files["setup.jsonl"], run.files["other.jsonl"])
	run.facts.workers = workers
	gaps, err := loadLedger(corpus.gapsFile)
	if err != nil {
		t.Fatal(err)
	}
	run.gaps = gaps
	checkLedgerKeys(t, corpus, gaps, run.files)

	// With workers, the corpus is loaded before the pool starts: HNSW
	// inserts then run in order on the main thread (the module writes in
	// place at WORKERS 0), so the graph, and every approximate answer, is
	// the one the recordings were made from; tiered inserts racing on four
	// workers would build another graph each run.
	srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}, LogOutput: discardLog{}})
	client, err := dialGolden(srv.Addr(), goldenTimeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(client.Close)
	run.client = client
	if run.report {
		t.Cleanup(func() {
			path := filepath.Join(os.TempDir(), "golden-report-"+corpus.name+".txt")
			if err := writeGoldenReport(path, corpus.name, run.summaries, run.mismatches); err != nil {
				t.Errorf("write report: %v", err)
				return
			}
			t.Logf("golden report: %d mismatches written to %s", len(run.mismatches), path)
		})
	}
	run.configure(t)

	t.Run("setup", run.testSetup)
	if workers {
		if v, err := run.client.Do("CONFIG", "SET", "search-workers", "4"); err != nil || v != "OK" {
			t.Fatalf("CONFIG SET search-workers 4: %v %s", err, formatValue(v))
		}
	}
	// The files run in the plan's order. With workers, the query files run
	// together on the pool, and other.jsonl is left out.
	pooled := false
	for _, f := range plan.Files {
		name := f + ".jsonl"
		switch {
		case workers && goldenQueryFiles[name] && !pooled:
			pooled = true
			t.Run("queries on the pool", func(t *testing.T) {
				before := run.jobsDone(t)
				answered := 0
				for _, q := range plan.Files {
					if goldenQueryFiles[q+".jsonl"] {
						answered += run.replay(t, q+".jsonl")
					}
				}
				if done := run.jobsDone(t) - before; done < int64(answered) {
					t.Errorf("the worker pool ran %d jobs for %d queries answered without an error: queries ran on the main thread", done, answered)
				}
			})
		case workers && (goldenQueryFiles[name] || name == "other.jsonl"):
		default:
			t.Run(f, func(t *testing.T) { run.replay(t, name) })
		}
	}
}

// loadPlan reads a corpus's replay plan (meta.json).
func loadPlan(t *testing.T, corpus string) goldenPlan {
	t.Helper()
	plan, err := loadGoldenPlan(testutil.GoldenDir(t, corpus))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// loadCorpus reads the named files of a corpus (base name → lines), binary
// values decoded as its replay plan says.
func loadCorpus(t *testing.T, corpus string, names ...string) map[string][]goldenLine {
	t.Helper()
	dir := testutil.GoldenDir(t, corpus)
	binary := loadPlan(t, corpus).Binary == "b64"
	files := map[string][]goldenLine{}
	for _, name := range names {
		lines, err := loadGoldenFile(filepath.Join(dir, name), binary)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = lines
	}
	return files
}

// jobsDone reads totalJobsDone of FT.DEBUG WORKERS STATS.
func (r *goldenRun) jobsDone(t *testing.T) int64 {
	t.Helper()
	v, err := r.client.Do("FT.DEBUG", "WORKERS", "STATS")
	if err != nil {
		t.Fatal(err)
	}
	m, ok := infoPairs(v)
	n, isInt := m["totalJobsDone"].(int64)
	if !ok || !isInt {
		t.Fatalf("FT.DEBUG WORKERS STATS: %s", truncate(formatValue(v), 300))
	}
	return n
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

// testSetup pipelines setup.jsonl and waits until the three indexes are
// built. Its commands carry no recorded replies; each reply is derived from
// the commands (setupReplies).
func (r *goldenRun) testSetup(t *testing.T) {
	lines := r.files["setup.jsonl"]
	cmds := make([][]string, len(lines))
	for i := range lines {
		cmds[i] = lines[i].Cmd
	}
	want, err := setupReplies(cmds)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	replies, err := r.client.Pipeline(cmds, 500)
	if err != nil {
		t.Fatalf("setup pipeline broke after %d replies: %v", len(replies), err)
	}
	failed := 0
	for i, v := range replies {
		if d := compareReply(want[i], v, compareRules{}); d != "" {
			if failed++; failed <= 10 {
				t.Errorf("setup.jsonl:%d %s: %s", lines[i].Line, truncate(formatCmd(lines[i].Cmd), 120), d)
			}
		}
	}
	if failed > 10 {
		t.Errorf("setup.jsonl: %d more replies differ", failed-10)
	}
	indexes := r.plan.Indexes
	if len(indexes) == 0 {
		for idx := range r.facts.schemas {
			indexes = append(indexes, idx)
		}
	}
	for _, idx := range indexes {
		if err := r.waitIndexed(idx); err != nil {
			t.Fatalf("wait for %s: %v", idx, err)
		}
	}
	summary := fmt.Sprintf("setup.jsonl: %d of %d replies are the ones derived from the commands (the file records none)", len(lines)-failed, len(lines))
	r.summaries = append(r.summaries, summary)
	t.Log(summary)
	t.Logf("setup took %v", time.Since(start))
}

// setupReplies derives the reply of each setup command: FLUSHALL and
// FT.CREATE answer OK, HSET the number of fields new to the key (the
// setup starts with FLUSHALL, so a key's fields are those of its earlier
// HSETs).
func setupReplies(cmds [][]string) ([]any, error) {
	fields := map[string]map[string]bool{}
	want := make([]any, len(cmds))
	for i, cmd := range cmds {
		switch strings.ToUpper(cmd[0]) {
		case "FLUSHALL":
			fields = map[string]map[string]bool{}
			want[i] = "OK"
		case "FT.CREATE":
			want[i] = "OK"
		case "HSET":
			have := fields[cmd[1]]
			if have == nil {
				have = map[string]bool{}
				fields[cmd[1]] = have
			}
			added := int64(0)
			for j := 2; j+1 < len(cmd); j += 2 {
				if !have[cmd[j]] {
					have[cmd[j]] = true
					added++
				}
			}
			want[i] = added
		default:
			return nil, fmt.Errorf("setup.jsonl: no rule derives the reply of %s", formatCmd(cmd))
		}
	}
	return want, nil
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

// replay runs a file's lines in order, one subtest each, logs the match
// count and returns the number of queries (FT.SEARCH, FT.AGGREGATE)
// answered without an error.
func (r *goldenRun) replay(t *testing.T, name string) int {
	start := time.Now()
	lines := r.files[name]
	matched, known, answered := 0, 0, 0
	for i := range lines {
		l := &lines[i]
		kd := findKnownDifference(l, r.facts)
		if kd != nil {
			known++
		}
		t.Run(lineTestName(l), func(t *testing.T) {
			defer r.facts.observe(l)
			ok, got := r.runLine(t, l, kd)
			if ok {
				matched++
			}
			if _, isErr := got.(errorReply); isQueryCommand(l) && got != nil && !isErr {
				answered++
			}
		})
	}
	r.summarize(t, name, matched, len(lines), known)
	t.Logf("%s took %v", name, time.Since(start))
	return answered
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

// runLine runs one line and reports whether it matched, with the reply.
// A line that differs fails the test unless the corpus's ledger records
// that very difference.
func (r *goldenRun) runLine(t *testing.T, l *goldenLine, kd *knownDifference) (bool, any) {
	switch {
	case l.Sleep > 0:
		time.Sleep(time.Duration(l.Sleep * float64(time.Second)))
		return true, nil
	case l.WaitIndexed != "":
		if err := r.waitIndexed(l.WaitIndexed); err != nil {
			t.Errorf("%s:%d wait_indexed %s: %v", l.File, l.Line, l.WaitIndexed, err)
			return false, nil
		}
		return true, nil
	}
	got, err := r.client.Do(l.Cmd...)
	want := l.expectedOf()
	var diff string
	switch {
	case err != nil:
		diff = "transport: " + err.Error()
	case kd != nil:
		exp := kd.expect(l, r.facts)
		switch {
		case exp.check != nil:
			diff = exp.check(got)
			want = "<check: " + kd.reason + ">"
		case exp.err != "":
			want = errorReply(exp.err)
			diff = compareReply(want, got, compareRules{})
		default:
			want = exp.reply
			diff = compareReply(want, got, rulesFor(l, r.facts.cosine))
		}
		for _, cmd := range exp.then {
			v, err := r.client.Do(cmd...)
			if d := compareReply("OK", v, compareRules{}); (err != nil || d != "") && diff == "" {
				diff = fmt.Sprintf("then %s: %v %s", formatCmd(cmd), err, d)
			}
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
		diff = compareReply(want, got, rulesFor(l, r.facts.cosine))
	}
	key := gapKey(l)
	var m mismatch
	if diff != "" {
		m = mismatch{line: l, category: classify(l, want, got, err), diff: diff, want: want, got: got}
		m.digest = gapDigest(want, got)
		r.mismatches = append(r.mismatches, m)
	}
	problem := checkGap(r.gaps[key], key, diff, m.category, m.digest)
	switch {
	case problem == "" && diff != "":
		t.Logf("in the ledger (%s): %s", r.gaps[key].cause, truncate(diff, 200))
	case problem != "" && diff == "":
		t.Errorf("%s: %s", r.corpus.gapsFile, problem)
	case problem != "" && r.report:
		t.Errorf("[%s] %s", m.category, truncate(diff, 200))
	case problem != "":
		t.Errorf("%s %s\n  %s\n  diff: %s\n  want: %s\n  got:  %s",
			key, truncate(formatCmd(l.Cmd), 300), problem, diff,
			truncate(formatValue(want), 500), truncate(formatValue(got), 500))
	}
	return diff == "", got
}

// TestGoldenCompareRules pins the comparison rules the replay relies on, so
// that a loosened rule shows up here rather than as silently passing lines.
func TestGoldenCompareRules(t *testing.T) {
	search := &goldenLine{Cmd: []string{"FT.SEARCH", "idx", "q", "WITHSCORES"}}
	aggregate := &goldenLine{Cmd: []string{"FT.AGGREGATE", "idx", "*", "GROUPBY", "1", "@cat", "REDUCE", "TOLIST", "1", "@tags"}}
	type ruleCase struct {
		name      string
		line      *goldenLine
		want, got any
		match     bool
	}
	tests := []ruleCase{
		{"score printed %.17g vs shortest", search, []any{int64(1), "d:1", "1.2916553536406283"}, []any{int64(1), "d:1", "1.291655353640628"}, true},
		{"score off by 1e-6", search, []any{int64(1), "d:1", "1.29165"}, []any{int64(1), "d:1", "1.291651"}, false},
		// search.jsonl:199, the widest difference of both corpora: 2 ulps.
		{"score 2 ulps apart", search, []any{int64(1), "d:1", "7.266950369059989"}, []any{int64(1), "d:1", "7.266950369059991"}, true},
		{"score 3 ulps apart", search, []any{int64(1), "d:1", "7.266950369059989"}, []any{int64(1), "d:1", "7.2669503690599915"}, false},
		{"score off by 1e-12", search, []any{int64(1), "d:1", "7.266950369059989"}, []any{int64(1), "d:1", "7.266950369060989"}, false},
		{"score sign", search, []any{int64(1), "d:1", "0"}, []any{int64(1), "d:1", "-0"}, true},
		{"score nan", search, []any{int64(1), "d:1", "nan"}, []any{int64(1), "d:1", "0"}, false},
		{"field values stay exact", search, []any{int64(1), "d:1", "1", []any{"price", "1.0"}}, []any{int64(1), "d:1", "1", []any{"price", "1"}}, false},
		{"no tolerance without WITHSCORES", &goldenLine{Cmd: []string{"FT.SEARCH", "idx", "q"}}, []any{int64(1), "1.0"}, []any{int64(1), "1"}, false},
		{"order is exact", search, []any{int64(2), "a", "b"}, []any{int64(2), "b", "a"}, false},
		{"integer vs string", search, []any{int64(1)}, []any{"1"}, false},
		{"nil vs empty string", search, []any{nil}, []any{""}, false},
		{"error text", search, errorReply("No such index x"), errorReply("x: no such index"), false},
		{"TOLIST as multiset", aggregate, []any{int64(1), []any{"cat", "a", "__generated_aliastolisttags", []any{"x", "y"}}}, []any{int64(1), []any{"cat", "a", "__generated_aliastolisttags", []any{"y", "x"}}}, true},
		{"TOLIST counts duplicates", aggregate, []any{int64(1), []any{"__generated_aliastolisttags", []any{"x", "x"}}}, []any{int64(1), []any{"__generated_aliastolisttags", []any{"x", "y"}}}, false},
		// FT.AGGREGATE prints %.12g in the module: its values compare exactly.
		{"aggregate 12 digits vs 17", aggregate, []any{int64(1), []any{"avg", "2.33333333333"}}, []any{int64(1), []any{"avg", "2.3333333333333335"}}, false},
		{"aggregate 1 vs 1.0", aggregate, []any{int64(1), []any{"avg", "1"}}, []any{int64(1), []any{"avg", "1.0"}}, false},
		{"aggregate number off by 1e-15", aggregate, []any{int64(1), []any{"avg", "2.33333333333"}}, []any{int64(1), []any{"avg", "2.333333333330001"}}, false},
		{"unordered set", &goldenLine{Cmd: []string{"FT._LIST"}, Unordered: true}, []any{"a", "b"}, []any{"b", "a"}, true},
		{"unordered set sizes", &goldenLine{Cmd: []string{"FT._LIST"}, Unordered: true}, []any{"a", "b"}, []any{"b", "a", "a"}, false},
	}
	// The vectors corpus's schema (its README, "Data"): vh is its only
	// FLOAT32 COSINE field; vf (FLOAT32 L2) and vd (FLOAT64 IP) are exact.
	cosine := float32CosineFields([]goldenLine{{Cmd: strings.Fields("FT.CREATE vidx ON HASH PREFIX 1 vec: SCHEMA title TEXT cat TAG price NUMERIC SORTABLE " +
		"vf VECTOR FLAT 6 TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2 " +
		"vh VECTOR HNSW 10 TYPE FLOAT32 DIM 8 DISTANCE_METRIC COSINE M 16 EF_CONSTRUCTION 200 " +
		"vd VECTOR FLAT 6 TYPE FLOAT64 DIM 4 DISTANCE_METRIC IP")}})
	if len(cosine) != 1 || len(cosine["vidx"]) != 1 || !cosine["vidx"]["vh"] {
		t.Fatalf("FLOAT32 COSINE fields of the README's schema: %v, want vidx: vh", cosine)
	}
	vsearch := func(q string, args ...string) *goldenLine {
		return &goldenLine{Cmd: append([]string{"FT.SEARCH", "vidx", q}, args...)}
	}
	vaggregate := func(q string, args ...string) *goldenLine {
		return &goldenLine{Cmd: append([]string{"FT.AGGREGATE", "vidx", q}, args...)}
	}
	doc := func(fields ...any) any { return []any{int64(1), "vec:1", fields} }
	row := func(fields ...any) any { return []any{int64(1), fields} }
	// 0.0764889121056 and 0.0764879121056 are 1e-6 apart (9.99999999987e-7
	// as doubles); 0.102056026459 and 0.102066026459 1e-5 apart.
	const near, nearBy1e6, nearBy15e7, nearBy1e5 = "0.0764889121056", "0.0764879121056", "0.0764904121056", "0.0764989121056"
	tests = append(tests, []ruleCase{
		{"vh KNN AS: 1e-6 apart", vsearch("*=>[KNN 3 @vh $B AS d]"), doc("d", near), doc("d", nearBy1e6), true},
		{"vh KNN AS: 1.5e-6 apart", vsearch("*=>[KNN 3 @vh $B AS d]"), doc("d", near), doc("d", nearBy15e7), false},
		{"vh KNN AS: 1e-5 apart", vsearch("*=>[KNN 3 @vh $B AS d]"), doc("d", near), doc("d", nearBy1e5), false},
		{"vh distance of a vector to itself", vsearch("*=>[KNN 3 @vh $B AS d]"), doc("d", "5.96046447754e-08"), doc("d", "0"), true},
		{"vh KNN lower case, EF_RUNTIME", vsearch("@cat:{red}=>[knn $K @vh $vec EF_RUNTIME 20 as dist]"), doc("dist", near, "title", "x"), doc("dist", nearBy1e6, "title", "x"), true},
		{"vh KNN YIELD_DISTANCE_AS", vsearch("*=>[KNN $K @vh $vec EF_RUNTIME 20]=>{$YIELD_DISTANCE_AS: knn_d}"), doc("knn_d", near), doc("knn_d", nearBy1e6), true},
		{"vh KNN default name", vsearch("*=>[KNN 5 @vh $B]"), doc("__vh_score", near), doc("__vh_score", nearBy1e6), true},
		{"vh VECTOR_RANGE YIELD_DISTANCE_AS", vsearch("@vh:[VECTOR_RANGE $r $B]=>{$EPSILON: 0.01; $YIELD_DISTANCE_AS: score}"), doc("score", near), doc("score", nearBy1e6), true},
		{"vh VECTOR_RANGE yields no __vh_score", vsearch("@vh:[VECTOR_RANGE $r $B]"), doc("__vh_score", near), doc("__vh_score", nearBy1e6), false},
		{"vf KNN stays exact", vsearch("*=>[KNN 3 @vf $B AS d]"), doc("d", near), doc("d", nearBy1e6), false},
		{"vd KNN stays exact", vsearch("*=>[KNN 3 @vd $B AS d]"), doc("d", near), doc("d", nearBy1e6), false},
		{"vf VECTOR_RANGE stays exact", vsearch("@vf:[VECTOR_RANGE 1 $B]=>{$YIELD_DISTANCE_AS: d}"), doc("d", near), doc("d", nearBy1e6), false},
		{"vf distance beside a vh one stays exact", vsearch("@vh:[VECTOR_RANGE 0.3 $B]=>{$YIELD_DISTANCE_AS: a} @vf:[VECTOR_RANGE 1 $C]=>{$YIELD_DISTANCE_AS: b}"), doc("a", near, "b", near), doc("a", nearBy1e6, "b", nearBy1e6), false},
		{"other fields of a vh line stay exact", vsearch("*=>[KNN 3 @vh $B AS d]"), doc("d", near, "price", near), doc("d", near, "price", nearBy1e6), false},
		{"another index's vh is not COSINE", &goldenLine{Cmd: []string{"FT.SEARCH", "other", "*=>[KNN 3 @vh $B AS d]"}}, doc("d", near), doc("d", nearBy1e6), false},
		{"the document id is not a distance", vsearch("*=>[KNN 3 @vh $B AS d]"), []any{int64(1), "0.1"}, []any{int64(1), "0.1000001"}, false},
		{"vh aggregate row", vaggregate("*=>[KNN 10 @vh $B AS dist]"), row("dist", near), row("dist", nearBy1e6), true},
		{"vh aggregate MIN reducer", vaggregate("*=>[KNN 5 @vh $B AS score]", "GROUPBY", "1", "@cat", "REDUCE", "MIN", "1", "@score", "AS", "best"), row("cat", "red", "best", near), row("cat", "red", "best", nearBy1e6), true},
		{"vh aggregate COUNT stays exact", vaggregate("*=>[KNN 5 @vh $B AS score]", "GROUPBY", "1", "@cat", "REDUCE", "COUNT", "0", "AS", "best"), row("best", "1"), row("best", "1.0000001"), false},
		{"vh aggregate APPLY stays exact", vaggregate("*=>[KNN 10 @vh $B AS score]", "APPLY", "@score * 2", "AS", "twice"), row("score", near, "twice", near), row("score", near, "twice", nearBy1e6), false},
		{"vf aggregate MIN stays exact", vaggregate("*=>[KNN 5 @vf $B AS score]", "GROUPBY", "1", "@cat", "REDUCE", "MIN", "1", "@score", "AS", "best"), row("best", near), row("best", nearBy1e6), false},
	}...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := compareReply(tc.want, tc.got, rulesFor(tc.line, cosine))
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
		"percent_indexed", int64(1), "num_records", "1000", "inverted_sz_mb", "9"}
	if d := compareInfo(info(), got, keys); d != "" {
		t.Errorf("FT.INFO with indexes_all, numeric percent_indexed, num_records as a string: %s", d)
	}
	got[7] = int64(1001)
	if d := compareInfo(info(), got, keys); d == "" {
		t.Error("FT.INFO num_records 1001 for 1000 matched")
	}
}

// TestGoldenTolistAliases checks the TOLIST output names derived from the
// commands against the recorded rows, so that the multiset rule applies to
// the right values once FT.AGGREGATE runs.
func TestGoldenTolistAliases(t *testing.T) {
	lines, err := loadGoldenFile(testutil.GoldenFile(t, testutil.GoldenSeed1, "aggregate.jsonl"), false)
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

// TestGoldenBinaryValues checks the loader's reading of {"b64": ...}
// values (the vectors corpus's README, "Binary values"): decoded to their
// bytes in commands and in replies, an error nested in an array still an
// error, and refused in a corpus whose plan has no binary encoding.
func TestGoldenBinaryValues(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.jsonl")
	lines := `["HSET","vec:1","title","canyon canyon","vf",{"b64":"AAAoPwAAKL8AAMC9AAA4Pw=="}]
{"cmd":["FT.SEARCH","vidx","*","PARAMS","2","B",{"b64":"AACAPw=="}],"reply":[1,"vec:1",["vf",{"b64":"AACAPw=="},"t","x"]]}
{"cmd":["FT.AGGREGATE","vidx","*"],"reply":[1,[{"error":"Timeout limit was reached"}]]}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := loadGoldenFile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	// vec:1's vf: the little-endian float32s 0.65625, -0.65625, -0.09375,
	// 0.71875 (0x3f280000, 0xbf280000, 0xbdc00000, 0x3f380000).
	vf := string([]byte{0, 0, 0x28, 0x3f, 0, 0, 0x28, 0xbf, 0, 0, 0xc0, 0xbd, 0, 0, 0x38, 0x3f})
	if want := []string{"HSET", "vec:1", "title", "canyon canyon", "vf", vf}; strings.Join(got[0].Cmd, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("setup line: %q, want %q", got[0].Cmd, want)
	}
	one := string([]byte{0, 0, 0x80, 0x3f}) // float32 1
	if got[1].Cmd[6] != one {
		t.Errorf("PARAMS blob: %q, want %q", got[1].Cmd[6], one)
	}
	if d := compareReply([]any{int64(1), "vec:1", []any{"vf", one, "t", "x"}}, got[1].Reply, compareRules{}); d != "" {
		t.Errorf("reply with a blob: %s", d)
	}
	if d := compareReply([]any{int64(1), []any{errorReply("Timeout limit was reached")}}, got[2].Reply, compareRules{}); d != "" {
		t.Errorf("nested error: %s", d)
	}
	if _, err := loadGoldenFile(path, false); err == nil {
		t.Error("a {\"b64\"} value loaded in a corpus without a binary encoding")
	}
	// The corpora's plans: the text corpora have none in meta.json.
	for _, c := range []struct {
		corpus string
		binary string
		files  string
	}{
		{testutil.GoldenSeed1, "", "search aggregate other mutations"},
		{testutil.GoldenVectors, "b64", "search aggregate other create mutations"},
	} {
		plan := loadPlan(t, c.corpus)
		if plan.Binary != c.binary || strings.Join(plan.Files, " ") != c.files {
			t.Errorf("%s: plan %+v, want binary %q and files %q", c.corpus, plan, c.binary, c.files)
		}
	}
}
