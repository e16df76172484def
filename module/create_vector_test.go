package module

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// The 8.2 source this file cites is RediSearch's src/spec.c (FT.CREATE's
// field parser: parseVectorField, parseVectorField_flat/_hnsw/_svs,
// parseVectorField_GetType, parseFieldSpec), src/info/info_command.c
// (fillReplyWithIndexInfo), src/vector_index.h (the keyword and compression
// names), deps/rmutil/args.c (AC_GetSize, AC_GetDouble, tryReadAsDouble),
// VectorSimilarity's src/VecSim/vec_sim_common.h (the defaults) and
// tests/pytests/test_svs_vamana.py (test_svs_vamana_info), as the search
// tool holds them: versions of the 8.x line after SVS-VAMANA came (8.2),
// whose vector parsing is the same as 2.10's for FLAT and HNSW.

// vecGoldenLine is a line of the vector golden scenarios (create.jsonl,
// mutations.jsonl): a command with its reply or error, or a wait.
type vecGoldenLine struct {
	Step  int               `json:"step"`
	Cmd   []json.RawMessage `json:"cmd"`
	Reply json.RawMessage   `json:"reply"`
	Error *string           `json:"error"`
	Note  string            `json:"note"`
}

// args decodes the command: a JSON string is its UTF-8 bytes, a {"b64": x}
// object the bytes of x (the corpus README).
func (l vecGoldenLine) args(t *testing.T) []string {
	t.Helper()
	out := make([]string, len(l.Cmd))
	for i, raw := range l.Cmd {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out[i] = s
			continue
		}
		var b struct{ B64 string }
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatalf("step %d: argument %s", l.Step, raw)
		}
		dec, err := base64.StdEncoding.DecodeString(b.B64)
		if err != nil {
			t.Fatalf("step %d: %v", l.Step, err)
		}
		out[i] = string(dec)
	}
	return out
}

