package aggregate

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// goldenSchemas are the three indexes of the golden setup (setup.jsonl):
// attribute → SORTABLE.
var goldenSchemas = map[string]MapSchema{
	"idx":  {"title": true, "body": false, "tags": false, "cat": true, "price": true, "rating": false, "loc": false},
	"idx2": {"name": false, "desc": false, "qty": true, "kind": false},
	"idx3": {"labels": false, "name": false, "n": true},
}

// laterStage matches errors that come after both stages this package
// models: evaluation of rows, the query string's own parser (its "near"
// token is unquoted, unlike the expression parser's), the index lookup and
// the command's arity.
var laterStage = regexp.MustCompile(`^(Could not find the value for a parameter name|Error converting string|Syntax error at offset \d+ near [^']|No such index |No query string provided)`)

// arity82 is 8.2's answer to the golden lines where 2.10 reported a wrong
// argument count when the function ran: 8.x's expression grammar checks the
// count when it parses the call (src/aggregate/expr/parser.y, "expr ::=
// SYMBOL LP arglist RP": "Function '%.*s' expects %d arguments, but got %d",
// or "expects between %d and %d arguments" when the bounds differ), with the
// bounds of src/aggregate/functions/string.c's registrations (substr 3 3,
// split 1 3), so the pipeline is refused before any row is read.
var arity82 = map[string]string{
	"Invalid arguments for function 'substr'": "Function 'substr' expects 3 arguments, but got 1",              // substr(@title)
	"Invalid number of arguments for split":   "Function 'split' expects between 1 and 3 arguments, but got 0", // split()
}

type goldenLine struct {
	Cmd   []string        `json:"cmd"`
	Error *string         `json:"error"`
	Reply json.RawMessage `json:"reply"`
}

func parseAndCheck(args []string, s Schema) error {
	r, err := Parse(args, DefaultOptions())
	if err != nil {
		return err
	}
	if err := r.CheckContext(nil, nil); err != nil {
		return err
	}
	return r.Check(s)
}

// TestGolden replays every FT.AGGREGATE line recorded from RediSearch 2.10.25:
// an error line whose error belongs to argument parsing or pipeline building
// must give exactly that error; every other line must pass both stages.
func TestGolden(t *testing.T) {
	for _, corpus := range []string{testutil.GoldenSeed1, testutil.GoldenSeed3} {
		t.Run(corpus, func(t *testing.T) { checkGolden(t, corpus) })
	}
}

func checkGolden(t *testing.T, corpus string) {
	data, err := os.ReadFile(testutil.GoldenFile(t, corpus, "aggregate.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var exact, later, ok int
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var g goldenLine
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if len(g.Cmd) < 3 {
			later++ // "No query string provided": no arguments to parse
			continue
		}
		got := parseAndCheck(g.Cmd[3:], goldenSchemas[g.Cmd[1]])
		if g.Error != nil && arity82[*g.Error] != "" {
			want := arity82[*g.Error]
			g.Error = &want
		}
		switch {
		case g.Error != nil && !laterStage.MatchString(*g.Error):
			if got == nil || got.Error() != *g.Error {
				t.Errorf("line %d %q: got %v, want %q", i+1, g.Cmd[3:], got, *g.Error)
				continue
			}
			exact++
		default:
			if got != nil {
				t.Errorf("line %d %q: unexpected error %q", i+1, g.Cmd[3:], got)
				continue
			}
			if g.Error != nil {
				later++
			} else {
				ok++
			}
		}
	}
	t.Logf("golden: %d errors matched exactly, %d later-stage errors parse, %d replies parse", exact, later, ok)
}

type parseCase struct {
	args []string
	err  string // "" = must parse and check
	src  string
}

func runCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		got := parseAndCheck(c.args, goldenSchemas["idx"])
		switch {
		case c.err == "" && got != nil:
			t.Errorf("%q (%s): unexpected error %q", c.args, c.src, got)
		case c.err != "" && (got == nil || got.Error() != c.err):
			t.Errorf("%q (%s): got %v, want %q", c.args, c.src, got, c.err)
		}
	}
}

