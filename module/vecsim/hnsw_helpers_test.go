package vecsim

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
)

// corpus is a synthetic vector data set, drawn as searchbench -vectors
// draws its own (../shared/tools/searchbench/vector.go): Gaussian cluster
// centres N(0,1) per coordinate; each vector picks a centre uniformly and
// adds N(0, spread²) noise per coordinate; query vectors come from other
// PCG streams of the same distribution.
type corpus struct {
	dim     int
	vecs    [][]float32
	queries [][]float32
}

func clusteredCorpus(seed uint64, n, nq, dim, clusters int, spread float64) *corpus {
	rc := rand.New(rand.NewPCG(seed, 3<<40))
	centres := make([]float64, clusters*dim)
	for i := range centres {
		centres[i] = rc.NormFloat64()
	}
	point := func(r *rand.Rand) []float32 {
		c := r.IntN(clusters)
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(centres[c*dim+j] + spread*r.NormFloat64())
		}
		return v
	}
	cp := &corpus{dim: dim, vecs: make([][]float32, n), queries: make([][]float32, nq)}
	for i := range n {
		cp.vecs[i] = point(rand.New(rand.NewPCG(seed, 4<<40+uint64(i))))
	}
	for q := range nq {
		cp.queries[q] = point(rand.New(rand.NewPCG(seed, 5<<40+uint64(q))))
	}
	return cp
}

// uniformCorpus: coordinates uniform in [-1, 1).
func uniformCorpus(seed uint64, n, nq, dim int) *corpus {
	r := rand.New(rand.NewPCG(seed, 7))
	mk := func() []float32 {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(2*r.Float64() - 1)
		}
		return v
	}
	cp := &corpus{dim: dim, vecs: make([][]float32, n), queries: make([][]float32, nq)}
	for i := range cp.vecs {
		cp.vecs[i] = mk()
	}
	for i := range cp.queries {
		cp.queries[i] = mk()
	}
	return cp
}

func vecBlob32(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func vecBlob64(v []float32) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(float64(x)))
	}
	return b
}

func blobOf(t ElemType, v []float32) []byte {
	if t == Float64 {
		return vecBlob64(v)
	}
	return vecBlob32(v)
}

// refDist is the module's distance computed here in float64, from the
// definitions (L2: squared Euclidean; IP: 1 - dot; COSINE: 1 - dot/(|a||b|)).
func refDist(m Metric, a, b []float32) float64 {
	var dot, na, nb, l2 float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
		l2 += (x - y) * (x - y)
	}
	switch m {
	case L2:
		return l2
	case IP:
		return 1 - dot
	}
	if na == 0 || nb == 0 {
		return 1
	}
	return 1 - dot/math.Sqrt(na*nb)
}

// graphBruteForce is the exact k nearest of q among the live labels (label =
// index in vecs), nearest first, ties by label.
func graphBruteForce(m Metric, vecs [][]float32, live func(uint64) bool, q []float32, k int) []Result {
	var all []Result
	for i, v := range vecs {
		if live != nil && !live(uint64(i)) {
			continue
		}
		all = append(all, Result{Label: uint64(i), Dist: refDist(m, q, v)})
	}
	sortResults(all)
	if k >= 0 && len(all) > k {
		all = all[:k]
	}
	return all
}

