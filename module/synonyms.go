package module

import (
	"fmt"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// The synonym commands (src/module.c: SynUpdateCommand, SynDumpCommand,
// SynAddCommand; the group map is module/index's SynonymMap).
const (
	errSynAdd          = "No longer supported, use FT.SYNUPDATE"
	errSynUnknownIndex = "Unknown index name"
	// synUpdateLocal is the shard-local command FT.SYNUPDATE runs, on one
	// shard through RM_Call and on every shard of a cluster: its arity
	// error names it.
	synUpdateLocal = "_FT.SYNUPDATE"
)

func (m *Module) synonymCommands() []*server.Command {
	write := server.FlagWrite | server.FlagDenyOOM
	return []*server.Command{
		{Name: "FT.SYNUPDATE", Arity: -2, Flags: write, Handler: m.cmdSynUpdateDist},
		{Name: synUpdateLocal, Arity: -2, Flags: write, Handler: m.cmdSynUpdate},
		{Name: "FT.SYNDUMP", Arity: 2, Flags: server.FlagReadOnly, Handler: m.cmdSynDump},
		{Name: "FT.SYNADD", Arity: -1, Flags: write, Handler: m.cmdSynAdd},
	}
}

// FT.SYNUPDATE index group [SKIPINITIALSCAN] term…: the wrapper Redis 8.2
// registers looks the index up (VERIFY_ACL's "no such index") before it
// runs `_FT.SYNUPDATE` locally, or on every shard in cluster mode (the
// coordinator's MastersFanoutCommandHandler: OK when every shard says OK).
func (m *Module) cmdSynUpdateDist(c *server.Ctx, args [][]byte) {
	if name := string(args[1]); m.lookup(name) == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	if !m.distributed(c, "FT.SYNUPDATE", args) {
		m.cmdSynUpdate(c, args)
	}
}

// cmdSynUpdate is `_FT.SYNUPDATE`: the terms join the group (lower-cased),
// and, unless SKIPINITIALSCAN follows the group id, every document of the
// index is indexed again in the background so that those holding a term
// get the group's term.
func (m *Module) cmdSynUpdate(c *server.Ctx, args [][]byte) {
	if len(args) < 4 {
		c.W.Error(fmt.Sprintf(server.ErrWrongArgsFmt, synUpdateLocal))
		return
	}
	idx := m.lookup(string(args[1]))
	if idx == nil {
		c.W.Error(errSynUnknownIndex)
		return
	}
	group, terms, scan := parseSynUpdate(args[2:])
	idx.Lock()
	sp := idx.Spec()
	if sp.Synonyms == nil {
		sp.Synonyms = index.NewSynonymMap()
	}
	sp.Synonyms.Update(group, terms)
	idx.Unlock()
	if scan {
		idx.stopScan()
		m.startScan(idx, true)
	}
	c.W.OK()
}

// parseSynUpdate reads `group [SKIPINITIALSCAN] term…` (at least two
// arguments): SKIPINITIALSCAN is recognized right after the group only, in
// any case, and may be followed by no term at all.
func parseSynUpdate(args [][]byte) (group string, terms []string, scan bool) {
	group, rest := string(args[0]), args[1:]
	scan = true
	if resp.EqualFold(rest[0], "SKIPINITIALSCAN") {
		scan, rest = false, rest[1:]
	}
	terms = make([]string, len(rest))
	for i, t := range rest {
		terms[i] = string(t)
	}
	return group, terms, scan
}

// FT.SYNDUMP index: each term and its group ids, a map in RESP3 (an empty
// one when the index never had synonyms), in the order of the module's
// synonym dict. Answered by the shard that receives it, in cluster mode
// too (the module registers it as a local command).
func (m *Module) cmdSynDump(c *server.Ctx, args [][]byte) {
	name := string(args[1])
	idx := m.lookup(name)
	if idx == nil {
		c.W.Error(noSuchIndex(name))
		return
	}
	idx.RLock()
	syn := idx.Spec().Synonyms
	idx.RUnlock()
	if syn == nil {
		c.W.Map(0)
		return
	}
	entries := syn.Dump()
	c.W.Map(len(entries))
	for _, e := range entries {
		c.W.BulkString(e.Term)
		c.W.StringArray(e.Groups)
	}
}

// FT.SYNADD: gone since RediSearch 2.0, still answered.
func (m *Module) cmdSynAdd(c *server.Ctx, args [][]byte) {
	c.W.Error(errSynAdd)
}
