package module

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.uber.org/atomic"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// The search module's configuration has two faces, as in Redis 8 with the
// real module: the `search-*` parameters of CONFIG GET/SET (and of the
// config file), and the legacy FT.CONFIG GET/SET/HELP with its upper-case
// names. Both read and write the same storage: the server.Param of each
// CONFIG name. The module's own setters accept a few values CONFIG SET
// refuses (FT.CONFIG SET TIMEOUT 0, GCSCANSIZE at runtime); those go through
// the same storage (see storeFromFTConfig).

// Limits and defaults of the real module (src/config.h, 8.2).
const (
	maxWorkerThreads   = 16      // MAX_WORKER_THREADS
	maxRequestResults  = 1 << 31 // MAX_SEARCH_REQUEST_RESULTS, MAX_AGGREGATE_REQUEST_RESULTS: "unlimited"
	maxDialectVersion  = 4
	minMinStemLength   = 2
	maxDocTableSize    = 100000000
	nrMaxDepthBalance  = 2
	bm25stdTanhMin     = 1
	bm25stdTanhMax     = 10000
	maxIndexingMemPct  = 100
	llongMax           = math.MaxInt64
	uint32Max          = math.MaxUint32
	defaultScorerName  = "BM25STD"
	moduleLogPrefix    = "<search> " // Redis prefixes a module's log lines with its name
	immutableErrReason = "Not modifiable at runtime"
)

// defaultScorerNames are the scorers DEFAULT_SCORER accepts: the module's
// built-in scoring functions, whose names it looks up case-sensitively.
var defaultScorerNames = []string{"TFIDF", "TFIDF.DOCNORM", "BM25", "BM25STD", "DISMAX", "DOCSCORE", "HAMMING"}

// The module's argument-cursor errors (rmutil's AC_Strerror), which its
// setters reply with as they are.
var (
	errNoArgument   = errors.New("Expected an argument, but none provided")
	errConvert      = errors.New("Could not convert argument to expected type")
	errOutOfBounds  = errors.New("Value is outside acceptable bounds")
	errInvalidOpt   = errors.New("Invalid option")
	errNotRuntime   = errors.New(immutableErrReason)
	errTooManyThrds = fmt.Errorf("Number of worker threads cannot exceed %d", maxWorkerThreads)
)

// Config is the search module's configuration. Its getters read without
// locks; values change on the main thread (CONFIG SET, FT.CONFIG SET, the
// config file).
type Config struct {
	// OnWorkersChange, when set, is called on the main thread (holding the
	// main-thread lock) with the new WORKERS value each time it is set,
	// through either CONFIG SET search-workers or FT.CONFIG SET WORKERS.
	OnWorkersChange func(ctx *server.Ctx, n int)
	// DistributeSet, when set, runs FT.CONFIG SET on every shard of a
	// cluster; it reports false to run it here only.
	DistributeSet func(ctx *server.Ctx, args [][]byte) bool
	// OnConnPerShardChange, when set, follows search-conn-per-shard.
	OnConnPerShardChange func()

	srv    *server.Server
	params []*server.Param
	vars   []*ftConfigVar          // FT.CONFIG's table, in `FT.CONFIG GET *` order
	byName map[string]*ftConfigVar // upper-case FT.CONFIG name → entry

	// ftSetting is true while FT.CONFIG SET stores a value, so that the
	// parameters' CONFIG-only range checks let the module's wider ranges
	// through.
	ftSetting atomic.Bool
	// forkGCCleanNumericEmptyNodes has no CONFIG name (deprecated in 8.0).
	forkGCCleanNumericEmptyNodes atomic.Bool
	// Mirrors of string parameters, kept by their Apply hooks so that the
	// hot getters take no lock.
	onTimeoutFail atomic.Bool
	defaultScorer atomic.String

	timeout, onTimeout, workers, minPrefix, maxPrefixExpansions  *server.Param
	resizePolicy, drainTimeout, connPerShard                     *server.Param
	ioThreads, connShrinkPolicy, connDrainTimeout                *server.Param
	debugQueryDelay                                              *server.Param
	maxSearchResults, maxAggregateResults, defaultDialect        *server.Param
	tieredBufferLimit                                            *server.Param
	defaultScorerParam, minStemLen, cursorMaxIdle, unionIterHeap *server.Param
	minPhoneticLen                                               *server.Param
}

// newConfig builds the configuration at its defaults; register makes it
// known to the server.
func newConfig() *Config {
	c := &Config{byName: map[string]*ftConfigVar{}}
	c.defaultScorer.Store(defaultScorerName)
	c.forkGCCleanNumericEmptyNodes.Store(true)
	c.buildParams()
	c.buildVars()
	return c
}

// register adds every `search-*` parameter and the FT.CONFIG command.
func (c *Config) register(m *server.ModuleContext) error {
	c.srv = m.Server()
	for _, p := range c.params {
		if err := m.RegisterParam(p); err != nil {
			return err
		}
	}
	return m.RegisterCommand(&server.Command{
		Name:    "FT.CONFIG",
		Arity:   -3,
		Flags:   server.FlagReadOnly,
		Meta:    commandMeta("FT.CONFIG"),
		Handler: c.cmdFTConfig,
	})
}

