package module

import (
	"fmt"
	"math"

	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Suggestion dictionaries (src/suggest.c): FT.SUGADD, FT.SUGGET, FT.SUGDEL
// and FT.SUGLEN work on a key of the module's own data type, "trietype0",
// which holds a score-sorted trie.Trie. They are key commands (their key is
// argument 1): in a cluster the key's shard answers, the others redirect.

// trieTypeName is the name TrieType_Register gives the type.
const trieTypeName = "trietype0"

// errWrongType is REDISMODULE_ERRORMSG_WRONGTYPE.
const errWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

// registerTrieType registers "trietype0", as TrieType_Register does (its
// methods save, load and free the trie; it has no copy callback, so COPY
// refuses its keys).
func (m *Module) registerTrieType(ctx *server.ModuleContext) error {
	m.trieType = &server.DataType{Name: trieTypeName, EncVer: 1}
	return ctx.RegisterDataType(m.trieType)
}

func (m *Module) suggestCommands() []*server.Command {
	write := server.FlagWrite | server.FlagDenyOOM
	ro := server.FlagReadOnly
	key := func(c *server.Command) *server.Command { c.FirstKey, c.LastKey, c.KeyStep = 1, 1, 1; return c }
	return []*server.Command{
		key(&server.Command{Name: "FT.SUGADD", Arity: -4, Flags: write, Handler: m.cmdSugAdd}),
		key(&server.Command{Name: "FT.SUGGET", Arity: -3, Flags: ro, Handler: m.cmdSugGet}),
		key(&server.Command{Name: "FT.SUGDEL", Arity: 3, Flags: server.FlagWrite, Handler: m.cmdSugDel}),
		key(&server.Command{Name: "FT.SUGLEN", Arity: 2, Flags: ro, Handler: m.cmdSugLen}),
		{Name: "FT.DICTADD", Arity: -2, Flags: write, Handler: m.cmdDictAddDist},
		{Name: "FT.DICTDEL", Arity: -2, Flags: server.FlagWrite, Handler: m.cmdDictDelDist},
		{Name: "FT.DICTDUMP", Arity: 2, Flags: ro, Handler: m.cmdDictDump},
		{Name: "FT.SPELLCHECK", Arity: -3, Flags: ro, Handler: m.cmdSpellCheckDist},
		// What coordinators send each shard (cluster mode).
		{Name: "_FT.DICTADD", Arity: -1, Flags: write, Handler: m.cmdDictAdd},
		{Name: "_FT.DICTDEL", Arity: -1, Flags: server.FlagWrite, Handler: m.cmdDictDel},
		{Name: "_FT.SPELLCHECK", Arity: -1, Flags: ro, Handler: m.cmdSpellCheck},
	}
}

// trieAt returns the suggestion trie at a key (nil when there is none),
// after replying WRONGTYPE for a key of another type (ok false).
func (m *Module) trieAt(c *server.Ctx, e *server.Entry) (t *trie.Trie, ok bool) {
	if e == nil {
		return nil, true
	}
	dt, v := e.ModuleValue()
	if dt != m.trieType {
		c.W.Error(errWrongType)
		return nil, false
	}
	return v.(*trie.Trie), true
}

// SugAddArgs are FT.SUGADD's options (after the key, string and score).
type SugAddArgs struct {
	Incr    bool
	Payload string // "" when none: an empty payload is none
}

// ParseSugAddOptions parses FT.SUGADD's INCR and PAYLOAD, with the
// module's errors.
func ParseSugAddOptions(args [][]byte) (SugAddArgs, error) {
	var o SugAddArgs
	cur := &argCursor{args: args}
	for !cur.done() {
		a := cur.next()
		switch {
		case resp.EqualFold(a, "INCR"):
			o.Incr = true
		case resp.EqualFold(a, "PAYLOAD"):
			if cur.done() {
				return o, errorString("Invalid payload: " + acErrNoArg.String())
			}
			o.Payload = string(cur.next())
		default:
			return o, unknownArg(a)
		}
	}
	return o, nil
}

// FT.SUGADD key string score [INCR] [PAYLOAD payload]
func (m *Module) cmdSugAdd(c *server.Ctx, args [][]byte) {
	if len(args) > 7 {
		wrongArity(c)
		return
	}
	opts, err := ParseSugAddOptions(args[4:])
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	key := string(args[1])
	// The key is opened for writing whatever follows: closing it signals
	// it modified (WATCH).
	defer c.DB().SignalModifiedKey(key)
	t, ok := m.trieAt(c, c.LookupWrite(args[1]))
	if !ok {
		return
	}
	score, ok := resp.ParseFloat(args[3])
	if !ok {
		c.W.Error("ERR invalid score")
		return
	}
	if t == nil {
		t = trie.New(trie.SortScore)
		c.DB().SetModuleValue(key, m.trieType, t)
	}
	t.Insert(string(args[2]), score, opts.Incr, opts.Payload)
	c.W.Int(int64(t.Size()))
	c.ReplicateVerbatim()
}

// SugGetArgs are FT.SUGGET's options (after the key and prefix).
type SugGetArgs struct {
	Fuzzy, WithScores, WithPayloads, Trim, Optimize bool
	Max                                             int64
}

// ParseSugGetOptions parses FT.SUGGET's options as the module's argument
// spec does (parseSuggestOptions): each keyword any number of times, MAX
// an unsigned integer of at least 1 (a double is cut to an integer), and
// the module's errors.
func ParseSugGetOptions(args [][]byte) (SugGetArgs, error) {
	o := SugGetArgs{Max: 5}
	cur := &argCursor{args: args}
	for !cur.done() {
		a := cur.next()
		switch {
		case resp.EqualFold(a, "FUZZY"):
			o.Fuzzy = true
		case resp.EqualFold(a, "MAX"):
			n, st := acUnsigned(cur, true, true)
			if st != acOK {
				return o, fmt.Errorf("MAX: %s", st)
			}
			o.Max = n
		case resp.EqualFold(a, "WITHSCORES"):
			o.WithScores = true
		case resp.EqualFold(a, "OPTIMIZE"):
			o.Optimize = true
		case resp.EqualFold(a, "TRIM"):
			o.Trim = true
		case resp.EqualFold(a, "WITHPAYLOADS"):
			o.WithPayloads = true
		default:
			return o, fmt.Errorf("Unrecognized argument: %s", a)
		}
	}
	return o, nil
}

// acUnsigned is the module's AC_GetUnsigned over a Redis string: an
// integer (string2ll), else a double (string2d) within the flags' bounds
// and integral (any double, cut to an integer, with coalesce); a double
// that fails is "could not convert" (tryReadAsDouble), an integer under 0
// (under 1 with ge1) or over UINT_MAX is out of bounds. The cursor moves
// on only over a good value.
func acUnsigned(cur *argCursor, ge1, coalesce bool) (int64, acStatus) {
	if cur.done() {
		return 0, acErrNoArg
	}
	a := cur.peek()
	v, ok := resp.ParseInt(a)
	if !ok {
		d, ok := resp.ParseFloat(a)
		if !ok || d < 0 || (ge1 && d < 1) {
			return 0, acErrParse
		}
		v = cLongLong(d)
		if !coalesce && float64(v) != d {
			return 0, acErrParse
		}
	}
	if v < 0 || (ge1 && v < 1) || v > math.MaxUint32 {
		return 0, acErrELimit
	}
	cur.i++
	return v, acOK
}

// cLongLong is C's (long long) of a double on x86-64: out of range (and
// NaN) it is LLONG_MIN.
func cLongLong(d float64) int64 {
	const two63 = 1 << 63
	if d >= -two63 && d < two63 {
		return int64(d)
	}
	return math.MinInt64
}

// sugMaxQueryBytes is TRIE_MAX_PREFIX * sizeof(rune): FT.SUGGET refuses a
// prefix that long.
const sugMaxQueryBytes = trie.MaxPrefix * 2

// FT.SUGGET key prefix [FUZZY] [MAX num] [WITHSCORES] [WITHPAYLOADS] [TRIM] [OPTIMIZE]
func (m *Module) cmdSugGet(c *server.Ctx, args [][]byte) {
	if len(args) > 10 {
		wrongArity(c)
		return
	}
	prefix := string(args[2])
	if len(prefix) >= sugMaxQueryBytes {
		c.W.Error("Invalid query length")
		return
	}
	opts, err := ParseSugGetOptions(args[3:])
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	t, ok := m.trieAt(c, c.LookupRead(args[1]))
	if !ok {
		return
	}
	if t == nil {
		c.W.Array(0)
		return
	}
	dist := 0
	if opts.Fuzzy {
		dist = 1
	}
	res, ok := t.Search(prefix, int(opts.Max), dist, true, opts.Trim)
	if !ok {
		c.W.Error("Invalid query")
		return
	}
	per := 1
	if opts.WithScores {
		per++
	}
	if opts.WithPayloads {
		per++
	}
	c.W.Array(len(res) * per)
	for _, r := range res {
		c.W.BulkString(r.Str)
		if opts.WithScores {
			c.W.Double(float64(r.Score))
		}
		if opts.WithPayloads {
			if r.Payload != "" {
				c.W.BulkString(r.Payload)
			} else {
				c.W.Null()
			}
		}
	}
}

// FT.SUGDEL key string
func (m *Module) cmdSugDel(c *server.Ctx, args [][]byte) {
	c.ReplicateVerbatim() // before anything, as the module does
	key := string(args[1])
	defer c.DB().SignalModifiedKey(key)
	t, ok := m.trieAt(c, c.LookupWrite(args[1]))
	if !ok {
		return
	}
	if t == nil {
		c.W.Int(0)
		return
	}
	c.W.Int(int64(t.Delete(string(args[2]))))
	if t.Size() == 0 {
		c.DB().DeleteKey(key)
	}
}

// FT.SUGLEN key
func (m *Module) cmdSugLen(c *server.Ctx, args [][]byte) {
	t, ok := m.trieAt(c, c.LookupRead(args[1]))
	if !ok {
		return
	}
	if t == nil {
		c.W.Int(0)
		return
	}
	c.W.Int(int64(t.Size()))
}
