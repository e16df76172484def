package server_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testModule registers commands that exercise the module API: blocking,
// replying from another goroutine, timeouts, panics.
type testModule struct {
	wg      sync.WaitGroup
	srv     *server.Server
	release chan struct{} // closed by the test: TEST.HOLD replies
	// TEST.BUSY closes busyStarted once it runs, and ends when the test
	// closes busyRelease.
	busyStarted, busyRelease chan struct{}
}

func (m *testModule) Name() string { return "test" }
func (m *testModule) Version() int { return 1 }
func (m *testModule) Start() error { return nil }
func (m *testModule) Stop()        { m.wg.Wait() }
func (m *testModule) Load(mc *server.ModuleContext) error {
	m.srv = mc.Server()
	cmds := []*server.Command{
		// TEST.BLOCK <ms> <reply>: replies <reply> from another goroutine
		// after <ms>, or inline inside MULTI.
		{Name: "test.block", Arity: 3, Handler: func(c *server.Ctx, args [][]byte) {
			ms, _ := strconv.Atoi(string(args[1]))
			reply := string(args[2])
			if !c.CanBlock() {
				c.W.BulkString(reply)
				return
			}
			bc := c.BlockClient(5*time.Second, nil)
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				select {
				case <-time.After(time.Duration(ms) * time.Millisecond):
				case <-bc.Abandoned():
					return
				}
				bc.Reply(func(w *resp.Writer) { w.BulkString(reply) })
			}()
		}},
		// TEST.HOLD <reply>: replies <reply> from another goroutine once
		// the test closes m.release.
		{Name: "test.hold", Arity: 2, Handler: func(c *server.Ctx, args [][]byte) {
			reply := string(args[1])
			bc := c.BlockClient(time.Minute, nil)
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				select {
				case <-m.release:
				case <-bc.Abandoned():
					return
				}
				bc.Reply(func(w *resp.Writer) { w.BulkString(reply) })
			}()
		}},
		// TEST.NOREPLY <timeout-ms>: blocks and never replies.
		{Name: "test.noreply", Arity: 2, Handler: func(c *server.Ctx, args [][]byte) {
			ms, _ := strconv.Atoi(string(args[1]))
			c.BlockClient(time.Duration(ms)*time.Millisecond, func(w *resp.Writer) {
				w.Error("TIMEOUT the reply did not come")
			})
		}},
		// TEST.LOCKED: a worker takes the main-thread lock, reads a key, and
		// replies with its value.
		{Name: "test.locked", Arity: 2, Handler: func(c *server.Ctx, args [][]byte) {
			key := string(args[1])
			bc := c.BlockClient(5*time.Second, nil)
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				m.srv.GIL().Lock()
				var v string
				if e := m.srv.DB(0).Lookup(key); e != nil {
					v = e.Str()
				}
				m.srv.GIL().Unlock()
				bc.Reply(func(w *resp.Writer) { w.BulkString(v) })
			}()
		}},
		// TEST.BUSY: holds the main thread, yielding every 2 ms as a long
		// module operation does, until the test closes m.busyRelease.
		{Name: "test.busy", Arity: 1, Handler: func(c *server.Ctx, args [][]byte) {
			close(m.busyStarted)
			for {
				select {
				case <-m.busyRelease:
					c.W.OK()
					return
				case <-time.After(2 * time.Millisecond):
					c.Yield("")
				}
			}
		}},
		{Name: "test.panic", Arity: 1, Handler: func(c *server.Ctx, args [][]byte) {
			c.W.Array(3)
			c.W.Int(1)
			panic("boom")
		}},
	}
	for _, c := range cmds {
		if err := mc.RegisterCommand(c); err != nil {
			return err
		}
	}
	return nil
}

func runWithTestModule(t *testing.T, config ...string) (*server.Server, *testModule) {
	m := &testModule{release: make(chan struct{}), busyStarted: make(chan struct{}), busyRelease: make(chan struct{})}
	s := server.RunT(t, server.Options{Modules: []server.Module{m}, Config: config})
	return s, m
}

