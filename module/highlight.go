package module

import (
	"strings"

	"github.com/miniredis-search/miniredis-search/module/text"
)

// highlighter applies HIGHLIGHT and SUMMARIZE to returned TEXT fields: it
// finds the words of the document that the query matched (the words
// themselves or words sharing their stem) and wraps them in tags, or cuts
// fragments around them.
type highlighter struct {
	idx       *Index
	words     map[string]bool // query words, folded
	stems     map[string]bool // their stems
	lang      text.Language
	hlFields  map[string]bool // nil: every TEXT field
	sumFields map[string]bool
	req       *searchRequest
}

func (m *Module) newHighlighter(idx *Index, req *searchRequest) *highlighter {
	h := &highlighter{idx: idx, words: map[string]bool{}, stems: map[string]bool{}, lang: idx.spec.Language, req: req}
	if req.languageGiven {
		h.lang = req.language
	}
	if root, err := m.parseQuery(idx, req); err == nil {
		queryTerms(root, h.words)
	}
	if !req.verbatim {
		for w := range h.words {
			h.stems[h.lang.Stem(w)] = true
		}
	}
	set := func(fields []string) map[string]bool {
		if fields == nil {
			return nil
		}
		s := map[string]bool{}
		for _, f := range fields {
			s[f] = true
		}
		return s
	}
	if req.highlight != nil {
		h.hlFields = set(req.highlight.fields)
	}
	if req.summarize != nil {
		h.sumFields = set(req.summarize.fields)
	}
	return h
}

func (h *highlighter) isText(name string) bool {
	f := h.idx.spec.field(name)
	if f == nil {
		for _, sf := range h.idx.spec.Fields {
			if sf.Path == name {
				f = sf
				break
			}
		}
	}
	return f != nil && f.Type == FieldText
}

func (h *highlighter) matches(word string) bool {
	w := text.Fold(word)
	if h.words[w] {
		return true
	}
	return len(h.stems) > 0 && h.stems[h.lang.Stem(w)]
}

type span struct{ start, end int }

// tokens finds the word spans of a text.
func tokens(s string) []span {
	var out []span
	start := -1
	for i := 0; i <= len(s); i++ {
		sep := i == len(s) || text.IsSeparator(s[i])
		if sep {
			if start >= 0 {
				out = append(out, span{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func (h *highlighter) apply(field, value string) string {
	if !h.isText(field) {
		return value
	}
	doHL := h.req.highlight != nil && (h.hlFields == nil || h.hlFields[field])
	doSum := h.req.summarize != nil && (h.sumFields == nil || h.sumFields[field])
	if !doHL && !doSum {
		return value
	}
	toks := tokens(value)
	matched := make([]bool, len(toks))
	any := false
	for i, t := range toks {
		if h.matches(value[t.start:t.end]) {
			matched[i] = true
			any = true
		}
	}
	render := func(from, to int) string { // tokens [from, to)
		var b strings.Builder
		pos := toks[from].start
		for i := from; i < to; i++ {
			t := toks[i]
			b.WriteString(value[pos:t.start])
			if doHL && matched[i] {
				b.WriteString(h.req.highlight.open)
				b.WriteString(value[t.start:t.end])
				b.WriteString(h.req.highlight.close)
			} else {
				b.WriteString(value[t.start:t.end])
			}
			pos = t.end
		}
		return b.String()
	}
	if !doSum {
		if !any {
			return value
		}
		var b strings.Builder
		b.WriteString(value[:toks[0].start])
		b.WriteString(render(0, len(toks)))
		b.WriteString(value[toks[len(toks)-1].end:])
		return b.String()
	}
	if !any {
		return value
	}
	s := h.req.summarize
	var frags []string
	used := -1
	for i := 0; i < len(toks) && len(frags) < s.frags; i++ {
		if !matched[i] || i <= used {
			continue
		}
		from := i - s.fragLen/2
		if from <= used {
			from = used + 1
		}
		if from < 0 {
			from = 0
		}
		to := from + s.fragLen
		if to > len(toks) {
			to = len(toks)
		}
		if to <= i {
			to = i + 1
		}
		frags = append(frags, render(from, to))
		used = to - 1
	}
	return strings.Join(frags, s.separator) + s.separator
}
