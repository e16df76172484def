package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// Tests of Pub/Sub with raw clients. Every expected reply below is what
// redis-server 7.0.15 sends for the same commands (recorded with two raw
// connections), unless a comment says otherwise.

// Push3 is a RESP3 push of raw elements.
func Push3(elems ...string) string {
	return ">" + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// subMsg is a (un)subscribe confirmation or a message: an array in RESP2,
// a push in RESP3.
func subMsg(proto int, elems ...string) string {
	if proto == 3 {
		return Push3(elems...)
	}
	return Arr(elems...)
}

const errSubscribedGet = "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"

func TestPubsubRESP2(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	sub := func(verb, name string, n int64) string { return Arr(Bulk(verb), Bulk(name), Int(n)) }

	// Unsubscribing with no subscription answers a null channel.
	MustDo(t, a, "UNSUBSCRIBE", Arr(Bulk("unsubscribe"), Nil, Int(0)))
	MustDo(t, a, "PUNSUBSCRIBE", Arr(Bulk("punsubscribe"), Nil, Int(0)))
	MustDo(t, a, "SUNSUBSCRIBE", Arr(Bulk("sunsubscribe"), Nil, Int(0)))
	MustDo(t, a, "GET", "x", Nil) // not in Pub/Sub mode

	// A channel subscribed twice counts once; patterns count with channels,
	// shard channels apart.
	MustDo(t, a, "SUBSCRIBE", "c1", "c2", "c1", sub("subscribe", "c1", 1)+sub("subscribe", "c2", 2)+sub("subscribe", "c1", 2))
	MustDo(t, a, "PSUBSCRIBE", "p*", sub("psubscribe", "p*", 3))
	MustDo(t, a, "SSUBSCRIBE", "s1", sub("ssubscribe", "s1", 1))

	// RESP2 Pub/Sub mode: other commands are refused, PING answers in the
	// shape of a message.
	MustDo(t, a, "GET", "x", Err(errSubscribedGet))
	MustDo(t, a, "PUBSUB", "NUMPAT", Err("ERR Can't execute 'pubsub|numpat': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"))
	MustDo(t, a, "PING", Arr(Bulk("pong"), Bulk("")))
	MustDo(t, a, "PING", "hi", Arr(Bulk("pong"), Bulk("hi")))

	MustDo(t, b, "PUBLISH", "c1", "m", Int(1))
	a.Expect(Arr(Bulk("message"), Bulk("c1"), Bulk("m")))
	MustDo(t, b, "PUBLISH", "px", "m2", Int(1))
	a.Expect(Arr(Bulk("pmessage"), Bulk("p*"), Bulk("px"), Bulk("m2")))
	MustDo(t, b, "SPUBLISH", "s1", "m3", Int(1))
	a.Expect(Arr(Bulk("smessage"), Bulk("s1"), Bulk("m3")))
	// A shard channel is not a channel, nor matched by patterns.
	MustDo(t, b, "PUBLISH", "s1", "x", Int(0))
	MustDo(t, b, "SPUBLISH", "px", "x", Int(0))
	MustDo(t, b, "PUBLISH", "nobody", "x", Int(0))

	MustDo(t, b, "PUBSUB", "CHANNELS", "c1*", Strs("c1"))
	MustDo(t, b, "PUBSUB", "NUMSUB", "c1", "zz", Arr(Bulk("c1"), Int(1), Bulk("zz"), Int(0)))
	MustDo(t, b, "PUBSUB", "NUMSUB", Arr())
	MustDo(t, b, "PUBSUB", "NUMPAT", Int(1))
	MustDo(t, b, "PUBSUB", "SHARDCHANNELS", Strs("s1"))
	MustDo(t, b, "PUBSUB", "SHARDNUMSUB", "s1", Arr(Bulk("s1"), Int(1)))
	MustDo(t, b, "PUBSUB", "CHANNELS", "a", "b", Err("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."))
	MustDo(t, b, "PUBSUB", "NUMPAT", "x", Err("ERR wrong number of arguments for 'pubsub|numpat' command"))

	list := string(b.Do("CLIENT", "LIST").Data)
	if !strings.Contains(list, " flags=P db=0 sub=2 psub=1 ssub=1 ") {
		t.Errorf("CLIENT LIST does not show the subscriber's flags=P sub=2 psub=1 ssub=1:\n%s", list)
	}
	info := string(b.Do("INFO", "stats").Data)
	for _, f := range []string{"pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:1\r\n"} {
		if !strings.Contains(info, f) {
			t.Errorf("INFO stats lacks %q:\n%s", f, info)
		}
	}

	// Unsubscribing from everything: replies in subscription order here
	// (Redis' dict order for channels; one name per kind keeps it fixed
	// below). The client stays in Pub/Sub mode while any kind remains.
	MustDo(t, a, "UNSUBSCRIBE", "c2", sub("unsubscribe", "c2", 2))
	MustDo(t, a, "UNSUBSCRIBE", sub("unsubscribe", "c1", 1))
	MustDo(t, a, "GET", "x", Err(errSubscribedGet))
	MustDo(t, a, "PUNSUBSCRIBE", sub("punsubscribe", "p*", 0))
	MustDo(t, a, "GET", "x", Err(errSubscribedGet))
	MustDo(t, a, "SUNSUBSCRIBE", sub("sunsubscribe", "s1", 0))
	MustDo(t, a, "GET", "x", Nil)
	MustDo(t, a, "PING", Status("PONG"))
	MustDo(t, b, "PUBSUB", "NUMSUB", "c1", Arr(Bulk("c1"), Int(0)))
	MustDo(t, b, "PUBSUB", "NUMPAT", Int(0))
	MustDo(t, b, "PUBSUB", "SHARDCHANNELS", Arr())
	MustDo(t, b, "PUBLISH", "c1", "m", Int(0))
	if list := string(b.Do("CLIENT", "LIST").Data); strings.Contains(list, "flags=P") || !strings.Contains(list, " sub=0 psub=0 ssub=0 ") {
		t.Errorf("CLIENT LIST after unsubscribing:\n%s", list)
	}
}

func TestPubsubRESP3(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	a.Hello3()
	MustDo(t, a, "UNSUBSCRIBE", Push3(Bulk("unsubscribe"), Null, Int(0)))
	MustDo(t, a, "SUBSCRIBE", "c1", Push3(Bulk("subscribe"), Bulk("c1"), Int(1)))
	// RESP3 allows every command while subscribed; PING is plain.
	MustDo(t, a, "GET", "x", Null)
	MustDo(t, a, "PING", Status("PONG"))
	MustDo(t, b, "PUBLISH", "c1", "hello", Int(1))
	a.Expect(Push3(Bulk("message"), Bulk("c1"), Bulk("hello")))
	MustDo(t, a, "PSUBSCRIBE", "c*", Push3(Bulk("psubscribe"), Bulk("c*"), Int(2)))
	MustDo(t, b, "PUBLISH", "c1", "two", Int(2))
	a.Expect(Push3(Bulk("message"), Bulk("c1"), Bulk("two")) + Push3(Bulk("pmessage"), Bulk("c*"), Bulk("c1"), Bulk("two")))

	// A subscriber publishing to itself: Redis 7.2+ sends the messages
	// after the command's reply (7.0 sent them first); we follow 8.2. In a
	// transaction they follow EXEC's reply.
	msgs := Push3(Bulk("message"), Bulk("c1"), Bulk("self")) + Push3(Bulk("pmessage"), Bulk("c*"), Bulk("c1"), Bulk("self"))
	MustDo(t, a, "PUBLISH", "c1", "self", Int(2)+msgs)
	MustDo(t, a, "MULTI", OK)
	MustDo(t, a, "PUBLISH", "c1", "self", Status("QUEUED"))
	MustDo(t, a, "EXEC", Arr(Int(2))+msgs)

	// RESET leaves Pub/Sub mode and RESP3.
	MustDo(t, a, "RESET", Status("RESET"))
	MustDo(t, b, "PUBLISH", "c1", "gone", Int(0))
	MustDo(t, a, "PING", Status("PONG"))
	MustDo(t, b, "PUBSUB", "NUMPAT", Int(0))
}

// waitNumsub polls PUBSUB NUMSUB until the channel has want subscribers.
func waitNumsub(t *testing.T, c *Conn, channel string, want int64) {
	t.Helper()
	wantReply := Arr(Bulk(channel), Int(want))
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		got := string(c.Do("PUBSUB", "NUMSUB", channel).Raw)
		if got == wantReply {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("PUBSUB NUMSUB %s: %q, want %q", channel, got, wantReply)
		}
	}
}

