package index

import (
	"fmt"
	"math"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/query"
	"github.com/miniredis-search/miniredis-search/module/text"
)

// QueryOptions are what a request says about how its query is read: the
// FT.SEARCH / FT.AGGREGATE options that reach the iterators, and the
// configuration they depend on.
type QueryOptions struct {
	Verbatim      bool
	Language      text.Language // used when LanguageGiven, else the index's
	LanguageGiven bool
	Expander      string // "" or a name; only the default (SBSTEM) expands
	Slop          int    // -1: not given
	InOrder       bool
	InFields      []string // restricts TEXT terms to these fields when InFieldsOn
	InFieldsOn    bool

	NumericFilters []NumericFilter // FILTER
	GeoFilters     []GeoFilter     // GEOFILTER
	InKeys         []string        // INKEYS, when InKeysSet
	InKeysSet      bool

	MinPrefix         int // MINPREFIX
	MaxExpansions     int // MAXEXPANSIONS
	UnionIteratorHeap int // UNION_ITERATOR_HEAP

	// Profile, when set, labels, wraps and times the iterators (FT.PROFILE).
	Profile *Profile
}

// The module's defaults of the settings a query and indexing read
// (MINPREFIX, MAXEXPANSIONS, UNION_ITERATOR_HEAP, MINSTEMLEN).
const (
	DefaultMinPrefix         = 2
	DefaultMaxExpansions     = 200
	DefaultUnionIteratorHeap = 20
	DefaultMinStemLen        = 4
)

// DefaultQueryOptions are a query's options when the request gives none,
// under the module's default configuration.
func DefaultQueryOptions() QueryOptions {
	return QueryOptions{Slop: -1, MinPrefix: DefaultMinPrefix, MaxExpansions: DefaultMaxExpansions, UnionIteratorHeap: DefaultUnionIteratorHeap}
}

// NumericFilter is FILTER field min max.
type NumericFilter struct {
	Field        string
	Min, Max     float64
	MinExclusive bool
	MaxExclusive bool
}

// GeoFilter is GEOFILTER field lon lat radius, the radius in meters.
type GeoFilter struct {
	Field            string
	Lon, Lat, Radius float64
}

// GeoUnits are the radius units of GEOFILTER and geo query clauses, in
// meters.
var GeoUnits = map[string]float64{"m": 1, "km": 1000, "mi": 1609.34, "ft": 0.3048}

// ExplainExpander is the expansion FT.EXPLAIN shows for a term of a query
// read with these options (query.ExplainOptions.ExpandTerm): the terms the
// query's expansion adds, in order. Its synonym lookups count as the
// query's expansion (FT.EXPLAIN expands the query as FT.SEARCH does).
func (sp *Spec) ExplainExpander(o *QueryOptions) func(*query.Term) []string {
	e := newExpander(sp, o)
	e.rehash = true
	return func(t *query.Term) []string {
		out, _ := e.expansions(t.Text, uint64(t.Fields), t.Attr.Phonetic)
		return out
	}
}

// newPlanner prepares the iterators of one query: its expander (language,
// VERBATIM, EXPANDER) and its INFIELDS mask.
func newPlanner(idx *Index, o *QueryOptions) *planner {
	p := &planner{
		idx: idx, opts: o,
		exp:      newExpander(idx.spec, o),
		textMask: ^uint64(0),
		warnings: map[string]bool{},
		labels:   o.Profile.labelMap(),
	}
	if o.InFieldsOn {
		p.textMask = 0
		for _, name := range o.InFields {
			if f := idx.spec.Field(name); f != nil && f.Type == FieldText {
				p.textMask |= 1 << uint(f.textBit)
			}
		}
	}
	return p
}

// planner builds iterators for one query.
type planner struct {
	idx      *Index
	opts     *QueryOptions
	exp      *expander
	textMask uint64 // INFIELDS
	warnings map[string]bool
	// labels name iterators for FT.PROFILE (profile.go); nil otherwise.
	labels map[iterator]iterLabel
	// err is the first error planning met (a vector clause the index
	// refuses); the query then fails with it.
	err error
	// knn is the query's KNN clause once planned.
	knn *knnPlan
	// metrics: the query has vector clauses yielding metrics.
	metrics bool
	// knnFilters: FILTER, GEOFILTER or INKEYS join the KNN clause's filter.
	knnFilters bool
}

