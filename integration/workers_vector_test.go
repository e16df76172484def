package integration

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The MOD-11658 scenarios with vectors in the mix: with search-workers > 0
// an HNSW field is the module's tiered index, whose inserts wait in a flat
// buffer (which queries also search) until a worker moves them into the
// graph. A resize, whatever the policy, must neither lose nor hang such a
// pending insert.

const (
	vecIndex = "vidx"
	vecDim   = 8
)

// createVectorIndex makes vidx over vec:*, with the same vector in an
// HNSW field (h, the tiered index) and a FLAT one (f, exact).
func createVectorIndex(t *testing.T, rdb *redis.Client) {
	t.Helper()
	err := rdb.Do(context.Background(), "FT.CREATE", vecIndex, "ON", "HASH", "PREFIX", "1", "vec:", "SCHEMA",
		"h", "VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", vecDim, "DISTANCE_METRIC", "L2",
		"f", "VECTOR", "FLAT", "6", "TYPE", "FLOAT32", "DIM", vecDim, "DISTANCE_METRIC", "L2").Err()
	if err != nil {
		t.Fatal(err)
	}
}

// vectorOf is document i's vector: distinct for every i (its first two
// components encode i), so a KNN 1 query with it finds that document alone
// at distance 0.
func vectorOf(i int) string {
	v := make([]float32, vecDim)
	v[0], v[1] = float32(i%100), float32(i/100)
	r := rand.New(rand.NewPCG(uint64(i), 7))
	for j := 2; j < vecDim; j++ {
		v[j] = float32(r.IntN(16)) / 4
	}
	return vecBlob(v...)
}

func writeVector(ctx context.Context, rdb *redis.Client, i int) error {
	return rdb.HSet(ctx, "vec:"+strconv.Itoa(i), "h", vectorOf(i), "f", vectorOf(i)).Err()
}

// checkVectorsFindable checks that each of the n vectors is found, by
// itself, at distance 0, from both fields; the HNSW search is made
// exhaustive (EF_RUNTIME n) so that an approximate miss cannot pass for a
// lost insert, or the reverse.
func checkVectorsFindable(t *testing.T, rdb *redis.Client, n int) {
	t.Helper()
	ctx := context.Background()
	if total, err := rdb.Do(ctx, "FT.SEARCH", vecIndex, "*", "LIMIT", "0", "0").Slice(); err != nil || total[0].(int64) != int64(n) {
		t.Fatalf("FT.SEARCH %s * LIMIT 0 0: %v %v, want %d documents", vecIndex, total, err, n)
	}
	for i := 0; i < n; i++ {
		for _, q := range []string{fmt.Sprintf("*=>[KNN 1 @h $B EF_RUNTIME %d AS d]", n), "*=>[KNN 1 @f $B AS d]"} {
			v, err := rdb.Do(ctx, "FT.SEARCH", vecIndex, q, "PARAMS", "2", "B", vectorOf(i), "RETURN", "1", "d", "DIALECT", "2").Slice()
			want := "vec:" + strconv.Itoa(i)
			if err != nil || len(v) != 3 || v[1] != want || fmt.Sprint(v[2]) != "[d 0]" {
				t.Fatalf("%s for %s: %v %v, want [1 %s [d 0]]", q, want, v, err, want)
			}
		}
	}
}

// bufferedVectors reads FT.DEBUG VECSIM_INFO: how many vectors of the
// HNSW field wait in the tiered buffer, and BACKGROUND_INDEXING.
func bufferedVectors(t *testing.T, rdb *redis.Client) (waiting, background int64) {
	t.Helper()
	v, err := rdb.Do(context.Background(), "FT.DEBUG", "VECSIM_INFO", vecIndex, "h").Slice()
	if err != nil {
		t.Fatalf("FT.DEBUG VECSIM_INFO: %v", err)
	}
	info := map[string]any{}
	for i := 0; i+1 < len(v); i += 2 {
		info[fmt.Sprint(v[i])] = v[i+1]
	}
	if info["ALGORITHM"] != "TIERED" {
		// Not tiered (no workers): nothing can wait.
		return 0, 0
	}
	front, _ := info["FRONTEND_INDEX"].([]any)
	for i := 0; i+1 < len(front); i += 2 {
		if front[i] == "INDEX_SIZE" {
			waiting = front[i+1].(int64)
		}
	}
	return waiting, info["BACKGROUND_INDEXING"].(int64)
}

// waitNoPendingJobs waits until the pool has no job queued or running.
func waitNoPendingJobs(t *testing.T, rdb *redis.Client) {
	t.Helper()
	for deadline := time.Now().Add(livenessBound); ; time.Sleep(5 * time.Millisecond) {
		st := workerStats(t, rdb)
		if st["totalPendingJobs"] == 0 && st["numJobsInProgress"] == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still pending after %v: %v", livenessBound, st)
		}
	}
}

