package expr

import (
	"math"
)

// Env supplies what an expression reads while it is evaluated for one row.
type Env interface {
	// Get returns the value of @name in the current row; false when the row
	// has no value for it.
	Get(name string) (Value, bool)
	// Param returns the value of $name (the command's PARAMS).
	Param(name string) (Value, bool)
	// MatchedTerms returns the query terms that matched the current row, for
	// matched_terms(); nil when there are none (or no query result).
	MatchedTerms() []string
}

// MapEnv is a simple Env over maps, for tests and callers without a row type.
type MapEnv struct {
	Props  map[string]Value
	Params map[string]Value
	Terms  []string
}

func (m MapEnv) Get(name string) (Value, bool)   { v, ok := m.Props[name]; return v, ok }
func (m MapEnv) Param(name string) (Value, bool) { v, ok := m.Params[name]; return v, ok }
func (m MapEnv) MatchedTerms() []string          { return m.Terms }

// evalState distinguishes a missing property (the module's EXPR_EVAL_NULL)
// from other failures: exists() accepts the former as a null argument, every
// other consumer turns it into the error.
type evalState uint8

const (
	evalOK evalState = iota
	evalMissing
	evalFailed
)

// Eval evaluates the expression for one row. APPLY stores the result; FILTER
// keeps the row when Truthy() holds. A property the row lacks fails with
// "Could not find the value for a parameter name, consider using EXISTS if
// applicable for <name>", as in the module (use exists() to test for it).
func (e *Expr) Eval(env Env) (Value, error) {
	v, st, err := eval(&e.root, env)
	if st != evalOK {
		return Null(), err
	}
	return v, nil
}

// EvalIndex evaluates the expression as an index's FILTER (FT.CREATE ...
// FILTER) is evaluated for a document: the module's EVAL_MODE_INDEX
// (RediSearch 8.2.x since MOD-14342, PR #8662). A missing property is not
// an error there when it is an operand of a comparison or of && / ||: that
// comparison or logical operation is false, so "@a == 1 || @b == 2" admits a
// document without @a whose @b is 2, and "@x != @y" is false when either is
// missing. A missing property anywhere else (a function's argument, an
// arithmetic operand, the whole expression) still fails, as in Eval.
func (e *Expr) EvalIndex(env Env) (Value, error) {
	if env == nil {
		env = MapEnv{}
	}
	v, st, err := eval(&e.root, indexEnv{env})
	if st != evalOK {
		return Null(), err
	}
	return v, nil
}

// indexEnv marks an evaluation in index mode (see EvalIndex).
type indexEnv struct{ Env }

func isIndexMode(env Env) bool {
	_, ok := env.(indexEnv)
	return ok
}

func eval(n *node, env Env) (Value, evalState, *Error) {
	switch n.kind {
	case nodeLiteral:
		return n.value, evalOK, nil
	case nodeProperty:
		if env != nil {
			if v, ok := env.Get(n.name); ok {
				return v, evalOK, nil
			}
		}
		return Null(), evalMissing, errorf(KindMissingProperty,
			"Could not find the value for a parameter name, consider using EXISTS if applicable for %s", n.name)
	case nodeParam:
		if env != nil {
			if v, ok := env.Param(n.name); ok {
				return v, evalOK, nil
			}
		}
		return Null(), evalFailed, errorf(KindMissingParam, "No such parameter `%s`", n.name)
	case nodeArith:
		return evalArith(n, env)
	case nodeCompare, nodeLogical:
		return evalPredicate(n, env)
	case nodeNot:
		v, st, err := eval(n.args[0], env)
		if st != evalOK {
			return Null(), evalFailed, err
		}
		return Bool(!v.Truthy()), evalOK, nil
	case nodeCall:
		return evalCall(n, env)
	}
	return Null(), evalFailed, errorf(KindEval, "invalid expression")
}

func evalArith(n *node, env Env) (Value, evalState, *Error) {
	l, st, err := eval(n.args[0], env)
	if st != evalOK {
		return Null(), evalFailed, err
	}
	r, st, err := eval(n.args[1], env)
	if st != evalOK {
		return Null(), evalFailed, err
	}
	a, ok1 := l.ToNumber()
	b, ok2 := r.ToNumber()
	if !ok1 || !ok2 {
		return Null(), evalFailed, errorf(KindEval, "Could not convert value to a number")
	}
	var res float64
	switch n.op {
	case tokPlus:
		res = a + b
	case tokMinus:
		res = a - b
	case tokTimes:
		res = a * b
	case tokDivide:
		res = a / b // x/0 is ±inf, 0/0 nan, as in C
	case tokMod:
		res = cModulo(a, b)
	case tokPow:
		res = math.Pow(a, b)
	}
	return Number(res), evalOK, nil
}

// cModulo is the module's "(long long)a % (long long)b". A zero divisor
// raises SIGFPE in the module; here it yields nan instead of a crash.
func cModulo(a, b float64) float64 {
	x, y := cInt64(a), cInt64(b)
	if y == 0 {
		return math.NaN()
	}
	if y == -1 {
		return 0 // LLONG_MIN % -1 would trap in C; the remainder is 0
	}
	return float64(x % y)
}

func evalPredicate(n *node, env Env) (Value, evalState, *Error) {
	l, st, err := eval(n.args[0], env)
	if st == evalMissing && isIndexMode(env) {
		return Number(0), evalOK, nil
	}
	if st != evalOK {
		return Null(), evalFailed, err
	}
	switch n.op {
	case tokOr:
		if l.Truthy() {
			return Number(1), evalOK, nil
		}
	case tokAnd:
		if !l.Truthy() {
			return Number(0), evalOK, nil
		}
	}
	r, st, err := eval(n.args[1], env)
	if st == evalMissing && isIndexMode(env) {
		return Number(0), evalOK, nil
	}
	if st != evalOK {
		return Null(), evalFailed, err
	}
	var res bool
	switch n.op {
	case tokOr, tokAnd:
		res = r.Truthy()
	case tokEQ:
		res = equalValues(l, r)
	case tokNE:
		res = !equalValues(l, r)
	default:
		c, cerr := compareValues(l, r)
		if cerr != nil {
			return Null(), evalFailed, cerr
		}
		switch n.op {
		case tokLT:
			res = c < 0
		case tokLE:
			res = c <= 0
		case tokGT:
			res = c > 0
		case tokGE:
			res = c >= 0
		}
	}
	return Bool(res), evalOK, nil
}

func evalCall(n *node, env Env) (Value, evalState, *Error) {
	args := make([]Value, len(n.args))
	for i, a := range n.args {
		v, st, err := eval(a, env)
		if st == evalFailed || (st == evalMissing && !n.fn.acceptsMissing) {
			return Null(), evalFailed, err
		}
		args[i] = v
	}
	v, err := n.fn.call(args, env)
	if err != nil {
		return Null(), evalFailed, err
	}
	return v, evalOK, nil
}
