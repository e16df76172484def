package index

import "math"

// rangeTree is the shape of the module's numeric range tree for one NUMERIC
// field (numeric_index.c of the 2.x module, which 2.10 still uses): every
// value added to the field, in the order the documents were added, bunched
// into leaves that split when the number of distinct values among a sample
// of their entries reaches a bound that grows with depth. The documents a
// range matches come from numericIndex.tree; this tree only tells how the
// module reads a range: from one leaf (a plain numeric reader) or from a
// union of leaves, which matters to the scorers' slop factor and to
// proximity checks (see resultHasOffsets).
//
// The module keeps a removed document's entry in its leaf until its
// garbage collector runs; so does this tree, which only sees additions. The
// module also rotates inner nodes to keep the tree balanced: rotations keep
// the leaves and their order, so they change no reading and are left out.
type rangeTree struct {
	root *rangeNode
}

type rangeNode struct {
	split       float64 // inner nodes: values below go left
	left, right *rangeNode
	rng         *numRange // leaves only (NUMERIC_TREE_MAX_DEPTH_RANGE is 0)
}

// numRange is a leaf's NumericRange.
type numRange struct {
	min, max  float64
	values    []float64 // the entries' values, in the order they were added
	splitCard int
	// The cardinality sample: every rangeCardCheck-th value added is looked
	// up among the distinct values sampled so far (checkCardinality).
	cardCheck int
	sampled   []float64
	uniqueSum float64
}

// The module's constants: NR_CARD_CHECK, NR_EXPONENT, NR_MAXRANGE_CARD,
// NR_MAXRANGE_SIZE, and the root's split cardinality.
const (
	rangeCardCheck = 10
	rangeExponent  = 4
	rangeMaxCard   = 2500
	rangeMaxSize   = 10000
	rangeRootCard  = 16
)

func newNumRange(splitCard int) *numRange {
	return &numRange{min: math.MaxFloat64, max: math.Inf(-1), splitCard: splitCard, cardCheck: rangeCardCheck}
}

func newRangeTree() *rangeTree {
	return &rangeTree{root: &rangeNode{rng: newNumRange(rangeRootCard)}}
}

func (n *rangeNode) leaf() bool { return n.left == nil && n.right == nil }

// add is NumericRangeTree_Add for one value.
func (t *rangeTree) add(v float64) { t.root.add(v) }

// add is NumericRangeNode_Add: down to the leaf of the value, which splits
// once its sample holds enough distinct values.
func (n *rangeNode) add(v float64) {
	for !n.leaf() {
		if v < n.split {
			n = n.left
		} else {
			n = n.right
		}
	}
	r := n.rng
	r.add(v)
	card := len(r.sampled)
	if card*rangeCardCheck >= r.splitCard || (len(r.values) > rangeMaxSize && card > 1) {
		n.splitLeaf()
	}
}

// add is NumericRange_Add with its cardinality check.
func (r *numRange) add(v float64) {
	if r.cardCheck--; r.cardCheck == 0 {
		r.cardCheck = rangeCardCheck
		known := false
		for _, s := range r.sampled {
			if s == v {
				known = true
				break
			}
		}
		if !known {
			r.sampled = append(r.sampled, v)
			r.uniqueSum += v
		}
	}
	if v < r.min {
		r.min = v
	}
	if v > r.max {
		r.max = v
	}
	r.values = append(r.values, v)
}

// splitLeaf is NumericRange_Split: the split value is the mean of the
// sampled distinct values; the entries are added again, in order, to two
// new leaves whose split cardinality is 1 + 4 times the parent's (at most
// 2500). The node keeps no range once split.
func (n *rangeNode) splitLeaf() {
	r := n.rng
	split := r.uniqueSum / float64(len(r.sampled))
	card := min(rangeMaxCard, 1+r.splitCard*rangeExponent)
	l, rr := newNumRange(card), newNumRange(card)
	for _, v := range r.values {
		if v < split {
			l.add(v)
		} else {
			rr.add(v)
		}
	}
	n.left, n.right = &rangeNode{rng: l}, &rangeNode{rng: rr}
	n.split = split
	n.rng = nil
}

// find is NumericRangeTree_Find for [lo, hi] (the bounds as given,
// exclusive or not): the leaves contained in it or overlapping it, reached
// from the root by the split values. It answers their number (one is read
// alone, more through a union) and their entries, the readers' estimate.
func (t *rangeTree) find(lo, hi float64) (leaves, entries int) {
	t.root.find(lo, hi, &leaves, &entries)
	return leaves, entries
}

func (n *rangeNode) find(lo, hi float64, leaves, entries *int) {
	if r := n.rng; r != nil {
		if !(r.min >= lo && r.max <= hi) && !r.overlaps(lo, hi) {
			return
		}
		*leaves++
		*entries += len(r.values)
		return
	}
	if lo <= n.split {
		n.left.find(lo, hi, leaves, entries)
	}
	if hi >= n.split {
		n.right.find(lo, hi, leaves, entries)
	}
}

// overlaps is NumericRange_Overlaps: one of the bounds falls in the range.
func (r *numRange) overlaps(lo, hi float64) bool {
	return (lo >= r.min && lo <= r.max) || (hi >= r.min && hi <= r.max)
}
