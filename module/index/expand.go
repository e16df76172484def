package index

import (
	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/text"
)

// The query expanders the module registers (ext/default.c), which EXPANDER
// names: the name must match exactly, as the module looks it up; any other
// name leaves the words unexpanded.
const (
	ExpanderDefault  = "DEFAULT"  // synonyms, phonetics, stems (the default)
	ExpanderStem     = "SBSTEM"   // stems only
	ExpanderSynonym  = "SYNONYM"  // synonyms only
	ExpanderPhonetic = "PHONETIC" // primary phonetic codes only, whatever the fields
)

// ErrNoPhonetics is the module's error for $phonetic on a word none of whose
// fields is PHONETIC.
const ErrNoPhonetics = "field does not support phonetics"

// expander expands a query's words as the module's expanders do
// (QueryNode_Expand, query.c; DefaultExpander, ext/default.c): a word
// becomes the union of itself and, in this order, the terms of its synonym
// groups ("~id"), its primary phonetic code ("<CODE") and its stem
// ("+stem", and the stem itself when it differs from the word).
type expander struct {
	sp        *Spec
	stemmable uint64
	verbatim  bool
	lang      text.Language

	synonyms, phonetics, stems bool
	// byFields: the DEFAULT expander, whose phonetic expansion follows the
	// word's $phonetic and its fields; the PHONETIC expander codes every
	// word.
	byFields bool
	// rehash: lookups in the synonym map advance its rehashing, as a
	// query's one expansion does in the module (not a second planning of
	// the same query, such as HIGHLIGHT's).
	rehash bool
}

func newExpander(sp *Spec, o *QueryOptions) *expander {
	lang := sp.Language
	if o.LanguageGiven {
		lang = o.Language
	}
	e := &expander{sp: sp, stemmable: sp.stemmable(), verbatim: o.Verbatim, lang: lang}
	switch o.Expander {
	case "", ExpanderDefault:
		e.synonyms, e.phonetics, e.stems, e.byFields = true, true, true, true
	case ExpanderStem:
		e.stems = true
	case ExpanderSynonym:
		e.synonyms = true
	case ExpanderPhonetic:
		e.phonetics = true
	}
	return e
}

// expansions are a word's expansions (nil: the word alone). fields is the
// word's field mask (query.AllFields without a modifier) and ph its
// $phonetic. The error is the module's when $phonetic asks for phonetics
// the fields lack.
func (e *expander) expansions(term string, fields uint64, ph query.Phonetic) ([]string, error) {
	if e.verbatim {
		return nil, nil // VERBATIM: the module does not expand the query
	}
	// A word restricted to fields that are all NOSTEM is not expanded at
	// all (no synonym, no phonetic code either).
	if fields != uint64(query.AllFields) && fields&e.stemmable == 0 {
		return nil, nil
	}
	var out []string
	if e.synonyms && e.sp.Synonyms != nil {
		out = append(out, e.sp.Synonyms.Groups(term, e.rehash)...)
	}
	if e.phonetics {
		phonetic := true
		if e.byFields {
			var err error
			if phonetic, err = e.sp.phoneticWanted(fields, ph); err != nil {
				return nil, err
			}
		}
		if phonetic {
			out = append(out, text.PhoneticTerm(term))
		}
	}
	if e.stems && e.lang.HasStemmer() {
		if stem := e.lang.Stem(term); stem != "" {
			out = append(out, text.StemPrefix+stem)
			if stem != term {
				out = append(out, stem)
			}
		}
	}
	return out, nil
}

// phoneticWanted is the DEFAULT expander's decision for a word of the given
// fields: without $phonetic, phonetic matching when one of the fields is
// PHONETIC (IndexSpec_CheckPhoneticEnabled); with $phonetic true or false,
// an error unless one of them is, then what it asks.
func (sp *Spec) phoneticWanted(fields uint64, ph query.Phonetic) (bool, error) {
	if ph == query.PhoneticDefault {
		return sp.phoneticEnabled(fields), nil
	}
	valid := false
	if fields == uint64(query.AllFields) {
		valid = sp.hasPhonetic()
	} else {
		for _, f := range sp.Fields {
			if f.Type == FieldText && f.Phonetic != "" && fields&(1<<uint(f.textBit)) != 0 {
				valid = true
			}
		}
	}
	if !valid {
		return false, Error(ErrNoPhonetics)
	}
	return ph == query.PhoneticOn, nil
}

// phoneticEnabled is IndexSpec_CheckPhoneticEnabled: true for any word
// when the mask is empty or all fields, else when a PHONETIC TEXT field's
// bit is set — the module tests the bit of the field's position in the
// schema, not of its TEXT id, and so does this.
func (sp *Spec) phoneticEnabled(fields uint64) bool {
	if !sp.hasPhonetic() {
		return false
	}
	if fields == 0 || fields == uint64(query.AllFields) {
		return true
	}
	for i, f := range sp.Fields {
		if i < 64 && fields&(1<<uint(i)) != 0 && f.Type == FieldText && f.Phonetic != "" {
			return true
		}
	}
	return false
}

// hasPhonetic says whether a field of the index is PHONETIC (the module's
// Index_HasPhonetic).
func (sp *Spec) hasPhonetic() bool {
	for _, f := range sp.Fields {
		if f.Type == FieldText && f.Phonetic != "" {
			return true
		}
	}
	return false
}

// checkExpansion walks a parsed query as the module's expansion does
// (QueryNode_Expand: not into exact phrases, tag clauses or verbatim words)
// and returns the first error an expander raises, before any iterator is
// built: an expansion error wins over the errors of a query's evaluation.
func (e *expander) checkExpansion(n query.Node) error {
	if !e.phonetics || !e.byFields || e.verbatim {
		return nil // only the DEFAULT expander's phonetic check fails
	}
	var walk func(n query.Node) error
	walk = func(n query.Node) error {
		switch n := n.(type) {
		case *query.Term:
			if n.Verbatim {
				return nil
			}
			fields := uint64(n.Fields)
			if fields != uint64(query.AllFields) && fields&e.stemmable == 0 {
				return nil
			}
			_, err := e.sp.phoneticWanted(fields, n.Attr.Phonetic)
			return err
		case *query.Intersect:
			if n.Exact {
				return nil
			}
			for _, c := range n.Children {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *query.Union:
			for _, c := range n.Children {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *query.Not:
			return walk(n.Child)
		case *query.Optional:
			return walk(n.Child)
		case *query.VectorKNN:
			if n.Filter != nil {
				return walk(n.Filter)
			}
		}
		return nil
	}
	return walk(n)
}

// CheckExpansion is the error expanding a parsed query raises under these
// options, nil when none (FT.EXPLAIN expands before it prints).
func (sp *Spec) CheckExpansion(root query.Node, o *QueryOptions) error {
	return newExpander(sp, o).checkExpansion(root)
}
