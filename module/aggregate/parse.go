// Package aggregate parses the arguments of FT.AGGREGATE into a request
// describing the pipeline, with the module's error replies.
//
// The module works in two stages, and this package keeps them apart because
// their errors come in that order: AREQ_Compile (parseQueryArgs, then
// parseAggPlan in src/aggregate/aggregate_request.c) reads every argument
// first; only after the index is opened, the query string parsed and the
// options checked (AREQ_ApplyContext) does AREQ_BuildPipeline walk the
// steps, parse APPLY/FILTER expressions, create reducers and resolve
// properties. Parse is the first stage. Request.Check is the part of the
// second that needs no documents (see check.go).
//
// It owns the pipeline too (pipeline.go: loaders, groupers, reducers,
// sorters, APPLY/FILTER) and its split between shards and a coordinator
// (dist.go). It may import module/expr; documents reach it through its
// Doc and Loader interfaces, never from a server.
package aggregate

import (
	"fmt"
	"math"
	"strings"
)

// Error is an error reply exactly as a client sees it (no "ERR " prefix).
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errf(format string, a ...any) *Error { return &Error{Msg: fmt.Sprintf(format, a...)} }

func badArgs(what string, rc int) *Error {
	return &Error{Msg: "Bad arguments for " + what + ": " + acStrerror(rc)}
}

// Dialect bounds (MIN_DIALECT_VERSION, MAX_DIALECT_VERSION).
const (
	MinDialect = 1
	MaxDialect = 4
)

// SortMaxFields is SORTASCMAP_MAXFIELDS: one bit per key in a uint64.
const SortMaxFields = 64

// Options is what the parser takes from the configuration. A zero Options
// (apart from DefaultDialect and Timeout) stands for DefaultOptions.
type Options struct {
	// DefaultDialect is DEFAULT_DIALECT (search-default-dialect), used when
	// the command has no DIALECT.
	DefaultDialect int
	// MaxSearchResults is MAXSEARCHRESULTS: FT.AGGREGATE checks the LIMIT
	// offset against it ("OFFSET exceeds maximum of …"), as the module does.
	MaxSearchResults uint64
	// MaxAggregateResults is MAXAGGREGATERESULTS: the largest LIMIT num.
	// math.MaxUint64 means unlimited.
	MaxAggregateResults uint64
	// CursorMaxIdle is CURSOR_MAX_IDLE (ms): WITHCURSOR MAXIDLE is clamped
	// to it, and 0 (not given) becomes it.
	CursorMaxIdle uint64
	// Timeout is TIMEOUT (ms), the request's timeout without TIMEOUT.
	Timeout int64
}

// DefaultOptions are the module's defaults.
func DefaultOptions() Options {
	return Options{
		DefaultDialect:      1,
		MaxSearchResults:    1000000,
		MaxAggregateResults: math.MaxUint64,
		CursorMaxIdle:       300000,
		Timeout:             500,
	}
}

// Step is one pipeline step: *LoadStep, *GroupStep, *ArrangeStep,
// *ApplyStep or *FilterStep.
type Step interface{ stepKind() string }

// LoadStep is LOAD n field [AS name] … or LOAD *.
type LoadStep struct {
	// Args are the n arguments as given; Fields splits them (the module does
	// so only when it builds the pipeline, where its errors arise).
	Args []string
	// All is set for LOAD *, and, as in the module (the request flag
	// QEXEC_AGG_LOAD_ALL is copied to every later LOAD), for any LOAD after
	// a LOAD *.
	All bool
	// Star is set when this step itself was LOAD *.
	Star bool
}

// GroupStep is GROUPBY n @prop … [REDUCE fn n args… [AS alias]]…
type GroupStep struct {
	Properties []string // as given, each starting with '@'
	Reducers   []Reducer
	mode       groupMode // how a cluster splits it (dist.go)
}

