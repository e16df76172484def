package server

import (
	"sort"
	"sync"
	"time"

	"go.uber.org/atomic"
)

// serverStats are the counters INFO reports.
type serverStats struct {
	commands            atomic.Int64
	connectionsReceived atomic.Int64
	rejectedConnections atomic.Int64
	netInputBytes       atomic.Int64
	netOutputBytes      atomic.Int64
	expiredKeys         atomic.Int64
	keyspaceHits        atomic.Int64
	keyspaceMisses      atomic.Int64
	errorReplies        atomic.Int64
	blockedClients      atomic.Int64
	dirty               atomic.Int64
	// busyNanos is the main thread's time in commands (gomaxprocs.go's
	// load sampling).
	busyNanos atomic.Int64

	errMu      sync.Mutex
	errorCodes map[string]int64

	// instantaneous ops/sec and network rates, sampled by the cron.
	sampleMu     sync.Mutex
	lastSample   time.Time
	lastCommands int64
	lastIn       int64
	lastOut      int64
	opsPerSec    float64
	inKbps       float64
	outKbps      float64
}

func (st *serverStats) countErrorCode(code string, n int64) {
	st.errMu.Lock()
	st.errorCodes[code] += n
	st.errMu.Unlock()
}

func (st *serverStats) countError(reply string) {
	st.errorReplies.Inc()
	code := reply
	for i := 0; i < len(reply); i++ {
		if reply[i] == ' ' {
			code = reply[:i]
			break
		}
	}
	st.countErrorCode(code, 1)
}

func (st *serverStats) errorCodeCounts() [][2]any {
	st.errMu.Lock()
	defer st.errMu.Unlock()
	codes := make([]string, 0, len(st.errorCodes))
	for c := range st.errorCodes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([][2]any, len(codes))
	for i, c := range codes {
		out[i] = [2]any{c, st.errorCodes[c]}
	}
	return out
}

func (st *serverStats) resetErrors() {
	st.errMu.Lock()
	st.errorCodes = map[string]int64{}
	st.errMu.Unlock()
	st.errorReplies.Store(0)
}

// sample updates the instantaneous rates.
func (st *serverStats) sample() {
	st.sampleMu.Lock()
	defer st.sampleMu.Unlock()
	now := time.Now()
	cmds, in, out := st.commands.Load(), st.netInputBytes.Load(), st.netOutputBytes.Load()
	if !st.lastSample.IsZero() {
		dt := now.Sub(st.lastSample).Seconds()
		if dt > 0 {
			// Smooth a little, as Redis averages its samples.
			st.opsPerSec = 0.5*st.opsPerSec + 0.5*float64(cmds-st.lastCommands)/dt
			st.inKbps = 0.5*st.inKbps + 0.5*float64(in-st.lastIn)/dt/1024
			st.outKbps = 0.5*st.outKbps + 0.5*float64(out-st.lastOut)/dt/1024
		}
	}
	st.lastSample, st.lastCommands, st.lastIn, st.lastOut = now, cmds, in, out
}
