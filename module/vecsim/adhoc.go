package vecsim

// preferAdHoc is VecSim's hybrid policy (VecSimIndex_PreferAdHocSearch):
// whether a k-NN query filtered to about subsetSize candidates should
// compute the distance of each candidate (ad-hoc brute force) rather than
// walk the index in batches. Each algorithm has its rule, decision trees
// fitted by VecSim on benchmarks (BruteForceIndex::preferAdHocSearch,
// HNSWIndex::preferAdHocSearch, SVSIndex::preferAdHocSearch); the
// thresholds below are theirs.
//
// indexSize is the number of vectors the index holds (for HNSW, marked
// deleted ones included: VecSim's indexSize()), labelCount the number of
// labels (indexLabelCount(): the same for FLAT and SVS), m the HNSW M
// (unused otherwise). A subsetSize larger than indexSize counts as
// indexSize. The ratio r = subsetSize / labelCount is a float32, as in
// VecSim, compared with double thresholds.
//
// VecSim's initial_check argument only chooses the search mode it records
// for FT.PROFILE-like debug output (HYBRID_ADHOC_BF at the first check,
// HYBRID_BATCHES_TO_ADHOC_BF when a batches query switches); it does not
// change the answer, so it is not taken here.
func preferAdHoc(algo Algo, indexSize, labelCount, dim, m, subsetSize, k int) bool {
	subsetSize = min(subsetSize, indexSize)
	switch algo {
	case Flat:
		return preferAdHocFlat(indexSize, labelCount, dim, subsetSize)
	case HNSW:
		return preferAdHocHNSW(indexSize, labelCount, dim, m, subsetSize, k)
	case SVSVamana:
		return preferAdHocSVS(indexSize, subsetSize, k)
	}
	return true
}

// subsetRatio is VecSim's float r.
func subsetRatio(indexSize, labelCount, subsetSize int) float64 {
	if indexSize == 0 || labelCount == 0 {
		return 0
	}
	return float64(float32(subsetSize) / float32(labelCount))
}

// preferAdHocFlat: a tree of 10 leaves (VecSim's scripts/BF_batches_clf.py).
func preferAdHocFlat(indexSize, labelCount, dim, subsetSize int) bool {
	r := subsetRatio(indexSize, labelCount, subsetSize)
	if indexSize <= 5500 {
		return true
	}
	if dim <= 300 {
		switch {
		case r <= 0.15:
			return true
		case r <= 0.35:
			if dim <= 75 {
				return false
			}
			return indexSize <= 550000
		default:
			return false
		}
	}
	switch {
	case r <= 0.55:
		return true
	case dim <= 750:
		return false
	default:
		return r <= 0.75
	}
}

// preferAdHocHNSW: a tree of 20 leaves (VecSim's scripts/HNSW_batches_clf.py).
func preferAdHocHNSW(indexSize, labelCount, dim, m, subsetSize, k int) bool {
	r := subsetRatio(indexSize, labelCount, subsetSize)
	if indexSize <= 30000 {
		if indexSize <= 5500 {
			return true
		}
		if r <= 0.17 {
			return true
		}
		if k <= 12 {
			if dim <= 55 {
				return false
			}
			return m > 10
		}
		return true
	}
	if r < 0.07 {
		if indexSize <= 750000 {
			return true
		}
		if k <= 7 {
			return false
		}
		return r <= 0.03
	}
	if dim <= 75 {
		return false
	}
	if k <= 12 {
		if r <= 0.21 {
			if m <= 57 {
				return indexSize <= 75000
			}
			return true
		}
		return false
	}
	if m <= 10 {
		return r <= 0.17
	}
	if indexSize <= 300000 {
		return true
	}
	return r <= 0.17
}

// preferAdHocSVS: VecSim's hand-written thresholds for SVS-VAMANA; its
// ratio is a double over the index size.
func preferAdHocSVS(indexSize, subsetSize, k int) bool {
	var r float64
	if indexSize > 0 {
		r = float64(subsetSize) / float64(indexSize)
	}
	switch {
	case r < 0.07:
		return indexSize < 750000
	case r < 0.21:
		return indexSize < 75000 || k > 12
	}
	return indexSize < 75000
}

// AdHocDistancer is implemented by indexes that can prepare a query once
// for the many distances of the ad-hoc brute-force mode (a hybrid query
// computes one per candidate document): Distance converts and normalizes
// the query blob at every call, which at dim 128 costs more than the
// distance itself.
type AdHocDistancer interface {
	// DistanceFunc prepares the query (Params.BlobSize() bytes, copied)
	// as the index prepares its queries and returns the distance of a
	// label's vector to it, false when the label has none, as Distance
	// would. The function may be called from any goroutine while the
	// index lives; each call takes the index's read lock.
	DistanceFunc(query []byte) func(label uint64) (float64, bool)
}

var _ AdHocDistancer = (*flatIndex)(nil)

func (f *flatIndex) DistanceFunc(query []byte) func(uint64) (float64, bool) {
	q := &flatQuery{}
	st := f.sp.stride
	if f.sp.wide {
		q.q64 = make([]float64, st)
		f.sp.prepare64(query, q.q64)
	} else {
		q.q32 = make([]float32, st)
		f.sp.prepare32(query, q.q32)
	}
	return func(label uint64) (float64, bool) {
		f.mu.RLock()
		defer f.mu.RUnlock()
		id, ok := f.ids.get(label)
		if !ok {
			return 0, false
		}
		return f.dist(q, int(id)), true
	}
}
