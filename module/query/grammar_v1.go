package query

import "sync"

// The DIALECT 1 grammar: the productions and precedences of
// src/query_parser/v1/parser.y (RediSearch 2.10), with Go actions.

var (
	grammarV1Once sync.Once
	grammarV1     *grammar
)

func tokOf(v any) token {
	switch t := v.(type) {
	case *token: // as the parser shifts it
		return *t
	case token:
		return t
	}
	return token{}
}
func nodeOf(v any) Node { n, _ := v.(Node); return n }

func buildGrammarV1() *grammar {
	b := newGrammarBuilder("LOWEST", "TILDE", "TAGLIST", "QUOTE", "COLON", "MINUS", "NUMBER", "STOPWORD",
		"TERMLIST", "TERM", "PREFIX", "SUFFIX", "CONTAINS", "PERCENT", "ATTRIBUTE", "LP", "RP", "MODIFIER",
		"AND", "OR", "ORX", "ARROW", "STAR", "LB", "RB", "LSQB", "RSQB", "SEMICOLON")
	b.precedence(assocLeft, "LOWEST")
	b.precedence(assocLeft, "TILDE")
	b.precedence(assocLeft, "TAGLIST")
	b.precedence(assocLeft, "QUOTE")
	b.precedence(assocLeft, "COLON")
	b.precedence(assocLeft, "MINUS")
	b.precedence(assocLeft, "NUMBER")
	b.precedence(assocLeft, "STOPWORD")
	b.precedence(assocLeft, "TERMLIST")
	b.precedence(assocLeft, "TERM")
	b.precedence(assocLeft, "PREFIX", "SUFFIX", "CONTAINS")
	b.precedence(assocLeft, "PERCENT")
	b.precedence(assocLeft, "ATTRIBUTE")
	b.precedence(assocRight, "LP")
	b.precedence(assocLeft, "RP")
	b.precedence(assocLeft, "MODIFIER")
	b.precedence(assocLeft, "AND")
	b.precedence(assocLeft, "OR")
	b.precedence(assocLeft, "ORX")
	b.precedence(assocLeft, "ARROW")

	b.rule("query", "expr", "", func(ps *parseState, a []any) (any, error) { ps.root = nodeOf(a[0]); return nil, nil })
	b.rule("query", "", "", func(ps *parseState, a []any) (any, error) { ps.root = nil; return nil, nil })
	b.rule("query", "STAR", "", func(ps *parseState, a []any) (any, error) {
		ps.root = &Wildcard{Base{DefaultAttrs()}}
		return nil, nil
	})

	b.rule("expr", "expr expr", "AND", func(ps *parseState, a []any) (any, error) {
		return andNodes(nodeOf(a[0]), nodeOf(a[1])), nil
	})
	b.rule("expr", "union", "ORX", func(ps *parseState, a []any) (any, error) { return a[0], nil })
	orRule := func(ps *parseState, a []any) (any, error) { return orNodes(nodeOf(a[0]), nodeOf(a[2])), nil }
	b.rule("union", "expr OR expr", "OR", orRule)
	b.rule("union", "union OR expr", "ORX", orRule)

	b.rule("expr", "modifier COLON expr", "MODIFIER", func(ps *parseState, a []any) (any, error) {
		n := nodeOf(a[2])
		if n != nil && ps.opts.Schema != nil {
			setFieldMask(n, ps.fieldBit(tokOf(a[0]).text))
		}
		return n, nil
	})
	b.rule("expr", "modifierlist COLON expr", "MODIFIER", func(ps *parseState, a []any) (any, error) {
		n := nodeOf(a[2])
		if n != nil && ps.opts.Schema != nil {
			var m FieldMask
			for _, f := range a[0].([]string) {
				m |= ps.fieldBit(f)
			}
			setFieldMask(n, m)
		}
		return n, nil
	})
	b.rule("expr", "LP expr RP", "", func(ps *parseState, a []any) (any, error) { return a[1], nil })

	b.rule("attribute", "ATTRIBUTE COLON term", "", func(ps *parseState, a []any) (any, error) {
		return attribute{name: tokOf(a[0]).text, value: tokOf(a[2]).text}, nil
	})
	b.rule("attribute_list", "attribute", "", func(ps *parseState, a []any) (any, error) {
		return []attribute{a[0].(attribute)}, nil
	})
	b.rule("attribute_list", "attribute_list SEMICOLON attribute", "", func(ps *parseState, a []any) (any, error) {
		l, _ := a[0].([]attribute)
		return append(l, a[2].(attribute)), nil
	})
	b.rule("attribute_list", "attribute_list SEMICOLON", "", func(ps *parseState, a []any) (any, error) { return a[0], nil })
	b.rule("attribute_list", "", "", nil)
	b.rule("expr", "expr ARROW LB attribute_list RB", "", func(ps *parseState, a []any) (any, error) {
		n := nodeOf(a[0])
		l, _ := a[3].([]attribute)
		if len(l) > 0 {
			if err := applyAttributes(n, l); err != nil {
				return nil, err
			}
		}
		return n, nil
	})

	b.rule("expr", "QUOTE termlist QUOTE", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := a[1].(*Intersect)
		p.Exact = true
		markVerbatim(p)
		return p, nil
	})
	b.rule("expr", "QUOTE term QUOTE", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		return newTerm(tokOf(a[1]).text, true), nil
	})
	b.rule("expr", "term", "LOWEST", func(ps *parseState, a []any) (any, error) {
		return wordTerm(tokOf(a[0])), nil
	})
	b.rule("expr", "affix", "PREFIX", func(ps *parseState, a []any) (any, error) { return a[0], nil })
	b.rule("expr", "termlist", "TERMLIST", func(ps *parseState, a []any) (any, error) { return a[0], nil })
	b.rule("expr", "STOPWORD", "STOPWORD", nil)
	b.rule("termlist", "term term", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := newPhrase(false)
		p.Children = []Node{wordTerm(tokOf(a[0])), wordTerm(tokOf(a[1]))}
		return p, nil
	})
	b.rule("termlist", "termlist term", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := a[0].(*Intersect)
		p.Children = append(p.Children, wordTerm(tokOf(a[1])))
		return p, nil
	})
	b.rule("termlist", "termlist STOPWORD", "TERMLIST", func(ps *parseState, a []any) (any, error) { return a[0], nil })

	b.rule("expr", "MINUS expr", "", func(ps *parseState, a []any) (any, error) { return newNot(nodeOf(a[1])), nil })
	b.rule("expr", "TILDE expr", "", func(ps *parseState, a []any) (any, error) { return newOptional(nodeOf(a[1])), nil })

	b.rule("affix", "PREFIX", "PREFIX", func(ps *parseState, a []any) (any, error) { return newAffix(Prefix, tokOf(a[0]).text), nil })
	b.rule("affix", "SUFFIX", "PREFIX", func(ps *parseState, a []any) (any, error) { return newAffix(Suffix, tokOf(a[0]).text), nil })
	b.rule("affix", "CONTAINS", "PREFIX", func(ps *parseState, a []any) (any, error) { return newAffix(Infix, tokOf(a[0]).text), nil })

	fuzzy := func(idx, dist int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			return &Fuzzy{Base: Base{DefaultAttrs()}, Text: Fold(unescape(tokOf(a[idx]).text)), Distance: dist, Fields: AllFields,
				NoEmpty: true}, nil
		}
	}
	for _, w := range []string{"term", "STOPWORD"} {
		b.rule("expr", "PERCENT "+w+" PERCENT", "PREFIX", fuzzy(1, 1))
		b.rule("expr", "PERCENT PERCENT "+w+" PERCENT PERCENT", "PREFIX", fuzzy(2, 2))
		b.rule("expr", "PERCENT PERCENT PERCENT "+w+" PERCENT PERCENT PERCENT", "PREFIX", fuzzy(3, 3))
	}

	b.rule("modifier", "MODIFIER", "", func(ps *parseState, a []any) (any, error) {
		t := tokOf(a[0])
		t.text = unescape(t.text)
		return t, nil
	})
	b.rule("modifierlist", "modifier OR term", "", func(ps *parseState, a []any) (any, error) {
		return []string{tokOf(a[0]).text, tokOf(a[2]).text}, nil
	})
	b.rule("modifierlist", "modifierlist OR term", "", func(ps *parseState, a []any) (any, error) {
		return append(a[0].([]string), tokOf(a[2]).text), nil
	})

	b.rule("expr", "modifier COLON tag_list", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		if !ps.fieldExists(mod.text) {
			return nil, nil
		}
		return &Tag{Base: Base{DefaultAttrs()}, Field: mod.text, Values: a[2].(*tagList).values}, nil
	})
	tagTerm := func(idx int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			l, _ := a[0].(*tagList)
			if l == nil {
				l = &tagList{}
			}
			l.values = append(l.values, TagValue{Text: unescape(tokOf(a[idx]).text), Kind: TagExact})
			return l, nil
		}
	}
	tagNode := func(idx int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			l, _ := a[0].(*tagList)
			if l == nil {
				l = &tagList{}
			}
			l.values = append(l.values, tagValueOf(nodeOf(a[idx])))
			return l, nil
		}
	}
	b.rule("tag_list", "LB term", "TAGLIST", tagTerm(1))
	b.rule("tag_list", "LB STOPWORD", "TAGLIST", tagTerm(1))
	b.rule("tag_list", "LB affix", "TAGLIST", tagNode(1))
	b.rule("tag_list", "LB termlist", "TAGLIST", tagNode(1))
	b.rule("tag_list", "tag_list OR term", "TAGLIST", tagTerm(2))
	b.rule("tag_list", "tag_list OR STOPWORD", "TAGLIST", tagTerm(2))
	b.rule("tag_list", "tag_list OR affix", "TAGLIST", tagNode(2))
	b.rule("tag_list", "tag_list OR termlist", "TAGLIST", tagNode(2))
	b.rule("tag_list", "tag_list RB", "TAGLIST", func(ps *parseState, a []any) (any, error) { return a[0], nil })

	b.rule("expr", "modifier COLON numeric_range", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		if !ps.fieldExists(mod.text) {
			return nil, nil
		}
		n := a[2].(*Numeric)
		n.Field = mod.text
		return n, nil
	})
	b.rule("numeric_range", "LSQB num num RSQB", "NUMBER", func(ps *parseState, a []any) (any, error) {
		lo, hi := a[1].(numVal), a[2].(numVal)
		return newNumeric("", lo.num, hi.num, lo.inclusive, hi.inclusive), nil
	})
	b.rule("expr", "modifier COLON geo_filter", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		g := a[2].(*Geo)
		if !ps.fieldExists(mod.text) {
			return nil, nil
		}
		g.Field = mod.text
		return g, nil
	})
	b.rule("geo_filter", "LSQB num num num TERM RSQB", "NUMBER", func(ps *parseState, a []any) (any, error) {
		g, err := newGeo(a[1].(numVal).num, a[2].(numVal).num, a[3].(numVal).num, tokOf(a[4]).text)
		if err != nil {
			return nil, err
		}
		return g, nil
	})
	b.rule("num", "NUMBER", "", func(ps *parseState, a []any) (any, error) {
		return numVal{num: tokOf(a[0]).num, inclusive: true}, nil
	})
	b.rule("num", "LP num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.inclusive = false
		return v, nil
	})
	b.rule("num", "MINUS num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.num = -v.num
		return v, nil
	})
	b.rule("term", "TERM", "", func(ps *parseState, a []any) (any, error) { return a[0], nil })
	b.rule("term", "NUMBER", "", func(ps *parseState, a []any) (any, error) { return a[0], nil })

	g := b.build()
	for k, name := range map[tokenKind]string{tkNumber: "NUMBER", tkInf: "NUMBER", tkModifier: "MODIFIER",
		tkAttribute: "ATTRIBUTE", tkArrow: "ARROW", tkQuote: "QUOTE", tkOr: "OR", tkLP: "LP", tkRP: "RP",
		tkLB: "LB", tkRB: "RB", tkColon: "COLON", tkSemicolon: "SEMICOLON", tkMinus: "MINUS", tkTilde: "TILDE",
		tkStar: "STAR", tkPercent: "PERCENT", tkLSQB: "LSQB", tkRSQB: "RSQB", tkTerm: "TERM", tkPrefix: "PREFIX",
		tkSuffix: "SUFFIX", tkContains: "CONTAINS"} {
		g.kindToSym[k] = g.ids[name]
	}
	return g
}

// markVerbatim marks an exact phrase's words: they are matched as written,
// never expanded.
func markVerbatim(p *Intersect) {
	for _, c := range p.Children {
		if t, ok := c.(*Term); ok {
			t.Verbatim = true
		}
	}
}

// tagValueOf turns a node parsed inside `{…}` into a tag value.
func tagValueOf(n Node) TagValue {
	switch x := n.(type) {
	case *Affix:
		kind := map[AffixKind]TagKind{Prefix: TagPrefix, Suffix: TagSuffix, Infix: TagInfix}[x.Kind]
		return TagValue{Text: x.Text, Kind: kind}
	case *Intersect:
		var words []string
		for _, c := range x.Children {
			if t, ok := c.(*Term); ok {
				words = append(words, t.Text)
			}
		}
		return TagValue{Text: joinWords(words), Kind: TagExact, Words: words}
	case *Term:
		return TagValue{Text: x.Text, Kind: TagExact}
	}
	return TagValue{}
}

func joinWords(w []string) string {
	s := ""
	for i, x := range w {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}
