package vecsim

import "fmt"

// New creates the index of a vector field (a multi-value one, multi.go,
// when p.Multi): FLAT is the flat index
// (flat.go); HNSW and SVS-VAMANA are graphs, tiered (a flat buffer in front
// of the graph, moved by jobs) when o.Submit is set and synchronous
// otherwise. FLOAT64 fields store float64, every other type float32, as
// the space (convert.go) holds them.
//
// SVS-VAMANA: 8.2 accepts only FLOAT32 and FLOAT16 for it (FT.CREATE's
// "Not supported data type is given. Expected: FLOAT16, FLOAT32"); any
// COMPRESSION is accepted and, on hardware without Intel's LVQ, falls back
// to uncompressed vectors, which is what this index always stores.
func New(p Params, o Options) Index {
	if p.Multi {
		return newMulti(p, o)
	}
	switch p.Algo {
	case Flat:
		return newFlat(&p)
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

// The FLAT index is never tiered: nothing waits, Flush and Close have
// nothing to do (Close leaves the index usable; its owner drops it).

func (f *flatIndex) Pending() int { return 0 }
func (f *flatIndex) Flush()       {}
func (f *flatIndex) Close()       {}
