package module

import (
	"strings"
	"testing"
	"time"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// configOnlyModule loads nothing but the configuration, so that these tests
// do not depend on the rest of the module.
type configOnlyModule struct{ cfg *Config }

func (m *configOnlyModule) Name() string                        { return "search" }
func (m *configOnlyModule) Version() int                        { return 80200 }
func (m *configOnlyModule) Load(mc *server.ModuleContext) error { return m.cfg.register(mc) }
func (m *configOnlyModule) Start() error                        { return nil }
func (m *configOnlyModule) Stop()                               {}

// startConfigServer starts a server with the configuration module and the
// given configuration directives.
func startConfigServer(t *testing.T, cfg *Config, directives ...string) string {
	t.Helper()
	s := server.RunT(t, server.Options{Config: directives, Modules: []server.Module{&configOnlyModule{cfg}}})
	return s.Addr()
}

// ftConfigValue is an FT.CONFIG name with its value; null is a nil value.
type ftConfigValue struct {
	name, value string
	null        bool
}

// freshFTConfig is `FT.CONFIG GET *` on a fresh 8.2 server: the module's
// names in its order (src/config.c), with their defaults.
var freshFTConfig = []ftConfigValue{
	{name: "EXTLOAD", null: true},
	{name: "NOGC", value: "false"},
	{name: "MINPREFIX", value: "2"},
	{name: "MINSTEMLEN", value: "4"},
	{name: "FORKGC_SLEEP_BEFORE_EXIT", value: "0"},
	{name: "MAXDOCTABLESIZE", value: "1000000"},
	{name: "MAXSEARCHRESULTS", value: "1000000"},
	{name: "MAXAGGREGATERESULTS", value: "unlimited"},
	{name: "MAXEXPANSIONS", value: "200"},
	{name: "MAXPREFIXEXPANSIONS", value: "200"},
	{name: "TIMEOUT", value: "500"},
	{name: "WORKERS", value: "0"},
	{name: "MIN_OPERATION_WORKERS", value: "4"},
	{name: "WORKER_THREADS", value: "0"},
	{name: "MT_MODE", value: "MT_MODE_OFF"},
	{name: "TIERED_HNSW_BUFFER_LIMIT", value: "1024"},
	{name: "PRIVILEGED_THREADS_NUM", value: "1"},
	{name: "WORKERS_PRIORITY_BIAS_THRESHOLD", value: "1"},
	{name: "FRISOINI", null: true},
	{name: "DEFAULT_SCORER", value: "BM25STD"},
	{name: "ON_TIMEOUT", value: "return"},
	{name: "GCSCANSIZE", value: "100"},
	{name: "MIN_PHONETIC_TERM_LEN", value: "3"},
	{name: "GC_POLICY", value: "fork"},
	{name: "FORK_GC_RUN_INTERVAL", value: "30"},
	{name: "FORK_GC_CLEAN_THRESHOLD", value: "100"},
	{name: "FORK_GC_RETRY_INTERVAL", value: "5"},
	{name: "FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", value: "true"},
	{name: "_FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", value: "true"},
	{name: "UNION_ITERATOR_HEAP", value: "20"},
	{name: "CURSOR_MAX_IDLE", value: "300000"},
	{name: "INDEX_CURSOR_LIMIT", value: "128"},
	{name: "NO_MEM_POOLS", value: "false"},
	{name: "PARTIAL_INDEXED_DOCS", value: "false"},
	{name: "UPGRADE_INDEX", value: "Upgrade config for upgrading"},
	{name: "_NUMERIC_COMPRESS", value: "false"},
	{name: "_FREE_RESOURCE_ON_THREAD", value: "true"},
	{name: "_PRINT_PROFILE_CLOCK", value: "true"},
	{name: "RAW_DOCID_ENCODING", value: "false"},
	{name: "_NUMERIC_RANGES_PARENTS", value: "0"},
	{name: "DEFAULT_DIALECT", value: "1"},
	{name: "VSS_MAX_RESIZE", value: "0"},
	{name: "MULTI_TEXT_SLOP", value: "100"},
	{name: "BG_INDEX_SLEEP_GAP", value: "100"},
	{name: "_PRIORITIZE_INTERSECT_UNION_CHILDREN", value: "false"},
	{name: "ENABLE_UNSTABLE_FEATURES", value: "false"},
	{name: "_BG_INDEX_MEM_PCT_THR", value: "100"},
	{name: "BM25STD_TANH_FACTOR", value: "4"},
	{name: "_BG_INDEX_OOM_PAUSE_TIME", value: "0"},
	{name: "INDEXER_YIELD_EVERY_OPS", value: "1000"},
	{name: "ON_OOM", value: "return"},
}

// ftConfigGet2 is the RESP2 reply of FT.CONFIG GET: [[NAME, value]...], NAME a
// simple string.
func ftConfigGet2(vals ...ftConfigValue) string {
	elems := make([]string, len(vals))
	for i, v := range vals {
		elems[i] = Arr(Status(v.name), ftConfigBulk(v, Nil))
	}
	return Arr(elems...)
}

// ftConfigGet3 is the RESP3 reply of FT.CONFIG GET: {NAME: value...}.
func ftConfigGet3(vals ...ftConfigValue) string {
	var kv []string
	for _, v := range vals {
		kv = append(kv, Status(v.name), ftConfigBulk(v, Null))
	}
	return Map3(kv...)
}

func ftConfigBulk(v ftConfigValue, null string) string {
	if v.null {
		return null
	}
	return Bulk(v.value)
}

func cfgVal(name, value string) ftConfigValue { return ftConfigValue{name: name, value: value} }

const (
	errTextNotRuntime = "Not modifiable at runtime"
	errTextConvert    = "Could not convert argument to expected type"
	errTextBounds     = "Value is outside acceptable bounds"
)

// TestConfigC55 is acceptance case C55 (test_config.py, test_dialect.py,
// redis-py's test_config), in RESP2.
func TestConfigC55(t *testing.T) {
	c := Dial(t, startConfigServer(t, newConfig()))
	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "SET", "MINPREFIX", "1", OK},
		{"FT.CONFIG", "SET", "MINPREFIX", "1", "2", Status("EXCESSARGS")},
		{"FT.CONFIG", "no_such_command", "idx", Status("No such configuration action")},
		{"FT.CONFIG", "idx", Err("ERR wrong number of arguments for 'FT.CONFIG' command")},
		{"FT.CONFIG", Err("ERR wrong number of arguments for 'FT.CONFIG' command")},
		{"FT.CONFIG", "SET", "MINPREFIX", "str", Err(errTextConvert)},
		{"FT.CONFIG", "SET", "TIMEOUT", "str", Err(errTextConvert)},
		{"FT.CONFIG", "SET", "MAXEXPANSIONS", "str", Err(errTextConvert)},
		{"FT.CONFIG", "SET", "EXTLOAD", "1", Err(errTextNotRuntime)},
		{"FT.CONFIG", "SET", "NOGC", "1", Err(errTextNotRuntime)},
		{"FT.CONFIG", "SET", "MAXDOCTABLESIZE", "1", Err(errTextNotRuntime)},
		{"FT.CONFIG", "SET", "ON_TIMEOUT", "1", Err("Invalid ON_TIMEOUT value")},
		{"FT.CONFIG", "GET", "DEFAULT_DIALECT", ftConfigGet2(cfgVal("DEFAULT_DIALECT", "1"))},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "2", OK},
		{"FT.CONFIG", "GET", "DEFAULT_DIALECT", ftConfigGet2(cfgVal("DEFAULT_DIALECT", "2"))},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "0", Err(errTextBounds)},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "-1", Err(errTextBounds)},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "5", Err("Default dialect version cannot be higher than 4")},
		{"FT.CONFIG", "GET", "DEFAULT_DIALECT", ftConfigGet2(cfgVal("DEFAULT_DIALECT", "2"))},
		{"CONFIG", "GET", "search-on-timeout", Strs("search-on-timeout", "return")},
		{"CONFIG", "SET", "search-on-timeout", "fail", OK},
		{"FT.CONFIG", "GET", "ON_TIMEOUT", ftConfigGet2(cfgVal("ON_TIMEOUT", "fail"))},
		// redis-py: config_set("TIMEOUT", "100"), config_set("TIMEOUT", "null") raises.
		{"FT.CONFIG", "SET", "TIMEOUT", "100", OK},
		{"FT.CONFIG", "SET", "TIMEOUT", "null", Err(errTextConvert)},
		{"FT.CONFIG", "GET", "TIMEOUT", ftConfigGet2(cfgVal("TIMEOUT", "100"))},
	})
}

