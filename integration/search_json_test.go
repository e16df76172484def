package integration

import (
	"fmt"
	"testing"
	"time"

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
		{"J7 multi-value RETURN and LOAD, DIALECT 3 and before (test_json_multi_tag.py testMultiTagReturn, testMultiTagReturnBWC)", func(s *session) {
			s.must("FT.CREATE", "idx_flat", "ON", "JSON", "SCHEMA", "$.Sellers[*].Locations[*]", "AS", "val", "TAG", OK)
			s.must("FT.CREATE", "idx_arr", "ON", "JSON", "SCHEMA", "$.Sellers[0].Locations", "AS", "val", "TAG", OK)
			doc1 := `{"Name":"Product1","Sellers":[{"Name":"Seller1","Locations":["FL","AL"]},{"Name":"Seller2","Locations":["MS","GA"]}]}`
			s.must("JSON.SET", "doc:1", "$", doc1, OK)
			res := func(name, v string) string { return Arr(Int(1), Bulk("doc:1"), Arr(Bulk(name), Bulk(v))) }
			for _, d3 := range []bool{true, false} {
				dialect := []string{"DIALECT", "3"}
				// testMultiTagReturn (DIALECT 3): every match, as a JSON array.
				res1, res2, res3, res4 := res("arr_1", `["AL"]`), res("val", `["FL","AL"]`), res("val", `[["FL","AL"]]`), res("val", `["FL","AL","MS","GA"]`)
				whole := Arr(Int(1), Bulk("doc:1"), dollar("["+doc1+"]"))
				load := `["FL","AL","MS","GA"]`
				if !d3 {
					// testMultiTagReturnBWC (default dialect): the first match.
					dialect = nil
					res1, res2, res3, res4 = res("arr_1", "AL"), res("val", "FL"), res("val", `["FL","AL"]`), res("val", "FL")
					whole = Arr(Int(1), Bulk("doc:1"), dollar(doc1))
					load = "FL"
				}
				q := func(idx string, args ...string) []string {
					return append(append([]string{"FT.SEARCH", idx, "@val:{al}"}, args...), dialect...)
				}
				s.search(q("idx_flat", "RETURN", "3", "$.Sellers[0].Locations[1]", "AS", "arr_1"), res1)
				s.search(q("idx_flat", "RETURN", "1", "val"), res4)
				s.search(q("idx_flat", "RETURN", "3", "$.Sellers[*].Locations[*]", "AS", "val"), res4)
				s.search(q("idx_flat", "RETURN", "3", "$.Sellers[0].Locations[*]", "AS", "val"), res2)
				s.search(q("idx_flat", "RETURN", "3", "$.Sellers[0].Locations", "AS", "val"), res3)
				s.search(q("idx_arr", "RETURN", "3", "$.Sellers[0].Locations[1]", "AS", "arr_1"), res1)
				s.search(q("idx_arr", "RETURN", "1", "val"), res3)
				s.search(q("idx_arr", "RETURN", "3", "$.Sellers[0].Locations[*]", "AS", "val"), res2)
				s.search(q("idx_flat"), whole)
				s.aggregate(append([]string{"FT.AGGREGATE", "idx_flat", "@val:{al}", "LOAD", "1", "@val"}, dialect...),
					Arr(Int(1), Arr(Bulk("val"), Bulk(load))))
			}
		}},
		{"J8 the issue's index: TEXT, multi TAG, NUMERIC SORTABLE, GEO, VECTOR, failures, writes", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "JSON", "PREFIX", "1", "p:", "SCHEMA", "$.name", "AS", "name", "TEXT",
				"$.tags[*]", "AS", "tags", "TAG", "$.price", "AS", "price", "NUMERIC", "SORTABLE", "$.loc", "AS", "loc", "GEO",
				"$.vec", "AS", "vec", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2", OK)
			s.must("JSON.SET", "p:1", "$", `{"name":"red apple","tags":["fruit","red"],"price":3,"loc":"2.35,48.85","vec":[0,0]}`, OK)
			s.must("JSON.SET", "p:2", "$", `{"name":"green pear","tags":["fruit","green"],"price":1.5,"loc":"-0.12,51.5","vec":[1,0]}`, OK)
			s.must("JSON.SET", "p:3", "$", `{"name":"red brick","tags":["stone"],"price":10,"loc":"13.4,52.52","vec":[3,4]}`, OK)
			// A number in a TEXT field, a string in a NUMERIC one: the
			// module refuses both documents (FieldSpec_CheckJsonType).
			s.must("JSON.SET", "p:4", "$", `{"name":42}`, OK)
			s.must("JSON.SET", "p:5", "$", `{"price":"12"}`, OK)
			s.mustInfo("idx", "num_docs", Int(3))
			s.mustInfo("idx", "hash_indexing_failures", Int(2))
			def := s.pairs(s.info("idx")["index_definition"], "index_definition")
			if d := diff(bulkStrings(parseRaw(s.t, Bulk("JSON"))), bulkStrings(def["key_type"]), "key_type"); d != "" {
				s.t.Error(d)
			}
			// FT.INFO's attribute entries name the path as identifier
			// (test_json.py testDemo): here the TEXT field's.
			attrs := s.info("idx")["attributes"]
			kv := []string{Status("identifier"), Status("$.name"), Status("attribute"), Status("name"), Status("type"), Status("TEXT"),
				Status("WEIGHT"), s.double("1")}
			want := Arr(kv...)
			if s.proto == 3 {
				want = Map3(append(kv, Status("flags"), Arr())...)
			}
			if len(attrs.elems) != 5 {
				s.t.Fatalf("attributes: %v", attrs)
			}
			if d := diff(bulkStrings(parseRaw(s.t, want)), bulkStrings(attrs.elems[0]), "attributes[0]"); d != "" {
				s.t.Error(d)
			}

			s.search(cmd("FT.SEARCH", "idx", "@tags:{fruit}", "SORTBY", "price", "NOCONTENT"), Arr(Int(2), Bulk("p:2"), Bulk("p:1")))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{red}", "NOCONTENT"), Arr(Int(1), Bulk("p:1")))
			s.search(cmd("FT.SEARCH", "idx", "*", "SORTBY", "price", "DESC", "RETURN", "1", "$.price"),
				Arr(Int(3), Bulk("p:3"), Arr(Bulk("$.price"), Bulk("10")), Bulk("p:1"), Arr(Bulk("$.price"), Bulk("3")),
					Bulk("p:2"), Arr(Bulk("$.price"), Bulk("1.5"))))
			s.search(cmd("FT.SEARCH", "idx", "@price:[2 5]", "NOCONTENT"), Arr(Int(1), Bulk("p:1")))
			// Paris is within 10 km of itself; London (340 km) and Berlin
			// are not.
			s.search(cmd("FT.SEARCH", "idx", "@loc:[2.35 48.85 10 km]", "NOCONTENT"), Arr(Int(1), Bulk("p:1")))
			// From (1,1), squared L2: p:1 (0,0) 2, p:2 (1,0) 1, p:3 (3,4) 13.
			s.search(cmd("FT.SEARCH", "idx", "*=>[KNN 2 @vec $B AS d]", "PARAMS", "2", "B", vecBlob(1, 1), "SORTBY", "d",
				"RETURN", "1", "d", "DIALECT", "2"), Arr(Int(2), Bulk("p:2"), Arr(Bulk("d"), Bulk("1")), Bulk("p:1"), Arr(Bulk("d"), Bulk("2"))))
			s.ranked(cmd("FT.SEARCH", "idx", "red", "NOCONTENT"), Arr(Int(2), Bulk("p:1"), Bulk("p:3")))

			// Every JSON.* write reindexes before the next command.
			if s.proto == 2 {
				s.must("JSON.NUMINCRBY", "p:2", "$.price", "10", Bulk("[11.5]"))
			} else {
				s.must("JSON.NUMINCRBY", "p:2", "$.price", "10", Arr(s.double("11.5")))
			}
			s.search(cmd("FT.SEARCH", "idx", "*", "SORTBY", "price", "DESC", "LIMIT", "0", "1", "NOCONTENT"), Arr(Int(3), Bulk("p:2")))
			s.must("JSON.ARRAPPEND", "p:3", "$.tags", `"fruit"`, Arr(Int(2)))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{fruit}", "SORTBY", "price", "NOCONTENT"), Arr(Int(3), Bulk("p:1"), Bulk("p:3"), Bulk("p:2")))
			s.must("JSON.SET", "p:1", "$.name", `"yellow apple"`, OK)
			s.ranked(cmd("FT.SEARCH", "idx", "red", "NOCONTENT"), Arr(Int(1), Bulk("p:3")))
			s.must("JSON.SET", "p:5", "$.price", "12", OK) // now a number: indexed
			s.search(cmd("FT.SEARCH", "idx", "@price:[12 12]", "NOCONTENT"), Arr(Int(1), Bulk("p:5")))
			s.must("DEL", "p:1", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{fruit}", "SORTBY", "price", "NOCONTENT"), Arr(Int(2), Bulk("p:3"), Bulk("p:2")))
			if !s.inCluster() { // the two names are in different slots
				s.must("RENAME", "p:3", "q:3", OK)
				s.search(cmd("FT.SEARCH", "idx", "@tags:{stone}", "NOCONTENT"), Arr(Int(0)))
				s.must("RENAME", "q:3", "p:7", OK)
				s.search(cmd("FT.SEARCH", "idx", "@tags:{stone}", "NOCONTENT"), Arr(Int(1), Bulk("p:7")))
			}
			s.must("PEXPIRE", "p:2", "1", Int(1))
			time.Sleep(5 * time.Millisecond)
			s.must("EXISTS", "p:2", Int(0))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{green}", "NOCONTENT"), Arr(Int(0)))
		}},
		{"J9 multi-value TEXT and NUMERIC", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.notes[*]", "AS", "notes", "TEXT", "$.scores[*]", "AS", "scores", "NUMERIC", OK)
			s.must("JSON.SET", "d:1", "$", `{"notes":["quick brown","lazy dog",null],"scores":[1,20,null,22,300]}`, OK)
			s.must("JSON.SET", "d:2", "$", `{"notes":["brown lazy"],"scores":[25]}`, OK)
			s.search(cmd("FT.SEARCH", "idx", "@scores:[10 30]", "SORTBY", "scores", "NOCONTENT"), Arr(Int(2), Bulk("d:1"), Bulk("d:2")))
			s.search(cmd("FT.SEARCH", "idx", "@scores:[250 350]", "NOCONTENT"), Arr(Int(1), Bulk("d:1")))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", "lazy", "NOCONTENT"), Arr(Int(2), Bulk("d:1"), Bulk("d:2")))
			// "brown lazy" spans two values of d:1 ("quick brown", "lazy
			// dog"), 100 positions apart: the exact phrase is d:2's only.
			s.search(cmd("FT.SEARCH", "idx", `"brown lazy"`, "NOCONTENT"), Arr(Int(1), Bulk("d:2")))
			// A number among the strings of a TEXT array refuses the
			// document (JSON_StoreTextInDocField).
			s.must("JSON.SET", "d:3", "$", `{"notes":["ok",7]}`, OK)
			s.mustInfo("idx", "hash_indexing_failures", Int(1))
		}},
		{"J10 separators, typed failures, LOAD AS, SORTBY (test_json.py)", func(s *session) {
			// testTagNoSeparetor: without SEPARATOR a JSON TAG is not split.
			s.must("FT.CREATE", "idx", "ON", "JSON", "PREFIX", "1", "doc:", "SCHEMA", "$.tag1", "AS", "tag_list", "TAG", "$.tag2[*]", "AS", "tag_array", "TAG", OK)
			s.must("JSON.SET", "doc:1", "$", `{"tag1":"foo,bar,baz"}`, OK)
			s.must("JSON.SET", "doc:2", "$", `{"tag2":["foo","bar,baz"]}`, OK)
			s.search(cmd("FT.SEARCH", "idx", `@tag_list:{foo\,bar\,baz}`), Arr(Int(1), Bulk("doc:1"), dollar(`{"tag1":"foo,bar,baz"}`)))
			s.search(cmd("FT.SEARCH", "idx", `@tag_array:{bar\,baz}`), Arr(Int(1), Bulk("doc:2"), dollar(`{"tag2":["foo","bar,baz"]}`)))

			// testTagArrayLowerCase.
			s.must("JSON.SET", "json1", "$", `{"attributes":[{"name":"Brand1","value":"Vivo"}]}`, OK)
			s.must("JSON.SET", "json2", "$", `{"attributes":[{"name":"Brand2","value":"Ext,vivo"}]}`, OK)
			res := Arr(Int(1), Bulk("json1"), dollar(`{"attributes":[{"name":"Brand1","value":"Vivo"}]}`))
			s.must("FT.CREATE", "idx1", "ON", "JSON", "PREFIX", "1", "json", "SCHEMA", "$.attributes[*].value", "AS", "attrs", "TAG", OK)
			s.waitIndexed("idx1")
			s.search(cmd("FT.SEARCH", "idx1", "@attrs:{Vivo}"), res)
			s.search(cmd("FT.SEARCH", "idx1", "@attrs:{vivo}"), res)
			s.must("FT.CREATE", "idx2", "ON", "JSON", "PREFIX", "1", "json", "SCHEMA", "$.attributes[*].value", "AS", "attrs", "TAG", "SEPARATOR", ",",
				"$.attributes[*].name", "AS", "name", "TAG", OK)
			s.waitIndexed("idx2")
			s.search(cmd("FT.SEARCH", "idx2", "@attrs:{vivo}", "SORTBY", "name", "NOCONTENT"), Arr(Int(2), Bulk("json1"), Bulk("json2")))
			s.must("FT.CREATE", "idx4", "ON", "JSON", "PREFIX", "1", "json", "SCHEMA", "$.attributes[*].value", "AS", "attrs", "TAG", "SEPARATOR", ",", "CASESENSITIVE", OK)
			s.waitIndexed("idx4")
			s.search(cmd("FT.SEARCH", "idx4", "@attrs:{Vivo}", "NOCONTENT"), Arr(Int(1), Bulk("json1")))
			s.search(cmd("FT.SEARCH", "idx4", "@attrs:{vivo}", "NOCONTENT"), Arr(Int(1), Bulk("json2")))

			// testMOD1853: SORTBY's value leads the document.
			s.must("FT.CREATE", "sidx", "ON", "JSON", "PREFIX", "1", "s:", "SCHEMA", "$.sid", "AS", "sid", "NUMERIC", OK)
			s.must("JSON.SET", "s:1", "$", `{"sid":0}`, OK)
			s.must("JSON.SET", "s:2", "$", `{"sid":1}`, OK)
			s.search(cmd("FT.SEARCH", "sidx", "@sid:[0 1]", "SORTBY", "sid"),
				Arr(Int(2), Bulk("s:1"), Arr(Bulk("sid"), Bulk("0"), Bulk("$"), Bulk(`{"sid":0}`)),
					Bulk("s:2"), Arr(Bulk("sid"), Bulk("1"), Bulk("$"), Bulk(`{"sid":1}`))))

			// testAsProjection, testNumeric, testNotExistField.
			s.must("FT.CREATE", "pidx", "ON", "JSON", "PREFIX", "1", "r:", "SCHEMA", "$.t", "TEXT", "$.flt", "NUMERIC", "$.f", "AS", "f", "NUMERIC", OK)
			s.must("JSON.SET", "r:1", "$", `{"t":"riceratops","n":"9072","flt":97.2,"f":9.72,"sub":{"t":"rex"}}`, OK)
			s.search(cmd("FT.SEARCH", "pidx", "*", "RETURN", "3", "$.t", "AS", "txt"), Arr(Int(1), Bulk("r:1"), Arr(Bulk("txt"), Bulk("riceratops"))))
			s.aggregate(cmd("FT.AGGREGATE", "pidx", "*", "LOAD", "3", "@$.t", "AS", "txt"), Arr(Int(1), Arr(Bulk("txt"), Bulk("riceratops"))))
			s.search(cmd("FT.SEARCH", "pidx", "*", "RETURN", "3", "$.n", "AS", "num"), Arr(Int(1), Bulk("r:1"), Arr(Bulk("num"), Bulk("9072"))))
			s.aggregate(cmd("FT.AGGREGATE", "pidx", "*", "LOAD", "6", "@$.n", "AS", "num", "$.sub.t", "AS", "subt"),
				Arr(Int(1), Arr(Bulk("num"), Bulk("9072"), Bulk("subt"), Bulk("rex"))))
			s.search(cmd("FT.SEARCH", "pidx", "@f:[9.5 9.9]", "RETURN", "1", "f"), Arr(Int(1), Bulk("r:1"), Arr(Bulk("f"), Bulk("9.72"))))
			s.search(cmd("FT.SEARCH", "pidx", "*", "RETURN", "1", "name"), Arr(Int(1), Bulk("r:1"), Arr()))
		}},
		{"J11 every wrong type fails the document (test_json.py test_WrongJsonType)", func(s *session) {
			vec := []string{"VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", "2", "DISTANCE_METRIC", "L2"}
			schema := []string{"FT.CREATE", "idx", "ON", "JSON", "SCHEMA",
				"$.object1", "TEXT", "$.object2", "TAG", "$.object3", "NUMERIC", "$.object4", "GEO", "$.object5"}
			schema = append(schema, vec...)
			schema = append(schema, "$.array1", "NUMERIC", "$.array2", "GEO", "$.array3")
			schema = append(schema, vec...)
			schema = append(schema, "$.numeric1", "TEXT", "$.numeric2", "TAG", "$.numeric3", "GEO", "$.numeric4")
			schema = append(schema, vec...)
			schema = append(schema, "$.bool1", "TEXT", "$.bool2", "NUMERIC", "$.bool3", "GEO", "$.bool4")
			schema = append(schema, vec...)
			schema = append(schema, "$.geo1", "NUMERIC", "$.geo2")
			schema = append(schema, vec...)
			schema = append(schema, "$.text1", "NUMERIC", "$.text2", "GEO", "$.text3")
			schema = append(schema, vec...)
			s.must(append(schema, OK)...)
			docs := []string{
				`{"object1":{"1":"foo", "2":"bar"}}`, `{"object2":{"1":"foo", "2":"bar"}}`, `{"object3":{"1":"foo", "2":"bar"}}`,
				`{"object4":{"1":"foo", "2":"bar"}}`, `{"object5":{"1":"foo", "2":"bar"}}`,
				`{"array1":["foo", "bar"]}`, `{"array2":["foo", "bar"]}`, `{"array3":["foo", "bar"]}`,
				`{"numeric1":3.141}`, `{"numeric2":3.141}`, `{"numeric3":3.141}`, `{"numeric4":3.141}`,
				`{"bool1":true}`, `{"bool2":true}`, `{"bool3":true}`, `{"bool4":true}`,
				`{"geo1":"1.23,2.34"}`, `{"geo2":"1.23,2.34"}`,
				`{"text1":"foo"}`, `{"text2":"foo"}`, `{"text3":"foo"}`,
			}
			for _, d := range docs {
				s.must("JSON.SET", "doc", "$", d, OK)
			}
			s.search(cmd("FT.SEARCH", "idx", "*"), Arr(Int(0)))
			// One failure per attribute.
			s.mustInfo("idx", "hash_indexing_failures", Int(int64(len(docs))))
		}},
	})
}

// TestSearchJSONWithoutJSONModule: ON JSON with the search module alone is
// the module's error for a rule type it does not know (RediSearch issue
// #2532, "Invalid rule type: JSON", with the type as given).
func TestSearchJSONWithoutJSONModule(t *testing.T) {
	srv := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	c := Dial(t, srv.Addr())
	MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "ON", "JSON", "SCHEMA", "$.t", "TEXT", Err("Invalid rule type: JSON")},
		{"FT.CREATE", "idx", "ON", "json", "SCHEMA", "$.t", "TEXT", Err("Invalid rule type: json")},
		{"FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "t", "TEXT", OK},
	})
}
