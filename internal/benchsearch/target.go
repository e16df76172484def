package benchsearch

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Target is a running server or cluster the queries of BuildQueries are
// measured on (cmd/bench-cluster compares a cluster with a single shard).
type Target struct {
	side *redisSide
}

// NewTarget connects to a single server at addrs[0], or to a cluster
// through a cluster client when cluster is set (its keyless commands, the
// FT.* ones, go to any shard's coordinator).
func NewTarget(addrs []string, cluster bool, poolSize int) *Target {
	if !cluster {
		return &Target{side: newRedisSide(addrs[0], poolSize)}
	}
	return &Target{side: &redisSide{rdb: redis.NewClusterClient(&redis.ClusterOptions{
		Addrs: addrs, Protocol: 2, PoolSize: poolSize,
		ReadTimeout: time.Minute, WriteTimeout: time.Minute,
	})}}
}

// Close closes the connections.
func (t *Target) Close() error { return t.side.close() }

// Load creates the index, writes the corpus through pipelines on conns
// connections and waits until the target reports every document indexed.
func (t *Target) Load(ctx context.Context, c *Corpus, conns int) (time.Duration, error) {
	if err := t.side.createIndex(ctx); err != nil {
		return 0, err
	}
	return t.side.load(ctx, c, conns)
}

// Measure runs q once (its hit count), then from clients goroutines for
// duration.
func (t *Target) Measure(ctx context.Context, q Query, clients int, duration time.Duration) Result {
	return measure(ctx, Config{Clients: clients, Duration: duration}, func() (int64, error) { return t.side.search(ctx, q) })
}

// Summary is a one-line description of a result.
func (r Result) Summary() string { return r.summary() }

// Client is the target's go-redis client, for the commands Target does
// not wrap (bench-aggregate's FT.AGGREGATE).
func (t *Target) Client() redis.UniversalClient { return t.side.rdb }
