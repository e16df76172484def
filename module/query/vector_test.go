package query

import (
	"testing"
)

// The index of the module's own vector error tests (tests/pytests/
// test_vecsim.py, test_search_errors, the 2.10-era file: its expectations
// agree with the recorded corpus, e.g. [0] for a wrong field):
//
//	FT.CREATE idx SCHEMA s TEXT t TAG SORTABLE
//	  v VECTOR HNSW 12 TYPE FLOAT32 DIM 2 …        (blob 8 bytes, "abcdefgh")
//	  v_flat VECTOR FLAT 6 TYPE FLOAT64 DIM 2 …    (blob 16 bytes)
var vecTestSchema = testSchema{
	{"s", FieldInfo{Type: TextField, TextBit: 0}},
	{"t", FieldInfo{Type: TagField}},
	{"v", FieldInfo{Type: VectorField}},
	{"v_flat", FieldInfo{Type: VectorField}},
}

var vecTestVectors = map[string]vecFieldSpec{"v": {VectorHNSW, 8}, "v_flat": {VectorFlat, 16}}

type vecCase struct {
	q      string
	params map[string]string // nil: b = "abcdefgh"
	// stage is where the module reports want: "parse" (Parse), "resolve"
	// (Resolve, as evalVectors calls it) or "" (no error: the query runs).
	stage string
	want  string
}

func runVecCases(t *testing.T, cases []vecCase, compat210 bool) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			params := c.params
			if params == nil {
				params = map[string]string{"b": "abcdefgh"}
			}
			n, err := Parse(c.q, Options{Dialect: 2, Params: params, Schema: vecTestSchema, Compat210: compat210})
			if c.stage == "parse" {
				if err == nil || err.Error() != c.want {
					t.Fatalf("Parse error = %v, want %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = evalVectors(n, vecTestVectors)
			if c.stage == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("resolve error = %v, want %q", err, c.want)
			}
		})
	}
}

const (
	vpInvalidOption = "Error parsing vector similarity parameters: Invalid option"
	vpBadValue      = "Error parsing vector similarity parameters: Invalid value was given"
	vpDup           = "Error parsing vector similarity parameters: Parameter was specified twice"
	vpNonHybrid     = "Error parsing vector similarity parameters: hybrid query attributes were sent for a non-hybrid query"
	vpNonRange      = "Error parsing vector similarity parameters: range query attributes were sent for a non-range query"
	vpBadPolicy     = "Error parsing vector similarity parameters: invalid hybrid policy was given"
)

