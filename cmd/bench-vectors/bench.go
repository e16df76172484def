package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/redis/go-redis/v9"
)

const (
	indexName = "vbench"
	keyPrefix = "v:"
	loaders   = 4   // connections loading the corpus
	batch     = 500 // HSETs per pipeline
)

// config is a run of the bench.
type config struct {
	algos    []string // FLAT, HNSW
	workers  []int    // search-workers, a fresh shard each
	docs     int
	dim      int
	clusters int
	spread   float64
	seed     uint64
	clients  int
	duration time.Duration
	recallN  int // query vectors (the recall's and the timed queries')
}

// startShard starts a shard with the given search-workers and returns its
// address and how to stop it.
type startShard func(workers int) (addr string, stop func(), err error)

// queryResult is one query kind's closed-loop figures.
type queryResult struct {
	name     string
	ops      int64 // answered queries
	qps      float64
	p50, p99 time.Duration
	meanHits float64 // mean total of the answered queries
	errs     int64   // error replies and failed calls, not counted in ops
	firstErr error
}

// recallResult is recall@10 over the query vectors at one EF_RUNTIME (0:
// the index's default).
type recallResult struct {
	ef       int
	mean     float64
	min      float64
	errs     int64
	firstErr error
}

// pass is one algorithm at one search-workers setting, on a fresh shard.
type pass struct {
	algo        string
	workers     int
	load        time.Duration
	loadRate    float64 // vectors/s
	bytesPerDoc float64 // used_memory growth per document, right after the load
	liveBytes   float64 // the same from the least used_memory seen during the queries (after GCs)
	vecMB       float64 // FT.INFO vector_index_sz_mb
	queries     []queryResult
	recall      []recallResult
}

// report is a whole run.
type report struct {
	cfg    config
	radius float64
	passes []pass
}

// queryKinds are the timed queries, in the table's order.
var queryKinds = []string{"knn10", "knn100", "hybrid_tag", "hybrid_range", "range"}

// queryArgs is FT.SEARCH for a query kind and a query vector, as the
// module was measured: the distance yielded AS dist, SORTBY it, LIMIT to
// the K (100 for a range), RETURN only it, DIALECT 2.
func queryArgs(kind string, vec []byte, radius float64, ef int) []any {
	knn := func(filter string, k int) []any {
		efs := ""
		if ef > 0 {
			efs = " EF_RUNTIME " + strconv.Itoa(ef)
		}
		return []any{"FT.SEARCH", indexName, filter + "=>[KNN " + strconv.Itoa(k) + " @v $B" + efs + " AS dist]",
			"PARAMS", "2", "B", vec, "SORTBY", "dist", "LIMIT", "0", strconv.Itoa(k), "RETURN", "1", "dist", "DIALECT", "2"}
	}
	switch kind {
	case "knn10":
		return knn("*", 10)
	case "knn100":
		return knn("*", 100)
	case "hybrid_tag":
		return knn("(@cat:{c3})", 10)
	case "hybrid_range":
		return knn("(@price:[100 300])", 10)
	case "range":
		return []any{"FT.SEARCH", indexName, "@v:[VECTOR_RANGE $R $B]=>{$YIELD_DISTANCE_AS: dist}",
			"PARAMS", "4", "R", strconv.FormatFloat(radius, 'g', 17, 64), "B", vec,
			"SORTBY", "dist", "LIMIT", "0", "100", "RETURN", "1", "dist", "DIALECT", "2"}
	}
	panic("unknown query kind " + kind)
}

func createArgs(algo string, dim int) []any {
	args := []any{"FT.CREATE", indexName, "ON", "HASH", "PREFIX", "1", keyPrefix, "SCHEMA",
		"cat", "TAG", "price", "NUMERIC", "v", "VECTOR", algo}
	params := []any{"TYPE", "FLOAT32", "DIM", strconv.Itoa(dim), "DISTANCE_METRIC", "COSINE"}
	if algo == "HNSW" {
		params = append(params, "M", "16", "EF_CONSTRUCTION", "200")
	}
	args = append(args, strconv.Itoa(len(params)))
	return append(args, params...)
}

