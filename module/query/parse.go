package query

import "math"

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

// Parse parses a query in opts.Dialect (1 by default; 3 and 4 parse as 2).
// It returns *Error for invalid queries, including (unless opts.Compat210)
// 8.2's DIALECT ≥ 2 unknown-field and inverted-numeric-range errors. A query that is empty, or left
// empty once stop words are dropped, parses to *Empty.
func Parse(q string, opts Options) (Node, error) {
	v2 := opts.Dialect >= 2
	var g *grammar
	if v2 {
		grammarV2Once.Do(func() { grammarV2 = buildGrammarV2() })
		g = grammarV2
	} else {
		grammarV1Once.Do(func() { grammarV1 = buildGrammarV1() })
		g = grammarV1
	}
	ps := &parseState{opts: opts, v2: v2}
	p := newParser(g, ps)
	defer p.release()
	lx := &lexer{q: q, v2: v2}
	var tok token
	for {
		k, ts, te := lx.next()
		if k == tkNone {
			break
		}
		lx.fill(&tok, k, ts, te)
		tok.sym = g.kindToSym[k]
		if !v2 && k == tkTerm && ps.isStopword(tok.text) {
			tok.sym = g.ids["STOPWORD"]
		}
		if err := p.feed(tok); err != nil {
			if err == errAccepted {
				break
			}
			return nil, err
		}
	}
	tok.sym = 0
	if err := p.feed(tok); err != nil && err != errAccepted {
		return nil, err
	}
	if ps.deferred != nil {
		return nil, ps.deferred
	}
	if ps.root == nil {
		return &Empty{Base{DefaultAttrs()}}, nil
	}
	if err := validate(ps.root, opts); err != nil {
		return nil, err
	}
	if ps.evalErr != nil {
		return nil, ps.evalErr
	}
	return ps.root, nil
}
