// Package server is the shard: a RESP server with Redis' threading model (one
// main-thread lock, blocked clients, yields), its keyspace (strings and
// hashes, 16 databases, expiry), its core commands, CONFIG and INFO, and the
// module API that the search module and the coordinator plug into.
//
// It may import resp; it knows nothing of search.
package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/atomic"
)

// Version is the Redis version this server emulates and reports (INFO
// server's redis_version, HELLO's version, the search module's
// search_redis_version): Redis 8.2.0, the release whose search module
// (8.2.0: MODULE LIST ver 80200) the emulation follows.
const Version = "8.2.0"

// Options configure a server.
type Options struct {
	// Config holds configuration directives, one per entry, as in a
	// redis.conf file ("port 6380", "requirepass secret", "save \"\"").
	Config []string
	// ConfigFile is a redis.conf-style file read before Config.
	ConfigFile string
	// Modules are loaded in order, before the configuration is applied (so
	// that the configuration may set their parameters).
	Modules []Module
	// LogOutput receives the log when logfile is empty (default os.Stdout).
	LogOutput io.Writer
	// ManageGOMAXPROCS sizes the Go runtime to the shard's threads of work
	// (see gomaxprocs.go). For a process that is only this server (the
	// binary); an embedding program keeps its own setting.
	ManageGOMAXPROCS bool
}

// Server is a running shard.
type Server struct {
	// Clients blocked on lists (BLPOP...) and the lists that got elements
	// since they were last served (see cmd_list.go).
	listWaiters  map[listKey][]*listWaiter
	listReady    []listKey
	listReadySet map[listKey]bool
	// Clients blocked on streams (XREAD...) and the streams ready to serve
	// them (see cmd_stream.go).
	streamWaiters  map[listKey][]*streamWaiter
	streamReady    []listKey
	streamReadySet map[listKey]bool

	opts   Options
	cfg    *Config
	params coreParams
	cmds   *commandTable
	gil    GIL
	busy   *busyOp // a yielding main-thread operation in progress
	// Commands waiting for it, in arrival order (postponed.go).
	postponed []*postponedCmd
	arrivals  uint64
	turnCheck chan struct{} // closed when an operation begins (busyBegan)
	lua       *scripting    // Lua scripts (scripting.go), created at the first EVAL
	dbs       []*DB
	// hashNames interns hash field names (main thread only).
	hashNames internTable

	log      *slog.Logger
	logLevel atomic.Int64
	logOut   *logOutput

	ln        net.Listener
	addr      string
	topo      *Topology    // cluster mode: the shards and their slots
	self      *ClusterNode // cluster mode: this shard
	clientsMu sync.Mutex
	clients   map[int64]*Client
	nextID    atomic.Int64
	wg        sync.WaitGroup
	quit      chan struct{}
	closeOnce sync.Once
	closed    chan struct{}

	stats      serverStats
	keyHooks   []func(KeyEvent)
	sharedAPIs map[string]any // ModuleContext.ExportSharedAPI
	dataTypes  []*DataType    // registered by modules (RegisterDataType)
	infoHooks  []infoSection
	modules    []Module
	monitors   map[*Client]struct{}
	watched    map[watchKey][]*Client
	startTime  time.Time
	runID      string
	configFile string
	lastSave   int64

	// Pub/Sub subscriptions and notify-keyspace-events parsed (main thread).
	pubsub        pubsubRegistry
	notifyFlags   int
	notifyFlagsOf sync.Map // stored notify-keyspace-events -> flags

	activeExpireDisabled atomic.Bool
	// clockMs is a coarse clock (unix ms), updated by the cron, for what
	// needs no precision (client idle times), as Redis' server.unixtime.
	clockMs atomic.Int64
	procs   procsManager
}

// Start creates a server from opts and starts serving.
func Start(opts Options) (*Server, error) {
	s := newServer(opts)
	if err := s.load(); err != nil {
		s.logOut.close()
		return nil, err
	}
	if err := s.listen(); err != nil {
		s.stopModules()
		s.logOut.close()
		return nil, err
	}
	if err := s.setupCluster(); err != nil {
		s.log.Warn(err.Error())
		s.ln.Close()
		s.stopModules()
		s.logOut.close()
		return nil, err
	}
	// Redis' startup line, with the port actually bound: with port 0 (a free
	// port of the system's choosing) it is how a process that started the
	// binary learns where to connect. Redis itself, at port 0 and without a
	// unix socket or TLS port (neither of which we have), refuses to start
	// ("Configured to not listen anywhere"), so no Redis setup means
	// something else by it.
	mode := "standalone"
	if s.topo != nil {
		mode = "cluster"
	}
	s.log.Info(fmt.Sprintf("Running mode=%s, port=%d.", mode, s.Port()))
	s.log.Info("Server initialized")
	s.wg.Add(2)
	go s.acceptLoop()
	go s.cron()
	s.log.Info("Ready to accept connections tcp")
	return s, nil
}

