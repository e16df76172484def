package expr

import (
	"fmt"
	"math"
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
	// number: a literal the grammar still holds as its "number" symbol (a
	// NUMBER token, or numbers folded by an arithmetic operator), which
	// folds with another number.
	number bool
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

// The levels of 8.2's grammar (src/aggregate/expr/parser.y, the 8.x one):
//
//	%left LOWEST. %left OR. %left AND. %right NOT.
//	%nonassoc EQ NE LT LE GT GE.
//	%left PLUS MINUS. %left DIVIDE TIMES MOD. %right POW.
//
// so "a || b && c" is "a || (b && c)", "!a == b" is "!(a == b)", "!a && b"
// is "(!a) && b", "2 * 3 ^ 2" is "2 * (3 ^ 2)", "2 ^ 3 ^ 2" is "2 ^ (3 ^ 2)",
// and "a < b < c" is a syntax error at the second comparison. (2.10's
// grammar had && || ! on one level and * / % ^ on another, all left.)
const (
	levelOr = iota + 1
	levelAnd
	levelNot
	levelCompare
	levelAdd
	levelMul
	levelPow
)

func binaryLevel(k tokenKind) int {
	switch k {
	case tokOr:
		return levelOr
	case tokAnd:
		return levelAnd
	case tokEQ, tokNE, tokLT, tokLE, tokGT, tokGE:
		return levelCompare
	case tokPlus, tokMinus:
		return levelAdd
	case tokTimes, tokDivide, tokMod:
		return levelMul
	case tokPow:
		return levelPow
	}
	return 0
}

// context says which tokens may follow a complete operand.
type context struct {
	kind byte // 't' top level, 'p' parenthesis, 'c' function call
	name string
	// In a call: nargs counts the arguments up to and including the one
	// being parsed, which starts at token argStart; appended says a comma
	// preceded it (see semanticError).
	nargs    int
	argStart int
	appended bool
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
// name 'f'", "Unknown symbol 's'", and a call's argument count against
// the function's bounds (arity.go): "Function 'substr' expects 3 arguments,
// but got 1", as 8.x's grammar checks it (2.10 checked when the function
// ran, with "Invalid arguments for function 'substr'").
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
		next := level + 1
		if level == levelPow {
			next = level // %right POW
		}
		right := p.parseExpr(next)
		left = combine(t.kind, level, left, right)
		if level == levelCompare {
			// %nonassoc: a comparison right after a comparison is the
			// parser's error action.
			if u := p.peek(); binaryLevel(u.kind) == levelCompare {
				p.syntaxError(u, "")
			}
		}
	}
}

// combine builds a binary node. Two number literals under an arithmetic
// operator fold into one, as 8.2's grammar does ("number ::= number PLUS
// number" and its siblings compute the value while parsing): "%" then is C's
// fmod, not the integer remainder the evaluator computes, so "7.5 % 2" is
// 1.5 where "@x % 2" with @x = 7.5 is 1. A parenthesised number is an
// expression, not a number, and does not fold.
func combine(op tokenKind, level int, left, right *node) *node {
	switch level {
	case levelOr, levelAnd:
		return &node{kind: nodeLogical, op: op, args: []*node{left, right}}
	case levelCompare:
		return &node{kind: nodeCompare, op: op, args: []*node{left, right}}
	}
	if left.number && right.number {
		return &node{kind: nodeLiteral, value: Number(foldNumbers(op, left.value.num, right.value.num)), number: true}
	}
	return &node{kind: nodeArith, op: op, args: []*node{left, right}}
}

func foldNumbers(op tokenKind, a, b float64) float64 {
	switch op {
	case tokPlus:
		return a + b
	case tokMinus:
		return a - b
	case tokTimes:
		return a * b
	case tokDivide:
		return a / b
	case tokMod:
		return cFmod(a, b)
	}
	return math.Pow(a, b)
}

// cFmod is C's fmod: Go's math.Mod but for the NaN it returns where C's is
// the x86 default NaN (negative, printed "-nan"), and NaN operands
// propagate.
func cFmod(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return a
	case math.IsNaN(b):
		return b
	case b == 0 || math.IsInf(a, 0):
		return math.Copysign(math.NaN(), -1)
	}
	return math.Mod(a, b)
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
		// %right NOT: its operand takes every operator above it. A negated
		// negation is its operand itself (the grammar drops both), so
		// "!!'foo'" is "foo", not 1.
		inner := p.parseExpr(levelNot + 1)
		if inner.kind == nodeNot {
			return inner.args[0]
		}
		return &node{kind: nodeNot, args: []*node{inner}}
	case tokLP:
		p.ctx = append(p.ctx, context{kind: 'p'})
		inner := p.parseExpr(1)
		if rp := p.next(); rp.kind != tokRP {
			p.syntaxError(rp, "")
		}
		p.ctx = p.ctx[:len(p.ctx)-1]
		if inner.number {
			// "expr ::= LP expr RP": an expression, which no longer folds.
			c := *inner
			c.number = false
			return &c
		}
		return inner
	case tokNumber:
		// 8.2's grammar has no unary minus (2.10's "number ::= MINUS
		// NUMBER" is gone): "-5" is one NUMBER token, "- 5" a syntax error
		// at the "-".
		return &node{kind: nodeLiteral, value: Number(t.num), number: true}
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
	arg := func(appended bool) {
		c := &p.ctx[len(p.ctx)-1]
		c.nargs, c.argStart, c.appended = len(args)+1, p.pos, appended
		args = append(args, p.parseExpr(1))
	}
	if t := p.peek(); t.kind != tokRP && t.kind != tokComma {
		arg(false)
	}
	for {
		t := p.next()
		if t.kind == tokRP {
			break
		}
		if t.kind != tokComma {
			p.syntaxError(t, "")
		}
		arg(true)
	}
	p.ctx = p.ctx[:len(p.ctx)-1]
	if err := callError(fn, name.value, len(args)); err != nil {
		// The module resolves the name and checks the count when it reduces
		// the call, i.e. as soon as the closing parenthesis is read, and
		// stops there.
		panic(stop{err})
	}
	return &node{kind: nodeCall, name: name.value, fn: fn, args: args}
}

// callError is what the reduction of a call to name with n arguments
// reports (parser.y): an unknown name first, then a count out of bounds.
func callError(fn *function, name string, n int) *Error {
	if fn == nil {
		return errorf(KindUnknownFunction, "Unknown function name '%s'", name)
	}
	return checkArity(fn, name, n)
}

// semanticError reproduces how the module's LALR parser reports an error
// raised while reducing a bare symbol: the reduction happens when the next
// token arrives, the scanner stops after that token, and the error stands
// alone if that token is acceptable there; otherwise the syntax error at that
// token carries the first error as its reason. A ")" that closes a call
// reduces the call too, which may replace the error with an unknown function
// or a wrong argument count. The failed symbol is a NULL expression there:
// when it is a whole argument it counts if a comma preceded it
// (RSArgList_Append adds it), not if it is the first ("arglist ::= expr" is
// RS_NewArgList(NULL), an empty list), so "lower(foo)" is a call with no
// arguments; inside a larger argument ("lower(1 + foo)") it counts.
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
		n := ctx.nargs
		if !ctx.appended && ctx.argStart == p.pos-1 {
			n--
		}
		if err := callError(lookupFunction(ctx.name), ctx.name, n); err != nil {
			panic(stop{err})
		}
		panic(stop{e})
	}
	p.syntaxError(t, e.Msg)
}