// run generates the corpus once and measures every algorithm at every
// workers setting, each on a fresh shard from start.
func run(ctx context.Context, cfg config, start startShard, progress io.Writer) (*report, error) {
	fmt.Fprintf(progress, "bench-vectors: generating %d vectors and %d queries\n", cfg.docs, cfg.recallN)
	c := generate(cfg.docs, cfg.recallN, cfg.dim, cfg.clusters, cfg.spread, cfg.seed)
	t0 := time.Now()
	exact := c.exact()
	fmt.Fprintf(progress, "bench-vectors: exact top %d of %d queries in %s\n", exactK, cfg.recallN, time.Since(t0).Round(time.Millisecond))
	rep := &report{cfg: cfg, radius: rangeRadius(exact)}
	var errs []error
	for _, algo := range cfg.algos {
		for _, w := range cfg.workers {
			fmt.Fprintf(progress, "bench-vectors: %s, search-workers %d\n", algo, w)
			p, err := runPass(ctx, cfg, c, exact, rep.radius, algo, w, start, progress)
			if err != nil {
				return rep, fmt.Errorf("%s, search-workers %d: %w", algo, w, err)
			}
			rep.passes = append(rep.passes, p)
			errs = append(errs, p.err())
		}
	}
	return rep, errors.Join(errs...)
}

// err is nil when every query got a reply and FLAT found the exact top 10.
func (p *pass) err() error {
	var errs []error
	for _, q := range p.queries {
		if q.errs > 0 {
			errs = append(errs, fmt.Errorf("%s %d, %s: %d errors (first: %w)", p.algo, p.workers, q.name, q.errs, q.firstErr))
		}
	}
	for _, r := range p.recall {
		if r.errs > 0 {
			errs = append(errs, fmt.Errorf("%s %d, recall at EF_RUNTIME %d: %d errors (first: %w)", p.algo, p.workers, r.ef, r.errs, r.firstErr))
		}
		if p.algo == "FLAT" && r.mean != 1 {
			errs = append(errs, fmt.Errorf("FLAT %d: recall@10 %.4f, an exact index must find the exact top 10", p.workers, r.mean))
		}
	}
	return errors.Join(errs...)
}

func runPass(ctx context.Context, cfg config, c *corpus, exact []neighbours, radius float64, algo string, workers int,
	start startShard, progress io.Writer) (pass, error) {
	p := pass{algo: algo, workers: workers}
	addr, stop, err := start(workers)
	if err != nil {
		return p, err
	}
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: loaders + 2, ReadTimeout: time.Minute})
	defer rdb.Close()
	if got, err := rdb.ConfigGet(ctx, "search-workers").Result(); err != nil || got["search-workers"] != strconv.Itoa(workers) {
		return p, fmt.Errorf("the shard has search-workers %q (%v), not %d", got["search-workers"], err, workers)
	}
	if err := rdb.Do(ctx, createArgs(algo, cfg.dim)...).Err(); err != nil {
		return p, fmt.Errorf("FT.CREATE: %w", err)
	}
	memBefore, err := usedMemory(ctx, rdb)
	if err != nil {
		return p, err
	}
	if err := load(ctx, rdb, c, workers, &p); err != nil {
		return p, err
	}
	memAfter, err := usedMemory(ctx, rdb)
	if err != nil {
		return p, err
	}
	p.bytesPerDoc = float64(memAfter-memBefore) / float64(cfg.docs)
	info, err := ftInfo(ctx, rdb)
	if err != nil {
		return p, err
	}
	if n := info["num_docs"]; n != float64(cfg.docs) || info["hash_indexing_failures"] != 0 {
		return p, fmt.Errorf("after the load FT.INFO says num_docs %v, hash_indexing_failures %v; want %d, 0",
			n, info["hash_indexing_failures"], cfg.docs)
	}
	p.vecMB = info["vector_index_sz_mb"]
	fmt.Fprintf(progress, "bench-vectors:   loaded in %s\n", p.load.Round(time.Millisecond))

	// The least used_memory seen while the queries run: the heap right
	// after one of the collections they cause, nearer the live size than
	// the figure right after the load (which holds the load's garbage).
	sampler := newMemSampler(ctx, addr)
	for _, kind := range queryKinds {
		p.queries = append(p.queries, closedLoop(ctx, addr, c, kind, radius, cfg.clients, cfg.duration))
	}
	if least, ok := sampler.stop(); ok {
		p.liveBytes = float64(least-memBefore) / float64(cfg.docs)
	} else {
		p.liveBytes = math.NaN()
	}
	efs := []int{0}
	if algo == "HNSW" {
		efs = append(efs, 100)
	}
	for _, ef := range efs {
		p.recall = append(p.recall, measureRecall(ctx, addr, c, exact, ef, cfg.clients))
	}
	return p, nil
}

