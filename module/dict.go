package module

import (
	"fmt"

	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/server"
)

// Spell-check dictionaries (src/dictionary.c): named lex-sorted tries held
// by the shard, not keys (KEYS and DBSIZE do not see them); any flush
// clears them. In a cluster FT.DICTADD and FT.DICTDEL go to every shard,
// each keeping its own copy; FT.DICTDUMP answers from the shard asked.

// dict returns a dictionary, creating it (empty) when create is set.
func (m *Module) dict(name string, create bool) *trie.Trie {
	t := m.dicts[name]
	if t == nil && create {
		if m.dicts == nil {
			m.dicts = make(map[string]*trie.Trie)
		}
		t = trie.New(trie.SortLex)
		m.dicts[name] = t
	}
	return t
}

// localArity is the arity error of a local `_FT.*` command that a
// standalone shard's FT.* runs through RedisModule_Call: it names the
// local command.
func localArity(c *server.Ctx, name string) {
	c.W.Error(fmt.Sprintf(server.ErrWrongArgsFmt, name))
}

// FT.DICTADD dict term [term ...]: on one shard the module runs it as
// `_FT.DICTADD` (genericCallUnderscoreVariant); in a cluster every shard
// does.
func (m *Module) cmdDictAddDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.DICTADD", args) {
		m.dictAdd(c, args, "_FT.DICTADD")
	}
}

func (m *Module) cmdDictDelDist(c *server.Ctx, args [][]byte) {
	if !m.distributed(c, "FT.DICTDEL", args) {
		m.dictDel(c, args, "_FT.DICTDEL")
	}
}

// _FT.DICTADD dict term [term ...]
func (m *Module) cmdDictAdd(c *server.Ctx, args [][]byte) { m.dictAdd(c, args, c.Cmd.DeclaredName()) }

// _FT.DICTDEL dict term [term ...]
func (m *Module) cmdDictDel(c *server.Ctx, args [][]byte) { m.dictDel(c, args, c.Cmd.DeclaredName()) }

// dictAdd adds the terms (each with score 1, incremented when already
// there) and answers how many were new. The dictionary exists from then
// on, even when no term could be added.
func (m *Module) dictAdd(c *server.Ctx, args [][]byte, name string) {
	if len(args) < 3 {
		localArity(c, name)
		return
	}
	t := m.dict(string(args[1]), true)
	added := 0
	for _, term := range args[2:] {
		added += t.Insert(string(term), 1, true, "")
	}
	c.W.Int(int64(added))
	c.ReplicateVerbatim()
}

// dictDel deletes the terms and answers how many were there; an emptied
// dictionary goes.
func (m *Module) dictDel(c *server.Ctx, args [][]byte, name string) {
	if len(args) < 3 {
		localArity(c, name)
		return
	}
	dictName := string(args[1])
	deleted := 0
	if t := m.dict(dictName, false); t != nil {
		for _, term := range args[2:] {
			deleted += t.Delete(string(term))
		}
		if t.Size() == 0 {
			delete(m.dicts, dictName)
		}
	}
	c.W.Int(int64(deleted))
	c.ReplicateVerbatim()
}

// FT.DICTDUMP dict: the terms in the dictionary's order (a set in RESP3;
// empty for a dictionary that does not exist).
func (m *Module) cmdDictDump(c *server.Ctx, args [][]byte) {
	t := m.dict(string(args[1]), false)
	if t == nil {
		c.W.Set(0)
		return
	}
	c.W.Set(t.Size())
	t.Each(func(s []trie.Rune, _ float32, _ string) bool {
		c.W.BulkString(trie.String(s))
		return true
	})
}
