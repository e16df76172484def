package rejson

import (
	"math"
	"sort"
	"strconv"

	"github.com/miniredis-search/miniredis-search/rejson/jsonpath"
	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// The module's error replies.
const (
	errWrongType  = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errNoKey      = "ERR could not perform this operation on a key that doesn't exist"
	errRoot       = "ERR new objects must be created at the root"
	errSyntax     = "ERR syntax error"
	errNotInt     = "Couldn't parse as integer"
	errIndexOOB   = "ERR index out of bounds"
	errArrayIndex = "ERR array index out of range"
	errNotStatic  = "Err wrong static path"
	errNaN        = "result is not a number"
	errBadNumber  = "bad input number"
	errDebugSub   = "ERR unknown subcommand - try `JSON.DEBUG HELP`"
)

func pathNotExist(p string) string { return "ERR Path '" + p + "' does not exist" }

func pathNotExistOr(p, or string) string {
	return "ERR Path '" + p + "' does not exist or " + or
}

func expected(exp, found string) string {
	return "WRONGTYPE wrong type of path value - expected " + exp + " but found " + found
}

// wrongArity is RedisModule_WrongArity: the command named as typed.
func wrongArity(c *server.Ctx, args [][]byte) {
	c.W.Error("ERR wrong number of arguments for '" + string(args[0]) + "' command")
}

// doc is the document at key (nil: no key); ok false after a WRONGTYPE
// reply.
func (m *Module) doc(c *server.Ctx, key []byte, write bool) (d *Doc, ok bool) {
	var e *server.Entry
	if write {
		e = c.LookupWrite(key)
	} else {
		e = c.LookupRead(key)
	}
	if e == nil {
		return nil, true
	}
	dt, v := e.ModuleValue()
	if dt != m.typ {
		c.W.Error(errWrongType)
		return nil, false
	}
	return v.(*Doc), true
}

func parsePath(c *server.Ctx, s []byte) (*jsonpath.Path, bool) {
	p, err := jsonpath.Parse(string(s))
	if err != nil {
		c.W.Error(err.Error())
		return nil, false
	}
	return p, true
}

func parseJSON(c *server.Ctx, s []byte) (jsonv.Value, bool) {
	v, err := jsonv.Parse(string(s))
	if err != nil {
		c.W.Error(err.Error())
		return v, false
	}
	return v, true
}

// changed sends the module's keyspace event and counts the change
// (apply_changes: RedisModule_NotifyKeyspaceEvent, ReplicateVerbatim).
func (m *Module) changed(c *server.Ctx, key []byte, event string) {
	c.NotifyKeyspaceEvent(server.EventModule, event, string(key))
}

// writeKey is a write command's key: closing a key opened for writing
// signals it modified (WATCH), whatever the command did.
func writeKey(c *server.Ctx, key []byte) { c.DB().SignalModifiedKey(string(key)) }

// topMost keeps the locations no other location contains, ordered so that
// removing them one after the other leaves the others valid (deeper and
// higher indices first).
func topMost(ms []jsonpath.Match) []jsonpath.Match {
	sort.SliceStable(ms, func(i, j int) bool { return lessLoc(ms[j].Loc, ms[i].Loc) })
	out := ms[:0]
	for i, a := range ms {
		nested := false
		for j, b := range ms {
			if i != j && len(b.Loc) < len(a.Loc) && isPrefix(b.Loc, a.Loc) {
				nested = true
				break
			}
		}
		if !nested && (len(out) == 0 || !sameLoc(out[len(out)-1].Loc, a.Loc)) {
			out = append(out, a)
		}
	}
	return out
}

func lessLoc(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func isPrefix(p, a []int) bool {
	for i := range p {
		if p[i] != a[i] {
			return false
		}
	}
	return true
}

func sameLoc(a, b []int) bool { return len(a) == len(b) && isPrefix(a, b) }

// touch is the entry RedisJSON's update/replace take on a path's last
// step before writing there (ivalue_manager.rs: obj.entry(token)): when
// the value at loc is an object's member, that object reserves room for
// one more (jsonv.Value.Reserve), which grows a full one. Only JSON.DEBUG
// MEMORY sees it.
func touch(root *jsonv.Value, loc []int) {
	if len(loc) == 0 {
		return
	}
	if parent := resolve(root, loc[:len(loc)-1]); parent != nil && parent.Kind() == jsonv.Object {
		parent.Reserve(1)
	}
}

// resolve is the value at loc now (nil when the location went away).
func resolve(root *jsonv.Value, loc []int) *jsonv.Value {
	v := root
	for _, i := range loc {
		if (v.Kind() != jsonv.Array && v.Kind() != jsonv.Object) || i >= v.Len() {
			return nil
		}
		v = v.Index(i)
	}
	return v
}

// plan is where a JSON.SET or JSON.MERGE at path writes (find_paths):
// the existing values the path selects (nested ones left out when top
// is set), or, with none (and not XX), the objects that get a new member
// name, as a static path's parent selects them. A path that is not
// static, or an index out of range, is an error.
func plan(root *jsonv.Value, p *jsonpath.Path, nx, xx, top bool) (found, parents []jsonpath.Match, name string, errMsg string) {
	if !nx {
		found = p.Matches(root)
		if top {
			found = topMost(found)
		}
		if len(found) > 0 || xx {
			return found, nil, "", ""
		}
	}
	if xx {
		return nil, nil, "", ""
	}
	if !p.Static() {
		return nil, nil, "", errNotStatic
	}
	parent, name, isName := p.Parent()
	if !isName {
		if len(p.Values(root)) == 0 {
			return nil, nil, "", errArrayIndex
		}
		return nil, nil, "", ""
	}
	return nil, parent.Matches(root), name, ""
}

// addMember adds name to each object in parents that lacks it
// (dict_add), reporting whether any was added. With one place to write
// (one parent here, or one value found) the module writes the parsed value
// itself, with several a clone to each (capacities differ: see
// jsonv.Value.Clone); single says which.
func addMember(root *jsonv.Value, parents []jsonpath.Match, name string, val jsonv.Value, single bool) bool {
	added := false
	for _, mt := range parents {
		touch(root, mt.Loc)
		pv := resolve(root, mt.Loc)
		if pv == nil || pv.Kind() != jsonv.Object {
			continue
		}
		if v, _ := pv.Lookup(name); v != nil {
			continue
		}
		if single {
			pv.Put(name, val)
		} else {
			pv.Put(name, val.Clone())
		}
		added = true
	}
	return added
}

// setFound writes val at each of found (set_value): the parsed value itself
// when it is the only place to write, else a clone to each.
func setFound(root *jsonv.Value, found []jsonpath.Match, val jsonv.Value, single bool) bool {
	updated := false
	for _, mt := range found {
		touch(root, mt.Loc)
		v := resolve(root, mt.Loc)
		if v == nil {
			continue
		}
		if single {
			*v = val
		} else {
			*v = val.Clone()
		}
		updated = true
	}
	return updated
}

// JSON.SET key path value [NX | XX]
func (m *Module) cmdSet(c *server.Ctx, args [][]byte) {
	key := args[1]
	nx, xx := false, false
	for _, a := range args[4:] {
		switch {
		case resp.EqualFold(a, "NX") && !nx && !xx:
			nx = true
		case resp.EqualFold(a, "XX") && !nx && !xx:
			xx = true
		default:
			c.W.Error(errSyntax)
			return
		}
	}
	defer writeKey(c, key)
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	val, ok := parseJSON(c, args[3])
	if !ok {
		return
	}
	if d == nil {
		// Only the root path is looked at (textually) for a new key.
		switch {
		case xx:
			c.W.Null()
		case isRootText(args[2]):
			c.DB().SetModuleValue(string(key), m.typ, &Doc{Root: val})
			m.changed(c, key, "json.set")
			c.W.OK()
		default:
			c.W.Error(errRoot)
		}
		return
	}
	p, ok := parsePath(c, args[2])
	if !ok {
		return
	}
	if p.IsRoot() {
		if nx {
			c.W.Null()
			return
		}
		d.Root = val
		m.changed(c, key, "json.set")
		c.W.OK()
		return
	}
	found, parents, name, errMsg := plan(&d.Root, p, nx, xx, true)
	if errMsg != "" {
		c.W.Error(errMsg)
		return
	}
	single := len(found)+len(parents) == 1
	updated := addMember(&d.Root, parents, name, val, single)
	updated = setFound(&d.Root, found, val, single) || updated
	if !updated {
		c.W.Null()
		return
	}
	m.changed(c, key, "json.set")
	c.W.OK()
}

// legacyText tells a legacy path from a JSONPath before parsing it (a
// command on a missing key answers without looking at its path).
func legacyText(p []byte) bool { return len(p) == 0 || p[0] != '$' }

// pathOr is the optional path argument at args[i], the legacy root "."
// when absent.
func pathOr(args [][]byte, i int) []byte {
	if i < len(args) {
		return args[i]
	}
	return []byte(".")
}

// isRootText is the root path, "$" or the legacy ".".
func isRootText(p []byte) bool { return string(p) == "$" || string(p) == "." }

// getOptions are JSON.GET's formatting options.
// The reply formats of JSON.GET's FORMAT (redisjson.rs ReplyFormat).
const (
	replyString = iota
	replyExpand1
	replyExpand
	replyStrings // JSON.ARRPOP's default: each value as JSON text
)

func getArgs(c *server.Ctx, args [][]byte) (jsonv.Format, []string, int, bool) {
	var f jsonv.Format
	var paths []string
	mode := replyString
	for i := 2; i < len(args); i++ {
		a := args[i]
		if len(a) <= 8 {
			if resp.EqualFold(a, "FORMAT") {
				// commands.rs json_get: refused on RESP2 unless a path came
				// first; the token is matched exactly (ReplyFormat::from_str)
				// and STRINGS is refused; it only shapes RESP3 replies.
				if !c.W.Resp3() && len(paths) == 0 {
					c.W.Error("ERR FORMAT argument is not supported on RESP2")
					return f, nil, 0, false
				}
				if i+1 >= len(args) {
					wrongArity(c, args)
					return f, nil, 0, false
				}
				i++
				switch string(args[i]) {
				case "STRING":
					mode = replyString
				case "EXPAND1":
					mode = replyExpand1
				case "EXPAND":
					mode = replyExpand
				default:
					c.W.Error("ERR wrong reply format")
					return f, nil, 0, false
				}
				continue
			}
			var dst *string
			switch {
			case resp.EqualFold(a, "INDENT"):
				dst = &f.Indent
			case resp.EqualFold(a, "NEWLINE"):
				dst = &f.Newline
			case resp.EqualFold(a, "SPACE"):
				dst = &f.Space
			case resp.EqualFold(a, "NOESCAPE"):
				continue
			}
			if dst != nil {
				if i+1 >= len(args) {
					wrongArity(c, args)
					return f, nil, 0, false
				}
				i++
				*dst = string(args[i])
				continue
			}
		}
		paths = append(paths, string(a))
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return f, paths, mode, true
}

// writeFormatted is JSON.GET's RESP3 reply under FORMAT EXPAND1|EXPAND
// (key_value.rs to_resp3): an array per path (empty when the path does not
// compile) of its values, scalars as RESP3 types; containers expanded
// (EXPAND) or serialized with the INDENT/NEWLINE/SPACE options (EXPAND1).
func writeFormatted(w *resp.Writer, d *Doc, paths []string, mode int, f jsonv.Format) {
	w.Array(len(paths))
	for _, s := range paths {
		p, err := jsonpath.Parse(s)
		if err != nil {
			w.Array(0)
			continue
		}
		vals := p.Values(&d.Root)
		w.Array(len(vals))
		for _, v := range vals {
			writeResp3Value(w, v, mode, f)
		}
	}
}

func writeResp3Value(w *resp.Writer, v *jsonv.Value, mode int, f jsonv.Format) {
	switch v.Kind() {
	case jsonv.Null:
		w.Null()
	case jsonv.Bool:
		w.Bool(v.Bool())
	case jsonv.Int:
		w.Int(v.IntVal())
	case jsonv.Float:
		w.Double(v.FloatVal())
	case jsonv.String:
		if mode == replyExpand {
			w.BulkString(v.Str())
		} else {
			w.Bulk(jsonv.AppendFormatted(nil, v, f))
		}
	case jsonv.Array:
		if mode != replyExpand {
			w.Bulk(jsonv.AppendFormatted(nil, v, f))
			return
		}
		w.Array(v.Len())
		for i := 0; i < v.Len(); i++ {
			writeResp3Value(w, v.Index(i), mode, f)
		}
	case jsonv.Object:
		if mode != replyExpand {
			w.Bulk(jsonv.AppendFormatted(nil, v, f))
			return
		}
		w.Map(v.Len())
		for i := 0; i < v.Len(); i++ {
			w.BulkString(v.KeyAt(i))
			writeResp3Value(w, v.Index(i), mode, f)
		}
	}
}

// JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...]
func (m *Module) cmdGet(c *server.Ctx, args [][]byte) {
	f, paths, mode, ok := getArgs(c, args)
	if !ok {
		return
	}
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return
	}
	if d == nil {
		c.W.Null()
		return
	}
	if mode != replyString && c.W.Resp3() {
		writeFormatted(c.W, d, paths, mode, f)
		return
	}
	if len(paths) == 1 {
		p, ok := parsePath(c, []byte(paths[0]))
		if !ok {
			return
		}
		vals := p.Values(&d.Root)
		if p.Legacy {
			if len(vals) == 0 {
				c.W.Error(pathNotExist(p.Normalized()))
				return
			}
			c.W.Bulk(jsonv.AppendFormatted(nil, vals[0], f))
			return
		}
		c.W.Bulk(jsonv.AppendArrayOf(nil, vals, f))
		return
	}
	// Several paths: an object keyed by path (a path that does not parse
	// is left out; a repeated path once).
	legacy := true
	parsed := make([]*jsonpath.Path, len(paths))
	for i, s := range paths {
		p, err := jsonpath.Parse(s)
		if err == nil {
			parsed[i] = p
			legacy = legacy && p.Legacy
		} else if !jsonpathLegacy(s) {
			legacy = false
		}
	}
	obj := jsonv.NewObject()
	for i, p := range parsed {
		if p == nil {
			continue
		}
		vals := p.Values(&d.Root)
		var v jsonv.Value
		if legacy {
			if len(vals) == 0 {
				c.W.Error(pathNotExist(paths[i]))
				return
			}
			v = *vals[0]
		} else {
			elems := make([]jsonv.Value, len(vals))
			for j, x := range vals {
				elems[j] = *x
			}
			v = jsonv.NewArray(elems)
		}
		obj.Put(paths[i], v)
	}
	c.W.Bulk(jsonv.AppendFormatted(nil, &obj, f))
}

func jsonpathLegacy(s string) bool { return len(s) == 0 || s[0] != '$' }

// JSON.MGET key [key ...] path
func (m *Module) cmdMGet(c *server.Ctx, args [][]byte) {
	p, perr := jsonpath.Parse(string(args[len(args)-1]))
	keys := args[1 : len(args)-1]
	c.W.Array(len(keys))
	for _, k := range keys {
		e := c.LookupRead(k)
		if e == nil || perr != nil {
			c.W.Null()
			continue
		}
		dt, v := e.ModuleValue()
		if dt != m.typ {
			c.W.Null()
			continue
		}
		vals := p.Values(&v.(*Doc).Root)
		if p.Legacy {
			if len(vals) == 0 {
				c.W.Null()
				continue
			}
			c.W.Bulk(jsonv.AppendJSON(nil, vals[0]))
			continue
		}
		c.W.Bulk(jsonv.AppendArrayOf(nil, vals, jsonv.Format{}))
	}
}

// JSON.MSET key path value [key path value ...]
func (m *Module) cmdMSet(c *server.Ctx, args [][]byte) {
	if (len(args)-1)%3 != 0 {
		wrongArity(c, args)
		return
	}
	type action struct {
		key  []byte
		d    *Doc
		p    *jsonpath.Path
		val  jsonv.Value
		locs []jsonpath.Match
	}
	var acts []action
	for i := 1; i < len(args); i += 3 {
		key := args[i]
		defer writeKey(c, key)
		d, ok := m.doc(c, key, true)
		if !ok {
			return
		}
		p, ok := parsePath(c, args[i+1])
		if !ok {
			return
		}
		a := action{key: key, d: d, p: p}
		if !p.IsRoot() {
			if d == nil {
				c.W.Error(errRoot)
				return
			}
			if _, _, _, errMsg := plan(&d.Root, p, false, false, true); errMsg != "" {
				c.W.Error(errMsg)
				return
			}
		}
		if a.val, ok = parseJSON(c, args[i+2]); !ok {
			return
		}
		acts = append(acts, a)
	}
	for _, a := range acts {
		if a.p.IsRoot() {
			if d, _ := m.docNoReply(c, a.key); d != nil {
				d.Root = a.val
			} else {
				c.DB().SetModuleValue(string(a.key), m.typ, &Doc{Root: a.val})
			}
			m.changed(c, a.key, "json.mset")
			continue
		}
		d, _ := m.docNoReply(c, a.key)
		if d == nil {
			continue
		}
		found, parents, name, _ := plan(&d.Root, a.p, false, false, true)
		single := len(found)+len(parents) == 1
		updated := addMember(&d.Root, parents, name, a.val, single)
		updated = setFound(&d.Root, found, a.val, single) || updated
		if updated {
			m.changed(c, a.key, "json.mset")
		}
	}
	c.W.OK()
}

// docNoReply is the JSON document at key, without a reply for another type.
func (m *Module) docNoReply(c *server.Ctx, key []byte) (*Doc, bool) {
	e := c.DB().Lookup(string(key))
	if e == nil {
		return nil, false
	}
	dt, v := e.ModuleValue()
	if dt != m.typ {
		return nil, false
	}
	return v.(*Doc), true
}

// JSON.MERGE key path value
func (m *Module) cmdMerge(c *server.Ctx, args [][]byte) {
	key := args[1]
	if len(args) > 4 {
		c.W.Error(errSyntax)
		return
	}
	defer writeKey(c, key)
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	val, ok := parseJSON(c, args[3])
	if !ok {
		return
	}
	if d == nil {
		if !isRootText(args[2]) {
			c.W.Error(errRoot)
			return
		}
		c.DB().SetModuleValue(string(key), m.typ, &Doc{Root: val})
		m.changed(c, key, "json.merge")
		c.W.OK()
		return
	}
	p, ok := parsePath(c, args[2])
	if !ok {
		return
	}
	if p.IsRoot() {
		d.Root.Merge(&val)
		m.changed(c, key, "json.merge")
		c.W.OK()
		return
	}
	found, parents, name, errMsg := plan(&d.Root, p, false, false, false)
	if errMsg != "" {
		c.W.Error(errMsg)
		return
	}
	updated := addMember(&d.Root, parents, name, val, len(found)+len(parents) == 1)
	for _, mt := range found {
		touch(&d.Root, mt.Loc)
		if v := resolve(&d.Root, mt.Loc); v != nil {
			v.Merge(&val)
			updated = true
		}
	}
	if !updated {
		c.W.Null()
		return
	}
	m.changed(c, key, "json.merge")
	c.W.OK()
}

// JSON.DEL key [path]
func (m *Module) cmdDel(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	path := []byte(".")
	if len(args) > 2 {
		path = args[2]
	}
	if d == nil {
		c.W.Int(0)
		return
	}
	p, ok := parsePath(c, path)
	if !ok {
		return
	}
	if p.IsRoot() {
		c.DB().DeleteKey(string(key))
		m.changed(c, key, "json.del")
		c.W.Int(1)
		return
	}
	n := 0
	for _, mt := range topMost(p.Matches(&d.Root)) {
		touch(&d.Root, mt.Loc)
		_, parent, pos := jsonpath.At(&d.Root, mt.Loc)
		parent.RemoveAt(pos)
		n++
	}
	if n > 0 {
		m.changed(c, key, "json.del")
	}
	c.W.Int(int64(n))
}

// readPath parses the optional path argument at args[i] (legacy "." by
// default).
func readPath(c *server.Ctx, args [][]byte, i int) (*jsonpath.Path, bool) {
	if i < len(args) {
		return parsePath(c, args[i])
	}
	return parsePath(c, []byte("."))
}

// JSON.TYPE key [path]
func (m *Module) cmdType(c *server.Ctx, args [][]byte) {
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return
	}
	if d == nil {
		if c.W.Resp3() {
			c.W.Array(1)
		}
		c.W.Null()
		return
	}
	p, ok := readPath(c, args, 2)
	if !ok {
		return
	}
	if c.W.Resp3() {
		c.W.Array(1)
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		if len(vals) == 0 {
			c.W.Null()
			return
		}
		c.W.BulkString(vals[0].TypeName())
		return
	}
	c.W.Array(len(vals))
	for _, v := range vals {
		c.W.BulkString(v.TypeName())
	}
}

type numOpKind int

const (
	opIncr numOpKind = iota
	opMult
)

// numOp is JSON.NUMINCRBY / JSON.NUMMULTBY key path number.
func (m *Module) numOp(event string, op numOpKind) server.Handler {
	return func(c *server.Ctx, args [][]byte) {
		key := args[1]
		defer writeKey(c, key)
		d, ok := m.doc(c, key, true)
		if !ok {
			return
		}
		if d == nil {
			c.W.Error(errNoKey)
			return
		}
		p, ok := parsePath(c, args[2])
		if !ok {
			return
		}
		// The module reads the number only when a path matched a number
		// (ivalue_manager.rs do_num_op, called per numeric match): text
		// that is no JSON is "ERR " + serde_json's message (redis-module's
		// From<std::error::Error>), JSON that is no number "bad input
		// number"; with no numeric match the argument is never read.
		var in jsonv.Value
		parsed := false
		ms := p.Matches(&d.Root)
		results := make([]*jsonv.Value, len(ms))
		any := false
		for i, mt := range ms {
			v := resolve(&d.Root, mt.Loc)
			if v == nil || !v.IsNumber() {
				continue
			}
			if !parsed {
				var err error
				if in, err = jsonv.Parse(string(args[3])); err != nil {
					c.W.Error("ERR " + err.Error())
					return
				}
				if !in.IsNumber() {
					c.W.Error(errBadNumber)
					return
				}
				parsed = true
			}
			touch(&d.Root, mt.Loc) // v stays valid: only a capacity changes
			r, err := applyNum(v, &in, op)
			if err != "" {
				c.W.Error(err)
				return
			}
			*v = r
			results[i] = v
			any = true
		}
		if !p.Legacy && !any {
			// nothing changed: no event
		} else if p.Legacy && !any {
			c.W.Error(pathNotExistOr(p.Normalized(), "does not contains a number"))
			return
		}
		if any {
			m.changed(c, key, event)
		}
		switch {
		case c.W.Resp3():
			c.W.Array(len(results))
			for _, r := range results {
				switch {
				case r == nil:
					c.W.Null()
				case r.Kind() == jsonv.Int:
					c.W.Int(r.IntVal())
				default:
					c.W.Double(r.FloatVal())
				}
			}
		case p.Legacy:
			var last *jsonv.Value
			for _, r := range results {
				if r != nil {
					last = r
				}
			}
			c.W.Bulk(jsonv.AppendJSON(nil, last))
		default:
			null := jsonv.NewNull()
			vals := make([]*jsonv.Value, len(results))
			for i, r := range results {
				vals[i] = r
				if r == nil {
					vals[i] = &null
				}
			}
			c.W.Bulk(jsonv.AppendArrayOf(nil, vals, jsonv.Format{}))
		}
	}
}

// applyNum is the module's arithmetic: two integers give an integer
// (wrapping around on overflow, as its i64::wrapping_add/wrapping_mul),
// anything else a float; a float result that is not a finite number is
// an error.
func applyNum(v, in *jsonv.Value, op numOpKind) (jsonv.Value, string) {
	if v.Kind() == jsonv.Int && in.Kind() == jsonv.Int {
		if op == opIncr {
			return jsonv.NewInt(v.IntVal() + in.IntVal()), ""
		}
		return jsonv.NewInt(v.IntVal() * in.IntVal()), ""
	}
	var r float64
	if op == opIncr {
		r = v.FloatVal() + in.FloatVal()
	} else {
		r = v.FloatVal() * in.FloatVal()
	}
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return jsonv.Value{}, errNaN
	}
	return jsonv.NewFloat(r), ""
}

