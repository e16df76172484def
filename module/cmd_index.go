package module

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// noSuchIndex is Redis 8.2's wording for every index command but
// FT.SEARCH / FT.AGGREGATE.
func noSuchIndex(name string) string { return name + ": no such index" }

func (m *Module) commands() []*server.Command {
	// The flags of 8.2's registrations (src/module.c): "write deny-oom"
	// for what creates, "write" for what deletes (FT.DROPINDEX, FT.DROP,
	// FT.ALIASDEL run under OOM), "readonly" for the rest.
	write := server.FlagWrite | server.FlagDenyOOM
	ro := server.FlagReadOnly
	return []*server.Command{
		{Name: "FT.CREATE", Arity: -2, Flags: write, Handler: m.cmdCreateDist},
		{Name: "FT.DROPINDEX", Arity: -2, Flags: server.FlagWrite, Handler: m.cmdDropIndexDist},
		{Name: "FT.DROP", Arity: -2, Flags: server.FlagWrite, Handler: m.cmdDrop},
		{Name: "FT._LIST", Arity: 1, Flags: ro, Handler: m.cmdList},
		{Name: "FT.ALTER", Arity: -2, Flags: write, Handler: m.cmdAlterDist},
		{Name: "FT.TAGVALS", Arity: 3, Flags: ro, Handler: m.cmdTagValsDist},
		{Name: "FT.ALIASADD", Arity: 3, Flags: write, Handler: m.cmdAliasAddDist},
		{Name: "FT.ALIASUPDATE", Arity: 3, Flags: write, Handler: m.cmdAliasUpdateDist},
		{Name: "FT.ALIASDEL", Arity: 2, Flags: server.FlagWrite, Handler: m.cmdAliasDelDist},
		{Name: "FT.EXPLAIN", Arity: -3, Flags: ro, Handler: m.cmdExplain},
		{Name: "FT.EXPLAINCLI", Arity: -3, Flags: ro, Handler: m.cmdExplainCli},
		{Name: "FT.SEARCH", Arity: -2, Flags: ro, Handler: m.cmdSearch},
		{Name: "FT.AGGREGATE", Arity: -2, Flags: ro, Handler: m.cmdAggregate},
		{Name: "FT.PROFILE", Arity: -2, Flags: ro, Handler: m.cmdProfile},
		{Name: "FT.INFO", Arity: 2, Flags: ro, Handler: m.cmdInfoDist},
		{Name: "FT.CURSOR", Arity: -2, Flags: ro, Handler: m.cmdCursor},
		// What coordinators send each shard (cluster mode).
		{Name: "_FT.CREATE", Arity: -2, Flags: write, Handler: m.cmdCreate},
		{Name: "_FT.DROPINDEX", Arity: -2, Flags: server.FlagWrite, Handler: m.cmdDropIndex},
		{Name: "_FT.ALTER", Arity: -2, Flags: write, Handler: m.cmdAlter},
		{Name: "_FT.SEARCH", Arity: -2, Flags: ro, Handler: m.cmdShardSearch},
		{Name: "_FT.AGGREGATE", Arity: -2, Flags: ro, Handler: m.cmdShardAggregate},
		{Name: "_FT.PROFILE", Arity: -2, Flags: ro, Handler: m.cmdShardProfile},
		{Name: "_FT.INFO", Arity: 2, Flags: ro, Handler: m.cmdInfo},
		{Name: "_FT.CONFIG", Arity: -3, Flags: ro, Handler: m.cfg.cmdFTConfig},
		{Name: "_FT.TAGVALS", Arity: 3, Flags: ro, Handler: m.cmdTagVals},
		{Name: "_FT.ALIASADD", Arity: 3, Flags: write, Handler: m.cmdAliasAdd},
		{Name: "_FT.ALIASUPDATE", Arity: 3, Flags: write, Handler: m.cmdAliasUpdate},
		{Name: "_FT.ALIASDEL", Arity: 2, Flags: server.FlagWrite, Handler: m.cmdAliasDel},
		{Name: "SEARCH.CLUSTERINFO", Arity: 1, Flags: ro | server.FlagLoading | server.FlagNoScript, Handler: m.cmdClusterInfo},
		// allow-busy: the workers can be watched during a drain.
		{Name: "FT.DEBUG", Arity: -2, Flags: ro | server.FlagAllowBusy, Handler: m.cmdDebug},
	}
}

