package module

import (
	"fmt"
	"strconv"
	"time"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// FT.PROFILE in a cluster. The coordinator parses the command as FT.PROFILE
// and FT.SEARCH / FT.AGGREGATE do (their errors come before any shard is
// asked), then sends every shard `_FT.PROFILE` with the user's arguments.
// Each shard runs its part as `_FT.SEARCH` / `_FT.AGGREGATE` would, profiled,
// and replies [<that command's reply>, <its profile>]. The coordinator merges
// the first elements exactly as it merges `_FT.SEARCH` / `_FT.AGGREGATE`
// replies, and replies
//
//	RESP2 [<results>, ["Shards", [<shard>, …], "Coordinator", <coordinator>]]
//	RESP3 {"Results": <results>, "Profile": {"Shards": [<shard>, …], "Coordinator": <coordinator>}}
//
// Each shard's profile is the map standalone FT.PROFILE lists as its only
// shard (8.2 has no "Shard ID" key: that came with 8.4's profile). The
// module lists them as its shards' replies arrive; here they come in the
// cluster's node order, the shards that did not answer by the deadline
// left out. The coordinator part is, for SEARCH, {"Total Coordinator time",
// "Post Processing time"} (fractional milliseconds since the command
// started and since the merge started, printed whatever
// _PRINT_PROFILE_CLOCK says; profileSearchReplyCoordinator), and for
// AGGREGATE the coordinator's own pipeline printed as a shard's is
// (Profile_Print): the clocks, Warning, no iterators, and its result
// processors from "Network" (the shards' rows) on.

// ProfilePlan is a parsed FT.PROFILE, for the coordinator: one of Search
// and Aggregate is set.
type ProfilePlan struct {
	Search    *SearchPlan
	Aggregate *AggregatePlan

	start, parsed time.Time
	clock         bool // _PRINT_PROFILE_CLOCK
}

// PlanProfile parses FT.PROFILE's arguments (args[0] is the command) as
// FT.PROFILE does, then the query's as FT.SEARCH or FT.AGGREGATE does, with
// their errors.
func (m *Module) PlanProfile(args [][]byte) (*ProfilePlan, error) {
	pp := &ProfilePlan{start: time.Now(), clock: m.cfg.printProfileClock()}
	h, errMsg, arity := m.parseProfileArgs(args)
	switch {
	case arity:
		return nil, errorString(fmt.Sprintf(server.ErrWrongArgsFmt, "FT.PROFILE"))
	case errMsg != "":
		return nil, errorString(errMsg)
	}
	if h.search {
		// No KNN special case here: the shards' `_FT.PROFILE` sends no
		// required fields (an index name of "" skips the KNN detection).
		plan, err := m.PlanSearch("", string(args[h.query]), args[h.query+1:])
		if err != nil {
			return nil, err
		}
		pp.Search = plan
	} else {
		agg := append([][]byte{[]byte("FT.AGGREGATE"), args[1]}, args[h.query:]...)
		plan, err := m.PlanAggregate(agg)
		if err != nil {
			return nil, err
		}
		if plan.req.WithCursor {
			return nil, errorString(errProfileCursor)
		}
		pp.Aggregate = plan
	}
	pp.parsed = time.Now()
	return pp, nil
}

// SplitShardProfile splits a shard's `_FT.PROFILE` reply into the part a
// coordinator merges (the `_FT.SEARCH` / `_FT.AGGREGATE` reply) and the
// shard's profile. ok is false when the reply is not such a pair (an error).
func SplitShardProfile(r redcon.RESP) (results redcon.RESP, profile resp.Value, ok bool) {
	if r.Type != redcon.Array {
		return r, resp.Value{}, false
	}
	var elems []redcon.RESP
	r.ForEach(func(e redcon.RESP) bool {
		elems = append(elems, e)
		return true
	})
	if len(elems) != 2 {
		return r, resp.Value{}, false
	}
	profile, ok = readWireResp(elems[1])
	return elems[0], profile, ok
}

// WriteProfile writes a cluster's FT.PROFILE reply: results writes the
// merged reply, shards are the shards' profiles, and coordinator, called
// once the results are written, is the coordinator's part.
func WriteProfile(w *resp.Writer, results func(w *resp.Writer), shards []resp.Value, coordinator func() resp.Value) {
	profileHead(w, false)
	results(w)
	writeProfilePart(w, shards, coordinator())
}

// SearchCoordinator is the coordinator part of FT.PROFILE … SEARCH, the
// merge having started at mergeStart.
func (pp *ProfilePlan) SearchCoordinator(mergeStart time.Time) resp.Value {
	ms := func(d time.Duration) resp.Value { return resp.DoubleValue(float64(d.Nanoseconds()) / 1e6) }
	now := time.Now()
	return resp.MapOf(
		resp.Status("Total Coordinator time"), ms(now.Sub(pp.start)),
		resp.Status("Post Processing time"), ms(now.Sub(mergeStart)),
	)
}

// WriteAggregate merges the shards' replies to FT.PROFILE … AGGREGATE
// (split by SplitShardProfile: replies the `_FT.AGGREGATE` parts, shards
// the profiles) as AggregatePlan.WriteMerged does, and writes the profile
// reply, its coordinator part the profile of the merge's pipeline.
func (pp *ProfilePlan) WriteAggregate(w *resp.Writer, replies []redcon.RESP, shards []resp.Value, warnings []string) {
	p := pp.Aggregate
	buildStart := time.Now()
	run, err := p.merge(replies, warnings)
	if err != nil {
		w.Error(err.Error())
		return
	}
	procs := run.pipe.Profile()
	// The coordinator parsed the request before its shards ran; its
	// pipeline is built once their rows are in.
	prof := &queryProfile{Profile: index.NewProfile(pp.start), clock: pp.clock}
	prof.SetTimes(pp.parsed, pp.parsed.Add(time.Since(buildStart)))
	ch, err := collectRows(run, -1)
	if err != nil {
		w.Error(err.Error())
		return
	}
	WriteProfile(w, func(w *resp.Writer) { writeAggregateChunk(w, run, ch) }, shards, func() resp.Value {
		return profileMap(prof, aggWarning(warnings), coordinatorProcs(p.req, procs), false)
	})
}

// coordinatorProcs lists the processors of a coordinator's pipeline: the
// Network (the shards' rows), its steps', and LIMIT 0 0's Counter.
func coordinatorProcs(req *aggregate.Request, procs []*aggregate.ProcProfile) []rpProfile {
	var out []rpProfile
	for _, p := range procs {
		out = append(out, rpProfile{typ: p.Type, count: max(p.Calls-1, 0), time: p.Time})
	}
	if req.NoRows {
		var end time.Duration
		if len(out) > 0 {
			end = out[len(out)-1].time
		}
		out = append(out, rpProfile{typ: "Counter", count: 1, time: end})
	}
	return out
}

// writeWireResp writes a reply built as data so that a coordinator, which
// reads its shards in RESP2, gets it back whole (readWireResp) and can
// write it in its client's protocol: an array, set or map is an array
// whose first element is "*", "~" or "%"; an integer stays one; a null is
// a null bulk string; other scalars are bulk strings whose first byte
// tells their type ("+" status, "$" bulk, "," double, "#" boolean).
func writeWireResp(w *resp.Writer, v resp.Value) {
	switch v.Kind {
	case resp.KindArray, resp.KindSet, resp.KindMap:
		tag := "*"
		switch v.Kind {
		case resp.KindSet:
			tag = "~"
		case resp.KindMap:
			tag = "%"
		}
		w.Array(len(v.Elems) + 1)
		w.BulkString(tag)
		for _, e := range v.Elems {
			writeWireResp(w, e)
		}
	case resp.KindInt:
		w.Int(v.Int)
	case resp.KindNull:
		w.Null()
	case resp.KindStatus:
		w.BulkString("+" + v.Str)
	case resp.KindDouble:
		w.BulkString("," + strconv.FormatFloat(v.Float, 'g', -1, 64))
	case resp.KindBool:
		if v.Int != 0 {
			w.BulkString("#t")
		} else {
			w.BulkString("#f")
		}
	default:
		w.BulkString("$" + v.Str)
	}
}

// readWireResp reads what writeWireResp wrote; ok is false for anything
// else.
func readWireResp(r redcon.RESP) (resp.Value, bool) {
	switch r.Type {
	case redcon.Integer:
		return resp.Integer(r.Int()), true
	case redcon.Array:
		var elems []resp.Value
		tag, first, ok := "", true, true
		r.ForEach(func(e redcon.RESP) bool {
			if first {
				tag, first = e.String(), false
				return true
			}
			v, good := readWireResp(e)
			if !good {
				ok = false
				return false
			}
			elems = append(elems, v)
			return true
		})
		if !ok {
			return resp.Value{}, false
		}
		switch tag {
		case "*":
			return resp.ArrayOf(elems...), true
		case "~":
			return resp.SetOf(elems...), true
		case "%":
			if len(elems)%2 == 0 {
				return resp.MapOf(elems...), true
			}
		}
		return resp.Value{}, false
	case redcon.Bulk:
		if r.Data == nil {
			return resp.NullValue(), true
		}
		s := string(r.Data)
		if s == "" {
			return resp.Value{}, false
		}
		body := s[1:]
		switch s[0] {
		case '+':
			return resp.Status(body), true
		case '$':
			return resp.Bulk(body), true
		case ',':
			f, err := strconv.ParseFloat(body, 64)
			return resp.DoubleValue(f), err == nil
		case '#':
			return resp.BoolValue(body == "t"), true
		}
	}
	return resp.Value{}, false
}
