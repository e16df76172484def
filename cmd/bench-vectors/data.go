package main

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

const (
	numCats = 10   // TAG cat: c0 … c9, uniform
	maxCost = 1000 // NUMERIC price: an integer uniform in [0, 1000), so [100 300] holds 201/1000 of the documents
	// exactK is how many nearest documents the exact search keeps per query:
	// the recall's top 10, and what rangeRadius needs.
	exactK    = 128
	recallK   = 10
	rangeMean = 30 // the VECTOR_RANGE radius is chosen for this many documents per query on average
	// distTol is how far (in cosine distance) a returned document may be
	// past the exact 10th distance and still count as one of the top 10.
	// The shard stores and compares FLOAT32 vectors: a 128-term float32 dot
	// product of unit vectors is off by at most about dim × 2^-24 ≈ 7.6e-6
	// from the float64 one, so documents closer than that to the boundary
	// are ties the shard cannot order as float64 does.
	distTol = 1e-5
)

// corpus is the generated data: documents (vector, cat, price) and query
// vectors, all from one seed. Points are a Gaussian centre (N(0,1) per
// coordinate, one of `clusters`) plus N(0, spread²) noise per coordinate;
// the queries come from the same distribution on another stream, so they
// are near the data but not in it.
type corpus struct {
	dim     int
	vecs    []float32 // docs × dim
	invNorm []float64 // 1/‖doc‖ in float64
	cats    []int
	prices  []int
	queries [][]float32
	blobs   [][]byte // the queries as FLOAT32 little-endian blobs
}

func generate(docs, queries, dim, clusters int, spread float64, seed uint64) *corpus {
	rc := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float64, clusters)
	for i := range centres {
		centres[i] = make([]float64, dim)
		for j := range centres[i] {
			centres[i][j] = rc.NormFloat64()
		}
	}
	point := func(r *rand.Rand, out []float32) {
		c := centres[r.IntN(clusters)]
		for j := range out {
			out[j] = float32(c[j] + spread*r.NormFloat64())
		}
	}
	c := &corpus{dim: dim, vecs: make([]float32, docs*dim), invNorm: make([]float64, docs),
		cats: make([]int, docs), prices: make([]int, docs)}
	rd := rand.New(rand.NewPCG(seed, 2))
	for i := 0; i < docs; i++ {
		v := c.vec(i)
		point(rd, v)
		c.cats[i] = rd.IntN(numCats)
		c.prices[i] = rd.IntN(maxCost)
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		c.invNorm[i] = 1 / math.Sqrt(n)
	}
	rq := rand.New(rand.NewPCG(seed, 3))
	for i := 0; i < queries; i++ {
		q := make([]float32, dim)
		point(rq, q)
		c.queries = append(c.queries, q)
		c.blobs = append(c.blobs, blob(q))
	}
	return c
}

func (c *corpus) vec(i int) []float32 { return c.vecs[i*c.dim : (i+1)*c.dim] }

// blob is a vector as the shard stores it: FLOAT32, little-endian.
func blob(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// unit is q in float64, normalized.
func unit(q []float32) []float64 {
	u := make([]float64, len(q))
	var n float64
	for i, x := range q {
		u[i] = float64(x)
		n += u[i] * u[i]
	}
	n = math.Sqrt(n)
	for i := range u {
		u[i] /= n
	}
	return u
}

// dist is the exact COSINE distance (1 - cos) of document i to the unit
// vector u, in float64.
func (c *corpus) dist(u []float64, i int) float64 {
	var d float64
	for j, x := range c.vec(i) {
		d += u[j] * float64(x)
	}
	return 1 - d*c.invNorm[i]
}

// neighbours is a query's exact nearest documents, nearest first.
type neighbours struct {
	ids   []int
	dists []float64
}

// exact computes, in float64, the exactK nearest documents of each query
// (ties by document number), on every CPU.
func (c *corpus) exact() []neighbours {
	out := make([]neighbours, len(c.queries))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				out[q] = c.exactOne(unit(c.queries[q]))
			}
		}()
	}
	for q := range c.queries {
		next <- q
	}
	close(next)
	wg.Wait()
	return out
}

func (c *corpus) exactOne(u []float64) neighbours {
	k := min(exactK, len(c.invNorm))
	var n neighbours
	for i := range c.invNorm {
		d := c.dist(u, i)
		if len(n.ids) == k && d >= n.dists[k-1] {
			continue
		}
		at := sort.SearchFloat64s(n.dists, d)
		for at < len(n.dists) && n.dists[at] == d { // equal distances: by document number
			at++
		}
		if len(n.ids) < k {
			n.ids = append(n.ids, 0)
			n.dists = append(n.dists, 0)
		}
		copy(n.ids[at+1:], n.ids[at:])
		copy(n.dists[at+1:], n.dists[at:])
		n.ids[at], n.dists[at] = i, d
	}
	return n
}

// recallOf is the share of the exact top 10 among the documents a KNN 10
// returned: a returned document counts when its exact distance is at most
// the exact 10th distance (plus distTol, see there); duplicates count once.
func (c *corpus) recallOf(q int, nb neighbours, got []int) float64 {
	k := min(recallK, len(nb.ids))
	if k == 0 {
		return 1
	}
	bound := nb.dists[k-1] + distTol
	u := unit(c.queries[q])
	seen := map[int]bool{}
	hits := 0
	for _, id := range got {
		if id < 0 || id >= len(c.invNorm) || seen[id] {
			continue
		}
		seen[id] = true
		if c.dist(u, id) <= bound {
			hits++
		}
	}
	return float64(min(hits, k)) / float64(k)
}

// rangeRadius is the radius within which the queries find rangeMean
// documents on average: the (rangeMean × queries)-th smallest of all their
// exact distances. Only each query's exactK nearest are known, so a query
// with more than exactK documents inside counts exactK, and the true mean
// is at least rangeMean.
func rangeRadius(nbs []neighbours) float64 {
	var ds []float64
	for _, nb := range nbs {
		ds = append(ds, nb.dists...)
	}
	if len(ds) == 0 {
		return 0
	}
	sort.Float64s(ds)
	return ds[min(rangeMean*len(nbs), len(ds))-1]
}