// JSON.TOGGLE key path
func (m *Module) cmdToggle(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	d, p, ok := m.writeTarget(c, key, args[2])
	if !ok {
		return
	}
	ms := p.Matches(&d.Root)
	res := make([]int, len(ms)) // -1 not a bool
	any, last := false, false
	for i, mt := range ms {
		v := resolve(&d.Root, mt.Loc)
		if v == nil || v.Kind() != jsonv.Bool {
			res[i] = -1
			continue
		}
		touch(&d.Root, mt.Loc)
		v.SetBool(!v.Bool())
		last, any = v.Bool(), true
		if last {
			res[i] = 1
		}
	}
	if p.Legacy && !any {
		c.W.Error(pathNotExistOr(p.Normalized(), "not a bool"))
		return
	}
	if any {
		m.changed(c, key, "json.toggle")
	}
	if p.Legacy {
		c.W.BulkString(strconv.FormatBool(last))
		return
	}
	intsOrNull(c, res)
}

// intsOrNull replies an array of integers, -1 standing for null.
func intsOrNull(c *server.Ctx, res []int) {
	c.W.Array(len(res))
	for _, n := range res {
		if n < 0 {
			c.W.Null()
		} else {
			c.W.Int(int64(n))
		}
	}
}

// JSON.STRAPPEND key [path] value
func (m *Module) cmdStrAppend(c *server.Ctx, args [][]byte) {
	if len(args) > 4 {
		wrongArity(c, args)
		return
	}
	key := args[1]
	pathArg, valArg := []byte("."), args[2]
	if len(args) == 4 {
		pathArg, valArg = args[2], args[3]
	}
	defer writeKey(c, key)
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	if d == nil {
		c.W.Error(errNoKey)
		return
	}
	p, ok := parsePath(c, pathArg)
	if !ok {
		return
	}
	in, ok := parseJSON(c, valArg)
	if !ok {
		return
	}
	if in.Kind() != jsonv.String {
		// The module names the argument as given, not its type.
		c.W.Error(expected("string", string(valArg)))
		return
	}
	ms := p.Matches(&d.Root)
	res := make([]int, len(ms))
	any, last := false, 0
	for i, mt := range ms {
		v := resolve(&d.Root, mt.Loc)
		if v == nil || v.Kind() != jsonv.String {
			res[i] = -1
			continue
		}
		touch(&d.Root, mt.Loc)
		v.SetString(v.Str() + in.Str())
		res[i], last, any = len(v.Str()), len(v.Str()), true
	}
	if p.Legacy && !any {
		c.W.Error(pathNotExistOr(p.Normalized(), "not a string"))
		return
	}
	if any {
		m.changed(c, key, "json.strappend")
	}
	if p.Legacy {
		c.W.Int(int64(last))
		return
	}
	intsOrNull(c, res)
}

