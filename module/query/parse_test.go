package query

import (
	"fmt"
	"strings"
	"testing"
)

// dump renders a tree compactly for table tests.
func dump(n Node) string {
	attrs := func(a *Attrs) string {
		if *a == DefaultAttrs() {
			return ""
		}
		return fmt.Sprintf("{w=%g s=%d o=%v}", a.Weight, a.Slop, a.InOrder)
	}
	mask := func(m FieldMask) string {
		if m == AllFields {
			return ""
		}
		return fmt.Sprintf("@%d:", m)
	}
	list := func(ns []Node) string {
		var s []string
		for _, c := range ns {
			s = append(s, dump(c))
		}
		return strings.Join(s, " ")
	}
	switch x := n.(type) {
	case *Intersect:
		kind := "and"
		if x.Exact {
			kind = "exact"
		}
		return mask(x.Fields) + "(" + kind + " " + list(x.Children) + ")" + attrs(&x.Attr)
	case *Union:
		return mask(x.Fields) + "(or " + list(x.Children) + ")" + attrs(&x.Attr)
	case *Not:
		return "(not " + dump(x.Child) + ")"
	case *Optional:
		return "(opt " + dump(x.Child) + ")"
	case *Term:
		v := ""
		if x.Verbatim {
			v = "!"
		}
		return mask(x.Fields) + x.Text + v + attrs(&x.Attr)
	case *Affix:
		return mask(x.Fields) + [...]string{"pre:", "suf:", "inf:"}[x.Kind] + x.Text
	case *Fuzzy:
		return fmt.Sprintf("%sfuzzy%d:%s", mask(x.Fields), x.Distance, x.Text)
	case *Wildcard:
		return "*"
	case *Empty:
		return "<empty>"
	case *Numeric:
		lo, hi := "[", "]"
		if x.MinExclusive {
			lo = "("
		}
		if x.MaxExclusive {
			hi = ")"
		}
		return fmt.Sprintf("@%s%s%g,%g%s", x.Field, lo, x.Min, x.Max, hi)
	case *Geo:
		return fmt.Sprintf("geo:@%s[%g %g %g %s]", x.Field, x.Lon, x.Lat, x.Radius, x.Unit)
	case *Tag:
		var vs []string
		for _, v := range x.Values {
			vs = append(vs, fmt.Sprintf("%d:%s", v.Kind, v.Text))
		}
		return "tag:@" + x.Field + "{" + strings.Join(vs, "|") + "}"
	case *VectorKNN:
		filter := "nil"
		if x.Filter != nil {
			filter = dump(x.Filter)
		}
		return fmt.Sprintf("knn(@%s k=%d $%s/%dB as=%s%s filter=%s)%s", x.Field, x.K, x.BlobParam, len(x.Blob),
			x.ScoreField(), dumpVecParams(x.Params), filter, attrs(&x.Attr))
	case *VectorRange:
		return fmt.Sprintf("range(@%s r=%g $%s/%dB as=%s%s)%s", x.Field, x.Radius, x.BlobParam, len(x.Blob),
			x.ScoreAlias, dumpVecParams(x.Params), attrs(&x.Attr))
	}
	return fmt.Sprintf("%T", n)
}

func dumpVecParams(ps []VectorParam) string {
	var s string
	for _, p := range ps {
		s += " " + p.Name + "=" + p.Value
	}
	return s
}

