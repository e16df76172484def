package server

import "fmt"

// redisCommand builds a command table entry from the facts a stock
// redis-server reports for it (arity, flags, keys, docs) and our handler.
// extra adds flags of ours (PING, ECHO, INFO and CONFIG GET are allow-busy,
// for instance: ARCHITECTURE.md, "Yields").
func redisCommand(name string, h Handler, extra CmdFlags) *Command {
	f := redisCommandFacts[name]
	if f == nil {
		panic(fmt.Sprintf("no Redis facts for command %q", name))
	}
	return &Command{
		Name:      name,
		Arity:     f.Arity,
		Flags:     ParseFlags(f.Flags...) | extra,
		FirstKey:  f.FirstKey,
		LastKey:   f.LastKey,
		KeyStep:   f.KeyStep,
		Meta:      f.Meta,
		Handler:   h,
		infoOrder: f.InfoSubcommands,
		docOrder:  f.DocSubcommands,
		ourFlags:  extra &^ ParseFlags(f.Flags...),
	}
}

// commandGroup is one file's worth of commands: name, handler, extra flags.
type commandGroup []struct {
	name  string
	h     Handler
	extra CmdFlags
}

func (s *Server) registerCoreCommands() error {
	groups := []commandGroup{
		connectionCommands(s),
		clientCommands(s),
		serverCommands(s),
		introspectionCommands(s),
		transactionCommands(s),
		stringCommands(s),
		bitmapCommands(s),
		hllCommands(s),
		hashCommands(s),
		hashTTLCommands(s),
		listCommands(s),
		setCommands(s),
		streamCommands(s),
		scriptingCommands(s),
		zsetCommands(s),
		geoCommands(s),
		keyCommands(s),
		dumpCommands(s),
		clusterCommands(s),
		pubsubCommands(s),
	}
	for _, g := range groups {
		for _, e := range g {
			var cmd *Command
			if redisCommandFacts[e.name] != nil {
				cmd = redisCommand(e.name, e.h, e.extra)
			} else if c := extraCommandSpecs[e.name]; c != nil {
				cp := *c
				cp.Handler = e.h
				cp.Flags |= e.extra
				cmd = &cp
			} else {
				return fmt.Errorf("command %q has no specification", e.name)
			}
			if err := s.cmds.add(cmd); err != nil {
				return err
			}
		}
	}
	return nil
}

// extraCommandSpecs describe the commands a Redis 7.0 server does not have
// (newer Redis versions' CLIENT SETINFO and NO-TOUCH) or that are ours.
var extraCommandSpecs = map[string]*Command{
	"client|setinfo": {
		Name: "client|setinfo", Arity: 4,
		Flags: FlagNoScript | FlagLoading | FlagStale | FlagAllowBusy,
		Meta: CommandMeta{
			ACLCategories: []string{"@slow", "@connection"},
			Tips:          []string{"request_policy:all_nodes", "response_policy:all_succeeded"},
			Doc: &CommandDoc{Summary: "Sets information specific to the client or connection.", Since: "7.2.0", Group: "connection", Complexity: "O(1)",
				Arguments: []ArgDoc{{Name: "attr", Type: "oneof", Arguments: []ArgDoc{
					{Name: "libname", Type: "string", Token: "LIB-NAME"},
					{Name: "libver", Type: "string", Token: "LIB-VER"},
				}}}},
		},
	},
	"client|no-touch": {
		Name: "client|no-touch", Arity: 3,
		Flags: FlagNoScript | FlagLoading | FlagStale,
		Meta: CommandMeta{
			ACLCategories: []string{"@slow", "@connection"},
			Doc: &CommandDoc{Summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", Since: "7.2.0", Group: "connection", Complexity: "O(1)",
				Arguments: []ArgDoc{{Name: "enabled", Type: "oneof", Arguments: []ArgDoc{
					{Name: "on", Type: "pure-token", Token: "ON"},
					{Name: "off", Type: "pure-token", Token: "OFF"},
				}}}},
		},
	},
}
