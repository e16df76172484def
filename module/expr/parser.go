package expr

import (
	"fmt"
	"strings"
)

// Expr is a parsed expression. It is immutable and safe for concurrent Eval.
type Expr struct {
	root node
	src  string
}

type nodeKind uint8

const (
	nodeLiteral nodeKind = iota
	nodeProperty
	nodeParam
	nodeArith   // + - * / % ^
	nodeCompare // == != < <= > >=
	nodeLogical // && ||
	nodeNot
	nodeCall
)

type node struct {
	kind  nodeKind
	op    tokenKind
	value Value  // literal
	name  string // property, parameter or function name
	fn    *function
	args  []*node
}

// Source returns the text the expression was parsed from.
func (e *Expr) Source() string { return e.src }

// Properties lists the distinct @properties the expression reads, in order of
// first appearance (a pipeline checks them against what is loaded before it
// evaluates anything).
func (e *Expr) Properties() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n.kind == nodeProperty && !seen[n.name] {
			seen[n.name] = true
			out = append(out, n.name)
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(&e.root)
	return out
}

// String renders the parse tree with full parentheses (for tests and
// debugging; it is not the module's output).
func (e *Expr) String() string {
	var b strings.Builder
	writeNode(&b, &e.root)
	return b.String()
}

var opText = map[tokenKind]string{
	tokPlus: "+", tokMinus: "-", tokTimes: "*", tokDivide: "/", tokMod: "%", tokPow: "^",
	tokEQ: "==", tokNE: "!=", tokLT: "<", tokLE: "<=", tokGT: ">", tokGE: ">=",
	tokAnd: "&&", tokOr: "||",
}

func writeNode(b *strings.Builder, n *node) {
	switch n.kind {
	case nodeLiteral:
		switch n.value.kind {
		case KindString:
			fmt.Fprintf(b, "%q", n.value.str)
		case KindNull:
			b.WriteString("NULL")
		default:
			b.WriteString(FormatNumber(n.value.num))
		}
	case nodeProperty:
		b.WriteString("@" + n.name)
	case nodeParam:
		b.WriteString("$" + n.name)
	case nodeNot:
		b.WriteString("!")
		writeNode(b, n.args[0])
	case nodeCall:
		b.WriteString(n.name + "(")
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNode(b, a)
		}
		b.WriteString(")")
	default:
		b.WriteString("(")
		writeNode(b, n.args[0])
		b.WriteString(" " + opText[n.op] + " ")
		writeNode(b, n.args[1])
		b.WriteString(")")
	}
}

// binaryLevel is the precedence of the 2.10 grammar (parser.y): && || share
// the lowest level with the prefix !, then the comparisons, then + -, then
// * / % ^ together. Every level is left-associative, so
// "a || b && c" is "(a || b) && c" and "2 * 3 ^ 2" is "(2 * 3) ^ 2".
func binaryLevel(k tokenKind) int {
	switch k {
	case tokAnd, tokOr:
		return 1
	case tokEQ, tokNE, tokLT, tokLE, tokGT, tokGE:
		return 2
	case tokPlus, tokMinus:
		return 3
	case tokTimes, tokDivide, tokMod, tokPow:
		return 4
	}
	return 0
}

const notLevel = 1

// context says which tokens may follow a complete operand.
type context struct {
	kind byte // 't' top level, 'p' parenthesis, 'c' function call
	name string
}

type parser struct {
	toks  []token
	pos   int
	ctx   []context
	depth int
}

// maxDepth bounds the recursion on hostile input ("((((...", "!!!!..."); the
// module's parser has a bounded stack as well.
const maxDepth = 1000

// stop carries the parse error out of the recursion.
type stop struct{ err *Error }

// Parse parses an APPLY/FILTER expression. Errors are *Error with the
// module's wording: "Syntax error at offset N near 'T'", "Unknown function
// name 'f'", "Unknown symbol 's'". Argument counts are checked when a
// function runs, as in 2.10, so "substr(@t)" parses and fails in Eval.
func Parse(src string) (e *Expr, err error) {
	p := &parser{toks: lex(src), ctx: []context{{kind: 't'}}}
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(stop)
			if !ok {
				panic(r)
			}
			e, err = nil, s.err
		}
	}()
	root := p.parseExpr(1)
	if t := p.peek(); t.kind != tokEOF {
		p.syntaxError(t, "")
	}
	return &Expr{root: *root, src: src}, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) syntaxError(t token, reason string) {
	msg := fmt.Sprintf("Syntax error at offset %d near '%s'", t.pos, t.text)
	if reason != "" {
		msg += ": " + reason
	}
	panic(stop{&Error{Kind: KindSyntax, Msg: msg, Offset: t.pos}})
}