func newServer(opts Options) *Server {
	s := &Server{
		opts:      opts,
		cfg:       newConfig(),
		cmds:      newCommandTable(),
		clients:   map[int64]*Client{},
		quit:      make(chan struct{}),
		closed:    make(chan struct{}),
		monitors:  map[*Client]struct{}{},
		watched:   map[watchKey][]*Client{},
		startTime: time.Now(),
		runID:     randomHex(40),
		lastSave:  time.Now().Unix(),
	}
	s.clockMs.Store(time.Now().UnixMilli())
	if opts.LogOutput == nil {
		opts.LogOutput = os.Stdout
		s.opts.LogOutput = os.Stdout
	}
	s.logOut = &logOutput{w: opts.LogOutput}
	s.logLevel.Store(int64(LevelNotice))
	s.log = slog.New(&redisLogHandler{out: s.logOut, level: &s.logLevel, role: 'M'})
	s.stats.errorCodes = map[string]int64{}
	return s
}

// load registers the core parameters and commands, loads the modules,
// applies the configuration and starts the modules.
func (s *Server) load() error {
	if err := s.registerCoreParams(); err != nil {
		return err
	}
	if err := s.registerCoreCommands(); err != nil {
		return err
	}
	for _, m := range s.opts.Modules {
		if err := m.Load(&ModuleContext{srv: s, module: m}); err != nil {
			return fmt.Errorf("module %s: %w", m.Name(), err)
		}
		s.modules = append(s.modules, m)
	}
	if err := s.applyStartupConfig(); err != nil {
		return err
	}
	n := int(s.params.databases.Int())
	s.dbs = make([]*DB, n)
	for i := range s.dbs {
		s.dbs[i] = newDB(s, i)
	}
	s.log.Info("oO0OoO0OoO0Oo miniredis-search is starting oO0OoO0OoO0Oo")
	s.log.Info(fmt.Sprintf("miniredis-search version=%s, redis_version=%s, bits=64, pid=%s, just started", ModuleVersionString, Version, pid))
	for i, m := range s.modules {
		if err := m.Start(); err != nil {
			for j := i - 1; j >= 0; j-- {
				s.modules[j].Stop()
			}
			return fmt.Errorf("module %s: %w", m.Name(), err)
		}
		s.log.Info(fmt.Sprintf("Module '%s' loaded", m.Name()))
	}
	s.startProcsManager(s.opts.ManageGOMAXPROCS)
	return nil
}

// ModuleVersionString is miniredis-search's own version.
const ModuleVersionString = "0.1.0"

func (s *Server) listen() error {
	binds := strings.Fields(s.params.bind.String())
	if len(binds) == 0 {
		binds = []string{"127.0.0.1"}
	}
	host := strings.TrimPrefix(binds[0], "-")
	if host == "*" {
		host = "0.0.0.0"
	}
	port := s.params.port.Int()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.FormatInt(port, 10)))
	if err != nil {
		s.log.Warn(fmt.Sprintf("Warning: Could not create server TCP listening socket %s:%d: %v", host, port, err))
		return err
	}
	s.ln = ln
	s.addr = ln.Addr().String()
	if port == 0 {
		// An ephemeral port: report the one we got.
		s.params.port.store(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	return nil
}

// Addr is the address the server listens on (host:port).
func (s *Server) Addr() string { return s.addr }

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return int(s.params.port.Int()) }

// Config is the configuration registry.
func (s *Server) Config() *Config { return s.cfg }

// Logger is the server's logger (Redis' log format).
func (s *Server) Logger() *slog.Logger { return s.log }

// GIL is the main-thread lock.
func (s *Server) GIL() *GIL { return &s.gil }

// CommandsProcessed is INFO's total_commands_processed: the client
// commands run so far (a command is counted once it has run).
func (s *Server) CommandsProcessed() int64 { return s.stats.commands.Load() }

// DB returns database i; the caller holds the main-thread lock.
func (s *Server) DB(i int) *DB { return s.dbs[i] }

// Done is closed once the server has stopped (after Close or SHUTDOWN).
func (s *Server) Done() <-chan struct{} { return s.closed }

// Close stops the server: no new connections, every client disconnected,
// the modules stopped; it returns once every goroutine the server started
// has ended.
func (s *Server) Close() error {
	first := false
	s.closeOnce.Do(func() {
		first = true
		close(s.quit)
		if s.ln != nil {
			s.ln.Close()
		}
		s.clientsMu.Lock()
		for _, c := range s.clients {
			c.kill()
		}
		s.clientsMu.Unlock()
		s.wg.Wait()
		s.stopModules()
		s.log.Info("miniredis-search is now ready to exit, bye bye...")
		s.logOut.close()
		close(s.closed)
	})
	if !first {
		<-s.closed
	}
	return nil
}

func (s *Server) stopModules() {
	for i := len(s.modules) - 1; i >= 0; i-- {
		s.modules[i].Stop()
	}
}

