package coord

import (
	"strconv"
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// How the module's coordinator combines a figure of its shards' FT.INFO
// (coord/info_command.c).
type infoCombine uint8

const (
	wholeSum infoCombine = iota
	doubleSum
	doubleAverage
	wholeMax
)

type infoSpec struct {
	name string
	how  infoCombine
}

var (
	topSpecs = []infoSpec{
		{"num_docs", wholeSum}, {"max_doc_id", wholeMax}, {"num_terms", wholeSum}, {"num_records", wholeSum},
		{"inverted_sz_mb", doubleSum}, {"total_inverted_index_blocks", wholeSum}, {"vector_index_sz_mb", doubleSum},
		{"offset_vectors_sz_mb", doubleSum}, {"doc_table_size_mb", doubleSum}, {"sortable_values_size_mb", doubleSum},
		{"key_table_size_mb", doubleSum}, {"tag_overhead_sz_mb", doubleSum}, {"text_overhead_sz_mb", doubleSum},
		{"total_index_memory_sz_mb", doubleSum}, {"geoshapes_sz_mb", doubleSum}, {"records_per_doc_avg", doubleAverage},
		{"bytes_per_record_avg", doubleAverage}, {"offsets_per_term_avg", doubleAverage},
		{"offset_bits_per_record_avg", doubleAverage}, {"indexing", wholeSum}, {"percent_indexed", doubleAverage},
		{"hash_indexing_failures", wholeSum}, {"number_of_uses", wholeMax}, {"cleaning", wholeSum},
	}
	gcSpecs = []infoSpec{
		{"bytes_collected", wholeSum}, {"total_ms_run", wholeSum}, {"total_cycles", wholeSum},
		{"average_cycle_time_ms", doubleAverage}, {"last_run_time_ms", wholeMax},
		{"gc_numeric_trees_missed", wholeSum}, {"gc_blocks_denied", wholeSum},
	}
	cursorSpecs  = []infoSpec{{"global_idle", wholeSum}, {"global_total", wholeSum}, {"index_capacity", wholeSum}, {"index_total", wholeSum}}
	dialectSpecs = []infoSpec{{"dialect_1", wholeMax}, {"dialect_2", wholeMax}, {"dialect_3", wholeMax}, {"dialect_4", wholeMax}}
)

// infoAcc accumulates one figure.
type infoAcc struct {
	set        bool
	whole      int64
	sum, count float64
}

func (a *infoAcc) add(how infoCombine, v redcon.RESP) {
	f, _ := strconv.ParseFloat(v.String(), 64)
	n := int64(f)
	switch how {
	case wholeSum:
		a.whole += n
	case wholeMax:
		if !a.set || n > a.whole {
			a.whole = n
		}
	case doubleSum:
		a.sum += f
	case doubleAverage:
		a.sum += f
		a.count++
	}
	a.set = true
}

func (a *infoAcc) value(name string, how infoCombine) module.InfoValue {
	switch how {
	case wholeSum, wholeMax:
		return module.InfoValue{Name: name, Int: a.whole, IsInt: true}
	case doubleSum:
		return module.InfoValue{Name: name, Double: a.sum}
	}
	if a.count == 0 {
		return module.InfoValue{Name: name}
	}
	return module.InfoValue{Name: name, Double: a.sum / a.count}
}

// kv reads a RESP2 flat array of names and values.
func kv(v redcon.RESP) map[string]redcon.RESP {
	out := map[string]redcon.RESP{}
	var elems []redcon.RESP
	v.ForEach(func(e redcon.RESP) bool { elems = append(elems, e); return true })
	for i := 0; i+1 < len(elems); i += 2 {
		out[elems[i].String()] = elems[i+1]
	}
	return out
}

func combine(specs []infoSpec, sections []map[string]redcon.RESP) []module.InfoValue {
	accs := make([]infoAcc, len(specs))
	for _, sec := range sections {
		for i, sp := range specs {
			if v, ok := sec[sp.name]; ok {
				accs[i].add(sp.how, v)
			}
		}
	}
	var out []module.InfoValue
	for i, sp := range specs {
		if accs[i].set {
			out = append(out, accs[i].value(sp.name, sp.how))
		}
	}
	return out
}

// combineErrors adds up indexing failures and keeps the first last error.
func combineErrors(dst *module.IndexErrors, v redcon.RESP) {
	m := kv(v)
	dst.Count += m["indexing failures"].Int()
	if last := m["last indexing error"].String(); last != "" && last != "N/A" && (dst.Last == "" || dst.Last == "N/A") {
		dst.Last, dst.LastKey = last, m["last indexing error key"].String()
	}
}

// info is FT.INFO across the cluster, combined as the module's
// coordinator combines it (InfoReplyReducer): an error only when every
// shard failed; figures summed, maxed or averaged; the definition from
// this shard.
func (c *Coordinator) info(ctx *server.Ctx, args [][]byte) {
	name := string(args[1])
	srv := ctx.Server()
	c.fanoutAsync(ctx, "_FT.INFO", args, time.Now().Add(adminTimeout), func(w *resp.Writer) { w.Error(timeoutErr) },
		func(w *resp.Writer, replies []shardReply, timedOut bool) {
			var tops, gcs, cursors, dialects []map[string]redcon.RESP
			ci := &module.ClusterInfo{}
			var firstErr string
			for _, r := range replies {
				switch {
				case r.err != "":
					if firstErr == "" {
						firstErr = r.err
					}
					continue
				case r.val.Type == 0:
					continue
				case r.val.Type == redcon.Error:
					if firstErr == "" {
						firstErr = r.val.String()
					}
					continue
				}
				top := kv(r.val)
				tops = append(tops, top)
				gcs = append(gcs, kv(top["gc_stats"]))
				cursors = append(cursors, kv(top["cursor_stats"]))
				dialects = append(dialects, kv(top["dialect_stats"]))
				combineErrors(&ci.Errors, top["Index Errors"])
				i := 0
				top["field statistics"].ForEach(func(f redcon.RESP) bool {
					if i >= len(ci.FieldErrors) {
						ci.FieldErrors = append(ci.FieldErrors, module.IndexErrors{})
					}
					combineErrors(&ci.FieldErrors[i], kv(f)["Index Errors"])
					i++
					return true
				})
			}
			if len(tops) == 0 {
				if firstErr == "" {
					firstErr = timeoutErr
				}
				w.Error(firstErr)
				return
			}
			ci.Top = combine(topSpecs, tops)
			ci.GC = combine(gcSpecs, gcs)
			ci.Cursor = combine(cursorSpecs, cursors)
			ci.Dialect = combine(dialectSpecs, dialects)
			// The module recomputes the average cycle time from the totals.
			for i, v := range ci.GC {
				if v.Name == "average_cycle_time_ms" {
					var ms, cycles int64
					for _, g := range ci.GC {
						switch g.Name {
						case "total_ms_run":
							ms = g.Int
						case "total_cycles":
							cycles = g.Int
						}
					}
					ci.GC[i].Double = 0
					if cycles > 0 {
						ci.GC[i].Double = float64(ms) / float64(cycles)
					}
				}
			}
			// The definition is this shard's, read under the main-thread
			// lock: fanoutAsync runs this off the IO runtime.
			gil := srv.GIL()
			gil.Lock()
			defer gil.Unlock()
			c.mod.WriteClusterInfo(w, name, ci)
		})
}