func TestBlockedClientKeepsPipelineOrder(t *testing.T) {
	s, m := runWithTestModule(t)
	c := Dial(t, s.Addr())
	// A pipeline: the blocked command's reply comes from another goroutine,
	// and what follows it waits behind it.
	c.SendRaw(string(resp.AppendCommand(resp.AppendCommand(resp.AppendCommand(nil,
		"ECHO", "first"), "TEST.BLOCK", "50", "second"), "ECHO", "third")))
	c.Expect(Bulk("first") + Bulk("second") + Bulk("third"))

	// Other clients are served while one is blocked: its command cannot
	// reply before m.release is closed, and PING is answered before that.
	other := Dial(t, s.Addr())
	c.Send("TEST.HOLD", "slow")
	for deadline := time.Now().Add(ReplyTimeout); !strings.Contains(string(other.Do("INFO", "clients").Data), "blocked_clients:1\r\n"); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("TEST.HOLD did not block")
		}
	}
	MustDo(t, other, "PING", Status("PONG"))
	close(m.release)
	c.Expect(Bulk("slow"))

	// Inside MULTI the command cannot block: it runs inline.
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "TEST.BLOCK", "10", "inline", Status("QUEUED"))
	MustDo(t, c, "EXEC", Arr(Bulk("inline")))
}

func TestBlockedClientTimeout(t *testing.T) {
	s, _ := runWithTestModule(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "TEST.NOREPLY", "50", Err("TIMEOUT the reply did not come"))
	MustDo(t, c, "PING", Status("PONG"))
}

func TestWorkerTakesMainThreadLock(t *testing.T) {
	s, _ := runWithTestModule(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "SET", "k", "v", OK)
	MustDo(t, c, "TEST.LOCKED", "k", Bulk("v"))
}

func TestBlockedClientKilledWhileWaiting(t *testing.T) {
	s, _ := runWithTestModule(t)
	c := Dial(t, s.Addr())
	admin := Dial(t, s.Addr())
	id := c.Do("CLIENT", "ID").Int()
	c.Send("TEST.BLOCK", "2000", "late")
	time.Sleep(50 * time.Millisecond)
	MustDo(t, admin, "CLIENT", "KILL", "ID", strconv.FormatInt(id, 10), Int(1))
	c.ExpectClosed()
	MustDo(t, admin, "PING", Status("PONG"))
}

func TestPanicIsRecovered(t *testing.T) {
	s, _ := runWithTestModule(t)
	c := Dial(t, s.Addr())
	other := Dial(t, s.Addr())
	MustDo(t, c, "SET", "k", "v", OK)
	// The partial reply is dropped: exactly one error comes back.
	MustDo(t, c, "TEST.PANIC", Err("ERR internal error in 'test.panic' command: boom"))
	MustDo(t, c, "GET", "k", Bulk("v"))
	MustDo(t, other, "GET", "k", Bulk("v"))
	MustDo(t, c, "MULTI", OK)
	MustDo(t, c, "TEST.PANIC", Status("QUEUED"))
	MustDo(t, c, "PING", Status("QUEUED"))
	MustDo(t, c, "EXEC", Arr(Err("ERR internal error in 'test.panic' command: boom"), Status("PONG")))
}