// Reducer is one REDUCE clause.
type Reducer struct {
	Name string   // as given (matched case-insensitively)
	Args []string // the n arguments
	// Alias is the AS name, or the generated one:
	// "__generated_alias" + lowercase(name + args without leading '@',
	// comma separated), e.g. __generated_aliascount, __generated_aliassumprice.
	Alias     string
	Generated bool
}

// SortKey is one SORTBY property.
type SortKey struct {
	Name string // without the '@'
	Asc  bool
}

// ArrangeStep holds SORTBY and LIMIT. The module keeps one per GROUPBY
// segment: a later SORTBY or LIMIT in the same segment (no GROUPBY between)
// updates the step created by the first one, wherever that step stands.
type ArrangeStep struct {
	Sorted    bool // a SORTBY was given (Keys may still be empty: SORTBY 0)
	Keys      []SortKey
	Offset    uint64
	Limit     uint64 // LIMIT num, or SORTBY … MAX n (the later one wins)
	IsLimited bool   // a LIMIT was given
}

// ApplyStep is APPLY expr [AS alias]; without AS the alias is the expression.
type ApplyStep struct {
	Expr  string
	Alias string
}

// FilterStep is FILTER expr.
type FilterStep struct {
	Expr string
}

func (*LoadStep) stepKind() string    { return "LOAD" }
func (*GroupStep) stepKind() string   { return "GROUPBY" }
func (*ArrangeStep) stepKind() string { return "ARRANGE" }
func (*ApplyStep) stepKind() string   { return "APPLY" }
func (*FilterStep) stepKind() string  { return "FILTER" }

// Param is one PARAMS name/value pair.
type Param struct{ Name, Value string }

// Request is the parsed command.
type Request struct {
	Steps []Step

	// Yields are the names of the values the query yields for each
	// document (vector distances), which its caller sets once the query is
	// planned: the documents' first lookup keys, read from the document
	// (MetricDoc).
	Yields []string

	// Query options (only before the first pipeline keyword, as in the
	// module's parseQueryArgs).
	Verbatim     bool
	InOrder      bool
	NoStopwords  bool
	WithScores   bool
	AddScores    bool
	WithSortKeys bool
	WithPayloads bool
	NoContent    bool
	ExplainScore bool
	Slop         *int64
	Language     string // "" when not given; checked by Check
	Expander     string
	Scorer       string // "" when not given; checked by Check
	Payload      *string
	InKeys       []string
	InFields     []string
	// Optimize: WITHOUTCOUNT, or DIALECT ≥ 4 without WITHCOUNT.
	Optimize  bool
	WithCount bool // WITHCOUNT given

	// Common options (anywhere).
	Dialect        int
	DialectGiven   bool
	Timeout        int64
	TimeoutGiven   bool
	Params         []Param // nil without PARAMS
	WithCursor     bool
	CursorCount    uint64 // 0 when not given
	CursorMaxIdle  uint64 // clamped to Options.CursorMaxIdle
	FormatExpand   bool
	FormatGiven    bool
	NumSString     bool // _NUM_SSTRING
	WithRawIDs     bool
	RequiredFields []string // _REQUIRED_FIELDS
	NoRows         bool     // LIMIT 0 0: count only
}

// ParamMap returns PARAMS as a map.
func (r *Request) ParamMap() map[string]string {
	if r.Params == nil {
		return nil
	}
	m := make(map[string]string, len(r.Params))
	for _, p := range r.Params {
		m[p.Name] = p.Value
	}
	return m
}

// Arrange returns the last SORTBY/LIMIT step of the pipeline, if any.
func (r *Request) Arrange() *ArrangeStep {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if a, ok := r.Steps[i].(*ArrangeStep); ok {
			return a
		}
	}
	return nil
}

type parser struct {
	c         cursor
	req       *Request
	opts      Options
	loadAll   bool
	hasGroup  bool // a GROUPBY made this an extended request
	sawReturn bool
}