// TestVectorModuleErrors replays test_search_errors' query errors. Where the
// module's test only checks that the error contains "Syntax error", the
// text given here is parser.y's: reportSyntaxError's "<msg> at offset N near
// T" for a command other than KNN, the %syntax_error text otherwise.
func TestVectorModuleErrors(t *testing.T) {
	runVecCases(t, []vecCase{
		{q: "*=>[REDIS 4 @v $b]", stage: "parse", want: "Syntax error: Expecting Vector Similarity command at offset 4 near REDIS"},
		{q: "*=>[KNN str @v $b]", stage: "parse", want: "Syntax error at offset 8 near str"},
		{q: "*=>[KNN 2 @t $b]"},           // wrong field: [0]
		{q: "@bad:[vector_range 0.1 $b]"}, // wrong field: [0] (2.10; 8.2 rejects the unknown field, TestVector82Fields)

		{q: "*=>[KNN 2 @v $b EF_RUNTIME -42]", stage: "resolve", want: vpBadValue},
		{q: "*=>[KNN 2 @v $b EF_RUNTIME 2.71828]", stage: "resolve", want: vpBadValue},
		{q: "*=>[KNN 2 @v $b EF_RUNTIME 5 EF_RUNTIME 6]", stage: "resolve", want: vpDup},
		{q: "*=>[KNN 2 @v $b EF_FUNTIME 30]", stage: "resolve", want: vpInvalidOption},
		{q: "*=>[KNN 2 @v $b]=>{$EF_RUNTIME: 5; $EF_RUNTIME: 6;}", stage: "resolve", want: vpDup},
		{q: "*=>[KNN 2 @v_flat $b EF_RUNTIME 30]", params: map[string]string{"b": "abcdefghabcdefgh"}, stage: "resolve", want: vpInvalidOption},

		{q: "*=>[KNN 2 @v $b BATCH_SIZE 100]", stage: "resolve", want: vpNonHybrid},
		{q: "*=>[KNN 2 @v $b HYBRID_POLICY ADHOC_BF]", stage: "resolve", want: vpNonHybrid},
		{q: "*=>[KNN 2 @v $b HYBRID_POLICY BATCHES]", stage: "resolve", want: vpNonHybrid},
		{q: "*=>[KNN 2 @v $b HYBRID_POLICY BATCHES BATCH_SIZE 100]", stage: "resolve", want: vpNonHybrid},

		{q: "@s:hello=>[KNN 2 @v $b BATCH_SIZE 0]", stage: "resolve", want: vpBadValue},
		{q: "@s:hello=>[KNN 2 @v $b BATCH_SIZE -6]", stage: "resolve", want: vpBadValue},
		{q: "@s:hello=>[KNN 2 @v $b BATCH_SIZE 34_not_a_number]", stage: "resolve", want: vpBadValue},
		{q: "@s:hello=>[KNN 2 @v $b BATCH_SIZE 8 BATCH_SIZE 0]", stage: "resolve", want: vpDup},
		{q: "@s:hello=>[KNN 2 @v $b HYBRID_POLICY bad_policy]", stage: "resolve", want: vpBadPolicy},
		{q: "@s:hello=>[KNN 2 @v $b]=>{$HYBRID_POLICY: bad_policy;}", stage: "resolve", want: vpBadPolicy},

		{q: "@s:hello=>[KNN 2 @v $b HYBRID_POLICY ADHOC_BF BATCH_SIZE 100]", stage: "resolve",
			want: "Error parsing vector similarity parameters: 'batch size' is irrelevant for 'ADHOC_BF' policy"},
		{q: "@s:hello=>[KNN 2 @v $b HYBRID_POLICY ADHOC_BF EF_RUNTIME 100]", stage: "resolve",
			want: "Error parsing vector similarity parameters: 'EF_RUNTIME' is irrelevant for 'ADHOC_BF' policy"},

		{q: "*=>[KNN 2 @v $b AS score]=>{$yield_distance_as:score2;}", stage: "parse",
			want: "Distance field was specified twice for vector query: score and score2"},
		{q: "*=>[KNN 2 @v $b EF_RUNTIME 100]=>{$EF_RUNTIME:200;}", stage: "resolve", want: vpDup},
		{q: "*=>[KNN 2 @v $b AS $score_1]=>{$yield_distance_as:$score_2;}",
			params: map[string]string{"b": "abcdefgh", "score_1": "score_1_val", "score_2": "score_2_val"}, stage: "parse",
			want: "Distance field was specified twice for vector query: score_1_val and score_2_val"},
		{q: "hello=>[KNN 2 @v $b AS score]=>{$yield_distance_as:__v_score;}", stage: "parse",
			want: "Distance field was specified twice for vector query: score and __v_score"},
		{q: "hello=>[KNN 2 @v $b AS score]=>{$yield_distance_as:score;}", stage: "parse",
			want: "Distance field was specified twice for vector query: score and score"},

		{q: "@v:[vector_range -1 $b]", stage: "resolve", want: "Error parsing vector similarity query: negative radius (-1) given in a range query"},
		{q: "@v:[vector_range 0.1 $b]=>{$EF_RUNTIME:10}", stage: "resolve", want: vpInvalidOption},
		{q: "@v:[vector_range 0.1 $b]=>{$HYBRID_POLICY:BATCHES}", stage: "resolve", want: vpNonHybrid},
		{q: "@v:[vector_range 0.1 $b]=>{$EPSILON: -1}", stage: "resolve", want: vpBadValue},
		{q: "@v:[vector_range 0.1 $b]=>{$EPSILON: 0}", stage: "resolve", want: vpBadValue},
		{q: "@v:[vector_range 0.1 $b]=>{$EPSILON: not_a_num}", stage: "resolve", want: vpBadValue},
		{q: "@v:[vector_range 0.1 $b]=>{$EPSILON: 0.1; $EPSILON: 0.2}", stage: "resolve", want: vpDup},
		{q: "@v:[vector_range 0.1 $b]=>{$EPSILON: 0.1; $EF_RUNTIME: 20}", stage: "resolve", want: vpInvalidOption},

		{q: "*=>[KNN 2 @v $b EPSILON 2.71828]", stage: "resolve", want: vpNonRange},
		{q: "*=>[KNN 2 @v $b]=>{$EPSILON: 2.71828}", stage: "resolve", want: vpNonRange},
		{q: "@s:hello=>[KNN 2 @v $b]=>{$EPSILON: 0.1}", stage: "resolve", want: vpNonRange},
		{q: "@v_flat:[vector_range 0.1 $b]=>{$epsilon:0.1}", params: map[string]string{"b": "abcdefghabcdefgh"}, stage: "resolve", want: vpInvalidOption},
	}, true)
}

