package coord

import (
	"time"

	"github.com/tidwall/redcon"
)

// request is one fan-out: the same command to every shard. It holds a slot
// of its runtime's queue from dispatch until every shard answered or its
// deadline passed; then onDone runs once, on the runtime's goroutine, and
// replies that come later are dropped.
type request struct {
	args     [][]byte
	nodes    []string
	deadline time.Time // zero: none
	onDone   func(replies []shardReply, timedOut bool)

	// Owned by the runtime's goroutine.
	replies []shardReply
	got     int
	slot    bool
	done    bool
}

// shardReply is a shard's answer: a value, or an error of the transport
// (an error reply of the shard is a value).
type shardReply struct {
	val redcon.RESP
	err string // "" when val is set
}

func newRequest(args [][]byte, nodes []string, deadline time.Time, onDone func([]shardReply, bool)) *request {
	return &request{args: args, nodes: nodes, deadline: deadline, onDone: onDone, replies: make([]shardReply, len(nodes))}
}

// answered tells whether the shard replied (with a value).
func (r shardReply) answered() bool { return r.err == "" && r.val.Type != 0 }