// Parse reads args, the arguments after the index name and the query
// string, as AREQ_Compile does.
func Parse(args []string, opts Options) (*Request, error) {
	if opts.DefaultDialect == 0 {
		opts.DefaultDialect = 1
	}
	if opts.MaxSearchResults == 0 && opts.MaxAggregateResults == 0 && opts.CursorMaxIdle == 0 {
		d := DefaultOptions()
		d.DefaultDialect, d.Timeout = opts.DefaultDialect, opts.Timeout
		opts = d
	}
	// Offset 0 stands for the query string so that positions match.
	all := make([]string, len(args)+1)
	copy(all[1:], args)
	p := &parser{c: cursor{args: all, off: 1}, opts: opts}
	p.req = &Request{Dialect: opts.DefaultDialect, Timeout: opts.Timeout}
	if err := p.parseQueryArgs(); err != nil {
		return nil, err
	}
	if err := p.parseAggPlan(); err != nil {
		return nil, err
	}
	return p.req, nil
}

type flagSpec struct {
	name string
	set  func(r *Request)
}

var queryFlags = []flagSpec{
	{"INORDER", func(r *Request) { r.InOrder = true }},
	{"VERBATIM", func(r *Request) { r.Verbatim = true }},
	{"WITHSCORES", func(r *Request) { r.WithScores = true }},
	{"ADDSCORES", func(r *Request) { r.AddScores = true }},
	{"WITHSORTKEYS", func(r *Request) { r.WithSortKeys = true }},
	{"WITHPAYLOADS", func(r *Request) { r.WithPayloads = true }},
	{"NOCONTENT", func(r *Request) { r.NoContent = true }},
	{"NOSTOPWORDS", func(r *Request) { r.NoStopwords = true }},
	{"EXPLAINSCORE", func(r *Request) { r.ExplainScore = true }},
}

// parseQuerySpec handles the module's querySpecs table (AC_ParseArgSpec):
// handled reports whether the argument was one of them.
func (p *parser) parseQuerySpec() (bool, error) {
	c, r := &p.c, p.req
	kw := c.args[c.off]
	for _, f := range queryFlags {
		if strings.EqualFold(kw, f.name) {
			c.off++
			f.set(r)
			return true, nil
		}
	}
	name := strings.ToUpper(kw)
	switch name {
	case "INFIELDS", "INKEYS", "RETURN":
		c.off++
		v, rc := c.getVarArgs()
		if rc != acOK {
			return true, badArgs(name, rc)
		}
		switch name {
		case "INFIELDS":
			r.InFields = append([]string{}, v...)
		case "INKEYS":
			r.InKeys = append([]string{}, v...)
		default:
			p.sawReturn = true
		}
	case "SLOP":
		c.off++
		v, rc := c.getInt(fCoalesce)
		if rc != acOK {
			return true, badArgs(name, rc)
		}
		r.Slop = &v
	case "LANGUAGE", "EXPANDER", "SCORER", "PAYLOAD":
		c.off++
		s, rc := c.getString()
		if rc != acOK {
			return true, badArgs(name, rc)
		}
		switch name {
		case "LANGUAGE":
			r.Language = s
		case "EXPANDER":
			r.Expander = s
		case "SCORER":
			r.Scorer = s
		default:
			r.Payload = &s
		}
	default:
		return false, nil
	}
	return true, nil
}

func (p *parser) parseQueryArgs() error {
	c, r := &p.c, p.req
	optimizationGiven := false
	for !c.atEnd() {
		handled, err := p.parseQuerySpec()
		if err != nil {
			return err
		}
		if handled {
			continue
		}
		switch {
		case c.advanceIf("SUMMARIZE"):
			return errf("SUMMARIZE is not supported on FT.AGGREGATE")
		case c.advanceIf("HIGHLIGHT"):
			return errf("HIGHLIGHT is not supported on FT.AGGREGATE")
		case c.advanceIf("WITHCOUNT"):
			r.Optimize, r.WithCount, optimizationGiven = false, true, true
		case c.advanceIf("WITHOUTCOUNT"):
			r.Optimize, r.WithCount, optimizationGiven = true, false, true
		default:
			ok, err := p.handleCommonArgs()
			if err != nil {
				return err
			}
			if !ok {
				goto done
			}
		}
	}
done:
	if !optimizationGiven && r.Dialect >= 4 {
		r.Optimize = true
	}
	if r.ExplainScore && !r.WithScores {
		return errf("EXPLAINSCORE must be accompanied with WITHSCORES")
	}
	if p.sawReturn {
		return errf("RETURN is not supported on FT.AGGREGATE")
	}
	return nil
}

