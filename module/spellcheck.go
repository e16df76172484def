package module

import (
	"fmt"
	"slices"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// FT.SPELLCHECK (src/spell_check.c, SpellCheckCommand in src/module.c).
// Each word of the query (its token nodes, in order) that is neither a
// word of the index nor in an EXCLUDE dictionary gets suggestions: the
// index's words within DISTANCE (default 1) of it, scored by the number of
// documents holding them (a word the query's field modifier rules out is
// dropped), then the INCLUDE dictionaries' words, scored 0 unless the
// index holds them. Scores are divided by the index's document count.
// With FULLSCOREINFO (what a coordinator asks each shard) the reply also
// carries the document count and raw scores, and lists the words found in
// the index, so that the coordinator can add the shards' scores up.

const (
	spellTermConst   = "TERM"
	spellFoundInIdx  = "term exists in index"
	spellMaxDistance = 4
)

// spellCheckRequest is a parsed FT.SPELLCHECK.
type spellCheckRequest struct {
	idx              *Index
	root             query.Node
	dialect          int
	distance         int
	include, exclude []string
	fullScoreInfo    bool
}

// argExists is RMUtil_ArgExists: the position of the first argument from
// offset on that is kw (any case), 0 when there is none.
func argExists(kw string, args [][]byte, offset int) int {
	for i := offset; i < len(args); i++ {
		if resp.EqualFold(args[i], kw) {
			return i
		}
	}
	return 0
}

// parseSpellCheck reads FT.SPELLCHECK's arguments as the module does:
// DIALECT (looked for from the fourth argument), the index, the query,
// DISTANCE and every TERMS (looked for anywhere, the command's name and
// index included), FULLSCOREINFO; then the dictionaries must exist.
func (m *Module) parseSpellCheck(args [][]byte) (*spellCheckRequest, error) {
	req := &spellCheckRequest{dialect: m.cfg.DefaultDialect(), distance: 1}
	if i := argExists("DIALECT", args, 3); i > 0 {
		cur := &argCursor{args: args[i+1:]}
		if cur.done() {
			return nil, errorString("Need an argument for DIALECT")
		}
		d, st := acUnsigned(cur, true, false)
		if st != acOK || d > 4 {
			return nil, errorString("DIALECT requires a non negative integer >=1 and <= 4")
		}
		req.dialect = int(d)
	}
	req.idx = m.lookup(string(args[1]))
	if req.idx == nil {
		return nil, errorString("Unknown Index name")
	}
	req.idx.uses.Inc()
	req.idx.touch()
	sp := req.idx.Spec()
	opts := query.Options{Dialect: req.dialect, Schema: sp.QuerySchema(), IsStopword: sp.Stopwords.Contains}
	root, err := query.Parse(string(args[2]), opts)
	if err != nil {
		return nil, err
	}
	req.root = root
	if i := argExists("DISTANCE", args, 0); i > 0 {
		if i+1 >= len(args) {
			return nil, errorString("DISTANCE arg is given but no DISTANCE comes after")
		}
		d, ok := resp.ParseInt(args[i+1])
		if !ok || d < 1 || d > spellMaxDistance {
			return nil, fmt.Errorf("bad distance given, distance must be a natural number between 1 to %d", spellMaxDistance)
		}
		req.distance = int(d)
	}
	for i := argExists("TERMS", args, 1); i > 0; i = argExists("TERMS", args, i+1) {
		if i+2 >= len(args) {
			return nil, errorString("TERM arg is given but no TERM params comes after")
		}
		switch op, dict := args[i+1], string(args[i+2]); {
		case resp.EqualFold(op, "INCLUDE"):
			req.include = append(req.include, dict)
		case resp.EqualFold(op, "EXCLUDE"):
			req.exclude = append(req.exclude, dict)
		default:
			return nil, errorString("bad format, exclude/include operation was not given")
		}
	}
	req.idx.dialectUsed[req.dialect].Store(true)
	req.fullScoreInfo = argExists("FULLSCOREINFO", args, 0) > 0
	for _, d := range append(slices.Clip(req.include), req.exclude...) {
		if m.dict(d, false) == nil {
			return nil, errorString("Dict does not exist: " + d)
		}
	}
	return req, nil
}

// FT.SPELLCHECK index query [DISTANCE d] [TERMS INCLUDE|EXCLUDE dict]... [DIALECT n]:
// the index must exist (the wrapper's check, before anything is parsed);
// in a cluster every shard answers and the coordinator merges.
func (m *Module) cmdSpellCheckDist(c *server.Ctx, args [][]byte) {
	if m.lookup(string(args[1])) == nil {
		c.W.Error(noSuchIndex(string(args[1])))
		return
	}
	if !m.distributed(c, "FT.SPELLCHECK", args) {
		m.cmdSpellCheck(c, args)
	}
}

// _FT.SPELLCHECK: FT.SPELLCHECK on this shard alone.
func (m *Module) cmdSpellCheck(c *server.Ctx, args [][]byte) {
	if len(args) < 3 {
		wrongArity(c)
		return
	}
	req, err := m.parseSpellCheck(args)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	req.idx.RLock()
	res := m.spellCheck(req)
	docs := req.idx.NumDocs()
	req.idx.RUnlock()
	writeSpellCheck(c.W, res, docs, req.fullScoreInfo)
}

// spellTerm is the answer for one query word.
type spellTerm struct {
	term  string
	found bool // in the index (FULLSCOREINFO only)
	sugs  []spellSuggestion
}

// spellSuggestion is a suggestion with its raw score: the number of
// documents holding it, -1 for a word no document holds.
type spellSuggestion struct {
	str   string
	score float64
}

// spellCheck answers each token of the query, in the order the module's
// QueryNode_ForEach visits them (depth first, children in order). The
// caller holds the index's read lock.
func (m *Module) spellCheck(req *spellCheckRequest) []spellTerm {
	var out []spellTerm
	var visit func(n query.Node)
	word := func(text string, fields query.FieldMask) {
		if t, ok := m.spellCheckTerm(req, text, uint64(fields)); ok {
			out = append(out, t)
		}
	}
	visit = func(n query.Node) {
		switch n := n.(type) {
		case *query.Term:
			word(n.Text, n.Fields)
		case *query.Intersect:
			for _, c := range n.Children {
				visit(c)
			}
		case *query.Union:
			for _, c := range n.Children {
				visit(c)
			}
		case *query.Not:
			visit(n.Child)
		case *query.Optional:
			visit(n.Child)
		case *query.Tag:
			// A tag clause's values are token nodes under the tag node:
			// a value of several words is a phrase of them.
			for _, v := range n.Values {
				switch {
				case v.Kind != query.TagExact:
				case len(v.Words) > 0:
					for _, w := range v.Words {
						word(w, query.AllFields)
					}
				default:
					word(query.Fold(v.Text), query.AllFields)
				}
			}
		case *query.VectorKNN:
			if n.Filter != nil {
				visit(n.Filter)
			}
		}
	}
	visit(req.root)
	return out
}

// spellCheckTerm is SpellCheck_ReplyTermSuggestions: ok is false when the
// word gets no answer (it is in the index, or in an EXCLUDE dictionary).
func (m *Module) spellCheckTerm(req *spellCheckRequest, term string, fields uint64) (spellTerm, bool) {
	idx := req.idx.Index
	if indexHasWord(idx, term) {
		return spellTerm{term: term, found: true}, req.fullScoreInfo
	}
	for _, d := range req.exclude {
		if t := m.dict(d, false); t != nil && trieHas(t, term) {
			return spellTerm{}, false
		}
	}
	sugs := trie.New(trie.SortScore)
	q, ok := trie.LowerRunes(term)
	if ok {
		eachIndexWord(idx, q, req.distance, func(w string) bool {
			s := trie.String(trie.ToRunes(w))
			if score := spellScore(idx, s, fields); score != -1 {
				addSuggestion(sugs, s, score, true)
			}
			return true
		})
		for _, d := range req.include {
			t := m.dict(d, false)
			if t == nil {
				continue
			}
			it := t.Iterate(q, req.distance, false, trie.Lower)
			if it == nil {
				continue
			}
			for r, _, _, ok := it.Next(nil); ok; r, _, _, ok = it.Next(nil) {
				s := trie.String(r)
				if score := spellScore(idx, s, fields); score != -1 {
					addSuggestion(sugs, s, score, false)
				}
			}
		}
	}
	res := spellTerm{term: term}
	sugs.Each(func(r []trie.Rune, score float32, _ string) bool {
		res.sugs = append(res.sugs, spellSuggestion{str: trie.String(r), score: float64(score)})
		return true
	})
	sortSuggestions(res.sugs)
	return res, true
}

// sortSuggestions is RS_SuggestionCompare's sort: by score, descending
// (the module's qsort, which glibc's merge sort keeps stable).
func sortSuggestions(s []spellSuggestion) {
	slices.SortStableFunc(s, func(a, b spellSuggestion) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
}

// spellScore is SpellCheck_GetScore: 0 for a word the index does not
// hold, -1 when no document has it in the fields asked, else the number
// of documents holding it.
func spellScore(idx *index.Index, word string, fields uint64) float64 {
	docs, inFields, found := idx.TermDocs(word, fields)
	switch {
	case !found:
		return 0
	case !inFields:
		return -1
	}
	return float64(docs)
}

// addSuggestion is RS_SuggestionsAdd: a score of 0 is stored as -1 (the
// trie refuses 0); a dictionary word (incr false) is added once; an index
// word adds its score to the word's, unless either is -1.
func addSuggestion(t *trie.Trie, s string, score float64, incr bool) {
	cur, exists := trieScore(t, s)
	if score == 0 {
		score = -1
	}
	if !incr {
		if !exists {
			t.Insert(s, score, false, "")
		}
		return
	}
	if exists && score == -1 {
		return
	}
	if !exists || cur == -1 {
		incr = false
	}
	t.Insert(s, score, incr, "")
}

// trieScore is SpellCheck_IsTermExistsInTrie: the first string of the
// trie equal to s (case aside), and its score.
func trieScore(t *trie.Trie, s string) (float64, bool) {
	q, ok := trie.LowerRunes(s)
	if !ok {
		return 0, false
	}
	it := t.Iterate(q, 0, false, trie.Lower)
	if it == nil {
		return 0, false
	}
	_, score, _, found := it.Next(nil)
	if !found {
		return 0, false
	}
	return float64(score), true
}

func trieHas(t *trie.Trie, s string) bool {
	_, ok := trieScore(t, s)
	return ok
}

// indexHasWord is SpellCheck_IsTermExistsInTrie on the index's term trie.
func indexHasWord(idx *index.Index, term string) bool {
	q, ok := trie.LowerRunes(term)
	if !ok {
		return false
	}
	found := false
	eachIndexWord(idx, q, 0, func(string) bool { found = true; return false })
	return found
}

// eachIndexWord calls fn with the index's words within dist of q (runes
// lowered), in the order the module walks its term trie, until fn returns
// false. Words that cannot match because of a prefix are skipped over in
// the dictionary, as the trie walk leaves their subtree.
func eachIndexWord(idx *index.Index, q []trie.Rune, dist int, fn func(word string) bool) {
	w := trie.NewWalker(q, dist, false, trie.Lower)
	if w == nil {
		return
	}
	from := ""
	for {
		stop, restart := true, ""
		idx.ScanTerms(from, func(word string) bool {
			matched, dead := w.Match(trie.ToRunes(word))
			if matched && !fn(word) {
				return false
			}
			if dead > 0 {
				restart, stop = prefixEnd(word[:trie.PrefixBytes(word, dead)])
				return false
			}
			return true
		})
		if stop {
			return
		}
		from = restart
	}
}

// prefixEnd is the least string above every string that begins with p;
// stop when there is none.
func prefixEnd(p string) (next string, stop bool) {
	b := []byte(p)
	for len(b) > 0 && b[len(b)-1] == 0xFF {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return "", true
	}
	b[len(b)-1]++
	return string(b), false
}

// writeSpellCheck writes FT.SPELLCHECK's reply (SpellCheck_Reply):
//
//	RESP2 [[TERM, term, [[score, suggestion], …]], …]
//	RESP3 {"results": {term: [{suggestion: score}, …], …}}
//
// With FULLSCOREINFO the document count comes first (RESP2) or as
// "total_docs" (RESP3), the scores are raw, and a word of the index is
// listed as found.
func writeSpellCheck(w *resp.Writer, terms []spellTerm, docs int, full bool) {
	total := float64(docs)
	if full || total == 0 {
		total = 1
	}
	if w.Resp3() {
		if full {
			w.Map(2)
			w.SimpleString("total_docs")
			w.Int(int64(docs))
		} else {
			w.Map(1)
		}
		w.SimpleString("results")
		w.Map(len(terms))
		for _, t := range terms {
			writeSpellTerm(w, t, total)
		}
		return
	}
	n := len(terms)
	if full {
		n++
	}
	w.Array(n)
	if full {
		w.Int(int64(docs))
	}
	for _, t := range terms {
		writeSpellTerm(w, t, total)
	}
}

// writeSpellTerm is SpellCheck_SendReplyOnTerm (and the FULLSCOREINFO
// "found" answer).
func writeSpellTerm(w *resp.Writer, t spellTerm, total float64) {
	score := func(s spellSuggestion) float64 {
		if s.score == -1 {
			return 0
		}
		return s.score / total
	}
	if w.Resp3() {
		w.BulkString(t.term)
		if t.found {
			w.Error(spellFoundInIdx)
			return
		}
		w.Array(len(t.sugs))
		for _, s := range t.sugs {
			w.Map(1)
			w.BulkString(s.str)
			w.Double(score(s))
		}
		return
	}
	w.Array(3)
	w.SimpleString(spellTermConst)
	w.BulkString(t.term)
	if t.found {
		w.SimpleString(spellFoundInIdx)
		return
	}
	w.Array(len(t.sugs))
	for _, s := range t.sugs {
		w.Array(2)
		w.Double(score(s))
		w.BulkString(s.str)
	}
}
