package vecsim

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// The golden vector corpus (../shared/golden/redisearch-2.10.25-vectors):
// 300 hashes with vf (FLAT FLOAT32 DIM 4 L2), vh (HNSW FLOAT32 DIM 8
// COSINE) and vd (FLAT FLOAT64 DIM 4 IP), and FT.SEARCH replies of the
// real module. These tests check the library's distances and FLAT
// results against them, below the query language: every distance a reply
// shows, printed as the module prints it (%.12g), must be ours to the
// last digit, and the pure KNN and VECTOR_RANGE queries on the FLAT
// fields (and on vh, whose recorded KNN replies are all exact, see the
// corpus README) must find the documents the module found. vh is checked
// as the HNSW index the module has (the graph measures through the same
// space as FLAT), as FLAT, and as SVS-VAMANA.

var goldenFields = map[string]*Params{
	"vf": {Algo: Flat, Type: Float32, Dim: 4, Metric: L2},
	"vh": {Algo: HNSW, Type: Float32, Dim: 8, Metric: Cosine},
	"vd": {Algo: Flat, Type: Float64, Dim: 4, Metric: IP},
}

// goldenArg decodes a command argument or reply string: a JSON string, or
// {"b64": ...} for binary values.
func goldenArg(t *testing.T, raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var b struct {
		B64 *string `json:"b64"`
	}
	if json.Unmarshal(raw, &b) == nil && b.B64 != nil {
		d, err := base64.StdEncoding.DecodeString(*b.B64)
		if err != nil {
			t.Fatal(err)
		}
		return string(d), true
	}
	return "", false
}

