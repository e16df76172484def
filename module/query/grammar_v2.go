package query

import "sync"

// The DIALECT 2 grammar: the productions and precedences of
// src/query_parser/v2/parser.y (RediSearch 2.10, with 8.2's geometry
// (GEOSHAPE) and ISMISSING productions and empty-string term), with Go
// actions. The w'…' production is kept so that syntax errors land where the
// module's do, but its action reports it unsupported.

var (
	grammarV2Once sync.Once
	grammarV2     *grammar
)

// paramTerm is a param_term / param_term_case value.
type paramTerm struct {
	tok     token
	isParam bool
}

func (ps *parseState) termText(v any, fold bool) string {
	pt := v.(paramTerm)
	s := pt.tok.text
	if pt.isParam {
		s = ps.param(s)
	} else {
		s = unescape(s)
	}
	if fold {
		s = Fold(s)
	}
	return s
}

func (ps *parseState) termNode(v any) *Term {
	pt := v.(paramTerm)
	return &Term{Base: Base{DefaultAttrs()}, Text: ps.termText(v, true), Fields: AllFields,
		Verbatim: !pt.isParam && pt.tok.number}
}

func buildGrammarV2() *grammar {
	b := newGrammarBuilder("LOWEST", "TEXTEXPR", "ORX", "OR", "ISMISSING", "MODIFIER", "RP", "RB", "RSQB",
		"TERM", "QUOTE", "LP", "LB", "LSQB", "TILDE", "MINUS", "EXCLAMATION", "AND", "NOT_EQUAL", "EQUAL",
		"GE", "GT", "LE", "LT", "ARROW", "COLON", "NUMBER", "SIZE", "STAR", "TAGLIST", "TERMLIST", "PREFIX",
		"SUFFIX", "CONTAINS", "PERCENT", "ATTRIBUTE", "VERBATIM", "WILDCARD", "AS_T", "SEMICOLON")
	for _, level := range [][]string{{"LOWEST"}, {"TEXTEXPR"}, {"ORX"}, {"OR"}, {"ISMISSING"}, {"MODIFIER"},
		{"RP", "RB", "RSQB"}, {"TERM"}, {"QUOTE"}, {"LP", "LB", "LSQB"}, {"TILDE", "MINUS", "EXCLAMATION"},
		{"AND"}, {"NOT_EQUAL", "EQUAL"}, {"GE", "GT", "LE", "LT"}, {"ARROW"}, {"COLON"}, {"NUMBER"}, {"SIZE"},
		{"STAR"}, {"TAGLIST"}, {"TERMLIST"}, {"PREFIX", "SUFFIX", "CONTAINS"}, {"PERCENT"}, {"ATTRIBUTE"},
		{"VERBATIM", "WILDCARD"}} {
		b.precedence(assocLeft, level...)
	}
	pass := func(i int) reduceFunc { return func(ps *parseState, a []any) (any, error) { return a[i], nil } }

	b.rule("query", "expr", "", func(ps *parseState, a []any) (any, error) { ps.root = nodeOf(a[0]); return nil, nil })
	b.rule("query", "", "", func(ps *parseState, a []any) (any, error) { ps.root = nil; return nil, nil })
	b.rule("query", "star", "", func(ps *parseState, a []any) (any, error) {
		ps.root = &Wildcard{Base{DefaultAttrs()}}
		return nil, nil
	})
	b.rule("star", "STAR", "", nil)
	b.rule("star", "LP star RP", "", nil)
	b.rule("expr", "text_expr", "TEXTEXPR", pass(0))

	and := func(ps *parseState, a []any) (any, error) { return andNodesRight(nodeOf(a[0]), nodeOf(a[1])), nil }
	b.rule("expr", "expr expr", "AND", and)
	b.rule("expr", "text_expr expr", "AND", and)
	b.rule("expr", "expr text_expr", "AND", and)
	b.rule("text_expr", "text_expr text_expr", "AND", and)

	or := func(ps *parseState, a []any) (any, error) { return orNodes(nodeOf(a[0]), nodeOf(a[2])), nil }
	appendUnion := func(ps *parseState, a []any) (any, error) { return appendOr(nodeOf(a[0]), nodeOf(a[2])), nil }
	b.rule("expr", "union", "ORX", pass(0))
	b.rule("union", "expr OR expr", "OR", or)
	b.rule("union", "union OR expr", "OR", appendUnion)
	b.rule("union", "text_expr OR expr", "OR", or)
	b.rule("union", "expr OR text_expr", "OR", or)
	b.rule("text_expr", "text_union", "ORX", pass(0))
	b.rule("text_union", "text_expr OR text_expr", "OR", or)
	b.rule("text_union", "text_union OR text_expr", "OR", appendUnion)

	b.rule("expr", "modifier COLON text_expr", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		n := nodeOf(a[2])
		if n != nil && ps.opts.Schema != nil {
			setFieldMask(n, ps.fieldBit(mod.text))
		}
		return n, nil
	})
	b.rule("expr", "modifierlist COLON text_expr", "", func(ps *parseState, a []any) (any, error) {
		ml := a[0].(modList)
		n := nodeOf(a[2])
		if n != nil && ps.opts.Schema != nil {
			var m FieldMask
			for _, f := range ml.names {
				m |= ps.fieldBit(f)
			}
			setFieldMask(n, m)
		}
		return n, nil
	})
	b.rule("expr", "LP expr RP", "", pass(1))
	b.rule("text_expr", "LP text_expr RP", "", pass(1))

	// A $param value is looked up as the attribute is reduced; a missing one
	// fails the parse there (Param_DictGet with the parse's status).
	b.rule("attribute", "ATTRIBUTE COLON param_term", "", func(ps *parseState, a []any) (any, error) {
		pt := a[2].(paramTerm)
		v := pt.tok.text
		if pt.isParam {
			pv, ok := ps.opts.Params[v]
			if !ok {
				return nil, newError("No such parameter `%s`", v)
			}
			v = pv
		}
		return attribute{name: tokOf(a[0]).text, value: v}, nil
	})
	b.rule("attribute_list", "attribute", "", func(ps *parseState, a []any) (any, error) {
		return []attribute{a[0].(attribute)}, nil
	})
	b.rule("attribute_list", "attribute_list SEMICOLON attribute", "", func(ps *parseState, a []any) (any, error) {
		l, _ := a[0].([]attribute)
		return append(l, a[2].(attribute)), nil
	})
	b.rule("attribute_list", "attribute_list SEMICOLON", "", pass(0))
	b.rule("attribute_list", "", "", nil)
	withAttrs := func(ps *parseState, a []any) (any, error) {
		n := nodeOf(a[0])
		if l, _ := a[3].([]attribute); len(l) > 0 {
			if err := applyAttributes(n, l); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	b.rule("expr", "expr ARROW LB attribute_list RB", "", withAttrs)
	b.rule("text_expr", "text_expr ARROW LB attribute_list RB", "", withAttrs)

	b.rule("text_expr", "QUOTE termlist QUOTE", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := a[1].(*Intersect)
		p.Exact = true
		markVerbatim(p)
		return p, nil
	})
	b.rule("text_expr", "QUOTE term QUOTE", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		return newTerm(tokOf(a[1]).text, true), nil
	})
	b.rule("text_expr", "QUOTE ATTRIBUTE QUOTE", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		return newTerm("$"+tokOf(a[1]).text, true), nil
	})
	b.rule("text_expr", "param_term", "LOWEST", func(ps *parseState, a []any) (any, error) {
		pt := a[0].(paramTerm)
		if !pt.isParam && ps.isStopword(pt.tok.text) {
			return nil, nil
		}
		return ps.termNode(pt), nil
	})
	b.rule("text_expr", "affix", "PREFIX", pass(0))
	b.rule("text_expr", "verbatim", "VERBATIM", pass(0))
	b.rule("termlist", "param_term param_term", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := newPhrase(false)
		p.Children = []Node{ps.termNode(a[0]), ps.termNode(a[1])}
		return p, nil
	})
	// Every word of a phrase is kept, stop words included: the module then
	// finds no document for such a phrase (the golden replies show it).
	b.rule("termlist", "termlist param_term", "TERMLIST", func(ps *parseState, a []any) (any, error) {
		p := a[0].(*Intersect)
		pt := a[1].(paramTerm)
		p.Children = append(p.Children, ps.termNode(pt))
		return p, nil
	})

	b.rule("expr", "MINUS expr", "", func(ps *parseState, a []any) (any, error) { return newNot(nodeOf(a[1])), nil })
	b.rule("text_expr", "MINUS text_expr", "", func(ps *parseState, a []any) (any, error) { return newNot(nodeOf(a[1])), nil })
	b.rule("expr", "TILDE expr", "", func(ps *parseState, a []any) (any, error) { return newOptional(nodeOf(a[1])), nil })
	b.rule("text_expr", "TILDE text_expr", "", func(ps *parseState, a []any) (any, error) { return newOptional(nodeOf(a[1])), nil })

	affix := func(kind AffixKind) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			t := tokOf(a[0])
			text := t.text
			if t.param {
				text = ps.param(text)
			}
			return newAffix(kind, text), nil
		}
	}
	b.rule("affix", "PREFIX", "", affix(Prefix))
	b.rule("affix", "SUFFIX", "", affix(Suffix))
	b.rule("affix", "CONTAINS", "", affix(Infix))
	b.rule("verbatim", "WILDCARD", "", func(ps *parseState, a []any) (any, error) {
		return nil, errUnsupported("wildcard pattern")
	})

	fuzzy := func(idx, dist int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			return &Fuzzy{Base: Base{DefaultAttrs()}, Text: ps.termText(a[idx], true), Distance: dist, Fields: AllFields}, nil
		}
	}
	b.rule("text_expr", "PERCENT param_term PERCENT", "PREFIX", fuzzy(1, 1))
	b.rule("text_expr", "PERCENT PERCENT param_term PERCENT PERCENT", "PREFIX", fuzzy(2, 2))
	b.rule("text_expr", "PERCENT PERCENT PERCENT param_term PERCENT PERCENT PERCENT", "PREFIX", fuzzy(3, 3))

	b.rule("modifier", "MODIFIER", "", func(ps *parseState, a []any) (any, error) {
		t := tokOf(a[0])
		t.text = unescape(t.text)
		if err := ps.checkField(t); err != nil {
			return nil, err
		}
		return t, nil
	})
	// The later names of a list are looked up as written (escapes kept), as
	// the real parser does.
	b.rule("modifierlist", "modifier OR term", "", func(ps *parseState, a []any) (any, error) {
		if err := ps.checkField(tokOf(a[2])); err != nil {
			return nil, err
		}
		return modList{first: tokOf(a[0]), names: []string{tokOf(a[0]).text, tokOf(a[2]).text}}, nil
	})
	b.rule("modifierlist", "modifierlist OR term", "", func(ps *parseState, a []any) (any, error) {
		if err := ps.checkField(tokOf(a[2])); err != nil {
			return nil, err
		}
		ml := a[0].(modList)
		ml.names = append(ml.names, tokOf(a[2]).text)
		return ml, nil
	})
	// ismissing(@f): the documents without the field. Whether the field
	// indexes missing values is checked when the query runs (8.2's
	// Query_EvalMissingNode), so FT.EXPLAIN prints the node either way.
	b.rule("expr", "ISMISSING LP modifier RP", "", func(ps *parseState, a []any) (any, error) {
		return &Missing{Base: Base{DefaultAttrs()}, Field: tokOf(a[2]).text}, nil
	})

	b.rule("expr", "modifier COLON LB tag_list RB", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		return &Tag{Base: Base{DefaultAttrs()}, Field: mod.text, Values: a[3].(*tagList).values}, nil
	})
	tagTerm := func(idx int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			l, _ := a[0].(*tagList)
			if idx == 0 {
				l = &tagList{}
			}
			l.values = append(l.values, TagValue{Text: ps.termText(a[idx], false), Kind: TagExact})
			return l, nil
		}
	}
	tagNode := func(idx int) reduceFunc {
		return func(ps *parseState, a []any) (any, error) {
			l, _ := a[0].(*tagList)
			if idx == 0 {
				l = &tagList{}
			}
			l.values = append(l.values, tagValueOf(nodeOf(a[idx])))
			return l, nil
		}
	}
	b.rule("tag_list", "param_term_case", "TAGLIST", tagTerm(0))
	b.rule("tag_list", "affix", "TAGLIST", tagNode(0))
	b.rule("tag_list", "verbatim", "TAGLIST", tagNode(0))
	b.rule("tag_list", "termlist", "TAGLIST", tagNode(0))
	b.rule("tag_list", "tag_list OR param_term_case", "TAGLIST", tagTerm(2))
	b.rule("tag_list", "tag_list OR affix", "TAGLIST", tagNode(2))
	b.rule("tag_list", "tag_list OR verbatim", "TAGLIST", tagNode(2))
	b.rule("tag_list", "tag_list OR termlist", "TAGLIST", tagNode(2))

	numericNode := func(ps *parseState, mod token, lo, hi *numVal) (Node, error) {
		min, max := numVal{num: negInf, inclusive: true}, numVal{num: posInf, inclusive: true}
		if lo != nil {
			min = *lo
			min.num = ps.resolveNum(*lo)
		}
		if hi != nil {
			max = *hi
			max.num = ps.resolveNum(*hi)
		}
		return newNumeric(mod.text, min.num, max.num, min.inclusive, max.inclusive), nil
	}
	b.rule("expr", "modifier COLON numeric_range", "", func(ps *parseState, a []any) (any, error) {
		r := a[2].([2]numVal)
		return numericNode(ps, tokOf(a[0]), &r[0], &r[1])
	})
	rng := func(ps *parseState, a []any) (any, error) { return [2]numVal{a[1].(numVal), a[2].(numVal)}, nil }
	b.rule("numeric_range", "LSQB param_num param_num RSQB", "NUMBER", rng)
	b.rule("numeric_range", "LSQB exclusive_param_num param_num RSQB", "NUMBER", rng)
	b.rule("numeric_range", "LSQB param_num exclusive_param_num RSQB", "NUMBER", rng)
	b.rule("numeric_range", "LSQB exclusive_param_num exclusive_param_num RSQB", "NUMBER", rng)
	b.rule("numeric_range", "LSQB param_num RSQB", "NUMBER", func(ps *parseState, a []any) (any, error) {
		return [2]numVal{a[1].(numVal), a[1].(numVal)}, nil
	})
	b.rule("expr", "modifier NOT_EQUAL param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[2].(numVal)
		n, err := numericNode(ps, tokOf(a[0]), &v, &v)
		if err != nil {
			return nil, err
		}
		return newNot(n), nil
	})
	b.rule("expr", "modifier numeric_operator", "", func(ps *parseState, a []any) (any, error) {
		op := a[1].(numericOp)
		return numericNode(ps, tokOf(a[0]), op.lo, op.hi)
	})
	b.rule("numeric_operator", "EQUAL EQUAL param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[2].(numVal)
		return numericOp{lo: &v, hi: &v}, nil
	})
	b.rule("numeric_operator", "GT param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.inclusive = false
		return numericOp{lo: &v}, nil
	})
	b.rule("numeric_operator", "GE param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		return numericOp{lo: &v}, nil
	})
	b.rule("numeric_operator", "LT param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.inclusive = false
		return numericOp{hi: &v}, nil
	})
	b.rule("numeric_operator", "LE param_num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		return numericOp{hi: &v}, nil
	})

	b.rule("expr", "modifier COLON geo_filter", "", func(ps *parseState, a []any) (any, error) {
		mod := tokOf(a[0])
		g := a[2].(*Geo)
		g.Field = mod.text
		return g, nil
	})
	b.rule("geo_filter", "LSQB param_num param_num param_num param_term RSQB", "NUMBER", func(ps *parseState, a []any) (any, error) {
		g, err := newGeo(ps.resolveNum(a[1].(numVal)), ps.resolveNum(a[2].(numVal)), ps.resolveNum(a[3].(numVal)),
			ps.termText(a[4], false))
		if err != nil {
			return nil, err
		}
		return g, nil
	})

	b.rule("expr", "modifier COLON geometry_query", "", func(ps *parseState, a []any) (any, error) {
		return ps.geoShapeNode(tokOf(a[0]), a[2].(*GeoShape))
	})
	b.rule("geometry_query", "LSQB TERM ATTRIBUTE RSQB", "", func(ps *parseState, a []any) (any, error) {
		return ps.geometryQuery(tokOf(a[1]), tokOf(a[2]))
	})

	// Vector queries. A KNN clause is only ever the whole query, after a
	// filter that is `*`, one clause or a parenthesised expression (the
	// grammar gives `a b=>[KNN …]` no parse, so the module reports a syntax
	// error at the arrow).
	filterOf := func(lead string, v any) Node {
		if lead == "star" {
			return &Wildcard{Base{DefaultAttrs()}}
		}
		return nodeOf(v)
	}
	for _, lead := range []string{"expr", "text_expr", "star"} {
		lead := lead
		b.rule("query", lead+" ARROW LSQB vector_query RSQB", "", func(ps *parseState, a []any) (any, error) {
			knn, err := ps.finishKNN(filterOf(lead, a[0]), a[3].(*vecQuery), nil)
			if err != nil {
				return nil, err
			}
			ps.root = knn
			return nil, nil
		})
		b.rule("query", lead+" ARROW LSQB vector_query RSQB ARROW LB attribute_list RB", "", func(ps *parseState, a []any) (any, error) {
			l, _ := a[7].([]attribute)
			knn, err := ps.finishKNN(filterOf(lead, a[0]), a[3].(*vecQuery), l)
			if err != nil {
				return nil, err
			}
			ps.root = knn
			return nil, nil
		})
	}
	withScore := func(ps *parseState, vq *vecQuery, v any) *vecQuery {
		pt := v.(paramTerm)
		vq.alias = &pt
		return vq
	}
	b.rule("vector_query", "vector_command vector_attribute_list vector_score_field", "", func(ps *parseState, a []any) (any, error) {
		vq := a[0].(*vecQuery)
		vq.raw = a[1].([]rawVecParam)
		return withScore(ps, vq, a[2]), nil
	})
	b.rule("vector_query", "vector_command vector_score_field", "", func(ps *parseState, a []any) (any, error) {
		return withScore(ps, a[0].(*vecQuery), a[1]), nil
	})
	b.rule("vector_query", "vector_command vector_attribute_list", "", func(ps *parseState, a []any) (any, error) {
		vq := a[0].(*vecQuery)
		vq.raw = a[1].([]rawVecParam)
		return vq, nil
	})
	b.rule("vector_query", "vector_command", "", pass(0))
	b.rule("as", "AS_T", "", nil)
	// The alias is case-sensitive and kept as written (QT_TERM_CASE).
	b.rule("vector_score_field", "as param_term_case", "", pass(1))
	b.rule("vector_command", "TERM param_size modifier ATTRIBUTE", "", func(ps *parseState, a []any) (any, error) {
		return ps.vectorCommand(tokOf(a[0]), a[1].(paramTerm), tokOf(a[2]), tokOf(a[3]))
	})
	// A literal value is kept as written; a $param is resolved after parsing.
	b.rule("vector_attribute", "TERM param_term", "", func(ps *parseState, a []any) (any, error) {
		pt := a[1].(paramTerm)
		return rawVecParam{name: tokOf(a[0]).text, value: pt.tok.text, isParam: pt.isParam}, nil
	})
	b.rule("vector_attribute_list", "vector_attribute_list vector_attribute", "", func(ps *parseState, a []any) (any, error) {
		return append(a[0].([]rawVecParam), a[1].(rawVecParam)), nil
	})
	b.rule("vector_attribute_list", "vector_attribute", "", func(ps *parseState, a []any) (any, error) {
		return []rawVecParam{a[0].(rawVecParam)}, nil
	})
	b.rule("expr", "modifier COLON LSQB vector_range_command RSQB", "", func(ps *parseState, a []any) (any, error) {
		r := a[3].(*VectorRange)
		r.Field = tokOf(a[0]).text
		return r, nil
	})
	b.rule("vector_range_command", "TERM param_num ATTRIBUTE", "", func(ps *parseState, a []any) (any, error) {
		return ps.vectorRangeCommand(tokOf(a[0]), a[1].(numVal), tokOf(a[2]))
	})

	numOf := func(ps *parseState, a []any) (any, error) {
		return numVal{num: tokOf(a[0]).num, inclusive: true}, nil
	}
	b.rule("num", "SIZE", "", numOf)
	b.rule("num", "NUMBER", "", numOf)
	b.rule("num", "MINUS num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.num = -v.num
		return v, nil
	})
	b.rule("term", "TERM", "", pass(0))
	b.rule("term", "NUMBER", "", pass(0))
	b.rule("term", "SIZE", "", pass(0))
	termV := func(isParam bool) reduceFunc {
		return func(ps *parseState, a []any) (any, error) { return paramTerm{tok: tokOf(a[0]), isParam: isParam}, nil }
	}
	b.rule("param_term", "term", "", termV(false))
	b.rule("param_term", "ATTRIBUTE", "", termV(true))
	b.rule("param_term_case", "term", "", termV(false))
	b.rule("param_term_case", "ATTRIBUTE", "", termV(true))
	b.rule("param_size", "SIZE", "", termV(false))
	b.rule("param_size", "ATTRIBUTE", "", termV(true))
	b.rule("param_num", "ATTRIBUTE", "", func(ps *parseState, a []any) (any, error) {
		return numVal{param: tokOf(a[0]).text, isParam: true, inclusive: true}, nil
	})
	b.rule("param_num", "num", "", pass(0))
	b.rule("exclusive_param_num", "LP num", "", func(ps *parseState, a []any) (any, error) {
		v := a[1].(numVal)
		v.inclusive = false
		return v, nil
	})
	b.rule("exclusive_param_num", "LP ATTRIBUTE", "", func(ps *parseState, a []any) (any, error) {
		return numVal{param: tokOf(a[1]).text, isParam: true}, nil
	})

	g := b.build()
	g.fallback[g.ids["AS_T"]] = g.ids["TERM"]
	g.fallback[g.ids["ISMISSING"]] = g.ids["TERM"]
	for k, name := range map[tokenKind]string{tkSize: "SIZE", tkNumber: "NUMBER", tkInf: "NUMBER",
		tkModifier: "MODIFIER", tkAttribute: "ATTRIBUTE", tkArrow: "ARROW", tkAs: "AS_T", tkQuote: "QUOTE",
		tkOr: "OR", tkLP: "LP", tkRP: "RP", tkLB: "LB", tkRB: "RB", tkColon: "COLON", tkSemicolon: "SEMICOLON",
		tkMinus: "MINUS", tkTilde: "TILDE", tkStar: "STAR", tkPercent: "PERCENT", tkLSQB: "LSQB", tkRSQB: "RSQB",
		tkEqual: "EQUAL", tkNotEqual: "NOT_EQUAL", tkGT: "GT", tkGE: "GE", tkLT: "LT", tkLE: "LE",
		tkIsMissing: "ISMISSING", tkEmptyString: "TERM", tkTerm: "TERM", tkPrefix: "PREFIX", tkSuffix: "SUFFIX", tkContains: "CONTAINS",
		tkVerbatim: "VERBATIM", tkWildcard: "WILDCARD"} {
		g.kindToSym[k] = g.ids[name]
	}
	return g
}

// modList is a `@f1|f2` modifier list; first locates it for errors.
type modList struct {
	first token
	names []string
}

// numericOp is DIALECT 2's `@n>=x` style comparison.
type numericOp struct{ lo, hi *numVal }