func TestParseTrees(t *testing.T) {
	cases := []struct {
		dialect int
		index   string
		q       string
		want    string
		params  map[string]string
	}{
		{1, "idx", "hello world", "(and hello world)", nil},
		{1, "idx", "", "<empty>", nil},
		{1, "idx", "the a", "<empty>", nil},
		{1, "idx", "*", "*", nil},
		{2, "idx", "(*)", "*", nil},
		{1, "idx", "Hello WORLD", "(and hello world)", nil},
		{1, "idx", `hello world | "goodbye" moon`, "(and (or (and hello world) goodbye!) moon)", nil},
		{2, "idx", `hello world | "goodbye" moon`, "(or (and hello world) (and goodbye! moon))", nil},
		{1, "idx", "-hello world", "(not (and hello world))", nil},
		{2, "idx", "-hello world", "(and (not hello) world)", nil},
		{1, "idx2", "@name:James Brown", "@1:(and @1:james @1:brown)", nil},
		{2, "idx2", "@name:James Brown", "(and @1:james brown)", nil},
		{2, "idx", "@title|body:(a1 b1)", "@3:(and @3:a1 @3:b1)", nil},
		{1, "idx", `"the quick brown"`, "", nil}, // stop word first in a phrase: syntax error in DIALECT 1
		// Stop words stay in a DIALECT 2 phrase, where no document can
		// match them (golden search.jsonl 128, 348, 393, 1463 find nothing).
		{2, "idx", `"quick brown the fox"`, "(exact quick! brown! the! fox!)", nil},
		{1, "idx", "hel* *ing *ell*", "(and pre:hel suf:ing inf:ell)", nil},
		{1, "idx", "%word% %%word%% %%%word%%%", "(and fuzzy1:word fuzzy2:word fuzzy3:word)", nil},
		{1, "idx", "~opt must", "(opt (and opt must))", nil},
		{1, "idx", "hello-world", "(and hello (not world))", nil},
		{1, "idx", `hello\-world`, `hello-world`, nil},
		// Numbers are words the module does not expand (NUMBER and SIZE
		// terms are verbatim, NewTokenNode_WithParams; test_phonetic.py's
		// testPoneticOnNumbers depends on it).
		{1, "idx", "2024 1.5", "(and 2024! 1.5!)", nil},
		{2, "idx", "2024 abc", "(and 2024! abc)", nil},
		{1, "idx", "@price:[(1 +inf]", "@price(1,+Inf]", nil},
		{1, "idx", "@price:[-inf (5]", "@price[-Inf,5)", nil},
		{2, "idx", "@price:[-INF 5]", "@price[-Inf,5]", nil},
		{2, "idx", "@price==3", "@price[3,3]", nil},
		{2, "idx", "@price!=3", "(not @price[3,3])", nil},
		{2, "idx", "@price>3", "@price(3,+Inf]", nil},
		{2, "idx", "@price>=3", "@price[3,+Inf]", nil},
		{2, "idx", "@price<3", "@price[-Inf,3)", nil},
		{2, "idx", "@price<=3", "@price[-Inf,3]", nil},
		{2, "idx", "@price:[5]", "@price[5,5]", nil},
		{2, "idx", "@price:[$lo $hi]", "@price[1,2.5]", map[string]string{"lo": "1", "hi": "2.5"}},
		{2, "idx", "@tags:{a | b c | pre* | New\\ York}", "tag:@tags{0:a|0:b c|1:pre|0:New York}", nil},
		{2, "idx", "@tags:{$t}", "tag:@tags{0:Mixed}", map[string]string{"t": "Mixed"}},
		{1, "idx", "@tags:{a} | b", "tag:@tags{0:a|0:b}", nil}, // DIALECT 1 folds `| b` into the tag list
		{1, "idx", "@nosuch:{a} hello", "hello", nil},
		{1, "idx", "@nosuch:hello", "@0:hello", nil},
		{2, "idx", "@loc:[1.5 2.5 10 KM]", "geo:@loc[1.5 2.5 10 km]", nil},
		{2, "idx", "$w", "hello", map[string]string{"w": "Hello"}},
		{2, "idx", "hello=>{$weight: 2; $slop: 1; $inorder: true}", "hello{w=2 s=1 o=true}", nil},
		{2, "idx", "(a1 b1)=>{$weight: 0.5;}", "(and a1 b1){w=0.5 s=-1 o=false}", nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("d%d %s", c.dialect, c.q), func(t *testing.T) {
			opts := goldenOptions(c.index, nil)
			opts.Dialect = c.dialect
			opts.Params = c.params
			n, err := Parse(c.q, opts)
			if c.want == "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %s, want an error", c.q, dump(n))
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.q, err)
			}
			if got := dump(n); got != c.want {
				t.Errorf("Parse(%q) = %s, want %s", c.q, got, c.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		dialect int
		q       string
		params  map[string]string
		want    string
	}{
		{1, "hello kitty @score:[5, $n]", map[string]string{"n": "10"}, "Syntax error at offset 23 near n"},
		{1, "hello kitty @score:[5]", nil, "Syntax error at offset 21 near 5"},
		{1, "(*)", nil, "Syntax error at offset 1 near "},
		{1, `"wind and" wind`, nil, "Syntax error at offset 6 near and"},
		{1, "(@tags:{windows |redis} | budget | \"search re\")", nil, "Syntax error at offset 35 near budget"},
		{2, "a | b | @tags:{x}", nil, "Syntax error at offset 8 near tags"},
		{2, "sorting |", nil, "Syntax error at offset 8 near sorting"},
		{1, "|sitting", nil, "Syntax error at offset 0 near "},
		{2, "$param", nil, "No such parameter `param`"},
		{2, "@price:[$lo $hi]", nil, "No such parameter `lo`"},
		{2, "activity => {$weight: abc}", nil, "Invalid value (abc) for `weight`"},
		{2, "activity => {$color: red}", nil, "Invalid attribute color"},
		{1, "@loc:[-73.9 40.7 10 parsecs]", nil, "Invalid GeoFilter unit"},
		{1, "@loc:[200 100 10 km]", nil, "Invalid GeoFilter lat/lon"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("d%d %s", c.dialect, c.q), func(t *testing.T) {
			opts := goldenOptions("idx", nil)
			opts.Dialect = c.dialect
			opts.Params = c.params
			_, err := Parse(c.q, opts)
			if err == nil || err.Error() != c.want {
				t.Fatalf("Parse(%q) error = %v, want %q", c.q, err, c.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error type %T, want *Error", err)
			}
		})
	}
}

func TestExplainBasics(t *testing.T) {
	schema := goldenSchemas["idx"]
	cases := []struct {
		dialect int
		q, want string
	}{
		{1, "", "<empty>\n"},
		{2, "(*)", "<WILDCARD>\n"},
		{2, "@price>3", "NUMERIC {3.000000 < @price <= inf}\n"},
		{2, "@title:hello=>{$weight: 2}", "@title:hello => {$weight: 2;}\n"},
		{2, "(hello world)=>{$slop: 1}", "INTERSECT {\n  hello\n  world\n} => { $slop: 1; $inorder: false; }\n"},
		{2, "@title:(-hello)", "@title:NOT{\n  @title:hello\n}\n"},
		{2, "%%fuzz%%", "FUZZY{fuzz}\n"},
		{2, "*ing", "SUFFIX{*ing}\n"},
		{2, "@tags:{big data}", "TAG:@tags {\n  INTERSECT {\n    big\n    data\n  }\n}\n"},
	}
	for _, c := range cases {
		opts := goldenOptions("idx", nil)
		opts.Dialect = c.dialect
		n, err := Parse(c.q, opts)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.q, err)
		}
		if got := Explain(n, ExplainOptions{Schema: schema}); got != c.want {
			t.Errorf("Explain(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"HeLLo": "hello", "ÉCOLE": "école", "STRASSE": "strasse", "ΑΒΓ": "αβγ"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
