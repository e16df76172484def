package integration

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// §5.F: FT.AGGREGATE (C42–C48), standalone and on a 3-shard cluster, in
// RESP2 and RESP3.
func TestSearchAcceptanceAggregate(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"C42 GROUPBY reducers", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "random_num", "NUMERIC", "title", "TEXT", "WEIGHT", "1.0",
					"body", "TEXT", "WEIGHT", "1.0", "parent", "TEXT", "WEIGHT", "1.0", OK),
				cmd("HSET", "search", "title", "RediSearch", "body", "Redisearch impements a search engine on top of redis",
					"parent", "redis", "random_num", "10", Int(4)),
				cmd("HSET", "ai", "title", "RedisAI", "body", "RedisAI executes Deep Learning/Machine Learning models and managing their data.",
					"parent", "redis", "random_num", "3", Int(4)),
				cmd("HSET", "json", "title", "RedisJson", "body", "RedisJSON implements ECMA-404 The JSON Data Interchange Standard as a native data type.",
					"parent", "redis", "random_num", "8", Int(4)),
			)
			group := func(reducer ...string) []string {
				return append([]string{"FT.AGGREGATE", "idx", "redis", "GROUPBY", "1", "@parent", "REDUCE"}, reducer...)
			}
			row := func(alias, value string) string {
				return Arr(Int(1), Arr(Bulk("parent"), Bulk("redis"), Bulk(alias), value))
			}
			for _, c := range []struct {
				reducer      []string
				alias, value string
			}{
				{cmd("COUNT", "0"), "__generated_aliascount", "3"},
				{cmd("COUNT_DISTINCT", "1", "@title"), "__generated_aliascount_distincttitle", "3"},
				{cmd("COUNT_DISTINCTISH", "1", "@title"), "__generated_aliascount_distinctishtitle", "3"},
				{cmd("SUM", "1", "@random_num"), "__generated_aliassumrandom_num", "21"},
				{cmd("MIN", "1", "@random_num"), "__generated_aliasminrandom_num", "3"},
				{cmd("MAX", "1", "@random_num"), "__generated_aliasmaxrandom_num", "10"},
				{cmd("AVG", "1", "@random_num"), "__generated_aliasavgrandom_num", "7"},
				{cmd("STDDEV", "1", "random_num"), "__generated_aliasstddevrandom_num", "3.60555127546"},
				{cmd("QUANTILE", "2", "@random_num", "0.5"), "__generated_aliasquantilerandom_num,0.5", "8"},
			} {
				s.aggregate(group(c.reducer...), row(c.alias, Bulk(c.value)))
			}
			s.aggregate(group("TOLIST", "1", "@title"),
				row("__generated_aliastolisttitle", anyOrder(Bulk("RediSearch"), Bulk("RedisAI"), Bulk("RedisJson"))))
			if !s.inCluster() {
				s.aggregate(group("FIRST_VALUE", "1", "@title", "AS", "first"), row("first", Bulk("RediSearch")))
			} else {
				// Without BY, "first" is the first row the merge reads: which
				// shard's depends on where the keys' slots live, as in the
				// module's coordinator. Any of the group's titles is right.
				got := s.aggregateRows(group("FIRST_VALUE", "1", "@title", "AS", "first"))
				if len(got) != 1 || len(got[0]) != 4 || got[0][2] != "first" ||
					(got[0][3] != "RediSearch" && got[0][3] != "RedisAI" && got[0][3] != "RedisJson") {
					s.t.Errorf("FIRST_VALUE without BY: got %q", got)
				}
			}
			// FIRST_VALUE with BY is deterministic everywhere.
			s.aggregate(group("FIRST_VALUE", "4", "@title", "BY", "@random_num", "DESC", "AS", "top"), row("top", Bulk("RediSearch")))
			s.aggregate(group("FIRST_VALUE", "3", "@title", "BY", "@random_num", "AS", "low"), row("low", Bulk("RedisAI")))
		}},
		{"C43 SORTBY text vs numeric", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "t", "text", OK),
				cmd("HSET", "doc1", "t", "678.", Int(1)),
				cmd("HSET", "doc2", "t", "123.", Int(1)),
				cmd("HSET", "doc3", "t", "1023.", Int(1)),
			)
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "2", "@t", "asc"),
				Arr(Int(3), Arr(Bulk("t"), Bulk("1023.")), Arr(Bulk("t"), Bulk("123.")), Arr(Bulk("t"), Bulk("678."))))
			s.mustAll(
				cmd("FT.CREATE", "idx2", "PREFIX", "1", "n", "SCHEMA", "n", "NUMERIC", OK),
				cmd("HSET", "n1", "n", "678.", Int(1)),
				cmd("HSET", "n2", "n", "123.", Int(1)),
				cmd("HSET", "n3", "n", "1023.", Int(1)),
			)
			s.aggregate(cmd("FT.AGGREGATE", "idx2", "*", "SORTBY", "2", "@n", "ASC"),
				Arr(Int(3), Arr(Bulk("n"), Bulk("123")), Arr(Bulk("n"), Bulk("678")), Arr(Bulk("n"), Bulk("1023"))))
		}},
		{"C44 SORTBY/LIMIT/LOAD/FILTER/APPLY", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "PREFIX", "1", "doc", "SCHEMA", "t1", "TEXT", "WEIGHT", "1.0", "t2", "TEXT", "WEIGHT", "1.0", OK),
				cmd("HSET", "doc1", "t1", "a", "t2", "b", Int(2)),
				cmd("HSET", "doc2", "t1", "b", "t2", "a", Int(2)),
			)
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "4", "@t2", "ASC", "@t1", "DESC"),
				Arr(Int(2), Arr(Bulk("t2"), Bulk("a"), Bulk("t1"), Bulk("b")), Arr(Bulk("t2"), Bulk("b"), Bulk("t1"), Bulk("a"))))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "1", "@t1"),
				Arr(Int(2), Arr(Bulk("t1"), Bulk("a")), Arr(Bulk("t1"), Bulk("b"))))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "1", "@t1", "MAX", "1"),
				Arr(Int(2), Arr(Bulk("t1"), Bulk("a"))))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "1", "@t1", "LIMIT", "1", "1"),
				Arr(Int(2), Arr(Bulk("t1"), Bulk("b"))))

			s.mustAll(
				cmd("FT.CREATE", "load", "PREFIX", "1", "l:", "SCHEMA", "t1", "TEXT", "t2", "TEXT", OK),
				cmd("HSET", "l:1", "t1", "hello", "t2", "world", Int(2)),
			)
			s.aggregateTotals(cmd("FT.AGGREGATE", "load", "*", "LOAD", "1", "t1"), 1, 1,
				Arr(Int(1), Arr(Bulk("t1"), Bulk("hello"))))
			s.aggregateTotals(cmd("FT.AGGREGATE", "load", "*", "LOAD", "*"), 1, 1,
				Arr(Int(1), Arr(Bulk("t1"), Bulk("hello"), Bulk("t2"), Bulk("world"))))

			s.mustAll(
				cmd("FT.CREATE", "filter", "PREFIX", "1", "f:", "SCHEMA", "name", "TEXT", "SORTABLE", "age", "NUMERIC", "SORTABLE", OK),
				cmd("HSET", "f:1", "name", "bar", "age", "25", Int(2)),
				cmd("HSET", "f:2", "name", "foo", "age", "19", Int(2)),
			)
			s.aggregateRowsAre(cmd("FT.AGGREGATE", "filter", "*", "FILTER", "@name=='foo' && @age < 20"),
				[][]string{{"name", "foo", "age", "19"}})
			s.aggregate(cmd("FT.AGGREGATE", "filter", "*", "FILTER", "@age > 15", "SORTBY", "1", "@age"),
				Arr(Int(2), Arr(Bulk("age"), Bulk("19")), Arr(Bulk("age"), Bulk("25"))))

			s.mustAll(
				cmd("FT.CREATE", "apply", "PREFIX", "1", "a:", "SCHEMA", "PrimaryKey", "TEXT", "SORTABLE", "CreatedDateTimeUTC", "NUMERIC", "SORTABLE", OK),
				cmd("HSET", "a:1", "PrimaryKey", "9::362330", "CreatedDateTimeUTC", "637387878524969984", Int(2)),
				cmd("HSET", "a:2", "PrimaryKey", "9::362329", "CreatedDateTimeUTC", "637387875859270016", Int(2)),
			)
			got := s.aggregateRows(cmd("FT.AGGREGATE", "apply", "*", "APPLY", "@CreatedDateTimeUTC * 10", "AS", "CreatedDateTimeUTC"))
			var values []string
			for _, r := range got {
				values = append(values, r[len(r)-1])
			}
			sort.Strings(values)
			if fmt.Sprint(values) != "[6373878758592700416 6373878785249699840]" {
				s.t.Errorf("APPLY @CreatedDateTimeUTC * 10: got %q", got)
			}
		}},
		{"C45 aggregate total is not a count; LIMIT 0 0 is", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", OK),
				cmd("HSET", "doc1", "t", "hello", "n", "42", "notIndexed", "ccc", Int(3)),
				cmd("HSET", "doc2", "t", "world", "n", "3.141", "notIndexed", "bbb", Int(3)),
				cmd("HSET", "doc3", "t", "hello world", "n", "17.8", "notIndexed", "aaa", Int(3)),
			)
			// RESP2 writes the total once the first row is read; RESP3 once
			// the chunk is done.
			s.aggregateTotals(cmd("FT.AGGREGATE", "idx", "*"), 1, 3, Arr(Int(1), Arr(), Arr(), Arr()))
			want := Arr(Int(3),
				Arr(Bulk("__key"), Bulk("doc1"), Bulk("t"), Bulk("hello"), Bulk("n"), Bulk("42"), Bulk("notIndexed"), Bulk("ccc")),
				Arr(Bulk("__key"), Bulk("doc2"), Bulk("t"), Bulk("world"), Bulk("n"), Bulk("3.141"), Bulk("notIndexed"), Bulk("bbb")),
				Arr(Bulk("__key"), Bulk("doc3"), Bulk("t"), Bulk("hello world"), Bulk("n"), Bulk("17.8"), Bulk("notIndexed"), Bulk("aaa")))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "LOAD", "4", "__key", "t", "n", "notIndexed", "SORTBY", "1", "@__key"), want)
			s.mustErr("not loaded nor in schema", "FT.AGGREGATE", "idx", "*", "SORTBY", "1", "@notIndexed")
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "LIMIT", "0", "0"), Arr(Int(3)))
			s.aggregate(cmd("FT.AGGREGATE", "idx", "hello", "LIMIT", "0", "0"), Arr(Int(2)))
		}},
		{"C46 GROUPBY 0 and empty groups", func(s *session) {
			s.must("FT.CREATE", "idx", "SCHEMA", "neg", "NUMERIC", OK)
			s.hsetDocs(10, func(i int) string { return strconv.Itoa(i + 1) }, func(i int) []string { return []string{"neg", strconv.Itoa(-(i + 1))} })
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "GROUPBY", "0", "REDUCE", "MAX", "1", "@neg", "AS", "max"),
				Arr(Int(1), Arr(Bulk("max"), Bulk("-1"))))
			s.mustAll(
				cmd("FT.CREATE", "dv", "PREFIX", "1", "doc", "SCHEMA", "missing", "NUMERIC", "n", "NUMERIC", OK),
				cmd("HSET", "doc", "n", "46", Int(1)),
			)
			for _, c := range []struct {
				reducer []string
				want    string
			}{
				{cmd("SUM"), Bulk("nan")}, {cmd("MIN"), Bulk("inf")}, {cmd("MAX"), Bulk("-inf")}, {cmd("AVG"), Bulk("nan")},
				{cmd("COUNT_DISTINCT"), Bulk("0")}, {cmd("TOLIST"), Arr()}, {cmd("FIRST_VALUE"), s.null()},
				{cmd("STDDEV"), Bulk("0")}, {cmd("QUANTILE", "2", "@missing", "0.5"), Bulk("nan")},
			} {
				args := cmd("FT.AGGREGATE", "dv", "*", "LOAD", "2", "@missing", "@n", "GROUPBY", "0", "REDUCE", c.reducer[0])
				if len(c.reducer) > 1 {
					args = append(args, c.reducer[1:]...)
				} else {
					args = append(args, "1", "@missing")
				}
				s.aggregate(append(args, "AS", "res"), Arr(Int(1), Arr(Bulk("res"), c.want)))
			}
		}},
		{"C47 generated alias, group order", func(s *session) {
			s.mustAll(
				cmd("FT.CREATE", "idx", "SCHEMA", "limit", "TEXT", "LimitationTypeID", "TAG", "LimitationTypeDesc", "TEXT", OK),
				cmd("HSET", "doc1", "limit", "foo1", "LimitationTypeID", "boo1", "LimitationTypeDesc", "doo1", Int(3)),
				cmd("HSET", "doc2", "limit", "foo2", "LimitationTypeID", "boo2", "LimitationTypeDesc", "doo2", Int(3)),
			)
			s.aggregate(cmd("FT.AGGREGATE", "idx", "*", "SORTBY", "3", "@limit", "@LimitationTypeID", "ASC"),
				Arr(Int(2), Arr(Bulk("limit"), Bulk("foo1"), Bulk("LimitationTypeID"), Bulk("boo1")),
					Arr(Bulk("limit"), Bulk("foo2"), Bulk("LimitationTypeID"), Bulk("boo2"))))
			s.aggregateRowsAre(cmd("FT.AGGREGATE", "idx", "*", "GROUPBY", "2", "@LimitationTypeID", "@LimitationTypeDesc", "REDUCE", "COUNT", "0"),
				[][]string{
					{"LimitationTypeID", "boo1", "LimitationTypeDesc", "doo1", "__generated_aliascount", "1"},
					{"LimitationTypeID", "boo2", "LimitationTypeDesc", "doo2", "__generated_aliascount", "1"},
				})
			s.mustAll(
				cmd("FT.CREATE", "gs", "PREFIX", "1", "g", "SCHEMA", "test", "NUMERIC", "SORTABLE", OK),
				cmd("HSET", "g1", "test", "1", Int(1)),
				cmd("HSET", "g2", "test", "1", Int(1)),
				cmd("HSET", "g3", "test", "2", Int(1)),
			)
			s.aggregateRowsAre(cmd("FT.AGGREGATE", "gs", "*", "SORTBY", "2", "@test", "ASC", "GROUPBY", "1", "@test", "REDUCE", "COUNT", "0", "as", "count"),
				[][]string{{"test", "2", "count", "1"}, {"test", "1", "count", "2"}})
		}},
		{"C48 larger fixture: brands", func(s *session) {
			// games.json.bz2 is not here: a fixture with the same shape
			// (brand TEXT NOSTEM SORTABLE, empty brands, mixed case) whose
			// answers follow from how it is built.
			s.must("FT.CREATE", "games", "ON", "HASH", "PREFIX", "1", "game:", "SCHEMA", "brand", "TEXT", "NOSTEM", "SORTABLE", "price", "NUMERIC", "SORTABLE", OK)
			brands := []struct {
				name  string
				count int
				price string
			}{{"", 40, "10.5"}, {"Mad Catz", 7, "2.25"}, {"Generic", 6, "100"}, {"SteelSeries", 5, "1"}, {"Logitech", 4, "3"}, {"Razer", 1, "7"}}
			n := 0
			for _, b := range brands {
				for i := 0; i < b.count; i++ {
					s.must("HSET", fmt.Sprintf("game:%d", n), "brand", b.name, "price", b.price, Int(2))
					n++
				}
			}
			s.aggregate(cmd("FT.AGGREGATE", "games", "*", "GROUPBY", "1", "@brand", "REDUCE", "count", "0", "AS", "count",
				"SORTBY", "2", "@count", "desc", "LIMIT", "0", "5"),
				Arr(Int(6), Arr(Bulk("brand"), Bulk(""), Bulk("count"), Bulk("40")),
					Arr(Bulk("brand"), Bulk("mad catz"), Bulk("count"), Bulk("7")),
					Arr(Bulk("brand"), Bulk("generic"), Bulk("count"), Bulk("6")),
					Arr(Bulk("brand"), Bulk("steelseries"), Bulk("count"), Bulk("5")),
					Arr(Bulk("brand"), Bulk("logitech"), Bulk("count"), Bulk("4"))))
			s.aggregate(cmd("FT.AGGREGATE", "games", "*", "GROUPBY", "1", "@brand", "REDUCE", "sum", "1", "@price", "AS", "price",
				"SORTBY", "2", "@price", "desc", "LIMIT", "0", "2"),
				Arr(Int(6), Arr(Bulk("brand"), Bulk("generic"), Bulk("price"), Bulk("600")),
					Arr(Bulk("brand"), Bulk(""), Bulk("price"), Bulk("420"))))
			s.must("FT.SEARCH", "games", "*", "LIMIT", "0", "2000000", Err("LIMIT exceeds maximum of 1000000"))
			rows := s.aggregateRows(cmd("FT.AGGREGATE", "games", "*", "LIMIT", "0", "12345678"))
			if len(rows) != n {
				s.t.Errorf("FT.AGGREGATE games * LIMIT 0 12345678: %d rows, want %d", len(rows), n)
			}
		}},
	})
}