// fail records a planning error; the first one wins.
func (p *planner) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *planner) build(n query.Node) iterator {
	w := n.Attributes().Weight
	switch n := n.(type) {
	case *query.Wildcard:
		return newWildcardIter(p.idx, w)
	case *query.Empty:
		return &emptyIter{}
	case *query.Term:
		return p.termIter(n.Text, uint64(n.Fields), w, !n.Verbatim, n.Attr.Phonetic)
	case *query.Affix:
		return p.affixIter(n, w)
	case *query.Fuzzy:
		return p.fuzzyIter(n, w)
	case *query.Intersect:
		kids := make([]iterator, 0, len(n.Children))
		for _, c := range n.Children {
			if n.Exact {
				// Words of an exact phrase are not expanded.
				if t, ok := c.(*query.Term); ok {
					kids = append(kids, p.termIter(t.Text, uint64(t.Fields), t.Attributes().Weight, false, query.PhoneticDefault))
					continue
				}
			}
			kids = append(kids, p.build(c))
		}
		if len(kids) == 0 {
			return &emptyIter{}
		}
		slop, inOrder := -1, false
		a := n.Attributes()
		switch {
		case n.Exact:
			slop, inOrder = 0, true
		default:
			slop, inOrder = p.opts.Slop, p.opts.InOrder
		}
		if a.Slop >= 0 {
			slop = a.Slop
		}
		if a.HasInOrder {
			inOrder = a.InOrder
		}
		if n.Exact && p.idx.spec.NoOffsets {
			slop, inOrder = -1, false
		}
		if len(kids) == 1 && slop < 0 && !inOrder {
			return kids[0]
		}
		return newIntersectIter(kids, slop, inOrder, w)
	case *query.Union:
		kids := make([]iterator, 0, len(n.Children))
		for _, c := range n.Children {
			kids = append(kids, p.build(c))
		}
		return p.newUnion(kids, w)
	case *query.Not:
		return newNotIter(p.idx, p.build(n.Child), w)
	case *query.Optional:
		return newOptionalIter(p.idx, p.build(n.Child), w)
	case *query.Numeric:
		return p.numericIter(n.Field, n.Min, n.Max, n.MinExclusive, n.MaxExclusive, w)
	case *query.Geo:
		return p.geoIter(n.Field, n.Lon, n.Lat, n.Radius*GeoUnits[strings.ToLower(n.Unit)], w)
	case *query.Tag:
		return p.tagIter(n, w)
	case *query.GeoShape:
		return p.geoShapeIter(n, w)
	case *query.Missing:
		return p.missingIter(n, w)
	case *query.VectorRange:
		return p.rangeIter(n, w)
	case *query.VectorKNN:
		return p.knnIter(n)
	}
	return &emptyIter{}
}

// termIter matches a word, with its expansions unless expand is false (ph
// is its $phonetic).
func (p *planner) termIter(term string, mask uint64, w float64, expand bool, ph query.Phonetic) iterator {
	nodeMask := mask
	if p.idx.spec.NoFields {
		mask = ^uint64(0) // NOFIELDS keeps no field flags to filter on
	}
	if p.textMask != ^uint64(0) {
		mask &= p.textMask
	}
	one := func(t string) iterator {
		te, ok := p.idx.termMap[t]
		if !ok {
			return nil
		}
		return newTermIter(p.idx, te, mask, 1)
	}
	var exps []string
	if expand {
		// The word's own mask decides its expansion, as in the module
		// (INFIELDS applies when its iterators read).
		var err error
		if exps, err = p.exp.expansions(term, nodeMask, ph); err != nil {
			p.fail(err)
		}
	}
	if len(exps) == 0 {
		it := one(term)
		if it == nil {
			return &emptyIter{}
		}
		it.(*termIter).res.weight = w
		return it
	}
	kids := make([]iterator, 0, 3)
	for _, t := range append([]string{term}, exps...) {
		if it := one(t); it != nil {
			kids = append(kids, it)
		}
	}
	switch len(kids) {
	case 0:
		return &emptyIter{}
	case 1:
		// A union of one child scores as that child with the union's weight.
		it := kids[0].(*termIter)
		it.res.weight = w
		return it
	}
	return newUnionIter(kids, w)
}

