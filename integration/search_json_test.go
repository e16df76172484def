package integration

import (
	"fmt"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

// Indexes ON JSON: the search module reading the JSON module's documents
// through its shared API. Cases come from the module's
// tests/pytests/test_json.py (named per case) and from hand computations
// shown beside them; each runs on one shard (RESP2, RESP3) and on a 3-shard
// cluster, where the replies must be the same.

func init() {
	// JSON commands take their key first: in a cluster they go to its
	// shard.
	for _, c := range []string{"JSON.SET", "JSON.GET", "JSON.DEL", "JSON.FORGET", "JSON.TOGGLE", "JSON.NUMINCRBY",
		"JSON.ARRAPPEND", "JSON.ARRINSERT", "JSON.ARRPOP", "JSON.STRAPPEND", "JSON.MERGE"} {
		keyCommands[c] = true
	}
}

// runJSONAcceptance is runAcceptance with both modules loaded, as the
// binary loads them.
func runJSONAcceptance(t *testing.T, cases []acceptanceCase) {
	for _, tc := range cases {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", tc.name, proto), func(t *testing.T) {
				srv := server.RunT(t, server.Options{Modules: []server.Module{module.New(), rejson.New()}})
				c := Dial(t, srv.Addr())
				if proto == 3 {
					c.Hello3()
				}
				tc.run(&session{t: t, c: c, proto: proto})
			})
		}
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/Cluster-RESP%d", tc.name, proto), func(t *testing.T) {
				srvs := startCluster(t, 3)
				s := &session{t: t, proto: proto, srvs: srvs}
				for _, srv := range srvs {
					c := Dial(t, srv.Addr())
					if proto == 3 {
						c.Hello3()
					}
					s.shards = append(s.shards, c)
				}
				s.c = s.shards[0]
				tc.run(s)
			})
		}
	}
}

// dollar is the fields of a search result whose only field is the
// document, "$".
func dollar(json string) string { return Arr(Bulk("$"), Bulk(json)) }

