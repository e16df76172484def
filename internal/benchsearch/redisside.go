package benchsearch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// IndexName is the index the benchmark creates (and drops first, with its
// documents, on an external server).
const IndexName = "idx"

// loadPipeline is how many HSETs go out in one pipeline.
const loadPipeline = 1000

// indexingTimeout bounds the wait for the server to report the corpus
// indexed.
const indexingTimeout = 10 * time.Minute

// redisSide drives a server (ours in-process, or any at -addr) through
// go-redis, RESP2.
type redisSide struct {
	rdb redis.UniversalClient
}

func newRedisSide(addr string, poolSize int) *redisSide {
	return &redisSide{rdb: redis.NewClient(&redis.Options{
		Addr:     addr,
		Protocol: 2,
		PoolSize: poolSize,
		// A query at the 99th percentile under load must not be cut short
		// by the client: the benchmark measures it.
		ReadTimeout:  time.Minute,
		WriteTimeout: time.Minute,
	})}
}

func (r *redisSide) close() error { return r.rdb.Close() }

// createIndex drops a previous benchmark index with its documents, then
// creates the index, before any document is written: indexing happens as
// the documents arrive, as it would in an application.
func (r *redisSide) createIndex(ctx context.Context) error {
	if err := r.rdb.Do(ctx, "FT.DROPINDEX", IndexName, "DD").Err(); err != nil && !isUnknownIndex(err) {
		return fmt.Errorf("FT.DROPINDEX: %w", err)
	}
	err := r.rdb.Do(ctx, "FT.CREATE", IndexName, "ON", "HASH", "PREFIX", 1, "doc:", "SCHEMA",
		"title", "TEXT", "SORTABLE",
		"body", "TEXT",
		"tag", "TAG",
		"price", "NUMERIC", "SORTABLE").Err()
	if err != nil {
		return fmt.Errorf("FT.CREATE: %w", err)
	}
	return nil
}

func isUnknownIndex(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "unknown index") || strings.Contains(msg, "no such index")
}

// load writes every document with pipelined HSETs over conns connections
// and waits until FT.INFO reports them all indexed. It returns the time
// from the first HSET to that report.
func (r *redisSide) load(ctx context.Context, c *Corpus, conns int) (time.Duration, error) {
	start := time.Now()
	chunk := (len(c.Docs) + conns - 1) / conns
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for lo := 0; lo < len(c.Docs); lo += chunk {
		docs := c.Docs[lo:min(lo+chunk, len(c.Docs))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- r.loadDocs(ctx, docs)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return 0, err
		}
	}
	if err := r.waitIndexed(ctx, len(c.Docs)); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func (r *redisSide) loadDocs(ctx context.Context, docs []Doc) error {
	for lo := 0; lo < len(docs); lo += loadPipeline {
		pipe := r.rdb.Pipeline()
		for _, d := range docs[lo:min(lo+loadPipeline, len(docs))] {
			pipe.HSet(ctx, d.Key, "title", d.Title, "body", d.Body, "tag", d.Tag, "price", d.Price)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("HSET pipeline: %w", err)
		}
	}
	return nil
}

// waitIndexed polls FT.INFO until indexing is 0 and num_docs is n.
func (r *redisSide) waitIndexed(ctx context.Context, n int) error {
	deadline := time.Now().Add(indexingTimeout)
	for {
		info, err := r.info(ctx)
		if err != nil {
			return err
		}
		if info.float("indexing") == 0 && int(info.float("num_docs")) == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("index not ready after %s: indexing=%v num_docs=%v (want %d)",
				indexingTimeout, info["indexing"], info["num_docs"], n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ftInfo is FT.INFO's top-level fields by name.
type ftInfo map[string]any

// float reads a numeric field, whichever way the server encodes it
// (integer, double or bulk string); absent or unreadable is -1.
func (f ftInfo) float(name string) float64 {
	switch v := f[name].(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case string:
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			return x
		}
	}
	return -1
}

func (r *redisSide) info(ctx context.Context) (ftInfo, error) {
	reply, err := r.rdb.Do(ctx, "FT.INFO", IndexName).Result()
	if err != nil {
		return nil, fmt.Errorf("FT.INFO: %w", err)
	}
	info := ftInfo{}
	switch v := reply.(type) {
	case []any: // RESP2: flat name, value list
		for i := 0; i+1 < len(v); i += 2 {
			if name, ok := v[i].(string); ok {
				info[name] = v[i+1]
			}
		}
	case map[any]any: // RESP3
		for k, val := range v {
			if name, ok := k.(string); ok {
				info[name] = val
			}
		}
	default:
		return nil, fmt.Errorf("FT.INFO: unexpected reply %T", reply)
	}
	return info, nil
}

// search runs q once and returns the total number of matches.
func (r *redisSide) search(ctx context.Context, q Query) (int64, error) {
	args := append([]any{"FT.SEARCH", IndexName, q.Redis}, q.RedisArgs...)
	reply, err := r.rdb.Do(ctx, args...).Result()
	if err != nil {
		return 0, err
	}
	switch v := reply.(type) {
	case []any:
		if len(v) > 0 {
			if total, ok := v[0].(int64); ok {
				return total, nil
			}
		}
	case map[any]any:
		if total, ok := v["total_results"].(int64); ok {
			return total, nil
		}
	}
	return 0, errors.New("FT.SEARCH: unexpected reply shape")
}
