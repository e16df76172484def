package server

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// coreParams are the server's own parameters, kept for lock-free reads.
type coreParams struct {
	port                   *Param
	bind                   *Param
	requirepass            *Param
	maxclients             *Param
	timeout                *Param
	tcpKeepalive           *Param
	protectedMode          *Param
	protoMaxBulkLen        *Param
	clientQueryBufferLimit *Param
	busyReplyThreshold     *Param
	databases              *Param
	hz                     *Param
	loglevel               *Param
	logfile                *Param
	enableDebugCommand     *Param
	hashMaxListpackEntries *Param
	hashMaxListpackValue   *Param
	cluster                *Param
}

const maxInt64 = math.MaxInt64

func (s *Server) registerCoreParams() error {
	p := &s.params
	params := []*Param{
		{Name: "port", Type: ParamInt, Min: 0, Max: 65535, Default: "6379", Immutable: true},
		{Name: "bind", Type: ParamString, Default: "127.0.0.1", Immutable: true},
		{Name: "requirepass", Type: ParamString, Default: ""},
		{Name: "maxclients", Type: ParamInt, Min: 1, Max: math.MaxUint32, Default: "10000"},
		{Name: "timeout", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "0"},
		{Name: "tcp-keepalive", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "300"},
		{Name: "protected-mode", Type: ParamBool, Default: "yes"},
		{Name: "proto-max-bulk-len", Type: ParamMemory, Min: 1024 * 1024, Max: maxInt64, Default: "512mb"},
		{Name: "client-query-buffer-limit", Type: ParamMemory, Min: 1024 * 1024, Max: maxInt64, Default: "1gb"},
		{Name: "busy-reply-threshold", Aliases: []string{"lua-time-limit"}, Type: ParamInt, Min: 0, Max: maxInt64, Default: "5000"},
		{Name: "databases", Type: ParamInt, Min: 1, Max: math.MaxInt32, Default: "16", Immutable: true},
		{Name: "hz", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "10", Normalize: clampHz},
		{Name: "loglevel", Type: ParamEnum, Enum: []string{"debug", "verbose", "notice", "warning"}, Default: "notice",
			Apply: func(*Ctx) error { s.logLevel.Store(int64(logLevelByName[s.params.loglevel.String()])); return nil }},
		{Name: "logfile", Type: ParamString, Default: "", Apply: func(*Ctx) error {
			return s.logOut.setFile(s.params.logfile.String(), s.opts.LogOutput)
		}},
		{Name: "enable-debug-command", Type: ParamEnum, Enum: []string{"no", "yes", "local"}, Default: "no", Immutable: true},
		{Name: "hash-max-listpack-entries", Aliases: []string{"hash-max-ziplist-entries"}, Type: ParamMemory, Min: 0, Max: maxInt64, Default: "512"},
		{Name: "hash-max-listpack-value", Aliases: []string{"hash-max-ziplist-value"}, Type: ParamMemory, Min: 0, Max: maxInt64, Default: "64"},
		// Accepted for the clients and tools that read them; nothing is persisted.
		{Name: "save", Type: ParamString, Default: "", Validate: validateSave},
		{Name: "appendonly", Type: ParamBool, Default: "no"},
		{Name: "dir", Type: ParamString, Default: ".", Validate: validateDir},
		{Name: "dbfilename", Type: ParamString, Default: "dump.rdb"},
		{Name: "maxmemory", Type: ParamMemory, Min: 0, Max: maxInt64, Default: "0"},
		{Name: "maxmemory-policy", Type: ParamEnum, Enum: []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}, Default: "noeviction"},
		{Name: "notify-keyspace-events", Type: ParamString, Default: ""},
		{Name: "slowlog-log-slower-than", Type: ParamInt, Min: -1, Max: maxInt64, Default: "10000"},
		{Name: "slowlog-max-len", Type: ParamInt, Min: 0, Max: maxInt64, Default: "128"},
		{Name: "io-threads", Type: ParamInt, Min: 1, Max: 128, Default: "1", Immutable: true},
		{Name: "daemonize", Type: ParamBool, Default: "no", Immutable: true},
		{Name: "cluster-enabled", Type: ParamBool, Default: "no", Immutable: true},
	}
	for _, prm := range params {
		if err := s.cfg.Register(prm); err != nil {
			return err
		}
	}
	get := s.cfg.Lookup
	*p = coreParams{
		port:                   get("port"),
		bind:                   get("bind"),
		requirepass:            get("requirepass"),
		maxclients:             get("maxclients"),
		timeout:                get("timeout"),
		tcpKeepalive:           get("tcp-keepalive"),
		protectedMode:          get("protected-mode"),
		protoMaxBulkLen:        get("proto-max-bulk-len"),
		clientQueryBufferLimit: get("client-query-buffer-limit"),
		busyReplyThreshold:     get("busy-reply-threshold"),
		databases:              get("databases"),
		hz:                     get("hz"),
		loglevel:               get("loglevel"),
		logfile:                get("logfile"),
		enableDebugCommand:     get("enable-debug-command"),
		hashMaxListpackEntries: get("hash-max-listpack-entries"),
		hashMaxListpackValue:   get("hash-max-listpack-value"),
		cluster:                get("cluster-enabled"),
	}
	return nil
}

