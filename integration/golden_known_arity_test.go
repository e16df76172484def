package integration

import (
	"fmt"
	"regexp"
	"strings"
)

// 2.10 checked a function's argument count when the function ran (function.h
// VALIDATE_ARGS: "Invalid arguments for function '%s'"; split and the math
// functions: "Invalid number of arguments for %s"). 8.x's expression grammar
// checks it when it parses the call (src/aggregate/expr/parser.y, "expr ::=
// SYMBOL LP arglist RP"), against the bounds each function is registered
// with, and words it "Function '%.*s' expects %d arguments, but got %d", or
// "expects between %d and %d arguments, but got %d" when the bounds differ.

// arity210Error is 2.10's wording of a wrong count.
var arity210Error = regexp.MustCompile(`^Invalid (arguments for function '[a-z_0-9]+'|number of arguments for [a-z_0-9]+)$`)

// simpleCall is an expression that is a single call whose arguments hold no
// parenthesis or quote, so that its commas separate its arguments.
var simpleCall = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9_]*)\s*\(([^()"']*)\)\s*$`)

// functionBounds82 are the registered minArgs/maxArgs of 8.x
// (RSFunctionRegistry_RegisterFunction in src/aggregate/functions/string.c,
// math.c, date.c, geo.c; maxArgs is a uint16_t, so format's -1 is 65535).
var functionBounds82 = map[string][2]int{
	"lower": {1, 1}, "upper": {1, 1}, "substr": {3, 3}, "format": {1, 65535}, "split": {1, 3},
	"matched_terms": {0, 1}, "to_number": {1, 1}, "to_str": {1, 1}, "exists": {1, 1},
	"startswith": {2, 2}, "contains": {2, 2}, "strlen": {1, 1},
	"log": {1, 1}, "floor": {1, 1}, "abs": {1, 1}, "ceil": {1, 1}, "sqrt": {1, 1}, "log2": {1, 1}, "exp": {1, 1},
	"timefmt": {1, 2}, "parsetime": {2, 2}, "hour": {1, 1}, "minute": {1, 1}, "day": {1, 1}, "month": {1, 1},
	"monthofyear": {1, 1}, "year": {1, 1}, "dayofmonth": {1, 1}, "dayofweek": {1, 1}, "dayofyear": {1, 1},
	"geodistance": {2, 4},
}

// arityError82 is 8.2's error for an FT.AGGREGATE line that 2.10 refused
// with its run-time count error: the first APPLY or FILTER expression that
// is a simple call with a count out of its function's bounds.
func arityError82(l *goldenLine) (string, bool) {
	if len(l.Cmd) < 3 || !l.HasError || !strings.EqualFold(l.Cmd[0], "FT.AGGREGATE") || !arity210Error.MatchString(l.Error) {
		return "", false
	}
	for i := 3; i+1 < len(l.Cmd); i++ {
		if !strings.EqualFold(l.Cmd[i], "APPLY") && !strings.EqualFold(l.Cmd[i], "FILTER") {
			continue
		}
		m := simpleCall.FindStringSubmatch(l.Cmd[i+1])
		if m == nil {
			continue
		}
		b, ok := functionBounds82[strings.ToLower(m[1])]
		if !ok {
			continue
		}
		n := 0
		if strings.TrimSpace(m[2]) != "" {
			args := strings.Split(m[2], ",")
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return "", false // "f(, x)": not derived here
				}
			}
			n = len(args)
		}
		switch {
		case n >= b[0] && n <= b[1]:
			continue
		case b[0] == b[1]:
			return fmt.Sprintf("Function '%s' expects %d arguments, but got %d", m[1], b[0], n), true
		default:
			return fmt.Sprintf("Function '%s' expects between %d and %d arguments, but got %d", m[1], b[0], b[1], n), true
		}
	}
	return "", false
}
