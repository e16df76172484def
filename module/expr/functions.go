package expr

import (
	"math"
	"strings"
)

type function struct {
	name string
	call func(args []Value, env Env) (Value, *Error)
	// acceptsMissing: exists() is the one function that receives a missing
	// property as null instead of failing with it.
	acceptsMissing bool
	// minArgs and maxArgs bound the argument count, checked by the parser
	// (arity.go): a call reaches the function with a count between them.
	minArgs, maxArgs int
}

var functions = map[string]*function{}

func register(name string, call func(args []Value, env Env) (Value, *Error)) {
	b, ok := arity[name]
	if !ok {
		panic("expr: no argument bounds for function " + name)
	}
	functions[name] = &function{name: name, call: call, minArgs: b[0], maxArgs: b[1]}
}

// lookupFunction resolves a name case-insensitively, as the module's registry
// does (strncasecmp).
func lookupFunction(name string) *function {
	return functions[strings.ToLower(name)]
}

// FunctionNames lists the registered functions.
func FunctionNames() []string {
	out := make([]string, 0, len(functions))
	for n := range functions {
		out = append(out, n)
	}
	return out
}

// checkString is VALIDATE_ARG_ISSTRING.
func checkString(name string, args []Value, idx int) *Error {
	if args[idx].kind != KindString {
		return errorf(KindArgs, "Invalid type (%d) for argument %d in function '%s'. VALIDATE_ARG__STRING(v, 0) was false.",
			args[idx].typeCode(), idx, name)
	}
	return nil
}

// checkType is VALIDATE_ARG_TYPE with the C enum name of the wanted type.
func checkType(name string, args []Value, idx int, want Kind, cName string) *Error {
	if args[idx].kind != want {
		return errorf(KindArgs, "Invalid type (%d) for argument %d in function '%s'. VALIDATE_ARG__TYPE(v, %s) was false.",
			args[idx].typeCode(), idx, name, cName)
	}
	return nil
}

func init() {
	registerStringFunctions()
	registerMathFunctions()
	registerDateFunctions()
	register("geodistance", geoDistance)
	functions["exists"].acceptsMissing = true
}

func registerStringFunctions() {
	register("lower", func(a []Value, _ Env) (Value, *Error) { return mapASCII("lower", a, toLowerASCII) })
	register("upper", func(a []Value, _ Env) (Value, *Error) { return mapASCII("upper", a, toUpperASCII) })
	register("substr", substr)
	register("format", format)
	register("split", split)
	register("matched_terms", matchedTerms)
	register("to_number", func(a []Value, _ Env) (Value, *Error) {
		n, ok := a[0].ToNumber()
		if !ok {
			return Null(), errorf(KindEval, "to_number: cannot convert string '%s'", cStringArg(a[0]))
		}
		return Number(n), nil
	})
	register("to_str", func(a []Value, _ Env) (Value, *Error) {
		return String(Format(a[0])), nil
	})
	register("exists", func(a []Value, _ Env) (Value, *Error) {
		return Bool(!a[0].IsNull()), nil
	})
	register("startswith", func(a []Value, _ Env) (Value, *Error) {
		for i := 0; i < 2; i++ {
			if err := checkString("startswith", a, i); err != nil {
				return Null(), err
			}
		}
		return Bool(cStrncmpEqual(a[1].str, a[0].str, len(a[1].str))), nil
	})
	register("contains", func(a []Value, _ Env) (Value, *Error) {
		for i := 0; i < 2; i++ {
			if err := checkString("contains", a, i); err != nil {
				return Null(), err
			}
		}
		return Number(float64(countOccurrences(a[0].str, a[1].str))), nil
	})
	register("strlen", func(a []Value, _ Env) (Value, *Error) {
		if err := checkString("strlen", a, 0); err != nil {
			return Null(), err
		}
		return Number(float64(len(a[0].str))), nil
	})
}

func toLowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toUpperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// mapASCII is lower()/upper(): C tolower/toupper byte by byte in the C
// locale; anything but a string gives null.
func mapASCII(name string, a []Value, f func(byte) byte) (Value, *Error) {
	if a[0].kind != KindString {
		return Null(), nil
	}
	b := []byte(a[0].str)
	for i := range b {
		b[i] = f(b[i])
	}
	return String(string(b)), nil
}

// substr(str, offset, len): a negative offset counts from the end, a
// negative len stops that many bytes before the end, both are clamped. The
// clamp compares a negative int with a size_t in C, so an offset before the
// start of the string lands at its end and yields "".
func substr(a []Value, _ Env) (Value, *Error) {
	if err := checkType("substr", a, 1, KindNumber, "RSValue_Number"); err != nil {
		return Null(), err
	}
	if err := checkType("substr", a, 2, KindNumber, "RSValue_Number"); err != nil {
		return Null(), err
	}
	if a[0].kind != KindString {
		return Null(), errorf(KindArgs, "Invalid type for substr. Expected string")
	}
	s := a[0].str
	size := int64(len(s))
	offset := int64(cInt32(a[1].num))
	length := int64(cInt32(a[2].num))
	if offset < 0 {
		offset = size + offset
	}
	if offset < 0 || offset > size {
		offset = size
	}
	if length < 0 {
		length = max(0, size-offset+length)
	}
	if offset+length > size {
		length = size - offset
	}
	return String(s[offset : offset+length]), nil
}

