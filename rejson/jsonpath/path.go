// Package jsonpath parses and evaluates the JSON module's two path
// languages over jsonv documents, with RedisJSON's semantics:
//
//   - JSONPath, starting with "$": member names (".a", "['a']", "[\"a\"]"),
//     wildcards (".*", "[*]"), recursive descent ("..a", "..*", "..[0]"),
//     indices (negative from the end), slices "[start:end:step]", unions
//     ("[0,2]", "['a','b']") and filters "[?(@.a>1 && @.b=="x")]" with
//     == != < <= > >= =~ (regular expression, unanchored), && and ||,
//     parentheses, relative "@" and absolute "$" paths and literals;
//   - the legacy paths of RedisJSON 1 (".a.b", "a", ".", "[0]", '["x"]'),
//     read as the JSONPath "$" + path; a legacy path selects one value.
//
// It imports neither server nor resp.
package jsonpath

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/rejson/jsonv"
)

// Path is a parsed path.
type Path struct {
	// Legacy is a path of RedisJSON 1's syntax (no leading "$").
	Legacy bool
	src    string
	norm   string
	steps  []step
}

type stepKind uint8

const (
	stepName stepKind = iota
	stepWild
	stepIndex
	stepSlice
	stepFilter
)

type step struct {
	kind    stepKind
	descend bool // ".." before the step
	names   []string
	idx     []int
	slice   [3]int
	has     [3]bool // which slice bounds were given
	filter  expr
}

// String is the path as given.
func (p *Path) String() string { return p.src }

// Normalized is the path as a JSONPath: a legacy path with its "$"
// ("$.a" for ".a" or "a", "$" for "."), as RedisJSON names it in most of
// its errors.
func (p *Path) Normalized() string { return p.norm }

// IsRoot is the path "$" (or the legacy ".").
func (p *Path) IsRoot() bool { return len(p.steps) == 0 }

// Static reports a path of member names and indices only (a definite
// single location), as RedisJSON requires to create a member.
func (p *Path) Static() bool {
	for _, s := range p.steps {
		if s.descend || !(s.kind == stepName && len(s.names) == 1 || s.kind == stepIndex && len(s.idx) == 1) {
			return false
		}
	}
	return true
}

// Parent is the path without its last step, and the last step's member
// name (ok false when the last step is not a single name).
func (p *Path) Parent() (parent *Path, name string, isName bool) {
	if len(p.steps) == 0 {
		return nil, "", false
	}
	last := p.steps[len(p.steps)-1]
	q := &Path{Legacy: p.Legacy, src: p.src, steps: p.steps[:len(p.steps)-1]}
	if last.kind == stepName && len(last.names) == 1 {
		return q, last.names[0], true
	}
	return q, "", false
}

// Error is a path syntax error, worded as the module's path compiler
// words it (json_path.rs compile): the position in the path (as a
// JSONPath: "$" or "$." before a legacy path), the path split there, and
// what its grammar expected there (see grammarError).
type Error struct {
	Path string
	Pos  int
	Msg  string
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = "parsing error"
	}
	if e.Pos >= len(e.Path) {
		return fmt.Sprintf("Error occurred on position %d, \"%s <<<<----\", %s.", e.Pos, e.Path, msg)
	}
	return fmt.Sprintf("Error occurred on position %d, \"%s ---->>>> %s\", %s.", e.Pos, e.Path[:e.Pos], e.Path[e.Pos:], msg)
}

// Parse parses a JSONPath ("$…") or a legacy path. A path the module's
// grammar rejects gets the module's error; one it accepts but this parser
// does not would get the same wording without the expected rules.
func Parse(s string) (*Path, error) {
	p := &Path{src: s}
	src := s
	if !strings.HasPrefix(s, "$") {
		// The module's legacy path as a JSONPath (redisjson.rs Path::new).
		p.Legacy = true
		switch {
		case s == ".":
			src = "$"
		case strings.HasPrefix(s, "."):
			src = "$" + s
		default:
			src = "$." + s
		}
	}
	p.norm = src
	if err := grammarError(src); err != nil {
		return nil, err
	}
	ps := &pathParser{s: src}
	ps.i = 1
	steps, err := ps.steps(false)
	if err != nil {
		return nil, err
	}
	if ps.i != len(ps.s) {
		return nil, ps.err()
	}
	p.steps = steps
	return p, nil
}

