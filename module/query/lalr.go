package query

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// This file builds LALR(1) tables from the real module's Lemon grammars
// (v1/parser.y, v2/parser.y) and runs them. The module's syntax errors
// ("Syntax error at offset N near X") come from where its Lemon parser gets
// stuck, which depends on the grammar's precedence-resolved conflicts, so
// the tables are built with Lemon's conflict rules rather than hand-coding
// the language.

type assoc int

const (
	assocLeft assoc = iota
	assocRight
	assocNone
)

type precInfo struct {
	level int
	assoc assoc
}

// reduceFunc builds a rule's value from its right-hand side values.
type reduceFunc func(p *parseState, rhs []any) (any, error)

type rule struct {
	lhs    int
	rhs    []int
	prec   int // precedence level, -1 when none
	action reduceFunc
	text   string
}

type grammar struct {
	names     []string
	ids       map[string]int
	nTerms    int // terminals are ids [0, nTerms); 0 is end of input
	prec      map[int]precInfo
	fallback  map[int]int
	rules     []rule
	kindToSym map[tokenKind]int

	// tables
	action [][]int // per state, per terminal: >0 shift to state-1... see encode
	gotoNT [][]int // per state, per nonterminal (id - nTerms): target state or -1
}

const (
	actError  = 0
	actAccept = -1 << 30
)

// encoding: shift to s is s+1 (>0); reduce by rule r is -(r+1); accept; 0 error.

type grammarBuilder struct {
	g       *grammar
	level   int
	pending []pendingRule
}

type pendingRule struct {
	lhs, rhs, precSym string
	action            reduceFunc
}

func newGrammarBuilder(terminals ...string) *grammarBuilder {
	b := &grammarBuilder{g: &grammar{ids: map[string]int{}, prec: map[int]precInfo{}, fallback: map[int]int{}, kindToSym: map[tokenKind]int{}}}
	b.g.names = append(b.g.names, "$")
	b.g.ids["$"] = 0
	for _, t := range terminals {
		b.g.ids[t] = len(b.g.names)
		b.g.names = append(b.g.names, t)
	}
	b.g.nTerms = len(b.g.names)
	return b
}

func (b *grammarBuilder) sym(name string) int {
	id, ok := b.g.ids[name]
	if !ok {
		panic("query grammar: unknown terminal " + name)
	}
	return id
}

// precedence declares one %left/%right line; later lines bind tighter.
func (b *grammarBuilder) precedence(a assoc, terms ...string) {
	b.level++
	for _, t := range terms {
		b.g.prec[b.sym(t)] = precInfo{level: b.level, assoc: a}
	}
}

// rule adds `lhs ::= rhs . [precSym]`.
func (b *grammarBuilder) rule(lhs, rhs, precSym string, action reduceFunc) {
	b.pending = append(b.pending, pendingRule{lhs, rhs, precSym, action})
}

func (b *grammarBuilder) build() *grammar {
	g := b.g
	ntID := func(name string) int {
		if id, ok := g.ids[name]; ok {
			return id
		}
		g.ids[name] = len(g.names)
		g.names = append(g.names, name)
		return g.ids[name]
	}
	ntID("$start")
	for _, pr := range b.pending {
		ntID(pr.lhs)
	}
	g.rules = append(g.rules, rule{lhs: g.ids["$start"], rhs: []int{g.ids[b.pending[0].lhs]}, prec: -1, text: "$start ::= " + b.pending[0].lhs})
	for _, pr := range b.pending {
		r := rule{lhs: g.ids[pr.lhs], prec: -1, action: pr.action, text: pr.lhs + " ::= " + pr.rhs}
		for _, s := range strings.Fields(pr.rhs) {
			id, ok := g.ids[s]
			if !ok {
				panic("query grammar: unknown symbol " + s + " in " + r.text)
			}
			r.rhs = append(r.rhs, id)
		}
		if pr.precSym != "" {
			r.prec = g.prec[b.sym(pr.precSym)].level
		} else {
			for _, s := range r.rhs {
				if p, ok := g.prec[s]; ok && s < g.nTerms {
					r.prec = p.level
					break
				}
			}
		}
		g.rules = append(g.rules, r)
	}
	if g.nTerms > 64 {
		panic("query grammar: too many terminals for the lookahead bitset")
	}
	g.buildTables()
	return g
}

type item struct{ rule, dot int }

type lrState struct {
	items []item       // kernel first, then closure
	index map[item]int // item -> position in items
	la    []uint64     // lookahead per item
	trans map[int]int  // symbol -> state
}

