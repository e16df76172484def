package server

import (
	"slices"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

func introspectionCommands(s *Server) commandGroup {
	return commandGroup{
		{"command", s.cmdCommand, 0},
		{"command|count", s.cmdCommandCount, 0},
		{"command|info", s.cmdCommandInfo, 0},
		{"command|docs", s.cmdCommandDocs, 0},
		{"command|list", s.cmdCommandList, 0},
		{"command|getkeys", s.cmdCommandGetkeys, 0},
		{"command|help", s.cmdCommandHelp, 0},
	}
}

func (s *Server) cmdCommand(c *Ctx, args [][]byte) {
	all := s.cmds.all()
	c.W.Array(len(all))
	for _, cmd := range all {
		writeCommandInfo(c.W, cmd)
	}
}

func (s *Server) cmdCommandCount(c *Ctx, args [][]byte) { c.W.Int(int64(len(s.cmds.cmds))) }

// lookupFullName finds "name" or "container|sub".
func (s *Server) lookupFullName(name string) *Command {
	name = strings.ToLower(name)
	parent, sub, ok := strings.Cut(name, "|")
	cmd := s.cmds.cmds[parent]
	if cmd == nil || !ok {
		return cmd
	}
	return cmd.subs[sub]
}

func (s *Server) cmdCommandInfo(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		s.cmdCommand(c, args)
		return
	}
	c.W.Array(len(args) - 2)
	for _, a := range args[2:] {
		cmd := s.lookupFullName(string(a))
		if cmd == nil {
			c.W.Null()
			continue
		}
		writeCommandInfo(c.W, cmd)
	}
}

// writeCommandInfo writes a command's COMMAND INFO entry, as Redis 7 lays it
// out: name, arity, flags, first/last/step, ACL categories, tips, key specs,
// subcommands. A module command is named as the module declared it
// ("FT.SEARCH": Redis replies with the command's fullname, which keeps the
// case RM_CreateCommand was given).
func writeCommandInfo(w *resp.Writer, cmd *Command) {
	w.Array(10)
	w.BulkString(cmd.DeclaredName())
	arity := cmd.Arity
	if cmd.Meta.InfoArity != 0 {
		arity = cmd.Meta.InfoArity
	}
	w.Int(int64(arity))
	flags := (cmd.Flags &^ cmd.ourFlags).Names()
	w.Set(len(flags))
	for _, f := range flags {
		w.SimpleString(f)
	}
	w.Int(int64(cmd.FirstKey))
	w.Int(int64(cmd.LastKey))
	w.Int(int64(cmd.KeyStep))
	w.Value(statusSet(cmd.Meta.ACLCategories))
	w.Value(bulkSet(cmd.Meta.Tips))
	w.Set(len(cmd.Meta.KeySpecs))
	for _, ks := range cmd.Meta.KeySpecs {
		w.Value(keySpecValue(ks))
	}
	subs := cmd.subcommands(cmd.infoOrder)
	if len(subs) == 0 {
		// Redis answers an empty set here, an array otherwise.
		w.Set(0)
		return
	}
	w.Array(len(subs))
	for _, sub := range subs {
		writeCommandInfo(w, sub)
	}
}