type pathParser struct {
	s string
	i int
}

func (ps *pathParser) err() error {
	return &Error{Path: ps.s, Pos: min(ps.i, len(ps.s))}
}

func (ps *pathParser) spaces() {
	for ps.i < len(ps.s) && ps.s[ps.i] == ' ' {
		ps.i++
	}
}

func (ps *pathParser) ws() {
	for ps.i < len(ps.s) && (ps.s[ps.i] == ' ' || ps.s[ps.i] == '\t') {
		ps.i++
	}
}

// isNameByte: a byte of the grammar's literal (a dotted member name).
func isNameByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("-_`~+#%$^/:", c) >= 0
}

// steps parses steps until the end or, inFilter, an operator.
func (ps *pathParser) steps(inFilter bool) ([]step, error) {
	var steps []step
	for {
		// The grammar's WHITESPACE (" ") may stand between any two tokens
		// of its non-atomic rules: "$ .a", "$. a", "$.a [0]".
		ps.spaces()
		if ps.i >= len(ps.s) {
			break
		}
		c := ps.s[ps.i]
		descend := false
		switch c {
		case '.':
			ps.i++
			if ps.i < len(ps.s) && ps.s[ps.i] == '.' {
				descend = true
				ps.i++
			}
			ps.spaces()
			if ps.i >= len(ps.s) {
				return nil, ps.err()
			}
			if ps.s[ps.i] == '[' { // "$.[0]" is "$[0]"
				st, err := ps.bracket()
				if err != nil {
					return nil, err
				}
				st.descend = descend
				steps = append(steps, st)
				continue
			}
			if ps.s[ps.i] == '*' {
				ps.i++
				steps = append(steps, step{kind: stepWild, descend: descend})
				continue
			}
			start := ps.i
			for ps.i < len(ps.s) && isNameByte(ps.s[ps.i]) {
				ps.i++
			}
			if ps.i == start {
				return nil, ps.err()
			}
			steps = append(steps, step{kind: stepName, descend: descend, names: []string{ps.s[start:ps.i]}})
		case '[':
			st, err := ps.bracket()
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
		default:
			if inFilter {
				return steps, nil
			}
			return nil, ps.err()
		}
	}
	return steps, nil
}

func (ps *pathParser) quoted() (string, error) {
	// The module unescapes only "\\" and the quote itself; any other
	// backslash stays as it is.
	q := ps.s[ps.i]
	ps.i++
	var b strings.Builder
	for ps.i < len(ps.s) {
		c := ps.s[ps.i]
		if c == q {
			ps.i++
			return b.String(), nil
		}
		if c == '\\' && ps.i+1 < len(ps.s) && (ps.s[ps.i+1] == '\\' || ps.s[ps.i+1] == q) {
			ps.i++
			c = ps.s[ps.i]
		}
		b.WriteByte(c)
		ps.i++
	}
	return "", ps.err()
}

func (ps *pathParser) int() (int, bool) {
	start := ps.i
	if ps.i < len(ps.s) && ps.s[ps.i] == '-' {
		ps.i++
	}
	for ps.i < len(ps.s) && ps.s[ps.i] >= '0' && ps.s[ps.i] <= '9' {
		ps.i++
	}
	n, err := strconv.Atoi(ps.s[start:ps.i])
	if err != nil {
		ps.i = start
		return 0, false
	}
	return n, true
}

