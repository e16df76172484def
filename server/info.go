package server

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// InfoWriter builds one INFO section.
type InfoWriter struct {
	b      strings.Builder
	prefix string // module sections prefix their fields with "<module>_"
}

// Field adds "name:value".
func (w *InfoWriter) Field(name string, value any) {
	w.b.WriteString(w.prefix)
	w.b.WriteString(name)
	w.b.WriteByte(':')
	switch v := value.(type) {
	case string:
		w.b.WriteString(v)
	case float64:
		w.b.WriteString(strconv.FormatFloat(v, 'f', 2, 64))
	default:
		fmt.Fprint(&w.b, v)
	}
	w.b.WriteString("\r\n")
}

type infoSection struct {
	module string // "" for the server's own sections
	name   string
	fn     func(w *InfoWriter)
}

// defaultInfoSections are the sections INFO and INFO default show.
var defaultInfoSections = []string{"server", "clients", "memory", "persistence", "stats",
	"replication", "cpu", "modules", "errorstats", "cluster", "keyspace"}

// allInfoSections adds commandstats (and, with everything, module sections).
var allInfoSections = []string{"server", "clients", "memory", "persistence", "stats",
	"replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace"}

func (s *Server) cmdInfo(c *Ctx, args [][]byte) {
	want := map[string]bool{}
	everything, modules := false, false
	if len(args) == 1 {
		for _, n := range defaultInfoSections {
			want[n] = true
		}
	}
	for _, a := range args[1:] {
		name := strings.ToLower(string(a))
		switch name {
		case "default":
			for _, n := range defaultInfoSections {
				want[n] = true
			}
		case "all":
			for _, n := range allInfoSections {
				want[n] = true
			}
		case "everything":
			for _, n := range allInfoSections {
				want[n] = true
			}
			everything = true
		case "modules":
			want[name] = true
			modules = true
		case "module_list":
			// Redis' name for the "# Modules" list alone, without the
			// modules' own sections.
			want["modules"] = true
		default:
			want[name] = true
		}
	}
	var out strings.Builder
	section := func(name, title string, fn func(w *InfoWriter)) {
		if !want[name] {
			return
		}
		if out.Len() > 0 {
			out.WriteString("\r\n")
		}
		out.WriteString("# " + title + "\r\n")
		var w InfoWriter
		fn(&w)
		out.WriteString(w.b.String())
	}
	section("server", "Server", s.infoServer)
	section("clients", "Clients", s.infoClients)
	section("memory", "Memory", s.infoMemory)
	section("persistence", "Persistence", s.infoPersistence)
	section("stats", "Stats", s.infoStats)
	section("replication", "Replication", s.infoReplication)
	section("cpu", "CPU", s.infoCPU)
	section("modules", "Modules", s.infoModules)
	section("commandstats", "Commandstats", s.infoCommandstats)
	section("errorstats", "Errorstats", s.infoErrorstats)
	section("cluster", "Cluster", func(w *InfoWriter) {
		if s.params.clusterEnabled() {
			w.Field("cluster_enabled", 1)
		} else {
			w.Field("cluster_enabled", 0)
		}
	})
	section("keyspace", "Keyspace", s.infoKeyspace)
	for _, h := range s.infoHooks {
		if !(everything || modules || want[h.name] || want[h.module]) {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\r\n")
		}
		out.WriteString("# " + h.name + "\r\n")
		w := InfoWriter{prefix: h.module + "_"}
		h.fn(&w)
		out.WriteString(w.b.String())
	}
	c.W.Verbatim("txt", out.String())
}