// bruteForceTop is graphBruteForce for a small k over many vectors.
func bruteForceTop(m Metric, vecs [][]float32, q []float32, k int) []Result {
	top := make([]Result, 0, k+1)
	for i, v := range vecs {
		r := Result{Label: uint64(i), Dist: refDist(m, q, v)}
		if len(top) == k && (r.Dist > top[k-1].Dist || r.Dist == top[k-1].Dist && r.Label > top[k-1].Label) {
			continue
		}
		j := len(top)
		top = append(top, r)
		for j > 0 && (top[j-1].Dist > r.Dist || top[j-1].Dist == r.Dist && top[j-1].Label > r.Label) {
			top[j] = top[j-1]
			j--
		}
		top[j] = r
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

func recallAt(got, want []Result) float64 {
	if len(want) == 0 {
		return 1
	}
	w := map[uint64]bool{}
	for _, r := range want {
		w[r.Label] = true
	}
	hit := 0
	for _, r := range got {
		if w[r.Label] {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

// checkSorted fails unless rs is nearest first, ties by label, without a
// label twice.
func checkSorted(t testing.TB, rs []Result) {
	t.Helper()
	seen := map[uint64]bool{}
	for i, r := range rs {
		if seen[r.Label] {
			t.Fatalf("label %d returned twice in %v", r.Label, rs)
		}
		seen[r.Label] = true
		if i > 0 {
			p := rs[i-1]
			if r.Dist < p.Dist || (r.Dist == p.Dist && r.Label < p.Label) {
				t.Fatalf("results out of order at %d: %v", i, rs)
			}
		}
	}
}

// exactResults checks that got is an exact answer up to ties within tol:
// its distances match want's rank by rank, and each label it returns is
// live and at that distance from the query (dist(label), false if absent).
func exactResults(t testing.TB, what string, got, want []Result, dist func(uint64) (float64, bool), tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results, want %d", what, len(got), len(want))
	}
	seen := map[uint64]bool{}
	for i := range got {
		if math.Abs(got[i].Dist-want[i].Dist) > tol {
			t.Fatalf("%s: rank %d at distance %v, want %v (%v)", what, i, got[i].Dist, want[i].Dist, want[i])
		}
		d, ok := dist(got[i].Label)
		if !ok || math.Abs(d-got[i].Dist) > tol || seen[got[i].Label] {
			t.Fatalf("%s: rank %d is %v: true distance %v (present %v), seen before %v", what, i, got[i], d, ok, seen[got[i].Label])
		}
		seen[got[i].Label] = true
	}
}

// sameResults compares labels exactly and distances within tol (the index
// computes FLOAT32 fields in float32, the reference in float64).
func closeResults(t testing.TB, what string, got, want []Result, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results, want %d\ngot  %v\nwant %v", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].Label != want[i].Label || math.Abs(got[i].Dist-want[i].Dist) > tol {
			t.Fatalf("%s: result %d is %v, want %v\ngot  %v\nwant %v", what, i, got[i], want[i], got, want)
		}
	}
}

// jobQueue is a Submit the test controls: jobs wait until the test runs
// them.
type jobQueue struct {
	mu     sync.Mutex
	jobs   []func()
	refuse bool
}

func (q *jobQueue) submit(job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.refuse {
		return false
	}
	q.jobs = append(q.jobs, job)
	return true
}

func (q *jobQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// runAll runs the queued jobs (and those they queue) in order.
func (q *jobQueue) runAll() int {
	n := 0
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.mu.Unlock()
			return n
		}
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		j()
		n++
	}
}

// reachableLive checks the graph invariant that every live node is reached
// from the entry point at level 0, and returns the number of live nodes.
func (g *hnsw[T]) reachableLive(t testing.TB) int {
	t.Helper()
	if g.entry == invalidID {
		if g.live() != 0 {
			t.Fatalf("no entry point with %d live nodes", g.live())
		}
		return 0
	}
	if g.dead[g.entry] {
		t.Fatalf("entry point %d is a tombstone", g.entry)
	}
	seen := make([]bool, g.n)
	stack := []uint32{g.entry}
	seen[g.entry] = true
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, nb := range g.nbrs(x, 0) {
			if int(nb) >= g.n {
				t.Fatalf("node %d has neighbour %d past the %d ids", x, nb, g.n)
			}
			if !seen[nb] {
				seen[nb] = true
				stack = append(stack, nb)
			}
		}
	}
	live := 0
	for id := range g.n {
		if g.dead[id] {
			continue
		}
		live++
		if !seen[id] {
			t.Fatalf("live node %d (label %d) is not reachable from the entry point", id, g.labels[id])
		}
	}
	return live
}

// checkInvariants checks the bookkeeping of the graph: label map, level-0
// in-degrees, neighbour counts, no self loop, no duplicate neighbour.
func (g *hnsw[T]) checkInvariants(t testing.TB) {
	t.Helper()
	indeg := make([]uint32, g.n)
	for id := range g.n {
		for l := 0; l <= int(g.level[id]); l++ {
			nb := g.nbrs(uint32(id), l)
			if len(nb) > g.maxAt(l) {
				t.Fatalf("node %d has %d neighbours at level %d", id, len(nb), l)
			}
			s := slices.Clone(nb)
			sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
			for i, x := range s {
				if x == uint32(id) {
					t.Fatalf("node %d links to itself at level %d", id, l)
				}
				if i > 0 && s[i-1] == x {
					t.Fatalf("node %d links twice to %d at level %d", id, x, l)
				}
				if int(g.level[x]) < l {
					t.Fatalf("node %d links at level %d to %d of top level %d", id, l, x, g.level[x])
				}
			}
			if l == 0 {
				for _, x := range nb {
					indeg[x]++
				}
			}
		}
	}
	for id := range g.n {
		if indeg[id] != g.indeg[id] {
			t.Fatalf("node %d: in-degree %d recorded, %d counted", id, g.indeg[id], indeg[id])
		}
	}
	live := 0
	for id := range g.n {
		if !g.dead[id] {
			live++
			if got, _ := g.byLabel.get(g.labels[id]); got != uint32(id) {
				t.Fatalf("label %d of node %d maps to %d", g.labels[id], id, got)
			}
		}
	}
	if live != g.byLabel.n || live != g.live() {
		t.Fatalf("%d live nodes, %d labels, live() %d", live, g.byLabel.n, g.live())
	}
}

func hnswOf[T float](x Index) *hnsw[T] { return x.(*graphIndex[T]).g.(*hnsw[T]) }