func (s *Server) cmdCommandDocs(c *Ctx, args [][]byte) {
	var cmds []*Command
	if len(args) == 2 {
		cmds = s.cmds.all()
	} else {
		for _, a := range args[2:] {
			if cmd := s.lookupFullName(string(a)); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	c.W.Map(len(cmds))
	for _, cmd := range cmds {
		c.W.BulkString(cmd.DeclaredName())
		c.W.Value(commandDocValue(cmd))
	}
}

// commandDocValue is a command's COMMAND DOCS map.
func commandDocValue(cmd *Command) resp.Value {
	d := cmd.Meta.Doc
	if d == nil {
		d = &CommandDoc{}
	}
	var kv []resp.Value
	if cmd.Flags&FlagModule != 0 {
		// Module commands: the group is "module" and the module is named.
		if d.Summary != "" {
			kv = append(kv, resp.Bulk("summary"), resp.Bulk(d.Summary))
		}
		if d.Since != "" {
			kv = append(kv, resp.Bulk("since"), resp.Bulk(d.Since))
		}
		kv = append(kv, resp.Bulk("group"), resp.Bulk("module"))
		if d.Complexity != "" {
			kv = append(kv, resp.Bulk("complexity"), resp.Bulk(d.Complexity))
		}
		kv = append(kv, resp.Bulk("module"), resp.Bulk(cmd.module))
		rest := docFields(d)[8:]
		kv = append(kv, rest...)
	} else {
		kv = docFields(d)
	}
	if subs := cmd.subcommands(cmd.docOrder); len(subs) > 0 {
		m := make([]resp.Value, 0, 2*len(subs))
		for _, sub := range subs {
			m = append(m, resp.Bulk(sub.DeclaredName()), commandDocValue(sub))
		}
		kv = append(kv, resp.Bulk("subcommands"), resp.MapOf(m...))
	}
	return resp.MapOf(kv...)
}

func (s *Server) cmdCommandList(c *Ctx, args [][]byte) {
	var match func(cmd *Command) bool
	switch {
	case len(args) == 2:
		match = func(*Command) bool { return true }
	case len(args) == 5 && resp.EqualFold(args[2], "filterby"):
		val := string(args[4])
		switch {
		case resp.EqualFold(args[3], "module"):
			match = func(cmd *Command) bool { return cmd.module == val }
		case resp.EqualFold(args[3], "aclcat"):
			cat := "@" + strings.ToLower(val)
			match = func(cmd *Command) bool {
				for _, a := range cmd.Meta.ACLCategories {
					if a == cat {
						return true
					}
				}
				return false
			}
		case resp.EqualFold(args[3], "pattern"):
			match = func(cmd *Command) bool { return GlobMatch(val, cmd.Name, true) }
		default:
			c.W.Error(ErrSyntax)
			return
		}
	default:
		c.W.Error(ErrSyntax)
		return
	}
	var names []string
	for _, cmd := range s.cmds.all() {
		if match(cmd) {
			names = append(names, cmd.DeclaredName())
		}
		for _, sub := range cmd.subcommands(cmd.infoOrder) {
			if match(sub) {
				names = append(names, sub.DeclaredName())
			}
		}
	}
	c.W.StringArray(names)
}

func (s *Server) cmdCommandGetkeys(c *Ctx, args [][]byte) {
	line := args[2:]
	cmd, unknownSub := s.cmds.lookup(line)
	if cmd == nil || unknownSub {
		c.W.Error("ERR Invalid command specified")
		return
	}
	if (cmd.Arity > 0 && cmd.Arity != len(line)) || len(line) < -cmd.Arity {
		c.W.Error("ERR Invalid number of arguments specified for command")
		return
	}
	pos := cmd.keyPositions(line)
	if onlyNotKeys(cmd) {
		// Shard channels (SPUBLISH, SSUBSCRIBE) route like keys in cluster
		// mode, but COMMAND GETKEYS leaves them out, as Redis does.
		pos = nil
	}
	if len(pos) == 0 && len(cmd.Meta.KeySpecs) > 0 && cmd.FirstKey <= 0 {
		// Movable keys that the line does not give (SINTERCARD 5 k).
		c.W.Error("ERR Invalid arguments specified for command")
		return
	}
	if len(pos) == 0 {
		c.W.Error("ERR The command has no key arguments")
		return
	}
	c.W.Array(len(pos))
	for _, p := range pos {
		c.W.Bulk(line[p])
	}
}

func (s *Server) cmdCommandHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "COMMAND", []string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
		"    Return a list of all commands in this Redis server, filtered as asked.",
	})
}

// onlyNotKeys reports whether every key spec of a command is flagged
// not_key.
func onlyNotKeys(cmd *Command) bool {
	if len(cmd.Meta.KeySpecs) == 0 {
		return false
	}
	for _, ks := range cmd.Meta.KeySpecs {
		if !slices.Contains(ks.Flags, "not_key") {
			return false
		}
	}
	return true
}
