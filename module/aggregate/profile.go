package aggregate

import "time"

// ProcProfile is what FT.PROFILE shows of one result processor: its type as
// the module names it (RPTypeToString, "Projector - Function startswith"
// for APPLY and FILTER), how many times it was asked for a row and the time
// those calls took, its upstream's included.
type ProcProfile struct {
	Type  string
	Calls int64
	Time  time.Duration
}

// Profile puts a counter and a clock on every processor of the pipeline,
// as the module's profile processors do, and returns their profiles,
// upstream (the documents' Index) first. It is called before the first
// Next; a pipeline that is not profiled pays nothing.
func (p *Pipeline) Profile() []*ProcProfile {
	var out []*ProcProfile
	p.out = profileChain(p.out, &out)
	return out
}

// profileChain wraps pr and, first, its upstream processors.
func profileChain(pr proc, out *[]*ProcProfile) proc {
	var typ string
	switch x := pr.(type) {
	case *rootProc:
		typ = "Index"
	case *loadProc:
		x.up = profileChain(x.up, out)
		typ = "Loader"
	case *groupProc:
		x.up = profileChain(x.up, out)
		typ = "Grouper"
	case *sortProc:
		x.up = profileChain(x.up, out)
		typ = "Sorter"
	case *pageProc:
		x.up = profileChain(x.up, out)
		typ = "Pager/Limiter"
	case *evalProc:
		x.up = profileChain(x.up, out)
		typ = "Filter"
		if x.dst != nil {
			typ = "Projector"
		}
		typ += " - " + x.e.Describe()
	default:
		// A coordinator's rows from its shards.
		typ = "Network"
	}
	pp := &ProcProfile{Type: typ}
	*out = append(*out, pp)
	return &profProc{up: pr, prof: pp}
}

// profProc counts and times the calls to the processor it wraps.
type profProc struct {
	up   proc
	prof *ProcProfile
}

func (pp *profProc) next() (*Row, error) {
	start := time.Now()
	r, err := pp.up.next()
	pp.prof.Time += time.Since(start)
	pp.prof.Calls++
	return r, err
}
