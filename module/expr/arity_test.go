package expr

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The argument count bounds of every function, transcribed from RediSearch
// 8.x's registrations, RSFunctionRegistry_RegisterFunction(name, f, type,
// minArgs, maxArgs) (function.h: uint8_t minArgs, uint16_t maxArgs, so -1 is
// 65535):
var arityCases = []struct {
	name     string
	min, max int
	source   string
}{
	{"lower", 1, 1, "string.c RegisterStringFunctions"},
	{"upper", 1, 1, "string.c RegisterStringFunctions"},
	{"substr", 3, 3, "string.c RegisterStringFunctions"},
	{"format", 1, 65535, "string.c RegisterStringFunctions (1, -1)"},
	{"split", 1, 3, "string.c RegisterStringFunctions"},
	{"matched_terms", 0, 1, "string.c RegisterStringFunctions"},
	{"to_number", 1, 1, "string.c RegisterStringFunctions"},
	{"to_str", 1, 1, "string.c RegisterStringFunctions"},
	{"exists", 1, 1, "string.c RegisterStringFunctions"},
	{"startswith", 2, 2, "string.c RegisterStringFunctions"},
	{"contains", 2, 2, "string.c RegisterStringFunctions"},
	{"strlen", 1, 1, "string.c RegisterStringFunctions"},
	{"log", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"floor", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"abs", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"ceil", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"sqrt", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"log2", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"exp", 1, 1, "math.c REGISTER_MATHFUNC"},
	{"timefmt", 1, 2, "date.c RegisterDateFunctions"},
	{"parsetime", 2, 2, "date.c RegisterDateFunctions"},
	{"hour", 1, 1, "date.c RegisterDateFunctions"},
	{"minute", 1, 1, "date.c RegisterDateFunctions"},
	{"day", 1, 1, "date.c RegisterDateFunctions"},
	{"month", 1, 1, "date.c RegisterDateFunctions"},
	{"monthofyear", 1, 1, "date.c RegisterDateFunctions"},
	{"year", 1, 1, "date.c RegisterDateFunctions"},
	{"dayofmonth", 1, 1, "date.c RegisterDateFunctions"},
	{"dayofweek", 1, 1, "date.c RegisterDateFunctions"},
	{"dayofyear", 1, 1, "date.c RegisterDateFunctions"},
	{"geodistance", 2, 4, "geo.c RegisterGeoFunctions"},
}

// call writes name(1, 1, ...) with n arguments.
func call(name string, n int) string {
	return name + "(" + strings.TrimSuffix(strings.Repeat("1, ", n), ", ") + ")"
}

// TestArity checks each function one argument below its minimum and one above
// its maximum, and that its bounds themselves parse. The wording is
// parser.y's call rule (8.x): "Function '%.*s' expects %d arguments, but got
// %d" when min == max, else "Function '%.*s' expects between %d and %d
// arguments, but got %d", the name as written.
func TestArity(t *testing.T) {
	want := func(name string, min, max, n int) string {
		if min == max {
			return fmt.Sprintf("Function '%s' expects %d arguments, but got %d", name, min, n)
		}
		return fmt.Sprintf("Function '%s' expects between %d and %d arguments, but got %d", name, min, max, n)
	}
	listed := map[string]bool{}
	for _, c := range arityCases {
		listed[c.name] = true
		for _, n := range []int{c.min, c.max} {
			if _, err := Parse(call(c.name, n)); err != nil {
				t.Errorf("%s (%s): %s: %v", c.name, c.source, call(c.name, n), err)
			}
		}
		for _, n := range []int{c.min - 1, c.max + 1} {
			if n < 0 {
				continue
			}
			src := call(c.name, n)
			_, err := Parse(src)
			pe, _ := err.(*Error)
			if w := want(c.name, c.min, c.max, n); pe == nil || pe.Msg != w || pe.Kind != KindArgs {
				t.Errorf("%s (%s): Parse(%s) = %v, want %q", c.name, c.source, call(c.name, n)[:min(len(src), 40)], err, w)
			}
		}
	}
	var unlisted []string
	for _, n := range FunctionNames() {
		if !listed[n] {
			unlisted = append(unlisted, n)
		}
	}
	sort.Strings(unlisted)
	if len(unlisted) > 0 {
		t.Errorf("functions without bounds in arityCases: %v", unlisted)
	}
}

// The name is quoted as written, looked up ignoring case; an unknown name is
// reported before any count; a nested call is checked when its own ")" is
// read, before the outer one.
func TestArityMessages(t *testing.T) {
	for _, c := range []struct{ src, msg string }{
		{"SubStr(@t)", "Function 'SubStr' expects 3 arguments, but got 1"},
		{"nofn()", "Unknown function name 'nofn'"},
		{"lower(substr(@t), 1, 2)", "Function 'substr' expects 3 arguments, but got 1"},
		{"lower(upper(@t), 1) + nofn()", "Function 'lower' expects 1 arguments, but got 2"},
		{"lower(1, 2) 2", "Function 'lower' expects 1 arguments, but got 2"},
		{"abs(, 1)", ""},
		{"abs(, 1, 2)", "Function 'abs' expects 1 arguments, but got 2"},
	} {
		_, err := Parse(c.src)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.msg {
			t.Errorf("Parse(%q) = %q, want %q", c.src, got, c.msg)
		}
	}
}