// TestConfigGetAll checks `FT.CONFIG GET *` on a fresh server, in both
// protocols, and the single-name and unknown-name forms.
func TestConfigGetAll(t *testing.T) {
	addr := startConfigServer(t, newConfig())
	c2 := Dial(t, addr)
	c3 := Dial(t, addr)
	c3.Hello3()
	MustDoAll(t, c2, [][]string{
		{"FT.CONFIG", "GET", "*", ftConfigGet2(freshFTConfig...)},
		{"FT.CONFIG", "GET", "timeout", ftConfigGet2(cfgVal("TIMEOUT", "500"))},
		{"FT.CONFIG", "get", "MaxExpansions", ftConfigGet2(cfgVal("MAXEXPANSIONS", "200"))},
		{"FT.CONFIG", "GET", "EXTLOAD", ftConfigGet2(ftConfigValue{name: "EXTLOAD", null: true})},
		{"FT.CONFIG", "GET", "NOSUCHCONFIG", "*0\r\n"},
		{"FT.CONFIG", "GET", "TIME*", "*0\r\n"}, // no patterns: only "*" itself
	})
	MustDoAll(t, c3, [][]string{
		{"FT.CONFIG", "GET", "*", ftConfigGet3(freshFTConfig...)},
		{"FT.CONFIG", "GET", "DEFAULT_DIALECT", ftConfigGet3(cfgVal("DEFAULT_DIALECT", "1"))},
		{"FT.CONFIG", "GET", "FRISOINI", ftConfigGet3(ftConfigValue{name: "FRISOINI", null: true})},
		{"FT.CONFIG", "GET", "NOSUCHCONFIG", "%0\r\n"},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "3", OK},
		{"FT.CONFIG", "GET", "DEFAULT_DIALECT", ftConfigGet3(cfgVal("DEFAULT_DIALECT", "3"))},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "5", Err("Default dialect version cannot be higher than 4")},
		{"FT.CONFIG", "SET", "MINPREFIX", "1", "2", Status("EXCESSARGS")},
		{"FT.CONFIG", "nope", "x", Status("No such configuration action")},
		{"CONFIG", "GET", "search-default-dialect", Map3(Bulk("search-default-dialect"), Bulk("3"))},
	})
}