// aggregate checks an FT.AGGREGATE reply given in its RESP2 form; in RESP3
// it becomes the map of §1.3 (rows as extra_attributes maps).
func (s *session) aggregate(args []string, want2 string) {
	s.t.Helper()
	s.aggregateTotals(args, -1, -1, want2)
}

// aggregateTotals is aggregate where the total differs by protocol (-1:
// the one want2 holds): RESP2 writes it once the first row is read, RESP3
// once the rows are.
func (s *session) aggregateTotals(args []string, total2, total3 int64, want2 string) {
	s.t.Helper()
	want := parseRaw(s.t, want2)
	if want.kind != '*' || len(want.elems) == 0 {
		s.mustReply(args, want)
		return
	}
	total := want.elems[0]
	if s.proto == 2 {
		if total2 >= 0 {
			want.elems[0] = reply{kind: ':', str: strconv.FormatInt(total2, 10)}
		}
		s.mustReply(args, want)
		return
	}
	if total3 >= 0 {
		total = reply{kind: ':', str: strconv.FormatInt(total3, 10)}
	}
	st := func(v string) reply { return reply{kind: '+', str: v} }
	var results []reply
	for _, row := range want.elems[1:] {
		m := make([]reply, 0, len(row.elems))
		for i := 0; i+1 < len(row.elems); i += 2 {
			m = append(m, row.elems[i], null3(row.elems[i+1]))
		}
		results = append(results, reply{kind: '%', elems: []reply{
			st("extra_attributes"), {kind: '%', elems: m}, st("values"), {kind: '*'}}})
	}
	s.mustReply(args, reply{kind: '%', elems: []reply{
		st("attributes"), {kind: '*'},
		st("format"), st("STRING"),
		st("results"), {kind: '*', elems: results},
		st("total_results"), total,
		st("warning"), {kind: '*'},
	}})
}

