package index

import (
	"math"
	"math/bits"
)

// scorer computes a document's relevance from its match tree, with the
// formulas of the module's scorers (src/ext/default.c).
type scorer struct {
	docs      *docTable // for the matches' docStats
	name      string
	kind      scorerKind // name's scorer, found once per query
	numDocs   float64
	avgDocLen float64
	payload   string // HAMMING's query payload
	// win is the root tag iterator's window of stats (gatherStats), kept
	// here to cost no allocation of its own.
	win [statWin]docStat
}

// scorerKind names a scorer, so that scoring a match does not compare
// strings.
type scorerKind uint8

const (
	scoreNone scorerKind = iota
	scoreBM25STD
	scoreBM25STDTanh
	scoreTFIDF
	scoreTFIDFDocNorm
	scoreBM25
	scoreDisMax
	scoreDocScore
	scoreHamming
)

func scorerKindOf(name string) scorerKind {
	switch name {
	case "BM25STD":
		return scoreBM25STD
	case "BM25STD.TANH":
		return scoreBM25STDTanh
	case "TFIDF":
		return scoreTFIDF
	case "TFIDF.DOCNORM":
		return scoreTFIDFDocNorm
	case "BM25":
		return scoreBM25
	case "DISMAX":
		return scoreDisMax
	case "DOCSCORE":
		return scoreDocScore
	case "HAMMING":
		return scoreHamming
	}
	return scoreNone
}

// BM25 constants of the module, which declares them as C floats: the
// arithmetic below reproduces its float/double mix so that scores match to
// the last digit.
const (
	bm25K1 float32 = 1.2
	bm25B  float32 = 0.5
)

// score is a document's score. minScore is the module's pruning bound: the
// score of the worst result kept so far once the result heap is full
// (whatever the heap is ordered by, SORTBY included); the TFIDF and BM25
// scorers answer 0 below it, before dividing by the slop factor (BM25STD
// does not prune).
func (s *scorer) score(r *result, d *Doc, minScore float64) float64 {
	return s.parts(r, d, minScore, true).at(minScore)
}

// scoreParts is a score before the pruning bound is known: raw is what is
// compared with the bound, final what is answered above it.
type scoreParts struct {
	raw, final float64
	prunable   bool
}

// at is the score under a pruning bound.
func (p scoreParts) at(minScore float64) float64 {
	if p.prunable && p.raw < minScore {
		return 0
	}
	return p.final
}

// parts computes a score's parts. bounded skips the final score when raw is
// already under minScore (the slop factor is not computed for a result the
// bound prunes).
func (s *scorer) parts(r *result, d *Doc, minScore float64, bounded bool) scoreParts {
	// What is read of the document comes from the table's dense docStats,
	// by the match's id (d is dereferenced by HAMMING only).
	if (s.kind == scoreBM25STD || s.kind == scoreBM25STDTanh) && r.kind == resVirtual && !r.wildcard && !s.docs.oddScore {
		// A numeric, geo or tag match adds nothing to BM25STD (bm25stdSum
		// is 0 whatever the length), and every score is finite and not
		// negative: the product below is +0 (tanh(+0) too) without
		// reading the match's stat, a cache miss per match that was most
		// of a tag or range query's time.
		return scoreParts{}
	}
	var st docStat
	if r.stat != nil {
		st = *r.stat
	} else {
		st = s.docs.stat(r.id)
	}
	switch s.kind {
	case scoreBM25STD, scoreBM25STDTanh:
		v := st.score * s.bm25std(r, st.len) // no pruning in BM25STD
		if s.kind == scoreBM25STDTanh {
			v = math.Tanh(v / 4)
		}
		return scoreParts{final: v}
	case scoreTFIDF, scoreTFIDFDocNorm:
		if st.score == 0 {
			return scoreParts{}
		}
		norm := float64(st.maxFreq)
		if s.kind == scoreTFIDFDocNorm {
			norm = float64(st.len)
		}
		if norm == 0 {
			norm = 1
		}
		v := st.score * s.tfidf(r) / norm
		if bounded && v < minScore {
			return scoreParts{raw: v, prunable: true}
		}
		return scoreParts{raw: v, final: v / float64(minOffsetDelta(r)), prunable: true}
	case scoreBM25:
		v := st.score * s.bm25(r)
		if bounded && v < minScore {
			return scoreParts{raw: v, prunable: true}
		}
		return scoreParts{raw: v, final: v / float64(minOffsetDelta(r)), prunable: true}
	case scoreDisMax:
		return scoreParts{final: s.dismax(r)}
	case scoreDocScore:
		return scoreParts{final: st.score}
	case scoreHamming:
		payload, ok := d.Payload()
		if !ok || len(payload) == 0 || len(payload) != len(s.payload) {
			return scoreParts{}
		}
		n := 0
		for i := 0; i < len(s.payload); i++ {
			n += bits.OnesCount8(s.payload[i] ^ payload[i])
		}
		return scoreParts{final: 1 / float64(n+1)}
	}
	return scoreParts{}
}

// termIDFs fills a term result's IDFs on first use.
func (s *scorer) termIDFs(r *result) *result {
	if !r.idfSet {
		r.idfBM, r.idfTF, r.idfSet = s.idfBM25(r.term), s.idfTFIDF(r.term), true
	}
	return r
}

