GO ?= go

.PHONY: test deps vet gotest bench-json bench-redis bench-search bench-aggregate bench-workers bench-cluster bench-vectors bench-compare build run fuzz

# The test command of the README: installs what is missing, then every test.
test: deps vet gotest

deps:
	@./scripts/install-deps.sh

vet:
	$(GO) vet ./...

# -race everywhere: the server, its pools and the integration tests are all
# concurrent. Then the incident tests once more without -race, which slows
# every operation 5-10 times: at native speed they run the workers' resizes
# under the load they were written for (they assert liveness and ordering,
# never latency; make bench-workers measures it).
gotest:
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) test -count=1 -timeout 10m -run 'TestWorkers' ./integration

build:
	$(GO) build -o bin/miniredis-search ./cmd/miniredis-search

run:
	$(GO) run ./cmd/miniredis-search

# Side-by-side redis-benchmark: ours and a stock redis-server, same run.
bench-redis: deps
	@./scripts/bench-redis.sh

# Full-text search, ours against bleve v2 on the same corpus and queries;
# flags through BENCH_SEARCH_FLAGS (e.g. "-docs 20000 -duration 1s").
bench-search:
	$(GO) run ./cmd/bench-search $(BENCH_SEARCH_FLAGS)

# FT.AGGREGATE (GROUPBY a TAG with COUNT, SUM, AVG and SORTBY; APPLY/FILTER
# sorted and streamed) on bench-search's corpus: p50/p99, rows/s and QPS with
# search-workers 0 and 4, as a markdown table; flags through
# BENCH_AGGREGATE_FLAGS (e.g. "-docs 20000 -iterations 20 -duration 1s").
bench-aggregate:
	$(GO) run ./cmd/bench-aggregate $(BENCH_AGGREGATE_FLAGS)

# search-workers 8 → 0 under query load, once per resize policy, each on a
# fresh shard process; flags through BENCH_WORKERS_FLAGS.
bench-workers: build
	$(GO) run ./cmd/bench-workers -bin bin/miniredis-search $(BENCH_WORKERS_FLAGS)

# FT.SEARCH through the coordinator of a 3-shard cluster against one shard
# with the same 100 000 documents, then a shard's PING while every shard
# goes from 8 workers to 0; flags through BENCH_CLUSTER_FLAGS.
bench-cluster: build
	$(GO) run ./cmd/bench-cluster -bin bin/miniredis-search $(BENCH_CLUSTER_FLAGS)

# Vector search, FLAT and HNSW, each with search-workers 0 and 4 on a fresh
# shard: load rate, memory, KNN/hybrid/range QPS and recall@10 beside the
# module's figures; flags through BENCH_VECTORS_FLAGS (e.g. "-docs 5000
# -duration 1s").
bench-vectors: build
	$(GO) run ./cmd/bench-vectors -bin bin/miniredis-search $(BENCH_VECTORS_FLAGS)

# JSON documents against hashes on fresh shards: JSON.SET/GET/GET of a
# path/NUMINCRBY against HSET/HGETALL/HGET/HINCRBYFLOAT (unpipelined and
# -P 16), then bench-search's corpus indexed as hashes and as JSON (docs/s,
# used_memory bytes/doc); flags through BENCH_JSON_FLAGS (e.g. "-docs 20000
# -duration 1s").
bench-json: build
	$(GO) run ./cmd/bench-json -bin bin/miniredis-search $(BENCH_JSON_FLAGS)

# Regression guard: ../shared/tools/searchbench at a small size (20 000
# documents, 1 s per query kind, and a 5 000-vector HNSW run) on a fresh
# shard, each figure beside bench/baseline-compare.json with the ratio and a
# WORSE flag beyond its tolerance; BENCH_COMPARE_UPDATE=1 re-takes the
# baseline; flags through BENCH_COMPARE_FLAGS (e.g. "-runs 3 -strict").
SEARCHBENCH_DIR ?= ../shared/tools/searchbench

bench-compare: build
	@test -f $(SEARCHBENCH_DIR)/main.go || { echo "bench-compare: no searchbench in $(SEARCHBENCH_DIR) (the shared measuring tools beside the repository); set SEARCHBENCH_DIR" >&2; exit 1; }
	cd $(SEARCHBENCH_DIR) && $(GO) build -o $(CURDIR)/bin/searchbench .
	$(GO) build -o bin/bench-compare ./cmd/bench-compare
	bin/bench-compare $(BENCH_COMPARE_FLAGS)

FUZZTIME ?= 60s

fuzz:
	$(GO) test ./server -run XXX -fuzz FuzzParseRequest -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzHLLCorrupt$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzHashTTLArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzEvalArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzSetCommands$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzListCommands$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzBitCommands$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzPubsubCommands$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzRestorePayload$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/text -run XXX -fuzz '^FuzzTokenize$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/text -run XXX -fuzz '^FuzzDoubleMetaphone$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/index -run XXX -fuzz '^FuzzSynonymMap$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/index -run XXX -fuzz '^FuzzExpandQuery$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzSynUpdateArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzPhoneticMatcher$$' -fuzztime $(FUZZTIME)
	$(GO) test ./resp -run XXX -fuzz '^FuzzParseInt$$' -fuzztime $(FUZZTIME)
	$(GO) test ./resp -run XXX -fuzz '^FuzzParseFloat$$' -fuzztime $(FUZZTIME)
	$(GO) test ./resp -run XXX -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzZsetArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzGeoArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/query -run XXX -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzParseCreate$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzParseSearchArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzSuggestArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module -run XXX -fuzz '^FuzzSpellCheckArgs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/trie -run XXX -fuzz '^FuzzTrie$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/expr -run XXX -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/aggregate -run XXX -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/aggregate -run XXX -fuzz '^FuzzRun$$' -fuzztime $(FUZZTIME)
	$(GO) test ./module/index -run XXX -fuzz '^FuzzParseShape$$' -fuzztime $(FUZZTIME)
	$(GO) test ./rejson/jsonpath -run XXX -fuzz '^FuzzPath$$' -fuzztime $(FUZZTIME)
	$(GO) test ./rejson -run XXX -fuzz '^FuzzJSONSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz '^FuzzStreamCommands$$' -fuzztime $(FUZZTIME)