// TestYields: while the main thread is busy for 3 s in a yielding
// operation, PING answers each time in under 100 ms, a command that is not
// allow-busy waits and then gets -BUSY once busy-reply-threshold has
// passed, and a goroutine waiting for the main-thread lock gets it.
func TestYields(t *testing.T) {
	s, m := runWithTestModule(t, "busy-reply-threshold 500")
	busy := Dial(t, s.Addr())
	pinger := Dial(t, s.Addr())
	waiter := Dial(t, s.Addr())
	MustDo(t, waiter, "SET", "k", "v", OK)

	// A main-thread operation that yields and lasts until it is released:
	// everything below happens while it runs, whatever the machine's speed.
	var release sync.Once
	releaseBusy := func() { release.Do(func() { close(m.busyRelease) }) }
	t.Cleanup(releaseBusy) // a failure below must not hold the server's shutdown
	start := time.Now()
	busy.Send("TEST.BUSY")
	select {
	case <-m.busyStarted:
	case <-time.After(ReplyTimeout):
		t.Fatal("TEST.BUSY did not start")
	}

	// A non-allow-busy command waits for busy-reply-threshold, then gets
	// -BUSY (the operation is still running: it was not released).
	waiter.Send("GET", "k")
	waiter.Expect(Err(server.ErrBusyModule))
	if e := time.Since(start); e < 500*time.Millisecond {
		t.Fatalf("-BUSY came after %v, before busy-reply-threshold", e)
	}

	// A goroutine waiting for the main-thread lock gets it at a yield.
	lockDone := make(chan struct{})
	go func() {
		s.GIL().Lock()
		s.GIL().Unlock()
		close(lockDone)
	}()
	select {
	case <-lockDone:
	case <-time.After(ReplyTimeout):
		t.Fatal("a goroutine waiting for the main-thread lock did not get it during yields")
	}

	// allow-busy commands are answered at the yields.
	for i := 0; i < 20; i++ {
		MustDo(t, pinger, "PING", Status("PONG"))
	}
	releaseBusy()
	busy.Expect(OK)
	// Once it is over, everything runs again.
	MustDo(t, waiter, "GET", "k", Bulk("v"))
	info := string(pinger.Do("INFO", "errorstats").Data)
	if !strings.Contains(info, "errorstat_BUSY:count=1") {
		t.Errorf("errorstats do not count the BUSY reply:\n%s", info)
	}
}

// TestDebugSleepHoldsMainThread: DEBUG SLEEP does not yield, as in Redis.
// The test holds the main thread while DEBUG SLEEP queues for it, lets it
// go to DEBUG SLEEP alone, and sends PING only once DEBUG SLEEP holds it:
// PING cannot then be answered before the sleep ends, 300 ms after the
// test let go (only a sleep that yields answers it earlier; a slow machine
// only later). hz 1 keeps the server's cron from taking the main thread in
// between.
func TestDebugSleepHoldsMainThread(t *testing.T) {
	s := server.RunT(t, server.Options{Config: []string{"enable-debug-command yes", "hz 1"}})
	a, b := Dial(t, s.Addr()), Dial(t, s.Addr())
	gil := s.GIL()
	gil.Lock()
	a.Send("DEBUG", "SLEEP", "0.3")
	waitUntil(t, "DEBUG SLEEP to wait for the main thread", func() bool { return gil.Waiting() == 1 })
	released := time.Now()
	gil.Unlock()
	// Its goroutine, the only one waiting, leaves the count once it holds
	// the main thread.
	waitUntil(t, "DEBUG SLEEP to hold the main thread", func() bool { return gil.Waiting() == 0 })
	MustDo(t, b, "PING", Status("PONG"))
	if d := time.Since(released); d < 300*time.Millisecond {
		t.Fatalf("PING answered %v after DEBUG SLEEP 0.3 got the main thread", d)
	}
	a.Expect(OK)
}

// waitUntil polls cond, failing after ReplyTimeout.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(ReplyTimeout); !cond(); time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", ReplyTimeout, what)
		}
	}
}

func TestDebugNeedsEnableDebugCommand(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	MustDo(t, c, "DEBUG", "SLEEP", "0", Err(`ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`))
	s2 := server.RunT(t, server.Options{Config: []string{"enable-debug-command local"}})
	c2 := Dial(t, s2.Addr())
	MustDo(t, c2, "DEBUG", "SLEEP", "0", OK)
}