// JSON.STRLEN key [path]
// readTarget is the start of the read commands that take a key and an
// optional path (STRLEN, ARRLEN, OBJKEYS, OBJLEN): the key's document and
// the path, or false once the reply is written (a missing key answers nil
// to a legacy path and an error to a JSONPath, before the path is parsed).
func (m *Module) readTarget(c *server.Ctx, args [][]byte) (*Doc, *jsonpath.Path, bool) {
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return nil, nil, false
	}
	if d == nil {
		if legacyText(pathOr(args, 2)) {
			c.W.Null()
		} else {
			c.W.Error(errNoKey)
		}
		return nil, nil, false
	}
	p, ok := readPath(c, args, 2)
	if !ok {
		return nil, nil, false
	}
	return d, p, true
}

func (m *Module) cmdStrLen(c *server.Ctx, args [][]byte) {
	d, p, ok := m.readTarget(c, args)
	if !ok {
		return
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		if len(vals) == 0 {
			c.W.Error(pathNotExist(p.Normalized()))
			return
		}
		if vals[0].Kind() != jsonv.String {
			c.W.Error(expected("string", vals[0].TypeName()))
			return
		}
		c.W.Int(int64(len(vals[0].Str())))
		return
	}
	res := make([]int, len(vals))
	for i, v := range vals {
		res[i] = -1
		if v.Kind() == jsonv.String {
			res[i] = len(v.Str())
		}
	}
	intsOrNull(c, res)
}

