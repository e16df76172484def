package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceLifecycle: §5 A, index lifecycle and automatic
// (re)indexing of hashes (C01–C12).
func TestSearchAcceptanceLifecycle(t *testing.T) {
	thingBar := Arr(Int(1), Bulk("thing:bar"), Strs("name", "foo"))
	runAcceptance(t, []acceptanceCase{
		{"C01 create and search", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "SCHEMA", "name", "text", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
		}},
		{"C01 PREFIX empty", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "", "SCHEMA", "name", "text", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
		}},
		{"C01 PREFIX thing:", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
		}},
		{"C02 prefix filter and partial update", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "stuff", "ON", "HASH", "PREFIX", "1", "stuff:", "SCHEMA", "name", "text", "age", "numeric", OK),
				cmd("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", "age", "numeric", OK),
				cmd("HSET", "thing:bar", "name", "foo", Int(1)),
				cmd("HSET", "object:jojo", "name", "vivi", Int(1)),
				cmd("HSET", "thing:bar", "age", "42", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(1), Bulk("thing:bar"), Strs("name", "foo", "age", "42")))
			s.search(cmd("FT.SEARCH", "stuff", "foo"), Arr(Int(0)))
		}},
		{"C03 several prefixes", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "things", "ON", "HASH", "PREFIX", "2", "this:", "that:", "SCHEMA", "name", "text", OK),
				cmd("HSET", "this:foo", "name", "foo", Int(1)),
				cmd("HSET", "that:foo", "name", "foo", Int(1)),
			)
			s.searchAnyOrder(cmd("FT.SEARCH", "things", "foo"),
				Arr(Int(2), Bulk("this:foo"), Strs("name", "foo"), Bulk("that:foo"), Strs("name", "foo")))
		}},
		{"C04 DEL un-indexes", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", OK)
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(0)))
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
			s.must("DEL", "thing:bar", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(0)))
		}},
		{"C04 SET un-indexes", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
			s.must("SET", "thing:bar", "bye bye", OK)
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(0)))
		}},
		{"C05 overwrite re-indexes", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "f", "text", OK),
				cmd("HSET", "doc1", "f", "hello world", Int(1)),
				cmd("HSET", "doc2", "f", "hello world", Int(1)),
			)
			s.searchCount(cmd("FT.SEARCH", "idx", "hello world"), 2, 2)
			s.must("HSET", "doc1", "f", "goodbye universe", Int(0))
			s.search(cmd("FT.SEARCH", "idx", "hello world", "NOCONTENT"), ids(1, "doc2"))
			s.search(cmd("FT.SEARCH", "idx", "goodbye universe", "NOCONTENT"), ids(1, "doc1"))
		}},
		{"C06 RENAME follows prefixes", func(s *session) {
			// In a cluster RENAME needs both keys in one slot: the keys
			// carry a hash tag there (the prefixes still match).
			tag := ""
			if s.inCluster() {
				tag = "{x}"
				s.mustErr("CROSSSLOT", "RENAME", "thing:a", "thing:b")
			}
			s.mustAll(
				cmd("FT.CREATE", "things", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", OK),
				cmd("HSET", "thing:"+tag+"bar", "name", "foo", Int(1)),
				cmd("RENAME", "thing:"+tag+"bar", "thing:"+tag+"foo", OK),
			)
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(1), Bulk("thing:"+tag+"foo"), Strs("name", "foo")))
			s.mustAll(
				cmd("FT.CREATE", "otherthings", "PREFIX", "1", "otherthing:", "SCHEMA", "name", "text", OK),
				cmd("RENAME", "thing:"+tag+"foo", "otherthing:"+tag+"foo", OK),
			)
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "otherthings", "foo"), Arr(Int(1), Bulk("otherthing:"+tag+"foo"), Strs("name", "foo")))
		}},
		{"C07 initial scan, drop, recreate", func(s *session) {
			create := cmd("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:", "SCHEMA", "name", "text", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.must(create...)
			s.waitIndexed("things")
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
			s.must("FT.DROPINDEX", "things", OK)
			s.must(create...)
			s.waitIndexed("things")
			s.search(cmd("FT.SEARCH", "things", "foo"), thingBar)
		}},
		{"C07 SKIPINITIALSCAN", func(s *session) {
			s.must("HSET", "a", "test", "hello", "text", "world", Int(2))
			s.must("FT.CREATE", "idx_no_scan", "SKIPINITIALSCAN", "SCHEMA", "test", "TEXT", OK)
			s.must("FT.CREATE", "idx_scan", "SCHEMA", "test", "TEXT", OK)
			s.waitIndexed("idx_no_scan")
			s.waitIndexed("idx_scan")
			s.search(cmd("FT.SEARCH", "idx_no_scan", "hello"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx_scan", "hello"), Arr(Int(1), Bulk("a"), Strs("test", "hello", "text", "world")))
		}},
		{"C08 key without schema field is a document", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			s.must("HSET", "doc1", "not", "foo", Int(1))
			want := Arr(Int(1), Bulk("doc1"), Strs("not", "foo"))
			s.search(cmd("FT.SEARCH", "idx", "*"), want)
			s.search(cmd("FT.SEARCH", "idx", "-bar"), want)
		}},
		{"C09 wildcard, count-only, deletion", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", OK)
			for _, k := range []string{"doc1", "doc2", "doc3", "doc4"} {
				s.must("HSET", k, "t", "foo", Int(1))
			}
			s.search(cmd("FT.SEARCH", "idx", "*", "LIMIT", "0", "0"), Arr(Int(4)))
			s.must("DEL", "doc1", Int(1))
			s.must("DEL", "doc3", Int(1))
			s.search(cmd("FT.SEARCH", "idx", "*"), Arr(Int(2), Bulk("doc2"), Strs("t", "foo"), Bulk("doc4"), Strs("t", "foo")))
		}},
		{"C10 invalid NUMERIC value rejects the document", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", OK),
				cmd("HSET", "a", "t", "hello", "n", "42", Int(2)),
				cmd("HSET", "b", "t", "hello", "n", "world", Int(2)),
			)
			s.search(cmd("FT.SEARCH", "idx", "hello"), Arr(Int(1), Bulk("a"), Strs("t", "hello", "n", "42")))
			s.mustInfo("idx", "hash_indexing_failures", Int(1))
		}},
		{"C11 FLUSHALL drops indexes", func(s *session) {
			s.must("FT.CREATE", "things", "ON", "HASH", "PREFIX", "1", "thing:",
				"FILTER", `startswith(@__key, "thing:")`, "SCHEMA", "name", "text", OK)
			s.must("FLUSHALL", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.must("FT.SEARCH", "things", "foo", Err("No such index things"))
			s.must("FT._LIST", s.nameSet())
		}},
		{"C11 FT.CREATE FILTER on the key name", func(s *session) {
			// test_filter.py::testFilter1 and testFilter2: @__key is the key's
			// name; hashes the filter rejects stay out of the index.
			s.must("FT.CREATE", "stuff", "ON", "HASH", "FILTER", `startswith(@__key, "stuff:")`,
				"SCHEMA", "name", "text", "age", "numeric", OK)
			s.must("FT.CREATE", "things", "ON", "HASH", "FILTER", `startswith(@__key, "thing:")`,
				"SCHEMA", "name", "text", "age", "numeric", OK)
			s.must("HSET", "thing:bar", "name", "foo", Int(1))
			s.must("HSET", "object:jojo", "name", "vivi", Int(1))
			s.must("HSET", "thing:bar", "age", "42", Int(1))
			s.search(cmd("FT.SEARCH", "things", "foo"), Arr(Int(1), Bulk("thing:bar"), Strs("name", "foo", "age", "42")))
			s.search(cmd("FT.SEARCH", "stuff", "foo"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "things", "vivi"), Arr(Int(0)))
			s.mustInfo("things", "index_definition", s.kvMap(
				Status("key_type"), Status("HASH"), Status("prefixes"), Arr(Status("")),
				Status("filter"), Status(`startswith(@__key, "thing:")`),
				Status("default_score"), s.double("1"), Status("indexes_all"), Status("false")))
		}},
		{"C12 HDEL re-indexes", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "test1", "TEXT", "test2", "TEXT", OK),
				cmd("HSET", "doc1", "test1", "foo", "test2", "bar", "test3", "baz", Int(3)),
				cmd("HDEL", "doc1", "test1", Int(1)),
				cmd("HDEL", "doc1", "test3", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "bar"), Arr(Int(1), Bulk("doc1"), Strs("test2", "bar")))
			s.search(cmd("FT.SEARCH", "idx", "foo"), Arr(Int(0)))
			s.must("HDEL", "doc1", "test2", Int(1))
			s.must("EXISTS", "doc1", Int(0))
			s.search(cmd("FT.SEARCH", "idx", "bar"), Arr(Int(0)))
		}},
	})
}