func (g *grammar) buildTables() {
	nSyms := len(g.names)
	rulesOf := make([][]int, nSyms)
	for i, r := range g.rules {
		rulesOf[r.lhs] = append(rulesOf[r.lhs], i)
	}
	// nullable and FIRST sets
	nullable := make([]bool, nSyms)
	first := make([]uint64, nSyms)
	for t := 0; t < g.nTerms; t++ {
		first[t] = 1 << uint(t)
	}
	for changed := true; changed; {
		changed = false
		for _, r := range g.rules {
			allNull := true
			for _, s := range r.rhs {
				if first[r.lhs]|first[s] != first[r.lhs] {
					first[r.lhs] |= first[s]
					changed = true
				}
				if !nullable[s] {
					allNull = false
					break
				}
			}
			if allNull && !nullable[r.lhs] {
				nullable[r.lhs] = true
				changed = true
			}
		}
	}
	firstOfSeq := func(seq []int, tail uint64) uint64 {
		var f uint64
		for _, s := range seq {
			f |= first[s]
			if !nullable[s] {
				return f
			}
		}
		return f | tail
	}

	closure := func(kernel []item) *lrState {
		st := &lrState{index: map[item]int{}, trans: map[int]int{}}
		add := func(it item) {
			if _, ok := st.index[it]; !ok {
				st.index[it] = len(st.items)
				st.items = append(st.items, it)
			}
		}
		for _, it := range kernel {
			add(it)
		}
		for i := 0; i < len(st.items); i++ {
			it := st.items[i]
			r := g.rules[it.rule]
			if it.dot < len(r.rhs) && r.rhs[it.dot] >= g.nTerms {
				for _, ri := range rulesOf[r.rhs[it.dot]] {
					add(item{ri, 0})
				}
			}
		}
		st.la = make([]uint64, len(st.items))
		return st
	}
	kernelKey := func(k []item) string {
		sort.Slice(k, func(i, j int) bool {
			if k[i].rule != k[j].rule {
				return k[i].rule < k[j].rule
			}
			return k[i].dot < k[j].dot
		})
		var sb strings.Builder
		for _, it := range k {
			fmt.Fprintf(&sb, "%d.%d,", it.rule, it.dot)
		}
		return sb.String()
	}

	states := []*lrState{closure([]item{{0, 0}})}
	byKernel := map[string]int{kernelKey([]item{{0, 0}}): 0}
	for si := 0; si < len(states); si++ {
		st := states[si]
		next := map[int][]item{}
		var order []int
		for _, it := range st.items {
			r := g.rules[it.rule]
			if it.dot < len(r.rhs) {
				s := r.rhs[it.dot]
				if _, ok := next[s]; !ok {
					order = append(order, s)
				}
				next[s] = append(next[s], item{it.rule, it.dot + 1})
			}
		}
		for _, s := range order {
			k := next[s]
			key := kernelKey(k)
			target, ok := byKernel[key]
			if !ok {
				target = len(states)
				byKernel[key] = target
				states = append(states, closure(k))
			}
			st.trans[s] = target
		}
	}

	// LALR(1) lookaheads by propagation to a fixed point.
	states[0].la[0] = 1 // end of input
	for changed := true; changed; {
		changed = false
		for _, st := range states {
			for inner := true; inner; {
				inner = false
				for i, it := range st.items {
					r := g.rules[it.rule]
					if it.dot >= len(r.rhs) || r.rhs[it.dot] < g.nTerms {
						continue
					}
					f := firstOfSeq(r.rhs[it.dot+1:], st.la[i])
					for _, ri := range rulesOf[r.rhs[it.dot]] {
						j := st.index[item{ri, 0}]
						if st.la[j]|f != st.la[j] {
							st.la[j] |= f
							inner = true
						}
					}
				}
			}
			for i, it := range st.items {
				r := g.rules[it.rule]
				if it.dot >= len(r.rhs) {
					continue
				}
				t := states[st.trans[r.rhs[it.dot]]]
				j := t.index[item{it.rule, it.dot + 1}]
				if t.la[j]|st.la[i] != t.la[j] {
					t.la[j] |= st.la[i]
					changed = true
				}
			}
		}
	}

	// Action tables with Lemon's conflict resolution.
	g.action = make([][]int, len(states))
	g.gotoNT = make([][]int, len(states))
	for si, st := range states {
		acts := make([]int, g.nTerms)
		gotos := make([]int, nSyms-g.nTerms)
		for i := range gotos {
			gotos[i] = -1
		}
		for s, t := range st.trans {
			if s >= g.nTerms {
				gotos[s-g.nTerms] = t
			}
		}
		for t := 0; t < g.nTerms; t++ {
			shift := -1
			if target, ok := st.trans[t]; ok {
				shift = target
			}
			var reduces []int
			for i, it := range st.items {
				if it.dot == len(g.rules[it.rule].rhs) && st.la[i]&(1<<uint(t)) != 0 {
					reduces = append(reduces, it.rule)
				}
			}
			sort.Ints(reduces)
			acts[t] = g.resolve(t, shift, reduces)
		}
		g.action[si] = acts
		g.gotoNT[si] = gotos
	}
}