func (s *Server) infoServer(w *InfoWriter) {
	now := time.Now()
	up := now.Sub(s.startTime)
	w.Field("redis_version", Version)
	w.Field("redis_git_sha1", "00000000")
	w.Field("redis_git_dirty", 0)
	w.Field("redis_build_id", "0")
	w.Field("redis_mode", s.mode())
	w.Field("os", runtime.GOOS+" "+runtime.GOARCH)
	w.Field("arch_bits", 64)
	w.Field("monotonic_clock", "POSIX clock_gettime")
	w.Field("multiplexing_api", "go-netpoll")
	w.Field("atomicvar_api", "go-atomic")
	w.Field("go_version", runtime.Version())
	w.Field("miniredis_search_version", ModuleVersionString)
	w.Field("process_id", pid)
	w.Field("process_supervised", "no")
	w.Field("run_id", s.runID)
	w.Field("tcp_port", s.params.port.Int())
	w.Field("server_time_usec", now.UnixMicro())
	w.Field("uptime_in_seconds", int64(up.Seconds()))
	w.Field("uptime_in_days", int64(up.Hours()/24))
	w.Field("hz", s.params.hz.Int())
	w.Field("configured_hz", s.params.hz.Int())
	w.Field("lru_clock", (now.Unix())&(1<<24-1))
	exe, _ := osExecutable()
	w.Field("executable", exe)
	w.Field("config_file", s.configFile)
	w.Field("io_threads_active", 0)
}

func (s *Server) infoClients(w *InfoWriter) {
	s.clientsMu.Lock()
	n := len(s.clients)
	s.clientsMu.Unlock()
	w.Field("connected_clients", n)
	w.Field("cluster_connections", 0)
	w.Field("maxclients", s.params.maxclients.Int())
	w.Field("client_recent_max_input_buffer", defaultReadChunkSize)
	w.Field("client_recent_max_output_buffer", 0)
	w.Field("blocked_clients", s.stats.blockedClients.Load())
	w.Field("tracking_clients", 0)
	w.Field("clients_in_timeout_table", 0)
}

func humanBytes(n uint64) string {
	f := float64(n)
	switch {
	case n < 1024:
		return fmt.Sprintf("%dB", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.2fK", f/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.2fM", f/1024/1024)
	default:
		return fmt.Sprintf("%.2fG", f/1024/1024/1024)
	}
}

func (s *Server) infoMemory(w *InfoWriter) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w.Field("used_memory", ms.HeapAlloc)
	w.Field("used_memory_human", humanBytes(ms.HeapAlloc))
	w.Field("used_memory_rss", ms.Sys)
	w.Field("used_memory_rss_human", humanBytes(ms.Sys))
	w.Field("used_memory_peak", ms.HeapSys)
	w.Field("used_memory_peak_human", humanBytes(ms.HeapSys))
	w.Field("total_system_memory", 0)
	// Redis' script counts (its Lua memory figures have no counterpart here).
	var scripts, funcs, libs int
	if s.lua != nil {
		scripts, funcs, libs = len(s.lua.scripts), len(s.lua.funcs), len(s.lua.libs)
	}
	w.Field("number_of_cached_scripts", scripts)
	w.Field("number_of_functions", funcs)
	w.Field("number_of_libraries", libs)
	max := uint64(s.cfg.Lookup("maxmemory").Int())
	w.Field("maxmemory", max)
	w.Field("maxmemory_human", humanBytes(max))
	w.Field("maxmemory_policy", s.cfg.Get("maxmemory-policy"))
	w.Field("mem_allocator", "go")
	w.Field("go_gc_cycles", ms.NumGC)
}

func (s *Server) infoPersistence(w *InfoWriter) {
	w.Field("loading", 0)
	w.Field("async_loading", 0)
	w.Field("rdb_changes_since_last_save", s.stats.dirty.Load())
	w.Field("rdb_bgsave_in_progress", 0)
	w.Field("rdb_last_save_time", s.lastSave)
	w.Field("rdb_last_bgsave_status", "ok")
	w.Field("aof_enabled", 0)
	w.Field("aof_rewrite_in_progress", 0)
}