// format(fmt, args...): only %s and %% exist.
func format(a []Value, _ Env) (Value, *Error) {
	if err := checkString("format", a, 0); err != nil {
		return Null(), err
	}
	f := a[0].str
	var out strings.Builder
	next := 1
	last := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		if i == len(f)-1 {
			return Null(), errorf(KindArgs, "Bad format string!")
		}
		out.WriteString(f[last:i])
		last = i + 2
		i++
		if f[i] == '%' {
			out.WriteByte('%')
			continue
		}
		if next == len(a) {
			return Null(), errorf(KindArgs, "Not enough arguments for format")
		}
		arg := a[next]
		next++
		if f[i] != 's' {
			return Null(), errorf(KindArgs, "Unknown format specifier passed")
		}
		if arg.IsNull() {
			out.WriteString("(null)")
		} else {
			out.WriteString(Format(arg))
		}
	}
	if last < len(f) {
		out.WriteString(f[last:])
	}
	return String(out.String()), nil
}

// split(str, [sep=","], [strip=" "]): cuts at any byte of sep, trims the
// bytes of strip from both ends of each piece, drops empty pieces, keeps at
// most 1024. The argument checks name "format", as the 2.10 code does.
func split(a []Value, _ Env) (Value, *Error) {
	if err := checkString("format", a, 0); err != nil {
		return Null(), err
	}
	sep, strip := ",", " "
	if len(a) >= 2 {
		if err := checkString("format", a, 1); err != nil {
			return Null(), err
		}
		sep = cString(a[1].str)
	}
	if len(a) == 3 {
		if err := checkString("format", a, 2); err != nil {
			return Null(), err
		}
		strip = cString(a[2].str)
	}
	s := a[0].str
	var parts []Value
	tok := 0
	for len(parts) < 1024 && tok < len(s) {
		next := strpbrk(s, tok, sep)
		end := len(s)
		if next >= 0 {
			end = next
		}
		if piece := trimSet(s[tok:end], strip); piece != "" {
			parts = append(parts, String(piece))
		}
		if next < 0 {
			break
		}
		tok = next + 1
	}
	return Array(parts...), nil
}

// strpbrk finds the first byte of set in s from index from, stopping at a
// NUL like the C function; -1 when there is none.
func strpbrk(s string, from int, set string) int {
	for i := from; i < len(s); i++ {
		if s[i] == 0 {
			return -1
		}
		if strings.IndexByte(set, s[i]) >= 0 {
			return i
		}
	}
	return -1
}

// trimSet trims bytes found by strchr(set, c), which also finds the NUL.
func trimSet(s, set string) string {
	in := func(c byte) bool { return c == 0 || strings.IndexByte(set, c) >= 0 }
	i, j := 0, len(s)
	for i < j && in(s[i]) {
		i++
	}
	for j > i && in(s[j-1]) {
		j--
	}
	return s[i:j]
}

// cStrncmpEqual is strncmp(a, b, n) == 0 on NUL-terminated strings.
func cStrncmpEqual(a, b string, n int) bool {
	at := func(s string, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	for i := 0; i < n; i++ {
		x, y := at(a, i), at(b, i)
		if x != y {
			return false
		}
		if x == 0 {
			return true
		}
	}
	return true
}

// countOccurrences is contains(): the number of (overlapping) occurrences,
// found with strstr; an empty needle counts len(str)+1.
func countOccurrences(str, needle string) int {
	if len(needle) == 0 {
		return len(str) + 1
	}
	hay, pat := cString(str), cString(needle)
	if pat == "" {
		return len(hay) + 1
	}
	n := 0
	for i := 0; ; {
		k := strings.Index(hay[i:], pat)
		if k < 0 {
			return n
		}
		n++
		i += k + 1
	}
}

// matchedTerms returns up to 100 (or the given count) matched query terms,
// null when there are none.
func matchedTerms(a []Value, env Env) (Value, *Error) {
	limit := 100
	if len(a) == 1 {
		if d, ok := a[0].ToNumber(); ok && d > 0 {
			if n := int(cInt32(d)); n > 0 && n < limit {
				limit = n
			}
		}
	}
	if env == nil {
		return Null(), nil
	}
	terms := env.MatchedTerms()
	if len(terms) == 0 {
		return Null(), nil
	}
	if len(terms) > limit {
		terms = terms[:limit]
	}
	out := make([]Value, len(terms))
	for i, t := range terms {
		out[i] = String(t)
	}
	return Array(out...), nil
}

// negativeNaN is the NaN that x86 produces for invalid operations (and glibc
// returns from sqrt/log of a negative number); printf shows it as "-nan".
var negativeNaN = math.Float64frombits(0xFFF8000000000000)

func registerMathFunctions() {
	simple := func(name string, f func(float64) float64) {
		register(name, func(a []Value, _ Env) (Value, *Error) {
			d, ok := a[0].ToNumber()
			if !ok {
				return Number(math.NaN()), nil
			}
			return Number(f(d)), nil
		})
	}
	negativeDomain := func(f func(float64) float64) func(float64) float64 {
		return func(d float64) float64 {
			if d < 0 {
				return negativeNaN
			}
			return f(d)
		}
	}
	simple("log", negativeDomain(math.Log))
	simple("floor", math.Floor)
	simple("abs", math.Abs)
	simple("ceil", math.Ceil)
	simple("sqrt", negativeDomain(math.Sqrt))
	simple("log2", negativeDomain(math.Log2))
	simple("exp", math.Exp)
}
