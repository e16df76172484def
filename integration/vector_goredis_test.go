package integration

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/redis/go-redis/v9"
)

// The vector client flows (go-redis here, redis-py in
// vector_redispy_test.go, node-redis in vector_node_test.go) share one
// corpus: six 4-dimensional vectors whose coordinates are multiples of 1/4,
// with a TAG and a NUMERIC field for hybrid queries. Every L2 and IP
// distance to the query vector is then a multiple of 1/16, computed without
// rounding in float32 as in float64, and is printed exactly (%.12g).
//
//	doc  vector                    cat    price
//	1    (1,    0,    0,    0)     red    10
//	2    (0.5,  0.5,  0,    0)     red    20
//	3    (0,    1,    0,    0)     blue   30
//	4    (0.25, 0.25, 0.25, 0.25)  blue   40
//	5    (0,    0,    1,    0.5)   green  50
//	6    (0.75, 0,    0,    0.25)  green  60
//
// The INT8 and UINT8 fields hold the same vectors times 4 (integers).
var vecDocs = []struct {
	n     int
	v     [4]float64
	cat   string
	price int
}{
	{1, [4]float64{1, 0, 0, 0}, "red", 10},
	{2, [4]float64{0.5, 0.5, 0, 0}, "red", 20},
	{3, [4]float64{0, 1, 0, 0}, "blue", 30},
	{4, [4]float64{0.25, 0.25, 0.25, 0.25}, "blue", 40},
	{5, [4]float64{0, 0, 1, 0.5}, "green", 50},
	{6, [4]float64{0.75, 0, 0, 0.25}, "green", 60},
}

// vecHit is one expected result: the document number and its distance as
// the module prints it.
type vecHit struct {
	n int
	d string
}

// The float query q = (1, 0.25, 0, 0).
var vecQuery = []float64{1, 0.25, 0, 0}

// L2 is the squared Euclidean distance:
//
//	doc:1  (1-1)² + (0-0.25)²                       = 0.0625
//	doc:6  (1-0.75)² + (0.25-0)² + (0-0.25)²         = 0.0625·3 = 0.1875
//	doc:2  (1-0.5)² + (0.25-0.5)²                   = 0.25 + 0.0625 = 0.3125
//	doc:4  0.75² + 0² + 0.25² + 0.25²                = 0.5625 + 0.125 = 0.6875
//	doc:3  1² + (0.25-1)²                           = 1 + 0.5625 = 1.5625
//	doc:5  1² + 0.25² + 1² + 0.5²                    = 2.3125
var vecWantL2 = []vecHit{{1, "0.0625"}, {6, "0.1875"}, {2, "0.3125"}, {4, "0.6875"}, {3, "1.5625"}, {5, "2.3125"}}

// IP is 1 - q·x:
//
//	doc:1  1 - 1                    = 0
//	doc:6  1 - 0.75                 = 0.25
//	doc:2  1 - (0.5 + 0.125)        = 0.375
//	doc:4  1 - (0.25 + 0.0625)      = 0.6875
//	doc:3  1 - 0.25                 = 0.75
//	doc:5  1 - 0                    = 1
var vecWantIP = []vecHit{{1, "0"}, {6, "0.25"}, {2, "0.375"}, {4, "0.6875"}, {3, "0.75"}, {5, "1"}}

// COSINE is 1 - q·x / (|q| |x|), |q| = √1.0625 = √17/4. These are not
// exact in binary; vecCosine holds them as formulas.
//
//	doc:1  |x| = 1       q·x = 1       1 - 4/√17    ≈ 0.0298575
//	doc:6  |x| = √10/4   q·x = 0.75    1 - 12/√170  ≈ 0.0796420
//	doc:2  |x| = √2/2    q·x = 0.625   1 - 5/√34    ≈ 0.1425071
//	doc:4  |x| = 1/2     q·x = 0.3125  1 - 2.5/√17  ≈ 0.3936609
//	doc:3  |x| = 1       q·x = 0.25    1 - 1/√17    ≈ 0.7574644
//	doc:5  |x| = √5/2    q·x = 0       1
//
// The module computes COSINE on FLOAT32 in float32 (it normalises the
// stored and the query vector, then takes 1 - dot): a handful of roundings
// of values at most 1, each within 2⁻²⁴ ≈ 6e-8, so within 1e-6 of the exact
// value (the 2.10.25 vector recordings show at most 1.5e-7 on 8-d vectors).
// The distances here are at least 0.04 apart, so the order is unambiguous.
var vecCosine = map[int]float64{
	1: 1 - 4/math.Sqrt(17),
	6: 1 - 12/math.Sqrt(170),
	2: 1 - 5/math.Sqrt(34),
	4: 1 - 2.5/math.Sqrt(17),
	3: 1 - 1/math.Sqrt(17),
	5: 1,
}

