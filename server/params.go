package server

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// coreParams are the server's own parameters, kept for lock-free reads.
type coreParams struct {
	port                   *Param
	bind                   *Param
	requirepass            *Param
	notifyKeyspaceEvents   *Param
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
	setMaxIntsetEntries    *Param
	hllSparseMaxBytes      *Param
	streamNodeMaxBytes     *Param
	streamNodeMaxEntries   *Param
	zsetMaxListpackEntries *Param
	zsetMaxListpackValue   *Param
	cluster                *Param
	save                   *Param
}

const maxInt64 = math.MaxInt64

func (s *Server) registerCoreParams() error {
	p := &s.params
	params := []*Param{
		{Name: "port", Type: ParamInt, Min: 0, Max: 65535, Default: "6379", Immutable: true},
		{Name: "bind", Type: ParamString, Default: "127.0.0.1", Immutable: true, MultiArg: true},
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
		// logfile is load-time only in Redis 7.0; we let CONFIG SET switch it.
		{Name: "logfile", Type: ParamString, Default: "", Apply: func(*Ctx) error {
			if err := s.logOut.setFile(s.params.logfile.String(), s.opts.LogOutput); err != nil {
				return errors.New("Can't open the log file: " + strerror(err))
			}
			return nil
		}},
		{Name: "enable-debug-command", Type: ParamEnum, Enum: []string{"no", "yes", "local"}, Default: "no", Immutable: true},
		{Name: "hash-max-listpack-entries", Aliases: []string{"hash-max-ziplist-entries"}, Type: ParamInt, Min: 0, Max: maxInt64, Default: "512"},
		{Name: "hash-max-listpack-value", Aliases: []string{"hash-max-ziplist-value"}, Type: ParamMemory, Min: 0, Max: maxInt64, Default: "64"},
		// Accepted; every list is a quicklist as in Redis 7.0 (see db.go).
		{Name: "list-max-listpack-size", Aliases: []string{"list-max-ziplist-size"}, Type: ParamInt, Min: math.MinInt32, Max: math.MaxInt32, Default: "-2"},
		{Name: "list-compress-depth", Type: ParamInt, Min: 0, Max: math.MaxInt32, Default: "0"},
		// Redis 7.0 has no set-max-listpack-entries/value (7.2 added listpack sets).
		{Name: "set-max-intset-entries", Type: ParamInt, Min: 0, Max: maxInt64, Default: "512"},
		{Name: "hll-sparse-max-bytes", Type: ParamMemory, Min: 0, Max: maxInt64, Default: "3000"},
		// Streams split into nodes of at most this many entries (see stream.go).
		{Name: "stream-node-max-bytes", Type: ParamMemory, Min: 0, Max: maxInt64, Default: "4096"},
		{Name: "stream-node-max-entries", Type: ParamInt, Min: 0, Max: maxInt64, Default: "100"},
		{Name: "zset-max-listpack-entries", Aliases: []string{"zset-max-ziplist-entries"}, Type: ParamInt, Min: 0, Max: maxInt64, Default: "128"},
		{Name: "zset-max-listpack-value", Aliases: []string{"zset-max-ziplist-value"}, Type: ParamMemory, Min: 0, Max: maxInt64, Default: "64"},
		// Accepted for the clients and tools that read them; nothing is persisted.
		{Name: "save", Type: ParamString, Default: "", MultiArg: true, Validate: validateSave, Normalize: normalizeSave},
		{Name: "appendonly", Type: ParamBool, Default: "no"},
		{Name: "dir", Type: ParamString, Default: ".", Protected: true, Validate: validateDir, Normalize: absPath},
		{Name: "dbfilename", Type: ParamString, Default: "dump.rdb", Protected: true},
		{Name: "enable-protected-configs", Type: ParamEnum, Enum: []string{"no", "yes", "local"}, Default: "no", Immutable: true},
		{Name: "maxmemory", Type: ParamMemory, Unsigned: true, Min: 0, Max: -1, Default: "0"},
		{Name: "maxmemory-policy", Type: ParamEnum, Enum: []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}, Default: "noeviction"},
		// CONFIG GET shows "AKE" for "KEAn" but Redis keeps the n: the flags
		// of each accepted value are remembered by its stored form.
		{Name: "notify-keyspace-events", Type: ParamString, Default: "", Normalize: normalizeKeyspaceEvents,
			Validate: func(v string) error {
				flags, ok := keyspaceEventFlags(v)
				if ok {
					s.notifyFlagsOf.Store(normalizeKeyspaceEvents(v), flags)
				}
				return validateKeyspaceEvents(v)
			},
			Apply: func(*Ctx) error {
				v := s.params.notifyKeyspaceEvents.String()
				if f, ok := s.notifyFlagsOf.Load(v); ok {
					s.notifyFlags = f.(int)
				} else {
					s.notifyFlags, _ = keyspaceEventFlags(v)
				}
				return nil
			}},
		{Name: "slowlog-log-slower-than", Type: ParamInt, Min: -1, Max: maxInt64, Default: "10000"},
		{Name: "slowlog-max-len", Type: ParamInt, Min: 0, Max: maxInt64, Default: "128"},
		{Name: "io-threads", Type: ParamInt, Min: 1, Max: 128, Default: "1", Immutable: true},
		{Name: "daemonize", Type: ParamBool, Default: "no", Immutable: true},
		{Name: "cluster-enabled", Type: ParamBool, Default: "no", Immutable: true},
		// Ours: the static topology of cluster mode (see cluster.go).
		{Name: "cluster-nodes", Type: ParamString, Default: "", Immutable: true},
	}
	for _, prm := range params {
		if err := s.cfg.Register(prm); err != nil {
			return err
		}
	}
	s.cfg.allowProtected = func(ctx *Ctx) bool {
		switch s.cfg.Get("enable-protected-configs") {
		case "yes":
			return true
		case "local":
			return ctx == nil || ctx.Client == nil || isLocalClient(ctx.Client.conn.RemoteAddr())
		}
		return ctx == nil || ctx.Client == nil
	}
	get := s.cfg.Lookup
	*p = coreParams{
		port:                   get("port"),
		bind:                   get("bind"),
		requirepass:            get("requirepass"),
		notifyKeyspaceEvents:   get("notify-keyspace-events"),
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
		setMaxIntsetEntries:    get("set-max-intset-entries"),
		hllSparseMaxBytes:      get("hll-sparse-max-bytes"),
		streamNodeMaxBytes:     get("stream-node-max-bytes"),
		streamNodeMaxEntries:   get("stream-node-max-entries"),
		zsetMaxListpackEntries: get("zset-max-listpack-entries"),
		zsetMaxListpackValue:   get("zset-max-listpack-value"),
		cluster:                get("cluster-enabled"),
		save:                   get("save"),
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

// saveParams parses the save parameter as Redis' CONFIG SET does: the value
// is split at every single space, each word read as strtoll reads it
// (leading blanks and a sign allowed, saturating, an empty word is 0), in
// pairs of seconds (at least 1) and changes (at least 0, kept in a C int).
func saveParams(v string) ([][2]int64, bool) {
	if v == "" {
		return nil, true
	}
	words := strings.Split(v, " ")
	if len(words)%2 != 0 {
		return nil, false
	}
	out := make([][2]int64, 0, len(words)/2)
	for i := 0; i < len(words); i += 2 {
		secs, ok1 := strtoll(words[i])
		changes, ok2 := strtoll(words[i+1])
		if !ok1 || !ok2 || secs < 1 || changes < 0 {
			return nil, false
		}
		out = append(out, [2]int64{secs, int64(int32(changes))})
	}
	return out, true
}

// strtoll reads s as C's strtoll(s, &end, 10) does, and reports whether it
// read all of s.
func strtoll(s string) (int64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var n uint64
	overflow := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > (math.MaxUint64-9)/10 {
			overflow = true
		}
		n = n*10 + uint64(s[i]-'0')
	}
	if i == start {
		// No digits: strtoll stops at the start of s.
		return 0, s == ""
	}
	if i != len(s) {
		return 0, false
	}
	switch {
	case neg && (overflow || n > 1<<63):
		return math.MinInt64, true
	case neg:
		return -int64(n), true
	case overflow || n > math.MaxInt64:
		return math.MaxInt64, true
	}
	return int64(n), true
}

