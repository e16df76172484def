// Package workload is the query load of the MOD-11658 scenario, shared by
// the integration tests and `make bench-workers`: a corpus of hashes under
// one index, clients firing mixed FT.SEARCH queries with exact accounting of
// what was sent and answered, and a PING prober that measures the shard's
// liveness while search-workers changes.
package workload

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/redis/go-redis/v9"
	"go.uber.org/atomic"
)

// Index is the index the workload creates.
const Index = "idx"

var (
	words = strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike " +
		"november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")
	tags = []string{"red", "green", "blue", "black", "white", "grey", "pink", "gold"}
)

// Client is a go-redis client of a shard or of a cluster.
type Client interface {
	redis.Cmdable
	Do(ctx context.Context, args ...any) *redis.Cmd
}

// Setup creates the index and writes docs hashes through pipelines (a
// cluster client's pipelines go to each key's shard).
func Setup(ctx context.Context, rdb Client, docs int) error {
	err := rdb.Do(ctx, "FT.CREATE", Index, "ON", "HASH", "PREFIX", 1, "doc:", "SCHEMA",
		"title", "TEXT", "SORTABLE", "body", "TEXT", "tag", "TAG", "SORTABLE", "price", "NUMERIC", "SORTABLE").Err()
	if err != nil {
		return fmt.Errorf("FT.CREATE: %w", err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	sentence := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	pipe := rdb.Pipeline()
	for i := 0; i < docs; i++ {
		pipe.HSet(ctx, "doc:"+strconv.Itoa(i), "title", sentence(4), "body", sentence(30),
			"tag", tags[i%len(tags)], "price", i%1000)
		if pipe.Len() == 500 || i == docs-1 {
			if _, err := pipe.Exec(ctx); err != nil {
				return fmt.Errorf("HSET: %w", err)
			}
		}
	}
	return nil
}

// Queries is the mix the clients fire: text with SORTBY, tag, numeric range
// with SORTBY, a union of three words scored over most of the corpus; each
// loads `limit` documents.
func Queries(limit int) [][]any {
	l := strconv.Itoa(limit)
	var qs [][]any
	for i, w := range words {
		t := tags[i%len(tags)]
		qs = append(qs,
			[]any{"FT.SEARCH", Index, w, "SORTBY", "price", "LIMIT", "0", l},
			[]any{"FT.SEARCH", Index, "@tag:{" + t + "}", "LIMIT", "0", l},
			[]any{"FT.SEARCH", Index, "@price:[100 600] " + w, "SORTBY", "title", "DESC", "LIMIT", "0", l},
			[]any{"FT.SEARCH", Index, w + "|" + words[(i+3)%len(words)] + "|" + words[(i+7)%len(words)], "LIMIT", "0", l},
		)
	}
	return qs
}

// AggregateQueries is a mix of FT.AGGREGATE pipelines over the same corpus:
// a GROUPBY over the tags with COUNT/SUM/AVG and SORTBY, and a text query
// loading, computing and filtering `limit` rows.
func AggregateQueries(limit int) [][]any {
	l := strconv.Itoa(limit)
	var qs [][]any
	for i, w := range words {
		qs = append(qs,
			[]any{"FT.AGGREGATE", Index, w, "GROUPBY", "1", "@tag", "REDUCE", "COUNT", "0", "AS", "n",
				"REDUCE", "SUM", "1", "@price", "AS", "s", "REDUCE", "AVG", "1", "@price", "AS", "a", "SORTBY", "2", "@n", "DESC"},
			[]any{"FT.AGGREGATE", Index, w + "|" + words[(i+5)%len(words)], "LOAD", "2", "@price", "@title",
				"APPLY", "@price * 2", "AS", "d", "FILTER", "@d > 100", "SORTBY", "2", "@d", "DESC", "LIMIT", "0", l},
		)
	}
	return qs
}

// Counts is what the clients sent and got.
type Counts struct {
	Sent     int64 // queries written
	Replied  int64 // queries answered (a result or an error reply)
	OK       int64 // answered with a result
	Errors   int64 // answered with an error reply
	Failures int64 // no reply: the connection failed or the client gave up
}

// Load is a set of clients firing queries until stopped.
type Load struct {
	Addr    string
	Addrs   []string // when set, client i talks to Addrs[i % len(Addrs)]
	Clients int
	Limit   int           // documents loaded per query
	Timeout time.Duration // how long a client waits for one reply
	// Aggregate fires AggregateQueries instead of Queries.
	Aggregate bool

	sent, replied, ok, errs, failures atomic.Int64
	firstErr                          atomic.String
	stop                              chan struct{}
	wg                                sync.WaitGroup
	desync                            atomic.Int64
}

// Start starts the clients.
func (l *Load) Start() {
	l.stop = make(chan struct{})
	qs := Queries(l.Limit)
	if l.Aggregate {
		qs = AggregateQueries(l.Limit)
	}
	for i := 0; i < l.Clients; i++ {
		l.wg.Add(1)
		go l.client(i, qs)
	}
}

// Stop stops the clients and waits for them; each checks, last, that its
// connection is still in step (an ECHO gets its own argument back: no
// query got two replies, none got another's).
func (l *Load) Stop() Counts {
	close(l.stop)
	l.wg.Wait()
	return l.Counts()
}

// Counts reads the counters.
func (l *Load) Counts() Counts {
	return Counts{Sent: l.sent.Load(), Replied: l.replied.Load(), OK: l.ok.Load(),
		Errors: l.errs.Load(), Failures: l.failures.Load()}
}

// Desynced is the number of clients whose final ECHO got another reply.
func (l *Load) Desynced() int64 { return l.desync.Load() }

// FirstError is the first error reply a query got.
func (l *Load) FirstError() string { return l.firstErr.Load() }

func (l *Load) client(n int, qs [][]any) {
	defer l.wg.Done()
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	addr := l.Addr
	if len(l.Addrs) > 0 {
		addr = l.Addrs[n%len(l.Addrs)]
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1, MaxRetries: -1,
		ReadTimeout: timeout, WriteTimeout: timeout, DialTimeout: timeout})
	defer rdb.Close()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(uint64(n), 7))
	broken := false
	for !broken {
		select {
		case <-l.stop:
			token := "sync-" + strconv.Itoa(n)
			if v, err := rdb.Echo(ctx, token).Result(); err != nil || v != token {
				l.desync.Inc()
			}
			return
		default:
		}
		l.sent.Inc()
		err := rdb.Do(ctx, qs[r.IntN(len(qs))]...).Err()
		var rerr redis.Error
		switch {
		case err == nil:
			l.replied.Inc()
			l.ok.Inc()
		case errors.As(err, &rerr) && !isNetErr(err):
			l.replied.Inc()
			l.errs.Inc()
			l.firstErr.CompareAndSwap("", err.Error())
		default:
			l.failures.Inc()
			broken = true
		}
	}
	<-l.stop
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

// Prober sends PING on its own connection, one after the other, and
// records each round trip and the longest gap between two replies.
type Prober struct {
	Addr    string
	Timeout time.Duration // a PING unanswered this long is a hang

	mu      sync.Mutex
	hist    *hdrhistogram.Histogram
	maxGap  time.Duration
	last    time.Time
	hung    bool
	err     error
	stop    chan struct{}
	done    chan struct{}
	started bool
}

// Start starts probing.
func (p *Prober) Start() {
	p.hist = hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)
	p.stop = make(chan struct{})
	p.done = make(chan struct{})
	p.last = time.Now()
	p.started = true
	go p.run()
}

