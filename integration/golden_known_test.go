package integration

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// The corpora were recorded from RediSearch 2.10.25; the emulation is 8.2.
// Where 8.2 answers otherwise (golden README "Version-sensitive parts",
// ../shared/reference/redisearch-surface.md §2.1, §2.2, §4, §5.F), the line
// is a known difference: the 8.2 answer, derived from the command and the
// corpus as each rule below shows, is asserted instead of the recording.
// Rules that follow from the command apply to every corpus; a rule for one
// corpus's line says which.

// goldenExpectation is what 8.2 answers to a line whose recorded 2.10 answer
// differs: an error text, a reply, or a check of the reply.
type goldenExpectation struct {
	err   string
	reply any
	check func(got any) string // "" when the reply is right
	// then are commands the replay sends after the line, each answering
	// OK, so that an ordered scenario continues from the state 2.10 left
	// (the rule's reason says why).
	then [][]string
}

// knownDifference is a line (chosen by a predicate on the line, or by the
// corpus and line) where 8.2 differs from the recording.
type knownDifference struct {
	corpus  string                                   // with file and line: one corpus's line
	file    string                                   //
	line    int                                      //
	applies func(l *goldenLine, f *corpusFacts) bool // nil: use corpus, file and line
	reason  string                                   // the documented 8.2 change
	expect  func(l *goldenLine, f *corpusFacts) goldenExpectation
}

func (k *knownDifference) matches(l *goldenLine, f *corpusFacts) bool {
	if k.applies != nil {
		return k.applies(l, f)
	}
	return k.corpus == f.corpus && k.file == l.File && k.line == l.Line
}

func findKnownDifference(l *goldenLine, f *corpusFacts) *knownDifference {
	for i := range goldenKnownDifferences {
		if goldenKnownDifferences[i].matches(l, f) {
			return &goldenKnownDifferences[i]
		}
	}
	return nil
}