func wrongArity(c *server.Ctx) {
	c.W.Error(fmt.Sprintf(server.ErrWrongArgsFmt, c.Cmd.DeclaredName()))
}

// FT.CREATE idx [options] SCHEMA field type [options] ...
func (m *Module) cmdCreate(c *server.Ctx, args [][]byte) {
	if len(args) < 5 && !(len(args) == 4 && resp.EqualFold(args[2], "SCHEMA")) {
		// The module's own arity check (argc < 5), except that
		// `FT.CREATE idx ON HASH SCHEMA` is answered by the parser.
		if len(args) < 4 {
			wrongArity(c)
			return
		}
	}
	if c.Client != nil && c.Client.DB() != 0 {
		c.W.Error(errDB0Only)
		return
	}
	name := string(args[1])
	// The module looks the name up before it parses the arguments
	// (IndexSpec_CreateNew: an existing index wins over a bad schema).
	if m.indexes[name] != nil {
		c.W.Error(errIndexExists)
		return
	}
	sp, err := parseCreate(name, args[2:], m.jsonDoc != nil)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	idx := m.newIndex(sp)
	m.indexes[name] = idx
	if !sp.SkipInitialScan {
		m.startScan(idx, false)
	}
	c.W.OK()
}

// FT.DROPINDEX idx [DD]
func (m *Module) cmdDropIndex(c *server.Ctx, args [][]byte) {
	// redis-py's dropindex() (4.3.6 to 5.x) sends an empty argument for
	// "keep the documents"; RediSearch 2.10 ignored it, as we do. 8.2
	// answers "Unknown argument" (RediSearch PR #5343): a deliberate
	// difference, see the README.
	m.dropCommand(c, args, false, func(opt []byte) bool { return resp.EqualFold(opt, "DD") })
}

// FT.DROP idx [KEEPDOCS]: the deprecated form, which deletes the documents
// unless told to keep them (redis-py 4.3's dropindex() still sends it, with
// an empty argument for "delete").
func (m *Module) cmdDrop(c *server.Ctx, args [][]byte) {
	m.dropCommand(c, args, true, func(opt []byte) bool {
		return resp.EqualFold(opt, "KEEPDOCS") || resp.EqualFold(opt, "_FORCEKEEPDOCS")
	})
}

// dropCommand runs FT.DROPINDEX or FT.DROP: deleteDocs is the command's
// default; a third argument that flips accepts reverses it, an empty one
// changes nothing, anything else is "Unknown argument".
func (m *Module) dropCommand(c *server.Ctx, args [][]byte, deleteDocs bool, flips func(opt []byte) bool) {
	if len(args) > 3 {
		wrongArity(c)
		return
	}
	name := string(args[1])
	idx := m.lookup(name)
	if idx == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	if len(args) == 3 && len(args[2]) > 0 {
		if !flips(args[2]) {
			c.W.Error("Unknown argument")
			return
		}
		deleteDocs = !deleteDocs
	}
	m.drop(idx, deleteDocs)
	c.W.OK()
}

// drop removes an index and, if asked, the keys of its documents.
func (m *Module) drop(idx *Index, deleteDocs bool) {
	var keys []string
	if deleteDocs {
		idx.RLock()
		keys = idx.Keys()
		idx.RUnlock()
		sort.Strings(keys)
	}
	m.dropIndex(idx.Spec().Name, idx)
	db := m.srv.DB(0)
	for _, k := range keys {
		db.Delete(k)
	}
}

// FT._LIST
func (m *Module) cmdList(c *server.Ctx, args [][]byte) {
	names := make([]string, 0, len(m.indexes))
	for n := range m.indexes {
		names = append(names, n)
	}
	sort.Strings(names)
	if c.W.Resp3() {
		c.W.Set(len(names))
		for _, n := range names {
			c.W.SimpleString(n)
		}
		return
	}
	c.W.StatusArray(names)
}