// parseValues parses JSON values (ARRAPPEND, ARRINSERT).
func parseValues(c *server.Ctx, args [][]byte) ([]jsonv.Value, bool) {
	vals := make([]jsonv.Value, len(args))
	for i, a := range args {
		v, ok := parseJSON(c, a)
		if !ok {
			return nil, false
		}
		vals[i] = v
	}
	return vals, true
}

func cloneAll(vals []jsonv.Value) []jsonv.Value {
	out := make([]jsonv.Value, len(vals))
	for i := range vals {
		out[i] = vals[i].Clone()
	}
	return out
}

// arrayOp runs op on each array p selects: the reply is the last result
// for a legacy path (an error when none is an array), else an array with
// null for the values that are not arrays.
func (m *Module) arrayOp(c *server.Ctx, key []byte, p *jsonpath.Path, d *Doc, event string, notArray string, op func(v *jsonv.Value) (int, string)) {
	ms := p.Matches(&d.Root)
	res := make([]int, len(ms))
	any, last := false, 0
	for i, mt := range ms {
		v := resolve(&d.Root, mt.Loc)
		if v == nil || v.Kind() != jsonv.Array {
			res[i] = -1
			continue
		}
		touch(&d.Root, mt.Loc)
		n, err := op(v)
		if err != "" {
			if any {
				m.changed(c, key, event)
			}
			c.W.Error(err)
			return
		}
		res[i], last, any = n, n, true
	}
	if p.Legacy && !any {
		c.W.Error(pathNotExistOr(notArray, "not an array"))
		return
	}
	if any {
		m.changed(c, key, event)
	}
	if p.Legacy {
		c.W.Int(int64(last))
		return
	}
	intsOrNull(c, res)
}

