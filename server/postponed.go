package server

// Commands that arrive while a yielding operation has the main thread (a
// long inline query, a drain, a busy script) wait for it to end: they are
// postponed. When it ends they run in the order they arrived, as Redis'
// event loop would serve their clients after a long command, and not in
// the order their goroutines happen to be woken and win the main-thread
// lock: waking them all at once made the order random, and a client could
// lose that draw many times in a row (FT.AGGREGATE's p99 under 8 clients
// was 2.7 times the module's at the same rate).
//
// Only the first of them is woken when the operation ends; each one woken
// wakes the next once it holds the main-thread lock, so that they queue
// for the lock one behind the other. One that finds another operation
// under way when its turn comes waits again, in its place.

// postponedCmd is a client's command waiting for a yielding operation.
type postponedCmd struct {
	seq   uint64        // its arrival, across the server
	ready chan struct{} // closed when its turn comes
}

// postpone puts a waiting command in its place by arrival (a command that
// waits again keeps its place). The caller holds the main-thread lock.
func (s *Server) postpone(seq uint64) *postponedCmd {
	p := &postponedCmd{seq: seq, ready: make(chan struct{})}
	i := len(s.postponed)
	for i > 0 && s.postponed[i-1].seq > seq {
		i--
	}
	s.postponed = append(s.postponed, nil)
	copy(s.postponed[i+1:], s.postponed[i:])
	s.postponed[i] = p
	return p
}

// dropPostponed takes p out of the queue, where it still is when it stopped
// waiting for another reason than its turn (its -BUSY deadline, its client
// killed). It reports whether p was woken instead. The caller holds the
// main-thread lock.
func (s *Server) dropPostponed(p *postponedCmd) (woken bool) {
	for i, q := range s.postponed {
		if q == p {
			s.postponed = append(s.postponed[:i], s.postponed[i+1:]...)
			return false
		}
	}
	return true
}

// busyBegan tells the commands waiting their turn outside any operation
// that one began: each looks again, to get -BUSY once it has run past
// busy-reply-threshold. The caller holds the main-thread lock.
func (s *Server) busyBegan() {
	if s.turnCheck != nil {
		close(s.turnCheck)
		s.turnCheck = nil
	}
}

// turnChecked is what a command waiting its turn outside any operation
// watches (busyBegan). The caller holds the main-thread lock.
func (s *Server) turnChecked() <-chan struct{} {
	if s.turnCheck == nil {
		s.turnCheck = make(chan struct{})
	}
	return s.turnCheck
}

// wakePostponed gives the first waiting command its turn. The caller holds
// the main-thread lock.
func (s *Server) wakePostponed() {
	if len(s.postponed) == 0 {
		return
	}
	p := s.postponed[0]
	s.postponed = s.postponed[1:]
	close(p.ready)
}
