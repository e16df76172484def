#!/bin/sh
# redis-benchmark against miniredis-search and a stock redis-server, side by
# side, unpipelined and with -P 16; prints requests/s and ours/redis.
set -e
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-50}
REQUESTS=${REQUESTS:-200000}
TESTS=${TESTS:-ping_mbulk,set,get,hset}
OURS_PORT=${OURS_PORT:-16379}
REDIS_PORT=${REDIS_PORT:-16380}

go build -o bin/miniredis-search ./cmd/miniredis-search
tmp=$(mktemp -d)
cleanup() {
	kill "$ours_pid" "$redis_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

./bin/miniredis-search --port "$OURS_PORT" --loglevel warning >"$tmp/ours.log" 2>&1 &
ours_pid=$!
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$tmp/redis.log" 2>&1 &
redis_pid=$!
for port in "$OURS_PORT" "$REDIS_PORT"; do
	i=0
	until redis-cli -p "$port" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "server on $port did not start"; cat "$tmp"/*.log; exit 1; }
		sleep 0.1
	done
done

bench() { # port pipeline -> csv "test","rps",...
	redis-benchmark -p "$1" -c "$CLIENTS" -n "$REQUESTS" -t "$TESTS" -P "$2" --csv 2>/dev/null | tail -n +2
}

printf '%-12s %-9s %14s %14s %8s\n' test pipeline "ours req/s" "redis req/s" ratio
for p in 1 16; do
	bench "$OURS_PORT" "$p" >"$tmp/ours.csv"
	bench "$REDIS_PORT" "$p" >"$tmp/redis.csv"
	paste -d, "$tmp/ours.csv" "$tmp/redis.csv" | tr -d '"' | awk -F, -v p="$p" '{
		n = NF / 2
		printf "%-12s %-9s %14.0f %14.0f %8.2f\n", $1, (p == 1 ? "none" : "-P " p), $2, $(n + 2), $2 / $(n + 2)
	}'
done
