package rejson

import (
	"github.com/miniredis-search/miniredis-search/rejson/jsonpath"
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// The read API: what the search module uses to index JSON documents, the
// counterpart of RedisJSON's shared API (RedisJSONAPI: isJSON, openKey,
// get (a path's results), getType, getString/getDouble/getInt/getBoolean,
// getLen, getAt, next). It reads on the main thread, like any command.
//
//	root, ok := rejson.Document(entry)      // the key's document
//	p, err := rejson.CompilePath("$.tags[*]") // compile once, reuse
//	for _, v := range p.Values(root) {
//		switch v.Kind() {
//		case jsonv.String: v.Str()
//		case jsonv.Int, jsonv.Float: v.FloatVal() // IntVal for an Int
//		case jsonv.Bool: v.Bool()
//		case jsonv.Array: v.Len(), v.Index(i)
//		case jsonv.Object: v.Len(), v.KeyAt(i), v.Index(i), v.Lookup(k)
//		}
//	}
//
// The values belong to the document: a caller keeps none past the main
// thread's lock, and never modifies them. jsonv.AppendJSON serializes one
// (a RETURN $.path field); v.TypeName() is JSON.TYPE's name.

// SharedAPIName is the name the read API is exported under
// (ModuleContext.ExportSharedAPI), as RedisJSON exports "RedisJSON_V1".."V5".
// The value is a DocumentFunc: a module that does not import this package
// asserts it as func(*server.Entry) (*jsonv.Value, bool), and reads the
// values with jsonv and jsonpath, the libraries (its "header").
const SharedAPIName = "RedisJSON_V1"

// DocumentFunc is the type of the exported read API: Document.
type DocumentFunc = func(e *server.Entry) (root *jsonv.Value, ok bool)

// IsJSON reports whether a key holds a JSON document.
func IsJSON(e *server.Entry) bool {
	dt := e.ModuleType()
	return dt != nil && dt.Name == TypeName
}

// Document is the root of a JSON key's document (ok false for a key of
// another type).
func Document(e *server.Entry) (root *jsonv.Value, ok bool) {
	dt, v := e.ModuleValue()
	if dt == nil || dt.Name != TypeName {
		return nil, false
	}
	return &v.(*Doc).Root, true
}

// CompilePath parses a JSONPath or legacy path (the module's own syntax
// and semantics, see package jsonpath).
func CompilePath(path string) (*jsonpath.Path, error) { return jsonpath.Parse(path) }

// Get is the values path selects in a key's document (nil for a key that
// is not JSON, or when the path selects nothing).
func Get(e *server.Entry, path *jsonpath.Path) []*jsonv.Value {
	root, ok := Document(e)
	if !ok {
		return nil
	}
	return path.Values(root)
}