// affixIter expands a prefix, suffix or infix over the dictionary.
func (p *planner) affixIter(n *query.Affix, w float64) iterator {
	mask := uint64(n.Fields) & p.textMask
	if n.Kind == query.Prefix && len(n.Text) < p.opts.MinPrefix {
		return &emptyIter{}
	}
	limit := p.opts.MaxExpansions
	var kids []iterator
	add := func(te *termEntry) bool {
		if te.fieldMask&mask == 0 {
			return true // the module opens no reader for it
		}
		if len(kids) >= limit {
			p.warnings[WarnMaxPrefix] = true
			return false
		}
		kids = append(kids, newTermIter(p.idx, te, mask, 1))
		return true
	}
	switch n.Kind {
	case query.Prefix:
		p.idx.terms.Ascend(n.Text, func(k string, te *termEntry) bool {
			if !strings.HasPrefix(k, n.Text) {
				return false
			}
			return add(te)
		})
	default:
		p.idx.terms.Scan(func(k string, te *termEntry) bool {
			if strings.HasPrefix(k, text.StemPrefix) {
				return true
			}
			if (n.Kind == query.Suffix && strings.HasSuffix(k, n.Text)) ||
				(n.Kind == query.Infix && strings.Contains(k, n.Text)) {
				return add(te)
			}
			return true
		})
	}
	if len(kids) == 0 {
		return &emptyIter{}
	}
	return p.note(p.newQuickUnion(kids, w), iterLabel{qn: qnPrefix, qstr: n.Text})
}

// fuzzyIter expands a word to the dictionary words within its distance.
func (p *planner) fuzzyIter(n *query.Fuzzy, w float64) iterator {
	mask := uint64(n.Fields) & p.textMask
	limit := p.opts.MaxExpansions
	var kids []iterator
	p.idx.terms.Scan(func(k string, te *termEntry) bool {
		if strings.HasPrefix(k, text.StemPrefix) || (k == "" && n.NoEmpty) {
			return true
		}
		if te.fieldMask&mask != 0 && levenshteinWithin(k, n.Text, n.Distance) {
			if len(kids) >= limit {
				p.warnings[WarnMaxPrefix] = true
				return false
			}
			kids = append(kids, newTermIter(p.idx, te, mask, 1))
		}
		return true
	})
	if len(kids) == 0 {
		return &emptyIter{}
	}
	return p.note(p.newQuickUnion(kids, w), iterLabel{qn: qnFuzzy, qstr: n.Text})
}

