package module

import (
	"github.com/miniredis-search/miniredis-search/resp"
)

// InfoValue is a figure of a cluster-wide FT.INFO: an integer or a double.
type InfoValue struct {
	Name   string
	Int    int64
	Double float64
	IsInt  bool
}

// IndexErrors are the indexing errors of an index or a field.
type IndexErrors struct {
	Count         int64
	Last, LastKey string // "N/A" when none
}

// ClusterInfo is what a coordinator gathered from every shard's FT.INFO,
// already combined as the module's InfoReplyReducer combines it.
type ClusterInfo struct {
	GC, Cursor, Dialect, Top []InfoValue
	Errors                   IndexErrors
	FieldErrors              []IndexErrors // in schema order
}

// WriteClusterInfo writes FT.INFO as the module's coordinator does: the
// index's name, options, definition, attributes (and stop words) from this
// shard, then the combined figures, in the coordinator's order. The caller
// holds the main-thread lock.
func (m *Module) WriteClusterInfo(w *resp.Writer, name string, ci *ClusterInfo) error {
	idx := m.lookup(name)
	if idx == nil {
		w.Error(noSuchIndex(name))
		return errorString(noSuchIndex(name))
	}
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	sp := idx.spec
	n := 9 + len(ci.Top)
	if sp.CustomStopwords {
		n++
	}
	w.Map(n)
	w.SimpleString("index_name")
	w.SimpleString(sp.Name)
	w.SimpleString("index_options")
	var opts []string
	for _, o := range []struct {
		on   bool
		name string
	}{{sp.NoFreqs, "NOFREQS"}, {sp.NoFields, "NOFIELDS"}, {sp.NoOffsets, "NOOFFSETS"}, {sp.NoHL, "NOHL"}, {sp.MaxTextFields, "MAXTEXTFIELDS"}} {
		if o.on {
			opts = append(opts, o.name)
		}
	}
	w.StatusArray(opts)
	w.SimpleString("index_definition")
	writeDefinition(w, sp)
	w.SimpleString("attributes")
	w.Array(len(sp.Fields))
	for _, f := range sp.Fields {
		writeAttribute(w, f)
	}
	writeValues := func(section string, vals []InfoValue) {
		w.SimpleString(section)
		w.Map(len(vals))
		for _, v := range vals {
			w.SimpleString(v.Name)
			writeInfoValue(w, v)
		}
	}
	writeValues("gc_stats", ci.GC)
	writeValues("cursor_stats", ci.Cursor)
	if sp.CustomStopwords {
		w.SimpleString("stopwords_list")
		w.StringArray(sp.Stopwords.List())
	}
	writeValues("dialect_stats", ci.Dialect)
	for _, v := range ci.Top {
		w.SimpleString(v.Name)
		writeInfoValue(w, v)
	}
	w.SimpleString("Index Errors")
	w.Map(4)
	writeErrors(w, int(ci.Errors.Count), errOrEmpty(ci.Errors.Last), errOrEmpty(ci.Errors.LastKey))
	w.SimpleString("background indexing status")
	w.SimpleString("OK")
	w.SimpleString("field statistics")
	w.Array(len(sp.Fields))
	for i, f := range sp.Fields {
		var fe IndexErrors
		if i < len(ci.FieldErrors) {
			fe = ci.FieldErrors[i]
		}
		w.Map(3)
		w.SimpleString("identifier")
		w.SimpleString(f.Path)
		w.SimpleString("attribute")
		w.SimpleString(f.Name)
		w.SimpleString("Index Errors")
		w.Map(3)
		writeErrors(w, int(fe.Count), errOrEmpty(fe.Last), errOrEmpty(fe.LastKey))
	}
	return nil
}

func writeInfoValue(w *resp.Writer, v InfoValue) {
	if v.IsInt {
		w.Int(v.Int)
	} else {
		w.Double(v.Double)
	}
}

// errOrEmpty maps the module's "N/A" back to "none" for writeErrors.
func errOrEmpty(s string) string {
	if s == "N/A" {
		return ""
	}
	return s
}
