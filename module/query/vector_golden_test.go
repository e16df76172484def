package query

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// The vector corpus (redisearch-2.10.25-vectors) recorded vidx, created by
// its setup.jsonl line 2 as
//
//	title TEXT, cat TAG, price NUMERIC SORTABLE,
//	vf VECTOR FLAT  TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2     (blob 4×4 = 16 bytes)
//	vh VECTOR HNSW  TYPE FLOAT32 DIM 8 DISTANCE_METRIC COSINE (blob 8×4 = 32 bytes)
//	vd VECTOR FLAT  TYPE FLOAT64 DIM 4 DISTANCE_METRIC IP     (blob 4×8 = 32 bytes)
var vidxSchema = testSchema{
	{"title", FieldInfo{Type: TextField, TextBit: 0}},
	{"cat", FieldInfo{Type: TagField}},
	{"price", FieldInfo{Type: NumericField}},
	{"vf", FieldInfo{Type: VectorField}},
	{"vh", FieldInfo{Type: VectorField}},
	{"vd", FieldInfo{Type: VectorField}},
}

type vecFieldSpec struct {
	algo     VectorAlgo
	blobSize int
}

var vidxVectors = map[string]vecFieldSpec{"vf": {VectorFlat, 16}, "vh": {VectorHNSW, 32}, "vd": {VectorFlat, 32}}

// vecGoldenLine is one line of the vector corpus, its {"b64": …} arguments
// decoded to their bytes (the corpus README's rule).
type vecGoldenLine struct {
	pos   string // "search.jsonl:161"
	args  []string
	reply json.RawMessage
	err   *string
}

