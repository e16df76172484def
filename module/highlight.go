package module

import (
	"sort"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/server"
)

// HIGHLIGHT and SUMMARIZE, as the module's highlighter (src/highlight.c,
// src/fragmenter.c) makes them:
//
//   - The words marked are the positions of the document that the query's
//     index result holds: the terms (their stems, prefix and fuzzy
//     expansions) of every branch that matched this document, wherever they
//     occur in it, whatever field the query asked for. Negated words and
//     branches that did not match mark nothing. The module re-reads that
//     result for each document (getIndexResult): it rewinds the query's
//     root iterator, FILTER/GEOFILTER/INKEYS included, and skips it to the
//     document; so does this file, with iterators built afresh. Which
//     expansion of a prefix a quick union reports then depends on that
//     fresh skip, not on the state the search left it in.
//   - Matches less than fragMaxDistance positions apart form a fragment.
//     SUMMARIZE keeps the FRAGS best fragments (by the summed IDF of the
//     distinct terms they hold, the earlier on ties), writes them in
//     document order, each with some context around it and followed by the
//     separator.
//   - A field with no match is left as it is, except under SUMMARIZE alone
//     (without HIGHLIGHT), which cuts it to roughly LEN*FRAGS words: this
//     applies to any field, TAG, NUMERIC and fields outside the schema too.

// Constants of the module's fragmenter (FragmentList_Init(&frags, 8, 6)).
const (
	fragMaxDistance = 8 // positions between two matches of one fragment
	fragAvgWordSize = 6 // bytes per word when context is measured
)

// hlMode says what to do with a field (the module's SummarizeMode flags).
type hlMode uint8

const (
	hlHighlight hlMode = 1 << iota
	hlSynopsis
)

// highlighter serves one FT.SEARCH reply. It is used under the index's read
// lock, by one goroutine.
type highlighter struct {
	idx  *Index
	req  *searchRequest
	root query.Node // nil when the query does not parse

	defaultMode hlMode // modes for fields when FIELDS is omitted
	listed      bool   // some field is named (FIELDS or RETURN): only those are processed

	// the current document's matched positions (index.Index.DocMatches)
	matches map[uint32]index.TermMatch
	// the position before each TEXT field's first token in that document
	starts map[*index.Field]uint32
}

func (m *Module) newHighlighter(idx *Index, req *searchRequest) *highlighter {
	h := &highlighter{idx: idx, req: req}
	if root, err := m.parseQuery(idx, req); err == nil {
		h.root = root
	}
	if s := req.summarize; s != nil {
		if s.fields == nil {
			h.defaultMode |= hlSynopsis
		} else if len(s.fields) > 0 {
			h.listed = true
		}
	}
	if hl := req.highlight; hl != nil {
		if hl.fields == nil {
			h.defaultMode |= hlHighlight
		} else if len(hl.fields) > 0 {
			h.listed = true
		}
	}
	if req.returnGiven {
		h.listed = true
	}
	return h
}

// apply rewrites the values of a result's fields in place. doc is the
// document's hash (for the positions of the TEXT fields not returned).
func (h *highlighter) apply(d *index.Doc, doc *server.Hash, fields []fieldPair) {
	loaded := false
	for i := range fields {
		mode, f := h.fieldMode(fields[i].name)
		if mode == 0 {
			continue
		}
		if !loaded {
			h.loadDocument(d, doc)
			loaded = true
		}
		fields[i].value = h.render(mode, f, fields[i].value)
	}
}

// fieldMode is what applies to a returned field, and its schema field (nil
// when outside the schema). A field named by FIELDS gets its own modes and
// those given without FIELDS; when some field is named (or RETURN lists
// the fields), the others are left alone, as the module only walks its list
// of returned fields then.
func (h *highlighter) fieldMode(name string) (hlMode, *index.Field) {
	f := h.schemaField(name)
	if h.req.returnGiven && f != nil && f.Type == index.FieldNumeric {
		// RETURN loads a NUMERIC field as a number, which the module's
		// highlighter leaves alone (it only rewrites strings).
		return 0, f
	}
	named := func(list []string) bool {
		for _, n := range list {
			// Under RETURN the module finds the field by its returned
			// name: HIGHLIGHT FIELDS 1 body leaves `body AS B_body` alone.
			if n == name || (!h.req.returnGiven && f != nil && h.idx.Spec().Field(n) == f) {
				return true
			}
		}
		return false
	}
	var mode hlMode
	if h.req.summarize != nil && named(h.req.summarize.fields) {
		mode |= hlSynopsis
	}
	if h.req.highlight != nil && named(h.req.highlight.fields) {
		mode |= hlHighlight
	}
	returned := false
	if h.req.returnGiven {
		for _, r := range h.req.returns {
			if r.as == name {
				returned = true
				break
			}
		}
	}
	if h.listed && mode == 0 && !returned {
		return 0, f
	}
	return mode | h.defaultMode, f
}

