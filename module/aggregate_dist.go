package module

import (
	"math"
	"strconv"

	"github.com/miniredis-search/miniredis-search/module/aggregate"
	"github.com/miniredis-search/miniredis-search/module/expr"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"github.com/tidwall/redcon"
)

// `_FT.AGGREGATE idx query [args]`: a shard's part of a cluster's
// FT.AGGREGATE (aggregate.Distribute), whatever the client's protocol, as
// [total, [name, value, …], …] with typed values (see writeWireValue).
func (m *Module) cmdShardAggregate(c *server.Ctx, args [][]byte) {
	m.runAggregateCommand(c, args, true)
}

// writeShardRows writes a shard's rows for its coordinator.
func writeShardRows(w *resp.Writer, ch *aggChunk) { writeRows2(w, ch, writeWireValue) }

// writeWireValue keeps a value's type across the wire: "n" and the number
// with every digit, "s" and the string, nil, or an array.
func writeWireValue(w *resp.Writer, v expr.Value) {
	switch v.Kind() {
	case expr.KindNull:
		w.Null()
	case expr.KindArray:
		w.Array(len(v.Elems()))
		for _, e := range v.Elems() {
			writeWireValue(w, e)
		}
	case expr.KindNumber:
		w.BulkString("n" + strconv.FormatFloat(v.Num(), 'g', -1, 64))
	default:
		w.BulkString("s" + v.Str())
	}
}

func readWireValue(r redcon.RESP) expr.Value {
	switch r.Type {
	case redcon.Array:
		var elems []expr.Value
		r.ForEach(func(e redcon.RESP) bool {
			elems = append(elems, readWireValue(e))
			return true
		})
		return expr.Array(elems...)
	}
	s := r.String()
	if s == "" {
		return expr.Null()
	}
	if s[0] == 'n' {
		f, err := strconv.ParseFloat(s[1:], 64)
		if err != nil {
			f = math.NaN()
		}
		return expr.Number(f)
	}
	return expr.String(s[1:])
}

// AggregatePlan is what a coordinator needs to merge its shards'
// `_FT.AGGREGATE` replies.
type AggregatePlan struct {
	m        *Module
	idx      *Index
	areq     *aggRequest
	req      *aggregate.Request
	coord    *aggregate.Request
	keyOrder []string
	Timeout  int64 // ms; 0: none
	Fail     bool  // ON_TIMEOUT fail
	// KNN is set when the query is a KNN clause: the pipeline then starts
	// with the module's KNN arrange step (see aggRequest.distributeKNN).
	KNN *KNNPlan
}

// PlanAggregate parses and checks FT.AGGREGATE's arguments (args[0] is the
// command) against this shard's copy of the index, with FT.AGGREGATE's
// errors.
func (m *Module) PlanAggregate(args [][]byte) (*AggregatePlan, error) {
	idx := m.lookup(string(args[1]))
	if idx == nil {
		return nil, errorString("No such index " + string(args[1]))
	}
	req, err := m.parseAggregate(idx, args[2:])
	if err != nil {
		return nil, err
	}
	knn := req.distributeKNN()
	_, coord := aggregate.Distribute(req.agg)
	return &AggregatePlan{
		m: m, idx: idx, areq: req,
		req: req.agg, coord: coord,
		keyOrder: aggregate.KeyOrder(req.agg, aggSchema{idx.Spec()}),
		Timeout:  req.query.timeoutMs,
		Fail:     m.cfg.OnTimeoutFail(),
		KNN:      knn,
	}, nil
}

// WriteMerged merges the shards' replies (each an answered `_FT.AGGREGATE`)
// and writes the client's reply. It needs no lock: the rows carry every
// value.
func (p *AggregatePlan) WriteMerged(w *resp.Writer, replies []redcon.RESP, warnings []string) {
	run, err := p.merge(replies, warnings)
	if err != nil {
		w.Error(err.Error())
		return
	}
	if p.req.WithCursor {
		// The coordinator keeps the cursor (odd ids): FT.CURSOR READ on
		// this node reads the merged rows.
		p.m.startCursor(run, true, false, inlineReply{w})
		return
	}
	replyAggregate(w, run)
}

// merge builds the coordinator's pipeline over the shards' rows.
func (p *AggregatePlan) merge(replies []redcon.RESP, warnings []string) (*aggRun, error) {
	shards := make([]aggregate.ShardRows, 0, len(replies))
	for _, r := range replies {
		var sr aggregate.ShardRows
		first := true
		r.ForEach(func(e redcon.RESP) bool {
			if first {
				sr.Total, first = e.Int(), false
				return true
			}
			var row []aggregate.Field
			var name string
			i := 0
			e.ForEach(func(f redcon.RESP) bool {
				if i%2 == 0 {
					name = f.String()
				} else {
					row = append(row, aggregate.Field{Name: name, Value: readWireValue(f)})
				}
				i++
				return true
			})
			sr.Rows = append(sr.Rows, row)
			return true
		})
		shards = append(shards, sr)
	}
	if p.KNN != nil && len(shards) > 0 {
		// The KNN step lets K rows through: the count the pipeline starts
		// from is min(K, the shards' counts), the standalone count.
		var sum int64
		for i := range shards {
			sum += shards[i].Total
			shards[i].Total = 0
		}
		shards[0].Total = min(sum, max(p.KNN.K, 0))
	}
	pipe, err := aggregate.BuildCoordinator(p.req, p.coord, p.keyOrder, shards)
	if err != nil {
		return nil, err
	}
	return &aggRun{pipe: pipe, warnings: warnings, req: p.areq, idx: p.idx, loader: &hashLoader{m: p.m, idx: p.idx, multi: p.areq.query.dialect >= 3}}, nil
}
