package module

import (
	"testing"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// searchFields runs an FT.SEARCH (RESP2, without WITHSCORES and the like)
// and returns each result's fields by key.
func searchFields(t *testing.T, c *testutil.Conn, args ...string) map[string]map[string]string {
	t.Helper()
	r := c.Do(append([]string{"FT.SEARCH"}, args...)...)
	if r.Type == redcon.Error {
		t.Fatalf("FT.SEARCH %q: %s", args, r.String())
	}
	out := map[string]map[string]string{}
	key := ""
	i := 0
	r.ForEach(func(v resp.Reply) bool {
		switch {
		case i == 0:
		case i%2 == 1:
			key = v.String()
			out[key] = map[string]string{}
		default:
			name := ""
			j := 0
			v.ForEach(func(f resp.Reply) bool {
				if j%2 == 0 {
					name = f.String()
				} else {
					out[key][name] = f.String()
				}
				j++
				return true
			})
		}
		i++
		return true
	})
	return out
}

func mustDoOK(t *testing.T, c *testutil.Conn, args ...string) {
	t.Helper()
	if r := c.Do(args...); r.String() != "OK" {
		t.Fatalf("%q: %s", args, r.String())
	}
}

func mustHSet(t *testing.T, c *testutil.Conn, args ...string) {
	t.Helper()
	if r := c.Do(append([]string{"HSET"}, args...)...); r.Type != redcon.Integer {
		t.Fatalf("HSET %s: %s", args[0], r.String())
	}
}

// fieldWant is one field of one result that a test checks.
type fieldWant struct {
	key, field, want string
}

func expectFields(t *testing.T, got map[string]map[string]string, wants []fieldWant) {
	t.Helper()
	for _, w := range wants {
		doc, ok := got[w.key]
		if !ok {
			t.Errorf("%s: not in the reply (keys: %v)", w.key, keysOf(got))
			continue
		}
		if v, ok := doc[w.field]; !ok {
			t.Errorf("%s %s: missing (fields: %v)", w.key, w.field, doc)
		} else if v != w.want {
			t.Errorf("%s %s:\n got  %q\n want %q", w.key, w.field, v, w.want)
		}
	}
}

func keysOf(m map[string]map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// goldenDocs are documents of the recorded data set
// (../shared/golden/redisearch-2.10.25/setup.jsonl), some with their
// fields out of schema order.
var goldenDocs = [][]string{
	{"doc:41", "title", "Chosen Paris by", "body", "We forgotten she escaping is escaping builder: warning!", "tags", "AI", "cat", "Books", "price", "689", "rating", "2", "loc", "34.798572,32.142054"},
	{"doc:221", "title", "Builder Escaping if Department Thunder Life", "body", "Such spelled Winning more to handling calculating connection space routed remembering same legal house. Winning designs by builder nationality mouse.", "tags", "art,AI", "cat", "Music", "price", "125", "rating", "1", "loc", "139.807590,35.545991"},
	{"doc:486", "title", "Well-known Explains Builder", "body", "Lasted builder expand a there are invoice. Juice and government mayor protocol pipeline sitting.", "tags", "NoSQL, Rust", "cat", "health", "price", "226.2", "rating", "1.5", "loc", "2.629170,48.951732", "extra", "space drop presents"},
	{"doc:521", "title", "HANDLING VENDOR EXPLAINS?", "body", "Wedding safe, one not, connectivity, stayed. Site collects winning: spells but will and health coffee NASA but chairs of. Escaping Organized download it no.", "tags", "AI,Redis,macOS", "cat", "electronics", "price", "12", "rating", "3", "loc", "2.479439,49.060430"},
	{"doc:1096", "title", "Forgotten and", "body", "A to that builder our \"and\". Trial; times filled it; bus?", "tags", "java,e-commerce", "cat", "Books", "price", "137", "rating", "1", "loc", "2.476497,48.966821", "extra", "sku-41292 fails"},
	{"doc:1140", "title", "Fathers Discovering Mixes Resting", "body", "Spell builder McDonald library built; feelings of configuring department connection? Be palace into chocolate leader computing history captains routed deserve Filled.", "tags", "c++", "cat", "sports", "price", "0", "rating", "4", "loc", "-122.438333,37.564701", "extra", "pencil kisses winning"},
	{"doc:1432", "title", "Meets Products Bus Forgotten Bus", "body", "Possible cherry on efficient bus routes 1999 wins there kisses.", "tags", "big data", "cat", "electronics", "price", "432", "rating", "1", "loc", "-0.050136,51.401072", "extra", "configured forgotten"},
	{"doc:1619", "title", "Mention able runner connect", "tags", "sports,mobile", "rating", "4", "loc", "34.784828,31.805841", "price", "90", "extra", "interest word", "body", "7 into it space no leader listing winning these stacks rabbit deserve re-index solved. Space and damages compresses! Filled the about she.", "cat", "electronics"},
	{"doc:2190", "title", "Bus builder", "body", "Customs age and student. Beginning handling are sandwiches popular connected winning is, licenses Python the with. At damages winning spells.", "tags", "music,AI", "cat", "Garden", "price", "187.3", "rating", "2", "loc", "-74.211483,40.790749", "extra", "washed surprises"},
	{"doc:2288", "title", "Rubber Space", "body", "Rush of evidence cleaning not tunnel. Person the is in kissed?", "tags", "big data", "cat", "electronics", "price", "234.23", "rating", "3", "loc", "34.652027,31.855346"},
	{"doc:2484", "title", "Filled bus", "body", "Connects connections compresses leathers budget body bus (the) Spell up a escaping bus. Eye have forgotten bus INDEXED of the. No then feelings such in has sensor and oil.", "tags", "Python, Redis", "cat", "toys", "price", "11", "rating", "1", "loc", "139.665314,35.965978", "extra", "stayed space dress attacks"},
	{"doc:2557", "extra", "sku-87626 computer", "rating", "4", "body", "A trail builder rented a (the) seed parser feelings! Not carrots invoice development cherry run pressing stayed (business) disk life of and. For his have didn't filled?", "cat", "Books", "loc", "139.491917,35.976366", "title", "Guys for obtaining post never large they", "tags", "Linux", "price", "114"},
	{"doc:2616", "title", "celebrates described package?", "body", "Two connected as will feelings to divides builder?", "tags", "e-commerce,Health,Python", "cat", "Books", "price", "352", "rating", "1", "loc", "151.459756,-33.819791", "extra", "correct winning"},
	{"doc:2659", "title", "Bus increased palace", "body", "Department filled and worker complained as. Cleaning bus winning bus.", "tags", "travel,AI", "cat", "travel", "price", "56", "rating", "1", "loc", "-73.808286,40.572252", "extra", "sku-64088 builder"},
	{"doc:2922", "title", "Wins builder describes builder winning typed budget", "body", "A about clay forgotten spell winning talk. Signs winter out builder bus pipeline! Builder their no.", "tags", "JavaScript", "cat", "food", "price", "113", "rating", "4", "loc", "151.025771,-34.111045", "extra", "sku-75685 dry"},
	{"doc:2925", "extra", "night connected", "loc", "-74.210106,40.537896", "tags", "gaming, e-commerce, education", "price", "265.85", "cat", "toys", "rating", "3.5", "title", "Counted bus signed space", "body", "Life the expand vendor time silent encrypts! Happiness rare vendor winning server Charges \"exiting\" typed life; of: Mr!"},
}

// TestHighlightGolden replays SUMMARIZE and HIGHLIGHT queries recorded
// from RediSearch 2.10 (search.jsonl) on a few of their documents; the
// expected texts are the recorded ones.
func TestHighlightGolden(t *testing.T) {
	_, c := searchServer(t)
	mustDoOK(t, c, "FT.CREATE", "idx", "ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA",
		"title", "TEXT", "WEIGHT", "2", "SORTABLE", "body", "TEXT", "tags", "TAG", "cat", "TAG", "SORTABLE",
		"price", "NUMERIC", "SORTABLE", "rating", "NUMERIC", "loc", "GEO")
	for _, d := range goldenDocs {
		mustHSet(t, c, d...)
	}
	cases := []struct {
		name  string
		args  []string
		wants []fieldWant
	}{
		{
			// Context is cut to whole words, so the field's first word
			// never opens a fragment unless it matches; only the named
			// field is processed.
			name: "highlight and summarize one field",
			args: []string{"bus", "HIGHLIGHT", "SUMMARIZE", "FIELDS", "1", "title", "FRAGS", "3", "LEN", "9", "DIALECT", "2"},
			wants: []fieldWant{
				{"doc:1432", "title", "Products <b>Bus</b> Forgotten <b>Bus</b>... "},
				{"doc:1432", "body", "Possible cherry on efficient bus routes 1999 wins there kisses."},
				{"doc:2659", "title", "<b>Bus</b> increased... "},
				{"doc:2484", "title", "<b>bus</b>... "},
			},
		},
		{
			// No match: SUMMARIZE alone cuts the field back to a separator.
			name: "summarize without a match trims",
			args: []string{"@cat:{BOOKS}", "SUMMARIZE", "FIELDS", "1", "title", "FRAGS", "1", "LEN", "10"},
			wants: []fieldWant{
				{"doc:1096", "title", "Forgotten"},
				{"doc:41", "title", "Chosen Paris"},
				{"doc:2616", "title", "celebrates described package?"},
				{"doc:1096", "body", "A to that builder our \"and\". Trial; times filled it; bus?"},
			},
		},
		{
			// Fragments come in document order; a separator right after a
			// match stays.
			name: "prefix expansion fragments",
			args: []string{"spell* handling", "SUMMARIZE", "FIELDS", "1", "body", "FRAGS", "3", "LEN", "3", "DIALECT", "1"},
			wants: []fieldWant{
				{"doc:521", "body", "spells but... "},
				{"doc:221", "body", "spelled Winning more to handling ... "},
				{"doc:2190", "body", "handling are... spells.... "},
			},
		},
		{
			name:  "prefix expansion highlighted",
			args:  []string{"rub*", "HIGHLIGHT", "FIELDS", "1", "title", "DIALECT", "1"},
			wants: []fieldWant{{"doc:2288", "title", "<b>Rubber</b> Space"}},
		},
		{
			// Without FIELDS every returned field is trimmed, TAG, NUMERIC,
			// GEO and fields outside the schema included.
			name: "summarize every field",
			args: []string{"@loc:[-122.40381 37.50176 10 km]", "SUMMARIZE", "DIALECT", "2"},
			wants: []fieldWant{
				{"doc:1140", "title", "Fathers Discovering Mixes"},
				{"doc:1140", "cat", "s"},
				{"doc:1140", "price", "0"},
				{"doc:1140", "loc", "-122.438333,37."},
				{"doc:1140", "extra", "pencil kisses"},
				{"doc:1140", "tags", "c++"},
			},
		},
		{
			// RETURN loads a NUMERIC field as a number: left alone.
			name:  "returned numeric untouched",
			args:  []string{"@body:(trail disk)", "RETURN", "1", "price", "SUMMARIZE", "DIALECT", "1"},
			wants: []fieldWant{{"doc:2557", "price", "114"}},
		},
		{
			// The match is in the title; the body has none and is trimmed.
			name:  "match in another field",
			args:  []string{"-suffer well", "SUMMARIZE", "FIELDS", "1", "body", "FRAGS", "1", "LEN", "5", "DIALECT", "2"},
			wants: []fieldWant{{"doc:486", "body", "Lasted builder expand a there are"}},
		},
		{
			// Without FIELDS, HIGHLIGHT marks every field; the document's
			// fields are stored out of schema order.
			name:  "highlight every field",
			args:  []string{"\"mention able\" fille*", "HIGHLIGHT", "DIALECT", "2"},
			wants: []fieldWant{{"doc:1619", "body", "7 into it space no leader listing winning these stacks rabbit deserve re-index solved. Space and damages compresses! <b>Filled</b> the about she."}},
		},
		{
			name: "custom separator",
			args: []string{"signs typed", "SUMMARIZE", "FIELDS", "1", "body", "FRAGS", "2", "LEN", "9", "SEPARATOR", " | ", "DIALECT", "2"},
			wants: []fieldWant{
				{"doc:2922", "body", "spell winning talk. Signs winter out builder bus | "},
				{"doc:2925", "body", "Charges \"exiting\" typed life; of: Mr | "},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"idx"}, tc.args...)
			args = append(args, "LIMIT", "0", "100")
			expectFields(t, searchFields(t, c, args...), tc.wants)
		})
	}
}

