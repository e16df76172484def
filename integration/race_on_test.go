//go:build race

package integration

// raceEnabled: the race detector slows everything down 5 to 10 times, so
// the latency bounds of the incident tests are asserted by the run without
// it (make test runs both).
const raceEnabled = true
