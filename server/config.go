package server

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/miniredis-search/miniredis-search/resp"
	"go.uber.org/atomic"
)

// ParamType is the type of a configuration parameter.
type ParamType uint8

// Parameter types. Values are parsed and rendered as Redis does for each.
const (
	ParamBool   ParamType = iota // yes/no
	ParamInt                     // a decimal integer within [Min, Max]
	ParamMemory                  // bytes, with units (1k=1000, 1kb=1024, ... gb)
	ParamEnum                    // one of Enum, case-insensitive
	ParamString                  // anything
)

// Param is a configuration parameter: a name (and aliases) that CONFIG
// GET/SET, the config file and the command line know, a type with its
// validation, typed storage the code reads without locks, and an optional
// apply hook.
type Param struct {
	Name    string
	Aliases []string
	Type    ParamType
	Min     int64
	Max     int64
	Enum    []string
	Default string
	// Immutable parameters are set at load time only.
	Immutable bool
	// Validate checks a value beyond its type (returns the reason, worded as
	// Redis words it).
	Validate func(v string) error
	// Apply runs after every parameter of one CONFIG SET has been stored; an
	// error rolls the whole CONFIG SET back. ctx is nil at load time, and a
	// CONFIG SET may yield through it.
	Apply func(ctx *Ctx) error
	// Normalize rewrites an accepted value before it is stored (Redis clamps
	// hz to 1..500, for instance).
	Normalize func(v string) string

	mu  sync.Mutex // guards str, for string and enum parameters
	str string
	num atomic.Int64
}

// Int returns the value of a bool (0/1), integer or memory parameter.
func (p *Param) Int() int64 { return p.num.Load() }

// Bool returns the value of a yes/no parameter.
func (p *Param) Bool() bool { return p.num.Load() != 0 }

// String returns the value as CONFIG GET shows it.
func (p *Param) String() string {
	switch p.Type {
	case ParamBool:
		if p.num.Load() != 0 {
			return "yes"
		}
		return "no"
	case ParamInt, ParamMemory:
		return strconv.FormatInt(p.num.Load(), 10)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.str
}

// parse checks v and returns the canonical form to store, or the reason it
// is rejected.
func (p *Param) parse(v string) (string, error) {
	switch p.Type {
	case ParamBool:
		switch strings.ToLower(v) {
		case "yes":
			v = "yes"
		case "no":
			v = "no"
		default:
			return "", errors.New("argument must be 'yes' or 'no'")
		}
	case ParamInt:
		n, ok := resp.ParseIntString(v)
		if !ok {
			return "", errors.New("argument couldn't be parsed into an integer")
		}
		if n < p.Min || n > p.Max {
			return "", fmt.Errorf("argument must be between %d and %d inclusive", p.Min, p.Max)
		}
		v = strconv.FormatInt(n, 10)
	case ParamMemory:
		n, ok := ParseMemory(v)
		if !ok {
			return "", errors.New("argument must be a memory value")
		}
		if n < p.Min || n > p.Max {
			return "", fmt.Errorf("argument must be between %d and %d inclusive", p.Min, p.Max)
		}
		v = strconv.FormatInt(n, 10)
	case ParamEnum:
		found := false
		for _, e := range p.Enum {
			if strings.EqualFold(e, v) {
				v, found = e, true
				break
			}
		}
		if !found {
			return "", fmt.Errorf("argument(s) must be one of the following: %s", strings.Join(p.Enum, ", "))
		}
	}
	if p.Validate != nil {
		if err := p.Validate(v); err != nil {
			return "", err
		}
	}
	if p.Normalize != nil {
		v = p.Normalize(v)
	}
	return v, nil
}

// store sets an already parsed value.
func (p *Param) store(v string) {
	switch p.Type {
	case ParamBool:
		if v == "yes" {
			p.num.Store(1)
		} else {
			p.num.Store(0)
		}
	case ParamInt, ParamMemory:
		n, _ := strconv.ParseInt(v, 10, 64)
		p.num.Store(n)
	default:
		p.mu.Lock()
		p.str = v
		p.mu.Unlock()
	}
}

// ParseMemory parses a memory value as Redis' memtoull does: a non-negative
// integer with an optional unit b, k, kb, m, mb, g, gb (case-insensitive;
// k=1000, kb=1024).
func ParseMemory(s string) (int64, bool) {
	lower := strings.ToLower(s)
	units := []struct {
		suffix string
		mul    int64
	}{{"kb", 1024}, {"mb", 1024 * 1024}, {"gb", 1024 * 1024 * 1024},
		{"k", 1000}, {"m", 1000 * 1000}, {"g", 1000 * 1000 * 1000}, {"b", 1}}
	mul := int64(1)
	for _, u := range units {
		if strings.HasSuffix(lower, u.suffix) {
			mul = u.mul
			lower = lower[:len(lower)-len(u.suffix)]
			break
		}
	}
	if lower == "" {
		return 0, false
	}
	for _, c := range lower {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(lower, 10, 64)
	if err != nil || n > uint64(1<<63-1)/uint64(mul) {
		return 0, false
	}
	return int64(n) * mul, true
}

// Config is the registry of configuration parameters: the server's and those
// modules register.
type Config struct {
	mu     sync.RWMutex
	byName map[string]*Param // names and aliases, lower case
	params []*Param
}

func newConfig() *Config {
	return &Config{byName: map[string]*Param{}}
}

// Register adds a parameter and sets it to its default.
func (c *Config) Register(p *Param) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := append([]string{p.Name}, p.Aliases...)
	for _, n := range names {
		if _, dup := c.byName[strings.ToLower(n)]; dup {
			return fmt.Errorf("config parameter %q registered twice", n)
		}
	}
	v, err := p.parse(p.Default)
	if err != nil {
		return fmt.Errorf("config parameter %q: bad default %q: %v", p.Name, p.Default, err)
	}
	p.store(v)
	for _, n := range names {
		c.byName[strings.ToLower(n)] = p
	}
	c.params = append(c.params, p)
	return nil
}

// Lookup finds a parameter by name or alias, ignoring case.
func (c *Config) Lookup(name string) *Param {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byName[strings.ToLower(name)]
}

// Get returns the value of a parameter ("" if unknown).
func (c *Config) Get(name string) string {
	if p := c.Lookup(name); p != nil {
		return p.String()
	}
	return ""
}

// Match returns the name/value pairs of CONFIG GET for the given patterns:
// each parameter once, under the name or alias a pattern named (every
// matching name for a glob), in registration order.
func (c *Config) Match(patterns []string) [][2]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out [][2]string
	seen := map[string]bool{}
	add := func(name string, p *Param) {
		if !seen[name] {
			seen[name] = true
			out = append(out, [2]string{name, p.String()})
		}
	}
	for _, pat := range patterns {
		lp := strings.ToLower(pat)
		if !strings.ContainsAny(lp, "*?[") {
			if p, ok := c.byName[lp]; ok {
				add(lp, p)
			}
			continue
		}
		for _, p := range c.params {
			for _, n := range append([]string{p.Name}, p.Aliases...) {
				if GlobMatch(lp, n, true) {
					add(n, p)
				}
			}
		}
	}
	return out
}

