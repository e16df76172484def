package index

import (
	"fmt"
	"math"
	"time"
)

// FT.PROFILE's view of a query: the profile of its iterators (each wrapped
// with a counting clock, only when profiled: other queries read the same
// iterators without them) and the clocks of its stages. The module layer
// prints it.

// Profile is what one FT.PROFILE measures of its query: when its stages
// ended, the iterators' counts and clocks, the time of each stage of a
// search's pipeline. Its methods are no-ops on nil, which every other
// query has.
type Profile struct {
	start    time.Time    // the command's start
	parseEnd time.Time    // the query string parsed
	built    time.Time    // the iterators built
	root     *ProfileNode // the iterators' profile
	labels   map[iterator]iterLabel

	// last is when the root iterator last returned; between sums the
	// time spent between its reads (what the caller did with each result).
	last    time.Time
	between time.Duration
	stage   [stageCount]time.Duration
}

// NewProfile starts profiling a command that started at start.
func NewProfile(start time.Time) *Profile { return &Profile{start: start} }

// Start is the profiled command's start.
func (q *Profile) Start() time.Time { return q.start }

// Stages of an FT.SEARCH pipeline a profile times (Lap, Stage).
const (
	StageScorer = iota
	StageSortKeys
	StageSorter
	StageLoad
	stageCount
)

// SetTimes sets when the query was parsed and its pipeline built, for a
// profile of work done elsewhere (a coordinator's merge).
func (q *Profile) SetTimes(parsed, built time.Time) { q.parseEnd, q.built = parsed, built }

// Parsed marks the end of the query string's parsing.
func (q *Profile) Parsed() {
	if q != nil {
		q.parseEnd = time.Now()
	}
}

// labelMap is the map a planner names its iterators in.
func (q *Profile) labelMap() map[iterator]iterLabel {
	if q == nil {
		return nil
	}
	if q.labels == nil {
		q.labels = map[iterator]iterLabel{}
	}
	return q.labels
}

// Lap adds the time since the previous lap (or the root iterator's last
// return) to a stage. It inlines to a nil test for queries not profiled.
func (q *Profile) Lap(stage int) {
	if q != nil {
		q.addLap(stage)
	}
}

// Stage is the time a stage took.
func (q *Profile) Stage(stage int) time.Duration { return q.stage[stage] }

// SetStage sets the time of a stage measured elsewhere (StageLoad).
func (q *Profile) SetStage(stage int, d time.Duration) { q.stage[stage] = d }

// Between is the time spent between the root iterator's reads.
func (q *Profile) Between() time.Duration { return q.between }

// Root is the iterators' profile, nil before the query was planned.
func (q *Profile) Root() *ProfileNode { return q.root }

func (q *Profile) addLap(stage int) {
	now := time.Now()
	if !q.last.IsZero() {
		q.stage[stage] += now.Sub(q.last)
	}
	q.last = now
}

// ParseTime is the time from the command's start to the query parsed.
func (q *Profile) ParseTime() time.Duration { return q.parseEnd.Sub(q.start) }

// PipelineTime is the time spent building the iterators.
func (q *Profile) PipelineTime() time.Duration {
	if q.built.IsZero() {
		return 0
	}
	return q.built.Sub(q.parseEnd)
}

// IterTime is the time spent in the root iterator.
func (q *Profile) IterTime() time.Duration {
	if q.root == nil {
		return 0
	}
	return q.root.Time
}

// ---- iterators

// The module's query node types (QueryNodeType, 8.x numbering: GEOMETRY
// follows GEO), which a union's "Query type" names.
const (
	qnUnion    = 2
	qnNumeric  = 4
	qnGeo      = 7
	qnPrefix   = 9
	qnTag      = 12
	qnFuzzy    = 13
	qnLexRange = 14
)

var qnNames = map[int]string{qnUnion: "UNION", qnNumeric: "NUMERIC", qnGeo: "GEO", qnPrefix: "PREFIX",
	qnTag: "TAG", qnFuzzy: "FUZZY", qnLexRange: "LEXRANGE"}

