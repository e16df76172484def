package query

import (
	"fmt"
	"testing"
)

// Redis 8.2 rejects, in DIALECT 2 and above, a modifier naming no field of
// the index and an inverted numeric range; 2.10 (Compat210) and DIALECT 1
// parse both and match nothing.

// parseIn parses q against the golden "idx" schema with 8.2 or 2.10 behaviour.
func parseIn(t *testing.T, dialect int, compat210 bool, q string, params map[string]string) (Node, error) {
	t.Helper()
	opts := goldenOptions("idx", nil)
	opts.Dialect = dialect
	opts.Compat210 = compat210
	opts.Params = params
	return Parse(q, opts)
}

// errorCase is a query whose DIALECT ≥ 2 parse fails in 8.2 with want,
// while DIALECT 1 and 2.10 parse it to tree1 and tree2 ("" when that parse
// fails for another reason, checked elsewhere).
type errorCase struct {
	q      string
	params map[string]string
	want   string
	tree1  string // DIALECT 1, either behaviour
	tree2  string // DIALECT 2..4 with Compat210
}

func checkErrorCases(t *testing.T, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		for dialect := 1; dialect <= 4; dialect++ {
			for _, compat := range []bool{false, true} {
				t.Run(fmt.Sprintf("d%d compat=%v %s", dialect, compat, c.q), func(t *testing.T) {
					n, err := parseIn(t, dialect, compat, c.q, c.params)
					switch {
					case dialect >= 2 && !compat:
						if err == nil || err.Error() != c.want {
							t.Fatalf("error = %v, want %q", err, c.want)
						}
						if _, ok := err.(*Error); !ok {
							t.Fatalf("error type %T, want *Error", err)
						}
					default:
						want := c.tree2
						if dialect == 1 {
							want = c.tree1
						}
						if want == "" {
							return
						}
						if err != nil {
							t.Fatalf("unexpected error %v", err)
						}
						if got := dump(n); got != want {
							t.Fatalf("tree = %s, want %s", got, want)
						}
					}
				})
			}
		}
	}
}

func TestUnknownFieldError(t *testing.T) {
	checkErrorCases(t, []errorCase{
		// C29: the offset is where the '@' is.
		{q: "@Title:test", want: "Unknown field at offset 0 near Title", tree1: "@0:test", tree2: "@0:test"},
		{q: "hello @nosuch:world", want: "Unknown field at offset 6 near nosuch",
			tree1: "(and hello @0:world)", tree2: "(and hello @0:world)"},
		// C17: tag, numeric, comparison and geo clauses alike.
		{q: "@Tags:{HELLO WORLD}", want: "Unknown field at offset 0 near Tags",
			tree1: "<empty>", tree2: "tag:@Tags{0:hello world}"},
		{q: "@nosuch:[1 2]", want: "Unknown field at offset 0 near nosuch", tree1: "<empty>", tree2: "@nosuch[1,2]"},
		{q: "x1 @nosuch>=3", want: "Unknown field at offset 3 near nosuch", tree2: "(and x1 @nosuch[3,+Inf])"},
		{q: "@nosuch:[1 2 3 km]", want: "Unknown field at offset 0 near nosuch",
			tree1: "<empty>", tree2: "geo:@nosuch[1 2 3 km]"},
		// The name is printed unescaped.
		{q: `@no\-such:x`, want: "Unknown field at offset 0 near no-such", tree1: "@0:x", tree2: "@0:x"},
		// Modifier lists: every name is checked, each at its own offset.
		{q: "@nosuch|title:foo", want: "Unknown field at offset 0 near nosuch", tree1: "@1:foo", tree2: "@1:foo"},
		{q: "@title|nosuch:foo", want: "Unknown field at offset 7 near nosuch", tree1: "@1:foo", tree2: "@1:foo"},
		{q: "@title|body|Body:foo", want: "Unknown field at offset 12 near Body", tree1: "@3:foo", tree2: "@3:foo"},
		{q: "@title|123:foo", want: "Unknown field at offset 7 near 123", tree1: "@1:foo", tree2: "@1:foo"},
		// The error is raised while parsing: it beats a later syntax error
		// and a missing parameter.
		{q: "@nosuch:foo |", want: "Unknown field at offset 0 near nosuch"},
		{q: "$missing @nosuch:foo", want: "Unknown field at offset 9 near nosuch"},
		// After a $param affix the shared token is typed as a parameter, and
		// the message has no "near" part.
		{q: "$p* @nosuch:foo", params: map[string]string{"p": "abc"}, want: "Unknown field at offset 4",
			tree2: "(and pre:abc @0:foo)"},
	})
}