// writeTarget is the start of the writes that need an existing key
// (TOGGLE, ARRAPPEND, ARRINSERT, ARRTRIM): its document, opened for writing, and the path,
// or false once the reply is written (a missing key is an error, before
// the path is parsed).
func (m *Module) writeTarget(c *server.Ctx, key, path []byte) (*Doc, *jsonpath.Path, bool) {
	d, ok := m.doc(c, key, true)
	if !ok {
		return nil, nil, false
	}
	if d == nil {
		c.W.Error(errNoKey)
		return nil, nil, false
	}
	p, ok := parsePath(c, path)
	if !ok {
		return nil, nil, false
	}
	return d, p, true
}

// JSON.ARRAPPEND key path value [value ...]
func (m *Module) cmdArrAppend(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	vals, ok := parseValues(c, args[3:])
	if !ok {
		return
	}
	d, p, ok := m.writeTarget(c, key, args[2])
	if !ok {
		return
	}
	m.arrayOp(c, key, p, d, "json.arrappend", p.String(), func(v *jsonv.Value) (int, string) {
		v.Append(cloneAll(vals)...)
		return v.Len(), ""
	})
}

// JSON.ARRINSERT key path index value [value ...]
func (m *Module) cmdArrInsert(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	idx, ok := resp.ParseInt(args[3])
	if !ok {
		c.W.Error(errNotInt)
		return
	}
	vals, ok := parseValues(c, args[4:])
	if !ok {
		return
	}
	d, p, ok := m.writeTarget(c, key, args[2])
	if !ok {
		return
	}
	m.arrayOp(c, key, p, d, "json.arrinsert", p.Normalized(), func(v *jsonv.Value) (int, string) {
		n := int64(v.Len())
		i := idx
		if i < 0 {
			i += n
		}
		if i < 0 || i > n {
			return 0, errIndexOOB
		}
		v.Insert(int(i), cloneAll(vals)...)
		return v.Len(), ""
	})
}

