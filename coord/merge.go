package coord

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// shardHit is a result of a shard's `_FT.SEARCH` reply.
type shardHit struct {
	key     string
	score   float64
	scoreS  string
	payload redcon.RESP
	sortKey redcon.RESP
	fields  redcon.RESP
	dist    float64 // a KNN query's distance (a required field)
}

// writeSearch merges the shards' replies of an FT.SEARCH: totals add up,
// results are ordered by sort key (SORTBY) or by score, then the page the
// client asked for is cut. Past the deadline, the replies that came are
// merged and the timeout warning added (ON_TIMEOUT return), or the
// timeout error given (fail).
func writeSearch(w *resp.Writer, plan *module.SearchPlan, replies []shardReply, timedOut bool) {
	total, hits, errMsg := mergeSearch(plan, replies, timedOut)
	if errMsg != "" {
		w.Error(errMsg)
		return
	}
	writeHits(w, plan, total, hits, timedOut)
}

// mergeSearch merges the shards' `_FT.SEARCH` replies into the total and
// the page of results to reply; errMsg is the error to reply instead.
//
// A KNN query is the module's special case (searchResultReducer,
// ProcessKNNSearchReply and knnPostProcess, src/module.c): without SORTBY
// by the distance, each shard sent its K results with their distances,
// and the K nearest across the shards (ties by key) are kept, then ordered
// as any query is; the total is their number, at most K. Under SORTBY by
// the distance, the sort keys are the distances: the K nearest are kept
// and ordered as asked, the total at most K.
func mergeSearch(plan *module.SearchPlan, replies []shardReply, timedOut bool) (total int64, page []shardHit, errMsg string) {
	if timedOut && plan.FailOnTime {
		return 0, nil, timeoutErr
	}
	knn := plan.KNN
	// What each shard sent per result (see module.SearchPlan and
	// module.SearchPlan.ShardArgs).
	sortKeys := plan.WithSortKeys || plan.SortBy
	shardNum := plan.Offset + plan.Num
	if knn != nil {
		shardNum = knn.Requested
	}
	content := !plan.NoContent && shardNum > 0
	required := knn != nil && knn.ShouldSort
	shape := module.ReplyShape{Scores: true, Payloads: plan.WithPayloads, SortKeys: sortKeys, Content: content}
	if required {
		shape.Required = 1
	}
	per := shape.Stride2()
	var hits []shardHit
	for _, r := range replies {
		if r.err != "" {
			if timedOut {
				continue
			}
			return 0, nil, r.err
		}
		if r.val.Type == 0 {
			continue // no reply by the deadline
		}
		if r.val.Type == redcon.Error {
			return 0, nil, r.val.String()
		}
		var elems []redcon.RESP
		r.val.ForEach(func(v redcon.RESP) bool {
			elems = append(elems, v)
			return true
		})
		if len(elems) == 0 {
			continue
		}
		total += elems[0].Int()
		for i := 1; i+per <= len(elems); i += per {
			h := shardHit{key: elems[i].String(), scoreS: elems[i+1].String()}
			h.score, _ = strconv.ParseFloat(h.scoreS, 64)
			j := i + 2
			if plan.WithPayloads {
				h.payload = elems[j]
				j++
			}
			if sortKeys {
				h.sortKey = elems[j]
				j++
			}
			if required {
				h.dist = parseRequiredNum(elems[j])
				j++
			}
			if content {
				h.fields = elems[j]
			}
			hits = append(hits, h)
		}
	}
	if knn != nil {
		if required {
			hits = nearest(hits, knn.K)
			total = int64(len(hits))
		} else {
			// The sort keys are the distances.
			for i := range hits {
				hits[i].dist = parseRequiredNum(hits[i].sortKey)
			}
			hits = nearest(hits, knn.K)
			total = min(total, knn.K)
		}
	}
	if plan.SortBy {
		slices.SortStableFunc(hits, func(a, b shardHit) int {
			if c := compareSortKeys(a.sortKey, b.sortKey, plan.SortDesc); c != 0 {
				return c
			}
			// Equal sort keys go by key, and DESC reverses that too
			// (cmp_results, src/module.c).
			if plan.SortDesc {
				return cmp.Compare(b.key, a.key)
			}
			return cmp.Compare(a.key, b.key)
		})
	} else {
		slices.SortStableFunc(hits, func(a, b shardHit) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return cmp.Compare(a.key, b.key)
		})
	}
	lo := min(int(plan.Offset), len(hits))
	hi := min(int(plan.Offset+plan.Num), len(hits))
	return total, hits[lo:hi], ""
}