func TestInvalidNumericRangeError(t *testing.T) {
	checkErrorCases(t, []errorCase{
		// C22.
		{q: "hello kitty @price:[5, -inf]", want: "Invalid numeric range (min > max): @price:[5.000000 -inf]",
			tree1: "(and hello kitty @price[5,-Inf])", tree2: "(and hello kitty @price[5,-Inf])"},
		{q: "hello kitty @price:[5, (-inf]", want: "Invalid numeric range (min > max): @price:[5.000000 -inf]",
			tree1: "(and hello kitty @price[5,-Inf))", tree2: "(and hello kitty @price[5,-Inf))"},
		{q: "hello kitty @price:[inf, 5]", want: "Invalid numeric range (min > max): @price:[inf 5.000000]",
			tree1: "(and hello kitty @price[+Inf,5])", tree2: "(and hello kitty @price[+Inf,5])"},
		{q: "hello kitty @price:[(inf, 5]", want: "Invalid numeric range (min > max): @price:[inf 5.000000]",
			tree1: "(and hello kitty @price(+Inf,5])", tree2: "(and hello kitty @price(+Inf,5])"},
		{q: "hello kitty @price:[+inf, 5]", want: "Invalid numeric range (min > max): @price:[inf 5.000000]",
			tree1: "(and hello kitty @price[+Inf,5])", tree2: "(and hello kitty @price[+Inf,5])"},
		{q: "@price:[488 67]", want: "Invalid numeric range (min > max): @price:[488.000000 67.000000]",
			tree1: "@price[488,67]", tree2: "@price[488,67]"},
		// Checked after parameters are resolved, anywhere in the tree.
		{q: "@price:[$lo $hi]", params: map[string]string{"lo": "3", "hi": "1.5"},
			want: "Invalid numeric range (min > max): @price:[3.000000 1.500000]", tree2: "@price[3,1.5]"},
		{q: "a1 | -(@rating:[0 1] @price:[2 1])", want: "Invalid numeric range (min > max): @price:[2.000000 1.000000]",
			tree2: "(or a1 (not (and @rating[0,1] @price[2,1])))"},
		// A missing parameter is reported first.
		{q: "@price:[5 1] $nope", want: "No such parameter `nope`"},
		// An unknown field is reported before the range is looked at.
		{q: "@nosuch:[5 1]", want: "Unknown field at offset 0 near nosuch", tree1: "<empty>", tree2: "@nosuch[5,1]"},
	})
}

// TestValidRangesStayValid: equal bounds are no error, even exclusive ones,
// and `[5]` is DIALECT 2's equality.
func TestValidRangesStayValid(t *testing.T) {
	cases := []struct{ q, want string }{
		{"@price:[(5 (5]", "@price(5,5)"},
		{"@price:[5 5]", "@price[5,5]"},
		{"@price:[5]", "@price[5,5]"},
		{"@price:[-inf +inf]", "@price[-Inf,+Inf]"},
		{"@price>inf", "@price(+Inf,+Inf]"},
		{"@price<-inf", "@price[-Inf,-Inf)"},
		{"@price!=5", "(not @price[5,5])"},
		{"@title|body:(a1 b1) @tags:{x}", "(and @3:(and @3:a1 @3:b1) tag:@tags{0:x})"},
	}
	for _, c := range cases {
		for dialect := 2; dialect <= 4; dialect++ {
			n, err := parseIn(t, dialect, false, c.q, nil)
			if err != nil {
				t.Errorf("Parse(%q, dialect %d): %v", c.q, dialect, err)
				continue
			}
			if got := dump(n); got != c.want {
				t.Errorf("Parse(%q, dialect %d) = %s, want %s", c.q, dialect, got, c.want)
			}
		}
	}
}

// TestEscapedStemTerm is C37: `\+kitti` must look up the indexed stem
// "+kitti" as written.
func TestEscapedStemTerm(t *testing.T) {
	for dialect := 1; dialect <= 4; dialect++ {
		n, err := parseIn(t, dialect, false, `\+kitti`, nil)
		if err != nil {
			t.Fatalf("dialect %d: %v", dialect, err)
		}
		term, ok := n.(*Term)
		if !ok {
			t.Fatalf("dialect %d: got %s, want a term", dialect, dump(n))
		}
		if term.Text != "+kitti" || term.Verbatim || term.Fields != AllFields {
			t.Errorf("dialect %d: term = %+v, want +kitti, not verbatim, all fields", dialect, *term)
		}
	}
}