// TestConfigSharedStorage checks that FT.CONFIG and CONFIG read and write
// the same values, each with its own ranges.
func TestConfigSharedStorage(t *testing.T) {
	c := Dial(t, startConfigServer(t, newConfig()))
	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "SET", "TIMEOUT", "501", OK},
		{"CONFIG", "GET", "search-timeout", Strs("search-timeout", "501")},
		{"CONFIG", "SET", "search-timeout", "502", OK},
		{"FT.CONFIG", "GET", "TIMEOUT", ftConfigGet2(cfgVal("TIMEOUT", "502"))},
		// The module's setter takes 0 (no timeout); CONFIG SET does not.
		{"FT.CONFIG", "SET", "TIMEOUT", "0", OK},
		{"CONFIG", "GET", "search-timeout", Strs("search-timeout", "0")},
		{"CONFIG", "SET", "search-timeout", "0",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-timeout') - argument must be between 1 and 9223372036854775807 inclusive")},
		{"FT.CONFIG", "SET", "TIMEOUT", "-1", Err(errTextBounds)},
		// MAXEXPANSIONS and MAXPREFIXEXPANSIONS are one value.
		{"FT.CONFIG", "SET", "MAXEXPANSIONS", "300", OK},
		{"FT.CONFIG", "GET", "MAXPREFIXEXPANSIONS", ftConfigGet2(cfgVal("MAXPREFIXEXPANSIONS", "300"))},
		{"CONFIG", "GET", "search-max-prefix-expansions", Strs("search-max-prefix-expansions", "300")},
		{"CONFIG", "SET", "search-max-prefix-expansions", "7", OK},
		{"FT.CONFIG", "GET", "MAXEXPANSIONS", ftConfigGet2(cfgVal("MAXEXPANSIONS", "7"))},
		// A negative MAXSEARCHRESULTS is unlimited: the module's ceiling, 2^31.
		{"FT.CONFIG", "SET", "MAXSEARCHRESULTS", "-1", OK},
		{"FT.CONFIG", "GET", "MAXSEARCHRESULTS", ftConfigGet2(cfgVal("MAXSEARCHRESULTS", "unlimited"))},
		{"CONFIG", "GET", "search-max-search-results", Strs("search-max-search-results", "2147483648")},
		{"FT.CONFIG", "SET", "MAXSEARCHRESULTS", "5000000000", OK},
		{"FT.CONFIG", "GET", "MAXSEARCHRESULTS", ftConfigGet2(cfgVal("MAXSEARCHRESULTS", "unlimited"))},
		{"CONFIG", "SET", "search-max-search-results", "10", OK},
		{"FT.CONFIG", "GET", "MAXSEARCHRESULTS", ftConfigGet2(cfgVal("MAXSEARCHRESULTS", "10"))},
		{"CONFIG", "GET", "search-max-aggregate-results", Strs("search-max-aggregate-results", "2147483648")},
		{"FT.CONFIG", "SET", "MAXAGGREGATERESULTS", "20", OK},
		{"CONFIG", "GET", "search-max-aggregate-results", Strs("search-max-aggregate-results", "20")},
		// GCSCANSIZE: FT.CONFIG may, CONFIG SET may not (immutable in 8.2).
		{"FT.CONFIG", "SET", "GCSCANSIZE", "50", OK},
		{"CONFIG", "GET", "search-gc-scan-size", Strs("search-gc-scan-size", "50")},
		// Booleans: true/false in FT.CONFIG, yes/no in CONFIG.
		{"FT.CONFIG", "SET", "_NUMERIC_COMPRESS", "TRUE", OK},
		{"FT.CONFIG", "GET", "_NUMERIC_COMPRESS", ftConfigGet2(cfgVal("_NUMERIC_COMPRESS", "true"))},
		{"CONFIG", "GET", "search-_numeric-compress", Strs("search-_numeric-compress", "yes")},
		{"CONFIG", "SET", "search-_numeric-compress", "no", OK},
		{"FT.CONFIG", "GET", "_NUMERIC_COMPRESS", ftConfigGet2(cfgVal("_NUMERIC_COMPRESS", "false"))},
		{"FT.CONFIG", "SET", "_NUMERIC_COMPRESS", "yes", Err(errTextConvert)},
		// Enums: the module's parsing ignores case and stores the word.
		{"FT.CONFIG", "SET", "ON_TIMEOUT", "FAIL", OK},
		{"CONFIG", "GET", "search-on-timeout", Strs("search-on-timeout", "fail")},
		{"CONFIG", "SET", "search-on-oom", "ignore", OK},
		{"FT.CONFIG", "GET", "ON_OOM", ftConfigGet2(cfgVal("ON_OOM", "ignore"))},
		{"FT.CONFIG", "SET", "ON_OOM", "x", Err("Invalid ON_OOM value")},
		{"FT.CONFIG", "SET", "DEFAULT_SCORER", "TFIDF", OK},
		{"CONFIG", "GET", "search-default-scorer", Strs("search-default-scorer", "TFIDF")},
		{"CONFIG", "SET", "search-default-scorer", "DISMAX", OK},
		{"FT.CONFIG", "GET", "DEFAULT_SCORER", ftConfigGet2(cfgVal("DEFAULT_SCORER", "DISMAX"))},
		{"CONFIG", "SET", "search-workers", "16", OK},
		{"FT.CONFIG", "GET", "WORKERS", ftConfigGet2(cfgVal("WORKERS", "16"))},
		{"FT.CONFIG", "SET", "WORKERS", "0", OK},
		{"CONFIG", "GET", "search-workers", Strs("search-workers", "0")},
	})
}

