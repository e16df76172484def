package server

import (
	"errors"
	"strings"
)

// A module value in an RDB payload is RDB_TYPE_MODULE_2: the type's 64-bit
// id (its 9-character name in a 6-bit alphabet, then its 10-bit encoding
// version), what the type's rdb_save callback wrote through
// RedisModule_Save*, each value after its opcode, and an EOF opcode.
const (
	rdbModuleOpcodeEOF    = 0
	rdbModuleOpcodeUInt   = 2
	rdbModuleOpcodeString = 5
)

// moduleTypeCharset is moduleTypeEncodeId's alphabet.
const moduleTypeCharset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// rdbID is the type's id in RDB files (moduleTypeEncodeId).
func (dt *DataType) rdbID() uint64 {
	var id uint64
	for i := 0; i < len(dt.Name); i++ {
		id = id<<6 | uint64(strings.IndexByte(moduleTypeCharset, dt.Name[i]))
	}
	return id<<10 | uint64(dt.EncVer&1023)
}

// ModuleIO is a module value's RDB serialization, what a type's rdb_save
// and rdb_load callbacks get as RedisModuleIO, with the calls the types
// here make (RedisJSON's: a string, and an unsigned in its version 2). A load that finds another
// opcode than the one asked for, or runs out, sets Err, and every later
// load returns zero values: the payload is then refused ("Bad data
// format"), as Redis refuses a value whose io.error is set.
type ModuleIO struct {
	w   *rdbWriter
	r   *rdbReader
	Err error
}

var errModuleLoad = errors.New("module value: unexpected opcode or end of data")

// SaveString is RedisModule_SaveStringBuffer.
func (io *ModuleIO) SaveString(s string) {
	io.w.length(rdbModuleOpcodeString)
	io.w.str(s)
}

// opcode reads the next value's opcode and checks it is want.
func (io *ModuleIO) opcode(want uint64) bool {
	if io.Err != nil {
		return false
	}
	op, enc, err := io.r.length()
	if err != nil || enc || op != want {
		io.Err = errModuleLoad
		return false
	}
	return true
}

// LoadString is RedisModule_LoadStringBuffer.
func (io *ModuleIO) LoadString() string {
	if !io.opcode(rdbModuleOpcodeString) {
		return ""
	}
	s, err := io.r.str()
	if err != nil {
		io.Err = errModuleLoad
	}
	return s
}

// LoadUnsigned is RedisModule_LoadUnsigned.
func (io *ModuleIO) LoadUnsigned() uint64 {
	if !io.opcode(rdbModuleOpcodeUInt) {
		return 0
	}
	v, enc, err := io.r.length()
	if err != nil || enc {
		io.Err = errModuleLoad
	}
	return v
}

// rdbSaveModule writes a module value (rdbSaveObject's OBJ_MODULE case).
func (w *rdbWriter) module(dt *DataType, v any) {
	w.b = append(w.b, rdbTypeModule2)
	w.length(dt.rdbID())
	dt.RDBSave(v, &ModuleIO{w: w})
	w.length(rdbModuleOpcodeEOF)
}

// rdbLoadModule reads an RDB_TYPE_MODULE_2 value: the type is found by the
// name in the id whatever its encoding version, which goes to the type's
// loader; a type not registered, a loader's error or a missing EOF is bad
// data.
func (s *Server) rdbLoadModule(r *rdbReader) (*Entry, error) {
	id, enc, err := r.length()
	if err != nil || enc {
		return nil, errBadData
	}
	var dt *DataType
	for _, t := range s.dataTypes {
		if t.rdbID()>>10 == id>>10 {
			dt = t
			break
		}
	}
	if dt == nil || dt.RDBLoad == nil {
		return nil, errBadData
	}
	io := &ModuleIO{r: r}
	v, err := dt.RDBLoad(io, int(id&1023))
	if err != nil || io.Err != nil || v == nil {
		return nil, errBadData
	}
	if eof, enc, err := r.length(); err != nil || enc || eof != rdbModuleOpcodeEOF {
		return nil, errBadData
	}
	return &Entry{typ: TypeModule, mod: &moduleValue{typ: dt, v: v}}, nil
}