// bracket parses "[...]" at ps.i.
func (ps *pathParser) bracket() (step, error) {
	ps.i++
	ps.ws()
	if ps.i >= len(ps.s) {
		return step{}, ps.err()
	}
	var st step
	switch c := ps.s[ps.i]; {
	case c == '*':
		ps.i++
		st.kind = stepWild
	case c == '\'' || c == '"':
		st.kind = stepName
		for {
			name, err := ps.quoted()
			if err != nil {
				return st, err
			}
			st.names = append(st.names, name)
			ps.ws()
			if ps.i < len(ps.s) && ps.s[ps.i] == ',' {
				ps.i++
				ps.ws()
				if ps.i < len(ps.s) && (ps.s[ps.i] == '\'' || ps.s[ps.i] == '"') {
					continue
				}
				return st, ps.err()
			}
			break
		}
	case c == '?':
		ps.i++
		ps.ws()
		if ps.i >= len(ps.s) || ps.s[ps.i] != '(' {
			return st, ps.err()
		}
		ps.i++
		e, err := ps.orExpr()
		if err != nil {
			return st, err
		}
		ps.ws()
		if ps.i >= len(ps.s) || ps.s[ps.i] != ')' {
			return st, ps.err()
		}
		ps.i++
		st.kind, st.filter = stepFilter, e
	case c == '-' || c == ':' || c >= '0' && c <= '9':
		var first int
		hasFirst := false
		if c != ':' {
			n, ok := ps.int()
			if !ok {
				return st, ps.err()
			}
			first, hasFirst = n, true
		}
		ps.ws()
		if ps.i < len(ps.s) && ps.s[ps.i] == ':' {
			st.kind = stepSlice
			st.slice[0], st.has[0] = first, hasFirst
			for k := 1; k < 3 && ps.i < len(ps.s) && ps.s[ps.i] == ':'; k++ {
				ps.i++
				ps.ws()
				if n, ok := ps.int(); ok {
					st.slice[k], st.has[k] = n, true
				}
				ps.ws()
			}
			break
		}
		st.kind = stepIndex
		st.idx = []int{first}
		for ps.i < len(ps.s) && ps.s[ps.i] == ',' {
			ps.i++
			ps.ws()
			n, ok := ps.int()
			if !ok {
				return st, ps.err()
			}
			st.idx = append(st.idx, n)
			ps.ws()
		}
	default:
		return st, ps.err()
	}
	ps.ws()
	if ps.i >= len(ps.s) || ps.s[ps.i] != ']' {
		return st, ps.err()
	}
	ps.i++
	return st, nil
}

// Filter expressions.

type expr interface {
	eval(cur, root *jsonv.Value) bool
}

type andExpr struct{ l, r expr }
type orExpr struct{ l, r expr }

func (e andExpr) eval(cur, root *jsonv.Value) bool { return e.l.eval(cur, root) && e.r.eval(cur, root) }
func (e orExpr) eval(cur, root *jsonv.Value) bool  { return e.l.eval(cur, root) || e.r.eval(cur, root) }

// term is a filter operand: a literal or a path from "@" or "$".
type term struct {
	lit    *jsonv.Value
	rel    bool
	steps  []step
	isPath bool
}

// value is the term's value: a literal, or the single value its path
// selects (nil, "invalid", when it selects none or several).
func (t *term) value(cur, root *jsonv.Value) *jsonv.Value {
	if !t.isPath {
		return t.lit
	}
	start := root
	if t.rel {
		start = cur
	}
	var out *jsonv.Value
	n := 0
	evalSteps(t.steps, start, root, nil, func(v *jsonv.Value, _ []int) { out, n = v, n+1 })
	if n != 1 {
		return nil
	}
	return out
}

type cmpExpr struct {
	l, r *term
	op   string
	re   *regexp.Regexp
}

func (e *cmpExpr) eval(cur, root *jsonv.Value) bool {
	l := e.l.value(cur, root)
	if e.op == "" { // existence: the path selects exactly one value
		return l != nil
	}
	return compare(l, e.r.value(cur, root), e.r.isPath, e.op, e.re)
}