// Timeout is the query timeout; 0 means none.
func (c *Config) Timeout() time.Duration { return time.Duration(c.timeout.Int()) * time.Millisecond }

// OnTimeoutFail tells whether a query that times out fails (ON_TIMEOUT
// fail) rather than returning what it has (return).
func (c *Config) OnTimeoutFail() bool { return c.onTimeoutFail.Load() }

// Workers is the configured size of the worker pool (0: queries run on the
// main thread).
func (c *Config) Workers() int { return int(c.workers.Int()) }

// MinPrefix is the shortest prefix a prefix query (`foo*`) expands.
func (c *Config) MinPrefix() int { return int(c.minPrefix.Int()) }

// MaxExpansions bounds the terms a prefix, suffix or fuzzy term expands to
// (MAXEXPANSIONS = MAXPREFIXEXPANSIONS).
func (c *Config) MaxExpansions() int { return int(c.maxPrefixExpansions.Int()) }

// MaxSearchResults bounds FT.SEARCH's LIMIT. "unlimited" is the module's
// own ceiling, 2^31 (MAX_SEARCH_REQUEST_RESULTS): LIMIT is checked against
// it as against any other value.
func (c *Config) MaxSearchResults() int64 { return c.maxSearchResults.Int() }

// TieredBufferLimit is TIERED_HNSW_BUFFER_LIMIT: past this many vectors
// waiting for a worker, a tiered HNSW index inserts directly.
func (c *Config) TieredBufferLimit() int64 { return c.tieredBufferLimit.Int() }

// MaxAggregateResults bounds FT.AGGREGATE's LIMIT; 2^31 ("unlimited") by
// default.
func (c *Config) MaxAggregateResults() int64 { return c.maxAggregateResults.Int() }

// WorkersResizePolicy is how a reduction of search-workers is carried out:
// async, drain-yield or legacy-barrier.
func (c *Config) WorkersResizePolicy() string { return c.resizePolicy.String() }

// WorkersDrainTimeout bounds a drain-yield reduction.
func (c *Config) WorkersDrainTimeout() time.Duration {
	return time.Duration(c.drainTimeout.Int()) * time.Millisecond
}

// ConnPerShard is search-conn-per-shard (0: workers+1).
func (c *Config) ConnPerShard() int { return int(c.connPerShard.Int()) }

// DebugQueryDelay is how long a query waits, off the main thread, before
// it runs (search-_debug-query-delay, tests only).
func (c *Config) DebugQueryDelay() time.Duration {
	return time.Duration(c.debugQueryDelay.Int()) * time.Millisecond
}

// IOThreads is search-io-threads: the coordinator's IO runtimes.
func (c *Config) IOThreads() int { return int(c.ioThreads.Int()) }

// ConnShrinkGraceful tells whether surplus connections drain (graceful) or
// close at once (immediate).
func (c *Config) ConnShrinkGraceful() bool { return c.connShrinkPolicy.String() != "immediate" }

// ConnDrainTimeout bounds a graceful connection drain.
func (c *Config) ConnDrainTimeout() time.Duration {
	return time.Duration(c.connDrainTimeout.Int()) * time.Millisecond
}

// DefaultDialect is the query dialect used when a query names none.
func (c *Config) DefaultDialect() int { return int(c.defaultDialect.Int()) }

// DefaultScorer is the scoring function used when a query names none.
func (c *Config) DefaultScorer() string { return c.defaultScorer.Load() }

// MinStemLen is the shortest word the stemmer expands.
func (c *Config) MinStemLen() int { return int(c.minStemLen.Int()) }

// MinPhoneticLen is the shortest word a PHONETIC field indexes a phonetic
// code for.
func (c *Config) MinPhoneticLen() int { return int(c.minPhoneticLen.Int()) }

// CursorMaxIdle is the longest MAXIDLE a cursor may ask for.
func (c *Config) CursorMaxIdle() time.Duration {
	return time.Duration(c.cursorMaxIdle.Int()) * time.Millisecond
}

// IndexCursorLimit is how many cursors an index may have open
// (INDEX_CURSOR_LIMIT).
func (c *Config) IndexCursorLimit() int64 { return c.param("search-index-cursor-limit").Int() }

// UnionIteratorHeap is the number of union children from which a union
// iterator switches to a heap.
func (c *Config) UnionIteratorHeap() int { return int(c.unionIterHeap.Int()) }

// queryOptions are the engine's query options as the configuration sets
// them (MINPREFIX, MAXEXPANSIONS, UNION_ITERATOR_HEAP), SLOP not given.
func (c *Config) queryOptions() index.QueryOptions {
	return index.QueryOptions{Slop: -1, MinPrefix: c.MinPrefix(), MaxExpansions: c.MaxExpansions(), UnionIteratorHeap: c.UnionIteratorHeap()}
}

