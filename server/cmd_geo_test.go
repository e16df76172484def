package server_test

import (
	"strconv"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Expected events below are redis-server 7.0.15's (read with
// notify-keyspace-events KEA and PSUBSCRIBE __keyevent@0__:*): GEOADD is a
// ZADD, the STORE forms announce geosearchstore/georadiusstore, or del
// when nothing matched. Every reply is in
// integration/testdata/differential_geo.txt.
func TestGeoEvents(t *testing.T) {
	c, rec := eventServer(t)
	steps := []struct {
		cmd    []string
		events string
	}{
		{[]string{"GEOADD", "a", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, "zadd:a"},
		{[]string{"GEOADD", "a", "13.361389", "38.115556", "Palermo"}, ""},
		{[]string{"GEOADD", "a", "XX", "CH", "13.361389", "38.115556", "Palermo"}, ""},
		{[]string{"GEOADD", "a", "XX", "CH", "13", "38", "Palermo"}, "zadd:a"},
		{[]string{"GEOSEARCHSTORE", "d", "a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "geosearchstore:d"},
		{[]string{"GEORADIUS", "a", "15", "37", "200", "km", "STORE", "e"}, "georadiusstore:e"},
		{[]string{"GEORADIUS", "a", "15", "37", "200", "km", "STOREDIST", "e"}, "georadiusstore:e"},
		{[]string{"GEORADIUSBYMEMBER", "a", "Palermo", "1", "m", "STOREDIST", "e"}, "georadiusstore:e"},
		{[]string{"GEOSEARCHSTORE", "d", "a", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"}, "del:d"},
		{[]string{"GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"}, ""},
		{[]string{"GEORADIUS", "nokey", "0", "0", "1", "km", "STORE", "e"}, "del:e"},
	}
	for _, st := range steps {
		r := c.Do(st.cmd...)
		if r.Type == '-' {
			t.Fatalf("%q: %q", st.cmd, r.Raw)
		}
		if got := rec.take(); got != st.events {
			t.Errorf("%q: events %q, want %q", st.cmd, got, st.events)
		}
	}
}

// In cluster mode the STORE forms' destination is a key: with the source
// in another slot the command is -CROSSSLOT (the key specs' keys, as
// COMMAND GETKEYS lists them in redis-server 7.0).
func TestGeoCluster(t *testing.T) {
	ports := freePorts(t, 1)
	node := "127.0.0.1:" + strconv.Itoa(ports[0])
	s := server.RunT(t, server.Options{Config: []string{"port " + strconv.Itoa(ports[0]), "cluster-enabled yes",
		server.DirectiveLine("cluster-nodes", node)}})
	c := Dial(t, s.Addr())
	MustDoAll(t, c, [][]string{
		{"GEOADD", "{g}a", "13.361389", "38.115556", "Palermo", Int(1)},
		{"GEORADIUS", "{g}a", "13", "38", "100", "km", "STORE", "{h}b", Err(server.ErrCrossSlot)},
		{"GEORADIUSBYMEMBER", "{g}a", "Palermo", "100", "km", "STOREDIST", "{h}b", Err(server.ErrCrossSlot)},
		{"GEORADIUS", "{g}a", "13", "38", "100", "km", "STORE", "{g}b", "STOREDIST", "{h}c", Err(server.ErrCrossSlot)},
		{"GEOSEARCHSTORE", "{h}b", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", Err(server.ErrCrossSlot)},
		{"GEORADIUS", "{g}a", "13", "38", "100", "km", "STORE", "{g}b", Int(1)},
		{"GEOSEARCHSTORE", "{g}c", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", Int(1)},
		{"GEORADIUS_RO", "{g}a", "13", "38", "100", "km", Strs("Palermo")},
	})
}