// The order matters where two rules could apply to one line: 8.2 checks
// arity, then arguments (LIMIT), then parses the query (unknown fields),
// then validates it (numeric ranges).
var goldenKnownDifferences = []knownDifference{
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			return len(l.Cmd) > 1 && unknownIndexCommands[strings.ToUpper(l.Cmd[0])] && l.HasError && unknownIndex210.MatchString(l.Error)
		},
		reason: "8.2 words the unknown-index error of FT.INFO/DROPINDEX/TAGVALS/EXPLAIN/EXPLAINCLI/ALTER `<name>: no such index`",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			return goldenExpectation{err: l.Cmd[1] + ": no such index"}
		},
	},
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			return isQueryCommand(l) && len(l.Cmd) == 2 && l.HasError && l.Error == "No query string provided"
		},
		reason: "8.2's FT.SEARCH/FT.AGGREGATE wrappers check argc < 3 before parsing: no `No query string provided`",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			return goldenExpectation{err: fmt.Sprintf("ERR wrong number of arguments for '%s' command", strings.ToUpper(l.Cmd[0]))}
		},
	},
	{
		applies: limitOffsetWithZeroCount,
		reason:  "8.0+ rejects LIMIT <offset> 0 with offset > 0 while parsing the arguments, before the query (2.10 answered the count, or the query's syntax error)",
		expect: func(*goldenLine, *corpusFacts) goldenExpectation {
			return goldenExpectation{err: "The `offset` of the LIMIT must be 0 when `num` is 0"}
		},
	},
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			_, ok := arityError82(l)
			return ok
		},
		reason: "8.x checks a function call's argument count when it parses an APPLY/FILTER expression (parser.y's call rule, the bounds of RSFunctionRegistry_RegisterFunction), " +
			"in its own words; 2.10 checked when the function ran (golden_known_arity_test.go)",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			msg, _ := arityError82(l)
			return goldenExpectation{err: msg}
		},
	},
	{
		applies: func(l *goldenLine, f *corpusFacts) bool {
			_, ok := unknownQueryField(l, f)
			return ok
		},
		reason: "8.2 DIALECT 2: a field of the query (or of a `@a|b:` list, or of a KNN clause) missing from the schema is an error (parser.y's modifier rule: IndexSpec_GetFieldWithLength, else \"Unknown field\")",
		expect: func(l *goldenLine, f *corpusFacts) goldenExpectation {
			u, _ := unknownQueryField(l, f)
			return goldenExpectation{err: fmt.Sprintf("Unknown field at offset %d near %s", u.offset, u.name)}
		},
	},
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			_, ok := backwardsRange(l)
			return ok
		},
		reason: "8.2 DIALECT 2: a numeric range with min > max is an error (QAST_CheckIsValid appends the range, printed with %f)",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			r, _ := backwardsRange(l)
			return goldenExpectation{err: fmt.Sprintf("Invalid numeric range (min > max): @%s:[%s %s]", r.field, cFixed(r.min), cFixed(r.max))}
		},
	},
	// 8.x reducers answer nan for SUM over a group without numbers (2.10
	// answered 0; surface C46): computed from the corpus by sumNaNLine.
	{corpus: "redisearch-2.10.25", file: "aggregate.jsonl", line: 26, reason: "8.x SUM over a group without numbers is nan, not 0",
		expect: func(_ *goldenLine, f *corpusFacts) goldenExpectation {
			return goldenExpectation{reply: sumNaNLine(f, true)}
		}},
	// Vector element types (the vectors corpus's create.jsonl).
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			_, ok := vectorType80(l)
			return ok
		},
		reason: "8.0+ accepts VECTOR TYPE INT8 and UINT8 (src/spec.c parseVectorField_GetType matches VECSIM_TYPE_UINT8 and VECSIM_TYPE_INT8; " +
			"2.10 knew FLOAT32/64 and [B]FLOAT16 only): FT.CREATE answers OK, and the replay drops the index so that the scenario's next FT.CREATE of the name meets no index, as under 2.10",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			return goldenExpectation{reply: "OK", then: [][]string{{"FT.DROPINDEX", l.Cmd[1]}}}
		},
	},
	// The worker pool (TestGoldenWorkers; the corpora were recorded with
	// WORKERS 0).
	{
		applies: func(l *goldenLine, f *corpusFacts) bool {
			_, ok := safeLoaderTotal(l, f)
			return ok
		},
		reason: "with search-workers > 0, 8.2 runs FT.AGGREGATE on a worker, whose loader is the safe loader (result_processor.c RPSafeLoader: " +
			"rpSafeLoaderNext_Accumulate buffers the upstream results before it loads them under the lock): the reply's first element, " +
			"totalResults when the first row comes, counts every result the query yields, where WORKERS 0's synchronous loader had read one",
		expect: func(l *goldenLine, f *corpusFacts) goldenExpectation {
			total, _ := safeLoaderTotal(l, f)
			rows := l.Reply.([]any)
			return goldenExpectation{reply: append([]any{total}, rows[1:]...)}
		},
	},
	// Configuration names (surface §4).
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			return len(l.Cmd) == 3 && strings.EqualFold(l.Cmd[0], "FT.CONFIG") && strings.EqualFold(l.Cmd[1], "GET") && l.Cmd[2] == "*"
		},
		reason: "FT.CONFIG GET * lists 8.2's parameters: checked as [name, value] pairs holding the parameters the file asks for one by one",
		expect: func(_ *goldenLine, f *corpusFacts) goldenExpectation {
			return goldenExpectation{check: func(got any) string { return checkConfigGetAll(got, f.configGets) }}
		},
	},
	{
		applies: func(l *goldenLine, _ *corpusFacts) bool {
			_, ok := configDefaults82[configGetName(l)]
			reply, isArray := l.Reply.([]any)
			return ok && isArray && len(reply) == 0
		},
		reason: "Redis 8 registers search-* CONFIG names (7.4: empty); the values are 8.2's defaults, which the corpora do not change",
		expect: func(l *goldenLine, _ *corpusFacts) goldenExpectation {
			name := configGetName(l)
			return goldenExpectation{reply: []any{name, configDefaults82[name]}}
		},
	},
}

