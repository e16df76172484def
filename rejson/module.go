// Package rejson emulates the JSON module (RedisJSON, as bundled with
// Redis 8.2; MODULE LIST shows it as "ReJSON") as Redis sees it: the JSON.*
// commands with their RESP2 and RESP3 replies and errors, the ReJSON-RL
// data type and its keyspace events. It plugs into the server through the
// server's module API, as the search module does.
//
// Documents are jsonv trees (parsed once, at JSON.SET); paths are
// evaluated by jsonpath. Other modules read documents through the read
// API in api.go.
//
// It may import server, resp, rejson/jsonv and rejson/jsonpath.
package rejson

import (
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/server"
)

// Name and Version are what MODULE LIST shows (RedisJSON 8.2.0).
const (
	Name    = "ReJSON"
	Version = 80200
)

// TypeName is the data type's name, as TYPE shows it.
const TypeName = "ReJSON-RL"

// Module is the JSON module.
type Module struct {
	srv *server.Server
	typ *server.DataType
}

// New returns the JSON module, ready for server.Options.Modules.
func New() *Module { return &Module{} }

// Name implements server.Module.
func (m *Module) Name() string { return Name }

// Version implements server.Module.
func (m *Module) Version() int { return Version }

// Start implements server.Module (nothing runs in the background).
func (m *Module) Start() error { return nil }

// Stop implements server.Module.
func (m *Module) Stop() {}

// Doc is a JSON key's value: the document's root.
type Doc struct {
	Root jsonv.Value
}

// Load implements server.Module: it registers the type and the commands.
func (m *Module) Load(ctx *server.ModuleContext) error {
	m.srv = ctx.Server()
	m.typ = &server.DataType{
		Name:   TypeName,
		EncVer: 3,
		Copy: func(v any) any {
			d := v.(*Doc)
			return &Doc{Root: d.Root.Clone()}
		},
		SerializedLen: func(v any) int { return len(jsonv.AppendJSON(nil, &v.(*Doc).Root)) },
		RDBSave:       rdbSave,
		RDBLoad:       rdbLoad,
	}
	if err := ctx.RegisterDataType(m.typ); err != nil {
		return err
	}
	// The read API, as RedisJSON exports its RedisJSON_V* API at load
	// (RedisModule_ExportSharedAPI): other modules take it at Start.
	if err := ctx.ExportSharedAPI(SharedAPIName, DocumentFunc(Document)); err != nil {
		return err
	}
	for _, c := range m.commands() {
		// A module command registered with RM_CreateCommand reports
		// arity -1 and checks its arguments itself (minArgs).
		c.Meta = server.CommandMeta{InfoArity: -1}
		ar, h := c.Arity, c.Handler
		c.Arity = -1
		c.Handler = func(ctx *server.Ctx, args [][]byte) {
			if ar > 0 && len(args) != ar || ar < 0 && len(args) < -ar {
				wrongArity(ctx, args)
				return
			}
			h(ctx, args)
		}
		if err := ctx.RegisterCommand(c); err != nil {
			return err
		}
	}
	return nil
}

func (m *Module) commands() []*server.Command {
	write := server.FlagWrite | server.FlagDenyOOM
	ro := server.FlagReadOnly
	key := func(name string, arity int, flags server.CmdFlags, h server.Handler) *server.Command {
		return &server.Command{Name: name, Arity: arity, Flags: flags, FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: h}
	}
	return []*server.Command{
		key("JSON.SET", -4, write, m.cmdSet),
		key("JSON.GET", -2, ro, m.cmdGet),
		{Name: "JSON.MGET", Arity: -3, Flags: ro, FirstKey: 1, LastKey: -2, KeyStep: 1, Handler: m.cmdMGet},
		{Name: "JSON.MSET", Arity: -4, Flags: write, FirstKey: 1, LastKey: -3, KeyStep: 3, Handler: m.cmdMSet},
		key("JSON.MERGE", -4, write, m.cmdMerge),
		key("JSON.DEL", -2, server.FlagWrite, m.cmdDel),
		key("JSON.FORGET", -2, server.FlagWrite, m.cmdDel),
		key("JSON.TYPE", -2, ro, m.cmdType),
		key("JSON.CLEAR", -2, server.FlagWrite, m.cmdClear),
		key("JSON.TOGGLE", -3, write, m.cmdToggle),
		key("JSON.NUMINCRBY", 4, write, m.numOp("json.numincrby", opIncr)),
		key("JSON.NUMMULTBY", 4, write, m.numOp("json.nummultby", opMult)),
		key("JSON.STRAPPEND", -3, write, m.cmdStrAppend),
		key("JSON.STRLEN", -2, ro, m.cmdStrLen),
		key("JSON.ARRAPPEND", -4, write, m.cmdArrAppend),
		key("JSON.ARRINDEX", -4, ro, m.cmdArrIndex),
		key("JSON.ARRINSERT", -5, write, m.cmdArrInsert),
		key("JSON.ARRLEN", -2, ro, m.cmdArrLen),
		key("JSON.ARRPOP", -2, write, m.cmdArrPop),
		key("JSON.ARRTRIM", 5, write, m.cmdArrTrim),
		key("JSON.OBJKEYS", -2, ro, m.cmdObjKeys),
		key("JSON.OBJLEN", -2, ro, m.cmdObjLen),
		key("JSON.RESP", -2, ro, m.cmdResp),
		{Name: "JSON.DEBUG", Arity: -2, Flags: ro, FirstKey: 2, LastKey: 2, KeyStep: 1, Handler: m.cmdDebug},
	}
}