// buildParams declares the `search-*` parameters with the names, defaults,
// ranges and mutability of the real module (RegisterModuleConfig_Local).
func (c *Config) buildParams() {
	intParam := func(name string, def, min, max int64, immutable bool) *server.Param {
		return &server.Param{Name: name, Type: server.ParamInt, Min: min, Max: max,
			Default: strconv.FormatInt(def, 10), Immutable: immutable}
	}
	boolParam := func(name string, def, immutable bool) *server.Param {
		d := "no"
		if def {
			d = "yes"
		}
		return &server.Param{Name: name, Type: server.ParamBool, Default: d, Immutable: immutable}
	}
	// The module's TIMEOUT and FORK_GC_CLEAN_THRESHOLD setters take 0,
	// which the CONFIG names refuse: the parameter's type range starts at 0
	// and this check refuses 0 unless FT.CONFIG is storing it.
	ftMayGoBelow := func(p *server.Param, configMin int64) *server.Param {
		p.Validate = func(v string) error {
			n, _ := strconv.ParseInt(v, 10, 64)
			if n < configMin && !c.ftSetting.Load() {
				return fmt.Errorf("argument must be between %d and %d inclusive", configMin, p.Max)
			}
			return nil
		}
		return p
	}

	c.timeout = ftMayGoBelow(intParam("search-timeout", 500, 0, llongMax, false), 1)
	c.onTimeout = &server.Param{Name: "search-on-timeout", Type: server.ParamEnum,
		Enum: []string{"return", "fail"}, Default: "return",
		Apply: func(*server.Ctx) error { c.onTimeoutFail.Store(c.onTimeout.String() == "fail"); return nil }}
	c.workers = intParam("search-workers", 0, 0, maxWorkerThreads, false)
	c.workers.Apply = func(ctx *server.Ctx) error {
		if c.OnWorkersChange != nil {
			c.OnWorkersChange(ctx, int(c.workers.Int()))
		}
		return nil
	}
	// Ours: how a reduction of search-workers is carried out (DESIGN.md,
	// "Policies").
	c.resizePolicy = &server.Param{Name: "search-workers-resize-policy", Type: server.ParamEnum,
		Enum: []string{resizeAsync, resizeDrainYield, resizeLegacyBarrier, resizeLegacyRevive}, Default: resizeAsync}
	c.drainTimeout = intParam("search-workers-drain-timeout", 5000, 0, llongMax, false)
	c.connPerShard = intParam("search-conn-per-shard", 0, 0, llongMax, false)
	c.connPerShard.Apply = func(*server.Ctx) error {
		if c.OnConnPerShardChange != nil {
			c.OnConnPerShardChange()
		}
		return nil
	}
	c.ioThreads = intParam("search-io-threads", 1, 1, 256, true)
	// Ours, for tests: a query waits this long (ms) before it runs, off the
	// main thread: a slow shard that still answers PING.
	c.debugQueryDelay = intParam("search-_debug-query-delay", 0, 0, 3600000, false)
	c.connShrinkPolicy = &server.Param{Name: "search-conn-shrink-policy", Type: server.ParamEnum,
		Enum: []string{"graceful", "immediate"}, Default: "graceful"}
	c.connDrainTimeout = intParam("search-conn-drain-timeout", 5000, 0, llongMax, false)
	c.minPrefix = intParam("search-min-prefix", 2, 1, llongMax, false)
	c.maxPrefixExpansions = intParam("search-max-prefix-expansions", 200, 1, llongMax, false)
	c.maxSearchResults = intParam("search-max-search-results", 1000000, 0, maxRequestResults, false)
	c.tieredBufferLimit = intParam("search-tiered-hnsw-buffer-limit", 1024, 0, llongMax, true)
	c.maxAggregateResults = intParam("search-max-aggregate-results", maxRequestResults, 0, maxRequestResults, false)
	c.defaultDialect = intParam("search-default-dialect", 1, 1, maxDialectVersion, false)
	c.defaultScorerParam = &server.Param{Name: "search-default-scorer", Type: server.ParamString,
		Default: defaultScorerName, Validate: validateScorer,
		Apply: func(*server.Ctx) error { c.defaultScorer.Store(c.defaultScorerParam.String()); return nil }}
	c.minStemLen = intParam("search-min-stem-len", 4, minMinStemLength, uint32Max, false)
	c.minPhoneticLen = intParam("search-min-phonetic-term-len", 3, 1, llongMax, false)
	c.cursorMaxIdle = intParam("search-cursor-max-idle", 300000, 1, llongMax, false)
	c.unionIterHeap = intParam("search-union-iterator-heap", 20, 1, llongMax, false)

	c.params = []*server.Param{
		intParam("search-_numeric-ranges-parents", 0, 0, nrMaxDepthBalance, false),
		intParam("search-bg-index-sleep-gap", 100, 1, uint32Max, true),
		c.defaultDialect,
		intParam("search-fork-gc-clean-threshold", 100, 0, llongMax, false),
		intParam("search-fork-gc-retry-interval", 5, 1, llongMax, false),
		intParam("search-fork-gc-run-interval", 30, 1, llongMax, false),
		intParam("search-fork-gc-sleep-before-exit", 0, 0, llongMax, false),
		intParam("search-gc-scan-size", 100, 1, llongMax, true),
		intParam("search-index-cursor-limit", 128, 0, llongMax, false),
		c.maxAggregateResults,
		c.maxPrefixExpansions,
		intParam("search-max-doctablesize", 1000000, 1, maxDocTableSize, true),
		c.cursorMaxIdle,
		c.maxSearchResults,
		intParam("search-min-operation-workers", 4, 0, maxWorkerThreads, false),
		c.minPhoneticLen,
		c.minPrefix,
		c.minStemLen,
		intParam("search-multi-text-slop", 100, 1, uint32Max, true),
		c.tieredBufferLimit,
		c.timeout,
		c.unionIterHeap,
		intParam("search-vss-max-resize", 0, 0, uint32Max, false),
		c.workers,
		c.resizePolicy,
		c.drainTimeout,
		c.connPerShard,
		c.ioThreads,
		c.connShrinkPolicy,
		c.connDrainTimeout,
		c.debugQueryDelay,
		intParam("search-workers-priority-bias-threshold", 1, 0, llongMax, true),
		intParam("search-_bg-index-mem-pct-thr", 100, 0, maxIndexingMemPct, false),
		intParam("search-bm25std-tanh-factor", 4, bm25stdTanhMin, bm25stdTanhMax, false),
		intParam("search-_bg-index-oom-pause-time", 0, 0, uint32Max, false),
		intParam("search-indexer-yield-every-ops", 1000, 1, uint32Max, false),
		{Name: "search-ext-load", Type: server.ParamString, Default: "", Immutable: true},
		{Name: "search-friso-ini", Type: server.ParamString, Default: "", Immutable: true},
		c.defaultScorerParam,
		c.onTimeout,
		{Name: "search-on-oom", Type: server.ParamEnum, Enum: []string{"return", "fail", "ignore"}, Default: "return"},
		boolParam("search-_free-resource-on-thread", true, false),
		boolParam("search-_numeric-compress", false, false),
		boolParam("search-_print-profile-clock", true, false),
		boolParam("search-_prioritize-intersect-union-children", false, false),
		boolParam("search-no-mem-pools", false, true),
		boolParam("search-no-gc", false, true),
		boolParam("search-partial-indexed-docs", false, true),
		boolParam("search-raw-docid-encoding", false, true),
		boolParam("search-enable-unstable-features", false, false),
	}
	ftMayGoBelow(c.param("search-fork-gc-clean-threshold"), 1)
}