func TestCases(t *testing.T) {
	runCases(t, []parseCase{
		// tests/pytests/test_aggregate.py::testGroupProperties
		{[]string{"GROUPBY", "1", "t"}, "Bad arguments for GROUPBY: Unknown property `t`. Did you mean `@t`?", "test_aggregate.py::testGroupProperties"},
		{[]string{"GROUPBY", "2", "@cat", "@cat"}, "Property `cat` specified more than once", "test_aggregate.py::testGroupProperties"},
		// test_aggregate.py::testIssue1125 / aggregate_request.c handleCommonArgs (8.x)
		{[]string{"LIMIT", "5", "0"}, "The `offset` of the LIMIT must be 0 when `num` is 0", "aggregate_request.c handleCommonArgs"},
		{[]string{"LIMIT", "0", "0"}, "", "LIMIT 0 0 counts only"},
		{[]string{"LIMIT", "1000001", "10"}, "OFFSET exceeds maximum of 1000000", "aggregate_request.c: offset checked against MAXSEARCHRESULTS"},
		// test_dialect.py::test_dialect_query_errors
		{[]string{"DIALECT"}, "Need an argument for DIALECT", "test_dialect.py"},
		{[]string{"DIALECT", "0"}, "DIALECT requires a non negative integer >=1 and <= 4", "test_dialect.py"},
		{[]string{"DIALECT", "5"}, "DIALECT requires a non negative integer >=1 and <= 4", "test_dialect.py"},
		// aggregate_request.c parseQueryArgs
		{[]string{"SUMMARIZE"}, "SUMMARIZE is not supported on FT.AGGREGATE", "parseQueryArgs"},
		{[]string{"HIGHLIGHT"}, "HIGHLIGHT is not supported on FT.AGGREGATE", "parseQueryArgs"},
		{[]string{"RETURN", "1", "title"}, "RETURN is not supported on FT.AGGREGATE", "parseQueryArgs"},
		{[]string{"EXPLAINSCORE"}, "EXPLAINSCORE must be accompanied with WITHSCORES", "parseQueryArgs"},
		{[]string{"SLOP", "x"}, "Bad arguments for SLOP: Could not convert argument to expected type", "AC_ParseArgSpec"},
		{[]string{"INKEYS", "3", "a"}, "Bad arguments for INKEYS: Expected an argument, but none provided", "AC_ParseArgSpec"},
		{[]string{"VERBATIM", "ADDSCORES", "SCORER", "BM25", "LOAD", "*"}, "", "test_aggregate.py ADDSCORES"},
		// query options after a pipeline step are unknown (parseAggPlan)
		{[]string{"LOAD", "1", "@title", "VERBATIM"}, "Unknown argument `VERBATIM` at position 4 for <main>", "parseAggPlan"},
		// common args
		{[]string{"TIMEOUT"}, "Need argument for TIMEOUT", "handleCommonArgs"},
		{[]string{"TIMEOUT", "-1"}, "TIMEOUT requires a non negative integer", "handleCommonArgs"},
		{[]string{"WITHCURSOR", "COUNT", "0"}, "Bad arguments for COUNT: Value is outside acceptable bounds", "parseCursorSettings"},
		{[]string{"WITHCURSOR", "MAXIDLE", "x"}, "Bad arguments for MAXIDLE: Could not convert argument to expected type", "parseCursorSettings"},
		{[]string{"WITHCURSOR", "COUNT", "10", "MAXIDLE", "1000"}, "", "parseCursorSettings"},
		{[]string{"PARAMS", "1", "a"}, "Parameters must be specified in PARAM VALUE pairs", "param.c parseParams"},
		{[]string{"PARAMS", "2", "a", "b", "PARAMS", "2", "c", "d"}, "Multiple PARAMS are not allowed. Parameters can be defined only once", "param.c parseParams"},
		{[]string{"PARAMS", "4", "a", "1", "a", "2"}, "Duplicate parameter `a`", "param.c Param_DictAdd"},
		{[]string{"PARAMS"}, "Bad arguments for PARAMS: Expected an argument, but none provided", "test_params.py"},
		{[]string{"FORMAT", "XML"}, "FORMAT XML is not supported", "parseValueFormat"},
		{[]string{"FORMAT", "EXPAND", "DIALECT", "2"}, "EXPAND format requires dialect 3 or greater", "handleCommonArgs"},
		{[]string{"SORTBY", "2", "@price", "ASC", "SORTBY", "2", "@cat", "ASC"}, "Multiple SORTBY steps are not allowed. Sort multiple fields in a single step", "parseSortby"},
		{[]string{"SORTBY", "2", "@price", "ASC", "GROUPBY", "1", "@cat", "SORTBY", "1", "@cat"}, "", "a GROUPBY starts a new arrange step"},
		{[]string{"SORTBY", "1", "@price", "MAX"}, "Bad arguments for MAX: Could not convert argument to expected type", "parseSortby"},
		{[]string{"GROUPBY", "1", "@cat", "REDUCE"}, "Bad arguments for REDUCE: SUCCESS", "parseGroupby passes the GROUPBY result"},
		{[]string{"GROUPBY", "-1"}, "Bad arguments for GROUPBY: Value is outside acceptable bounds", "AC_GetVarArgs"},
		{[]string{"LOAD"}, "Bad arguments for LOAD: Expected an argument, but none provided", "handleLoad"},
		{[]string{"LOAD", "1"}, "Bad arguments for LOAD: Expected an argument, but none provided", "handleLoad"},
		{[]string{"APPLY"}, "Bad arguments for APPLY/FILTER: Expected an argument, but none provided", "handleApplyOrFilter"},
		// pipeline building (AREQ_BuildPipeline)
		{[]string{"GROUPBY", "1", "@cat", "LOAD", "1", "@title"}, "LOAD cannot be applied after projectors or reducers", "AREQ_BuildPipeline"},
		{[]string{"LOAD", "3", "@title", "AS", "AS"}, "Alias for LOAD cannot be `AS`", "AREQ_BuildPipeline"},
		{[]string{"LOAD", "2", "@title", "AS"}, "LOAD path AS name - must be accompanied with NAME", "AREQ_BuildPipeline"},
		{[]string{"GROUPBY", "1", "@cat", "REDUCE", "COUNT", "0", "AS", "cat"}, "Property `cat` specified more than once", "buildGroupRP"},
		{[]string{"GROUPBY", "1", "@cat", "REDUCE", "RANDOM_SAMPLE", "2", "@price", "1001"}, "Sample size too large", "random_sample.c"},
		{[]string{"GROUPBY", "0", "REDUCE", "count", "0"}, "", "reducer names are case-insensitive"},
		{[]string{"LOAD", "*", "APPLY", "@rating * 2", "AS", "r"}, "", "LOAD * makes schema fields readable"},
		{[]string{"SORTBY", "1", "@rating", "APPLY", "@rating", "AS", "r"}, "", "SORTBY loads a schema field"},
	})
}