// TestWorkersVectorInsertsSurviveShrink builds the state by hand: inserts
// queued on a paused pool of 2 meet a change to 0. The buffered vectors
// are found meanwhile (queries now run inline), and every insert is run
// once the pool resumes.
func TestWorkersVectorInsertsSurviveShrink(t *testing.T) {
	_, rdb := startShard(t, "search-workers 2", "search-timeout 60000")
	ctx := context.Background()
	createVectorIndex(t, rdb)
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "PAUSE").Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME") })
	const n = 100
	for i := 0; i < n; i++ {
		if err := writeVector(ctx, rdb, i); err != nil {
			t.Fatal(err)
		}
	}
	// One insert job per HNSW vector is queued, none run.
	if st := workerStats(t, rdb); st["totalPendingJobs"] != n || st["totalJobsDone"] != 0 {
		t.Fatalf("paused pool after %d inserts: %v, want %d jobs pending", n, st, n)
	}
	if waiting, bg := bufferedVectors(t, rdb); waiting != n || bg != 1 {
		t.Fatalf("VECSIM_INFO on the paused pool: %d vectors waiting (background indexing %d), want %d (1)", waiting, bg, n)
	}
	setWorkers(t, rdb, 0)
	checkVectorsFindable(t, rdb, n)
	if err := rdb.Do(ctx, "FT.DEBUG", "WORKERS", "RESUME").Err(); err != nil {
		t.Fatal(err)
	}
	waitNoPendingJobs(t, rdb)
	waitAlive(t, rdb, 0)
	if st := workerStats(t, rdb); st["totalJobsDone"] != n {
		t.Fatalf("after the drain: %v, want the %d inserts run", st, n)
	}
	// Every job moved its vector into the graph: none is left waiting.
	if waiting, bg := bufferedVectors(t, rdb); waiting != 0 || bg != 0 {
		t.Fatalf("VECSIM_INFO after the drain: %d vectors waiting (background indexing %d)", waiting, bg)
	}
	checkVectorsFindable(t, rdb, n)
	// Inserts after the change run inline.
	if err := writeVector(ctx, rdb, n); err != nil {
		t.Fatal(err)
	}
	checkVectorsFindable(t, rdb, n+1)
}

// TestWorkersToZeroUnderVectorLoad: vector inserts and KNN queries beside
// the incident's query load, then 8 → 0, then 0 → 8 → 0 flaps, under
// every resize policy that must not freeze. Nothing is lost, nothing hangs,
// PING is answered all along.
func TestWorkersToZeroUnderVectorLoad(t *testing.T) {
	for _, policy := range []string{"async", "drain-yield"} {
		t.Run(policy, func(t *testing.T) {
			srv, rdb := startShard(t, "search-workers 8", "search-workers-resize-policy "+policy)
			ctx := context.Background()
			createVectorIndex(t, rdb)
			load := startLoad(t, srv.Addr())
			prober := startProber(t, srv.Addr())

			const writers, perWriter, searchers = 4, 150, 4
			var next atomic.Int64
			var written atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, writers+searchers)
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, PoolSize: 1, ReadTimeout: livenessBound})
					defer c.Close()
					for k := 0; k < perWriter; k++ {
						i := int(next.Add(1) - 1)
						if err := writeVector(ctx, c, i); err != nil {
							errs <- fmt.Errorf("HSET vec:%d: %w", i, err)
							return
						}
						written.Add(1)
					}
				}()
			}
			var knnOK atomic.Int64
			for s := 0; s < searchers; s++ {
				wg.Add(1)
				go func(s int) {
					defer wg.Done()
					c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, PoolSize: 1, ReadTimeout: livenessBound})
					defer c.Close()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						field := "h"
						if i%2 == 1 {
							field = "f"
						}
						v, err := c.Do(ctx, "FT.SEARCH", vecIndex, "*=>[KNN 5 @"+field+" $B AS d]", "PARAMS", "2", "B",
							vectorOf(i*7+s), "SORTBY", "d", "NOCONTENT", "DIALECT", "2").Slice()
						if err != nil {
							errs <- fmt.Errorf("KNN: %w", err)
							return
						}
						if len(v) < 1 {
							errs <- fmt.Errorf("KNN reply %v", v)
							return
						}
						knnOK.Add(1)
					}
				}(s)
			}
			waitOK(t, load, 100)
			for deadline := time.Now().Add(30 * time.Second); written.Load() < writers*perWriter/4 || knnOK.Load() < 20; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("vector load did not start: %d written, %d KNN answered", written.Load(), knnOK.Load())
				}
			}
			setWorkers(t, rdb, 0)
			waitAlive(t, rdb, 0)
			checkShardWorks(t, rdb)
			for i := 0; i < 20; i++ {
				setWorkers(t, rdb, 8)
				time.Sleep(2 * time.Millisecond)
				setWorkers(t, rdb, 0)
			}
			for deadline := time.Now().Add(60 * time.Second); written.Load() < writers*perWriter; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("writers stalled at %d of %d", written.Load(), writers*perWriter)
				}
			}
			close(stop)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			stopLoad(t, load)
			checkLiveness(t, prober)
			waitNoPendingJobs(t, rdb)
			if waiting, _ := bufferedVectors(t, rdb); waiting != 0 {
				t.Fatalf("%d vectors still wait in the tiered buffer with no job left to move them", waiting)
			}
			checkVectorsFindable(t, rdb, writers*perWriter)
			t.Logf("%d vectors written, %d KNN queries answered", written.Load(), knnOK.Load())
		})
	}
}