func loadVecGolden(t *testing.T, name string) []vecGoldenLine {
	t.Helper()
	f, err := os.Open(testutil.GoldenFile(t, testutil.GoldenVectors, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []vecGoldenLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var l vecGoldenLine
		var err error
		if b := sc.Bytes(); len(b) > 0 && b[0] == '[' {
			// setup.jsonl: a bare command.
			err = json.Unmarshal(b, &l.Cmd)
		} else {
			err = json.Unmarshal(b, &l)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// replyJSON renders a RESP2 reply as the golden files write it (without
// their b64 encoding, which no FT.INFO attribute needs).
func replyJSON(r redcon.RESP) any {
	switch r.Type {
	case redcon.Integer:
		n, _ := strconv.ParseInt(string(r.Data), 10, 64)
		return n
	case redcon.Array:
		out := []any{}
		r.ForEach(func(e redcon.RESP) bool {
			out = append(out, replyJSON(e))
			return true
		})
		return out
	case redcon.Error:
		return map[string]any{"error": string(r.Data)}
	}
	return string(r.Data)
}

// infoEntry is one top-level entry of a RESP2 FT.INFO reply (nil when
// absent).
func infoEntry(info any, key string) any {
	l, _ := info.([]any)
	for i := 0; i+1 < len(l); i += 2 {
		if l[i] == key {
			return l[i+1]
		}
	}
	return nil
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// vec82Accepts are the golden FT.CREATE lines that 2.10 refused and 8.2
// accepts, with the data_type FT.INFO then shows.
var vec82Accepts = map[int]string{
	// parseVectorField_GetType (src/spec.c, 8.x): `else if
	// (STR_EQCASE(typeStr, len, VECSIM_TYPE_UINT8)) *type =
	// VecSimType_UINT8; else if (STR_EQCASE(typeStr, len,
	// VECSIM_TYPE_INT8)) *type = VecSimType_INT8;` — 2.10 stopped at
	// BFLOAT16 and answered "Unknown argument".
	56: "INT8",
	57: "UINT8",
}

// Replays every line of create.jsonl in order: each FT.CREATE gets the
// recorded reply or error (or, where 8.2 differs, 8.2's), each FT.INFO
// shows the recorded attributes, each FT.DROPINDEX succeeds.
func TestVectorCreateGolden(t *testing.T) {
	lines := loadVecGolden(t, "create.jsonl")
	_, c := searchServer(t)
	creates, ledgered := 0, 0
	for _, l := range lines {
		args := l.args(t)
		what := fmt.Sprintf("step %d (%s) %q", l.Step, l.Note, args)
		r := c.Do(args...)
		got := replyJSON(r)
		switch args[0] {
		case "FT.CREATE":
			creates++
			if dt, ok := vec82Accepts[l.Step]; ok {
				// 2.10 refused this line; 8.2 creates the index.
				ledgered++
				if got != "OK" {
					t.Fatalf("%s: got %v, want OK (8.2 accepts TYPE %s)", what, got, dt)
				}
				attrs := jsonText(t, infoEntry(replyJSON(c.Do("FT.INFO", "vc")), "attributes"))
				want := `[["identifier","v","attribute","v","type","VECTOR","algorithm","FLAT","data_type","` + dt + `","dim",4,"distance_metric","L2"]]`
				if attrs != want {
					t.Fatalf("%s: FT.INFO attributes %s, want %s", what, attrs, want)
				}
				testutil.MustDo(t, c, "FT.DROPINDEX", "vc", testutil.OK)
				continue
			}
		case "FT.INFO":
			// Only the attributes, vector_index_sz_mb and num_docs: the
			// other entries belong to other parts (and 8.2 adds some).
			// 8.2 renders vector attributes as 2.10 did
			// (fillReplyWithIndexInfo): no difference here.
			var want []any
			if err := json.Unmarshal(l.Reply, &want); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			for _, k := range []string{"attributes", "vector_index_sz_mb", "num_docs"} {
				if g, w := jsonText(t, infoEntry(got, k)), jsonText(t, infoEntry(want, k)); g != w {
					t.Errorf("%s: %s = %s, want %s", what, k, g, w)
				}
			}
			continue
		}
		if l.Error != nil {
			if g := jsonText(t, got); g != jsonText(t, map[string]any{"error": *l.Error}) {
				t.Errorf("%s: got %s, want error %q", what, g, *l.Error)
			}
			continue
		}
		var want any
		if err := json.Unmarshal(l.Reply, &want); err != nil {
			t.Fatal(err)
		}
		if g, w := jsonText(t, got), jsonText(t, want); g != w {
			t.Errorf("%s: got %s, want %s", what, g, w)
		}
	}
	// 17 successes (each followed by FT.INFO and FT.DROPINDEX) and 42
	// errors make the 93 lines.
	if creates != 59 || ledgered != len(vec82Accepts) {
		t.Fatalf("replayed %d FT.CREATE lines (%d ledgered), want 59 (%d)", creates, ledgered, len(vec82Accepts))
	}
}

// The FT.ALTER lines of mutations.jsonl, on the corpus' index (as
// setup.jsonl creates it, without its documents): a vector field added,
// one refused for its metric, one for its name; FT.INFO's attributes as
// recorded after the addition (step 43).
func TestVectorAlterGolden(t *testing.T) {
	setup := loadVecGolden(t, "setup.jsonl")
	muts := loadVecGolden(t, "mutations.jsonl")
	_, c := searchServer(t)
	for _, l := range setup {
		if args := l.args(t); args[0] == "FT.CREATE" {
			testutil.MustDo(t, c, append(args, testutil.OK)...)
		}
	}
	alters := 0
	var info43 []any
	for _, l := range muts {
		if len(l.Cmd) == 0 {
			continue
		}
		args := l.args(t)
		if l.Step == 43 {
			if err := json.Unmarshal(l.Reply, &info43); err != nil {
				t.Fatal(err)
			}
		}
		if args[0] != "FT.ALTER" {
			continue
		}
		alters++
		got := jsonText(t, replyJSON(c.Do(args...)))
		want := `"OK"`
		if l.Error != nil {
			want = jsonText(t, map[string]any{"error": *l.Error})
		}
		if got != want {
			t.Errorf("step %d %q: got %s, want %s", l.Step, args, got, want)
		}
	}
	if alters != 3 || info43 == nil {
		t.Fatalf("found %d FT.ALTER lines and step 43: %v", alters, info43 != nil)
	}
	got := jsonText(t, infoEntry(replyJSON(c.Do("FT.INFO", "vidx")), "attributes"))
	if want := jsonText(t, infoEntry(info43, "attributes")); got != want {
		t.Fatalf("FT.INFO vidx attributes:\n got %s\nwant %s", got, want)
	}
}

// vcCreate runs FT.CREATE vc ... SCHEMA <field...> and returns its reply
// (JSON), dropping the index again when it was created.
func vcCreate(t *testing.T, c *testutil.Conn, field ...string) (reply, attrs string) {
	t.Helper()
	args := append([]string{"FT.CREATE", "vc", "ON", "HASH", "PREFIX", "1", "vc:", "SCHEMA"}, field...)
	reply = jsonText(t, replyJSON(c.Do(args...)))
	if reply == `"OK"` {
		attrs = jsonText(t, infoEntry(replyJSON(c.Do("FT.INFO", "vc")), "attributes"))
		testutil.MustDo(t, c, "FT.DROPINDEX", "vc", testutil.OK)
	}
	return reply, attrs
}

// 8.2's vector fields beyond the golden lines: INT8/UINT8, SVS-VAMANA and
// its compressions on a machine without Intel's LVQ, the HNSW wording of
// an odd count, and the number rules of the argument cursor.
func TestVectorCreate82(t *testing.T) {
	_, c := searchServer(t)
	const head = `["identifier","v","attribute","v","type","VECTOR",`
	for _, tc := range []struct {
		name  string
		field []string
		err   string // the error, else the attributes
		attrs string
	}{
		// parseVectorField_GetType: INT8 and UINT8 for every algorithm.
		{"HNSW INT8", []string{"v", "VECTOR", "HNSW", "6", "TYPE", "int8", "DIM", "3", "DISTANCE_METRIC", "COSINE"}, "",
			head + `"algorithm","HNSW","data_type","INT8","dim",3,"distance_metric","COSINE","M",16,"ef_construction",200]`},
		// test_svs_vamana_info (tests/pytests/test_svs_vamana.py): the
		// defaults graph_max_degree 32, construction_window_size 200, and
		// 'compression' NO_COMPRESSION without COMPRESSION.
		{"SVS minimal", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "FLOAT32", "DIM", "16", "DISTANCE_METRIC", "L2"}, "",
			head + `"algorithm","SVS-VAMANA","data_type","FLOAT32","dim",16,"distance_metric","L2","graph_max_degree",32,"construction_window_size",200,"compression","NO_COMPRESSION"]`},
		// The same test without Intel's optimisations: `compression_runtime
		// = ... else 'GlobalSQ8'`, then training_threshold 10240
		// (SVS_VAMANA_DEFAULT_TRAINING_THRESHOLD = 10 * DEFAULT_BLOCK_SIZE).
		{"SVS LVQ8", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "16", "DISTANCE_METRIC", "L2", "COMPRESSION", "LVQ8"}, "",
			head + `"algorithm","SVS-VAMANA","data_type","FLOAT32","dim",16,"distance_metric","L2","graph_max_degree",32,"construction_window_size",200,"compression","GlobalSQ8","training_threshold",10240]`},
		// LeanVec: reduced_dim only where isLVQSupported() (info_command.c).
		{"SVS LeanVec", []string{"v", "VECTOR", "svs-vamana", "8", "TYPE", "float16", "DIM", "16", "DISTANCE_METRIC", "IP", "COMPRESSION", "leanvec4x8"}, "",
			head + `"algorithm","SVS-VAMANA","data_type","FLOAT16","dim",16,"distance_metric","IP","graph_max_degree",32,"construction_window_size",200,"compression","GlobalSQ8","training_threshold",10240]`},
		{"SVS every parameter", []string{"v", "VECTOR", "SVS-VAMANA", "20", "TYPE", "FLOAT32", "DIM", "8", "DISTANCE_METRIC", "COSINE",
			"GRAPH_MAX_DEGREE", "64", "CONSTRUCTION_WINDOW_SIZE", "100", "SEARCH_WINDOW_SIZE", "20", "EPSILON", "0.5",
			"COMPRESSION", "LeanVec8x8", "TRAINING_THRESHOLD", "2048", "REDUCE", "4"}, "",
			head + `"algorithm","SVS-VAMANA","data_type","FLOAT32","dim",8,"distance_metric","COSINE","graph_max_degree",64,"construction_window_size",100,"compression","GlobalSQ8","training_threshold",2048]`},
		{"SVS INDEXMISSING", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "INDEXMISSING"}, "",
			head + `"algorithm","SVS-VAMANA","data_type","FLOAT32","dim",2,"distance_metric","L2","graph_max_degree",32,"construction_window_size",200,"compression","NO_COMPRESSION","INDEXMISSING"]`},
		// parseVectorField_svs: `type != VecSimType_FLOAT16 && type !=
		// VecSimType_FLOAT32` → "Not supported data type is given. ",
		// "Expected: FLOAT16, FLOAT32" (also what the neighbor gem's
		// test_svs_vamana_float64 reads off a real server).
		{"SVS FLOAT64", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "FLOAT64", "DIM", "2", "DISTANCE_METRIC", "L2"},
			"Not supported data type is given. Expected: FLOAT16, FLOAT32", ""},
		{"SVS INT8", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "INT8", "DIM", "2", "DISTANCE_METRIC", "L2"},
			"Not supported data type is given. Expected: FLOAT16, FLOAT32", ""},
		// The type check comes when TYPE is read, before the rest.
		{"SVS FLOAT64 first", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "BFLOAT16", "DIM", "abc", "DISTANCE_METRIC", "L2"},
			"Not supported data type is given. Expected: FLOAT16, FLOAT32", ""},
		{"SVS bad compression", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "COMPRESSION", "LVQ2"},
			"Bad arguments for vector similarity SVS-VAMANA index `COMPRESSION`: Unknown argument", ""},
		// "Invalid TRAINING_THRESHOLD: cannot be lower than DEFAULT_BLOCK_SIZE ", "(%d)".
		{"SVS small threshold", []string{"v", "VECTOR", "SVS-VAMANA", "10", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "COMPRESSION", "LVQ8", "TRAINING_THRESHOLD", "1023"},
			"Invalid TRAINING_THRESHOLD: cannot be lower than DEFAULT_BLOCK_SIZE (1024)", ""},
		{"SVS threshold 0", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "TRAINING_THRESHOLD", "0"},
			"Bad arguments for vector similarity SVS-VAMANA index `TRAINING_THRESHOLD`: Value is outside acceptable bounds", ""},
		{"SVS threshold uncompressed", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "TRAINING_THRESHOLD", "2048"},
			"TRAINING_THRESHOLD is irrelevant when compression was not requested", ""},
		{"SVS REDUCE on LVQ", []string{"v", "VECTOR", "SVS-VAMANA", "10", "TYPE", "FLOAT32", "DIM", "8", "DISTANCE_METRIC", "L2", "COMPRESSION", "LVQ4x8", "REDUCE", "4"},
			"REDUCE is irrelevant when compression is not of type LeanVec", ""},
		// The mandatory parameters are checked before those two.
		{"SVS missing metric", []string{"v", "VECTOR", "SVS-VAMANA", "6", "TYPE", "FLOAT32", "DIM", "8", "REDUCE", "4"},
			"Missing mandatory parameter: cannot create SVS-VAMANA index without specifying DISTANCE_METRIC argument", ""},
		{"SVS M", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "M", "16"},
			"Bad arguments for algorithm SVS-VAMANA: M", ""},
		{"SVS INITIAL_CAP", []string{"v", "VECTOR", "SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "INITIAL_CAP", "16"},
			"Bad arguments for algorithm SVS-VAMANA: INITIAL_CAP", ""},
		{"SVS odd count", []string{"v", "VECTOR", "SVS-VAMANA", "5", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC"},
			"Bad number of arguments for vector similarity index: got 5 but expected even number as algorithm parameters (should be submitted as named arguments)", ""},
		// parseVectorField_hnsw words an odd count its own way: "got %d but
		// expected even number (as algorithm parameters should be
		// submitted as named arguments)".
		{"HNSW odd count", []string{"v", "VECTOR", "HNSW", "7", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "M"},
			"Bad number of arguments for vector similarity index: got 7 but expected even number (as algorithm parameters should be submitted as named arguments)", ""},
		// %d of a size_t: the low 32 bits.
		{"huge odd count", []string{"v", "VECTOR", "FLAT", "4294967301"},
			"Bad number of arguments for vector similarity index: got 5 but expected even number as algorithm parameters (should be submitted as named arguments)", ""},
		// AC_GetSize → AC_GetLongLong: strtoll fails on "4.0", then
		// tryReadAsDouble takes an integral double; "-4.0" fails AC_GetDouble's
		// bound inside tryReadAsDouble, which makes it a parse error, while
		// "-4" is a bounds error (golden step 74).
		{"DIM 4.0", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "4.0", "DISTANCE_METRIC", "L2"}, "",
			head + `"algorithm","FLAT","data_type","FLOAT32","dim",4,"distance_metric","L2"]`},
		{"DIM 1e1", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "1e1", "DISTANCE_METRIC", "L2"}, "",
			head + `"algorithm","FLAT","data_type","FLOAT32","dim",10,"distance_metric","L2"]`},
		{"DIM -4.0", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "-4.0", "DISTANCE_METRIC", "L2"},
			"Bad arguments for vector similarity FLAT index `DIM`: Could not convert argument to expected type", ""},
		// FT.CREATE's arguments are C strings: strtoll takes a sign and
		// leading spaces.
		{"DIM +4", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "+4", "DISTANCE_METRIC", "L2"}, "",
			head + `"algorithm","FLAT","data_type","FLOAT32","dim",4,"distance_metric","L2"]`},
		{"DIM space 4", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", " 4", "DISTANCE_METRIC", "L2"}, "",
			head + `"algorithm","FLAT","data_type","FLOAT32","dim",4,"distance_metric","L2"]`},
		// AC_GetDouble on a C string refuses ±HUGE_VAL.
		{"EPSILON inf", []string{"v", "VECTOR", "HNSW", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "EPSILON", "inf"},
			"Bad arguments for vector similarity HNSW index `EPSILON`: Could not convert argument to expected type", ""},
		// A SORTABLE after a vector's parameters names the next field.
		{"SORTABLE then type", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "SORTABLE", "TEXT"}, "",
			head + `"algorithm","FLAT","data_type","FLOAT32","dim",2,"distance_metric","L2"],["identifier","SORTABLE","attribute","SORTABLE","type","TEXT","WEIGHT","1"]`},
		{"INDEXMISSING twice", []string{"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "INDEXMISSING", "INDEXMISSING"},
			"Field `INDEXMISSING` does not have a type", ""},
		// The module checks a name against the schema before its type.
		{"duplicate before type", []string{"v", "TEXT", "v", "VECTOR", "IVF"}, "Duplicate field in schema - v", ""},
	} {
		reply, attrs := vcCreate(t, c, tc.field...)
		if tc.err != "" {
			if want := jsonText(t, map[string]any{"error": tc.err}); reply != want {
				t.Errorf("%s: got %s, want %s", tc.name, reply, want)
			}
			continue
		}
		if reply != `"OK"` || attrs != "["+tc.attrs+"]" {
			t.Errorf("%s: got %s %s, want OK [%s]", tc.name, reply, attrs, tc.attrs)
		}
	}
}

