package server

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// execute runs one command line for a client, as Redis' processCommand
// does: lookup, arity, protection, authentication, transaction and busy
// checks, then the call. The caller holds the main-thread lock; a blocked
// command releases it while it waits for its reply.
func (s *Server) execute(c *Client, args [][]byte) {
	ctx := &c.ctx
	// QUIT is answered before anything else, even inside MULTI.
	if resp.EqualFold(args[0], "quit") {
		c.w.OK()
		c.closeAfterReply = true
		return
	}
	cmd, unknownSub := s.cmds.lookupFor(c, args)
	// CLIENT LIST's cmd= is the command being run (or rejected), as Redis
	// records it at lookup; inside EXEC it stays "exec".
	if cmd == nil || unknownSub {
		c.lastCmd = ""
	} else {
		c.lastCmd = cmd.Name
	}
	switch {
	case cmd == nil:
		var b strings.Builder
		for i := 1; i < len(args) && b.Len() < 128; i++ {
			arg := args[i]
			if room := 128 - b.Len(); len(arg) > room {
				arg = arg[:room]
			}
			b.WriteByte('\'')
			b.Write(arg)
			b.WriteString("' ")
		}
		s.reject(c, nil, fmt.Sprintf(ErrUnknownCommandFmt, args[0], b.String()))
		return
	case unknownSub:
		s.reject(c, nil, fmt.Sprintf(ErrUnknownSubcommandFmt, args[1], strings.ToUpper(string(args[0]))))
		return
	case (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity:
		s.reject(c, cmd, fmt.Sprintf(ErrWrongArgsFmt, cmd.DeclaredName()))
		return
	}
	if cmd.Flags&FlagProtected != 0 && !s.debugAllowed(c) {
		s.reject(c, cmd, fmt.Sprintf(ErrProtectedCommandFmt, "DEBUG", "enable-debug-command"))
		return
	}
	if !c.authed && cmd.Flags&FlagNoAuth == 0 && s.authRequired() {
		s.reject(c, cmd, ErrNoAuth)
		return
	}
	if c.inMulti && cmd.Flags&FlagNoMulti != 0 {
		s.reject(c, cmd, ErrNotAllowedInMulti)
		return
	}
	if s.topo != nil {
		if msg := s.redirect(cmd, args); msg != "" {
			s.reject(c, cmd, msg)
			return
		}
		if c.inMulti && cmd.Name == "exec" && !c.dirtyExec {
			if msg := s.transactionRedirect(c); msg != "" {
				// Redis answers EXEC itself with the error and drops the
				// transaction.
				s.reject(c, cmd, msg)
				s.discardTransaction(c)
				s.unwatchAll(c)
				return
			}
		}
	}
	if c.proto == 2 && c.subscribed() && !allowedWhileSubscribed(cmd) {
		s.reject(c, cmd, fmt.Sprintf(ErrSubscribedContextFmt, cmd.Name))
		return
	}
	if s.mustWaitTurn(ctx, cmd, false) {
		if !s.waitPostponed(c, ctx, cmd) {
			return
		}
	}
	if c.monitor != nil && cmd.Flags&(FlagReadOnly|FlagWrite|FlagMayReplicate) != 0 {
		// A monitor is a replica to Redis, and replicas keep off the keyspace.
		s.reject(c, cmd, "ERR Replica can't interact with the keyspace")
		return
	}
	if c.inMulti && !runsInsideMulti(cmd) {
		q := queuedCommand{cmd: cmd, args: make([][]byte, len(args))}
		for i, a := range args {
			q.args[i] = append([]byte(nil), a...)
		}
		c.queued = append(c.queued, q)
		c.w.RawString("+QUEUED\r\n")
		return
	}
	s.call(ctx, cmd, args)
	if bc := ctx.blocked; bc != nil {
		ctx.blocked = nil
		s.waitBlocked(c, bc)
	}
}

// waitBlocked releases the main thread while a blocked command waits for
// its reply. The replies before it are written first.
func (s *Server) waitBlocked(c *Client, bc *BlockedClient) {
	c.ctx.nextStart = time.Time{}
	c.blockedNow.Store(true)
	s.stats.blockedClients.Inc()
	c.unlockMain()
	if c.flush() != nil {
		c.kill()
	}
	if !bc.wait(c) {
		c.kill()
	}
	s.stats.blockedClients.Dec()
	c.blockedNow.Store(false)
	c.lockMain()
	if bc.cleanup != nil {
		bc.cleanup()
	}
}

// runsInsideMulti lists the commands that run at once inside MULTI instead
// of being queued.
func runsInsideMulti(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// reject answers a command that is not run (unknown, wrong arity, NOAUTH,
// BUSY...). Inside MULTI it makes EXEC fail.
func (s *Server) reject(c *Client, cmd *Command, msg string) {
	c.w.Error(msg)
	s.countReplyErrors(1, msg)
	if cmd != nil {
		cmd.stats.rejected++
	}
	if c.inMulti {
		c.dirtyExec = true
	}
}

// call runs a command's handler, with stats, MONITOR feed and panic
// recovery: a panic is logged with its stack and answered -ERR; the client
// and everyone else carry on.
func (s *Server) call(ctx *Ctx, cmd *Command, args [][]byte) {
	c := ctx.Client
	ctx.Cmd = cmd
	// One clock read per command: a command of a pipelined batch starts
	// when the previous one ended.
	start := ctx.nextStart
	if start.IsZero() {
		start = ctx.clockNow()
	}
	ctx.start = start
	ctx.now = start.UnixMilli()
	ctx.lastYield = time.Time{}
	replyStart := c.w.Len()
	c.w.ResetErrors()
	s.runHandler(ctx, cmd, args, replyStart)
	if len(s.listReady) > 0 && !ctx.inExec {
		s.serveListWaiters()
	}
	if len(s.streamReady) > 0 && !ctx.inExec {
		s.serveStreamWaiters()
	}
	if !ctx.inExec {
		c.flushSelfPush()
	}
	ctx.endBusy()
	// One monotonic read (start has its monotonic reading): the end is
	// the start plus the time taken, wall clock included.
	took := time.Since(start)
	ctx.nextStart = start.Add(took)
	cmd.stats.calls++
	// (EXEC's queued commands reuse ctx: this command's start is the local.)
	cmd.stats.usec += took.Microseconds()
	s.stats.busyNanos.Add(int64(took))
	if n, first := c.w.Errors(); n > 0 {
		cmd.stats.failed++
		s.countReplyErrors(n, first)
	}
	s.stats.commands.Inc()
	if len(s.monitors) > 0 && cmd.Flags&(FlagSkipMonitor|FlagAdmin) == 0 {
		s.feedMonitors(c, cmd, args)
	}
}

func (s *Server) runHandler(ctx *Ctx, cmd *Command, args [][]byte, replyStart int) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		s.log.Warn(fmt.Sprintf("Panic in command '%s' from client %s: %v\n%s", cmd.Name, ctx.Client.addr, r, debug.Stack()))
		if bc := ctx.blocked; bc != nil {
			ctx.blocked = nil
			bc.abandon()
		}
		// Drop a partial reply, so that the client gets exactly one.
		ctx.W.Truncate(replyStart)
		ctx.W.Error(fmt.Sprintf("ERR internal error in '%s' command: %v", cmd.Name, r))
	}()
	cmd.Handler(ctx, args)
}

