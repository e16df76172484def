package server

import (
	"testing"
	"time"
)

// TestClockNow: the start time derived from the last full clock reading
// stays within a millisecond of time.Now, and a reading older than
// clockResync is not extended (the wall clock is read again, so a step of
// the system clock shows within clockResync).
func TestClockNow(t *testing.T) {
	var c Ctx
	for i := 0; i < 20; i++ {
		before := time.Now()
		got := c.clockNow()
		after := time.Now()
		if got.Before(before.Add(-time.Millisecond)) || got.After(after.Add(time.Millisecond)) {
			t.Fatalf("clockNow %v, time.Now between %v and %v", got, before, after)
		}
		time.Sleep(7 * time.Millisecond)
	}
	old := time.Now().Add(-clockResync)
	c.clockBase = old
	got := c.clockNow()
	if !c.clockBase.After(old) || !got.Equal(c.clockBase) {
		t.Fatalf("a reading %v old was extended: base %v, clockNow %v", clockResync, c.clockBase.Sub(old), got)
	}
}