func TestSearchJSON(t *testing.T) {
	runJSONAcceptance(t, []acceptanceCase{
		{"J1 updated content (testSearchUpdatedContent)", func(s *session) {
			s.must("JSON.SET", "doc:1", "$", `{"t":"rex","n":12}`, OK)
			s.must("FT.CREATE", "idx1", "ON", "JSON", "SCHEMA", "$.t", "AS", "labelT", "TEXT", "$.n", "AS", "labelN", "NUMERIC", OK)
			s.waitIndexed("idx1")
			s.search(cmd("FT.SEARCH", "idx1", "rice*"), Arr(Int(0)))
			s.must("JSON.SET", "doc:2", "$", `{"t":"riceratops","n":9}`, OK)
			s.ranked(cmd("FT.SEARCH", "idx1", "*"), Arr(Int(2), Bulk("doc:1"), dollar(`{"t":"rex","n":12}`), Bulk("doc:2"), dollar(`{"t":"riceratops","n":9}`)))
			s.search(cmd("FT.SEARCH", "idx1", "re*"), Arr(Int(1), Bulk("doc:1"), dollar(`{"t":"rex","n":12}`)))
			s.aggregate(cmd("FT.AGGREGATE", "idx1", "re*", "LOAD", "1", "labelT"), Arr(Int(1), Arr(Bulk("labelT"), Bulk("rex"))))
			s.must("JSON.SET", "doc:1", "$.t", `"hescelosaurus"`, OK)
			s.must("JSON.SET", "doc:1", "$.n", "13", OK)
			if s.proto == 2 {
				s.must("JSON.NUMINCRBY", "doc:1", "$.n", "2", Bulk("[15]"))
			} else {
				s.must("JSON.NUMINCRBY", "doc:1", "$.n", "2", Arr(Int(15))) // RedisJSON's RESP3 reply
			}
			s.search(cmd("FT.SEARCH", "idx1", "he*"), Arr(Int(1), Bulk("doc:1"), dollar(`{"t":"hescelosaurus","n":15}`)))
			s.search(cmd("FT.SEARCH", "idx1", "riceratops", "RETURN", "1", "$"), Arr(Int(1), Bulk("doc:2"), dollar(`{"t":"riceratops","n":9}`)))
			s.search(cmd("FT.SEARCH", "idx1", "riceratops", "RETURN", "1", "$.n"), Arr(Int(1), Bulk("doc:2"), Arr(Bulk("$.n"), Bulk("9"))))
			s.search(cmd("FT.SEARCH", "idx1", "riceratops", "RETURN", "1", "$.t"), Arr(Int(1), Bulk("doc:2"), Arr(Bulk("$.t"), Bulk("riceratops"))))
			// The NUMINCRBY reindexed doc:1: 15 is in [14 16], 13 no more.
			s.search(cmd("FT.SEARCH", "idx1", "@labelN:[14 16]", "NOCONTENT"), Arr(Int(1), Bulk("doc:1")))
			s.search(cmd("FT.SEARCH", "idx1", "@labelN:[13 13]", "NOCONTENT"), Arr(Int(0)))
		}},
		{"J2 RETURN AS and schema names (testIndexSeparation, testMapProjectionAsToSchemaAs)", func(s *session) {
			s.must("HSET", "hash:1", "t", "telmatosaurus", "n", "9", "f", "9.72", Int(3))
			s.must("FT.CREATE", "idxHash", "ON", "HASH", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "f", "NUMERIC", OK)
			s.must("FT.CREATE", "idxJson", "ON", "JSON", "SCHEMA", "$.t", "TEXT", "$.flt", "NUMERIC", OK)
			s.must("JSON.SET", "doc:1", "$", `{"t":"riceratops","t2":"telmatosaurus","n":9072,"flt":97.2}`, OK)
			s.must("FT.CREATE", "idxJson2", "ON", "JSON", "SCHEMA", "$.t2", "TEXT", "$.flt", "NUMERIC", OK)
			s.waitIndexed("idxJson2")
			s.search(cmd("FT.SEARCH", "idxJson", "*", "RETURN", "3", "$.t", "AS", "txt"), Arr(Int(1), Bulk("doc:1"), Arr(Bulk("txt"), Bulk("riceratops"))))
			s.search(cmd("FT.SEARCH", "idxJson2", "*", "RETURN", "3", "$.t2", "AS", "txt"), Arr(Int(1), Bulk("doc:1"), Arr(Bulk("txt"), Bulk("telmatosaurus"))))
			s.search(cmd("FT.SEARCH", "idxHash", "*", "RETURN", "3", "t", "AS", "txt"), Arr(Int(1), Bulk("hash:1"), Arr(Bulk("txt"), Bulk("telmatosaurus"))))
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.t", "AS", "labelT", "TEXT", "$.flt", "AS", "labelFlt", "NUMERIC", OK)
			s.waitIndexed("idx")
			s.search(cmd("FT.SEARCH", "idx", "*", "RETURN", "1", "labelT"), Arr(Int(1), Bulk("doc:1"), Arr(Bulk("labelT"), Bulk("riceratops"))))
		}},
		{"J3 JSON.DEL, FORGET, TOGGLE, STRAPPEND reindex (testDel, testToggle, testStrappend)", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.t", "TEXT", OK)
			s.must("JSON.SET", "doc:1", "$", `{"t":"ReJSON"}`, OK)
			s.must("JSON.SET", "doc:2", "$", `{"t":"RediSearch"}`, OK)
			s.ranked(cmd("FT.SEARCH", "idx", "re*", "NOCONTENT"), Arr(Int(2), Bulk("doc:1"), Bulk("doc:2")))
			s.must("JSON.DEL", "doc:2", "$.t", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "re*", "NOCONTENT"), Arr(Int(1), Bulk("doc:1")))
			s.must("JSON.FORGET", "doc:1", "$.t", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "re*", "NOCONTENT"), Arr(Int(0)))

			s.must("FT.CREATE", "idxb", "ON", "JSON", "PREFIX", "1", "b:", "SCHEMA", "$.boolT", "AS", "boolT", "TAG", OK)
			s.must("JSON.SET", "b:3", "$", `{"boolT":false}`, OK)
			s.search(cmd("FT.SEARCH", "idxb", "*"), Arr(Int(1), Bulk("b:3"), dollar(`{"boolT":false}`)))
			s.must("JSON.TOGGLE", "b:3", "$.boolT", Arr(Int(1)))
			s.search(cmd("FT.SEARCH", "idxb", "*"), Arr(Int(1), Bulk("b:3"), dollar(`{"boolT":true}`)))
			// The boolean is the tag "true" (JSON_StoreInDocField).
			s.search(cmd("FT.SEARCH", "idxb", "@boolT:{true}", "NOCONTENT"), Arr(Int(1), Bulk("b:3")))
			s.search(cmd("FT.SEARCH", "idxb", "@boolT:{false}", "NOCONTENT"), Arr(Int(0)))

			s.must("JSON.SET", "doc:4", "$", `{"t":"Redis"}`, OK)
			s.search(cmd("FT.SEARCH", "idx", "Redis"), Arr(Int(1), Bulk("doc:4"), dollar(`{"t":"Redis"}`)))
			s.must("JSON.STRAPPEND", "doc:4", ".t", `"Labs"`, Int(9))
			s.search(cmd("FT.SEARCH", "idx", "RedisLabs"), Arr(Int(1), Bulk("doc:4"), dollar(`{"t":"RedisLabs"}`)))
			s.search(cmd("FT.SEARCH", "idx", "Redis"), Arr(Int(0)))
		}},
		{"J4 multi-value TAG (testArrayCommands, testMultiValueTag)", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.tag[*]", "AS", "tag", "TAG", OK)
			s.must("JSON.SET", "doc:1", "$", `{"tag":["foo"]}`, OK)
			s.must("JSON.ARRAPPEND", "doc:1", "$.tag", `"bar"`, Arr(Int(2)))
			res := Arr(Int(1), Bulk("doc:1"), dollar(`{"tag":["foo","bar"]}`))
			s.search(cmd("FT.SEARCH", "idx", "@tag:{foo}"), res)
			s.search(cmd("FT.SEARCH", "idx", "@tag:{bar}"), res)
			s.search(cmd("FT.SEARCH", "idx", "@tag:{baz}"), Arr(Int(0)))
			s.must("JSON.ARRINSERT", "doc:1", "$.tag", "2", `"baz"`, Arr(Int(3)))
			s.search(cmd("FT.SEARCH", "idx", "@tag:{baz}"), Arr(Int(1), Bulk("doc:1"), dollar(`{"tag":["foo","bar","baz"]}`)))
			s.must("JSON.ARRPOP", "doc:1", "$.tag", "1", Arr(Bulk(`"bar"`)))
			s.search(cmd("FT.SEARCH", "idx", "@tag:{bar}"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "@tag:{foo}"), Arr(Int(1), Bulk("doc:1"), dollar(`{"tag":["foo","baz"]}`)))

			// Each value of an array is split at the separator.
			s.must("FT.CREATE", "idx2", "ON", "JSON", "PREFIX", "1", "m:", "SCHEMA", "$.tag[*]", "AS", "tag", "TAG", "SEPARATOR", ",", OK)
			s.must("JSON.SET", "m:1", "$", `{"tag":["foo", "bar", "baz"]}`, OK)
			s.must("JSON.SET", "m:2", "$", `{"tag":["foo, bar", "baz"]}`, OK)
			s.must("JSON.SET", "m:3", "$", `{"tag":["foo, bar, baz"]}`, OK)
			all := Arr(Int(3), Bulk("m:1"), dollar(`{"tag":["foo","bar","baz"]}`), Bulk("m:2"), dollar(`{"tag":["foo, bar","baz"]}`),
				Bulk("m:3"), dollar(`{"tag":["foo, bar, baz"]}`))
			s.ranked(cmd("FT.SEARCH", "idx2", "@tag:{foo}"), all)
			s.ranked(cmd("FT.SEARCH", "idx2", "@tag:{bar}"), all)
			s.ranked(cmd("FT.SEARCH", "idx2", "@tag:{baz}"), all)
		}},
		{"J5 vectors from JSON arrays (testArrayCommands_withVector)", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.v", "AS", "vec", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32",
				"DIM", "2", "DISTANCE_METRIC", "L2", OK)
			s.must("JSON.SET", "doc:1", "$", `{"v":[1]}`, OK)
			s.must("JSON.ARRAPPEND", "doc:1", "$.v", "2", Arr(Int(2)))
			res := Arr(Int(1), Bulk("doc:1"), dollar(`{"v":[1,2]}`))
			s.search(cmd("FT.SEARCH", "idx", "*"), res)
			q := vecBlob(1, 1)
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 1 @vec $B]", "PARAMS", "2", "B", q, "RETURN", "1", "$", "DIALECT", "2"), res)
			// Three numbers for a 2-d field: the document leaves the index.
			s.must("JSON.ARRINSERT", "doc:1", "$.v", "2", "3", Arr(Int(3)))
			s.search(cmd("FT.SEARCH", "idx", "*"), Arr(Int(0)))
			s.must("JSON.ARRPOP", "doc:1", "$.v", "1", Arr(Bulk("2")))
			s.search(cmd("FT.SEARCH", "idx", "*"), Arr(Int(1), Bulk("doc:1"), dollar(`{"v":[1,3]}`)))
			s.must("JSON.SET", "doc:1", "$.v[1]", "true", OK)
			s.search(cmd("FT.SEARCH", "idx", "*"), Arr(Int(0)))
		}},
		{"J6 airports: GEO, FT.INFO, RETURN, LOAD (testDemo)", func(s *session) {
			tlv := `{"iata":"TLV","name":"Ben Gurion International Airport","location":"34.8866997,32.01139832"}`
			sfo := `{"iata":"SFO","name":"San Francisco International Airport","location":"-122.375,37.6189995"}`
			s.must("JSON.SET", "A:TLV", "$", tlv, OK)
			s.must("JSON.SET", "A:SFO", "$", sfo, OK)
			s.must("FT.CREATE", "airports", "ON", "JSON", "SCHEMA", "$.iata", "AS", "iata", "TAG", "$.iata", "AS", "iata_txt", "TEXT", "NOSTEM",
				"$.name", "AS", "name", "TEXT", "NOSTEM", "PHONETIC", "dm:en", "$.location", "AS", "location", "GEO", OK)
			s.waitIndexed("airports")
			def := s.pairs(s.info("airports")["index_definition"], "index_definition")
			if d := diff(bulkStrings(parseRaw(s.t, Bulk("JSON"))), bulkStrings(def["key_type"]), "key_type"); d != "" {
				s.t.Error(d)
			}
			s.mustInfo("airports", "num_docs", Int(2))
			s.search(cmd("FT.SEARCH", "airports", "TLV"), Arr(Int(1), Bulk("A:TLV"), dollar(tlv)))
			s.search(cmd("FT.SEARCH", "airports", "TL*"), Arr(Int(1), Bulk("A:TLV"), dollar(tlv)))
			s.search(cmd("FT.SEARCH", "airports", "@location:[-122.41 37.77 100 km]"), Arr(Int(1), Bulk("A:SFO"), dollar(sfo)))
			s.search(cmd("FT.SEARCH", "airports", "sfo", "RETURN", "1", "$.name"),
				Arr(Int(1), Bulk("A:SFO"), Arr(Bulk("$.name"), Bulk("San Francisco International Airport"))))
			// The module's test compares the row as a sorted flat list.
			s.aggregate(cmd("FT.AGGREGATE", "airports", "sfo", "LOAD", "1", "$", "SORTBY", "1", "@iata"),
				Arr(Int(1), pairsAnyOrder("iata", "SFO", "$", sfo)))
		}},
	})
}
