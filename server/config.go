package server

import (
	"errors"
	"fmt"
	"math"
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
	// Protected parameters (dir, dbfilename) are set at runtime only when
	// enable-protected-configs allows it, as in Redis.
	Protected bool
	// MultiArg parameters (save, bind) take any number of arguments on a
	// configuration line; they are joined with spaces. Other parameters
	// take exactly one.
	MultiArg bool
	// Unsigned memory parameters (maxmemory) hold an unsigned 64-bit value:
	// Min and Max are read as uint64, Max -1 meaning 2^64-1; Int returns the
	// bits, Uint the value.
	Unsigned bool
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

// Uint returns the value of an unsigned memory parameter.
func (p *Param) Uint() uint64 { return uint64(p.num.Load()) }

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
		if p.Unsigned {
			return strconv.FormatUint(p.Uint(), 10)
		}
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
		u, ok := ParseMemory(v)
		if !ok {
			return "", errors.New("argument must be a memory value")
		}
		if p.Unsigned {
			if u < uint64(p.Min) || u > uint64(p.Max) {
				return "", fmt.Errorf("argument must be between %d and %d inclusive", uint64(p.Min), uint64(p.Max))
			}
			v = strconv.FormatUint(u, 10)
			break
		}
		// Redis stores the unsigned result in a signed variable: above
		// 2^63-1 it is negative, hence out of range.
		n := int64(u)
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
		if p.Unsigned {
			u, _ := strconv.ParseUint(v, 10, 64)
			p.num.Store(int64(u))
			break
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		p.num.Store(n)
	default:
		p.mu.Lock()
		p.str = v
		p.mu.Unlock()
	}
}

// ParseMemory parses a memory value as Redis' memtoull does: digits and an
// optional unit b, k, kb, m, mb, g, gb (case-insensitive; k=1000, kb=1024).
// Its quirks are Redis': no digits at all reads as 0 ("", "kb"), and a
// number too large for 64 bits saturates to 2^64-1 (strtoull) before the
// unit's multiplication is checked for overflow.
func ParseMemory(s string) (uint64, bool) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	var mul uint64
	switch strings.ToLower(s[digits:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if digits >= 128 {
		return 0, false
	}
	var n uint64
	if digits > 0 {
		var err error
		if n, err = strconv.ParseUint(s[:digits], 10, 64); err != nil {
			n = math.MaxUint64
		}
	}
	if n > math.MaxUint64/mul {
		return 0, false
	}
	return n * mul, true
}

// Config is the registry of configuration parameters: the server's and those
// modules register.
type Config struct {
	mu     sync.RWMutex
	byName map[string]*Param // names and aliases, lower case
	params []*Param

	// allowProtected tells whether a client may set protected parameters
	// (nil: always).
	allowProtected func(ctx *Ctx) bool
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

// Match returns the name/value pairs of CONFIG GET for the given patterns,
// as Redis builds them: a pattern without glob characters names one
// parameter (or alias) and is answered under the name as written; a glob
// matches names and aliases, answered in lower case. Each name comes once,
// compared without case. Redis answers from a hash table, in no particular
// order; we answer in pattern order, then registration order.
func (c *Config) Match(patterns []string) [][2]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out [][2]string
	seen := map[string]bool{}
	add := func(name string, p *Param) {
		key := strings.ToLower(name)
		if !seen[key] {
			seen[key] = true
			out = append(out, [2]string{name, p.String()})
		}
	}
	for _, pat := range patterns {
		if !strings.ContainsAny(pat, "*?[") {
			if p, ok := c.byName[strings.ToLower(pat)]; ok {
				add(pat, p)
			}
			continue
		}
		for _, p := range c.params {
			for _, n := range append([]string{p.Name}, p.Aliases...) {
				if GlobMatch(pat, n, true) {
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

	applyFailed bool // an Apply hook failed: the values were restored
}

func (e *ConfigSetError) Error() string {
	return fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", e.Param, e.Reason)
}

// Set sets several parameters at once, atomically, in Redis' order of
// checks:
//
//  1. in argument order, the first unknown name, immutable (unless
//     loading) or protected parameter, or name given twice wins; these
//     errors name the argument as written. An alias and its parameter's
//     name are different names to Redis (both are set, the last wins).
//  2. every value is parsed; the first bad one fails, named in lower case.
//  3. every value is stored, then the Apply hooks run in order; if one
//     fails every parameter is restored and the hooks of the parameters
//     changed so far run again.
//
// The caller holds the main-thread lock (ctx is nil at load time).
func (c *Config) Set(ctx *Ctx, pairs [][2]string, loading bool) error {
	type change struct {
		p        *Param
		name     string // lower case
		old, new string
	}
	changes := make([]change, 0, len(pairs))
	for _, kv := range pairs {
		p := c.Lookup(kv[0])
		if p == nil {
			return &unknownParamError{name: kv[0]}
		}
		if !loading && p.Immutable {
			return &ConfigSetError{Param: kv[0], Reason: "can't set immutable config"}
		}
		if !loading && p.Protected && c.allowProtected != nil && !c.allowProtected(ctx) {
			return &ConfigSetError{Param: kv[0], Reason: "can't set protected config"}
		}
		name := strings.ToLower(kv[0])
		for _, prev := range changes {
			if prev.name == name {
				return &ConfigSetError{Param: kv[0], Reason: "duplicate parameter"}
			}
		}
		changes = append(changes, change{p: p, name: name})
	}
	for i, kv := range pairs {
		ch := &changes[i]
		v, err := ch.p.parse(kv[1])
		if err != nil {
			return &ConfigSetError{Param: ch.name, Reason: err.Error()}
		}
		ch.old, ch.new = ch.p.String(), v
	}
	for _, ch := range changes {
		ch.p.store(ch.new)
	}
	for i, ch := range changes {
		if ch.p.Apply == nil {
			continue
		}
		if err := ch.p.Apply(ctx); err != nil {
			// Restore in reverse order: a parameter set twice (through an
			// alias) gets its first old value back.
			for j := len(changes) - 1; j >= 0; j-- {
				changes[j].p.store(changes[j].old)
			}
			for _, back := range changes[:i+1] {
				if back.p.Apply != nil {
					_ = back.p.Apply(ctx)
				}
			}
			return &ConfigSetError{Param: ch.name, Reason: err.Error(), applyFailed: true}
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