func (p *parser) parseExpr(minLevel int) *node {
	left := p.parseUnary()
	for {
		t := p.peek()
		level := binaryLevel(t.kind)
		if level == 0 || level < minLevel {
			return left
		}
		p.next()
		right := p.parseExpr(level + 1)
		kind := nodeArith
		switch level {
		case 1:
			kind = nodeLogical
		case 2:
			kind = nodeCompare
		}
		left = &node{kind: kind, op: t.kind, args: []*node{left, right}}
	}
}

func (p *parser) parseUnary() *node {
	p.depth++
	defer func() { p.depth-- }()
	t := p.next()
	if p.depth > maxDepth {
		p.syntaxError(t, "expression nested too deeply")
	}
	switch t.kind {
	case tokNot:
		return &node{kind: nodeNot, args: []*node{p.parseExpr(notLevel + 1)}}
	case tokLP:
		p.ctx = append(p.ctx, context{kind: 'p'})
		inner := p.parseExpr(1)
		if rp := p.next(); rp.kind != tokRP {
			p.syntaxError(rp, "")
		}
		p.ctx = p.ctx[:len(p.ctx)-1]
		return inner
	case tokNumber:
		return &node{kind: nodeLiteral, value: Number(t.num)}
	case tokMinus:
		// The grammar's only unary minus is "MINUS NUMBER"; "-5" without a
		// blank is already one NUMBER token.
		n := p.next()
		if n.kind != tokNumber {
			p.syntaxError(n, "")
		}
		return &node{kind: nodeLiteral, value: Number(-n.num)}
	case tokString:
		return &node{kind: nodeLiteral, value: String(unquote(t.value))}
	case tokProperty:
		return &node{kind: nodeProperty, name: t.value}
	case tokParam:
		return &node{kind: nodeParam, name: t.value}
	case tokSymbol:
		if p.peek().kind == tokLP {
			return p.parseCall(t)
		}
		if t.value == "NULL" {
			return &node{kind: nodeLiteral, value: Null()}
		}
		p.semanticError(errorf(KindUnknownSymbol, "Unknown symbol '%s'", t.value))
	}
	p.syntaxError(t, "")
	return nil
}

func (p *parser) parseCall(name token) *node {
	p.next() // (
	fn := lookupFunction(name.value)
	p.ctx = append(p.ctx, context{kind: 'c', name: name.value})
	var args []*node
	// arglist ::= . | expr | arglist COMMA expr, so "f(, 1)" is f(1).
	if t := p.peek(); t.kind != tokRP && t.kind != tokComma {
		args = append(args, p.parseExpr(1))
	}
	for {
		t := p.next()
		if t.kind == tokRP {
			break
		}
		if t.kind != tokComma {
			p.syntaxError(t, "")
		}
		args = append(args, p.parseExpr(1))
	}
	p.ctx = p.ctx[:len(p.ctx)-1]
	if fn == nil {
		// The module resolves the name when it reduces the call, i.e. as soon
		// as the closing parenthesis is read, and stops there.
		panic(stop{errorf(KindUnknownFunction, "Unknown function name '%s'", name.value)})
	}
	return &node{kind: nodeCall, name: name.value, fn: fn, args: args}
}

// semanticError reproduces how the module's LALR parser reports an error
// raised while reducing a bare symbol: the reduction happens when the next
// token arrives, the scanner stops after that token, and the error stands
// alone if that token is acceptable there; otherwise the syntax error at that
// token carries the first error as its reason. A ")" that closes a call
// reduces the call too, which may replace the error with an unknown function.
func (p *parser) semanticError(e *Error) {
	t := p.peek()
	if binaryLevel(t.kind) > 0 {
		panic(stop{e})
	}
	ctx := p.ctx[len(p.ctx)-1]
	switch {
	case t.kind == tokEOF && ctx.kind == 't':
		panic(stop{e})
	case t.kind == tokRP && ctx.kind == 'p':
		panic(stop{e})
	case t.kind == tokComma && ctx.kind == 'c':
		panic(stop{e})
	case t.kind == tokRP && ctx.kind == 'c':
		if lookupFunction(ctx.name) == nil {
			panic(stop{errorf(KindUnknownFunction, "Unknown function name '%s'", ctx.name)})
		}
		panic(stop{e})
	}
	p.syntaxError(t, e.Msg)
}
