package module

import (
	"github.com/miniredis-search/miniredis-search/module/index"
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
	Last, LastKey string // "" when none
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
func (m *Module) WriteClusterInfo(w *resp.Writer, name string, ci *ClusterInfo) {
	idx := m.lookup(name)
	if idx == nil {
		w.Error(noSuchIndex(name))
		return
	}
	idx.RLock()
	defer idx.RUnlock()
	sp := idx.Spec()
	n := 9 + len(ci.Top)
	if sp.CustomStopwords {
		n++
	}
	w.Map(n)
	writeIndexHead(w, sp)
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
	writeIndexErrors(w, sp, ci.Errors, func(f *index.Field) IndexErrors {
		if f.Pos() < len(ci.FieldErrors) {
			return ci.FieldErrors[f.Pos()]
		}
		return IndexErrors{}
	})
}

func writeInfoValue(w *resp.Writer, v InfoValue) {
	if v.IsInt {
		w.Int(v.Int)
	} else {
		w.Double(v.Double)
	}
}