func TestPubsubDisconnectUnsubscribes(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, a, "SUBSCRIBE", "c", Arr(Bulk("subscribe"), Bulk("c"), Int(1)))
	MustDo(t, a, "PSUBSCRIBE", "*", Arr(Bulk("psubscribe"), Bulk("*"), Int(2)))
	MustDo(t, a, "SSUBSCRIBE", "s", Arr(Bulk("ssubscribe"), Bulk("s"), Int(1)))
	a.Close()
	waitNumsub(t, b, "c", 0)
	// QUIT's +OK goes through the subscriber's output feed: it is written
	// before the connection closes.
	q := Dial(t, s.Addr())
	MustDo(t, q, "SUBSCRIBE", "c", Arr(Bulk("subscribe"), Bulk("c"), Int(1)))
	MustDo(t, q, "QUIT", OK)
	q.ExpectClosed()
	waitNumsub(t, b, "c", 0)
	MustDo(t, b, "PUBSUB", "NUMPAT", Int(0))
	MustDo(t, b, "PUBSUB", "SHARDNUMSUB", "s", Arr(Bulk("s"), Int(0)))
	MustDo(t, b, "PUBLISH", "c", "m", Int(0))
	// goleak (TestMain) checks that the subscriber's output goroutine ended.
}

// A subscriber that does not read must not hold the publisher: its output
// is written by its own goroutine, and past the pubsub hard limit (32 MB,
// Redis' default client-output-buffer-limit pubsub) it is disconnected.
func TestPubsubSlowSubscriber(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, a, "SUBSCRIBE", "c", Arr(Bulk("subscribe"), Bulk("c"), Int(1)))
	payload := strings.Repeat("x", 1<<20)
	start := time.Now()
	// 64 MB to a client that never reads: far more than the socket buffers
	// and the 32 MB limit. Every PUBLISH is answered.
	for i := 0; i < 64; i++ {
		r := b.Do("PUBLISH", "c", payload)
		if r.Type != ':' {
			t.Fatalf("PUBLISH %d: %q", i, r.Raw)
		}
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("64 PUBLISH to a stalled subscriber took %v", d)
	}
	waitNumsub(t, b, "c", 0)
	MustDo(t, b, "PUBLISH", "c", "m", Int(0))
}