func (s *Server) infoStats(w *InfoWriter) {
	st := &s.stats
	st.sampleMu.Lock()
	ops, in, out := st.opsPerSec, st.inKbps, st.outKbps
	st.sampleMu.Unlock()
	w.Field("total_connections_received", st.connectionsReceived.Load())
	w.Field("total_commands_processed", st.commands.Load())
	w.Field("instantaneous_ops_per_sec", int64(ops+0.5))
	w.Field("total_net_input_bytes", st.netInputBytes.Load())
	w.Field("total_net_output_bytes", st.netOutputBytes.Load())
	w.Field("instantaneous_input_kbps", in)
	w.Field("instantaneous_output_kbps", out)
	w.Field("rejected_connections", st.rejectedConnections.Load())
	w.Field("expired_keys", st.expiredKeys.Load())
	w.Field("evicted_keys", 0)
	w.Field("keyspace_hits", st.keyspaceHits.Load())
	w.Field("keyspace_misses", st.keyspaceMisses.Load())
	w.Field("pubsub_channels", len(s.pubsub.subs[kindChannel]))
	w.Field("pubsub_patterns", len(s.pubsub.subs[kindPattern]))
	w.Field("pubsubshard_channels", len(s.pubsub.subs[kindShard]))
	w.Field("total_blocking_keys", 0)
	w.Field("total_error_replies", st.errorReplies.Load())
	w.Field("total_reads_processed", st.commands.Load())
}

func (s *Server) infoReplication(w *InfoWriter) {
	w.Field("role", "master")
	w.Field("connected_slaves", 0)
	w.Field("master_failover_state", "no-failover")
	w.Field("master_replid", s.runID)
	w.Field("master_replid2", "0000000000000000000000000000000000000000")
	w.Field("master_repl_offset", 0)
	w.Field("second_repl_offset", -1)
	w.Field("repl_backlog_active", 0)
}

func (s *Server) infoCPU(w *InfoWriter) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) string {
		return fmt.Sprintf("%d.%06d", t.Sec, t.Usec)
	}
	w.Field("used_cpu_sys", tv(ru.Stime))
	w.Field("used_cpu_user", tv(ru.Utime))
	w.Field("used_cpu_sys_children", "0.000000")
	w.Field("used_cpu_user_children", "0.000000")
	w.Field("go_goroutines", runtime.NumGoroutine())
}

func (s *Server) infoModules(w *InfoWriter) {
	for _, m := range s.modules {
		w.Field("module", fmt.Sprintf("name=%s,ver=%d,api=1,filters=0,usedby=[],using=[],options=[handle-io-errors]", m.Name(), m.Version()))
	}
}

func (s *Server) infoCommandstats(w *InfoWriter) {
	var all []*Command
	for _, c := range s.cmds.cmds {
		all = append(all, c)
		for _, sub := range c.subs {
			all = append(all, sub)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	for _, c := range all {
		st := c.stats
		if st.calls == 0 && st.rejected == 0 && st.failed == 0 {
			continue
		}
		per := 0.0
		if st.calls > 0 {
			per = float64(st.usec) / float64(st.calls)
		}
		w.Field("cmdstat_"+c.Name, fmt.Sprintf("calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
			st.calls, st.usec, per, st.rejected, st.failed))
	}
}

func (s *Server) infoErrorstats(w *InfoWriter) {
	for _, kv := range s.stats.errorCodeCounts() {
		w.Field("errorstat_"+kv[0].(string), fmt.Sprintf("count=%d", kv[1]))
	}
}

// avgTTLSample bounds the keys INFO keyspace looks at per database.
const avgTTLSample = 1000

func (s *Server) infoKeyspace(w *InfoWriter) {
	now := nowMs()
	for _, db := range s.dbs {
		if db.Size() == 0 {
			continue
		}
		// INFO runs under the main-thread lock (and during yields): the
		// average is exact up to avgTTLSample keys with a TTL, an estimate
		// from a random sample beyond (Redis estimates it too).
		var ttlSum, n int64
		seen := 0
		for _, e := range db.expires {
			if seen++; seen > avgTTLSample {
				break
			}
			if e.expireAt > now {
				ttlSum += e.expireAt - now
				n++
			}
		}
		avg := int64(0)
		if n > 0 {
			avg = ttlSum / n
		}
		w.Field("db"+strconv.Itoa(db.id), fmt.Sprintf("keys=%d,expires=%d,avg_ttl=%d", db.Size(), db.ExpiresCount(), avg))
	}
}