// vectorType80 matches an FT.CREATE (or FT.ALTER) that 2.10 refused with
// "Bad arguments for vector similarity <ALGO> index `TYPE`: Unknown
// argument" because of its TYPE INT8 or UINT8, and nothing else: its only
// VECTOR field's other parameters are ones 2.10 accepted (the recording
// says the TYPE was the one refused). It returns the type.
func vectorType80(l *goldenLine) (string, bool) {
	if len(l.Cmd) < 2 || !l.HasError || !strings.EqualFold(l.Cmd[0], "FT.CREATE") && !strings.EqualFold(l.Cmd[0], "FT.ALTER") {
		return "", false
	}
	m := vectorTypeRefused210.FindStringSubmatch(l.Error)
	if m == nil {
		return "", false
	}
	vectors := 0
	var typ string
	for i := 0; i+1 < len(l.Cmd); i++ {
		if strings.EqualFold(l.Cmd[i], "VECTOR") {
			vectors++
		}
		if strings.EqualFold(l.Cmd[i], "TYPE") {
			typ = strings.ToUpper(l.Cmd[i+1])
		}
	}
	if vectors != 1 || (typ != "INT8" && typ != "UINT8") {
		return "", false
	}
	return typ, true
}

var vectorTypeRefused210 = regexp.MustCompile("^Bad arguments for vector similarity (FLAT|HNSW) index `TYPE`: Unknown argument$")

// pureKNN is a query that is a KNN clause over every document
// (`*=>[KNN k @field $blob …]`).
var pureKNN = regexp.MustCompile(`(?i)^\*\s*=>\s*\[\s*KNN\s+(\d+)\s`)

