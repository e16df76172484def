package coord

import (
	"time"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// profile runs FT.PROFILE across the cluster (see module/profile_dist.go):
// every shard runs `_FT.PROFILE` with the user's arguments, its part of the
// query profiled; the results merge as FT.SEARCH's or FT.AGGREGATE's do,
// and the shards' profiles are listed in node order.
func (c *Coordinator) profile(ctx *server.Ctx, args [][]byte) {
	pp, err := c.mod.PlanProfile(args)
	if err != nil {
		ctx.W.Error(err.Error())
		return
	}
	if plan := pp.Search; plan != nil {
		deadline := time.Now().Add(maxFanoutWait)
		if plan.Timeout > 0 {
			deadline = time.Now().Add(plan.Timeout)
		}
		c.fanout(ctx, "_FT.PROFILE", args, deadline, func(w *resp.Writer) { module.WriteTimedOut(w, plan.FailOnTime) },
			func(w *resp.Writer, replies []shardReply, timedOut bool) {
				writeProfileSearch(w, pp, replies, timedOut)
			})
		return
	}
	plan := pp.Aggregate
	deadline := time.Now().Add(maxFanoutWait)
	if plan.Timeout > 0 {
		deadline = time.Now().Add(time.Duration(plan.Timeout) * time.Millisecond)
	}
	c.fanoutAsync(ctx, "_FT.PROFILE", args, deadline, func(w *resp.Writer) { module.WriteTimedOut(w, plan.Fail) },
		func(w *resp.Writer, replies []shardReply, timedOut bool) {
			results, profiles, errMsg := splitProfiles(replies)
			if errMsg != "" {
				w.Error(errMsg)
				return
			}
			vals, warnings, errMsg := aggregateReplies(plan, results, timedOut)
			if errMsg != "" {
				w.Error(errMsg)
				return
			}
			pp.WriteAggregate(w, vals, profiles, warnings)
		})
}

// writeProfileSearch writes FT.PROFILE … SEARCH's reply: the shards'
// results merged as writeSearch merges them, the shards' profiles, and the
// coordinator's times.
func writeProfileSearch(w *resp.Writer, pp *module.ProfilePlan, replies []shardReply, timedOut bool) {
	mergeStart := time.Now()
	results, profiles, errMsg := splitProfiles(replies)
	if errMsg != "" {
		w.Error(errMsg)
		return
	}
	total, hits, errMsg := mergeSearch(pp.Search, results, timedOut)
	if errMsg != "" {
		w.Error(errMsg)
		return
	}
	module.WriteProfile(w, func(w *resp.Writer) { writeHits(w, pp.Search, total, hits, timedOut) }, profiles,
		func() resp.Value { return pp.SearchCoordinator(mergeStart) })
}

// splitProfiles splits the shards' `_FT.PROFILE` replies: results are the
// replies with each answered pair replaced by its results part (what
// `_FT.SEARCH` / `_FT.AGGREGATE` would have replied), profiles the
// answering shards' profiles in node order. Errors and missing replies
// stay as they are, for the merge to judge.
func splitProfiles(replies []shardReply) (results []shardReply, profiles []resp.Value, errMsg string) {
	results = make([]shardReply, len(replies))
	for i, r := range replies {
		results[i] = r
		if !r.answered() || r.val.Type == redcon.Error {
			continue
		}
		res, prof, ok := module.SplitShardProfile(r.val)
		if !ok {
			return nil, nil, "could not parse redisearch results"
		}
		results[i].val = res
		profiles = append(profiles, prof)
	}
	return results, profiles, ""
}