// load HSETs every document through pipelines on `loaders` connections,
// then waits until FT.INFO shows no indexing in progress and (with
// workers) the pool has no job left; the rate counts from the first HSET.
func load(ctx context.Context, rdb *redis.Client, c *corpus, workers int, p *pass) error {
	n := len(c.cats)
	t0 := time.Now()
	errc := make(chan error, loaders)
	for l := 0; l < loaders; l++ {
		go func(l int) {
			pipe := rdb.Pipeline()
			for i := l; i < n; i += loaders {
				pipe.HSet(ctx, keyPrefix+strconv.Itoa(i), "cat", "c"+strconv.Itoa(c.cats[i]),
					"price", strconv.Itoa(c.prices[i]), "v", blob(c.vec(i)))
				if pipe.Len() == batch {
					if _, err := pipe.Exec(ctx); err != nil {
						errc <- err
						return
					}
				}
			}
			_, err := pipe.Exec(ctx)
			errc <- err
		}(l)
	}
	var errs []error
	for l := 0; l < loaders; l++ {
		if err := <-errc; err != nil && !errors.Is(err, redis.Nil) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("HSET: %w", err)
	}
	for {
		info, err := ftInfo(ctx, rdb)
		if err != nil {
			return err
		}
		done := info["indexing"] == 0
		if done && workers > 0 {
			st, err := workerStats(ctx, rdb)
			if err != nil {
				return err
			}
			done = st["totalPendingJobs"] == 0 && st["numJobsInProgress"] == 0
		}
		if done {
			break
		}
		if time.Since(t0) > 30*time.Minute {
			return errors.New("indexing did not finish within 30 minutes")
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.load = time.Since(t0)
	p.loadRate = float64(n) / p.load.Seconds()
	return nil
}

func usedMemory(ctx context.Context, rdb *redis.Client) (int64, error) {
	s, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("INFO memory has no used_memory")
}

// ftInfo is FT.INFO's numeric top-level fields.
func ftInfo(ctx context.Context, rdb *redis.Client) (map[string]float64, error) {
	v, err := rdb.Do(ctx, "FT.INFO", indexName).Slice()
	if err != nil {
		return nil, fmt.Errorf("FT.INFO: %w", err)
	}
	return numericPairs(v), nil
}

func workerStats(ctx context.Context, rdb *redis.Client) (map[string]float64, error) {
	v, err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "STATS").Slice()
	if err != nil {
		return nil, fmt.Errorf("FT.DEBUG WORKERS STATS: %w", err)
	}
	return numericPairs(v), nil
}

// numericPairs reads a RESP2 name/value list, keeping the numeric values.
func numericPairs(v []any) map[string]float64 {
	m := map[string]float64{}
	for i := 0; i+1 < len(v); i += 2 {
		name, ok := v[i].(string)
		if !ok {
			continue
		}
		switch x := v[i+1].(type) {
		case int64:
			m[name] = float64(x)
		case string:
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				m[name] = f
			}
		}
	}
	return m
}

// searchReply reads an FT.SEARCH reply (RESP2, with RETURN): the total and
// the document numbers of the keys.
func searchReply(v any) (total int64, ids []int, err error) {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return 0, nil, fmt.Errorf("FT.SEARCH replied %v", v)
	}
	total, ok = a[0].(int64)
	if !ok {
		return 0, nil, fmt.Errorf("FT.SEARCH replied %v", v)
	}
	for i := 1; i < len(a); i += 2 {
		key, _ := a[i].(string)
		id, err := strconv.Atoi(strings.TrimPrefix(key, keyPrefix))
		if err != nil || !strings.HasPrefix(key, keyPrefix) {
			return 0, nil, fmt.Errorf("FT.SEARCH returned the key %v", a[i])
		}
		ids = append(ids, id)
	}
	return total, ids, nil
}