// The subscription's confirmation precedes any message, even with a
// publisher running at the same time.
func TestPubsubConfirmationBeforeMessages(t *testing.T) {
	s := server.RunT(t)
	b := Dial(t, s.Addr())
	stop := make(chan struct{})
	done := make(chan struct{})
	pub := Dial(t, s.Addr())
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			pub.Send("PUBLISH", "c", "m")
			pub.Read()
		}
	}()
	defer func() { close(stop); <-done }()
	for i := 0; i < 50; i++ {
		a := Dial(t, s.Addr())
		a.Send("SUBSCRIBE", "c")
		a.Expect(Arr(Bulk("subscribe"), Bulk("c"), Int(1)))
		a.Close()
	}
	waitNumsub(t, b, "c", 0)
}

// In cluster mode shard channels are keys: SSUBSCRIBE and SPUBLISH of
// another shard's slot get -MOVED, channels of several slots -CROSSSLOT (as
// Redis 7.0's getNodeByQuery); plain channels are node-local.
func TestPubsubCluster(t *testing.T) {
	ports := freePorts(t, 2)
	nodes := []string{"127.0.0.1:" + strconv.Itoa(ports[0]), "127.0.0.1:" + strconv.Itoa(ports[1])}
	var srvs []*server.Server
	for _, p := range ports {
		srvs = append(srvs, server.RunT(t, server.Options{Config: []string{"port " + strconv.Itoa(p), "cluster-enabled yes",
			server.DirectiveLine("cluster-nodes", strings.Join(nodes, " "))}}))
	}
	// The first node serves slots 0-8191: pick a channel there and one on
	// the other node.
	var local, remote string
	for i := 0; local == "" || remote == ""; i++ {
		name := "ch" + strconv.Itoa(i)
		if server.KeySlot([]byte(name)) <= 8191 {
			if local == "" {
				local = name
			}
		} else if remote == "" {
			remote = name
		}
	}
	moved := Err("MOVED " + strconv.Itoa(server.KeySlot([]byte(remote))) + " " + nodes[1])
	a, b := Dial(t, srvs[0].Addr()), Dial(t, srvs[0].Addr())
	MustDo(t, a, "SSUBSCRIBE", remote, moved)
	MustDo(t, a, "SSUBSCRIBE", local, remote, Err(server.ErrCrossSlot))
	MustDo(t, a, "SSUBSCRIBE", local, Arr(Bulk("ssubscribe"), Bulk(local), Int(1)))
	// The redirection comes before the RESP2 Pub/Sub mode check.
	MustDo(t, a, "GET", remote, moved)
	MustDo(t, a, "GET", local, Err(errSubscribedGet))
	MustDo(t, b, "SPUBLISH", remote, "m", moved)
	MustDo(t, b, "SPUBLISH", local, "m", Int(1))
	a.Expect(Arr(Bulk("smessage"), Bulk(local), Bulk("m")))
	MustDo(t, b, "PUBLISH", remote, "m", Int(0))
	MustDo(t, a, "SUNSUBSCRIBE", Arr(Bulk("sunsubscribe"), Bulk(local), Int(0)))
}

