package module

import (
	"strconv"
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
)

// A numeric range read from one leaf of the range tree is a plain numeric
// result, without offsets; read from two leaves it is a union of them,
// which "has offsets" (none: the end marker). The TFIDF slop factor
// (IndexResult_MinOffsetDelta) sees the difference.
//
// 20 documents doc:1..doc:20 with n = i: the 10th and 20th entries (10
// and 20) are sampled, so the root splits at 15 into [1, 14] and
// [15, 20]. doc:3 is the only one with "hello", at position 2 of
// "world hello"; N = 20, so idf(hello) = logb(1 + 20/1) = 4, and the
// numeric result adds weight * freq = 1: a raw TFIDF of 5, maxFreq 1.
//   - @n:[1 14]: one leaf; only the term has offsets, the factor is the
//     number of children minus one, 1: score 5.
//   - @n:[1 15]: two leaves; the pair (hello at 2, the end marker
//     0xFFFFFFFF) has the distance 0xFFFFFFFD, -3 as an int: squared 9,
//     factor 3: score 5/3.
//   - (@n:[1 14]|zzz): a union holding only the one-leaf numeric result
//     on doc:3 (zzz is doc:20's) is not purely virtual, so it "has
//     offsets" (RSIndexResult_HasOffsets: typeMask != Virtual): factor 3,
//     score 5/3.
func TestNumericRangeLeavesAndSlop(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDo(t, c, "FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", testutil.OK)
	for i := 1; i <= 20; i++ {
		text := "filler"
		switch i {
		case 3:
			text = "world hello"
		case 20:
			text = "zzz"
		}
		testutil.MustDo(t, c, "HSET", "doc:"+strconv.Itoa(i), "t", text, "n", strconv.Itoa(i), testutil.Int(2))
	}
	testutil.MustDoAll(t, c, [][]string{
		{"FT.SEARCH", "idx", "hello @n:[1 14]", "VERBATIM", "SCORER", "TFIDF", "WITHSCORES", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:3"), testutil.Bulk("5"))},
		{"FT.SEARCH", "idx", "hello @n:[1 15]", "VERBATIM", "SCORER", "TFIDF", "WITHSCORES", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:3"), testutil.Bulk("1.6666666666666667"))},
		{"FT.SEARCH", "idx", "hello (@n:[1 14]|zzz)", "VERBATIM", "SCORER", "TFIDF", "WITHSCORES", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:3"), testutil.Bulk("1.6666666666666667"))},
	})
}

// On a hit, the module's optional iterator answers its child's own result
// (OI_ReadSorted/OI_SkipTo pass the child's record up): a single tag value
// is a term result without offsets, so "hello ~@g:{x}" scores as
// "hello @g:{x}". With 4 documents, hello and x each in doc:1 only:
// idf = logb(1 + 4/1) = 2 for both, a raw TFIDF of 4, maxFreq 1, and the
// factor is 1 (one child with offsets): score 4. Answering a union around
// the tag would give it (empty) offsets, and the factor 3 (hello at 2).
func TestOptionalHitIsItsChild(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "g", "TAG", testutil.OK},
		{"HSET", "doc:1", "t", "world hello", "g", "x", testutil.Int(2)},
		{"HSET", "doc:2", "t", "filler", "g", "y", testutil.Int(2)},
		{"HSET", "doc:3", "t", "filler", "g", "y", testutil.Int(2)},
		{"HSET", "doc:4", "t", "filler", "g", "y", testutil.Int(2)},
		{"FT.SEARCH", "idx", "hello @g:{x}", "VERBATIM", "SCORER", "TFIDF", "WITHSCORES", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:1"), testutil.Bulk("4"))},
		{"FT.SEARCH", "idx", "hello ~@g:{x}", "VERBATIM", "SCORER", "TFIDF", "WITHSCORES", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:1"), testutil.Bulk("4"))},
	})
}

// An expansion opens a reader only for the terms seen in one of the fields
// it asks for (Redis_OpenReader skips an inverted index whose field mask
// misses them), and only opened readers count toward MAXEXPANSIONS
// (runeIterCb). With MAXEXPANSIONS 1, "@title:aa*" skips aa1 (in body
// only) and expands to aa2, found in doc:2's title.
func TestExpansionSkipsTermsOfOtherFields(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "SET", "MAXEXPANSIONS", "1", testutil.OK},
		{"FT.CREATE", "idx", "SCHEMA", "title", "TEXT", "body", "TEXT", testutil.OK},
		{"HSET", "doc:1", "title", "zz", "body", "aa1", testutil.Int(2)},
		{"HSET", "doc:2", "title", "aa2", "body", "zz", testutil.Int(2)},
		{"FT.SEARCH", "idx", "@title:aa*", "NOCONTENT",
			testutil.Arr(testutil.Int(1), testutil.Bulk("doc:2"))},
	})
}

// FT.SEARCH's PARAMS are parsed as the module's parseParams parses them for
// FT.AGGREGATE too (search.jsonl:196-197 of the vectors corpus).
func TestSearchParamsErrors(t *testing.T) {
	_, c := searchServer(t)
	testutil.MustDoAll(t, c, [][]string{
		{"FT.CREATE", "idx", "SCHEMA", "t", "TEXT", testutil.OK},
		{"FT.SEARCH", "idx", "*", "PARAMS", "0", "DIALECT", "2", testutil.Err("Parameters must be specified in PARAM VALUE pairs")},
		{"FT.SEARCH", "idx", "*", "PARAMS", "3", "a", "1", "b", "DIALECT", "2", testutil.Err("Parameters must be specified in PARAM VALUE pairs")},
		{"FT.SEARCH", "idx", "*", "PARAMS", "4", "B", "1", "B", "2", "DIALECT", "2", testutil.Err("Duplicate parameter `B`")},
		{"FT.SEARCH", "idx", "*", "PARAMS", "2", "a", "1", "PARAMS", "2", "b", "2", "DIALECT", "2",
			testutil.Err("Multiple PARAMS are not allowed. Parameters can be defined only once")},
		{"FT.SEARCH", "idx", "@t:$a", "PARAMS", "2", "a", "x", "DIALECT", "2", testutil.Arr(testutil.Int(0))},
	})
}