// JSON.ARRTRIM key path start stop
func (m *Module) cmdArrTrim(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	start, ok1 := resp.ParseInt(args[3])
	stop, ok2 := resp.ParseInt(args[4])
	if !ok1 || !ok2 {
		c.W.Error(errNotInt)
		return
	}
	d, p, ok := m.writeTarget(c, key, args[2])
	if !ok {
		return
	}
	m.arrayOp(c, key, p, d, "json.arrtrim", p.Normalized(), func(v *jsonv.Value) (int, string) {
		n := int64(v.Len())
		s, e := start, stop
		if s < 0 {
			s = max(n+s, 0)
		}
		if e < 0 {
			e = n + e
		}
		if e >= n {
			e = n - 1
		}
		if n == 0 || s >= n || s > e {
			v.Truncate(0, 0)
			return 0, ""
		}
		v.Truncate(int(s), int(e)+1)
		return v.Len(), ""
	})
}

// normRange is normalize_arr_indices: negative from the end, clamped, and
// an end of 0 standing for the end of the array.
func normRange(start, end, n int64) (int64, int64) {
	if start < 0 {
		start = max(n+start, 0)
	}
	start = min(start, n)
	if end == 0 {
		end = n
	} else if end < 0 {
		end = max(n+end, 0)
	}
	end = min(end, n)
	return start, end
}