// TestConfigSetErrors checks the module's own wording for FT.CONFIG SET
// and Redis' for CONFIG SET.
func TestConfigSetErrors(t *testing.T) {
	c := Dial(t, startConfigServer(t, newConfig()))
	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "SET", "NOSUCH", "1", Err("Invalid option")},
		{"FT.CONFIG", "SET", "*", "1", Err("Invalid option")},
		{"FT.CONFIG", "SET", "TIMEOUT", Err("Expected an argument, but none provided")},
		{"FT.CONFIG", "SET", "ON_TIMEOUT", Err("Expected an argument, but none provided")},
		{"FT.CONFIG", "SET", "WORKERS", "1000000", Err("Number of worker threads cannot exceed 16")},
		{"FT.CONFIG", "SET", "WORKERS", "17", Err("Number of worker threads cannot exceed 16")},
		{"FT.CONFIG", "SET", "WORKERS", "-1", Err(errTextBounds)},
		{"FT.CONFIG", "SET", "MIN_OPERATION_WORKERS", "17", Err("Number of worker threads cannot exceed 16")},
		{"FT.CONFIG", "SET", "MINSTEMLEN", "1", Err("Minimum stem length cannot be lower than 2")},
		{"FT.CONFIG", "SET", "MINPREFIX", "0", Err(errTextBounds)},
		{"FT.CONFIG", "SET", "_NUMERIC_RANGES_PARENTS", "3", Err("Max depth for range cannot be higher than max depth for balance")},
		{"FT.CONFIG", "SET", "BM25STD_TANH_FACTOR", "10001", Err("BM25STD_TANH_FACTOR must be between 1 and 10000 inclusive")},
		{"FT.CONFIG", "SET", "_BG_INDEX_MEM_PCT_THR", "101", Err("Memory limit for indexing cannot be greater then 100%")},
		{"FT.CONFIG", "SET", "DEFAULT_SCORER", "NOSUCH", Err("Invalid default scorer value")},
		{"FT.CONFIG", "SET", "DEFAULT_SCORER", "bm25", Err("Invalid default scorer value")}, // scorer names are case-sensitive
		{"FT.CONFIG", "SET", "_FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", "maybe", Err(errTextConvert)},
		// Integers as the module reads them: an integral double is one.
		{"FT.CONFIG", "SET", "MINPREFIX", "3.0", OK},
		{"FT.CONFIG", "SET", "UNION_ITERATOR_HEAP", "1e2", OK},
		{"FT.CONFIG", "GET", "MINPREFIX", ftConfigGet2(cfgVal("MINPREFIX", "3"))},
		{"FT.CONFIG", "GET", "UNION_ITERATOR_HEAP", ftConfigGet2(cfgVal("UNION_ITERATOR_HEAP", "100"))},
		{"FT.CONFIG", "SET", "MINPREFIX", "3.5", Err(errTextConvert)},
		{"FT.CONFIG", "SET", "MINPREFIX", " 3", Err(errTextConvert)},
		// A flag: naming it sets it; a value is one argument too many
		// (and the flag is set all the same).
		{"FT.CONFIG", "SET", "_FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", "false", OK},
		{"FT.CONFIG", "SET", "FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", "x", Status("EXCESSARGS")},
		{"FT.CONFIG", "GET", "FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", ftConfigGet2(cfgVal("FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", "true"))},
		{"FT.CONFIG", "SET", "FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", OK},
		// EXCESSARGS comes after the value was stored, as in the module.
		{"FT.CONFIG", "SET", "MINPREFIX", "4", "5", Status("EXCESSARGS")},
		{"FT.CONFIG", "GET", "MINPREFIX", ftConfigGet2(cfgVal("MINPREFIX", "4"))},
		// CONFIG SET: Redis' wording, the CONFIG ranges.
		{"CONFIG", "SET", "search-workers", "17",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-workers') - argument must be between 0 and 16 inclusive")},
		{"CONFIG", "SET", "search-default-dialect", "5",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-default-dialect') - argument must be between 1 and 4 inclusive")},
		{"CONFIG", "SET", "search-default-scorer", "NOSUCH",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-default-scorer') - Invalid default scorer value")},
		{"CONFIG", "SET", "search-on-timeout", "maybe",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-on-timeout') - argument(s) must be one of the following: return, fail")},
		{"CONFIG", "SET", "search-fork-gc-clean-threshold", "0",
			Err("ERR CONFIG SET failed (possibly related to argument 'search-fork-gc-clean-threshold') - argument must be between 1 and 9223372036854775807 inclusive")},
		{"FT.CONFIG", "SET", "FORK_GC_CLEAN_THRESHOLD", "0", OK},
		{"CONFIG", "GET", "search-fork-gc-clean-threshold", Strs("search-fork-gc-clean-threshold", "0")},
	})
}

// TestConfigImmutable checks every load-time-only name, through FT.CONFIG
// and through CONFIG SET, and that the config file may set them.
func TestConfigImmutable(t *testing.T) {
	c := Dial(t, startConfigServer(t, newConfig(), "search-max-doctablesize 5000", "search-no-gc yes"))
	for _, name := range []string{"EXTLOAD", "NOGC", "MAXDOCTABLESIZE", "WORKER_THREADS", "MT_MODE",
		"TIERED_HNSW_BUFFER_LIMIT", "PRIVILEGED_THREADS_NUM", "WORKERS_PRIORITY_BIAS_THRESHOLD", "FRISOINI",
		"GC_POLICY", "NO_MEM_POOLS", "PARTIAL_INDEXED_DOCS", "UPGRADE_INDEX", "RAW_DOCID_ENCODING",
		"MULTI_TEXT_SLOP", "BG_INDEX_SLEEP_GAP"} {
		MustDo(t, c, "FT.CONFIG", "SET", name, "1", Err(errTextNotRuntime))
		MustDo(t, c, "FT.CONFIG", "SET", strings.ToLower(name), "1", Err(errTextNotRuntime))
	}
	for _, name := range []string{"search-bg-index-sleep-gap", "search-gc-scan-size", "search-max-doctablesize",
		"search-multi-text-slop", "search-tiered-hnsw-buffer-limit", "search-workers-priority-bias-threshold",
		"search-ext-load", "search-friso-ini", "search-no-mem-pools", "search-no-gc",
		"search-partial-indexed-docs", "search-raw-docid-encoding"} {
		MustDo(t, c, "CONFIG", "SET", name, "1",
			Err("ERR CONFIG SET failed (possibly related to argument '"+name+"') - can't set immutable config"))
	}
	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "GET", "MAXDOCTABLESIZE", ftConfigGet2(cfgVal("MAXDOCTABLESIZE", "5000"))},
		{"FT.CONFIG", "GET", "NOGC", ftConfigGet2(cfgVal("NOGC", "true"))},
		{"CONFIG", "GET", "search-no-gc", Strs("search-no-gc", "yes")},
	})
}