// resolve picks the action for lookahead t the way Lemon's resolve_conflict
// does: shift/reduce by precedence and associativity (shift when either
// side has no precedence), reduce/reduce by precedence, else the earlier rule.
func (g *grammar) resolve(t, shift int, reduces []int) int {
	if shift < 0 && len(reduces) == 0 {
		return actError
	}
	tokPrec, tokHas := g.prec[t]
	if shift >= 0 {
		for _, r := range reduces {
			rp := g.rules[r].prec
			if !tokHas || rp < 0 {
				continue // shift wins, the reduce is dropped
			}
			switch {
			case tokPrec.level > rp:
				continue
			case tokPrec.level < rp:
				shift = -1
			default:
				switch tokPrec.assoc {
				case assocRight:
					continue
				case assocLeft:
					shift = -1
				default:
					return actError
				}
			}
			if shift < 0 {
				return g.encodeReduce(r)
			}
		}
		return shift + 1
	}
	best := reduces[0]
	for _, r := range reduces[1:] {
		bp, rp := g.rules[best].prec, g.rules[r].prec
		if bp >= 0 && rp >= 0 && rp > bp {
			best = r
		}
	}
	return g.encodeReduce(best)
}

func (g *grammar) encodeReduce(r int) int {
	if r == 0 {
		return actAccept
	}
	return -(r + 1)
}

type stackEntry struct {
	state int
	value any
}

// parser runs a grammar's tables over tokens.
type parser struct {
	g     *grammar
	stack []stackEntry
	ps    *parseState
	// toks holds the shifted tokens, which the stack refers to by
	// pointer (a token in an interface would be an allocation each), and
	// args is a reduction's arguments; no rule action keeps either.
	toks []token
	args []any
}

func newParser(g *grammar, ps *parseState) *parser {
	p, _ := parsers.Get().(*parser)
	if p == nil {
		// Room for a usual query's depth and tokens at once.
		p = &parser{stack: make([]stackEntry, 1, 16), toks: make([]token, 0, 16), args: make([]any, 0, 8)}
	}
	p.g, p.ps = g, ps
	p.stack = p.stack[:1]
	p.stack[0] = stackEntry{}
	return p
}

// parsers recycles a parser's stack, tokens and arguments from one parse to
// the next: nothing a parse returns refers to them (rule actions copy the
// tokens they keep).
var parsers sync.Pool

// release returns the parser to the pool; the caller is done with it.
func (p *parser) release() {
	clear(p.stack[:cap(p.stack)])
	clear(p.toks[:cap(p.toks)])
	clear(p.args[:cap(p.args)])
	p.toks, p.args = p.toks[:0], p.args[:0]
	p.g, p.ps = nil, nil
	parsers.Put(p)
}

// errAccepted is what feed returns once the end-of-input token completes the parse.
var errAccepted = &Error{Msg: "accepted"}

// feed processes one token. It returns a syntax or semantic error, or
// errAccepted after the end-of-input token completes the parse.
func (p *parser) feed(tok token) error {
	g := p.g
	sym := tok.sym
	for {
		st := p.stack[len(p.stack)-1].state
		act := g.action[st][sym]
		if act == actError {
			if fb, ok := g.fallback[sym]; ok && g.action[st][fb] != actError {
				sym = fb
				continue
			}
			return syntaxError(tok)
		}
		switch {
		case act == actAccept:
			return errAccepted
		case act > 0:
			// An append that moves toks leaves the earlier pointers on
			// the old array, whose tokens stay as they were.
			p.toks = append(p.toks, tok)
			p.stack = append(p.stack, stackEntry{state: act - 1, value: &p.toks[len(p.toks)-1]})
			return nil
		default:
			r := g.rules[-act-1]
			n := len(r.rhs)
			args := p.args[:0]
			for i := 0; i < n; i++ {
				args = append(args, p.stack[len(p.stack)-n+i].value)
			}
			p.args = args
			p.stack = p.stack[:len(p.stack)-n]
			var v any
			if r.action != nil {
				var err error
				if v, err = r.action(p.ps, args); err != nil {
					return err
				}
			}
			top := p.stack[len(p.stack)-1].state
			next := g.gotoNT[top][r.lhs-g.nTerms]
			if next < 0 {
				return syntaxError(tok)
			}
			p.stack = append(p.stack, stackEntry{state: next, value: v})
		}
	}
}

func syntaxError(tok token) *Error {
	return newError("Syntax error at offset %d near %s", tok.pos, tok.text)
}
