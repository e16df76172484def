package server

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
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
	owners := make([]string, 0, len(m.demand))
	for owner, n := range m.demand {
		want += n
		owners = append(owners, owner)
	}
	want = min(want, runtime.NumCPU())
	if want == m.current {
		return
	}
	sort.Strings(owners)
	prev := runtime.GOMAXPROCS(want)
	m.current = want
	s.log.Log(context.Background(), LevelVerbose, fmt.Sprintf("Go runtime sized to %d thread(s) (was %d): the main thread plus %v, on %d CPUs",
		want, prev, owners, runtime.NumCPU()))
}