// safeLoaderTotal is, in the workers replay, the total of an FT.AGGREGATE
// line whose loader (LOAD) is the first step to pull results, with no
// SORTBY or GROUPBY (which read every result before the first row anyway):
// the number of results the query yields. That
// is the number of rows recorded when neither FILTER nor LIMIT drops any;
// else, for a pure KNN query, its k (every vector field of the corpus holds
// more than k vectors).
func safeLoaderTotal(l *goldenLine, f *corpusFacts) (int64, bool) {
	if !f.workers || len(l.Cmd) < 3 || !strings.EqualFold(l.Cmd[0], "FT.AGGREGATE") || !hasArg(l.Cmd[3:], "LOAD") ||
		hasArg(l.Cmd[3:], "SORTBY") || hasArg(l.Cmd[3:], "GROUPBY") {
		return 0, false
	}
	rows, ok := l.Reply.([]any)
	if !ok || len(rows) < 2 {
		return 0, false
	}
	if !hasArg(l.Cmd[3:], "FILTER") && !hasArg(l.Cmd[3:], "LIMIT") {
		return int64(len(rows) - 1), true
	}
	if m := pureKNN.FindStringSubmatch(l.Cmd[2]); m != nil {
		k, err := strconv.ParseInt(m[1], 10, 64)
		return k, err == nil
	}
	return 0, false
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

// limitOffsetWithZeroCount matches FT.SEARCH / FT.AGGREGATE lines with a
// well-formed LIMIT whose offset is positive and whose count is 0, that 2.10
// answered without an error or with the query's syntax error (8.2 parses
// the arguments first: aggregate_request.c, "LIMIT").
func limitOffsetWithZeroCount(l *goldenLine, _ *corpusFacts) bool {
	if len(l.Cmd) < 3 || !isQueryCommand(l) || (l.HasError && !strings.HasPrefix(l.Error, "Syntax error")) {
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

// queryDialect is the DIALECT argument of a query command (the corpora run
// with the default dialect, 1).
func queryDialect(l *goldenLine) int {
	for i := 3; i+1 < len(l.Cmd); i++ {
		if strings.EqualFold(l.Cmd[i], "DIALECT") {
			if d, err := strconv.Atoi(l.Cmd[i+1]); err == nil {
				return d
			}
		}
	}
	return 1
}

// fieldRef is `@name` or `@a|b|…` followed by ':' in a query, or the
// field of a KNN clause (`[KNN k @name $blob`), which the v2 grammar reads
// with the same modifier rule (parser.y: vector_command ::= TERM
// param_size modifier ATTRIBUTE).
var fieldRef = regexp.MustCompile(`(?i)@([A-Za-z_][A-Za-z0-9_]*(?:\|[A-Za-z_][A-Za-z0-9_]*)*):|\[\s*KNN\s+\S+\s+@([A-Za-z_][A-Za-z0-9_]*)\s`)

type queryField struct {
	name   string
	offset int
}

// unknownQueryField finds, in a DIALECT 2+ query that 2.10 answered, the
// first field missing from the index's schema, at the offset 8.2's v2
// lexer reports: a field's token starts at its '@'; the other names of a
// `@a|b:` list are tokens of their own.
func unknownQueryField(l *goldenLine, f *corpusFacts) (queryField, bool) {
	if !isQueryCommand(l) || len(l.Cmd) < 3 || l.HasError || queryDialect(l) < 2 {
		return queryField{}, false
	}
	schema, ok := f.schemas[l.Cmd[1]]
	if !ok {
		return queryField{}, false
	}
	q := l.Cmd[2]
	for _, m := range fieldRef.FindAllStringSubmatchIndex(q, -1) {
		if m[4] >= 0 { // a KNN clause's field
			if name := q[m[4]:m[5]]; !schema[name] {
				return queryField{name, m[4] - 1}, true
			}
			continue
		}
		at := m[0]
		pos := m[2]
		for i, name := range strings.Split(q[m[2]:m[3]], "|") {
			if !schema[name] {
				if i == 0 {
					return queryField{name, at}, true
				}
				return queryField{name, pos}, true
			}
			pos += len(name) + 1
		}
	}
	return queryField{}, false
}

// numericRange is `@f:[min max]`, each bound optionally exclusive `(`.
var numericRange = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*):\[\s*\(?([^\s,\]]+)\s*,?\s+\(?([^\s\]]+)\s*\]`)

type rangeBounds struct {
	field    string
	min, max float64
}

// backwardsRange finds the first numeric range with min > max of a DIALECT
// 2+ query that 2.10 answered.
func backwardsRange(l *goldenLine) (rangeBounds, bool) {
	if !isQueryCommand(l) || len(l.Cmd) < 3 || l.HasError || queryDialect(l) < 2 {
		return rangeBounds{}, false
	}
	for _, m := range numericRange.FindAllStringSubmatch(l.Cmd[2], -1) {
		lo, err1 := strconv.ParseFloat(m[2], 64)
		hi, err2 := strconv.ParseFloat(m[3], 64)
		if err1 == nil && err2 == nil && lo > hi {
			return rangeBounds{m[1], lo, hi}, true
		}
	}
	return rangeBounds{}, false
}

// cFixed prints like C's %f.
func cFixed(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// configDefaults82 are the Redis 8.2 names of the parameters the corpora
// read with CONFIG GET, and their defaults (surface §4).
var configDefaults82 = map[string]string{
	"search-timeout":         "500",
	"search-default-dialect": "1",
	"search-workers":         "0",
}

func configGetName(l *goldenLine) string {
	if len(l.Cmd) == 3 && strings.EqualFold(l.Cmd[0], "CONFIG") && strings.EqualFold(l.Cmd[1], "GET") {
		return l.Cmd[2]
	}
	return ""
}

// checkConfigGetAll checks FT.CONFIG GET * against the parameters the file
// reads one by one (canonical upper-case names).
func checkConfigGetAll(got any, wanted map[string]any) string {
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
	if len(wanted) == 0 {
		return "no single-parameter FT.CONFIG GET line to check against"
	}
	var diffs []string
	for name, want := range wanted {
		v, ok := have[name]
		switch {
		case !ok:
			diffs = append(diffs, name+" missing")
		case v != want:
			diffs = append(diffs, fmt.Sprintf("%s = %s, want %s", name, formatValue(v), formatValue(want)))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}

// corpusFacts are what the rules read off a corpus: its name, the fields of
// each index (setup.jsonl's FT.CREATE), its documents (setup.jsonl's HSETs)
// and the parameters other.jsonl reads one by one.
type corpusFacts struct {
	corpus     string
	schemas    map[string]map[string]bool // index → field names
	prefixes   map[string]string          // index → its one PREFIX
	docs       []goldenDoc                // in HSET order
	configGets map[string]any             // FT.CONFIG GET NAME → value
	// workers is set in the workers replay (TestGoldenWorkers).
	workers bool
	// cosine are the FLOAT32 COSINE vector fields of each index, whose
	// distances compare within cosineTolerance.
	cosine map[string]map[string]bool
}

type goldenDoc struct {
	key    string
	fields map[string]string
}

var schemaTypes = map[string]bool{"TEXT": true, "TAG": true, "NUMERIC": true, "GEO": true, "VECTOR": true, "GEOSHAPE": true}

func newCorpusFacts(corpus string, setup, other []goldenLine) *corpusFacts {
	f := &corpusFacts{corpus: corpus, schemas: map[string]map[string]bool{}, prefixes: map[string]string{}, configGets: map[string]any{},
		cosine: float32CosineFields(setup)}
	for _, l := range setup {
		switch strings.ToUpper(l.Cmd[0]) {
		case "FT.CREATE":
			for i, a := range l.Cmd {
				if strings.EqualFold(a, "PREFIX") && i+2 < len(l.Cmd) && l.Cmd[i+1] == "1" {
					f.prefixes[l.Cmd[1]] = l.Cmd[i+2]
				}
			}
			f.schemas[l.Cmd[1]] = schemaFields(l.Cmd, map[string]bool{})
		case "HSET":
			d := goldenDoc{key: l.Cmd[1], fields: map[string]string{}}
			for i := 2; i+1 < len(l.Cmd); i += 2 {
				d.fields[l.Cmd[i]] = l.Cmd[i+1]
			}
			f.docs = append(f.docs, d)
		}
	}
	for i := range other {
		l := &other[i]
		if len(l.Cmd) != 3 || !strings.EqualFold(l.Cmd[0], "FT.CONFIG") || l.Cmd[2] == "*" || l.Cmd[2] != strings.ToUpper(l.Cmd[2]) {
			continue
		}
		if pairs, ok := l.Reply.([]any); ok && len(pairs) == 1 {
			if pair, ok := pairs[0].([]any); ok && len(pair) == 2 {
				f.configGets[l.Cmd[2]] = pair[1]
			}
		}
	}
	return f
}

// schemaFields adds to fields the names of the fields an FT.CREATE or
// FT.ALTER … SCHEMA ADD command declares (their AS names when they have
// one).
func schemaFields(cmd []string, fields map[string]bool) map[string]bool {
	for i, a := range cmd {
		if i+1 < len(cmd) && schemaTypes[strings.ToUpper(cmd[i+1])] && !strings.EqualFold(a, "AS") {
			fields[a] = true
		}
		if strings.EqualFold(a, "AS") && i+2 < len(cmd) && schemaTypes[strings.ToUpper(cmd[i+2])] {
			delete(fields, cmd[i-1])
			fields[cmd[i+1]] = true
		}
	}
	return fields
}

// observe follows, in an ordered scenario (create.jsonl, mutations.jsonl),
// the schema changes that 2.10 made (the recorded reply is OK): an
// FT.CREATE, an FT.ALTER … SCHEMA ADD, an FT.DROPINDEX. The rules that read
// the schema (unknownQueryField) then see the index a line ran against.
func (f *corpusFacts) observe(l *goldenLine) {
	if len(l.Cmd) < 2 || l.Reply != "OK" {
		return
	}
	switch strings.ToUpper(l.Cmd[0]) {
	case "FT.CREATE":
		f.schemas[l.Cmd[1]] = schemaFields(l.Cmd, map[string]bool{})
	case "FT.ALTER":
		if f.schemas[l.Cmd[1]] == nil {
			f.schemas[l.Cmd[1]] = map[string]bool{}
		}
		schemaFields(l.Cmd, f.schemas[l.Cmd[1]])
	case "FT.DROPINDEX":
		delete(f.schemas, l.Cmd[1])
	}
}

// sumNaNLine is 8.2's answer to seed 1's aggregate.jsonl:26, computed from
// the corpus:
//
//	FT.AGGREGATE idx * APPLY format("<%s>", @title) AS a_875
//	  FILTER @cat != "electronics" LOAD 1 @rating
//	  GROUPBY 2 @rating @cat REDUCE SUM 1 @rating AS sum REDUCE SUM 1 @rating AS sum2
//	  APPLY floor(@sum2 * 100) / 100 AS sum2_r FILTER @sum >= 2 || @rating == 5
//	  SORTBY 4 @rating ASC @cat ASC LIMIT 9 1
//
// The documents are idx's (prefix doc:) but those that fail to index (a
// price or rating that is not a number, a loc out of range). cat is a
// SORTABLE TAG: its value is the normalized (lower-case) one. LOAD converts
// rating, a NUMERIC field, to a number; a document without one groups under
// null. After GROUPBY the total is the number of groups. SUM over a group
// without a number is nan (8.x, surface C46), and nan compares equal to any
// number (RSValue_Cmp), so `@sum >= 2` holds for those groups; null sorts
// before any value (RSValue_Cmp), so they come first. Numbers print with
// %.12g.
//
// With 2.10's rule instead (nan8x false: SUM over no number is 0, which
// fails the FILTER) the same computation gives the recorded row, (1.5,
// books): TestGoldenSumNaNLine checks it.
func sumNaNLine(f *corpusFacts, nan8x bool) any {
	type group struct {
		rating *float64
		cat    string
		sum    float64
		any    bool
	}
	groups := map[string]*group{}
	var order []*group
	for _, d := range f.docs {
		if !strings.HasPrefix(d.key, f.prefixes["idx"]) || !indexableDoc(d) {
			continue
		}
		cat := strings.ToLower(d.fields["cat"])
		if cat == "electronics" {
			continue
		}
		var rating *float64
		if s, ok := d.fields["rating"]; ok {
			v, _ := strconv.ParseFloat(s, 64)
			rating = &v
		}
		key := "null\x00" + cat
		if rating != nil {
			key = strconv.FormatFloat(*rating, 'g', -1, 64) + "\x00" + cat
		}
		g := groups[key]
		if g == nil {
			g = &group{rating: rating, cat: cat}
			groups[key] = g
			order = append(order, g)
		}
		if rating != nil {
			g.sum += *rating
			g.any = true
		}
	}
	total := int64(len(order))
	empty := 0.0
	if nan8x {
		empty = math.NaN()
	}
	var rows []*group
	for _, g := range order {
		sum := empty
		if g.any {
			sum = g.sum
		}
		if math.IsNaN(sum) || sum >= 2 || (g.rating != nil && *g.rating == 5) {
			rows = append(rows, g)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch {
		case (a.rating == nil) != (b.rating == nil):
			return a.rating == nil
		case a.rating != nil && *a.rating != *b.rating:
			return *a.rating < *b.rating
		}
		return a.cat < b.cat
	})
	if len(rows) < 10 {
		return []any{total}
	}
	g := rows[9]
	g12 := func(v float64) string {
		if math.IsNaN(v) {
			return "nan"
		}
		return strconv.FormatFloat(v, 'g', 12, 64)
	}
	var rating any
	if g.rating != nil {
		rating = g12(*g.rating)
	}
	sum := empty
	if g.any {
		sum = g.sum
	}
	return []any{total, []any{"rating", rating, "cat", g.cat, "sum", g12(sum), "sum2", g12(sum), "sum2_r", g12(math.Floor(sum*100) / 100)}}
}

// indexableDoc says whether idx indexes the document: price and rating,
// when present, are numbers, and loc is "lon,lat" within the module's
// bounds (GEO_LONG_MIN..MAX, GEO_LAT_MIN..MAX).
func indexableDoc(d goldenDoc) bool {
	for _, name := range []string{"price", "rating"} {
		if s, ok := d.fields[name]; ok {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return false
			}
		}
	}
	if s, ok := d.fields["loc"]; ok {
		lon, lat, ok := strings.Cut(s, ",")
		x, err1 := strconv.ParseFloat(lon, 64)
		y, err2 := strconv.ParseFloat(lat, 64)
		if !ok || err1 != nil || err2 != nil || math.Abs(x) > 180 || math.Abs(y) > 85.05112878 {
			return false
		}
	}
	return true
}

// TestGoldenSumNaNLine checks sumNaNLine's reading of the corpus: under
// 2.10's rule it must give what 2.10 answered.
func TestGoldenSumNaNLine(t *testing.T) {
	files := loadCorpus(t, testutil.GoldenSeed1, "setup.jsonl", "aggregate.jsonl")
	f := newCorpusFacts(testutil.GoldenSeed1, files["setup.jsonl"], nil)
	if d := compareReply(files["aggregate.jsonl"][25].Reply, sumNaNLine(f, false), compareRules{}); d != "" {
		t.Errorf("aggregate.jsonl:26 computed with 2.10's rule: %s", d)
	}
	got := sumNaNLine(f, true)
	t.Logf("aggregate.jsonl:26 under 8.x: %s", formatValue(got))
}
