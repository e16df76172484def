package server

import (
	"fmt"
	"strings"
)

// DataType is a module's data type, as RedisModule_CreateDataType makes
// one: a key holding a value of the type shows its Name to TYPE (and to
// SCAN's TYPE filter), any command of another type answers WRONGTYPE on it,
// and the generic key commands (DEL, EXISTS, EXPIRE, RENAME, MOVE, SCAN,
// DBSIZE, FLUSHALL ...) treat it as any key. The value itself is the
// module's: the server never looks into it, except through the optional
// hooks.
type DataType struct {
	// Name is the 9-character type name Redis requires ("trietype0").
	Name string
	// EncVer is the type's encoding version (what RDB files would carry).
	EncVer int
	// Copy duplicates a value for COPY (the type's copy callback); without
	// it COPY answers "not supported for this module key", as Redis does
	// for a type that has none.
	Copy func(v any) any
	// SerializedLen is the size of the value in an RDB file, for DEBUG
	// OBJECT's serializedlength (0 without it).
	SerializedLen func(v any) int
	// RDBSave writes a value for DUMP (the type's rdb_save callback) through
	// io's Save* methods; without it DUMP answers an error.
	RDBSave func(v any, io *ModuleIO)
	// RDBLoad reads a value written with encoding version encver for
	// RESTORE (rdb_load); an error, or io.Err set, refuses the payload.
	RDBLoad func(io *ModuleIO, encver int) (any, error)

	module string
}

// Module is the name of the module that registered the type.
func (dt *DataType) Module() string { return dt.module }

// moduleValue is a module key's value: its type and the module's object
// (or, with no type, a set: see Entry.set).
type moduleValue struct {
	typ *DataType
	v   any
	// list is a list's elements: a list entry (TypeList) keeps them here,
	// with typ and v unset.
	list *listValue
}

// RegisterDataType adds a data type, as RedisModule_CreateDataType does:
// the name is 9 characters of A-Z, a-z, 0-9, '-' and '_', and no two types
// share a name (whatever the case).
func (m *ModuleContext) RegisterDataType(dt *DataType) error {
	if len(dt.Name) != 9 {
		return fmt.Errorf("data type %q: the name must be 9 characters", dt.Name)
	}
	for i := 0; i < len(dt.Name); i++ {
		c := dt.Name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("data type %q: invalid character %q", dt.Name, c)
		}
	}
	for _, other := range m.srv.dataTypes {
		if strings.EqualFold(other.Name, dt.Name) {
			return fmt.Errorf("data type %q: already registered by %s", dt.Name, other.module)
		}
	}
	dt.module = m.module.Name()
	m.srv.dataTypes = append(m.srv.dataTypes, dt)
	return nil
}

// ModuleValue is a module key's type and value; nil, nil for a key of a
// core type.
func (e *Entry) ModuleValue() (*DataType, any) {
	if e.typ != TypeModule || e.mod == nil {
		return nil, nil
	}
	return e.mod.typ, e.mod.v
}

// ModuleType is a module key's type, nil for a key of a core type.
func (e *Entry) ModuleType() *DataType {
	dt, _ := e.ModuleValue()
	return dt
}

// SetModuleValue stores v, of type dt, under key, replacing what the key
// held and its expiry (RedisModule_ModuleTypeSetValue's setKey). Like the
// module API it sends no keyspace event; the module calls
// SignalModifiedKey once it is done with the key. The caller holds the
// main-thread lock.
func (db *DB) SetModuleValue(key string, dt *DataType, v any) {
	db.replace(key, &Entry{typ: TypeModule, mod: &moduleValue{typ: dt, v: v}}, false)
}

// DeleteKey deletes a key as RedisModule_DeleteKey does: no keyspace
// event. It reports whether the key existed.
func (db *DB) DeleteKey(key string) bool {
	if db.Lookup(key) == nil {
		return false
	}
	return db.remove(key)
}

// SignalModifiedKey is what closing a key a module opened for writing
// does (signalModifiedKey): the clients that WATCH it see it changed,
// whether or not the command changed it.
func (db *DB) SignalModifiedKey(key string) {
	if len(db.srv.watched) > 0 {
		db.srv.touchWatched(db.id, key)
	}
}

// ReplicateVerbatim is RedisModule_ReplicateVerbatim: the command counts
// as a change of the dataset (there are no replicas to send it to).
func (c *Ctx) ReplicateVerbatim() { c.srv.stats.dirty.Inc() }

// LookupRead looks a key up for a command that reads it, as
// RedisModule_OpenKey does for reading: an expired key is deleted first,
// keyspace hits and misses are counted and the access time is updated.
func (c *Ctx) LookupRead(key []byte) *Entry { return c.DB().lookupRead(c, key) }

// LookupWrite looks a key up for a command that writes it (an expired key
// is deleted first; the access time is updated).
func (c *Ctx) LookupWrite(key []byte) *Entry { return c.DB().lookupWrite(c, key) }

// copyModuleValue is COPY's duplicate of a module value, nil when its type
// has no copy callback.
func copyModuleValue(e *Entry) *Entry {
	if e.mod == nil || e.mod.typ.Copy == nil {
		return nil
	}
	return &Entry{typ: TypeModule, mod: &moduleValue{typ: e.mod.typ, v: e.mod.typ.Copy(e.mod.v)}}
}

// errModuleNoCopy is COPY's answer for a module type without a copy
// callback (moduleTypeDupOrReply).
const errModuleNoCopy = "ERR not supported for this module key"