// TestConfigHelp checks FT.CONFIG HELP in both protocols.
func TestConfigHelp(t *testing.T) {
	addr := startConfigServer(t, newConfig())
	c := Dial(t, addr)
	help2 := func(name, desc, value string) string {
		v := Nil
		if value != "\x00" {
			v = Bulk(value)
		}
		return Arr(Arr(Status(name), Status("Description"), Status(desc), Status("Value"), v))
	}
	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "HELP", "TIMEOUT", help2("TIMEOUT", "Query (search) timeout", "500")},
		{"FT.CONFIG", "help", "extload", help2("EXTLOAD", "Load extension scoring/expansion module", "\x00")},
		{"FT.CONFIG", "HELP", "DEFAULT_DIALECT", help2("DEFAULT_DIALECT",
			"Set RediSearch default dialect version through the lifetime of the server.", "1")},
		{"FT.CONFIG", "HELP", "WORKERS", help2("WORKERS", "Number of worker threads to use for query processing and "+
			"background tasks. Default is 0. This configuration also affects the number of connections per shard. "+
			"See CONN_PER_SHARD.", "0")},
		{"FT.CONFIG", "HELP", "UNION_ITERATOR_HEAP", help2("UNION_ITERATOR_HEAP",
			"minimum number of iterators in a union from which the iterator willswitch to heap based implementation.", "20")},
		{"FT.CONFIG", "HELP", "NOGC", help2("NOGC", "Disable garbage collection (for this process)", "false")},
		{"FT.CONFIG", "HELP", "idx", "*0\r\n"},
	})

	// HELP * is every name's HELP, in GET * order.
	var all strings.Builder
	for _, v := range freshFTConfig {
		c.Send("FT.CONFIG", "HELP", v.name)
		raw := string(c.Read().Raw)
		if !strings.HasPrefix(raw, "*1\r\n*5\r\n+"+v.name+"\r\n+Description\r\n+") {
			t.Fatalf("HELP %s: %q", v.name, raw)
		}
		all.WriteString(strings.TrimPrefix(raw, "*1\r\n"))
	}
	MustDo(t, c, "FT.CONFIG", "HELP", "*", "*51\r\n"+all.String())

	c3 := Dial(t, addr)
	c3.Hello3()
	MustDoAll(t, c3, [][]string{
		{"FT.CONFIG", "HELP", "TIMEOUT", Map3(Status("TIMEOUT"),
			Map3(Status("Description"), Status("Query (search) timeout"), Status("Value"), Bulk("500")))},
		{"FT.CONFIG", "HELP", "FRISOINI", Map3(Status("FRISOINI"),
			Map3(Status("Description"), Status("Path to Chinese dictionary configuration file (for Chinese tokenization)"),
				Status("Value"), Null))},
		{"FT.CONFIG", "HELP", "idx", "%0\r\n"},
	})
}