// FT.ALTER reads Redis strings (ArgsCursor_InitRString): string2ll, then
// string2d, so numbers parse otherwise than in FT.CREATE.
func TestVectorAlterNumbers(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", testutil.OK)
	for _, tc := range []struct {
		field []string
		want  string
	}{
		// string2d refuses a leading space (strtoll took it).
		{[]string{"a", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", " 4", "DISTANCE_METRIC", "L2"},
			testutil.Err("Bad arguments for vector similarity FLAT index `DIM`: Could not convert argument to expected type")},
		// string2ll refuses "+4", string2d reads 4: an integral double.
		{[]string{"b", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "+4", "DISTANCE_METRIC", "L2"}, testutil.OK},
		// string2d reads "inf", and AC_GetDouble's RString branch has no
		// HUGE_VAL check.
		{[]string{"c", "VECTOR", "HNSW", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "EPSILON", "inf"}, testutil.OK},
		{[]string{"d", "VECTOR", "HNSW", "8", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", "EPSILON", ""},
			testutil.Err("Bad arguments for vector similarity HNSW index `EPSILON`: Could not convert argument to expected type")},
	} {
		testutil.MustDo(t, c, append(append([]string{"FT.ALTER", "idx", "SCHEMA", "ADD"}, tc.field...), tc.want)...)
	}
}

// The parameters the engine gets, with the module's and VectorSimilarity's
// defaults for what was left out.
func TestVectorParams(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want vecsim.Params
	}{
		// FLAT: BLOCK_SIZE is parsed but 8.2 stores DEFAULT_BLOCK_SIZE
		// blocks whatever it says (parseVectorField_validate_flat:
		// "BLOCK_SIZE is deprecated and not respected when set by user").
		{[]string{"FLAT", "10", "TYPE", "FLOAT64", "DIM", "3", "DISTANCE_METRIC", "IP", "BLOCK_SIZE", "128", "INITIAL_CAP", "1000"},
			vecsim.Params{Algo: vecsim.Flat, Type: vecsim.Float64, Dim: 3, Metric: vecsim.IP, InitialCap: 1000, BlockSize: 1024}},
		// HNSW_DEFAULT_M 16, HNSW_DEFAULT_EF_C 200, HNSW_DEFAULT_EF_RT 10,
		// HNSW_DEFAULT_EPSILON 0.01 (vec_sim_common.h).
		{[]string{"HNSW", "6", "TYPE", "BFLOAT16", "DIM", "8", "DISTANCE_METRIC", "COSINE"},
			vecsim.Params{Algo: vecsim.HNSW, Type: vecsim.BFloat16, Dim: 8, Metric: vecsim.Cosine, BlockSize: 1024, M: 16, EFConstruction: 200, EFRuntime: 10, Epsilon: 0.01}},
		// HNSWIndex: `epsilon_ = params->epsilon > 0.0 ? params->epsilon :
		// HNSW_DEFAULT_EPSILON`: EPSILON 0 runs as 0.01.
		{[]string{"HNSW", "16", "TYPE", "UINT8", "DIM", "4", "DISTANCE_METRIC", "L2", "M", "8", "EF_CONSTRUCTION", "50", "EF_RUNTIME", "20", "EPSILON", "0", "INITIAL_CAP", "10"},
			vecsim.Params{Algo: vecsim.HNSW, Type: vecsim.UInt8, Dim: 4, Metric: vecsim.L2, InitialCap: 10, BlockSize: 1024, M: 8, EFConstruction: 50, EFRuntime: 20, Epsilon: 0.01}},
		// SVS_VAMANA_DEFAULT_GRAPH_MAX_DEGREE 32, _CONSTRUCTION_WINDOW_SIZE
		// 200, _SEARCH_WINDOW_SIZE 10, _EPSILON 0.01; no training
		// threshold without compression.
		{[]string{"SVS-VAMANA", "6", "TYPE", "FLOAT16", "DIM", "6", "DISTANCE_METRIC", "L2"},
			vecsim.Params{Algo: vecsim.SVSVamana, Type: vecsim.Float16, Dim: 6, Metric: vecsim.L2, BlockSize: 1024, Epsilon: 0.01, GraphMaxDegree: 32, ConstructionWindowSize: 200, SearchWindowSize: 10}},
		// parseVectorField: with compression, the threshold defaults to
		// SVS_VAMANA_DEFAULT_TRAINING_THRESHOLD (10 * 1024); LeanVec's
		// REDUCE to dim / 2.
		{[]string{"SVS-VAMANA", "8", "TYPE", "FLOAT32", "DIM", "6", "DISTANCE_METRIC", "L2", "COMPRESSION", "leanvec8x8"},
			vecsim.Params{Algo: vecsim.SVSVamana, Type: vecsim.Float32, Dim: 6, Metric: vecsim.L2, BlockSize: 1024, Epsilon: 0.01, GraphMaxDegree: 32, ConstructionWindowSize: 200, SearchWindowSize: 10,
				Compression: "LeanVec8x8", TrainingThreshold: 10240, ReduceDim: 3}},
		{[]string{"SVS-VAMANA", "14", "TYPE", "FLOAT32", "DIM", "6", "DISTANCE_METRIC", "IP", "COMPRESSION", "LVQ4", "TRAINING_THRESHOLD", "5000", "SEARCH_WINDOW_SIZE", "40", "EPSILON", "0.2"},
			vecsim.Params{Algo: vecsim.SVSVamana, Type: vecsim.Float32, Dim: 6, Metric: vecsim.IP, BlockSize: 1024, Epsilon: 0.2, GraphMaxDegree: 32, ConstructionWindowSize: 200, SearchWindowSize: 40,
				Compression: "LVQ4", TrainingThreshold: 5000}},
	} {
		args := append([]string{"SCHEMA", "t", "TEXT", "v", "AS", "vec", "VECTOR"}, tc.args...)
		bs := make([][]byte, len(args))
		for i, a := range args {
			bs[i] = []byte(a)
		}
		sp, err := ParseCreate("idx", bs)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		f := sp.Field("vec")
		if f == nil || f.Type != index.FieldVector || f.Path != "v" || f.Vector == nil {
			t.Fatalf("%q: field %+v", tc.args, f)
		}
		if *f.Vector != tc.want {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.args, *f.Vector, tc.want)
		}
	}
}

