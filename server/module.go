package server

import (
	"fmt"
	"strings"
)

// Module is an extension loaded into the server, the way a Redis module is:
// it registers commands, configuration parameters, INFO sections and
// keyspace hooks.
type Module interface {
	// Name is the module's name ("search"); INFO sections are prefixed with it.
	Name() string
	// Version is the module's version number (MODULE LIST's "ver").
	Version() int
	// Load registers what the module provides. It runs before the
	// configuration is applied.
	Load(m *ModuleContext) error
	// Start runs once the configuration is applied, before clients connect.
	Start() error
	// Stop runs when the server closes, after every client is gone; it stops
	// every goroutine the module started.
	Stop()
}

// ModuleContext is what a module registers through.
type ModuleContext struct {
	srv    *Server
	module Module
}

// Server returns the server the module is loaded into.
func (m *ModuleContext) Server() *Server { return m.srv }

// RegisterCommand adds a command (or a subcommand "parent|sub" of a command
// registered before). Module commands get the module flag.
func (m *ModuleContext) RegisterCommand(c *Command) error {
	if c.Handler == nil && !strings.Contains(c.Name, "|") && c.Arity == 0 {
		return fmt.Errorf("command %q: no handler", c.Name)
	}
	c.Flags |= FlagModule
	c.module = m.module.Name()
	return m.srv.cmds.add(c)
}

// RegisterParam adds a configuration parameter (CONFIG GET/SET, the config
// file and the command line know it).
func (m *ModuleContext) RegisterParam(p *Param) error { return m.srv.cfg.Register(p) }

// RegisterInfoSection adds an INFO section, named "<module>_<name>" as Redis
// names module sections; fn writes its fields.
func (m *ModuleContext) RegisterInfoSection(name string, fn func(w *InfoWriter)) {
	m.srv.infoHooks = append(m.srv.infoHooks, infoSection{
		module: m.module.Name(),
		name:   m.module.Name() + "_" + name,
		fn:     fn,
	})
}

// SubscribeKeyspace registers a hook that sees every keyspace change,
// synchronously, on the main thread, right after the change: writes,
// deletions, expiries, renames, flushes and SWAPDB.
func (m *ModuleContext) SubscribeKeyspace(fn func(KeyEvent)) {
	m.srv.keyHooks = append(m.srv.keyHooks, fn)
}

// EventClass is the class of a keyspace event, as Redis' notification
// classes.
type EventClass uint16

// Event classes.
const (
	EventGeneric EventClass = 1 << iota
	EventString
	EventHash
	EventExpired
	EventFlush  // FLUSHDB / FLUSHALL: DB is the database, -1 for all
	EventSwapDB // SWAPDB: DB and DB2 were swapped
	EventList
	EventSet
	EventModule // a module's own events (class 'd'), as "json.set"
	EventStream
	EventZset
)

// NotifyKeyspaceEvent is RedisModule_NotifyKeyspaceEvent: a module's
// command reports its change of key in the client's database (WATCHers are
// touched and the keyspace hooks, the search module's among them, run).
func (c *Ctx) NotifyKeyspaceEvent(class EventClass, event, key string) {
	c.srv.notifyKey(c.Client.db, key, event, class)
}

// KeyEvent is a keyspace change. Event is Redis' notification name: "set",
// "hset", "hdel", "del", "expired", "rename_from", "rename_to", "expire",
// "persist", "incrby", "append", "copy_to", "move_from", "move_to", ... or
// "flushdb" / "swapdb" for the database-wide events.
type KeyEvent struct {
	DB    int
	DB2   int
	Key   string
	Event string
	Class EventClass
}

// notifyKey reports a change of a key: WATCHers are touched, keyspace
// notifications published and the module hooks run.
func (s *Server) notifyKey(db int, key, event string, class EventClass) {
	if len(s.watched) > 0 {
		s.touchWatched(db, key)
	}
	s.notifyKeyKeepWatch(db, key, event, class)
}

// notifyKeyKeepWatch is notifyKey for the writes after which Redis sends
// the event but does not call signalModifiedKey, so a WATCH of the key
// stays valid: the consumer-group bookkeeping of a stream (XGROUP CREATE
// of an existing stream, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, a
// consumer created by XREADGROUP/XCLAIM/XAUTOCLAIM) and XSETID, as
// redis-server 7.0 answers (integration/watch_types_test.go).
func (s *Server) notifyKeyKeepWatch(db int, key, event string, class EventClass) {
	s.stats.dirty.Inc()
	if s.notifyFlags != 0 {
		s.keyspaceNotify(db, key, event, eventClassFlag(class))
	}
	if len(s.keyHooks) > 0 {
		ev := KeyEvent{DB: db, Key: key, Event: event, Class: class}
		for _, h := range s.keyHooks {
			h(ev)
		}
	}
}

// notifyDB reports a database-wide event (flush, swap).
func (s *Server) notifyDB(ev KeyEvent) {
	for _, h := range s.keyHooks {
		h(ev)
	}
}

// ExportSharedAPI is RedisModule_ExportSharedAPI: a module offers a value
// (its API: functions, a struct of them) under a name, for other modules to
// take with GetSharedAPI. A name is exported once; the call refuses a
// second export of it.
func (m *ModuleContext) ExportSharedAPI(name string, api any) error {
	if _, dup := m.srv.sharedAPIs[name]; dup {
		return fmt.Errorf("shared API %q already exported", name)
	}
	if m.srv.sharedAPIs == nil {
		m.srv.sharedAPIs = make(map[string]any)
	}
	m.srv.sharedAPIs[name] = api
	return nil
}

// GetSharedAPI is RedisModule_GetSharedAPI: the value a module exported
// under name, nil when no loaded module exports it. Every module's Load
// runs before any Start, so a module looks its dependencies up at Start.
func (s *Server) GetSharedAPI(name string) any { return s.sharedAPIs[name] }