// TestVectorResolutionOrder pins where each error is found relative to the
// others, from the module's source: QueryNode_EvalParams resolves a node's
// parameters before its children's; NewVectorNode_WithParams lists the blob
// before K (or the radius), the vector_query rules add `AS $alias` after
// them, VectorQuery_EvalParams resolves the `[KNN … NAME $param]` values
// last; an attribute's $param is looked up when the attribute is parsed
// (parser.y's attribute rule: Param_DictGet with the parse's status);
// QueryNode_ApplyAttribute rejects an empty value first.
func TestVectorResolutionOrder(t *testing.T) {
	runVecCases(t, []vecCase{
		{q: "*=>[KNN $K @v $c]", params: map[string]string{}, stage: "parse", want: "No such parameter `c`"},
		{q: "@t:{$x}=>[KNN 2 @v $c]", params: map[string]string{}, stage: "parse", want: "No such parameter `c`"},
		{q: "@t:{$x}=>[KNN 2 @v $b]", stage: "parse", want: "No such parameter `x`"},
		{q: "*=>[KNN 2 @v $b AS $s]", stage: "parse", want: "No such parameter `s`"},
		{q: "*=>[KNN 2 @v $b EF_RUNTIME $ef AS $s]", stage: "parse", want: "No such parameter `s`"},
		{q: "*=>[KNN 2 @v $b EF_RUNTIME $ef]", stage: "parse", want: "No such parameter `ef`"},
		{q: "*=>[KNN $K @v $b]=>{$EF_RUNTIME: $ef}", stage: "parse", want: "No such parameter `ef`"},
		{q: "@v:[VECTOR_RANGE $r $c]", params: map[string]string{}, stage: "parse", want: "No such parameter `c`"},
		{q: "@v:[VECTOR_RANGE $r $b]", stage: "parse", want: "No such parameter `r`"},
		// Parameters are resolved before the tree is evaluated.
		{q: "*=>[KNN $K @v $b AS d]=>{$YIELD_DISTANCE_AS: e}", stage: "parse", want: "No such parameter `K`"},
		{q: "*=>[KNN 2 @v $b]=>{$yield_distance_as: $p}", params: map[string]string{"b": "abcdefgh", "p": ""},
			stage: "parse", want: "Invalid value () for `yield_distance_as`"},
		{q: "@t:{red}=>{$weight: $w}", stage: "parse", want: "No such parameter `w`"},
		{q: "@t:{red}=>{$YIELD_DISTANCE_AS: d}", stage: "parse", want: "Invalid attribute YIELD_DISTANCE_AS"},
		// The blob-size check is the engine's; then the parameters, then K.
		{q: "*=>[KNN $K @v $b]", params: map[string]string{"b": "abcdefgh", "K": "288230376151711745"}, stage: "resolve",
			want: "Error parsing vector similarity query: query KNN K parameter is too large, must not exceed 288230376151711744"},
		{q: "*=>[KNN $K @v $b EF_FUNTIME 1]", params: map[string]string{"b": "abcdefgh", "K": "288230376151711745"}, stage: "resolve",
			want: vpInvalidOption},
		{q: "*=>[KNN $K @v $b]", params: map[string]string{"b": "abcdefgh", "K": "288230376151711744"}},
		// A range: the radius before the parameters.
		{q: "@v:[VECTOR_RANGE -1 $b]=>{$EF_RUNTIME: 2}", stage: "resolve",
			want: "Error parsing vector similarity query: negative radius (-1) given in a range query"},
		// Within the parameters, the first bad one wins: on FLAT, EF_RUNTIME
		// is unknown before HYBRID_POLICY is looked at.
		{q: "@s:hello=>[KNN 2 @v_flat $b EF_RUNTIME 5 HYBRID_POLICY bad]", params: map[string]string{"b": "abcdefghabcdefgh"},
			stage: "resolve", want: vpInvalidOption},
		{q: "@s:hello=>[KNN 2 @v $b EF_RUNTIME 5 HYBRID_POLICY bad]", stage: "resolve", want: vpBadPolicy},
		// ADHOC_BF with EF_RUNTIME is an error on HNSW only (on FLAT,
		// EF_RUNTIME is an unknown option already).
		{q: "@s:hello=>[KNN 2 @v_flat $b HYBRID_POLICY ADHOC_BF]", params: map[string]string{"b": "abcdefghabcdefgh"}},
	}, true)
}