// countReplyErrors updates total_error_replies and errorstats.
func (s *Server) countReplyErrors(n int, first string) {
	if n <= 0 {
		return
	}
	s.stats.errorReplies.Add(int64(n))
	code, _, _ := strings.Cut(first, " ")
	s.stats.countErrorCode(code, int64(n))
}

// debugAllowed tells whether DEBUG may run for this client
// (enable-debug-command: yes, or local for a local client: isLocalClient).
func (s *Server) debugAllowed(c *Client) bool {
	switch s.params.enableDebugCommand.String() {
	case "yes":
		return true
	case "local":
		return isLocalClient(c.conn.RemoteAddr())
	}
	return false
}

// authRequired tells whether clients must authenticate.
func (s *Server) authRequired() bool {
	return s.params.requirepass.String() != ""
}

// waitPostponed waits, without the main-thread lock, until the yielding
// operation in progress ends and this command's turn comes (postponed.go),
// and reports whether the command may run: not when its client was killed,
// nor when busy-reply-threshold passed first (it was answered -BUSY).
func (s *Server) waitPostponed(c *Client, ctx *Ctx, cmd *Command) bool {
	seq := s.arrivals
	s.arrivals++
	woken := false
	// A command that was woken passes the turn on however it leaves.
	defer func() {
		if woken {
			s.wakePostponed()
		}
	}()
	for s.mustWaitTurn(ctx, cmd, woken) {
		p := s.postpone(seq)
		woken = false
		// Beside an operation, until busy-reply-threshold; in line behind
		// the others, until one begins (then this one looks again).
		var deadline *time.Timer
		var expired <-chan time.Time
		var check <-chan struct{}
		if b := s.busy; b != nil && b != ctx.busy {
			wait := time.Duration(s.params.busyReplyThreshold.Int())*time.Millisecond - time.Since(b.start)
			if wait <= 0 {
				s.dropPostponed(p)
				s.reject(c, cmd, b.reason)
				return false
			}
			deadline = time.NewTimer(wait)
			expired = deadline.C
		} else {
			check = s.turnChecked()
		}
		c.unlockMain()
		ctx.nextStart = time.Time{}
		select {
		case <-p.ready:
		case <-expired:
		case <-check:
		case <-c.killed:
		}
		if deadline != nil {
			deadline.Stop()
		}
		c.lockMain()
		woken = s.dropPostponed(p)
		if c.isKilled() {
			return false
		}
	}
	return true
}

// mustWaitTurn says whether a command must wait: a yielding operation has
// the main thread and the command is not allowed beside it, or commands
// postponed by one are still waiting their turn and this one (not woken
// for its own turn) would pass them. The caller holds the main-thread lock.
func (s *Server) mustWaitTurn(ctx *Ctx, cmd *Command, woken bool) bool {
	if b := s.busy; b != nil && b != ctx.busy {
		return cmd.Flags&FlagAllowBusy == 0 || b.script && cmd.ourFlags&FlagAllowBusy != 0
	}
	return !woken && ctx.busy == nil && len(s.postponed) > 0 && cmd.Flags&FlagAllowBusy == 0
}