const vecCosineTolerance = 1e-6

var vecWantCosineOrder = []int{1, 6, 2, 4, 3, 5}

// The UINT8 query is 4q = (4, 1, 0, 0) against the corpus times 4: every
// squared difference is 16 times the float one, so L2 is 16 × vecWantL2:
// 1, 3, 5, 11, 25, 37.
var vecQueryU8 = []float64{4, 1, 0, 0}
var vecWantL2U8 = []vecHit{{1, "1"}, {6, "3"}, {2, "5"}, {4, "11"}, {3, "25"}, {5, "37"}}

// The INT8 query (4, -1, 0, 0) has a negative coordinate (byte 0xFF): read
// as unsigned it would be 255 and put doc:3 first.
//
//	doc:1  (4,0,0,0)  0² + (-1)²                = 1
//	doc:6  (3,0,0,1)  1² + (-1)² + 0² + (-1)²   = 3
//	doc:2  (2,2,0,0)  2² + (-3)²                = 13
//	doc:4  (1,1,1,1)  3² + (-2)² + 1² + 1²      = 15
//	doc:5  (0,0,4,2)  4² + (-1)² + 4² + 2²      = 37
//	doc:3  (0,4,0,0)  4² + (-5)²                = 41
var vecQueryI8 = []float64{4, -1, 0, 0}
var vecWantL2I8 = []vecHit{{1, "1"}, {6, "3"}, {2, "13"}, {4, "15"}, {5, "37"}, {3, "41"}}

// Every hybrid check filters on (@cat:{red|green} @price:[15 100]), which
// keeps doc:2, doc:5 and doc:6 (doc:1 is red but costs 10), and asks for
// the 2 nearest of those: doc:6 then doc:2 under every metric and query
// above (doc:5 is the farthest of the three in each table).
const vecHybridFilter = "(@cat:{red|green} @price:[15 100])"

// vecEncode writes v as a little-endian blob of the given element type.
func vecEncode(t *testing.T, typ string, v []float64) []byte {
	t.Helper()
	var out []byte
	for _, x := range v {
		switch typ {
		case "FLOAT32":
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(x)))
		case "FLOAT64":
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x))
		case "FLOAT16":
			out = binary.LittleEndian.AppendUint16(out, float16Bits(t, x))
		case "BFLOAT16":
			out = binary.LittleEndian.AppendUint16(out, bfloat16Bits(t, x))
		case "INT8":
			if x != math.Trunc(x) || x < -128 || x > 127 {
				t.Fatalf("%v is not an int8", x)
			}
			out = append(out, byte(int8(x)))
		case "UINT8":
			if x != math.Trunc(x) || x < 0 || x > 255 {
				t.Fatalf("%v is not a uint8", x)
			}
			out = append(out, byte(x))
		default:
			t.Fatalf("unknown type %s", typ)
		}
	}
	return out
}

// float16Bits is the IEEE 754 half-precision pattern of x, which must be 0
// or a normal half exactly representable (true of every multiple of 1/4
// here): sign, exponent rebiased from 127 to 15, top 10 mantissa bits.
func float16Bits(t *testing.T, x float64) uint16 {
	t.Helper()
	f := float32(x)
	if float64(f) != x {
		t.Fatalf("%v is not a float32", x)
	}
	b := math.Float32bits(f)
	sign := uint16(b>>31) << 15
	if b&0x7fffffff == 0 {
		return sign
	}
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	if exp < 1 || exp > 30 || mant&0x1fff != 0 {
		t.Fatalf("%v is not exactly a normal float16", x)
	}
	return sign | uint16(exp)<<10 | uint16(mant>>13)
}

