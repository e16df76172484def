package module

import "github.com/miniredis-search/miniredis-search/server"

// What COMMAND INFO and COMMAND DOCS say of the search commands, as Redis
// 8.2 says it of RediSearch 8.2's.
//
// Command docs: none. RediSearch 8.2 registers its commands with
// RedisModule_CreateCommand and RedisModule_SetCommandACLCategories only
// (src/module.c, RMCreateSearchCommand); it never calls
// RedisModule_SetCommandInfo. The generated src/command_info/command_info.c
// (summary, complexity, since, arguments) is wired in by RediSearch PR #5335 /
// #6396 ("MOD-8104: Introduce Search commands info to Redis via
// RM_SetCommandInfo()"), still under review in December 2025, after 8.2 and
// 8.4; the version of command_info.c in the tree lists FT.ALIASLIST "since
// 8.10.0". PR #5335 states the 8.x behaviour: "When the user uses the cli he
// doesn't get hints or completion on search commands". So in 8.2 COMMAND DOCS
// FT.SEARCH is {group: module, module: search}, redis-cli's HELP FT.SEARCH has
// nothing to print, COMMAND INFO lists no tips and no key specs, and the
// arity is the one RM_CreateCommand sets, -1 (Redis' module.c:
// `cp->rediscmd->arity = cmdfunc ? -1 : -2`).
//
// ACL categories: RMCreateSearchCommand gives each user-facing command the
// categories of its registration plus the module's own "search" category
// (RedisModule_AddACLCategory); Redis sets exactly those (no implicit
// @slow/@read as for its own commands) and COMMAND INFO lists them in the
// order of its category table (keyspace, read, write, ..., admin, fast, slow,
// blocking, dangerous, ..., then the categories modules add). The lists below
// are RediSearch's src/module.c RediSearch_InitModuleInternal (shard commands
// that are not internal) and RedisModule_OnLoad (the coordinator's
// user-facing commands), transcribed from the closest tree after 8.2 found
// (it registers FT.HYBRID, added in 8.4, which we do not build);
// tests/pytests/test_acl.py checks the same set for `ACL CAT search` and that
// FT.SEARCH is in @read. The internal _FT.* commands (registered `internal`
// in 8.x, and whose category changed between versions: none, or
// `_search_internal`) and FT.DEBUG (8.2 names it _FT.DEBUG) get nothing.
var commandACLCategories = map[string][]string{
	// Coordinator (RedisModule_OnLoad).
	"FT.AGGREGATE":       {"@read", "@search"},
	"FT.INFO":            {"@search"},
	"FT.SEARCH":          {"@read", "@search"},
	"FT.PROFILE":         {"@read", "@search"},
	"FT.CURSOR":          {"@read", "@search"},
	"FT.SPELLCHECK":      {"@search"},
	"FT.CONFIG":          {"@admin", "@search"},
	"FT.CREATE":          {"@search"},
	"FT.ALTER":           {"@search"},
	"FT.DROPINDEX":       {"@write", "@slow", "@dangerous", "@search"},
	"FT.DICTADD":         {"@search"},
	"FT.DICTDEL":         {"@search"},
	"FT.ALIASADD":        {"@search"},
	"FT.ALIASDEL":        {"@search"},
	"FT.ALIASUPDATE":     {"@search"},
	"FT.SYNUPDATE":       {"@search"},
	"FT.DROP":            {"@write", "@slow", "@dangerous", "@search"},
	"SEARCH.CLUSTERINFO": {"@search"},
	"FT.TAGVALS":         {"@read", "@slow", "@dangerous", "@search"},
	// Shard commands that are not internal (RediSearch_InitModuleInternal).
	"FT._LIST":      {"@admin", "@slow", "@search"},
	"FT.EXPLAIN":    {"@search"},
	"FT.EXPLAINCLI": {"@search"},
	"FT.SUGADD":     {"@write", "@search"},
	"FT.SUGDEL":     {"@write", "@search"},
	"FT.SUGLEN":     {"@read", "@search"},
	"FT.SUGGET":     {"@read", "@search"},
	"FT.SYNDUMP":    {"@search"},
	"FT.DICTDUMP":   {"@search"},
}

// commandMeta is what COMMAND INFO / COMMAND DOCS say of a search command
// (see above): the arity RM_CreateCommand gives and the ACL categories; no
// docs, tips or key specs.
func commandMeta(name string) server.CommandMeta {
	return server.CommandMeta{InfoArity: -1, ACLCategories: commandACLCategories[name]}
}
