package rejson_test

import (
	"strconv"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// reader is a test module that reads JSON documents through the read API,
// as the search module does: R.READ key path replies one line per value
// ("type:value", arrays as "array:len[elements]").
type reader struct{}

func (reader) Name() string { return "reader" }
func (reader) Version() int { return 1 }
func (reader) Start() error { return nil }
func (reader) Stop()        {}
func (reader) Load(mc *server.ModuleContext) error {
	return mc.RegisterCommand(&server.Command{Name: "R.READ", Arity: 3, Flags: server.FlagReadOnly, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Handler: func(c *server.Ctx, args [][]byte) {
			e := c.LookupRead(args[1])
			if e == nil || !rejson.IsJSON(e) {
				c.W.Null()
				return
			}
			p, err := rejson.CompilePath(string(args[2]))
			if err != nil {
				c.W.Error("ERR " + err.Error())
				return
			}
			vals := rejson.Get(e, p)
			out := make([]string, len(vals))
			for i, v := range vals {
				out[i] = describe(v)
			}
			c.W.StringArray(out)
		}})
}

func describe(v *jsonv.Value) string {
	switch v.Kind() {
	case jsonv.String:
		return "string:" + v.Str()
	case jsonv.Int:
		return "integer:" + strconv.FormatInt(v.IntVal(), 10)
	case jsonv.Float:
		return "number:" + strconv.FormatFloat(v.FloatVal(), 'g', -1, 64)
	case jsonv.Bool:
		return "boolean:" + strconv.FormatBool(v.Bool())
	case jsonv.Null:
		return "null"
	case jsonv.Array:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = describe(v.Index(i))
		}
		return "array:" + strconv.Itoa(v.Len()) + "[" + strings.Join(parts, ",") + "]"
	}
	keys := append([]string(nil), v.Keys()...)
	return "object:" + strings.Join(keys, ",") + " " + string(jsonv.AppendJSON(nil, v))
}

// TestReadAPI: the search module's view of a document — types, values,
// multi-value paths, a key of another type.
func TestReadAPI(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{rejson.New(), reader{}}})
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"JSON.SET", "d", "$", `{"name":"foo","tags":["a","b"],"n":3,"f":1.5,"ok":true,"z":null,"v":[[1,2],[3]],"o":{"k":1}}`, OK},
		{"R.READ", "d", "$.tags[*]", Strs("string:a", "string:b")},
		{"R.READ", "d", "$.name", Strs("string:foo")},
		{"R.READ", "d", "$..n", Strs("integer:3")},
		{"R.READ", "d", "$.f", Strs("number:1.5")},
		{"R.READ", "d", "$.ok", Strs("boolean:true")},
		{"R.READ", "d", "$.z", Strs("null")},
		{"R.READ", "d", "$.v", Strs("array:2[array:2[integer:1,integer:2],array:1[integer:3]]")},
		{"R.READ", "d", "$.o", Strs(`object:k {"k":1}`)},
		{"R.READ", "d", ".name", Strs("string:foo")},
		{"R.READ", "d", "$.missing", Strs()},
		{"SET", "s", "x", OK},
		{"R.READ", "s", "$", Nil},
		{"R.READ", "nokey", "$", Nil},
	})
}