// An index with a VECTOR field indexes a document whose blob has the
// field's size (DIM 2 × 4 bytes), and refuses, as an indexing failure, one
// whose blob has another: the module does not index it at all, not even
// its other fields.
func TestVectorIndexBlobSizes(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"HSET", "d:1", "title", "hello world", "v", "\x00\x00\x80\x3f\x00\x00\x00\x40", testutil.Int(2)},
		{"FT.CREATE", "idx", "PREFIX", "1", "d:", "SCHEMA", "title", "TEXT", "v", "VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", testutil.OK},
		{"HSET", "d:2", "title", "hello there", "v", "\x00\x00\x80\x3f", testutil.Int(2)},
	})
	deadline := time.Now().Add(30 * time.Second)
	for infoField(t, c, "idx", "indexing") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the initial scan did not end in 30 s")
		}
		time.Sleep(time.Millisecond)
	}
	testutil.MustDo(t, c, "FT.SEARCH", "idx", "hello", "NOCONTENT", testutil.Arr(testutil.Int(1), testutil.Bulk("d:1")))
	if got := infoField(t, c, "idx", "hash_indexing_failures"); got != "1" {
		t.Fatalf("hash_indexing_failures = %s, want 1", got)
	}
	if got := infoField(t, c, "idx", "vector_index_sz_mb"); got == "0" {
		t.Fatalf("vector_index_sz_mb = %s with a vector indexed", got)
	}
}