// aggregateRows runs an FT.AGGREGATE and returns its rows, each as name,
// value, … (a nil value as "<nil>", an array as its elements in brackets).
func (s *session) aggregateRows(args []string) [][]string {
	s.t.Helper()
	got := s.do(args...)
	var rows []reply
	switch {
	case s.proto == 2 && got.kind == '*' && len(got.elems) > 0:
		rows = got.elems[1:]
	case s.proto == 3 && got.kind == '%':
		for _, r := range s.pairs(got, "FT.AGGREGATE")["results"].elems {
			rows = append(rows, s.pairs(r, "FT.AGGREGATE row")["extra_attributes"])
		}
	default:
		s.t.Fatalf("%q: unexpected reply %v", args, got)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, e := range r.elems {
			out[i] = append(out[i], flatValue(e))
		}
	}
	return out
}

func flatValue(r reply) string {
	switch {
	case r.null:
		return "<nil>"
	case r.kind == '*':
		var parts []string
		for _, e := range r.elems {
			parts = append(parts, flatValue(e))
		}
		return fmt.Sprint(parts)
	}
	return r.str
}

// aggregateRowsAre checks an FT.AGGREGATE's rows in any order (GROUPBY
// without SORTBY, or groups equal on the sort key).
func (s *session) aggregateRowsAre(args []string, want [][]string) {
	s.t.Helper()
	got := s.aggregateRows(args)
	key := func(rows [][]string) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fmt.Sprintf("%q", r)
		}
		sort.Strings(out)
		return out
	}
	if fmt.Sprint(key(got)) != fmt.Sprint(key(want)) {
		s.t.Errorf("%q: rows %q, want %q (any order)", args, got, want)
	}
}