// levenshteinWithin reports whether the edit distance of a and b is <= d.
func levenshteinWithin(a, b string, d int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > d {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > d {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// numericIter matches a NUMERIC field's range.
func (p *planner) numericIter(field string, lo, hi float64, loEx, hiEx bool, w float64) iterator {
	f := p.idx.spec.Field(field)
	if f == nil || f.Type != FieldNumeric || lo > hi {
		return &emptyIter{}
	}
	// The leaves the range overlaps hold at least its entries: the ids
	// are gathered into one allocation instead of a growing slice's
	// several (most of a range query's garbage).
	leaves, entries := p.idx.numerics[f.pos].ranges.find(lo, hi)
	ids := make([]uint32, 0, entries)
	p.idx.numerics[f.pos].tree.Ascend(numEntry{v: lo}, func(e numEntry) bool {
		if e.v > hi || (hiEx && e.v == hi) {
			return false
		}
		if loEx && e.v == lo {
			return true
		}
		ids = append(ids, e.id)
		return true
	})
	sortIDsDense(ids, p.idx.maxDocID)
	// A document with several values in the range (a JSON array) is
	// listed once.
	ids = uniqueSorted(ids)
	// The module reads a range from the leaves of its range tree that it
	// overlaps (createNumericIterator): one leaf with a plain numeric
	// reader, whose results have no offsets, more with a union of readers,
	// which "has offsets" (none) for proximity checks and slop factors.
	it := newIDIter(p.idx, ids, w)
	it.res.numeric = true
	it.res.numericUnion = leaves != 1
	it.est = entries
	return p.noteNumeric(it, f, lo, hi)
}

// Redis' geo distances use this earth radius (geohash_helper.c).
const earthRadiusMeters = 6372797.560856

func geoDistance(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	lat1r, lat2r := lat1*rad, lat2*rad
	u := math.Sin((lat2r - lat1r) / 2)
	v := math.Sin((lon2*rad - lon1*rad) / 2)
	return 2 * earthRadiusMeters * math.Asin(math.Sqrt(u*u+math.Cos(lat1r)*math.Cos(lat2r)*v*v))
}

// geoIter matches a GEO field's points within radius meters.
func (p *planner) geoIter(field string, lon, lat, radius float64, w float64) iterator {
	f := p.idx.spec.Field(field)
	if f == nil || f.Type != FieldGeo {
		return &emptyIter{}
	}
	dLat := radius / earthRadiusMeters * 180 / math.Pi
	var ids []uint32
	p.idx.numerics[f.pos].tree.Ascend(numEntry{v: lat - dLat - 1e-9}, func(e numEntry) bool {
		if e.v > lat+dLat+1e-9 {
			return false
		}
		d := p.idx.docs.get(e.id)
		if d == nil {
			return true
		}
		in := false
		d.eachNum(func(n numRef) {
			if !in && n.field == f.pos && geoDistance(lon, lat, n.lon, n.v) <= radius {
				in = true
			}
		})
		if in {
			ids = append(ids, e.id)
		}
		return true
	})
	sortIDs(ids)
	ids = uniqueSorted(ids) // several points of one document (a JSON array)
	it := newIDIter(p.idx, ids, w)
	it.res.numeric = true
	// The module reads each of the nine geohash boxes around the center
	// that overlaps leaves of the field's range tree (NewGeoRangeIterator):
	// one box read from one leaf is a plain numeric reader, anything more
	// a union, which "has offsets".
	readers, leaves := 0, 0
	for _, r := range geohashRanges(lon, lat, radius) {
		if r.min == r.max {
			continue
		}
		l, e := p.idx.numerics[f.pos].ranges.find(r.min, r.max)
		if l > 0 {
			readers++
			leaves = l
			it.est += e
		}
	}
	it.res.numericUnion = readers != 1 || leaves != 1
	return p.noteGeo(it, lon, lat, radius)
}

// tagIter matches any of a tag clause's values.
func (p *planner) tagIter(n *query.Tag, w float64) iterator {
	f := p.idx.spec.Field(n.Field)
	if f == nil || f.Type != FieldTag {
		return &emptyIter{}
	}
	t := p.idx.tags[f.pos]
	var kids []iterator
	add := func(val string, l *idList) {
		kids = append(kids, p.note(newTagIter(p.idx, l, 1), iterLabel{typ: "TAG", term: val}))
	}
	limit := p.opts.MaxExpansions
	for _, v := range n.Values {
		val := v.Text
		if !f.CaseSensitive {
			val = text.Fold(val)
		}
		switch v.Kind {
		case query.TagExact:
			if l, ok := t.values.Get(val); ok {
				add(val, l)
			}
		case query.TagPrefix:
			count := 0
			t.values.Ascend(val, func(k string, l *idList) bool {
				if !strings.HasPrefix(k, val) {
					return false
				}
				if count >= limit {
					p.warnings[WarnMaxPrefix] = true
					return false
				}
				count++
				add(k, l)
				return true
			})
		default:
			t.values.Scan(func(k string, l *idList) bool {
				if (v.Kind == query.TagSuffix && strings.HasSuffix(k, val)) ||
					(v.Kind == query.TagInfix && strings.Contains(k, val)) {
					add(k, l)
				}
				return true
			})
		}
	}
	if len(kids) == 0 {
		return &emptyIter{}
	}
	if len(kids) == 1 {
		it := kids[0].(*idIter)
		it.res.weight = w
		return it
	}
	return p.note(newUnionIter(kids, w), iterLabel{qn: qnTag})
}

// missingIter reads the documents without a field (8.2's
// Query_EvalMissingNode): an error for a field created without
// INDEXMISSING, nothing for a field the index does not have.
func (p *planner) missingIter(n *query.Missing, w float64) iterator {
	f := p.idx.spec.Field(n.Field)
	if f == nil {
		return &emptyIter{}
	}
	l := p.idx.missingList(f.pos)
	if l == nil {
		p.fail(Error(fmt.Sprintf("'ismissing' requires field '%s' to be defined with 'INDEXMISSING'", n.Field)))
		return &emptyIter{}
	}
	if l.live == 0 {
		return &emptyIter{}
	}
	// FT.PROFILE: the module reads an inverted index of its own here; the
	// printed shape of that reader is not established from its sources,
	// so the node is named for what it reads.
	it := newTagIter(p.idx, l, w)
	return p.note(it, iterLabel{typ: "MISSING", term: n.Field})
}

// newQuickUnion is a quick-exit union (prefix, suffix and fuzzy
// expansions), in the module's heap mode when it has more children than
// UNION_ITERATOR_HEAP.
func (p *planner) newQuickUnion(kids []iterator, w float64) iterator {
	if len(kids) > p.opts.UnionIteratorHeap {
		return newHeapUnionIter(kids, w, true)
	}
	u := newUnionIter(kids, w)
	u.quick = true
	return u
}

// newUnion is a union of a query's alternatives, in heap mode when it has
// more children than UNION_ITERATOR_HEAP.
func (p *planner) newUnion(kids []iterator, w float64) iterator {
	if len(kids) > p.opts.UnionIteratorHeap {
		return newHeapUnionIter(kids, w, false)
	}
	return newUnionIter(kids, w)
}

// Warnings a query can end with (RESP3's "warning").
const (
	WarnTimeout   = "Timeout limit was reached"
	WarnMaxPrefix = "Max prefix expansions limit was reached"
)