// nearest keeps the k hits of smallest distance, ties by key (the
// module's cmp_scored_results), in no particular order.
func nearest(hits []shardHit, k int64) []shardHit {
	if int64(len(hits)) <= k {
		return hits
	}
	slices.SortStableFunc(hits, func(a, b shardHit) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	return hits[:max(k, 0)]
}

// parseRequiredNum reads a required value, "#<number>"; a missing one
// sorts last.
func parseRequiredNum(v redcon.RESP) float64 {
	s := v.String()
	if v.Type != redcon.Bulk || len(s) < 2 || s[0] != '#' {
		return math.Inf(1)
	}
	f, err := strconv.ParseFloat(s[1:], 64)
	if err != nil {
		return math.Inf(1)
	}
	return f
}

// compareSortKeys orders WITHSORTKEYS values: "#<number>" numerically,
// "$<string>" as bytes, missing ones last.
func compareSortKeys(a, b redcon.RESP, desc bool) int {
	as, bs := a.String(), b.String()
	aMissing, bMissing := a.Type != redcon.Bulk || as == "", b.Type != redcon.Bulk || bs == ""
	switch {
	case aMissing && bMissing:
		return 0
	case aMissing:
		return 1
	case bMissing:
		return -1
	}
	var c int
	if as[0] == '#' && bs[0] == '#' {
		af, _ := strconv.ParseFloat(as[1:], 64)
		bf, _ := strconv.ParseFloat(bs[1:], 64)
		c = cmp.Compare(af, bf)
	} else {
		c = cmp.Compare(as, bs)
	}
	if desc {
		c = -c
	}
	return c
}

// writeHits writes an FT.SEARCH reply in the client's protocol.
func writeHits(w *resp.Writer, plan *module.SearchPlan, total int64, hits []shardHit, timedOut bool) {
	content := !plan.NoContent && plan.Num > 0
	shape := module.ReplyShape{Scores: plan.WithScores, Payloads: plan.WithPayloads, SortKeys: plan.WithSortKeys, Content: content}
	if w.Resp3() {
		module.WriteResultsHead3(w, len(hits))
		for _, h := range hits {
			w.Map(shape.Fields3())
			w.SimpleString("id")
			w.BulkString(h.key)
			if plan.WithScores {
				w.SimpleString("score")
				w.Double(h.score)
			}
			if plan.WithPayloads {
				w.SimpleString("payload")
				writeBulkOrNull(w, h.payload)
			}
			if plan.WithSortKeys {
				w.SimpleString("sortkey")
				writeBulkOrNull(w, h.sortKey)
			}
			if content {
				w.SimpleString("extra_attributes")
				if h.fields.Type != redcon.Array {
					w.Null()
				} else {
					var kv []redcon.RESP
					h.fields.ForEach(func(v redcon.RESP) bool { kv = append(kv, v); return true })
					w.Map(len(kv) / 2)
					for _, v := range kv[:len(kv)/2*2] {
						w.BulkString(v.String())
					}
				}
			}
			w.SimpleString("values")
			w.Array(0)
		}
		var warnings []string
		if timedOut {
			warnings = []string{timeoutErr}
		}
		module.WriteResultsTail3(w, total, warnings)
		return
	}
	w.Array(1 + shape.Stride2()*len(hits))
	w.Int(total)
	for _, h := range hits {
		w.BulkString(h.key)
		if plan.WithScores {
			w.BulkString(h.scoreS)
		}
		if plan.WithPayloads {
			writeBulkOrNull(w, h.payload)
		}
		if plan.WithSortKeys {
			writeBulkOrNull(w, h.sortKey)
		}
		if content {
			if h.fields.Type != redcon.Array {
				w.NullArray()
			} else {
				w.Raw(h.fields.Raw)
			}
		}
	}
}

func writeBulkOrNull(w *resp.Writer, v redcon.RESP) {
	if v.Type == redcon.Bulk && v.Raw != nil && string(v.Raw[:3]) != "$-1" {
		w.BulkString(v.String())
	} else {
		w.Null()
	}
}