// bfloat16Bits is the top half of the float32 pattern of x, which must
// lose nothing.
func bfloat16Bits(t *testing.T, x float64) uint16 {
	t.Helper()
	f := float32(x)
	b := math.Float32bits(f)
	if float64(f) != x || b&0xffff != 0 {
		t.Fatalf("%v is not exactly a bfloat16", x)
	}
	return uint16(b >> 16)
}

// TestVectorHalfEncodings pins the hand-made half-precision patterns to
// values from the IEEE 754 and bfloat16 tables.
func TestVectorHalfEncodings(t *testing.T) {
	for x, want := range map[float64]uint16{0: 0x0000, 1: 0x3C00, 0.75: 0x3A00, 0.5: 0x3800, 0.25: 0x3400, -1: 0xBC00, 4: 0x4400} {
		if got := float16Bits(t, x); got != want {
			t.Errorf("float16(%v) = %#04x, want %#04x", x, got, want)
		}
	}
	for x, want := range map[float64]uint16{0: 0x0000, 1: 0x3F80, 0.75: 0x3F40, 0.5: 0x3F00, 0.25: 0x3E80, -1: 0xBF80} {
		if got := bfloat16Bits(t, x); got != want {
			t.Errorf("bfloat16(%v) = %#04x, want %#04x", x, got, want)
		}
	}
}

// vecCase is one vector index of the go-redis flows.
type vecCase struct {
	name   string
	args   *redis.FTVectorArgs
	typ    string
	metric string
	algo   string // FT.INFO's algorithm; "" when not checked
	m, efc int    // FT.INFO's M and ef_construction (HNSW)
	scale  float64
	query  []float64
	want   []vecHit // the 6 documents by distance; nil for COSINE
	radius string   // a VECTOR_RANGE radius that keeps exactly the first 3
	hnsw   bool     // accepts EF_RUNTIME at query time
}

func vecCases() []vecCase {
	var cases []vecCase
	for _, typ := range []string{"FLOAT32", "FLOAT64", "BFLOAT16", "FLOAT16", "INT8", "UINT8"} {
		c := vecCase{typ: typ, metric: "L2", scale: 1, query: vecQuery, want: vecWantL2, radius: "0.5"}
		switch typ {
		case "INT8":
			// 13 <= 14 < 15
			c.scale, c.query, c.want, c.radius = 4, vecQueryI8, vecWantL2I8, "14"
		case "UINT8":
			// 5 <= 8 < 11
			c.scale, c.query, c.want, c.radius = 4, vecQueryU8, vecWantL2U8, "8"
		}
		flat := c
		flat.name, flat.algo = "flat_"+typ, "FLAT"
		flat.args = &redis.FTVectorArgs{FlatOptions: &redis.FTFlatOptions{Type: typ, Dim: 4, DistanceMetric: "L2", InitialCapacity: 10, BlockSize: 4}}
		hnsw := c
		hnsw.name, hnsw.algo, hnsw.m, hnsw.efc, hnsw.hnsw = "hnsw_"+typ, "HNSW", 8, 100, true
		hnsw.args = &redis.FTVectorArgs{HNSWOptions: &redis.FTHNSWOptions{Type: typ, Dim: 4, DistanceMetric: "L2",
			InitialCapacity: 10, MaxEdgesPerNode: 8, MaxAllowedEdgesPerNode: 100, EFRunTime: 20, Epsilon: 0.01}}
		cases = append(cases, flat, hnsw)
	}
	// SVS-VAMANA takes FLOAT16 and FLOAT32 only.
	for _, typ := range []string{"FLOAT32", "FLOAT16"} {
		cases = append(cases, vecCase{name: "vamana_" + typ, typ: typ, metric: "L2", scale: 1, query: vecQuery, want: vecWantL2, radius: "0.5",
			args: &redis.FTVectorArgs{VamanaOptions: &redis.FTVamanaOptions{Type: typ, Dim: 4, DistanceMetric: "L2",
				ConstructionWindowSize: 64, GraphMaxDegree: 16, SearchWindowSize: 20, Epsilon: 0.01}}})
	}
	// The other metrics, on FLOAT32. IP radius: 0.375 <= 0.5 < 0.6875;
	// COSINE radius: 0.1425 <= 0.2 < 0.3937.
	ip := vecCase{typ: "FLOAT32", metric: "IP", scale: 1, query: vecQuery, want: vecWantIP, radius: "0.5"}
	cos := vecCase{typ: "FLOAT32", metric: "COSINE", scale: 1, query: vecQuery, radius: "0.2"}
	for _, c := range []vecCase{ip, cos} {
		flat := c
		flat.name, flat.algo = "flat_"+c.metric, "FLAT"
		flat.args = &redis.FTVectorArgs{FlatOptions: &redis.FTFlatOptions{Type: c.typ, Dim: 4, DistanceMetric: c.metric}}
		hnsw := c
		hnsw.name, hnsw.algo, hnsw.m, hnsw.efc, hnsw.hnsw = "hnsw_"+c.metric, "HNSW", 16, 200, true
		hnsw.args = &redis.FTVectorArgs{HNSWOptions: &redis.FTHNSWOptions{Type: c.typ, Dim: 4, DistanceMetric: c.metric}}
		vamana := c
		vamana.name = "vamana_" + c.metric
		vamana.args = &redis.FTVectorArgs{VamanaOptions: &redis.FTVamanaOptions{Type: c.typ, Dim: 4, DistanceMetric: c.metric}}
		cases = append(cases, flat, hnsw, vamana)
	}
	return cases
}