// schemaField resolves a reply's field name (a RETURN alias, a schema name
// or a hash field) to the schema's field.
func (h *highlighter) schemaField(name string) *index.Field {
	path := name
	for _, r := range h.req.returns {
		if r.as == name {
			path = r.path
			break
		}
	}
	return h.idx.Spec().FieldByNameOrPath(path)
}

// ---- what the query matched in a document

// loadDocument finds the positions of a document that the query matched,
// and where each TEXT field's positions start.
func (h *highlighter) loadDocument(d *index.Doc, doc *server.Hash) {
	h.matches, h.starts = nil, map[*index.Field]uint32{}
	sp := h.idx.Spec()
	if h.root == nil || sp.NoHL || sp.NoOffsets {
		return // the module keeps no byte offsets then: nothing to mark
	}
	matches, ok := h.idx.DocMatches(h.root, &h.req.opts, d.ID())
	if !ok {
		return
	}
	h.matches = matches
	h.starts = sp.TextStarts(hashDocument{doc})
}

// ---- rendering a field

// render applies a field's modes to its value.
func (h *highlighter) render(mode hlMode, f *index.Field, value string) string {
	var frags *fragmentList
	if f != nil && f.Type == index.FieldText {
		if start, ok := h.starts[f]; ok {
			frags = h.fragmentize(value, start)
		}
	}
	if frags == nil || len(frags.frags) == 0 {
		if mode == hlSynopsis {
			s := h.req.summarize
			return trimField(value, s.fragLen, s.frags)
		}
		return value
	}
	var open, close string
	if mode&hlHighlight != 0 {
		open, close = h.req.highlight.open, h.req.highlight.close
	}
	if mode == hlHighlight {
		return frags.highlightWhole(open, close)
	}
	s := h.req.summarize
	return frags.summarize(open, close, s.fragLen, s.frags, s.separator)
}

// fieldToken is a token of a field that took a position.
type fieldToken struct {
	start int // byte offset
	pos   uint32
}

// positionedTokens lists the tokens of a field's value that the indexer
// gave a position, numbered from start+1. The split is the tokenizer's
// (a backslash escapes a separator); whether a token takes a position
// (not empty once normalized, not a stop word) is asked of the tokenizer
// itself.
func (h *highlighter) positionedTokens(value string, start uint32) []fieldToken {
	if nul := strings.IndexByte(value, 0); nul >= 0 {
		value = value[:nul]
	}
	tok := text.Tokenizer{Stopwords: h.idx.Spec().Stopwords, NoStem: true}
	var out []fieldToken
	pos := start
	from := 0
	for from < len(value) {
		end := from
		for end < len(value) && !(text.IsSeparator(value[end]) && (end == from || value[end-1] != '\\')) {
			end++
		}
		if end > from && tok.TokenizeAt(value[from:end], 0, func(text.Token) {}) == 1 {
			pos++
			out = append(out, fieldToken{start: from, pos: pos})
		}
		from = end + 1
	}
	return out
}

// fragmentize groups the matched tokens of a field into fragments.
func (h *highlighter) fragmentize(value string, start uint32) *fragmentList {
	fl := &fragmentList{doc: value}
	if value == "" {
		// An INDEXEMPTY field's empty value is one empty token, matched by
		// `@f:""`: the whole value is the match (test_empty.py: HIGHLIGHT
		// gives "<b></b>", SUMMARIZE "... ").
		if m, ok := h.matches[start+1]; ok {
			fl.addMatch(m, start+1, 0, 0)
		}
		return fl
	}
	lastByteEnd := 0
	for _, t := range h.positionedTokens(value, start) {
		m, ok := h.matches[t.pos]
		if !ok {
			fl.toksSinceLastMatch++
			continue
		}
		if t.start < lastByteEnd {
			continue // already inside the previous match
		}
		// The highlighted word runs to the next separator byte.
		end := t.start
		for end < len(value) && !text.IsSeparator(value[end]) {
			end++
		}
		fl.addMatch(m, t.pos, t.start, end-t.start)
		lastByteEnd = end
	}
	return fl
}

// ---- fragments

type fragmentList struct {
	doc                string
	frags              []fragment
	toksSinceLastMatch int
}

type fragment struct {
	start, len   int // bytes of the document, from the first match to the end of the last
	lastMatchPos uint32
	numMatches   int
	totalTokens  int // tokens from the first match to the last, both included
	score        float64
	locs         []termLoc
}

type termLoc struct {
	term       int
	start, len int // bytes of the document
}