// clampHz keeps hz within 1..500, as Redis does.
func clampHz(v string) string {
	n, _ := strconv.ParseInt(v, 10, 64)
	switch {
	case n < 1:
		return "1"
	case n > 500:
		return "500"
	}
	return v
}

// validateSave accepts "" or pairs of seconds and changes.
func validateSave(v string) error {
	f := strings.Fields(v)
	if len(f)%2 != 0 {
		return errors.New("Invalid save parameters")
	}
	for _, x := range f {
		if _, err := strconv.ParseUint(x, 10, 63); err != nil {
			return errors.New("Invalid save parameters")
		}
	}
	return nil
}

func validateDir(v string) error {
	if st, err := os.Stat(v); err != nil || !st.IsDir() {
		return fmt.Errorf("No such file or directory")
	}
	return nil
}

// ConfigError is a fatal error in the startup configuration, reported the
// way redis-server reports one.
type ConfigError struct {
	Line   int
	Text   string
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\nReading the configuration file, at line %d\n>>> '%s'\n%s",
		Version, e.Line, e.Text, e.Reason)
}

// applyStartupConfig applies the config file, then Options.Config, as
// redis-server applies its file and then its command-line options.
func (s *Server) applyStartupConfig() error {
	var lines []string
	if s.opts.ConfigFile != "" {
		data, err := os.ReadFile(s.opts.ConfigFile)
		if err != nil {
			return fmt.Errorf("Fatal error, can't open config file '%s': %v", s.opts.ConfigFile, err)
		}
		lines = strings.Split(string(data), "\n")
		s.configFile = s.opts.ConfigFile
	} else {
		// redis-server numbers its command-line options from line 2.
		lines = []string{""}
	}
	lines = append(lines, s.opts.Config...)
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		args, ok := splitArgs([]byte(line), nil)
		if !ok {
			return &ConfigError{Line: i + 1, Text: line, Reason: "Unbalanced quotes in configuration line"}
		}
		if len(args) == 0 {
			continue
		}
		name := strings.ToLower(string(args[0]))
		p := s.cfg.Lookup(name)
		if p == nil || len(args) < 2 {
			return &ConfigError{Line: i + 1, Text: line, Reason: "Bad directive or wrong number of arguments"}
		}
		var value string
		if len(args) == 2 {
			value = string(args[1])
		} else if p.Type == ParamString {
			// Multi-argument directives (save, bind) take their arguments
			// joined, as CONFIG SET takes them in one string.
			parts := make([]string, len(args)-1)
			for j, a := range args[1:] {
				parts[j] = string(a)
			}
			value = strings.Join(parts, " ")
		} else {
			return &ConfigError{Line: i + 1, Text: line, Reason: "Bad directive or wrong number of arguments"}
		}
		if err := s.cfg.Set(nil, [][2]string{{name, value}}, true); err != nil {
			reason := err.Error()
			var cse *ConfigSetError
			if errors.As(err, &cse) {
				reason = cse.Reason
			}
			return &ConfigError{Line: i + 1, Text: line, Reason: reason}
		}
	}
	return nil
}

// clusterEnabled tells whether the shard runs in cluster mode.
func (p *coreParams) clusterEnabled() bool { return p.cluster != nil && p.cluster.Bool() }

// DirectiveLine builds a configuration line from a name and its arguments,
// quoting each argument so that it survives the line splitting (an empty
// argument stays an argument), as redis-server does with its command-line
// options.
func DirectiveLine(name string, args ...string) string {
	b := []byte(name)
	for _, a := range args {
		b = append(b, ' ')
		b = appendRepr(b, []byte(a))
	}
	return string(b)
}
