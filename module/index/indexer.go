package index

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/internal/strtod"
	"github.com/miniredis-search/miniredis-search/module/text"
)

// stemFactor scales a field's weight for the "+stem" entry a token adds
// (the module's STEM_TOKEN_FACTOR); stems do not count in the document's
// length.
const stemFactor float32 = 0.2

// Add indexes a document under key, with a new document id; a document
// the key held before must be removed first (Remove). A document whose
// NUMERIC or GEO value does not parse is refused and counted as an
// indexing failure (Stats). minStemLen is MINSTEMLEN. The caller holds the
// write lock.
func (idx *Index) Add(key string, doc Document, minStemLen int) {
	idx.AddWith(key, doc, AddOptions{MinStemLen: minStemLen, MinPhoneticLen: DefaultMinPhoneticLen})
}

// AddWith is Add under the configuration given.
func (idx *Index) AddWith(key string, doc Document, o AddOptions) {
	minStemLen := o.MinStemLen
	sp := idx.spec
	d := &Doc{key: key}
	st := docStat{score: sp.DefaultScore}
	if sp.ScoreField != "" {
		if v, ok := docString(doc, sp.ScoreField); ok {
			if f, ok := strtod.ParseFloat([]byte(v)); ok {
				st.score = f
			}
		}
	}
	if sp.PayloadField != "" {
		if v, ok := docString(doc, sp.PayloadField); ok {
			d.extra = &docExtra{payload: v, hasPayload: true}
		}
	}
	lang := sp.Language
	if sp.LanguageField != "" {
		if v, ok := docString(doc, sp.LanguageField); ok {
			if l, ok := text.ParseLanguage(v); ok {
				lang = l
			}
		}
	}

	// Validate typed values first: a rejected document leaves no trace.
	nums := make([]numRef, 0, 4)
	for _, f := range sp.Fields {
		if f.Type != FieldNumeric && f.Type != FieldGeo {
			if sp.OnJSON && (f.Type == FieldText || f.Type == FieldTag) {
				// checkJSON: a value the field's type cannot index
				// refuses the document.
				if dv, ok := doc.Value(f.Path); ok && dv.Kind != KindText {
					if _, ok := fieldStrings(f, dv, nil); !ok {
						idx.fail(f, key, typeError(f, dv))
						return
					}
				}
			}
			continue
		}
		dv, ok := doc.Value(f.Path)
		if !ok {
			continue
		}
		var msg string
		if nums, msg = appendNums(nums, f, dv, sp.OnJSON); msg != "" {
			idx.fail(f, key, msg)
			return
		}
	}

	blobs, ok := idx.checkVectors(key, doc)
	if !ok {
		return
	}
	shapes, ok := idx.checkShapes(key, doc)
	if !ok {
		return
	}

	idx.maxDocID++
	d.id = idx.maxDocID
	// Text: accumulate each term's entry for this document, in scratch
	// space the index reuses (writers hold its lock).
	sc := &idx.scratch
	refs := &sc.refs
	refs.reset()
	for range sp.numSortable {
		refs.sorts = append(refs.sorts, SortValue{})
	}
	clear(sc.slot)
	sc.postings = sc.postings[:0]
	sc.order = sc.order[:0]
	note := func(term string, bit int, freq uint32, pos uint32) {
		i, ok := sc.slot[term]
		if !ok {
			// Keys that outlive the document come from the dictionary or
			// are copied: a token may point into the hash's value.
			if te, known := idx.termMap[term]; known {
				term = te.term
			} else {
				term = strings.Clone(term)
			}
			i = len(sc.postings)
			sc.slot[term] = i
			sc.order = append(sc.order, term)
			if i < cap(sc.postings) {
				sc.postings = sc.postings[:i+1]
				positions := sc.postings[i].positions[:0]
				sc.postings[i] = posting{positions: positions}
			} else {
				sc.postings = append(sc.postings, posting{})
			}
		}
		p := &sc.postings[i]
		p.fieldMask |= 1 << uint(bit)
		if sp.NoFreqs {
			p.freq = 1 // NOFREQS keeps no frequencies: every record reads as 1
		} else {
			p.freq += freq
		}
		if !sp.NoOffsets {
			p.positions = append(p.positions, pos)
		}
	}
	lastPos := uint32(0)
	// indexText tokenizes one value of a TEXT field.
	indexText := func(f *Field, v string) {
		freq := max(1, uint32(float32(f.Weight)))
		stemFreq := max(1, uint32(float32(f.Weight)*stemFactor))
		if v == "" && f.IndexEmpty {
			// INDEXEMPTY: an empty value is indexed as the empty term,
			// which `@f:""` (and `""` on every field) finds.
			lastPos++
			note("", f.textBit, freq, lastPos)
			st.len += freq
			return
		}
		tok := text.Tokenizer{Language: lang, Stopwords: sp.Stopwords, MinStemLen: minStemLen, NoStem: f.NoStem}
		// Positions run on across the document's TEXT fields, in
		// schema order, as the module numbers them.
		phonetic := "" // the module's tokenizer carries it over (noteExtraTerms)
		lastPos = tok.TokenizeAt(v, lastPos, func(t text.Token) {
			note(t.Term, f.textBit, freq, t.Pos)
			st.len += freq
			if t.StemTerm != "" {
				note(t.StemTerm, f.textBit, stemFreq, t.Pos)
			}
			idx.noteExtraTerms(f, t, o.MinPhoneticLen, &phonetic, func(term string) { note(term, f.textBit, freq, t.Pos) })
		})
	}
	// indexTags indexes the values of a TAG field (one string of a
	// hash, or the strings of a JSON array), each split at the separator.
	indexTags := func(f *Field, vs ...string) {
		values := idx.scratch.tags[:0]
		for _, v := range vs {
			values = appendTags(values, v, f.Separator, f.CaseSensitive, f.IndexEmpty)
		}
		if len(vs) > 1 {
			values = dedupTags(values)
		}
		idx.scratch.tags = values
		if len(values) > 0 {
			// FT.INFO's num_records counts one record per tag field of
			// a document, whatever its number of values.
			idx.numRecord++
			d.tagRecords++
		}
		for _, tv := range values {
			t := idx.tags[f.pos]
			l, ok := t.values.Get(tv)
			if !ok {
				// The value outlives this document: a copy, not a
				// piece of the hash's storage (a packed hash is one
				// string, which it would keep whole).
				tv = strings.Clone(tv)
				l = &idList{value: tv}
				t.values.Set(tv, l)
				idx.newTagListID(l)
			}
			l.add(d.id)
			refs.tags = append(refs.tags, uint32(f.pos), l.id)
		}
	}
	for _, f := range sp.Fields {
		dv, ok := doc.Value(f.Path)
		if ok && dv.Kind != KindText {
			// A JSON value: the TEXT and TAG fields index every string of
			// it (typed values were checked above).
			if f.Sortable {
				if f.Type == FieldNumeric {
					if ns, _ := appendNums(nil, f, dv, true); len(ns) > 0 {
						refs.sorts[f.sortIdx] = SortValue{Kind: SortNum, Num: ns[0].v}
					}
				} else if s, ok := firstString(f, dv); ok {
					refs.sorts[f.sortIdx] = f.SortValue(s)
				}
			}
			if f.NoIndex || (f.Type != FieldText && f.Type != FieldTag) {
				continue
			}
			vals, ok := fieldStrings(f, dv, idx.scratch.jsonVals[:0])
			idx.scratch.jsonVals = vals
			if !ok {
				continue // refused before the document was numbered (checkJSON)
			}
			if f.Type == FieldTag {
				indexTags(f, vals...)
				continue
			}
			for i, s := range vals {
				if i > 0 {
					// Values of one array are apart, so that a phrase or
					// a slop does not span two (the module's
					// MULTI_TEXT_SLOP, 100 by default).
					lastPos += multiTextSlop
				}
				indexText(f, s)
			}
			continue
		}
		v := dv.Text
		if !ok {
			if l := idx.missingList(f.pos); l != nil {
				// INDEXMISSING: the document has no such field (one that
				// holds an empty string is not missing).
				if d.extra == nil {
					d.extra = &docExtra{}
				}
				l.add(d.id)
				d.extra.missing = append(d.extra.missing, l)
			}
			continue
		}
		if f.Sortable {
			refs.sorts[f.sortIdx] = f.SortValue(v)
		}
		if f.NoIndex {
			continue
		}
		switch f.Type {
		case FieldText:
			indexText(f, v)
		case FieldTag:
			indexTags(f, v)
		}
	}
	for _, n := range nums {
		f := sp.Fields[n.field]
		if f.NoIndex {
			continue
		}
		ni := idx.numerics[n.field]
		ni.tree.Set(numEntry{v: n.v, id: d.id})
		if f.Type == FieldGeo {
			ni.ranges.add(geoHash52(n.lon, n.v))
		} else {
			ni.ranges.add(n.v)
		}
		refs.nums = append(refs.nums, n)
		idx.numRecord++
	}
	for _, term := range sc.order {
		p := &sc.postings[sc.slot[term]]
		p.id = d.id
		if p.freq > st.maxFreq {
			st.maxFreq = p.freq
		}
		te, ok := idx.termMap[term]
		if !ok {
			te = &termEntry{term: term}
			idx.newTermID(te)
			idx.terms.Set(term, te)
			idx.termMap[term] = te
		}
		te.list.add(p)
		te.fieldMask |= p.fieldMask
		te.docs++
		refs.terms = append(refs.terms, te.id)
		idx.numRecord++
	}

	d.refs = refs.encode()

	idx.addVectors(d, blobs)
	idx.addShapes(d, shapes)
	idx.docs.set(d.id, d, st)
	idx.docs.setSorts(d.id, refs.sorts)
	idx.byKey.set(key, d.id, &idx.docs)
	idx.numDocs++
	idx.totalLen += uint64(st.len)
}