// param finds a declared parameter by its CONFIG name.
func (c *Config) param(name string) *server.Param {
	for _, p := range c.params {
		if p.Name == name {
			return p
		}
	}
	panic("module config: no parameter " + name) // a typo in this file, caught by every test
}

func validateScorer(v string) error {
	for _, s := range defaultScorerNames {
		if s == v {
			return nil
		}
	}
	return errors.New("Invalid default scorer value")
}

// --- FT.CONFIG -------------------------------------------------------------

// ftConfigVar is an FT.CONFIG name: how GET shows it and how SET parses it.
type ftConfigVar struct {
	name      string
	help      string
	immutable bool
	// configName is the CONFIG parameter the deprecation warning points to
	// ("" when the module names none).
	configName string
	// show returns the value as FT.CONFIG GET prints it; ok false is a nil.
	show func() (value string, ok bool)
	// set parses the arguments after the name and stores the value; it
	// returns how many arguments it used.
	set func(ctx *server.Ctx, args []string) (used int, err error)
}

// buildVars declares FT.CONFIG's names, in the module's order (the order of
// `FT.CONFIG GET *`), with the module's help texts and setters.
func (c *Config) buildVars() {
	p := c.param
	add := func(v *ftConfigVar) { c.vars = append(c.vars, v) }

	// intVar is an integer name stored in p, read as the module reads it
	// (an integer within [min, max], then its own check).
	intVar := func(name, help string, prm *server.Param, min, max int64, check func(int64) error) *ftConfigVar {
		return &ftConfigVar{name: name, help: help, configName: prm.Name,
			show: func() (string, bool) { return prm.String(), true },
			set: func(ctx *server.Ctx, args []string) (int, error) {
				n, err := acInteger(args, min, max)
				if err == nil && check != nil {
					err = check(n)
				}
				if err != nil {
					return 0, err
				}
				return 1, c.storeFromFTConfig(ctx, prm, strconv.FormatInt(n, 10))
			}}
	}
	// boolVar is a true/false name stored in a yes/no parameter.
	boolVar := func(name, help string, prm *server.Param) *ftConfigVar {
		return &ftConfigVar{name: name, help: help, configName: prm.Name,
			show: func() (string, bool) { return trueFalse(prm.Bool()), true },
			set: func(ctx *server.Ctx, args []string) (int, error) {
				if len(args) == 0 {
					return 0, errNoArgument
				}
				var v string
				switch strings.ToLower(args[0]) {
				case "true":
					v = "yes"
				case "false":
					v = "no"
				default:
					return 0, errConvert
				}
				return 1, c.storeFromFTConfig(ctx, prm, v)
			}}
	}
	// fixed is a load-time-only name: GET shows it, SET says it cannot.
	fixed := func(name, help, configName string, show func() (string, bool)) *ftConfigVar {
		return &ftConfigVar{name: name, help: help, immutable: true, configName: configName, show: show}
	}
	paramValue := func(prm *server.Param) func() (string, bool) {
		return func() (string, bool) { return prm.String(), true }
	}
	nilIfEmpty := func(prm *server.Param) func() (string, bool) {
		return func() (string, bool) { v := prm.String(); return v, v != "" }
	}
	boolValue := func(prm *server.Param) func() (string, bool) {
		return func() (string, bool) { return trueFalse(prm.Bool()), true }
	}
	literal := func(v string) func() (string, bool) { return func() (string, bool) { return v, true } }
	maxWorkers := func(n int64) error {
		if n > maxWorkerThreads {
			return errTooManyThrds
		}
		return nil
	}
	// enumVar is a name whose value is one of the parameter's words.
	enumVar := func(name, help string, prm *server.Param, invalid string) *ftConfigVar {
		return &ftConfigVar{name: name, help: help, configName: prm.Name, show: paramValue(prm),
			set: func(ctx *server.Ctx, args []string) (int, error) {
				if len(args) == 0 {
					return 0, errNoArgument
				}
				for _, e := range prm.Enum {
					if strings.EqualFold(e, args[0]) {
						return 1, c.storeFromFTConfig(ctx, prm, e)
					}
				}
				return 0, errors.New(invalid)
			}}
	}
	// resultsVar is MAXSEARCHRESULTS / MAXAGGREGATERESULTS: any integer, a
	// negative one meaning unlimited, capped at the module's ceiling.
	resultsVar := func(name, help string, prm *server.Param) *ftConfigVar {
		return &ftConfigVar{name: name, help: help, configName: prm.Name,
			show: func() (string, bool) {
				if prm.Int() == maxRequestResults {
					return "unlimited", true
				}
				return prm.String(), true
			},
			set: func(ctx *server.Ctx, args []string) (int, error) {
				n, err := acInteger(args, math.MinInt64, llongMax)
				if err != nil {
					return 0, err
				}
				if n < 0 || n > maxRequestResults {
					n = maxRequestResults
				}
				return 1, c.storeFromFTConfig(ctx, prm, strconv.FormatInt(n, 10))
			}}
	}

	add(fixed("EXTLOAD", "Load extension scoring/expansion module", "search-ext-load", nilIfEmpty(p("search-ext-load"))))
	add(fixed("NOGC", "Disable garbage collection (for this process)", "search-no-gc", boolValue(p("search-no-gc"))))
	add(intVar("MINPREFIX", "Set the minimum prefix for expansions (`*`)", c.minPrefix, 1, llongMax, nil))
	add(intVar("MINSTEMLEN", "Set the minimum word length to stem (default 4)", c.minStemLen, 1, uint32Max,
		func(n int64) error {
			if n < minMinStemLength {
				return fmt.Errorf("Minimum stem length cannot be lower than %d", minMinStemLength)
			}
			return nil
		}))
	add(intVar("FORKGC_SLEEP_BEFORE_EXIT", "set the amount of seconds for the fork GC to sleep before exists, should "+
		"always be set to 0 (other then on tests).", p("search-fork-gc-sleep-before-exit"), 0, llongMax, nil))
	add(fixed("MAXDOCTABLESIZE", "Maximum runtime document table size (for this process)", "search-max-doctablesize",
		paramValue(p("search-max-doctablesize"))))
	add(resultsVar("MAXSEARCHRESULTS", "Maximum number of results from ft.search command", c.maxSearchResults))
	add(resultsVar("MAXAGGREGATERESULTS", "Maximum number of results from ft.aggregate command", c.maxAggregateResults))
	maxExpansions := intVar("MAXEXPANSIONS", "Maximum prefix expansions to be used in a query", c.maxPrefixExpansions, 1, llongMax, nil)
	maxExpansions.configName = "" // the module's name table lists MAXPREFIXEXPANSIONS only
	add(maxExpansions)
	add(intVar("MAXPREFIXEXPANSIONS", "Maximum prefix expansions to be used in a query", c.maxPrefixExpansions, 1, llongMax, nil))
	add(intVar("TIMEOUT", "Query (search) timeout", c.timeout, 0, llongMax, nil))
	add(intVar("WORKERS", "Number of worker threads to use for query processing and background tasks. Default is 0."+
		" This configuration also affects the number of connections per shard. See CONN_PER_SHARD.",
		c.workers, 0, llongMax, maxWorkers))
	add(intVar("MIN_OPERATION_WORKERS", "Number of worker threads to use for background tasks when the server is in an operation event. "+
		"Default is 4", p("search-min-operation-workers"), 0, llongMax, maxWorkers))
	add(fixed("WORKER_THREADS", "Deprecated, see WORKERS and MIN_OPERATION_WORKERS", "", literal("0")))
	add(fixed("MT_MODE", "Deprecated, see WORKERS and MIN_OPERATION_WORKERS", "", literal("MT_MODE_OFF")))
	add(fixed("TIERED_HNSW_BUFFER_LIMIT", "Use for setting the buffer limit threshold for vector similarity tiered"+
		" HNSW index, so that if we are using WORKERS for indexing, and the"+
		" number of vectors waiting in the buffer to be indexed exceeds this limit,"+
		" we insert new vectors directly into HNSW", "search-tiered-hnsw-buffer-limit", paramValue(p("search-tiered-hnsw-buffer-limit"))))
	bias := p("search-workers-priority-bias-threshold")
	add(fixed("PRIVILEGED_THREADS_NUM", "Deprecated. See `WORKERS_PRIORITY_BIAS_THRESHOLD`", "", paramValue(bias)))
	add(fixed("WORKERS_PRIORITY_BIAS_THRESHOLD", "The number of high priority tasks to be executed at any given time by the "+
		"worker thread pool, before executing low priority tasks. After this number "+
		"of high priority tasks are being executed, the worker thread pool will execute "+
		"high and low priority tasks alternately.", bias.Name, paramValue(bias)))
	add(fixed("FRISOINI", "Path to Chinese dictionary configuration file (for Chinese tokenization)", "search-friso-ini",
		nilIfEmpty(p("search-friso-ini"))))
	add(&ftConfigVar{name: "DEFAULT_SCORER", help: "Default scorer to use when no scorer is specified in queries",
		configName: c.defaultScorerParam.Name, show: paramValue(c.defaultScorerParam),
		set: func(ctx *server.Ctx, args []string) (int, error) {
			if len(args) == 0 {
				return 0, errNoArgument
			}
			if err := validateScorer(args[0]); err != nil {
				return 0, err
			}
			return 1, c.storeFromFTConfig(ctx, c.defaultScorerParam, args[0])
		}})
	add(enumVar("ON_TIMEOUT", "Action to perform when search timeout is exceeded (choose RETURN or FAIL)", c.onTimeout,
		"Invalid ON_TIMEOUT value"))
	add(intVar("GCSCANSIZE", "Scan this many documents at a time during every GC iteration", p("search-gc-scan-size"), 1, llongMax, nil))
	add(intVar("MIN_PHONETIC_TERM_LEN", "Minimum length of term to be considered for phonetic matching",
		p("search-min-phonetic-term-len"), 1, llongMax, nil))
	add(fixed("GC_POLICY", "gc policy to use (DEFAULT/LEGACY)", "", literal("fork")))
	add(intVar("FORK_GC_RUN_INTERVAL", "interval (in seconds) in which to run the fork gc (relevant only when fork "+
		"gc is used)", p("search-fork-gc-run-interval"), 1, llongMax, nil))
	add(intVar("FORK_GC_CLEAN_THRESHOLD", "the fork gc will only start to clean when the number of not cleaned document "+
		"will exceed this threshold", p("search-fork-gc-clean-threshold"), 0, llongMax, nil))
	add(intVar("FORK_GC_RETRY_INTERVAL", "interval (in seconds) in which to retry running the forkgc after failure.",
		p("search-fork-gc-retry-interval"), 1, llongMax, nil))
	showEmptyNodes := func() (string, bool) { return trueFalse(c.forkGCCleanNumericEmptyNodes.Load()), true }
	// A flag: naming it sets it, it takes no value.
	add(&ftConfigVar{name: "FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", help: "clean empty nodes from numeric tree", show: showEmptyNodes,
		set: func(*server.Ctx, []string) (int, error) { c.forkGCCleanNumericEmptyNodes.Store(true); return 0, nil }})
	add(&ftConfigVar{name: "_FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", help: "clean empty nodes from numeric tree", show: showEmptyNodes,
		set: func(_ *server.Ctx, args []string) (int, error) {
			if len(args) == 0 {
				return 0, errNoArgument
			}
			switch strings.ToLower(args[0]) {
			case "true":
				c.forkGCCleanNumericEmptyNodes.Store(true)
			case "false":
				c.forkGCCleanNumericEmptyNodes.Store(false)
			default:
				return 0, errConvert
			}
			return 1, nil
		}})
	add(intVar("UNION_ITERATOR_HEAP", "minimum number of iterators in a union from which the iterator will"+
		"switch to heap based implementation.", c.unionIterHeap, 1, llongMax, nil))
	add(intVar("CURSOR_MAX_IDLE", "max idle time allowed to be set for cursor, setting it height might cause "+
		"high memory consumption.", c.cursorMaxIdle, 1, llongMax, nil))
	add(intVar("INDEX_CURSOR_LIMIT", "Max number of cursors for a given index that can be opened inside of a shard. Default is 128",
		p("search-index-cursor-limit"), 0, llongMax, nil))
	add(fixed("NO_MEM_POOLS", "Set RediSearch to run without memory pools", "search-no-mem-pools", boolValue(p("search-no-mem-pools"))))
	add(fixed("PARTIAL_INDEXED_DOCS", "Enable commands filter which optimize indexing on partial hash updates",
		"search-partial-indexed-docs", boolValue(p("search-partial-indexed-docs"))))
	add(fixed("UPGRADE_INDEX", "Relevant only when loading an v1.x rdb, specify argument for upgrading the index.", "",
		literal("Upgrade config for upgrading")))
	add(boolVar("_NUMERIC_COMPRESS", "Enable legacy compression of double to float.", p("search-_numeric-compress")))
	add(boolVar("_FREE_RESOURCE_ON_THREAD", "Determine whether some index resources are free on a second thread.",
		p("search-_free-resource-on-thread")))
	add(boolVar("_PRINT_PROFILE_CLOCK", "Disable print of time for ft.profile. For testing only.", p("search-_print-profile-clock")))
	add(fixed("RAW_DOCID_ENCODING", "Disable compression for DocID inverted index. Boost CPU performance.",
		"search-raw-docid-encoding", boolValue(p("search-raw-docid-encoding"))))
	add(intVar("_NUMERIC_RANGES_PARENTS", "Keep numeric ranges in numeric tree parent nodes of leafs "+
		"for `x` generations.", p("search-_numeric-ranges-parents"), 0, llongMax,
		func(n int64) error {
			if n > nrMaxDepthBalance {
				return errors.New("Max depth for range cannot be higher than max depth for balance")
			}
			return nil
		}))
	add(intVar("DEFAULT_DIALECT", "Set RediSearch default dialect version through the lifetime of the server.",
		c.defaultDialect, 1, uint32Max,
		func(n int64) error {
			if n > maxDialectVersion {
				return fmt.Errorf("Default dialect version cannot be higher than %d", maxDialectVersion)
			}
			return nil
		}))
	vssMaxResize := intVar("VSS_MAX_RESIZE", "Set RediSearch vector indexes max resize (in bytes).",
		p("search-vss-max-resize"), 0, llongMax, nil)
	vssSet := vssMaxResize.set
	vssMaxResize.set = func(ctx *server.Ctx, args []string) (int, error) {
		// The module reads a size and keeps it in an unsigned int.
		if n, err := acInteger(args, 0, llongMax); err == nil {
			args = append([]string{strconv.FormatUint(uint64(uint32(n)), 10)}, args[1:]...)
		}
		return vssSet(ctx, args)
	}
	add(vssMaxResize)
	add(fixed("MULTI_TEXT_SLOP", "Set RediSearch delta used to increase positional offsets between array slots for multi text values."+
		"Can control the level of separation between phrases in different array slots (related to the SLOP parameter of ft.search command)",
		"search-multi-text-slop", paramValue(p("search-multi-text-slop"))))
	add(fixed("BG_INDEX_SLEEP_GAP", "The number of iterations to run while performing background indexing"+
		" before we call usleep(1) (sleep for 1 micro-second) and make sure that we"+
		" allow redis process other commands.", "search-bg-index-sleep-gap", paramValue(p("search-bg-index-sleep-gap"))))
	add(boolVar("_PRIORITIZE_INTERSECT_UNION_CHILDREN", "Intersection iterator orders the children iterators by their relative estimated"+
		" number of results in ascending order, so that if we see first iterators with"+
		" a lower count of results we will skip a larger number of results, which"+
		" translates into faster iteration. If this flag is set, we use this"+
		" optimization in a way where union iterators are being factorize by the number"+
		" of their own children, so that we sort by the number of children times the "+
		"overall estimated number of results instead.", p("search-_prioritize-intersect-union-children")))
	add(boolVar("ENABLE_UNSTABLE_FEATURES", "Enable unstable features.", p("search-enable-unstable-features")))
	add(intVar("_BG_INDEX_MEM_PCT_THR", "Set the percentage of memory usage threshold (out of maxmemory) at which background "+
		"indexing will stop. The default is 100 percent.", p("search-_bg-index-mem-pct-thr"), 0, math.MaxUint8,
		func(n int64) error {
			if n > maxIndexingMemPct {
				return errors.New("Memory limit for indexing cannot be greater then 100%")
			}
			return nil
		}))
	add(intVar("BM25STD_TANH_FACTOR", "Set the BM25STD.TANH stretch factor. This is an integer value that divides the argument"+
		" of the tanh function that is used to normalize the score computed by the BM25STD scorer."+
		"The default value is 4.", p("search-bm25std-tanh-factor"), 1, uint32Max,
		func(n int64) error {
			if n > bm25stdTanhMax {
				return fmt.Errorf("BM25STD_TANH_FACTOR must be between %d and %d inclusive", bm25stdTanhMin, bm25stdTanhMax)
			}
			return nil
		}))
	add(intVar("_BG_INDEX_OOM_PAUSE_TIME", "Set the time (in seconds) given to the background indexing thread to sleep when it "+
		"reaches the memory limit, giving time to reallocate memory."+
		"The default value is 5 seconds in Redis Enterprise, 0 in Redis OS.", p("search-_bg-index-oom-pause-time"), 0, uint32Max, nil))
	add(intVar("INDEXER_YIELD_EVERY_OPS", "The number of operations to perform before yielding to Redis during indexing while loading",
		p("search-indexer-yield-every-ops"), 1, uint32Max, nil))
	add(enumVar("ON_OOM", "Action to perform when search OOM is exceeded (choose RETURN, FAIL or IGNORE)", p("search-on-oom"),
		"Invalid ON_OOM value"))

	for _, v := range c.vars {
		c.byName[v.name] = v
	}
}

