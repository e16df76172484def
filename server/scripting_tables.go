package server

import (
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// argTables hands out the KEYS and ARGV tables of EVAL and FCALL. Each call
// gets new tables, as in Redis: a script can keep a reference to its KEYS
// (in the string metatable, say, or a coroutine) and a later script must
// not see it change. What is saved is the allocations: the tables, their
// arrays and the strings' bytes are cut from slabs shared by many calls (a
// table kept by a script keeps its slab alive, a few KB). A slab's array
// part is never written again once handed out, and the slab is dropped once
// it has held slabMaxBytes of strings, so it doesn't keep big arguments
// alive for long.
type argTables struct {
	tables []lua.LTable
	vals   []lua.LValue
	bytes  []byte
	held   int // bytes of strings the current vals slab refers to
}

const (
	slabTables   = 64
	slabVals     = 512
	slabBytes    = 4 << 10
	slabMaxBytes = 64 << 10
)

// ltableLayout mirrors gopher-lua's LTable, whose array part can't be set
// from outside; ltableLayoutOK says the mirror is right (checked on the
// fields' names, types and offsets), else the tables are made the usual way.
type ltableLayout struct {
	Metatable lua.LValue
	array     []lua.LValue
	dict      map[lua.LValue]lua.LValue
	strdict   map[string]lua.LValue
	keys      []lua.LValue
	k2i       map[lua.LValue]int
}

var ltableLayoutOK = func() bool {
	a, b := reflect.TypeOf(lua.LTable{}), reflect.TypeOf(ltableLayout{})
	if a.NumField() != b.NumField() || a.Size() != b.Size() {
		return false
	}
	for i := 0; i < a.NumField(); i++ {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || fa.Type != fb.Type || fa.Offset != fb.Offset {
			return false
		}
	}
	return true
}()

// table is a new table holding items as strings (bytesTable without most
// of its allocations).
func (at *argTables) table(L *lua.LState, items [][]byte) *lua.LTable {
	if !ltableLayoutOK || len(items) > slabVals/4 {
		return bytesTable(L, items)
	}
	if len(at.tables) == 0 {
		at.tables = make([]lua.LTable, slabTables)
	}
	t := &at.tables[0]
	at.tables = at.tables[1:]
	t.Metatable = lua.LNil
	if len(items) == 0 {
		return t
	}
	if len(at.vals) < len(items) || at.held > slabMaxBytes {
		at.vals, at.held = make([]lua.LValue, slabVals), 0
	}
	arr := at.vals[:len(items):len(items)]
	at.vals = at.vals[len(items):]
	for i, it := range items {
		arr[i] = lua.LString(at.str(it))
		at.held += len(it)
	}
	(*ltableLayout)(unsafe.Pointer(t)).array = arr
	return t
}

// str is b as a string, its bytes cut from a slab when small.
func (at *argTables) str(b []byte) string {
	if len(b) <= 1 || len(b) > slabBytes/8 {
		return string(b) // one byte strings don't allocate
	}
	if cap(at.bytes)-len(at.bytes) < len(b) {
		at.bytes = make([]byte, 0, slabBytes)
	}
	n := len(at.bytes)
	at.bytes = append(at.bytes, b...)
	return unsafe.String(&at.bytes[n], len(b))
}

// A script whose code reads KEYS and ARGV only by indexing them (KEYS[1],
// #ARGV) never holds the tables themselves: it can't keep them, change
// them or give them a metatable. Such a script gets the same two tables at
// each call (their array parts refilled), and the globals aren't set
// again. The tables are handed to no other script: another gets new ones.
//
// Lua code can reach the globals KEYS and ARGV in two ways: by name
// (GETGLOBAL, whose result argsIndexedOnly checks is consumed at once by
// the next instruction, which overwrites it) and through a table of the
// globals, which only _G, getfenv and code compiled by loadstring or load
// reach (a script naming any of these is not one of them; getfenv and
// setfenv are absent, but a script naming them isn't either). A FUNCTION's
// code can run loadstring: before a function or a library runs, the
// globals get new tables with the same strings (hideReused).

// argsIndexedOnly says whether the code of p and its nested functions reads
// KEYS and ARGV only by indexing them or taking their length.
func argsIndexedOnly(p *lua.FunctionProto) bool {
	for _, k := range p.Constants {
		if s, ok := k.(lua.LString); ok {
			switch s {
			case "_G", "getfenv", "setfenv", "loadstring", "load":
				return false
			}
		}
	}
	code := p.Code
	for pc, inst := range code {
		if int(inst>>26) != lua.OP_GETGLOBAL {
			continue
		}
		bx := int(inst & 0x3ffff)
		if bx >= len(p.Constants) {
			return false
		}
		if s, ok := p.Constants[bx].(lua.LString); !ok || (s != "KEYS" && s != "ARGV") {
			continue
		}
		a := int(inst>>18) & 0xff
		if pc+1 >= len(code) {
			return false
		}
		next := code[pc+1]
		op, na, nb := int(next>>26), int(next>>18)&0xff, int(next&0x1ff)
		if (op != lua.OP_GETTABLE && op != lua.OP_GETTABLEKS && op != lua.OP_LEN) || na != a || nb != a {
			return false
		}
	}
	for _, sub := range p.FunctionPrototypes {
		if !argsIndexedOnly(sub) {
			return false
		}
	}
	return true
}

// reusedArgs are the two tables of the scripts that index KEYS and ARGV
// only.
type reusedArgs struct {
	keys, argv *lua.LTable
	kbuf, abuf []lua.LValue
	inGlobals  bool // the globals KEYS and ARGV are these tables
}

// setGlobals makes KEYS and ARGV tables of keys and argv for an EVAL:
// reused ones when indexedOnly.
func (sc *scripting) setArgGlobals(keys, argv [][]byte, indexedOnly bool) {
	g := sc.L.G.Global
	ra := &sc.reused
	if !indexedOnly || !ltableLayoutOK || len(keys) > slabVals/4 || len(argv) > slabVals/4 {
		g.RawSetString("KEYS", sc.args.table(sc.L, keys))
		g.RawSetString("ARGV", sc.args.table(sc.L, argv))
		ra.inGlobals = false
		return
	}
	if ra.keys == nil {
		ra.keys, ra.argv = sc.args.table(sc.L, nil), sc.args.table(sc.L, nil)
	}
	ra.kbuf = fillArgs(ra.keys, ra.kbuf, keys)
	ra.abuf = fillArgs(ra.argv, ra.abuf, argv)
	if !ra.inGlobals {
		g.RawSetString("KEYS", ra.keys)
		g.RawSetString("ARGV", ra.argv)
		ra.inGlobals = true
	}
}

// fillArgs makes t's array part items, in buf (returned).
func fillArgs(t *lua.LTable, buf []lua.LValue, items [][]byte) []lua.LValue {
	if cap(buf) < len(items) {
		buf = make([]lua.LValue, len(items))
	}
	clear(buf[len(items):cap(buf)]) // don't keep the last call's strings
	buf = buf[:len(items)]
	for i, it := range items {
		// The same key as the last call's keeps its value (no string to
		// box): a string is immutable and the script couldn't keep it.
		if old, ok := buf[i].(lua.LString); !ok || string(old) != string(it) {
			buf[i] = lua.LString(it)
		}
	}
	if len(items) == 0 {
		(*ltableLayout)(unsafe.Pointer(t)).array = nil
	} else {
		(*ltableLayout)(unsafe.Pointer(t)).array = buf[:len(items):len(items)]
	}
	return buf[:0]
}

// hideReused gives the globals KEYS and ARGV new tables with the strings
// of the reused ones, before Lua code that could keep them runs.
func (sc *scripting) hideReused() {
	ra := &sc.reused
	if !ra.inGlobals {
		return
	}
	g := sc.L.G.Global
	for _, name := range []string{"KEYS", "ARGV"} {
		old := g.RawGetString(name).(*lua.LTable)
		t := sc.L.CreateTable(old.Len(), 0)
		for i := 1; i <= old.Len(); i++ {
			t.RawSetInt(i, old.RawGetInt(i))
		}
		g.RawSetString(name, t)
	}
	ra.inGlobals = false
}
