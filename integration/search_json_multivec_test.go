package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// VECTOR fields ON JSON with several vectors per document. A path that is
// not static (`$.vecs[*]`) makes the field multi-value (the module's
// parseVectorField: multi = !pathIsSingle); json.c then reads each match
// (or each element of one matched array of arrays) as a vector, skipping
// nulls. Queries answer each document once, at its nearest vector's
// distance, with KNN's k counted in documents (VecSim's *_Multi indexes).
//
// Corpus, L2 on 2-d FLOAT32, query q = (0,1), distances by hand:
//
//	m:1 {t:a} (0,0) 0+1 = 1; (10,10) 100+81 = 181; (0,2) 0+1 = 1  => 1
//	m:2 {t:b} (3,0) 9+1 = 10                                       => 10
//	m:3 {t:a} (5,5) 25+16 = 41; (2,2) 4+1 = 5; null skipped        => 5
//	m:4 {t:b} (8,8) 64+49 = 113; (0,4) 0+9 = 9                     => 9
//
// Nearest vectors first: 1 (m:1), 1 (m:1), 5 (m:3), 9 (m:4), 10 (m:2):
// a KNN 2 that counted vectors would answer m:1 twice.
func multiVecCorpus(s *session) {
	vec := func(algo string) []string {
		if algo == "HNSW" {
			return []string{"VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2"}
		}
		return []string{"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2"}
	}
	create := []string{"FT.CREATE", "idx", "ON", "JSON", "PREFIX", "1", "m:", "SCHEMA", "$.t", "AS", "t", "TAG",
		"$.vecs[*]", "AS", "v"}
	create = append(create, vec("FLAT")...)
	create = append(create, "$.vecs[*]", "AS", "h")
	create = append(create, vec("HNSW")...)
	s.must(append(create, OK)...)
	s.must("JSON.SET", "m:1", "$", `{"t":"a","vecs":[[0,0],[10,10],[0,2]]}`, OK)
	s.must("JSON.SET", "m:2", "$", `{"t":"b","vecs":[[3,0]]}`, OK)
	s.must("JSON.SET", "m:3", "$", `{"t":"a","vecs":[[5,5],[2,2],null]}`, OK)
	s.must("JSON.SET", "m:4", "$", `{"t":"b","vecs":[[8,8],[0,4]]}`, OK)
	s.waitIndexed("idx")
}

func dist(key, d string) []string { return []string{Bulk(key), Arr(Bulk("d"), Bulk(d))} }

func hits(n int64, rows ...[]string) string {
	out := []string{Int(n)}
	for _, r := range rows {
		out = append(out, r...)
	}
	return Arr(out...)
}

