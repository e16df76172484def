package integration

import (
	"encoding/binary"
	"math"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceVector: VECTOR fields, KNN, hybrid and range queries
// (the module's tests/pytests/test_vecsim.py and test_hybrid.py, on a
// corpus small enough to compute every distance by hand).
//
// The corpus, 2-d FLOAT32 vectors; v (FLAT, L2), ip (FLAT, IP) and h
// (HNSW, L2) hold the same vector, w (FLAT, COSINE) another:
//
//	key  v = ip = h   c      p    w
//	a:1  ( 0, 0)      red    10   ( 1, 0)
//	a:2  ( 1, 0)      blue   20   ( 0, 1)
//	a:3  ( 0, 2)      red    30   (-1, 0)
//	a:4  ( 3, 0)      blue   40   ( 2, 0)
//	a:5  ( 1, 1)      red    50   ( 0,-3)
//	a:6  (-1, 0)      green  60   ( 0, 0.5)
//
// From the query q = (1, 0), by hand (every value exact in float32):
//
//	L2 = squared distance: a:1 1, a:2 0, a:3 5, a:4 4, a:5 1, a:6 4
//	IP = 1 - q·x:          a:1 1, a:2 0, a:3 1, a:4 -2, a:5 0, a:6 2
//	COSINE on w = 1 - cos: a:1 0, a:2 1, a:3 2, a:4 0, a:5 1, a:6 1
func TestSearchAcceptanceVector(t *testing.T) {
	q := vecBlob(1, 0)
	runAcceptance(t, []acceptanceCase{
		{"V1 KNN sorted by distance", func(s *session) {
			vectorCorpus(s)
			// k 3: a:2 0, then a:1 and a:5 at 1 (SORTBY ties go by id).
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @v $B AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:2"), Arr(Bulk("d"), Bulk("0")), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")),
					Bulk("a:5"), Arr(Bulk("d"), Bulk("1"))))
			// The same from the HNSW field (a graph of 6 is searched whole).
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @h $B AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:2"), Arr(Bulk("d"), Bulk("0")), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")),
					Bulk("a:5"), Arr(Bulk("d"), Bulk("1"))))
			// DESC and a page: the 3 nearest, farthest first, from the second.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @v $B AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "DESC", "RETURN", "1", "d", "LIMIT", "1", "2", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")), Bulk("a:2"), Arr(Bulk("d"), Bulk("0"))))
		}},
		{"V2 KNN without SORTBY: score 0, id order", func(s *session) {
			vectorCorpus(s)
			// A pure KNN query scores 0: its results come by id.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @v $B]", "PARAMS", "2", "B", q,
				"WITHSCORES", "NOCONTENT", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:1"), score("0"), Bulk("a:2"), score("0"), Bulk("a:5"), score("0")))
			// Without RETURN the distance leads the document's fields, under
			// __<field>_score when the clause has no alias.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 1 @v $B]", "PARAMS", "2", "B", q, "DIALECT", "2"),
				Arr(Int(1), Bulk("a:2"), Arr(Bulk("__v_score"), Bulk("0"), Bulk("v"), Bulk(vecBlob(1, 0)),
					Bulk("ip"), Bulk(vecBlob(1, 0)), Bulk("h"), Bulk(vecBlob(1, 0)), Bulk("w"), Bulk(vecBlob(0, 1)),
					Bulk("c"), Bulk("blue"), Bulk("p"), Bulk("20"))))
		}},
		{"V3 KNN totals and empty cases", func(s *session) {
			vectorCorpus(s)
			// K beyond the candidates counts the candidates.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 10 @v $B]", "PARAMS", "2", "B", q, "LIMIT", "0", "0", "DIALECT", "2"),
				Arr(Int(6)))
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 0 @v $B]", "PARAMS", "2", "B", q, "DIALECT", "2"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN $K @v $B]", "PARAMS", "4", "B", q, "K", "", "DIALECT", "2"), Arr(Int(0)))
			// 8.2 refuses a field the schema lacks when it parses the query
			// (2.10 answered [0]); a field that is not a vector field
			// matches nothing.
			s.must("FT.SEARCH", "idx", "*=>[KNN 3 @nosuch $B]", "PARAMS", "2", "B", q, "DIALECT", "2",
				Err("Unknown field at offset 10 near nosuch"))
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @c $B]", "PARAMS", "2", "B", q, "DIALECT", "2"), Arr(Int(0)))
		}},
		{"V4 hybrid queries", func(s *session) {
			vectorCorpus(s)
			// Red: a:1 1, a:3 5, a:5 1 -> the 2 nearest are a:1 and a:5.
			for _, policy := range [][]string{nil, {"HYBRID_POLICY", "ADHOC_BF"}, {"HYBRID_POLICY", "BATCHES"}} {
				clause := "(@c:{red})=>[KNN 2 @v $B"
				for _, p := range policy {
					clause += " " + p
				}
				s.search(cmd("FT.SEARCH", "idx", clause+" AS d]", "PARAMS", "2", "B", q,
					"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
					Arr(Int(2), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")), Bulk("a:5"), Arr(Bulk("d"), Bulk("1"))))
			}
			// p in [25, 60]: a:3 5, a:4 4, a:5 1, a:6 4. Ad hoc, the heap of
			// 2 holds a:3 and a:4, a:5 evicts a:3, and a:6 (4, not nearer
			// than the worst kept) stays out.
			s.search(cmd("FT.SEARCH", "idx", "(@p:[25 60])=>[KNN 2 @v $B HYBRID_POLICY ADHOC_BF AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(2), Bulk("a:5"), Arr(Bulk("d"), Bulk("1")), Bulk("a:4"), Arr(Bulk("d"), Bulk("4"))))
			// A negated filter must be parenthesised; it keeps a:2, a:4 and a:6.
			s.search(cmd("FT.SEARCH", "idx", "(-@c:{red})=>[KNN 1 @v $B AS d]", "PARAMS", "2", "B", q,
				"RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(1), Bulk("a:2"), Arr(Bulk("d"), Bulk("0"))))
		}},
		{"V5 VECTOR_RANGE", func(s *session) {
			vectorCorpus(s)
			// Within 1 of q: a:1 1, a:2 0, a:5 1.
			s.search(cmd("FT.SEARCH", "idx", "@v:[VECTOR_RANGE 1 $B]=>{$YIELD_DISTANCE_AS: d}", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:2"), Arr(Bulk("d"), Bulk("0")), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")),
					Bulk("a:5"), Arr(Bulk("d"), Bulk("1"))))
			// Combined with a tag: a:1 and a:5 are red.
			s.search(cmd("FT.SEARCH", "idx", "@v:[VECTOR_RANGE 1 $B]=>{$YIELD_DISTANCE_AS: d} @c:{red}", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(2), Bulk("a:1"), Arr(Bulk("d"), Bulk("1")), Bulk("a:5"), Arr(Bulk("d"), Bulk("1"))))
			// In a union, documents the range did not match have no distance.
			// A tag scores its BM25 (8.2's default scorer), a range 0: a:6
			// comes first.
			s.search(cmd("FT.SEARCH", "idx", "@v:[VECTOR_RANGE 0 $B]=>{$YIELD_DISTANCE_AS: d} | @c:{green}", "PARAMS", "2", "B", q,
				"RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(2), Bulk("a:6"), Arr(), Bulk("a:2"), Arr(Bulk("d"), Bulk("0"))))
			// Without $YIELD_DISTANCE_AS a range yields no distance.
			s.search(cmd("FT.SEARCH", "idx", "@v:[VECTOR_RANGE 0 $B]", "PARAMS", "2", "B", q,
				"RETURN", "1", "__v_score", "DIALECT", "2"),
				Arr(Int(1), Bulk("a:2"), Arr()))
		}},
		{"V6 IP and COSINE", func(s *session) {
			vectorCorpus(s)
			// IP: a:4 -2, then a:2 and a:5 tie at 0: the flat index keeps
			// the one it met first, a:2.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 2 @ip $B AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(2), Bulk("a:4"), Arr(Bulk("d"), Bulk("-2")), Bulk("a:2"), Arr(Bulk("d"), Bulk("0"))))
			// COSINE: a:1 and a:4 point the way of q; then a:2 (first of
			// the three at 1).
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 3 @w $B AS d]", "PARAMS", "2", "B", q,
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(3), Bulk("a:1"), Arr(Bulk("d"), Bulk("0")), Bulk("a:4"), Arr(Bulk("d"), Bulk("0")),
					Bulk("a:2"), Arr(Bulk("d"), Bulk("1"))))
		}},
		{"V7 FT.AGGREGATE over KNN", func(s *session) {
			vectorCorpus(s)
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*=>[KNN 3 @v $B AS d]", "PARAMS", "2", "B", q,
				"LOAD", "1", "@c", "APPLY", "@d * 10", "AS", "d10", "SORTBY", "4", "@d", "ASC", "@c", "ASC", "DIALECT", "2"),
				Arr(Int(3),
					Arr(Bulk("d"), Bulk("0"), Bulk("c"), Bulk("blue"), Bulk("d10"), Bulk("0")),
					Arr(Bulk("d"), Bulk("1"), Bulk("c"), Bulk("red"), Bulk("d10"), Bulk("10")),
					Arr(Bulk("d"), Bulk("1"), Bulk("c"), Bulk("red"), Bulk("d10"), Bulk("10"))))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*=>[KNN 6 @v $B AS d]", "PARAMS", "2", "B", q,
				"GROUPBY", "1", "@c", "REDUCE", "MIN", "1", "@d", "AS", "best", "SORTBY", "2", "@best", "ASC", "DIALECT", "2"),
				Arr(Int(3),
					Arr(Bulk("c"), Bulk("blue"), Bulk("best"), Bulk("0")),
					Arr(Bulk("c"), Bulk("red"), Bulk("best"), Bulk("1")),
					Arr(Bulk("c"), Bulk("green"), Bulk("best"), Bulk("4"))))
		}},
		{"V8 errors", func(s *session) {
			vectorCorpus(s)
			s.must("FT.SEARCH", "idx", "*=>[KNN 3 @v $B]", "PARAMS", "2", "B", "abc", "DIALECT", "2",
				Err("Error parsing vector similarity query: query vector blob size (3) does not match index's expected size (8)."))
			s.mustErr("Syntax error", "FT.SEARCH", "idx", "*=>[KNN 3 @v $B]", "PARAMS", "2", "B", q)
			s.must("FT.SEARCH", "idx", "*=>[KNN 3 @v $B AS c]", "PARAMS", "2", "B", q, "DIALECT", "2",
				Err("Property `c` already exists in schema"))
			s.must("FT.SEARCH", "idx", "*=>[KNN 3 @v $B AS d]", "PARAMS", "2", "B", q, "SORTBY", "e", "DIALECT", "2",
				Err("Property `e` not loaded nor in schema"))
			s.must("FT.SEARCH", "idx", "*=>[KNN $K @v $B]", "PARAMS", "4", "B", q, "K", "abc", "DIALECT", "2",
				Err("Invalid numeric value (abc) for parameter `K`"))
		}},
		{"V9 indexing failures and deletes", func(s *session) {
			vectorCorpus(s)
			// A blob of the wrong size keeps the whole document out.
			s.must("HSET", "a:7", "v", "abc", "c", "red", Int(2))
			s.mustInfo("idx", "num_docs", Int(6))
			s.mustInfo("idx", "hash_indexing_failures", Int(1))
			s.ranked(cmd("FT.SEARCH", "idx", "@c:{red}", "NOCONTENT", "DIALECT", "2"), ids(3, "a:1", "a:3", "a:5"))
			// A deleted document leaves the vector index.
			s.must("DEL", "a:2", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 1 @v $B AS d]", "PARAMS", "2", "B", q, "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(1), Bulk("a:1"), Arr(Bulk("d"), Bulk("1"))))
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 1 @h $B AS d]", "PARAMS", "2", "B", q, "RETURN", "1", "d", "DIALECT", "2"),
				Arr(Int(1), Bulk("a:1"), Arr(Bulk("d"), Bulk("1"))))
		}},
	})
}

