package integration

import (
	"testing"

	. "github.com/miniredis-search/miniredis-search/internal/testutil"
)

// TestSearchAcceptanceExprArity: 8.x checks a function call's argument count
// when it parses an APPLY/FILTER expression (src/aggregate/expr/parser.y,
// "expr ::= SYMBOL LP arglist RP", against the minArgs/maxArgs each
// function is registered with in src/aggregate/functions/*.c), so the error
// comes before any row is read — on an empty index too, where 2.10's check
// at run time never fired — and FT.CREATE ... FILTER refuses the index.
func TestSearchAcceptanceExprArity(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{"expression arity errors", func(s *session) {
			s.must("FT.CREATE", "idx", "ON", "HASH", "SCHEMA", "title", "TEXT", "SORTABLE", "price", "NUMERIC", OK)
			// No documents yet: the expression is never run, and still refused.
			s.must("FT.AGGREGATE", "idx", "*", "APPLY", "substr(@title)", "AS", "x",
				Err("Function 'substr' expects 3 arguments, but got 1"))
			s.must("HSET", "doc1", "title", "hello world", "price", "10", Int(2))
			s.waitIndexed("idx")
			// substr 3 3, split 1 3 (string.c RegisterStringFunctions);
			// the name as written, looked up ignoring case.
			s.must("FT.AGGREGATE", "idx", "*", "LOAD", "1", "@title", "APPLY", "SUBSTR(@title)", "AS", "x",
				Err("Function 'SUBSTR' expects 3 arguments, but got 1"))
			s.must("FT.AGGREGATE", "idx", "*", "FILTER", "split() == 1",
				Err("Function 'split' expects between 1 and 3 arguments, but got 0"))
			// geodistance 2 4 (geo.c RegisterGeoFunctions)
			s.must("FT.AGGREGATE", "idx", "*", "APPLY", "geodistance(1, 2, 3, 4, 5)", "AS", "d",
				Err("Function 'geodistance' expects between 2 and 4 arguments, but got 5"))
			// An unknown name is reported before any count.
			s.must("FT.AGGREGATE", "idx", "*", "APPLY", "nofn()", "AS", "x", Err("Unknown function name 'nofn'"))
			// FT.CREATE ... FILTER parses its expression when the index is
			// created (timefmt 1 2, date.c RegisterDateFunctions).
			s.must("FT.CREATE", "idx2", "ON", "HASH", "FILTER", "timefmt() == 1", "SCHEMA", "t", "TEXT",
				Err("Function 'timefmt' expects between 1 and 2 arguments, but got 0"))
		}},
	})
}