func goldenLines(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	fh, err := os.Open(testutil.GoldenFile(t, testutil.GoldenVectors, name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []json.RawMessage
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		out = append(out, json.RawMessage(slices.Clone(sc.Bytes())))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenIndexes replays setup.jsonl's HSETs into one index a field (vh's
// of algorithm vhAlgo), label N for vec:N, in the order of the setup (the
// module's internal id order). A document with a blob of the wrong size
// fails as a whole.
func goldenIndexes(t *testing.T, vhAlgo Algo) map[string]Index {
	idx := map[string]Index{}
	for f, p := range goldenFields {
		q := *p
		if f == "vh" {
			q.Algo = vhAlgo
		}
		idx[f] = New(q, Options{})
	}
	for _, line := range goldenLines(t, "setup.jsonl") {
		var args []json.RawMessage
		if err := json.Unmarshal(line, &args); err != nil {
			t.Fatal(err)
		}
		if cmd, _ := goldenArg(t, args[0]); cmd != "HSET" {
			continue
		}
		key, _ := goldenArg(t, args[1])
		n, err := strconv.ParseUint(strings.TrimPrefix(key, "vec:"), 10, 64)
		if err != nil {
			t.Fatalf("key %q", key)
		}
		blobs := map[string][]byte{}
		ok := true
		for i := 2; i+1 < len(args); i += 2 {
			name, _ := goldenArg(t, args[i])
			p := goldenFields[name]
			if p == nil {
				continue
			}
			v, _ := goldenArg(t, args[i+1])
			if len(v) != p.BlobSize() {
				ok = false
			}
			blobs[name] = []byte(v)
		}
		if !ok {
			continue
		}
		for name, b := range blobs {
			idx[name].Add(n, b)
		}
	}
	return idx
}

var (
	goldenKNN   = regexp.MustCompile(`(?i)\[KNN\s+(\S+)\s+@(\w+)\s+\$(\w+)([^\]]*)\](=>\{[^}]*\})?`)
	goldenRange = regexp.MustCompile(`@(\w+):\[VECTOR_RANGE\s+(\S+)\s+\$(\w+)\](=>\{[^}]*\})?`)
	goldenAS    = regexp.MustCompile(`(?i)\bAS\s+(\w+)`)
	goldenYield = regexp.MustCompile(`\$YIELD_DISTANCE_AS:\s*(\w+)`)
)

type goldenClause struct {
	field string
	blob  []byte
}

func TestGoldenDistances(t *testing.T) {
	for _, a := range []Algo{HNSW, Flat, SVSVamana} {
		t.Run(a.String(), func(t *testing.T) { testGoldenDistances(t, a) })
	}
}

func testGoldenDistances(t *testing.T, vhAlgo Algo) {
	idx := goldenIndexes(t, vhAlgo)
	// Counted in setup.jsonl: documents with the field, less the three
	// that fail.
	if idx["vf"].Size() != 290 || idx["vh"].Size() != 267 || idx["vd"].Size() != 272 {
		t.Fatalf("indexed vf %d vh %d vd %d", idx["vf"].Size(), idx["vh"].Size(), idx["vd"].Size())
	}
	checked := map[string]int{}
	knnSets, rangeCounts := 0, 0
	for ln, line := range goldenLines(t, "search.jsonl") {
		var rec struct {
			Cmd   []json.RawMessage `json:"cmd"`
			Reply json.RawMessage   `json:"reply"`
			Error *string           `json:"error"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Error != nil {
			continue
		}
		args := make([]string, len(rec.Cmd))
		for i, a := range rec.Cmd {
			args[i], _ = goldenArg(t, a)
		}
		params := map[string]string{}
		for i, a := range args {
			if strings.EqualFold(a, "PARAMS") && i+1 < len(args) {
				n, _ := strconv.Atoi(args[i+1])
				for j := i + 2; j+1 < i+2+n && j+1 < len(args); j += 2 {
					params[args[j]] = args[j+1]
				}
			}
		}
		query := args[2]
		// alias → the clause whose distance it names.
		aliases := map[string]goldenClause{}
		var knnK, knnField string
		var knnBlob []byte
		for _, m := range goldenKNN.FindAllStringSubmatch(query, -1) {
			c := goldenClause{m[2], []byte(params[m[3]])}
			alias := "__" + m[2] + "_score"
			if a := goldenAS.FindStringSubmatch(m[4]); a != nil {
				alias = a[1]
			}
			if y := goldenYield.FindStringSubmatch(m[5]); y != nil {
				alias = y[1]
			}
			aliases[alias] = c
			knnK, knnField, knnBlob = m[1], m[2], c.blob
		}
		for _, m := range goldenRange.FindAllStringSubmatch(query, -1) {
			if y := goldenYield.FindStringSubmatch(m[4]); y != nil {
				aliases[y[1]] = goldenClause{m[1], []byte(params[m[3]])}
			}
		}
		var reply []json.RawMessage
		if json.Unmarshal(rec.Reply, &reply) != nil || len(reply) == 0 {
			continue
		}
		// Every distance shown.
		var docs []uint64
		var doc uint64
		for _, item := range reply[1:] {
			if s, ok := goldenArg(t, item); ok {
				if n, err := strconv.ParseUint(strings.TrimPrefix(s, "vec:"), 10, 64); err == nil && strings.HasPrefix(s, "vec:") {
					doc = n
					docs = append(docs, n)
				}
				continue
			}
			var fields []json.RawMessage
			if json.Unmarshal(item, &fields) != nil {
				continue
			}
			for i := 0; i+1 < len(fields); i += 2 {
				k, _ := goldenArg(t, fields[i])
				c, ok := aliases[k]
				if !ok || idx[c.field] == nil {
					continue
				}
				want, _ := goldenArg(t, fields[i+1])
				d, ok := idx[c.field].Distance(doc, c.blob)
				if got := strconv.FormatFloat(d, 'g', 12, 64); !ok || got != want {
					t.Errorf("line %d (%s): vec:%d %s = %s (%v), module %s", ln+1, query, doc, k, got, ok, want)
				}
				checked[c.field]++
			}
		}
		// The documents of a pure KNN query: the module's top k, which
		// with no SORTBY come in document order.
		var total int
		json.Unmarshal(reply[0], &total)
		plain := !slices.ContainsFunc(args[3:], func(a string) bool {
			a = strings.ToUpper(a)
			return a == "SORTBY" || a == "LIMIT" || a == "FILTER" || a == "INKEYS"
		})
		if m := goldenKNN.FindStringSubmatch(query); m != nil && plain && strings.HasPrefix(query, "*=>[") && m[0] == query[3:] {
			k, err := strconv.Atoi(strings.TrimPrefix(knnK, "$"))
			if strings.HasPrefix(knnK, "$") {
				k, err = strconv.Atoi(params[knnK[1:]])
			}
			if err == nil && k > 0 && k <= 10 && idx[knnField] != nil {
				got := labelsOf(idx[knnField].TopK(knnBlob, k, SearchOpts{}, nil))
				slices.Sort(got)
				if total != len(got) || !slices.Equal(got, docs) {
					t.Errorf("line %d (%s): top %d %v, module %d %v", ln+1, query, k, got, total, docs)
				}
				knnSets++
			}
		}
		// The number of documents of a pure range query.
		if m := goldenRange.FindStringSubmatch(query); m != nil && m[0] == query && !slices.ContainsFunc(args[3:], func(a string) bool {
			a = strings.ToUpper(a)
			return a == "FILTER" || a == "INKEYS"
		}) {
			r := m[2]
			if strings.HasPrefix(r, "$") {
				r = params[r[1:]]
			}
			radius, err := strconv.ParseFloat(r, 64)
			if err == nil && idx[m[1]] != nil {
				got := idx[m[1]].Range([]byte(params[m[3]]), radius, SearchOpts{}, nil)
				if len(got) != total {
					t.Errorf("line %d (%s): %d in range, module %d", ln+1, query, len(got), total)
				}
				rangeCounts++
			}
		}
	}
	t.Logf("distances checked: %v; KNN result sets: %d; range counts: %d", checked, knnSets, rangeCounts)
	if checked["vf"] < 50 || checked["vh"] < 50 || checked["vd"] < 20 || knnSets < 10 || rangeCounts < 5 {
		t.Errorf("too little checked: %v, %d sets, %d ranges", checked, knnSets, rangeCounts)
	}
}