// compare is the module's comparison of two filter terms: numbers (an
// integer and a float as numbers), strings, booleans (false < true) and
// nulls order among their kind; two values from paths are equal when
// deeply equal; anything else (an invalid term, arrays, objects, mixed
// kinds) is unordered: every operator is false but "!=". "=~" needs a
// string value from a path on the left and a pattern (a literal, or a
// string from a path) on the right; a pattern that does not compile
// matches nothing.
func compare(l, r *jsonv.Value, rPath bool, op string, re *regexp.Regexp) bool {
	if op == "=~" {
		if l == nil || r == nil || l.Kind() != jsonv.String || r.Kind() != jsonv.String {
			return false
		}
		if re == nil {
			if !rPath {
				return false // a literal that did not compile
			}
			rx, err := regexp.Compile(r.Str())
			if err != nil {
				return false
			}
			re = rx
		}
		return re.MatchString(l.Str())
	}
	c, ok := order(l, r, rPath)
	if !ok {
		return op == "!="
	}
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// order compares two terms (ok false when they are unordered).
func order(l, r *jsonv.Value, rPath bool) (int, bool) {
	if l == nil || r == nil {
		return 0, false
	}
	switch {
	case l.IsNumber() && r.IsNumber():
		if l.Kind() == jsonv.Int && r.Kind() == jsonv.Int {
			return cmpOrd(l.IntVal(), r.IntVal()), true
		}
		return cmpOrd(l.FloatVal(), r.FloatVal()), true
	case l.Kind() != r.Kind():
		return 0, false
	case l.Kind() == jsonv.String:
		return strings.Compare(l.Str(), r.Str()), true
	case l.Kind() == jsonv.Bool:
		return cmpOrd(b2i(l.Bool()), b2i(r.Bool())), true
	case l.Kind() == jsonv.Null:
		return 0, true
	}
	// Arrays and objects: equal or not, and only between two path values.
	if rPath && jsonv.Equal(l, r) {
		return 0, true
	}
	return 0, false
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cmpOrd[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (ps *pathParser) orExpr() (expr, error) {
	l, err := ps.andExpr()
	if err != nil {
		return nil, err
	}
	for {
		ps.ws()
		if !strings.HasPrefix(ps.s[ps.i:], "||") {
			return l, nil
		}
		ps.i += 2
		r, err := ps.andExpr()
		if err != nil {
			return nil, err
		}
		l = orExpr{l, r}
	}
}

func (ps *pathParser) andExpr() (expr, error) {
	l, err := ps.primary()
	if err != nil {
		return nil, err
	}
	for {
		ps.ws()
		if !strings.HasPrefix(ps.s[ps.i:], "&&") {
			return l, nil
		}
		ps.i += 2
		r, err := ps.primary()
		if err != nil {
			return nil, err
		}
		l = andExpr{l, r}
	}
}

var ops = []string{"==", "!=", "<=", ">=", "=~", "<", ">"}

func (ps *pathParser) primary() (expr, error) {
	ps.ws()
	if ps.i < len(ps.s) && ps.s[ps.i] == '(' {
		ps.i++
		e, err := ps.orExpr()
		if err != nil {
			return nil, err
		}
		ps.ws()
		if ps.i >= len(ps.s) || ps.s[ps.i] != ')' {
			return nil, ps.err()
		}
		ps.i++
		return e, nil
	}
	l, err := ps.term()
	if err != nil {
		return nil, err
	}
	ps.ws()
	for _, op := range ops {
		if strings.HasPrefix(ps.s[ps.i:], op) {
			ps.i += len(op)
			r, err := ps.term()
			if err != nil {
				return nil, err
			}
			e := &cmpExpr{l: l, r: r, op: op}
			if op == "=~" && !r.isPath {
				if re, err := regexp.Compile(r.lit.Str()); err == nil {
					e.re = re
				}
			}
			return e, nil
		}
	}
	// A lone term is a test that holds unless the term is invalid
	// (json_path.rs evaluate_single_filter): a path selecting exactly one
	// value, and any literal, "[?(1)]" or "[?(false)]" alike, always.
	return &cmpExpr{l: l}, nil
}

func (ps *pathParser) term() (*term, error) {
	ps.ws()
	if ps.i >= len(ps.s) {
		return nil, ps.err()
	}
	c := ps.s[ps.i]
	switch {
	case c == '@' || c == '$':
		ps.i++
		steps, err := ps.steps(true)
		if err != nil {
			return nil, err
		}
		return &term{isPath: true, rel: c == '@', steps: steps}, nil
	case c == '\'' || c == '"':
		s, err := ps.quoted()
		if err != nil {
			return nil, err
		}
		v := jsonv.NewString(s)
		return &term{lit: &v}, nil
	case c == '-' || c >= '0' && c <= '9':
		start := ps.i
		ps.i++
		for ps.i < len(ps.s) && strings.IndexByte("0123456789.eE+-", ps.s[ps.i]) >= 0 {
			ps.i++
		}
		v, err := jsonv.Parse(ps.s[start:ps.i])
		if err != nil || !v.IsNumber() {
			ps.i = start
			return nil, ps.err()
		}
		return &term{lit: &v}, nil
	}
	for _, w := range []string{"true", "false", "null"} {
		if strings.HasPrefix(ps.s[ps.i:], w) {
			ps.i += len(w)
			v, _ := jsonv.Parse(w)
			return &term{lit: &v}, nil
		}
	}
	return nil, ps.err()
}

// Evaluation.

// Eval calls fn for each value the path selects in root, in RedisJSON's
// order, with its location: the member positions (array index or object
// key position) from the root.
func (p *Path) Eval(root *jsonv.Value, fn func(v *jsonv.Value, loc []int)) {
	evalSteps(p.steps, root, root, nil, fn)
}

// Values are the values the path selects.
func (p *Path) Values(root *jsonv.Value) []*jsonv.Value {
	var out []*jsonv.Value
	p.Eval(root, func(v *jsonv.Value, _ []int) { out = append(out, v) })
	return out
}

// Match is a selected value and its location.
type Match struct {
	V   *jsonv.Value
	Loc []int
}

// Matches are the values the path selects, with their locations (each
// its own slice).
func (p *Path) Matches(root *jsonv.Value) []Match {
	var out []Match
	p.Eval(root, func(v *jsonv.Value, loc []int) {
		out = append(out, Match{V: v, Loc: append([]int(nil), loc...)})
	})
	return out
}

// At is the value at a location, with its parent (nil for the root) and
// its position in the parent.
func At(root *jsonv.Value, loc []int) (v, parent *jsonv.Value, pos int) {
	v, pos = root, -1
	for _, i := range loc {
		parent, pos = v, i
		v = v.Index(i)
	}
	return v, parent, pos
}

func evalSteps(steps []step, cur, root *jsonv.Value, loc []int, fn func(*jsonv.Value, []int)) {
	if len(steps) == 0 {
		fn(cur, loc)
		return
	}
	st := &steps[0]
	if st.descend {
		descend(st, steps[1:], cur, root, loc, fn)
		return
	}
	apply(st, cur, root, loc, func(v *jsonv.Value, l []int) { evalSteps(steps[1:], v, root, l, fn) })
}

// descend applies st to cur and to every value under it, pre-order.
func descend(st *step, rest []step, cur, root *jsonv.Value, loc []int, fn func(*jsonv.Value, []int)) {
	apply(st, cur, root, loc, func(v *jsonv.Value, l []int) { evalSteps(rest, v, root, l, fn) })
	k := cur.Kind()
	if k != jsonv.Array && k != jsonv.Object {
		return
	}
	for i := 0; i < cur.Len(); i++ {
		descend(st, rest, cur.Index(i), root, append(loc, i), fn)
	}
}

// normIndex is the module's index: a negative one counts from the end
// and stops at the first element ([-10] of 3 elements is [0]).
func normIndex(i, n int) (int, bool) {
	if i < 0 {
		i = max(i+n, 0)
	}
	return i, i < n
}

func apply(st *step, cur, root *jsonv.Value, loc []int, fn func(*jsonv.Value, []int)) {
	k := cur.Kind()
	switch st.kind {
	case stepName:
		if k != jsonv.Object {
			return
		}
		for _, name := range st.names {
			if v, i := cur.Lookup(name); v != nil {
				fn(v, append(loc, i))
			}
		}
	case stepWild:
		if k != jsonv.Array && k != jsonv.Object {
			return
		}
		for i := 0; i < cur.Len(); i++ {
			fn(cur.Index(i), append(loc, i))
		}
	case stepIndex:
		if k != jsonv.Array {
			return
		}
		for _, i := range st.idx {
			if j, ok := normIndex(i, cur.Len()); ok {
				fn(cur.Index(j), append(loc, j))
			}
		}
	case stepSlice:
		if k != jsonv.Array {
			return
		}
		n := cur.Len()
		start, end, stepN := 0, n, 1
		if st.has[0] {
			start = clampSlice(st.slice[0], n)
		}
		if st.has[1] {
			end = clampSlice(st.slice[1], n)
		}
		if st.has[2] {
			stepN = st.slice[2]
		}
		if stepN <= 0 {
			return
		}
		for i := start; i < end; i += stepN {
			fn(cur.Index(i), append(loc, i))
		}
	case stepFilter:
		if k != jsonv.Array && k != jsonv.Object {
			// A scalar is tested itself and stays where it is
			// (json_path.rs calc_internal, Rule::filter).
			if st.filter.eval(cur, root) {
				fn(cur, loc)
			}
			return
		}
		for i := 0; i < cur.Len(); i++ {
			if st.filter.eval(cur.Index(i), root) {
				fn(cur.Index(i), append(loc, i))
			}
		}
	}
}

func clampSlice(i, n int) int {
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	return i
}

// ErrNotStatic is returned where a path must name one location.
var ErrNotStatic = errors.New("Err wrong static path")
