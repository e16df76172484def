// Command bench-json is `make bench-json`: JSON documents against hashes on
// fresh shard processes of the binary.
//
//  1. Commands: JSON.SET of a whole document, JSON.GET of it whole and of
//     one path, JSON.NUMINCRBY, beside HSET and HGET of the same fields, from
//     -clients connections for -duration each, unpipelined and with
//     pipelines of 16; each JSON command's rate is put against its hash
//     counterpart's (SET and GET whole against HSET and HGETALL, GET of a
//     path against HGET, NUMINCRBY against HINCRBYFLOAT).
//  2. Indexing: bench-search's corpus (title and body TEXT, a TAG, a NUMERIC)
//     stored as hashes under an ON HASH index, then, on another fresh shard,
//     as JSON documents under the same schema ON JSON: documents per second
//     until FT.INFO reports them all indexed, and INFO used_memory's growth
//     per document.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

type config struct {
	bin      string
	clients  int
	duration time.Duration
	keys     int
	docs     int
	conns    int
}

func main() {
	var c config
	flag.StringVar(&c.bin, "bin", "bin/miniredis-search", "the binary to benchmark")
	flag.IntVar(&c.clients, "clients", 50, "connections sending commands")
	flag.DurationVar(&c.duration, "duration", 3*time.Second, "run time per command and pipeline depth")
	flag.IntVar(&c.keys, "keys", 10_000, "documents the commands address (each client picks keys in turn)")
	flag.IntVar(&c.docs, "docs", 100_000, "documents of bench-search's corpus indexed as hashes and as JSON")
	flag.IntVar(&c.conns, "load-conns", 4, "connections loading the corpus")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench-json:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	ctx := context.Background()
	fmt.Printf("## bench-json: %d clients, %s per command, %d keys; indexing %d documents of bench-search's corpus over %d connections\n\n",
		c.clients, c.duration, c.keys, c.docs, c.conns)
	rows, err := commandRates(ctx, c)
	if err != nil {
		return err
	}
	fmt.Println("| command | ops/s | ops/s -P 16 | hash counterpart | ops/s | ops/s -P 16 | ratio | ratio -P 16 |")
	fmt.Println("|---|---:|---:|---|---:|---:|---:|---:|")
	for _, p := range pairs {
		j, h := rows[p.json.name], rows[p.hash.name]
		fmt.Printf("| %s | %.0f | %.0f | %s | %.0f | %.0f | %.2f | %.2f |\n",
			p.json.name, j[0], j[1], p.hash.name, h[0], h[1], j[0]/h[0], j[1]/h[1])
	}
	fmt.Println()
	corpus := benchsearch.GenerateCorpus(benchsearch.CorpusConfig{Docs: c.docs, Seed: 1})
	fmt.Println("| storage | load docs/s | used_memory bytes/doc |")
	fmt.Println("|---|---:|---:|")
	for _, onJSON := range []bool{false, true} {
		rate, perDoc, err := indexCorpus(ctx, c, corpus, onJSON)
		if err != nil {
			return err
		}
		name := "HASH"
		if onJSON {
			name = "JSON"
		}
		fmt.Printf("| %s | %.0f | %.0f |\n", name, rate, perDoc)
	}
	return nil
}

// A command of the comparison: args builds it for key i.
type command struct {
	name string
	args func(key string) []any
}

const docJSON = `{"title":"red shoes","body":"a pair of red running shoes","tag":"sport","price":12.5,"stock":3}`

var pairs = []struct{ json, hash command }{
	{command{"JSON.SET $", func(k string) []any { return []any{"JSON.SET", k, "$", docJSON} }},
		command{"HSET", func(k string) []any {
			return []any{"HSET", k, "title", "red shoes", "body", "a pair of red running shoes", "tag", "sport", "price", "12.5", "stock", "3"}
		}}},
	{command{"JSON.GET", func(k string) []any { return []any{"JSON.GET", k} }},
		command{"HGETALL", func(k string) []any { return []any{"HGETALL", k} }}},
	{command{"JSON.GET $.price", func(k string) []any { return []any{"JSON.GET", k, "$.price"} }},
		command{"HGET price", func(k string) []any { return []any{"HGET", k, "price"} }}},
	{command{"JSON.NUMINCRBY $.stock", func(k string) []any { return []any{"JSON.NUMINCRBY", k, "$.stock", "1"} }},
		command{"HINCRBYFLOAT stock", func(k string) []any { return []any{"HINCRBYFLOAT", k, "stock", "1"} }}},
}