// arrange is AGPLN_GetOrCreateArrangeStep: the arrange step after the last
// GROUPBY, or a new one appended to the pipeline.
func (p *parser) arrange() *ArrangeStep {
	for i := len(p.req.Steps) - 1; i >= 0; i-- {
		switch s := p.req.Steps[i].(type) {
		case *GroupStep:
			i = -1
		case *ArrangeStep:
			return s
		}
	}
	a := &ArrangeStep{}
	p.req.Steps = append(p.req.Steps, a)
	return a
}

// handleCommonArgs reports false when the argument is not a common one.
func (p *parser) handleCommonArgs() (bool, error) {
	c, r := &p.c, p.req
	switch {
	case c.advanceIf("LIMIT"):
		a := p.arrange()
		a.IsLimited = true
		if c.remaining() < 2 {
			return true, errf("LIMIT requires two arguments")
		}
		off, rc := c.getU64(0)
		if rc != acOK {
			return true, errf("LIMIT needs two numeric arguments")
		}
		a.Offset = off
		lim, rc := c.getU64(0)
		if rc != acOK {
			return true, errf("LIMIT needs two numeric arguments")
		}
		a.Limit = lim
		if lim == 0 && off != 0 {
			return true, errf("The `offset` of the LIMIT must be 0 when `num` is 0")
		}
		switch {
		case lim == 0:
			r.NoRows = true
		case lim > p.opts.MaxAggregateResults:
			return true, errf("LIMIT exceeds maximum of %d", p.opts.MaxAggregateResults)
		case off > p.opts.MaxSearchResults:
			return true, errf("OFFSET exceeds maximum of %d", p.opts.MaxSearchResults)
		}
	case c.advanceIf("SORTBY"):
		if err := p.parseSortby(p.arrange()); err != nil {
			return true, err
		}
	case c.advanceIf("TIMEOUT"):
		if c.remaining() < 1 {
			return true, errf("Need argument for TIMEOUT")
		}
		v, rc := c.getLongLong(fGE0, true)
		if rc != acOK {
			return true, errf("TIMEOUT requires a non negative integer")
		}
		r.Timeout, r.TimeoutGiven = v, true
	case c.advanceIf("WITHCURSOR"):
		if err := p.parseCursor(); err != nil {
			return true, err
		}
	case c.advanceIf("_NUM_SSTRING"):
		r.NumSString = true
	case c.advanceIf("WITHRAWIDS"):
		r.WithRawIDs = true
	case c.advanceIf("PARAMS"):
		if err := p.parseParams(); err != nil {
			return true, err
		}
	case c.advanceIf("_REQUIRED_FIELDS"):
		v, rc := c.getVarArgs()
		if rc != acOK {
			return true, badArgs("_REQUIRED_FIELDS", rc)
		}
		r.RequiredFields = append([]string{}, v...)
	case c.advanceIf("DIALECT"):
		if c.remaining() < 1 {
			return true, errf("Need an argument for DIALECT")
		}
		v, rc := c.getUnsigned(fGE1)
		if rc != acOK || v > MaxDialect {
			return true, errf("DIALECT requires a non negative integer >=%d and <= %d", MinDialect, MaxDialect)
		}
		r.Dialect, r.DialectGiven = int(v), true
		if r.FormatExpand && r.Dialect < 3 {
			return true, errf("EXPAND format requires dialect 3 or greater")
		}
	case c.advanceIf("FORMAT"):
		s, rc := c.getString()
		if rc != acOK {
			return true, errf("Need an argument for FORMAT")
		}
		switch {
		case strings.EqualFold(s, "EXPAND"):
			r.FormatExpand = true
		case strings.EqualFold(s, "STRING"):
			r.FormatExpand = false
		default:
			return true, errf("FORMAT %s is not supported", s)
		}
		r.FormatGiven = true
	default:
		return false, nil
	}
	return true, nil
}

