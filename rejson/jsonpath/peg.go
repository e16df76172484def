package jsonpath

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// The module compiles a JSONPath with a pest parser (json_path's
// grammar.pest) and, on a syntax error, words the error from pest's
// report: the furthest position any grammar rule was tried at and the
// rules that were expected there (json_path.rs compile). To give the same
// words, the grammar is written out below as data and run by a small PEG
// interpreter that tracks attempts exactly as pest's ParserState does
// (rule / track): a failed rule is recorded at its start position when
// that is the furthest so far; a rule whose children recorded exactly one
// attempt leaves that child's name; one whose children recorded several
// (or none) replaces them with its own name; atomic rules (@{}) record
// only themselves; silent rules (_{}) and string literals never record.
// The report lists the recorded rules in the grammar's declaration order
// (pest sorts its Rule enum, EOI first), each by json_path's Display for
// Rule.
//
// The grammar is RedisJSON 8.2's filter language: the comparison
// operators and && || with parentheses, terms from "@" and "$", numbers,
// strings, booleans and null (later json_path versions add in/nin,
// functions and arithmetic, not here).

type pegKind uint8

const (
	pLit   pegKind = iota // a string
	pRange                // one byte in [lo, hi]
	pSeq                  // e1 ~ e2 ~ ...
	pAlt                  // e1 | e2 | ...
	pOpt                  // e?
	pStar                 // e*
	pPlus                 // e+
	pNot                  // !e
	pRef                  // a rule
	pAny                  // ANY
	pEnd                  // end of input (the body of EOI)
)

type pexpr struct {
	kind   pegKind
	s      string
	lo, hi byte
	subs   []*pexpr
	rule   int
}

type ruleType uint8

const (
	rNormal ruleType = iota
	rSilent
	rAtomic
)

type pegRule struct {
	name, display string
	typ           ruleType
	body          *pexpr
}

func lit(s string) *pexpr    { return &pexpr{kind: pLit, s: s} }
func rng(lo, hi byte) *pexpr { return &pexpr{kind: pRange, lo: lo, hi: hi} }
func seq(e ...*pexpr) *pexpr { return &pexpr{kind: pSeq, subs: e} }
func alt(e ...*pexpr) *pexpr { return &pexpr{kind: pAlt, subs: e} }
func opt(e *pexpr) *pexpr    { return &pexpr{kind: pOpt, subs: []*pexpr{e}} }
func star(e *pexpr) *pexpr   { return &pexpr{kind: pStar, subs: []*pexpr{e}} }
func plus(e *pexpr) *pexpr   { return &pexpr{kind: pPlus, subs: []*pexpr{e}} }
func not(e *pexpr) *pexpr    { return &pexpr{kind: pNot, subs: []*pexpr{e}} }
func anyChar() *pexpr        { return &pexpr{kind: pAny} }
func lits(ss ...string) (out *pexpr) { // "a" | "b" | ...
	e := make([]*pexpr, len(ss))
	for i, s := range ss {
		e[i] = lit(s)
	}
	return alt(e...)
}

// grammar is json_path's grammar.pest, rules in declaration order (the
// order of pest's Rule enum, EOI first).
var grammar []pegRule

var ruleIdx = map[string]int{}

func ref(name string) *pexpr { return &pexpr{kind: pRef, rule: ruleIdx[name]} }

// rulesDecl declares the rules (so refs resolve) before their bodies.
var rulesDecl = []struct {
	name, display string
	typ           ruleType
}{
	{"EOI", "EOI", rNormal},
	{"literal", "<string>", rAtomic},
	{"string", "", rSilent},
	{"string_escape", "", rAtomic},
	{"string_value", "", rAtomic},
	{"string_value_escape_1", "", rAtomic},
	{"string_value_escape_2", "", rAtomic},
	{"string_list", "'<string>[,<string>,...]'", rNormal},
	{"pos_number", "", rAtomic},
	{"number", "'<number>'", rAtomic},
	{"decimal", "", rAtomic},
	{"numbers_list", "'<number>[,<number>,...]'", rNormal},
	{"numbers_range", "['start:end:steps']", rNormal},
	{"right_range", "", rNormal},
	{"all_range", "", rNormal},
	{"left_range", "", rNormal},
	{"full_range", "", rNormal},
	{"from_current", "", rNormal},
	{"from_root", "", rNormal},
	{"term", "", rSilent},
	{"op", "", rSilent},
	{"ge", "", rAtomic},
	{"gt", "", rAtomic},
	{"le", "", rAtomic},
	{"lt", "", rAtomic},
	{"eq", "", rAtomic},
	{"ne", "", rAtomic},
	{"re", "", rAtomic},
	{"boolean", "", rSilent},
	{"boolean_true", "", rAtomic},
	{"boolean_false", "", rAtomic},
	{"null", "", rAtomic},
	{"single_filter", "", rNormal},
	{"filter_relation", "", rSilent},
	{"and", "", rNormal},
	{"or", "", rNormal},
	{"inner_filter", "", rSilent},
	{"filter", "'[?(filter_expression)]'", rNormal},
	{"all", "'*'", rNormal},
	{"full_scan", "'..'", rNormal},
	{"bracket", "", rSilent},
	{"element", "", rSilent},
	{"root", "", rNormal},
	{"query", "", rSilent},
	{"WHITESPACE", "", rSilent},
}

