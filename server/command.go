package server

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

// CmdFlags are a command's flags, as COMMAND INFO names them.
type CmdFlags uint32

// Command flags. The order is the order COMMAND INFO lists them in.
const (
	FlagWrite CmdFlags = 1 << iota
	FlagReadOnly
	FlagDenyOOM
	FlagModule
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAsking
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMandatoryKeys
	FlagNoMulti
	FlagMovableKeys
	FlagAllowBusy
	// FlagProtected commands (DEBUG) obey enable-debug-command; not shown.
	FlagProtected
)

var flagNames = []string{"write", "readonly", "denyoom", "module", "admin", "pubsub",
	"noscript", "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking",
	"fast", "no_auth", "may_replicate", "no_mandatory_keys", "no_multi", "movablekeys",
	"allow_busy"}

// ParseFlags turns COMMAND INFO flag names into CmdFlags.
func ParseFlags(names ...string) CmdFlags {
	var f CmdFlags
	for _, n := range names {
		for i, fn := range flagNames {
			if fn == n {
				f |= 1 << i
			}
		}
	}
	return f
}

// Names lists the flags as COMMAND INFO shows them.
func (f CmdFlags) Names() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Handler runs a command. args[0] is the command name (and args[1] the
// subcommand's); the slices are only valid during the call: copy what you
// keep. The reply goes to c.W.
type Handler func(c *Ctx, args [][]byte)

// Command is an entry of the command table.
type Command struct {
	// Name is the lower-case name; a subcommand's is "parent|sub".
	Name     string
	Arity    int
	Flags    CmdFlags
	FirstKey int
	LastKey  int
	KeyStep  int
	Meta     CommandMeta
	Handler  Handler

	parent    *Command
	subs      map[string]*Command
	infoOrder []string // subcommand full names, COMMAND INFO order
	docOrder  []string // COMMAND DOCS order
	stats     commandStats
	// ourFlags are the flags we add to a Redis command (allow-busy):
	// COMMAND INFO shows Redis' own flags only.
	ourFlags CmdFlags
	module   string // the module that registered it
	declared string // the name as registered (module commands keep their case)
}

// DeclaredName is the name as registered: Redis shows a module command's
// name as the module declared it ("FT.SEARCH"), its own in lower case.
func (c *Command) DeclaredName() string {
	if c.declared != "" {
		return c.declared
	}
	return c.Name
}

type commandStats struct {
	calls    int64
	usec     int64
	rejected int64
	failed   int64
}

// IsSubcommand reports whether this is a container's subcommand.
func (c *Command) IsSubcommand() bool { return c.parent != nil }

// Subcommand returns a container's subcommand by name, ignoring case.
func (c *Command) Subcommand(name string) *Command {
	return c.subs[strings.ToLower(name)]
}

// commandTable maps lower-case names to commands.
type commandTable struct {
	cmds map[string]*Command
}

func newCommandTable() *commandTable {
	return &commandTable{cmds: map[string]*Command{}}
}

// lookupName finds a top-level command; name is the raw argument.
func (t *commandTable) lookupName(name []byte) *Command {
	if len(name) > 64 {
		return nil
	}
	var tmp [64]byte
	lower := resp.AppendLower(tmp[:0], name)
	return t.cmds[string(lower)]
}

// lookup resolves a command line to a command or subcommand, as Redis'
// lookupCommand does: a container with a second argument is asked for its
// subcommand. It returns nil when nothing matches, and the container when
// only the subcommand is unknown (so that the caller can say so).
func (t *commandTable) lookup(args [][]byte) (cmd *Command, unknownSub bool) {
	return t.withSub(t.lookupName(args[0]), args)
}

// lookupFor is lookup for a client's command line: the client remembers
// the last name it sent as it sent it (redis-benchmark's "SET"), and the
// command it names, so that a repeated name is neither lowered nor hashed.
// A name, once registered, names the same command for good (the table
// only grows, and refuses a name twice).
func (t *commandTable) lookupFor(c *Client, args [][]byte) (cmd *Command, unknownSub bool) {
	name := args[0]
	base := c.lastBase
	if base == nil || string(name) != string(c.lastName[:c.lastNameLen]) {
		base = t.lookupName(name)
		if base != nil && len(name) <= len(c.lastName) {
			c.lastNameLen = copy(c.lastName[:], name)
			c.lastBase = base
		}
	}
	return t.withSub(base, args)
}

// withSub resolves the subcommand of base (nil: no command) in args.
func (t *commandTable) withSub(base *Command, args [][]byte) (cmd *Command, unknownSub bool) {
	if base == nil {
		return nil, false
	}
	if len(base.subs) == 0 || len(args) == 1 {
		return base, false
	}
	sub := base.subs[resp.Lower(args[1])]
	if sub == nil {
		return base, true
	}
	return sub, false
}

// add registers a top-level command or a subcommand ("parent|sub").
func (t *commandTable) add(c *Command) error {
	if c.module != "" {
		c.declared = c.Name
	}
	c.Name = strings.ToLower(c.Name)
	if parentName, subName, ok := strings.Cut(c.Name, "|"); ok {
		parent := t.cmds[parentName]
		if parent == nil {
			return fmt.Errorf("subcommand %q registered before its container", c.Name)
		}
		if parent.subs == nil {
			parent.subs = map[string]*Command{}
		}
		if _, dup := parent.subs[subName]; dup {
			return fmt.Errorf("command %q registered twice", c.Name)
		}
		c.parent = parent
		parent.subs[subName] = c
		return nil
	}
	if _, dup := t.cmds[c.Name]; dup {
		return fmt.Errorf("command %q registered twice", c.Name)
	}
	t.cmds[c.Name] = c
	return nil
}

// all returns every top-level command, sorted by name.
func (t *commandTable) all() []*Command {
	out := make([]*Command, 0, len(t.cmds))
	for _, c := range t.cmds {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// subcommands returns a container's subcommands in the given order (Redis'
// for Redis commands, then by name).
func (c *Command) subcommands(order []string) []*Command {
	var out []*Command
	seen := map[string]bool{}
	for _, full := range order {
		if s := c.subs[strings.TrimPrefix(full, c.Name+"|")]; s != nil {
			out = append(out, s)
			seen[s.Name] = true
		}
	}
	var rest []*Command
	for _, s := range c.subs {
		if !seen[s.Name] {
			rest = append(rest, s)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Name < rest[j].Name })
	return append(out, rest...)
}

// keyPositions returns the indexes of the key arguments of a command line,
// from first/last/step, or for a command with movable keys from its key
// specs of a count argument (SINTERCARD numkeys key ...), as Redis'
// getKeysUsingKeySpecs reads them (what COMMAND GETKEYS and the cluster
// redirection use). A count that does not fit the line gives no keys.
func (c *Command) keyPositions(args [][]byte) []int {
	argc := len(args)
	switch c.Name { // keyword key specs: STORE's and STOREDIST's keys too
	case "georadius":
		return georadiusKeyPositions(args, 6)
	case "georadiusbymember":
		return georadiusKeyPositions(args, 5)
	}
	if c.FirstKey <= 0 {
		return c.keynumPositions(args)
	}
	last := c.LastKey
	if last < 0 {
		last = argc + last
	}
	step := c.KeyStep
	if step <= 0 {
		step = 1
	}
	var out []int
	for i := c.FirstKey; i <= last && i < argc; i += step {
		out = append(out, i)
	}
	return out
}

func (c *Command) keynumPositions(args [][]byte) []int {
	var out []int
	for _, ks := range c.Meta.KeySpecs {
		if ks.BeginSearch.Type == "keyword" && ks.FindKeys.Type == "range" {
			out = append(out, keywordRangePositions(ks, args)...)
			continue
		}
		if ks.BeginSearch.Type != "index" || ks.FindKeys.Type != "keynum" {
			continue
		}
		first := ks.BeginSearch.Index
		if first+ks.FindKeys.KeyNumIdx >= len(args) {
			return nil
		}
		n, ok := resp.ParseInt(args[first+ks.FindKeys.KeyNumIdx])
		if !ok || n < 0 || n > int64(len(args)) {
			return nil
		}
		first += ks.FindKeys.FirstKey
		last := first + int(n) - 1
		if last >= len(args) {
			return nil
		}
		step := max(ks.FindKeys.KeyStep, 1)
		for i := first; i <= last; i += step {
			out = append(out, i)
		}
	}
	return out
}

// keywordRangePositions reads a key spec that starts after a keyword
// (XREAD … STREAMS k1 k2 id1 id2) as Redis' getKeysUsingKeySpecs: the
// keyword is searched from StartFrom up to, not including, the last
// argument (backwards from the end for a negative StartFrom); a range
// with a Limit takes 1/Limit of the arguments after it (the keys, then as
// many ids). No keyword, no keys.
func keywordRangePositions(ks KeySpec, args [][]byte) []int {
	argc := len(args)
	first := 0
	if from := ks.BeginSearch.StartFrom; from > 0 {
		for i := from; i < argc-1; i++ {
			if strings.EqualFold(string(args[i]), ks.BeginSearch.Keyword) {
				first = i + 1
				break
			}
		}
	} else {
		for i := argc + from; i > 0 && i < argc; i-- {
			if strings.EqualFold(string(args[i]), ks.BeginSearch.Keyword) {
				first = i + 1
				break
			}
		}
	}
	if first == 0 {
		return nil
	}
	fk := ks.FindKeys
	var last int
	switch {
	case fk.LastKey >= 0:
		last = first + fk.LastKey
	case fk.Limit == 0:
		last = argc + fk.LastKey
	default:
		last = first + (argc-first)/fk.Limit + fk.LastKey
	}
	var out []int
	for i := first; i <= last && i < argc; i += max(fk.KeyStep, 1) {
		out = append(out, i)
	}
	return out
}