func TestSearchJSONMultiVector(t *testing.T) {
	q := vecBlob(0, 1)
	knn := func(query string, extra ...string) []string {
		args := []string{"FT.SEARCH", "idx", query, "PARAMS", "2", "B", q, "SORTBY", "d", "RETURN", "1", "d"}
		return append(append(args, extra...), "DIALECT", "2")
	}
	runJSONAcceptance(t, []acceptanceCase{
		{"MV1 KNN: each document once at its nearest vector, k counted in documents", func(s *session) {
			multiVecCorpus(s)
			for _, f := range []string{"v", "h"} {
				s.search(knn("*=>[KNN 2 @"+f+" $B AS d]"), hits(2, dist("m:1", "1"), dist("m:3", "5")))
				s.search(knn("*=>[KNN 3 @"+f+" $B AS d]"), hits(3, dist("m:1", "1"), dist("m:3", "5"), dist("m:4", "9")))
				// k beyond the documents: the 4 documents (not the 8 vectors).
				s.search(knn("*=>[KNN 10 @"+f+" $B AS d]"),
					hits(4, dist("m:1", "1"), dist("m:3", "5"), dist("m:4", "9"), dist("m:2", "10")))
			}
			if !s.inCluster() {
				// FT.DEBUG VECSIM_INFO (a shard's): 8 vectors under 4 labels.
				info := s.pairs(s.do("FT.DEBUG", "VECSIM_INFO", "idx", "v"), "VECSIM_INFO")
				for k, want := range map[string]string{"IS_MULTI_VALUE": Int(1), "INDEX_SIZE": Int(8), "INDEX_LABEL_COUNT": Int(4)} {
					if d := diff(parseRaw(s.t, want), info[k], k); d != "" {
						s.t.Error(d)
					}
				}
			}
		}},
		{"MV2 hybrid KNN and VECTOR_RANGE over several vectors per document", func(s *session) {
			multiVecCorpus(s)
			for _, f := range []string{"v", "h"} {
				for _, policy := range []string{"", " HYBRID_POLICY ADHOC_BF", " HYBRID_POLICY BATCHES"} {
					// t:b: m:4 9, m:2 10.
					s.search(knn("(@t:{b})=>[KNN 1 @"+f+" $B"+policy+" AS d]"), hits(1, dist("m:4", "9")))
					// t:a: m:1 1, m:3 5.
					s.search(knn("(@t:{a})=>[KNN 5 @"+f+" $B"+policy+" AS d]"), hits(2, dist("m:1", "1"), dist("m:3", "5")))
				}
				// Within 9: m:1, m:3, m:4 once each; within 4: m:1 alone
				// (two of its vectors are).
				s.search(knn("@"+f+":[VECTOR_RANGE 9 $B]=>{$YIELD_DISTANCE_AS: d}"),
					hits(3, dist("m:1", "1"), dist("m:3", "5"), dist("m:4", "9")))
				s.search(knn("@"+f+":[VECTOR_RANGE 4 $B]=>{$YIELD_DISTANCE_AS: d}"), hits(1, dist("m:1", "1")))
				s.search(knn("@"+f+":[VECTOR_RANGE 9 $B]=>{$YIELD_DISTANCE_AS: d} @t:{b}"), hits(1, dist("m:4", "9")))
			}
		}},
		{"MV3 writes replace all of a document's vectors", func(s *session) {
			multiVecCorpus(s)
			// m:1's vectors become (20,20) alone: 400+361 = 761.
			s.must("JSON.SET", "m:1", "$.vecs", `[[20,20]]`, OK)
			for _, f := range []string{"v", "h"} {
				s.search(knn("*=>[KNN 1 @"+f+" $B AS d]"), hits(1, dist("m:3", "5")))
				s.search(knn("@"+f+":[VECTOR_RANGE 800 $B]=>{$YIELD_DISTANCE_AS: d} @t:{a}"),
					hits(2, dist("m:3", "5"), dist("m:1", "761")))
			}
			// m:2 gains (0,1) itself: 0.
			s.must("JSON.ARRAPPEND", "m:2", "$.vecs", "[0,1]", Arr(Int(2)))
			s.search(knn("*=>[KNN 2 @v $B AS d]"), hits(2, dist("m:2", "0"), dist("m:3", "5")))
			// Deleted, m:3 and its two vectors leave the index.
			s.must("DEL", "m:3", Int(1))
			for _, f := range []string{"v", "h"} {
				s.search(knn("*=>[KNN 10 @"+f+" $B AS d]"), hits(3, dist("m:2", "0"), dist("m:4", "9"), dist("m:1", "761")))
			}
		}},
		{"MV4 what a multi-value field refuses (json.c JSON_StoreMultiVectorInDocField)", func(s *session) {
			s.must("FT.CREATE", "fi", "ON", "JSON", "PREFIX", "1", "f:", "SCHEMA", "$.vecs[*]", "AS", "v",
				"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", OK)
			s.must("FT.CREATE", "si", "ON", "JSON", "PREFIX", "1", "s:", "SCHEMA", "$.vecs", "AS", "v",
				"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", OK)
			for _, kv := range [][2]string{
				{"f:1", `{"vecs":[[1,2],[1]]}`},     // a vector of the wrong dimension: refused
				{"f:2", `{"vecs":[[1,2],"x"]}`},     // a match that is not an array: refused
				{"f:3", `{"vecs":[[1,"a"],[1,2]]}`}, // an element that is not a number: refused
				{"f:4", `{"vecs":[[1,2]]}`},         // one match, an array of numbers: one vector
				{"f:5", `{"vecs":[1,2]}`},           // two matches that are numbers: refused
				{"f:6", `{"vecs":[[]]}`},            // one match, an empty array: refused
				{"f:7", `{"vecs":[]}`},              // no match: a document without the field
				{"f:8", `{"vecs":[null,null]}`},     // nulls skipped: no vector
				{"f:9", `{"vecs":[[[1,2]]]}`},       // one match, an array of arrays: its vectors
				// A static path is a single-value field: an array of
				// arrays is refused.
				{"s:1", `{"vecs":[[1,2],[3,4]]}`},
				{"s:2", `{"vecs":[1,2]}`},
			} {
				s.must("JSON.SET", kv[0], "$", kv[1], OK)
			}
			s.waitIndexed("fi")
			s.mustInfo("fi", "hash_indexing_failures", Int(5))
			s.mustInfo("fi", "num_docs", Int(4))
			// One record a vector: f:4's and f:9's.
			s.mustInfo("fi", "num_records", Int(2))
			s.mustInfo("si", "hash_indexing_failures", Int(1))
			s.mustInfo("si", "num_docs", Int(1))
			// q = (1,1): f:4 and f:9 hold (1,2): 0+1 = 1.
			s.search(cmd("FT.SEARCH", "fi", "*=>[KNN 10 @v $B AS d]", "PARAMS", "2", "B", vecBlob(1, 1),
				"SORTBY", "d", "RETURN", "1", "d", "DIALECT", "2"), hits(2, dist("f:4", "1"), dist("f:9", "1")))
		}},
		{"MV5 num_records: one record a vector indexed, kept when the document goes (indexer.c vectorIndexer, spec.c IndexSpec_DeleteDoc_Unsafe)", func(s *session) {
			// The module adds fdata->numVec records a document and never
			// takes vector records back: a delete ignores
			// VecSimIndex_DeleteVector's count, and the GC collects only
			// inverted indexes. The vectors themselves do go.
			s.must("FT.CREATE", "ri", "ON", "JSON", "PREFIX", "1", "r:", "SCHEMA", "$.vecs[*]", "AS", "v",
				"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", OK)
			s.must("FT.CREATE", "hi", "ON", "HASH", "PREFIX", "1", "h:", "SCHEMA", "v",
				"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", OK)
			s.must("JSON.SET", "r:1", "$", `{"vecs":[[1,1],[2,2]]}`, OK)
			s.must("HSET", "h:1", "v", vecBlob(1, 1), Int(1))
			s.waitIndexed("ri")
			s.mustInfo("ri", "num_records", Int(2))
			s.mustInfo("hi", "num_records", Int(1))
			// Overwritten: the new document's 3 (1) records are added, the
			// old one's 2 (1) stay: 2+3 = 5, 1+1 = 2.
			s.must("JSON.SET", "r:1", "$", `{"vecs":[[1,1],[2,2],[3,3]]}`, OK)
			s.must("HSET", "h:1", "v", vecBlob(2, 2), Int(0))
			s.mustInfo("ri", "num_docs", Int(1))
			s.mustInfo("ri", "num_records", Int(5))
			s.mustInfo("hi", "num_records", Int(2))
			// Deleted: no document, the records stay.
			s.must("DEL", "r:1", Int(1))
			s.must("DEL", "h:1", Int(1))
			s.mustInfo("ri", "num_docs", Int(0))
			s.mustInfo("ri", "num_records", Int(5))
			s.mustInfo("hi", "num_records", Int(2))
			if !s.inCluster() {
				info := s.pairs(s.do("FT.DEBUG", "VECSIM_INFO", "ri", "v"), "VECSIM_INFO")
				if d := diff(parseRaw(s.t, Int(0)), info["INDEX_SIZE"], "INDEX_SIZE"); d != "" {
					s.t.Error(d)
				}
			}
			s.search(cmd("FT.SEARCH", "ri", "*=>[KNN 10 @v $B AS d]", "PARAMS", "2", "B", vecBlob(1, 1),
				"RETURN", "1", "d", "DIALECT", "2"), hits(0))
		}},
	})
}
