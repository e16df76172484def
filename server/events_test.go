package server_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"

	"github.com/miniredis-search/miniredis-search/server"
)

// eventRecorder is a test module that records every keyspace event.
type eventRecorder struct {
	mu     sync.Mutex
	events []server.KeyEvent
}

func (m *eventRecorder) Name() string { return "events" }
func (m *eventRecorder) Version() int { return 1 }
func (m *eventRecorder) Start() error { return nil }
func (m *eventRecorder) Stop()        {}
func (m *eventRecorder) Load(mc *server.ModuleContext) error {
	mc.SubscribeKeyspace(func(ev server.KeyEvent) {
		m.mu.Lock()
		m.events = append(m.events, ev)
		m.mu.Unlock()
	})
	return nil
}

// takeEvents returns the events recorded since the last take.
func (m *eventRecorder) takeEvents() []server.KeyEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev := m.events
	m.events = nil
	return ev
}

// take returns the events since the last take as "event:key", space-separated.
func (m *eventRecorder) take() string {
	var parts []string
	for _, ev := range m.takeEvents() {
		parts = append(parts, ev.Event+":"+ev.Key)
	}
	return strings.Join(parts, " ")
}

// takeLines returns the events since the last take as "db event key".
func (m *eventRecorder) takeLines() []string {
	var lines []string
	for _, ev := range m.takeEvents() {
		lines = append(lines, strconv.Itoa(ev.DB)+" "+ev.Event+" "+ev.Key)
	}
	return lines
}

// eventServer starts a server with DEBUG enabled and an event recorder.
func eventServer(t *testing.T, config ...string) (*Conn, *eventRecorder) {
	t.Helper()
	rec := &eventRecorder{}
	s := server.RunT(t, server.Options{
		Config:  append([]string{"enable-debug-command yes"}, config...),
		Modules: []server.Module{rec},
	})
	return Dial(t, s.Addr()), rec
}

// eventStep is a command, its exact reply ("" leaves it unchecked) and the
// keyspace events it must send, space-separated.
type eventStep struct {
	cmd    []string
	reply  string
	events string
}

// runEventSteps runs the steps in order on c, checking each reply and the
// events rec got for it.
func runEventSteps(t *testing.T, c *Conn, rec *eventRecorder, steps []eventStep) {
	t.Helper()
	for _, st := range steps {
		r := c.Do(st.cmd...)
		if st.reply != "" && string(r.Raw) != st.reply {
			t.Errorf("%q: %q, want %q", st.cmd, r.Raw, st.reply)
		}
		if got := rec.take(); got != st.events {
			t.Errorf("%q: events %q, want %q", st.cmd, got, st.events)
		}
	}
}
