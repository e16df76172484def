package server

import (
	"context"
	"fmt"
	"maps"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// The shard runs as many threads of work as Redis does: one main thread,
// plus the threads modules start (the search module's workers, the
// coordinator's IO threads). When the server owns the process (the binary
// sets Options.ManageGOMAXPROCS), the Go runtime is sized to that number,
// capped by the CPUs: more Ps than threads of work buy nothing here (every
// command runs under the main-thread lock) and cost wake-ups and CPU
// contention with clients on the same machine. A GOMAXPROCS environment
// variable overrides this.
//
// One more P is taken while the main thread is saturated by long commands
// (vector inserts, inline queries, scripts): then the connections' reads,
// parsing and reply writes, which Redis does on its main thread but which
// run here on each connection's goroutine, wait behind the main thread for
// the only P; a second one lets them overlap with it. Short commands never
// claim it: with redis-benchmark's 50 clients of GET/SET the second P only
// competed with the clients for the CPUs (0.81-0.88 of redis-server,
// against 0.90-1.04 sized to 1).
//
// The runtime is resized by a goroutine of its own, never by the caller:
// runtime.GOMAXPROCS stops the world, and first waits for a garbage
// collection in progress to end, which under a query load took up to 11 ms
// (measured: CONFIG SET search-workers 0 under incident.py's heavy load).
// CONFIG SET runs on the main thread, which must not wait for that.
type procsManager struct {
	mu      sync.Mutex
	enabled bool
	demand  map[string]int
	target  int           // the size wanted, applied by the resizer
	resize  chan struct{} // wakes the resizer; nil until it runs
	load    mainThreadLoad
}

// networkIOOwner is the demand's name for the extra P of a saturated main
// thread.
const networkIOOwner = "network I/O beside long commands"

// mainThreadLoad decides, from the main thread's time in commands sampled
// every cron tick, whether it is saturated by long commands. It turns on
// after hotTicksOn consecutive hot samples and off after coldTicksOff
// consecutive samples that are not, so that a burst does not resize the
// runtime back and forth.
type mainThreadLoad struct {
	lastBusy  int64 // nanoseconds in commands, as of the last sample
	lastCalls int64
	lastAt    time.Time
	hot, cold int
	on        bool
}

const (
	saturatedBusy = 0.6                   // fraction of the tick spent in commands
	longCommand   = 20 * time.Microsecond // mean time of a command
	hotTicksOn    = 2
	coldTicksOff  = 10
)

// observe takes a sample (the running totals) and says whether the main
// thread counts as saturated by long commands.
func (l *mainThreadLoad) observe(now time.Time, busyNanos, calls int64) bool {
	if l.lastAt.IsZero() {
		l.lastAt, l.lastBusy, l.lastCalls = now, busyNanos, calls
		return l.on
	}
	period := now.Sub(l.lastAt)
	busy, n := busyNanos-l.lastBusy, calls-l.lastCalls
	l.lastAt, l.lastBusy, l.lastCalls = now, busyNanos, calls
	hot := period > 0 && n > 0 &&
		float64(busy) >= saturatedBusy*float64(period) &&
		time.Duration(busy/n) >= longCommand
	if hot {
		l.hot, l.cold = l.hot+1, 0
		if l.hot >= hotTicksOn {
			l.on = true
		}
	} else {
		l.hot, l.cold = 0, l.cold+1
		if l.cold >= coldTicksOff {
			l.on = false
		}
	}
	return l.on
}

// sampleMainThreadLoad runs on the cron: with a managed runtime, the extra
// P follows the main thread's load.
func (s *Server) sampleMainThreadLoad() {
	m := &s.procs
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.enabled {
		return
	}
	on := m.load.observe(time.Now(), s.stats.busyNanos.Load(), s.stats.commands.Load())
	if _, had := m.demand[networkIOOwner]; had == on {
		return
	}
	if m.demand == nil {
		m.demand = map[string]int{}
	}
	if on {
		m.demand[networkIOOwner] = 1
	} else {
		delete(m.demand, networkIOOwner)
	}
	s.applyProcsLocked()
}

// SetThreadDemand records how many goroutines of real work owner runs
// besides the main thread (a worker pool's size, say); with
// ManageGOMAXPROCS the runtime is resized to 1 + the sum, capped by the
// CPUs. Safe from any goroutine.
func (s *Server) SetThreadDemand(owner string, n int) {
	m := &s.procs
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.demand == nil {
		m.demand = map[string]int{}
	}
	if n <= 0 {
		delete(m.demand, owner)
	} else {
		m.demand[owner] = n
	}
	s.applyProcsLocked()
}

func (s *Server) startProcsManager(enabled bool) {
	m := &s.procs
	m.mu.Lock()
	defer m.mu.Unlock()
	if !enabled {
		return
	}
	if env := os.Getenv("GOMAXPROCS"); env != "" {
		s.log.Info("GOMAXPROCS=" + env + " set in the environment: the Go runtime is not resized")
		return
	}
	m.enabled = true
	// The first sizing is done here, before the server takes clients.
	m.target = m.wanted()
	s.resizeTo(m.target, m.demand)
	m.resize = make(chan struct{}, 1)
	s.wg.Add(1)
	go s.resizeRuntime(m.target)
}

// setGOMAXPROCS resizes the runtime; a test replaces it to hold a resize
// in progress.
var setGOMAXPROCS = runtime.GOMAXPROCS

// resizeRuntime is the server's goroutine that sizes the Go runtime to the
// manager's target whenever it changes, until the server stops.
func (s *Server) resizeRuntime(applied int) {
	defer s.wg.Done()
	m := &s.procs
	for {
		select {
		case <-s.quit:
			return
		case <-m.resize:
		}
		m.mu.Lock()
		want, demand := m.target, maps.Clone(m.demand)
		m.mu.Unlock()
		if want != applied {
			s.resizeTo(want, demand)
			applied = want
		}
	}
}

// resizeTo sizes the runtime and logs why.
func (s *Server) resizeTo(want int, demand map[string]int) {
	prev := setGOMAXPROCS(want)
	s.log.Log(context.Background(), LevelVerbose, procsLogLine(want, prev, demand, runtime.NumCPU()))
}

// wanted is the runtime's size for the current demand: one P for the main
// thread and one per thread of work, capped by the CPUs. The caller holds
// m.mu.
func (m *procsManager) wanted() int {
	want := 1
	for _, n := range m.demand {
		want += n
	}
	return min(want, runtime.NumCPU())
}

// applyProcsLocked asks the resizer for the size the demand now calls for.
// The caller holds m.mu.
func (s *Server) applyProcsLocked() {
	m := &s.procs
	if !m.enabled {
		return
	}
	want := m.wanted()
	if want == m.target {
		return
	}
	m.target = want
	select {
	case m.resize <- struct{}{}:
	default: // a wake-up is pending: it reads the newest target
	}
}

// procsLogLine says how the runtime was sized: "Go runtime sized to 5
// threads (was 1): the main thread and 4 threads for search-workers (8
// CPUs)".
func procsLogLine(want, prev int, demand map[string]int, cpus int) string {
	threads := func(n int) string {
		if n == 1 {
			return "1 thread"
		}
		return fmt.Sprintf("%d threads", n)
	}
	owners := make([]string, 0, len(demand))
	total := 1
	for owner, n := range demand {
		owners = append(owners, owner)
		total += n
	}
	sort.Strings(owners)
	parts := []string{"the main thread"}
	for _, owner := range owners {
		parts = append(parts, threads(demand[owner])+" for "+owner)
	}
	who := "the main thread alone"
	if len(parts) > 1 {
		who = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	line := fmt.Sprintf("Go runtime sized to %s (was %d): %s", threads(want), prev, who)
	if total > want {
		if cpus == 1 {
			return line + ", capped at the single CPU"
		}
		return line + fmt.Sprintf(", capped at the %d CPUs", cpus)
	}
	if cpus == 1 {
		return line + " (1 CPU)"
	}
	return line + fmt.Sprintf(" (%d CPUs)", cpus)
}