func validateSave(v string) error {
	if _, ok := saveParams(v); !ok {
		return errors.New("Invalid save parameters")
	}
	return nil
}

// normalizeSave renders the save points as CONFIG GET shows them.
func normalizeSave(v string) string {
	params, _ := saveParams(v)
	parts := make([]string, 0, 2*len(params))
	for _, sp := range params {
		parts = append(parts, strconv.FormatInt(sp[0], 10), strconv.FormatInt(sp[1], 10))
	}
	return strings.Join(parts, " ")
}

// validateDir checks that dir names a directory (Redis chdir()s to it and
// answers strerror on failure).
func validateDir(v string) error {
	st, err := os.Stat(v)
	if err != nil {
		return errors.New(strerror(err))
	}
	if !st.IsDir() {
		return errors.New("Not a directory")
	}
	return nil
}

// absPath makes a path absolute. For dir: Redis reports the working
// directory it changed to; we do not change the process' directory, we
// report where it would be.
func absPath(v string) string {
	if abs, err := filepath.Abs(v); err == nil {
		return abs
	}
	return v
}

// strerror words an OS error as C's strerror does ("No such file or
// directory").
func strerror(err error) string {
	var errno syscall.Errno
	msg := err.Error()
	if errors.As(err, &errno) {
		msg = errno.Error()
	}
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// Keyspace notification classes, as notify-keyspace-events spells them.
const (
	notifyKeyspace = 1 << iota // K
	notifyKeyevent             // E
	notifyGeneric              // g
	notifyString               // $
	notifyList                 // l
	notifySet                  // s
	notifyHash                 // h
	notifyZset                 // z
	notifyExpired              // x
	notifyEvicted              // e
	notifyStream               // t
	notifyKeyMiss              // m
	notifyModule               // d
	notifyNew                  // n

	notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash |
		notifyZset | notifyExpired | notifyEvicted | notifyStream | notifyModule
)

// keyspaceEventClasses maps each class character to its flag, in the order
// Redis prints them: the event types (A standing for all of g$lshzxetd,
// and replacing them all, n included, when they all are set), then K, E, m.
var keyspaceEventClasses = []struct {
	ch   byte
	flag int
}{
	{'g', notifyGeneric}, {'$', notifyString}, {'l', notifyList}, {'s', notifySet},
	{'h', notifyHash}, {'z', notifyZset}, {'x', notifyExpired}, {'e', notifyEvicted},
	{'t', notifyStream}, {'d', notifyModule}, {'n', notifyNew},
	{'K', notifyKeyspace}, {'E', notifyKeyevent}, {'m', notifyKeyMiss},
}

// keyspaceEventFlags parses notify-keyspace-events as Redis'
// keyspaceEventsStringToFlags does.
func keyspaceEventFlags(v string) (int, bool) {
	flags := 0
outer:
	for i := 0; i < len(v); i++ {
		if v[i] == 'A' {
			flags |= notifyAll
			continue
		}
		for _, c := range keyspaceEventClasses {
			if c.ch == v[i] {
				flags |= c.flag
				continue outer
			}
		}
		return 0, false
	}
	return flags, true
}

func validateKeyspaceEvents(v string) error {
	if _, ok := keyspaceEventFlags(v); !ok {
		return errors.New("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
	}
	return nil
}

// normalizeKeyspaceEvents renders the classes as CONFIG GET shows them
// (Redis' keyspaceEventsFlagsToString: "KEA" reads back as "AKE").
func normalizeKeyspaceEvents(v string) string {
	flags, _ := keyspaceEventFlags(v)
	all := flags&notifyAll == notifyAll
	var b []byte
	if all {
		b = append(b, 'A')
	}
	for _, c := range keyspaceEventClasses {
		isType := c.flag&(notifyKeyspace|notifyKeyevent|notifyKeyMiss) == 0
		if flags&c.flag != 0 && !(all && isType) {
			b = append(b, c.ch)
		}
	}
	return string(b)
}

// ConfigError is a fatal error in the startup configuration, reported the
// way redis-server reports one. Line 0 is an error found once every line
// was read (Redis then names no line).
type ConfigError struct {
	Line   int
	Text   string
	Reason string
}

func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n%s", Version, e.Reason)
	}
	return fmt.Sprintf("\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\nReading the configuration file, at line %d\n>>> '%s'\n%s",
		Version, e.Line, e.Text, e.Reason)
}