// JSON.ARRINDEX key path value [start [stop]]
func (m *Module) cmdArrIndex(c *server.Ctx, args [][]byte) {
	if len(args) > 6 {
		wrongArity(c, args)
		return
	}
	var start, stop int64
	for i, dst := range []*int64{&start, &stop} {
		if 4+i < len(args) {
			n, ok := resp.ParseInt(args[4+i])
			if !ok {
				c.W.Error(errNotInt)
				return
			}
			*dst = n
		}
	}
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return
	}
	in, ok := parseJSON(c, args[3])
	if !ok {
		return
	}
	if d == nil {
		c.W.Error(pathNotExist(string(args[2])))
		return
	}
	p, ok := parsePath(c, args[2])
	if !ok {
		return
	}
	find := func(v *jsonv.Value) int64 {
		n := int64(v.Len())
		if n == 0 {
			return -1
		}
		s, e := normRange(start, stop, n)
		for i := s; i < e; i++ {
			if jsonv.Equal(v.Index(int(i)), &in) {
				return i
			}
		}
		return -1
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		if len(vals) == 0 {
			c.W.Error(pathNotExist(p.Normalized()))
			return
		}
		if vals[0].Kind() != jsonv.Array {
			c.W.Error(expected("array", vals[0].TypeName()))
			return
		}
		c.W.Int(find(vals[0]))
		return
	}
	c.W.Array(len(vals))
	for _, v := range vals {
		if v.Kind() != jsonv.Array {
			c.W.Null()
			continue
		}
		c.W.Int(find(v))
	}
}

// JSON.ARRLEN key [path]
func (m *Module) cmdArrLen(c *server.Ctx, args [][]byte) {
	d, p, ok := m.readTarget(c, args)
	if !ok {
		return
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		if len(vals) == 0 {
			c.W.Error(pathNotExist(p.String()))
			return
		}
		if vals[0].Kind() != jsonv.Array {
			c.W.Error(pathNotExistOr(p.String(), "not an array"))
			return
		}
		c.W.Int(int64(vals[0].Len()))
		return
	}
	res := make([]int, len(vals))
	for i, v := range vals {
		res[i] = -1
		if v.Kind() == jsonv.Array {
			res[i] = v.Len()
		}
	}
	intsOrNull(c, res)
}

// JSON.ARRPOP key [path [index]]
func (m *Module) cmdArrPop(c *server.Ctx, args [][]byte) {
	// commands.rs json_arr_pop: JSON.ARRPOP key [FORMAT STRINGS|EXPAND1|EXPAND]
	// [path [index]]. FORMAT right after the key takes the next argument
	// (exact case, ReplyFormat::from_str; STRING is refused, then RESP2
	// is); a FORMAT with nothing after it is the path. Arguments after
	// the index are ignored (its args.done() is commented out).
	key := args[1]
	defer writeKey(c, key)
	rest := args[2:]
	mode := replyStrings
	if len(rest) > 1 && resp.EqualFold(rest[0], "FORMAT") {
		switch string(rest[1]) {
		case "STRINGS":
			mode = replyStrings
		case "EXPAND1":
			mode = replyExpand1
		case "EXPAND":
			mode = replyExpand
		default: // STRING, or not a format
			c.W.Error("ERR wrong reply format")
			return
		}
		if !c.W.Resp3() {
			c.W.Error("ERR FORMAT argument is not supported on RESP2")
			return
		}
		rest = rest[2:]
	}
	index := int64(math.MaxInt64)
	if len(rest) > 0 {
		index = -1
		if len(rest) > 1 {
			n, ok := resp.ParseInt(rest[1])
			if ok { // an index that is not an integer is the default
				index = n
			}
		}
	}
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	if legacyText(pathOr(rest, 0)) && mode != replyStrings {
		// Checked before the key's existence (json_arr_pop), no "ERR".
		c.W.Error("Legacy paths are supported only with FORMAT STRINGS")
		return
	}
	if d == nil {
		c.W.Error(errNoKey)
		return
	}
	p, ok := readPath(c, rest, 0)
	if !ok {
		return
	}
	ms := p.Matches(&d.Root)
	popped := make([][]byte, len(ms)) // nil: null
	anyArray, anyPopped, lastArray := false, false, 0
	for i, mt := range ms {
		v := resolve(&d.Root, mt.Loc)
		if v == nil || v.Kind() != jsonv.Array {
			continue
		}
		anyArray, lastArray = true, i
		touch(&d.Root, mt.Loc) // do_op's entry, also for an empty array
		n := int64(v.Len())
		if n == 0 {
			continue
		}
		j := index
		if j < 0 {
			j = max(n+j, 0)
		}
		j = min(j, n-1)
		popped[i] = jsonv.AppendJSON(nil, v.Index(int(j)))
		v.RemoveAt(int(j))
		anyPopped = true
	}
	if p.Legacy && !anyArray {
		c.W.Error(pathNotExistOr(p.Normalized(), "not an array"))
		return
	}
	if anyPopped {
		m.changed(c, key, "json.arrpop")
	}
	if p.Legacy {
		// The last array's element (null when it was empty).
		if b := popped[lastArray]; b != nil {
			c.W.Bulk(b)
		} else {
			c.W.Null()
		}
		return
	}
	c.W.Array(len(popped))
	for _, b := range popped {
		switch {
		case b == nil:
			c.W.Null()
		case mode == replyStrings:
			c.W.Bulk(b)
		default: // RESP3 values (KeyValue::value_to_resp3)
			v, _ := jsonv.Parse(string(b))
			writeResp3Value(c.W, &v, mode, jsonv.Format{})
		}
	}
}

