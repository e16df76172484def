package vecsim

import "fmt"

// New creates the index of a vector field. HNSW and SVS-VAMANA are tiered
// (a flat buffer in front of the graph, moved by jobs) when o.Submit is
// set, and synchronous otherwise. FLOAT64 fields store float64, every
// other type float32.
//
// SVS-VAMANA: 8.2 accepts only FLOAT32 and FLOAT16 for it (FT.CREATE's
// "Not supported data type is given. Expected: FLOAT16, FLOAT32"); any
// COMPRESSION is accepted and, on hardware without Intel's LVQ, falls back
// to uncompressed vectors, which is what this index always stores.
func New(p Params, o Options) Index {
	switch p.Algo {
	case Flat:
		// TODO(merge): return the FLAT index of flat.go (newFlat(&p)), with
		// Close, Pending and Flush (no-ops) added to it.
		panic("flat: see flat.go")
	case HNSW:
		if p.Type == Float64 {
			return newGraphIndex(p, o, backend[float64](newHNSW[float64](&p)))
		}
		return newGraphIndex(p, o, backend[float32](newHNSW[float32](&p)))
	case SVSVamana:
		if p.Type == Float64 {
			return newGraphIndex(p, o, backend[float64](newVamana[float64](&p)))
		}
		return newGraphIndex(p, o, backend[float32](newVamana[float32](&p)))
	}
	panic(fmt.Sprintf("vecsim: unknown algorithm %d", p.Algo))
}

// preferAdHocGraph is the automatic hybrid policy of the graph indexes.
// TODO(merge): the HNSW case belongs to preferAdHoc (flat.go, the port of
// VecSim's preferAdHocSearch); until it lands this uses SVS-VAMANA's rule
// (svsPreferAdHoc) for both.
func preferAdHocGraph(p *Params, indexSize, subsetSize, k int, initial bool) bool {
	return svsPreferAdHoc(indexSize, subsetSize, k)
}