// ConfigSetError is a CONFIG SET failure; Error gives Redis' full wording.
type ConfigSetError struct {
	Param  string
	Reason string
}

func (e *ConfigSetError) Error() string {
	return fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", e.Param, e.Reason)
}

// Set sets several parameters at once, atomically: all are validated first,
// then stored, then their apply hooks run; if a hook fails every parameter
// is restored and the hooks of the restored values run again. The caller
// holds the main-thread lock (ctx may be nil at load time).
func (c *Config) Set(ctx *Ctx, pairs [][2]string, loading bool) error {
	type change struct {
		p        *Param
		name     string
		old, new string
	}
	var changes []change
	seen := map[*Param]bool{}
	for _, kv := range pairs {
		p := c.Lookup(kv[0])
		if p == nil {
			return &unknownParamError{name: kv[0]}
		}
		if seen[p] {
			return &ConfigSetError{Param: kv[0], Reason: "duplicate parameter"}
		}
		seen[p] = true
		if p.Immutable && !loading {
			return &ConfigSetError{Param: kv[0], Reason: "can't set immutable config"}
		}
		v, err := p.parse(kv[1])
		if err != nil {
			return &ConfigSetError{Param: kv[0], Reason: err.Error()}
		}
		changes = append(changes, change{p: p, name: kv[0], old: p.String(), new: v})
	}
	for _, ch := range changes {
		ch.p.store(ch.new)
	}
	for i, ch := range changes {
		if ch.p.Apply == nil {
			continue
		}
		if err := ch.p.Apply(ctx); err != nil {
			for _, back := range changes {
				back.p.store(back.old)
			}
			for _, back := range changes[:i+1] {
				if back.p.Apply != nil {
					_ = back.p.Apply(ctx)
				}
			}
			return &ConfigSetError{Param: ch.name, Reason: err.Error()}
		}
	}
	return nil
}

type unknownParamError struct{ name string }

func (e *unknownParamError) Error() string {
	return fmt.Sprintf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", e.name)
}

// Names lists every parameter name and alias, sorted.
func (c *Config) Names() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for n := range c.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