func (p *parser) parseSortby(a *ArrangeStep) error {
	c := &p.c
	if a.Sorted {
		return errf("Multiple SORTBY steps are not allowed. Sort multiple fields in a single step")
	}
	sub, rc := c.getVarArgs()
	if rc != acOK {
		return badArgs("SORTBY", rc)
	}
	keys := []SortKey{}
	for _, s := range sub {
		if strings.HasPrefix(s, "@") {
			if len(keys) >= SortMaxFields {
				return errf("Cannot sort by more than %d fields", SortMaxFields)
			}
			keys = append(keys, SortKey{Name: s[1:], Asc: true})
			continue
		}
		switch {
		case strings.EqualFold(s, "ASC"):
			if len(keys) > 0 {
				keys[len(keys)-1].Asc = true
			}
		case strings.EqualFold(s, "DESC"):
			if len(keys) > 0 {
				keys[len(keys)-1].Asc = false
			}
		default:
			return errf("MISSING ASC or DESC after sort field (%s)", s)
		}
	}
	if c.advanceIf("MAX") {
		mx, rc := c.getUnsigned(0)
		if rc != acOK {
			// The module assigns rv = (AC_GetUnsigned(…) != AC_OK), so the
			// reason is always that of code 1, AC_ERR_PARSE.
			return badArgs("MAX", acParse)
		}
		a.Limit = mx
	}
	a.Sorted, a.Keys = true, keys
	return nil
}

func (p *parser) parseCursor() error {
	c, r := &p.c, p.req
	for !c.atEnd() {
		var name string
		switch {
		case c.advanceIf("MAXIDLE"):
			name = "MAXIDLE"
		case c.advanceIf("COUNT"):
			name = "COUNT"
		}
		if name == "" {
			break
		}
		v, rc := c.getUnsigned(fGE1)
		if rc != acOK {
			return badArgs(name, rc)
		}
		if name == "MAXIDLE" {
			r.CursorMaxIdle = v
		} else {
			r.CursorCount = v
		}
	}
	if r.CursorMaxIdle == 0 || r.CursorMaxIdle > p.opts.CursorMaxIdle {
		r.CursorMaxIdle = p.opts.CursorMaxIdle
	}
	r.WithCursor = true
	return nil
}

func (p *parser) parseParams() error {
	c, r := &p.c, p.req
	v, rc := c.getVarArgs()
	if rc != acOK {
		return badArgs("PARAMS", rc)
	}
	if r.Params != nil {
		return errf("Multiple PARAMS are not allowed. Parameters can be defined only once")
	}
	if len(v) == 0 || len(v)%2 != 0 {
		return errf("Parameters must be specified in PARAM VALUE pairs")
	}
	params := make([]Param, 0, len(v)/2)
	seen := make(map[string]bool, len(v)/2)
	for i := 0; i < len(v); i += 2 {
		if seen[v[i]] {
			return errf("Duplicate parameter `%s`", v[i])
		}
		seen[v[i]] = true
		params = append(params, Param{Name: v[i], Value: v[i+1]})
	}
	r.Params = params
	return nil
}

func (p *parser) parseAggPlan() error {
	c := &p.c
	for !c.atEnd() {
		ok, err := p.handleCommonArgs()
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		switch {
		case c.advanceIf("GROUPBY"):
			p.hasGroup = true
			if err := p.parseGroupby(); err != nil {
				return err
			}
		case c.advanceIf("APPLY"):
			if err := p.parseApplyOrFilter(true); err != nil {
				return err
			}
		case c.advanceIf("LOAD"):
			if err := p.parseLoad(); err != nil {
				return err
			}
		case c.advanceIf("FILTER"):
			if err := p.parseApplyOrFilter(false); err != nil {
				return err
			}
		default:
			return errf("Unknown argument `%s` at position %d for <main>", c.args[c.off], c.off)
		}
	}
	return nil
}

