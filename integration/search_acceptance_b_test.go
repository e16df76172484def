package integration

import (
	"fmt"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceTags: §5 B, TAG fields (C13–C18).
func TestSearchAcceptanceTags(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C13 case-insensitive vs CASESENSITIVE", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx1", "SCHEMA", "t", "TAG", OK),
				cmd("FT.CREATE", "idx2", "SCHEMA", "t", "TAG", "CASESENSITIVE", OK),
				cmd("HSET", "doc1", "t", "foo,FOO", Int(1)),
				cmd("HSET", "doc2", "t", "FOO", Int(1)),
				cmd("HSET", "doc3", "t", "foo", Int(1)),
			)
			all := Arr(Int(3), Bulk("doc1"), Strs("t", "foo,FOO"), Bulk("doc2"), Strs("t", "FOO"), Bulk("doc3"), Strs("t", "foo"))
			s.search(cmd("FT.SEARCH", "idx1", "@t:{FOO}"), all)
			s.search(cmd("FT.SEARCH", "idx1", "@t:{foo}"), all)
			// Ranked by score: in a cluster each shard scores with its own
			// statistics, so only the documents and the total must agree.
			s.ranked(cmd("FT.SEARCH", "idx2", "@t:{FOO}"), Arr(Int(2), Bulk("doc1"), Strs("t", "foo,FOO"), Bulk("doc2"), Strs("t", "FOO")))
			s.ranked(cmd("FT.SEARCH", "idx2", "@t:{foo}"), Arr(Int(2), Bulk("doc1"), Strs("t", "foo,FOO"), Bulk("doc3"), Strs("t", "foo")))
		}},
		{"C13 redis-py casesensitive", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "t", "TAG", "SEPARATOR", ",", OK),
				cmd("HSET", "1", "t", "HELLO", Int(1)),
				cmd("HSET", "2", "t", "hello", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx", "@t:{HELLO}", "NOCONTENT", "LIMIT", "0", "10"), ids(2, "1", "2"))
			s.must("FT.CREATE", "idxcs", "SCHEMA", "t", "TAG", "SEPARATOR", ",", "CASESENSITIVE", OK)
			s.waitIndexed("idxcs")
			s.search(cmd("FT.SEARCH", "idxcs", "@t:{HELLO}", "NOCONTENT", "LIMIT", "0", "10"), ids(1, "1"))
		}},
		{"C14 custom separator and escaping", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx3", "SCHEMA", "t", "TAG", "SEPARATOR", ".", OK),
				cmd("FT.CREATE", "idx4", "SCHEMA", "t", "TAG", "SEPARATOR", ".", "CASESENSITIVE", OK),
				cmd("HSET", "doc1", "t", "f o,F O", Int(1)),
				cmd("HSET", "doc2", "t", "F O", Int(1)),
				cmd("HSET", "doc3", "t", "f o", Int(1)),
			)
			s.search(cmd("FT.SEARCH", "idx3", `@t:{F\ O}`), Arr(Int(2), Bulk("doc2"), Strs("t", "F O"), Bulk("doc3"), Strs("t", "f o")))
			s.search(cmd("FT.SEARCH", "idx3", `@t:{f\ o\,f\ o}`), Arr(Int(1), Bulk("doc1"), Strs("t", "f o,F O")))
			s.search(cmd("FT.SEARCH", "idx4", `@t:{f\ o\,f\ o}`), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx4", `@t:{F\ O}`), Arr(Int(1), Bulk("doc2"), Strs("t", "F O")))
		}},
		{"C15 separator colon", func(s *session) {
			tags := "x:hello world: fooz bar:foo,bar:BOO FAR"
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "tags", "tag", "separator", ":", OK),
				cmd("HSET", "doc1", "title", "hello world", "tags", tags, Int(2)),
			)
			want := Arr(Int(1), Bulk("doc1"), Strs("title", "hello world", "tags", tags))
			for _, q := range []string{`@tags:{hello world}`, `@tags:{fooz bar}`, `@tags:{foo\,bar}`, `@tags:{boo\ far}`, `@tags:{x}`} {
				s.search(cmd("FT.SEARCH", "idx", q), want)
			}
		}},
		{"C16 tags are not full-text", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "tags", "tag", OK)
			s.hsetDocs(10, func(i int) string { return fmt.Sprintf("doc%d", i) }, func(i int) []string {
				return []string{"title", fmt.Sprintf("hello world term%d", i), "tags", fmt.Sprintf("foo bar,xxx,tag %d", i)}
			})
			s.searchCount(cmd("FT.SEARCH", "idx", "hello world"), 10, 10)
			s.search(cmd("FT.SEARCH", "idx", "foo bar"), Arr(Int(0)))
			s.searchCount(cmd("FT.SEARCH", "idx", "@tags:{foo bar}"), 10, 10)
			s.search(cmd("FT.SEARCH", "idx", "@tags:{tag 1}", "NOCONTENT"), ids(1, "doc1"))
			s.searchAnyOrder(cmd("FT.SEARCH", "idx", `hello world @tags:{tag\ 1|tag 2}`, "NOCONTENT"), ids(2, "doc1", "doc2"))
		}},
		{"C17 tag field-name case", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "text", "TAgs", "tag", OK),
				cmd("HSET", "doc1", "title", "hello world", "TAgs", "HELLO WORLD,FOO BAR", Int(2)),
			)
			s.search(cmd("FT.SEARCH", "idx", "@TAgs:{HELLO WORLD}", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "@TAgs:{foo bar}", "NOCONTENT"), ids(1, "doc1"))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{HELLO WORLD}", "NOCONTENT"), Arr(Int(0)))
			s.search(cmd("FT.SEARCH", "idx", "@tags:{HELLO WORLD}", "NOCONTENT", "DIALECT", "1"), Arr(Int(0)))
			s.mustErr("Unknown field", "FT.SEARCH", "idx", "@tags:{HELLO WORLD}", "NOCONTENT", "DIALECT", "2")
		}},
		{"C17 missing tag value", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "t", "TAG", "SORTABLE", OK)
			s.search(cmd("FT.SEARCH", "idx", "@t:{val}"), Arr(Int(0)))
		}},
		{"C18 FT.TAGVALS", func(s *session) {
			s.mustAll(
				cmd("HSET", "doc1", "f1", "3", "f2", "3", Int(2)),
				cmd("HSET", "doc2", "f1", "3", "f2", "2", "f3", "4", Int(3)),
				cmd("FT.CREATE", "idx1", "PREFIX", "1", "doc", "SCHEMA", "f1", "TAG", "f2", "TAG", "f5", "TAG", OK),
			)
			s.waitIndexed("idx1")
			s.must("FT.TAGVALS", "idx1", "f1", s.nameSet(Bulk("3")))
			s.must("FT.TAGVALS", "idx1", "f2", s.nameSet(Bulk("2"), Bulk("3")))
			s.must("FT.TAGVALS", "idx1", "f5", s.nameSet())
			s.mustErr(wrongArity, "FT.TAGVALS", "idx1")
			s.mustErr(wrongArity, "FT.TAGVALS", "idx1", "idx1", "idx1")
			s.must("FT.TAGVALS", "fake_idx", "tags", Err("fake_idx: no such index"))
			s.must("FT.TAGVALS", "idx1", "nosuchfield", Err("No such field"))
			s.must("FT.CREATE", "idxtext", "PREFIX", "1", "doc", "SCHEMA", "f1", "TEXT", OK)
			s.waitIndexed("idxtext")
			s.must("FT.TAGVALS", "idxtext", "f1", Err("Not a tag field"))
		}},
	})
}