// TestVectorValues checks the number rules: K's $param is the module's
// ParseInteger (strtoll base 10 over the whole value, ≥ 0, "" is 0); the
// vector library's positive integers take strtoll base 0 (hex, octal); a
// SIZE literal saturates.
func TestVectorValues(t *testing.T) {
	for _, c := range []struct {
		k    string
		want int
		err  string
	}{
		{k: "4", want: 4},
		{k: "", want: 0}, // search.jsonl:190 answers [0]
		{k: " 5", want: 5},
		{k: "+5", want: 5},
		{k: "-0", want: 0},
		{k: "5 ", err: "Invalid numeric value (5 ) for parameter `K`"},
		{k: "0x10", err: "Invalid numeric value (0x10) for parameter `K`"},
		{k: "9223372036854775808", err: "Invalid numeric value (9223372036854775808) for parameter `K`"},
		{k: "9223372036854775807", want: 9223372036854775807},
	} {
		n, err := Parse("*=>[KNN $K @v $b]", Options{Dialect: 2, Params: map[string]string{"b": "x", "K": c.k}})
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("K=%q: error %v, want %q", c.k, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("K=%q: %v", c.k, err)
			continue
		}
		if got := n.(*VectorKNN).K; got != c.want {
			t.Errorf("K=%q: K = %d, want %d", c.k, got, c.want)
		}
	}
	n, err := Parse("*=>[KNN 99999999999999999999 @v $b]", Options{Dialect: 2, Params: map[string]string{"b": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if k := n.(*VectorKNN); k.K != 9223372036854775807 || k.Resolve(VectorHNSW) == nil {
		t.Errorf("huge literal K: K = %d, want saturated and too large", k.K)
	}

	for _, c := range []struct {
		ef   string
		want int
	}{{"0x10", 16}, {"010", 8}, {"+7", 7}, {" 9", 9}, {"9 ", 0}, {"08", 0}, {"0", 0}, {"9223372036854775807", 0}} {
		n, err := Parse("*=>[KNN 2 @v $b EF_RUNTIME $ef]", Options{Dialect: 2, Params: map[string]string{"b": "x", "ef": c.ef}})
		if err != nil {
			t.Fatal(err)
		}
		k := n.(*VectorKNN)
		err = k.Resolve(VectorHNSW)
		switch {
		case c.want == 0 && (err == nil || err.Error() != vpBadValue):
			t.Errorf("EF_RUNTIME %q: error %v, want %q", c.ef, err, vpBadValue)
		case c.want != 0 && (err != nil || k.EFRuntime != c.want || !k.HasEFRuntime):
			t.Errorf("EF_RUNTIME %q: %v, ef %d, want %d", c.ef, err, k.EFRuntime, c.want)
		}
	}
}

// TestVectorFilters: the part before => is `*`, one clause or a
// parenthesised expression (the corpus README; the grammar's query rules
// take expr, text_expr or star there). A filter of stop words only vanishes
// (parser.y adds the filter only when it is not NULL): the query is then a
// plain KNN query, where HYBRID_POLICY is an error.
func TestVectorFilters(t *testing.T) {
	sw := func(w string) bool { return w == "the" }
	for _, c := range []struct{ q, tree string }{
		{"*=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=*)"},
		{"(*)=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=*)"},
		{"the=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=nil)"},
		{"(the)=>[KNN 2 @v $b HYBRID_POLICY BATCHES]", "knn(@v k=2 $b/8B as=__v_score HYBRID_POLICY=BATCHES filter=nil)"},
		{"hello=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=hello)"},
		{"(a b)=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=(and a b))"},
		{"(-@t:{x} | @s:y)=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=(or (not tag:@t{0:x}) @1:y))"},
		{"@v:[VECTOR_RANGE 1 $b]=>[KNN 2 @v $b]", "knn(@v k=2 $b/8B as=__v_score filter=range(@v r=1 $b/8B as=))"},
		{"*=>[KNN 2 @v $b]=>{$weight: 2; $yield_distance_as: dd}", "knn(@v k=2 $b/8B as=dd filter=*){w=2 s=-1 o=false}"},
	} {
		n, err := Parse(c.q, Options{Dialect: 2, Params: map[string]string{"b": "abcdefgh"}, Schema: vecTestSchema,
			IsStopword: sw, Compat210: true})
		if err != nil {
			t.Errorf("Parse(%q): %v", c.q, err)
			continue
		}
		if got := dump(n); got != c.tree {
			t.Errorf("Parse(%q) = %s, want %s", c.q, got, c.tree)
		}
	}
	n, err := Parse("(the)=>[KNN 2 @v $b HYBRID_POLICY BATCHES]", Options{Dialect: 2, Params: map[string]string{"b": "abcdefgh"},
		IsStopword: sw})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.(*VectorKNN).Resolve(VectorHNSW); err == nil || err.Error() != vpNonHybrid {
		t.Errorf("vanished filter: %v, want %q", err, vpNonHybrid)
	}
	for _, q := range []string{"a b=>[KNN 2 @v $b]", "-a=>[KNN 2 @v $b]", "a | b=>[KNN 2 @v $b]", "~a=>[KNN 2 @v $b]"} {
		if _, err := Parse(q, Options{Dialect: 2, Params: map[string]string{"b": "x"}}); err == nil {
			t.Errorf("Parse(%q): no error", q)
		}
	}
	// A KNN clause is only the whole query.
	for _, q := range []string{"x (*=>[KNN 2 @v $b])", "(*=>[KNN 2 @v $b])"} {
		if _, err := Parse(q, Options{Dialect: 2, Params: map[string]string{"b": "x"}}); err == nil {
			t.Errorf("Parse(%q): no error", q)
		}
	}
}

// TestVector82Fields: in 8.2 (Compat210 false) a modifier naming no field
// fails the parse at the modifier (checkField, the modifier rule), the
// vector clauses' modifiers included; 2.10 parses them and answers [0]
// (search.jsonl:175, 179). The distance field named twice is found when the
// module evaluates the clause: 2.10 evaluates no clause on a field that is
// not a VECTOR field (Query_EvalVectorNode returns first), so it answers
// [0] there without the error.
func TestVector82Fields(t *testing.T) {
	params := map[string]string{"b": "abcdefgh"}
	for _, c := range []struct{ q, want82 string }{
		{"*=>[KNN 3 @nosuch $b AS d]", "Unknown field at offset 10 near nosuch"},
		{"@nosuch:[VECTOR_RANGE 1 $b]", "Unknown field at offset 0 near nosuch"},
		{"@s:x=>[KNN 3 @nosuch $b]", "Unknown field at offset 13 near nosuch"},
	} {
		if _, err := Parse(c.q, Options{Dialect: 2, Params: params, Schema: vecTestSchema}); err == nil || err.Error() != c.want82 {
			t.Errorf("8.2 Parse(%q) error = %v, want %q", c.q, err, c.want82)
		}
		if _, err := Parse(c.q, Options{Dialect: 2, Params: params, Schema: vecTestSchema, Compat210: true}); err != nil {
			t.Errorf("2.10 Parse(%q): %v", c.q, err)
		}
	}
	twice := "Distance field was specified twice for vector query: d and e"
	for _, c := range []struct {
		q         string
		compat210 bool
		want      string
	}{
		{"*=>[KNN 3 @v $b AS d]=>{$YIELD_DISTANCE_AS: e}", true, twice},
		{"*=>[KNN 3 @v $b AS d]=>{$YIELD_DISTANCE_AS: e}", false, twice},
		{"*=>[KNN 3 @t $b AS d]=>{$YIELD_DISTANCE_AS: e}", true, ""},
		{"*=>[KNN 3 @nosuch $b AS d]=>{$YIELD_DISTANCE_AS: e}", true, ""},
		// The default name, in any case, gives way to $YIELD_DISTANCE_AS.
		{"*=>[KNN 3 @v $b AS __V_SCORE]=>{$YIELD_DISTANCE_AS: e}", false, ""},
	} {
		_, err := Parse(c.q, Options{Dialect: 2, Params: params, Schema: vecTestSchema, Compat210: c.compat210})
		if c.want == "" && err != nil || c.want != "" && (err == nil || err.Error() != c.want) {
			t.Errorf("Parse(%q, compat210=%v) error = %v, want %q", c.q, c.compat210, err, c.want)
		}
	}
}

// TestVectorShardKRatio: $SHARD_K_RATIO (query.c's ValidateShardKRatio, in
// 8.2 by the backport of RediSearch PR #6383): a double in (0, 1].
func TestVectorShardKRatio(t *testing.T) {
	params := map[string]string{"b": "abcdefgh"}
	n, err := Parse("*=>[KNN 3 @v $b]=>{$SHARD_K_RATIO: 0.5}", Options{Dialect: 2, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if r := n.(*VectorKNN).ShardKRatio; r != 0.5 {
		t.Errorf("ratio %g, want 0.5", r)
	}
	n, err = Parse("*=>[KNN 3 @v $b]", Options{Dialect: 2, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if r := n.(*VectorKNN).ShardKRatio; r != 1 {
		t.Errorf("default ratio %g, want 1", r)
	}
	for v, want := range map[string]string{
		"0":   "Invalid shard k ratio value: Shard k ratio must be greater than 0 and at most 1 (got 0)",
		"1.5": "Invalid shard k ratio value: Shard k ratio must be greater than 0 and at most 1 (got 1.5)",
		"abc": "Invalid shard k ratio value 'abc'",
	} {
		_, err := Parse("*=>[KNN 3 @v $b]=>{$SHARD_K_RATIO: "+v+"}", Options{Dialect: 2, Params: params})
		if err == nil || err.Error() != want {
			t.Errorf("ratio %s: error %v, want %q", v, err, want)
		}
	}
}

// TestVectorExplain covers what the recorded EXPLAIN lines do not: the
// attribute block's parameters after the inline ones, node attributes after
// the VECTOR braces, a range inside an expression (QueryNode_DumpSds).
func TestVectorExplain(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"@t:{red}=>[KNN 3 @v $b EF_RUNTIME 10]=>{$HYBRID_POLICY: BATCHES; $yield_distance_as: dd; $weight: 2}",
			"VECTOR {\n  TAG:@t {\n    red\n  }\n} => {K=3 nearest vectors to `$b` in vector index associated with field @v, " +
				"EF_RUNTIME = 10, HYBRID_POLICY = BATCHES, yields distance as `dd`} => { $weight: 2; }\n"},
		{"@s:hello @v:[VECTOR_RANGE 0.25 $b]=>{$epsilon: 0.1}",
			"INTERSECT {\n  @s:hello\n  VECTOR {Vectors that are within 0.25 distance radius from `$b` in vector index associated with field @v, epsilon = 0.1}\n}\n"},
		{"*=>[KNN 2 @v $b hybrid_policy $p]",
			"VECTOR {K=2 nearest vectors to `$b` in vector index associated with field @v, hybrid_policy = adhoc_bf, yields distance as `__v_score`}\n"},
	} {
		n, err := Parse(c.q, Options{Dialect: 2, Params: map[string]string{"b": "abcdefgh", "p": "adhoc_bf"}, Schema: vecTestSchema})
		if err != nil {
			t.Errorf("Parse(%q): %v", c.q, err)
			continue
		}
		if got := Explain(n, ExplainOptions{Schema: vecTestSchema}); got != c.want {
			t.Errorf("Explain(%q) =\n%q\nwant\n%q", c.q, got, c.want)
		}
	}
}