// JSON.OBJKEYS key [path]
func (m *Module) cmdObjKeys(c *server.Ctx, args [][]byte) {
	d, p, ok := m.readTarget(c, args)
	if !ok {
		return
	}
	keys := func(v *jsonv.Value) {
		c.W.Array(v.Len())
		for _, k := range v.Keys() {
			c.W.BulkString(k)
		}
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		switch {
		case len(vals) == 0:
			c.W.Null()
		case vals[0].Kind() != jsonv.Object:
			c.W.Error(pathNotExistOr(p.Normalized(), "not an object"))
		default:
			keys(vals[0])
		}
		return
	}
	c.W.Array(len(vals))
	for _, v := range vals {
		if v.Kind() != jsonv.Object {
			c.W.Null()
			continue
		}
		keys(v)
	}
}

// JSON.OBJLEN key [path]
func (m *Module) cmdObjLen(c *server.Ctx, args [][]byte) {
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return
	}
	if d == nil {
		if legacyText(pathOr(args, 2)) {
			c.W.Null()
		} else {
			c.W.Error(pathNotExistOr(string(pathOr(args, 2)), "not an object"))
		}
		return
	}
	p, ok := readPath(c, args, 2)
	if !ok {
		return
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		switch {
		case len(vals) == 0:
			c.W.Null()
		case vals[0].Kind() != jsonv.Object:
			c.W.Error(expected("object", vals[0].TypeName()))
		default:
			c.W.Int(int64(vals[0].Len()))
		}
		return
	}
	res := make([]int, len(vals))
	for i, v := range vals {
		res[i] = -1
		if v.Kind() == jsonv.Object {
			res[i] = v.Len()
		}
	}
	intsOrNull(c, res)
}

// JSON.CLEAR key [path ...] (the first path only, as the module)
func (m *Module) cmdClear(c *server.Ctx, args [][]byte) {
	key := args[1]
	defer writeKey(c, key)
	d, ok := m.doc(c, key, true)
	if !ok {
		return
	}
	path := []byte("$")
	if len(args) > 2 {
		path = args[2]
	}
	if d == nil {
		c.W.Error(errNoKey)
		return
	}
	p, ok := parsePath(c, path)
	if !ok {
		return
	}
	n := 0
	for _, mt := range topMost(p.Matches(&d.Root)) {
		v := resolve(&d.Root, mt.Loc)
		if v == nil {
			continue
		}
		switch v.Kind() {
		case jsonv.Array, jsonv.Object:
			if v.Len() == 0 {
				continue
			}
		case jsonv.Int, jsonv.Float:
			if v.FloatVal() == 0 {
				continue
			}
		default:
			continue
		}
		touch(&d.Root, mt.Loc)
		v.Clear()
		n++
	}
	if n > 0 {
		m.changed(c, key, "json.clear")
	}
	c.W.Int(int64(n))
}

// JSON.RESP key [path]
func (m *Module) cmdResp(c *server.Ctx, args [][]byte) {
	d, ok := m.doc(c, args[1], false)
	if !ok {
		return
	}
	if d == nil {
		c.W.Null()
		return
	}
	p, ok := readPath(c, args, 2)
	if !ok {
		return
	}
	vals := p.Values(&d.Root)
	if p.Legacy {
		if len(vals) == 0 {
			c.W.Error(pathNotExist(p.Normalized()))
			return
		}
		writeRESP(c.W, vals[0])
		return
	}
	c.W.Array(len(vals))
	for _, v := range vals {
		writeRESP(c.W, v)
	}
}

// writeRESP is JSON.RESP's form of a value: null, "true"/"false" as
// simple strings, integers, doubles, bulk strings, and arrays led by "["
// (array) or "{" (object, then key and value pairs).
func writeRESP(w *resp.Writer, v *jsonv.Value) {
	switch v.Kind() {
	case jsonv.Null:
		w.Null()
	case jsonv.Bool:
		w.SimpleString(strconv.FormatBool(v.Bool()))
	case jsonv.Int:
		w.Int(v.IntVal())
	case jsonv.Float:
		w.Double(v.FloatVal())
	case jsonv.String:
		w.BulkString(v.Str())
	case jsonv.Array:
		w.Array(v.Len() + 1)
		w.SimpleString("[")
		for i := 0; i < v.Len(); i++ {
			writeRESP(w, v.Index(i))
		}
	case jsonv.Object:
		w.Array(2*v.Len() + 1)
		w.SimpleString("{")
		for i := 0; i < v.Len(); i++ {
			w.BulkString(v.KeyAt(i))
			writeRESP(w, v.Index(i))
		}
	}
}

// JSON.DEBUG MEMORY key [path] | HELP
func (m *Module) cmdDebug(c *server.Ctx, args [][]byte) {
	switch {
	case resp.EqualFold(args[1], "HELP"):
		c.W.Array(2)
		c.W.BulkString("MEMORY <key> [path] - reports memory usage")
		c.W.BulkString("HELP                - this message")
	case resp.EqualFold(args[1], "MEMORY"):
		if len(args) < 3 {
			wrongArity(c, args)
			return
		}
		d, ok := m.doc(c, args[2], false)
		if !ok {
			return
		}
		if d == nil {
			if legacyText(pathOr(args, 3)) {
				c.W.Int(0)
			} else {
				c.W.Array(0)
			}
			return
		}
		p, ok := readPath(c, args, 3)
		if !ok {
			return
		}
		if p.Legacy {
			vals := p.Values(&d.Root)
			if len(vals) == 0 {
				c.W.Error(pathNotExist(p.Normalized()))
				return
			}
			c.W.Int(int64(vals[0].MemoryUsage()))
			return
		}
		vals := p.Values(&d.Root)
		c.W.Array(len(vals))
		for _, v := range vals {
			c.W.Int(int64(v.MemoryUsage()))
		}
	default:
		c.W.Error(errDebugSub)
	}
}