// closedLoop runs a query kind with `clients` connections, each sending
// its next query when the last one's reply arrives, for d; query vectors
// go round the corpus' queries.
func closedLoop(ctx context.Context, addr string, c *corpus, kind string, radius float64, clients int, d time.Duration) queryResult {
	r := queryResult{name: kind}
	type clientResult struct {
		h        *hdrhistogram.Histogram
		ops      int64
		hits     int64
		errs     int64
		firstErr error
	}
	results := make(chan clientResult, clients)
	var ready, startGate sync.WaitGroup
	startGate.Add(1)
	for i := 0; i < clients; i++ {
		ready.Add(1)
		go func(i int) {
			cr := clientResult{h: hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)}
			rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, MaxRetries: -1, ReadTimeout: time.Minute})
			defer rdb.Close()
			rdb.Ping(ctx) // connect before the clock starts
			ready.Done()
			startGate.Wait()
			deadline := time.Now().Add(d)
			for j := i; time.Now().Before(deadline); j += clients {
				q := j % len(c.blobs)
				t := time.Now()
				v, err := rdb.Do(ctx, queryArgs(kind, c.blobs[q], radius, 0)...).Result()
				el := time.Since(t)
				var total int64
				if err == nil {
					total, _, err = searchReply(v)
				}
				if err != nil {
					cr.errs++
					if cr.firstErr == nil {
						cr.firstErr = err
					}
					continue
				}
				cr.ops++
				cr.hits += total
				cr.h.RecordValue(max(1, el.Microseconds()))
			}
			results <- cr
		}(i)
	}
	ready.Wait()
	t0 := time.Now()
	startGate.Done()
	h := hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)
	var hits int64
	for i := 0; i < clients; i++ {
		cr := <-results
		h.Merge(cr.h)
		r.ops += cr.ops
		hits += cr.hits
		r.errs += cr.errs
		if r.firstErr == nil {
			r.firstErr = cr.firstErr
		}
	}
	el := time.Since(t0)
	r.qps = float64(r.ops) / el.Seconds()
	r.p50 = time.Duration(h.ValueAtQuantile(50)) * time.Microsecond
	r.p99 = time.Duration(h.ValueAtQuantile(99)) * time.Microsecond
	if r.ops > 0 {
		r.meanHits = float64(hits) / float64(r.ops)
	}
	return r
}

// measureRecall asks the KNN 10 of every query vector (at EF_RUNTIME ef,
// 0 for the default) and compares with the exact top 10.
func measureRecall(ctx context.Context, addr string, c *corpus, exact []neighbours, ef, clients int) recallResult {
	r := recallResult{ef: ef, min: 1}
	recalls := make([]float64, len(c.blobs))
	errc := make([]error, len(c.blobs))
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, MaxRetries: -1, ReadTimeout: time.Minute})
			defer rdb.Close()
			for q := i; q < len(c.blobs); q += clients {
				v, err := rdb.Do(ctx, queryArgs("knn10", c.blobs[q], 0, ef)...).Result()
				var ids []int
				if err == nil {
					_, ids, err = searchReply(v)
				}
				if err != nil {
					errc[q] = err
					continue
				}
				recalls[q] = c.recallOf(q, exact[q], ids)
			}
		}(i)
	}
	wg.Wait()
	var sum float64
	n := 0
	for q := range recalls {
		if errc[q] != nil {
			r.errs++
			if r.firstErr == nil {
				r.firstErr = errc[q]
			}
			continue
		}
		sum += recalls[q]
		r.min = min(r.min, recalls[q])
		n++
	}
	if n > 0 {
		r.mean = sum / float64(n)
	} else {
		r.mean, r.min = math.NaN(), math.NaN()
	}
	return r
}

// memSampler polls INFO memory's used_memory and keeps the least value.
type memSampler struct {
	done  chan struct{}
	least chan int64
}

func newMemSampler(ctx context.Context, addr string) *memSampler {
	s := &memSampler{done: make(chan struct{}), least: make(chan int64, 1)}
	go func() {
		rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1})
		defer rdb.Close()
		least := int64(-1)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if m, err := usedMemory(ctx, rdb); err == nil && (least < 0 || m < least) {
				least = m
			}
			select {
			case <-s.done:
				s.least <- least
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// stop ends the polling; ok is false when no sample was read.
func (s *memSampler) stop() (least int64, ok bool) {
	close(s.done)
	least = <-s.least
	return least, least >= 0
}