// shutdownAsync stops the server from one of its own goroutines (SHUTDOWN).
func (s *Server) shutdownAsync() {
	go s.Close()
}

func (s *Server) isQuitting() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if s.isQuitting() {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || isTemporary(err) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("Accepting client connection: " + err.Error())
				select {
				case <-time.After(backoff):
				case <-s.quit:
					return
				}
				continue
			}
			s.log.Warn("Accepting client connection: " + err.Error())
			return
		}
		backoff = 0
		s.admit(conn)
	}
}

func isTemporary(err error) bool {
	// EMFILE and friends: the listener is fine, the process is out of fds.
	msg := err.Error()
	return strings.Contains(msg, "too many open files") || strings.Contains(msg, "resource temporarily unavailable")
}

// admit accepts a connection, or refuses it with Redis' reply.
func (s *Server) admit(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
		if ka := s.params.tcpKeepalive.Int(); ka > 0 {
			_ = tc.SetKeepAlive(true)
			_ = tc.SetKeepAlivePeriod(time.Duration(ka) * time.Second)
		}
	}
	refuse := func(msg string) {
		s.stats.rejectedConnections.Inc()
		_ = conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = io.WriteString(conn, msg)
		_ = conn.Close()
	}
	s.clientsMu.Lock()
	n := len(s.clients)
	s.clientsMu.Unlock()
	if int64(n) >= s.params.maxclients.Int() {
		refuse("-" + ErrMaxClients + "\r\n")
		return
	}
	if s.params.protectedMode.Bool() && !s.authRequired() && !isLocalClient(conn.RemoteAddr()) {
		// Redis' clientAcceptHandler refuses silently: no log line.
		refuse(errDeniedProtectedMode)
		return
	}
	// total_connections_received counts the clients admitted: Redis
	// increments stat_numconnections in clientAcceptHandler, after the
	// maxclients and protected-mode refusals, which count only in
	// rejected_connections.
	s.stats.connectionsReceived.Inc()
	c := newClient(s, conn, s.nextID.Inc())
	s.clientsMu.Lock()
	if s.isQuitting() {
		s.clientsMu.Unlock()
		conn.Close()
		return
	}
	s.clients[c.id] = c
	s.wg.Add(1)
	s.clientsMu.Unlock()
	go c.serve()
}

func (s *Server) unregisterClient(c *Client) {
	s.clientsMu.Lock()
	delete(s.clients, c.id)
	s.clientsMu.Unlock()
}

// clientList returns the connected clients ordered by id.
func (s *Server) clientList() []*Client {
	s.clientsMu.Lock()
	out := make([]*Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	s.clientsMu.Unlock()
	sortClients(out)
	return out
}

// isLocalClient is Redis' islocalClient (networking.c), which protected
// mode and the "local" values of enable-debug-command and
// enable-protected-configs use: a TCP client is local when its address,
// printed, is exactly "127.0.0.1" or "::1". The rest of 127.0.0.0/8 is
// loopback too but not local to Redis.
func isLocalClient(a net.Addr) bool {
	var ip net.IP
	if ta, ok := a.(*net.TCPAddr); ok {
		ip = ta.IP
	} else if host, _, err := net.SplitHostPort(a.String()); err == nil {
		ip = net.ParseIP(host)
	}
	return ip != nil && (ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback))
}

// cron runs the server's periodic work hz times a second: active expiry
// and the instantaneous stats.
func (s *Server) cron() {
	defer s.wg.Done()
	hz := s.params.hz.Int()
	ticker := time.NewTicker(time.Second / time.Duration(hz))
	defer ticker.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-ticker.C:
		}
		s.clockMs.Store(time.Now().UnixMilli())
		if now := s.params.hz.Int(); now != hz {
			hz = now
			ticker.Reset(time.Second / time.Duration(hz))
		}
		budget := time.Second / time.Duration(hz) / 4
		s.expireCycle(budget)
		s.stats.sample()
		s.sampleMainThreadLoad()
	}
}

// expireCycle runs active expiry on every database. A panic (in a module's
// keyspace hook, say) is logged, not fatal: the cron carries on.
func (s *Server) expireCycle(budget time.Duration) {
	s.gil.Lock()
	defer s.gil.Unlock()
	defer func() {
		if r := recover(); r != nil {
			s.log.Warn(fmt.Sprintf("Panic in active expiry: %v\n%s", r, debug.Stack()))
		}
	}()
	// A yielding operation has the main thread: don't change the keyspace
	// under it.
	if s.busy != nil || s.activeExpireDisabled.Load() {
		return
	}
	for _, db := range s.dbs {
		db.activeExpireCycle(budget / time.Duration(len(s.dbs)))
		db.activeExpireFields(budget / time.Duration(len(s.dbs)))
	}
}

func randomHex(n int) string {
	const hexdigits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hexdigits[rand.IntN(16)]
	}
	return string(b)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