// TestHighlightModuleExamples are the module's own test cases
// (tests/pytests/test_summarize.py), with HSET for FT.ADD.
func TestHighlightModuleExamples(t *testing.T) {
	_, c := searchServer(t)
	for _, create := range [][]string{
		{"FT.CREATE", "meta", "ON", "HASH", "PREFIX", "1", "meta:", "SCHEMA", "foo", "TEXT", "bar", "TEXT", "baz", "TEXT"},
		{"FT.CREATE", "multi", "ON", "HASH", "PREFIX", "1", "multi:", "SCHEMA", "txt1", "TEXT", "txt2", "TEXT"},
		{"FT.CREATE", "issue364", "ON", "HASH", "PREFIX", "1", "i364:", "SCHEMA", "building_type", "TEXT", "description", "TEXT"},
		{"FT.CREATE", "netflix", "ON", "HASH", "PREFIX", "1", "nf:", "SCHEMA", "title", "TEXT", "rating", "TEXT", "leve", "TEXT",
			"description", "TEXT", "year", "NUMERIC", "uscore", "NUMERIC", "usize", "NUMERIC"},
		{"FT.CREATE", "failed", "ON", "HASH", "PREFIX", "1", "failed:", "SCHEMA", "f1", "TEXT", "f2", "TEXT", "f3", "TEXT", "NOINDEX"},
	} {
		mustDoOK(t, c, create...)
	}
	p1 := "Redis is an open-source in-memory database project implementing a networked, in-memory key-value store with optional durability. Redis supports different kinds of abstract data structures, such as strings, lists, maps, sets, sorted sets, hyperloglogs, bitmaps and spatial indexes. The project is mainly developed by Salvatore Sanfilippo and is currently sponsored by Redis Labs.[4] Redis Labs creates and maintains the official Redis Enterprise Pack."
	p2 := "Redis typically holds the whole dataset in memory. Versions up to 2.4 could be configured to use what they refer to as virtual memory[19] in which some of the dataset is stored on disk, but this feature is deprecated. Persistence is now achieved in two different ways: one is called snapshotting, and is a semi-persistent durability mode where the dataset is asynchronously transferred from memory to disk from time to time, written in RDB dump format. Since version 1.1 the safer alternative is AOF, an append-only file (a journal) that is written as operations modifying the dataset in memory are processed. Redis is able to rewrite the append-only file in the background in order to avoid an indefinite growth of the journal."
	for _, h := range [][]string{
		{"meta:doc1", "foo", "pill", "bar", "pillow", "baz", "piller"},
		{"multi:redis", "txt1", p1, "txt2", p2},
		{"i364:doc1", "building_type", "Retail and Shops", "description", "To change the use from a Restaurant to a Personal Service Shop (Great Clips)"},
		{"i364:doc2", "building_type", "Retail and Shops", "description", "To change the use from a Restaurant to a Personal Service Shop (Great Clips) at the end"},
		{"nf:15ad80086ccc7f", "title", "The Vampire Diaries", "rating", "TV-14", "level", "Parents strongly cautioned. May be unsuitable for children ages 14 and under.",
			"description", "90", "year", "2017", "uscore", "91", "usize", "80"},
		{"failed:doc1", "f1", "foo foo foo", "f2", "bar bar bar", "f3", "baz baz baz"},
	} {
		mustHSet(t, c, h...)
	}
	cases := []struct {
		name  string
		args  []string
		wants []fieldWant
	}{
		{
			name: "testSummarizationMeta",
			args: []string{"meta", "pill pillow piller", "RETURN", "3", "foo", "bar", "baz", "SUMMARIZE"},
			wants: []fieldWant{
				{"meta:doc1", "foo", "pill... "},
				{"meta:doc1", "bar", "pillow... "},
				{"meta:doc1", "baz", "piller... "},
			},
		},
		{
			// Stems match ("persistent" for "persistence"); the best
			// three fragments come in document order.
			name: "testSummarizationMultiField",
			args: []string{"multi", "memory persistence salvatore", "SUMMARIZE", "FIELDS", "2", "txt1", "txt2", "LEN", "5"},
			wants: []fieldWant{
				{"multi:redis", "txt1", "memory database project implementing a networked, in-memory ... by Salvatore Sanfilippo... "},
				{"multi:redis", "txt2", "dataset in memory. Versions... as virtual memory[19] in... persistent durability mode where the dataset is asynchronously transferred from memory... "},
			},
		},
		{
			name: "testIssue364",
			args: []string{"issue364", "retail", "RETURN", "1", "description", "SUMMARIZE"},
			wants: []fieldWant{
				{"i364:doc2", "description", "To change the use from a Restaurant to a Personal Service Shop (Great Clips) at the"},
				{"i364:doc1", "description", "To change the use from a Restaurant to a Personal Service Shop (Great Clips)"},
			},
		},
		{
			name: "testOverflow1",
			args: []string{"netflix", "vampire", "HIGHLIGHT"},
			wants: []fieldWant{
				{"nf:15ad80086ccc7f", "title", "The <b>Vampire</b> Diaries"},
				{"nf:15ad80086ccc7f", "rating", "TV-14"},
				{"nf:15ad80086ccc7f", "level", "Parents strongly cautioned. May be unsuitable for children ages 14 and under."},
				{"nf:15ad80086ccc7f", "year", "2017"},
			},
		},
		{
			name:  "testFailedHighlight f1",
			args:  []string{"failed", "foo", "HIGHLIGHT", "FIELDS", "1", "f1"},
			wants: []fieldWant{{"failed:doc1", "f1", "<b>foo</b> <b>foo</b> <b>foo</b>"}},
		},
		{
			name:  "testFailedHighlight NOINDEX field",
			args:  []string{"failed", "foo", "HIGHLIGHT", "FIELDS", "1", "f3"},
			wants: []fieldWant{{"failed:doc1", "f3", "baz baz baz"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectFields(t, searchFields(t, c, tc.args...), tc.wants)
		})
	}
}

func TestHighlightTrimField(t *testing.T) {
	cases := []struct {
		value      string
		len, frags int
		want       string
	}{
		{"Forgotten and", 10, 1, "Forgotten"},
		{"celebrates described package?", 10, 1, "celebrates described package?"},
		{"sports", 20, 3, "s"},
		{"-122.438333,37.564701", 20, 3, "-122.438333,37."},
		{"62.4", 20, 3, "62."},
		{"0", 20, 3, "0"},
		{"", 20, 3, ""},
		// LEN*FRAGS words of 6 bytes, plus one: 12 bytes, blanks collapsed.
		{"Lasted builder expand a there", 1, 1, "Lasted"},
		{"a  b\t\tc d e f g h", 1, 1, "a b c d e"},
	}
	for _, tc := range cases {
		if got := trimField(tc.value, tc.len, tc.frags); got != tc.want {
			t.Errorf("trimField(%q, %d, %d) = %q, want %q", tc.value, tc.len, tc.frags, got, tc.want)
		}
	}
}

func TestHighlightStripDuplicateSpaces(t *testing.T) {
	cases := map[string]string{
		"":                 "",
		"a b":              "a b",
		"a  \t\n b":        "a b",
		" lead and trail ": " lead and trail ",
		"x\r\ny":           "x y",
	}
	for in, want := range cases {
		if got := stripDuplicateSpaces(in); got != want {
			t.Errorf("stripDuplicateSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}
