package server

//go:generate go run ./internal/gencmdmeta -out command_meta_gen.go

// commandFacts are the facts of a Redis command as a stock redis-server reports
// them in COMMAND INFO and COMMAND DOCS.
type commandFacts struct {
	Arity           int
	Flags           []string
	FirstKey        int
	LastKey         int
	KeyStep         int
	Meta            CommandMeta
	InfoSubcommands []string // COMMAND INFO order of a container's subcommands
	DocSubcommands  []string // COMMAND DOCS order
}