// FT.INFO's RESP3 attribute of a vector field: a map, its parameters as
// integers, then its flags.
func TestVectorInfoResp3(t *testing.T) {
	sp, err := ParseCreate("idx", [][]byte{[]byte("SCHEMA"), []byte("v"), []byte("VECTOR"), []byte("HNSW"), []byte("8"),
		[]byte("TYPE"), []byte("FLOAT32"), []byte("DIM"), []byte("4"), []byte("DISTANCE_METRIC"), []byte("L2"), []byte("M"), []byte("4"), []byte("INDEXMISSING")})
	if err != nil {
		t.Fatal(err)
	}
	w := resp.NewWriter(3)
	writeAttribute(w, sp.Fields[0])
	want := testutil.Map3(
		testutil.Status("identifier"), testutil.Status("v"),
		testutil.Status("attribute"), testutil.Status("v"),
		testutil.Status("type"), testutil.Status("VECTOR"),
		testutil.Status("algorithm"), testutil.Status("HNSW"),
		testutil.Status("data_type"), testutil.Status("FLOAT32"),
		testutil.Status("dim"), testutil.Int(4),
		testutil.Status("distance_metric"), testutil.Status("L2"),
		testutil.Status("M"), testutil.Int(4),
		testutil.Status("ef_construction"), testutil.Int(200),
		testutil.Status("flags"), testutil.Arr(testutil.Status("INDEXMISSING")))
	if got := string(w.Bytes()); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// FT.CREATE of an existing index answers "Index already exists" whatever
// its arguments: the module looks the name up before parsing them
// (IndexSpec_CreateNew).
func TestCreateExistingBeforeArguments(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "vc", "SCHEMA", "v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "4", "DISTANCE_METRIC", "L2", testutil.OK},
		{"FT.CREATE", "vc", "SCHEMA", "v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT", "DIM", "4", "DISTANCE_METRIC", "L2", testutil.Err("Index already exists")},
		{"FT.CREATE", "other", "SCHEMA", "v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT", "DIM", "4", "DISTANCE_METRIC", "L2",
			testutil.Err("Bad arguments for vector similarity FLAT index `TYPE`: Unknown argument")},
	})
}