func TestGeneratedAlias(t *testing.T) {
	// docs/reference §1.3 and redis-py test_aggregations_groupby
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"COUNT", nil, "__generated_aliascount"},
		{"MIN", []string{"@price"}, "__generated_aliasminprice"},
		{"AVG", []string{"@random_num"}, "__generated_aliasavgrandom_num"},
		{"FIRST_VALUE", []string{"@title", "BY", "@price", "DESC"}, "__generated_aliasfirst_valuetitle,by,price,desc"},
	} {
		if got := GeneratedAlias(c.name, c.args); got != c.want {
			t.Errorf("GeneratedAlias(%s, %q) = %q, want %q", c.name, c.args, got, c.want)
		}
	}
}

func TestStructure(t *testing.T) {
	r, err := Parse([]string{"VERBATIM", "LOAD", "3", "@a", "AS", "b", "SORTBY", "4", "@x", "DESC", "@y", "ASC", "MAX", "7",
		"APPLY", "@x+1", "LIMIT", "2", "5", "GROUPBY", "1", "@g", "REDUCE", "SUM", "1", "@x", "LOAD", "*",
		"WITHCURSOR", "MAXIDLE", "999999999", "PARAMS", "2", "p", "v", "DIALECT", "4"}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !r.Verbatim || r.Dialect != 4 || !r.DialectGiven || !r.WithCursor || r.CursorMaxIdle != 300000 || r.ParamMap()["p"] != "v" {
		t.Errorf("options: %+v", r)
	}
	if len(r.Steps) != 5 {
		t.Fatalf("steps: %d", len(r.Steps))
	}
	a := r.Steps[1].(*ArrangeStep)
	if !a.Sorted || len(a.Keys) != 2 || a.Keys[0].Asc || !a.Keys[1].Asc || a.Offset != 2 || a.Limit != 5 || !a.IsLimited {
		t.Errorf("arrange: %+v", a)
	}
	if ap := r.Steps[2].(*ApplyStep); ap.Alias != "@x+1" {
		t.Errorf("apply alias %q", ap.Alias)
	}
	if g := r.Steps[3].(*GroupStep); g.Reducers[0].Alias != "__generated_aliassumx" || !g.Reducers[0].Generated {
		t.Errorf("group: %+v", g)
	}
	if l := r.Steps[4].(*LoadStep); !l.All || !l.Star {
		t.Errorf("load: %+v", l)
	}
	f, err := r.Steps[0].(*LoadStep).Fields()
	if err != nil || len(f) != 1 || f[0] != (LoadField{"a", "b"}) {
		t.Errorf("fields %v %v", f, err)
	}
	if err := r.Check(goldenSchemas["idx"]); err == nil || err.Error() != "Property `x` not loaded nor in schema" {
		t.Errorf("check: %v", err)
	}
}