// TestConfigGetters checks the typed getters the module reads, and the
// WORKERS hook, whichever way the values are set.
func TestConfigGetters(t *testing.T) {
	cfg := newConfig()
	workersSet := make(chan int, 8)
	cfg.OnWorkersChange = func(_ *server.Ctx, n int) { workersSet <- n }
	c := Dial(t, startConfigServer(t, cfg, "search-workers 3", "search-on-timeout fail"))

	if got := <-workersSet; got != 3 {
		t.Fatalf("OnWorkersChange at load: %d, want 3", got)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	check("Workers", cfg.Workers(), 3)
	check("OnTimeoutFail", cfg.OnTimeoutFail(), true)
	check("Timeout", cfg.Timeout(), 500*time.Millisecond)
	check("MinPrefix", cfg.MinPrefix(), 2)
	check("MaxExpansions", cfg.MaxExpansions(), 200)
	check("MaxSearchResults", cfg.MaxSearchResults(), int64(1000000))
	check("MaxAggregateResults", cfg.MaxAggregateResults(), int64(1<<31))
	check("DefaultDialect", cfg.DefaultDialect(), 1)
	check("DefaultScorer", cfg.DefaultScorer(), "BM25STD")
	check("MinStemLen", cfg.MinStemLen(), 4)
	check("CursorMaxIdle", cfg.CursorMaxIdle(), 300*time.Second)
	check("UnionIteratorHeap", cfg.UnionIteratorHeap(), 20)

	MustDoAll(t, c, [][]string{
		{"FT.CONFIG", "SET", "WORKERS", "4", OK},
		{"FT.CONFIG", "SET", "WORKERS", "17", Err("Number of worker threads cannot exceed 16")},
		{"CONFIG", "SET", "search-workers", "2", OK},
		{"FT.CONFIG", "SET", "TIMEOUT", "0", OK},
		{"CONFIG", "SET", "search-on-timeout", "return", OK},
		{"FT.CONFIG", "SET", "MINPREFIX", "1", OK},
		{"FT.CONFIG", "SET", "MAXPREFIXEXPANSIONS", "10", OK},
		{"FT.CONFIG", "SET", "MAXSEARCHRESULTS", "-1", OK},
		{"CONFIG", "SET", "search-max-aggregate-results", "5", OK},
		{"FT.CONFIG", "SET", "DEFAULT_DIALECT", "2", OK},
		{"FT.CONFIG", "SET", "DEFAULT_SCORER", "TFIDF.DOCNORM", OK},
		{"CONFIG", "SET", "search-min-stem-len", "3", OK},
		{"FT.CONFIG", "SET", "CURSOR_MAX_IDLE", "1500", OK},
		{"CONFIG", "SET", "search-union-iterator-heap", "7", OK},
	})
	for _, want := range []int{4, 2} {
		if got := <-workersSet; got != want {
			t.Fatalf("OnWorkersChange: %d, want %d", got, want)
		}
	}
	select {
	case n := <-workersSet:
		t.Fatalf("OnWorkersChange called again with %d", n)
	default:
	}
	check("Workers", cfg.Workers(), 2)
	check("Timeout", cfg.Timeout(), time.Duration(0))
	check("OnTimeoutFail", cfg.OnTimeoutFail(), false)
	check("MinPrefix", cfg.MinPrefix(), 1)
	check("MaxExpansions", cfg.MaxExpansions(), 10)
	check("MaxSearchResults", cfg.MaxSearchResults(), int64(1<<31))
	check("MaxAggregateResults", cfg.MaxAggregateResults(), int64(5))
	check("DefaultDialect", cfg.DefaultDialect(), 2)
	check("DefaultScorer", cfg.DefaultScorer(), "TFIDF.DOCNORM")
	check("MinStemLen", cfg.MinStemLen(), 3)
	check("CursorMaxIdle", cfg.CursorMaxIdle(), 1500*time.Millisecond)
	check("UnionIteratorHeap", cfg.UnionIteratorHeap(), 7)
}

// TestConfigFileErrors checks that the config file gets the CONFIG ranges
// (not the module's wider ones) and Redis' wording.
func TestConfigFileErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"search-timeout 0", "argument must be between 1 and 9223372036854775807 inclusive"},
		{"search-workers 17", "argument must be between 0 and 16 inclusive"},
		{"search-default-scorer bm25", "Invalid default scorer value"},
	} {
		_, err := server.Start(server.Options{
			Config:    []string{"bind 127.0.0.1", "port 0", tc.line},
			Modules:   []server.Module{&configOnlyModule{newConfig()}},
			LogOutput: configTestLog{t},
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.line) {
			t.Fatalf("%q: error %v, want one naming the line and %q", tc.line, err, tc.want)
		}
	}
}

type configTestLog struct{ t *testing.T }

func (w configTestLog) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
