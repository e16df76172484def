package rejson

import (
	"errors"

	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// rdbSave is the type's rdb_save (redisjson.rs type_methods::rdb_save): the
// document as compact JSON, one string.
func rdbSave(v any, io *server.ModuleIO) {
	io.SaveString(string(jsonv.AppendJSON(nil, &v.(*Doc).Root)))
}

var errRDBVersion = errors.New("unsupported ReJSON-RL encoding version")

// rdbLoad is the type's rdb_load (value_rdb_load_json): encoding version 3
// is the JSON text; version 2 adds an unsigned and, when it is not 0, two
// strings (a RediSearch index reference of old), which are read and
// dropped. Version 0, RedisJSON 1.x's tree, is not read; RedisJSON itself
// panics on any other version.
func rdbLoad(io *server.ModuleIO, encver int) (any, error) {
	var text string
	switch encver {
	case 3:
		text = io.LoadString()
	case 2:
		text = io.LoadString()
		if io.LoadUnsigned() > 0 {
			io.LoadString()
			io.LoadString()
		}
	default:
		return nil, errRDBVersion
	}
	if io.Err != nil {
		return nil, io.Err
	}
	root, err := jsonv.Parse(text)
	if err != nil {
		return nil, err
	}
	return &Doc{Root: root}, nil
}