// applyStartupConfig applies the config file, then Options.Config, as
// redis-server applies its file and then its command-line options: both
// are read as one text, the options after an empty line (so that an error
// names the line of that text).
func (s *Server) applyStartupConfig() error {
	var text string
	if s.opts.ConfigFile != "" {
		data, err := os.ReadFile(s.opts.ConfigFile)
		if err != nil {
			return fmt.Errorf("Fatal error, can't open config file '%s': %s", s.opts.ConfigFile, strerror(err))
		}
		text = string(data)
		// INFO's config_file is absolute, as Redis makes it.
		s.configFile = absPath(s.opts.ConfigFile)
	}
	if len(s.opts.Config) > 0 {
		text += "\n" + strings.Join(s.opts.Config, "\n")
	}
	lines := strings.Split(text, "\n")
	saveLoaded := false
	for i, raw := range lines {
		line := strings.Trim(raw, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(reason string) error {
			return &ConfigError{Line: i + 1, Text: line, Reason: reason}
		}
		args, ok := splitArgs([]byte(line), nil)
		if !ok {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(args) == 0 {
			continue
		}
		name := strings.ToLower(string(args[0]))
		p := s.cfg.Lookup(name)
		if p == nil {
			return fail("Bad directive or wrong number of arguments")
		}
		if !p.MultiArg && len(args) != 2 {
			return fail("wrong number of arguments")
		}
		parts := make([]string, len(args)-1)
		for j, a := range args[1:] {
			parts[j] = string(a)
		}
		value := strings.Join(parts, " ")
		if p == s.params.save {
			// Save points accumulate over the lines ("save 900 1" then
			// "save 60 100"); an empty save line clears them.
			if saveLoaded && value != "" && p.String() != "" {
				value = p.String() + " " + value
			}
			saveLoaded = true
		}
		if err := s.cfg.Set(nil, [][2]string{{name, value}}, true); err != nil {
			var cse *ConfigSetError
			if !errors.As(err, &cse) {
				return fail(err.Error())
			}
			if cse.applyFailed {
				// What Redis checks once the whole configuration is read
				// (opening the log file...) is reported without a line.
				return &ConfigError{Reason: cse.Reason}
			}
			return fail(cse.Reason)
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