func TestCommandStatsCountCalls(t *testing.T) {
	s := server.RunT(t)
	c := Dial(t, s.Addr())
	for i := 0; i < 3; i++ {
		MustDo(t, c, "PING", Status("PONG"))
	}
	MustDo(t, c, "PING", "a", "b", Err("ERR wrong number of arguments for 'ping' command"))
	info := string(c.Do("INFO", "commandstats").Data)
	if !strings.Contains(info, "cmdstat_ping:calls=4,") || !strings.Contains(info, "failed_calls=1") {
		t.Fatalf("commandstats:\n%s", info)
	}
}

// panickyHookModule's keyspace hook panics on every expiry.
type panickyHookModule struct{}

func (panickyHookModule) Name() string { return "panicky" }
func (panickyHookModule) Version() int { return 1 }
func (panickyHookModule) Start() error { return nil }
func (panickyHookModule) Stop()        {}
func (panickyHookModule) Load(mc *server.ModuleContext) error {
	mc.SubscribeKeyspace(func(ev server.KeyEvent) {
		if ev.Event == "expired" {
			panic("hook panic on " + ev.Key)
		}
	})
	return nil
}

// TestPanicInKeyspaceHook: a module hook that panics during active expiry
// (the server's cron) or during a command does not bring the server down.
func TestPanicInKeyspaceHook(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{panickyHookModule{}}, Config: []string{"hz 100", "enable-debug-command yes"}})
	c := Dial(t, s.Addr())
	MustDo(t, c, "SET", "a", "v", "PX", "10", OK)
	time.Sleep(300 * time.Millisecond) // the cron's active expiry meets the key
	MustDo(t, c, "PING", Status("PONG"))
	MustDo(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0", OK)
	MustDo(t, c, "SET", "b", "v", "PX", "1", OK)
	time.Sleep(5 * time.Millisecond)
	// Lazy expiry inside GET: the handler's recovery answers.
	MustDo(t, c, "GET", "b", Err("ERR internal error in 'get' command: hook panic on b"))
	MustDo(t, c, "PING", Status("PONG"))
}

// TestPostponedRunInArrivalOrder: commands that arrive while a yielding
// operation has the main thread wait for it, then run in the order they
// arrived, as Redis' event loop would serve them after a long command.
// Each client's RPUSH is seen waiting (CLIENT LIST shows its cmd, which is
// set under the main-thread lock just before it waits) before the next
// one is sent, so the arrival order is known; the lengths RPUSH answers
// say the order they ran in.
func TestPostponedRunInArrivalOrder(t *testing.T) {
	s, m := runWithTestModule(t)
	busy := Dial(t, s.Addr())
	admin := Dial(t, s.Addr())
	const n = 6
	conns := make([]*Conn, n)
	ids := make([]string, n)
	for i := range conns {
		conns[i] = Dial(t, s.Addr())
		ids[i] = strconv.FormatInt(int64(conns[i].Do("CLIENT", "ID").Int()), 10)
	}
	var release sync.Once
	releaseBusy := func() { release.Do(func() { close(m.busyRelease) }) }
	t.Cleanup(releaseBusy)
	busy.Send("TEST.BUSY")
	select {
	case <-m.busyStarted:
	case <-time.After(ReplyTimeout):
		t.Fatal("TEST.BUSY did not start")
	}
	for i, c := range conns {
		c.Send("RPUSH", "order", strconv.Itoa(i))
		deadline := time.Now().Add(ReplyTimeout)
		for !strings.Contains(admin.Do("CLIENT", "LIST", "ID", ids[i]).String(), "cmd=rpush") {
			if time.Now().After(deadline) {
				t.Fatalf("client %d's RPUSH is not seen waiting", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	releaseBusy()
	busy.Expect(OK)
	for i, c := range conns {
		c.Expect(Int(int64(i + 1)))
	}
	MustDo(t, admin, "LRANGE", "order", "0", "-1", Arr(Bulk("0"), Bulk("1"), Bulk("2"), Bulk("3"), Bulk("4"), Bulk("5")))
}
