package server

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestArgsIndexedOnly(t *testing.T) {
	if !ltableLayoutOK {
		t.Fatal("gopher-lua's LTable no longer matches ltableLayout")
	}
	for script, want := range map[string]bool{
		"return redis.call('GET', KEYS[1])":                 true,
		"return #KEYS + #ARGV":                              true,
		"local k, a = KEYS[1], ARGV[2] return k .. a":       true,
		"return (function() return KEYS[1] end)()":          true,
		"local k = KEYS return k[1]":                        false,
		"return KEYS":                                       false,
		"KEYS[1] = 'x'":                                     false,
		"setmetatable(ARGV, {})":                            false,
		"for _, k in ipairs(KEYS) do end":                   false,
		"return (function() return KEYS end)()":             false,
		"return _G.KEYS[1]":                                 false,
		"return loadstring('return 1')()":                   false,
		"return load(function() return nil end)":            false,
		"return getfenv and 1":                              false,
		"local t = {} t.KEYS = 1 return ARGV[1] .. KEYS[1]": true,
	} {
		L := lua.NewState()
		fn, err := L.Load(strings.NewReader(script), "s")
		if err != nil {
			t.Fatal(script, err)
		}
		if got := argsIndexedOnly(fn.Proto); got != want {
			t.Errorf("%s: %v, want %v", script, got, want)
		}
		L.Close()
	}
}