// iterLabel is what the planner knows of an iterator that its type does
// not tell: a reader's type and term (TAG, NUMERIC, GEO, or EMPTY for a
// range outside the field's values), a union's query type.
type iterLabel struct {
	typ, term string
	qn        int
	qstr      string
}

// note labels an iterator when the query is profiled.
func (p *planner) note(it iterator, l iterLabel) iterator {
	if p.labels != nil {
		p.labels[it] = l
	}
	return it
}

// noteNumeric labels a numeric range's iterator. The module reads a range
// from its range tree's leaves; the profile shows one reader whose term is
// the field's lowest and highest values (a tree of one leaf), and a range
// outside them is EMPTY. (rangeTree models 2.10's leaves for scoring; 8.2,
// whose profile this is, splits its tree on other rules.)
func (p *planner) noteNumeric(it *idIter, f *Field, lo, hi float64) iterator {
	if p.labels == nil {
		return it
	}
	tree := p.idx.numerics[f.pos].tree
	minE, ok1 := tree.Min()
	maxE, ok2 := tree.Max()
	if !ok1 || !ok2 || hi < minE.v || lo > maxE.v {
		p.labels[it] = iterLabel{typ: "EMPTY"}
		return it
	}
	p.labels[it] = iterLabel{typ: "NUMERIC", term: fmt.Sprintf("%s - %s", FormatG(minE.v), FormatG(maxE.v))}
	return it
}

// noteGeo labels a geo radius's iterator: its term is the bounding box of
// the circle, "lon,lat - lon,lat" (the module prints the decoded geohash
// range of each of its readers).
func (p *planner) noteGeo(it *idIter, lon, lat, radius float64) iterator {
	if p.labels == nil {
		return it
	}
	dLat := radius / earthRadiusMeters * 180 / math.Pi
	dLon := dLat
	if c := math.Cos(lat * math.Pi / 180); c > 1e-12 {
		dLon = dLat / c
	}
	p.labels[it] = iterLabel{typ: "GEO", term: fmt.Sprintf("%s,%s - %s,%s",
		FormatG(lon-dLon), FormatG(lat-dLat), FormatG(lon+dLon), FormatG(lat+dLat))}
	return it
}

// profiled wraps the query's iterators when it is profiled; the iterators
// are then built (the end of "Pipeline creation time").
func (p *planner) profiled(it iterator) iterator {
	q := p.opts.Profile
	if q == nil {
		return it
	}
	w, n := q.wrap(it)
	w.top = q
	q.root = n
	q.built = time.Now()
	return w
}

// ProfileNode is one iterator's profile, as the module prints it
// (printIteratorProfile).
type ProfileNode struct {
	Type     string
	Term     string         // readers: the term, tag, range or box read
	Reader   bool           // a reader: the profile shows Term and Size
	Size     int            // a reader's estimate
	Union    bool           // a union: the profile shows its query type
	Children []*ProfileNode // unions and intersections
	Child    *ProfileNode   // NOT and OPTIONAL
	Single   bool           // has a child iterator
	Time     time.Duration
	// Vector iterators: the search mode (STANDARD_KNN, HYBRID_ADHOC_BF,
	// HYBRID_BATCHES, HYBRID_BATCHES_TO_ADHOC_BF, RANGE_QUERY) and, for
	// batches, their number, the largest size and its iteration.
	VectorMode                               string
	Batches, MaxBatchSize, MaxBatchIteration int

	qn           int
	qstr         string
	reads, skips int64
	eof          bool
}