// idfTFIDF is the module's CalculateIDF: logb(1 + N/n).
func (s *scorer) idfTFIDF(te *termEntry) float64 {
	n := float64(te.docs)
	if n == 0 {
		n = 1
	}
	return math.Logb(1 + s.numDocs/n)
}

// idfBM25 is the module's CalculateIDF_BM25: ln(1 + (N - n + 0.5)/(n + 0.5)),
// the argument computed in single precision as the module does.
func (s *scorer) idfBM25(te *termEntry) float64 {
	n := float32(te.docs)
	arg := float32(1) + (float32(s.numDocs-float64(te.docs))+0.5)/(n+0.5)
	return math.Log(float64(arg))
}

// bm25std is a match's BM25STD sum; docLen is the document's length.
func (s *scorer) bm25std(r *result, docLen uint32) float64 {
	lenRatio := 0.0
	if s.avgDocLen > 0 {
		lenRatio = float64(bm25B*float32(docLen)) / s.avgDocLen
	}
	// The length term of the denominator, the same for every term of the
	// document: k1 * (1 - b + b * len / avg).
	return s.bm25stdSum(r, float64(bm25K1)*(float64(1-bm25B)+lenRatio))
}

// bm25stdSum is bm25std with the document's length term computed.
func (s *scorer) bm25stdSum(r *result, lenNorm float64) float64 {
	switch r.kind {
	case resUnion, resIntersect:
		sum := 0.0
		for _, c := range r.children {
			sum += s.bm25stdSum(c, lenNorm)
		}
		return r.weight * sum
	}
	f := float64(r.freq)
	if f == 0 || (r.kind == resVirtual && !r.wildcard) {
		return 0 // numeric and geo matches add nothing
	}
	idf := 1.0
	if r.kind == resTerm && r.term != nil {
		idf = s.termIDFs(r).idfBM
	}
	return r.weight * idf * (f * float64(bm25K1+1)) / (f + lenNorm)
}

func (s *scorer) tfidf(r *result) float64 {
	switch r.kind {
	case resUnion, resIntersect:
		sum := 0.0
		for _, c := range r.children {
			sum += s.tfidf(c)
		}
		return r.weight * sum
	case resTerm:
		return r.weight * float64(r.freq) * s.termIDFs(r).idfTF
	}
	return r.weight * float64(r.freq)
}

func (s *scorer) bm25(r *result) float64 {
	switch r.kind {
	case resUnion, resIntersect:
		sum := 0.0
		for _, c := range r.children {
			sum += s.bm25(c)
		}
		return r.weight * sum
	}
	f := float64(r.freq)
	if f == 0 {
		return 0
	}
	idf := 1.0
	if r.kind == resTerm {
		idf = s.termIDFs(r).idfTF
	}
	// The module's BM25 normalizes by the average length only.
	k1, b := float64(bm25K1), float64(bm25B)
	return r.weight * idf * f / (f + k1*(1-b+b*s.avgDocLen))
}

func (s *scorer) dismax(r *result) float64 {
	switch r.kind {
	case resIntersect:
		sum := 0.0
		for _, c := range r.children {
			sum += s.dismax(c)
		}
		return r.weight * sum
	case resUnion:
		best := 0.0
		for _, c := range r.children {
			best = math.Max(best, s.dismax(c))
		}
		return r.weight * best
	}
	return r.weight * float64(r.freq)
}

// minOffsetDelta is the module's slop factor (IndexResult_MinOffsetDelta),
// with its C arithmetic: for each child that "has offsets" and the next one
// that does, the smallest distance between their positions (the scan stops
// once it is 1 or less; an empty list reads as the end marker, so the
// distance wraps) is squared and summed in 32-bit ints; the factor is the
// square root of the sum, or the number of children minus one when the sum
// is 0.
func minOffsetDelta(r *result) int {
	if (r.kind != resIntersect && r.kind != resUnion) || len(r.children) <= 1 {
		return 1
	}
	kids := r.children
	var dist int32
	i := 0
	for i < len(kids) {
		for i < len(kids) && !resultHasOffsets(kids[i]) {
			i++
		}
		if i == len(kids) {
			break
		}
		v1 := offsetCursor{list: resultPositions(kids[i])}
		i++
		for i < len(kids) && !resultHasOffsets(kids[i]) {
			i++
		}
		if i == len(kids) {
			break
		}
		v2 := offsetCursor{list: resultPositions(kids[i])}
		p1, p2 := v1.next(), v2.next()
		cd := int32(absDelta(p2, p1))
		for cd > 1 && p1 != offsetEOF && p2 != offsetEOF {
			cd = min(int32(absDelta(p2, p1)), cd)
			if p2 > p1 {
				p1 = v1.next()
			} else {
				p2 = v2.next()
			}
		}
		dist += cd * cd
	}
	if dist == 0 {
		return len(kids) - 1
	}
	if dist < 0 {
		return math.MinInt32 // sqrt of a negative int, as C converts NaN
	}
	return int(math.Sqrt(float64(dist)))
}

func absDelta(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