// multiTextSlop is the gap in positions between two values of a
// multi-valued TEXT field (the module's MULTI_TEXT_SLOP default).
const multiTextSlop = 100

// appendNums appends what a NUMERIC or GEO field indexes of v: a hash's
// string parsed; a JSON number; a JSON string "lon,lat" for GEO; the
// numbers (NUMERIC) or strings (GEO) of an array, nulls skipped. msg is the
// indexing failure of a value the field cannot index (onJSON: JSON's typed
// rules, where a string is no NUMERIC value).
func appendNums(nums []numRef, f *Field, v Value, onJSON bool) ([]numRef, string) {
	one := func(it Value) string {
		switch {
		case it.Kind == KindNull:
			return ""
		case f.Type == FieldNumeric && it.Kind == KindNumber:
			if math.IsNaN(it.Num) {
				return typeError(f, it)
			}
			nums = append(nums, numRef{field: f.pos, v: it.Num})
			return ""
		case f.Type == FieldNumeric && it.Kind == KindText && !onJSON:
			n, ok := ParseNumeric(it.Text)
			if !ok {
				return fmt.Sprintf("Invalid numeric value: '%s'", it.Text)
			}
			nums = append(nums, numRef{field: f.pos, v: n})
			return ""
		case f.Type == FieldGeo && it.Kind == KindText:
			lon, lat, err := parseGeo(it.Text)
			if err != nil {
				return err.Error()
			}
			nums = append(nums, numRef{field: f.pos, v: lat, lon: lon, geo: true})
			return ""
		}
		return typeError(f, it)
	}
	if v.Kind != KindArray {
		return nums, one(v)
	}
	for _, it := range v.Items {
		if it.Kind == KindArray || it.Kind == KindObject {
			return nums, typeError(f, it)
		}
		if msg := one(it); msg != "" {
			return nums, msg
		}
	}
	return nums, ""
}

