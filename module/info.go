package module

import (
	"math"
	"strconv"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

const mb = 1024 * 1024

// FT.INFO idx: the key set and order of Redis 8.2's module
// (fillReplyWithIndexInfo); RESP2 a flat array, RESP3 a map.
func (m *Module) cmdInfo(c *server.Ctx, args [][]byte) {
	name, w := string(args[1]), c.W
	idx := m.lookup(name)
	if idx == nil {
		w.Error(noSuchIndex(name))
		return
	}
	idx.RLock()
	defer idx.RUnlock()
	sp := idx.Spec()
	st := idx.Stats()
	mem := st.Memory

	n := 34
	if sp.CustomStopwords {
		n++
	}
	w.Map(n)
	writeIndexHead(w, sp)

	numDocs, numTerms := st.NumDocs, st.NumTerms
	maxDocID, numRecords, failures := int64(st.MaxDocID), int64(st.NumRecords), int64(st.Failures.Count)
	w.SimpleString("num_docs")
	w.Int(int64(numDocs))
	w.SimpleString("max_doc_id")
	w.Int(maxDocID)
	w.SimpleString("num_terms")
	w.Int(int64(numTerms))
	w.SimpleString("num_records")
	w.Int(numRecords)
	w.SimpleString("inverted_sz_mb")
	w.Double(float64(mem.Inverted) / mb)
	vecBytes := idx.VectorIndexBytes()
	w.SimpleString("vector_index_sz_mb")
	w.Double(float64(vecBytes) / mb)
	w.SimpleString("total_inverted_index_blocks")
	w.Int(int64(st.Blocks))
	w.SimpleString("offset_vectors_sz_mb")
	w.Double(0)
	w.SimpleString("doc_table_size_mb")
	w.Double(float64(mem.DocTable) / mb)
	w.SimpleString("sortable_values_size_mb")
	w.Double(float64(mem.Sortables) / mb)
	w.SimpleString("key_table_size_mb")
	w.Double(float64(mem.KeyTable) / mb)
	w.SimpleString("tag_overhead_sz_mb")
	w.Double(float64(mem.Tags) / mb)
	w.SimpleString("text_overhead_sz_mb")
	w.Double(float64(mem.Text) / mb)
	// The module's total counts the vector indexes too
	// (IndexSpec_TotalMemUsage).
	total := int64(mem.Total()) + vecBytes
	w.SimpleString("total_index_memory_sz_mb")
	w.Double(float64(total) / mb)
	w.SimpleString("geoshapes_sz_mb")
	w.Double(float64(idx.ShapeMemory()) / mb)
	w.SimpleString("records_per_doc_avg")
	w.Double(ratio(float64(numRecords), float64(numDocs)))
	w.SimpleString("bytes_per_record_avg")
	w.Double(ratio(float64(mem.Inverted), float64(st.NumRecords)))
	w.SimpleString("offsets_per_term_avg")
	w.Double(0)
	w.SimpleString("offset_bits_per_record_avg")
	w.Double(8)
	w.SimpleString("hash_indexing_failures")
	w.Int(failures)
	w.SimpleString("total_indexing_time")
	w.Double(idx.indexingMs)
	w.SimpleString("indexing")
	scanning := idx.scanning.Load()
	w.Int(b2i(scanning))
	w.SimpleString("percent_indexed")
	pct := 1.0
	if scanning {
		if t := idx.scanTotal.Load(); t > 0 {
			pct = math.Min(0.99, float64(idx.scanned.Load())/float64(t))
		}
	}
	w.Double(pct)
	w.SimpleString("number_of_uses")
	w.Int(idx.uses.Load())
	w.SimpleString("cleaning")
	w.Int(0)

	w.SimpleString("gc_stats")
	w.Map(7)
	for _, k := range []string{"bytes_collected", "total_ms_run", "total_cycles", "average_cycle_time_ms", "last_run_time_ms", "gc_numeric_trees_missed", "gc_blocks_denied"} {
		w.SimpleString(k)
		if k == "average_cycle_time_ms" {
			w.Double(math.NaN())
		} else {
			w.Double(0)
		}
	}
	w.SimpleString("cursor_stats")
	w.Map(4)
	cs := m.cursors.stats(sp)
	for _, kv := range []struct {
		k string
		v int64
	}{{"global_idle", cs.globalIdle}, {"global_total", cs.globalTotal}, {"index_capacity", m.cfg.IndexCursorLimit()}, {"index_total", cs.indexTotal}} {
		w.SimpleString(kv.k)
		w.Int(kv.v)
	}
	if sp.CustomStopwords {
		w.SimpleString("stopwords_list")
		w.StringArray(sp.Stopwords.List())
	}
	w.SimpleString("dialect_stats")
	w.Map(4)
	for d := 1; d <= 4; d++ {
		w.SimpleString("dialect_" + strconv.Itoa(d))
		w.Int(b2i(idx.dialectUsed[d].Load()))
	}
	writeIndexErrors(w, sp, indexErrorsOf(st.Failures), func(f *index.Field) IndexErrors {
		return indexErrorsOf(idx.FieldFailures(f.Pos()))
	})
}

func indexErrorsOf(f index.Failures) IndexErrors {
	return IndexErrors{int64(f.Count), f.LastError, f.LastKey}
}

// writeIndexHead writes FT.INFO's first entries: the index's name,
// options, definition and attributes.
func writeIndexHead(w *resp.Writer, sp *index.Spec) {
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
}

// writeIndexErrors writes FT.INFO's last entries: the index's indexing
// errors, then each field's.
func writeIndexErrors(w *resp.Writer, sp *index.Spec, index IndexErrors, field func(f *index.Field) IndexErrors) {
	w.SimpleString("Index Errors")
	w.Map(4)
	writeErrors(w, index)
	w.SimpleString("background indexing status")
	w.SimpleString("OK")
	w.SimpleString("field statistics")
	w.Array(len(sp.Fields))
	for _, f := range sp.Fields {
		w.Map(3)
		w.SimpleString("identifier")
		w.SimpleString(f.Path)
		w.SimpleString("attribute")
		w.SimpleString(f.Name)
		w.SimpleString("Index Errors")
		w.Map(3)
		writeErrors(w, field(f))
	}
}

func writeErrors(w *resp.Writer, e IndexErrors) {
	last, key := e.Last, e.LastKey
	if last == "" {
		last, key = "N/A", "N/A"
	}
	w.SimpleString("indexing failures")
	w.Int(e.Count)
	w.SimpleString("last indexing error")
	w.BulkString(last)
	w.SimpleString("last indexing error key")
	w.BulkString(key)
}

func writeDefinition(w *resp.Writer, sp *index.Spec) {
	n := 4
	if sp.Filter != nil {
		n++
	}
	if sp.Language != 0 {
		n++
	}
	if sp.LanguageField != "" {
		n++
	}
	if sp.ScoreField != "" {
		n++
	}
	if sp.PayloadField != "" {
		n++
	}
	w.Map(n)
	w.SimpleString("key_type")
	if sp.OnJSON {
		w.SimpleString("JSON")
	} else {
		w.SimpleString("HASH")
	}
	w.SimpleString("prefixes")
	w.StatusArray(sp.Prefixes)
	if sp.Filter != nil {
		w.SimpleString("filter")
		w.SimpleString(sp.FilterSrc)
	}
	if sp.Language != 0 {
		w.SimpleString("default_language")
		w.SimpleString(sp.Language.String())
	}
	if sp.LanguageField != "" {
		w.SimpleString("language_field")
		w.SimpleString(sp.LanguageField)
	}
	w.SimpleString("default_score")
	w.Double(sp.DefaultScore)
	if sp.ScoreField != "" {
		w.SimpleString("score_field")
		w.SimpleString(sp.ScoreField)
	}
	if sp.PayloadField != "" {
		w.SimpleString("payload_field")
		w.SimpleString(sp.PayloadField)
	}
	w.SimpleString("indexes_all")
	w.SimpleString("false")
}

func writeAttribute(w *resp.Writer, f *index.Field) {
	var flags []string
	if f.CaseSensitive {
		flags = append(flags, "CASESENSITIVE")
	}
	if f.Sortable {
		flags = append(flags, "SORTABLE")
	}
	if f.UNF && f.Sortable {
		flags = append(flags, "UNF")
	}
	if f.NoStem {
		flags = append(flags, "NOSTEM")
	}
	if f.NoIndex {
		flags = append(flags, "NOINDEX")
	}
	if f.SuffixTrie {
		flags = append(flags, "WITHSUFFIXTRIE")
	}
	if f.IndexEmpty {
		flags = append(flags, "INDEXEMPTY")
	}
	if f.IndexMissing {
		flags = append(flags, "INDEXMISSING")
	}
	extra := f.Type == index.FieldText || f.Type == index.FieldTag || f.Type == index.FieldGeoShape
	vec := vectorAttributes(f)
	if w.Resp3() {
		n := 4 + len(vec)
		if extra {
			n++
		}
		w.Map(n)
		w.SimpleString("identifier")
		w.SimpleString(f.Path)
		w.SimpleString("attribute")
		w.SimpleString(f.Name)
		w.SimpleString("type")
		w.SimpleString(f.Type.String())
		switch f.Type {
		case index.FieldText:
			w.SimpleString("WEIGHT")
			w.Double(f.Weight)
		case index.FieldTag:
			w.SimpleString("SEPARATOR")
			w.BulkString(separatorString(f.Separator))
		case index.FieldGeoShape:
			w.SimpleString("coord_system")
			w.SimpleString(f.Coords.String())
		}
		writeVectorAttributes(w, vec)
		w.SimpleString("flags")
		w.StatusArray(flags)
		return
	}
	n := 6 + 2*len(vec) + len(flags)
	if extra {
		n += 2
	}
	w.Array(n)
	w.SimpleString("identifier")
	w.SimpleString(f.Path)
	w.SimpleString("attribute")
	w.SimpleString(f.Name)
	w.SimpleString("type")
	w.SimpleString(f.Type.String())
	switch f.Type {
	case index.FieldText:
		w.SimpleString("WEIGHT")
		w.BulkString(formatWeight(f.Weight))
	case index.FieldTag:
		w.SimpleString("SEPARATOR")
		w.BulkString(separatorString(f.Separator))
	case index.FieldGeoShape:
		w.SimpleString("coord_system")
		w.SimpleString(f.Coords.String())
	}
	writeVectorAttributes(w, vec)
	for _, fl := range flags {
		w.SimpleString(fl)
	}
}

// vecAttr is one entry of a VECTOR attribute in FT.INFO: a string or an
// integer value.
type vecAttr struct {
	key   string
	str   string
	num   int64
	isNum bool
}

// vectorAttributes are the entries FT.INFO shows for a VECTOR field after
// its type, as 8.2 prints them (fillReplyWithIndexInfo): the algorithm,
// data type, dimension and metric, then HNSW's M and ef_construction, or
// SVS-VAMANA's graph degree, construction window and compression (with its
// training threshold when compressed). FLAT shows no parameter, and
// neither EF_RUNTIME, EPSILON, INITIAL_CAP nor BLOCK_SIZE is shown.
func vectorAttributes(f *index.Field) []vecAttr {
	p := f.Vector
	if f.Type != index.FieldVector || p == nil {
		return nil
	}
	str := func(k, v string) vecAttr { return vecAttr{key: k, str: v} }
	num := func(k string, v int) vecAttr { return vecAttr{key: k, num: int64(v), isNum: true} }
	a := []vecAttr{str("algorithm", p.Algo.String()), str("data_type", p.Type.String()), num("dim", p.Dim), str("distance_metric", p.Metric.String())}
	switch p.Algo {
	case vecsim.HNSW:
		a = append(a, num("M", p.M), num("ef_construction", p.EFConstruction))
	case vecsim.SVSVamana:
		a = append(a, num("graph_max_degree", p.GraphMaxDegree), num("construction_window_size", p.ConstructionWindowSize))
		if p.Compression == "" {
			a = append(a, str("compression", "NO_COMPRESSION"))
		} else {
			// Without Intel's LVQ every compression runs as global scalar
			// quantization, and FT.INFO says so (VecSimSvsCompression_ToString);
			// reduced_dim is shown only where LeanVec runs (isLVQSupported).
			a = append(a, str("compression", svsScalarCompression), num("training_threshold", p.TrainingThreshold))
		}
	}
	return a
}

func writeVectorAttributes(w *resp.Writer, a []vecAttr) {
	for _, e := range a {
		w.SimpleString(e.key)
		if e.isNum {
			w.Int(e.num)
		} else {
			w.SimpleString(e.str)
		}
	}
}

// VectorIndexBytes is the memory of the index's vector indexes, in bytes:
// FT.INFO's vector_index_sz_mb, and part of total_index_memory_sz_mb. The
// caller holds the index's read lock.
func (idx *Index) VectorIndexBytes() int64 { return idx.VectorMemory() }

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// registerInfo adds the module's INFO sections.
func (m *Module) registerInfo(ctx *server.ModuleContext) {
	ctx.RegisterInfoSection("version", func(w *server.InfoWriter) {
		// RS_moduleInfoFunc: the module's version as major.minor.patch,
		// then GetFormattedRedisVersion's "<redis version> - oss".
		w.Field("version", VersionString())
		w.Field("redis_version", server.Version+" - oss")
	})
	ctx.RegisterInfoSection("indexes", func(w *server.InfoWriter) {
		docs := 0
		for _, idx := range m.indexes {
			docs += idx.NumDocs()
		}
		w.Field("number_of_indexes", strconv.Itoa(len(m.indexes)))
		w.Field("total_indexed_docs", strconv.Itoa(docs))
	})
	m.registerWorkersInfo(ctx)
}

// separatorString is a TAG field's SEPARATOR as FT.INFO shows it: "" for
// none (a JSON TAG field without SEPARATOR).
func separatorString(sep byte) string {
	if sep == 0 {
		return ""
	}
	return string(sep)
}
