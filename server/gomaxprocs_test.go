package server

import "testing"

// TestProcsLogLine: the verbose line that says how the binary sized the Go
// runtime reads as a sentence, with or without module threads, capped by
// the CPUs or not.
func TestProcsLogLine(t *testing.T) {
	for _, c := range []struct {
		want, prev int
		demand     map[string]int
		cpus       int
		line       string
	}{
		{1, 2, nil, 2, "Go runtime sized to 1 thread (was 2): the main thread alone (2 CPUs)"},
		{5, 1, map[string]int{"search-workers": 4}, 8, "Go runtime sized to 5 threads (was 1): the main thread and 4 threads for search-workers (8 CPUs)"},
		{2, 1, map[string]int{"search-workers": 1}, 8, "Go runtime sized to 2 threads (was 1): the main thread and 1 thread for search-workers (8 CPUs)"},
		{2, 1, map[string]int{"search-workers": 8}, 2, "Go runtime sized to 2 threads (was 1): the main thread and 8 threads for search-workers, capped at the 2 CPUs"},
		{1, 1, nil, 1, "Go runtime sized to 1 thread (was 1): the main thread alone (1 CPU)"},
		{1, 1, map[string]int{"search-workers": 4}, 1, "Go runtime sized to 1 thread (was 1): the main thread and 4 threads for search-workers, capped at the single CPU"},
		{4, 1, map[string]int{"search-workers": 2, "io": 1}, 4, "Go runtime sized to 4 threads (was 1): the main thread, 1 thread for io and 2 threads for search-workers (4 CPUs)"},
	} {
		if got := procsLogLine(c.want, c.prev, c.demand, c.cpus); got != c.line {
			t.Errorf("procsLogLine(%d, %d, %v, %d):\n got %q\nwant %q", c.want, c.prev, c.demand, c.cpus, got, c.line)
		}
	}
}
