package module

import (
	"reflect"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// A profile crosses the wire whole: every kind comes back as it left.
func TestWireRespRoundTrip(t *testing.T) {
	v := resp.ArrayOf(
		resp.MapOf(
			resp.Status("Type"), resp.Status("TEXT"),
			resp.Status("Time"), resp.DoubleValue(0.1+0.2),
			resp.Status("Counter"), resp.Integer(-3),
			resp.Status("Child iterators"), resp.ArrayOf(),
			resp.Status("Term"), resp.Bulk("a\r\nb"),
		),
		resp.Bulk(""), resp.Status(""), resp.NullValue(), resp.BoolValue(true), resp.BoolValue(false),
		resp.SetOf(resp.Integer(1)), resp.MapOf(),
	)
	w := resp.NewWriter(2)
	writeWireResp(w, v)
	n, r := redcon.ReadNextRESP(w.Bytes())
	if n != len(w.Bytes()) {
		t.Fatalf("read %d of %d bytes", n, len(w.Bytes()))
	}
	got, ok := readWireResp(r)
	if !ok || !reflect.DeepEqual(got, v) {
		t.Fatalf("got %+v (%v)\nwant %+v", got, ok, v)
	}
	// RESP2 in, RESP2 out: the coordinator writes what the shard would.
	w2, w3 := resp.NewWriter(2), resp.NewWriter(2)
	w2.Value(v)
	w3.Value(got)
	if string(w2.Bytes()) != string(w3.Bytes()) {
		t.Errorf("rewritten:\n%q\nwant\n%q", w3.Bytes(), w2.Bytes())
	}

	// SplitShardProfile takes a `_FT.PROFILE` pair apart, and nothing else.
	pair := resp.NewWriter(2)
	pair.Array(2)
	pair.Array(1)
	pair.Int(0)
	writeWireResp(pair, v)
	_, r = redcon.ReadNextRESP(pair.Bytes())
	res, prof, ok := SplitShardProfile(r)
	if !ok || string(res.Raw) != "*1\r\n:0\r\n" || !reflect.DeepEqual(prof, v) {
		t.Errorf("split: %q %+v %v", res.Raw, prof, ok)
	}
	for _, bad := range []string{"-ERR x\r\n", "*1\r\n:0\r\n", "*2\r\n:0\r\n$1\r\nx\r\n", "*2\r\n:0\r\n*2\r\n$1\r\n%\r\n:1\r\n"} {
		_, r := redcon.ReadNextRESP([]byte(bad))
		if _, _, ok := SplitShardProfile(r); ok {
			t.Errorf("%q split", bad)
		}
	}
}

// `_FT.PROFILE` answers [<the `_FT.SEARCH` / `_FT.AGGREGATE` reply>,
// <the shard's profile, encoded for the wire>].
func TestShardProfile(t *testing.T) {
	_, c := searchServer(t)
	profileIndex(t, c)
	for _, q := range [][]string{
		{"SEARCH", "hello|world", "LIMIT", "1", "1"},
		{"SEARCH", "*", "SORTBY", "n", "DESC", "NOCONTENT"},
		{"AGGREGATE", "*", "GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c"},
		{"AGGREGATE", "*", "LOAD", "1", "@n", "APPLY", "@n*2", "AS", "d"},
	} {
		want := profileDo(t, c, append([]string{"_FT." + q[0], "idx"}, q[1:]...)...)
		got := profileDo(t, c, append([]string{"_FT.PROFILE", "idx", q[0], "QUERY"}, q[1:]...)...)
		if got.kind != '*' || len(got.elems) != 2 {
			t.Fatalf("%q: %s", q, got.render(t))
		}
		if w, g := want.render(t), got.elems[0].render(t); w != g {
			t.Errorf("%q: results\n got %s\nwant %s", q, g, w)
		}
		// The profile is a tagged map: "%" then the shard's keys.
		prof := got.elems[1]
		if len(prof.elems) == 0 || prof.elems[0].str != "%" || prof.elems[1].str != "+Total profile time" {
			t.Errorf("%q: profile %s", q, prof.render(t))
		}
	}
	// Its errors are FT.PROFILE's.
	MustDoAll(t, c, [][]string{
		{"_FT.PROFILE", "nosuch", "SEARCH", "QUERY", "*", Err("nosuch: no such index")},
		{"_FT.PROFILE", "idx", "SEARCH", "QUERY", Err("ERR wrong number of arguments for '_FT.PROFILE' command")},
		{"_FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "WITHCURSOR", Err("FT.PROFILE does not support cursor")},
	})
}