// ksn is the pair of messages a psubscriber of __key*__:* gets for an event
// on a key of db 0, with K and E on.
func ksn(key, event string) string {
	pat := Bulk("__key*__:*")
	return Arr(Bulk("pmessage"), pat, Bulk("__keyspace@0__:"+key), Bulk(event)) +
		Arr(Bulk("pmessage"), pat, Bulk("__keyevent@0__:"+event), Bulk(key))
}

// Keyspace notifications, each event as redis-server 7.0.15 sends it for
// the same command.
func TestKeyspaceNotifications(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, b, "CONFIG", "SET", "notify-keyspace-events", "KEA", OK)
	MustDo(t, a, "PSUBSCRIBE", "__key*__:*", Arr(Bulk("psubscribe"), Bulk("__key*__:*"), Int(1)))
	for _, tc := range []struct {
		cmd    []string
		reply  string
		events string
	}{
		{[]string{"SET", "s", "v"}, OK, ksn("s", "set")},
		{[]string{"APPEND", "s", "x"}, Int(2), ksn("s", "append")},
		{[]string{"INCR", "n"}, Int(1), ksn("n", "incrby")},
		{[]string{"HSET", "h", "f", "v"}, Int(1), ksn("h", "hset")},
		{[]string{"HDEL", "h", "f"}, Int(1), ksn("h", "hdel") + ksn("h", "del")},
		{[]string{"LPUSH", "l", "a", "b"}, Int(2), ksn("l", "lpush")},
		{[]string{"RPOP", "l"}, Bulk("a"), ksn("l", "rpop")},
		{[]string{"LPOP", "l"}, Bulk("b"), ksn("l", "lpop") + ksn("l", "del")},
		{[]string{"SADD", "st", "a"}, Int(1), ksn("st", "sadd")},
		{[]string{"SREM", "st", "a"}, Int(1), ksn("st", "srem") + ksn("st", "del")},
		{[]string{"SET", "e", "v", "PX", "1"}, OK, ksn("e", "set") + ksn("e", "expire")},
		{[]string{"GET", "nope"}, Nil, ""}, // keymiss is not in A
	} {
		MustDo(t, b, append(tc.cmd, tc.reply)...)
		if tc.events != "" {
			a.Expect(tc.events)
		}
	}
	time.Sleep(20 * time.Millisecond)
	MustDo(t, b, "GET", "e", Nil)
	a.Expect(ksn("e", "expired"))

	// n and m are not in A, and KEAn reads back as AKE.
	MustDo(t, b, "CONFIG", "SET", "notify-keyspace-events", "KEAnm", OK)
	MustDo(t, b, "CONFIG", "GET", "notify-keyspace-events", Strs("notify-keyspace-events", "AKEm"))
	MustDo(t, b, "GET", "nope", Nil)
	a.Expect(ksn("nope", "keymiss"))
	MustDo(t, b, "SET", "n2", "v", OK)
	a.Expect(ksn("n2", "new") + ksn("n2", "set"))

	// Only the selected classes and channels: keyspace of list events.
	MustDo(t, b, "CONFIG", "SET", "notify-keyspace-events", "Kl", OK)
	MustDo(t, b, "DEL", "n2", Int(1))
	MustDo(t, b, "RPUSH", "l2", "v", Int(1))
	a.Expect(Arr(Bulk("pmessage"), Bulk("__key*__:*"), Bulk("__keyspace@0__:l2"), Bulk("rpush")))
	MustDo(t, b, "CONFIG", "SET", "notify-keyspace-events", "", OK)
	MustDo(t, b, "DEL", "l2", Int(1))
	// Nothing more came: the next thing the subscriber reads is its PING.
	MustDo(t, a, "PING", Arr(Bulk("pong"), Bulk("")))
}

// CLIENT LIST TYPE and CLIENT KILL TYPE know subscribers as "pubsub"
// (redis-server 7.0: getClientType).
func TestPubsubClientType(t *testing.T) {
	s := server.RunT(t)
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	MustDo(t, a, "SUBSCRIBE", "c", Arr(Bulk("subscribe"), Bulk("c"), Int(1)))
	if l := string(b.Do("CLIENT", "LIST", "TYPE", "pubsub").Data); strings.Count(l, "\n") != 1 || !strings.Contains(l, "flags=P") {
		t.Errorf("CLIENT LIST TYPE pubsub:\n%s", l)
	}
	if l := string(b.Do("CLIENT", "LIST", "TYPE", "normal").Data); strings.Count(l, "\n") != 1 || strings.Contains(l, "flags=P") {
		t.Errorf("CLIENT LIST TYPE normal:\n%s", l)
	}
	MustDo(t, b, "CLIENT", "KILL", "TYPE", "pubsub", Int(1))
	a.ExpectClosed()
	MustDo(t, b, "CLIENT", "KILL", "TYPE", "pubsub", Int(0))
}
