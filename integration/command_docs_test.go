package integration

import (
	"sort"
	"strings"
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// TestSearchCommandDocs: COMMAND DOCS, COMMAND INFO and COMMAND LIST say of
// the FT.* commands what Redis 8.2 says of RediSearch 8.2's (see
// module/command_meta.go for the sources):
//
//   - RediSearch 8.2 never calls RedisModule_SetCommandInfo (its
//     command_info.c is wired in by PR #5335 / #6396, "MOD-8104", open after
//     8.4; PR #5335: "When the user uses the cli he doesn't get hints or
//     completion on search commands"). Redis' addReplyCommandDocs then gives
//     a module command without docs two fields: "group" (always, "module" for
//     module commands) and "module" (moduleNameFromCommand): so COMMAND DOCS
//     FT.SEARCH is {group: module, module: search}, and redis-cli's hints and
//     HELP FT.SEARCH, built from that reply, have nothing to show.
//   - COMMAND INFO: RM_CreateCommand's arity, -1 (`cmdfunc ? -1 : -2`); the
//     flags of the registration ("readonly") and "module"; first/last/step
//     0 0 0 (RMCreateSearchCommand's 0, 0, -1: no key spec when firstkey is
//     0, so the legacy range is all zeros); the ACL categories
//     RMCreateSearchCommand sets, "read" + the module's "search" for
//     FT.SEARCH; no tips, no key specs, no subcommands.
//   - A module command is named by its fullname, which keeps the case the
//     module declared ("FT.SEARCH"; redis-py's CommandsParser lowers the
//     names of COMMAND's reply for this reason).
func TestSearchCommandDocs(t *testing.T) {
	s := server.RunT(t, server.Options{Modules: []server.Module{module.New()}})
	c := Dial(t, s.Addr())

	docsSearch := Arr(Bulk("FT.SEARCH"), Strs("group", "module", "module", "search"))
	infoSearch := Arr(Bulk("FT.SEARCH"), Int(-1), Arr(Status("readonly"), Status("module")), Int(0), Int(0), Int(0),
		Arr(Status("@read"), Status("@search")), Arr(), Arr(), Arr())
	// FT.DROPINDEX: "write" flag, categories "write slow dangerous" + search,
	// in the order of Redis' category table.
	infoDropIndex := Arr(Bulk("FT.DROPINDEX"), Int(-1), Arr(Status("write"), Status("module")), Int(0), Int(0), Int(0),
		Arr(Status("@write"), Status("@slow"), Status("@dangerous"), Status("@search")), Arr(), Arr(), Arr())
	MustDoAll(t, c, [][]string{
		{"COMMAND", "DOCS", "FT.SEARCH", docsSearch},
		// Looked up in any case, named as declared.
		{"COMMAND", "DOCS", "ft.search", docsSearch},
		{"COMMAND", "DOCS", "ft.aggregate", Arr(Bulk("FT.AGGREGATE"), Strs("group", "module", "module", "search"))},
		{"COMMAND", "INFO", "ft.search", Arr(infoSearch)},
		{"COMMAND", "INFO", "FT.DROPINDEX", Arr(infoDropIndex)},
		// FT.CREATE: "write deny-oom", no category but search.
		{"COMMAND", "INFO", "FT.CREATE", Arr(Arr(Bulk("FT.CREATE"), Int(-1),
			Arr(Status("write"), Status("denyoom"), Status("module")), Int(0), Int(0), Int(0),
			Arr(Status("@search")), Arr(), Arr(), Arr()))},
	})

	// COMMAND DOCS without names has the same entry for FT.SEARCH; COMMAND
	// (all) the same COMMAND INFO entry.
	if all, want := string(c.Do("COMMAND", "DOCS").Raw), Bulk("FT.SEARCH")+Strs("group", "module", "module", "search"); !strings.Contains(all, want) {
		t.Errorf("COMMAND DOCS lacks %q", want)
	}
	if all := string(c.Do("COMMAND").Raw); !strings.Contains(all, infoSearch) {
		t.Errorf("COMMAND lacks %q", infoSearch)
	}

	// tests/pytests/test_acl.py: FT.SEARCH is in @read, FT.CREATE is not;
	// the user-facing commands are in @search, the internal ones are not.
	list := func(args ...string) []string {
		var out []string
		c.Do(append([]string{"COMMAND", "LIST", "FILTERBY"}, args...)...).ForEach(func(e resp.Reply) bool {
			out = append(out, string(e.Data))
			return true
		})
		sort.Strings(out)
		return out
	}
	has := func(names []string, name string) bool {
		i := sort.SearchStrings(names, name)
		return i < len(names) && names[i] == name
	}
	read := list("ACLCAT", "read")
	if !has(read, "FT.SEARCH") || has(read, "FT.CREATE") {
		t.Errorf("COMMAND LIST FILTERBY ACLCAT read: %v", read)
	}
	search := list("ACLCAT", "search")
	for _, name := range []string{"FT.SEARCH", "FT.AGGREGATE", "FT.CREATE", "FT.DROPINDEX", "FT.INFO", "FT._LIST",
		"FT.EXPLAIN", "FT.CURSOR", "FT.TAGVALS", "FT.ALIASADD", "SEARCH.CLUSTERINFO", "FT.CONFIG"} {
		if !has(search, name) {
			t.Errorf("COMMAND LIST FILTERBY ACLCAT search lacks %s: %v", name, search)
		}
	}
	if has(search, "_FT.SEARCH") {
		t.Errorf("COMMAND LIST FILTERBY ACLCAT search has _FT.SEARCH: %v", search)
	}
	if mod := list("MODULE", "search"); !has(mod, "FT.SEARCH") {
		t.Errorf("COMMAND LIST FILTERBY MODULE search: %v", mod)
	}

	// RESP3: maps and sets.
	c3 := Dial(t, s.Addr())
	c3.Hello3()
	MustDoAll(t, c3, [][]string{
		{"COMMAND", "DOCS", "FT.SEARCH", Map3(Bulk("FT.SEARCH"), Map3(Bulk("group"), Bulk("module"), Bulk("module"), Bulk("search")))},
		{"COMMAND", "INFO", "FT.SEARCH", Arr(Arr(Bulk("FT.SEARCH"), Int(-1), Set3(Status("readonly"), Status("module")),
			Int(0), Int(0), Int(0), Set3(Status("@read"), Status("@search")), Set3(), Set3(), Set3()))},
	})

	// What redis-cli prints of COMMAND DOCS FT.SEARCH (the reply its hints
	// are built from; its interactive HELP needs a terminal).
	cli := requireTool(t, "redis-cli")
	if got, want := runCLI(t, cli, s.Addr(), "", "COMMAND", "DOCS", "FT.SEARCH"), "FT.SEARCH\ngroup\nmodule\nmodule\nsearch\n"; got != want {
		t.Errorf("redis-cli COMMAND DOCS FT.SEARCH: %q, want %q", got, want)
	}
}
