package expr

import "testing"

// FuzzParse parses arbitrary input and evaluates whatever parses against a
// small fixed row: neither step may panic, and errors must be *Error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"@price + 1", "(@a + 10) / 5", "@price ^ 2", "@price % 0", "!@x || @y && @z",
		`format("%s|%s", @title, @price)`, `split(@tags, ",", " ")`, `substr(@title, -3, -1)`,
		`contains(@title, "")`, `startswith(@title, "He")`, "timefmt(@ts, \"%c %j %U\")",
		`parsetime("2018-01-31 16:45:44", "%Y-%m-%d %H:%M:%S")`, "geodistance(@loc, 1, 2)",
		"matched_terms(3)", "exists(@missing)", "NULL == NULL", "-inf < inf", "'a\\'b' != \"c\\\"d\"",
		"$p * 2", "nofn(1)", "foo bar", "@a-1", "1+2", "lower(upper(@title))", "hour(@ts) + day(@ts)",
		"to_number(\"0x1A\") + to_str(3)", "abs(1, 2)", "year(-1)", "((((1))))", "@\xc3\xa9 == 1",
	} {
		f.Add(s)
	}
	env := MapEnv{
		Props: map[string]Value{
			"price": Number(12.5), "title": String("Hello World"), "tags": String("a, b,,c"),
			"a": String("3"), "x": Number(0), "y": String(""), "z": Array(String("t")),
			"ts": Number(1517417144), "loc": String("-0.09,51.5"), "\xc3\xa9": Number(1),
		},
		Params: map[string]Value{"p": Number(2)},
		Terms:  []string{"hello", "world"},
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) error of type %T", src, err)
			}
			return
		}
		v, err := e.Eval(env)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Eval(%q) error of type %T", src, err)
			}
			return
		}
		_ = Format(v)
		_ = Reply(v)
		_ = e.String()
		_ = e.Properties()
	})
}