// TestVectorGoRedis drives vector search through go-redis v9's FT API, as
// an application would: FTCreate with FieldSchema.VectorArgs (FTFlatOptions,
// FTHNSWOptions, FTVamanaOptions) for every element type, HSET with raw
// little-endian blobs, FTSearchWithArgs with PARAMS, DIALECT 2, SORTBY the
// distance alias and RETURN, in RESP2 and RESP3.
func TestVectorGoRedis(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := context.Background()
			// go-redis parses RESP3 FT.SEARCH replies itself since
			// v9.22; UnstableResp3 is what earlier versions required and
			// what an application written for them sets.
			c := redis.NewClient(&redis.Options{Addr: s.Addr(), Protocol: proto, UnstableResp3: proto == 3})
			t.Cleanup(func() { c.Close() })
			mustOK(t, c.FlushAll(ctx).Err())
			for _, tc := range vecCases() {
				t.Run(tc.name, func(t *testing.T) { runVecCase(t, ctx, c, tc, proto) })
			}
		})
	}
}

func runVecCase(t *testing.T, ctx context.Context, c *redis.Client, tc vecCase, proto int) {
	idx := "vg_" + tc.name
	prefix := idx + ":"
	status, err := c.FTCreate(ctx, idx,
		&redis.FTCreateOptions{OnHash: true, Prefix: []any{prefix}},
		&redis.FieldSchema{FieldName: "v", FieldType: redis.SearchFieldTypeVector, VectorArgs: tc.args},
		&redis.FieldSchema{FieldName: "cat", FieldType: redis.SearchFieldTypeTag},
		&redis.FieldSchema{FieldName: "price", FieldType: redis.SearchFieldTypeNumeric},
	).Result()
	if err != nil || status != "OK" {
		t.Fatalf("FTCreate %s = %q, %v", idx, status, err)
	}
	for _, d := range vecDocs {
		v := make([]float64, 4)
		for i := range v {
			v[i] = d.v[i] * tc.scale
		}
		mustOK(t, c.HSet(ctx, prefix+strconv.Itoa(d.n), "v", vecEncode(t, tc.typ, v), "cat", d.cat, "price", d.price).Err())
	}
	blob := vecEncode(t, tc.typ, tc.query)
	id := func(n int) string { return prefix + strconv.Itoa(n) }

	// checkHits compares the documents in order and their distance field.
	checkHits := func(t *testing.T, res redis.FTSearchResult, wantTotal int, want []int) {
		t.Helper()
		if res.Total != wantTotal {
			t.Errorf("total = %d, want %d", res.Total, wantTotal)
		}
		var got, wantIDs []string
		for _, d := range res.Docs {
			got = append(got, d.ID)
		}
		for _, n := range want {
			wantIDs = append(wantIDs, id(n))
		}
		if fmt.Sprint(got) != fmt.Sprint(wantIDs) {
			t.Fatalf("ids = %v, want %v", got, wantIDs)
		}
		for i, d := range res.Docs {
			n := want[i]
			checkVecDistance(t, tc, n, d.Fields["d"])
		}
	}
	first := func(k int) []int {
		var out []int
		if tc.want == nil {
			return vecWantCosineOrder[:k]
		}
		for _, h := range tc.want[:k] {
			out = append(out, h.n)
		}
		return out
	}
	byD := []redis.FTSearchSortBy{{FieldName: "d"}}
	retD := []redis.FTSearchReturn{{FieldName: "d"}}

	t.Run("FTInfo", func(t *testing.T) {
		info, err := c.FTInfo(ctx, idx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if info.NumDocs != 6 || info.HashIndexingFailures != 0 {
			t.Errorf("num_docs = %d, hash_indexing_failures = %d, want 6 and 0", info.NumDocs, info.HashIndexingFailures)
		}
		for _, a := range info.Attributes {
			if a.Attribute != "v" {
				continue
			}
			if a.Type != "VECTOR" || a.DataType != tc.typ || a.Dim != 4 || a.DistanceMetric != tc.metric {
				t.Errorf("v attribute = %+v, want VECTOR %s dim 4 %s", a, tc.typ, tc.metric)
			}
			if tc.algo != "" && (a.Algorithm != tc.algo || a.M != tc.m || a.EFConstruction != tc.efc) {
				t.Errorf("v algorithm = %q M %d ef_construction %d, want %q %d %d", a.Algorithm, a.M, a.EFConstruction, tc.algo, tc.m, tc.efc)
			}
			return
		}
		t.Errorf("no attribute v in %+v", info.Attributes)
	})
	t.Run("KNN3", func(t *testing.T) {
		res, err := c.FTSearchWithArgs(ctx, idx, "*=>[KNN 3 @v $vec AS d]", &redis.FTSearchOptions{
			Params: map[string]any{"vec": blob}, DialectVersion: 2, SortBy: byD, Return: retD}).Result()
		mustOK(t, err)
		checkHits(t, res, 3, first(3))
	})
	t.Run("KNNParamK", func(t *testing.T) {
		// K larger than the corpus: every document, total 6.
		res, err := c.FTSearchWithArgs(ctx, idx, "*=>[KNN $K @v $vec AS d]", &redis.FTSearchOptions{
			Params: map[string]any{"vec": blob, "K": 10}, DialectVersion: 2, SortBy: byD, Return: retD, Limit: 10}).Result()
		mustOK(t, err)
		checkHits(t, res, 6, first(6))
	})
	t.Run("Hybrid", func(t *testing.T) {
		res, err := c.FTSearchWithArgs(ctx, idx, vecHybridFilter+"=>[KNN 2 @v $vec AS d]", &redis.FTSearchOptions{
			Params: map[string]any{"vec": blob}, DialectVersion: 2, SortBy: byD,
			Return: []redis.FTSearchReturn{{FieldName: "d"}, {FieldName: "cat"}, {FieldName: "price"}}}).Result()
		mustOK(t, err)
		checkHits(t, res, 2, []int{6, 2})
		if len(res.Docs) == 2 {
			if f := res.Docs[0].Fields; f["cat"] != "green" || f["price"] != "60" {
				t.Errorf("doc:6 fields = %v", f)
			}
			if f := res.Docs[1].Fields; f["cat"] != "red" || f["price"] != "20" {
				t.Errorf("doc:2 fields = %v", f)
			}
		}
	})
	t.Run("VectorRange", func(t *testing.T) {
		res, err := c.FTSearchWithArgs(ctx, idx, "@v:[VECTOR_RANGE $r $vec]=>{$YIELD_DISTANCE_AS: d}", &redis.FTSearchOptions{
			Params: map[string]any{"vec": blob, "r": tc.radius}, DialectVersion: 2, SortBy: byD, Return: retD}).Result()
		mustOK(t, err)
		checkHits(t, res, 3, first(3))
	})
	t.Run("RangeAndFilter", func(t *testing.T) {
		// The range keeps doc:1, doc:6 and doc:2; the TAG keeps red.
		res, err := c.FTSearchWithArgs(ctx, idx, "(@v:[VECTOR_RANGE $r $vec]=>{$YIELD_DISTANCE_AS: d} @cat:{red})", &redis.FTSearchOptions{
			Params: map[string]any{"vec": blob, "r": tc.radius}, DialectVersion: 2, SortBy: byD, Return: retD}).Result()
		mustOK(t, err)
		checkHits(t, res, 2, []int{1, 2})
	})
	if tc.hnsw {
		t.Run("EFRuntime", func(t *testing.T) {
			res, err := c.FTSearchWithArgs(ctx, idx, "*=>[KNN 3 @v $vec EF_RUNTIME $ef AS d]", &redis.FTSearchOptions{
				Params: map[string]any{"vec": blob, "ef": 50}, DialectVersion: 2, SortBy: byD, Return: retD}).Result()
			mustOK(t, err)
			checkHits(t, res, 3, first(3))
		})
	}
	if tc.typ == "UINT8" {
		t.Run("UnsignedQuery", func(t *testing.T) {
			// (200, 0, 0, 0) against the corpus times 4:
			//   doc:1 (4,0,0,0)  196²           = 38416
			//   doc:6 (3,0,0,1)  197² + 1²      = 38809 + 1 = 38810
			//   doc:2 (2,2,0,0)  198² + 2²      = 39204 + 4 = 39208
			// Read as int8, 200 would be -56 and doc:3 (56² + 4² = 3152)
			// would come before doc:1 (60² = 3600).
			res, err := c.FTSearchWithArgs(ctx, idx, "*=>[KNN 2 @v $vec AS d]", &redis.FTSearchOptions{
				Params: map[string]any{"vec": vecEncode(t, "UINT8", []float64{200, 0, 0, 0})}, DialectVersion: 2, SortBy: byD, Return: retD}).Result()
			mustOK(t, err)
			var got []string
			for _, d := range res.Docs {
				got = append(got, d.ID+"="+d.Fields["d"])
			}
			if want := fmt.Sprint([]string{id(1) + "=38416", id(6) + "=38810"}); res.Total != 2 || fmt.Sprint(got) != want {
				t.Errorf("total %d, hits %v, want 2 and %s", res.Total, got, want)
			}
		})
	}
	if proto == 3 {
		t.Run("RawRESP3", func(t *testing.T) {
			cmd := c.FTSearchWithArgs(ctx, idx, "*=>[KNN 2 @v $vec AS d]", &redis.FTSearchOptions{
				Params: map[string]any{"vec": blob}, DialectVersion: 2, SortBy: byD, Return: retD})
			mustOK(t, cmd.Err())
			raw, ok := cmd.RawVal().(map[any]any)
			if !ok {
				t.Fatalf("RESP3 FT.SEARCH raw reply is %T, want a map", cmd.RawVal())
			}
			if raw["total_results"] != int64(2) {
				t.Errorf("total_results = %#v", raw["total_results"])
			}
			results, _ := raw["results"].([]any)
			if len(results) != 2 {
				t.Fatalf("results = %#v", raw["results"])
			}
			for i, r := range results {
				m, _ := r.(map[any]any)
				n := first(2)[i]
				if m["id"] != id(n) {
					t.Errorf("results[%d].id = %#v, want %s", i, m["id"], id(n))
				}
				attrs, _ := m["extra_attributes"].(map[any]any)
				// In the STRING format a distance is a string, as in RESP2.
				d, isString := attrs["d"].(string)
				if !isString {
					t.Errorf("results[%d] d = %T %#v, want a string", i, attrs["d"], attrs["d"])
					continue
				}
				checkVecDistance(t, tc, n, d)
			}
		})
	}
}

// checkVecDistance compares a distance string with the hand-computed one:
// exactly for L2 and IP, within vecCosineTolerance for COSINE.
func checkVecDistance(t *testing.T, tc vecCase, n int, got string) {
	t.Helper()
	if tc.want == nil {
		f, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Abs(f-vecCosine[n]) > vecCosineTolerance {
			t.Errorf("doc:%d COSINE distance = %q, want %.9f ± %g", n, got, vecCosine[n], vecCosineTolerance)
		}
		return
	}
	for _, h := range tc.want {
		if h.n == n {
			if got != h.d {
				t.Errorf("doc:%d %s distance = %q, want %q", n, tc.metric, got, h.d)
			}
			return
		}
	}
	t.Errorf("doc:%d not expected", n)
}
