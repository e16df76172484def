package server

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// The shard runs as many threads of work as Redis does: one main thread,
// plus the threads modules start (the search module's workers, the
// coordinator's IO threads). When the server owns the process (the binary
// sets Options.ManageGOMAXPROCS), the Go runtime is sized to that number,
// capped by the CPUs: more Ps than threads of work buy nothing here (every
// command runs under the main-thread lock) and cost wake-ups and CPU
// contention with clients on the same machine. A GOMAXPROCS environment
// variable overrides this.
type procsManager struct {
	mu      sync.Mutex
	enabled bool
	demand  map[string]int
	current int
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
	s.applyProcsLocked()
}

func (s *Server) applyProcsLocked() {
	m := &s.procs
	if !m.enabled {
		return
	}
	want := 1
	for _, n := range m.demand {
		want += n
	}
	cpus := runtime.NumCPU()
	want = min(want, cpus)
	if want == m.current {
		return
	}
	prev := runtime.GOMAXPROCS(want)
	m.current = want
	s.log.Log(context.Background(), LevelVerbose, procsLogLine(want, prev, m.demand, cpus))
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