// vectorCorpus creates idx and the six documents of TestSearchAcceptanceVector.
func vectorCorpus(s *session) {
	s.t.Helper()
	s.must("FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "a:", "SCHEMA",
		"v", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2",
		"ip", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "IP",
		"h", "VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2",
		"w", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "COSINE",
		"c", "TAG", "p", "NUMERIC", OK)
	docs := []struct {
		key, c, p string
		v, w      [2]float32
	}{
		{"a:1", "red", "10", [2]float32{0, 0}, [2]float32{1, 0}},
		{"a:2", "blue", "20", [2]float32{1, 0}, [2]float32{0, 1}},
		{"a:3", "red", "30", [2]float32{0, 2}, [2]float32{-1, 0}},
		{"a:4", "blue", "40", [2]float32{3, 0}, [2]float32{2, 0}},
		{"a:5", "red", "50", [2]float32{1, 1}, [2]float32{0, -3}},
		{"a:6", "green", "60", [2]float32{-1, 0}, [2]float32{0, 0.5}},
	}
	for _, d := range docs {
		v := vecBlob(d.v[0], d.v[1])
		s.must("HSET", d.key, "v", v, "ip", v, "h", v, "w", vecBlob(d.w[0], d.w[1]), "c", d.c, "p", d.p, Int(6))
	}
}

// vecBlob is a FLOAT32 vector's blob: little-endian floats.
func vecBlob(v ...float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return string(b)
}
