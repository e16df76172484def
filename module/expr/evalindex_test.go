package expr

import "testing"

// EvalIndex is the module's EVAL_MODE_INDEX: a missing property as the
// operand of a comparison or of && / || makes that operation false instead
// of failing the evaluation (RediSearch tests/pytests/test_filter.py,
// test_filter_or_missing_field, test_filter_comparing_fields_with_missing_fields,
// test_filter_nested_expressions_with_missing_fields).
func TestEvalIndexMissingProperties(t *testing.T) {
	env := MapEnv{Props: map[string]Value{"d2": String("0"), "five": String("5"), "word": String("hello")}}
	cases := []struct {
		src  string
		want bool // admitted (evaluates to a true value without error)
		err  bool // Eval (query mode) fails on it
	}{
		{"@d1==0 || @d2==0", true, true},
		{"@d2==0 || @d1==0", true, false},
		{"@d1==0 && @d2==0", false, true},
		{"@d2==0 && @d1==0", false, true},
		{"@d1 < 10", false, true},
		{"@d1 > 10", false, true},
		{"@d1 <= 10", false, true},
		{"@d1 >= 10", false, true},
		{"@d1 != 10", false, true},
		{"@d1 == 10", false, true},
		{"@d1 == @d3", false, true},
		{"@d1 != @d3", false, true},
		{"@five != @d3", false, true},
		{"@five == 5", true, false},
		{"!(@d1 == 1)", true, true},
		{"(@a==1 && @b==2) || (@d2==0 && @five==5)", true, true},
		{"@word > 100", false, true}, // a string that does not convert: an error in both modes
		{"@d1 + 1 > 0", false, true}, // arithmetic on a missing property still fails
		{"startswith(@d1, \"x\")", false, true},
		{"@d1", false, true},
		{"exists(@d1) || @five == 5", true, false},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		v, err := e.EvalIndex(env)
		if got := err == nil && v.Truthy(); got != c.want {
			t.Errorf("EvalIndex(%s) = %v, %v; want admitted=%v", c.src, v, err, c.want)
		}
		if _, err := e.Eval(env); (err != nil) != c.err {
			t.Errorf("Eval(%s) error = %v, want error %v", c.src, err, c.err)
		}
	}
	// A nil environment is an empty row.
	e, _ := Parse("@x == 1 || 1")
	if v, err := e.EvalIndex(nil); err != nil || !v.Truthy() {
		t.Errorf("EvalIndex(nil) = %v, %v", v, err)
	}
}