func trueFalse(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// acInteger reads the first argument as the module's argument cursor reads
// an integer: a strict decimal integer or, failing that, a double whose
// value is integral ("3.0", "1e3"); then it must lie within [min, max].
func acInteger(args []string, min, max int64) (int64, error) {
	if len(args) == 0 {
		return 0, errNoArgument
	}
	n, ok := resp.ParseIntString(args[0])
	if !ok {
		f, fok := resp.ParseFloat([]byte(args[0]))
		// -2^63 <= f < 2^63 and integral: the module's (double)(long long)f == f.
		if !fok || f < -(1<<63) || f >= 1<<63 || f != math.Trunc(f) {
			return 0, errConvert
		}
		n = int64(f)
	}
	if n < min || n > max {
		return 0, errOutOfBounds
	}
	return n, nil
}

// storeFromFTConfig stores a value FT.CONFIG SET parsed into the parameter
// that holds it. It goes through the server's configuration so that the
// parameter's Apply hook runs as for CONFIG SET; as the module's own setter
// it may change what CONFIG SET may not (loading mode skips the immutable
// check: GCSCANSIZE), and ftSetting lets values below the CONFIG range
// through (TIMEOUT 0).
func (c *Config) storeFromFTConfig(ctx *server.Ctx, p *server.Param, value string) error {
	c.ftSetting.Store(true)
	defer c.ftSetting.Store(false)
	err := c.srv.Config().Set(ctx, [][2]string{{p.Name, value}}, true)
	var cse *server.ConfigSetError
	if errors.As(err, &cse) {
		return errors.New(cse.Reason)
	}
	return err
}

// cmdFTConfig is FT.CONFIG GET|SET|HELP <name> [value].
func (c *Config) cmdFTConfig(ctx *server.Ctx, args [][]byte) {
	if len(args) < 3 { // the server checks the arity; this keeps the indexing below safe
		ctx.W.Error(fmt.Sprintf(server.ErrWrongArgsFmt, ctx.Cmd.DeclaredName()))
		return
	}
	action, name := string(args[1]), string(args[2])
	switch {
	case strings.EqualFold(action, "GET"):
		c.logDeprecated("GET", name)
		c.writeVars(ctx.W, name, false)
	case strings.EqualFold(action, "HELP"):
		c.writeVars(ctx.W, name, true)
	case strings.EqualFold(action, "SET"):
		if ctx.Cmd.DeclaredName() == "FT.CONFIG" && c.DistributeSet != nil && c.DistributeSet(ctx, args) {
			return
		}
		c.logDeprecated("SET", name)
		rest := make([]string, len(args)-3)
		for i, a := range args[3:] {
			rest[i] = string(a)
		}
		used, err := c.ftSet(ctx, name, rest)
		switch {
		case err != nil:
			ctx.W.Error(err.Error())
		case used != len(rest):
			// The value is already stored: the module checks for leftovers
			// after its setter ran.
			ctx.W.SimpleString("EXCESSARGS")
		default:
			c.srv.Logger().Info(moduleLogPrefix + "Successfully changed configuration for `" + name + "`")
			ctx.W.OK()
		}
	default:
		ctx.W.SimpleString("No such configuration action")
	}
}

// ftSet runs the setter of an FT.CONFIG name on the arguments after it.
func (c *Config) ftSet(ctx *server.Ctx, name string, args []string) (int, error) {
	v := c.byName[strings.ToUpper(name)]
	switch {
	case v == nil:
		return 0, errInvalidOpt
	case v.immutable:
		return 0, errNotRuntime
	}
	return v.set(ctx, args)
}

// writeVars replies to GET and HELP: every name for "*", else the one named
// (no match is an empty reply). RESP2: an array of [NAME, value] (HELP:
// [NAME, "Description", help, "Value", value]); RESP3: a map from NAME to
// the value (HELP: to a map).
func (c *Config) writeVars(w *resp.Writer, name string, help bool) {
	var vars []*ftConfigVar
	if name == "*" {
		vars = c.vars
	} else if v := c.byName[strings.ToUpper(name)]; v != nil {
		vars = []*ftConfigVar{v}
	}
	resp3 := w.Resp3()
	if resp3 {
		w.Map(len(vars))
	} else {
		w.Array(len(vars))
	}
	for _, v := range vars {
		if !resp3 {
			if help {
				w.Array(5)
			} else {
				w.Array(2)
			}
		}
		w.SimpleString(v.name)
		if help {
			if resp3 {
				w.Map(2)
			}
			w.SimpleString("Description")
			w.SimpleString(v.help)
			w.SimpleString("Value")
		}
		if value, ok := v.show(); ok {
			w.BulkString(value)
		} else {
			w.Null()
		}
	}
}

// logDeprecated logs the module's warning that FT.CONFIG is deprecated,
// naming the CONFIG parameter to use instead when there is one.
func (c *Config) logDeprecated(action, name string) {
	configName := ""
	if v := c.byName[strings.ToUpper(name)]; v != nil {
		configName = v.configName
	}
	if configName != "" {
		c.srv.Logger().Warn(moduleLogPrefix + "FT.CONFIG is deprecated, please use CONFIG " + action + " " + configName + " instead")
		return
	}
	c.srv.Logger().Warn(moduleLogPrefix + "FT.CONFIG is deprecated and its parameter `" + name + "` is deprecated")
}
