package module

import (
	"sync"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/rejson/jsonpath"
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// JSON documents. The JSON module is a second module: this one does not
// import it. It takes the module's read API at Start, as the search module
// takes RedisJSON's (RedisModule_GetSharedAPI("RedisJSON_V…")), and reads
// the documents with the libraries rejson/jsonv and rejson/jsonpath, its
// "header".

// jsonSharedAPI is the name the JSON module exports its read API under
// (rejson.SharedAPIName).
const jsonSharedAPI = "RedisJSON_V1"

// jsonDocFunc is the exported API's type (rejson.DocumentFunc): the root of
// a key's document, ok false for a key of another type.
type jsonDocFunc = func(e *server.Entry) (root *jsonv.Value, ok bool)

// lookupJSON takes the JSON module's API, when it is loaded.
func (m *Module) lookupJSON() {
	if f, ok := m.srv.GetSharedAPI(jsonSharedAPI).(jsonDocFunc); ok {
		m.jsonDoc = f
	}
}

// jsonRoot is the document of a JSON key (nil for another type, or without
// the JSON module).
func (m *Module) jsonRoot(e *server.Entry) *jsonv.Value {
	if e == nil || m.jsonDoc == nil {
		return nil
	}
	root, ok := m.jsonDoc(e)
	if !ok {
		return nil
	}
	return root
}

// jsonPaths caches compiled paths by their text (schema paths, RETURN and
// LOAD paths); a path that does not parse is cached as nil.
var jsonPaths sync.Map

func compiledPath(s string) *jsonpath.Path {
	if p, ok := jsonPaths.Load(s); ok {
		return p.(*jsonpath.Path)
	}
	p, err := jsonpath.Parse(s)
	if err != nil {
		p = nil
	}
	jsonPaths.Store(s, p)
	return p
}

// jsonDocument shows a JSON document to the engine (index.Document): the
// value a path selects, typed; several matches are an array of them.
type jsonDocument struct{ root *jsonv.Value }

func (d jsonDocument) Value(path string) (index.Value, bool) {
	p := compiledPath(path)
	if p == nil {
		return index.Value{}, false
	}
	var vals []index.Value
	n := 0
	var one *jsonv.Value
	p.Eval(d.root, func(v *jsonv.Value, _ []int) {
		if n == 0 {
			one = v
		} else {
			if n == 1 {
				vals = append(vals, jsonValue(one))
			}
			vals = append(vals, jsonValue(v))
		}
		n++
	})
	switch n {
	case 0:
		return index.Value{}, false
	case 1:
		return jsonValue(one), true
	}
	return index.Value{Kind: index.KindArray, Items: vals, Matches: true}, true
}

// jsonValue is a JSON value as the engine sees it.
func jsonValue(v *jsonv.Value) index.Value {
	switch v.Kind() {
	case jsonv.String:
		return index.Text(v.Str())
	case jsonv.Int, jsonv.Float:
		return index.Number(v.FloatVal())
	case jsonv.Bool:
		return index.Value{Kind: index.KindBool, Bool: v.Bool()}
	case jsonv.Null:
		return index.Value{Kind: index.KindNull}
	case jsonv.Array:
		items := make([]index.Value, v.Len())
		for i := range items {
			items[i] = jsonValue(v.Index(i))
		}
		return index.Value{Kind: index.KindArray, Items: items}
	}
	return index.Value{Kind: index.KindObject}
}

// jsonFields shows a JSON document to the reply writers (RETURN, the
// default document, FT.AGGREGATE's LOAD), as a hash shows its fields: Get
// reads a path, Each yields the whole document as "$".
type jsonFields struct {
	root *jsonv.Value
	// multi: DIALECT 3 and above reply with every match of a path, as a
	// JSON array; below, with the first match.
	multi bool
}

// Get is the value a path selects, as the module renders it: with
// DIALECT 3 the JSON array of every match; else the first match, a string
// as it is, a number as the module prints numbers, anything else as JSON.
func (f jsonFields) Get(path string) (string, bool) {
	p := compiledPath(path)
	if p == nil {
		return "", false
	}
	vals := p.Values(f.root)
	if len(vals) == 0 {
		return "", false
	}
	if f.multi {
		return string(jsonv.AppendArrayOf(nil, vals, jsonv.Format{})), true
	}
	v := vals[0]
	switch v.Kind() {
	case jsonv.String:
		return v.Str(), true
	case jsonv.Int:
		return formatNumber(float64(v.IntVal())), true
	case jsonv.Float:
		return formatNumber(v.FloatVal()), true
	}
	return string(jsonv.AppendJSON(nil, v)), true
}

// Each yields the document as one field, "$", the way a reply without
// RETURN (and LOAD *) shows a JSON document.
func (f jsonFields) Each(fn func(field, value string) bool) {
	if f.multi {
		fn("$", string(jsonv.AppendArrayOf(nil, []*jsonv.Value{f.root}, jsonv.Format{})))
		return
	}
	fn("$", string(jsonv.AppendJSON(nil, f.root)))
}