func init() {
	grammar = make([]pegRule, len(rulesDecl))
	for i, r := range rulesDecl {
		d := r.display
		if d == "" {
			d = r.name // json_path's Display falls back to the Debug name
		}
		grammar[i] = pegRule{name: r.name, display: d, typ: r.typ}
		ruleIdx[r.name] = i
	}
	digit, nonzero := rng('0', '9'), rng('1', '9')
	// A sub-range (":" ~ pos_number) | ":", optional, ends every range.
	step := opt(alt(seq(lit(":"), ref("pos_number")), lit(":")))
	bodies := map[string]*pexpr{
		"EOI": {kind: pEnd},
		"literal": plus(alt(rng('a', 'z'), rng('A', 'Z'), digit,
			lits("-", "_", "`", "~", "+", "#", "%", "$", "^", "/", ":"))),
		"string": alt(
			seq(lit("'"), ref("string_value"), lit("'")),
			seq(lit(`"`), ref("string_value"), lit(`"`)),
			seq(lit(`"`), ref("string_value_escape_1"), lit(`"`)),
			seq(lit("'"), ref("string_value_escape_2"), lit("'"))),
		"string_escape": lit(`\`),
		"string_value":  star(plus(seq(not(lits(`"`, `\`, "'")), anyChar()))),
		"string_value_escape_1": star(alt(plus(seq(not(lits(`"`, `\`)), anyChar())),
			seq(ref("string_escape"), lits(`"`, `\`)))),
		"string_value_escape_2": star(alt(plus(seq(not(lits("'", `\`)), anyChar())),
			seq(ref("string_escape"), lits("'", `\`)))),
		"string_list":   seq(ref("string"), star(seq(lit(","), ref("string")))),
		"pos_number":    seq(nonzero, star(digit)),
		"number":        alt(seq(opt(lit("-")), nonzero, star(digit)), seq(opt(lit("-")), digit)),
		"decimal":       seq(ref("number"), opt(seq(lit("."), plus(digit)))),
		"numbers_list":  seq(ref("number"), star(seq(lit(","), ref("number")))),
		"numbers_range": alt(ref("full_range"), ref("right_range"), ref("all_range"), ref("left_range")),
		"right_range":   seq(lit(":"), ref("number"), step),
		"all_range":     seq(lit(":"), step),
		"left_range":    seq(ref("number"), lit(":"), step),
		"full_range":    seq(ref("number"), lit(":"), ref("number"), step),
		"from_current":  seq(lit("@"), opt(ref("root"))),
		"from_root":     seq(lit("$"), opt(ref("root"))),
		"term": alt(ref("from_current"), ref("from_root"), ref("decimal"), ref("string"),
			ref("boolean"), ref("null")),
		"op": alt(ref("ge"), ref("gt"), ref("le"), ref("lt"), ref("eq"), ref("ne"), ref("re")),
		"ge": lit(">="), "gt": lit(">"), "le": lit("<="), "lt": lit("<"),
		"eq": lit("=="), "ne": lit("!="), "re": lit("=~"),
		"boolean":         alt(ref("boolean_true"), ref("boolean_false")),
		"boolean_true":    lit("true"),
		"boolean_false":   lit("false"),
		"null":            lit("null"),
		"single_filter":   alt(seq(ref("term"), ref("op"), ref("term")), ref("term")),
		"filter_relation": alt(ref("and"), ref("or")),
		"and":             lit("&&"),
		"or":              lit("||"),
		"inner_filter":    alt(seq(lit("("), ref("filter"), lit(")")), ref("single_filter")),
		"filter":          seq(ref("inner_filter"), star(seq(ref("filter_relation"), ref("inner_filter")))),
		"all":             lit("*"),
		"full_scan":       lit(".."),
		"bracket": alt(ref("numbers_range"), ref("numbers_list"), ref("string_list"), ref("all"),
			seq(lit("?"), lit("("), ref("filter"), lit(")"))),
		"element": alt(
			seq(lit("."), ref("literal")),
			seq(ref("full_scan"), alt(ref("literal"), ref("all"), seq(lit("["), ref("bracket"), lit("]")))),
			seq(lit("."), ref("all")),
			seq(opt(lit(".")), lit("["), ref("bracket"), lit("]"))),
		"root":       plus(ref("element")),
		"query":      seq(lit("$"), opt(ref("root")), ref("EOI")),
		"WHITESPACE": lit(" "),
	}
	for name, b := range bodies {
		grammar[ruleIdx[name]].body = b
	}
}

// pegState is pest's attempt tracking (ParserState's attempt_pos and
// pos_attempts; negative attempts only arise in lookaheads inside atomic
// rules here, which never record).
type pegState struct {
	in       string
	atPos    int
	attempts []int
}

func (st *pegState) attemptsAt(pos int) int {
	if pos == st.atPos {
		return len(st.attempts)
	}
	return 0
}

// track is pest's ParserState::track for a failed rule r started at pos.
func (st *pegState) track(r, pos, idx, prev int) {
	cur := st.attemptsAt(pos)
	if cur > prev && cur-prev == 1 {
		return
	}
	if pos == st.atPos {
		st.attempts = st.attempts[:idx]
	}
	if pos > st.atPos {
		st.attempts = st.attempts[:0]
		st.atPos = pos
	}
	if pos == st.atPos {
		st.attempts = append(st.attempts, r)
	}
}

func (st *pegState) skip(pos int, atomic bool) int {
	if atomic {
		return pos
	}
	for pos < len(st.in) && st.in[pos] == ' ' {
		pos++
	}
	return pos
}

func (st *pegState) match(e *pexpr, pos int, atomic bool) (int, bool) {
	switch e.kind {
	case pLit:
		if strings.HasPrefix(st.in[pos:], e.s) {
			return pos + len(e.s), true
		}
		return pos, false
	case pRange:
		if pos < len(st.in) && st.in[pos] >= e.lo && st.in[pos] <= e.hi {
			return pos + 1, true
		}
		return pos, false
	case pAny:
		if pos >= len(st.in) {
			return pos, false
		}
		_, n := utf8.DecodeRuneInString(st.in[pos:])
		return pos + n, true
	case pEnd:
		return pos, pos == len(st.in)
	case pSeq:
		p := pos
		for i, s := range e.subs {
			if i > 0 {
				p = st.skip(p, atomic)
			}
			np, ok := st.match(s, p, atomic)
			if !ok {
				return pos, false
			}
			p = np
		}
		return p, true
	case pAlt:
		for _, s := range e.subs {
			if np, ok := st.match(s, pos, atomic); ok {
				return np, true
			}
		}
		return pos, false
	case pOpt:
		if np, ok := st.match(e.subs[0], pos, atomic); ok {
			return np, true
		}
		return pos, true
	case pStar, pPlus:
		// pest: e ~ (skip ~ e)* (a failed repetition gives back its skip)
		p, ok := st.match(e.subs[0], pos, atomic)
		if !ok {
			return pos, e.kind == pStar
		}
		for {
			np, ok := st.match(e.subs[0], st.skip(p, atomic), atomic)
			if !ok || np == p {
				return p, true
			}
			p = np
		}
	case pNot:
		_, ok := st.match(e.subs[0], pos, atomic)
		return pos, !ok
	case pRef:
		r := &grammar[e.rule]
		if r.typ == rSilent {
			return st.match(r.body, pos, atomic)
		}
		idx := 0
		if pos == st.atPos {
			idx = len(st.attempts)
		}
		prev := st.attemptsAt(pos)
		np, ok := st.match(r.body, pos, atomic || r.typ == rAtomic)
		if !ok && !atomic {
			st.track(e.rule, pos, idx, prev)
		}
		return np, ok
	}
	return pos, false
}

// grammarError is the module's error for a path its grammar rejects (nil
// when the grammar accepts it): json_path.rs compile's wording of pest's
// ParsingError.
func grammarError(path string) *Error {
	st := &pegState{in: path}
	if _, ok := st.match(ref("query"), 0, false); ok {
		return nil
	}
	rules := append([]int(nil), st.attempts...)
	sort.Ints(rules)
	var names []string
	for i, r := range rules {
		if i > 0 && r == rules[i-1] {
			continue
		}
		names = append(names, grammar[r].display)
	}
	msg := "parsing error"
	if len(names) > 0 {
		msg = "expected one of the following: " + strings.Join(names, ", ")
	}
	return &Error{Path: path, Pos: st.atPos, Msg: msg}
}