// wrap puts a profile iterator over it and, first, over its children.
func (q *Profile) wrap(it iterator) (*profIter, *ProfileNode) {
	n := &ProfileNode{}
	switch x := it.(type) {
	case *termIter:
		n.Type, n.Term, n.Reader, n.Size = "TEXT", x.res.term.term, true, x.estimate()
	case *idIter:
		l, ok := q.labels[it]
		switch {
		case !ok:
			n.Type = "ID-LIST"
		case l.typ == "EMPTY":
			n.Type = "EMPTY"
		default:
			n.Type, n.Term, n.Reader, n.Size = l.typ, l.term, true, x.estimate()
		}
	case *wildcardIter:
		n.Type = "WILDCARD"
	case *emptyIter:
		n.Type = "EMPTY"
	case *unionIter:
		q.unionNode(n, it)
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.Children = append(n.Children, c)
		}
	case *heapUnionIter:
		q.unionNode(n, it)
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.Children = append(n.Children, c)
		}
	case *intersectIter:
		n.Type = "INTERSECT"
		for i, k := range x.kids {
			w, c := q.wrap(k)
			x.kids[i] = w
			n.Children = append(n.Children, c)
		}
	case *notIter:
		n.Type, n.Single = "NOT", true
		w, c := q.wrap(x.child)
		x.child, n.Child = w, c
	case *optionalIter:
		n.Type, n.Single = "OPTIONAL", true
		w, c := q.wrap(x.child)
		x.child, n.Child = w, c
	case *metricIter:
		if x.knn == nil {
			n.Type, n.VectorMode = "METRIC - VECTOR DISTANCE", "RANGE_QUERY"
			break
		}
		n.Type, n.VectorMode = "VECTOR", x.knn.mode
		n.Batches, n.MaxBatchSize, n.MaxBatchIteration = x.knn.batches, x.knn.maxBatch, x.knn.maxBatchIter
		if x.knn.child != nil {
			n.Single, n.Child = true, x.knn.child
		}
	default:
		n.Type = "EMPTY"
	}
	return &profIter{it: it, n: n}, n
}

func (q *Profile) unionNode(n *ProfileNode, it iterator) {
	n.Type, n.Union, n.qn = "UNION", true, qnUnion
	if l, ok := q.labels[it]; ok && l.qn != 0 {
		n.qn, n.qstr = l.qn, l.qstr
	}
}

// profIter counts and times an iterator's reads and skips, as the module's
// profile iterator does.
type profIter struct {
	it  iterator
	n   *ProfileNode
	top *Profile // set on the root: it marks when each read returns
}

func (w *profIter) read() bool {
	start := time.Now()
	if w.top != nil && !w.top.last.IsZero() {
		w.top.between += start.Sub(w.top.last)
	}
	ok := w.it.read()
	end := time.Now()
	w.n.Time += end.Sub(start)
	w.n.reads++
	if !ok {
		w.n.eof = true
	}
	if w.top != nil {
		w.top.last = end
	}
	return ok
}

func (w *profIter) skipTo(id uint32) readStatus {
	start := time.Now()
	rc := w.it.skipTo(id)
	w.n.Time += time.Since(start)
	w.n.skips++
	if rc == rsEOF {
		w.n.eof = true
	}
	return rc
}

func (w *profIter) cur() *result  { return w.it.cur() }
func (w *profIter) estimate() int { return w.it.estimate() }

// Counter is the module's printed count: reads and skips, less one when
// the iterator reached its end.
func (n *ProfileNode) Counter() int64 {
	c := n.reads + n.skips
	if n.eof {
		c--
	}
	return c
}

// QueryType is a union's "Query type": the module's node type, and the
// query string of a prefix, fuzzy or tag union.
func (n *ProfileNode) QueryType() string {
	qt := qnNames[n.qn]
	if n.qstr != "" {
		qt += " - " + n.qstr
	}
	return qt
}

// ChildrenSummarized says whether a LIMITED profile prints a union's
// children as a count: printUnionIt prints them when `origType & QN_UNION`,
// a bit test on the node type's number, true of UNION, GEO and LEXRANGE.
func (n *ProfileNode) ChildrenSummarized(limited bool) bool {
	return n.Union && limited && n.qn&qnUnion == 0
}

// FormatG is C's "%g".
func FormatG(f float64) string {
	s := fmt.Sprintf("%g", f)
	// Go writes exponents with at least two digits, as C does; "+Inf"
	// and "NaN" are C's "inf" and "nan".
	switch s {
	case "+Inf":
		return "inf"
	case "-Inf":
		return "-inf"
	case "NaN":
		return "nan"
	}
	return s
}