// commandRates runs every command on one fresh shard: the writes first, so
// that the reads find every key.
func commandRates(ctx context.Context, c config) (map[string][2]float64, error) {
	addr, stop, err := startShard(c.bin)
	if err != nil {
		return nil, err
	}
	defer stop()
	rows := map[string][2]float64{}
	for _, p := range pairs {
		for _, cmd := range []command{p.json, p.hash} {
			prefix := "h:"
			if strings.HasPrefix(cmd.name, "JSON") {
				prefix = "j:"
			}
			var r [2]float64
			for i, depth := range []int{1, 16} {
				ops, err := rate(ctx, addr, c, prefix, cmd, depth)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", cmd.name, err)
				}
				r[i] = ops
			}
			rows[cmd.name] = r
		}
	}
	return rows, nil
}

// rate sends cmd from c.clients connections for c.duration, depth commands
// per round trip; every reply is checked for an error.
func rate(ctx context.Context, addr string, c config, prefix string, cmd command, depth int) (float64, error) {
	var done atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(c.duration)
	var wg sync.WaitGroup
	for w := range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: 1})
			defer rdb.Close()
			k := w
			for time.Now().Before(deadline) {
				pipe := rdb.Pipeline()
				for range depth {
					pipe.Do(ctx, cmd.args(prefix+strconv.Itoa(k%c.keys))...)
					k += c.clients
				}
				if _, err := pipe.Exec(ctx); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				done.Add(int64(depth))
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

// indexCorpus loads the corpus into an index on a fresh shard and returns
// the documents per second until all are indexed and used_memory's growth
// per document.
func indexCorpus(ctx context.Context, c config, corpus *benchsearch.Corpus, onJSON bool) (float64, float64, error) {
	addr, stop, err := startShard(c.bin)
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, PoolSize: c.conns + 1})
	defer rdb.Close()
	schema := []any{"FT.CREATE", "idx", "ON", "HASH", "PREFIX", 1, "doc:", "SCHEMA",
		"title", "TEXT", "SORTABLE", "body", "TEXT", "tag", "TAG", "price", "NUMERIC", "SORTABLE"}
	if onJSON {
		schema = []any{"FT.CREATE", "idx", "ON", "JSON", "PREFIX", 1, "doc:", "SCHEMA",
			"$.title", "AS", "title", "TEXT", "SORTABLE", "$.body", "AS", "body", "TEXT",
			"$.tag", "AS", "tag", "TAG", "$.price", "AS", "price", "NUMERIC", "SORTABLE"}
	}
	if err := rdb.Do(ctx, schema...).Err(); err != nil {
		return 0, 0, fmt.Errorf("FT.CREATE: %w", err)
	}
	before, err := usedMemory(ctx, rdb)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	chunk := (len(corpus.Docs) + c.conns - 1) / c.conns
	errs := make(chan error, c.conns)
	var wg sync.WaitGroup
	for lo := 0; lo < len(corpus.Docs); lo += chunk {
		docs := corpus.Docs[lo:min(lo+chunk, len(corpus.Docs))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- loadDocs(ctx, rdb, docs, onJSON)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return 0, 0, err
		}
	}
	for {
		n, err := rdb.Do(ctx, "FT.INFO", "idx").Result()
		if err != nil {
			return 0, 0, err
		}
		if numDocs(n) == len(corpus.Docs) {
			break
		}
		if time.Since(start) > 10*time.Minute {
			return 0, 0, errors.New("the corpus was not indexed in 10 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	after, err := usedMemory(ctx, rdb)
	if err != nil {
		return 0, 0, err
	}
	n := float64(len(corpus.Docs))
	return n / took.Seconds(), float64(after-before) / n, nil
}

func loadDocs(ctx context.Context, rdb *redis.Client, docs []benchsearch.Doc, onJSON bool) error {
	const batch = 100
	for lo := 0; lo < len(docs); lo += batch {
		pipe := rdb.Pipeline()
		for _, d := range docs[lo:min(lo+batch, len(docs))] {
			if onJSON {
				doc, _ := json.Marshal(map[string]any{"title": d.Title, "body": d.Body, "tag": d.Tag, "price": d.Price})
				pipe.Do(ctx, "JSON.SET", d.Key, "$", string(doc))
			} else {
				pipe.HSet(ctx, d.Key, "title", d.Title, "body", d.Body, "tag", d.Tag, "price", d.Price)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// numDocs reads FT.INFO's num_docs from its RESP2 reply (a flat list of
// names and values).
func numDocs(reply any) int {
	l, _ := reply.([]any)
	for i := 0; i+1 < len(l); i += 2 {
		if name, _ := l[i].(string); name == "num_docs" {
			switch v := l[i+1].(type) {
			case int64:
				return int(v)
			case string:
				n, _ := strconv.Atoi(v)
				return n
			}
		}
	}
	return -1
}

func usedMemory(ctx context.Context, rdb *redis.Client) (int64, error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("INFO memory has no used_memory")
}

// startShard starts the binary on a free port and waits for its PING.
func startShard(bin string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--loglevel", "warning", "--save", "")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			stop()
			return "", nil, errors.New("the shard did not start")
		}
	}
	return addr, stop, nil
}