// FT.ALTER idx [SKIPINITIALSCAN] SCHEMA ADD field type [options] ...
func (m *Module) cmdAlter(c *server.Ctx, args [][]byte) {
	if len(args) < 5 {
		wrongArity(c)
		return
	}
	name := string(args[1])
	idx := m.lookup(name)
	if idx == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	cur := &argCursor{args: args[2:]}
	scan := !cur.is("SKIPINITIALSCAN")
	if !cur.is("SCHEMA") {
		c.W.Error("ALTER must be followed by SCHEMA")
		return
	}
	if !cur.is("ADD") {
		c.W.Error("Unknown action passed to ALTER SCHEMA")
		return
	}
	if cur.done() {
		c.W.Error("No fields provided")
		return
	}
	// Parse into a copy so that a bad field leaves the index unchanged.
	sp := *idx.Spec()
	sp.Fields = append([]*index.Field(nil), idx.Spec().Fields...)
	if err := parseFields(&sp, cur); err != nil {
		c.W.Error(err.Error())
		return
	}
	idx.Lock()
	*idx.Spec() = sp
	idx.FieldsAdded()
	idx.Unlock()
	if scan {
		// The module re-indexes every document of the index, under new
		// ids, in keyspace order; the old entries serve queries meanwhile.
		idx.stopScan()
		m.startScan(idx, true)
	}
	c.W.OK()
}

// FT.TAGVALS idx field
func (m *Module) cmdTagVals(c *server.Ctx, args [][]byte) {
	name := string(args[1])
	idx := m.lookup(name)
	if idx == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	f := idx.Spec().Field(string(args[2]))
	if f == nil {
		c.W.Error("No such field")
		return
	}
	if f.Type != index.FieldTag {
		c.W.Error("Not a tag field")
		return
	}
	idx.RLock()
	vals := idx.TagValues(f.Pos())
	idx.RUnlock()
	if c.W.Resp3() {
		c.W.Set(len(vals))
		for _, v := range vals {
			c.W.BulkString(v)
		}
		return
	}
	c.W.StringArray(vals)
}

// FT.ALIASADD alias idx
func (m *Module) cmdAliasAdd(c *server.Ctx, args [][]byte) { m.aliasSet(c, args, false) }

// FT.ALIASUPDATE alias idx
func (m *Module) cmdAliasUpdate(c *server.Ctx, args [][]byte) { m.aliasSet(c, args, true) }

func (m *Module) aliasSet(c *server.Ctx, args [][]byte, update bool) {
	alias, target := string(args[1]), string(args[2])
	idx := m.indexes[target]
	if idx == nil {
		c.W.Error(noSuchIndex(target))
		return
	}
	if m.indexes[alias] != nil {
		c.W.Error("Alias conflicts with an existing index name")
		return
	}
	if !update && m.aliases[alias] != nil {
		c.W.Error("Alias already exists")
		return
	}
	m.aliases[alias] = idx
	c.W.OK()
}

// FT.ALIASDEL alias
func (m *Module) cmdAliasDel(c *server.Ctx, args [][]byte) {
	alias := string(args[1])
	if m.aliases[alias] == nil {
		c.W.Error("Alias does not exist")
		return
	}
	delete(m.aliases, alias)
	c.W.OK()
}

// FT.EXPLAIN idx query [DIALECT n] [PARAMS ...] [VERBATIM]
func (m *Module) cmdExplain(c *server.Ctx, args [][]byte) {
	if out, ok := m.explain(c, args); ok {
		c.W.BulkString(out)
	}
}

// FT.EXPLAINCLI: the same text, one array element per line.
func (m *Module) cmdExplainCli(c *server.Ctx, args [][]byte) {
	out, ok := m.explain(c, args)
	if !ok {
		return
	}
	c.W.StringArray(strings.Split(out, "\n"))
}

func (m *Module) explain(c *server.Ctx, args [][]byte) (string, bool) {
	name := string(args[1])
	idx := m.lookup(name)
	if idx == nil {
		c.W.Error(noSuchIndex(name))
		return "", false
	}
	req, err := parseSearchArgs(string(args[2]), args[3:], m.cfg, true)
	if err != nil {
		c.W.Error(err.Error())
		return "", false
	}
	idx.RLock()
	defer idx.RUnlock()
	root, err := m.parseQuery(idx, req)
	if err != nil {
		c.W.Error(err.Error())
		return "", false
	}
	sp := idx.Spec()
	if err := sp.CheckExpansion(root, &req.opts); err != nil {
		c.W.Error(err.Error())
		return "", false
	}
	return query.Explain(root, query.ExplainOptions{Schema: sp.QuerySchema(), ExpandTerm: sp.ExplainExpander(&req.opts)}), true
}