// dedupTags drops repeated values (several values of an array), keeping
// the first of each.
func dedupTags(values []string) []string {
	out := values[:0]
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (idx *Index) fail(f *Field, key, msg string) {
	for _, c := range []*Failures{&idx.failures, &idx.fieldFailures[f.pos]} {
		c.Count++
		c.LastError, c.LastKey = msg, key
	}
}

// SortValue is the value a SORTABLE field keeps for sorting.
func (f *Field) SortValue(v string) SortValue {
	switch f.Type {
	case FieldNumeric:
		if n, ok := ParseNumeric(v); ok {
			return SortValue{Kind: SortNum, Num: n}
		}
		return SortValue{}
	case FieldText, FieldTag:
		if !f.UNF {
			v = text.Fold(v)
		}
	}
	return SortValue{Kind: SortStr, Str: v}
}

// ParseNumeric parses a NUMERIC value as the module does (strtod: decimal,
// exponents, inf, with an optional sign); NaN is refused.
func ParseNumeric(v string) (float64, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// Geo limits, as Redis' GEOADD has them.
const (
	GeoLonMin = -180.0
	GeoLonMax = 180.0
	GeoLatMin = -85.05112878
	GeoLatMax = 85.05112878
)

// parseGeo parses "lon,lat" (or "lon lat").
func parseGeo(v string) (lon, lat float64, err error) {
	s := strings.Replace(v, ",", " ", 1)
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return 0, 0, fmt.Errorf("Invalid geo string")
	}
	lon, err1 := strconv.ParseFloat(parts[0], 64)
	lat, err2 := strconv.ParseFloat(parts[1], 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("Invalid geo string")
	}
	if lon < GeoLonMin || lon > GeoLonMax || lat < GeoLatMin || lat > GeoLatMax {
		return 0, 0, fmt.Errorf("Invalid geo coordinates: %f, %f", lon, lat)
	}
	return lon, lat, nil
}

// appendTags appends the distinct values of a tag field to out: split at
// sep, trimmed, folded unless case sensitive, empty ones only with
// keepEmpty (INDEXEMPTY).
func appendTags(out []string, v string, sep byte, caseSensitive, keepEmpty bool) []string {
	start := len(out)
	for {
		part, rest, more := v, "", false // sep 0: no separator (JSON)
		if sep != 0 {
			part, rest, more = strings.Cut(v, string(sep))
		}
		part = strings.TrimSpace(part)
		if part != "" || keepEmpty {
			if !caseSensitive {
				part = text.Fold(part)
			}
			if !slices.Contains(out[start:], part) {
				out = append(out, part)
			}
		}
		if !more {
			return out
		}
		v = rest
	}
}

// TextStarts are the positions before each indexed TEXT field's first
// token in a document: positions run on across the document's TEXT fields,
// in schema order, as Add numbers them.
func (sp *Spec) TextStarts(doc Document) map[*Field]uint32 {
	starts := map[*Field]uint32{}
	tok := text.Tokenizer{Stopwords: sp.Stopwords, NoStem: true}
	last := uint32(0)
	for _, f := range sp.Fields {
		if f.Type != FieldText || f.NoIndex {
			continue
		}
		v, ok := docString(doc, f.Path)
		if !ok {
			continue
		}
		starts[f] = last
		if v == "" && f.IndexEmpty {
			last++ // the empty term Add indexes for it
			continue
		}
		last = tok.TokenizeAt(v, last, func(text.Token) {})
	}
	return starts
}