func readVectorGolden(t *testing.T, file string) []vecGoldenLine {
	t.Helper()
	f, err := os.Open(testutil.GoldenFile(t, testutil.GoldenVectors, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vecGoldenLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		var raw struct {
			Cmd   []json.RawMessage `json:"cmd"`
			Reply json.RawMessage   `json:"reply"`
			Error *string           `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		l := vecGoldenLine{pos: fmt.Sprintf("%s:%d", file, n), reply: raw.Reply, err: raw.Error}
		for _, c := range raw.Cmd {
			var s string
			if json.Unmarshal(c, &s) != nil {
				var o struct {
					B64 string `json:"b64"`
				}
				if err := json.Unmarshal(c, &o); err != nil {
					t.Fatalf("%s:%d: %v", file, n, err)
				}
				b, err := base64.StdEncoding.DecodeString(o.B64)
				if err != nil {
					t.Fatalf("%s:%d: %v", file, n, err)
				}
				s = string(b)
			}
			l.args = append(l.args, s)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func vidxOptions(args []string) Options {
	return Options{Dialect: dialectOf(args), Params: paramsOf(args), Schema: vidxSchema, Compat210: true}
}

// errEngineBlob marks, in evalVectors, the engine's own blob-size check,
// which this package leaves to it.
var errEngineBlob = fmt.Errorf("engine: blob size")

// evalVectors walks a parsed tree as the module evaluates it and makes the
// engine's calls of Resolve: a KNN clause on a VECTOR field evaluates its
// filter (assumed here to match something), then the blob's size, then
// Resolve; a VECTOR_RANGE clause the blob's size, then Resolve. A clause on
// any other field is skipped (the module answers [0]).
func evalVectors(n Node, specs map[string]vecFieldSpec) error {
	switch x := n.(type) {
	case *VectorKNN:
		spec, ok := specs[x.Field]
		if !ok {
			return nil
		}
		if x.Filter != nil {
			if err := evalVectors(x.Filter, specs); err != nil {
				return err
			}
		}
		if len(x.Blob) != spec.blobSize {
			return errEngineBlob
		}
		return x.Resolve(spec.algo)
	case *VectorRange:
		spec, ok := specs[x.Field]
		if !ok {
			return nil
		}
		if len(x.Blob) != spec.blobSize {
			return errEngineBlob
		}
		return x.Resolve(spec.algo)
	case *Intersect:
		for _, c := range x.Children {
			if err := evalVectors(c, specs); err != nil {
				return err
			}
		}
	case *Union:
		for _, c := range x.Children {
			if err := evalVectors(c, specs); err != nil {
				return err
			}
		}
	case *Not:
		return evalVectors(x.Child, specs)
	case *Optional:
		return evalVectors(x.Child, specs)
	}
	return nil
}

// Where each error line of the vector corpus's search.jsonl and
// aggregate.jsonl comes from:
//
//	parse   — Parse reports it (grammar, parameters, attributes, and the
//	          distance field named twice, which Parse reports last);
//	resolve — VectorKNN.Resolve / VectorRange.Resolve report it: the module
//	          raises it when it builds the iterator, against the field's
//	          algorithm (src/vector_index.c NewVectorIterator,
//	          VecSim_ResolveQueryParams), which the engine passes in;
//	engine  — the engine's: it needs the index (blob size against the
//	          field's DIM and TYPE, an alias naming a schema field, a
//	          distance field that does not exist for SORTBY);
//	args    — FT.SEARCH's argument parsing, before any query parsing.
var vectorGoldenErrors = map[string]struct {
	kind    string
	dialect int // parse: the dialect the command really ran with, when not its DIALECT argument
}{
	"search.jsonl:99":  {kind: "engine"}, // SORTBY __vf_score: a VECTOR_RANGE without $YIELD_DISTANCE_AS yields no distance
	"search.jsonl:108": {kind: "engine"},
	"search.jsonl:161": {kind: "engine"}, // blob sizes (NewVectorIterator)
	"search.jsonl:162": {kind: "engine"},
	"search.jsonl:163": {kind: "engine"},
	"search.jsonl:164": {kind: "engine"},
	"search.jsonl:165": {kind: "engine"},
	"search.jsonl:168": {kind: "engine"},
	"search.jsonl:169": {kind: "parse"}, // DIALECT 1
	"search.jsonl:170": {kind: "parse"}, // default dialect 1
	"search.jsonl:171": {kind: "args"},  // DIALECT 0
	"search.jsonl:172": {kind: "args"},  // DIALECT 5
	"search.jsonl:173": {kind: "parse"},
	"search.jsonl:181": {kind: "parse"},
	"search.jsonl:182": {kind: "parse"},
	"search.jsonl:183": {kind: "parse"},
	"search.jsonl:184": {kind: "parse"},
	"search.jsonl:187": {kind: "parse"},
	"search.jsonl:188": {kind: "parse"},
	"search.jsonl:189": {kind: "parse"},
	"search.jsonl:192": {kind: "parse"},
	"search.jsonl:194": {kind: "parse"},
	"search.jsonl:195": {kind: "args"}, // PARAMS 3
	"search.jsonl:196": {kind: "args"}, // PARAMS 0
	"search.jsonl:197": {kind: "args"}, // duplicate parameter
	// PARAMS 4 takes `B <blob> DIALECT 2` as its pairs, so the query runs
	// in the default dialect 1.
	"search.jsonl:198":   {kind: "parse", dialect: 1},
	"search.jsonl:199":   {kind: "parse"},
	"search.jsonl:200":   {kind: "parse"},
	"search.jsonl:201":   {kind: "resolve"}, // EF_RUNTIME on FLAT
	"search.jsonl:202":   {kind: "resolve"},
	"search.jsonl:203":   {kind: "resolve"},
	"search.jsonl:204":   {kind: "resolve"},
	"search.jsonl:206":   {kind: "resolve"},
	"search.jsonl:207":   {kind: "resolve"},
	"search.jsonl:208":   {kind: "resolve"},
	"search.jsonl:209":   {kind: "resolve"},
	"search.jsonl:210":   {kind: "resolve"},
	"search.jsonl:211":   {kind: "resolve"},
	"search.jsonl:212":   {kind: "resolve"},
	"search.jsonl:213":   {kind: "resolve"},
	"search.jsonl:214":   {kind: "resolve"},
	"search.jsonl:217":   {kind: "resolve"},
	"search.jsonl:218":   {kind: "parse"},
	"search.jsonl:219":   {kind: "parse"},
	"search.jsonl:220":   {kind: "engine"}, // alias names a schema field
	"search.jsonl:221":   {kind: "engine"},
	"search.jsonl:223":   {kind: "parse"},
	"search.jsonl:225":   {kind: "parse"},
	"search.jsonl:226":   {kind: "parse"},
	"search.jsonl:227":   {kind: "parse"},
	"search.jsonl:228":   {kind: "parse"},
	"search.jsonl:229":   {kind: "parse"},
	"search.jsonl:230":   {kind: "parse"},
	"search.jsonl:231":   {kind: "parse"},
	"search.jsonl:232":   {kind: "parse"},
	"search.jsonl:234":   {kind: "resolve"}, // negative radius
	"search.jsonl:235":   {kind: "parse"},
	"search.jsonl:236":   {kind: "parse"},
	"search.jsonl:237":   {kind: "resolve"},
	"search.jsonl:239":   {kind: "parse"},
	"search.jsonl:240":   {kind: "resolve"}, // EPSILON on FLAT
	"search.jsonl:241":   {kind: "resolve"},
	"search.jsonl:242":   {kind: "resolve"},
	"search.jsonl:245":   {kind: "engine"},
	"search.jsonl:246":   {kind: "parse"},
	"search.jsonl:249":   {kind: "engine"}, // SORTBY nosuch
	"search.jsonl:250":   {kind: "engine"},
	"search.jsonl:262":   {kind: "args"}, // no such index
	"aggregate.jsonl:41": {kind: "parse"},
	"aggregate.jsonl:42": {kind: "parse"},
	"aggregate.jsonl:43": {kind: "engine"},
	"aggregate.jsonl:45": {kind: "engine"},
}

// TestVectorGoldenErrors checks every error line of the vector corpus: the
// parse and resolve ones give the recorded text exactly (2.10 and 8.2 word
// them alike: vector_index.c's and query.c's messages are the same in
// both, QueryError_Strerror's texts for the vector codes unchanged); the
// engine ones parse, as the module's parser accepted them.
func TestVectorGoldenErrors(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range []string{"search.jsonl", "aggregate.jsonl"} {
		for _, l := range readVectorGolden(t, file) {
			if l.err == nil {
				continue
			}
			seen[l.pos] = true
			c, ok := vectorGoldenErrors[l.pos]
			if !ok {
				t.Errorf("%s: error line %q not classified", l.pos, *l.err)
				continue
			}
			if c.kind == "args" {
				continue
			}
			t.Run(l.pos, func(t *testing.T) {
				opts := vidxOptions(l.args[3:])
				if c.dialect != 0 {
					opts.Dialect = c.dialect
				}
				n, err := Parse(l.args[2], opts)
				if c.kind == "parse" {
					if err == nil || err.Error() != *l.err {
						t.Fatalf("Parse(%q) error = %v, want %q", l.args[2], err, *l.err)
					}
					if _, ok := err.(*Error); !ok {
						t.Fatalf("error type %T", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("Parse(%q): %v (the module parsed it)", l.args[2], err)
				}
				err = evalVectors(n, vidxVectors)
				if c.kind == "engine" {
					if err != nil && err != errEngineBlob {
						t.Fatalf("%q: %v, want no error of ours", l.args[2], err)
					}
					return
				}
				if err == nil || err.Error() != *l.err {
					t.Fatalf("%q: resolve error = %v, want %q", l.args[2], err, *l.err)
				}
			})
		}
	}
	for pos := range vectorGoldenErrors {
		if !seen[pos] {
			t.Errorf("%s is classified but is no error line", pos)
		}
	}
	if len(seen) < 70 {
		t.Fatalf("only %d error lines", len(seen))
	}
}

// TestVectorGoldenReplies checks that every command the module answered
// parses, and that Resolve accepts every vector clause the engine would
// build an iterator for.
func TestVectorGoldenReplies(t *testing.T) {
	n := 0
	for _, file := range []string{"search.jsonl", "aggregate.jsonl"} {
		for _, l := range readVectorGolden(t, file) {
			if l.err != nil {
				continue
			}
			n++
			node, err := Parse(l.args[2], vidxOptions(l.args[3:]))
			if err != nil {
				t.Errorf("%s: Parse(%q): %v", l.pos, l.args[2], err)
				continue
			}
			if err := evalVectors(node, vidxVectors); err != nil {
				t.Errorf("%s: %q: %v", l.pos, l.args[2], err)
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d reply lines", n)
	}
}

// TestVectorGoldenExplain replays other.jsonl's FT.EXPLAIN and FT.EXPLAINCLI
// lines (FT.EXPLAINCLI's reply is FT.EXPLAIN's text split at newlines). The
// 8.2 printer (QueryNode_DumpSds) writes the VECTOR node as 2.10's does.
func TestVectorGoldenExplain(t *testing.T) {
	n := 0
	for _, l := range readVectorGolden(t, "other.jsonl") {
		cmd := strings.ToUpper(l.args[0])
		if cmd != "FT.EXPLAIN" && cmd != "FT.EXPLAINCLI" {
			continue
		}
		n++
		t.Run(l.pos, func(t *testing.T) {
			node, err := Parse(l.args[2], vidxOptions(l.args[3:]))
			if err != nil {
				t.Fatalf("Parse(%q): %v", l.args[2], err)
			}
			got := Explain(node, ExplainOptions{Schema: vidxSchema, Expand: stemExpand})
			var want string
			if cmd == "FT.EXPLAIN" {
				if err := json.Unmarshal(l.reply, &want); err != nil {
					t.Fatal(err)
				}
			} else {
				var lines []string
				if err := json.Unmarshal(l.reply, &lines); err != nil {
					t.Fatal(err)
				}
				want = strings.Join(lines, "\n")
			}
			if got != want {
				t.Fatalf("Explain(%q) =\n%s\nwant\n%s", l.args[2], got, want)
			}
		})
	}
	if n != 14 {
		t.Fatalf("%d explain lines, want 14", n)
	}
}

// TestVectorGoldenTrees spot-checks the trees of recorded queries, written
// out by hand from each query's text and PARAMS (blob sizes: vf 16, vh and
// vd 32 bytes), and the runtime parameters Resolve fills in.
func TestVectorGoldenTrees(t *testing.T) {
	cases := map[string]struct{ tree, runtime string }{
		"search.jsonl:1": {tree: "knn(@vh k=3 $B/32B as=d filter=*)"},
		"search.jsonl:2": {tree: "range(@vh r=0.149 $B/32B as=score EPSILON=0.01)", runtime: "eps=0.01"},
		"search.jsonl:3": {tree: "knn(@vh k=10 $vec/32B as=knn_d EF_RUNTIME=20 filter=*)", runtime: "ef=20"},
		"search.jsonl:4": {tree: "knn(@vh k=10 $B/32B as=d filter=tag:@cat{0:white})"},
		"search.jsonl:5": {tree: "knn(@vf k=300 $B/16B as=vd_dist HYBRID_POLICY=ADHOC_BF filter=(and tag:@cat{0:black} @price[757,823]))",
			runtime: "policy=ADHOC_BF"},
		"search.jsonl:6": {tree: "(and range(@vh r=0.369 $B/32B as=distance) range(@vd r=0.649 $B2/32B as=vd_dist))"},
		"search.jsonl:7": {tree: "(and range(@vh r=0.131 $B/32B as=knn_d EPSILON=0.5) range(@vf r=3.154296875 $B2/16B as=vd_dist))",
			runtime: "eps=0.5"},
		"search.jsonl:9": {tree: "(or range(@vd r=0.0068359375 $B/32B as=d) tag:@cat{0:white})"},
		"search.jsonl:10": {tree: "knn(@vh k=1 $query_vector/32B as=distance EF_RUNTIME=50 filter=(or @1:harbor tag:@cat{0:black}))",
			runtime: "ef=50"},
		"search.jsonl:11": {tree: "knn(@vh k=5 $B/32B as=__vh_score EF_RUNTIME=200 filter=(or @1:river tag:@cat{0:black}))",
			runtime: "ef=200"},
		"search.jsonl:15": {tree: "knn(@vf k=5 $B/16B as=__vf_score HYBRID_POLICY=ADHOC_BF filter=range(@vf r=1.1396484375 $R/16B as=))",
			runtime: "policy=ADHOC_BF"},
		"search.jsonl:16": {tree: "knn(@vf k=10 $B/16B as=__vf_score filter=river)"},
		"search.jsonl:35": {tree: "knn(@vf k=10 $B/16B as=vd_dist filter=*)"},
		"search.jsonl:57": {tree: "(or range(@vh r=0.217 $B/32B as= EPSILON=1) tag:@cat{0:black})", runtime: "eps=1"},
		"search.jsonl:59": {tree: "(and @1:river range(@vd r=0.0107421875 $B/32B as=vd_dist))"},
		"search.jsonl:64": {tree: "knn(@vh k=3 $B/32B as=dist filter=range(@vf r=2.13 $R/16B as=))"},
		"search.jsonl:73": {tree: "knn(@vh k=5 $B/32B as=score EF_RUNTIME=50 filter=(not tag:@cat{0:blue}))", runtime: "ef=50"},
		"search.jsonl:119": {tree: "knn(@vf k=2 $B/16B as=d HYBRID_POLICY=BATCHES BATCH_SIZE=50 filter=(and tag:@cat{0:gold} @price[63,132]))",
			runtime: "policy=BATCHES batch=50"},
		"search.jsonl:139": {tree: "knn(@vh k=20 $B/32B as=__vh_score EF_RUNTIME=1 filter=@1:(or @1:harbor @1:orchard))", runtime: "ef=1"},
		"search.jsonl:142": {tree: "knn(@vh k=10 $B/32B as=distance filter=@price(363,+Inf])"},
		"search.jsonl:157": {tree: "knn(@vh k=3 $B/32B as=dist EF_RUNTIME=200 HYBRID_POLICY=BATCHES filter=tag:@cat{0:green})",
			runtime: "ef=200 policy=BATCHES"},
		"search.jsonl:185":   {tree: "knn(@vf k=0 $B/16B as=d filter=*)"}, // KNN 0: [0]
		"search.jsonl:190":   {tree: "knn(@vf k=0 $B/16B as=d filter=*)"}, // $K = "": [0]
		"search.jsonl:205":   {tree: "knn(@vh k=3 $B/32B as=d EF_RUNTIME=40 filter=*)", runtime: "ef=40"},
		"search.jsonl:216":   {tree: "knn(@vf k=3 $B/16B as=d hybrid_policy=adhoc_bf filter=tag:@cat{0:red})", runtime: "policy=ADHOC_BF"},
		"search.jsonl:222":   {tree: "knn(@vf k=3 $B/16B as=d filter=*)"},
		"search.jsonl:224":   {tree: "knn(@vh k=3 $B/32B as=d EF_RUNTIME=30 filter=*)", runtime: "ef=30"},
		"search.jsonl:243":   {tree: "range(@vf r=1 $B/16B as=d)"},
		"search.jsonl:247":   {tree: "range(@vf r=+Inf $B/16B as=)"},
		"aggregate.jsonl:18": {tree: "knn(@vh k=5 $B/32B as=score filter=(not tag:@cat{0:blue}))"},
	}
	found := 0
	for _, file := range []string{"search.jsonl", "aggregate.jsonl"} {
		for _, l := range readVectorGolden(t, file) {
			c, ok := cases[l.pos]
			if !ok {
				continue
			}
			found++
			t.Run(l.pos, func(t *testing.T) {
				n, err := Parse(l.args[2], vidxOptions(l.args[3:]))
				if err != nil {
					t.Fatalf("Parse(%q): %v", l.args[2], err)
				}
				if got := dump(n); got != c.tree {
					t.Fatalf("Parse(%q) = %s, want %s", l.args[2], got, c.tree)
				}
				if err := evalVectors(n, vidxVectors); err != nil {
					t.Fatalf("%q: %v", l.args[2], err)
				}
				if got := dumpRuntime(n); got != c.runtime {
					t.Fatalf("%q: runtime %q, want %q", l.args[2], got, c.runtime)
				}
			})
		}
	}
	if found != len(cases) {
		t.Fatalf("found %d of %d lines", found, len(cases))
	}
}

// dumpRuntime prints what Resolve filled in, over the tree's vector nodes.
func dumpRuntime(n Node) string {
	var parts []string
	var walk func(Node)
	walk = func(n Node) {
		switch x := n.(type) {
		case *VectorKNN:
			if x.HasEFRuntime {
				parts = append(parts, fmt.Sprintf("ef=%d", x.EFRuntime))
			}
			if x.HasEpsilon {
				parts = append(parts, fmt.Sprintf("eps=%g", x.Epsilon))
			}
			if x.HybridPolicy != "" {
				parts = append(parts, "policy="+x.HybridPolicy)
			}
			if x.HasBatchSize {
				parts = append(parts, fmt.Sprintf("batch=%d", x.BatchSize))
			}
			if x.Filter != nil {
				walk(x.Filter)
			}
		case *VectorRange:
			if x.HasEpsilon {
				parts = append(parts, fmt.Sprintf("eps=%g", x.Epsilon))
			}
		case *Intersect:
			for _, c := range x.Children {
				walk(c)
			}
		case *Union:
			for _, c := range x.Children {
				walk(c)
			}
		case *Not:
			walk(x.Child)
		case *Optional:
			walk(x.Child)
		}
	}
	walk(n)
	return strings.Join(parts, " ")
}