func (p *Prober) run() {
	defer close(p.done)
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	rdb := redis.NewClient(&redis.Options{Addr: p.Addr, Protocol: 2, PoolSize: 1, MaxRetries: -1,
		ReadTimeout: timeout, WriteTimeout: timeout, DialTimeout: timeout})
	defer rdb.Close()
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		t0 := time.Now()
		err := rdb.Ping(context.Background()).Err()
		now := time.Now()
		p.mu.Lock()
		if err != nil {
			p.hung = p.hung || isNetErr(err)
			p.err = err
			if gap := now.Sub(p.last); gap > p.maxGap {
				p.maxGap = gap
			}
			p.mu.Unlock()
			return
		}
		_ = p.hist.RecordValue(int64(now.Sub(t0) / time.Microsecond))
		if gap := now.Sub(p.last); gap > p.maxGap {
			p.maxGap = gap
		}
		p.last = now
		p.mu.Unlock()
		time.Sleep(200 * time.Microsecond)
	}
}

// Reset starts a new measurement window.
func (p *Prober) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hist.Reset()
	p.maxGap = 0
	p.last = time.Now()
}

// PingStats is what the prober saw.
type PingStats struct {
	Count         int64
	P50, P99, Max time.Duration
	MaxGap        time.Duration
	Hung          bool  // a PING got no answer within the timeout
	Err           error // what stopped the prober, if anything
}

// Stats reads the measurements of the current window.
func (p *Prober) Stats() PingStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	us := func(v int64) time.Duration { return time.Duration(v) * time.Microsecond }
	gap := p.maxGap
	if !p.hung && p.err == nil {
		if g := time.Since(p.last); g > gap {
			gap = g
		}
	}
	return PingStats{Count: p.hist.TotalCount(), P50: us(p.hist.ValueAtQuantile(50)), P99: us(p.hist.ValueAtQuantile(99)),
		Max: us(p.hist.Max()), MaxGap: gap, Hung: p.hung, Err: p.err}
}

// Stop stops probing.
func (p *Prober) Stop() PingStats {
	if p.started {
		close(p.stop)
		<-p.done
		p.started = false
	}
	return p.Stats()
}