func (fl *fragmentList) addMatch(m index.TermMatch, pos uint32, start, length int) {
	var cur *fragment
	if n := len(fl.frags); n > 0 && pos-fl.frags[n-1].lastMatchPos <= fragMaxDistance {
		cur = &fl.frags[n-1]
	} else {
		fl.frags = append(fl.frags, fragment{start: start})
		cur = &fl.frags[len(fl.frags)-1]
		fl.toksSinceLastMatch = 0
	}
	seen := false
	for _, l := range cur.locs {
		if l.term == m.Term {
			seen = true
			break
		}
	}
	if !seen {
		cur.score += m.IDF
	}
	cur.len = start + length - cur.start
	cur.lastMatchPos = pos
	cur.numMatches++
	cur.totalTokens += fl.toksSinceLastMatch + 1
	fl.toksSinceLastMatch = 0
	cur.locs = append(cur.locs, termLoc{term: m.Term, start: start, len: length})
}

// writeMatches writes a fragment's text from *from to its last match, with
// each match between the tags, and moves *from past it.
func (fr *fragment) writeMatches(b *strings.Builder, doc string, from *int, open, close string) {
	for _, l := range fr.locs {
		b.WriteString(doc[*from:l.start])
		b.WriteString(open)
		b.WriteString(doc[l.start : l.start+l.len])
		b.WriteString(close)
		*from = l.start + l.len
	}
}

// highlightWhole is the whole value with every match between the tags.
func (fl *fragmentList) highlightWhole(open, close string) string {
	var b strings.Builder
	from := 0
	for i := range fl.frags {
		fl.frags[i].writeMatches(&b, fl.doc, &from, open, close)
	}
	b.WriteString(fl.doc[from:])
	return b.String()
}

// summarize writes the best numFrags fragments in document order, each
// with its context and followed by the separator.
func (fl *fragmentList) summarize(open, close string, contextLen, numFrags int, separator string) string {
	chosen := make([]int, len(fl.frags))
	for i := range chosen {
		chosen[i] = i
	}
	sort.SliceStable(chosen, func(a, b int) bool { return fl.frags[chosen[a]].score > fl.frags[chosen[b]].score })
	if numFrags < len(chosen) {
		chosen = chosen[:numFrags]
	}
	sort.Ints(chosen)

	var out strings.Builder
	for i, fi := range chosen {
		fr := &fl.frags[fi]
		limitBefore, limitAfter := 0, len(fl.doc)-1
		if i > 0 {
			prev := &fl.frags[chosen[i-1]]
			limitBefore = prev.start + prev.len
		}
		if i+1 < len(chosen) {
			limitAfter = fl.frags[chosen[i+1]].start
		}
		before, after := fl.context(fr, limitBefore, limitAfter, contextLen)
		var b strings.Builder
		b.WriteString(before)
		from := fr.start
		fr.writeMatches(&b, fl.doc, &from, open, close)
		b.WriteString(after)
		out.WriteString(stripDuplicateSpaces(b.String()))
		out.WriteString(separator)
	}
	return out.String()
}

// context finds the text to show before and after a fragment: half of the
// words LEN leaves beyond the fragment's own on each side, counted as
// fragAvgWordSize bytes each, within the limits, cut to whole words.
func (fl *fragmentList) context(fr *fragment, limitBefore, limitAfter, contextLen int) (before, after string) {
	inside := fr.totalTokens - fr.numMatches
	if contextLen <= inside {
		return "", ""
	}
	size := (contextLen - inside) / 2 * fragAvgWordSize
	doc := fl.doc
	end := fr.start + fr.len

	lb := max(fr.start-size, limitBefore)
	// The word the limit falls in may be cut: skip it, then the separators.
	for lb < fr.start && !text.IsSeparator(doc[lb]) {
		lb++
	}
	for lb < fr.start && text.IsSeparator(doc[lb]) {
		lb++
	}
	before = doc[lb:fr.start]

	la := min(end+size, limitAfter)
	for la > end && !text.IsSeparator(doc[la]) {
		la--
	}
	for la > end && text.IsSeparator(doc[la]) {
		la--
	}
	if la+1 > end {
		after = doc[end : la+1]
	}
	return before, after
}

// trimField cuts a field SUMMARIZE found no match in to about
// contextLen*numFrags words: that many fragAvgWordSize-byte words (and one
// more) with blanks collapsed, back to the last separator, without
// trailing blanks.
func trimField(value string, contextLen, numFrags int) string {
	head := min(fragAvgWordSize*contextLen*numFrags+fragAvgWordSize, len(value))
	b := []byte(stripDuplicateSpaces(value[:head]))
	n := len(b)
	for n > 1 && !text.IsSeparator(b[n-1]) {
		n--
	}
	for n > 0 && isCSpace(b[n-1]) {
		n--
	}
	return string(b[:n])
}

// stripDuplicateSpaces turns each run of blanks into one space.
func stripDuplicateSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	lastSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isCSpace(c) {
			if !lastSpace {
				b.WriteByte(' ')
			}
			lastSpace = true
			continue
		}
		lastSpace = false
		b.WriteByte(c)
	}
	return b.String()
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
