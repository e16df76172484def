package expr

// arity is each function's argument count bounds, as RediSearch 8.x
// registers them with RSFunctionRegistry_RegisterFunction(name, f, type,
// minArgs, maxArgs) (src/aggregate/functions/function.h: minArgs is a
// uint8_t, maxArgs a uint16_t, so format's -1 is 65535):
//
//	src/aggregate/functions/string.c RegisterStringFunctions:
//	  lower 1 1, upper 1 1, substr 3 3, format 1 -1, split 1 3,
//	  matched_terms 0 1, to_number 1 1, to_str 1 1, exists 1 1,
//	  case 3 3 (not emulated), startswith 2 2, contains 2 2, strlen 1 1
//	src/aggregate/functions/math.c REGISTER_MATHFUNC: 1 1 for log, floor,
//	  abs, ceil, sqrt, log2, exp
//	src/aggregate/functions/date.c RegisterDateFunctions: timefmt 1 2,
//	  parsetime 2 2, hour, minute, day, month, monthofyear, year,
//	  dayofmonth, dayofweek, dayofyear 1 1
//	src/aggregate/functions/geo.c RegisterGeoFunctions: geodistance 2 4
//
// 8.x's grammar checks them when it reduces a call (parser.y, "expr ::=
// SYMBOL LP arglist RP"), so a wrong count is a parse error; 2.10 checked in
// each function when it ran (VALIDATE_ARGS), with another wording.
var arity = map[string][2]int{
	"lower": {1, 1}, "upper": {1, 1}, "substr": {3, 3}, "format": {1, 65535}, "split": {1, 3},
	"matched_terms": {0, 1}, "to_number": {1, 1}, "to_str": {1, 1}, "exists": {1, 1},
	"startswith": {2, 2}, "contains": {2, 2}, "strlen": {1, 1},

	"log": {1, 1}, "floor": {1, 1}, "abs": {1, 1}, "ceil": {1, 1}, "sqrt": {1, 1}, "log2": {1, 1}, "exp": {1, 1},

	"timefmt": {1, 2}, "parsetime": {2, 2}, "hour": {1, 1}, "minute": {1, 1}, "day": {1, 1},
	"month": {1, 1}, "monthofyear": {1, 1}, "year": {1, 1}, "dayofmonth": {1, 1},
	"dayofweek": {1, 1}, "dayofyear": {1, 1},

	"geodistance": {2, 4},
}

// checkArity is the grammar's check of a call with n arguments to fn; name
// is the name as written (the message quotes it, the lookup ignores case).
func checkArity(fn *function, name string, n int) *Error {
	if n >= fn.minArgs && n <= fn.maxArgs {
		return nil
	}
	if fn.minArgs == fn.maxArgs {
		return errorf(KindArgs, "Function '%s' expects %d arguments, but got %d", name, fn.minArgs, n)
	}
	return errorf(KindArgs, "Function '%s' expects between %d and %d arguments, but got %d", name, fn.minArgs, fn.maxArgs, n)
}