func (p *parser) parseGroupby() error {
	c := &p.c
	props, rc := c.getVarArgs()
	if rc != acOK {
		return badArgs("GROUPBY", rc)
	}
	for _, s := range props {
		if !strings.HasPrefix(s, "@") {
			return errf("Bad arguments for GROUPBY: Unknown property `%s`. Did you mean `@%s`?", s, s)
		}
	}
	g := &GroupStep{Properties: append([]string{}, props...)}
	p.req.Steps = append(p.req.Steps, g)
	for c.advanceIf("REDUCE") {
		name, rc := c.getString()
		if rc != acOK {
			// The module reports the GROUPBY count's result here (AC_OK).
			return badArgs("REDUCE", acOK)
		}
		args, rc := c.getVarArgs()
		if rc != acOK {
			return badArgs(name, rc)
		}
		red := Reducer{Name: name, Args: append([]string{}, args...)}
		if c.advanceIf("AS") {
			alias, rc := c.getString()
			if rc != acOK {
				return badArgs("AS", rc)
			}
			red.Alias = alias
		} else {
			red.Alias, red.Generated = GeneratedAlias(name, args), true
		}
		g.Reducers = append(g.Reducers, red)
	}
	return nil
}

// GeneratedAlias is the module's name for a reducer without AS
// (getReducerAlias): "__generated_alias" + name + the arguments with their
// leading '@'s removed, joined by ',', all lower-cased (ASCII, as sdstolower).
func GeneratedAlias(name string, args []string) string {
	var b strings.Builder
	b.WriteString("__generated_alias")
	b.WriteString(name)
	for i, a := range args {
		b.WriteString(strings.TrimLeft(a, "@"))
		if i < len(args)-1 {
			b.WriteByte(',')
		}
	}
	return asciiLower(b.String())
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

func (p *parser) parseApplyOrFilter(isApply bool) error {
	c := &p.c
	expr, rc := c.getString()
	if rc != acOK {
		return badArgs("APPLY/FILTER", rc)
	}
	if !isApply {
		p.req.Steps = append(p.req.Steps, &FilterStep{Expr: expr})
		return nil
	}
	st := &ApplyStep{Expr: expr, Alias: expr}
	if c.advanceIf("AS") {
		alias, rc := c.getString()
		if rc != acOK {
			return errf("AS needs argument")
		}
		st.Alias = alias
	}
	p.req.Steps = append(p.req.Steps, st)
	return nil
}

func (p *parser) parseLoad() error {
	c := &p.c
	fields, rc := c.getVarArgs()
	star := false
	if rc == acParse {
		s, rc2 := c.getString()
		if rc2 != acOK {
			return badArgs("LOAD", rc2)
		}
		if s != "*" {
			return errf("Bad arguments for LOAD: Expected number of fields or `*`")
		}
		star, p.loadAll = true, true
	} else if rc != acOK {
		return badArgs("LOAD", rc)
	}
	p.req.Steps = append(p.req.Steps, &LoadStep{Args: append([]string{}, fields...), All: p.loadAll, Star: star})
	return nil
}

// LoadField is one LOAD property: Path is what is read (without '@'),
// Name what it is called in the row.
type LoadField struct{ Path, Name string }

// Fields splits the LOAD arguments into fields, with the errors the module
// gives when it builds the pipeline.
func (l *LoadStep) Fields() ([]LoadField, error) {
	var out []LoadField
	for i := 0; i < len(l.Args); {
		path := strings.TrimPrefix(l.Args[i], "@")
		i++
		name := path
		if i < len(l.Args) && strings.EqualFold(l.Args[i], "AS") {
			i++
			if i >= len(l.Args) {
				return nil, errf("LOAD path AS name - must be accompanied with NAME")
			}
			name = l.Args[i]
			i++
			if strings.EqualFold(name, "AS") {
				return nil, errf("Alias for LOAD cannot be `AS`")
			}
		}
		out = append(out, LoadField{Path: path, Name: name})
	}
	return out, nil
}
