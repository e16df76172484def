package server

import "github.com/miniredis-search/miniredis-search/resp"

// CommandMeta is what COMMAND INFO and COMMAND DOCS say of a command besides
// its name, arity, flags and first/last/step key positions: ACL categories,
// tips, key specs and documentation. For the Redis commands it is generated
// from a stock redis-server (command_meta_gen.go); modules write their own.
type CommandMeta struct {
	// InfoArity, when not 0, is the arity COMMAND INFO reports instead of
	// Arity: a module command registered with RM_CreateCommand alone
	// reports -1 and checks its arguments itself (Arity is still what the
	// server checks before the handler runs).
	InfoArity     int
	ACLCategories []string
	Tips          []string
	KeySpecs      []KeySpec
	Doc           *CommandDoc
}

// KeySpec is a key specification, as COMMAND INFO reports it.
type KeySpec struct {
	Notes       string
	Flags       []string
	BeginSearch BeginSearch
	FindKeys    FindKeys
}

// BeginSearch says where the search for keys starts: at an index ("index"),
// after a keyword ("keyword"), or nobody knows ("unknown").
type BeginSearch struct {
	Type      string
	Index     int
	Keyword   string
	StartFrom int
}

// FindKeys says which arguments are keys once the search started: a range
// ("range"), a count argument ("keynum"), or "unknown".
type FindKeys struct {
	Type      string
	LastKey   int
	KeyStep   int
	Limit     int
	KeyNumIdx int
	FirstKey  int
}

// CommandDoc is a command's documentation for COMMAND DOCS (which redis-cli
// uses for its hints).
type CommandDoc struct {
	Summary         string
	Since           string
	Group           string
	Complexity      string
	DocFlags        []string
	DeprecatedSince string
	ReplacedBy      string
	History         [][2]string
	Arguments       []ArgDoc
}

// ArgDoc documents one argument.
type ArgDoc struct {
	Name            string
	Type            string
	KeySpecIndex    int // meaningful when Type is "key"
	Token           string
	Summary         string
	Since           string
	Flags           []string
	DeprecatedSince string
	Arguments       []ArgDoc
}

func keySpecValue(ks KeySpec) resp.Value {
	var kv []resp.Value
	if ks.Notes != "" {
		kv = append(kv, resp.Bulk("notes"), resp.Bulk(ks.Notes))
	}
	kv = append(kv, resp.Bulk("flags"), statusSet(ks.Flags))
	var bs resp.Value
	switch ks.BeginSearch.Type {
	case "index":
		bs = resp.MapOf(resp.Bulk("index"), resp.Integer(int64(ks.BeginSearch.Index)))
	case "keyword":
		bs = resp.MapOf(resp.Bulk("keyword"), resp.Bulk(ks.BeginSearch.Keyword),
			resp.Bulk("startfrom"), resp.Integer(int64(ks.BeginSearch.StartFrom)))
	default:
		bs = resp.MapOf()
	}
	kv = append(kv, resp.Bulk("begin_search"), resp.MapOf(resp.Bulk("type"), resp.Bulk(ks.BeginSearch.Type), resp.Bulk("spec"), bs))
	var fk resp.Value
	switch ks.FindKeys.Type {
	case "range":
		fk = resp.MapOf(resp.Bulk("lastkey"), resp.Integer(int64(ks.FindKeys.LastKey)),
			resp.Bulk("keystep"), resp.Integer(int64(ks.FindKeys.KeyStep)),
			resp.Bulk("limit"), resp.Integer(int64(ks.FindKeys.Limit)))
	case "keynum":
		fk = resp.MapOf(resp.Bulk("keynumidx"), resp.Integer(int64(ks.FindKeys.KeyNumIdx)),
			resp.Bulk("firstkey"), resp.Integer(int64(ks.FindKeys.FirstKey)),
			resp.Bulk("keystep"), resp.Integer(int64(ks.FindKeys.KeyStep)))
	default:
		fk = resp.MapOf()
	}
	kv = append(kv, resp.Bulk("find_keys"), resp.MapOf(resp.Bulk("type"), resp.Bulk(ks.FindKeys.Type), resp.Bulk("spec"), fk))
	return resp.MapOf(kv...)
}

func statusSet(items []string) resp.Value {
	elems := make([]resp.Value, len(items))
	for i, s := range items {
		elems[i] = resp.Status(s)
	}
	return resp.SetOf(elems...)
}

func bulkSet(items []string) resp.Value {
	elems := make([]resp.Value, len(items))
	for i, s := range items {
		elems[i] = resp.Bulk(s)
	}
	return resp.SetOf(elems...)
}

// docFields are the fields of a command's COMMAND DOCS map, in Redis' order,
// without "subcommands".
func docFields(d *CommandDoc) []resp.Value {
	kv := []resp.Value{
		resp.Bulk("summary"), resp.Bulk(d.Summary),
		resp.Bulk("since"), resp.Bulk(d.Since),
		resp.Bulk("group"), resp.Bulk(d.Group),
		resp.Bulk("complexity"), resp.Bulk(d.Complexity),
	}
	if len(d.DocFlags) > 0 {
		kv = append(kv, resp.Bulk("doc_flags"), statusSet(d.DocFlags))
	}
	if d.DeprecatedSince != "" {
		kv = append(kv, resp.Bulk("deprecated_since"), resp.Bulk(d.DeprecatedSince))
	}
	if d.ReplacedBy != "" {
		kv = append(kv, resp.Bulk("replaced_by"), resp.Bulk(d.ReplacedBy))
	}
	if len(d.History) > 0 {
		hist := make([]resp.Value, len(d.History))
		for i, h := range d.History {
			hist[i] = resp.ArrayOf(resp.Bulk(h[0]), resp.Bulk(h[1]))
		}
		kv = append(kv, resp.Bulk("history"), resp.SetOf(hist...))
	}
	if len(d.Arguments) > 0 {
		kv = append(kv, resp.Bulk("arguments"), argsValue(d.Arguments))
	}
	return kv
}

func argsValue(args []ArgDoc) resp.Value {
	out := make([]resp.Value, len(args))
	for i, a := range args {
		kv := []resp.Value{resp.Bulk("name"), resp.Bulk(a.Name), resp.Bulk("type"), resp.Bulk(a.Type)}
		if a.Type == "key" {
			kv = append(kv, resp.Bulk("key_spec_index"), resp.Integer(int64(a.KeySpecIndex)))
		}
		if a.Token != "" {
			kv = append(kv, resp.Bulk("token"), resp.Bulk(a.Token))
		}
		if a.Summary != "" {
			kv = append(kv, resp.Bulk("summary"), resp.Bulk(a.Summary))
		}
		if a.Since != "" {
			kv = append(kv, resp.Bulk("since"), resp.Bulk(a.Since))
		}
		if len(a.Flags) > 0 {
			kv = append(kv, resp.Bulk("flags"), statusSet(a.Flags))
		}
		if a.DeprecatedSince != "" {
			kv = append(kv, resp.Bulk("deprecated_since"), resp.Bulk(a.DeprecatedSince))
		}
		if len(a.Arguments) > 0 {
			kv = append(kv, resp.Bulk("arguments"), argsValue(a.Arguments))
		}
		out[i] = resp.MapOf(kv...)
	}
	return resp.ArrayOf(out...)
}
